/* strategy_buddy.c - a binary-buddy allocator of contiguous KV ranges: each
 * request holds one aligned block of 2^k units (a unit is block_tokens
 * tokens of every layer), the smallest that holds its tokens.
 *
 * Growth past the block first tries to absorb the free buddies above it in
 * place (no op: the range stays contiguous and where it was); otherwise it
 * takes a block of the new order, copies the live KV there (one D2D COPY,
 * one run) and frees the old block, which merges with free buddies. A
 * shrink splits the block and frees the upper halves. Swaps copy the live
 * bytes to the host tier (one run) and give the block back. Kernels read it
 * as static's: base + token * stride (KV_ADDR_CONTIGUOUS), offsets in one
 * device pool (KV_POOL_DEVICE).
 *
 * Sliding windows: every token of every layer is kept (no ring); what the
 * window no longer needs is counted as internal fragmentation.
 *
 * This file is the whole strategy: its options, label, addressing mode and
 * pool are in its vtable, and KV_STRATEGY_LIST in strategy.h registers it.
 * Main entry point: the vtable kv_strategy_buddy.
 */
#include "strategy.h"

#include "range_alloc.h"
#include "swap_host.h"
#include "util.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define BD_NONE UINT32_MAX

typedef enum { REQ_FREE, REQ_LIVE, REQ_SWAPPED } req_state;

typedef struct bd_req {
  uint8_t state;
  uint8_t order;     /* LIVE: the block holds 2^order units */
  uint32_t unit;     /* LIVE: first unit of the block */
  uint64_t tokens;   /* live tokens (kept while swapped) */
  uint64_t used;     /* kv_strategy_used_bytes(tokens) */
  uint64_t host_off; /* SWAPPED: host tier offset */
  uint64_t host_len; /* SWAPPED: host bytes held (tokens x bpt) */
} bd_req;

/* Invariants (checked by bd_is_valid):
 * - a free block of order o starts at unit u with u % 2^o == 0 and
 *   u + 2^o <= nunits, is in list o, and free_order[u] == o + 1; every
 *   other unit has free_order 0;
 * - no free block's buddy (u ^ 2^o) is a free block of the same order
 *   (free buddies are merged);
 * - a LIVE request's block is aligned, inside the units, and of the
 *   smallest order holding its tokens (at least one unit); tokens <=
 *   max_context;
 * - free blocks and live blocks tile [0, nunits) exactly;
 * - free_units = nunits - live_units; live_units = sum of 2^order over LIVE;
 * - swapped requests hold tokens x bpt host bytes; host ranges and the host
 *   free list tile host_bytes;
 * - nlive, nswapped, live_used equal the sums recomputed from reqs. */
typedef struct bd_state {
  kv_strategy_cfg cfg;   /* max_context resolved */
  uint64_t bpt;          /* bytes per token, all layers */
  uint64_t unit_bytes;   /* block_tokens x bpt */
  uint32_t nunits;       /* whole units in capacity */
  uint32_t maxo;         /* largest order with 2^maxo <= nunits */
  uint32_t head[33];     /* first free block of each order, BD_NONE if none */
  uint32_t *next, *prev; /* free-list links, indexed by a block's first unit */
  uint8_t *free_order;   /* order + 1 at a free block's first unit, else 0 */
  kv_range_allocator host;
  bd_req *reqs;
  uint32_t nlive, nswapped;
  uint64_t live_units, free_units, live_used;
} bd_state;

/* ---- the buddy allocator over units ---- */

static void fl_push(bd_state *s, uint32_t u, uint32_t o) {
  s->free_order[u] = (uint8_t)(o + 1);
  s->prev[u] = BD_NONE;
  s->next[u] = s->head[o];
  if (s->head[o] != BD_NONE) s->prev[s->head[o]] = u;
  s->head[o] = u;
}

static void fl_remove(bd_state *s, uint32_t u) {
  uint32_t o = s->free_order[u] - 1u;
  if (s->prev[u] != BD_NONE)
    s->next[s->prev[u]] = s->next[u];
  else
    s->head[o] = s->next[u];
  if (s->next[u] != BD_NONE) s->prev[s->next[u]] = s->prev[u];
  s->free_order[u] = 0;
}

static bool is_free_block(const bd_state *s, uint64_t u, uint32_t o) {
  return u < s->nunits && s->free_order[u] == o + 1;
}

