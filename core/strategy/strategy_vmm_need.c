/* strategy_vmm_need.c - reserve_need of the vmm strategy: the handles a
 * reserve (and the swap-in before it) would take from the memory free
 * for admission, found by replaying the allocation of
 * strategy_vmm_map.c on counters only (nothing is mapped or queued).
 * State and invariants: strategy_vmm.h.
 *
 * Main entry point: vmm_reserve_need().
 */
#include "strategy_vmm.h"

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

/* vmm_fits() on the simulated pool. */
static bool sim_fits(const vm_state *s, const vm_sim *m, uint32_t lo2,
                     uint32_t need, uint64_t reclaimable) {
  vm_slot sl = {.steps = m->steps, .lo = m->lo};
  return vmm_fits(s, &sl, lo2, need, m->free_top, reclaimable);
}

/* vmm_trim(): the windowed pages below lo2 go back to the pool. */
static void sim_trim(const vm_state *s, vm_sim *m, uint32_t lo2) {
  uint32_t hi = KV_MIN(lo2, m->steps);
  if (s->nr_win && hi > m->lo) {
    uint64_t k = (uint64_t)(hi - m->lo) * s->nr_win;
    m->free_top += k;
  }
  if (lo2 > m->lo) m->lo = lo2;
}

/* vmm_map_to(): fresh handles are created (mapped + f); reclaimed steps move
 * handles already mapped, idle slots' first, then live slots' spare, and
 * their surplus is released. */
static void sim_map_to(const vm_state *s, vm_sim *m, uint32_t need) {
  if (need <= m->steps) return;
  vm_slot sl = {.steps = m->steps, .lo = m->lo};
  uint64_t k = vmm_map_demand(s, &sl, need), f;
  uint64_t reclaim = vmm_reclaim_steps(s, k, m->free_top, &f);
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

/* vmm_map_ahead(): what the pool and idle slots allow; the steps are spare. */
static void sim_map_ahead(const vm_state *s, vm_sim *m, uint64_t tokens) {
  if (!s->cfg.map_ahead) return;
  uint32_t want = ahead_steps(s, tokens);
  if (want <= m->steps) return;
  uint64_t n = KV_MIN((uint64_t)(want - m->steps),
                      m->free_top / s->nranges + m->idle_steps);
  sim_map_to(s, m, m->steps + (uint32_t)n);
  m->spare_steps += n;
}

/* vmm_acquire() from the real state: the idle slot vmm_pick_idle() chooses (or
 * a new, empty one), trimmed to the window and mapped to the steps `tokens`
 * need. false: KV_ENOMEM. */
static bool sim_acquire(const vm_state *s, vm_sim *m, uint64_t tokens) {
  uint32_t need = steps_for(s, tokens), lo2 = lo_for(s, tokens);
  *m = (vm_sim){.free_top = free_handles(s),
                .idle_steps = s->idle_steps,
                .spare_steps = s->spare_steps};
  if (s->nidle) {
    m->steps = s->slots[s->idle[vmm_pick_idle(s, need)]].steps;
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
uint64_t vmm_reserve_need(const void *state, uint32_t req, uint64_t tokens) {
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
