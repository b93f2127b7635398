/* test_strategy_need.c - reserve_need (strategy.h, version 3) against what
 * the calls it stands for really take. Over random operation sequences
 * (fixed seeds) on every strategy and vmm variant, with a full-attention
 * geometry and windowed ones (Mistral-7B: every layer windowed; Gemma-2-9B:
 * half of them; a small hybrid whose window binds within a few blocks),
 * with the prefix cache (paged, indirect) and host-tier blocks (indirect
 * evict / reload): before bringing a request to n tokens (swap_in or reload
 * first when it needs one, then reserve) the slot's value equals the bytes
 * free for admission the calls took (stats().free + reusable, before -
 * after; 0 when they gave more back), it is UINT64_MAX exactly when one of them
 * failed, and asking changes nothing. Main entry point: the Criterion tests
 * below.
 */
#include "strategy_testutil.h"
#include "util.h"

#define GiB (1ull << 30)

enum { NREQ = 24, NFAM = 4 };

typedef enum { G_TINY, G_TINY_WINDOW, G_MISTRAL, G_GEMMA } geometry;

typedef struct need_case {
  const char *strategy;
  geometry geo;
  kv_vmm_layout layout;
  bool deferred;
  uint32_t map_ahead;
  bool prefix; /* prefix_cache: attach and publish */
  bool tier;   /* evict to the host tier, reload */
  int ops;
} need_case;

typedef struct need_counts {
  uint64_t brings, ok, refused, took, gave_back, resumed, reloaded, hits;
} need_counts;

static kv_model preset(const char *name) {
  kv_model m;
  kv_error e;
  cr_assert_eq(kv_model_preset(name, &m, &e), KV_OK, "%s", e.msg);
  return m;
}

/* Sizes per geometry: the tiny ones as the property tests (odd capacity: a
 * tail no block, page or slab covers), the real ones at 2 MiB pages and
 * 16-token blocks with room for a few long requests. Returns the largest
 * growth of one step, in tokens. */
static uint64_t configure(tu_strat *t, const need_case *c) {
  kv_model m = tu_tiny();
  uint64_t cap = 2 * MiB + 3000, step = 64;
  if (c->geo == G_TINY_WINDOW) { /* 2 full + 3 windowed layers */
    m.layers = 5;
    m.sliding_window = 40;
    m.window_layers = 3;
  } else if (c->geo == G_MISTRAL || c->geo == G_GEMMA) {
    m = preset(c->geo == G_MISTRAL ? "mistral-7b" : "gemma-2-9b");
    cap = 5 * GiB + 3 * MiB + 3000;
    step = 1500;
  }
  tu_cfg(t, m, cap);
  t->cfg.max_requests = NREQ;
  if (c->geo == G_TINY || c->geo == G_TINY_WINDOW) {
    t->cfg.max_context = 512;
    t->cfg.page_bytes = 4096;
    t->cfg.slab_bytes = 64 * 1024;
    t->cfg.host_bytes = 4 * MiB;
  } else {
    t->cfg.max_context = 8192;
    t->cfg.host_bytes = 64 * GiB;
  }
  t->cfg.vmm_layout = c->layout;
  t->cfg.deferred_reclaim = c->deferred;
  t->cfg.map_ahead = c->map_ahead;
  t->cfg.prefix_cache = c->prefix;
  tu_create(t, c->strategy);
  return step;
}

/* Family f's prompt keys over its first `limit` tokens (one per block). */
static uint32_t fam_keys(const tu_strat *t, uint32_t f, uint64_t limit,
                         uint64_t *keys, uint32_t *fill) {
  static const uint32_t fam_len[NFAM] = {100, 37, 200, 64};
  uint32_t bt = t->cfg.block_tokens;
  uint32_t len = (uint32_t)KV_MIN(limit, (uint64_t)fam_len[f]);
  uint32_t n = KV_DIV_CEIL(len, bt);
  for (uint32_t j = 0; j < n; j++) {
    keys[j] = ((uint64_t)(f + 1) << 16) | j;
    fill[j] = KV_MIN(bt, len - bt * j);
  }
  return n;
}

/* Everything a caller can see of the state. */
typedef struct seen {
  kv_mem_stats ms;
  kv_tier_stats ts;
} seen;

static seen look(const tu_strat *t) {
  seen s;
  memset(&s, 0, sizeof s);
  t->vt->stats(t->st, 0, &s.ms);
  if (t->vt->tier_stats) t->vt->tier_stats(t->st, &s.ts);
  return s;
}

/* Bring q to `want` tokens the way the engine does (swap_in or reload,
 * then reserve) and check the slot's value against it. Returns whether
 * every call succeeded; *state follows what happened. */
