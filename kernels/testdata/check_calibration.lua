-- kernels/testdata/check_calibration.lua - the two ways a calibration is
-- read (scripts/kvsim/calibration.lua) agree: the text report
-- (M.read_text) and the raw curves CSV (M.read_csv) give the same curves,
-- points and values within the report's printed precision; M.read finds
-- the CSV beside the report; the Lua platform kvsim-calibrate wrote loads
-- with kv.platform{ file = } and carries the curves and factors the CSV
-- gives; an older report (no CSV, no new sections) still reads.
-- The fixture (calibrate.txt, example.lua, example.curves.csv) is
-- kvsim-calibrate's own output with made-up figures:
--   build-g/kernels/kvsim-calibrate --example kernels/testdata
-- Run from the repository root:
--   build-g/kvsim kernels/testdata/check_calibration.lua
-- Prints OK, or fails with the first disagreement.

local kv = require "kvsim"
local cal = kv.calibration

local dir = (arg and arg[0] and arg[0]:match("^(.*/)")) or "./"
local REPORT, CSV, LUA = dir .. "calibrate.txt", dir .. "example.curves.csv", dir .. "example.lua"

local function fail(fmt, ...)
  error("check_calibration: " .. fmt:format(...), 0)
end

-- Half a unit of the report's last printed digit, per unit: s in us with
-- 2 decimals, B/s in GB/s with 2 decimals, ratios with 4 decimals.
local TEXT_TOL = { s = 0.5e-8, ["B/s"] = 0.5e7, ratio = 0.5e-4 }

local function close(a, b, abs, rel)
  return math.abs(a - b) <= abs + rel * math.max(math.abs(a), math.abs(b))
end

-- y by x (a number, or a name for the VMM context curves)
local function points(c)
  local t, n = {}, 0
  for i = 1, #c.x do
    if t[c.x[i]] ~= nil then fail("%s: x %s twice", c.name, tostring(c.x[i])) end
    t[c.x[i]], n = c.y[i], n + 1
  end
  return t, n
end

local function same_curves(a, a_what, b, b_what, tol_of)
  local names = 0
  for _, ca in ipairs(a) do
    names = names + 1
    local cb = b[ca.name]
    if not cb then fail("curve %s: in %s, not in %s", ca.name, a_what, b_what) end
    if ca.unit ~= cb.unit then fail("curve %s: unit %s in %s, %s in %s", ca.name, ca.unit, a_what, cb.unit, b_what) end
    local pa, na = points(ca)
    local pb, nb = points(cb)
    if na ~= nb then fail("curve %s: %d points in %s, %d in %s", ca.name, na, a_what, nb, b_what) end
    for x, ya in pairs(pa) do
      local yb = pb[x]
      if yb == nil then fail("curve %s: x %s in %s, not in %s", ca.name, tostring(x), a_what, b_what) end
      local abs, rel = tol_of(ca.unit)
      if not close(ya, yb, abs, rel) then
        fail("curve %s at x %s: %.9g in %s, %.9g in %s", ca.name, tostring(x), ya, a_what, yb, b_what)
      end
    end
  end
  for _, cb in ipairs(b) do
    if not a[cb.name] then fail("curve %s: in %s, not in %s", cb.name, b_what, a_what) end
  end
  return names
end

-- 1. text and CSV give the same curves
local text = cal.read_text(REPORT)
local csv = cal.read_csv(CSV)
local n = same_curves(text.curves, "the report", csv.curves, "the CSV", function(unit)
  local t = TEXT_TOL[unit]
  if not t then fail("unit %s has no stated tolerance", unit) end
  return t * 1.001, 1e-12
end)
for _, name in ipairs{ "copy_h2d", "batch_h2d", "batch_call", "batch_call_bytes", "sm_copy_256_h2d",
                       "sm_threads_256_h2d", "sm_threads_1024_d2h", "vmm_create",
                       "vmm_reserve", "vmm_reserve_handle", "vmm_free_va", "vmm_context_after_step",
                       "attn_block_table", "attn_offset_table", "vmm_grow_create", "vmm_regrow_map",
                       "vmm_regrow_va_set_access", "vmm_reserve_live_va", "vmm_free_va_live_va" } do
  if not csv.curves[name] then fail("curve %s missing", name) end
