/* test_sketch.c - the latency sketch (metrics.h) and the per-request
 * options (engine.h kv_requests_opts): percentiles within KV_SKETCH_ALPHA
 * of the exact ones on known distributions, merging = the sketch of the
 * union, the streamed CSV equal to the held results, the summary of a run
 * that drops its requests within the bound, alone and with replicas. */
#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine_testutil.h"
#include "engine.h"
#include "strategy.h"
#include "sweep.h"
#include "util.h"
#ifdef KVSIM_HAVE_SIM
#include "sim_backend.h"
#endif

static uint64_t rng = 88172645463325252ull;
static double unif(void) { /* xorshift64*, (0, 1) */
  rng ^= rng >> 12;
  rng ^= rng << 25;
  rng ^= rng >> 27;
  return ((double)((rng * 2685821657736338717ull) >> 11) + 0.5) /
         9007199254740992.0;
}
static double normal(void) {
  return sqrt(-2 * log(unif())) * cos(2 * M_PI * unif());
}

enum { N = 200000 };
static const double ps[] = {0, 1, 10, 25, 50, 75, 90, 99, 99.9, 100};

/* Every percentile of the sketch of v[0..n) within the bound. */
static void check_bound(double *v, size_t n, const char *what) {
  kv_sketch s;
  kv_sketch_init(&s);
  for (size_t i = 0; i < n; i++)
    kv_sketch_add(&s, v[i]);
  kv_sort_doubles(v, n);
  for (size_t k = 0; k < sizeof ps / sizeof ps[0]; k++) {
    double exact = kv_percentile_sorted(v, n, ps[k]);
    double est = kv_sketch_percentile(&s, ps[k]);
    double rel = exact > 0 ? fabs(est - exact) / exact : fabs(est);
    cr_assert(rel <= KV_SKETCH_ALPHA * (1 + 1e-9),
              "%s p%g: exact %.9g sketch %.9g (relative error %.4g)", what,
              ps[k], exact, est, rel);
  }
  cr_assert_eq(s.n, n);
  kv_sketch_free(&s);
}

Test(sketch, error_bound_known_distributions) {
  double *v = malloc(N * sizeof *v);
  for (size_t i = 0; i < N; i++)
    v[i] = 1e-3 + unif() * 10; /* uniform */
  check_bound(v, N, "uniform");
  for (size_t i = 0; i < N; i++)
    v[i] = -log(unif()) * 0.05; /* exponential, mean 50 ms */
  check_bound(v, N, "exponential");
  for (size_t i = 0; i < N; i++)
    v[i] = exp(log(0.2) + 1.5 * normal()); /* lognormal, heavy tail */
  check_bound(v, N, "lognormal");
  for (size_t i = 0; i < N; i++)
    v[i] = 0.001 / pow(unif(), 1 / 1.2); /* Pareto, alpha 1.2 */
  check_bound(v, N, "pareto");
  for (size_t i = 0; i < N; i++)
    v[i] = i % 10 == 0 ? 0 : 0.007; /* zeros and one value */
  check_bound(v, N, "zeros");
  check_bound(v, 1, "one value");
  free(v);
}

Test(sketch, empty_is_zero) {
  kv_sketch s;
  kv_sketch_init(&s);
  cr_assert_eq(kv_sketch_percentile(&s, 50), 0.0);
  kv_sketch_free(&s);
}

Test(sketch, merge_is_union) {
  kv_sketch all, part[3], merged;
  kv_sketch_init(&all);
  kv_sketch_init(&merged);
  for (int k = 0; k < 3; k++)
    kv_sketch_init(&part[k]);
  for (size_t i = 0; i < N; i++) {
    /* each part a different range, so merging must grow both ways */
    int k = (int)(unif() * 3);
    double x = exp(log(0.01) + 3.0 * k + normal());
    if (i % 1000 == 0) x = 0;
    kv_sketch_add(&all, x);
    kv_sketch_add(&part[k], x);
  }
  for (int k = 2; k >= 0; k--)
    kv_sketch_merge(&merged, &part[k]);
  cr_assert_eq(merged.n, all.n);
  cr_assert_eq(merged.zeros, all.zeros);
  for (double p = 0; p <= 100; p += 0.5)
    cr_assert_eq(kv_sketch_percentile(&merged, p),
                 kv_sketch_percentile(&all, p), "p%g", p);
  for (int32_t b = all.lo; b < all.lo + all.len; b++) {
    uint64_t a = all.counts[b - all.lo];
    uint64_t m = b >= merged.lo && b < merged.lo + merged.len
                     ? merged.counts[b - merged.lo]
                     : 0;
    cr_assert_eq(a, m, "bucket %d", b);
  }
  kv_sketch_free(&all);
  kv_sketch_free(&merged);
  for (int k = 0; k < 3; k++)
    kv_sketch_free(&part[k]);
}

