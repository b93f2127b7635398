/* test_strategy_vmm.c - the vmm strategy (vAttention): VA slots, growth
 * steps of mapped pages, map-ahead, deferred reclamation, swap.
 */
#include "strategy_testutil.h"

#define BPT 131072ull /* Llama-3-8B bytes per token */
#define PG (2 * MiB)

static void setup(tu_strat *t, kv_vmm_layout layout, uint64_t capacity) {
  tu_cfg(t, tu_llama3_8b(), capacity);
  t->cfg.vmm_layout = layout;
}

Test(strategy_vmm, per_layer_first_token_maps_one_page_in_all_64_ranges) {
  tu_strat t;
  setup(&t, KV_VMM_PER_LAYER, 1024 * MiB);
  tu_create(&t, "vmm");
  cr_assert_eq(tu_reserve(&t, 0, 1), KV_OK);
  cr_assert_eq(tu_nops(&t.ops, KV_OP_VMM_RESERVE), 64, "a new VA slot");
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_CREATE), 64);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_MAP), 64);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_SET_ACCESS), 64);
  cr_assert_eq(tu_find(&t.ops, KV_OP_VMM_CREATE)->bytes, PG);
  /* 8192 tokens x 2048 B per range = 16 MiB per range */
  cr_assert_eq(tu_find(&t.ops, KV_OP_VMM_RESERVE)->bytes, 16 * MiB);
  kv_mem_stats s = tu_stats(&t, 0);
  cr_assert_eq(s.backed, 64 * PG);
  cr_assert_eq(s.allocated, 64 * PG);
  cr_assert_eq(s.used, BPT);
  cr_assert_eq(s.reserved_va, 64 * 16 * MiB);
  cr_assert_eq(s.metadata, 64 * 16);
  tu_destroy(&t);
}

Test(strategy_vmm, per_layer_page_covers_1024_tokens) {
  tu_strat t;
  setup(&t, KV_VMM_PER_LAYER, 1024 * MiB);
  tu_create(&t, "vmm");
  cr_assert_eq(tu_reserve(&t, 0, 1), KV_OK);
  cr_assert_eq(tu_reserve(&t, 0, 1024), KV_OK);
  cr_assert_eq(t.ops.n, 0);
  cr_assert_eq(tu_reserve(&t, 0, 1025), KV_OK);
  cr_assert_eq(tu_nops(&t.ops, KV_OP_VMM_RESERVE), 0, "slot already there");
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_CREATE), 64);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_MAP), 64);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_SET_ACCESS), 64);
  cr_assert_eq(tu_stats(&t, 0).backed, 128 * PG);
  tu_destroy(&t);
}

Test(strategy_vmm, all_layers_page_covers_16_tokens) {
  tu_strat t;
  setup(&t, KV_VMM_ALL_LAYERS, 64 * MiB);
  tu_create(&t, "vmm");
  cr_assert_eq(tu_reserve(&t, 0, 16), KV_OK);
  cr_assert_eq(tu_nops(&t.ops, KV_OP_VMM_RESERVE), 1);
  cr_assert_eq(tu_find(&t.ops, KV_OP_VMM_RESERVE)->bytes, 8192 * BPT);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_CREATE), 1);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_MAP), 1);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_SET_ACCESS), 1);
  cr_assert_eq(tu_reserve(&t, 0, 17), KV_OK);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_CREATE), 1);
  cr_assert_eq(tu_reserve(&t, 0, 100), KV_OK); /* pages 3..7 */
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_MAP), 5);
  kv_mem_stats s = tu_stats(&t, 0);
  cr_assert_eq(s.backed, 7 * PG);
  cr_assert_eq(s.internal_frag, 7 * PG - 100 * BPT);
  tu_destroy(&t);
}

