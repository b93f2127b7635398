-- loads the trace named by arg[2] and runs it
local kv = require "kvsim"
local c = dofile(arg[0]:match("^(.*)/") .. "/common.lua")
c.run { workload = kv.workload { trace = arg[2] } }
