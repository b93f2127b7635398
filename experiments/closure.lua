-- experiments/closure.lua - calibration closure: every curve a calibration
-- measured, replayed point by point in simulation on the platform built
-- from that same calibration.
--
-- For each kvsim-calibrate report (calibrate.txt) under results/ (or the
-- ones given), the platform is the report's constants and measured tables
-- (scripts/kvsim/calibration.lua); each measured point becomes the same
-- operation timed with kv.time_ops on the SimGrid backend:
--   copy_h2d / copy_d2h      16 pinned copies of that size back to back, per copy
--   batch_h2d / batch_d2h    as kvsim-calibrate times them: 4 batched copies
--                            (via "batch", one cudaMemcpyBatchAsync each) of 64
--                            entries of that size queued on one stream, per
--                            entry, the GPU's span (the first call's host time
--                            left out, as the events around the calls leave it)
--   sm_copy_<page>_<dir>     a 64 MiB SM-kernel copy of 64 MiB / page runs on
--                            the point's SMs (SimGrid's copy_sms; the ideal
--                            backend has 8 only), as a rate (--one-run: one
--                            run, the largest page's rate, as before the
--                            page factor)
--   sm_threads_<T>_<dir>     the same at 64 KiB pages on blocks of T threads
--                            (SimGrid's copy_threads; the ideal backend: 1024
--                            threads on 8 SMs only), priced from the
--                            platform's threads x SMs grid (--threads-rule:
--                            without it, by the resident-threads rule)
--   vmm_<call>               one driver call on a handle (range) of that size,
--                            idle GPU, nothing else live (a handle's calls
--                            as one create ... release cycle)
--   vmm_grow_<call>          create, map, set_access of one handle of that
--                            size into a pool that never held more (growth),
--                            right after a step
--   vmm_gap_<call>_<MiB>     one call on a handle (range) of MiB in a cycle
--                            made x seconds after the last cycle, right
--                            after a step (the platform's vmm_<call>_gap);
--                            vmm_gaprun_<call>_<MiB> instead when the
--                            report has the serving run's gap probe (the
--                            grid is then that series)
--   vmm_<call>_live_va       reserve / free of a 16 MiB range among that many
--                            other reserved ranges, idle GPU
--   vmm_context_<ctx>        one call at the granularity among the report's
--                            live handles (128; made first), in a cycle of
--                            reserve, create, map, set_access, unmap,
--                            release, free: idle, busy (beside kernels),
--                            after_step
-- and the report gives per curve the median and worst |error|, and the
-- median over all points. Nothing here is fitted: the platform is what the
-- calibration wrote. A curve with a large error is a place where the
-- model's structure does not follow the hardware.
--
--   kvsim experiments/closure.lua [--reports A,B] [--out DIR] [--backend NAME] [--no-plot] [--one-run]
--                                 [--threads-rule]

local kv = require "kvsim"
local V = require "kvsim.validation"

local opt = kv.parse_args(arg, {
  prog = "kvsim experiments/closure.lua",
  options = {
    { name = "reports", type = "string", metavar = "A,B,...",
      help = "calibrate.txt files (default: every one under results/)" },
    { name = "out", type = "string", default = "results/closure", metavar = "DIR", help = "results directory" },
    { name = "backend", type = "string", default = "simgrid", metavar = "NAME", help = "simgrid or ideal" },
    { name = "no-plot", type = "flag", help = "skip the plot" },
    { name = "one-run", type = "flag", help = "SM copies as one run (no page factor: the old replay)" },
    { name = "threads-rule", type = "flag",
      help = "SM copies by threads per block from the resident-threads rule, not the measured grid" },
  },
})
if not opt then return end

