/* test_multimodel.c - several models on one GPU (core/engine/multimodel.h): the
 * shared page pool's invariants (with a corrupted pool caught), elastic
 * memory lending a bursting model more than its static share, conservation
 * checked every step, static shares summing to the KV memory, one model
 * through the multi-model path equal to kv_engine_run, and bad input. */
#include <criterion/criterion.h>
#include <string.h>

#include "engine.h"
#include "mempool.h"
#include "multimodel.h"
#include "multimodel_testutil.h"
#include "strategy.h"

static kv_model llama, qwen, big;
static kv_platform h100;

static void setup(void) {
  kv_error err;
  cr_assert_eq(kv_model_preset("llama-3-8b", &llama, &err), KV_OK, "%s",
               err.msg);
  cr_assert_eq(kv_model_preset("qwen2.5-7b", &qwen, &err), KV_OK, "%s",
               err.msg);
  cr_assert_eq(kv_model_preset("llama-3-70b", &big, &err), KV_OK, "%s",
               err.msg);
  cr_assert_eq(kv_platform_preset("h100-sxm-80gb", &h100, &err), KV_OK, "%s",
               err.msg);
}

TestSuite(multimodel, .init = setup);

static void spec_of(kv_mm_spec *sp, kv_mm_model *models, size_t n,
                    kv_mm_memory mem) {
  kv_mm_spec_defaults(sp);
  sp->models = models;
  sp->n = n;
  sp->platform = &h100;
  sp->memory = mem;
  sp->check_level = 2;
}

Test(multimodel, pool_take_give_conserves_pages_and_names_owners) {
  kv_error err;
  kv_mempool *p = kv_mempool_create(64ull << 20, 2ull << 20, 2, &err);
  cr_assert_not_null(p, "%s", err.msg);
  cr_assert_eq(p->total, 32);
  uint32_t a[20], b[20];
  cr_assert(kv_mempool_take(p, 0, 20, a));
  cr_assert_not(kv_mempool_take(p, 1, 13, b), "only 12 pages are free");
  cr_assert_eq(p->held[1], 0, "a refused take takes nothing");
  cr_assert(kv_mempool_take(p, 1, 12, b));
  cr_assert_eq(kv_mempool_is_valid(p, &err), KV_OK, "%s", err.msg);
  for (int i = 0; i < 20; i++)
    for (int j = 0; j < 12; j++)
      cr_assert_neq(a[i], b[j], "page %u handed to both models", a[i]);
  kv_mempool_give(p, 0, a[0]);
  cr_assert_eq(p->n_free + p->held[0] + p->held[1], p->total);
  cr_assert_eq(p->peak[0], 20);
  kv_mempool_free(p);
}

Test(multimodel, pool_check_catches_a_page_in_two_models) {
  kv_error err;
  kv_mempool *p = kv_mempool_create(16ull << 20, 2ull << 20, 2, &err);
  uint32_t a[4];
  cr_assert(kv_mempool_take(p, 0, 4, a));
  p->owner[a[0]] = 1; /* corrupt: model 1 now claims model 0's page */
  cr_assert_eq(kv_mempool_is_valid(p, &err), KV_EINTERNAL);
  cr_assert(strstr(err.msg, "model"), "%s", err.msg);
  p->owner[a[0]] = 0;
  cr_assert_eq(kv_mempool_is_valid(p, &err), KV_OK, "%s", err.msg);
  kv_mempool_give(p, 1, a[1]); /* not model 1's page */
  cr_assert_eq(kv_mempool_is_valid(p, &err), KV_EINTERNAL);
  kv_mempool_free(p);
}

/* Two models with bursts disjoint in time: under elastic memory the first
 * holds more than its static share at its peak, and everything completes
 * with conservation and ownership checked after every step. */
static void run_disjoint(kv_mm_memory mem, kv_mm_result *r) {
  kv_workload w0, w1;
  burst(&w0, 120, 60, 0, 6000, 1);
  burst(&w1, 120, 60, 60, 6000, 2);
  kv_mm_model m[2];
  model_cfg(&m[0], &llama, &w0);
  model_cfg(&m[1], &qwen, &w1);
  kv_mm_spec sp;
  spec_of(&sp, m, 2, mem);
  kv_error err;
  cr_assert_eq(kv_mm_run(&sp, r, &err), KV_OK, "%s", err.msg);
  for (size_t i = 0; i < 2; i++)
    cr_assert_eq(r->models[i].summary.completed, 120, "model %zu: %g done", i,
                 r->models[i].summary.completed);
  kv_workload_free(&w0);
  kv_workload_free(&w1);
}

