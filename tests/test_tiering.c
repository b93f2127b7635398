/* test_tiering.c - block eviction to the host tier, reload and compaction in
 * the indirect strategy, and the engine's tiered mode:
 * - property test: >= 1e5 random reserve / release / evict / reload /
 *   compact / swap / prefix attach / publish ops (fixed seed), is_valid
 *   after each, refused ops emit nothing, reference counts back to zero;
 * - ordering: in a tiered engine run, no ATTN_READ of a request comes while
 *   its evicted blocks have not been copied back (an H2D copy for it earlier
 *   in the op stream);
 * - compaction moves blocks, costs D2D copies and table writes, and keeps
 *   every invariant.
 */
#include "engine_testutil.h"
#include "strategy_testutil.h"

#include "backend.h"
#include "engine.h"
#include "util.h"

enum { NREQ = 32, NOPS = 120000, NFAM = 4 };

static const uint32_t fam_len[NFAM] = {100, 37, 200, 64};

/* Keys of family f's prompt over its first `limit` tokens. */
static uint32_t fam_keys(uint32_t f, uint32_t limit, uint64_t *keys,
                         uint32_t *fill) {
  uint32_t len = KV_MIN(limit, fam_len[f]), n = KV_DIV_CEIL(len, 16);
  for (uint32_t j = 0; j < n; j++) {
    keys[j] = ((uint64_t)(f + 1) << 16) | j;
    fill[j] = KV_MIN(16u, len - 16 * j);
  }
  return n;
}

typedef struct counts {
  uint64_t attach_hits, cows, evicts, reloads, compacted, publishes, swaps;
  uint64_t enomem;
} counts;

