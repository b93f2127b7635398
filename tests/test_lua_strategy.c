/* test_lua_strategy.c - strategies written in Lua (kv.strategy,
 * lua_strategy.h): scripts/strategies/paged.lua against the C paged on the
 * same random calls (same return codes, same ops, same stats), the generic
 * checker over it, misuse errors, and its cost per reserve against C's.
 */
#include "lua_strategy.h"
#include "strategy_check.h"
#include "strategy_testutil.h"
#include "util.h"

#include <lauxlib.h>
#include <lualib.h>
#include <stdio.h>
#include <time.h>

#include "lua_kvsim.h"

enum { LT_NREQ = 16, LT_NOPS = 5000 };

static lua_State *lt_state(void) {
  lua_State *L = luaL_newstate();
  luaL_openlibs(L);
  kv_lua_openlibs(L, NULL);
  return L;
}

/* Leaves the kv.strategy of scripts/strategies/paged.lua on the stack. */
static void lt_load_paged(lua_State *L) {
  int rc = luaL_dofile(L, KVSIM_SOURCE_DIR "/scripts/strategies/paged.lua");
  cr_assert_eq(rc, LUA_OK, "%s", lua_tostring(L, -1));
}

static void lt_cfg(tu_strat *t) {
  tu_cfg(t, tu_tiny(), 256 * 1024 + 3000); /* 32 blocks, and a tail */
  t->cfg.max_requests = LT_NREQ;
  t->cfg.max_context = 512;
}

static void lt_open(lua_State *L, tu_strat *t) {
  kv_error e;
  kv_status rc =
      kv_lua_strategy_open(L, -1, &t->cfg, &t->vt, &t->st, &t->ops, &e);
  cr_assert_eq(rc, KV_OK, "%s", e.msg);
}

static void ops_eq(const kv_op_list *a, const kv_op_list *b, int step) {
  cr_assert_eq(a->n, b->n, "step %d: %zu ops vs %zu", step, a->n, b->n);
  for (size_t i = 0; i < a->n; i++) {
    const kv_op *x = &a->ops[i], *y = &b->ops[i];
    cr_assert(x->kind == y->kind && x->dir == y->dir && x->via == y->via &&
                  x->req == y->req && x->count == y->count &&
                  x->bytes == y->bytes && x->addr == y->addr &&
                  x->runs_n == y->runs_n && x->flags == y->flags,
              "step %d: op %zu differs", step, i);
  }
}

