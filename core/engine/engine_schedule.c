/* engine_schedule.c - the step's schedule: running requests first, in
 * admission order, each reserving memory for its next tokens (preempting
 * the newest, or the policy's victim, when memory runs out; a shared pool
 * first asks the driver to reclaim), then waiting requests admitted in
 * order under the token budget, max_num_seqs and the admission watermark,
 * attaching their cached prefix.
 * Entry points: engine_schedule_running, engine_admit_waiting,
 * engine_reject.
 */
#include "engine_internal.h"

#include "mempool.h"

/* Request id can never run: it leaves with reason `why`. */
void engine_reject(engine *e, uint32_t id, kv_reject_reason why) {
  e->reqs[id].state = RS_REJECTED;
  e->res->requests[id].rejected = (uint8_t)why;
  e->res->summary.rejected++;
  if (why == KV_REJECT_TOO_LONG) e->res->summary.rejected_too_long++;
  if (why == KV_REJECT_NO_FIT) e->res->summary.rejected_no_fit++;
  e->finished++;
}

/* ---- memory for the running requests ---- */

/* Other models hold pages of the strategy's shared pool (then a request
 * that does not fit now may fit later). */
static bool others_hold_pool(const engine *e) {
  const kv_mempool *p = e->scfg->pool;
  if (!p) return false;
  return kv_mempool_free_pages(p) + p->held[e->scfg->pool_model] < p->total;
}

/* The strategy's shared pool is full: ask the driver (cfg.reclaim) to free
 * memory in another model. true: it did, try again; *st gets its error. */
static bool pool_reclaim(engine *e, kv_status *st) {
  if (!e->cfg->reclaim) return false;
  bool freed = false;
  *st = e->cfg->reclaim(e->cfg->reclaim_ud, &freed, e->err);
  return *st == KV_OK && freed;
}

/* Schedule running requests. Returns the token budget left and sets
 * *preempted when memory ran out; *status gets a policy error. */
uint32_t engine_schedule_running(engine *e, uint32_t budget, int *preempted,
                                 kv_status *status) {
  for (size_t i = 0; i < e->n_running && budget > 0; i++) {
    uint32_t id = e->running[i];
    req *r = &e->reqs[id];
    uint32_t want = target_tokens(r) - r->computed;
    if (want > budget) want = budget;
    if (want == 0) continue;
    for (;;) {
      kv_status s =
          e->vt->reserve(e->st, id, (uint64_t)r->computed + want, &e->ops);
      if (s == KV_OK) {
        r->sched = want;
        budget -= want;
        break;
      }
      if (s != KV_ENOMEM) {
        /* the run checked every in-limit request against the strategy's
         * bound before it started: refusing one now would make this
         * strategy serve another workload than the others */
        *status = kv_error_set(
            e->err, KV_EINTERNAL,
            "strategy %s refused request %u at %llu tokens (its bound: %llu "
            "tokens, max context %u): the strategy and the engine disagree",
            e->vt->name, id, (unsigned long long)r->computed + want,
            (unsigned long long)e->max_req_tok, e->max_ctx);
        return 0;
      }
      /* a shared pool: the driver may free memory in another model */
      if (pool_reclaim(e, status)) continue;
      if (*status != KV_OK) return 0;
      /* alone: free what paused requests hold before preempting itself */
      if (i + 1 == e->n_running && engine_drop_paused(e)) continue;
      *preempted = 1;
      uint32_t victim;
      if ((*status = engine_preempt_one(e, i, &victim)) != KV_OK) return 0;
      if (victim == id) { /* it was the newest itself */
        i--;              /* the next request moved into slot i */
        break;
      }
    }
  }
  return budget;
}

/* ---- admission ---- */

/* The admission watermark (vLLM keeps one): request id is admitted or
 * resumed at `tokens` tokens only when the device memory free for admission
 * (kv_mem_stats free + reusable) covers what that takes and cfg.watermark
 * of the capacity to spare, so that the
 * running requests can still grow. What it takes is the strategy's own
 * count (reserve_need: its pages, blocks, reservation, swap-in or reload,
 * exactly); a strategy without one is estimated in readable bytes
 * (kv_strategy_used_bytes) of `tokens` less `on_device` already there (a
 * cached prefix), which undercounts larger units. */
static bool headroom(engine *e, uint32_t id, uint64_t tokens,
                     uint64_t on_device) {
  if (e->cfg->watermark <= 0) return true;
  /* the watermark protects running requests' growth: none to protect when
   * they never grow (static) */
  double wm =
      e->vt->version >= 3 && e->vt->fixed_reservation ? 0.0 : e->cfg->watermark;
  kv_mem_stats ms;
  e->vt->stats(e->st, 0, &ms);
  double need;
  if (e->vt->version >= 3 && e->vt->reserve_need)
    need = (double)e->vt->reserve_need(e->st, id, tokens);
  else
    need = (double)kv_strategy_used_bytes(e->scfg, tokens) -
           (double)kv_strategy_used_bytes(e->scfg, on_device);
  /* pages the strategy keeps for reuse (vmm's deferred reclaim) are
   * backed but theirs to hand out: free for admission */
  double avail = (double)ms.free + (double)ms.reusable;
  return avail >= need + wm * (double)ms.capacity;
}

