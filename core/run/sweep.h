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

#include "replicas.h"
#include "result_wire.h" /* what carries results back */
#include "run_spec.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Run specs[0..n) with at most `jobs` children at once (0 = number of
 * cores). out[i], codes[i], errs[i] receive each run's result; a failed run
 * does not stop the others. Returns KV_OK if every run succeeded, else the
 * first failing code. */
kv_status kv_sweep_run(const kv_run_spec *specs, size_t n, int jobs,
                       kv_result *out, kv_status *codes, kv_error *errs);

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
