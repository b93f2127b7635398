/* prefix_blocks.h - the shared-block bookkeeping of the block-table
 * strategies (paged, indirect): who references each block, which blocks are
 * published under a prefix key, and what that does to the counters `used`
 * and `backed` are made of.
 *
 * The story. A strategy owns the blocks (a free stack, free ranges), the
 * house of its requests (block_req.h) the tables that point at them; this
 * module owns the references. A block a
 * table takes gets one reference (kv_pblocks_take). A request may attach to
 * blocks others published under a key (kv_pblocks_attach_one): a full block
 * is then counted by several requests (`dup`), a partial one is a pending
 * copy-on-write, referenced but not counted until the request writes into
 * it and copies it (kv_pblocks_cow_ops, then kv_pblocks_unref of the
 * source). When its last reference goes, a keyed block stays cached on the
 * LRU list for later requests; an unkeyed one goes back to the strategy's
 * pool (kv_pblocks_unref says which). kv_pblocks_check compares all of it
 * with the references the strategy counts in its own tables.
 *
 * Blocks are the strategy's ids, 0 .. nblocks-1. Key 0 is "no key".
 * Main entry points: kv_pblocks_take(), kv_pblocks_unref(),
 * kv_pblocks_attach_one(), kv_pblocks_publish(), kv_pblocks_check().
 */
#ifndef KV_PREFIX_BLOCKS_H
#define KV_PREFIX_BLOCKS_H

#include "kv_error.h"
#include "lanes.h"
#include "ops.h"
#include "prefix_map.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Invariants (checked by kv_pblocks_check, given what the tables hold):
 * - pm.refcnt[b] is the number of live table entries that point at b;
 *   cref[b] those of them that count (all but a pending copy-on-write);
 * - only a keyed block has refcnt > 1; a free block has no key; a block is
 *   on the LRU list iff it is keyed with refcnt 0 (cached);
 * - every key maps back to its block (prefix_map.h);
 * - held = blocks with refcnt >= 1; dup = sum over blocks of
 *   max(cref - 1, 0); keyed_refs = sum of refcnt over keyed blocks. */
typedef struct kv_pblocks {
  kv_pmap pm;          /* refcounts, keys, LRU of cached blocks */
  uint32_t *cref;      /* counting references per block */
  uint64_t held;       /* blocks with a reference */
  uint64_t dup;        /* blocks counted by more than one request */
  uint64_t keyed_refs; /* sum of refcounts over keyed blocks */
} kv_pblocks;

/* What both block-table strategies need of cfg, checked in one place: a
 * model with KV bytes per token, block_tokens and max_requests not 0, and
 * no prefix cache with a sliding window. Fills *ln (lanes.h); `who` names
 * the strategy in the message (KV_EINVAL). */
kv_status kv_pblocks_cfg_lanes(const kv_strategy_cfg *cfg, const char *who,
                               kv_lanes *ln, kv_error *err);

/* Room for k more entries of esz bytes in a table of n entries and *cap
 * capacity (doubling from 4); returns the table, maybe moved. */
void *kv_pblocks_tab_room(void *tab, size_t esz, uint32_t n, uint32_t *cap,
                          uint32_t k);

/* One TABLE_WRITE op of k entries of entry_bytes (4: block ids, 8:
 * offsets). */
void kv_pblocks_table_write(kv_op_list *ops, uint32_t req, uint32_t k,
                            uint32_t entry_bytes);

void kv_pblocks_init(kv_pblocks *pb, uint32_t nblocks);
void kv_pblocks_free(kv_pblocks *pb);

/* b leaves the strategy's pool for one table entry: one counting
 * reference. */
void kv_pblocks_take(kv_pblocks *pb, uint32_t b);

/* Drop one reference to b (`counting`: not a pending copy-on-write). True
 * when b is now unreferenced and unkeyed: the caller puts it back in its
 * pool. An unreferenced keyed block is cached (LRU) instead. */
bool kv_pblocks_unref(kv_pblocks *pb, uint32_t b, bool counting);

/* Publish b under key (fill tokens); drop b's key. */
void kv_pblocks_set_key(kv_pblocks *pb, uint32_t b, uint64_t key,
                        uint32_t fill);
