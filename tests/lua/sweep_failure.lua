-- A sweep whose second run cannot serve its workload (a GPU too small for
-- one request): the other two finish, the script writes their results to
-- the directory arg[1] and prints what it got; kvsim names the failure on
-- stderr and exits 1 at the end (test_cli checks all of it).
local kv = require "kvsim"
local out = assert(arg[1], "usage: sweep_failure.lua OUTDIR")
local w = kv.workload { preset = "azure-conv", seed = 1, count = 20 }
local function cfg(label, over)
  local c = { model = "llama-3-8b", platform = "h100-sxm-80gb", backend = "ideal",
    workload = w, strategy = "paged", label = label }
  for k, v in pairs(over or {}) do c[k] = v end
  return c
end
local rs = kv.sweep({ cfg "first", cfg("impossible", { kv_capacity = 1024 }), cfg "third" },
  { jobs = 2 })
kv.mkdir_p(out)
local rows = {}
for i, r in ipairs(rs) do
  rows[i] = { run = r.run, label = r.label, completed = r.summary.completed }
  print(("finished run=%d label=%s completed=%s"):format(r.run, r.label, r.summary.completed))
end
kv.write_csv(out .. "/summary.csv", rows, { "run", "label", "completed" })
for _, f in ipairs(rs.failed) do
  print(("failed run=%d label=%s"):format(f.run, f.label))
end
print("script end")
