/* test_strategy_buddy.c - the buddy strategy: one aligned block of 2^k
 * units per request, growth in place or by a D2D move, shrink by split,
 * merging on free, swaps, admission need, and its self-description.
 * The tiny model has 512 B per token: a unit of 16 tokens is 8 KiB.
 */
#include "strategy_testutil.h"
#include "util.h"

#define UNIT (16ull * 512)

static void setup(tu_strat *t, uint64_t units, uint64_t tail) {
  tu_cfg(t, tu_tiny(), units * UNIT + tail);
  t->cfg.max_context = 4096;
  t->cfg.host_bytes = 1 * MiB;
  tu_create(t, "buddy");
}

Test(strategy_buddy, describes_itself) {
  kv_error e;
  const kv_strategy_vt *vt = kv_strategy_find("buddy", &e);
  cr_assert_not_null(vt, "%s", e.msg);
  cr_assert_eq(vt->addr_mode, KV_ADDR_CONTIGUOUS);
  cr_assert_eq(vt->pool, KV_POOL_DEVICE);
  cr_assert_not_null(kv_strategy_opt_find(vt, "block_tokens"));
  cr_assert_null(kv_strategy_opt_find(vt, "page_bytes"));
  kv_strategy_cfg c;
  kv_strategy_cfg_defaults(&c);
  c.block_tokens = 32;
  char buf[32];
  kv_strategy_label(vt, &c, buf, sizeof buf);
  cr_assert_str_eq(buf, "buddy-32");
}

Test(strategy_buddy, growth_absorbs_a_free_buddy_in_place) {
  tu_strat t;
  setup(&t, 8, 0);
  cr_assert_eq(tu_reserve(&t, 0, 16), KV_OK);
  cr_assert_eq(tu_stats(&t, 0).backed, UNIT);
  cr_assert_eq(tu_reserve(&t, 0, 17), KV_OK); /* order 1: buddy 1 free */
  cr_assert_eq(t.ops.n, 0, "in place: no op");
  cr_assert_eq(tu_stats(&t, 0).backed, 2 * UNIT);
  cr_assert_eq(tu_reserve(&t, 0, 64), KV_OK); /* order 2, in place */
  cr_assert_eq(t.ops.n, 0);
  cr_assert_eq(tu_stats(&t, 0).largest_free, 4 * UNIT);
  tu_destroy(&t);
}

Test(strategy_buddy, growth_moves_with_one_d2d_copy_when_the_buddy_is_taken) {
  tu_strat t;
  setup(&t, 8, 0);
  cr_assert_eq(tu_reserve(&t, 0, 16), KV_OK); /* unit 0 */
  cr_assert_eq(tu_reserve(&t, 1, 10), KV_OK); /* unit 1, 0's buddy */
  cr_assert_eq(tu_reserve(&t, 0, 20), KV_OK);
  cr_assert_eq(tu_nops(&t.ops, KV_OP_COPY), 1);
  const kv_op *o = tu_find(&t.ops, KV_OP_COPY);
  cr_assert_eq(o->dir, KV_COPY_D2D);
  cr_assert_eq(o->bytes, 16 * 512);
  cr_assert_eq(o->runs_n, 1);
  const kv_run *r = &t.ops.runs[o->runs_first];
  cr_assert_eq(r->src, 0);
  cr_assert_eq(r->dst, 2 * UNIT); /* the order-1 block at unit 2 */
  cr_assert_eq(r->bytes, 16 * 512);
  kv_mem_stats s = tu_stats(&t, 0);
  cr_assert_eq(s.backed, 3 * UNIT);
  cr_assert_eq(s.used, 30 * 512);
  cr_assert_eq(s.free + s.backed, s.capacity);
  tu_destroy(&t);
}

Test(strategy_buddy, shrink_splits_and_release_merges_back) {
  tu_strat t;
  setup(&t, 8, 0);
  cr_assert_eq(t.vt->max_request_tokens(t.st), 8 * 16);
  cr_assert_eq(tu_reserve(&t, 0, 128), KV_OK);
  cr_assert_eq(tu_stats(&t, 0).free, 0);
  cr_assert_eq(tu_reserve(&t, 1, 1), KV_ENOMEM);
  cr_assert_eq(t.ops.n, 0);
  cr_assert_eq(tu_reserve(&t, 0, 16), KV_OK);
  cr_assert_eq(t.ops.n, 0);
  kv_mem_stats s = tu_stats(&t, 0);
  cr_assert_eq(s.backed, UNIT);
  cr_assert_eq(s.largest_free, 4 * UNIT);
  tu_release(&t, 0);
  s = tu_stats(&t, 0);
  cr_assert_eq(s.largest_free, 8 * UNIT);
  cr_assert_eq(s.live_requests, 0);
  tu_destroy(&t);
}

