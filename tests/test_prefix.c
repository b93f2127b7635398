/* test_prefix.c - prefix sharing in the paged and indirect strategies:
 * - property test: >= 1e5 random attach / publish / reserve / release /
 *   swap ops on paged (fixed seed), is_valid after each, references back to
 *   zero at the end;
 * - engine: cached prefixes skip exactly their prefill (prompt tokens with
 *   sharing + hit tokens = prompt tokens without), identical prompts share
 *   a partial last block and copy it on write, runs under memory pressure
 *   end with no references left, vmm and static refuse with a clear error;
 * - synthetic shared-prefix groups (kv_synth_cfg.prefix): the hit rate a
 *   paged or indirect run measures is the one the workload's hash ids
 *   promise (every request after the first of its group finds the group's
 *   whole system-prompt blocks), for single requests, a repeated pool of
 *   prompts and multi-turn conversations; without sharing, no hits;
 * - generated blocks (cfg.prefix_generated): a conversation's next turn
 *   attaches the previous turn's full prompt and output blocks but not its
 *   partial last block; the hits split into prompt and generated blocks;
 *   cached output blocks are evicted under memory pressure; with the option
 *   off, or on a workload without output ids, runs are as before.
 */
#include "engine_testutil.h"
#include "strategy_testutil.h"

#include <criterion/logging.h>
#include <math.h>

#include "engine.h"
#include "util.h"
#include "workload_testutil.h"

enum { NREQ = 32, NOPS = 100000, NFAM = 4 };

static const uint32_t fam_len[NFAM] = {100, 37, 200, 64};

static uint32_t fam_keys(uint32_t f, uint32_t limit, uint64_t *keys,
                         uint32_t *fill) {
  uint32_t len = KV_MIN(limit, fam_len[f]), n = KV_DIV_CEIL(len, 16);
  for (uint32_t j = 0; j < n; j++) {
    keys[j] = ((uint64_t)(f + 1) << 16) | j;
    fill[j] = KV_MIN(16u, len - 16 * j);
  }
  return n;
}

Test(prefix, paged_random_ops_keep_invariants) {
  tu_strat t;
  tu_cfg(&t, tu_tiny(), 1 * MiB + 3000); /* 128 blocks of 8 KiB */
  t.cfg.max_requests = NREQ;
  t.cfg.host_bytes = 1 * MiB;
  t.cfg.prefix_cache = true;
  tu_create(&t, "paged");
  const kv_strategy_vt *vt = t.vt;
  uint8_t state[NREQ] = {0};
  uint32_t fam[NREQ] = {0};
  uint64_t tokens[NREQ] = {0};
  uint64_t keys[64], hits = 0, cows = 0, lru_reuse = 0;
  uint32_t fill[64];
  kv_rng rng;
  kv_rng_seed(&rng, 11);
  for (int step = 0; step < NOPS; step++) {
    uint32_t q = (uint32_t)kv_rng_below(&rng, NREQ);
    uint64_t roll = kv_rng_below(&rng, 100);
    kv_ops_clear(&t.ops);
    kv_tier_stats before;
    vt->tier_stats(t.st, &before);
    if (state[q] == 0) {
      fam[q] = (uint32_t)kv_rng_below(&rng, NFAM);
      if (roll < 50) {
        uint32_t limit = 1 + (uint32_t)kv_rng_below(&rng, fam_len[fam[q]]);
        uint32_t n = fam_keys(fam[q], limit, keys, fill);
        uint64_t got = vt->prefix_attach(t.st, q, keys, fill, n, &t.ops);
        cr_assert(got <= limit);
        if (got) {
          state[q] = 1;
          tokens[q] = got;
          hits++;
        }
      }
      if (!state[q]) {
        uint64_t want = 1 + kv_rng_below(&rng, 250);
        kv_status rc = vt->reserve(t.st, q, want, &t.ops);
        if (rc == KV_OK) {
          state[q] = 1;
          tokens[q] = want;
          kv_tier_stats after;
          vt->tier_stats(t.st, &after);
          lru_reuse += after.cached_blocks < before.cached_blocks;
        } else {
          cr_assert_eq(t.ops.n, 0, "refused reserve emitted ops");
        }
      }
    } else if (state[q] == 1) {
      if (roll < 40) {
        uint64_t want = tokens[q] + kv_rng_below(&rng, 40);
        kv_status rc = vt->reserve(t.st, q, want, &t.ops);
        if (rc == KV_OK) {
          cows += tu_nops(&t.ops, KV_OP_COPY);
          tokens[q] = want;
        } else {
          cr_assert_eq(t.ops.n, 0);
        }
      } else if (roll < 60) {
        vt->release(t.st, q, &t.ops);
        state[q] = 0;
        tokens[q] = 0;
      } else if (roll < 85) {
        uint32_t n = fam_keys(fam[q], (uint32_t)tokens[q], keys, fill);
        vt->prefix_publish(t.st, q, keys, fill, n);
      } else if (vt->swap_out(t.st, q, &t.ops) == KV_OK) {
        state[q] = 2;
      }
    } else {
      if (roll < 60) {
        if (vt->swap_in(t.st, q, &t.ops) == KV_OK) state[q] = 1;
      } else {
        vt->release(t.st, q, &t.ops);
        state[q] = 0;
        tokens[q] = 0;
      }
    }
    kv_error e;
    cr_assert_eq(vt->is_valid(t.st, &e), KV_OK, "step %d: %s", step, e.msg);
    kv_mem_stats ms = tu_stats(&t, 0);
    cr_assert(ms.used <= ms.backed, "step %d", step);
    cr_assert_eq(ms.free + ms.backed, ms.capacity);
  }
  cr_assert_gt(hits, 1000, "attach hits %lu", (unsigned long)hits);
  cr_assert_gt(cows, 100, "copies on write %lu", (unsigned long)cows);
  cr_assert_gt(lru_reuse, 10, "cached blocks reused %lu",
               (unsigned long)lru_reuse);
  for (uint32_t q = 0; q < NREQ; q++)
    vt->release(t.st, q, &t.ops);
  TU_VALID(&t);
  kv_tier_stats ts;
  vt->tier_stats(t.st, &ts);
  cr_assert_eq(ts.shared_refs, 0);
  cr_assert_gt(ts.cached_blocks, 0);
  cr_assert_eq(tu_stats(&t, 0).backed, 0);
  tu_destroy(&t);
}

