/* engine.c - continuous batching in the style of vLLM V1 (see engine.h).
 *
 * One step:
 *   1. arrivals up to now join the waiting queue (FCFS);
 *   2. running requests are scheduled first, in admission order: each asks
 *      the strategy for memory for its next tokens (a decode token, or the
 *      next prefill chunk under the step's token budget); when memory runs
 *      out the newest running request is preempted (recompute, or swap to
 *      the host tier) until the allocation fits;
 *   3. if nothing was preempted, waiting requests are admitted in order
 *      while memory, the token budget and max_num_seqs allow;
 *   4. the step's ops and compute, with the engine's CPU time for the step
 *      (cfg.overheads, on the COMPUTE op), go to the backend, which
 *      advances time;
 *   5. computed tokens are committed: a request whose known tokens are all
 *      computed samples its next token; finished requests release memory.
 * Metrics are accumulated per step (metrics.h defines each one).
 *
 * Tiering (cfg.tier): the preemption victim is chosen by the policy
 * (policy.h) and its private blocks are evicted to the host tier (the copy
 * and the table update are queued ahead of the work that reuses the
 * slots); resuming reloads them; the first waiting requests are reloaded
 * ahead of use as background copies (prefetch); compaction moves blocks
 * when the policy says so. Every scheduled request's attention read is an
 * ATTN_READ op placed after any copy that brings its blocks in.
 * Prefix sharing (cfg.prefix_sharing): a fresh request attaches the cached
 * blocks of its prompt prefix (found by the workload's hash ids) and skips
 * their prefill; computed prompt blocks are published for later requests.
 * With cfg.prefix_generated (vLLM's behaviour) a request whose workload
 * names the blocks its output completes (kv_request_spec.gen_n: synthetic
 * multi-turn conversations) also publishes each of those blocks once its
 * tokens are all computed, so the next turn, whose prompt repeats them,
 * attaches them.
 * Main entry point: kv_engine_run().
 */
#include "engine.h"

#include "mempool.h"
#include "util.h"

#include <math.h>
#include <string.h>

typedef enum req_state {
  RS_FUTURE,   /* not arrived yet */
  RS_WAITING,  /* in the waiting queue, holds no device memory */
  RS_SWAPPED,  /* in the waiting queue, KV in the host tier */
  RS_RUNNING,  /* holds device memory, scheduled every step */
  RS_DONE,     /* generated all its tokens */
  RS_REJECTED, /* can never fit */
} req_state;

/* Invariants (checked by engine_is_valid): computed <= prompt + generated;
 * generated < output unless DONE (generated = output = 0 for a prefill-only
 * request); sched == 0 between steps; a RUNNING request is in `running`, a
 * WAITING/SWAPPED one in the waiting queue, each exactly once; FUTURE ones
 * have not arrived (index >= next_arrival), every other one has; `finished`
 * counts DONE + REJECTED; n_running <= max_num_seqs. */
typedef struct req {
  uint32_t prompt, output; /* prompt after truncation (long_prompt) */
  uint32_t generated;      /* tokens sampled so far */
  uint32_t computed;       /* tokens whose KV is in the cache */
  uint32_t sched;          /* tokens scheduled in the current step */
  uint8_t state;
  uint8_t admitted;    /* admitted once (kv_overheads.admit was charged) */
  uint64_t last_step;  /* last step it computed tokens (policy view) */
  uint64_t admit_step; /* step it was last admitted or resumed */
} req;

struct kv_engine {
  const kv_engine_cfg *cfg;
  kv_backend *backend;
  const kv_strategy_vt *vt;
  void *st;
  kv_op_list ops;
  kv_error *err;
  kv_result *res;

  req *reqs;
  size_t n;
  size_t next_arrival;   /* index of the next request to arrive */
  double next_ready;     /* ready_at(next_arrival), or INFINITY when none is
                            left (admit_arrivals tests it every step) */
  double last_generated; /* generated_tokens when progress was last seen */
  uint64_t stalled;      /* compute steps since a token was generated */
  bool refused;          /* the policy refused the last admission asked */
  double step_start;     /* when the last compute step began, and ended */
  double step_end;       /* (kv_overheads.schedule_ahead; -1 before one) */

  uint32_t *running; /* request ids in admission order */
  size_t n_running;
  uint32_t *wq; /* waiting queue: ring buffer of request ids */
  size_t wq_head, wq_len, wq_cap;

  uint64_t bpt;                /* KV bytes per token per GPU */
  uint64_t max_req_tok;        /* strategy bound on one request */
  uint32_t max_ctx;            /* the run's max context (max_model_len) */
  uint64_t bpt_full, bpt_win;  /* per GPU, full-attention / windowed layers */
  uint32_t window;             /* sliding window, tokens (0 = none) */
  const kv_strategy_cfg *scfg; /* the strategy's resolved configuration */
  size_t finished;             /* DONE + REJECTED */
  kv_addr_mode mode;           /* how attention addresses the cache */
  uint32_t step_admits;        /* first admissions in the step being built */
  uint32_t step_done;          /* requests the step being executed completes */

  /* accumulators (time-weighted by step duration) */
  double w_time, w_util_time, w_util, w_used, w_backed, w_int, w_ext;
  double batch_sum;
  double first_arrival;
  double next_sample;
  double next_progress;

  /* tiering and prefix sharing */
  bool tier, prefix;
  const kv_policy *pol;
  kv_tier_result *tr;
  kv_policy_req *pv; /* view scratch */
  size_t pv_cap;
  uint64_t *keys; /* prefix keys scratch */
  uint32_t *fill;
  size_t keys_cap;
  uint32_t *ids; /* one request's hash ids, decoded (req_ids) */
  size_t ids_cap;
  bool gen;           /* publish blocks the output completes (gen ids) */
  uint8_t *gen_bits;  /* bitmap of hash ids that name output blocks */
  uint64_t gen_nbits; /* ids below this have a bit */

  bool pool_wait; /* nothing runs and the queue's head waits for pages other
                     models hold in the shared pool (scfg.pool) */
  kv_strategy_cfg scfg_own; /* the resolved strategy configuration */
  kv_backend *own_backend;  /* the ideal backend made when cfg has none */
};
typedef struct kv_engine engine;

/* ---- waiting queue ---- */

static void wq_grow(engine *e) {
  size_t cap = e->wq_cap ? e->wq_cap * 2 : 256;
  uint32_t *q = kv_xmalloc(cap * sizeof *q);
  for (size_t i = 0; i < e->wq_len; i++)
    q[i] = e->wq[(e->wq_head + i) % e->wq_cap];
  free(e->wq);
  e->wq = q;
  e->wq_cap = cap;
  e->wq_head = 0;
}

static void wq_push_back(engine *e, uint32_t id) {
  if (e->wq_len == e->wq_cap) wq_grow(e);
  e->wq[(e->wq_head + e->wq_len++) % e->wq_cap] = id;
}

static void wq_push_front(engine *e, uint32_t id) {
  if (e->wq_len == e->wq_cap) wq_grow(e);
  e->wq_head = (e->wq_head + e->wq_cap - 1) % e->wq_cap;
  e->wq[e->wq_head] = id;
  e->wq_len++;
}