Test(tiering, random_ops_keep_invariants) {
  tu_strat t;
  tu_cfg(&t, tu_tiny(), 2 * MiB + 3000);
  t.cfg.max_requests = NREQ;
  t.cfg.slab_bytes = 64 * 1024;
  t.cfg.host_bytes = 1 * MiB;
  t.cfg.prefix_cache = true;
  tu_create(&t, "indirect");
  const kv_strategy_vt *vt = t.vt;
  uint8_t state[NREQ] = {0}; /* 0 free, 1 live, 2 swapped */
  int fam[NREQ];
  uint64_t tokens[NREQ] = {0};
  uint64_t keys[64];
  uint32_t fill[64];
  counts c = {0};
  kv_rng rng;
  kv_rng_seed(&rng, 42);
  for (int step = 0; step < NOPS; step++) {
    uint32_t q = (uint32_t)kv_rng_below(&rng, NREQ);
    uint64_t roll = kv_rng_below(&rng, 100);
    kv_ops_clear(&t.ops);
    kv_status rc = KV_OK;
    bool refused_emits_nothing = true;
    if (state[q] == 0) {
      uint32_t f = (uint32_t)kv_rng_below(&rng, NFAM);
      fam[q] = (int)f;
      if (roll < 40) {
        uint32_t limit = 1 + (uint32_t)kv_rng_below(&rng, fam_len[f]);
        uint32_t n = fam_keys(f, limit, keys, fill);
        uint64_t got = vt->prefix_attach(t.st, q, keys, fill, n, &t.ops);
        cr_assert(got <= limit, "attached %lu > %u", (unsigned long)got, limit);
        if (got) {
          state[q] = 1;
          tokens[q] = got;
          c.attach_hits++;
        }
      }
      if (!state[q]) {
        uint64_t want = 1 + kv_rng_below(&rng, 300);
        rc = vt->reserve(t.st, q, want, &t.ops);
        if (rc == KV_OK) {
          state[q] = 1;
          tokens[q] = want;
        }
      }
    } else if (state[q] == 1 && vt->host_blocks(t.st, q) > 0) {
      if (roll < 60) {
        rc = vt->reload(t.st, q, &t.ops);
        c.reloads += rc == KV_OK;
        if (rc == KV_OK) cr_assert_eq(vt->host_blocks(t.st, q), 0);
      } else if (roll < 80) {
        vt->release(t.st, q, &t.ops);
        state[q] = 0;
        tokens[q] = 0;
      } else {
        /* a reservation must wait for the reload */
        rc = vt->reserve(t.st, q, tokens[q] + 1, &t.ops);
        cr_assert_eq(rc, KV_EINVAL);
      }
    } else if (state[q] == 1) {
      if (roll < 35) {
        uint64_t want = tokens[q] + kv_rng_below(&rng, 40);
        size_t d2d_before = tu_nops(&t.ops, KV_OP_COPY);
        rc = vt->reserve(t.st, q, want, &t.ops);
        if (rc == KV_OK) {
          c.cows += tu_nops(&t.ops, KV_OP_COPY) > d2d_before;
          tokens[q] = want;
        }
      } else if (roll < 45) {
        vt->release(t.st, q, &t.ops);
        state[q] = 0;
        tokens[q] = 0;
      } else if (roll < 60) {
        rc = vt->evict(t.st, q, &t.ops);
        if (rc == KV_OK && vt->host_blocks(t.st, q) > 0) {
          c.evicts++;
          const kv_op *cp = tu_find(&t.ops, KV_OP_COPY);
          cr_assert_not_null(cp);
          cr_assert_eq(cp->dir, KV_COPY_D2H);
          /* the copy is queued before the table update */
          cr_assert(tu_find(&t.ops, KV_OP_TABLE_WRITE) > cp);
        }
      } else if (roll < 70) {
        uint32_t n =
            fam_keys((uint32_t)fam[q], (uint32_t)tokens[q], keys, fill);
        vt->prefix_publish(t.st, q, keys, fill, n);
        c.publishes++;
      } else if (roll < 80) {
        uint64_t moved = vt->compact(t.st, 1 + kv_rng_below(&rng, 64), &t.ops);
        c.compacted += moved;
        if (moved) {
          cr_assert_eq(tu_find(&t.ops, KV_OP_COPY)->dir, KV_COPY_D2D);
          cr_assert_eq(tu_count(&t.ops, KV_OP_TABLE_WRITE), moved);
        }
      } else if (roll < 88) {
        rc = vt->swap_out(t.st, q, &t.ops);
        if (rc == KV_OK) {
          state[q] = 2;
          c.swaps++;
        }
      } else {
        uint64_t moved = vt->compact(t.st, 1000, &t.ops);
        c.compacted += moved;
      }
    } else {
      if (roll < 60) {
        rc = vt->swap_in(t.st, q, &t.ops);
        if (rc == KV_OK) state[q] = 1;
      } else {
        vt->release(t.st, q, &t.ops);
        state[q] = 0;
        tokens[q] = 0;
      }
    }
    if (rc == KV_ENOMEM) {
      c.enomem++;
      cr_assert(!refused_emits_nothing || t.ops.n == 0,
                "step %d: a refused op emitted %zu ops", step, t.ops.n);
    }
    kv_error e;
    cr_assert_eq(vt->is_valid(t.st, &e), KV_OK, "step %d: %s", step, e.msg);
    kv_mem_stats ms = tu_stats(&t, 0);
    cr_assert(ms.used <= ms.backed, "step %d: used %lu > backed %lu", step,
              (unsigned long)ms.used, (unsigned long)ms.backed);
    cr_assert(ms.host_used <= t.cfg.host_bytes);
  }
  /* every kind of event happened, or the test proves little */
  cr_assert(c.attach_hits > 1000, "attach hits %lu",
            (unsigned long)c.attach_hits);
  cr_assert(c.cows > 100, "copy-on-write %lu", (unsigned long)c.cows);
  cr_assert(c.evicts > 1000, "evictions %lu", (unsigned long)c.evicts);
  cr_assert(c.reloads > 1000, "reloads %lu", (unsigned long)c.reloads);
  cr_assert(c.compacted > 100, "compacted %lu", (unsigned long)c.compacted);
  cr_assert(c.enomem > 100, "enomem %lu", (unsigned long)c.enomem);
  for (uint32_t q = 0; q < NREQ; q++)
    vt->release(t.st, q, &t.ops);
  TU_VALID(&t);
  kv_tier_stats ts;
  vt->tier_stats(t.st, &ts);
  cr_assert_eq(ts.shared_refs, 0, "references left: %lu",
               (unsigned long)ts.shared_refs);
  cr_assert_eq(ts.host_blocks, 0);
  kv_mem_stats ms = tu_stats(&t, 0);
  cr_assert_eq(ms.used, 0);
  cr_assert_eq(ms.backed, 0);
  cr_assert_eq(ms.host_used, 0);
  cr_assert(ts.cached_blocks > 0, "published blocks stay cached");
  tu_destroy(&t);
}