/* ---- engine ---- */

static kv_model model;
static kv_platform platform;

static void setup(void) {
  tu_llama3_h100(&model, &platform);
}

/* Conversations in the Mooncake style: turn t of conversation c repeats
 * the previous turns (same hash ids for whole 512-token blocks), and every
 * fifth request repeats the previous one exactly (a shared partial block).
 */
static void conv_workload(kv_workload *w, size_t n, double gap) {
  kv_workload_init(w);
  w->reqs = kv_xcalloc(n, sizeof *w->reqs);
  uint32_t *ids = kv_xcalloc(n * 64, sizeof *ids);
  w->n = n;
  w->hash_block_tokens = 512;
  snprintf(w->source, sizeof w->source, "test conversations");
  size_t nh = 0;
  for (size_t i = 0; i < n; i++) {
    kv_request_spec *r = &w->reqs[i];
    r->arrival = gap * (double)i;
    r->output = 20 + (uint32_t)(i % 7) * 10;
    if (i % 5 == 4) { /* the previous request again */
      *r = w->reqs[i - 1];
      r->arrival = gap * (double)i;
      continue;
    }
    uint32_t c = (uint32_t)(i % 6), turn = (uint32_t)(i / 6);
    r->prompt = 300 * (turn + 1) + 5 + 16 * c; /* 5 mod 16: partial block */
    r->hash_off = nh; /* an index into ids until stored */
    r->hash_n = KV_DIV_CEIL(r->prompt, 512);
    for (uint32_t j = 0; j < r->hash_n; j++) {
      bool whole = (j + 1) * 512 <= r->prompt;
      ids[nh++] = whole ? c * 1000 + j : 500000 + (uint32_t)i;
    }
  }
  kv_workload_set_ids(w, ids, nh);
  free(ids);
}

static void run(const char *strategy, bool share, uint64_t capacity, double gap,
                kv_result *res) {
  kv_workload *w = kv_xcalloc(1, sizeof *w);
  conv_workload(w, 150, gap);
  kv_engine_cfg cfg;
  kv_engine_cfg_defaults(&cfg);
  kv_error err;
  cfg.model = &model;
  cfg.platform = &platform;
  cfg.workload = w;
  cfg.strategy = kv_strategy_find(strategy, &err);
  cfg.kv_capacity = capacity;
  cfg.scfg.slab_bytes = 32ull << 20;
  cfg.prefix_sharing = share;
  cfg.check_level = 2;
  kv_status s = kv_engine_run(&cfg, res, &err);
  cr_assert_eq(s, KV_OK, "%s: %s", strategy, err.msg);
  cr_assert_eq(res->summary.completed, 150.0);
  kv_workload_free(w);
  free(w);
}

