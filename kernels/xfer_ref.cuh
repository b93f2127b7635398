/* xfer_ref.cuh - CPU reference of a KV block transfer (layouts and list
 * meaning as in kv_kernels.h), shared by the transfer labs (transfer.cu,
 * xfer_engine.cu).
 * Main entry point: kvref::apply().
 */
#ifndef KV_XFER_REF_CUH
#define KV_XFER_REF_CUH

#include <stdint.h>
#include <string.h>

#include "kv_kernels.h"

namespace kvref {

static inline uint64_t seg_bytes(const kv_xfer_desc &d) {
  return (uint64_t)d.block_tokens * d.row_bytes;
}

/* Device byte offset of segment s (layer*2 + k/v) of block b. */
static inline uint64_t dev_off(const kv_xfer_desc &d, uint64_t b, uint64_t s) {
  uint64_t seg = seg_bytes(d);
  if (d.layout == KV_LAYOUT_PAGE_FIRST) return (b * 2ull * d.layers + s) * seg;
  return (s * d.dev_blocks + b) * seg;
}

/* Host byte offset of segment s of host slot `slot` (always page-first). */
static inline uint64_t host_off(const kv_xfer_desc &d, uint64_t slot,
                                uint64_t s) {
  return (slot * 2ull * d.layers + s) * seg_bytes(d);
}

/* Apply a transfer of n blocks to CPU copies of the device cache and the
 * host area; slots NULL: entry i uses slot i. */
static inline void apply(const kv_xfer_desc &d, int dir, uint64_t n,
                         const int64_t *ids, const int64_t *slots,
                         unsigned char *dev, unsigned char *host) {
  uint64_t seg = seg_bytes(d);
  for (uint64_t i = 0; i < n; i++) {
    uint64_t slot = slots ? (uint64_t)slots[i] : i;
    for (uint64_t s = 0; s < 2ull * d.layers; s++) {
      unsigned char *dp = dev + dev_off(d, (uint64_t)ids[i], s);
      unsigned char *hp = host + host_off(d, slot, s);
      if (dir == KV_XFER_D2H)
        memcpy(hp, dp, seg);
      else
        memcpy(dp, hp, seg);
    }
  }
}

} // namespace kvref

#endif
