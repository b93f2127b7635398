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

/* Pages kept for reuse are backed but free for admission (stats().reusable,
 * the engine's headroom): pool of 8 pages, A and B take 4 each, A finishes.
 * With deferred reclaim nothing is free and A's 4 pages are reusable; C at
 * 48 tokens takes 3 of them (reserve_need counts what leaves free +
 * reusable). Without it A's pages go back to the pool: free, not reusable.
 * Map-ahead steps are spare, reusable too with deferred reclaim. */
Test(strategy_vmm, deferred_reclaim_pages_are_reusable_for_admission) {
  for (int deferred = 0; deferred < 2; deferred++) {
    tu_strat t;
    setup(&t, KV_VMM_ALL_LAYERS, 8 * PG);
    t.cfg.deferred_reclaim = deferred;
    tu_create(&t, "vmm");
    cr_assert_eq(tu_reserve(&t, 0, 64), KV_OK);
    cr_assert_eq(tu_reserve(&t, 1, 64), KV_OK);
    cr_assert_eq(tu_stats(&t, 0).reusable, 0, "live pages are not reusable");
    tu_release(&t, 0);
    kv_mem_stats s = tu_stats(&t, 0);
    cr_assert_eq(s.free, deferred ? 0 : 4 * PG);
    cr_assert_eq(s.reusable, deferred ? 4 * PG : 0);
    cr_assert_eq(t.vt->reserve_need(t.st, 2, 48), 3 * PG);
    cr_assert_eq(tu_reserve(&t, 2, 48), KV_OK);
    s = tu_stats(&t, 0);
    cr_assert_eq(s.free + s.reusable, PG, "deferred %d", deferred);
    tu_destroy(&t);
  }
  tu_strat t;
  setup(&t, KV_VMM_ALL_LAYERS, 8 * PG);
  t.cfg.deferred_reclaim = true;
  t.cfg.map_ahead = 32; /* two pages */
  tu_create(&t, "vmm");
  cr_assert_eq(t.vt->reserve_need(t.st, 0, 16), PG, "ahead pages stay spare");
  cr_assert_eq(tu_reserve(&t, 0, 16), KV_OK);
  kv_mem_stats s = tu_stats(&t, 0);
  cr_assert_eq(s.backed, 3 * PG);
  cr_assert_eq(s.reusable, 2 * PG);
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
  t.cfg.max_context = 8192; /* tu_mla() sets none */
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

/* Pool of 8 pages, all-layers (16 tokens a page). A maps all 8 and finishes;
 * B (16 tokens) takes A's idle slot and keeps its 8 steps, 7 of them spare.
 * C then needs a page while the pool is dry and no slot is idle: it takes
 * the last step of B's slot (UNMAP there, MAP + SET_ACCESS in C's slot), no
 * create, no release; B keeps what it needs and can still use it. */
Test(strategy_vmm, deferred_reclaim_takes_spare_steps_of_a_reused_slot) {
  tu_strat t;
  setup(&t, KV_VMM_ALL_LAYERS, 8 * PG);
  t.cfg.deferred_reclaim = true;
  tu_create(&t, "vmm");
  cr_assert_eq(tu_reserve(&t, 0, 128), KV_OK); /* A: 8 pages */
  tu_release(&t, 0);
  cr_assert_eq(tu_reserve(&t, 1, 16), KV_OK); /* B: A's slot, 8 pages */
  cr_assert_eq(t.ops.n, 0, "B reuses A's slot and pages");
  kv_mem_stats s = tu_stats(&t, 0);
  cr_assert_eq(s.free, 0);
  cr_assert_eq(s.allocated, 8 * PG, "B's slot holds 8 pages for 1 needed");
  /* slot 0 is B's (A's old) slot; C gets slot 1, one VA range of 512 pages */
  uint64_t slot_va = 8192 / 16 * PG;
  cr_assert_eq(tu_reserve(&t, 2, 1), KV_OK, "B's spare pages are not hoarded");
  cr_assert_eq(tu_nops(&t.ops, KV_OP_VMM_RESERVE), 1, "C's new VA slot");
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_CREATE), 0);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_RELEASE), 0);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_UNMAP), 1);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_MAP), 1);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_SET_ACCESS), 1);
  const kv_op *u = tu_find(&t.ops, KV_OP_VMM_UNMAP);
  const kv_op *m = tu_find(&t.ops, KV_OP_VMM_MAP);
  cr_assert_eq(u->runs_n, 1);
  cr_assert_eq(m->runs_n, 1);
  const kv_run *ur = &t.ops.runs[u->runs_first];
  const kv_run *mr = &t.ops.runs[m->runs_first];
  cr_assert_eq(ur->dst, 7 * PG, "the last page of B's slot");
  cr_assert_eq(mr->dst, slot_va, "the first page of C's slot");
  cr_assert_eq(mr->src, ur->src, "the same handle, moved");
  /* C can take B's other 6 spare pages, never the one B needs */
  cr_assert_eq(tu_reserve(&t, 2, 7 * 16), KV_OK);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_UNMAP), 6);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_CREATE), 0);
  cr_assert_eq(tu_reserve(&t, 2, 7 * 16 + 1), KV_ENOMEM);
  cr_assert_eq(t.ops.n, 0);
  /* B's 16 tokens still fit its one page: growing inside it maps nothing */
  for (uint64_t k = 1; k <= 16; k++) {
    cr_assert_eq(tu_reserve(&t, 1, k), KV_OK);
    cr_assert_eq(t.ops.n, 0);
  }
  cr_assert_eq(tu_reserve(&t, 1, 17), KV_ENOMEM, "C needs all of its 7");
  s = tu_stats(&t, 0);
  cr_assert_eq(s.allocated, 8 * PG);
  cr_assert_eq(s.used, (16 + 112) * BPT);
  tu_destroy(&t);
}