Test(tiering, evict_reload_ops_and_runs) {
  tu_strat t;
  tu_cfg(&t, tu_tiny(), 1 * MiB);
  t.cfg.slab_bytes = 64 * 1024;
  t.cfg.host_bytes = 1 * MiB;
  tu_create(&t, "indirect");
  cr_assert_eq(tu_reserve(&t, 0, 64), KV_OK); /* 4 contiguous blocks */
  kv_ops_clear(&t.ops);
  cr_assert_eq(t.vt->evict(t.st, 0, &t.ops), KV_OK);
  TU_VALID(&t);
  cr_assert_eq(t.ops.n, 2);
  cr_assert_eq(t.ops.ops[0].kind, KV_OP_COPY);
  cr_assert_eq(t.ops.ops[0].dir, KV_COPY_D2H);
  cr_assert_eq(t.ops.ops[0].count, 1, "one merged run");
  cr_assert_eq(t.ops.ops[0].bytes, 4 * 16 * 512);
  cr_assert_eq(t.ops.runs[0].bytes, 4 * 16 * 512);
  cr_assert_eq(t.ops.ops[1].kind, KV_OP_TABLE_WRITE);
  cr_assert_eq(t.ops.ops[1].count, 4);
  cr_assert_eq(t.vt->host_blocks(t.st, 0), 4);
  kv_mem_stats ms = tu_stats(&t, 0);
  cr_assert_eq(ms.backed, 0);
  cr_assert_eq(ms.host_used, 4 * 16 * 512);
  cr_assert_eq(tu_reserve(&t, 0, 80), KV_EINVAL, "reload first");
  /* another request takes the freed slots; the reload goes elsewhere */
  cr_assert_eq(tu_reserve(&t, 1, 32), KV_OK);
  kv_ops_clear(&t.ops);
  cr_assert_eq(t.vt->reload(t.st, 0, &t.ops), KV_OK);
  TU_VALID(&t);
  const kv_op *cp = tu_find(&t.ops, KV_OP_COPY);
  cr_assert_eq(cp->dir, KV_COPY_H2D);
  cr_assert_eq(cp->bytes, 4 * 16 * 512);
  cr_assert_eq(t.ops.runs[cp->runs_first].src, 0, "from the host offset");
  cr_assert_neq(t.ops.runs[cp->runs_first].dst, 0, "slot 0 is reused");
  cr_assert(tu_find(&t.ops, KV_OP_TABLE_WRITE) > cp);
  cr_assert_eq(t.vt->host_blocks(t.st, 0), 0);
  cr_assert_eq(tu_reserve(&t, 0, 80), KV_OK);
  tu_destroy(&t);
}

Test(tiering, compaction_restores_locality) {
  tu_strat t;
  tu_cfg(&t, tu_tiny(), 1 * MiB);
  t.cfg.slab_bytes = 1 * MiB;
  tu_create(&t, "indirect");
  /* interleave two requests block by block, then free one: the other is
   * scattered over every second block */
  for (uint64_t k = 1; k <= 8; k++) {
    cr_assert_eq(tu_reserve(&t, 0, 16 * k), KV_OK);
    cr_assert_eq(tu_reserve(&t, 1, 16 * k), KV_OK);
  }
  tu_release(&t, 1);
  kv_tier_stats before;
  t.vt->tier_stats(t.st, &before);
  kv_ops_clear(&t.ops);
  uint64_t moved = t.vt->compact(t.st, 100, &t.ops);
  TU_VALID(&t);
  cr_assert_eq(moved, 8);
  const kv_op *cp = tu_find(&t.ops, KV_OP_COPY);
  cr_assert_eq(cp->dir, KV_COPY_D2D);
  cr_assert_eq(cp->bytes, 8 * 16 * 512);
  cr_assert_eq(tu_count(&t.ops, KV_OP_TABLE_WRITE), 8);
  kv_tier_stats after;
  t.vt->tier_stats(t.st, &after);
  cr_assert_lt(after.free_ranges, before.free_ranges);
  /* now contiguous: a second pass has nothing to do */
  kv_ops_clear(&t.ops);
  cr_assert_eq(t.vt->compact(t.st, 100, &t.ops), 0);
  cr_assert_eq(t.ops.n, 0);
  /* the budget is respected */
  tu_destroy(&t);
}

/* ---- engine: ordering of copies and reads ---- */

