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
 *   v5  as v4 (4 KiB pieces, 8 int4 loads in flight per lane) on blocks of
 *       512 threads (no register spills, which v4 has at 1024), with
 *       non-coherent loads that skip L1 and ask L2 for 256-byte fetches
 *       (ld.global.nc.L1::no_allocate.L2::256B) and evict-first stores
 *       (st.global.cs)
 *   v6  two transfers in one kernel (for both directions at once): every
 *       warp claims 4 KiB pieces from one atomic ticket counter; tickets are
 *       dealt to the two transfers in proportion to their sizes, so both
 *       finish together whichever direction the link favours; pieces are
 *       copied as in v5. One transfer alone works too.
 *   v7  v6 with plain loads and stores (ld.global, st.global), to tell the
 *       schedule's effect from the cache hints'.
 *   v8  v6's tickets and deal, data moved by the Hopper bulk-copy unit
 *       (TMA, cp.async.bulk) through a ring of shared-memory stages: 2
 *       warps per block, each with 6 stages of 16 KiB (192 KiB of dynamic
 *       shared memory per block). A piece is 16 KiB of one chunk, or up to
 *       32 whole chunks when chunks are shorter (one bulk copy per lane);
 *       it is loaded into a stage (completion on the stage's mbarrier) and
 *       stored from it with a bulk store, while 4 more pieces load. The
 *       hope: bigger PCIe read requests and write payloads than per-thread
 *       loads and stores. Unaligned transfers take v6's path (in the same
 *       kernel when the other transfer is aligned, else v6 itself).
 *   v9  v8 with 4 warps per block, each with 6 stages of 8 KiB pieces
 *       (more, smaller bulk copies in flight; same shared memory).
 * Versions are template arguments (launch<V>, launch_pair<V>): the library
 * instantiates its promoted ones only; the labs pick any at run time through
 * transfer_lab.cuh.
 * Main entry points: kvx::make_args(), kvx::launch<V>(),
 * kvx::launch_threads<V>(), kvx::launch_pair<V>().
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
  int aligned; /* every chunk address and length is a multiple of 16 (v8/v9
                  need it for bulk copies) */
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
 * per lane; unaligned transfers take v2's path. Blocks of T threads
 * (kThreads unless launch_threads asks for another block size). */