/* Smallest order >= k with a free block, or BD_NONE. */
static uint32_t free_order_at_least(const bd_state *s, uint32_t k) {
  for (uint32_t j = k; j <= s->maxo; j++)
    if (s->head[j] != BD_NONE) return j;
  return BD_NONE;
}

/* Take a block of order k (the first of the smallest order that has one,
 * split down, upper halves freed). false: none. */
static bool bd_alloc(bd_state *s, uint32_t k, uint32_t *out) {
  uint32_t j = free_order_at_least(s, k);
  if (j == BD_NONE) return false;
  uint32_t u = s->head[j];
  fl_remove(s, u);
  while (j > k) {
    j--;
    fl_push(s, u + (1u << j), j);
  }
  s->free_units -= 1ull << k;
  *out = u;
  return true;
}

/* Give back the block of order k at u, merging with free buddies. */
static void bd_free(bd_state *s, uint32_t u, uint32_t k) {
  s->free_units += 1ull << k;
  while (k < s->maxo) {
    uint64_t b = (uint64_t)u ^ (1ull << k);
    if (!is_free_block(s, b, k)) break;
    fl_remove(s, (uint32_t)b);
    if (b < u) u = (uint32_t)b;
    k++;
  }
  fl_push(s, u, k);
}

/* Whether the block of order k at u can grow in place to order k2: it is
 * aligned for k2 and the buddies above it at orders k..k2-1 are free. */
static bool can_grow_in_place(const bd_state *s, uint32_t u, uint32_t k,
                              uint32_t k2) {
  if (k2 > s->maxo || u % (1ull << k2)) return false;
  for (uint32_t i = k; i < k2; i++)
    if (!is_free_block(s, (uint64_t)u + (1ull << i), i)) return false;
  return true;
}

static void grow_in_place(bd_state *s, uint32_t u, uint32_t k, uint32_t k2) {
  for (uint32_t i = k; i < k2; i++)
    fl_remove(s, u + (1u << i));
  s->free_units -= (1ull << k2) - (1ull << k);
}

/* Keep the lower 2^k2 units of the block of order k at u; free the rest. */
static void shrink_in_place(bd_state *s, uint32_t u, uint32_t k, uint32_t k2) {
  for (uint32_t i = k; i-- > k2;)
    bd_free(s, u + (1u << i), i);
}

/* ---- sizes ---- */

/* The order of the block for `tokens` (at least one unit). */
static uint32_t order_for(const bd_state *s, uint64_t tokens) {
  uint64_t units = tokens ? KV_DIV_CEIL(tokens, s->cfg.block_tokens) : 1;
  uint32_t k = 0;
  while ((1ull << k) < units)
    k++;
  return k;
}

static uint64_t bd_max_request_tokens(const void *state) {
  const bd_state *s = state;
  if (s->nunits == 0) return 0;
  uint64_t most = (1ull << s->maxo) * s->cfg.block_tokens;
  return KV_MIN(most, (uint64_t)s->cfg.max_context);
}

/* ---- lifecycle ---- */

static kv_status bd_create(const kv_strategy_cfg *cfg, void **state,
                           kv_op_list *ops, kv_error *err) {
  (void)ops; /* the pool is preallocated by the backend: no setup ops */
  if (!cfg->model)
    return kv_error_set(err, KV_EINVAL, "buddy: cfg.model is NULL");
  uint64_t bpt = kv_strategy_bytes_per_token(cfg);
  if (bpt == 0)
    return kv_error_set(err, KV_EINVAL,
                        "buddy: model '%s' has 0 KV bytes per token",
                        cfg->model->name);
  if (cfg->block_tokens == 0)
    return kv_error_set(err, KV_EINVAL, "buddy: cfg.block_tokens is 0");
  if (kv_strategy_max_context(cfg) == 0)
    return kv_error_set(err, KV_EINVAL, "buddy: cfg.max_context is 0");
  if (cfg->max_requests == 0)
    return kv_error_set(err, KV_EINVAL, "buddy: cfg.max_requests is 0");
  uint64_t ub = (uint64_t)cfg->block_tokens * bpt;
  uint64_t n = cfg->capacity_bytes / ub;
  if (n >= BD_NONE)
    return kv_error_set(err, KV_EINVAL,
                        "buddy: %" PRIu64 " blocks of %u tokens is too many "
                        "(raise block_tokens)",
                        n, cfg->block_tokens);
  bd_state *s = kv_xcalloc(1, sizeof *s);
  s->cfg = *cfg;
  s->cfg.max_context = kv_strategy_max_context(cfg);
  s->bpt = bpt;
  s->unit_bytes = ub;
  s->nunits = (uint32_t)n;
  while (s->maxo < 32 && (2ull << s->maxo) <= n)
    s->maxo++;
  for (size_t i = 0; i < sizeof s->head / sizeof *s->head; i++)
    s->head[i] = BD_NONE;
  s->next = kv_xcalloc(n + 1, sizeof *s->next);
  s->prev = kv_xcalloc(n + 1, sizeof *s->prev);
  s->free_order = kv_xcalloc(n + 1, 1);
  /* carve [0, n) into aligned blocks, largest first (orders decrease, so
   * no two are buddies) */
  for (uint64_t u = 0; u < n;) {
    uint32_t o = s->maxo;
    while ((1ull << o) > n - u)
      o--;
    fl_push(s, (uint32_t)u, o);
    u += 1ull << o;
  }
  s->free_units = n;
  kv_range_alloc_init(&s->host, cfg->host_bytes);
  s->reqs = kv_xcalloc(cfg->max_requests, sizeof *s->reqs);
  *state = s;
  return KV_OK;
}

