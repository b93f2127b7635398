/* block_req.h - the house of the block-table strategies (paged, indirect):
 * one record per request (its table, tokens, window lanes, pending
 * copy-on-write, swap), and everything done to those records that does not
 * depend on where a block lives: reserve (with window lanes and
 * copy-on-write), release, whole-request swap, prefix attach and publish,
 * reserve_need, and the request-level validity checks.
 *
 * The story. A table entry is a uint64_t whose meaning is the strategy's: a
 * block id (paged), a device offset or a host-tagged host offset
 * (indirect). The house never decodes one itself; it asks the strategy
 * through a small vtable (kv_bhouse_vt): take a new block after a given
 * entry, drop a reference, the block id and device address of an entry,
 * how many blocks a reservation may take, and what to do after the blocks
 * moved (paged's shared pool maps and unmaps page groups there). The
 * strategy keeps its free blocks (paged: a free stack or pool pages;
 * indirect: slabs and free ranges) and what only it does (indirect:
 * evict, reload, compact). References, keys and the LRU of shared blocks
 * are prefix_blocks.h's; the house holds its kv_pblocks.
 *
 * Main entry points: kv_bhouse_init(), kv_bhouse_reserve(),
 * kv_bhouse_release(), kv_bhouse_swap_out(), kv_bhouse_swap_in(),
 * kv_bhouse_check_requests().
 */
#ifndef KV_BLOCK_REQ_H
#define KV_BLOCK_REQ_H

#include "kv_error.h"
#include "lanes.h"
#include "ops.h"
#include "prefix_blocks.h"
#include "range_alloc.h"
#include "strategy.h"

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { KV_BREQ_FREE, KV_BREQ_LIVE, KV_BREQ_SWAPPED } kv_breq_state;

/* "No entry": the `after` of a block with no neighbour before it. */
#define KV_BENTRY_NONE UINT64_MAX

/* A request's table: full lanes first (block j of lane l at tab[j*lf + l],
 * for j < (n - nw)/lf), then the window lanes' blocks from wlo on (block j
 * of lane l at tab[(n - nw) + (j - wlo)*lw + l]). Without a window lf = 1,
 * nw = wlo = 0: one entry per block. A swap keeps nw and wlo (the host copy
 * is the table in this order). */
typedef struct kv_breq {
  uint8_t state; /* kv_breq_state */
  uint8_t cow;   /* LIVE: the last entry is a shared block not yet
                    copied; its first cow_fill tokens are ours */
  uint32_t cow_fill;
  uint64_t tokens;     /* live tokens (kept while swapped) */
  uint64_t *tab;       /* LIVE: entries, in the strategy's encoding */
  uint32_t n, cap;     /* LIVE: entries; capacity */
  uint32_t nw;         /* LIVE, SWAPPED: window-lane entries (the last nw) */
  uint64_t wlo;        /* LIVE, SWAPPED: first block the window lanes hold */
  uint32_t nhost;      /* LIVE: entries evicted to the host tier (a
                          strategy with block-level eviction; else 0) */
  uint64_t host_units; /* LIVE: token x lane units in those entries */
  uint32_t swapped_n;  /* SWAPPED: blocks copied to the host tier */
  uint64_t host_off;   /* SWAPPED: host range of swapped_n blocks */
} kv_breq;

/* What the house asks of the strategy about entries and blocks. */
typedef struct kv_bhouse_vt {
  /* bytes of one table entry in a TABLE_WRITE (4: block ids, 8: offsets) */
  uint32_t entry_bytes;
  /* A new device entry holding one counting reference, placed after entry
     `after` (KV_BENTRY_NONE or a host entry: no preference). The caller
     checked avail() >= 1. May emit ops (a slab, a page group). */
  uint64_t (*take)(void *owner, uint64_t after, uint32_t req, kv_op_list *ops);
  /* Drop entries tab[lo..hi): one reference each to a device block (not a
     counting one for index `pending`: a copy-on-write not made yet), or a
     host entry's host bytes; in the order the strategy's pool wants them
     back. */
  void (*drop)(void *owner, const uint64_t *tab, uint32_t lo, uint32_t hi,
               uint32_t pending);
  /* The block id of entry e, KV_PMAP_NONE for a host entry. */
  uint32_t (*block)(const void *owner, uint64_t e);
  /* The entry naming block b on the device. */
  uint64_t (*entry)(const void *owner, uint32_t b);
  /* The device address of device entry e (as in the ops). */
  uint64_t (*addr)(const void *owner, uint64_t e);
  /* Blocks a reservation may take now. */
  uint64_t (*avail)(const void *owner);
  /* After a reserve that took or gave blocks, a release or a swap: the
     strategy's own follow-up (paged's shared pool); NULL: none. */
  void (*settle)(void *owner, uint32_t req, kv_op_list *ops);
} kv_bhouse_vt;