template <class Idx, int U, int T = kThreads>
__global__ void __launch_bounds__(T) xfer_pieces(xfer_args a) {
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

/* 16-byte load that bypasses L1 and asks L2 to fetch 256 bytes around the
 * address (source data is read-only during the kernel). */
__device__ __forceinline__ int4 ld_nc_256(const int4 *p) {
  int4 r;
  asm("ld.global.nc.L1::no_allocate.L2::256B.v4.s32 {%0, %1, %2, %3}, [%4];"
      : "=r"(r.x), "=r"(r.y), "=r"(r.z), "=r"(r.w)
      : "l"(p));
  return r;
}

/* v5/v6 memory operations (Hint) or plain ones (v7) */
template <bool Hint> __device__ __forceinline__ int4 ld16(const int4 *p) {
  if (Hint) return ld_nc_256(p);
  return *p;
}
template <bool Hint> __device__ __forceinline__ void st16(int4 *p, int4 v) {
  if (Hint)
    __stcs(p, v);
  else
    *p = v;
}

/* A warp copies one piece of `words` 16-byte words (at most 32*U), U loads
 * in flight per lane before the stores. */
template <int U, bool Hint>
__device__ __forceinline__ void copy_piece_v5(const int4 *s, int4 *d,
                                              uint64_t words, int lane) {
  int4 r[U];
  if (words >= 32ull * U) {
#pragma unroll
    for (int u = 0; u < U; u++)
      r[u] = ld16<Hint>(s + lane + 32 * u);
#pragma unroll
    for (int u = 0; u < U; u++)
      st16<Hint>(d + lane + 32 * u, r[u]);
  } else {
#pragma unroll
    for (int u = 0; u < U; u++)
      if ((uint64_t)(lane + 32 * u) < words)
        r[u] = ld16<Hint>(s + lane + 32 * u);
#pragma unroll
    for (int u = 0; u < U; u++)
      if ((uint64_t)(lane + 32 * u) < words)
        st16<Hint>(d + lane + 32 * u, r[u]);
  }
}

constexpr int kThreads5 = 512; /* v5/v6: 16 warps, up to 128 registers */
constexpr int kU5 = 8;         /* v5/v6 loads per lane */
constexpr uint64_t kPiece5 = 32ull * 16 * kU5; /* v5/v6 piece: 4 KiB */

/* Pieces of a transfer for v5/v6: 4 KiB pieces of each chunk when aligned,
 * else one piece per chunk (copied by warp_copy_any). */
__device__ __forceinline__ uint64_t per_chunk5(const xfer_args &a) {
  return a.aligned ? (a.seg_bytes + kPiece5 - 1) / kPiece5 : 1;
}

template <class Idx, bool Hint = true>
__device__ __forceinline__ void
do_piece5(const xfer_args &a, uint64_t per_chunk, uint64_t p, int lane) {
  uint64_t c = p / per_chunk;
  const char *src;
  char *dst;
  chunk_ptrs<Idx>(a, c, src, dst);
  if (!a.aligned) {
    warp_copy_any(src, dst, a.seg_bytes, lane);
    return;
  }
  uint64_t off = (p - c * per_chunk) * kPiece5;
  copy_piece_v5<kU5, Hint>((const int4 *)(src + off), (int4 *)(dst + off),
                           (a.seg_bytes - off) / 16, lane);
}

/* v5: v4's static piece schedule with v5's loads and stores. */
template <class Idx>
__global__ void __launch_bounds__(kThreads5) xfer_v5(xfer_args a) {
  int lane = threadIdx.x & 31;
  uint64_t warp = ((uint64_t)blockIdx.x * blockDim.x + threadIdx.x) >> 5;
  uint64_t nwarps = ((uint64_t)gridDim.x * blockDim.x) >> 5;
  uint64_t per = per_chunk5(a);
  uint64_t pieces = a.n * a.nseg * per;
  for (uint64_t p = warp; p < pieces; p += nwarps)
    do_piece5<Idx>(a, per, p, lane);
}

/* v6: two transfers, pieces handed out by ctr[0] (ticket t goes to
 * transfer 0 iff floor((t+1)*P0/P) > floor(t*P0/P), an even deal in
 * proportion to the piece counts P0, P1, P = P0 + P1). ctr[1] counts warps
 * that are done; the last one sets both counters back to 0, so ctr must be
 * zero before the first launch and is zero again after each one. Launches
 * that share ctr must not run at the same time. */
template <class Idx, bool Hint>
__global__ void __launch_bounds__(kThreads5)
    xfer_v6(xfer_args a0, xfer_args a1, unsigned long long *ctr) {
  int lane = threadIdx.x & 31;
  unsigned long long nwarps = ((unsigned long long)gridDim.x * blockDim.x) >> 5;
  uint64_t per0 = per_chunk5(a0), per1 = per_chunk5(a1);
  uint64_t p0 = a0.n * a0.nseg * per0, p1 = a1.n * a1.nseg * per1;
  uint64_t total = p0 + p1;
  for (;;) {
    unsigned long long t = 0;
    if (lane == 0) t = atomicAdd(&ctr[0], 1ull);
    t = __shfl_sync(0xffffffffu, t, 0);
    if (t >= total) break;
    uint64_t h = t * p0 / total;
    if ((t + 1) * p0 / total > h)
      do_piece5<Idx, Hint>(a0, per0, h, lane);
    else
      do_piece5<Idx, Hint>(a1, per1, t - h, lane);
  }
  if (lane == 0) {
    __threadfence();
    if (atomicAdd(&ctr[1], 1ull) == nwarps - 1) {
      atomicExch(&ctr[0], 0ull);
      atomicExch(&ctr[1], 0ull);
    }
  }
}

/* ---- v8/v9: the Hopper bulk-copy unit (TMA, cp.async.bulk) ------------
 * Every warp runs its own ring of S stages of P bytes in shared memory. A
 * ticket (v6's counter and deal) names a piece: P bytes of one chunk when
 * chunks are at least P long, else up to min(32, P / seg_bytes) whole
 * chunks, one per lane. The lanes load the piece host/device -> shared with
 * cp.async.bulk on the stage's mbarrier (lane 0 arms it with the piece's
 * byte count), and once the mbarrier's phase completes they store it
 * shared -> destination with cp.async.bulk bulk groups. A stage is loaded
 * again only after the store that read it is done reading (wait_group.read);
 * S - 2 loads stay in flight while the oldest stage drains. Unaligned
 * transfers: tickets of such a transfer are copied by the warp at once on
 * v6's path (the launcher runs v6 itself when no transfer is aligned). */

__device__ __forceinline__ uint32_t smem_u32(const void *p) {
  return (uint32_t)__cvta_generic_to_shared(p);
}

#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
#define KVX_HAVE_BULK 1
#else
#define KVX_HAVE_BULK 0
#endif

__device__ __forceinline__ void mbar_init(uint32_t bar, uint32_t count) {
#if KVX_HAVE_BULK
  asm volatile("mbarrier.init.shared::cta.b64 [%0], %1;" ::"r"(bar), "r"(count)
               : "memory");
#endif
}

/* make mbarrier.init visible to the async proxy (the bulk copies that
 * complete transactions on it) */
__device__ __forceinline__ void fence_mbar_init() {
#if KVX_HAVE_BULK
  asm volatile("fence.mbarrier_init.release.cluster;" ::: "memory");
#endif
}

/* order this thread's generic-proxy view of shared memory with the async
 * proxy (bulk copies) */
__device__ __forceinline__ void fence_proxy_async_smem() {
#if KVX_HAVE_BULK
  asm volatile("fence.proxy.async.shared::cta;" ::: "memory");
#endif
}

/* arrive once on the mbarrier and expect `bytes` of transactions */
__device__ __forceinline__ void mbar_arrive_expect_tx(uint32_t bar,
                                                      uint32_t bytes) {
#if KVX_HAVE_BULK
  asm volatile("{\n\t.reg .b64 st;\n\t"
               "mbarrier.arrive.expect_tx.shared::cta.b64 st, [%0], %1;\n\t}"
               :
               : "r"(bar), "r"(bytes)
               : "memory");
#endif
}

/* true once the phase of the given parity has completed */
__device__ __forceinline__ bool mbar_try_wait(uint32_t bar, uint32_t parity) {
  uint32_t ok = 1;
#if KVX_HAVE_BULK
  asm volatile("{\n\t.reg .pred p;\n\t"
               "mbarrier.try_wait.parity.shared::cta.b64 p, [%1], %2;\n\t"
               "selp.u32 %0, 1, 0, p;\n\t}"
               : "=r"(ok)
               : "r"(bar), "r"(parity)
               : "memory");
#endif
  return ok != 0;
}

__device__ __forceinline__ uint64_t global_ns() {
  uint64_t t;
  asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(t));
  return t;
}

