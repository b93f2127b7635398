/* gpu_drv.c - the CUDA driver API entry points the backend uses, fetched
 * through the runtime (cudaGetDriverEntryPointByVersion) instead of linking
 * libcuda: kvsim and its tests then start on machines without an NVIDIA
 * driver (CI), where they report "no CUDA device" instead of failing to load.
 * Main entry point: gpu_drv_load().
 */
#include "gpu_internal.h"

#include <string.h>

#define GPU_DRV_ABI 12000 /* the signatures of CUDA 12.0 */

static kv_status load(const char *sym, void **fn, kv_error *err) {
  enum cudaDriverEntryPointQueryResult q = cudaDriverEntryPointSuccess;
  cudaError_t e = cudaGetDriverEntryPointByVersion(sym, fn, GPU_DRV_ABI,
                                                   cudaEnableDefault, &q);
  if (e != cudaSuccess || q != cudaDriverEntryPointSuccess || !*fn) {
    cudaGetLastError();
    return kv_error_set(err, KV_EBACKEND,
                        "%s:%d: driver entry point %s not found (%s, query "
                        "result %d)",
                        __FILE__, __LINE__, sym, cudaGetErrorString(e), (int)q);
  }
  return KV_OK;
}

kv_status gpu_drv_load(gpu_drv *d, kv_error *err) {
  memset(d, 0, sizeof *d);
  struct {
    const char *sym;
    void **fn;
  } t[] = {
      {"cuGetErrorString", (void **)&d->GetErrorString},
      {"cuInit", (void **)&d->Init},
      {"cuDeviceGet", (void **)&d->DeviceGet},
      {"cuDeviceGetAttribute", (void **)&d->DeviceGetAttribute},
      {"cuDevicePrimaryCtxRetain", (void **)&d->DevicePrimaryCtxRetain},
      {"cuDevicePrimaryCtxRelease", (void **)&d->DevicePrimaryCtxRelease},
      {"cuCtxSetCurrent", (void **)&d->CtxSetCurrent},
      {"cuMemGetAllocationGranularity",
       (void **)&d->MemGetAllocationGranularity},
      {"cuMemAddressReserve", (void **)&d->MemAddressReserve},
      {"cuMemAddressFree", (void **)&d->MemAddressFree},
      {"cuMemCreate", (void **)&d->MemCreate},
      {"cuMemMap", (void **)&d->MemMap},
      {"cuMemSetAccess", (void **)&d->MemSetAccess},
      {"cuMemUnmap", (void **)&d->MemUnmap},
      {"cuMemRelease", (void **)&d->MemRelease},
  };
  for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
    kv_status rc = load(t[i].sym, t[i].fn, err);
    if (rc != KV_OK) return rc;
  }
  return KV_OK;
}
