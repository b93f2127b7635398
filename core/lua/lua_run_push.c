/* lua_run_push.c - a run's result as the Lua table kv.run and kv.sweep
 * give back: label and configuration, the options it used, the summary
 * (with its metrics' units), the columnar timeline, tiering outcomes and,
 * when asked for, one column per request field.
 * Main entry points: kv_lua_push_item(), kv_lua_push_result(),
 * kv_lua_push_options().
 */
#include "lua_run_item.h"

#include "collective.h"
#include "metrics.h"
#include "strategy.h"

/* per-request rejected, by kv_reject_reason (0 = served) */
static const char *const reject_names[] = {NULL, "too_long", "no_fit",
                                           "timed_out"};

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

/* "roofline", "table", "mixed" or "roofline+attention table": how the
 * steps' compute was priced. */
static const char *compute_model_name(const kv_summary *s) {
  if (s->compute_steps_table <= 0)
    return s->compute_steps_attn_table > 0 ? "roofline+attention table"
                                           : "roofline";
  return s->compute_steps_roofline > 0 ? "mixed" : "table";
}

/* compute_model, compute_steps_table, compute_steps_roofline into the
 * table on top of the stack. */
static void push_compute_model(lua_State *L, const kv_summary *s) {
  setstr(L, "compute_model", compute_model_name(s));
  setmetric(L, "compute_steps_table", "step", s->compute_steps_table);
  setmetric(L, "compute_steps_roofline", "step", s->compute_steps_roofline);
  setmetric(L, "compute_steps_attn_table", "step", s->compute_steps_attn_table);
}

/* wall < 0: no clock, no wall_time. It is served by the summary's
 * metatable, so pairs() does not list it: a summary copied key by key into
 * a result file stays the same from run to run. So are compute_model and
 * its step counts when the roofline priced every step (results without a
 * compute table stay as they were); with a table they are plain fields. */
void kv_lua_push_summary(lua_State *L, const kv_summary *s, double wall) {
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
  int listed = s->compute_steps_table > 0 || s->compute_steps_attn_table > 0;
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

void kv_lua_push_options(lua_State *L, const run_item *it) {
  const kv_engine_cfg *c = &it->spec.engine;
  const kv_strategy_cfg *s = &c->scfg;
  lua_createtable(L, 0, 16);
  setint(L, "max_context",
         s->max_context ? s->max_context : c->model->max_context);
  setstr(L, "long_prompts", kv_lua_long_prompt_names[c->long_prompt]);
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
  if (c->client_timeout > 0) setnum(L, "client_timeout", c->client_timeout);
  const kv_overheads *o = &c->overheads;
  if (o->step || o->per_seq || o->per_token || o->per_prefill_token ||
      o->admit || o->finish || o->request || o->per_worker || o->overlap ||
      o->schedule_ahead || o->eager_per_layer || o->graph_max_tokens ||
      o->eager_overlap || o->serial_intake || o->late_release ||
      o->per_output || o->ordered_output ||
      o->layer_fixed) { /* only when set: as before */
    lua_createtable(L, 0, 7);
    setnum(L, "step", o->step);
    setnum(L, "per_seq", o->per_seq);
    setnum(L, "per_token", o->per_token);
    if (o->per_prefill_token) /* only when set: older run hashes stay */
      setnum(L, "per_prefill_token", o->per_prefill_token);
    if (o->per_worker) /* likewise */
      setnum(L, "per_worker", o->per_worker);
    if (o->per_worker_max_tp) /* likewise */
      setint(L, "per_worker_max_tp", o->per_worker_max_tp);
    setnum(L, "admit", o->admit);
    setnum(L, "finish", o->finish);
    setnum(L, "request", o->request);
    lua_pushboolean(L, o->overlap);
    lua_setfield(L, -2, "overlap");
    if (o->schedule_ahead) { /* only when set: older run hashes stay */
      lua_pushboolean(L, 1);
      lua_setfield(L, -2, "schedule_ahead");
    }
    if (o->graph_max_tokens) /* likewise */
      setint(L, "graph_max_tokens", o->graph_max_tokens);
    if (o->eager_per_layer) setnum(L, "eager_per_layer", o->eager_per_layer);
    if (o->eager_overlap) { /* likewise */
      lua_pushboolean(L, 1);
      lua_setfield(L, -2, "eager_overlap");
    }
    if (o->serial_intake) { /* likewise */
      lua_pushboolean(L, 1);
      lua_setfield(L, -2, "serial_intake");
    }
    if (o->per_output) setnum(L, "per_output", o->per_output);    /* likewise */
    if (o->layer_fixed) setnum(L, "layer_fixed", o->layer_fixed); /* likewise */
    if (o->late_release) {                                        /* likewise */
      lua_pushboolean(L, 1);
      lua_setfield(L, -2, "late_release");
    }
    if (o->ordered_output) { /* likewise */
      lua_pushboolean(L, 1);
      lua_setfield(L, -2, "ordered_output");
    }
    lua_setfield(L, -2, "overheads");
  }
  if (c->kv_capacity) setint(L, "kv_capacity", (lua_Integer)c->kv_capacity);
  setstr(L, "preempt", kv_lua_preempt_names[c->preempt]);
  if (s->host_bytes) setint(L, "host_bytes", (lua_Integer)s->host_bytes);
  if (c->offload_bytes)
    setint(L, "offload_bytes", (lua_Integer)c->offload_bytes);
  setint(L, "tp", c->tp);
  setint(L, "replicas", (lua_Integer)it->replicas);
  if (it->replicas > 1)
    setstr(L, "dispatch", kv_lua_dispatch_names[it->dispatch]);
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

void kv_lua_push_result(lua_State *L, const run_item *it, const kv_result *r,
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
  kv_lua_push_options(L, it);
  lua_setfield(L, -2, "options");
  kv_lua_push_summary(L, &r->summary, wall);
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

void kv_lua_push_item(lua_State *L, const run_item *it, kv_result *res) {
  if (it->replicas <= 1) {
    kv_lua_push_result(L, it, &res[0], it->label, it->wall);
    return;
  }
  kv_lua_push_result(L, it, &res[it->replicas], it->label, it->wall);
  setstr(L, "dispatch", kv_lua_dispatch_names[it->dispatch]);
  lua_createtable(L, (int)it->replicas, 0);
  for (size_t k = 0; k < it->replicas; k++) {
    char lab[96];
    snprintf(lab, sizeof lab, "%s/%zu", it->label, k);
    kv_lua_push_result(L, it, &res[k], lab, it->wall);
    setint(L, "replica", (lua_Integer)k);
    lua_rawseti(L, -2, (lua_Integer)k + 1);
  }
  lua_setfield(L, -2, "replicas");
}
