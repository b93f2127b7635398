/* sweep.h - run many engine configurations, each in a forked child process,
 * several at a time, and gather their results in the parent.
 *
 * SimGrid allows one simulation per process, so every SimGrid run goes
 * through here even when there is only one. Results travel back over a pipe
 * in a binary form; a child that crashes or exits early is reported as an
 * error for its run, never as a partial result.
 * Main entry point: kv_sweep_run().
 */
#ifndef KV_SWEEP_H
#define KV_SWEEP_H

#include <stddef.h>

#include "engine.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum kv_backend_kind {
  KV_BACKEND_IDEAL,
  KV_BACKEND_SIM,
  KV_BACKEND_GPU,
} kv_backend_kind;

typedef struct kv_run_spec kv_run_spec;
struct kv_run_spec {
  kv_engine_cfg engine;     /* engine.backend must be NULL: the child
                               creates the backend with create_backend */
  kv_backend_kind backend;  /* which kind (for descriptions) */
  const void *backend_opts; /* kv_sim_options* for KV_BACKEND_SIM */
  /* Factory called in the child (NULL = ideal backend). Keeps core free of
   * any dependency on sim/ or gpu/. */
  kv_backend *(*create_backend)(const kv_run_spec *spec, kv_error *err);
};

/* Run specs[0..n) with at most `jobs` children at once (0 = number of
 * cores). out[i], codes[i], errs[i] receive each run's result; a failed run
 * does not stop the others. Returns KV_OK if every run succeeded, else the
 * first failing code. */
kv_status kv_sweep_run(const kv_run_spec *specs, size_t n, int jobs,
                       kv_result *out, kv_status *codes, kv_error *errs);

/* Run one spec in this process (creates and destroys the backend). */
kv_status kv_run_spec_execute(const kv_run_spec *spec, kv_result *out,
                              kv_error *err);

/* Serialize / deserialize a result (for the pipe; also used by tests). */
int kv_result_write(int fd, const kv_result *r);
int kv_result_read(int fd, kv_result *r, kv_error *err);

/* results[0..n) in the same format, in a malloc'd buffer of *len bytes
 * (run files, MPI). The format holds the record sizes and a version:
 * reading it back needs a kvsim built the same way. */
unsigned char *kv_results_encode(const kv_result *r, size_t n, size_t *len);
/* Decode exactly n results (out[0..n), freed on failure); -1 with err. */
int kv_results_decode(const unsigned char *buf, size_t len, kv_result *out,
                      size_t n, kv_error *err);

/* ---- replicas: several engines in one simulation ----
 *
 * A model served by R replicas: the workload's requests are dispatched to
 * R engines (each its own GPUs); with SimGrid they run as actors of one
 * simulation and share the server's uplinks, host DRAM and NICs. */

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

/* A backend whose vt->version is at least KV_BACKEND_VT_REPLICAS has this
 * vtable (base first) and can run several engine replicas in the one
 * simulation it belongs to: replica r runs fn(args[r], b_r, &errs[r]) with
 * its own backend b_r on GPUs r*tp .. r*tp+tp-1. `b` must not have run yet;
 * afterwards it may only be destroyed. */
#define KV_BACKEND_VT_REPLICAS 2u
typedef kv_status (*kv_replica_fn)(void *arg, kv_backend *b, kv_error *err);
typedef struct kv_backend_replicas_vt {
  kv_backend_vt base;
  kv_status (*run_replicas)(kv_backend *b, size_t replicas, kv_replica_fn fn,
                            void *const *args, kv_status *codes, kv_error *errs,
                            kv_error *err);
} kv_backend_replicas_vt;

typedef struct kv_replica_spec {
  kv_run_spec run; /* every replica's configuration; run.engine.workload
                      is the whole workload, split by `dispatch` */
  size_t replicas; /* R >= 1 */
  kv_dispatch dispatch;
} kv_replica_spec;

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
 * kv_replica_results(spec->replicas) results. Replicas need a backend with
 * the replicas vtable, or the ideal backend (replicas then run one after
 * the other, each on its own ideal GPU). */
kv_status kv_replica_spec_execute(const kv_replica_spec *spec, kv_result *out,
                                  kv_error *err);

/* kv_sweep_run for replica specs: out[i] points to
 * kv_replica_results(specs[i].replicas) results. */
kv_status kv_sweep_run_replicas(const kv_replica_spec *specs, size_t n,
                                int jobs, kv_result *const *out,
                                kv_status *codes, kv_error *errs);

/* What a sweep may be given besides its specs; zero means none. core never
 * reads a clock: a host that wants run times hands one in. */
typedef struct kv_sweep_opts {
  int jobs;                  /* children at once (0 = number of cores) */
  double (*clock)(void *ud); /* seconds on a monotonic clock, or NULL */
  void *clock_ud;
  double *wall; /* n entries, or NULL; with a clock, wall[i] = seconds from
                   run i's fork to its result read back (0 without one) */
} kv_sweep_opts;

/* kv_sweep_run_replicas with options (NULL = the defaults). Every run is
 * carried out whatever the others do: a failed run has its code and error
 * and no result; the finished ones have theirs. */
kv_status kv_sweep_run_replicas_opts(const kv_replica_spec *specs, size_t n,
                                     const kv_sweep_opts *opts,
                                     kv_result *const *out, kv_status *codes,
                                     kv_error *errs);

#ifdef __cplusplus
}
#endif

#endif
