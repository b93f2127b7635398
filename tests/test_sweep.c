/* test_sweep.c - the forking sweep runner: results identical whatever the
 * parallelism, crashes and early exits reported per run, a failed run
 * leaving the others' results, run times from the caller's clock, results
 * survive the pipe, SimGrid runs side by side in their own processes. */
#include <criterion/criterion.h>

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine_testutil.h"
#include "engine.h"
#include "strategy.h"
#include "sweep.h"
#ifdef KVSIM_HAVE_SIM
#include "sim_backend.h"
#endif

static kv_model model;
static kv_platform platform;
static kv_workload wl[2];

static void setup(void) {
  kv_error err;
  tu_llama3_h100(&model, &platform);
  for (int i = 0; i < 2; i++) {
    kv_synth_cfg c = {
        .arrival = KV_ARRIVAL_POISSON,
        .rate = 50,
        .n = 120,
        .prompt = {.kind = KV_LEN_UNIFORM, .a = 16, .b = 1500, .min = 1},
        .output = {.kind = KV_LEN_UNIFORM, .a = 1, .b = 300, .min = 1},
    };
    kv_workload_init(&wl[i]);
    cr_assert_eq(kv_workload_synthetic(&c, 11 + i, &wl[i], &err), KV_OK, "%s",
                 err.msg);
  }
}

static void teardown(void) {
  for (int i = 0; i < 2; i++)
    kv_workload_free(&wl[i]);
}

TestSuite(sweep, .init = setup, .fini = teardown);

static const char *const strategies[] = {"static", "paged", "vmm", "indirect"};

static void make_spec(kv_run_spec *s, const char *strategy, int w) {
  kv_error err;
  memset(s, 0, sizeof *s);
  kv_engine_cfg_defaults(&s->engine);
  s->engine.model = &model;
  s->engine.platform = &platform;
  s->engine.workload = &wl[w];
  s->engine.strategy = kv_strategy_find(strategy, &err);
  cr_assert_not_null(s->engine.strategy, "%s", err.msg);
  s->engine.scfg.max_context = 4096;
  s->engine.timeline_interval = 0;
  s->engine.seed = 100 + w;
  s->backend = &kv_backend_ideal_desc;
}

static void same_result(const kv_result *a, const kv_result *b, size_t i) {
  kv_summary x = a->summary, y = b->summary;
  cr_assert_eq(memcmp(&x, &y, sizeof x), 0, "run %zu: summaries differ", i);
  cr_assert_eq(a->timeline.n, b->timeline.n);
  cr_assert_eq(
      memcmp(a->timeline.s, b->timeline.s, a->timeline.n * sizeof(kv_sample)),
      0, "run %zu: timelines differ", i);
  cr_assert_eq(a->n_requests, b->n_requests);
  for (size_t k = 0; k < a->n_requests; k++) {
    cr_assert_eq(a->requests[k].finish, b->requests[k].finish);
    cr_assert_eq(a->requests[k].first_token, b->requests[k].first_token);
    cr_assert_eq(a->requests[k].generated, b->requests[k].generated);
  }
  cr_assert_str_eq(a->strategy, b->strategy);
  cr_assert_str_eq(a->backend, b->backend);
  cr_assert_eq(a->seed, b->seed);
}

Test(sweep, eight_runs_give_the_same_results_with_one_or_two_jobs) {
  kv_run_spec specs[8];
  for (int i = 0; i < 8; i++)
    make_spec(&specs[i], strategies[i % 4], i / 4);
  kv_result r1[8], r2[8];
  kv_status c1[8], c2[8];
  kv_error e1[8], e2[8];
  cr_assert_eq(kv_sweep_run(specs, 8, 1, r1, c1, e1), KV_OK, "%s", e1[0].msg);
  cr_assert_eq(kv_sweep_run(specs, 8, 2, r2, c2, e2), KV_OK, "%s", e2[0].msg);
  for (size_t i = 0; i < 8; i++) {
    cr_assert_eq(c1[i], KV_OK, "run %zu: %s", i, e1[i].msg);
    cr_assert_str_eq(r1[i].strategy, strategies[i % 4], "order kept");
    cr_assert_eq(r1[i].summary.completed, r1[i].summary.requests);
    same_result(&r1[i], &r2[i], i);
  }
  /* and a child gives what the parent would compute itself */
  kv_result here;
  kv_error e;
  cr_assert_eq(kv_run_spec_execute(&specs[5], &here, &e), KV_OK, "%s", e.msg);
  same_result(&here, &r1[5], 5);
  kv_result_free(&here);
  for (int i = 0; i < 8; i++) {
    kv_result_free(&r1[i]);
    kv_result_free(&r2[i]);
  }
}

