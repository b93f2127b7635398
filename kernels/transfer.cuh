/* transfer.cuh - device code of the KV block transfer kernels: SMs copy
 * scattered KV blocks between the device cache and mapped pinned host memory
 * over PCIe (zero-copy), in the layouts described in kv_kernels.h.
 * Versions (kernels/transfer.cu checks and times each):
 *   v1  one warp per contiguous segment, byte loads
 *   v2  one warp per segment, 16-byte words when source and destination
 *       agree modulo 16 (else 8/4/2/1), byte head and tail
 *   v3  segments cut into 2 KiB pieces spread over all warps, 4 int4 loads
 *       in flight per lane; v2's path when anything is not 16-byte aligned
 *   v4  as v3 with 4 KiB pieces and 8 loads in flight per lane
 * Main entry points: kvx::make_args(), kvx::launch().
 */
#ifndef KV_TRANSFER_CUH
#define KV_TRANSFER_CUH

#include <stdint.h>

#include <cuda_runtime.h>

#include "kv_kernels.h"

namespace kvx {

constexpr int kThreads = 1024; /* threads per block: 32 warps per SM */

/* Everything a launch needs, flattened: chunk c (0 <= c < n*nseg) is
 * segment c % nseg of list entry c / nseg, a contiguous run of seg_bytes
 * on both sides. */
struct xfer_args {
  char *dev;
  char *host;
  uint64_t n;
  uint32_t nseg;
  uint64_t seg_bytes;
  uint64_t dev_block_stride; /* bytes between device blocks */
  uint64_t dev_seg_stride;   /* bytes between a block's device segments */
  uint64_t host_slot_stride; /* bytes between host slots */
  const void *dev_ids;
  const void *host_slots; /* NULL: slot = list position */
  int h2d;
  int aligned; /* every chunk address and length is a multiple of 16 */
};

static inline xfer_args make_args(const kv_xfer_desc *d, int dir, uint64_t n,
                                  const void *dev_ids, const void *host_slots) {
  xfer_args a;
  uint64_t seg = (uint64_t)d->block_tokens * d->row_bytes;
  uint64_t block = 2ull * d->layers * seg;
  a.dev = (char *)d->dev_base;
  a.host = (char *)d->host_base;
  a.n = n;
  if (d->layout == KV_LAYOUT_PAGE_FIRST) {
    a.nseg = 1;
    a.seg_bytes = block;
    a.dev_block_stride = block;
    a.dev_seg_stride = 0;
  } else {
    a.nseg = 2u * d->layers;
    a.seg_bytes = seg;
    a.dev_block_stride = seg;
    a.dev_seg_stride = d->dev_blocks * seg;
  }
  a.host_slot_stride = block;
  a.dev_ids = dev_ids;
  a.host_slots = host_slots;
  a.h2d = dir == KV_XFER_H2D;
  a.aligned = (uintptr_t)a.dev % 16 == 0 && (uintptr_t)a.host % 16 == 0 &&
              seg % 16 == 0;
  return a;
}

/* Source and destination of chunk c. */
template <class Idx>
__device__ __forceinline__ void chunk_ptrs(const xfer_args &a, uint64_t c,
                                           const char *&src, char *&dst) {
  uint64_t i = c / a.nseg;
  uint64_t s = c - i * a.nseg;
  uint64_t b = (uint64_t)((const Idx *)a.dev_ids)[i];
  uint64_t slot = a.host_slots ? (uint64_t)((const Idx *)a.host_slots)[i] : i;
  char *d = a.dev + b * a.dev_block_stride + s * a.dev_seg_stride;
  char *h = a.host + slot * a.host_slot_stride + s * a.seg_bytes;
  if (a.h2d) {
    src = h;
    dst = d;
  } else {
    src = d;
    dst = h;
  }
}

/* A warp copies nw words of type W, U loads in flight per lane. */
template <class W, int U>
__device__ __forceinline__ void warp_copy_words(const char *src, char *dst,
                                                uint64_t nw, int lane) {
  const W *s = (const W *)src;
  W *d = (W *)dst;
  uint64_t i = lane;
  for (; i + (U - 1) * 32 < nw; i += U * 32) {
    W r[U];
#pragma unroll
    for (int u = 0; u < U; u++)
      r[u] = s[i + u * 32];
#pragma unroll
    for (int u = 0; u < U; u++)
      d[i + u * 32] = r[u];
  }
  for (; i < nw; i += 32)
    d[i] = s[i];
}

/* A warp copies len bytes between any two addresses: a byte head up to the
 * widest word on which src and dst agree, words, a byte tail. */
__device__ __forceinline__ void warp_copy_any(const char *src, char *dst,
                                              uint64_t len, int lane) {
  uintptr_t diff = (uintptr_t)src ^ (uintptr_t)dst;
  unsigned w = (diff & 15) == 0  ? 16
               : (diff & 7) == 0 ? 8
               : (diff & 3) == 0 ? 4
               : (diff & 1) == 0 ? 2
                                 : 1;
  uint64_t head = (uint64_t)((w - ((uintptr_t)src & (w - 1))) & (w - 1));
  if (head > len) head = len;
  if ((uint64_t)lane < head) dst[lane] = src[lane];
  src += head;
  dst += head;
  len -= head;
  uint64_t nw = len / w;
  switch (w) {
  case 16: warp_copy_words<int4, 4>(src, dst, nw, lane); break;
  case 8: warp_copy_words<uint2, 4>(src, dst, nw, lane); break;
  case 4: warp_copy_words<uint32_t, 4>(src, dst, nw, lane); break;
  case 2: warp_copy_words<uint16_t, 4>(src, dst, nw, lane); break;
  default: warp_copy_words<uint8_t, 4>(src, dst, nw, lane); break;
  }
  uint64_t done = nw * w;
  if ((uint64_t)lane < len - done) dst[done + lane] = src[done + lane];
}

/* v1: one warp per chunk, one byte per lane per step. */
template <class Idx>
__global__ void __launch_bounds__(kThreads) xfer_v1(xfer_args a) {
  int lane = threadIdx.x & 31;
  uint64_t warp = ((uint64_t)blockIdx.x * blockDim.x + threadIdx.x) >> 5;
  uint64_t nwarps = ((uint64_t)gridDim.x * blockDim.x) >> 5;
  uint64_t chunks = a.n * a.nseg;
  for (uint64_t c = warp; c < chunks; c += nwarps) {
    const char *src;
    char *dst;
    chunk_ptrs<Idx>(a, c, src, dst);
    for (uint64_t j = lane; j < a.seg_bytes; j += 32)
      dst[j] = src[j];
  }
}

/* v2: one warp per chunk, widest common word. */
template <class Idx>
__global__ void __launch_bounds__(kThreads) xfer_v2(xfer_args a) {
  int lane = threadIdx.x & 31;
  uint64_t warp = ((uint64_t)blockIdx.x * blockDim.x + threadIdx.x) >> 5;
  uint64_t nwarps = ((uint64_t)gridDim.x * blockDim.x) >> 5;
  uint64_t chunks = a.n * a.nseg;
  for (uint64_t c = warp; c < chunks; c += nwarps) {
    const char *src;
    char *dst;
    chunk_ptrs<Idx>(a, c, src, dst);
    warp_copy_any(src, dst, a.seg_bytes, lane);
  }
}

/* v3/v4: pieces of 32*16*U bytes over all warps, U int4 loads in flight
 * per lane; unaligned transfers take v2's path. */
template <class Idx, int U>
__global__ void __launch_bounds__(kThreads) xfer_pieces(xfer_args a) {
  constexpr uint64_t kPiece = 32ull * 16 * U;
  int lane = threadIdx.x & 31;
  uint64_t warp = ((uint64_t)blockIdx.x * blockDim.x + threadIdx.x) >> 5;
  uint64_t nwarps = ((uint64_t)gridDim.x * blockDim.x) >> 5;
  uint64_t chunks = a.n * a.nseg;
  if (!a.aligned) {
    for (uint64_t c = warp; c < chunks; c += nwarps) {
      const char *src;
      char *dst;
      chunk_ptrs<Idx>(a, c, src, dst);
      warp_copy_any(src, dst, a.seg_bytes, lane);
    }
    return;
  }
  uint64_t per_chunk = (a.seg_bytes + kPiece - 1) / kPiece;
  uint64_t pieces = chunks * per_chunk;
  for (uint64_t p = warp; p < pieces; p += nwarps) {
    uint64_t c = p / per_chunk;
    uint64_t off = (p - c * per_chunk) * kPiece;
    const char *src;
    char *dst;
    chunk_ptrs<Idx>(a, c, src, dst);
    const int4 *s = (const int4 *)(src + off);
    int4 *d = (int4 *)(dst + off);
    uint64_t words = (a.seg_bytes - off) / 16;
    if (words >= 32ull * U) {
      int4 r[U];
#pragma unroll
      for (int u = 0; u < U; u++)
        r[u] = s[lane + 32 * u];
#pragma unroll
      for (int u = 0; u < U; u++)
        d[lane + 32 * u] = r[u];
    } else {
      int4 r[U];
#pragma unroll
      for (int u = 0; u < U; u++)
        if ((uint64_t)(lane + 32 * u) < words) r[u] = s[lane + 32 * u];
#pragma unroll
      for (int u = 0; u < U; u++)
        if ((uint64_t)(lane + 32 * u) < words) d[lane + 32 * u] = r[u];
    }
  }
}

/* Launch version v (1..4) with index type Idx on `sms` blocks. */
template <class Idx>
static inline cudaError_t launch_t(int v, const xfer_args &a, int sms,
                                   cudaStream_t s) {
  if (a.n == 0 || a.seg_bytes == 0) return cudaSuccess;
  if (sms < 1) return cudaErrorInvalidValue;
  switch (v) {
  case 1: xfer_v1<Idx><<<sms, kThreads, 0, s>>>(a); break;
  case 2: xfer_v2<Idx><<<sms, kThreads, 0, s>>>(a); break;
  case 3: xfer_pieces<Idx, 4><<<sms, kThreads, 0, s>>>(a); break;
  case 4: xfer_pieces<Idx, 8><<<sms, kThreads, 0, s>>>(a); break;
  default: return cudaErrorInvalidValue;
  }
  return cudaGetLastError();
}

static inline cudaError_t launch(int v, const xfer_args &a, int index_bytes,
                                 int sms, cudaStream_t s) {
  if (index_bytes == 4) return launch_t<int32_t>(v, a, sms, s);
  if (index_bytes == 8) return launch_t<int64_t>(v, a, sms, s);
  return cudaErrorInvalidValue;
}

} // namespace kvx

#endif
