/* kv_kernels.cu - the promoted kernel-lab versions behind the C launchers of
 * kv_kernels.h (library kvsim_kernels, used by the GPU backend and by
 * kvsim-calibrate). Which version each launcher runs is chosen from the lab
 * timings recorded in results/2026-11-22-h100-kernels/; only those versions
 * are instantiated here (the labs hold every version).
 * Main entry points: kv_transfer_launch(), kv_transfer_launch_threads(),
 * kv_transfer_pair_launch(), kv_attn_launch(), kv_compact_launch().
 */
#include "kv_kernels.h"

#include "attn_read.cuh"
#include "compact.cuh"
#include "transfer.cuh"

/* promoted versions (see kernels/README.md) */
#define KV_TRANSFER_VERSION 3
#define KV_TRANSFER_PAIR_VERSION 6
#define KV_COMPACT_VERSION 2

extern "C" uint64_t kv_xfer_block_bytes(const kv_xfer_desc *d) {
  return 2ull * d->layers * d->block_tokens * d->row_bytes;
}

extern "C" cudaError_t kv_transfer_launch(const kv_xfer_desc *d, int dir,
                                          uint64_t n, const void *dev_ids,
                                          const void *host_slots,
                                          int index_bytes, int sms,
                                          cudaStream_t stream) {
  if (!d || (dir != KV_XFER_D2H && dir != KV_XFER_H2D) ||
      (d->layout != KV_LAYOUT_LAYER_FIRST && d->layout != KV_LAYOUT_PAGE_FIRST))
    return cudaErrorInvalidValue;
  if (n == 0) return cudaSuccess;
  if (!dev_ids || !d->dev_base || !d->host_base) return cudaErrorInvalidValue;
  kvx::xfer_args a = kvx::make_args(d, dir, n, dev_ids, host_slots);
  return kvx::launch<KV_TRANSFER_VERSION>(a, index_bytes, sms, stream);
}

static int xfer_desc_ok(const kv_xfer_desc *d, int dir) {
  return d && (dir == KV_XFER_D2H || dir == KV_XFER_H2D) &&
         (d->layout == KV_LAYOUT_LAYER_FIRST ||
          d->layout == KV_LAYOUT_PAGE_FIRST);
}

extern "C" cudaError_t
kv_transfer_launch_threads(const kv_xfer_desc *d, int dir, uint64_t n,
                           const void *dev_ids, const void *host_slots,
                           int index_bytes, int sms, int threads,
                           cudaStream_t stream) {
  if (threads == 0 || threads == kvx::kThreads)
    return kv_transfer_launch(d, dir, n, dev_ids, host_slots, index_bytes, sms,
                              stream);
  if (!xfer_desc_ok(d, dir)) return cudaErrorInvalidValue;
  if (n == 0) return cudaSuccess;
  if (!dev_ids || !d->dev_base || !d->host_base) return cudaErrorInvalidValue;
  kvx::xfer_args a = kvx::make_args(d, dir, n, dev_ids, host_slots);
  return kvx::launch_threads<KV_TRANSFER_VERSION>(a, index_bytes, sms, threads,
                                                  stream);
}

extern "C" cudaError_t kv_transfer_pair_launch(
    const kv_xfer_desc *d0, int dir0, uint64_t n0, const void *dev_ids0,
    const void *host_slots0, const kv_xfer_desc *d1, int dir1, uint64_t n1,
    const void *dev_ids1, const void *host_slots1, int index_bytes, int sms,
    void *counters, cudaStream_t stream) {
  if (!d1) n1 = 0;
  if (!xfer_desc_ok(d0, dir0) || (n1 && !xfer_desc_ok(d1, dir1)))
    return cudaErrorInvalidValue;
  if (n0 == 0 && n1 == 0) return cudaSuccess;
  if ((n0 && (!dev_ids0 || !d0->dev_base || !d0->host_base)) ||
      (n1 && (!dev_ids1 || !d1->dev_base || !d1->host_base)))
    return cudaErrorInvalidValue;
  kvx::xfer_args a0 = kvx::make_args(d0, dir0, n0, dev_ids0, host_slots0);
  kvx::xfer_args a1 =
      n1 ? kvx::make_args(d1, dir1, n1, dev_ids1, host_slots1) : a0;
  if (!n1) a1.n = 0;
  return kvx::launch_pair<KV_TRANSFER_PAIR_VERSION>(
      a0, a1, index_bytes, sms, stream, (unsigned long long *)counters);
}

extern "C" size_t kv_attn_workspace_bytes(const kv_attn_desc *d) {
  return kva::workspace_bytes(d);
}

extern "C" cudaError_t kv_attn_launch(const kv_attn_desc *d,
                                      cudaStream_t stream) {
  if (!d) return cudaErrorInvalidValue;
  return kva::launch(d, stream);
}

extern "C" cudaError_t
kv_compact_launch(void *slab, int64_t *offsets, uint64_t n_moves,
                  const int64_t *move_idx, const int64_t *move_dst,
                  uint64_t block_bytes, int sms, cudaStream_t stream) {
  if (n_moves == 0) return cudaSuccess;
  if (!slab || !offsets || !move_idx || !move_dst) return cudaErrorInvalidValue;
  return kvc::launch<KV_COMPACT_VERSION>((char *)slab, offsets, n_moves,
                                         move_idx, move_dst, block_bytes, sms,
                                         stream);
}
