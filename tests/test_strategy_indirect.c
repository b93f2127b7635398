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

/* ---- the policy view before the first slab ---- */

Test(strategy_indirect, policy_view_counts_slabs_not_created_yet_as_free) {
  tu_strat t;
  setup(&t, 3 * SLAB, 0);
  kv_tier_stats ts;
  t.vt->tier_stats(t.st, &ts);
  cr_assert_eq(ts.total_blocks, 12, "3 slabs of 4 blocks, none created");
  cr_assert_eq(ts.free_blocks, 12);
  cr_assert_eq(ts.free_ranges, 1);
  cr_assert_eq(ts.largest_free, 12);
  cr_assert_eq(tu_reserve(&t, 0, 16), KV_OK); /* slab 0, block 0 */
  t.vt->tier_stats(t.st, &ts);
  cr_assert_eq(ts.total_blocks, 12);
  cr_assert_eq(ts.free_blocks, 11);
  cr_assert_eq(ts.free_ranges, 1, "blocks 1..3 join slabs 1 and 2");
  cr_assert_eq(ts.largest_free, 11);
  cr_assert_eq(tu_reserve(&t, 1, 64), KV_OK); /* blocks 1..3 and 4 */
  tu_release(&t, 0);
  t.vt->tier_stats(t.st, &ts);
  cr_assert_eq(ts.free_blocks, 8);
  cr_assert_eq(ts.free_ranges, 2, "block 0, then blocks 5..11");
  cr_assert_eq(ts.largest_free, 7);
  tu_destroy(&t);
}

/* ---- sliding windows (layer groups) ---- */

/* Gemma-2-9B by hand (the preset may not be in core/inputs/model.c yet): 42
 * layers, 21 windowed (4,096 tokens), 8 KV heads of 256, bf16: 8192 B per
 * token per layer; groups of gcd(21, 21) = 21 layers, one full lane and
 * one window lane; a block is 16 x 21 x 8192 = 2,752,512 B, 24 of them in
 * a 64 MiB slab (66,060,288 B). */
#define G2_LAYER 8192ull
#define G2_BLOCK (16ull * 21 * G2_LAYER)
#define G2_SLAB (64 * MiB)

static kv_model gemma2_9b(void) {
  kv_model m;
  memset(&m, 0, sizeof m);
  strcpy(m.name, "gemma-2-9b");
  m.layers = 42;
  m.heads = 16;
  m.kv_heads = 8;
  m.head_dim = 256;
  m.dtype_bytes = 2;
  m.sliding_window = 4096;
  m.window_layers = 21;
  m.max_context = 8192;
  return m;
}

/* Mistral-7B (the preset): 32 layers all windowed (4,096 tokens): one
 * window lane of 2 MiB blocks (BB). */
static kv_model mistral_7b(void) {
  kv_model m;
  kv_error e;
  cr_assert_eq(kv_model_preset("mistral-7b", &m, &e), KV_OK, "%s", e.msg);
  cr_assert_eq(kv_model_window_layers(&m), 32);
  return m;
}

static void setup_model(tu_strat *t, kv_model m, uint64_t capacity,
                        uint64_t slab, uint64_t host) {
  tu_cfg(t, m, capacity);
  t->cfg.slab_bytes = slab;
  t->cfg.host_bytes = host;
  tu_create(t, "indirect");
  TU_VALID(t);
}

/* 8,100 tokens: used = (21 x 8100 + 21 x 4096) x 8192 = 2,098,102,272 B;
 * the full lane holds ceil(8100 / 16) = 507 blocks, the window lane the
 * blocks overlapping [4004, 8100): 250..506, 257 blocks; backed =
 * 764 x 2,752,512 = 2,102,919,168 B in ceil(764 / 24) = 32 slabs. */
