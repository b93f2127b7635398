/* validate_gpu.c - the measured half of the sim-vs-real validation: one fixed
 * closed-batch workload through seven strategy configurations on the GPU
 * backend (and two more experiments, --steady and --tier, below), every step's
 * measured times written to CSV, so that experiments/validate.lua can replay
 * the identical requests and configurations in simulation and compare them step
 * by step.
 *
 *   validate_gpu [--steady | --tier] [--out DIR] [--only LABEL] [--ideal]
 *                [--split] [--list]
 *   validate_gpu --open [--out DIR] [--only LABEL] [--ideal] [--list]
 *                [--minutes M] [--start S] [--trace FILE] [--speedup X]
 *                [--max-wall S] [--batch-tokens N]
 *                [--bg-thread kept|per-step|off]
 *   validate_gpu --lockstep [--out DIR] [--device K] [--gpus N]
 *                [--start-at UNIX_TIME] [--quick] [--ideal] ...
 *                (one GPU's part of scale.lua's lockstep swapping,
 *                lockstep_main() below)
 *
 * --open is the open-arrival experiment (a slice of the Azure conversation
 * trace at its own arrival times, open_main() below); the rest of this
 * comment is about the closed batches.
 * All requests arrive at t = 0 (a closed batch). The engine's decisions then
 * depend on memory only, never on the clock, so step i of the GPU run and
 * step i of the simulated run execute the same ops (validate.lua checks
 * this on the per-step batch tokens and used bytes). Writes into DIR:
 *   workload.csv          the requests (Azure CSV: TIMESTAMP,ContextTokens,
 *                         GeneratedTokens), read back here and run from the
 *                         read-back copy, so both sides see the same bytes
 *   setup.lua             the model, engine options and configurations, as
 *                         a Lua table validate.lua loads
 *   steps_<label>.csv     one row per backend step: the kv_step_time fields
 *                         and per-kind times, the step's op totals
 *   timeline_<label>.csv  the engine's timeline (every step)
 *   summary.csv           one row per configuration: kv_summary, op counts
 *                         and times per kind, the GPU backend's totals
 *                         (appended to, so each configuration may run in
 *                         its own process with --only)
 *   backend.txt           each configuration's backend description
 * Each engine step is one backend step. --split executes a step whose
 * critical VMM op follows a critical copy as several backend steps instead
 * (split_step()), the work-around the first H100 run needed before the GPU
 * backend waited for such copies itself; it is kept to compare the two.
 * --ideal runs the ideal backend instead (no GPU needed: checks the program
 * and the files).
 *
 * Two more experiments, each with its own cases, workload and default DIR:
 *   --steady  (results/tmp/steady) a decode steady state without memory
 *             pressure: 32 requests at t = 0, prompts U[64,128], outputs
 *             U[512,1024], 12 GiB of KV, through vmm without and with
 *             map-ahead and deferred reclamation. Per case, steady.csv has
 *             the decode-only steps (every request that computes in the
 *             step computes exactly one token: batch_tokens equals the
 *             requests between their first token and their finish), how
 *             many of them made a critical (synchronous) VMM call, of which
 *             kinds, and the driver time critical / hidden per generated
 *             token over the whole run and over the decode-only steps.
 *   --tier    (results/tmp/tier) indirect with tier = true and prefix
 *             sharing on a closed batch whose prompts share prefixes
 *             (Mooncake-style hash ids, written as workload.jsonl and read
 *             back), KV capacity small enough that eviction, reload,
 *             prefetch and compaction can happen (one case forces them
 *             with a C policy: prefetch 2, compact 32 blocks, every step),
 *             check_level 2; tier.csv has the kv_tier_result counters.
 *             Exits 3 when one of them stays zero.
 * A run past MAX_STEPS backend steps is stopped as an engine without
 * progress (an error).
 * steps_<label>.csv also counts, per step, the VMM calls of critical ops
 * (no KV_OPF_BACKGROUND) by kind and of background ops, and whether the
 * GPU backend ran the step's background ops inline (kv_gpu_totals).
 * Main entry point: main().
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "engine.h"
#include "gpu_backend.h"
#include "policy.h"
#include "strategy.h"
#include "run_spec.h"
#include "workload.h"

#define DIE(...)                                                               \
  do {                                                                         \
    fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);                            \
    fprintf(stderr, __VA_ARGS__);                                              \
    fprintf(stderr, "\n");                                                     \
    exit(1);                                                                   \
  } while (0)

#define MIB (1024ull * 1024ull)
#define GIB (1024ull * MIB)

/* ---- the experiments ---- */

static const char model_name[] = "llama-3-8b";
static const uint64_t seed = 20261122;

typedef struct vcase {
  const char *label;
  const char *strategy;
  uint64_t page_bytes;  /* vmm */
  kv_vmm_layout layout; /* vmm */
  uint32_t map_ahead;   /* vmm */
  kv_copy_via via;      /* swap copies */
  bool deferred;        /* vmm: deferred reclamation */
  uint64_t slab_bytes;  /* indirect: slab size (0 = the default) */
  bool force_compact;   /* tier: a policy asks, in every step, compaction
                           of 32 blocks and prefetch of 2 requests */
} vcase;

typedef struct experiment {
  const char *name;
  const char *dir; /* default output directory */
  size_t n_requests;
  uint32_t prompt_lo, prompt_hi, output_lo, output_hi;
  uint64_t kv_capacity, host_bytes;
  uint32_t max_batch_tokens, max_num_seqs;
  uint32_t max_context; /* static and vmm */
  kv_preempt_mode preempt;
  int check_level;
  bool tier, prefix; /* indirect: block-level tier, prefix sharing */
  const vcase *cases;
  size_t n_cases;
} experiment;

/* The sim-vs-real validation (docs/validation.md). */
static const vcase validate_cases[] = {
    {"static", "static", 0, KV_VMM_PER_LAYER, 0, KV_VIA_ENGINE, false, 0,
     false},
    {"paged-16", "paged", 0, KV_VMM_PER_LAYER, 0, KV_VIA_ENGINE, false, 0,
     false},
    {"paged-16-kernel", "paged", 0, KV_VMM_PER_LAYER, 0, KV_VIA_KERNEL, false,
     0, false},
    {"vmm-2M-layer", "vmm", 2 * MIB, KV_VMM_PER_LAYER, 0, KV_VIA_ENGINE, false,
     0, false},
    {"vmm-2M-all", "vmm", 2 * MIB, KV_VMM_ALL_LAYERS, 0, KV_VIA_ENGINE, false,
     0, false},
    /* one 2 MiB all-layer page = 16 Llama-3-8B tokens mapped ahead */
    {"vmm-2M-all-ahead", "vmm", 2 * MIB, KV_VMM_ALL_LAYERS, 16, KV_VIA_ENGINE,
     false, 0, false},
    {"indirect-64M-16", "indirect", 0, KV_VMM_PER_LAYER, 0, KV_VIA_ENGINE,
     false, 0, false},
};

/* Decode steady state: map-ahead of one page (all layers: 16 tokens of
 * Llama-3-8B; per layer: 1024 tokens) and deferred reclamation. */
static const vcase steady_cases[] = {
    {"vmm-2M-all", "vmm", 2 * MIB, KV_VMM_ALL_LAYERS, 0, KV_VIA_ENGINE, false,
     0, false},
    {"vmm-2M-all-ahead16", "vmm", 2 * MIB, KV_VMM_ALL_LAYERS, 16, KV_VIA_ENGINE,
     false, 0, false},
    {"vmm-2M-all-ahead16-deferred", "vmm", 2 * MIB, KV_VMM_ALL_LAYERS, 16,
     KV_VIA_ENGINE, true, 0, false},
    {"vmm-2M-layer-ahead1024-deferred", "vmm", 2 * MIB, KV_VMM_PER_LAYER, 1024,
     KV_VIA_ENGINE, true, 0, false},
};

