/* strategy_paged.c - vLLM PagedAttention: fixed blocks of block_tokens
 * tokens from a LIFO free pool, one block table per request.
 *
 * Prefix sharing (cfg.prefix_cache), as vLLM's automatic prefix caching:
 * blocks published under a key (prefix_map.h) are referenced by several
 * tables; at refcount 0 they stay cached, off the free stack, until a
 * reservation finds the stack empty and takes the least recently used one.
 * A request attached to a partial block copies it before writing into it
 * (copy-on-write: one D2D COPY and one TABLE_WRITE). Without prefix_cache
 * nothing is published and the strategy behaves as before.
 *
 * Sliding windows (model.h: sliding_window on window_layers of the layers),
 * as vLLM's hybrid allocator: the layers form groups of g = gcd(full layers,
 * windowed layers) layers, and a page (the pool's block) holds block_tokens
 * tokens of one group. A request holds lf = full/g lanes of pages for every
 * block of its tokens and lw = windowed/g lanes for only the blocks that
 * overlap its last `window` tokens; pages that fall out of the window go
 * back to the pool as the request grows (the window lanes' device table is
 * a ring: only new entries are written, one TABLE_WRITE per growth). A
 * model without a window is one group of every layer in one full lane: the
 * page is the whole-model block and everything is as before. The prefix
 * cache is refused for windowed models (create names cfg.prefix_cache).
 *
 * Main entry point: the vtable kv_strategy_paged.
 */
#include "strategy.h"

#include "block_req.h"
#include "lanes.h"
#include "mempool.h"
#include "prefix_blocks.h"
#include "range_alloc.h"
#include "util.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Invariants (checked by pg_is_valid; the requests' own in block_req.h):
 * - every block id < nblocks is exactly one of: on the free stack; in
 *   pb.pm.refcnt[b] >= 1 live tables (more than one only when keyed);
 *   cached (keyed, refcount 0, on the LRU list); the references, keys and
 *   their counters as prefix_blocks.h writes them;
 * - free_top + held + cached = nblocks (free + backed = capacity, less the
 *   remainder capacity - nblocks*block_bytes that no block covers);
 * - a table entry is a block id < nblocks (never a host entry: no
 *   block-level eviction here);
 * - with a window, no block has a key (the prefix cache is refused). */
typedef struct pg_state {
  kv_bhouse h; /* first: requests, tables, host tier, references; the
                  vtable's request slots are the house's (block_req.h) */
  kv_strategy_cfg cfg;
  uint32_t nblocks;
  uint32_t *free_stack; /* LIFO of free block ids; top at free_top-1 */
  uint32_t free_top;
  struct pg_pool *pl; /* cfg.pool: page groups mapped on demand, else NULL */
} pg_state;
_Static_assert(offsetof(pg_state, h) == 0, "the house slots take the state");

/* ---- a shared pool of physical pages (cfg.pool): kvcached's design ----
 *
 * The block pool is a virtual range per layer tensor (K and V of each
 * layer, or one combined KV tensor per layer for MLA), reserved at create
 * for the whole shared pool. Block b is at offset b x tbb in every tensor
 * (tbb = block_tokens x bytes per token of one layer tensor), so a 2 MiB
 * page at the same offset of every tensor holds bpg = page / tbb blocks:
 * that is a page group (kvcached's "page"), and mapping it costs gpages =
 * layers x tensors physical pages from the pool (CREATE, MAP, SET_ACCESS of
 * gpages handles); unmapping it UNMAP and RELEASE of gpages. Blocks are
 * taken lowest address first among mapped groups; a group is mapped (the
 * lowest unmapped one) when no mapped group has a free block; a group whose
 * blocks are all free is unmapped (highest first) once the model holds more
 * than cfg.pool_spare empty groups, or at once when the pool has no whole
 * group free (so that memory another model is owed comes back). While it
 * holds fewer than cfg.pool_prealloc empty groups it maps more in the
 * background (KV_OPF_BACKGROUND), as long as a group stays free in the
 * pool. Cached prefix blocks (refcount 0) keep their group mapped; a
 * reservation takes one (LRU) only when no group is mapped-free or
 * mappable.
 *
 * Invariants (pool_check):
 * - a group is mapped iff its gpages page ids are pages the pool says this
 *   model owns, and the pool says it holds exactly nmapped x gpages;
 * - bit b of `bits` is set iff block b is free, and only in mapped groups;
 *   gfree[g] counts group g's set bits; nempty the mapped groups whose
 *   every block is free; free_top = the sum of gfree;
 * - no block of an unmapped group is held or cached. */
