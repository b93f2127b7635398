/* test_swap_host.c - the host side of a whole-request swap: the guard,
 * a range per swap-out (none for 0 bytes), ENOMEM when the tier is full,
 * and the range back on swap-in.
 */
#include <criterion/criterion.h>

#include "swap_host.h"

Test(swap_host, needs_a_host_tier_and_a_request_id) {
  kv_strategy_cfg cfg = {.host_bytes = 100, .max_requests = 4};
  cr_assert(kv_swap_usable(&cfg, 3));
  cr_assert_not(kv_swap_usable(&cfg, 4));
  cfg.host_bytes = 0;
  cr_assert_not(kv_swap_usable(&cfg, 0));
}

Test(swap_host, zero_bytes_take_nothing_a_full_tier_refuses) {
  kv_range_allocator host;
  kv_range_alloc_init(&host, 100);
  uint64_t off = 7, a, b;
  cr_assert(kv_swap_host_take(&host, 0, &off));
  cr_assert_eq(off, 0);
  cr_assert_eq(host.free_bytes, 100);
  cr_assert(kv_swap_host_take(&host, 60, &a));
  cr_assert_not(kv_swap_host_take(&host, 60, &b), "40 bytes left");
  uint64_t len = 60;
  kv_swap_host_give(&host, &a, &len);
  cr_assert_eq(a, 0);
  cr_assert_eq(len, 0);
  cr_assert_eq(host.free_bytes, 100);
  cr_assert(kv_swap_host_take(&host, 60, &b));
  kv_range_alloc_destroy(&host);
}
