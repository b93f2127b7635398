-- an unknown long_prompts value: the error lists the valid ones
local c = dofile(arg[0]:match("^(.*)/") .. "/common.lua")
c.run { long_prompts = "cut" }