/* A request that shrinks keeps its pages; with deferred reclaim the pages it
 * no longer needs are spare and another request's growth may take them. */
Test(strategy_vmm, deferred_reclaim_takes_pages_a_shrunk_request_left) {
  tu_strat t;
  setup(&t, KV_VMM_ALL_LAYERS, 4 * PG);
  t.cfg.deferred_reclaim = true;
  tu_create(&t, "vmm");
  cr_assert_eq(tu_reserve(&t, 0, 64), KV_OK);
  cr_assert_eq(tu_reserve(&t, 0, 10), KV_OK);
  cr_assert_eq(t.ops.n, 0, "shrinking unmaps nothing");
  cr_assert_eq(tu_reserve(&t, 1, 48), KV_OK);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_UNMAP), 3);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_CREATE), 0);
  cr_assert_eq(tu_reserve(&t, 1, 49), KV_ENOMEM, "A's one page is needed");
  tu_destroy(&t);
}

/* Without deferred reclaim, pages another live request does not need stay
 * where they are (the behaviour before deferred reclaim existed). */
Test(strategy_vmm, without_deferred_reclaim_live_spare_is_not_taken) {
  tu_strat t;
  setup(&t, KV_VMM_ALL_LAYERS, 4 * PG);
  tu_create(&t, "vmm");
  cr_assert_eq(tu_reserve(&t, 0, 64), KV_OK);
  cr_assert_eq(tu_reserve(&t, 0, 10), KV_OK);
  cr_assert_eq(tu_reserve(&t, 1, 1), KV_ENOMEM);
  cr_assert_eq(t.ops.n, 0);
  tu_destroy(&t);
}

/* Map-ahead is background work: it may use fresh handles and idle slots but
 * never the spare (mapped-ahead) pages of another live request, else
 * running requests would take each other's pages in turn. Four requests
 * grow one token at a time, round robin, with 4 pages of map-ahead each in
 * a pool of 16 pages. Every handle is mapped through a recorded MAP, so the
 * test knows who holds it; no background UNMAP may take a handle a live
 * request other than the requester holds, while critical growth does. */
Test(strategy_vmm, map_ahead_never_takes_pages_of_another_live_request) {
  tu_strat t;
  setup(&t, KV_VMM_ALL_LAYERS, 16 * PG);
  t.cfg.deferred_reclaim = true;
  t.cfg.map_ahead = 64;
  tu_create(&t, "vmm");
  enum { NQ = 4, NH = 16 };
  uint32_t holder[NH];
  for (int h = 0; h < NH; h++)
    holder[h] = KV_NO_REQ;
  uint64_t critical_from_live = 0, background_unmaps = 0, background_maps = 0;
  for (uint64_t tok = 1; tok <= 64; tok++) {
    for (uint32_t q = 0; q < NQ; q++) {
      cr_assert_eq(tu_reserve(&t, q, tok), KV_OK, "req %u tok %lu", q,
                   (unsigned long)tok);
      for (size_t i = 0; i < t.ops.n; i++) {
        const kv_op *op = &t.ops.ops[i];
        bool bg = (op->flags & KV_OPF_BACKGROUND) != 0;
        for (uint32_t k = 0; k < op->runs_n; k++) {
          const kv_run *r = &t.ops.runs[op->runs_first + k];
          cr_assert(r->src < NH);
          uint32_t h = (uint32_t)r->src;
          if (op->kind == KV_OP_VMM_UNMAP) {
            cr_assert_neq(holder[h], KV_NO_REQ);
            bool other = holder[h] != q;
            cr_assert(!(bg && other),
                      "tok %lu: map-ahead of req %u unmapped handle %u of "
                      "live req %u",
                      (unsigned long)tok, q, h, holder[h]);
            critical_from_live += !bg && other;
            background_unmaps += bg;
            holder[h] = KV_NO_REQ;
          } else if (op->kind == KV_OP_VMM_MAP) {
            holder[h] = q;
            background_maps += bg;
          }
        }
      }
    }
  }
  cr_log_info("map-ahead churn: %lu steps taken from live spare by critical "
              "growth, %lu background maps, %lu background unmaps",
              (unsigned long)critical_from_live, (unsigned long)background_maps,
              (unsigned long)background_unmaps);
  cr_assert_gt(critical_from_live, 0, "the pool never ran dry: no test");
  cr_assert_gt(background_maps, 0);
  cr_assert_eq(background_unmaps, 0, "no idle slot here: nothing to unmap");
  kv_mem_stats s = tu_stats(&t, 0);
  cr_assert_eq(s.used, NQ * 64 * BPT);
  cr_assert_eq(s.allocated, 16 * PG);
  tu_destroy(&t);
}

