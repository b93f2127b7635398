/* test_strategy_props.c - property tests over random operation sequences
 * (fixed seed) for every strategy and vmm variant: is_valid after every op,
 * memory conservation, accounting against the test's own bookkeeping, and
 * "KV_ENOMEM / KV_EINVAL change nothing and emit nothing". Plus a cost check
 * of the per-step reserve + stats path.
 */
#include "strategy_testutil.h"
#include "util.h"

#include <time.h>

enum { NREQ = 32, NOPS = 100000 };

typedef struct prop_case {
  const char *strategy;
  kv_vmm_layout layout;
  bool deferred;
  uint32_t map_ahead;
} prop_case;

typedef struct prop_counts {
  uint64_t ok, enomem, einval, swaps_out, swaps_in, releases;
  uint64_t enomem_by[4]; /* by kind: reserve, release, swap out, swap in */
} prop_counts;

static void check_accounting(const tu_strat *t, const uint8_t *state,
                             const uint64_t *tokens, uint64_t bpt, int step) {
  kv_mem_stats s = tu_stats(t, 64);
  uint64_t used = 0;
  uint32_t live = 0, swapped = 0;
  for (int q = 0; q < NREQ; q++) {
    if (state[q] == 1) {
      used += tokens[q] * bpt;
      live++;
    }
    swapped += state[q] == 2;
  }
  cr_assert_eq(s.capacity, t->cfg.capacity_bytes);
  cr_assert_eq(s.free + s.backed, s.capacity, "step %d: conservation", step);
  cr_assert_eq(s.used, used, "step %d: used %lu vs tracked %lu", step,
               (unsigned long)s.used, (unsigned long)used);
  cr_assert_eq(s.live_requests, live, "step %d", step);
  cr_assert_eq(s.swapped_requests, swapped, "step %d", step);
  cr_assert(s.used <= s.allocated && s.allocated <= s.backed, "step %d", step);
  cr_assert_eq(s.internal_frag, s.allocated - s.used, "step %d", step);
  cr_assert(s.external_frag <= s.free, "step %d", step);
  cr_assert(s.host_used <= t->cfg.host_bytes, "step %d", step);
}

/* Run NOPS random operations; returns what happened for sanity checks. */
static prop_counts run_case(const prop_case *pc, uint64_t seed) {
  tu_strat t;
  /* odd capacity: leaves a tail no block/page/slab covers */
  tu_cfg(&t, tu_tiny(), 2 * MiB + 3000);
  t.cfg.max_requests = NREQ;
  t.cfg.max_context = 512;
  t.cfg.page_bytes = 4096;
  t.cfg.slab_bytes = 64 * 1024;
  t.cfg.host_bytes = 1 * MiB;
  t.cfg.vmm_layout = pc->layout;
  t.cfg.deferred_reclaim = pc->deferred;
  t.cfg.map_ahead = pc->map_ahead;
  t.ops.record_runs = 1;
  tu_create(&t, pc->strategy);
  uint64_t bpt = kv_strategy_bytes_per_token(&t.cfg);
  uint64_t mrt = t.vt->max_request_tokens(t.st);
  cr_assert(mrt > 0);
  uint8_t state[NREQ] = {0}; /* 0 free, 1 live, 2 swapped */
  uint64_t tokens[NREQ] = {0};
  prop_counts n = {0};
  kv_rng rng;
  kv_rng_seed(&rng, seed);
  for (int step = 0; step < NOPS; step++) {
    uint32_t q = (uint32_t)kv_rng_below(&rng, NREQ);
    uint64_t roll = kv_rng_below(&rng, 100);
    kv_mem_stats before = tu_stats(&t, 64);
    kv_ops_clear(&t.ops);
    kv_status rc;
    uint64_t want = tokens[q];
    int kind; /* 0 reserve, 1 release, 2 swap out, 3 swap in */
    if (state[q] == 0) {
      kind = 0;
      if (roll < 5) /* too many for any request here */
        want = mrt + 1 + kv_rng_below(&rng, mrt / 8 + 1);
      else
        want = kv_rng_below(&rng, KV_MIN(mrt, 256) + 1);
    } else if (state[q] == 1) {
      if (roll < 55) {
        kind = 0, want = tokens[q] + 1;
      } else if (roll < 65) {
        kind = 0, want = tokens[q] + kv_rng_below(&rng, 64);
      } else if (roll < 70) {
        kind = 0, want = kv_rng_below(&rng, tokens[q] + 1);
      } else if (roll < 85) {
        kind = 1;
      } else {
        kind = 2;
      }
    } else {
      kind = roll < 70 ? 3 : 1;
    }
    switch (kind) {
    case 0: rc = t.vt->reserve(t.st, q, want, &t.ops); break;
    case 1: t.vt->release(t.st, q, &t.ops), rc = KV_OK; break;
    case 2: rc = t.vt->swap_out(t.st, q, &t.ops); break;
    default: rc = t.vt->swap_in(t.st, q, &t.ops); break;
    }
    if (rc == KV_OK) {
      n.ok++;
      if (kind == 0) state[q] = 1, tokens[q] = want;
      if (kind == 1) state[q] = 0, tokens[q] = 0, n.releases++;
      if (kind == 2) state[q] = 2, n.swaps_out++;
      if (kind == 3) state[q] = 1, n.swaps_in++;
    } else {
      cr_assert(rc == KV_ENOMEM || rc == KV_EINVAL, "step %d: rc %d", step, rc);
      if (rc == KV_EINVAL) {
        n.einval++;
        cr_assert(kind == 0 && want > mrt,
                  "step %d: EINVAL for %lu tokens (max %lu)", step,
                  (unsigned long)want, (unsigned long)mrt);
      } else {
        n.enomem++;
        n.enomem_by[kind]++;
      }
      cr_assert_eq(t.ops.n, 0, "step %d: ops emitted on failure", step);
      kv_mem_stats after = tu_stats(&t, 64);
      cr_assert(memcmp(&before, &after, sizeof before) == 0,
                "step %d: stats changed on failure", step);
    }
    kv_error e;
    kv_status v = t.vt->is_valid(t.st, &e);
    cr_assert_eq(v, KV_OK, "%s step %d (op %d req %u): %s", pc->strategy, step,
                 kind, q, e.msg);
    check_accounting(&t, state, tokens, bpt, step);
  }
  tu_destroy(&t);
  return n;
}