/* Invariants (kv_bhouse_check_requests and the strategy's walks):
 * - a live request (a swapped one: its swapped_n host blocks) holds, with
 *   hi = ceil(tokens / block_tokens): lf lanes of at least hi entries each,
 *   and lw lanes of the blocks from wlo = win_lo(tokens) to at least hi
 *   (nw = wlo = 0 without a window, so n >= hi);
 * - a swapped request holds no entries; a free one nothing at all;
 * - nlive, nswapped, nevicted, host_blocks and live_units are the sums over
 *   requests, live_units counting device units: req_units(tokens) -
 *   host_units, less cow_fill while a copy-on-write is pending;
 * - host ranges (swaps and evicted blocks) with the host free list cover
 *   host_bytes. */
typedef struct kv_bhouse {
  const kv_strategy_cfg *cfg; /* the owner's copy */
  const char *who;            /* the strategy's name, for messages */
  const kv_bhouse_vt *vt;
  void *owner;           /* the strategy's state, passed to vt */
  uint32_t max_requests; /* cfg->max_requests (the fast path) */
  kv_lanes ln;           /* layer groups: lanes per request, window (lanes.h) */
  uint64_t bpt;          /* bytes one token costs in one lane (g layers; all
                            layers without a window) */
  uint64_t block_bytes;  /* one block: block_tokens x bpt */
  uint64_t max_tokens;   /* max_request_tokens */
  bool special;          /* a window or the prefix cache: reserve's fast
                            path needs more checks (one test without) */
  kv_breq *reqs;         /* [cfg->max_requests] */
  uint32_t nlive, nswapped;
  uint32_t nevicted;       /* live requests with host entries */
  uint64_t host_blocks;    /* host entries over all requests */
  uint64_t live_units;     /* token x lane units on the device (= tokens
                              without a window); used = units x bpt */
  kv_range_allocator host; /* the host tier */
  kv_pblocks pb; /* references, keys, LRU; held, dup (prefix_blocks.h) */
} kv_bhouse;

/* Set up h for cfg (kept by pointer: the owner's copy) with lanes ln,
 * `nblocks` block ids and max_tokens; every request free. */
void kv_bhouse_init(kv_bhouse *h, const kv_strategy_cfg *cfg,
                    const kv_lanes *ln, uint32_t nblocks, uint64_t max_tokens,
                    const kv_bhouse_vt *vt, void *owner, const char *who);
void kv_bhouse_free(kv_bhouse *h);

/* Units `used` counts for a request of `tokens` tokens: every token in
 * each full lane, the last `window` in each window lane (x bpt this is
 * kv_strategy_used_bytes). Without a window: tokens. */
static inline uint64_t kv_bhouse_req_units(const kv_bhouse *h,
                                           uint64_t tokens) {
  return kv_lanes_units(&h->ln, tokens);
}

/* Device units r counts in live_units. */
static inline uint64_t kv_bhouse_dev_units(const kv_bhouse *h,
                                           const kv_breq *r) {
  return kv_bhouse_req_units(h, r->tokens) - r->host_units -
         (r->cow ? r->cow_fill : 0);
}

/* One TABLE_WRITE of k entries. */
void kv_bhouse_table_write(const kv_bhouse *h, uint32_t req, uint32_t k,
                           kv_op_list *ops);

/* The vtable slots over requests (strategy.h says what each does).
 * reserve's fast path (a live request staying inside the blocks it holds,
 * nothing special) is inline here; the rest is kv_bhouse_reserve_slow. */
kv_status kv_bhouse_reserve_slow(kv_bhouse *h, uint32_t req, uint64_t tokens,
                                 kv_op_list *ops);
