/* backends.c - the one table of backends of the kvsim program: the ideal
 * backend (core) and, under their build options, SimGrid (sim/,
 * KVSIM_HAVE_SIM) and the real GPU (gpu/, KVSIM_HAVE_GPU). core never
 * names them; a new backend is its descriptor plus one line here.
 * Main entry point: kv_cli_backends.
 */
#include "backends.h"

#include <stdio.h>
#include <string.h>

#ifdef KVSIM_HAVE_SIM
#include "sim_backend.h"
#define SIM_DESC (&kv_sim_backend_desc)
#define DEFAULT_BACKEND "simgrid"
#else
#define SIM_DESC NULL
#define DEFAULT_BACKEND "ideal"
#endif
#ifdef KVSIM_HAVE_GPU
#include "gpu_backend.h"
#define GPU_DESC (&kv_gpu_backend_desc)
#else
#define GPU_DESC NULL
#endif

const kv_lua_backend kv_cli_backends[] = {
    {"ideal", &kv_backend_ideal_desc}, /* analytic, no contention (core) */
    {"simgrid", SIM_DESC},             /* SimGrid platform model (sim/) */
    {"gpu", GPU_DESC},                 /* a real GPU through CUDA (gpu/) */
};
const size_t kv_cli_backends_n =
    sizeof kv_cli_backends / sizeof kv_cli_backends[0];

const char *const kv_cli_default_backend = DEFAULT_BACKEND;

void kv_cli_backends_list(char *buf, size_t n) {
  size_t at = 0;
  buf[0] = '\0';
  for (size_t i = 1; i < kv_cli_backends_n && at < n; i++)
    if (kv_cli_backends[i].desc)
      at += (size_t)snprintf(buf + at, n - at, ", %s", kv_cli_backends[i].name);
}

int kv_cli_gpu_usable(void) {
#ifdef KVSIM_HAVE_GPU
  return kv_gpu_available();
#else
  return 0;
#endif
}