/* Tiering and prefix sharing executed on the GPU. */
static const vcase tier_cases[] = {
    {"indirect-tier-32M-16", "indirect", 0, KV_VMM_PER_LAYER, 0, KV_VIA_ENGINE,
     false, 32 * MIB, false},
    {"indirect-tier-32M-16-compact", "indirect", 0, KV_VMM_PER_LAYER, 0,
     KV_VIA_ENGINE, false, 32 * MIB, true},
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static const experiment experiments[] = {
    /* 128 tokens per step keep every step memory-bound in the model (a
     * step of Llama-3-8B turns FLOP-bound above ~250 tokens on an H100),
     * which is the regime the GPU's compute stand-in reproduces: it reads
     * the step's bytes but does no arithmetic (docs/gpu.md). 1 GiB of KV is
     * ~8k tokens: swaps happen. */
    {"validate", "results/tmp/validate", 64, 32, 256, 32, 256, 1 * GIB, 1 * GIB,
     128, 256, 512, KV_PREEMPT_SWAP, 1, false, false, validate_cases,
     N_OF(validate_cases)},
    /* 32 x at most 1151 tokens x 128 KiB = 4.5 GiB (all layers) or 32 x 2
     * steps x 64 ranges x 2 MiB = 8 GiB (per layer): 12 GiB leaves room, so
     * nothing is preempted. 512 tokens per step admit the batch in a few
     * steps, beside the first decodes. */
    {"steady", "results/tmp/steady", 32, 64, 128, 512, 1024, 12 * GIB, 0, 512,
     256, 1152, KV_PREEMPT_RECOMPUTE, 1, false, false, steady_cases,
     N_OF(steady_cases)},
    /* 768 MiB of KV (6144 tokens, 384 blocks of 16) for prompts of
     * 200-1000 tokens: growth evicts. (1 GiB with prompts of 700-2400 and
     * 1024 tokens per step once made the engine evict and reload the same
     * requests without progress; fixed, docs/gpu.md) */
    {"tier", "results/tmp/tier", 64, 200, 1000, 32, 256, 768 * MIB, 4 * GIB,
     256, 256, 0, KV_PREEMPT_SWAP, 2, true, true, tier_cases, N_OF(tier_cases)},
};

/* ---- a backend that records every step of the backend it wraps ---- */

#define N_VMM_KINDS (KV_OP_VMM_RELEASE + 1)

typedef struct step_rec {
  uint64_t engine_step; /* 1-based index among steps with compute, 0 none */
  uint32_t n_ops;
  uint32_t parts; /* inner steps the step was executed as (see split) */
  double compute_bytes, compute_flops;
  double copy_bytes, copy_runs, vmm_calls, table_entries;
  double crit_vmm[N_VMM_KINDS]; /* calls of ops without KV_OPF_BACKGROUND */
  double bg_vmm;                /* calls of background ops */
  int inlined; /* the GPU backend ran its background ops inline */
  kv_step_time t;
  /* --open: the COMPUTE op's shape and the clock after the step */
  double tokens, decodes, decode_keys, prefill_pairs;
  double t_end;
  double running; /* the engine's running requests (its timeline), after
                     the run */
  double h2d_bytes, d2h_bytes; /* COPY ops by direction (--lockstep) */
} step_rec;

typedef struct recorder {
  kv_backend *inner;
  int gpu;   /* inner is the GPU backend (kv_gpu_get_totals) */
  int split; /* --split: run a step as parts (split_step()) */
  kv_op_list sub;
  int sub_ready;
  step_rec *v;
  size_t n, cap;
  uint64_t compute_steps;
  volatile int stop;   /* set past max_steps (or max_wall): the engine stops
                          (KV_EINTR) */
  uint64_t max_steps;  /* MAX_STEPS, or OPEN_MAX_STEPS (--open) */
  double max_wall;     /* s of wall time (0 = no limit; --open) */
  double wall0;        /* monotonic clock at the run's start */
  const char *stopped; /* why it stopped: "max-steps", "max-wall" */
} recorder;

/* No configuration here needs more than a few thousand steps; a run past
 * this is an engine that makes no progress, stopped rather than left to
 * spend device time. */
#define MAX_STEPS 20000

/* Seconds on the monotonic clock. */
static double wall_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static recorder *rec_of(kv_backend *b) {
  return b->state;
}

static kv_status rec_run(kv_backend *b, kv_status (*fn)(void *), void *arg,
                         kv_error *err) {
  kv_backend *in = rec_of(b)->inner;
  return in->vt->run(in, fn, arg, err);
}

static double rec_now(kv_backend *b) {
  kv_backend *in = rec_of(b)->inner;
  return in->vt->now(in);
}

static void rec_idle_until(kv_backend *b, double t) {
  kv_backend *in = rec_of(b)->inner;
  in->vt->idle_until(in, t);
}

static int is_critical(const kv_op *op) {
  return !(op->flags & KV_OPF_BACKGROUND) && op->kind != KV_OP_COMPUTE &&
         op->kind != KV_OP_ATTN_READ;
}

static void push_op_copy(kv_op_list *dst, const kv_op_list *src,
                         const kv_op *o) {
  kv_op *d = kv_ops_push(dst, (kv_op_kind)o->kind, o->req);
  size_t first = d->runs_first;
  *d = *o;
  d->runs_first = first;
  d->runs_n = 0;
  for (uint32_t r = 0; r < o->runs_n && src->record_runs; r++) {
    const kv_run *run = &src->runs[o->runs_first + r];
    kv_ops_push_run(dst, d, run->src, run->dst, run->bytes);
  }
}

static void add_time(kv_step_time *a, const kv_step_time *b) {
  a->total += b->total;
  a->compute += b->compute;
  a->op_critical += b->op_critical;
  a->op_hidden += b->op_hidden;
  a->driver_critical += b->driver_critical;
  a->driver_hidden += b->driver_hidden;
  for (int k = 0; k < KV_OP__COUNT; k++)
    a->by_kind[k] += b->by_kind[k];
}

/* With --split, a step whose critical VMM op follows a critical COPY is
 * executed as several inner steps: the critical ops before that VMM op
 * first (the step waits for them), then the rest; background ops,
 * attention reads and the compute stay in the last part. The step's times
 * are the sums of the parts'. This was the work-around for a GPU backend
 * that made a swap-out's UNMAP / RELEASE before the D2H copy of the same
 * pages had run ("unspecified launch failure"); the backend now waits for
 * such copies itself, so the default is one backend step per step. */
static kv_status split_step(recorder *r, const kv_op_list *ops,
                            kv_step_time *out, uint32_t *parts, kv_error *err) {
  kv_backend *in = r->inner;
  memset(out, 0, sizeof *out);
  *parts = 0;
  if (!r->sub_ready) {
    kv_ops_init(&r->sub, ops->record_runs);
    r->sub_ready = 1;
  }
  uint8_t *done = calloc(ops->n ? ops->n : 1, 1);
  if (!done) DIE("out of host memory");
  int copy_pending = 0;
  kv_status s = KV_OK;
  kv_step_time t;
  for (size_t i = 0; i < ops->n && s == KV_OK; i++) {
    const kv_op *op = &ops->ops[i];
    if (!is_critical(op)) continue;
    if (op->kind <= KV_OP_VMM_RELEASE && copy_pending) {
      kv_ops_clear(&r->sub);
      for (size_t j = 0; j < i; j++)
        if (!done[j] && is_critical(&ops->ops[j])) {
          push_op_copy(&r->sub, ops, &ops->ops[j]);
          done[j] = 1;
        }
      s = in->vt->step(in, &r->sub, &t, err);
      add_time(out, &t);
      (*parts)++;
      copy_pending = 0;
    }
    if (op->kind == KV_OP_COPY) copy_pending = 1;
  }
  if (s == KV_OK && *parts == 0) {
    s = in->vt->step(in, ops, out, err);
    *parts = 1;
  } else if (s == KV_OK) {
    kv_ops_clear(&r->sub);
    for (size_t j = 0; j < ops->n; j++)
      if (!done[j]) push_op_copy(&r->sub, ops, &ops->ops[j]);
    s = in->vt->step(in, &r->sub, &t, err);
    add_time(out, &t);
    (*parts)++;
  }
  free(done);
  return s;
}

static kv_status rec_step(kv_backend *b, const kv_op_list *ops,
                          kv_step_time *out, kv_error *err) {
  recorder *r = rec_of(b);
  uint32_t parts = 1;
  kv_gpu_totals before, after;
  memset(&before, 0, sizeof before);
  memset(&after, 0, sizeof after);
  if (r->gpu) kv_gpu_get_totals(r->inner, &before);
  kv_status s = r->split ? split_step(r, ops, out, &parts, err)
                         : r->inner->vt->step(r->inner, ops, out, err);
  if (s != KV_OK) return s;
  if (r->gpu) kv_gpu_get_totals(r->inner, &after);
  if (r->n == r->cap) {
    r->cap = r->cap ? 2 * r->cap : 1024;
    r->v = realloc(r->v, r->cap * sizeof *r->v);
    if (!r->v) DIE("out of host memory");
  }
  step_rec *e = &r->v[r->n++];
  if (r->n > r->max_steps && !r->stop) {
    r->stop = 1;
    r->stopped = "max-steps";
  }
  if (r->max_wall > 0 && !r->stop && wall_now() - r->wall0 > r->max_wall) {
    r->stop = 1;
    r->stopped = "max-wall";
  }
  memset(e, 0, sizeof *e);
  e->n_ops = (uint32_t)ops->n;
  e->parts = parts;
  for (size_t i = 0; i < ops->n; i++) {
    const kv_op *op = &ops->ops[i];
    if (op->kind == KV_OP_COMPUTE) {
      e->engine_step = ++r->compute_steps;
      e->compute_bytes += (double)op->bytes;
      e->compute_flops += op->flops;
      e->tokens += op->tokens;
      e->decodes += op->decodes;
      e->decode_keys += op->decode_keys;
      e->prefill_pairs += op->prefill_pairs;
    } else if (op->kind == KV_OP_COPY) {
      e->copy_bytes += (double)op->bytes;
      e->copy_runs += op->count;
      if (op->dir == KV_COPY_H2D) e->h2d_bytes += (double)op->bytes;
      if (op->dir == KV_COPY_D2H) e->d2h_bytes += (double)op->bytes;
    } else if (op->kind == KV_OP_TABLE_WRITE) {
      e->table_entries += op->count;
    }
    e->vmm_calls += kv_op_driver_calls(op);
    if (op->kind < N_VMM_KINDS && !(op->flags & KV_OPF_BACKGROUND))
      e->crit_vmm[op->kind] += kv_op_driver_calls(op);
    else if (op->kind < N_VMM_KINDS)
      e->bg_vmm += kv_op_driver_calls(op);
  }
  e->inlined = after.inline_steps > before.inline_steps;
  e->t = *out;
  e->t_end = r->inner->vt->now(r->inner);
  return KV_OK;
}

static void rec_describe(kv_backend *b, char *buf, size_t n) {
  kv_backend *in = rec_of(b)->inner;
  in->vt->describe(in, buf, n);
}

static void rec_destroy(kv_backend *b) {
  recorder *r = rec_of(b);
  r->inner->vt->destroy(r->inner);
  if (r->sub_ready) kv_ops_free(&r->sub);
  free(r->v);
  free(r);
  free(b);
}

static const kv_backend_vt recorder_vt = {
    .version = 1,
    .name = "recorder",
    .run = rec_run,
    .now = rec_now,
    .idle_until = rec_idle_until,
    .step = rec_step,
    .describe = rec_describe,
    .destroy = rec_destroy,
};

static kv_backend *recorder_wrap(kv_backend *inner, int gpu, int split) {
  kv_backend *b = calloc(1, sizeof *b);
  recorder *r = calloc(1, sizeof *r);
  if (!b || !r) DIE("out of host memory");
  r->inner = inner;
  r->gpu = gpu;
  r->split = split;
  r->max_steps = MAX_STEPS;
  *b = *inner; /* platform, model, tp, flags (runs when the GPU needs them) */
  b->vt = &recorder_vt;
  b->state = r;
  return b;
}

/* ---- files ---- */

static FILE *open_mode(const char *dir, const char *name, const char *mode) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, mode);
  if (!f) DIE("%s: cannot open for writing: %s", path, strerror(errno));
  return f;
}

static FILE *open_out(const char *dir, const char *name) {
  return open_mode(dir, name, "w");
}

static void close_out(FILE *f, const char *what) {
  if (ferror(f) || fclose(f) != 0) DIE("%s: write failed", what);
}

/* shape (--open): more columns: the COMPUTE op's tokens, decodes,
 * decode_keys, prefill_pairs, the engine's running requests in the step
 * and t, the clock at the step's end; shape 2 (--lockstep): also the
 * step's COPY bytes host -> device and device -> host */
static void write_steps(const char *dir, const char *label, const recorder *r,
                        int shape) {
  char name[256];
  snprintf(name, sizeof name, "steps_%s.csv", label);
  FILE *f = open_out(dir, name);
  fprintf(f,
          "row,engine_step,n_ops,parts,compute_bytes,compute_flops,copy_bytes,"
          "copy_runs,vmm_calls,table_entries,total,compute,op_critical,"
          "op_hidden,driver_critical,driver_hidden");
  for (int k = 0; k < KV_OP__COUNT; k++)
    fprintf(f, ",t_%s", kv_op_kind_name((kv_op_kind)k));
  for (int k = 0; k < N_VMM_KINDS; k++)
    fprintf(f, ",crit_calls_%s", kv_op_kind_name((kv_op_kind)k));
  fprintf(f, ",crit_vmm_calls,bg_vmm_calls,inline%s%s\n",
          shape ? ",tokens,decodes,decode_keys,prefill_pairs,running,t" : "",
          shape == 2 ? ",h2d_bytes,d2h_bytes" : "");
  for (size_t i = 0; i < r->n; i++) {
    const step_rec *e = &r->v[i];
    fprintf(f,
            "%zu,%" PRIu64
            ",%u,%u,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,"
            "%.9g,%.9g,%.9g",
            i + 1, e->engine_step, e->n_ops, e->parts, e->compute_bytes,
            e->compute_flops, e->copy_bytes, e->copy_runs, e->vmm_calls,
            e->table_entries, e->t.total, e->t.compute, e->t.op_critical,
            e->t.op_hidden, e->t.driver_critical, e->t.driver_hidden);
    for (int k = 0; k < KV_OP__COUNT; k++)
      fprintf(f, ",%.9g", e->t.by_kind[k]);
    double crit = 0;
    for (int k = 0; k < N_VMM_KINDS; k++) {
      fprintf(f, ",%.9g", e->crit_vmm[k]);
      crit += e->crit_vmm[k];
    }
    fprintf(f, ",%.9g,%.9g,%d", crit, e->bg_vmm, e->inlined);
    if (shape)
      fprintf(f, ",%.0f,%.0f,%.9g,%.9g,%.0f,%.9g", e->tokens, e->decodes,
              e->decode_keys, e->prefill_pairs, e->running, e->t_end);
    if (shape == 2) fprintf(f, ",%.0f,%.0f", e->h2d_bytes, e->d2h_bytes);
    fprintf(f, "\n");
  }
  close_out(f, name);
}

