/* test_strategy_paged.c - the paged strategy (vLLM blocks + block table). */
#include "strategy_testutil.h"
#include "util.h"

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

/* ---- sliding windows (layer groups) ---- */

/* Gemma-2-9B by hand (the preset may not be in core/inputs/model.c yet): 42
 * layers, 21 of them windowed (4,096 tokens), 8 KV heads of 256, bf16:
 * 2 x 8 x 256 x 2 = 8192 B per token per layer. Groups of gcd(21, 21) = 21
 * layers: one full lane and one window lane; a page is 16 tokens x 21
 * layers x 8192 B = 2,752,512 B. */
#define G2_LAYER 8192ull
#define G2_PAGE (16ull * 21 * G2_LAYER)

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

/* Mistral-7B (the preset): 32 layers, all windowed (4,096 tokens), 131072
 * B per token: one window lane, 2 MiB pages (as BB). */
static kv_model mistral_7b(void) {
  kv_model m;
  kv_error e;
  cr_assert_eq(kv_model_preset("mistral-7b", &m, &e), KV_OK, "%s", e.msg);
  cr_assert_eq(m.sliding_window, 4096);
  cr_assert_eq(kv_model_window_layers(&m), 32);
  return m;
}

static void setup_model(tu_strat *t, kv_model m, uint64_t capacity,
                        uint64_t host) {
  tu_cfg(t, m, capacity);
  t->cfg.host_bytes = host;
  tu_create(t, "paged");
  TU_VALID(t);
}

/* 8,100 tokens, 16-token blocks, window 4,096:
 * - used = (21 x 8100 + 21 x 4096) x 8192 = 2,098,102,272 B
 *   (kv_strategy_used_bytes: every token in the full layers, the last 4,096
 *   in the windowed ones);
 * - full lane: ceil(8100 / 16) = 507 pages (blocks 0..506);
 * - window lane: the last 4,096 tokens are [4004, 8100), blocks
 *   floor(4004 / 16) = 250 .. 506: 257 pages;
 * - backed = (507 + 257) x 2,752,512 = 764 x 2,752,512 = 2,102,919,168 B
 *   (every layer full would be 507 x 2 x 2,752,512 = 2,791,047,168 B). */
Test(strategy_paged,
     gemma2_holds_full_layers_whole_and_windowed_ones_windowed) {
  tu_strat t;
  setup_model(&t, gemma2_9b(), 1100 * G2_PAGE, 0);
  cr_assert_eq(tu_reserve(&t, 0, 8100), KV_OK);
  cr_assert_eq(t.ops.n, 1);
  cr_assert_eq(t.ops.ops[0].kind, KV_OP_TABLE_WRITE);
  cr_assert_eq(t.ops.ops[0].count, 764);
  kv_mem_stats s = tu_stats(&t, 0);
  cr_assert_eq(s.used, (21ull * 8100 + 21ull * 4096) * G2_LAYER);
  cr_assert_eq(s.used, 2098102272ull);
  cr_assert_eq(s.used, kv_strategy_used_bytes(&t.cfg, 8100));
  cr_assert_eq(s.backed, 764 * G2_PAGE);
  cr_assert_eq(s.backed, 2102919168ull);
  cr_assert_eq(s.allocated, s.backed);
  cr_assert_eq(s.internal_frag, 2102919168ull - 2098102272ull);
  cr_assert_eq(s.metadata, 4 * 764);
  /* 1,100 pages: a request of m blocks needs m + min(m, 257) pages, so
   * m <= 1100 - 257 = 843 blocks = 13,488 tokens */
  cr_assert_eq(t.vt->max_request_tokens(t.st), 843 * 16);
  cr_assert_eq(tu_reserve(&t, 1, 843 * 16 + 1), KV_EINVAL);
  tu_destroy(&t);
}

/* 8,099 tokens of Mistral: the window [4003, 8099) is blocks 250..506,
 * 257 blocks of 2 MiB; used is 4,096 tokens' worth. */
Test(strategy_paged, mistral_holds_only_the_window) {
  tu_strat t;
  setup_model(&t, mistral_7b(), 300 * BB, 0);
  cr_assert_eq(t.vt->max_request_tokens(t.st), UINT64_MAX,
               "the window's 257 blocks fit: no length is too long");
  cr_assert_eq(tu_reserve(&t, 0, 8099), KV_OK);
  cr_assert_eq(tu_count(&t.ops, KV_OP_TABLE_WRITE), 257);
  kv_mem_stats s = tu_stats(&t, 0);
  cr_assert_eq(s.used, 4096 * 131072ull);
  cr_assert_eq(s.backed, 257 * BB);
  /* 100 blocks: m blocks need min(m, 257) pages: 100 blocks = 1,600 tokens */
  tu_strat u;
  setup_model(&u, mistral_7b(), 100 * BB, 0);
  cr_assert_eq(u.vt->max_request_tokens(u.st), 1600);
  tu_destroy(&u);
  tu_destroy(&t);
}

/* Growth past a block boundary of the window's start frees the oldest
 * block; the next new block reuses it (LIFO). */