end
if csv.curves.vmm_reserve.x[#csv.curves.vmm_reserve.x] ~= 2^40 then
  fail("vmm_reserve: the range curve should end at 1 TiB, got %s", tostring(csv.curves.vmm_reserve.x[#csv.curves.vmm_reserve.x]))
end
for k, v in pairs(text.fields) do
  local w = csv.fields[k]
  if w == nil then fail("constant %s: in the report, not in %s", k, LUA) end
  if not close(v, w, 0, 1e-3) then fail("constant %s: %g in the report, %g in %s", k, v, w, LUA) end
end

-- 2. M.read takes the curves from the CSV beside the report
local auto = cal.read(REPORT)
if auto.curves_from ~= CSV then fail("M.read(%s) read its curves from %s, not %s", REPORT, tostring(auto.curves_from), CSV) end
same_curves(auto.curves, "M.read", csv.curves, "the CSV", function() return 0, 0 end)

-- 3. the Lua platform carries what the CSV gives
local from_file = kv.platform{ file = LUA }
local from_csv = kv.platform(cal.platform_fields(auto, "h100-sxm-80gb"))
local fields = { "copy_h2d_curve", "copy_d2h_curve", "sm_copy_h2d_curve", "sm_copy_d2h_curve",
                 "sm_copy_page_h2d_curve", "sm_copy_page_d2h_curve", "batch_h2d_curve",
                 "batch_d2h_curve", "attn_block_table_curve", "attn_offset_table_curve" }
for _, call in ipairs(cal.vmm_calls) do
  fields[#fields + 1] = "vmm_" .. call .. "_curve"
end
for _, call in ipairs{ "create", "map", "set_access" } do
  fields[#fields + 1] = "vmm_" .. call .. "_grow"
end
for _, f in ipairs(fields) do
  local a, b = from_file[f], from_csv[f]
  if #a == 0 or #a ~= #b then fail("%s: %d points in %s, %d from the CSV", f, #a, LUA, #b) end
  -- the page factors are ratios the file holds to 6 significant digits
  local rel = f:match("^sm_copy_page_") and 1e-5 or 1e-9
  for i = 1, #a do
    if a[i][1] ~= b[i][1] or not close(a[i][2], b[i][2], 0, rel) then
      fail("%s point %d: {%g, %g} in %s, {%g, %g} from the CSV", f, i, a[i][1], a[i][2], LUA, b[i][1], b[i][2])
    end
  end
end
for _, call in ipairs(cal.vmm_calls) do
  for _, ctx in ipairs{ "busy", "after_step" } do
    local k = ("vmm_%s_%s"):format(call, ctx)
    local a, b = from_file[k], from_csv[k]
    if not (a > 0) or not close(a, b, 0, 1e-9) then fail("%s: %.17g in %s, %.17g from the CSV", k, a, LUA, b) end
  end
end
-- tables: live handles per call, SM copies by page x SMs and by threads x
-- SMs, batched-call host time by entries (each level: same length, numbers within 1e-9)
local function same_table(name, a, b, path)
  if type(a) ~= type(b) then fail("%s%s: %s in %s, %s from the CSV", name, path, type(a), LUA, type(b)) end
  if type(a) == "number" then
    if not close(a, b, 0, 1e-9) then fail("%s%s: %.17g in %s, %.17g from the CSV", name, path, a, LUA, b) end
    return
  end
  if #a ~= #b or #a == 0 then fail("%s%s: %d entries in %s, %d from the CSV", name, path, #a, LUA, #b) end
  for i = 1, #a do same_table(name, a[i], b[i], ("%s[%d]"):format(path, i)) end
end
local tables = { "sm_copy_grid_h2d", "sm_copy_grid_d2h", "sm_copy_threads_grid_h2d", "sm_copy_threads_grid_d2h",
                 "batch_call_curve" }
for _, call in ipairs(cal.vmm_calls) do tables[#tables + 1] = "vmm_" .. call .. "_live" end
tables[#tables + 1] = "vmm_reserve_live_va"
tables[#tables + 1] = "vmm_free_va_live_va"
for _, f in ipairs(tables) do same_table(f, from_file[f], from_csv[f], "") end
if #from_file.vmm_create_live < 4 then fail("vmm_create_live: the sweep's points are missing") end
if not close(from_file.batch_call, from_csv.batch_call, 0, 1e-9) then
  fail("batch_call: %.17g in %s, %.17g from the CSV", from_file.batch_call, LUA, from_csv.batch_call)
end

-- 4. an older report still reads (text only)
local old = "results/2026-11-22-h100-validate-4/calibrate.txt"
local f = io.open(old, "r")
local old_note = "not found, skipped"
if f then
  f:close()
  local o = cal.read(old)
  if o.curves_from then fail("%s: a CSV %s was used", old, o.curves_from) end
  for _, name in ipairs{ "copy_h2d", "sm_copy_65536_d2h", "vmm_create", "vmm_reserve", "vmm_context_busy" } do
    if not o.curves[name] then fail("%s: curve %s missing", old, name) end
  end
  if #o.curves.copy_h2d.x ~= 9 or #o.curves.vmm_reserve.x ~= 4 then fail("%s: wrong point counts", old) end
  kv.platform(cal.platform_fields(o, "h100-sxm-80gb"))
  old_note = "reads"
end

print(("OK: %d curves agree between %s and %s; M.read uses the CSV; %s loads with them; older report %s")
  :format(n, REPORT, CSV, LUA, old_note))
