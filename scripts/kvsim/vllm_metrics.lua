-- kvsim/vllm_metrics.lua - the quantities experiments/vllm_validation.lua
-- compares, measured and predicted: TTFT, ITL/TPOT and E2E (mean, p90,
-- p99) and throughput, and the quantile ladder of TTFT, TPOT and E2E. The
-- measured side comes from a block of inference-perf's lifecycle metrics
-- (the fixture scripts/import_vllm_runs.py writes), the predicted side from
-- the request columns of kvsim runs, percentiles taken as numpy takes them.
-- Main entry points: M.measured_of(b, out), M.predicted_of(results,
-- count_from), M.err_pct(measured, predicted); the lists M.METRICS,
-- M.LADDER, M.LADDER_METRICS.

local M = {}

-- The metrics compared, in print order. Latencies in seconds, throughput in
-- output tokens per second.
M.METRICS = {
  { key = "ttft_mean", title = "TTFT mean" }, { key = "ttft_p90", title = "TTFT p90" },
  { key = "ttft_p99", title = "TTFT p99" }, { key = "itl_mean", title = "ITL mean" },
  { key = "tpot_p90", title = "TPOT p90" }, { key = "tpot_p99", title = "TPOT p99" },
  { key = "e2e_mean", title = "E2E mean" }, { key = "e2e_p90", title = "E2E p90" },
  { key = "e2e_p99", title = "E2E p99" }, { key = "tput", title = "throughput", unit = "tok/s" },
}

-- The quantile ladder: TTFT, TPOT and E2E at these quantiles, measured (the
-- inference-perf keys the fixture keeps, scripts/import_vllm_runs.py) and
-- predicted (numpy's percentile over the simulated requests). inference-perf
-- gives TPOT per SSE chunk; each of its percentiles is scaled to tokens by
-- the run's chunks per token, as the main table's p90 and p99 are
-- (measured_of).
M.LADDER = {
  { key = "p10", q = 0.10 }, { key = "median", q = 0.50, title = "p50" }, { key = "p90", q = 0.90 },
  { key = "p95", q = 0.95 }, { key = "p99", q = 0.99 }, { key = "p99.9", q = 0.999 }, { key = "max", q = 1 },
}
M.LADDER_METRICS = { { key = "ttft", title = "TTFT" }, { key = "tpot", title = "TPOT" },
  { key = "e2e", title = "E2E" } }

-- One block of inference-perf lifecycle metrics -> the compared quantities.
-- inference-perf times streamed chunks, about two per token, so its TPOT and
-- ITL are about half a token's interval. With ignore_eos every request
-- generates `out` tokens, so the mean interval per token is exactly
-- (E2E mean - TTFT mean) / (out - 1); `chunks` = that / the chunk TPOT mean
-- scales the chunk percentiles to tokens. Throughput: completed requests per
-- second x out (inference-perf's own token rate counts re-tokenized text);
-- inference-perf's seconds run from the first request sent to the last one
-- ended, failures (timeouts) included, and so do kvsim's (predicted_of).
function M.measured_of(b, out)
  local tok = (b.e2e.mean - b.ttft.mean) / (out - 1)
  local chunks = tok / b.tpot_chunks.mean
  return {
    ttft_mean = b.ttft.mean, ttft_p90 = b.ttft.p90, ttft_p99 = b.ttft.p99,
    itl_mean = tok, tpot_p90 = chunks * b.tpot_chunks.p90, tpot_p99 = chunks * b.tpot_chunks.p99,
    e2e_mean = b.e2e.mean, e2e_p90 = b.e2e.p90, e2e_p99 = b.e2e.p99,
    tput = b.throughput.requests_per_sec * out,
    chunks_per_token = chunks, failures = b.failures, requests = b.requests, source = b.source,
    ladder = { ttft = b.ttft, e2e = b.e2e, tpot = (function()
      local t = {}
      for k, v in pairs(b.tpot_chunks) do t[k] = k ~= "mean" and chunks * v or nil end
      return t
    end)() },
  }
end

-- ---- statistics of simulated requests ------------------------------------------------

-- numpy's default percentile (linear between closest ranks), as inference-perf
local function pct(sorted, q)
  local n = #sorted
  if n == 0 then return 0 / 0 end
  local x = (n - 1) * q
  local lo = math.floor(x)
  local a, b = sorted[lo + 1], sorted[math.min(lo + 2, n)]
  return a + (b - a) * (x - lo)
end
local function mean(v)
  local s = 0
  for _, x in ipairs(v) do s = s + x end
  return #v > 0 and s / #v or 0 / 0
end

-- predicted quantities over the request columns of one or more stage runs;
-- count_from: label of a run whose first requests are a warm-up -> the
-- arrival time from which its requests count
function M.predicted_of(results, count_from)
  local ttft, tpot, e2e, gen, span, timed_out = {}, {}, {}, 0, 0, 0
  for _, r in ipairs(results) do
    local q = r.requests
    local from = count_from[r.label] or -math.huge
    local t0, t1 = math.huge, -math.huge
    for i = 1, #q.arrival do
      if q.arrival[i] < from then
        -- a warm-up request (apc_trace): not the stage's
      elseif q.rejected[i] == "timed_out" then
        -- a failure, as the load generator counts it; its end (the client
        -- giving up) still bounds the time throughput is taken over
        timed_out = timed_out + 1
        t1 = math.max(t1, q.arrival[i] + r.options.client_timeout)
      elseif not q.rejected[i] and q.generated[i] == q.output[i] and q.output[i] > 0 then
        ttft[#ttft + 1] = q.first_token[i] - q.arrival[i]
        e2e[#e2e + 1] = q.finish[i] - q.arrival[i]
        if q.output[i] > 1 then tpot[#tpot + 1] = (q.finish[i] - q.first_token[i]) / (q.output[i] - 1) end
        gen = gen + q.generated[i]
        t1 = math.max(t1, q.finish[i])
      end
      if q.arrival[i] >= from then t0 = math.min(t0, q.arrival[i]) end
    end
    if t1 > t0 then span = span + (t1 - t0) end
  end
  table.sort(ttft)
  table.sort(tpot)
  table.sort(e2e)
  local ladder = { ttft = {}, tpot = {}, e2e = {} }
  for _, l in ipairs(M.LADDER) do
    ladder.ttft[l.key], ladder.tpot[l.key], ladder.e2e[l.key] = pct(ttft, l.q), pct(tpot, l.q), pct(e2e, l.q)
  end
  return {
    ladder = ladder,
    ttft_mean = mean(ttft), ttft_p90 = pct(ttft, 0.9), ttft_p99 = pct(ttft, 0.99),
    itl_mean = mean(tpot), tpot_p90 = pct(tpot, 0.9), tpot_p99 = pct(tpot, 0.99),
    e2e_mean = mean(e2e), e2e_p90 = pct(e2e, 0.9), e2e_p99 = pct(e2e, 0.99),
    tput = span > 0 and gen / span or 0, completed = #e2e, timed_out = timed_out,
  }
end

-- the error of p against m in % of m; nil where either is missing or NaN,
-- or m is 0
function M.err_pct(m, p)
  if not m or not p or m ~= m or p ~= p or m == 0 then return nil end
  return 100 * (p - m) / m
end

return M
