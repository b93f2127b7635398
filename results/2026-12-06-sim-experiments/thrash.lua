-- The host-tier thrash case of issue 11: 20 requests of 8,000 prompt + 192
-- output tokens, Llama-3-8B, 1.5 GiB of KV, indirect with the block tier,
-- with and without the admission watermark, against recompute.
local kv = require "kvsim"
local model, platform = kv.model("llama-3-8b"), kv.platform("h100-sxm-80gb")
local w = kv.workload{ synthetic = { arrival = "poisson", rate = 100, n = 20,
  prompt = { dist = "fixed", value = 8000 }, output = { dist = "fixed", value = 192 } }, seed = 1 }
local rows = {}
for _, c in ipairs{ { "tier, watermark 0.01 (default)", true, nil },
                    { "tier, watermark 0", true, 0 },
                    { "recompute", false, nil } } do
  local r = kv.run{ strategy = "indirect", model = model, platform = platform, workload = w,
    kv_capacity = 1.5 * 2^30, host_bytes = 64 * 2^30, tier = c[2], watermark = c[3] }
  local s = r.summary
  rows[#rows + 1] = { label = c[1], done = s.completed, pre = s.preemptions,
    ev = r.tier.evictions, rl = r.tier.reloads, gb = s.copy_bytes_h2d / 1e9, tput = s.throughput }
end
print(kv.table(rows, { { key = "label", title = "indirect" }, { key = "done", title = "completed" },
  { key = "pre", title = "preemptions" }, { key = "ev", title = "evictions" },
  { key = "rl", title = "reloads" }, { key = "gb", title = "H2D GB", fmt = "%.1f" },
  { key = "tput", title = "tok/s", fmt = "%.1f" } }))
