-- kvsim/vllm_report.lua - the report of experiments/vllm_validation.lua:
-- its measured and predicted metrics per run and load stage, the errors per
-- run, model and set of runs with their medians, the fitted overheads
-- against their targets, the quantile ladder, the conclusion drawn from the
-- numbers, and the files (report.csv, ladder.csv, requests_RUN.csv,
-- summary.json, the plots and report.txt) written into --out. It only reads
-- and prints what the experiment measured and simulated; every line of text
-- goes through the experiment's say (printed, and kept for report.txt).
-- Main entry point: M.report(c), c the experiment's context:
--   opt: the parsed options; say(fmt, ...): print a line of the report;
--   lines: the lines said so far (report.txt); runs: the runs reproduced;
--   per_run: per run, its measured and predicted levels (info tables);
--   rows: report.csv's rows; by[run id][variant][stage]: kv.sweep results;
--   run_by_id: run id -> fixture run; variants: the predictions made;
--   fixture: the fixture; platform: the platform said in every output;
--   profile: the overhead profile read (nil without one);
--   conditions_differ: where this run differs from the profile's fit;
--   per_worker_max_tp: the profile's subset.max_tp; all_params: the
--   overhead terms a profile may have; not_modelled: run id -> what kvsim
--   does not model of it; count_from: run label -> the arrival time its
--   counted requests start at; sent_of(r), dp_of(r), prompt_tokens(r),
--   platform_name(r): the experiment's views of a run.

local kv = require "kvsim"
local V = require "kvsim.validation"
local F = require "kvsim.vllm_fixture"
local VM = require "kvsim.vllm_metrics"

local METRICS, LADDER, LADDER_METRICS, err_pct = VM.METRICS, VM.LADDER, VM.LADDER_METRICS, VM.err_pct

local M = {}

-- ---- printing ------------------------------------------------------------------------------------

local function fmt_val(v, unit)
  if v == nil or v == "" or v ~= v then return "-" end
  if unit == "tok/s" then return ("%.0f"):format(v) end
  if v >= 10 then return ("%.1f s"):format(v) end
  if v >= 1 then return ("%.2f s"):format(v) end
  return ("%.1f ms"):format(v * 1e3)
end
local function fmt_err(e)
  if e == nil or e == "" then return "-" end
  return ("%+.1f%%"):format(e)
end

-- medians of |error| over runs (nil for none)
local function median(v)
  if #v == 0 then return nil end
  return V.median(v)
end

-- issue 13, item 5: median |error| on the runs not used for fitting
local TARGETS = {
  { key = "ttft_mean", max = 10 }, { key = "itl_mean", max = 5 }, { key = "e2e_mean", max = 5 },
  { key = "ttft_p99", max = 10 }, { key = "tpot_p99", max = 10 }, { key = "e2e_p99", max = 10 },
}
local function title_of(key)
  for _, mt in ipairs(METRICS) do if mt.key == key then return mt.title end end
end

