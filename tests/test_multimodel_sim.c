/* test_multimodel_sim.c - several models time-slicing one GPU on the
 * SimGrid backend (core/engine/multimodel.h, kv_mm_spec.backend).
 *
 * SimGrid runs once per process: every simulation runs in a forked child
 * (in_child) that sends back its status, error, the run's scalars and each
 * model's result (kv_result_write); the parent compares.
 */
#include <criterion/criterion.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "compute_table.h"
#include "engine.h"
#include "lua_kvsim.h"
#include "multimodel.h"
#include "multimodel_testutil.h"
#include "strategy.h"
#include "sweep.h"

#ifdef KVSIM_HAVE_SIM
#include "sim_backend.h"

static kv_model llama, qwen;
static kv_platform h100;

static void setup(void) {
  kv_error err;
  cr_assert_eq(kv_model_preset("llama-3-8b", &llama, &err), KV_OK, "%s",
               err.msg);
  cr_assert_eq(kv_model_preset("qwen2.5-7b", &qwen, &err), KV_OK, "%s",
               err.msg);
  cr_assert_eq(kv_platform_preset("h100-sxm-80gb", &h100, &err), KV_OK, "%s",
               err.msg);
}

TestSuite(multimodel_sim, .init = setup);

static void spec_of(kv_mm_spec *sp, kv_mm_model *models, size_t n,
                    kv_mm_memory mem, int simgrid) {
  kv_mm_spec_defaults(sp);
  sp->models = models;
  sp->n = n;
  sp->platform = &h100;
  sp->memory = mem;
  sp->check_level = 2;
  if (simgrid) sp->backend = &kv_sim_backend_desc;
}

/* ---- children ---- */

enum { EXTRA_N = 4 }; /* span, cross_preemptions, kv_bytes, pool_bytes */

typedef struct child_out {
  kv_status s;
  kv_error err;
  size_t n; /* results */
  double extra[EXTRA_N];
  kv_result res[2];
} child_out;

/* Run fn in a forked child; its outcome comes back in *o. fn fills
 * res[0..*n) and extra (freed here in the child). */
typedef kv_status (*child_fn)(void *arg, kv_result *res, size_t *n,
                              double *extra, kv_error *err);

