/* lua_run_read.c - a run table of kv.run / kv.sweep read into a run_item
 * (lua_run_item.h): model, platform, workload, strategy and its options,
 * backend, engine settings, overheads, requests options, replicas and
 * shards, label; every bad value raises an error naming its field.
 * Main entry point: kv_lua_read_run().
 */
#include "lua_run_item.h"

#include "lua_strategy.h"
#include "strategy.h"
#include "sweep.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

const char *const kv_lua_preempt_names[] = {"recompute", "swap", NULL};
const char *const kv_lua_dispatch_names[] = {"round_robin", "least_tokens",
                                             "replicate", NULL};
/* in the order of kv_long_prompt */
const char *const kv_lua_long_prompt_names[] = {"reject", "truncate", NULL};

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
                                       "offload_bytes",
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
                                       "client_timeout",
                                       "overheads",
                                       "keep_requests",
                                       "requests_file",
                                       "shards",
                                       "shard_jobs",
                                       NULL};

/* overheads = { step =, per_seq =, per_token =, per_prefill_token =,
 * admit =, finish =, request =, per_worker =, per_worker_max_tp =,
 * overlap =, schedule_ahead =,
 * graph_max_tokens =, eager_per_layer =, eager_overlap =, serial_intake =,
 * late_release =, per_output =, ordered_output =, layer_fixed = }
 * (seconds, tokens, booleans; kv_overheads in engine.h) */
static const char *const overhead_keys[] = {"step",
                                            "per_seq",
                                            "per_token",
                                            "per_prefill_token",
                                            "admit",
                                            "finish",
                                            "request",
                                            "per_worker",
                                            "per_worker_max_tp",
                                            "overlap",
                                            "schedule_ahead",
                                            "graph_max_tokens",
                                            "eager_per_layer",
                                            "eager_overlap",
                                            "serial_intake",
                                            "late_release",
                                            "per_output",
                                            "ordered_output",
                                            "layer_fixed",
                                            NULL};

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
  o->per_worker_max_tp =
      (uint32_t)kv_lua_opt_u64(L, s, w, "per_worker_max_tp",
                               "overheads.per_worker_max_tp", 0, 0, 1u << 20);
  o->overlap = kv_lua_opt_bool(L, s, w, "overlap", "overheads.overlap", false);
  o->schedule_ahead = kv_lua_opt_bool(L, s, w, "schedule_ahead",
                                      "overheads.schedule_ahead", false);
  o->graph_max_tokens =
      (uint32_t)kv_lua_opt_u64(L, s, w, "graph_max_tokens",
                               "overheads.graph_max_tokens", 0, 0, 1u << 24);
  o->eager_per_layer = kv_lua_opt_num(L, s, w, "eager_per_layer",
                                      "overheads.eager_per_layer", 0, 0, false);
  o->eager_overlap = kv_lua_opt_bool(L, s, w, "eager_overlap",
                                     "overheads.eager_overlap", false);
  o->late_release =
      kv_lua_opt_bool(L, s, w, "late_release", "overheads.late_release", false);
  if (o->late_release && !o->schedule_ahead)
    kv_lua_field_error(L, w, "overheads.late_release",
                       "needs schedule_ahead = true (a seat is freed late "
                       "only when the next step was scheduled before the "
                       "last one ended)");
  o->serial_intake = kv_lua_opt_bool(L, s, w, "serial_intake",
                                     "overheads.serial_intake", false);
  o->per_output = kv_lua_opt_num(L, s, w, "per_output", "overheads.per_output",
                                 0, 0, false);
  if (o->per_output > 0 && !o->serial_intake)
    kv_lua_field_error(L, w, "overheads.per_output",
                       "needs serial_intake = true (the front end's output "
                       "work delays only requests it takes one at a time)");
  o->ordered_output = kv_lua_opt_bool(L, s, w, "ordered_output",
                                      "overheads.ordered_output", false);
  if (o->ordered_output && !(o->per_output > 0))
    kv_lua_field_error(L, w, "overheads.ordered_output",
                       "needs per_output > 0 (the seconds the front end "
                       "spends on each token it streams)");
  o->layer_fixed = kv_lua_opt_num(L, s, w, "layer_fixed",
                                  "overheads.layer_fixed", 0, 0, false);
  if (o->eager_overlap && !o->schedule_ahead)
    kv_lua_field_error(L, w, "overheads.eager_overlap",
                       "needs schedule_ahead = true (launches overlap the "
                       "previous step only under asynchronous scheduling)");
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

