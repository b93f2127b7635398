/* strategy_vmm.c - vAttention-style KV placement with the CUDA VMM API.
 *
 * Each request owns a VA slot: a contiguous virtual range of max_context
 * tokens per K/V tensor (per-layer layout: one range per layer for K and one
 * for V, 2L ranges; MLA: one latent range per layer, L ranges; all-layers
 * layout: a single range). Physical memory is a pool of capacity/page_bytes
 * handles mapped into the ranges on demand, one "growth step" at a time: a
 * step maps one page in every range of the slot. VA slots are reserved once
 * and reused. Optional: map-ahead (background mapping of the next tokens) and
 * deferred reclamation (finished requests keep their pages mapped in their
 * slot; the next owner of the slot reuses them without driver calls; idle
 * pages are unmapped and handed over when the pool runs dry). With deferred
 * reclamation a live slot may also hold spare steps its owner does not need
 * now (kept from a larger previous owner, or mapped ahead): critical growth
 * reclaims them lazily, after the pool and the idle slots, never below what
 * their owner needs; map-ahead never takes them.
 *
 * Sliding windows (docs/windows.md). With the per-layer layout the ranges of
 * the windowed layers come last in a slot (full-attention layers' ranges
 * first; the model's interleaving does not matter to memory). A windowed
 * range maps only pages [lo, steps): a page that lies entirely behind the
 * window of the request's tokens (lo = (tokens - window) / tpp) is unmapped
 * and released to the pool (UNMAP + RELEASE, with or without deferred
 * reclaim) as the request grows; full-attention ranges grow as before. With
 * the all-layers layout a page spans every layer, so pages can only go when
 * every layer is windowed; a hybrid model (Gemma-2) then keeps every page,
 * as a full-attention model does. Where this cannot follow:
 * - a shrink below the tokens whose window pages are already gone is
 *   KV_EINVAL (their KV is lost); the engine's shrink before a swap-out
 *   undoes at most one step's growth, which is a problem only when that step
 *   moved the window by a page: it then falls back to recompute;
 * - with deferred reclaim, a slot whose window moved goes back to the pool
 *   on release (as without it): only slots mapping every range from page 0
 *   are kept for the next owner;
 * - the window is taken at the request's token count, as `used`: the first
 *   tokens of a prefill chunk that read further back are not given pages.
 * Fresh handles are used in whole steps first and reclaimed (idle or spare)
 * handles come in whole steps, so a mapping whose size is not a multiple of
 * a step may release the surplus of its last reclaimed step.
 *
 * Main entry point: the vtable kv_strategy_vmm.
 */
#include "strategy.h"

#include "mempool.h"
#include "range_alloc.h"
#include "swap_host.h"
#include "util.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

typedef enum { REQ_FREE, REQ_LIVE, REQ_SWAPPED } req_state;

#define NO_SLOT UINT32_MAX
#define NO_HANDLE UINT32_MAX /* h[] entry of a windowed page not mapped */
#define META_PER_PAGE 16u    /* page-table bookkeeping bytes per mapped page */

typedef struct vm_req {
  uint8_t state;
  uint64_t tokens;   /* live tokens (kept while swapped) */
  uint32_t slot;     /* LIVE: VA slot index */
  uint64_t host_off; /* SWAPPED: host tier range */
  uint64_t host_len;
} vm_req;

typedef struct vm_slot {
  uint64_t va;    /* base of nranges consecutive ranges of range_bytes */
  uint32_t steps; /* pages mapped at the start of every range */
  uint32_t lo;    /* windowed ranges map pages [lo, steps) only */
  uint32_t hcap;  /* capacity of h, in steps */
  uint32_t *h;    /* h[step * nranges + range] = handle mapped there */
  uint32_t owner; /* live request, or KV_NO_REQ when idle */
} vm_slot;

/* Invariants (checked by vm_is_valid):
 * - every handle id < npages is either on the free stack (not created) or
 *   mapped at exactly one (slot, step, range) position: no page is owned twice;
 * - free_top + mapped = npages (free + backed = capacity, less the tail
 *   capacity - npages*page_bytes no handle covers);
 * - slot i has va = i * slot_va, so slots never overlap and lie inside
 *   [0, nslots * slot_va); steps <= pages_max;
 * - windowed ranges (the last nr_win of a slot) map pages [lo, steps), their
 *   h[] entries below lo are NO_HANDLE; lo <= steps; a live slot has
 *   lo = lo_for(owner's tokens) (the pages behind the window are gone), an
 *   idle slot lo = 0;
 * - a slot is owned by one live request whose `slot` points back at it, or is
 *   idle and on the free slot stack exactly once; without deferred_reclaim an
 *   idle slot maps nothing;
 * - a live request's tokens fit in its mapped steps (tokens <= steps * tpp):
 *   no live slot holds fewer steps than its owner needs;
 * - spare_steps = sum over live slots of steps - steps_for(owner's tokens),
 *   the steps critical growth of another request may reclaim (deferred
 *   reclaim only; without it the counter is kept but never drawn on);
 * - swapped requests own no slot and hold req_bytes(tokens) in the host
 *   tier; host ranges with the host free list cover host_bytes;
 * - with a shared pool (cfg.pool): handle ids are the pool's page ids, the
 *   free stack stays empty and a page is mapped here exactly when the pool
 *   says this model owns it (mapped = the pool's held[pool_model]);
 * - mapped, live_mapped, idle_steps, spare_steps, nlive, nswapped,
 *   live_tokens, live_used equal their recomputed sums. */
typedef struct vm_state {
  kv_strategy_cfg cfg;
  uint64_t bpt;
  uint32_t nranges;     /* VA ranges per slot */
  uint32_t nr_full;     /* ranges [0, nr_full) hold every token */
  uint32_t nr_win;      /* ranges [nr_full, nranges) hold the window only
                           (0: no page is ever unmapped behind a window) */
  uint64_t win;         /* window, tokens (when nr_win > 0) */
  uint64_t max_tok;     /* vm_max_request_tokens */
  uint64_t range_tok;   /* bytes one token takes in one range */
  uint64_t tpp;         /* tokens one page holds in a range */
  uint32_t pages_max;   /* pages per range to cover max_context */
  uint64_t range_bytes; /* pages_max * page_bytes */
  uint64_t slot_va;     /* nranges * range_bytes */
  uint32_t max_steps;   /* steps one request can ever get */
  uint32_t npages;
  uint32_t *free_stack; /* handles not created; LIFO */
  uint32_t free_top;
  vm_slot *slots; /* [max_requests], first nslots in use */
  uint32_t nslots;
  uint32_t *idle; /* free slot stack (idle slot indices) */
  uint32_t nidle;
  uint64_t mapped;      /* handles mapped in any slot */
  uint64_t live_mapped; /* handles mapped in live slots */
  uint64_t idle_steps;  /* steps mapped in idle slots (deferred reclaim) */
  uint64_t spare_steps; /* steps live slots hold beyond their owner's need */
  vm_req *reqs;
  uint32_t nlive, nswapped;
  uint64_t live_tokens;
  uint64_t live_used; /* sum of kv_strategy_used_bytes over live requests */
  uint32_t *scratch;  /* handles gathered for one mapping */
  kv_range_allocator host;
} vm_state;

/* Pages of a windowed range entirely behind the window of `tokens`. */
static uint32_t lo_for(const vm_state *s, uint64_t tokens) {
  if (!s->nr_win || tokens <= s->win) return 0;
  return (uint32_t)((tokens - s->win) / s->tpp);
}

/* Handles free to map: the local free stack, plus with a shared pool
 * (cfg.pool: several models on one GPU) the pool's free pages, which the
 * model takes as it creates handles (its free stack then stays empty). */
static uint64_t free_handles(const vm_state *s) {
  return s->free_top + (s->cfg.pool ? kv_mempool_free_pages(s->cfg.pool) : 0);
}

/* A released handle goes back to the free stack, or to the shared pool. */
static void put_handle(vm_state *s, uint32_t h) {
  if (s->cfg.pool)
    kv_mempool_give(s->cfg.pool, s->cfg.pool_model, h);
  else
    s->free_stack[s->free_top++] = h;
}

/* Take f fresh handles into dst (the caller checked free_handles()). */
static void take_fresh(vm_state *s, uint32_t *dst, uint64_t f) {
  if (s->cfg.pool) {
    kv_mempool_take(s->cfg.pool, s->cfg.pool_model, (uint32_t)f, dst);
    return;
  }
  for (uint64_t i = 0; i < f; i++)
    dst[i] = s->free_stack[--s->free_top];
}

