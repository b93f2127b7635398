-- tests/lua/capacity_known.lua - the capacity search (scripts/kvsim/capacity.lua)
-- on cases whose answer is computed by hand; run by tests/test_capacity.c.
-- Prints "ok" lines and ends with "capacity_known: all ok"; any failure
-- raises (exit 1). arg[1]: a scratch directory for the trace it writes.
--
-- 1. A pure predicate (passes iff m <= 3.7): the search must bracket by
--    doubling from 1 (1, 2, 4), bisect [2, 4] and stop within the precision.
-- 2. The engine: 101 requests of 2,000 prompt tokens and 1 output token
--    arriving exactly 1 s apart (an Azure-format CSV written here), served
--    one at a time (max_num_seqs = 1) on the ideal backend. One request alone
--    takes s seconds (its TTFT, measured). At multiplier m the gaps are 1/m:
--    below 1/s nothing queues; above, request n (0-based) waits n (s - 1/m),
--    so TTFT_n = s + n (s - 1/m). The 99th percentile of 101 sorted values
--    (linear interpolation, core/base/util.c) is TTFT_99 = s + 99 (s - 1/m), so
--    with the SLO TTFT p99 <= T the capacity is m* = 1 / (s - (T - s) / 99).
--    The search must return lo in [m* (1 - precision), m*] with lo passing.

local kv = require "kvsim"
local capacity = require "kvsim.capacity"

local dir = arg[1] or "."

local function check(cond, fmt, ...)
  if not cond then error(("FAIL: " .. fmt):format(...), 2) end
end

-- ---- 1. a pure predicate ----
do
  local seen = {}
  local s = capacity.search(function(m) seen[#seen + 1] = m; return m <= 3.7 end,
    { start = 1, precision = 0.05 })
  check(s.status == "found", "status %s", tostring(s.status))
  check(seen[1] == 1 and seen[2] == 2 and seen[3] == 4, "bracketing %s", table.concat(seen, ","))
  check(s.lo <= 3.7 and s.hi > 3.7 and (s.hi - s.lo) / s.lo <= 0.05,
    "bracket [%g, %g]", s.lo, s.hi)
  check(s.lo >= 3.7 * 0.95, "lo %g too low", s.lo)
  print(("ok predicate: capacity %g (true 3.7), %d evaluations"):format(s.lo, s.evals))

  -- halving from a failing start, and the two open-ended outcomes
  local h = capacity.search(function(m) return m <= 0.3 end, { start = 1, precision = 0.01 })
  check(h.status == "found" and h.lo <= 0.3 and h.lo >= 0.3 * 0.99, "halving: %s %g", h.status, h.lo or -1)
  local a = capacity.search(function() return true end, { start = 1, max_mult = 16 })
  check(a.status == "above" and a.lo == 16 and a.hi == nil, "above: %s %s", a.status, tostring(a.lo))
  local b = capacity.search(function() return false end, { start = 1, min_mult = 0.25 })
  check(b.status == "below" and b.lo == nil and b.hi == 0.25, "below: %s %s", b.status, tostring(b.hi))
  print("ok halving, above, below")
end

-- ---- 2. the engine ----
local path = dir .. "/capacity_known.csv"
local f = assert(io.open(path, "w"))
f:write("TIMESTAMP,ContextTokens,GeneratedTokens\n")
for i = 0, 100 do
  f:write(("2024-01-01 00:%02d:%02d.0000000,2000,1\n"):format(i // 60, i % 60))
end
f:close()

local function run(w)
  return kv.run { model = "llama-3-8b", platform = "h100-sxm-80gb", workload = w,
    strategy = { "paged", block_tokens = 16 }, backend = "ideal", max_num_seqs = 1, requests = true }
end

local alone = run(kv.workload { trace = path, count = 1 })
local s = alone.summary.ttft_p99
check(s > 0, "service time %g", s)
local T = 2 * s
local mstar = 1 / (s - (T - s) / 99)
local slo = { ttft_p99 = T, tpot_p99 = 1, goodput_frac = 0 }

-- the formula against the engine at one overloaded point
do
  local m = 1.05 / s
  local r = run(kv.workload { trace = path, speedup = m })
  local want = s + 99 * (s - 1 / m)
  check(math.abs(r.summary.ttft_p99 - want) <= 1e-9 * want,
    "TTFT p99 at x%g: engine %.12g, formula %.12g", m, r.summary.ttft_p99, want)
  print(("ok formula at x%.4g: TTFT p99 %.6g s"):format(m, want))
end

local prec = 0.02
local evals = 0
local found = capacity.search(function(m)
  evals = evals + 1
  local r = run(kv.workload { trace = path, speedup = m })
  return capacity.judge(r, slo).pass
end, { start = 1, precision = prec })
check(found.status == "found", "engine search status %s", tostring(found.status))
check(found.lo <= mstar and found.lo >= mstar * (1 - prec),
  "engine capacity x%.6g, expected within %g of x%.6g", found.lo, prec, mstar)
check(found.hi > mstar, "failing bound x%.6g <= x%.6g", found.hi, mstar)
local j = capacity.judge(run(kv.workload { trace = path, speedup = found.lo }), slo)
check(j.pass and j.goodput_frac == 1, "at capacity: pass %s, good fraction %g", tostring(j.pass), j.goodput_frac)
print(("ok engine: service %.6g s, capacity x%.6g (known x%.6g), %d evaluations"):format(
  s, found.lo, mstar, evals))
print("capacity_known: all ok")
