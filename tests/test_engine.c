/* test_engine.c - the continuous-batching engine on the ideal backend:
 * every request completes or is accounted for, preemption under memory
 * pressure (recompute and swap), no leaks, determinism, clear errors. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "engine_testutil.h"
#include "engine.h"
#include "strategy.h"

static kv_model model;
static kv_platform platform;

static void setup(void) {
  tu_llama3_h100(&model, &platform);
}

TestSuite(engine, .init = setup);

static void synth(kv_workload *w, size_t n, double rate, uint64_t seed) {
  kv_synth_cfg c = {
      .arrival = KV_ARRIVAL_POISSON,
      .rate = rate,
      .n = n,
      .prompt = {.kind = KV_LEN_UNIFORM, .a = 16, .b = 2000, .min = 1},
      .output = {.kind = KV_LEN_UNIFORM, .a = 1, .b = 400, .min = 1},
  };
  kv_error err;
  kv_workload_init(w);
  cr_assert_eq(kv_workload_synthetic(&c, seed, w, &err), KV_OK, "%s", err.msg);
}

static const char *const strategies[] = {"static", "paged", "vmm", "indirect"};

static void base_cfg(kv_engine_cfg *cfg, const kv_workload *w,
                     const char *strategy) {
  kv_error err;
  kv_engine_cfg_defaults(cfg);
  cfg->model = &model;
  cfg->platform = &platform;
  cfg->workload = w;
  cfg->strategy = kv_strategy_find(strategy, &err);
  cr_assert_not_null(cfg->strategy, "%s", err.msg);
  cfg->check_level = 2;
  cfg->scfg.max_context = 4096;
}

static void check_accounting(const kv_result *r, const kv_workload *w) {
  const kv_summary *s = &r->summary;
  cr_assert_eq(s->requests, (double)w->n);
  cr_assert_eq(
      s->completed + s->rejected + s->timed_out + s->unfinished, s->requests,
      "completed %g + rejected %g + timed out %g + unfinished %g "
      "!= %g",
      s->completed, s->rejected, s->timed_out, s->unfinished, s->requests);
  double generated = 0;
  for (size_t i = 0; i < r->n_requests; i++) {
    const kv_request_result *q = &r->requests[i];
    generated += q->generated;
    if (q->rejected) continue;
    cr_assert_eq(q->generated, q->output, "request %zu generated %u of %u", i,
                 q->generated, q->output);
    cr_assert(q->first_token >= q->arrival);
    cr_assert(q->finish >= q->first_token);
  }
  cr_assert_eq(generated, s->generated_tokens);
  cr_assert_float_eq(s->throughput, s->generated_tokens / s->sim_time, 1e-9);
}

Test(engine, every_request_completes_with_every_strategy) {
  kv_workload w;
  synth(&w, 300, 20, 7);
  for (size_t i = 0; i < 4; i++) {
    kv_engine_cfg cfg;
    base_cfg(&cfg, &w, strategies[i]);
    kv_result r;
    kv_error err;
    cr_assert_eq(kv_engine_run(&cfg, &r, &err), KV_OK, "%s: %s", strategies[i],
                 err.msg);
    check_accounting(&r, &w);
    cr_assert_eq(r.summary.completed, 300, "%s", strategies[i]);
    cr_assert_eq(r.summary.unfinished, 0);
    cr_assert(r.timeline.n > 0);
    kv_result_free(&r);
  }
  kv_workload_free(&w);
}

Test(engine, memory_pressure_preempts_by_recompute_and_still_completes) {
  kv_workload w;
  synth(&w, 200, 200, 3);
  for (size_t i = 0; i < 4; i++) {
    kv_engine_cfg cfg;
    base_cfg(&cfg, &w, strategies[i]);
    /* room for about 3 static reservations of 4096 tokens */
    cfg.kv_capacity = 3ull * 4096 * 131072 + 12345;
    kv_result r;
    kv_error err;
    cr_assert_eq(kv_engine_run(&cfg, &r, &err), KV_OK, "%s: %s", strategies[i],
                 err.msg);
    check_accounting(&r, &w);
    cr_assert_eq(r.summary.completed, 200, "%s", strategies[i]);
    cr_assert(r.summary.backed_peak <= cfg.kv_capacity);
    if (strcmp(strategies[i], "static") != 0)
      cr_assert_gt(r.summary.preemptions, 0, "%s never preempted",
                   strategies[i]);
    kv_result_free(&r);
  }
  kv_workload_free(&w);
}

Test(engine, swap_preemption_moves_kv_over_pcie) {
  kv_workload w;
  synth(&w, 200, 200, 5);
  kv_engine_cfg cfg;
  base_cfg(&cfg, &w, "paged");
  cfg.kv_capacity = 1500ull * 131072 * 16 / 16 * 4;
  cfg.preempt = KV_PREEMPT_SWAP;
  cfg.scfg.host_bytes = 64ull << 30;
  kv_result r;
  kv_error err;
  cr_assert_eq(kv_engine_run(&cfg, &r, &err), KV_OK, "%s", err.msg);
  check_accounting(&r, &w);
  cr_assert_gt(r.summary.swaps_out, 0);
  cr_assert_gt(r.summary.copy_bytes_d2h, 0);
  cr_assert_eq(r.summary.copy_bytes_h2d, r.summary.copy_bytes_d2h,
               "every byte swapped out comes back");
  kv_result_free(&r);
  kv_workload_free(&w);
}

Test(engine, same_seed_same_result) {
  kv_workload w;
  synth(&w, 150, 50, 11);
  kv_result a, b;
  kv_engine_cfg cfg;
  kv_error err;
  base_cfg(&cfg, &w, "vmm");
  cr_assert_eq(kv_engine_run(&cfg, &a, &err), KV_OK, "%s", err.msg);
  cr_assert_eq(kv_engine_run(&cfg, &b, &err), KV_OK, "%s", err.msg);
  cr_assert_eq(memcmp(&a.summary, &b.summary, sizeof a.summary), 0);
  cr_assert_eq(a.timeline.n, b.timeline.n);
  cr_assert_eq(
      memcmp(a.timeline.s, b.timeline.s, a.timeline.n * sizeof *a.timeline.s),
      0);
  kv_result_free(&a);
  kv_result_free(&b);
  kv_workload_free(&w);
}

Test(engine, gpu_too_small_for_any_request_is_an_error) {
  kv_workload w;
  synth(&w, 10, 10, 1);
  kv_engine_cfg cfg;
  base_cfg(&cfg, &w, "paged");
  cfg.kv_capacity = 131072 * 8; /* not even one 16-token block */
  kv_result r;
  kv_error err;
  kv_status s = kv_engine_run(&cfg, &r, &err);
  cr_assert_neq(s, KV_OK);
  cr_assert(strstr(err.msg, "too small") != NULL, "message: %s", err.msg);
  kv_workload_free(&w);
}

Test(engine, model_that_does_not_fit_is_an_error) {
  kv_workload w;
  synth(&w, 10, 10, 1);
  kv_model big;
  kv_error err;
  cr_assert_eq(kv_model_preset("llama-3-70b", &big, &err), KV_OK);
  kv_engine_cfg cfg;
  base_cfg(&cfg, &w, "paged");
  cfg.model = &big;
  kv_result r;
  kv_status s = kv_engine_run(&cfg, &r, &err);
  cr_assert_eq(s, KV_ENOMEM);
  cr_assert(strstr(err.msg, "does not fit") != NULL, "message: %s", err.msg);
  /* with tp=4 it fits */
  cfg.tp = 4;
  cr_assert_eq(kv_engine_run(&cfg, &r, &err), KV_OK, "%s", err.msg);
  kv_result_free(&r);
  kv_workload_free(&w);
}