Test(multimodel, elastic_lends_a_bursting_model_more_than_its_static_share) {
  kv_mm_result r;
  run_disjoint(KV_MM_ELASTIC, &r);
  cr_assert_gt(r.peak[0], (double)r.share[0], "peak %.3g GB <= share %.3g GB",
               r.peak[0] / 1e9, (double)r.share[0] / 1e9);
  cr_assert_gt(r.peak[1], (double)r.share[1]);
  kv_mm_result st;
  run_disjoint(KV_MM_STATIC, &st);
  cr_assert_leq(st.peak[0], (double)st.share[0]);
  cr_assert_lt(r.models[0].summary.ttft_p90, st.models[0].summary.ttft_p90,
               "elastic p90 TTFT %g s not below static %g s",
               r.models[0].summary.ttft_p90, st.models[0].summary.ttft_p90);
  kv_mm_result_free(&r);
  kv_mm_result_free(&st);
}

Test(multimodel, indirect_slabs_from_the_pool_go_back_when_a_model_is_idle) {
  kv_mm_result r;
  run_disjoint(KV_MM_INDIRECT, &r);
  cr_assert_gt(r.peak[0], (double)r.share[0]);
  /* model 1 is idle before its burst and model 0 after its own: slabs
     dropped when idle leave them holding nothing most of the run */
  cr_assert_lt(r.idle_held[0] + r.idle_held[1], 0.05 * (double)r.pool_bytes,
               "idle models hold %.3g GB",
               (r.idle_held[0] + r.idle_held[1]) / 1e9);
  kv_mm_result_free(&r);
}

Test(multimodel, overlapping_bursts_preempt_across_models_and_complete) {
  kv_workload w0, w1;
  burst(&w0, 150, 200, 0, 7000, 3);
  /* model 1's burst comes while model 0's fills the pool (its start moves
   * with how fast the steps are priced) */
  burst(&w1, 150, 200, 10, 7000, 4);
  kv_mm_model m[2];
  model_cfg(&m[0], &llama, &w0);
  model_cfg(&m[1], &qwen, &w1);
  m[0].share = 1; /* model 0's fair share is small: it is the victim */
  m[1].share = 3;
  /* vmm over the pool (per-request 2 MiB pages fill it; kvcached's paged
     blocks need a heavier load: elastic_paged_preempts_across_models) */
  m[0].engine.strategy = m[1].engine.strategy = &kv_strategy_vmm;
  kv_mm_spec sp;
  spec_of(&sp, m, 2, KV_MM_ELASTIC);
  kv_mm_result r;
  kv_error err;
  cr_assert_eq(kv_mm_run(&sp, &r, &err), KV_OK, "%s", err.msg);
  cr_assert_gt(r.cross_preemptions, 0);
  for (size_t i = 0; i < 2; i++)
    cr_assert_eq(r.models[i].summary.completed, 150);
  kv_mm_result_free(&r);
  kv_workload_free(&w0);
  kv_workload_free(&w1);
}

Test(multimodel, static_shares_sum_to_the_kv_memory) {
  kv_workload w0, w1;
  burst(&w0, 10, 10, 0, 2000, 5);
  burst(&w1, 10, 10, 0, 2000, 6);
  kv_mm_model m[2];
  model_cfg(&m[0], &llama, &w0);
  model_cfg(&m[1], &qwen, &w1);
  m[0].share = 1;
  m[1].share = 2;
  kv_mm_spec sp;
  spec_of(&sp, m, 2, KV_MM_STATIC);
  kv_mm_result r;
  kv_error err;
  cr_assert_eq(kv_mm_run(&sp, &r, &err), KV_OK, "%s", err.msg);
  cr_assert_eq(r.share[0] + r.share[1], r.kv_bytes);
  cr_assert_eq(r.models[0].summary.capacity, (double)r.share[0]);
  cr_assert_eq(r.models[1].summary.capacity, (double)r.share[1]);
  double ratio = (double)r.share[1] / (double)r.share[0];
  cr_assert_float_eq(ratio, 2.0, 1e-6);
  double usable = 0.9 * (double)h100.hbm_bytes;
  cr_assert_lt((double)r.kv_bytes, usable - kv_model_weight_bytes(&llama) -
                                       kv_model_weight_bytes(&qwen) + 1);
  kv_mm_result_free(&r);
  kv_workload_free(&w0);
  kv_workload_free(&w1);
}

