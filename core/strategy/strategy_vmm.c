/* strategy_vmm.c - vAttention-style KV placement with the CUDA VMM API:
 * a contiguous VA slot per request, physical pages mapped into it on
 * demand. This file holds the vtable and the request lifecycle
 * (create / destroy, reserve, release, swap, stats, options, label,
 * token map); the design, the state and its invariants are in
 * strategy_vmm.h, the mapping of growth steps in strategy_vmm_map.c.
 *
 * Main entry point: the vtable kv_strategy_vmm.
 */
#include "strategy_vmm.h"

#include "swap_host.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

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
      if (sl->h[k] != NO_HANDLE) vmm_put_handle(s, sl->h[k]); /* back to pool */
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
    kv_status rc = vmm_acquire(s, req, tokens, ops, &si);
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
    if (!vmm_fits(s, sl, lo2, need, free_handles(s), avail_reclaim(s, 0, own)))
      return KV_ENOMEM;
    vmm_trim(s, sl, lo2, req, ops);
    vmm_map_to(s, r->slot, need, 0, req, ops);
    s->spare_steps = s->spare_steps - own + (sl->steps - need);
  }
  set_tokens(s, r, tokens);
  if (s->cfg.map_ahead) vmm_map_ahead(s, req, tokens, ops);
  return KV_OK;
}

static void vm_release(void *state, uint32_t req, kv_op_list *ops) {
  vm_state *s = state;
  if (req >= s->cfg.max_requests) return;
  vm_req *r = &s->reqs[req];
  if (r->state == REQ_LIVE) {
    vmm_drop_slot(s, req, ops);
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
  vmm_drop_slot(s, req, ops);
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
  kv_status rc = vmm_acquire(s, req, r->tokens, ops, &si);
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
    .is_valid = vmm_is_valid,
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
    .reserve_need = vmm_reserve_need,
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
