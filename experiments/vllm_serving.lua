-- experiments/vllm_serving.lua - what a vLLM v0.15 server would deliver for a
-- model, a GPU and a load: TTFT, the token interval and E2E (mean, p90, p99)
-- and throughput at each arrival rate, predicted with the engine settings
-- and the CPU overheads profile that experiments/vllm_validation.lua checks
-- against public measurements of real vLLM servers
-- (scripts/kvsim/vllm_engine.lua; docs/vllm_validation.md).
--
-- The server: the model (a preset, or a Hugging Face config.json) at --tp on
-- --platform, vLLM's batch defaults for the GPU unless given
-- (--max-num-seqs, --max-num-batched-tokens, --gpu-mem-util), its KV block
-- size (16; 64 for latent attention on an H100 or H200), automatic prefix
-- caching on (--no-prefix-caching turns it off), paged KV blocks, the CPU
-- overheads of --overheads. Each rate is a fresh server, as a load
-- generator's first stage meets it.
--
-- The load: inference-perf's shared_prefix data, the shape of the validated
-- runs (--groups system prompts of --system-prompt tokens, --prompts-per-group
-- questions of --question tokens each, --output tokens per request as with
-- ignore_eos, the prompts taken in a shuffled cycle), Poisson arrivals for
-- --duration seconds; or --trace NAME|FILE, its first --requests requests
-- time-scaled to each rate (their own lengths and arrival pattern).
--
-- Metrics as the validation computes them (scripts/kvsim/vllm_metrics.lua):
-- TTFT from arrival to the first token, the token interval per request
-- ((E2E - TTFT) / (output - 1)), percentiles as numpy takes them. A rate is
-- "saturated" where the server falls behind (when the last request arrives,
-- more than 5 % of the requests, and more than 5, still wait for their first
-- token; or requests are left unfinished); requests the server rejects (longer
-- than the model's context) are counted apart and fail the SLO; the
-- conclusion names the highest rate that meets the SLO (--ttft-p99,
-- --tpot-p99) without saturating.
--
-- Writes into --out: serving.csv (a row per rate), serving.json (the same
-- with the settings and the profile), latency.png (TTFT and token interval
-- against the rate). No wall-clock values in the files.
--
--   kvsim experiments/vllm_serving.lua [--model NAME|config.json] [--tp N]
--         [--platform NAME] [--rates R,R,...] [--duration S] [--groups N]
--         [--prompts-per-group N] [--system-prompt N] [--question N]
--         [--output N] [--trace NAME|FILE] [--requests N]
--         [--max-num-seqs N] [--max-num-batched-tokens N] [--gpu-mem-util F]
--         [--max-model-len N]
--         [--no-prefix-caching] [--fp8] [--overheads FILE] [--ttft-p99 S]
--         [--tpot-p99 S] [--backend simgrid|ideal] [--jobs N] [--seed N]
--         [--out DIR] [--no-plot]

local kv = require "kvsim"
local VE = require "kvsim.vllm_engine"
local VM = require "kvsim.vllm_metrics"

local opt = kv.parse_args(arg, {
  prog = "kvsim experiments/vllm_serving.lua",
  options = {
    { name = "model", type = "string", default = "llama-3.1-8b", metavar = "NAME|FILE",
      help = "a model preset (kv.models()) or a Hugging Face config.json" },
    { name = "tp", type = "integer", positive = true, default = 1, metavar = "N", help = "tensor-parallel GPUs" },
    { name = "platform", type = "string", default = "h100-sxm-80gb", metavar = "NAME",
      help = "a platform preset (kv.platforms()) or a calibration file" },
    { name = "rates", type = "string", default = "2,4,8,12,16,20", metavar = "R,R,...",
      help = "arrival rates, requests per second" },
    { name = "duration", type = "number", positive = true, default = 300, metavar = "S",
      help = "seconds of arrivals per rate (shared_prefix load)" },
    { name = "groups", type = "integer", positive = true, default = 10, metavar = "N",
      help = "system prompts (inference-perf's num_groups)" },
    { name = "prompts-per-group", type = "integer", positive = true, default = 10, metavar = "N",
      help = "prompts per system prompt (num_prompts_per_group)" },
    { name = "system-prompt", type = "integer", min = 0, default = 100, metavar = "N",
      help = "tokens of each system prompt" },
    { name = "question", type = "integer", positive = true, default = 447, metavar = "N",
      help = "tokens of each question" },
    { name = "output", type = "integer", positive = true, default = 248, metavar = "N",
      help = "tokens generated per request (ignore_eos)" },
    { name = "trace", type = "string", metavar = "NAME|FILE",
      help = "a trace instead of the shared_prefix load, time-scaled to each rate" },
    { name = "requests", type = "integer", positive = true, default = 2000, metavar = "N",
      help = "with --trace: its first N requests" },
    { name = "max-num-seqs", type = "integer", positive = true, metavar = "N",
      help = "vLLM's max_num_seqs (default: vLLM's for the GPU)" },
    { name = "max-num-batched-tokens", type = "integer", positive = true, metavar = "N",
      help = "vLLM's max_num_batched_tokens (default: vLLM's for the GPU)" },
    { name = "gpu-mem-util", type = "number", min = 0.01, max = 1, metavar = "F",
      help = "vLLM's gpu_memory_utilization (default 0.9)" },
    { name = "max-model-len", type = "integer", positive = true, metavar = "N",
      help = "vLLM's max_model_len: longer requests are rejected (default: the model's context)" },
    { name = "no-prefix-caching", type = "flag", help = "turn automatic prefix caching off" },
    { name = "fp8", type = "flag", help = "FP8 weights (vLLM's --quantization fp8: one byte per weight, the GEMMs "
      .. "at the platform's FP8 rate)" },
    { name = "overheads", type = "string", default = VE.DEFAULT_PROFILE, metavar = "FILE",
      help = "the CPU overheads profile (experiments/vllm_validation.lua --fit writes one)" },
    { name = "ttft-p99", type = "number", positive = true, default = 2, metavar = "S",
      help = "SLO: TTFT p99 bound, seconds" },
    { name = "tpot-p99", type = "number", positive = true, default = 0.1, metavar = "S",
      help = "SLO: token interval p99 bound, seconds" },
    { name = "backend", type = "string", default = "simgrid", metavar = "NAME",
      help = "simgrid (as the validation) or ideal" },
    { name = "jobs", type = "integer", positive = true, default = 2, metavar = "N", help = "runs in parallel" },
    { name = "seed", type = "integer", positive = true, default = 1, metavar = "N", help = "seed" },
    { name = "out", type = "string", default = "results/vllm_serving", metavar = "DIR", help = "results directory" },
    { name = "no-plot", type = "flag", help = "skip the plot" },
  },
})
if not opt then return end

local function usage_error(msg) error(msg .. "\n(kvsim experiments/vllm_serving.lua --help lists the options)", 0) end
if opt.backend ~= "simgrid" and opt.backend ~= "ideal" then
  usage_error(("--backend must be simgrid or ideal, got '%s'"):format(opt.backend))
end
local rates = {}
for item in opt.rates:gmatch("[^,]+") do
  local r = tonumber(item)
  if not r or r <= 0 or r ~= r or r == math.huge then
    usage_error(("--rates: '%s' is not a positive number of requests per second"):format(item))
  end
  rates[#rates + 1] = r
end
if #rates == 0 then usage_error("--rates: no rate given") end
table.sort(rates)

-- ---- the server ----
-- an input's error, said as the option's (no place in this script)
local function input(flag, value, f, ...)
  return kv.option_input("kvsim experiments/vllm_serving.lua", flag, value, f, ...)
end
local model = input("--model", opt.model, kv.model,
  opt.model:match("%.json$") and { hf_config = opt.model, weight_bytes = opt.fp8 and 1 or nil }
    or (opt.fp8 and { base = opt.model, weight_bytes = 1 } or opt.model))
local platform = input("--platform", opt.platform, kv.platform,
  opt.platform:match("%.lua$") and { file = opt.platform } or opt.platform)
local profile = VE.load_profile(opt.overheads)
-- compute at the rate the profile's terms were fitted over (its compute.flops_scale)
platform = VE.platform(platform, profile)
local keys = VE.run_keys { platform = platform, profile = profile, max_num_seqs = opt.max_num_seqs,
  max_batch_tokens = opt.max_num_batched_tokens, gpu_mem_util = opt.gpu_mem_util }
local block = VE.block_tokens(model, platform)
local sharing = not opt.no_prefix_caching

-- what the prediction stands on, said with it: the profile's fit, and
-- where this server lies beyond it
local caveats = {}
if profile.platform and profile.platform ~= platform.name then
  caveats[#caveats + 1] = ("the profile was fitted on %s servers, this is %s"):format(profile.platform, platform.name)
end
if profile.subset.max_tp and opt.tp > profile.subset.max_tp then
  caveats[#caveats + 1] = ("TP %d is beyond the fit's largest (%d): per_worker is not extrapolated")
    :format(opt.tp, profile.subset.max_tp)
end
if model.active_params < model.params then
  caveats[#caveats + 1] = "a mixture of experts: its steps are priced by the roofline over the experts touched, "
    .. "which the validation found short on Mixtral's first-stage tails"
end
if (model.mla_latent or 0) > 0 then
  caveats[#caveats + 1] = ("latent attention: KV blocks of %d tokens; no validated run has MLA"):format(block)
end
-- per_worker against a cost per layer: the fit cannot tell them apart, and
-- they part on a server whose layers and TP do not grow together
local reading = VE.per_layer_reading(profile, model.layers, opt.tp)
if reading and math.abs(reading.per_layer - reading.profile) >= 1e-4 then
  local d = reading.per_layer - reading.profile
  caveats[#caveats + 1] = ("the profile's per_worker was fitted on servers whose layers grew with their TP (%g "
    .. "layers at TP 1, %g more per GPU): read as a cost per layer instead, this server's %d layers at TP %d "
    .. "would spend %.2f ms of fixed CPU time a step, not %.2f, and every token interval %.2f ms %s (docs/vllm_validation.md, "
    .. "\"What it cannot tell\")"):format(reading.line.a, reading.line.b, model.layers, opt.tp,
    reading.per_layer * 1e3, reading.profile * 1e3, math.abs(d) * 1e3, d < 0 and "shorter" or "longer")
end

-- ---- the load ----
local trace_path, trace_rate
if opt.trace then
  -- a file, or a trace kvsim knows by name in the data directories (a real
  -- file only: no synthetic stand-in for a prediction of latencies)
  local f = io.open(opt.trace, "r")
  if f then
    f:close()
    trace_path = opt.trace
  else
    local found, dirs = kv.find_trace(opt.trace)
    if not found then
      usage_error(("--trace %s: no such file, and no trace of that name in %s"):format(opt.trace,
        table.concat(dirs or {}, ", ")))
    end
    trace_path = found
  end
  local w = input("--trace", opt.trace, kv.workload, { trace = trace_path, count = opt.requests })
  trace_rate = w:stats().rate
  if not (trace_rate > 0) then usage_error(("--trace %s: no arrival rate (one request?)"):format(opt.trace)) end
  -- prefix caching needs the prompts' block ids (a Mooncake-style trace has
  -- them; an Azure or BurstGPT trace gives lengths only)
  local has_ids = false
  for i = 1, math.min(#w, 100) do
    local ids = w:ids(i)
    if ids and #ids > 0 then has_ids = true break end
  end
  if sharing and not has_ids then
    sharing = false
    caveats[#caveats + 1] = "the trace names no prompt blocks: prefix caching has nothing to share (off)"
  end
end
local function workload(rate)
  if trace_path then
    return kv.workload { trace = trace_path, count = opt.requests, speedup = rate / trace_rate }
  end
  return kv.workload { seed = opt.seed, synthetic = {
    rate = rate, duration = opt.duration, arrival = "poisson", output = opt.output,
    prefix = { groups = opt.groups, prompts_per_group = opt.prompts_per_group, system_prompt = opt.system_prompt,
               question = opt.question, order = "shuffle", block = block },
  } }
end

-- ---- the runs ----
local cfgs, loads = {}, {}
for i, rate in ipairs(rates) do
  local w = workload(rate)
  loads[i] = { n = #w, source = w.source, offered = 0 }
  local s = w:stats()
  loads[i].offered = s.rate * s.output_mean
  local cfg = {
    label = ("rate %g"):format(rate), model = model, platform = platform, workload = w, tp = opt.tp,
    backend = opt.backend, strategy = { "paged", block_tokens = block }, prefix_sharing = sharing or nil,
    max_context = opt.max_model_len, seed = opt.seed, requests = true,
  }
  for k, v in pairs(keys) do cfg[k] = v end
  cfgs[i] = cfg
end
io.stderr:write(("[vllm_serving] %d rates, %s backend, %d jobs\n"):format(#rates, opt.backend, opt.jobs))
local res = kv.sweep(cfgs, { jobs = opt.jobs })
if #res.failed > 0 then
  error(("vllm_serving: %s failed: %s"):format(res.failed[1].label, res.failed[1].error), 0)
end

local rows = {}
for i, r in ipairs(res) do
  local p = VM.predicted_of({ r }, {})
  local s = r.summary
  local row = {
    rate = rates[i], requests = loads[i].n, completed = p.completed, unfinished = s.unfinished,
    rejected = s.rejected, ttft_mean = p.ttft_mean, ttft_p50 = p.ladder.ttft.median, ttft_p90 = p.ttft_p90,
    ttft_p99 = p.ttft_p99, itl_mean = p.itl_mean, tpot_p50 = p.ladder.tpot.median, tpot_p90 = p.tpot_p90,
    tpot_p99 = p.tpot_p99, e2e_mean = p.e2e_mean, e2e_p90 = p.e2e_p90, e2e_p99 = p.e2e_p99,
    throughput = p.tput, offered = loads[i].offered, batch_mean = s.batch_mean, batch_peak = s.batch_peak,
    preemptions = s.preemptions, kv_gib = s.capacity / 2 ^ 30, prefix_hit_rate = r.tier.prefix_hit_rate,
    cpu_time = s.cpu_time, sim_time = s.sim_time, compute_model = s.compute_model,
  }
  -- falling behind: at the last arrival, more requests wait for their first
  -- token than a server that keeps up holds there (its queue is about rate x
  -- TTFT, a few requests): over 5 % of the run's requests, and at least 5
  local q, last = r.requests, -math.huge
  for k = 1, #q.arrival do last = math.max(last, q.arrival[k]) end
  local backlog = 0
  for k = 1, #q.arrival do
    if not q.rejected[k] and not (q.first_token[k] <= last) then backlog = backlog + 1 end
  end
  row.backlog = backlog
  row.saturated = row.unfinished > 0 or backlog > math.max(5, 0.05 * #q.arrival)
  row.meets_slo = not row.saturated and row.rejected == 0 and row.ttft_p99 <= opt.ttft_p99
    and row.tpot_p99 <= opt.tpot_p99
  rows[i] = row
end

-- ---- the table ----
print(("vLLM v0.15 server, predicted: %s%s at TP %d on %s, %s backend, seed %d"):format(model.name,
  model.weight_bytes == 1 and " (FP8 weights)" or "", opt.tp, platform.name, opt.backend, opt.seed))
print(("  max_num_seqs %d, max_num_batched_tokens %d, gpu_memory_utilization %g, max_model_len %d, KV blocks "
  .. "of %d tokens, prefix caching %s"):format(keys.max_num_seqs, keys.max_batch_tokens, keys.gpu_mem_util,
  opt.max_model_len or model.max_context, block, sharing and "on" or "off"))
print(("  CPU overheads: %s (profile %s, fitted on %d runs: %s)%s"):format(opt.overheads, profile.profile,
  #profile.subset.runs, table.concat(profile.subset.runs, ", "), VE.flops_scale(profile) ~= 1
    and ("; compute at flops x %g, the rate its terms were fitted over"):format(VE.flops_scale(profile)) or ""))
if trace_path then
  print(("  load: %s, first %d requests, time-scaled to each rate"):format(trace_path, opt.requests))
else
  print(("  load: inference-perf shared_prefix, %d x %d prompts of %d + %d tokens, %d output tokens, Poisson for "
    .. "%g s"):format(opt.groups, opt.prompts_per_group, opt.system_prompt, opt.question, opt.output, opt.duration))
end
for _, c in ipairs(caveats) do print("  note: " .. c) end
local function ms(v) return v and v == v and ("%.1f"):format(1e3 * v) or "-" end
local function s2(v) return v and v == v and ("%.2f"):format(v) or "-" end
local trows = {}
for _, r in ipairs(rows) do
  trows[#trows + 1] = {
    rate = r.rate, ttft = ms(r.ttft_mean), ttft50 = ms(r.ttft_p50), ttft99 = ms(r.ttft_p99), itl = ms(r.itl_mean),
    tpot99 = ms(r.tpot_p99), e2e = s2(r.e2e_mean), e2e99 = s2(r.e2e_p99),
    tput = ("%.0f"):format(r.throughput), batch = ("%.1f"):format(r.batch_mean),
    pre = r.preemptions, hit = sharing and ("%.1f %%"):format(100 * r.prefix_hit_rate) or "-",
    state = r.saturated and "SATURATED" or r.rejected > 0 and ("%d rejected"):format(r.rejected)
      or (r.meets_slo and "meets SLO" or "misses SLO"),
  }
end
print(kv.table(trows, {
  { key = "rate", title = "req/s", fmt = "%g" },
  { key = "ttft", title = "TTFT mean ms" }, { key = "ttft50", title = "p50" }, { key = "ttft99", title = "p99" },
  { key = "itl", title = "ITL mean ms" }, { key = "tpot99", title = "p99" },
  { key = "e2e", title = "E2E mean s" }, { key = "e2e99", title = "p99" },
  { key = "tput", title = "tok/s" }, { key = "batch", title = "batch" }, { key = "pre", title = "preempt" },
  { key = "hit", title = "prefix hits" }, { key = "state", title = "" },
}))

-- ---- files ----
kv.mkdir_p(opt.out)
local cols = { "rate", "requests", "completed", "unfinished", "rejected", "backlog", "saturated", "meets_slo",
  "ttft_mean",
  "ttft_p50", "ttft_p90", "ttft_p99", "itl_mean", "tpot_p50", "tpot_p90", "tpot_p99", "e2e_mean", "e2e_p90",
  "e2e_p99", "throughput", "offered", "batch_mean", "batch_peak", "preemptions", "kv_gib", "prefix_hit_rate",
  "cpu_time", "sim_time", "compute_model" }
kv.write_csv(opt.out .. "/serving.csv", rows, cols)
kv.write_json(opt.out .. "/serving.json", {
  experiment = "vllm_serving", model = model.name, weight_bytes = model.weight_bytes, tp = opt.tp,
  platform = platform.name,
  platform_source = platform.source, backend = opt.backend, seed = opt.seed,
  engine = { max_num_seqs = keys.max_num_seqs, max_num_batched_tokens = keys.max_batch_tokens,
             max_model_len = opt.max_model_len or model.max_context,
             gpu_memory_utilization = keys.gpu_mem_util, block_size = block, prefix_caching = sharing,
             overheads = keys.overheads },
  profile = { file = opt.overheads, profile = profile.profile, subset = profile.subset,
    flops_scale = VE.flops_scale(profile) ~= 1 and VE.flops_scale(profile) or nil },
  load = trace_path and { trace = trace_path, requests = opt.requests }
    or { shared_prefix = { groups = opt.groups, prompts_per_group = opt.prompts_per_group,
                           system_prompt = opt.system_prompt, question = opt.question, output = opt.output },
         arrival = "poisson", duration = opt.duration },
  slo = { ttft_p99 = opt.ttft_p99, tpot_p99 = opt.tpot_p99 }, notes = caveats, rates = rows,
})
local plotted = false
if not opt.no_plot then
  local function series(key, label)
    local s = { label = label, x = {}, y = {} }
    for _, r in ipairs(rows) do
      if r[key] == r[key] then s.x[#s.x + 1], s.y[#s.y + 1] = r.rate, 1e3 * r[key] end
    end
    return s
  end
  plotted = kv.multiplot {
    file = opt.out .. "/latency.png", layout = { 1, 2 }, width = 1200, height = 500,
    title = ("vLLM v0.15, predicted: %s TP %d on %s"):format(model.name, opt.tp, platform.name),
    panels = {
      { title = "time to first token", xlabel = "arrival rate (req/s)", ylabel = "ms", logy = true,
        series = { series("ttft_p50", "p50"), series("ttft_mean", "mean"), series("ttft_p99", "p99") } },
      { title = "token interval", xlabel = "arrival rate (req/s)", ylabel = "ms",
        series = { series("tpot_p50", "p50"), series("itl_mean", "mean"), series("tpot_p99", "p99") } },
    },
  }
end
print()
print(("results in %s: serving.csv, serving.json%s"):format(opt.out, plotted and ", latency.png" or ""))

-- ---- conclusion, computed from the numbers ----
local best, first_sat
for _, r in ipairs(rows) do
  if r.meets_slo then best = r end
  if r.saturated and not first_sat then first_sat = r end
end
print()
print("Conclusion")
if best then
  print(("- The highest rate tried that meets the SLO (TTFT p99 <= %g s, token interval p99 <= %g ms) without "
    .. "falling behind: %g req/s (TTFT p99 %s ms, token interval p99 %s ms, %.1f requests per step)."):format(
    opt.ttft_p99, 1e3 * opt.tpot_p99, best.rate, ms(best.ttft_p99), ms(best.tpot_p99), best.batch_mean))
else
  print(("- No rate tried meets the SLO (TTFT p99 <= %g s, token interval p99 <= %g ms)."):format(
    opt.ttft_p99, 1e3 * opt.tpot_p99))
end
local rej = 0
for _, r in ipairs(rows) do rej = math.max(rej, r.rejected) end
if rej > 0 then
  print(("- Up to %d requests per rate are longer than max_model_len (%d tokens) and rejected, as vLLM rejects "
    .. "them; a rate with rejections fails the SLO (--max-model-len, or a model of a longer context)."):format(
    rej, opt.max_model_len or model.max_context))
end
if first_sat then
  print(("- The server falls behind from %g req/s: %d of its %d requests still wait for their first token when "
    .. "the last one arrives%s.")
    :format(first_sat.rate, first_sat.backlog, first_sat.requests,
      first_sat.unfinished > 0 and (", %d are left unfinished"):format(first_sat.unfinished) or ""))
else
  print(("- The server keeps up at every rate tried (up to %g req/s)."):format(rates[#rates]))
end
print(("- These are predictions of kvsim's vLLM model with the profile %s, fitted on %d public vLLM runs; "
  .. "`kvsim experiments/vllm_validation.lua` measures its errors on the runs held out of that fit "
  .. "(docs/vllm_validation.md). Other models, GPUs and loads than those runs' are extrapolations."):format(
  profile.profile, #profile.subset.runs))
