/* range_alloc.h - first-fit allocator of byte ranges inside [0, capacity).
 *
 * Shared by static (one device range), indirect (free ranges inside slabs)
 * and the host tier. Free ranges are kept sorted and coalesced.
 * Main entry points: kv_range_alloc(), kv_range_free().
 */
#ifndef KV_RANGE_ALLOC_H
#define KV_RANGE_ALLOC_H

#include <stdbool.h>
#include <stdint.h>

#include "kv_error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kv_range {
  uint64_t off, len;
} kv_range;

/* Invariants: free ranges sorted by offset, non-empty, non-adjacent
 * (coalesced), inside [0, capacity); free_bytes = sum of their lengths.
 * The type is kv_range_allocator (struct kv_range_alloc): a typedef named
 * kv_range_alloc would clash with the function kv_range_alloc() in C. */
typedef struct kv_range_alloc {
  uint64_t capacity;
  uint64_t free_bytes;
  kv_range *free; /* sorted free list */
  uint32_t n, cap;
} kv_range_allocator;

void kv_range_alloc_init(kv_range_allocator *a, uint64_t capacity);
void kv_range_alloc_destroy(kv_range_allocator *a);
/* First fit; returns true and *off on success, false if no range fits. */
bool kv_range_alloc(kv_range_allocator *a, uint64_t len, uint64_t *off);
/* Try to grow an allocation [off, off+len) in place by `more` bytes. */
bool kv_range_extend(kv_range_allocator *a, uint64_t off, uint64_t len,
                     uint64_t more);
void kv_range_free(kv_range_allocator *a, uint64_t off, uint64_t len);
uint64_t kv_range_largest(const kv_range_allocator *a);
/* Sum of free ranges shorter than `len` (external fragmentation for len). */
uint64_t kv_range_unusable(const kv_range_allocator *a, uint64_t len);
kv_status kv_range_alloc_is_valid(const kv_range_allocator *a, kv_error *err);

#ifdef __cplusplus
}
#endif

#endif