static void bd_destroy(void *state, kv_op_list *ops) {
  (void)ops;
  bd_state *s = state;
  if (!s) return;
  kv_range_alloc_destroy(&s->host);
  free(s->next);
  free(s->prev);
  free(s->free_order);
  free(s->reqs);
  free(s);
}

/* One COPY op of one run. */
static void push_copy(bd_state *s, kv_op_list *ops, uint32_t req,
                      kv_copy_dir dir, uint64_t src, uint64_t dst,
                      uint64_t bytes) {
  kv_op *op = kv_ops_push(ops, KV_OP_COPY, req);
  op->dir = (uint8_t)dir;
  op->via = (uint8_t)s->cfg.copy_via;
  op->count = 1;
  op->bytes = bytes;
  kv_ops_push_run(ops, op, src, dst, bytes);
}

static void set_tokens(bd_state *s, bd_req *r, uint64_t tokens) {
  uint64_t used = kv_strategy_used_bytes(&s->cfg, tokens);
  s->live_used = s->live_used - r->used + used;
  r->tokens = tokens;
  r->used = used;
}

static kv_status bd_reserve(void *state, uint32_t req, uint64_t tokens,
                            kv_op_list *ops) {
  bd_state *s = state;
  if (req >= s->cfg.max_requests || tokens > bd_max_request_tokens(s))
    return KV_EINVAL;
  bd_req *r = &s->reqs[req];
  if (r->state == REQ_SWAPPED) return KV_EINVAL; /* swap_in first */
  uint32_t k2 = order_for(s, tokens), u;
  if (r->state == REQ_FREE) {
    if (!bd_alloc(s, k2, &u)) return KV_ENOMEM;
    *r = (bd_req){.state = REQ_LIVE, .order = (uint8_t)k2, .unit = u};
    s->nlive++;
    s->live_units += 1ull << k2;
    set_tokens(s, r, tokens);
    return KV_OK;
  }
  uint32_t k = r->order;
  if (k2 < k) {
    shrink_in_place(s, r->unit, k, k2);
  } else if (k2 > k && can_grow_in_place(s, r->unit, k, k2)) {
    grow_in_place(s, r->unit, k, k2);
  } else if (k2 > k) { /* move: new block, copy, free the old one */
    if (!bd_alloc(s, k2, &u)) return KV_ENOMEM;
    if (r->tokens)
      push_copy(s, ops, req, KV_COPY_D2D, r->unit * s->unit_bytes,
                u * s->unit_bytes, r->tokens * s->bpt);
    bd_free(s, r->unit, k);
    r->unit = u;
  }
  s->live_units = s->live_units - (1ull << k) + (1ull << k2);
  r->order = (uint8_t)k2;
  set_tokens(s, r, tokens);
  return KV_OK;
}

static void bd_release(void *state, uint32_t req, kv_op_list *ops) {
  (void)ops;
  bd_state *s = state;
  if (req >= s->cfg.max_requests) return;
  bd_req *r = &s->reqs[req];
  if (r->state == REQ_LIVE) {
    bd_free(s, r->unit, r->order);
    s->nlive--;
    s->live_units -= 1ull << r->order;
    s->live_used -= r->used;
  } else if (r->state == REQ_SWAPPED) {
    kv_range_free(&s->host, r->host_off, r->host_len);
    s->nswapped--;
  }
  memset(r, 0, sizeof *r);
}