static bool bring(tu_strat *t, uint32_t q, uint64_t want, uint8_t *state,
                  need_counts *n, int step) {
  const kv_strategy_vt *vt = t->vt;
  seen before = look(t);
  uint64_t need = vt->reserve_need(t->st, q, want);
  seen asked = look(t);
  cr_assert(memcmp(&before, &asked, sizeof before) == 0,
            "step %d: reserve_need changed the state", step);
  TU_VALID(t);
  kv_ops_clear(&t->ops);
  kv_status rc = KV_OK;
  if (*state == 2) {
    rc = vt->swap_in(t->st, q, &t->ops);
    if (rc == KV_OK) *state = 1, n->resumed++;
  } else if (*state == 1 && vt->host_blocks && vt->host_blocks(t->st, q)) {
    rc = vt->reload(t->st, q, &t->ops);
    n->reloaded += rc == KV_OK;
  }
  if (rc == KV_OK) rc = vt->reserve(t->st, q, want, &t->ops);
  TU_VALID(t);
  kv_mem_stats after = tu_stats(t, 0);
  n->brings++;
  if (rc != KV_OK) {
    cr_assert(rc == KV_ENOMEM || rc == KV_EINVAL, "step %d: rc %d", step, rc);
    cr_assert_eq(need, UINT64_MAX,
                 "step %d: req %u to %lu tokens failed (%d) but the slot "
                 "said %lu bytes",
                 step, q, (unsigned long)want, rc, (unsigned long)need);
    n->refused++;
    return false;
  }
  uint64_t f0 = before.ms.free + before.ms.reusable;
  uint64_t f1 = after.free + after.reusable;
  uint64_t took = f0 > f1 ? f0 - f1 : 0;
  cr_assert_eq(need, took,
               "step %d: req %u to %lu tokens took %lu free bytes (free + "
               "reusable %lu -> %lu), the slot said %lu",
               step, q, (unsigned long)want, (unsigned long)took,
               (unsigned long)f0, (unsigned long)f1, (unsigned long)need);
  n->ok++;
  n->took += took > 0;
  n->gave_back += f1 > f0;
  *state = 1;
  return true;
}

static need_counts run_case(const need_case *c, uint64_t seed) {
  tu_strat t;
  uint64_t step_max = configure(&t, c);
  const kv_strategy_vt *vt = t.vt;
  cr_assert_eq(vt->version, KV_STRATEGY_VT_VERSION);
  cr_assert_not_null(vt->reserve_need, "%s has no reserve_need", vt->name);
  uint64_t mrt = vt->max_request_tokens(t.st);
  uint64_t ctx = KV_MIN(mrt, (uint64_t)t.cfg.max_context);
  uint8_t state[NREQ] = {0}; /* 0 free, 1 live, 2 swapped */
  uint64_t tokens[NREQ] = {0}, keys[64];
  uint32_t fam[NREQ] = {0}, fill[64];
  need_counts n = {0};
  kv_rng rng;
  kv_rng_seed(&rng, seed);
  for (int step = 0; step < c->ops; step++) {
    uint32_t q = (uint32_t)kv_rng_below(&rng, NREQ);
    uint64_t roll = kv_rng_below(&rng, 100), want;
    kv_ops_clear(&t.ops);
    if (state[q] == 0) {
      fam[q] = (uint32_t)kv_rng_below(&rng, NFAM);
      if (c->prefix && roll < 40) { /* a cached prefix first */
        uint64_t limit = 1 + kv_rng_below(&rng, 200);
        uint32_t k = fam_keys(&t, fam[q], limit, keys, fill);
        uint64_t got = vt->prefix_attach(t.st, q, keys, fill, k, &t.ops);
        TU_VALID(&t);
        if (got) state[q] = 1, tokens[q] = got, n.hits++;
      }
      if (roll % 20 == 7) /* more than any request can hold */
        want = mrt + 1 + kv_rng_below(&rng, 64);
      else
        want = tokens[q] + 1 + kv_rng_below(&rng, ctx - tokens[q]);
      if (bring(&t, q, want, &state[q], &n, step)) tokens[q] = want;
      continue;
    }
    if (state[q] == 2 || (vt->host_blocks && vt->host_blocks(t.st, q))) {
      if (roll < 75) { /* resume with its next tokens */
        want = KV_MIN(tokens[q] + 1 + kv_rng_below(&rng, step_max), ctx);
        if (roll < 25) want = tokens[q] + 1;
        if (bring(&t, q, want, &state[q], &n, step)) tokens[q] = want;
      } else {
        tu_release(&t, q);
        state[q] = 0, tokens[q] = 0;
      }
      continue;
    }
    if (roll < 45) { /* decode */
      want = tokens[q] + 1;
    } else if (roll < 60) { /* a prefill chunk */
      want = tokens[q] + kv_rng_below(&rng, step_max);
    } else if (roll < 66) { /* a shrink (the engine's before a swap) */
      want = kv_rng_below(&rng, tokens[q] + 1);
    } else if (roll < 68) {
      want = mrt + 1;
    } else {
      want = UINT64_MAX;
    }
    if (want != UINT64_MAX) {
      if (bring(&t, q, want, &state[q], &n, step)) tokens[q] = want;
    } else if (roll < 78) {
      tu_release(&t, q);
      state[q] = 0, tokens[q] = 0;
    } else if (roll < 86 && c->prefix) {
      uint32_t k = fam_keys(&t, fam[q], tokens[q], keys, fill);
      vt->prefix_publish(t.st, q, keys, fill, k);
      TU_VALID(&t);
    } else if (roll < 93 && c->tier) {
      vt->evict(t.st, q, &t.ops);
      TU_VALID(&t);
    } else if (vt->swap_out(t.st, q, &t.ops) == KV_OK) {
      TU_VALID(&t);
      state[q] = 2;
    }
  }
  for (uint32_t q = 0; q < NREQ; q++)
    tu_release(&t, q);
  cr_assert_eq(tu_stats(&t, 0).live_requests, 0);
  tu_destroy(&t);
  return n;
}