static void write_timeline(const char *dir, const char *label,
                           const kv_timeline *tl) {
  char name[256];
  snprintf(name, sizeof name, "timeline_%s.csv", label);
  FILE *f = open_out(dir, name);
  if (kv_timeline_write_csv(tl, f) != 0) DIE("%s: write failed", name);
  close_out(f, name);
}

/* summary.csv: label, every kv_summary metric, op count and time per kind,
 * the GPU backend's own totals (0 under --ideal) */
static void summary_header(FILE *f) {
  fprintf(f, "label");
  for (size_t i = 0; i < kv_summary_info_n; i++)
    fprintf(f, ",%s", kv_summary_info[i].name);
  for (int k = 0; k < KV_OP__COUNT; k++)
    fprintf(f, ",count_%s,time_%s", kv_op_kind_name((kv_op_kind)k),
            kv_op_kind_name((kv_op_kind)k));
  fprintf(f, ",gpu_steps,gpu_step_time,gpu_idle_time,gpu_driver_critical,"
             "gpu_driver_hidden,gpu_driver_calls,gpu_compute_time,"
             "gpu_copy_time,gpu_attn_bytes,gpu_weight_bytes,"
             "gpu_inline_steps,gpu_hoisted_ops");
}

/* Without the line's end: --open adds columns (open_summary_row()). */
static void summary_row(FILE *f, const char *label, const kv_summary *s,
                        const kv_gpu_totals *t) {
  fprintf(f, "%s", label);
  for (size_t i = 0; i < kv_summary_info_n; i++)
    fprintf(f, ",%.9g",
            *(const double *)((const char *)s + kv_summary_info[i].offset));
  for (int k = 0; k < KV_OP__COUNT; k++)
    fprintf(f, ",%.9g,%.9g", s->op_count[k], s->op_time[k]);
  fprintf(f, ",%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g",
          t->steps, t->step_time, t->idle_time, t->driver_critical,
          t->driver_hidden, t->driver_calls, t->compute_time, t->copy_time,
          t->attn_bytes, t->weight_bytes, t->inline_steps, t->hoisted_ops);
}

/* A case's strategy options onto scfg (the one place they are typed: the
 * run and the setup file's Lua strategy table both come from here). */
static void case_scfg(const experiment *x, const vcase *c,
                      kv_strategy_cfg *scfg) {
  if (strcmp(c->strategy, "static") == 0 || strcmp(c->strategy, "vmm") == 0)
    scfg->max_context = x->max_context;
  if (c->page_bytes) scfg->page_bytes = c->page_bytes;
  if (c->slab_bytes) scfg->slab_bytes = c->slab_bytes;
  scfg->vmm_layout = c->layout;
  scfg->map_ahead = c->map_ahead;
  scfg->deferred_reclaim = c->deferred;
  scfg->copy_via = c->via;
}

/* The strategy table kv.run takes for a configuration (Lua source). */
static void strategy_lua(const char *name, const kv_strategy_cfg *scfg,
                         char *buf, size_t n) {
  kv_error err = {0};
  const kv_strategy_vt *vt = kv_strategy_find(name, &err);
  if (!vt) DIE("%s", err.msg);
  if ((size_t)kv_strategy_cfg_lua(vt, scfg, buf, n) >= n)
    DIE("strategy table of %s longer than %zu bytes", name, n);
}

static void write_setup(const char *dir, const experiment *x,
                        const char *backend_kind) {
  FILE *f = open_out(dir, "setup.lua");
  fprintf(f,
          "-- written by validate_gpu (gpu/validate_gpu.c): the measured "
          "runs' configuration\n"
          "return {\n"
          "  experiment = \"%s\",\n"
          "  backend = \"%s\",\n"
          "  model = \"%s\",\n"
          "  workload = { n = %zu, arrival = 0, prompt = { %u, %u }, "
          "output = { %u, %u }, seed = %" PRIu64 "%s },\n"
          "  engine = { kv_capacity = %" PRIu64 ", host_bytes = %" PRIu64
          ", preempt = \"%s\", max_batch_tokens = %u, max_num_seqs = %u, "
          "check = %d, seed = %" PRIu64 ", timeline_interval = 0%s },\n"
          "  configs = {\n",
          x->name, backend_kind, model_name, x->n_requests, x->prompt_lo,
          x->prompt_hi, x->output_lo, x->output_hi, seed,
          x->prefix ? ", file = \"workload.jsonl\"" : "", x->kv_capacity,
          x->host_bytes, x->preempt == KV_PREEMPT_SWAP ? "swap" : "recompute",
          x->max_batch_tokens, x->max_num_seqs, x->check_level, seed,
          x->tier ? ", tier = true, prefix_sharing = true" : "");
  for (size_t i = 0; i < x->n_cases; i++) {
    kv_strategy_cfg sc;
    kv_strategy_cfg_defaults(&sc);
    case_scfg(x, &x->cases[i], &sc);
    char lua[512];
    strategy_lua(x->cases[i].strategy, &sc, lua, sizeof lua);
    fprintf(f, "    { label = \"%s\", strategy = %s%s },\n", x->cases[i].label,
            lua,
            x->cases[i].force_compact
                ? ", policy = { compact = function() return 32 end, "
                  "prefetch = function() return 2 end }"
                : "");
  }
  fprintf(f, "  },\n}\n");
  close_out(f, "setup.lua");
}

/* Prefix hash ids of 512-token blocks, Mooncake style (equal ids mean equal
 * prefixes): block 0 is a system prompt every request shares; requests of
 * at least three blocks share their second with the other requests of
 * their group (i mod 8); the rest are their own. */
static void write_jsonl(const char *dir, const kv_workload *g) {
  FILE *f = open_out(dir, "workload.jsonl");
  uint32_t next = 100;
  for (size_t i = 0; i < g->n; i++) {
    uint32_t nb = (g->reqs[i].prompt + 511) / 512;
    fprintf(f,
            "{\"timestamp\": 0, \"input_length\": %u, \"output_length\": %u, "
            "\"hash_ids\": [0",
            g->reqs[i].prompt, g->reqs[i].output);
    for (uint32_t j = 1; j < nb; j++)
      fprintf(f, ", %u", j == 1 && nb >= 3 ? 1 + (uint32_t)(i % 8) : next++);
    fprintf(f, "]}\n");
  }
  close_out(f, "workload.jsonl");
}

/* Generate the closed batch, write it (Azure CSV, or Mooncake JSONL when
 * the experiment shares prefixes), read it back. */
static void make_workload(const char *dir, const experiment *x,
                          kv_workload *w) {
  kv_synth_cfg sc = {
      .arrival = KV_ARRIVAL_POISSON,
      .rate = 1, /* arrivals are then all set to 0 */
      .n = x->n_requests,
      .prompt = {.kind = KV_LEN_UNIFORM,
                 .a = x->prompt_lo,
                 .b = x->prompt_hi,
                 .min = 1},
      .output = {.kind = KV_LEN_UNIFORM,
                 .a = x->output_lo,
                 .b = x->output_hi,
                 .min = 1},
  };
  kv_workload g;
  kv_error err;
  kv_workload_init(&g);
  if (kv_workload_synthetic(&sc, seed, &g, &err) != KV_OK)
    DIE("workload: %s", err.msg);
  const char *name = x->prefix ? "workload.jsonl" : "workload.csv";
  if (x->prefix) {
    write_jsonl(dir, &g);
  } else {
    FILE *f = open_out(dir, name);
    fprintf(f, "TIMESTAMP,ContextTokens,GeneratedTokens\n");
    for (size_t i = 0; i < g.n; i++)
      fprintf(f, "0,%u,%u\n", g.reqs[i].prompt, g.reqs[i].output);
    close_out(f, name);
  }
  kv_workload_free(&g);
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  kv_workload_init(w);
  if (kv_workload_load(path, w, &err) != KV_OK)
    DIE("reading back %s: %s", path, err.msg);
  if (w->n != x->n_requests) DIE("%s: %zu requests read back", path, w->n);
  if (x->prefix && w->n_hashes == 0) DIE("%s: no hash ids read back", path);
}

/* ---- steady state: decode-only steps and the driver calls in them ---- */

static void steady_header(FILE *f) {
  fprintf(f, "label,steps,decode_steps,decode_steps_crit_vmm,"
             "decode_steps_crit_driver_time,decode_crit_vmm_calls");
  for (int k = 0; k < N_VMM_KINDS; k++)
    fprintf(f, ",decode_crit_calls_%s", kv_op_kind_name((kv_op_kind)k));
  fprintf(f, ",decode_tokens,decode_driver_critical,decode_driver_hidden,"
             "decode_crit_per_token,decode_hidden_per_token,"
             "generated_tokens,run_driver_critical,run_driver_hidden,"
             "run_crit_per_token,run_hidden_per_token,run_crit_vmm_calls,"
             "run_bg_vmm_calls,inline_steps,decode_inline_steps,preemptions,"
             "decode_step_time_mean,sim_time\n");
}

/* A step is decode-only when its batch tokens equal the requests that are
 * between their first token and their finish at its end (t): every request
 * computing in it then computes exactly one token (no preemption, so every
 * such request is scheduled; checked). */
