/* test_strategy_static.c - the static strategy (max_context reserved per
 * request, contiguously), plus the strategy registry and bytes per token.
 */
#include "strategy_testutil.h"

Test(strategy_registry, finds_every_strategy_by_name) {
  kv_error e;
  const char *const *names = kv_strategy_names();
  int n = 0;
  for (; names[n]; n++) {
    const kv_strategy_vt *vt = kv_strategy_find(names[n], &e);
    cr_assert_not_null(vt, "%s", names[n]);
    cr_assert_str_eq(vt->name, names[n]);
    cr_assert_eq(vt->version, KV_STRATEGY_VT_VERSION);
    cr_assert_eq(kv_strategy_all()[n], vt);
  }
  cr_assert_geq(n, 4);
  cr_assert_null(kv_strategy_all()[n]);
}

Test(strategy_registry, unknown_name_lists_the_valid_ones) {
  kv_error e;
  cr_assert_null(kv_strategy_find("pagd", &e));
  cr_assert_eq(e.code, KV_ENOTFOUND);
  char want[256] = "invalid strategy 'pagd' (valid: ";
  const char *const *names = kv_strategy_names();
  for (int i = 0; names[i]; i++) {
    if (i) strcat(want, ", ");
    strcat(want, names[i]);
  }
  strcat(want, ")");
  cr_assert_str_eq(e.msg, want);
  const char *first = "invalid strategy 'pagd' (valid: static, paged, vmm, "
                      "indirect";
  cr_assert(strncmp(e.msg, first, strlen(first)) == 0,
            "the first four keep their order: %s", e.msg);
}

/* Every strategy's self-description is well formed, and each option's
 * default is what kv_strategy_cfg_defaults gives its field. */
Test(strategy_registry, options_describe_their_cfg_fields) {
  kv_strategy_cfg d;
  kv_strategy_cfg_defaults(&d);
  for (const kv_strategy_vt *const *v = kv_strategy_all(); *v; v++) {
    const kv_strategy_vt *vt = *v;
    cr_assert_not_null(vt->options, "%s", vt->name);
    cr_assert(vt->addr_mode <= KV_ADDR_OFFSET_TABLE, "%s", vt->name);
    cr_assert(vt->pool <= KV_POOL_DEVICE, "%s", vt->name);
    for (const kv_strategy_opt *o = vt->options; o->name; o++) {
      cr_assert_lt(o->offset, sizeof(kv_strategy_cfg), "%s.%s", vt->name,
                   o->name);
      cr_assert_not_null(o->doc, "%s.%s", vt->name, o->name);
      cr_assert_eq(kv_strategy_opt_find(vt, o->name), o);
      cr_assert_eq(kv_strategy_opt_get(&d, o), o->def, "%s.%s default",
                   vt->name, o->name);
      if (o->type == KV_OPT_ENUM) {
        size_t nc = 0;
        while (o->choices[nc])
          nc++;
        cr_assert_lt(o->def, nc, "%s.%s", vt->name, o->name);
      } else if (o->type != KV_OPT_BOOL) {
        cr_assert(o->def == 0 || (o->min <= o->def && o->def <= o->max),
                  "%s.%s", vt->name, o->name);
      }
    }
    cr_assert_null(kv_strategy_opt_find(vt, "no_such_option"));
    char a[64], b[64];
    kv_strategy_label(vt, &d, a, sizeof a);
    cr_assert(strncmp(a, vt->name, strlen(vt->name)) == 0, "%s", a);
    kv_strategy_cfg c = d;
    for (const kv_strategy_opt *o = vt->options; o->name; o++) {
      uint64_t val = o->type == KV_OPT_BOOL   ? 1
                     : o->type == KV_OPT_ENUM ? 1
                                              : 7;
      kv_strategy_opt_set(&c, o, val);
      cr_assert_eq(kv_strategy_opt_get(&c, o), val, "%s.%s", vt->name, o->name);
    }
    kv_strategy_label(vt, &c, b, sizeof b);
    cr_assert(strncmp(b, vt->name, strlen(vt->name)) == 0, "%s", b);
  }
}

