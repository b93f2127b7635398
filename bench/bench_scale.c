/* bench_scale.c - one big simulation: R H100s (llama-3-8b, paged-16, one
 * replica per GPU, round robin), each under Azure-like load (the
 * azure-conv preset's statistics at 19,366 / 3,502 requests per second per
 * GPU), for --duration simulated seconds, on the ideal backend and on
 * SimGrid. Per configuration, in a forked child (one simulation per
 * process, as kv.run does): wall seconds of workload generation and of the
 * run, CPU seconds, peak RSS of the child (getrusage via wait4), simulated
 * GPU-seconds per wall second, TTFT/TPOT p99. A benchmark, run on demand
 * (scripts/bench_scale.sh): never part of the test suite.
 *
 *   bench_scale [--gpus 8,32,128] [--duration S] [--backend both|ideal|simgrid]
 *               [--keep-requests 0|1] [--requests-file PATH]
 *               [--timeline-interval S] [--analytic 0|1|2|3] [--shards S]
 *               [--shard-jobs J] [--seed N]
 *
 * --analytic 2: kv_sim_options.analytic = 2 (lone transfers timed from
 * their route even with replicas: an approximation, sim_backend.h).
 * --analytic 3: kv_sim_options.analytic = 3 (only those proven alone: the
 * exact rule, lone_transfers = "exact").
 * --shards S: kv_replica_spec.shards (S processes at once, each a group of
 * servers; cpu_s then sums them, rss_MB is the largest process's),
 * --shard-jobs J: at most J of them at once (kv_replica_spec.shard_jobs).
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine.h"
#include "strategy.h"
#include "sweep.h"
#include "util.h"
#include "workload.h"
#ifdef KVSIM_HAVE_SIM
#include "../sim/sim_backend.h"
#endif

#include "bench_util.h"

typedef struct opts {
  double duration, timeline_interval;
  int keep_requests;
  const char *requests_file;
  uint64_t seed;
  int analytic;      /* kv_sim_options.analytic */
  size_t shards;     /* kv_replica_spec.shards */
  size_t shard_jobs; /* kv_replica_spec.shard_jobs */
} opts;

/* What a child reports back. */
typedef struct report {
  double gen_s, run_s, requests, completed, sim_time;
  double ttft_p50, ttft_p99, tpot_p50, tpot_p99, e2e_p99;
  int status;
  char err[256];
  double phases_simgrid, flows, sleeps, lone_proven, lone_after_sleep, steps;
} report;