/* wait for the phase; after 10 s without it, trap (a launch error that the
 * host sees, rather than a hung process, should a bulk copy never land) */
__device__ __forceinline__ void mbar_wait(uint32_t bar, uint32_t parity) {
  if (mbar_try_wait(bar, parity)) return;
  uint64_t t0 = global_ns();
  while (!mbar_try_wait(bar, parity))
    if (global_ns() - t0 > 10000000000ull) __trap();
}

/* bulk copy global (device or mapped host) -> shared, completing `bytes`
 * transactions on the mbarrier */
__device__ __forceinline__ void bulk_load(uint32_t dst, const void *src,
                                          uint32_t bytes, uint32_t bar) {
#if KVX_HAVE_BULK
  asm volatile("cp.async.bulk.shared::cluster.global.mbarrier::complete_tx::"
               "bytes [%0], [%1], %2, [%3];" ::"r"(dst),
               "l"((uint64_t)__cvta_generic_to_global(src)), "r"(bytes),
               "r"(bar)
               : "memory");
#endif
}

/* bulk copy shared -> global in this thread's current bulk group */
__device__ __forceinline__ void bulk_store(void *dst, uint32_t src,
                                           uint32_t bytes) {
#if KVX_HAVE_BULK
  asm volatile(
      "cp.async.bulk.global.shared::cta.bulk_group [%0], [%1], %2;" ::"l"(
          (uint64_t)__cvta_generic_to_global(dst)),
      "r"(src), "r"(bytes)
      : "memory");
#endif
}

