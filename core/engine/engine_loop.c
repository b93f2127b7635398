/* engine_loop.c - the serving loop and the step's schedule. Arrivals join
 * the waiting queue (at their ready time, with schedule_ahead's cutoff);
 * each iteration schedules the running requests first, in admission
 * order, each reserving memory for its next tokens (preempting the newest,
 * or the policy's victim, when memory runs out; a shared pool first asks
 * the driver to reclaim), then admits waiting requests in order under the
 * token budget, max_num_seqs and the admission watermark (attaching their
 * cached prefix), prefetches and compacts, and executes the step; or it
 * waits for the next arrival, or says why the run is stuck. The livelock
 * guard and the engine's invariants (engine_is_valid) are checked here.
 * The schedule lives beside the loop that calls it, every step, so that
 * the compiler inlines it (as it did when the engine was one file).
 * Entry points: kv_engine_run, and for a driver that steps several engines
 * (multimodel.c) kv_engine_begin / kv_engine_advance / kv_engine_end and
 * the accessors after them.
 */
#include "engine_internal.h"

#include "mempool.h"

/* ---- the waiting queue, arrivals ---- */

void engine_wq_grow(engine *e) {
  size_t cap = e->wq_cap ? e->wq_cap * 2 : 256;
  uint32_t *q = kv_xmalloc(cap * sizeof *q);
  for (size_t i = 0; i < e->wq_len; i++)
    q[i] = e->wq[(e->wq_head + i) % e->wq_cap];
  free(e->wq);
  e->wq = q;
  e->wq_cap = cap;
  e->wq_head = 0;
}

/* Request id can never run: it leaves with reason `why`. */
static void reject(engine *e, uint32_t id, kv_reject_reason why) {
  e->reqs[id].state = RS_REJECTED;
  e->res->requests[id].rejected = (uint8_t)why;
  e->res->summary.rejected++;
  if (why == KV_REJECT_TOO_LONG) e->res->summary.rejected_too_long++;
  if (why == KV_REJECT_NO_FIT) e->res->summary.rejected_no_fit++;
  e->finished++;
}

/* The client gave up on every request not finished client_timeout seconds
 * after it arrived (kv_engine_cfg.client_timeout): the server aborts it
 * before its next step. A running or swapped request frees its memory (its
 * published prefix blocks stay cached, as any released request's); a
 * waiting one leaves the queue. Deadlines follow arrival order, so one
 * index walks them. */