/* Run one case and check that the sequence went through every path: calls
 * that took memory (reused pages too, with deferred reclaim), calls refused,
 * swap-ins (reloads with tiering), prefix hits, and a window giving pages back
 * where it binds within a few blocks (every strategy but static and vmm
 * all-layers, whose pages span full-attention layers too). */
static void check_case(const need_case *c) {
  need_counts n = run_case(c, 20261205);
  cr_log_info("%s geo %d layout %d deferred %d ahead %u: %lu brings, %lu ok "
              "(%lu took, %lu gave back), %lu refused, %lu swap-ins, %lu "
              "reloads, %lu prefix hits",
              c->strategy, c->geo, c->layout, c->deferred, c->map_ahead,
              (unsigned long)n.brings, (unsigned long)n.ok,
              (unsigned long)n.took, (unsigned long)n.gave_back,
              (unsigned long)n.refused, (unsigned long)n.resumed,
              (unsigned long)n.reloaded, (unsigned long)n.hits);
  uint64_t some = (uint64_t)c->ops / 1000;
  cr_assert_gt(n.took, 10 * some, "%s: %lu took memory", c->strategy,
               (unsigned long)n.took);
  cr_assert_gt(n.refused, 10 * some, "%s: %lu refused", c->strategy,
               (unsigned long)n.refused);
  cr_assert_gt(n.resumed, some, "%s: %lu swap-ins", c->strategy,
               (unsigned long)n.resumed);
  if (c->tier)
    cr_assert_gt(n.reloaded, some, "%s: %lu reloads", c->strategy,
                 (unsigned long)n.reloaded);
  if (c->prefix)
    cr_assert_gt(n.hits, 10 * some, "%s: %lu prefix hits", c->strategy,
                 (unsigned long)n.hits);
  bool vmm_all =
      strcmp(c->strategy, "vmm") == 0 && c->layout == KV_VMM_ALL_LAYERS;
  if (c->geo == G_TINY_WINDOW && strcmp(c->strategy, "static") != 0 && !vmm_all)
    cr_assert_gt(n.gave_back, some, "%s: %lu growths gave window pages back",
                 c->strategy, (unsigned long)n.gave_back);
}

#define CASE(...) check_case(&(need_case){__VA_ARGS__})

Test(strategy_need, static_need_is_one_reservation_or_nothing) {
  CASE("static", G_TINY, .ops = 30000);
  CASE("static", G_TINY_WINDOW, .ops = 30000);
  CASE("static", G_MISTRAL, .ops = 5000);
  CASE("static", G_GEMMA, .ops = 10000); /* 2 reservations fit */
}

/* Every registered strategy (KV_STRATEGY_LIST) with its defaults, so that
 * a new one is covered without naming it here. */
Test(strategy_need, every_registered_strategy_need_matches_its_calls) {
  for (const char *const *n = kv_strategy_names(); *n; n++) {
    CASE(*n, G_TINY, .ops = 10000);
    CASE(*n, G_MISTRAL, .ops = 2000);
  }
}

