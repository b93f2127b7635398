/* strategy_static.c - the pre-paging baseline: every request reserves
 * max_context tokens of KV contiguously, first fit, at admission.
 *
 * Sliding windows: a windowed layer needs only the last `window` tokens, so
 * its part of the reservation is a ring buffer of min(max_context, window)
 * tokens. A reservation is [full layers: max_context tokens][windowed
 * layers: ring], max_context * bpt_full + min(max_context, window) *
 * bpt_window bytes; swaps copy the live part of each (two runs).
 *
 * Main entry point: the vtable kv_strategy_static.
 */
#include "strategy.h"

#include "range_alloc.h"
#include "swap_host.h"
#include "util.h"

#include <inttypes.h>
#include <string.h>

typedef enum { REQ_FREE, REQ_LIVE, REQ_SWAPPED } req_state;

typedef struct st_req {
  uint8_t state;
  uint64_t tokens;   /* live tokens (kept while swapped) */
  uint64_t used;     /* kv_strategy_used_bytes(tokens) */
  uint64_t off;      /* LIVE: device offset of the reservation */
  uint64_t host_off; /* SWAPPED: host tier offset */
  uint64_t host_len; /* SWAPPED: host bytes held (0 = nothing copied) */
} st_req;

/* Invariants (checked by st_is_valid):
 * - tokens <= max_context for every request; used = used_bytes(tokens);
 * - resv = max_context * bpt_full + min(max_context, window) * bpt_window;
 * - live reservations are disjoint, each [off, off+resv) inside capacity, and
 *   disjoint from the device free list; free list + reservations = capacity;
 * - dev.free_bytes = capacity - live * resv (free + backed = capacity);
 * - host ranges of swapped requests are disjoint and, with the host free
 *   list, cover host_bytes exactly;
 * - a swapped request holds used bytes in the host tier;
 * - nlive, nswapped, live_tokens and live_used equal the sums recomputed
 *   from reqs. */
typedef struct st_state {
  kv_strategy_cfg cfg;
  uint64_t bpt;      /* bytes per token, all layers */
  uint64_t bpt_full; /* ... of the full-attention layers */
  uint64_t resv;     /* reservation bytes (invariants) */
  kv_range_allocator dev;
  kv_range_allocator host;
  st_req *reqs;
  uint32_t nlive, nswapped;
  uint64_t live_tokens; /* sum of tokens over LIVE requests */
  uint64_t live_used;   /* sum of used over LIVE requests */
} st_state;

/* Bytes of a reservation, for cfg with max_context resolved. */
static uint64_t resv_bytes(const kv_strategy_cfg *cfg) {
  uint64_t ctx = cfg->max_context, w = kv_strategy_window(cfg);
  return ctx * kv_strategy_bytes_per_token_full(cfg) +
         (w && w < ctx ? w : ctx) * kv_strategy_bytes_per_token_window(cfg);
}

static kv_status st_create(const kv_strategy_cfg *cfg, void **state,
                           kv_op_list *ops, kv_error *err) {
  (void)ops; /* the pool is preallocated: no setup ops */
  if (!cfg->model)
    return kv_error_set(err, KV_EINVAL, "static: cfg.model is NULL");
  uint64_t bpt = kv_strategy_bytes_per_token(cfg);
  if (bpt == 0)
    return kv_error_set(err, KV_EINVAL,
                        "static: model '%s' has 0 KV bytes per token",
                        cfg->model->name);
  kv_strategy_cfg resolved = *cfg; /* max_context 0: the model's */
  resolved.max_context = kv_strategy_max_context(cfg);
  cfg = &resolved;
  if (cfg->max_context == 0)
    return kv_error_set(err, KV_EINVAL, "static: cfg.max_context is 0");
  if (cfg->max_requests == 0)
    return kv_error_set(err, KV_EINVAL, "static: cfg.max_requests is 0");
  st_state *s = kv_xcalloc(1, sizeof *s);
  s->cfg = *cfg;
  s->bpt = bpt;
  s->bpt_full = kv_strategy_bytes_per_token_full(cfg);
  s->resv = resv_bytes(cfg);
  kv_range_alloc_init(&s->dev, cfg->capacity_bytes);
  kv_range_alloc_init(&s->host, cfg->host_bytes);
  s->reqs = kv_xcalloc(cfg->max_requests, sizeof *s->reqs);
  *state = s;
  return KV_OK;
}

