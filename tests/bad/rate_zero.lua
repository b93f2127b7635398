local kv = require "kvsim"
local c = dofile(arg[0]:match("^(.*)/") .. "/common.lua")
c.run { workload = kv.workload { synthetic = { rate = 0, n = 10, prompt = 100, output = 10 } } }
