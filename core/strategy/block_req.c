/* block_req.c - the request records of the block-table strategies and
 * what is done to them: reserve, release, swap, copy-on-write, prefix
 * attach and publish, reserve_need, the request checks (see block_req.h
 * for the story).
 *
 * Main entry points: kv_bhouse_reserve(), kv_bhouse_release(),
 * kv_bhouse_swap_out(), kv_bhouse_swap_in(), kv_bhouse_check_requests().
 */
#include "block_req.h"

#include "swap_host.h"
#include "util.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

void kv_bhouse_init(kv_bhouse *h, const kv_strategy_cfg *cfg,
                    const kv_lanes *ln, uint32_t nblocks, uint64_t max_tokens,
                    const kv_bhouse_vt *vt, void *owner, const char *who) {
  memset(h, 0, sizeof *h);
  h->cfg = cfg;
  h->who = who;
  h->vt = vt;
  h->owner = owner;
  h->max_requests = cfg->max_requests;
  h->ln = *ln;
  h->bpt = ln->bpt;
  h->block_bytes = (uint64_t)cfg->block_tokens * ln->bpt;
  h->max_tokens = max_tokens;
  h->special = ln->lw || cfg->prefix_cache;
  h->reqs = kv_xcalloc(cfg->max_requests, sizeof *h->reqs);
  kv_range_alloc_init(&h->host, cfg->host_bytes);
  kv_pblocks_init(&h->pb, nblocks);
}

void kv_bhouse_free(kv_bhouse *h) {
  for (uint32_t i = 0; h->reqs && i < h->cfg->max_requests; i++)
    free(h->reqs[i].tab);
  free(h->reqs);
  h->reqs = NULL;
  kv_range_alloc_destroy(&h->host);
  kv_pblocks_free(&h->pb);
}

/* Room for k more entries in r's table. */
static void tab_room(kv_breq *r, uint32_t k) {
  r->tab = kv_pblocks_tab_room(r->tab, sizeof *r->tab, r->n, &r->cap, k);
}

void kv_bhouse_table_write(const kv_bhouse *h, uint32_t req, uint32_t k,
                           kv_op_list *ops) {
  kv_pblocks_table_write(ops, req, k, h->vt->entry_bytes);
}

/* The entry before index i of r's table, or KV_BENTRY_NONE. */
static uint64_t entry_before(const kv_breq *r, uint32_t i) {
  return i > 0 ? r->tab[i - 1] : KV_BENTRY_NONE;
}

static uint64_t take_one(kv_bhouse *h, uint64_t after, uint32_t req,
                         kv_op_list *ops) {
  return h->vt->take(h->owner, after, req, ops);
}

static void settle(kv_bhouse *h, uint32_t req, kv_op_list *ops) {
  if (h->vt->settle) h->vt->settle(h->owner, req, ops);
}

/* Append k new blocks to r's table and emit the table write (the caller
 * checked avail() >= k). */
static void take_blocks(kv_bhouse *h, kv_breq *r, uint32_t req, uint32_t k,
                        kv_op_list *ops) {
  tab_room(r, k);
  for (uint32_t i = 0; i < k; i++) {
    uint64_t e = take_one(h, entry_before(r, r->n), req, ops);
    r->tab[r->n++] = e;
  }
  kv_bhouse_table_write(h, req, k, ops);
}

/* Drop entries [lo, hi) of r's table; the last entry of r does not count
 * while a copy-on-write is pending. */
static void drop_range(kv_bhouse *h, const kv_breq *r, uint32_t lo,
                       uint32_t hi) {
  h->vt->drop(h->owner, r->tab, lo, hi, r->cow ? r->n - 1 : UINT32_MAX);
}

/* Give back every entry of r (device references, host bytes). */
static void drop_blocks(kv_bhouse *h, kv_breq *r) {
  drop_range(h, r, 0, r->n);
  h->host_blocks -= r->nhost;
  if (r->nhost) h->nevicted--;
  r->n = 0;
  r->nhost = 0;
  r->host_units = 0;
  r->cow = 0;
  r->cow_fill = 0;
}

