-- A tiny experiment for the plan modes (tests/sweep_plan.sh, docs/sweeps.md):
-- a kv.sweep over a kv.grid of 4 paged runs, then, adaptively, one kv.run
-- of the best of them again with another seed (a second round). Writes
-- summary.csv, summary.json, timeline_<label>.csv and requests.csv into
-- OUT and prints a table and a conclusion computed from the numbers.
--   kvsim tests/lua/sweep_tiny.lua OUT [--backend ideal|simgrid]
local kv = require "kvsim"
local out = assert(arg[1], "usage: sweep_tiny.lua OUT [--backend NAME]")
local backend = arg[2] == "--backend" and arg[3] or "ideal"
local w = kv.workload { preset = "azure-conv", seed = 1, count = 40 }

local points = kv.grid { block_tokens = { 16, 256 }, max_num_seqs = { 4, 32 } }
local runs = {}
for i, p in ipairs(points) do
  runs[i] = {
    label = ("paged-%d-seqs%d"):format(p.block_tokens, p.max_num_seqs),
    model = "llama-3-8b", platform = "h100-sxm-80gb", backend = backend,
    workload = w, strategy = { "paged", block_tokens = p.block_tokens },
    max_num_seqs = p.max_num_seqs, seed = 1,
  }
end
print(("sweep_tiny: %d runs on %s, %d requests"):format(#runs, backend, #w))
local rs = kv.sweep(runs, { jobs = 2 })

local rows, best = {}, nil
for i, r in ipairs(rs) do
  local s = r.summary
  rows[i] = { label = r.label, tput = s.throughput, ttft99 = s.ttft_p99, util = s.util_mean }
  if not best or s.throughput > best.summary.throughput then best = r end
end
print(kv.table(rows, {
  { key = "label", title = "run" },
  { key = "tput", title = "tok/s", fmt = "%.3f" },
  { key = "ttft99", title = "TTFT p99 s", fmt = "%.6f" },
  { key = "util", title = "util", fmt = "%.4f" },
}))

-- round 2 depends on round 1's numbers
local again = kv.run {
  label = best.label .. "-seed2", model = "llama-3-8b", platform = "h100-sxm-80gb",
  backend = backend, workload = w, strategy = { "paged", block_tokens = best.options.block_tokens },
  max_num_seqs = best.options.max_num_seqs, seed = 2, requests = true,
}

kv.mkdir_p(out)
local cols = { "label", "strategy", "backend", "seed" }
for _, m in ipairs(kv.summary_metrics()) do cols[#cols + 1] = m.name end
local csv, json = {}, {}
for i, r in ipairs(rs) do
  local row = { label = r.label, strategy = r.strategy, backend = r.backend, seed = r.seed }
  for k, v in pairs(r.summary) do row[k] = v end
  csv[i] = row
  json[i] = { label = r.label, run = r.run, options = r.options, summary = row }
end
kv.write_csv(out .. "/summary.csv", csv, cols)
kv.write_json(out .. "/summary.json", { runs = json, again = again.summary })
local sample_cols = {}
for i, m in ipairs(kv.sample_metrics()) do sample_cols[i] = m.name end
kv.write_csv(("%s/timeline_%s.csv"):format(out, best.label), best.timeline, sample_cols)
local req = {}
for i = 1, #again.requests.arrival do
  req[i] = { arrival = again.requests.arrival[i], first_token = again.requests.first_token[i],
    finish = again.requests.finish[i] }
end
kv.write_csv(out .. "/requests.csv", req, { "arrival", "first_token", "finish" })
print(("best: %s at %.3f tok/s; again with seed 2: %.3f tok/s, %d requests"):format(
  best.label, best.summary.throughput, again.summary.throughput, #again.requests.arrival))