Test(lua_strategy, lua_paged_matches_c_paged_call_by_call) {
  lua_State *L = lt_state();
  lt_load_paged(L);
  tu_strat c, l;
  lt_cfg(&c);
  lt_cfg(&l);
  tu_create(&c, "paged");
  lt_open(L, &l);
  kv_check *ck = kv_check_new(l.vt, &l.cfg);
  uint64_t tokens[LT_NREQ] = {0};
  kv_rng rng;
  kv_rng_seed(&rng, 0x1a);
  uint64_t mrt = c.vt->max_request_tokens(c.st);
  cr_assert_eq(l.vt->max_request_tokens(l.st), mrt);
  uint64_t enomem = 0;
  for (int step = 0; step < LT_NOPS; step++) {
    uint32_t q = (uint32_t)kv_rng_below(&rng, LT_NREQ);
    uint64_t roll = kv_rng_below(&rng, 100);
    kv_ops_clear(&c.ops);
    kv_ops_clear(&l.ops);
    kv_status rc = KV_OK, rl = KV_OK;
    if (tokens[q] && roll >= 80) {
      c.vt->release(c.st, q, &c.ops);
      l.vt->release(l.st, q, &l.ops);
      tokens[q] = 0;
    } else {
      uint64_t want = roll < 3    ? mrt + 1
                      : roll < 10 ? kv_rng_below(&rng, tokens[q] + 1)
                                  : tokens[q] + 1 + kv_rng_below(&rng, 40);
      rc = c.vt->reserve(c.st, q, want, &c.ops);
      rl = l.vt->reserve(l.st, q, want, &l.ops);
      cr_assert_eq(rl, rc, "step %d: Lua %d, C %d", step, rl, rc);
      if (rc == KV_OK) tokens[q] = want;
      enomem += rc == KV_ENOMEM;
    }
    ops_eq(&c.ops, &l.ops, step);
    kv_mem_stats sc = tu_stats(&c, 0), sl = tu_stats(&l, 0);
    tu_assert_stats_eq(&sc, &sl);
    kv_error e;
    cr_assert_eq(l.vt->is_valid(l.st, &e), KV_OK, "step %d: %s", step, e.msg);
    cr_assert_eq(kv_check_ops(ck, &l.ops, &e), KV_OK, "%s", e.msg);
    cr_assert_eq(kv_check_state(ck, l.st, tokens, &e), KV_OK, "step %d: %s",
                 step, e.msg);
  }
  cr_assert(enomem > 0, "the run never filled the pool");
  kv_check_free(ck);
  tu_destroy(&c);
  tu_destroy(&l);
  lua_close(L);
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ns per reserve call on a decode-like pattern: every request grows by one
 * token per call, and is released when the pool is full. */
static double ns_per_reserve(tu_strat *t, int calls) {
  uint64_t tokens[LT_NREQ] = {0};
  double t0 = now_s();
  for (int i = 0; i < calls; i++) {
    uint32_t q = (uint32_t)i % LT_NREQ;
    kv_ops_clear(&t->ops);
    if (t->vt->reserve(t->st, q, tokens[q] + 1, &t->ops) == KV_OK) {
      tokens[q]++;
    } else {
      t->vt->release(t->st, q, &t->ops);
      tokens[q] = 0;
    }
  }
  return (now_s() - t0) * 1e9 / calls;
}

Test(lua_strategy, cost_per_reserve_is_measured) {
  enum { CALLS = 200000 };
  lua_State *L = lt_state();
  lt_load_paged(L);
  tu_strat c, l;
  lt_cfg(&c);
  lt_cfg(&l);
  tu_create(&c, "paged");
  lt_open(L, &l);
  double nc = ns_per_reserve(&c, CALLS), nl = ns_per_reserve(&l, CALLS);
  fprintf(stderr,
          "reserve: C paged %.1f ns/call, Lua paged %.1f ns/call (%d calls)\n",
          nc, nl, CALLS);
  cr_assert(nl > 0 && nc > 0);
  tu_destroy(&c);
  tu_destroy(&l);
  lua_close(L);
}

Test(lua_strategy, a_lua_error_is_reported_by_is_valid) {
  lua_State *L = lt_state();
  int rc = luaL_dostring(
      L, "local kv = require 'kvsim.core'\n"
         "return kv.strategy{ name = 'bad', stats = function() return {} end,"
         " release = function() end,"
         " reserve = function(s, req, t, emit) emit:table_write(req, 1)"
         " error('boom') end }");
  cr_assert_eq(rc, LUA_OK, "%s", lua_tostring(L, -1));
  tu_strat t;
  lt_cfg(&t);
  lt_open(L, &t);
  cr_assert_eq(t.vt->reserve(t.st, 0, 4, &t.ops), KV_EINVAL);
  cr_assert_eq(t.ops.n, 0, "the failed call's ops are dropped");
  kv_error e;
  cr_assert_eq(t.vt->is_valid(t.st, &e), KV_EINVAL);
  cr_assert(strstr(e.msg, "boom") != NULL, "%s", e.msg);
  tu_destroy(&t);
  lua_close(L);
}

Test(lua_strategy, a_definition_without_reserve_is_refused) {
  lua_State *L = lt_state();
  int rc = luaL_dostring(L, "local kv = require 'kvsim.core'\n"
                            "return kv.strategy{ name = 'x' }");
  cr_assert_neq(rc, LUA_OK);
  cr_assert(strstr(lua_tostring(L, -1), "reserve, release and stats") != NULL,
            "%s", lua_tostring(L, -1));
  lua_close(L);
}

/* A whole run: kv.run with the Lua paged against the C paged on the same
 * workload, under memory pressure (kv_capacity: preemptions by
 * recompute); every summary metric, op count and timeline value. */
static const char *run_both =
    "local kv = require 'kvsim'\n"
    "local lp = dofile(kv.source_dir .. '/scripts/strategies/paged.lua')\n"
    "local W = kv.workload{ preset = 'azure-conv', seed = 3, count = 200 }\n"
    "local function run(s)\n"
    "  return kv.run{ model = 'llama-3-8b', platform = 'h100-sxm-80gb',\n"
    "    workload = W, strategy = s, kv_capacity = 512 << 20,\n"
    "    backend = 'ideal', seed = 3, check = 1 }\n"
    "end\n"
    "local c, l = run{ 'paged', block_tokens = 16 }, run(lp)\n"
    "local diff = {}\n"
    "local function cmp(what, a, b)\n"
    "  for k, v in pairs(a) do\n"
    "    if type(v) == 'table' then cmp(what .. '.' .. k, v, b[k] or {})\n"
    "    elseif b[k] ~= v then\n"
    "      diff[#diff + 1] = ('%s.%s: C %s, Lua %s'):format(what, k,\n"
    "        tostring(v), tostring(b[k]))\n"
    "    end\n"
    "  end\n"
    "end\n"
    "cmp('summary', c.summary, l.summary)\n"
    "cmp('tier', c.tier, l.tier)\n"
    "cmp('timeline', c.timeline, l.timeline)\n"
    "table.sort(diff)\n"
    "return table.concat(diff, '\\n'), c.summary.preemptions or 0\n";

Test(lua_strategy, a_run_with_lua_paged_equals_c_paged) {
  lua_State *L = lt_state();
  int rc = luaL_dostring(L, run_both);
  cr_assert_eq(rc, LUA_OK, "%s", lua_tostring(L, -1));
  const char *diff = lua_tostring(L, -2);
  cr_assert_str_empty(diff, "differences:\n%s", diff);
  fprintf(stderr, "kv.run Lua paged = C paged (%g preemptions)\n",
          lua_tonumber(L, -1));
  lua_close(L);
}

/* The Lua strategy's run options (`options = { "block_tokens" }` in its
 * definition): `{ lp, block_tokens = 32 }` run through kv.sweep (a forked
 * child) equals C paged at 32 run through kv.run, and differs from the Lua
 * paged at its default 16 (so the option is read); a key it did not
 * declare, or a declared name no C strategy has, is an error naming it. */
static const char *run_options =
    "local kv = require 'kvsim'\n"
    "local lp = dofile(kv.source_dir .. '/scripts/strategies/paged.lua')\n"
    "local W = kv.workload{ preset = 'azure-conv', seed = 3, count = 200 }\n"
    "local function cfg(s)\n"
    "  return { model = 'llama-3-8b', platform = 'h100-sxm-80gb',\n"
    "    workload = W, strategy = s, kv_capacity = 512 << 20,\n"
    "    backend = 'ideal', seed = 3, check = 1 }\n"
    "end\n"
    "local l = kv.sweep({ cfg{ lp, block_tokens = 32 } })[1]\n"
    "local c = kv.run(cfg{ 'paged', block_tokens = 32 })\n"
    "local d = kv.run(cfg(lp))\n"
    "local function eq(a, b)\n"
    "  if type(a) ~= 'table' or type(b) ~= 'table' then return a == b end\n"
    "  for k, v in pairs(a) do if not eq(v, b[k]) then return false end end\n"
    "  for k in pairs(b) do if a[k] == nil then return false end end\n"
    "  return true\n"
    "end\n"
    "local same = eq(c.summary, l.summary) and eq(c.timeline, l.timeline)\n"
    "local other = not eq(c.summary, d.summary)\n"
    "local ok1, e1 = pcall(kv.run, cfg{ lp, page_bytes = 4096 })\n"
    "local ok2, e2 = pcall(kv.strategy, { name = 'x', reserve = print,\n"
    "  release = print, stats = print, options = { 'blok_tokens' } })\n"
    "return same, other, ok1, e1, ok2, e2\n";

Test(lua_strategy, lua_strategy_options_are_run_keys) {
  lua_State *L = lt_state();
  int rc = luaL_dostring(L, run_options);
  cr_assert_eq(rc, LUA_OK, "%s", lua_tostring(L, -1));
  cr_expect(lua_toboolean(L, 1), "Lua paged at 32 differs from C paged at 32");
  cr_expect(lua_toboolean(L, 2), "block_tokens = 32 was not read");
  cr_expect(!lua_toboolean(L, 3));
  cr_expect(strstr(lua_tostring(L, 4), "unknown key 'page_bytes'") &&
                strstr(lua_tostring(L, 4), "(valid: block_tokens)"),
            "%s", lua_tostring(L, 4));
  cr_expect(!lua_toboolean(L, 5));
  cr_expect(strstr(lua_tostring(L, 6), "unknown option 'blok_tokens'"), "%s",
            lua_tostring(L, 6));
  lua_close(L);
}
