/* gpu_drv.h - the CUDA driver API entry points kvsim calls (VMM, contexts),
 * fetched through the runtime (cudaGetDriverEntryPointByVersion) instead of
 * linking libcuda, and the monotonic clock that times them on the host.
 * Needs only the CUDA runtime: the GPU backend (gpu_internal.h) and
 * kvsim-calibrate (kernels/calibrate.cu) share it, so both call and time the
 * driver the same way.
 * Main entry points: gpu_drv_fetch(), gpu_mono().
 */
#ifndef KV_GPU_DRV_H
#define KV_GPU_DRV_H

#include <cuda.h>
#include <cudaTypedefs.h>
#include <cuda_runtime_api.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Driver API entry points (not linked: see gpu_drv.c). */
typedef struct gpu_drv {
  PFN_cuGetErrorString_v6000 GetErrorString;
  PFN_cuInit_v2000 Init;
  PFN_cuDeviceGet_v2000 DeviceGet;
  PFN_cuDeviceGetAttribute_v2000 DeviceGetAttribute;
  PFN_cuDevicePrimaryCtxRetain_v7000 DevicePrimaryCtxRetain;
  PFN_cuDevicePrimaryCtxRelease_v11000 DevicePrimaryCtxRelease;
  PFN_cuCtxSetCurrent_v4000 CtxSetCurrent;
  PFN_cuCtxGetCurrent_v4000 CtxGetCurrent;
  PFN_cuMemGetAllocationGranularity_v10020 MemGetAllocationGranularity;
  PFN_cuMemAddressReserve_v10020 MemAddressReserve;
  PFN_cuMemAddressFree_v10020 MemAddressFree;
  PFN_cuMemCreate_v10020 MemCreate;
  PFN_cuMemMap_v10020 MemMap;
  PFN_cuMemSetAccess_v10020 MemSetAccess;
  PFN_cuMemUnmap_v10020 MemUnmap;
  PFN_cuMemRelease_v10020 MemRelease;
} gpu_drv;

/* Fetch every entry point of *d (zeroed first). Returns NULL, or the name
 * of the first symbol not found, with the runtime's answer in *rt and the
 * query result (enum cudaDriverEntryPointQueryResult) in *query; the
 * runtime's error, if any, is cleared. */
const char *gpu_drv_fetch(gpu_drv *d, cudaError_t *rt, int *query);

/* Monotonic clock in s (driver calls are host-side and timed on it). */
double gpu_mono(void);

#ifdef __cplusplus
}
#endif

#endif
