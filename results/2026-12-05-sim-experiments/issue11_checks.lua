-- The cases of issue 11, as it reported them, on the current kvsim:
--   kvsim results/2026-12-05-sim-experiments/issue11_checks.lua
local kv = require "kvsim"

-- 1. the first 300 Mooncake requests, Llama-3-8B, 16 GiB: the same requests
--    served and rejected by every strategy
local w = kv.trace("mooncake-conv", { count = 300 })
local runs = {}
for _, s in ipairs{ "static", "paged", "vmm", "indirect" } do
  runs[#runs + 1] = { label = s, strategy = s, model = "llama-3-8b", platform = "h100-sxm-80gb",
    workload = w, kv_capacity = 16 * 2^30, backend = "ideal" }
end
local res = kv.sweep(runs)
print("1. Mooncake, first 300 requests, llama-3-8b: " .. kv.rejections(res))
for _, r in ipairs(res) do print(("   %-8s completed %d"):format(r.label, r.summary.completed)) end

-- 3. one request of 8,100 tokens (+1 output) on Gemma-2-9B and Mistral-7B
print("3. one 8,100-token request: used and backed peak, GB")
local one = kv.workload{ synthetic = { arrival = "poisson", rate = 1, n = 1,
  prompt = { dist = "fixed", value = 8100 }, output = { dist = "fixed", value = 1 } } }
for _, m in ipairs{ "gemma-2-9b", "mistral-7b" } do
  for _, st in ipairs{ "static", "paged", { "vmm", layout = "per_layer" }, { "vmm", layout = "all_layers" }, "indirect" } do
    local r = kv.run{ strategy = st, model = m, platform = "h100-sxm-80gb", workload = one,
      backend = "ideal", max_context = 8192 }
    local name = type(st) == "table" and (st[1] .. "-" .. st.layout) or st
    print(("   %-11s %-15s used %.6f backed %.6f"):format(m, name, r.summary.used_peak / 1e9,
      r.summary.backed_peak / 1e9))
  end
end

-- 4. Gemma-2-9B under memory pressure: swap against recompute preemptions
print("4. gemma-2-9b, 8 GiB, 300 requests: preemptions recompute / swap")
local g = kv.workload{ synthetic = { arrival = "poisson", rate = 4, n = 300,
  prompt = { dist = "uniform", min = 100, max = 6000 }, output = { dist = "uniform", min = 10, max = 1500 } }, seed = 2 }
for _, st in ipairs{ "paged", { "vmm", layout = "per_layer" }, { "vmm", layout = "all_layers" }, "indirect" } do
  local p = {}
  for _, mode in ipairs{ "recompute", "swap" } do
    local r = kv.run{ strategy = st, model = "gemma-2-9b", platform = "h100-sxm-80gb", workload = g,
      kv_capacity = 8 * 2^30, host_bytes = 64 * 2^30, preempt = mode, backend = "ideal" }
    p[#p + 1] = r.summary.preemptions
  end
  local name = type(st) == "table" and (st[1] .. "-" .. st.layout) or st
  print(("   %-15s %d / %d"):format(name, p[1], p[2]))
end
