-- multimodel_common.lua - a valid two-model run (kv.run{ models = }) for the
-- bad-input cases of several models on one GPU; each case breaks one field.
local kv = require "kvsim"
local M = {}

function M.cfg(over)
  local w = kv.workload { preset = "azure-conv", seed = 1, count = 20 }
  local cfg = {
    platform = "h100-sxm-80gb", memory = "elastic",
    models = { { model = "llama-3-8b", workload = w }, { model = "qwen2.5-7b", workload = w } },
  }
  for k, v in pairs(over or {}) do cfg[k] = v end
  return cfg
end

function M.run(over)
  local r = kv.run(M.cfg(over))
  local s = {}
  for i, m in ipairs(r.models) do s["completed" .. i] = m.summary.completed end
  kv.write_json(assert(arg[1], "arg[1]: summary path"), s)
  return r
end

return M