static void run_and_check(const prop_case *pc) {
  prop_counts n = run_case(pc, 20240611);
  /* the mix must really exercise every path */
  cr_assert(n.enomem > 100, "%s: only %lu ENOMEM", pc->strategy,
            (unsigned long)n.enomem);
  cr_assert(n.einval > 100, "%s: only %lu EINVAL", pc->strategy,
            (unsigned long)n.einval);
  cr_assert(n.swaps_out > 100 && n.swaps_in > 100 && n.releases > 1000,
            "%s: swaps %lu/%lu releases %lu", pc->strategy,
            (unsigned long)n.swaps_out, (unsigned long)n.swaps_in,
            (unsigned long)n.releases);
  cr_log_info("%s: ok %lu enomem %lu (reserve %lu swap-out %lu swap-in %lu) "
              "einval %lu swaps %lu/%lu",
              pc->strategy, (unsigned long)n.ok, (unsigned long)n.enomem,
              (unsigned long)n.enomem_by[0], (unsigned long)n.enomem_by[2],
              (unsigned long)n.enomem_by[3], (unsigned long)n.einval,
              (unsigned long)n.swaps_out, (unsigned long)n.swaps_in);
}

Test(strategy_props, static_random_ops_keep_invariants) {
  run_and_check(&(prop_case){"static", KV_VMM_PER_LAYER, false, 0});
}

Test(strategy_props, paged_random_ops_keep_invariants) {
  run_and_check(&(prop_case){"paged", KV_VMM_PER_LAYER, false, 0});
}

Test(strategy_props, indirect_random_ops_keep_invariants) {
  run_and_check(&(prop_case){"indirect", KV_VMM_PER_LAYER, false, 0});
}

Test(strategy_props, vmm_per_layer_random_ops_keep_invariants) {
  run_and_check(&(prop_case){"vmm", KV_VMM_PER_LAYER, false, 0});
}

Test(strategy_props, vmm_all_layers_random_ops_keep_invariants) {
  run_and_check(&(prop_case){"vmm", KV_VMM_ALL_LAYERS, false, 0});
}

Test(strategy_props, vmm_per_layer_deferred_random_ops_keep_invariants) {
  run_and_check(&(prop_case){"vmm", KV_VMM_PER_LAYER, true, 0});
}

Test(strategy_props, vmm_all_layers_deferred_random_ops_keep_invariants) {
  run_and_check(&(prop_case){"vmm", KV_VMM_ALL_LAYERS, true, 0});
}

Test(strategy_props, vmm_per_layer_map_ahead_random_ops_keep_invariants) {
  run_and_check(&(prop_case){"vmm", KV_VMM_PER_LAYER, false, 64});
}

Test(strategy_props, vmm_all_layers_deferred_map_ahead_random_ops) {
  run_and_check(&(prop_case){"vmm", KV_VMM_ALL_LAYERS, true, 24});
}

