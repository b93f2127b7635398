/* policy.c - the C default tiering policies (see policy.h).
 * Main entry point: kv_policy_default.
 */
#include "policy.h"

size_t kv_policy_lru_victim(const kv_policy_view *v) {
  size_t best = 0;
  for (size_t i = 1; i < v->n_cand; i++) {
    const kv_policy_req *a = &v->cand[i], *b = &v->cand[best];
    if (a->last_step < b->last_step ||
        (a->last_step == b->last_step && a->admit_step >= b->admit_step))
      best = i;
  }
  return best;
}

uint64_t kv_policy_default_compact_blocks(const kv_tier_stats *t) {
  if (t->free_ranges > 8 && t->free_blocks < 4 * t->free_ranges) return 64;
  return 0;
}

static kv_status lru_evict(void *ud, const kv_policy_view *v, size_t *victim,
                           kv_error *err) {
  (void)ud;
  (void)err;
  *victim = kv_policy_lru_victim(v);
  return KV_OK;
}

static kv_status always_admit(void *ud, const kv_policy_view *v, bool *yes,
                              kv_error *err) {
  (void)ud;
  (void)v;
  (void)err;
  *yes = true;
  return KV_OK;
}

static kv_status prefetch_with_room(void *ud, const kv_policy_view *v,
                                    uint32_t *distance, kv_error *err) {
  (void)ud;
  (void)err;
  *distance = v->mem.free > v->mem.capacity / 8 ? 2 : 0;
  return KV_OK;
}

static kv_status compact_when_scattered(void *ud, const kv_policy_view *v,
                                        uint64_t *max_blocks, kv_error *err) {
  (void)ud;
  (void)err;
  *max_blocks = kv_policy_default_compact_blocks(&v->tier);
  return KV_OK;
}

const kv_policy kv_policy_default = {
    .name = "default (C)",
    .ud = NULL,
    /* least recently used running request */
    .evict = lru_evict,
    /* always, memory permitting (vLLM) */
    .admit = always_admit,
    /* two waiting requests ahead while an eighth of memory is free */
    .prefetch = prefetch_with_room,
    /* 64 blocks when free space is scattered */
    .compact = compact_when_scattered,
};