Test(strategy_registry, labels_and_modes_as_before) {
  kv_strategy_cfg c;
  kv_strategy_cfg_defaults(&c);
  char buf[64];
  kv_strategy_label(&kv_strategy_static, &c, buf, sizeof buf);
  cr_assert_str_eq(buf, "static");
  kv_strategy_label(&kv_strategy_paged, &c, buf, sizeof buf);
  cr_assert_str_eq(buf, "paged-16");
  kv_strategy_label(&kv_strategy_vmm, &c, buf, sizeof buf);
  cr_assert_str_eq(buf, "vmm-2M-layer");
  c.vmm_layout = KV_VMM_ALL_LAYERS;
  c.page_bytes = 1536 << 10;
  kv_strategy_label(&kv_strategy_vmm, &c, buf, sizeof buf);
  cr_assert_str_eq(buf, "vmm-1536K-all");
  kv_strategy_label(&kv_strategy_indirect, &c, buf, sizeof buf);
  cr_assert_str_eq(buf, "indirect-64M-16");
  cr_assert_eq(kv_strategy_paged.addr_mode, KV_ADDR_BLOCK_TABLE);
  cr_assert_eq(kv_strategy_indirect.addr_mode, KV_ADDR_OFFSET_TABLE);
  cr_assert_eq(kv_strategy_vmm.addr_mode, KV_ADDR_CONTIGUOUS);
  cr_assert_eq(kv_strategy_static.pool, KV_POOL_DEVICE);
  cr_assert_eq(kv_strategy_paged.pool, KV_POOL_DEVICE);
  cr_assert_eq(kv_strategy_vmm.pool, KV_POOL_NONE);
  cr_assert_eq(kv_strategy_indirect.pool, KV_POOL_NONE);
}

Test(strategy_bytes_per_token, splits_kv_heads_over_tp_with_ceiling) {
  kv_model m = tu_llama3_8b();
  kv_strategy_cfg c;
  kv_strategy_cfg_defaults(&c);
  c.model = &m;
  cr_assert_eq(kv_strategy_bytes_per_token(&c), 131072);
  c.tp = 2;
  cr_assert_eq(kv_strategy_bytes_per_token(&c), 65536);
  c.tp = 3; /* ceil(8 / 3) = 3 heads */
  cr_assert_eq(kv_strategy_bytes_per_token(&c), 32ull * 2 * 3 * 128 * 2);
  c.tp = 16; /* fewer heads than GPUs: each GPU still holds one */
  cr_assert_eq(kv_strategy_bytes_per_token(&c), 32ull * 2 * 1 * 128 * 2);
}

Test(strategy_bytes_per_token, mla_latent_is_not_split) {
  kv_model m = tu_mla();
  kv_strategy_cfg c;
  kv_strategy_cfg_defaults(&c);
  c.model = &m;
  cr_assert_eq(kv_strategy_bytes_per_token(&c), 61ull * 576 * 2);
  c.tp = 8;
  cr_assert_eq(kv_strategy_bytes_per_token(&c), 61ull * 576 * 2);
}

Test(strategy_cfg, defaults_match_the_header) {
  kv_strategy_cfg c;
  kv_strategy_cfg_defaults(&c);
  cr_assert_eq(c.tp, 1);
  cr_assert_eq(c.max_context, 0, "the model's");
  cr_assert_eq(c.block_tokens, 16);
  cr_assert_eq(c.page_bytes, 2 * MiB);
  cr_assert_eq(c.vmm_layout, KV_VMM_PER_LAYER);
  cr_assert_eq(c.map_ahead, 0);
  cr_assert_not(c.deferred_reclaim);
  cr_assert_eq(c.slab_bytes, 64 * MiB);
  cr_assert_eq(c.copy_via, KV_VIA_ENGINE);
  cr_assert_eq(c.host_bytes, 0);
}

/* max_context 1024 tokens of Llama-3-8B: one reservation R = 128 MiB. */
#define R (1024ull * 131072)

static void setup(tu_strat *t, uint64_t capacity) {
  tu_cfg(t, tu_llama3_8b(), capacity);
  t->cfg.max_context = 1024;
  tu_create(t, "static");
  TU_VALID(t);
}