static void steady_row(FILE *f, const char *label, const recorder *rc,
                       const kv_result *r) {
  const kv_timeline *tl = &r->timeline;
  if (tl->n != rc->compute_steps)
    DIE("%s: %zu timeline rows for %" PRIu64 " steps with compute", label,
        tl->n, rc->compute_steps);
  if (r->summary.preemptions > 0)
    fprintf(stderr, "%s: %.0f preemptions: decode-only steps are not exact\n",
            label, r->summary.preemptions);
  double dsteps = 0, dcrit_steps = 0, dcrit_time_steps = 0, dcalls = 0;
  double dkind[N_VMM_KINDS] = {0}, dtok = 0, dcrit = 0, dhid = 0, dtime = 0;
  double rcrit = 0, rhid = 0, rcalls = 0, rbg = 0, inl = 0, dinl = 0;
  for (size_t i = 0; i < rc->n; i++) {
    const step_rec *e = &rc->v[i];
    double crit = 0;
    for (int k = 0; k < N_VMM_KINDS; k++)
      crit += e->crit_vmm[k];
    rcrit += e->t.driver_critical;
    rhid += e->t.driver_hidden;
    rcalls += crit;
    rbg += e->bg_vmm;
    inl += e->inlined;
    if (e->engine_step == 0) continue;
    const kv_sample *sm = &tl->s[e->engine_step - 1];
    double decoding = 0;
    for (size_t q = 0; q < r->n_requests; q++) {
      const kv_request_result *rr = &r->requests[q];
      decoding += rr->first_token >= 0 && rr->first_token < sm->t &&
                  rr->finish >= sm->t;
    }
    if (sm->batch_tokens < decoding)
      DIE("%s: step %" PRIu64 ": %.0f tokens for %.0f decoding requests", label,
          e->engine_step, sm->batch_tokens, decoding);
    if (decoding == 0 || sm->batch_tokens != decoding) continue;
    dsteps++;
    dtok += decoding;
    dcrit += e->t.driver_critical;
    dhid += e->t.driver_hidden;
    dtime += e->t.total;
    dcalls += crit;
    dinl += e->inlined;
    dcrit_steps += crit > 0;
    dcrit_time_steps += e->t.driver_critical > 0;
    for (int k = 0; k < N_VMM_KINDS; k++)
      dkind[k] += e->crit_vmm[k];
  }
  double gen = r->summary.generated_tokens;
  fprintf(f, "%s,%zu,%.0f,%.0f,%.0f,%.0f", label, rc->n, dsteps, dcrit_steps,
          dcrit_time_steps, dcalls);
  for (int k = 0; k < N_VMM_KINDS; k++)
    fprintf(f, ",%.0f", dkind[k]);
  fprintf(f,
          ",%.0f,%.9g,%.9g,%.9g,%.9g,%.0f,%.9g,%.9g,%.9g,%.9g,%.0f,%.0f,%.0f,"
          "%.0f,%.0f,%.9g,%.9g\n",
          dtok, dcrit, dhid, dtok ? dcrit / dtok : 0, dtok ? dhid / dtok : 0,
          gen, rcrit, rhid, gen ? rcrit / gen : 0, gen ? rhid / gen : 0, rcalls,
          rbg, inl, dinl, r->summary.preemptions, dsteps ? dtime / dsteps : 0,
          r->summary.sim_time);
  printf("  steady %-31s decode-only steps %5.0f (of %zu), with a critical "
         "VMM call %4.0f (%5.0f calls:",
         label, dsteps, rc->n, dcrit_steps, dcalls);
  for (int k = 0; k < N_VMM_KINDS; k++)
    if (dkind[k] > 0)
      printf(" %s %.0f", kv_op_kind_name((kv_op_kind)k), dkind[k]);
  printf("); driver per token: decode crit %.3f us hidden %.3f us, run crit "
         "%.3f us hidden %.3f us; inline steps %.0f (decode %.0f)\n",
         dtok ? 1e6 * dcrit / dtok : 0, dtok ? 1e6 * dhid / dtok : 0,
         gen ? 1e6 * rcrit / gen : 0, gen ? 1e6 * rhid / gen : 0, inl, dinl);
}

/* ---- tiering: the counters ---- */

static void tier_header(FILE *f) {
  fprintf(f, "label,prefix_queried_tokens,prefix_hit_tokens,prefix_hit_rate,"
             "evictions,reloads,prefetches,compactions,compact_blocks,"
             "compact_bytes,policy_calls,admit_refusals,copy_bytes_h2d,"
             "copy_bytes_d2h,copy_bytes_d2d,copy_time,swaps_out,preemptions,"
             "steps,sim_time,throughput,inline_steps,hoisted_ops\n");
}

/* Returns the number of tiering counters that stayed zero. */
static int tier_row(FILE *f, const char *label, const kv_result *r,
                    const kv_gpu_totals *t) {
  const kv_tier_result *x = &r->tier;
  const kv_summary *s = &r->summary;
  fprintf(f,
          "%s,%.0f,%.0f,%.6f,%.0f,%.0f,%.0f,%.0f,%.0f,%.0f,%.0f,%.0f,%.0f,"
          "%.0f,%.0f,%.9g,%.0f,%.0f,%.0f,%.9g,%.9g,%.0f,%.0f\n",
          label, x->prefix_queried_tokens, x->prefix_hit_tokens,
          x->prefix_hit_rate, x->evictions, x->reloads, x->prefetches,
          x->compactions, x->compact_blocks, x->compact_bytes, x->policy_calls,
          x->admit_refusals, s->copy_bytes_h2d, s->copy_bytes_d2h,
          s->copy_bytes_d2d, s->op_time[KV_OP_COPY], s->swaps_out,
          s->preemptions, s->steps, s->sim_time, s->throughput, t->inline_steps,
          t->hoisted_ops);
  printf("  tier %-29s prefix hit %.1f %% (%.0f of %.0f tokens), evictions "
         "%.0f, reloads %.0f, prefetches %.0f, compactions %.0f (%.0f "
         "blocks), PCIe %.0f MB in / %.0f MB out, D2D %.0f MB, inline steps "
         "%.0f\n",
         label, 100 * x->prefix_hit_rate, x->prefix_hit_tokens,
         x->prefix_queried_tokens, x->evictions, x->reloads, x->prefetches,
         x->compactions, x->compact_blocks, s->copy_bytes_h2d / 1e6,
         s->copy_bytes_d2h / 1e6, s->copy_bytes_d2d / 1e6, t->inline_steps);
  const char *names[] = {"prefix_hit_tokens", "evictions", "reloads",
                         "prefetches", "compactions"};
  double v[] = {x->prefix_hit_tokens, x->evictions, x->reloads, x->prefetches,
                x->compactions};
  int zero = 0;
  for (int i = 0; i < 5; i++)
    if (v[i] <= 0) {
      printf("  tier %s: %s stayed 0\n", label, names[i]);
      zero++;
    }
  return zero;
}

static kv_status prefetch_always(void *ud, const kv_policy_view *v,
                                 uint32_t *distance, kv_error *err) {
  (void)ud;
  (void)v;
  (void)err;
  *distance = 2;
  return KV_OK;
}

static kv_status compact_always(void *ud, const kv_policy_view *v,
                                uint64_t *max_blocks, kv_error *err) {
  (void)ud;
  (void)v;
  (void)err;
  *max_blocks = 32;
  return KV_OK;
}

/* ---- one configuration ---- */

typedef struct outputs {
  const char *dir;
  FILE *summary, *desc, *extra; /* extra: steady.csv or tier.csv */
  int zero_counters;            /* tier counters that stayed 0 */
} outputs;

static void run_case(const experiment *x, const vcase *c, const kv_model *m,
                     const kv_platform *p, const kv_workload *w, int ideal,
                     int split, outputs *o) {
  kv_error err;
  kv_run_spec spec;
  memset(&spec, 0, sizeof spec);
  kv_engine_cfg *cfg = &spec.engine;
  kv_engine_cfg_defaults(cfg);
  cfg->model = m;
  cfg->platform = p;
  cfg->workload = w;
  cfg->strategy = kv_strategy_find(c->strategy, &err);
  if (!cfg->strategy) DIE("%s", err.msg);
  cfg->kv_capacity = x->kv_capacity;
  cfg->max_batch_tokens = x->max_batch_tokens;
  cfg->max_num_seqs = x->max_num_seqs;
  cfg->preempt = x->preempt;
  cfg->timeline_interval = 0;
  cfg->check_level = x->check_level;
  cfg->seed = seed;
  cfg->scfg.host_bytes = x->host_bytes;
  cfg->tier = x->tier;
  cfg->prefix_sharing = x->prefix;
  kv_policy pol = kv_policy_default;
  if (c->force_compact) {
    pol.name = "compact-always (validate_gpu)";
    pol.compact = compact_always;
    pol.prefetch = prefetch_always;
    cfg->policy = &pol;
  }
  case_scfg(x, c, &cfg->scfg);
  kv_backend *inner;
  if (ideal) {
    inner = kv_backend_ideal_create(p, m, 1, &err);
  } else {
    spec.backend = &kv_gpu_backend_desc;
    inner = kv_gpu_backend_for_run(&spec, NULL, &err);
  }
  if (!inner) DIE("%s: backend: %s", c->label, err.msg);
  kv_backend *b = recorder_wrap(inner, !ideal, split);
  cfg->backend = b;
  cfg->interrupt = &rec_of(b)->stop;
  kv_result r;
  if (kv_engine_run(cfg, &r, &err) != KV_OK)
    DIE("%s: run: %s", c->label, err.msg);
  const kv_summary *s = &r.summary;
  char d[1024];
  b->vt->describe(b, d, sizeof d);
  fprintf(o->desc, "%s/%s: %s\n", x->name, c->label, d);
  kv_gpu_totals t;
  memset(&t, 0, sizeof t);
  if (!ideal) kv_gpu_get_totals(inner, &t);
  summary_row(o->summary, c->label, s, &t);
  fprintf(o->summary, "\n");
  write_steps(o->dir, c->label, rec_of(b), 0);
  write_timeline(o->dir, c->label, &r.timeline);
  printf("%-17s %5.0f steps %8.3f s  compute %.3f s  op crit %7.2f ms  "
         "driver crit %7.2f ms hidden %6.2f ms  vmm calls %6.0f  swaps %3.0f "
         " copy %6.2f ms (%4.0f MB)  table %5.2f ms  inline steps %.0f "
         "hoisted ops %.0f\n",
         c->label, s->steps, s->sim_time, s->compute_time,
         s->op_time_critical * 1e3, s->driver_time_critical * 1e3,
         s->driver_time_hidden * 1e3, s->vmm_calls, s->swaps_out,
         s->op_time[KV_OP_COPY] * 1e3,
         (s->copy_bytes_h2d + s->copy_bytes_d2h) / 1e6,
         s->op_time[KV_OP_TABLE_WRITE] * 1e3, t.inline_steps, t.hoisted_ops);
  if (strcmp(x->name, "steady") == 0)
    steady_row(o->extra, c->label, rec_of(b), &r);
  else if (strcmp(x->name, "tier") == 0)
    o->zero_counters += tier_row(o->extra, c->label, &r, &t);
  fflush(stdout);
  if (s->completed != s->requests)
    DIE("%s: %.0f of %.0f requests completed", c->label, s->completed,
        s->requests);
  kv_result_free(&r);
  b->vt->destroy(b);
}

/* ---- open arrivals: a slice of the Azure conversation trace ----
 *
 * --open replays a slice of the trace at its own arrival times through four
 * strategies in two load settings (docs/validation.md, "Open arrivals").
 * The engine's decisions then depend on the clock, so the GPU run and the
 * simulation do not execute the same steps: experiments/validate_open.lua
 * compares latencies, throughput, step times by the step's shape and op
 * times per kind instead of step by step. Writes into DIR (results/tmp/open):
 *   workload.csv         the slice (TIMESTAMP in seconds from its first
 *                        request), read back and run from the read-back copy
 *   setup.lua            model, engine options, settings, cases and their
 *                        kv.run strategy tables
 *   requests_<label>.csv one row per request: arrival, prompt, output, first
 *                        token, finish, generated, rejected, preemptions
 *   steps_<label>.csv    as for the closed batch, plus the COMPUTE op's
 *                        shape (tokens, decodes, decode_keys, prefill_pairs),
 *                        the requests running in the step (the engine's
 *                        timeline) and t, the clock at the step's end (no
 *                        timeline file: it would double the output)
 *   summary.csv          as for the closed batch, plus complete (0: stopped
 *                        by --max-wall or the step limit), stop, the tier
 *                        counters and the rejected / unfinished requests
 *   wall.csv             each case's wall time (the only file that differs
 *                        between two runs of the same inputs) */