static void skips_prefill(const char *strategy) {
  kv_result off, on;
  run(strategy, false, 40ull << 30, 0.5, &off);
  run(strategy, true, 40ull << 30, 0.5, &on);
  cr_assert_eq(off.summary.preemptions, 0, "plenty of memory");
  cr_assert_eq(on.summary.preemptions, 0);
  cr_assert_eq(off.tier.prefix_queried_tokens, 0);
  double hit = on.tier.prefix_hit_tokens;
  cr_assert_gt(on.tier.prefix_hit_rate, 0.3, "hit rate %g",
               on.tier.prefix_hit_rate);
  cr_assert_leq(on.tier.prefix_hit_rate, 1.0);
  cr_assert_eq(on.summary.prompt_tokens + hit, off.summary.prompt_tokens,
               "%s: %g + %g != %g", strategy, on.summary.prompt_tokens, hit,
               off.summary.prompt_tokens);
  /* repeated prompts attach a partial block and copy it on write */
  cr_assert_gt(on.summary.copy_bytes_d2d, 0);
  cr_assert_eq(off.summary.copy_bytes_d2d, 0);
  cr_assert_lt(on.summary.ttft_p50, off.summary.ttft_p50);
  kv_result_free(&off);
  kv_result_free(&on);
}

Test(prefix, paged_cached_prefix_skips_prefill, .init = setup) {
  skips_prefill("paged");
}

Test(prefix, indirect_cached_prefix_skips_prefill, .init = setup) {
  skips_prefill("indirect");
}

Test(prefix, memory_pressure_ends_with_no_references, .init = setup) {
  const char *s[] = {"paged", "indirect"};
  for (int i = 0; i < 2; i++) {
    kv_result big, small;
    run(s[i], true, 40ull << 30, 0.02, &big);
    /* 1 GiB = 8 Ki tokens: cached prefixes are reclaimed for new blocks,
     * so fewer hits; the engine's end-of-run check (check_level 2) finds no
     * reference left */
    run(s[i], true, 1ull << 30, 0.02, &small);
    cr_assert_gt(small.tier.prefix_hit_tokens, 0);
    cr_assert_lt(small.tier.prefix_hit_tokens, big.tier.prefix_hit_tokens,
                 "%s: %g vs %g", s[i], small.tier.prefix_hit_tokens,
                 big.tier.prefix_hit_tokens);
    kv_result_free(&big);
    kv_result_free(&small);
  }
}

Test(prefix, vmm_and_static_refuse, .init = setup) {
  const char *s[] = {"vmm", "static"};
  for (int i = 0; i < 2; i++) {
    kv_workload w;
    conv_workload(&w, 20, 0.5);
    kv_engine_cfg cfg;
    kv_engine_cfg_defaults(&cfg);
    kv_error err;
    cfg.model = &model;
    cfg.platform = &platform;
    cfg.workload = &w;
    cfg.strategy = kv_strategy_find(s[i], &err);
    cfg.prefix_sharing = true;
    kv_result r;
    cr_assert_eq(kv_engine_run(&cfg, &r, &err), KV_EINVAL);
    cr_assert(strstr(err.msg, "does not share"), "%s", err.msg);
    kv_result_free(&r);
    kv_workload_free(&w);
  }
}

/* Prefix sharing is refused for sliding-window models (paged and indirect
 * hold only a window of the windowed layers, so a cached prefix would not
 * be whole): the run stops before it starts, naming the field. */
Test(prefix, sliding_window_models_refuse, .init = setup) {
  kv_model mistral;
  kv_error err;
  cr_assert_eq(kv_model_preset("mistral-7b", &mistral, &err), KV_OK, "%s",
               err.msg);
  const char *s[] = {"paged", "indirect"};
  for (int i = 0; i < 2; i++) {
    kv_workload w;
    conv_workload(&w, 20, 0.5);
    kv_engine_cfg cfg;
    kv_engine_cfg_defaults(&cfg);
    cfg.model = &mistral;
    cfg.platform = &platform;
    cfg.workload = &w;
    cfg.strategy = kv_strategy_find(s[i], &err);
    cfg.prefix_sharing = true;
    kv_result r;
    cr_assert_eq(kv_engine_run(&cfg, &r, &err), KV_EINVAL, "%s", s[i]);
    cr_assert(strstr(err.msg, "prefix_cache") &&
                  strstr(err.msg, "sliding window"),
              "%s", err.msg);
    kv_result_free(&r);
    kv_workload_free(&w);
    /* without sharing the same run works */
    conv_workload(&w, 20, 0.5);
    cfg.prefix_sharing = false;
    cfg.check_level = 2;
    cr_assert_eq(kv_engine_run(&cfg, &r, &err), KV_OK, "%s: %s", s[i], err.msg);
    cr_assert_eq(r.summary.completed, 20.0);
    kv_result_free(&r);
    kv_workload_free(&w);
  }
}

