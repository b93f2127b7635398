-- experiments/validate_multi.lua - the simulator against N GPUs of one
-- server that swap at the same moments (experiments/scale.lua's lockstep
-- case), measured with one process per GPU.
--
-- Reads what `validate_gpu --lockstep` wrote, one process per GPU, started
-- together by gpu/device_run_multi.sh: DIR/n<N>/gpu<K>/ (setup.lua,
-- workload.csv, summary.csv, steps_lockstep.csv) for N = 1, 2, 4, ...
-- (DIR may also be one n<N> folder). For every N it replays the same run on
-- SimGrid as N replicas of dispatch "replicate" on N GPUs of one server of
-- the platform (--platform: what kvsim-calibrate-multi wrote), and compares,
-- as means over the N GPUs:
--   offload bandwidth per GPU   (H2D + D2H bytes) / copy time  [scored]
--   step time mean, all steps   steps with compute               [scored]
--   step time mean, swap steps  steps whose critical op time is at least
--                               --swap-op-min (the rule both sides can
--                               apply: a simulated step's timeline has its
--                               critical op time, not its copies)  [scored]
--   H2D and D2H bandwidth       measured only: the measured step's copy
--                               time is split by bytes when it copies both
--                               ways; the simulator's summary has copy
--                               bytes by direction but one copy time
--                               (docs/validation.md says what it needs)
-- and the median |error| of the scored quantities over every N against the
-- target (5 %). Writes report.txt and report.csv into DIR (or --report).
--
--   kvsim experiments/validate_multi.lua --data DIR [--platform FILE|PRESET]
--         [--report DIR] [--backend simgrid|ideal] [--jobs N] [--target PCT]
--         [--swap-op-min S] [--check] [--exact]
--
-- docs/validation.md ("Several GPUs at once") describes the method.

local kv = require "kvsim"
local V = require "kvsim.validation"

local opt = kv.parse_args(arg, {
  prog = "kvsim experiments/validate_multi.lua",
  options = {
    { name = "data", type = "string", metavar = "DIR",
      help = "what validate_gpu --lockstep wrote: DIR/n<N>/gpu<K>/ (required)" },
    { name = "platform", type = "string", metavar = "FILE",
      help = "platform file or preset name (default: DIR/../*-measured.lua, DIR/platform.lua, "
        .. "DIR/*-measured.lua, else the h100-sxm-80gb preset, scale.lua's)" },
    { name = "report", type = "string", metavar = "DIR", help = "where report.txt and report.csv go (default: DIR)" },
    { name = "backend", type = "string", default = "simgrid", metavar = "NAME", help = "simgrid or ideal" },
    { name = "jobs", type = "integer", positive = true, default = 2, metavar = "N", help = "simulations in parallel" },
    { name = "target", type = "number", positive = true, default = 5, metavar = "PCT",
      help = "target of the median |error| over the scored quantities" },
    { name = "swap-op-min", type = "number", positive = true, default = 1e-4, metavar = "S",
      help = "a step is a swap step when its critical op time is at least this" },
    { name = "check", type = "flag", help = "exit with an error when the median |error| misses the target" },
    { name = "exact", type = "flag",
      help = "fail unless every simulated quantity equals the measured one (data of validate_gpu "
        .. "--lockstep --ideal replayed with --backend ideal: a check of the replay itself)" },
  },
})
if not opt then return end
if not opt.data then error("--data DIR is required (what validate_gpu --lockstep --out DIR/n<N> wrote)", 0) end
local dir = opt.data:gsub("/+$", "")
opt.report = opt.report or dir