static kv_status bd_swap_out(void *state, uint32_t req, kv_op_list *ops) {
  bd_state *s = state;
  if (!kv_swap_usable(&s->cfg, req)) return KV_EINVAL;
  bd_req *r = &s->reqs[req];
  if (r->state != REQ_LIVE) return KV_EINVAL;
  uint64_t bytes = r->tokens * s->bpt, hoff;
  if (!kv_swap_host_take(&s->host, bytes, &hoff)) return KV_ENOMEM;
  if (bytes > 0)
    push_copy(s, ops, req, KV_COPY_D2H, r->unit * s->unit_bytes, hoff, bytes);
  bd_free(s, r->unit, r->order);
  s->nlive--;
  s->nswapped++;
  s->live_units -= 1ull << r->order;
  s->live_used -= r->used;
  r->state = REQ_SWAPPED;
  r->host_off = hoff;
  r->host_len = bytes;
  r->unit = 0;
  r->order = 0;
  return KV_OK;
}

static kv_status bd_swap_in(void *state, uint32_t req, kv_op_list *ops) {
  bd_state *s = state;
  if (!kv_swap_usable(&s->cfg, req)) return KV_EINVAL;
  bd_req *r = &s->reqs[req];
  if (r->state != REQ_SWAPPED) return KV_EINVAL;
  uint32_t k = order_for(s, r->tokens), u;
  if (!bd_alloc(s, k, &u)) return KV_ENOMEM;
  if (r->host_len)
    push_copy(s, ops, req, KV_COPY_H2D, r->host_off, u * s->unit_bytes,
              r->host_len);
  kv_swap_host_give(&s->host, &r->host_off, &r->host_len);
  r->state = REQ_LIVE;
  r->unit = u;
  r->order = (uint8_t)k;
  s->nswapped--;
  s->nlive++;
  s->live_units += 1ull << k;
  s->live_used += r->used;
  return KV_OK;
}

/* Whatever the path, a request brought to order k2 ends holding 2^k2
 * units and gives back what it held: the drop is 2^k2 units (FREE,
 * SWAPPED) or 2^k2 - 2^k (LIVE growth), 0 for a LIVE one that fits. It
 * fails when no free block is large enough: a FREE one needs order >= k2;
 * a SWAPPED one needs order >= k (its tokens), then, above the block
 * swap_in splits (order j), the buddies in place or a free order >= k2;
 * a LIVE one, its buddies in place or a free order >= k2. */
static uint64_t bd_reserve_need(const void *state, uint32_t req,
                                uint64_t tokens) {
  const bd_state *s = state;
  if (req >= s->cfg.max_requests || tokens > bd_max_request_tokens(s))
    return UINT64_MAX;
  const bd_req *r = &s->reqs[req];
  uint32_t k2 = order_for(s, tokens);
  uint64_t want = (1ull << k2) * s->unit_bytes;
  if (r->state == REQ_FREE)
    return free_order_at_least(s, k2) != BD_NONE ? want : UINT64_MAX;
  if (r->state == REQ_LIVE) {
    uint32_t k = r->order;
    if (k2 <= k) return 0;
    if (!can_grow_in_place(s, r->unit, k, k2) &&
        free_order_at_least(s, k2) == BD_NONE)
      return UINT64_MAX;
    return want - (1ull << k) * s->unit_bytes;
  }
  if (s->cfg.host_bytes == 0) return UINT64_MAX;
  uint32_t k = order_for(s, r->tokens);
  uint32_t j = free_order_at_least(s, k);
  if (j == BD_NONE) return UINT64_MAX;
  if (k2 <= j) return want; /* shrink, or growth into the split halves */
  if (can_grow_in_place(s, s->head[j], j, k2)) return want;
  return free_order_at_least(s, k2) != BD_NONE ? want : UINT64_MAX;
}

static void bd_stats(const void *state, uint64_t next_tokens,
                     kv_mem_stats *out) {
  const bd_state *s = state;
  memset(out, 0, sizeof *out);
  out->capacity = s->cfg.capacity_bytes;
  out->used = s->live_used;
  out->backed = s->live_units * s->unit_bytes;
  out->allocated = out->backed;
  out->internal_frag = out->allocated - out->used;
  out->free = out->capacity - out->backed;
  /* the tail no unit covers, and free blocks smaller than the next
   * request's block */
  uint32_t kn = next_tokens ? order_for(s, next_tokens) : 0;
  out->external_frag =
      s->cfg.capacity_bytes - (uint64_t)s->nunits * s->unit_bytes;
  for (uint32_t o = 0; o <= s->maxo && o < kn; o++)
    for (uint32_t u = s->head[o]; u != BD_NONE; u = s->next[u])
      out->external_frag += (1ull << o) * s->unit_bytes;
  uint32_t top = BD_NONE;
  for (uint32_t o = 0; o <= s->maxo; o++)
    if (s->head[o] != BD_NONE) top = o;
  out->largest_free = top == BD_NONE ? 0 : (1ull << top) * s->unit_bytes;
  out->host_used = s->host.capacity - s->host.free_bytes;
  out->live_requests = s->nlive;
  out->swapped_requests = s->nswapped;
}