/* Handles slot sl maps. */
static uint64_t slot_handles(const vm_state *s, const vm_slot *sl) {
  return (uint64_t)sl->steps * s->nranges -
         (uint64_t)KV_MIN(sl->lo, sl->steps) * s->nr_win;
}

/* Bytes of a request of `tokens` tokens that its mapped pages hold (what a
 * swap moves): every token in full ranges, tokens from page lo on in
 * windowed ones. */
static uint64_t req_bytes(const vm_state *s, uint64_t tokens) {
  uint64_t w = tokens - (uint64_t)lo_for(s, tokens) * s->tpp;
  return (tokens * s->nr_full + w * s->nr_win) * s->range_tok;
}

/* Windowed layouts: the most tokens a request can reach growing from 0,
 * any path: holding t tokens takes steps(t) pages in a full range and
 * steps(t) - lo(t) in a windowed one; within a step the first token needs
 * the most (lo grows with t). */
static uint64_t window_max_tokens(const vm_state *s) {
  uint64_t ctx = s->cfg.max_context, t_max = 0;
  for (uint64_t st = 1; st <= s->pages_max; st++) {
    uint64_t first = (st - 1) * s->tpp + 1;
    if (first > ctx) break;
    uint64_t pages = st * s->nr_full + (st - lo_for(s, first)) * s->nr_win;
    if (pages > s->npages) break;
    t_max = KV_MIN(st * s->tpp, ctx);
  }
  return t_max;
}

static kv_status vm_create(const kv_strategy_cfg *cfg, void **state,
                           kv_op_list *ops, kv_error *err) {
  (void)ops; /* VA is reserved per slot, on first use */
  if (!cfg->model)
    return kv_error_set(err, KV_EINVAL, "vmm: cfg.model is NULL");
  uint64_t bpt = kv_strategy_bytes_per_token(cfg);
  if (bpt == 0 || cfg->model->layers == 0)
    return kv_error_set(err, KV_EINVAL,
                        "vmm: model '%s' has 0 KV bytes per token",
                        cfg->model->name);
  kv_strategy_cfg resolved = *cfg; /* max_context 0: the model's */
  resolved.max_context = kv_strategy_max_context(cfg);
  cfg = &resolved;
  if (cfg->max_context == 0)
    return kv_error_set(err, KV_EINVAL, "vmm: cfg.max_context is 0");
  if (cfg->max_requests == 0)
    return kv_error_set(err, KV_EINVAL, "vmm: cfg.max_requests is 0");
  if (cfg->page_bytes == 0)
    return kv_error_set(err, KV_EINVAL, "vmm: cfg.page_bytes is 0");
  uint32_t nranges = 1, nr_win = 0, per = cfg->model->mla_latent > 0 ? 1 : 2;
  uint32_t wl =
      kv_strategy_window(cfg) ? kv_model_window_layers(cfg->model) : 0;
  if (cfg->vmm_layout == KV_VMM_PER_LAYER) {
    nranges = cfg->model->layers * per;
    nr_win = wl * per;
  } else if (wl == cfg->model->layers) {
    nr_win = 1; /* one page spans every layer: all must be windowed */
  }
  uint64_t range_tok = bpt / nranges;
  uint64_t tpp = cfg->page_bytes / range_tok;
  if (tpp == 0)
    return kv_error_set(
        err, KV_EINVAL,
        "vmm: cfg.page_bytes %" PRIu64 " is smaller than one token (%" PRIu64
        " bytes per token in a %s range)",
        cfg->page_bytes, range_tok, nranges == 1 ? "all-layers" : "per-layer");
  if (cfg->pool && (cfg->pool->page_bytes != cfg->page_bytes ||
                    cfg->pool_model >= cfg->pool->n_models))
    return kv_error_set(err, KV_EINVAL,
                        "vmm: cfg.page_bytes %" PRIu64
                        " must equal the shared pool's page (%" PRIu64
                        ") and cfg.pool_model %" PRIu32 " be < its %" PRIu32
                        " models",
                        cfg->page_bytes, cfg->pool->page_bytes, cfg->pool_model,
                        cfg->pool->n_models);
  if (cfg->pool && cfg->deferred_reclaim)
    return kv_error_set(err, KV_EINVAL,
                        "vmm: cfg.deferred_reclaim cannot be used with a "
                        "shared pool (idle slots would keep pages other "
                        "models need)");
  uint64_t npages =
      cfg->pool ? cfg->pool->total : cfg->capacity_bytes / cfg->page_bytes;
  if (npages > UINT32_MAX - 1)
    return kv_error_set(err, KV_EINVAL,
                        "vmm: cfg.capacity_bytes / cfg.page_bytes = %" PRIu64
                        " handles (more than 2^32-2)",
                        npages);
  vm_state *s = kv_xcalloc(1, sizeof *s);
  s->cfg = *cfg;
  s->bpt = bpt;
  s->nranges = nranges;
  s->nr_win = nr_win;
  s->nr_full = nranges - nr_win;
  s->win = nr_win ? kv_strategy_window(cfg) : 0;
  s->range_tok = range_tok;
  s->tpp = tpp;
  s->pages_max = (uint32_t)KV_DIV_CEIL((uint64_t)cfg->max_context, tpp);
  s->range_bytes = (uint64_t)s->pages_max * cfg->page_bytes;
  s->slot_va = nranges * s->range_bytes;
  s->npages = (uint32_t)npages;
  s->max_steps = KV_MIN(s->pages_max, s->npages / nranges);
  s->max_tok =
      KV_MIN((uint64_t)cfg->max_context, (uint64_t)s->max_steps * s->tpp);
  if (nr_win) {
    s->max_tok = window_max_tokens(s);
    s->max_steps = (uint32_t)KV_DIV_CEIL(s->max_tok, tpp);
  }
  s->scratch = kv_xmalloc(((size_t)npages + nranges) * sizeof *s->scratch);
  s->free_stack = kv_xmalloc((npages ? npages : 1) * sizeof *s->free_stack);
  for (uint32_t i = 0; i < s->npages; i++)
    s->free_stack[i] = s->npages - 1 - i;
  s->free_top = cfg->pool ? 0 : s->npages; /* pool: pages taken on use */
  s->slots = kv_xcalloc(cfg->max_requests, sizeof *s->slots);
  s->idle = kv_xmalloc(cfg->max_requests * sizeof *s->idle);
  s->reqs = kv_xcalloc(cfg->max_requests, sizeof *s->reqs);
  kv_range_alloc_init(&s->host, cfg->host_bytes);
  *state = s;
  return KV_OK;
}

static uint64_t page_va(const vm_state *s, const vm_slot *sl, uint32_t step,
                        uint32_t range) {
  return sl->va + range * s->range_bytes + (uint64_t)step * s->cfg.page_bytes;
}

static void vm_destroy(void *state, kv_op_list *ops) {
  vm_state *s = state;
  if (!s) return;
  if (ops && s->mapped > 0) {
    kv_op *u = kv_ops_push(ops, KV_OP_VMM_UNMAP, KV_NO_REQ);
    u->count = (uint32_t)s->mapped;
    u->bytes = s->cfg.page_bytes;
    kv_op *r = kv_ops_push(ops, KV_OP_VMM_RELEASE, KV_NO_REQ);
    r->count = (uint32_t)s->mapped;
    r->bytes = s->cfg.page_bytes;
  }
  for (uint32_t i = 0; ops && i < s->nslots; i++)
    for (uint32_t q = 0; q < s->nranges; q++) {
      kv_op *op = kv_ops_push(ops, KV_OP_VMM_FREE_VA, KV_NO_REQ);
      op->count = 1;
      op->addr = s->slots[i].va + q * s->range_bytes;
      op->bytes = s->range_bytes;
    }
  for (uint32_t i = 0; i < s->nslots; i++) {
    const vm_slot *sl = &s->slots[i];
    for (uint64_t k = 0; s->cfg.pool && k < (uint64_t)sl->steps * s->nranges;
         k++)
      if (sl->h[k] != NO_HANDLE) put_handle(s, sl->h[k]); /* back to pool */
    free(s->slots[i].h);
  }
  free(s->slots);
  free(s->idle);
  free(s->free_stack);
  free(s->scratch);
  free(s->reqs);
  kv_range_alloc_destroy(&s->host);
  free(s);
}

static uint64_t vm_max_request_tokens(const void *state) {
  const vm_state *s = state;
  return s->max_tok;
}

/* Steps map-ahead (background) may still map: fresh handles and idle
 * slots' steps. Live slots' spare steps are not offered to it, else running
 * requests would take each other's map-ahead pages in turn. */