Test(engine, requests_longer_than_the_max_context_are_rejected) {
  kv_workload w;
  kv_workload_init(&w);
  synth(&w, 20, 10, 2);
  w.reqs[3].prompt = 5000; /* > max_context 4096 */
  kv_engine_cfg cfg;
  base_cfg(&cfg, &w, "static");
  kv_result r;
  kv_error err;
  cr_assert_eq(kv_engine_run(&cfg, &r, &err), KV_OK, "%s", err.msg);
  cr_assert_eq(r.summary.rejected, 1);
  cr_assert_eq(r.summary.rejected_too_long, 1);
  cr_assert_eq(r.requests[3].rejected, KV_REJECT_TOO_LONG);
  check_accounting(&r, &w);
  kv_result_free(&r);
  kv_workload_free(&w);
}

Test(engine, interrupt_stops_at_a_safe_point) {
  kv_workload w;
  synth(&w, 100, 10, 2);
  volatile int flag = 1;
  kv_engine_cfg cfg;
  base_cfg(&cfg, &w, "paged");
  cfg.interrupt = &flag;
  kv_result r;
  kv_error err;
  cr_assert_eq(kv_engine_run(&cfg, &r, &err), KV_EINTR);
  cr_assert_eq(r.summary.unfinished, 100);
  kv_result_free(&r);
  kv_workload_free(&w);
}

Test(engine, ideal_step_time_is_roofline_plus_critical_ops) {
  kv_error err;
  kv_backend *b = kv_backend_ideal_create(&platform, &model, 1, &err);
  kv_op_list ops;
  kv_ops_init(&ops, 0);
  kv_op *c = kv_ops_push(&ops, KV_OP_COMPUTE, KV_NO_REQ);
  c->flops = 1e12;
  c->bytes = 16000000000ull;
  kv_op *m = kv_ops_push(&ops, KV_OP_VMM_MAP, 0);
  m->count = 64;
  kv_op *bg = kv_ops_push(&ops, KV_OP_VMM_SET_ACCESS, 0);
  bg->count = 10;
  bg->flags = KV_OPF_BACKGROUND;
  kv_step_time t;
  cr_assert_eq(b->vt->step(b, &ops, &t, &err), KV_OK);
  double compute = 16e9 / platform.hbm_bw + platform.kernel_launch;
  cr_assert_float_eq(t.compute, compute, 1e-12);
  /* critical calls are priced after a step, background ones beside
   * kernels (core/inputs/platform.h) */
  double map = kv_platform_vmm_time(&platform, KV_VMM_MAP, 0, 0, 1);
  double sa = kv_platform_vmm_time(&platform, KV_VMM_SET_ACCESS, 0, 1, 0);
  cr_assert_float_eq(t.driver_critical, 64 * map, 1e-15);
  cr_assert_float_eq(t.driver_hidden, 10 * sa, 1e-15);
  cr_assert_float_eq(t.total, compute + 64 * map, 1e-12);
  cr_assert_float_eq(b->vt->now(b), t.total, 1e-15);
  kv_ops_free(&ops);
  b->vt->destroy(b);
}

/* max_model_len: requests whose prompt + output exceed the max context are
 * rejected on arrival by every strategy alike, so each serves the same
 * workload; the others all complete. */
Test(engine, one_context_rule_for_every_strategy) {
  kv_workload w;
  synth(&w, 200, 20, 11);
  for (size_t i = 0; i < w.n; i += 7)
    w.reqs[i].prompt = 3900 + (uint32_t)i; /* some over 4096 with output */
  size_t too_long = 0;
  for (size_t i = 0; i < w.n; i++)
    too_long += (uint64_t)w.reqs[i].prompt + w.reqs[i].output > 4096;
  cr_assert_gt(too_long, 10);
  for (size_t i = 0; i < 4; i++) {
    kv_engine_cfg cfg;
    base_cfg(&cfg, &w, strategies[i]);
    kv_result r;
    kv_error err;
    cr_assert_eq(kv_engine_run(&cfg, &r, &err), KV_OK, "%s: %s", strategies[i],
                 err.msg);
    cr_assert_eq(r.summary.rejected_too_long, (double)too_long, "%s: %g",
                 strategies[i], r.summary.rejected_too_long);
    cr_assert_eq(r.summary.rejected, (double)too_long);
    cr_assert_eq(r.summary.completed, (double)(w.n - too_long));
    for (size_t k = 0; k < w.n; k++) {
      bool lng = (uint64_t)w.reqs[k].prompt + w.reqs[k].output > 4096;
      cr_assert_eq(r.requests[k].rejected, lng ? KV_REJECT_TOO_LONG : 0);
    }
    check_accounting(&r, &w);
    kv_result_free(&r);
  }
  kv_workload_free(&w);
}

/* long_prompt = truncate: the prompt is cut to max context - output. */
Test(engine, long_prompts_can_be_truncated) {
  kv_workload w;
  synth(&w, 30, 10, 3);
  w.reqs[2].prompt = 9000, w.reqs[2].output = 100;
  w.reqs[5].prompt = 10, w.reqs[5].output = 5000; /* output alone too long */
  kv_engine_cfg cfg;
  base_cfg(&cfg, &w, "vmm");
  cfg.long_prompt = KV_LONG_TRUNCATE;
  kv_result r;
  kv_error err;
  cr_assert_eq(kv_engine_run(&cfg, &r, &err), KV_OK, "%s", err.msg);
  cr_assert_eq(r.summary.truncated, 1);
  cr_assert_eq(r.requests[2].truncated, 9000 - (4096 - 100));
  cr_assert_eq(r.requests[2].rejected, 0);
  cr_assert_eq(r.requests[2].generated, 100);
  cr_assert_eq(r.requests[5].rejected, KV_REJECT_TOO_LONG);
  cr_assert_eq(r.summary.rejected_too_long, 1);
  check_accounting(&r, &w);
  kv_result_free(&r);
  kv_workload_free(&w);
}

/* A request within the context that no strategy placement can hold is a
 * configuration error, not a silent rejection. */
Test(engine, in_limit_request_that_can_never_fit_is_an_error) {
  kv_workload w;
  synth(&w, 10, 10, 1);
  w.reqs[4].prompt = 4000, w.reqs[4].output = 50;
  kv_engine_cfg cfg;
  base_cfg(&cfg, &w, "paged");
  cfg.kv_capacity = 3000ull * 131072; /* 3,000 tokens */
  kv_result r;
  kv_error err;
  cr_assert_eq(kv_engine_run(&cfg, &r, &err), KV_ENOMEM);
  cr_assert(strstr(err.msg, "GPU too small") && strstr(err.msg, "request 4"),
            "message: %s", err.msg);
  kv_workload_free(&w);
}

/* Output 0: done after prefill, TTFT defined, no TPOT. */
Test(engine, prefill_only_requests_complete) {
  kv_workload w;
  synth(&w, 40, 10, 5);
  for (size_t i = 0; i < w.n; i += 2)
    w.reqs[i].output = 0;
  for (size_t k = 0; k < 4; k++) {
    kv_engine_cfg cfg;
    base_cfg(&cfg, &w, strategies[k]);
    kv_result r;
    kv_error err;
    cr_assert_eq(kv_engine_run(&cfg, &r, &err), KV_OK, "%s", err.msg);
    cr_assert_eq(r.summary.completed, (double)w.n);
    for (size_t i = 0; i < w.n; i += 2) {
      cr_assert_eq(r.requests[i].generated, 0);
      cr_assert(r.requests[i].first_token > r.requests[i].arrival);
      cr_assert_eq(r.requests[i].finish, r.requests[i].first_token);
    }
    check_accounting(&r, &w);
    kv_result_free(&r);
  }
  kv_workload_free(&w);
}

/* Memory is sampled before the step's finished requests are released: a
 * request done in the step that admitted it still counts. */
