/* validate_gpu_open.c - validate_gpu --open: open arrivals, a slice of the
 * Azure conversation trace at its own arrival times.
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
 *                        between two runs of the same inputs)
 * Main entry points: open_main(), open_run_case().
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "validate_gpu.h"

/* The settings and cases of --open (experiments/gpu_cases.lua's, read by
 * open_main()): every case runs in every setting. */
static case_book book;
#define N_OPEN_CASES (book.nst * book.noc)

typedef struct open_opts {
  const char *trace; /* the Azure conversation trace */
  double minutes, start, speedup, max_wall;
  uint32_t batch_tokens;
  int bg_thread; /* kv_gpu_options.background_thread (--bg-thread) */
} open_opts;

static void open_label(size_t k, char *buf, size_t n) {
  snprintf(buf, n, "%s-%s", book.st[k / book.noc].name,
           book.oc[k % book.noc].name);
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
  for (size_t s = 0; s < book.nst; s++) {
    const open_setting *st = &book.st[s];
    fprintf(f,
            "    %s = { kv_capacity = %" PRIu64 ", host_bytes = %" PRIu64
            ", preempt = \"%s\", speedup = %.9g, copy_via = \"%s\" },\n",
            st->name, st->kv_capacity, st->host_bytes,
            st->preempt == KV_PREEMPT_SWAP ? "swap" : "recompute",
            st->fast ? oo->speedup : 1.0, kv_copy_via_name(st->via));
  }
  fprintf(f, "  },\n  cases = {\n");
  for (size_t k = 0; k < N_OPEN_CASES; k++) {
    const open_setting *st = &book.st[k / book.noc];
    const open_case *c = &book.oc[k % book.noc];
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
            st->tier_indirect && c->tier ? "true" : "false");
  }
  fprintf(f, "  },\n}\n");
  close_out(f, "setup.lua");
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

/* The engine's configuration of a case: setting st, case c. */
static void open_case_cfg(const open_setting *st, const open_case *c,
                          const open_opts *oo, const kv_model *m,
                          const kv_platform *p, const kv_workload *w,
                          const kv_workload *fast, kv_engine_cfg *cfg) {
  bool tier = st->tier_indirect && c->tier;
  kv_error err;
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
}

/* The measured backend: the ideal one, or the GPU backend with the
 * background thread of --bg-thread. */
static kv_backend *open_case_backend(const char *label, const open_opts *oo,
                                     const kv_model *m, const kv_platform *p,
                                     int ideal, kv_run_spec *spec) {
  kv_error err;
  kv_backend *inner;
  if (ideal) {
    inner = kv_backend_ideal_create(p, m, 1, &err);
  } else {
    kv_gpu_options go;
    kv_gpu_options_defaults(&go);
    go.background_thread = oo->bg_thread;
    spec->backend = &kv_gpu_backend_desc;
    inner = kv_gpu_backend_for_run(spec, &go, &err);
  }
  if (!inner) DIE("%s: backend: %s", label, err.msg);
  return inner;
}

/* The running requests of each step, from the engine's timeline; and
 * how often "decode-only" by the timeline's columns (batch tokens ==
 * running requests, what validate_open.lua can tell of a simulated step)
 * differs from the COMPUTE op's shape (tokens == decodes): *dsteps
 * decode-only steps by the shape, *differ classified otherwise. */
static void open_note_running(const char *label, recorder *rc,
                              const kv_timeline *tl, size_t *dsteps,
                              size_t *differ) {
  if (tl->n != rc->compute_steps)
    DIE("%s: %zu timeline rows for %" PRIu64 " steps with compute", label,
        tl->n, rc->compute_steps);
  for (size_t i = 0; i < rc->n; i++) {
    step_rec *e = &rc->v[i];
    if (e->engine_step == 0) continue;
    const kv_sample *sm = &tl->s[e->engine_step - 1];
    e->running = sm->running;
    int exact = e->tokens > 0 && e->tokens == e->decodes;
    int by_tl = sm->batch_tokens > 0 && sm->batch_tokens == sm->running;
    *dsteps += exact;
    *differ += exact != by_tl;
  }
}

