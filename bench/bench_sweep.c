/* bench_sweep.c - a sweep of 8 configurations through kv_sweep_run() with
 * one child at a time and with two at once: wall time of each, the
 * speedup, and simulated seconds per wall second (total simulated time of
 * the 8 runs over the sweep's wall time). Best of --reps repetitions.
 *
 *   bench_sweep [--trace PATH] [--reps N] [--backend simgrid|ideal]
 *               [--jobs N]   (the parallel run's jobs, default 2)
 *
 * Default trace: ../shared/traces/azure2023_conv.csv next to the source
 * tree. A benchmark, run on demand: never part of the test suite.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
#include "strategy.h"
#include "sweep.h"
#include "util.h"
#ifdef KVSIM_HAVE_SIM
#include "../sim/sim_backend.h"
#endif

#include "bench_util.h"

typedef struct variant {
  const char *label, *strategy;
  uint32_t block_tokens;
  uint64_t page_bytes;
  kv_vmm_layout layout;
} variant;

/* the fragmentation experiment's eight placements */
static const variant variants[8] = {
    {"static", "static", 16, 2 << 20, KV_VMM_PER_LAYER},
    {"paged-16", "paged", 16, 2 << 20, KV_VMM_PER_LAYER},
    {"paged-256", "paged", 256, 2 << 20, KV_VMM_PER_LAYER},
    {"vmm-2M-layer", "vmm", 16, 2 << 20, KV_VMM_PER_LAYER},
    {"vmm-2M-all", "vmm", 16, 2 << 20, KV_VMM_ALL_LAYERS},
    {"vmm-64K-layer", "vmm", 16, 64 << 10, KV_VMM_PER_LAYER},
    {"vmm-64K-vattn", "vmm", 16, 64 << 10, KV_VMM_PER_LAYER},
    {"indirect-64M-16", "indirect", 16, 64 << 20, KV_VMM_PER_LAYER},
};
#define NV (sizeof variants / sizeof variants[0])

/* CPU seconds (user + system) of the reaped children so far. */
static double children_cpu(void) {
  struct rusage ru;
  getrusage(RUSAGE_CHILDREN, &ru);
  return (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec +
         (double)ru.ru_stime.tv_sec + 1e-6 * (double)ru.ru_stime.tv_usec;
}

/* One sweep of the 8 runs with `jobs` children: wall seconds; *sim gets
 * the total simulated seconds, *cpu the children's CPU seconds. */
static double sweep_once(const kv_run_spec *specs, int jobs, double *sim,
                         double *cpu) {
  kv_result out[NV];
  kv_status codes[NV];
  kv_error errs[NV];
  double c0 = children_cpu();
  double t0 = wall();
  kv_status st = kv_sweep_run(specs, NV, jobs, out, codes, errs);
  double dt = wall() - t0;
  *cpu = children_cpu() - c0;
  if (st != KV_OK)
    for (size_t i = 0; i < NV; i++)
      if (codes[i] != KV_OK) DIE("%s: %s", variants[i].label, errs[i].msg);
  *sim = 0;
  for (size_t i = 0; i < NV; i++) {
    *sim += out[i].summary.sim_time;
    kv_result_free(&out[i]);
  }
  return dt;
}

int main(int argc, char **argv) {
  const char *trace = KVSIM_SOURCE_DIR "/../shared/traces/azure2023_conv.csv";
  int reps = 3, jobs = 2;
  const char *backend = "simgrid";
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--trace") && i + 1 < argc)
      trace = argv[++i];
    else if (!strcmp(argv[i], "--reps") && i + 1 < argc)
      reps = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--jobs") && i + 1 < argc)
      jobs = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--backend") && i + 1 < argc)
      backend = argv[++i];
    else
      DIE("usage: %s [--trace PATH] [--reps N] [--backend simgrid|ideal] "
          "[--jobs N]",
          argv[0]);
  }
  if (reps < 1) DIE("--reps must be >= 1");
  if (jobs < 2) DIE("--jobs must be >= 2 (it is compared with 1)");
  int sim = !strcmp(backend, "simgrid");
  if (!sim && strcmp(backend, "ideal")) DIE("unknown backend '%s'", backend);
#ifndef KVSIM_HAVE_SIM
  if (sim) DIE("built without the SimGrid backend");
#endif
  kv_error err;
  kv_model m;
  kv_platform p;
  kv_workload w;
  kv_workload_init(&w);
  if (kv_model_preset("llama-3-8b", &m, &err)) DIE("%s", err.msg);
  if (kv_platform_preset("h100-sxm-80gb", &p, &err)) DIE("%s", err.msg);
  if (kv_workload_load(trace, &w, &err)) DIE("%s", err.msg);

  kv_run_spec specs[NV];
  for (size_t v = 0; v < NV; v++) {
    kv_run_spec *s = &specs[v];
    memset(s, 0, sizeof *s);
    kv_engine_cfg_defaults(&s->engine);
    kv_strategy_cfg_defaults(&s->engine.scfg);
    s->engine.model = &m;
    s->engine.platform = &p;
    s->engine.workload = &w;
    s->engine.seed = 1;
    s->engine.strategy = kv_strategy_find(variants[v].strategy, &err);
    if (!s->engine.strategy) DIE("%s", err.msg);
    s->engine.scfg.block_tokens = variants[v].block_tokens;
    s->engine.scfg.page_bytes = variants[v].page_bytes;
    s->engine.scfg.vmm_layout = variants[v].layout;
    s->engine.scfg.slab_bytes = 64 << 20;
    if (!strcmp(variants[v].label, "vmm-64K-vattn")) {
      s->engine.scfg.map_ahead = 32;
      s->engine.scfg.deferred_reclaim = true;
    }
#ifdef KVSIM_HAVE_SIM
    if (sim) s->backend = &kv_sim_backend_desc; /* default options */
#endif
  }
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  printf("trace %s: %zu requests; backend %s; %zu configurations; %ld online "
         "cores; best of %d\n",
         w.source, w.n, backend, NV, cores, reps);
  double best1 = 0, bestj = 0, sim1 = 0, simj = 0, cpu1 = 0, cpuj = 0;
  for (int k = 0; k < reps; k++) {
    double c1, cj;
    double t1 = sweep_once(specs, 1, &sim1, &c1);
    double tj = sweep_once(specs, jobs, &simj, &cj);
    if (k == 0 || t1 < best1) best1 = t1, cpu1 = c1;
    if (k == 0 || tj < bestj) bestj = tj, cpuj = cj;
    printf("  rep %d: jobs=1 %.3f s (cpu %.3f s), jobs=%d %.3f s (cpu %.3f "
           "s)\n",
           k + 1, t1, c1, jobs, tj, cj);
    fflush(stdout);
  }
  if (sim1 != simj) DIE("results differ with jobs: %.9g vs %.9g", sim1, simj);
  /* cores busy = children's CPU seconds / wall seconds */
  printf("%-8s %10s %10s %12s %14s %14s\n", "jobs", "wall_s", "cpu_s",
         "cores_busy", "sim_s", "sim_s/wall_s");
  printf("%-8d %10.3f %10.3f %12.2f %14.1f %14.0f\n", 1, best1, cpu1,
         cpu1 / best1, sim1, sim1 / best1);
  printf("%-8d %10.3f %10.3f %12.2f %14.1f %14.0f\n", jobs, bestj, cpuj,
         cpuj / bestj, simj, simj / bestj);
  printf("speedup with %d jobs: %.2fx\n", jobs, best1 / bestj);
  kv_workload_free(&w);
  return 0;
}
