-- experiments/validate_open.lua - the simulator against a GPU on open
-- arrivals: a slice of the Azure conversation trace at its own arrival
-- times, in two load settings (own rate with room; 4x the rate in little
-- memory, where requests are swapped or evicted).
--
-- Reads what `gpu/validate_gpu --open` wrote (setup.lua, workload.csv,
-- summary.csv, steps_<label>.csv), replays every case on the SimGrid
-- backend with the same engine options, strategies and workload bytes, and
-- compares per case: TTFT and TPOT p50 / p99, throughput (generated tokens
-- / makespan), the mean step time, the median step time by the step's
-- shape (decode-only steps by batch size, steps with prefill by tokens)
-- and op times per kind (per VMM call, per copied GB, per table entry,
-- compute per step). Arrivals make the schedule depend on the clock, so the
-- two sides do not run the same steps: quantities are compared, not steps.
-- Writes report.txt and report.csv into the data folder (or --report).
--
--   kvsim experiments/validate_open.lua --data DIR [--platform FILE|PRESET]
--         [--report DIR] [--backend simgrid|ideal] [--jobs N] [--exact]
--
-- docs/validation.md ("Open arrivals") describes the method.

local kv = require "kvsim"
local V = require "kvsim.validation"

local opt = kv.parse_args(arg, {
  prog = "kvsim experiments/validate_open.lua",
  options = {
    { name = "data", type = "string", metavar = "DIR", help = "what validate_gpu --open wrote (required)" },
    { name = "platform", type = "string", metavar = "FILE",
      help = "platform file or preset name (default: DIR/../*-measured.lua, DIR/platform.lua, "
        .. "DIR/*-measured.lua, else the h200-141gb preset)" },
    { name = "report", type = "string", metavar = "DIR", help = "where report.txt and report.csv go (default: DIR)" },
    { name = "backend", type = "string", default = "simgrid", metavar = "NAME", help = "simgrid or ideal" },
    { name = "jobs", type = "integer", positive = true, default = 2, metavar = "N", help = "simulations in parallel" },
    { name = "min-steps", type = "integer", positive = true, default = 20, metavar = "N",
      help = "steps a shape bucket needs on each side to be compared" },
    { name = "exact", type = "flag",
      help = "fail unless every simulated quantity equals the measured one (a check of the replay itself: "
        .. "data of validate_gpu --open --ideal replayed with --backend ideal on its platform)" },
  },
})
if not opt then return end
if not opt.data then error("--data DIR is required (what gpu/validate_gpu --open --out DIR wrote)", 0) end
local dir = opt.data:gsub("/+$", "")
opt.report = opt.report or dir

-- ---- the measured side ----

if not V.is_dir(dir) then
  error(("%s: no such directory (run gpu/validate_gpu --open --out %s first; docs/validation.md)")
    :format(dir, dir), 0)
end
local function need(name)
  local path = dir .. "/" .. name
  if not V.exists(path) then
    error(("%s: not found (validate_gpu --open writes it; was the run interrupted?)"):format(path), 0)
  end
  return path
end

local setup_path = need("setup.lua")
local ok, setup = pcall(dofile, setup_path)
if not ok then error(("%s: %s"):format(setup_path, tostring(setup)), 0) end
if type(setup) ~= "table" then error(setup_path .. ": does not return a table", 0) end
if setup.experiment ~= "open" then
  error(("%s: experiment = %s, not \"open\" (closed-batch data: experiments/validate.lua)")
    :format(setup_path, tostring(setup.experiment)), 0)
end
for _, k in ipairs { "model", "engine", "settings", "cases", "workload" } do
  if setup[k] == nil then error(("%s: no '%s'"):format(setup_path, k), 0) end
end

local measured = {}
for _, row in ipairs(V.read_csv(need("summary.csv"), { strings = { label = true, stop = true } })) do
  measured[row.label] = row -- the last row of a label wins (rows are appended)
end

