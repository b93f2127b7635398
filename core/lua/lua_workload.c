/* lua_workload.c - kv.workload: a workload as userdata (synthetic, from a
 * trace, prefix groups, sessions, on/off bursts), its length
 * distributions read from Lua, and its methods (# requests, stats,
 * requests as columns, ids).
 * Main entry points: kv_lua_workload_new(), kv_lua_open_workload().
 */
#include "lua_internal.h"

#include "util.h"
#include "workload.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const len_kinds[] = {"fixed", "uniform", "lognormal",
                                        "empirical", NULL};

/* Read a length distribution (a number = fixed) at idx into d; empirical
 * values are copied into a userdata left on the stack. */
static void read_len_dist(lua_State *L, int idx, const kv_lua_where *w,
                          const char *field, kv_len_dist *d) {
  char f[64];
  memset(d, 0, sizeof *d);
  idx = lua_absindex(L, idx);
  if (lua_type(L, idx) == LUA_TNUMBER) {
    d->kind = KV_LEN_FIXED;
    d->a = lua_tonumber(L, idx);
    if (!(d->a >= 1))
      kv_lua_field_error(L, w, field, "must be at least 1, got %s",
                         lua_tostring(L, idx));
    return;
  }
  if (!lua_istable(L, idx))
    kv_lua_field_error(L, w, field, "expected a table or a number, got %s",
                       luaL_typename(L, idx));
  static const char *const keys[] = {"dist", "value", "mean",   "std",
                                     "min",  "max",   "values", NULL};
  lua_pushfstring(L, "%s%s: ", w->prefix, field);
  kv_lua_where sub = {w->arg, lua_tostring(L, -1)};
  kv_lua_check_keys(L, idx, &sub, field, keys, false);
  snprintf(f, sizeof f, "%s.dist", field);
  const char *kind = kv_lua_opt_str(L, idx, w, "dist", f, "lognormal");
  d->kind = (kv_len_kind)kv_lua_pick(L, w, f, kind, len_kinds);
  snprintf(f, sizeof f, "%s.min", field);
  d->min = (uint32_t)kv_lua_opt_u64(L, idx, w, "min", f, 1, 1, UINT32_MAX);
  snprintf(f, sizeof f, "%s.max", field);
  d->max = (uint32_t)kv_lua_opt_u64(L, idx, w, "max", f, 0, 0, UINT32_MAX);
  switch (d->kind) {
  case KV_LEN_FIXED:
    snprintf(f, sizeof f, "%s.value", field);
    d->a = kv_lua_opt_num(L, idx, w, "value", f, NAN, 1, false);
    if (isnan(d->a)) kv_lua_field_error(L, w, f, "missing");
    break;
  case KV_LEN_UNIFORM:
    d->a = d->min;
    d->b = d->max;
    if (d->max < d->min) {
      snprintf(f, sizeof f, "%s.max", field);
      kv_lua_field_error(L, w, f, "must be at least min (%u)", d->min);
    }
    break;
  case KV_LEN_LOGNORMAL:
    snprintf(f, sizeof f, "%s.mean", field);
    d->a = kv_lua_opt_num(L, idx, w, "mean", f, NAN, 0, true);
    if (isnan(d->a)) kv_lua_field_error(L, w, f, "missing");
    snprintf(f, sizeof f, "%s.std", field);
    d->b = kv_lua_opt_num(L, idx, w, "std", f, NAN, 0, false);
    if (isnan(d->b)) kv_lua_field_error(L, w, f, "missing");
    break;
  case KV_LEN_EMPIRICAL: {
    snprintf(f, sizeof f, "%s.values", field);
    if (lua_getfield(L, idx, "values") != LUA_TTABLE)
      kv_lua_field_error(L, w, f, "expected a list of token counts");
    size_t n = (size_t)luaL_len(L, -1);
    if (n == 0) kv_lua_field_error(L, w, f, "is empty");
    uint32_t *v = lua_newuserdatauv(L, n * sizeof *v, 0);
    for (size_t i = 0; i < n; i++) {
      lua_rawgeti(L, -2, (lua_Integer)i + 1);
      lua_Integer x = lua_tointeger(L, -1);
      if (x < 1 || x > UINT32_MAX)
        kv_lua_field_error(L, w, f, "entry %d must be a positive integer",
                           (int)i + 1);
      v[i] = (uint32_t)x;
      lua_pop(L, 1);
    }
    lua_remove(L, -2); /* keep the values userdata */
    d->values = v;
    d->n_values = n;
    return; /* leaves the userdata (and sub prefix) on the stack */
  }
  }
}