static uint32_t wq_front(const engine *e) {
  return e->wq[e->wq_head];
}

static void wq_pop_front(engine *e) {
  e->wq_head = (e->wq_head + 1) % e->wq_cap;
  e->wq_len--;
}

/* ---- helpers ---- */

static double now(const engine *e) {
  return e->backend->vt->now(e->backend);
}

static uint32_t target_tokens(const req *r) {
  return r->prompt + r->generated;
}

static void reject(engine *e, uint32_t id, kv_reject_reason why) {
  e->reqs[id].state = RS_REJECTED;
  e->res->requests[id].rejected = (uint8_t)why;
  e->res->summary.rejected++;
  if (why == KV_REJECT_TOO_LONG) e->res->summary.rejected_too_long++;
  if (why == KV_REJECT_NO_FIT) e->res->summary.rejected_no_fit++;
  e->finished++;
}

/* KV tokens a request holds at its last step: every prompt token and every
 * output token but the last (whose KV is never written); a prefill-only
 * request holds its prompt. */
static uint64_t kv_need(uint32_t prompt, uint32_t output) {
  return output ? (uint64_t)prompt + output - 1 : prompt;
}

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
static void make_view(engine *e, size_t from, kv_policy_view *v) {
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

static kv_status pol_error(engine *e, const char *what) {
  return kv_error_prefix(e->err, "policy %s, %s: ", e->pol->name, what);
}

/* Index in running[] of the request to preempt, candidates from `from`. */
static kv_status pick_victim(engine *e, size_t from, size_t *idx) {
  *idx = e->n_running - 1; /* the newest (vLLM) */
  if (!e->tier) return KV_OK;
  kv_policy_view v;
  make_view(e, from, &v);
  size_t k = 0;
  e->tr->policy_calls++;
  if (!e->pol->evict) {
    k = kv_policy_lru_victim(&v);
  } else {
    kv_status s = e->pol->evict(e->pol->ud, &v, &k, e->err);
    if (s != KV_OK) return pol_error(e, "evict");
  }
  if (k >= v.n_cand)
    return kv_error_set(e->err, KV_EINVAL,
                        "policy %s, evict: chose candidate %zu but there are "
                        "only %zu (0-based in C, 1-based in Lua)",
                        e->pol->name, k, v.n_cand);
  *idx = from + k;
  return KV_OK;
}

/* ---- prefix keys ---- */

static void keys_room(engine *e, uint32_t n);

/* Request id's hash ids (hash_n prompt ids, then gen_n output ids), decoded
 * from the workload's compact storage into e->ids. */
static const uint32_t *req_ids(engine *e, uint32_t id) {
  const kv_request_spec *q = &e->cfg->workload->reqs[id];
  size_t n = (size_t)q->hash_n + q->gen_n;
  if (n > e->ids_cap) {
    e->ids_cap = 2 * n;
    e->ids = kv_xrealloc(e->ids, e->ids_cap * sizeof *e->ids);
  }
  kv_workload_ids(e->cfg->workload, id, e->ids);
  return e->ids;
}

/* Keys and fills of req id's blocks over its first `limit` prompt tokens
 * that the workload's hash ids cover. Returns the number of blocks. */
static uint32_t req_keys(engine *e, uint32_t id, uint32_t limit) {
  const kv_workload *w = e->cfg->workload;
  const kv_request_spec *q = &w->reqs[id];
  uint32_t bt = e->cfg->scfg.block_tokens, hb = w->hash_block_tokens;
  uint64_t covered = KV_MIN((uint64_t)q->hash_n * hb, (uint64_t)limit);
  uint32_t n = (uint32_t)KV_DIV_CEIL(covered, bt);
  keys_room(e, n);
  const uint32_t *ids = n ? req_ids(e, id) : NULL;
  for (uint32_t j = 0; j < n; j++) {
    uint64_t t0 = (uint64_t)j * bt;
    uint32_t h = ids[t0 / hb];
    e->keys[j] = (((uint64_t)h + 1) << 16) | ((t0 % hb) / bt);
    e->fill[j] = (uint32_t)KV_MIN((uint64_t)bt, covered - t0);
  }
  return n;
}

static void keys_room(engine *e, uint32_t n) {
  if (n > e->keys_cap) {
    e->keys_cap = n * 2;
    e->keys = kv_xrealloc(e->keys, e->keys_cap * sizeof *e->keys);
    e->fill = kv_xrealloc(e->fill, e->keys_cap * sizeof *e->fill);
  }
}

/* Whether request id publishes and looks up the blocks its output
 * completes. */
static bool gen_keyed(const engine *e, uint32_t id) {
  return e->gen && e->cfg->workload->reqs[id].gen_n > 0;
}

/* Keys and fills of req id's blocks over its first `limit` tokens, prompt
 * then generated, for a request whose workload names its output blocks
 * (gen_keyed): the prompt's whole hash blocks by its prompt ids (the last
 * block may be partial when limit ends inside them), then only FULL blocks
 * of the hash blocks the output completes, by their output ids, as vLLM
 * hashes full blocks only. The block holding the end of the prompt is one
 * of those: it is published (and found) once full, never partial. */
static uint32_t gen_keys(engine *e, uint32_t id, uint32_t limit) {
  const kv_workload *w = e->cfg->workload;
  const kv_request_spec *q = &w->reqs[id];
  uint32_t bt = e->cfg->scfg.block_tokens, hb = w->hash_block_tokens;
  uint64_t pw = (uint64_t)(q->prompt / hb) * hb; /* whole prompt blocks */
  uint64_t end = pw + (uint64_t)q->gen_n * hb;   /* output blocks' end */
  uint64_t cp = KV_MIN(pw, (uint64_t)limit);
  uint64_t np = KV_DIV_CEIL(cp, bt), ng = 0;
  if (limit >= pw) ng = (KV_MIN(end, (uint64_t)limit) - pw) / bt;
  uint32_t n = (uint32_t)(np + ng);
  keys_room(e, n);
  const uint32_t *ids = n ? req_ids(e, id) : NULL;
  for (uint32_t j = 0; j < n; j++) {
    uint64_t t0 = (uint64_t)j * bt;
    uint32_t h;
    if (t0 < pw) {
      h = ids[t0 / hb];
      e->fill[j] = (uint32_t)KV_MIN((uint64_t)bt, cp - t0);
    } else {
      h = ids[q->hash_n + (t0 - pw) / hb];
      e->fill[j] = bt;
    }
    e->keys[j] = (((uint64_t)h + 1) << 16) | ((t0 % hb) / bt);
  }
  return n;
}

/* Count an admission's prefix hit of `hit` tokens over the keys in
 * e->keys: blocks whose hash id names an output block (an earlier turn's
 * answer) are generated-block hits, the others prompt-block hits. */
static void count_hit(engine *e, uint64_t hit) {
  uint32_t bt = e->cfg->scfg.block_tokens;
  for (uint64_t j = 0; j * bt < hit; j++) {
    uint64_t h = (e->keys[j] >> 16) - 1;
    double tok = (double)KV_MIN((uint64_t)bt, hit - j * bt);
    if (h < e->gen_nbits && (e->gen_bits[h / 8] >> (h % 8) & 1)) {
      e->tr->prefix_hit_blocks_generated++;
      e->tr->prefix_hit_tokens_generated += tok;
    } else {
      e->tr->prefix_hit_blocks_prompt++;
      e->tr->prefix_hit_tokens_prompt += tok;
    }
  }
}

/* Preempt one running request at index >= from (the newest, or the
 * policy's choice with tiering). Returns its id in *out. */
static kv_status preempt_one(engine *e, size_t from, uint32_t *out) {
  size_t idx;
  kv_status ps = pick_victim(e, from, &idx);
  if (ps != KV_OK) return ps;
  uint32_t victim = e->running[idx];
  memmove(&e->running[idx], &e->running[idx + 1],
          (e->n_running - idx - 1) * sizeof *e->running);
  e->n_running--;
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
static bool drop_paused(engine *e) {
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

/* ---- one step ---- */

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
      if (i + 1 == e->n_running && drop_paused(e)) continue;
      *preempted = 1;
      uint32_t victim;
      if ((*status = preempt_one(e, i, &victim)) != KV_OK) return 0;
      if (victim == id) { /* it was the newest itself */
        i--;              /* the next request moved into slot i */
        break;
      }
    }
  }
  return budget;
}

