-- the run-level max_context must be at least 1 (absent = the model's)
local c = dofile(arg[0]:match("^(.*)/") .. "/common.lua")
c.run { max_context = 0 }