static uint64_t avail_ahead(const vm_state *s) {
  return free_handles(s) / s->nranges + s->idle_steps;
}

/* Steps a critical need (admission, swap-in, growth) may take from other
 * slots, besides the free pool: idle slots' steps but the `own_idle` of the
 * slot it is taking, plus, with deferred reclaim, the spare steps of live
 * slots other than the requester's, whose own spare is `own_spare`. */
static uint64_t avail_reclaim(const vm_state *s, uint64_t own_idle,
                              uint64_t own_spare) {
  uint64_t n = s->idle_steps - own_idle;
  if (s->cfg.deferred_reclaim) n += s->spare_steps - own_spare;
  return n;
}

/* Steps that cover `tokens`. */
static uint32_t steps_for(const vm_state *s, uint64_t tokens) {
  return (uint32_t)KV_DIV_CEIL(tokens, s->tpp);
}

/* Steps map-ahead wants for `tokens` (capped by context and pool). */
static uint32_t ahead_steps(const vm_state *s, uint64_t tokens) {
  uint64_t t = KV_MIN(tokens + s->cfg.map_ahead, (uint64_t)s->cfg.max_context);
  return KV_MIN(steps_for(s, t), s->max_steps);
}

static void slot_grow(vm_slot *sl, uint32_t steps, uint32_t nranges) {
  if (steps <= sl->hcap) return;
  uint32_t cap = sl->hcap ? sl->hcap : 1;
  while (cap < steps)
    cap *= 2;
  sl->h = kv_xrealloc(sl->h, (size_t)cap * nranges * sizeof *sl->h);
  sl->hcap = cap;
}

/* Move one step (the last) of slot v to *dst, as runs of the UNMAP op u. */
static void take_step(vm_state *s, vm_slot *v, kv_op *u, uint32_t **dst,
                      kv_op_list *ops) {
  uint32_t nr = s->nranges;
  v->steps--;
  for (uint32_t q = 0; q < nr; q++) {
    uint32_t h = v->h[(size_t)v->steps * nr + q];
    kv_ops_push_run(ops, u, h, page_va(s, v, v->steps, q), s->cfg.page_bytes);
    *(*dst)++ = h;
  }
}

/* Take up to `left` spare steps from the tails of live slots other than
 * `skip`, never below what their owner needs (nor, when keep_ahead, below
 * its map-ahead window). Slot order; returns the steps still wanted. */
static uint32_t take_spare(vm_state *s, uint32_t skip, uint32_t left,
                           bool keep_ahead, kv_op *u, uint32_t **dst,
                           kv_op_list *ops) {
  for (uint32_t si = 0; si < s->nslots && left > 0; si++) {
    vm_slot *v = &s->slots[si];
    if (si == skip || v->owner == KV_NO_REQ) continue;
    uint64_t tok = s->reqs[v->owner].tokens;
    uint32_t floor = steps_for(s, tok);
    if (keep_ahead) floor = KV_MAX(floor, ahead_steps(s, tok));
    while (v->steps > floor && left > 0) {
      take_step(s, v, u, dst, ops);
      s->spare_steps--;
      s->live_mapped -= s->nranges;
      left--;
    }
  }
  return left;
}

/* Handles a mapping into slot sl up to `need` steps takes: every full range
 * from steps on, every windowed range from max(steps, lo) on. */
static uint64_t map_demand(const vm_state *s, const vm_slot *sl,
                           uint32_t need) {
  if (need <= sl->steps) return 0;
  uint32_t wfrom = KV_MAX(sl->steps, sl->lo);
  return (uint64_t)(need - sl->steps) * s->nr_full +
         (need > wfrom ? (uint64_t)(need - wfrom) * s->nr_win : 0);
}

/* How d handles are found while `fresh` are not created yet: *f fresh ones
 * plus the returned number of whole steps (nranges handles each) reclaimed
 * from idle slots or spare tails. Fresh handles count in whole steps, so a
 * mapping of whole steps (every mapping of a model without windows) takes
 * exactly what it took before windows. A remainder short of a step comes
 * from the fresh handles left when there are enough, else from one more
 * reclaimed step, which then replaces as many fresh handles as it can;
 * only what is left over (f + steps * nranges - d > 0, with f = 0) is
 * surplus, released. */
static uint64_t reclaim_steps(const vm_state *s, uint64_t d, uint64_t fresh,
                              uint64_t *f) {
  uint64_t nr = s->nranges, whole = fresh - fresh % nr;
  if (d <= fresh) {
    *f = d;
    return 0;
  }
  uint64_t x = d - whole, r = x / nr;
  if (x % nr <= fresh % nr) {
    *f = whole + x % nr;
  } else {
    r++;
    *f = r * nr >= d ? 0 : d - r * nr;
  }
  return r;
}

/* Whether slot sl can be trimmed to window front lo2 and mapped up to
 * `need` steps when `reclaimable` steps may be taken from other slots
 * (the trimmed handles return to the pool first). */
static bool fits(const vm_state *s, const vm_slot *sl, uint32_t lo2,
                 uint32_t need, uint64_t reclaimable) {
  vm_slot after = *sl;
  uint32_t hi = KV_MIN(lo2, sl->steps);
  uint64_t freed = hi > sl->lo ? (uint64_t)(hi - sl->lo) * s->nr_win : 0;
  after.lo = KV_MAX(sl->lo, lo2);
  uint64_t f;
  return reclaim_steps(s, map_demand(s, &after, need), free_handles(s) + freed,
                       &f) <= reclaimable;
}

/* Unmap and release the pages of slot sl's windowed ranges below lo2 (they
 * lie behind the window): one UNMAP and one RELEASE, handles back to the
 * pool. sl belongs to a live request (live_mapped counts its handles). */
static void trim(vm_state *s, vm_slot *sl, uint32_t lo2, uint32_t req,
                 kv_op_list *ops) {
  uint32_t hi = KV_MIN(lo2, sl->steps), nr = s->nranges;
  uint64_t pb = s->cfg.page_bytes;
  if (s->nr_win && hi > sl->lo) {
    uint64_t k = (uint64_t)(hi - sl->lo) * s->nr_win;
    kv_op *u = kv_ops_push(ops, KV_OP_VMM_UNMAP, req);
    u->count = (uint32_t)k;
    u->bytes = pb;
    for (uint32_t st = sl->lo; st < hi; st++)
      for (uint32_t q = s->nr_full; q < nr; q++)
        kv_ops_push_run(ops, u, sl->h[(size_t)st * nr + q],
                        page_va(s, sl, st, q), pb);
    kv_op *rel = kv_ops_push(ops, KV_OP_VMM_RELEASE, req);
    rel->count = (uint32_t)k;
    rel->bytes = pb;
    for (uint32_t st = sl->lo; st < hi; st++)
      for (uint32_t q = s->nr_full; q < nr; q++) {
        uint32_t *h = &sl->h[(size_t)st * nr + q];
        kv_ops_push_run(ops, rel, *h, 0, pb);
        put_handle(s, *h);
        *h = NO_HANDLE;
      }
    s->mapped -= k;
    s->live_mapped -= k;
  }
  if (lo2 > sl->lo) sl->lo = lo2;
}

/* Map live slot `si` of request req up to `need` steps (every full range
 * from steps on, every windowed range from max(steps, lo) on). The caller
 * checked fits() (critical) or that the steps fit avail_ahead()
 * (background, which therefore never reaches live slots). Fresh handles
 * come from the free pool (created first); when it runs dry, whole steps
 * are taken from idle slots, then from the spare tails of other live slots
 * (unmapped there, still created). */
