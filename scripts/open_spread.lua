-- scripts/open_spread.lua - how far two open-arrival validations of the
-- same cases differ from each other, measured side against measured side,
-- next to each one's error against the simulation: the hardware's
-- run-to-run spread is the floor under any model's op-level error.
--
--   build/kvsim scripts/open_spread.lua A/open-table/report.csv B/open-table/report.csv
--
-- Reads the report.csv files experiments/validate_open.lua writes; pairs
-- the complete cases' quantities by (label, quantity) and prints, per
-- category: the pairs, the median |A - B| / mean(A, B) of the measured
-- values, the median |error| of A, of B and of both pooled.

local function fail(fmt, ...)
  io.stderr:write("open_spread: " .. fmt:format(...) .. "\n")
  os.exit(1)
end

local function load(path)
  local f, err = io.open(path, "r")
  if not f then fail("%s", err) end
  local cols, rows, lineno = nil, {}, 0
  for line in f:lines() do
    lineno = lineno + 1
    local v = {}
    for c in (line:gsub("\r$", "") .. ","):gmatch("([^,]*),") do v[#v + 1] = c end
    if not cols then
      cols = {}
      for i, name in ipairs(v) do cols[name] = i end
      for _, need in ipairs { "label", "category", "quantity", "measured", "error_pct", "complete" } do
        if not cols[need] then fail("%s:1: no column %q (a validate_open.lua report.csv?)", path, need) end
      end
    elseif #v > 1 and v[cols.complete] == "1" then
      local m, e = tonumber(v[cols.measured]), tonumber(v[cols.error_pct])
      if not m or not e then fail("%s:%d: measured or error_pct is not a number", path, lineno) end
      rows[v[cols.label] .. "\0" .. v[cols.quantity]] = { cat = v[cols.category], m = m, e = math.abs(e) }
    end
  end
  f:close()
  if not cols then fail("%s: empty", path) end
  return rows
end

local function median(t)
  if #t == 0 then return 0 / 0 end
  table.sort(t)
  local n = #t
  return n % 2 == 1 and t[(n + 1) // 2] or (t[n // 2] + t[n // 2 + 1]) / 2
end

if #arg ~= 2 then fail("usage: kvsim scripts/open_spread.lua A/report.csv B/report.csv") end
local a, b = load(arg[1]), load(arg[2])
local keys = {}
for k in pairs(a) do
  if b[k] then keys[#keys + 1] = k end
end
table.sort(keys)
local by = {}
for _, k in ipairs(keys) do
  local c = a[k].cat
  by[c] = by[c] or { spread = {}, ea = {}, eb = {}, pooled = {} }
  local g, ma, mb = by[c], a[k].m, b[k].m
  local mean = (ma + mb) / 2
  g.spread[#g.spread + 1] = mean ~= 0 and math.abs(ma - mb) / math.abs(mean) * 100 or 0
  g.ea[#g.ea + 1], g.eb[#g.eb + 1] = a[k].e, b[k].e
  g.pooled[#g.pooled + 1], g.pooled[#g.pooled + 2] = a[k].e, b[k].e
end
print(("A: %s\nB: %s"):format(arg[1], arg[2]))
print(("%-8s %5s  %16s  %10s  %10s  %13s"):format("category", "pairs", "spread A-B med", "|err| A", "|err| B",
  "|err| pooled"))
local cats = {}
for c in pairs(by) do cats[#cats + 1] = c end
table.sort(cats)
for _, c in ipairs(cats) do
  local g = by[c]
  print(("%-8s %5d  %15.2f%%  %9.2f%%  %9.2f%%  %12.2f%%"):format(c, #g.ea, median(g.spread), median(g.ea),
    median(g.eb), median(g.pooled)))
end