void kv_pblocks_drop_key(kv_pblocks *pb, uint32_t b);

/* One step of a prefix attach: the block published under key, with one
 * more reference (a cached one leaves the LRU list), or KV_PMAP_NONE (no
 * such key, or fill 0: the attach stops). *got = the tokens it brings,
 * min(fill, its published fill); when *got < block_tokens the entry is a
 * pending copy-on-write (not counted) and the attach stops after it. */
uint32_t kv_pblocks_attach_one(kv_pblocks *pb, uint64_t key, uint32_t fill,
                               uint32_t block_tokens, uint32_t *got);

/* One step of a prefix publish: entry i of a table of `tokens` tokens
 * (block b) under key with fill. False when the publish stops here (key 0,
 * a fill of 0, over a block, or beyond the tokens); a block already keyed,
 * or a key already published, is skipped (true). */
bool kv_pblocks_publish(kv_pblocks *pb, uint32_t b, uint64_t i, uint64_t tokens,
                        uint64_t key, uint32_t fill, uint32_t block_tokens);

/* Does entry j (block b) of a table hold published tokens at or after
 * `tokens`? A shrink to `tokens` would then write into a prefix. */
bool kv_pblocks_published_after(const kv_pblocks *pb, uint32_t b, uint64_t j,
                                uint64_t tokens, uint32_t block_tokens);

/* The ops of a copy-on-write: one D2D COPY of `bytes` from src to dst (via
 * `via`, one run) and one TABLE_WRITE of one entry of entry_bytes. */
void kv_pblocks_cow_ops(kv_op_list *ops, uint32_t req, uint8_t via,
                        uint64_t src, uint64_t dst, uint64_t bytes,
                        uint32_t entry_bytes);

/* The memory stats every block-table strategy shares: capacity, used
 * (live token x lane units x bpt, a block several requests count holding
 * its tokens once), backed = allocated = held blocks, internal_frag and
 * free; the rest of *out is 0 for the strategy to fill. */
void kv_pblocks_mem_stats(const kv_pblocks *pb, uint64_t capacity,
                          uint64_t live_units, uint32_t block_tokens,
                          uint64_t bpt, uint64_t block_bytes,
                          kv_mem_stats *out);

/* A request that holds no device blocks: a swapped one (n == 0; its
 * swapped_n host blocks in the lane layout of its tokens), a free one
 * (no blocks, tokens or window lanes). */
kv_status kv_pblocks_check_swapped(const kv_lanes *ln, uint32_t block_tokens,
                                   const char *who, uint32_t q, uint32_t n,
                                   uint32_t swapped_n, uint32_t nw,
                                   uint64_t wlo, uint64_t tokens,
                                   kv_error *err);
kv_status kv_pblocks_check_free(const char *who, uint32_t q, uint32_t n,
                                uint64_t tokens, uint32_t nw, uint64_t wlo,
                                kv_error *err);

/* What the strategy counted in its tables, one slot per block: free (in
 * its pool), refs (entries pointing at it), crefs (of them, counting). */
typedef struct kv_pblocks_census {
  uint64_t nblocks;
  uint8_t *isfree;
  uint32_t *refs, *crefs;
} kv_pblocks_census;

void kv_pblocks_census_init(kv_pblocks_census *c, uint64_t nblocks);
void kv_pblocks_census_free(kv_pblocks_census *c);

/* The invariants above, against a census of blocks 0 .. c->nblocks-1;
 * `who` names the strategy in the message. With a window (lanes->lw) no
 * block may be keyed. O(nblocks). */
kv_status kv_pblocks_check(const kv_pblocks *pb, const kv_pblocks_census *c,
                           const kv_lanes *lanes, const char *who,
                           kv_error *err);

/* The lane layout of a table of n entries (nw of them window lanes, from
 * block wlo) holding `tokens` tokens of request q: every lane holds at
 * least ceil(tokens / block_tokens) blocks, the window lanes none before
 * win_lo(tokens). */
kv_status kv_pblocks_check_lanes(const kv_lanes *ln, uint32_t block_tokens,
                                 const char *who, uint32_t q, uint32_t n,
                                 uint32_t nw, uint64_t wlo, uint64_t tokens,
                                 kv_error *err);

#ifdef __cplusplus
}
#endif

#endif
