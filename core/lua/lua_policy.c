/* lua_policy.c - tiering and prefix-sharing options of kv.run, and Lua
 * functions as tiering policies.
 *
 *   kv.run{ ..., tier = true, prefix_sharing = true,
 *           policy = { evict = function(view) return 1 end,
 *                      admit = ..., prefetch = ..., compact = ... } }
 *
 * Each function gets a read-only view (a fresh table behind a proxy whose
 * __newindex raises) and returns its decision: evict an index into
 * view.candidates (1-based), admit a boolean, prefetch and compact a
 * non-negative integer. A function that raises, or returns something else,
 * stops the run with an error that names the policy function, where it is
 * defined (file:line) and what was wrong. Absent functions use the C
 * defaults (policy.h).
 * Main entry points: kv_lua_policy_parse(), kv_lua_policy_push_result().
 */
#include "lua_internal.h"

#include "engine.h"
#include "policy.h"
#include "util.h"

#include <math.h>
#include <string.h>

enum { PF_EVICT, PF_ADMIT, PF_PREFETCH, PF_COMPACT, PF__N };
static const char *const pf_names[] = {"evict", "admit", "prefetch", "compact",
                                       NULL};

/* Lives in a userdata anchored for the duration of the run (and copied
 * with the process into forked runs). */
typedef struct lua_pol {
  kv_policy pol;
  lua_State *L;
  int ref[PF__N];         /* registry refs, LUA_NOREF when absent */
  char where[PF__N][160]; /* "file.lua:12" of each function */
} lua_pol;

/* ---- view -> Lua ---- */

static void setn(lua_State *L, const char *k, double v) {
  lua_pushnumber(L, v);
  lua_setfield(L, -2, k);
}

static void seti(lua_State *L, const char *k, uint64_t v) {
  lua_pushinteger(L, (lua_Integer)v);
  lua_setfield(L, -2, k);
}

static void push_reqs(lua_State *L, const kv_policy_req *r, size_t n) {
  lua_createtable(L, (int)n, 0);
  for (size_t i = 0; i < n; i++) {
    lua_createtable(L, 0, 9);
    seti(L, "id", r[i].id + 1ull); /* 1-based, as w:requests() rows */
    seti(L, "prompt", r[i].prompt);
    seti(L, "output", r[i].output);
    seti(L, "generated", r[i].generated);
    seti(L, "computed", r[i].computed);
    seti(L, "host_blocks", r[i].host_blocks);
    seti(L, "last_step", r[i].last_step);
    seti(L, "admit_step", r[i].admit_step);
    setn(L, "arrival", r[i].arrival);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
}

static int readonly_newindex(lua_State *L) {
  return luaL_error(L, "the policy view is read-only (tried to set '%s')",
                    luaL_tolstring(L, 2, NULL));
}

static void push_view(lua_State *L, const kv_policy_view *v) {
  lua_newtable(L); /* proxy */
  lua_createtable(L, 0, 20);
  seti(L, "step", v->step);
  setn(L, "now", v->now);
  seti(L, "capacity", v->mem.capacity);
  seti(L, "used", v->mem.used);
  seti(L, "backed", v->mem.backed);
  seti(L, "host_used", v->mem.host_used);
  seti(L, "total_blocks", v->tier.total_blocks);
  seti(L, "free_blocks", v->tier.free_blocks);
  seti(L, "free_ranges", v->tier.free_ranges);
  seti(L, "largest_free", v->tier.largest_free);
  seti(L, "cached_blocks", v->tier.cached_blocks);
  seti(L, "host_blocks", v->tier.host_blocks);
  seti(L, "host_free", v->tier.host_free);
  push_reqs(L, v->cand, v->n_cand);
  lua_setfield(L, -2, "candidates");
  push_reqs(L, v->waiting, v->n_waiting);
  lua_setfield(L, -2, "waiting");
  lua_createtable(L, 0, 3); /* metatable */
  lua_insert(L, -2);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, readonly_newindex);
  lua_setfield(L, -2, "__newindex");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, -2);
}

