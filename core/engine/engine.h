/* engine.h - continuous batching in the style of vLLM V1.
 *
 * Waiting queue (FCFS), admission when the strategy can reserve the
 * request's memory, chunked prefill under a per-step token budget, one
 * decode token per running request per step, preemption of the newest
 * running request (by recompute, or by swap when the strategy has a host
 * tier) when memory runs out, completion and release. Each step the engine
 * asks the strategy for memory, hands the ops, the step's compute and its
 * own CPU time (kv_overheads) to the backend, and records metrics
 * (metrics.h).
 * Main entry point: kv_engine_run().
 */
#ifndef KV_ENGINE_H
#define KV_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "backend.h"
#include "metrics.h"
#include "model.h"
#include "platform.h"
#include "policy.h"
#include "strategy.h"
#include "workload.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum kv_preempt_mode {
  KV_PREEMPT_RECOMPUTE, /* drop the KV, prefill again later (vLLM default) */
  KV_PREEMPT_SWAP,      /* copy the KV to the host tier, bring it back */
} kv_preempt_mode;

/* What the engine does with a request whose prompt + output exceed the
 * run's max context (kv_strategy_max_context), as a serving engine applies
 * max_model_len: the same rule for every strategy and backend. */
typedef enum kv_long_prompt {
  KV_LONG_REJECT,   /* rejected on arrival (rejected_too_long) */
  KV_LONG_TRUNCATE, /* the prompt is cut to max context - output tokens
                       (its first tokens are dropped); rejected when the
                       output alone does not fit */
} kv_long_prompt;

/* The serving engine's own CPU work (scheduling, input preparation,
 * sampling, detokenization, the serving loop), in seconds. A step's CPU
 * time is
 *   step + per_seq x running requests + per_token x scheduled tokens
 *   + per_prefill_token x scheduled prompt tokens (not decode tokens)
 *   + per_worker x (min(tp, per_worker_max_tp if set) - 1)
 *   + admit x requests admitted for the first time in the step
 *   + finish x requests completed in the step
 * and rides on the step's COMPUTE op (kv_op.cpu_time). Synchronous (overlap
 * false, vLLM's default loop): the GPU idles while the CPU works, the step
 * lasts cpu + gpu. Overlapped (asynchronous scheduling, where the CPU
 * prepares step n+1 while the GPU runs step n): the step's CPU work runs
 * beside all of its GPU side (critical-path ops, then compute beside
 * background work), the step lasts max(cpu, gpu); the CPU work of a step
 * stands in for that of the next. Everything 0 / false (the default): no
 * CPU time, results as before. summary.cpu_time sums the part the GPU
 * waited for. */