Test(multimodel, one_model_through_the_driver_equals_kv_engine_run) {
  kv_workload w;
  burst(&w, 200, 40, 0, 8000, 7);
  kv_mm_model m;
  model_cfg(&m, &llama, &w);
  m.engine.strategy = &kv_strategy_vmm;
  kv_mm_spec sp;
  spec_of(&sp, &m, 1, KV_MM_STATIC);
  kv_mm_result r;
  kv_error err;
  cr_assert_eq(kv_mm_run(&sp, &r, &err), KV_OK, "%s", err.msg);
  kv_engine_cfg c = m.engine;
  c.platform = &h100;
  kv_result one;
  cr_assert_eq(kv_engine_run(&c, &one, &err), KV_OK, "%s", err.msg);
  for (size_t i = 0; i < kv_summary_info_n; i++) {
    const kv_metric_info *mi = &kv_summary_info[i];
    double a = *kv_metric_at(&one.summary, mi);
    double b = *kv_metric_at(&r.models[0].summary, mi);
    cr_assert(a == b || (a != a && b != b), "%s: %.17g vs %.17g", mi->name, a,
              b);
  }
  cr_assert_eq(one.n_requests, r.models[0].n_requests);
  cr_assert_eq(memcmp(one.requests, r.models[0].requests,
                      one.n_requests * sizeof *one.requests),
               0);
  cr_assert_eq(one.timeline.n, r.models[0].timeline.n);
  cr_assert_gt(one.timeline.n, 10);
  cr_assert_eq(memcmp(one.timeline.s, r.models[0].timeline.s,
                      one.timeline.n * sizeof *one.timeline.s),
               0, "timelines differ");
  kv_result_free(&one);
  kv_mm_result_free(&r);
  kv_workload_free(&w);
}

static void expect_error(kv_mm_spec *sp, kv_status code, const char *needle) {
  kv_mm_result r;
  kv_error err = {0};
  cr_assert_eq(kv_mm_run(sp, &r, &err), code, "%s", err.msg);
  cr_assert(strstr(err.msg, needle), "'%s' not in: %s", needle, err.msg);
}

Test(multimodel, weights_that_do_not_fit_name_the_models) {
  kv_workload w;
  burst(&w, 5, 10, 0, 1000, 8);
  kv_mm_model m[2];
  model_cfg(&m[0], &big, &w);
  model_cfg(&m[1], &llama, &w);
  kv_mm_spec sp;
  spec_of(&sp, m, 2, KV_MM_ELASTIC);
  expect_error(&sp, KV_ENOMEM, "llama-3-70b");
  expect_error(&sp, KV_ENOMEM, "llama-3-8b");
  kv_workload_free(&w);
}

Test(multimodel, empty_list_unknown_mode_and_bad_share_are_errors) {
  kv_workload w;
  burst(&w, 5, 10, 0, 1000, 9);
  kv_mm_model m[2];
  model_cfg(&m[0], &llama, &w);
  model_cfg(&m[1], &qwen, &w);
  kv_mm_spec sp;
  spec_of(&sp, m, 0, KV_MM_STATIC);
  expect_error(&sp, KV_EINVAL, "models");
  spec_of(&sp, m, 2, (kv_mm_memory)7);
  expect_error(&sp, KV_EINVAL, "memory");
  spec_of(&sp, m, 2, KV_MM_STATIC);
  m[0].share = 1; /* one share given, not the other */
  expect_error(&sp, KV_EINVAL, "share");
  m[0].share = 0;
  m[1].engine.strategy = &kv_strategy_static; /* elastic: paged or vmm */
  spec_of(&sp, m, 2, KV_MM_ELASTIC);
  expect_error(&sp, KV_EINVAL, "models[2].strategy");
  kv_workload_free(&w);
}

/* ---- property: strategies of several models drawing from one pool ---- */

typedef struct pool_user {
  const kv_strategy_vt *vt;
  void *st;
  kv_strategy_cfg cfg;
  uint64_t tokens[32];
} pool_user;

static uint64_t next_rand(uint64_t *x) {
  *x ^= *x << 13;
  *x ^= *x >> 7;
  *x ^= *x << 17;
  return *x;
}

static void avail(const pool_user *u, uint64_t *out) {
  kv_mem_stats ms;
  u->vt->stats(u->st, 0, &ms);
  *out = ms.free + ms.reusable;
}

/* What random_pool_ops saw. */
typedef struct op_counts {
  int refused, granted, unmaps;
} op_counts;

static uint64_t vmm_calls(const kv_op_list *ops, kv_op_kind kind, bool *bg);

/* 4,000 random reserves (growth, and with `shrink` halvings) and releases
 * on n users of pool p: after every operation each strategy and the pool
 * are valid (no page in two models, conservation), a refused reservation
 * changes nothing, and reserve_need says exactly what a reservation took
 * from the memory free for admission. */