Test(strategy_buddy, capacity_tail_and_small_blocks_are_external_frag) {
  tu_strat t;
  setup(&t, 6, 100); /* blocks of 4 and 2 units, 100 B tail */
  cr_assert_eq(t.vt->max_request_tokens(t.st), 4 * 16);
  kv_mem_stats s = tu_stats(&t, 0);
  cr_assert_eq(s.external_frag, 100);
  cr_assert_eq(s.largest_free, 4 * UNIT);
  cr_assert_eq(tu_reserve(&t, 0, 64), KV_OK); /* the 4-unit block */
  s = tu_stats(&t, 64);                       /* next needs 4 units */
  cr_assert_eq(s.external_frag, 100 + 2 * UNIT);
  cr_assert_eq(tu_reserve(&t, 1, 64), KV_ENOMEM);
  cr_assert_eq(tu_reserve(&t, 1, 65), KV_EINVAL); /* beyond any block */
  tu_destroy(&t);
}

Test(strategy_buddy, swap_copies_the_live_bytes_in_one_run) {
  tu_strat t;
  setup(&t, 8, 0);
  cr_assert_eq(tu_reserve(&t, 2, 40), KV_OK);
  cr_assert_eq(tu_swap_out(&t, 2), KV_OK);
  const kv_op *o = tu_find(&t.ops, KV_OP_COPY);
  cr_assert_not_null(o);
  cr_assert_eq(o->dir, KV_COPY_D2H);
  cr_assert_eq(o->bytes, 40 * 512);
  kv_mem_stats s = tu_stats(&t, 0);
  cr_assert_eq(s.backed, 0);
  cr_assert_eq(s.host_used, 40 * 512);
  cr_assert_eq(s.swapped_requests, 1);
  cr_assert_eq(tu_reserve(&t, 2, 41), KV_EINVAL); /* swap in first */
  cr_assert_eq(tu_swap_in(&t, 2), KV_OK);
  o = tu_find(&t.ops, KV_OP_COPY);
  cr_assert_eq(o->dir, KV_COPY_H2D);
  cr_assert_eq(o->bytes, 40 * 512);
  s = tu_stats(&t, 0);
  cr_assert_eq(s.backed, 4 * UNIT);
  cr_assert_eq(s.host_used, 0);
  tu_destroy(&t);
}

Test(strategy_buddy, refuses_bad_configurations) {
  tu_strat t;
  tu_cfg(&t, tu_tiny(), 8 * UNIT);
  t.cfg.max_context = 0; /* the tiny model has none either */
  kv_error e;
  void *st = NULL;
  const kv_strategy_vt *vt = kv_strategy_find("buddy", &e);
  cr_assert_eq(vt->create(&t.cfg, &st, &t.ops, &e), KV_EINVAL);
  cr_assert(strstr(e.msg, "max_context"), "%s", e.msg);
  t.cfg.max_context = 64;
  t.cfg.block_tokens = 0;
  cr_assert_eq(vt->create(&t.cfg, &st, &t.ops, &e), KV_EINVAL);
  cr_assert(strstr(e.msg, "block_tokens"), "%s", e.msg);
  kv_ops_free(&t.ops);
}

/* reserve_need is exactly the drop of free bytes the calls then cause, over
 * random admissions, growths, shrinks, swaps and releases. */
Test(strategy_buddy, need_matches_the_calls_over_random_ops) {
  tu_strat t;
  setup(&t, 61, 7);
  kv_rng rng;
  kv_rng_seed(&rng, 20261214);
  uint8_t state[16] = {0};
  uint64_t mrt = t.vt->max_request_tokens(t.st), checked = 0;
  for (int step = 0; step < 20000; step++) {
    uint32_t q = (uint32_t)kv_rng_below(&rng, 16);
    uint64_t want = kv_rng_below(&rng, mrt + 8);
    if (state[q] == 1 && kv_rng_below(&rng, 4)) {
      if (kv_rng_below(&rng, 8) == 0) {
        cr_assert_eq(tu_swap_out(&t, q), KV_OK);
        state[q] = 2;
      } else if (kv_rng_below(&rng, 8) == 0) {
        tu_release(&t, q);
        state[q] = 0;
      }
      continue;
    }
    kv_mem_stats b = tu_stats(&t, 0);
    uint64_t need = t.vt->reserve_need(t.st, q, want);
    kv_status rc = KV_OK;
    if (state[q] == 2) rc = tu_swap_in(&t, q);
    if (rc == KV_OK) rc = tu_reserve(&t, q, want);
    kv_mem_stats a = tu_stats(&t, 0);
    if (rc != KV_OK) {
      cr_assert_eq(need, UINT64_MAX, "step %d: need %llu but %d", step,
                   (unsigned long long)need, (int)rc);
      if (state[q] == 2 && t.vt->host_blocks == NULL) {
        /* swap_in may have succeeded before the reserve failed */
        kv_mem_stats now = tu_stats(&t, 0);
        if (now.swapped_requests < b.swapped_requests) state[q] = 1;
      }
      continue;
    }
    cr_assert_neq(need, UINT64_MAX, "step %d", step);
    uint64_t drop = b.free > a.free ? b.free - a.free : 0;
    cr_assert_eq(need, drop, "step %d: need %llu, free dropped %llu", step,
                 (unsigned long long)need, (unsigned long long)drop);
    state[q] = 1;
    checked++;
  }
  cr_assert_gt(checked, 1000);
  tu_destroy(&t);
}
