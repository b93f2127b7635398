-- A script with a syntax error on line 4 (test_cli checks file:line).
local kv = require "kvsim"

local x = = 1