static void in_child(child_fn fn, void *arg, child_out *o) {
  memset(o, 0, sizeof *o);
  int fd[2];
  cr_assert_eq(pipe(fd), 0);
  fflush(NULL);
  pid_t pid = fork();
  cr_assert_geq(pid, 0);
  if (pid == 0) {
    close(fd[0]);
    child_out c;
    memset(&c, 0, sizeof c);
    c.s = fn(arg, c.res, &c.n, c.extra, &c.err);
    int bad = write(fd[1], &c, sizeof c) != (ssize_t)sizeof c;
    for (size_t i = 0; c.s == KV_OK && i < c.n && !bad; i++)
      bad = kv_result_write(fd[1], &c.res[i]) != 0;
    _exit(bad);
  }
  close(fd[1]);
  size_t got = 0;
  ssize_t r;
  while (got < sizeof *o &&
         (r = read(fd[0], (char *)o + got, sizeof *o - got)) > 0)
    got += (size_t)r;
  cr_assert_eq(got, sizeof *o, "the child died");
  memset(o->res, 0, sizeof o->res);
  kv_error e;
  for (size_t i = 0; o->s == KV_OK && i < o->n; i++)
    cr_assert_eq(kv_result_read(fd[0], &o->res[i], &e), 0, "%s", e.msg);
  close(fd[0]);
  int st;
  waitpid(pid, &st, 0);
  cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static void child_free(child_out *o) {
  for (size_t i = 0; i < o->n && o->s == KV_OK; i++)
    kv_result_free(&o->res[i]);
}

/* kv_mm_run of a spec; the results move out. */
static kv_status mm_fn(void *arg, kv_result *res, size_t *n, double *extra,
                       kv_error *err) {
  kv_mm_result r;
  kv_status s = kv_mm_run(arg, &r, err);
  if (s != KV_OK) return s;
  *n = r.n;
  for (size_t m = 0; m < r.n; m++) {
    res[m] = r.models[m];
    memset(&r.models[m], 0, sizeof r.models[m]);
  }
  extra[0] = r.span;
  extra[1] = r.cross_preemptions;
  extra[2] = (double)r.kv_bytes;
  extra[3] = (double)r.pool_bytes;
  kv_mm_result_free(&r);
  return KV_OK;
}

/* One model alone on a plain SimGrid backend (kv_engine_run). */
static kv_status one_fn(void *arg, kv_result *res, size_t *n, double *extra,
                        kv_error *err) {
  kv_engine_cfg c = *(const kv_engine_cfg *)arg;
  (void)extra;
  c.backend = kv_backend_sim_create(c.platform, c.model, 1, NULL, err);
  if (!c.backend) return err->code;
  kv_status s = kv_engine_run(&c, &res[0], err);
  c.backend->vt->destroy(c.backend);
  *n = s == KV_OK;
  return s;
}

static void two_models(kv_workload *w, kv_mm_model *mods) {
  burst(&w[0], 150, 30, 0, 6000, 11);
  burst(&w[1], 150, 30, 2, 6000, 12);
  model_cfg(&mods[0], &llama, &w[0]);
  model_cfg(&mods[1], &qwen, &w[1]);
}

Test(multimodel_sim, two_models_complete_every_request_and_give_the_pool_back) {
  kv_workload w[2];
  kv_mm_model mods[2];
  two_models(w, mods);
  kv_mm_spec sp;
  spec_of(&sp, mods, 2, KV_MM_ELASTIC, 1);
  child_out o;
  in_child(mm_fn, &sp, &o);
  /* kv_mm_run checked the pool after every step (check_level 2) and that
   * every page is free after the run */
  cr_assert_eq(o.s, KV_OK, "%s", o.err.msg);
  cr_assert_eq(o.n, 2);
  for (size_t m = 0; m < 2; m++) {
    cr_assert_eq(o.res[m].summary.completed, (double)w[m].n, "model %zu", m);
    cr_assert_eq(o.res[m].summary.unfinished, 0);
    cr_assert(strstr(o.res[m].backend, "simgrid") &&
                  strstr(o.res[m].backend, "time-sliced"),
              "%s", o.res[m].backend);
  }
  cr_assert_gt(o.extra[0], 2.0); /* span */
  child_free(&o);
  kv_workload_free(&w[0]);
  kv_workload_free(&w[1]);
}

static double rel(double a, double b) {
  return fabs(a - b) / fmax(fabs(a), fabs(b));
}

/* Compute only: the static strategy (its pool set up once, no op per
 * step), so both backends price the same roofline steps and time-slice
 * them the same way. */
Test(multimodel_sim, time_slicing_agrees_with_the_ideal_backend) {
  kv_workload w[2];
  kv_mm_model mods[2];
  two_models(w, mods);
  mods[0].engine.strategy = mods[1].engine.strategy = &kv_strategy_static;
  kv_mm_spec sp;
  spec_of(&sp, mods, 2, KV_MM_STATIC, 1);
  child_out o;
  in_child(mm_fn, &sp, &o);
  cr_assert_eq(o.s, KV_OK, "%s", o.err.msg);
  spec_of(&sp, mods, 2, KV_MM_STATIC, 0);
  kv_mm_result id;
  kv_error err;
  cr_assert_eq(kv_mm_run(&sp, &id, &err), KV_OK, "%s", err.msg);
  /* every metric: counts equal, times within tol. Measured: identical to
   * the last bit (--verbose prints the largest difference): the preset's
   * HBM route has no latency and a step with no transfer beside it is
   * timed on the replica's clock without a SimGrid activity, by the same
   * roofline; 1e-9 leaves room for the order of float additions only. */
  double tol = 1e-9, worst = rel(o.extra[0], id.span);
  cr_assert_lt(worst, tol, "span %.9g vs %.9g", o.extra[0], id.span);
  for (size_t m = 0; m < 2; m++) {
    for (size_t i = 0; i < kv_summary_info_n; i++) {
      const kv_metric_info *mi = &kv_summary_info[i];
      double a = *kv_metric_at(&o.res[m].summary, mi);
      double b = *kv_metric_at(&id.models[m].summary, mi);
      if (a == b || (a != a && b != b)) continue;
      double d = rel(a, b);
      if (d > worst) worst = d;
      cr_assert_lt(d, tol, "model %zu %s: %.17g vs %.17g", m + 1, mi->name, a,
                   b);
    }
  }
  cr_log_info("SimGrid vs ideal time-slicing: largest relative difference "
              "%.3g",
              worst);
  kv_mm_result_free(&id);
  child_free(&o);
  kv_workload_free(&w[0]);
  kv_workload_free(&w[1]);
}

Test(multimodel_sim, one_model_through_the_driver_equals_a_plain_simgrid_run) {
  kv_workload w;
  burst(&w, 200, 40, 0, 8000, 7);
  kv_mm_model m;
  model_cfg(&m, &llama, &w);
  m.engine.strategy = &kv_strategy_vmm;
  kv_mm_spec sp;
  spec_of(&sp, &m, 1, KV_MM_STATIC, 1);
  child_out a, b;
  in_child(mm_fn, &sp, &a);
  cr_assert_eq(a.s, KV_OK, "%s", a.err.msg);
  kv_engine_cfg c = m.engine;
  c.platform = &h100;
  in_child(one_fn, &c, &b);
  cr_assert_eq(b.s, KV_OK, "%s", b.err.msg);
  const kv_result *x = &a.res[0], *y = &b.res[0];
  cr_assert_eq(memcmp(&x->summary, &y->summary, sizeof x->summary), 0,
               "summaries differ");
  cr_assert_eq(x->n_requests, y->n_requests);
  cr_assert_eq(
      memcmp(x->requests, y->requests, x->n_requests * sizeof *x->requests), 0);
  cr_assert_eq(x->timeline.n, y->timeline.n);
  cr_assert_gt(x->timeline.n, 10);
  cr_assert_eq(memcmp(x->timeline.s, y->timeline.s,
                      x->timeline.n * sizeof *x->timeline.s),
               0, "timelines differ");
  /* the one difference: the backend's description says it time-slices */
  cr_assert_eq(strncmp(x->backend, y->backend, strlen(y->backend)), 0);
  cr_assert_str_eq(x->backend + strlen(y->backend),
                   "; gpu time-sliced among models");
  child_free(&a);
  child_free(&b);
  kv_workload_free(&w);
}

Test(multimodel_sim, the_same_inputs_give_byte_identical_results) {
  kv_workload w[2];
  kv_mm_model mods[2];
  two_models(w, mods);
  kv_mm_spec sp;
  spec_of(&sp, mods, 2, KV_MM_ELASTIC, 1);
  child_out a, b;
  in_child(mm_fn, &sp, &a);
  in_child(mm_fn, &sp, &b);
  cr_assert_eq(a.s, KV_OK, "%s", a.err.msg);
  cr_assert_eq(b.s, KV_OK, "%s", b.err.msg);
  cr_assert_eq(memcmp(a.extra, b.extra, sizeof a.extra), 0);
  size_t la, lb;
  unsigned char *ea = kv_results_encode(a.res, a.n, &la);
  unsigned char *eb = kv_results_encode(b.res, b.n, &lb);
  cr_assert_eq(la, lb);
  cr_assert_eq(memcmp(ea, eb, la), 0, "the encoded results differ");
  free(ea);
  free(eb);
  child_free(&a);
  child_free(&b);
  kv_workload_free(&w[0]);
  kv_workload_free(&w[1]);
}

static void expect_error(const kv_mm_spec *sp, const char *needle) {
  child_out o;
  in_child(mm_fn, (void *)sp, &o);
  cr_assert_neq(o.s, KV_OK);
  cr_assert(strstr(o.err.msg, needle), "'%s' not in: %s", needle, o.err.msg);
}

/* A backend that cannot share its GPU: an ideal backend has no gpu_view. */
static kv_backend *lone_create(const kv_engine_cfg *cfg, const void *o,
                               kv_error *err) {
  (void)o;
  return kv_backend_ideal_create(cfg->platform, cfg->model, 1, err);
}
static const kv_backend_desc lone_desc = {
    .version = KV_BACKEND_DESC_VERSION,
    .name = "lone",
    .create = lone_create,
};

Test(multimodel_sim, refusals_name_the_field) {
  kv_workload w[2];
  kv_mm_model mods[2];
  two_models(w, mods);
  kv_mm_spec sp;
  spec_of(&sp, mods, 2, KV_MM_ELASTIC, 1);
  mods[1].engine.tp = 2;
  expect_error(&sp, "models[2].tp");
  mods[1].engine.tp = 1;
  kv_sim_options so;
  kv_sim_options_defaults(&so);
  so.sm_copy_sms = 1000; /* more SMs than the H100 has */
  kv_backend_opts *bo = kv_sim_backend_opts(&so);
  sp.backend_opts = bo;
  expect_error(&sp, "field copy_sms");
  kv_backend_opts_free(bo);
  sp.backend_opts = NULL;
  sp.backend = &lone_desc;
  expect_error(&sp, "no gpu_view");
  kv_workload_free(&w[0]);
  kv_workload_free(&w[1]);
}

/* ---- the views themselves: one GPU clock, each model's own ---- */

typedef struct views_drive {
  kv_backend *gpu, *a, *b;
  double t[16];
  int bad_order; /* the GPU's clock moved backwards */
  kv_error err;
} views_drive;

static kv_status views_step(views_drive *d, kv_backend *v, double flops,
                            double *start, double *end) {
  kv_op_list l;
  kv_ops_init(&l, 0);
  kv_op *op = kv_ops_push(&l, KV_OP_COMPUTE, 0);
  op->flops = flops;
  op->tokens = 1;
  kv_step_time st;
  double before = d->gpu->vt->now(d->gpu);
  kv_status s = v->vt->step(v, &l, &st, &d->err);
  double after = d->gpu->vt->now(d->gpu);
  if (after < before) d->bad_order = 1;
  *end = v->vt->now(v);
  *start = *end - st.total;
  kv_ops_free(&l);
  return s;
}

static kv_status views_main(void *arg) {
  views_drive *d = arg;
  kv_status s;
  /* A steps from 0; B, ready halfway through, starts when A ends */
  if ((s = views_step(d, d->a, 4e14, &d->t[0], &d->t[1]))) return s;
  d->b->vt->idle_until(d->b, d->t[1] / 2);
  if ((s = views_step(d, d->b, 2e14, &d->t[2], &d->t[3]))) return s;
  d->t[4] = d->a->vt->now(d->a); /* A's clock stayed at its step's end */
  /* an idle wait moves the model's clock, never the GPU's */
  d->a->vt->idle_until(d->a, 10.0);
  d->t[5] = d->gpu->vt->now(d->gpu);
  if ((s = views_step(d, d->a, 4e14, &d->t[6], &d->t[7]))) return s;
  /* B's clock (5 s) is behind the GPU (10 s + A's step): it waits */
  d->b->vt->idle_until(d->b, 5.0);
  if ((s = views_step(d, d->b, 2e14, &d->t[8], &d->t[9]))) return s;
  return KV_OK;
}

/* starts are end - duration: equal up to rounding */
static int near(double a, double b) {
  return fabs(a - b) <= 1e-12 * fmax(1.0, fmax(fabs(a), fabs(b)));
}

Test(multimodel_sim, views_share_one_gpu_clock_and_keep_their_own) {
  views_drive d;
  memset(&d, 0, sizeof d);
  d.gpu = kv_backend_sim_create(&h100, &llama, 1, NULL, &d.err);
  cr_assert_not_null(d.gpu, "%s", d.err.msg);
  d.a = d.gpu->vt->gpu_view(d.gpu, &llama, &d.err);
  d.b = d.gpu->vt->gpu_view(d.gpu, &qwen, &d.err);
  cr_assert(d.a && d.b, "%s", d.err.msg);
  cr_assert_eq(d.gpu->vt->run(d.gpu, views_main, &d, &d.err), KV_OK, "%s",
               d.err.msg);
  cr_assert_eq(d.bad_order, 0, "the GPU's clock moved backwards");
  double ta = d.t[1] - d.t[0], tb = d.t[3] - d.t[2];
  cr_assert(near(d.t[0], 0.0));
  cr_assert_gt(ta, 0.0);
  cr_assert(near(d.t[2], d.t[1]), "B started at %.17g, A ended at %.17g",
            d.t[2], d.t[1]);
  cr_assert_eq(d.t[4], d.t[1]);
  cr_assert_eq(d.t[5], d.t[3], "an idle wait moved the GPU's clock");
  cr_assert(near(d.t[6], 10.0), "%.17g", d.t[6]);
  cr_assert(near(d.t[8], d.t[7]));
  cr_assert(near(d.t[9] - d.t[8], tb), "the same step took another time");
  cr_assert(near(d.t[7] - d.t[6], ta));
  d.a->vt->destroy(d.a);
  d.b->vt->destroy(d.b);
  d.gpu->vt->destroy(d.gpu);
}

/* ---- per model: a platform compute table priced for the view's model ---- */

/* The rows of tests/test_compute_table.c's tiny model (2 layers, 4 query
 * heads, 2 KV heads of 8, hidden 32, intermediate 64, vocabulary 100) that
 * its step below uses. */
static const char tiny_csv[] =
    KV_CTAB_HEADER "\n"
                   "gemm,,0,8,64,32,0,0,0,0,0,2e-5\n"
                   "gemm,,0,8,32,32,0,0,0,0,0,1e-5\n"
                   "gemm,,0,8,128,32,0,0,0,0,0,3e-5\n"
                   "gemm,,0,8,32,64,0,0,0,0,0,1.5e-5\n"
                   "gemm,,0,5,100,32,0,0,0,0,0,7e-6\n"
                   "attn_decode,contig,0,0,0,0,4,64,4,2,8,1e-5\n"
                   "attn_prefill,contig,0,0,0,0,1,4,4,2,8,3e-6\n"
                   "attn_prefill,contig,0,0,0,0,1,64,4,2,8,2.08e-4\n";

static kv_model tiny;

static kv_op tiny_step(void) {
  kv_op op;
  memset(&op, 0, sizeof op);
  op.kind = KV_OP_COMPUTE;
  op.mode = KV_ADDR_CONTIGUOUS;
  op.tokens = 8;
  op.decodes = 4;
  op.decode_keys = 256;
  op.prefill_pairs = 10;
  op.flops = 1e9;
  op.bytes = 1 << 20;
  return op;
}

typedef struct table_drive {
  kv_backend *v[2];
  kv_step_time t[2];
  kv_error err;
} table_drive;

static kv_status table_main(void *arg) {
  table_drive *d = arg;
  kv_op_list l;
  kv_ops_init(&l, 0);
  *kv_ops_push(&l, KV_OP_COMPUTE, KV_NO_REQ) = tiny_step();
  kv_status s = KV_OK;
  for (int i = 0; i < 2 && !s; i++)
    s = d->v[i]->vt->step(d->v[i], &l, &d->t[i], &d->err);
  kv_ops_free(&l);
  return s;
}

Test(multimodel_sim, a_compute_table_prices_each_view_for_its_model) {
  char path[] = "/tmp/kvsim_mmsim_ctab_XXXXXX";
  int fd = mkstemp(path);
  cr_assert_geq(fd, 0);
  cr_assert_eq(write(fd, tiny_csv, strlen(tiny_csv)),
               (ssize_t)strlen(tiny_csv));
  close(fd);
  memset(&tiny, 0, sizeof tiny);
  snprintf(tiny.name, sizeof tiny.name, "tiny");
  tiny.layers = 2;
  tiny.heads = 4;
  tiny.kv_heads = 2;
  tiny.head_dim = 8;
  tiny.hidden = 32;
  tiny.intermediate = 64;
  tiny.vocab = 100;
  tiny.dtype_bytes = 2;
  tiny.max_context = 4096;
  tiny.params = tiny.active_params = 1e4;
  tiny.weight_bytes = 2;
  static kv_platform p;
  p = h100;
  snprintf(p.compute_table, sizeof p.compute_table, "%s", path);
  static table_drive d;
  memset(&d, 0, sizeof d);
  /* the GPU's backend is made for llama (as the driver makes it for the
   * first model); the table covers only tiny */
  kv_backend *gpu = kv_backend_sim_create(&p, &llama, 1, NULL, &d.err);
  cr_assert_not_null(gpu, "%s", d.err.msg);
  d.v[0] = gpu->vt->gpu_view(gpu, &tiny, &d.err);
  d.v[1] = gpu->vt->gpu_view(gpu, &llama, &d.err);
  cr_assert(d.v[0] && d.v[1], "%s", d.err.msg);
  cr_assert_eq(gpu->vt->run(gpu, table_main, &d, &d.err), KV_OK, "%s",
               d.err.msg);
  kv_ctab *t = NULL;
  const char *paths[] = {path};
  cr_assert_eq(kv_ctab_load(paths, 1, &t, &d.err), KV_OK, "%s", d.err.msg);
  kv_op op = tiny_step();
  double want = kv_ctab_step_time(t, &tiny, 1, &op, &p, NULL);
  cr_assert_gt(want, 0);
  cr_assert_eq(d.t[0].compute_table, 1,
               "tiny's step was not priced by "
               "the table");
  cr_assert(near(d.t[0].compute, want), "%.17g want %.17g", d.t[0].compute,
            want);
  /* llama's step, the same op, priced for llama's shapes */
  double want_llama = kv_ctab_step_time(t, &llama, 1, &op, &p, NULL);
  cr_assert_neq(want_llama, want);
  if (want_llama >= 0)
    cr_assert(near(d.t[1].compute, want_llama), "%.17g want %.17g",
              d.t[1].compute, want_llama);
  else
    cr_assert_eq(d.t[1].compute_table, 0);
  cr_log_info("table: tiny %.9g s, llama %.9g s (table %d)", d.t[0].compute,
              d.t[1].compute, d.t[1].compute_table);
  kv_ctab_free(t);
  d.v[0]->vt->destroy(d.v[0]);
  d.v[1]->vt->destroy(d.v[1]);
  gpu->vt->destroy(gpu);
  unlink(path);
}

/* ---- kv.run{ models = , backend = "simgrid" } ---- */

static const char *lua_two_models =
    "local kv = require 'kvsim'\n"
    "local function w(seed, phase) return kv.workload{ synthetic = {\n"
    "  rate = 20, duration = 40, prompt = 3000, output = 200 }, seed = seed,\n"
    "  on_off = { period = 20, on = 10, phase = phase } } end\n"
    "local w1, w2 = w(4, 0), w(5, 10)\n"
    "local function run(be, extra)\n"
    "  local t = { platform = 'h100-sxm-80gb', memory = 'elastic', check = 2,\n"
    "    backend = be, models = {\n"
    "      { model = 'llama-3-8b', workload = w1, max_context = 8192,\n"
    "        strategy = 'vmm' },\n"
    "      { model = 'qwen2.5-7b', workload = w2, max_context = 8192,\n"
    "        strategy = 'vmm' } } }\n"
    "  for k, v in pairs(extra or {}) do t[k] = v end\n"
    "  return kv.run(t)\n"
    "end\n";

static lua_State *lua_with_simgrid(void) {
  lua_State *L = luaL_newstate();
  cr_assert(L);
  luaL_openlibs(L);
  kv_lua_openlibs(L, NULL);
  static const kv_lua_backend both[] = {{"ideal", &kv_backend_ideal_desc},
                                        {"simgrid", &kv_sim_backend_desc}};
  kv_lua_set_backends(L, both, 2, "ideal");
  return L;
}

static void lua_do(lua_State *L, const char *body, int nres) {
  char code[4096];
  snprintf(code, sizeof code, "%s%s", lua_two_models, body);
  if (luaL_loadbuffer(L, code, strlen(code), "=test") != LUA_OK ||
      lua_pcall(L, 0, nres, 0) != LUA_OK)
    cr_assert_fail("Lua error: %s", lua_tostring(L, -1));
}

Test(multimodel_sim, lua_runs_the_models_on_simgrid_in_a_child) {
  lua_State *L = lua_with_simgrid();
  /* twice on SimGrid in one process (each in a forked child), equal to
   * each other; the vmm strategy's steps price as on the ideal backend */
  lua_do(
      L,
      "local a, b, i = run('simgrid'), run('simgrid'), run('ideal')\n"
      "local same, near = true, true\n"
      "for m = 1, 2 do\n"
      "  local x, y, z = a.models[m].summary, b.models[m].summary,\n"
      "                  i.models[m].summary\n"
      "  for k, v in pairs(x) do\n"
      "    if type(v) == 'number' and v == v then\n"
      "      same = same and v == y[k]\n"
      "      near = near and math.abs(v - z[k]) <= 1e-9 * math.abs(v)\n"
      "    end\n"
      "  end\n"
      "end\n"
      "return a.backend, a.models[1].backend, a.models[2].summary.completed,\n"
      "  #w2, same, near, a.span == b.span, #a.memory_timeline.t,\n"
      "  a.models[1].backend_config\n",
      9);
  cr_assert_str_eq(lua_tostring(L, 1), "simgrid");
  cr_assert_str_eq(lua_tostring(L, 2), "simgrid");
  cr_assert_eq(lua_tointeger(L, 3), lua_tointeger(L, 4));
  cr_assert(lua_toboolean(L, 5), "two SimGrid runs differ");
  cr_assert(lua_toboolean(L, 6), "SimGrid and ideal differ");
  cr_assert(lua_toboolean(L, 7));
  cr_assert_gt(lua_tointeger(L, 8), 10);
  cr_assert(strstr(lua_tostring(L, 9), "time-sliced"), "%s",
            lua_tostring(L, 9));
  lua_close(L);
}

Test(multimodel_sim, lua_refusals_name_the_field) {
  lua_State *L = lua_with_simgrid();
  struct {
    const char *body, *needle;
  } cases[] = {
      {"run('simgrid', { copy_sms = 1000 })", "copy_sms"},
      {"run('simgrid', { copy_order = 'sideways' })", "copy_order"},
      {"kv.run{ platform = 'h100-sxm-80gb', backend = 'simgrid', models = {\n"
       "  { model = 'llama-3-8b', workload = w1, backend = 'simgrid' } } }",
       "field 'backend': give the backend once"},
      {"kv.run{ platform = 'h100-sxm-80gb', backend = 'simgrid', models = {\n"
       "  { model = 'llama-3-8b', workload = w1, tp = 2 } } }",
       "models[1].tp"},
      {"kv.run{ platform = 'h100-sxm-80gb', backend = 'simgrid', models = {\n"
       "  { model = 'llama-3-8b', workload = w1, copy_order = 'stream' } } }",
       "field 'copy_order': a backend option: give it once"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char code[4096];
    snprintf(code, sizeof code, "%s%s\n", lua_two_models, cases[i].body);
    cr_assert_eq(luaL_loadbuffer(L, code, strlen(code), "=test"), LUA_OK);
    cr_assert_neq(lua_pcall(L, 0, 0, 0), LUA_OK, "case %zu ran", i);
    const char *msg = lua_tostring(L, -1);
    cr_assert(strstr(msg, cases[i].needle), "case %zu: '%s' not in: %s", i,
              cases[i].needle, msg);
    lua_pop(L, 1);
  }
  lua_close(L);
}

#else
Test(multimodel_sim, skipped_without_simgrid) {
  cr_skip("built without SimGrid");
}
#endif

/* kvcached's layout (paged blocks over the pool, the elastic default) on
 * SimGrid: every request completes, the pool checked every step (check =
 * 2), and its map-ahead runs as background work there too. */
Test(multimodel_sim, paged_over_the_pool_runs_on_simgrid) {
  lua_State *L = lua_with_simgrid();
  lua_do(L,
         "local t = { platform = 'h100-sxm-80gb', memory = 'elastic',\n"
         "  check = 2, backend = 'simgrid', models = {\n"
         "    { model = 'llama-3-8b', workload = w1, max_context = 8192 },\n"
         "    { model = 'qwen2.5-7b', workload = w2, max_context = 8192 } } }\n"
         "local r = kv.run(t)\n"
         "local m1, m2 = r.models[1].summary, r.models[2].summary\n"
         "return m1.completed + m2.completed, #w1 + #w2,\n"
         "  m1.driver_time_hidden + m2.driver_time_hidden\n",
         3);
  cr_expect_eq(lua_tointeger(L, 1), lua_tointeger(L, 2));
  cr_expect_gt(lua_tonumber(L, 3), 0, "map-ahead in the background");
  lua_close(L);
}
