local c = dofile(arg[0]:match("^(.*)/") .. "/common.lua")
c.run { strategy = { "paged", block_tokens = 0 } }