Test(strategy_indirect,
     gemma2_holds_full_layers_whole_and_windowed_ones_windowed) {
  tu_strat t;
  setup_model(&t, gemma2_9b(), 48 * G2_SLAB, G2_SLAB, 0);
  cr_assert_eq(tu_reserve(&t, 0, 8100), KV_OK);
  cr_assert_eq(tu_count(&t.ops, KV_OP_TABLE_WRITE), 764);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_CREATE), 32);
  kv_mem_stats s = tu_stats(&t, 0);
  cr_assert_eq(s.used, (21ull * 8100 + 21ull * 4096) * G2_LAYER);
  cr_assert_eq(s.used, 2098102272ull);
  cr_assert_eq(s.used, kv_strategy_used_bytes(&t.cfg, 8100));
  cr_assert_eq(s.backed, 764 * G2_BLOCK);
  cr_assert_eq(s.backed, 2102919168ull);
  cr_assert_eq(s.metadata, 8 * 764);
  /* 48 x 24 = 1,152 blocks: m + min(m, 257) <= 1152, m = 895 blocks */
  cr_assert_eq(t.vt->max_request_tokens(t.st), 895 * 16);
  kv_tier_stats ts;
  t.vt->tier_stats(t.st, &ts);
  cr_assert_eq(ts.total_blocks, 1152);
  cr_assert_eq(ts.free_blocks, 1152 - 764);
  tu_destroy(&t);
}

/* Mistral, 8,099 tokens: the window [4003, 8099) is blocks 250..506. */
Test(strategy_indirect, mistral_holds_only_the_window_and_growth_frees) {
  tu_strat t;
  setup_model(&t, mistral_7b(), 3 * 100 * BB, 100 * BB, 0);
  cr_assert_eq(t.vt->max_request_tokens(t.st), UINT64_MAX);
  cr_assert_eq(tu_reserve(&t, 0, 8099), KV_OK);
  cr_assert_eq(tu_count(&t.ops, KV_OP_TABLE_WRITE), 257);
  kv_mem_stats s = tu_stats(&t, 0);
  cr_assert_eq(s.used, 4096 * BPT);
  cr_assert_eq(s.backed, 257 * BB);
  cr_assert_eq(tu_reserve(&t, 0, 8112), KV_OK); /* block 250 leaves */
  cr_assert_eq(t.ops.n, 0);
  cr_assert_eq(tu_stats(&t, 0).backed, 256 * BB);
  cr_assert_eq(tu_reserve(&t, 0, 8113), KV_OK); /* block 507 comes */
  cr_assert_eq(tu_count(&t.ops, KV_OP_TABLE_WRITE), 1);
  cr_assert_eq(tu_stats(&t, 0).backed, 257 * BB);
  cr_assert_eq(tu_stats(&t, 0).used, 4096 * BPT);
  cr_assert_eq(tu_reserve(&t, 0, 8000), KV_EINVAL, "its window was freed");
  cr_assert_eq(t.ops.n, 0);
  tu_destroy(&t);
}

