/* run_spec.h - one run: an engine configuration and the backend it runs on,
 * named by its descriptor and options (backend_desc.h). The backend is
 * created where the run executes (a forked child for SimGrid: sweep.h).
 * Main entry point: kv_run_spec_execute().
 */
#ifndef KV_RUN_SPEC_H
#define KV_RUN_SPEC_H

#include "backend_desc.h"
#include "engine.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kv_run_spec {
  kv_engine_cfg engine;                /* engine.backend must be NULL: the
                                          run creates it from `backend` */
  const kv_backend_desc *backend;      /* NULL = the ideal backend */
  const kv_backend_opts *backend_opts; /* parsed by `backend` (NULL = its
                                          defaults) */
} kv_run_spec;

/* Run one spec in this process (creates and destroys the backend). Options
 * parsed by another descriptor than spec->backend are an error. */
kv_status kv_run_spec_execute(const kv_run_spec *spec, kv_result *out,
                              kv_error *err);

#ifdef __cplusplus
}
#endif

#endif