static void map_to(vm_state *s, uint32_t si, uint32_t need, uint8_t flags,
                   uint32_t req, kv_op_list *ops) {
  vm_slot *sl = &s->slots[si];
  if (need <= sl->steps) return;
  uint32_t nr = s->nranges;
  uint64_t k = map_demand(s, sl, need), f;
  uint64_t reclaim = reclaim_steps(s, k, free_handles(s), &f);
  uint64_t pb = s->cfg.page_bytes;
  slot_grow(sl, need, nr);
  if (k == 0) { /* only windowed ranges, all behind the window */
    for (uint32_t st = sl->steps; st < need; st++)
      for (uint32_t q = 0; q < nr; q++)
        sl->h[(size_t)st * nr + q] = NO_HANDLE;
    sl->steps = need;
    return;
  }
  uint32_t *dst = s->scratch;
  if (reclaim > 0) {
    kv_op *u = kv_ops_push(ops, KV_OP_VMM_UNMAP, req);
    u->flags = flags;
    u->count = (uint32_t)(reclaim * nr);
    u->bytes = pb;
    uint32_t left = (uint32_t)reclaim;
    /* oldest idle slots first */
    for (uint32_t i = 0; i < s->nidle && left > 0; i++) {
      vm_slot *v = &s->slots[s->idle[i]];
      while (v->steps > 0 && left > 0) {
        take_step(s, v, u, &dst, ops);
        left--;
        s->idle_steps--;
      }
    }
    /* then live slots' spare: beyond their map-ahead window first */
    if (left > 0 && s->cfg.map_ahead)
      left = take_spare(s, si, left, true, u, &dst, ops);
    if (left > 0) take_spare(s, si, left, false, u, &dst, ops);
    /* a last step only partly needed (and no fresh handle it could
       replace): its surplus goes back to the pool */
    uint64_t surplus = f + reclaim * nr - k;
    if (surplus > 0) {
      kv_op *rel = kv_ops_push(ops, KV_OP_VMM_RELEASE, req);
      rel->flags = flags;
      rel->count = (uint32_t)surplus;
      rel->bytes = pb;
      for (uint64_t i = 0; i < surplus; i++) {
        uint32_t h = *--dst;
        kv_ops_push_run(ops, rel, h, 0, pb);
        put_handle(s, h);
      }
      s->mapped -= surplus;
    }
  }
  if (f > 0) {
    kv_op *c = kv_ops_push(ops, KV_OP_VMM_CREATE, req);
    c->flags = flags;
    c->count = (uint32_t)f;
    c->bytes = pb;
    take_fresh(s, dst, f);
    dst += f;
    s->mapped += f;
  }
  /* map and set access for every new position, reclaimed or fresh */
  kv_op *m = kv_ops_push(ops, KV_OP_VMM_MAP, req);
  m->flags = flags;
  m->count = (uint32_t)k;
  m->bytes = pb;
  const uint32_t *src = s->scratch;
  for (uint32_t st = sl->steps; st < need; st++)
    for (uint32_t q = 0; q < nr; q++) {
      uint32_t *h = &sl->h[(size_t)st * nr + q];
      if (q >= s->nr_full && st < sl->lo) {
        *h = NO_HANDLE; /* behind the window: never mapped */
        continue;
      }
      *h = *src++;
      kv_ops_push_run(ops, m, *h, page_va(s, sl, st, q), pb);
    }
  kv_op *a = kv_ops_push(ops, KV_OP_VMM_SET_ACCESS, req);
  a->flags = flags;
  a->count = (uint32_t)k;
  a->bytes = pb;
  sl->steps = need;
  s->live_mapped += k;
}

/* Idle slot a new request of `need` steps should take: the one with the
 * fewest mapped steps that still covers need (least hoarding), else the one
 * with the most (fewest new maps); the most recent on ties. nidle > 0. */
static uint32_t pick_idle(const vm_state *s, uint32_t need) {
  uint32_t best = s->nidle - 1;
  for (uint32_t i = s->nidle; i-- > 0;) {
    uint32_t st = s->slots[s->idle[i]].steps;
    uint32_t bst = s->slots[s->idle[best]].steps;
    bool covers = st >= need, bcovers = bst >= need;
    if ((covers && (!bcovers || st < bst)) || (!covers && !bcovers && st > bst))
      best = i;
  }
  return best;
}

/* Give a free request `req` a slot holding enough steps for `tokens`, or
 * return KV_ENOMEM with nothing changed. */
static kv_status acquire(vm_state *s, uint32_t req, uint64_t tokens,
                         kv_op_list *ops, uint32_t *slot_out) {
  uint32_t need = steps_for(s, tokens), lo2 = lo_for(s, tokens);
  uint32_t pick = s->nidle ? pick_idle(s, need) : 0;
  uint32_t cur = s->nidle ? s->slots[s->idle[pick]].steps : 0;
  /* the slot's own steps are not available to itself; req owns no slot yet,
     so every live slot's spare is another's. An idle slot has lo 0. */
  vm_slot probe = {.steps = cur, .lo = 0};
  if (!fits(s, &probe, lo2, need, avail_reclaim(s, cur, 0))) return KV_ENOMEM;
  uint32_t si;
  if (s->nidle) {
    si = s->idle[pick];
    memmove(&s->idle[pick], &s->idle[pick + 1],
            (s->nidle - pick - 1) * sizeof *s->idle);
    s->nidle--;
    s->idle_steps -= cur;
    s->live_mapped += (uint64_t)cur * s->nranges;
  } else {
    si = s->nslots++;
    vm_slot *sl = &s->slots[si];
    sl->va = (uint64_t)si * s->slot_va;
    for (uint32_t q = 0; q < s->nranges; q++) {
      kv_op *op = kv_ops_push(ops, KV_OP_VMM_RESERVE, req);
      op->count = 1;
      op->addr = sl->va + q * s->range_bytes;
      op->bytes = s->range_bytes;
    }
  }
  s->slots[si].owner = req;
  trim(s, &s->slots[si], lo2, req, ops);
  map_to(s, si, need, 0, req, ops);
  s->spare_steps += s->slots[si].steps - need; /* kept from the idle slot */
  *slot_out = si;
  return KV_OK;
}

/* Background map-ahead for a live request: as many steps as the pool and
 * idle slots allow (never other live slots' spare). The steps are spare. */
static void map_ahead(vm_state *s, uint32_t req, uint64_t tokens,
                      kv_op_list *ops) {
  vm_slot *sl = &s->slots[s->reqs[req].slot];
  uint32_t want = ahead_steps(s, tokens);
  if (want <= sl->steps) return;
  uint64_t n = KV_MIN((uint64_t)(want - sl->steps), avail_ahead(s));
  map_to(s, s->reqs[req].slot, sl->steps + (uint32_t)n, KV_OPF_BACKGROUND, req,
         ops);
  s->spare_steps += n;
}

/* Change the token count of a live request r: the live sums follow. */
static void set_tokens(vm_state *s, vm_req *r, uint64_t tokens) {
  s->live_tokens = s->live_tokens - r->tokens + tokens;
  s->live_used = s->live_used - kv_strategy_used_bytes(&s->cfg, r->tokens) +
                 kv_strategy_used_bytes(&s->cfg, tokens);
  r->tokens = tokens;
}

static kv_status vm_reserve(void *state, uint32_t req, uint64_t tokens,
                            kv_op_list *ops) {
  vm_state *s = state;
  if (req >= s->cfg.max_requests) return KV_EINVAL;
  vm_req *r = &s->reqs[req];
  uint32_t lo2 = lo_for(s, tokens);
  if (r->state == REQ_LIVE) {
    uint32_t steps = s->slots[r->slot].steps;
    /* the last page may hold tokens past max_context: never hand them out */
    if (tokens <= steps * s->tpp && tokens <= s->max_tok &&
        lo2 == s->slots[r->slot].lo &&
        (s->cfg.map_ahead == 0 || ahead_steps(s, tokens) <= steps ||
         avail_ahead(s) == 0)) { /* fast path */
      /* steps unchanged: the spare moves by the change in need (both <=
         steps, so the unsigned sum stays exact) */
      s->spare_steps =
          s->spare_steps + steps_for(s, r->tokens) - steps_for(s, tokens);
      set_tokens(s, r, tokens);
      return KV_OK;
    }
  }
  if (r->state == REQ_SWAPPED) return KV_EINVAL; /* swap_in first */
  if (tokens > vm_max_request_tokens(s)) return KV_EINVAL;
  if (r->state == REQ_FREE) {
    uint32_t si;
    kv_status rc = acquire(s, req, tokens, ops, &si);
    if (rc != KV_OK) return rc;
    r->state = REQ_LIVE;
    r->slot = si;
    r->tokens = 0;
    s->nlive++;
  } else {
    vm_slot *sl = &s->slots[r->slot];
    /* shrinking below pages already unmapped behind the window: that KV is
       gone */
    if (lo2 < sl->lo) return KV_EINVAL;
    uint32_t need = steps_for(s, tokens);
    uint32_t own = sl->steps - steps_for(s, r->tokens); /* spare until now */
    if (!fits(s, sl, lo2, need, avail_reclaim(s, 0, own))) return KV_ENOMEM;
    trim(s, sl, lo2, req, ops);
    map_to(s, r->slot, need, 0, req, ops);
    s->spare_steps = s->spare_steps - own + (sl->steps - need);
  }
  set_tokens(s, r, tokens);
  if (s->cfg.map_ahead) map_ahead(s, req, tokens, ops);
  return KV_OK;
}

