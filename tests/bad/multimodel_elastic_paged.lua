local c = dofile(arg[0]:match("^(.*)/") .. "/multimodel_common.lua")
local kv = require "kvsim"
local w = kv.workload { preset = "azure-conv", seed = 1, count = 20 }
c.run { models = { { model = "llama-3-8b", workload = w, strategy = "static" }, { model = "mistral-7b", workload = w } } }
