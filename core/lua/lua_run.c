/* lua_run.c - kv.run and kv.sweep: read run tables into kv_run_spec, run
 * them (in this process for the ideal backend, in forked children through
 * kv_sweep_run for SimGrid or when asked for several), and return each
 * result as a Lua table (summary, columnar timeline, optional requests).
 * kv.run raises when its run fails; kv.sweep returns the runs that finished
 * and lists the failed ones in results.failed (and tells the host).
 * Main entry points: kv_lua_run_engine() (kv.run of one engine),
 * kv_lua_open_run() (adds sweep to the module).
 */
#include "lua_internal.h"

#include "collective.h"
#include "engine.h"
#include "lua_plan.h"
#include "lua_strategy.h"
#include "metrics.h"
#include "strategy.h"
#include "sweep.h"
#include "util.h"

#include <errno.h>
#include <stddef.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* One run being prepared. Lives in a Lua userdata (so an error while
 * reading tables frees it) and is copied into forked children. */
typedef struct run_item {
  kv_run_spec spec;
  size_t backend;           /* index in the host's backends (run hashes) */
  const char *backend_name; /* the host's string */
  char label[64];
  char platform_xml[1024]; /* kv.platform{ xml = }, "" = none */
  bool want_requests;
  kv_requests_opts ropts; /* keep_requests, requests_file (engine.h) */
  char requests_file[1024];
  kv_lua_progress_fn progress;
  void *progress_ud;
  size_t replicas; /* engine replicas in one simulation (1) */
  kv_dispatch dispatch;
  size_t shards;     /* processes the replicas are split into (1); not hashed:
                        the results are those of one process */
  size_t shard_jobs; /* shard processes at once (0 = all) */
  double wall;       /* wall-clock seconds of the run (with a host clock) */
} run_item;

static const char *const preempt_names[] = {"recompute", "swap", NULL};
static const char *const dispatch_names[] = {"round_robin", "least_tokens",
                                             "replicate", NULL};
/* in the order of kv_long_prompt */
static const char *const long_prompt_names[] = {"reject", "truncate", NULL};
/* per-request rejected, by kv_reject_reason (0 = served) */
static const char *const reject_names[] = {NULL, "too_long", "no_fit"};

static const char *const run_keys[] = {"model",
                                       "platform",
                                       "workload",
                                       "strategy",
                                       "backend",
                                       "seed",
                                       "max_num_seqs",
                                       "max_batch_tokens",
                                       "gpu_mem_util",
                                       "kv_capacity",
                                       "preempt",
                                       "host_bytes",
                                       "tp",
                                       "timeline_interval",
                                       "check",
                                       "label",
                                       "requests",
                                       "replicas",
                                       "dispatch",
                                       "tier",
                                       "prefix_sharing",
                                       "prefix_generated",
                                       "policy",
                                       "max_context",
                                       "long_prompts",
                                       "watermark",
                                       "overheads",
                                       "keep_requests",
                                       "requests_file",
                                       "shards",
                                       "shard_jobs",
                                       NULL};

/* overheads = { step =, per_seq =, per_token =, per_prefill_token =,
 * admit =, finish =, request =, per_worker =, overlap = } (seconds;
 * kv_overheads in engine.h) */
static const char *const overhead_keys[] = {
    "step",   "per_seq", "per_token",  "per_prefill_token", "admit",
    "finish", "request", "per_worker", "overlap",           NULL};

static void read_overheads(lua_State *L, int t, const kv_lua_where *w,
                           kv_overheads *o) {
  int ty = lua_getfield(L, t, "overheads");
  if (ty == LUA_TNIL) {
    lua_pop(L, 1);
    return;
  }
  if (ty != LUA_TTABLE)
    kv_lua_field_error(L, w, "overheads", "expected a table, got %s",
                       luaL_typename(L, -1));
  int s = lua_gettop(L);
  kv_lua_check_keys(L, s, w, "the overheads table", overhead_keys, false);
  o->step = kv_lua_opt_num(L, s, w, "step", "overheads.step", 0, 0, false);
  o->per_seq =
      kv_lua_opt_num(L, s, w, "per_seq", "overheads.per_seq", 0, 0, false);
  o->per_token =
      kv_lua_opt_num(L, s, w, "per_token", "overheads.per_token", 0, 0, false);
  o->per_prefill_token = kv_lua_opt_num(
      L, s, w, "per_prefill_token", "overheads.per_prefill_token", 0, 0, false);
  o->admit = kv_lua_opt_num(L, s, w, "admit", "overheads.admit", 0, 0, false);
  o->finish =
      kv_lua_opt_num(L, s, w, "finish", "overheads.finish", 0, 0, false);
  o->request =
      kv_lua_opt_num(L, s, w, "request", "overheads.request", 0, 0, false);
  o->per_worker = kv_lua_opt_num(L, s, w, "per_worker", "overheads.per_worker",
                                 0, 0, false);
  o->overlap = kv_lua_opt_bool(L, s, w, "overlap", "overheads.overlap", false);
  lua_pop(L, 1);
}

static void engine_progress(void *ud, double sim_t, size_t done, size_t total) {
  const run_item *it = ud;
  if (it->progress)
    it->progress(it->progress_ud, it->label, sim_t, done, total);
}

/* Push the names in `names` joined by ", " (for "valid:" lists). */
static const char *push_joined(lua_State *L, const char *const *names) {
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for (size_t i = 0; names[i]; i++) {
    if (i) luaL_addstring(&b, ", ");
    luaL_addstring(&b, names[i]);
  }
  luaL_pushresult(&b);
  return lua_tostring(L, -1);
}

/* Read the strategy table at s into cfg, option by option as the strategy
 * describes them (kv_strategy_opt): integers in [min, max], booleans, and
 * enums by name. Errors name the field ("strategy.block_tokens"). */
static void read_strategy_options(lua_State *L, int s, const kv_lua_where *w,
                                  const kv_strategy_vt *vt,
                                  kv_strategy_cfg *c) {
  const kv_strategy_opt *o;
  size_t n = 0;
  for (o = vt->options; o && o->name; o++)
    n++;
  const char **keys = lua_newuserdatauv(L, (n + 1) * sizeof *keys, 0);
  for (size_t i = 0; i < n; i++)
    keys[i] = vt->options[i].name;
  keys[n] = NULL;
  lua_pushfstring(L, "%sstrategy '%s': ", w->prefix, vt->name);
  kv_lua_where sw = {w->arg, lua_tostring(L, -1)};
  kv_lua_check_keys(L, s, &sw, "the strategy table", keys, true);
  for (o = vt->options; o && o->name; o++) {
    const char *field = lua_pushfstring(L, "strategy.%s", o->name);
    uint64_t v = kv_strategy_opt_get(c, o);
    if (o->type == KV_OPT_BOOL) {
      v = kv_lua_opt_bool(L, s, w, o->name, field, v != 0);
    } else if (o->type == KV_OPT_ENUM) {
      const char *name = kv_lua_opt_str(L, s, w, o->name, field, NULL);
      if (name) v = (uint64_t)kv_lua_pick(L, w, field, name, o->choices);
    } else {
      v = kv_lua_opt_u64(L, s, w, o->name, field, v, o->min, o->max);
    }
    kv_strategy_opt_set(c, o, v);
    lua_pop(L, 1); /* field */
  }
  lua_pop(L, 2); /* prefix, keys */
}

