/* lua_kvsim.h - the Lua binding of kvsim: `require "kvsim"`.
 *
 * The C part is the module "kvsim.core" (models, platforms, workloads,
 * runs, sweeps, directory creation); scripts/kvsim/init.lua builds the
 * public module "kvsim" on top of it and adds the helpers written in Lua
 * (trace lookup, tables, CSV/JSON writers, gnuplot). A host opens both with
 * kv_lua_openlibs(). docs/lua_api.md documents the API.
 *
 * The binding never prints and never exits. What only a host can do (say
 * which backends it links, report progress on a terminal, catch Ctrl-C) it
 * hands in
 * through the kv_lua_set_* functions below; their state lives in the
 * lua_State's registry, not in globals.
 * Main entry points: kv_lua_openlibs(), luaopen_kvsim_core().
 */
#ifndef KV_LUA_KVSIM_H
#define KV_LUA_KVSIM_H

#include <stddef.h>

#include <lua.h>

#include "backend_desc.h"

#define KV_LUA_VERSION "kvsim 0.1.0"

/* Progress of one run: label, simulated seconds, requests done / total.
 * Called with label == NULL once the runs of a call have ended (a host
 * that draws an updating line clears it then). */
typedef void (*kv_lua_progress_fn)(void *ud, const char *label, double sim_t,
                                   size_t done, size_t total);

/* Open "kvsim.core" into package.preload and put `scripts_dir` (NULL = the
 * source tree's scripts/) first on package.path, so that `require "kvsim"`
 * finds scripts/kvsim/init.lua. Needs the standard libraries opened. */
void kv_lua_openlibs(lua_State *L, const char *scripts_dir);

/* Push msg and a traceback of L from `level` on, as luaL_traceback does,
 * but naming each function by its call site (field, local, method ...)
 * only: luaL_traceback looks C functions up in package.loaded, whose order
 * is a hash order that changes from run to run, so the same error could
 * print "kvsim.workload" once and "kvsim.core.workload" the next time. */
void kv_lua_traceback(lua_State *L, const char *msg, int level);

/* The scripts directory compiled in (<source dir>/scripts). */
const char *kv_lua_default_scripts_dir(void);

/* The C module (what require "kvsim.core" returns). */
int luaopen_kvsim_core(lua_State *L);

/* A backend the host offers by name: its descriptor (backend_desc.h), or
 * NULL for one it knows but was built without (kv.run then says so). */
typedef struct kv_lua_backend {
  const char *name;
  const kv_backend_desc *desc;
} kv_lua_backend;

/* The backends of kv.run, kv.sweep and kv.time_ops: list[0..n), kept (not
 * copied), and the default of kv.run and kv.sweep (`dflt`, one of them).
 * A backend's index in the list goes into run hashes (run files): append
 * new ones. Without a call: the ideal backend alone. */
void kv_lua_set_backends(lua_State *L, const kv_lua_backend *list, size_t n,
                         const char *dflt);

/* Flag set asynchronously (SIGINT): runs stop at a safe point between steps
 * and the call raises "interrupted". NULL = none. */
void kv_lua_set_interrupt(lua_State *L, volatile int *flag);

/* Progress sink for long runs (NULL = none), called about every
 * `every` simulated seconds. */
void kv_lua_set_progress(lua_State *L, kv_lua_progress_fn fn, void *ud,
                         double every);

/* Seconds on a monotonic wall clock. The binding never reads a clock
 * itself: with one registered, each result's summary.wall_time says how
 * long its run took (absent without one). */
typedef double (*kv_lua_clock_fn)(void *ud);
void kv_lua_set_clock(lua_State *L, kv_lua_clock_fn fn, void *ud);

/* A run of kv.sweep failed while the others went on: its label and error
 * message. The sweep returns the finished runs and lists the failed ones
 * in results.failed; the host reports each failure (the binding never
 * prints) and may make the script's end an error (kvsim exits 1). */
typedef void (*kv_lua_failure_fn)(void *ud, const char *label, const char *msg);
void kv_lua_set_failure(lua_State *L, kv_lua_failure_fn fn, void *ud);

/* Runs of kv.sweep that failed so far in this state. */
size_t kv_lua_failed_runs(lua_State *L);

#endif
