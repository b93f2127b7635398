-- A policy that tries to change the view it is given.
package.path = "tests/lua/?.lua;" .. package.path
local common = require "policy_common"

common.run({ compact = function(view)
  view.free_blocks = 0
  return 0
end })
print("not reached")