/* Every registered strategy (KV_STRATEGY_LIST) with its defaults, so that
 * a new one is covered without naming it here. */
Test(strategy_props, every_registered_strategy_keeps_invariants) {
  for (const char *const *n = kv_strategy_names(); *n; n++)
    run_and_check(&(prop_case){*n, KV_VMM_PER_LAYER, false, 0});
}

/* Deferred reclamation must not cost admissions. A reused idle slot keeps
 * all its steps, more than its new owner may need; those spare steps (and
 * mapped-ahead ones) are reclaimed by other requests' critical growth, so a
 * reserve fails only when the live requests' needs fill the pool. Measured
 * with this seed, ENOMEM per 100000 ops: per-layer 2.42 % without deferred
 * reclaim; with it 29.7 % while spare steps were hoarded, 1.25 % now;
 * all-layers 1.05 %, 27.9 %, 0.46 %. Deferred reclaim now does better than
 * none: a request that shrank keeps its pages, and only deferred reclaim
 * takes them back. Bound: at most 1 point above the same layout without
 * deferred reclaim, room for the op sequences diverging with the outcomes,
 * and still more than 25 points below the hoarding behaviour. */
static double enomem_frac(const prop_case *pc) {
  prop_counts n = run_case(pc, 20240611);
  double f = (double)n.enomem / NOPS;
  cr_log_info("vmm %s deferred %d map_ahead %u: ENOMEM %.2f %% (reserve %lu "
              "swap-in %lu)",
              pc->layout == KV_VMM_PER_LAYER ? "per-layer" : "all-layers",
              pc->deferred, pc->map_ahead, 100 * f,
              (unsigned long)n.enomem_by[0], (unsigned long)n.enomem_by[3]);
  return f;
}

Test(strategy_props, vmm_deferred_reclaim_enomem_rate_matches_no_deferred) {
  kv_vmm_layout layouts[] = {KV_VMM_PER_LAYER, KV_VMM_ALL_LAYERS};
  for (int i = 0; i < 2; i++) {
    double plain = enomem_frac(&(prop_case){"vmm", layouts[i], false, 0});
    double deferred = enomem_frac(&(prop_case){"vmm", layouts[i], true, 0});
    cr_assert(deferred <= plain + 0.01,
              "layout %d: ENOMEM %.2f %% with deferred reclaim, %.2f %% "
              "without",
              i, 100 * deferred, 100 * plain);
  }
  /* map-ahead pages are spare too: with deferred reclaim they never make a
     critical reserve fail, so the outcomes (and the op mix they steer) are
     those of the run without map-ahead, to the op */
  prop_counts a =
      run_case(&(prop_case){"vmm", KV_VMM_ALL_LAYERS, true, 0}, 20240611);
  prop_counts b =
      run_case(&(prop_case){"vmm", KV_VMM_ALL_LAYERS, true, 24}, 20240611);
  cr_assert_eq(a.enomem, b.enomem, "ENOMEM %lu without map-ahead, %lu with",
               (unsigned long)a.enomem, (unsigned long)b.enomem);
  cr_assert_eq(a.ok, b.ok);
}

/* The engine's hot path: every step, reserve one more token for every
 * running request, then read stats. 64 requests x 4096 decode steps =
 * 262144 reserve calls + 4096 stats per strategy, under 1 s of CPU. */
static double hot_path_seconds(const char *name, kv_vmm_layout layout) {
  tu_strat t;
  tu_cfg(&t, tu_llama3_8b(), 80ull << 30);
  t.cfg.max_requests = 64;
  t.cfg.vmm_layout = layout;
  tu_create(&t, name);
  kv_ops_free(&t.ops);
  kv_ops_init(&t.ops, 0);
  clock_t c0 = clock();
  uint64_t ops = 0;
  kv_mem_stats s;
  for (uint64_t tok = 1; tok <= 4096; tok++) {
    for (uint32_t q = 0; q < 64; q++)
      cr_assert_eq(t.vt->reserve(t.st, q, tok, &t.ops), KV_OK);
    t.vt->stats(t.st, 100, &s);
    ops += t.ops.n;
    kv_ops_clear(&t.ops);
  }
  double sec = (double)(clock() - c0) / CLOCKS_PER_SEC;
  cr_assert_eq(s.used, 64ull * 4096 * 131072);
  if (strcmp(name, "static") != 0) cr_assert(ops > 0, "%s: no ops", name);
  TU_VALID(&t);
  tu_destroy(&t);
  return sec;
}

