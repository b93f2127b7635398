local c = dofile(arg[0]:match("^(.*)/") .. "/multimodel_common.lua")
local kv = require "kvsim"
-- two bursts on a small pool, so the pool runs out and the policy is asked
local w = kv.workload { synthetic = { rate = 200, n = 150, prompt = 6000, output = 400 } }
c.run { gpu_mem_util = 0.5, models = { { model = "llama-3-8b", workload = w, max_context = 8192 },
                                       { model = "qwen2.5-7b", workload = w, max_context = 8192 } },
        policy = { victim = function(view) return 7 end } }
