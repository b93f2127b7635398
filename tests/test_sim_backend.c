/* test_sim_backend.c - the SimGrid backend against analytic answers.
 *
 * Each Criterion test runs in its own process, so each may start one
 * SimGrid. Tests that compare several simulations run each in a forked
 * child (in_child) and compare the numbers the children send back.
 * Hand-made op lists are fed to backend->vt->step() inside vt->run().
 */
#include <criterion/criterion.h>

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backend.h"
#include "engine.h"
#include "ops.h"

#ifdef KVSIM_HAVE_SIM
#include "sim_backend.h"

#define KIB 1024.0
#define MIB (1024.0 * 1024.0)

static void test_platform(kv_platform *p) {
  memset(p, 0, sizeof *p);
  snprintf(p->name, sizeof p->name, "test-gpu");
  p->gpus_per_server = 2;
  p->servers = 1;
  p->hbm_bytes = 80ull << 30;
  p->hbm_bw = 3.0e12;
  p->d2d_bw = 2.4e12;
  p->flops = 1.0e15;
  p->sms = 132;
  p->kernel_launch = 5e-6;
  p->pcie_bw = 50e9;
  p->pcie_lat = 1e-6;
  p->copy_overhead = 4e-6;
  p->sm_copy_bw_per_sm = 5e9;
  p->host_bw = 0;
  p->nvlink_bw = 450e9;
  p->nvlink_lat = 1e-6;
  p->allreduce_base = 6e-6;
  p->allreduce_lat = 0.5e-6;
  p->vmm_reserve = 2e-6;
  p->vmm_create = 10e-6;
  p->vmm_map = 1e-6;
  p->vmm_set_access = 25e-6;
  p->vmm_unmap = 20e-6;
  p->vmm_release = 12e-6;
  p->vmm_granularity = 2u << 20;
  p->table_write = 3e-6;
  p->source = "test";
}

static void test_model(kv_model *m) {
  memset(m, 0, sizeof *m);
  snprintf(m->name, sizeof m->name, "tiny");
  m->layers = 4;
  m->heads = 8;
  m->kv_heads = 8;
  m->head_dim = 64;
  m->hidden = 512;
  m->intermediate = 2048;
  m->vocab = 1000;
  m->dtype_bytes = 2;
  m->max_context = 4096;
  m->params = 1e8;
  m->active_params = 1e8;
  m->weight_bytes = 2;
}

static int rel_eq(double a, double b, double tol) {
  return fabs(a - b) <= tol * fmax(fabs(a), fabs(b));
}

/* ---- a step driver: the engine-loop stand-in run inside vt->run() ---- */

typedef void (*build_fn)(kv_op_list *l, int step);

typedef struct drive {
  kv_backend *b;
  build_fn build;
  int steps;
  kv_step_time t[16];
  double t_start[16], t_end[16];
  kv_status rc;
  kv_error err;
} drive;

static kv_status drive_main(void *arg) {
  drive *d = arg;
  kv_op_list l;
  kv_ops_init(&l, 0);
  for (int s = 0; s < d->steps; s++) {
    kv_ops_clear(&l);
    d->build(&l, s);
    d->t_start[s] = d->b->vt->now(d->b);
    kv_status st = d->b->vt->step(d->b, &l, &d->t[s], &d->err);
    d->t_end[s] = d->b->vt->now(d->b);
    if (st) {
      kv_ops_free(&l);
      return st;
    }
  }
  kv_ops_free(&l);
  return KV_OK;
}

static void drive_run(drive *d, const kv_platform *p, kv_sim_options *o,
                      build_fn f, int steps) {
  static kv_model m;
  test_model(&m);
  memset(d, 0, sizeof *d);
  d->b = kv_backend_sim_create(p, &m, 1, o, &d->err);
  cr_assert_not_null(d->b, "create: %s", d->err.msg);
  d->build = f;
  d->steps = steps;
  d->rc = d->b->vt->run(d->b, drive_main, d, &d->err);
  cr_assert_eq(d->rc, KV_OK, "run: %s", d->err.msg);
}

static kv_op *copy(kv_op_list *l, kv_copy_dir dir, kv_copy_via via,
                   uint32_t count, double bytes, int bg) {
  kv_op *op = kv_ops_push(l, KV_OP_COPY, 0);
  op->dir = (uint8_t)dir;
  op->via = (uint8_t)via;
  op->count = count;
  op->bytes = (uint64_t)bytes;
  op->flags = bg ? KV_OPF_BACKGROUND : 0;
  return op;
}

static kv_op *vmm(kv_op_list *l, kv_op_kind k, uint32_t count, int bg) {
  kv_op *op = kv_ops_push(l, k, 0);
  op->count = count;
  op->bytes = 2u << 20;
  op->flags = bg ? KV_OPF_BACKGROUND : 0;
  return op;
}

static kv_op *compute(kv_op_list *l, double flops, double bytes) {
  kv_op *op = kv_ops_push(l, KV_OP_COMPUTE, KV_NO_REQ);
  op->flops = flops;
  op->bytes = (uint64_t)bytes;
  return op;
}

/* ---- forked children, for tests that need several simulations ---- */

typedef void (*child_fn)(int variant, double *out, size_t n);

static void in_child(child_fn fn, int variant, double *out, size_t n) {
  int p[2];
  cr_assert_eq(pipe(p), 0);
  fflush(NULL);
  pid_t pid = fork();
  cr_assert(pid >= 0);
  if (pid == 0) {
    close(p[0]);
    for (size_t i = 0; i < n; i++)
      out[i] = NAN;
    fn(variant, out, n);
    ssize_t w = write(p[1], out, n * sizeof *out);
    _exit(w == (ssize_t)(n * sizeof *out) ? 0 : 1);
  }
  close(p[1]);
  size_t got = 0;
  char *c = (char *)out;
  for (;;) {
    ssize_t k = read(p[0], c + got, n * sizeof *out - got);
    if (k <= 0) break;
    got += (size_t)k;
  }
  close(p[0]);
  int ws = 0;
  waitpid(pid, &ws, 0);
  cr_assert(WIFEXITED(ws) && WEXITSTATUS(ws) == 0,
            "child for variant %d failed (status %d)", variant, ws);
  cr_assert_eq(got, n * sizeof *out);
}

/* A child cannot use cr_assert: it reports failure by exiting non-zero. */
static kv_backend *child_create(const kv_platform *p, kv_sim_options *o) {
  static kv_model m;
  test_model(&m);
  kv_error e;
  kv_backend *b = kv_backend_sim_create(p, &m, 1, o, &e);
  if (!b) {
    fprintf(stderr, "create: %s\n", e.msg);
    _exit(2);
  }
  return b;
}

static void child_drive(kv_backend *b, build_fn f, int steps, double *out,
                        size_t n) {
  static drive d;
  memset(&d, 0, sizeof d);
  d.b = b;
  d.build = f;
  d.steps = steps;
  if (b->vt->run(b, drive_main, &d, &d.err) != KV_OK) {
    fprintf(stderr, "run: %s\n", d.err.msg);
    _exit(3);
  }
  for (int s = 0; s < steps && (size_t)s < n; s++)
    out[s] = d.t[s].total;
}

/* ================================================================ tests */

static void one_h2d(kv_op_list *l, int s) {
  (void)s;
  copy(l, KV_COPY_H2D, KV_VIA_ENGINE, 1, MIB, 0);
}

static double one_h2d_expected(const kv_platform *p) {
  return p->copy_overhead + p->pcie_lat + MIB / p->pcie_bw;
}