__device__ __forceinline__ void bulk_commit() {
#if KVX_HAVE_BULK
  asm volatile("cp.async.bulk.commit_group;" ::: "memory");
#endif
}

/* wait until at most N of this thread's bulk groups still read shared
 * memory */
template <int N> __device__ __forceinline__ void bulk_wait_read() {
#if KVX_HAVE_BULK
  asm volatile("cp.async.bulk.wait_group.read %0;" ::"n"(N) : "memory");
#endif
}

/* wait until at most N of this thread's bulk groups are not complete */
template <int N> __device__ __forceinline__ void bulk_wait() {
#if KVX_HAVE_BULK
  asm volatile("cp.async.bulk.wait_group %0;" ::"n"(N) : "memory");
#endif
}

/* How a transfer is cut into v8/v9 pieces of at most P bytes. */
struct tma_plan {
  uint64_t per_chunk; /* pieces per chunk (group == 1) */
  uint64_t chunks;
  uint64_t pieces;
  uint32_t group; /* whole chunks per piece (> 1: one per lane) */
  int tma;        /* 0: unaligned, v6's pieces (one per chunk) */
};

template <int P>
__device__ __forceinline__ tma_plan make_tma_plan(const xfer_args &a) {
  tma_plan pl;
  pl.chunks = a.seg_bytes ? a.n * a.nseg : 0;
  pl.tma = a.aligned;
  pl.group = 1;
  pl.per_chunk = 1;
  if (a.aligned && pl.chunks) {
    if (a.seg_bytes >= (uint64_t)P) {
      pl.per_chunk = (a.seg_bytes + P - 1) / P;
    } else {
      uint64_t g = (uint64_t)P / a.seg_bytes;
      pl.group = (uint32_t)(g < 32 ? g : 32);
    }
  }
  pl.pieces = pl.group > 1 ? (pl.chunks + pl.group - 1) / pl.group
                           : pl.chunks * pl.per_chunk;
  return pl;
}

/* A lane's part of piece p: src, dst, length (0: none) and its offset in
 * the stage. */
template <class Idx, int P>
__device__ __forceinline__ uint32_t tma_part(const xfer_args &a,
                                             const tma_plan &pl, uint64_t p,
                                             int lane, const char *&src,
                                             char *&dst, uint32_t &soff) {
  src = nullptr;
  dst = nullptr;
  soff = 0;
  if (pl.group > 1) {
    uint64_t c = p * pl.group + (uint64_t)lane;
    if ((uint32_t)lane >= pl.group || c >= pl.chunks) return 0;
    chunk_ptrs<Idx>(a, c, src, dst);
    soff = (uint32_t)lane * (uint32_t)a.seg_bytes;
    return (uint32_t)a.seg_bytes;
  }
  if (lane != 0) return 0;
  uint64_t c = p / pl.per_chunk;
  uint64_t off = (p - c * pl.per_chunk) * (uint64_t)P;
  chunk_ptrs<Idx>(a, c, src, dst);
  src += off;
  dst += off;
  uint64_t len = a.seg_bytes - off;
  return (uint32_t)(len < (uint64_t)P ? len : (uint64_t)P);
}

