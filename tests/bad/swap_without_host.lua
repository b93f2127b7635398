local c = dofile(arg[0]:match("^(.*)/") .. "/common.lua")
c.run { preempt = "swap" }