Test(strategy_static, first_reserve_takes_a_full_reservation_without_ops) {
  tu_strat t;
  setup(&t, 4 * R);
  cr_assert_eq(tu_reserve(&t, 0, 10), KV_OK);
  cr_assert_eq(t.ops.n, 0);
  kv_mem_stats s = tu_stats(&t, 0);
  cr_assert_eq(s.used, 10 * 131072);
  cr_assert_eq(s.allocated, R);
  cr_assert_eq(s.backed, R);
  cr_assert_eq(s.internal_frag, R - 10 * 131072);
  cr_assert_eq(s.free, 3 * R);
  cr_assert_eq(s.live_requests, 1);
  cr_assert_eq(s.metadata, 0);
  cr_assert_eq(t.vt->max_request_tokens(t.st), 1024);
  tu_destroy(&t);
}

Test(strategy_static, growth_within_the_reservation_costs_nothing) {
  tu_strat t;
  setup(&t, 4 * R);
  cr_assert_eq(tu_reserve(&t, 0, 1), KV_OK);
  for (uint64_t k = 2; k <= 1024; k++) {
    cr_assert_eq(tu_reserve(&t, 0, k), KV_OK);
    cr_assert_eq(t.ops.n, 0);
  }
  kv_mem_stats s = tu_stats(&t, 0);
  cr_assert_eq(s.used, R);
  cr_assert_eq(s.internal_frag, 0);
  cr_assert_eq(tu_reserve(&t, 0, 7), KV_OK, "shrinking lowers live tokens");
  cr_assert_eq(tu_stats(&t, 0).used, 7 * 131072);
  tu_destroy(&t);
}

Test(strategy_static, more_than_max_context_is_einval) {
  tu_strat t;
  setup(&t, 4 * R);
  cr_assert_eq(tu_reserve(&t, 0, 1025), KV_EINVAL);
  cr_assert_eq(tu_stats(&t, 0).live_requests, 0);
  cr_assert_eq(tu_reserve(&t, 16, 1), KV_EINVAL, "request id out of range");
  tu_destroy(&t);
}

Test(strategy_static, exhaustion_is_enomem_with_state_unchanged) {
  tu_strat t;
  setup(&t, 2 * R + R / 2);
  cr_assert_eq(tu_reserve(&t, 0, 5), KV_OK);
  cr_assert_eq(tu_reserve(&t, 1, 5), KV_OK);
  kv_mem_stats before = tu_stats(&t, 100);
  cr_assert_eq(tu_reserve(&t, 2, 1), KV_ENOMEM);
  cr_assert_eq(t.ops.n, 0);
  kv_mem_stats after = tu_stats(&t, 100);
  tu_assert_stats_eq(&before, &after);
  tu_release(&t, 0);
  cr_assert_eq(tu_reserve(&t, 2, 1), KV_OK, "the freed reservation serves");
  tu_destroy(&t);
}

/* Capacity 3.5 reservations: the half reservation at the end can never be
 * used (external), until the neighbouring reservation is freed and the two
 * coalesce into a range that serves a request again. */
Test(strategy_static, external_fragmentation_counts_holes_smaller_than_r) {
  tu_strat t;
  setup(&t, 3 * R + R / 2);
  kv_mem_stats s = tu_stats(&t, 1);
  cr_assert_eq(s.external_frag, 0, "one free range of 3.5 R");
  cr_assert_eq(s.largest_free, 3 * R + R / 2);
  for (uint32_t q = 0; q < 3; q++)
    cr_assert_eq(tu_reserve(&t, q, 1), KV_OK);
  s = tu_stats(&t, 1);
  cr_assert_eq(s.free, R / 2);
  cr_assert_eq(s.external_frag, R / 2);
  cr_assert_eq(s.largest_free, R / 2);
  tu_release(&t, 0); /* hole [0, R) */
  s = tu_stats(&t, 1);
  cr_assert_eq(s.free, R + R / 2);
  cr_assert_eq(s.external_frag, R / 2, "the R hole serves, the tail not");
  tu_release(&t, 2); /* [2R, 3.5R) coalesces */
  s = tu_stats(&t, 1);
  cr_assert_eq(s.external_frag, 0);
  cr_assert_eq(s.largest_free, R + R / 2);
  tu_destroy(&t);
}