/* Copy-on-write: give r a private copy of its shared last block. */
static void cow_copy(kv_bhouse *h, kv_breq *r, uint32_t req, kv_op_list *ops) {
  uint64_t old = r->tab[r->n - 1];
  uint64_t e = take_one(h, KV_BENTRY_NONE, req, ops);
  kv_pblocks_cow_ops(ops, req, (uint8_t)h->cfg->copy_via,
                     h->vt->addr(h->owner, old), h->vt->addr(h->owner, e),
                     (uint64_t)r->cow_fill * h->bpt, h->vt->entry_bytes);
  r->tab[r->n - 1] = e;
  r->cow = 0;
  h->live_units += r->cow_fill; /* the copied tokens now count */
  r->cow_fill = 0;
  h->vt->drop(h->owner, &old, 0, 1, 0); /* a reference not counting */
}

/* Would shrinking r to `tokens` put published tokens of a keyed block
 * (shared by other requests, or cached for later ones) back in r's write
 * range? Its next writes would overwrite the prefix, and a full block that
 * several requests count would no longer hold block_tokens of each. */
static bool shrinks_into_prefix(const kv_bhouse *h, const kv_breq *r,
                                uint64_t tokens) {
  if (!h->cfg->prefix_cache || tokens >= r->tokens) return false;
  uint64_t bt = h->cfg->block_tokens;
  for (uint64_t j = tokens / bt; j < r->n; j++) {
    uint32_t b = h->vt->block(h->owner, r->tab[j]);
    if (b == KV_PMAP_NONE) continue; /* evicted blocks are never keyed */
    if (kv_pblocks_published_after(&h->pb, b, j, tokens, bt)) return true;
  }
  return false;
}

static void make_live(kv_bhouse *h, kv_breq *r) {
  if (r->state != KV_BREQ_FREE) return;
  r->state = KV_BREQ_LIVE;
  h->nlive++;
}

/* reserve for a windowed model: full lanes grow to ceil(tokens/bt) blocks;
 * window lanes drop the blocks before win_lo(tokens) (first, so their
 * slots serve this growth) and grow to ceil(tokens/bt). A shrink whose
 * window starts before the first block still held is KV_EINVAL: that KV is
 * gone. */
static kv_status reserve_window(kv_bhouse *h, kv_breq *r, uint32_t req,
                                uint64_t tokens, kv_op_list *ops) {
  if (r->state == KV_BREQ_SWAPPED) return KV_EINVAL; /* swap_in first */
  if (r->nhost) return KV_EINVAL;                    /* reload first */
  if (tokens > h->max_tokens) return KV_EINVAL;
  kv_lane_step ls;
  if (!kv_lanes_step(&h->ln, r->n, r->nw, r->wlo, tokens, &ls))
    return KV_EINVAL; /* would need blocks already freed */
  uint64_t lo = kv_lanes_win_lo(&h->ln, tokens);
  uint32_t nf = r->n - r->nw;
  uint64_t kf = ls.kf, kw = ls.kw, freed = ls.freed;
  if (kf + kw > h->vt->avail(h->owner) + freed) return KV_ENOMEM;
  make_live(h, r);
  h->live_units = h->live_units - kv_bhouse_req_units(h, r->tokens) +
                  kv_bhouse_req_units(h, tokens);
  r->tokens = tokens;
  r->wlo = lo;
  if (freed) {
    drop_range(h, r, nf, nf + (uint32_t)freed);
    r->nw -= (uint32_t)freed;
    r->n -= (uint32_t)freed;
    if (r->nw)
      memmove(r->tab + nf, r->tab + nf + freed, r->nw * sizeof *r->tab);
  }
  if (kf + kw == 0) {
    settle(h, req, ops); /* window blocks freed */
    return KV_OK;
  }
  tab_room(r, (uint32_t)(kf + kw));
  if (kf && r->nw) /* full lanes' new blocks go before the window lanes */
    memmove(r->tab + nf + kf, r->tab + nf, r->nw * sizeof *r->tab);
  for (uint32_t i = nf; i < nf + kf; i++) /* each after the entry before */
    r->tab[i] = take_one(h, entry_before(r, i), req, ops);
  r->n += (uint32_t)kf;
  for (uint32_t i = 0; i < kw; i++, r->n++)
    r->tab[r->n] = take_one(h, entry_before(r, r->n), req, ops);
  r->nw += (uint32_t)kw;
  kv_bhouse_table_write(h, req, (uint32_t)(kf + kw), ops);
  settle(h, req, ops);
  return KV_OK;
}

