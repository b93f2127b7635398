/* compact.cuh - device code of slab compaction: move blocks inside a device
 * slab (source offset read from the offset table, destination given) and
 * point the table at the new places; see kv_compact_launch() in
 * kv_kernels.h. Versions (kernels/compact.cu checks and times each):
 *   v1  one thread block per move, 16-byte words (byte path if unaligned),
 *       the block rewrites its table entry after a barrier
 *   v2  moves cut into 8 KiB pieces over all warps of the grid, 4 int4
 *       loads in flight per lane, then a second kernel rewrites the table
 * Main entry point: kvc::launch<V>().
 */
#ifndef KV_COMPACT_CUH
#define KV_COMPACT_CUH

#include <stdint.h>

#include <cuda_runtime.h>

namespace kvc {

constexpr int kThreads = 1024;

/* v1: a thread block per move. (A template only so that a program
 * compiles it when it launches it: launch<1>.) */
template <class = void>
static __global__ void __launch_bounds__(kThreads)
    compact_v1(char *slab, int64_t *offsets, uint64_t n, const int64_t *idx,
               const int64_t *dst, uint64_t bytes) {
  for (uint64_t m = blockIdx.x; m < n; m += gridDim.x) {
    const char *s = slab + offsets[idx[m]];
    char *d = slab + dst[m];
    if (((uintptr_t)s | (uintptr_t)d | bytes) % 16 == 0) {
      const int4 *s4 = (const int4 *)s;
      int4 *d4 = (int4 *)d;
      for (uint64_t i = threadIdx.x; i < bytes / 16; i += blockDim.x)
        d4[i] = s4[i];
    } else {
      for (uint64_t i = threadIdx.x; i < bytes; i += blockDim.x)
        d[i] = s[i];
    }
    __syncthreads(); /* every thread has read offsets[idx[m]] and copied */
    if (threadIdx.x == 0) offsets[idx[m]] = dst[m];
  }
}

/* v2 copy: pieces of 32*16*U bytes over all warps of the grid. */
template <int U>
static __global__ void __launch_bounds__(kThreads)
    compact_v2_copy(char *slab, const int64_t *offsets, uint64_t n,
                    const int64_t *idx, const int64_t *dst, uint64_t bytes) {
  constexpr uint64_t kPiece = 32ull * 16 * U;
  int lane = threadIdx.x & 31;
  uint64_t warp = ((uint64_t)blockIdx.x * blockDim.x + threadIdx.x) >> 5;
  uint64_t nwarps = ((uint64_t)gridDim.x * blockDim.x) >> 5;
  uint64_t per = (bytes + kPiece - 1) / kPiece;
  for (uint64_t p = warp; p < n * per; p += nwarps) {
    uint64_t m = p / per;
    uint64_t off = (p - m * per) * kPiece;
    const char *s = slab + offsets[idx[m]] + off;
    char *d = slab + dst[m] + off;
    uint64_t len = bytes - off < kPiece ? bytes - off : kPiece;
    if ((((uintptr_t)s | (uintptr_t)d | len) % 16) == 0) {
      const int4 *s4 = (const int4 *)s;
      int4 *d4 = (int4 *)d;
      uint64_t words = len / 16;
      int4 r[U];
#pragma unroll
      for (int u = 0; u < U; u++)
        if ((uint64_t)(lane + 32 * u) < words) r[u] = s4[lane + 32 * u];
#pragma unroll
      for (int u = 0; u < U; u++)
        if ((uint64_t)(lane + 32 * u) < words) d4[lane + 32 * u] = r[u];
    } else {
      for (uint64_t i = lane; i < len; i += 32)
        d[i] = s[i];
    }
  }
}

static __global__ void compact_v2_table(int64_t *offsets, uint64_t n,
                                        const int64_t *idx,
                                        const int64_t *dst) {
  uint64_t i = (uint64_t)blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) offsets[idx[i]] = dst[i];
}

constexpr int kVersions = 2; /* 1 .. kVersions */

/* Version V (a template argument: the library instantiates its promoted
 * version only; kernels/compact.cu picks any at run time). */
template <int V>
static inline cudaError_t launch(char *slab, int64_t *offsets, uint64_t n,
                                 const int64_t *idx, const int64_t *dst,
                                 uint64_t bytes, int sms, cudaStream_t s) {
  static_assert(V >= 1 && V <= kVersions, "compaction versions are 1..2");
  if (n == 0) return cudaSuccess;
  if (sms <= 0) {
    int dev = 0;
    cudaError_t e = cudaGetDevice(&dev);
    if (e == cudaSuccess)
      e = cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, dev);
    if (e != cudaSuccess) return e;
  }
  if constexpr (V == 1) {
    unsigned grid = n < (uint64_t)sms * 2 ? (unsigned)n : (unsigned)sms * 2;
    compact_v1<><<<grid, kThreads, 0, s>>>(slab, offsets, n, idx, dst, bytes);
  } else {
    compact_v2_copy<4>
        <<<sms * 2, kThreads, 0, s>>>(slab, offsets, n, idx, dst, bytes);
    compact_v2_table<<<(unsigned)((n + 255) / 256), 256, 0, s>>>(offsets, n,
                                                                 idx, dst);
  }
  return cudaGetLastError();
}

} // namespace kvc

#endif