Test(strategy_static, swap_out_and_in_round_trip) {
  tu_strat t;
  tu_cfg(&t, tu_llama3_8b(), 2 * R);
  t.cfg.max_context = 1024;
  t.cfg.host_bytes = R;
  t.cfg.copy_via = KV_VIA_KERNEL;
  tu_create(&t, "static");
  cr_assert_eq(tu_reserve(&t, 3, 100), KV_OK);
  cr_assert_eq(tu_swap_out(&t, 3), KV_OK);
  const kv_op *c = tu_find(&t.ops, KV_OP_COPY);
  cr_assert_not_null(c);
  cr_assert_eq(c->dir, KV_COPY_D2H);
  cr_assert_eq(c->via, KV_VIA_KERNEL);
  cr_assert_eq(c->count, 1);
  cr_assert_eq(c->bytes, 100 * 131072);
  cr_assert_eq(c->runs_n, 1);
  kv_mem_stats s = tu_stats(&t, 0);
  cr_assert_eq(s.backed, 0);
  cr_assert_eq(s.used, 0);
  cr_assert_eq(s.host_used, 100 * 131072);
  cr_assert_eq(s.swapped_requests, 1);
  cr_assert_eq(s.live_requests, 0);
  cr_assert_eq(tu_reserve(&t, 3, 101), KV_EINVAL, "swapped: swap in first");
  cr_assert_eq(tu_swap_in(&t, 3), KV_OK);
  c = tu_find(&t.ops, KV_OP_COPY);
  cr_assert_not_null(c);
  cr_assert_eq(c->dir, KV_COPY_H2D);
  cr_assert_eq(c->bytes, 100 * 131072);
  s = tu_stats(&t, 0);
  cr_assert_eq(s.used, 100 * 131072);
  cr_assert_eq(s.host_used, 0);
  cr_assert_eq(s.live_requests, 1);
  cr_assert_eq(tu_reserve(&t, 3, 101), KV_OK);
  tu_destroy(&t);
}

Test(strategy_static, swap_in_without_room_is_enomem_and_keeps_host_copy) {
  tu_strat t;
  tu_cfg(&t, tu_llama3_8b(), R);
  t.cfg.max_context = 1024;
  t.cfg.host_bytes = R;
  tu_create(&t, "static");
  cr_assert_eq(tu_reserve(&t, 0, 10), KV_OK);
  cr_assert_eq(tu_swap_out(&t, 0), KV_OK);
  cr_assert_eq(tu_reserve(&t, 1, 10), KV_OK);
  kv_mem_stats before = tu_stats(&t, 0);
  cr_assert_eq(tu_swap_in(&t, 0), KV_ENOMEM);
  cr_assert_eq(t.ops.n, 0);
  kv_mem_stats after = tu_stats(&t, 0);
  tu_assert_stats_eq(&before, &after);
  tu_release(&t, 0); /* drop the swapped copy */
  cr_assert_eq(tu_stats(&t, 0).host_used, 0);
  tu_destroy(&t);
}

Test(strategy_static, swap_without_host_tier_is_einval) {
  tu_strat t;
  setup(&t, R);
  cr_assert_eq(tu_reserve(&t, 0, 10), KV_OK);
  cr_assert_eq(tu_swap_out(&t, 0), KV_EINVAL);
  cr_assert_eq(t.ops.n, 0);
  tu_destroy(&t);
}

Test(strategy_static, release_of_a_free_request_is_a_no_op) {
  tu_strat t;
  setup(&t, R);
  tu_release(&t, 5);
  tu_release(&t, 99);
  cr_assert_eq(t.ops.n, 0);
  cr_assert_eq(tu_stats(&t, 0).free, R);
  tu_destroy(&t);
}

/* ---- sliding windows -------------------------------------------------- */

static kv_model preset(const char *name) {
  kv_model m;
  kv_error e = {0};
  cr_assert_eq(kv_model_preset(name, &m, &e), KV_OK, "%s", e.msg);
  return m;
}

/* Gemma-2-9B, max_context 0 = the model's 8192. 8192 B per token and
 * layer, 21 full and 21 windowed layers: 172,032 B per token each part.
 * Reservation = 8192 x 172,032 (full) + min(8192, 4096) x 172,032 (ring)
 * = 1,409,286,144 + 704,643,072 = 2,113,929,216 B.
 * 8100 tokens: used = (21 x 8100 + 21 x 4096) x 8192 = 2,098,102,272 B;
 * internal = the 92 unused full-layer tokens = 92 x 172,032 = 15,826,944. */
#define GEMMA_RESV 2113929216ull
#define GEMMA_USED_8100 2098102272ull

