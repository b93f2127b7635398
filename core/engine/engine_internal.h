/* engine_internal.h - the engine's insides, shared by its files only
 * (nothing outside core/engine/ includes it; engine.h is the door).
 *
 * Continuous batching in the style of vLLM V1. One step:
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
 *
 * The files, by concern (the order of a run):
 *   engine.c          configuration checks, KV capacity, kv_engine_open /
 *                     kv_engine_close (requests capped by max_model_len)
 *   engine_loop.c     the serving loop and the step's schedule: arrivals,
 *                     running requests first (preempting when memory runs
 *                     out), then admission of waiting ones under the
 *                     watermark and the token budget, prefetch and
 *                     compaction (as the policy says), the step; the
 *                     per-step and end-of-run invariant checks;
 *                     kv_engine_run and the stepping API for a driver
 *                     (multimodel.c)
 *   engine_preempt.c  preemption and swap (recompute, swap, evict to the
 *                     host tier), resume, and the policy's calls (victim,
 *                     admit) with the view every policy call sees
 *   engine_prefix.c   prefix-cache keys: the blocks a request attaches and
 *                     publishes, and the prompt / generated hit split
 *   engine_offload.c  the host's copy of the prefix cache (vLLM's CPU KV
 *                     offloading): stores, lookups and loads
 *   engine_step.c     executing one step: the forward pass's compute op,
 *                     the backend call, committing tokens, per-step metrics
 *   engine_result.c   the run's summary: means, latency percentiles
 *                     (exact or sketched), the requests CSV
 * Main entry point: kv_engine_run().
 */
#ifndef KV_ENGINE_INTERNAL_H
#define KV_ENGINE_INTERNAL_H

#include "engine.h"

#include "prefix_map.h"
#include "util.h"

#include <math.h>
#include <string.h>

typedef enum req_state {
  RS_FUTURE,    /* not arrived yet */
  RS_WAITING,   /* in the waiting queue, holds no device memory */
  RS_SWAPPED,   /* in the waiting queue, KV in the host tier */
  RS_RUNNING,   /* holds device memory, scheduled every step */
  RS_DONE,      /* generated all its tokens */
  RS_REJECTED,  /* can never fit */
  RS_TIMED_OUT, /* the client gave up (client_timeout); aborted */
} req_state;

/* Invariants (checked by engine_is_valid): computed <= prompt + generated;
 * generated < output unless DONE (generated = output = 0 for a prefill-only
 * request); sched == 0 between steps; a RUNNING request is in `running`, a
 * WAITING/SWAPPED one in the waiting queue, each exactly once; FUTURE ones
 * have not arrived (index >= next_arrival), every other one has; `finished`
 * counts DONE + REJECTED + TIMED_OUT; n_running <= max_num_seqs. */
typedef struct req {
  uint32_t prompt, output; /* prompt after truncation (long_prompt) */
  uint32_t generated;      /* tokens sampled so far */
  uint32_t computed;       /* tokens whose KV is in the cache */
  uint32_t sched;          /* tokens scheduled in the current step */
  uint8_t state;
  uint8_t admitted;    /* admitted once (kv_overheads.admit was charged) */
  uint16_t loaded;     /* blocks it loaded from the host copy of the prefix
                          cache for its next admission (engine_offload.c;
                          at most 65535: it fills the struct's padding) */
  uint64_t last_step;  /* last step it computed tokens (policy view) */
  uint64_t admit_step; /* step it was last admitted or resumed */
} req;

/* One engine serves one model's workload. Invariants (engine_is_valid
 * checks them with check_level >= 1 at the end, >= 2 every step):
 * running[0..n_running) holds the RUNNING requests in admission order
 * (oldest first; the newest is the default victim); the waiting queue is a
 * ring of wq_cap slots holding wq_len WAITING or SWAPPED ids from wq_head
 * (a preempted request goes back to its front); next_ready is
 * ready_at(next_arrival), or INFINITY when none is left; finished counts
 * DONE + REJECTED and the run ends when it reaches n. keys/fill are
 * scratch, valid from an engine_*_keys call to the attach, publish or
 * count_hit that reads them. */
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
  size_t next_arrival;  /* index of the next request to arrive */
  size_t next_deadline; /* client_timeout: the first request whose deadline
                           (arrival + timeout) has not been checked */
  double next_ready;    /* ready_at(next_arrival), or INFINITY when none is
                           left (admit_arrivals tests it every step) */
  /* The server's front end (kv_overheads.serial_intake): one first-come
   * queue for the requests' intake and, with per_output, each step's
   * streamed tokens. fe_free: when it is done with all the work it has been
   * given; requests [0, fe_taken) have been given to it, in arrival order,
   * each ready (at the scheduler) at fe_ready[i]; NULL without
   * serial_intake. */
  double fe_free;
  size_t fe_taken;
  double *fe_ready;
  double last_generated;   /* generated_tokens when progress was last seen */
  uint64_t stalled;        /* compute steps since a token was generated */
  bool refused;            /* the policy refused the last admission asked */
  double step_start;       /* when the last compute step began, and ended */
  double step_end;         /* (kv_overheads.schedule_ahead; -1 before one) */
  uint32_t last_completed; /* requests the last step completed */
  /* eager_overlap: the host's time in the running step (CPU time and
   * launches), and how long it was free in the last one */
  double next_busy, host_free;

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
  /* the host's copy of the prefix cache (cfg.offload_bytes,
   * engine_offload.c): its blocks, in LRU order */
  bool off_on;
  kv_pmap off;
  uint32_t off_used;        /* host blocks ever filled (then reused LRU) */
  uint64_t off_block_bytes; /* one block's KV on one GPU */

  bool pool_wait; /* nothing runs and the queue's head waits for pages other
                     models hold in the shared pool (scfg.pool) */
  kv_strategy_cfg scfg_own; /* the resolved strategy configuration */
  kv_backend *own_backend;  /* the ideal backend made when cfg has none */
};
typedef struct kv_engine engine;

