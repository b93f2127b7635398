/* validate_gpu.c - the measured half of the sim-vs-real validation: one fixed
 * closed-batch workload through seven strategy configurations on the GPU
 * backend, every step's measured times written to CSV, so that
 * experiments/validate.lua can replay the identical requests and
 * configurations in simulation and compare them step by step.
 *
 *   validate_gpu [--out DIR] [--only LABEL] [--ideal] [--split] [--list]
 *
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
 * and the files). Main entry point: main().
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "engine.h"
#include "gpu_backend.h"
#include "strategy.h"
#include "sweep.h"
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

/* ---- the fixed experiment ---- */

static const char model_name[] = "llama-3-8b";
static const uint64_t seed = 20261122;
static const size_t n_requests = 64;
static const uint32_t prompt_lo = 32, prompt_hi = 256;
static const uint32_t output_lo = 32, output_hi = 256;
static const uint64_t kv_capacity = 1 * GIB; /* ~8k tokens: swaps happen */
static const uint64_t host_bytes = 1 * GIB;
/* 128 tokens per step keep every step memory-bound in the model (a step of
 * Llama-3-8B turns FLOP-bound above ~250 tokens on an H100), which is the
 * regime the GPU's compute stand-in reproduces: it reads the step's bytes
 * but does no arithmetic (docs/gpu.md). */
static const uint32_t max_batch_tokens = 128;
static const uint32_t max_num_seqs = 256;
static const uint32_t max_context = 512; /* static and vmm: >= 256 + 256 */
static const int check_level = 1;

typedef struct vcase {
  const char *label;
  const char *strategy;
  uint64_t page_bytes;  /* vmm */
  kv_vmm_layout layout; /* vmm */
  uint32_t map_ahead;   /* vmm */
  kv_copy_via via;      /* swap copies */
  const char *lua;      /* the same configuration as a kv.run strategy */
} vcase;

static const vcase cases[] = {
    {"static", "static", 0, KV_VMM_PER_LAYER, 0, KV_VIA_ENGINE,
     "{ \"static\", max_context = 512 }"},
    {"paged-16", "paged", 0, KV_VMM_PER_LAYER, 0, KV_VIA_ENGINE,
     "{ \"paged\", block_tokens = 16 }"},
    {"paged-16-kernel", "paged", 0, KV_VMM_PER_LAYER, 0, KV_VIA_KERNEL,
     "{ \"paged\", block_tokens = 16, copy_via = \"kernel\" }"},
    {"vmm-2M-layer", "vmm", 2 * MIB, KV_VMM_PER_LAYER, 0, KV_VIA_ENGINE,
     "{ \"vmm\", page_bytes = 2097152, layout = \"per_layer\", max_context = "
     "512 }"},
    {"vmm-2M-all", "vmm", 2 * MIB, KV_VMM_ALL_LAYERS, 0, KV_VIA_ENGINE,
     "{ \"vmm\", page_bytes = 2097152, layout = \"all_layers\", max_context = "
     "512 }"},
    /* one 2 MiB all-layer page = 16 Llama-3-8B tokens mapped ahead */
    {"vmm-2M-all-ahead", "vmm", 2 * MIB, KV_VMM_ALL_LAYERS, 16, KV_VIA_ENGINE,
     "{ \"vmm\", page_bytes = 2097152, layout = \"all_layers\", max_context = "
     "512, map_ahead = 16 }"},
    {"indirect-64M-16", "indirect", 0, KV_VMM_PER_LAYER, 0, KV_VIA_ENGINE,
     "{ \"indirect\", slab_bytes = 67108864, block_tokens = 16 }"},
};
#define N_CASES (sizeof cases / sizeof cases[0])

/* ---- a backend that records every step of the backend it wraps ---- */

typedef struct step_rec {
  uint64_t engine_step; /* 1-based index among steps with compute, 0 none */
  uint32_t n_ops;
  uint32_t parts; /* inner steps the step was executed as (see split) */
  double compute_bytes, compute_flops;
  double copy_bytes, copy_runs, vmm_calls, table_entries;
  kv_step_time t;
} step_rec;

typedef struct recorder {
  kv_backend *inner;
  int split; /* --split: run a step as parts (split_step()) */
  kv_op_list sub;
  int sub_ready;
  step_rec *v;
  size_t n, cap;
  uint64_t compute_steps;
} recorder;

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
  kv_status s = r->split ? split_step(r, ops, out, &parts, err)
                         : r->inner->vt->step(r->inner, ops, out, err);
  if (s != KV_OK) return s;
  if (r->n == r->cap) {
    r->cap = r->cap ? 2 * r->cap : 1024;
    r->v = realloc(r->v, r->cap * sizeof *r->v);
    if (!r->v) DIE("out of host memory");
  }
  step_rec *e = &r->v[r->n++];
  memset(e, 0, sizeof *e);
  e->n_ops = (uint32_t)ops->n;
  e->parts = parts;
  for (size_t i = 0; i < ops->n; i++) {
    const kv_op *op = &ops->ops[i];
    if (op->kind == KV_OP_COMPUTE) {
      e->engine_step = ++r->compute_steps;
      e->compute_bytes += (double)op->bytes;
      e->compute_flops += op->flops;
    } else if (op->kind == KV_OP_COPY) {
      e->copy_bytes += (double)op->bytes;
      e->copy_runs += op->count;
    } else if (op->kind == KV_OP_TABLE_WRITE) {
      e->table_entries += op->count;
    }
    e->vmm_calls += kv_op_driver_calls(op);
  }
  e->t = *out;
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

