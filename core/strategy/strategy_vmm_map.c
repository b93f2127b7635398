/* strategy_vmm_map.c - the physical side of the vmm strategy: handles
 * taken from and given back to the pool (local free stack or shared
 * mempool), growth steps mapped into a slot, idle slots' steps and live
 * slots' spare steps reclaimed when the pool runs dry, windowed pages
 * trimmed, slots acquired and dropped, map-ahead. Every change is queued
 * as VMM ops (CREATE, MAP, SET_ACCESS, UNMAP, RELEASE, RESERVE).
 * State and invariants: strategy_vmm.h.
 *
 * Main entry points: vmm_acquire(), vmm_map_to(), vmm_map_ahead(),
 * vmm_trim(), vmm_drop_slot().
 */
#include "strategy_vmm.h"

#include <string.h>

/* A released handle goes back to the free stack, or to the shared pool. */
void vmm_put_handle(vm_state *s, uint32_t h) {
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
uint64_t vmm_map_demand(const vm_state *s, const vm_slot *sl, uint32_t need) {
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
uint64_t vmm_reclaim_steps(const vm_state *s, uint64_t d, uint64_t fresh,
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
 * `need` steps when `fresh` handles are free to create and `reclaimable`
 * steps may be taken from other slots (the trimmed handles return to the
 * pool first). */
bool vmm_fits(const vm_state *s, const vm_slot *sl, uint32_t lo2, uint32_t need,
              uint64_t fresh, uint64_t reclaimable) {
  vm_slot after = *sl;
  uint32_t hi = KV_MIN(lo2, sl->steps);
  uint64_t freed = hi > sl->lo ? (uint64_t)(hi - sl->lo) * s->nr_win : 0;
  after.lo = KV_MAX(sl->lo, lo2);
  uint64_t f;
  return vmm_reclaim_steps(s, vmm_map_demand(s, &after, need), fresh + freed,
                           &f) <= reclaimable;
}

/* Unmap and release the pages of slot sl's windowed ranges below lo2 (they
 * lie behind the window): one UNMAP and one RELEASE, handles back to the
 * pool. sl belongs to a live request (live_mapped counts its handles). */
void vmm_trim(vm_state *s, vm_slot *sl, uint32_t lo2, uint32_t req,
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
        vmm_put_handle(s, *h);
        *h = NO_HANDLE;
      }
    s->mapped -= k;
    s->live_mapped -= k;
  }
  if (lo2 > sl->lo) sl->lo = lo2;
}

/* Map live slot `si` of request req up to `need` steps (every full range
 * from steps on, every windowed range from max(steps, lo) on). The caller
 * checked vmm_fits() (critical) or that the steps fit avail_ahead()
 * (background, which therefore never reaches live slots). Fresh handles
 * come from the free pool (created first); when it runs dry, whole steps
 * are taken from idle slots, then from the spare tails of other live slots
 * (unmapped there, still created). */
void vmm_map_to(vm_state *s, uint32_t si, uint32_t need, uint8_t flags,
                uint32_t req, kv_op_list *ops) {
  vm_slot *sl = &s->slots[si];
  if (need <= sl->steps) return;
  uint32_t nr = s->nranges;
  uint64_t k = vmm_map_demand(s, sl, need), f;
  uint64_t reclaim = vmm_reclaim_steps(s, k, free_handles(s), &f);
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
        vmm_put_handle(s, h);
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
uint32_t vmm_pick_idle(const vm_state *s, uint32_t need) {
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
kv_status vmm_acquire(vm_state *s, uint32_t req, uint64_t tokens,
                      kv_op_list *ops, uint32_t *slot_out) {
  uint32_t need = steps_for(s, tokens), lo2 = lo_for(s, tokens);
  uint32_t pick = s->nidle ? vmm_pick_idle(s, need) : 0;
  uint32_t cur = s->nidle ? s->slots[s->idle[pick]].steps : 0;
  /* the slot's own steps are not available to itself; req owns no slot yet,
     so every live slot's spare is another's. An idle slot has lo 0. */
  vm_slot probe = {.steps = cur, .lo = 0};
  if (!vmm_fits(s, &probe, lo2, need, free_handles(s),
                avail_reclaim(s, cur, 0)))
    return KV_ENOMEM;
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
  vmm_trim(s, &s->slots[si], lo2, req, ops);
  vmm_map_to(s, si, need, 0, req, ops);
  s->spare_steps += s->slots[si].steps - need; /* kept from the idle slot */
  *slot_out = si;
  return KV_OK;
}

/* Background map-ahead for a live request: as many steps as the pool and
 * idle slots allow (never other live slots' spare). The steps are spare. */
void vmm_map_ahead(vm_state *s, uint32_t req, uint64_t tokens,
                   kv_op_list *ops) {
  vm_slot *sl = &s->slots[s->reqs[req].slot];
  uint32_t want = ahead_steps(s, tokens);
  if (want <= sl->steps) return;
  uint64_t n = KV_MIN((uint64_t)(want - sl->steps), avail_ahead(s));
  vmm_map_to(s, s->reqs[req].slot, sl->steps + (uint32_t)n, KV_OPF_BACKGROUND,
             req, ops);
  s->spare_steps += n;
}

/* Detach live request r from its slot; unmap unless reclaim is deferred
 * and the slot still maps every range from page 0 (its window never
 * moved). */
void vmm_drop_slot(vm_state *s, uint32_t req, kv_op_list *ops) {
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
      vmm_put_handle(s, sl->h[i]);
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