/* ---- the per-request options on real runs ---- */

static kv_model model;
static kv_platform platform;
static kv_workload wl;

static void setup(void) {
  kv_error err;
  tu_llama3_h100(&model, &platform);
  kv_synth_cfg c = {
      .arrival = KV_ARRIVAL_POISSON,
      .rate = 40,
      .n = 1500,
      .prompt = {.kind = KV_LEN_UNIFORM, .a = 16, .b = 3000, .min = 1},
      .output = {.kind = KV_LEN_UNIFORM, .a = 1, .b = 400, .min = 1},
  };
  kv_workload_init(&wl);
  cr_assert_eq(kv_workload_synthetic(&c, 5, &wl, &err), KV_OK, "%s", err.msg);
}
static void teardown(void) {
  kv_workload_free(&wl);
}

static void make_spec(kv_run_spec *s, int sim) {
  kv_error err;
  memset(s, 0, sizeof *s);
  kv_engine_cfg_defaults(&s->engine);
  s->engine.model = &model;
  s->engine.platform = &platform;
  s->engine.workload = &wl;
  /* a small KV memory: preemptions, so every field of a row varies */
  s->engine.kv_capacity = 1ull << 30;
  s->engine.strategy = kv_strategy_find("paged", &err);
  cr_assert_not_null(s->engine.strategy, "%s", err.msg);
#ifdef KVSIM_HAVE_SIM
  if (sim) {
    s->backend = &kv_sim_backend_desc;
  }
#else
  (void)sim;
#endif
}

/* Rows of the CSV at path, by id, compared with reqs[0..n). */
static void check_csv(const char *path, const kv_request_result *reqs,
                      size_t n) {
  FILE *f = fopen(path, "r");
  cr_assert_not_null(f);
  char line[512];
  cr_assert_not_null(fgets(line, sizeof line, f));
  cr_assert_str_eq(line, "id,arrival,first_token,finish,prompt,output,"
                         "generated,preemptions,rejected,truncated\n");
  char *seen = calloc(n, 1);
  size_t rows = 0;
  while (fgets(line, sizeof line, f)) {
    size_t id;
    double a, ft, fin;
    unsigned p, o, g, pre, rej, tr;
    cr_assert_eq(sscanf(line, "%zu,%lf,%lf,%lf,%u,%u,%u,%u,%u,%u", &id, &a, &ft,
                        &fin, &p, &o, &g, &pre, &rej, &tr),
                 10, "%s", line);
    cr_assert(id < n && !seen[id], "id %zu", id);
    seen[id] = 1;
    const kv_request_result *r = &reqs[id];
    cr_assert(a == r->arrival && ft == r->first_token && fin == r->finish,
              "row %zu times", id);
    cr_assert(p == r->prompt && o == r->output && g == r->generated &&
                  pre == r->preemptions && rej == r->rejected &&
                  tr == r->truncated,
              "row %zu counts", id);
    rows++;
  }
  cr_assert_eq(rows, n);
  free(seen);
  fclose(f);
}