/* One case of --open; returns 1 when it ran to completion. */
static int open_run_case(size_t k, const open_opts *oo, const kv_model *m,
                         const kv_platform *p, const kv_workload *w,
                         const kv_workload *fast, int ideal, outputs *o,
                         FILE *wall) {
  const open_setting *st = &book.st[k / book.noc];
  const open_case *c = &book.oc[k % book.noc];
  char label[128];
  open_label(k, label, sizeof label);
  kv_error err;
  kv_run_spec spec;
  memset(&spec, 0, sizeof spec);
  kv_engine_cfg *cfg = &spec.engine;
  open_case_cfg(st, c, oo, m, p, w, fast, cfg);
  kv_backend *inner = open_case_backend(label, oo, m, p, ideal, &spec);
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
  size_t differ = 0, dsteps = 0;
  open_note_running(label, rc, &r.timeline, &dsteps, &differ);
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

void open_usage(const char *prog) {
  fprintf(stderr,
          "usage: %s --open [--out DIR] [--only LABEL] [--ideal] [--list] "
          "[--minutes M] [--start S] [--trace FILE] [--speedup X] "
          "[--max-wall S] [--batch-tokens N] [--bg-thread kept|per-step|off] "
          "[--cases FILE]\n",
          prog);
}

/* The command line onto *oo and the rest. Returns 2 after printing the
 * usage (or what --bg-thread takes) on a bad argument, else 0. */
static int open_args(int argc, char **argv, open_opts *oo, const char **dir,
                     const char **only, const char **trace, int *ideal,
                     int *list) {
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--open") == 0)
      continue;
    else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
      *dir = argv[++i];
    else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
      *only = argv[++i];
    else if (strcmp(argv[i], "--cases") == 0 && i + 1 < argc)
      i++; /* cases_load_args() */
    else if (strcmp(argv[i], "--trace") == 0 && i + 1 < argc)
      *trace = argv[++i];
    else if (strcmp(argv[i], "--ideal") == 0)
      *ideal = 1;
    else if (strcmp(argv[i], "--list") == 0)
      *list = 1;
    else if (strcmp(argv[i], "--minutes") == 0)
      oo->minutes = open_num(argc, argv, &i, "--minutes", 1e-9);
    else if (strcmp(argv[i], "--start") == 0)
      oo->start = open_num(argc, argv, &i, "--start", 0);
    else if (strcmp(argv[i], "--speedup") == 0)
      oo->speedup = open_num(argc, argv, &i, "--speedup", 1e-9);
    else if (strcmp(argv[i], "--max-wall") == 0)
      oo->max_wall = open_num(argc, argv, &i, "--max-wall", 0);
    else if (strcmp(argv[i], "--batch-tokens") == 0)
      oo->batch_tokens =
          (uint32_t)open_num(argc, argv, &i, "--batch-tokens", 1);
    else if (strcmp(argv[i], "--bg-thread") == 0 && i + 1 < argc) {
      const char *v = argv[++i];
      oo->bg_thread = strcmp(v, "kept") == 0       ? 1
                      : strcmp(v, "per-step") == 0 ? 2
                      : strcmp(v, "off") == 0      ? 0
                                                   : -1;
      if (oo->bg_thread < 0) {
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
  return 0;
}

int open_main(int argc, char **argv) {
  const char *dir = "results/tmp/open", *only = NULL, *trace = NULL;
  int ideal = 0, list = 0;
  open_opts oo = {.minutes = 5,
                  .start = 0,
                  .speedup = 4,
                  .max_wall = 120,
                  .batch_tokens = 128,
                  .bg_thread = 1};
  if (open_args(argc, argv, &oo, &dir, &only, &trace, &ideal, &list) != 0)
    return 2;
  cases_load_args(argc, argv, &book);
  if (list) {
    for (size_t k = 0; k < N_OPEN_CASES; k++) {
      char label[128];
      open_label(k, label, sizeof label);
      printf("%s\n", label);
    }
    cases_free(&book);
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
  mkdir_p(dir); /* with its parents */
  kv_model m;
  kv_platform p;
  /* the GPU backend reads no platform constant; the ideal backend times
   * the steps with the preset of the GPU the device run uses */
  const char *pname = "h200-141gb";
  load_presets(pname, &m, &p);
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
  for (size_t s = 0; s < book.nst; s++) {
    const open_setting *st = &book.st[s];
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
  cases_free(&book);
  if (incomplete) {
    printf("validate_gpu --open: %d case(s) incomplete (--max-wall %g s): "
           "summary.csv marks them complete = 0\n",
           incomplete, oo.max_wall);
  }
  return 0;
}