/* where a lane's part of a stage goes (shared memory, generic proxy only) */
struct tma_slot {
  char *dst;
  uint32_t len, soff;
};

/* dynamic shared memory of a v8/v9 block: W*S stages of P bytes, then W*S
 * mbarriers, then W*S*32 slots */
template <int W, int S, int P> constexpr size_t tma_smem_bytes() {
  return (size_t)W * S * P + (size_t)W * S * 8 +
         (size_t)W * S * 32 * sizeof(tma_slot);
}

/* Claim tickets until one names a bulk-copy piece, then start loading it
 * into `stage` (mbarrier `bar`, lane parts in `slots`; false: no tickets
 * left). Tickets of unaligned transfers
 * are copied at once on v6's path. */
template <class Idx, int P>
__device__ __forceinline__ bool
tma_fill(const xfer_args &a0, const xfer_args &a1, const tma_plan &q0,
         const tma_plan &q1, unsigned long long *ctr, int lane, char *stage,
         uint32_t bar, tma_slot *slots) {
  uint64_t total = q0.pieces + q1.pieces;
  for (;;) {
    unsigned long long t = 0;
    if (lane == 0) t = atomicAdd(&ctr[0], 1ull);
    t = __shfl_sync(0xffffffffu, t, 0);
    if (t >= total) return false;
    uint64_t h = t * q0.pieces / total;
    bool first = (t + 1) * q0.pieces / total > h;
    uint64_t p = first ? h : t - h;
    const char *src;
    char *dst;
    uint32_t soff, len;
    if (first) {
      if (!q0.tma) {
        do_piece5<Idx, true>(a0, 1, p, lane);
        continue;
      }
      len = tma_part<Idx, P>(a0, q0, p, lane, src, dst, soff);
    } else {
      if (!q1.tma) {
        do_piece5<Idx, true>(a1, 1, p, lane);
        continue;
      }
      len = tma_part<Idx, P>(a1, q1, p, lane, src, dst, soff);
    }
    slots[lane].dst = dst;
    slots[lane].len = len;
    slots[lane].soff = soff;
    uint32_t bytes = __reduce_add_sync(0xffffffffu, len);
    if (lane == 0) mbar_arrive_expect_tx(bar, bytes);
    __syncwarp();
    if (len) bulk_load(smem_u32(stage + soff), src, len, bar);
    return true;
  }
}

/* v8/v9: one or two transfers with bulk copies through shared memory, W
 * warps per block, each with S stages of P bytes; tickets and ctr as in
 * xfer_v6 (ctr[1] counts warps). Dynamic shared memory: tma_smem_bytes. */
