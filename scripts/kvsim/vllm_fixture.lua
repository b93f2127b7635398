-- kvsim/vllm_fixture.lua - reading the JSON inputs of
-- experiments/vllm_validation.lua and checking their shape: the fixture
-- scripts/import_vllm_runs.py writes (engine settings, model geometry, load
-- stages and measured lifecycle metrics of each run) and the overhead
-- profiles the experiment's --fit writes. Every error is an input error
-- (no position in a script) that names the file, the run and the field at
-- fault and what was expected (docs/vllm_validation.md, "The fixture").
-- Main entry points: M.read_json(path, hint), M.check_fixture(f, path),
-- M.check_profile(p, path), M.offload_of(r).

local core = require "kvsim.core"

local M = {}

-- Field checks for a JSON input (the fixture, a profile): each raises an
-- error naming the file, the place in it (c.where: a run) and the field, and
-- what was expected; `note` ends the message.
function M.fields_of(path, note)
  local c = {}
  function c.bad(field, want, got)
    local g = got == nil and "nothing" or type(got) == "table" and "a table" or ("%q"):format(tostring(got))
    error(("%s: %sfield '%s': expected %s (got %s)%s"):format(path, c.where and c.where .. ": " or "", field, want,
      g, note or ""), 0)
  end
  function c.tbl(v, field)
    if type(v) ~= "table" then c.bad(field, "an object", v) end
    return v
  end
  function c.list(v, field)
    if type(v) ~= "table" or #v == 0 then c.bad(field, "a non-empty list", v) end
    return v
  end
  -- a number (an integer when `integer`) at least lo, or above 0 when `positive`
  function c.num(v, field, lo, integer, positive)
    if type(v) ~= "number" or v ~= v or v < lo or (positive and v <= 0) or (integer and math.type(v) ~= "integer") then
      c.bad(field, ("%s %s"):format(integer and "an integer" or "a number", positive and "> 0" or ">= " .. lo), v)
    end
  end
  function c.str(v, field)
    if type(v) ~= "string" or v == "" then c.bad(field, "a string", v) end
  end
  return c
end

-- The JSON document at path: kv.read_json (jansson) reads it; a file that
-- cannot be opened gets `hint` (where it comes from) after the system's
-- message, a malformed one the error's line and column, both as input errors
-- (no place in the calling script).
function M.read_json(path, hint)
  local f, msg = io.open(path, "r")
  if not f then error(msg .. hint, 0) end
  f:close()
  -- (called through pcall, its error carries no position of the calling script)
  local ok, v = pcall(core.read_json, path)
  if not ok then error(v, 0) end
  return v
end

-- The fixture's shape, as scripts/import_vllm_runs.py writes it (docs/
-- vllm_validation.md, "The fixture"): what the experiment reads of it, each
-- field checked here, so that a hand-edited or foreign fixture gets an error
-- naming the run and the field instead of a Lua error further on.
function M.check_fixture(f, path)
  local c = M.fields_of(path)
  local tbl, list, num, str, bad = c.tbl, c.list, c.num, c.str, c.bad
  tbl(f, "(the document)")
  tbl(f.source, "source")
  str(f.source.repository, "source.repository")
  str(f.source.commit, "source.commit")
  tbl(f.models, "models")
  for i, r in ipairs(list(f.runs, "runs")) do
    c.where = ("runs[%d]"):format(i)
    tbl(r, "(the run)")
    str(r.id, "id")
    c.where = ("run %s"):format(r.id)
    str(r.model_config, "model_config")
    local m = f.models[r.model_config]
    if type(m) ~= "table" or (type(m.hf_config) ~= "table" and type(m.geometry) ~= "table") then
      bad("model_config", "a name under 'models' with its hf_config", r.model_config)
    end
    local e = tbl(r.engine, "engine")
    if e.kv_offloading_size ~= nil then num(e.kv_offloading_size, "engine.kv_offloading_size", 0, false, true) end
    local w = tbl(r.workload, "workload")
    for k, st in ipairs(list(w.stages, "workload.stages")) do
      tbl(st, ("workload.stages[%d]"):format(k))
      num(st.rate, ("workload.stages[%d].rate"):format(k), 0, false, true)
      num(st.duration, ("workload.stages[%d].duration"):format(k), 0, false, true)
    end
    num(w.system_prompt_len, "workload.system_prompt_len", 0, true)
    num(w.question_len, "workload.question_len", 0, true)
    num(w.output_len, "workload.output_len", 2, true)
    if w.num_groups ~= nil then num(w.num_groups, "workload.num_groups", 1, true) end
    if w.num_prompts_per_group ~= nil then num(w.num_prompts_per_group, "workload.num_prompts_per_group", 1, true) end
    local meas = tbl(r.measured, "measured")
    local blocks = { { "measured.summary", meas.summary } }
    if #list(meas.stages, "measured.stages") ~= #w.stages then
      bad("measured.stages", ("one block per load stage (%d)"):format(#w.stages), #meas.stages .. " blocks")
    end
    for k, b in ipairs(meas.stages) do blocks[#blocks + 1] = { ("measured.stages[%d]"):format(k), b } end
    for _, nb in ipairs(blocks) do
      local name, b = nb[1], tbl(nb[2], nb[1])
      for _, d in ipairs { "ttft", "e2e", "tpot_chunks" } do
        tbl(b[d], name .. "." .. d)
        for _, q in ipairs { "mean", "p90", "p99" } do num(b[d][q], ("%s.%s.%s"):format(name, d, q), 0) end
      end
      num(tbl(b.throughput, name .. ".throughput").requests_per_sec, name .. ".throughput.requests_per_sec", 0)
      num(b.requests, name .. ".requests", 0, true)
      num(b.failures, name .. ".failures", 0, true)
    end
  end
end

-- A profile's shape, as --fit writes it: an error naming the file and the
-- field at fault, not a Lua error further on.
function M.check_profile(p, path)
  local c = M.fields_of(path, "; profiles are written by --fit (docs/vllm_validation.md)")
  c.tbl(p, "(the document)")
  c.str(p.profile, "profile")
  c.str(p.command, "command")
  c.tbl(p.overheads, "overheads")
  c.tbl(p.subset, "subset")
  local function names(v, field)
    for i, x in ipairs(c.list(v, field)) do c.str(x, ("%s[%d]"):format(field, i)) end
  end
  names(p.subset.runs, "subset.runs")
  names(p.fitted_to, "fitted_to")
  c.num(p.rms_error_pct, "rms_error_pct", 0)
  if p.conditions ~= nil then c.tbl(p.conditions, "conditions") end
  if p.compute ~= nil then
    c.tbl(p.compute, "compute")
    local f = p.compute.flops_scale
    if type(f) ~= "number" or not (f > 0 and f <= 4) then
      c.bad("compute.flops_scale", "a number in (0, 4] (the platform's flops are multiplied by it)", f)
    end
  end
end

-- vLLM's CPU KV offloading of a run (--kv-offloading-size, GiB over all
-- its TP ranks): the fixture's engine.kv_offloading_size, or the size the
-- importer assumed for a run that only says it was on; the GiB and where
-- they come from, or nil when off.
function M.offload_of(r)
  local e = r.engine
  -- (a default first: the experiment copies defaults into the settings)
  local d = e.defaults and e.defaults.kv_offloading_size
  if d then return d.value, d.source end
  if e.kv_offloading_size then return e.kv_offloading_size, "exp-config.yaml's kv_offloading_size" end
  return nil
end

return M
