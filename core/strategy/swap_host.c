/* swap_host.c - the host side of a whole-request swap (see swap_host.h).
 *
 * Main entry points: kv_swap_usable(), kv_swap_host_take(),
 * kv_swap_host_give().
 */
#include "swap_host.h"

bool kv_swap_usable(const kv_strategy_cfg *cfg, uint32_t req) {
  return cfg->host_bytes != 0 && req < cfg->max_requests;
}

bool kv_swap_host_take(kv_range_allocator *host, uint64_t bytes,
                       uint64_t *off) {
  *off = 0;
  return bytes == 0 || kv_range_alloc(host, bytes, off);
}

void kv_swap_host_give(kv_range_allocator *host, uint64_t *off, uint64_t *len) {
  kv_range_free(host, *off, *len);
  *off = *len = 0;
}
