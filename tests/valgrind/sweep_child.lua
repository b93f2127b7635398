-- sweep_child.lua - one ideal-backend run through kv.sweep, so it runs in a
-- forked child (test_regressions runs this under valgrind to check that the
-- child frees what it allocated before it exits).
local kv = require "kvsim"
local rs = kv.sweep({ { model = "llama-3-8b", platform = "h100-sxm-80gb", backend = "ideal",
  workload = kv.workload { preset = "azure-conv", seed = 1, count = 10 },
  strategy = "paged", seed = 1 } }, { jobs = 1 })
print(rs[1].summary.completed)