kv_status kv_bhouse_reserve_slow(kv_bhouse *h, uint32_t req, uint64_t tokens,
                                 kv_op_list *ops) {
  if (req >= h->cfg->max_requests) return KV_EINVAL;
  kv_breq *r = &h->reqs[req];
  if (h->special) {
    if (h->ln.lw) return reserve_window(h, r, req, tokens, ops);
    if (r->state == KV_BREQ_LIVE && shrinks_into_prefix(h, r, tokens))
      return KV_EINVAL; /* published tokens are read-only */
  }
  if (r->state == KV_BREQ_LIVE && !r->cow && !r->nhost &&
      tokens <= (uint64_t)r->n * h->cfg->block_tokens) { /* fast path */
    h->live_units = h->live_units - r->tokens + tokens;
    r->tokens = tokens;
    return KV_OK;
  }
  if (r->state == KV_BREQ_SWAPPED) return KV_EINVAL;  /* swap_in first */
  if (r->nhost) return KV_EINVAL;                     /* reload first */
  if (r->cow && tokens < r->tokens) return KV_EINVAL; /* inside the prefix */
  if (tokens > h->max_tokens) return KV_EINVAL;
  uint64_t need = KV_DIV_CEIL(tokens, h->cfg->block_tokens);
  uint32_t k = need > r->n ? (uint32_t)(need - r->n) : 0;
  bool cow = r->cow && tokens > r->tokens;
  if (k + (cow ? 1u : 0u) > h->vt->avail(h->owner)) return KV_ENOMEM;
  make_live(h, r);
  if (cow) cow_copy(h, r, req, ops);
  if (k > 0) take_blocks(h, r, req, k, ops);
  h->live_units = h->live_units - (r->tokens - (r->cow ? r->cow_fill : 0)) +
                  (tokens - (r->cow ? r->cow_fill : 0));
  r->tokens = tokens;
  settle(h, req, ops);
  return KV_OK;
}

/* Blocks held (stats().backed / block_bytes) change by one per block a
 * reservation, swap_in or reload takes, from a free stack, free ranges or
 * the cache alike, less one per block whose last reference goes (window
 * blocks left behind; a copy-on-write source only this request held).
 * indirect's stats().free counts the blocks of slabs not created yet, so a
 * new slab counts only the blocks taken from it. */
uint64_t kv_bhouse_reserve_need(const kv_bhouse *h, uint32_t req,
                                uint64_t tokens) {
  if (req >= h->cfg->max_requests) return UINT64_MAX;
  const kv_breq *r = &h->reqs[req];
  uint64_t avail = h->vt->avail(h->owner), take = 0, give = 0; /* blocks */
  uint32_t n = r->n;
  bool live = r->state == KV_BREQ_LIVE, cow = live && r->cow;
  if (r->state == KV_BREQ_SWAPPED) { /* swap_in: new blocks, no pending copy */
    if (h->cfg->host_bytes == 0) return UINT64_MAX;
    take = n = r->swapped_n;
  } else if (live) { /* reload: a free slot for each host entry */
    take = r->nhost;
  }
  if (take > avail) return UINT64_MAX;
  avail -= take;
  if (h->ln.lw) {
    kv_lane_step ls;
    if (tokens > h->max_tokens ||
        !kv_lanes_step(&h->ln, n, r->nw, r->wlo, tokens, &ls) ||
        ls.kf + ls.kw > avail + ls.freed)
      return UINT64_MAX;
    take += ls.kf + ls.kw;
    give = ls.freed;
  } else {
    /* reloaded blocks are new and unkeyed; the prefix ones stayed */
    if (live && shrinks_into_prefix(h, r, tokens)) return UINT64_MAX;
    if (cow || tokens > (uint64_t)n * h->cfg->block_tokens) { /* slow path */
      if ((cow && tokens < r->tokens) || tokens > h->max_tokens)
        return UINT64_MAX;
      uint64_t need = KV_DIV_CEIL(tokens, h->cfg->block_tokens);
      uint64_t k = need > n ? need - n : 0;
      bool copy = cow && tokens > r->tokens;
      if (k + copy > avail) return UINT64_MAX;
      take += k;
      if (copy && h->pb.pm.refcnt[h->vt->block(h->owner, r->tab[n - 1])] > 1)
        take++;
    }
  }
  return take > give ? (take - give) * h->block_bytes : 0;
}