local function find_reports()
  local found = {}
  -- every kvsim-calibrate report, at any depth (device runs keep theirs in r/)
  local p = io.popen("find results -name 'calibrate*.txt' 2>/dev/null")
  for line in p:lines() do found[#found + 1] = line end
  p:close()
  table.sort(found)
  return found
end

local reports = {}
for r in (opt.reports or ""):gmatch("[^,]+") do
  local f, err = io.open(r, "r")
  if not f then error(("--reports: cannot read %s"):format(err), 0) end
  f:close()
  reports[#reports + 1] = r
end
if #reports == 0 then reports = find_reports() end
if #reports == 0 then error("closure: no calibrate.txt found under results/ (give them with --reports A,B,...)", 0) end

local MiB = 2^20
-- kvsim-calibrate's batched-DMA protocol (kernels/calibrate.cu measure_batch)
local BATCH_ENTRIES, BATCH_QUEUE = 64, 4
local OP_OF = { reserve = "vmm_reserve", free_va = "vmm_free_va", create = "vmm_create", map = "vmm_map",
                set_access = "vmm_set_access", unmap = "vmm_unmap", release = "vmm_release" }

local RANGE_CALL = { reserve = true, free_va = true }
-- One cycle of driver calls on a handle of `bytes` (with_range: the
-- reserve and free of a range of that size around it, as the context
-- cycles make them), all flagged background when bg.
local function cycle(bytes, with_range, bg)
  local ops = {}
  for _, c in ipairs{ "reserve", "create", "map", "set_access", "unmap", "release", "free_va" } do
    if with_range or not RANGE_CALL[c] then
      ops[#ops + 1] = { kind = OP_OF[c], bytes = bytes, count = 1, background = bg }
    end
  end
  return ops
end

-- Host seconds of one cudaMemcpyBatchAsync call of BATCH_ENTRIES entries
-- on platform p (batch_call_curve at that count, else batch_call).
local function batch_host_time(p)
  local c = p.batch_call_curve
  if c and #c > 0 then
    if #c == 1 then return c[1][2] * BATCH_ENTRIES / c[1][1] end
    return kv.calibration.curve_at(c, BATCH_ENTRIES)
  end
  return p.batch_call or 0
end

-- One step per point; returns how to read the simulated value back.
local function plan(curve, i, gap_series)
  local x = curve.x[i]
  local name = curve.name
  local dir = name:match("^copy_(%a2%a)$")
  if dir then
    return { context = "idle", ops = { { kind = "copy", dir = dir, bytes = 16 * x, count = 16 } },
             read = function(t) return t.total / 16 end }
  end
  local bdir = name:match("^batch_(%a2%a)$")
  if bdir then
    local ops = {}
    for k = 1, BATCH_QUEUE do
      ops[k] = { kind = "copy", dir = bdir, via = "batch", bytes = BATCH_ENTRIES * x, count = BATCH_ENTRIES }
    end
    -- the measurement is the GPU's span (events around the queued
    -- calls), which starts once the first call has been made: the first
    -- call's host time (the platform's, at 64 entries) is not in it
    return { context = "idle", ops = ops,
             read = function(t, platform)
               return (t.total - batch_host_time(platform)) / (BATCH_QUEUE * BATCH_ENTRIES)
             end }
  end
  local page, sdir = name:match("^sm_copy_(%d+)_(%a2%a)$")
  if page then
    if x ~= 8 and opt.backend ~= "simgrid" then return nil end
    -- 64 MiB as kvsim-calibrate gathers it: one run per page (the page
    -- factor reads the op's mean run bytes)
    local bytes = 64 * MiB
    local runs = opt.one_run and 1 or bytes // tonumber(page)
    return { context = "idle", sms = x, ops = { { kind = "copy", dir = sdir, via = "kernel", bytes = bytes,
                                                  count = runs } },
             read = function(t) return bytes / t.total end }
  end
  local threads, tdir = name:match("^sm_threads_(%d+)_(%a2%a)$")
  if threads then
    threads = tonumber(threads)
    if opt.backend ~= "simgrid" and (x ~= 8 or threads ~= 1024) then return nil end
    -- 64 MiB of 64 KiB pages, as kvsim-calibrate measures the table
    local bytes = 64 * MiB
    return { context = "idle", sms = x, threads = opt.backend == "simgrid" and threads or nil,
             ops = { { kind = "copy", dir = tdir, via = "kernel", bytes = bytes, count = bytes // 65536 } },
             read = function(t) return bytes / t.total end }
  end
  -- the gap series the platform's grids hold (kv.calibration.gap_series);
  -- the others are reported, not replayed
  local series, gapcall, gapmib = name:match("^vmm_(gap%a*)_(.+)_(%d+)$")
  if series and series ~= gap_series then return nil end
  if gapcall and OP_OF[gapcall] then
    -- a call after a gap: the group's first step makes every call once,
    -- then each point is a whole cycle on a handle (and range) of that
    -- size after x seconds idle, right after a step
    local bytes = tonumber(gapmib) * MiB
    local step = cycle(bytes, true, false)
    step.idle = x
    return { context = "after_step", key = "gap " .. gapmib, open = cycle(bytes, true, false), ops = step,
             read = function(t) return t.by_kind[OP_OF[gapcall]] end }
  end
  local call = name:match("^vmm_(.+)$")
  if call and OP_OF[call] then
    local op = OP_OF[call]
    -- a handle's calls as kvsim-calibrate makes them in isolation: one
    -- handle created, mapped and freed at a time, nothing else live
    -- (a range alone: reserved then freed, as the range table does)
    local ops = { { kind = "vmm_reserve", bytes = x, count = 1 }, { kind = "vmm_free_va", bytes = x, count = 1 } }
    if not RANGE_CALL[call] then ops = cycle(x, false, false) end
    return { context = "idle", key = "isolation", ops = ops, warm = true,
             read = function(t) return t.by_kind[op] end }
  end
  local gcall = name:match("^vmm_grow_(.+)$")
  if gcall == "create" or gcall == "map" or gcall == "set_access" then
    -- a growth series' call: one handle of x bytes created, mapped and
    -- opened into a pool that has never held more (a group of its own, not
    -- primed), right after a step
    return { context = "after_step", fresh = true, key = "grow " .. x,
             ops = { { kind = "vmm_create", bytes = x, count = 1 }, { kind = "vmm_map", bytes = x, count = 1 },
                     { kind = "vmm_set_access", bytes = x, count = 1 } },
             read = function(t) return t.by_kind[OP_OF[gcall]] end }
  end
  local vcall = name:match("^vmm_(.+)_live_va$")
  if vcall == "reserve" or vcall == "free_va" then
    -- a 16 MiB range reserved (freed) among x others, idle GPU: the
    -- group opens by reserving them (and, for a free, the one it frees)
    local range = 16 * MiB
    local open = x + (vcall == "free_va" and 1 or 0)
    return { context = "idle", key = "ranges " .. x,
             open = open > 0 and { { kind = "vmm_reserve", bytes = range, count = open } } or nil,
             ops = { { kind = OP_OF[vcall], bytes = range, count = 1 } },
             read = function(t) return t.by_kind[OP_OF[vcall]] end }
  end
  local lcall = name:match("^vmm_live_(.+)$")
  if lcall and OP_OF[lcall] then
    local op = OP_OF[lcall]
    -- the live-handle sweep: x handles live, one idle cycle per point
    return { context = "idle", live = x, ops = cycle(2 * MiB, true, false), warm = true,
             read = function(t) return t.by_kind[op] end }
  end
  local ctx = name:match("^vmm_context_(.+)$")
  if ctx and OP_OF[x] then
    local op = OP_OF[x]
    -- as the context cycles: `live` handles of the granularity live (made
    -- by the group's first step), then one cycle per point
    local live = curve.live or kv.calibration.CONTEXT_LIVE_HANDLES
    return { context = ctx == "busy" and "idle" or ctx, live = live,
             ops = cycle(2 * MiB, true, ctx == "busy"), warm = true,
             read = function(t) return t.by_kind[op] end }
  end
  return nil
end

-- the median (kvsim.validation's); NaN for no values
local function median(v)
  if #v == 0 then return 0 / 0 end
  return V.median(v)
end

-- A calibration that measured one configuration twice and got two answers
-- cannot close whatever its model takes from either: the SM copy series
-- share the library kernel's 1024-thread, 64 KiB configuration
-- (sm_copy_65536_<dir>, sm_threads_1024_<dir>). Returns a description when
-- they are more than 25 % apart at an SM count both hold (kvsim-calibrate
-- measures such series again since; one older H100 report is like this),
-- else nil.
local function inconsistency(cal)
  local by = {}
  for _, c in ipairs(cal.curves) do by[c.name] = c end
  local worst, where = 0.25, nil
  for _, dir in ipairs { "h2d", "d2h" } do
    local a, b = by["sm_copy_65536_" .. dir], by["sm_threads_1024_" .. dir]
    if a and b then
      for i = 1, #a.x do
        for j = 1, #b.x do
          if a.x[i] == b.x[j] and a.y[i] > 0 and b.y[j] > 0 then
            local d = math.abs(a.y[i] - b.y[j]) / math.min(a.y[i], b.y[j])
            if d > worst then
              worst = d
              where = ("sm_copy_65536_%s and sm_threads_1024_%s, one configuration, %.0f %% apart at %g SMs "
                .. "(%.1f vs %.1f GB/s)"):format(dir, dir, 100 * d, a.x[i], a.y[i] / 1e9, b.y[j] / 1e9)
            end
          end
        end
      end
    end
  end
  return where
end

local rows, points, all_err, inconsistent = {}, {}, {}, {}
for _, path in ipairs(reports) do
  local cal = kv.calibration.read(path)
  local fields = kv.calibration.platform_fields(cal, cal.device and cal.device:match("H200")
    and "h200-141gb" or "h100-sxm-80gb")
  if opt.threads_rule then fields.sm_copy_threads_grid_h2d, fields.sm_copy_threads_grid_d2h = nil, nil end
  local platform = kv.platform(fields)
  local folder = path:match("results/(.+)/calibrate[^/]*%.txt$") or path:match("results/([^/]+)/") or path
  -- a second report in one folder (calibrate_<what>.txt) is named apart
  local what = path:match("/calibrate_([^/]+)%.txt$")
  if what then folder = folder .. " (" .. what .. ")" end
  inconsistent[folder] = inconsistency(cal)
  -- group the steps by context (one kv.time_ops call each)
  -- one kv.time_ops call per context and live-handle count; a group with
  -- live handles opens with a step that creates them
  local by_group, todo, ctx_of, sms_of, threads_of = {}, {}, {}, {}, {}
  local gap_series = kv.calibration.gap_series(cal.curves)
  for _, curve in ipairs(cal.curves) do
    for i = 1, #curve.x do
      local p = plan(curve, i, gap_series)
      if p then
        p.group = p.context .. "/" .. (p.live or 0) .. "/" .. (p.sms or "") .. "/" .. (p.threads or "")
          .. "/" .. (p.key or "")
        local list = by_group[p.group]
        if not list then
          list = {}
          by_group[p.group], ctx_of[p.group], sms_of[p.group] = list, p.context, p.sms
          threads_of[p.group] = p.threads
          -- the opening step: the group's live handles (and ranges) made;
          -- unless the point is a growth, a 1 TiB handle created and
          -- released first, so that no later create grows the pool (the
          -- calibration's cycles and medians measure recycled memory)
          local open = {}
          if not p.fresh then
            open[#open + 1] = { kind = "vmm_create", bytes = 2^40, count = 1 }
            open[#open + 1] = { kind = "vmm_release", bytes = 2^40, count = 1 }
          end
          if (p.live or 0) > 0 then
            open[#open + 1] = { kind = "vmm_create", bytes = 2 * MiB, count = p.live }
          end
          for _, op in ipairs(p.open or {}) do open[#open + 1] = op end
          -- a series' points come right after calls of the same kinds (a
          -- platform's gap table prices a call after a pause apart): the
          -- first point's cycle once, unmeasured
          if p.warm then
            for _, op in ipairs(p.ops) do open[#open + 1] = op end
          end
          if #open > 0 then list[1] = open end
        end
        list[#list + 1] = p.ops
        todo[#todo + 1] = { curve = curve, i = i, p = p, k = #list }
      end
    end
  end
  local times, groups = {}, {}
  for g in pairs(by_group) do groups[#groups + 1] = g end
  table.sort(groups)
  for _, g in ipairs(groups) do
    times[g] = kv.time_ops{ platform = platform, backend = opt.backend, vmm_context = ctx_of[g],
                            copy_sms = sms_of[g], copy_threads = threads_of[g], steps = by_group[g] }
  end
  local per_curve, order = {}, {}
  for _, t in ipairs(todo) do
    local meas = t.curve.y[t.i]
    local sim = t.p.read(times[t.p.group][t.k], platform)
    local err = meas > 0 and (sim - meas) / meas or 0
    local c = per_curve[t.curve.name]
    if not c then
      c = { errs = {}, worst = 0 }
      per_curve[t.curve.name] = c
      order[#order + 1] = t.curve.name
    end
    c.errs[#c.errs + 1] = math.abs(err)
    if math.abs(err) > math.abs(c.worst) then c.worst, c.worst_x = err, t.curve.x[t.i] end
    all_err[#all_err + 1] = math.abs(err)
    points[#points + 1] = { calibration = folder, curve = t.curve.name, x = t.curve.x[t.i],
                            measured = meas, simulated = sim, error = err, unit = t.curve.unit }
  end
  for _, name in ipairs(order) do
    local c = per_curve[name]
    rows[#rows + 1] = { calibration = folder, curve = name, n = #c.errs, median = median(c.errs),
                        worst = c.worst, worst_x = c.worst_x }
  end
end

print(("closure: %d calibration report(s), %d points, backend %s"):format(#reports, #points, opt.backend))
print()
local function pct(v) return ("%.1f%%"):format(100 * v) end
print(kv.table(rows, {
  { key = "calibration", title = "calibration" }, { key = "curve", title = "curve" },
  { key = "n", title = "points", fmt = "%d" }, { key = "median", title = "median |err|", fmt = pct },
  { key = "worst", title = "worst err", fmt = function(v) return ("%+.1f%%"):format(100 * v) end },
  { key = "worst_x", title = "at x", fmt = function(v) return tostring(v) end },
}))

local batch_rows = 0
for _, r in ipairs(rows) do
  if r.curve:match("^batch_") then batch_rows = batch_rows + 1 end
end
if batch_rows == 0 then
  print()
  print("batched DMA: no report has a cudaMemcpyBatchAsync table (batch_h2d, batch_d2h): no batch rows")
end

kv.mkdir_p(opt.out)
kv.write_csv(opt.out .. "/points.csv", points, { "calibration", "curve", "x", "measured", "simulated", "error", "unit" })
kv.write_csv(opt.out .. "/curves.csv", rows, { "calibration", "curve", "n", "median", "worst", "worst_x" })
local overall = median(all_err)
local over10, over10_consistent, worst_curve = {}, 0, nil
for _, r in ipairs(rows) do
  if r.median > 0.10 then
    local why = inconsistent[r.calibration]
    over10[#over10 + 1] = ("%s %s (%s%s)"):format(r.calibration, r.curve, pct(r.median),
      why and (", an inconsistent calibration: " .. why) or "")
    if not why then over10_consistent = over10_consistent + 1 end
  end
  if not worst_curve or r.median > worst_curve.median then worst_curve = r end
end
local n_inconsistent = 0
for _ in pairs(inconsistent) do n_inconsistent = n_inconsistent + 1 end
kv.write_json(opt.out .. "/closure.json", { reports = reports, backend = opt.backend, points = #points,
  median_abs_error = overall, curves_over_10pct = over10, curves_over_10pct_consistent = over10_consistent,
  inconsistent_calibrations = inconsistent })
local plotted = false
if not opt.no_plot then
  local series, xt, names, idx = {}, {}, {}, {}
  for _, r in ipairs(rows) do
    if not idx[r.curve] then names[#names + 1] = r.curve; idx[r.curve] = #names end
  end
  for i, n in ipairs(names) do xt[i] = { i, n } end
  local by_cal = {}
  for _, r in ipairs(rows) do
    local s = by_cal[r.calibration]
    if not s then
      s = { label = r.calibration, x = {}, y = {} }
      by_cal[r.calibration] = s
      series[#series + 1] = s
    end
    s.x[#s.x + 1], s.y[#s.y + 1] = idx[r.curve], 100 * r.median
  end
  plotted = kv.plot { file = opt.out .. "/closure.png", title = "Calibration closure: median |error| per curve",
    ylabel = "median |error| (%)", xtics = xt, xtics_rotate = 35, xrange = { 0, #names + 1 },
    width = 1400, height = 700,
    style = "points", series = series }
end
print()
print(("results in %s: points.csv, curves.csv, closure.json%s"):format(opt.out, plotted and ", closure.png" or ""))
print()
print(("Conclusion. Over %d measured points of %d calibration(s), replayed on the platforms those "
  .. "calibrations wrote, the median |error| is %s (target <= 3 %%: %s); %d curve(s) have a median "
  .. "above 10 %%%s. The largest curve median is %s %s at %s.")
  :format(#points, #reports, pct(overall), overall <= 0.03 and "met" or "missed", #over10,
    #over10 > 0 and (": " .. table.concat(over10, "; ")) or "",
    worst_curve.calibration, worst_curve.curve, pct(worst_curve.median)))
if n_inconsistent > 0 then
  print(("%d calibration(s) measured one configuration twice and got two answers (listed in closure.json); "
    .. "over the others, %d curve(s) have a median above 10 %%."):format(n_inconsistent, over10_consistent))
end
