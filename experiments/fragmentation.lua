-- experiments/fragmentation.lua - how much of the KV memory each placement
-- strategy backs actually holds tokens, on a real conversation trace.
--
-- Llama-3-8B on one H100-SXM-80GB serving the Azure LLM inference
-- conversation trace (2023), under seven strategies: static reservation,
-- paged (16 and 256 tokens), vmm (2 MiB per-layer, 2 MiB all-layers,
-- 64 KiB per-layer) and indirect (64 MiB slabs, 16-token blocks).
-- Writes summary.csv, summary.json, timeline_<label>.csv, util.png and
-- memory.png (used and backed GiB, one panel per strategy) and compares the
-- headline numbers with PagedAttention (SOSP'23), Fig. 2.
--
-- Then the same strategies under memory pressure (issue 15, section 2): the
-- same requests with their arrival gaps divided by --pressure-speedup (4)
-- and --pressure-kv-gib (16) GiB of KV memory instead of the derived
-- ~55.6 GiB, so that the memory a strategy wastes is memory its batch
-- lacks; a second table with throughput, latency, batch and preemptions,
-- into DIR/pressure/ (summary.csv, summary.json, timeline_<label>.csv,
-- pressure.png). --no-pressure skips it. Both settings run in one kv.sweep
-- (so --list shows every run at once).
--
-- --model, --platform and --max-context put another model (a preset or a
-- Hugging Face config.json: a trace of long prompts, such as Mooncake's,
-- needs a model of a long context), GPU or context limit (the run's
-- max_context for every strategy, static's reservation) in place of
-- Llama-3-8B, the H100 and its 8,192 tokens.
--
--   kvsim experiments/fragmentation.lua [TRACE] [--seed N] [--out DIR]
--         [--backend ideal|simgrid] [--requests N] [--jobs N]
--         [--model NAME|FILE] [--platform NAME] [--max-context N]
--         [--synthetic] [--no-plot] [--no-pressure]
--         [--pressure-speedup X] [--pressure-kv-gib G]

local kv = require "kvsim"

local opt = kv.parse_args(arg, {
  prog = "kvsim experiments/fragmentation.lua",
  positional = { name = "TRACE", file = true,
    help = "a trace: Azure or BurstGPT CSV, block-hash JSONL such as Mooncake's (default: the Azure conversation "
      .. "trace, found by kv.trace)" },
  options = {
    { name = "seed", type = "integer", min = 0, default = 1, metavar = "N",
      help = "seed of the runs and of the synthetic fallback" },
    { name = "out", type = "string", default = "results/fragmentation", metavar = "DIR",
      help = "results directory" },
    { name = "backend", type = "string", metavar = "NAME",
      help = "ideal or simgrid (default: kvsim's default backend)" },
    { name = "requests", type = "integer", positive = true, metavar = "N",
      help = "run only the first N requests" },
    { name = "jobs", type = "integer", positive = true, default = 2, metavar = "N",
      help = "runs in parallel" },
    { name = "model", type = "string", default = "llama-3-8b", metavar = "NAME|FILE",
      help = "a model preset (kv.models()) or a Hugging Face config.json" },
    { name = "platform", type = "string", default = "h100-sxm-80gb", metavar = "NAME",
      help = "a platform preset (kv.platforms())" },
    { name = "max-context", type = "integer", positive = true, metavar = "N",
      help = "tokens of context (prompt + output) per request, every strategy (default: the model's)" },
    { name = "synthetic", type = "flag", help = "use the synthetic preset azure-conv even if the file exists" },
    { name = "no-plot", type = "flag", help = "skip the plots (util.png, memory.png, pressure/pressure.png)" },
    { name = "no-pressure", type = "flag", help = "skip the memory-pressure setting (the second table)" },
    { name = "pressure-speedup", type = "number", positive = true, default = 4, metavar = "X",
      help = "pressure setting: arrival rate multiplier of the same requests" },
    { name = "pressure-kv-gib", type = "number", positive = true, default = 16, metavar = "G",
      help = "pressure setting: KV memory per GPU in GiB (instead of the derived capacity)" },
  },
})
if not opt then return end

-- an input's error, said as the option's (no place in this script)
local function input(flag, value, f, ...)
  return kv.option_input("kvsim experiments/fragmentation.lua", flag, value, f, ...)
end
local model = input("--model", opt.model, kv.model,
  opt.model:match("%.json$") and { hf_config = opt.model } or opt.model)
local platform = input("--platform", opt.platform, kv.platform, opt.platform)
-- the context every strategy serves (static reserves it per request)
local max_context = opt.max_context or model.max_context
local workload = kv.trace("azure-conv", {
  path = opt.trace, count = opt.requests, seed = opt.seed, synthetic = opt.synthetic,
})

local KiB, MiB = 1024, 1024 * 1024
local strategies = {
  { label = "static",          strategy = { "static", max_context = max_context } },
  { label = "paged-16",        strategy = { "paged", block_tokens = 16 } },
  { label = "paged-256",       strategy = { "paged", block_tokens = 256 } },
  { label = "vmm-2M-layer",    strategy = { "vmm", page_bytes = 2 * MiB, layout = "per_layer" } },
  { label = "vmm-2M-all",      strategy = { "vmm", page_bytes = 2 * MiB, layout = "all_layers" } },
  { label = "vmm-64K-layer",   strategy = { "vmm", page_bytes = 64 * KiB, layout = "per_layer" } },
  -- the same with vAttention's two remedies: one page mapped ahead by the
  -- background thread (64 KiB of one layer's K = 32 tokens) and deferred
  -- reclamation (a finished request's pages stay mapped for the next one;
  -- they count as backed until reclaimed)
  { label = "vmm-64K-vattn",   strategy = { "vmm", page_bytes = 64 * KiB, layout = "per_layer", map_ahead = 32,
                                            deferred_reclaim = true } },
  { label = "indirect-64M-16", strategy = { "indirect", slab_bytes = 64 * MiB, block_tokens = 16 } },
}

local runs = {}
for i, s in ipairs(strategies) do
  runs[i] = {
    label = s.label, strategy = s.strategy, model = model, platform = platform,
    workload = workload, backend = opt.backend, seed = opt.seed,
    -- (static gives it as its option; the run key once is enough)
    max_context = s.label ~= "static" and opt.max_context or nil,
  }
end

-- The pressure setting: the same requests, arriving opt.pressure_speedup
-- times faster, with opt.pressure_kv_gib GiB of KV memory. Its runs join
-- the same kv.sweep (one round: --list, --shard and --merge see all).
local GiB = 1024 * MiB
local pressure = not opt.no_pressure
local p_workload, p_capacity
if pressure then
  p_workload = kv.trace("azure-conv", {
    path = opt.trace, count = opt.requests, seed = opt.seed, synthetic = opt.synthetic,
    speedup = opt.pressure_speedup,
  })
  p_capacity = math.floor(opt.pressure_kv_gib * GiB + 0.5)
  for i, s in ipairs(strategies) do
    runs[#strategies + i] = {
      label = s.label .. "/pressure", strategy = s.strategy, model = model, platform = platform,
      workload = p_workload, backend = opt.backend, seed = opt.seed, kv_capacity = p_capacity,
      max_context = s.label ~= "static" and opt.max_context or nil,
    }
  end
end

print(("fragmentation: %s on %s, %d requests from %s"):format(
  model.name, platform.name, #workload, workload.source))
local all_results = kv.sweep(runs, { jobs = opt.jobs })
local results, p_results = {}, {}
for i = 1, #strategies do
  results[i] = all_results[i]
  p_results[i] = all_results[#strategies + i]
end
print(("backend %s, seed %d"):format(results[1].backend, opt.seed))
print(kv.rejections(results))

-- ---- table ----
local function pct(v) return ("%.1f%%"):format(100 * v) end
local function ms(v) return ("%.1f"):format(1000 * v) end
local rows = {}
for i, r in ipairs(results) do
  local s = r.summary
  rows[i] = {
    label = r.label, util = s.util_mean, util_peak = s.util_at_peak,
    internal = s.internal_frag_frac, external = s.external_frag_frac,
    peak_req = s.batch_peak, preempt = s.preemptions, vmm = s.vmm_calls,
    drv = s.driver_time_per_token,
    tput = s.throughput, ttft50 = s.ttft_p50, ttft99 = s.ttft_p99,
    tpot50 = s.tpot_p50, tpot99 = s.tpot_p99,
  }
end
print()
print(kv.table(rows, {
  { key = "label", title = "strategy" },
  { key = "util", title = "util mean", fmt = pct },
  { key = "util_peak", title = "util@peak", fmt = pct },
  { key = "internal", title = "int frag", fmt = pct },
  { key = "external", title = "ext frag", fmt = pct },
  { key = "peak_req", title = "peak reqs", fmt = "%.0f" },
  { key = "preempt", title = "preempt", fmt = "%.0f" },
  { key = "vmm", title = "VMM calls", fmt = "%.0f" },
  { key = "drv", title = "drv us/tok", fmt = function(v) return ("%.1f"):format(1e6 * v) end },
  { key = "tput", title = "tok/s", fmt = "%.0f" },
  { key = "ttft50", title = "TTFT p50 ms", fmt = ms },
  { key = "ttft99", title = "TTFT p99 ms", fmt = ms },
  { key = "tpot50", title = "TPOT p50 ms", fmt = ms },
  { key = "tpot99", title = "TPOT p99 ms", fmt = ms },
}))
print("util = used/backed KV bytes (time-weighted mean, and at the step where backed peaks);")
print("int frag = allocated-but-unused / backed; ext frag = free bytes unusable by the next request / capacity;")
print("drv us/tok = VMM driver time the engine waited on per generated token.")
print("vmm-64K-vattn maps ahead in the background and defers reclamation: pages a finished request")
print("leaves mapped count as backed until another request reuses them, so its util is low by design.")

-- ---- files (no wall-clock values in them) ----
kv.mkdir_p(opt.out)
local summary_cols = { "label", "strategy", "backend", "seed" }
for _, m in ipairs(kv.summary_metrics()) do
  summary_cols[#summary_cols + 1] = m.name
end
local sample_cols = {}
for i, m in ipairs(kv.sample_metrics()) do sample_cols[i] = m.name end

-- The plot shows a moving mean of utilization over `window` seconds, over
-- the samples where something is backed (the raw 1 s samples are in the
-- timeline CSVs): per-step noise hides the differences between strategies.
local function smooth(label, tl, window)
  local x, y = {}, {}
  local sum, n, lo = 0, 0, 1
  local q = {}
  for j = 1, #tl.t do
    if tl.backed[j] > 0 then
      q[#q + 1] = j
      sum, n = sum + tl.util[j], n + 1
      while tl.t[q[lo]] < tl.t[j] - window do
        sum, n, lo = sum - tl.util[q[lo]], n - 1, lo + 1
      end
      x[#x + 1], y[#y + 1] = tl.t[j], sum / n
    end
  end
  return { label = label, x = x, y = y }
end

local csv_rows, json_runs, series = {}, {}, {}
for i, r in ipairs(results) do
  local row = { label = r.label, strategy = r.strategy, backend = r.backend, seed = r.seed }
  local summary = {}
  for k, v in pairs(r.summary) do
    summary[k] = v; row[k] = v
  end
  csv_rows[i] = row
  json_runs[i] = { label = r.label, strategy = r.strategy, options = r.options, summary = summary }
  kv.write_csv(("%s/timeline_%s.csv"):format(opt.out, r.label), r.timeline, sample_cols)
  series[i] = smooth(r.label, r.timeline, 30)
end
kv.write_csv(opt.out .. "/summary.csv", csv_rows, summary_cols)
kv.write_json(opt.out .. "/summary.json", {
  experiment = "fragmentation", model = model.name, platform = platform.name,
  workload = workload.source, requests = #workload, backend = results[1].backend,
  seed = opt.seed, runs = json_runs,
})
-- A moving mean over `window` seconds of column `key` of a timeline,
-- divided by `scale` (every sample, up to time `tmax` when given).
local function smooth_col(label, tl, key, window, scale, tmax)
  local x, y = {}, {}
  local sum, lo = 0, 1
  local col = tl[key]
  for j = 1, #tl.t do
    if tmax and tl.t[j] > tmax then break end
    sum = sum + col[j]
    while tl.t[lo] < tl.t[j] - window do
      sum, lo = sum - col[lo], lo + 1
    end
    x[#x + 1], y[#y + 1] = tl.t[j], sum / (j - lo + 1) / scale
  end
  return { label = label, x = x, y = y }
end

local plotted, mem_plotted = false, false
if not opt.no_plot then
  plotted = kv.plot {
    file = opt.out .. "/util.png",
    title = ("KV utilization (used/backed, 30 s moving mean), %s on %s"):format(model.name, platform.name),
    xlabel = "simulated time (s)", ylabel = "used / backed", yrange = { 0, 1.05 },
    series = series,
  }
  -- util.png draws paged-16, vmm-2M-all and indirect-64M-16 on top of each
  -- other at 0.99: one panel per strategy, used and backed GiB.
  -- (each panel its own GiB scale: vmm-64K-layer's queue holds ~40 GiB)
  local panels = {}
  for i, r in ipairs(results) do
    local b = smooth_col("backed", r.timeline, "backed", 30, GiB)
    local u = smooth_col("used", r.timeline, "used", 30, GiB)
    panels[i] = { title = r.label, series = { b, u }, xlabel = "simulated time (s)", ylabel = "GiB",
                  yrange = { 0 }, key = i == 1 and "top right opaque" or false }
  end
  mem_plotted = kv.multiplot {
    file = opt.out .. "/memory.png", layout = { 4, 2 }, width = 1200, height = 1400, panels = panels,
    title = ("KV memory backed and used (GiB, 30 s moving mean), %s on %s"):format(model.name, platform.name),
  }
end
print()
print(("results in %s: summary.csv, summary.json, timeline_<label>.csv%s%s"):format(
  opt.out, plotted and ", util.png" or "", mem_plotted and ", memory.png" or ""))

-- ---- against the literature ----
local by = {}
for _, r in ipairs(results) do by[r.label] = r.summary end
local st, pg = by["static"], by["paged-16"]
local lo, hi = 0.204, 0.382
local function where(v)
  if v < lo then return "below" elseif v > hi then return "above" else return "inside" end
end
print()
print(("Against PagedAttention (SOSP'23, Fig. 2): with static reservation of the maximum "
  .. "context, %s of the reserved KV memory holds tokens on average (%s at peak "
  .. "reservation); the paper measured 20.4-38.2 %% for Orca/FasterTransformer-style "
  .. "systems, so the mean is %s that range. paged-16 keeps %s of its backed memory "
  .. "in use (%s at peak); the paper reports at least 96 %% (under 4 %% waste), "
  .. "which this run %s.")
  :format(pct(st.util_mean), pct(st.util_at_peak), where(st.util_mean),
    pct(pg.util_mean), pct(pg.util_at_peak),
    pg.util_mean >= 0.96 and "meets" or "does not meet"))

-- ---- under memory pressure ----
if not pressure then return end
local pst = p_workload:stats()
local p_rows = {}
for i, r in ipairs(p_results) do
  local s = r.summary
  p_rows[i] = {
    label = strategies[i].label, util = s.util_mean, tput = s.throughput,
    ttft50 = s.ttft_p50, ttft99 = s.ttft_p99, tpot50 = s.tpot_p50, tpot99 = s.tpot_p99,
    batch = s.batch_mean, peak_req = s.batch_peak, preempt = s.preemptions,
    drv = s.driver_time_per_token, sim = s.sim_time,
  }
end
print()
print(("Under memory pressure: the same %d requests arriving %g times faster (%.2f req/s, "
  .. "last arrival at %.0f s) with %g GiB of KV memory (the run above: %.1f GiB); "
  .. "seed %d, backend %s, max %d running requests.")
  :format(#p_workload, opt.pressure_speedup, pst.rate, pst.duration, opt.pressure_kv_gib,
    results[1].summary.capacity / GiB, opt.seed, p_results[1].backend, p_results[1].options.max_num_seqs or 256))
print(kv.rejections(p_results))
print()
print(kv.table(p_rows, {
  { key = "label", title = "strategy" },
  { key = "util", title = "util mean", fmt = pct },
  { key = "tput", title = "tok/s", fmt = "%.0f" },
  { key = "ttft50", title = "TTFT p50 s", fmt = "%.2f" },
  { key = "ttft99", title = "TTFT p99 s", fmt = "%.2f" },
  { key = "tpot50", title = "TPOT p50 ms", fmt = ms },
  { key = "tpot99", title = "TPOT p99 ms", fmt = ms },
  { key = "batch", title = "batch mean", fmt = "%.1f" },
  { key = "peak_req", title = "batch peak", fmt = "%.0f" },
  { key = "preempt", title = "preempt", fmt = "%.0f" },
  { key = "drv", title = "drv us/tok", fmt = function(v) return ("%.1f"):format(1e6 * v) end },
  { key = "sim", title = "sim s", fmt = "%.0f" },
}))
print("tok/s = generated tokens / simulated time until the last request finished; batch = running")
print("requests per step (mean, peak); preempt = recompute preemptions; TTFT in seconds here.")

local p_out = opt.out .. "/pressure"
kv.mkdir_p(p_out)
local p_csv, p_json = {}, {}
for i, r in ipairs(p_results) do
  local row = { label = strategies[i].label, strategy = r.strategy, backend = r.backend, seed = r.seed }
  local summary = {}
  for k, v in pairs(r.summary) do
    summary[k] = v; row[k] = v
  end
  p_csv[i] = row
  p_json[i] = { label = strategies[i].label, strategy = r.strategy, options = r.options, summary = summary }
  kv.write_csv(("%s/timeline_%s.csv"):format(p_out, strategies[i].label), r.timeline, sample_cols)
end
kv.write_csv(p_out .. "/summary.csv", p_csv, summary_cols)
kv.write_json(p_out .. "/summary.json", {
  experiment = "fragmentation-pressure", model = model.name, platform = platform.name,
  workload = p_workload.source, requests = #p_workload, backend = p_results[1].backend,
  seed = opt.seed, speedup = opt.pressure_speedup, kv_capacity = p_capacity,
  arrival_rate = pst.rate, arrival_span = pst.duration, runs = p_json,
})
local p_plotted = false
if not opt.no_plot then
  -- up to 2.5 times the arrival span: a run far slower than that (a
  -- driver-bound one) would squeeze the others into the left edge
  local tmax = 2.5 * pst.duration
  local used, running, waiting = {}, {}, {}
  for i, r in ipairs(p_results) do
    local l = strategies[i].label
    used[i] = smooth_col(l, r.timeline, "used", 10, GiB, tmax)
    running[i] = smooth_col(l, r.timeline, "running", 10, 1, tmax)
    waiting[i] = smooth_col(l, r.timeline, "waiting", 10, 1, tmax)
  end
  local xr = { 0, math.ceil(tmax) }
  p_plotted = kv.multiplot {
    file = p_out .. "/pressure.png", layout = { 3, 1 }, width = 1100, height = 1500,
    title = ("Under pressure: %s on %s, arrivals x%g, %g GiB of KV (10 s moving means)")
      :format(model.name, platform.name, opt.pressure_speedup, opt.pressure_kv_gib),
    panels = {
      { title = ("KV memory holding tokens (used; while requests wait every strategy backs about all %g GiB)")
          :format(opt.pressure_kv_gib), ylabel = "GiB", xlabel = "simulated time (s)", series = used,
        xrange = xr, yrange = { 0, math.ceil(opt.pressure_kv_gib * 1.1) }, key = "outside right" },
      { title = "running requests (batch)", ylabel = "requests", xlabel = "simulated time (s)",
        series = running, xrange = xr, key = "outside right" },
      { title = "waiting requests (queue)", ylabel = "requests", xlabel = "simulated time (s)",
        series = waiting, xrange = xr, key = "outside right" },
    },
  }
end
print()
print(("results in %s: summary.csv, summary.json, timeline_<label>.csv%s"):format(
  p_out, p_plotted and ", pressure.png" or ""))

-- ---- conclusion about the pressure setting ----
local pby = {}
for i, r in ipairs(p_results) do pby[strategies[i].label] = r.summary end
local pst_, ppg = pby["static"], pby["paged-16"]
local function ratio(a, b) return ("%.1f"):format(a / b) end
local function ratio2(a, b) return ("%.2f"):format(a / b) end
local function secs(v) return ("%.3g s"):format(v) end
local parts = {}
parts[#parts + 1] = ("Under pressure (arrivals x%g, %g GiB of KV) paged-16 delivers %s times static's "
  .. "throughput (%.0f against %.0f tok/s): static's %d-token reservations let at most %d requests "
  .. "run (mean %.1f) where paged-16 ran %.1f on average (peak %d), and static's TTFT p99 is %s "
  .. "against %s.")
  :format(opt.pressure_speedup, opt.pressure_kv_gib, ratio(ppg.throughput, pst_.throughput),
    ppg.throughput, pst_.throughput, strategies[1].strategy.max_context,
    pst_.batch_peak, pst_.batch_mean, ppg.batch_mean, ppg.batch_peak, secs(pst_.ttft_p99), secs(ppg.ttft_p99))
local vl, va, ind = pby["vmm-2M-layer"], pby["vmm-2M-all"], pby["indirect-64M-16"]
if vl then
  parts[#parts + 1] = ("vmm-2M-layer, with %s of its backed memory in use, peaks at %d running "
    .. "requests against paged-16's %d and delivers %s times paged-16's throughput "
    .. "(TTFT p99 %s, %d preemptions against %d).")
    :format(pct(vl.util_mean), vl.batch_peak, ppg.batch_peak,
      ratio2(vl.throughput, ppg.throughput), secs(vl.ttft_p99),
      vl.preemptions, ppg.preemptions)
end
if va and ind then
  parts[#parts + 1] = ("The strategies that hold the same bytes (paged-16, vmm-2M-all, "
    .. "indirect-64M-16: %s, %s, %s in use) differ only by their cost per step: vmm-2M-all "
    .. "delivers %s and indirect-64M-16 %s times paged-16's throughput (VMM driver time "
    .. "%.1f and %.1f us per token).")
    :format(pct(ppg.util_mean), pct(va.util_mean), pct(ind.util_mean),
      ratio2(va.throughput, ppg.throughput), ratio2(ind.throughput, ppg.throughput),
      1e6 * va.driver_time_per_token, 1e6 * ind.driver_time_per_token)
end
local vat, v64 = pby["vmm-64K-vattn"], pby["vmm-64K-layer"]
if vat and v64 then
  parts[#parts + 1] = ("vmm-64K-vattn (the pages its deferred reclamation keeps mapped are free "
    .. "for admission) runs %.1f requests per step on average and delivers %s times "
    .. "vmm-64K-layer's throughput (%.0f against %.0f tok/s) and %s times paged-16's: with the "
    .. "memory full, most of its VMM driver time is back on the critical path (%.1f us per token; "
    .. "%.0f s critical, %.0f s in the background).")
    :format(vat.batch_mean, ratio2(vat.throughput, v64.throughput), vat.throughput, v64.throughput,
      ratio2(vat.throughput, ppg.throughput), 1e6 * vat.driver_time_per_token,
      vat.driver_time_critical, vat.driver_time_hidden)
end
print()
print(table.concat(parts, " "))
