/* gpu_drv.c - the CUDA driver API entry points kvsim uses, fetched through
 * the runtime (cudaGetDriverEntryPointByVersion) instead of linking libcuda:
 * kvsim, its tests and kvsim-calibrate then start on machines without an
 * NVIDIA driver (CI), where they report "no CUDA device" instead of failing
 * to load. Needs nothing of kvsim's core (gpu_drv.h).
 * Main entry points: gpu_drv_fetch(), gpu_mono().
 */
#include "gpu_drv.h"

#include <string.h>
#include <time.h>

#define GPU_DRV_ABI 12000 /* the signatures of CUDA 12.0 */

const char *gpu_drv_fetch(gpu_drv *d, cudaError_t *rt, int *query) {
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
      {"cuCtxGetCurrent", (void **)&d->CtxGetCurrent},
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
    enum cudaDriverEntryPointQueryResult q = cudaDriverEntryPointSuccess;
    cudaError_t e = cudaGetDriverEntryPointByVersion(
        t[i].sym, t[i].fn, GPU_DRV_ABI, cudaEnableDefault, &q);
    if (e != cudaSuccess || q != cudaDriverEntryPointSuccess || !*t[i].fn) {
      cudaGetLastError();
      *rt = e;
      *query = (int)q;
      return t[i].sym;
    }
  }
  return NULL;
}

double gpu_mono(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}