Test(engine, peaks_count_what_the_step_held) {
  kv_workload w;
  synth(&w, 1, 1, 1);
  w.reqs[0].prompt = 1024, w.reqs[0].output = 1;
  for (size_t k = 0; k < 4; k++) {
    kv_engine_cfg cfg;
    base_cfg(&cfg, &w, strategies[k]);
    kv_result r;
    kv_error err;
    cr_assert_eq(kv_engine_run(&cfg, &r, &err), KV_OK, "%s", err.msg);
    cr_assert_eq(r.summary.used_peak, 1024.0 * 131072, "%s: used_peak %g",
                 strategies[k], r.summary.used_peak);
    cr_assert_geq(r.summary.backed_peak, r.summary.used_peak);
    cr_assert_eq(r.summary.batch_peak, 1);
    kv_result_free(&r);
  }
  kv_workload_free(&w);
}

static kv_status refuse_all(void *ud, const kv_policy_view *v, bool *yes,
                            kv_error *err) {
  (void)err;
  (*(size_t *)ud)++;
  cr_assert_eq(v->n_waiting > 0, 1);
  *yes = false;
  return KV_OK;
}

/* An admission policy that refuses while nothing runs cannot hang the run:
 * time moves to each later arrival, then the run stops with an error that
 * names the policy and the state. */
Test(engine, refusing_policy_ends_with_an_error, .timeout = 20) {
  kv_workload w;
  synth(&w, 20, 10, 1);
  size_t calls = 0;
  kv_policy pol = {.name = "refuse-all", .ud = &calls, .admit = refuse_all};
  kv_engine_cfg cfg;
  base_cfg(&cfg, &w, "indirect");
  cfg.tier = true;
  cfg.scfg.host_bytes = 1ull << 30;
  cfg.policy = &pol;
  kv_result r;
  kv_error err;
  cr_assert_eq(kv_engine_run(&cfg, &r, &err), KV_EINTERNAL);
  cr_assert(strstr(err.msg, "refuse-all") && strstr(err.msg, "20 waiting"),
            "message: %s", err.msg);
  cr_assert_leq(calls, 40, "%zu calls", calls);
  kv_result_free(&r);
  kv_workload_free(&w);
}

static kv_status admit_sees_running(void *ud, const kv_policy_view *v,
                                    bool *yes, kv_error *err) {
  (void)err;
  size_t *max = ud;
  if (v->n_cand > *max) *max = v->n_cand;
  *yes = true;
  return KV_OK;
}

/* Inside admit the view's candidates are the running requests. */
Test(engine, admit_view_lists_the_running_requests) {
  kv_workload w;
  synth(&w, 50, 50, 1);
  size_t max = 0;
  kv_policy pol = {.name = "peek", .ud = &max, .admit = admit_sees_running};
  kv_engine_cfg cfg;
  base_cfg(&cfg, &w, "indirect");
  cfg.tier = true;
  cfg.scfg.host_bytes = 1ull << 30;
  cfg.policy = &pol;
  kv_result r;
  kv_error err;
  cr_assert_eq(kv_engine_run(&cfg, &r, &err), KV_OK, "%s", err.msg);
  cr_assert_gt(max, 2, "admit saw at most %zu running requests", max);
  kv_result_free(&r);
  kv_workload_free(&w);
}

/* The host tier does not thrash by default: 20 requests of 8,192 tokens in
 * 1.5 GiB of KV (1.5 requests' worth). With the admission watermark and
 * resume headroom, blocks are evicted at most once per request and the
 * throughput is that of recompute; without them (watermark 0) the same run
 * evicts and reloads the same requests over and over. */
Test(engine, host_tier_does_not_thrash_by_default) {
  kv_workload w;
  synth(&w, 20, 100, 1);
  for (size_t i = 0; i < w.n; i++)
    w.reqs[i].prompt = 8000, w.reqs[i].output = 192;
  double tput[3], evictions[3];
  for (int k = 0; k < 3; k++) {
    kv_engine_cfg cfg;
    base_cfg(&cfg, &w, "indirect");
    cfg.scfg.max_context = 8192;
    cfg.kv_capacity = 3ull << 29;
    cfg.scfg.host_bytes = 64ull << 30;
    cfg.tier = k < 2;
    if (k == 1) cfg.watermark = 0;
    kv_result r;
    kv_error err;
    cr_assert_eq(kv_engine_run(&cfg, &r, &err), KV_OK, "%s", err.msg);
    cr_assert_eq(r.summary.completed, 20);
    tput[k] = r.summary.throughput;
    evictions[k] = r.tier.evictions;
    kv_result_free(&r);
  }
  cr_assert_leq(evictions[0], 20, "default: %g evictions", evictions[0]);
  cr_assert_gt(evictions[1], 200, "no watermark: %g evictions", evictions[1]);
  cr_assert_gt(tput[0], 0.95 * tput[2], "tier %g tok/s, recompute %g", tput[0],
               tput[2]);
  kv_workload_free(&w);
}

/* One tensor-parallel check for every backend. */
Test(engine, tensor_parallel_degree_is_checked_once) {
  kv_workload w;
  synth(&w, 5, 10, 1);
  const uint32_t bad[] = {3, 16, 64};
  for (size_t i = 0; i < 3; i++) {
    kv_engine_cfg cfg;
    base_cfg(&cfg, &w, "paged");
    cfg.tp = bad[i];
    kv_result r;
    kv_error err;
    cr_assert_eq(kv_engine_run(&cfg, &r, &err), KV_EINVAL, "tp %u", bad[i]);
    cr_assert(strstr(err.msg, "tp"), "%s", err.msg);
  }
  /* more GPUs than KV heads: replicated, one head per GPU */
  kv_model m = model;
  m.kv_heads = 2;
  kv_error err;
  cr_assert_eq(kv_engine_check_tp(&m, &platform, 8, &err), KV_OK, "%s",
               err.msg);
  m.kv_heads = 8;
  cr_assert_eq(kv_engine_check_tp(&m, &platform, 4, &err), KV_OK, "%s",
               err.msg);
  kv_workload_free(&w);
}

/* Admission counts what the strategy really takes (reserve_need): Gemma-2-9B
 * with vmm per-layer 2 MiB pages maps a step of 84 pages (168 MiB, 512
 * tokens) at a time, so a swapped request resumed on readable bytes (the
 * estimate before) found room for its swap-in but not for its next step
 * and was preempted again at once, over and over. 300 requests (poisson
 * 4/s, prompt 100-6000, output 10-1500, seed 2), 8 GiB of KV, 64 GiB of
 * host, ideal backend. Preemptions, swap / recompute, measured here:
 *   per-layer   307 / 85 before,  59 / 63 with exact admission
 *   all-layers   79 / 86 before,  71 / 80
 * Swap may not preempt more than 1.5x recompute (before: 3.6x). */
Test(engine, vmm_swap_preempts_no_more_than_recompute_on_gemma2) {
  kv_model gemma;
  kv_error err;
  cr_assert_eq(kv_model_preset("gemma-2-9b", &gemma, &err), KV_OK, "%s",
               err.msg);
  kv_synth_cfg c = {
      .arrival = KV_ARRIVAL_POISSON,
      .rate = 4,
      .cv = 1,
      .n = 300,
      .prompt = {.kind = KV_LEN_UNIFORM,
                 .a = 100,
                 .b = 6000,
                 .min = 100,
                 .max = 6000},
      .output =
          {.kind = KV_LEN_UNIFORM, .a = 10, .b = 1500, .min = 10, .max = 1500},
  };
  kv_workload w;
  kv_workload_init(&w);
  cr_assert_eq(kv_workload_synthetic(&c, 2, &w, &err), KV_OK, "%s", err.msg);
  const kv_vmm_layout layouts[2] = {KV_VMM_PER_LAYER, KV_VMM_ALL_LAYERS};
  for (int l = 0; l < 2; l++) {
    double pre[2];
    for (int p = 0; p < 2; p++) {
      kv_engine_cfg cfg;
      base_cfg(&cfg, &w, "vmm");
      cfg.model = &gemma;
      cfg.scfg.max_context = 0; /* the model's, 8,192 */
      cfg.scfg.vmm_layout = layouts[l];
      cfg.kv_capacity = 8ull << 30;
      cfg.scfg.host_bytes = 64ull << 30;
      cfg.preempt = p ? KV_PREEMPT_SWAP : KV_PREEMPT_RECOMPUTE;
      kv_result r;
      cr_assert_eq(kv_engine_run(&cfg, &r, &err), KV_OK, "%s", err.msg);
      check_accounting(&r, &w);
      cr_assert_eq(r.summary.completed, 300);
      pre[p] = r.summary.preemptions;
      kv_result_free(&r);
    }
    cr_log_info("vmm layout %d: %g preemptions with swap, %g with recompute", l,
                pre[1], pre[0]);
    cr_assert_gt(pre[0], 20, "layout %d: the case lost its memory pressure", l);
    cr_expect_leq(pre[1], 1.5 * pre[0],
                  "layout %d: swap %g preemptions, recompute %g", l, pre[1],
                  pre[0]);
  }
  kv_workload_free(&w);
}

