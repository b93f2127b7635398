-- max_context in the run table and, different, in the strategy table
local c = dofile(arg[0]:match("^(.*)/") .. "/common.lua")
c.run { max_context = 4096, strategy = { "paged", max_context = 2048 } }