Test(sim_backend, one_transfer_is_latency_plus_bytes_over_bandwidth) {
  kv_platform p;
  test_platform(&p);
  kv_sim_options o;
  kv_sim_options_defaults(&o);
  o.analytic = 0; /* force a real SimGrid transfer */
  drive d;
  drive_run(&d, &p, &o, one_h2d, 1);
  double want = one_h2d_expected(&p);
  cr_assert(rel_eq(d.t[0].total, want, 1e-6), "got %.12g want %.12g",
            d.t[0].total, want);
  cr_assert(rel_eq(d.t_end[0] - d.t_start[0], want, 1e-6), "clock moved %.12g",
            d.t_end[0] - d.t_start[0]);
  cr_assert(rel_eq(d.t[0].by_kind[KV_OP_COPY], want, 1e-6));
  cr_assert(rel_eq(d.t[0].op_critical, want, 1e-6));
  kv_sim_counters c;
  kv_sim_get_counters(d.b, &c);
  cr_assert_eq(c.flows, 1);
  d.b->vt->destroy(d.b);
}

/* A detached copy (a host copy's stores, KV_OPF_DETACHED) is not timed: the
 * step lasts what the same step without it lasts, while a background copy
 * of the same bytes that outlasts the step's work is waited for. */
static void h2d_and_detached(kv_op_list *l, int s) {
  (void)s;
  copy(l, KV_COPY_H2D, KV_VIA_ENGINE, 1, MIB, 0);
  copy(l, KV_COPY_D2H, KV_VIA_ENGINE, 64, 1024 * MIB, 1)->flags |=
      KV_OPF_DETACHED;
}

static void h2d_and_background(kv_op_list *l, int s) {
  (void)s;
  copy(l, KV_COPY_H2D, KV_VIA_ENGINE, 1, MIB, 0);
  copy(l, KV_COPY_D2H, KV_VIA_ENGINE, 64, 1024 * MIB, 1);
}

/* variant 0: the H2D copy and a detached D2H; 1: the D2H waited for */
static void detached_child(int variant, double *out, size_t n) {
  kv_platform p;
  test_platform(&p);
  kv_sim_options o;
  kv_sim_options_defaults(&o);
  o.analytic = 0;
  kv_backend *b = child_create(&p, &o);
  child_drive(b, variant ? h2d_and_background : h2d_and_detached, 1, out, n);
  b->vt->destroy(b);
}

Test(sim_backend, a_detached_copy_is_not_waited_for) {
  kv_platform p;
  test_platform(&p);
  double det, bg;
  in_child(detached_child, 0, &det, 1);
  in_child(detached_child, 1, &bg, 1);
  double want = one_h2d_expected(&p);
  cr_assert(rel_eq(det, want, 1e-6), "got %.12g want %.12g", det, want);
  cr_assert_gt(bg, want + 0.5 * 1024 * MIB / p.pcie_bw, "%.12g", bg);
}

Test(sim_backend, analytic_shortcut_matches_simgrid_for_a_lone_transfer) {
  kv_platform p;
  test_platform(&p);
  kv_sim_options o;
  kv_sim_options_defaults(&o);
  drive d;
  drive_run(&d, &p, &o, one_h2d, 1);
  cr_assert(rel_eq(d.t[0].total, one_h2d_expected(&p), 1e-9));
  kv_sim_counters c;
  kv_sim_get_counters(d.b, &c);
  cr_assert_eq(c.flows, 0, "the shortcut should not start a transfer");
  cr_assert_eq(c.steps_analytic, 1);
  d.b->vt->destroy(d.b);
}

static void two_same_dir(kv_op_list *l, int s) {
  (void)s;
  copy(l, KV_COPY_H2D, KV_VIA_ENGINE, 1, MIB, 0);
  copy(l, KV_COPY_H2D, KV_VIA_ENGINE, 1, MIB, 0);
}

Test(sim_backend, two_concurrent_flows_share_one_link) {
  kv_platform p;
  test_platform(&p);
  kv_sim_options o;
  kv_sim_options_defaults(&o);
  o.copy_order = KV_SIM_COPY_CONCURRENT;
  drive d;
  drive_run(&d, &p, &o, two_same_dir, 1);
  /* issue costs are serialized, then both transfers run at half rate */
  double want = 2 * p.copy_overhead + p.pcie_lat + 2 * MIB / p.pcie_bw;
  cr_assert(rel_eq(d.t[0].total, want, 1e-6), "got %.12g want %.12g",
            d.t[0].total, want);
  /* per-op time: each transfer took the whole shared window */
  double per = p.pcie_lat + 2 * MIB / p.pcie_bw;
  cr_assert(
      rel_eq(d.t[0].by_kind[KV_OP_COPY], 2 * p.copy_overhead + 2 * per, 1e-6));
  d.b->vt->destroy(d.b);
}

static void both_dirs(kv_op_list *l, int s) {
  (void)s;
  copy(l, KV_COPY_H2D, KV_VIA_ENGINE, 1, MIB, 0);
  copy(l, KV_COPY_D2H, KV_VIA_ENGINE, 1, MIB, 0);
}

Test(sim_backend, split_duplex_directions_do_not_slow_each_other) {
  kv_platform p;
  test_platform(&p);
  kv_sim_options o;
  kv_sim_options_defaults(&o);
  o.copy_order = KV_SIM_COPY_CONCURRENT;
  drive d;
  drive_run(&d, &p, &o, both_dirs, 1);
  double want = 2 * p.copy_overhead + p.pcie_lat + MIB / p.pcie_bw;
  cr_assert(rel_eq(d.t[0].total, want, 1e-6), "got %.12g want %.12g",
            d.t[0].total, want);
  d.b->vt->destroy(d.b);
}

/* In one stream (the default) the second copy's issue overlaps the first
 * one's transfer, and its transfer starts when the first has ended. */
static void check_stream_order(int analytic) {
  kv_platform p;
  test_platform(&p);
  double x = p.pcie_lat + MIB / p.pcie_bw;
  cr_assert(x > p.copy_overhead, "the test needs transfer > issue");
  kv_sim_options o;
  kv_sim_options_defaults(&o);
  o.analytic = analytic;
  drive d;
  drive_run(&d, &p, &o, both_dirs, 1);
  double want = p.copy_overhead + 2 * x;
  cr_assert(rel_eq(d.t[0].total, want, 1e-6), "got %.12g want %.12g",
            d.t[0].total, want);
  cr_assert(rel_eq(d.t_end[0] - d.t_start[0], want, 1e-6), "clock moved %.12g",
            d.t_end[0] - d.t_start[0]);
  /* per op, from the stream reaching it to its end: the first includes
   * its issue, the second only waits for the link */
  cr_assert(rel_eq(d.t[0].by_kind[KV_OP_COPY], want, 1e-6), "by_kind %.12g",
            d.t[0].by_kind[KV_OP_COPY]);
  cr_assert(rel_eq(d.t[0].op_critical, want, 1e-6));
  d.b->vt->destroy(d.b);
}

Test(sim_backend, stream_order_runs_copies_one_after_another) {
  check_stream_order(1);
}

Test(sim_backend, stream_order_is_the_same_through_simgrid) {
  check_stream_order(0);
}

static void copy_then_unmap(kv_op_list *l, int s) {
  (void)s;
  copy(l, KV_COPY_D2H, KV_VIA_ENGINE, 1, MIB, 0);
  vmm(l, KV_OP_VMM_UNMAP, 1, 0);
  vmm(l, KV_OP_VMM_MAP, 1, 0);
}

/* An unmap waits for the queued copy (it could take its memory); the
 * driver calls then run on the host after it. */
Test(sim_backend, stream_order_unmap_waits_for_the_copy) {
  kv_platform p;
  test_platform(&p);
  drive d;
  drive_run(&d, &p, NULL, copy_then_unmap, 1);
  double x = p.copy_overhead + p.pcie_lat + MIB / p.pcie_bw;
  double want = x + p.vmm_unmap + p.vmm_map;
  cr_assert(rel_eq(d.t[0].total, want, 1e-6), "got %.12g want %.12g",
            d.t[0].total, want);
  cr_assert(rel_eq(d.t[0].by_kind[KV_OP_COPY], x, 1e-6));
  cr_assert(rel_eq(d.t[0].driver_critical, p.vmm_unmap + p.vmm_map, 1e-6));
  d.b->vt->destroy(d.b);
}