typedef struct pg_pool {
  kv_mempool *mp;
  uint32_t model;       /* index in mp */
  uint32_t tensors;     /* per layer: 2 (K, V) or 1 (MLA's combined KV) */
  uint32_t gpages;      /* pool pages one group maps: layers x tensors */
  uint32_t bpg;         /* blocks per group */
  uint32_t ngroups;     /* groups the virtual range holds */
  uint64_t range_bytes; /* VA of one tensor: ngroups pages */
  uint32_t *page;       /* [ngroups x gpages] page ids of mapped groups */
  uint8_t *mapped;      /* [ngroups] */
  uint32_t *gfree;      /* [ngroups] free blocks of a mapped group */
  uint64_t *bits;       /* [nblocks / 64 + 1] free blocks of mapped groups */
  uint32_t nwords, lo_word; /* no set bit below word lo_word */
  uint32_t nmapped, nempty;
} pg_pool;

/* ---- the shared pool's page groups (see pg_pool) ---- */

/* Index of the lowest set bit of w != 0. */
static uint32_t low_bit(uint64_t w) {
#if defined(__GNUC__) || defined(__clang__)
  return (uint32_t)__builtin_ctzll(w);
#else
  uint32_t i = 0;
  while (!(w & 1)) {
    w >>= 1;
    i++;
  }
  return i;
#endif
}

static bool bit_get(const uint64_t *w, uint32_t b) {
  return (w[b >> 6] >> (b & 63)) & 1u;
}

/* Whole groups the pool could map for this model now. */
static uint64_t pool_groups_free(const pg_pool *p) {
  uint64_t g = kv_mempool_free_pages(p->mp) / p->gpages;
  uint64_t un = p->ngroups - p->nmapped;
  return g < un ? g : un;
}

/* Blocks a reservation may take: free ones (in mapped groups with a pool),
 * cached ones (LRU), and with a pool those of the groups it could map. */
static uint64_t avail_blocks(const pg_state *s) {
  uint64_t a = (uint64_t)s->free_top + s->h.pb.pm.lru_n;
  if (s->pl) a += pool_groups_free(s->pl) * s->pl->bpg;
  return a;
}

static uint64_t group_va(const pg_pool *p, uint32_t g, uint32_t t,
                         uint64_t page) {
  return (uint64_t)t * p->range_bytes + (uint64_t)g * page;
}

static uint32_t lowest_unmapped(const pg_pool *p) {
  uint32_t g = 0;
  while (g < p->ngroups && p->mapped[g])
    g++;
  return g;
}

/* Map group g (unmapped; the pool has gpages free): CREATE, MAP and
 * SET_ACCESS of gpages handles, one per layer tensor; its blocks go free. */
static void map_group(pg_state *s, uint32_t g, uint8_t flags, uint32_t req,
                      kv_op_list *ops) {
  pg_pool *p = s->pl;
  uint64_t pb = s->cfg.page_bytes;
  uint32_t *pg = &p->page[(size_t)g * p->gpages];
  kv_mempool_take(p->mp, p->model, p->gpages, pg);
  kv_op *c = kv_ops_push(ops, KV_OP_VMM_CREATE, req);
  c->flags = flags;
  c->count = p->gpages;
  c->bytes = pb;
  kv_op *m = kv_ops_push(ops, KV_OP_VMM_MAP, req);
  m->flags = flags;
  m->count = p->gpages;
  m->bytes = pb;
  for (uint32_t t = 0; t < p->gpages; t++)
    kv_ops_push_run(ops, m, pg[t], group_va(p, g, t, pb), pb);
  kv_op *a = kv_ops_push(ops, KV_OP_VMM_SET_ACCESS, req);
  a->flags = flags;
  a->count = p->gpages;
  a->bytes = pb;
  uint32_t b0 = g * p->bpg;
  for (uint32_t i = 0; i < p->bpg; i++)
    p->bits[(b0 + i) >> 6] |= 1ull << ((b0 + i) & 63);
  if ((b0 >> 6) < p->lo_word) p->lo_word = b0 >> 6;
  p->mapped[g] = 1;
  p->gfree[g] = p->bpg;
  p->nmapped++;
  p->nempty++;
  s->free_top += p->bpg;
}

/* UNMAP and RELEASE the pages of group g (every block free): back to the
 * pool. */
