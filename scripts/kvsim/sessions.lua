-- kvsim/sessions.lua - multi-turn sessions in a block-hash workload: the
-- chains of turns recovered from the hash ids, the synthetic session
-- generator's parameters fitted to them, the statistics that matter for KV
-- memory (to compare a trace with a generated workload), and the session
-- presets fitted that way (kvsim/session_presets.lua, written by
-- scripts/fit_sessions.lua).
-- Main entry points: chains(w), fit(w [, opts]), synthetic(fit [, n]),
-- stats(w), preset(name [, overrides]).
--
-- How a chain is found (docs/inputs.md, "Fitting sessions"): request j
-- continues request i (i earlier) when i's whole blocks (floor(prompt / B)
-- ids; the partial last block's id changes once the next turn fills it)
-- are a prefix of j's ids, i owns at least one of those blocks (it is the
-- first request with that prefix: it added a block of its own past what it
-- shares with earlier requests and past its group's system prompt), and no
-- longer such prefix exists. The system prompt of a group (requests whose
-- first id is the same) is the run of blocks from its first id down to the
-- first branching point of the prefix tree.

local M = {}

-- Nearest-rank quantile of a sorted list (p in [0, 1]).
local function quantile(s, p)
  local n = #s
  if n == 0 then return 0 / 0 end
  local k = math.ceil(p * n)
  if k < 1 then k = 1 end
  if k > n then k = n end
  return s[k]
end
M.quantile = quantile

