-- tests/lua/vllm_engine_check.lua - scripts/kvsim/vllm_engine.lua (kvsim as
-- a vLLM v0.15 server); run by tests/test_capacity.c from the source tree.
-- Prints "ok" lines and ends with "vllm_engine_check: all ok"; any failure
-- raises (exit 1). arg[1]: a scratch directory.
--
-- 1. vLLM's batch defaults follow the GPU: 1,024 sequences and 8,192 tokens
--    on an H100 or H200, 256 and 2,048 on an A100 and on a GPU under 70 GiB;
--    its KV block size: 64 for latent attention on an H100 or H200, else 16.
-- 2. The committed profile's terms become kv.run's overheads unchanged, with
--    the CUDA graph size min(2 x max_num_seqs, 512) and per_worker capped at
--    the fit's largest TP; given batch settings win over the defaults.
-- 3. With those keys the engine spends CPU time: the same run on the ideal
--    backend with and without them, one request alone, differs by the
--    profile's per-request and per-step terms (TTFT grows by at least
--    `request`, each decode step by at least `step`).
-- 4. A bad profile is refused naming the file and the field.
-- 5. per_worker's tie with a cost per layer: the committed profile's fitting
--    runs lie on one line of layers in workers (32 at TP 1, 16 more per
--    worker), so the per-layer reading agrees with the profile on a server
--    on that line (70B-like: 80 layers at TP 4) and parts from it off the
--    line (32 layers at TP 2: per_worker less); none without per_worker.
-- 6. The rate a profile prices compute at: compute.flops_scale multiplies
--    the platform's flops (a preset's or a custom platform's, nothing else
--    of it), 1 without one (the platform as given); a scale outside (0, 4]
--    is refused naming the field; the same prefill-heavy run takes longer
--    at the scaled rate.

local kv = require "kvsim"
local VE = require "kvsim.vllm_engine"

local dir = arg[1] or "."
local function check(cond, fmt, ...)
  if not cond then error(("FAIL: " .. fmt):format(...), 2) end
end

-- ---- 1. defaults by GPU ----
for _, c in ipairs {
  { "h100-sxm-80gb", 1024, 8192 }, { "h200-141gb", 1024, 8192 },
  { "a100-sxm-80gb", 256, 2048 }, { "l40s-48gb", 256, 2048 },
} do
  local d = VE.defaults(kv.platform(c[1]))
  check(d.max_num_seqs == c[2] and d.max_batch_tokens == c[3] and d.gpu_mem_util == 0.9,
    "%s: defaults %d / %d / %g", c[1], d.max_num_seqs, d.max_batch_tokens, d.gpu_mem_util)
end
print("ok defaults by GPU")

-- ---- 1b. the KV block size: 64 for latent attention on Hopper ----
local mla = kv.model { hf_config = "experiments/data/models/DeepSeek-V2-Lite.json" }
check(VE.block_tokens(mla, kv.platform("h100-sxm-80gb")) == 64, "MLA on H100")
check(VE.block_tokens(mla, kv.platform("h200-141gb")) == 64, "MLA on H200")
check(VE.block_tokens(mla, kv.platform("a100-sxm-80gb")) == 16, "MLA on A100")
check(VE.block_tokens(kv.model("llama-3-8b"), kv.platform("h100-sxm-80gb")) == 16, "Llama on H100")
print("ok block sizes")

-- ---- 2. the profile as kv.run keys ----
local P = VE.load_profile(VE.DEFAULT_PROFILE)
local keys = VE.run_keys { platform = kv.platform("h100-sxm-80gb"), profile = P }
check(keys.max_num_seqs == 1024 and keys.max_batch_tokens == 8192, "H100 keys")
for _, k in ipairs(VE.TERMS) do
  check(keys.overheads[k] == P.overheads[k], "term %s: %s against the profile's %s", k,
    tostring(keys.overheads[k]), tostring(P.overheads[k]))
end
for _, k in ipairs(VE.SWITCHES) do
  check((keys.overheads[k] or false) == (P.overheads[k] or false), "switch %s", k)
end
if (P.overheads.eager_per_layer or 0) > 0 then
  check(keys.overheads.graph_max_tokens == 512, "graph size at 1,024 seats: %s",
    tostring(keys.overheads.graph_max_tokens))
  local small = VE.run_keys { platform = kv.platform("h100-sxm-80gb"), profile = P, max_num_seqs = 64,
    max_batch_tokens = 2048 }
  check(small.overheads.graph_max_tokens == 128 and small.max_batch_tokens == 2048, "graph size at 64 seats")
end
if (P.overheads.per_worker or 0) > 0 then
  check(keys.overheads.per_worker_max_tp == P.subset.max_tp, "per_worker cap")
end
print("ok the profile as kv.run keys")

-- ---- 3. the engine spends the profile's CPU time ----
local trace = dir .. "/one.csv"
local f = assert(io.open(trace, "w"))
f:write("TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.6805900,100,50\n")
f:close()
local function go(extra)
  local cfg = { model = "llama-3-8b", platform = "h100-sxm-80gb", workload = kv.trace(trace),
    strategy = { "paged", block_tokens = 16 }, backend = "ideal", seed = 1 }
  for k, v in pairs(extra or {}) do cfg[k] = v end
  return kv.run(cfg).summary