#define OPEN_MAX_STEPS 5000000 /* a run past this makes no progress */

typedef struct open_case {
  const char *name; /* label without the setting */
  const char *strategy;
  uint64_t page_bytes;  /* vmm */
  uint32_t max_context; /* static, vmm (0 = the model's) */
} open_case;

/* Every request of the trace fits 8192 tokens but one (prompt + output
 * above the model's max context, rejected by every strategy alike): static
 * and vmm reserve the model's context, 8192 tokens, per request. */
static const open_case open_cases[] = {
    {"static", "static", 0, 8192},
    {"paged-16", "paged", 0, 0},
    {"vmm-2M-layer", "vmm", 2 * MIB, 8192},
    {"indirect-64M-16", "indirect", 0, 0},
};

typedef struct open_setting {
  const char *name;
  uint64_t kv_capacity, host_bytes;
  kv_preempt_mode preempt;
  int fast;           /* arrivals sped up by --speedup */
  bool tier_indirect; /* indirect: tier = true (evict / reload) */
  kv_copy_via via;    /* swap and tier copies */
} open_setting;

/* own: 16 GiB of KV (131,072 tokens of Llama-3-8B) against some 30 requests
 * of ~1,400 tokens at once: nothing is preempted. pressure: 2 GiB (16,384
 * tokens) at 4x the rate: paged and vmm swap to a 4 GiB host tier, indirect
 * evicts and reloads blocks (tier); static reserves 8192 tokens per request
 * (two at once) and queues instead. Pressure's copies are batched DMA
 * (copy_via = batch: one cudaMemcpyBatchAsync per op). */
static const open_setting open_settings[] = {
    {"own", 16 * GIB, 0, KV_PREEMPT_RECOMPUTE, 0, false, KV_VIA_ENGINE},
    {"pressure", 2 * GIB, 4 * GIB, KV_PREEMPT_SWAP, 1, true, KV_VIA_BATCH},
};

#define N_OPEN_CASES (N_OF(open_settings) * N_OF(open_cases))

typedef struct open_opts {
  const char *trace; /* the Azure conversation trace */
  double minutes, start, speedup, max_wall;
  uint32_t batch_tokens;
  int bg_thread; /* kv_gpu_options.background_thread (--bg-thread) */
} open_opts;

static void open_label(size_t k, char *buf, size_t n) {
  snprintf(buf, n, "%s-%s", open_settings[k / N_OF(open_cases)].name,
           open_cases[k % N_OF(open_cases)].name);
}

static int file_exists(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) return 0;
  fclose(f);
  return 1;
}

/* --trace, else $KVSIM_DATA_DIR/traces/, else shared/traces/ under the
 * working directory (the repository root), else ../shared/traces/. */
static const char *open_trace_path(const char *given, char *buf, size_t n) {
  static const char file[] = "azure2023_conv.csv";
  if (given) {
    if (!file_exists(given)) DIE("--trace %s: cannot open", given);
    return given;
  }
  const char *d = getenv("KVSIM_DATA_DIR");
  char tried[3][2048];
  int k = 0;
  if (d && *d) snprintf(tried[k++], sizeof tried[0], "%s/traces/%s", d, file);
  snprintf(tried[k++], sizeof tried[0], "shared/traces/%s", file);
  snprintf(tried[k++], sizeof tried[0], "../shared/traces/%s", file);
  for (int i = 0; i < k; i++)
    if (file_exists(tried[i])) {
      snprintf(buf, n, "%.2000s", tried[i]);
      return buf;
    }
  DIE("the Azure conversation trace is not at %s%s%s%s%s: give --trace FILE",
      tried[0], k > 1 ? ", " : "", k > 1 ? tried[1] : "", k > 2 ? ", " : "",
      k > 2 ? tried[2] : "");
}

/* The slice [start, start + minutes) s of the trace (from its first
 * request), written as workload.csv with TIMESTAMP in seconds from the
 * slice's first request, and read back into *w. */
static void open_workload(const char *dir, const open_opts *oo, kv_workload *w,
                          kv_workload *fast) {
  kv_error err;
  kv_workload t;
  kv_workload_init(&t);
  if (kv_workload_load(oo->trace, &t, &err) != KV_OK)
    DIE("--trace: %s", err.msg);
  double lo = oo->start, hi = oo->start + 60.0 * oo->minutes;
  size_t first = 0, n = 0;
  while (first < t.n && t.reqs[first].arrival < lo)
    first++;
  while (first + n < t.n && t.reqs[first + n].arrival < hi)
    n++;
  if (n == 0)
    DIE("%s: no request in [%g, %g) s of the trace (%zu requests over %.0f "
        "s)",
        oo->trace, lo, hi, t.n, t.n ? t.reqs[t.n - 1].arrival : 0.0);
  FILE *f = open_out(dir, "workload.csv");
  fprintf(f, "TIMESTAMP,ContextTokens,GeneratedTokens\n");
  double t0 = t.reqs[first].arrival;
  for (size_t i = first; i < first + n; i++)
    fprintf(f, "%.7f,%u,%u\n", t.reqs[i].arrival - t0, t.reqs[i].prompt,
            t.reqs[i].output);
  close_out(f, "workload.csv");
  kv_workload_free(&t);
  char path[4096];
  snprintf(path, sizeof path, "%s/workload.csv", dir);
  kv_workload_init(w);
  kv_workload_init(fast);
  if (kv_workload_load(path, w, &err) != KV_OK ||
      kv_workload_load(path, fast, &err) != KV_OK)
    DIE("reading back %s: %s", path, err.msg);
  if (w->n != n) DIE("%s: %zu of %zu requests read back", path, w->n, n);
  kv_workload_scale_rate(fast, oo->speedup);
}

/* An open case's strategy options onto scfg (the run and the setup file's
 * Lua strategy table both come from here). */
static void open_scfg(const open_setting *st, const open_case *c,
                      kv_strategy_cfg *scfg) {
  scfg->copy_via = st->via;
  if (c->max_context) scfg->max_context = c->max_context;
  if (c->page_bytes) scfg->page_bytes = c->page_bytes;
  scfg->vmm_layout = KV_VMM_PER_LAYER;
}

static void open_write_setup(const char *dir, const open_opts *oo,
                             const char *backend_kind, const char *platform,
                             const kv_workload *w) {
  FILE *f = open_out(dir, "setup.lua");
  double longest = 0;
  for (size_t i = 0; i < w->n; i++)
    longest = fmax(longest, (double)w->reqs[i].prompt + w->reqs[i].output);
  fprintf(f,
          "-- written by validate_gpu --open (gpu/validate_gpu.c): the "
          "measured runs' configuration\n"
          "return {\n"
          "  experiment = \"open\",\n"
          "  backend = \"%s\",\n"
          "  platform = \"%s\", -- the ideal backend's (--ideal); the GPU "
          "backend reads none\n"
          "  model = \"%s\",\n"
          "  workload = { file = \"workload.csv\", trace = \"%s\", start = "
          "%.9g, minutes = %.9g, n = %zu, duration = %.9g, longest = %.0f "
          "},\n"
          "  speedup = %.9g,\n"
          "  engine = { max_batch_tokens = %u, max_num_seqs = 256, check = 1, "
          "seed = %" PRIu64 ", timeline_interval = 0, watermark = 0.01 },\n"
          "  settings = {\n",
          backend_kind, platform, model_name, oo->trace, oo->start, oo->minutes,
          w->n, w->n ? w->reqs[w->n - 1].arrival : 0.0, longest, oo->speedup,
          oo->batch_tokens, seed);
  for (size_t s = 0; s < N_OF(open_settings); s++) {
    const open_setting *st = &open_settings[s];
    fprintf(f,
            "    %s = { kv_capacity = %" PRIu64 ", host_bytes = %" PRIu64
            ", preempt = \"%s\", speedup = %.9g, copy_via = \"%s\" },\n",
            st->name, st->kv_capacity, st->host_bytes,
            st->preempt == KV_PREEMPT_SWAP ? "swap" : "recompute",
            st->fast ? oo->speedup : 1.0, kv_copy_via_name(st->via));
  }
  fprintf(f, "  },\n  cases = {\n");
  for (size_t k = 0; k < N_OPEN_CASES; k++) {
    const open_setting *st = &open_settings[k / N_OF(open_cases)];
    const open_case *c = &open_cases[k % N_OF(open_cases)];
    char label[128];
    open_label(k, label, sizeof label);
    kv_strategy_cfg sc;
    kv_strategy_cfg_defaults(&sc);
    open_scfg(st, c, &sc);
    char lua[512];
    strategy_lua(c->strategy, &sc, lua, sizeof lua);
    fprintf(f,
            "    { label = \"%s\", setting = \"%s\", strategy = %s, tier = "
            "%s },\n",
            label, st->name, lua,
            st->tier_indirect && strcmp(c->strategy, "indirect") == 0
                ? "true"
                : "false");
  }
  fprintf(f, "  },\n}\n");
  close_out(f, "setup.lua");
}

static void open_write_requests(const char *dir, const char *label,
                                const kv_result *r) {
  char name[256];
  snprintf(name, sizeof name, "requests_%s.csv", label);
  FILE *f = open_out(dir, name);
  fprintf(f, "id,arrival,prompt,output,first_token,finish,generated,rejected,"
             "truncated,preemptions\n");
  for (size_t i = 0; i < r->n_requests; i++) {
    const kv_request_result *q = &r->requests[i];
    fprintf(f, "%zu,%.9g,%u,%u,%.9g,%.9g,%u,%u,%u,%u\n", i, q->arrival,
            q->prompt, q->output, q->first_token, q->finish, q->generated,
            (unsigned)q->rejected, q->truncated, q->preemptions);
  }
  close_out(f, name);
}

typedef struct open_progress {
  const char *label;
  const recorder *rec;
  double wall0, last;
} open_progress;

/* At most every 5 s of wall time: the case, simulated time, steps and
 * finished requests, on stderr. */
static void open_progress_cb(void *ud, double sim_t, size_t done,
                             size_t total) {
  open_progress *p = ud;
  double now = wall_now();
  if (now - p->last < 5.0) return;
  p->last = now;
  fprintf(stderr,
          "  [%s] t = %.1f s simulated, %zu steps, %zu of %zu requests "
          "finished, wall %.0f s\n",
          p->label, sim_t, p->rec->n, done, total, now - p->wall0);
}