/* Bring a preempted request back: swap_in, or with tiering a reload of its
 * evicted blocks. */
static kv_status resume(engine *e, uint32_t id) {
  if (!e->tier) return e->vt->swap_in(e->st, id, &e->ops);
  uint32_t hb = e->vt->host_blocks(e->st, id);
  kv_status s = e->vt->reload(e->st, id, &e->ops);
  if (s == KV_OK && hb) e->tr->reloads++;
  return s;
}

static kv_status ask_admit(engine *e, bool *yes) {
  *yes = true;
  e->refused = false;
  if (!e->tier || !e->pol->admit) return KV_OK;
  kv_policy_view v;
  make_view(e, 0, &v); /* candidates: the running requests */
  e->tr->policy_calls++;
  if (e->pol->admit(e->pol->ud, &v, yes, e->err) != KV_OK)
    return pol_error(e, "admit");
  if (!*yes) {
    e->tr->admit_refusals++;
    e->refused = true;
  }
  return KV_OK;
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

static kv_status admit_waiting(engine *e, uint32_t budget) {
  const kv_engine_cfg *cfg = e->cfg;
  while (e->wq_len > 0 && budget > 0 && e->n_running < cfg->max_num_seqs) {
    uint32_t id = wq_front(e);
    req *r = &e->reqs[id];
    bool yes;
    kv_status ps = ask_admit(e, &yes);
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
      kv_status s = resume(e, id);
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
        n = gen_keys(e, id, queried - 1);
      } else {
        n = req_keys(e, id, r->prompt - 1);
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
      e->tr->prefix_queried_tokens += queried;
      e->tr->prefix_hit_tokens += (double)hit;
      count_hit(e, hit); /* e->keys still holds the keys attached */
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

/* Reload the evicted blocks of the first waiting requests ahead of use, as
 * background copies (nothing reads them this step). */
static kv_status prefetch(engine *e) {
  if (!e->tier || e->wq_len == 0) return KV_OK;
  uint32_t d = 0;
  if (e->pol->prefetch) {
    kv_policy_view v;
    make_view(e, e->n_running, &v);
    e->tr->policy_calls++;
    if (e->pol->prefetch(e->pol->ud, &v, &d, e->err) != KV_OK)
      return pol_error(e, "prefetch");
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
  make_view(e, e->n_running, &v);
  if (e->pol->compact) {
    e->tr->policy_calls++;
    if (e->pol->compact(e->pol->ud, &v, &max, e->err) != KV_OK)
      return pol_error(e, "compact");
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

/* kv_strategy_used_bytes with the geometry cached (it runs per request
 * per step) */
static uint64_t used_bytes(const engine *e, uint64_t tokens) {
  uint64_t wt = e->window && tokens > e->window ? e->window : tokens;
  return tokens * e->bpt_full + wt * e->bpt_win;
}

/* The model's attention geometry, as doubles, read once per step: the
 * pairs below run per request per step. */
typedef struct attn_geom {
  double layers, lw, w; /* layers, windowed layers, window (tokens) */
} attn_geom;

static attn_geom attn_geom_of(const kv_model *m) {
  return (attn_geom){.layers = m->layers,
                     .lw = kv_model_window_layers(m),
                     .w = m->sliding_window};
}

/* (query, key) pairs of k new tokens after c cached ones, averaged over
 * the layers: causal, token j sees c + j keys, at most the window in the
 * windowed layers. */
static double attn_pairs(const attn_geom *g, double c, double k) {
  double full = k * (c + (k + 1) / 2.0);
  double lw = g->lw, w = g->w;
  if (lw == 0 || c + k <= w) return full;
  double win; /* sum over j = 1..k of min(c + j, w) */
  if (c >= w) {
    win = k * w;
  } else {
    double a = w - c; /* tokens that still see fewer than w keys */
    win = a * (c + (a + 1) / 2.0) + (k - a) * w;
  }
  return ((g->layers - lw) * full + lw * win) / g->layers;
}

/* Whether request r completes when its scheduled tokens are committed
 * (the rule commit() applies). */
static bool completes(const req *r) {
  return r->sched && r->computed + r->sched == target_tokens(r) &&
         (r->output == 0 || r->generated + 1 >= r->output);
}

/* The engine's CPU seconds in the step (kv_overheads). */
static double step_cpu(const engine *e, double new_tok, uint32_t decodes) {
  const kv_overheads *o = &e->cfg->overheads;
  return o->step + o->per_seq * (double)e->n_running + o->per_token * new_tok +
         o->per_prefill_token * (new_tok - decodes) +
         o->admit * e->step_admits + o->finish * e->step_done +
         o->per_worker * (double)(e->cfg->tp > 1 ? e->cfg->tp - 1 : 0);
}

/* The step's forward pass: FLOPs and HBM bytes (weights + KV read), and
 * the engine's CPU time around it. */
static void push_compute(engine *e, double *batch_tokens) {
  const kv_model *m = e->cfg->model;
  double new_tok = 0, pairs = 0, kv_read = 0, dkeys = 0;
  uint32_t decodes = 0;
  if (e->tier || e->prefix) /* per-request reads, for ordering checks */
    for (size_t i = 0; i < e->n_running; i++) {
      const req *r = &e->reqs[e->running[i]];
      if (!r->sched) continue;
      kv_op *a = kv_ops_push(&e->ops, KV_OP_ATTN_READ, e->running[i]);
      a->bytes = used_bytes(e, r->computed + r->sched);
      a->mode = (uint8_t)e->mode;
    }
  /* this loop runs per request per step: what it reads of e and the model
   * is read once, into locals */
  const req *reqs = e->reqs;
  const uint32_t *running = e->running;
  size_t n_running = e->n_running;
  attn_geom geom = attn_geom_of(m);
  double tp = e->cfg->tp;
  uint32_t done = 0;
  for (size_t i = 0; i < n_running; i++) {
    const req *r = &reqs[running[i]];
    if (!r->sched) continue;
    double c = r->computed, k = r->sched;
    new_tok += k;
    done += completes(r);
    double pr = attn_pairs(&geom, c, k);
    pairs += pr;
    if (k == 1 && r->generated > 0) {
      decodes++;
      dkeys += pr;
    }
    kv_read += (double)used_bytes(e, r->computed + r->sched) * tp;
  }
  e->step_done = done;
  kv_op *op = kv_ops_push(&e->ops, KV_OP_COMPUTE, KV_NO_REQ);
  op->flops = kv_model_flops(m, new_tok, pairs);
  op->bytes = (uint64_t)(kv_model_step_weight_bytes(m, new_tok) + kv_read);
  op->kv_bytes = (uint64_t)kv_read; /* priced by the addressing mode */
  op->count = e->mode == KV_ADDR_CONTIGUOUS ? 0 : e->cfg->scfg.block_tokens;
  op->mode = (uint8_t)e->mode;
  op->cpu_time = step_cpu(e, new_tok, decodes);
  op->tokens = (uint32_t)new_tok;
  op->decodes = decodes;
  op->decode_keys = dkeys;
  op->prefill_pairs = pairs - dkeys;
  if (e->cfg->overheads.overlap) op->flags |= KV_OPF_CPU_OVERLAP;
  e->step_admits = 0;
  *batch_tokens = new_tok;
}

/* Commit scheduled tokens after the step; finish requests. This loop runs
 * per request per step: e's arrays and the step number are read once (the
 * strategy calls cannot change them), and the token counts are summed as
 * integers and added to the summary's doubles once (exact either way: the
 * sums stay far below 2^53). A request's result is touched when its first
 * token comes and when it finishes, not per token: its `generated` is
 * written then, and for unfinished requests by engine_summary. */
static void commit(engine *e, double t) {
  size_t w = 0;
  kv_summary *sum = &e->res->summary;
  uint32_t *running = e->running;
  req *reqs = e->reqs;
  kv_request_result *results = e->res->requests;
  size_t n_running = e->n_running;
  uint64_t step = (uint64_t)sum->steps + 1;
  uint64_t prompt_tokens = 0, generated = 0, completed = 0;
  for (size_t i = 0; i < n_running; i++) {
    uint32_t id = running[i];
    req *r = &reqs[id];
    kv_request_result *rr = &results[id];
    if (r->sched) {
      /* a decode computes exactly the last sampled token; everything
       * else is prefill (or recomputation after preemption) */
      uint32_t before = r->computed;
      r->computed += r->sched;
      uint32_t decoded =
          (r->generated > 0 && r->sched == 1 && before + 1 == target_tokens(r))
              ? 1
              : 0;
      prompt_tokens += r->sched - decoded;
      r->sched = 0;
      r->last_step = step;
      if (e->prefix && !rr->truncated) {
        uint32_t n = 0;
        if (gen_keyed(e, id)) {
          /* prompt blocks while prefilling, then each block the output
           * fills up to the last one the workload names */
          const kv_workload *wl = e->cfg->workload;
          const kv_request_spec *q = &wl->reqs[id];
          uint32_t bt = e->cfg->scfg.block_tokens, hb = wl->hash_block_tokens;
          uint64_t end = (uint64_t)(q->prompt / hb + q->gen_n) * hb;
          if (before < r->prompt ||
              (before < end && r->computed / bt > before / bt))
            n = gen_keys(e, id, r->computed);
        } else if (before < r->prompt) {
          n = req_keys(e, id, r->computed);
        }
        if (n) e->vt->prefix_publish(e->st, id, e->keys, e->fill, n);
      }
      if (r->computed == target_tokens(r) && r->output == 0) {
        /* prefill-only: done once the prompt is in the cache */
        rr->first_token = rr->finish = t;
        r->state = RS_DONE;
        e->finished++;
        completed++;
        e->vt->release(e->st, id, &e->ops);
        continue;
      }
      if (r->computed == target_tokens(r)) {
        r->generated++;
        generated++;
        if (r->generated == 1) rr->first_token = t;
        if (r->generated >= r->output) {
          rr->generated = r->generated;
          rr->finish = t;
          r->state = RS_DONE;
          e->finished++;
          completed++;
          e->vt->release(e->st, id, &e->ops);
          continue;
        }
      }
    }
    running[w++] = id;
  }
  e->n_running = w;
  sum->prompt_tokens += (double)prompt_tokens;
  sum->generated_tokens += (double)generated;
  sum->completed += (double)completed;
}

/* Memory the step held: measured before commit releases what finished in
 * it, so a request that completes in the step that admitted it counts. */
static void step_mem(const engine *e, kv_mem_stats *ms) {
  uint64_t next = 0;
  if (e->wq_len) {
    const req *h = &e->reqs[wq_front(e)];
    next = target_tokens(h);
  }
  e->vt->stats(e->st, next, ms);
}

static void record(engine *e, const kv_step_time *tm, const kv_mem_stats *msp,
                   uint32_t running, double t, double batch_tokens) {
  kv_summary *sum = &e->res->summary;
  kv_mem_stats ms = *msp;
  double dt = tm->total;
  double util = ms.backed ? (double)ms.used / (double)ms.backed : 0.0;

  sum->steps++;
  if (tm->compute_table)
    sum->compute_steps_table++;
  else
    sum->compute_steps_roofline++;
  sum->compute_time += tm->compute;
  sum->cpu_time += tm->cpu;
  sum->op_time_critical += tm->op_critical;
  sum->driver_time_critical += tm->driver_critical;
  sum->driver_time_hidden += tm->driver_hidden;
  for (int k = 0; k < KV_OP__COUNT; k++)
    sum->op_time[k] += tm->by_kind[k];
  e->batch_sum += (double)running;
  if ((double)running > sum->batch_peak) sum->batch_peak = (double)running;
  if ((double)ms.used > sum->used_peak) sum->used_peak = (double)ms.used;
  if ((double)ms.backed > sum->backed_peak) {
    sum->backed_peak = (double)ms.backed;
    sum->util_at_peak = util;
  }
  if ((double)ms.reserved_va > sum->reserved_va_peak)
    sum->reserved_va_peak = (double)ms.reserved_va;
  if ((double)ms.metadata > sum->metadata_peak)
    sum->metadata_peak = (double)ms.metadata;
  e->w_time += dt;
  if (ms.backed) {
    e->w_util_time += dt;
    e->w_util += dt * util;
  }
  e->w_used += dt * (double)ms.used;
  e->w_backed += dt * (double)ms.backed;
  e->w_int += dt * (double)ms.internal_frag;
  e->w_ext += dt * (double)ms.external_frag;
  sum->capacity = (double)ms.capacity;

  if (t >= e->next_sample) {
    kv_sample s = {
        .t = t,
        .step = sum->steps,
        .running = (double)running,
        .waiting = (double)e->wq_len,
        .batch_tokens = batch_tokens,
        .used = (double)ms.used,
        .backed = (double)ms.backed,
        .internal_frag = (double)ms.internal_frag,
        .external_frag = (double)ms.external_frag,
        .reserved_va = (double)ms.reserved_va,
        .metadata = (double)ms.metadata,
        .util = util,
        .step_time = dt,
        .op_time = tm->op_critical,
    };
    kv_timeline_push(&e->res->timeline, &s);
    double iv = e->cfg->timeline_interval;
    e->next_sample = iv > 0 ? (floor(t / iv) + 1) * iv : t;
  }
}

static void count_ops(engine *e) {
  kv_summary *sum = &e->res->summary;
  for (size_t i = 0; i < e->ops.n; i++) {
    const kv_op *op = &e->ops.ops[i];
    if (op->kind == KV_OP_COMPUTE) {
      sum->op_count[KV_OP_COMPUTE] += 1;
      continue;
    }
    sum->op_count[op->kind] += op->count ? op->count : 1;
    sum->vmm_calls += kv_op_driver_calls(op);
    if (op->kind == KV_OP_VMM_RESERVE || op->kind == KV_OP_VMM_FREE_VA)
      sum->vmm_calls += op->count ? 0 : 1;
    if (op->kind == KV_OP_COPY) {
      sum->copy_runs += op->count;
      if (op->dir == KV_COPY_H2D) sum->copy_bytes_h2d += (double)op->bytes;
      if (op->dir == KV_COPY_D2H) sum->copy_bytes_d2h += (double)op->bytes;
      if (op->dir == KV_COPY_D2D) sum->copy_bytes_d2d += (double)op->bytes;
    }
    if (op->kind == KV_OP_TABLE_WRITE) sum->table_entries += op->count;
  }
}

/* Execute what is in e->ops (plus compute if `compute`) as one step. */
static kv_status execute(engine *e, int compute) {
  double batch_tokens = 0;
  if (compute) push_compute(e, &batch_tokens);
  if (e->ops.n == 0) return KV_OK;
  kv_step_time tm;
  kv_status s = e->backend->vt->step(e->backend, &e->ops, &tm, e->err);
  if (s != KV_OK) return s;
  count_ops(e);
  kv_ops_clear(&e->ops);
  double t = now(e);
  if (compute) {
    kv_mem_stats ms;
    step_mem(e, &ms);
    uint32_t running = (uint32_t)e->n_running;
    size_t finished = e->finished;
    commit(e, t);
    if (e->cfg->check_level >= 2 && e->finished - finished != e->step_done)
      return kv_error_set(e->err, KV_EINTERNAL,
                          "engine invariant: step %.0f completed %zu "
                          "requests, its CPU time charged %u",
                          e->res->summary.steps, e->finished - finished,
                          e->step_done);
    /* releases done by commit are executed with the next step's ops */
    record(e, &tm, &ms, running, t, batch_tokens);
  }
  return KV_OK;
}

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
    if (r->state == RS_DONE || r->state == RS_REJECTED) done++;
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
 * a request takes before it (kv_overheads.request). */
static double ready_at(const engine *e, size_t i) {
  return e->cfg->workload->reqs[i].arrival + e->cfg->overheads.request;
}

/* The next request's ready time, kept in e->next_ready: it changes only
 * here, and reading it through cfg->workload each step cost a chain of
 * dependent loads (a cache miss after the other replicas' steps). */
static void note_next_ready(engine *e) {
  e->next_ready =
      e->next_arrival < e->n ? ready_at(e, e->next_arrival) : INFINITY;
}

/* The latest ready time a request may have to join the step that begins
 * now. With schedule_ahead, a step that follows another one back to back
 * was scheduled when that one began (vLLM's asynchronous scheduling), so
 * only requests ready by then join it; after an idle moment, or when
 * nothing runs (the scheduled step would be empty), requests ready now. */
static double admit_cutoff(const engine *e) {
  double t = now(e);
  if (e->cfg->overheads.schedule_ahead && e->n_running > 0 && e->step_end == t)
    return e->step_start;
  return t;
}

static void admit_arrivals(engine *e, double t) {
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
  note_next_ready(e);
}

/* Setup ops (pools, VA reservations) run before the first arrival. */
static kv_status engine_begin(engine *e) {
  const kv_workload *w = e->cfg->workload;
  kv_status s;
  if ((s = execute(e, 0)) != KV_OK) return s;
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
  if ((s = execute(e, 0)) != KV_OK) return s;
  if (e->next_arrival < e->n) {
    e->backend->vt->idle_until(e->backend, ready_at(e, e->next_arrival));
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
  admit_arrivals(e, admit_cutoff(e));
  size_t finished = e->finished;
  if (e->n_running == 0 && e->wq_len == 0) {
    if (e->next_arrival >= e->n) return *done = true, KV_OK;
    /* flush pending releases, then idle until the next arrival */
    if ((s = execute(e, 0)) != KV_OK) return s;
    e->backend->vt->idle_until(e->backend, ready_at(e, e->next_arrival));
    return KV_OK;
  }
  int preempted = 0;
  s = KV_OK;
  e->pool_wait = false;
  uint32_t budget = schedule_running(e, cfg->max_batch_tokens, &preempted, &s);
  if (s != KV_OK) return s;
  if (!preempted) {
    if ((s = admit_waiting(e, budget)) != KV_OK) return s;
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
    if (e->pool_wait) return execute(e, 0);
    return wait_or_stuck(e);
  }
  e->step_start = now(e);
  if ((s = execute(e, 1)) != KV_OK) return s;
  e->step_end = now(e);
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
  if ((s = execute(e, 0)) != KV_OK) return s;
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

/* ---- public ---- */

void kv_engine_cfg_defaults(kv_engine_cfg *cfg) {
  memset(cfg, 0, sizeof *cfg);
  kv_strategy_cfg_defaults(&cfg->scfg);
  cfg->tp = 1;
  cfg->gpu_mem_util = 0.9;
  cfg->max_num_seqs = 256;
  cfg->max_batch_tokens = 8192;
  cfg->preempt = KV_PREEMPT_RECOMPUTE;
  cfg->timeline_interval = 1.0;
  cfg->check_level = 0;
  cfg->seed = 1;
  cfg->progress_every = 10.0;
  cfg->watermark = 0.01;
  cfg->prefix_generated = true;
}

void kv_result_free(kv_result *r) {
  if (!r) return;
  kv_timeline_free(&r->timeline);
  free(r->requests);
  r->requests = NULL;
  r->n_requests = 0;
}

/* Activation memory vLLM-style profiling would reserve: the step's tokens
 * times the widest per-token intermediates (hidden in/out, MLP up/gate). */
static double activation_bytes(const kv_model *m, uint32_t batch_tokens) {
  return (double)batch_tokens * (4.0 * m->hidden + 2.0 * m->intermediate) *
         m->weight_bytes;
}

double kv_engine_activation_bytes(const kv_engine_cfg *cfg) {
  return activation_bytes(cfg->model, cfg->max_batch_tokens) /
         (cfg->tp ? cfg->tp : 1);
}

kv_status kv_engine_kv_capacity(const kv_engine_cfg *cfg, uint64_t *out,
                                kv_error *err) {
  const kv_platform *p = cfg->platform;
  const kv_model *m = cfg->model;
  uint32_t tp = cfg->tp ? cfg->tp : 1;
  if (cfg->kv_capacity) {
    *out = cfg->kv_capacity;
    return KV_OK;
  }
  if (!(cfg->gpu_mem_util > 0 && cfg->gpu_mem_util <= 1))
    return kv_error_set(err, KV_EINVAL,
                        "gpu_mem_util must be in (0, 1] (got %g)",
                        cfg->gpu_mem_util);
  double usable = (double)p->hbm_bytes * cfg->gpu_mem_util;
  double weights = kv_model_weight_bytes(m) / tp;
  double act = activation_bytes(m, cfg->max_batch_tokens) / tp;
  double kv = usable - weights - act;
  if (kv <= 0)
    return kv_error_set(
        err, KV_ENOMEM,
        "model %s does not fit on %s with tp=%u: weights %.1f GB + "
        "activations %.1f GB per GPU exceed %.1f GB usable (gpu_mem_util "
        "%.2f)",
        m->name, p->name, tp, weights / 1e9, act / 1e9, usable / 1e9,
        cfg->gpu_mem_util);
  *out = (uint64_t)kv;
  return KV_OK;
}

kv_status kv_engine_check_tp(const kv_model *m, const kv_platform *p,
                             uint32_t tp, kv_error *err) {
  uint32_t gpus = p->gpus_per_server * p->servers;
  if (tp == 0 || tp > gpus)
    return kv_error_set(err, KV_EINVAL,
                        "tp must be in 1..%u, the GPUs of platform '%s' (%u "
                        "servers x %u) (got %u)",
                        gpus, p->name, p->servers, p->gpus_per_server, tp);
  if (m->heads % tp)
    return kv_error_set(err, KV_EINVAL,
                        "tp %u must divide the %u attention heads of model %s",
                        tp, m->heads, m->name);
  /* KV heads are split over tp GPUs, or replicated when tp exceeds them
   * (each GPU then holds one); MLA's latent is on every GPU */
  if (!m->mla_latent &&
      (tp <= m->kv_heads ? m->kv_heads % tp : tp % m->kv_heads))
    return kv_error_set(err, KV_EINVAL,
                        "tp %u and the %u KV heads of model %s: one must "
                        "divide the other (KV heads are split over the GPUs, "
                        "or replicated when there are more GPUs than heads)",
                        tp, m->kv_heads, m->name);
  return KV_OK;
}

static kv_status check_cfg(const kv_engine_cfg *cfg, kv_error *err) {
  if (!cfg->model || !cfg->platform || !cfg->workload || !cfg->strategy)
    return kv_error_set(err, KV_EINVAL,
                        "engine needs a model, a platform, a workload and a "
                        "strategy");
  kv_status s;
  if ((s = kv_model_validate(cfg->model, err)) != KV_OK) return s;
  if ((s = kv_platform_validate(cfg->platform, err)) != KV_OK) return s;
  if (cfg->long_prompt != KV_LONG_REJECT &&
      cfg->long_prompt != KV_LONG_TRUNCATE)
    return kv_error_set(err, KV_EINVAL,
                        "long_prompt must be reject or "
                        "truncate (got %d)",
                        (int)cfg->long_prompt);
  if (cfg->max_num_seqs == 0)
    return kv_error_set(err, KV_EINVAL, "max_num_seqs must be >= 1");
  if (!(cfg->watermark >= 0 && cfg->watermark < 1))
    return kv_error_set(err, KV_EINVAL, "watermark must be in [0, 1) (got %g)",
                        cfg->watermark);
  if (cfg->max_batch_tokens == 0)
    return kv_error_set(err, KV_EINVAL, "max_batch_tokens must be >= 1");
  const kv_overheads *o = &cfg->overheads;
  const struct {
    const char *name;
    double v;
  } oh[] = {{"step", o->step},           {"per_seq", o->per_seq},
            {"per_token", o->per_token}, {"admit", o->admit},
            {"finish", o->finish},       {"request", o->request}};
  for (size_t i = 0; i < sizeof oh / sizeof *oh; i++)
    if (!(isfinite(oh[i].v) && oh[i].v >= 0))
      return kv_error_set(err, KV_EINVAL,
                          "overheads.%s must be a finite number of seconds "
                          ">= 0 (got %g)",
                          oh[i].name, oh[i].v);
  if ((s = kv_engine_check_tp(cfg->model, cfg->platform, cfg->tp, err)) !=
      KV_OK)
    return s;
  if (cfg->timeline_interval < 0)
    return kv_error_set(err, KV_EINVAL, "timeline_interval must be >= 0");
  if (cfg->workload->n == 0)
    return kv_error_set(err, KV_EINVAL, "workload %s has no requests",
                        cfg->workload->source);
  if (cfg->workload->n > UINT32_MAX - 1)
    return kv_error_set(err, KV_EINVAL, "workload too large");
  const kv_strategy_vt *vt = cfg->strategy;
  if (cfg->tier) {
    if (!vt->evict || !vt->reload || !vt->host_blocks)
      return kv_error_set(err, KV_EINVAL,
                          "tier: strategy %s cannot evict single blocks to "
                          "the host tier (indirect can)",
                          vt->name);
    if (cfg->scfg.host_bytes == 0)
      return kv_error_set(err, KV_EINVAL, "tier needs host_bytes > 0");
  }
  if (cfg->prefix_sharing) {
    const kv_workload *w = cfg->workload;
    if (!vt->prefix_attach || !vt->prefix_publish)
      return kv_error_set(err, KV_EINVAL,
                          "prefix_sharing: strategy %s does not share blocks "
                          "(paged and indirect do; docs/tiering.md says why "
                          "vmm and static do not)",
                          vt->name);
    if (w->n_hashes == 0 || w->hash_block_tokens == 0)
      return kv_error_set(err, KV_EINVAL,
                          "prefix_sharing: workload %s has no prefix hash ids "
                          "(a Mooncake trace has them)",
                          w->source);
    if (cfg->scfg.block_tokens == 0 ||
        w->hash_block_tokens % cfg->scfg.block_tokens != 0 ||
        w->hash_block_tokens / cfg->scfg.block_tokens > 65536)
      return kv_error_set(err, KV_EINVAL,
                          "prefix_sharing: block_tokens %u must divide the "
                          "workload's hash block of %u tokens (a synthetic "
                          "workload: set prefix.block to a multiple of "
                          "block_tokens)",
                          cfg->scfg.block_tokens, w->hash_block_tokens);
    for (size_t i = 0; i < w->n; i++) {
      const kv_request_spec *q = &w->reqs[i];
      if (q->gen_n && (q->hash_n < q->prompt / w->hash_block_tokens ||
                       q->hash_off + q->hash_n + q->gen_n > w->n_hash_bytes))
        return kv_error_set(err, KV_EINVAL,
                            "prefix_sharing: request %zu's %u prompt and %u "
                            "output hash ids do not fit the workload's %zu "
                            "ids or its %u-token prompt",
                            i, q->hash_n, q->gen_n, w->n_hashes, q->prompt);
    }
  }
  return KV_OK;
}

void kv_latency_sketch_add(kv_latency_sketch *sk, const kv_request_result *reqs,
                           size_t n) {
  for (size_t i = 0; i < n; i++) {
    const kv_request_result *r = &reqs[i];
    if (r->first_token >= 0)
      kv_sketch_add(&sk->ttft, r->first_token - r->arrival);
    if (r->finish >= 0) {
      kv_sketch_add(&sk->e2e, r->finish - r->arrival);
      if (r->generated > 1)
        kv_sketch_add(&sk->tpot,
                      (r->finish - r->first_token) / (r->generated - 1));
    }
  }
}

void kv_latency_sketch_free(kv_latency_sketch *sk) {
  kv_sketch_free(&sk->ttft);
  kv_sketch_free(&sk->tpot);
  kv_sketch_free(&sk->e2e);
}

void kv_summary_latencies_sketch(kv_summary *sum, const kv_latency_sketch *sk) {
  const kv_sketch *d[] = {[KV_LAT_TTFT] = &sk->ttft,
                          [KV_LAT_TPOT] = &sk->tpot,
                          [KV_LAT_E2E] = &sk->e2e};
  for (size_t i = 0; i < kv_summary_info_n; i++) {
    const kv_metric_info *m = &kv_summary_info[i];
    if (m->agg == KV_AGG_PCTL)
      *kv_metric_at(sum, m) = kv_sketch_percentile(d[m->a], m->p);
  }
}

int kv_requests_write_csv_header(FILE *f) {
  fputs("id,arrival,first_token,finish,prompt,output,generated,preemptions,"
        "rejected,truncated\n",
        f);
  return ferror(f) ? -1 : 0;
}

int kv_requests_write_csv(FILE *f, const kv_request_result *reqs, size_t n,
                          const size_t *ids) {
  for (size_t i = 0; i < n; i++) {
    const kv_request_result *r = &reqs[i];
    fprintf(f, "%zu,%.17g,%.17g,%.17g,%u,%u,%u,%u,%u,%u\n", ids ? ids[i] : i,
            r->arrival, r->first_token, r->finish, r->prompt, r->output,
            r->generated, r->preemptions, (unsigned)r->rejected, r->truncated);
  }
  return ferror(f) ? -1 : 0;
}

void kv_summary_latencies(kv_summary *sum, const kv_request_result *reqs,
                          size_t n) {
  size_t cap = n ? n : 1;
  double *ttft = kv_xmalloc(cap * sizeof *ttft);
  double *tpot = kv_xmalloc(cap * sizeof *tpot);
  double *e2e = kv_xmalloc(cap * sizeof *e2e);
  size_t n_ttft = 0, n_tpot = 0, n_e2e = 0;
  for (size_t i = 0; i < n; i++) {
    const kv_request_result *r = &reqs[i];
    /* TTFT: arrival to first token; TPOT: mean gap between later tokens */
    if (r->first_token >= 0) ttft[n_ttft++] = r->first_token - r->arrival;
    if (r->finish >= 0) {
      e2e[n_e2e++] = r->finish - r->arrival;
      if (r->generated > 1)
        tpot[n_tpot++] = (r->finish - r->first_token) / (r->generated - 1);
    }
  }
  kv_sort_doubles(ttft, n_ttft);
  kv_sort_doubles(tpot, n_tpot);
  kv_sort_doubles(e2e, n_e2e);
  const double *d[] = {
      [KV_LAT_TTFT] = ttft, [KV_LAT_TPOT] = tpot, [KV_LAT_E2E] = e2e};
  const size_t nd[] = {
      [KV_LAT_TTFT] = n_ttft, [KV_LAT_TPOT] = n_tpot, [KV_LAT_E2E] = n_e2e};
  for (size_t i = 0; i < kv_summary_info_n; i++) {
    const kv_metric_info *m = &kv_summary_info[i];
    if (m->agg == KV_AGG_PCTL)
      *kv_metric_at(sum, m) = kv_percentile_sorted(d[m->a], nd[m->a], m->p);
  }
  free(ttft);
  free(tpot);
  free(e2e);
}

/* Free what kv_engine_open allocated (the result's arrays excepted). */
static void engine_free(engine *e) {
  kv_ops_free(&e->ops);
  free(e->reqs);
  free(e->running);
  free(e->wq);
  free(e->pv);
  free(e->keys);
  free(e->fill);
  free(e->ids);
  free(e->gen_bits);
  if (e->own_backend) e->own_backend->vt->destroy(e->own_backend);
  free(e);
}

/* The hash ids that name output blocks (for the hit split), and whether
 * they are published. */
static void gen_ids_init(engine *e) {
  const kv_workload *w = e->cfg->workload;
  uint64_t top = 0;
  for (size_t i = 0; i < w->n; i++) {
    const kv_request_spec *q = &w->reqs[i];
    const uint32_t *ids = q->gen_n ? req_ids(e, (uint32_t)i) : NULL;
    for (uint32_t k = 0; k < q->gen_n; k++)
      top = KV_MAX(top, (uint64_t)ids[q->hash_n + k] + 1);
  }
  if (!top) return;
  e->gen = e->cfg->prefix_generated;
  e->gen_nbits = top;
  e->gen_bits = kv_xcalloc((size_t)KV_DIV_CEIL(top, 8), 1);
  for (size_t i = 0; i < w->n; i++) {
    const kv_request_spec *q = &w->reqs[i];
    const uint32_t *ids = q->gen_n ? req_ids(e, (uint32_t)i) : NULL;
    for (uint32_t k = 0; k < q->gen_n; k++) {
      uint32_t h = ids[q->hash_n + k];
      e->gen_bits[h / 8] |= (uint8_t)(1u << (h % 8));
    }
  }
}

kv_status kv_engine_open(const kv_engine_cfg *cfg, kv_result *out,
                         kv_engine **eng, kv_error *err) {
  *eng = NULL;
  memset(out, 0, sizeof *out);
  kv_status s = check_cfg(cfg, err);
  if (s != KV_OK) return s;

  const kv_workload *w = cfg->workload;
  engine *e = kv_xcalloc(1, sizeof *e);
  e->cfg = cfg;
  e->err = err;
  e->res = out;
  e->vt = cfg->strategy;
  e->n = w->n;
  e->step_start = e->step_end = -1;
  note_next_ready(e);
  e->mode = e->vt->addr_mode; /* the strategy says how kernels read it */

  kv_strategy_cfg scfg = cfg->scfg; /* copied to e->scfg_own below */
  scfg.model = cfg->model;
  scfg.tp = cfg->tp;
  scfg.max_requests = (uint32_t)w->n;
  scfg.prefix_cache = cfg->prefix_sharing;
  scfg.max_context = kv_strategy_max_context(&scfg);
  e->max_ctx = scfg.max_context;
  e->tier = cfg->tier;
  e->prefix = cfg->prefix_sharing;
  e->pol = cfg->policy ? cfg->policy : &kv_policy_default;
  e->tr = &out->tier;
  if ((s = kv_engine_kv_capacity(cfg, &scfg.capacity_bytes, err)) != KV_OK) {
    free(e);
    return s;
  }
  e->scfg_own = scfg;
  e->scfg = &e->scfg_own;
  e->bpt = kv_strategy_bytes_per_token(&scfg);
  e->bpt_full = kv_strategy_bytes_per_token_full(&scfg);
  e->bpt_win = kv_strategy_bytes_per_token_window(&scfg);
  e->window = kv_strategy_window(&scfg);

  e->backend = cfg->backend;
  if (!e->backend) {
    e->own_backend =
        kv_backend_ideal_create(cfg->platform, cfg->model, cfg->tp, err);
    if (!e->own_backend) {
      free(e);
      return err ? err->code : KV_EINVAL;
    }
    e->backend = e->own_backend;
  }

  kv_ops_init(&e->ops, (e->backend->flags & KV_BACKEND_NEEDS_RUNS) != 0);
  if ((s = e->vt->create(e->scfg, &e->st, &e->ops, err)) != KV_OK) {
    kv_error_prefix(err, "strategy %s: ", e->vt->name);
    engine_free(e);
    return s;
  }
  e->max_req_tok = e->vt->max_request_tokens(e->st);

  /* One rule for every strategy, as a serving engine applies
   * max_model_len: a request whose prompt + output exceed the max context
   * is rejected on arrival (or its prompt truncated). Every other request
   * must fit the strategy alone on the GPU: if one cannot, the strategies
   * would serve different workloads, so the run stops here. */
  e->reqs = kv_xcalloc(w->n, sizeof *e->reqs);
  out->requests = kv_xcalloc(w->n, sizeof *out->requests);
  out->n_requests = w->n;
  uint64_t worst = 0;
  size_t worst_i = 0;
  for (size_t i = 0; i < w->n; i++) {
    uint32_t prompt = w->reqs[i].prompt, output = w->reqs[i].output;
    kv_request_result *rr = &out->requests[i];
    *rr = (kv_request_result){
        .arrival = w->reqs[i].arrival,
        .first_token = -1,
        .finish = -1,
        .prompt = prompt,
        .output = output,
    };
    e->reqs[i].state = RS_FUTURE;
    e->reqs[i].output = output;
    if ((uint64_t)prompt + output > e->max_ctx) {
      if (cfg->long_prompt == KV_LONG_TRUNCATE && output < e->max_ctx) {
        rr->truncated = prompt - (e->max_ctx - output);
        prompt = e->max_ctx - output;
        out->summary.truncated++;
      } else {
        rr->rejected = KV_REJECT_TOO_LONG; /* at arrival */
      }
    }
    e->reqs[i].prompt = prompt;
    uint64_t need = kv_need(prompt, output);
    if (!rr->rejected && need > worst) {
      worst = need;
      worst_i = i;
    }
  }
  if (worst > e->max_req_tok) {
    s = kv_error_set(
        err, KV_ENOMEM,
        "GPU too small: strategy %s can hold at most %llu tokens for one "
        "request in %.3f GB of KV memory, but request %zu needs %llu (max "
        "context %u): give it more memory or a smaller max_context",
        e->vt->name, (unsigned long long)e->max_req_tok,
        (double)scfg.capacity_bytes / 1e9, worst_i, (unsigned long long)worst,
        e->max_ctx);
    kv_result_free(out);
    e->vt->destroy(e->st, &e->ops);
    engine_free(e);
    return s;
  }
  e->running = kv_xmalloc(w->n * sizeof *e->running);
  if (e->prefix) gen_ids_init(e);
  snprintf(out->strategy, sizeof out->strategy, "%s", e->vt->name);
  e->backend->vt->describe(e->backend, out->backend, sizeof out->backend);
  out->seed = cfg->seed;
  *eng = e;
  return KV_OK;
}

/* Summary of a run that ended with status s: the means, latencies, the
 * requests file. Returns s, or the file's error. */
static kv_status engine_summary(engine *e, kv_status s) {
  const kv_engine_cfg *cfg = e->cfg;
  const kv_workload *w = cfg->workload;
  kv_result *out = e->res;
  kv_error *err = e->err;
  kv_summary *sum = &out->summary;
  double end = now(e);
  /* commit writes a finished request's `generated`; the rest here */
  for (size_t i = 0; i < e->n; i++)
    out->requests[i].generated = e->reqs[i].generated;
  sum->requests = (double)w->n;
  sum->unfinished = (double)(w->n - e->finished);
  sum->sim_time = end - e->first_arrival;
  sum->batch_mean = sum->steps ? e->batch_sum / sum->steps : 0;
  sum->util_mean = e->w_util_time > 0 ? e->w_util / e->w_util_time : 0;
  if (e->w_time > 0) {
    sum->used_mean = e->w_used / e->w_time;
    sum->backed_mean = e->w_backed / e->w_time;
    sum->internal_frag_mean = e->w_int / e->w_time;
    sum->external_frag_mean = e->w_ext / e->w_time;
  }
  kv_metrics_derive(kv_summary_info, kv_summary_info_n, sum); /* ratios */

  const kv_requests_opts *ro = cfg->requests_opts;
  if (!ro || ro->keep_requests) {
    kv_summary_latencies(sum, out->requests, out->n_requests);
  } else {
    kv_latency_sketch own;
    memset(&own, 0, sizeof own);
    kv_latency_sketch_add(&own, out->requests, out->n_requests);
    kv_summary_latencies_sketch(sum, &own);
    if (ro->sk) {
      kv_sketch_merge(&ro->sk->ttft, &own.ttft);
      kv_sketch_merge(&ro->sk->tpot, &own.tpot);
      kv_sketch_merge(&ro->sk->e2e, &own.e2e);
    }
    kv_latency_sketch_free(&own);
  }
  if (ro && (ro->fp || ro->requests_file) && s == KV_OK) {
    FILE *f = ro->fp ? ro->fp : fopen(ro->requests_file, "w");
    int bad = !f;
    if (f && !ro->fp) bad |= kv_requests_write_csv_header(f) != 0;
    long at = f && ro->fp && ro->span ? ftell(f) : 0;
    if (f)
      bad |= kv_requests_write_csv(f, out->requests, out->n_requests,
                                   ro->ids) != 0;
    if (f && ro->fp && ro->span) {
      long to = ftell(f);
      bad |= at < 0 || to < at;
      ro->span[0] = at;
      ro->span[1] = to - at;
    }
    if (f && !ro->fp) bad |= fclose(f) != 0;
    if (bad)
      s = kv_error_set(err, KV_EIO, "requests_file %s: cannot write",
                       ro->requests_file ? ro->requests_file : "(stream)");
  }
  if (ro && !ro->keep_requests) {
    free(out->requests);
    out->requests = NULL;
    out->n_requests = 0;
  }
  kv_metrics_derive(kv_tier_info, kv_tier_info_n, &out->tier);
  return s;
}

kv_status kv_engine_close(kv_engine *e, kv_status s) {
  s = engine_summary(e, s);
  /* teardown: release whatever is still held (interrupted runs) */
  kv_ops_clear(&e->ops);
  for (size_t i = 0; i < e->n_running; i++)
    e->vt->release(e->st, e->running[i], &e->ops);
  e->vt->destroy(e->st, &e->ops);
  engine_free(e);
  return s;
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
  *s = preempt_one(e, e->n_running - 1, &victim);
  return *s == KV_OK;
}

kv_status kv_engine_is_valid(const kv_engine *e) {
  return engine_is_valid(e);
}
