/* bench_replay.c - replay a whole trace per strategy and report simulated
 * seconds per wall second (median of repetitions), on the ideal backend or,
 * with --backend simgrid, on the SimGrid backend.
 *
 *   bench_replay [--trace PATH] [--reps N] [--backend ideal|simgrid]
 *
 * Default trace: ../shared/traces/azure2023_conv.csv next to the source tree.
 * A benchmark, run on demand: never part of the test suite.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine.h"
#include "util.h"
#ifdef KVSIM_HAVE_SIM
#include "../sim/sim_backend.h"
#include "sweep.h"
#endif

#include "bench_util.h"

typedef struct variant {
  const char *label, *strategy;
  uint32_t block_tokens;
  uint64_t page_bytes;
  kv_vmm_layout layout;
} variant;

static const variant variants[] = {
    {"static", "static", 16, 2 << 20, KV_VMM_PER_LAYER},
    {"paged-16", "paged", 16, 2 << 20, KV_VMM_PER_LAYER},
    {"paged-256", "paged", 256, 2 << 20, KV_VMM_PER_LAYER},
    {"vmm-2m-layer", "vmm", 16, 2 << 20, KV_VMM_PER_LAYER},
    {"vmm-2m-all", "vmm", 16, 2 << 20, KV_VMM_ALL_LAYERS},
    {"vmm-64k-layer", "vmm", 16, 64 << 10, KV_VMM_PER_LAYER},
    {"indirect", "indirect", 16, 2 << 20, KV_VMM_PER_LAYER},
};

int main(int argc, char **argv) {
  const char *trace = KVSIM_SOURCE_DIR "/../shared/traces/azure2023_conv.csv";
  int reps = 5;
  const char *backend = "ideal";
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--trace") && i + 1 < argc)
      trace = argv[++i];
    else if (!strcmp(argv[i], "--reps") && i + 1 < argc)
      reps = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--backend") && i + 1 < argc)
      backend = argv[++i];
    else
      DIE("usage: %s [--trace PATH] [--reps N] [--backend ideal|simgrid]",
          argv[0]);
  }
  if (reps < 1) DIE("--reps must be >= 1");
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
  printf("trace %s: %zu requests; backend %s; %d repetitions per strategy\n",
         w.source, w.n, backend, reps);
  printf("%-14s %10s %8s %10s %12s\n", "strategy", "sim_s", "steps",
         "wall_s(med)", "sim_s/wall_s");
  for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++) {
    const variant *var = &variants[v];
    double *walls = kv_xmalloc((size_t)reps * sizeof *walls);
    kv_result r = {0};
    for (int k = 0; k < reps; k++) {
      kv_engine_cfg cfg;
      kv_engine_cfg_defaults(&cfg);
      cfg.model = &m;
      cfg.platform = &p;
      cfg.workload = &w;
      cfg.strategy = kv_strategy_find(var->strategy, &err);
      cfg.scfg.block_tokens = var->block_tokens;
      cfg.scfg.page_bytes = var->page_bytes;
      cfg.scfg.vmm_layout = var->layout;
      kv_result_free(&r);
      double t0 = wall();
      kv_status s;
#ifdef KVSIM_HAVE_SIM
      if (sim) {
        kv_run_spec spec = {.engine = cfg, .backend = &kv_sim_backend_desc};
        kv_status code;
        s = kv_sweep_run(&spec, 1, 1, &r, &code, &err);
      } else
#endif
        s = kv_engine_run(&cfg, &r, &err);
      walls[k] = wall() - t0;
      if (s != KV_OK) DIE("%s: %s", var->label, err.msg);
    }
    kv_sort_doubles(walls, (size_t)reps);
    double med = kv_percentile_sorted(walls, (size_t)reps, 50);
    printf("%-14s %10.1f %8.0f %10.4f %12.0f\n", var->label, r.summary.sim_time,
           r.summary.steps, med, r.summary.sim_time / med);
    fflush(stdout);
    kv_result_free(&r);
    free(walls);
  }
  kv_workload_free(&w);
  return 0;
}