/* One case of --open; returns 1 when it ran to completion. */
static int open_run_case(size_t k, const open_opts *oo, const kv_model *m,
                         const kv_platform *p, const kv_workload *w,
                         const kv_workload *fast, int ideal, outputs *o,
                         FILE *wall) {
  const open_setting *st = &open_settings[k / N_OF(open_cases)];
  const open_case *c = &open_cases[k % N_OF(open_cases)];
  char label[128];
  open_label(k, label, sizeof label);
  bool tier = st->tier_indirect && strcmp(c->strategy, "indirect") == 0;
  kv_error err;
  kv_run_spec spec;
  memset(&spec, 0, sizeof spec);
  kv_engine_cfg *cfg = &spec.engine;
  kv_engine_cfg_defaults(cfg);
  cfg->model = m;
  cfg->platform = p;
  cfg->workload = st->fast ? fast : w;
  cfg->strategy = kv_strategy_find(c->strategy, &err);
  if (!cfg->strategy) DIE("%s", err.msg);
  cfg->kv_capacity = st->kv_capacity;
  cfg->max_batch_tokens = oo->batch_tokens;
  cfg->max_num_seqs = 256;
  cfg->preempt = st->preempt;
  cfg->timeline_interval = 0;
  cfg->check_level = 1;
  cfg->seed = seed;
  cfg->watermark = 0.01;
  cfg->scfg.host_bytes = st->host_bytes;
  cfg->tier = tier;
  open_scfg(st, c, &cfg->scfg);
  kv_backend *inner;
  if (ideal) {
    inner = kv_backend_ideal_create(p, m, 1, &err);
  } else {
    kv_gpu_options go;
    kv_gpu_options_defaults(&go);
    go.background_thread = oo->bg_thread;
    spec.backend = &kv_gpu_backend_desc;
    inner = kv_gpu_backend_for_run(&spec, &go, &err);
  }
  if (!inner) DIE("%s: backend: %s", label, err.msg);
  kv_backend *b = recorder_wrap(inner, !ideal, 0);
  recorder *rc = rec_of(b);
  rc->max_steps = OPEN_MAX_STEPS;
  rc->max_wall = oo->max_wall;
  rc->wall0 = wall_now();
  open_progress prog = {label, rc, rc->wall0, rc->wall0};
  cfg->backend = b;
  cfg->interrupt = &rc->stop;
  cfg->progress = open_progress_cb;
  cfg->progress_ud = &prog;
  cfg->progress_every = 0.5;
  fprintf(stderr, "%s: starting (%zu requests over %.1f s)\n", label,
          cfg->workload->n,
          cfg->workload->n ? cfg->workload->reqs[cfg->workload->n - 1].arrival
                           : 0.0);
  kv_result r;
  kv_status rs = kv_engine_run(cfg, &r, &err);
  double wall_s = wall_now() - rc->wall0;
  if (rs != KV_OK && !(rs == KV_EINTR && rc->stopped))
    DIE("%s: run: %s", label, err.msg);
  const kv_summary *s = &r.summary;
  const char *stop = rs == KV_OK ? "done" : rc->stopped;
  int complete = rs == KV_OK && s->completed + s->rejected == s->requests;
  char d[1024];
  b->vt->describe(b, d, sizeof d);
  fprintf(o->desc, "open/%s: %s\n", label, d);
  kv_gpu_totals t;
  memset(&t, 0, sizeof t);
  if (!ideal) kv_gpu_get_totals(inner, &t);
  const kv_tier_result *x = &r.tier;
  summary_row(o->summary, label, s, &t);
  fprintf(o->summary, ",%d,%s,%.0f,%.0f,%.0f,%.0f,%.0f\n", complete, stop,
          x->evictions, x->reloads, x->prefetches, x->compactions,
          s->unfinished);
  /* the running requests of each step, from the engine's timeline; and
   * how often "decode-only" by the timeline's columns (batch tokens ==
   * running requests, what validate_open.lua can tell of a simulated step)
   * differs from the COMPUTE op's shape (tokens == decodes) */
  const kv_timeline *tl = &r.timeline;
  if (tl->n != rc->compute_steps)
    DIE("%s: %zu timeline rows for %" PRIu64 " steps with compute", label,
        tl->n, rc->compute_steps);
  size_t differ = 0, dsteps = 0;
  for (size_t i = 0; i < rc->n; i++) {
    step_rec *e = &rc->v[i];
    if (e->engine_step == 0) continue;
    const kv_sample *sm = &tl->s[e->engine_step - 1];
    e->running = sm->running;
    int exact = e->tokens > 0 && e->tokens == e->decodes;
    int by_tl = sm->batch_tokens > 0 && sm->batch_tokens == sm->running;
    dsteps += exact;
    differ += exact != by_tl;
  }
  write_steps(o->dir, label, rc, 1);
  open_write_requests(o->dir, label, &r);
  double busy = 0;
  for (size_t i = 0; i < rc->n; i++)
    busy += rc->v[i].t.total;
  fprintf(wall, "%s,%.3f,%.6f,%d,%s\n", label, wall_s, busy, complete, stop);
  fflush(wall);
  printf("%-26s %s: %6.0f steps, %8.3f s simulated (busy %.3f s), %5.0f of "
         "%.0f requests completed, %.0f rejected; preemptions %.0f, swaps "
         "out %.0f, evictions %.0f, reloads %.0f, prefetches %.0f; TTFT p50 "
         "%.1f ms p99 %.1f ms, TPOT p50 %.2f ms p99 %.2f ms, %.0f tok/s; "
         "vmm calls %.0f, copy %.0f MB; wall %.1f s\n",
         label, complete ? "complete" : "INCOMPLETE", s->steps, s->sim_time,
         busy, s->completed, s->requests, s->rejected, s->preemptions,
         s->swaps_out, x->evictions, x->reloads, x->prefetches,
         s->ttft_p50 * 1e3, s->ttft_p99 * 1e3, s->tpot_p50 * 1e3,
         s->tpot_p99 * 1e3, s->throughput, s->vmm_calls,
         (s->copy_bytes_h2d + s->copy_bytes_d2h + s->copy_bytes_d2d) / 1e6,
         wall_s);
  printf("%-26s decode-only steps %zu of %" PRIu64 "; by the timeline's "
         "columns (batch tokens == running) %zu steps classified otherwise\n",
         label, dsteps, rc->compute_steps, differ);
  if (!complete)
    printf("%-26s stopped (%s) after %.1f s of wall time, %.0f requests "
           "unfinished: summary.csv marks it complete = 0\n",
           label, stop, wall_s, s->unfinished);
  fflush(stdout);
  fprintf(stderr, "%s: %s in %.1f s of wall time\n", label,
          complete ? "done" : stop, wall_s);
  kv_result_free(&r);
  b->vt->destroy(b);
  return complete;
}

static void open_usage(const char *prog) {
  fprintf(stderr,
          "usage: %s --open [--out DIR] [--only LABEL] [--ideal] [--list] "
          "[--minutes M] [--start S] [--trace FILE] [--speedup X] "
          "[--max-wall S] [--batch-tokens N] [--bg-thread kept|per-step|off]\n",
          prog);
}

static double open_num(int argc, char **argv, int *i, const char *name,
                       double lo) {
  if (*i + 1 >= argc) DIE("%s needs a value", name);
  char *end;
  const char *v = argv[++*i];
  double x = strtod(v, &end);
  if (*end || !(x >= lo) || !isfinite(x))
    DIE("%s %s: expected a number >= %g", name, v, lo);
  return x;
}

static int open_main(int argc, char **argv) {
  const char *dir = "results/tmp/open", *only = NULL, *trace = NULL;
  int ideal = 0, list = 0;
  open_opts oo = {.minutes = 5,
                  .start = 0,
                  .speedup = 4,
                  .max_wall = 120,
                  .batch_tokens = 128,
                  .bg_thread = 1};
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--open") == 0)
      continue;
    else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
      dir = argv[++i];
    else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
      only = argv[++i];
    else if (strcmp(argv[i], "--trace") == 0 && i + 1 < argc)
      trace = argv[++i];
    else if (strcmp(argv[i], "--ideal") == 0)
      ideal = 1;
    else if (strcmp(argv[i], "--list") == 0)
      list = 1;
    else if (strcmp(argv[i], "--minutes") == 0)
      oo.minutes = open_num(argc, argv, &i, "--minutes", 1e-9);
    else if (strcmp(argv[i], "--start") == 0)
      oo.start = open_num(argc, argv, &i, "--start", 0);
    else if (strcmp(argv[i], "--speedup") == 0)
      oo.speedup = open_num(argc, argv, &i, "--speedup", 1e-9);
    else if (strcmp(argv[i], "--max-wall") == 0)
      oo.max_wall = open_num(argc, argv, &i, "--max-wall", 0);
    else if (strcmp(argv[i], "--batch-tokens") == 0)
      oo.batch_tokens = (uint32_t)open_num(argc, argv, &i, "--batch-tokens", 1);
    else if (strcmp(argv[i], "--bg-thread") == 0 && i + 1 < argc) {
      const char *v = argv[++i];
      oo.bg_thread = strcmp(v, "kept") == 0       ? 1
                     : strcmp(v, "per-step") == 0 ? 2
                     : strcmp(v, "off") == 0      ? 0
                                                  : -1;
      if (oo.bg_thread < 0) {
        fprintf(stderr,
                "%s: --bg-thread %s: kept, per-step or off (the thread of "
                "background VMM ops)\n",
                argv[0], v);
        return 2;
      }
    } else {
      open_usage(argv[0]);
      return 2;
    }
  }
  if (list) {
    for (size_t k = 0; k < N_OPEN_CASES; k++) {
      char label[128];
      open_label(k, label, sizeof label);
      printf("%s\n", label);
    }
    return 0;
  }
  if (only) {
    size_t k = 0;
    for (; k < N_OPEN_CASES; k++) {
      char label[128];
      open_label(k, label, sizeof label);
      if (strcmp(label, only) == 0) break;
    }
    if (k == N_OPEN_CASES)
      DIE("--only %s: no such case (validate_gpu --open --list)", only);
  }
  if (!ideal && !kv_gpu_available()) {
    printf("no CUDA device: skipped (--ideal runs without one)\n");
    return 77;
  }
  char tbuf[2048];
  oo.trace = open_trace_path(trace, tbuf, sizeof tbuf);
  if (mkdir(dir, 0777) != 0 && errno != EEXIST)
    DIE("%s: cannot create: %s", dir, strerror(errno));
  kv_error err;
  kv_model m;
  kv_platform p;
  if (kv_model_preset(model_name, &m, &err) != KV_OK) DIE("%s", err.msg);
  /* the GPU backend reads no platform constant; the ideal backend times
   * the steps with the preset of the GPU the device run uses */
  const char *pname = "h200-141gb";
  if (kv_platform_preset(pname, &p, &err) != KV_OK) DIE("%s", err.msg);
  kv_workload w, fast;
  open_workload(dir, &oo, &w, &fast);
  open_write_setup(dir, &oo, ideal ? "ideal" : "gpu", pname, &w);
  kv_workload_stats ws;
  kv_workload_stats_compute(&w, &ws);
  printf("validate_gpu open: %s, %zu requests of %s, [%g, %g) s from its "
         "first request (%.2f req/s, prompt mean %.0f max %.0f, output mean "
         "%.0f max %.0f); settings:",
         model_name, w.n, oo.trace, oo.start, oo.start + 60 * oo.minutes,
         ws.rate, ws.prompt_mean, ws.prompt_max, ws.output_mean, ws.output_max);
  for (size_t s = 0; s < N_OF(open_settings); s++) {
    const open_setting *st = &open_settings[s];
    printf(" %s (kv_capacity %" PRIu64 " MiB, host %" PRIu64
           " MiB, preempt %s%s, rate x%g)",
           st->name, (uint64_t)(st->kv_capacity / MIB),
           (uint64_t)(st->host_bytes / MIB),
           st->preempt == KV_PREEMPT_SWAP ? "swap" : "recompute",
           st->tier_indirect ? ", indirect with tier" : "",
           st->fast ? oo.speedup : 1.0);
  }
  printf("; max_batch_tokens %u, max_wall %g s per case; backend %s; files "
         "in %s\n",
         oo.batch_tokens, oo.max_wall, ideal ? "ideal" : "gpu", dir);
  fflush(stdout);
  outputs o = {.dir = dir};
  o.summary = open_mode(dir, "summary.csv", "a");
  if (ftell(o.summary) == 0) {
    summary_header(o.summary);
    fprintf(o.summary, ",complete,stop,evictions,reloads,prefetches,"
                       "compactions,unfinished\n");
  }
  o.desc = open_mode(dir, "backend.txt", "a");
  FILE *wall = open_mode(dir, "wall.csv", "a");
  if (ftell(wall) == 0) fprintf(wall, "label,wall_s,busy_s,complete,stop\n");
  int incomplete = 0;
  for (size_t k = 0; k < N_OPEN_CASES; k++) {
    char label[128];
    open_label(k, label, sizeof label);
    if (only && strcmp(only, label) != 0) continue;
    incomplete += !open_run_case(k, &oo, &m, &p, &w, &fast, ideal, &o, wall);
  }
  close_out(o.summary, "summary.csv");
  close_out(o.desc, "backend.txt");
  close_out(wall, "wall.csv");
  kv_workload_free(&w);
  kv_workload_free(&fast);
  if (incomplete) {
    printf("validate_gpu --open: %d case(s) incomplete (--max-wall %g s): "
           "summary.csv marks them complete = 0\n",
           incomplete, oo.max_wall);
  }
  return 0;
}

