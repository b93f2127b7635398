/* strategy_indirect.c - a user-mode offset table over large slabs.
 *
 * Physical memory comes from slabs of slab_bytes (one VMM handle each),
 * created on demand inside one VA reservation covering capacity/slab_bytes
 * slabs and never released during a run. Slabs are cut into blocks of
 * block_tokens tokens; free blocks are kept as ranges (in block units) by a
 * kv_range_alloc. A request grows by extending its last block's range in
 * place when the next block is free (keeps runs contiguous for copies), else
 * by first fit, which prefers the lowest slab. Each request has a logical ->
 * physical offset table (8 bytes per entry) that kernels read.
 *
 * The table entries carry a "where" tag (bit 63: the entry lives in the
 * host tier). Tiering works through the table: evict copies a request's
 * private blocks out (D2H) and tags their entries "host", reload copies them
 * into any free slots (H2D) and rewrites the entries, compact moves a
 * request's scattered blocks into one free run (D2D) and rewrites the
 * entries. Each is a COPY op followed by a TABLE_WRITE op, queued in order
 * ahead of the work that reads the blocks; the host never waits.
 *
 * Prefix sharing (cfg.prefix_cache): blocks published under a key (see
 * prefix_map.h) are referenced by several tables; at refcount 0 they stay
 * cached, off the free ranges, until a reservation finds no free block and
 * takes the least recently used one. A request attached to a partial block
 * copies it before writing into it (copy-on-write). Without prefix_cache
 * nothing is ever published and the strategy behaves as before.
 *
 * Sliding windows (model.h), as vLLM's hybrid allocator and as in
 * strategy_paged.c: the layers form groups of g = gcd(full layers, windowed
 * layers) layers; a block holds block_tokens tokens of one group. A request
 * holds lf = full/g lanes of blocks for every block of its tokens and
 * lw = windowed/g lanes for only the blocks overlapping its last `window`
 * tokens, freeing the older ones as it grows (only new entries are written:
 * one TABLE_WRITE per growth). Swap, evict, reload and compact move the
 * blocks held, nothing else. Without a window: one group of every layer in
 * one full lane, as before. The prefix cache is refused for windowed models
 * (create names cfg.prefix_cache).
 *
 * The policy view (tier_stats) counts the blocks of slabs not created yet
 * as existing and free: a policy sees the capacity before the first slab.
 *
 * Main entry point: the vtable kv_strategy_indirect.
 */
#include "strategy.h"

#include "block_req.h"
#include "lanes.h"
#include "mempool.h"
#include "prefix_blocks.h"
#include "range_alloc.h"
#include "swap_host.h"
#include "util.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Table entry: byte offset in the slab VA space, or (with the tag) in the
 * host tier (a block evicted by in_evict). */
#define IND_WHERE_HOST (1ull << 63)

/* Invariants (checked by in_is_valid; the requests' own in block_req.h):
 * - slabs 0..nslabs-1 exist (created and mapped); no block of a slab not yet
 *   created is free or owned;
 * - every block of a created slab is exactly one of: in a free range of
 *   `blocks`; referenced by pb.pm.refcnt[b] >= 1 device entries of live
 *   requests; cached (a key, refcount 0, on the LRU list); the references,
 *   keys and their counters as prefix_blocks.h writes them;
 * - only keyed blocks have refcount > 1; device entries are block-aligned
 *   offsets; host entries (tag) are block-aligned host offsets, each owning
 *   block_bytes of the host tier;
 * - blocks.free_bytes (in blocks) + held + cached = nslabs * bps;
 * - a live request's nhost and host_units match its host entries; cow
 *   only on its last, device entry;
 * - with a window, no block has a key (the prefix cache is refused);
 * - the policy view: free_blocks + held + cached = total_blocks (slabs not
 *   created yet count as free);
 * - with a shared pool: slab i < nslabs holds pages slab_pages[i * pps ..
 *   + pps), all owned by this model in the pool, and the model holds
 *   nothing else there (held = nslabs * pps). */
typedef struct in_state {
  kv_bhouse h; /* first: requests, tables, host tier, references; the
                  vtable's request slots are the house's (block_req.h) */
  kv_strategy_cfg cfg;
  uint32_t bps;        /* blocks per slab */
  uint32_t nslabs_max; /* capacity / slab_bytes */
  uint32_t nslabs;     /* slabs created so far */
  uint64_t total_blocks;
  kv_range_allocator blocks; /* free blocks, in block units; slabs not created
                            yet are held as allocated */
  uint32_t compact_cursor;   /* next request compact looks at */
  /* a shared pool (cfg.pool: several models on one GPU) */
  uint32_t pps;         /* pool pages per slab */
  uint32_t *slab_pages; /* [nslabs_max * pps]: the pages slab i holds */
} in_state;
_Static_assert(offsetof(in_state, h) == 0, "the house slots take the state");

static uint64_t block_off(const in_state *s, uint64_t b) {
  return (b / s->bps) * s->cfg.slab_bytes + (b % s->bps) * s->h.block_bytes;
}

static uint64_t off_block(const in_state *s, uint64_t off) {
  return (off / s->cfg.slab_bytes) * s->bps +
         (off % s->cfg.slab_bytes) / s->h.block_bytes;
}

/* Slabs that can still be created: up to nslabs_max, and with a shared
 * pool as many as its free pages make. */