/* Everything but the latency percentiles identical; those within alpha. */
static void check_summary(const kv_summary *held, const kv_summary *drop) {
  const double *h = (const double *)held, *d = (const double *)drop;
  for (size_t i = 0; i < kv_summary_info_n; i++) {
    const char *name = kv_summary_info[i].name;
    size_t k = kv_summary_info[i].offset / sizeof(double);
    if (!strncmp(name, "ttft_", 5) || !strncmp(name, "tpot_", 5) ||
        !strncmp(name, "e2e_", 4)) {
      cr_assert(fabs(d[k] - h[k]) <= KV_SKETCH_ALPHA * h[k] * (1 + 1e-9),
                "%s: exact %.9g sketch %.9g", name, h[k], d[k]);
    } else {
      cr_assert(d[k] == h[k], "%s: %.9g vs %.9g", name, h[k], d[k]);
    }
  }
}

TestSuite(requests, .init = setup, .fini = teardown);

Test(requests, single_run_streamed_and_dropped) {
  kv_run_spec s;
  make_spec(&s, 0);
  kv_result held, drop;
  kv_error err;
  cr_assert_eq(kv_run_spec_execute(&s, &held, &err), KV_OK, "%s", err.msg);
  cr_assert(held.summary.preemptions > 0, "the run should preempt");
  char path[] = "/tmp/kvsim_requests_XXXXXX";
  int fd = mkstemp(path);
  cr_assert(fd >= 0);
  close(fd);
  kv_requests_opts ro = {.keep_requests = false, .requests_file = path};
  s.engine.requests_opts = &ro;
  cr_assert_eq(kv_run_spec_execute(&s, &drop, &err), KV_OK, "%s", err.msg);
  cr_assert_null(drop.requests);
  cr_assert_eq(drop.n_requests, 0);
  check_csv(path, held.requests, held.n_requests);
  check_summary(&held.summary, &drop.summary);
  /* kept and streamed: the results stay and the percentiles are exact */
  kv_result both;
  ro.keep_requests = true;
  cr_assert_eq(kv_run_spec_execute(&s, &both, &err), KV_OK, "%s", err.msg);
  cr_assert_eq(both.n_requests, held.n_requests);
  cr_assert_eq(memcmp(&both.summary, &held.summary, sizeof both.summary), 0);
  check_csv(path, held.requests, held.n_requests);
  unlink(path);
  kv_result_free(&held);
  kv_result_free(&drop);
  kv_result_free(&both);
}

static void replicas_case(int sim) {
  enum { R = 4 };
  kv_replica_spec rs;
  memset(&rs, 0, sizeof rs);
  make_spec(&rs.run, sim);
  rs.replicas = R;
  rs.dispatch = KV_DISPATCH_ROUND_ROBIN;
  kv_result held[R + 1], drop[R + 1];
  kv_error err;
  kv_status code;
  kv_result *hout[1] = {held};
  /* SimGrid: one simulation per process, so both runs in children */
  if (sim)
    cr_assert_eq(kv_sweep_run_replicas(&rs, 1, 1, hout, &code, &err), KV_OK,
                 "%s", err.msg);
  else
    cr_assert_eq(kv_replica_spec_execute(&rs, held, &err), KV_OK, "%s",
                 err.msg);
  char path[] = "/tmp/kvsim_requests_XXXXXX";
  int fd = mkstemp(path);
  cr_assert(fd >= 0);
  close(fd);
  kv_requests_opts ro = {.keep_requests = false, .requests_file = path};
  rs.run.engine.requests_opts = &ro;
  if (sim) {
    kv_result *outs[1] = {drop};
    cr_assert_eq(kv_sweep_run_replicas(&rs, 1, 1, outs, &code, &err), KV_OK,
                 "%s", err.msg);
  } else {
    cr_assert_eq(kv_replica_spec_execute(&rs, drop, &err), KV_OK, "%s",
                 err.msg);
  }
  cr_assert_eq(drop[R].n_requests, 0);
  check_csv(path, held[R].requests, held[R].n_requests);
  for (int r = 0; r <= R; r++) {
    cr_assert_eq(drop[r].n_requests, 0);
    check_summary(&held[r].summary, &drop[r].summary);
  }
  unlink(path);
  for (int r = 0; r <= R; r++) {
    kv_result_free(&held[r]);
    kv_result_free(&drop[r]);
  }
}

Test(requests, replicas_ideal) {
  replicas_case(0);
}

#ifdef KVSIM_HAVE_SIM
Test(requests, replicas_simgrid) {
  replicas_case(1);
}
#endif