static void vmm_calls(kv_op_list *l, int s) {
  if (s == 0) {
    vmm(l, KV_OP_VMM_MAP, 37, 0);
  } else {
    for (int i = 0; i < 37; i++)
      vmm(l, KV_OP_VMM_MAP, 1, 0);
    vmm(l, KV_OP_VMM_CREATE, 5, 0);
    vmm(l, KV_OP_VMM_SET_ACCESS, 5, 0);
  }
}

Test(sim_backend, vmm_calls_serialize) {
  kv_platform p;
  test_platform(&p);
  drive d;
  drive_run(&d, &p, NULL, vmm_calls, 2);
  cr_assert(rel_eq(d.t[0].total, 37 * p.vmm_map, 1e-12));
  cr_assert(rel_eq(d.t[0].driver_critical, 37 * p.vmm_map, 1e-12));
  double want1 = 37 * p.vmm_map + 5 * p.vmm_create + 5 * p.vmm_set_access;
  cr_assert(rel_eq(d.t[1].total, want1, 1e-12), "got %.12g want %.12g",
            d.t[1].total, want1);
  cr_assert(rel_eq(d.t[1].by_kind[KV_OP_VMM_SET_ACCESS], 5 * p.vmm_set_access,
                   1e-12));
  cr_assert_eq(d.t[1].driver_hidden, 0);
  d.b->vt->destroy(d.b);
}

/* compute of 1 ms (compute-bound) with 300 us of driver calls:
 * step 0 background, step 1 critical, step 2 background longer than
 * compute (3000 us). */
static void map_vs_compute(kv_op_list *l, int s) {
  compute(l, 1e12, 1e6);
  uint32_t n = s == 2 ? 3000 : 300;
  vmm(l, KV_OP_VMM_MAP, n, s != 1);
}

Test(sim_backend, background_map_overlaps_compute_and_critical_map_adds) {
  kv_platform p;
  test_platform(&p);
  drive d;
  drive_run(&d, &p, NULL, map_vs_compute, 3);
  double comp = 1e12 / p.flops + p.kernel_launch;
  double map = 300 * p.vmm_map;
  cr_assert(rel_eq(d.t[0].compute, comp, 1e-12));
  cr_assert(rel_eq(d.t[0].total, comp, 1e-12), "bg: %.12g", d.t[0].total);
  cr_assert(rel_eq(d.t[0].driver_hidden, map, 1e-12));
  cr_assert_eq(d.t[0].driver_critical, 0);
  cr_assert(rel_eq(d.t[1].total, comp + map, 1e-12), "crit: %.12g",
            d.t[1].total);
  cr_assert(rel_eq(d.t[1].driver_critical, map, 1e-12));
  double big = 3000 * p.vmm_map;
  cr_assert(rel_eq(d.t[2].total, big, 1e-12));
  cr_assert(rel_eq(d.t[2].driver_hidden, comp, 1e-12));
  cr_assert(rel_eq(d.t[2].driver_critical, big - comp, 1e-9));
  d.b->vt->destroy(d.b);
}

static void runs_vs_one(kv_op_list *l, int s) {
  copy(l, KV_COPY_H2D, KV_VIA_ENGINE, s == 0 ? 1000 : 1, 1000 * KIB, 0);
}

Test(sim_backend, many_small_runs_pay_the_per_copy_overhead) {
  kv_platform p;
  test_platform(&p);
  drive d;
  drive_run(&d, &p, NULL, runs_vs_one, 2);
  double diff = d.t[0].total - d.t[1].total;
  cr_assert(rel_eq(diff, 999 * p.copy_overhead, 1e-6), "diff %.12g", diff);
  /* and the scattered copy is far slower in effective bandwidth */
  cr_assert(1000 * KIB / d.t[0].total < 0.5e9);
  d.b->vt->destroy(d.b);
}

static void kernel_copy(kv_op_list *l, int s) {
  (void)s;
  copy(l, KV_COPY_H2D, KV_VIA_KERNEL, 256, 64 * MIB, 0);
}

static void kernel_page_small(kv_op_list *l, int s) {
  (void)s;
  copy(l, KV_COPY_H2D, KV_VIA_KERNEL, (uint32_t)(64 * MIB / 256), 64 * MIB, 0);
}

static void kernel_page_big(kv_op_list *l, int s) {
  (void)s;
  copy(l, KV_COPY_H2D, KV_VIA_KERNEL, 1024, 64 * MIB, 0);
}

static void kernel_rate_child(int sms, double *out, size_t n) {
  kv_platform p;
  test_platform(&p);
  kv_sim_options o;
  kv_sim_options_defaults(&o);
  o.sm_copy_sms = (uint32_t)sms;
  o.analytic = 0;
  child_drive(child_create(&p, &o), kernel_copy, 1, out, n);
}

Test(sim_backend, kernel_copy_rate_grows_with_sms_up_to_the_link) {
  kv_platform p;
  test_platform(&p);
  int sms[] = {1, 2, 4, 8, 16, 32};
  double prev = 0;
  for (size_t i = 0; i < sizeof sms / sizeof sms[0]; i++) {
    double t;
    in_child(kernel_rate_child, sms[i], &t, 1);
    double rate = 64 * MIB / (t - p.kernel_launch - p.pcie_lat);
    double want = fmin(p.pcie_bw, sms[i] * p.sm_copy_bw_per_sm);
    cr_assert(rel_eq(rate, want, 1e-6), "%d SMs: %.6g B/s, want %.6g", sms[i],
              rate, want);
    cr_assert(rate >= prev * (1 - 1e-9));
    prev = rate;
  }
  cr_assert(rel_eq(prev, p.pcie_bw, 1e-6), "saturates at the link");
}

/* 64 MiB by the SM kernel over 256-byte runs (variant 0) or 64 KiB runs
 * (1), with or without a page curve (variant + 2: with). */
static void kernel_page_child(int variant, double *out, size_t n) {
  kv_platform p;
  test_platform(&p);
  if (variant >= 2) {
    p.sm_copy_page_h2d_curve.n = 2;
    p.sm_copy_page_h2d_curve.x[0] = 256;
    p.sm_copy_page_h2d_curve.y[0] = 0.5;
    p.sm_copy_page_h2d_curve.x[1] = 65536;
    p.sm_copy_page_h2d_curve.y[1] = 1.0;
  }
  kv_sim_options o;
  kv_sim_options_defaults(&o);
  o.sm_copy_sms = 4; /* 20 GB/s, below PCIe */
  o.analytic = 0;
  child_drive(child_create(&p, &o),
              (variant & 1) ? kernel_page_big : kernel_page_small, 1, out, n);
}

Test(sim_backend, kernel_copy_of_small_pages_runs_at_the_page_factor) {
  kv_platform p;
  test_platform(&p);
  double t[4];
  for (int v = 0; v < 4; v++)
    in_child(kernel_page_child, v, &t[v], 1);
  cr_assert_eq(t[0], t[1], "no page curve: the old price for every page");
  cr_assert_eq(t[3], t[1], "64 KiB runs: the largest page, factor 1");
  double want =
      p.kernel_launch + p.pcie_lat + 64 * MIB / (0.5 * 4 * p.sm_copy_bw_per_sm);
  cr_assert(rel_eq(t[2], want, 1e-6), "256 B runs: %.9g s, want %.9g", t[2],
            want);
}

/* 64 MiB by the SM kernel over 256 runs on SMs and threads per block of
 * the variant: 0: 4 SMs, threads left unset (0); 1: 4 SMs, 1024 threads;
 * 2: 16 SMs, 256 threads; 3: 4 SMs, 256 threads; 4: as 3, with a threads
 * grid whose 256-thread row moves 12 GB/s at 4 SMs. */
