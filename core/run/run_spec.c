/* run_spec.c - run one spec in this process: create its backend from its
 * descriptor, run the engine on it, destroy it (run_spec.h).
 * Main entry point: kv_run_spec_execute().
 */
#include "run_spec.h"

#include <string.h>

kv_status kv_run_spec_execute(const kv_run_spec *spec, kv_result *out,
                              kv_error *err) {
  memset(out, 0, sizeof *out);
  if (spec->engine.backend)
    return kv_error_set(err, KV_EINVAL,
                        "run spec: engine.backend must be NULL (the backend "
                        "is created from the spec's descriptor)");
  kv_engine_cfg cfg = spec->engine;
  kv_backend *b =
      kv_backend_create(spec->backend, spec->backend_opts, &cfg, err);
  if (!b) {
    if (err && err->code == KV_OK)
      kv_error_set(err, KV_EBACKEND, "run spec: backend creation failed");
    return err ? err->code : KV_EBACKEND;
  }
  cfg.backend = b;
  kv_status st = kv_engine_run(&cfg, out, err);
  b->vt->destroy(b);
  return st;
}
