/* strategy_paged.c - vLLM PagedAttention: fixed blocks of block_tokens
 * tokens from a LIFO free pool, one block table per request.
 *
 * Main entry point: the vtable kv_strategy_paged.
 */
#include "strategy.h"

#include "range_alloc.h"
#include "util.h"

#include <inttypes.h>
#include <string.h>

typedef enum { REQ_FREE, REQ_LIVE, REQ_SWAPPED } req_state;

typedef struct pg_req {
  uint8_t state;
  uint64_t tokens;    /* live tokens (kept while swapped) */
  uint32_t *tab;      /* LIVE: block table, tab[i] = physical block id */
  uint32_t n, cap;    /* LIVE: blocks held; table capacity */
  uint32_t swapped_n; /* SWAPPED: blocks copied to the host tier */
  uint64_t host_off;  /* SWAPPED: host tier offset (swapped_n blocks) */
} pg_req;

/* Invariants (checked by pg_is_valid):
 * - every block id < nblocks is either on the free stack or in exactly one
 *   live request's table, never both, never twice (no shared bytes);
 * - free_top + held = nblocks (free + backed = capacity, less the remainder
 *   capacity - nblocks*block_bytes that no block covers);
 * - a live request holds n >= ceil(tokens / block_tokens) blocks;
 * - swapped requests hold no blocks; their host ranges are disjoint and with
 *   the host free list cover host_bytes;
 * - nlive, nswapped, held and live_tokens equal the recomputed sums. */
typedef struct pg_state {
  kv_strategy_cfg cfg;
  uint64_t bpt, block_bytes;
  uint32_t nblocks;
  uint32_t *free_stack; /* LIFO of free block ids; top at free_top-1 */
  uint32_t free_top;
  uint64_t held; /* blocks held by live requests */
  pg_req *reqs;
  uint32_t nlive, nswapped;
  uint64_t live_tokens;
  kv_range_allocator host;
} pg_state;

static kv_status pg_create(const kv_strategy_cfg *cfg, void **state,
                           kv_op_list *ops, kv_error *err) {
  (void)ops; /* one preallocated pool: no setup ops */
  if (!cfg->model)
    return kv_error_set(err, KV_EINVAL, "paged: cfg.model is NULL");
  uint64_t bpt = kv_strategy_bytes_per_token(cfg);
  if (bpt == 0)
    return kv_error_set(err, KV_EINVAL,
                        "paged: model '%s' has 0 KV bytes per token",
                        cfg->model->name);
  if (cfg->block_tokens == 0)
    return kv_error_set(err, KV_EINVAL, "paged: cfg.block_tokens is 0");
  if (cfg->max_requests == 0)
    return kv_error_set(err, KV_EINVAL, "paged: cfg.max_requests is 0");
  uint64_t block_bytes = (uint64_t)cfg->block_tokens * bpt;
  uint64_t nblocks = cfg->capacity_bytes / block_bytes;
  if (nblocks > UINT32_MAX - 1)
    return kv_error_set(err, KV_EINVAL,
                        "paged: cfg.capacity_bytes %" PRIu64 " gives %" PRIu64
                        " blocks (more than 2^32-2)",
                        cfg->capacity_bytes, nblocks);
  pg_state *s = kv_xcalloc(1, sizeof *s);
  s->cfg = *cfg;
  s->bpt = bpt;
  s->block_bytes = block_bytes;
  s->nblocks = (uint32_t)nblocks;
  s->free_stack = kv_xmalloc((nblocks ? nblocks : 1) * sizeof *s->free_stack);
  /* push in reverse so the first pops return 0, 1, 2, ... */
  for (uint32_t i = 0; i < s->nblocks; i++)
    s->free_stack[i] = s->nblocks - 1 - i;
  s->free_top = s->nblocks;
  s->reqs = kv_xcalloc(cfg->max_requests, sizeof *s->reqs);
  kv_range_alloc_init(&s->host, cfg->host_bytes);
  *state = s;
  return KV_OK;
}