/* ---- lockstep: scale.lua's lockstep swapping on N GPUs at once ----
 *
 * --lockstep runs, on one GPU (--device K), the workload of
 * experiments/scale.lua's lockstep case: the first --requests requests of
 * the Azure conversation trace at their own arrival times, Llama-3-8B,
 * paged-16 with engine copies, --capacity GiB of KV, preemption by swap to
 * the host tier. gpu/device_run_multi.sh starts N such processes at once
 * (devices 0..N-1, --gpus N, the same --start-at): with the same workload
 * and seed every GPU runs the same steps, so they swap at the same moments
 * through the host's shared links, as scale.lua's replicas of dispatch
 * "replicate" do. experiments/validate_multi.lua replays the folder on
 * SimGrid with N GPUs of one server. Writes into DIR/gpuK/:
 *   workload.csv, setup.lua, steps_lockstep.csv (the --open columns plus
 *   h2d_bytes, d2h_bytes), requests_lockstep.csv, summary.csv (as --open),
 *   copies.csv (bytes and copy time by direction: a step's copy time is
 *   split between directions by bytes when it copies both ways, and those
 *   steps are counted), wall.csv (wall time, the start barrier's wait).
 * --device K sets CUDA_VISIBLE_DEVICES=K before any CUDA call; --start-at T
 * (Unix time, s) waits, after the backend is created, until T: the N
 * processes' runs start together. --ideal runs the ideal backend (no GPU:
 * checks the program and the files). */

typedef struct lockstep_opts {
  const char *out, *trace;
  int device, gpus;
  double start_at, capacity_gib, host_gib, max_wall;
  uint32_t requests, batch_tokens;
  uint64_t seed;
} lockstep_opts;

/* Sleep until Unix time t, then spin the last 2 ms. Returns the seconds
 * waited. */
