-- experiments/gpu_cases.lua - the configurations validate_gpu runs on a GPU,
-- in one place: the closed batches (validate, steady, tier) and the
-- open-arrival settings and cases. The device machines have CUDA but no
-- Lua, so this script writes them as a case file that validate_gpu reads
-- (gpu/validate_gpu_cases.c); the build writes one next to validate_gpu
-- (gpu_cases.txt) and gpu/build_carry.sh carries it. Edit the tables here
-- to add a case; validate_gpu --list (--open --list) shows what it reads.
--
--   kvsim experiments/gpu_cases.lua [--out FILE]      (default: standard output)
--
-- Every case is checked here (strategy known, sizes positive, names
-- unique); validate_gpu checks the file again, naming its line.

local kv = require "kvsim"

local opt = kv.parse_args(arg, {
  description = "write validate_gpu's case file (closed batches, open-arrival settings and cases)",
  options = {
    { name = "out", type = "string", metavar = "FILE", help = "where the case file goes (default: standard output)" },
  },
})
if not opt then return end

local KiB, MiB, GiB = 1024, 1024 ^ 2, 1024 ^ 3

-- ---- closed batches (validate_gpu [--steady | --tier]) ----
-- Each experiment: a closed batch (every request at t = 0) and its cases.
-- A case: label, strategy and the strategy options that differ from the
-- defaults: page_bytes, layout ("layer" | "all"), map_ahead (tokens), via
-- ("engine" | "kernel" | "batch": swap copies), deferred (vmm's deferred
-- reclamation), slab_bytes (indirect), force_compact (a policy asks, every
-- step, compaction of 32 blocks and prefetch of 2 requests), max_context
-- (static's and vmm's default: the experiment's).
local closed = {
  -- The sim-vs-real validation (docs/validation.md). 128 tokens per step
  -- keep every step memory-bound in the model (a step of Llama-3-8B turns
  -- FLOP-bound above ~250 tokens on an H100). 1 GiB of KV is ~8k tokens:
  -- swaps happen.
  {
    name = "validate", dir = "results/tmp/validate", requests = 64, prompt = { 32, 256 }, output = { 32, 256 },
    kv_capacity = 1 * GiB, host_bytes = 1 * GiB, max_batch_tokens = 128, max_num_seqs = 256, max_context = 512,
    preempt = "swap", check = 1,
    cases = {
      { label = "static", strategy = "static" },
      { label = "paged-16", strategy = "paged" },
      { label = "paged-16-kernel", strategy = "paged", via = "kernel" },
      { label = "vmm-2M-layer", strategy = "vmm", page_bytes = 2 * MiB },
      { label = "vmm-2M-all", strategy = "vmm", page_bytes = 2 * MiB, layout = "all" },
      -- one 2 MiB all-layer page = 16 Llama-3-8B tokens mapped ahead
      { label = "vmm-2M-all-ahead", strategy = "vmm", page_bytes = 2 * MiB, layout = "all", map_ahead = 16 },
      { label = "indirect-64M-16", strategy = "indirect" },
    },
  },
  -- Decode steady state without memory pressure: 32 x at most 1151 tokens
  -- x 128 KiB = 4.5 GiB (all layers) or 32 x 2 steps x 64 ranges x 2 MiB =
  -- 8 GiB (per layer); 12 GiB leaves room. 512 tokens per step admit the
  -- batch in a few steps, beside the first decodes. Map-ahead of one page
  -- (all layers: 16 tokens; per layer: 1024) and deferred reclamation.
  {
    name = "steady", dir = "results/tmp/steady", requests = 32, prompt = { 64, 128 }, output = { 512, 1024 },
    kv_capacity = 12 * GiB, host_bytes = 0, max_batch_tokens = 512, max_num_seqs = 256, max_context = 1152,
    preempt = "recompute", check = 1,
    cases = {
      { label = "vmm-2M-all", strategy = "vmm", page_bytes = 2 * MiB, layout = "all" },
      { label = "vmm-2M-all-ahead16", strategy = "vmm", page_bytes = 2 * MiB, layout = "all", map_ahead = 16 },
      { label = "vmm-2M-all-ahead16-deferred", strategy = "vmm", page_bytes = 2 * MiB, layout = "all",
        map_ahead = 16, deferred = true },
      { label = "vmm-2M-layer-ahead1024-deferred", strategy = "vmm", page_bytes = 2 * MiB, map_ahead = 1024,
        deferred = true },
    },
  },
  -- Tiering and prefix sharing on the GPU: 768 MiB of KV (6144 tokens, 384
  -- blocks of 16) for prompts of 200-1000 tokens sharing prefixes: growth
  -- evicts. (1 GiB with prompts of 700-2400 and 1024 tokens per step once
  -- made the engine evict and reload the same requests without progress;
  -- fixed, docs/gpu.md)
  {
    name = "tier", dir = "results/tmp/tier", requests = 64, prompt = { 200, 1000 }, output = { 32, 256 },
    kv_capacity = 768 * MiB, host_bytes = 4 * GiB, max_batch_tokens = 256, max_num_seqs = 256, max_context = 0,
    preempt = "swap", check = 2, tier = true, prefix = true,
    cases = {
      { label = "indirect-tier-32M-16", strategy = "indirect", slab_bytes = 32 * MiB },
      { label = "indirect-tier-32M-16-compact", strategy = "indirect", slab_bytes = 32 * MiB, force_compact = true },
    },
  },
}

-- ---- open arrivals (validate_gpu --open) ----
-- Every case runs in every setting (label "<setting>-<case>"). own: 16 GiB
-- of KV (131,072 tokens of Llama-3-8B) against some 30 requests of ~1,400
-- tokens at once: nothing is preempted. pressure: 2 GiB (16,384 tokens) at
-- 4x the rate (--speedup): paged and vmm swap to a 4 GiB host tier,
-- indirect evicts and reloads blocks (tier), static reserves 8192 tokens
-- per request (two at once) and queues; its copies are batched DMA (one
-- cudaMemcpyBatchAsync per op).
local open_settings = {
  { name = "own", kv_capacity = 16 * GiB, host_bytes = 0, preempt = "recompute", fast = false, tier = false,
    via = "engine" },
  { name = "pressure", kv_capacity = 2 * GiB, host_bytes = 4 * GiB, preempt = "swap", fast = true, tier = true,
    via = "batch" },
}
-- Every request of the trace fits 8192 tokens but one (prompt + output
-- above the model's max context, rejected by every strategy alike): static
-- and vmm reserve the model's context, 8192 tokens, per request. tier: the
-- case uses the setting's tier (indirect's block-level evict / reload).
local open_cases = {
  { name = "static", strategy = "static", max_context = 8192 },
  { name = "paged-16", strategy = "paged" },
  { name = "vmm-2M-layer", strategy = "vmm", page_bytes = 2 * MiB, max_context = 8192 },
  -- indirect evicts and reloads blocks where the setting has a tier
  { name = "indirect-64M-16", strategy = "indirect", tier = true },
}

-- ---- checks ----

local STRATEGIES = {}
for _, name in ipairs(kv.strategies()) do STRATEGIES[name] = true end
local ONE_OF = { layout = { layer = true, all = true }, via = { engine = true, kernel = true, batch = true },
                 preempt = { swap = true, recompute = true } }

local function fail(where, fmt, ...)
  error(("gpu_cases.lua: %s: " .. fmt):format(where, ...), 0)
end

-- t's keys against a list of kinds: "count" (a whole number >= 0),
-- "bytes" (the same), "flag", "name", or a ONE_OF key; required ones given
local function check(t, where, kinds, required)
  for k, v in pairs(t) do
    local kind = kinds[k]
    if not kind then
      local valid = {}
      for name in pairs(kinds) do valid[#valid + 1] = name end
      table.sort(valid)
      fail(where, "unknown field '%s' (valid: %s)", tostring(k), table.concat(valid, ", "))
    end
    if kind == "count" then
      if math.type(v) ~= "integer" and not (type(v) == "number" and v == math.floor(v)) or v < 0 then
        fail(where, "%s = %s: a whole number >= 0 wanted", k, tostring(v))
      end
    elseif kind == "flag" then
      if type(v) ~= "boolean" then fail(where, "%s = %s: true or false wanted", k, tostring(v)) end
    elseif kind == "name" then
      if type(v) ~= "string" or not v:match("^[%w_./-]+$") then
        fail(where, "%s = %s: letters, digits and _ . / - wanted", k, tostring(v))
      end
    elseif kind == "range" then
      if type(v) ~= "table" or #v ~= 2 or v[1] < 1 or v[2] < v[1] then
        fail(where, "%s: { lo, hi } with 1 <= lo <= hi wanted", k)
      end
    elseif ONE_OF[kind] and not ONE_OF[kind][v] then
      fail(where, "%s = %s: one of the kind's values wanted", k, tostring(v))
    end
  end
  for _, k in ipairs(required) do
    if t[k] == nil then fail(where, "field '%s' missing", k) end
  end
  if t.strategy and not STRATEGIES[t.strategy] then
    fail(where, "strategy '%s' unknown (kv.strategies(): %s)", t.strategy, table.concat(kv.strategies(), ", "))
  end
end

local CASE = { label = "name", strategy = "name", page_bytes = "count", layout = "layout", map_ahead = "count",
               via = "via", deferred = "flag", slab_bytes = "count", force_compact = "flag",
               max_context = "count" }
local EXPERIMENT = { name = "name", dir = "name", requests = "count", prompt = "range", output = "range",
                     kv_capacity = "count", host_bytes = "count", max_batch_tokens = "count",
                     max_num_seqs = "count", max_context = "count", preempt = "preempt", check = "count",
                     tier = "flag", prefix = "flag", cases = "table" }
local SETTING = { name = "name", kv_capacity = "count", host_bytes = "count", preempt = "preempt", fast = "flag",
                  tier = "flag", via = "via" }
local OPEN_CASE = { name = "name", strategy = "name", page_bytes = "count", max_context = "count", tier = "flag" }

local function unique(list, key, where)
  local seen = {}
  for i, t in ipairs(list) do
    if seen[t[key]] then fail(("%s %d"):format(where, i), "%s '%s' given twice", key, t[key]) end
    seen[t[key]] = true
  end
end

unique(closed, "name", "experiment")
-- an experiment's max_context is static's and vmm's (the strategies that
-- reserve a context per request), unless a case gives its own
for _, x in ipairs(closed) do
  for _, c in ipairs(x.cases or {}) do
    if c.max_context == nil and (c.strategy == "static" or c.strategy == "vmm") then c.max_context = x.max_context end
  end
end
for i, x in ipairs(closed) do
  local where = ("experiment %d (%s)"):format(i, tostring(x.name))
  check(x, where, EXPERIMENT, { "name", "dir", "requests", "prompt", "output", "kv_capacity", "max_batch_tokens",
                                "max_num_seqs", "preempt", "check", "cases" })
  if x.kv_capacity == 0 or x.requests == 0 or x.max_batch_tokens == 0 then
    fail(where, "requests, kv_capacity and max_batch_tokens must be positive")
  end
  if #x.cases == 0 then fail(where, "no cases") end
  unique(x.cases, "label", where .. ", case")
  for j, c in ipairs(x.cases) do
    check(c, ("%s, case %d (%s)"):format(where, j, tostring(c.label)), CASE, { "label", "strategy" })
  end
end
unique(open_settings, "name", "open setting")
for i, s in ipairs(open_settings) do
  check(s, ("open setting %d (%s)"):format(i, tostring(s.name)), SETTING, { "name", "kv_capacity", "preempt" })
end
unique(open_cases, "name", "open case")
for i, c in ipairs(open_cases) do
  check(c, ("open case %d (%s)"):format(i, tostring(c.name)), OPEN_CASE, { "name", "strategy" })
end

-- ---- the file: one record per line, "kind key=value ..." ----

local out = {}
local function record(kind, t, keys)
  local parts = { kind }
  for _, k in ipairs(keys) do
    local v = t[k]
    if v ~= nil then
      if type(v) == "boolean" then
        v = v and 1 or 0
      elseif type(v) == "table" then
        v = ("%d,%d"):format(v[1], v[2])
      elseif type(v) == "number" then
        v = ("%d"):format(v)
      end
      parts[#parts + 1] = k .. "=" .. v
    end
  end
  out[#out + 1] = table.concat(parts, " ")
end

out[#out + 1] = "# validate_gpu's cases, written by experiments/gpu_cases.lua (edit that, not this)"
out[#out + 1] = "# kvsim-cases 1"
for _, x in ipairs(closed) do
  record("experiment", x, { "name", "dir", "requests", "prompt", "output", "kv_capacity", "host_bytes",
                            "max_batch_tokens", "max_num_seqs", "max_context", "preempt", "check", "tier", "prefix" })
  for _, c in ipairs(x.cases) do
    record("case", c, { "label", "strategy", "page_bytes", "layout", "map_ahead", "via", "deferred", "slab_bytes",
                        "force_compact", "max_context" })
  end
end
for _, s in ipairs(open_settings) do
  record("open_setting", s, { "name", "kv_capacity", "host_bytes", "preempt", "fast", "tier", "via" })
end
for _, c in ipairs(open_cases) do
  record("open_case", c, { "name", "strategy", "page_bytes", "max_context", "tier" })
end
local text = table.concat(out, "\n") .. "\n"

if opt.out then
  local f, err = io.open(opt.out, "w")
  if not f then error("gpu_cases.lua: " .. err, 0) end
  f:write(text)
  if not f:close() then error("gpu_cases.lua: cannot write " .. opt.out, 0) end
else
  io.write(text)
end
