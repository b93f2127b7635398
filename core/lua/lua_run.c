/* lua_run.c - kv.run and kv.sweep: read run tables into kv_run_spec, run
 * them (in this process for the ideal backend, in forked children through
 * kv_sweep_run for SimGrid or when asked for several), and return each
 * result as a Lua table (summary, columnar timeline, optional requests).
 * kv.run raises when its run fails; kv.sweep returns the runs that finished
 * and lists the failed ones in results.failed (and tells the host).
 * Main entry points: kv_lua_run_engine() (kv.run of one engine),
 * kv_lua_open_run() (adds sweep to the module).
 */
#include "lua_run_item.h"

#include "engine.h"
#include "lua_plan.h"
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
  /* settings added after version 6's, only when set (runs without them keep
   * their hashes) */
  if (e->offload_bytes) {
    h = fnv_str(h, "offload_bytes");
    h = fnv(h, &e->offload_bytes, sizeof e->offload_bytes);
  }
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
  kv_lua_push_options(L, it);
  json_object_set_new(j, "options", lua_json(L, -1, 0));
  lua_pop(L, 1);
  json_object_set_new(j, "wall_time",
                      wall >= 0 ? json_real(wall) : json_null());
  kv_lua_push_summary(L, &agg->summary, -1);
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
      lua_pushinteger(L, (lua_Integer)i + 1);
      lua_setfield(L, -2, "run");
      lua_pushstring(L, it->label);
      lua_setfield(L, -2, "label");
      lua_pushstring(L, b->errs[i].msg);
      lua_setfield(L, -2, "error");
      lua_rawseti(L, -2, ++nfailed);
      ctx->failed_runs++;
      if (ctx->failure)
        ctx->failure(ctx->failure_ud, it->label, b->errs[i].msg);
      continue;
    }
    kv_lua_push_item(L, it, b->r[i]);
    if (sweep) {
      lua_pushinteger(L, (lua_Integer)i + 1);
      lua_setfield(L, -2, "run");
    }
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
  kv_lua_read_run(L, t, anchor, w, kv_lua_ctx_get(L), it);
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
  kv_lua_push_result(L, &tmp, r, it->label, -1);
}

int kv_lua_run_engine(lua_State *L) {
  kv_lua_ctx *ctx = kv_lua_ctx_get(L);
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  lua_newtable(L); /* 2: anchor */
  run_item *it = lua_newuserdatauv(L, sizeof *it, 0);
  kv_lua_where w = {1, ""};
  kv_lua_read_run(L, 1, 2, &w, ctx, it);
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
    kv_lua_read_run(L, -2, 3, &w, ctx, &items[i]);
    lua_pop(L, 2);
  }
  run_items(L, items, n, jobs, false, true);
  return 1;
}

static const luaL_Reg run_funcs[] = {{"sweep", l_sweep}, {NULL, NULL}};

void kv_lua_open_run(lua_State *L) {
  luaL_setfuncs(L, run_funcs, 0);
}
