-- frag.lua - a short fragmentation-like run for scripts/valgrind.sh: every
-- strategy on 60 requests of the Azure conversation preset, on the backend
-- named by arg[1] (ideal or simgrid), with invariant checks every step,
-- results written to a CSV in a temporary directory.
local kv = require "kvsim"
local backend = arg[1] or "ideal"
local w = kv.workload { preset = "azure-conv", seed = 3, count = 60, speedup = 4 }
local strategies = {
  "static", { "paged", block_tokens = 16 }, { "vmm", page_bytes = 64 * 1024 },
  { "vmm", layout = "all_layers", deferred_reclaim = true },
  { "indirect", slab_bytes = 32 * 1024 * 1024 },
}
local rows = {}
for _, s in ipairs(strategies) do
  local r = kv.run { model = "llama-3-8b", platform = "h100-sxm-80gb", workload = w,
    strategy = s, backend = backend, kv_capacity = 2 * 1024 ^ 3, check = 2, seed = 1 }
  rows[#rows + 1] = { label = r.label, util_mean = r.summary.util_mean,
    completed = r.summary.completed, preemptions = r.summary.preemptions }
end
local dir = os.getenv("TMPDIR") or "/tmp"
local path = ("%s/kvsim_valgrind_%s.csv"):format(dir, backend)
kv.write_csv(path, rows, { "label", "completed", "preemptions", "util_mean" })
print(kv.table(rows, { "label", "completed", "preemptions", "util_mean" }))
os.remove(path)