Test(strategy_vmm, page_smaller_than_a_token_is_rejected_naming_page_bytes) {
  tu_strat t;
  setup(&t, KV_VMM_ALL_LAYERS, 64 * MiB);
  t.cfg.page_bytes = 64 * 1024;
  kv_error e;
  const kv_strategy_vt *vt = kv_strategy_find("vmm", &e);
  void *st = NULL;
  cr_assert_eq(vt->create(&t.cfg, &st, &t.ops, &e), KV_EINVAL);
  cr_assert_not_null(strstr(e.msg, "page_bytes"), "%s", e.msg);
  kv_ops_free(&t.ops);
}

Test(strategy_vmm, release_unmaps_and_releases_then_slot_is_reused) {
  tu_strat t;
  setup(&t, KV_VMM_PER_LAYER, 1024 * MiB);
  tu_create(&t, "vmm");
  cr_assert_eq(tu_reserve(&t, 0, 2000), KV_OK); /* 2 steps = 128 pages */
  tu_release(&t, 0);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_UNMAP), 128);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_RELEASE), 128);
  cr_assert_eq(tu_nops(&t.ops, KV_OP_VMM_FREE_VA), 0, "VA kept for reuse");
  kv_mem_stats s = tu_stats(&t, 0);
  cr_assert_eq(s.backed, 0);
  cr_assert_eq(s.reserved_va, 64 * 16 * MiB);
  cr_assert_eq(tu_reserve(&t, 5, 1), KV_OK);
  cr_assert_eq(tu_nops(&t.ops, KV_OP_VMM_RESERVE), 0, "slot reused");
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_CREATE), 64, "handles re-created");
  cr_assert_eq(tu_stats(&t, 0).reserved_va, 64 * 16 * MiB);
  tu_destroy(&t);
}

Test(strategy_vmm, exhaustion_is_enomem_with_state_unchanged) {
  tu_strat t;
  setup(&t, KV_VMM_PER_LAYER, 64 * PG + 10 * PG); /* one step + 10 pages */
  tu_create(&t, "vmm");
  cr_assert_eq(tu_reserve(&t, 0, 1024), KV_OK);
  kv_mem_stats before = tu_stats(&t, 1);
  cr_assert_eq(before.external_frag, 10 * PG, "10 pages never make a step");
  cr_assert_eq(tu_reserve(&t, 1, 1), KV_ENOMEM);
  cr_assert_eq(t.ops.n, 0, "no VA reserved for a refused request");
  cr_assert_eq(t.vt->max_request_tokens(t.st), 1024);
  cr_assert_eq(tu_reserve(&t, 0, 1025), KV_EINVAL);
  cr_assert_eq(t.ops.n, 0);
  kv_mem_stats after = tu_stats(&t, 1);
  tu_assert_stats_eq(&before, &after);
  tu_destroy(&t);
}

Test(strategy_vmm, more_than_max_context_is_einval) {
  tu_strat t;
  setup(&t, KV_VMM_ALL_LAYERS, 64 * 1024 * MiB);
  t.cfg.max_context = 100;
  tu_create(&t, "vmm");
  cr_assert_eq(t.vt->max_request_tokens(t.st), 100);
  cr_assert_eq(tu_reserve(&t, 0, 101), KV_EINVAL);
  cr_assert_eq(tu_reserve(&t, 0, 100), KV_OK);
  tu_destroy(&t);
}

Test(strategy_vmm, deferred_reclaim_reuses_pages_without_driver_calls) {
  tu_strat t;
  setup(&t, KV_VMM_ALL_LAYERS, 64 * MiB);
  t.cfg.deferred_reclaim = true;
  tu_create(&t, "vmm");
  cr_assert_eq(tu_reserve(&t, 0, 64), KV_OK); /* 4 pages */
  tu_release(&t, 0);
  cr_assert_eq(t.ops.n, 0, "pages stay mapped");
  kv_mem_stats s = tu_stats(&t, 0);
  cr_assert_eq(s.backed, 4 * PG, "kept pages are backed");
  cr_assert_eq(s.allocated, 0, "but belong to no live request");
  cr_assert_eq(s.live_requests, 0);
  cr_assert_eq(tu_reserve(&t, 7, 50), KV_OK);
  cr_assert_eq(t.ops.n, 0, "the new request reuses slot and pages");
  s = tu_stats(&t, 0);
  cr_assert_eq(s.allocated, 4 * PG);
  cr_assert_eq(s.internal_frag, 4 * PG - 50 * BPT);
  tu_destroy(&t);
}