static uint64_t slabs_left(const in_state *s) {
  uint64_t n = s->nslabs_max - s->nslabs;
  if (!s->cfg.pool) return n;
  return KV_MIN(n, kv_mempool_free_pages(s->cfg.pool) / s->pps);
}

static uint64_t avail_blocks(const in_state *s) {
  return s->blocks.free_bytes + slabs_left(s) * s->bps + s->h.pb.pm.lru_n;
}

/* Create the next slab: one handle, mapped at its place in the VA space. */
static void add_slab(in_state *s, uint32_t req, kv_op_list *ops) {
  uint32_t i = s->nslabs++;
  uint64_t sb = s->cfg.slab_bytes, va = (uint64_t)i * sb;
  if (s->cfg.pool) /* the caller checked slabs_left() */
    kv_mempool_take(s->cfg.pool, s->cfg.pool_model, s->pps,
                    &s->slab_pages[(uint64_t)i * s->pps]);
  kv_op *c = kv_ops_push(ops, KV_OP_VMM_CREATE, req);
  c->count = 1;
  c->bytes = sb;
  kv_op *m = kv_ops_push(ops, KV_OP_VMM_MAP, req);
  m->count = 1;
  m->bytes = sb;
  kv_ops_push_run(ops, m, i, va, sb);
  kv_op *a = kv_ops_push(ops, KV_OP_VMM_SET_ACCESS, req);
  a->count = 1;
  a->bytes = sb;
  kv_range_free(&s->blocks, (uint64_t)i * s->bps, s->bps);
}

static bool is_host(uint64_t e) {
  return (e & IND_WHERE_HOST) != 0;
}

/* One device block for a new entry, right after the device block at offset
 * `after` when that one is free (UINT64_MAX: no preference), else first fit,
 * a new slab, or the least recently used cached block. Caller checked
 * avail_blocks() >= 1. The block gets one counting reference. */
static uint64_t get_block(in_state *s, uint64_t after, uint32_t req,
                          kv_op_list *ops) {
  uint64_t b;
  if (after != UINT64_MAX &&
      kv_range_extend(&s->blocks, off_block(s, after), 1, 1)) {
    b = off_block(s, after) + 1; /* contiguous with the last */
  } else {
    if (s->blocks.free_bytes == 0) {
      if (slabs_left(s) > 0) {
        add_slab(s, req, ops);
      } else {
        uint32_t c = kv_pmap_lru_pop(&s->h.pb.pm); /* cached, refcount 0 */
        kv_range_free(&s->blocks, c, 1);
      }
    }
    kv_range_alloc(&s->blocks, 1, &b); /* first fit: lowest slab */
  }
  kv_pblocks_take(&s->h.pb, (uint32_t)b);
  return b;
}

/* Drop one reference (counting or not) to device block b. At refcount 0 a
 * keyed block becomes cached (LRU), any other one free. */
static void unref_block(in_state *s, uint64_t b, bool counting) {
  if (kv_pblocks_unref(&s->h.pb, (uint32_t)b, counting))
    kv_range_free(&s->blocks, b, 1);
}

/* With a shared pool, a model left with no request and no cached block
 * gives every slab back (unmap, release: the pages return to the pool), as
 * kvcached does when a model goes idle. */
static void drop_slabs_if_idle(in_state *s, kv_op_list *ops) {
  if (!s->cfg.pool || s->nslabs == 0 || s->h.nlive || s->h.nswapped ||
      s->h.pb.held || s->h.pb.pm.lru_n)
    return;
  uint64_t sb = s->cfg.slab_bytes;
  kv_op *u = kv_ops_push(ops, KV_OP_VMM_UNMAP, KV_NO_REQ);
  u->count = s->nslabs;
  u->bytes = sb;
  kv_op *r = kv_ops_push(ops, KV_OP_VMM_RELEASE, KV_NO_REQ);
  r->count = s->nslabs;
  r->bytes = sb;
  for (uint32_t i = 0; i < s->nslabs; i++) {
    kv_ops_push_run(ops, u, i, (uint64_t)i * sb, sb);
    kv_ops_push_run(ops, r, i, 0, sb);
  }
  for (uint64_t i = 0; i < (uint64_t)s->nslabs * s->pps; i++)
    kv_mempool_give(s->cfg.pool, s->cfg.pool_model, s->slab_pages[i]);
  s->nslabs = 0;
  kv_range_alloc_destroy(&s->blocks); /* every block uncreated again */
  kv_range_alloc_init(&s->blocks, s->total_blocks);
  uint64_t all;
  if (s->total_blocks) kv_range_alloc(&s->blocks, s->total_blocks, &all);
}

/* ---- the house's questions (block_req.h): entries are offsets ---- */

static uint64_t house_take(void *owner, uint64_t after, uint32_t req,
                           kv_op_list *ops) {
  in_state *s = owner; /* in place after a device neighbour, else first fit */
  return block_off(s,
                   get_block(s, is_host(after) ? UINT64_MAX : after, req, ops));
}

static void house_drop(void *owner, const uint64_t *tab, uint32_t lo,
                       uint32_t hi, uint32_t pending) {
  in_state *s = owner;
  for (uint32_t i = lo; i < hi; i++) {
    uint64_t e = tab[i];
    if (is_host(e))
      kv_range_free(&s->h.host, e & ~IND_WHERE_HOST, s->h.block_bytes);
    else
      unref_block(s, off_block(s, e), i != pending);
  }
}
static uint32_t house_block(const void *owner, uint64_t e) {
  return is_host(e) ? KV_PMAP_NONE : (uint32_t)off_block(owner, e);
}