static kv_backend_vt rec_vt;
static kv_status (*inner_step)(kv_backend *, const kv_op_list *, kv_step_time *,
                               kv_error *);
static uint8_t *pending; /* per request: evicted, not yet copied back */
static uint64_t n_attn, n_evict_copies, n_reload_copies, n_violations;

static kv_status rec_step(kv_backend *b, const kv_op_list *ops,
                          kv_step_time *out, kv_error *err) {
  for (size_t i = 0; i < ops->n; i++) {
    const kv_op *op = &ops->ops[i];
    if (op->kind == KV_OP_COPY && op->dir == KV_COPY_D2H &&
        op->req != KV_NO_REQ) {
      pending[op->req] = 1;
      n_evict_copies++;
    } else if (op->kind == KV_OP_COPY && op->dir == KV_COPY_H2D &&
               op->req != KV_NO_REQ) {
      pending[op->req] = 0;
      n_reload_copies++;
    } else if (op->kind == KV_OP_ATTN_READ) {
      n_attn++;
      if (pending[op->req]) n_violations++;
    }
  }
  return inner_step(b, ops, out, err);
}

static kv_model model;
static kv_platform platform;

static void setup(void) {
  tu_llama3_h100(&model, &platform);
}

static kv_status compact_always(void *ud, const kv_policy_view *v,
                                uint64_t *max_blocks, kv_error *err) {
  (void)ud;
  (void)v;
  (void)err;
  *max_blocks = 32;
  return KV_OK;
}

static void tiered_run(const kv_policy *pol, kv_result *res) {
  kv_synth_cfg c = {
      .arrival = KV_ARRIVAL_POISSON,
      .rate = 40,
      .n = 300,
      .prompt = {.kind = KV_LEN_UNIFORM, .a = 16, .b = 3000, .min = 1},
      .output = {.kind = KV_LEN_UNIFORM, .a = 1, .b = 300, .min = 1},
  };
  kv_workload w;
  kv_error err;
  kv_workload_init(&w);
  cr_assert_eq(kv_workload_synthetic(&c, 7, &w, &err), KV_OK, "%s", err.msg);
  kv_engine_cfg cfg;
  kv_engine_cfg_defaults(&cfg);
  cfg.model = &model;
  cfg.platform = &platform;
  cfg.workload = &w;
  cfg.strategy = &kv_strategy_indirect;
  cfg.kv_capacity = 2ull << 30; /* 16 Ki tokens of Llama-3-8B */
  cfg.scfg.host_bytes = 32ull << 30;
  cfg.scfg.slab_bytes = 32ull << 20;
  cfg.tier = true;
  cfg.policy = pol;
  cfg.check_level = 2;
  /* no admission watermark: requests are admitted as long as their next
   * tokens fit, so many are evicted and reloaded (the ordering under test) */
  cfg.watermark = 0;
  kv_backend *b = kv_backend_ideal_create(&platform, &model, 1, &err);
  rec_vt = *b->vt;
  inner_step = rec_vt.step;
  rec_vt.step = rec_step;
  b->vt = &rec_vt;
  cfg.backend = b;
  pending = kv_xcalloc(w.n, 1);
  n_attn = n_evict_copies = n_reload_copies = n_violations = 0;
  kv_status s = kv_engine_run(&cfg, res, &err);
  cr_assert_eq(s, KV_OK, "%s", err.msg);
  cr_assert_eq(res->summary.completed, (double)w.n);
  free(pending);
  b->vt->destroy(b);
  kv_workload_free(&w);
}

Test(tiering, no_read_before_copy_in, .init = setup) {
  kv_result res;
  tiered_run(NULL, &res);
  cr_assert_gt(res.tier.evictions, 10, "evictions %g", res.tier.evictions);
  cr_assert_gt(n_evict_copies, 10);
  cr_assert_gt(n_reload_copies, 10);
  cr_assert_gt(res.tier.reloads + res.tier.prefetches, 10);
  cr_assert_gt(n_attn, 1000);
  cr_assert_eq(n_violations, 0, "%lu reads of blocks still in the host tier",
               (unsigned long)n_violations);
  cr_assert_gt(res.summary.copy_bytes_d2h, 0);
  cr_assert_eq(res.summary.copy_bytes_h2d, res.summary.copy_bytes_d2h,
               "every evicted byte comes back (all requests complete)");
  kv_result_free(&res);
}