kv_status engine_admit_waiting(engine *e, uint32_t budget) {
  const kv_engine_cfg *cfg = e->cfg;
  while (e->wq_len > 0 && budget > 0 && e->n_running < cfg->max_num_seqs) {
    uint32_t id = wq_front(e);
    req *r = &e->reqs[id];
    bool yes;
    kv_status ps = engine_ask_admit(e, &yes);
    if (ps != KV_OK) return ps;
    if (!yes) break;
    int swapped_in = 0;
    uint64_t hit = 0;
    if (r->state == RS_SWAPPED) {
      /* back only with headroom: its KV and its next tokens must fit with
       * the watermark to spare, or it would be paused again at once */
      uint32_t next = KV_MIN(target_tokens(r) - r->computed, budget);
      if (e->n_running > 0 && !headroom(e, id, (uint64_t)r->computed + next, 0))
        break;
      kv_status s = engine_resume(e, id);
      if (s == KV_ENOMEM && e->n_running > 0) break;
      if (s == KV_ENOMEM) {
        /* alone and still no room to bring it back: recompute instead */
        e->vt->release(e->st, id, &e->ops);
        r->computed = 0;
        r->state = RS_WAITING;
      } else if (s != KV_OK) {
        return kv_error_set(e->err, s, "request %u: swap-in failed", id);
      } else {
        swapped_in = 1;
      }
    }
    /* a truncated prompt lost its first tokens: its prefix hashes no longer
     * describe it */
    bool keyed = e->prefix && !e->res->requests[id].truncated;
    uint32_t queried = r->prompt;
    if (keyed && r->state == RS_WAITING && r->computed == 0) {
      /* the last prompt token is always computed (it yields the logits);
       * with output blocks keyed, a request recomputed after preemption
       * looks up its generated tokens too (vLLM: all its tokens) */
      uint32_t n;
      if (gen_keyed(e, id)) {
        queried = target_tokens(r);
        n = engine_gen_keys(e, id, queried - 1);
      } else {
        n = engine_req_keys(e, id, r->prompt - 1);
      }
      hit =
          n ? e->vt->prefix_attach(e->st, id, e->keys, e->fill, n, &e->ops) : 0;
      r->computed = (uint32_t)hit;
    }
    uint32_t want = target_tokens(r) - r->computed;
    if (want > budget) want = budget;
    kv_status s = KV_ENOMEM;
    if (swapped_in || e->n_running == 0 ||
        headroom(e, id, (uint64_t)r->computed + want, hit))
      s = e->vt->reserve(e->st, id, (uint64_t)r->computed + want, &e->ops);
    if (s == KV_ENOMEM && hit) {
      /* no room for the rest: let the prefix go back to the cache */
      e->vt->release(e->st, id, &e->ops);
      r->computed = 0;
    }
    if (s == KV_ENOMEM && swapped_in) {
      /* its KV is back on the device: run it from the next step */
      wq_pop_front(e);
      r->state = RS_RUNNING;
      r->sched = 0;
      r->admit_step = (uint64_t)e->res->summary.steps;
      e->running[e->n_running++] = id;
      break;
    }
    /* admission preempts nothing (as vLLM), unless nothing runs here: with
     * a shared pool other models may hold it all, and this model could
     * never start */
    kv_status rs = KV_OK;
    if (s == KV_ENOMEM && !hit && e->n_running == 0 && pool_reclaim(e, &rs))
      continue; /* another model gave memory back: try again */
    if (rs != KV_OK) return rs;
    if (s == KV_ENOMEM) {
      if (e->n_running == 0 && r->computed == 0 && others_hold_pool(e)) {
        e->pool_wait = true; /* other models will give pages back */
        break;
      }
      if (e->n_running == 0 && r->computed == 0) {
        /* alone on the GPU and still no room: it can never run */
        wq_pop_front(e);
        engine_reject(e, id, KV_REJECT_NO_FIT);
        continue;
      }
      break;
    }
    wq_pop_front(e);
    if (s != KV_OK) {
      e->vt->release(e->st, id, &e->ops);
      return kv_error_set(e->err, KV_EINTERNAL,
                          "strategy %s refused to admit request %u (%u "
                          "tokens; its bound: %llu tokens, max context %u): "
                          "the strategy and the engine disagree",
                          e->vt->name, id, r->computed + want,
                          (unsigned long long)e->max_req_tok, e->max_ctx);
    }
    if (e->prefix && r->state == RS_WAITING) {
      e->tr->prefix_queried_tokens += queried;
      e->tr->prefix_hit_tokens += (double)hit;
      engine_count_hit(e, hit); /* e->keys still holds the keys attached */
    }
    r->state = RS_RUNNING;
    r->sched = want;
    r->admit_step = (uint64_t)e->res->summary.steps;
    if (!r->admitted) {
      r->admitted = 1;
      e->step_admits++;
    }
    budget -= want;
    e->running[e->n_running++] = id;
  }
  return KV_OK;
}