end
local bare, vllm = go(), go(keys)
local o = keys.overheads
check(vllm.ttft_p50 >= bare.ttft_p50 + (o.request or 0), "TTFT %.6f against %.6f + request %.6f",
  vllm.ttft_p50, bare.ttft_p50, o.request or 0)
check(vllm.tpot_p50 >= bare.tpot_p50 + (o.step or 0), "TPOT %.6f against %.6f + step %.6f",
  vllm.tpot_p50, bare.tpot_p50, o.step or 0)
check(vllm.cpu_time > 0 and bare.cpu_time == 0, "cpu_time %g / %g", vllm.cpu_time, bare.cpu_time)
print(("ok CPU time: TTFT %.2f -> %.2f ms, TPOT %.2f -> %.2f ms"):format(1e3 * bare.ttft_p50,
  1e3 * vllm.ttft_p50, 1e3 * bare.tpot_p50, 1e3 * vllm.tpot_p50))

-- ---- 4. a bad profile ----
local bad = dir .. "/bad.json"
f = assert(io.open(bad, "w"))
f:write('{"profile": "x", "command": "y", "overheads": {}, "subset": {"runs": ["r"], "max_tp": 0},'
  .. ' "fitted_to": ["itl_mean"], "rms_error_pct": 1}\n')
f:close()
local ok, err = pcall(VE.load_profile, bad)
check(not ok and err:find(bad, 1, true) and err:find("subset.max_tp", 1, true), "bad max_tp: %s", tostring(err))
ok, err = pcall(VE.load_profile, dir .. "/absent.json")
check(not ok and err:find("absent.json", 1, true), "absent profile: %s", tostring(err))
print("ok bad profiles named")

-- ---- 5. per_worker against a cost per layer ----
if (P.overheads.per_worker or 0) > 0 then
  local line = VE.worker_line(P)
  check(line and line.a == 32 and line.b == 16 and line.runs == 3, "the fit's line: %s",
    line and ("%g + %g per worker, %d runs"):format(line.a, line.b, line.runs) or "none")
  local on = VE.per_layer_reading(P, 80, 4)
  check(math.abs(on.per_layer - on.profile) < 1e-12, "on the line: %g against %g", on.per_layer, on.profile)
  local off = VE.per_layer_reading(P, 32, 2)
  check(math.abs(off.profile - off.per_layer - P.overheads.per_worker) < 1e-12, "off the line: %g against %g",
    off.per_layer, off.profile)
  local none = { profile = "p", overheads = { step = 1e-3 }, subset = P.subset, data = P.data }
  check(VE.worker_line(none) == nil, "a profile without per_worker has no line")
  print(("ok per_worker's line: %g layers + %g per worker; 32 layers at TP 2: %.2f ms a step, per layer %.2f")
    :format(line.a, line.b, off.profile * 1e3, off.per_layer * 1e3))
end

-- ---- 6. the profile's compute rate ----
do
  local h = kv.platform("h100-sxm-80gb")
  local scaled = { profile = "p", compute = { flops_scale = 0.5, source = "a test" } }
  check(VE.flops_scale({ profile = "p" }) == 1 and VE.flops_scale(scaled) == 0.5, "flops_scale")
  check(VE.platform(h, { profile = "p" }) == h and VE.platform("h100-sxm-80gb", { profile = "p" }) == "h100-sxm-80gb",
    "scale 1 gives the platform as given")
  local s = VE.platform(h, scaled)
  check(s.flops == h.flops * 0.5 and s.hbm_bw == h.hbm_bw and s.name == h.name and s.source:find("a test", 1, true),
    "scaled preset: flops %g, source %s", s.flops, s.source)
  local custom = kv.platform { base = "h100-sxm-80gb", name = "custom-gpu", hbm_bw = 1e12 }
  local cs = VE.platform(custom, scaled)
  check(cs.name == "custom-gpu" and cs.hbm_bw == 1e12 and cs.flops == custom.flops * 0.5, "scaled custom platform")
  local badc = dir .. "/bad_compute.json"
  f = assert(io.open(badc, "w"))
  f:write('{"profile": "x", "command": "y", "overheads": {}, "subset": {"runs": ["r"]},'
    .. ' "fitted_to": ["itl_mean"], "rms_error_pct": 1, "compute": {"flops_scale": 0}}\n')
  f:close()
  ok, err = pcall(VE.load_profile, badc)
  check(not ok and err:find(badc, 1, true) and err:find("compute.flops_scale", 1, true), "bad scale: %s",
    tostring(err))
  -- one 4,096-token prompt, compute-bound: slower at half the rate
  local long = dir .. "/long.csv"
  f = assert(io.open(long, "w"))
  f:write("TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.6805900,4096,2\n")
  f:close()
  local function ttft(p)
    return kv.run { model = "llama-3-8b", platform = p, workload = kv.trace(long), backend = "ideal",
      strategy = { "paged", block_tokens = 16 }, seed = 1 }.summary.ttft_p50
  end
  local t1, t2 = ttft(h), ttft(s)
  check(t2 > 1.5 * t1, "a 4,096-token prefill at half the flops: %.3f ms against %.3f", t2 * 1e3, t1 * 1e3)
  print(("ok compute rate: flops x 0.5 prices a 4,096-token prefill %.2f -> %.2f ms"):format(t1 * 1e3, t2 * 1e3))
end

print("vllm_engine_check: all ok")