/* strategy = "<name>" | { "<name>", <option> = <value>, ... } */
static void read_strategy(lua_State *L, int t, const kv_lua_where *w,
                          run_item *it) {
  kv_engine_cfg *cfg = &it->spec.engine;
  kv_error e = {0};
  int ty = lua_getfield(L, t, "strategy");
  int s = lua_gettop(L);
  const char *name;
  if (ty == LUA_TUSERDATA && /* a kv.strategy written in Lua */
      (cfg->strategy = kv_lua_strategy_check(L, s, &cfg->scfg))) {
    lua_pop(L, 1);
    return;
  }
  if (ty == LUA_TSTRING) {
    name = lua_tostring(L, s);
  } else if (ty == LUA_TTABLE) {
    int first = lua_rawgeti(L, s, 1);
    if (first == LUA_TUSERDATA && /* { kv.strategy, option = value, ... } */
        (cfg->strategy = kv_lua_strategy_check(L, -1, &cfg->scfg))) {
      lua_pop(L, 1); /* the table keeps it alive */
      read_strategy_options(L, s, w, cfg->strategy, &cfg->scfg);
      lua_pop(L, 1); /* strategy */
      return;
    }
    if (first != LUA_TSTRING)
      kv_lua_field_error(L, w, "strategy",
                         "the first entry must be the strategy name or a "
                         "kv.strategy");
    name = lua_tostring(L, -1);
    lua_pop(L, 1); /* the table keeps it alive */
  } else if (ty == LUA_TNIL) {
    kv_lua_field_error(L, w, "strategy", "missing (valid: %s)",
                       push_joined(L, kv_strategy_names()));
    return;
  } else {
    kv_lua_field_error(L, w, "strategy", "expected a string or a table, got %s",
                       luaL_typename(L, s));
    return;
  }
  cfg->strategy = kv_strategy_find(name, &e);
  if (!cfg->strategy) kv_lua_field_error(L, w, "strategy", "%s", e.msg);
  if (ty == LUA_TTABLE)
    read_strategy_options(L, s, w, cfg->strategy, &cfg->scfg);
  lua_pop(L, 1); /* strategy */
}

/* model = kvsim.model or a preset name; same for platform. New userdata
 * are appended to the anchor table so they live as long as the call. */
static const kv_model *read_model(lua_State *L, int t, int anchor,
                                  const kv_lua_where *w) {
  kv_error e = {0};
  int ty = lua_getfield(L, t, "model");
  const kv_model *m = NULL;
  if (ty == LUA_TSTRING) {
    kv_model *u = lua_newuserdatauv(L, sizeof *u, 0);
    if (kv_model_preset(lua_tostring(L, -2), u, &e) != KV_OK)
      kv_lua_field_error(L, w, "model", "%s", e.msg);
    luaL_setmetatable(L, KV_LUA_MODEL);
    lua_rawseti(L, anchor, luaL_len(L, anchor) + 1);
    m = u;
  } else if (ty == LUA_TNIL) {
    kv_lua_field_error(L, w, "model", "missing (a kv.model or a preset name)");
  } else {
    m = luaL_testudata(L, -1, KV_LUA_MODEL);
    if (!m)
      kv_lua_field_error(L, w, "model",
                         "expected a kv.model or a preset name, got %s",
                         luaL_typename(L, -1));
  }
  lua_pop(L, 1);
  return m;
}

static const kv_lua_platform *read_platform(lua_State *L, int t, int anchor,
                                            const kv_lua_where *w) {
  kv_error e = {0};
  int ty = lua_getfield(L, t, "platform");
  const kv_lua_platform *p = NULL;
  if (ty == LUA_TSTRING) {
    kv_lua_platform *u = lua_newuserdatauv(L, sizeof *u, 0);
    memset(u, 0, sizeof *u);
    if (kv_platform_preset(lua_tostring(L, -2), &u->p, &e) != KV_OK)
      kv_lua_field_error(L, w, "platform", "%s", e.msg);
    snprintf(u->source, sizeof u->source, "%s", u->p.source ? u->p.source : "");
    u->p.source = u->source;
    luaL_setmetatable(L, KV_LUA_PLATFORM);
    lua_rawseti(L, anchor, luaL_len(L, anchor) + 1);
    p = u;
  } else if (ty == LUA_TNIL) {
    kv_lua_field_error(L, w, "platform",
                       "missing (a kv.platform or a preset name)");
  } else {
    p = luaL_testudata(L, -1, KV_LUA_PLATFORM);
    if (!p)
      kv_lua_field_error(L, w, "platform",
                         "expected a kv.platform or a preset name, got %s",
                         luaL_typename(L, -1));
  }
  lua_pop(L, 1);
  return p;
}