static inline kv_status kv_bhouse_reserve(kv_bhouse *h, uint32_t req,
                                          uint64_t tokens, kv_op_list *ops) {
  if (req >= h->max_requests) return KV_EINVAL;
  kv_breq *r = &h->reqs[req];
  if (!h->special && r->state == KV_BREQ_LIVE && !r->cow && !r->nhost &&
      tokens <= (uint64_t)r->n * h->ln.bt) {
    h->live_units = h->live_units - r->tokens + tokens;
    r->tokens = tokens;
    return KV_OK;
  }
  return kv_bhouse_reserve_slow(h, req, tokens, ops);
}
uint64_t kv_bhouse_reserve_need(const kv_bhouse *h, uint32_t req,
                                uint64_t tokens);
void kv_bhouse_release(kv_bhouse *h, uint32_t req, kv_op_list *ops);
kv_status kv_bhouse_swap_out(kv_bhouse *h, uint32_t req, kv_op_list *ops);
kv_status kv_bhouse_swap_in(kv_bhouse *h, uint32_t req, kv_op_list *ops);
uint64_t kv_bhouse_prefix_attach(kv_bhouse *h, uint32_t req,
                                 const uint64_t *keys, const uint32_t *fill,
                                 uint32_t n, kv_op_list *ops);
void kv_bhouse_prefix_publish(kv_bhouse *h, uint32_t req, const uint64_t *keys,
                              const uint32_t *fill, uint32_t n);

/* The vtable slots of a strategy whose state begins with its kv_bhouse:
 * the functions above on that house. */
kv_status kv_bhouse_slot_reserve(void *state, uint32_t req, uint64_t tokens,
                                 kv_op_list *ops);
uint64_t kv_bhouse_slot_reserve_need(const void *state, uint32_t req,
                                     uint64_t tokens);
void kv_bhouse_slot_release(void *state, uint32_t req, kv_op_list *ops);
kv_status kv_bhouse_slot_swap_out(void *state, uint32_t req, kv_op_list *ops);
kv_status kv_bhouse_slot_swap_in(void *state, uint32_t req, kv_op_list *ops);
uint64_t kv_bhouse_slot_prefix_attach(void *state, uint32_t req,
                                      const uint64_t *keys,
                                      const uint32_t *fill, uint32_t n,
                                      kv_op_list *ops);
void kv_bhouse_slot_prefix_publish(void *state, uint32_t req,
                                   const uint64_t *keys, const uint32_t *fill,
                                   uint32_t n);
uint64_t kv_bhouse_slot_max_request_tokens(const void *state);

/* The stats fields every block-table strategy fills alike (after
 * kv_pblocks_mem_stats): metadata (held x entry_bytes), host_used, live
 * and swapped requests (an evicted one counts as swapped). */
static inline void kv_bhouse_stats_tail(const kv_bhouse *h, kv_mem_stats *out) {
  out->metadata = (uint64_t)h->vt->entry_bytes * h->pb.held;
  out->host_used = h->host.capacity - h->host.free_bytes;
  out->live_requests = h->nlive;
  out->swapped_requests = h->nswapped + h->nevicted;
}

/* ---- validity ---- */

/* What the tables hold, recomputed by the walks. */
typedef struct kv_bhouse_census {
  kv_pblocks_census blk; /* per block: free, references, counting ones */
  uint64_t units;        /* device units of live requests */
  uint64_t host;         /* host bytes: swaps and evicted blocks */
  uint64_t host_blocks;  /* host entries */
  uint32_t nlive, nswapped, nevicted;
} kv_bhouse_census;

/* The lane layout of a table of n entries (nw window entries from block
 * wlo) holding `tokens` tokens of request q. */
kv_status kv_bhouse_check_lanes(const kv_bhouse *h, uint32_t q, uint32_t n,
                                uint32_t nw, uint64_t wlo, uint64_t tokens,
                                kv_error *err);

/* Check a live request's entries, adding them to c (the strategy's). */
typedef kv_status (*kv_bhouse_check_live_fn)(const void *owner, uint32_t q,
                                             kv_bhouse_census *c,
                                             kv_error *err);

/* Every request into c: live ones by check_live, swapped and free ones
 * here. */
kv_status kv_bhouse_check_requests(const kv_bhouse *h, kv_bhouse_census *c,
                                   kv_bhouse_check_live_fn check_live,
                                   kv_error *err);
/* The request counters, then the host tier, against c's sums. */
kv_status kv_bhouse_check_request_counters(const kv_bhouse *h,
                                           const kv_bhouse_census *c,
                                           kv_error *err);
kv_status kv_bhouse_check_host(const kv_bhouse *h, const kv_bhouse_census *c,
                               kv_error *err);

#ifdef __cplusplus
}
#endif

#endif