/* ---- engine overheads (kv_overheads) ---- */

/* A step of known GPU time (roofline on HBM bytes, plus a critical map) and
 * 2 ms of engine CPU: synchronous, the step lasts cpu + gpu; overlapped,
 * max(cpu, gpu), the CPU part the GPU waited for being what outlasts it. */
Test(engine, ideal_step_adds_cpu_before_the_gpu_or_beside_it) {
  kv_error err;
  const double cpu = 2e-3;
  const double bytes[2] = {1.5e9, 15e9}; /* GPU shorter, then longer */
  for (int k = 0; k < 2; k++)
    for (int overlap = 0; overlap < 2; overlap++) {
      kv_backend *b = kv_backend_ideal_create(&platform, &model, 1, &err);
      kv_op_list ops;
      kv_ops_init(&ops, 0);
      kv_op *m = kv_ops_push(&ops, KV_OP_VMM_MAP, 0);
      m->count = 8;
      kv_op *c = kv_ops_push(&ops, KV_OP_COMPUTE, KV_NO_REQ);
      c->bytes = (uint64_t)bytes[k];
      c->cpu_time = cpu;
      if (overlap) c->flags |= KV_OPF_CPU_OVERLAP;
      kv_step_time t;
      cr_assert_eq(b->vt->step(b, &ops, &t, &err), KV_OK);
      double gpu = bytes[k] / platform.hbm_bw + platform.kernel_launch +
                   8 * kv_platform_vmm_time(&platform, KV_VMM_MAP, 0, 0, 1);
      cr_assert_float_eq(t.compute,
                         bytes[k] / platform.hbm_bw + platform.kernel_launch,
                         1e-12);
      double want = overlap ? (cpu > gpu ? cpu : gpu) : cpu + gpu;
      double waited = overlap ? (cpu > gpu ? cpu - gpu : 0) : cpu;
      cr_assert_float_eq(t.total, want, 1e-12, "gpu %g overlap %d: %.12g", gpu,
                         overlap, t.total);
      cr_assert_float_eq(t.cpu, waited, 1e-12);
      cr_assert_float_eq(t.cpu_hidden, cpu - waited, 1e-12);
      cr_assert_float_eq(b->vt->now(b), want, 1e-15);
      kv_ops_free(&ops);
      b->vt->destroy(b);
    }
  /* the two cases are what they claim to be */
  cr_assert_lt(1.5e9 / platform.hbm_bw, 2e-3);
  cr_assert_gt(15e9 / platform.hbm_bw, 2e-3);
}

/* One request of `prompt` + `output` tokens (a single prefill step, then
 * one decode step per further token). */
static void one_request(kv_workload *w, uint32_t prompt, uint32_t output) {
  synth(w, 1, 1, 1);
  w->reqs[0].prompt = prompt;
  w->reqs[0].output = output;
}

static void run_one(const kv_workload *w, const char *strategy,
                    const kv_overheads *o, kv_result *r) {
  kv_engine_cfg cfg;
  base_cfg(&cfg, w, strategy);
  if (o) cfg.overheads = *o;
  kv_error err;
  cr_assert_eq(kv_engine_run(&cfg, r, &err), KV_OK, "%s", err.msg);
  cr_assert_eq(r->summary.completed, 1);
}

static double ttft(const kv_result *r) {
  return r->requests[0].first_token - r->requests[0].arrival;
}

static double e2e(const kv_result *r) {
  return r->requests[0].finish - r->requests[0].arrival;
}

/* Synchronous loop, every coefficient set: the prefill step pays step +
 * per_seq + (per_token + per_prefill_token) x prompt + admit, each of the
 * output - 1 decode steps step + per_seq + per_token (a decode token is no
 * prompt token), the last one finish too. */
Test(engine, step_overheads_move_ttft_and_e2e_by_hand_computed_amounts) {
  const uint32_t P = 1000, O = 10;
  kv_workload w;
  one_request(&w, P, O);
  kv_overheads o = {.step = 2e-3,
                    .per_seq = 1e-4,
                    .per_token = 1e-6,
                    .per_prefill_token = 3e-6,
                    .admit = 5e-3,
                    .finish = 7e-3};
  for (size_t k = 0; k < 4; k++) {
    kv_result base, r;
    run_one(&w, strategies[k], NULL, &base);
    run_one(&w, strategies[k], &o, &r);
    double d_ttft =
        o.step + o.per_seq + (o.per_token + o.per_prefill_token) * P + o.admit;
    double d_e2e = O * (o.step + o.per_seq) + o.per_token * (P + O - 1) +
                   o.per_prefill_token * P + o.admit + o.finish;
    cr_assert_float_eq(ttft(&r) - ttft(&base), d_ttft, 1e-12, "%s: %.12g",
                       strategies[k], ttft(&r) - ttft(&base));
    cr_assert_float_eq(e2e(&r) - e2e(&base), d_e2e, 1e-12, "%s: %.12g",
                       strategies[k], e2e(&r) - e2e(&base));
    cr_assert_float_eq(r.summary.cpu_time, d_e2e, 1e-12);
    cr_assert_eq(base.summary.cpu_time, 0);
    cr_assert_eq(r.summary.steps, base.summary.steps);
    cr_assert_eq(r.summary.compute_time, base.summary.compute_time,
                 "the GPU side does not change");
    kv_result_free(&base);
    kv_result_free(&r);
  }
  kv_workload_free(&w);
}

/* per_worker is paid every step once per tensor-parallel worker beyond the
 * first: nothing at tp 1, 3 x per_worker per step at tp 4; with
 * per_worker_max_tp 4, tp 8 pays what tp 4 does (and tp 2 its own). */
Test(engine, per_worker_overhead_scales_with_tp_workers) {
  const uint32_t P = 500, O = 8;
  const struct {
    uint32_t tp, max_tp, workers;
  } c[5] = {{1, 0, 0}, {4, 0, 3}, {8, 0, 7}, {8, 4, 3}, {2, 4, 1}};
  kv_workload w;
  one_request(&w, P, O);
  for (int i = 0; i < 5; i++) {
    const kv_overheads o = {.per_worker = 1e-3,
                            .per_worker_max_tp = c[i].max_tp};
    kv_engine_cfg cfg;
    base_cfg(&cfg, &w, "paged");
    cfg.tp = c[i].tp;
    kv_result base, r;
    kv_error err;
    cr_assert_eq(kv_engine_run(&cfg, &base, &err), KV_OK, "%s", err.msg);
    cfg.overheads = o;
    cr_assert_eq(kv_engine_run(&cfg, &r, &err), KV_OK, "%s", err.msg);
    double per_step = o.per_worker * c[i].workers;
    cr_assert_float_eq(ttft(&r) - ttft(&base), per_step, 1e-12, "tp %u: %.12g",
                       c[i].tp, ttft(&r) - ttft(&base));
    cr_assert_float_eq(e2e(&r) - e2e(&base), O * per_step, 1e-12,
                       "tp %u: %.12g", c[i].tp, e2e(&r) - e2e(&base));
    cr_assert_float_eq(r.summary.cpu_time, O * per_step, 1e-12);
    kv_result_free(&base);
    kv_result_free(&r);
  }
  kv_workload_free(&w);
}