local function ls(d)
  local names = {}
  local p = io.popen("ls -1 '" .. d:gsub("'", "'\\''") .. "' 2>/dev/null")
  if not p then return names end
  for name in p:lines() do names[#names + 1] = name end
  p:close()
  return names
end

-- ---- the measured side ----

if not V.is_dir(dir) then
  error(("%s: no such directory (run gpu/device_run_multi.sh, or validate_gpu --lockstep --out %s/n1; "
    .. "docs/validation.md)"):format(dir, dir), 0)
end

-- the n<N> folders, or DIR itself when it holds gpu<K> folders
local groups = {}
for _, name in ipairs(ls(dir)) do
  local n = name:match("^n(%d+)$")
  if n and V.is_dir(dir .. "/" .. name) then groups[#groups + 1] = { n = tonumber(n), dir = dir .. "/" .. name } end
end
if #groups == 0 and V.is_dir(dir .. "/gpu0") then
  local n = 0
  while V.is_dir(("%s/gpu%d"):format(dir, n)) do n = n + 1 end
  groups[1] = { n = n, dir = dir }
end
if #groups == 0 then
  error(("%s: no n<N>/gpu<K>/ nor gpu<K>/ folder (what validate_gpu --lockstep --gpus N --device K "
    .. "--out DIR/n<N> writes)"):format(dir), 0)
end
table.sort(groups, function(a, b) return a.n < b.n end)

local function need(path, what)
  if not V.exists(path) then
    error(("%s: not found (%s; was the run interrupted?)"):format(path, what or "validate_gpu --lockstep writes it"), 0)
  end
  return path
end

local function load_setup(path)
  local ok, s = pcall(dofile, need(path))
  if not ok then error(("%s: %s"):format(path, tostring(s)), 0) end
  if type(s) ~= "table" then error(path .. ": does not return a table", 0) end
  if s.experiment ~= "lockstep" then
    error(("%s: experiment = %s, not \"lockstep\" (written by validate_gpu --lockstep)")
      :format(path, tostring(s.experiment)), 0)
  end
  for _, k in ipairs { "model", "engine", "strategy", "workload", "gpus", "device" } do
    if s[k] == nil then error(("%s: no '%s'"):format(path, k), 0) end
  end
  return s
end

-- the same engine options, strategy and workload on every GPU and every N
local function same(a, b)
  if type(a) ~= type(b) then return false end
  if type(a) ~= "table" then return a == b end
  for k, v in pairs(a) do if not same(v, b[k]) then return false end end
  for k in pairs(b) do if a[k] == nil then return false end end
  return true
end

local first_setup, first_path
for _, g in ipairs(groups) do
  g.gpus = {}
  for k = 0, g.n - 1 do
    local gd = ("%s/gpu%d"):format(g.dir, k)
    if not V.is_dir(gd) then
      error(("%s: missing (n%d needs gpu0..gpu%d: did process %d fail? see its log)"):format(gd, g.n, g.n - 1, k), 0)
    end
    local sp = gd .. "/setup.lua"
    local s = load_setup(sp)
    if s.gpus ~= g.n then
      error(("%s: gpus = %s, but it is in the folder of N = %d"):format(sp, tostring(s.gpus), g.n), 0)
    end
    if s.device ~= k then
      error(("%s: device = %s, but its folder is gpu%d"):format(sp, tostring(s.device), k), 0)
    end
    if not first_setup then
      first_setup, first_path = s, sp
    else
      for _, key in ipairs { "model", "engine", "strategy", "backend" } do
        if not same(s[key], first_setup[key]) then
          error(("%s: '%s' differs from %s's (every GPU of every N must run the same configuration)")
            :format(sp, key, first_path), 0)
        end
      end
      if s.workload.n ~= first_setup.workload.n then
        error(("%s: %s requests, %s has %s"):format(sp, tostring(s.workload.n), first_path,
          tostring(first_setup.workload.n)), 0)
      end
    end
    local sum = V.read_csv(need(gd .. "/summary.csv"), { strings = { label = true, stop = true } })
    if #sum == 0 then error(gd .. "/summary.csv: no row", 0) end
    local row = sum[#sum]
    for _, c in ipairs { "copy_bytes_h2d", "copy_bytes_d2h", "time_copy", "steps", "swaps_out", "sim_time" } do
      if row[c] == nil then error(("%s/summary.csv: no column '%s'"):format(gd, c), 0) end
    end
    local steps = V.read_csv(need(gd .. "/steps_lockstep.csv"),
      { filter = function(r) return r.engine_step > 0 end })
    for j, st in ipairs(steps) do
      for _, c in ipairs { "total", "op_critical", "t_copy", "h2d_bytes", "d2h_bytes" } do
        if st[c] == nil then
          error(("%s/steps_lockstep.csv: no column '%s' (not written by validate_gpu --lockstep)"):format(gd, c), 0)
        end
      end
      if j > 1 then break end
    end
    local wall = V.exists(gd .. "/wall.csv") and V.read_csv(gd .. "/wall.csv", { strings = { stop = true } })[1]
    g.gpus[k + 1] = { dir = gd, setup = s, summary = row, steps = steps, wall = wall,
      workload = need(gd .. "/" .. (s.workload.file or "workload.csv")) }
  end
end

-- ---- platform, model, the simulated side ----

local platform, platform_note = V.load_platform(kv, opt.platform, dir, "h100-sxm-80gb")
for _, g in ipairs(groups) do
  if g.n > (platform.gpus_per_server or 1) then
    error(("%s: N = %d GPUs, but platform %s has %d per server"):format(g.dir, g.n, platform_note,
      platform.gpus_per_server or 1), 0)
  end
end
-- the GPU's compute stand-in reads every weight each step, the embedding
-- table whole (gpu/gpu_compute.c); tied embeddings make the model read the
-- same (experiments/validate.lua); runs on the ideal backend or a fixture
-- priced the model as it is
local model = kv.model { base = first_setup.model,
  tied_embeddings = first_setup.backend == "gpu" and 1 or nil }
local e = first_setup.engine
local workload = kv.workload { trace = groups[1].gpus[1].workload }
if #workload ~= first_setup.workload.n then
  error(("%s: %d requests, setup.lua says %d"):format(groups[1].gpus[1].workload, #workload,
    first_setup.workload.n), 0)
end

local runs = {}
for i, g in ipairs(groups) do
  runs[i] = {
    label = ("lockstep-N%d"):format(g.n), model = model, platform = platform, workload = workload,
    strategy = first_setup.strategy, backend = opt.backend, seed = e.seed, kv_capacity = e.kv_capacity,
    host_bytes = e.host_bytes, preempt = e.preempt, max_batch_tokens = e.max_batch_tokens,
    max_num_seqs = e.max_num_seqs, watermark = e.watermark, check = e.check, timeline_interval = 0,
    replicas = g.n, tp = 1, dispatch = g.n > 1 and "replicate" or nil,
  }
end

local lines = {}
local function say(fmt, ...)
  local s = select("#", ...) > 0 and fmt:format(...) or fmt
  lines[#lines + 1] = s
  print(s)
end

local ns = {}
for _, g in ipairs(groups) do ns[#ns + 1] = tostring(g.n) end
say("validate_multi: %s, %d requests of %s, strategy %s, kv_capacity %s, host %s, preempt %s, "
  .. "max_batch_tokens %d; N = %s GPUs measured on the %s backend (one process per GPU)",
  model.name, #workload, tostring(first_setup.workload.trace), first_setup.label or "lockstep",
  kv.format_bytes(e.kv_capacity), kv.format_bytes(e.host_bytes), e.preempt, e.max_batch_tokens,
  table.concat(ns, ", "), first_setup.backend)
say("platform: %s", platform_note)
local all = kv.sweep(runs, { jobs = opt.jobs })
say("simulated on: %s", all[1].backend_config or all[1].backend)

-- ---- the quantities, per GPU then mean over the N GPUs ----

local function mean_of(list, f)
  local s, n = 0, 0
  for _, x in ipairs(list) do
    local v = f(x)
    if v then s, n = s + v, n + 1 end
  end
  return n > 0 and s / n or 0
end

local thr = opt.swap_op_min
local function measured_gpu(x)
  local s = x.summary
  local all_t, swap_t, copy_steps, swap_copy, hb, db, ht, dt, mixed = {}, {}, 0, 0, 0, 0, 0, 0, 0
  for _, st in ipairs(x.steps) do
    all_t[#all_t + 1] = st.total
    local copies = st.h2d_bytes + st.d2h_bytes > 0
    if copies then copy_steps = copy_steps + 1 end
    if st.op_critical >= thr then
      swap_t[#swap_t + 1] = st.total
      if copies then swap_copy = swap_copy + 1 end
    end
    if copies then
      local b = st.h2d_bytes + st.d2h_bytes
      hb, db = hb + st.h2d_bytes, db + st.d2h_bytes
      ht, dt = ht + st.t_copy * st.h2d_bytes / b, dt + st.t_copy * st.d2h_bytes / b
      if st.h2d_bytes > 0 and st.d2h_bytes > 0 then mixed = mixed + 1 end
    end
  end
  local bytes = s.copy_bytes_h2d + s.copy_bytes_d2h
  return {
    bw = s.time_copy > 0 and bytes / s.time_copy or nil,
    bw_h2d = ht > 0 and hb / ht or nil, bw_d2h = dt > 0 and db / dt or nil,
    step_all = V.mean(all_t), step_swap = #swap_t > 0 and V.mean(swap_t) or nil,
    n_all = #all_t, n_swap = #swap_t, copy_steps = copy_steps, swap_copy = swap_copy, mixed = mixed,
    swaps = s.swaps_out, gb = bytes / 1e9, steps = s.steps, makespan = s.sim_time,
  }
end

local function simulated_gpu(x)
  local s, tl = x.summary, x.timeline
  local swap_t = {}
  for j = 1, #tl.step_time do
    if tl.op_time[j] >= thr then swap_t[#swap_t + 1] = tl.step_time[j] end
  end
  local bytes = s.copy_bytes_h2d + s.copy_bytes_d2h
  return {
    bw = s.op_time.copy > 0 and bytes / s.op_time.copy or nil,
    step_all = V.mean(tl.step_time), step_swap = #swap_t > 0 and V.mean(swap_t) or nil,
    n_all = #tl.step_time, n_swap = #swap_t,
    swaps = s.swaps_out, gb = bytes / 1e9, steps = s.steps, makespan = s.sim_time,
  }
end

local QUANT = {
  { key = "bw", name = "offload bandwidth per GPU", unit = "B/s", scored = true },
  { key = "step_all", name = "step time mean, all steps", unit = "s", scored = true },
  { key = "step_swap", name = "step time mean, swap steps", unit = "s", scored = true },
  { key = "bw_h2d", name = "H2D bandwidth per GPU", unit = "B/s" },
  { key = "bw_d2h", name = "D2H bandwidth per GPU", unit = "B/s" },
}

local rows, exact_bad = {}, {}
local function fmt_val(v, unit)
  if v == nil then return "n/a" end
  if unit == "B/s" then return ("%.2f GB/s"):format(v / 1e9) end
  if v >= 0.1 then return ("%.4f s"):format(v) end
  if v >= 1e-4 then return ("%.3f ms"):format(v * 1e3) end
  return ("%.2f us"):format(v * 1e6)
end
local function fmt_err(x)
  if x == nil then return "" end
  if x == math.huge then return "inf" end
  return ("%.1f%%"):format(math.abs(x))
end

say("")
for i, g in ipairs(groups) do
  local r = all[i]
  local reps = r.replicas or { r }
  local mg, sg = {}, {}
  for k, x in ipairs(g.gpus) do mg[k] = measured_gpu(x) end
  for k, x in ipairs(reps) do sg[k] = simulated_gpu(x) end
  local incomplete = {}
  for k, x in ipairs(g.gpus) do
    if x.summary.complete ~= nil and x.summary.complete ~= 1 then
      incomplete[#incomplete + 1] = ("gpu%d (%s)"):format(k - 1, tostring(x.summary.stop))
    end
  end
  local t = {}
  for _, q in ipairs(QUANT) do
    local gv = mean_of(mg, function(x) return x[q.key] end)
    local have_g = mean_of(mg, function(x) return x[q.key] and 1 end) > 0
    local have_s = q.key ~= "bw_h2d" and q.key ~= "bw_d2h"
    local sv = have_s and mean_of(sg, function(x) return x[q.key] end) or nil
    local err = have_g and have_s and V.err_pct(gv, sv) or nil
    if have_g or (sv and sv > 0) then
      local row = { gpus = g.n, quantity = q.name, unit = q.unit, measured = have_g and gv or nil,
        simulated = sv, err = err, scored = q.scored and err ~= nil and #incomplete == 0 }
      rows[#rows + 1] = row
      t[#t + 1] = { quantity = q.name, gpu = fmt_val(row.measured, q.unit), sim = fmt_val(sv, q.unit),
        err = fmt_err(err), scored = q.scored and "yes" or "no (sim has no copy time by direction)" }
      if opt.exact and err and math.abs(err) > 1e-6 then
        exact_bad[#exact_bad + 1] = ("N = %d %s: %.9g vs %.9g"):format(g.n, q.name, gv, sv)
      end
    end
  end
  local spread = {}
  for k, x in ipairs(g.gpus) do
    if x.wall then
      spread[#spread + 1] = ("gpu%d waited %.3f s, wall %.1f s"):format(k - 1, x.wall.waited_s or 0, x.wall.wall_s or 0)
    end
  end
  say("== N = %d GPUs (%s)%s", g.n, g.dir, #incomplete > 0 and (", INCOMPLETE: " .. table.concat(incomplete, ", ")) or "")
  say("%s", kv.table(t, { { key = "quantity", title = "quantity (mean over GPUs)" },
    { key = "gpu", title = "measured (" .. first_setup.backend .. ")" }, { key = "sim", title = "simulated" },
    { key = "err", title = "|error|" }, { key = "scored", title = "scored" } }))
  local function m(f) return mean_of(mg, f) end
  local function s(f) return mean_of(sg, f) end
  say("  counts per GPU, measured / simulated: steps %.0f / %.0f, steps with compute %.0f / %.0f, swap steps "
    .. "(critical ops >= %g s) %.0f / %.0f, swaps out %.0f / %.0f, copied GB %.3f / %.3f, makespan %.3f / %.3f s",
    m(function(x) return x.steps end), s(function(x) return x.steps end),
    m(function(x) return x.n_all end), s(function(x) return x.n_all end), thr,
    m(function(x) return x.n_swap end), s(function(x) return x.n_swap end),
    m(function(x) return x.swaps end), s(function(x) return x.swaps end),
    m(function(x) return x.gb end), s(function(x) return x.gb end),
    m(function(x) return x.makespan end), s(function(x) return x.makespan end))
  say("  measured: %.0f steps copy (mean per GPU), %.0f of the swap steps copy, %.0f steps copy both ways "
    .. "(their copy time split by bytes for H2D / D2H)",
    m(function(x) return x.copy_steps end), m(function(x) return x.swap_copy end), m(function(x) return x.mixed end))
  if #spread > 0 then say("  start barrier: %s", table.concat(spread, "; ")) end
  if opt.exact then
    local pairs_ = { { "steps", "steps" }, { "swaps out", "swaps" }, { "copied GB", "gb" },
      { "swap steps", "n_swap" }, { "makespan", "makespan" } }
    for _, pq in ipairs(pairs_) do
      local a, b = m(function(x) return x[pq[2]] end), s(function(x) return x[pq[2]] end)
      if math.abs(a - b) > 1e-8 * math.max(1, math.abs(a)) then
        exact_bad[#exact_bad + 1] = ("N = %d %s: %.9g vs %.9g"):format(g.n, pq[1], a, b)
      end
    end
  end
  say("")
end

local v = {}
for _, x in ipairs(rows) do if x.scored then v[#v + 1] = math.abs(x.err) end end
local med = #v > 0 and V.median(v) or nil
local met = med ~= nil and med ~= math.huge and med <= opt.target
say("overall: median |error| %s over %d scored quantities (N = %s; offload bandwidth, step time of all "
  .. "steps and of swap steps): target <= %g %%: %s", med and fmt_err(med) or "n/a", #v, table.concat(ns, ", "),
  opt.target, #v == 0 and "no quantity" or (met and "met" or "NOT met"))

-- ---- files ----
kv.mkdir_p(opt.report)
local csv = {}
for k, x in ipairs(rows) do
  csv[k] = { gpus = x.gpus, quantity = x.quantity, unit = x.unit, measured = x.measured or "",
    simulated = x.simulated or "", error_pct = x.err == nil and "" or (x.err == math.huge and "inf" or x.err),
    scored = x.scored and 1 or 0 }
end
kv.write_csv(opt.report .. "/report.csv", csv,
  { "gpus", "quantity", "unit", "measured", "simulated", "error_pct", "scored" })
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
if opt.check and not met then
  error(("--check: median |error| %s misses the target of %g %%"):format(med and fmt_err(med) or "n/a",
    opt.target), 0)
end
