local c = dofile(arg[0]:match("^(.*)/") .. "/common.lua")
c.run { strategy = { "static", max_context = 0 } }