static void abort_timed_out(engine *e, double t) {
  double timeout = e->cfg->client_timeout;
  if (!(timeout > 0)) return;
  const kv_request_spec *q = e->cfg->workload->reqs;
  size_t queued = 0;
  while (e->next_deadline < e->next_arrival &&
         q[e->next_deadline].arrival + timeout <= t) {
    uint32_t id = (uint32_t)e->next_deadline++;
    req *r = &e->reqs[id];
    if (r->state == RS_DONE || r->state == RS_REJECTED) continue;
    if (r->state == RS_RUNNING) {
      size_t i = 0;
      while (e->running[i] != id)
        i++;
      running_remove(e, i);
    } else {
      queued++;
    }
    if (r->state != RS_WAITING) e->vt->release(e->st, id, &e->ops);
    r->state = RS_TIMED_OUT;
    r->computed = 0;
    e->res->requests[id].rejected = KV_REJECT_TIMEOUT;
    e->res->summary.timed_out++;
    e->finished++;
  }
  if (!queued) return;
  size_t kept = 0;
  for (size_t k = 0; k < e->wq_len; k++) {
    uint32_t id = e->wq[(e->wq_head + k) % e->wq_cap];
    if (e->reqs[id].state != RS_TIMED_OUT)
      e->wq[(e->wq_head + kept++) % e->wq_cap] = id;
  }
  e->wq_len = kept;
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
static uint32_t schedule_running(engine *e, uint32_t budget, int *preempted,
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

static inline uint32_t bt_of(const engine *e) {
  return e->cfg->scfg.block_tokens;
}

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

/* held: seats of requests the last step completed that this step, scheduled
 * ahead, still holds (kv_overheads.late_release) */
static kv_status admit_waiting(engine *e, uint32_t budget, uint32_t held) {
  const kv_engine_cfg *cfg = e->cfg;
  size_t seats = cfg->max_num_seqs - KV_MIN(held, cfg->max_num_seqs);
  while (e->wq_len > 0 && budget > 0 && e->n_running < seats) {
    uint32_t id = wq_front(e);
    req *r = &e->reqs[id];
    bool yes;
    kv_status ps = engine_ask_admit(e, &yes);
    if (ps != KV_OK) return ps;
    if (!yes) break;
    int swapped_in = 0;
    uint64_t hit = 0;
    uint32_t loaded = 0; /* blocks the host's prefix copy brings back */
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
      /* the host's copy of the prefix cache may hold the next blocks
       * (not again for a request that loaded them for this admission) */
      if (e->off_on && hit % bt_of(e) == 0 && !r->loaded)
        loaded = engine_offload_lookup(e, (uint32_t)(hit / bt_of(e)), n);
      r->computed += loaded * bt_of(e);
    }
    uint32_t want = target_tokens(r) - r->computed;
    if (want > budget) want = budget;
    /* a request loading blocks from the host is admitted once they are in
     * (below), with room for its first step's tokens then */
    uint32_t next = want;
    if (loaded) want = 0;
    kv_status s = KV_ENOMEM;
    if (swapped_in || e->n_running == 0 ||
        headroom(e, id, (uint64_t)r->computed + next, hit))
      s = e->vt->reserve(e->st, id, (uint64_t)r->computed + want, &e->ops);
    if (s == KV_OK && loaded) {
      /* the blocks come in beside this step and join the device's cache;
       * the request waits at the head of the queue and is admitted from
       * that cache at the next step, as vLLM schedules a request once its
       * load is done (here the requests behind it wait too) */
      engine_offload_load(e, id, loaded);
      e->vt->prefix_publish(e->st, id, e->keys, e->fill,
                            r->computed / bt_of(e));
      e->vt->release(e->st, id, &e->ops);
      r->loaded = (uint16_t)KV_MIN(loaded, UINT16_MAX);
      r->computed = 0;
      break;
    }
    if (s == KV_ENOMEM && (hit || loaded)) {
      /* no room for the rest: let the prefix go back to the cache */
      e->vt->release(e->st, id, &e->ops);
      r->computed = 0;
      loaded = 0;
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
        reject(e, id, KV_REJECT_NO_FIT);
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
      /* the blocks it loaded from the host before are offload hits, not
       * the device's: its hit is counted less them */
      uint64_t lt = (uint64_t)r->loaded * bt_of(e);
      uint64_t own = hit > lt ? hit - lt : 0;
      e->tr->prefix_queried_tokens += queried;
      e->tr->prefix_hit_tokens += (double)own;
      engine_count_hit(e, own); /* e->keys still holds the keys attached */
    }
    r->loaded = 0;
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

/* ---- ahead of use: prefetch and compaction ---- */

/* Reload the evicted blocks of the first waiting requests ahead of use, as
 * background copies (nothing reads them this step). */
static kv_status prefetch(engine *e) {
  if (!e->tier || e->wq_len == 0) return KV_OK;
  uint32_t d = 0;
  if (e->pol->prefetch) {
    kv_policy_view v;
    engine_make_view(e, e->n_running, &v);
    e->tr->policy_calls++;
    if (e->pol->prefetch(e->pol->ud, &v, &d, e->err) != KV_OK)
      return engine_pol_error(e, "prefetch");
  }
  for (size_t i = 0; i < e->wq_len && i < d; i++) {
    uint32_t id = e->wq[(e->wq_head + i) % e->wq_cap];
    if (e->reqs[id].state != RS_SWAPPED || !e->vt->host_blocks(e->st, id))
      continue;
    size_t mark = e->ops.n;
    kv_status s = e->vt->reload(e->st, id, &e->ops);
    if (s == KV_ENOMEM) break;
    if (s != KV_OK)
      return kv_error_set(e->err, s, "request %u: prefetch reload failed", id);
    for (size_t k = mark; k < e->ops.n; k++)
      e->ops.ops[k].flags |= KV_OPF_BACKGROUND;
    e->tr->prefetches++;
  }
  return KV_OK;
}

/* Compaction when the policy asks for it; its copies are counted. */
static kv_status compact(engine *e) {
  if (!e->tier || !e->vt->compact) return KV_OK;
  uint64_t max = 0;
  kv_policy_view v;
  engine_make_view(e, e->n_running, &v);
  if (e->pol->compact) {
    e->tr->policy_calls++;
    if (e->pol->compact(e->pol->ud, &v, &max, e->err) != KV_OK)
      return engine_pol_error(e, "compact");
  } else {
    max = kv_policy_default_compact_blocks(&v.tier);
  }
  if (max == 0) return KV_OK;
  size_t mark = e->ops.n;
  uint64_t moved = e->vt->compact(e->st, max, &e->ops);
  if (!moved) return KV_OK;
  e->tr->compactions++;
  e->tr->compact_blocks += (double)moved;
  for (size_t k = mark; k < e->ops.n; k++)
    if (e->ops.ops[k].kind == KV_OP_COPY)
      e->tr->compact_bytes += (double)e->ops.ops[k].bytes;
  return KV_OK;
}

/* ---- the loop ---- */

/* A livelock guard: every request needs at most prompt + output tokens of
 * work, so a run in which no token is generated for this many consecutive
 * steps makes no progress (requests preempting each other forever). It
 * ends with an error instead of spinning. */
#define KV_STALL_STEPS 2000000u

static kv_status check_progress(engine *e) {
  const kv_summary *sum = &e->res->summary;
  if (sum->generated_tokens != e->last_generated) {
    e->last_generated = sum->generated_tokens;
    e->stalled = 0;
    return KV_OK;
  }
  if (++e->stalled < KV_STALL_STEPS) return KV_OK;
  return kv_error_set(
      e->err, KV_EINTERNAL,
      "no progress: %u steps without a generated token (step %.0f, %zu "
      "running, %zu waiting, %.0f preemptions): the scheduler is in a "
      "livelock",
      KV_STALL_STEPS, sum->steps, e->n_running, e->wq_len, sum->preemptions);
}

/* Check every invariant written above struct req, then the strategy's. */
static kv_status engine_is_valid(const engine *e) {
  size_t done = 0;
  uint8_t *seen = kv_xcalloc(e->n ? e->n : 1, 1);
  kv_status s = KV_OK;
#define BAD(...)                                                               \
  do {                                                                         \
    s = kv_error_set(e->err, KV_EINTERNAL, "engine invariant: " __VA_ARGS__);  \
    goto out;                                                                  \
  } while (0)
  if (e->n_running > e->cfg->max_num_seqs)
    BAD("%zu running > max_num_seqs %u", e->n_running, e->cfg->max_num_seqs);
  for (size_t i = 0; i < e->n_running; i++) {
    uint32_t id = e->running[i];
    if (id >= e->n || seen[id]++)
      BAD("running[%zu] = %u twice or out of range", i, id);
    if (e->reqs[id].state != RS_RUNNING)
      BAD("request %u in running[] is in state %u", id, e->reqs[id].state);
  }
  for (size_t k = 0; k < e->wq_len; k++) {
    uint32_t id = e->wq[(e->wq_head + k) % e->wq_cap];
    if (id >= e->n || seen[id]++) BAD("request %u queued twice or running", id);
    if (e->reqs[id].state != RS_WAITING && e->reqs[id].state != RS_SWAPPED)
      BAD("queued request %u is in state %u", id, e->reqs[id].state);
  }
  for (size_t id = 0; id < e->n; id++) {
    const req *r = &e->reqs[id];
    if (r->sched)
      BAD("request %zu keeps %u scheduled tokens between steps", id, r->sched);
    if (r->computed > target_tokens(r))
      BAD("request %zu: computed %u > prompt %u + generated %u", id,
          r->computed, r->prompt, r->generated);
    if (r->generated > r->output ||
        (r->generated == r->output && r->output && r->state != RS_DONE))
      BAD("request %zu: generated %u of %u in state %u", id, r->generated,
          r->output, r->state);
    if ((r->state == RS_FUTURE) != (id >= e->next_arrival))
      BAD("request %zu: state %u, next arrival %zu", id, r->state,
          e->next_arrival);
    if ((r->state == RS_RUNNING || r->state == RS_WAITING ||
         r->state == RS_SWAPPED) != (seen[id] != 0))
      BAD("request %zu in state %u is %s", id, r->state,
          seen[id] ? "queued or running" : "in no queue");
    if (r->state == RS_DONE || r->state == RS_REJECTED ||
        r->state == RS_TIMED_OUT)
      done++;
    if (r->state == RS_WAITING && r->computed && !e->prefix)
      BAD("request %zu waits with %u tokens computed", id, r->computed);
  }
  if (done != e->finished) BAD("finished %zu, counted %zu", e->finished, done);
  s = e->vt->is_valid(e->st, e->err);
out:
#undef BAD
  free(seen);
  return s;
}

/* Nothing runs, requests wait and none is left to arrive: say why. */
static kv_status stuck(engine *e) {
  kv_mem_stats ms;
  e->vt->stats(e->st, 0, &ms);
  uint32_t id = wq_front(e);
  const req *r = &e->reqs[id];
  char who[160];
  if (e->refused)
    snprintf(who, sizeof who, "policy %s, admit: refused request %u",
             e->pol->name, id);
  else
    snprintf(who, sizeof who, "strategy %s: could not place request %u",
             e->vt->name, id);
  return kv_error_set(
      e->err, KV_EINTERNAL,
      "%s while nothing runs and no request is left to arrive, so the run "
      "can never progress (t=%.3f s, step %.0f; %zu waiting, head: %u "
      "prompt + %u output tokens, %u computed, %s; device %llu of %llu "
      "bytes free, %u requests hold memory)",
      who, now(e), e->res->summary.steps, e->wq_len, r->prompt, r->output,
      r->computed, r->state == RS_SWAPPED ? "swapped" : "not started",
      (unsigned long long)ms.free, (unsigned long long)ms.capacity,
      ms.live_requests);
}

/* When request i reaches the scheduler: its arrival plus the off-GPU time
 * a request takes before it (kv_overheads.request); with serial_intake
 * that time begins no earlier than the front end is done with the work it
 * was given before (engine_front_end_advance): for a request not given to
 * it yet, a lower bound (work that comes before it arrives can only delay
 * it). */
static double ready_at(const engine *e, size_t i) {
  double a = e->cfg->workload->reqs[i].arrival;
  if (!e->fe_ready) return a + e->cfg->overheads.request;
  if (i < e->fe_taken) return e->fe_ready[i];
  return KV_MAX(a, e->fe_free) + e->cfg->overheads.request;
}

void engine_front_end_advance(engine *e, double t) {
  const kv_request_spec *q = e->cfg->workload->reqs;
  double cost = e->cfg->overheads.request;
  while (e->fe_taken < e->n && q[e->fe_taken].arrival <= t) {
    e->fe_free = KV_MAX(e->fe_free, q[e->fe_taken].arrival) + cost;
    e->fe_ready[e->fe_taken++] = e->fe_free;
  }
}

/* The next request's ready time, kept in e->next_ready: it is set only
 * here, and reading it through cfg->workload each step cost a chain of
 * dependent loads (a cache miss after the other replicas' steps). Output
 * work folded in later (per_output) can only delay the request, so it is
 * a lower bound: admit_arrivals checks ready_at itself before taking. */
void engine_note_next_ready(engine *e) {
  e->next_ready =
      e->next_arrival < e->n ? ready_at(e, e->next_arrival) : INFINITY;
}

/* Whether the step that begins now was scheduled when the last one began
 * (schedule_ahead, vLLM's asynchronous scheduling): it follows that one back
 * to back and something runs. */
static bool scheduled_ahead(const engine *e) {
  return e->cfg->overheads.schedule_ahead && e->n_running > 0 &&
         e->step_end == now(e);
}

/* The latest ready time a request may have to join the step that begins
 * now: for a step scheduled ahead, the last step's start (only requests
 * ready by then join it); after an idle moment, or when nothing runs (the
 * scheduled step would be empty), now. */
static double admit_cutoff(const engine *e) {
  return scheduled_ahead(e) ? e->step_start : now(e);
}

static void admit_arrivals(engine *e, double t) {
  if (e->fe_ready) {
    engine_front_end_advance(e, t);
    engine_note_next_ready(e);
  }
  if (!(e->next_ready <= t)) return;
  while (e->next_arrival < e->n && ready_at(e, e->next_arrival) <= t) {
    uint32_t id = (uint32_t)e->next_arrival++;
    req *r = &e->reqs[id];
    /* max_model_len: the same rule for every strategy (kv_engine_run
     * checked that every other request fits the strategy) */
    if (e->res->requests[id].rejected == KV_REJECT_TOO_LONG) {
      e->res->requests[id].rejected = 0;
      reject(e, id, KV_REJECT_TOO_LONG);
      continue;
    }
    r->state = RS_WAITING;
    wq_push_back(e, id);
  }
  engine_note_next_ready(e);
}

/* Setup ops (pools, VA reservations) run before the first arrival. */
static kv_status engine_begin(engine *e) {
  const kv_workload *w = e->cfg->workload;
  kv_status s;
  if ((s = engine_execute(e, 0)) != KV_OK) return s;
  if (e->n) e->backend->vt->idle_until(e->backend, ready_at(e, 0));
  e->first_arrival = e->n ? w->reqs[0].arrival : 0;
  e->next_sample = e->first_arrival;
  e->next_progress = e->first_arrival;
  return KV_OK;
}

/* Nothing ran this iteration: flush the ops, then wait for the next
 * arrival, or, with none left, the run is stuck. */
static kv_status wait_or_stuck(engine *e) {
  kv_status s;
  if ((s = engine_execute(e, 0)) != KV_OK) return s;
  double next =
      e->next_arrival < e->n ? ready_at(e, e->next_arrival) : INFINITY;
  /* with a client timeout a waiting request leaves at its deadline */
  double timeout = e->cfg->client_timeout;
  if (timeout > 0 && e->next_deadline < e->next_arrival) {
    double d = e->cfg->workload->reqs[e->next_deadline].arrival + timeout;
    if (d < next) next = d > now(e) ? d : now(e);
  }
  if (next < INFINITY) {
    e->backend->vt->idle_until(e->backend, next);
    return KV_OK;
  }
  return stuck(e);
}

/* One iteration of the serving loop: a step, an idle wait, or a round of
 * rejections. *done: every request finished (engine_end comes next). */
static kv_status engine_iter(engine *e, bool *done) {
  const kv_engine_cfg *cfg = e->cfg;
  kv_status s;
  *done = e->finished >= e->n;
  if (*done) return KV_OK;
  if (cfg->interrupt && *cfg->interrupt)
    return kv_error_set(e->err, KV_EINTR, "interrupted at t=%.3f s", now(e));
  uint32_t held = e->cfg->overheads.late_release && scheduled_ahead(e)
                      ? e->last_completed
                      : 0;
  admit_arrivals(e, admit_cutoff(e));
  size_t finished = e->finished;
  abort_timed_out(e, now(e));
  if (e->n_running == 0 && e->wq_len == 0) {
    if (e->next_arrival >= e->n) return *done = true, KV_OK;
    /* flush pending releases, then idle until the next arrival */
    if ((s = engine_execute(e, 0)) != KV_OK) return s;
    e->backend->vt->idle_until(e->backend, ready_at(e, e->next_arrival));
    return KV_OK;
  }
  int preempted = 0;
  s = KV_OK;
  e->pool_wait = false;
  uint32_t budget = schedule_running(e, cfg->max_batch_tokens, &preempted, &s);
  if (s != KV_OK) return s;
  if (!preempted) {
    if ((s = admit_waiting(e, budget, held)) != KV_OK) return s;
  }
  /* no prefetch in a step that preempted: it would take back the room
   * the eviction just made */
  if (!preempted && (s = prefetch(e)) != KV_OK) return s;
  if ((s = compact(e)) != KV_OK) return s;
  if (e->n_running == 0) {
    if (e->finished != finished || e->wq_len == 0)
      return KV_OK; /* waiting requests were rejected: progress */
    /* nothing runs and nothing could be admitted: only time can change
     * that (a policy may wait for arrivals); with none left, the run is
     * stuck, unless other models hold the pages it waits for (the driver
     * steps them, then this engine again) */
    if (e->pool_wait) return engine_execute(e, 0);
    return wait_or_stuck(e);
  }
  e->next_busy = 0;
  e->step_start = now(e);
  if ((s = engine_execute(e, 1)) != KV_OK) return s;
  e->step_end = now(e);
  e->host_free = e->step_end - e->step_start - e->next_busy;
  if ((s = check_progress(e)) != KV_OK) return s;
  if (cfg->check_level >= 2 && (s = engine_is_valid(e)) != KV_OK)
    return kv_error_prefix(e->err, "step %.0f: ", e->res->summary.steps);
  if (cfg->progress && now(e) >= e->next_progress) {
    cfg->progress(cfg->progress_ud, now(e), e->finished, e->n);
    e->next_progress =
        now(e) + (cfg->progress_every > 0 ? cfg->progress_every : 10.0);
  }
  return KV_OK;
}

/* The last releases, then the end-of-run checks. */
static kv_status engine_end(engine *e) {
  const kv_engine_cfg *cfg = e->cfg;
  kv_status s;
  /* flush the last releases */
  if ((s = engine_execute(e, 0)) != KV_OK) return s;
  if (cfg->check_level >= 1) {
    if ((s = engine_is_valid(e)) != KV_OK)
      return kv_error_prefix(e->err, "end of run: ");
    kv_mem_stats ms;
    e->vt->stats(e->st, 0, &ms);
    if (ms.used != 0 || ms.live_requests != 0 || ms.swapped_requests != 0)
      return kv_error_set(e->err, KV_EINTERNAL,
                          "end of run: strategy %s still holds %llu bytes "
                          "for %u requests (%u swapped): a leak",
                          e->vt->name, (unsigned long long)ms.used,
                          ms.live_requests, ms.swapped_requests);
    if (e->vt->tier_stats) {
      kv_tier_stats ts;
      e->vt->tier_stats(e->st, &ts);
      if (ts.shared_refs != 0 || ts.host_blocks != 0)
        return kv_error_set(e->err, KV_EINTERNAL,
                            "end of run: strategy %s still holds %llu "
                            "references to shared blocks and %llu host "
                            "blocks: a leak",
                            e->vt->name, (unsigned long long)ts.shared_refs,
                            (unsigned long long)ts.host_blocks);
    }
  }
  return KV_OK;
}

static kv_status engine_loop(void *arg) {
  engine *e = arg;
  kv_status s = engine_begin(e);
  bool done = false;
  while (s == KV_OK && !done)
    s = engine_iter(e, &done);
  return s == KV_OK ? engine_end(e) : s;
}

kv_status kv_engine_run(const kv_engine_cfg *cfg, kv_result *out,
                        kv_error *err) {
  kv_engine *e;
  kv_status s = kv_engine_open(cfg, out, &e, err);
  if (s != KV_OK) return s;
  s = e->backend->vt->run(e->backend, engine_loop, e, err);
  return kv_engine_close(e, s);
}

/* ---- stepping from a driver ---- */

kv_status kv_engine_begin(kv_engine *e) {
  return engine_begin(e);
}

kv_status kv_engine_advance(kv_engine *e, bool *done) {
  return engine_iter(e, done);
}

kv_status kv_engine_end(kv_engine *e) {
  return engine_end(e);
}

double kv_engine_next_event(const kv_engine *e) {
  if (e->finished >= e->n) return INFINITY;
  if (kv_engine_busy(e)) return now(e);
  if (e->next_arrival < e->n) return ready_at(e, e->next_arrival);
  return now(e);
}

bool kv_engine_busy(const kv_engine *e) {
  return e->n_running > 0 || e->wq_len > 0 ||
         (e->next_arrival < e->n && ready_at(e, e->next_arrival) <= now(e));
}

bool kv_engine_pool_wait(const kv_engine *e) {
  return e->pool_wait;
}

void kv_engine_pool_wake(kv_engine *e) {
  e->pool_wait = false;
}

size_t kv_engine_running(const kv_engine *e) {
  return e->n_running;
}

void kv_engine_mem(const kv_engine *e, kv_mem_stats *ms) {
  e->vt->stats(e->st, 0, ms);
}

kv_backend *kv_engine_backend(const kv_engine *e) {
  return e->backend;
}

bool kv_engine_preempt_newest(kv_engine *e, kv_status *s) {
  *s = KV_OK;
  if (e->n_running == 0) return false;
  uint32_t victim;
  *s = engine_preempt_one(e, e->n_running - 1, &victim);
  return *s == KV_OK;
}

kv_status kv_engine_is_valid(const kv_engine *e) {
  return engine_is_valid(e);
}
