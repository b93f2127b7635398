local c = dofile(arg[0]:match("^(.*)/") .. "/common.lua")
c.run { kv_capacity = 1e30 }
