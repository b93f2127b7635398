/* sim_backend.h - the SimGrid backend: kvsim's ops timed on a SimGrid model
 * of a GPU server's memory system (HBM, PCIe split-duplex, shared uplinks,
 * NVLink, host DRAM, NIC), with the VMM driver as a serialized resource per
 * GPU. kvsim's own event loop runs inside SimGrid (one actor per engine
 * replica, none per request or block). SimGrid is a per-process singleton:
 * one simulation per process (see core/sweep.h for running many).
 * Main entry point: kv_backend_sim_create().
 */
#ifndef KV_SIM_BACKEND_H
#define KV_SIM_BACKEND_H

#include <stdint.h>

#include "backend.h"
#include "kv_error.h"
#include "model.h"
#include "platform.h"

typedef struct kv_sim_options {
  const char *platform_xml; /* a user's SimGrid XML platform file, or NULL to
                               build the platform from kv_platform */
  const char *gpu_host;     /* host name of the GPU this replica runs on in
                               the XML (NULL = "gpu0") */
  uint32_t sm_copy_sms;     /* SMs given to gather/scatter copy kernels (8) */
  int log_quiet;            /* silence SimGrid's own logging (1) */
  const char *extra_cfg;    /* extra "--cfg=..." items, space separated */
} kv_sim_options;

void kv_sim_options_defaults(kv_sim_options *o);

/* Create the backend. Fails with a clear error (never a SimGrid abort) for a
 * bad platform: unknown host or link names, missing routes, bad values.
 * Only one per process. */
kv_backend *kv_backend_sim_create(const kv_platform *p, const kv_model *m,
                                  uint32_t tp, const kv_sim_options *opt,
                                  kv_error *err);

#endif