static kv_backend *recorder_wrap(kv_backend *inner, int split) {
  kv_backend *b = calloc(1, sizeof *b);
  recorder *r = calloc(1, sizeof *r);
  if (!b || !r) DIE("out of host memory");
  r->inner = inner;
  r->split = split;
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

static void write_steps(const char *dir, const char *label, const recorder *r) {
  char name[256];
  snprintf(name, sizeof name, "steps_%s.csv", label);
  FILE *f = open_out(dir, name);
  fprintf(f,
          "row,engine_step,n_ops,parts,compute_bytes,compute_flops,copy_bytes,"
          "copy_runs,vmm_calls,table_entries,total,compute,op_critical,"
          "op_hidden,driver_critical,driver_hidden");
  for (int k = 0; k < KV_OP__COUNT; k++)
    fprintf(f, ",t_%s", kv_op_kind_name((kv_op_kind)k));
  fputc('\n', f);
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
    fputc('\n', f);
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
             "gpu_copy_time,gpu_attn_bytes,gpu_weight_bytes\n");
}

static void summary_row(FILE *f, const char *label, const kv_summary *s,
                        const kv_gpu_totals *t) {
  fprintf(f, "%s", label);
  for (size_t i = 0; i < kv_summary_info_n; i++)
    fprintf(f, ",%.9g",
            *(const double *)((const char *)s + kv_summary_info[i].offset));
  for (int k = 0; k < KV_OP__COUNT; k++)
    fprintf(f, ",%.9g,%.9g", s->op_count[k], s->op_time[k]);
  fprintf(f, ",%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g\n", t->steps,
          t->step_time, t->idle_time, t->driver_critical, t->driver_hidden,
          t->driver_calls, t->compute_time, t->copy_time, t->attn_bytes,
          t->weight_bytes);
}

static void write_setup(const char *dir, const char *backend_kind) {
  FILE *f = open_out(dir, "setup.lua");
  fprintf(f,
          "-- written by validate_gpu (gpu/validate_gpu.c): the measured "
          "runs' configuration\n"
          "return {\n"
          "  backend = \"%s\",\n"
          "  model = \"%s\",\n"
          "  workload = { n = %zu, arrival = 0, prompt = { %u, %u }, "
          "output = { %u, %u }, seed = %" PRIu64 " },\n"
          "  engine = { kv_capacity = %" PRIu64 ", host_bytes = %" PRIu64
          ", preempt = \"swap\", max_batch_tokens = %u, max_num_seqs = %u, "
          "check = %d, seed = %" PRIu64 ", timeline_interval = 0 },\n"
          "  configs = {\n",
          backend_kind, model_name, n_requests, prompt_lo, prompt_hi, output_lo,
          output_hi, seed, kv_capacity, host_bytes, max_batch_tokens,
          max_num_seqs, check_level, seed);
  for (size_t i = 0; i < N_CASES; i++)
    fprintf(f, "    { label = \"%s\", strategy = %s },\n", cases[i].label,
            cases[i].lua);
  fprintf(f, "  },\n}\n");
  close_out(f, "setup.lua");
}

/* Generate the closed batch, write it as Azure CSV, read it back. */
static void make_workload(const char *dir, kv_workload *w) {
  kv_synth_cfg sc = {
      .arrival = KV_ARRIVAL_POISSON,
      .rate = 1, /* arrivals are then all set to 0 */
      .n = n_requests,
      .prompt = {.kind = KV_LEN_UNIFORM,
                 .a = prompt_lo,
                 .b = prompt_hi,
                 .min = 1},
      .output = {.kind = KV_LEN_UNIFORM,
                 .a = output_lo,
                 .b = output_hi,
                 .min = 1},
  };
  kv_workload g;
  kv_error err;
  kv_workload_init(&g);
  if (kv_workload_synthetic(&sc, seed, &g, &err) != KV_OK)
    DIE("workload: %s", err.msg);
  FILE *f = open_out(dir, "workload.csv");
  fprintf(f, "TIMESTAMP,ContextTokens,GeneratedTokens\n");
  for (size_t i = 0; i < g.n; i++)
    fprintf(f, "0,%u,%u\n", g.reqs[i].prompt, g.reqs[i].output);
  close_out(f, "workload.csv");
  kv_workload_free(&g);
  char path[4096];
  snprintf(path, sizeof path, "%s/workload.csv", dir);
  kv_workload_init(w);
  if (kv_workload_load(path, w, &err) != KV_OK)
    DIE("reading back %s: %s", path, err.msg);
  if (w->n != n_requests) DIE("%s: %zu requests read back", path, w->n);
}

