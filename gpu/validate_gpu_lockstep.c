/* validate_gpu_lockstep.c - validate_gpu --lockstep: scale.lua's lockstep
 * swapping on N GPUs at once.
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
 * checks the program and the files).
 * Main entry point: lockstep_main().
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "validate_gpu.h"

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

void lockstep_usage(const char *prog) {
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

/* The command line onto *o, *trace and *ideal. Returns 2 after printing
 * the usage on an unknown argument, else 0. */
static int lockstep_args(int argc, char **argv, lockstep_opts *o,
                         const char **trace, int *ideal) {
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--lockstep") == 0)
      continue;
    else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
      o->out = argv[++i];
    else if (strcmp(argv[i], "--trace") == 0 && i + 1 < argc)
      *trace = argv[++i];
    else if (strcmp(argv[i], "--ideal") == 0)
      *ideal = 1;
    else if (strcmp(argv[i], "--quick") == 0)
      o->requests = 150, o->capacity_gib = 1;
    else if (strcmp(argv[i], "--device") == 0)
      o->device = (int)open_num(argc, argv, &i, "--device", 0);
    else if (strcmp(argv[i], "--gpus") == 0)
      o->gpus = (int)open_num(argc, argv, &i, "--gpus", 1);
    else if (strcmp(argv[i], "--start-at") == 0)
      o->start_at = open_num(argc, argv, &i, "--start-at", 0);
    else if (strcmp(argv[i], "--requests") == 0)
      o->requests = (uint32_t)open_num(argc, argv, &i, "--requests", 1);
    else if (strcmp(argv[i], "--capacity") == 0)
      o->capacity_gib = open_num(argc, argv, &i, "--capacity", 1.0 / 1024);
    else if (strcmp(argv[i], "--host") == 0)
      o->host_gib = open_num(argc, argv, &i, "--host", 1.0 / 1024);
    else if (strcmp(argv[i], "--batch-tokens") == 0)
      o->batch_tokens = (uint32_t)open_num(argc, argv, &i, "--batch-tokens", 1);
    else if (strcmp(argv[i], "--seed") == 0)
      o->seed = (uint64_t)open_num(argc, argv, &i, "--seed", 0);
    else if (strcmp(argv[i], "--max-wall") == 0)
      o->max_wall = open_num(argc, argv, &i, "--max-wall", 0);
    else {
      lockstep_usage(argv[0]);
      return 2;
    }
  }
  return 0;
}

/* The engine's configuration: paged-16 with engine copies, swap to the
 * host tier, the capacities and seed of the command line. */
static void lockstep_engine_cfg(const lockstep_opts *o, const kv_model *m,
                                const kv_platform *p, const kv_workload *w,
                                kv_engine_cfg *cfg) {
  kv_error err;
  kv_engine_cfg_defaults(cfg);
  cfg->model = m;
  cfg->platform = p;
  cfg->workload = w;
  cfg->strategy = kv_strategy_find("paged", &err);
  if (!cfg->strategy) DIE("%s", err.msg);
  cfg->kv_capacity = (uint64_t)(o->capacity_gib * (double)GIB);
  cfg->preempt = KV_PREEMPT_SWAP;
  cfg->seed = o->seed;
  cfg->timeline_interval = 0;
  cfg->scfg.host_bytes = (uint64_t)(o->host_gib * (double)GIB);
  cfg->scfg.copy_via = KV_VIA_ENGINE;
  if (o->batch_tokens) cfg->max_batch_tokens = o->batch_tokens;
}

/* setup.lua: the run's configuration, for validate_multi.lua. */
static void lockstep_write_setup(const char *dir, const lockstep_opts *o,
                                 int ideal, const char *pname, size_t n,
                                 const kv_engine_cfg *cfg) {
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
          ideal ? "ideal" : "gpu", pname, model_name, o->gpus, o->device,
          o->start_at, o->trace, n, cfg->kv_capacity, cfg->scfg.host_bytes,
          cfg->max_batch_tokens, cfg->max_num_seqs, cfg->watermark,
          cfg->check_level, o->seed, lua);
  close_out(f, "setup.lua");
}

/* copies.csv: copy bytes and time by direction, summed into bytes, ctime
 * and *mixed (the steps that copy both ways) */
