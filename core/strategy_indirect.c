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
 * host tier) so that a later change can evict single blocks to host memory,
 * reload them and compact slabs in flight by rewriting entries; today every
 * entry is on the device.
 *
 * Main entry point: the vtable kv_strategy_indirect.
 */
#include "strategy.h"

#include "range_alloc.h"
#include "util.h"

#include <inttypes.h>
#include <string.h>

typedef enum { REQ_FREE, REQ_LIVE, REQ_SWAPPED } req_state;

/* Table entry: byte offset in the slab VA space, or (with the tag) in the
 * host tier. Reserved for block-level eviction: never set yet. */
#define IND_WHERE_HOST (1ull << 63)

typedef struct in_req {
  uint8_t state;
  uint64_t tokens;    /* live tokens (kept while swapped) */
  uint64_t *tab;      /* LIVE: offset table, one entry per block */
  uint32_t n, cap;    /* LIVE: entries; capacity */
  uint32_t swapped_n; /* SWAPPED: blocks copied to the host tier */
  uint64_t host_off;  /* SWAPPED: host range of swapped_n blocks */
} in_req;

/* Invariants (checked by in_is_valid):
 * - slabs 0..nslabs-1 exist (created and mapped); no block of a slab not yet
 *   created is free or owned;
 * - every block of a created slab is either in a free range of `blocks` or
 *   referenced by exactly one table entry of one live request (no byte is
 *   shared), never both;
 * - table entries are block-aligned device offsets (no host tag yet);
 * - blocks.free_bytes (in blocks) + held = nslabs * bps (free + backed =
 *   capacity, less slab tails and the capacity tail);
 * - a live request holds n >= ceil(tokens / block_tokens) entries;
 * - swapped requests hold no blocks; host ranges with the host free list
 *   cover host_bytes;
 * - held, nlive, nswapped and live_tokens equal the recomputed sums. */
typedef struct in_state {
  kv_strategy_cfg cfg;
  uint64_t bpt, block_bytes;
  uint32_t bps;        /* blocks per slab */
  uint32_t nslabs_max; /* capacity / slab_bytes */
  uint32_t nslabs;     /* slabs created so far */
  uint64_t total_blocks;
  kv_range_allocator blocks; /* free blocks, in block units; slabs not created
                            yet are held as allocated */
  uint64_t held;             /* blocks held by live requests */
  in_req *reqs;
  uint32_t nlive, nswapped;
  uint64_t live_tokens;
  kv_range_allocator host;
} in_state;

static uint64_t block_off(const in_state *s, uint64_t b) {
  return (b / s->bps) * s->cfg.slab_bytes + (b % s->bps) * s->block_bytes;
}

static uint64_t off_block(const in_state *s, uint64_t off) {
  return (off / s->cfg.slab_bytes) * s->bps +
         (off % s->cfg.slab_bytes) / s->block_bytes;
}

