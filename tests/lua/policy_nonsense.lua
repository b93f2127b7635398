-- A policy whose evict function returns an index that does not exist.
package.path = "tests/lua/?.lua;" .. package.path
local common = require "policy_common"

common.run({ evict = function(view) return #view.candidates + 1 end })
print("not reached")