/* ---- one configuration ---- */

static void run_case(const vcase *c, const kv_model *m, const kv_platform *p,
                     const kv_workload *w, int ideal, int split,
                     const char *dir, FILE *summary, FILE *desc) {
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
  cfg->kv_capacity = kv_capacity;
  cfg->max_batch_tokens = max_batch_tokens;
  cfg->max_num_seqs = max_num_seqs;
  cfg->preempt = KV_PREEMPT_SWAP;
  cfg->timeline_interval = 0;
  cfg->check_level = check_level;
  cfg->seed = seed;
  cfg->scfg.host_bytes = host_bytes;
  if (strcmp(c->strategy, "static") == 0 || strcmp(c->strategy, "vmm") == 0)
    cfg->scfg.max_context = max_context;
  if (c->page_bytes) cfg->scfg.page_bytes = c->page_bytes;
  cfg->scfg.vmm_layout = c->layout;
  cfg->scfg.map_ahead = c->map_ahead;
  cfg->scfg.copy_via = c->via;
  kv_backend *inner;
  if (ideal) {
    inner = kv_backend_ideal_create(p, m, 1, &err);
  } else {
    spec.backend = KV_BACKEND_GPU;
    inner = kv_gpu_backend_for_run(&spec, NULL, &err);
  }
  if (!inner) DIE("%s: backend: %s", c->label, err.msg);
  kv_backend *b = recorder_wrap(inner, split);
  cfg->backend = b;
  kv_result r;
  if (kv_engine_run(cfg, &r, &err) != KV_OK)
    DIE("%s: run: %s", c->label, err.msg);
  const kv_summary *s = &r.summary;
  char d[1024];
  b->vt->describe(b, d, sizeof d);
  fprintf(desc, "%s: %s\n", c->label, d);
  kv_gpu_totals t;
  memset(&t, 0, sizeof t);
  if (!ideal) kv_gpu_get_totals(inner, &t);
  summary_row(summary, c->label, s, &t);
  write_steps(dir, c->label, rec_of(b));
  write_timeline(dir, c->label, &r.timeline);
  printf("%-17s %5.0f steps %8.3f s  compute %.3f s  op crit %7.2f ms  "
         "driver crit %7.2f ms hidden %6.2f ms  vmm calls %6.0f  swaps %3.0f "
         " copy %6.2f ms (%4.0f MB)  table %5.2f ms\n",
         c->label, s->steps, s->sim_time, s->compute_time,
         s->op_time_critical * 1e3, s->driver_time_critical * 1e3,
         s->driver_time_hidden * 1e3, s->vmm_calls, s->swaps_out,
         s->op_time[KV_OP_COPY] * 1e3,
         (s->copy_bytes_h2d + s->copy_bytes_d2h) / 1e6,
         s->op_time[KV_OP_TABLE_WRITE] * 1e3);
  fflush(stdout);
  if (s->completed != s->requests)
    DIE("%s: %.0f of %.0f requests completed", c->label, s->completed,
        s->requests);
  kv_result_free(&r);
  b->vt->destroy(b);
}

int main(int argc, char **argv) {
  const char *dir = "results/tmp/validate", *only = NULL;
  int ideal = 0, split = 0;
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
    else if (strcmp(argv[i], "--list") == 0) {
      for (size_t k = 0; k < N_CASES; k++)
        printf("%s\n", cases[k].label);
      return 0;
    } else {
      fprintf(stderr,
              "usage: %s [--out DIR] [--only LABEL] [--ideal] [--split] "
              "[--list]\n",
              argv[0]);
      return 2;
    }
  }
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
  make_workload(dir, &w);
  write_setup(dir, ideal ? "ideal" : "gpu");
  printf("validate_gpu: %s, %zu requests at t=0, prompts U[%u,%u], outputs "
         "U[%u,%u], seed %" PRIu64 "; kv_capacity %" PRIu64
         " MiB, host %" PRIu64 " MiB, preempt swap, max_batch_tokens %u, "
         "max_context %u (static, vmm); backend %s; files in %s\n",
         model_name, w.n, prompt_lo, prompt_hi, output_lo, output_hi, seed,
         (uint64_t)(kv_capacity / MIB), (uint64_t)(host_bytes / MIB),
         max_batch_tokens, max_context, ideal ? "ideal" : "gpu", dir);

  /* appended to, so that each configuration may run in its own process
   * (--only): a CUDA fault in one leaves the others' rows */
  FILE *summary = open_mode(dir, "summary.csv", "a");
  if (ftell(summary) == 0) summary_header(summary);
  FILE *desc = open_mode(dir, "backend.txt", "a");
  int ran = 0;
  for (size_t i = 0; i < N_CASES; i++) {
    if (only && strcmp(only, cases[i].label) != 0) continue;
    run_case(&cases[i], &m, &p, &w, ideal, split, dir, summary, desc);
    ran++;
  }
  close_out(summary, "summary.csv");
  close_out(desc, "backend.txt");
  kv_workload_free(&w);
  if (!ran) DIE("--only %s: no such configuration", only);
  return 0;
}