static void kernel_threads_child(int variant, double *out, size_t n) {
  static const uint32_t sms[] = {4, 4, 16, 4, 4},
                        threads[] = {0, 1024, 256, 256, 256};
  kv_platform p;
  test_platform(&p);
  if (variant == 4) {
    kv_grid *g = &p.sm_copy_threads_grid_h2d;
    g->n = 1;
    g->u[0] = 256;
    g->row[0].n = 2;
    g->row[0].x[0] = 1, g->row[0].y[0] = 3e9;
    g->row[0].x[1] = 4, g->row[0].y[1] = 12e9;
  }
  kv_sim_options o;
  kv_sim_options_defaults(&o);
  o.sm_copy_sms = sms[variant];
  o.sm_copy_threads = threads[variant];
  o.analytic = 0;
  child_drive(child_create(&p, &o), kernel_copy, 1, out, n);
}

/* copy_threads: the library kernel's block size (or none) is today's price;
 * without a grid 16 SMs of 256 threads move what 4 SMs of 1024 do, 4 SMs
 * of 256 a quarter of it; with a grid, the grid's rate. */
Test(sim_backend, kernel_copy_rate_by_threads_per_block) {
  kv_platform p;
  test_platform(&p);
  double t[5];
  for (int v = 0; v < 5; v++)
    in_child(kernel_threads_child, v, &t[v], 1);
  cr_assert_eq(t[0], t[1], "1024 threads: the default, unchanged");
  double fixed = p.kernel_launch + p.pcie_lat;
  cr_assert(rel_eq(t[0] - fixed, 64 * MIB / (4 * p.sm_copy_bw_per_sm), 1e-6));
  cr_assert(rel_eq(t[2], t[1], 1e-9), "256 x 16 SMs %.9g s, 1024 x 4 %.9g s",
            t[2], t[1]);
  cr_assert(rel_eq(t[3] - fixed, 64 * MIB / p.sm_copy_bw_per_sm, 1e-6),
            "256 x 4 SMs: one SM-equivalent, %.9g s", t[3]);
  cr_assert(rel_eq(t[4] - fixed, 64 * MIB / 12e9, 1e-6), "grid: %.9g s", t[4]);
}

/* 64 MiB by the SM kernel each way; with sm_duplex_bw both directions
 * share that budget, a lone direction does not feel it. */
static void kernel_both_dirs(kv_op_list *l, int s) {
  (void)s;
  copy(l, KV_COPY_H2D, KV_VIA_KERNEL, 1, 64 * MIB, 0);
  copy(l, KV_COPY_D2H, KV_VIA_KERNEL, 1, 64 * MIB, 0);
}

static void kernel_one_dir(kv_op_list *l, int s) {
  (void)s;
  copy(l, KV_COPY_D2H, KV_VIA_KERNEL, 1, 64 * MIB, 0);
}

/* variant 1: sm_duplex_bw 60 GB/s (under 2 x 8 SMs x 5 GB/s, above one
 * direction's 40); variant 0: none. out[0] = the step's time. */
static void kernel_both_child(int variant, double *out, size_t n) {
  kv_platform p;
  test_platform(&p);
  p.sm_duplex_bw = variant ? 60e9 : 0;
  kv_sim_options o;
  kv_sim_options_defaults(&o);
  o.copy_order = KV_SIM_COPY_CONCURRENT;
  child_drive(child_create(&p, &o), kernel_both_dirs, 1, out, n);
}

Test(sim_backend, sm_duplex_bw_caps_kernel_copies_both_ways_together) {
  double t, free_t;
  in_child(kernel_both_child, 1, &t, 1);
  in_child(kernel_both_child, 0, &free_t, 1);
  /* each flow gets half of the budget (launches and latency are
   * microseconds against milliseconds: 1 % covers them) */
  cr_assert(rel_eq(t, 64 * MIB / 30e9, 1e-2), "got %.9g", t);
  /* without it each direction runs at its SM rate */
  cr_assert(rel_eq(free_t, 64 * MIB / 40e9, 1e-2), "uncapped %.9g", free_t);
}

Test(sim_backend, sm_duplex_bw_leaves_one_direction_alone) {
  kv_platform p;
  test_platform(&p);
  p.sm_duplex_bw = 60e9;
  kv_sim_options o;
  kv_sim_options_defaults(&o);
  drive d;
  drive_run(&d, &p, &o, kernel_one_dir, 1);
  double want =
      p.kernel_launch + p.pcie_lat + 64 * MIB / (8 * p.sm_copy_bw_per_sm);
  cr_assert(rel_eq(d.t[0].total, want, 1e-6), "got %.12g want %.12g",
            d.t[0].total, want);
  d.b->vt->destroy(d.b);
}

/* variant = sm_duplex_bw in GB/s; analytic path on (lone flows) */
static void kernel_one_child(int variant, double *out, size_t n) {
  kv_platform p;
  test_platform(&p);
  p.sm_duplex_bw = variant * 1e9;
  kv_sim_options o;
  kv_sim_options_defaults(&o);
  child_drive(child_create(&p, &o), kernel_one_dir, 1, out, n);
}

Test(sim_backend, sm_duplex_bw_under_one_direction_caps_it_too) {
  kv_platform p;
  test_platform(&p);
  double t;
  in_child(kernel_one_child, 20, &t, 1); /* 20 GB/s < 8 SMs x 5 GB/s */
  double want = p.kernel_launch + p.pcie_lat + 64 * MIB / 20e9;
  cr_assert(rel_eq(t, want, 1e-6), "got %.12g want %.12g", t, want);
}

/* A mixed sequence exercising every path: critical + background copies
 * (both directions, both vias, D2D), driver calls, table writes, compute. */
static void mixed(kv_op_list *l, int s) {
  vmm(l, KV_OP_VMM_CREATE, 1 + s % 3, 0);
  vmm(l, KV_OP_VMM_MAP, 2 + s % 5, 1);
  kv_op *t = kv_ops_push(l, KV_OP_TABLE_WRITE, 0);
  t->count = 16;
  t->bytes = 64;
  copy(l, KV_COPY_H2D, KV_VIA_ENGINE, 3 + s, (s + 1) * 3 * MIB, s % 2);
  copy(l, KV_COPY_D2H, KV_VIA_KERNEL, 40, 7 * MIB, 1);
  if (s % 3 == 0) copy(l, KV_COPY_D2D, KV_VIA_ENGINE, 2, 100 * MIB, 1);
  compute(l, 2e11 * (1 + s), 4e9);
}

static void mixed_child(int variant, double *out, size_t n) {
  kv_platform p;
  test_platform(&p);
  kv_sim_options o;
  kv_sim_options_defaults(&o);
  o.analytic = variant == 2 ? 0 : 1;
  child_drive(child_create(&p, &o), mixed, 8, out, n);
}

Test(sim_backend, same_ops_give_identical_durations) {
  double a[8], b[8];
  in_child(mixed_child, 0, a, 8);
  in_child(mixed_child, 1, b, 8);
  cr_assert_eq(memcmp(a, b, sizeof a), 0, "durations differ between runs");
  for (int i = 0; i < 8; i++)
    cr_assert(a[i] > 0);
}

Test(sim_backend, analytic_shortcuts_change_no_duration) {
  double a[8], b[8];
  in_child(mixed_child, 0, a, 8);
  in_child(mixed_child, 2, b, 8);
  for (int i = 0; i < 8; i++)
    cr_assert(rel_eq(a[i], b[i], 1e-9), "step %d: %.15g vs %.15g", i, a[i],
              b[i]);
}

/* Memory-bound compute beside a background D2D copy of the same HBM
 * demand: with no issue cost both start together and share HBM evenly. */
static void compute_vs_d2d(kv_op_list *l, int s) {
  compute(l, 1e6, 3e9); /* 1 ms of HBM traffic alone */
  if (s == 1) {
    /* payload 2*B*hbm/d2d = 3e9 bytes of HBM traffic: B = 1.2e9 */
    copy(l, KV_COPY_D2D, KV_VIA_ENGINE, 1, 1.2e9, 1);
  }
}