static uint64_t house_entry(const void *owner, uint32_t b) {
  return block_off(owner, b);
}

static uint64_t house_addr(const void *owner, uint64_t e) {
  (void)owner;
  return e;
}

static uint64_t house_avail(const void *owner) {
  return avail_blocks(owner);
}

static void house_settle(void *owner, uint32_t req, kv_op_list *ops) {
  (void)req; /* a no-op unless the model just went idle (a release) */
  drop_slabs_if_idle(owner, ops);
}

static const kv_bhouse_vt in_house = {
    /* TABLE_WRITEs of 8-byte offsets */
    .entry_bytes = 8,
    /* in place after the entry before, else first fit, a new slab, or the
       least recently used cached block */
    .take = house_take,
    /* a device entry's reference, or a host entry's host bytes; first to
       last */
    .drop = house_drop,
    /* the block at an offset; KV_PMAP_NONE for a host-tagged entry */
    .block = house_block,
    .entry = house_entry,
    /* the entry is the device offset */
    .addr = house_addr,
    /* free, cached and uncreated slabs' blocks */
    .avail = house_avail,
    /* with a shared pool an idle model gives its slabs back */
    .settle = house_settle,
};

static kv_status in_create(const kv_strategy_cfg *cfg, void **state,
                           kv_op_list *ops, kv_error *err) {
  kv_lanes ln;
  kv_status rc = kv_pblocks_cfg_lanes(cfg, "indirect", &ln, err);
  if (rc != KV_OK) return rc;
  uint64_t bpt = ln.bpt;
  uint64_t block_bytes = (uint64_t)cfg->block_tokens * bpt;
  if (cfg->slab_bytes < block_bytes)
    return kv_error_set(err, KV_EINVAL,
                        "indirect: cfg.slab_bytes %" PRIu64
                        " is smaller than one block (%" PRIu32
                        " tokens x %" PRIu64 " bytes)",
                        cfg->slab_bytes, cfg->block_tokens, bpt);
  uint64_t bps = cfg->slab_bytes / block_bytes;
  if (cfg->pool && (cfg->slab_bytes % cfg->pool->page_bytes ||
                    cfg->pool_model >= cfg->pool->n_models))
    return kv_error_set(
        err, KV_EINVAL,
        "indirect: cfg.slab_bytes %" PRIu64
        " must be a multiple of the shared pool's page (%" PRIu64
        ") and cfg.pool_model %" PRIu32 " be < its %" PRIu32 " models",
        cfg->slab_bytes, cfg->pool->page_bytes, cfg->pool_model,
        cfg->pool->n_models);
  uint64_t nslabs =
      cfg->pool ? cfg->pool->total / (cfg->slab_bytes / cfg->pool->page_bytes)
                : cfg->capacity_bytes / cfg->slab_bytes;
  if (bps > UINT32_MAX || nslabs * bps > UINT32_MAX - 1)
    return kv_error_set(err, KV_EINVAL,
                        "indirect: cfg.capacity_bytes %" PRIu64
                        " gives more than 2^32-2 blocks",
                        cfg->capacity_bytes);
  in_state *s = kv_xcalloc(1, sizeof *s);
  s->cfg = *cfg;
  s->bps = (uint32_t)bps;
  s->nslabs_max = (uint32_t)nslabs;
  s->total_blocks = nslabs * bps;
  if (cfg->pool) {
    s->pps = (uint32_t)(cfg->slab_bytes / cfg->pool->page_bytes);
    s->slab_pages =
        kv_xmalloc((nslabs ? nslabs : 1) * s->pps * sizeof *s->slab_pages);
  }
  kv_range_alloc_init(&s->blocks, s->total_blocks);
  uint64_t all;
  if (s->total_blocks) kv_range_alloc(&s->blocks, s->total_blocks, &all);
  kv_bhouse_init(&s->h, &s->cfg, &ln, (uint32_t)s->total_blocks,
                 kv_lanes_max_tokens(&ln, nslabs * bps), &in_house, s,
                 "indirect");
  if (nslabs > 0) {
    kv_op *op = kv_ops_push(ops, KV_OP_VMM_RESERVE, KV_NO_REQ);
    op->count = 1;
    op->addr = 0;
    op->bytes = nslabs * cfg->slab_bytes;
  }
  *state = s;
  return KV_OK;
}

static void in_destroy(void *state, kv_op_list *ops) {
  in_state *s = state;
  if (!s) return;
  if (ops && s->nslabs) {
    kv_op *u = kv_ops_push(ops, KV_OP_VMM_UNMAP, KV_NO_REQ);
    u->count = s->nslabs;
    u->bytes = s->cfg.slab_bytes;
    kv_op *r = kv_ops_push(ops, KV_OP_VMM_RELEASE, KV_NO_REQ);
    r->count = s->nslabs;
    r->bytes = s->cfg.slab_bytes;
  }
  if (ops && s->nslabs_max) {
    kv_op *f = kv_ops_push(ops, KV_OP_VMM_FREE_VA, KV_NO_REQ);
    f->count = 1;
    f->addr = 0;
    f->bytes = (uint64_t)s->nslabs_max * s->cfg.slab_bytes;
  }
  for (uint64_t i = 0; s->cfg.pool && i < (uint64_t)s->nslabs * s->pps; i++)
    kv_mempool_give(s->cfg.pool, s->cfg.pool_model, s->slab_pages[i]);
  free(s->slab_pages);
  kv_bhouse_free(&s->h);
  kv_range_alloc_destroy(&s->blocks);
  free(s);
}