static double wait_until(double t) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  double now = (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec, t0 = now;
  while (now < t) {
    double left = t - now - 0.002;
    if (left > 0) {
      struct timespec d = {(time_t)left,
                           (long)((left - (double)(time_t)left) * 1e9)};
      nanosleep(&d, NULL);
    }
    clock_gettime(CLOCK_REALTIME, &ts);
    now = (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
  }
  return now - t0;
}

static void lockstep_usage(const char *prog) {
  fprintf(stderr,
          "usage: %s --lockstep [--out DIR] [--device K] [--gpus N] "
          "[--start-at UNIX_TIME] [--requests N] [--capacity GIB] "
          "[--host GIB] [--batch-tokens N] [--seed N] [--trace FILE] "
          "[--max-wall S] [--quick] [--ideal]\n",
          prog);
}

/* The first o->requests requests of the trace, written as workload.csv
 * (TIMESTAMP in s from the first) and read back. */
static void lockstep_workload(const char *dir, const lockstep_opts *o,
                              kv_workload *w) {
  kv_error err;
  kv_workload t;
  kv_workload_init(&t);
  if (kv_workload_load(o->trace, &t, &err) != KV_OK)
    DIE("--trace: %s", err.msg);
  size_t n = t.n < o->requests ? t.n : o->requests;
  if (n == 0) DIE("%s: no request", o->trace);
  FILE *f = open_out(dir, "workload.csv");
  fprintf(f, "TIMESTAMP,ContextTokens,GeneratedTokens\n");
  for (size_t i = 0; i < n; i++)
    fprintf(f, "%.7f,%u,%u\n", t.reqs[i].arrival - t.reqs[0].arrival,
            t.reqs[i].prompt, t.reqs[i].output);
  close_out(f, "workload.csv");
  kv_workload_free(&t);
  char path[8192];
  snprintf(path, sizeof path, "%s/workload.csv", dir);
  kv_workload_init(w);
  if (kv_workload_load(path, w, &err) != KV_OK)
    DIE("reading back %s: %s", path, err.msg);
  if (w->n != n) DIE("%s: %zu of %zu requests read back", path, w->n, n);
}

/* mkdir -p: every missing folder of path (N processes may race: EEXIST is
 * fine). */
static void mkdir_p(const char *path) {
  char buf[4096];
  if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
    DIE("%s: path too long", path);
  for (char *q = buf + 1; *q; q++)
    if (*q == '/') {
      *q = 0;
      if (mkdir(buf, 0777) != 0 && errno != EEXIST)
        DIE("%s: cannot create: %s", buf, strerror(errno));
      *q = '/';
    }
  if (mkdir(buf, 0777) != 0 && errno != EEXIST)
    DIE("%s: cannot create: %s", buf, strerror(errno));
}

static int lockstep_main(int argc, char **argv) {
  lockstep_opts o = {.out = "results/tmp/lockstep",
                     .device = 0,
                     .gpus = 1,
                     .capacity_gib = 2,
                     .host_gib = 8,
                     .max_wall = 300,
                     .requests = 500,
                     .batch_tokens = 0,
                     .seed = 1};
  const char *trace = NULL;
  int ideal = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--lockstep") == 0)
      continue;
    else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
      o.out = argv[++i];
    else if (strcmp(argv[i], "--trace") == 0 && i + 1 < argc)
      trace = argv[++i];
    else if (strcmp(argv[i], "--ideal") == 0)
      ideal = 1;
    else if (strcmp(argv[i], "--quick") == 0)
      o.requests = 150, o.capacity_gib = 1;
    else if (strcmp(argv[i], "--device") == 0)
      o.device = (int)open_num(argc, argv, &i, "--device", 0);
    else if (strcmp(argv[i], "--gpus") == 0)
      o.gpus = (int)open_num(argc, argv, &i, "--gpus", 1);
    else if (strcmp(argv[i], "--start-at") == 0)
      o.start_at = open_num(argc, argv, &i, "--start-at", 0);
    else if (strcmp(argv[i], "--requests") == 0)
      o.requests = (uint32_t)open_num(argc, argv, &i, "--requests", 1);
    else if (strcmp(argv[i], "--capacity") == 0)
      o.capacity_gib = open_num(argc, argv, &i, "--capacity", 1.0 / 1024);
    else if (strcmp(argv[i], "--host") == 0)
      o.host_gib = open_num(argc, argv, &i, "--host", 1.0 / 1024);
    else if (strcmp(argv[i], "--batch-tokens") == 0)
      o.batch_tokens = (uint32_t)open_num(argc, argv, &i, "--batch-tokens", 1);
    else if (strcmp(argv[i], "--seed") == 0)
      o.seed = (uint64_t)open_num(argc, argv, &i, "--seed", 0);
    else if (strcmp(argv[i], "--max-wall") == 0)
      o.max_wall = open_num(argc, argv, &i, "--max-wall", 0);
    else {
      lockstep_usage(argv[0]);
      return 2;
    }
  }
  if (o.device >= o.gpus)
    DIE("--device %d: not below --gpus %d", o.device, o.gpus);
  if (!ideal) {
    /* before any CUDA call: this process sees GPU K only, as its device 0 */
    char dev[16];
    snprintf(dev, sizeof dev, "%d", o.device);
    setenv("CUDA_VISIBLE_DEVICES", dev, 1);
    if (!kv_gpu_available()) {
      printf("no CUDA device: skipped (--ideal runs without one)\n");
      return 77;
    }
  }
  char tbuf[2048];
  o.trace = open_trace_path(trace, tbuf, sizeof tbuf);
  char dir[4096];
  if (snprintf(dir, sizeof dir, "%s/gpu%d", o.out, o.device) >= (int)sizeof dir)
    DIE("--out %s: path too long", o.out);
  mkdir_p(dir);
  kv_error err;
  kv_model m;
  kv_platform p;
  if (kv_model_preset(model_name, &m, &err) != KV_OK) DIE("%s", err.msg);
  /* scale.lua's platform; the GPU backend reads none, the ideal times the
   * steps with it */
  const char *pname = "h100-sxm-80gb";
  if (kv_platform_preset(pname, &p, &err) != KV_OK) DIE("%s", err.msg);
  kv_workload w;
  lockstep_workload(dir, &o, &w);

  kv_run_spec spec;
  memset(&spec, 0, sizeof spec);
  kv_engine_cfg *cfg = &spec.engine;
  kv_engine_cfg_defaults(cfg);
  cfg->model = &m;
  cfg->platform = &p;
  cfg->workload = &w;
  cfg->strategy = kv_strategy_find("paged", &err);
  if (!cfg->strategy) DIE("%s", err.msg);
  cfg->kv_capacity = (uint64_t)(o.capacity_gib * (double)GIB);
  cfg->preempt = KV_PREEMPT_SWAP;
  cfg->seed = o.seed;
  cfg->timeline_interval = 0;
  cfg->scfg.host_bytes = (uint64_t)(o.host_gib * (double)GIB);
  cfg->scfg.copy_via = KV_VIA_ENGINE;
  if (o.batch_tokens) cfg->max_batch_tokens = o.batch_tokens;
  char lua[512];
  strategy_lua("paged", &cfg->scfg, lua, sizeof lua);

  FILE *f = open_out(dir, "setup.lua");
  fprintf(f,
          "-- written by validate_gpu --lockstep (gpu/validate_gpu.c): the "
          "measured run's configuration\n"
          "return {\n"
          "  experiment = \"lockstep\",\n"
          "  backend = \"%s\",\n"
          "  platform = \"%s\", -- the ideal backend's (--ideal); the GPU "
          "backend reads none\n"
          "  model = \"%s\",\n"
          "  gpus = %d, device = %d, start_at = %.3f,\n"
          "  workload = { file = \"workload.csv\", trace = \"%s\", n = %zu "
          "},\n"
          "  engine = { kv_capacity = %" PRIu64 ", host_bytes = %" PRIu64
          ", preempt = \"swap\", max_batch_tokens = %u, max_num_seqs = %u, "
          "watermark = %.9g, check = %d, seed = %" PRIu64
          ", timeline_interval = 0 },\n"
          "  label = \"lockstep\", strategy = %s,\n"
          "}\n",
          ideal ? "ideal" : "gpu", pname, model_name, o.gpus, o.device,
          o.start_at, o.trace, w.n, cfg->kv_capacity, cfg->scfg.host_bytes,
          cfg->max_batch_tokens, cfg->max_num_seqs, cfg->watermark,
          cfg->check_level, o.seed, lua);
  close_out(f, "setup.lua");

  kv_backend *inner;
  if (ideal) {
    inner = kv_backend_ideal_create(&p, &m, 1, &err);
  } else {
    spec.backend = &kv_gpu_backend_desc;
    inner = kv_gpu_backend_for_run(&spec, NULL, &err);
  }
  if (!inner) DIE("gpu%d: backend: %s", o.device, err.msg);
  kv_backend *b = recorder_wrap(inner, !ideal, 0);
  recorder *rc = rec_of(b);
  rc->max_steps = OPEN_MAX_STEPS;
  rc->max_wall = o.max_wall;
  cfg->backend = b;
  cfg->interrupt = &rc->stop;
  printf("validate_gpu lockstep: gpu %d of %d, %s, %zu requests of %s, "
         "paged-16 (engine copies), kv_capacity %" PRIu64 " MiB, host %" PRIu64
         " MiB, preempt swap, max_batch_tokens %u, seed %" PRIu64
         "; backend %s; files in %s\n",
         o.device, o.gpus, model_name, w.n, o.trace,
         (uint64_t)(cfg->kv_capacity / MIB),
         (uint64_t)(cfg->scfg.host_bytes / MIB), cfg->max_batch_tokens, o.seed,
         ideal ? "ideal" : "gpu", dir);
  fflush(stdout);
  double waited = o.start_at > 0 ? wait_until(o.start_at) : 0;
  rc->wall0 = wall_now();
  kv_result r;
  kv_status rs = kv_engine_run(cfg, &r, &err);
  double wall_s = wall_now() - rc->wall0;
  if (rs != KV_OK && !(rs == KV_EINTR && rc->stopped))
    DIE("gpu%d: run: %s", o.device, err.msg);
  const kv_summary *s = &r.summary;
  const char *stop = rs == KV_OK ? "done" : rc->stopped;
  int complete = rs == KV_OK && s->completed + s->rejected == s->requests;
  const kv_timeline *tl = &r.timeline;
  if (tl->n != rc->compute_steps)
    DIE("gpu%d: %zu timeline rows for %" PRIu64 " steps with compute", o.device,
        tl->n, rc->compute_steps);
  for (size_t i = 0; i < rc->n; i++)
    if (rc->v[i].engine_step)
      rc->v[i].running = tl->s[rc->v[i].engine_step - 1].running;
  kv_gpu_totals t;
  memset(&t, 0, sizeof t);
  if (!ideal) kv_gpu_get_totals(inner, &t);
  FILE *sf = open_out(dir, "summary.csv");
  summary_header(sf);
  fprintf(sf, ",complete,stop,unfinished\n");
  summary_row(sf, "lockstep", s, &t);
  fprintf(sf, ",%d,%s,%.0f\n", complete, stop, s->unfinished);
  close_out(sf, "summary.csv");
  write_steps(dir, "lockstep", rc, 2);
  open_write_requests(dir, "lockstep", &r);
  /* copy bytes and time by direction */
  double bytes[2] = {0, 0}, ctime[2] = {0, 0}, steps[2] = {0, 0}, mixed = 0;
  for (size_t i = 0; i < rc->n; i++) {
    const step_rec *e = &rc->v[i];
    double hb = e->h2d_bytes, db = e->d2h_bytes, tc = e->t.by_kind[KV_OP_COPY];
    if (hb + db <= 0) continue;
    bytes[0] += hb;
    bytes[1] += db;
    ctime[0] += tc * hb / (hb + db);
    ctime[1] += tc * db / (hb + db);
    steps[0] += hb > 0;
    steps[1] += db > 0;
    mixed += hb > 0 && db > 0;
  }
  FILE *cf = open_out(dir, "copies.csv");
  fprintf(cf, "gpu,gpus,direction,bytes,time,bw,steps,mixed_steps\n");
  const char *dname[2] = {"h2d", "d2h"};
  for (int d = 0; d < 2; d++)
    fprintf(cf, "%d,%d,%s,%.0f,%.9g,%.9g,%.0f,%.0f\n", o.device, o.gpus,
            dname[d], bytes[d], ctime[d],
            ctime[d] > 0 ? bytes[d] / ctime[d] : 0, steps[d], mixed);
  close_out(cf, "copies.csv");
  FILE *wf = open_out(dir, "wall.csv");
  fprintf(wf, "gpu,gpus,start_at,waited_s,wall_s,complete,stop\n");
  fprintf(wf, "%d,%d,%.3f,%.6f,%.3f,%d,%s\n", o.device, o.gpus, o.start_at,
          waited, wall_s, complete, stop);
  close_out(wf, "wall.csv");
  char d[1024];
  b->vt->describe(b, d, sizeof d);
  FILE *df = open_out(dir, "backend.txt");
  fprintf(df, "lockstep/gpu%d: %s\n", o.device, d);
  close_out(df, "backend.txt");
  printf("gpu %d of %d: %s (%s), %.0f steps, %.3f s simulated, %.0f of %.0f "
         "requests completed, swaps out %.0f; H2D %.0f MB in %.3f s, D2H "
         "%.0f MB in %.3f s (%.0f steps copy both ways); TPOT p50 %.2f ms; "
         "waited %.3f s at the barrier, wall %.1f s\n",
         o.device, o.gpus, complete ? "complete" : "INCOMPLETE", stop, s->steps,
         s->sim_time, s->completed, s->requests, s->swaps_out, bytes[0] / 1e6,
         ctime[0], bytes[1] / 1e6, ctime[1], mixed, s->tpot_p50 * 1e3, waited,
         wall_s);
  kv_result_free(&r);
  b->vt->destroy(b);
  kv_workload_free(&w);
  return complete ? 0 : 3;
}

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--open") == 0) return open_main(argc, argv);
    if (strcmp(argv[i], "--lockstep") == 0) return lockstep_main(argc, argv);
  }
  const char *dir = NULL, *only = NULL;
  const experiment *x = &experiments[0];
  int ideal = 0, split = 0, list = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
      dir = argv[++i];
    else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
      only = argv[++i];
    else if (strcmp(argv[i], "--ideal") == 0)
      ideal = 1;
    else if (strcmp(argv[i], "--split") == 0)
      split = 1;
    else if (strcmp(argv[i], "--no-split") == 0)
      split = 0; /* the default; accepted for older command lines */
    else if (strcmp(argv[i], "--steady") == 0)
      x = &experiments[1];
    else if (strcmp(argv[i], "--tier") == 0)
      x = &experiments[2];
    else if (strcmp(argv[i], "--list") == 0)
      list = 1;
    else {
      fprintf(stderr,
              "usage: %s [--steady | --tier] [--out DIR] [--only LABEL] "
              "[--ideal] [--split] [--list]\n",
              argv[0]);
      open_usage(argv[0]);
      lockstep_usage(argv[0]);
      return 2;
    }
  }
  if (list) {
    for (size_t k = 0; k < x->n_cases; k++)
      printf("%s\n", x->cases[k].label);
    return 0;
  }
  if (!dir) dir = x->dir;
  if (!ideal && !kv_gpu_available()) {
    printf("no CUDA device: skipped (--ideal runs without one)\n");
    return 77;
  }
  if (mkdir(dir, 0777) != 0 && errno != EEXIST)
    DIE("%s: cannot create: %s", dir, strerror(errno));
  kv_error err;
  kv_model m;
  kv_platform p;
  if (kv_model_preset(model_name, &m, &err) != KV_OK) DIE("%s", err.msg);
  /* the GPU backend reads no platform constant (the name is printed); the
   * ideal backend times the steps with it */
  if (kv_platform_preset("h100-sxm-80gb", &p, &err) != KV_OK)
    DIE("%s", err.msg);
  kv_workload w;
  make_workload(dir, x, &w);
  write_setup(dir, x, ideal ? "ideal" : "gpu");
  printf("validate_gpu %s: %s, %zu requests at t=0, prompts U[%u,%u], "
         "outputs U[%u,%u], seed %" PRIu64 "%s; kv_capacity %" PRIu64
         " MiB, host %" PRIu64 " MiB, preempt %s, max_batch_tokens %u, "
         "max_context %u (static, vmm), check %d%s; backend %s; files in %s\n",
         x->name, model_name, w.n, x->prompt_lo, x->prompt_hi, x->output_lo,
         x->output_hi, seed, x->prefix ? ", shared prefixes" : "",
         (uint64_t)(x->kv_capacity / MIB), (uint64_t)(x->host_bytes / MIB),
         x->preempt == KV_PREEMPT_SWAP ? "swap" : "recompute",
         x->max_batch_tokens, x->max_context, x->check_level,
         x->tier ? ", tier and prefix sharing on" : "", ideal ? "ideal" : "gpu",
         dir);

  /* appended to, so that each configuration may run in its own process
   * (--only): a CUDA fault in one leaves the others' rows */
  outputs o = {.dir = dir};
  o.summary = open_mode(dir, "summary.csv", "a");
  if (ftell(o.summary) == 0) {
    summary_header(o.summary);
    fprintf(o.summary, "\n");
  }
  o.desc = open_mode(dir, "backend.txt", "a");
  const char *extra = strcmp(x->name, "steady") == 0 ? "steady.csv"
                      : strcmp(x->name, "tier") == 0 ? "tier.csv"
                                                     : NULL;
  if (extra) {
    o.extra = open_mode(dir, extra, "a");
    if (ftell(o.extra) == 0) {
      if (strcmp(extra, "steady.csv") == 0)
        steady_header(o.extra);
      else
        tier_header(o.extra);
    }
  }
  int ran = 0;
  for (size_t i = 0; i < x->n_cases; i++) {
    if (only && strcmp(only, x->cases[i].label) != 0) continue;
    run_case(x, &x->cases[i], &m, &p, &w, ideal, split, &o);
    ran++;
  }
  close_out(o.summary, "summary.csv");
  close_out(o.desc, "backend.txt");
  if (o.extra) close_out(o.extra, extra);
  kv_workload_free(&w);
  if (!ran) DIE("--only %s: no such configuration", only);
  if (o.zero_counters) {
    printf("validate_gpu --tier: %d tiering counters stayed 0\n",
           o.zero_counters);
    return 3;
  }
  return 0;
}
