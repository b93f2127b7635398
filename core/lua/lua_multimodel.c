/* lua_multimodel.c - kv.run with several models on one GPU
 * (core/engine/multimodel.h):
 *
 *   kv.run{ platform = "h100-sxm-80gb", memory = "elastic",
 *           models = { { model = "llama-3-8b", workload = w1 },
 *                      { model = "qwen2.5-7b", workload = w2,
 *                        strategy = "vmm", max_num_seqs = 128 } },
 *           policy = { victim = function(view) return view.requester end } }
 *
 * Each entry of `models` is a run table as kv.run reads it (its platform
 * comes from the outer table; strategy defaults to paged, or indirect with
 * memory = "indirect"; elastic also takes vmm). The result holds each model's
 * result as kv.run gives it, with its share, peak, and memory held while idle,
 * and the memory samples. policy.victim (optional) gets a read-only view and
 * returns the 1-based index of the model to preempt (the requester: its
 * own newest request); without it, kv_mm_default_victim decides.
 * backend = "simgrid" (with its options, copy_order, ..., in the outer
 * table) time-slices the GPU on one SimGrid backend; it runs in a forked
 * child (one simulation per process) whose results come back over a pipe.
 * Main entry point: kv_lua_run_models().
 */
#include "lua_internal.h"

#include "engine.h"
#include "multimodel.h"
#include "strategy.h"
#include "sweep.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *const outer_keys[] = {
    "models",     "memory",          "platform", "gpu_mem_util",
    "page_bytes", "sample_interval", "check",    "policy",
    "label",      "backend",         NULL};

/* ---- the Lua victim policy ---- */

typedef struct lua_victim {
  kv_mm_policy pol;
  lua_State *L;
  int ref;
  char where[160]; /* "file.lua:12" */
} lua_victim;

static void push_view(lua_State *L, const kv_mm_view *v) {
  lua_createtable(L, 0, 4);
  lua_pushinteger(L, (lua_Integer)v->requester + 1);
  lua_setfield(L, -2, "requester");
  lua_pushnumber(L, v->now);
  lua_setfield(L, -2, "now");
  lua_pushinteger(L, (lua_Integer)v->pool_free);
  lua_setfield(L, -2, "pool_free");
  lua_createtable(L, (int)v->n, 0);
  for (size_t m = 0; m < v->n; m++) {
    lua_createtable(L, 0, 3);
    lua_pushinteger(L, (lua_Integer)v->models[m].held);
    lua_setfield(L, -2, "held");
    lua_pushinteger(L, (lua_Integer)v->models[m].share);
    lua_setfield(L, -2, "share");
    lua_pushinteger(L, (lua_Integer)v->models[m].running);
    lua_setfield(L, -2, "running");
    lua_rawseti(L, -2, (lua_Integer)m + 1);
  }
  lua_setfield(L, -2, "models");
}

static kv_status lua_victim_fn(void *ud, const kv_mm_view *v, uint32_t *victim,
                               kv_error *err) {
  lua_victim *p = ud;
  lua_State *L = p->L;
  lua_rawgeti(L, LUA_REGISTRYINDEX, p->ref);
  push_view(L, v);
  if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
    kv_status s = kv_error_set(err, KV_EINVAL, "policy.victim (%s): %s",
                               p->where, lua_tostring(L, -1));
    lua_pop(L, 1);
    return s;
  }
  int ok;
  lua_Integer k = lua_tointegerx(L, -1, &ok);
  lua_pop(L, 1);
  if (!ok || k < 1 || (size_t)k > v->n)
    return kv_error_set(err, KV_EINVAL,
                        "policy.victim (%s) must return a model index in "
                        "1..%zu",
                        p->where, v->n);
  *victim = (uint32_t)(k - 1);
  return KV_OK;
}

static int victim_gc(lua_State *L) {
  lua_victim *p = lua_touserdata(L, 1);
  if (p->ref != LUA_NOREF) luaL_unref(L, LUA_REGISTRYINDEX, p->ref);
  p->ref = LUA_NOREF;
  return 0;
}

