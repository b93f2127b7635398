/* test_prefix_blocks.c - the shared-block bookkeeping of the block-table
 * strategies: references and the free/cached verdict, attach of full and
 * partial blocks, publish's stop rules, and kv_pblocks_check naming the
 * invariant a census breaks.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "prefix_blocks.h"

static const kv_lanes no_window = {.lf = 1, .lw = 0, .bt = 16};

/* A census that agrees with pb: blocks with a reference are held (refs =
 * refcnt, crefs = cref), unkeyed unreferenced ones free. */
static void census_of(const kv_pblocks *pb, kv_pblocks_census *c) {
  kv_pblocks_census_init(c, pb->pm.nblocks);
  for (uint32_t b = 0; b < pb->pm.nblocks; b++) {
    c->refs[b] = pb->pm.refcnt[b];
    c->crefs[b] = pb->cref[b];
    c->isfree[b] = !pb->pm.refcnt[b] && !pb->pm.key[b];
  }
}

static void assert_valid(const kv_pblocks *pb) {
  kv_pblocks_census c;
  census_of(pb, &c);
  kv_error e;
  cr_assert_eq(kv_pblocks_check(pb, &c, &no_window, "test", &e), KV_OK, "%s",
               e.msg);
  kv_pblocks_census_free(&c);
}

Test(prefix_blocks, unkeyed_block_goes_back_to_the_pool_keyed_one_is_cached) {
  kv_pblocks pb;
  kv_pblocks_init(&pb, 4);
  kv_pblocks_take(&pb, 0);
  kv_pblocks_take(&pb, 1);
  kv_pblocks_set_key(&pb, 1, 77, 16);
  assert_valid(&pb);
  cr_assert_eq(pb.held, 2);
  cr_assert(kv_pblocks_unref(&pb, 0, true), "unkeyed: back to the pool");
  cr_assert_not(kv_pblocks_unref(&pb, 1, true), "keyed: cached");
  cr_assert_eq(pb.held, 0);
  cr_assert_eq(pb.pm.lru_n, 1);
  assert_valid(&pb);
  kv_pblocks_free(&pb);
}

Test(prefix_blocks, full_block_attach_counts_twice_partial_is_a_pending_copy) {
  kv_pblocks pb;
  kv_pblocks_init(&pb, 4);
  kv_pblocks_take(&pb, 2);
  kv_pblocks_set_key(&pb, 2, 5, 16);
  kv_pblocks_take(&pb, 3);
  kv_pblocks_set_key(&pb, 3, 6, 9);
  uint32_t got;
  cr_assert_eq(kv_pblocks_attach_one(&pb, 5, 16, 16, &got), 2);
  cr_assert_eq(got, 16);
  cr_assert_eq(pb.dup, 1, "a full block two requests count");
  cr_assert_eq(kv_pblocks_attach_one(&pb, 6, 16, 16, &got), 3);
  cr_assert_eq(got, 9, "the published fill bounds the tokens");
  cr_assert_eq(pb.cref[3], 1, "a partial block is not counted");
  cr_assert_eq(pb.pm.refcnt[3], 2);
  cr_assert_eq(pb.keyed_refs, 4);
  cr_assert_eq(kv_pblocks_attach_one(&pb, 8, 16, 16, &got), KV_PMAP_NONE);
  cr_assert_eq(kv_pblocks_attach_one(&pb, 5, 0, 16, &got), KV_PMAP_NONE);
  assert_valid(&pb);
  kv_pblocks_free(&pb);
}

Test(prefix_blocks, publish_stops_at_key_zero_bad_fill_or_past_the_tokens) {
  kv_pblocks pb;
  kv_pblocks_init(&pb, 4);
  for (uint32_t b = 0; b < 4; b++)
    kv_pblocks_take(&pb, b);
  cr_assert_not(kv_pblocks_publish(&pb, 0, 0, 40, 0, 16, 16));
  cr_assert_not(kv_pblocks_publish(&pb, 0, 0, 40, 9, 17, 16));
  cr_assert_not(kv_pblocks_publish(&pb, 2, 2, 40, 9, 16, 16));
  cr_assert(kv_pblocks_publish(&pb, 1, 1, 40, 9, 16, 16));
  cr_assert(kv_pblocks_publish(&pb, 0, 0, 40, 9, 16, 16), "key taken: skip");
  cr_assert_eq(pb.pm.nkeys, 1);
  cr_assert_eq(pb.pm.key[0], 0);
  cr_assert(kv_pblocks_published_after(&pb, 1, 1, 20, 16));
  cr_assert_not(kv_pblocks_published_after(&pb, 1, 1, 32, 16));
  assert_valid(&pb);
  kv_pblocks_free(&pb);
}

Test(prefix_blocks, check_names_the_broken_invariant) {
  kv_pblocks pb;
  kv_pblocks_init(&pb, 2);
  kv_pblocks_take(&pb, 0);
  kv_pblocks_census c;
  kv_error e;
  census_of(&pb, &c);
  c.isfree[0] = 1; /* held and free */
  cr_assert_eq(kv_pblocks_check(&pb, &c, &no_window, "test", &e), KV_EINTERNAL);
  cr_assert_not_null(strstr(e.msg, "exactly one of free, held, cached"), "%s",
                     e.msg);
  kv_pblocks_census_free(&c);
  pb.dup = 3; /* a counter off its sum */
  census_of(&pb, &c);
  cr_assert_eq(kv_pblocks_check(&pb, &c, &no_window, "test", &e), KV_EINTERNAL);
  cr_assert_not_null(strstr(e.msg, "block counters"), "%s", e.msg);
  kv_pblocks_census_free(&c);
  kv_pblocks_free(&pb);
}

Test(prefix_blocks, lanes_check_wants_every_token_covered) {
  kv_error e;
  cr_assert_eq(
      kv_pblocks_check_lanes(&no_window, 16, "test", 0, 2, 0, 0, 32, &e), KV_OK,
      "%s", e.msg);
  cr_assert_eq(
      kv_pblocks_check_lanes(&no_window, 16, "test", 3, 2, 0, 0, 33, &e),
      KV_EINTERNAL);
  cr_assert_not_null(strstr(e.msg, "request 3 has 33 tokens in 2 blocks"), "%s",
                     e.msg);
}
