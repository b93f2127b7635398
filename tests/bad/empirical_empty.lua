local kv = require "kvsim"
local c = dofile(arg[0]:match("^(.*)/") .. "/common.lua")
c.run { workload = kv.workload { synthetic = { rate = 1, n = 10,
  prompt = { dist = "empirical", values = {} }, output = 10 } } }