Test(sim_backend, compute_shares_hbm_with_concurrent_copies) {
  kv_platform p;
  test_platform(&p);
  p.copy_overhead = 0;
  drive d;
  drive_run(&d, &p, NULL, compute_vs_d2d, 2);
  double alone = 3e9 / p.hbm_bw + p.kernel_launch;
  cr_assert(rel_eq(d.t[0].compute, alone, 1e-9));
  double shared = 2 * 3e9 / p.hbm_bw + p.kernel_launch;
  cr_assert(rel_eq(d.t[1].compute, shared, 1e-6), "got %.12g want %.12g",
            d.t[1].compute, shared);
  cr_assert(rel_eq(d.t[1].total, shared, 1e-6));
  d.b->vt->destroy(d.b);
}

static void d2d_alone(kv_op_list *l, int s) {
  (void)s;
  copy(l, KV_COPY_D2D, KV_VIA_ENGINE, 1, 1.2e9, 0);
}

Test(sim_backend, device_copy_counts_read_and_write) {
  kv_platform p;
  test_platform(&p);
  drive d;
  drive_run(&d, &p, NULL, d2d_alone, 1);
  double want = p.copy_overhead + 2 * 1.2e9 / p.d2d_bw;
  cr_assert(rel_eq(d.t[0].total, want, 1e-6), "got %.12g want %.12g",
            d.t[0].total, want);
  d.b->vt->destroy(d.b);
}

/* ---- platform files ---- */

static char *tmp_file(const char *text) {
  static char path[64];
  snprintf(path, sizeof path, "/tmp/kvsim_test_%d.xml", (int)getpid());
  FILE *f = fopen(path, "w");
  cr_assert_not_null(f);
  fputs(text, f);
  fclose(f);
  return path;
}

Test(sim_backend, xml_without_the_gpu_host_is_not_found) {
  kv_platform p;
  test_platform(&p);
  kv_model m;
  test_model(&m);
  char *path = tmp_file(
      "<?xml version='1.0'?>\n"
      "<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
      "<platform version=\"4.1\"><zone id=\"z\" routing=\"Full\">\n"
      "<host id=\"accel7\" speed=\"1Gf\"/><host id=\"host\" speed=\"1Gf\"/>\n"
      "<link id=\"l\" bandwidth=\"1GBps\" latency=\"1us\"/>\n"
      "<route src=\"accel7\" dst=\"host\"><link_ctn id=\"l\"/></route>\n"
      "</zone></platform>\n");
  kv_sim_options o;
  kv_sim_options_defaults(&o);
  o.platform_xml = path;
  kv_error e;
  kv_backend *b = kv_backend_sim_create(&p, &m, 1, &o, &e);
  unlink(path);
  cr_assert_null(b);
  cr_assert_eq(e.code, KV_ENOTFOUND, "code %d: %s", e.code, e.msg);
  cr_assert(strstr(e.msg, "'gpu0'") && strstr(e.msg, "accel7"), "%s", e.msg);
}

Test(sim_backend, xml_without_self_route_is_rejected) {
  kv_platform p;
  test_platform(&p);
  kv_model m;
  test_model(&m);
  char *path = tmp_file(
      "<?xml version='1.0'?>\n"
      "<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
      "<platform version=\"4.1\"><zone id=\"z\" routing=\"Full\">\n"
      "<host id=\"gpu0\" speed=\"1Gf\"/><host id=\"host\" speed=\"1Gf\"/>\n"
      "<link id=\"l\" bandwidth=\"1GBps\" latency=\"1us\"/>\n"
      "<route src=\"gpu0\" dst=\"host\"><link_ctn id=\"l\"/></route>\n"
      "</zone></platform>\n");
  kv_sim_options o;
  kv_sim_options_defaults(&o);
  o.platform_xml = path;
  kv_error e;
  kv_backend *b = kv_backend_sim_create(&p, &m, 1, &o, &e);
  unlink(path);
  cr_assert_null(b);
  cr_assert(e.code != KV_OK);
  cr_assert(strstr(e.msg, "self-route"), "%s", e.msg);
}

Test(sim_backend, malformed_xml_is_a_clear_error_not_a_crash) {
  kv_platform p;
  test_platform(&p);
  kv_model m;
  test_model(&m);
  char *path = tmp_file("<?xml version='1.0'?>\n<platform version=\"4.1\">"
                        "<zone id=\"z\" routing=\"Full\"><host id=\"gpu0\"\n");
  kv_sim_options o;
  kv_sim_options_defaults(&o);
  o.platform_xml = path;
  kv_error e;
  kv_backend *b = kv_backend_sim_create(&p, &m, 1, &o, &e);
  unlink(path);
  cr_assert_null(b);
  cr_assert_eq(e.code, KV_EPARSE, "code %d: %s", e.code, e.msg);
  cr_assert(strstr(e.msg, path), "message should name the file: %s", e.msg);
  o.platform_xml = "/nonexistent/kvsim.xml";
  b = kv_backend_sim_create(&p, &m, 1, &o, &e);
  cr_assert_null(b);
  cr_assert(strstr(e.msg, "/nonexistent/kvsim.xml"), "%s", e.msg);
}

Test(sim_backend, negative_bandwidth_names_the_field) {
  kv_platform p;
  test_platform(&p);
  kv_model m;
  test_model(&m);
  p.pcie_bw = -5;
  kv_error e;
  kv_backend *b = kv_backend_sim_create(&p, &m, 1, NULL, &e);
  cr_assert_null(b);
  cr_assert_eq(e.code, KV_EINVAL);
  cr_assert(strstr(e.msg, "pcie_bw"), "%s", e.msg);
  test_platform(&p);
  p.nvlink_bw = NAN;
  b = kv_backend_sim_create(&p, &m, 1, NULL, &e);
  cr_assert_null(b);
  cr_assert(strstr(e.msg, "nvlink_bw"), "%s", e.msg);
  /* the failed attempts did not start SimGrid: a good platform still works */
  test_platform(&p);
  b = kv_backend_sim_create(&p, &m, 1, NULL, &e);
  cr_assert_not_null(b, "%s", e.msg);
  b->vt->destroy(b);
}

Test(sim_backend, bad_extra_cfg_is_refused) {
  kv_platform p;
  test_platform(&p);
  kv_model m;
  test_model(&m);
  kv_sim_options o;
  kv_sim_options_defaults(&o);
  o.extra_cfg = "network/model:CM02";
  kv_error e;
  cr_assert_null(kv_backend_sim_create(&p, &m, 1, &o, &e));
  cr_assert_eq(e.code, KV_EINVAL);
  o.extra_cfg = "--cfg=no/such/option:1";
  cr_assert_null(kv_backend_sim_create(&p, &m, 1, &o, &e));
  cr_assert(e.code != KV_OK && strlen(e.msg) > 0);
}

static void xml_child(int variant, double *out, size_t n) {
  kv_platform p;
  test_platform(&p);
  p.gpus_per_uplink = 2;
  p.uplink_bw = 40e9;
  p.host_bw = 200e9;
  kv_sim_options o;
  kv_sim_options_defaults(&o);
  o.analytic = 0;
  char path[64];
  if (variant == 1) {
    snprintf(path, sizeof path, "/tmp/kvsim_dump_%d.xml", (int)getpid());
    FILE *f = fopen(path, "w");
    kv_error e;
    if (!f || kv_sim_platform_write_xml(&p, &o, f, &e) != KV_OK) _exit(4);
    fclose(f);
    o.platform_xml = path;
  }
  kv_backend *b = child_create(&p, &o);
  if (variant == 1) unlink(path);
  child_drive(b, mixed, 8, out, n);
}

Test(sim_backend, dumped_xml_loads_back_with_the_same_timings) {
  double a[8], b[8];
  in_child(xml_child, 0, a, 8);
  in_child(xml_child, 1, b, 8);
  for (int i = 0; i < 8; i++)
    cr_assert(rel_eq(a[i], b[i], 1e-9), "step %d: built %.15g, xml %.15g", i,
              a[i], b[i]);
}