/* ---- sliding windows -------------------------------------------------- */

static kv_model preset(const char *name) {
  kv_model m;
  kv_error e = {0};
  cr_assert_eq(kv_model_preset(name, &m, &e), KV_OK, "%s", e.msg);
  return m;
}

/* Gemma-2-9B per-layer: 84 ranges (42 layers x K, V), the 42 of the 21
 * windowed layers last. 8192 B per token and layer = 4096 per range, so a
 * 2 MiB page holds 512 tokens; max_context 8192 = 16 pages per range.
 * 8100 tokens: steps = ceil(8100 / 512) = 16; the window covers tokens
 * [8100 - 4096, 8100) = [4004, 8100): pages 0..6 (tokens < 3584) lie
 * behind it, lo = floor(4004 / 512) = 7. Full ranges 16 pages, windowed
 * 16 - 7 = 9: 42 x 16 + 42 x 9 = 672 + 378 = 1050 pages = 2,202,009,600 B.
 * used = (21 x 8100 + 21 x 4096) x 8192 = 2,098,102,272 B. */
#define GEMMA_PAGES_8100 1050ull
#define GEMMA_USED_8100 2098102272ull

Test(strategy_vmm_window, gemma2_per_layer_maps_only_the_window) {
  tu_strat t;
  tu_cfg(&t, preset("gemma-2-9b"), 1200 * PG);
  tu_create(&t, "vmm");
  cr_assert_eq(tu_reserve(&t, 0, 8100), KV_OK);
  cr_assert_eq(tu_nops(&t.ops, KV_OP_VMM_RESERVE), 84);
  cr_assert_eq(tu_find(&t.ops, KV_OP_VMM_RESERVE)->bytes, 16 * PG);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_CREATE), GEMMA_PAGES_8100);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_MAP), GEMMA_PAGES_8100);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_SET_ACCESS), GEMMA_PAGES_8100);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_UNMAP), 0);
  /* runs go step by step: steps 0..6 map the 42 full ranges only, step 7
     opens with them and then the first windowed range (42) at its page 7 */
  const kv_op *m = tu_find(&t.ops, KV_OP_VMM_MAP);
  cr_assert_eq(t.ops.runs[m->runs_first + 7 * 42 + 41].dst,
               41 * 16 * PG + 7 * PG);
  cr_assert_eq(t.ops.runs[m->runs_first + 7 * 42 + 42].dst,
               42 * 16 * PG + 7 * PG);
  kv_mem_stats s = tu_stats(&t, 0);
  cr_assert_eq(s.backed, GEMMA_PAGES_8100 * PG);
  cr_assert_eq(s.backed, 2202009600ull);
  cr_assert_eq(s.allocated, 2202009600ull);
  cr_assert_eq(s.used, GEMMA_USED_8100);
  cr_assert_eq(s.internal_frag, 2202009600ull - GEMMA_USED_8100);
  /* 8192 tokens: still 16 steps; the window moves past page 7 of every
   * windowed range (lo = 4096 / 512 = 8): 42 pages go back to the pool */
  cr_assert_eq(tu_reserve(&t, 0, 8192), KV_OK);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_UNMAP), 42);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_RELEASE), 42);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_MAP), 0);
  cr_assert_eq(t.ops.runs[tu_find(&t.ops, KV_OP_VMM_UNMAP)->runs_first].dst,
               42 * 16 * PG + 7 * PG);
  s = tu_stats(&t, 0);
  cr_assert_eq(s.backed, (GEMMA_PAGES_8100 - 42) * PG);
  cr_assert_eq(s.used, 42ull * 4096 * 8192 + 21ull * 4096 * 8192);
  tu_destroy(&t);
}

