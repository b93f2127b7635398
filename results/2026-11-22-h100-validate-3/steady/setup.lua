-- written by validate_gpu (gpu/validate_gpu.c): the measured runs' configuration
return {
  experiment = "steady",
  backend = "gpu",
  model = "llama-3-8b",
  workload = { n = 32, arrival = 0, prompt = { 64, 128 }, output = { 512, 1024 }, seed = 20261122 },
  engine = { kv_capacity = 12884901888, host_bytes = 0, preempt = "recompute", max_batch_tokens = 512, max_num_seqs = 256, check = 1, seed = 20261122, timeline_interval = 0 },
  configs = {
    { label = "vmm-2M-all", strategy = { "vmm", page_bytes = 2097152, layout = "all_layers", max_context = 1152 } },
    { label = "vmm-2M-all-ahead16", strategy = { "vmm", page_bytes = 2097152, layout = "all_layers", max_context = 1152, map_ahead = 16 } },
    { label = "vmm-2M-all-ahead16-deferred", strategy = { "vmm", page_bytes = 2097152, layout = "all_layers", max_context = 1152, map_ahead = 16, deferred_reclaim = true } },
    { label = "vmm-2M-layer-ahead1024-deferred", strategy = { "vmm", page_bytes = 2097152, layout = "per_layer", max_context = 1152, map_ahead = 1024, deferred_reclaim = true } },
  },
}
