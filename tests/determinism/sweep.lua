-- sweep.lua - the determinism check's script (tests/test_determinism.c):
-- one sweep over every strategy (ideal backend) plus one SimGrid run, on a
-- bursty synthetic workload that fills the GPU (preemptions included),
-- written as summary JSON/CSV and one timeline CSV per run.
-- usage: kvsim tests/determinism/sweep.lua OUTDIR JOBS [SEED]
local kv = require "kvsim"
local out, jobs, seed = arg[1], tonumber(arg[2]), tonumber(arg[3] or "7")
assert(out and jobs, "usage: sweep.lua OUTDIR JOBS [SEED]")
kv.mkdir_p(out)

local w = kv.workload { synthetic = { rate = 40, n = 300, arrival = "bursty", cv = 3,
  prompt = { dist = "lognormal", mean = 1500, std = 1200, min = 1, max = 8000 },
  output = { dist = "uniform", min = 10, max = 400 } }, seed = seed }
local base = { model = "llama-3-8b", platform = "h100-sxm-80gb", workload = w,
  backend = "ideal", seed = seed, kv_capacity = 3 * 1024 ^ 3, check = 1 }
local function cfg(strategy, over)
  local c = { strategy = strategy }
  for k, v in pairs(base) do c[k] = v end
  for k, v in pairs(over or {}) do c[k] = v end
  return c
end
local cfgs = {
  cfg "static",
  cfg { "paged", block_tokens = 16 },
  cfg { "vmm", page_bytes = 64 * 1024, deferred_reclaim = true, map_ahead = 32 },
  cfg { "vmm", layout = "all_layers" },
  cfg { "indirect", slab_bytes = 32 * 1024 * 1024 },
  cfg({ "paged", block_tokens = 32 }, { preempt = "swap", host_bytes = 8 * 1024 ^ 3 }),
}
do
  -- a SimGrid run when kvsim has the backend (kv.run raises otherwise)
  local ok = pcall(function() return kv.run { model = "llama-3-8b", platform = "h100-sxm-80gb",
    workload = kv.workload { preset = "azure-conv", count = 1 }, strategy = "paged",
    backend = "simgrid" } end)
  if ok then cfgs[#cfgs + 1] = cfg({ "paged" }, { backend = "simgrid" }) end
end
local rs = kv.sweep(cfgs, { jobs = jobs })

local rows, names = {}, {}
for i, r in ipairs(rs) do
  local row = { run = i, label = r.label, strategy = r.strategy, seed = r.seed }
  for k, v in pairs(r.summary) do
    if type(v) == "number" and k ~= "wall_time" then
      row[k] = v
      names[k] = true
    end
  end
  rows[#rows + 1] = row
  local cols = {}
  for k in pairs(r.timeline) do cols[#cols + 1] = k end
  table.sort(cols)
  kv.write_csv(("%s/timeline_%d.csv"):format(out, i), r.timeline, cols)
end
local cols = { "run", "label", "strategy", "seed" }
local sorted = {}
for k in pairs(names) do sorted[#sorted + 1] = k end
table.sort(sorted)
for _, k in ipairs(sorted) do cols[#cols + 1] = k end
kv.write_csv(out .. "/summary.csv", rows, cols)
kv.write_json(out .. "/summary.json", rows)
print(("%d runs written to %s"):format(#rs, out))
