/* strategy_vmm.h - private to the vmm strategy (strategy_vmm*.c):
 * vAttention-style KV placement with the CUDA VMM API.
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
 * The strategy in four files, by concern:
 * - strategy_vmm.c: the vtable kv_strategy_vmm and the request
 *   lifecycle: create / destroy, reserve, release, swap, stats, options,
 *   label, token map;
 * - strategy_vmm_map.c: the physical side: handles taken from and given
 *   back to the pool, growth steps mapped into a slot, idle and spare
 *   steps reclaimed, window pages trimmed, slots acquired and dropped,
 *   map-ahead;
 * - strategy_vmm_need.c: reserve_need, the allocation of
 *   strategy_vmm_map.c replayed on counters;
 * - strategy_vmm_check.c: is_valid, one check per invariant written
 *   above vm_state, in cost tiers.
 *
 * Main entry point: the vtable kv_strategy_vmm (strategy.h). The
 * functions below are shared by those files only.
 */
#ifndef KV_STRATEGY_VMM_H
#define KV_STRATEGY_VMM_H

#include "mempool.h"
#include "range_alloc.h"
#include "strategy.h"
#include "util.h"

#include <stdbool.h>
#include <stdint.h>

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

/* Invariants (checked by vmm_is_valid, strategy_vmm_check.c):
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

/* ---- small helpers ---- */

/* Pages of a windowed range entirely behind the window of `tokens`. */
static inline uint32_t lo_for(const vm_state *s, uint64_t tokens) {
  if (!s->nr_win || tokens <= s->win) return 0;
  return (uint32_t)((tokens - s->win) / s->tpp);
}

/* Handles free to map: the local free stack, plus with a shared pool
 * (cfg.pool: several models on one GPU) the pool's free pages, which the
 * model takes as it creates handles (its free stack then stays empty). */
static inline uint64_t free_handles(const vm_state *s) {
  return s->free_top + (s->cfg.pool ? kv_mempool_free_pages(s->cfg.pool) : 0);
}

/* Handles slot sl maps. */
static inline uint64_t slot_handles(const vm_state *s, const vm_slot *sl) {
  return (uint64_t)sl->steps * s->nranges -
         (uint64_t)KV_MIN(sl->lo, sl->steps) * s->nr_win;
}

/* Bytes of a request of `tokens` tokens that its mapped pages hold (what a
 * swap moves): every token in full ranges, tokens from page lo on in
 * windowed ones. */
static inline uint64_t req_bytes(const vm_state *s, uint64_t tokens) {
  uint64_t w = tokens - (uint64_t)lo_for(s, tokens) * s->tpp;
  return (tokens * s->nr_full + w * s->nr_win) * s->range_tok;
}

/* VA of page `step` of range `range` in slot sl. */
static inline uint64_t page_va(const vm_state *s, const vm_slot *sl,
                               uint32_t step, uint32_t range) {
  return sl->va + range * s->range_bytes + (uint64_t)step * s->cfg.page_bytes;
}

/* Steps map-ahead (background) may still map: fresh handles and idle
 * slots' steps. Live slots' spare steps are not offered to it, else running
 * requests would take each other's map-ahead pages in turn. */
static inline uint64_t avail_ahead(const vm_state *s) {
  return free_handles(s) / s->nranges + s->idle_steps;
}

/* Steps a critical need (admission, swap-in, growth) may take from other
 * slots, besides the free pool: idle slots' steps but the `own_idle` of the
 * slot it is taking, plus, with deferred reclaim, the spare steps of live
 * slots other than the requester's, whose own spare is `own_spare`. */
static inline uint64_t avail_reclaim(const vm_state *s, uint64_t own_idle,
                                     uint64_t own_spare) {
  uint64_t n = s->idle_steps - own_idle;
  if (s->cfg.deferred_reclaim) n += s->spare_steps - own_spare;
  return n;
}

/* Steps that cover `tokens`. */
static inline uint32_t steps_for(const vm_state *s, uint64_t tokens) {
  return (uint32_t)KV_DIV_CEIL(tokens, s->tpp);
}

/* Steps map-ahead wants for `tokens` (capped by context and pool). */
static inline uint32_t ahead_steps(const vm_state *s, uint64_t tokens) {
  uint64_t t = KV_MIN(tokens + s->cfg.map_ahead, (uint64_t)s->cfg.max_context);
  return KV_MIN(steps_for(s, t), s->max_steps);
}

/* ---- strategy_vmm_map.c: handles, growth steps, slots ---- */

/* A released handle goes back to the free stack, or to the shared pool. */
void vmm_put_handle(vm_state *s, uint32_t h);

/* Handles a mapping into slot sl up to `need` steps takes: every full range
 * from steps on, every windowed range from max(steps, lo) on. */
uint64_t vmm_map_demand(const vm_state *s, const vm_slot *sl, uint32_t need);

/* How d handles are found while `fresh` are not created yet: *f fresh ones
 * plus the returned number of whole steps reclaimed from idle slots or
 * spare tails (the rule is at its definition). */
uint64_t vmm_reclaim_steps(const vm_state *s, uint64_t d, uint64_t fresh,
                           uint64_t *f);

/* Whether slot sl can be trimmed to window front lo2 and mapped up to
 * `need` steps when `fresh` handles are free to create (free_handles(), or
 * reserve_need's simulated pool) and `reclaimable` steps may be taken from
 * other slots. */
bool vmm_fits(const vm_state *s, const vm_slot *sl, uint32_t lo2, uint32_t need,
              uint64_t fresh, uint64_t reclaimable);

/* Unmap and release the pages of live slot sl's windowed ranges below
 * lo2; sl->lo becomes at least lo2. */
void vmm_trim(vm_state *s, vm_slot *sl, uint32_t lo2, uint32_t req,
              kv_op_list *ops);

/* Map live slot `si` of request req up to `need` steps; the caller checked
 * vmm_fits() (critical) or avail_ahead() (background). */
void vmm_map_to(vm_state *s, uint32_t si, uint32_t need, uint8_t flags,
                uint32_t req, kv_op_list *ops);

/* Idle slot (index into s->idle) a new request of `need` steps should
 * take. nidle > 0. */
uint32_t vmm_pick_idle(const vm_state *s, uint32_t need);

/* Give a free request `req` a slot holding enough steps for `tokens`, or
 * return KV_ENOMEM with nothing changed. */
kv_status vmm_acquire(vm_state *s, uint32_t req, uint64_t tokens,
                      kv_op_list *ops, uint32_t *slot_out);

/* Background map-ahead for live request req at `tokens` tokens. */
void vmm_map_ahead(vm_state *s, uint32_t req, uint64_t tokens, kv_op_list *ops);

/* Detach live request req from its slot (unmapped, or kept mapped and idle
 * under deferred reclaim). */
void vmm_drop_slot(vm_state *s, uint32_t req, kv_op_list *ops);

/* ---- strategy_vmm_need.c, strategy_vmm_check.c: vtable entries ---- */

/* .reserve_need: bytes reserve(req, tokens) (after a swap-in when req is
 * swapped) would take from the memory free for admission; UINT64_MAX when
 * it would fail. */
uint64_t vmm_reserve_need(const void *state, uint32_t req, uint64_t tokens);

/* .is_valid: every invariant above vm_state. */
kv_status vmm_is_valid(const void *state, kv_error *err);

#endif