static op_counts random_pool_ops(pool_user *u, int n, kv_mempool *p, uint64_t x,
                                 bool shrink) {
  op_counts c = {0, 0, 0};
  kv_error err;
  for (int step = 0; step < 4000; step++) {
    pool_user *q = &u[next_rand(&x) % (uint64_t)n];
    uint32_t id = (uint32_t)(next_rand(&x) % 32);
    uint64_t r = next_rand(&x) % 10;
    kv_op_list ops;
    kv_ops_init(&ops, 1);
    if (r < 3 && q->tokens[id]) {
      q->vt->release(q->st, id, &ops);
      q->tokens[id] = 0;
    } else {
      uint64_t want = q->tokens[id] + 1 + next_rand(&x) % 3000;
      if (want > 8192) want = 8192;
      if (shrink && r == 3 && q->tokens[id] > 1) want = q->tokens[id] / 2;
      uint64_t need = q->vt->reserve_need(q->st, id, want), a0, a1;
      uint32_t free0 = kv_mempool_free_pages(p);
      avail(q, &a0);
      kv_status s = q->vt->reserve(q->st, id, want, &ops);
      avail(q, &a1);
      if (s == KV_OK) {
        c.granted++;
        q->tokens[id] = want;
        cr_assert_eq(need, a0 > a1 ? a0 - a1 : 0,
                     "step %d: reserve_need %llu, took %llu", step,
                     (unsigned long long)need,
                     (unsigned long long)(a0 > a1 ? a0 - a1 : 0));
      } else {
        c.refused++;
        cr_assert_eq(s, KV_ENOMEM, "step %d: status %d", step, s);
        cr_assert_eq(need, UINT64_MAX, "step %d: need said it fits", step);
        cr_assert_eq(kv_mempool_free_pages(p), free0, "refused but took");
        cr_assert_eq(ops.n, 0, "refused but emitted ops");
      }
    }
    c.unmaps += vmm_calls(&ops, KV_OP_VMM_UNMAP, NULL) > 0;
    kv_ops_free(&ops);
    for (int m = 0; m < n; m++)
      cr_assert_eq(u[m].vt->is_valid(u[m].st, &err), KV_OK,
                   "step %d model %d: %s", step, m, err.msg);
    cr_assert_eq(kv_mempool_is_valid(p, &err), KV_OK, "step %d: %s", step,
                 err.msg);
  }
  return c;
}

/* Release every request of n users and destroy their strategies. */
static void release_all(pool_user *u, int n) {
  for (int m = 0; m < n; m++) {
    kv_op_list ops;
    kv_ops_init(&ops, 1);
    for (uint32_t id = 0; id < 32; id++)
      if (u[m].tokens[id]) u[m].vt->release(u[m].st, id, &ops);
    u[m].vt->destroy(u[m].st, &ops);
    kv_ops_free(&ops);
  }
}

/* Random grow / shrink / release on three models (two vmm layouts and
 * indirect) sharing a small pool: after every operation each strategy and
 * the pool are valid (no page in two models, conservation), a refused
 * reservation changes nothing, and reserve_need says exactly what a
 * reservation took from the memory free for admission. */
Test(multimodel, random_ops_on_a_shared_pool_keep_every_invariant) {
  kv_error err;
  kv_mempool *p = kv_mempool_create(12ull << 30, 2ull << 20, 3, &err);
  cr_assert_not_null(p, "%s", err.msg);
  pool_user u[3];
  const kv_strategy_vt *vts[3] = {&kv_strategy_vmm, &kv_strategy_vmm,
                                  &kv_strategy_indirect};
  for (uint32_t m = 0; m < 3; m++) {
    memset(&u[m], 0, sizeof u[m]);
    u[m].vt = vts[m];
    kv_strategy_cfg_defaults(&u[m].cfg);
    u[m].cfg.model = m == 1 ? &qwen : &llama;
    u[m].cfg.capacity_bytes = (uint64_t)p->total * p->page_bytes;
    u[m].cfg.max_requests = 32;
    u[m].cfg.max_context = 8192;
    u[m].cfg.vmm_layout = m == 1 ? KV_VMM_ALL_LAYERS : KV_VMM_PER_LAYER;
    u[m].cfg.slab_bytes = 32ull << 20;
    u[m].cfg.pool = p;
    u[m].cfg.pool_model = m;
    kv_op_list ops;
    kv_ops_init(&ops, 1);
    cr_assert_eq(u[m].vt->create(&u[m].cfg, &u[m].st, &ops, &err), KV_OK, "%s",
                 err.msg);
    kv_ops_free(&ops);
  }
  op_counts n = random_pool_ops(u, 3, p, 0x9e3779b97f4a7c15ull, true);
  cr_assert_gt(n.refused, 100, "the pool ran out %d times: a weak test",
               n.refused);
  cr_assert_gt(n.granted, 1000, "granted %d, refused %d", n.granted, n.refused);
  release_all(u, 3);
  cr_assert_eq(kv_mempool_free_pages(p), p->total, "pages leaked");
  kv_mempool_free(p);
}

/* A small pool and overlapping bursts: a model whose first request finds
 * the pool held by the other waits for its pages instead of rejecting the
 * request, in every memory mode. */
Test(multimodel, a_model_waits_for_pool_pages_instead_of_rejecting) {
  kv_workload w0, w1;
  burst(&w0, 100, 100, 0, 7000, 11);
  burst(&w1, 100, 100, 0.5, 7000, 12);
  for (int mem = KV_MM_ELASTIC; mem <= KV_MM_INDIRECT; mem++) {
    kv_mm_model m[2];
    model_cfg(&m[0], &llama, &w0);
    model_cfg(&m[1], &qwen, &w1);
    kv_mm_spec sp;
    spec_of(&sp, m, 2, (kv_mm_memory)mem);
    sp.gpu_mem_util = 0.45;
    kv_mm_result r;
    kv_error err;
    cr_assert_eq(kv_mm_run(&sp, &r, &err), KV_OK, "%s", err.msg);
    for (size_t i = 0; i < 2; i++) {
      cr_assert_eq(r.models[i].summary.rejected, 0, "%s model %zu: %g rejected",
                   kv_mm_memory_names[mem], i, r.models[i].summary.rejected);
      cr_assert_eq(r.models[i].summary.completed, 100);
    }
    kv_mm_result_free(&r);
  }
  kv_workload_free(&w0);
  kv_workload_free(&w1);
}

