-- longrun.lua - one strategy through the whole Mooncake conversation trace
-- at 4x its arrival rate (scripts/longrun.sh runs it once per strategy and
-- measures wall time and peak RSS around it).
-- usage: kvsim scripts/longrun.lua STRATEGY BACKEND OUT.csv
local kv = require "kvsim"
local name, backend, out = arg[1], arg[2] or "ideal", arg[3]
local strategies = {
  static = "static",
  ["paged-16"] = { "paged", block_tokens = 16 },
  ["vmm-2M-layer"] = { "vmm" },
  ["vmm-64K-layer"] = { "vmm", page_bytes = 64 * 1024 },
  ["vmm-2M-all-deferred"] = { "vmm", layout = "all_layers", deferred_reclaim = true },
  ["indirect-64M-16"] = { "indirect" },
}
local s = assert(strategies[name], "unknown strategy label " .. tostring(name))
local w = kv.trace("mooncake-conv", { speedup = 4 })
assert(not w.source:match("^synthetic"), "the Mooncake trace file was not found: " .. w.source)
local r = kv.run { model = "llama-3-8b", platform = "h100-sxm-80gb", workload = w,
  strategy = s, backend = backend, seed = 1, label = name, check = 1 }
local sm = r.summary
local row = { label = name, backend = backend, requests = sm.requests, completed = sm.completed,
  unfinished = sm.unfinished, rejected = sm.rejected, preemptions = sm.preemptions,
  steps = sm.steps, sim_time = sm.sim_time, util_mean = sm.util_mean,
  throughput = sm.throughput, vmm_calls = sm.vmm_calls }
local cols = { "label", "backend", "requests", "completed", "unfinished", "rejected",
  "preemptions", "steps", "sim_time", "util_mean", "throughput", "vmm_calls" }
kv.write_csv(out, { row }, cols)
print(("%s %s: %d requests, %d completed, %.1f s simulated"):format(name, backend,
  sm.requests, sm.completed, sm.sim_time))
