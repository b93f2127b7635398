-- kvsim/calibration.lua - read what `kvsim-calibrate` wrote (its text
-- report, calibrate.txt, and the raw curves it writes beside its Lua
-- platform, <stem>.curves.csv) into the raw curves it measured and a
-- platform table carrying them, so that every committed calibration can be
-- loaded as a platform with its measured tables (kv.platform{ base =, ... })
-- and replayed point by point (experiments/closure.lua).
--
-- Curves read, when the calibration has them (x, y):
--   copy_h2d, copy_d2h        bytes, s per pinned cudaMemcpyAsync, back to back
--   batch_h2d, batch_d2h      entry bytes, s per entry of cudaMemcpyBatchAsync
--                             (64 entries a call, 4 calls queued); batch_call:
--                             entries, host s of one call (the platform's
--                             batch_h2d_curve, batch_d2h_curve, batch_call)
--   sm_copy_<page>_<dir>      SMs, B/s of the SM copy kernel, per page size
--                             (the platform's sm_copy_<dir>_curve at the
--                             largest page; sm_copy_page_<dir>_curve: each
--                             page's rate over the largest's at 8 SMs)
--   sm_threads_<threads>_<dir> SMs, B/s of the SM copy kernel on blocks of
--                             that many threads, 64 KiB pages (the
--                             platform's sm_copy_threads_grid_<dir>)
--   vmm_<call>                handle bytes (reserve, free_va: range bytes), s
--                             per driver call in isolation (or the older
--                             "median over 64 calls"); newer reports measure
--                             reserve / free by range apart, and keep their
--                             handle-size columns as vmm_reserve_handle,
--                             vmm_free_va_handle
--   vmm_context_<ctx>         call name, s per call at the granularity among
--                             128 live handles (the curve's `live`): ctx =
--                             idle, busy (a read stream beside), after_step
--                             (the platform's vmm_<call>_live table: idle
--                             over isolation at that count; busy and
--                             after-step factors: over idle)
--   vmm_live_<call>           live handles, s per call at the granularity on
--                             an idle GPU (the sweep of newer reports: more
--                             points of the vmm_<call>_live table)
--   vmm_grow_<call>           handle bytes, s per create / map / set_access /
--                             unmap / release of a growth series: handles
--                             created into new address space while none is
--                             released, right after a step (the platform's
--                             vmm_<call>_grow for create, map, set_access);
--                             vmm_regrow_va_<call>, vmm_regrow_<call>: the
--                             same again into the same range, into a new
--                             range (reported)
--   vmm_gap_<call>_<MiB>      s since the call's kind was last made (median),
--                             s per call after that gap of steps (read
--                             kernels, the host in their sync; launches in
--                             reports before the launch series), handles
--                             (ranges) of MiB (the platform's vmm_<call>_gap
--                             grid, rows by handle bytes);
--                             vmm_gaplaunch_<call>_<MiB>: after a gap of
--                             small launches; vmm_gapserve_<call>_<MiB>:
--                             of serving steps (both reported);
--                             vmm_gaprun_<call>_<MiB>: between the steps
--                             of a serving run (the GPU backend's gap
--                             probe; the model's grid when the report has
--                             it, M.gap_series)
--   vmm_reserve_live_va,      live ranges, s per reserve / free of a 16 MiB
--   vmm_free_va_live_va       range among that many others (x = 0: none;
--                             the platform's vmm_<call>_live_va factors:
--                             each point over the platform's curve at 16 MiB)
--   attn_block_table,         tokens per block, decode attention read time
--   attn_offset_table         over contiguous; attn_time_<mode>: the times, s
-- Main entry points: M.read(path) -> { curves = {...}, fields = {...},
-- device = "...", notes = {...} } (the text report, its curves from the
-- CSV when one sits beside it); M.read_text(path), M.read_csv(path) (the
-- same structure from one file alone); M.platform_fields(cal) -> a table
-- for kv.platform.

local V = require "kvsim.validation" -- median
local M = {}

local VMM_COLUMNS = { "reserve", "create", "map", "set_access", "unmap", "release", "free_va" }
-- the calls of a growth series (kvsim-calibrate's vmm growth lines)
local GROW_CALLS = { "create", "map", "set_access", "unmap", "release" }

local function words(line)
  local t = {}
  for w in line:gmatch("%S+") do t[#t + 1] = w end
  return t
end

local function add(curves, name, x, y, unit)
  local c = curves[name]
  if not c then
    c = { name = name, unit = unit, x = {}, y = {} }
    curves[name] = c
    curves[#curves + 1] = c
  end
  c.x[#c.x + 1], c.y[#c.y + 1] = x, y
end

-- "reserve 1.75 (1.24/6.06) create 15.00 ..." -> { reserve = 1.75e-6, ... }
local function context_line(rest)
  local out = {}
  for name, v in rest:gmatch("([%a_]+) ([%d%.]+) %(") do
    if name == "addr_free" then name = "free_va" end
    out[name] = tonumber(v) * 1e-6
  end
  return out
end

-- Rename curve `from` to `to` (both the list entry and the key).
local function rename(curves, from, to)
  local c = curves[from]
  if not c then return end
  curves[from], c.name, curves[to] = nil, to, c
end

-- The gap series' report lines, by what filled the gap: steps (the
-- model's unless the probe's is there), launches, serving steps (both
-- reported), and the GPU backend's gap probe between a serving run's steps
-- (KVSIM_GPU_GAP_PROBE, appended to the report by gpu/device_run.sh: the
-- model's when present).
local GAP_LINES = {
  { "^vmm after a gap, (%d+) MiB,", "vmm_gap_" },
  { "^vmm after a gap of launches, (%d+) MiB,", "vmm_gaplaunch_" },
  { "^vmm after a gap of serving steps, (%d+) MiB,", "vmm_gapserve_" },
  { "^vmm after a gap in a serving run, (%d+) MiB,", "vmm_gaprun_" },
}

-- A gap series line's curve prefix and handle MiB, or nil.
local function gap_line(line)
  for _, g in ipairs(GAP_LINES) do
    local mib = line:match(g[1])
    if mib then return g[2], tonumber(mib) end
  end
end

-- The text report alone (older reports included).
function M.read_text(path)
  local f, err = io.open(path, "r")
  if not f then error(("calibration report %s: %s"):format(path, err), 3) end
  local cal = { path = path, curves = {}, fields = {}, notes = {}, wrote = {} }
  local section, sm_cols
  local lineno = 0
  for line in f:lines() do
    lineno = lineno + 1
    local w = words(line)
    if line:match("^[Dd]evice:") then
      cal.device = line:match("^[Dd]evice: ([^,]+)")
    elseif line:match("^duplex %(256 MiB each way at once%): [%d%.]+ GB/s") then
      cal.duplex_bw = tonumber(line:match(": ([%d%.]+) GB/s")) * 1e9
    elseif line:match("^wrote %S") then
      cal.wrote[#cal.wrote + 1] = line:match("^wrote (%S+)")
    elseif line:match("^PCIe copies, pinned, back to back") then
      section = "copy"
    elseif line:match("^cudaMemcpyBatchAsync, entries") then
      section = "batch"
    elseif line:match("^batch call, %d+ entries: host time [%d%.]+ us") then
      local n, us = line:match("^batch call, (%d+) entries: host time ([%d%.]+) us")
      add(cal.curves, "batch_call", tonumber(n), tonumber(us) * 1e-6, "s")
    elseif line:match("^batch call host time by entry bytes, us:") then
      -- reported beside batch_call (its host time per entry size); not yet a
      -- model input
      local rest = line:match(":(.*)$")
      local v = words(rest)
      for i = 1, #v - 1, 2 do
        add(cal.curves, "batch_call_bytes", tonumber(v[i]), tonumber(v[i + 1]) * 1e-6, "s")
      end
    elseif line:match("^SM copy over scattered pinned host pages") then
      section = "sm"
    elseif line:match("^SM copy by threads per block") then
      section, sm_cols = "sm_threads", nil
    elseif line:match("^CUDA VMM driver calls") then
      section = "vmm"
    elseif line:match("^CUDA VMM address ranges") then
      section = "vmm_range"
    elseif line:match("^decode attention read by addressing mode") then
      section = "attn"
    elseif line:match("^platform constants") then
      section = "const"
    elseif line:match("^vmm live%-handle sweep: vmm 2 MiB, %d+ cycles among %d+ live handles, GPU idle") then
      local n = tonumber(line:match("among (%d+) live handles"))
      local rest = line:match("p10/p90%): (.*)$")
      if n and rest then
        for _, call in ipairs(VMM_COLUMNS) do
          local v = context_line(rest)[call]
          if v then add(cal.curves, "vmm_live_" .. call, n, v, "s") end
        end
      end
      section = nil
    elseif line:match("^vmm growth, ") then
      -- a growth series: the median of each call, per handle size
      local kind, mib = line:match("^vmm growth, ([^:]+): %d+ handles of (%d+) MiB")
      local prefix = kind == "fresh range" and "vmm_grow_" or kind == "same range again" and "vmm_regrow_va_"
        or kind and kind:match("^new range") and "vmm_regrow_" or nil
      local rest = line:match("quarter%):(.*)$")
      if prefix and rest then
        for _, call in ipairs(GROW_CALLS) do
          local v = rest:match("%f[%w_]" .. call .. " ([%d%.]+) %(")
          if v then add(cal.curves, prefix .. call, tonumber(mib) * 2^20, tonumber(v) * 1e-6, "s") end
        end
      end
      section = nil
    elseif gap_line(line) then
      -- each call's median (us) @ median ms since its last: one line per
      -- nominal gap (a first format put all gaps on one line, "| gap:")
      local prefix, mib = gap_line(line)
      local rest = line:match("%(median%):(.*)$") or ""
      for part in rest:gmatch("[^|]+") do
        for col, us, ms in part:gmatch("([%a_]+) ([%d%.]+) @([%d%.]+)") do
          local call = col == "addr_free" and "free_va" or col
          -- x in units of 10 us, as kvsim-calibrate rounds it
          local x = math.floor(tonumber(ms) * 100 + 0.5) / 1e5
          add(cal.curves, ("%s%s_%d"):format(prefix, call, mib), x, tonumber(us) * 1e-6, "s")
        end
      end
      section = nil
    elseif line:match("^vmm reserve / free of %d+ MiB ranges among live ranges") then
      local rest = line:match("reserve free%):(.*)$")
      if rest then
        for live, r, f in rest:gmatch("(%d+): ([%d%.]+) ([%d%.]+)") do
          add(cal.curves, "vmm_reserve_live_va", tonumber(live), tonumber(r) * 1e-6, "s")
          add(cal.curves, "vmm_free_va_live_va", tonumber(live), tonumber(f) * 1e-6, "s")
        end
      end
      section = nil
    elseif line:match("^vmm 2 MiB, %d+ cycles among %d+ live handles") then
      local ctx = line:match("GPU idle") and "idle" or line:match("GPU busy") and "busy"
        or line:match("right after a step") and "after_step"
      local rest = line:match("p10/p90%): (.*)$")
      if ctx and rest then
        for _, call in ipairs(VMM_COLUMNS) do
          local v = context_line(rest)[call]
          if v then add(cal.curves, "vmm_context_" .. ctx, call, v, "s") end
        end
        local c = cal.curves["vmm_context_" .. ctx]
        if c then c.live = tonumber(line:match("among (%d+) live handles")) end
      end
      section = nil
    elseif (section == "copy" or section == "batch") and #w == 5 and tonumber(w[1]) then
      local b = tonumber(w[1])
      add(cal.curves, section .. "_h2d", b, tonumber(w[2]) * 1e-6, "s")
      add(cal.curves, section .. "_d2h", b, tonumber(w[4]) * 1e-6, "s")
    elseif section == "sm" and line:match("^%s*page%s+dir%s+|") then
      sm_cols = {}
      for v in line:match("|(.*)$"):gmatch("%S+") do sm_cols[#sm_cols + 1] = tonumber(v) end
    elseif section == "sm" and sm_cols and line:match("^%s*%d+%s+[HD]2[HD]%s+|") then
      local page, dir = line:match("^%s*(%d+)%s+([HD]2[HD])")
      local i = 0
      for v in line:match("|(.*)$"):gmatch("%S+") do
        i = i + 1
        add(cal.curves, ("sm_copy_%s_%s"):format(page, dir:lower()), sm_cols[i], tonumber(v) * 1e9, "B/s")
      end
    elseif section == "sm_threads" and line:match("^%s*threads%s+dir%s+|") then
      sm_cols = {}
      for v in line:match("|(.*)$"):gmatch("%S+") do sm_cols[#sm_cols + 1] = tonumber(v) end
    elseif section == "sm_threads" and sm_cols and line:match("^%s*%d+%s+[HD]2[HD]%s+|") then
      local threads, dir = line:match("^%s*(%d+)%s+([HD]2[HD])")
      local i = 0
      for v in line:match("|(.*)$"):gmatch("%S+") do
        i = i + 1
        add(cal.curves, ("sm_threads_%s_%s"):format(threads, dir:lower()), sm_cols[i], tonumber(v) * 1e9, "B/s")
      end
    elseif section == "vmm" and w[2] == "MiB" and tonumber(w[1]) and #w == 9 then
      local bytes = tonumber(w[1]) * 2^20
      for i, call in ipairs(VMM_COLUMNS) do
        add(cal.curves, "vmm_" .. call, bytes, tonumber(w[2 + i]) * 1e-6, "s")
      end
    elseif section == "vmm_range" and w[2] == "MiB" and tonumber(w[1]) and #w == 4 then
      local bytes = tonumber(w[1]) * 2^20
      add(cal.curves, "vmm_reserve_range", bytes, tonumber(w[3]) * 1e-6, "s")
      add(cal.curves, "vmm_free_va_range", bytes, tonumber(w[4]) * 1e-6, "s")
    elseif section == "attn" and #w == 6 and tonumber(w[1]) and tonumber(w[6]) then
      local x = tonumber(w[1])
      add(cal.curves, "attn_time_contig", x, tonumber(w[2]) * 1e-6, "s")
      add(cal.curves, "attn_time_block_table", x, tonumber(w[3]) * 1e-6, "s")
      add(cal.curves, "attn_block_table", x, tonumber(w[4]), "ratio")
      add(cal.curves, "attn_time_offset_table", x, tonumber(w[5]) * 1e-6, "s")
      add(cal.curves, "attn_offset_table", x, tonumber(w[6]), "ratio")
    elseif section == "const" and line:match("^%s+[%w_]+%s+%S") and tonumber(w[2]) then
      cal.fields[w[1]] = tonumber(w[2])
      if w[1] == "host_bw" and line:match("one%-thread") then cal.host_bw_one_thread = true end
    elseif line:match("^%s*$") then
      if section ~= "const" then section = nil end
    end
  end
  f:close()
  -- a report with a range table: reserve / free by range are the curves,
  -- the handle table's columns (a range the handle's size) stay apart
  if cal.curves.vmm_reserve_range then
    rename(cal.curves, "vmm_reserve", "vmm_reserve_handle")
    rename(cal.curves, "vmm_free_va", "vmm_free_va_handle")
    rename(cal.curves, "vmm_reserve_range", "vmm_reserve")
    rename(cal.curves, "vmm_free_va_range", "vmm_free_va")
  end
  -- older reports wrote a one-thread memcpy as host_bw: one CPU core, not
  -- what the copy engines get from host DRAM; their duplex copy is the
  -- lower bound the newer reports (and the presets) use
  if cal.host_bw_one_thread and cal.duplex_bw then
    cal.fields.host_bw = cal.duplex_bw
    cal.notes[#cal.notes + 1] = ("host_bw: the duplex DMA copy (%.2f GB/s), not the report's "
      .. "one-thread memcpy"):format(cal.duplex_bw / 1e9)
  end
  if not next(cal.fields) then
    error(("calibration report %s: no 'platform constants' section (is it a kvsim-calibrate report?)")
      :format(path), 3)
  end
  return cal
end

local function dirname(path) return path:match("^(.*/)") or "" end
local function basename(path) return path:match("([^/]+)$") or path end

-- The raw curves CSV (curve,x,y,unit) kvsim-calibrate writes beside its Lua
-- platform <stem>.lua, as <stem>.curves.csv. The constants (fields) and
-- the device come from <stem>.lua when it sits beside the CSV.
function M.read_csv(path)
  local f, err = io.open(path, "r")
  if not f then error(("calibration curves %s: %s"):format(path, err), 2) end
  local cal = { path = path, curves = {}, fields = {}, notes = {} }
  local lineno = 0
  for line in f:lines() do
    lineno = lineno + 1
    if lineno == 1 then
      if line ~= "curve,x,y,unit" then
        f:close()
        error(("calibration curves %s:1: header is '%s', not 'curve,x,y,unit'"):format(path, line), 2)
      end
    elseif line:match("%S") then
      local name, x, y, unit = line:match("^([^,]+),([^,]+),([^,]+),([^,]*)$")
      if not name or not tonumber(y) then
        f:close()
        error(("calibration curves %s:%d: not 'curve,x,y,unit': %s"):format(path, lineno, line), 2)
      end
      add(cal.curves, name, tonumber(x) or x, tonumber(y), unit)
    end
  end
  f:close()
  local lua = path:gsub("%.curves%.csv$", ".lua")
  local chunk = lua ~= path and loadfile(lua, "t", {})
  local ok, t = false, nil
  if chunk then ok, t = pcall(chunk) end
  if ok and type(t) == "table" then
    for k, v in pairs(t) do
      -- the constants; the factors are the curves' (M.platform_fields)
      if type(v) == "number" and not k:match("_busy$") and not k:match("_after_step$") then
        cal.fields[k] = v
      end
    end
    cal.device = type(t.source) == "string" and t.source:match("^kvsim%-calibrate on (.-), driver API") or nil
    cal.lua = lua
  end
  return cal
end

-- The CSV beside a report: the one its "wrote ... .curves.csv" line names
-- (looked up next to the report), else <report stem>.curves.csv.
local function csv_beside(cal)
  local tries = {}
  for _, w in ipairs(cal.wrote or {}) do
    if w:match("%.curves%.csv$") then tries[#tries + 1] = dirname(cal.path) .. basename(w) end
  end
  tries[#tries + 1] = cal.path:gsub("%.[^./]*$", "") .. ".curves.csv"
  for _, p in ipairs(tries) do
    local f = io.open(p, "r")
    if f then
      f:close()
      return p
    end
  end
  return nil
end

-- A calibration: the text report's constants and device, its curves from
-- the CSV beside it when there is one (every digit), else from the report.
-- A .curves.csv path is read alone (M.read_csv).
function M.read(path)
  if path:match("%.curves%.csv$") then return M.read_csv(path) end
  local cal = M.read_text(path)
  local csv = csv_beside(cal)
  if csv then
    -- the CSV's curves (full precision), and the report's that it lacks:
    -- lines appended to the report after kvsim-calibrate wrote both (the
    -- GPU backend's gap probe, gpu/device_run.sh stage r)
    local text = cal.curves
    cal.curves = M.read_csv(csv).curves
    cal.curves_from = csv
    for _, cv in ipairs(text) do
      if not cal.curves[cv.name] then
        cal.curves[#cal.curves + 1] = cv
        cal.curves[cv.name] = cv
      end
    end
  end
  return cal
end

local function pairs_of(c)
  local t = {}
  for i = 1, #c.x do t[i] = { c.x[i], c.y[i] } end
  return t
end

-- The SMs at which the SM copy's page factor is read: the backends'
-- default SM share (core/engine/backend_ideal.c KV_IDEAL_COPY_SMS, the SimGrid
-- backend's sm_copy_sms); the measured SM count closest to it is used.
M.SM_COPY_PAGE_SMS = 8

local function at_sms(cv, sms)
  local best
  for i = 1, #cv.x do
    if not best or math.abs(cv.x[i] - sms) < math.abs(cv.x[best] - sms) then best = i end
  end
  return best and cv.y[best], best and cv.x[best]
end

-- The SM copy's rate by page over its rate at the largest page, at the SM
-- count closest to M.SM_COPY_PAGE_SMS, for direction dir ("h2d", "d2h"):
-- { {page, factor}, ... } by page, or nil with fewer than two pages.
-- The page sizes of the report's sm_copy_<page>_<dir> curves, ascending.
local function sm_pages(c, dir)
  local pages = {}
  for _, cv in ipairs(c) do
    local p, d = cv.name:match("^sm_copy_(%d+)_(%a2%a)$")
    if p and d == dir then pages[#pages + 1] = tonumber(p) end
  end
  table.sort(pages)
  return pages
end

function M.sm_copy_page_curve(c, dir)
  local pages = sm_pages(c, dir)
  if #pages < 2 then return nil end
  local ref = at_sms(c[("sm_copy_%d_%s"):format(pages[#pages], dir)], M.SM_COPY_PAGE_SMS)
  if not ref or ref <= 0 then return nil end
  local t = {}
  for _, p in ipairs(pages) do
    local v = at_sms(c[("sm_copy_%d_%s"):format(p, dir)], M.SM_COPY_PAGE_SMS)
    t[#t + 1] = { p, v / ref }
  end
  return t
end

-- The SM copy's rate by page and SMs jointly for direction dir: one row
-- per page measured, { page, { {sms, B/s}, ... } }, by page; nil with
-- fewer than two pages (the platform's sm_copy_grid_<dir>).
function M.sm_copy_grid(c, dir)
  local pages = sm_pages(c, dir)
  if #pages < 2 then return nil end
  local g = {}
  for _, p in ipairs(pages) do
    g[#g + 1] = { p, pairs_of(c[("sm_copy_%d_%s"):format(p, dir)]) }
  end
  return g
end

-- A call after a gap (the platform's vmm_<call>_gap): one row per handle
-- size measured, { bytes, { {gap s, s of the call}, ... } }, gaps
-- increasing; nil when the report has no gap series for the call. series:
-- "gap" (after steps, the default), "gaplaunch" (after launches),
-- "gapserve" (after serving steps) or "gaprun" (between a serving run's
-- steps).
function M.vmm_gap_grid(c, call, series)
  local rows = {}
  local pattern = "^vmm_" .. (series or "gap") .. "_(.+)_(%d+)$"
  for _, cv in ipairs(c) do
    local k, mib = cv.name:match(pattern)
    if k == call and #cv.x > 0 then
      -- by gap (a probe's rows need not come in order: a row's gap is
      -- what was measured since the kind's last call), the first of equal
      -- gaps kept
      local order = {}
      for i = 1, #cv.x do order[i] = i end
      table.sort(order, function(a, b)
        if cv.x[a] ~= cv.x[b] then return cv.x[a] < cv.x[b] end
        return a < b
      end)
      local pts, last = {}, -1
      for _, i in ipairs(order) do
        if cv.x[i] > last then
          pts[#pts + 1] = { cv.x[i], cv.y[i] }
          last = cv.x[i]
        end
      end
      rows[#rows + 1] = { tonumber(mib) * 2^20, pts }
    end
  end
  if #rows == 0 then return nil end
  table.sort(rows, function(a, b) return a[1] < b[1] end)
  return rows
end

-- The series the platform's gap grids come from: "gaprun" (measured
-- between the steps of a serving run, the conditions the model prices a
-- call in) when the curves hold it, else "gap" (after read kernels).
function M.gap_series(c)
  for _, cv in ipairs(c) do
    if cv.name:match("^vmm_gaprun_") then return "gaprun" end
  end
  return "gap"
end

-- The SM copy's rate by threads per block and SMs jointly for direction
-- dir: one row per block size measured, { threads, { {sms, B/s}, ... } },
-- by threads; nil when none was (the platform's sm_copy_threads_grid_<dir>).
function M.sm_copy_threads_grid(c, dir)
  local rows = {}
  for _, cv in ipairs(c) do
    local t, d = cv.name:match("^sm_threads_(%d+)_(%a2%a)$")
    if t and d == dir then rows[#rows + 1] = { tonumber(t), pairs_of(cv) } end
  end
  if #rows == 0 then return nil end
  table.sort(rows, function(a, b) return a[1] < b[1] end)
  return rows
end

-- The platform a calibration describes: its scalar constants, and its
-- measured tables as curves (copies by size per direction, batched copies
-- by entry size per direction with the host time of one call, SM copies by
-- SMs at the largest page measured (and by threads per block at 64 KiB
-- pages), driver calls by size in isolation, with
-- the busy and after-step contexts as factors over the isolated cost at the
-- granularity, the attention read's table modes over contiguous by block
-- tokens). Single-GPU fields the report cannot measure (GPUs per server,
-- NVLink, NIC) are left to the base preset.
function M.platform_fields(cal, base)
  local t = { base = base }
  local skip = { gpus_per_server = true, servers = true, gpus_per_uplink = true, uplink_bw = true,
                 nvlink_bw = true, nvlink_lat = true, nic_bw = true, nic_lat = true }
  for k, v in pairs(cal.fields) do
    if not skip[k] then t[k] = v end
  end
  local c = cal.curves
  if c.copy_h2d then t.copy_h2d_curve = pairs_of(c.copy_h2d) end
  if c.copy_d2h then t.copy_d2h_curve = pairs_of(c.copy_d2h) end
  if c.batch_h2d then t.batch_h2d_curve = pairs_of(c.batch_h2d) end
  if c.batch_d2h then t.batch_d2h_curve = pairs_of(c.batch_d2h) end
  if c.batch_call and #c.batch_call.y > 0 then
    t.batch_call = c.batch_call.y[1]
    -- host time by entries (the report measures one count, 64: the table
    -- prices a call of n entries at n times the measured time per entry)
    if tonumber(c.batch_call.x[1]) then t.batch_call_curve = pairs_of(c.batch_call) end
  end
  if c.attn_block_table then t.attn_block_table_curve = pairs_of(c.attn_block_table) end
  if c.attn_offset_table then t.attn_offset_table_curve = pairs_of(c.attn_offset_table) end
  local page = 0
  for _, cv in ipairs(c) do
    local p = cv.name:match("^sm_copy_(%d+)_")
    if p and tonumber(p) > page then page = tonumber(p) end
  end
  if page > 0 then
    t.sm_copy_h2d_curve = c[("sm_copy_%d_h2d"):format(page)] and pairs_of(c[("sm_copy_%d_h2d"):format(page)])
    t.sm_copy_d2h_curve = c[("sm_copy_%d_d2h"):format(page)] and pairs_of(c[("sm_copy_%d_d2h"):format(page)])
    t.sm_copy_page_h2d_curve = M.sm_copy_page_curve(c, "h2d")
    t.sm_copy_page_d2h_curve = M.sm_copy_page_curve(c, "d2h")
    t.sm_copy_grid_h2d = M.sm_copy_grid(c, "h2d")
    t.sm_copy_grid_d2h = M.sm_copy_grid(c, "d2h")
  end
  t.sm_copy_threads_grid_h2d = M.sm_copy_threads_grid(c, "h2d")
  t.sm_copy_threads_grid_d2h = M.sm_copy_threads_grid(c, "d2h")
  -- driver calls: the isolated curve by size; among live handles on an idle
  -- GPU, the live-handle table (factor over the isolated call at the
  -- granularity, at the live count the report names); busy and after-step
  -- factors over the idle call among the same live handles (over the
  -- isolated call when the report has no idle context)
  local function ctx_value(k, call)
    if not k then return nil end
    for i = 1, #k.x do
      if k.x[i] == call then return k.y[i] end
    end
    return nil
  end
  local idle = c.vmm_context_idle
  local live_n = idle and (idle.live or M.CONTEXT_LIVE_HANDLES)
  local no_live = {}
  for _, call in ipairs(VMM_COLUMNS) do
    local cv = c["vmm_" .. call]
    if cv then
      t["vmm_" .. call .. "_curve"] = M.vmm_curve(c, call)
      local iso = cv.y[1]
      local at_idle = ctx_value(idle, call)
      local ref = iso
      if at_idle and iso > 0 and live_n and live_n > 0 then
        -- the context's count and those of the sweep (newer reports)
        local pts = { { live_n, at_idle / iso } }
        local sweep = c["vmm_live_" .. call]
        if sweep then
          for i = 1, #sweep.x do
            if sweep.x[i] ~= live_n then pts[#pts + 1] = { sweep.x[i], sweep.y[i] / iso } end
          end
          table.sort(pts, function(a, b) return a[1] < b[1] end)
        end
        t["vmm_" .. call .. "_live"] = pts
        ref = at_idle
      elseif idle == nil then
        no_live[#no_live + 1] = call
      end
      for _, ctx in ipairs{ "busy", "after_step" } do
        local v = ctx_value(c["vmm_context_" .. ctx], call)
        if v and ref > 0 then t[("vmm_%s_%s"):format(call, ctx)] = v / ref end
      end
    end
  end
  -- pool growth: the fresh series' median by handle size (create, map,
  -- set_access); reserve / free among live ranges: each point over the
  -- call with nothing else reserved (x = 0)
  for _, call in ipairs{ "create", "map", "set_access" } do
    local g = c["vmm_grow_" .. call]
    if g then t["vmm_" .. call .. "_grow"] = pairs_of(g) end
  end
  local gs = M.gap_series(c)
  for _, call in ipairs(VMM_COLUMNS) do
    t["vmm_" .. call .. "_gap"] = M.vmm_gap_grid(c, call, gs)
  end
  for _, call in ipairs{ "reserve", "free_va" } do
    local lv = c["vmm_" .. call .. "_live_va"]
    if lv and lv.x[1] == 0 and lv.y[1] > 0 then
      -- over the platform's own price of that range alone (its curve at
      -- M.LIVE_VA_RANGE), so that a call among x ranges costs what was
      -- measured; the point at 0 when there is no curve
      local ref = lv.y[1]
      if c["vmm_" .. call] then ref = M.curve_at(M.vmm_curve(c, call), M.LIVE_VA_RANGE) end
      local pts = {}
      for i = 2, #lv.x do pts[#pts + 1] = { lv.x[i], lv.y[i] / ref } end
      t["vmm_" .. call .. "_live_va"] = pts
    end
  end
  if #no_live > 0 and cal.notes then
    local seen = false
    for _, n in ipairs(cal.notes) do seen = seen or n:match("^vmm live handles:") ~= nil end
    if not seen then
      cal.notes[#cal.notes + 1] = "vmm live handles: the report has no calls among live handles on an idle "
        .. "GPU: no vmm_<call>_live tables, calls cost the same at every live-handle count"
    end
  end
  t.source = ("calibration report %s (%s), curves read by scripts/kvsim/calibration.lua")
    :format(cal.path, cal.device or "device not named")
  if gs == "gaprun" then
    t.source = t.source .. "; gap tables (vmm_<call>_gap) from the serving run's gap probe (vmm_gaprun_*)"
  end
  return t
end

-- The range kvsim-calibrate reserves among live ranges (kernels/calib_internal.cuh
-- kLiveVaRange): a layer's K or V at 8K tokens of an 8B model.
M.LIVE_VA_RANGE = 16 * 2^20

-- y at x of a list of {x, y} pairs sorted by x: linear between points,
-- flat past both ends (the platform's reserve / free_va curves are flat
-- past their last point, and start at the granularity).
function M.curve_at(pts, x)
  if x <= pts[1][1] then return pts[1][2] end
  for i = 2, #pts do
    if x <= pts[i][1] then
      local a, b = pts[i - 1], pts[i]
      return a[2] + (b[2] - a[2]) * (x - a[1]) / (b[1] - a[1])
    end
  end
  return pts[#pts][2]
end

-- The platform's vmm_<call>_curve from curves c: the call's curve; for
-- reserve and free_va (by range bytes) with the handle table's column
-- (vmm_<call>_handle: a range the handle's size, in the create ... free
-- cycles) at the sizes the range table lacks (it measures 2 MiB, 64 MiB,
-- 1 GiB and up: a 16 MiB range would otherwise be priced on the line
-- between 2 and 64 MiB), at most 16 points, by size.
function M.vmm_curve(c, call)
  local cv = c["vmm_" .. call]
  local pts = pairs_of(cv)
  local h = (call == "reserve" or call == "free_va") and c["vmm_" .. call .. "_handle"]
  if h then
    local have = {}
    for i = 1, #cv.x do have[cv.x[i]] = true end
    for i = 1, #h.x do
      if not have[h.x[i]] and #pts < 16 then pts[#pts + 1] = { h.x[i], h.y[i] } end
    end
    table.sort(pts, function(a, b) return a[1] < b[1] end)
  end
  return pts
end

-- Live handles of kvsim-calibrate's context cycles (kernels/calib_vmm.cu
-- kLive), for a curves CSV, whose rows do not name it.
M.CONTEXT_LIVE_HANDLES = 128

-- Several calibrations of one kind of card as one: each curve that all of
-- them measured takes, point by point, the median of their values (the
-- i-th point with the i-th when every one has as many, the abscissa pooled
-- too: a gap's measured ms; else the k-th occurrence of an x with the
-- k-th, points some lack left out); each
-- constant that all of them hold, the median of theirs. One calibration's
-- VMM figures move by tens of % from one device call to the next while
-- the runs they price move less (docs/validation.md), so a platform for a
-- card is steadier built from several. Curves or constants missing from
-- any of them are left out (and named in the result's notes).
function M.pool(cals)
  if type(cals) ~= "table" or #cals == 0 then error("calibration.pool: no calibrations given", 2) end
  local paths = {}
  for i, c in ipairs(cals) do paths[i] = c.path or ("#" .. i) end
  local out = { path = "pool of " .. table.concat(paths, ", "), curves = {}, fields = {}, notes = {}, wrote = {},
    device = cals[1].device, pooled = paths }
  local dropped = {}
  local function at(curve, x, k) -- the k-th y of curve at x
    local seen = 0
    for i = 1, #curve.x do
      if curve.x[i] == x then
        seen = seen + 1
        if seen == k then return curve.y[i] end
      end
    end
  end
  for _, c0 in ipairs(cals[1].curves) do
    local all = true
    for _, c in ipairs(cals) do all = all and c.curves[c0.name] ~= nil end
    if not all then
      dropped[#dropped + 1] = c0.name
    else
      local same_len = true
      for _, c in ipairs(cals) do same_len = same_len and #c.curves[c0.name].x == #c0.x end
      local occ = {}
      for i, x in ipairs(c0.x) do
        local xs, ys = { x }, { c0.y[i] }
        if same_len then -- point by point: a series measured on one schedule
          for j = 2, #cals do
            xs[j], ys[j] = cals[j].curves[c0.name].x[i], cals[j].curves[c0.name].y[i]
          end
          local num = true
          for _, v in ipairs(xs) do num = num and type(v) == "number" end
          x = num and V.median(xs) or x -- a measured abscissa (a gap's ms) pools too
        else -- by abscissa
          occ[x] = (occ[x] or 0) + 1
          for j = 2, #cals do ys[j] = at(cals[j].curves[c0.name], x, occ[x]) end
        end
        if #ys == #cals then add(out.curves, c0.name, x, V.median(ys), c0.unit) end
      end
    end
  end
  for k, v in pairs(cals[1].fields) do
    local ys = {}
    for j, c in ipairs(cals) do ys[j] = tonumber(c.fields[k]) end
    if #ys == #cals and type(v) == "number" then out.fields[k] = V.median(ys) end
  end
  local duplex = {}
  for j, c in ipairs(cals) do duplex[j] = c.duplex_bw end
  if #duplex == #cals then out.duplex_bw = V.median(duplex) end
  out.host_bw_one_thread = cals[1].host_bw_one_thread
  table.sort(dropped)
  if #dropped > 0 then
    out.notes[1] = "pool: curves not in every calibration, left out: " .. table.concat(dropped, ", ")
  end
  return out
end

M.vmm_calls = VMM_COLUMNS
return M
