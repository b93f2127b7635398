/* test_range_alloc.c - first-fit range allocator: placement, coalescing,
 * in-place growth, fragmentation queries, and a random-op check against a
 * byte map.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "range_alloc.h"
#include "util.h"

#define VALID(a)                                                               \
  do {                                                                         \
    kv_error e_;                                                               \
    cr_assert_eq(kv_range_alloc_is_valid((a), &e_), KV_OK, "%s", e_.msg);      \
  } while (0)

Test(range_alloc, first_fit_takes_the_lowest_range_that_fits) {
  kv_range_allocator a;
  kv_range_alloc_init(&a, 100);
  uint64_t x, y, z, w;
  cr_assert(kv_range_alloc(&a, 10, &x));
  cr_assert(kv_range_alloc(&a, 20, &y));
  cr_assert(kv_range_alloc(&a, 10, &z));
  cr_assert_eq(x, 0);
  cr_assert_eq(y, 10);
  cr_assert_eq(z, 30);
  kv_range_free(&a, x, 10); /* hole of 10 at 0 */
  cr_assert(kv_range_alloc(&a, 15, &w));
  cr_assert_eq(w, 40, "15 does not fit the 10-byte hole at 0");
  cr_assert(kv_range_alloc(&a, 5, &w));
  cr_assert_eq(w, 0, "5 fits the hole at 0");
  cr_assert_eq(a.free_bytes, 100 - 20 - 10 - 15 - 5);
  VALID(&a);
  kv_range_alloc_destroy(&a);
}

Test(range_alloc, free_coalesces_with_both_neighbours) {
  kv_range_allocator a;
  kv_range_alloc_init(&a, 30);
  uint64_t o[3];
  for (int i = 0; i < 3; i++)
    cr_assert(kv_range_alloc(&a, 10, &o[i]));
  cr_assert_eq(a.n, 0);
  kv_range_free(&a, o[0], 10);
  kv_range_free(&a, o[2], 10);
  cr_assert_eq(a.n, 2);
  kv_range_free(&a, o[1], 10);
  cr_assert_eq(a.n, 1, "middle free joins both sides");
  cr_assert_eq(a.free[0].off, 0);
  cr_assert_eq(a.free[0].len, 30);
  VALID(&a);
  kv_range_alloc_destroy(&a);
}

Test(range_alloc, alloc_fails_when_free_bytes_are_split) {
  kv_range_allocator a;
  kv_range_alloc_init(&a, 40);
  uint64_t o[4], x;
  for (int i = 0; i < 4; i++)
    cr_assert(kv_range_alloc(&a, 10, &o[i]));
  kv_range_free(&a, o[0], 10);
  kv_range_free(&a, o[2], 10);
  cr_assert_eq(a.free_bytes, 20);
  cr_assert_not(kv_range_alloc(&a, 20, &x));
  cr_assert_eq(kv_range_largest(&a), 10);
  cr_assert_eq(kv_range_unusable(&a, 20), 20);
  cr_assert_eq(kv_range_unusable(&a, 10), 0);
  cr_assert_not(kv_range_alloc(&a, 0, &x), "zero-length allocations refused");
  VALID(&a);
  kv_range_alloc_destroy(&a);
}

Test(range_alloc, extend_grows_in_place_only_into_a_free_neighbour) {
  kv_range_allocator a;
  kv_range_alloc_init(&a, 100);
  uint64_t x, y;
  cr_assert(kv_range_alloc(&a, 10, &x));
  cr_assert(kv_range_extend(&a, x, 10, 5));
  cr_assert_eq(a.free[0].off, 15);
  cr_assert(kv_range_alloc(&a, 10, &y)); /* [15, 25) blocks x */
  cr_assert_not(kv_range_extend(&a, x, 15, 1));
  cr_assert(kv_range_extend(&a, y, 10, 75));
  cr_assert_eq(a.free_bytes, 0);
  cr_assert_not(kv_range_extend(&a, y, 85, 1), "past capacity");
  VALID(&a);
  kv_range_alloc_destroy(&a);
}

Test(range_alloc, zero_capacity_has_nothing_to_give) {
  kv_range_allocator a;
  kv_range_alloc_init(&a, 0);
  uint64_t x;
  cr_assert_not(kv_range_alloc(&a, 1, &x));
  cr_assert_eq(kv_range_largest(&a), 0);
  VALID(&a);
  kv_range_alloc_destroy(&a);
}

/* Random alloc/extend/free against a byte map of who owns what. */
Test(range_alloc, random_ops_match_a_byte_map) {
  enum { CAP = 4096, MAXA = 64 };
  kv_range_allocator a;
  kv_range_alloc_init(&a, CAP);
  static uint8_t map[CAP]; /* 1 = allocated */
  memset(map, 0, sizeof map);
  uint64_t off[MAXA], len[MAXA];
  int live[MAXA] = {0};
  kv_rng rng;
  kv_rng_seed(&rng, 42);
  for (int step = 0; step < 50000; step++) {
    int i = (int)kv_rng_below(&rng, MAXA);
    if (!live[i]) {
      uint64_t n = 1 + kv_rng_below(&rng, 200), o;
      /* reference first fit */
      int64_t want = -1;
      for (uint64_t s = 0, run = 0; s < CAP; s++) {
        run = map[s] ? 0 : run + 1;
        if (run == n) {
          want = (int64_t)(s + 1 - n);
          break;
        }
      }
      bool ok = kv_range_alloc(&a, n, &o);
      cr_assert_eq(ok, want >= 0, "step %d", step);
      if (ok) {
        cr_assert_eq((int64_t)o, want, "step %d: first fit", step);
        memset(map + o, 1, n);
        off[i] = o;
        len[i] = n;
        live[i] = 1;
      }
    } else if (kv_rng_below(&rng, 3) == 0) {
      uint64_t more = 1 + kv_rng_below(&rng, 20), end = off[i] + len[i];
      bool fits = end + more <= CAP;
      for (uint64_t s = end; fits && s < end + more; s++)
        fits = !map[s];
      cr_assert_eq(kv_range_extend(&a, off[i], len[i], more), fits,
                   "step %d: extend", step);
      if (fits) {
        memset(map + end, 1, more);
        len[i] += more;
      }
    } else {
      kv_range_free(&a, off[i], len[i]);
      memset(map + off[i], 0, len[i]);
      live[i] = 0;
    }
    uint64_t fb = 0;
    for (int s = 0; s < CAP; s++)
      fb += !map[s];
    cr_assert_eq(a.free_bytes, fb, "step %d", step);
    if (step % 64 == 0) VALID(&a);
  }
  VALID(&a);
  kv_range_alloc_destroy(&a);
}
