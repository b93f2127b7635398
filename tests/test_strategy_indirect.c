/* test_strategy_indirect.c - the indirect strategy: offset table over
 * slabs created on demand, in-place extension, lowest-slab first fit.
 */
#include "strategy_testutil.h"

#define BPT 131072ull
#define BB (16 * BPT) /* one block = 2 MiB */
#define SLAB (4 * BB) /* 8 MiB slabs of 4 blocks in these tests */

static void setup(tu_strat *t, uint64_t capacity, uint64_t host) {
  tu_cfg(t, tu_llama3_8b(), capacity);
  t->cfg.slab_bytes = SLAB;
  t->cfg.host_bytes = host;
  tu_create(t, "indirect");
  TU_VALID(t);
}

Test(strategy_indirect, create_reserves_va_for_every_slab_once) {
  tu_strat t;
  setup(&t, 3 * SLAB, 0);
  cr_assert_eq(t.ops.n, 1);
  cr_assert_eq(t.ops.ops[0].kind, KV_OP_VMM_RESERVE);
  cr_assert_eq(t.ops.ops[0].bytes, 3 * SLAB);
  kv_mem_stats s = tu_stats(&t, 0);
  cr_assert_eq(s.reserved_va, 3 * SLAB);
  cr_assert_eq(s.backed, 0);
  cr_assert_eq(t.vt->max_request_tokens(t.st), 3 * 4 * 16);
  tu_destroy(&t);
}

Test(strategy_indirect, first_block_creates_a_slab_and_writes_one_entry) {
  tu_strat t;
  setup(&t, 3 * SLAB, 0);
  cr_assert_eq(tu_reserve(&t, 0, 1), KV_OK);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_CREATE), 1);
  cr_assert_eq(tu_find(&t.ops, KV_OP_VMM_CREATE)->bytes, SLAB);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_MAP), 1);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_SET_ACCESS), 1);
  cr_assert_eq(tu_count(&t.ops, KV_OP_TABLE_WRITE), 1);
  cr_assert_eq(tu_find(&t.ops, KV_OP_TABLE_WRITE)->bytes, 8);
  kv_mem_stats s = tu_stats(&t, 0);
  cr_assert_eq(s.backed, BB);
  cr_assert_eq(s.metadata, 8);
  tu_destroy(&t);
}

Test(strategy_indirect, growth_inside_a_slab_only_writes_the_table) {
  tu_strat t;
  setup(&t, 3 * SLAB, 0);
  cr_assert_eq(tu_reserve(&t, 0, 16), KV_OK);
  cr_assert_eq(tu_reserve(&t, 0, 17), KV_OK);
  cr_assert_eq(t.ops.n, 1);
  cr_assert_eq(t.ops.ops[0].kind, KV_OP_TABLE_WRITE);
  cr_assert_eq(t.ops.ops[0].count, 1);
  cr_assert_eq(tu_reserve(&t, 0, 18), KV_OK);
  cr_assert_eq(t.ops.n, 0);
  cr_assert_eq(tu_reserve(&t, 0, 64), KV_OK); /* blocks 3, 4: same slab */
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_CREATE), 0);
  cr_assert_eq(tu_count(&t.ops, KV_OP_TABLE_WRITE), 2);
  cr_assert_eq(tu_reserve(&t, 0, 65), KV_OK); /* slab 1 */
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_CREATE), 1);
  cr_assert_eq(tu_count(&t.ops, KV_OP_TABLE_WRITE), 1);
  tu_destroy(&t);
}

Test(strategy_indirect, growth_extends_in_place_when_the_next_block_is_free) {
  tu_strat t;
  setup(&t, 3 * SLAB, 3 * SLAB);
  cr_assert_eq(tu_reserve(&t, 0, 16), KV_OK); /* block 0 */
  cr_assert_eq(tu_reserve(&t, 1, 16), KV_OK); /* block 1 */
  cr_assert_eq(tu_reserve(&t, 2, 16), KV_OK); /* block 2 */
  tu_release(&t, 1);
  cr_assert_eq(tu_reserve(&t, 2, 32), KV_OK); /* block 3 follows block 2 */
  cr_assert_eq(tu_reserve(&t, 0, 32), KV_OK); /* block 1 follows block 0 */
  cr_assert_eq(tu_swap_out(&t, 0), KV_OK);
  const kv_op *c = tu_find(&t.ops, KV_OP_COPY);
  cr_assert_not_null(c);
  cr_assert_eq(c->count, 1, "blocks 0 and 1 are one run");
  cr_assert_eq(t.ops.runs[c->runs_first].src, 0);
  cr_assert_eq(t.ops.runs[c->runs_first].bytes, 2 * BB);
  cr_assert_eq(tu_swap_out(&t, 2), KV_OK);
  c = tu_find(&t.ops, KV_OP_COPY);
  cr_assert_eq(c->count, 1, "blocks 2 and 3 are one run");
  cr_assert_eq(t.ops.runs[c->runs_first].src, 2 * BB);
  tu_destroy(&t);
}

Test(strategy_indirect, interleaved_growth_gives_several_runs) {
  tu_strat t;
  setup(&t, 3 * SLAB, 3 * SLAB);
  cr_assert_eq(tu_reserve(&t, 0, 16), KV_OK); /* block 0 */
  cr_assert_eq(tu_reserve(&t, 1, 16), KV_OK); /* block 1 */
  cr_assert_eq(tu_reserve(&t, 0, 32), KV_OK); /* block 2 */
  cr_assert_eq(tu_reserve(&t, 1, 32), KV_OK); /* block 3 */
  cr_assert_eq(tu_swap_out(&t, 0), KV_OK);
  const kv_op *c = tu_find(&t.ops, KV_OP_COPY);
  cr_assert_eq(c->count, 2);
  cr_assert_eq(c->bytes, 2 * BB);
  cr_assert_eq(t.ops.runs[c->runs_first + 1].src, 2 * BB);
  tu_destroy(&t);
}