/* Decode across the window edge: 4096 tokens = 8 steps in all 84 ranges
 * (672 pages); token 4097 opens step 9 (84 maps, nothing behind the window
 * yet); at 4608 = 4096 + 512 page 0 of the windowed ranges falls behind: 42
 * UNMAP + RELEASE, no map. */
Test(strategy_vmm_window, decode_unmaps_a_page_per_windowed_range_per_512) {
  tu_strat t;
  tu_cfg(&t, preset("gemma-2-9b"), 1200 * PG);
  tu_create(&t, "vmm");
  cr_assert_eq(tu_reserve(&t, 0, 4096), KV_OK);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_MAP), 672);
  cr_assert_eq(tu_reserve(&t, 0, 4097), KV_OK);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_MAP), 84);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_UNMAP), 0);
  for (uint64_t k = 4098; k < 4608; k++) {
    cr_assert_eq(tu_reserve(&t, 0, k), KV_OK);
    cr_assert_eq(t.ops.n, 0);
  }
  cr_assert_eq(tu_reserve(&t, 0, 4608), KV_OK);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_UNMAP), 42);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_RELEASE), 42);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_CREATE), 0);
  cr_assert_eq(tu_stats(&t, 0).backed, (756 - 42) * PG);
  /* shrinking back over page 0 is refused: its KV is gone */
  cr_assert_eq(tu_reserve(&t, 0, 4607), KV_EINVAL);
  cr_assert_eq(t.ops.n, 0);
  cr_assert_eq(tu_reserve(&t, 0, 4608), KV_OK, "the same count is fine");
  tu_destroy(&t);
}

/* The pool bounds one request by what it holds at its peak: from step 9 on
 * a step costs 42 full pages and frees 42 windowed ones, so holding s steps
 * takes 84 x 9 + 42 x (s - 9) = 42 s + 378 pages. 1000 pages: s = 14
 * (966), not 15 (1008): 14 x 512 = 7168 tokens, where without the window
 * 1000 / 84 = 11 steps = 5632. */
Test(strategy_vmm_window, max_request_tokens_counts_the_freed_pages) {
  tu_strat t;
  tu_cfg(&t, preset("gemma-2-9b"), 1000 * PG);
  tu_create(&t, "vmm");
  cr_assert_eq(t.vt->max_request_tokens(t.st), 7168);
  cr_assert_eq(tu_reserve(&t, 0, 7169), KV_EINVAL);
  cr_assert_eq(tu_reserve(&t, 0, 7168), KV_OK, "alone it fits");
  /* lo = (7168 - 4096) / 512 = 6: 14 x 42 + 8 x 42 = 924 pages */
  cr_assert_eq(tu_stats(&t, 0).backed, 924 * PG);
  tu_release(&t, 0);
  for (uint64_t k = 1; k <= 7168; k += 7) /* and growing to it */
    cr_assert_eq(tu_reserve(&t, 1, k), KV_OK, "%lu", (unsigned long)k);
  cr_assert_eq(tu_reserve(&t, 1, 7168), KV_OK);
  cr_assert_eq(tu_stats(&t, 0).backed, 924 * PG);
  tu_destroy(&t);
}

/* Mistral-7B, every layer windowed. Per-layer: 64 ranges of 2048 B per
 * token, 1024 tokens a page; 8,099 tokens: 8 steps, lo = floor((8099 -
 * 4096) / 1024) = 3: 5 pages x 64 = 320 pages = 671,088,640 B backed for
 * used = 4096 x 131,072 = 536,870,912 B. Any length needs at most 5 pages
 * a range, so 320 pages serve the whole 32k context (5 x 1024 = 5120
 * without the window). */
Test(strategy_vmm_window, mistral_per_layer_holds_the_window_only) {
  tu_strat t;
  tu_cfg(&t, preset("mistral-7b"), 320 * PG);
  tu_create(&t, "vmm");
  cr_assert_eq(t.vt->max_request_tokens(t.st), 32768);
  cr_assert_eq(tu_reserve(&t, 0, 8099), KV_OK);
  kv_mem_stats s = tu_stats(&t, 0);
  cr_assert_eq(s.used, 536870912ull);
  cr_assert_eq(s.backed, 320 * PG);
  cr_assert_eq(s.backed, 671088640ull);
  for (uint64_t k = 8100; k <= 32768; k += 100)
    cr_assert_eq(tu_reserve(&t, 0, k), KV_OK, "%lu", (unsigned long)k);
  cr_assert_leq(tu_stats(&t, 0).backed, 320 * PG);
  cr_assert_eq(tu_stats(&t, 0).used, 536870912ull);
  tu_destroy(&t);
}

/* All-layers: one page spans every layer. Mistral (all windowed): 131,072 B
 * per token, 16 tokens a page; 8,099 tokens: 507 steps, lo = floor(4003 /
 * 16) = 250: 257 pages = 538,968,064 B. Gemma-2 (hybrid): nothing can go:
 * 344,064 B per token, 6 tokens a page, 8100 tokens = 1350 pages =
 * 2,831,155,200 B, used as per-layer. */