#ifdef KVSIM_HAVE_SIM
/* kv_sim_options.analytic = 2 (kv.run{ lone_transfers = "analytic" }): on
 * a workload whose only transfers are the table writes, every summary
 * field within 1e-6 (relative) of the simulated lone transfers. */
Test(requests, lone_transfers_analytic_close) {
  enum { R = 4 };
  kv_replica_spec rs[2];
  kv_sim_options so[2];
  kv_backend_opts *opts[2];
  kv_result a[R + 1], b[R + 1];
  kv_result *outs[2] = {a, b};
  kv_status codes[2];
  kv_error errs[2];
  for (int k = 0; k < 2; k++) {
    memset(&rs[k], 0, sizeof rs[k]);
    make_spec(&rs[k].run, 1);
    rs[k].run.engine.kv_capacity = 0; /* no preemption: no swap copies */
    rs[k].replicas = R;
    kv_sim_options_defaults(&so[k]);
    so[k].analytic = k ? 2 : 1;
    rs[k].run.backend_opts = opts[k] = kv_sim_backend_opts(&so[k]);
  }
  cr_assert_eq(kv_sweep_run_replicas(rs, 2, 2, outs, codes, errs), KV_OK,
               "%s / %s", errs[0].msg, errs[1].msg);
  const double *x = (const double *)&a[R].summary;
  const double *y = (const double *)&b[R].summary;
  for (size_t i = 0; i < kv_summary_info_n; i++) {
    size_t k = kv_summary_info[i].offset / sizeof(double);
    cr_assert(fabs(x[k] - y[k]) <= 1e-6 * fabs(x[k]), "%s: %.12g vs %.12g",
              kv_summary_info[i].name, x[k], y[k]);
  }
  for (int r = 0; r <= R; r++) {
    kv_result_free(&a[r]);
    kv_result_free(&b[r]);
  }
  kv_backend_opts_free(opts[0]);
  kv_backend_opts_free(opts[1]);
}
#endif

#ifdef KVSIM_HAVE_SIM
/* ---- lone_transfers = "exact" (kv_sim_options.analytic = 3) ---- */

/* Relative difference of two times (0 when equal). */
static double rel(double a, double b) {
  if (a == b) return 0;
  return fabs(a - b) / fmax(fabs(a), fabs(b));
}

/* Replicas of `rs` with every lone transfer simulated (analytic = 1, in a
 * child) and with the exact rule (analytic = 3, here, so that its counters
 * can be read): every request and every summary field within 1e-9
 * (relative), the counts equal. Returns the exact run's counters. */
static kv_sim_counters exact_vs_simulated(kv_replica_spec *rs) {
  enum { RMAX = 8 };
  size_t R = rs->replicas;
  cr_assert(R <= RMAX);
  kv_result a[RMAX + 1], b[RMAX + 1];
  kv_sim_options so[2];
  kv_backend_opts *opts[2];
  kv_error err;
  kv_status code;
  for (int k = 0; k < 2; k++) {
    kv_sim_options_defaults(&so[k]);
    so[k].analytic = k ? 3 : 1;
    opts[k] = kv_sim_backend_opts(&so[k]);
  }
  rs->run.backend_opts = opts[0];
  kv_result *outs[1] = {a};
  cr_assert_eq(kv_sweep_run_replicas(rs, 1, 1, outs, &code, &err), KV_OK, "%s",
               err.msg);
  rs->run.backend_opts = opts[1];
  cr_assert_eq(kv_replica_spec_execute(rs, b, &err), KV_OK, "%s", err.msg);
  kv_sim_counters c;
  kv_sim_run_counters(&c);
  for (size_t r = 0; r <= R; r++) {
    cr_assert_eq(a[r].n_requests, b[r].n_requests);
    for (size_t i = 0; i < a[r].n_requests; i++) {
      const kv_request_result *x = &a[r].requests[i], *y = &b[r].requests[i];
      cr_assert(rel(x->arrival, y->arrival) <= 1e-9 &&
                    rel(x->first_token, y->first_token) <= 1e-9 &&
                    rel(x->finish, y->finish) <= 1e-9,
                "replica %zu request %zu: finish %.17g vs %.17g", r, i,
                x->finish, y->finish);
      cr_assert(x->generated == y->generated &&
                    x->preemptions == y->preemptions &&
                    x->rejected == y->rejected && x->truncated == y->truncated,
                "replica %zu request %zu: counts", r, i);
    }
    const double *x = (const double *)&a[r].summary;
    const double *y = (const double *)&b[r].summary;
    for (size_t i = 0; i < kv_summary_info_n; i++) {
      size_t k = kv_summary_info[i].offset / sizeof(double);
      cr_assert(rel(x[k], y[k]) <= 1e-9, "replica %zu %s: %.17g vs %.17g", r,
                kv_summary_info[i].name, x[k], y[k]);
    }
  }
  for (size_t r = 0; r <= R; r++) {
    kv_result_free(&a[r]);
    kv_result_free(&b[r]);
  }
  kv_backend_opts_free(opts[0]);
  kv_backend_opts_free(opts[1]);
  return c;
}

