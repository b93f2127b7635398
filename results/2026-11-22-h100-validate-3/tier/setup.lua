-- written by validate_gpu (gpu/validate_gpu.c): the measured runs' configuration
return {
  experiment = "tier",
  backend = "gpu",
  model = "llama-3-8b",
  workload = { n = 64, arrival = 0, prompt = { 200, 1000 }, output = { 32, 256 }, seed = 20261122, file = "workload.jsonl" },
  engine = { kv_capacity = 805306368, host_bytes = 4294967296, preempt = "swap", max_batch_tokens = 256, max_num_seqs = 256, check = 2, seed = 20261122, timeline_interval = 0, tier = true, prefix_sharing = true },
  configs = {
    { label = "indirect-tier-32M-16", strategy = { "indirect", slab_bytes = 33554432, block_tokens = 16 } },
    { label = "indirect-tier-32M-16-compact", strategy = { "indirect", slab_bytes = 33554432, block_tokens = 16 }, policy = { compact = function() return 32 end, prefetch = function() return 2 end } },
  },
}