Test(strategy_vmm_window, all_layers_unmaps_only_when_every_layer_windows) {
  tu_strat t;
  tu_cfg(&t, preset("mistral-7b"), 600 * PG);
  t.cfg.vmm_layout = KV_VMM_ALL_LAYERS;
  tu_create(&t, "vmm");
  cr_assert_eq(tu_reserve(&t, 0, 8099), KV_OK);
  kv_mem_stats s = tu_stats(&t, 0);
  cr_assert_eq(s.backed, 257 * PG);
  cr_assert_eq(s.backed, 538968064ull);
  cr_assert_eq(s.used, 536870912ull);
  tu_destroy(&t);

  tu_cfg(&t, preset("gemma-2-9b"), 1400 * PG);
  t.cfg.vmm_layout = KV_VMM_ALL_LAYERS;
  tu_create(&t, "vmm");
  cr_assert_eq(tu_reserve(&t, 0, 8100), KV_OK);
  s = tu_stats(&t, 0);
  cr_assert_eq(s.backed, 1350 * PG);
  cr_assert_eq(s.backed, 2831155200ull);
  cr_assert_eq(s.used, GEMMA_USED_8100);
  cr_assert_eq(tu_reserve(&t, 0, 8192), KV_OK);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_UNMAP), 0);
  /* min(8192, 1400 pages x 6 tokens) */
  cr_assert_eq(t.vt->max_request_tokens(t.st), 8192);
  tu_destroy(&t);
}

/* Swap moves the mapped pages only: full ranges 8100 tokens x 4096 B, the
 * windowed ones from page 7 (token 3584) on, 4516 tokens x 4096 B:
 * 42 x 33,177,600 + 42 x 18,497,536 = 2,170,355,712 B; back in, the slot
 * maps the same 1050 pages. */
Test(strategy_vmm_window, swap_moves_only_mapped_pages) {
  tu_strat t;
  tu_cfg(&t, preset("gemma-2-9b"), 1200 * PG);
  t.cfg.host_bytes = 4096 * MiB;
  tu_create(&t, "vmm");
  cr_assert_eq(tu_reserve(&t, 0, 8100), KV_OK);
  cr_assert_eq(tu_swap_out(&t, 0), KV_OK);
  const kv_op *c = tu_find(&t.ops, KV_OP_COPY);
  cr_assert_not_null(c);
  cr_assert_eq(c->count, 84);
  cr_assert_eq(c->bytes, 2170355712ull);
  const kv_run *r = &t.ops.runs[c->runs_first];
  cr_assert_eq(r[0].src, 0);
  cr_assert_eq(r[0].bytes, 8100ull * 4096);
  cr_assert_eq(r[42].src, 42 * 16 * PG + 7 * PG);
  cr_assert_eq(r[42].dst, 42ull * 8100 * 4096);
  cr_assert_eq(r[42].bytes, 4516ull * 4096);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_UNMAP), GEMMA_PAGES_8100);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_RELEASE), GEMMA_PAGES_8100);
  kv_mem_stats s = tu_stats(&t, 0);
  cr_assert_eq(s.backed, 0);
  cr_assert_eq(s.used, 0);
  cr_assert_eq(s.host_used, 2170355712ull);
  cr_assert_eq(tu_swap_in(&t, 0), KV_OK);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_MAP), GEMMA_PAGES_8100);
  c = tu_find(&t.ops, KV_OP_COPY);
  cr_assert_eq(c->dir, KV_COPY_H2D);
  cr_assert_eq(c->bytes, 2170355712ull);
  cr_assert_eq(t.ops.runs[c->runs_first + 42].dst, 42 * 16 * PG + 7 * PG);
  s = tu_stats(&t, 0);
  cr_assert_eq(s.backed, GEMMA_PAGES_8100 * PG);
  cr_assert_eq(s.used, GEMMA_USED_8100);
  cr_assert_eq(s.host_used, 0);
  tu_destroy(&t);
}

/* Deferred reclaim keeps a released slot's pages only while its window
 * never moved (every range still maps from page 0). */