template <class Idx, int W, int S, int P>
__global__ void __launch_bounds__(32 * W)
    xfer_tma(xfer_args a0, xfer_args a1, unsigned long long *ctr) {
  static_assert(S >= 3 && S <= 32 && P % 16 == 0, "v8/v9 geometry");
  extern __shared__ __align__(128) unsigned char kvx_tma_smem[];
#if KVX_HAVE_BULK
  int lane = threadIdx.x & 31;
  int warp = threadIdx.x >> 5;
  unsigned char *smem = kvx_tma_smem;
  char *stages = (char *)smem + (size_t)warp * S * P;
  uint32_t bars = smem_u32(smem + (size_t)W * S * P) + (uint32_t)warp * S * 8;
  tma_slot *slots = (tma_slot *)(smem + (size_t)W * S * P + (size_t)W * S * 8) +
                    (size_t)warp * S * 32;
  if (lane == 0) {
    for (int s = 0; s < S; s++)
      mbar_init(bars + 8u * s, 1);
    fence_mbar_init();
    fence_proxy_async_smem();
  }
  __syncwarp();
  tma_plan q0 = make_tma_plan<P>(a0), q1 = make_tma_plan<P>(a1);
  uint32_t phase = 0; /* bit s: parity of stage s's next phase */
  uint64_t filled = 0, stored = 0;
  bool more = true;
  for (int s = 0; s < S && more; s++) {
    more = tma_fill<Idx, P>(a0, a1, q0, q1, ctr, lane, stages + (size_t)s * P,
                            bars + 8u * s, slots + s * 32);
    if (more) filled++;
  }
  while (stored < filled) {
    int s = (int)(stored % S);
    mbar_wait(bars + 8u * s, (phase >> s) & 1u);
    phase ^= 1u << s;
    fence_proxy_async_smem();
    tma_slot sl = slots[s * 32 + lane];
    if (sl.len)
      bulk_store(sl.dst, smem_u32(stages + (size_t)s * P + sl.soff), sl.len);
    bulk_commit();
    stored++;
    /* refill the stage stored one round earlier, once its store has read
     * shared memory (all lanes: another lane's part may overlap) */
    if (more && stored >= 2) {
      bulk_wait_read<1>();
      __syncwarp();
      int r = (int)(filled % S);
      more = tma_fill<Idx, P>(a0, a1, q0, q1, ctr, lane, stages + (size_t)r * P,
                              bars + 8u * r, slots + r * 32);
      if (more) filled++;
    }
  }
  bulk_wait<0>();
  __syncwarp();
  if (lane == 0) {
    __threadfence();
    unsigned long long nwarps = (unsigned long long)gridDim.x * W;
    if (atomicAdd(&ctr[1], 1ull) == nwarps - 1) {
      atomicExch(&ctr[0], 0ull);
      atomicExch(&ctr[1], 0ull);
    }
  }
#else
  __trap();
#endif
}

/* v8 and v9 geometry: warps per block, stages per warp, piece bytes */
constexpr int kW8 = 2, kS8 = 6, kP8 = 16384; /* 192 KiB of stages */
constexpr int kW9 = 4, kS9 = 6, kP9 = 8192;  /* 192 KiB of stages */

/* Launch xfer_tma (raising its dynamic shared memory limit once). */
template <class Idx, int W, int S, int P>
static inline cudaError_t launch_tma_t(const xfer_args &a0, const xfer_args &a1,
                                       int sms, cudaStream_t s,
                                       unsigned long long *ctr) {
  constexpr size_t bytes = tma_smem_bytes<W, S, P>();
  static cudaError_t attr = cudaFuncSetAttribute(
      xfer_tma<Idx, W, S, P>, cudaFuncAttributeMaxDynamicSharedMemorySize,
      (int)bytes);
  if (attr != cudaSuccess) return attr;
  xfer_tma<Idx, W, S, P><<<sms, 32 * W, bytes, s>>>(a0, a1, ctr);
  return cudaGetLastError();
}

/* true when the current device has the bulk-copy unit (compute 9.0+) */
static inline bool have_bulk_copy() {
  int dev = 0, major = 0;
  if (cudaGetDevice(&dev) != cudaSuccess) return false;
  if (cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, dev) !=
      cudaSuccess)
    return false;
  return major >= 9;
}

/* v8 (V == 8) or v9 with one or two transfers (b0, b1 with n == 0 when
 * empty); v6 runs instead when no transfer is aligned. */
template <int V, class Idx>
static inline cudaError_t launch_tma(const xfer_args &b0, const xfer_args &b1,
                                     int sms, cudaStream_t s,
                                     unsigned long long *ctr) {
  static_assert(V == 8 || V == 9, "bulk-copy versions are 8 and 9");
  bool any = (b0.n && b0.aligned) || (b1.n && b1.aligned);
  if (!any) {
    xfer_v6<Idx, true><<<sms, kThreads5, 0, s>>>(b0, b1, ctr);
    return cudaGetLastError();
  }
  if (!have_bulk_copy()) return cudaErrorNotSupported;
  if constexpr (V == 8)
    return launch_tma_t<Idx, kW8, kS8, kP8>(b0, b1, sms, s, ctr);
  else
    return launch_tma_t<Idx, kW9, kS9, kP9>(b0, b1, sms, s, ctr);
}