static void child(int fd, int sim, size_t gpus, const opts *o) {
  report rep;
  memset(&rep, 0, sizeof rep);
  kv_error err = {0};
  kv_model m;
  kv_platform p;
  kv_workload w;
  kv_workload_init(&w);
  if (kv_model_preset("llama-3-8b", &m, &err)) DIE("%s", err.msg);
  if (kv_platform_preset("h100-sxm-80gb", &p, &err)) DIE("%s", err.msg);
  p.servers = (uint32_t)((gpus + p.gpus_per_server - 1) / p.gpus_per_server);
  if (gpus < p.gpus_per_server) p.gpus_per_server = (uint32_t)gpus;
  double t0 = wall();
  kv_synth_cfg c;
  memset(&c, 0, sizeof c);
  c.arrival = KV_ARRIVAL_BURSTY;
  c.rate = (double)gpus * 19366.0 / 3502.0;
  c.cv = 1.09;
  c.duration = o->duration;
  /* the azure-conv preset's lengths (core/inputs/workload_preset.c) */
  c.prompt = kv_len_fit_lognormal(1020, 1155, 1, 14050);
  c.output = kv_len_fit_lognormal(129, 211, 1, 1000);
  if (kv_workload_synthetic(&c, o->seed, &w, &err)) DIE("%s", err.msg);
  double t1 = wall();
  kv_replica_spec spec;
  memset(&spec, 0, sizeof spec);
  kv_run_spec *s = &spec.run;
  kv_engine_cfg_defaults(&s->engine);
  kv_strategy_cfg_defaults(&s->engine.scfg);
  s->engine.model = &m;
  s->engine.platform = &p;
  s->engine.workload = &w;
  s->engine.seed = o->seed;
  s->engine.timeline_interval = o->timeline_interval;
  kv_requests_opts ro = {.keep_requests = o->keep_requests != 0,
                         .requests_file = o->requests_file};
  if (!ro.keep_requests || ro.requests_file) s->engine.requests_opts = &ro;
  s->engine.strategy = kv_strategy_find("paged", &err);
  if (!s->engine.strategy) DIE("%s", err.msg);
  s->engine.scfg.block_tokens = 16;
#ifdef KVSIM_HAVE_SIM
  kv_sim_options so;
  if (sim) {
    kv_sim_options_defaults(&so);
    so.analytic = o->analytic;
    s->backend = &kv_sim_backend_desc;
    s->backend_opts = kv_sim_backend_opts(&so); /* freed at _exit */
  }
#else
  if (sim) DIE("built without the SimGrid backend");
#endif
  spec.replicas = gpus;
  spec.dispatch = KV_DISPATCH_ROUND_ROBIN;
  spec.shards = o->shards;
  spec.shard_jobs = o->shard_jobs;
  size_t nres = kv_replica_results(gpus);
  kv_result *out = kv_xcalloc(nres, sizeof *out);
  kv_status st = kv_replica_spec_execute(&spec, out, &err);
  double t2 = wall();
  rep.status = st;
  if (st != KV_OK) snprintf(rep.err, sizeof rep.err, "%.200s", err.msg);
  const kv_summary *sum = &out[nres - 1].summary;
  rep.gen_s = t1 - t0;
  rep.run_s = t2 - t1;
  rep.requests = sum->requests;
  rep.completed = sum->completed;
  rep.sim_time = sum->sim_time;
  rep.ttft_p50 = sum->ttft_p50;
  rep.ttft_p99 = sum->ttft_p99;
  rep.tpot_p50 = sum->tpot_p50;
  rep.tpot_p99 = sum->tpot_p99;
  rep.e2e_p99 = sum->e2e_p99;
#ifdef KVSIM_HAVE_SIM
  if (sim) {
    kv_sim_counters sc;
    kv_sim_run_counters(&sc);
    rep.steps = (double)sc.steps;
    rep.phases_simgrid = (double)sc.phases_simgrid;
    rep.flows = (double)sc.flows;
    rep.sleeps = (double)sc.sleeps;
    rep.lone_proven = (double)sc.lone_proven;
    rep.lone_after_sleep = (double)sc.lone_after_sleep;
  }
#endif
  if (write(fd, &rep, sizeof rep) != (ssize_t)sizeof rep) _exit(3);
  _exit(0); /* the OS frees the results */
}