/* A policy of the caller's is asked when the pool runs out, and what it
 * picks is preempted. */
static int asked;
static kv_status always_model0(void *ud, const kv_mm_view *v, uint32_t *victim,
                               kv_error *err) {
  (void)ud;
  (void)err;
  asked++;
  cr_assert_lt(v->requester, v->n);
  cr_assert_eq(v->n, 2);
  *victim = 0;
  return KV_OK;
}

Test(multimodel, a_custom_policy_chooses_the_victim) {
  kv_workload w0, w1;
  burst(&w0, 150, 200, 0, 7000, 3);
  /* model 1's burst comes while model 0's fills the pool (its start moves
   * with how fast the steps are priced) */
  burst(&w1, 150, 200, 16, 7000, 4);
  kv_mm_model m[2];
  model_cfg(&m[0], &llama, &w0);
  model_cfg(&m[1], &qwen, &w1);
  m[0].engine.strategy = m[1].engine.strategy = &kv_strategy_vmm;
  kv_mm_policy pol = {.name = "model 0", .victim = always_model0};
  kv_mm_spec sp;
  spec_of(&sp, m, 2, KV_MM_ELASTIC);
  sp.policy = &pol;
  asked = 0;
  kv_mm_result r;
  kv_error err;
  cr_assert_eq(kv_mm_run(&sp, &r, &err), KV_OK, "%s", err.msg);
  cr_assert_gt(asked, 0);
  cr_assert_gt(r.cross_preemptions, 0);
  cr_assert_eq(r.models[1].summary.preemptions, 0,
               "model 1 is never the victim, and never preempts itself "
               "while model 0 runs");
  kv_mm_result_free(&r);
  kv_workload_free(&w0);
  kv_workload_free(&w1);
}

/* ---- paged over the shared pool (kvcached: memory = "elastic") ---- */

/* A paged strategy of `model` over pool p as model index m. */
static void *paged_on_pool(kv_strategy_cfg *c, const kv_model *model,
                           kv_mempool *p, uint32_t m, uint32_t spare,
                           uint32_t prealloc) {
  kv_strategy_cfg_defaults(c);
  c->model = model;
  c->capacity_bytes = (uint64_t)p->total * p->page_bytes;
  c->max_requests = 32;
  c->max_context = 8192;
  c->pool = p;
  c->pool_model = m;
  c->pool_spare = spare;
  c->pool_prealloc = prealloc;
  kv_error err;
  kv_op_list ops;
  kv_ops_init(&ops, 1);
  void *st = NULL;
  cr_assert_eq(kv_strategy_paged.create(c, &st, &ops, &err), KV_OK, "%s",
               err.msg);
  kv_ops_free(&ops);
  return st;
}

/* Driver calls of `kind` among ops, and whether any was in the background. */
static uint64_t vmm_calls(const kv_op_list *ops, kv_op_kind kind, bool *bg) {
  uint64_t n = 0;
  for (size_t i = 0; i < ops->n; i++)
    if (ops->ops[i].kind == kind) {
      n += ops->ops[i].count;
      if (bg && (ops->ops[i].flags & KV_OPF_BACKGROUND)) *bg = true;
    }
  return n;
}

static void expect_valid(void *st, const kv_mempool *p) {
  kv_error err;
  cr_assert_eq(kv_strategy_paged.is_valid(st, &err), KV_OK, "%s", err.msg);
  cr_assert_eq(kv_mempool_is_valid(p, &err), KV_OK, "%s", err.msg);
}