/* ---- tiering: evict, reload, compact ---- */

/* Runs of a COPY op built one block at a time: contiguous neighbours on
 * both sides merge into one run. */
typedef struct run_acc {
  kv_op_list *ops;
  kv_op *op;
  uint64_t src, dst, bytes;
} run_acc;

static void acc_add(run_acc *a, uint64_t src, uint64_t dst, uint64_t bytes) {
  if (a->bytes && src == a->src + a->bytes && dst == a->dst + a->bytes) {
    a->bytes += bytes;
    return;
  }
  if (a->bytes) {
    kv_ops_push_run(a->ops, a->op, a->src, a->dst, a->bytes);
    a->op->count++;
  }
  a->src = src;
  a->dst = dst;
  a->bytes = bytes;
}

static void acc_end(run_acc *a) {
  if (a->bytes) {
    kv_ops_push_run(a->ops, a->op, a->src, a->dst, a->bytes);
    a->op->count++;
  }
}

static kv_op *push_copy_op(in_state *s, uint32_t req, kv_copy_dir dir,
                           uint64_t bytes, kv_op_list *ops) {
  kv_op *op = kv_ops_push(ops, KV_OP_COPY, req);
  op->dir = (uint8_t)dir;
  op->via = (uint8_t)s->cfg.copy_via;
  op->bytes = bytes;
  return op;
}

/* Units table entry i of r holds: the tokens of its block, or for a window
 * lane those inside the window (they sum to req_units(tokens)). */
static uint64_t entry_units(const in_state *s, const kv_breq *r, uint32_t i) {
  uint64_t bt = s->cfg.block_tokens, lo = (uint64_t)i * bt, from = 0;
  uint32_t nf = r->n - r->nw;
  if (i >= nf) { /* a window lane's block */
    lo = (r->wlo + (i - nf) / s->h.ln.lw) * bt;
    from = r->tokens > s->h.ln.window ? r->tokens - s->h.ln.window : 0;
  } else if (s->h.ln.lf > 1) {
    lo = (uint64_t)(i / s->h.ln.lf) * bt;
  }
  lo = KV_MAX(lo, from);
  uint64_t end = (lo / bt + 1) * bt;
  return r->tokens <= lo ? 0 : KV_MIN(end, r->tokens) - lo;
}

static bool evictable(const in_state *s, const kv_breq *r, uint32_t i) {
  uint64_t e = r->tab[i];
  return !is_host(e) && !(r->cow && i == r->n - 1) &&
         s->h.pb.pm.refcnt[off_block(s, e)] == 1 &&
         !s->h.pb.pm.key[off_block(s, e)];
}

static kv_status in_evict(void *state, uint32_t req, kv_op_list *ops) {
  in_state *s = state;
  if (!kv_swap_usable(&s->cfg, req)) return KV_EINVAL;
  kv_breq *r = &s->h.reqs[req];
  if (r->state != KV_BREQ_LIVE) return KV_EINVAL;
  uint32_t m = 0;
  for (uint32_t i = 0; i < r->n; i++)
    m += evictable(s, r, i);
  if (m == 0) return KV_OK;
  uint64_t hoff;
  if (!kv_range_alloc(&s->h.host, (uint64_t)m * s->h.block_bytes, &hoff))
    return KV_ENOMEM;
  run_acc a = {
      ops,
      push_copy_op(s, req, KV_COPY_D2H, (uint64_t)m * s->h.block_bytes, ops), 0,
      0, 0};
  if (!r->nhost) s->h.nevicted++;
  uint32_t j = 0;
  for (uint32_t i = 0; i < r->n; i++) {
    if (!evictable(s, r, i)) continue;
    uint64_t dev = r->tab[i], host = hoff + (uint64_t)j++ * s->h.block_bytes;
    acc_add(&a, dev, host, s->h.block_bytes);
    uint64_t b = off_block(s, dev);
    kv_pblocks_drop_key(&s->h.pb, (uint32_t)b); /* its copy leaves */
    unref_block(s, b, true);
    uint64_t t = entry_units(s, r, i);
    r->tab[i] = IND_WHERE_HOST | host;
    r->nhost++;
    r->host_units += t;
    s->h.live_units -= t;
  }
  acc_end(&a);
  s->h.host_blocks += m;
  kv_bhouse_table_write(&s->h, req, m, ops);
  return KV_OK;
}