static void unmap_group(pg_state *s, uint32_t g, uint32_t req,
                        kv_op_list *ops) {
  pg_pool *p = s->pl;
  uint64_t pb = s->cfg.page_bytes;
  uint32_t *pg = &p->page[(size_t)g * p->gpages];
  kv_op *u = kv_ops_push(ops, KV_OP_VMM_UNMAP, req);
  u->count = p->gpages;
  u->bytes = pb;
  for (uint32_t t = 0; t < p->gpages; t++)
    kv_ops_push_run(ops, u, pg[t], group_va(p, g, t, pb), pb);
  kv_op *r = kv_ops_push(ops, KV_OP_VMM_RELEASE, req);
  r->count = p->gpages;
  r->bytes = pb;
  for (uint32_t t = 0; t < p->gpages; t++) {
    kv_ops_push_run(ops, r, pg[t], 0, pb);
    kv_mempool_give(p->mp, p->model, pg[t]);
  }
  uint32_t b0 = g * p->bpg;
  for (uint32_t i = 0; i < p->bpg; i++)
    p->bits[(b0 + i) >> 6] &= ~(1ull << ((b0 + i) & 63));
  p->mapped[g] = 0;
  p->gfree[g] = 0;
  p->nmapped--;
  p->nempty--;
  s->free_top -= p->bpg;
}

/* The lowest free block of the mapped groups (free_top > 0). */
static uint32_t pool_pop_free(pg_state *s) {
  pg_pool *p = s->pl;
  uint32_t w = p->lo_word;
  while (!p->bits[w])
    w++;
  p->lo_word = w;
  uint32_t b = w * 64 + low_bit(p->bits[w]);
  p->bits[w] &= p->bits[w] - 1;
  uint32_t g = b / p->bpg;
  if (p->gfree[g]-- == p->bpg) p->nempty--;
  s->free_top--;
  return b;
}

static void pool_push_free(pg_state *s, uint32_t b) {
  pg_pool *p = s->pl;
  p->bits[b >> 6] |= 1ull << (b & 63);
  if ((b >> 6) < p->lo_word) p->lo_word = b >> 6;
  uint32_t g = b / p->bpg;
  if (++p->gfree[g] == p->bpg) p->nempty++;
  s->free_top++;
}

/* After blocks were freed or taken: unmap empty groups beyond the spares
 * (highest first; every one when the pool has no whole group free), then
 * map ahead in the background up to pool_prealloc empty groups while the
 * pool keeps a group free for the other models. */
static void pool_settle(pg_state *s, uint32_t req, kv_op_list *ops) {
  pg_pool *p = s->pl;
  if (!p) return;
  uint32_t keep =
      kv_mempool_free_pages(p->mp) >= p->gpages ? s->cfg.pool_spare : 0;
  for (uint32_t g = p->ngroups; p->nempty > keep && g-- > 0;)
    if (p->mapped[g] && p->gfree[g] == p->bpg) unmap_group(s, g, req, ops);
  uint32_t want = KV_MIN(s->cfg.pool_prealloc, s->cfg.pool_spare);
  while (p->nempty < want && p->nmapped < p->ngroups &&
         kv_mempool_free_pages(p->mp) >= 2 * (uint64_t)p->gpages)
    map_group(s, lowest_unmapped(p), KV_OPF_BACKGROUND, req, ops);
}

/* cfg.pool: check it and size the groups; *nblocks = ngroups x bpg. */
static kv_status pool_geometry(const kv_strategy_cfg *cfg, const kv_lanes *ln,
                               uint64_t block_bytes, pg_pool *p,
                               uint64_t *nblocks, kv_error *err) {
  const kv_mempool *mp = cfg->pool;
  if (mp->page_bytes != cfg->page_bytes || cfg->pool_model >= mp->n_models)
    return kv_error_set(
        err, KV_EINVAL,
        "paged: cfg.page_bytes %" PRIu64
        " must equal the shared pool's page (%" PRIu64
        ") and cfg.pool_model %" PRIu32 " be < its %" PRIu32 " models",
        cfg->page_bytes, mp->page_bytes, cfg->pool_model, mp->n_models);
  /* a block holds one layer group (all layers without a window): a group
     maps one page in each K and V tensor of those layers */
  uint64_t bptl = kv_strategy_bytes_per_token_layer(cfg);
  p->tensors = cfg->model->mla_latent > 0 ? 1 : 2;
  p->gpages = (uint32_t)(ln->bpt / bptl) * p->tensors;
  uint64_t tbb = p->gpages ? block_bytes / p->gpages : 0; /* one tensor's */
  if (tbb == 0 || block_bytes % p->gpages || tbb > cfg->page_bytes)
    return kv_error_set(err, KV_EINVAL,
                        "paged: cfg.block_tokens %" PRIu32 " makes blocks of "
                        "%" PRIu64 " bytes per layer tensor (%" PRIu32
                        " tensors): must be a whole number no larger than "
                        "the pool's page (%" PRIu64 ")",
                        cfg->block_tokens, tbb, p->gpages, cfg->page_bytes);
  p->bpg = (uint32_t)(cfg->page_bytes / tbb);
  p->ngroups = mp->total / p->gpages;
  if (p->ngroups == 0)
    return kv_error_set(err, KV_EINVAL,
                        "paged: the shared pool's %" PRIu32
                        " pages hold no group of %" PRIu32
                        " (one page per layer tensor)",
                        mp->total, p->gpages);
  if ((uint64_t)p->ngroups * p->bpg > UINT32_MAX - 1)
    return kv_error_set(err, KV_EINVAL,
                        "paged: the shared pool has too many "
                        "blocks (more than 2^32-2)");
  p->mp = cfg->pool;
  p->model = cfg->pool_model;
  p->range_bytes = (uint64_t)p->ngroups * cfg->page_bytes;
  *nblocks = (uint64_t)p->ngroups * p->bpg;
  return KV_OK;
}