Test(multimodel, paged_over_the_pool_maps_one_page_group_per_1024_tokens) {
  kv_error err;
  kv_mempool *p = kv_mempool_create(8ull << 30, 2ull << 20, 2, &err);
  cr_assert_not_null(p, "%s", err.msg);
  kv_strategy_cfg c;
  void *st = paged_on_pool(&c, &llama, p, 0, 0, 0);
  /* llama-3-8b: 32 layers x (K, V) = 64 pages a group; a block of 16
     tokens is 32 KiB per tensor, so a 2 MiB page holds 64 blocks */
  uint32_t gpages = 2 * llama.layers;
  cr_assert_eq(p->held[0], 0, "nothing mapped before a request");
  kv_op_list ops;
  kv_ops_init(&ops, 1);
  cr_assert_eq(kv_strategy_paged.reserve(st, 0, 100, &ops), KV_OK);
  cr_assert_eq(p->held[0], gpages,
               "a short request maps one group (%u "
               "pages), not the pool: %u",
               gpages, p->held[0]);
  cr_assert_eq(vmm_calls(&ops, KV_OP_VMM_CREATE, NULL), gpages);
  cr_assert_eq(vmm_calls(&ops, KV_OP_VMM_MAP, NULL), gpages);
  cr_assert_eq(vmm_calls(&ops, KV_OP_VMM_SET_ACCESS, NULL), gpages);
  expect_valid(st, p);
  kv_ops_clear(&ops);
  /* a second request shares the mapped group: no driver call */
  cr_assert_eq(kv_strategy_paged.reserve(st, 1, 900, &ops), KV_OK);
  cr_assert_eq(p->held[0], gpages);
  cr_assert_eq(vmm_calls(&ops, KV_OP_VMM_MAP, NULL), 0);
  /* 100 + 900 tokens = 7 + 57 blocks fill the 64; one more maps a group */
  cr_assert_eq(kv_strategy_paged.reserve(st, 1, 1000, &ops), KV_OK);
  cr_assert_eq(p->held[0], 2 * gpages);
  expect_valid(st, p);
  kv_ops_clear(&ops);
  kv_strategy_paged.release(st, 1, &ops); /* no spares: group 2 unmapped */
  cr_assert_eq(p->held[0], gpages);
  cr_assert_eq(vmm_calls(&ops, KV_OP_VMM_UNMAP, NULL), gpages);
  cr_assert_eq(vmm_calls(&ops, KV_OP_VMM_RELEASE, NULL), gpages);
  kv_strategy_paged.release(st, 0, &ops);
  cr_assert_eq(p->held[0], 0, "every group back in the pool");
  expect_valid(st, p);
  kv_ops_free(&ops);
  kv_strategy_paged.destroy(st, NULL);
  cr_assert_eq(kv_mempool_free_pages(p), p->total);
  kv_mempool_free(p);
}

Test(multimodel, paged_over_the_pool_unmaps_empty_groups_beyond_its_spares) {
  kv_error err;
  kv_mempool *p = kv_mempool_create(8ull << 30, 2ull << 20, 1, &err);
  kv_strategy_cfg c;
  void *st = paged_on_pool(&c, &llama, p, 0, 2, 0);
  uint32_t gpages = 2 * llama.layers;
  kv_op_list ops;
  kv_ops_init(&ops, 1);
  for (uint32_t q = 0; q < 4; q++) /* 1024 tokens: exactly one group each */
    cr_assert_eq(kv_strategy_paged.reserve(st, q, 1024, &ops), KV_OK);
  cr_assert_eq(p->held[0], 4 * gpages);
  kv_ops_clear(&ops);
  kv_strategy_paged.release(st, 0, &ops); /* one empty group: a spare */
  kv_strategy_paged.release(st, 1, &ops); /* two: both spares */
  cr_assert_eq(p->held[0], 4 * gpages);
  cr_assert_eq(vmm_calls(&ops, KV_OP_VMM_UNMAP, NULL), 0);
  kv_strategy_paged.release(st, 2, &ops); /* three: one beyond the spares */
  cr_assert_eq(p->held[0], 3 * gpages);
  cr_assert_eq(vmm_calls(&ops, KV_OP_VMM_UNMAP, NULL), gpages);
  expect_valid(st, p);
  /* a new request reuses a spare, lowest address first: no driver call */
  kv_ops_clear(&ops);
  cr_assert_eq(kv_strategy_paged.reserve(st, 5, 16, &ops), KV_OK);
  cr_assert_eq(vmm_calls(&ops, KV_OP_VMM_MAP, NULL), 0);
  kv_extent e;
  cr_assert_eq(kv_strategy_paged.token_map(st, 5, 0, &e, 1), 1);
  cr_assert_eq(e.addr, 0, "the lowest free block is block 0");
  kv_strategy_paged.release(st, 5, &ops);
  kv_strategy_paged.release(st, 3, &ops);
  cr_assert_eq(p->held[0], 2 * gpages, "an idle model keeps its 2 spares");
  expect_valid(st, p);
  kv_ops_free(&ops);
  kv_strategy_paged.destroy(st, NULL);
  cr_assert_eq(kv_mempool_free_pages(p), p->total);
  kv_mempool_free(p);
}