Test(sim_backend, describe_records_the_cfg_set) {
  kv_platform p;
  test_platform(&p);
  kv_model m;
  test_model(&m);
  kv_error e;
  kv_backend *b = kv_backend_sim_create(&p, &m, 1, NULL, &e);
  cr_assert_not_null(b, "%s", e.msg);
  char buf[1024];
  b->vt->describe(b, buf, sizeof buf);
  cr_assert(strstr(buf, "--cfg=network/model:CM02") &&
                strstr(buf, "--cfg=network/crosstraffic:0") &&
                strstr(buf, "--cfg=network/TCP-gamma:0") &&
                strstr(buf, "--cfg=network/solver:fairbottleneck") &&
                strstr(buf, "simgrid 3.32"),
            "%s", buf);
  /* one simulation per process */
  cr_assert_null(kv_backend_sim_create(&p, &m, 1, NULL, &e));
  cr_assert(strstr(e.msg, "one simulation per process"), "%s", e.msg);
  b->vt->destroy(b);
}

static kv_status returns_enomem(void *arg) {
  (void)arg;
  return KV_ENOMEM;
}

Test(sim_backend, run_returns_what_the_loop_returned) {
  kv_platform p;
  test_platform(&p);
  kv_model m;
  test_model(&m);
  kv_error e;
  kv_backend *b = kv_backend_sim_create(&p, &m, 1, NULL, &e);
  cr_assert_not_null(b);
  cr_assert_eq(b->vt->run(b, returns_enomem, NULL, &e), KV_ENOMEM);
  b->vt->destroy(b);
}

/* ---- replicas ---- */

typedef struct rep_arg {
  double t_copy;
  double t_idle_end;
} rep_arg;

static kv_status rep_copy_main(void *arg) {
  (void)arg;
  return KV_OK;
}

static kv_status rep_fn(void *arg, kv_backend *b, kv_error *err) {
  rep_arg *a = arg;
  /* run() from inside the replica's actor calls the loop directly */
  kv_status st = b->vt->run(b, rep_copy_main, NULL, err);
  if (st) return st;
  kv_op_list l;
  kv_ops_init(&l, 0);
  copy(&l, KV_COPY_H2D, KV_VIA_ENGINE, 1, 64 * MIB, 0);
  kv_step_time t;
  double t0 = b->vt->now(b);
  st = b->vt->step(b, &l, &t, err);
  a->t_copy = b->vt->now(b) - t0;
  b->vt->idle_until(b, 1.0);
  a->t_idle_end = b->vt->now(b);
  kv_ops_free(&l);
  return st;
}

static void replicas_child(int shared_uplink, double *out, size_t n) {
  kv_platform p;
  test_platform(&p);
  p.gpus_per_server = 4;
  if (shared_uplink) {
    p.gpus_per_uplink = 2;
    p.uplink_bw = p.pcie_bw;
  }
  kv_model m;
  test_model(&m);
  rep_arg a[4];
  void *args[4] = {&a[0], &a[1], &a[2], &a[3]};
  kv_status codes[4];
  kv_error errs[4], e;
  if (kv_sim_run_replicas(&p, &m, 1, NULL, 4, rep_fn, args, codes, errs, &e) !=
      KV_OK) {
    fprintf(stderr, "replicas: %s\n", e.msg);
    _exit(5);
  }
  for (size_t i = 0; i < 4 && 2 * i + 1 < n; i++) {
    out[2 * i] = a[i].t_copy;
    out[2 * i + 1] = a[i].t_idle_end;
  }
}

Test(sim_backend, replicas_share_a_pcie_switch_uplink) {
  kv_platform p;
  test_platform(&p);
  double own[8], shared[8];
  in_child(replicas_child, 0, own, 8);
  in_child(replicas_child, 1, shared, 8);
  double alone = p.copy_overhead + p.pcie_lat + 64 * MIB / p.pcie_bw;
  double halved = p.copy_overhead + p.pcie_lat + 2 * 64 * MIB / p.pcie_bw;
  for (int i = 0; i < 4; i++) {
    cr_assert(rel_eq(own[2 * i], alone, 1e-6), "own uplink r%d: %.12g", i,
              own[2 * i]);
    cr_assert(rel_eq(shared[2 * i], halved, 1e-6), "shared r%d: %.12g", i,
              shared[2 * i]);
    cr_assert(rel_eq(own[2 * i + 1], 1.0, 1e-12));
  }
}

/* ---- tensor parallelism ---- */

static void tp_step(kv_op_list *l, int s) {
  (void)s;
  compute(l, 4e12, 1e6);
}

Test(sim_backend, tensor_parallel_compute_splits_flops_and_adds_allreduce) {
  kv_platform p;
  test_platform(&p);
  kv_model m;
  test_model(&m);
  kv_error e;
  kv_backend *b = kv_backend_sim_create(&p, &m, 2, NULL, &e);
  cr_assert_not_null(b, "%s", e.msg);
  drive d;
  memset(&d, 0, sizeof d);
  d.b = b;
  d.build = tp_step;
  d.steps = 1;
  cr_assert_eq(b->vt->run(b, drive_main, &d, &d.err), KV_OK, "%s", d.err.msg);
  /* an op without a token count: tokens from its FLOPs; tp 2: the ring
   * (2 hops, bytes/bw) beats the tree (2 hops, 2 bytes/bw) */
  double tokens = 4e12 / (2 * m.active_params);
  double act = tokens * m.hidden * 2.0;
  double ar = 2.0 * m.layers *
              (p.allreduce_base + 2.0 * p.allreduce_lat + act / p.nvlink_bw);
  double want = 4e12 / (2 * p.flops) + p.kernel_launch + ar;
  cr_assert(rel_eq(d.t[0].compute, want, 1e-9), "got %.12g want %.12g",
            d.t[0].compute, want);
  b->vt->destroy(b);
}

/* ---- engine overheads ---- */

/* The engine's CPU time on the COMPUTE op, synchronous and overlapped,
 * beside critical and background driver calls and a critical copy: with
 * nothing contended SimGrid prices every step as the ideal backend does. */
static void cpu_steps(kv_op_list *l, int s) {
  vmm(l, KV_OP_VMM_MAP, 8, 0);
  /* after the map: on the stream a map after it would hide in the copy */
  if (s == 3) copy(l, KV_COPY_H2D, KV_VIA_ENGINE, 1, MIB, 0);
  vmm(l, KV_OP_VMM_SET_ACCESS, 4, 1);
  kv_op *c = compute(l, s == 2 ? 4e12 : 1e12, 0); /* 4 ms or 1 ms */
  c->cpu_time = 2e-3;
  if (s == 1 || s == 2) c->flags |= KV_OPF_CPU_OVERLAP;
}

Test(sim_backend, engine_cpu_time_is_priced_as_on_the_ideal_backend) {
  kv_platform p;
  test_platform(&p);
  kv_model m;
  test_model(&m);
  drive d;
  drive_run(&d, &p, NULL, cpu_steps, 4);
  kv_error e;
  kv_backend *ib = kv_backend_ideal_create(&p, &m, 1, &e);
  cr_assert_not_null(ib, "%s", e.msg);
  kv_op_list l;
  kv_ops_init(&l, 0);
  for (int s = 0; s < 4; s++) {
    kv_ops_clear(&l);
    cpu_steps(&l, s);
    kv_step_time t;
    cr_assert_eq(ib->vt->step(ib, &l, &t, &e), KV_OK, "%s", e.msg);
    const kv_step_time *g = &d.t[s];
    cr_assert(rel_eq(g->total, t.total, 1e-9), "step %d: sim %.12g ideal %.12g",
              s, g->total, t.total);
    cr_assert(rel_eq(g->compute, t.compute, 1e-9), "step %d", s);
    cr_assert(fabs(g->cpu - t.cpu) <= 1e-12, "step %d: %.12g vs %.12g", s,
              g->cpu, t.cpu);
    cr_assert(fabs(g->cpu_hidden - t.cpu_hidden) <= 1e-12, "step %d", s);
    cr_assert(rel_eq(d.t_end[s] - d.t_start[s], g->total, 1e-9), "step %d", s);
  }
  /* the cases: all CPU waited for; overlapped and longer than the GPU;
   * overlapped and hidden */
  cr_assert_eq(d.t[0].cpu, 2e-3);
  cr_assert(rel_eq(d.t[1].total, 2e-3, 1e-12), "%.12g", d.t[1].total);
  cr_assert_gt(d.t[1].cpu, 0);
  cr_assert_eq(d.t[2].cpu, 0);
  cr_assert_eq(d.t[2].cpu_hidden, 2e-3);
  kv_ops_free(&l);
  ib->vt->destroy(ib);
  d.b->vt->destroy(d.b);
}