static int traceback(lua_State *L) {
  const char *msg = lua_tostring(L, 1);
  kv_lua_traceback(L, msg ? msg : "(error object is not a string)", 1);
  return 1;
}

/* Call policy function f with the view; leaves its first result on the
 * stack (under nothing else) or sets err. */
static kv_status call(lua_pol *p, int f, const kv_policy_view *v,
                      kv_error *err) {
  lua_State *L = p->L;
  lua_pushcfunction(L, traceback);
  int h = lua_gettop(L);
  lua_rawgeti(L, LUA_REGISTRYINDEX, p->ref[f]);
  push_view(L, v);
  if (lua_pcall(L, 1, 1, h) != LUA_OK) {
    kv_error_set(err, KV_EINVAL, "function %s (defined at %s) raised: %s",
                 pf_names[f], p->where[f], lua_tostring(L, -1));
    lua_pop(L, 2);
    return KV_EINVAL;
  }
  lua_remove(L, h);
  return KV_OK;
}

static kv_status bad_result(lua_pol *p, int f, kv_error *err,
                            const char *want) {
  lua_State *L = p->L;
  const char *got = luaL_tolstring(L, -1, NULL);
  kv_error_set(err, KV_EINVAL,
               "function %s (defined at %s) returned %s (%s), expected %s",
               pf_names[f], p->where[f], got, luaL_typename(L, -2), want);
  lua_pop(L, 2);
  return KV_EINVAL;
}

/* Integer result in [lo, hi]. */
static kv_status int_result(lua_pol *p, int f, uint64_t lo, uint64_t hi,
                            uint64_t *out, kv_error *err, const char *want) {
  lua_State *L = p->L;
  int isint = 0;
  lua_Integer x = lua_tointegerx(L, -1, &isint);
  if (!isint || lua_type(L, -1) != LUA_TNUMBER || x < (lua_Integer)lo ||
      (uint64_t)x > hi)
    return bad_result(p, f, err, want);
  *out = (uint64_t)x;
  lua_pop(L, 1);
  return KV_OK;
}

static kv_status lp_evict(void *ud, const kv_policy_view *v, size_t *victim,
                          kv_error *err) {
  lua_pol *p = ud;
  kv_status s = call(p, PF_EVICT, v, err);
  if (s != KV_OK) return s;
  char want[96];
  snprintf(want, sizeof want, "an index into view.candidates (1..%zu)",
           v->n_cand);
  uint64_t k;
  if ((s = int_result(p, PF_EVICT, 1, v->n_cand, &k, err, want)) != KV_OK)
    return s;
  *victim = (size_t)k - 1;
  return KV_OK;
}

static kv_status lp_admit(void *ud, const kv_policy_view *v, bool *yes,
                          kv_error *err) {
  lua_pol *p = ud;
  kv_status s = call(p, PF_ADMIT, v, err);
  if (s != KV_OK) return s;
  if (!lua_isboolean(p->L, -1))
    return bad_result(p, PF_ADMIT, err, "a boolean");
  *yes = lua_toboolean(p->L, -1);
  lua_pop(p->L, 1);
  return KV_OK;
}

static kv_status lp_prefetch(void *ud, const kv_policy_view *v,
                             uint32_t *distance, kv_error *err) {
  lua_pol *p = ud;
  kv_status s = call(p, PF_PREFETCH, v, err);
  if (s != KV_OK) return s;
  uint64_t d;
  s = int_result(p, PF_PREFETCH, 0, 1u << 20, &d, err,
                 "a number of waiting requests (integer 0..2^20)");
  if (s == KV_OK) *distance = (uint32_t)d;
  return s;
}

static kv_status lp_compact(void *ud, const kv_policy_view *v,
                            uint64_t *max_blocks, kv_error *err) {
  lua_pol *p = ud;
  kv_status s = call(p, PF_COMPACT, v, err);
  if (s != KV_OK) return s;
  return int_result(p, PF_COMPACT, 0, (uint64_t)1 << 40, max_blocks, err,
                    "a number of blocks to move (integer >= 0)");
}

