/* lanes.h - layer groups of a windowed model, as paged and indirect lay
 * them out (vLLM's hybrid allocator): layers are cut into groups of
 * g = gcd(full layers, windowed layers); a block holds block_tokens tokens
 * of one group; a request holds lf lanes of blocks for every block of its
 * tokens and lw lanes for the blocks that overlap its last `window` tokens.
 * A model without a window is one lane of every layer (lf 1, lw 0).
 * Main entry points: kv_lanes_init(), kv_lanes_step().
 */
#ifndef KV_LANES_H
#define KV_LANES_H

#include <stdbool.h>
#include <stdint.h>

#include "strategy.h"

typedef struct kv_lanes {
  uint32_t lf, lw; /* full and window lanes per request (1, 0: no window) */
  uint32_t window; /* tokens (0: none) */
  uint32_t bt;     /* block tokens */
  uint64_t bpt;    /* bytes per token of one block's layer group */
} kv_lanes;

/* The lanes of cfg's model and block size. */
void kv_lanes_init(const kv_strategy_cfg *cfg, kv_lanes *out);

/* Units `used` counts for `tokens` tokens: every token in each full lane,
 * the last `window` in each window lane (x bpt: kv_strategy_used_bytes).
 * Without a window: tokens. */
uint64_t kv_lanes_units(const kv_lanes *l, uint64_t tokens);

/* First block overlapping the last `window` of `tokens` (0: no window). */
uint64_t kv_lanes_win_lo(const kv_lanes *l, uint64_t tokens);

/* The most tokens one request can grow to through every smaller size in a
 * pool of nblocks blocks: its m-th block takes lf*m + lw*min(m, wcap)
 * blocks, wcap = ceil((window - 1) / bt) + 1 being the most a window can
 * overlap; UINT64_MAX when only window lanes grow and wcap blocks fit. */
uint64_t kv_lanes_max_tokens(const kv_lanes *l, uint64_t nblocks);

/* What a reserve to `tokens` does to a table of n entries (nw of them
 * window lanes from block wlo): kf blocks added to the full lanes, kw to
 * the window lanes, `freed` window blocks that left the window. false: the
 * window would start before the first block still held (a shrink needing
 * blocks already freed). */
typedef struct kv_lane_step {
  uint64_t kf, kw, freed;
} kv_lane_step;
bool kv_lanes_step(const kv_lanes *l, uint32_t n, uint32_t nw, uint64_t wlo,
                   uint64_t tokens, kv_lane_step *out);

#endif