/* One request through the engine (variant: no overheads, all of them
 * synchronous, a long step overlapped, the prefill launched without a CUDA
 * graph, a fixed GPU cost per layer): TTFT, E2E, cpu_time. */
static const kv_overheads engine_oh[5] = {
    {0},
    {.step = 2e-3,
     .per_seq = 1e-4,
     .per_token = 1e-6,
     .admit = 5e-3,
     .finish = 7e-3},
    {.step = 0.1, .overlap = true},
    {.eager_per_layer = 5e-3, .graph_max_tokens = 256},
    {.layer_fixed = 50e-6},
};

static int engine_one(kv_backend *b, int variant, double *out,
                      const kv_model *m, const kv_platform *p) {
  kv_error e;
  kv_workload w;
  kv_workload_init(&w);
  kv_synth_cfg sc = {.arrival = KV_ARRIVAL_POISSON,
                     .rate = 1,
                     .n = 1,
                     .prompt = {.kind = KV_LEN_FIXED, .a = 1000, .min = 1},
                     .output = {.kind = KV_LEN_FIXED, .a = 10, .min = 1}};
  if (kv_workload_synthetic(&sc, 1, &w, &e) != KV_OK) return 1;
  w.reqs[0].prompt = 1000;
  w.reqs[0].output = 10;
  kv_engine_cfg cfg;
  kv_engine_cfg_defaults(&cfg);
  cfg.model = m;
  cfg.platform = p;
  cfg.workload = &w;
  cfg.strategy = &kv_strategy_paged;
  cfg.backend = b;
  cfg.check_level = 2;
  cfg.overheads = engine_oh[variant];
  kv_result r;
  if (kv_engine_run(&cfg, &r, &e) != KV_OK) {
    fprintf(stderr, "engine: %s\n", e.msg);
    return 1;
  }
  out[0] = r.requests[0].first_token - r.requests[0].arrival;
  out[1] = r.requests[0].finish - r.requests[0].arrival;
  out[2] = r.summary.cpu_time;
  kv_result_free(&r);
  kv_workload_free(&w);
  return 0;
}

static void presets(kv_model *m, kv_platform *p) {
  kv_error e;
  if (kv_model_preset("llama-3-8b", m, &e) != KV_OK ||
      kv_platform_preset("h100-sxm-80gb", p, &e) != KV_OK) {
    fprintf(stderr, "preset: %s\n", e.msg);
    _exit(2);
  }
}

static void engine_sim_child(int variant, double *out, size_t n) {
  (void)n;
  static kv_model m;
  static kv_platform p;
  presets(&m, &p);
  kv_error e;
  kv_backend *b = kv_backend_sim_create(&p, &m, 1, NULL, &e);
  if (!b) {
    fprintf(stderr, "create: %s\n", e.msg);
    _exit(2);
  }
  if (engine_one(b, variant, out, &m, &p)) _exit(3);
  b->vt->destroy(b);
}

Test(sim_backend, engine_overheads_agree_with_the_ideal_backend) {
  kv_model m;
  kv_platform p;
  presets(&m, &p);
  double sim[5][3], ideal[5][3];
  for (int v = 0; v < 5; v++) {
    in_child(engine_sim_child, v, sim[v], 3);
    cr_assert_eq(engine_one(NULL, v, ideal[v], &m, &p), 0);
    for (int k = 0; k < 3; k++)
      cr_assert(fabs(sim[v][k] - ideal[v][k]) <=
                    1e-9 * fabs(ideal[v][k]) + 1e-15,
                "variant %d value %d: sim %.12g ideal %.12g", v, k, sim[v][k],
                ideal[v][k]);
  }
  /* by hand: prefill of 1,000 tokens, then 9 decode steps */
  const kv_overheads *o = &engine_oh[1];
  double d_ttft = o->step + o->per_seq + o->per_token * 1000 + o->admit;
  double d_e2e =
      10 * (o->step + o->per_seq) + o->per_token * 1009 + o->admit + o->finish;
  cr_assert(fabs(sim[1][0] - sim[0][0] - d_ttft) < 1e-12, "%.12g",
            sim[1][0] - sim[0][0]);
  cr_assert(fabs(sim[1][1] - sim[0][1] - d_e2e) < 1e-12, "%.12g",
            sim[1][1] - sim[0][1]);
  cr_assert(fabs(sim[1][2] - d_e2e) < 1e-12);
  /* overlapped 0.1 s per step outlasts every step's GPU work */
  cr_assert(fabs(sim[2][1] - 1.0) < 1e-12, "%.12g", sim[2][1]);
  cr_assert(fabs(sim[2][2] - (1.0 - sim[0][1])) < 1e-12);
  /* the 1,000-token prefill's launches (32 layers x 5 ms) outlast its GPU
   * work; the decode steps are graphed */
  double launch = 5e-3 * m.layers;
  cr_assert(sim[3][0] >= launch && sim[0][0] < launch, "%.12g", sim[3][0]);
  cr_assert(fabs((sim[3][1] - sim[3][0]) - (sim[0][1] - sim[0][0])) < 1e-12);
  /* the layers' fixed cost: GPU time in each of the 10 steps, no CPU time */
  double fixed = 50e-6 * m.layers;
  cr_assert(fabs(sim[4][0] - sim[0][0] - fixed) < 1e-12, "%.12g",
            sim[4][0] - sim[0][0]);
  cr_assert(fabs(sim[4][1] - sim[0][1] - 10 * fixed) < 1e-12, "%.12g",
            sim[4][1] - sim[0][1]);
  cr_assert_eq(sim[4][2], 0);
}

/* ---- the live-handle effect ---- */

static void live_steps(kv_op_list *l, int s) {
  if (s == 0) vmm(l, KV_OP_VMM_CREATE, 128, 0);
  if (s == 0 || s == 1) { /* a cycle on one more handle */
    vmm(l, KV_OP_VMM_CREATE, 1, 0);
    vmm(l, KV_OP_VMM_MAP, 1, 0);
    vmm(l, KV_OP_VMM_UNMAP, 1, 1);
    vmm(l, KV_OP_VMM_RELEASE, 1, 1);
  }
  if (s == 1) vmm(l, KV_OP_VMM_RELEASE, 128, 0);
  if (s == 2) { /* nothing live */
    vmm(l, KV_OP_VMM_MAP, 1, 0);
    vmm(l, KV_OP_VMM_UNMAP, 1, 1);
  }
}

/* The SimGrid backend counts the live handles from the op stream across
 * steps and prices each call among them, critical and background alike,
 * as the ideal backend does. */