/* Four replicas on one server serving the same requests (dispatch
 * "replicate"): their table writes and swaps meet on the server's DRAM
 * link at the same moments, so the rule must leave them to SimGrid. */
Test(requests, lone_transfers_exact_falls_back_on_shared_links,
     .timeout = 120) {
  kv_replica_spec rs;
  memset(&rs, 0, sizeof rs);
  make_spec(&rs.run, 1);
  wl.n = 400; /* the first 400 requests: a short run */
  rs.replicas = 4;
  rs.dispatch = KV_DISPATCH_REPLICATE;
  kv_sim_counters c = exact_vs_simulated(&rs);
  cr_assert(c.phases_simgrid > 0, "nothing fell back to SimGrid");
}

/* Round robin on the one server: the links are shared, but most table
 * writes are proven alone (the others fall back). */
Test(requests, lone_transfers_exact_proves_most_on_shared_links,
     .timeout = 120) {
  kv_replica_spec rs;
  memset(&rs, 0, sizeof rs);
  make_spec(&rs.run, 1);
  wl.n = 400;
  rs.replicas = 4;
  rs.dispatch = KV_DISPATCH_ROUND_ROBIN;
  kv_sim_counters c = exact_vs_simulated(&rs);
  cr_assert(c.lone_proven > 0, "nothing was proven alone");
  cr_assert(c.lone_proven > c.phases_simgrid, "proven %llu, simulated %llu",
            (unsigned long long)c.lone_proven,
            (unsigned long long)c.phases_simgrid);
}

/* The same four replicas, one per server (one GPU per server): no link is
 * shared, so every lone transfer is proven alone without a sleep, and no
 * phase with one transfer goes to SimGrid. */
Test(requests, lone_transfers_exact_skips_when_nothing_is_shared,
     .timeout = 120) {
  kv_replica_spec rs;
  memset(&rs, 0, sizeof rs);
  make_spec(&rs.run, 1);
  wl.n = 400;
  rs.run.engine.kv_capacity = 0; /* no preemption: only lone table writes */
  platform.gpus_per_server = 1;
  platform.servers = 4;
  rs.replicas = 4;
  rs.dispatch = KV_DISPATCH_REPLICATE;
  kv_sim_counters c = exact_vs_simulated(&rs);
  cr_assert(c.lone_proven > 0);
  cr_assert_eq(c.lone_after_sleep, 0);
  cr_assert_eq(c.phases_simgrid, 0, "%llu phases in SimGrid",
               (unsigned long long)c.phases_simgrid);
}
#endif

/* ---- shards (replicas.h kv_replica_spec.shards) ---- */

static unsigned char *slurp_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  cr_assert_not_null(f, "%s", path);
  size_t cap = 1 << 16, n = 0;
  unsigned char *b = malloc(cap);
  size_t got;
  while ((got = fread(b + n, 1, cap - n, f)) > 0) {
    n += got;
    if (n == cap) b = realloc(b, cap *= 2);
  }
  fclose(f);
  *len = n;
  return b;
}

/* Four replicas on two servers of two GPUs: one process, then two shards
 * (a server each): every result (replicas' and aggregate, timelines and
 * requests included) and the requests file byte-identical. */