/* ---- validity: one check per invariant written above bd_state ---- */

#define BD_FAIL(...) kv_error_set(err, KV_EINTERNAL, "buddy: " __VA_ARGS__)

static kv_status check_free_lists(const bd_state *s, uint8_t *owner,
                                  kv_error *err) {
  uint64_t units = 0, blocks = 0;
  for (uint32_t o = 0; o <= s->maxo; o++) {
    uint32_t prev = BD_NONE;
    for (uint32_t u = s->head[o]; u != BD_NONE; prev = u, u = s->next[u]) {
      uint64_t len = 1ull << o;
      if (u % len || u + len > s->nunits || s->free_order[u] != o + 1 ||
          s->prev[u] != prev)
        return BD_FAIL("free block %" PRIu32 " of order %" PRIu32
                       " misplaced or mislinked",
                       u, o);
      if (is_free_block(s, (uint64_t)u ^ len, o))
        return BD_FAIL("free block %" PRIu32 " and its buddy are both free "
                       "at order %" PRIu32,
                       u, o);
      for (uint64_t i = u; i < u + len; i++) {
        if (owner[i]) return BD_FAIL("unit %" PRIu64 " is in two blocks", i);
        owner[i] = 1;
      }
      units += len;
      blocks++;
    }
  }
  uint64_t heads = 0;
  for (uint64_t i = 0; i < s->nunits; i++)
    heads += s->free_order[i] != 0;
  if (heads != blocks)
    return BD_FAIL("%" PRIu64 " units marked free heads, %" PRIu64
                   " free blocks listed",
                   heads, blocks);
  if (units != s->free_units)
    return BD_FAIL("free lists hold %" PRIu64 " units, counted %" PRIu64, units,
                   s->free_units);
  return KV_OK;
}

static kv_status check_requests(const bd_state *s, uint8_t *owner,
                                kv_error *err) {
  uint32_t nlive = 0, nswapped = 0;
  uint64_t units = 0, used = 0;
  for (uint32_t q = 0; q < s->cfg.max_requests; q++) {
    const bd_req *r = &s->reqs[q];
    if (r->tokens > s->cfg.max_context ||
        r->used != kv_strategy_used_bytes(&s->cfg, r->tokens))
      return BD_FAIL("request %" PRIu32 " tokens %" PRIu64 " / used %" PRIu64
                     " out of line",
                     q, r->tokens, r->used);
    if (r->state == REQ_SWAPPED) {
      nswapped++;
      if (r->host_len != r->tokens * s->bpt)
        return BD_FAIL("swapped request %" PRIu32 " holds %" PRIu64
                       " host bytes",
                       q, r->host_len);
      continue;
    }
    if (r->state != REQ_LIVE) {
      if (r->tokens) return BD_FAIL("free request %" PRIu32 " has tokens", q);
      continue;
    }
    uint64_t len = 1ull << r->order;
    if (r->order != order_for(s, r->tokens) || r->unit % len ||
        r->unit + len > s->nunits)
      return BD_FAIL("request %" PRIu32 " block %" PRIu32
                     " order %u for %" PRIu64 " tokens",
                     q, r->unit, r->order, r->tokens);
    for (uint64_t i = r->unit; i < r->unit + len; i++) {
      if (owner[i]) return BD_FAIL("unit %" PRIu64 " is in two blocks", i);
      owner[i] = 1;
    }
    nlive++;
    units += len;
    used += r->used;
  }
  if (nlive != s->nlive || nswapped != s->nswapped || units != s->live_units ||
      used != s->live_used)
    return BD_FAIL("counters live %" PRIu32 " swapped %" PRIu32
                   " units %" PRIu64 " used %" PRIu64 " but recomputed %" PRIu32
                   " %" PRIu32 " %" PRIu64 " %" PRIu64,
                   s->nlive, s->nswapped, s->live_units, s->live_used, nlive,
                   nswapped, units, used);
  return KV_OK;
}