Test(strategy_props, reserve_and_stats_hot_path_is_cheap) {
  const char *names[] = {"static", "paged", "vmm", "vmm", "indirect"};
  kv_vmm_layout layouts[] = {KV_VMM_PER_LAYER, KV_VMM_PER_LAYER,
                             KV_VMM_PER_LAYER, KV_VMM_ALL_LAYERS,
                             KV_VMM_PER_LAYER};
  for (int i = 0; i < 5; i++) {
    double sec = hot_path_seconds(names[i], layouts[i]);
    cr_log_info("hot path %s/%d: %.3f s", names[i], (int)layouts[i], sec);
    cr_assert(sec < 1.0, "%s: %.3f s for 262144 reserves", names[i], sec);
  }
}

/* copy_via = KV_VIA_BATCH is valid for every strategy: the same swap
 * copies (count, bytes, runs) as the per-run engine path, marked batch. */
static void swap_copies(const char *name, kv_copy_via via, kv_op *out) {
  tu_strat t;
  tu_cfg(&t, tu_llama3_8b(), 256ull << 20);
  t.cfg.max_context = 1024;
  t.cfg.host_bytes = 256ull << 20;
  t.cfg.copy_via = via;
  if (strcmp(name, "vmm") == 0) t.cfg.page_bytes = 2u << 20;
  tu_create(&t, name);
  cr_assert_eq(tu_reserve(&t, 3, 300), KV_OK, "%s", name);
  cr_assert_eq(tu_swap_out(&t, 3), KV_OK, "%s", name);
  const kv_op *o = tu_find(&t.ops, KV_OP_COPY);
  cr_assert_not_null(o, "%s: swap-out emitted no copy", name);
  out[0] = *o;
  cr_assert_eq(tu_swap_in(&t, 3), KV_OK, "%s", name);
  o = tu_find(&t.ops, KV_OP_COPY);
  cr_assert_not_null(o, "%s: swap-in emitted no copy", name);
  out[1] = *o;
  tu_destroy(&t);
}

Test(strategy_props, batch_copy_via_gives_the_engine_ops_marked_batch) {
  const char *const *names = kv_strategy_names(); /* every registered one */
  for (size_t i = 0; names[i]; i++) {
    kv_op e[2], b[2];
    swap_copies(names[i], KV_VIA_ENGINE, e);
    swap_copies(names[i], KV_VIA_BATCH, b);
    for (int k = 0; k < 2; k++) {
      cr_assert_eq(b[k].via, KV_VIA_BATCH, "%s", names[i]);
      cr_assert_eq(e[k].via, KV_VIA_ENGINE, "%s", names[i]);
      cr_assert_eq(b[k].dir, e[k].dir, "%s", names[i]);
      cr_assert_eq(b[k].count, e[k].count, "%s", names[i]);
      cr_assert_eq(b[k].bytes, e[k].bytes, "%s", names[i]);
      cr_assert_eq(b[k].runs_n, e[k].runs_n, "%s", names[i]);
    }
  }
}

/* kv_strategy_cfg_lua: the strategy table of a cfg, options that differ
 * from their defaults only, enums by name, in the vtable's order; a cut
 * buffer reports the length it needed. */
Test(strategy_props, cfg_lua_lists_the_options_that_differ) {
  kv_strategy_cfg c;
  kv_strategy_cfg_defaults(&c);
  char buf[256];
  kv_strategy_cfg_lua(&kv_strategy_paged, &c, buf, sizeof buf);
  cr_expect_str_eq(buf, "{ \"paged\" }");
  c.block_tokens = 32;
  c.copy_via = KV_VIA_KERNEL;
  int n = kv_strategy_cfg_lua(&kv_strategy_paged, &c, buf, sizeof buf);
  cr_expect_str_eq(buf,
                   "{ \"paged\", block_tokens = 32, copy_via = \"kernel\" }");
  cr_expect_eq(n, (int)strlen(buf));
  kv_strategy_cfg_defaults(&c);
  c.vmm_layout = KV_VMM_ALL_LAYERS;
  c.deferred_reclaim = true;
  c.max_context = 512;
  kv_strategy_cfg_lua(&kv_strategy_vmm, &c, buf, sizeof buf);
  cr_expect(strstr(buf, "layout = \"all_layers\"") &&
                strstr(buf, "deferred_reclaim = true") &&
                strstr(buf, "max_context = 512") && !strstr(buf, "page_bytes"),
            "%s", buf);
  char small[8];
  int need = kv_strategy_cfg_lua(&kv_strategy_vmm, &c, small, sizeof small);
  cr_expect_eq(need, (int)strlen(buf), "the length it needed");
  cr_expect_eq(strlen(small), sizeof small - 1, "cut, terminated");
}