Test(strategy_need, paged_need_matches_the_blocks_taken) {
  CASE("paged", G_TINY, .ops = 30000);
  CASE("paged", G_TINY, .prefix = true, .ops = 30000);
  CASE("paged", G_TINY_WINDOW, .ops = 30000);
  CASE("paged", G_MISTRAL, .ops = 5000);
  CASE("paged", G_GEMMA, .ops = 5000);
}

Test(strategy_need, indirect_need_matches_the_blocks_taken) {
  CASE("indirect", G_TINY, .ops = 30000);
  CASE("indirect", G_TINY, .prefix = true, .tier = true, .ops = 30000);
  CASE("indirect", G_TINY_WINDOW, .tier = true, .ops = 30000);
  CASE("indirect", G_MISTRAL, .tier = true, .ops = 5000);
  CASE("indirect", G_GEMMA, .tier = true, .ops = 5000);
}

Test(strategy_need, vmm_need_matches_the_pages_mapped) {
  const kv_vmm_layout lay[2] = {KV_VMM_PER_LAYER, KV_VMM_ALL_LAYERS};
  for (int l = 0; l < 2; l++) {
    CASE("vmm", G_TINY, lay[l], .ops = 30000);
    CASE("vmm", G_TINY_WINDOW, lay[l], .ops = 30000);
    CASE("vmm", G_MISTRAL, lay[l], .ops = 5000);
    CASE("vmm", G_GEMMA, lay[l], .ops = 5000);
  }
}

/* Deferred reclaim (idle and spare steps are reusable: a reserve that
 * reuses them takes them from the memory free for admission, their surplus
 * is released, steps mapped ahead stay reusable) and map-ahead (counted
 * without deferred reclaim: it is part of what a reserve takes). */
Test(strategy_need, vmm_need_counts_reclaim_and_map_ahead) {
  const kv_vmm_layout lay[2] = {KV_VMM_PER_LAYER, KV_VMM_ALL_LAYERS};
  for (int l = 0; l < 2; l++) {
    CASE("vmm", G_TINY, lay[l], .deferred = true, .ops = 30000);
    CASE("vmm", G_TINY, lay[l], .map_ahead = 40, .ops = 30000);
    CASE("vmm", G_TINY, lay[l], true, 40, .ops = 30000);
    CASE("vmm", G_TINY_WINDOW, lay[l], true, 40, .ops = 30000);
    CASE("vmm", G_MISTRAL, lay[l], true, 600, .ops = 5000);
    CASE("vmm", G_GEMMA, lay[l], true, 600, .ops = 5000);
  }
}

/* By hand, Gemma-2-9B per-layer at 2 MiB pages (84 ranges of 512 tokens a
 * page; the 42 windowed ones keep the last 4,096 tokens) in 4,096 pages: a
 * request swapped out at 3,072 tokens (6 steps, 504 pages) and resumed at
 * 3,073 takes its 6 steps back and a 7th (84 pages): 588 pages, where the
 * engine used to count 3,073 x 344,064 readable bytes (504.2 pages). With
 * 568 pages free the swap-in fits and the growth does not (64 free pages
 * are short of a step): UINT64_MAX. */
Test(strategy_need, vmm_swapped_request_counts_swap_in_and_growth) {
  tu_strat t;
  tu_cfg(&t, preset("gemma-2-9b"), 4096 * 2 * MiB);
  t.cfg.host_bytes = 64 * GiB;
  tu_create(&t, "vmm");
  cr_assert_eq(tu_reserve(&t, 0, 3072), KV_OK);
  cr_assert_eq(tu_swap_out(&t, 0), KV_OK);
  cr_assert_eq(t.vt->reserve_need(t.st, 0, 3072), 504 * 2 * MiB);
  cr_assert_eq(t.vt->reserve_need(t.st, 0, 3073), 588 * 2 * MiB);
  /* 8,192 tokens: 16 steps of full ranges, 8 of windowed ones */
  cr_assert_eq(t.vt->reserve_need(t.st, 1, 8192), 1008 * 2 * MiB);
  for (uint32_t q = 1; q <= 3; q++)
    cr_assert_eq(tu_reserve(&t, q, 8192), KV_OK);
  cr_assert_eq(tu_reserve(&t, 4, 3072), KV_OK);
  cr_assert_eq(tu_stats(&t, 0).free, 568 * 2 * MiB);
  cr_assert_eq(t.vt->reserve_need(t.st, 0, 3072), 504 * 2 * MiB);
  cr_assert_eq(t.vt->reserve_need(t.st, 0, 3073), UINT64_MAX);
  cr_assert_eq(tu_swap_in(&t, 0), KV_OK);
  cr_assert_eq(tu_reserve(&t, 0, 3073), KV_ENOMEM);
  tu_destroy(&t);
}