static kv_status in_create(const kv_strategy_cfg *cfg, void **state,
                           kv_op_list *ops, kv_error *err) {
  if (!cfg->model)
    return kv_error_set(err, KV_EINVAL, "indirect: cfg.model is NULL");
  uint64_t bpt = kv_strategy_bytes_per_token(cfg);
  if (bpt == 0)
    return kv_error_set(err, KV_EINVAL,
                        "indirect: model '%s' has 0 KV bytes per token",
                        cfg->model->name);
  if (cfg->block_tokens == 0)
    return kv_error_set(err, KV_EINVAL, "indirect: cfg.block_tokens is 0");
  if (cfg->max_requests == 0)
    return kv_error_set(err, KV_EINVAL, "indirect: cfg.max_requests is 0");
  uint64_t block_bytes = (uint64_t)cfg->block_tokens * bpt;
  if (cfg->slab_bytes < block_bytes)
    return kv_error_set(err, KV_EINVAL,
                        "indirect: cfg.slab_bytes %" PRIu64
                        " is smaller than one block (%" PRIu32
                        " tokens x %" PRIu64 " bytes)",
                        cfg->slab_bytes, cfg->block_tokens, bpt);
  uint64_t bps = cfg->slab_bytes / block_bytes;
  uint64_t nslabs = cfg->capacity_bytes / cfg->slab_bytes;
  if (bps > UINT32_MAX || nslabs * bps > UINT32_MAX - 1)
    return kv_error_set(err, KV_EINVAL,
                        "indirect: cfg.capacity_bytes %" PRIu64
                        " gives more than 2^32-2 blocks",
                        cfg->capacity_bytes);
  in_state *s = kv_xcalloc(1, sizeof *s);
  s->cfg = *cfg;
  s->bpt = bpt;
  s->block_bytes = block_bytes;
  s->bps = (uint32_t)bps;
  s->nslabs_max = (uint32_t)nslabs;
  s->total_blocks = nslabs * bps;
  kv_range_alloc_init(&s->blocks, s->total_blocks);
  uint64_t all;
  if (s->total_blocks) kv_range_alloc(&s->blocks, s->total_blocks, &all);
  s->reqs = kv_xcalloc(cfg->max_requests, sizeof *s->reqs);
  kv_range_alloc_init(&s->host, cfg->host_bytes);
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
  for (uint32_t i = 0; i < s->cfg.max_requests; i++)
    free(s->reqs[i].tab);
  free(s->reqs);
  kv_range_alloc_destroy(&s->blocks);
  kv_range_alloc_destroy(&s->host);
  free(s);
}

static uint64_t in_max_request_tokens(const void *state) {
  const in_state *s = state;
  return s->total_blocks * s->cfg.block_tokens;
}

static uint64_t avail_blocks(const in_state *s) {
  return s->blocks.free_bytes + (uint64_t)(s->nslabs_max - s->nslabs) * s->bps;
}