typedef struct kv_overheads {
  double step;      /* s per step */
  double per_seq;   /* s per running request in the step */
  double per_token; /* s per token scheduled in the step */
  double admit;     /* s per request admitted for the first time (not when
                       resumed or recomputed after preemption) */
  double finish;    /* s per request completed in the step */
  double request;   /* s per request off the GPU's path before it reaches the
                       scheduler (HTTP, tokenization): it joins the queue that
                       long after arriving; TTFT and E2E count from arrival;
                       nothing stalls */
  bool overlap;     /* CPU beside the GPU work (max) instead of before it */
  /* s per prompt token scheduled (prefill chunks, recomputes included; not
   * the one token of a decode, whose work is per_seq's) */
  double per_prefill_token;
  /* s per step per tensor-parallel worker beyond the first: the driver
   * hands each step's inputs to every worker process and waits for all of
   * them (0 at tp 1) */
  double per_worker;
  /* per_worker counts the workers of at most this many GPUs (0: no cap):
   * a term fitted on tp up to N is not extrapolated past it (vLLM V1's
   * executor hands a step's inputs to every worker in one broadcast, so
   * nothing says the cost keeps growing by worker) */
  uint32_t per_worker_max_tp;
  /* The scheduler picks step n+1's batch while step n runs (vLLM V1's
   * asynchronous scheduling, its default from v0.14: a batch queue of two,
   * scheduling of the next step overlapped with the current one's
   * execution). A request that reaches the scheduler while a step runs
   * misses the step already scheduled and joins the one after it: it waits
   * out the rest of the running step, then the whole next one, before its
   * own. When nothing runs (the engine idles) it is scheduled at once.
   * Moves admission only: the step's CPU time stays as `overlap` says. */
  bool schedule_ahead;
  /* late_release (with schedule_ahead): the step after step n was
   * scheduled while step n ran, before its last tokens were known, so a
   * request that finishes in step n still holds its seat in that step: the
   * seats (max_num_seqs) it frees are given to waiting requests one step
   * later (vLLM V1's engine core frees a finished request when it reads
   * step n's output, after it has scheduled step n+1). Its KV memory is
   * released at once, as before. */
  bool late_release;
  /* Steps that run without a CUDA graph. A serving engine captures graphs
   * of its forward pass for batches up to some number of tokens (vLLM:
   * min(2 x max_num_seqs, 512)); a larger step launches its kernels one by
   * one from the host, eager_per_layer seconds per model layer (0: no
   * term). The kernels run as they are launched, so such a step's compute
   * lasts max(its GPU time, layers x eager_per_layer) (kv_op.launch_time).
   * graph_max_tokens 0: every step is graphed.
   * eager_overlap (with schedule_ahead): under asynchronous scheduling the
   * host launches a step while the GPU still runs the one before, so an
   * ungraphed step that follows another back to back began launching when
   * that one did, once the host was free of that one's own launches: its
   * launch time is shortened by what the previous step lasted beyond its
   * launches (never below 0). After an idle moment it is launched in
   * full. */
  uint32_t graph_max_tokens;
  double eager_per_layer;
  bool eager_overlap;
  /* The server's front end takes requests one at a time (vLLM's API server:
   * one process, one event loop): a request's `request` seconds begin when
   * it arrives or when the one before it is done, whichever is later, so
   * requests that arrive together queue. false: each request's `request`
   * seconds are its own (a pure delay, as many servers in parallel).
   * per_output (needs serial_intake): the same front end's seconds per
   * token it streams (detokenize, send): each step's tokens become its
   * work at the step's end, and a request arriving after that waits for
   * it too, first come first served.
   * ordered_output (needs per_output): the front end is one queue, first
   * come first served, for both kinds of work: a request's `request`
   * seconds, from its arrival, and each step's tokens, from the step's
   * end, per_output seconds each in the order of the running requests
   * (the longest running first; a request that joined in this step is
   * last, as vLLM appends it), and a token reaches the client when the
   * front end is done with it: a request's first token (TTFT) and last
   * (E2E) are stamped then, after the step's earlier tokens and any work
   * queued before them. The GPU's steps are untouched. */
  bool serial_intake;
  double per_output;
  bool ordered_output;
  /* GPU seconds per model layer in every step beyond what the compute
   * model prices (the roofline, a compute table): the fixed cost of the
   * layer's kernels, their starts within a CUDA graph, ramps and tails,
   * which a roofline of the step's bytes and FLOPs leaves out. GPU time,
   * not CPU: it adds to the step's compute (kv_op.fixed_time) whether or
   * not the CPU overlaps; a step launched kernel by kernel lasts
   * max(its GPU time with it, its launches). scripts/lab_decode_layer.py
   * measures a PyTorch layer's; 0: none. The GPU backend runs real
   * kernels and ignores it. */
  double layer_fixed;
} kv_overheads;

