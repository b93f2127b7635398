-- a workload object where the model goes
local kv = require "kvsim"
local c = dofile(arg[0]:match("^(.*)/") .. "/common.lua")
c.run { model = kv.workload { preset = "azure-conv", count = 5 } }
