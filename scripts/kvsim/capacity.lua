-- kvsim/capacity.lua - capacity under an SLO: the highest rate multiplier of
-- a workload at which a run still meets a latency SLO, found by bracketing
-- and bisection (as Vidur's capacity search does), the per-request goodput
-- of a run, and a throughput-against-latency plot with the rate on each point.
-- Used by experiments/capacity.lua; tests/lua/capacity_known.lua checks the
-- search against a case whose answer is computed by hand.
-- Main entry points: new_search(), search(), judge(), pareto_plot().
--
-- A search is a small state machine so that many searches can advance in
-- lockstep (one kv.sweep per round, runs of all searches in parallel):
--
--   local s = capacity.new_search{ start = 1, precision = 0.05 }
--   while s:next() do s:record(s:next(), passes(s:next())) end
--   s.status, s.lo, s.hi      -- "found" / "above" / "below", bracket
--
-- Bracketing: from `start`, double while the SLO holds (until the first
-- failure) or halve while it fails (until the first success); then bisect
-- the bracket [lo passes, hi fails] at its midpoint until (hi - lo) / lo <=
-- precision. The capacity is lo, the highest multiplier seen to pass.
-- "above": it still passed at max_mult (capacity >= lo); "below": it failed
-- at min_mult (no capacity found). The SLO is assumed to fail from some rate
-- on; when it is not monotone in the rate, bisection finds one crossing.

local M = {}

local Search = {}
Search.__index = Search

function M.new_search(o)
  o = o or {}
  local s = setmetatable({
    start = o.start or 1, precision = o.precision or 0.05,
    min_mult = o.min_mult or 2 ^ -10, max_mult = o.max_mult or 2 ^ 10,
    lo = nil, hi = nil, done = false, status = nil, evals = 0, phase = "bracket",
  }, Search)
  assert(s.start > 0 and s.precision > 0 and s.min_mult > 0 and s.max_mult >= s.min_mult,
    "capacity.new_search: start, precision, min_mult > 0 and max_mult >= min_mult")
  s.pending = s.start
  return s
end

-- The multiplier to evaluate next, or nil when the search is over.
function Search:next()
  if self.done then return nil end
  return self.pending
end

-- The outcome of evaluating the pending multiplier m.
function Search:record(m, pass)
  assert(not self.done and m == self.pending, "capacity: record() of a multiplier not asked for")
  self.evals = self.evals + 1
  if pass then self.lo = m else self.hi = m end
  if not self.hi then             -- passing so far: double
    if m * 2 > self.max_mult then
      self.done, self.status = true, "above"
    else
      self.pending = m * 2
    end
  elseif not self.lo then         -- failing so far: halve
    if m / 2 < self.min_mult then
      self.done, self.status = true, "below"
    else
      self.pending = m / 2
    end
  else                            -- bracketed: bisect
    self.phase = "bisect"
    if (self.hi - self.lo) / self.lo <= self.precision then
      self.done, self.status = true, "found"
    else
      self.pending = (self.lo + self.hi) / 2
    end
  end
end

-- A sequential search: passes(m) -> boolean. Returns the finished search.
function M.search(passes, o)
  local s = M.new_search(o)
  while s:next() do
    local m = s:next()
    s:record(m, passes(m) and true or false)
  end
  return s
end

-- judge(result, slo) -> table: whether a run (kv.run / kv.sweep result with
-- requests = true) meets slo = { ttft_p99 =, tpot_p99 =, goodput_frac = }
-- (seconds; goodput_frac 0 = not required), and its goodput. A request is
-- good (DistServe's goodput) when it was served in full with TTFT <=
-- ttft_p99 and TPOT <= tpot_p99 (TPOT only with more than one output
-- token). goodput = good requests / sim_time; goodput_frac = good / requests
-- not rejected as too long. The run passes when nothing is left unfinished,
-- nothing was rejected as unplaceable, both p99s meet their bounds and the
-- good fraction is at least goodput_frac. `reason` names the first failing
-- criterion ("" when it passes).
function M.judge(r, slo)
  local S, q = r.summary, r.requests
  assert(q and q.arrival, "capacity.judge: the run needs requests = true")
  local good = 0
  for i = 1, #q.arrival do
    if not q.rejected[i] and q.generated[i] >= q.output[i] then
      local ttft = q.first_token[i] - q.arrival[i]
      local g = q.generated[i]
      local tpot = g > 1 and (q.finish[i] - q.first_token[i]) / (g - 1) or 0
      if ttft <= slo.ttft_p99 and tpot <= slo.tpot_p99 then good = good + 1 end
    end
  end
  local served = S.requests - S.rejected_too_long
  local frac = served > 0 and good / served or 0
  local reason = ""
  if S.unfinished > 0 then
    reason = ("%d unfinished"):format(S.unfinished)
  elseif S.rejected_no_fit > 0 then
    reason = ("%d rejected (no fit)"):format(S.rejected_no_fit)
  elseif S.ttft_p99 > slo.ttft_p99 then
    reason = ("TTFT p99 %.3g s > %.3g s"):format(S.ttft_p99, slo.ttft_p99)
  elseif S.tpot_p99 > slo.tpot_p99 then
    reason = ("TPOT p99 %.3g ms > %.3g ms"):format(1e3 * S.tpot_p99, 1e3 * slo.tpot_p99)
  elseif frac < (slo.goodput_frac or 0) then
    reason = ("good fraction %.3f < %.3f"):format(frac, slo.goodput_frac)
  end
  return {
    pass = reason == "", reason = reason, good = good,
    goodput = S.sim_time > 0 and good / S.sim_time or 0, goodput_frac = frac,
  }
end

local terminal

local function quote(s)
  return '"' .. tostring(s):gsub('[\\"]', "\\%0") .. '"'
end

-- pareto_plot{ file =, title =, xlabel =, ylabel =, logx =, logy =,
--   series = { { label =, x = {...}, y = {...}, labels = {...} }, ... } }
-- One line with points per series, each point annotated with its label (the
-- rate). PNG through gnuplot; false when gnuplot is missing (kv.plot says
-- so once on stderr).
function M.pareto_plot(spec)
  local plot = require "kvsim.plot"
  if not plot.have_gnuplot() then return false end
  if not terminal then
    local t = io.popen("gnuplot -e 'set terminal pngcairo' 2>&1")
    local msg = t and t:read("a") or "?"
    if t then t:close() end
    terminal = (msg == "") and "pngcairo" or "png"
  end
  local g = {
    ("set terminal %s size %d,%d"):format(terminal, spec.width or 1100, spec.height or 650),
    "set output " .. quote(spec.file),
    "set grid", "set key outside right", "set termoption noenhanced",
  }
  if spec.title then g[#g + 1] = "set title " .. quote(spec.title) end
  if spec.xlabel then g[#g + 1] = "set xlabel " .. quote(spec.xlabel) end
  if spec.ylabel then g[#g + 1] = "set ylabel " .. quote(spec.ylabel) end
  if spec.logx then g[#g + 1] = "set logscale x" end
  if spec.logy then g[#g + 1] = "set logscale y" end
  local plots = {}
  for i, s in ipairs(spec.series) do
    if #s.x > 0 then
      g[#g + 1] = ("$d%d << EOD"):format(i)
      for j = 1, #s.x do
        g[#g + 1] = ("%.9g %.9g %s"):format(s.x[j], s.y[j], quote(s.labels and s.labels[j] or ""))
      end
      g[#g + 1] = "EOD"
      plots[#plots + 1] = ("$d%d using 1:2 with linespoints lw 2 pt 7 ps 0.8 lc %d title %s"):format(
        i, i, quote(s.label))
      plots[#plots + 1] = ("$d%d using 1:2:3 with labels offset 0.6,0.6 left font ',8' tc lt %d notitle")
        :format(i, i)
    end
  end
  if #plots == 0 then return false end
  g[#g + 1] = "plot " .. table.concat(plots, ", \\\n  ")
  local script = os.tmpname()
  local f = assert(io.open(script, "w"))
  f:write(table.concat(g, "\n"), "\n")
  f:close()
  local p = io.popen("gnuplot " .. script .. " 2>&1")
  local msg = p:read("a")
  local ok = p:close()
  os.remove(script)
  if not ok then
    io.stderr:write("kvsim: gnuplot failed for ", spec.file, ": ", msg, "\n")
    return false
  end
  return true
end

return M