void kv_bhouse_release(kv_bhouse *h, uint32_t req, kv_op_list *ops) {
  if (req >= h->cfg->max_requests) return;
  kv_breq *r = &h->reqs[req];
  if (r->state == KV_BREQ_LIVE) {
    h->live_units -= kv_bhouse_dev_units(h, r);
    drop_blocks(h, r);
    h->nlive--;
    /* a released id is seldom reserved again (only after a recompute
     * preemption): its table goes back to malloc, so a long run's heap holds
     * the live requests' tables, not every request's */
    free(r->tab);
    r->tab = NULL;
    r->cap = 0;
  } else if (r->state == KV_BREQ_SWAPPED) {
    kv_range_free(&h->host, r->host_off,
                  (uint64_t)r->swapped_n * h->block_bytes);
    h->nswapped--;
  }
  r->state = KV_BREQ_FREE;
  r->tokens = 0;
  r->nw = 0;
  r->wlo = 0;
  r->swapped_n = 0;
  r->host_off = 0;
  settle(h, req, ops);
}

/* One COPY of r's blocks, one run per physically contiguous group; the
 * host side is [hoff, hoff + n*block_bytes). */
static void push_copy(const kv_bhouse *h, const kv_breq *r, uint32_t req,
                      kv_copy_dir dir, uint64_t hoff, kv_op_list *ops) {
  uint64_t bb = h->block_bytes;
  kv_op *op = kv_ops_push(ops, KV_OP_COPY, req);
  op->dir = (uint8_t)dir;
  op->via = (uint8_t)h->cfg->copy_via;
  op->bytes = (uint64_t)r->n * bb;
  uint32_t runs = 0, i = 0;
  while (i < r->n) {
    uint64_t dev = h->vt->addr(h->owner, r->tab[i]), end = dev + bb;
    uint32_t j = i + 1;
    while (j < r->n && h->vt->addr(h->owner, r->tab[j]) == end) {
      end += bb;
      j++;
    }
    uint64_t host = hoff + (uint64_t)i * bb, bytes = end - dev;
    if (dir == KV_COPY_D2H)
      kv_ops_push_run(ops, op, dev, host, bytes);
    else
      kv_ops_push_run(ops, op, host, dev, bytes);
    runs++;
    i = j;
  }
  op->count = runs;
}

kv_status kv_bhouse_swap_out(kv_bhouse *h, uint32_t req, kv_op_list *ops) {
  if (!kv_swap_usable(h->cfg, req)) return KV_EINVAL;
  kv_breq *r = &h->reqs[req];
  if (r->state != KV_BREQ_LIVE || r->nhost) return KV_EINVAL;
  uint64_t hoff, bytes = (uint64_t)r->n * h->block_bytes;
  if (!kv_swap_host_take(&h->host, bytes, &hoff)) return KV_ENOMEM;
  if (bytes > 0) push_copy(h, r, req, KV_COPY_D2H, hoff, ops);
  h->live_units -= kv_bhouse_dev_units(h, r);
  uint32_t n = r->n;
  drop_blocks(h, r);
  r->swapped_n = n;
  r->host_off = hoff;
  r->state = KV_BREQ_SWAPPED;
  h->nlive--;
  h->nswapped++;
  settle(h, req, ops);
  return KV_OK;
}

