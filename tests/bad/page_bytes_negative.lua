local c = dofile(arg[0]:match("^(.*)/") .. "/common.lua")
c.run { strategy = { "vmm", page_bytes = -1 } }
