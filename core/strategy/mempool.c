/* mempool.c - the shared pool of physical pages (see mempool.h).
 * Main entry points: kv_mempool_create(), kv_mempool_take(),
 * kv_mempool_give(), kv_mempool_is_valid().
 */
#include "mempool.h"

#include "util.h"

#include <stdlib.h>
#include <string.h>

kv_mempool *kv_mempool_create(uint64_t total_bytes, uint64_t page_bytes,
                              uint32_t n_models, kv_error *err) {
  if (page_bytes == 0) {
    kv_error_set(err, KV_EINVAL, "memory pool: page_bytes is 0");
    return NULL;
  }
  uint64_t total = total_bytes / page_bytes;
  if (total == 0 || total > UINT32_MAX - 1) {
    kv_error_set(err, KV_EINVAL,
                 "memory pool: %llu bytes make %llu pages of %llu bytes "
                 "(must be 1 .. 2^32-2)",
                 (unsigned long long)total_bytes, (unsigned long long)total,
                 (unsigned long long)page_bytes);
    return NULL;
  }
  if (n_models == 0) {
    kv_error_set(err, KV_EINVAL, "memory pool: no model draws from it");
    return NULL;
  }
  kv_mempool *p = kv_xcalloc(1, sizeof *p);
  p->page_bytes = page_bytes;
  p->total = (uint32_t)total;
  p->n_models = n_models;
  p->free = kv_xmalloc(total * sizeof *p->free);
  p->owner = kv_xmalloc(total * sizeof *p->owner);
  for (uint32_t i = 0; i < p->total; i++) {
    p->free[i] = p->total - 1 - i; /* page 0 on top */
    p->owner[i] = KV_POOL_NO_OWNER;
  }
  p->n_free = p->total;
  p->held = kv_xcalloc(n_models, sizeof *p->held);
  p->peak = kv_xcalloc(n_models, sizeof *p->peak);
  p->share = kv_xcalloc(n_models, sizeof *p->share);
  for (uint32_t m = 0; m < n_models; m++)
    p->share[m] = p->total / n_models;
  return p;
}

void kv_mempool_free(kv_mempool *p) {
  if (!p) return;
  free(p->free);
  free(p->owner);
  free(p->held);
  free(p->peak);
  free(p->share);
  free(p);
}

void kv_mempool_set_shares(kv_mempool *p, const double *w) {
  double sum = 0;
  for (uint32_t m = 0; m < p->n_models; m++)
    sum += w[m];
  for (uint32_t m = 0; m < p->n_models; m++)
    p->share[m] = sum > 0 ? (uint32_t)((double)p->total * (w[m] / sum)) : 0;
}

bool kv_mempool_take(kv_mempool *p, uint32_t m, uint32_t n, uint32_t *ids) {
  if (n > p->n_free) {
    p->refusals++;
    return false;
  }
  for (uint32_t i = 0; i < n; i++) {
    uint32_t id = p->free[--p->n_free];
    p->owner[id] = m;
    ids[i] = id;
  }
  p->held[m] += n;
  if (p->held[m] > p->peak[m]) p->peak[m] = p->held[m];
  p->takes += n;
  return true;
}

void kv_mempool_give(kv_mempool *p, uint32_t m, uint32_t id) {
  if (id >= p->total || p->owner[id] != m) {
    p->bad_gives++;
    return;
  }
  p->held[m]--;
  p->owner[id] = KV_POOL_NO_OWNER;
  p->free[p->n_free++] = id;
}

/* Tier 1: conservation, n_free + sum held = total. */
static kv_status check_conservation(const kv_mempool *p, kv_error *err) {
  if (p->bad_gives)
    return kv_error_set(err, KV_EINTERNAL,
                        "memory pool: %llu pages given back by a model that "
                        "did not own them",
                        (unsigned long long)p->bad_gives);
  uint64_t sum = p->n_free;
  for (uint32_t m = 0; m < p->n_models; m++)
    sum += p->held[m];
  if (sum == p->total) return KV_OK;
  return kv_error_set(err, KV_EINTERNAL,
                      "memory pool: %u free + %llu held by models != %u "
                      "pages",
                      p->n_free, (unsigned long long)(sum - p->n_free),
                      p->total);
}

/* Tier 2: each page free once or owned by one model; held[] recounted. */
static kv_status check_owners(const kv_mempool *p, kv_error *err) {
  uint8_t *on_free = kv_xcalloc(p->total, 1);
  uint32_t *count = kv_xcalloc(p->n_models, sizeof *count);
  kv_status s = KV_OK;
  for (uint32_t i = 0; i < p->n_free && s == KV_OK; i++) {
    uint32_t id = p->free[i];
    if (id >= p->total || on_free[id]++ || p->owner[id] != KV_POOL_NO_OWNER)
      s = kv_error_set(err, KV_EINTERNAL,
                       "memory pool: free page %u is out of range, listed "
                       "twice or owned",
                       id);
  }
  for (uint32_t id = 0; id < p->total && s == KV_OK; id++) {
    uint32_t o = p->owner[id];
    if (o == KV_POOL_NO_OWNER && !on_free[id])
      s = kv_error_set(err, KV_EINTERNAL,
                       "memory pool: page %u is neither free nor owned", id);
    else if (o != KV_POOL_NO_OWNER && o >= p->n_models)
      s = kv_error_set(err, KV_EINTERNAL,
                       "memory pool: page %u owned by model %u of %u", id, o,
                       p->n_models);
    else if (o != KV_POOL_NO_OWNER)
      count[o]++;
  }
  for (uint32_t m = 0; m < p->n_models && s == KV_OK; m++)
    if (count[m] != p->held[m] || p->peak[m] < p->held[m])
      s = kv_error_set(err, KV_EINTERNAL,
                       "memory pool: model %u owns %u pages, held says %u "
                       "(peak %u)",
                       m, count[m], p->held[m], p->peak[m]);
  free(on_free);
  free(count);
  return s;
}

kv_status kv_mempool_is_valid(const kv_mempool *p, kv_error *err) {
  kv_status s = check_conservation(p, err);
  if (s == KV_OK) s = check_owners(p, err);
  return s;
}