/* admit is paid once, in the step that admits (TTFT and E2E move by it);
 * finish in the step that completes (E2E only, unless that step is the
 * first: one output token, or none). */
Test(engine, admit_and_finish_costs_land_on_ttft_and_e2e) {
  const kv_overheads admit = {.admit = 0.25}, finish = {.finish = 0.125};
  const uint32_t outputs[3] = {20, 1, 0};
  for (int i = 0; i < 3; i++) {
    kv_workload w;
    one_request(&w, 300, outputs[i]);
    kv_result base, a, f;
    run_one(&w, "paged", NULL, &base);
    run_one(&w, "paged", &admit, &a);
    run_one(&w, "paged", &finish, &f);
    cr_assert_float_eq(ttft(&a) - ttft(&base), 0.25, 1e-12);
    cr_assert_float_eq(e2e(&a) - e2e(&base), 0.25, 1e-12);
    cr_assert_float_eq(ttft(&f) - ttft(&base), outputs[i] > 1 ? 0 : 0.125,
                       1e-12, "output %u", outputs[i]);
    cr_assert_float_eq(e2e(&f) - e2e(&base), 0.125, 1e-12);
    cr_assert_float_eq(a.summary.cpu_time, 0.25, 1e-15);
    cr_assert_float_eq(f.summary.cpu_time, 0.125, 1e-15);
    kv_result_free(&base);
    kv_result_free(&a);
    kv_result_free(&f);
    kv_workload_free(&w);
  }
}

/* schedule_ahead (vLLM's asynchronous scheduling): every step lasts exactly
 * its CPU time (0.5 s, overlapped, far above the GPU work), so steps start
 * on a 0.5 s grid from the first arrival after an idle moment. A request
 * that arrives while a step runs misses the step already scheduled and
 * joins the one after it: TTFT 0.8 s becomes 1.3 s. One that arrives while
 * the engine idles is scheduled at once (0.5 s, as without it), and so is
 * one that arrives during a step after which nothing runs (the scheduled
 * step would be empty). Nothing else moves: the arrivals off, every result
 * is byte-identical. */
Test(engine, schedule_ahead_delays_admission_by_one_step) {
  static const struct {
    double arrival;
    uint32_t output;
    double ttft_off, ttft_on;
  } q[] = {
      {0.0, 10, 0.5, 0.5}, /* idle: at once; steps [0, 0.5), [0.5, 1) ... */
      {1.2, 3, 0.8, 1.3},  /* in [1, 1.5): [1.5, 2) was scheduled at 1.0 */
      {10.0, 4, 0.5, 0.5}, /* idle again */
      {10.2, 2, 0.8, 1.3}, /* in the first step after idling */
      {20.0, 1, 0.5, 0.5}, /* idle; done in its first step */
      {20.2, 2, 0.8, 0.8}, /* nothing runs after [20, 20.5): at once */
  };
  const size_t n = sizeof q / sizeof *q;
  kv_workload w;
  synth(&w, n, 1, 1);
  for (size_t i = 0; i < n; i++) {
    w.reqs[i].arrival = q[i].arrival;
    w.reqs[i].prompt = 100;
    w.reqs[i].output = q[i].output;
  }
  const kv_overheads off = {.step = 0.5, .overlap = true};
  kv_overheads on = off;
  on.schedule_ahead = true;
  kv_result a, b;
  kv_engine_cfg cfg;
  kv_error err;
  base_cfg(&cfg, &w, "paged");
  cfg.overheads = off;
  cr_assert_eq(kv_engine_run(&cfg, &a, &err), KV_OK, "%s", err.msg);
  cfg.overheads = on;
  cr_assert_eq(kv_engine_run(&cfg, &b, &err), KV_OK, "%s", err.msg);
  cr_assert_eq(a.summary.completed, (double)n);
  cr_assert_eq(b.summary.completed, (double)n);
  for (size_t i = 0; i < n; i++) {
    const kv_request_result *x = &a.requests[i], *y = &b.requests[i];
    cr_assert_float_eq(x->first_token - x->arrival, q[i].ttft_off, 1e-9,
                       "request %zu off: %.12g", i,
                       x->first_token - x->arrival);
    cr_assert_float_eq(y->first_token - y->arrival, q[i].ttft_on, 1e-9,
                       "request %zu on: %.12g", i, y->first_token - y->arrival);
    /* one token per 0.5 s step once running */
    cr_assert_float_eq(y->finish - y->first_token, 0.5 * (q[i].output - 1),
                       1e-9, "request %zu", i);
  }
  kv_result_free(&a);
  kv_result_free(&b);
  /* with no arrival during a step it changes nothing */
  kv_workload_free(&w);
  one_request(&w, 1000, 12);
  run_one(&w, "paged", &off, &a);
  run_one(&w, "paged", &on, &b);
  cr_assert_eq(memcmp(a.requests, b.requests, sizeof *a.requests), 0);
  kv_result_free(&a);
  kv_result_free(&b);
  kv_workload_free(&w);
}

/* Overlapped: CPU time shorter than every step's GPU work changes nothing;
 * longer than all of them, every step lasts exactly the CPU time, and the
 * part the GPU waited for is what outlasts it. */
Test(engine, overlapped_overheads_cost_only_what_outlasts_the_gpu) {
  const uint32_t O = 12;
  kv_workload w;
  one_request(&w, 1000, O);
  kv_result base, small, big;
  run_one(&w, "paged", NULL, &base);
  const kv_overheads lo = {.step = 1e-4, .overlap = true};
  const kv_overheads hi = {.step = 0.5, .overlap = true};
  run_one(&w, "paged", &lo, &small);
  run_one(&w, "paged", &hi, &big);
  cr_assert_eq(memcmp(small.requests, base.requests, sizeof *base.requests), 0);
  cr_assert_eq(small.summary.cpu_time, 0);
  cr_assert_float_eq(ttft(&big), 0.5, 1e-12);
  cr_assert_float_eq(e2e(&big), O * 0.5, 1e-12);
  /* base's steps are all GPU: what the CPU added is the rest */
  cr_assert_float_eq(big.summary.cpu_time, O * 0.5 - e2e(&base), 1e-12);
  kv_result_free(&base);
  kv_result_free(&small);
  kv_result_free(&big);
  kv_workload_free(&w);
}

/* Under memory pressure (preemptions by recompute), with every step in the
 * timeline: cpu_time is step x steps, per_seq x the running requests summed
 * over steps, per_token x the tokens scheduled, admit x requests (once each,
 * however often preempted), finish x completions. check = 2 also checks the
 * step's predicted completions against commit. */
