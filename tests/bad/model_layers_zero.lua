local kv = require "kvsim"
local c = dofile(arg[0]:match("^(.*)/") .. "/common.lua")
c.run { model = kv.model { base = "llama-3-8b", layers = 0 } }