/* ---- synthetic shared-prefix groups ---- */

static kv_workload synth_groups(const kv_prefix_cfg *p, size_t n,
                                uint64_t seed) {
  kv_synth_cfg c = {.arrival = KV_ARRIVAL_POISSON, .rate = 2.0, .n = n};
  c.output = (kv_len_dist){.kind = KV_LEN_UNIFORM, .a = 20, .b = 60};
  c.prefix = *p;
  kv_workload w;
  kv_error err = {0};
  kv_workload_init(&w);
  cr_assert_eq(kv_workload_synthetic(&c, seed, &w, &err), KV_OK, "%s", err.msg);
  return w;
}

static void run_gen(const char *strategy, uint32_t block_tokens, bool share,
                    bool gen, uint64_t capacity, const kv_workload *w,
                    kv_result *res) {
  kv_engine_cfg cfg;
  kv_engine_cfg_defaults(&cfg);
  kv_error err;
  cfg.model = &model;
  cfg.platform = &platform;
  cfg.workload = w;
  cfg.strategy = kv_strategy_find(strategy, &err);
  cfg.kv_capacity = capacity;
  cfg.scfg.slab_bytes = 32ull << 20;
  cfg.scfg.block_tokens = block_tokens;
  cfg.prefix_sharing = share;
  cfg.prefix_generated = gen;
  cfg.check_level = 2;
  kv_status s = kv_engine_run(&cfg, res, &err);
  cr_assert_eq(s, KV_OK, "%s: %s", strategy, err.msg);
  cr_assert_eq(res->summary.completed, (double)w->n);
  /* the hit split adds up */
  const kv_tier_result *t = &res->tier;
  cr_assert_eq(t->prefix_hit_tokens_prompt + t->prefix_hit_tokens_generated,
               t->prefix_hit_tokens);
  cr_assert_geq(t->prefix_hit_blocks_prompt * block_tokens,
                t->prefix_hit_tokens_prompt);
  cr_assert_eq(t->prefix_hit_blocks_generated * block_tokens,
               t->prefix_hit_tokens_generated, "output blocks are full");
}

static void run_on(const char *strategy, uint32_t block_tokens, bool share,
                   const kv_workload *w, kv_result *res) {
  /* room for every prefix: nothing evicted */
  run_gen(strategy, block_tokens, share, true, 40ull << 30, w, res);
  cr_assert_eq(res->summary.preemptions, 0, "plenty of memory");
}

/* Hit tokens an unbounded prefix cache gives when every request arrives
 * after the earlier ones' prompts are cached (the arrivals are 0.5 s apart
 * on average): a request attaches its leading blocks whose ids an earlier
 * prompt held (a partial block of an earlier prompt ends the run), at most
 * prompt - 1 tokens. Ids are prefix-chained, so a leading run is all that
 * can match. With `gen` (and the earlier request finished before the next
 * turn arrives), an earlier request's output ids count too, for the full
 * strategy blocks (bt tokens) whose tokens it computed (all but its last
 * output token), and its prompt's partial last block does not when an
 * output id covers it. */
static double ideal_hits_gen(const kv_workload *w, bool gen, uint32_t bt) {
  uint32_t max_id = 0, *all = all_ids(w);
  for (size_t k = 0; k < w->n_hashes; k++)
    max_id = KV_MAX(max_id, all[k]);
  uint32_t *fill = kv_xcalloc((size_t)max_id + 1, sizeof *fill);
  uint32_t B = w->hash_block_tokens;
  double hits = 0;
  size_t at = 0;
  for (size_t i = 0; i < w->n; i++) {
    const kv_request_spec *q = &w->reqs[i];
    const uint32_t *id = all + at;
    at += (size_t)q->hash_n + q->gen_n;
    uint64_t got = 0;
    for (uint32_t j = 0; j < q->hash_n && fill[id[j]]; j++) {
      got += fill[id[j]];
      if (fill[id[j]] < B) break;
    }
    hits += (double)KV_MIN(got, (uint64_t)q->prompt - 1);
    uint32_t pw = q->prompt / B, ng = gen ? q->gen_n : 0;
    uint64_t computed = (uint64_t)q->prompt + q->output - 1;
    for (uint32_t j = 0; j < q->hash_n; j++)
      if (j < pw || !ng)
        fill[id[j]] = KV_MAX(fill[id[j]], KV_MIN(B, q->prompt - j * B));
    /* output blocks are published per full strategy block */
    for (uint32_t k = 0; k < ng && (uint64_t)(pw + k) * B < computed; k++) {
      uint64_t f = KV_MIN(B, computed - (uint64_t)(pw + k) * B) / bt * bt;
      fill[id[q->hash_n + k]] = KV_MAX(fill[id[q->hash_n + k]], (uint32_t)f);
    }
  }
  free(fill);
  free(all);
  return hits;
}