Test(sim_backend, driver_calls_priced_among_the_live_handles) {
  kv_platform p;
  test_platform(&p);
  for (int k = 0; k < KV_VMM__COUNT; k++)
    p.vmm_live[k] = (kv_curve){.n = 1, .x = {128}, .y = {1.5}};
  kv_sim_options o;
  kv_sim_options_defaults(&o);
  drive d;
  drive_run(&d, &p, &o, live_steps, 3);
  double map128 =
      kv_platform_vmm_time_live(&p, KV_VMM_MAP, 2u << 20, 128, 0, 1);
  double unmap128 =
      kv_platform_vmm_time_live(&p, KV_VMM_UNMAP, 2u << 20, 128, 1, 0);
  cr_assert(rel_eq(map128, 1.5 * p.vmm_map, 1e-12));
  cr_assert(rel_eq(d.t[0].by_kind[KV_OP_VMM_MAP], map128, 1e-12), "%.12g",
            d.t[0].by_kind[KV_OP_VMM_MAP]);
  cr_assert(rel_eq(d.t[0].by_kind[KV_OP_VMM_UNMAP], unmap128, 1e-12));
  cr_assert(rel_eq(d.t[1].by_kind[KV_OP_VMM_MAP], map128, 1e-12),
            "the count carries over from the step before");
  cr_assert(rel_eq(d.t[2].by_kind[KV_OP_VMM_MAP], p.vmm_map, 1e-12),
            "all released: isolated, %.12g", d.t[2].by_kind[KV_OP_VMM_MAP]);
  d.b->vt->destroy(d.b);
  /* the ideal backend agrees */
  static kv_model m;
  test_model(&m);
  kv_error e = {0};
  kv_backend *ib = kv_backend_ideal_create(&p, &m, 1, &e);
  cr_assert_not_null(ib, "%s", e.msg);
  kv_op_list l;
  kv_ops_init(&l, 0);
  for (int s = 0; s < 3; s++) {
    kv_ops_clear(&l);
    live_steps(&l, s);
    kv_step_time t;
    cr_assert_eq(ib->vt->step(ib, &l, &t, &e), KV_OK, "%s", e.msg);
    cr_assert(
        rel_eq(t.by_kind[KV_OP_VMM_MAP], d.t[s].by_kind[KV_OP_VMM_MAP], 1e-12));
    cr_assert(rel_eq(t.by_kind[KV_OP_VMM_CREATE],
                     d.t[s].by_kind[KV_OP_VMM_CREATE], 1e-12));
  }
  kv_ops_free(&l);
  ib->vt->destroy(ib);
}

/* ---- batched DMA (KV_VIA_BATCH) ---- */

/* A batch curve of 1 us + bytes at 40 GB/s per entry, a 30 us host call;
 * per-run copies cost copy_overhead (4 us) each. */
static void batch_platform(kv_platform *p) {
  test_platform(p);
  kv_curve c = {.n = 2, .x = {4096, 4194304}, .y = {0, 0}};
  for (int i = 0; i < 2; i++)
    c.y[i] = 1e-6 + c.x[i] / 40e9;
  p->batch_h2d_curve = c;
  p->batch_d2h_curve = c;
  p->batch_call = 30e-6;
}

static double batch_entry(double bytes) {
  return 1e-6 + bytes / 40e9;
}

static void one_batch(kv_op_list *l, int s) {
  if (s == 0)
    copy(l, KV_COPY_H2D, KV_VIA_BATCH, 64, 64 * 64 * KIB, 0);
  else if (s == 1)
    copy(l, KV_COPY_H2D, KV_VIA_ENGINE, 64, 64 * 64 * KIB, 0);
  else if (s == 2)
    copy(l, KV_COPY_H2D, KV_VIA_BATCH, 64, 64 * 64 * KIB, 1);
  else
    for (int k = 0; k < 4; k++) /* kvsim-calibrate's four queued calls */
      copy(l, KV_COPY_H2D, KV_VIA_BATCH, 64, 64 * 64 * KIB, 0);
}

/* One batched copy alone: the call, then its entries at the curve's time
 * (the link latency inside it), as the ideal backend prices it; cheaper
 * than 64 per-run copies here; background the same time, hidden. Four
 * queued calls: each call after the first overlaps the previous batch's
 * DMA (the stream, not the host, carries the entries' engine time). */
Test(sim_backend, batched_copy_is_its_call_then_its_entries) {
  kv_platform p;
  batch_platform(&p);
  kv_sim_options o;
  kv_sim_options_defaults(&o);
  o.analytic = 0; /* real SimGrid transfers */
  drive d;
  drive_run(&d, &p, &o, one_batch, 4);
  double dma = 64 * batch_entry(64 * KIB);
  double want = p.batch_call + dma;
  kv_op op = {.kind = KV_OP_COPY,
              .dir = KV_COPY_H2D,
              .via = KV_VIA_BATCH,
              .count = 64,
              .bytes = 64 * 64 * 1024};
  cr_assert(rel_eq(kv_ideal_op_time(&p, &op), want, 1e-12));
  cr_assert(rel_eq(d.t[0].total, want, 1e-6), "got %.12g want %.12g",
            d.t[0].total, want);
  cr_assert(rel_eq(d.t[0].by_kind[KV_OP_COPY], want, 1e-6));
  double engine = 64 * p.copy_overhead + p.pcie_lat + 64 * 64 * KIB / p.pcie_bw;
  cr_assert(rel_eq(d.t[1].total, engine, 1e-6), "got %.12g want %.12g",
            d.t[1].total, engine);
  cr_assert_lt(d.t[0].total, d.t[1].total);
  cr_assert(rel_eq(d.t[2].by_kind[KV_OP_COPY], want, 1e-6), "bg %.12g",
            d.t[2].by_kind[KV_OP_COPY]);
  cr_assert(rel_eq(d.t[2].op_critical, want, 1e-6), "nothing to hide it");
  double queued = p.batch_call + 4 * dma; /* dma > batch_call */
  cr_assert(rel_eq(d.t[3].total, queued, 1e-6), "got %.12g want %.12g",
            d.t[3].total, queued);
  d.b->vt->destroy(d.b);
}

static void small_batches(kv_op_list *l, int s) {
  copy(l, KV_COPY_H2D, KV_VIA_BATCH, s == 0 ? 4 : 64,
       (s == 0 ? 4 : 64) * 64 * KIB, 0);
}

/* With a host-time table by entries, a 4-entry call costs the host 4 / 64
 * of the 64-entry call measured; the entries as before. */
Test(sim_backend, batched_call_host_time_by_entries) {
  kv_platform p;
  batch_platform(&p);
  p.batch_call_curve = (kv_curve){.n = 1, .x = {64}, .y = {p.batch_call}};
  kv_sim_options o;
  kv_sim_options_defaults(&o);
  drive d;
  drive_run(&d, &p, &o, small_batches, 2);
  double w4 = p.batch_call * 4 / 64 + 4 * batch_entry(64 * KIB);
  double w64 = p.batch_call + 64 * batch_entry(64 * KIB);
  cr_assert(rel_eq(d.t[0].total, w4, 1e-6), "got %.12g want %.12g",
            d.t[0].total, w4);
  cr_assert(rel_eq(d.t[1].total, w64, 1e-6), "got %.12g want %.12g",
            d.t[1].total, w64);
  d.b->vt->destroy(d.b);
}

static void two_batches(kv_op_list *l, int s) {
  (void)s;
  copy(l, KV_COPY_H2D, KV_VIA_BATCH, 16, 16 * MIB, 0);
  copy(l, KV_COPY_H2D, KV_VIA_ENGINE, 1, 16 * MIB, 0);
}

/* A batched copy shares the PCIe link with the other copies in flight. */
Test(sim_backend, batched_copy_shares_the_link) {
  kv_platform p;
  batch_platform(&p);
  kv_sim_options o;
  kv_sim_options_defaults(&o);
  o.copy_order = KV_SIM_COPY_CONCURRENT;
  drive d;
  drive_run(&d, &p, &o, two_batches, 1);
  /* alone each would take ~0.33 ms; the two together move 32 MiB over the
   * one 50 GB/s link */
  cr_assert_geq(d.t[0].total, 32 * MIB / p.pcie_bw);
  double alone = p.batch_call + 16 * batch_entry(MIB);
  cr_assert_gt(d.t[0].total, alone * 1.5, "%.12g", d.t[0].total);
  d.b->vt->destroy(d.b);
}

#else
Test(sim_backend, not_built) {
  cr_skip_test("kvsim was built without the SimGrid backend");
}
#endif