typedef struct kv_engine_cfg {
  const kv_model *model;
  const kv_platform *platform;
  const kv_workload *workload;
  const kv_strategy_vt *strategy;
  kv_strategy_cfg scfg;      /* model, capacity, max_requests filled by run */
  kv_backend *backend;       /* NULL = ideal backend */
  uint32_t tp;               /* tensor-parallel degree (GPUs per replica) */
  double gpu_mem_util;       /* fraction of HBM the server may use (0.9) */
  uint64_t kv_capacity;      /* override: KV bytes per GPU (0 = derive) */
  uint32_t max_num_seqs;     /* running requests cap (256) */
  uint32_t max_batch_tokens; /* per-step token budget (8192) */
  kv_preempt_mode preempt;
  double timeline_interval; /* s of simulated time between samples (0 =
                               every step) */
  int check_level;          /* 0 none, 1 is_valid at end, 2 every step */
  uint64_t seed;
  /* progress: called about every `progress_every` simulated seconds */
  void (*progress)(void *ud, double sim_t, size_t done, size_t total);
  void *progress_ud;
  double progress_every;
  /* set asynchronously (SIGINT); checked between steps */
  volatile int *interrupt;
  /* version 2 (all off by default: runs are as before) */
  bool tier;               /* preemption evicts blocks to the host tier, reload
                              on resume, prefetch and compaction (strategies with
                              evict/reload: indirect); needs scfg.host_bytes */
  bool prefix_sharing;     /* share prompt-prefix blocks found by the workload's
                              hash ids (paged, indirect); cached prefixes skip
                              their prefill */
  const kv_policy *policy; /* tiering decisions; NULL = kv_policy_default */
  /* version 3 */
  kv_long_prompt long_prompt; /* requests longer than the max context */
  double watermark; /* admission headroom, fraction of KV capacity (0.01, as
                       vLLM): a request is admitted or resumed only when its
                       next tokens fit with this much memory to spare */
  /* version 4 */
  kv_overheads overheads; /* engine CPU time per step (all 0: none) */
  /* version 5 */
  bool prefix_generated; /* with prefix_sharing: also publish the full blocks
                            a request's output completes when the workload
                            names them (kv_request_spec.gen_n: synthetic
                            multi-turn), as vLLM caches generated blocks;
                            true by default (a workload without output ids
                            runs as before) */
  /* version 6 */
  const struct kv_requests_opts *requests_opts; /* NULL = the default: every
                                                   request's result kept */
  /* version 7: several models on one GPU (core/engine/multimodel.h) */
  /* Called when the strategy's shared pool (scfg.pool) has no room for a
   * running request's growth, or for the head of the queue while nothing
   * runs (admission preempts nothing otherwise): may free memory elsewhere
   * (preempt another model's request) and sets *freed when it did, so the
   * engine tries again; otherwise the engine preempts its own newest request,
   * as without it. An error ends the run. NULL: never called. */
  kv_status (*reclaim)(void *ud, bool *freed, kv_error *err);
  void *reclaim_ud;
  /* version 8: the client gives up on a request that has not finished
   * client_timeout seconds after it arrived (a load generator's HTTP
   * timeout: aiohttp's default is 300 s) and the server aborts it at its
   * next step: it leaves the waiting queue or frees its seat and memory,
   * and counts as timed out (rejected "timed_out", summary.timed_out), not
   * in the latencies. 0: no timeout. */
  double client_timeout;
  /* version 9: a host copy of the prefix cache, as vLLM's CPU KV
   * offloading keeps one (engine_offload.c): every full prefix block
   * computed is also stored to the host (background device-to-host
   * copies), which holds this many bytes of blocks per GPU (least recently
   * used dropped first); an admission that finds its prompt's next blocks
   * there loads them back instead of prefilling them. Needs
   * prefix_sharing; 0: none. */
  uint64_t offload_bytes;
} kv_engine_cfg;

/* What happens to per-request results (kv_engine_cfg.requests_opts). The
 * engine holds each request's result while it runs; at the end it feeds
 * the latencies to sketches, writes them to a CSV file when asked, and,
 * with keep_requests false, drops them: kv_result.requests is NULL and
 * n_requests 0, and the TTFT/TPOT/E2E percentiles of the summary come
 * from kv_latency_sketch (metrics.h: within KV_SKETCH_ALPHA = 0.5 % of
 * the exact ones) instead of sorting every request. */
#define KV_ENGINE_KEEP_REQUESTS 1
typedef struct kv_requests_opts {
  bool keep_requests;        /* false: drop per-request results (above) */
  const char *requests_file; /* CSV path (one row per request, workload
                                order, kv_requests_write_csv), or NULL */
  /* for replicas (core/run/replicas.c); NULL / 0 otherwise */
  FILE *fp;              /* write rows here instead of opening requests_file */
  const size_t *ids;     /* workload index of each request (NULL: own) */
  kv_latency_sketch *sk; /* add the latencies here (NULL: a sketch of the
                            run's own, used for its percentiles) */
  long *span; /* with fp: where this run's rows went in fp, span[0] the
                 offset (ftell) and span[1] the bytes (NULL: not asked) */
} kv_requests_opts;

/* The per-request CSV: the header, then one row per request
 * (id,arrival,first_token,finish,prompt,output,generated,preemptions,
 * rejected,truncated; times "%.17g", exact). ids NULL: row i has id i. */
int kv_requests_write_csv_header(FILE *f);
int kv_requests_write_csv(FILE *f, const kv_request_result *reqs, size_t n,
                          const size_t *ids);

/* Add the latencies of reqs[0..n) to sk (kv_summary_latencies' rules). */
void kv_latency_sketch_add(kv_latency_sketch *sk, const kv_request_result *reqs,
                           size_t n);