/* The pool state for s (geometry in g): nothing mapped; one VA range per
 * layer (its tensors side by side) reserved up front. */
static void pool_init(pg_state *s, const pg_pool *g, kv_op_list *ops) {
  pg_pool *p = kv_xmalloc(sizeof *p);
  *p = *g;
  p->page = kv_xmalloc((size_t)p->ngroups * p->gpages * sizeof *p->page);
  p->mapped = kv_xcalloc(p->ngroups, 1);
  p->gfree = kv_xcalloc(p->ngroups, sizeof *p->gfree);
  p->nwords = s->nblocks / 64 + 1;
  p->bits = kv_xcalloc(p->nwords, sizeof *p->bits);
  p->lo_word = p->nwords - 1;
  s->pl = p;
  s->free_top = 0;
  uint32_t layers = p->gpages / p->tensors;
  for (uint32_t l = 0; ops && l < layers; l++) {
    kv_op *op = kv_ops_push(ops, KV_OP_VMM_RESERVE, KV_NO_REQ);
    op->count = 1;
    op->addr = group_va(p, 0, l * p->tensors, s->cfg.page_bytes);
    op->bytes = p->tensors * p->range_bytes;
  }
}

/* Every mapped group back to the pool (UNMAP + RELEASE), the VA freed. */
static void pool_destroy(pg_state *s, kv_op_list *ops) {
  pg_pool *p = s->pl;
  uint64_t pb = s->cfg.page_bytes;
  if (ops && p->nmapped) {
    kv_op *u = kv_ops_push(ops, KV_OP_VMM_UNMAP, KV_NO_REQ);
    u->count = p->nmapped * p->gpages;
    u->bytes = pb;
    kv_op *r = kv_ops_push(ops, KV_OP_VMM_RELEASE, KV_NO_REQ);
    r->count = p->nmapped * p->gpages;
    r->bytes = pb;
  }
  for (uint32_t g = 0; g < p->ngroups; g++)
    for (uint32_t t = 0; p->mapped[g] && t < p->gpages; t++)
      kv_mempool_give(p->mp, p->model, p->page[(size_t)g * p->gpages + t]);
  uint32_t layers = p->gpages / p->tensors;
  for (uint32_t l = 0; ops && l < layers; l++) {
    kv_op *op = kv_ops_push(ops, KV_OP_VMM_FREE_VA, KV_NO_REQ);
    op->count = 1;
    op->addr = group_va(p, 0, l * p->tensors, pb);
    op->bytes = p->tensors * p->range_bytes;
  }
  free(p->page);
  free(p->mapped);
  free(p->gfree);
  free(p->bits);
  free(p);
  s->pl = NULL;
}

/* One block off the free stack (or the least recently used cached one),
 * with one counting reference. Caller checked there is one. With a shared
 * pool: the lowest free block of the mapped groups, else of a group mapped
 * now, else the least recently used cached one. */
static uint32_t pop_block(pg_state *s, uint32_t req, kv_op_list *ops) {
  if (s->pl) {
    uint32_t b;
    if (s->free_top == 0 && pool_groups_free(s->pl) > 0)
      map_group(s, lowest_unmapped(s->pl), 0, req, ops);
    b = s->free_top ? pool_pop_free(s) : kv_pmap_lru_pop(&s->h.pb.pm);
    kv_pblocks_take(&s->h.pb, b);
    return b;
  }
  if (s->free_top == 0) /* the least recently used cached block */
    s->free_stack[s->free_top++] = kv_pmap_lru_pop(&s->h.pb.pm);
  uint32_t b = s->free_stack[--s->free_top];
  kv_pblocks_take(&s->h.pb, b);
  return b;
}

/* Drop one reference to b: at refcount 0 a keyed block is cached (LRU),
 * any other goes on the free stack. */
static void unref_block(pg_state *s, uint32_t b, bool counting) {
  if (!kv_pblocks_unref(&s->h.pb, b, counting)) return;
  if (s->pl)
    pool_push_free(s, b);
  else
    s->free_stack[s->free_top++] = b;
}