Test(strategy_paged, growth_frees_blocks_that_leave_the_window) {
  tu_strat t;
  setup_model(&t, mistral_7b(), 300 * BB, 0);
  cr_assert_eq(tu_reserve(&t, 0, 8099), KV_OK); /* blocks 250..506 */
  cr_assert_eq(tu_reserve(&t, 0, 8112), KV_OK); /* window [4016, 8112) */
  cr_assert_eq(t.ops.n, 0, "block 250 freed, no entry written");
  kv_mem_stats s = tu_stats(&t, 0);
  cr_assert_eq(s.backed, 256 * BB);
  cr_assert_eq(s.used, 4096 * 131072ull);
  cr_assert_eq(s.free, 44 * BB);
  cr_assert_eq(tu_reserve(&t, 0, 8113), KV_OK); /* block 507 */
  cr_assert_eq(t.ops.n, 1);
  cr_assert_eq(t.ops.ops[0].count, 1);
  cr_assert_eq(tu_stats(&t, 0).backed, 257 * BB);
  /* one jump far ahead: every old block goes, 256 new ones come */
  cr_assert_eq(tu_reserve(&t, 0, 20000), KV_OK); /* [15904, 20000) */
  cr_assert_eq(tu_count(&t.ops, KV_OP_TABLE_WRITE), 256);
  cr_assert_eq(tu_stats(&t, 0).backed, 256 * BB);
  tu_release(&t, 0);
  cr_assert_eq(tu_stats(&t, 0).backed, 0);
  tu_destroy(&t);
}

/* Gemma: crossing both a block end and a window block start writes one
 * full entry and one window entry and frees one window page. */
Test(strategy_paged, gemma2_growth_writes_both_lanes_and_frees_one_page) {
  tu_strat t;
  setup_model(&t, gemma2_9b(), 1100 * G2_PAGE, 0);
  cr_assert_eq(tu_reserve(&t, 0, 8100), KV_OK);
  cr_assert_eq(tu_reserve(&t, 0, 8113), KV_OK); /* 508 full; 251..507 */
  cr_assert_eq(t.ops.n, 1);
  cr_assert_eq(t.ops.ops[0].count, 2);
  kv_mem_stats s = tu_stats(&t, 0);
  cr_assert_eq(s.backed, (508 + 257) * G2_PAGE);
  cr_assert_eq(s.used, kv_strategy_used_bytes(&t.cfg, 8113));
  tu_destroy(&t);
}

/* A shrink may keep what is held, but not reach back into freed blocks. */
Test(strategy_paged, shrink_into_freed_window_blocks_is_einval) {
  tu_strat t;
  setup_model(&t, mistral_7b(), 300 * BB, 0);
  cr_assert_eq(tu_reserve(&t, 0, 8100), KV_OK); /* blocks 250..506 */
  kv_mem_stats before = tu_stats(&t, 0);
  cr_assert_eq(tu_reserve(&t, 0, 8000), KV_EINVAL, "needs block 243");
  cr_assert_eq(t.ops.n, 0);
  kv_mem_stats after = tu_stats(&t, 0);
  tu_assert_stats_eq(&before, &after);
  cr_assert_eq(tu_reserve(&t, 0, 8097), KV_OK, "[4001, 8097): block 250 on");
  cr_assert_eq(t.ops.n, 0);
  cr_assert_eq(tu_stats(&t, 0).backed, 257 * BB, "blocks kept");
  tu_destroy(&t);
}

Test(strategy_paged, windowed_swap_moves_only_the_blocks_held) {
  tu_strat t;
  setup_model(&t, gemma2_9b(), 1100 * G2_PAGE, 800 * G2_PAGE);
  cr_assert_eq(tu_reserve(&t, 0, 8100), KV_OK);
  cr_assert_eq(tu_swap_out(&t, 0), KV_OK);
  const kv_op *c = tu_find(&t.ops, KV_OP_COPY);
  cr_assert_eq(c->dir, KV_COPY_D2H);
  cr_assert_eq(c->bytes, 764 * G2_PAGE);
  cr_assert_eq(c->count, 1, "pages 0..763 are one run");
  kv_mem_stats s = tu_stats(&t, 0);
  cr_assert_eq(s.backed, 0);
  cr_assert_eq(s.used, 0);
  cr_assert_eq(s.host_used, 764 * G2_PAGE);
  cr_assert_eq(tu_reserve(&t, 1, 100), KV_OK); /* takes pages 0..13 */
  cr_assert_eq(tu_swap_in(&t, 0), KV_OK);
  cr_assert_eq(tu_count(&t.ops, KV_OP_TABLE_WRITE), 764);
  c = tu_find(&t.ops, KV_OP_COPY);
  cr_assert_eq(c->dir, KV_COPY_H2D);
  cr_assert_eq(c->bytes, 764 * G2_PAGE);
  s = tu_stats(&t, 0);
  cr_assert_eq(s.used, kv_strategy_used_bytes(&t.cfg, 8100) +
                           kv_strategy_used_bytes(&t.cfg, 100));
  cr_assert_eq(s.host_used, 0);
  /* the lanes came back in place: growth frees window block 250 */
  cr_assert_eq(tu_reserve(&t, 0, 8113), KV_OK);
  cr_assert_eq(tu_count(&t.ops, KV_OP_TABLE_WRITE), 2);
  cr_assert_eq(tu_stats(&t, 0).backed, (765 + 14) * G2_PAGE);
  tu_destroy(&t);
}