/* ---- waiting queue (a ring buffer; engine_loop.c grows it) ---- */

void engine_wq_grow(engine *e);

static inline void wq_push_back(engine *e, uint32_t id) {
  if (e->wq_len == e->wq_cap) engine_wq_grow(e);
  e->wq[(e->wq_head + e->wq_len++) % e->wq_cap] = id;
}

static inline void wq_push_front(engine *e, uint32_t id) {
  if (e->wq_len == e->wq_cap) engine_wq_grow(e);
  e->wq_head = (e->wq_head + e->wq_cap - 1) % e->wq_cap;
  e->wq[e->wq_head] = id;
  e->wq_len++;
}

static inline uint32_t wq_front(const engine *e) {
  return e->wq[e->wq_head];
}

/* Take running[i] out, keeping the others in admission order. */
static inline void running_remove(engine *e, size_t i) {
  memmove(&e->running[i], &e->running[i + 1],
          (e->n_running - i - 1) * sizeof *e->running);
  e->n_running--;
}

static inline void wq_pop_front(engine *e) {
  e->wq_head = (e->wq_head + 1) % e->wq_cap;
  e->wq_len--;
}

/* ---- helpers ---- */

static inline double now(const engine *e) {
  return e->backend->vt->now(e->backend);
}

static inline uint32_t target_tokens(const req *r) {
  return r->prompt + r->generated;
}

/* Whether request id publishes and looks up the blocks its output
 * completes. */
static inline bool gen_keyed(const engine *e, uint32_t id) {
  return e->gen && e->cfg->workload->reqs[id].gen_n > 0;
}

/* ---- engine_preempt.c: preemption, swap and the policy ---- */

/* Preempt one running request at index >= from (the newest, or the
 * policy's choice with tiering): recompute, swap or evict; its id in *out,
 * and it goes back to the front of the waiting queue. */
kv_status engine_preempt_one(engine *e, size_t from, uint32_t *out);
/* Drop the newest paused request's device memory (it will recompute):
 * true when one was dropped. */
bool engine_drop_paused(engine *e);
/* Bring a preempted request back: swap_in, or with tiering a reload. */
kv_status engine_resume(engine *e, uint32_t id);
/* Ask the policy whether the waiting head may be admitted (*yes). */
kv_status engine_ask_admit(engine *e, bool *yes);
/* The policy's view: candidates running[from..n_running), then the head of
 * the waiting queue (scratch in e->pv, valid until the next view). */
void engine_make_view(engine *e, size_t from, kv_policy_view *v);
/* A policy call's error, prefixed with the policy and the call. */
kv_status engine_pol_error(engine *e, const char *what);

/* ---- engine_prefix.c: prefix-cache keys (into e->keys, e->fill) ---- */

/* Keys of request id's prompt blocks over its first `limit` tokens; the
 * number of blocks. */
uint32_t engine_req_keys(engine *e, uint32_t id, uint32_t limit);
/* The same, prompt then the full output blocks, for a gen_keyed request. */
uint32_t engine_gen_keys(engine *e, uint32_t id, uint32_t limit);
/* Count an admission's hit of `hit` tokens as prompt or generated blocks. */
void engine_count_hit(engine *e, uint64_t hit);

/* ---- engine_offload.c: the host's copy of the prefix cache ---- */

/* The host copy of cfg.offload_bytes (none when 0); an error when too large. */
kv_status engine_offload_init(engine *e);
void engine_offload_free(engine *e);
/* Full blocks of e->keys[first .. n) the host holds, consecutively. */
uint32_t engine_offload_lookup(engine *e, uint32_t first, uint32_t n);
/* Request id loads that many blocks from the host (a background copy). */
void engine_offload_load(engine *e, uint32_t id, uint32_t blocks);
/* Store to the host the full blocks of e->keys[first .. n) it lacks. */
void engine_offload_store(engine *e, uint32_t id, uint32_t first, uint32_t n);
/* The bitmap of hash ids that name output blocks, and e->gen (at open). */
void engine_gen_ids_init(engine *e);

/* ---- engine_step.c, engine_loop.c, engine_result.c ---- */

/* Execute what is in e->ops (plus compute if `compute`) as one step. */
kv_status engine_execute(engine *e, int compute);
/* Keep e->next_ready, the next arrival's ready time. */
void engine_note_next_ready(engine *e);
/* serial_intake: give the front end every request that has arrived by t,
 * before any work that comes after t (engine_loop.c). */
void engine_front_end_advance(engine *e, double t);
/* Summary of a run that ended with status s (engine_result.c). */
kv_status engine_summary(engine *e, kv_status s);

#endif
