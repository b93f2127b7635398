-- scripts/preset_curves.lua - print, as C initializers for core/inputs/platform.c,
-- the measured curves of a kvsim-calibrate report (calibrate.txt): what a
-- preset carries besides its scalar constants. The presets' comments name
-- the report and this command:
--
--   build/kvsim scripts/preset_curves.lua results/<run>/calibrate.txt

local kv = require "kvsim"
local path = arg[1] or error("usage: kvsim scripts/preset_curves.lua CALIBRATE.TXT")
local cal = kv.calibration.read(path)
local t = kv.calibration.platform_fields(cal, nil)

local function curve(pairs_)
  local xs, ys = {}, {}
  for i, p in ipairs(pairs_) do
    xs[i] = p[1] == math.floor(p[1]) and ("%d"):format(p[1]) or ("%.6g"):format(p[1])
    ys[i] = ("%.4g"):format(p[2])
  end
  return ("{.n = %d, .x = {%s}, .y = {%s}}"):format(#pairs_, table.concat(xs, ", "), table.concat(ys, ", "))
end

local ENUM = { reserve = "KV_VMM_RESERVE", create = "KV_VMM_CREATE", map = "KV_VMM_MAP",
  set_access = "KV_VMM_SET_ACCESS", unmap = "KV_VMM_UNMAP", release = "KV_VMM_RELEASE",
  free_va = "KV_VMM_FREE_VA" }
print(("/* curves of %s (scripts/preset_curves.lua) */"):format(path))
print(".vmm_curve = {")
for _, c in ipairs(kv.calibration.vmm_calls) do
  local v = t["vmm_" .. c .. "_curve"]
  if v then print(("    [%s] = %s,"):format(ENUM[c], curve(v))) end
end
print("},")
for _, ctx in ipairs{ "busy", "after_step" } do
  local parts = {}
  for _, c in ipairs(kv.calibration.vmm_calls) do
    local v = t[("vmm_%s_%s"):format(c, ctx)]
    if v then parts[#parts + 1] = ("[%s] = %.3f"):format(ENUM[c], v) end
  end
  if #parts > 0 then print((".vmm_%s = {%s},"):format(ctx, table.concat(parts, ", "))) end
end
do
  local parts = {}
  for _, c in ipairs(kv.calibration.vmm_calls) do
    local v = t["vmm_" .. c .. "_live"]
    if v then
      local xs, ys = {}, {}
      for i, p in ipairs(v) do
        xs[i], ys[i] = ("%d"):format(p[1]), ("%.4g"):format(p[2])
      end
      parts[#parts + 1] = ("    [%s] = {.n = %d, .x = {%s}, .y = {%s}},"):format(ENUM[c], #v,
        table.concat(xs, ", "), table.concat(ys, ", "))
    end
  end
  if #parts > 0 then print(".vmm_live = {\n" .. table.concat(parts, "\n") .. "\n},") end
end
for _, k in ipairs{ "copy_h2d_curve", "copy_d2h_curve", "batch_h2d_curve", "batch_d2h_curve", "batch_call_curve",
                   "sm_copy_h2d_curve", "sm_copy_d2h_curve" } do
  if t[k] then print((".%s = %s,"):format(k, curve(t[k]))) end
end
for _, k in ipairs{ "sm_copy_page_h2d_curve", "sm_copy_page_d2h_curve" } do
  if t[k] then
    local xs, ys = {}, {}
    for i, p in ipairs(t[k]) do
      xs[i] = ("%d"):format(p[1])
      ys[i] = ("%.4g"):format(p[2])
    end
    print((".%s = {.n = %d, .x = {%s}, .y = {%s}},"):format(k, #t[k], table.concat(xs, ", "), table.concat(ys, ", ")))
  end
end
if t.batch_call then print((".batch_call = %.4g,"):format(t.batch_call)) end
if not t.batch_h2d_curve and not t.batch_d2h_curve then
  print("/* no batched-copy table in the report: batch curves empty (the fallback prices KV_VIA_BATCH) */")
end
for _, n in ipairs(cal.notes) do print("/* note: " .. n .. " */") end
