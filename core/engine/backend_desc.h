/* backend_desc.h - how a backend makes itself known: a typed descriptor.
 *
 * A descriptor is a const struct of function pointers, like a strategy's
 * vtable: its name, the options it takes and how it parses them (from a
 * Lua run table or from command-line words, through one kv_opt_source),
 * how it checks a run against them, and how it creates a backend for a run
 * (destroyed through the backend's own vtable). A backend that can run
 * several engine replicas in one simulation adds the replicas extension
 * (backend_replicas.h).
 *
 * Options travel as a kv_backend_opts: an opaque value tagged with the
 * descriptor that parsed it, holding that descriptor's own struct. A
 * descriptor reads only options tagged with itself (kv_backend_opts_get):
 * a run whose options came from another descriptor fails with a clear
 * error instead of misreading them.
 *
 * core knows one backend, the ideal one (kv_backend_ideal_desc). The others
 * (sim/, gpu/) are listed by the program that links them: a registry such
 * as cli/backends.c hands the list to the Lua binding (lua_kvsim.h).
 * Main entry points: kv_backend_opts_new(), kv_backend_opts_parse(),
 * kv_backend_create().
 */
#ifndef KV_BACKEND_DESC_H
#define KV_BACKEND_DESC_H

#include <stddef.h>
#include <stdint.h>

#include "backend.h"
#include "backend_replicas.h"
#include "engine.h"
#include "kv_error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Where options come from. get() sets *value to option `key` as a string,
 * or NULL when it is absent; a value that cannot be read as a string fails
 * with KV_EINVAL. Keys are spelled as in Lua ("copy_order"); a command-line
 * source spells them "--copy-order". */
typedef struct kv_opt_source {
  kv_status (*get)(void *ud, const char *key, const char **value,
                   kv_error *err);
  void *ud;
} kv_opt_source;

/* Command-line words argv[0..argc) as an option source: "--key value" or
 * "--key=value", with '_' in a key written '-'. The words must outlive it. */
typedef struct kv_opt_argv {
  int argc;
  char *const *argv;
} kv_opt_argv;
kv_opt_source kv_opt_source_argv(kv_opt_argv *a);

#define KV_BACKEND_DESC_VERSION 1u

typedef struct kv_backend_desc kv_backend_desc;
struct kv_backend_desc {
  uint32_t version; /* KV_BACKEND_DESC_VERSION */
  const char *name; /* what kv.run{ backend = } names it by */
  /* Option keys opts_parse reads (NULL-terminated; NULL = none). */
  const char *const *keys;
  /* Size of this descriptor's options struct (0 = no options). */
  size_t opts_size;
  /* Fill `o` (opts_size zeroed bytes) with the defaults. NULL = zeros. */
  void (*opts_defaults)(void *o);
  /* Read the options `src` gives into `o` (defaults already in). A bad
   * value: KV_EINVAL with *key = the key at fault. NULL = takes none. */
  kv_status (*opts_parse)(void *o, const kv_opt_source *src, const char **key,
                          kv_error *err);
  /* Free what opts_parse allocated inside `o` (not `o`). NULL = nothing. */
  void (*opts_free)(void *o);
  /* Whether a run (its engine configuration, `replicas` engine replicas)
   * can run on this backend with options `o`: KV_EINVAL with *key = the
   * run key at fault. NULL = any. */
  kv_status (*check)(const void *o, const kv_engine_cfg *cfg, size_t replicas,
                     const char **key, kv_error *err);
  /* Stable words that identify the options in run hashes (run files are
   * named by them: keep them as they are once released). NULL = none. */
  void (*opts_ident)(const void *o, uint32_t words[2], const char **text);
  /* The backend of one run (cfg->backend is NULL), in the process that runs
   * it; `o` is this descriptor's options (NULL when opts_size is 0).
   * Destroyed by
   * b->vt->destroy(b). */
  kv_backend *(*create)(const kv_engine_cfg *cfg, const void *o, kv_error *err);
  /* The replicas extension (backend_replicas.h), or NULL. */
  kv_backend_run_replicas_fn run_replicas;
  /* A part of a replicas run, for shards (backend_replicas.h), or NULL. */
  kv_backend_run_part_fn run_replicas_part;
};

/* The ideal backend (core/engine/backend_ideal.c): no options, replicas run one
 * after the other. */
extern const kv_backend_desc kv_backend_ideal_desc;

/* Options of `d`, set to its defaults; free with kv_backend_opts_free(). */
typedef struct kv_backend_opts kv_backend_opts;
kv_backend_opts *kv_backend_opts_new(const kv_backend_desc *d);
void kv_backend_opts_free(kv_backend_opts *o);
/* The descriptor `o` belongs to. */
const kv_backend_desc *kv_backend_opts_desc(const kv_backend_opts *o);
/* Parse `src` into o (d->opts_parse). *key: the key at fault, or NULL. */
kv_status kv_backend_opts_parse(kv_backend_opts *o, const kv_opt_source *src,
                                const char **key, kv_error *err);
/* o's struct if `o` belongs to `d`, else NULL with KV_EINVAL ("backend
 * 'gpu' was given the options of backend 'simgrid'"). */
void *kv_backend_opts_get(const kv_backend_opts *o, const kv_backend_desc *d,
                          kv_error *err);

/* The backend of a run: d->create with o's struct (o NULL = d's defaults;
 * d NULL = the ideal backend); fails with KV_EINVAL when `o` belongs to
 * another descriptor. */
kv_backend *kv_backend_create(const kv_backend_desc *d,
                              const kv_backend_opts *o,
                              const kv_engine_cfg *cfg, kv_error *err);

#ifdef __cplusplus
}
#endif

#endif