static void pg_destroy(void *state, kv_op_list *ops) {
  (void)ops;
  pg_state *s = state;
  if (!s) return;
  for (uint32_t i = 0; i < s->cfg.max_requests; i++)
    free(s->reqs[i].tab);
  free(s->reqs);
  free(s->free_stack);
  kv_range_alloc_destroy(&s->host);
  free(s);
}

/* Pop k blocks onto r's table and emit the table write. Caller checked k. */
static void take_blocks(pg_state *s, pg_req *r, uint32_t req, uint32_t k,
                        kv_op_list *ops) {
  if (r->n + k > r->cap) {
    uint32_t cap = r->cap ? r->cap : 4;
    while (cap < r->n + k)
      cap *= 2;
    r->tab = kv_xrealloc(r->tab, (size_t)cap * sizeof *r->tab);
    r->cap = cap;
  }
  for (uint32_t i = 0; i < k; i++)
    r->tab[r->n++] = s->free_stack[--s->free_top];
  s->held += k;
  kv_op *op = kv_ops_push(ops, KV_OP_TABLE_WRITE, req);
  op->count = k;
  op->bytes = 4ull * k;
}

/* Give r's blocks back, last first, so a LIFO pop returns them in order. */
static void drop_blocks(pg_state *s, pg_req *r) {
  for (uint32_t i = r->n; i-- > 0;)
    s->free_stack[s->free_top++] = r->tab[i];
  s->held -= r->n;
  r->n = 0;
}

static uint64_t pg_max_request_tokens(const void *state) {
  const pg_state *s = state;
  return (uint64_t)s->nblocks * s->cfg.block_tokens;
}

static kv_status pg_reserve(void *state, uint32_t req, uint64_t tokens,
                            kv_op_list *ops) {
  pg_state *s = state;
  if (req >= s->cfg.max_requests) return KV_EINVAL;
  pg_req *r = &s->reqs[req];
  if (r->state == REQ_LIVE &&
      tokens <= (uint64_t)r->n * s->cfg.block_tokens) { /* fast path */
    s->live_tokens = s->live_tokens - r->tokens + tokens;
    r->tokens = tokens;
    return KV_OK;
  }
  if (r->state == REQ_SWAPPED) return KV_EINVAL; /* swap_in first */
  if (tokens > pg_max_request_tokens(s)) return KV_EINVAL;
  uint64_t need = KV_DIV_CEIL(tokens, s->cfg.block_tokens);
  uint32_t k = (uint32_t)(need - r->n);
  if (k > s->free_top) return KV_ENOMEM;
  if (r->state == REQ_FREE) {
    r->state = REQ_LIVE;
    s->nlive++;
  }
  if (k > 0) take_blocks(s, r, req, k, ops);
  s->live_tokens = s->live_tokens - r->tokens + tokens;
  r->tokens = tokens;
  return KV_OK;
}