static const char *const arrival_kinds[] = {"poisson", "bursty", NULL};
static const char *const prefix_orders[] = {"round-robin", "random", "shuffle",
                                            NULL};

/* synthetic.prefix = { groups, system_prompt, question, prompts_per_group,
 * block, order, multi_turn, turns } at idx; lengths as read_len_dist reads
 * them (empirical values stay on the stack). */
static void read_prefix(lua_State *L, int idx, const kv_lua_where *w,
                        kv_prefix_cfg *p) {
  idx = lua_absindex(L, idx);
  /* three lengths leave up to 3 values each; prompt and output follow */
  luaL_checkstack(L, 16, "synthetic.prefix");
  if (!lua_istable(L, idx))
    kv_lua_field_error(L, w, "synthetic.prefix", "expected a table, got %s",
                       luaL_typename(L, idx));
  static const char *const keys[] = {
      "groups", "system_prompt", "question",   "prompts_per_group",
      "block",  "order",         "multi_turn", "turns",
      NULL};
  kv_lua_where pw = {w->arg, "synthetic.prefix: "};
  kv_lua_check_keys(L, idx, &pw, "prefix", keys, false);
  memset(p, 0, sizeof *p);
  p->groups = (uint32_t)kv_lua_opt_u64(
      L, idx, w, "groups", "synthetic.prefix.groups", 0, 1, UINT32_MAX);
  if (p->groups == 0)
    kv_lua_field_error(L, w, "synthetic.prefix.groups", "missing");
  static const struct {
    const char *key, *field;
    bool required;
  } lens[] = {
      {"system_prompt", "synthetic.prefix.system_prompt", true},
      {"question", "synthetic.prefix.question", true},
      {"prompts_per_group", "synthetic.prefix.prompts_per_group", false},
  };
  kv_len_dist *dst[] = {&p->system_prompt, &p->question, &p->prompts_per_group};
  for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
    lua_getfield(L, idx, lens[i].key);
    if (lua_isnil(L, -1)) {
      if (lens[i].required) kv_lua_field_error(L, w, lens[i].field, "missing");
      continue; /* prompts_per_group: no pool (fixed 0) */
    }
    read_len_dist(L, -1, w, lens[i].field, dst[i]);
  }
  p->block = (uint32_t)kv_lua_opt_u64(
      L, idx, w, "block", "synthetic.prefix.block", 16, 1, UINT32_MAX);
  const char *order = kv_lua_opt_str(L, idx, w, "order",
                                     "synthetic.prefix.order", "round-robin");
  p->order = (kv_prefix_order)kv_lua_pick(L, w, "synthetic.prefix.order", order,
                                          prefix_orders);
  p->multi_turn = kv_lua_opt_bool(L, idx, w, "multi_turn",
                                  "synthetic.prefix.multi_turn", false);
  p->turns = (uint32_t)kv_lua_opt_u64(
      L, idx, w, "turns", "synthetic.prefix.turns", 0, 1, UINT32_MAX);
  if (p->turns && !p->multi_turn)
    kv_lua_field_error(L, w, "synthetic.prefix.turns",
                       "only with multi_turn = true");
}