/* Pool of 8 pages. A and B take 4 each; A finishes (pages kept); B grows:
 * the pool is dry, so one page is unmapped from A's idle slot and mapped
 * for B: no create, no release. */
Test(strategy_vmm, deferred_reclaim_takes_idle_pages_when_the_pool_is_dry) {
  tu_strat t;
  setup(&t, KV_VMM_ALL_LAYERS, 8 * PG);
  t.cfg.deferred_reclaim = true;
  tu_create(&t, "vmm");
  cr_assert_eq(tu_reserve(&t, 0, 64), KV_OK);
  cr_assert_eq(tu_reserve(&t, 1, 64), KV_OK);
  tu_release(&t, 0);
  cr_assert_eq(tu_stats(&t, 0).free, 0);
  cr_assert_eq(tu_reserve(&t, 1, 65), KV_OK);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_UNMAP), 1);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_MAP), 1);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_SET_ACCESS), 1);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_CREATE), 0);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_RELEASE), 0);
  kv_mem_stats s = tu_stats(&t, 0);
  cr_assert_eq(s.backed, 8 * PG);
  cr_assert_eq(s.allocated, 5 * PG);
  /* C gets A's slot with its 3 remaining pages */
  cr_assert_eq(tu_reserve(&t, 2, 48), KV_OK);
  cr_assert_eq(t.ops.n, 0);
  cr_assert_eq(tu_reserve(&t, 2, 49), KV_ENOMEM, "nothing left to reclaim");
  cr_assert_eq(t.ops.n, 0);
  tu_destroy(&t);
}

Test(strategy_vmm, map_ahead_maps_the_extra_pages_in_background) {
  tu_strat t;
  setup(&t, KV_VMM_ALL_LAYERS, 64 * MiB);
  t.cfg.map_ahead = 32;
  tu_create(&t, "vmm");
  cr_assert_eq(tu_reserve(&t, 0, 1), KV_OK);
  /* critical: the page for token 1; background: pages for tokens 17..33 */
  cr_assert_eq(tu_count_f(&t.ops, KV_OP_VMM_MAP, KV_OPF_BACKGROUND, 0), 1);
  cr_assert_eq(tu_count_f(&t.ops, KV_OP_VMM_CREATE, KV_OPF_BACKGROUND, 0), 1);
  cr_assert_eq(
      tu_count_f(&t.ops, KV_OP_VMM_MAP, KV_OPF_BACKGROUND, KV_OPF_BACKGROUND),
      2);
  cr_assert_eq(tu_count_f(&t.ops, KV_OP_VMM_SET_ACCESS, KV_OPF_BACKGROUND,
                          KV_OPF_BACKGROUND),
               2);
  /* tokens 2..16 need nothing: 16+32 = 48 tokens = 3 pages already there */
  for (uint64_t k = 2; k <= 16; k++) {
    cr_assert_eq(tu_reserve(&t, 0, k), KV_OK);
    cr_assert_eq(t.ops.n, 0);
  }
  cr_assert_eq(tu_reserve(&t, 0, 17), KV_OK); /* wants 4 pages ahead */
  cr_assert_eq(tu_count_f(&t.ops, KV_OP_VMM_MAP, KV_OPF_BACKGROUND, 0), 0);
  cr_assert_eq(
      tu_count_f(&t.ops, KV_OP_VMM_MAP, KV_OPF_BACKGROUND, KV_OPF_BACKGROUND),
      1);
  tu_destroy(&t);
}

