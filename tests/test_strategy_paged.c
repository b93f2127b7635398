/* test_strategy_paged.c - the paged strategy (vLLM blocks + block table). */
#include "strategy_testutil.h"

/* Llama-3-8B, 16-token blocks: one block = 2 MiB. */
#define BB (16ull * 131072)

static void setup(tu_strat *t, uint64_t capacity, uint64_t host) {
  tu_cfg(t, tu_llama3_8b(), capacity);
  t->cfg.host_bytes = host;
  tu_create(t, "paged");
  cr_assert_eq(t->ops.n, 0, "no setup ops");
  TU_VALID(t);
}

Test(strategy_paged, first_tokens_take_one_block_and_one_table_write) {
  tu_strat t;
  setup(&t, 10 * BB, 0);
  cr_assert_eq(tu_reserve(&t, 0, 1), KV_OK);
  cr_assert_eq(t.ops.n, 1);
  cr_assert_eq(t.ops.ops[0].kind, KV_OP_TABLE_WRITE);
  cr_assert_eq(t.ops.ops[0].count, 1);
  cr_assert_eq(t.ops.ops[0].bytes, 4);
  cr_assert_eq(t.ops.ops[0].req, 0);
  kv_mem_stats s = tu_stats(&t, 0);
  cr_assert_eq(s.allocated, BB);
  cr_assert_eq(s.backed, BB);
  cr_assert_eq(s.used, 131072);
  cr_assert_eq(s.metadata, 4);
  tu_destroy(&t);
}

Test(strategy_paged, grow_from_16_to_17_writes_one_entry) {
  tu_strat t;
  setup(&t, 10 * BB, 0);
  cr_assert_eq(tu_reserve(&t, 0, 16), KV_OK);
  cr_assert_eq(tu_reserve(&t, 0, 17), KV_OK);
  cr_assert_eq(tu_nops(&t.ops, KV_OP_TABLE_WRITE), 1);
  cr_assert_eq(tu_count(&t.ops, KV_OP_TABLE_WRITE), 1);
  cr_assert_eq(t.ops.n, 1);
  for (uint64_t k = 18; k <= 32; k++) {
    cr_assert_eq(tu_reserve(&t, 0, k), KV_OK);
    cr_assert_eq(t.ops.n, 0, "inside block 2 at %lu tokens", (unsigned long)k);
  }
  cr_assert_eq(tu_stats(&t, 0).internal_frag, 0);
  tu_destroy(&t);
}

Test(strategy_paged, prefill_writes_all_new_entries_in_one_op) {
  tu_strat t;
  setup(&t, 10 * BB, 0);
  cr_assert_eq(tu_reserve(&t, 0, 100), KV_OK); /* ceil(100/16) = 7 */
  cr_assert_eq(t.ops.n, 1);
  cr_assert_eq(t.ops.ops[0].count, 7);
  cr_assert_eq(t.ops.ops[0].bytes, 28);
  kv_mem_stats s = tu_stats(&t, 0);
  cr_assert_eq(s.internal_frag, 7 * BB - 100 * 131072);
  tu_destroy(&t);
}

Test(strategy_paged, release_returns_blocks_to_the_pool) {
  tu_strat t;
  setup(&t, 4 * BB, 0);
  cr_assert_eq(tu_reserve(&t, 0, 64), KV_OK);
  cr_assert_eq(tu_reserve(&t, 1, 1), KV_ENOMEM);
  tu_release(&t, 0);
  cr_assert_eq(t.ops.n, 0);
  kv_mem_stats s = tu_stats(&t, 0);
  cr_assert_eq(s.backed, 0);
  cr_assert_eq(s.free, 4 * BB);
  cr_assert_eq(s.live_requests, 0);
  cr_assert_eq(tu_reserve(&t, 1, 64), KV_OK);
  tu_destroy(&t);
}

Test(strategy_paged, exhaustion_is_enomem_with_state_unchanged) {
  tu_strat t;
  setup(&t, 4 * BB, 0);
  cr_assert_eq(tu_reserve(&t, 0, 40), KV_OK); /* 3 blocks */
  cr_assert_eq(tu_reserve(&t, 1, 10), KV_OK); /* 1 block */
  kv_mem_stats before = tu_stats(&t, 16);
  cr_assert_eq(tu_reserve(&t, 0, 49), KV_ENOMEM);
  cr_assert_eq(t.ops.n, 0);
  cr_assert_eq(tu_reserve(&t, 2, 1), KV_ENOMEM);
  cr_assert_eq(t.ops.n, 0);
  kv_mem_stats after = tu_stats(&t, 16);
  tu_assert_stats_eq(&before, &after);
  cr_assert_eq(tu_reserve(&t, 0, 48), KV_OK, "still inside block 3");
  tu_destroy(&t);
}