/* Read the run table at t into it. */
static void read_run(lua_State *L, int t, int anchor, const kv_lua_where *w,
                     kv_lua_ctx *ctx, run_item *it) {
  if (!lua_istable(L, t))
    kv_lua_field_error(L, w, NULL, "expected a run table, got %s",
                       luaL_typename(L, t));
  kv_lua_check_run_keys(L, t, w, run_keys);
  memset(it, 0, sizeof *it);
  kv_engine_cfg *cfg = &it->spec.engine;
  kv_engine_cfg_defaults(cfg);
  kv_strategy_cfg_defaults(&cfg->scfg);

  cfg->model = read_model(L, t, anchor, w);
  const kv_lua_platform *lp = read_platform(L, t, anchor, w);
  cfg->platform = &lp->p;
  snprintf(it->platform_xml, sizeof it->platform_xml, "%s", lp->xml);
  lua_getfield(L, t, "workload");
  const kv_workload *wl = luaL_testudata(L, -1, KV_LUA_WORKLOAD);
  if (!wl)
    kv_lua_field_error(L, w, "workload", "expected a kv.workload, got %s",
                       luaL_typename(L, -1));
  lua_pop(L, 1);
  cfg->workload = wl;
  read_strategy(L, t, w, it);

  it->backend = kv_lua_backend_read(
      L, t, anchor, w, NULL, it->platform_xml[0] ? it->platform_xml : NULL,
      &it->spec.backend, &it->spec.backend_opts);
  it->backend_name = ctx->backends[it->backend].name;

  /* the run's max context: in the run table or the strategy table */
  uint32_t mc = (uint32_t)kv_lua_opt_u64(L, t, w, "max_context", "max_context",
                                         0, 1, UINT32_MAX);
  if (mc && cfg->scfg.max_context && mc != cfg->scfg.max_context)
    kv_lua_field_error(L, w, "max_context",
                       "%u here but %u in the strategy table: give it once",
                       (unsigned)mc, (unsigned)cfg->scfg.max_context);
  if (mc) cfg->scfg.max_context = mc;
  const char *lpr =
      kv_lua_opt_str(L, t, w, "long_prompts", "long_prompts", NULL);
  if (lpr)
    cfg->long_prompt = (kv_long_prompt)kv_lua_pick(L, w, "long_prompts", lpr,
                                                   long_prompt_names);

  cfg->seed = kv_lua_opt_u64(L, t, w, "seed", "seed", 1, 0, UINT64_MAX >> 1);
  cfg->max_num_seqs = (uint32_t)kv_lua_opt_u64(
      L, t, w, "max_num_seqs", "max_num_seqs", cfg->max_num_seqs, 1, 1u << 20);
  cfg->max_batch_tokens =
      (uint32_t)kv_lua_opt_u64(L, t, w, "max_batch_tokens", "max_batch_tokens",
                               cfg->max_batch_tokens, 1, UINT32_MAX);
  cfg->gpu_mem_util = kv_lua_opt_num(L, t, w, "gpu_mem_util", "gpu_mem_util",
                                     cfg->gpu_mem_util, 0, true);
  if (cfg->gpu_mem_util > 1)
    kv_lua_field_error(L, w, "gpu_mem_util", "must be at most 1, got %g",
                       cfg->gpu_mem_util);
  cfg->watermark = kv_lua_opt_num(L, t, w, "watermark", "watermark",
                                  cfg->watermark, 0, false);
  if (cfg->watermark >= 1)
    kv_lua_field_error(L, w, "watermark",
                       "must be below 1 (a fraction of the KV memory kept "
                       "free at admission), got %g",
                       cfg->watermark);
  read_overheads(L, t, w, &cfg->overheads);
  cfg->kv_capacity = kv_lua_opt_u64(L, t, w, "kv_capacity", "kv_capacity", 0, 1,
                                    UINT64_MAX >> 2);
  const char *pre = kv_lua_opt_str(L, t, w, "preempt", "preempt", NULL);
  if (pre)
    cfg->preempt =
        (kv_preempt_mode)kv_lua_pick(L, w, "preempt", pre, preempt_names);
  cfg->scfg.host_bytes = kv_lua_opt_u64(L, t, w, "host_bytes", "host_bytes", 0,
                                        0, UINT64_MAX >> 2);
  if (cfg->preempt == KV_PREEMPT_SWAP && cfg->scfg.host_bytes == 0)
    kv_lua_field_error(L, w, "host_bytes",
                       "preempt = \"swap\" needs a host tier (host_bytes > 0)");
  kv_lua_policy_parse(L, t, anchor, w, cfg);
  cfg->tp = (uint32_t)kv_lua_opt_u64(L, t, w, "tp", "tp", 1, 1, 64);
  cfg->scfg.tp = cfg->tp;
  cfg->timeline_interval =
      kv_lua_opt_num(L, t, w, "timeline_interval", "timeline_interval",
                     cfg->timeline_interval, 0, false);
  cfg->check_level = (int)kv_lua_opt_u64(L, t, w, "check", "check", 0, 0, 2);
  it->want_requests = kv_lua_opt_bool(L, t, w, "requests", "requests", false);
  /* per-request results not held / streamed to a CSV (engine.h); absent:
   * the default, no options at all */
  {
    int has_keep = lua_getfield(L, t, "keep_requests") != LUA_TNIL;
    int has_file = lua_getfield(L, t, "requests_file") != LUA_TNIL;
    lua_pop(L, 2);
    if (has_keep || has_file) {
      memset(&it->ropts, 0, sizeof it->ropts);
      it->ropts.keep_requests =
          kv_lua_opt_bool(L, t, w, "keep_requests", "keep_requests", true);
      const char *rf =
          kv_lua_opt_str(L, t, w, "requests_file", "requests_file", NULL);
      if (rf) {
        if (strlen(rf) >= sizeof it->requests_file)
          kv_lua_field_error(L, w, "requests_file", "path too long");
        snprintf(it->requests_file, sizeof it->requests_file, "%s", rf);
        it->ropts.requests_file = it->requests_file;
      }
      if (!it->ropts.keep_requests && it->want_requests)
        kv_lua_field_error(L, w, "keep_requests",
                           "false drops the per-request results that "
                           "requests = true asks for");
      cfg->requests_opts = &it->ropts;
    }
  }
  it->replicas =
      (size_t)kv_lua_opt_u64(L, t, w, "replicas", "replicas", 1, 1, 4096);
  const char *dis = kv_lua_opt_str(L, t, w, "dispatch", "dispatch", NULL);
  if (dis)
    it->dispatch =
        (kv_dispatch)kv_lua_pick(L, w, "dispatch", dis, dispatch_names);
  if (it->replicas > wl->n && it->dispatch != KV_DISPATCH_REPLICATE)
    kv_lua_field_error(L, w, "replicas",
                       "%d replicas but the workload has %d requests",
                       (int)it->replicas, (int)wl->n);
  it->shards = (size_t)kv_lua_opt_u64(L, t, w, "shards", "shards", 1, 1, 4096);
  it->shard_jobs =
      (size_t)kv_lua_opt_u64(L, t, w, "shard_jobs", "shard_jobs", 0, 0, 4096);
  if (it->shards > 1) {
    size_t *first = kv_xcalloc(it->shards + 1, sizeof *first);
    kv_error se;
    kv_status ss =
        it->replicas > 1
            ? kv_replica_shards(cfg->platform, cfg->tp, it->replicas,
                                it->shards, first, &se)
            : kv_error_set(&se, KV_EINVAL,
                           "shards = %d needs replicas > 1 (the shards are "
                           "groups of servers of one run's replicas)",
                           (int)it->shards);
    free(first);
    if (ss != KV_OK) kv_lua_field_error(L, w, "shards", "%s", se.msg);
  }
  {
    /* the engine's one tp check first, so every backend says the same */
    kv_error te;
    if (kv_engine_check_tp(cfg->model, cfg->platform, cfg->tp, &te) != KV_OK)
      kv_lua_field_error(L, w, "tp", "%s", te.msg);
    /* then what the backend says of the run's shape (GPUs, replicas) */
    const kv_backend_desc *d = it->spec.backend;
    const char *key = NULL;
    if (d->check &&
        d->check(kv_backend_opts_get(it->spec.backend_opts, d, NULL), cfg,
                 it->replicas, &key, &te) != KV_OK)
      kv_lua_field_error(L, w, key ? key : "backend", "%s", te.msg);
  }
  const char *label = kv_lua_opt_str(L, t, w, "label", "label", NULL);
  if (label)
    snprintf(it->label, sizeof it->label, "%s", label);
  else
    kv_strategy_label(it->spec.engine.strategy, &it->spec.engine.scfg,
                      it->label, sizeof it->label);

  cfg->interrupt = ctx->interrupt;
  it->progress = ctx->progress;
  it->progress_ud = ctx->progress_ud;
  if (ctx->progress) {
    cfg->progress = engine_progress;
    cfg->progress_ud = it;
    cfg->progress_every = ctx->progress_every;
  }
}

/* ---- results ---- */

/* Results of n runs; run i has nres[i] results (replicas + aggregate). */
typedef struct result_box {
  size_t n;
  kv_result **r;
  size_t *nres;
  kv_status *codes;
  kv_error *errs;
} result_box;

static void free_box(result_box *b) {
  for (size_t i = 0; i < b->n; i++) {
    for (size_t k = 0; b->r[i] && k < b->nres[i]; k++)
      kv_result_free(&b->r[i][k]);
    free(b->r[i]);
  }
  free(b->r);
  free(b->nres);
  free(b->codes);
  free(b->errs);
  memset(b, 0, sizeof *b);
}

static int box_gc(lua_State *L) {
  free_box(luaL_checkudata(L, 1, "kvsim.results"));
  return 0;
}