static void pg_release(void *state, uint32_t req, kv_op_list *ops) {
  (void)ops; /* returning blocks to the pool needs no table write */
  pg_state *s = state;
  if (req >= s->cfg.max_requests) return;
  pg_req *r = &s->reqs[req];
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

/* Number of physically contiguous runs in r's table. */
static uint32_t count_runs(const pg_req *r) {
  uint32_t runs = 0;
  for (uint32_t i = 0; i < r->n; i++)
    if (i == 0 || r->tab[i] != r->tab[i - 1] + 1) runs++;
  return runs;
}

/* One COPY op over r's blocks; host side is [hoff, hoff + n*block_bytes). */
static void push_copy(pg_state *s, pg_req *r, uint32_t req, kv_copy_dir dir,
                      uint64_t hoff, kv_op_list *ops) {
  kv_op *op = kv_ops_push(ops, KV_OP_COPY, req);
  op->dir = (uint8_t)dir;
  op->via = (uint8_t)s->cfg.copy_via;
  op->count = count_runs(r);
  op->bytes = (uint64_t)r->n * s->block_bytes;
  uint32_t i = 0;
  while (i < r->n) {
    uint32_t j = i + 1;
    while (j < r->n && r->tab[j] == r->tab[j - 1] + 1)
      j++;
    uint64_t dev = (uint64_t)r->tab[i] * s->block_bytes;
    uint64_t host = hoff + (uint64_t)i * s->block_bytes;
    uint64_t bytes = (uint64_t)(j - i) * s->block_bytes;
    if (dir == KV_COPY_D2H)
      kv_ops_push_run(ops, op, dev, host, bytes);
    else
      kv_ops_push_run(ops, op, host, dev, bytes);
    i = j;
  }
}

static kv_status pg_swap_out(void *state, uint32_t req, kv_op_list *ops) {
  pg_state *s = state;
  if (s->cfg.host_bytes == 0 || req >= s->cfg.max_requests) return KV_EINVAL;
  pg_req *r = &s->reqs[req];
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

static kv_status pg_swap_in(void *state, uint32_t req, kv_op_list *ops) {
  pg_state *s = state;
  if (s->cfg.host_bytes == 0 || req >= s->cfg.max_requests) return KV_EINVAL;
  pg_req *r = &s->reqs[req];
  if (r->state != REQ_SWAPPED) return KV_EINVAL;
  if (r->swapped_n > s->free_top) return KV_ENOMEM;
  uint32_t k = r->swapped_n;
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

static void pg_stats(const void *state, uint64_t next_tokens,
                     kv_mem_stats *out) {
  (void)next_tokens; /* any free block serves any request */
  const pg_state *s = state;
  memset(out, 0, sizeof *out);
  out->capacity = s->cfg.capacity_bytes;
  out->used = s->live_tokens * s->bpt;
  out->backed = s->held * s->block_bytes;
  out->allocated = out->backed;
  out->internal_frag = out->allocated - out->used;
  out->free = out->capacity - out->backed;
  /* the tail no whole block covers can never be used */
  out->external_frag = out->capacity - (uint64_t)s->nblocks * s->block_bytes;
  out->largest_free = s->free_top ? s->block_bytes : 0;
  out->reserved_va = 0;
  out->metadata = 4 * s->held;
  out->host_used = s->host.capacity - s->host.free_bytes;
  out->live_requests = s->nlive;
  out->swapped_requests = s->nswapped;
}

static kv_status pg_is_valid(const void *state, kv_error *err) {
  const pg_state *s = state;
  kv_status rc = kv_range_alloc_is_valid(&s->host, err);
  if (rc != KV_OK) return kv_error_prefix(err, "paged host tier: ");
  /* owner[b]: 0 = unseen, 1 = free, 2 + req = held by req */
  uint64_t *owner = kv_xcalloc(s->nblocks ? s->nblocks : 1, sizeof *owner);
  uint64_t held = 0, tokens = 0, host_held = 0;
  uint32_t nlive = 0, nswapped = 0;
  rc = KV_OK;
  if (s->free_top > s->nblocks) {
    rc = kv_error_set(err, KV_EINTERNAL,
                      "paged: free stack has %" PRIu32 " > %" PRIu32 " blocks",
                      s->free_top, s->nblocks);
    goto out;
  }
  for (uint32_t i = 0; i < s->free_top; i++) {
    uint32_t b = s->free_stack[i];
    if (b >= s->nblocks || owner[b]) {
      rc = kv_error_set(err, KV_EINTERNAL,
                        "paged: free stack entry %" PRIu32 " (block %" PRIu32
                        ") is out of range or listed twice",
                        i, b);
      goto out;
    }
    owner[b] = 1;
  }
  for (uint32_t q = 0; q < s->cfg.max_requests; q++) {
    const pg_req *r = &s->reqs[q];
    if (r->state == REQ_LIVE) {
      nlive++;
      tokens += r->tokens;
      if ((uint64_t)r->n * s->cfg.block_tokens < r->tokens) {
        rc = kv_error_set(err, KV_EINTERNAL,
                          "paged: request %" PRIu32 " has %" PRIu64
                          " tokens in %" PRIu32 " blocks",
                          q, r->tokens, r->n);
        goto out;
      }
      for (uint32_t i = 0; i < r->n; i++) {
        uint32_t b = r->tab[i];
        if (b >= s->nblocks || owner[b]) {
          rc = kv_error_set(err, KV_EINTERNAL,
                            "paged: request %" PRIu32 " table entry %" PRIu32
                            " (block %" PRIu32
                            ") is out of range, free or owned by %s",
                            q, i, b,
                            b < s->nblocks && owner[b] == 1 ? "the free pool"
                                                            : "another entry");
          goto out;
        }
        owner[b] = 2 + q;
      }
      held += r->n;
    } else if (r->state == REQ_SWAPPED) {
      nswapped++;
      if (r->n != 0) {
        rc = kv_error_set(err, KV_EINTERNAL,
                          "paged: swapped request %" PRIu32
                          " still holds %" PRIu32 " blocks",
                          q, r->n);
        goto out;
      }
      host_held += (uint64_t)r->swapped_n * s->block_bytes;
    } else if (r->n != 0 || r->tokens != 0) {
      rc = kv_error_set(
          err, KV_EINTERNAL,
          "paged: free request %" PRIu32 " holds blocks or tokens", q);
      goto out;
    }
  }
  for (uint32_t b = 0; b < s->nblocks; b++)
    if (!owner[b]) {
      rc = kv_error_set(err, KV_EINTERNAL,
                        "paged: block %" PRIu32 " is neither free nor held", b);
      goto out;
    }
  if (held != s->held || nlive != s->nlive || nswapped != s->nswapped ||
      tokens != s->live_tokens) {
    rc = kv_error_set(err, KV_EINTERNAL,
                      "paged: counters held %" PRIu64 " live %" PRIu32
                      " swapped %" PRIu32 " tokens %" PRIu64
                      " but recomputed %" PRIu64 " %" PRIu32 " %" PRIu32
                      " %" PRIu64,
                      s->held, s->nlive, s->nswapped, s->live_tokens, held,
                      nlive, nswapped, tokens);
    goto out;
  }
  if (s->free_top + held != s->nblocks) {
    rc = kv_error_set(err, KV_EINTERNAL,
                      "paged: free %" PRIu32 " + held %" PRIu64
                      " blocks != %" PRIu32,
                      s->free_top, held, s->nblocks);
    goto out;
  }
  if (host_held + s->host.free_bytes != s->host.capacity) {
    rc = kv_error_set(err, KV_EINTERNAL,
                      "paged: host bytes held %" PRIu64 " + free %" PRIu64
                      " != host_bytes %" PRIu64,
                      host_held, s->host.free_bytes, s->host.capacity);
    goto out;
  }
out:
  free(owner);
  return rc == KV_OK ? kv_error_set(err, KV_OK, NULL) : rc;
}

const kv_strategy_vt kv_strategy_paged = {
    .version = KV_STRATEGY_VT_VERSION,
    .name = "paged",
    .summary = "fixed blocks from a free pool, one block table per request "
               "(vLLM PagedAttention)",
    /* no setup ops: one preallocated pool of capacity/block_bytes blocks */
    .create = pg_create,
    /* frees state; no teardown ops */
    .destroy = pg_destroy,
    /* pops blocks when a block boundary is crossed: one TABLE_WRITE of k */
    .reserve = pg_reserve,
    /* pushes the blocks back on the free stack */
    .release = pg_release,
    /* one D2H copy, one run per physically contiguous group of blocks */
    .swap_out = pg_swap_out,
    /* new blocks, one TABLE_WRITE and one H2D copy */
    .swap_in = pg_swap_in,
    /* external fragmentation = the capacity tail no block covers */
    .stats = pg_stats,
    /* nblocks * block_tokens */
    .max_request_tokens = pg_max_request_tokens,
    /* every block owned once, counters recomputed */
    .is_valid = pg_is_valid,
    .reserved = {NULL, NULL, NULL, NULL},
};
