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
  kv_engine_cfg engine;      /* engine.backend must be NULL: the child
                                creates the backend with create_backend */
  kv_backend_kind backend;   /* which kind (for descriptions) */
  const void *backend_opts;  /* kv_sim_options* for KV_BACKEND_SIM */
  /* Factory called in the child (NULL = ideal backend). Keeps core free of
   * any dependency on sim/ or gpu/. */
  kv_backend *(*create_backend)(const kv_run_spec *spec, kv_error *err);
};

/* Run specs[0..n) with at most `jobs` children at once (0 = number of
 * cores). out[i], codes[i], errs[i] receive each run's result. Returns KV_OK
 * if every run succeeded, else the first failing code. */
kv_status kv_sweep_run(const kv_run_spec *specs, size_t n, int jobs,
                       kv_result *out, kv_status *codes, kv_error *errs);

/* Run one spec in this process (creates and destroys the backend). */
kv_status kv_run_spec_execute(const kv_run_spec *spec, kv_result *out,
                              kv_error *err);

/* Serialize / deserialize a result (for the pipe; also used by tests). */
int kv_result_write(int fd, const kv_result *r);
int kv_result_read(int fd, kv_result *r, kv_error *err);

#ifdef __cplusplus
}
#endif

#endif