Test(engine, cpu_time_counts_steps_requests_tokens_admissions_completions) {
  kv_workload w;
  synth(&w, 120, 200, 3);
  const kv_overheads one[5] = {{.step = 1e-3},
                               {.per_seq = 1e-4},
                               {.per_token = 1e-6},
                               {.admit = 1e-2},
                               {.finish = 1e-3}};
  for (int k = 0; k < 5; k++) {
    kv_engine_cfg cfg;
    base_cfg(&cfg, &w, "paged");
    cfg.kv_capacity = 3ull * 4096 * 131072 + 12345;
    cfg.timeline_interval = 0;
    cfg.overheads = one[k];
    kv_result r;
    kv_error err;
    cr_assert_eq(kv_engine_run(&cfg, &r, &err), KV_OK, "%s", err.msg);
    check_accounting(&r, &w);
    cr_assert_gt(r.summary.preemptions, 0);
    cr_assert_eq(r.timeline.n, (size_t)r.summary.steps);
    double running = 0, tokens = 0;
    for (size_t i = 0; i < r.timeline.n; i++) {
      running += r.timeline.s[i].running;
      tokens += r.timeline.s[i].batch_tokens;
    }
    const kv_overheads *o = &one[k];
    double want = o->step * r.summary.steps + o->per_seq * running +
                  o->per_token * tokens + o->admit * r.summary.completed +
                  o->finish * r.summary.completed;
    cr_assert_float_eq(r.summary.cpu_time, want, 1e-9 * want, "case %d: %.12g",
                       k, r.summary.cpu_time);
    kv_result_free(&r);
  }
  kv_workload_free(&w);
}

static void same_bytes(const kv_result *a, const kv_result *b) {
  cr_assert_eq(memcmp(&a->summary, &b->summary, sizeof a->summary), 0);
  cr_assert_eq(a->timeline.n, b->timeline.n);
  cr_assert_eq(memcmp(a->timeline.s, b->timeline.s,
                      a->timeline.n * sizeof *a->timeline.s),
               0);
  cr_assert_eq(a->n_requests, b->n_requests);
  cr_assert_eq(
      memcmp(a->requests, b->requests, a->n_requests * sizeof *a->requests), 0);
}

/* Zero overheads (the default), set explicitly or overlapped, change no
 * byte of a run with preemptions, swaps and every strategy. */
Test(engine, zero_overheads_leave_results_byte_identical) {
  kv_workload w;
  synth(&w, 150, 100, 9);
  for (size_t k = 0; k < 4; k++) {
    kv_result r[3];
    for (int v = 0; v < 3; v++) {
      kv_engine_cfg cfg;
      base_cfg(&cfg, &w, strategies[k]);
      cfg.kv_capacity = 3ull * 4096 * 131072 + 12345;
      if (v > 0) memset(&cfg.overheads, 0, sizeof cfg.overheads);
      if (v == 2) cfg.overheads.overlap = true;
      kv_error err;
      cr_assert_eq(kv_engine_run(&cfg, &r[v], &err), KV_OK, "%s", err.msg);
    }
    same_bytes(&r[0], &r[1]);
    same_bytes(&r[0], &r[2]);
    cr_assert_eq(r[0].summary.cpu_time, 0);
    for (int v = 0; v < 3; v++)
      kv_result_free(&r[v]);
  }
  kv_workload_free(&w);
}

Test(engine, negative_or_nan_overheads_are_errors_naming_the_field) {
  kv_workload w;
  synth(&w, 5, 10, 1);
  kv_engine_cfg cfg;
  base_cfg(&cfg, &w, "paged");
  cfg.overheads.per_token = -1e-6;
  kv_result r;
  kv_error err;
  cr_assert_eq(kv_engine_run(&cfg, &r, &err), KV_EINVAL);
  cr_assert(strstr(err.msg, "overheads.per_token"), "%s", err.msg);
  cfg.overheads.per_token = 0;
  cfg.overheads.finish = NAN;
  cr_assert_eq(kv_engine_run(&cfg, &r, &err), KV_EINVAL);
  cr_assert(strstr(err.msg, "overheads.finish"), "%s", err.msg);
  kv_workload_free(&w);
}

/* overheads.request: off-GPU time before a request reaches the scheduler
 * (HTTP, tokenization) shifts its TTFT and E2E by exactly that much and
 * stalls nothing: the steps are the same. */
Test(engine, request_overhead_delays_without_stalling) {
  kv_workload w;
  synth(&w, 1, 1, 1);
  w.reqs[0].prompt = 500, w.reqs[0].output = 20;
  kv_result a, b;
  kv_error err;
  kv_engine_cfg cfg;
  base_cfg(&cfg, &w, "paged");
  cr_assert_eq(kv_engine_run(&cfg, &a, &err), KV_OK, "%s", err.msg);
  cfg.overheads.request = 0.015;
  cr_assert_eq(kv_engine_run(&cfg, &b, &err), KV_OK, "%s", err.msg);
  double ta = a.requests[0].first_token - a.requests[0].arrival;
  double tb = b.requests[0].first_token - b.requests[0].arrival;
  cr_assert_float_eq(tb - ta, 0.015, 1e-12, "TTFT %g -> %g", ta, tb);
  cr_assert_float_eq(b.requests[0].finish - a.requests[0].finish, 0.015, 1e-12);
  cr_assert_eq(a.summary.steps, b.summary.steps);
  cr_assert_float_eq(a.summary.compute_time, b.summary.compute_time, 1e-12);
  cfg.overheads.request = -1;
  cr_assert_eq(kv_engine_run(&cfg, &b, &err), KV_EINVAL);
  cr_assert(strstr(err.msg, "overheads.request"), "%s", err.msg);
  kv_result_free(&a);
  kv_workload_free(&w);
}

/* overheads.serial_intake: requests that arrive together queue for the
 * front end, each `request` seconds after the one before; apart, they do
 * not; without it every request waits its own `request` only. */
Test(engine, serial_intake_queues_requests_that_arrive_together) {
  kv_workload w;
  synth(&w, 3, 1, 1);
  for (int i = 0; i < 3; i++) {
    w.reqs[i].prompt = 200, w.reqs[i].output = 5;
    w.reqs[i].arrival = i < 2 ? 0.0 : 5.0; /* two together, one alone */
  }
  kv_engine_cfg cfg;
  base_cfg(&cfg, &w, "paged");
  cfg.overheads.request = 0.010;
  kv_result a, b;
  kv_error err;
  cr_assert_eq(kv_engine_run(&cfg, &a, &err), KV_OK, "%s", err.msg);
  cfg.overheads.serial_intake = true;
  cr_assert_eq(kv_engine_run(&cfg, &b, &err), KV_OK, "%s", err.msg);
  /* the lone request: the same either way */
  cr_assert_float_eq(b.requests[2].first_token - b.requests[2].arrival,
                     a.requests[2].first_token - a.requests[2].arrival, 1e-12);
  /* the pair: both reach the scheduler at 10 ms without it; with it the
   * second comes 10 ms after the first, so the first is prefilled alone
   * (no later) and the second's first token comes later than before */
  cr_assert(b.requests[0].first_token <= a.requests[0].first_token + 1e-12,
            "%g vs %g", b.requests[0].first_token, a.requests[0].first_token);
  cr_assert(b.requests[1].first_token >= 0.020 - 1e-12, "first token at %g",
            b.requests[1].first_token);
  cr_assert(b.requests[1].first_token > a.requests[1].first_token + 1e-6,
            "%g vs %g", b.requests[1].first_token, a.requests[1].first_token);
  kv_result_free(&a);
  kv_result_free(&b);
  kv_workload_free(&w);
}

/* overheads.late_release: under schedule_ahead the step after the one a
 * request finished in was scheduled with its seat still taken, so a request
 * waiting for a seat (max_num_seqs) starts one step later; the others do
 * not move; without schedule_ahead it is an error naming the field. */