/* ---- the house's questions (block_req.h): entries are block ids ---- */

static uint64_t house_take(void *owner, uint64_t after, uint32_t req,
                           kv_op_list *ops) {
  (void)after; /* any free block serves */
  return pop_block(owner, req, ops);
}

static void house_drop(void *owner, const uint64_t *tab, uint32_t lo,
                       uint32_t hi, uint32_t pending) {
  for (uint32_t i = hi; i-- > lo;) /* last first: the stack pops in order */
    unref_block(owner, (uint32_t)tab[i], i != pending);
}
static uint32_t house_block(const void *owner, uint64_t e) {
  (void)owner;
  return (uint32_t)e;
}

static uint64_t house_entry(const void *owner, uint32_t b) {
  (void)owner;
  return b;
}

static uint64_t house_addr(const void *owner, uint64_t e) {
  const pg_state *s = owner;
  return e * s->h.block_bytes;
}

static uint64_t house_avail(const void *owner) {
  return avail_blocks(owner);
}

static void house_settle(void *owner, uint32_t req, kv_op_list *ops) {
  pool_settle(owner, req, ops);
}

static const kv_bhouse_vt pg_house = {
    /* TABLE_WRITEs of 4-byte block ids */
    .entry_bytes = 4,
    /* the free stack's top (a shared pool: its lowest free block) */
    .take = house_take,
    /* back on the free stack (last first), or cached when keyed */
    .drop = house_drop,
    /* the entry is the block id */
    .block = house_block,
    .entry = house_entry,
    /* block x block_bytes in the device pool */
    .addr = house_addr,
    /* free, cached and (a shared pool) mappable blocks */
    .avail = house_avail,
    /* a shared pool maps and unmaps page groups */
    .settle = house_settle,
};

static kv_status pg_create(const kv_strategy_cfg *cfg, void **state,
                           kv_op_list *ops, kv_error *err) {
  /* one preallocated pool: no setup ops (a shared pool: VA reservations) */
  kv_lanes ln;
  kv_status rc = kv_pblocks_cfg_lanes(cfg, "paged", &ln, err);
  if (rc != KV_OK) return rc;
  uint64_t block_bytes = (uint64_t)cfg->block_tokens * ln.bpt;
  uint64_t nblocks = cfg->capacity_bytes / block_bytes;
  pg_pool geo = {0};
  if (cfg->pool &&
      (rc = pool_geometry(cfg, &ln, block_bytes, &geo, &nblocks, err)) != KV_OK)
    return rc;
  if (nblocks > UINT32_MAX - 1)
    return kv_error_set(err, KV_EINVAL,
                        "paged: cfg.capacity_bytes %" PRIu64 " gives %" PRIu64
                        " blocks (more than 2^32-2)",
                        cfg->capacity_bytes, nblocks);
  pg_state *s = kv_xcalloc(1, sizeof *s);
  s->cfg = *cfg;
  s->nblocks = (uint32_t)nblocks;
  s->free_stack = kv_xmalloc((nblocks ? nblocks : 1) * sizeof *s->free_stack);
  /* push in reverse so the first pops return 0, 1, 2, ... */
  for (uint32_t i = 0; i < s->nblocks; i++)
    s->free_stack[i] = s->nblocks - 1 - i;
  s->free_top = s->nblocks;
  kv_bhouse_init(&s->h, &s->cfg, &ln, s->nblocks,
                 kv_lanes_max_tokens(&ln, nblocks), &pg_house, s, "paged");
  if (cfg->pool) pool_init(s, &geo, ops);
  *state = s;
  return KV_OK;
}

static void pg_destroy(void *state, kv_op_list *ops) {
  pg_state *s = state;
  if (!s) return;
  if (s->pl) pool_destroy(s, ops);
  kv_bhouse_free(&s->h);
  free(s->free_stack);
  free(s);
}

static void pg_stats(const void *state, uint64_t next_tokens,
                     kv_mem_stats *out) {
  (void)next_tokens; /* any free block serves any request */
  const pg_state *s = state;
  kv_pblocks_mem_stats(&s->h.pb, s->cfg.capacity_bytes, s->h.live_units,
                       s->cfg.block_tokens, s->h.bpt, s->h.block_bytes, out);
  /* the tail no whole block covers can never be used */
  out->external_frag = out->capacity - (uint64_t)s->nblocks * s->h.block_bytes;
  out->largest_free = avail_blocks(s) ? s->h.block_bytes : 0;
  out->reserved_va = 0;
  if (s->pl) { /* what other models hold is not free here */
    out->free = avail_blocks(s) * s->h.block_bytes;
    out->external_frag = 0;
    out->reserved_va = (uint64_t)s->pl->gpages * s->pl->range_bytes;
  }
  kv_bhouse_stats_tail(&s->h, out);
}

