-- A policy whose evict function raises: the run must stop, naming the
-- policy function and this file's line.
package.path = "tests/lua/?.lua;" .. package.path
local common = require "policy_common"

local function evict(view)
  local victim = view.candidates[1]
  return victim.no_such_field.id -- line 7: indexes a nil value
end

common.run({ evict = evict })
print("not reached")