Test(multimodel, paged_over_the_pool_maps_ahead_in_the_background) {
  kv_error err;
  kv_mempool *p = kv_mempool_create(8ull << 30, 2ull << 20, 1, &err);
  kv_strategy_cfg c;
  void *st = paged_on_pool(&c, &llama, p, 0, 10, 5);
  uint32_t gpages = 2 * llama.layers;
  kv_op_list ops;
  kv_ops_init(&ops, 1);
  cr_assert_eq(kv_strategy_paged.reserve(st, 0, 100, &ops), KV_OK);
  /* one group on the critical path, 5 empty ones ahead in the background */
  cr_assert_eq(p->held[0], 6 * gpages);
  bool bg = false;
  uint64_t maps = vmm_calls(&ops, KV_OP_VMM_MAP, &bg);
  cr_assert_eq(maps, 6 * gpages);
  cr_assert(bg, "map-ahead ops are background ops");
  uint64_t critical = 0;
  for (size_t i = 0; i < ops.n; i++)
    if (ops.ops[i].kind == KV_OP_VMM_MAP &&
        !(ops.ops[i].flags & KV_OPF_BACKGROUND))
      critical += ops.ops[i].count;
  cr_assert_eq(critical, gpages);
  expect_valid(st, p);
  kv_strategy_paged.release(st, 0, &ops);
  kv_ops_free(&ops);
  kv_strategy_paged.destroy(st, NULL);
  kv_mempool_free(p);
}

/* Prefix caching over the pool: a released request's published blocks stay
 * cached and keep their group mapped (no spares here), a later request
 * attaches to them with no driver call, and when the pool is dry a
 * reservation takes the least recently used cached block. */
Test(multimodel, paged_over_the_pool_keeps_cached_prefix_groups_mapped) {
  kv_error err;
  kv_mempool *p = kv_mempool_create(8ull << 30, 2ull << 20, 1, &err);
  kv_strategy_cfg c;
  kv_strategy_cfg_defaults(&c);
  c.model = &llama;
  c.capacity_bytes = (uint64_t)p->total * p->page_bytes;
  c.max_requests = 32;
  c.max_context = 8192;
  c.pool = p;
  c.pool_spare = 0;
  c.pool_prealloc = 0;
  c.prefix_cache = true;
  void *st = NULL;
  kv_op_list ops;
  kv_ops_init(&ops, 1);
  cr_assert_eq(kv_strategy_paged.create(&c, &st, &ops, &err), KV_OK, "%s",
               err.msg);
  uint32_t gpages = 2 * llama.layers, groups = p->total / gpages;
  uint64_t keys[64];
  uint32_t fill[64];
  for (int i = 0; i < 64; i++) {
    keys[i] = 1000 + (uint64_t)i;
    fill[i] = 16;
  }
  cr_assert_eq(kv_strategy_paged.reserve(st, 0, 1024, &ops), KV_OK);
  kv_strategy_paged.prefix_publish(st, 0, keys, fill, 64);
  kv_strategy_paged.release(st, 0, &ops);
  cr_assert_eq(p->held[0], gpages, "cached blocks keep their group mapped");
  kv_tier_stats ts;
  kv_strategy_paged.tier_stats(st, &ts);
  cr_assert_eq(ts.cached_blocks, 64);
  expect_valid(st, p);
  kv_ops_clear(&ops);
  cr_assert_eq(kv_strategy_paged.prefix_attach(st, 1, keys, fill, 64, &ops),
               1024);
  cr_assert_eq(vmm_calls(&ops, KV_OP_VMM_MAP, NULL), 0);
  kv_strategy_paged.release(st, 1, &ops);
  /* every other group taken: 7 requests of 8 groups, one of the rest */
  uint32_t q = 2, left = groups - 1;
  while (left > 0) {
    uint32_t g = left < 8 ? left : 8;
    cr_assert_eq(kv_strategy_paged.reserve(st, q++, (uint64_t)g * 1024, &ops),
                 KV_OK);
    left -= g;
  }
  cr_assert_eq(kv_mempool_free_pages(p), 0, "the pool is dry");
  cr_assert_eq(kv_strategy_paged.reserve(st, q, 16, &ops), KV_OK,
               "a cached block serves when nothing can be mapped");
  kv_strategy_paged.tier_stats(st, &ts);
  cr_assert_eq(ts.cached_blocks, 63);
  expect_valid(st, p);
  kv_ops_free(&ops);
  kv_strategy_paged.destroy(st, NULL);
  cr_assert_eq(kv_mempool_free_pages(p), p->total);
  kv_mempool_free(p);
}

/* Random grow / release on three paged models (one with a sliding window:
 * mistral-7b) and a vmm one sharing a small pool: after every operation
 * each strategy and the pool are valid (no page in two models,
 * conservation), a refused reservation changes nothing, and reserve_need is
 * exactly what a reservation took. */