static kv_status in_reload(void *state, uint32_t req, kv_op_list *ops) {
  in_state *s = state;
  if (req >= s->cfg.max_requests) return KV_EINVAL;
  kv_breq *r = &s->h.reqs[req];
  if (r->state != KV_BREQ_LIVE) return KV_EINVAL;
  uint32_t m = r->nhost;
  if (m == 0) return KV_OK;
  if (m > avail_blocks(s)) return KV_ENOMEM;
  /* slots first (slab creation ops come before the copy that fills them) */
  uint64_t *dst = kv_xmalloc(m * sizeof *dst);
  uint32_t j = 0;
  uint64_t after = UINT64_MAX;
  for (uint32_t i = 0; i < r->n; i++) {
    if (!is_host(r->tab[i])) {
      after = r->tab[i];
      continue;
    }
    after = block_off(s, get_block(s, after, req, ops));
    dst[j++] = after;
  }
  run_acc a = {
      ops,
      push_copy_op(s, req, KV_COPY_H2D, (uint64_t)m * s->h.block_bytes, ops), 0,
      0, 0};
  j = 0;
  for (uint32_t i = 0; i < r->n; i++) {
    if (!is_host(r->tab[i])) continue;
    uint64_t host = r->tab[i] & ~IND_WHERE_HOST;
    acc_add(&a, host, dst[j], s->h.block_bytes);
    kv_range_free(&s->h.host, host, s->h.block_bytes);
    r->tab[i] = dst[j++];
  }
  acc_end(&a);
  free(dst);
  kv_bhouse_table_write(&s->h, req, m, ops);
  s->h.live_units += r->host_units;
  s->h.host_blocks -= m;
  s->h.nevicted--;
  r->nhost = 0;
  r->host_units = 0;
  return KV_OK;
}

static uint32_t in_host_blocks(const void *state, uint32_t req) {
  const in_state *s = state;
  return req < s->cfg.max_requests ? s->h.reqs[req].nhost : 0;
}

/* Physically contiguous runs among r's device entries (2+ = scattered). */
static uint32_t dev_runs(const in_state *s, const kv_breq *r) {
  uint32_t runs = 0;
  for (uint32_t i = 0; i < r->n; i++)
    if (i == 0 || r->tab[i] != r->tab[i - 1] + s->h.block_bytes) runs++;
  return runs;
}

/* Move the blocks of requests whose tables are scattered into one free run
 * each, in request order from a rotating cursor, until max_blocks moved.
 * Only requests whose every entry is a private device block move (a shared
 * block would need every sharer's table rewritten). */
static uint64_t in_compact(void *state, uint64_t max_blocks, kv_op_list *ops) {
  in_state *s = state;
  uint64_t moved = 0;
  uint32_t nq = s->cfg.max_requests;
  for (uint32_t k = 0; k < nq && moved < max_blocks; k++) {
    uint32_t q = (s->compact_cursor + k) % nq;
    kv_breq *r = &s->h.reqs[q];
    if (r->state != KV_BREQ_LIVE || r->nhost || r->cow || r->n < 2) continue;
    if (moved + r->n > max_blocks) continue;
    if (dev_runs(s, r) < 2) continue;
    bool priv = true;
    for (uint32_t i = 0; i < r->n && priv; i++)
      priv = s->h.pb.pm.refcnt[off_block(s, r->tab[i])] == 1;
    if (!priv) continue;
    uint64_t nb;
    if (!kv_range_alloc(&s->blocks, r->n, &nb)) continue;
    run_acc a = {
        ops,
        push_copy_op(s, q, KV_COPY_D2D, (uint64_t)r->n * s->h.block_bytes, ops),
        0, 0, 0};
    for (uint32_t i = 0; i < r->n; i++) {
      uint64_t old = off_block(s, r->tab[i]), b = nb + i;
      acc_add(&a, r->tab[i], block_off(s, b), s->h.block_bytes);
      kv_pblocks_take(&s->h.pb, (uint32_t)b);
      if (s->h.pb.pm.key[old]) { /* the key follows the block */
        uint64_t key = s->h.pb.pm.key[old];
        uint32_t fill = s->h.pb.pm.fill[old];
        kv_pblocks_drop_key(&s->h.pb, (uint32_t)old);
        kv_pblocks_set_key(&s->h.pb, (uint32_t)b, key, fill);
      }
      unref_block(s, old, true);
      r->tab[i] = block_off(s, b);
    }
    acc_end(&a);
    kv_bhouse_table_write(&s->h, q, r->n, ops);
    moved += r->n;
    s->compact_cursor = q + 1;
  }
  return moved;
}

/* Slabs not created yet count as free blocks, one run [created, total)
 * that joins the last free range when that one ends at the created edge. */
static void in_tier_stats(const void *state, kv_tier_stats *out) {
  const in_state *s = state;
  memset(out, 0, sizeof *out);
  uint64_t created = (uint64_t)s->nslabs * s->bps;
  uint64_t later = s->total_blocks - created;
  out->total_blocks = s->total_blocks;
  out->free_blocks = s->blocks.free_bytes + later;
  out->free_ranges = s->blocks.n;
  out->largest_free = kv_range_largest(&s->blocks);
  if (later) {
    const kv_range *last =
        s->blocks.n ? &s->blocks.free[s->blocks.n - 1] : NULL;
    uint64_t run = later;
    if (last && last->off + last->len == created)
      run += last->len; /* joins the uncreated slabs */
    else
      out->free_ranges++;
    out->largest_free = KV_MAX(out->largest_free, run);
  }
  out->cached_blocks = s->h.pb.pm.lru_n;
  out->shared_refs = s->h.pb.keyed_refs;
  out->host_blocks = s->h.host_blocks;
  out->host_free = s->h.host.free_bytes;
}

/* ---- prefix sharing ---- */

