-- Shared by the policy_*.lua test scripts: a small run that runs out of
-- GPU memory, so the tiering policy is asked to evict.
local kv = require "kvsim"
local M = {}

M.workload = kv.workload{ synthetic = {
  rate = 40, n = 300,
  prompt = { dist = "uniform", min = 16, max = 3000 },
  output = { dist = "uniform", min = 1, max = 300 },
}, seed = 7 }

-- 1 GiB of KV: about 20 evictions under the engine's admission watermark
-- (2 GiB left it a single one)
function M.cfg(policy, extra)
  local cfg = {
    model = "llama-3-8b", platform = "h100-sxm-80gb",
    workload = M.workload,
    strategy = { "indirect", slab_bytes = 32 * 2^20 },
    backend = "ideal", kv_capacity = 2^30, host_bytes = 32 * 2^30,
    tier = true, check = 2, policy = policy,
  }
  for k, v in pairs(extra or {}) do cfg[k] = v end
  return cfg
end

function M.run(policy, extra) return kv.run(M.cfg(policy, extra)) end

-- Least recently used, written exactly as the C default (core/engine/policy.c).
function M.lru(view)
  local c, best = view.candidates, 1
  for i = 2, #c do
    local a, b = c[i], c[best]
    if a.last_step < b.last_step or
       (a.last_step == b.last_step and a.admit_step >= b.admit_step) then
      best = i
    end
  end
  return best
end

return M