static void shards_case(int sim, bool keep, int analytic) {
  enum { R = 4 };
  kv_replica_spec rs;
  memset(&rs, 0, sizeof rs);
  make_spec(&rs.run, sim);
  kv_backend_opts *bo = NULL;
#ifdef KVSIM_HAVE_SIM
  if (sim && analytic) {
    kv_sim_options so;
    kv_sim_options_defaults(&so);
    so.analytic = analytic;
    rs.run.backend_opts = bo = kv_sim_backend_opts(&so);
  }
#else
  (void)analytic;
#endif
  wl.n = 600;
  platform.gpus_per_server = 2;
  platform.servers = 2;
  rs.replicas = R;
  rs.dispatch = KV_DISPATCH_ROUND_ROBIN;
  char path[2][32] = {"/tmp/kvsim_shard0_XXXXXX", "/tmp/kvsim_shard1_XXXXXX"};
  kv_requests_opts ro[2];
  kv_result res[2][R + 1];
  unsigned char *enc[2], *file[2];
  size_t elen[2], flen[2];
  for (int k = 0; k < 2; k++) {
    int fd = mkstemp(path[k]);
    cr_assert(fd >= 0);
    close(fd);
    ro[k] = (kv_requests_opts){.keep_requests = keep, .requests_file = path[k]};
    rs.run.engine.requests_opts = &ro[k];
    rs.shards = k ? 2 : 0;
    rs.shard_jobs = keep ? 0 : 1; /* at once, or one after the other */
    kv_error err;
    kv_status code;
    kv_result *outs[1] = {res[k]};
    cr_assert_eq(kv_sweep_run_replicas(&rs, 1, 1, outs, &code, &err), KV_OK,
                 "shards %zu: %s", rs.shards, err.msg);
    enc[k] = kv_results_encode(res[k], R + 1, &elen[k]);
    file[k] = slurp_file(path[k], &flen[k]);
    unlink(path[k]);
  }
  cr_assert(res[0][R].summary.completed > 0);
  cr_assert_eq(elen[0], elen[1]);
  cr_assert(memcmp(enc[0], enc[1], elen[0]) == 0, "results differ");
  cr_assert_eq(flen[0], flen[1]);
  cr_assert(flen[0] > 100);
  cr_assert(memcmp(file[0], file[1], flen[0]) == 0, "requests files differ");
  if (bo) kv_backend_opts_free(bo);
  for (int k = 0; k < 2; k++) {
    free(enc[k]);
    free(file[k]);
    for (int r = 0; r <= R; r++)
      kv_result_free(&res[k][r]);
  }
}

Test(requests, shards_ideal_identical) {
  shards_case(0, true, 0);
  shards_case(0, false, 0);
}

#ifdef KVSIM_HAVE_SIM
Test(requests, shards_simgrid_identical, .timeout = 120) {
  shards_case(1, true, 0);
  shards_case(1, false, 0);
  shards_case(1, false, 3); /* lone_transfers = "exact" */
}
#endif

/* Three shards of two servers would cut a server's shared links. */
Test(requests, shards_refuse_to_cut_a_server) {
  kv_replica_spec rs;
  memset(&rs, 0, sizeof rs);
  make_spec(&rs.run, 0);
  platform.gpus_per_server = 2;
  platform.servers = 2;
  rs.replicas = 4;
  rs.shards = 3;
  kv_result out[5];
  kv_error err;
  cr_assert_eq(kv_replica_spec_execute(&rs, out, &err), KV_EINVAL);
  cr_assert(strstr(err.msg, "shards = 3") && strstr(err.msg, "at most 2"), "%s",
            err.msg);
  size_t first[3];
  cr_assert_eq(kv_replica_shards(&platform, 1, 4, 2, first, &err), KV_OK);
  cr_assert(first[0] == 0 && first[1] == 2 && first[2] == 4);
  /* tp 2 on servers of 2: a replica per server */
  cr_assert_eq(kv_replica_shards(&platform, 2, 2, 2, first, &err), KV_OK);
  cr_assert(first[0] == 0 && first[1] == 1 && first[2] == 2);
}