Test(strategy_indirect, new_blocks_prefer_the_lowest_slab) {
  tu_strat t;
  setup(&t, 3 * SLAB, 3 * SLAB);
  cr_assert_eq(tu_reserve(&t, 0, 64), KV_OK); /* slab 0 */
  cr_assert_eq(tu_reserve(&t, 1, 64), KV_OK); /* slab 1 */
  tu_release(&t, 0);
  cr_assert_eq(tu_reserve(&t, 2, 16), KV_OK);
  cr_assert_eq(t.ops.n, 1, "no new slab");
  cr_assert_eq(tu_swap_out(&t, 2), KV_OK);
  const kv_op *c = tu_find(&t.ops, KV_OP_COPY);
  cr_assert_eq(t.ops.runs[c->runs_first].src, 0, "block 0 of slab 0");
  kv_mem_stats s = tu_stats(&t, 0);
  cr_assert_eq(s.backed, SLAB, "only request 1 holds device blocks");
  tu_destroy(&t);
}

Test(strategy_indirect, exhaustion_is_enomem_with_state_unchanged) {
  tu_strat t;
  setup(&t, 2 * SLAB, 0);
  cr_assert_eq(tu_reserve(&t, 0, 100), KV_OK); /* 7 of 8 blocks */
  kv_mem_stats before = tu_stats(&t, 16);
  cr_assert_eq(tu_reserve(&t, 1, 17), KV_ENOMEM, "2 blocks, 1 free");
  cr_assert_eq(t.ops.n, 0);
  kv_mem_stats after = tu_stats(&t, 16);
  tu_assert_stats_eq(&before, &after);
  cr_assert_eq(tu_reserve(&t, 1, 16), KV_OK);
  before = tu_stats(&t, 16);
  cr_assert_eq(tu_reserve(&t, 0, 113), KV_ENOMEM);
  cr_assert_eq(t.ops.n, 0);
  after = tu_stats(&t, 16);
  tu_assert_stats_eq(&before, &after);
  cr_assert_eq(tu_reserve(&t, 0, 129), KV_EINVAL);
  tu_destroy(&t);
}

Test(strategy_indirect, slab_tails_and_capacity_tail_are_external) {
  tu_strat t;
  tu_cfg(&t, tu_llama3_8b(), 2 * (SLAB + BB / 2) + BB);
  t.cfg.slab_bytes = SLAB + BB / 2; /* 4 blocks + half a block each */
  tu_create(&t, "indirect");
  kv_mem_stats s = tu_stats(&t, 0);
  cr_assert_eq(s.external_frag, 2 * (BB / 2) + BB);
  cr_assert_eq(t.vt->max_request_tokens(t.st), 2 * 4 * 16);
  cr_assert_eq(tu_reserve(&t, 0, 128), KV_OK);
  s = tu_stats(&t, 0);
  cr_assert_eq(s.free, 2 * BB);
  cr_assert_eq(s.external_frag, 2 * BB, "all that is free is unusable");
  tu_destroy(&t);
}

Test(strategy_indirect, slab_smaller_than_a_block_is_rejected) {
  tu_strat t;
  tu_cfg(&t, tu_llama3_8b(), 64 * MiB);
  t.cfg.slab_bytes = MiB;
  kv_error e;
  void *st = NULL;
  cr_assert_eq(kv_strategy_indirect.create(&t.cfg, &st, &t.ops, &e), KV_EINVAL);
  cr_assert_not_null(strstr(e.msg, "slab_bytes"), "%s", e.msg);
  kv_ops_free(&t.ops);
}

Test(strategy_indirect, swap_round_trip_keeps_tokens_and_slabs) {
  tu_strat t;
  setup(&t, 2 * SLAB, SLAB);
  cr_assert_eq(tu_reserve(&t, 0, 40), KV_OK);
  cr_assert_eq(tu_swap_out(&t, 0), KV_OK);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_UNMAP), 0, "slabs stay mapped");
  kv_mem_stats s = tu_stats(&t, 0);
  cr_assert_eq(s.backed, 0);
  cr_assert_eq(s.host_used, 3 * BB);
  cr_assert_eq(tu_swap_in(&t, 0), KV_OK);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_CREATE), 0, "slab 0 exists");
  cr_assert_eq(tu_count(&t.ops, KV_OP_TABLE_WRITE), 3);
  const kv_op *c = tu_find(&t.ops, KV_OP_COPY);
  cr_assert_eq(c->dir, KV_COPY_H2D);
  cr_assert_eq(c->bytes, 3 * BB);
  cr_assert_eq(c->count, 1);
  s = tu_stats(&t, 0);
  cr_assert_eq(s.used, 40 * BPT);
  cr_assert_eq(s.host_used, 0);
  tu_destroy(&t);
}

Test(strategy_indirect, destroy_releases_slabs_and_va) {
  tu_strat t;
  setup(&t, 3 * SLAB, 0);
  cr_assert_eq(tu_reserve(&t, 0, 65), KV_OK); /* 2 slabs */
  kv_ops_clear(&t.ops);
  t.vt->destroy(t.st, &t.ops);
  t.st = NULL;
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_UNMAP), 2);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_RELEASE), 2);
  cr_assert_eq(tu_find(&t.ops, KV_OP_VMM_FREE_VA)->bytes, 3 * SLAB);
  kv_ops_free(&t.ops);
}