local function sorted_copy(t)
  local s = table.move(t, 1, #t, 1, {})
  table.sort(s)
  return s
end

local function mean_std(t)
  local n, s, s2 = #t, 0, 0
  for i = 1, n do s = s + t[i] end
  local m = n > 0 and s / n or 0 / 0
  for i = 1, n do s2 = s2 + (t[i] - m) ^ 2 end
  return m, n > 1 and math.sqrt(s2 / (n - 1)) or 0
end
M.mean_std = mean_std

-- k values at the quantiles (j - 0.5) / k of t, rounded to integers >= lo:
-- an empirical distribution for the generator ({ dist = "empirical" }).
local function quantile_list(t, k, lo)
  local s, out = sorted_copy(t), {}
  for j = 1, k do
    local v = math.floor(quantile(s, (j - 0.5) / k) + 0.5)
    out[j] = v < lo and lo or v
  end
  return out
end

-- Node fields of the prefix tree (ids are >= 0, so negative keys are free).
local OWNER, CREATOR, NCHILD = -1, -2, -3

local function check_ids(w, fname)
  if type(w) ~= "userdata" or not w.block or w.block == 0 or #w == 0 or not w:ids(1) then
    error(("bad argument #1 to '%s' (workload with prefix hash ids expected)"):format(fname), 3)
  end
end

-- chains(w [, window]) -> { parent = {...} (0: a session's first turn), session =
-- {...} (1-based), turn = {...}, group = {...} (first id), sys = {[first
-- id] = blocks}, sessions = N, block = B, requests = columns of
-- w:requests(), lcp = {...} (blocks shared with any earlier request),
-- branches = N (turns continuing a request that already had a next turn),
-- partial_roots = N (first turns sharing more than their system prompt
-- with an earlier request: edits or branches the rule does not chain) }.
function M.chains(w, window)
  check_ids(w, "chains")
  local B, rq = w.block, w:requests()
  local n = #rq.prompt
  if window then -- only the requests that arrive within [0, window] s
    while n > 1 and rq.arrival[n] > window do n = n - 1 end
  end
  local ids = {}
  -- pass 1: the prefix tree of every prompt, each node with the request
  -- that created it and its number of children
  local trie = { [NCHILD] = 0 }
  for i = 1, n do
    local h = w:ids(i)
    ids[i] = h
    local node = trie
    for k = 1, #h do
      local c = node[h[k]]
      if not c then
        c = { [CREATOR] = i, [NCHILD] = 0 }
        node[h[k]] = c
        node[NCHILD] = node[NCHILD] + 1
      end
      node = c
    end
  end
  -- system prompt of each group: blocks down to the first branching point
  local sys = {}
  for first, node in pairs(trie) do
    if type(first) == "number" and first >= 0 then
      local d = 1
      while node[NCHILD] == 1 do
        local _, c = next(node)
        while type(_) == "number" and _ < 0 do _, c = next(node, _) end
        node, d = c, d + 1
      end
      sys[first] = node[NCHILD] >= 2 and d or 0
    end
  end
  -- pass 2: chains, in arrival order
  local parent, session, turn, group, lcp = {}, {}, {}, {}, {}
  local children, ns, partial = {}, 0, 0
  for i = 1, n do
    local h, node, par, shared = ids[i], trie, 0, 0
    local whole = rq.prompt[i] // B
    if whole > #h then whole = #h end
    local at_whole
    for k = 1, #h do
      node = node[h[k]]
      if node[CREATOR] < i then shared = k end
      local o = node[OWNER]
      if o then par = o end
      if k == whole then at_whole = node end
    end
    local g = h[1]
    group[i], lcp[i] = g, shared
    if at_whole and whole > shared and whole > sys[g] then at_whole[OWNER] = i end
    parent[i] = par
    if par > 0 then
      session[i], turn[i] = session[par], turn[par] + 1
      children[par] = (children[par] or 0) + 1
    else
      ns = ns + 1
      session[i], turn[i] = ns, 1
      if shared > sys[g] then partial = partial + 1 end
    end
  end
  local branches = 0
  for _, c in pairs(children) do branches = branches + c - 1 end
  return { parent = parent, session = session, turn = turn, group = group, lcp = lcp,
           sys = sys, sessions = ns, block = B, requests = rq, n = n,
           branches = branches, partial_roots = partial }
end

-- Requests per session, one entry per session.
local function session_sizes(c)
  local size = {}
  for i = 1, c.n do size[c.session[i]] = (size[c.session[i]] or 0) + 1 end
  return size
end

-- fit(w [, opts]) -> the generator's parameters and how each was found.
-- opts: answer_time (s per output token; default: estimated, below),
-- quantiles (points of each empirical list, default 100; turns get 10 x
-- as many, so that the long sessions of the tail stay), chains (from
-- M.chains(w), to reuse).
function M.fit(w, opts)
  check_ids(w, "fit")
  opts = opts or {}
  local k = opts.quantiles or 100
  local c = opts.chains or M.chains(w)
  local rq, B, n = c.requests, c.block, c.n
  local how = {}
  local function note(name, value, text) how[#how + 1] = { name = name, value = value, how = text } end

  -- sessions and their arrivals
  local starts = {}
  for i = 1, n do if c.parent[i] == 0 then starts[#starts + 1] = rq.arrival[i] end end
  local gaps = {}
  for i = 2, #starts do gaps[#gaps + 1] = starts[i] - starts[i - 1] end
  local gm, gs = mean_std(gaps)
  local span = starts[#starts] - starts[1]
  local rate = span > 0 and (#starts - 1) / span or 1
  local cv = gm > 0 and gs / gm or 1
  note("sessions", c.sessions, "requests that continue no earlier request (chain rule above)")
  note("rate", rate, "(sessions - 1) / (last session start - first), sessions/s")
  note("cv", cv, "std / mean of the gaps between session starts")

  -- turns per session
  local size = session_sizes(c)
  local sm = mean_std(size)
  local ss = sorted_copy(size)
  note("turns_mean", sm, "requests per session: mean (p50 " .. quantile(ss, 0.5) .. ", p90 " ..
    quantile(ss, 0.9) .. ", max " .. ss[#ss] .. "); branches " .. c.branches ..
    " (a turn continuing a request that already had a next one is counted in its session)")

  -- groups and their system prompts
  local gsess, groups, sysb = {}, 0, {}
  for i = 1, n do
    if c.parent[i] == 0 then gsess[c.group[i]] = (gsess[c.group[i]] or 0) + 1 end
  end
  for g, cnt in pairs(gsess) do
    if cnt >= 2 and (c.sys[g] or 0) >= 1 then
      groups = groups + 1
      sysb[#sysb + 1] = c.sys[g]
    end
  end
  table.sort(sysb)
  local sys_blocks = #sysb > 0 and quantile(sysb, 0.5) or 0
  note("groups", math.max(groups, 1), "first ids shared by >= 2 sessions with >= 1 common block (" ..
    groups .. " found)")
  note("system_prompt", sys_blocks * B, ("median of the groups' common leading blocks (%d) x %d tokens; " ..
    "a lower bound: the prompt's tail shares a block with the question"):format(sys_blocks, B))

  -- new tokens per turn (the question) and outputs
  local q, q_first, q_later, nonpos = {}, {}, {}, 0
  for i = 1, n do
    local p, v = c.parent[i]
    if p > 0 then
      v = rq.prompt[i] - rq.prompt[p] - rq.output[p]
      q_later[#q_later + 1] = v
    else
      v = rq.prompt[i] - (c.sys[c.group[i]] or 0) * B
      q_first[#q_first + 1] = v
    end
    if v < 1 then nonpos = nonpos + 1 end
    q[#q + 1] = v
  end
  local qf, ql = sorted_copy(q_first), sorted_copy(q_later)
  note("question", mean_std(q), ("new tokens per turn: first turns prompt - system prompt " ..
    "(p50 %d), later turns prompt - previous prompt - previous output (p50 %s); %d <= 0 " ..
    "(clamped to 1); one list for both, as the generator draws them"):format(
    quantile(qf, 0.5), #ql > 0 and tostring(quantile(ql, 0.5)) or "-", nonpos))
  note("output", mean_std(rq.output), "every request's output length")

  -- answer time and think time
  local pairs_ = {}
  for i = 1, n do
    local p = c.parent[i]
    if p > 0 then pairs_[#pairs_ + 1] = { rq.arrival[i] - rq.arrival[p], rq.output[p] } end
  end
  local a = opts.answer_time
  local a_how = "given"
  if not a then
    local r = {}
    for _, g in ipairs(pairs_) do if g[2] >= 100 then r[#r + 1] = g[1] / g[2] end end
    table.sort(r)
    a = #r > 0 and quantile(r, 0.01) or 0
    a_how = ("1st percentile of gap / previous output over %d turns after >= 100 output tokens " ..
      "(the trace does not say when an answer ended: at most 1 %% of think times are < 0)"):format(#r)
  end
  note("answer_time", a, a_how)
  local think, neg = {}, 0
  for _, g in ipairs(pairs_) do
    local t = g[1] - a * g[2]
    if t < 0 then neg, t = neg + 1, 0 end
    think[#think + 1] = t
  end
  local tm, ts = mean_std(think)
  local tcv = tm > 0 and ts / tm or 0
  local tkind = (tcv > 0.8 and tcv < 1.25) and "exponential" or "lognormal"
  local st = sorted_copy(think)
  note("think", tm, ("gap to the previous turn - answer_time x its output: mean %.4g s, std %.4g, " ..
    "p50 %.4g, p90 %.4g; %d < 0 set to 0; cv %.2f -> %s with this mean (and std)"):format(
    tm, ts, quantile(st, 0.5), quantile(st, 0.9), neg, tcv, tkind))

  return {
    n = n, block = B, sessions = c.sessions, rate = rate, cv = cv,
    arrival = (cv > 0.9 and cv < 1.1) and "poisson" or "bursty",
    groups = math.max(groups, 1), system_prompt = math.max(sys_blocks * B, 1),
    turns = quantile_list(size, 10 * k, 1), turns_mean = sm,
    question = quantile_list(q, k, 1), output = quantile_list(rq.output, k, 1),
    answer_time = a, think = { dist = tkind, mean = tm, std = ts },
    branches = c.branches, partial_roots = c.partial_roots, how = how,
    duration = rq.arrival[n] - rq.arrival[1],
  }
end

-- synthetic(fit [, n]) -> the `synthetic` table of kv.workload for the
-- fitted parameters, n sessions (default: as many as the trace had).
function M.synthetic(f, n)
  local s = {
    rate = f.rate, n = n or f.sessions, arrival = f.arrival,
    output = { dist = "empirical", values = f.output },
    prefix = { groups = f.groups, system_prompt = f.system_prompt, block = f.block,
               order = "random", question = { dist = "empirical", values = f.question } },
    session = { turns = { dist = "empirical", values = f.turns }, answer_time = f.answer_time,
                think = f.think.dist == "exponential" and { dist = "exponential", mean = f.think.mean }
                  or { dist = "lognormal", mean = f.think.mean, std = f.think.std } },
  }
  if f.arrival == "bursty" then s.cv = f.cv end
  return s
end

-- stats(w [, window]) -> what matters for KV memory, computed the same way
-- for a trace and a generated workload: requests, sessions and requests per
-- session (by the chain rule; true_sessions too when the workload knows
-- them), prompt and output mean/p50/p99, arrival rate, and the block hit
-- rate of an unbounded prefix cache (prompt block references whose id an
-- earlier prompt had, over all prompt block references).
function M.stats(w, window)
  local c = M.chains(w, window)
  local rq, n = c.requests, c.n
  local size = session_sizes(c)
  local ss = sorted_copy(size)
  local seen, refs, hits = {}, 0, 0
  for i = 1, n do
    local h = w:ids(i)
    for k = 1, #h do
      if seen[h[k]] then hits = hits + 1 else seen[h[k]] = true end
    end
    refs = refs + #h
  end
  local pr, ou = table.move(rq.prompt, 1, n, 1, {}), table.move(rq.output, 1, n, 1, {})
  local sp, so = sorted_copy(pr), sorted_copy(ou)
  local true_sessions
  if rq.session then
    local u = {}
    for i = 1, n do u[rq.session[i]] = true end
    true_sessions = 0
    for _ in pairs(u) do true_sessions = true_sessions + 1 end
  end
  local dur = rq.arrival[n] - rq.arrival[1]
  return {
    requests = n, sessions = c.sessions, true_sessions = true_sessions,
    turns_mean = n / c.sessions, turns_p90 = quantile(ss, 0.9), turns_max = ss[#ss],
    prompt_mean = mean_std(pr), prompt_p50 = quantile(sp, 0.5), prompt_p99 = quantile(sp, 0.99),
    output_mean = mean_std(ou), output_p50 = quantile(so, 0.5), output_p99 = quantile(so, 0.99),
    rate = dur > 0 and (n - 1) / dur or 0 / 0, duration = dur,
    block_hit_rate = refs > 0 and hits / refs or 0, block_refs = refs,
    branches = c.branches, partial_roots = c.partial_roots,
  }
end

-- Session presets: name -> { synthetic = {...}, source = "..." } in
-- kvsim/session_presets.lua (written by scripts/fit_sessions.lua --write).
function M.names()
  local ok, p = pcall(require, "kvsim.session_presets")
  local t = {}
  if ok then for k in pairs(p) do t[#t + 1] = k end end
  table.sort(t)
  return t
end

local function deep_copy(v)
  if type(v) ~= "table" then return v end
  local t = {}
  for k, x in pairs(v) do t[k] = deep_copy(x) end
  return t
end

-- preset(name [, overrides]) -> a fresh `synthetic` table for kv.workload;
-- overrides (rate, n, duration, ...) replace its top-level keys.
function M.preset(name, overrides)
  local p = require("kvsim.session_presets")[name]
  if not p then
    error(("bad argument #1 to 'session_preset' (invalid option '%s' (valid: %s))"):format(
      tostring(name), table.concat(M.names(), ", ")), 2)
  end
  local s = deep_copy(p.synthetic)
  for k, v in pairs(overrides or {}) do s[k] = v end
  if overrides and overrides.duration then s.n = overrides.n end
  return s
end

return M
