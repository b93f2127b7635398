-- experiments/vllm_validation.lua - kvsim against public measurements of real
-- vLLM servers on H100 (inference-sim/training, folder default_args/).
--
-- Reads the fixture scripts/import_vllm_runs.py wrote (engine settings, model
-- geometry, load stages and the measured lifecycle metrics of every run),
-- configures kvsim as each server was configured (the model from its
-- config.json geometry, h100-sxm-80gb, tp, max_num_seqs, max_batch_tokens =
-- max_num_batched_tokens, gpu_mem_util, max_context = max_model_len, paged
-- blocks of 16 tokens: vLLM's default), builds each load stage as a
-- synthetic workload, and prints measured against predicted TTFT, ITL/TPOT,
-- E2E (mean, p90, p99) and throughput with their errors, per stage and per
-- run, and the median |error| of each metric over the runs. Nothing is
-- fitted: this is today's error. Writes report.txt, report.csv,
-- summary.json and plots into --out.
--
--   kvsim experiments/vllm_validation.lua [--runs ID,ID...] [--out DIR]
--         [--quick] [--backend simgrid|ideal] [--jobs N] [--no-apc]
--         [--data FILE] [--seed N]
--
-- Two predictions per run. "kvsim": the workload as kv.workload{synthetic}
-- gives it, which carries no prompt identity, so every prompt is prefilled in
-- full. "kvsim+APC": the same requests written as a Mooncake-format trace
-- whose hash ids say which prompts repeat (inference-perf cycles through 100
-- distinct prompts), run with prefix_sharing, as vLLM's automatic prefix
-- caching would serve them. docs/vllm_validation.md describes the data and
-- the method.

local kv = require "kvsim"

local opt = kv.parse_args(arg, {
  prog = "kvsim experiments/vllm_validation.lua",
  options = {
    { name = "runs", type = "string", metavar = "ID,ID...",
      help = "runs to reproduce: ids, or parts of ids (llama-2-7b, codegen); default all" },
    { name = "out", type = "string", default = "results/vllm_validation", metavar = "DIR",
      help = "where the report, CSV, JSON and plots go" },
    { name = "quick", type = "flag", help = "the first 2 runs only (for tests)" },
    { name = "backend", type = "string", default = "simgrid", metavar = "NAME", help = "simgrid or ideal" },
    { name = "jobs", type = "integer", positive = true, default = 2, metavar = "N",
      help = "simulations in parallel" },
    { name = "no-apc", type = "flag", help = "skip the prediction with automatic prefix caching" },
    { name = "data", type = "string", default = "experiments/data/vllm/runs.json", metavar = "FILE",
      help = "the fixture (scripts/import_vllm_runs.py)" },
    { name = "seed", type = "integer", default = 1, metavar = "N", help = "seed of the workloads and runs" },
  },
})
if not opt then return end

local PLATFORM = "h100-sxm-80gb"
local CV = 0.01        -- gamma arrivals this regular stand for inference-perf's constant rate
local PROMPTS = 100    -- distinct prompts inference-perf cycles through (10 groups x 10)
local HASH_BLOCK = 512 -- tokens per hash id of a Mooncake-format trace (core/workload.c)

-- ---- the fixture: a small JSON reader --------------------------------------

local function json_decode(text, path)
  local pos = 1
  local function fail(msg) error(("%s: byte %d: %s"):format(path, pos, msg), 0) end
  local function ws() pos = text:find("[^ \t\r\n]", pos) or #text + 1 end
  local esc = { ['"'] = '"', ["\\"] = "\\", ["/"] = "/", b = "\b", f = "\f", n = "\n", r = "\r", t = "\t" }
  local value
  local function str()
    local out = {}
    pos = pos + 1
    while true do
      local c = text:sub(pos, pos)
      if c == "" then fail("unterminated string") end
      if c == '"' then pos = pos + 1 break end
      if c == "\\" then
        local e = text:sub(pos + 1, pos + 1)
        if e == "u" then
          out[#out + 1] = utf8.char(tonumber(text:sub(pos + 2, pos + 5), 16) or fail("bad \\u escape"))
          pos = pos + 6
        else
          out[#out + 1] = esc[e] or fail("bad escape")
          pos = pos + 2
        end
      else
        local _, e = text:find('^[^"\\]+', pos)
        out[#out + 1] = text:sub(pos, e)
        pos = e + 1
      end
    end
    return table.concat(out)
  end
  function value()
    ws()
    local c = text:sub(pos, pos)
    if c == "{" then
      local t = {}
      pos = pos + 1
      ws()
      if text:sub(pos, pos) == "}" then pos = pos + 1 return t end
      while true do
        ws()
        if text:sub(pos, pos) ~= '"' then fail("object key expected") end
        local k = str()
        ws()
        if text:sub(pos, pos) ~= ":" then fail("':' expected") end
        pos = pos + 1
        t[k] = value()
        ws()
        local d = text:sub(pos, pos)
        pos = pos + 1
        if d == "}" then return t end
        if d ~= "," then fail("',' or '}' expected") end
      end
    elseif c == "[" then
      local t = {}
      pos = pos + 1
      ws()
      if text:sub(pos, pos) == "]" then pos = pos + 1 return t end
      while true do
        t[#t + 1] = value()
        ws()
        local d = text:sub(pos, pos)
        pos = pos + 1
        if d == "]" then return t end
        if d ~= "," then fail("',' or ']' expected") end
      end
    elseif c == '"' then
      return str()
    elseif text:find("^true", pos) then pos = pos + 4 return true
    elseif text:find("^false", pos) then pos = pos + 5 return false
    elseif text:find("^null", pos) then pos = pos + 4 return nil
    end
    local s, e = text:find("^-?%d+%.?%d*[eE]?[-+]?%d*", pos)
    if not s then fail("unexpected character '" .. c .. "'") end
    pos = e + 1
    return math.tointeger(tonumber(text:sub(s, e))) or tonumber(text:sub(s, e))
  end
  local v = value()
  ws()
  if pos <= #text then fail("trailing characters") end
  return v
end

local fixture
do
  local f, msg = io.open(opt.data, "r")
  if not f then error(msg .. " (run python3 scripts/import_vllm_runs.py; docs/vllm_validation.md)", 0) end
  fixture = json_decode(f:read("a"), opt.data)
  f:close()
end

local runs = {}
for _, r in ipairs(fixture.runs) do
  local keep = true
  if opt.runs then
    keep = false
    for want in opt.runs:gmatch("[^,]+") do
      if r.id == want or r.id:find(want, 1, true) then keep = true end
    end
  end
  if keep then runs[#runs + 1] = r end
end
if opt.quick then
  for k = #runs, 3, -1 do runs[k] = nil end
end
if #runs == 0 then error(("--runs %s matches no run of %s"):format(opt.runs, opt.data), 0) end

-- ---- the measured side ----------------------------------------------------------

-- The metrics compared, in print order. Latencies in seconds, throughput in
-- output tokens per second.
local METRICS = {
  { key = "ttft_mean", title = "TTFT mean" }, { key = "ttft_p90", title = "TTFT p90" },
  { key = "ttft_p99", title = "TTFT p99" }, { key = "itl_mean", title = "ITL mean" },
  { key = "tpot_p90", title = "TPOT p90" }, { key = "tpot_p99", title = "TPOT p99" },
  { key = "e2e_mean", title = "E2E mean" }, { key = "e2e_p90", title = "E2E p90" },
  { key = "e2e_p99", title = "E2E p99" }, { key = "tput", title = "throughput", unit = "tok/s" },
}

-- One block of inference-perf lifecycle metrics -> the compared quantities.
-- inference-perf times streamed chunks, about two per token, so its TPOT and
-- ITL are about half a token's interval. With ignore_eos every request
-- generates `out` tokens, so the mean interval per token is exactly
-- (E2E mean - TTFT mean) / (out - 1); `chunks` = that / the chunk TPOT mean
-- scales the chunk percentiles to tokens. Throughput: completed requests per
-- second x out (inference-perf's own token rate counts re-tokenized text).
local function measured_of(b, out)
  local tok = (b.e2e.mean - b.ttft.mean) / (out - 1)
  local chunks = tok / b.tpot_chunks.mean
  return {
    ttft_mean = b.ttft.mean, ttft_p90 = b.ttft.p90, ttft_p99 = b.ttft.p99,
    itl_mean = tok, tpot_p90 = chunks * b.tpot_chunks.p90, tpot_p99 = chunks * b.tpot_chunks.p99,
    e2e_mean = b.e2e.mean, e2e_p90 = b.e2e.p90, e2e_p99 = b.e2e.p99,
    tput = b.throughput.requests_per_sec * out,
    chunks_per_token = chunks, failures = b.failures, requests = b.requests, source = b.source,
  }
end

-- ---- the simulated side -----------------------------------------------------------

local models = {}
local function model_of(r)
  if models[r.model_config] then return models[r.model_config] end
  local g = fixture.models[r.model_config].geometry
  local t = { name = r.model_config }
  for k, v in pairs(g) do t[k] = v end
  models[r.model_config] = kv.model(t)
  return models[r.model_config]
end

local function stage_workload(r, st, seed)
  local w = r.workload
  return kv.workload { synthetic = {
    rate = st.rate, n = math.floor(st.rate * st.duration + 0.5),
    arrival = "bursty", cv = CV,
    prompt = w.system_prompt_len + w.question_len,
    output = w.output_len,
  }, seed = seed }
end

-- The same requests as a Mooncake-format trace with prefix identity: request
-- i asks prompt perm[i mod 100] (inference-perf shuffles its prompts once and
-- cycles through them), and a prompt's hash ids are its own.
local tmpdir
local function apc_trace(r, k, w, seed)
  if not tmpdir then
    tmpdir = os.tmpname()
    os.remove(tmpdir)
    kv.mkdir_p(tmpdir)
  end
  local req = w:requests()
  local perm = {}
  for i = 1, PROMPTS do perm[i] = i - 1 end
  math.randomseed(seed)
  for i = PROMPTS, 2, -1 do
    local j = math.random(i)
    perm[i], perm[j] = perm[j], perm[i]
  end
  local path = ("%s/%s-%d.jsonl"):format(tmpdir, r.id, k)
  local f = assert(io.open(path, "w"))
  for i = 1, #req.arrival do
    local p = perm[(i - 1) % PROMPTS + 1]
    local nb = (req.prompt[i] + HASH_BLOCK - 1) // HASH_BLOCK
    local ids = {}
    for j = 1, nb do ids[j] = p * 64 + j end
    f:write(('{"timestamp": %.3f, "input_length": %d, "output_length": %d, "hash_ids": [%s]}\n')
      :format(req.arrival[i] * 1000, req.prompt[i], req.output[i], table.concat(ids, ", ")))
  end
  f:close()
  return kv.workload { trace = path }, path
end

local VARIANTS = { { key = "sim", title = "kvsim" } }
if not opt.no_apc then VARIANTS[2] = { key = "apc", title = "kvsim+APC" } end

local cfgs, meta, traces = {}, {}, {}
for _, r in ipairs(runs) do
  local e = r.engine
  local gmu = e.gpu_memory_utilization or e.defaults.gpu_memory_utilization.value
  for k, st in ipairs(r.workload.stages) do
    local seed = opt.seed + k - 1
    local w = stage_workload(r, st, seed)
    for _, v in ipairs(VARIANTS) do
      local wl, prefix = w, nil
      if v.key == "apc" then
        local path
        wl, path = apc_trace(r, k, w, seed)
        traces[#traces + 1] = path
        prefix = true
      end
      cfgs[#cfgs + 1] = {
        label = ("%s/%s/s%d"):format(r.id, v.key, k - 1),
        model = model_of(r), platform = PLATFORM, workload = wl, backend = opt.backend,
        strategy = { "paged", block_tokens = 16 },
        tp = e.tensor_parallel_size, max_num_seqs = e.max_num_seqs,
        max_batch_tokens = e.max_num_batched_tokens, gpu_mem_util = gmu,
        max_context = e.max_model_len, prefix_sharing = prefix,
        seed = opt.seed, requests = true, timeline_interval = 60,
      }
      meta[#cfgs] = { run = r, variant = v.key, stage = k }
    end
  end
end

local lines = {}
local function say(fmt, ...)
  local s = select("#", ...) > 0 and fmt:format(...) or fmt
  lines[#lines + 1] = s
  print(s)
end

say("vllm_validation: %d runs of %s@%s (%s), %d simulations on %s, platform %s, seed %d",
  #runs, fixture.source.repository, fixture.source.commit:sub(1, 12), opt.data, #cfgs, opt.backend,
  PLATFORM, opt.seed)
say("each load stage is its own run (kv.workload cannot chain stages; a stage starts with an empty "
  .. "server, the real one with the previous stage's requests in flight)")
local all = kv.sweep(cfgs, { jobs = opt.jobs })
for _, p in ipairs(traces) do os.remove(p) end
if tmpdir then os.remove(tmpdir) end
say("simulated on: %s", all[1] and (all[1].backend_config or all[1].backend) or "nothing")
say("%s", kv.rejections(all))
for _, f in ipairs(all.failed) do say("FAILED %s: %s", f.label, f.error) end

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

-- predicted quantities over the request columns of one or more stage runs
local function predicted_of(results)
  local ttft, tpot, e2e, gen, span = {}, {}, {}, 0, 0
  for _, r in ipairs(results) do
    local q = r.requests
    local t0, t1 = math.huge, -math.huge
    for i = 1, #q.arrival do
      if not q.rejected[i] and q.generated[i] == q.output[i] and q.output[i] > 0 then
        ttft[#ttft + 1] = q.first_token[i] - q.arrival[i]
        e2e[#e2e + 1] = q.finish[i] - q.arrival[i]
        if q.output[i] > 1 then tpot[#tpot + 1] = (q.finish[i] - q.first_token[i]) / (q.output[i] - 1) end
        gen = gen + q.generated[i]
        t1 = math.max(t1, q.finish[i])
      end
      t0 = math.min(t0, q.arrival[i])
    end
    if t1 > t0 then span = span + (t1 - t0) end
  end
  table.sort(ttft)
  table.sort(tpot)
  table.sort(e2e)
  return {
    ttft_mean = mean(ttft), ttft_p90 = pct(ttft, 0.9), ttft_p99 = pct(ttft, 0.99),
    itl_mean = mean(tpot), tpot_p90 = pct(tpot, 0.9), tpot_p99 = pct(tpot, 0.99),
    e2e_mean = mean(e2e), e2e_p90 = pct(e2e, 0.9), e2e_p99 = pct(e2e, 0.99),
    tput = span > 0 and gen / span or 0, completed = #e2e,
  }
end

local function err_pct(m, p)
  if not m or not p or m ~= m or p ~= p or m == 0 then return nil end
  return 100 * (p - m) / m
end

-- ---- comparison ------------------------------------------------------------------------------

local by = {} -- by[run id][variant][stage index] = result
for _, res in ipairs(all) do
  local m = meta[res.run]
  by[m.run.id] = by[m.run.id] or {}
  by[m.run.id][m.variant] = by[m.run.id][m.variant] or {}
  by[m.run.id][m.variant][m.stage] = res
end

local rows = {}     -- report.csv: one row per run, level, metric
local per_run = {}  -- overall level per run, for the medians
for _, r in ipairs(runs) do
  local out = r.workload.output_len
  local levels = {}
  for k, b in ipairs(r.measured.stages) do levels[#levels + 1] = { name = "s" .. (k - 1), stages = { k }, block = b } end
  local every = {}
  for k = 1, #r.workload.stages do every[k] = k end
  levels[#levels + 1] = { name = "all", stages = every, block = r.measured.summary }
  local fx = fixture.models[r.model_config]
  local sat_meas = false
  local info = { id = r.id, model = r.model_config, tp = r.engine.tensor_parallel_size, profile = r.profile,
    moe = fx.moe ~= nil, levels = {} }
  for _, lv in ipairs(levels) do
    local meas = measured_of(lv.block, out)
    local pred, complete = {}, true
    for _, v in ipairs(VARIANTS) do
      local list = {}
      for _, k in ipairs(lv.stages) do
        local res = by[r.id] and by[r.id][v.key] and by[r.id][v.key][k]
        if res then list[#list + 1] = res else complete = false end
      end
      pred[v.key] = complete and predicted_of(list) or nil
    end
    if lv.name == "all" then
      sat_meas = meas.failures > 0.01 * meas.requests or meas.ttft_mean > 1
      info.saturated = sat_meas
      info.chunks_per_token = meas.chunks_per_token
    end
    info.levels[lv.name] = { measured = meas, predicted = pred }
    for _, mt in ipairs(METRICS) do
      local row = { run = r.id, model = r.model_config, tp = r.engine.tensor_parallel_size,
        profile = r.profile, level = lv.name, metric = mt.key, unit = mt.unit or "s",
        measured = meas[mt.key], source = lv.block.source }
      for _, v in ipairs(VARIANTS) do
        local p = pred[v.key]
        row[v.key] = p and p[mt.key] or ""
        row["err_" .. v.key] = p and err_pct(meas[mt.key], p[mt.key]) or ""
      end
      rows[#rows + 1] = row
    end
  end
  per_run[#per_run + 1] = info
end

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

say("")
say("measured: inference-perf's lifecycle metrics; ITL mean and TPOT per token = inference-perf's chunk "
  .. "values x chunks per token (about 2: it times SSE chunks), throughput = completed req/s x output length")
for _, info in ipairs(per_run) do
  local r
  for _, x in ipairs(runs) do if x.id == info.id then r = x end end
  local st = {}
  for _, s in ipairs(r.workload.stages) do st[#st + 1] = ("%g req/s x %gs"):format(s.rate, s.duration) end
  say("")
  say("== %s: %s tp %d, %s, prompt %d + %d tokens, output %d; stages %s%s%s", info.id, r.model, info.tp,
    info.profile, r.workload.system_prompt_len, r.workload.question_len, r.workload.output_len,
    table.concat(st, ", "), info.moe and "; MoE" or "",
    info.saturated and "; SATURATED in the measurement" or "")
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
    if p then s[#s + 1] = ("%s %d of %d completed"):format(n, p.completed, info.levels[n].measured.requests) end
  end
  say("  kvsim: %s; chunks per token in the measurement %.3f", table.concat(s, ", "), info.chunks_per_token)
  for _, v in ipairs(VARIANTS) do
    local d = {}
    for k = 1, #r.workload.stages do
      local res = by[r.id] and by[r.id][v.key] and by[r.id][v.key][k]
      if res then
        local u = res.summary
        d[#d + 1] = ("s%d: batch mean %.1f, peak %d of %d, %d preemptions, forward pass %.2f ms per step, KV %s per GPU"):format(k - 1,
          u.batch_mean, u.batch_peak, r.engine.max_num_seqs, u.preemptions, u.compute_time / u.steps * 1e3,
          kv.format_bytes(u.capacity))
        if v.key == "apc" then d[#d] = d[#d] .. (", prefix hits %.1f %%"):format(100 * res.tier.prefix_hit_rate) end
      end
    end
    say("  %s %s", v.title, table.concat(d, "; "))
  end
end

-- medians of |error| over runs, overall level
local function median(v)
  local s = {}
  for i = 1, #v do s[i] = v[i] end
  table.sort(s)
  if #s == 0 then return nil end
  return #s % 2 == 1 and s[(#s + 1) // 2] or (s[#s // 2] + s[#s // 2 + 1]) / 2
end
local SETS = {
  { key = "all", title = "all runs", keep = function() return true end },
  { key = "unsaturated", title = "runs not saturated in the measurement",
    keep = function(i) return not i.saturated end },
  { key = "dense_unsaturated", title = "dense models, not saturated",
    keep = function(i) return not i.saturated and not i.moe end },
}
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

say("")
say("== per run, over all stages: error of each metric (prediction - measured) / measured")
for _, v in ipairs(VARIANTS) do
  local t = {}
  for _, info in ipairs(per_run) do
    local L = info.levels.all
    local p = L.predicted[v.key]
    local row = { run = info.id:sub(17), note = (info.saturated and "sat" or "") .. (info.moe and " moe" or "") }
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
      cols[#cols + 1] = { key = v.key .. mk, title = (v.key == "apc" and "APC " or "") .. title }
    end
  end
  say("%s", kv.table(order, cols))
  say("")
end
say("sat: saturated in the measurement (more than 1 % of requests failed, or TTFT mean above 1 s: "
  .. "the queue grew; inference-perf reports successes only); moe: mixture of experts (kvsim charges "
  .. "active-parameter FLOPs and reads every expert's weights each step; no routing or expert imbalance)")

-- ---- conclusion from the numbers ---------------------------------------------------------------

local function words(e)
  if not e then return "n/a" end
  if e < 0 then return ("%.0f %% too fast"):format(-e) end
  return ("%.0f %% too slow"):format(e)
end
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

-- ---- files -------------------------------------------------------------------------------------------

kv.mkdir_p(opt.out)
local csv_cols = { "run", "model", "tp", "profile", "level", "metric", "unit", "measured" }
for _, v in ipairs(VARIANTS) do
  csv_cols[#csv_cols + 1] = v.key
  csv_cols[#csv_cols + 1] = "err_" .. v.key
end
csv_cols[#csv_cols + 1] = "source"
kv.write_csv(opt.out .. "/report.csv", rows, csv_cols)

local json_runs = {}
for _, info in ipairs(per_run) do
  local lv = {}
  for name, L in pairs(info.levels) do
    local m = {}
    for _, mt in ipairs(METRICS) do m[mt.key] = L.measured[mt.key] end
    lv[name] = { measured = m, predicted = L.predicted, source = L.measured.source }
  end
  json_runs[#json_runs + 1] = { id = info.id, model = info.model, tp = info.tp, profile = info.profile,
    moe = info.moe, saturated = info.saturated, chunks_per_token = info.chunks_per_token, levels = lv }
end
kv.write_json(opt.out .. "/summary.json", {
  data = { fixture = opt.data, repository = fixture.source.repository, commit = fixture.source.commit },
  kvsim = kv.version, backend = opt.backend, platform = PLATFORM, seed = opt.seed,
  strategy = "paged-16", metrics = METRICS, medians = medians, runs = json_runs,
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
    kv.plot { file = ("%s/%s.png"):format(opt.out, v.key == "sim" and "predicted_vs_measured" or
      "predicted_vs_measured_apc"),
      title = ("%s vs vLLM on H100 (%d runs, all stages)"):format(v.title, #per_run),
      xlabel = "measured (latencies in ms, throughput in output tok/s)", ylabel = "predicted by " .. v.title,
      logx = true, logy = true, style = "points", series = series, width = 1100, height = 750 }
  end
end

local f = assert(io.open(opt.out .. "/report.txt", "w"))
f:write(table.concat(lines, "\n"), "\n")
f:close()
print(("\nwritten: %s/report.txt, report.csv, summary.json, predicted_vs_measured*.png"):format(opt.out))