Test(multimodel, random_ops_with_paged_on_a_shared_pool_keep_every_invariant) {
  kv_error err;
  static kv_model mistral;
  cr_assert_eq(kv_model_preset("mistral-7b", &mistral, &err), KV_OK, "%s",
               err.msg);
  cr_assert_gt(mistral.sliding_window, 0);
  kv_mempool *p = kv_mempool_create(16ull << 30, 2ull << 20, 4, &err);
  pool_user u[4];
  for (uint32_t m = 0; m < 4; m++) {
    memset(&u[m], 0, sizeof u[m]);
    if (m < 3) {
      u[m].vt = &kv_strategy_paged;
      u[m].st = paged_on_pool(&u[m].cfg,
                              m == 1   ? &qwen
                              : m == 2 ? &mistral
                                       : &llama,
                              p, m, m == 2 ? 0 : 3, m == 2 ? 0 : 2);
      continue;
    }
    u[m].vt = &kv_strategy_vmm;
    kv_strategy_cfg_defaults(&u[m].cfg);
    u[m].cfg.model = &llama;
    u[m].cfg.capacity_bytes = (uint64_t)p->total * p->page_bytes;
    u[m].cfg.max_requests = 32;
    u[m].cfg.max_context = 8192;
    u[m].cfg.pool = p;
    u[m].cfg.pool_model = m;
    kv_op_list ops;
    kv_ops_init(&ops, 1);
    cr_assert_eq(u[m].vt->create(&u[m].cfg, &u[m].st, &ops, &err), KV_OK, "%s",
                 err.msg);
    kv_ops_free(&ops);
  }
  op_counts n = random_pool_ops(u, 4, p, 0x2545f4914f6cdd1dull, false);
  cr_assert_gt(n.refused, 100, "the pool ran out %d times: a weak test",
               n.refused);
  cr_assert_gt(n.granted, 1000, "granted %d, refused %d", n.granted, n.refused);
  cr_assert_gt(n.unmaps, 50, "groups unmapped %d times", n.unmaps);
  release_all(u, 4);
  cr_assert_eq(kv_mempool_free_pages(p), p->total, "pages leaked");
  kv_mempool_free(p);
}

/* Disjoint bursts under elastic paged (the default): each model borrows
 * beyond its static share while the other idles, and an idle model holds
 * at most its spare groups (memory samples every second). */
Test(multimodel, elastic_paged_idle_model_keeps_only_its_spares) {
  kv_mm_result r;
  run_disjoint(KV_MM_ELASTIC, &r);
  cr_assert_eq(r.models[0].summary.capacity, (double)r.pool_bytes);
  cr_assert_gt(r.peak[0], (double)r.share[0]);
  cr_assert_gt(r.peak[1], (double)r.share[1]);
  /* spare_pages 10 groups of 64 (llama) and 56 (qwen) pages of 2 MiB */
  double spare[2] = {10.0 * 2 * llama.layers * (2 << 20),
                     10.0 * 2 * qwen.layers * (2 << 20)};
  double done0 = 0; /* model 0's last request finished */
  for (size_t i = 0; i < r.models[0].n_requests; i++)
    if (r.models[0].requests[i].finish > done0)
      done0 = r.models[0].requests[i].finish;
  size_t idle0 = 0;
  for (size_t i = 0; i < r.n_samples; i++) {
    double t = r.t[i];
    if (t > done0 + 1) { /* model 0 is done */
      idle0++;
      cr_assert_leq(r.held[i * 2], spare[0], "t %g: idle model 0 holds %g GB",
                    t, r.held[i * 2] / 1e9);
    }
    if (t < 59) /* model 1's burst starts at 60 s */
      cr_assert_leq(r.held[i * 2 + 1], spare[1], "t %g", t);
  }
  cr_assert_gt(idle0, 5, "model 0 idle in %zu samples: a weak test", idle0);
  cr_assert_leq(r.idle_held[0], spare[0]);
  cr_assert_leq(r.idle_held[1], spare[1]);
  cr_assert_gt(r.peak[0], 4 * spare[0], "the burst maps far beyond spares");
  kv_mm_result_free(&r);
}

/* Overlapping heavy bursts with kvcached's paged blocks: the pool runs out,
 * a model owed memory preempts the other, and every request completes with
 * the pool checked after every step. */
Test(multimodel, elastic_paged_preempts_across_models_and_completes) {
  kv_workload w0, w1;
  burst(&w0, 400, 400, 0, 7000, 13);
  burst(&w1, 400, 400, 2, 7000, 14);
  kv_mm_model m[2];
  model_cfg(&m[0], &llama, &w0);
  model_cfg(&m[1], &qwen, &w1);
  m[0].share = 1;
  m[1].share = 3;
  kv_mm_spec sp;
  spec_of(&sp, m, 2, KV_MM_ELASTIC);
  sp.gpu_mem_util = 0.5; /* about 6 GB of KV: the pool runs out */
  kv_mm_result r;
  kv_error err;
  cr_assert_eq(kv_mm_run(&sp, &r, &err), KV_OK, "%s", err.msg);
  cr_assert_gt(r.cross_preemptions, 0, "kv %g GB", r.kv_bytes / 1e9);
  for (size_t i = 0; i < 2; i++)
    cr_assert_eq(r.models[i].summary.completed, 400,
                 "model %zu: %g completed, %g rejected", i,
                 r.models[i].summary.completed, r.models[i].summary.rejected);
  kv_mm_result_free(&r);
  kv_workload_free(&w0);
  kv_workload_free(&w1);
}