/* ---- reserve_need: the allocation above, replayed on counters ---- */

/* What an allocation changes that decides whether it fits and what it
 * takes: the free pool, the steps other slots may give (idle, live spare:
 * with the pool, stats().free + stats().reusable), one slot's steps and
 * window front. Which idle slot or live tail a reclaimed step comes from
 * changes none of these. */
typedef struct vm_sim {
  uint64_t free_top, idle_steps, spare_steps;
  uint32_t steps, lo;
} vm_sim;

/* Handles free for admission (stats().free + reusable, less the tail no
 * handle covers) in the pool and steps counts given. */
static uint64_t sim_avail(const vm_state *s, uint64_t free_top,
                          uint64_t idle_steps, uint64_t spare_steps) {
  uint64_t spare = s->cfg.deferred_reclaim ? spare_steps : 0;
  return free_top + (idle_steps + spare) * s->nranges;
}

/* fits() on the simulated pool. */
static bool sim_fits(const vm_state *s, const vm_sim *m, uint32_t lo2,
                     uint32_t need, uint64_t reclaimable) {
  vm_slot sl = {.steps = m->steps, .lo = m->lo};
  uint32_t hi = KV_MIN(lo2, sl.steps);
  uint64_t freed = hi > sl.lo ? (uint64_t)(hi - sl.lo) * s->nr_win : 0, f;
  sl.lo = KV_MAX(sl.lo, lo2);
  return reclaim_steps(s, map_demand(s, &sl, need), m->free_top + freed, &f) <=
         reclaimable;
}

/* trim(): the windowed pages below lo2 go back to the pool. */
static void sim_trim(const vm_state *s, vm_sim *m, uint32_t lo2) {
  uint32_t hi = KV_MIN(lo2, m->steps);
  if (s->nr_win && hi > m->lo) {
    uint64_t k = (uint64_t)(hi - m->lo) * s->nr_win;
    m->free_top += k;
  }
  if (lo2 > m->lo) m->lo = lo2;
}

/* map_to(): fresh handles are created (mapped + f); reclaimed steps move
 * handles already mapped, idle slots' first, then live slots' spare, and
 * their surplus is released. */
static void sim_map_to(const vm_state *s, vm_sim *m, uint32_t need) {
  if (need <= m->steps) return;
  vm_slot sl = {.steps = m->steps, .lo = m->lo};
  uint64_t k = map_demand(s, &sl, need), f;
  uint64_t reclaim = reclaim_steps(s, k, m->free_top, &f);
  m->steps = need;
  if (k == 0) return;
  if (reclaim > 0) {
    uint64_t idle = KV_MIN(reclaim, m->idle_steps);
    uint64_t surplus = f + reclaim * s->nranges - k;
    m->idle_steps -= idle;
    m->spare_steps -= reclaim - idle;
    m->free_top += surplus;
  }
  m->free_top -= f;
}

/* map_ahead(): what the pool and idle slots allow; the steps are spare. */
static void sim_map_ahead(const vm_state *s, vm_sim *m, uint64_t tokens) {
  if (!s->cfg.map_ahead) return;
  uint32_t want = ahead_steps(s, tokens);
  if (want <= m->steps) return;
  uint64_t n = KV_MIN((uint64_t)(want - m->steps),
                      m->free_top / s->nranges + m->idle_steps);
  sim_map_to(s, m, m->steps + (uint32_t)n);
  m->spare_steps += n;
}

/* acquire() from the real state: the idle slot pick_idle() chooses (or a
 * new, empty one), trimmed to the window and mapped to the steps `tokens`
 * need. false: KV_ENOMEM. */
static bool sim_acquire(const vm_state *s, vm_sim *m, uint64_t tokens) {
  uint32_t need = steps_for(s, tokens), lo2 = lo_for(s, tokens);
  *m = (vm_sim){.free_top = free_handles(s),
                .idle_steps = s->idle_steps,
                .spare_steps = s->spare_steps};
  if (s->nidle) {
    m->steps = s->slots[s->idle[pick_idle(s, need)]].steps;
    m->idle_steps -= m->steps;
  }
  uint64_t spare = s->cfg.deferred_reclaim ? m->spare_steps : 0;
  if (!sim_fits(s, m, lo2, need, m->idle_steps + spare)) return false;
  sim_trim(s, m, lo2);
  sim_map_to(s, m, need);
  m->spare_steps += m->steps - need;
  return true;
}

/* vm_reserve() from `cur` to `tokens` tokens of a live request whose slot
 * m describes. false: KV_EINVAL or KV_ENOMEM. */
static bool sim_reserve_live(const vm_state *s, vm_sim *m, uint64_t cur,
                             uint64_t tokens) {
  uint32_t lo2 = lo_for(s, tokens), need = steps_for(s, tokens);
  uint64_t avail = m->free_top / s->nranges + m->idle_steps;
  if (tokens <= m->steps * s->tpp && tokens <= s->max_tok && lo2 == m->lo &&
      (s->cfg.map_ahead == 0 || ahead_steps(s, tokens) <= m->steps ||
       avail == 0)) { /* the fast path */
    m->spare_steps = m->spare_steps + steps_for(s, cur) - need;
    return true;
  }
  if (tokens > s->max_tok || lo2 < m->lo) return false;
  uint64_t own = m->steps - steps_for(s, cur);
  uint64_t spare = s->cfg.deferred_reclaim ? m->spare_steps - own : 0;
  if (!sim_fits(s, m, lo2, need, m->idle_steps + spare)) return false;
  sim_trim(s, m, lo2);
  sim_map_to(s, m, need);
  m->spare_steps = m->spare_steps - own + (m->steps - need);
  sim_map_ahead(s, m, tokens);
  return true;
}

/* Net handles leaving the memory free for admission (the pool; with
 * deferred reclaim also idle slots' and live spare steps) as reserve (and
 * swap_in before it) would take them: every step the request comes to
 * need, fresh or reused (from the idle slot it takes too); steps mapped
 * ahead only without deferred reclaim (with it they stay reusable, as
 * spare); surplus and window pages released offset them. */
static uint64_t vm_reserve_need(const void *state, uint32_t req,
                                uint64_t tokens) {
  const vm_state *s = state;
  if (req >= s->cfg.max_requests) return UINT64_MAX;
  const vm_req *r = &s->reqs[req];
  vm_sim m;
  bool ok;
  if (r->state == REQ_LIVE) {
    const vm_slot *sl = &s->slots[r->slot];
    m = (vm_sim){free_handles(s), s->idle_steps, s->spare_steps, sl->steps,
                 sl->lo};
    ok = sim_reserve_live(s, &m, r->tokens, tokens);
  } else if (r->state == REQ_FREE) {
    ok = tokens <= s->max_tok && sim_acquire(s, &m, tokens);
    if (ok) sim_map_ahead(s, &m, tokens);
  } else { /* swap_in (no map-ahead), then reserve */
    ok = s->cfg.host_bytes > 0 && sim_acquire(s, &m, r->tokens) &&
         sim_reserve_live(s, &m, r->tokens, tokens);
  }
  if (!ok) return UINT64_MAX;
  uint64_t a0 = sim_avail(s, free_handles(s), s->idle_steps, s->spare_steps);
  uint64_t a1 = sim_avail(s, m.free_top, m.idle_steps, m.spare_steps);
  return a0 > a1 ? (a0 - a1) * s->cfg.page_bytes : 0;
}

/* Detach live request r from its slot; unmap unless reclaim is deferred
 * and the slot still maps every range from page 0 (its window never
 * moved). */
static void drop_slot(vm_state *s, uint32_t req, kv_op_list *ops) {
  vm_req *r = &s->reqs[req];
  vm_slot *sl = &s->slots[r->slot];
  uint64_t k = slot_handles(s, sl), n = (uint64_t)sl->steps * s->nranges;
  s->live_mapped -= k;
  s->spare_steps -= sl->steps - steps_for(s, r->tokens);
  if (s->cfg.deferred_reclaim && sl->lo == 0) {
    s->idle_steps += sl->steps;
  } else if (k > 0) {
    uint64_t pb = s->cfg.page_bytes;
    kv_op *u = kv_ops_push(ops, KV_OP_VMM_UNMAP, req);
    u->count = (uint32_t)k;
    u->bytes = pb;
    for (uint32_t st = 0; st < sl->steps; st++)
      for (uint32_t q = 0; q < s->nranges; q++)
        if (sl->h[(size_t)st * s->nranges + q] != NO_HANDLE)
          kv_ops_push_run(ops, u, sl->h[(size_t)st * s->nranges + q],
                          page_va(s, sl, st, q), pb);
    kv_op *rel = kv_ops_push(ops, KV_OP_VMM_RELEASE, req);
    rel->count = (uint32_t)k;
    rel->bytes = pb;
    for (uint64_t i = n; i-- > 0;) {
      if (sl->h[i] == NO_HANDLE) continue;
      kv_ops_push_run(ops, rel, sl->h[i], 0, pb);
      put_handle(s, sl->h[i]);
    }
    s->mapped -= k;
    sl->steps = 0;
  } else {
    sl->steps = 0;
  }
  sl->lo = 0;
  sl->owner = KV_NO_REQ;
  s->idle[s->nidle++] = r->slot;
  r->slot = NO_SLOT;
}