static void pg_tier_stats(const void *state, kv_tier_stats *out) {
  const pg_state *s = state;
  memset(out, 0, sizeof *out);
  out->total_blocks = s->nblocks;
  out->free_blocks = s->free_top;
  if (s->pl) out->free_blocks += pool_groups_free(s->pl) * s->pl->bpg;
  out->free_ranges = s->free_top; /* any block serves: no runs tracked */
  out->largest_free = s->free_top ? 1 : 0;
  out->cached_blocks = s->h.pb.pm.lru_n;
  out->shared_refs = s->h.pb.keyed_refs;
  out->host_free = s->h.host.free_bytes;
}

/* ---- validity: one check per invariant written above pg_state, in two
 * cost tiers: O(1) checks of the stored counters first, then the walks
 * over the free stack, the tables and the blocks that recompute them. ---- */

/* Tier 1: the free stack fits its array. O(1). */
static kv_status check_free_top(const pg_state *s, kv_error *err) {
  if (s->free_top <= s->nblocks) return KV_OK;
  return kv_error_set(err, KV_EINTERNAL,
                      "paged: free stack has %" PRIu32 " > %" PRIu32 " blocks",
                      s->free_top, s->nblocks);
}

/* Tier 2, a shared pool: free bits only in mapped groups, counted by
 * gfree, nempty and free_top; unmapped groups' blocks marked free in the
 * census (so that no table or cache may hold one). */
static kv_status check_free_bits(const pg_state *s, kv_bhouse_census *c,
                                 kv_error *err) {
  const pg_pool *p = s->pl;
  uint64_t nfree = 0;
  uint32_t nmapped = 0, nempty = 0;
  for (uint32_t g = 0; g < p->ngroups; g++) {
    uint32_t k = 0;
    for (uint32_t b = g * p->bpg; b < (g + 1) * p->bpg; b++) {
      bool f = bit_get(p->bits, b);
      if (f && !p->mapped[g])
        return kv_error_set(err, KV_EINTERNAL,
                            "paged: block %" PRIu32 " is free in unmapped "
                            "group %" PRIu32,
                            b, g);
      k += f;
      c->blk.isfree[b] = f || !p->mapped[g];
    }
    if (k != p->gfree[g])
      return kv_error_set(err, KV_EINTERNAL,
                          "paged: group %" PRIu32 " has %" PRIu32
                          " free blocks, gfree says %" PRIu32,
                          g, k, p->gfree[g]);
    nfree += k;
    nmapped += p->mapped[g];
    nempty += p->mapped[g] && k == p->bpg;
  }
  for (uint32_t b = s->nblocks; b < p->nwords * 64; b++)
    if (bit_get(p->bits, b))
      return kv_error_set(err, KV_EINTERNAL,
                          "paged: free bit %" PRIu32 " beyond the blocks", b);
  if (nfree != s->free_top || nmapped != p->nmapped || nempty != p->nempty)
    return kv_error_set(err, KV_EINTERNAL,
                        "paged: %" PRIu64 " free blocks, %" PRIu32
                        " mapped and %" PRIu32 " empty groups, but counters "
                        "say %" PRIu32 ", %" PRIu32 ", %" PRIu32,
                        nfree, nmapped, nempty, s->free_top, p->nmapped,
                        p->nempty);
  return KV_OK;
}

/* Tier 2, a shared pool: a group is mapped iff its pages are this model's
 * in the pool, each page once, and the pool says it holds exactly those. */
static kv_status check_pool_pages(const pg_state *s, kv_error *err) {
  const pg_pool *p = s->pl;
  const kv_mempool *mp = p->mp;
  uint8_t *seen = kv_xcalloc(mp->total, 1);
  kv_status rc = KV_OK;
  for (uint32_t g = 0; g < p->ngroups && rc == KV_OK; g++)
    for (uint32_t t = 0; p->mapped[g] && t < p->gpages && rc == KV_OK; t++) {
      uint32_t id = p->page[(size_t)g * p->gpages + t];
      if (id >= mp->total || seen[id]++ || mp->owner[id] != p->model)
        rc = kv_error_set(err, KV_EINTERNAL,
                          "paged: group %" PRIu32 " tensor %" PRIu32
                          " maps page %" PRIu32 ", out of range, mapped "
                          "twice or not model %" PRIu32 "'s in the pool",
                          g, t, id, p->model);
    }
  if (rc == KV_OK && (uint64_t)p->nmapped * p->gpages != mp->held[p->model])
    rc = kv_error_set(err, KV_EINTERNAL,
                      "paged: model %" PRIu32 " maps %" PRIu32
                      " groups of %" PRIu32
                      " pages, the shared pool says it holds %" PRIu32,
                      p->model, p->nmapped, p->gpages, mp->held[p->model]);
  free(seen);
  return rc;
}

