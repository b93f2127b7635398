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
