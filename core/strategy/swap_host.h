/* swap_host.h - the host side of a whole-request swap, the same in every
 * strategy: a swap-out takes one range of the host tier for the request's
 * bytes (none for 0 bytes) before the strategy queues its D2H copy and
 * gives its device memory back; a swap-in takes device memory, queues the
 * H2D copy and gives the range back. Static, vmm and buddy move a request
 * as one piece (host_off, host_len); paged and indirect as its blocks, in
 * table order.
 *
 * Invariant (each strategy's is_valid checks it): the host ranges of
 * swapped requests (and, in indirect, of evicted blocks) and the host free
 * list tile [0, host_bytes).
 *
 * Main entry points: kv_swap_usable(), kv_swap_host_take(),
 * kv_swap_host_give().
 */
#ifndef KV_SWAP_HOST_H
#define KV_SWAP_HOST_H

#include "range_alloc.h"
#include "strategy.h"

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A swap can be asked of request req: the host tier exists and req is a
 * request id. */
bool kv_swap_usable(const kv_strategy_cfg *cfg, uint32_t req);

/* A host range for `bytes`: *off (0 and nothing taken for 0 bytes); false
 * when no free range holds them (the swap-out is KV_ENOMEM). */
bool kv_swap_host_take(kv_range_allocator *host, uint64_t bytes, uint64_t *off);

/* The range [*off, *off + *len) goes back to the host tier; both become
 * 0. */
void kv_swap_host_give(kv_range_allocator *host, uint64_t *off, uint64_t *len);

#ifdef __cplusplus
}
#endif

#endif