Test(strategy_static_window, gemma2_reserves_a_ring_for_windowed_layers) {
  tu_strat t;
  tu_cfg(&t, preset("gemma-2-9b"), 3 * GEMMA_RESV);
  tu_create(&t, "static");
  cr_assert_eq(kv_strategy_bytes_per_token_full(&t.cfg), 172032);
  cr_assert_eq(kv_strategy_bytes_per_token_window(&t.cfg), 172032);
  cr_assert_eq(tu_reserve(&t, 0, 8100), KV_OK);
  kv_mem_stats s = tu_stats(&t, 0);
  cr_assert_eq(s.used, GEMMA_USED_8100);
  cr_assert_eq(s.backed, GEMMA_RESV);
  cr_assert_eq(s.allocated, GEMMA_RESV);
  cr_assert_eq(s.internal_frag, 15826944ull);
  cr_assert_eq(s.free, 2 * GEMMA_RESV);
  cr_assert_eq(t.vt->max_request_tokens(t.st), 8192);
  /* 100 tokens: every layer holds all of them */
  cr_assert_eq(tu_reserve(&t, 1, 100), KV_OK);
  cr_assert_eq(tu_stats(&t, 0).used, GEMMA_USED_8100 + 100ull * 42 * 8192);
  cr_assert_eq(tu_stats(&t, 0).backed, 2 * GEMMA_RESV);
  tu_destroy(&t);
}

/* Mistral-7B, max_context 32768, every layer windowed: the reservation is
 * only the ring, 4096 x 131,072 = 536,870,912 B (not 4 GiB); 8,099 tokens
 * use 4,096 tokens' worth, the whole ring. */
Test(strategy_static_window, mistral_reservation_is_the_window) {
  tu_strat t;
  tu_cfg(&t, preset("mistral-7b"), 2 * 536870912ull);
  tu_create(&t, "static");
  cr_assert_eq(kv_strategy_bytes_per_token_full(&t.cfg), 0);
  cr_assert_eq(tu_reserve(&t, 0, 8099), KV_OK);
  kv_mem_stats s = tu_stats(&t, 0);
  cr_assert_eq(s.used, 536870912ull);
  cr_assert_eq(s.backed, 536870912ull);
  cr_assert_eq(s.internal_frag, 0);
  cr_assert_eq(tu_reserve(&t, 1, 10), KV_OK);
  cr_assert_eq(tu_stats(&t, 0).used, 536870912ull + 10 * 131072);
  cr_assert_eq(tu_reserve(&t, 2, 10), KV_ENOMEM, "two rings fill it");
  cr_assert_eq(t.vt->max_request_tokens(t.st), 32768);
  tu_destroy(&t);
}

/* A swap moves what attention can read: the full layers' 5000 tokens from
 * the start of the reservation and the ring's 4096 from its end of the full
 * part (8192 x 172,032 = 1,409,286,144 in). */
Test(strategy_static_window, swap_moves_full_tokens_and_the_ring) {
  tu_strat t;
  tu_cfg(&t, preset("gemma-2-9b"), 2 * GEMMA_RESV);
  t.cfg.host_bytes = GEMMA_RESV;
  tu_create(&t, "static");
  cr_assert_eq(tu_reserve(&t, 1, 10), KV_OK); /* request 0 lands behind it */
  cr_assert_eq(tu_reserve(&t, 0, 5000), KV_OK);
  uint64_t full = 5000ull * 172032, ring = 4096ull * 172032;
  cr_assert_eq(tu_swap_out(&t, 0), KV_OK);
  const kv_op *c = tu_find(&t.ops, KV_OP_COPY);
  cr_assert_not_null(c);
  cr_assert_eq(c->count, 2);
  cr_assert_eq(c->bytes, full + ring);
  cr_assert_eq(c->bytes, 1564803072ull);
  cr_assert_eq(c->runs_n, 2);
  const kv_run *r = &t.ops.runs[c->runs_first];
  cr_assert_eq(r[0].src, GEMMA_RESV);
  cr_assert_eq(r[0].dst, 0);
  cr_assert_eq(r[0].bytes, full);
  cr_assert_eq(r[1].src, GEMMA_RESV + 1409286144ull);
  cr_assert_eq(r[1].dst, full);
  cr_assert_eq(r[1].bytes, ring);
  kv_mem_stats s = tu_stats(&t, 0);
  cr_assert_eq(s.host_used, full + ring);
  cr_assert_eq(s.used, 10ull * 42 * 8192);
  cr_assert_eq(tu_swap_in(&t, 0), KV_OK);
  c = tu_find(&t.ops, KV_OP_COPY);
  cr_assert_eq(c->dir, KV_COPY_H2D);
  cr_assert_eq(c->bytes, full + ring);
  cr_assert_eq(t.ops.runs[c->runs_first + 1].src, full);
  cr_assert_eq(tu_stats(&t, 0).used,
               10ull * 42 * 8192 + kv_strategy_used_bytes(&t.cfg, 5000));
  tu_destroy(&t);
}