int main(int argc, char **argv) {
  opts o = {600, 1.0, 1, NULL, 1, 1, 1, 0};
  const char *gpus_list = "8,32,128";
  const char *backend = "both";
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--gpus") && i + 1 < argc)
      gpus_list = argv[++i];
    else if (!strcmp(argv[i], "--duration") && i + 1 < argc)
      o.duration = atof(argv[++i]);
    else if (!strcmp(argv[i], "--backend") && i + 1 < argc)
      backend = argv[++i];
    else if (!strcmp(argv[i], "--keep-requests") && i + 1 < argc)
      o.keep_requests = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--requests-file") && i + 1 < argc)
      o.requests_file = argv[++i];
    else if (!strcmp(argv[i], "--timeline-interval") && i + 1 < argc)
      o.timeline_interval = atof(argv[++i]);
    else if (!strcmp(argv[i], "--analytic") && i + 1 < argc)
      o.analytic = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--shards") && i + 1 < argc)
      o.shards = strtoul(argv[++i], NULL, 10);
    else if (!strcmp(argv[i], "--shard-jobs") && i + 1 < argc)
      o.shard_jobs = strtoul(argv[++i], NULL, 10);
    else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
      o.seed = strtoull(argv[++i], NULL, 10);
    else
      DIE("usage: %s [--gpus 8,32,128] [--duration S] "
          "[--backend both|ideal|simgrid] [--keep-requests 0|1] "
          "[--requests-file PATH] [--timeline-interval S] [--analytic 0|1|2|3] "
          "[--shards S] [--shard-jobs J] [--seed N]",
          argv[0]);
  }
  int backends[2], nb = 0;
  if (!strcmp(backend, "both") || !strcmp(backend, "ideal")) backends[nb++] = 0;
  if (!strcmp(backend, "both") || !strcmp(backend, "simgrid"))
    backends[nb++] = 1;
  if (!nb) DIE("unknown backend '%s'", backend);
  printf("bench_scale: llama-3-8b on h100-sxm-80gb, paged-16, one replica per "
         "GPU, round robin; azure-conv statistics at 5.53 req/s per GPU for "
         "%g simulated s; keep_requests %d; timeline_interval %g s; SimGrid "
         "analytic %d; shards %zu (%zu at once); seed %llu; %ld online "
         "cores\n",
         o.duration, o.keep_requests, o.timeline_interval, o.analytic, o.shards,
         o.shard_jobs ? o.shard_jobs : o.shards, (unsigned long long)o.seed,
         sysconf(_SC_NPROCESSORS_ONLN));
  printf("%-8s %6s %10s %9s %8s %8s %8s %8s %12s %10s %10s\n", "backend",
         "gpus", "requests", "sim_s", "gen_s", "run_s", "cpu_s", "rss_MB",
         "gpu_s/wall_s", "ttft_p99", "tpot_p99");
  fflush(stdout);
  for (int b = 0; b < nb; b++) {
    char *list = strdup(gpus_list), *save = NULL;
    for (char *tok = strtok_r(list, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
      size_t gpus = strtoul(tok, NULL, 10);
      if (!gpus) DIE("bad GPU count '%s'", tok);
      int pfd[2];
      if (pipe(pfd)) DIE("pipe");
      pid_t pid = fork();
      if (pid < 0) DIE("fork");
      if (pid == 0) {
        close(pfd[0]);
        child(pfd[1], backends[b], gpus, &o);
      }
      close(pfd[1]);
      report rep;
      ssize_t got = read(pfd[0], &rep, sizeof rep);
      close(pfd[0]);
      int wst;
      struct rusage ru;
      if (wait4(pid, &wst, 0, &ru) < 0) DIE("wait4");
      if (got != (ssize_t)sizeof rep || !WIFEXITED(wst) || WEXITSTATUS(wst))
        DIE("%zu GPUs: the child failed", gpus);
      if (rep.status != KV_OK) DIE("%zu GPUs: %s", gpus, rep.err);
      double cpu = (double)ru.ru_utime.tv_sec + 1e-6 * ru.ru_utime.tv_usec +
                   (double)ru.ru_stime.tv_sec + 1e-6 * ru.ru_stime.tv_usec;
      double wall_s = rep.gen_s + rep.run_s;
      printf("%-8s %6zu %10.0f %9.1f %8.2f %8.2f %8.2f %8.0f %12.0f %10.4f "
             "%10.5f\n",
             backends[b] ? "simgrid" : "ideal", gpus, rep.requests,
             rep.sim_time, rep.gen_s, rep.run_s, cpu, ru.ru_maxrss / 1024.0,
             (double)gpus * rep.sim_time / wall_s, rep.ttft_p99, rep.tpot_p99);
      if (backends[b] && o.shards <= 1)
        printf("#   simgrid counters: steps %.0f, phases in SimGrid %.0f "
               "(flows %.0f), sleeps %.0f, lone transfers proven alone "
               "%.0f (%.0f after a sleep)\n",
               rep.steps, rep.phases_simgrid, rep.flows, rep.sleeps,
               rep.lone_proven, rep.lone_after_sleep);
      fflush(stdout);
    }
    free(list);
  }
  return 0;
}