/* policy = { victim = function(view) ... end }, anchored; NULL if absent. */
static const kv_mm_policy *read_policy(lua_State *L, int anchor,
                                       const kv_lua_where *w) {
  if (lua_getfield(L, 1, "policy") == LUA_TNIL) {
    lua_pop(L, 1);
    return NULL;
  }
  static const char *const keys[] = {"victim", NULL};
  if (!lua_istable(L, -1))
    kv_lua_field_error(L, w, "policy", "expected a table, got %s",
                       luaL_typename(L, -1));
  kv_lua_check_keys(L, lua_gettop(L), w, "policy", keys, false);
  if (lua_getfield(L, -1, "victim") != LUA_TFUNCTION)
    kv_lua_field_error(L, w, "policy.victim", "expected a function, got %s",
                       luaL_typename(L, -1));
  lua_victim *p = lua_newuserdatauv(L, sizeof *p, 0);
  memset(p, 0, sizeof *p);
  p->ref = LUA_NOREF;
  lua_createtable(L, 0, 1);
  lua_pushcfunction(L, victim_gc);
  lua_setfield(L, -2, "__gc");
  lua_setmetatable(L, -2);
  lua_rawseti(L, anchor, luaL_len(L, anchor) + 1);
  lua_Debug ar;
  lua_pushvalue(L, -1);
  lua_getinfo(L, ">S", &ar);
  snprintf(p->where, sizeof p->where, "%s:%d", ar.short_src, ar.linedefined);
  p->ref = luaL_ref(L, LUA_REGISTRYINDEX); /* pops the function */
  p->L = L;
  p->pol = (kv_mm_policy){.name = "lua", .ud = p, .victim = lua_victim_fn};
  lua_pop(L, 1); /* policy table */
  return &p->pol;
}

/* ---- reading ---- */

/* A copy of models[i] without `share`, with the outer platform (and
 * check), the ideal backend and, when absent, the memory mode's strategy;
 * on top of the stack. The caller's table is left as it was. */
static void entry_copy(lua_State *L, int entry, const kv_lua_where *w,
                       kv_mm_memory mem) {
  if (lua_getfield(L, entry, "platform") != LUA_TNIL)
    kv_lua_field_error(L, w, "platform",
                       "give the platform once, in the outer table (the "
                       "models share one GPU)");
  lua_pop(L, 1);
  if (lua_getfield(L, entry, "backend") != LUA_TNIL &&
      !(lua_type(L, -1) == LUA_TSTRING &&
        strcmp(lua_tostring(L, -1), "ideal") == 0))
    kv_lua_field_error(L, w, "backend",
                       "give the backend once, in the outer table (the "
                       "models share one GPU)");
  lua_pop(L, 1);
  const kv_lua_ctx *ctx = kv_lua_ctx_get(L); /* and its options */
  for (size_t b = 0; b < ctx->n_backends; b++) {
    const kv_backend_desc *d = ctx->backends[b].desc;
    for (size_t i = 0; d && d->keys && d->keys[i]; i++) {
      if (lua_getfield(L, entry, d->keys[i]) != LUA_TNIL)
        kv_lua_field_error(L, w, d->keys[i],
                           "a backend option: give it once, in the outer "
                           "table (the models share one GPU)");
      lua_pop(L, 1);
    }
  }
  lua_newtable(L);
  int c = lua_gettop(L);
  lua_pushnil(L);
  while (lua_next(L, entry)) { /* every key but share (not a run key) */
    if (lua_type(L, -2) == LUA_TSTRING &&
        strcmp(lua_tostring(L, -2), "share") == 0) {
      lua_pop(L, 1);
      continue;
    }
    lua_pushvalue(L, -2);
    lua_insert(L, -2);
    lua_settable(L, c);
  }
  lua_getfield(L, 1, "platform");
  lua_setfield(L, c, "platform");
  if (lua_getfield(L, c, "check") == LUA_TNIL) {
    lua_getfield(L, 1, "check");
    lua_setfield(L, c, "check");
  }
  lua_pop(L, 1);
  /* each model's configuration is read as an ideal run; the outer
     table's backend runs the GPU (multimodel.h) */
  lua_pushstring(L, "ideal");
  lua_setfield(L, c, "backend");
  if (lua_getfield(L, c, "strategy") == LUA_TNIL) {
    lua_pushstring(L, mem == KV_MM_INDIRECT ? "indirect" : "paged");
    lua_setfield(L, c, "strategy");
  }
  lua_pop(L, 1);
}