/* Property: a window that never binds (>= max_context) changes nothing:
 * same reservation, same stats after every one of 3000 random ops, as the
 * model without a window; the same ops, except that with a hybrid model a
 * swap copies two runs (full layers, ring) where one did. */
static int ops_equal(const kv_op_list *a, const kv_op_list *b, bool runs) {
  if (a->n != b->n) return 0;
  for (size_t i = 0; i < a->n; i++) {
    const kv_op *x = &a->ops[i], *y = &b->ops[i];
    if (x->kind != y->kind || x->dir != y->dir || x->via != y->via ||
        x->flags != y->flags || x->req != y->req || x->bytes != y->bytes ||
        x->addr != y->addr)
      return 0;
    if (runs && (x->count != y->count || x->runs_n != y->runs_n)) return 0;
  }
  return !runs ||
         (a->runs_n == b->runs_n &&
          (a->runs_n == 0 ||
           memcmp(a->runs, b->runs, a->runs_n * sizeof *a->runs) == 0));
}

static uint64_t lcg(uint64_t *x) {
  *x = *x * 6364136223846793005ull + 1442695040888963407ull;
  return *x >> 33;
}

static void same_as_without_window(uint32_t window_layers) {
  tu_strat a, b;
  kv_model m = tu_llama3_8b(), w = m;
  w.max_context = 1024;
  m.max_context = 1024;
  w.sliding_window = 1024;
  w.window_layers = window_layers;
  tu_cfg(&a, m, 5 * 1024 * 131072ull + 12345);
  tu_cfg(&b, w, 5 * 1024 * 131072ull + 12345);
  a.cfg.host_bytes = b.cfg.host_bytes = 3 * 1024 * 131072ull;
  tu_create(&a, "static");
  tu_create(&b, "static");
  uint64_t tok[16] = {0}, x = 7, swaps = 0, enomem = 0;
  for (int i = 0; i < 3000; i++) {
    uint32_t q = (uint32_t)(lcg(&x) % 8), op = (uint32_t)(lcg(&x) % 10);
    kv_status ra, rb;
    if (op < 6) {
      uint64_t t = op < 5 ? tok[q] + lcg(&x) % 64 : lcg(&x) % 1100;
      ra = tu_reserve(&a, q, t);
      rb = tu_reserve(&b, q, t);
      if (ra == KV_OK) tok[q] = t;
      enomem += ra == KV_ENOMEM;
    } else if (op < 8) {
      ra = tu_swap_out(&a, q);
      rb = tu_swap_out(&b, q);
      if (ra == KV_EINVAL) {
        ra = tu_swap_in(&a, q);
        rb = tu_swap_in(&b, q);
      }
      swaps += ra == KV_OK;
    } else {
      tu_release(&a, q);
      tu_release(&b, q);
      ra = rb = KV_OK;
      tok[q] = 0;
    }
    cr_assert_eq(ra, rb, "op %d", i);
    cr_assert(ops_equal(&a.ops, &b.ops, window_layers == m.layers),
              "op %d: ops differ", i);
    kv_mem_stats sa = tu_stats(&a, 100), sb = tu_stats(&b, 100);
    tu_assert_stats_eq(&sa, &sb);
  }
  cr_assert_gt(swaps, 0);
  cr_assert_gt(enomem, 0);
  tu_destroy(&a);
  tu_destroy(&b);
}

Test(strategy_static_window, window_that_never_binds_changes_nothing) {
  same_as_without_window(32); /* every layer: the very same ops */
  same_as_without_window(12); /* hybrid */
}