static void in_stats(const void *state, uint64_t next_tokens,
                     kv_mem_stats *out) {
  (void)next_tokens; /* any free block serves any request */
  const in_state *s = state;
  uint64_t sb = s->cfg.slab_bytes;
  kv_pblocks_mem_stats(&s->h.pb, s->cfg.capacity_bytes, s->h.live_units,
                       s->cfg.block_tokens, s->h.bpt, s->h.block_bytes, out);
  /* slab tails shorter than a block, and the capacity no slab covers
     (free ranges are whole blocks, so nothing else is unusable) */
  out->external_frag =
      out->capacity - (uint64_t)s->nslabs_max * sb +
      (uint64_t)s->nslabs_max * (sb - (uint64_t)s->bps * s->h.block_bytes);
  uint64_t largest = kv_range_largest(&s->blocks);
  if (slabs_left(s) > 0 && s->bps > largest) largest = s->bps;
  if (s->cfg.pool) /* what other models hold is not free here */
    out->free =
        (s->blocks.free_bytes + s->h.pb.pm.lru_n + slabs_left(s) * s->bps) *
        s->h.block_bytes;
  out->largest_free = largest * s->h.block_bytes;
  out->reserved_va = (uint64_t)s->nslabs_max * sb;
  kv_bhouse_stats_tail(&s->h, out);
}

/* ---- validity: one check per invariant written above in_state, in two
 * cost tiers: O(1) checks of the stored counters first, then the walks
 * over free ranges, tables and blocks that recompute them. ---- */

/* Tier 1: at most nslabs_max slabs are created. O(1). */
static kv_status check_slab_count(const in_state *s, kv_error *err) {
  if (s->nslabs <= s->nslabs_max) return KV_OK;
  return kv_error_set(err, KV_EINTERNAL,
                      "indirect: %" PRIu32 " slabs created, max %" PRIu32,
                      s->nslabs, s->nslabs_max);
}

/* Tier 2: free ranges lie in created slabs. */
static kv_status check_free_ranges(const in_state *s, kv_bhouse_census *c,
                                   kv_error *err) {
  for (uint32_t i = 0; i < s->blocks.n; i++) {
    const kv_range *f = &s->blocks.free[i];
    if (f->off + f->len > c->blk.nblocks)
      return kv_error_set(err, KV_EINTERNAL,
                          "indirect: free blocks [%" PRIu64 ", +%" PRIu64
                          ") reach past the %" PRIu32 " created slabs",
                          f->off, f->len, s->nslabs);
    memset(c->blk.isfree + f->off, 1, f->len);
  }
  return KV_OK;
}

/* A host entry is a block-aligned offset in the host tier, never a pending
 * copy-on-write. */
static kv_status check_host_entry(const in_state *s, const kv_breq *r,
                                  uint32_t q, uint32_t i, kv_error *err) {
  uint64_t h = r->tab[i] & ~IND_WHERE_HOST;
  bool pending = r->cow && i == r->n - 1;
  if (h % s->h.block_bytes == 0 && h + s->h.block_bytes <= s->cfg.host_bytes &&
      !pending)
    return KV_OK;
  return kv_error_set(err, KV_EINTERNAL,
                      "indirect: request %" PRIu32 " entry %" PRIu32
                      " host offset %" PRIu64
                      " is unaligned, outside the host tier or "
                      "marked copy-on-write",
                      q, i, h);
}

/* A device entry is a block-aligned offset of a created, non-free block. */
static kv_status check_device_entry(const in_state *s,
                                    const kv_bhouse_census *c, uint32_t q,
                                    uint32_t i, uint64_t e, kv_error *err) {
  uint64_t b = off_block(s, e);
  if (block_off(s, b) == e && b < c->blk.nblocks && !c->blk.isfree[b])
    return KV_OK;
  return kv_error_set(err, KV_EINTERNAL,
                      "indirect: request %" PRIu32 " entry %" PRIu32
                      " (offset %" PRIu64 ") is unaligned, outside "
                      "created slabs or free",
                      q, i, e);
}

/* nhost and host_units match the request's host entries. */
static kv_status check_host_counts(const kv_breq *r, uint32_t q, uint32_t nh,
                                   uint64_t ht, kv_error *err) {
  if (nh == r->nhost && ht == r->host_units) return KV_OK;
  return kv_error_set(err, KV_EINTERNAL,
                      "indirect: request %" PRIu32 " has %" PRIu32
                      " host entries (%" PRIu64 " units), recorded %" PRIu32
                      " (%" PRIu64 ")",
                      q, nh, ht, r->nhost, r->host_units);
}

/* A pending copy-on-write covers part of the last block, inside the
 * tokens. */
static kv_status check_cow(const in_state *s, const kv_breq *r, uint32_t q,
                           kv_error *err) {
  uint64_t bt = s->cfg.block_tokens;
  if (!r->cow || (r->cow_fill > 0 && r->cow_fill < bt &&
                  r->tokens >= (uint64_t)(r->n - 1) * bt + r->cow_fill))
    return KV_OK;
  return kv_error_set(err, KV_EINTERNAL,
                      "indirect: request %" PRIu32
                      " copy-on-write fill %" PRIu32 " is inconsistent",
                      q, r->cow_fill);
}

