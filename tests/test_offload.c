/* test_offload.c - the host's copy of the prefix cache (kv_engine_cfg
 * offload_bytes, core/engine/engine_offload.c), as vLLM's CPU KV offloading:
 * - prompts that no longer fit the device's prefix cache come back from the
 *   host: the blocks loaded are not prefilled (computed + device hits + host
 *   hits = every prompt token), the copies carry exactly those blocks, and
 *   TTFT falls against the same run without the host copy;
 * - a host smaller than the prompts' blocks keeps only the most recently
 *   used ones: prompts cycled back find nothing there and are stored anew;
 * - under memory pressure, loaded blocks stay in the device's cache: no
 *   cycle of preemption and reload;
 * - with the device's cache large enough nothing is loaded, every full
 *   block is stored once, and the run is otherwise the same;
 * - offload_bytes without prefix_sharing is refused, naming both, and a
 *   size of more blocks than it keeps track of is refused.
 */
#include <criterion/criterion.h>

#include "engine_testutil.h"
#include "engine.h"
#include "util.h"

static kv_model model;
static kv_platform platform;

static void setup(void) {
  tu_llama3_h100(&model, &platform);
}

enum { FAMILIES = 6, PROMPT = 4000, HB = 512 };
/* a prompt's tokens in whole hash blocks (its family's, shared) and the
 * full 16-token blocks of the rest (its own) */
enum { SHARED = PROMPT / HB * HB, OWN_BLOCKS = (PROMPT - SHARED) / 16 };

/* n requests one after another (each done before the next arrives), the
 * prompt of request i that of family i % FAMILIES: whole 512-token blocks
 * named by family, the last partial block by request. */
static void cycle_workload(kv_workload *w, size_t n, double gap,
                           uint32_t output) {
  kv_workload_init(w);
  w->reqs = kv_xcalloc(n, sizeof *w->reqs);
  uint32_t per = KV_DIV_CEIL(PROMPT, HB);
  uint32_t *ids = kv_xcalloc(n * per, sizeof *ids);
  w->n = n;
  w->hash_block_tokens = HB;
  snprintf(w->source, sizeof w->source, "test prompt cycle");
  size_t nh = 0;
  for (size_t i = 0; i < n; i++) {
    kv_request_spec *r = &w->reqs[i];
    r->arrival = gap * (double)i;
    r->prompt = PROMPT;
    r->output = output;
    r->hash_off = nh;
    r->hash_n = per;
    for (uint32_t j = 0; j < per; j++) {
      bool whole = (j + 1) * HB <= PROMPT;
      ids[nh++] =
          whole ? (uint32_t)(i % FAMILIES) * 100 + j : 100000 + (uint32_t)i;
    }
  }
  kv_workload_set_ids(w, ids, nh);
  free(ids);
}

static kv_status run_gap(size_t n, double gap, uint32_t output,
                         uint64_t capacity, uint64_t offload, bool share,
                         kv_result *res, kv_error *err) {
  kv_workload w;
  cycle_workload(&w, n, gap, output);
  kv_engine_cfg cfg;
  kv_engine_cfg_defaults(&cfg);
  cfg.model = &model;
  cfg.platform = &platform;
  cfg.workload = &w;
  cfg.strategy = kv_strategy_find("paged", err);
  cfg.kv_capacity = capacity;
  cfg.prefix_sharing = share;
  cfg.offload_bytes = offload;
  cfg.check_level = 2;
  kv_status s = kv_engine_run(&cfg, res, err);
  kv_workload_free(&w);
  return s;
}

static kv_status run(size_t n, uint64_t capacity, uint64_t offload, bool share,
                     kv_result *res, kv_error *err) {
  return run_gap(n, 2.0, 10, capacity, offload, share, res, err);
}

static uint64_t block_bytes(void) {
  kv_strategy_cfg c;
  kv_strategy_cfg_defaults(&c);
  c.model = &model;
  return (uint64_t)c.block_tokens * kv_strategy_bytes_per_token(&c);
}

/* 1.5 GiB of KV holds about three of the six 4,000-token prompts: the
 * device's cache keeps the last ones, the host all of them */
Test(offload, evicted_prompts_come_back_from_the_host, .init = setup) {
  kv_result dev, host;
  kv_error err;
  size_t n = 36;
  cr_assert_eq(run(n, 3ull << 29, 0, true, &dev, &err), KV_OK, "%s", err.msg);
  cr_assert_eq(run(n, 3ull << 29, 8ull << 30, true, &host, &err), KV_OK, "%s",
               err.msg);
  cr_assert_eq(host.summary.completed, (double)n);
  cr_assert_eq(host.summary.preemptions, 0);
  cr_assert_eq(dev.tier.offload_loads, 0);
  cr_assert_lt(dev.tier.prefix_hit_tokens, 0.5 * n * PROMPT,
               "the device alone keeps few prompts: %g",
               dev.tier.prefix_hit_tokens);
  double all = (double)n * PROMPT;
  cr_assert_eq(host.summary.prompt_tokens + host.tier.prefix_hit_tokens +
                   host.tier.offload_hit_tokens,
               all, "%g + %g + %g != %g", host.summary.prompt_tokens,
               host.tier.prefix_hit_tokens, host.tier.offload_hit_tokens, all);
  /* after the first cycle a prompt's shared blocks are all found, on the
   * device or the host */
  double found = host.tier.prefix_hit_tokens + host.tier.offload_hit_tokens;
  cr_assert_eq(found, (double)(n - FAMILIES) * SHARED, "found %g tokens",
               found);
  cr_assert_gt(host.tier.offload_loads, 0);
  cr_assert_eq(host.tier.offload_hit_tokens, host.tier.offload_loads * 16);
  uint64_t bb = block_bytes();
  cr_assert_eq(host.summary.copy_bytes_h2d,
               host.tier.offload_loads * (double)bb);
  cr_assert_eq(host.summary.copy_bytes_d2h,
               host.tier.offload_stores * (double)bb);
  /* each distinct full block is stored once: the host never drops one */
  cr_assert_eq(host.tier.offload_stores,
               (double)FAMILIES * (SHARED / 16) + (double)n * OWN_BLOCKS,
               "stores %g", host.tier.offload_stores);
  cr_assert_lt(host.summary.ttft_p50, dev.summary.ttft_p50, "%g vs %g",
               host.summary.ttft_p50, dev.summary.ttft_p50);
  kv_result_free(&dev);
  kv_result_free(&host);
}