Test(strategy_vmm_window, deferred_reclaim_keeps_only_unmoved_slots) {
  tu_strat t;
  tu_cfg(&t, preset("gemma-2-9b"), 1200 * PG);
  t.cfg.deferred_reclaim = true;
  tu_create(&t, "vmm");
  cr_assert_eq(tu_reserve(&t, 0, 1000), KV_OK); /* 2 steps, lo 0 */
  tu_release(&t, 0);
  cr_assert_eq(t.ops.n, 0, "kept for the next owner");
  cr_assert_eq(tu_stats(&t, 0).backed, 168 * PG);
  cr_assert_eq(tu_reserve(&t, 1, 1000), KV_OK);
  cr_assert_eq(t.ops.n, 0, "reused without driver calls");
  cr_assert_eq(tu_reserve(&t, 1, 8100), KV_OK); /* lo 7 */
  tu_release(&t, 1);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_UNMAP), GEMMA_PAGES_8100);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_RELEASE), GEMMA_PAGES_8100);
  cr_assert_eq(tu_stats(&t, 0).backed, 0);
  tu_destroy(&t);
}

/* ---- properties ------------------------------------------------------- */

static uint64_t lcg(uint64_t *x) {
  *x = *x * 6364136223846793005ull + 1442695040888963407ull;
  return *x >> 33;
}

static int ops_equal(const kv_op_list *a, const kv_op_list *b) {
  if (a->n != b->n || a->runs_n != b->runs_n) return 0;
  for (size_t i = 0; i < a->n; i++) {
    const kv_op *x = &a->ops[i], *y = &b->ops[i];
    if (x->kind != y->kind || x->dir != y->dir || x->via != y->via ||
        x->flags != y->flags || x->req != y->req || x->count != y->count ||
        x->runs_n != y->runs_n || x->bytes != y->bytes || x->addr != y->addr)
      return 0;
  }
  return a->runs_n == 0 ||
         memcmp(a->runs, b->runs, a->runs_n * sizeof *a->runs) == 0;
}

typedef struct vm_variant {
  kv_vmm_layout layout;
  bool deferred;
  uint32_t map_ahead;
} vm_variant;

static const vm_variant variants[] = {
    {KV_VMM_PER_LAYER, false, 0},  {KV_VMM_ALL_LAYERS, false, 0},
    {KV_VMM_PER_LAYER, true, 0},   {KV_VMM_ALL_LAYERS, true, 0},
    {KV_VMM_PER_LAYER, false, 64}, {KV_VMM_ALL_LAYERS, true, 24},
};
#define NVARIANTS (sizeof variants / sizeof variants[0])

/* 4 layers x 2 x 64 x 2 B = 1 KiB per token (128 B per K/V range); 4 KiB
 * pages: 32 tokens a page per range, 4 per all-layers page. */
static kv_model tiny4(uint32_t window, uint32_t window_layers) {
  kv_model m = tu_tiny();
  m.layers = 4;
  m.max_context = 1024;
  m.sliding_window = window;
  m.window_layers = window_layers;
  return m;
}

static void setup_variant(tu_strat *t, kv_model m, const vm_variant *v,
                          uint64_t pages) {
  tu_cfg(t, m, pages * 4096 + 1000);
  t->cfg.page_bytes = 4096;
  t->cfg.host_bytes = 64 * 1024 * 1024;
  t->cfg.vmm_layout = v->layout;
  t->cfg.deferred_reclaim = v->deferred;
  t->cfg.map_ahead = v->map_ahead;
  tu_create(t, "vmm");
}

/* One random op on request q: mostly growth by a few tokens (decode,
 * prefill chunks), some jumps, swaps, releases; st[] tracks the request
 * (0 free, 1 live, 2 swapped). EINVAL only where the interface allows it:
 * a swapped request, more than the bound, a shrink (the window's pages may
 * be gone), a swap of a request that holds nothing. */
static kv_status random_op(tu_strat *t, uint64_t *x, uint64_t *tok, uint8_t *st,
                           uint32_t q) {
  uint32_t op = (uint32_t)(lcg(x) % 20);
  uint64_t bound = t->vt->max_request_tokens(t->st);
  kv_status rc;
  if (op < 14) {
    uint64_t t1 = op < 10   ? tok[q] + lcg(x) % 8
                  : op < 13 ? tok[q] + lcg(x) % 200
                            : lcg(x) % 1100;
    rc = tu_reserve(t, q, t1);
    if (rc == KV_OK) {
      tok[q] = t1;
      st[q] = 1;
    }
    cr_assert(rc != KV_EINVAL || st[q] == 2 || t1 > bound ||
                  (st[q] == 1 && t1 < tok[q]),
              "EINVAL growing request %u from %lu to %lu (bound %lu)", q,
              (unsigned long)tok[q], (unsigned long)t1, (unsigned long)bound);
  } else if (op < 17) {
    rc = tu_swap_out(t, q);
    if (rc == KV_OK) st[q] = 2;
    if (rc == KV_EINVAL) {
      cr_assert_neq(st[q], 1, "EINVAL swapping out a live request");
      rc = tu_swap_in(t, q);
      if (rc == KV_OK) st[q] = 1;
      cr_assert(rc != KV_EINVAL || st[q] == 0);
    }
  } else {
    tu_release(t, q);
    tok[q] = 0;
    st[q] = 0;
    rc = KV_OK;
  }
  return rc;
}