static result_box *new_box(lua_State *L, size_t n) {
  result_box *b = lua_newuserdatauv(L, sizeof *b, 0);
  memset(b, 0, sizeof *b);
  if (luaL_newmetatable(L, "kvsim.results")) {
    lua_pushcfunction(L, box_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  b->r = kv_xcalloc(n ? n : 1, sizeof *b->r);
  b->nres = kv_xcalloc(n ? n : 1, sizeof *b->nres);
  b->codes = kv_xcalloc(n ? n : 1, sizeof *b->codes);
  b->errs = kv_xcalloc(n ? n : 1, sizeof *b->errs);
  b->n = n;
  return b;
}

static void setnum(lua_State *L, const char *k, double v) {
  lua_pushnumber(L, v);
  lua_setfield(L, -2, k);
}

static void setint(lua_State *L, const char *k, lua_Integer v) {
  lua_pushinteger(L, v);
  lua_setfield(L, -2, k);
}

static void setstr(lua_State *L, const char *k, const char *v) {
  lua_pushstring(L, v);
  lua_setfield(L, -2, k);
}

/* A metric: an integer when its unit counts and its value is whole. */
static void setmetric(lua_State *L, const char *k, const char *unit, double v) {
  if (kv_lua_count_unit(unit))
    kv_lua_push_count(L, v);
  else
    lua_pushnumber(L, v);
  lua_setfield(L, -2, k);
}

/* "roofline", "table" or "mixed": how the steps' compute was priced. */
static const char *compute_model_name(const kv_summary *s) {
  if (s->compute_steps_table <= 0) return "roofline";
  return s->compute_steps_roofline > 0 ? "mixed" : "table";
}

/* compute_model, compute_steps_table, compute_steps_roofline into the
 * table on top of the stack. */
static void push_compute_model(lua_State *L, const kv_summary *s) {
  setstr(L, "compute_model", compute_model_name(s));
  setmetric(L, "compute_steps_table", "step", s->compute_steps_table);
  setmetric(L, "compute_steps_roofline", "step", s->compute_steps_roofline);
}

/* wall < 0: no clock, no wall_time. It is served by the summary's
 * metatable, so pairs() does not list it: a summary copied key by key into
 * a result file stays the same from run to run. So are compute_model and
 * its step counts when the roofline priced every step (results without a
 * compute table stay as they were); with a table they are plain fields. */
static void push_summary(lua_State *L, const kv_summary *s, double wall) {
  lua_createtable(L, 0, 64);
  kv_lua_set_metrics(L, kv_summary_info, kv_summary_info_n, s);
  lua_createtable(L, 0, KV_OP__COUNT);
  for (int k = 0; k < KV_OP__COUNT; k++)
    setmetric(L, kv_op_kind_name((kv_op_kind)k), "call", s->op_count[k]);
  lua_setfield(L, -2, "op_count");
  lua_createtable(L, 0, KV_OP__COUNT);
  for (int k = 0; k < KV_OP__COUNT; k++)
    setnum(L, kv_op_kind_name((kv_op_kind)k), s->op_time[k]);
  lua_setfield(L, -2, "op_time");
  int listed = s->compute_steps_table > 0;
  if (listed) push_compute_model(L, s);
  lua_createtable(L, 0, 1); /* metatable */
  lua_createtable(L, 0, 4);
  if (wall >= 0) setnum(L, "wall_time", wall);
  if (!listed) push_compute_model(L, s);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
}

/* Columnar: timeline.t[i], timeline.used[i], ... */
static void push_timeline(lua_State *L, const kv_timeline *tl) {
  lua_createtable(L, 0, 16);
#define X(name, unit, doc)                                                     \
  lua_createtable(L, (int)tl->n, 0);                                           \
  for (size_t i = 0, c = kv_lua_count_unit(unit); i < tl->n; i++) {            \
    if (c)                                                                     \
      kv_lua_push_count(L, tl->s[i].name);                                     \
    else                                                                       \
      lua_pushnumber(L, tl->s[i].name);                                        \
    lua_rawseti(L, -2, (lua_Integer)i + 1);                                    \
  }                                                                            \
  lua_setfield(L, -2, #name);
  KV_SAMPLE_METRICS(X)
#undef X
}

/* "too_long", "no_fit", or false when served (false, not nil, so every
 * column keeps the workload's length). */
static void push_reject(lua_State *L, uint8_t why) {
  if (why == KV_REJECT_NONE)
    lua_pushboolean(L, 0);
  else if (why < sizeof reject_names / sizeof *reject_names)
    lua_pushstring(L, reject_names[why]);
  else
    lua_pushfstring(L, "reason %d", (int)why);
}

static void push_requests(lua_State *L, const kv_result *r) {
  lua_createtable(L, 0, 9);
#define COL(field, push)                                                       \
  lua_createtable(L, (int)r->n_requests, 0);                                   \
  for (size_t i = 0; i < r->n_requests; i++) {                                 \
    push(L, r->requests[i].field);                                             \
    lua_rawseti(L, -2, (lua_Integer)i + 1);                                    \
  }                                                                            \
  lua_setfield(L, -2, #field);
  COL(arrival, lua_pushnumber)
  COL(first_token, lua_pushnumber)
  COL(finish, lua_pushnumber)
  COL(prompt, lua_pushinteger)
  COL(output, lua_pushinteger)
  COL(generated, lua_pushinteger)
  COL(preemptions, lua_pushinteger)
  COL(rejected, push_reject)
  COL(truncated, lua_pushinteger)
#undef COL
}

/* The options the run used, for result files. */
static void push_options(lua_State *L, const run_item *it) {
  const kv_engine_cfg *c = &it->spec.engine;
  const kv_strategy_cfg *s = &c->scfg;
  lua_createtable(L, 0, 16);
  setint(L, "max_context",
         s->max_context ? s->max_context : c->model->max_context);
  setstr(L, "long_prompts", long_prompt_names[c->long_prompt]);
  /* the strategy's own options, as it describes them */
  for (const kv_strategy_opt *o = c->strategy->options; o && o->name; o++) {
    if (!o->report) continue;
    kv_lua_push_strategy_opt(L, s, o);
    lua_setfield(L, -2, o->name);
  }
  setint(L, "max_num_seqs", c->max_num_seqs);
  setint(L, "max_batch_tokens", c->max_batch_tokens);
  setnum(L, "gpu_mem_util", c->gpu_mem_util);
  setnum(L, "watermark", c->watermark);
  const kv_overheads *o = &c->overheads;
  if (o->step || o->per_seq || o->per_token || o->per_prefill_token ||
      o->admit || o->finish || o->request || o->per_worker ||
      o->overlap) { /* only when set: results stay as before */
    lua_createtable(L, 0, 7);
    setnum(L, "step", o->step);
    setnum(L, "per_seq", o->per_seq);
    setnum(L, "per_token", o->per_token);
    if (o->per_prefill_token) /* only when set: older run hashes stay */
      setnum(L, "per_prefill_token", o->per_prefill_token);
    if (o->per_worker) /* likewise */
      setnum(L, "per_worker", o->per_worker);
    setnum(L, "admit", o->admit);
    setnum(L, "finish", o->finish);
    setnum(L, "request", o->request);
    lua_pushboolean(L, o->overlap);
    lua_setfield(L, -2, "overlap");
    lua_setfield(L, -2, "overheads");
  }
  if (c->kv_capacity) setint(L, "kv_capacity", (lua_Integer)c->kv_capacity);
  setstr(L, "preempt", preempt_names[c->preempt]);
  if (s->host_bytes) setint(L, "host_bytes", (lua_Integer)s->host_bytes);
  setint(L, "tp", c->tp);
  setint(L, "replicas", (lua_Integer)it->replicas);
  if (it->replicas > 1) setstr(L, "dispatch", dispatch_names[it->dispatch]);
}

/* summary.collective_model: which prices the run's all-reduces had
 * ("none" at tp 1, "model", "table": core/engine/collective.h). Served by the
 * summary's metatable, as compute_model is with the roofline, so result
 * files list nothing new. The summary is on top of the stack. */
static void push_collective_model(lua_State *L, const kv_engine_cfg *c) {
  if (!lua_getmetatable(L, -1)) return;
  lua_getfield(L, -1, "__index");
  setstr(L, "collective_model",
         kv_allreduce_source_name(kv_allreduce_source_of(c->platform, c->tp)));
  lua_pop(L, 2);
}

static void push_result(lua_State *L, const run_item *it, const kv_result *r,
                        const char *label, double wall) {
  lua_createtable(L, 0, 16);
  setstr(L, "label", label);
  setstr(L, "strategy", it->spec.engine.strategy->name);
  setint(L, "seed", (lua_Integer)it->spec.engine.seed);
  setstr(L, "backend", it->backend_name);
  setstr(L, "backend_config", r->backend);
  setstr(L, "model", it->spec.engine.model->name);
  setstr(L, "platform", it->spec.engine.platform->name);
  setstr(L, "workload", it->spec.engine.workload->source);
  push_options(L, it);
  lua_setfield(L, -2, "options");
  push_summary(L, &r->summary, wall);
  push_collective_model(L, &it->spec.engine);
  lua_setfield(L, -2, "summary");
  push_timeline(L, &r->timeline);
  lua_setfield(L, -2, "timeline");
  kv_lua_policy_push_result(L, r);
  lua_setfield(L, -2, "tier");
  if (it->want_requests) {
    push_requests(L, r);
    lua_setfield(L, -2, "requests");
  }
}

/* Push run i's result table: the aggregate, with each replica's own
 * result in .replicas, when it has several. */
static void push_item(lua_State *L, const run_item *it, kv_result *res) {
  if (it->replicas <= 1) {
    push_result(L, it, &res[0], it->label, it->wall);
    return;
  }
  push_result(L, it, &res[it->replicas], it->label, it->wall);
  setstr(L, "dispatch", dispatch_names[it->dispatch]);
  lua_createtable(L, (int)it->replicas, 0);
  for (size_t k = 0; k < it->replicas; k++) {
    char lab[96];
    snprintf(lab, sizeof lab, "%s/%zu", it->label, k);
    push_result(L, it, &res[k], lab, it->wall);
    setint(L, "replica", (lua_Integer)k);
    lua_rawseti(L, -2, (lua_Integer)k + 1);
  }
  lua_setfield(L, -2, "replicas");
}

static double host_now(const kv_lua_ctx *ctx) {
  return ctx->clock(ctx->clock_ud);
}

/* ---- plan modes: list, run piecewise, merge (lua_plan.h) ---- */

static int push_box(lua_State *L, run_item *items, size_t n, result_box *b,
                    int box, bool sweep);

#ifndef KVSIM_GIT_COMMIT
#define KVSIM_GIT_COMMIT ""
#endif

const char *kv_lua_plan_commit(void) {
  return KVSIM_GIT_COMMIT;
}

typedef struct plan_state {
  kv_lua_plan_opts o;
  char *dir, *script;
  size_t next; /* index of the next call's first run */
  kv_lua_plan_outcome out;
  bool dead; /* a merge failed: later calls raise too */
} plan_state;

static const char plan_key = 'p';

static int plan_gc(lua_State *L) {
  plan_state *ps = lua_touserdata(L, 1);
  free(ps->dir);
  free(ps->script);
  ps->dir = ps->script = NULL;
  return 0;
}

static plan_state *plan_get(lua_State *L) {
  lua_rawgetp(L, LUA_REGISTRYINDEX, &plan_key);
  plan_state *ps = lua_touserdata(L, -1);
  lua_pop(L, 1);
  return ps;
}

static bool plan_active(lua_State *L) {
  plan_state *ps = plan_get(L);
  return ps && ps->o.mode != KV_PLAN_OFF;
}

void kv_lua_set_plan(lua_State *L, const kv_lua_plan_opts *opts) {
  plan_state *ps = plan_get(L);
  if (!ps) {
    ps = lua_newuserdatauv(L, sizeof *ps, 0);
    memset(ps, 0, sizeof *ps);
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, plan_gc);
    lua_setfield(L, -2, "__gc");
    lua_setmetatable(L, -2);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &plan_key);
  }
  free(ps->dir);
  free(ps->script);
  memset(ps, 0, sizeof *ps);
  ps->o = *opts;
  ps->dir = kv_xstrdup(opts->dir ? opts->dir : ".");
  ps->script = kv_xstrdup(opts->script ? opts->script : "");
  ps->o.dir = ps->dir;
  ps->o.script = ps->script;
}

void kv_lua_get_plan_outcome(lua_State *L, kv_lua_plan_outcome *out) {
  plan_state *ps = plan_get(L);
  if (ps)
    *out = ps->out;
  else
    memset(out, 0, sizeof *out);
}

bool kv_lua_plan_stopped(lua_State *L) {
  plan_state *ps = plan_get(L);
  return ps && ps->out.stopped;
}

/* FNV-1a, 64 bits. */
static uint64_t fnv(uint64_t h, const void *p, size_t n) {
  const unsigned char *c = p;
  for (size_t i = 0; i < n; i++) {
    h ^= c[i];
    h *= 0x100000001b3ull;
  }
  return h;
}

static uint64_t fnv_str(uint64_t h, const char *s) {
  return s ? fnv(h, s, strlen(s) + 1) : fnv(h, "", 1);
}

/* The hash of a run's resolved configuration: every engine and strategy
 * setting (the structs with their pointers cleared, so a field added later
 * counts too), the model and platform as resolved (all their constants,
 * the platform's source and XML file), the workload's content (every
 * request and prefix hash), backend, replicas, dispatch and the policy's
 * name. Not hashed: the label, `requests` (what is returned, not what
 * runs), the code of a Lua policy. */
static void run_hash(const run_item *it, char out[17]) {
  uint64_t h = 0xcbf29ce484222325ull;
  h = fnv_str(h, "kvsim run config 1");
  kv_engine_cfg c;
  memcpy(&c, &it->spec.engine, sizeof c);
  c.model = NULL;
  c.platform = NULL;
  c.workload = NULL;
  c.strategy = NULL;
  c.backend = NULL;
  c.progress = NULL;
  c.progress_ud = NULL;
  c.progress_every = 0;
  c.interrupt = NULL;
  c.policy = NULL;
  c.scfg.model = NULL;
  /* the fields before version 6's, as before; keep_requests = false
   * (approximate percentiles) counts, requests_file (where rows go) not */
  h = fnv(h, &c, offsetof(kv_engine_cfg, requests_opts));
  if (it->spec.engine.requests_opts &&
      !it->spec.engine.requests_opts->keep_requests)
    h = fnv_str(h, "keep_requests=false");
  const kv_engine_cfg *e = &it->spec.engine;
  h = fnv_str(h, e->strategy->name);
  h = fnv_str(h, e->policy ? e->policy->name : NULL);
  kv_model m;
  memcpy(&m, e->model, sizeof m);
  h = fnv(h, &m, sizeof m);
  kv_platform p;
  memcpy(&p, e->platform, sizeof p);
  p.source = NULL;
  h = fnv(h, &p, sizeof p);
  h = fnv_str(h, e->platform->source);
  const kv_workload *w = e->workload;
  h = fnv_str(h, w->source);
  uint64_t nw = w->n, nh = w->n_hashes;
  h = fnv(h, &nw, sizeof nw);
  /* a request's hash ids by their position in request order, then all of
   * them in that order */
  uint64_t at = 0;
  for (size_t i = 0; i < w->n; i++) {
    const kv_request_spec *r = &w->reqs[i];
    h = fnv(h, &r->arrival, sizeof r->arrival);
    uint32_t f[5] = {r->prompt, r->output, (uint32_t)at, r->hash_n, r->gen_n};
    h = fnv(h, f, sizeof f);
    at += (uint64_t)r->hash_n + r->gen_n;
  }
  h = fnv(h, &nh, sizeof nh);
  uint32_t *ids = NULL;
  size_t cap = 0;
  for (size_t i = 0; i < w->n; i++) {
    const kv_request_spec *r = &w->reqs[i];
    size_t nid = (size_t)r->hash_n + r->gen_n;
    if (nid > cap) ids = kv_xrealloc(ids, (cap = 2 * nid) * sizeof *ids);
    if (nid) h = fnv(h, ids, kv_workload_ids(w, i, ids) * sizeof *ids);
  }
  free(ids);
  h = fnv(h, &w->hash_block_tokens, sizeof w->hash_block_tokens);
  /* the backend: its index among the host's and its options' words */
  uint32_t ow[2] = {0, 0};
  const char *otext = NULL;
  const kv_backend_desc *d = it->spec.backend;
  if (d->opts_ident)
    d->opts_ident(kv_backend_opts_get(it->spec.backend_opts, d, NULL), ow,
                  &otext);
  uint32_t k[4] = {(uint32_t)it->backend, ow[0], (uint32_t)it->dispatch, ow[1]};
  uint64_t reps = it->replicas;
  h = fnv(h, k, sizeof k);
  h = fnv(h, &reps, sizeof reps);
  h = fnv_str(h, otext);
  snprintf(out, 17, "%016llx", (unsigned long long)h);
}

static void plan_path(const plan_state *ps, size_t index, const char *hash,
                      char *buf, size_t n) {
  snprintf(buf, n, "%s/run-%05zu-%s.json", ps->dir, index, hash);
}

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static char *b64_encode(const unsigned char *p, size_t n) {
  char *o = kv_xmalloc((n + 2) / 3 * 4 + 1), *q = o;
  for (size_t i = 0; i < n; i += 3) {
    uint32_t v = (uint32_t)p[i] << 16;
    if (i + 1 < n) v |= (uint32_t)p[i + 1] << 8;
    if (i + 2 < n) v |= p[i + 2];
    *q++ = b64[v >> 18 & 63];
    *q++ = b64[v >> 12 & 63];
    *q++ = i + 1 < n ? b64[v >> 6 & 63] : '=';
    *q++ = i + 2 < n ? b64[v & 63] : '=';
  }
  *q = 0;
  return o;
}

static unsigned char *b64_decode(const char *s, size_t n, size_t *len) {
  if (n % 4) return NULL;
  unsigned char *o = kv_xmalloc(n / 4 * 3 + 1);
  size_t k = 0;
  for (size_t i = 0; i < n; i += 4) {
    uint32_t v = 0;
    int pad = 0;
    for (int j = 0; j < 4; j++) {
      char c = s[i + j];
      const char *f = c && c != '=' ? strchr(b64, c) : NULL;
      if (c == '=' && i + 4 == n && j >= 2) {
        pad++;
        v <<= 6;
        continue;
      }
      if (!f || pad) {
        free(o);
        return NULL;
      }
      v = v << 6 | (uint32_t)(f - b64);
    }
    o[k++] = (unsigned char)(v >> 16);
    if (pad < 2) o[k++] = (unsigned char)(v >> 8);
    if (pad < 1) o[k++] = (unsigned char)v;
  }
  *len = k;
  return o;
}

/* The Lua value at idx as JSON (non-finite numbers: null; sequences:
 * arrays; other tables: objects with their string keys). */
static json_t *lua_json(lua_State *L, int idx, int depth) {
  idx = lua_absindex(L, idx);
  switch (lua_type(L, idx)) {
  case LUA_TBOOLEAN: return json_boolean(lua_toboolean(L, idx));
  case LUA_TNUMBER:
    if (lua_isinteger(L, idx)) return json_integer(lua_tointeger(L, idx));
    return isfinite(lua_tonumber(L, idx)) ? json_real(lua_tonumber(L, idx))
                                          : json_null();
  case LUA_TSTRING: {
    json_t *j = json_string(lua_tostring(L, idx));
    return j ? j : json_null();
  }
  case LUA_TTABLE: {
    if (depth > 16) return json_null();
    lua_Integer len = (lua_Integer)lua_rawlen(L, idx);
    if (len > 0) {
      json_t *a = json_array();
      for (lua_Integer i = 1; i <= len; i++) {
        lua_rawgeti(L, idx, i);
        json_array_append_new(a, lua_json(L, -1, depth + 1));
        lua_pop(L, 1);
      }
      return a;
    }
    json_t *o = json_object();
    lua_pushnil(L);
    while (lua_next(L, idx)) {
      if (lua_type(L, -2) == LUA_TSTRING)
        json_object_set_new(o, lua_tostring(L, -2), lua_json(L, -1, depth + 1));
      lua_pop(L, 1);
    }
    return o;
  }
  default: return json_null();
  }
}

static int mkdir_p(const char *path) {
  char buf[4096];
  if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) return -1;
  for (char *p = buf + 1;; p++) {
    if (*p == '/' || *p == 0) {
      char c = *p;
      *p = 0;
      if (mkdir(buf, 0777) != 0 && errno != EEXIST) return -1;
      *p = c;
      if (!c) break;
    }
  }
  return 0;
}

/* Write run `index`'s file: its results res[0..nres) and what describes
 * the run. Returns 0, or -1 with msg. */
static int write_run_file(lua_State *L, plan_state *ps, const run_item *it,
                          size_t index, size_t call, const char *where,
                          const char *hash, const kv_result *res, size_t nres,
                          double wall, char *msg, size_t msgn) {
  char path[4200], tmp[4300];
  plan_path(ps, index, hash, path, sizeof path);
  if (mkdir_p(ps->dir) != 0) {
    snprintf(msg, msgn, "cannot create %s: %s", ps->dir, strerror(errno));
    return -1;
  }
  const kv_engine_cfg *e = &it->spec.engine;
  const kv_result *agg = &res[nres - 1];
  json_t *j = json_object();
  json_object_set_new(j, "format", json_string("kvsim-run 1"));
  json_object_set_new(j, "index", json_integer((json_int_t)index));
  json_object_set_new(j, "hash", json_string(hash));
  json_object_set_new(j, "label", json_string(it->label));
  json_object_set_new(j, "call", json_integer((json_int_t)call));
  json_object_set_new(j, "where", json_string(where));
  json_object_set_new(j, "script", json_string(ps->script));
  json_object_set_new(j, "kvsim", json_string(KV_LUA_VERSION));
  json_object_set_new(j, "commit",
                      *kv_lua_plan_commit() ? json_string(kv_lua_plan_commit())
                                            : json_null());
  json_object_set_new(j, "seed", json_integer((json_int_t)e->seed));
  json_object_set_new(j, "strategy", json_string(e->strategy->name));
  json_object_set_new(j, "backend", json_string(it->backend_name));
  json_object_set_new(j, "model", json_string(e->model->name));
  json_object_set_new(j, "platform", json_string(e->platform->name));
  json_object_set_new(
      j, "platform_source",
      json_string(e->platform->source ? e->platform->source : ""));
  if (it->platform_xml[0])
    json_object_set_new(j, "platform_xml", json_string(it->platform_xml));
  json_object_set_new(j, "workload", json_string(e->workload->source));
  json_object_set_new(j, "requests", json_integer((json_int_t)e->workload->n));
  push_options(L, it);
  json_object_set_new(j, "options", lua_json(L, -1, 0));
  lua_pop(L, 1);
  json_object_set_new(j, "wall_time",
                      wall >= 0 ? json_real(wall) : json_null());
  push_summary(L, &agg->summary, -1);
  json_object_set_new(j, "summary", lua_json(L, -1, 0));
  lua_pop(L, 1);
  size_t len = 0;
  unsigned char *bin = kv_results_encode(res, nres, &len);
  char *enc = b64_encode(bin, len);
  free(bin);
  json_object_set_new(j, "results", json_integer((json_int_t)nres));
  json_object_set_new(
      j, "result_format",
      json_string("kv_result records (core/run/sweep.c), base64"));
  json_object_set_new(j, "result", json_string(enc));
  free(enc);
  snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
  int rc = json_dump_file(j, tmp, JSON_INDENT(1) | JSON_SORT_KEYS);
  json_decref(j);
  if (rc != 0 || rename(tmp, path) != 0) {
    snprintf(msg, msgn, "cannot write %s: %s", path, strerror(errno));
    unlink(tmp);
    return -1;
  }
  return 0;
}

/* Read a run file into out[0..nres); *wall its wall time (-1: none).
 * Returns 0, or -1 with msg. */
static int read_run_file(const char *path, const char *hash, kv_result *out,
                         size_t nres, double *wall, char *msg, size_t msgn) {
  json_error_t je;
  json_t *j = json_load_file(path, 0, &je);
  if (!j) {
    snprintf(msg, msgn, "%s: %s", path, je.text);
    return -1;
  }
  const char *fmt = json_string_value(json_object_get(j, "format"));
  const char *h = json_string_value(json_object_get(j, "hash"));
  json_t *res = json_object_get(j, "result");
  int rc = -1;
  if (!fmt || strcmp(fmt, "kvsim-run 1") != 0) {
    snprintf(msg, msgn, "%s: not a kvsim run file (format)", path);
  } else if (!h || strcmp(h, hash) != 0) {
    snprintf(msg, msgn, "%s: hash %s, expected %s", path, h ? h : "missing",
             hash);
  } else if (!json_is_string(res)) {
    snprintf(msg, msgn, "%s: no result", path);
  } else {
    size_t len = 0;
    unsigned char *bin =
        b64_decode(json_string_value(res), json_string_length(res), &len);
    kv_error e;
    if (!bin) {
      snprintf(msg, msgn, "%s: result: bad base64", path);
    } else if (kv_results_decode(bin, len, out, nres, &e) != 0) {
      snprintf(msg, msgn, "%s: %s", path, e.msg);
    } else {
      json_t *w = json_object_get(j, "wall_time");
      *wall = json_is_number(w) ? json_number_value(w) : -1;
      rc = 0;
    }
    free(bin);
  }
  json_decref(j);
  return rc;
}

static void plan_note(plan_state *ps, size_t index, size_t call,
                      const char *hash, const char *label, const char *status,
                      const char *error, double wall) {
  if (!ps->o.note) return;
  char path[4200];
  plan_path(ps, index, hash, path, sizeof path);
  kv_lua_plan_run r = {.index = index,
                       .call = call,
                       .hash = hash,
                       .label = label,
                       .file = path,
                       .status = status,
                       .error = error,
                       .wall = wall};
  ps->o.note(ps->o.note_ud, &r);
}

static bool plan_selected(const plan_state *ps, size_t g) {
  if (ps->o.run >= 0) return g == (size_t)ps->o.run;
  return ps->o.shard_n > 0 &&
         g % (size_t)ps->o.shard_n == (size_t)ps->o.shard_k;
}

/* Stop the script here: the host sees kv_lua_plan_stopped(). */
static int plan_stop(lua_State *L, plan_state *ps, size_t base, size_t n,
                     size_t done, const char *where) {
  ps->out.stopped = true;
  ps->out.round_first = base;
  ps->out.round_n = n;
  ps->out.round_done = done;
  snprintf(ps->out.where, sizeof ps->out.where, "%s", where);
  return luaL_error(L, "kvsim: the plan stops at %s", where);
}

/* Run the selected items todo[0..nt) of a call whose first run is `base`
 * and write their files. */
static void plan_execute(lua_State *L, plan_state *ps, run_item *items,
                         const size_t *todo, size_t nt, char (*hash)[17],
                         size_t base, size_t call, const char *where, int jobs,
                         bool in_process) {
  kv_lua_ctx *ctx = kv_lua_ctx_get(L);
  result_box *b = new_box(L, nt);
  int box = lua_gettop(L);
  kv_replica_spec *specs = kv_xcalloc(nt, sizeof *specs);
  double *wall = kv_xcalloc(nt, sizeof *wall);
  for (size_t k = 0; k < nt; k++) {
    const run_item *it = &items[todo[k]];
    specs[k].run = it->spec;
    specs[k].replicas = it->replicas;
    specs[k].dispatch = it->dispatch;
    specs[k].shards = it->shards;
    specs[k].shard_jobs = it->shard_jobs;
    b->nres[k] = kv_replica_results(it->replicas);
    b->r[k] = kv_xcalloc(b->nres[k], sizeof *b->r[k]);
  }
  if (in_process) {
    for (size_t k = 0; k < nt; k++) {
      double t0 = ctx->clock ? host_now(ctx) : 0;
      b->codes[k] = kv_replica_spec_execute(&specs[k], b->r[k], &b->errs[k]);
      wall[k] = ctx->clock ? host_now(ctx) - t0 : 0;
    }
  } else {
    kv_sweep_opts o = {.jobs = jobs,
                       .clock = ctx->clock,
                       .clock_ud = ctx->clock_ud,
                       .wall = wall};
    kv_sweep_run_replicas_opts(specs, nt, &o, b->r, b->codes, b->errs);
  }
  free(specs);
  if (ctx->progress) ctx->progress(ctx->progress_ud, NULL, 0, 0, 0);
  for (size_t k = 0; k < nt; k++) {
    size_t i = todo[k];
    const run_item *it = &items[i];
    double w = ctx->clock ? wall[k] : -1;
    if (b->codes[k] == KV_EINTR || (ctx->interrupt && *ctx->interrupt)) {
      free(wall);
      luaL_error(L, "interrupted");
    }
    char msg[8192];
    if (b->codes[k] != KV_OK) {
      snprintf(msg, sizeof msg, "%s", b->errs[k].msg);
    } else if (write_run_file(L, ps, it, base + i, call, where, hash[i],
                              b->r[k], b->nres[k], w, msg, sizeof msg) == 0) {
      ps->out.wrote++;
      plan_note(ps, base + i, call, hash[i], it->label, "wrote", NULL, w);
      continue;
    }
    ps->out.failed++;
    ctx->failed_runs++;
    plan_note(ps, base + i, call, hash[i], it->label, "failed", msg, w);
  }
  free(wall);
  free_box(b);
  lua_remove(L, box);
}

/* kv.sweep / kv.run under a plan (see lua_plan.h). */
static int plan_items(lua_State *L, run_item *items, size_t n, int jobs,
                      bool in_process, bool sweep) {
  plan_state *ps = plan_get(L);
  if (ps->out.stopped || ps->dead)
    return luaL_error(L, "kvsim: the plan stopped at %s", ps->out.where);
  size_t base = ps->next, call = ++ps->out.calls;
  ps->next += n;
  ps->out.runs += n;
  char where[256];
  luaL_where(L, 1);
  snprintf(where, sizeof where, "%s", lua_tostring(L, -1));
  lua_pop(L, 1);
  size_t wl = strlen(where);
  while (wl > 0 && (where[wl - 1] == ' ' || where[wl - 1] == ':'))
    where[--wl] = 0;
  if (!*where) snprintf(where, sizeof where, "call %zu", call);

  /* hashes and which runs have their file (in a userdata: errors below
   * must not leak it) */
  char(*hash)[17] = lua_newuserdatauv(L, n * 17, 0);
  bool *have = lua_newuserdatauv(L, n * sizeof *have, 0);
  size_t *todo = lua_newuserdatauv(L, n * sizeof *todo, 0);
  size_t ndone = 0, nt = 0;
  char path[4200];
  for (size_t i = 0; i < n; i++) {
    run_hash(&items[i], hash[i]);
    plan_path(ps, base + i, hash[i], path, sizeof path);
    have[i] = access(path, F_OK) == 0;
    ndone += have[i];
  }
  bool complete = ndone == n;
  switch (ps->o.mode) {
  case KV_PLAN_LIST:
    for (size_t i = 0; i < n; i++)
      plan_note(ps, base + i, call, hash[i], items[i].label,
                have[i] ? "done" : "todo", NULL, -1);
    if (!complete) return plan_stop(L, ps, base, n, ndone, where);
    break;
  case KV_PLAN_RUN:
    for (size_t i = 0; i < n; i++) {
      if (!plan_selected(ps, base + i)) continue;
      ps->out.selected++;
      if (have[i] && !ps->o.force) {
        ps->out.skipped++;
        plan_note(ps, base + i, call, hash[i], items[i].label, "skipped", NULL,
                  -1);
        continue;
      }
      todo[nt++] = i;
    }
    if (nt) {
      plan_execute(L, ps, items, todo, nt, hash, base, call, where, jobs,
                   in_process);
      for (size_t k = 0; k < nt; k++)
        if (!have[todo[k]]) {
          plan_path(ps, base + todo[k], hash[todo[k]], path, sizeof path);
          if (access(path, F_OK) == 0) ndone++;
        }
      return plan_stop(L, ps, base, n, ndone, where);
    }
    if (!complete) return plan_stop(L, ps, base, n, ndone, where);
    break;
  case KV_PLAN_MERGE:
    if (!complete) {
      if (ps->o.stop_incomplete) return plan_stop(L, ps, base, n, ndone, where);
      luaL_Buffer lb;
      luaL_buffinit(L, &lb);
      size_t listed = 0;
      for (size_t i = 0; i < n; i++) {
        if (have[i]) continue;
        if (listed++ < 20) {
          lua_pushfstring(L, "%s%d", listed > 1 ? ", " : "", (int)(base + i));
          luaL_addvalue(&lb);
        }
      }
      if (listed > 20) luaL_addstring(&lb, ", ...");
      luaL_pushresult(&lb);
      ps->dead = true; /* nothing more may run */
      snprintf(ps->out.where, sizeof ps->out.where, "%s", where);
      return luaL_error(L,
                        "--merge: %d of the %d runs of the call at %s (runs "
                        "%d-%d) have no run file in %s: %s (run them with "
                        "--run I or --shard K/N; --list shows them)",
                        (int)(n - ndone), (int)n, where, (int)base,
                        (int)(base + n - 1), ps->dir, lua_tostring(L, -1));
    }
    break;
  default: break;
  }

  /* every run has its file: answer the call from them */
  result_box *b = new_box(L, n);
  int box = lua_gettop(L);
  for (size_t i = 0; i < n; i++) {
    b->nres[i] = kv_replica_results(items[i].replicas);
    b->r[i] = kv_xcalloc(b->nres[i], sizeof *b->r[i]);
    plan_path(ps, base + i, hash[i], path, sizeof path);
    char msg[8192];
    double w = -1;
    if (read_run_file(path, hash[i], b->r[i], b->nres[i], &w, msg,
                      sizeof msg) != 0)
      return luaL_error(L, "run %d (%s): %s", (int)(base + i), items[i].label,
                        msg);
    items[i].wall = w;
    b->codes[i] = KV_OK;
  }
  return push_box(L, items, n, b, box, sweep);
}

/* Run items[0..n) and push the list of results. `sweep`: every run goes
 * through a forked child, a failed run does not stop the others, the list
 * holds the runs that finished (each with .run, its index in the call) and
 * .failed the others ({ run =, label =, error = }); otherwise (kv.run) the
 * one run's failure raises. Interruption always raises. With a plan
 * (lua_plan.h) the runs go through plan_items() instead. */
static int run_items(lua_State *L, run_item *items, size_t n, int jobs,
                     bool in_process, bool sweep) {
  kv_lua_ctx *ctx = kv_lua_ctx_get(L);
  if (plan_active(L)) return plan_items(L, items, n, jobs, in_process, sweep);
  result_box *b = new_box(L, n);
  int box = lua_gettop(L);
  /* the sweep takes a dense array of specs */
  kv_replica_spec *specs = kv_xcalloc(n, sizeof *specs);
  double *wall = kv_xcalloc(n, sizeof *wall);
  for (size_t i = 0; i < n; i++) {
    specs[i].run = items[i].spec;
    specs[i].replicas = items[i].replicas;
    specs[i].dispatch = items[i].dispatch;
    specs[i].shards = items[i].shards;
    specs[i].shard_jobs = items[i].shard_jobs;
    b->nres[i] = kv_replica_results(items[i].replicas);
    b->r[i] = kv_xcalloc(b->nres[i], sizeof *b->r[i]);
  }
  if (in_process) {
    for (size_t i = 0; i < n; i++) {
      double t0 = ctx->clock ? host_now(ctx) : 0;
      b->codes[i] = kv_replica_spec_execute(&specs[i], b->r[i], &b->errs[i]);
      wall[i] = ctx->clock ? host_now(ctx) - t0 : 0;
    }
  } else {
    kv_sweep_opts o = {.jobs = jobs,
                       .clock = ctx->clock,
                       .clock_ud = ctx->clock_ud,
                       .wall = wall};
    kv_sweep_run_replicas_opts(specs, n, &o, b->r, b->codes, b->errs);
  }
  for (size_t i = 0; i < n; i++)
    items[i].wall = ctx->clock ? wall[i] : -1;
  free(specs);
  free(wall);
  if (ctx->progress) ctx->progress(ctx->progress_ud, NULL, 0, 0, 0);
  return push_box(L, items, n, b, box, sweep);
}

/* Push the list of results of items[0..n) held by the box at index `box`
 * (removed from the stack), as run_items() describes. */
static int push_box(lua_State *L, run_item *items, size_t n, result_box *b,
                    int box, bool sweep) {
  kv_lua_ctx *ctx = kv_lua_ctx_get(L);
  for (size_t i = 0; i < n; i++) {
    if (b->codes[i] == KV_OK) continue;
    if (b->codes[i] == KV_EINTR || (ctx->interrupt && *ctx->interrupt))
      return luaL_error(L, "interrupted");
    if (!sweep)
      return luaL_error(L, "run '%s': %s", items[i].label, b->errs[i].msg);
  }
  lua_createtable(L, (int)n, 1);
  lua_newtable(L); /* failed */
  lua_Integer nok = 0, nfailed = 0;
  for (size_t i = 0; i < n; i++) {
    const run_item *it = &items[i];
    if (b->codes[i] != KV_OK) {
      lua_createtable(L, 0, 3);
      setint(L, "run", (lua_Integer)i + 1);
      setstr(L, "label", it->label);
      setstr(L, "error", b->errs[i].msg);
      lua_rawseti(L, -2, ++nfailed);
      ctx->failed_runs++;
      if (ctx->failure)
        ctx->failure(ctx->failure_ud, it->label, b->errs[i].msg);
      continue;
    }
    push_item(L, it, b->r[i]);
    if (sweep) setint(L, "run", (lua_Integer)i + 1);
    lua_rawseti(L, -3, ++nok);
  }
  if (sweep)
    lua_setfield(L, -2, "failed");
  else
    lua_pop(L, 1);
  free_box(b);
  lua_remove(L, box);
  return 1;
}

/* ---- for kv.run{ models = } (core/lua/lua_multimodel.c) ---- */

const kv_engine_cfg *kv_lua_read_engine(lua_State *L, int t, int anchor,
                                        const kv_lua_where *w) {
  t = lua_absindex(L, t);
  run_item *it = lua_newuserdatauv(L, sizeof *it, 0);
  lua_rawseti(L, anchor, luaL_len(L, anchor) + 1);
  read_run(L, t, anchor, w, kv_lua_ctx_get(L), it);
  if (it->spec.backend != &kv_backend_ideal_desc)
    kv_lua_field_error(L, w, "backend",
                       "several models on one GPU run on the ideal backend "
                       "only (got %s)",
                       it->backend_name);
  if (it->replicas != 1)
    kv_lua_field_error(L, w, "replicas",
                       "one replica per model on one GPU (got %d)",
                       (int)it->replicas);
  return &it->spec.engine;
}

void kv_lua_push_engine_result(lua_State *L, const kv_engine_cfg *cfg,
                               const kv_engine_cfg *ran, const kv_result *r) {
  const run_item *it =
      (const run_item *)((const char *)cfg - offsetof(run_item, spec.engine));
  run_item tmp = *it; /* report what ran: strategy, capacity */
  tmp.spec.engine = *ran;
  push_result(L, &tmp, r, it->label, -1);
}

int kv_lua_run_engine(lua_State *L) {
  kv_lua_ctx *ctx = kv_lua_ctx_get(L);
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  lua_newtable(L); /* 2: anchor */
  run_item *it = lua_newuserdatauv(L, sizeof *it, 0);
  kv_lua_where w = {1, ""};
  read_run(L, 1, 2, &w, ctx, it);
  /* SimGrid runs one simulation per process: go through a child */
  run_items(L, it, 1, 1, it->spec.backend == &kv_backend_ideal_desc, false);
  lua_rawgeti(L, -1, 1);
  return 1;
}

/* kv.sweep({cfg, ...}, { jobs = 2 }) -> { result, ... } in order */
static int l_sweep(lua_State *L) {
  kv_lua_ctx *ctx = kv_lua_ctx_get(L);
  luaL_checktype(L, 1, LUA_TTABLE);
  int jobs = 0;
  if (!lua_isnoneornil(L, 2)) {
    luaL_checktype(L, 2, LUA_TTABLE);
    static const char *const keys[] = {"jobs", NULL};
    kv_lua_where ow = {2, ""};
    kv_lua_check_keys(L, 2, &ow, "the sweep options", keys, false);
    jobs = (int)kv_lua_opt_u64(L, 2, &ow, "jobs", "jobs", 0, 0, 1024);
  }
  lua_settop(L, 2);
  size_t n = (size_t)luaL_len(L, 1);
  luaL_argcheck(L, n > 0, 1, "no runs given");
  lua_newtable(L); /* 3: anchor */
  run_item *items = lua_newuserdatauv(L, n * sizeof *items, 0);
  for (size_t i = 0; i < n; i++) {
    lua_rawgeti(L, 1, (lua_Integer)i + 1);
    lua_pushfstring(L, "run %d: ", (int)i + 1);
    kv_lua_where w = {1, lua_tostring(L, -1)};
    read_run(L, -2, 3, &w, ctx, &items[i]);
    lua_pop(L, 2);
  }
  run_items(L, items, n, jobs, false, true);
  return 1;
}

static const luaL_Reg run_funcs[] = {{"sweep", l_sweep}, {NULL, NULL}};

void kv_lua_open_run(lua_State *L) {
  luaL_setfuncs(L, run_funcs, 0);
}
