-- experiments/sessions_fit.lua - goodness of fit of a session preset: the
-- trace it was fitted to and workloads generated from it, side by side, on
-- the statistics that matter for KV memory (requests, sessions and turns
-- by the same chain rule, prompt and output lengths, arrival rate, the
-- block hit rate of an unbounded prefix cache). The preset was fitted to
-- this trace, so this checks the fit; it is no held-out validation.
--
--   build/kvsim experiments/sessions_fit.lua [--preset mooncake-conv]
--       [--trace mooncake-conv] [--seeds 3] [--out results/DIR]
--
-- Main entry point: this script.

local kv = require "kvsim"
local S = kv.sessions

local opt = kv.parse_args(arg, {
  prog = "kvsim experiments/sessions_fit.lua",
  options = {
    { name = "preset", type = "string", default = "mooncake-conv", help = "session preset" },
    { name = "trace", type = "string", default = "mooncake-conv", help = "trace it was fitted to" },
    { name = "seeds", type = "integer", positive = true, default = 3, metavar = "N",
      help = "generated workloads (seeds 1..N)" },
    { name = "out", type = "string", metavar = "DIR", help = "also write DIR/sessions_fit.csv" },
  },
})
if not opt then return end

local path = assert(kv.find_trace(opt.trace), "trace not found: " .. opt.trace)
local tw = kv.workload{ trace = path }
local ts = S.stats(tw)
local cols = { { "trace", ts } }
-- a generated workload runs on after its last session starts (later turns,
-- think times); the trace is a window: compare the same window
for seed = 1, opt.seeds do
  local w = kv.workload{ seed = seed, synthetic = kv.session_preset(opt.preset) }
  cols[#cols + 1] = { ("seed %d"):format(seed), S.stats(w, ts.duration) }
end
local all = kv.workload{ seed = 1, synthetic = kv.session_preset(opt.preset) }
cols[#cols + 1] = { "seed 1, all", S.stats(all) }

local rows = {
  { "requests", "requests", "%d" },
  { "sessions (chain rule)", "sessions", "%d" },
  { "sessions (generator's own)", "true_sessions", "%s" },
  { "requests / session, mean", "turns_mean", "%.3f" },
  { "requests / session, p90", "turns_p90", "%d" },
  { "requests / session, max", "turns_max", "%d" },
  { "prompt mean", "prompt_mean", "%.0f" },
  { "prompt p50", "prompt_p50", "%d" },
  { "prompt p99", "prompt_p99", "%d" },
  { "output mean", "output_mean", "%.1f" },
  { "output p50", "output_p50", "%d" },
  { "output p99", "output_p99", "%d" },
  { "arrival rate, req/s", "rate", "%.3f" },
  { "span, s", "duration", "%.0f" },
  { "prompt blocks", "block_refs", "%d" },
  { "block hit rate (unbounded cache)", "block_hit_rate", "%.4f" },
  { "branch turns", "branches", "%d" },
  { "first turns sharing > system prompt", "partial_roots", "%d" },
}
print(("preset %s against %s (%s); generated workloads cut at the trace's span (%.0f s) " ..
  "but the last column"):format(opt.preset, opt.trace, path:match("[^/]+$"), ts.duration))
local head = { "statistic" }
for _, c in ipairs(cols) do head[#head + 1] = c[1] end
print("| " .. table.concat(head, " | ") .. " |")
print("|" .. string.rep(" --- |", #head))
local csv = {}
for _, r in ipairs(rows) do
  local line = { r[1] }
  local crow = { statistic = r[2] }
  for _, c in ipairs(cols) do
    local v = c[2][r[2]]
    line[#line + 1] = v == nil and "-" or (r[3] == "%s" and tostring(v) or r[3]:format(v))
    crow[c[1]] = v == nil and "" or v
  end
  csv[#csv + 1] = crow
  print("| " .. table.concat(line, " | ") .. " |")
end
if opt.out then
  kv.mkdir_p(opt.out)
  kv.write_csv(opt.out .. "/sessions_fit.csv", csv, head)
end
