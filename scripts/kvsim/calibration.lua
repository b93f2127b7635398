-- kvsim/calibration.lua - read what `kvsim-calibrate` printed (its text
-- report, calibrate.txt) into the raw curves it measured and a platform
-- table carrying them, so that every committed calibration can be loaded
-- as a platform with its measured tables (kv.platform{ base =, ... }) and
-- replayed point by point (experiments/closure.lua).
--
-- Curves read, when the report has them:
--   copy_h2d, copy_d2h        s per pinned cudaMemcpyAsync by bytes, back to back
--   sm_copy_<page>_<dir>      B/s of the SM copy kernel by SMs, per page size
--   vmm_<call>                s per driver call by handle (or range) bytes,
--                             in isolation (or the older "median over 64 calls")
--   vmm_context_<ctx>         s per call at the granularity, 128 live handles:
--                             ctx = idle, busy (a read stream beside), after_step
-- Main entry point: M.read(path) -> { curves = {...}, fields = {...},
-- device = "...", notes = {...} }; M.platform_fields(cal) -> a table for
-- kv.platform.

local M = {}

local VMM_COLUMNS = { "reserve", "create", "map", "set_access", "unmap", "release", "free_va" }

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

function M.read(path)
  local f, err = io.open(path, "r")
  if not f then error(("calibration report %s: %s"):format(path, err), 2) end
  local cal = { path = path, curves = {}, fields = {}, notes = {} }
  local section, sm_cols
  local lineno = 0
  for line in f:lines() do
    lineno = lineno + 1
    local w = words(line)
    if line:match("^Device:") then
      cal.device = line:match("^Device: ([^,]+)")
    elseif line:match("^duplex %(256 MiB each way at once%): [%d%.]+ GB/s") then
      cal.duplex_bw = tonumber(line:match(": ([%d%.]+) GB/s")) * 1e9
    elseif line:match("^PCIe copies, pinned, back to back") then
      section = "copy"
    elseif line:match("^SM copy over scattered pinned host pages") then
      section = "sm"
    elseif line:match("^CUDA VMM driver calls") then
      section = "vmm"
    elseif line:match("^platform constants") then
      section = "const"
    elseif line:match("^vmm 2 MiB, %d+ cycles among 128 live handles") then
      local ctx = line:match("GPU idle") and "idle" or line:match("GPU busy") and "busy"
        or line:match("right after a step") and "after_step"
      local rest = line:match("p10/p90%): (.*)$")
      if ctx and rest then
        for call, v in pairs(context_line(rest)) do
          add(cal.curves, "vmm_context_" .. ctx, call, v, "s")
        end
      end
      section = nil
    elseif section == "copy" and #w == 5 and tonumber(w[1]) then
      local b = tonumber(w[1])
      add(cal.curves, "copy_h2d", b, tonumber(w[2]) * 1e-6, "s")
      add(cal.curves, "copy_d2h", b, tonumber(w[4]) * 1e-6, "s")
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
    elseif section == "vmm" and w[2] == "MiB" and tonumber(w[1]) and #w == 9 then
      local bytes = tonumber(w[1]) * 2^20
      for i, call in ipairs(VMM_COLUMNS) do
        add(cal.curves, "vmm_" .. call, bytes, tonumber(w[2 + i]) * 1e-6, "s")
      end
    elseif section == "const" and line:match("^%s+[%w_]+%s+%S") and tonumber(w[2]) then
      cal.fields[w[1]] = tonumber(w[2])
      if w[1] == "host_bw" and line:match("one%-thread") then cal.host_bw_one_thread = true end
    elseif line:match("^%s*$") then
      if section ~= "const" then section = nil end
    end
  end
  f:close()
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
      :format(path), 2)
  end
  return cal
end

local function pairs_of(c)
  local t = {}
  for i = 1, #c.x do t[i] = { c.x[i], c.y[i] } end
  return t
end

-- The platform a calibration describes: its scalar constants, and its
-- measured tables as curves (copies by size per direction, SM copies by SMs
-- at the largest page measured, driver calls by size in isolation, with the
-- busy and after-step contexts as factors over the isolated cost at the
-- granularity). Single-GPU fields the report cannot measure (GPUs per
-- server, NVLink, NIC) are left to the base preset.
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
  local page = 0
  for _, cv in ipairs(c) do
    local p = cv.name:match("^sm_copy_(%d+)_")
    if p and tonumber(p) > page then page = tonumber(p) end
  end
  if page > 0 then
    t.sm_copy_h2d_curve = c[("sm_copy_%d_h2d"):format(page)] and pairs_of(c[("sm_copy_%d_h2d"):format(page)])
    t.sm_copy_d2h_curve = c[("sm_copy_%d_d2h"):format(page)] and pairs_of(c[("sm_copy_%d_d2h"):format(page)])
  end
  for _, call in ipairs(VMM_COLUMNS) do
    local cv = c["vmm_" .. call]
    if cv then
      t["vmm_" .. call .. "_curve"] = pairs_of(cv)
      local iso = cv.y[1]
      for _, ctx in ipairs{ "busy", "after_step" } do
        local k = c["vmm_context_" .. ctx]
        if k and iso > 0 then
          for i = 1, #k.x do
            if k.x[i] == call then t[("vmm_%s_%s"):format(call, ctx)] = k.y[i] / iso end
          end
        end
      end
    end
  end
  t.source = ("calibration report %s (%s), curves read by scripts/kvsim/calibration.lua")
    :format(cal.path, cal.device or "device not named")
  return t
end

M.vmm_calls = VMM_COLUMNS
return M