/* Version numbers, fixed at compile time: a program instantiates (and
 * ships) only the kernels of the versions it names. The library names its
 * promoted ones (kv_kernels.cu, kv_xfer_engine.cu); the labs name them all
 * through the run-time dispatch of transfer_lab.cuh. */
constexpr int kVersions = 9;   /* 1 .. kVersions */
constexpr int kFirstPairV = 6; /* launch_pair: kFirstPairV .. kVersions */

/* Launch version V (1..9) with index type Idx on `sms` blocks; v6..v9
 * need ctr (two zeroed words, see xfer_v6). */
template <int V, class Idx>
static inline cudaError_t launch_t(const xfer_args &a, int sms, cudaStream_t s,
                                   unsigned long long *ctr) {
  static_assert(V >= 1 && V <= kVersions, "transfer versions are 1..9");
  if (a.n == 0 || a.seg_bytes == 0) return cudaSuccess;
  if (sms < 1) return cudaErrorInvalidValue;
  if constexpr (V == 1) {
    xfer_v1<Idx><<<sms, kThreads, 0, s>>>(a);
  } else if constexpr (V == 2) {
    xfer_v2<Idx><<<sms, kThreads, 0, s>>>(a);
  } else if constexpr (V == 3 || V == 4) {
    xfer_pieces<Idx, V == 3 ? 4 : 8><<<sms, kThreads, 0, s>>>(a);
  } else if constexpr (V == 5) {
    xfer_v5<Idx><<<sms, kThreads5, 0, s>>>(a);
  } else if constexpr (V == 6 || V == 7) {
    if (!ctr) return cudaErrorInvalidValue;
    xfer_args none = a;
    none.n = 0;
    xfer_v6<Idx, V == 6><<<sms, kThreads5, 0, s>>>(a, none, ctr);
  } else {
    if (!ctr) return cudaErrorInvalidValue;
    xfer_args none = a;
    none.n = 0;
    return launch_tma<V, Idx>(a, none, sms, s, ctr);
  }
  return cudaGetLastError();
}

template <int V>
static inline cudaError_t launch(const xfer_args &a, int index_bytes, int sms,
                                 cudaStream_t s,
                                 unsigned long long *ctr = nullptr) {
  if (index_bytes == 4) return launch_t<V, int32_t>(a, sms, s, ctr);
  if (index_bytes == 8) return launch_t<V, int64_t>(a, sms, s, ctr);
  return cudaErrorInvalidValue;
}

/* The pieces versions (v3, v4) on blocks of `threads` threads instead of
 * kThreads: the same kernel with fewer warps per block, so fewer bytes in
 * flight per SM (kvsim-calibrate's threads x SMs table). The block sizes
 * instantiated are kBlockSizes; 1024 (kThreads) is launch_t<V>'s kernel
 * itself. Another size: cudaErrorInvalidValue. */
constexpr int kBlockSizes[] = {128, 256, 512, 1024};

template <int V, class Idx>
static inline cudaError_t launch_threads_t(const xfer_args &a, int sms,
                                           int threads, cudaStream_t s) {
  static_assert(V == 3 || V == 4, "block sizes: the pieces versions (3, 4)");
  constexpr int U = V == 3 ? 4 : 8;
  if (a.n == 0 || a.seg_bytes == 0) return cudaSuccess;
  if (sms < 1) return cudaErrorInvalidValue;
  switch (threads) {
  case 128: xfer_pieces<Idx, U, 128><<<sms, 128, 0, s>>>(a); break;
  case 256: xfer_pieces<Idx, U, 256><<<sms, 256, 0, s>>>(a); break;
  case 512: xfer_pieces<Idx, U, 512><<<sms, 512, 0, s>>>(a); break;
  case kThreads: xfer_pieces<Idx, U><<<sms, kThreads, 0, s>>>(a); break;
  default: return cudaErrorInvalidValue;
  }
  return cudaGetLastError();
}

