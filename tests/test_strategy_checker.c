/* test_strategy_checker.c - the generic checker (strategy_check.h) over
 * every registered strategy: random reserve / release / swap sequences
 * (fixed seed), the checker after every call; and a test-only strategy
 * that maps two live tokens onto one byte, and vmm with a token outside
 * mapped VA or backed bytes no op created, which the checker must refuse.
 */
#include "strategy_check.h"
#include "strategy_testutil.h"
#include "util.h"

enum { CK_NREQ = 16, CK_NOPS = 3000 };

typedef struct ck_case {
  kv_vmm_layout layout;
  bool deferred;
  uint32_t map_ahead;
  uint32_t window; /* sliding window on half the layers (0: none) */
} ck_case;

static void ck_setup(tu_strat *t, const ck_case *cc, const kv_strategy_vt *vt) {
  kv_model m = tu_tiny();
  if (cc->window) {
    m.layers = 4;
    m.sliding_window = cc->window;
    m.window_layers = 2;
  }
  tu_cfg(t, m, 2 * MiB + 3000);
  t->cfg.max_requests = CK_NREQ;
  t->cfg.max_context = 512;
  t->cfg.page_bytes = 4096;
  t->cfg.slab_bytes = 64 * 1024;
  t->cfg.host_bytes = 1 * MiB;
  t->cfg.vmm_layout = cc->layout;
  t->cfg.deferred_reclaim = cc->deferred;
  t->cfg.map_ahead = cc->map_ahead;
  t->cfg.model = &t->model;
  t->vt = vt;
  kv_error e;
  cr_assert_eq(vt->create(&t->cfg, &t->st, &t->ops, &e), KV_OK, "%s: %s",
               vt->name, e.msg);
}

static void ck_step(kv_check *c, const tu_strat *t, const uint64_t *tokens,
                    int step) {
  kv_error e;
  kv_status rc = kv_check_ops(c, &t->ops, &e);
  cr_assert_eq(rc, KV_OK, "%s step %d: %s", t->vt->name, step, e.msg);
  rc = kv_check_state(c, t->st, tokens, &e);
  cr_assert_eq(rc, KV_OK, "%s step %d: %s", t->vt->name, step, e.msg);
}

static void run_checked(const kv_strategy_vt *vt, const ck_case *cc,
                        uint64_t seed) {
  tu_strat t;
  ck_setup(&t, cc, vt);
  kv_check *c = kv_check_new(vt, &t.cfg);
  uint64_t tokens[CK_NREQ] = {0}, kept[CK_NREQ] = {0};
  uint8_t state[CK_NREQ] = {0}; /* 0 free, 1 live, 2 swapped */
  ck_step(c, &t, tokens, -1);   /* the setup ops */
  uint64_t mrt = KV_MIN(vt->max_request_tokens(t.st), 300);
  kv_rng rng;
  kv_rng_seed(&rng, seed);
  uint64_t ok = 0;
  for (int step = 0; step < CK_NOPS; step++) {
    uint32_t q = (uint32_t)kv_rng_below(&rng, CK_NREQ);
    uint64_t roll = kv_rng_below(&rng, 100);
    kv_ops_clear(&t.ops);
    kv_status rc = KV_OK;
    if (state[q] == 0 || (state[q] == 1 && roll < 70)) {
      uint64_t want = state[q] == 0 ? kv_rng_below(&rng, mrt + 1)
                      : roll < 60   ? tokens[q] + 1 + kv_rng_below(&rng, 8)
                                    : kv_rng_below(&rng, tokens[q] + 1);
      rc = vt->reserve(t.st, q, want, &t.ops);
      if (rc == KV_OK) state[q] = 1, tokens[q] = want;
    } else if (state[q] == 1 && roll < 85) {
      vt->release(t.st, q, &t.ops);
      state[q] = 0, tokens[q] = 0;
    } else if (state[q] == 1 && vt->swap_out) {
      rc = vt->swap_out(t.st, q, &t.ops);
      if (rc == KV_OK) state[q] = 2, kept[q] = tokens[q], tokens[q] = 0;
    } else if (state[q] == 2) {
      rc = vt->swap_in(t.st, q, &t.ops);
      if (rc == KV_OK) state[q] = 1, tokens[q] = kept[q];
    }
    ok += rc == KV_OK;
    ck_step(c, &t, tokens, step);
  }
  cr_assert(ok > CK_NOPS / 2, "%s: only %lu calls succeeded", vt->name,
            (unsigned long)ok);
  kv_ops_clear(&t.ops);
  vt->destroy(t.st, &t.ops);
  t.st = NULL;
  kv_error e;
  cr_assert_eq(kv_check_ops(c, &t.ops, &e), KV_OK, "%s teardown: %s", vt->name,
               e.msg);
  kv_check_free(c);
  kv_ops_free(&t.ops);
}

Test(strategy_checker, every_registered_strategy_passes) {
  static const ck_case plain = {KV_VMM_PER_LAYER, false, 0, 0};
  for (const kv_strategy_vt *const *vt = kv_strategy_all(); *vt; vt++)
    run_checked(*vt, &plain, 0x5eed);
}