Test(strategy_paged, more_tokens_than_the_pool_is_einval) {
  tu_strat t;
  setup(&t, 4 * BB, 0);
  cr_assert_eq(t.vt->max_request_tokens(t.st), 64);
  cr_assert_eq(tu_reserve(&t, 0, 65), KV_EINVAL);
  cr_assert_eq(t.ops.n, 0);
  cr_assert_eq(tu_reserve(&t, 0, 64), KV_OK);
  tu_destroy(&t);
}

Test(strategy_paged, capacity_tail_is_external_fragmentation) {
  tu_strat t;
  setup(&t, 10 * BB + BB / 2, 0);
  kv_mem_stats s = tu_stats(&t, 100);
  cr_assert_eq(s.external_frag, BB / 2);
  cr_assert_eq(s.free, 10 * BB + BB / 2);
  cr_assert_eq(s.largest_free, BB);
  cr_assert_eq(t.vt->max_request_tokens(t.st), 160);
  tu_destroy(&t);
}

/* A takes blocks 0,1; B block 2; A grows into block 3: A's copy has two
 * physically contiguous runs, [0, 2 blocks) and [3 blocks, +1). */
Test(strategy_paged, swap_out_copies_one_run_per_contiguous_group) {
  tu_strat t;
  setup(&t, 8 * BB, 8 * BB);
  cr_assert_eq(tu_reserve(&t, 0, 32), KV_OK);
  cr_assert_eq(tu_reserve(&t, 1, 16), KV_OK);
  cr_assert_eq(tu_reserve(&t, 0, 48), KV_OK);
  cr_assert_eq(tu_swap_out(&t, 0), KV_OK);
  cr_assert_eq(t.ops.n, 1);
  const kv_op *c = &t.ops.ops[0];
  cr_assert_eq(c->kind, KV_OP_COPY);
  cr_assert_eq(c->dir, KV_COPY_D2H);
  cr_assert_eq(c->count, 2);
  cr_assert_eq(c->bytes, 3 * BB);
  cr_assert_eq(c->runs_n, 2);
  const kv_run *r = &t.ops.runs[c->runs_first];
  cr_assert_eq(r[0].src, 0);
  cr_assert_eq(r[0].bytes, 2 * BB);
  cr_assert_eq(r[1].src, 3 * BB);
  cr_assert_eq(r[1].bytes, BB);
  cr_assert_eq(r[1].dst, r[0].dst + 2 * BB, "host side is contiguous");
  kv_mem_stats s = tu_stats(&t, 0);
  cr_assert_eq(s.backed, BB);
  cr_assert_eq(s.host_used, 3 * BB);
  cr_assert_eq(s.swapped_requests, 1);
  cr_assert_eq(s.metadata, 4);

  cr_assert_eq(tu_swap_in(&t, 0), KV_OK);
  cr_assert_eq(tu_count(&t.ops, KV_OP_TABLE_WRITE), 3);
  c = tu_find(&t.ops, KV_OP_COPY);
  cr_assert_not_null(c);
  cr_assert_eq(c->dir, KV_COPY_H2D);
  cr_assert_eq(c->bytes, 3 * BB);
  s = tu_stats(&t, 0);
  cr_assert_eq(s.used, (48 + 16) * 131072);
  cr_assert_eq(s.host_used, 0);
  cr_assert_eq(s.live_requests, 2);
  tu_destroy(&t);
}

Test(strategy_paged, swap_in_without_blocks_is_enomem_with_state_unchanged) {
  tu_strat t;
  setup(&t, 4 * BB, 4 * BB);
  cr_assert_eq(tu_reserve(&t, 0, 48), KV_OK);
  cr_assert_eq(tu_swap_out(&t, 0), KV_OK);
  cr_assert_eq(tu_reserve(&t, 1, 40), KV_OK);
  kv_mem_stats before = tu_stats(&t, 0);
  cr_assert_eq(tu_swap_in(&t, 0), KV_ENOMEM);
  cr_assert_eq(t.ops.n, 0);
  kv_mem_stats after = tu_stats(&t, 0);
  tu_assert_stats_eq(&before, &after);
  tu_destroy(&t);
}

Test(strategy_paged, swap_out_with_a_full_host_tier_is_enomem) {
  tu_strat t;
  setup(&t, 4 * BB, BB);
  cr_assert_eq(tu_reserve(&t, 0, 20), KV_OK); /* 2 blocks > 1 host block */
  kv_mem_stats before = tu_stats(&t, 0);
  cr_assert_eq(tu_swap_out(&t, 0), KV_ENOMEM);
  cr_assert_eq(t.ops.n, 0);
  kv_mem_stats after = tu_stats(&t, 0);
  tu_assert_stats_eq(&before, &after);
  tu_destroy(&t);
}