Test(strategy_vmm, map_ahead_without_memory_is_skipped_not_an_error) {
  tu_strat t;
  setup(&t, KV_VMM_ALL_LAYERS, 2 * PG);
  t.cfg.map_ahead = 64;
  tu_create(&t, "vmm");
  cr_assert_eq(tu_reserve(&t, 0, 1), KV_OK);
  cr_assert_eq(tu_count_f(&t.ops, KV_OP_VMM_MAP, KV_OPF_BACKGROUND, 0), 1);
  cr_assert_eq(
      tu_count_f(&t.ops, KV_OP_VMM_MAP, KV_OPF_BACKGROUND, KV_OPF_BACKGROUND),
      1, "only one page was left for the background part");
  cr_assert_eq(tu_reserve(&t, 0, 2), KV_OK);
  cr_assert_eq(t.ops.n, 0);
  cr_assert_eq(tu_reserve(&t, 1, 1), KV_ENOMEM, "the ahead page is held");
  tu_destroy(&t);
}

Test(strategy_vmm, swap_out_and_in_round_trip_per_layer) {
  tu_strat t;
  setup(&t, KV_VMM_PER_LAYER, 128 * PG);
  t.cfg.host_bytes = 1024 * MiB;
  tu_create(&t, "vmm");
  cr_assert_eq(tu_reserve(&t, 0, 300), KV_OK);
  cr_assert_eq(tu_swap_out(&t, 0), KV_OK);
  const kv_op *c = tu_find(&t.ops, KV_OP_COPY);
  cr_assert_not_null(c);
  cr_assert_eq(c->dir, KV_COPY_D2H);
  cr_assert_eq(c->count, 64, "one run per K/V range");
  cr_assert_eq(c->bytes, 300 * BPT);
  cr_assert_eq(c->runs_n, 64);
  cr_assert_eq(t.ops.runs[c->runs_first].bytes, 300 * 2048);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_UNMAP), 64);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_RELEASE), 64);
  kv_mem_stats s = tu_stats(&t, 0);
  cr_assert_eq(s.backed, 0);
  cr_assert_eq(s.host_used, 300 * BPT);
  cr_assert_eq(s.swapped_requests, 1);
  cr_assert_eq(tu_swap_in(&t, 0), KV_OK);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_MAP), 64);
  c = tu_find(&t.ops, KV_OP_COPY);
  cr_assert_not_null(c);
  cr_assert_eq(c->dir, KV_COPY_H2D);
  cr_assert_eq(c->bytes, 300 * BPT);
  s = tu_stats(&t, 0);
  cr_assert_eq(s.used, 300 * BPT);
  cr_assert_eq(s.host_used, 0);
  cr_assert_eq(s.live_requests, 1);
  tu_destroy(&t);
}

Test(strategy_vmm, mla_per_layer_has_one_latent_range_per_layer) {
  tu_strat t;
  tu_cfg(&t, tu_mla(), 61 * 4 * PG);
  tu_create(&t, "vmm");
  cr_assert_eq(tu_reserve(&t, 0, 1), KV_OK);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_MAP), 61);
  /* 1152 B per token per layer: a 2 MiB page holds 1820 tokens */
  cr_assert_eq(tu_reserve(&t, 0, 1820), KV_OK);
  cr_assert_eq(t.ops.n, 0);
  cr_assert_eq(tu_reserve(&t, 0, 1821), KV_OK);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_MAP), 61);
  tu_destroy(&t);
}

Test(strategy_vmm, destroy_unmaps_releases_and_frees_va) {
  tu_strat t;
  setup(&t, KV_VMM_ALL_LAYERS, 64 * MiB);
  t.cfg.deferred_reclaim = true;
  tu_create(&t, "vmm");
  cr_assert_eq(tu_reserve(&t, 0, 20), KV_OK);
  cr_assert_eq(tu_reserve(&t, 1, 20), KV_OK);
  tu_release(&t, 0);
  kv_ops_clear(&t.ops);
  t.vt->destroy(t.st, &t.ops);
  t.st = NULL;
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_UNMAP), 4);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_RELEASE), 4);
  cr_assert_eq(tu_nops(&t.ops, KV_OP_VMM_FREE_VA), 2);
  kv_ops_free(&t.ops);
}
