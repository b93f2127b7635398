local kv = require "kvsim"
local c = dofile(arg[0]:match("^(.*)/") .. "/common.lua")
c.run { model = kv.model(42) }