static void st_destroy(void *state, kv_op_list *ops) {
  (void)ops;
  st_state *s = state;
  if (!s) return;
  kv_range_alloc_destroy(&s->dev);
  kv_range_alloc_destroy(&s->host);
  free(s->reqs);
  free(s);
}

static kv_status st_reserve(void *state, uint32_t req, uint64_t tokens,
                            kv_op_list *ops) {
  (void)ops; /* contiguous reservation: no table, no driver calls */
  st_state *s = state;
  if (req >= s->cfg.max_requests || tokens > s->cfg.max_context)
    return KV_EINVAL;
  st_req *r = &s->reqs[req];
  uint64_t used = kv_strategy_used_bytes(&s->cfg, tokens);
  if (r->state == REQ_LIVE) {
    s->live_tokens = s->live_tokens - r->tokens + tokens;
    s->live_used = s->live_used - r->used + used;
    r->tokens = tokens;
    r->used = used;
    return KV_OK;
  }
  if (r->state == REQ_SWAPPED) return KV_EINVAL;         /* swap_in first */
  if (s->resv > s->cfg.capacity_bytes) return KV_EINVAL; /* can never fit */
  uint64_t off;
  if (!kv_range_alloc(&s->dev, s->resv, &off)) return KV_ENOMEM;
  r->state = REQ_LIVE;
  r->off = off;
  r->tokens = tokens;
  r->used = used;
  s->nlive++;
  s->live_tokens += tokens;
  s->live_used += used;
  return KV_OK;
}

static void st_release(void *state, uint32_t req, kv_op_list *ops) {
  (void)ops;
  st_state *s = state;
  if (req >= s->cfg.max_requests) return;
  st_req *r = &s->reqs[req];
  if (r->state == REQ_LIVE) {
    kv_range_free(&s->dev, r->off, s->resv);
    s->nlive--;
    s->live_tokens -= r->tokens;
    s->live_used -= r->used;
  } else if (r->state == REQ_SWAPPED) {
    kv_range_free(&s->host, r->host_off, r->host_len);
    s->nswapped--;
  }
  memset(r, 0, sizeof *r);
}

/* One COPY of request r's live bytes between its reservation at `dev` and
 * the host at `host`: one run for the full layers' tokens, one for the
 * windowed layers' ring (either may be empty). */
static void push_copy(st_state *s, kv_op_list *ops, uint32_t req,
                      const st_req *r, kv_copy_dir dir, uint64_t dev,
                      uint64_t host) {
  uint64_t full = r->tokens * s->bpt_full, ring = r->used - full;
  kv_op *op = kv_ops_push(ops, KV_OP_COPY, req);
  op->dir = (uint8_t)dir;
  op->via = (uint8_t)s->cfg.copy_via;
  op->count = (full > 0) + (ring > 0);
  op->bytes = r->used;
  uint64_t ring_dev = dev + (uint64_t)s->cfg.max_context * s->bpt_full;
  if (dir == KV_COPY_D2H) {
    if (full) kv_ops_push_run(ops, op, dev, host, full);
    if (ring) kv_ops_push_run(ops, op, ring_dev, host + full, ring);
  } else {
    if (full) kv_ops_push_run(ops, op, host, dev, full);
    if (ring) kv_ops_push_run(ops, op, host + full, ring_dev, ring);
  }
}

