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

local V = require "kvsim.validation"

local function fail(fmt, ...)
  io.stderr:write("open_spread: " .. fmt:format(...) .. "\n")
  os.exit(1)
end

local TEXT = { label = true, setting = true, category = true, quantity = true, unit = true, error_pct = true,
               steps_measured = true, steps_simulated = true }

-- the complete cases' quantities of one report.csv, keyed by label and
-- quantity (V.read_csv names the file and line of a malformed row)
local function load(path)
  local ok, rows, header = pcall(V.read_csv, path, { strings = TEXT })
  if not ok then fail("%s", rows) end
  local have = {}
  for _, name in ipairs(header) do have[name] = true end
  for _, need in ipairs { "label", "category", "quantity", "measured", "error_pct", "complete" } do
    if not have[need] then fail("%s:1: no column %q (a validate_open.lua report.csv?)", path, need) end
  end
  local out = {}
  for i, r in ipairs(rows) do
    if r.complete == 1 then
      local e = tonumber(r.error_pct)
      if not e then fail("%s:%d: error_pct '%s' is not a number", path, i + 1, r.error_pct) end
      out[r.label .. "\0" .. r.quantity] = { cat = r.category, m = r.measured, e = math.abs(e) }
    end
  end
  return out
end

local median = V.median

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