/* models[i] into spec->models[i]; shares from `share`. */
static void read_models(lua_State *L, int anchor, kv_mm_spec *sp,
                        kv_mm_model *mods, const kv_engine_cfg **given) {
  for (size_t i = 0; i < sp->n; i++) {
    lua_rawgeti(L, -1, (lua_Integer)i + 1);
    int entry = lua_gettop(L);
    lua_pushfstring(L, "models[%d]: ", (int)i + 1);
    kv_lua_where w = {1, lua_tostring(L, -1)};
    if (!lua_istable(L, entry))
      kv_lua_field_error(L, &w, NULL, "expected a run table, got %s",
                         luaL_typename(L, entry));
    double share = kv_lua_opt_num(L, entry, &w, "share", "share", 0, 0, true);
    entry_copy(L, entry, &w, sp->memory);
    given[i] = kv_lua_read_engine(L, -1, anchor, &w);
    mods[i].engine = *given[i];
    mods[i].share = share;
    lua_pop(L, 3); /* copy, prefix, entry */
  }
}

/* ---- results ---- */

static void push_samples(lua_State *L, const kv_mm_result *r) {
  lua_createtable(L, 0, 2);
  lua_createtable(L, (int)r->n_samples, 0);
  for (size_t k = 0; k < r->n_samples; k++) {
    lua_pushnumber(L, r->t[k]);
    lua_rawseti(L, -2, (lua_Integer)k + 1);
  }
  lua_setfield(L, -2, "t");
  lua_createtable(L, (int)r->n, 0);
  for (size_t m = 0; m < r->n; m++) {
    lua_createtable(L, (int)r->n_samples, 0);
    for (size_t k = 0; k < r->n_samples; k++) {
      kv_lua_push_count(L, r->held[k * r->n + m]);
      lua_rawseti(L, -2, (lua_Integer)k + 1);
    }
    lua_rawseti(L, -2, (lua_Integer)m + 1);
  }
  lua_setfield(L, -2, "held");
}

static void push_mm_result(lua_State *L, const kv_mm_spec *sp,
                           const kv_engine_cfg **given, const kv_mm_result *r) {
  lua_createtable(L, 0, 12);
  lua_pushstring(L, kv_mm_memory_names[sp->memory]);
  lua_setfield(L, -2, "memory");
  lua_pushstring(L, sp->platform->name);
  lua_setfield(L, -2, "platform");
  kv_lua_push_count(L, (double)r->kv_bytes);
  lua_setfield(L, -2, "kv_bytes");
  kv_lua_push_count(L, (double)r->pool_bytes);
  lua_setfield(L, -2, "pool_bytes");
  kv_lua_push_count(L, r->cross_preemptions);
  lua_setfield(L, -2, "cross_preemptions");
  lua_pushnumber(L, r->span);
  lua_setfield(L, -2, "span");
  bool ideal = !sp->backend || sp->backend == &kv_backend_ideal_desc;
  if (!ideal) {
    lua_pushstring(L, sp->backend->name);
    lua_setfield(L, -2, "backend");
  }
  lua_createtable(L, (int)r->n, 0);
  for (size_t m = 0; m < r->n; m++) {
    kv_engine_cfg ran = *given[m];
    ran.kv_capacity = r->pool_bytes ? r->pool_bytes : r->share[m];
    if (!given[m]->strategy)
      ran.strategy = sp->memory == KV_MM_INDIRECT ? &kv_strategy_indirect
                                                  : &kv_strategy_paged;
    kv_lua_push_engine_result(L, given[m], &ran, &r->models[m]);
    if (!ideal) { /* each model was read as an ideal run */
      lua_pushstring(L, sp->backend->name);
      lua_setfield(L, -2, "backend");
    }
    kv_lua_push_count(L, (double)r->share[m]);
    lua_setfield(L, -2, "share");
    kv_lua_push_count(L, r->peak[m]);
    lua_setfield(L, -2, "peak");
    lua_pushnumber(L, r->idle_held[m]);
    lua_setfield(L, -2, "idle_held");
    lua_pushnumber(L, r->idle_time[m]);
    lua_setfield(L, -2, "idle_time");
    lua_rawseti(L, -2, (lua_Integer)m + 1);
  }
  lua_setfield(L, -2, "models");
  push_samples(L, r);
  lua_setfield(L, -2, "memory_timeline");
}

/* ---- SimGrid: the run in a forked child ---- */

static int put(int fd, const void *p, size_t n) {
  const char *c = p;
  while (n > 0) {
    ssize_t k = write(fd, c, n);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return -1;
    c += k;
    n -= (size_t)k;
  }
  return 0;
}

static int get(int fd, void *p, size_t n) {
  char *c = p;
  while (n > 0) {
    ssize_t k = read(fd, c, n);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return -1;
    c += k;
    n -= (size_t)k;
  }
  return 0;
}