static kv_status st_swap_out(void *state, uint32_t req, kv_op_list *ops) {
  st_state *s = state;
  if (!kv_swap_usable(&s->cfg, req)) return KV_EINVAL;
  st_req *r = &s->reqs[req];
  if (r->state != REQ_LIVE) return KV_EINVAL;
  uint64_t bytes = r->used, hoff;
  if (!kv_swap_host_take(&s->host, bytes, &hoff)) return KV_ENOMEM;
  if (bytes > 0) push_copy(s, ops, req, r, KV_COPY_D2H, r->off, hoff);
  kv_range_free(&s->dev, r->off, s->resv);
  r->state = REQ_SWAPPED;
  r->host_off = hoff;
  r->host_len = bytes;
  s->nlive--;
  s->nswapped++;
  s->live_tokens -= r->tokens;
  s->live_used -= r->used;
  return KV_OK;
}

static kv_status st_swap_in(void *state, uint32_t req, kv_op_list *ops) {
  st_state *s = state;
  if (!kv_swap_usable(&s->cfg, req)) return KV_EINVAL;
  st_req *r = &s->reqs[req];
  if (r->state != REQ_SWAPPED) return KV_EINVAL;
  uint64_t off;
  if (!kv_range_alloc(&s->dev, s->resv, &off)) return KV_ENOMEM;
  if (r->host_len > 0) push_copy(s, ops, req, r, KV_COPY_H2D, off, r->host_off);
  kv_swap_host_give(&s->host, &r->host_off, &r->host_len);
  r->state = REQ_LIVE;
  r->off = off;
  s->nswapped--;
  s->nlive++;
  s->live_tokens += r->tokens;
  s->live_used += r->used;
  return KV_OK;
}

/* Every placement takes one reservation, first fit: a FREE or SWAPPED
 * request the whole of it (when one free range holds it), a LIVE one
 * nothing more. */
static uint64_t st_reserve_need(const void *state, uint32_t req,
                                uint64_t tokens) {
  const st_state *s = state;
  if (req >= s->cfg.max_requests || tokens > s->cfg.max_context)
    return UINT64_MAX;
  const st_req *r = &s->reqs[req];
  if (r->state == REQ_LIVE) return 0;
  if (r->state == REQ_SWAPPED && s->cfg.host_bytes == 0) return UINT64_MAX;
  if (kv_range_largest(&s->dev) < s->resv) return UINT64_MAX;
  return s->resv;
}

static void st_stats(const void *state, uint64_t next_tokens,
                     kv_mem_stats *out) {
  (void)next_tokens; /* every request reserves max_context, whatever it asks */
  const st_state *s = state;
  memset(out, 0, sizeof *out);
  out->capacity = s->cfg.capacity_bytes;
  out->used = s->live_used; /* kv_strategy_used_bytes per request */
  out->backed = (uint64_t)s->nlive * s->resv;
  out->allocated = out->backed;
  out->internal_frag = out->allocated - out->used;
  out->free = out->capacity - out->backed;
  out->external_frag = kv_range_unusable(&s->dev, s->resv);
  out->largest_free = kv_range_largest(&s->dev);
  out->reserved_va = 0;
  out->metadata = 0;
  out->host_used = s->host.capacity - s->host.free_bytes;
  out->live_requests = s->nlive;
  out->swapped_requests = s->nswapped;
}

static uint64_t st_max_request_tokens(const void *state) {
  const st_state *s = state;
  return s->resv <= s->cfg.capacity_bytes ? s->cfg.max_context : 0;
}

/* Check that the ranges of one tier (free list + owned ranges) tile
 * [0, capacity) exactly: sort all pieces and walk them. */
typedef struct piece {
  uint64_t off, len;
  int64_t owner; /* request id, -1 for free */
} piece;

static int cmp_piece(const void *a, const void *b) {
  const piece *x = a, *y = b;
  return (x->off > y->off) - (x->off < y->off);
}

static kv_status check_tiling(piece *p, size_t n, uint64_t capacity,
                              const char *tier, kv_error *err) {
  qsort(p, n, sizeof *p, cmp_piece);
  uint64_t at = 0;
  for (size_t i = 0; i < n; i++) {
    if (p[i].off < at)
      return kv_error_set(err, KV_EINTERNAL,
                          "static: %s range at %" PRIu64 " (owner %" PRId64
                          ") overlaps the previous one ending at %" PRIu64,
                          tier, p[i].off, p[i].owner, at);
    if (p[i].off > at)
      return kv_error_set(err, KV_EINTERNAL,
                          "static: %s bytes [%" PRIu64 ", %" PRIu64
                          ") are neither free nor owned",
                          tier, at, p[i].off);
    at = p[i].off + p[i].len;
  }
  if (at != capacity)
    return kv_error_set(err, KV_EINTERNAL,
                        "static: %s ranges end at %" PRIu64
                        ", capacity is %" PRIu64,
                        tier, at, capacity);
  return KV_OK;
}

