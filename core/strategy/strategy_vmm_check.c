/* strategy_vmm_check.c - is_valid of the vmm strategy: one check per
 * invariant written above vm_state (strategy_vmm.h), in two cost tiers:
 * O(1) checks of the stored counters first, then the walks over handles,
 * slots and requests that recompute them.
 *
 * Main entry point: vmm_is_valid().
 */
#include "strategy_vmm.h"

#include <inttypes.h>
#include <stdlib.h>

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

kv_status vmm_is_valid(const void *state, kv_error *err) {
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