Test(engine, late_release_gives_a_finished_seat_a_step_later) {
  kv_workload w;
  synth(&w, 3, 1, 1);
  uint32_t out[3] = {5, 60, 5};
  for (int i = 0; i < 3; i++)
    w.reqs[i].prompt = 64, w.reqs[i].output = out[i], w.reqs[i].arrival = 0;
  kv_engine_cfg cfg;
  base_cfg(&cfg, &w, "paged");
  cfg.max_num_seqs = 2; /* request 2 waits for request 0's seat */
  cfg.overheads.schedule_ahead = true;
  kv_result a, b;
  kv_error err;
  cr_assert_eq(kv_engine_run(&cfg, &a, &err), KV_OK, "%s", err.msg);
  cfg.overheads.late_release = true;
  cr_assert_eq(kv_engine_run(&cfg, &b, &err), KV_OK, "%s", err.msg);
  cr_assert_float_eq(b.requests[0].finish, a.requests[0].finish, 1e-12);
  cr_assert_float_eq(b.requests[1].first_token, a.requests[1].first_token,
                     1e-12);
  /* request 2's prefill: the step right after request 0's last one, or the
   * step after that */
  double d = b.requests[2].first_token - a.requests[2].first_token;
  double step = a.requests[0].finish / (double)(out[0] + 1);
  cr_assert(d > 0.2 * step && d < 3 * step, "first token %g -> %g (step ~%g)",
            a.requests[2].first_token, b.requests[2].first_token, step);
  cr_assert(a.requests[2].first_token > a.requests[0].finish,
            "request 2 waited for a seat");
  cfg.overheads.schedule_ahead = false;
  cr_assert_eq(kv_engine_run(&cfg, &b, &err), KV_EINVAL);
  cr_assert(strstr(err.msg, "overheads.late_release"), "%s", err.msg);
  kv_result_free(&a);
  kv_workload_free(&w);
}

/* overheads.per_output: the tokens the front end streamed before a request
 * arrived delay its intake (first come, first served); the GPU's steps are
 * untouched; without serial_intake it is an error naming the field. */
Test(engine, front_end_output_work_delays_later_requests_only) {
  kv_workload w;
  synth(&w, 2, 1, 1);
  w.reqs[0].prompt = 100, w.reqs[0].output = 2000, w.reqs[0].arrival = 0.0;
  w.reqs[1].prompt = 100, w.reqs[1].output = 5, w.reqs[1].arrival = 0.5;
  kv_engine_cfg cfg;
  base_cfg(&cfg, &w, "paged");
  cfg.overheads.request = 0.001;
  cfg.overheads.serial_intake = true;
  kv_result a, b;
  kv_error err;
  cr_assert_eq(kv_engine_run(&cfg, &a, &err), KV_OK, "%s", err.msg);
  /* 20 ms per token streamed, one per step of a few ms: by 0.5 s the front
   * end is far behind, and request 1 waits for it */
  cfg.overheads.per_output = 0.020;
  cr_assert_eq(kv_engine_run(&cfg, &b, &err), KV_OK, "%s", err.msg);
  cr_assert_float_eq(b.requests[0].first_token, a.requests[0].first_token,
                     1e-12, "the first request waits for nothing before it");
  double ta = a.requests[1].first_token - a.requests[1].arrival;
  double tb = b.requests[1].first_token - b.requests[1].arrival;
  cr_assert(tb > ta + 0.001, "TTFT %g -> %g", ta, tb);
  cr_assert_eq(a.summary.cpu_time, b.summary.cpu_time);
  cfg.overheads.serial_intake = false;
  cr_assert_eq(kv_engine_run(&cfg, &b, &err), KV_EINVAL);
  cr_assert(strstr(err.msg, "overheads.per_output"), "%s", err.msg);
  kv_result_free(&a);
  kv_workload_free(&w);
}

/* overheads.ordered_output: the front end sends each step's tokens in the
 * running requests' order, per_output seconds each, and a token reaches the
 * client when it is sent. Two requests that arrive together and run in the
 * same steps: the first gets each token per_output after the step's end, the
 * second 2 x per_output (checked against the same run without the switch,
 * whose stamps are the steps' ends); at 20 ms a token the front end cannot
 * keep up with the steps, so a request's last token reaches the client no
 * sooner than its tokens take to send, while the GPU's steps are untouched;
 * without per_output it is an error naming the field. */
Test(engine, ordered_output_stamps_tokens_when_the_front_end_sends_them) {
  kv_workload w;
  synth(&w, 2, 1, 1);
  for (size_t i = 0; i < 2; i++)
    w.reqs[i].prompt = 100, w.reqs[i].output = 20, w.reqs[i].arrival = 0.0;
  kv_engine_cfg cfg;
  base_cfg(&cfg, &w, "paged");
  cfg.overheads.serial_intake = true;
  cfg.overheads.per_output = 1e-6;
  kv_result a, b;
  kv_error err;
  cr_assert_eq(kv_engine_run(&cfg, &a, &err), KV_OK, "%s", err.msg);
  cr_assert_float_eq(a.requests[0].first_token, a.requests[1].first_token,
                     1e-12, "both requests run in the same steps");
  cfg.overheads.ordered_output = true;
  cr_assert_eq(kv_engine_run(&cfg, &b, &err), KV_OK, "%s", err.msg);
  for (size_t i = 0; i < 2; i++) {
    double d = 1e-6 * (double)(i + 1);
    cr_assert_float_eq(b.requests[i].first_token, a.requests[i].first_token + d,
                       1e-12, "request %zu", i);
    cr_assert_float_eq(b.requests[i].finish, a.requests[i].finish + d, 1e-12,
                       "request %zu", i);
  }
  cr_assert_eq(a.summary.steps, b.summary.steps);
  kv_result_free(&a);
  kv_result_free(&b);

  /* 20 ms a token, 40 tokens: the last sent no sooner than 0.8 s after
   * the first step's end */
  cfg.overheads.per_output = 0.020;
  cfg.overheads.ordered_output = false;
  cr_assert_eq(kv_engine_run(&cfg, &a, &err), KV_OK, "%s", err.msg);
  cfg.overheads.ordered_output = true;
  cr_assert_eq(kv_engine_run(&cfg, &b, &err), KV_OK, "%s", err.msg);
  double last = fmax(b.requests[0].finish, b.requests[1].finish);
  cr_assert(last >= a.requests[0].first_token + 40 * 0.020 - 1e-9,
            "last token at %g, first step ended at %g", last,
            a.requests[0].first_token);
  cr_assert(a.requests[1].finish < last - 0.5, "the steps ended by %g",
            a.requests[1].finish);
  cr_assert_eq(a.summary.cpu_time, b.summary.cpu_time);
  cr_assert_eq(a.summary.steps, b.summary.steps);
  kv_result_free(&a);
  kv_result_free(&b);

  cfg.overheads.per_output = 0;
  cr_assert_eq(kv_engine_run(&cfg, &b, &err), KV_EINVAL);
  cr_assert(strstr(err.msg, "overheads.ordered_output"), "%s", err.msg);
  kv_workload_free(&w);
}

/* overheads.eager_per_layer: a step of more tokens than graph_max_tokens
 * launches its kernels one by one, so its compute lasts at least layers x
 * eager_per_layer; smaller steps, and every step when no step is larger,
 * are untouched. */
Test(engine, steps_without_a_graph_last_their_launches) {
  kv_workload w;
  synth(&w, 1, 1, 1);
  w.reqs[0].prompt = 500, w.reqs[0].output = 20;
  kv_result a, b, c;
  kv_error err;
  kv_engine_cfg cfg;
  base_cfg(&cfg, &w, "paged");
  cr_assert_eq(kv_engine_run(&cfg, &a, &err), KV_OK, "%s", err.msg);
  cfg.overheads.eager_per_layer = 1e-3;
  cfg.overheads.graph_max_tokens = 512; /* the 500-token prefill is graphed */
  cr_assert_eq(kv_engine_run(&cfg, &c, &err), KV_OK, "%s", err.msg);
  same_bytes(&a, &c);
  kv_result_free(&c);
  cfg.overheads.graph_max_tokens = 256;
  cr_assert_eq(kv_engine_run(&cfg, &b, &err), KV_OK, "%s", err.msg);
  double launch = 1e-3 * model.layers;
  double ta = a.requests[0].first_token - a.requests[0].arrival;
  double tb = b.requests[0].first_token - b.requests[0].arrival;
  cr_assert_gt(launch, ta, "the test wants a launch longer than the prefill");
  /* the step's other ops (block allocation) come before its compute */
  cr_assert(tb >= launch && tb < launch + 1e-4, "TTFT %g, launches %g", tb,
            launch);
  /* the decode steps (1 token each) are graphed: the same as without */
  cr_assert_float_eq(b.requests[0].finish - b.requests[0].first_token,
                     a.requests[0].finish - a.requests[0].first_token, 1e-12);
  /* the prefill's compute became the launches: all of the TTFT change */
  cr_assert_float_eq(b.summary.compute_time - a.summary.compute_time, tb - ta,
                     1e-12);
  cfg.overheads.eager_per_layer = -1;
  cr_assert_eq(kv_engine_run(&cfg, &c, &err), KV_EINVAL);
  cr_assert(strstr(err.msg, "overheads.eager_per_layer"), "%s", err.msg);
  cfg.overheads.eager_per_layer = 0;
  cfg.overheads.layer_fixed = NAN;
  cr_assert_eq(kv_engine_run(&cfg, &c, &err), KV_EINVAL);
  cr_assert(strstr(err.msg, "overheads.layer_fixed"), "%s", err.msg);
  kv_result_free(&a);
  kv_result_free(&b);
  kv_workload_free(&w);
}