static kv_status st_is_valid(const void *state, kv_error *err) {
  const st_state *s = state;
  kv_status rc = kv_range_alloc_is_valid(&s->dev, err);
  if (rc != KV_OK) return kv_error_prefix(err, "static device tier: ");
  rc = kv_range_alloc_is_valid(&s->host, err);
  if (rc != KV_OK) return kv_error_prefix(err, "static host tier: ");
  uint32_t n = s->cfg.max_requests, nlive = 0, nswapped = 0;
  uint64_t tokens = 0, used = 0;
  if (s->resv != resv_bytes(&s->cfg))
    return kv_error_set(err, KV_EINTERNAL,
                        "static: reservation %" PRIu64 " B is not max_context "
                        "x full + ring x windowed bytes per token = %" PRIu64,
                        s->resv, resv_bytes(&s->cfg));
  piece *dev = kv_xmalloc((n + s->dev.n + 1) * sizeof *dev);
  piece *host = kv_xmalloc((n + s->host.n + 1) * sizeof *host);
  size_t nd = 0, nh = 0;
  for (uint32_t i = 0; i < s->dev.n; i++)
    dev[nd++] = (piece){s->dev.free[i].off, s->dev.free[i].len, -1};
  for (uint32_t i = 0; i < s->host.n; i++)
    host[nh++] = (piece){s->host.free[i].off, s->host.free[i].len, -1};
  for (uint32_t i = 0; i < n; i++) {
    const st_req *r = &s->reqs[i];
    if (r->tokens > s->cfg.max_context) {
      rc = kv_error_set(err, KV_EINTERNAL,
                        "static: request %" PRIu32 " holds %" PRIu64
                        " tokens > max_context %" PRIu32,
                        i, r->tokens, s->cfg.max_context);
      goto out;
    }
    if (r->used != kv_strategy_used_bytes(&s->cfg, r->tokens)) {
      rc = kv_error_set(err, KV_EINTERNAL,
                        "static: request %" PRIu32 " counts %" PRIu64
                        " used bytes for %" PRIu64 " tokens (want %" PRIu64 ")",
                        i, r->used, r->tokens,
                        kv_strategy_used_bytes(&s->cfg, r->tokens));
      goto out;
    }
    if (r->state == REQ_LIVE) {
      nlive++;
      tokens += r->tokens;
      used += r->used;
      dev[nd++] = (piece){r->off, s->resv, i};
    } else if (r->state == REQ_SWAPPED) {
      nswapped++;
      if (r->host_len != r->used) {
        rc = kv_error_set(err, KV_EINTERNAL,
                          "static: swapped request %" PRIu32 " holds %" PRIu64
                          " host bytes for %" PRIu64 " tokens",
                          i, r->host_len, r->tokens);
        goto out;
      }
      if (r->host_len) host[nh++] = (piece){r->host_off, r->host_len, i};
    } else if (r->tokens != 0) {
      rc = kv_error_set(err, KV_EINTERNAL,
                        "static: free request %" PRIu32 " has tokens", i);
      goto out;
    }
  }
  if (nlive != s->nlive || nswapped != s->nswapped ||
      tokens != s->live_tokens || used != s->live_used) {
    rc = kv_error_set(err, KV_EINTERNAL,
                      "static: counters live %" PRIu32 " swapped %" PRIu32
                      " tokens %" PRIu64 " used %" PRIu64
                      " but recomputed %" PRIu32 " %" PRIu32 " %" PRIu64
                      " %" PRIu64,
                      s->nlive, s->nswapped, s->live_tokens, s->live_used,
                      nlive, nswapped, tokens, used);
    goto out;
  }
  if (s->dev.free_bytes + (uint64_t)nlive * s->resv != s->cfg.capacity_bytes) {
    rc = kv_error_set(
        err, KV_EINTERNAL,
        "static: free %" PRIu64 " + backed %" PRIu64 " != capacity %" PRIu64,
        s->dev.free_bytes, (uint64_t)nlive * s->resv, s->cfg.capacity_bytes);
    goto out;
  }
  rc = check_tiling(dev, nd, s->cfg.capacity_bytes, "device", err);
  if (rc == KV_OK) rc = check_tiling(host, nh, s->cfg.host_bytes, "host", err);
out:
  free(dev);
  free(host);
  return rc == KV_OK ? kv_error_set(err, KV_OK, NULL) : rc;
}