static double ideal_hits(const kv_workload *w) {
  return ideal_hits_gen(w, false, 16);
}

static double prompt_sum(const kv_workload *w) {
  double s = 0;
  for (size_t i = 0; i < w->n; i++)
    s += w->reqs[i].prompt;
  return s;
}

/* Measured against expected: exact up to a request that arrives before an
 * earlier one of its group has been prefilled (none at 2 req/s). */
static void check_hits(const char *what, const kv_result *on,
                       const kv_result *off, const kv_workload *w,
                       double expected_rate) {
  double rate = on->tier.prefix_hit_rate;
  cr_log_info("%s: prefix hit rate %.6f, expected %.6f", what, rate,
              expected_rate);
  cr_assert(fabs(rate - expected_rate) <= 0.01, "%s: hit rate %g, want %g",
            what, rate, expected_rate);
  cr_assert_leq(rate, expected_rate + 1e-12, "%s: more hits than cached", what);
  cr_assert_eq(on->tier.prefix_queried_tokens, prompt_sum(w));
  /* without sharing: no hits, and the skipped prefill is paid */
  cr_assert_eq(off->tier.prefix_hit_tokens, 0);
  cr_assert_eq(off->tier.prefix_hit_rate, 0);
  cr_assert_eq(on->summary.prompt_tokens + on->tier.prefix_hit_tokens,
               off->summary.prompt_tokens, "%s", what);
}

/* Fresh questions: after the first request of its group, a request finds
 * its group's floor(S / block) whole system-prompt blocks, so the hit rate
 * is sum(floor(S_g / block) * block over those requests) / sum(S + Q),
 * about S / (S + Q). */
Test(prefix, synthetic_groups_hit_their_system_prompt, .init = setup) {
  const struct {
    const char *strategy;
    uint32_t engine_block, hash_block;
  } runs[] = {{"paged", 16, 16}, {"indirect", 16, 32}};
  for (size_t r = 0; r < sizeof runs / sizeof runs[0]; r++) {
    kv_prefix_cfg p = {
        .groups = 8,
        .system_prompt = {.kind = KV_LEN_UNIFORM, .a = 500, .b = 1500},
        .question = {.kind = KV_LEN_UNIFORM, .a = 50, .b = 400},
        .block = runs[r].hash_block,
        .order = KV_PREFIX_RANDOM};
    kv_workload w = synth_groups(&p, 300, 17);
    uint32_t B = w.hash_block_tokens;
    cr_assert_eq(B, runs[r].hash_block);
    /* the expectation from the groups: a group is its first hash id (the
     * system prompts are longer than a block) */
    double expect = 0, s_sum = 0, q_sum = 0;
    bool seen[1 << 12] = {0};
    size_t firsts = 0;
    for (size_t i = 0; i < w.n; i++) {
      const kv_request_spec *q = &w.reqs[i];
      uint32_t g = hid(&w, q, 0);
      cr_assert_lt(g, 1u << 12);
      /* the group's whole blocks: its ids count up from g */
      uint32_t k = 0;
      while (k < q->hash_n && hid(&w, q, k) == g + k)
        k++;
      if (seen[g])
        expect += (double)k * B;
      else
        firsts++;
      seen[g] = true;
      s_sum += (double)k * B;
      q_sum += q->prompt - (double)k * B;
    }
    cr_assert_eq(firsts, 8);
    cr_assert_eq(expect, ideal_hits(&w),
                 "the layout promises what the "
                 "groups do");
    cr_log_info("%s: block %u: whole system-prompt tokens / prompt tokens "
                "= %.4f (S/(S+Q) after each group's first request)",
                runs[r].strategy, B, s_sum / (s_sum + q_sum));
    kv_result on, off;
    run_on(runs[r].strategy, runs[r].engine_block, true, &w, &on);
    run_on(runs[r].strategy, runs[r].engine_block, false, &w, &off);
    check_hits(runs[r].strategy, &on, &off, &w, expect / prompt_sum(&w));
    kv_result_free(&on);
    kv_result_free(&off);
    kv_workload_free(&w);
  }
}

