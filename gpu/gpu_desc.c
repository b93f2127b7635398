/* gpu_desc.c - the real-GPU backend's descriptor (core/engine/backend_desc.h):
 * options are a kv_gpu_options (none read from a run table yet: every run
 * takes the defaults, completed from the run by kv_gpu_backend_for_run());
 * no replicas extension.
 * Main entry point: kv_gpu_backend_desc.
 */
#include "gpu_backend.h"

static void gpu_opts_defaults(void *o) {
  kv_gpu_options_defaults(o);
}

static kv_backend *gpu_desc_create(const kv_engine_cfg *cfg, const void *o,
                                   kv_error *err) {
  kv_run_spec spec = {.engine = *cfg, .backend = &kv_gpu_backend_desc};
  return kv_gpu_backend_for_run(&spec, o, err);
}

const kv_backend_desc kv_gpu_backend_desc = {
    .version = KV_BACKEND_DESC_VERSION,
    .name = "gpu",
    .opts_size = sizeof(kv_gpu_options),
    .opts_defaults = gpu_opts_defaults, /* kv_gpu_options_defaults */
    .create = gpu_desc_create,          /* kv_gpu_backend_for_run */
};

kv_backend_opts *kv_gpu_backend_opts(const kv_gpu_options *o) {
  kv_backend_opts *h = kv_backend_opts_new(&kv_gpu_backend_desc);
  kv_gpu_options *g = kv_backend_opts_get(h, &kv_gpu_backend_desc, NULL);
  if (o) *g = *o;
  return h;
}