/* A window at least max_context long never binds: every variant gives the
 * same ops, the same stats and the same bound as without a window. */
Test(strategy_vmm_props, window_that_never_binds_changes_nothing) {
  for (size_t vi = 0; vi < NVARIANTS; vi++) {
    for (uint32_t wl = 2; wl <= 4; wl += 2) { /* hybrid, every layer */
      tu_strat a, b;
      setup_variant(&a, tiny4(0, 0), &variants[vi], 120);
      setup_variant(&b, tiny4(1024, wl), &variants[vi], 120);
      cr_assert_eq(a.vt->max_request_tokens(a.st),
                   b.vt->max_request_tokens(b.st));
      uint64_t ta[16] = {0}, tb[16] = {0}, xa = 11 + vi, xb = 11 + vi;
      uint8_t sa_[16] = {0}, sb_[16] = {0};
      for (int i = 0; i < 3000; i++) {
        uint32_t q = (uint32_t)(i * 7 % 6);
        kv_status ra = random_op(&a, &xa, ta, sa_, q);
        kv_status rb = random_op(&b, &xb, tb, sb_, q);
        cr_assert_eq(ra, rb, "variant %zu wl %u op %d", vi, wl, i);
        cr_assert(ops_equal(&a.ops, &b.ops), "variant %zu wl %u op %d", vi, wl,
                  i);
        kv_mem_stats sa = tu_stats(&a, 0), sb = tu_stats(&b, 0);
        tu_assert_stats_eq(&sa, &sb);
      }
      tu_destroy(&a);
      tu_destroy(&b);
    }
  }
}

/* Every op stream stays coherent handle by handle: MAP only an unmapped
 * handle, UNMAP one at the VA it was mapped at, RELEASE only unmapped ones,
 * CREATE + RELEASE counts balance with the mapped pages, backed = mapped
 * pages; used = the sum of kv_strategy_used_bytes; allocated >= used. */
typedef struct op_check {
  uint64_t *va;    /* VA a handle is mapped at, UINT64_MAX when not */
  int64_t created; /* handles created and not released */
  uint64_t mapped; /* handles mapped */
  uint64_t unmaps; /* windowed pages given back while live (stat) */
} op_check;

static void check_ops(op_check *c, const kv_op_list *l, uint64_t npages) {
  for (size_t i = 0; i < l->n; i++) {
    const kv_op *op = &l->ops[i];
    if (op->kind == KV_OP_VMM_CREATE) c->created += op->count;
    if (op->kind == KV_OP_VMM_RELEASE) c->created -= op->count;
    if (op->kind == KV_OP_VMM_MAP || op->kind == KV_OP_VMM_UNMAP ||
        op->kind == KV_OP_VMM_RELEASE)
      cr_assert_eq(op->runs_n, op->count, "op %zu kind %d", i, op->kind);
    for (uint32_t k = 0; k < op->runs_n; k++) {
      const kv_run *r = &l->runs[op->runs_first + k];
      if (op->kind != KV_OP_VMM_MAP && op->kind != KV_OP_VMM_UNMAP &&
          op->kind != KV_OP_VMM_RELEASE)
        continue;
      cr_assert_lt(r->src, npages);
      if (op->kind == KV_OP_VMM_MAP) {
        cr_assert_eq(c->va[r->src], UINT64_MAX, "handle %lu mapped twice",
                     (unsigned long)r->src);
        c->va[r->src] = r->dst;
        c->mapped++;
      } else if (op->kind == KV_OP_VMM_UNMAP) {
        cr_assert_eq(c->va[r->src], r->dst, "handle %lu unmapped elsewhere",
                     (unsigned long)r->src);
        c->va[r->src] = UINT64_MAX;
        c->mapped--;
      } else {
        cr_assert_eq(c->va[r->src], UINT64_MAX, "handle %lu released mapped",
                     (unsigned long)r->src);
      }
    }
  }
  cr_assert_eq((uint64_t)c->created, c->mapped, "created != mapped");
}