/* synthetic.session = { turns, think, answer_time } (docs/lua_api.md). */
static void read_session(lua_State *L, int idx, const kv_lua_where *w,
                         kv_session_cfg *ss) {
  idx = lua_absindex(L, idx);
  if (!lua_istable(L, idx))
    kv_lua_field_error(L, w, "synthetic.session", "expected a table, got %s",
                       luaL_typename(L, idx));
  static const char *const keys[] = {"turns", "think", "answer_time", NULL};
  kv_lua_where sw = {w->arg, "synthetic.session: "};
  kv_lua_check_keys(L, idx, &sw, "synthetic.session", keys, false);
  memset(ss, 0, sizeof *ss);
  ss->on = true;
  lua_getfield(L, idx, "turns");
  if (lua_isnil(L, -1))
    kv_lua_field_error(L, w, "synthetic.session.turns", "missing");
  read_len_dist(L, -1, w, "synthetic.session.turns", &ss->turns);
  lua_pop(L, 1);
  int t = lua_getfield(L, idx, "think");
  if (t == LUA_TNUMBER) {
    ss->think.kind = KV_THINK_FIXED;
    ss->think.mean = lua_tonumber(L, -1);
  } else if (t == LUA_TTABLE) {
    static const char *const tkeys[] = {"dist", "mean", "std", NULL};
    static const char *const kinds[] = {"fixed", "exponential", "lognormal",
                                        NULL};
    kv_lua_where tw = {w->arg, "synthetic.session.think: "};
    kv_lua_check_keys(L, -1, &tw, "synthetic.session.think", tkeys, false);
    const char *k = kv_lua_opt_str(
        L, -1, w, "dist", "synthetic.session.think.dist", "exponential");
    ss->think.kind = (kv_think_kind)kv_lua_pick(
        L, w, "synthetic.session.think.dist", k, kinds);
    ss->think.mean = kv_lua_opt_num(
        L, -1, w, "mean", "synthetic.session.think.mean", 0, 0, false);
    ss->think.std = kv_lua_opt_num(L, -1, w, "std",
                                   "synthetic.session.think.std", 0, 0, false);
  } else if (t != LUA_TNIL) {
    kv_lua_field_error(L, w, "synthetic.session.think",
                       "expected a number (s) or a table, got %s",
                       luaL_typename(L, -1));
  }
  lua_pop(L, 1);
  ss->answer_time = kv_lua_opt_num(
      L, idx, w, "answer_time", "synthetic.session.answer_time", 0, 0, false);
}

/* Reader options of kv.workload{ trace = ... } (docs/lua_api.md). */
static void read_trace_opts(lua_State *L, const kv_lua_where *w,
                            kv_trace_opts *o) {
  static const char *const formats[] = {
      "auto", "azure", "burstgpt", "jsonl", "mooncake", "qwen-bailian", NULL};
  static const char *const units[] = {"s", "ms", "us", NULL};
  memset(o, 0, sizeof *o);
  const char *f = kv_lua_opt_str(L, 1, w, "format", "format", "auto");
  switch (kv_lua_pick(L, w, "format", f, formats)) {
  case 1: o->format = KV_TRACE_AZURE; break;
  case 2: o->format = KV_TRACE_BURSTGPT; break;
  case 3: o->format = KV_TRACE_BLOCKHASH; break;
  case 4: o->format = KV_TRACE_BLOCKHASH; break; /* the defaults */
  case 5:
    o->format = KV_TRACE_BLOCKHASH;
    o->hash_block = 16;
    o->time_scale = 1;
    break;
  default: o->format = KV_TRACE_AUTO;
  }
  uint64_t hb =
      kv_lua_opt_u64(L, 1, w, "hash_block", "hash_block", 0, 1, UINT32_MAX);
  if (hb) o->hash_block = (uint32_t)hb;
  const char *u = kv_lua_opt_str(L, 1, w, "time_unit", "time_unit", NULL);
  if (u) {
    static const double scale[] = {1, 1e-3, 1e-6};
    o->time_scale = scale[kv_lua_pick(L, w, "time_unit", u, units)];
  }
  o->model = kv_lua_opt_str(L, 1, w, "model", "model", NULL);
  if (lua_getfield(L, 1, "fields") != LUA_TNIL) {
    if (!lua_istable(L, -1))
      kv_lua_field_error(L, w, "fields", "expected a table, got %s",
                         luaL_typename(L, -1));
    static const char *const keys[] = {"timestamp", "input", "output",
                                       "hash_ids", NULL};
    kv_lua_where fw = {w->arg, "fields: "};
    kv_lua_check_keys(L, -1, &fw, "fields", keys, false);
    o->time_field =
        kv_lua_opt_str(L, -1, w, "timestamp", "fields.timestamp", NULL);
    o->input_field = kv_lua_opt_str(L, -1, w, "input", "fields.input", NULL);
    o->output_field = kv_lua_opt_str(L, -1, w, "output", "fields.output", NULL);
    o->hash_field =
        kv_lua_opt_str(L, -1, w, "hash_ids", "fields.hash_ids", NULL);
  }
  lua_pop(L, 1);
}

static int workload_gc(lua_State *L) {
  kv_workload *w = kv_lua_checkworkload(L, 1);
  kv_workload_free(w);
  kv_workload_init(w);
  return 0;
}