/* inference-perf's shape: a pool of groups x prompts_per_group prompts in
 * shuffled order, cycled; the second round repeats whole prompts, which
 * hit all but their last token. Multi-turn conversations hit their
 * previous prompt's whole blocks and, with prefix_generated (the default),
 * the full blocks its output completed; without it, the prompt's only. */
Test(prefix, synthetic_pool_and_conversations_hit_as_promised, .init = setup) {
  for (int mt = 0; mt < 2; mt++) {
    kv_prefix_cfg p = {
        .groups = 5,
        .system_prompt = {.kind = KV_LEN_FIXED, .a = 100},
        .question = {.kind = KV_LEN_LOGNORMAL, .a = 450, .b = 100},
        .prompts_per_group = {.kind = KV_LEN_FIXED, .a = 4},
        .order = KV_PREFIX_SHUFFLE,
        .multi_turn = mt,
        .turns = mt ? 6 : 0};
    kv_workload w = synth_groups(&p, 200, 5);
    double expect = ideal_hits_gen(&w, true, 16) / prompt_sum(&w);
    if (!mt) {
      /* the first 20 requests ask the 20 prompts once: 5 of them first in
       * their group, 15 finding 96 system-prompt tokens (6 whole blocks of
       * 16); the other 180 repeat a prompt, all but its last token */
      double want = 15 * 96;
      for (size_t i = 20; i < w.n; i++)
        want += w.reqs[i].prompt - 1.0;
      cr_assert_eq(want / prompt_sum(&w), expect);
    }
    kv_result on, off;
    run_on("paged", 16, true, &w, &on);
    run_on("paged", 16, false, &w, &off);
    check_hits(mt ? "paged, multi-turn" : "paged, pool", &on, &off, &w, expect);
    if (mt) {
      /* prompt blocks only: the hit rate kvsim measured before generated
       * blocks were published (0.690223) */
      kv_result po;
      run_gen("paged", 16, true, false, 40ull << 30, &w, &po);
      double want = ideal_hits(&w) / prompt_sum(&w);
      cr_log_info("multi-turn, prompt blocks only: hit rate %.6f, expected "
                  "%.6f",
                  po.tier.prefix_hit_rate, want);
      cr_assert(fabs(po.tier.prefix_hit_rate - 0.690223) < 1e-6, "%.6f",
                po.tier.prefix_hit_rate);
      cr_assert(fabs(po.tier.prefix_hit_rate - want) <= 0.01);
      cr_assert_gt(on.tier.prefix_hit_tokens_generated, 0);
      cr_assert_lt(po.tier.prefix_hit_tokens, on.tier.prefix_hit_tokens);
      kv_result_free(&po);
    } else {
      cr_assert_eq(on.tier.prefix_hit_tokens_generated, 0, "no output ids");
    }
    kv_result_free(&on);
    kv_result_free(&off);
    kv_workload_free(&w);
  }
}

/* ---- generated blocks (cfg.prefix_generated) ---- */

/* One conversation of two turns, 16-token blocks: system prompt 40,
 * question 10, output 33. Turn 1: prompt 50 (ids 0 1 system, 2 = tokens
 * 32..47, 3 = the partial 48..49); its 33 output tokens complete blocks 3
 * (48..63) and 4 (64..79), output ids 4 5, and start block 5 (80..82; the
 * KV of 80 and 81 is computed, the last token's never). Turn 2 (arriving
 * long after): prompt 83 + 10 = 93, ids 0 1 2 4 5 then 6 (80..92, the end of
 * turn 1's answer and the question). It attaches blocks 0-4 = 80 tokens:
 * 48 of prompt blocks, 32 of generated ones; not the partial block 5,
 * which vLLM does not hash either. Without prefix_generated it attaches
 * turn 1's whole prompt blocks only (48). */
