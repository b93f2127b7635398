/* engine_preempt.c - preemption and swap: a running request is preempted
 * (recomputed, swapped whole to the host tier, or with tiering its blocks
 * evicted), a paused one brought back (swap-in or reload) or dropped, and
 * the policy's calls that steer it (victim, admit) with the view they
 * see (engine_loop.c's prefetch and compaction build it here too).
 * Entry points: engine_preempt_one, engine_drop_paused, engine_resume,
 * engine_ask_admit, engine_make_view, engine_pol_error.
 */
#include "engine_internal.h"

/* ---- policy calls ---- */

enum { VIEW_WAITING_MAX = 32 }; /* waiting requests a view shows */

static kv_policy_req *pv_room(engine *e, size_t n) {
  if (n > e->pv_cap) {
    e->pv_cap = n * 2;
    e->pv = kv_xrealloc(e->pv, e->pv_cap * sizeof *e->pv);
  }
  return e->pv;
}

static void pv_fill(const engine *e, kv_policy_req *out, uint32_t id) {
  const req *r = &e->reqs[id];
  *out = (kv_policy_req){
      .id = id,
      .prompt = r->prompt,
      .output = r->output,
      .generated = r->generated,
      .computed = r->computed,
      .host_blocks = e->vt->host_blocks ? e->vt->host_blocks(e->st, id) : 0,
      .last_step = r->last_step,
      .admit_step = r->admit_step,
      .arrival = e->cfg->workload->reqs[id].arrival,
  };
}

/* View with candidates running[from..n_running) and the waiting head. */
void engine_make_view(engine *e, size_t from, kv_policy_view *v) {
  memset(v, 0, sizeof *v);
  v->step = (uint64_t)e->res->summary.steps;
  v->now = now(e);
  e->vt->stats(e->st, 0, &v->mem);
  if (e->vt->tier_stats) e->vt->tier_stats(e->st, &v->tier);
  size_t nc = from < e->n_running ? e->n_running - from : 0;
  size_t nw = KV_MIN(e->wq_len, (size_t)VIEW_WAITING_MAX);
  kv_policy_req *p = pv_room(e, nc + nw + 1);
  for (size_t i = 0; i < nc; i++)
    pv_fill(e, &p[i], e->running[from + i]);
  for (size_t i = 0; i < nw; i++)
    pv_fill(e, &p[nc + i], e->wq[(e->wq_head + i) % e->wq_cap]);
  v->cand = p;
  v->n_cand = nc;
  v->waiting = p + nc;
  v->n_waiting = nw;
}

kv_status engine_pol_error(engine *e, const char *what) {
  return kv_error_prefix(e->err, "policy %s, %s: ", e->pol->name, what);
}

/* Index in running[] of the request to preempt, candidates from `from`. */
static kv_status pick_victim(engine *e, size_t from, size_t *idx) {
  *idx = e->n_running - 1; /* the newest (vLLM) */
  if (!e->tier) return KV_OK;
  kv_policy_view v;
  engine_make_view(e, from, &v);
  size_t k = 0;
  e->tr->policy_calls++;
  if (!e->pol->evict) {
    k = kv_policy_lru_victim(&v);
  } else {
    kv_status s = e->pol->evict(e->pol->ud, &v, &k, e->err);
    if (s != KV_OK) return engine_pol_error(e, "evict");
  }
  if (k >= v.n_cand)
    return kv_error_set(e->err, KV_EINVAL,
                        "policy %s, evict: chose candidate %zu but there are "
                        "only %zu (0-based in C, 1-based in Lua)",
                        e->pol->name, k, v.n_cand);
  *idx = from + k;
  return KV_OK;
}

/* Preempt one running request at index >= from (the newest, or the
 * policy's choice with tiering). Returns its id in *out. */
kv_status engine_preempt_one(engine *e, size_t from, uint32_t *out) {
  size_t idx;
  kv_status ps = pick_victim(e, from, &idx);
  if (ps != KV_OK) return ps;
  uint32_t victim = e->running[idx];
  running_remove(e, idx);
  *out = victim;
  req *r = &e->reqs[victim];
  e->res->summary.preemptions++;
  e->res->requests[victim].preemptions++;
  int swapped = 0;
  if (e->tier && r->computed > 0) {
    /* blocks to the host tier; the table keeps them, tagged */
    if (e->vt->reserve(e->st, victim, r->computed, &e->ops) == KV_OK &&
        e->vt->evict(e->st, victim, &e->ops) == KV_OK) {
      swapped = 1;
      e->res->summary.swaps_out++;
      e->tr->evictions++;
    }
  } else if (e->cfg->preempt == KV_PREEMPT_SWAP && e->vt->swap_out &&
             r->computed > 0) {
    /* the KV written so far goes to the host tier; this step's
     * reservation beyond `computed` is dropped with it */
    if (e->vt->reserve(e->st, victim, r->computed, &e->ops) == KV_OK &&
        e->vt->swap_out(e->st, victim, &e->ops) == KV_OK) {
      swapped = 1;
      e->res->summary.swaps_out++;
    }
  }
  if (!swapped) {
    e->vt->release(e->st, victim, &e->ops);
    r->computed = 0; /* recompute: prompt and generated tokens again */
    r->state = RS_WAITING;
  } else {
    r->state = RS_SWAPPED;
  }
  r->sched = 0;
  wq_push_front(e, victim);
  return KV_OK;
}

/* Paused (swapped or evicted) requests may still hold device memory: with
 * prefix sharing their published prefix blocks stay on the device. When the
 * only request left to preempt is the one that needs to grow, that memory
 * would never come back and the engine would evict and reload the same
 * request forever. Drop the newest paused request instead (its KV is
 * recomputed when it runs again). Returns true when one was dropped. */
bool engine_drop_paused(engine *e) {
  /* without tiering or prefix sharing, a paused request holds no device
   * memory: dropping it would only throw its host copy away */
  if (!e->tier && !e->prefix) return false;
  for (size_t k = e->wq_len; k-- > 0;) {
    uint32_t id = e->wq[(e->wq_head + k) % e->wq_cap];
    req *r = &e->reqs[id];
    if (r->state != RS_SWAPPED) continue;
    e->vt->release(e->st, id, &e->ops);
    r->computed = 0;
    r->state = RS_WAITING;
    e->res->summary.paused_dropped++;
    return true;
  }
  return false;
}

/* Bring a preempted request back: swap_in, or with tiering a reload of its
 * evicted blocks. */
kv_status engine_resume(engine *e, uint32_t id) {
  if (!e->tier) return e->vt->swap_in(e->st, id, &e->ops);
  uint32_t hb = e->vt->host_blocks(e->st, id);
  kv_status s = e->vt->reload(e->st, id, &e->ops);
  if (s == KV_OK && hb) e->tr->reloads++;
  return s;
}

kv_status engine_ask_admit(engine *e, bool *yes) {
  *yes = true;
  e->refused = false;
  if (!e->tier || !e->pol->admit) return KV_OK;
  kv_policy_view v;
  engine_make_view(e, 0, &v); /* candidates: the running requests */
  e->tr->policy_calls++;
  if (e->pol->admit(e->pol->ud, &v, yes, e->err) != KV_OK)
    return engine_pol_error(e, "admit");
  if (!*yes) {
    e->tr->admit_refusals++;
    e->refused = true;
  }
  return KV_OK;
}
