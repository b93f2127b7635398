/* range_alloc.c - first-fit allocator of byte ranges (see range_alloc.h).
 *
 * The free list is a sorted, coalesced array of ranges. Allocation scans for
 * the first range long enough; free and extend find their place by binary
 * search. Main entry points: kv_range_alloc(), kv_range_free().
 */
#include "range_alloc.h"

#include "util.h"

#include <inttypes.h>
#include <string.h>

void kv_range_alloc_init(kv_range_allocator *a, uint64_t capacity) {
  memset(a, 0, sizeof *a);
  a->capacity = capacity;
  if (capacity > 0) {
    a->cap = 4;
    a->free = kv_xmalloc(a->cap * sizeof *a->free);
    a->free[0] = (kv_range){0, capacity};
    a->n = 1;
    a->free_bytes = capacity;
  }
}

void kv_range_alloc_destroy(kv_range_allocator *a) {
  free(a->free);
  memset(a, 0, sizeof *a);
}

/* Index of the first free range whose offset is > off (0..n). */
static uint32_t upper_bound(const kv_range_allocator *a, uint64_t off) {
  uint32_t lo = 0, hi = a->n;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (a->free[mid].off <= off)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

static void remove_at(kv_range_allocator *a, uint32_t i) {
  memmove(&a->free[i], &a->free[i + 1], (a->n - i - 1) * sizeof *a->free);
  a->n--;
}

bool kv_range_alloc(kv_range_allocator *a, uint64_t len, uint64_t *off) {
  if (len == 0 || len > a->free_bytes) return false;
  for (uint32_t i = 0; i < a->n; i++) {
    kv_range *r = &a->free[i];
    if (r->len < len) continue;
    *off = r->off;
    r->off += len;
    r->len -= len;
    if (r->len == 0) remove_at(a, i);
    a->free_bytes -= len;
    return true;
  }
  return false;
}

bool kv_range_extend(kv_range_allocator *a, uint64_t off, uint64_t len,
                     uint64_t more) {
  if (more == 0) return true;
  uint64_t end = off + len;
  uint32_t i = upper_bound(a, end);
  if (i == 0) return false;
  kv_range *r = &a->free[i - 1];
  if (r->off != end || r->len < more) return false;
  r->off += more;
  r->len -= more;
  if (r->len == 0) remove_at(a, i - 1);
  a->free_bytes -= more;
  return true;
}

void kv_range_free(kv_range_allocator *a, uint64_t off, uint64_t len) {
  if (len == 0) return;
  uint32_t i = upper_bound(a, off); /* insert before free[i] */
  bool join_prev = i > 0 && a->free[i - 1].off + a->free[i - 1].len == off;
  bool join_next = i < a->n && off + len == a->free[i].off;
  a->free_bytes += len;
  if (join_prev && join_next) {
    a->free[i - 1].len += len + a->free[i].len;
    remove_at(a, i);
  } else if (join_prev) {
    a->free[i - 1].len += len;
  } else if (join_next) {
    a->free[i].off = off;
    a->free[i].len += len;
  } else {
    if (a->n == a->cap) {
      a->cap = a->cap ? a->cap * 2 : 4;
      a->free = kv_xrealloc(a->free, a->cap * sizeof *a->free);
    }
    memmove(&a->free[i + 1], &a->free[i], (a->n - i) * sizeof *a->free);
    a->free[i] = (kv_range){off, len};
    a->n++;
  }
}

uint64_t kv_range_largest(const kv_range_allocator *a) {
  uint64_t best = 0;
  for (uint32_t i = 0; i < a->n; i++)
    if (a->free[i].len > best) best = a->free[i].len;
  return best;
}

uint64_t kv_range_unusable(const kv_range_allocator *a, uint64_t len) {
  uint64_t sum = 0;
  for (uint32_t i = 0; i < a->n; i++)
    if (a->free[i].len < len) sum += a->free[i].len;
  return sum;
}

kv_status kv_range_alloc_is_valid(const kv_range_allocator *a, kv_error *err) {
  uint64_t sum = 0;
  for (uint32_t i = 0; i < a->n; i++) {
    const kv_range *r = &a->free[i];
    if (r->len == 0)
      return kv_error_set(err, KV_EINTERNAL,
                          "range_alloc: free range %" PRIu32 " is empty", i);
    if (r->off > a->capacity || r->len > a->capacity - r->off)
      return kv_error_set(err, KV_EINTERNAL,
                          "range_alloc: free range %" PRIu32 " [%" PRIu64
                          ", +%" PRIu64 ") exceeds capacity %" PRIu64,
                          i, r->off, r->len, a->capacity);
    if (i > 0) {
      const kv_range *p = &a->free[i - 1];
      if (p->off + p->len > r->off)
        return kv_error_set(err, KV_EINTERNAL,
                            "range_alloc: free ranges %" PRIu32 " and %" PRIu32
                            " overlap or are unsorted",
                            i - 1, i);
      if (p->off + p->len == r->off)
        return kv_error_set(err, KV_EINTERNAL,
                            "range_alloc: free ranges %" PRIu32 " and %" PRIu32
                            " are adjacent (not coalesced)",
                            i - 1, i);
    }
    sum += r->len;
  }
  if (sum != a->free_bytes)
    return kv_error_set(err, KV_EINTERNAL,
                        "range_alloc: free_bytes %" PRIu64
                        " but free ranges sum to %" PRIu64,
                        a->free_bytes, sum);
  return kv_error_set(err, KV_OK, NULL);
}