static kv_workload two_turns(void) {
  kv_synth_cfg c = {.arrival = KV_ARRIVAL_POISSON, .rate = 1.0, .n = 2};
  c.output = (kv_len_dist){.kind = KV_LEN_FIXED, .a = 33};
  c.prefix = (kv_prefix_cfg){.groups = 1,
                             .system_prompt = {.kind = KV_LEN_FIXED, .a = 40},
                             .question = {.kind = KV_LEN_FIXED, .a = 10},
                             .block = 16,
                             .multi_turn = true};
  kv_workload w;
  kv_error err = {0};
  kv_workload_init(&w);
  cr_assert_eq(kv_workload_synthetic(&c, 1, &w, &err), KV_OK, "%s", err.msg);
  w.reqs[1].arrival = 10.0; /* turn 1 is done by then */
  static const uint32_t ids[] = {0, 1, 2, 3, 4, 5, 0, 1, 2, 4, 5, 6};
  cr_assert_eq(w.n_hashes, 14, "%zu", w.n_hashes); /* + turn 2's output */
  uint32_t *all = all_ids(&w);
  for (size_t k = 0; k < 12; k++)
    cr_assert_eq(all[k], ids[k], "id %zu: %u", k, all[k]);
  free(all);
  cr_assert_eq(w.reqs[0].prompt, 50);
  cr_assert_eq(w.reqs[0].gen_n, 2);
  cr_assert_eq(w.reqs[1].prompt, 93);
  cr_assert_eq(w.reqs[1].hash_off,
               w.reqs[0].hash_off + kv_hash_span(w.hash_bytes, 6));
  return w;
}

Test(prefix, next_turn_attaches_full_prompt_and_output_blocks, .init = setup) {
  const char *s[] = {"paged", "indirect"};
  for (int i = 0; i < 2; i++) {
    kv_workload w = two_turns();
    kv_result on, off, none;
    run_gen(s[i], 16, true, true, 40ull << 30, &w, &on);
    run_gen(s[i], 16, true, false, 40ull << 30, &w, &off);
    run_gen(s[i], 16, false, true, 40ull << 30, &w, &none);
    const kv_tier_result *t = &on.tier;
    cr_assert_eq(t->prefix_queried_tokens, 50 + 93);
    cr_assert_eq(t->prefix_hit_tokens, 80, "%s: %g", s[i],
                 t->prefix_hit_tokens);
    cr_assert_eq(t->prefix_hit_tokens_prompt, 48);
    cr_assert_eq(t->prefix_hit_blocks_prompt, 3);
    cr_assert_eq(t->prefix_hit_tokens_generated, 32);
    cr_assert_eq(t->prefix_hit_blocks_generated, 2);
    /* turn 2 prefills 93 - 80 tokens instead of 93 - 48 */
    cr_assert_eq(on.summary.prompt_tokens, 50 + 13);
    cr_assert_eq(off.tier.prefix_hit_tokens, 48);
    cr_assert_eq(off.tier.prefix_hit_tokens_generated, 0);
    cr_assert_eq(off.summary.prompt_tokens, 50 + 45);
    cr_assert_eq(none.summary.prompt_tokens, 50 + 93);
    /* nothing partial was attached: no copy-on-write */
    cr_assert_eq(on.summary.copy_bytes_d2d, 0);
    /* (a 13- or 45-token step is weight-bound: TTFT barely moves) */
    cr_assert_leq(on.requests[1].first_token - on.requests[1].arrival,
                  off.requests[1].first_token - off.requests[1].arrival);
    kv_result_free(&on);
    kv_result_free(&off);
    kv_result_free(&none);
    kv_workload_free(&w);
  }
}

static kv_workload conversations(double rate, uint32_t block, size_t n,
                                 uint64_t seed) {
  kv_synth_cfg c = {.arrival = KV_ARRIVAL_POISSON, .rate = rate, .n = n};
  c.output = (kv_len_dist){.kind = KV_LEN_UNIFORM, .a = 50, .b = 300};
  c.prefix = (kv_prefix_cfg){
      .groups = 4,
      .system_prompt = {.kind = KV_LEN_UNIFORM, .a = 100, .b = 600},
      .question = {.kind = KV_LEN_UNIFORM, .a = 20, .b = 200},
      .prompts_per_group = {.kind = KV_LEN_FIXED, .a = 3},
      .block = block,
      .order = KV_PREFIX_SHUFFLE,
      .multi_turn = true,
      .turns = 8};
  kv_workload w;
  kv_error err = {0};
  kv_workload_init(&w);
  cr_assert_eq(kv_workload_synthetic(&c, seed, &w, &err), KV_OK, "%s", err.msg);
  return w;
}

/* Longer answers (50-300 tokens) and a hash block of 32 over 16-token
 * strategy blocks (an output id covers two strategy blocks): the measured
 * hit rate is still the one the ids promise, on paged and indirect, with
 * every invariant checked each step (check_level 2). */