static kv_backend *segv_create(const kv_engine_cfg *c, const void *o,
                               kv_error *err) {
  (void)c;
  (void)o;
  (void)err;
  raise(SIGSEGV);
  return NULL;
}

static kv_backend *abort_create(const kv_engine_cfg *c, const void *o,
                                kv_error *err) {
  (void)c;
  (void)o;
  (void)err;
  abort();
}

static kv_backend *quiet_exit_create(const kv_engine_cfg *c, const void *o,
                                     kv_error *err) {
  (void)c;
  (void)o;
  (void)err;
  _exit(0);
}

/* backends whose create crashes the child in three ways */
static const kv_backend_desc segv_desc = {
    .version = KV_BACKEND_DESC_VERSION, .name = "segv", .create = segv_create};
static const kv_backend_desc abort_desc = {.version = KV_BACKEND_DESC_VERSION,
                                           .name = "abort",
                                           .create = abort_create};
static const kv_backend_desc quiet_exit_desc = {.version =
                                                    KV_BACKEND_DESC_VERSION,
                                                .name = "quiet_exit",
                                                .create = quiet_exit_create};

Test(sweep, crashing_children_are_reported_not_hung) {
  kv_run_spec specs[5];
  for (int i = 0; i < 5; i++)
    make_spec(&specs[i], "paged", 0);
  specs[1].backend = &segv_desc;
  specs[3].backend = &abort_desc;
  specs[4].backend = &quiet_exit_desc;
  kv_result r[5];
  kv_status c[5];
  kv_error e[5];
  kv_status st = kv_sweep_run(specs, 5, 2, r, c, e);
  cr_assert_eq(st, KV_EINTERNAL);
  cr_assert_eq(c[0], KV_OK, "%s", e[0].msg);
  cr_assert_eq(c[2], KV_OK, "%s", e[2].msg);
  cr_assert_eq(c[1], KV_EINTERNAL);
  cr_assert(strstr(e[1].msg, "run 1 died with signal 11"), "%s", e[1].msg);
  cr_assert(strstr(e[3].msg, "run 3 died with signal 6"), "%s", e[3].msg);
  cr_assert(strstr(e[4].msg, "run 4 exited") &&
                strstr(e[4].msg, "complete result"),
            "%s", e[4].msg);
  cr_assert_eq(r[1].n_requests, 0, "no partial result");
  same_result(&r[0], &r[2], 2);
  for (int i = 0; i < 5; i++)
    kv_result_free(&r[i]);
}

Test(sweep, run_errors_travel_back_with_their_message) {
  kv_run_spec s;
  make_spec(&s, "static", 0);
  s.engine.kv_capacity = 1000; /* too small for any request */
  kv_result r;
  kv_status c;
  kv_error e;
  cr_assert_eq(kv_sweep_run(&s, 1, 0, &r, &c, &e), KV_ENOMEM);
  cr_assert_eq(c, KV_ENOMEM);
  cr_assert(strstr(e.msg, "GPU too small"), "%s", e.msg);
  kv_result_free(&r);
}

/* A clock for the sweep's timing hook: one second per reading. */
static double ticks(void *ud) {
  double *t = ud;
  return *t += 1.0;
}

