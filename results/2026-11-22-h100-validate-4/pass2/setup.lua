-- written by validate_gpu (gpu/validate_gpu.c): the measured runs' configuration
return {
  experiment = "validate",
  backend = "gpu",
  model = "llama-3-8b",
  workload = { n = 64, arrival = 0, prompt = { 32, 256 }, output = { 32, 256 }, seed = 20261122 },
  engine = { kv_capacity = 1073741824, host_bytes = 1073741824, preempt = "swap", max_batch_tokens = 128, max_num_seqs = 256, check = 1, seed = 20261122, timeline_interval = 0 },
  configs = {
    { label = "static", strategy = { "static", max_context = 512 } },
    { label = "paged-16", strategy = { "paged", block_tokens = 16 } },
    { label = "paged-16-kernel", strategy = { "paged", block_tokens = 16, copy_via = "kernel" } },
    { label = "vmm-2M-layer", strategy = { "vmm", page_bytes = 2097152, layout = "per_layer", max_context = 512 } },
    { label = "vmm-2M-all", strategy = { "vmm", page_bytes = 2097152, layout = "all_layers", max_context = 512 } },
    { label = "vmm-2M-all-ahead", strategy = { "vmm", page_bytes = 2097152, layout = "all_layers", max_context = 512, map_ahead = 16 } },
    { label = "indirect-64M-16", strategy = { "indirect", slab_bytes = 67108864, block_tokens = 16 } },
  },
}
