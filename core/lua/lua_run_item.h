/* lua_run_item.h - private to kv.run and kv.sweep (core/lua/lua_run.c): one
 * run as its Lua table describes it (read by lua_run_read.c) and as its
 * result goes back to Lua (pushed by lua_run_push.c). lua_run.c runs the
 * items, in this process or in forked children, and keeps the plan modes.
 * Main entry points: kv_lua_read_run(), kv_lua_push_item().
 */
#ifndef KV_LUA_RUN_ITEM_H
#define KV_LUA_RUN_ITEM_H

#include "lua_internal.h"

#include "engine.h"
#include "replicas.h"
#include "run_spec.h"

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

/* Names of the run table's enums, in the order of their C types. */
extern const char *const kv_lua_preempt_names[];     /* kv_preempt_mode */
extern const char *const kv_lua_dispatch_names[];    /* kv_dispatch */
extern const char *const kv_lua_long_prompt_names[]; /* kv_long_prompt */

/* Read the run table at t into it (raises, naming the field, on bad
 * input); userdata it makes are anchored in the table at `anchor`. */
void kv_lua_read_run(lua_State *L, int t, int anchor, const kv_lua_where *w,
                     kv_lua_ctx *ctx, run_item *it);

/* The options the run used, as result files record them (a table). */
void kv_lua_push_options(lua_State *L, const run_item *it);

/* A run's summary as a table (metrics with their units; wall < 0: none). */
void kv_lua_push_summary(lua_State *L, const kv_summary *s, double wall);

/* One result table (label, configuration, options, summary, timeline,
 * tier, requests when asked for) of run `it`. */
void kv_lua_push_result(lua_State *L, const run_item *it, const kv_result *r,
                        const char *label, double wall);

/* Run it's result table: the aggregate, with each replica's own result in
 * .replicas when it has several. */
void kv_lua_push_item(lua_State *L, const run_item *it, kv_result *res);

#endif