/* ---- run options ---- */

void kv_lua_policy_parse(lua_State *L, int t, int anchor, const kv_lua_where *w,
                         kv_engine_cfg *cfg) {
  t = lua_absindex(L, t);
  anchor = lua_absindex(L, anchor);
  cfg->tier = kv_lua_opt_bool(L, t, w, "tier", "tier", false);
  cfg->prefix_sharing =
      kv_lua_opt_bool(L, t, w, "prefix_sharing", "prefix_sharing", false);
  cfg->prefix_generated =
      kv_lua_opt_bool(L, t, w, "prefix_generated", "prefix_generated", true);
  if (cfg->tier && cfg->scfg.host_bytes == 0)
    kv_lua_field_error(L, w, "tier", "needs a host tier (host_bytes > 0)");
  int ty = lua_getfield(L, t, "policy");
  if (ty == LUA_TNIL) {
    lua_pop(L, 1);
    return;
  }
  if (ty != LUA_TTABLE)
    kv_lua_field_error(L, w, "policy", "expected a table of functions, got %s",
                       luaL_typename(L, -1));
  if (!cfg->tier)
    kv_lua_field_error(L, w, "policy",
                       "a policy needs tier = true (it decides evictions, "
                       "admission, prefetch and compaction)");
  int pt = lua_gettop(L);
  kv_lua_check_keys(L, pt, w, "the policy table", pf_names, false);
  lua_pol *p = lua_newuserdatauv(L, sizeof *p, 0);
  memset(p, 0, sizeof *p);
  p->L = L;
  p->pol.name = "lua";
  p->pol.ud = p;
  for (int f = 0; f < PF__N; f++) {
    p->ref[f] = LUA_NOREF;
    int fty = lua_getfield(L, pt, pf_names[f]);
    if (fty == LUA_TNIL) {
      lua_pop(L, 1);
      continue;
    }
    if (fty != LUA_TFUNCTION) {
      char field[32];
      snprintf(field, sizeof field, "policy.%s", pf_names[f]);
      kv_lua_field_error(L, w, field, "expected a function, got %s",
                         luaL_typename(L, -1));
    }
    lua_Debug ar;
    lua_pushvalue(L, -1);
    lua_getinfo(L, ">S", &ar);
    snprintf(p->where[f], sizeof p->where[f], "%s:%d", ar.short_src,
             ar.linedefined);
    p->ref[f] = luaL_ref(L, LUA_REGISTRYINDEX);
  }
  p->pol.evict = p->ref[PF_EVICT] != LUA_NOREF ? lp_evict : NULL;
  p->pol.admit = p->ref[PF_ADMIT] != LUA_NOREF ? lp_admit : NULL;
  p->pol.prefetch = p->ref[PF_PREFETCH] != LUA_NOREF ? lp_prefetch : NULL;
  p->pol.compact = p->ref[PF_COMPACT] != LUA_NOREF ? lp_compact : NULL;
  /* the missing ones take the C defaults */
  if (!p->pol.evict) p->pol.evict = kv_policy_default.evict;
  if (!p->pol.admit) p->pol.admit = kv_policy_default.admit;
  if (!p->pol.prefetch) p->pol.prefetch = kv_policy_default.prefetch;
  if (!p->pol.compact) p->pol.compact = kv_policy_default.compact;
  cfg->policy = &p->pol;
  /* keep the userdata alive as long as the run table's anchor */
  lua_rawseti(L, anchor, (lua_Integer)lua_rawlen(L, anchor) + 1);
  lua_pop(L, 1); /* policy table */
}

void kv_lua_policy_push_result(lua_State *L, const kv_result *r) {
  lua_createtable(L, 0, 16);
  kv_lua_set_metrics(L, kv_tier_info, kv_tier_info_n, &r->tier);
}
