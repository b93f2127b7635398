/* replicas.h - one model served by R engine replicas: split a workload
 * between them, run them (in one simulation when the backend has the
 * replicas extension, backend_replicas.h; one after the other on ideal
 * GPUs otherwise) and combine their results.
 * Main entry points: kv_replica_spec_execute(), kv_workload_dispatch(),
 * kv_result_aggregate().
 */
#ifndef KV_REPLICAS_H
#define KV_REPLICAS_H

#include <stddef.h>

#include "run_spec.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How requests go to replicas (decided up front from the workload, so a
 * run is reproducible). */
typedef enum kv_dispatch {
  KV_DISPATCH_ROUND_ROBIN,  /* request i to replica i mod R */
  KV_DISPATCH_LEAST_TOKENS, /* to the replica with the fewest prompt+output
                               tokens assigned so far (ties: lowest index) */
  KV_DISPATCH_REPLICATE,    /* every replica serves its own copy of the
                               whole workload (a what-if: identical load,
                               so replicas offload at the same moments) */
} kv_dispatch;

typedef struct kv_replica_spec {
  kv_run_spec run; /* every replica's configuration; run.engine.workload
                      is the whole workload, split by `dispatch` */
  size_t replicas; /* R >= 1 */
  kv_dispatch dispatch;
  size_t shards;     /* 0 or 1: all replicas in this process; S > 1: split into
                        S groups of whole servers (kv_replica_shards), each
                        run in its own forked process at once, the results
                        merged: the same results and requests file as one
                        process */
  size_t shard_jobs; /* shard processes at once (0: all S; 1: one after
                        the other, so one shard's memory at a time) */
} kv_replica_spec;

/* Split R replicas of tp GPUs (replica r on GPUs r*tp .. r*tp+tp-1 of
 * platform p, servers of p->gpus_per_server GPUs) into S shards that share
 * no link: replicas on one server share its host DRAM link and uplinks
 * (and a replica of tp > gpus_per_server its servers), while different
 * servers share nothing a replica's transfers use (kvsim puts no flow on
 * the NICs). A shard is a run of whole groups of lcm(gpus_per_server, tp)
 * GPUs, the groups spread as evenly as they go. first[0..S] receives the
 * shards' first replicas (first[S] = R). KV_EINVAL, naming `shards`, when
 * there are fewer groups than S (a split would cut a shared link). */
kv_status kv_replica_shards(const kv_platform *p, uint32_t tp, size_t replicas,
                            size_t shards, size_t *first, kv_error *err);

/* Results of a replica spec: R == 1 gives 1 result; R > 1 gives R + 1, the
 * replicas' results (their requests in their own order) and then the
 * aggregate (kv_result_aggregate) at index R. */
static inline size_t kv_replica_results(size_t replicas) {
  return replicas > 1 ? replicas + 1 : 1;
}

/* Split `w` into parts[0..R) by `d`; idx[r] (allocated, parts[r].n long)
 * maps each part's requests back to w's indices (with REPLICATE, replica
 * r's request j is r * w->n + j). Free with kv_workload_free() and free().
 * Returns the number of requests of all parts together. */
size_t kv_workload_dispatch(const kv_workload *w, size_t replicas,
                            kv_dispatch d, kv_workload *parts, size_t **idx);

/* Combine R replica results into one: counters and bytes summed, sim_time
 * the longest, latency percentiles over all requests together (requests
 * put back in workload order through idx), peaks and means summed over
 * replicas (upper bounds for peaks), ratios recomputed. No timeline. */
void kv_result_aggregate(const kv_result *parts, size_t replicas,
                         size_t *const *idx, size_t n_requests, kv_result *out);

/* Run one replica spec in this process: out must hold
 * kv_replica_results(spec->replicas) results. Replicas need a backend
 * whose descriptor has the replicas extension (backend_replicas.h), or the
 * ideal backend (replicas then run one after the other, each on its own
 * ideal GPU). */
kv_status kv_replica_spec_execute(const kv_replica_spec *spec, kv_result *out,
                                  kv_error *err);

#ifdef __cplusplus
}
#endif

#endif