/* on_off = { period = s, on = s, phase = s }: kv_workload_gate. */
static void read_on_off(lua_State *L, const kv_lua_where *w, kv_workload *u) {
  if (lua_getfield(L, 1, "on_off") == LUA_TNIL) {
    lua_pop(L, 1);
    return;
  }
  int t = lua_gettop(L);
  if (!lua_istable(L, t))
    kv_lua_field_error(L, w, "on_off", "expected a table, got %s",
                       luaL_typename(L, t));
  static const char *const keys[] = {"period", "on", "phase", NULL};
  kv_lua_check_keys(L, t, w, "on_off", keys, false);
  double period =
      kv_lua_opt_num(L, t, w, "period", "on_off.period", NAN, 0, true);
  double on = kv_lua_opt_num(L, t, w, "on", "on_off.on", NAN, 0, true);
  double phase = kv_lua_opt_num(L, t, w, "phase", "on_off.phase", 0, 0, false);
  if (isnan(period) || isnan(on))
    kv_lua_field_error(L, w, "on_off", "give 'period' and 'on' (seconds)");
  if (on > period)
    kv_lua_field_error(L, w, "on_off.on", "%g s is longer than the period %g s",
                       on, period);
  kv_workload_gate(u, period, on, phase);
  lua_pop(L, 1);
}

int kv_lua_workload_new(lua_State *L) {
  kv_lua_where w = {1, ""};
  kv_error e = {0};
  luaL_checktype(L, 1, LUA_TTABLE);
  static const char *const keys[] = {
      "trace", "preset",  "synthetic", "seed",       "first",
      "count", "speedup", "format",    "hash_block", "time_unit",
      "model", "fields",  "on_off",    "shift",      NULL};
  kv_lua_check_keys(L, 1, &w, "workload", keys, false);
  const char *trace = kv_lua_opt_str(L, 1, &w, "trace", "trace", NULL);
  const char *preset = kv_lua_opt_str(L, 1, &w, "preset", "preset", NULL);
  bool synth = lua_getfield(L, 1, "synthetic") != LUA_TNIL;
  lua_pop(L, 1);
  if ((trace != NULL) + (preset != NULL) + synth != 1)
    kv_lua_field_error(L, &w, NULL,
                       "give exactly one of 'trace', 'preset', 'synthetic'");
  kv_trace_opts topts;
  read_trace_opts(L, &w, &topts);
  if (!trace && (topts.format != KV_TRACE_AUTO || topts.hash_block ||
                 topts.time_scale != 0 || topts.model || topts.time_field ||
                 topts.input_field || topts.output_field || topts.hash_field))
    kv_lua_field_error(L, &w, NULL,
                       "format, hash_block, time_unit, model and fields are "
                       "options of 'trace'");
  uint64_t seed = kv_lua_opt_u64(L, 1, &w, "seed", "seed", 1, 0, UINT64_MAX);
  uint64_t first =
      kv_lua_opt_u64(L, 1, &w, "first", "first", 0, 0, UINT64_MAX >> 1);
  uint64_t count =
      kv_lua_opt_u64(L, 1, &w, "count", "count", 0, 1, UINT64_MAX >> 1);
  double speedup = kv_lua_opt_num(L, 1, &w, "speedup", "speedup", 1.0, 0, true);

  kv_workload *u = lua_newuserdatauv(L, sizeof *u, 0);
  kv_workload_init(u);
  luaL_setmetatable(L, KV_LUA_WORKLOAD);
  int ud = lua_gettop(L);
  kv_status st;
  if (trace) {
    st = kv_workload_load_opts(trace, &topts, u, &e);
    if (st != KV_OK) kv_lua_field_error(L, &w, "trace", "%s", e.msg);
  } else if (preset) {
    st = kv_workload_preset(preset, seed, u, &e);
    if (st != KV_OK) kv_lua_field_error(L, &w, "preset", "%s", e.msg);
  } else {
    lua_getfield(L, 1, "synthetic");
    int t = lua_gettop(L);
    if (!lua_istable(L, t))
      kv_lua_field_error(L, &w, "synthetic", "expected a table, got %s",
                         luaL_typename(L, t));
    static const char *const skeys[] = {
        "rate",   "n",      "duration", "arrival", "cv",
        "prompt", "output", "prefix",   "session", NULL};
    kv_lua_where sw = {1, "synthetic: "};
    kv_lua_check_keys(L, t, &sw, "synthetic", skeys, false);
    kv_synth_cfg c;
    memset(&c, 0, sizeof c);
    const char *arr =
        kv_lua_opt_str(L, t, &w, "arrival", "synthetic.arrival", "poisson");
    c.arrival = (kv_arrival_kind)kv_lua_pick(L, &w, "synthetic.arrival", arr,
                                             arrival_kinds);
    c.rate = kv_lua_opt_num(L, t, &w, "rate", "synthetic.rate", NAN, 0, true);
    if (isnan(c.rate)) kv_lua_field_error(L, &w, "synthetic.rate", "missing");
    c.cv = kv_lua_opt_num(L, t, &w, "cv", "synthetic.cv", 1.0, 0, true);
    c.n =
        (size_t)kv_lua_opt_u64(L, t, &w, "n", "synthetic.n", 0, 1, UINT32_MAX);
    c.duration =
        kv_lua_opt_num(L, t, &w, "duration", "synthetic.duration", 0, 0, false);
    if (c.n == 0 && !(c.duration > 0))
      kv_lua_field_error(L, &w, "synthetic", "give 'n' or 'duration'");
    bool prefix = lua_getfield(L, t, "prefix") != LUA_TNIL;
    if (prefix) read_prefix(L, -1, &w, &c.prefix);
    if (lua_getfield(L, t, "session") != LUA_TNIL)
      read_session(L, -1, &w, &c.session);
    lua_pop(L, 1);
    lua_getfield(L, t, "prompt");
    if (prefix && !lua_isnil(L, -1))
      kv_lua_field_error(L, &w, "synthetic.prompt",
                         "not used with 'prefix' (a prompt is its group's "
                         "system_prompt + a question)");
    if (!prefix && lua_isnil(L, -1))
      kv_lua_field_error(L, &w, "synthetic.prompt", "missing");
    if (!prefix) read_len_dist(L, -1, &w, "synthetic.prompt", &c.prompt);
    lua_getfield(L, t, "output");
    if (lua_isnil(L, -1))
      kv_lua_field_error(L, &w, "synthetic.output", "missing");
    read_len_dist(L, -1, &w, "synthetic.output", &c.output);
    st = kv_workload_synthetic(&c, seed, u, &e);
    if (st != KV_OK) kv_lua_field_error(L, &w, "synthetic", "%s", e.msg);
  }
  if (first > 0 && first >= u->n)
    kv_lua_field_error(L, &w, "first", "%llu is past the last request (%llu)",
                       (unsigned long long)first, (unsigned long long)u->n);
  if (first > 0 || (count > 0 && count < u->n - first))
    kv_workload_slice(u, (size_t)first,
                      count ? (size_t)KV_MIN(count, u->n - first)
                            : u->n - (size_t)first);
  if (speedup != 1.0) kv_workload_scale_rate(u, speedup);
  read_on_off(L, &w, u);
  double shift = kv_lua_opt_num(L, 1, &w, "shift", "shift", 0, 0, false);
  if (shift > 0) kv_workload_shift(u, shift);
  if (u->n == 0) kv_lua_field_error(L, &w, NULL, "the workload is empty");
  lua_settop(L, ud);
  return 1;
}