static void lockstep_write_copies(const char *dir, const lockstep_opts *o,
                                  const recorder *rc, double bytes[2],
                                  double ctime[2], double *mixed) {
  double steps[2] = {0, 0};
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
    *mixed += hb > 0 && db > 0;
  }
  FILE *cf = open_out(dir, "copies.csv");
  fprintf(cf, "gpu,gpus,direction,bytes,time,bw,steps,mixed_steps\n");
  const char *dname[2] = {"h2d", "d2h"};
  for (int d = 0; d < 2; d++)
    fprintf(cf, "%d,%d,%s,%.0f,%.9g,%.9g,%.0f,%.0f\n", o->device, o->gpus,
            dname[d], bytes[d], ctime[d],
            ctime[d] > 0 ? bytes[d] / ctime[d] : 0, steps[d], *mixed);
  close_out(cf, "copies.csv");
}

/* The run's files (summary.csv, steps_lockstep.csv, requests_lockstep.csv,
 * copies.csv, wall.csv, backend.txt) and its line on stdout; rs is the
 * engine's status, b the recorder around inner. Returns 1 when the run
 * completed. */
static int lockstep_results(const char *dir, const lockstep_opts *o, int ideal,
                            kv_backend *inner, kv_backend *b, kv_result *r,
                            kv_status rs, double waited, double wall_s) {
  recorder *rc = rec_of(b);
  const kv_summary *s = &r->summary;
  const char *stop = rs == KV_OK ? "done" : rc->stopped;
  int complete = rs == KV_OK && s->completed + s->rejected == s->requests;
  const kv_timeline *tl = &r->timeline;
  if (tl->n != rc->compute_steps)
    DIE("gpu%d: %zu timeline rows for %" PRIu64 " steps with compute",
        o->device, tl->n, rc->compute_steps);
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
  open_write_requests(dir, "lockstep", r);
  double bytes[2] = {0, 0}, ctime[2] = {0, 0}, mixed = 0;
  lockstep_write_copies(dir, o, rc, bytes, ctime, &mixed);
  FILE *wf = open_out(dir, "wall.csv");
  fprintf(wf, "gpu,gpus,start_at,waited_s,wall_s,complete,stop\n");
  fprintf(wf, "%d,%d,%.3f,%.6f,%.3f,%d,%s\n", o->device, o->gpus, o->start_at,
          waited, wall_s, complete, stop);
  close_out(wf, "wall.csv");
  char d[1024];
  b->vt->describe(b, d, sizeof d);
  FILE *df = open_out(dir, "backend.txt");
  fprintf(df, "lockstep/gpu%d: %s\n", o->device, d);
  close_out(df, "backend.txt");
  printf("gpu %d of %d: %s (%s), %.0f steps, %.3f s simulated, %.0f of %.0f "
         "requests completed, swaps out %.0f; H2D %.0f MB in %.3f s, D2H "
         "%.0f MB in %.3f s (%.0f steps copy both ways); TPOT p50 %.2f ms; "
         "waited %.3f s at the barrier, wall %.1f s\n",
         o->device, o->gpus, complete ? "complete" : "INCOMPLETE", stop,
         s->steps, s->sim_time, s->completed, s->requests, s->swaps_out,
         bytes[0] / 1e6, ctime[0], bytes[1] / 1e6, ctime[1], mixed,
         s->tpot_p50 * 1e3, waited, wall_s);
  return complete;
}

int lockstep_main(int argc, char **argv) {
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
  if (lockstep_args(argc, argv, &o, &trace, &ideal) != 0) return 2;
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
  /* scale.lua's platform; the GPU backend reads none, the ideal times the
   * steps with it */
  const char *pname = "h100-sxm-80gb";
  load_presets(pname, &m, &p);
  kv_workload w;
  lockstep_workload(dir, &o, &w);

  kv_run_spec spec;
  memset(&spec, 0, sizeof spec);
  kv_engine_cfg *cfg = &spec.engine;
  lockstep_engine_cfg(&o, &m, &p, &w, cfg);
  lockstep_write_setup(dir, &o, ideal, pname, w.n, cfg);

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
  int complete =
      lockstep_results(dir, &o, ideal, inner, b, &r, rs, waited, wall_s);
  kv_result_free(&r);
  b->vt->destroy(b);
  kv_workload_free(&w);
  return complete ? 0 : 3;
}
