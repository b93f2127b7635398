-- experiments/prefix_generated.lua - what caching generated blocks (vLLM's
-- automatic prefix caching hashes prompt AND output blocks) buys a
-- multi-turn chat workload, against publishing prompt blocks only.
--
-- inference-perf's shared-prefix shape with multi-turn chat: 10 groups x 10
-- users (100 conversations), system prompt 100 tokens, question 466, answer
-- 248 (the profile experiments/vllm_validation.lua reproduces), each
-- conversation restarting after --turns turns, Poisson arrivals. Llama-3-8B
-- on one H100-SXM-80GB, paged blocks of 16 tokens (vLLM's), prefix sharing
-- on; one run with prefix_generated = true (the default) and one with false,
-- with the server's whole KV memory (0.9 of HBM less the weights: about
-- 56 GB, room for every conversation) and with each of --gib GiB (the cache
-- then evicts). Prints prefill tokens computed, hit rates (prompt /
-- generated blocks, of the tokens looked up) and TTFT p50 / p99 per run.
--
--   kvsim experiments/prefix_generated.lua [--requests N] [--rate R]
--         [--turns T] [--gib G,G...] [--backend NAME] [--seed N]

local kv = require "kvsim"

local opt = kv.parse_args(arg, {
  prog = "kvsim experiments/prefix_generated.lua",
  options = {
    { name = "requests", type = "integer", positive = true, default = 1000, metavar = "N",
      help = "requests" },
    { name = "rate", type = "number", positive = true, default = 8, metavar = "R",
      help = "arrivals per second (Poisson)" },
    { name = "turns", type = "integer", positive = true, default = 5, metavar = "T",
      help = "turns before a conversation starts over" },
    { name = "gib", type = "string", default = "40,24", metavar = "G,G...",
      help = "KV memory of the pressured runs, GiB (besides the server's)" },
    { name = "backend", type = "string", default = "ideal", metavar = "NAME", help = "ideal or simgrid" },
    { name = "seed", type = "integer", positive = true, default = 1, metavar = "N", help = "seed" },
  },
})
if not opt then return end

local w = kv.workload { seed = opt.seed, synthetic = {
  rate = opt.rate, n = opt.requests, arrival = "poisson", output = 248,
  prefix = { groups = 10, prompts_per_group = 10, system_prompt = 100, question = 466,
             order = "shuffle", multi_turn = true, turns = opt.turns },
} }

local function go(gen, gib)
  return kv.run {
    model = "llama-3-8b", platform = "h100-sxm-80gb", workload = w,
    strategy = { "paged", block_tokens = 16 }, backend = opt.backend, seed = opt.seed,
    kv_capacity = gib and math.floor(gib * 2 ^ 30) or nil,
    prefix_sharing = true, prefix_generated = gen,
  }
end

print(("%d requests, %g req/s, %d turns, %s backend"):format(opt.requests, opt.rate, opt.turns, opt.backend))
print(("%-10s %-9s %12s %9s %9s %9s %10s %10s %6s"):format("memory", "generated", "prefill tok",
  "hit rate", "prompt", "gen", "TTFT p50", "TTFT p99", "preempt"))
local sizes = { false }
for g in opt.gib:gmatch("[^,]+") do sizes[#sizes + 1] = assert(tonumber(g), "--gib: numbers") end
for _, gib in ipairs(sizes) do
  for _, gen in ipairs { true, false } do
    local r = go(gen, gib or nil)
    local s, t = r.summary, r.tier
    print(("%-10s %-9s %12d %8.1f%% %8.1f%% %8.1f%% %8.1f ms %8.1f ms %6d"):format(
      gib and (gib .. " GiB") or "server", tostring(gen), s.prompt_tokens,
      100 * t.prefix_hit_rate, 100 * t.prefix_hit_tokens_prompt / t.prefix_queried_tokens,
      100 * t.prefix_hit_tokens_generated / t.prefix_queried_tokens,
      1e3 * s.ttft_p50, 1e3 * s.ttft_p99, s.preemptions))
  end
end