static int workload_len(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)kv_lua_checkworkload(L, 1)->n);
  return 1;
}

static int workload_stats(lua_State *L) {
  const kv_workload *w = kv_lua_checkworkload(L, 1);
  kv_workload_stats s;
  kv_workload_stats_compute(w, &s);
  lua_createtable(L, 0, 12);
  lua_pushinteger(L, (lua_Integer)s.n);
  lua_setfield(L, -2, "n");
  /* rows a reader skipped (BurstGPT) and bytes held (docs/inputs.md) */
  lua_pushinteger(L, (lua_Integer)w->skipped_failed);
  lua_setfield(L, -2, "skipped_failed");
  lua_pushinteger(L, (lua_Integer)w->skipped_model);
  lua_setfield(L, -2, "skipped_model");
  lua_pushinteger(L, (lua_Integer)w->skipped_empty);
  lua_setfield(L, -2, "skipped_empty");
  lua_pushinteger(L, (lua_Integer)kv_workload_bytes(w));
  lua_setfield(L, -2, "bytes");
  const struct {
    const char *name;
    double v;
  } f[] = {
      {"duration", s.duration},
      {"rate", s.rate},
      {"interarrival_cv", s.interarrival_cv},
      {"prompt_mean", s.prompt_mean},
      {"prompt_p50", s.prompt_p50},
      {"prompt_p99", s.prompt_p99},
      {"prompt_max", s.prompt_max},
      {"output_mean", s.output_mean},
      {"output_p50", s.output_p50},
      {"output_p99", s.output_p99},
      {"output_max", s.output_max},
  };
  for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
    lua_pushnumber(L, f[i].v);
    lua_setfield(L, -2, f[i].name);
  }
  return 1;
}

