-- experiments/tiering.lua - a host tier and prefix sharing under every
-- placement strategy, on the Mooncake conversation trace.
--
-- Llama-3.1-8B on one H100-SXM-80GB whose KV memory is limited (16 GiB by
-- default) so that the trace's long conversations (14 k prompt tokens on
-- average) do not all fit. Each strategy runs as it is, with preemption by
-- swap to a 64 GiB host tier, and (paged, indirect) with prefix sharing
-- from the trace's hash ids; indirect also runs with its block-level tier
-- (eviction through the offset table, reload, prefetch, compaction), alone
-- and with prefix sharing, paged also with a host copy of the prefix cache
-- (vLLM's CPU KV offloading), once with the C default policy and once with the
-- same LRU written in Lua, to measure what calling into Lua costs per step.
-- Prints a table and a conclusion computed from it; writes summary.csv,
-- summary.json, ttft.png and pcie.png.
--
--   kvsim experiments/tiering.lua [--requests N] [--kv-gib G] [--speedup S]
--         [--seed N] [--out DIR] [--backend NAME] [--quick] [--no-plot]

local kv = require "kvsim"

local opt = kv.parse_args(arg, {
  prog = "kvsim experiments/tiering.lua",
  options = {
    { name = "requests", type = "integer", positive = true, default = 300, metavar = "N",
      help = "first N requests of the trace" },
    { name = "kv-gib", type = "number", positive = true, default = 16, metavar = "G",
      help = "KV memory in GiB" },
    { name = "speedup", type = "number", positive = true, default = 0.3, metavar = "S",
      help = "arrival rate multiplier" },
    { name = "seed", type = "integer", positive = true, default = 1, metavar = "N", help = "seed" },
    { name = "out", type = "string", default = "results/tiering", metavar = "DIR",
      help = "results directory" },
    { name = "backend", type = "string", metavar = "NAME",
      help = "ideal or simgrid (default: kvsim's default backend)" },
    -- where it appears: a later --requests overrides it
    { name = "quick", type = "flag", sets = { requests = 60 }, help = "60 requests (for tests)" },
    { name = "no-plot", type = "flag", help = "skip the plots" },
  },
})
if not opt then return end

local GiB, MiB = 2^30, 2^20
-- Llama-3.1-8B: the same geometry as Llama-3-8B with a 131,072-token
-- context, which the trace needs (prompts up to 121 k tokens)
local model = kv.model("llama-3.1-8b")
local platform = kv.platform("h100-sxm-80gb")
local workload = kv.trace("mooncake-conv", { count = opt.requests, seed = opt.seed })
workload = kv.workload{ trace = workload.source:match("^(%S+)"), count = opt.requests,
                        speedup = opt.speedup }

-- The same LRU as the C default (core/engine/policy.c), in Lua.
local function lua_lru(view)
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

-- The C defaults of the other three questions, in Lua.
local function lua_admit(view) return true end
local function lua_prefetch(view)
  return view.capacity - view.backed > view.capacity // 8 and 2 or 0
end
local function lua_compact(view)
  return (view.free_ranges > 8 and view.free_blocks < 4 * view.free_ranges) and 64 or 0
end
local function compact_always(view) return 64 end

-- static and vmm reserve (vmm: virtual address space) the model's whole
-- context, 131,072 tokens, per request
local configs = {
  { label = "static",              strategy = "static" },
  { label = "static+swap",         strategy = "static", swap = true },
  { label = "paged",               strategy = "paged" },
  { label = "paged+swap",          strategy = "paged", swap = true },
  { label = "paged+prefix",        strategy = "paged", prefix = true },
  { label = "paged+prefix+swap",   strategy = "paged", prefix = true, swap = true },
  -- vLLM's CPU KV offloading: a 64 GiB host copy of the prefix cache
  { label = "paged+prefix+offload", strategy = "paged", prefix = true, offload = true },
  { label = "vmm",                 strategy = "vmm" },
  { label = "vmm+swap",            strategy = "vmm", swap = true },
  { label = "indirect",            strategy = { "indirect", slab_bytes = 64 * MiB } },
  { label = "indirect+swap",       strategy = { "indirect", slab_bytes = 64 * MiB }, swap = true },
  { label = "indirect+prefix",     strategy = { "indirect", slab_bytes = 64 * MiB }, prefix = true },
  { label = "indirect+tier",       strategy = { "indirect", slab_bytes = 64 * MiB }, tier = true },
  { label = "indirect+tier+prefix", strategy = { "indirect", slab_bytes = 64 * MiB }, tier = true, prefix = true },
  { label = "indirect+tier+prefix (Lua)", strategy = { "indirect", slab_bytes = 64 * MiB },
    tier = true, prefix = true,
    policy = { evict = lua_lru, admit = lua_admit, prefetch = lua_prefetch, compact = lua_compact } },
  { label = "indirect+tier+compact64", strategy = { "indirect", slab_bytes = 64 * MiB }, tier = true,
    policy = { compact = compact_always } },
}

print(("tiering: %s on %s, KV memory %.0f GiB, host tier 64 GiB, %d requests of %s"):format(
  model.name, platform.name, opt.kv_gib, #workload, workload.source))
local st = workload:stats()
print(("prompt mean %.0f p99 %.0f tokens, output mean %.0f"):format(
  st.prompt_mean, st.prompt_p99, st.output_mean))

local function run_cfg(c, backend)
  return {
    label = c.label, model = model, platform = platform, workload = workload,
    strategy = c.strategy, backend = backend, seed = opt.seed,
    kv_capacity = math.floor(opt.kv_gib * GiB),
    host_bytes = (c.swap or c.tier) and 64 * GiB or nil,
    offload_bytes = c.offload and 64 * GiB or nil,
    preempt = c.swap and "swap" or nil,
    tier = c.tier, prefix_sharing = c.prefix, policy = c.policy, check = 1,
  }
end
local runs = {}
for i, c in ipairs(configs) do runs[i] = run_cfg(c, opt.backend) end
local results = kv.sweep(runs, { jobs = 2 })
print(("backend %s"):format(results[1].backend))
print(kv.rejections(results))

-- ---- table ----
local function ms(v) return ("%.0f"):format(1000 * v) end
local function gb(v) return ("%.1f"):format(v / 1e9) end
local function pct(v) return ("%.1f%%"):format(100 * v) end
local rows = {}
for i, r in ipairs(results) do
  local s, t = r.summary, r.tier
  rows[i] = {
    label = r.label, batch = s.batch_mean, peak = s.batch_peak, rej = s.rejected,
    pre = s.preemptions, ttft50 = s.ttft_p50, ttft99 = s.ttft_p99,
    tpot50 = s.tpot_p50, tpot99 = s.tpot_p99,
    h2d = s.copy_bytes_h2d, d2h = s.copy_bytes_d2h,
    hit = configs[i].prefix and t.prefix_hit_rate or nil,
    cblocks = t.compact_blocks, cbytes = t.compact_bytes,
    prompt = s.prompt_tokens,
  }
end
print()
print(kv.table(rows, {
  { key = "label", title = "configuration" },
  { key = "batch", title = "batch", fmt = "%.1f" },
  { key = "peak", title = "peak", fmt = "%.0f" },
  { key = "rej", title = "rejected", fmt = "%.0f" },
  { key = "pre", title = "preempt", fmt = "%.0f" },
  { key = "ttft50", title = "TTFT p50 ms", fmt = ms },
  { key = "ttft99", title = "TTFT p99 ms", fmt = ms },
  { key = "tpot50", title = "TPOT p50 ms", fmt = ms },
  { key = "tpot99", title = "TPOT p99 ms", fmt = ms },
  { key = "h2d", title = "H2D GB", fmt = gb },
  { key = "d2h", title = "D2H GB", fmt = gb },
  { key = "hit", title = "prefix hit", fmt = function(v) return v and pct(v) or "-" end },
  { key = "cbytes", title = "compact GB", fmt = gb },
  { key = "prompt", title = "prefill tok", fmt = "%.0f" },
}))
print("batch = running requests per step (mean); prefix hit = hit tokens / queried prompt tokens "
  .. "(vLLM's prefix cache hit rate); compact GB = D2D bytes moved by compaction;")
print("prefill tok = prompt tokens computed, recomputation after preemption included. "
  .. "vmm and static cannot share prefixes (docs/tiering.md).")

-- ---- cost of a Lua policy ----
local by = {}
for _, r in ipairs(results) do by[r.label] = r end
-- timed in this process on the ideal backend (forked runs cannot be timed
-- from here); CPU time goes to the terminal only, never into result files
local function timed(label)
  for _, c in ipairs(configs) do
    if c.label == label then
      local t0 = os.clock()
      local r = kv.run(run_cfg(c, "ideal"))
      r.cpu = os.clock() - t0
      return r
    end
  end
end
local rc, rl = timed("indirect+tier+prefix"), timed("indirect+tier+prefix (Lua)")
local same = rc.summary.ttft_p99 == rl.summary.ttft_p99 and rc.summary.steps == rl.summary.steps
  and rc.summary.copy_bytes_d2h == rl.summary.copy_bytes_d2h
local us_c = 1e6 * rc.cpu / rc.summary.steps
local us_l = 1e6 * rl.cpu / rl.summary.steps
local calls = rl.tier.policy_calls
print()
print(("Lua policy cost (CPU time of the whole run / steps): C policies %.1f us/step, the same "
  .. "four policies in Lua %.1f us/step (%.2f us per call over %.0f calls, %.0f of them evict, "
  .. "in %d steps); results %s.")
  :format(us_c, us_l, calls > 0 and (rl.cpu - rc.cpu) * 1e6 / calls or 0, calls,
    rl.tier.evictions, rl.summary.steps, same and "identical" or "DIFFERENT (a bug)"))

-- ---- files ----
kv.mkdir_p(opt.out)
local cols = { "label" }
for _, m in ipairs(kv.summary_metrics()) do cols[#cols + 1] = m.name end
local tier_keys = { "prefix_queried_tokens", "prefix_hit_tokens", "prefix_hit_rate", "evictions",
  "reloads", "prefetches", "compactions", "compact_blocks", "compact_bytes", "policy_calls",
  "offload_stores", "offload_loads", "offload_hit_tokens" }
for _, k in ipairs(tier_keys) do cols[#cols + 1] = "tier_" .. k end
local csv = {}
runs = {}
for i, r in ipairs(results) do
  local row = { label = r.label }
  for k, v in pairs(r.summary) do row[k] = v end
  for _, k in ipairs(tier_keys) do row["tier_" .. k] = r.tier[k] end
  csv[i] = row
  runs[i] = { label = r.label, options = r.options, summary = r.summary, tier = r.tier }
end
kv.write_csv(opt.out .. "/summary.csv", csv, cols)
kv.write_json(opt.out .. "/summary.json", {
  experiment = "tiering", model = model.name, platform = platform.name,
  workload = workload.source, requests = #workload, kv_bytes = opt.kv_gib * GiB,
  seed = opt.seed, runs = runs,
})
local plotted = false
if not opt.no_plot then
  local xt, x, t50, t99, h2d, d2h = {}, {}, {}, {}, {}, {}
  for i, r in ipairs(results) do
    -- short names so that the ticks do not overlap (s swap, p prefix, t tier)
    local short = r.label:gsub("static", "st"):gsub("paged", "pg"):gsub("indirect", "in")
      :gsub("%+swap", "+s"):gsub("%+prefix", "+p"):gsub("%+tier", "+t"):gsub("%+compact64", "+c64")
      :gsub("%+offload", "+o")
      :gsub(" %(Lua%)", "/lua")
    xt[i] = { i, short }
    x[i] = i
    t50[i], t99[i] = r.summary.ttft_p50, r.summary.ttft_p99
    h2d[i], d2h[i] = r.summary.copy_bytes_h2d / 1e9, r.summary.copy_bytes_d2h / 1e9
  end
  local common = { xtics = xt, width = 1400, height = 600, style = "linespoints", xrange = { 0, #results + 1 } }
  local function plot(spec)
    for k, v in pairs(common) do spec[k] = v end
    return kv.plot(spec)
  end
  plotted = plot { file = opt.out .. "/ttft.png", logy = true,
    title = ("TTFT, %s, %.0f GiB KV, Mooncake conversation (st static, pg paged, in indirect; "
      .. "+s swap, +p prefix sharing, +t block tier, +o host copy of the prefix cache)"):format(model.name,
      opt.kv_gib),
    ylabel = "seconds", series = { { label = "p50", x = x, y = t50 }, { label = "p99", x = x, y = t99 } } }
  plot { file = opt.out .. "/pcie.png",
    title = "PCIe traffic per configuration", ylabel = "GB",
    series = { { label = "host to device", x = x, y = h2d }, { label = "device to host", x = x, y = d2h } } }
end
print()
print(("results in %s: summary.csv, summary.json%s"):format(opt.out, plotted and ", ttft.png, pcie.png" or ""))

-- ---- conclusion, computed ----
local best
for _, r in ipairs(results) do
  if r.summary.rejected == 0 and (not best or r.summary.ttft_p99 < best.summary.ttft_p99) then best = r end
end
local pg, pgs, pgp = by["paged"].summary, by["paged+swap"].summary, by["paged+prefix"]
local pgo = by["paged+prefix+offload"]
local prompt_sum = st.prompt_mean * #workload
local icp = by["indirect+tier+compact64"]
local ins, int, intp = by["indirect+swap"].summary, by["indirect+tier"], by["indirect+tier+prefix"]
local function ratio(a, b) return b > 0 and a / b or 0 end
print()
print(("Conclusion. With %.0f GiB of KV memory, the lowest TTFT p99 among configurations that "
  .. "reject nothing is %s (%.1f s, p50 %.1f s). Paged recomputes %.2fx the prompt tokens a "
  .. "run without preemption would (%.0f preemptions); swapping whole requests instead moves "
  .. "%.0f GB each way over PCIe and gives TTFT p99 %.1f s against %.1f s. The block-level tier of "
  .. "indirect moves %.0f GB to the host (whole-request swap on indirect: %.0f GB) with TTFT p99 "
  .. "%.1f s; with prefix sharing its published prompt blocks stay on the device, so it moves "
  .. "%.1f GB and reaches TTFT p99 %.1f s (eviction then frees only unpublished blocks, so "
  .. "a preempted request mostly pauses in place: batch %.1f against %.1f, %.0f preemptions). "
  .. "Prefix sharing alone hits %s of the queried prompt "
  .. "tokens on paged and %s with the tier (recompute preemption re-queries the preempted "
  .. "request's own cached blocks, which vLLM's definition counts as hits; with swap or the "
  .. "tier only other requests' prefixes hit), and cuts paged's TTFT p99 from %.1f s to %.1f s. "
  .. "A 64 GiB host copy of the prefix cache (vLLM's CPU KV offloading) stores %.0f GB of prompt "
  .. "blocks and loads back %.1f GB (the trace names no output blocks, so a preempted request can "
  .. "find only its prompt's blocks there, and looks on the device first): TTFT p99 %.1f s, %.0f "
  .. "preemptions. "
  .. "The default compaction trigger moved %.0f blocks in the tiered run (block allocation "
  .. "seldom scatters free space here); forcing 64 blocks a step moves %.0f blocks, %.1f GB of "
  .. "device copies (%.2f%% of that run's PCIe bytes) and changes TTFT p99 from %.1f s to %.1f s. "
  .. "The four policies in Lua gave %s results at %.1f us of CPU per step against %.1f us in C.")
  :format(opt.kv_gib, best.label, best.summary.ttft_p99, best.summary.ttft_p50,
    ratio(pg.prompt_tokens, prompt_sum), pg.preemptions,
    pgs.copy_bytes_d2h / 1e9, pgs.ttft_p99, pg.ttft_p99,
    int.summary.copy_bytes_d2h / 1e9, ins.copy_bytes_d2h / 1e9, int.summary.ttft_p99,
    intp.summary.copy_bytes_d2h / 1e9, intp.summary.ttft_p99,
    intp.summary.batch_mean, int.summary.batch_mean, intp.summary.preemptions,
    pct(pgp.tier.prefix_hit_rate), pct(intp.tier.prefix_hit_rate),
    pg.ttft_p99, pgp.summary.ttft_p99,
    pgo.summary.copy_bytes_d2h / 1e9, pgo.summary.copy_bytes_h2d / 1e9, pgo.summary.ttft_p99,
    pgo.summary.preemptions,
    int.tier.compact_blocks, icp.tier.compact_blocks, icp.tier.compact_bytes / 1e9,
    100 * ratio(icp.tier.compact_bytes, icp.summary.copy_bytes_h2d + icp.summary.copy_bytes_d2h),
    int.summary.ttft_p99, icp.summary.ttft_p99,
    same and "identical" or "different", us_l, us_c))
