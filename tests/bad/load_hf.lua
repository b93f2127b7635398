-- reads the Hugging Face config named by arg[2] and runs it
local kv = require "kvsim"
local c = dofile(arg[0]:match("^(.*)/") .. "/common.lua")
c.run { model = kv.model { hf_config = arg[2] } }