/* Tier 2: the free stack holds distinct block ids < nblocks. */
static kv_status check_free_stack(const pg_state *s, kv_bhouse_census *c,
                                  kv_error *err) {
  if (s->pl) return check_free_bits(s, c, err);
  for (uint32_t i = 0; i < s->free_top; i++) {
    uint32_t b = s->free_stack[i];
    if (b >= s->nblocks || c->blk.isfree[b])
      return kv_error_set(err, KV_EINTERNAL,
                          "paged: free stack entry %" PRIu32 " (block %" PRIu32
                          ") is out of range or listed twice",
                          i, b);
    c->blk.isfree[b] = 1;
  }
  return KV_OK;
}

/* A live request's entries are blocks < nblocks, none on the free stack,
 * and its lanes cover its tokens. O(n). */
static kv_status check_live_request(const void *owner, uint32_t q,
                                    kv_bhouse_census *c, kv_error *err) {
  const pg_state *s = owner;
  const kv_breq *r = &s->h.reqs[q];
  c->nlive++;
  c->units += kv_bhouse_dev_units(&s->h, r);
  kv_status rc =
      kv_bhouse_check_lanes(&s->h, q, r->n, r->nw, r->wlo, r->tokens, err);
  if (rc != KV_OK) return rc;
  for (uint32_t i = 0; i < r->n; i++) {
    uint64_t b = r->tab[i];
    if (b >= s->nblocks || c->blk.isfree[b])
      return kv_error_set(err, KV_EINTERNAL,
                          "paged: request %" PRIu32 " table entry %" PRIu32
                          " (block %" PRIu64
                          ") is out of range or in the free pool",
                          q, i, b);
    c->blk.refs[b]++;
    if (!(r->cow && i == r->n - 1)) c->blk.crefs[b]++;
  }
  return KV_OK;
}

/* Tier 1: free_top + held + cached (+ the blocks of unmapped groups, with
 * a shared pool) = nblocks. O(1). */
static kv_status check_block_conservation(const pg_state *s, kv_error *err) {
  uint64_t unmapped =
      s->pl ? (uint64_t)(s->pl->ngroups - s->pl->nmapped) * s->pl->bpg : 0;
  if ((uint64_t)s->free_top + s->h.pb.held + s->h.pb.pm.lru_n + unmapped ==
      s->nblocks)
    return KV_OK;
  return kv_error_set(
      err, KV_EINTERNAL,
      "paged: free %" PRIu32 " + held %" PRIu64 " + cached %" PRIu64
      " + unmapped %" PRIu64 " blocks != %" PRIu32,
      s->free_top, s->h.pb.held, s->h.pb.pm.lru_n, unmapped, s->nblocks);
}

static kv_status pg_is_valid(const void *state, kv_error *err) {
  const pg_state *s = state;
  kv_status rc = kv_range_alloc_is_valid(&s->h.host, err);
  if (rc != KV_OK) return kv_error_prefix(err, "paged host tier: ");
  if ((rc = check_free_top(s, err)) != KV_OK ||
      (rc = check_block_conservation(s, err)) != KV_OK)
    return rc;
  kv_bhouse_census c = {0};
  kv_pblocks_census_init(&c.blk, s->nblocks);
  if ((rc = check_free_stack(s, &c, err)) == KV_OK &&
      (rc = kv_bhouse_check_requests(&s->h, &c, check_live_request, err)) ==
          KV_OK &&
      (rc = kv_pblocks_check(&s->h.pb, &c.blk, &s->h.ln, "paged", err)) ==
          KV_OK &&
      (rc = kv_bhouse_check_request_counters(&s->h, &c, err)) == KV_OK &&
      (rc = kv_bhouse_check_host(&s->h, &c, err)) == KV_OK && s->pl)
    rc = check_pool_pages(s, err);
  kv_pblocks_census_free(&c.blk);
  return rc == KV_OK ? kv_error_set(err, KV_OK, NULL) : rc;
}

/* Token t of a live request: block t / block_tokens of each full lane,
 * and of each window lane while t is in the last `window` tokens. */
