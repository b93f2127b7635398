-- written by validate_gpu --open (gpu/validate_gpu.c): the measured runs' configuration
return {
  experiment = "open",
  backend = "gpu",
  platform = "h200-141gb", -- the ideal backend's (--ideal); the GPU backend reads none
  model = "llama-3-8b",
  workload = { file = "workload.csv", trace = "build-dev/carry/azure2023_conv.csv", start = 0, minutes = 1, n = 191, duration = 59.99352, longest = 4176 },
  speedup = 4,
  engine = { max_batch_tokens = 2048, max_num_seqs = 256, check = 1, seed = 20261122, timeline_interval = 0, watermark = 0.01 },
  settings = {
    own = { kv_capacity = 17179869184, host_bytes = 0, preempt = "recompute", speedup = 1, copy_via = "engine" },
    pressure = { kv_capacity = 2147483648, host_bytes = 4294967296, preempt = "swap", speedup = 4, copy_via = "batch" },
  },
  cases = {
    { label = "own-static", setting = "own", strategy = { "static", max_context = 8192 }, tier = false },
    { label = "own-paged-16", setting = "own", strategy = { "paged" }, tier = false },
    { label = "own-vmm-2M-layer", setting = "own", strategy = { "vmm", max_context = 8192 }, tier = false },
    { label = "own-indirect-64M-16", setting = "own", strategy = { "indirect" }, tier = false },
    { label = "pressure-static", setting = "pressure", strategy = { "static", max_context = 8192, copy_via = "batch" }, tier = false },
    { label = "pressure-paged-16", setting = "pressure", strategy = { "paged", copy_via = "batch" }, tier = false },
    { label = "pressure-vmm-2M-layer", setting = "pressure", strategy = { "vmm", max_context = 8192, copy_via = "batch" }, tier = false },
    { label = "pressure-indirect-64M-16", setting = "pressure", strategy = { "indirect", copy_via = "batch" }, tier = true },
  },
}
