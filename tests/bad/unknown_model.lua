local c = dofile(arg[0]:match("^(.*)/") .. "/common.lua")
c.run { model = "llama-9-1t" }