kv_status kv_bhouse_swap_in(kv_bhouse *h, uint32_t req, kv_op_list *ops) {
  if (!kv_swap_usable(h->cfg, req)) return KV_EINVAL;
  kv_breq *r = &h->reqs[req];
  if (r->state != KV_BREQ_SWAPPED) return KV_EINVAL;
  uint32_t k = r->swapped_n;
  if (k > h->vt->avail(h->owner)) return KV_ENOMEM;
  if (k > 0) {
    take_blocks(h, r, req, k, ops);
    push_copy(h, r, req, KV_COPY_H2D, r->host_off, ops);
    kv_range_free(&h->host, r->host_off, (uint64_t)k * h->block_bytes);
  }
  r->swapped_n = 0;
  r->host_off = 0;
  r->state = KV_BREQ_LIVE;
  h->nswapped--;
  h->nlive++;
  h->live_units += kv_bhouse_req_units(h, r->tokens);
  settle(h, req, ops);
  return KV_OK;
}

uint64_t kv_bhouse_prefix_attach(kv_bhouse *h, uint32_t req,
                                 const uint64_t *keys, const uint32_t *fill,
                                 uint32_t n, kv_op_list *ops) {
  if (!h->cfg->prefix_cache || req >= h->cfg->max_requests) return 0;
  kv_breq *r = &h->reqs[req];
  if (r->state != KV_BREQ_FREE) return 0;
  uint64_t tokens = 0;
  uint32_t bt = h->cfg->block_tokens;
  for (uint32_t i = 0; i < n; i++) {
    uint32_t want;
    uint32_t b = kv_pblocks_attach_one(&h->pb, keys[i], fill[i], bt, &want);
    if (b == KV_PMAP_NONE) break;
    tab_room(r, 1);
    r->tab[r->n++] = h->vt->entry(h->owner, b);
    tokens += want;
    if (want < bt) { /* a partial block: ours only after a copy */
      r->cow = 1;
      r->cow_fill = want;
      break;
    }
  }
  if (r->n == 0) return 0;
  r->state = KV_BREQ_LIVE;
  h->nlive++;
  r->tokens = tokens;
  h->live_units += kv_bhouse_dev_units(h, r);
  kv_bhouse_table_write(h, req, r->n, ops);
  return tokens;
}

void kv_bhouse_prefix_publish(kv_bhouse *h, uint32_t req, const uint64_t *keys,
                              const uint32_t *fill, uint32_t n) {
  if (!h->cfg->prefix_cache || req >= h->cfg->max_requests) return;
  kv_breq *r = &h->reqs[req];
  if (r->state != KV_BREQ_LIVE) return;
  for (uint32_t i = 0; i < n && i < r->n; i++) {
    if (r->cow && i == r->n - 1) break;
    uint32_t b = h->vt->block(h->owner, r->tab[i]);
    if (b == KV_PMAP_NONE) break; /* evicted */
    if (!kv_pblocks_publish(&h->pb, b, i, r->tokens, keys[i], fill[i],
                            h->cfg->block_tokens))
      break;
  }
}

/* ---- the vtable slots: the state begins with its house ---- */

kv_status kv_bhouse_slot_reserve(void *state, uint32_t req, uint64_t tokens,
                                 kv_op_list *ops) {
  return kv_bhouse_reserve(state, req, tokens, ops);
}

uint64_t kv_bhouse_slot_reserve_need(const void *state, uint32_t req,
                                     uint64_t tokens) {
  return kv_bhouse_reserve_need(state, req, tokens);
}

void kv_bhouse_slot_release(void *state, uint32_t req, kv_op_list *ops) {
  kv_bhouse_release(state, req, ops);
}

kv_status kv_bhouse_slot_swap_out(void *state, uint32_t req, kv_op_list *ops) {
  return kv_bhouse_swap_out(state, req, ops);
}

kv_status kv_bhouse_slot_swap_in(void *state, uint32_t req, kv_op_list *ops) {
  return kv_bhouse_swap_in(state, req, ops);
}

