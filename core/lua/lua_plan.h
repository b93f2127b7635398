/* lua_plan.h - every run of an experiment addressable: the host API of
 * kv.sweep / kv.run's plan modes (docs/sweeps.md).
 *
 * An experiment script runs unchanged. Each call of kv.sweep or kv.run is a
 * round of runs; run indices count from 0 over all the calls the script
 * makes, in order. Before a call is carried out, each of its runs gets the
 * hash of its resolved configuration, and its run file DIR/run-IIIII-HASH.json
 * is looked for. A call whose runs all have their file is answered from the
 * files (the results as the runs returned them, byte for byte), so the
 * script goes on to its next call; the first call with a run lacking its
 * file stops the script (list, run) or is an error (merge). Adaptive
 * experiments (a call built from earlier results) thus advance round by
 * round: --list shows the current round.
 *   LIST   record every run reached, with its status; stop at the first
 *          incomplete call.
 *   RUN    at the first call holding a selected run that has no file (or
 *          any selected run, with force), run those, write their files and
 *          stop; complete calls are answered from their files.
 *   MERGE  answer every call from the files (an incomplete call raises, or
 *          stops the script with stop_incomplete).
 * Main entry points: kv_lua_set_plan(), kv_lua_get_plan_outcome().
 */
#ifndef KV_LUA_PLAN_H
#define KV_LUA_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include <lua.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum kv_plan_mode {
  KV_PLAN_OFF,
  KV_PLAN_LIST,
  KV_PLAN_RUN,
  KV_PLAN_MERGE,
} kv_plan_mode;

/* One run as the plan sees it (strings live until the callback returns). */
typedef struct kv_lua_plan_run {
  size_t index;       /* over the whole script, from 0 */
  size_t call;        /* which kv.sweep / kv.run call, from 1 */
  const char *hash;   /* 16 hex digits */
  const char *label;  /* the run's label */
  const char *file;   /* its run file */
  const char *status; /* "done", "todo" (list); "wrote", "failed",
                         "skipped" (run) */
  const char *error;  /* "failed": why */
  double wall;        /* "wrote": seconds the run took (-1: no clock) */
} kv_lua_plan_run;

typedef void (*kv_lua_plan_fn)(void *ud, const kv_lua_plan_run *r);

typedef struct kv_lua_plan_opts {
  kv_plan_mode mode;
  const char *dir;      /* run files (created when missing) */
  const char *script;   /* recorded in run files */
  long run;             /* RUN: this index, or -1 */
  long shard_k;         /* RUN without run: indices i with i % shard_n == */
  long shard_n;         /*   shard_k */
  bool force;           /* RUN: run selected runs even when their file exists */
  bool stop_incomplete; /* MERGE: stop at an incomplete call, no error */
  kv_lua_plan_fn note;  /* every run listed, written, failed or skipped */
  void *note_ud;
} kv_lua_plan_opts;

/* Copies opts (and its strings). Call before running the script. */
void kv_lua_set_plan(lua_State *L, const kv_lua_plan_opts *opts);

typedef struct kv_lua_plan_outcome {
  bool stopped;       /* the script was stopped at an incomplete call */
  size_t calls;       /* kv.sweep / kv.run calls reached */
  size_t runs;        /* runs in them */
  size_t round_first; /* stopped: the stopping call's runs are */
  size_t round_n;     /*   round_first .. round_first + round_n - 1 */
  size_t round_done;  /*   of which this many have their file */
  char where[256];    /* stopped: "script.lua:LINE" of that call */
  size_t wrote, failed, skipped, selected; /* RUN */
} kv_lua_plan_outcome;

void kv_lua_get_plan_outcome(lua_State *L, kv_lua_plan_outcome *out);

/* Whether the plan stopped the script (its error is then no failure). */
bool kv_lua_plan_stopped(lua_State *L);

/* The kvsim commit the build knows ("" when unknown). */
const char *kv_lua_plan_commit(void);

#ifdef __cplusplus
}
#endif

#endif