void kv_latency_sketch_free(kv_latency_sketch *sk);
/* Fill the summary's TTFT/TPOT/E2E percentiles from sketches. */
void kv_summary_latencies_sketch(kv_summary *sum, const kv_latency_sketch *sk);

void kv_engine_cfg_defaults(kv_engine_cfg *cfg);

typedef struct kv_result {
  kv_summary summary;
  kv_timeline timeline;
  kv_request_result *requests; /* one per workload request */
  size_t n_requests;
  char strategy[32];
  char backend[1024]; /* backend description (SimGrid cfg etc.) */
  uint64_t seed;
  kv_tier_result tier; /* version 2 */
} kv_result;

void kv_result_free(kv_result *r);

/* Fill the TTFT/TPOT/e2e percentiles of `sum` from per-request results (the
 * one definition of those metrics; also used to aggregate replicas). */
void kv_summary_latencies(kv_summary *sum, const kv_request_result *reqs,
                          size_t n);

/* KV bytes per GPU the engine gives the strategy: HBM x util - weights/tp -
 * activation reserve. Errors when the model does not fit at all. */
kv_status kv_engine_kv_capacity(const kv_engine_cfg *cfg, uint64_t *out,
                                kv_error *err);

/* Activation bytes per GPU vLLM-style profiling reserves for cfg's model
 * at its max_batch_tokens (part of kv_engine_kv_capacity). */
double kv_engine_activation_bytes(const kv_engine_cfg *cfg);

/* The one tensor-parallel check, for every backend: 1 <= tp <= the
 * platform's GPUs, tp divides the attention heads, and tp and the KV heads
 * divide one another (KV heads split, or replicated past their count). */
kv_status kv_engine_check_tp(const kv_model *m, const kv_platform *p,
                             uint32_t tp, kv_error *err);

/* Run the workload to completion (or interruption). On KV_EINTR the result
 * holds what ran and summary.unfinished says what did not. */
kv_status kv_engine_run(const kv_engine_cfg *cfg, kv_result *out,
                        kv_error *err);

/* ---- one step at a time (a driver advancing several engines) ----
 * kv_engine_run is open, then inside the backend's run: begin, advance
 * until done, end; then close. A driver of several engines
 * (core/engine/multimodel.c) calls the same functions itself; an engine stepped
 * this way gives the same result as kv_engine_run. */
typedef struct kv_engine kv_engine;

/* Check cfg, create the strategy (its setup ops queued) and size the
 * result. cfg and out must outlive the engine. */
kv_status kv_engine_open(const kv_engine_cfg *cfg, kv_result *out,
                         kv_engine **e, kv_error *err);
/* Run the setup ops and wait for the first arrival. */
kv_status kv_engine_begin(kv_engine *e);
/* One iteration: a step, an idle wait for the next arrival, or a round of
 * rejections. *done when every request has finished. */
kv_status kv_engine_advance(kv_engine *e, bool *done);
/* Flush the last releases and run the end-of-run checks. */
kv_status kv_engine_end(kv_engine *e);
/* Summary of a run that ended with status s, teardown; frees e. Returns s
 * or the requests file's error. */
kv_status kv_engine_close(kv_engine *e, kv_status s);

/* When the engine next has something to do: its clock when requests run
 * or wait, the next arrival when it is idle, INFINITY when all finished. */
double kv_engine_next_event(const kv_engine *e);
/* true while requests run or wait in its queue. */
bool kv_engine_busy(const kv_engine *e);
/* true when nothing runs and the head of the queue waits for pages other
 * models hold in the strategy's shared pool: the driver should step the
 * other engines first (its last advance moved no time). */
bool kv_engine_pool_wait(const kv_engine *e);
/* Another engine ran: the pool may have pages again, try once more. */
void kv_engine_pool_wake(kv_engine *e);
/* Running requests, and the strategy's memory accounting. */
size_t kv_engine_running(const kv_engine *e);
void kv_engine_mem(const kv_engine *e, kv_mem_stats *ms);
kv_backend *kv_engine_backend(const kv_engine *e);
/* Preempt the engine's newest running request (recompute, or swap as its
 * cfg says), for another engine short of shared memory. The memory is
 * free at once; the driver ops run with the engine's next step. false
 * when none runs. */
bool kv_engine_preempt_newest(kv_engine *e, kv_status *s);
/* Check the engine's invariants and its strategy's (check levels). */
kv_status kv_engine_is_valid(const kv_engine *e);

#ifdef __cplusplus
}
#endif

#endif
