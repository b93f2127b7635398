/* lua_internal.h - what the files of the Lua binding (core/lua/lua_*.c) share:
 * the per-state context, the userdata types and the helpers that read
 * option tables and raise errors naming the field at fault.
 * Not a public header: hosts include lua_kvsim.h.
 */
#ifndef KV_LUA_INTERNAL_H
#define KV_LUA_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <lauxlib.h>
#include <lua.h>

#include "lua_kvsim.h"
#include "metrics.h"
#include "model.h"
#include "platform.h"
#include "strategy.h"
#include "workload.h"

#define KV_LUA_MODEL "kvsim.model"
#define KV_LUA_PLATFORM "kvsim.platform"
#define KV_LUA_WORKLOAD "kvsim.workload"

/* What the host registered (lua_kvsim.h), one per lua_State, kept in the
 * registry. */
typedef struct kv_lua_ctx {
  volatile int *interrupt;
  kv_lua_progress_fn progress;
  void *progress_ud;
  double progress_every;
  const kv_lua_backend *backends; /* kv_lua_set_backends() */
  size_t n_backends;
  const char *default_backend;
  kv_lua_clock_fn clock; /* summary.wall_time (NULL = none) */
  void *clock_ud;
  kv_lua_failure_fn failure; /* a run of a sweep failed (NULL = none) */
  void *failure_ud;
  size_t failed_runs; /* sweep runs that failed so far */
} kv_lua_ctx;

kv_lua_ctx *kv_lua_ctx_get(lua_State *L);

/* A platform plus the storage its strings point into. */
typedef struct kv_lua_platform {
  kv_platform p;
  char source[1024];
  char xml[1024]; /* SimGrid XML platform file, "" = build from p */
} kv_lua_platform;

kv_model *kv_lua_checkmodel(lua_State *L, int idx);
kv_lua_platform *kv_lua_checkplatform(lua_State *L, int idx);
kv_workload *kv_lua_checkworkload(lua_State *L, int idx);

/* Where an option table sits, for error messages: argument `arg` of the
 * running C function, and a prefix such as "run 2: " (may be ""). Errors
 * read "bad argument #1 to 'run' (run 2: field 'strategy.block_tokens':
 * must be a positive integer, got 0)". */
typedef struct kv_lua_where {
  int arg;
  const char *prefix;
} kv_lua_where;

int kv_lua_field_error(lua_State *L, const kv_lua_where *w, const char *field,
                       const char *fmt, ...);

/* Raise for the alphabetically first key of the table at `idx` that is not
 * in `allowed` (NULL-terminated); integer key 1 passes when `positional`.
 * `what` names the table in the message ("strategy"). */
void kv_lua_check_keys(lua_State *L, int idx, const kv_lua_where *w,
                       const char *what, const char *const *allowed,
                       bool positional);

/* Read optional fields of the table at `idx`; absent (nil) = `dflt`.
 * Integers accept integral floats (2^21). `min` bounds from below. */
uint64_t kv_lua_opt_u64(lua_State *L, int idx, const kv_lua_where *w,
                        const char *key, const char *field, uint64_t dflt,
                        uint64_t min, uint64_t max);
double kv_lua_opt_num(lua_State *L, int idx, const kv_lua_where *w,
                      const char *key, const char *field, double dflt,
                      double min, bool min_exclusive);
const char *kv_lua_opt_str(lua_State *L, int idx, const kv_lua_where *w,
                           const char *key, const char *field,
                           const char *dflt);
bool kv_lua_opt_bool(lua_State *L, int idx, const kv_lua_where *w,
                     const char *key, const char *field, bool dflt);

/* Pick `got` among `names` (NULL-terminated): its index, or raise
 * "field 'x': invalid x 'got' (valid: a, b)". */
int kv_lua_pick(lua_State *L, const kv_lua_where *w, const char *field,
                const char *got, const char *const *names);

/* ---- backends (core/lua/lua_backend.c) ---- */

/* The index in the host's backends of the one named `name` (raises for a
 * name it does not offer or a backend it was built without). */
size_t kv_lua_backend_pick(lua_State *L, const kv_lua_where *w,
                           const char *field, const char *name);