/* What crosses the pipe before the arrays and the models' results. */
typedef struct mm_head {
  kv_status s;
  kv_error err;
  size_t n, n_samples;
  uint64_t kv_bytes, pool_bytes;
  double cross_preemptions, span;
} mm_head;

static void child_run(const kv_mm_spec *sp, int fd) {
  kv_mm_result r;
  mm_head h;
  memset(&h, 0, sizeof h);
  h.s = kv_mm_run(sp, &r, &h.err);
  if (h.s == KV_OK) {
    h.n = r.n;
    h.n_samples = r.n_samples;
    h.kv_bytes = r.kv_bytes;
    h.pool_bytes = r.pool_bytes;
    h.cross_preemptions = r.cross_preemptions;
    h.span = r.span;
  }
  int bad = put(fd, &h, sizeof h);
  if (h.s == KV_OK && !bad) {
    size_t n = r.n, ns = r.n_samples;
    bad = put(fd, r.share, n * sizeof *r.share) ||
          put(fd, r.peak, n * sizeof *r.peak) ||
          put(fd, r.idle_held, n * sizeof *r.idle_held) ||
          put(fd, r.idle_time, n * sizeof *r.idle_time) ||
          put(fd, r.t, ns * sizeof *r.t) ||
          put(fd, r.held, ns * n * sizeof *r.held);
    for (size_t m = 0; m < n && !bad; m++)
      bad = kv_result_write(fd, &r.models[m]) != 0;
    kv_mm_result_free(&r);
  }
  _exit(bad ? 1 : 0);
}

/* kv_mm_run in a forked child (SimGrid runs once per process). */
static kv_status run_forked(const kv_mm_spec *sp, kv_mm_result *r,
                            kv_error *err) {
  int fd[2];
  if (pipe(fd) != 0)
    return kv_error_set(err, KV_EIO, "pipe: %s", strerror(errno));
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) {
    close(fd[0]);
    close(fd[1]);
    return kv_error_set(err, KV_EIO, "fork: %s", strerror(errno));
  }
  if (pid == 0) {
    close(fd[0]);
    child_run(sp, fd[1]);
  }
  close(fd[1]);
  mm_head h;
  kv_status s = KV_OK;
  if (get(fd[0], &h, sizeof h) != 0) {
    s = kv_error_set(err, KV_EINTERNAL, "the simulation child died");
  } else if (h.s != KV_OK) {
    *err = h.err;
    s = h.s;
  } else {
    size_t n = h.n, ns = h.n_samples;
    r->n = n;
    r->n_samples = ns;
    r->kv_bytes = h.kv_bytes;
    r->pool_bytes = h.pool_bytes;
    r->cross_preemptions = h.cross_preemptions;
    r->span = h.span;
    r->models = kv_xcalloc(n, sizeof *r->models);
    r->share = kv_xcalloc(n, sizeof *r->share);
    r->peak = kv_xcalloc(n, sizeof *r->peak);
    r->idle_held = kv_xcalloc(n, sizeof *r->idle_held);
    r->idle_time = kv_xcalloc(n, sizeof *r->idle_time);
    r->t = kv_xcalloc(ns + 1, sizeof *r->t);
    r->held = kv_xcalloc(ns * n + 1, sizeof *r->held);
    int bad = get(fd[0], r->share, n * sizeof *r->share) ||
              get(fd[0], r->peak, n * sizeof *r->peak) ||
              get(fd[0], r->idle_held, n * sizeof *r->idle_held) ||
              get(fd[0], r->idle_time, n * sizeof *r->idle_time) ||
              get(fd[0], r->t, ns * sizeof *r->t) ||
              get(fd[0], r->held, ns * n * sizeof *r->held);
    for (size_t m = 0; m < n && !bad; m++)
      bad = kv_result_read(fd[0], &r->models[m], err) != 0;
    if (bad) s = kv_error_set(err, KV_EINTERNAL, "the simulation child died");
  }
  close(fd[0]);
  int st = 0;
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  if (s == KV_OK && !(WIFEXITED(st) && WEXITSTATUS(st) == 0))
    s = kv_error_set(err, KV_EINTERNAL,
                     "the simulation child ended badly (status %d)", st);
  if (s != KV_OK) kv_mm_result_free(r);
  return s;
}

/* outer_keys and the option keys of the host's backends (platform_xml
 * aside: it comes from kv.platform, and is refused here). */
