-- experiments/validate.lua - the simulator against a real GPU, step by step.
--
-- Reads what gpu/validate_gpu measured on a GPU (a closed batch of requests
-- through seven strategy configurations, every step timed with CUDA events
-- and the monotonic clock) together with the platform kvsim-calibrate wrote
-- in the same device session, replays the identical requests and
-- configurations on the SimGrid backend with that platform, checks that
-- both ran the same schedule, and prints each measured quantity beside the
-- simulated one with its error. Writes report.txt and report.csv into the
-- data folder (or --out).
--
--   kvsim experiments/validate.lua [--data DIR] [--repeats DIR,DIR...]
--         [--platform FILE] [--out DIR] [--backend simgrid|ideal] [--jobs N]
--
-- With --repeats, the same configurations measured again (other
-- validate_gpu runs in the same device session): each measured quantity is
-- the median over all runs, and the report adds how far the runs are apart
-- (the measurement's own noise). Per-step errors use DIR.
--
-- docs/validation.md describes the method and the results.

local kv = require "kvsim"
local V = require "kvsim.validation"

local opt = kv.parse_args(arg, {
  prog = "kvsim experiments/validate.lua",
  options = {
    { name = "data", type = "string", default = "results/2026-11-22-h100-validate-2", metavar = "DIR",
      help = "what validate_gpu wrote" },
    { name = "repeats", type = "string", metavar = "DIR,DIR...",
      help = "more validate_gpu runs of the same configurations: measured = median over all" },
    { name = "platform", type = "string", metavar = "FILE",
      help = "calibrated platform (default: *-measured.lua in DIR or DIR/..)" },
    { name = "out", type = "string", metavar = "DIR",
      help = "where report.txt and report.csv go (default: DIR)" },
    { name = "backend", type = "string", default = "simgrid", metavar = "NAME", help = "simgrid or ideal" },
    { name = "jobs", type = "integer", positive = true, default = 2, metavar = "N",
      help = "simulations in parallel" },
  },
})
if not opt then return end
opt.out = opt.out or opt.data

-- ---- reading the measured side ----

local function exists(path)
  local f = io.open(path, "r")
  if f then f:close() return true end
  return false
end

-- A CSV of numbers with a header (no quoting: validate_gpu writes none).
-- Returns a list of rows keyed by column name; non-numbers stay strings.
local function read_csv(path)
  local f, msg = io.open(path, "r")
  if not f then error(msg, 0) end
  local header, rows, lineno = nil, {}, 0
  for line in f:lines() do
    lineno = lineno + 1
    line = line:gsub("\r$", "")
    if line ~= "" then
      local cells = {}
      for c in (line .. ","):gmatch("([^,]*),") do cells[#cells + 1] = c end
      if not header then
        header = cells
      else
        if #cells ~= #header then
          f:close()
          error(("%s:%d: %d fields, the header has %d"):format(path, lineno, #cells, #header), 0)
        end
        local row = {}
        for k, name in ipairs(header) do row[name] = tonumber(cells[k]) or cells[k] end
        rows[#rows + 1] = row
      end
    end
  end
  f:close()
  return rows
end

local setup_path = opt.data .. "/setup.lua"
if not exists(setup_path) then
  error(("%s: not found (run gpu/validate_gpu --out %s on a GPU first; docs/validation.md)")
    :format(setup_path, opt.data), 0)
end
local setup = dofile(setup_path)

if not opt.platform then
  for _, dir in ipairs { opt.data, opt.data .. "/.." } do
    for _, name in ipairs { "h100-measured.lua", "h200-measured.lua" } do
      if not opt.platform and exists(dir .. "/" .. name) then opt.platform = dir .. "/" .. name end
    end
  end
  if not opt.platform then
    error("no calibrated platform (*-measured.lua) in " .. opt.data .. " or its parent: give --platform FILE", 0)
  end
end

local platform = kv.platform { file = opt.platform }
-- The GPU backend's compute stand-in reads every weight each step, the
-- whole embedding table included (gpu/gpu_compute.c standin_exec); a model
-- with tied embeddings reads the same (kv_model_embed_params is 0), so the
-- replay of a GPU run prices the traffic its steps had. A run on the ideal
-- backend (validate_gpu --ideal) priced the model as it is.
local model = kv.model { base = setup.model, tied_embeddings = setup.backend == "gpu" and 1 or nil }
local workload = kv.workload { trace = opt.data .. "/workload.csv" }

-- The calibration's host_bw is a one-thread memcpy (its file says "a lower
-- bound"), far below what the copy engines pull through host DRAM; the same
-- calibration's duplex copy moved more than that through DRAM at once. The
-- second variant takes host_bw from that duplex figure of the same file:
-- a calibration measurement, not a fit to the validation data.
local duplex
do
  local f = assert(io.open(opt.platform, "r"))
  local text = f:read("a")
  f:close()
  local v = text:match("duplex %(256 MiB each way at once%): ([%d%.]+) GB/s")
  duplex = v and tonumber(v) * 1e9
end
local variants = { { name = "calibrated", platform = platform,
  doc = ("%s as written (host_bw %.1f GB/s)"):format(opt.platform, platform.host_bw / 1e9) } }
if duplex and duplex > platform.host_bw then
  variants[2] = { name = "host_bw=duplex",
    platform = kv.platform { file = opt.platform, host_bw = duplex },
    doc = ("the same with host_bw = the calibration's duplex copy rate, %.1f GB/s"):format(duplex / 1e9) }
end

-- The calibration's measured tables (VMM calls by size with their busy
-- and after-step contexts, copies by size per direction, SM copies by SMs),
-- read from the text report beside the platform file: the cost model's
-- curves, still from the calibration only.
do
  local report = opt.platform:gsub("[^/]*$", "") .. "calibrate.txt"
  local f = io.open(report, "r")
  if f then
    f:close()
    local cal = kv.calibration.read(report)
    local t = kv.calibration.platform_fields(cal, nil)
    t.name = platform.name
    for _, k in ipairs{ "gpus_per_server", "servers", "gpus_per_uplink", "uplink_bw", "nvlink_bw",
                        "nvlink_lat", "nic_bw", "nic_lat" } do t[k] = platform[k] end
    variants[#variants + 1] = { name = "measured tables", platform = kv.platform(t),
      doc = ("the calibration's measured curves, read from %s"):format(report) }
  end
end

local function read_summary(dir)
  local m = {}
  for _, row in ipairs(read_csv(dir .. "/summary.csv")) do
    m[row.label] = row -- the last row of a label wins (rows are appended)
  end
  return m
end
local measured = read_summary(opt.data)
local repeat_dirs = {}
if opt.repeats then
  for d in opt.repeats:gmatch("[^,]+") do
    if not exists(d .. "/summary.csv") then
      error(("--repeats: %s/summary.csv: not found"):format(d), 0)
    end
    repeat_dirs[#repeat_dirs + 1] = d
  end
end

-- ---- the simulated side: the same runs ----

local configs = {}
for _, c in ipairs(setup.configs) do
  if measured[c.label] then configs[#configs + 1] = c end
end
if #configs == 0 then error(opt.data .. "/summary.csv names no configuration of setup.lua", 0) end
local runs = {}
for _, v in ipairs(variants) do
  for _, c in ipairs(configs) do
    local e = setup.engine
    runs[#runs + 1] = {
      label = c.label, strategy = c.strategy, model = model, platform = v.platform,
      workload = workload, backend = opt.backend, seed = e.seed,
      kv_capacity = e.kv_capacity, host_bytes = e.host_bytes, preempt = e.preempt,
      max_batch_tokens = e.max_batch_tokens, max_num_seqs = e.max_num_seqs,
      check = e.check, timeline_interval = 0,
      -- the measured runs were made by the engine before its admission
      -- watermark existed: replay them with the engine they ran
      watermark = e.watermark or 0,
    }
  end
end

local lines = {}
local function say(fmt, ...)
  local s = select("#", ...) > 0 and fmt:format(...) or fmt
  lines[#lines + 1] = s
  print(s)
end

say("validate: %s, %d requests at t=0 from %s; %d configurations measured on the %s backend",
  model.name, #workload, opt.data .. "/workload.csv", #configs, setup.backend)
say("platform: %s", platform.source)
for k, v in ipairs(variants) do say("  simulation %d (%s): %s", k, v.name, v.doc) end
local all = kv.sweep(runs, { jobs = opt.jobs })
say("simulated on: %s", all[1].backend_config or all[1].backend)
say("%s", kv.rejections(all))

-- ---- comparison ----

local function quantile(v, q)
  local s = {}
  for i = 1, #v do s[i] = v[i] end
  table.sort(s)
  if #s == 0 then return 0 end
  local k = math.max(1, math.ceil(q * #s)) -- nearest rank
  return s[k]
end

local function err_pct(gpu, sim)
  if gpu == 0 and sim == 0 then return nil end
  if gpu == 0 then return math.huge end
  return 100 * (sim - gpu) / gpu
end

-- equal up to the 9 significant digits of the CSV
local function same(a, b) return math.abs(a - b) <= 1e-8 * math.max(math.abs(a), math.abs(b)) end

local vmm_kinds = { "vmm_reserve", "vmm_create", "vmm_map", "vmm_set_access", "vmm_unmap",
  "vmm_release", "vmm_free_va" }
local per_call_const = {
  vmm_reserve = "vmm_reserve", vmm_free_va = "vmm_reserve", vmm_create = "vmm_create",
  vmm_map = "vmm_map", vmm_set_access = "vmm_set_access", vmm_unmap = "vmm_unmap",
  vmm_release = "vmm_release",
}

-- The measured side, per configuration: timeline and step records, of
-- DIR and of each repeat.
local function load_run(dir, summary, label)
  local steps = {}
  for _, st in ipairs(read_csv(("%s/steps_%s.csv"):format(dir, label))) do
    if st.engine_step > 0 then steps[#steps + 1] = st end
  end
  return { summary = summary, steps = steps,
    timeline = read_csv(("%s/timeline_%s.csv"):format(dir, label)) }
end
local gpu, gpu_rep = {}, {}
for _, c in ipairs(configs) do
  gpu[c.label] = load_run(opt.data, measured[c.label], c.label)
end
for k, d in ipairs(repeat_dirs) do
  local m = read_summary(d)
  gpu_rep[k] = {}
  for _, c in ipairs(configs) do
    if not m[c.label] then error(("--repeats: %s/summary.csv has no row for %s"):format(d, c.label), 0) end
    gpu_rep[k][c.label] = load_run(d, m[c.label], c.label)
  end
end

-- Quantities of one configuration: list of { quantity, unit, gpu, sim }.
-- Also checks the schedule and returns the per-step errors of the step time.
local function compare(c, r)
  local g, s = gpu[c.label].summary, r.summary
  local gtl, gsteps, stl = gpu[c.label].timeline, gpu[c.label].steps, r.timeline
  local n = #stl.step
  local mismatch = 0
  if #gtl ~= n or #gsteps ~= n then
    mismatch = math.abs(#gtl - n) + 1
  else
    for j = 1, n do
      if gtl[j].batch_tokens ~= stl.batch_tokens[j] or not same(gtl[j].used, stl.used[j])
        or not same(gtl[j].backed, stl.backed[j]) then
        mismatch = mismatch + 1
      end
    end
  end
  local note
  if mismatch > 0 or g.steps ~= s.steps or g.vmm_calls ~= s.vmm_calls or g.copy_runs ~= s.copy_runs then
    note = ("%s: the schedules differ (GPU %d steps, simulation %d; %d steps with other tokens or "
      .. "bytes; VMM calls %d vs %d, copy runs %d vs %d): per-step errors are not comparable")
      :format(c.label, #gtl, n, mismatch, g.vmm_calls, s.vmm_calls, g.copy_runs, s.copy_runs)
  end
  local paired, s_step, s_swap = {}, {}, 0
  for j = 1, math.min(#gtl, n) do
    s_step[j] = stl.step_time[j]
    paired[j] = math.abs(s_step[j] - gtl[j].step_time) / gtl[j].step_time * 100
    if gsteps[j] and gsteps[j].copy_bytes > 0 then s_swap = s_swap + stl.op_time[j] end
  end
  -- the measured value of each quantity in one run (DIR or a repeat), over
  -- the steps both sides have
  local function measured_q(run)
    local rg, rt, rs = run.summary, run.timeline, run.steps
    local steps, swap = {}, 0
    for j = 1, math.min(#rt, n) do
      steps[j] = rt[j].step_time
      if rs[j] and rs[j].copy_bytes > 0 then swap = swap + rt[j].op_time end
    end
    local m = { ["total time"] = rg.sim_time, ["step time p50"] = quantile(steps, 0.5),
      ["step time p90"] = quantile(steps, 0.9), ["compute time"] = rg.compute_time,
      ["copy time"] = rg.time_copy, ["table_write time"] = rg.time_table_write,
      ["driver time critical"] = rg.driver_time_critical,
      ["driver time hidden"] = rg.driver_time_hidden, ["swap steps op time"] = swap }
    for _, k in ipairs(vmm_kinds) do m[k .. " time"] = rg["time_" .. k] end
    return m
  end
  local runs_m = { measured_q(gpu[c.label]) }
  for k = 1, #gpu_rep do runs_m[#runs_m + 1] = measured_q(gpu_rep[k][c.label]) end
  -- measured = the median over the runs; spread only with repeats
  local q = {}
  local function add(name, sv)
    local v, lo, hi = {}, math.huge, -math.huge
    for k = 1, #runs_m do
      local x = runs_m[k][name] or 0
      v[k], lo, hi = x, math.min(lo, x), math.max(hi, x)
    end
    table.sort(v)
    local mid = #v % 2 == 1 and v[(#v + 1) // 2] or (v[#v // 2] + v[#v // 2 + 1]) / 2
    if mid ~= 0 or sv ~= 0 then
      q[#q + 1] = { quantity = name, unit = "s", gpu = mid, sim = sv,
        spread = #runs_m > 1 and (mid ~= 0 and 100 * (hi - lo) / mid or 0) or nil }
    end
  end
  add("total time", s.sim_time)
  add("step time p50", quantile(s_step, 0.5))
  add("step time p90", quantile(s_step, 0.9))
  add("compute time", s.compute_time)
  for _, k in ipairs(vmm_kinds) do add(k .. " time", s.op_time[k]) end
  add("copy time", s.op_time.copy)
  add("table_write time", s.op_time.table_write)
  add("driver time critical", s.driver_time_critical)
  add("driver time hidden", s.driver_time_hidden)
  add("swap steps op time", s_swap)
  return q, note, quantile(paired, 0.5), quantile(paired, 0.9), n
end

local rows, notes, stats = {}, {}, {}
local schedule_ok = true
local max_flop_ratio = 0
for vi, v in ipairs(variants) do
  for ci, c in ipairs(configs) do
    local r = all[(vi - 1) * #configs + ci]
    local q, note, p50, p90, n = compare(c, r)
    if note then
      schedule_ok = false
      if vi == 1 then notes[#notes + 1] = note end
    end
    stats[vi .. c.label] = { p50 = p50, p90 = p90, steps = n }
    for _, x in ipairs(q) do
      x.label, x.variant, x.err = c.label, vi, err_pct(x.gpu, x.sim)
      rows[#rows + 1] = x
    end
  end
end
-- the stand-in does no FLOPs: every step should be memory-bound in the model
for _, c in ipairs(configs) do
  for _, st in ipairs(gpu[c.label].steps) do
    local ratio = (st.compute_flops / platform.flops) / (st.compute_bytes / platform.hbm_bw)
    if ratio > max_flop_ratio then max_flop_ratio = ratio end
  end
end

-- ---- the tables ----

local function fmt_val(v)
  if v >= 0.1 then return ("%.4f s"):format(v) end
  return ("%.3f ms"):format(v * 1e3)
end
local function fmt_err(e)
  if e == math.huge then return "inf" end
  return ("%+.1f%%"):format(e)
end

say("")
for _, c in ipairs(configs) do
  local t, by = {}, {}
  for _, row in ipairs(rows) do
    if row.label == c.label then
      local key = row.quantity
      if not by[key] then
        by[key] = { quantity = key, gpu = fmt_val(row.gpu),
          spread = row.spread and ("%.1f%%"):format(row.spread) or "" }
        t[#t + 1] = by[key]
      end
      by[key]["sim" .. row.variant] = fmt_val(row.sim)
      by[key]["err" .. row.variant] = fmt_err(row.err)
    end
  end
  local st = stats["1" .. c.label]
  say("== %s (%d steps; per-step |error| of the step time, simulation 1: p50 %.1f%%, p90 %.1f%%)",
    c.label, st.steps, st.p50, st.p90)
  local cols = { { key = "quantity", title = "quantity" },
    { key = "gpu", title = #repeat_dirs > 0 and ("measured (GPU, median of %d)"):format(#repeat_dirs + 1)
      or "measured (GPU)" } }
  if #repeat_dirs > 0 then cols[#cols + 1] = { key = "spread", title = "runs apart" } end
  for k, v in ipairs(variants) do
    cols[#cols + 1] = { key = "sim" .. k, title = "sim " .. k .. " (" .. v.name .. ")" }
    cols[#cols + 1] = { key = "err" .. k, title = "error " .. k }
  end
  say("%s", kv.table(t, cols))
  local pc, g = {}, gpu[c.label].summary
  for _, k in ipairs(vmm_kinds) do
    local cnt = g["count_" .. k]
    if cnt and cnt > 0 then
      pc[#pc + 1] = ("%s %.2f/%.2f"):format(k:sub(5), g["time_" .. k] / cnt * 1e6,
        platform[per_call_const[k]] * 1e6)
    end
  end
  if #pc > 0 then say("  VMM per call, us (mean in this run / calibrated median): %s", table.concat(pc, ", ")) end
  say("")
end

local function summarize(vi)
  local abs_all, by_q = {}, {}
  for _, row in ipairs(rows) do
    if row.variant == vi then
      local a = math.abs(row.err)
      abs_all[#abs_all + 1] = a
      by_q[row.quantity] = by_q[row.quantity] or {}
      table.insert(by_q[row.quantity], a)
    end
  end
  local qs = {}
  for q, v in pairs(by_q) do qs[#qs + 1] = { q = q, med = V.median(v), max = quantile(v, 1), n = #v } end
  table.sort(qs, function(a, b) return a.med > b.med end)
  return V.median(abs_all), #abs_all, qs
end

local meds = {}
for vi, v in ipairs(variants) do
  local med, n = summarize(vi)
  meds[vi] = med
  say("simulation %d (%s): median |error| over %d quantities of %d configurations: %.2f%% (target <= 5%%: %s)",
    vi, v.name, n, #configs, med, med <= 5 and "met" or "NOT met")
end
-- by category: what separates the strategies (driver calls, copies, table
-- writes) apart from whole-run and compute times
local RUN_LEVEL = { ["total time"] = true, ["step time p50"] = true, ["step time p90"] = true,
                    ["compute time"] = true }
for vi, v in ipairs(variants) do
  local op, run = {}, {}
  for _, row in ipairs(rows) do
    if row.variant == vi then
      local t = RUN_LEVEL[row.quantity] and run or op
      t[#t + 1] = math.abs(row.err)
    end
  end
  say("simulation %d (%s) by category: op-level median |error| %.2f%% over %d quantities (target <= 10%%: %s); "
    .. "whole-run and compute %.2f%% over %d", vi, v.name, V.median(op), #op,
    V.median(op) <= 10 and "met" or "NOT met", V.median(run), #run)
end
if #repeat_dirs > 0 then
  local sp, within = {}, 0
  for _, row in ipairs(rows) do
    if row.variant == 1 then
      sp[#sp + 1] = row.spread
      if math.abs(row.err) <= row.spread then within = within + 1 end
    end
  end
  say("measured: median of %d runs of each configuration (%s and %s); runs apart = (max - min) / median "
    .. "over the runs: median %.2f%%, max %.1f%%; %d of %d simulated values lie within their quantity's "
    .. "run-to-run range", #repeat_dirs + 1, opt.data, table.concat(repeat_dirs, ", "), V.median(sp),
    quantile(sp, 1), within, #sp)
end
say("schedules: %s", schedule_ok
  and "identical on both sides in every configuration (same steps, tokens and bytes per step, same op counts)"
  or "DIFFER in some configurations (see below)")
for _, n in ipairs(notes) do say("  %s", n) end
say("largest FLOP-time / HBM-time ratio of any step in the model: %.2f (below 1: every step memory-bound, "
  .. "the regime the GPU's compute stand-in reproduces)", max_flop_ratio)

-- where the model is weakest, from the numbers of simulation 1
local med1, _, qs = summarize(1)
say("")
say("median |error| by quantity, simulation 1 (over configurations):")
for _, x in ipairs(qs) do
  say("  %-22s %7.1f%%  (max %.1f%%, %d configurations)", x.q, x.med, x.max, x.n)
end
local worst = {}
for _, row in ipairs(rows) do if row.variant == 1 then worst[#worst + 1] = row end end
table.sort(worst, function(a, b) return math.abs(a.err) > math.abs(b.err) end)
local above = {}
for _, x in ipairs(qs) do if x.med > 5 then above[#above + 1] = ("%s (%.1f%%)"):format(x.q, x.med) end end
local w = {}
for k = 1, math.min(4, #worst) do
  local row = worst[k]
  w[#w + 1] = ("%s of %s: %s measured, %s simulated (%s)"):format(row.quantity, row.label,
    fmt_val(row.gpu), fmt_val(row.sim), fmt_err(row.err))
end
local compute_err = {}
for _, row in ipairs(rows) do
  if row.variant == 1 and row.quantity == "compute time" then compute_err[#compute_err + 1] = row.err end
end
say("")
say(("Where the model is weakest (simulation 1): %s. The largest single errors are %s. "
  .. "The median over all quantities, %.2f %%, %s the 5 %% target. Compute time, which dominates "
  .. "every run, is off by a median %+.1f %% with the calibrated hbm_bw (%.0f GB/s)%s.%s")
  :format(#above > 0 and ("the quantities whose median error exceeds 5 % are " .. table.concat(above, ", "))
      or "no quantity has a median error above 5 %",
    table.concat(w, "; "), med1, med1 <= 5 and "meets" or "misses",
    quantile(compute_err, 0.5), platform.hbm_bw / 1e9,
    quantile(compute_err, 0.5) > 1 and ": the GPU's stand-in read its bytes faster than that"
      or quantile(compute_err, 0.5) < -1 and ": the GPU's stand-in read its bytes slower than that" or "",
    meds[2] and (" With host_bw taken from the calibration's duplex copy (simulation 2) the median is %.2f %%.")
      :format(meds[2]) or ""))

-- ---- files ----
kv.mkdir_p(opt.out)
local csv = {}
for k, row in ipairs(rows) do
  csv[k] = { variant = variants[row.variant].name, label = row.label, quantity = row.quantity,
    unit = row.unit, measured = row.gpu, simulated = row.sim,
    error_pct = row.err == math.huge and "inf" or row.err, runs_apart_pct = row.spread or "" }
end
kv.write_csv(opt.out .. "/report.csv", csv,
  { "variant", "label", "quantity", "unit", "measured", "simulated", "error_pct", "runs_apart_pct" })
local f = assert(io.open(opt.out .. "/report.txt", "w"))
f:write(table.concat(lines, "\n"), "\n")
f:close()
print(("\nwritten: %s/report.txt, %s/report.csv"):format(opt.out, opt.out))
