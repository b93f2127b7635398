/* backend_replicas.h - the replicas extension of a backend descriptor
 * (backend_desc.h): several engine replicas in the one simulation a
 * backend belongs to.
 *
 * A model served by R replicas dispatches its requests to R engines (each
 * on its own GPUs); with SimGrid they run as actors of one simulation and
 * share the server's uplinks, host DRAM and NICs. replicas.h splits the
 * workload and combines the results; this is the one call it needs from a
 * backend.
 * Main entry point: kv_backend_run_replicas_fn.
 */
#ifndef KV_BACKEND_REPLICAS_H
#define KV_BACKEND_REPLICAS_H

#include <stddef.h>

#include "backend.h"
#include "kv_error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One replica's work: run the engine on backend `b` (its own). */
typedef kv_status (*kv_replica_fn)(void *arg, kv_backend *b, kv_error *err);

/* Grow backend `b` (created by the same descriptor, not run yet) to
 * `replicas` replicas and run them: replica r runs fn(args[r], b_r,
 * &errs[r]) with its own backend b_r on GPUs r*tp .. r*tp+tp-1; codes[r]
 * gets its outcome. Returns KV_OK when all succeeded, else the first
 * failing code (err names the replica). Afterwards `b` may only be
 * destroyed. */
typedef kv_status (*kv_backend_run_replicas_fn)(kv_backend *b, size_t replicas,
                                                kv_replica_fn fn,
                                                void *const *args,
                                                kv_status *codes,
                                                kv_error *errs, kv_error *err);

/* A part of such a run, for a shard (replicas.h kv_replica_shards): `b`
 * was created (not run) on the platform cut to the servers the part uses
 * (its first GPU is the part's first); grow it to `n` replicas and run
 * them as run_replicas would run replicas first .. first+n-1 of `replicas`
 * on platform `whole` (the description names `whole` and `replicas`, so
 * the results are those of the whole run): fn(args[i], b_i, &errs[i]),
 * codes[i] its outcome. The part must hold every replica that shares a
 * link with one of its own. Afterwards `b` may only be destroyed. */
typedef kv_status (*kv_backend_run_part_fn)(kv_backend *b,
                                            const struct kv_platform *whole,
                                            size_t replicas, size_t first,
                                            size_t n, kv_replica_fn fn,
                                            void *const *args, kv_status *codes,
                                            kv_error *errs, kv_error *err);

#ifdef __cplusplus
}
#endif

#endif