static void vm_release(void *state, uint32_t req, kv_op_list *ops) {
  vm_state *s = state;
  if (req >= s->cfg.max_requests) return;
  vm_req *r = &s->reqs[req];
  if (r->state == REQ_LIVE) {
    drop_slot(s, req, ops);
    s->nlive--;
    set_tokens(s, r, 0);
  } else if (r->state == REQ_SWAPPED) {
    kv_range_free(&s->host, r->host_off, r->host_len);
    s->nswapped--;
  }
  memset(r, 0, sizeof *r);
  r->slot = NO_SLOT;
}

/* One COPY of the live tokens in mapped pages (req_bytes): one run per
 * range of the slot; a windowed range's run starts at its page lo. */
static void push_copy(vm_state *s, uint32_t req, const vm_slot *sl,
                      kv_copy_dir dir, uint64_t hoff, uint64_t tokens,
                      kv_op_list *ops) {
  uint64_t per = tokens * s->range_tok;
  uint64_t lo_tok = (uint64_t)sl->lo * s->tpp;
  kv_op *op = kv_ops_push(ops, KV_OP_COPY, req);
  op->dir = (uint8_t)dir;
  op->via = (uint8_t)s->cfg.copy_via;
  op->count = s->nranges;
  op->bytes = req_bytes(s, tokens);
  uint64_t host = hoff;
  for (uint32_t q = 0; q < s->nranges; q++) {
    uint64_t dev = sl->va + q * s->range_bytes, len = per;
    if (q >= s->nr_full) {
      dev += (uint64_t)sl->lo * s->cfg.page_bytes;
      len = (tokens - lo_tok) * s->range_tok;
    }
    if (dir == KV_COPY_D2H)
      kv_ops_push_run(ops, op, dev, host, len);
    else
      kv_ops_push_run(ops, op, host, dev, len);
    host += len;
  }
}

/* Swap-out copies the live tokens to the host, then leaves the slot as
 * release does (unmapped, or idle-but-mapped and reclaimable when reclaim is
 * deferred). */
static kv_status vm_swap_out(void *state, uint32_t req, kv_op_list *ops) {
  vm_state *s = state;
  if (!kv_swap_usable(&s->cfg, req)) return KV_EINVAL;
  vm_req *r = &s->reqs[req];
  if (r->state != REQ_LIVE) return KV_EINVAL;
  uint64_t bytes = req_bytes(s, r->tokens), hoff;
  if (!kv_swap_host_take(&s->host, bytes, &hoff)) return KV_ENOMEM;
  if (bytes > 0)
    push_copy(s, req, &s->slots[r->slot], KV_COPY_D2H, hoff, r->tokens, ops);
  drop_slot(s, req, ops);
  r->state = REQ_SWAPPED;
  r->host_off = hoff;
  r->host_len = bytes;
  s->nlive--;
  s->nswapped++;
  s->live_tokens -= r->tokens;
  s->live_used -= kv_strategy_used_bytes(&s->cfg, r->tokens);
  return KV_OK;
}

static kv_status vm_swap_in(void *state, uint32_t req, kv_op_list *ops) {
  vm_state *s = state;
  if (!kv_swap_usable(&s->cfg, req)) return KV_EINVAL;
  vm_req *r = &s->reqs[req];
  if (r->state != REQ_SWAPPED) return KV_EINVAL;
  uint32_t si;
  kv_status rc = acquire(s, req, r->tokens, ops, &si);
  if (rc != KV_OK) return rc;
  if (r->host_len > 0)
    push_copy(s, req, &s->slots[si], KV_COPY_H2D, r->host_off, r->tokens, ops);
  kv_swap_host_give(&s->host, &r->host_off, &r->host_len);
  r->state = REQ_LIVE;
  r->slot = si;
  s->nswapped--;
  s->nlive++;
  s->live_tokens += r->tokens;
  s->live_used += kv_strategy_used_bytes(&s->cfg, r->tokens);
  return KV_OK;
}

static void vm_stats(const void *state, uint64_t next_tokens,
                     kv_mem_stats *out) {
  (void)next_tokens; /* any free page serves any request */
  const vm_state *s = state;
  uint64_t pb = s->cfg.page_bytes;
  memset(out, 0, sizeof *out);
  out->capacity = s->cfg.capacity_bytes;
  out->used = s->live_used; /* kv_strategy_used_bytes per request */
  out->backed = s->mapped * pb;
  out->allocated = s->live_mapped * pb;
  out->internal_frag = out->allocated - out->used;
  /* with a shared pool, what other models hold is not free here */
  out->free = s->cfg.pool ? free_handles(s) * pb : out->capacity - out->backed;
  /* what critical growth may reclaim: idle slots' and live spare steps */
  out->reusable = avail_reclaim(s, 0, 0) * s->nranges * pb;
  /* the tail no handle covers, and free handles short of a full step (a
   * growth step maps one page in each range; windowed ranges unmap pages
   * one by one, so the free count need not be a multiple of the ranges) */
  out->external_frag = out->capacity - (uint64_t)s->npages * pb +
                       (free_handles(s) % s->nranges) * pb;
  out->largest_free = free_handles(s) >= s->nranges ? pb : 0;
  out->reserved_va = (uint64_t)s->nslots * s->slot_va;
  out->metadata = META_PER_PAGE * s->mapped;
  out->host_used = s->host.capacity - s->host.free_bytes;
  out->live_requests = s->nlive;
  out->swapped_requests = s->nswapped;
}

/* The window front of slot si: lo <= steps, 0 without windowed ranges and
 * on an idle slot; the windowed ranges' entries below lo are NO_HANDLE. */
static kv_status check_front(const vm_state *s, uint32_t si, kv_error *err) {
  const vm_slot *sl = &s->slots[si];
  if (sl->lo > sl->steps || (sl->lo && !s->nr_win) ||
      (sl->lo && sl->owner == KV_NO_REQ))
    return kv_error_set(err, KV_EINTERNAL,
                        "vmm: slot %" PRIu32 " window front %" PRIu32
                        " with %" PRIu32 " steps (%s, %" PRIu32
                        " windowed ranges)",
                        si, sl->lo, sl->steps,
                        sl->owner == KV_NO_REQ ? "idle" : "live", s->nr_win);
  for (uint32_t st = 0; st < sl->lo; st++)
    for (uint32_t q = s->nr_full; q < s->nranges; q++)
      if (sl->h[(size_t)st * s->nranges + q] != NO_HANDLE)
        return kv_error_set(err, KV_EINTERNAL,
                            "vmm: slot %" PRIu32 " range %" PRIu32
                            " maps page %" PRIu32 " behind its window front "
                            "%" PRIu32,
                            si, q, st, sl->lo);
  return KV_OK;
}

/* ---- validity: one check per invariant written above vm_state, in two
 * cost tiers: O(1) checks of the stored counters first, then the walks
 * over handles, slots and requests that recompute them. ---- */

/* What the walks recompute. */
typedef struct vm_census {
  uint8_t *seen;      /* per handle: free or mapped once */
  uint8_t *slot_idle; /* per slot: on the idle stack */
  uint64_t mapped, live_mapped, idle_steps, spare, tokens, used, host;
  uint32_t nlive, nswapped;
} vm_census;

/* Tier 1: the stacks fit their arrays. O(1). */
static kv_status check_sizes(const vm_state *s, kv_error *err) {
  if (s->free_top <= s->npages && s->nslots <= s->cfg.max_requests &&
      s->nidle <= s->nslots)
    return KV_OK;
  return kv_error_set(err, KV_EINTERNAL,
                      "vmm: free_top %" PRIu32 " / nslots %" PRIu32
                      " / nidle %" PRIu32 " out of range",
                      s->free_top, s->nslots, s->nidle);
}