/* Columnar copy: { arrival = {...}, prompt = {...}, output = {...} }. */
static int workload_requests(lua_State *L) {
  const kv_workload *w = kv_lua_checkworkload(L, 1);
  lua_createtable(L, 0, 3);
  lua_createtable(L, (int)w->n, 0);
  lua_createtable(L, (int)w->n, 0);
  lua_createtable(L, (int)w->n, 0);
  for (size_t i = 0; i < w->n; i++) {
    lua_pushnumber(L, w->reqs[i].arrival);
    lua_rawseti(L, -4, (lua_Integer)i + 1);
    lua_pushinteger(L, w->reqs[i].prompt);
    lua_rawseti(L, -3, (lua_Integer)i + 1);
    lua_pushinteger(L, w->reqs[i].output);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_setfield(L, -4, "output");
  lua_setfield(L, -3, "prompt");
  lua_setfield(L, -2, "arrival");
  if (w->session) { /* synthetic sessions: each request's session, from 0 */
    lua_createtable(L, (int)w->n, 0);
    for (size_t i = 0; i < w->n; i++) {
      lua_pushinteger(L, w->session[i]);
      lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "session");
  }
  return 1;
}

/* w:ids(i) -> the prompt's hash ids of request i (1-based), and the ids of
 * the blocks its output completes (a second list; empty for traces);
 * nil when the workload has no hash ids. */
static int workload_ids(lua_State *L) {
  const kv_workload *w = kv_lua_checkworkload(L, 1);
  lua_Integer i = luaL_checkinteger(L, 2);
  luaL_argcheck(L, i >= 1 && (size_t)i <= w->n, 2,
                "request index out of range");
  const kv_request_spec *q = &w->reqs[i - 1];
  if (!w->hash_bytes) {
    lua_pushnil(L);
    return 1;
  }
  size_t n = (size_t)q->hash_n + q->gen_n;
  uint32_t *ids = lua_newuserdatauv(L, (n ? n : 1) * sizeof *ids, 0);
  kv_workload_ids(w, (size_t)i - 1, ids);
  lua_createtable(L, (int)q->hash_n, 0);
  for (uint32_t k = 0; k < q->hash_n; k++) {
    lua_pushinteger(L, ids[k]);
    lua_rawseti(L, -2, (lua_Integer)k + 1);
  }
  lua_createtable(L, (int)q->gen_n, 0);
  for (uint32_t k = 0; k < q->gen_n; k++) {
    lua_pushinteger(L, ids[q->hash_n + k]);
    lua_rawseti(L, -2, (lua_Integer)k + 1);
  }
  return 2;
}

static int workload_index(lua_State *L) {
  const kv_workload *w = kv_lua_checkworkload(L, 1);
  const char *k = luaL_checkstring(L, 2);
  if (strcmp(k, "source") == 0)
    lua_pushstring(L, w->source);
  else if (strcmp(k, "n") == 0)
    lua_pushinteger(L, (lua_Integer)w->n);
  else if (strcmp(k, "stats") == 0)
    lua_pushcfunction(L, workload_stats);
  else if (strcmp(k, "requests") == 0)
    lua_pushcfunction(L, workload_requests);
  else if (strcmp(k, "ids") == 0)
    lua_pushcfunction(L, workload_ids);
  else if (strcmp(k, "block") == 0)
    lua_pushinteger(L, (lua_Integer)w->hash_block_tokens);
  else
    return luaL_error(L, "kvsim.workload has no field '%s'", k);
  return 1;
}

static int workload_tostring(lua_State *L) {
  const kv_workload *w = kv_lua_checkworkload(L, 1);
  lua_pushfstring(L, "kvsim.workload %s (%I requests)", w->source,
                  (lua_Integer)w->n);
  return 1;
}

static const luaL_Reg workload_meta[] = {
    {"__index", workload_index},       {"__len", workload_len},
    {"__tostring", workload_tostring}, {"__gc", workload_gc},
    {"__close", workload_gc},          {NULL, NULL}};

void kv_lua_open_workload(lua_State *L) {
  luaL_newmetatable(L, KV_LUA_WORKLOAD);
  luaL_setfuncs(L, workload_meta, 0);
  lua_pop(L, 1);
}