/* launch_threads_t with 4- or 8-byte indices. */
template <int V>
static inline cudaError_t launch_threads(const xfer_args &a, int index_bytes,
                                         int sms, int threads, cudaStream_t s) {
  if (index_bytes == 4) return launch_threads_t<V, int32_t>(a, sms, threads, s);
  if (index_bytes == 8) return launch_threads_t<V, int64_t>(a, sms, threads, s);
  return cudaErrorInvalidValue;
}

/* v6..v9 with two transfers (any directions, same index type Idx) in one
 * launch. */
template <int V, class Idx>
static inline cudaError_t
launch_pair_t(const xfer_args &a0, const xfer_args &a1, int sms, cudaStream_t s,
              unsigned long long *ctr) {
  static_assert(V >= kFirstPairV && V <= kVersions, "pair versions are 6..9");
  xfer_args b0 = a0, b1 = a1;
  if (b0.seg_bytes == 0) b0.n = 0;
  if (b1.seg_bytes == 0) b1.n = 0;
  if (b0.n == 0 && b1.n == 0) return cudaSuccess;
  if (sms < 1 || !ctr) return cudaErrorInvalidValue;
  if constexpr (V == 8 || V == 9) {
    return launch_tma<V, Idx>(b0, b1, sms, s, ctr);
  } else {
    xfer_v6<Idx, V == 6><<<sms, kThreads5, 0, s>>>(b0, b1, ctr);
    return cudaGetLastError();
  }
}

/* launch_pair_t with 4- or 8-byte indices. */
template <int V>
static inline cudaError_t launch_pair(const xfer_args &a0, const xfer_args &a1,
                                      int index_bytes, int sms, cudaStream_t s,
                                      unsigned long long *ctr) {
  if (index_bytes == 4) return launch_pair_t<V, int32_t>(a0, a1, sms, s, ctr);
  if (index_bytes == 8) return launch_pair_t<V, int64_t>(a0, a1, sms, s, ctr);
  return cudaErrorInvalidValue;
}

/* ---- the kernels a transfer engine runs (kv_xfer_engine.cu) ------------
 * The engine's lists are int64. It looks its two kernels up when it is
 * created, by version number, through an engine_kernels_fn: the library's
 * kv_xfer_engine_create() knows only the promoted versions, the lab's
 * engines (engine_create() with transfer_lab.cuh's all_engine_kernels) know
 * every one. */
typedef cudaError_t (*stage_fn)(const xfer_args &a, int sms, cudaStream_t s,
                                unsigned long long *ctr);
typedef cudaError_t (*pair_fn)(const xfer_args &a0, const xfer_args &a1,
                               int sms, cudaStream_t s,
                               unsigned long long *ctr);

struct engine_kernels {
  stage_fn stage; /* gather/scatter of the staging ring: launch_t<V> */
  pair_fn pair;   /* the SM share: launch_pair_t<V> */
};

/* Fill *k with the kernels of the given versions; false: not in this
 * program. */
typedef bool (*engine_kernels_fn)(int stage_version, int pair_version,
                                  engine_kernels *k);

template <int V>
static cudaError_t stage_launch(const xfer_args &a, int sms, cudaStream_t s,
                                unsigned long long *ctr) {
  return launch_t<V, int64_t>(a, sms, s, ctr);
}

template <int V>
static cudaError_t pair_launch(const xfer_args &a0, const xfer_args &a1,
                               int sms, cudaStream_t s,
                               unsigned long long *ctr) {
  return launch_pair_t<V, int64_t>(a0, a1, sms, s, ctr);
}

/* kv_xfer_engine_create() with the kernels `pick` finds for the options'
 * versions (cudaErrorNotSupported when it finds none). */
cudaError_t engine_create(kv_xfer_engine **out, const kv_xfer_engine_opts *opts,
                          engine_kernels_fn pick);

} // namespace kvx

#endif