uint64_t kv_bhouse_slot_prefix_attach(void *state, uint32_t req,
                                      const uint64_t *keys,
                                      const uint32_t *fill, uint32_t n,
                                      kv_op_list *ops) {
  return kv_bhouse_prefix_attach(state, req, keys, fill, n, ops);
}

void kv_bhouse_slot_prefix_publish(void *state, uint32_t req,
                                   const uint64_t *keys, const uint32_t *fill,
                                   uint32_t n) {
  kv_bhouse_prefix_publish(state, req, keys, fill, n);
}

uint64_t kv_bhouse_slot_max_request_tokens(const void *state) {
  const kv_bhouse *h = state;
  return h->max_tokens;
}

/* ---- validity: one check per invariant written above kv_bhouse ---- */

kv_status kv_bhouse_check_lanes(const kv_bhouse *h, uint32_t q, uint32_t n,
                                uint32_t nw, uint64_t wlo, uint64_t tokens,
                                kv_error *err) {
  return kv_pblocks_check_lanes(&h->ln, h->cfg->block_tokens, h->who, q, n, nw,
                                wlo, tokens, err);
}

/* A swapped request holds no blocks; its host blocks cover its tokens. */
static kv_status check_swapped_request(const kv_bhouse *h, uint32_t q,
                                       kv_bhouse_census *c, kv_error *err) {
  const kv_breq *r = &h->reqs[q];
  c->nswapped++;
  c->host += (uint64_t)r->swapped_n * h->block_bytes;
  return kv_pblocks_check_swapped(&h->ln, h->cfg->block_tokens, h->who, q, r->n,
                                  r->swapped_n, r->nw, r->wlo, r->tokens, err);
}

/* A free request holds nothing. */
static kv_status check_free_request(const kv_bhouse *h, uint32_t q,
                                    kv_error *err) {
  const kv_breq *r = &h->reqs[q];
  return kv_pblocks_check_free(h->who, q, r->n, r->tokens, r->nw, r->wlo, err);
}

kv_status kv_bhouse_check_requests(const kv_bhouse *h, kv_bhouse_census *c,
                                   kv_bhouse_check_live_fn check_live,
                                   kv_error *err) {
  for (uint32_t q = 0; q < h->cfg->max_requests; q++) {
    uint8_t st = h->reqs[q].state;
    kv_status rc = st == KV_BREQ_LIVE      ? check_live(h->owner, q, c, err)
                   : st == KV_BREQ_SWAPPED ? check_swapped_request(h, q, c, err)
                                           : check_free_request(h, q, err);
    if (rc != KV_OK) return rc;
  }
  return KV_OK;
}

/* nlive, nswapped, nevicted, host_blocks and live_units are the sums over
 * requests. */
kv_status kv_bhouse_check_request_counters(const kv_bhouse *h,
                                           const kv_bhouse_census *c,
                                           kv_error *err) {
  if (c->nlive == h->nlive && c->nswapped == h->nswapped &&
      c->units == h->live_units && c->nevicted == h->nevicted &&
      c->host_blocks == h->host_blocks)
    return KV_OK;
  return kv_error_set(
      err, KV_EINTERNAL,
      "%s: counters live %" PRIu32 " swapped %" PRIu32 " units %" PRIu64
      " evicted %" PRIu32 " host blocks %" PRIu64 " but recomputed %" PRIu32
      " %" PRIu32 " %" PRIu64 " %" PRIu32 " %" PRIu64,
      h->who, h->nlive, h->nswapped, h->live_units, h->nevicted, h->host_blocks,
      c->nlive, c->nswapped, c->units, c->nevicted, c->host_blocks);
}

/* Swaps, evicted blocks and the host free list cover host_bytes. */
kv_status kv_bhouse_check_host(const kv_bhouse *h, const kv_bhouse_census *c,
                               kv_error *err) {
  if (c->host + h->host.free_bytes == h->host.capacity) return KV_OK;
  return kv_error_set(err, KV_EINTERNAL,
                      "%s: host bytes held %" PRIu64 " + free %" PRIu64
                      " != host_bytes %" PRIu64,
                      h->who, c->host, h->host.free_bytes, h->host.capacity);
}