-- Per run: its settings, each metric measured and predicted per load stage
-- and over all of them, and kvsim's batch, steps and KV per prediction.
local function run_tables(c)
  local say, per_run, RUN_BY_ID, VARIANTS, by = c.say, c.per_run, c.run_by_id, c.variants, c.by
  local NOT_MODELLED, dp_of, prompt_tokens, platform_name = c.not_modelled, c.dp_of, c.prompt_tokens,
    c.platform_name
  say("")
  say("measured: inference-perf's lifecycle metrics; ITL mean and TPOT per token = inference-perf's chunk "
    .. "values x chunks per token (about 2: it times SSE chunks), throughput = completed req/s x output length")
  for _, info in ipairs(per_run) do
    local r = RUN_BY_ID[info.id]
    local st = {}
    for _, s in ipairs(r.workload.stages) do st[#st + 1] = ("%g req/s x %gs"):format(s.rate, s.duration) end
    say("")
    say("== %s: %s tp %d%s, %s, prompt %d + %d tokens%s, output %d; stages %s%s%s%s", info.id, r.model, info.tp,
      dp_of(r) > 1 and (" x dp %d"):format(dp_of(r)) or "",
      info.profile, r.workload.system_prompt_len, r.workload.question_len,
      prompt_tokens(r) ~= r.workload.system_prompt_len + r.workload.question_len
        and (" (%d as the server tokenized them)"):format(prompt_tokens(r)) or "", r.workload.output_len,
      table.concat(st, ", "), info.moe and "; MoE" or "",
      r.hardware and ("; on %s (%s)"):format(r.hardware.value, platform_name(r)) or "",
      info.saturated and "; SATURATED in the measurement" or "")
    if NOT_MODELLED[r.id] then say("not modelled (kvsim runs as if unset): %s", NOT_MODELLED[r.id]) end
    local bwhy = r.engine.from_backend and r.engine.from_backend.block_size
    if bwhy then say("KV blocks of %d tokens: %s", r.engine.block_size, bwhy) end
    local off, why = F.offload_of(r)
    if off and r.engine.enable_prefix_caching == false then
      say("CPU KV offloading: %g GiB, not simulated: kvsim's host copy of the prefix cache needs prefix "
        .. "caching, which this run turned off", off)
    elseif off then
      say("CPU KV offloading: %g GiB over %d GPU(s), a host copy of the prefix cache in the predictions with "
        .. "prefix caching (%s)", off, info.tp, why)
    end
    local t, cols = {}, { { key = "metric", title = "metric" } }
    local names = {}
    for k = 1, #r.measured.stages do names[#names + 1] = "s" .. (k - 1) end
    if #names > 1 then names[#names + 1] = "all" else names = { "all" } end
    for _, mt in ipairs(METRICS) do
      local row = { metric = mt.title }
      for _, n in ipairs(names) do
        local L = info.levels[n]
        row[n .. "_m"] = fmt_val(L.measured[mt.key], mt.unit)
        for _, v in ipairs(VARIANTS) do
          local p = L.predicted[v.key]
          row[n .. "_" .. v.key] = fmt_val(p and p[mt.key], mt.unit)
          row[n .. "_e" .. v.key] = fmt_err(p and err_pct(L.measured[mt.key], p[mt.key]))
        end
      end
      t[#t + 1] = row
    end
    for _, n in ipairs(names) do
      cols[#cols + 1] = { key = n .. "_m", title = n .. " measured" }
      for _, v in ipairs(VARIANTS) do
        if v.key == "sim" or n == "all" then
          cols[#cols + 1] = { key = n .. "_" .. v.key, title = v.title }
          cols[#cols + 1] = { key = n .. "_e" .. v.key, title = "error" }
        end
      end
    end
    say("%s", kv.table(t, cols))
    local s = {}
    for _, n in ipairs(names) do
      local p = info.levels[n].predicted.sim
      if p then
        local m = info.levels[n].measured
        s[#s + 1] = ("%s %d of %d completed%s"):format(n, p.completed, m.requests,
          (p.timed_out > 0 or m.failures > 0)
            and (" (%d timed out; measured %d failed)"):format(p.timed_out, m.failures) or "")
      end
    end
    say("  kvsim: %s; chunks per token in the measurement %.3f", table.concat(s, ", "), info.chunks_per_token)
    for _, v in ipairs(VARIANTS) do
      local d = {}
      for k = 1, #r.workload.stages do
        local res = by[r.id] and by[r.id][v.key] and by[r.id][v.key][k]
        if res then
          local u = res.summary
          -- data-parallel replicas: the aggregate sums batch and memory over
          -- them; say them per replica (the peak is the largest replica's)
          local R, peak = dp_of(r), u.batch_peak
          if R > 1 and res.replicas then
            peak = 0
            for _, q in ipairs(res.replicas) do peak = math.max(peak, q.summary.batch_peak) end
          end
          d[#d + 1] = ("s%d: batch mean %.1f%s, peak %d of %d, %d preemptions, forward pass %.2f ms per step, KV %s per GPU"):format(k - 1,
            u.batch_mean / R, R > 1 and " per replica" or "", peak, r.engine.max_num_seqs, u.preemptions,
            u.compute_time / u.steps * 1e3, kv.format_bytes(u.capacity / R))
          if v.key == "apc" then d[#d] = d[#d] .. (", prefix hits %.1f %%"):format(100 * res.tier.prefix_hit_rate) end
          -- the host copy of the prefix cache (CPU KV offloading), where on
          if res.tier.offload_stores > 0 then
            d[#d] = d[#d] .. (", host copy: %d blocks stored, %d loaded (%d tokens not prefilled)"):format(
              res.tier.offload_stores, res.tier.offload_loads, res.tier.offload_hit_tokens)
          end
        end
      end
      say("  %s %s", v.title, table.concat(d, "; "))
    end
  end
end

-- ---- per request: runs replayed as sent, against each request's own measurement ----------------

-- For a run replayed as sent (sent_of) whose records keep each request's
-- TTFT and E2E: per stage, the pairs (measured, predicted) of every request
-- both completed, for the last prediction made (kvsim+APC+overheads, else
-- kvsim+APC, else kvsim); the counted requests of a stage's trace are in
-- send order, as the records are.
local function per_request_of(c, r)
  local sent_of, VARIANTS, by, COUNT_FROM = c.sent_of, c.variants, c.by, c.count_from
  local sent = sent_of(r)
  if not sent or not (sent.stages[1] and sent.stages[1].ttft) then return nil end
  local vkey = VARIANTS[#VARIANTS].key
  local out = { variant = vkey, stages = {}, rows = {} }
  -- (the records' -1: failed, or not recorded)
  local function known(x) return x and x >= 0 and x or nil end
  for k, st in ipairs(sent.stages) do
    local res = by[r.id] and by[r.id][vkey] and by[r.id][vkey][k]
    if res then
      local q = res.requests
      local from = COUNT_FROM[res.label] or -math.huge
      local pt, pe = {}, {}
      local i = 0
      for j = 1, #q.arrival do
        if q.arrival[j] >= from then
          i = i + 1
          local ok = not q.rejected[j] and q.generated[j] == q.output[j] and q.output[j] > 0
          local row = { stage = k - 1, request = i, prompt_tokens = st.input_tokens[i],
            ttft_measured = known(st.ttft[i]), e2e_measured = known(st.e2e[i]),
            ttft_predicted = ok and q.first_token[j] - q.arrival[j] or nil,
            e2e_predicted = ok and q.finish[j] - q.arrival[j] or nil }
          out.rows[#out.rows + 1] = row
          if row.ttft_measured and row.ttft_predicted then
            pt[#pt + 1] = (row.ttft_predicted - row.ttft_measured) / row.ttft_measured
          end
          if row.e2e_measured and row.e2e_predicted then
            pe[#pe + 1] = (row.e2e_predicted - row.e2e_measured) / row.e2e_measured
          end
        end
      end
      local function summary(e)
        local a, within = {}, 0
        for n, x in ipairs(e) do
          a[n] = math.abs(x)
          if a[n] <= 0.1 then within = within + 1 end
        end
        return #e > 0 and { n = #e, median_abs = 100 * V.median(a), within_10 = 100 * within / #e } or nil
      end
      out.stages[k] = { ttft = summary(pt), e2e = summary(pe) }
    end
  end
  return out
end

-- Each run's per_request_of, said per stage; run id -> its pairs.
local function per_request(c)
  local say, runs, VARIANTS = c.say, c.runs, c.variants
  local PER_REQUEST = {} -- run id -> per_request_of(r)
  for _, r in ipairs(runs) do PER_REQUEST[r.id] = per_request_of(c, r) end
  if next(PER_REQUEST) then
    say("")
    say("== per request (runs replayed as sent): %s against each request's own TTFT and E2E; median |error| "
      .. "and the share within 10 %%", ({ sim = "kvsim", apc = "kvsim+APC", fit = "kvsim+APC+overheads" })
      [VARIANTS[#VARIANTS].key])
    for _, r in ipairs(runs) do
      local pr = PER_REQUEST[r.id]
      if pr then
        local d = {}
        for k = 1, #r.workload.stages do
          local st = pr.stages[k]
          if st and st.ttft and st.e2e then
            d[#d + 1] = ("s%d: %d requests, TTFT %.1f %% (%.0f %% within 10 %%), E2E %.1f %% (%.0f %%)"):format(k - 1,
              st.ttft.n, st.ttft.median_abs, st.ttft.within_10, st.e2e.median_abs, st.e2e.within_10)
          end
        end
        say("%s: %s; each request: requests_%s.csv", r.id, #d > 0 and table.concat(d, "; ") or "no pairs", r.id)
      end
    end
  end
  return PER_REQUEST
end

-- The sets of runs medians are taken over (SETS: all, unsaturated, ...;
-- with a profile, held out of its fit and fitting), and per prediction and
-- set the median |error| and median error of each metric over the runs,
-- overall level: medians[variant][set key][metric].
local function medians_of(c)
  local per_run, VARIANTS, profile = c.per_run, c.variants, c.profile
  local SETS = {
    { key = "all", title = "all runs", keep = function() return true end },
    { key = "unsaturated", title = "runs not saturated in the measurement",
      keep = function(i) return not i.saturated end },
    { key = "dense_unsaturated", title = "dense models, not saturated",
      keep = function(i) return not i.saturated and not i.moe end },
  }
  if profile then -- the runs the overheads were fitted on, and the rest
    SETS[#SETS + 1] = { key = "held_out", title = "held out of the fit, not saturated",
      keep = function(i) return not i.fitting and not i.saturated end }
    SETS[#SETS + 1] = { key = "held_out_dense", title = "held out, dense, not saturated",
      keep = function(i) return not i.fitting and not i.saturated and not i.moe end }
    SETS[#SETS + 1] = { key = "held_out_all", title = "held out, saturated or not",
      keep = function(i) return not i.fitting end }
    SETS[#SETS + 1] = { key = "fitting", title = "the fitting runs", keep = function(i) return i.fitting end }
  end
  local medians = {}
  for _, v in ipairs(VARIANTS) do
    medians[v.key] = {}
    for _, set in ipairs(SETS) do
      local m = { runs = 0 }
      for _, mt in ipairs(METRICS) do
        local abs, sgn = {}, {}
        for _, info in ipairs(per_run) do
          local L = info.levels.all
          local p = L.predicted[v.key]
          local e = p and err_pct(L.measured[mt.key], p[mt.key])
          if set.keep(info) and e then
            abs[#abs + 1] = math.abs(e)
            sgn[#sgn + 1] = e
          end
        end
        m[mt.key] = { median_abs = median(abs), median = median(sgn), n = #abs }
        m.runs = math.max(m.runs, #abs)
      end
      medians[v.key][set.key] = m
    end
  end
  return SETS, medians
end

-- The errors per run over all stages, with the medians of each set, and
-- the signed median error per model.
local function error_tables(c, SETS, medians)
  local say, per_run, VARIANTS, profile = c.say, c.per_run, c.variants, c.profile
  say("")
  say("== per run, over all stages: error of each metric (prediction - measured) / measured")
  for _, v in ipairs(VARIANTS) do
    local t = {}
    for _, info in ipairs(per_run) do
      local L = info.levels.all
      local p = L.predicted[v.key]
      local row = { run = info.id:sub(17), note = (info.saturated and "sat" or "") .. (info.moe and " moe" or "")
        .. (profile and info.fitting and " fit" or "") }
      for _, mt in ipairs(METRICS) do row[mt.key] = fmt_err(p and err_pct(L.measured[mt.key], p[mt.key])) end
      t[#t + 1] = row
    end
    for _, set in ipairs(SETS) do
      local row = { run = "median |error|, " .. set.key }
      for _, mt in ipairs(METRICS) do
        local x = medians[v.key][set.key][mt.key].median_abs
        row[mt.key] = x and ("%.1f%%"):format(x) or "-"
      end
      t[#t + 1] = row
    end
    local cols = { { key = "run", title = v.title } , { key = "note", title = "" } }
    for _, mt in ipairs(METRICS) do cols[#cols + 1] = { key = mt.key, title = mt.title } end
    say("%s", kv.table(t, cols))
    say("")
  end
  -- signed median error per model (runs not saturated): where kvsim is too
  -- fast (negative) or too slow
  say("== per model, runs not saturated in the measurement: median error (prediction - measured) / measured")
  do
    local t, order = {}, {}
    for _, info in ipairs(per_run) do
      if not info.saturated and not t[info.model] then
        t[info.model] = { model = info.model, tp = info.tp, n = 0 }
        order[#order + 1] = t[info.model]
      end
      if not info.saturated then t[info.model].n = t[info.model].n + 1 end
    end
    local cols = { { key = "model", title = "model" }, { key = "tp", title = "tp" }, { key = "n", title = "runs" } }
    for _, v in ipairs(VARIANTS) do
      for _, mk in ipairs { "ttft_mean", "itl_mean", "e2e_mean", "e2e_p99" } do
        for _, row in ipairs(order) do
          local e = {}
          for _, info in ipairs(per_run) do
            local L = info.levels.all
            local p = L.predicted[v.key]
            if not info.saturated and info.model == row.model and p then e[#e + 1] = err_pct(L.measured[mk], p[mk]) end
          end
          row[v.key .. mk] = fmt_err(median(e))
        end
        local title
        for _, mt in ipairs(METRICS) do if mt.key == mk then title = mt.title end end
        cols[#cols + 1] = { key = v.key .. mk, title = (v.key == "apc" and "APC " or v.key == "fit" and "APC+OH " or "") .. title }
      end
    end
    say("%s", kv.table(order, cols))
    say("")
  end
  say("sat: saturated in the measurement (more than 1 % of requests failed, or TTFT mean above 1 s: "
    .. "the queue grew; inference-perf reports successes only); moe: mixture of experts (kvsim charges "
    .. "active-parameter FLOPs and reads the weights of the experts a step's tokens touch under uniform top-k routing; "
    .. "no expert imbalance measured: moe_imbalance 1)")
end

-- ---- the fitted overheads: held-out error against the issue's targets --------------------------

-- With a profile: its terms and fit, the held-out medians against TARGETS,
-- and what the fitted prediction still misses per stage.
local function overheads(c, medians)
  local say, opt, per_run, VARIANTS, by, RUN_BY_ID = c.say, c.opt, c.per_run, c.variants, c.by, c.run_by_id
  local profile, ALL_PARAMS, PER_WORKER_MAX_TP, CONDITIONS_DIFFER = c.profile, c.all_params,
    c.per_worker_max_tp, c.conditions_differ
  local gaps_fit -- measured - predicted per stage with the profile, ms
  if profile then
    local o = profile.overheads
    say("")
    local terms = {}
    for _, p in ipairs(ALL_PARAMS) do
      if not p.only_when_set or (o[p.key] or 0) > 0 then -- a later term: reports of profiles without it stay
        terms[#terms + 1] = ("%s %.3f %s"):format(p.key, (o[p.key] or 0) / p.unit, p.uname)
      end
    end
    say(("== kvsim+APC+overheads: profile %s from %s (%s): %s, overlap %s%s; fitted on %d runs (%s), rms relative "
      .. "error %.1f %% on the fitted %s"):format(profile.profile, opt.overheads, profile.command,
      table.concat(terms, ", "), tostring(o.overlap), (o.schedule_ahead and ", schedule_ahead true" or "")
        .. (o.serial_intake and ", requests taken one at a time (serial_intake)" or "")
        .. (o.late_release and ", seats freed a step late (late_release)" or "")
        .. (o.ordered_output and ", tokens sent in the running order by one front-end queue (ordered_output)" or "")
        .. ((o.eager_per_layer or 0) > 0 and ", steps of more than min(2 x max_num_seqs, 512) tokens without a CUDA graph"
          or "")
        .. ((o.layer_fixed or 0) > 0 and ", layer_fixed GPU time per layer per step" or "")
        .. (((o.per_worker or 0) > 0 and PER_WORKER_MAX_TP) and (", per_worker counted up to tp %d"):format(PER_WORKER_MAX_TP)
          or ""), #profile.subset.runs, table.concat(profile.subset.runs, ", "),
      profile.rms_error_pct, table.concat(profile.fitted_to, ", ")))
    if CONDITIONS_DIFFER then
      say("NOTE: this run differs from the profile's fit in %s: the terms absorb what kvsim missed under the "
        .. "fit's conditions, so these figures are not the profile's own", CONDITIONS_DIFFER)
    end
    local t = {}
    for _, set in ipairs { "held_out", "held_out_dense", "fitting" } do
      for _, v in ipairs(VARIANTS) do
        local m = medians[v.key][set]
        local row = { set = set, runs = m.runs, prediction = v.title }
        for _, tg in ipairs(TARGETS) do
          local x = m[tg.key].median_abs
          row[tg.key] = x and ("%.1f%% %s"):format(x, x <= tg.max and "met" or "no") or "-"
        end
        t[#t + 1] = row
      end
    end
    local row = { set = "target", prediction = "(issue 13)" }
    for _, tg in ipairs(TARGETS) do row[tg.key] = ("<= %d%%"):format(tg.max) end
    t[#t + 1] = row
    local cols = { { key = "set", title = "runs" }, { key = "runs", title = "n" }, { key = "prediction", title = "" } }
    for _, tg in ipairs(TARGETS) do cols[#cols + 1] = { key = tg.key, title = title_of(tg.key) } end
    say("median |error| against the targets of issue 13 (TPOT p99 per token stands for the ITL p99, which "
      .. "inference-perf gives per SSE chunk); met = at or under the target")
    say("%s", kv.table(t, cols))

    -- what the fitted prediction still misses, per stage, in ms
    say("")
    say("== kvsim+APC+overheads: what remains, per stage (runs not saturated): measured - predicted, ms; "
      .. "kvsim's batch and step")
    gaps_fit = {}
    local g = {}
    for _, info in ipairs(per_run) do
      local r = RUN_BY_ID[info.id]
      if not info.saturated then
        for k = 1, #r.workload.stages do
          local L = info.levels["s" .. (k - 1)]
          local p = L.predicted.fit
          local res = by[info.id].fit and by[info.id].fit[k]
          if p and res then
            local row = { run = info.id:sub(17), split = info.fitting and "fit" or "held-out",
              stage = "s" .. (k - 1), rate = r.workload.stages[k].rate, tp = info.tp, moe = info.moe,
              itl_m = L.measured.itl_mean * 1e3, itl_gap = (L.measured.itl_mean - p.itl_mean) * 1e3,
              ttft_m = L.measured.ttft_mean * 1e3, ttft_gap = (L.measured.ttft_mean - p.ttft_mean) * 1e3,
              batch = res.summary.batch_mean, cpu = res.summary.cpu_time / res.summary.steps * 1e3,
              gpu = res.summary.compute_time / res.summary.steps * 1e3 }
            gaps_fit[#gaps_fit + 1] = row
            g[#g + 1] = { run = row.run, split = row.split, stage = row.stage, rate = ("%g"):format(row.rate),
              itl_m = ("%.2f"):format(row.itl_m), itl_gap = ("%+.2f"):format(row.itl_gap),
              itl_e = ("%+.1f%%"):format(-100 * row.itl_gap / row.itl_m),
              ttft_m = ("%.1f"):format(row.ttft_m), ttft_gap = ("%+.1f"):format(row.ttft_gap),
              ttft_e = ("%+.1f%%"):format(-100 * row.ttft_gap / row.ttft_m),
              batch = ("%.1f"):format(row.batch), cpu = ("%.2f"):format(row.cpu), gpu = ("%.2f"):format(row.gpu) }
          end
        end
      end
    end
    say("%s", kv.table(g, { { key = "run", title = "run" }, { key = "split", title = "" },
      { key = "stage", title = "stage" }, { key = "rate", title = "req/s" },
      { key = "itl_m", title = "ITL measured" }, { key = "itl_gap", title = "missing" }, { key = "itl_e", title = "error" },
      { key = "ttft_m", title = "TTFT measured" }, { key = "ttft_gap", title = "missing" },
      { key = "ttft_e", title = "error" }, { key = "batch", title = "kvsim batch" },
      { key = "cpu", title = "CPU ms/step" }, { key = "gpu", title = "GPU ms/step" } }))
    -- the same, median by TP degree and MoE, over the held-out stages
    local grp, order = {}, {}
    for _, row in ipairs(gaps_fit) do
      local key = ("tp %d%s, %s"):format(row.tp, row.moe and " moe" or "", row.split)
      if not grp[key] then
        grp[key] = { key = key, itl = {}, ttft = {}, itl_m = {} }
        order[#order + 1] = grp[key]
      end
      table.insert(grp[key].itl, row.itl_gap)
      table.insert(grp[key].ttft, row.ttft_gap)
      table.insert(grp[key].itl_m, row.itl_m)
    end
    table.sort(order, function(a, b) return a.key < b.key end)
    local t2 = {}
    for _, x in ipairs(order) do
      t2[#t2 + 1] = { group = x.key, n = #x.itl, itl = ("%+.2f"):format(median(x.itl)),
        itl_m = ("%.2f"):format(median(x.itl_m)), ttft = ("%+.1f"):format(median(x.ttft)) }
    end
    say("median per group of stages: missing ITL (ms per token, measured ITL median beside it) and TTFT (ms)")
    say("%s", kv.table(t2, { { key = "group", title = "stages" }, { key = "n", title = "n" },
      { key = "itl", title = "ITL missing" }, { key = "itl_m", title = "ITL measured" },
      { key = "ttft", title = "TTFT missing" } }))
  end
end

-- ---- the quantile ladder: where in the distribution the error is -----------------------------

-- level L's measured and predicted (prediction vkey) `metric` at quantile
-- `q` (a LADDER key), and the error; nil for what is missing
local function ladder_at(L, vkey, metric, q)
  local m, p = L.measured.ladder[metric][q], L.predicted[vkey]
  local x = p and p.ladder[metric][q]
  return m, x, m and x and err_pct(m, x) or nil
end

-- Per run, level and metric of LADDER_METRICS, each prediction at the
-- quantiles of LADDER against inference-perf's percentiles (those the
-- fixture has: an older fixture keeps only p90, p99 and max), to ladder.csv;
-- in the report, the last prediction (the fitted one where there is a
-- profile) per run, and the median |error| at each quantile over the runs
-- held out of the fit (over the runs not saturated without a profile); a
-- plot of the same.
-- Returns { rows, cols: ladder.csv; medians: [metric][variant][quantile];
-- set: the one of SETS the medians are over; last: the prediction the
-- report and the plot show }.
local function ladder(c, SETS)
  local say, per_run, VARIANTS, profile = c.say, c.per_run, c.variants, c.profile
  local LAST = VARIANTS[#VARIANTS]
  -- the runs of the medians by quantile: one of SETS
  local LADDER_SET
  for _, set in ipairs(SETS) do
    if set.key == (profile and "held_out" or "unsaturated") then LADDER_SET = set end
  end
  local ladder_rows, ladder_medians = {}, {}
  for _, info in ipairs(per_run) do
    for _, lvname in ipairs(info.level_names) do
      local L = info.levels[lvname]
      for _, lm in ipairs(LADDER_METRICS) do
        for _, l in ipairs(LADDER) do
          local m = L.measured.ladder[lm.key][l.key]
          if m then
            local row = { run = info.id, split = profile and (info.fitting and "fit" or "held-out") or "",
              level = lvname, metric = lm.key, quantile = l.title or l.key, measured = m }
            for _, v in ipairs(VARIANTS) do
              local _, x, e = ladder_at(L, v.key, lm.key, l.key)
              row[v.key], row["err_" .. v.key] = x or "", e or ""
            end
            ladder_rows[#ladder_rows + 1] = row
          end
        end
      end
    end
  end
  local ladder_cols = { "run", "split", "level", "metric", "quantile", "measured" }
  for _, v in ipairs(VARIANTS) do
    ladder_cols[#ladder_cols + 1] = v.key
    ladder_cols[#ladder_cols + 1] = "err_" .. v.key
  end

  say("")
  say(("== TTFT, TPOT and E2E by quantile: inference-perf's percentiles against %s's (ladder.csv has every "
    .. "prediction); measured / predicted, error"):format(LAST.title))
  for _, lm in ipairs(LADDER_METRICS) do
    local t = {}
    local f = ({ ttft = function(v) return ("%.1f"):format(v * 1e3) end,
      tpot = function(v) return ("%.2f"):format(v * 1e3) end })[lm.key] or function(v) return ("%.2f"):format(v) end
    for _, info in ipairs(per_run) do
      if not info.saturated then
        -- a run of one stage: its stage is the whole run, said once
        for _, lvname in ipairs(#info.level_names == 2 and { "all" } or info.level_names) do
          local row = { run = info.id:sub(17), split = profile and (info.fitting and "fit" or "held-out") or "",
            level = lvname }
          for _, l in ipairs(LADDER) do
            local m, x, e = ladder_at(info.levels[lvname], LAST.key, lm.key, l.key)
            row[l.key] = e and ("%s / %s %+.0f%%"):format(f(m), f(x), e) or "-"
          end
          t[#t + 1] = row
        end
      end
    end
    local cols = { { key = "run", title = "run" }, { key = "split", title = "" }, { key = "level", title = "" } }
    for _, l in ipairs(LADDER) do cols[#cols + 1] = { key = l.key, title = l.title or l.key } end
    say("%s (%s), runs not saturated", lm.title, lm.key == "e2e" and "s" or "ms")
    say("%s", kv.table(t, cols))
  end
  do
    local t = {}
    for _, lm in ipairs(LADDER_METRICS) do
      ladder_medians[lm.key] = {}
      for _, v in ipairs(VARIANTS) do
        local row = { metric = lm.title, prediction = v.title }
        local med = {}
        for _, l in ipairs(LADDER) do
          local abs = {}
          for _, info in ipairs(per_run) do
            local _, _, e = ladder_at(info.levels.all, v.key, lm.key, l.key)
            if LADDER_SET.keep(info) and e then abs[#abs + 1] = math.abs(e) end
          end
          med[l.key] = median(abs)
          row[l.key] = med[l.key] and ("%.1f%%"):format(med[l.key]) or "-"
          row.n = math.max(row.n or 0, #abs)
        end
        ladder_medians[lm.key][v.key] = med
        t[#t + 1] = row
      end
    end
    local cols = { { key = "metric", title = "metric" }, { key = "prediction", title = "" }, { key = "n", title = "n" } }
    for _, l in ipairs(LADDER) do cols[#cols + 1] = { key = l.key, title = l.title or l.key } end
    say("median |error| by quantile over the runs %s, all stages", profile and "held out of the fit, not saturated"
      or "not saturated")
    say("%s", kv.table(t, cols))
  end
  return { rows = ladder_rows, cols = ladder_cols, medians = ladder_medians, set = LADDER_SET, last = LAST }
end

-- The plot of the same: each run's error by quantile, over all stages.
local function plot_ladder(c, LAST) -- error by quantile, one line per run
  local opt, per_run, profile = c.opt, c.per_run, c.profile
  local panels = {}
  for _, lm in ipairs(LADDER_METRICS) do
    local series = {}
    for _, info in ipairs(per_run) do
      if not info.saturated then
        local s = { label = info.id:sub(17) .. (profile and info.fitting and " (fit)" or ""), x = {}, y = {} }
        for i, l in ipairs(LADDER) do
          local _, _, e = ladder_at(info.levels.all, LAST.key, lm.key, l.key)
          if e then s.x[#s.x + 1], s.y[#s.y + 1] = i, e end
        end
        if #s.x > 0 then series[#series + 1] = s end
      end
    end
    if #series > 0 then
      local tics = {}
      for i, l in ipairs(LADDER) do tics[i] = { i, l.title or l.key } end
      panels[#panels + 1] = { title = lm.title, xlabel = "quantile (inference-perf's percentiles)",
        ylabel = "error, %", series = series, style = "linespoints",
        xtics = tics, xrange = { 0.7, #LADDER + 0.3 }, key = "outside right" }
    end
  end
  if #panels > 0 then
    kv.multiplot { file = opt.out .. "/quantile_errors.png", layout = { #panels, 1 }, width = 1200,
      height = 480 * #panels,
      title = ("%s against vLLM by quantile (runs not saturated, all stages)"):format(LAST.title), panels = panels }
  end
end

-- ---- conclusion from the numbers ---------------------------------------------------------------

-- a signed error in words
local function words(e)
  if not e then return "n/a" end
  if e < 0 then return ("%.0f %% too fast"):format(-e) end
  return ("%.0f %% too slow"):format(e)
end

-- The conclusion: the medians of kvsim as it is, and of the fitted
-- overheads against TARGETS.
local function conclusion(c, medians)
  local say, per_run, profile = c.say, c.per_run, c.profile
  local H = medians.sim.unsaturated
  local worst = {}
  for _, info in ipairs(per_run) do
    if not info.saturated then
      local L = info.levels.all
      local e = err_pct(L.measured.e2e_mean, L.predicted.sim and L.predicted.sim.e2e_mean)
      if e then worst[#worst + 1] = { id = info.id, e = e } end
    end
  end
  table.sort(worst, function(a, b) return math.abs(a.e) > math.abs(b.e) end)
  local w = {}
  for k = 1, math.min(3, #worst) do w[k] = ("%s (%+.0f %%)"):format(worst[k].id, worst[k].e) end
  -- measured minus predicted, in ms, median per model: a gap that stays the
  -- same across model sizes points at a cost per step or per request that
  -- kvsim does not have
  local function gaps(vkey, mkey)
    local by_model, out = {}, {}
    for _, info in ipairs(per_run) do
      local L = info.levels.all
      if not info.saturated and L.predicted[vkey] then
        by_model[info.model] = by_model[info.model] or {}
        table.insert(by_model[info.model], (L.measured[mkey] - L.predicted[vkey][mkey]) * 1e3)
      end
    end
    for model, v in pairs(by_model) do out[#out + 1] = ("%s %.1f ms"):format(model, median(v)) end
    table.sort(out)
    return table.concat(out, ", ")
  end
  -- stages where kvsim's queue grew although the real server kept up
  local queued = {}
  for _, info in ipairs(per_run) do
    for name, L in pairs(info.levels) do
      local p = L.predicted.sim
      if name ~= "all" and p and p.ttft_mean > 1 and L.measured.ttft_mean < 1 then
        queued[#queued + 1] = ("%s stage %s (TTFT mean %.1f s, measured %.0f ms)")
          :format(info.id, name:sub(2), p.ttft_mean, L.measured.ttft_mean * 1e3)
      end
    end
  end
  table.sort(queued)
  local slow = 0
  for _, info in ipairs(per_run) do
    local L = info.levels.all
    if not info.saturated and L.predicted.sim and L.predicted.sim.e2e_mean < L.measured.e2e_mean then slow = slow + 1 end
  end
  local apc_line = ""
  if medians.apc then
    local A = medians.apc.unsaturated
    apc_line = (" With the repeated prompts served from a prefix cache (kvsim+APC) the median |error| is TTFT mean "
      .. "%.1f %% (%s), ITL mean %.1f %% (%s), E2E mean %.1f %% (%s), E2E p99 %.1f %%; measured minus predicted "
      .. "time per output token, median per model: %s; TTFT: %s."):format(
      A.ttft_mean.median_abs or 0 / 0, words(A.ttft_mean.median), A.itl_mean.median_abs or 0 / 0,
      words(A.itl_mean.median), A.e2e_mean.median_abs or 0 / 0, words(A.e2e_mean.median),
      A.e2e_p99.median_abs or 0 / 0, gaps("apc", "itl_mean"), gaps("apc", "ttft_mean"))
  end
  say("")
  if H.runs == 0 then
    -- --runs chose saturated runs only: no medians to give
    say(("Conclusion: none of the %d runs chosen is unsaturated in the measurement, so no median is given; the "
      .. "per-run tables above hold their errors."):format(#per_run))
  else
    say(("Conclusion (kvsim as it is, %d runs not saturated in the measurement): median |error| TTFT mean %.1f %% "
      .. "(%s), ITL mean %.1f %% (%s), E2E mean %.1f %% (%s), E2E p99 %.1f %%, throughput %.1f %% (it follows the "
      .. "arrival rate wherever neither side saturates). kvsim predicts a shorter E2E than measured in %d of %d of "
      .. "these runs. Measured minus predicted time per output token, median per model: %s; TTFT: %s. Largest E2E "
      .. "errors: %s. %s.%s")
      :format(H.runs, H.ttft_mean.median_abs or 0 / 0, words(H.ttft_mean.median), H.itl_mean.median_abs or 0 / 0,
        words(H.itl_mean.median), H.e2e_mean.median_abs or 0 / 0, words(H.e2e_mean.median),
        H.e2e_p99.median_abs or 0 / 0, H.tput.median_abs or 0 / 0, slow, H.runs, gaps("sim", "itl_mean"),
        gaps("sim", "ttft_mean"), table.concat(w, ", "),
        #queued > 0 and ("kvsim's queue grew where the real server kept up in " .. table.concat(queued, "; "))
          or "kvsim's queue never grew where the real server kept up",
        apc_line))
  end
  if profile and medians.fit.held_out.runs == 0 then
    say("")
    say(("Fitted (kvsim+APC+overheads, profile %s): none of the runs chosen is both held out of the fit and "
      .. "unsaturated, so no median is given against the targets."):format(profile.profile))
  elseif profile then
    local F, Fa = medians.fit.held_out, medians.fit.fitting
    local parts, met = {}, 0
    for _, tg in ipairs(TARGETS) do
      local x = F[tg.key].median_abs
      local ok = x and x <= tg.max
      if ok then met = met + 1 end
      parts[#parts + 1] = ("%s %.1f %% (%s; target %d %%: %s)"):format(title_of(tg.key), x or 0 / 0,
        words(F[tg.key].median), tg.max, ok and "met" or "not met")
    end
    say("")
    say(("Fitted (kvsim+APC+overheads, profile %s fitted on %d runs): on the %d runs held out of the fit and not "
      .. "saturated, median |error| %s; %d of %d targets met. On the %d fitting runs: TTFT mean %.1f %%, ITL mean "
      .. "%.1f %%, E2E mean %.1f %%, TTFT p99 %.1f %%, TPOT p99 %.1f %%, E2E p99 %.1f %%.")
      :format(profile.profile, #profile.subset.runs, F.runs, table.concat(parts, ", "), met, #TARGETS, Fa.runs,
        Fa.ttft_mean.median_abs or 0 / 0, Fa.itl_mean.median_abs or 0 / 0, Fa.e2e_mean.median_abs or 0 / 0,
        Fa.ttft_p99.median_abs or 0 / 0, Fa.tpot_p99.median_abs or 0 / 0, Fa.e2e_p99.median_abs or 0 / 0))
  end
end

-- ---- files -------------------------------------------------------------------------------------------

-- The files: report.csv, ladder.csv, requests_RUN.csv, summary.json, the
-- plots and report.txt.
local function write_files(c, PER_REQUEST, medians, lad)
  local opt, VARIANTS, rows, per_run, RUN_BY_ID, profile = c.opt, c.variants, c.rows, c.per_run, c.run_by_id,
    c.profile
  local fixture, PLATFORM, dp_of, platform_name, lines = c.fixture, c.platform, c.dp_of, c.platform_name, c.lines
  local ladder_rows, ladder_cols, ladder_medians, LADDER_SET = lad.rows, lad.cols, lad.medians, lad.set
  kv.mkdir_p(opt.out)
  local csv_cols = { "run", "model", "tp", "profile", "split", "level", "metric", "unit", "measured" }
  for _, v in ipairs(VARIANTS) do
    csv_cols[#csv_cols + 1] = v.key
    csv_cols[#csv_cols + 1] = "err_" .. v.key
  end
  csv_cols[#csv_cols + 1] = "source"
  kv.write_csv(opt.out .. "/report.csv", rows, csv_cols)
  kv.write_csv(opt.out .. "/ladder.csv", ladder_rows, ladder_cols)

  for id, pr in pairs(PER_REQUEST) do
    kv.write_csv(("%s/requests_%s.csv"):format(opt.out, id), pr.rows, { "stage", "request", "prompt_tokens",
      "ttft_measured", "ttft_predicted", "e2e_measured", "e2e_predicted" })
  end

  local json_runs = {}
  for _, info in ipairs(per_run) do
    local lv = {}
    for name, L in pairs(info.levels) do
      local m = {}
      for _, mt in ipairs(METRICS) do m[mt.key] = L.measured[mt.key] end
      lv[name] = { measured = m, measured_ladder = L.measured.ladder, predicted = L.predicted,
        source = L.measured.source }
    end
    json_runs[#json_runs + 1] = { id = info.id, model = info.model, tp = info.tp, profile = info.profile,
      moe = info.moe, fitting = profile and info.fitting or nil, saturated = info.saturated, chunks_per_token = info.chunks_per_token, levels = lv }
    -- runs that name their hardware or run data-parallel say so
    local r = RUN_BY_ID[info.id]
    if r.hardware then json_runs[#json_runs].hardware, json_runs[#json_runs].platform = r.hardware.value, platform_name(r) end
    if dp_of(r) > 1 then json_runs[#json_runs].dp = dp_of(r) end
    if PER_REQUEST[r.id] then
      json_runs[#json_runs].per_request = { variant = PER_REQUEST[r.id].variant, stages = PER_REQUEST[r.id].stages }
    end
  end
  kv.write_json(opt.out .. "/summary.json", {
    data = { fixture = opt.data, repository = fixture.source.repository, commit = fixture.source.commit },
    kvsim = kv.version, backend = opt.backend, platform = PLATFORM, seed = opt.seed,
    strategy = "paged-16", metrics = METRICS, medians = medians, runs = json_runs,
    ladder_medians = { runs = LADDER_SET.key, ttft = ladder_medians.ttft,
      tpot = ladder_medians.tpot, e2e = ladder_medians.e2e },
    overheads = profile and { file = opt.overheads, profile = profile.profile, coefficients = profile.overheads,
      subset = profile.subset, targets = TARGETS, flops_scale = c.flops_scale ~= 1 and c.flops_scale or nil } or nil,
  })

  -- predicted vs measured, one point per run and metric (over all stages)
  for _, v in ipairs(VARIANTS) do
    local series, lo, hi = {}, math.huge, 0
    for _, mt in ipairs(METRICS) do
      local s = { label = mt.title .. (mt.unit and " (tok/s)" or " (ms)"), x = {}, y = {} }
      local scale = mt.unit and 1 or 1e3
      for _, info in ipairs(per_run) do
        local L = info.levels.all
        local p = L.predicted[v.key]
        if p and p[mt.key] and p[mt.key] > 0 and L.measured[mt.key] > 0 then
          local x, y = L.measured[mt.key] * scale, p[mt.key] * scale
          s.x[#s.x + 1], s.y[#s.y + 1] = x, y
          lo, hi = math.min(lo, x, y), math.max(hi, x, y)
        end
      end
      if #s.x > 0 then series[#series + 1] = s end
    end
    if #series > 0 then
      local d = { label = "prediction = measurement", x = {}, y = {} }
      for k = 0, 30 do
        local x = lo * (hi / lo) ^ (k / 30)
        d.x[k + 1], d.y[k + 1] = x, x
      end
      series[#series + 1] = d
      kv.plot { file = ("%s/predicted_vs_measured%s.png"):format(opt.out,
        ({ sim = "", apc = "_apc", fit = "_overheads" })[v.key]),
        title = ("%s vs vLLM on H100 (%d runs, all stages)"):format(v.title, #per_run),
        xlabel = "measured (latencies in ms, throughput in output tok/s)", ylabel = "predicted by " .. v.title,
        logx = true, logy = true, style = "points", series = series, width = 1100, height = 750 }
    end
  end

  plot_ladder(c, lad.last)

  local f = assert(io.open(opt.out .. "/report.txt", "w"))
  f:write(table.concat(lines, "\n"), "\n")
  f:close()
  print(("\nwritten: %s/report.txt, report.csv, ladder.csv, summary.json, predicted_vs_measured*.png, "
    .. "quantile_errors.png"):format(opt.out))
end

-- The report: every section in order, said and written into opt.out.
function M.report(c)
  run_tables(c)
  local per_req = per_request(c)
  local sets, medians = medians_of(c)
  error_tables(c, sets, medians)
  overheads(c, medians)
  local lad = ladder(c, sets)
  conclusion(c, medians)
  write_files(c, per_req, medians, lad)
end

return M