static const kv_strategy_opt st_options[] = {
    KV_STRATEGY_OPT_MAX_CONTEXT, KV_STRATEGY_OPT_COPY_VIA, {NULL}};

/* Token t of a live request: off + t * bpt_full for the full layers, and
 * slot t % ring of the windowed layers' ring while t is in the window. */
static uint32_t st_token_map(const void *state, uint32_t req, uint64_t token,
                             kv_extent *out, uint32_t max) {
  const st_state *s = state;
  const st_req *r = &s->reqs[req];
  if (r->state != REQ_LIVE || token >= r->tokens || max < 2) return 0;
  uint64_t bw = s->bpt - s->bpt_full, w = kv_strategy_window(&s->cfg);
  uint64_t ctx = s->cfg.max_context, ring = w && w < ctx ? w : ctx;
  uint32_t n = 0;
  if (s->bpt_full)
    out[n++] = (kv_extent){r->off + token * s->bpt_full, s->bpt_full};
  if (bw && token + w >= r->tokens)
    out[n++] = (kv_extent){r->off + ctx * s->bpt_full + token % ring * bw, bw};
  return n;
}

const kv_strategy_vt kv_strategy_static = {
    .version = KV_STRATEGY_VT_VERSION,
    .name = "static",
    .summary = "reserve max_context tokens per request, contiguously "
               "(pre-paging baseline)",
    /* no setup ops: one preallocated device pool */
    .create = st_create,
    /* frees state; no teardown ops */
    .destroy = st_destroy,
    /* first call reserves max_context*bpt (windowed layers: a ring of
       min(max_context, window) tokens) first fit; later calls only count */
    .reserve = st_reserve,
    /* returns the reservation (or host copy) to its free list */
    .release = st_release,
    /* one D2H run of the live bytes (two with windows: full layers' tokens
       and the ring); frees the reservation */
    .swap_out = st_swap_out,
    /* reserves again, one H2D run */
    .swap_in = st_swap_in,
    /* external fragmentation = free ranges shorter than one reservation */
    .stats = st_stats,
    /* max_context (0 when one reservation exceeds capacity) */
    .max_request_tokens = st_max_request_tokens,
    /* tiling of both tiers and recomputed counters */
    .is_valid = st_is_valid,
    .reserved = {NULL, NULL, NULL, NULL},
    /* no tiering, no prefix sharing */
    .evict = NULL,
    .reload = NULL,
    .host_blocks = NULL,
    .compact = NULL,
    .tier_stats = NULL,
    .prefix_attach = NULL,
    .prefix_publish = NULL,
    /* one reservation for a FREE or SWAPPED request (UINT64_MAX when no
       free range holds it), 0 for a LIVE one */
    .reserve_need = st_reserve_need,
    /* a reservation holds max_context from admission on */
    .fixed_reservation = true,
    /* max_context, copy_via */
    .options = st_options,
    /* base + token * stride inside the reservation */
    .addr_mode = KV_ADDR_CONTIGUOUS,
    /* reservations are offsets in one device pool */
    .pool = KV_POOL_DEVICE,
    /* "static" */
    .label = NULL,
    /* base + t * stride (the ring slot for windowed layers) */
    .token_map = st_token_map,
};