Test(tiering, forced_compaction_counts_its_copies, .init = setup) {
  kv_policy pol = kv_policy_default;
  pol.name = "compact-always";
  pol.compact = compact_always;
  kv_result res;
  tiered_run(&pol, &res);
  cr_assert_gt(res.tier.compact_blocks, 0);
  cr_assert_eq(res.summary.copy_bytes_d2d, res.tier.compact_bytes);
  cr_assert_eq(res.tier.compact_bytes, res.tier.compact_blocks * 16 * 131072);
  cr_assert_eq(n_violations, 0);
  kv_result_free(&res);
}

/* ---- sliding windows ---- */

/* 5 layers, 3 windowed (window 40): 2 full lanes and 3 window lanes of
 * one-layer blocks (gcd(2, 3) = 1). Random growth, shrinks, releases,
 * evictions, reloads, compactions and swaps keep every invariant, and
 * `used` is kv_strategy_used_bytes summed over requests whose blocks are
 * on the device (evicted ones count nothing: all their blocks are out). */
Test(tiering, windowed_random_ops_keep_invariants) {
  enum { NQ = 16, STEPS = 60000 };
  kv_model m = tu_tiny();
  m.layers = 5;
  m.sliding_window = 40;
  m.window_layers = 3;
  tu_strat t;
  tu_cfg(&t, m, 2 * MiB + 3000); /* 32 slabs of 16 blocks of 4 KiB */
  t.cfg.max_requests = NQ;
  t.cfg.slab_bytes = 64 * 1024;
  t.cfg.host_bytes = 1 * MiB;
  tu_create(&t, "indirect");
  const kv_strategy_vt *vt = t.vt;
  cr_assert_eq(vt->max_request_tokens(t.st), (512 - 3 * 4) / 2 * 16);
  uint8_t st[NQ] = {0}; /* 0 free, 1 live, 2 swapped */
  uint64_t tok[NQ] = {0};
  counts c = {0};
  uint64_t freed = 0;
  kv_rng rng;
  kv_rng_seed(&rng, 9);
  for (int step = 0; step < STEPS; step++) {
    uint32_t q = (uint32_t)kv_rng_below(&rng, NQ);
    uint64_t roll = kv_rng_below(&rng, 100);
    kv_mem_stats before = tu_stats(&t, 0);
    kv_ops_clear(&t.ops);
    kv_status rc = KV_OK;
    bool evicted = st[q] == 1 && vt->host_blocks(t.st, q) > 0;
    if (st[q] == 2) {
      if (roll < 60) {
        rc = vt->swap_in(t.st, q, &t.ops);
        if (rc == KV_OK) st[q] = 1;
      } else {
        vt->release(t.st, q, &t.ops);
        st[q] = 0, tok[q] = 0;
      }
    } else if (evicted && roll < 60) {
      rc = vt->reload(t.st, q, &t.ops);
      c.reloads += rc == KV_OK;
    } else if (evicted && roll < 80) {
      cr_assert_eq(vt->reserve(t.st, q, tok[q] + 1, &t.ops), KV_EINVAL);
    } else if (st[q] == 0 || roll < 50) {
      uint64_t want = st[q] == 0 || roll < 42 ? tok[q] + kv_rng_below(&rng, 30)
                                              : kv_rng_below(&rng, tok[q] + 1);
      rc = vt->reserve(t.st, q, want, &t.ops);
      if (rc == KV_OK) {
        freed += tu_stats(&t, 0).backed < before.backed;
        st[q] = 1, tok[q] = want;
      }
    } else if (roll < 62) {
      vt->release(t.st, q, &t.ops);
      st[q] = 0, tok[q] = 0;
    } else if (roll < 74) {
      rc = vt->evict(t.st, q, &t.ops);
      c.evicts += rc == KV_OK && vt->host_blocks(t.st, q) > 0;
    } else if (roll < 86) {
      c.compacted += vt->compact(t.st, 1 + kv_rng_below(&rng, 64), &t.ops);
    } else {
      rc = vt->swap_out(t.st, q, &t.ops);
      if (rc == KV_OK) st[q] = 2, c.swaps++;
    }
    if (rc != KV_OK) {
      c.enomem += rc == KV_ENOMEM;
      cr_assert_eq(t.ops.n, 0, "step %d: a refused op emitted ops", step);
      kv_mem_stats after = tu_stats(&t, 0);
      cr_assert(memcmp(&before, &after, sizeof before) == 0,
                "step %d: a refused op changed the stats", step);
    }
    kv_error e;
    cr_assert_eq(vt->is_valid(t.st, &e), KV_OK, "step %d: %s", step, e.msg);
    uint64_t used = 0;
    for (uint32_t i = 0; i < NQ; i++)
      if (st[i] == 1 && vt->host_blocks(t.st, i) == 0)
        used += kv_strategy_used_bytes(&t.cfg, tok[i]);
    kv_mem_stats ms = tu_stats(&t, 0);
    cr_assert_eq(ms.used, used, "step %d", step);
    cr_assert_eq(ms.free + ms.backed, ms.capacity);
    cr_assert_leq(ms.used, ms.backed);
  }
  cr_assert(c.evicts > 500, "evictions %lu", (unsigned long)c.evicts);
  cr_assert(c.reloads > 500, "reloads %lu", (unsigned long)c.reloads);
  cr_assert(c.compacted > 100, "compacted %lu", (unsigned long)c.compacted);
  cr_assert(c.swaps > 500, "swaps %lu", (unsigned long)c.swaps);
  cr_assert(freed > 500, "growths that freed blocks %lu", (unsigned long)freed);
  for (uint32_t q = 0; q < NQ; q++)
    vt->release(t.st, q, &t.ops);
  TU_VALID(&t);
  kv_tier_stats ts;
  vt->tier_stats(t.st, &ts);
  cr_assert_eq(ts.host_blocks, 0);
  cr_assert_eq(ts.free_blocks, ts.total_blocks);
  cr_assert_eq(tu_stats(&t, 0).host_used, 0);
  tu_destroy(&t);
}

