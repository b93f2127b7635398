/* strategy_testutil.h - shared helpers for the strategy tests: hand-built
 * model geometries, a strategy under test with its op list, op counters.
 */
#ifndef KV_STRATEGY_TESTUTIL_H
#define KV_STRATEGY_TESTUTIL_H

#include <criterion/criterion.h>
#include <string.h>

#include "strategy.h"

#define MiB (1ull << 20)

/* Llama-3-8B: 32 layers, 8 KV heads of 128, bf16 -> 131072 B per token. */
static inline kv_model tu_llama3_8b(void) {
  kv_model m;
  memset(&m, 0, sizeof m);
  strcpy(m.name, "llama-3-8b");
  m.layers = 32;
  m.heads = 32;
  m.kv_heads = 8;
  m.head_dim = 128;
  m.dtype_bytes = 2;
  m.max_context = 8192;
  return m;
}

/* DeepSeek-V3-like MLA: 61 layers of (512 + 64) x 2 B = 70272 B per token. */
static inline kv_model tu_mla(void) {
  kv_model m;
  memset(&m, 0, sizeof m);
  strcpy(m.name, "mla-test");
  m.layers = 61;
  m.heads = 128;
  m.kv_heads = 128;
  m.head_dim = 128;
  m.dtype_bytes = 2;
  m.mla_latent = 512;
  m.mla_rope = 64;
  return m;
}

/* A tiny model for property tests: 2 layers x 2 x 64 x 2 B = 512 B/token. */
static inline kv_model tu_tiny(void) {
  kv_model m;
  memset(&m, 0, sizeof m);
  strcpy(m.name, "tiny");
  m.layers = 2;
  m.heads = 2;
  m.kv_heads = 1;
  m.head_dim = 64;
  m.dtype_bytes = 2;
  return m;
}

/* A strategy under test. The model lives here so cfg.model stays valid. */
typedef struct tu_strat {
  kv_model model;
  kv_strategy_cfg cfg;
  const kv_strategy_vt *vt;
  void *st;
  kv_op_list ops;
} tu_strat;

static inline void tu_cfg(tu_strat *t, kv_model m, uint64_t capacity) {
  memset(t, 0, sizeof *t);
  t->model = m;
  kv_strategy_cfg_defaults(&t->cfg);
  t->cfg.model = &t->model;
  t->cfg.capacity_bytes = capacity;
  t->cfg.max_requests = 16;
  kv_ops_init(&t->ops, 1);
}

/* Create the strategy `name` from t->cfg; the setup ops stay in t->ops. */
static inline void tu_create(tu_strat *t, const char *name) {
  kv_error e;
  t->cfg.model = &t->model;
  t->vt = kv_strategy_find(name, &e);
  cr_assert_not_null(t->vt, "%s", e.msg);
  kv_status rc = t->vt->create(&t->cfg, &t->st, &t->ops, &e);
  cr_assert_eq(rc, KV_OK, "create %s: %s", name, e.msg);
}

static inline void tu_destroy(tu_strat *t) {
  if (t->st) t->vt->destroy(t->st, &t->ops);
  t->st = NULL;
  kv_ops_free(&t->ops);
}

#define TU_VALID(t)                                                            \
  do {                                                                         \
    kv_error e_;                                                               \
    kv_status rc_ = (t)->vt->is_valid((t)->st, &e_);                           \
    cr_assert_eq(rc_, KV_OK, "is_valid: %s", e_.msg);                          \
  } while (0)

static inline kv_status tu_reserve(tu_strat *t, uint32_t req, uint64_t tok) {
  kv_ops_clear(&t->ops);
  kv_status rc = t->vt->reserve(t->st, req, tok, &t->ops);
  TU_VALID(t);
  return rc;
}

static inline void tu_release(tu_strat *t, uint32_t req) {
  kv_ops_clear(&t->ops);
  t->vt->release(t->st, req, &t->ops);
  TU_VALID(t);
}

static inline kv_status tu_swap_out(tu_strat *t, uint32_t req) {
  kv_ops_clear(&t->ops);
  kv_status rc = t->vt->swap_out(t->st, req, &t->ops);
  TU_VALID(t);
  return rc;
}

static inline kv_status tu_swap_in(tu_strat *t, uint32_t req) {
  kv_ops_clear(&t->ops);
  kv_status rc = t->vt->swap_in(t->st, req, &t->ops);
  TU_VALID(t);
  return rc;
}

static inline kv_mem_stats tu_stats(const tu_strat *t, uint64_t next) {
  kv_mem_stats s;
  t->vt->stats(t->st, next, &s);
  return s;
}

/* Sum of `count` over ops of `kind` (flags_mask/flags_want filter). */
static inline uint64_t tu_count_f(const kv_op_list *l, kv_op_kind kind,
                                  unsigned mask, unsigned want) {
  uint64_t n = 0;
  for (size_t i = 0; i < l->n; i++)
    if (l->ops[i].kind == kind && (l->ops[i].flags & mask) == want)
      n += l->ops[i].count;
  return n;
}

static inline uint64_t tu_count(const kv_op_list *l, kv_op_kind kind) {
  return tu_count_f(l, kind, 0, 0);
}

/* Number of ops of `kind`. */
static inline size_t tu_nops(const kv_op_list *l, kv_op_kind kind) {
  size_t n = 0;
  for (size_t i = 0; i < l->n; i++)
    n += l->ops[i].kind == kind;
  return n;
}

/* First op of `kind`, or NULL. */
static inline const kv_op *tu_find(const kv_op_list *l, kv_op_kind kind) {
  for (size_t i = 0; i < l->n; i++)
    if (l->ops[i].kind == kind) return &l->ops[i];
  return NULL;
}

static inline void tu_assert_stats_eq(const kv_mem_stats *a,
                                      const kv_mem_stats *b) {
  cr_assert_eq(a->used, b->used);
  cr_assert_eq(a->backed, b->backed);
  cr_assert_eq(a->allocated, b->allocated);
  cr_assert_eq(a->free, b->free);
  cr_assert_eq(a->external_frag, b->external_frag);
  cr_assert_eq(a->largest_free, b->largest_free);
  cr_assert_eq(a->reserved_va, b->reserved_va);
  cr_assert_eq(a->metadata, b->metadata);
  cr_assert_eq(a->host_used, b->host_used);
  cr_assert_eq(a->live_requests, b->live_requests);
  cr_assert_eq(a->swapped_requests, b->swapped_requests);
}

#endif