Test(strategy_indirect, windowed_swap_evict_reload_move_only_blocks_held) {
  tu_strat t;
  setup_model(&t, gemma2_9b(), 48 * G2_SLAB, G2_SLAB, 800 * G2_BLOCK);
  cr_assert_eq(tu_reserve(&t, 0, 8100), KV_OK);
  /* swap: 764 blocks out and back */
  cr_assert_eq(tu_swap_out(&t, 0), KV_OK);
  const kv_op *c = tu_find(&t.ops, KV_OP_COPY);
  cr_assert_eq(c->dir, KV_COPY_D2H);
  cr_assert_eq(c->bytes, 764 * G2_BLOCK);
  kv_mem_stats s = tu_stats(&t, 0);
  cr_assert_eq(s.backed, 0);
  cr_assert_eq(s.host_used, 764 * G2_BLOCK);
  cr_assert_eq(tu_swap_in(&t, 0), KV_OK);
  cr_assert_eq(tu_find(&t.ops, KV_OP_COPY)->bytes, 764 * G2_BLOCK);
  cr_assert_eq(tu_count(&t.ops, KV_OP_TABLE_WRITE), 764);
  s = tu_stats(&t, 0);
  cr_assert_eq(s.used, 2098102272ull);
  cr_assert_eq(s.backed, 764 * G2_BLOCK);
  /* evict: the same 764 blocks to the host, tagged; used drops to 0 */
  kv_ops_clear(&t.ops);
  cr_assert_eq(t.vt->evict(t.st, 0, &t.ops), KV_OK);
  TU_VALID(&t);
  cr_assert_eq(t.ops.ops[0].bytes, 764 * G2_BLOCK);
  cr_assert_eq(t.ops.ops[1].count, 764);
  cr_assert_eq(t.vt->host_blocks(t.st, 0), 764);
  s = tu_stats(&t, 0);
  cr_assert_eq(s.used, 0);
  cr_assert_eq(s.backed, 0);
  cr_assert_eq(tu_reserve(&t, 0, 8113), KV_EINVAL, "reload first");
  kv_ops_clear(&t.ops);
  cr_assert_eq(t.vt->reload(t.st, 0, &t.ops), KV_OK);
  TU_VALID(&t);
  cr_assert_eq(tu_find(&t.ops, KV_OP_COPY)->bytes, 764 * G2_BLOCK);
  s = tu_stats(&t, 0);
  cr_assert_eq(s.used, 2098102272ull);
  cr_assert_eq(s.host_used, 0);
  /* growth after the round trip: one full and one window entry, one freed */
  cr_assert_eq(tu_reserve(&t, 0, 8113), KV_OK);
  cr_assert_eq(tu_count(&t.ops, KV_OP_TABLE_WRITE), 2);
  cr_assert_eq(tu_stats(&t, 0).backed, 765 * G2_BLOCK);
  cr_assert_eq(tu_stats(&t, 0).used, kv_strategy_used_bytes(&t.cfg, 8113));
  tu_destroy(&t);
}

/* Two windowed requests grown in turn are interleaved; once one goes,
 * compaction moves the other's held blocks (and only those) into one run. */
Test(strategy_indirect, windowed_compaction_moves_the_blocks_held) {
  tu_strat t;
  setup_model(&t, mistral_7b(), 600 * BB, 600 * BB, 0);
  for (uint64_t k = 1; k <= 20; k++) {
    cr_assert_eq(tu_reserve(&t, 0, 4096 + 16 * k), KV_OK);
    cr_assert_eq(tu_reserve(&t, 1, 16 * k), KV_OK);
  }
  tu_release(&t, 1);
  kv_ops_clear(&t.ops);
  uint64_t moved = t.vt->compact(t.st, 1000, &t.ops);
  TU_VALID(&t);
  cr_assert_eq(moved, 256, "request 0 holds the window's 256 blocks");
  cr_assert_eq(tu_find(&t.ops, KV_OP_COPY)->bytes, 256 * BB);
  cr_assert_eq(tu_stats(&t, 0).backed, 256 * BB);
  kv_ops_clear(&t.ops);
  cr_assert_eq(t.vt->compact(t.st, 1000, &t.ops), 0, "one run already");
  tu_destroy(&t);
}

Test(strategy_indirect, prefix_cache_with_a_window_is_refused) {
  tu_strat t;
  tu_cfg(&t, mistral_7b(), 64 * BB);
  t.cfg.prefix_cache = true;
  kv_error e;
  void *st = NULL;
  cr_assert_eq(kv_strategy_indirect.create(&t.cfg, &st, &t.ops, &e), KV_EINVAL);
  cr_assert_not_null(strstr(e.msg, "cfg.prefix_cache"), "%s", e.msg);
  cr_assert_not_null(strstr(e.msg, "sliding window"), "%s", e.msg);
  kv_ops_free(&t.ops);
}