/* A live request: lanes cover its tokens, every entry valid. O(n). */
static kv_status check_live_request(const void *owner, uint32_t q,
                                    kv_bhouse_census *c, kv_error *err) {
  const in_state *s = owner;
  const kv_breq *r = &s->h.reqs[q];
  c->nlive++;
  kv_status rc =
      kv_bhouse_check_lanes(&s->h, q, r->n, r->nw, r->wlo, r->tokens, err);
  if (rc != KV_OK) return rc;
  uint32_t nh = 0;
  uint64_t ht = 0;
  for (uint32_t i = 0; i < r->n; i++) {
    uint64_t e = r->tab[i];
    if (is_host(e)) {
      if ((rc = check_host_entry(s, r, q, i, err)) != KV_OK) return rc;
      nh++;
      ht += entry_units(s, r, i);
      continue;
    }
    if ((rc = check_device_entry(s, c, q, i, e, err)) != KV_OK) return rc;
    uint64_t b = off_block(s, e);
    c->blk.refs[b]++;
    if (!(r->cow && i == r->n - 1)) c->blk.crefs[b]++;
  }
  if ((rc = check_host_counts(r, q, nh, ht, err)) != KV_OK) return rc;
  if ((rc = check_cow(s, r, q, err)) != KV_OK) return rc;
  c->nevicted += nh > 0;
  c->host_blocks += nh;
  c->host += (uint64_t)nh * s->h.block_bytes;
  c->units += kv_bhouse_dev_units(&s->h, r);
  return KV_OK;
}

/* Tier 2: the policy view, free_blocks + held + cached = total_blocks. */
static kv_status check_policy_view(const in_state *s, kv_error *err) {
  kv_tier_stats ts;
  in_tier_stats(s, &ts);
  uint64_t held = s->h.pb.held, cached = s->h.pb.pm.lru_n;
  if (ts.free_blocks + held + cached == ts.total_blocks &&
      ts.total_blocks == s->total_blocks && ts.largest_free <= ts.free_blocks &&
      (ts.free_blocks > 0) == (ts.free_ranges > 0))
    return KV_OK;
  return kv_error_set(err, KV_EINTERNAL,
                      "indirect: policy view free %" PRIu64 " (%" PRIu64
                      " ranges, largest %" PRIu64 ") + held %" PRIu64
                      " + cached %" PRIu64 " blocks != total %" PRIu64,
                      ts.free_blocks, ts.free_ranges, ts.largest_free, held,
                      cached, ts.total_blocks);
}

/* Tier 1: blocks.free_bytes (in blocks) + held + cached = nslabs * bps.
 * O(1). */
static kv_status check_block_conservation(const in_state *s, kv_error *err) {
  uint64_t created = (uint64_t)s->nslabs * s->bps;
  uint64_t held = s->h.pb.held, cached = s->h.pb.pm.lru_n;
  if (s->blocks.free_bytes + held + cached == created) return KV_OK;
  return kv_error_set(err, KV_EINTERNAL,
                      "indirect: free %" PRIu64 " + held %" PRIu64
                      " + cached %" PRIu64 " blocks != %" PRIu64
                      " in created slabs",
                      s->blocks.free_bytes, held, cached, created);
}

/* Tier 2: with a shared pool, the slabs' pages are this model's there, and
 * it holds no other. */
static kv_status check_pool_pages(const in_state *s, kv_error *err) {
  const kv_mempool *p = s->cfg.pool;
  if (!p) return KV_OK;
  uint64_t n = (uint64_t)s->nslabs * s->pps;
  if (p->held[s->cfg.pool_model] != n)
    return kv_error_set(
        err, KV_EINTERNAL,
        "indirect: %" PRIu32 " slabs make %" PRIu64
        " pages, the shared pool says model %" PRIu32 " holds %" PRIu32,
        s->nslabs, n, s->cfg.pool_model, p->held[s->cfg.pool_model]);
  for (uint64_t i = 0; i < n; i++) {
    uint32_t id = s->slab_pages[i];
    if (id >= p->total || p->owner[id] != s->cfg.pool_model)
      return kv_error_set(err, KV_EINTERNAL,
                          "indirect: slab %" PRIu64 " holds page %" PRIu32
                          ", not model %" PRIu32 "'s in the shared pool",
                          i / s->pps, id, s->cfg.pool_model);
  }
  return KV_OK;
}

static kv_status in_is_valid(const void *state, kv_error *err) {
  const in_state *s = state;
  kv_status rc = kv_range_alloc_is_valid(&s->blocks, err);
  if (rc != KV_OK) return kv_error_prefix(err, "indirect free blocks: ");
  rc = kv_range_alloc_is_valid(&s->h.host, err);
  if (rc != KV_OK) return kv_error_prefix(err, "indirect host tier: ");
  if ((rc = check_slab_count(s, err)) != KV_OK ||
      (rc = check_block_conservation(s, err)) != KV_OK)
    return rc;
  kv_bhouse_census c = {0};
  kv_pblocks_census_init(&c.blk, (uint64_t)s->nslabs * s->bps);
  if ((rc = check_free_ranges(s, &c, err)) == KV_OK &&
      (rc = kv_bhouse_check_requests(&s->h, &c, check_live_request, err)) ==
          KV_OK &&
      (rc = kv_pblocks_check(&s->h.pb, &c.blk, &s->h.ln, "indirect", err)) ==
          KV_OK &&
      (rc = kv_bhouse_check_request_counters(&s->h, &c, err)) == KV_OK &&
      (rc = check_policy_view(s, err)) == KV_OK &&
      (rc = check_pool_pages(s, err)) == KV_OK)
    rc = kv_bhouse_check_host(&s->h, &c, err);
  kv_pblocks_census_free(&c.blk);
  return rc == KV_OK ? kv_error_set(err, KV_OK, NULL) : rc;
}