/* A tiered engine run of Mistral-7B (every layer windowed, 4,096 tokens)
 * with prompts past the window: requests are evicted and reloaded with
 * their window's blocks only, the engine's checks (level 2) hold, no read
 * comes before its copy-in and every evicted byte comes back. */
Test(tiering, windowed_model_tiered_run, .init = setup) {
  kv_model mistral;
  kv_error err;
  cr_assert_eq(kv_model_preset("mistral-7b", &mistral, &err), KV_OK, "%s",
               err.msg);
  kv_synth_cfg c = {
      .arrival = KV_ARRIVAL_POISSON,
      .rate = 20,
      .n = 120,
      .prompt = {.kind = KV_LEN_UNIFORM, .a = 16, .b = 12000, .min = 1},
      .output = {.kind = KV_LEN_UNIFORM, .a = 1, .b = 300, .min = 1},
  };
  kv_workload w;
  kv_workload_init(&w);
  cr_assert_eq(kv_workload_synthetic(&c, 3, &w, &err), KV_OK, "%s", err.msg);
  kv_engine_cfg cfg;
  kv_engine_cfg_defaults(&cfg);
  cfg.model = &mistral;
  cfg.platform = &platform;
  cfg.workload = &w;
  cfg.strategy = &kv_strategy_indirect;
  cfg.kv_capacity = 1ull << 30; /* 512 blocks: two windows at most */
  cfg.scfg.host_bytes = 32ull << 30;
  cfg.scfg.slab_bytes = 32ull << 20;
  cfg.tier = true;
  cfg.check_level = 2;
  cfg.watermark = 0;
  kv_backend *b = kv_backend_ideal_create(&platform, &mistral, 1, &err);
  rec_vt = *b->vt;
  inner_step = rec_vt.step;
  rec_vt.step = rec_step;
  b->vt = &rec_vt;
  cfg.backend = b;
  pending = kv_xcalloc(w.n, 1);
  n_attn = n_evict_copies = n_reload_copies = n_violations = 0;
  kv_result res;
  kv_status s = kv_engine_run(&cfg, &res, &err);
  cr_assert_eq(s, KV_OK, "%s", err.msg);
  cr_assert_eq(res.summary.completed, (double)w.n);
  cr_assert_gt(res.tier.evictions, 100, "evictions %g", res.tier.evictions);
  cr_assert_eq(n_violations, 0);
  cr_assert_eq(res.summary.copy_bytes_h2d, res.summary.copy_bytes_d2h);
  free(pending);
  b->vt->destroy(b);
  kv_result_free(&res);
  kv_workload_free(&w);
}