static kv_status check_host(const bd_state *s, kv_error *err) {
  uint64_t held = 0;
  for (uint32_t q = 0; q < s->cfg.max_requests; q++)
    if (s->reqs[q].state == REQ_SWAPPED) held += s->reqs[q].host_len;
  if (held + s->host.free_bytes != s->host.capacity)
    return BD_FAIL("host tier: %" PRIu64 " held + %" PRIu64 " free != %" PRIu64,
                   held, s->host.free_bytes, s->host.capacity);
  return KV_OK;
}

static kv_status bd_is_valid(const void *state, kv_error *err) {
  const bd_state *s = state;
  kv_status rc = kv_range_alloc_is_valid(&s->host, err);
  if (rc != KV_OK) return kv_error_prefix(err, "buddy host tier: ");
  if (s->free_units + s->live_units != s->nunits)
    return BD_FAIL("free %" PRIu64 " + live %" PRIu64 " units != %" PRIu32,
                   s->free_units, s->live_units, s->nunits);
  uint8_t *owner = kv_xcalloc((size_t)s->nunits + 1, 1);
  rc = check_free_lists(s, owner, err);
  if (rc == KV_OK) rc = check_requests(s, owner, err);
  free(owner);
  if (rc == KV_OK) rc = check_host(s, err);
  return rc == KV_OK ? kv_error_set(err, KV_OK, NULL) : rc;
}

/* ---- self-description ---- */

static const kv_strategy_opt bd_options[] = {KV_STRATEGY_OPT_BLOCK_TOKENS,
                                             KV_STRATEGY_OPT_MAX_CONTEXT,
                                             KV_STRATEGY_OPT_COPY_VIA,
                                             {NULL}};

static void bd_label(const kv_strategy_cfg *cfg, char *buf, size_t n) {
  snprintf(buf, n, "buddy-%u", cfg->block_tokens);
}

/* Token t of a live request: its block's base + t * bpt (every layer). */
static uint32_t bd_token_map(const void *state, uint32_t req, uint64_t token,
                             kv_extent *out, uint32_t max) {
  const bd_state *s = state;
  const bd_req *r = &s->reqs[req];
  if (r->state != REQ_LIVE || token >= r->tokens || max < 1) return 0;
  out[0] = (kv_extent){r->unit * s->unit_bytes + token * s->bpt, s->bpt};
  return 1;
}

const kv_strategy_vt kv_strategy_buddy = {
    .version = KV_STRATEGY_VT_VERSION,
    .name = "buddy",
    .summary = "one contiguous block of 2^k units per request from a binary "
               "buddy allocator",
    /* no setup ops: the backend's device pool (KV_POOL_DEVICE) */
    .create = bd_create,
    /* frees state; no teardown ops */
    .destroy = bd_destroy,
    /* first call takes a block; growth absorbs free buddies in place (no
       op) or moves to a new block (one D2D COPY); shrink frees the upper
       halves */
    .reserve = bd_reserve,
    /* the block back, merged with free buddies */
    .release = bd_release,
    /* one D2H run of the live bytes; frees the block */
    .swap_out = bd_swap_out,
    /* a block for its tokens, one H2D run */
    .swap_in = bd_swap_in,
    /* external fragmentation = the capacity tail + free blocks smaller than
       the next request's block */
    .stats = bd_stats,
    /* min(max_context, the largest block x block_tokens) */
    .max_request_tokens = bd_max_request_tokens,
    /* free lists, block tiling, counters, host tier */
    .is_valid = bd_is_valid,
    .reserved = {NULL, NULL, NULL, NULL},
    /* no tiering, no prefix sharing */
    .evict = NULL,
    .reload = NULL,
    .host_blocks = NULL,
    .compact = NULL,
    .tier_stats = NULL,
    .prefix_attach = NULL,
    .prefix_publish = NULL,
    /* the block reserve (and swap_in) would take, less what they give back */
    .reserve_need = bd_reserve_need,
    .fixed_reservation = false,
    /* block_tokens, max_context, copy_via */
    .options = bd_options,
    /* base + token * stride inside the block */
    .addr_mode = KV_ADDR_CONTIGUOUS,
    /* blocks are offsets in one device pool */
    .pool = KV_POOL_DEVICE,
    /* "buddy-<block_tokens>" */
    .label = bd_label,
    /* block base + t * bpt */
    .token_map = bd_token_map,
};