/* Create the next slab: one handle, mapped at its place in the VA space. */
static void add_slab(in_state *s, uint32_t req, kv_op_list *ops) {
  uint32_t i = s->nslabs++;
  uint64_t sb = s->cfg.slab_bytes, va = (uint64_t)i * sb;
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

/* Append k blocks to r's table (caller checked avail_blocks() >= k). */
static void take_blocks(in_state *s, in_req *r, uint32_t req, uint32_t k,
                        kv_op_list *ops) {
  if (r->n + k > r->cap) {
    uint32_t cap = r->cap ? r->cap : 4;
    while (cap < r->n + k)
      cap *= 2;
    r->tab = kv_xrealloc(r->tab, (size_t)cap * sizeof *r->tab);
    r->cap = cap;
  }
  for (uint32_t i = 0; i < k; i++) {
    uint64_t b;
    if (r->n > 0 &&
        kv_range_extend(&s->blocks, off_block(s, r->tab[r->n - 1]), 1, 1)) {
      b = off_block(s, r->tab[r->n - 1]) + 1; /* contiguous with the last */
    } else {
      if (s->blocks.free_bytes == 0) add_slab(s, req, ops);
      kv_range_alloc(&s->blocks, 1, &b); /* first fit: lowest slab */
    }
    r->tab[r->n++] = block_off(s, b);
  }
  s->held += k;
  kv_op *op = kv_ops_push(ops, KV_OP_TABLE_WRITE, req);
  op->count = k;
  op->bytes = 8ull * k;
}

/* Return r's blocks to the free ranges, one free per contiguous run. */
static void drop_blocks(in_state *s, in_req *r) {
  uint32_t i = 0;
  while (i < r->n) {
    uint64_t b = off_block(s, r->tab[i]);
    uint32_t j = i + 1;
    while (j < r->n && off_block(s, r->tab[j]) == b + (j - i))
      j++;
    kv_range_free(&s->blocks, b, j - i);
    i = j;
  }
  s->held -= r->n;
  r->n = 0;
}

static kv_status in_reserve(void *state, uint32_t req, uint64_t tokens,
                            kv_op_list *ops) {
  in_state *s = state;
  if (req >= s->cfg.max_requests) return KV_EINVAL;
  in_req *r = &s->reqs[req];
  if (r->state == REQ_LIVE &&
      tokens <= (uint64_t)r->n * s->cfg.block_tokens) { /* fast path */
    s->live_tokens = s->live_tokens - r->tokens + tokens;
    r->tokens = tokens;
    return KV_OK;
  }
  if (r->state == REQ_SWAPPED) return KV_EINVAL; /* swap_in first */
  if (tokens > in_max_request_tokens(s)) return KV_EINVAL;
  uint64_t need = KV_DIV_CEIL(tokens, s->cfg.block_tokens);
  uint32_t k = (uint32_t)(need - r->n);
  if (k > avail_blocks(s)) return KV_ENOMEM;
  if (r->state == REQ_FREE) {
    r->state = REQ_LIVE;
    s->nlive++;
  }
  if (k > 0) take_blocks(s, r, req, k, ops);
  s->live_tokens = s->live_tokens - r->tokens + tokens;
  r->tokens = tokens;
  return KV_OK;
}

static void in_release(void *state, uint32_t req, kv_op_list *ops) {
  (void)ops; /* freeing blocks is bookkeeping: slabs stay mapped */
  in_state *s = state;
  if (req >= s->cfg.max_requests) return;
  in_req *r = &s->reqs[req];
  if (r->state == REQ_LIVE) {
    drop_blocks(s, r);
    s->nlive--;
    s->live_tokens -= r->tokens;
  } else if (r->state == REQ_SWAPPED) {
    kv_range_free(&s->host, r->host_off,
                  (uint64_t)r->swapped_n * s->block_bytes);
    s->nswapped--;
  }
  r->state = REQ_FREE;
  r->tokens = 0;
  r->swapped_n = 0;
  r->host_off = 0;
}

/* One COPY of r's blocks, one run per physically contiguous group. */
static void push_copy(in_state *s, const in_req *r, uint32_t req,
                      kv_copy_dir dir, uint64_t hoff, kv_op_list *ops) {
  kv_op *op = kv_ops_push(ops, KV_OP_COPY, req);
  op->dir = (uint8_t)dir;
  op->via = (uint8_t)s->cfg.copy_via;
  op->bytes = (uint64_t)r->n * s->block_bytes;
  uint32_t runs = 0, i = 0;
  while (i < r->n) {
    uint32_t j = i + 1;
    while (j < r->n &&
           r->tab[j] == r->tab[i] + (uint64_t)(j - i) * s->block_bytes)
      j++;
    uint64_t dev = r->tab[i], host = hoff + (uint64_t)i * s->block_bytes;
    uint64_t bytes = (uint64_t)(j - i) * s->block_bytes;
    if (dir == KV_COPY_D2H)
      kv_ops_push_run(ops, op, dev, host, bytes);
    else
      kv_ops_push_run(ops, op, host, dev, bytes);
    runs++;
    i = j;
  }
  op->count = runs;
}

static kv_status in_swap_out(void *state, uint32_t req, kv_op_list *ops) {
  in_state *s = state;
  if (s->cfg.host_bytes == 0 || req >= s->cfg.max_requests) return KV_EINVAL;
  in_req *r = &s->reqs[req];
  if (r->state != REQ_LIVE) return KV_EINVAL;
  uint64_t hoff = 0, bytes = (uint64_t)r->n * s->block_bytes;
  if (bytes > 0 && !kv_range_alloc(&s->host, bytes, &hoff)) return KV_ENOMEM;
  if (bytes > 0) push_copy(s, r, req, KV_COPY_D2H, hoff, ops);
  r->swapped_n = r->n;
  r->host_off = hoff;
  drop_blocks(s, r);
  r->state = REQ_SWAPPED;
  s->nlive--;
  s->nswapped++;
  s->live_tokens -= r->tokens;
  return KV_OK;
}

static kv_status in_swap_in(void *state, uint32_t req, kv_op_list *ops) {
  in_state *s = state;
  if (s->cfg.host_bytes == 0 || req >= s->cfg.max_requests) return KV_EINVAL;
  in_req *r = &s->reqs[req];
  if (r->state != REQ_SWAPPED) return KV_EINVAL;
  uint32_t k = r->swapped_n;
  if (k > avail_blocks(s)) return KV_ENOMEM;
  if (k > 0) {
    take_blocks(s, r, req, k, ops);
    push_copy(s, r, req, KV_COPY_H2D, r->host_off, ops);
    kv_range_free(&s->host, r->host_off, (uint64_t)k * s->block_bytes);
  }
  r->swapped_n = 0;
  r->host_off = 0;
  r->state = REQ_LIVE;
  s->nswapped--;
  s->nlive++;
  s->live_tokens += r->tokens;
  return KV_OK;
}

static void in_stats(const void *state, uint64_t next_tokens,
                     kv_mem_stats *out) {
  (void)next_tokens; /* any free block serves any request */
  const in_state *s = state;
  uint64_t sb = s->cfg.slab_bytes;
  memset(out, 0, sizeof *out);
  out->capacity = s->cfg.capacity_bytes;
  out->used = s->live_tokens * s->bpt;
  out->backed = s->held * s->block_bytes;
  out->allocated = out->backed;
  out->internal_frag = out->allocated - out->used;
  out->free = out->capacity - out->backed;
  /* slab tails shorter than a block, and the capacity no slab covers
     (free ranges are whole blocks, so nothing else is unusable) */
  out->external_frag =
      out->capacity - (uint64_t)s->nslabs_max * sb +
      (uint64_t)s->nslabs_max * (sb - (uint64_t)s->bps * s->block_bytes);
  uint64_t largest = kv_range_largest(&s->blocks);
  if (s->nslabs < s->nslabs_max && s->bps > largest) largest = s->bps;
  out->largest_free = largest * s->block_bytes;
  out->reserved_va = (uint64_t)s->nslabs_max * sb;
  out->metadata = 8 * s->held;
  out->host_used = s->host.capacity - s->host.free_bytes;
  out->live_requests = s->nlive;
  out->swapped_requests = s->nswapped;
}

static kv_status in_is_valid(const void *state, kv_error *err) {
  const in_state *s = state;
  kv_status rc = kv_range_alloc_is_valid(&s->blocks, err);
  if (rc != KV_OK) return kv_error_prefix(err, "indirect free blocks: ");
  rc = kv_range_alloc_is_valid(&s->host, err);
  if (rc != KV_OK) return kv_error_prefix(err, "indirect host tier: ");
  uint64_t created = (uint64_t)s->nslabs * s->bps;
  uint8_t *seen = kv_xcalloc(created ? created : 1, 1);
  uint64_t held = 0, tokens = 0, host = 0;
  uint32_t nlive = 0, nswapped = 0;
  rc = KV_OK;
  if (s->nslabs > s->nslabs_max) {
    rc = kv_error_set(err, KV_EINTERNAL,
                      "indirect: %" PRIu32 " slabs created, max %" PRIu32,
                      s->nslabs, s->nslabs_max);
    goto out;
  }
  for (uint32_t i = 0; i < s->blocks.n; i++) {
    const kv_range *f = &s->blocks.free[i];
    if (f->off + f->len > created) {
      rc = kv_error_set(err, KV_EINTERNAL,
                        "indirect: free blocks [%" PRIu64 ", +%" PRIu64
                        ") reach past the %" PRIu32 " created slabs",
                        f->off, f->len, s->nslabs);
      goto out;
    }
    memset(seen + f->off, 1, f->len);
  }
  for (uint32_t q = 0; q < s->cfg.max_requests; q++) {
    const in_req *r = &s->reqs[q];
    if (r->state == REQ_LIVE) {
      nlive++;
      tokens += r->tokens;
      if ((uint64_t)r->n * s->cfg.block_tokens < r->tokens) {
        rc = kv_error_set(err, KV_EINTERNAL,
                          "indirect: request %" PRIu32 " has %" PRIu64
                          " tokens in %" PRIu32 " blocks",
                          q, r->tokens, r->n);
        goto out;
      }
      for (uint32_t i = 0; i < r->n; i++) {
        uint64_t e = r->tab[i];
        if (e & IND_WHERE_HOST) {
          rc = kv_error_set(err, KV_EINTERNAL,
                            "indirect: request %" PRIu32 " entry %" PRIu32
                            " is tagged host (block eviction not enabled)",
                            q, i);
          goto out;
        }
        uint64_t b = off_block(s, e);
        if (block_off(s, b) != e || b >= created || seen[b]) {
          rc = kv_error_set(err, KV_EINTERNAL,
                            "indirect: request %" PRIu32 " entry %" PRIu32
                            " (offset %" PRIu64 ") is unaligned, outside "
                            "created slabs, free or owned twice",
                            q, i, e);
          goto out;
        }
        seen[b] = 1;
      }
      held += r->n;
    } else if (r->state == REQ_SWAPPED) {
      nswapped++;
      host += (uint64_t)r->swapped_n * s->block_bytes;
      if (r->n) {
        rc = kv_error_set(err, KV_EINTERNAL,
                          "indirect: swapped request %" PRIu32
                          " still holds %" PRIu32 " blocks",
                          q, r->n);
        goto out;
      }
    } else if (r->n || r->tokens) {
      rc = kv_error_set(
          err, KV_EINTERNAL,
          "indirect: free request %" PRIu32 " holds blocks or tokens", q);
      goto out;
    }
  }
  for (uint64_t b = 0; b < created; b++)
    if (!seen[b]) {
      rc = kv_error_set(err, KV_EINTERNAL,
                        "indirect: block %" PRIu64 " is neither free nor held",
                        b);
      goto out;
    }
  if (held != s->held || nlive != s->nlive || nswapped != s->nswapped ||
      tokens != s->live_tokens) {
    rc = kv_error_set(err, KV_EINTERNAL,
                      "indirect: counters held %" PRIu64 " live %" PRIu32
                      " swapped %" PRIu32 " tokens %" PRIu64
                      " but recomputed %" PRIu64 " %" PRIu32 " %" PRIu32
                      " %" PRIu64,
                      s->held, s->nlive, s->nswapped, s->live_tokens, held,
                      nlive, nswapped, tokens);
    goto out;
  }
  if (s->blocks.free_bytes + held != created) {
    rc = kv_error_set(err, KV_EINTERNAL,
                      "indirect: free %" PRIu64 " + held %" PRIu64
                      " blocks != %" PRIu64 " in created slabs",
                      s->blocks.free_bytes, held, created);
    goto out;
  }
  if (host + s->host.free_bytes != s->host.capacity) {
    rc = kv_error_set(err, KV_EINTERNAL,
                      "indirect: host bytes held %" PRIu64 " + free %" PRIu64
                      " != host_bytes %" PRIu64,
                      host, s->host.free_bytes, s->host.capacity);
    goto out;
  }
out:
  free(seen);
  return rc == KV_OK ? kv_error_set(err, KV_OK, NULL) : rc;
}

const kv_strategy_vt kv_strategy_indirect = {
    .version = KV_STRATEGY_VT_VERSION,
    .name = "indirect",
    .summary = "offset table over large VMM slabs: few driver calls, blocks "
               "remappable in flight",
    /* one VMM_RESERVE for the VA of every slab the capacity allows */
    .create = in_create,
    /* unmaps and releases the slabs, frees the VA */
    .destroy = in_destroy,
    /* blocks in place after the last one, else first fit; a new slab (create
       + map + set-access) only when the created ones are full; one
       TABLE_WRITE per growth */
    .reserve = in_reserve,
    /* blocks back to the free ranges; slabs stay */
    .release = in_release,
    /* one D2H copy, one run per contiguous group of blocks */
    .swap_out = in_swap_out,
    /* new blocks, one TABLE_WRITE and one H2D copy */
    .swap_in = in_swap_in,
    /* external fragmentation = slab tails + capacity no slab covers */
    .stats = in_stats,
    /* every block of every slab */
    .max_request_tokens = in_max_request_tokens,
    /* block ownership inside created slabs, counters */
    .is_valid = in_is_valid,
    .reserved = {NULL, NULL, NULL, NULL},
};