Test(sweep, a_failed_run_does_not_stop_the_others) {
  kv_replica_spec specs[4];
  memset(specs, 0, sizeof specs);
  for (int i = 0; i < 4; i++) {
    make_spec(&specs[i].run, strategies[i], 0);
    specs[i].replicas = 1;
  }
  specs[1].run.engine.kv_capacity = 1000; /* too small for any request */
  kv_result r[4], *outs[4];
  for (int i = 0; i < 4; i++)
    outs[i] = &r[i];
  kv_status c[4];
  kv_error e[4];
  double t = 0, wall[4];
  kv_sweep_opts o = {.jobs = 2, .clock = ticks, .clock_ud = &t, .wall = wall};
  cr_assert_eq(kv_sweep_run_replicas_opts(specs, 4, &o, outs, c, e), KV_ENOMEM);
  cr_assert_eq(c[1], KV_ENOMEM);
  cr_assert(strstr(e[1].msg, "GPU too small"), "%s", e[1].msg);
  cr_assert_eq(r[1].n_requests, 0, "no partial result");
  for (int i = 0; i < 4; i++) {
    if (i == 1) continue;
    cr_assert_eq(c[i], KV_OK, "run %d: %s", i, e[i].msg);
    cr_assert_str_eq(r[i].strategy, strategies[i]);
    cr_assert_eq(r[i].summary.completed, r[i].summary.requests);
    /* the clock is read at fork and at reap, nowhere else */
    cr_assert(wall[i] >= 1.0 && wall[i] < 8.0, "run %d: wall %g", i, wall[i]);
  }
  cr_assert_eq(t, 8.0, "two readings per run");
  /* without a clock nothing is timed */
  o.clock = NULL;
  for (int i = 0; i < 4; i++)
    kv_result_free(&r[i]);
  cr_assert_eq(kv_sweep_run_replicas_opts(specs, 4, &o, outs, c, e), KV_ENOMEM);
  for (int i = 0; i < 4; i++) {
    cr_assert_eq(wall[i], 0.0);
    kv_result_free(&r[i]);
  }
}

Test(sweep, result_round_trips_through_a_pipe) {
  kv_run_spec s;
  make_spec(&s, "vmm", 1);
  kv_result a, b;
  kv_error e;
  cr_assert_eq(kv_run_spec_execute(&s, &a, &e), KV_OK, "%s", e.msg);
  cr_assert_gt(a.timeline.n, 0);
  int p[2];
  cr_assert_eq(pipe(p), 0);
  pid_t pid = fork();
  if (pid == 0) {
    close(p[0]);
    _exit(kv_result_write(p[1], &a) == 0 ? 0 : 1);
  }
  close(p[1]);
  cr_assert_eq(kv_result_read(p[0], &b, &e), 0, "%s", e.msg);
  close(p[0]);
  same_result(&a, &b, 0);
  /* a truncated stream is an error, not a result */
  cr_assert_eq(pipe(p), 0);
  cr_assert_eq(write(p[1], "KVRS", 4), 4);
  close(p[1]);
  kv_result c;
  cr_assert_neq(kv_result_read(p[0], &c, &e), 0);
  close(p[0]);
  kv_result_free(&a);
  kv_result_free(&b);
}

#ifdef KVSIM_HAVE_SIM
Test(sweep, simgrid_runs_side_by_side_in_children) {
  kv_backend_opts *o = kv_sim_backend_opts(NULL);
  kv_run_spec specs[4];
  for (int i = 0; i < 4; i++) {
    make_spec(&specs[i], strategies[i], 0);
    specs[i].backend = &kv_sim_backend_desc;
    specs[i].backend_opts = o;
  }
  kv_result r[4], ideal;
  kv_status c[4];
  kv_error e[4], err;
  cr_assert_eq(kv_sweep_run(specs, 4, 2, r, c, e), KV_OK, "%s", e[0].msg);
  for (int i = 0; i < 4; i++) {
    cr_assert_eq(c[i], KV_OK, "%s", e[i].msg);
    cr_assert_eq(r[i].summary.completed, r[i].summary.requests);
    cr_assert(strstr(r[i].backend, "network/model:CM02"), "%s", r[i].backend);
  }
  /* with nothing to contend, SimGrid and the ideal model agree closely on
   * the serving time (small differences: link latency on table writes) */
  kv_run_spec s;
  make_spec(&s, "paged", 0);
  cr_assert_eq(kv_run_spec_execute(&s, &ideal, &err), KV_OK, "%s", err.msg);
  double a = r[1].summary.sim_time, b = ideal.summary.sim_time;
  cr_assert(a > 0 && b > 0 && a >= b * 0.98 && a <= b * 1.05,
            "sim %.6g s vs ideal %.6g s", a, b);
  kv_result_free(&ideal);
  kv_backend_opts_free(o);
  for (int i = 0; i < 4; i++)
    kv_result_free(&r[i]);
}
#endif