static const kv_strategy_opt in_options[] = {
    {"slab_bytes", KV_OPT_U64, offsetof(kv_strategy_cfg, slab_bytes),
     64ull << 20, 1, UINT64_MAX >> 2, NULL, "slab (one VMM handle) size, bytes",
     true},
    KV_STRATEGY_OPT_BLOCK_TOKENS,
    KV_STRATEGY_OPT_MAX_CONTEXT,
    KV_STRATEGY_OPT_COPY_VIA,
    {NULL}};

static void in_label(const kv_strategy_cfg *cfg, char *buf, size_t n) {
  char a[32];
  kv_strategy_compact_bytes(a, sizeof a, cfg->slab_bytes);
  snprintf(buf, n, "indirect-%s-%u", a, cfg->block_tokens);
}

/* Token t of a live request: offset-table entry t / block_tokens of each
 * full lane, and of each window lane while t is in the last `window`
 * tokens, + (t % block_tokens) * bpt; host-tagged entries are not on the
 * device and name nothing. */
static uint32_t in_token_map(const void *state, uint32_t req, uint64_t token,
                             kv_extent *out, uint32_t max) {
  const in_state *s = state;
  const kv_breq *r = &s->h.reqs[req];
  if (r->state != KV_BREQ_LIVE || token >= r->tokens) return 0;
  uint64_t j = token / s->cfg.block_tokens;
  uint64_t in = token % s->cfg.block_tokens * s->h.bpt;
  uint32_t n = 0;
  for (uint32_t l = 0; l < s->h.ln.lf + s->h.ln.lw; l++) {
    uint64_t e;
    if (l < s->h.ln.lf)
      e = r->tab[j * s->h.ln.lf + l];
    else if (token + s->h.ln.window >= r->tokens)
      e = r->tab[(r->n - r->nw) + (j - r->wlo) * s->h.ln.lw + (l - s->h.ln.lf)];
    else
      continue;
    if (e & IND_WHERE_HOST) continue;
    if (n < max) out[n] = (kv_extent){e + in, s->h.bpt};
    n++;
  }
  return n;
}

const kv_strategy_vt kv_strategy_indirect = {
    .version = KV_STRATEGY_VT_VERSION,
    .name = "indirect",
    .summary = "offset table over large VMM slabs: few driver calls, blocks "
               "remappable in flight",
    /* one VMM_RESERVE for the VA of every slab the capacity allows;
       refuses prefix_cache with a window */
    .create = in_create,
    /* unmaps and releases the slabs, frees the VA */
    .destroy = in_destroy,
    /* blocks in place after the last one, else first fit; a new slab (create
       + map + set-access) only when the created ones are full; one
       TABLE_WRITE per growth; with prefix_cache, KV_EINVAL for a shrink
       below the published tokens of a keyed block the request holds; with
       a window, frees the window lanes' blocks that left it first,
       KV_EINVAL for a shrink that needs them back */
    .reserve = kv_bhouse_slot_reserve,
    /* blocks back to the free ranges; slabs stay */
    .release = kv_bhouse_slot_release,
    /* one D2H copy, one run per contiguous group of blocks */
    .swap_out = kv_bhouse_slot_swap_out,
    /* new blocks, one TABLE_WRITE and one H2D copy */
    .swap_in = kv_bhouse_slot_swap_in,
    /* external fragmentation = slab tails + capacity no slab covers */
    .stats = in_stats,
    /* every block of every slab; with a window the most tokens whose every
       prefix fits (UINT64_MAX when only window lanes, and they fit) */
    .max_request_tokens = kv_bhouse_slot_max_request_tokens,
    /* block ownership inside created slabs, lane layouts, counters, the
       policy view */
    .is_valid = in_is_valid,
    .reserved = {NULL, NULL, NULL, NULL},
    /* private device blocks out: one D2H COPY (merged runs), one
       TABLE_WRITE tagging the entries host; shared blocks stay */
    .evict = in_evict,
    /* host entries into free slots: one H2D COPY, one TABLE_WRITE */
    .reload = in_reload,
    .host_blocks = in_host_blocks,
    /* scattered private tables into one free run each: D2D COPY +
       TABLE_WRITE per request moved */
    .compact = in_compact,
    /* slabs not created yet count as existing, free blocks */
    .tier_stats = in_tier_stats,
    /* longest cached prefix by key, refcount + 1, cow on a partial block */
    .prefix_attach = kv_bhouse_slot_prefix_attach,
    /* keys on computed, unkeyed blocks; stops at key 0 ("no key") or a
       fill that is 0, over a block or beyond the tokens */
    .prefix_publish = kv_bhouse_slot_prefix_publish,
    /* blocks swap_in, reload and reserve would take (a new slab counts
       only its blocks taken), less window blocks they free and a
       copy-on-write source only this request held */
    .reserve_need = kv_bhouse_slot_reserve_need,
    /* slab_bytes, block_tokens, max_context, copy_via */
    .options = in_options,
    /* kernels read through the offset table */
    .addr_mode = KV_ADDR_OFFSET_TABLE,
    /* memory only through VMM ops (slabs) */
    .pool = KV_POOL_NONE,
    /* "indirect-<slab>-<block_tokens>" */
    .label = in_label,
    /* offset table entry t / block_tokens of each lane, + offset */
    .token_map = in_token_map,
};
