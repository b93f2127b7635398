/* platform.h - the GPU server a run is modelled on: capacities, bandwidths
 * and per-operation costs. Presets carry their source; a Lua table may
 * describe any other platform (see core/lua_kvsim.c).
 * Main entry points: kv_platform_preset(), kv_platform_validate().
 */
#ifndef KV_PLATFORM_H
#define KV_PLATFORM_H

#include <stdint.h>

#include "kv_error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kv_platform {
  char name[64];
  uint32_t gpus_per_server; /* GPUs in one server (1..8) */
  uint32_t servers;         /* servers (>= 1) */
  /* one GPU */
  uint64_t hbm_bytes;   /* device memory, bytes */
  double hbm_bw;        /* HBM bandwidth, B/s (read or write stream) */
  double d2d_bw;        /* device-to-device copy, B/s counting read+write */
  double flops;         /* dense bf16 FLOP/s */
  uint32_t sms;         /* streaming multiprocessors */
  double kernel_launch; /* s per kernel launch / step overhead */
  /* host link */
  double pcie_bw;           /* B/s per direction (pinned, large copies) */
  double pcie_lat;          /* s link latency */
  double copy_overhead;     /* s fixed cost per cudaMemcpyAsync */
  double sm_copy_bw_per_sm; /* B/s one SM moves in a gather/scatter kernel */
  double sm_duplex_bw;      /* B/s both directions together that SM copy
                               kernels move over PCIe (0 = not modeled) */
  uint32_t gpus_per_uplink; /* GPUs sharing one PCIe switch uplink (0 = own) */
  double uplink_bw;         /* B/s per direction of a shared uplink */
  double host_bw;           /* host DRAM bandwidth, B/s */
  /* GPU-GPU */
  double nvlink_bw;  /* B/s per direction per GPU */
  double nvlink_lat; /* s */
  double nic_bw;     /* B/s per server (0 = no inter-server tier) */
  double nic_lat;    /* s */
  /* CUDA VMM driver calls, s per call per handle */
  double vmm_reserve;       /* cuMemAddressReserve */
  double vmm_create;        /* cuMemCreate */
  double vmm_map;           /* cuMemMap */
  double vmm_set_access;    /* cuMemSetAccess */
  double vmm_unmap;         /* cuMemUnmap */
  double vmm_release;       /* cuMemRelease */
  uint64_t vmm_granularity; /* minimum handle size, bytes (2 MiB stock) */
  /* extra s per call per MiB of handle (or VA range, for reserve) beyond
   * vmm_granularity: driver work that grows with size (physical pages,
   * page-table entries). 0 = a call costs the same at every size. */
  double vmm_reserve_per_mib;
  double vmm_create_per_mib;
  double vmm_map_per_mib;
  double vmm_set_access_per_mib;
  double vmm_unmap_per_mib;
  double vmm_release_per_mib;
  double table_write; /* s per table-update op (small H2D + launch) */
  const char *source; /* where the constants come from */
} kv_platform;

/* Fill `out` with a preset ("h100-sxm-80gb", "h200-141gb"). */
kv_status kv_platform_preset(const char *name, kv_platform *out, kv_error *err);

/* NULL-terminated list of preset names. */
const char *const *kv_platform_preset_names(void);

/* Check every field is in range; errors name the field. */
kv_status kv_platform_validate(const kv_platform *p, kv_error *err);

#ifdef __cplusplus
}
#endif

#endif
