-- a 4-trillion-parameter model on one 80 GB GPU
local kv = require "kvsim"
local c = dofile(arg[0]:match("^(.*)/") .. "/common.lua")
c.run { model = kv.model { base = "llama-3-8b", params = 4e12, active_params = 4e12 } }