static void run_windowed(const vm_variant *v, kv_model m, uint64_t pages,
                         uint64_t seed) {
  tu_strat t;
  setup_variant(&t, m, v, pages);
  op_check c = {.va = malloc(pages * sizeof(uint64_t))};
  for (uint64_t h = 0; h < pages; h++)
    c.va[h] = UINT64_MAX;
  uint64_t tok[16] = {0}, x = seed, ok = 0, enomem = 0, einval = 0;
  uint8_t st[16] = {0};
  uint64_t bound = t.vt->max_request_tokens(t.st);
  for (int i = 0; i < 4000; i++) {
    uint32_t q = (uint32_t)(lcg(&x) % 6);
    kv_status rc = random_op(&t, &x, tok, st, q);
    ok += rc == KV_OK;
    enomem += rc == KV_ENOMEM;
    einval += rc == KV_EINVAL;
    if (rc != KV_OK) cr_assert_eq(t.ops.n, 0, "op %d: failure emitted ops", i);
    check_ops(&c, &t.ops, pages);
    kv_mem_stats s = tu_stats(&t, 0);
    cr_assert_eq(s.backed, c.mapped * 4096, "op %d", i);
    uint64_t used = 0;
    for (uint32_t r = 0; r < 6; r++)
      if (st[r] == 1) used += kv_strategy_used_bytes(&t.cfg, tok[r]);
    cr_assert_eq(s.used, used, "op %d", i);
    cr_assert_geq(s.allocated, s.used, "op %d", i);
    cr_assert_leq(s.backed, s.capacity);
  }
  /* alone, any request up to the bound fits, grown token by token */
  for (uint32_t q = 0; q < 16; q++)
    tu_release(&t, q);
  check_ops(&c, &t.ops, pages);
  for (uint64_t k = 1; k <= bound; k += 3)
    cr_assert_eq(tu_reserve(&t, 0, k), KV_OK, "alone at %lu of %lu",
                 (unsigned long)k, (unsigned long)bound);
  cr_assert_eq(tu_reserve(&t, 0, bound), KV_OK);
  tu_release(&t, 0);
  cr_assert_eq(tu_reserve(&t, 1, bound), KV_OK, "admitted at once");
  if (bound < 1024) cr_assert_eq(tu_reserve(&t, 2, bound + 1), KV_EINVAL);
  cr_log_info("vmm window variant layout %d deferred %d ahead %u: %lu ok, "
              "%lu ENOMEM, %lu EINVAL, bound %lu",
              v->layout, v->deferred, v->map_ahead, (unsigned long)ok,
              (unsigned long)enomem, (unsigned long)einval,
              (unsigned long)bound);
  cr_assert_gt(enomem, 0, "the pool never ran dry: no test");
  free(c.va);
  tu_destroy(&t);
}

Test(strategy_vmm_props, windowed_random_ops_keep_invariants_and_ops_coherent) {
  for (size_t vi = 0; vi < NVARIANTS; vi++) {
    run_windowed(&variants[vi], tiny4(100, 2), 60, 5 + vi); /* hybrid */
    run_windowed(&variants[vi], tiny4(100, 0), 40, 9 + vi); /* every layer */
    run_windowed(&variants[vi], tiny4(37, 3), 50, 13 + vi); /* odd window */
  }
}

/* A mapping that is not a whole number of steps, fed by reclaim alone:
 * tiny hybrid model (8 ranges, the last 4 windowed; 32 tokens a 4 KiB page;
 * window 50), 64 pages, deferred reclaim. Four requests of 40 tokens take 2
 * steps each (the pool is dry), then shrink to 1 token: 4 spare steps. A
 * new request of 100 tokens needs 4 steps in the full ranges and, past page
 * lo = floor(50 / 32) = 1, 3 in the windowed ones: 16 + 12 = 28 pages. It
 * takes the 4 spare steps (32 pages, UNMAP 32), maps 28 and releases the 4
 * it cannot use; nothing is created. */
Test(strategy_vmm_window, reclaimed_surplus_of_a_partial_step_is_released) {
  tu_strat t;
  tu_cfg(&t, tiny4(50, 2), 64 * 4096);
  t.cfg.page_bytes = 4096;
  t.cfg.deferred_reclaim = true;
  tu_create(&t, "vmm");
  for (uint32_t q = 0; q < 4; q++)
    cr_assert_eq(tu_reserve(&t, q, 40), KV_OK);
  cr_assert_eq(tu_stats(&t, 0).free, 0);
  for (uint32_t q = 0; q < 4; q++) {
    cr_assert_eq(tu_reserve(&t, q, 1), KV_OK);
    cr_assert_eq(t.ops.n, 0);
  }
  cr_assert_eq(tu_reserve(&t, 4, 100), KV_OK);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_UNMAP), 32);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_RELEASE), 4);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_CREATE), 0);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_MAP), 28);
  cr_assert_eq(tu_count(&t.ops, KV_OP_VMM_SET_ACCESS), 28);
  kv_mem_stats s = tu_stats(&t, 0);
  cr_assert_eq(s.backed, 60 * 4096);
  cr_assert_eq(s.free, 4 * 4096);
  cr_assert_eq(s.used, kv_strategy_used_bytes(&t.cfg, 100) +
                           4 * kv_strategy_used_bytes(&t.cfg, 1));
  cr_assert_eq(tu_reserve(&t, 0, 33), KV_ENOMEM, "a step is 8 pages, 4 free");
  tu_destroy(&t);
}