local cases = {}
for _, c in ipairs(setup.cases) do
  if measured[c.label] then cases[#cases + 1] = c end
end
if #cases == 0 then error(dir .. "/summary.csv names no case of setup.lua", 0) end
for _, c in ipairs(cases) do need(("steps_%s.csv"):format(c.label)) end
need("requests_" .. cases[1].label .. ".csv")

-- ---- platform, model, workloads ----

local platform, platform_note = V.load_platform(kv, opt.platform, dir, "h200-141gb")
local model = kv.model(setup.model)
local wl_path = need(setup.workload.file or "workload.csv")
local workloads = {}
for name, st in pairs(setup.settings) do
  local sp = st.speedup or 1
  workloads[name] = kv.workload { trace = wl_path, speedup = sp ~= 1 and sp or nil }
  if setup.workload.n and #workloads[name] ~= setup.workload.n then
    error(("%s: %d requests, setup.lua says %d"):format(wl_path, #workloads[name], setup.workload.n), 0)
  end
end

-- ---- the simulated side: the same cases ----

local e = setup.engine
local runs = {}
for _, c in ipairs(cases) do
  local st = setup.settings[c.setting]
  if not st then error(("%s: case %s: no setting '%s'"):format(setup_path, c.label, tostring(c.setting)), 0) end
  if st.copy_via then c.strategy.copy_via = st.copy_via end
  runs[#runs + 1] = {
    label = c.label, strategy = c.strategy, model = model, platform = platform,
    workload = workloads[c.setting], backend = opt.backend, seed = e.seed,
    kv_capacity = st.kv_capacity, host_bytes = st.host_bytes, preempt = st.preempt,
    tier = c.tier or nil, max_batch_tokens = e.max_batch_tokens, max_num_seqs = e.max_num_seqs,
    check = e.check, timeline_interval = 0, watermark = e.watermark,
  }
end

local lines = {}
local function say(fmt, ...)
  local s = select("#", ...) > 0 and fmt:format(...) or fmt
  lines[#lines + 1] = s
  print(s)
end

local wst = workloads[cases[1].setting]:stats()
say("validate_open: %s, %d requests of %s ([%g, %g) s of %s), %d cases measured on the %s backend",
  model.name, #workloads[cases[1].setting], wl_path, setup.workload.start or 0,
  (setup.workload.start or 0) + 60 * (setup.workload.minutes or 0), tostring(setup.workload.trace),
  #cases, setup.backend)
say("settings:")
local names = {}
for name in pairs(setup.settings) do names[#names + 1] = name end
table.sort(names)
for _, name in ipairs(names) do
  local st = setup.settings[name]
  say("  %-9s kv_capacity %s, host %s, preempt %s, arrivals x%g", name, kv.format_bytes(st.kv_capacity),
    kv.format_bytes(st.host_bytes or 0), st.preempt, st.speedup or 1)
end
say("engine: max_batch_tokens %d, max_num_seqs %d, watermark %g; workload: %.2f req/s, prompt mean %.0f, "
  .. "output mean %.0f", e.max_batch_tokens, e.max_num_seqs, e.watermark, wst.rate, wst.prompt_mean, wst.output_mean)
say("platform: %s", platform_note)
local all = kv.sweep(runs, { jobs = opt.jobs })
say("simulated on: %s", all[1].backend_config or all[1].backend)
say("%s", kv.rejections(all))

-- ---- comparison ----

local CATS = {
  run = { title = "whole-run (TTFT p50, TPOT p50, throughput, mean step time)", target = 3 },
  tail = { title = "TTFT / TPOT p99", target = 10 },
  op = { title = "op-level (per VMM call, per copied GB, per table entry, compute per step)", target = 10 },
  shape = { title = "step time median by shape" },
}

-- shape bucket of a step: decode-only (every request in it computes one
-- token: batch tokens == running requests) by batch size, else by tokens;
-- powers of two
local function bucket(tokens, running)
  local lo = 1
  while lo * 2 <= tokens do lo = lo * 2 end
  local range = lo == 1 and "1" or ("%d-%d"):format(lo, 2 * lo - 1)
  if tokens > 0 and tokens == running then return "decode-only, batch " .. range, 0, lo end
  return "with prefill, tokens " .. range, 1, lo
end

local function by_bucket(tokens, running, times)
  local b, order = {}, {}
  for j = 1, #times do
    local name, kind, lo = bucket(tokens[j], running[j])
    if not b[name] then
      b[name] = { name = name, kind = kind, lo = lo, t = {} }
      order[#order + 1] = b[name]
    end
    table.insert(b[name].t, times[j])
  end
  return b
end

local function op_quantities(get_count, get_time, g)
  -- get_count(kind), get_time(kind); g: the summary (copy bytes, steps)
  local q = {}
  for _, k in ipairs(kv.op_kinds()) do
    local n, t = get_count(k), get_time(k)
    if k == "compute" then
      q[#q + 1] = { quantity = "compute per step", unit = "s", v = g.steps > 0 and g.compute_time / g.steps or 0 }
    elseif k == "copy" then
      local bytes = g.copy_bytes_h2d + g.copy_bytes_d2h + g.copy_bytes_d2d
      if bytes > 0 or t > 0 then
        q[#q + 1] = { quantity = "copy per GB", unit = "s", v = bytes > 0 and t / bytes * 1e9 or 0 }
      end
    elseif n > 0 or t > 0 then
      q[#q + 1] = { quantity = k .. (k == "table_write" and " per entry" or " per call"), unit = "s",
        v = n > 0 and t / n or 0 }
    end
  end
  return q
end

local rows, infos, notes = {}, {}, {}
local exact_bad = {}
for ci, c in ipairs(cases) do
  local r, g = all[ci], measured[c.label]
  local s = r.summary
  local complete = g.complete == nil or g.complete == 1
  -- measured steps with compute
  local gt, gtok, grun = {}, {}, {}
  local exact_dec, cls_dec, differ = 0, 0, 0
  local steps_rows = V.read_csv(("%s/steps_%s.csv"):format(dir, c.label),
    { filter = function(row) return row.engine_step > 0 end })
  for j, st in ipairs(steps_rows) do
    if st.tokens == nil or st.running == nil then
      error(("%s/steps_%s.csv: no tokens / running columns (not written by validate_gpu --open)")
        :format(dir, c.label), 0)
    end
    gt[j], gtok[j], grun[j] = st.total, st.tokens, st.running
    local ex = st.tokens > 0 and st.tokens == st.decodes
    local cl = st.tokens > 0 and st.tokens == st.running
    if ex then exact_dec = exact_dec + 1 end
    if cl then cls_dec = cls_dec + 1 end
    if ex ~= cl then differ = differ + 1 end
  end
  local stl = r.timeline
  local q = {}
  local function add(cat, name, unit, gv, sv, ng, ns)
    local err = V.err_pct(gv, sv)
    if err then
      q[#q + 1] = { label = c.label, setting = c.setting, category = cat, quantity = name, unit = unit,
        measured = gv, simulated = sv, err = err, n_measured = ng, n_simulated = ns, complete = complete }
    end
  end
  add("run", "TTFT p50", "s", g.ttft_p50, s.ttft_p50)
  add("run", "TPOT p50", "s", g.tpot_p50, s.tpot_p50)
  add("run", "throughput", "tok/s", g.sim_time > 0 and g.generated_tokens / g.sim_time or 0,
    s.sim_time > 0 and s.generated_tokens / s.sim_time or 0)
  add("run", "step time mean", "s", V.mean(gt), V.mean(stl.step_time), #gt, #stl.step_time)
  add("tail", "TTFT p99", "s", g.ttft_p99, s.ttft_p99)
  add("tail", "TPOT p99", "s", g.tpot_p99, s.tpot_p99)
  local gb = by_bucket(gtok, grun, gt)
  local sb = by_bucket(stl.batch_tokens, stl.running, stl.step_time)
  local bl = {}
  for name, b in pairs(gb) do
    if sb[name] and #b.t >= opt.min_steps and #sb[name].t >= opt.min_steps then bl[#bl + 1] = b end
  end
  table.sort(bl, function(a, b) if a.kind ~= b.kind then return a.kind < b.kind end return a.lo < b.lo end)
  for _, b in ipairs(bl) do
    add("shape", b.name, "s", V.quantile(b.t, 0.5), V.quantile(sb[b.name].t, 0.5), #b.t, #sb[b.name].t)
  end
  local gq = op_quantities(function(k) return g["count_" .. k] or 0 end,
    function(k) return g["time_" .. k] or 0 end, g)
  local sq = op_quantities(function(k) return s.op_count[k] or 0 end,
    function(k) return s.op_time[k] or 0 end,
    { steps = s.steps, compute_time = s.compute_time, copy_bytes_h2d = s.copy_bytes_h2d,
      copy_bytes_d2h = s.copy_bytes_d2h, copy_bytes_d2d = s.copy_bytes_d2d })
  local sv = {}
  for _, x in ipairs(sq) do sv[x.quantity] = x.v end
  for _, x in ipairs(gq) do add("op", x.quantity, x.unit, x.v, sv[x.quantity] or 0) end
  for _, x in ipairs(q) do rows[#rows + 1] = x end
  -- counts, not scored
  local info = {
    { "steps", g.steps, s.steps }, { "makespan, s", g.sim_time, s.sim_time },
    { "completed", g.completed, s.completed }, { "rejected", g.rejected, s.rejected },
    { "preemptions", g.preemptions, s.preemptions }, { "swaps out", g.swaps_out, s.swaps_out },
    { "evictions", g.evictions or 0, r.tier.evictions or 0 }, { "reloads", g.reloads or 0, r.tier.reloads or 0 },
    { "VMM calls", g.vmm_calls, s.vmm_calls },
    { "copied GB", (g.copy_bytes_h2d + g.copy_bytes_d2h + g.copy_bytes_d2d) / 1e9,
      (s.copy_bytes_h2d + s.copy_bytes_d2h + s.copy_bytes_d2d) / 1e9 },
  }
  infos[c.label] = { info = info, q = q, complete = complete, stop = g.stop, exact_dec = exact_dec,
    cls_dec = cls_dec, differ = differ, nsteps = #gt }
  if not complete then
    notes[#notes + 1] = ("%s: the measured run stopped early (%s, %.0f of %.0f requests unfinished): its "
      .. "whole-run, p99 and op-level quantities are left out of the overall medians"):format(c.label,
        tostring(g.stop), g.unfinished or 0, g.requests)
  end
  if opt.exact then
    for _, x in ipairs(q) do
      if math.abs(x.err) > 1e-6 then exact_bad[#exact_bad + 1] = ("%s %s: %.9g vs %.9g"):format(c.label,
        x.quantity, x.measured, x.simulated) end
    end
    for _, x in ipairs(info) do
      -- summary.csv holds 9 significant digits: a rounding of up to 5e-9
      if math.abs(x[2] - x[3]) > 1e-8 * math.max(1, math.abs(x[2])) then
        exact_bad[#exact_bad + 1] = ("%s %s: %.9g vs %.9g"):format(c.label, x[1], x[2], x[3])
      end
    end
  end
end

-- ---- the tables ----

local function fmt_val(v, unit)
  if unit == "tok/s" then return ("%.1f tok/s"):format(v) end
  if v >= 0.1 then return ("%.4f s"):format(v) end
  if v >= 1e-4 then return ("%.3f ms"):format(v * 1e3) end
  return ("%.2f us"):format(v * 1e6)
end
local function fmt_err(x)
  if x == math.huge then return "inf" end
  return ("%.1f%%"):format(math.abs(x))
end

say("")
for _, c in ipairs(cases) do
  local inf = infos[c.label]
  say("== %s (%s%s; %d measured steps with compute)", c.label, c.setting,
    inf.complete and "" or (", INCOMPLETE: " .. tostring(inf.stop)), inf.nsteps)
  local t = {}
  for _, x in ipairs(inf.q) do
    t[#t + 1] = { quantity = x.quantity, cat = x.category, gpu = fmt_val(x.measured, x.unit),
      sim = fmt_val(x.simulated, x.unit), err = fmt_err(x.err),
      n = x.n_measured and ("%d / %d"):format(x.n_measured, x.n_simulated) or "" }
  end
  say("%s", kv.table(t, { { key = "quantity", title = "quantity" }, { key = "cat", title = "category" },
    { key = "gpu", title = "measured (" .. setup.backend .. ")" }, { key = "sim", title = "simulated" },
    { key = "err", title = "|error|" }, { key = "n", title = "steps meas / sim" } }))
  local parts = {}
  for _, x in ipairs(inf.info) do
    parts[#parts + 1] = (x[1]:match("GB") or x[1]:match(", s")) and ("%s %.2f / %.2f"):format(x[1], x[2], x[3])
      or ("%s %.0f / %.0f"):format(x[1], x[2], x[3])
  end
  say("  counts, measured / simulated: %s", table.concat(parts, ", "))
  say("  decode-only steps (measured): %d by the COMPUTE op's shape, %d by batch tokens == running (the "
    .. "rule applied to both sides), %d steps classified differently", inf.exact_dec, inf.cls_dec, inf.differ)
  say("")
end

local function median_abs(cat, complete_only)
  local v = {}
  for _, x in ipairs(rows) do
    if x.category == cat and (x.complete or not complete_only) then v[#v + 1] = math.abs(x.err) end
  end
  return V.median(v), #v
end

say("overall (median |error| over the cases' quantities):")
local verdicts = {}
for _, cat in ipairs { "run", "tail", "op", "shape" } do
  local info = CATS[cat]
  -- a case stopped early is left out of the run-level, tail and op-level
  -- medians: the simulation runs the whole workload, and per-call costs
  -- depend on the state the run built (live handles and ranges), so the
  -- truncated measurement's means are not of the same calls
  local med, n = median_abs(cat, cat == "run" or cat == "tail" or cat == "op")
  local verdict = ""
  if info.target then
    verdict = n == 0 and "  (no quantity)" or ("  target <= %g %%: %s"):format(info.target,
      med <= info.target and "met" or "NOT met")
  end
  verdicts[#verdicts + 1] = { category = cat, median = med, n = n, target = info.target or "" }
  say("  %-78s %7.2f %% over %3d%s", info.title, med, n, verdict)
end
for _, n in ipairs(notes) do say("  note: %s", n) end

-- ---- files ----
kv.mkdir_p(opt.report)
local csv = {}
for k, x in ipairs(rows) do
  csv[k] = { label = x.label, setting = x.setting, category = x.category, quantity = x.quantity, unit = x.unit,
    measured = x.measured, simulated = x.simulated, error_pct = x.err == math.huge and "inf" or x.err,
    steps_measured = x.n_measured or "", steps_simulated = x.n_simulated or "",
    complete = x.complete and 1 or 0 }
end
kv.write_csv(opt.report .. "/report.csv", csv, { "label", "setting", "category", "quantity", "unit", "measured",
  "simulated", "error_pct", "steps_measured", "steps_simulated", "complete" })
local f = assert(io.open(opt.report .. "/report.txt", "w"))
f:write(table.concat(lines, "\n"), "\n")
f:close()
print(("\nwritten: %s/report.txt, %s/report.csv"):format(opt.report, opt.report))

if opt.exact then
  if #exact_bad > 0 then
    error(("--exact: %d quantities differ between the measured and the simulated runs, first: %s")
      :format(#exact_bad, exact_bad[1]), 0)
  end
  print("--exact: every compared quantity and count is equal on both sides")
end
