local c = dofile(arg[0]:match("^(.*)/") .. "/common.lua")
c.run { gpu_mem_util = 1.5 }