/* A host of 300 blocks holds one prompt's 250 full blocks, not two: least
 * recently used blocks go first, so a prompt cycled back after five others
 * finds none of its blocks there (cyclic reuse defeats LRU), and each
 * request stores its prompt again. */
Test(offload, a_small_host_keeps_the_most_recent_blocks, .init = setup) {
  kv_result big, small;
  kv_error err;
  size_t n = 36;
  uint64_t bb = block_bytes();
  cr_assert_eq(run(n, 3ull << 29, 8ull << 30, true, &big, &err), KV_OK, "%s",
               err.msg);
  cr_assert_eq(run(n, 3ull << 29, 300 * bb, true, &small, &err), KV_OK, "%s",
               err.msg);
  cr_assert_eq(small.summary.completed, (double)n);
  cr_assert_gt(big.tier.offload_loads, 0);
  cr_assert_eq(small.tier.offload_loads, 0, "%g", small.tier.offload_loads);
  cr_assert_eq(small.tier.offload_stores,
               (double)n * (SHARED / 16 + OWN_BLOCKS), "%g",
               small.tier.offload_stores);
  kv_result_free(&big);
  kv_result_free(&small);
}

/* With room for every prompt on the device nothing comes from the host;
 * the stores are background copies, so the run is the same run. */
Test(offload, a_large_device_cache_loads_nothing, .init = setup) {
  kv_result dev, host;
  kv_error err;
  size_t n = 24;
  cr_assert_eq(run(n, 40ull << 30, 0, true, &dev, &err), KV_OK, "%s", err.msg);
  cr_assert_eq(run(n, 40ull << 30, 8ull << 30, true, &host, &err), KV_OK, "%s",
               err.msg);
  cr_assert_eq(host.tier.offload_loads, 0);
  cr_assert_eq(host.tier.offload_stores,
               (double)FAMILIES * (SHARED / 16) + (double)n * OWN_BLOCKS);
  cr_assert_eq(host.summary.prompt_tokens, dev.summary.prompt_tokens);
  cr_assert_eq(host.tier.prefix_hit_tokens, dev.tier.prefix_hit_tokens);
  cr_assert_eq(host.summary.ttft_p50, dev.summary.ttft_p50);
  cr_assert_eq(dev.summary.copy_bytes_d2h, 0);
  kv_result_free(&dev);
  kv_result_free(&host);
}

Test(offload, needs_prefix_sharing, .init = setup) {
  kv_result r;
  kv_error err;
  cr_assert_eq(run(4, 40ull << 30, 8ull << 30, false, &r, &err), KV_EINVAL);
  cr_assert(strstr(err.msg, "offload_bytes") &&
                strstr(err.msg, "prefix_sharing"),
            "%s", err.msg);
  kv_result_free(&r);
}

/* A host copy too large to keep track of is refused before the run, with
 * the blocks it would be. */
Test(offload, an_impossible_size_is_refused, .init = setup) {
  kv_result r;
  kv_error err;
  cr_assert_eq(run(4, 40ull << 30, 1ull << 62, true, &r, &err), KV_EINVAL);
  cr_assert(strstr(err.msg, "offload_bytes") && strstr(err.msg, "host blocks"),
            "%s", err.msg);
  kv_result_free(&r);
}

/* Under memory pressure (requests 50 ms apart generating 2,000 tokens each
 * in 1.5 GiB of KV: they preempt one another) a request admitted with blocks
 * from the host keeps them in the device's cache, so being preempted before it
 * computes does not send it back to the host for them again: preemptions stay
 * near the run's without the host copy, and less prompt is prefilled. */
Test(offload, memory_pressure_does_not_thrash, .init = setup) {
  kv_result dev, host;
  kv_error err;
  size_t n = 60;
  cr_assert_eq(run_gap(n, 0.05, 2000, 3ull << 29, 0, true, &dev, &err), KV_OK,
               "%s", err.msg);
  cr_assert_eq(
      run_gap(n, 0.05, 2000, 3ull << 29, 8ull << 30, true, &host, &err), KV_OK,
      "%s", err.msg);
  cr_assert_eq(host.summary.completed, (double)n);
  cr_assert_gt(dev.summary.preemptions, 0, "the run should preempt");
  cr_assert_gt(host.tier.offload_loads, 0);
  cr_assert_leq(host.summary.preemptions, 2 * dev.summary.preemptions + 5,
                "%g vs %g", host.summary.preemptions, dev.summary.preemptions);
  cr_assert_lt(host.summary.prompt_tokens, dev.summary.prompt_tokens,
               "%g vs %g", host.summary.prompt_tokens,
               dev.summary.prompt_tokens);
  kv_result_free(&dev);
  kv_result_free(&host);
}