static void check_outer_keys(lua_State *L, const kv_lua_where *w) {
  const kv_lua_ctx *ctx = kv_lua_ctx_get(L);
  const char *keys[64];
  size_t n = 0;
  for (; outer_keys[n]; n++)
    keys[n] = outer_keys[n];
  for (size_t b = 0; b < ctx->n_backends; b++) {
    const kv_backend_desc *d = ctx->backends[b].desc;
    for (size_t i = 0; d && d->keys && d->keys[i] && n + 1 < 64; i++) {
      bool seen = strcmp(d->keys[i], "platform_xml") == 0;
      for (size_t j = 0; j < n && !seen; j++)
        seen = strcmp(keys[j], d->keys[i]) == 0;
      if (!seen) keys[n++] = d->keys[i];
    }
  }
  keys[n] = NULL;
  kv_lua_check_keys(L, 1, w, "the multi-model run", keys, false);
}

/* The result lives in a userdata so that an error while pushing frees it. */
static int mm_box_gc(lua_State *L) {
  kv_mm_result_free(lua_touserdata(L, 1));
  return 0;
}

int kv_lua_run_models(lua_State *L) {
  lua_newtable(L); /* 2: anchor */
  int anchor = 2;
  kv_lua_where w = {1, ""};
  check_outer_keys(L, &w);
  kv_mm_spec sp;
  kv_mm_spec_defaults(&sp);
  const char *mem = kv_lua_opt_str(L, 1, &w, "memory", "memory", "static");
  sp.memory =
      (kv_mm_memory)kv_lua_pick(L, &w, "memory", mem, kv_mm_memory_names);
  sp.gpu_mem_util = kv_lua_opt_num(L, 1, &w, "gpu_mem_util", "gpu_mem_util",
                                   sp.gpu_mem_util, 0, true);
  if (sp.gpu_mem_util > 1)
    kv_lua_field_error(L, &w, "gpu_mem_util", "must be at most 1, got %g",
                       sp.gpu_mem_util);
  sp.page_bytes = kv_lua_opt_u64(L, 1, &w, "page_bytes", "page_bytes",
                                 sp.page_bytes, 1, UINT64_MAX >> 2);
  sp.sample_interval =
      kv_lua_opt_num(L, 1, &w, "sample_interval", "sample_interval",
                     sp.sample_interval, 0, true);
  sp.check_level = (int)kv_lua_opt_u64(L, 1, &w, "check", "check", 0, 0, 2);
  kv_lua_backend_read(L, 1, anchor, &w, "ideal", NULL, &sp.backend,
                      &sp.backend_opts);
  sp.policy = read_policy(L, anchor, &w);
  if (lua_getfield(L, 1, "models") != LUA_TTABLE)
    kv_lua_field_error(L, &w, "models", "expected a list of run tables, got %s",
                       luaL_typename(L, -1));
  sp.n = (size_t)luaL_len(L, -1);
  if (sp.n == 0)
    kv_lua_field_error(L, &w, "models",
                       "the list is empty (give 1 or more "
                       "run tables)");
  kv_mm_model *mods = lua_newuserdatauv(L, sp.n * sizeof *mods, 0);
  lua_rawseti(L, anchor, luaL_len(L, anchor) + 1);
  const kv_engine_cfg **given = lua_newuserdatauv(L, sp.n * sizeof *given, 0);
  lua_rawseti(L, anchor, luaL_len(L, anchor) + 1);
  memset(mods, 0, sp.n * sizeof *mods);
  read_models(L, anchor, &sp, mods, given);
  lua_pop(L, 1); /* models */
  sp.models = mods;
  sp.platform = given[0]->platform;
  kv_mm_result *r = lua_newuserdatauv(L, sizeof *r, 0);
  memset(r, 0, sizeof *r);
  lua_createtable(L, 0, 1);
  lua_pushcfunction(L, mm_box_gc);
  lua_setfield(L, -2, "__gc");
  lua_setmetatable(L, -2);
  kv_error err = {0};
  bool fork_it = sp.backend != &kv_backend_ideal_desc;
  if ((fork_it ? run_forked(&sp, r, &err) : kv_mm_run(&sp, r, &err)) != KV_OK)
    return luaL_error(L, "kv.run (models): %s", err.msg);
  push_mm_result(L, &sp, given, r);
  const char *label = kv_lua_opt_str(L, 1, &w, "label", "label", NULL);
  lua_pushstring(L, label ? label : kv_mm_memory_names[sp.memory]);
  lua_setfield(L, -2, "label");
  return 1;
}