Test(prefix, generated_blocks_hit_as_promised, .init = setup) {
  const struct {
    const char *strategy;
    uint32_t hash_block;
  } runs[] = {{"paged", 16}, {"indirect", 16}, {"paged", 32}, {"indirect", 32}};
  for (size_t r = 0; r < sizeof runs / sizeof runs[0]; r++) {
    kv_workload w = conversations(0.5, runs[r].hash_block, 150, 3);
    kv_result on, off, po;
    run_on(runs[r].strategy, 16, true, &w, &on);
    run_on(runs[r].strategy, 16, false, &w, &off);
    run_gen(runs[r].strategy, 16, true, false, 40ull << 30, &w, &po);
    double want = ideal_hits_gen(&w, true, 16) / prompt_sum(&w);
    check_hits(runs[r].strategy, &on, &off, &w, want);
    cr_log_info("%s, hash block %u: hit rate %.6f with output blocks, %.6f "
                "without; generated-block hit tokens %g",
                runs[r].strategy, runs[r].hash_block, on.tier.prefix_hit_rate,
                po.tier.prefix_hit_rate, on.tier.prefix_hit_tokens_generated);
    cr_assert_gt(on.tier.prefix_hit_rate, po.tier.prefix_hit_rate + 0.05);
    cr_assert_lt(on.summary.prompt_tokens, po.summary.prompt_tokens);
    kv_result_free(&on);
    kv_result_free(&off);
    kv_result_free(&po);
    kv_workload_free(&w);
  }
}

/* Under memory pressure cached output blocks are reclaimed like any cached
 * block (LRU at reference count 0): fewer generated-block hits than with
 * room for everything, every invariant holds each step (check_level 2),
 * and the run ends with no reference left. */
Test(prefix, cached_output_blocks_are_evictable, .init = setup) {
  const char *s[] = {"paged", "indirect"};
  for (int i = 0; i < 2; i++) {
    kv_workload w = conversations(20.0, 16, 300, 4);
    kv_result big, small;
    run_gen(s[i], 16, true, true, 40ull << 30, &w, &big);
    /* 512 MiB = 4 Ki tokens of llama-3-8b */
    run_gen(s[i], 16, true, true, 512ull << 20, &w, &small);
    cr_log_info("%s: generated-block hit tokens %g with 40 GiB, %g with "
                "512 MiB (%g preemptions)",
                s[i], big.tier.prefix_hit_tokens_generated,
                small.tier.prefix_hit_tokens_generated,
                small.summary.preemptions);
    cr_assert_gt(big.tier.prefix_hit_tokens_generated, 0);
    cr_assert_lt(small.tier.prefix_hit_tokens_generated,
                 big.tier.prefix_hit_tokens_generated, "%s", s[i]);
    kv_result_free(&big);
    kv_result_free(&small);
    kv_workload_free(&w);
  }
}

/* A workload without output ids (single-turn groups, a Mooncake-style
 * trace) runs identically with prefix_generated on and off. */
Test(prefix, no_output_ids_no_change, .init = setup) {
  kv_prefix_cfg p = {.groups = 3,
                     .system_prompt = {.kind = KV_LEN_FIXED, .a = 300},
                     .question = {.kind = KV_LEN_UNIFORM, .a = 50, .b = 400},
                     .order = KV_PREFIX_RANDOM};
  kv_workload w = synth_groups(&p, 100, 9);
  for (size_t i = 0; i < w.n; i++)
    cr_assert_eq(w.reqs[i].gen_n, 0);
  const char *s[] = {"paged", "indirect"};
  for (int i = 0; i < 2; i++) {
    kv_result a, b;
    run_gen(s[i], 16, true, true, 40ull << 30, &w, &a);
    run_gen(s[i], 16, true, false, 40ull << 30, &w, &b);
    cr_assert_eq(memcmp(&a.summary, &b.summary, sizeof a.summary), 0);
    cr_assert_eq(memcmp(&a.tier, &b.tier, sizeof a.tier), 0);
    cr_assert_eq(memcmp(a.requests, b.requests, w.n * sizeof *a.requests), 0);
    kv_result_free(&a);
    kv_result_free(&b);
  }
  kv_workload_free(&w);
  kv_workload cw;
  conv_workload(&cw, 60, 0.1);
  kv_result a, b;
  run_gen("paged", 16, true, true, 1ull << 30, &cw, &a);
  run_gen("paged", 16, true, false, 1ull << 30, &cw, &b);
  cr_assert_eq(memcmp(&a.summary, &b.summary, sizeof a.summary), 0);
  cr_assert_eq(memcmp(&a.tier, &b.tier, sizeof a.tier), 0);
  kv_result_free(&a);
  kv_result_free(&b);
  kv_workload_free(&cw);
}