/* Tier 1: free + mapped handles = npages. O(1). */
static kv_status check_handle_conservation(const vm_state *s, kv_error *err) {
  if (s->cfg.pool) { /* shared pool: the model holds exactly what it maps */
    uint32_t held = s->cfg.pool->held[s->cfg.pool_model];
    if (s->free_top == 0 && s->mapped == held) return KV_OK;
    return kv_error_set(err, KV_EINTERNAL,
                        "vmm: model %" PRIu32 " maps %" PRIu64
                        " handles, the shared pool says it holds %" PRIu32
                        " (local free %" PRIu32 ")",
                        s->cfg.pool_model, s->mapped, held, s->free_top);
  }
  if (s->free_top + s->mapped == s->npages) return KV_OK;
  return kv_error_set(err, KV_EINTERNAL,
                      "vmm: free %" PRIu32 " + mapped %" PRIu64
                      " handles != %" PRIu32,
                      s->free_top, s->mapped, s->npages);
}

/* Tier 2: the free handle stack holds distinct handles < npages. */
static kv_status check_free_handles(const vm_state *s, vm_census *c,
                                    kv_error *err) {
  for (uint32_t i = 0; i < s->free_top; i++) {
    uint32_t h = s->free_stack[i];
    if (h >= s->npages || c->seen[h])
      return kv_error_set(
          err, KV_EINTERNAL,
          "vmm: free handle %" PRIu32 " is out of range or listed twice", h);
    c->seen[h] = 1;
  }
  return KV_OK;
}

/* Tier 2: the idle slot stack holds distinct slots < nslots. */
static kv_status check_idle_stack(const vm_state *s, vm_census *c,
                                  kv_error *err) {
  for (uint32_t i = 0; i < s->nidle; i++) {
    uint32_t si = s->idle[i];
    if (si >= s->nslots || c->slot_idle[si])
      return kv_error_set(
          err, KV_EINTERNAL,
          "vmm: idle slot %" PRIu32 " is out of range or listed twice", si);
    c->slot_idle[si] = 1;
  }
  return KV_OK;
}

/* Slot si sits at si * slot_va and maps at most pages_max steps. */
static kv_status check_slot_place(const vm_state *s, uint32_t si,
                                  kv_error *err) {
  const vm_slot *sl = &s->slots[si];
  if (sl->va != (uint64_t)si * s->slot_va)
    return kv_error_set(err, KV_EINTERNAL,
                        "vmm: slot %" PRIu32 " VA base %" PRIu64
                        " is not %" PRIu64 " (ranges would overlap)",
                        si, sl->va, (uint64_t)si * s->slot_va);
  if (sl->steps > s->pages_max || (sl->steps > 0 && sl->steps > sl->hcap))
    return kv_error_set(err, KV_EINTERNAL,
                        "vmm: slot %" PRIu32 " maps %" PRIu32
                        " pages per range (max %" PRIu32 ", table %" PRIu32 ")",
                        si, sl->steps, s->pages_max, sl->hcap);
  return KV_OK;
}

/* Every handle slot si maps is < npages, not free, mapped nowhere else. */
static kv_status check_slot_handles(const vm_state *s, uint32_t si,
                                    vm_census *c, kv_error *err) {
  const vm_slot *sl = &s->slots[si];
  uint32_t nr = s->nranges;
  for (uint64_t i = 0; i < (uint64_t)sl->steps * nr; i++) {
    uint32_t h = sl->h[i];
    if (h == NO_HANDLE && i / nr < sl->lo && i % nr >= s->nr_full) continue;
    if (h >= s->npages || c->seen[h])
      return kv_error_set(err, KV_EINTERNAL,
                          "vmm: handle %" PRIu32 " at slot %" PRIu32
                          " page %" PRIu64 " is out of range, free or mapped "
                          "twice",
                          h, si, i);
    c->seen[h] = 1;
  }
  return KV_OK;
}

/* An idle slot is on the idle stack and, without deferred_reclaim, maps
 * nothing; a live slot's owner is live and points back at it. */
static kv_status check_slot_owner(const vm_state *s, uint32_t si,
                                  const vm_census *c, kv_error *err) {
  const vm_slot *sl = &s->slots[si];
  uint32_t q = sl->owner;
  if (q == KV_NO_REQ && !c->slot_idle[si])
    return kv_error_set(err, KV_EINTERNAL,
                        "vmm: slot %" PRIu32 " has no owner but is not idle",
                        si);
  if (q == KV_NO_REQ && !s->cfg.deferred_reclaim && sl->steps)
    return kv_error_set(err, KV_EINTERNAL,
                        "vmm: idle slot %" PRIu32 " keeps %" PRIu32
                        " steps mapped without deferred_reclaim",
                        si, sl->steps);
  if (q != KV_NO_REQ && (c->slot_idle[si] || q >= s->cfg.max_requests ||
                         s->reqs[q].state != REQ_LIVE || s->reqs[q].slot != si))
    return kv_error_set(err, KV_EINTERNAL,
                        "vmm: slot %" PRIu32 " owner %" PRIu32
                        " does not point back at it",
                        si, q);
  return KV_OK;
}

/* Tier 2: every slot in use, placed, fronted, mapped and owned. */
static kv_status check_slots(const vm_state *s, vm_census *c, kv_error *err) {
  for (uint32_t si = 0; si < s->nslots; si++) {
    const vm_slot *sl = &s->slots[si];
    kv_status rc;
    if ((rc = check_slot_place(s, si, err)) != KV_OK ||
        (rc = check_front(s, si, err)) != KV_OK ||
        (rc = check_slot_handles(s, si, c, err)) != KV_OK ||
        (rc = check_slot_owner(s, si, c, err)) != KV_OK)
      return rc;
    c->mapped += slot_handles(s, sl);
    if (sl->owner == KV_NO_REQ)
      c->idle_steps += sl->steps;
    else
      c->live_mapped += slot_handles(s, sl);
  }
  return KV_OK;
}

/* Tier 2: every handle is free or mapped. */
static kv_status check_handles_placed(const vm_state *s, const vm_census *c,
                                      kv_error *err) {
  for (uint32_t h = 0; h < s->npages; h++) {
    if (s->cfg.pool) { /* mapped here iff the pool says this model owns it */
      bool mine = s->cfg.pool->owner[h] == s->cfg.pool_model;
      if (mine != (c->seen[h] != 0))
        return kv_error_set(err, KV_EINTERNAL,
                            "vmm: page %" PRIu32 " is %s here but %s model "
                            "%" PRIu32 "'s in the shared pool",
                            h, c->seen[h] ? "mapped" : "not mapped",
                            mine ? "is" : "is not", s->cfg.pool_model);
      continue;
    }
    if (!c->seen[h])
      return kv_error_set(err, KV_EINTERNAL,
                          "vmm: handle %" PRIu32 " is neither free nor mapped",
                          h);
  }
  return KV_OK;
}

/* A live request owns its slot, whose steps cover its tokens and whose
 * window front is lo_for(tokens). */
static kv_status check_live_request(const vm_state *s, uint32_t q, vm_census *c,
                                    kv_error *err) {
  const vm_req *r = &s->reqs[q];
  c->nlive++;
  c->tokens += r->tokens;
  c->used += kv_strategy_used_bytes(&s->cfg, r->tokens);
  if (r->slot >= s->nslots || s->slots[r->slot].owner != q)
    return kv_error_set(err, KV_EINTERNAL,
                        "vmm: live request %" PRIu32 " slot %" PRIu32
                        " is not its own",
                        q, r->slot);
  uint32_t steps = s->slots[r->slot].steps;
  if (steps_for(s, r->tokens) > steps)
    return kv_error_set(err, KV_EINTERNAL,
                        "vmm: request %" PRIu32 " has %" PRIu64
                        " tokens but %" PRIu32 " pages per range (its "
                        "spare was reclaimed below its need)",
                        q, r->tokens, steps);
  c->spare += steps - steps_for(s, r->tokens);
  if (s->slots[r->slot].lo != lo_for(s, r->tokens))
    return kv_error_set(
        err, KV_EINTERNAL,
        "vmm: request %" PRIu32 " has %" PRIu64
        " tokens but its window front is page %" PRIu32 " (want %" PRIu32 ")",
        q, r->tokens, s->slots[r->slot].lo, lo_for(s, r->tokens));
  return KV_OK;
}

/* A swapped request holds req_bytes(tokens) in the host tier. */
static kv_status check_swapped_request(const vm_state *s, uint32_t q,
                                       vm_census *c, kv_error *err) {
  const vm_req *r = &s->reqs[q];
  c->nswapped++;
  c->host += r->host_len;
  if (r->host_len == req_bytes(s, r->tokens)) return KV_OK;
  return kv_error_set(err, KV_EINTERNAL,
                      "vmm: swapped request %" PRIu32 " holds %" PRIu64
                      " host bytes for %" PRIu64 " tokens",
                      q, r->host_len, r->tokens);
}