static uint32_t pg_token_map(const void *state, uint32_t req, uint64_t token,
                             kv_extent *out, uint32_t max) {
  const pg_state *s = state;
  const kv_breq *r = &s->h.reqs[req];
  if (r->state != KV_BREQ_LIVE || token >= r->tokens) return 0;
  uint64_t j = token / s->cfg.block_tokens;
  uint64_t in = token % s->cfg.block_tokens * s->h.bpt;
  uint32_t n = 0;
  for (uint32_t l = 0; l < s->h.ln.lf; l++, n++)
    if (n < max)
      out[n] = (kv_extent){
          (uint64_t)r->tab[j * s->h.ln.lf + l] * s->h.block_bytes + in,
          s->h.bpt};
  if (s->h.ln.lw && token + s->h.ln.window >= r->tokens)
    for (uint32_t l = 0; l < s->h.ln.lw; l++, n++)
      if (n < max)
        out[n] = (kv_extent){
            (uint64_t)r->tab[(r->n - r->nw) + (j - r->wlo) * s->h.ln.lw + l] *
                    s->h.block_bytes +
                in,
            s->h.bpt};
  return n;
}

static const kv_strategy_opt pg_options[] = {
    KV_STRATEGY_OPT_BLOCK_TOKENS,
    KV_STRATEGY_OPT_MAX_CONTEXT,
    KV_STRATEGY_OPT_COPY_VIA,
    {"spare_pages", KV_OPT_U32, offsetof(kv_strategy_cfg, pool_spare), 10, 0,
     1u << 20, NULL,
     "shared pool (memory = \"elastic\"): empty page groups a model keeps "
     "mapped (kvcached's max_reserved_pages)",
     false},
    {"prealloc_pages", KV_OPT_U32, offsetof(kv_strategy_cfg, pool_prealloc), 5,
     0, 1u << 20, NULL,
     "shared pool: empty page groups mapped ahead in the background "
     "(kvcached's min_reserved_pages)",
     false},
    {NULL}};

static void pg_label(const kv_strategy_cfg *cfg, char *buf, size_t n) {
  snprintf(buf, n, "paged-%u", cfg->block_tokens);
}

const kv_strategy_vt kv_strategy_paged = {
    .version = KV_STRATEGY_VT_VERSION,
    .name = "paged",
    .summary = "fixed blocks from a free pool, one block table per request "
               "(vLLM PagedAttention)",
    /* no setup ops: one preallocated pool of capacity/block_bytes blocks
       (pages of g layers with a window); refuses prefix_cache with a
       window */
    .create = pg_create,
    /* frees state; no teardown ops */
    .destroy = pg_destroy,
    /* pops blocks when a block boundary is crossed: one TABLE_WRITE of k;
       with prefix_cache, KV_EINVAL for a shrink below the published tokens
       of a keyed block the request holds; with a window, frees the window
       lanes' blocks that left it first, KV_EINVAL for a shrink that needs
       them back */
    .reserve = kv_bhouse_slot_reserve,
    /* pushes the blocks back on the free stack */
    .release = kv_bhouse_slot_release,
    /* one D2H copy, one run per physically contiguous group of blocks */
    .swap_out = kv_bhouse_slot_swap_out,
    /* new blocks, one TABLE_WRITE and one H2D copy */
    .swap_in = kv_bhouse_slot_swap_in,
    /* external fragmentation = the capacity tail no block covers */
    .stats = pg_stats,
    /* nblocks * block_tokens; with a window the most tokens whose every
       prefix fits (UINT64_MAX when only window lanes, and they fit) */
    .max_request_tokens = kv_bhouse_slot_max_request_tokens,
    /* every block owned once, lane layouts, counters recomputed */
    .is_valid = pg_is_valid,
    .reserved = {NULL, NULL, NULL, NULL},
    /* no block-level tiering (whole-request swap only) */
    .evict = NULL,
    .reload = NULL,
    .host_blocks = NULL,
    .compact = NULL,
    .tier_stats = pg_tier_stats,
    /* longest cached prefix by key, refcount + 1, cow on a partial block */
    .prefix_attach = kv_bhouse_slot_prefix_attach,
    /* keys on computed, unkeyed blocks; stops at key 0 ("no key") or a
       fill that is 0, over a block or beyond the tokens */
    .prefix_publish = kv_bhouse_slot_prefix_publish,
    /* blocks swap_in and reserve would pop, less window blocks they free
       and a copy-on-write source only this request held */
    .reserve_need = kv_bhouse_slot_reserve_need,
    /* block_tokens, max_context, copy_via */
    .options = pg_options,
    /* kernels read through the block table */
    .addr_mode = KV_ADDR_BLOCK_TABLE,
    /* blocks are offsets in one device pool */
    .pool = KV_POOL_DEVICE,
    /* "paged-<block_tokens>" */
    .label = pg_label,
    /* block table entry t / block_tokens of each lane, + offset */
    .token_map = pg_token_map,
};
