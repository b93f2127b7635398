-- scripts/kvsim/vllm_engine.lua - kvsim's engine as a vLLM v0.15 server runs:
-- vLLM's engine defaults for the GPU and the CPU overheads profile that
-- experiments/vllm_validation.lua fits and validates against public
-- measurements of real vLLM servers (docs/vllm_validation.md), as kv.run
-- keys, for any model, platform, strategy and workload.
--
--   local VE = require "kvsim.vllm_engine"
--   local p = VE.load_profile("experiments/data/vllm/overheads.json")
--   local keys = VE.run_keys { platform = kv.platform("h100-sxm-80gb"), profile = p }
--   -- keys: max_num_seqs, max_batch_tokens, gpu_mem_util, overheads; merge
--   -- them into a kv.run configuration (a key the caller sets wins)
--
-- M.DEFAULT_PROFILE, M.load_profile(path), M.graph_max_tokens(max_num_seqs),
-- M.overheads(terms, max_num_seqs, max_tp), M.defaults(platform),
-- M.block_tokens(model, platform),
-- M.run_keys{platform, profile, max_num_seqs, max_batch_tokens, gpu_mem_util},
-- M.worker_line(profile), M.per_layer_reading(profile, layers, tp),
-- M.flops_scale(profile), M.platform(platform, profile),
-- M.scale_platform(platform, scale, why).

local kv = require "kvsim"
local F = require "kvsim.vllm_fixture"

local M = {}

