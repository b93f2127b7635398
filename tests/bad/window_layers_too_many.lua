-- more windowed layers than the model has
local kv = require "kvsim"
local m = kv.model { base = "mistral-7b", window_layers = 99 }
local c = dofile(arg[0]:match("^(.*)/") .. "/common.lua")
c.run { model = m }