/* client_timeout: an overloaded server (one seat, requests arriving faster
 * than it serves them) aborts every request its client gave up on, running
 * or waiting: each finished request took at most the timeout, the others
 * are timed out (not in the latencies), and memory is all given back (the
 * end-of-run leak check). Without the timeout every request finishes. */
Test(engine, client_timeout_aborts_what_the_client_gave_up_on) {
  kv_workload w;
  synth(&w, 60, 50, 3);
  for (size_t i = 0; i < w.n; i++)
    w.reqs[i].prompt = 300, w.reqs[i].output = 30;
  const double timeout = 1.0;
  for (size_t s = 0; s < 4; s++) {
    kv_result a, b;
    kv_error err;
    kv_engine_cfg cfg;
    base_cfg(&cfg, &w, strategies[s]);
    cfg.max_num_seqs = 1;
    cr_assert_eq(kv_engine_run(&cfg, &a, &err), KV_OK, "%s", err.msg);
    cr_assert_eq(a.summary.timed_out, 0);
    cr_assert_eq(a.summary.completed, (double)w.n);
    cfg.client_timeout = timeout;
    cr_assert_eq(kv_engine_run(&cfg, &b, &err), KV_OK, "%s: %s", strategies[s],
                 err.msg);
    check_accounting(&b, &w);
    cr_assert_gt(b.summary.timed_out, 0, "%s: nothing timed out",
                 strategies[s]);
    cr_assert_gt(b.summary.completed, 0);
    size_t n_done = 0, n_late_start = 0;
    for (size_t i = 0; i < w.n; i++) {
      const kv_request_result *q = &b.requests[i];
      if (q->rejected == KV_REJECT_TIMEOUT) {
        cr_assert_lt(q->generated, q->output, "request %zu", i);
        cr_assert_lt(q->finish, 0);
        if (q->first_token >= 0) n_late_start++;
      } else {
        cr_assert_eq(q->rejected, KV_REJECT_NONE);
        cr_assert_eq(q->generated, q->output);
        cr_assert_leq(q->finish - q->arrival, timeout + 0.1,
                      "request %zu finished %g s after arriving", i,
                      q->finish - q->arrival);
        n_done++;
      }
    }
    cr_assert_eq((double)n_done, b.summary.completed);
    /* the E2E percentiles are of the finished requests only */
    cr_assert_leq(b.summary.e2e_p99, timeout + 0.1, "%g", b.summary.e2e_p99);
    /* some were aborted while running (a first token, then no more) */
    cr_assert_gt(n_late_start, 0, "%s", strategies[s]);
    cfg.client_timeout = -1;
    cr_assert_eq(kv_engine_run(&cfg, &a, &err), KV_EINVAL);
    cr_assert(strstr(err.msg, "client_timeout"), "%s", err.msg);
    kv_result_free(&a);
    kv_result_free(&b);
  }
  kv_workload_free(&w);
}

/* Asynchronous scheduling (eager_overlap): an ungraphed prefill that
 * follows a decode step back to back began launching while that step ran,
 * so it lasts its launches less that step; one reaching an idle engine is
 * launched in full. Without schedule_ahead the option is an error. */
Test(engine, eager_launches_overlap_the_step_before) {
  kv_workload w;
  synth(&w, 2, 1, 1);
  w.reqs[0].arrival = 0, w.reqs[0].prompt = 500, w.reqs[0].output = 400;
  w.reqs[1].arrival = 0.2, w.reqs[1].prompt = 500, w.reqs[1].output = 5;
  kv_result a, b;
  kv_error err;
  kv_engine_cfg cfg;
  base_cfg(&cfg, &w, "paged");
  cfg.overheads.schedule_ahead = true;
  cfg.overheads.eager_per_layer = 1e-3;
  cfg.overheads.graph_max_tokens = 256;
  cr_assert_eq(kv_engine_run(&cfg, &a, &err), KV_OK, "%s", err.msg);
  cfg.overheads.eager_overlap = true;
  cr_assert_eq(kv_engine_run(&cfg, &b, &err), KV_OK, "%s", err.msg);
  /* the first prefill found the engine idle: launched in full */
  cr_assert_float_eq(b.requests[0].first_token, a.requests[0].first_token,
                     1e-12);
  /* the second came while request 0 decoded (still running at 0.2 s) */
  cr_assert_gt(a.requests[0].finish, 0.3, "request 0 must still decode");
  double ta = a.requests[1].first_token - a.requests[1].arrival;
  double tb = b.requests[1].first_token - b.requests[1].arrival;
  double saved = ta - tb;
  /* by about one decode step: more than nothing, less than the launches */
  cr_assert_gt(saved, 1e-4, "TTFT %g with, %g without", tb, ta);
  cr_assert_lt(saved, 1e-3 * model.layers, "saved %g", saved);
  cr_assert_float_eq(b.summary.compute_time - a.summary.compute_time, -saved,
                     1e-9);
  cfg.overheads.schedule_ahead = false;
  cr_assert_eq(kv_engine_run(&cfg, &a, &err), KV_EINVAL);
  cr_assert(strstr(err.msg, "eager_overlap"), "%s", err.msg);
  kv_result_free(&b);
  kv_workload_free(&w);
}

/* MoE: a decode step of one request reads the k experts its token is
 * routed to, not every expert, so the same request finishes sooner than
 * with the model priced as dense (all weights read each step). */
Test(engine, moe_decode_reads_only_the_touched_experts) {
  kv_workload w;
  synth(&w, 1, 1, 1);
  w.reqs[0].prompt = 8, w.reqs[0].output = 50;
  kv_model moe = model;
  moe.params = 20e9, moe.active_params = 6e9; /* fits one H100 */
  moe.moe_experts = 8, moe.moe_topk = 2;
  kv_model dense = moe;
  dense.moe_experts = 0, dense.moe_topk = 0;
  kv_result a, b;
  kv_error err;
  kv_engine_cfg cfg;
  base_cfg(&cfg, &w, "paged");
  cfg.model = &dense;
  cr_assert_eq(kv_engine_run(&cfg, &a, &err), KV_OK, "%s", err.msg);
  cfg.model = &moe;
  cr_assert_eq(kv_engine_run(&cfg, &b, &err), KV_OK, "%s", err.msg);
  double da = a.requests[0].finish - a.requests[0].first_token;
  double db = b.requests[0].finish - b.requests[0].first_token;
  /* decode is weight-bound: about active / total (0.3) of the dense time */
  cr_assert_lt(db, 0.35 * da, "moe %g dense %g", db, da);
  cr_assert_gt(db, 0.2 * da, "moe %g dense %g", db, da);
  kv_result_free(&a);
  kv_result_free(&b);
  kv_workload_free(&w);
}