-- the profile experiments/vllm_validation.lua writes and reads by default
-- (relative to the source tree, as the experiments' other inputs)
M.DEFAULT_PROFILE = "experiments/data/vllm/overheads.json"

-- the numeric terms of kv.run's overheads a profile may hold (docs/lua_api.md)
M.TERMS = { "step", "per_seq", "per_token", "per_prefill_token", "admit", "finish", "per_worker", "request",
  "per_output", "eager_per_layer", "layer_fixed" }
-- its switches
M.SWITCHES = { "overlap", "schedule_ahead", "eager_overlap", "serial_intake", "late_release", "ordered_output" }

-- A profile written by vllm_validation.lua --fit, checked: its fields, and
-- subset.max_tp (the largest TP of its fitting runs) an integer >= 1 when
-- present. Errors name the file and the field.
function M.load_profile(path)
  local p = F.read_json(path, " (a profile written by experiments/vllm_validation.lua --fit)")
  F.check_profile(p, path)
  local t = p.subset.max_tp
  if t ~= nil and (math.type(t) ~= "integer" or t < 1) then
    error(("%s: subset.max_tp is %s: expected an integer >= 1 (the largest TP of the fitting runs)")
      :format(path, tostring(t)), 0)
  end
  return p
end

-- The largest step vLLM runs as a CUDA graph: its default capture sizes end
-- at min(2 x max_num_seqs, 512) tokens (vLLM's config, set_cudagraph_sizes,
-- from v0.11; no compilation_config given). Larger steps launch their
-- kernels one by one (kv_overheads.graph_max_tokens).
function M.graph_max_tokens(max_num_seqs) return math.min(2 * max_num_seqs, 512) end

-- kv.run's overheads from a profile's terms (its `overheads` table): the
-- switches (overlap false unless set: the fitted CPU terms stall the GPU),
-- the numeric terms, graph_max_tokens for an engine of max_num_seqs seats
-- where eager_per_layer is set, and per_worker_max_tp = max_tp where
-- per_worker is set and max_tp is given (not extrapolated past the fit's
-- largest TP).
function M.overheads(terms, max_num_seqs, max_tp)
  local o = { overlap = terms.overlap or false }
  for _, k in ipairs(M.SWITCHES) do
    if k ~= "overlap" then o[k] = terms[k] or nil end
  end
  for _, k in ipairs(M.TERMS) do o[k] = terms[k] end
  if (o.eager_per_layer or 0) > 0 then o.graph_max_tokens = M.graph_max_tokens(max_num_seqs) end
  if (o.per_worker or 0) > 0 and max_tp then o.per_worker_max_tp = max_tp end
  return o
end

local GIB = 2 ^ 30
-- vLLM v0.15's engine defaults for its OpenAI API server on a platform
-- (EngineArgs.get_batch_defaults): 8,192 batched tokens and 1,024 sequences
-- on a GPU of 70 GiB or more that is not an A100, else 2,048 and 256;
-- --gpu-memory-utilization 0.9. `why` says which rule applied.
function M.defaults(platform)
  local name = tostring(platform.name or ""):lower()
  local small = platform.hbm_bytes < 70 * GIB or name:find("a100", 1, true) ~= nil
  return {
    max_num_seqs = small and 256 or 1024,
    max_batch_tokens = small and 2048 or 8192,
    gpu_mem_util = 0.9,
    why = small and "vLLM v0.15's defaults on an A100 or a GPU under 70 GiB (2,048 tokens, 256 sequences per step)"
      or "vLLM v0.15's defaults on a GPU of 70 GiB or more, not an A100 (8,192 tokens, 1,024 sequences per step)",
  }
end

-- The KV block size vLLM v0.15 runs a model with on a platform: 16 (its
-- --block-size default), 64 for a model with latent attention (MLA) on a
-- Hopper GPU (H100, H200), where FlashMLA, the default backend there, takes
-- blocks of 64 (vllm/platforms/cuda.py, check_and_update_config; the
-- importer scripts/import_vllm_runs.py applies the same rule to runs).
function M.block_tokens(model, platform)
  local name = tostring(platform.name or ""):lower()
  local hopper = name:find("h100", 1, true) ~= nil or name:find("h200", 1, true) ~= nil
  return ((model.mla_latent or 0) > 0 and hopper) and 64 or 16
end

-- The fitting runs' layers as a line in their counted workers, where they
-- lie on one: per_worker is fitted per tensor-parallel worker beyond the
-- first (tp capped at subset.max_tp), and when the subset's models grow by
-- b layers per worker (the default's: 32 layers at TP 1, 48 at TP 2, 80 at
-- TP 4) the fit cannot tell that term from a cost per layer
-- (results/2026-12-07-vllm-layer-fixed). Returns { a = layers at one
-- worker, b = layers per added worker, runs = n } from the fixture the
-- profile names (data.fixture), or nil when the profile has no per_worker,
-- names no fixture, or its runs do not lie on such a line (fewer than two
-- TP degrees, or off the line by half a layer).
function M.worker_line(profile)
  local ids, fx = profile.subset and profile.subset.runs, profile.data and profile.data.fixture
  if (profile.overheads.per_worker or 0) <= 0 or not ids or not fx then return nil end
  local fixture = F.read_json(fx, " (the fixture the profile " .. tostring(profile.profile) .. " names)")
  local by = {}
  for _, r in ipairs(fixture.runs or {}) do by[r.id] = r end
  local cap = profile.subset.max_tp
  local pts = {}
  for _, id in ipairs(ids) do
    local r = by[id]
    local m = r and fixture.models and fixture.models[r.model_config]
    local L = m and ((m.hf_config and m.hf_config.num_hidden_layers) or (m.geometry and m.geometry.layers))
    if not L then return nil end
    local tp = r.engine.tensor_parallel_size or 1
    pts[#pts + 1] = { x = math.min(tp, cap or tp) - 1, L = L }
  end
  local lo, hi
  for _, p in ipairs(pts) do
    if not lo or p.x < lo.x then lo = p end
    if not hi or p.x > hi.x then hi = p end
  end
  if not lo or lo.x == hi.x then return nil end
  local b = (hi.L - lo.L) / (hi.x - lo.x)
  if b <= 0 then return nil end
  local a = lo.L - b * lo.x
  for _, p in ipairs(pts) do
    if math.abs(a + b * p.x - p.L) > 0.5 then return nil end
  end
  return { a = a, b = b, runs = #pts }
end

-- What a server of `layers` layers at `tp` GPUs pays per step under the
-- profile's per-worker reading, and under the per-layer one its fitting
-- runs cannot tell from it (M.worker_line): { profile = s, per_layer = s,
-- line = the line } of the step's fixed CPU time (step + per_worker x
-- workers, or step + per_worker x (layers - a) / b, never below 0), or nil
-- where M.worker_line is nil.
function M.per_layer_reading(profile, layers, tp)
  local line = M.worker_line(profile)
  if not line then return nil end
  local o = profile.overheads
  local cap = profile.subset.max_tp
  local workers = math.min(tp, cap or tp) - 1
  return { profile = (o.step or 0) + o.per_worker * workers,
    per_layer = math.max(0, (o.step or 0) + o.per_worker * (layers - line.a) / line.b), line = line }
end

-- The rate a profile's compute was priced at when it was fitted, as a
-- multiple of the platform's `flops` (the profile's compute.flops_scale; 1,
-- the roofline's GEMM peak, when it has none). The default profile's is
-- the rate a whole decoder layer reaches on an H100 (docs/vllm_validation.md):
-- its CPU terms were fitted over that price, so a run that uses them prices
-- compute the same way.
function M.flops_scale(profile)
  return profile.compute and profile.compute.flops_scale or 1
end

-- `platform` (a preset name or a kv.platform) as `profile` prices compute
-- on it: the same platform with flops x M.flops_scale(profile), its source
-- saying so; the platform as given when the scale is 1.
function M.platform(platform, profile)
  return M.scale_platform(platform, M.flops_scale(profile), ("the vLLM profile %s's compute.flops_scale: %s")
    :format(tostring(profile.profile), profile.compute and profile.compute.source or "none"))
end

-- `platform` (a preset name or a kv.platform) with flops x `scale`, its
-- source ending with `why`; the platform itself (a preset's name as given)
-- when the scale is 1.
function M.scale_platform(platform, scale, why)
  if scale == 1 then return platform end
  local p = type(platform) == "string" and kv.platform(platform) or platform
  return kv.platform { base = p, flops = p.flops * scale,
    source = ("%s; flops x %g (%s)"):format(p.source, scale, why) }
end

-- kv.run keys of a vLLM v0.15 server on `platform` (a kv.platform) with the
-- CPU overheads of `profile` (M.load_profile); max_num_seqs,
-- max_batch_tokens and gpu_mem_util as given, else vLLM's defaults. The
-- strategy, prefix sharing and the rest are the caller's.
function M.run_keys(a)
  local d = M.defaults(a.platform)
  local seqs = a.max_num_seqs or d.max_num_seqs
  return {
    max_num_seqs = seqs,
    max_batch_tokens = a.max_batch_tokens or d.max_batch_tokens,
    gpu_mem_util = a.gpu_mem_util or d.gpu_mem_util,
    overheads = M.overheads(a.profile.overheads, seqs, a.profile.subset.max_tp),
  }
end

return M
