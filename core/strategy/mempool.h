/* mempool.h - one pool of physical pages shared by several models' KV
 * caches on one GPU (elastic KV memory, as kvcached does).
 *
 * The pool holds `total` pages of page_bytes (2 MiB: the CUDA VMM
 * granularity). A strategy given the pool (kv_strategy_cfg.pool) takes
 * pages when it creates a physical handle and gives them back when it
 * releases one; a page id names the same physical memory for every model,
 * so the pool knows which model owns each page. The pool only counts and
 * names pages: the strategies emit the VMM ops (create, map, set-access,
 * unmap, release) that the backends price. Users: vmm (a page per handle),
 * indirect (a slab of pages per handle) and paged (kvcached: a page group,
 * one page per layer tensor, per mapped offset of its block pool).
 * Each model has a fair share (share[m] pages, the static partition it
 * would get); the preemption policy (multimodel.h) reads the shares.
 * Main entry points: kv_mempool_create(), kv_mempool_take(),
 * kv_mempool_give(), kv_mempool_is_valid().
 */
#ifndef KV_MEMPOOL_H
#define KV_MEMPOOL_H

#include <stdbool.h>
#include <stdint.h>

#include "kv_error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KV_POOL_NO_OWNER UINT32_MAX

/* Invariants (kv_mempool_is_valid):
 * - every page id < total is either on the free stack (owner
 *   KV_POOL_NO_OWNER) or owned by exactly one model m < n_models: no page
 *   is in two models' ranges at once;
 * - conservation: n_free + sum over models of held[m] = total;
 * - held[m] = the pages whose owner is m; peak[m] >= held[m]. */
typedef struct kv_mempool {
  uint64_t page_bytes;
  uint32_t total;    /* pages */
  uint32_t n_models; /* models drawing from the pool */
  uint32_t *free;    /* free page ids, a LIFO stack */
  uint32_t n_free;
  uint32_t *owner;    /* [total]: model owning the page, or NO_OWNER */
  uint32_t *held;     /* [n_models]: pages each model holds */
  uint32_t *peak;     /* [n_models]: most pages each model held at once */
  uint32_t *share;    /* [n_models]: fair share, pages (sum <= total) */
  uint64_t takes;     /* pages handed out over the run */
  uint64_t refusals;  /* take() calls refused for want of pages */
  uint64_t bad_gives; /* give() of a page the model does not own (a bug:
                         kv_mempool_is_valid reports it) */
} kv_mempool;

/* A pool of total_bytes / page_bytes pages for n_models models, each with
 * an equal fair share (kv_mempool_set_shares changes them). NULL with err
 * set when page_bytes is 0, the pool has no page or no model. */
kv_mempool *kv_mempool_create(uint64_t total_bytes, uint64_t page_bytes,
                              uint32_t n_models, kv_error *err);
void kv_mempool_free(kv_mempool *p);

/* Fair shares from weights (any positive numbers): share[m] is
 * floor(total x w[m] / sum w). */
void kv_mempool_set_shares(kv_mempool *p, const double *w);

/* Give model m n pages, their ids written to ids[0..n); all or nothing:
 * false (nothing taken) when fewer than n are free. */
bool kv_mempool_take(kv_mempool *p, uint32_t m, uint32_t n, uint32_t *ids);
/* Give page `id` of model m back to the pool (it must be m's). */
void kv_mempool_give(kv_mempool *p, uint32_t m, uint32_t id);

static inline uint32_t kv_mempool_free_pages(const kv_mempool *p) {
  return p->n_free;
}

/* Check the invariants above; errors say which page or model. */
kv_status kv_mempool_is_valid(const kv_mempool *p, kv_error *err);

#ifdef __cplusplus
}
#endif

#endif