/* Tier 2: every request. */
static kv_status check_requests(const vm_state *s, vm_census *c,
                                kv_error *err) {
  for (uint32_t q = 0; q < s->cfg.max_requests; q++) {
    uint8_t st = s->reqs[q].state;
    kv_status rc = st == REQ_LIVE      ? check_live_request(s, q, c, err)
                   : st == REQ_SWAPPED ? check_swapped_request(s, q, c, err)
                                       : KV_OK;
    if (rc != KV_OK) return rc;
  }
  return KV_OK;
}

/* Tier 2: the counters are the recomputed sums. */
static kv_status check_counters(const vm_state *s, const vm_census *c,
                                kv_error *err) {
  if (c->mapped == s->mapped && c->live_mapped == s->live_mapped &&
      c->idle_steps == s->idle_steps && c->spare == s->spare_steps &&
      c->nlive == s->nlive && c->nswapped == s->nswapped &&
      c->tokens == s->live_tokens && c->used == s->live_used)
    return KV_OK;
  return kv_error_set(
      err, KV_EINTERNAL,
      "vmm: counters mapped %" PRIu64 " live_mapped %" PRIu64
      " idle_steps %" PRIu64 " spare_steps %" PRIu64 " live %" PRIu32
      " swapped %" PRIu32 " tokens %" PRIu64 " used %" PRIu64
      " but recomputed %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu32
      " %" PRIu32 " %" PRIu64 " %" PRIu64,
      s->mapped, s->live_mapped, s->idle_steps, s->spare_steps, s->nlive,
      s->nswapped, s->live_tokens, s->live_used, c->mapped, c->live_mapped,
      c->idle_steps, c->spare, c->nlive, c->nswapped, c->tokens, c->used);
}

/* Tier 2: swapped requests' host ranges and the free list cover
 * host_bytes. */
static kv_status check_host_conservation(const vm_state *s, uint64_t host,
                                         kv_error *err) {
  if (host + s->host.free_bytes == s->host.capacity) return KV_OK;
  return kv_error_set(err, KV_EINTERNAL,
                      "vmm: host bytes held %" PRIu64 " + free %" PRIu64
                      " != host_bytes %" PRIu64,
                      host, s->host.free_bytes, s->host.capacity);
}

static kv_status vm_is_valid(const void *state, kv_error *err) {
  const vm_state *s = state;
  kv_status rc = kv_range_alloc_is_valid(&s->host, err);
  if (rc != KV_OK) return kv_error_prefix(err, "vmm host tier: ");
  if ((rc = check_sizes(s, err)) != KV_OK ||
      (rc = check_handle_conservation(s, err)) != KV_OK)
    return rc;
  vm_census c = {0};
  c.seen = kv_xcalloc(s->npages ? s->npages : 1, 1);
  c.slot_idle = kv_xcalloc(s->cfg.max_requests, 1);
  if ((rc = check_free_handles(s, &c, err)) == KV_OK &&
      (rc = check_idle_stack(s, &c, err)) == KV_OK &&
      (rc = check_slots(s, &c, err)) == KV_OK &&
      (rc = check_handles_placed(s, &c, err)) == KV_OK &&
      (rc = check_requests(s, &c, err)) == KV_OK &&
      (rc = check_counters(s, &c, err)) == KV_OK)
    rc = check_host_conservation(s, c.host, err);
  free(c.seen);
  free(c.slot_idle);
  return rc == KV_OK ? kv_error_set(err, KV_OK, NULL) : rc;
}

static const char *const vm_layout_names[] = {"per_layer", "all_layers", NULL};

static const kv_strategy_opt vm_options[] = {
    {"page_bytes", KV_OPT_U64, offsetof(kv_strategy_cfg, page_bytes),
     2ull << 20, 1, UINT64_MAX >> 2, NULL, "physical handle size, bytes", true},
    {"layout", KV_OPT_ENUM, offsetof(kv_strategy_cfg, vmm_layout),
     KV_VMM_PER_LAYER, 0, 0, vm_layout_names,
     "per_layer (one range per layer for K and V) or all_layers "
     "(megacache)",
     true},
    KV_STRATEGY_OPT_MAX_CONTEXT,
    {"map_ahead", KV_OPT_U32, offsetof(kv_strategy_cfg, map_ahead), 0, 0,
     UINT32_MAX, NULL, "tokens mapped ahead of need, in the background", true},
    {"deferred_reclaim", KV_OPT_BOOL,
     offsetof(kv_strategy_cfg, deferred_reclaim), false, 0, 1, NULL,
     "finished requests keep their pages mapped for the next", true},
    KV_STRATEGY_OPT_COPY_VIA,
    {NULL}};

static void vm_label(const kv_strategy_cfg *cfg, char *buf, size_t n) {
  char a[32];
  kv_strategy_compact_bytes(a, sizeof a, cfg->page_bytes);
  snprintf(buf, n, "vmm-%s-%s", a,
           cfg->vmm_layout == KV_VMM_ALL_LAYERS ? "all" : "layer");
}

/* Token t of a live request: slot base + range * range_bytes + t *
 * range_tok in every range (windowed ranges while t is in the window). */
static uint32_t vm_token_map(const void *state, uint32_t req, uint64_t token,
                             kv_extent *out, uint32_t max) {
  const vm_state *s = state;
  const vm_req *r = &s->reqs[req];
  if (r->state != REQ_LIVE || token >= r->tokens) return 0;
  const vm_slot *sl = &s->slots[r->slot];
  bool in_win = token + s->win >= r->tokens;
  uint32_t n = 0;
  for (uint32_t q = 0; q < s->nranges; q++) {
    if (q >= s->nr_full && !in_win) continue;
    if (n < max)
      out[n] = (kv_extent){sl->va + q * s->range_bytes + token * s->range_tok,
                           s->range_tok};
    n++;
  }
  return n;
}

const kv_strategy_vt kv_strategy_vmm = {
    .version = KV_STRATEGY_VT_VERSION,
    .name = "vmm",
    .summary = "contiguous virtual range per request, physical pages mapped "
               "on demand with the CUDA VMM API (vAttention)",
    /* no setup ops: VA is reserved per slot at its first use */
    .create = vm_create,
    /* unmaps and releases every mapped handle, frees every slot's VA */
    .destroy = vm_destroy,
    /* maps growth steps (create + map + set-access per page) when a page
       boundary is crossed; windowed ranges unmap + release the pages that
       fall behind the window; map-ahead steps are background ops; with
       deferred reclaim a dry pool is refilled by unmapping idle slots' steps,
       then (critical growth only) other live slots' spare steps */
    .reserve = vm_reserve,
    /* unmap + release now, or keep the pages mapped in the idle slot (only
       a slot whose window never moved) */
    .release = vm_release,
    /* one D2H copy with one run per range (of its mapped pages), then as
       release */
    .swap_out = vm_swap_out,
    /* a slot with mapped steps again, one H2D copy */
    .swap_in = vm_swap_in,
    /* external fragmentation = the tail no handle or full step covers */
    .stats = vm_stats,
    /* min(max_context, steps the whole pool can back x tokens per page);
       with windows, the tokens a request can grow to while its full ranges
       grow and its windowed ranges hold the window */
    .max_request_tokens = vm_max_request_tokens,
    /* handle ownership, slot ownership and VA layout, counters */
    .is_valid = vm_is_valid,
    .reserved = {NULL, NULL, NULL, NULL},
    /* no block-level tiering, no prefix sharing */
    .evict = NULL,
    .reload = NULL,
    .host_blocks = NULL,
    .compact = NULL,
    .tier_stats = NULL,
    .prefix_attach = NULL,
    .prefix_publish = NULL,
    /* handles swap_in and reserve (map-ahead included) would take from
       the pool and, with deferred reclaim, from the reusable steps, less
       the window pages and reclaimed surplus they release */
    .reserve_need = vm_reserve_need,
    /* page_bytes, layout, max_context, map_ahead, deferred_reclaim,
       copy_via */
    .options = vm_options,
    /* base + token * stride in the request's virtual range */
    .addr_mode = KV_ADDR_CONTIGUOUS,
    /* memory only through VMM ops */
    .pool = KV_POOL_NONE,
    /* "vmm-<page>-<layer|all>" */
    .label = vm_label,
    /* slot base + range + t * range_tok, in every range */
    .token_map = vm_token_map,
};