Test(strategy_paged, prefix_cache_with_a_window_is_refused) {
  tu_strat t;
  tu_cfg(&t, gemma2_9b(), 1100 * G2_PAGE);
  t.cfg.prefix_cache = true;
  kv_error e;
  void *st = NULL;
  cr_assert_eq(kv_strategy_paged.create(&t.cfg, &st, &t.ops, &e), KV_EINVAL);
  cr_assert_not_null(strstr(e.msg, "cfg.prefix_cache"), "%s", e.msg);
  cr_assert_not_null(strstr(e.msg, "sliding window"), "%s", e.msg);
  kv_ops_free(&t.ops);
}

/* 5 layers, 3 windowed (window 40): gcd(2, 3) = 1, so 2 full lanes and 3
 * window lanes of 1-layer pages; random growth, shrinks, swaps and
 * releases keep every invariant and `used` = the sum of
 * kv_strategy_used_bytes over live requests. */
Test(strategy_paged, windowed_random_ops_keep_invariants) {
  enum { NQ = 16, STEPS = 40000 };
  kv_model m = tu_tiny();
  m.layers = 5;
  m.sliding_window = 40;
  m.window_layers = 3;
  tu_strat t;
  tu_cfg(&t, m, 200 * 16 * 256 + 100); /* 200 one-layer pages of 16 tokens */
  t.cfg.max_requests = NQ;
  t.cfg.host_bytes = 400 * 16 * 256;
  tu_create(&t, "paged");
  uint64_t mrt = t.vt->max_request_tokens(t.st);
  cr_assert_eq(mrt, (200 - 3 * 4) / 2 * 16, "wcap = ceil(39/16) + 1 = 4");
  uint8_t st[NQ] = {0};
  uint64_t tok[NQ] = {0}, einval = 0, freed = 0, swaps = 0;
  kv_rng rng;
  kv_rng_seed(&rng, 5);
  for (int step = 0; step < STEPS; step++) {
    uint32_t q = (uint32_t)kv_rng_below(&rng, NQ);
    uint64_t roll = kv_rng_below(&rng, 100);
    kv_mem_stats before = tu_stats(&t, 0);
    kv_ops_clear(&t.ops);
    kv_status rc = KV_OK;
    if (st[q] == 2 && roll < 70) {
      rc = t.vt->swap_in(t.st, q, &t.ops);
      if (rc == KV_OK) st[q] = 1;
    } else if (st[q] == 2) {
      t.vt->release(t.st, q, &t.ops);
      st[q] = 0, tok[q] = 0;
    } else if (roll < 70 || st[q] == 0) {
      uint64_t want = roll < 60 || st[q] == 0 ? tok[q] + kv_rng_below(&rng, 30)
                                              : kv_rng_below(&rng, tok[q] + 1);
      rc = t.vt->reserve(t.st, q, want, &t.ops);
      if (rc == KV_OK) {
        if (tu_stats(&t, 0).backed < before.backed) freed++;
        st[q] = 1, tok[q] = want;
      }
      einval += rc == KV_EINVAL;
    } else if (roll < 85) {
      t.vt->release(t.st, q, &t.ops);
      st[q] = 0, tok[q] = 0;
    } else {
      rc = t.vt->swap_out(t.st, q, &t.ops);
      if (rc == KV_OK) st[q] = 2, swaps++;
    }
    if (rc != KV_OK) {
      cr_assert_eq(t.ops.n, 0, "step %d: ops on failure", step);
      kv_mem_stats after = tu_stats(&t, 0);
      cr_assert(memcmp(&before, &after, sizeof before) == 0, "step %d", step);
    }
    TU_VALID(&t);
    kv_mem_stats s = tu_stats(&t, 0);
    uint64_t used = 0;
    for (int i = 0; i < NQ; i++)
      if (st[i] == 1) used += kv_strategy_used_bytes(&t.cfg, tok[i]);
    cr_assert_eq(s.used, used, "step %d", step);
    cr_assert_eq(s.free + s.backed, s.capacity);
    cr_assert_leq(s.used, s.backed);
  }
  cr_assert_gt(freed, 100, "growth freed window pages %lu times",
               (unsigned long)freed);
  cr_assert_gt(einval, 10, "shrinks into freed pages %lu",
               (unsigned long)einval);
  cr_assert_gt(swaps, 100);
  for (uint32_t q = 0; q < NQ; q++)
    t.vt->release(t.st, q, &t.ops);
  TU_VALID(&t);
  cr_assert_eq(tu_stats(&t, 0).backed, 0);
  tu_destroy(&t);
}