Test(strategy_checker, vmm_variants_pass) {
  static const ck_case cases[] = {
      {KV_VMM_ALL_LAYERS, false, 0, 0},
      {KV_VMM_PER_LAYER, true, 0, 0},
      {KV_VMM_ALL_LAYERS, true, 32, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
    run_checked(&kv_strategy_vmm, &cases[i], 0x5eed + i);
}

Test(strategy_checker, windowed_models_pass) {
  static const ck_case win = {KV_VMM_PER_LAYER, false, 0, 40};
  for (const kv_strategy_vt *const *vt = kv_strategy_all(); *vt; vt++)
    run_checked(*vt, &win, 0x717);
}

/* every registered strategy (a new one included) exposes its token map */
Test(strategy_checker, maps_are_exposed) {
  size_t n = 0;
  for (const kv_strategy_vt *const *vt = kv_strategy_all(); *vt; vt++, n++)
    cr_expect(kv_check_has_map(*vt), "%s has no token map", (*vt)->name);
  cr_assert(n >= 5, "%zu strategies registered", n);
}

/* ---- a deliberately broken strategy: paged whose map puts request 1's
 * first token onto request 0's ---- */

static uint32_t broken_map(const void *state, uint32_t req, uint64_t token,
                           kv_extent *out, uint32_t max) {
  return kv_strategy_paged.token_map(state, req == 1 ? 0 : req, token, out,
                                     max);
}

Test(strategy_checker, a_double_mapped_token_fails) {
  kv_strategy_vt broken = kv_strategy_paged;
  broken.name = "broken";
  broken.token_map = broken_map;
  static const ck_case plain = {KV_VMM_PER_LAYER, false, 0, 0};
  tu_strat t;
  ck_setup(&t, &plain, &broken);
  kv_check *c = kv_check_new(&broken, &t.cfg);
  uint64_t tokens[CK_NREQ] = {0};
  kv_error e;
  cr_assert_eq(broken.reserve(t.st, 0, 20, &t.ops), KV_OK);
  tokens[0] = 20;
  cr_assert_eq(kv_check_state(c, t.st, tokens, &e), KV_OK, "%s", e.msg);
  cr_assert_eq(broken.reserve(t.st, 1, 5, &t.ops), KV_OK);
  tokens[1] = 5;
  cr_assert_eq(kv_check_state(c, t.st, tokens, &e), KV_EINVAL);
  cr_assert(strstr(e.msg, "share") != NULL, "%s", e.msg);
  kv_check_free(c);
  broken.destroy(t.st, &t.ops);
  kv_ops_free(&t.ops);
}

/* The op shadow alone catches a strategy that maps over a mapped range. */
Test(strategy_checker, a_double_map_op_fails) {
  kv_strategy_cfg cfg;
  kv_strategy_cfg_defaults(&cfg);
  cfg.max_requests = 1;
  kv_check *c = kv_check_new(&kv_strategy_vmm, &cfg);
  kv_op_list l;
  kv_ops_init(&l, 1);
  kv_op *r = kv_ops_push(&l, KV_OP_VMM_RESERVE, KV_NO_REQ);
  r->addr = 0, r->bytes = 1 << 20, r->count = 1;
  kv_op *m = kv_ops_push(&l, KV_OP_VMM_MAP, 0);
  m->count = 2, m->bytes = 4096;
  kv_ops_push_run(&l, m, 1, 8192, 4096);
  kv_ops_push_run(&l, m, 2, 8192 + 2048, 4096);
  kv_error e;
  cr_assert_eq(kv_check_ops(c, &l, &e), KV_EINVAL);
  cr_assert(strstr(e.msg, "over a mapped range") != NULL, "%s", e.msg);
  kv_ops_free(&l);
  kv_check_free(c);
}

/* ---- vmm broken two more ways: a token outside mapped VA, and backed
 * bytes no VMM_CREATE made ---- */

static uint32_t far_map(const void *state, uint32_t req, uint64_t token,
                        kv_extent *out, uint32_t max) {
  uint32_t n = kv_strategy_vmm.token_map(state, req, token, out, max);
  if (n) out[0].addr += 1ull << 40; /* every token: addressing holds */
  return n;
}

static void inflated_stats(const void *state, uint64_t next,
                           kv_mem_stats *out) {
  kv_strategy_vmm.stats(state, next, out);
  out->backed += 4096;
}

static void vmm_broken_check(kv_strategy_vt *broken, const char *want) {
  static const ck_case plain = {KV_VMM_PER_LAYER, false, 0, 0};
  tu_strat t;
  ck_setup(&t, &plain, broken);
  kv_check *c = kv_check_new(broken, &t.cfg);
  uint64_t tokens[CK_NREQ] = {0};
  kv_error e;
  cr_assert_eq(kv_check_ops(c, &t.ops, &e), KV_OK, "%s", e.msg);
  kv_ops_clear(&t.ops);
  cr_assert_eq(broken->reserve(t.st, 0, 10, &t.ops), KV_OK);
  tokens[0] = 10;
  cr_assert_eq(kv_check_ops(c, &t.ops, &e), KV_OK, "%s", e.msg);
  kv_status rc = kv_check_state(c, t.st, tokens, &e);
  cr_assert_eq(rc, KV_EINVAL);
  cr_assert(strstr(e.msg, want) != NULL, "%s", e.msg);
  kv_check_free(c);
  broken->destroy(t.st, &t.ops);
  kv_ops_free(&t.ops);
}

Test(strategy_checker, a_token_outside_mapped_va_fails) {
  kv_strategy_vt broken = kv_strategy_vmm;
  broken.token_map = far_map;
  vmm_broken_check(&broken, "outside mapped VA");
}

Test(strategy_checker, backed_bytes_no_op_created_fail) {
  kv_strategy_vt broken = kv_strategy_vmm;
  broken.stats = inflated_stats;
  vmm_broken_check(&broken, "backed 20480, ops created 16384");
}