/* max_context, long_prompts, seed and the scheduler's limits */
static void read_limits(lua_State *L, int t, const kv_lua_where *w,
                        kv_engine_cfg *cfg) {
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
                                                   kv_lua_long_prompt_names);

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
  cfg->client_timeout =
      kv_lua_opt_num(L, t, w, "client_timeout", "client_timeout",
                     cfg->client_timeout, 0, false);
}

/* kv_capacity, preempt, the host tier and the host's prefix copy */
static void read_memory(lua_State *L, int t, const kv_lua_where *w,
                        kv_engine_cfg *cfg) {
  cfg->kv_capacity = kv_lua_opt_u64(L, t, w, "kv_capacity", "kv_capacity", 0, 1,
                                    UINT64_MAX >> 2);
  const char *pre = kv_lua_opt_str(L, t, w, "preempt", "preempt", NULL);
  if (pre)
    cfg->preempt = (kv_preempt_mode)kv_lua_pick(L, w, "preempt", pre,
                                                kv_lua_preempt_names);
  cfg->scfg.host_bytes = kv_lua_opt_u64(L, t, w, "host_bytes", "host_bytes", 0,
                                        0, UINT64_MAX >> 2);
  if (cfg->preempt == KV_PREEMPT_SWAP && cfg->scfg.host_bytes == 0)
    kv_lua_field_error(L, w, "host_bytes",
                       "preempt = \"swap\" needs a host tier (host_bytes > 0)");
  cfg->offload_bytes = kv_lua_opt_u64(L, t, w, "offload_bytes", "offload_bytes",
                                      0, 0, UINT64_MAX >> 2);
}

/* keep_requests, requests_file: per-request results not held / streamed to
 * a CSV (engine.h); absent: the default, no options at all */
static void read_requests_opts(lua_State *L, int t, const kv_lua_where *w,
                               run_item *it) {
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
    it->spec.engine.requests_opts = &it->ropts;
  }
}

/* replicas, dispatch and shards, then the run's shape as the engine (tp)
 * and the backend (GPUs, replicas) see it */
static void read_replicas(lua_State *L, int t, const kv_lua_where *w,
                          const kv_workload *wl, run_item *it) {
  kv_engine_cfg *cfg = &it->spec.engine;
  it->replicas =
      (size_t)kv_lua_opt_u64(L, t, w, "replicas", "replicas", 1, 1, 4096);
  const char *dis = kv_lua_opt_str(L, t, w, "dispatch", "dispatch", NULL);
  if (dis)
    it->dispatch =
        (kv_dispatch)kv_lua_pick(L, w, "dispatch", dis, kv_lua_dispatch_names);
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
}

/* Read the run table at t into it. */
void kv_lua_read_run(lua_State *L, int t, int anchor, const kv_lua_where *w,
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

  read_limits(L, t, w, cfg);
  read_overheads(L, t, w, &cfg->overheads);
  read_memory(L, t, w, cfg);
  kv_lua_policy_parse(L, t, anchor, w, cfg);
  cfg->tp = (uint32_t)kv_lua_opt_u64(L, t, w, "tp", "tp", 1, 1, 64);
  cfg->scfg.tp = cfg->tp;
  cfg->timeline_interval =
      kv_lua_opt_num(L, t, w, "timeline_interval", "timeline_interval",
                     cfg->timeline_interval, 0, false);
  cfg->check_level = (int)kv_lua_opt_u64(L, t, w, "check", "check", 0, 0, 2);
  it->want_requests = kv_lua_opt_bool(L, t, w, "requests", "requests", false);
  read_requests_opts(L, t, w, it);
  read_replicas(L, t, w, wl, it);
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