/* kv_lua_check_keys for a run table: run_keys and the option keys of the
 * host's backends (platform_xml aside: it comes from kv.platform). */
void kv_lua_check_run_keys(lua_State *L, int t, const kv_lua_where *w,
                           const char *const *run_keys);

/* The run table at t's backend (its index in the host's backends; `dflt`
 * when t names none, NULL: the host's default) and its
 * options, parsed by its descriptor from t; `xml` is the platform's SimGrid
 * XML file (NULL = none), refused by a backend that does not read it. The
 * options belong to a userdata appended to the table at `anchor`. Raises
 * naming the field at fault. */
size_t kv_lua_backend_read(lua_State *L, int t, int anchor,
                           const kv_lua_where *w, const char *dflt,
                           const char *xml, const kv_backend_desc **desc,
                           const kv_backend_opts **opts);

/* Metrics whose unit is a count or bytes (req, step, tok, call, run,
 * entry, block, B) are whole by nature: kv_lua_push_count pushes such a
 * value as an integer when it is integral (and exact in a double), any
 * other value as a float. Times and ratios stay floats. */
bool kv_lua_count_unit(const char *unit);
/* A strategy option's value in cfg as Lua shows it: a boolean, an enum's
 * name, or an integer. */
void kv_lua_push_strategy_opt(lua_State *L, const kv_strategy_cfg *cfg,
                              const kv_strategy_opt *o);
void kv_lua_push_count(lua_State *L, double v);
/* Set the n metrics m of record rec (a kv_summary, ...) as fields of the
 * table on top of the stack, in list order, counts as above. */
void kv_lua_set_metrics(lua_State *L, const kv_metric_info *m, size_t n,
                        const void *rec);

/* Push a NULL-terminated list of strings as a Lua sequence. */
void kv_lua_push_names(lua_State *L, const char *const *names);

/* kv.workload{...} (core/lua/lua_workload.c), and the workload
 * userdata's metatable, made once when the module opens. */
int kv_lua_workload_new(lua_State *L);
void kv_lua_open_workload(lua_State *L);

/* Add sweep (core/lua/lua_run.c) to the module table on the top. */
void kv_lua_open_run(lua_State *L);
/* kv.run(cfg) of one engine (core/lua/lua_run.c), the run table at index 1;
 * kv.run itself (lua_kvsim.c) picks it or kv_lua_run_models. */
int kv_lua_run_engine(lua_State *L);
/* kv.time_ops (core/lua/lua_bench.c). */
void kv_lua_open_bench(lua_State *L);
/* kv.read_json, kv.json_decode (core/lua/lua_json.c). */
void kv_lua_open_json(lua_State *L);

/* Tiering options of a run table (core/lua/lua_policy.c): tier, prefix_sharing
 * and policy = { evict, admit, prefetch, compact } (Lua functions, anchored
 * in the table at `anchor`). Raises for bad values. */
struct kv_engine_cfg;
struct kv_result;
void kv_lua_policy_parse(lua_State *L, int t, int anchor, const kv_lua_where *w,
                         struct kv_engine_cfg *cfg);
/* Push a result's tiering outcomes (kv_result.tier) as a table. */
void kv_lua_policy_push_result(lua_State *L, const struct kv_result *r);

/* ---- several models on one GPU (core/lua/lua_multimodel.c) ---- */

/* lua_run.c: read the run table at t as kv.run reads it (ideal backend, one
 * replica), into storage anchored in the table at `anchor`. */
const struct kv_engine_cfg *kv_lua_read_engine(lua_State *L, int t, int anchor,
                                               const kv_lua_where *w);
/* lua_run.c: push the result table kv.run gives for a run read by
 * kv_lua_read_engine (cfg), reporting `ran` (what the driver ran). */
void kv_lua_push_engine_result(lua_State *L, const struct kv_engine_cfg *cfg,
                               const struct kv_engine_cfg *ran,
                               const struct kv_result *r);
/* kv.run{ models = {...}, memory = ... } with the run table at index 1. */
int kv_lua_run_models(lua_State *L);

#endif
