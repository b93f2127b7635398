-- paged.lua - vLLM PagedAttention written with kv.strategy, for prototyping
-- (docs/lua_strategies.md): fixed blocks of block_tokens tokens from a LIFO
-- free stack, one block table per request. It is core/strategy/strategy_paged.c
-- without sliding windows, the prefix cache and swaps, and emits the same
-- ops: tests/test_lua_strategy.c compares the two call by call and by a
-- whole kv.run.
-- Request ids are the C ones (0-based); blocks are 0-based pool indices.
local kv = require "kvsim.core"

return kv.strategy {
  name = "lua_paged",
  addr_mode = "block_table", -- kernels read through the block table
  pool = "device", -- blocks are offsets in one device pool
  options = { "block_tokens" }, -- run key: strategy = { this, block_tokens = 32 }

  create = function(cfg)
    local bt, bpt = cfg.block_tokens, cfg.bytes_per_token
    local n = cfg.capacity_bytes // (bt * bpt)
    local free = {}
    for i = 1, n do free[i] = n - i end -- the first pops give 0, 1, 2, ...
    return {
      bt = bt, bpt = bpt, bb = bt * bpt, nblocks = n, cap = cfg.capacity_bytes,
      max_requests = cfg.max_requests,
      free = free, top = n, -- free stack, top at free[top]
      reqs = {}, -- req -> { tokens, n, tab = { block ids } }
      held = 0, nlive = 0, units = 0, -- units: live tokens
    }
  end,

  -- pops blocks when a block boundary is crossed: one TABLE_WRITE of k
  reserve = function(s, req, tokens, emit)
    if req >= s.max_requests then return "einval" end
    local r = s.reqs[req]
    if r and tokens <= r.n * s.bt then -- fits: no op
      s.units = s.units - r.tokens + tokens
      r.tokens = tokens
      return
    end
    if tokens > s.nblocks * s.bt then return "einval" end
    local have = r and r.n or 0
    local k = (tokens + s.bt - 1) // s.bt - have
    if k > s.top then return "enomem" end
    if not r then
      r = { tokens = 0, n = 0, tab = {} }
      s.reqs[req] = r
      s.nlive = s.nlive + 1
    end
    if k > 0 then
      local tab, free, top = r.tab, s.free, s.top
      for i = 1, k do tab[have + i] = free[top - i + 1] end
      s.top = top - k
      r.n = have + k
      s.held = s.held + k
      emit:table_write(req, k)
    end
    s.units = s.units - r.tokens + tokens
    r.tokens = tokens
  end,

  -- pushes the blocks back on the free stack, last first; no op
  release = function(s, req, emit)
    local r = s.reqs[req]
    if not r then return end
    for i = r.n, 1, -1 do
      s.top = s.top + 1
      s.free[s.top] = r.tab[i]
    end
    s.held = s.held - r.n
    s.units = s.units - r.tokens
    s.nlive = s.nlive - 1
    s.reqs[req] = nil
  end,

  stats = function(s)
    local backed = s.held * s.bb
    local used = s.units * s.bpt
    return {
      used = used, backed = backed, allocated = backed,
      internal_frag = backed - used, free = s.cap - backed,
      external_frag = s.cap - s.nblocks * s.bb, -- the tail no block covers
      largest_free = s.top > 0 and s.bb or 0,
      metadata = 4 * s.held, live_requests = s.nlive,
    }
  end,

  max_request_tokens = function(s) return s.nblocks * s.bt end,

  -- bytes of the blocks reserve(req, tokens) would pop; nil: it would fail
  reserve_need = function(s, req, tokens)
    if req >= s.max_requests then return nil end
    local r = s.reqs[req]
    local n = r and r.n or 0
    if tokens <= n * s.bt then return 0 end
    if tokens > s.nblocks * s.bt then return nil end
    local k = (tokens + s.bt - 1) // s.bt - n
    if k > s.top then return nil end
    return k * s.bb
  end,

  -- entry t // bt of the table, + (t % bt) * bpt
  token_map = function(s, req, t)
    local r = s.reqs[req]
    if not r or t >= r.tokens then return end
    return r.tab[t // s.bt + 1] * s.bb + t % s.bt * s.bpt, s.bpt
  end,

  is_valid = function(s)
    if s.held + s.top ~= s.nblocks then
      return false, ("held %d + free %d ~= %d blocks"):format(s.held, s.top,
                                                              s.nblocks)
    end
    return true
  end,
}
