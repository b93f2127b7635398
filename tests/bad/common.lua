-- common.lua - shared by the bad-input catalogue (tests/test_bad_input.c):
-- a small valid run configuration that each case breaks in one place, and
-- the finish step every case reaches only when it did not fail: writing
-- the summary to the file named by arg[1]. The test checks that file is
-- absent after a failure, so no partial result is ever presented.
local kv = require "kvsim"
local M = {}

function M.cfg(over)
  local cfg = {
    model = "llama-3-8b", platform = "h100-sxm-80gb", backend = "ideal",
    workload = kv.workload { preset = "azure-conv", seed = 1, count = 20 },
    strategy = "paged", seed = 1,
  }
  for k, v in pairs(over or {}) do cfg[k] = v end
  return cfg
end

function M.run(over) return M.finish(kv.run(M.cfg(over))) end

function M.finish(r)
  local s = {}
  for k, v in pairs(r.summary) do
    if type(v) == "number" and k ~= "wall_time" then s[k] = v end
  end
  kv.write_json(assert(arg[1], "arg[1]: summary path"), s)
  return r
end

return M
