/* test_platform.c - platform presets and validation (core/inputs/platform.c).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "backend.h"
#include "ops.h"
#include "platform.h"

static kv_platform preset(const char *name) {
  kv_platform p;
  kv_error e = {0};
  cr_assert_eq(kv_platform_preset(name, &p, &e), KV_OK, "%s: %s", name, e.msg);
  return p;
}

static void expect_bad(const kv_platform *p, const char *field) {
  kv_error e = {0};
  cr_assert_eq(kv_platform_validate(p, &e), KV_EINVAL, "%s accepted", field);
  char want[64];
  snprintf(want, sizeof want, "'%s'", field);
  cr_assert(strstr(e.msg, want), "expected %s in: %s", want, e.msg);
}

Test(platform_preset, presets_are_valid_and_carry_their_source) {
  const char *const *names = kv_platform_preset_names();
  size_t n = 0;
  for (; names[n]; n++) {
    kv_platform p = preset(names[n]);
    kv_error e = {0};
    cr_assert_eq(kv_platform_validate(&p, &e), KV_OK, "%s: %s", names[n],
                 e.msg);
    cr_assert_str_eq(p.name, names[n]);
    cr_assert_not_null(p.source);
    /* measured presets name their calibration file; the others say they
     * are datasheet values */
    cr_assert((strstr(p.source, "kvsim-calibrate") &&
               strstr(p.source, "results/2026-11-22-")) ||
                  strstr(p.source, "datasheet, not calibrated"),
              "%s", p.source);
  }
  cr_assert_eq(n, 4);
}

Test(platform_preset, datasheet_presets_a100_and_l40s) {
  kv_platform a = preset("a100-sxm-80gb"), l = preset("L40S-48GB");
  kv_platform h = preset("h100-sxm-80gb");
  cr_assert(strstr(a.source, "datasheet, not calibrated"));
  cr_assert(strstr(l.source, "datasheet, not calibrated"));
  /* the A100's memory and GEMM rates: the H100 calibration scaled by the
   * public A100 / H100 measurements' ratio, below both datasheet peaks */
  cr_assert(strstr(a.source, "scaled by"), "%s", a.source);
  cr_assert(fabs(a.hbm_bw / h.hbm_bw - 0.559) < 0.001, "%g", a.hbm_bw);
  cr_assert(fabs(a.flops / h.flops - 0.326) < 0.001, "%g", a.flops);
  cr_assert(a.hbm_bw < 2.039e12 && a.flops < 312e12);
  cr_assert_eq(a.hbm_bytes, 80ull << 30);
  cr_assert_eq(l.hbm_bytes, 48ull << 30);
  cr_assert_eq(a.sms, 108);
  cr_assert_eq(l.sms, 142);
  cr_assert_float_eq(l.hbm_bw, 864e9, 1);
  /* a slower memory than the H100's, PCIe Gen4 (half of Gen5) */
  cr_assert(a.hbm_bw < h.hbm_bw && l.hbm_bw < a.hbm_bw);
  cr_assert(a.pcie_bw < h.pcie_bw && l.pcie_bw == a.pcie_bw);
  /* no NVLink on the L40S: GPU to GPU at PCIe speed */
  cr_assert(l.nvlink_bw <= l.pcie_bw && a.nvlink_bw > l.nvlink_bw);
  /* no measured tables: the scalars price every call */
  cr_assert_eq(a.vmm_curve[0].n, 0);
  cr_assert_eq(l.copy_h2d_curve.n, 0);
}

Test(platform_preset, h100_and_h200_constants) {
  kv_platform h100 = preset("h100-sxm-80gb"), h200 = preset("H200-141GB");
  /* what cuMemGetInfo reports: a little under the marketing size */
  cr_assert_eq(h100.hbm_bytes, 85017493504ull);
  cr_assert(h100.hbm_bytes < 80ull << 30 && h100.hbm_bytes > 79ull << 30);
  cr_assert(h200.hbm_bytes > 139ull << 30 && h200.hbm_bytes < 141ull << 30);
  cr_assert_eq(h100.sms, 132);
  cr_assert_eq(h100.vmm_granularity, 2u << 20);
  /* same PCIe Gen5 x16 link and the same Hopper die: measured within 5% */
  cr_assert(fabs(h100.pcie_bw / h200.pcie_bw - 1) < 0.05);
  cr_assert(fabs(h100.flops / h200.flops - 1) < 0.05);
  cr_assert(h200.hbm_bw > h100.hbm_bw && h200.d2d_bw > h100.d2d_bw);
  /* host DRAM passes more than one PCIe direction (the duplex copy) */
  cr_assert(h100.host_bw > h100.pcie_bw && h200.host_bw > h200.pcie_bw);
  /* VMM calls per 2 MiB handle within the spread of the calibrations
   * (results/2026-11-22-*, in isolation and in cycles: create 7.6-24.2 us,
   * set-access 19.4-44.0 us, unmap 12.9-28.6 us) and DESIGN.md's leads */
  kv_platform both[2] = {h100, h200};
  for (int i = 0; i < 2; i++) {
    cr_assert(both[i].vmm_create >= 5e-6 && both[i].vmm_create <= 30e-6);
    cr_assert(both[i].vmm_set_access >= 15e-6 &&
              both[i].vmm_set_access <= 50e-6);
    cr_assert(both[i].vmm_unmap >= 10e-6 && both[i].vmm_unmap <= 35e-6);
    cr_assert(both[i].vmm_map < both[i].vmm_create);
  }
}

Test(platform_preset, unknown_name_lists_valid_names) {
  kv_platform p;
  kv_error e = {0};
  cr_assert_eq(kv_platform_preset("a100", &p, &e), KV_ENOTFOUND);
  cr_assert(strstr(e.msg, "'a100'"), "%s", e.msg);
  cr_assert(strstr(e.msg, "h100-sxm-80gb"), "%s", e.msg);
  cr_assert(strstr(e.msg, "h200-141gb"), "%s", e.msg);
}

Test(platform_validate, negative_bandwidth_message) {
  kv_platform p = preset("h100-sxm-80gb");
  kv_error e = {0};
  p.pcie_bw = -1;
  cr_assert_eq(kv_platform_validate(&p, &e), KV_EINVAL);
  cr_assert_str_eq(e.msg, "platform field 'pcie_bw' must be > 0 (got -1)");
}

Test(platform_validate, each_bad_field_is_named) {
  kv_platform p;
  p = preset("h100-sxm-80gb"), p.hbm_bw = NAN, expect_bad(&p, "hbm_bw");
  p = preset("h100-sxm-80gb"), p.flops = 0, expect_bad(&p, "flops");
  p = preset("h100-sxm-80gb"), p.hbm_bytes = 0, expect_bad(&p, "hbm_bytes");
  p = preset("h100-sxm-80gb"), p.gpus_per_server = 0,
  expect_bad(&p, "gpus_per_server");
  p = preset("h100-sxm-80gb"), p.gpus_per_server = 9,
  expect_bad(&p, "gpus_per_server");
  p = preset("h100-sxm-80gb"), p.servers = 0, expect_bad(&p, "servers");
  p = preset("h100-sxm-80gb"), p.sms = 0, expect_bad(&p, "sms");
  p = preset("h100-sxm-80gb"), p.vmm_map = -1e-6, expect_bad(&p, "vmm_map");
  p = preset("h100-sxm-80gb"), p.vmm_granularity = 3 << 20,
  expect_bad(&p, "vmm_granularity");
  p = preset("h100-sxm-80gb"), p.gpus_per_uplink = 9,
  expect_bad(&p, "gpus_per_uplink");
  p = preset("h100-sxm-80gb"), p.copy_overhead = INFINITY,
  expect_bad(&p, "copy_overhead");
  p = preset("h100-sxm-80gb"), p.name[0] = '\0', expect_bad(&p, "name");
}

Test(platform_validate, tiers_needed_only_when_used) {
  kv_platform p = preset("h100-sxm-80gb");
  kv_error e = {0};
  /* one server: no NIC needed; several: the NIC must exist */
  p.nic_bw = 0;
  cr_assert_eq(kv_platform_validate(&p, &e), KV_OK, "%s", e.msg);
  p.servers = 2;
  expect_bad(&p, "nic_bw");
  /* a shared uplink needs a bandwidth */
  p = preset("h100-sxm-80gb");
  p.gpus_per_uplink = 2;
  p.uplink_bw = 0;
  expect_bad(&p, "uplink_bw");
  /* one GPU per server: no NVLink needed */
  p = preset("h100-sxm-80gb");
  p.gpus_per_server = 1;
  p.nvlink_bw = 0;
  cr_assert_eq(kv_platform_validate(&p, &e), KV_OK, "%s", e.msg);
}

/* ---- measured curves (core/base/curve.h) ---- */

static kv_curve curve3(double x0, double y0, double x1, double y1, double x2,
                       double y2) {
  kv_curve c = {.n = 3, .x = {x0, x1, x2}, .y = {y0, y1, y2}};
  return c;
}

Test(platform_curve, linear_between_points_flat_below_and_chosen_beyond) {
  kv_curve c = curve3(2, 10, 4, 20, 8, 24);
  cr_assert_float_eq(kv_curve_eval(&c, 1, KV_CURVE_FLAT), 10, 1e-12);
  cr_assert_float_eq(kv_curve_eval(&c, 3, KV_CURVE_FLAT), 15, 1e-12);
  cr_assert_float_eq(kv_curve_eval(&c, 6, KV_CURVE_FLAT), 22, 1e-12);
  cr_assert_float_eq(kv_curve_eval(&c, 8, KV_CURVE_LINEAR), 24, 1e-12);
  cr_assert_float_eq(kv_curve_eval(&c, 16, KV_CURVE_FLAT), 24, 1e-12);
  /* last slope 1 per unit: 24 + 8 */
  cr_assert_float_eq(kv_curve_eval(&c, 16, KV_CURVE_LINEAR), 32, 1e-12);
  kv_curve down = curve3(2, 10, 4, 20, 8, 12);
  cr_assert_float_eq(kv_curve_eval(&down, 100, KV_CURVE_LINEAR), 12, 1e-12);
}

Test(platform_curve, bad_curves_name_the_field_and_point) {
  kv_platform p = preset("h200-141gb");
  p.vmm_curve[KV_VMM_UNMAP] = curve3(2, 1e-6, 2, 2e-6, 8, 3e-6);
  expect_bad(&p, "vmm_unmap_curve");
  p = preset("h200-141gb");
  p.copy_d2h_curve = curve3(1, 1e-6, 2, -1, 3, 1e-6);
  expect_bad(&p, "copy_d2h_curve");
  p = preset("h200-141gb");
  p.vmm_busy[KV_VMM_CREATE] = -1;
  expect_bad(&p, "vmm_create_busy");
  p = preset("h200-141gb");
  p.vmm_after_step[KV_VMM_MAP] = NAN;
  expect_bad(&p, "vmm_map_after_step");
}

/* Without curves the scalar prices hold; with them, a call by size follows
 * the table (reserve flat past it, as measured; create on its last slope)
 * and the contexts scale it. */
/* A preset with its measured tables removed: the scalar prices. */
static kv_platform scalar_only(const char *name) {
  kv_platform p = preset(name);
  memset(p.vmm_curve, 0, sizeof p.vmm_curve);
  memset(&p.copy_h2d_curve, 0, sizeof p.copy_h2d_curve);
  memset(&p.copy_d2h_curve, 0, sizeof p.copy_d2h_curve);
  memset(&p.sm_copy_h2d_curve, 0, sizeof p.sm_copy_h2d_curve);
  memset(&p.sm_copy_d2h_curve, 0, sizeof p.sm_copy_d2h_curve);
  return p;
}

Test(platform_curve, vmm_price_by_size_and_context) {
  kv_platform p = scalar_only("h200-141gb");
  double mib = 1024.0 * 1024.0;
  cr_assert_float_eq(
      kv_platform_vmm_time(&p, KV_VMM_UNMAP, 2 * (uint64_t)mib, 0, 0),
      p.vmm_unmap, 1e-15);
  cr_assert_float_eq(
      kv_platform_vmm_time(&p, KV_VMM_UNMAP, 66 * (uint64_t)mib, 0, 0),
      p.vmm_unmap + 64 * p.vmm_unmap_per_mib, 1e-15);
  p.vmm_curve[KV_VMM_RESERVE] =
      curve3(2 * mib, 1e-6, 8 * mib, 2e-6, 64 * mib, 3e-6);
  p.vmm_curve[KV_VMM_CREATE] =
      curve3(2 * mib, 8e-6, 8 * mib, 8e-6, 64 * mib, 36e-6);
  cr_assert_float_eq(kv_platform_vmm_time(&p, KV_VMM_RESERVE, 1ull << 40, 0, 0),
                     3e-6, 1e-15);
  cr_assert_float_eq(
      kv_platform_vmm_time(&p, KV_VMM_CREATE, 120 * (uint64_t)mib, 0, 0), 64e-6,
      1e-12);
  p.vmm_busy[KV_VMM_CREATE] = 1.5;
  p.vmm_after_step[KV_VMM_CREATE] = 1.25;
  cr_assert_float_eq(
      kv_platform_vmm_time(&p, KV_VMM_CREATE, 2 * (uint64_t)mib, 1, 0), 12e-6,
      1e-15);
  cr_assert_float_eq(
      kv_platform_vmm_time(&p, KV_VMM_CREATE, 2 * (uint64_t)mib, 0, 1), 10e-6,
      1e-15);
}

/* ---- the live-handle effect (vmm_<call>_live) ---- */

/* Factor 1 with nothing else live, linear to the first point and between
 * points, flat past the last; no table: 1 at every count. */
Test(platform_vmm_live, factor_from_one_at_zero_flat_past_the_table) {
  kv_platform p = scalar_only("h200-141gb");
  cr_assert_eq(kv_platform_vmm_live_factor(&p, KV_VMM_MAP, 1000), 1.0);
  p.vmm_live[KV_VMM_MAP] =
      (kv_curve){.n = 2, .x = {128, 1024}, .y = {1.2, 1.5}};
  cr_assert_eq(kv_platform_vmm_live_factor(&p, KV_VMM_MAP, 0), 1.0);
  cr_assert_float_eq(kv_platform_vmm_live_factor(&p, KV_VMM_MAP, 64), 1.1,
                     1e-12);
  cr_assert_float_eq(kv_platform_vmm_live_factor(&p, KV_VMM_MAP, 128), 1.2,
                     1e-12);
  cr_assert_float_eq(kv_platform_vmm_live_factor(&p, KV_VMM_MAP, 576), 1.35,
                     1e-12);
  cr_assert_float_eq(kv_platform_vmm_live_factor(&p, KV_VMM_MAP, 1e6), 1.5,
                     1e-12);
  cr_assert_eq(kv_platform_vmm_live_factor(&p, KV_VMM_UNMAP, 128), 1.0,
               "other calls keep their own (empty) table");
  double mib = 1024.0 * 1024.0;
  p.vmm_busy[KV_VMM_MAP] = 2.0;
  cr_assert_float_eq(
      kv_platform_vmm_time_live(&p, KV_VMM_MAP, 2 * (uint64_t)mib, 128, 1, 0),
      p.vmm_map * 1.2 * 2.0, 1e-15);
  cr_assert_eq(
      kv_platform_vmm_time_live(&p, KV_VMM_MAP, 2 * (uint64_t)mib, 0, 1, 0),
      kv_platform_vmm_time(&p, KV_VMM_MAP, 2 * (uint64_t)mib, 1, 0));
}

Test(platform_vmm_live, bad_live_tables_name_the_field) {
  kv_platform p = preset("h200-141gb");
  p.vmm_live[KV_VMM_RELEASE] = (kv_curve){.n = 2, .x = {128, 64}, .y = {1, 1}};
  expect_bad(&p, "vmm_release_live");
  p = preset("h200-141gb");
  p.vmm_live[KV_VMM_CREATE] = (kv_curve){.n = 1, .x = {128}, .y = {-0.5}};
  expect_bad(&p, "vmm_create_live");
  p = preset("h200-141gb");
  p.vmm_live[KV_VMM_FREE_VA] = (kv_curve){.n = 1, .x = {128}, .y = {1e4}};
  expect_bad(&p, "vmm_free_va_live");
  p = preset("h200-141gb");
  p.vmm_grow[KV_VMM_MAP] = (kv_curve){.n = 2, .x = {4, 2}, .y = {1, 1}};
  expect_bad(&p, "vmm_map_grow");
  p = preset("h200-141gb");
  p.vmm_live_va[KV_VMM_RESERVE] = (kv_curve){.n = 1, .x = {64}, .y = {2e3}};
  expect_bad(&p, "vmm_reserve_live_va");
}

static kv_op vmm_op(kv_op_kind k, uint32_t count, int bg) {
  kv_op op = {.kind = (uint8_t)k, .count = count, .bytes = 2u << 20};
  op.flags = bg ? KV_OPF_BACKGROUND : 0;
  return op;
}

/* kv_vmm_op_time counts live handles from the op stream (creates add,
 * releases take away, never below 0) and prices each call at the other
 * handles it sees: a create those before it, a call on a handle those
 * beside it. */
Test(platform_vmm_live, op_stream_counts_live_handles) {
  kv_platform p = scalar_only("h200-141gb");
  for (int k = 0; k < KV_VMM__COUNT; k++)
    p.vmm_live[k] = (kv_curve){.n = 1, .x = {100}, .y = {2.0}};
  kv_vmm_state st = {0};
  kv_op c = vmm_op(KV_OP_VMM_CREATE, 101, 0);
  /* the creates see 0 .. 100 others: mean 50, factor 1.5 (no growth
   * table: growing costs what any create does) */
  double t = kv_vmm_op_time(&p, &c, &st);
  cr_assert_eq(st.handles, 101);
  cr_assert_eq(st.bytes, 101ull << 21);
  cr_assert_float_eq(
      t, 101 * kv_platform_vmm_time(&p, KV_VMM_CREATE, 2u << 20, 0, 1) * 1.5,
      1e-15);
  kv_op m = vmm_op(KV_OP_VMM_MAP, 1, 1);
  cr_assert_float_eq(kv_vmm_op_time(&p, &m, &st),
                     kv_platform_vmm_time(&p, KV_VMM_MAP, 2u << 20, 1, 0) * 2.0,
                     1e-15, "100 others beside the handle");
  cr_assert_eq(st.handles, 101);
  kv_op r = vmm_op(KV_OP_VMM_RELEASE, 500, 0);
  kv_vmm_op_time(&p, &r, &st);
  cr_assert_eq(st.handles, 0, "releases never take the count below 0");
  cr_assert_eq(st.bytes, 0);
  cr_assert_eq(st.high, 101ull << 21, "the high-water mark stays");
  kv_op v = vmm_op(KV_OP_VMM_RESERVE, 1, 0);
  cr_assert_eq(kv_vmm_op_time(&p, &v, &st), kv_ideal_op_time(&p, &v),
               "nothing live: the isolated price");
}

/* Growth: creates that take the live bytes past their high-water mark,
 * and as many maps and set-accesses after them, cost the growth table;
 * a create that only refills what was released does not. */
Test(platform_vmm_live, growth_priced_from_its_table) {
  kv_platform p = scalar_only("h200-141gb");
  const uint64_t g = 2u << 20;
  p.vmm_grow[KV_VMM_CREATE] =
      (kv_curve){.n = 2, .x = {g, 32.0 * g}, .y = {50e-6, 100e-6}};
  p.vmm_grow[KV_VMM_MAP] = (kv_curve){.n = 1, .x = {g}, .y = {7e-6}};
  kv_vmm_state st = {0};
  double t; /* each call moves st: priced once */
  kv_op c = vmm_op(KV_OP_VMM_CREATE, 3, 0);
  double iso = kv_platform_vmm_time(&p, KV_VMM_CREATE, g, 0, 1);
  t = kv_vmm_op_time(&p, &c, &st);
  cr_assert_float_eq(t, 3 * 50e-6, 1e-15, "three growth creates");
  cr_assert_eq(st.grow_map, 3);
  kv_op m = vmm_op(KV_OP_VMM_MAP, 4, 0);
  double map1 = kv_platform_vmm_time_live(&p, KV_VMM_MAP, g, 2, 0, 1);
  t = kv_vmm_op_time(&p, &m, &st);
  cr_assert_float_eq(t, 3 * 7e-6 + map1, 1e-15,
                     "three growth maps, the fourth priced as any");
  kv_op a = vmm_op(KV_OP_VMM_SET_ACCESS, 3, 0);
  double acc = kv_platform_vmm_time_live(&p, KV_VMM_SET_ACCESS, g, 2, 0, 1);
  t = kv_vmm_op_time(&p, &a, &st);
  cr_assert_float_eq(t, 3 * acc, 1e-15,
                     "no set-access growth table: priced as any");
  kv_op r = vmm_op(KV_OP_VMM_RELEASE, 1, 0);
  kv_vmm_op_time(&p, &r, &st);
  kv_op c1 = vmm_op(KV_OP_VMM_CREATE, 1, 0);
  t = kv_vmm_op_time(&p, &c1, &st);
  cr_assert_float_eq(t, iso * 1.0, 1e-15, "a refill is not growth");
  kv_op c2 = vmm_op(KV_OP_VMM_CREATE, 2, 0);
  c2.bytes = 16 * g;
  /* 2 x 32 MiB past a high-water mark of 6 MiB: both grow, priced at 32
   * MiB on the line from (2 MiB, 50 us) to (64 MiB, 100 us) */
  t = kv_vmm_op_time(&p, &c2, &st);
  cr_assert_float_eq(t, 2 * (50e-6 + 50e-6 * 15.0 / 31.0), 1e-12);
  cr_assert_eq(st.high, 70ull << 20);
}

/* A call after a gap: in a clocked state the first call of a kind made the
 * table's smallest gap or more after the last call of that kind ended
 * costs the gap table (by handle bytes, log-interpolated between rows);
 * the op's other calls, a kind's first call ever and calls in a series
 * keep their price; an unclocked state never reads the table. */
Test(platform_vmm_live, first_call_after_a_gap_priced_from_its_table) {
  kv_platform p = scalar_only("h200-141gb");
  const uint64_t g = 2u << 20;
  p.vmm_gap[KV_VMM_CREATE] =
      (kv_grid){.n = 2,
                .u = {(double)g, 32.0 * g},
                .row = {{.n = 2, .x = {1e-3, 11e-3}, .y = {20e-6, 70e-6}},
                        {.n = 2, .x = {1e-3, 11e-3}, .y = {40e-6, 140e-6}}}};
  double one = kv_platform_vmm_time(&p, KV_VMM_CREATE, g, 0, 1);
  kv_vmm_state st = {0};
  st.clocked = 1;
  st.now = 5.0;
  kv_op c = vmm_op(KV_OP_VMM_CREATE, 1, 0);
  st.high = UINT64_MAX; /* nothing grows */
  double t = kv_vmm_op_time(&p, &c, &st);
  cr_assert_float_eq(t, one, 1e-15, "a kind's first call ever: as any");
  cr_assert_float_eq(st.last[KV_VMM_CREATE], 5.0 + one, 1e-12,
                     "the call ends at now + its price");
  cr_assert_float_eq(st.now, 5.0 + one, 1e-12, "now moves past the op");
  st.now += 6e-3; /* 6 ms later: halfway along the 2 MiB row */
  kv_op c3 = vmm_op(KV_OP_VMM_CREATE, 3, 0);
  t = kv_vmm_op_time(&p, &c3, &st);
  /* the i-th of three creates sees 1 + i others: 2 on average */
  double others = kv_platform_vmm_time_live(&p, KV_VMM_CREATE, g, 2, 0, 1);
  cr_assert_float_eq(t, 45e-6 + 2 * others, 1e-12,
                     "the first call from the table, two as any");
  t = kv_vmm_op_time(&p, &c, &st);
  cr_assert(t < 45e-6, "right after: a call in a series");
  st.now += 1.0; /* past the rows' last gap: flat */
  kv_op big = vmm_op(KV_OP_VMM_CREATE, 1, 0);
  big.bytes = 8 * g; /* 3/5 of the way between the rows in log bytes */
  t = kv_vmm_op_time(&p, &big, &st);
  cr_assert_float_eq(t, 70e-6 + 0.6 * 70e-6, 1e-12);
  kv_vmm_state cold = {0};
  cold.high = UINT64_MAX;
  cold.called = ~0u; /* unclocked: called and last are not read */
  t = kv_vmm_op_time(&p, &c, &cold);
  cr_assert_float_eq(t, one, 1e-15, "no clock, no gap");
  cr_assert_lt(kv_platform_vmm_gap_time(&p, KV_VMM_MAP, g, 1.0), 0,
               "no table for map");
  cr_assert_lt(kv_platform_vmm_gap_time(&p, KV_VMM_CREATE, g, 0.5e-3), 0,
               "below the smallest gap: a series");
}

/* A gap table is a grid of seconds: an entry above a second (a unit
 * mistake) is refused, naming the field. */
Test(platform_vmm_live, gap_table_is_checked) {
  kv_platform p = scalar_only("h200-141gb");
  p.vmm_gap[KV_VMM_UNMAP] =
      (kv_grid){.n = 1,
                .u = {2097152},
                .row = {{.n = 2, .x = {1e-3, 1e-2}, .y = {20e-6, 70.0}}}};
  kv_error e = {0};
  cr_assert_eq(kv_platform_validate(&p, &e), KV_EINVAL);
  cr_assert(strstr(e.msg, "vmm_unmap_gap"), "%s", e.msg);
}

/* Reservations among live reservations: the live-range factor, reserves
 * counting up, frees counting down. */
Test(platform_vmm_live, reserve_priced_by_live_ranges) {
  kv_platform p = scalar_only("h200-141gb");
  p.vmm_live_va[KV_VMM_RESERVE] = (kv_curve){.n = 1, .x = {10}, .y = {3.0}};
  kv_vmm_state st = {0};
  double t; /* each call moves st: priced once */
  kv_op v = vmm_op(KV_OP_VMM_RESERVE, 11, 0);
  double one = kv_platform_vmm_time(&p, KV_VMM_RESERVE, 2u << 20, 0, 1);
  /* 0 .. 10 other ranges, mean 5: factor 2 */
  t = kv_vmm_op_time(&p, &v, &st);
  cr_assert_float_eq(t, 11 * one * 2.0, 1e-15);
  cr_assert_eq(st.ranges, 11);
  kv_op f = vmm_op(KV_OP_VMM_FREE_VA, 11, 0);
  double free1 = kv_platform_vmm_time(&p, KV_VMM_FREE_VA, 2u << 20, 0, 1);
  t = kv_vmm_op_time(&p, &f, &st);
  cr_assert_float_eq(t, 11 * free1, 1e-15, "no free_va table: factor 1");
  cr_assert_eq(st.ranges, 0);
  cr_assert_float_eq(kv_platform_vmm_live_va_factor(&p, KV_VMM_CREATE, 50), 1.0,
                     1e-15, "only address-space calls");
}

/* The H100 preset carries its report's live tables: among 128 live handles
 * an idle call costs what results/2026-11-22-h100-validate-4 measured (2
 * MiB: create 7.30 us, unmap 15.21 us), and after a step 9.17 / 18.19 us. */
Test(platform_vmm_live, h100_preset_prices_the_measured_contexts) {
  kv_platform p = preset("h100-sxm-80gb");
  uint64_t g = 2u << 20;
  cr_assert_float_eq(kv_platform_vmm_time_live(&p, KV_VMM_CREATE, g, 128, 0, 0),
                     7.30e-6, 0.01e-6);
  cr_assert_float_eq(kv_platform_vmm_time_live(&p, KV_VMM_UNMAP, g, 128, 0, 0),
                     15.21e-6, 0.02e-6);
  cr_assert_float_eq(kv_platform_vmm_time_live(&p, KV_VMM_CREATE, g, 128, 0, 1),
                     9.17e-6, 0.02e-6);
  cr_assert_float_eq(kv_platform_vmm_time_live(&p, KV_VMM_UNMAP, g, 128, 0, 1),
                     18.19e-6, 0.03e-6);
  cr_assert_float_eq(kv_platform_vmm_time_live(&p, KV_VMM_UNMAP, g, 0, 0, 0),
                     13.40e-6, 0.01e-6, "in isolation");
}

/* Per-copy cost by direction and size from the copy curves; SM copies by
 * SMs from theirs, else SMs x per-SM rate capped at PCIe. */
Test(platform_curve, copy_overhead_and_sm_rate) {
  kv_platform p = scalar_only("h200-141gb");
  cr_assert_float_eq(kv_platform_copy_overhead(&p, 1, 4096), p.copy_overhead,
                     1e-15);
  p.copy_h2d_curve =
      curve3(4096, 2.61e-6, 65536, 3.85e-6, 268435456, 4848.76e-6);
  double want = 3.85e-6 - 65536 / p.pcie_bw;
  cr_assert_float_eq(kv_platform_copy_overhead(&p, 1, 65536), want, 1e-15);
  cr_assert_float_eq(kv_platform_copy_overhead(&p, 0, 65536), p.copy_overhead,
                     1e-15);
  cr_assert_float_eq(kv_platform_sm_copy_bw(&p, 1, 1, 0), p.sm_copy_bw_per_sm,
                     1);
  cr_assert_float_eq(kv_platform_sm_copy_bw(&p, 1, 32, 0), p.pcie_bw, 1);
  p.sm_copy_h2d_curve = curve3(1, 32e9, 2, 51e9, 32, 51.1e9);
  cr_assert_float_eq(kv_platform_sm_copy_bw(&p, 1, 8, 0), 51e9 + 0.1e9 * 6 / 30,
                     1e3);
  cr_assert_float_eq(kv_platform_sm_copy_bw(&p, 1, 64, 0), 51.1e9, 1);
}

/* The SM copy's page factor: interpolated in log page bytes between the
 * points, flat past both ends, 1 without a curve or an unknown page. */
Test(platform_curve, sm_copy_page_factor_interpolates_in_log_page_and_clamps) {
  kv_platform p = scalar_only("h200-141gb");
  memset(&p.sm_copy_page_h2d_curve, 0, sizeof p.sm_copy_page_h2d_curve);
  memset(&p.sm_copy_page_d2h_curve, 0, sizeof p.sm_copy_page_d2h_curve);
  cr_assert_eq(kv_platform_sm_copy_page_factor(&p, 1, 256), 1.0);
  p.sm_copy_page_h2d_curve = curve3(256, 0.5, 4096, 0.9, 65536, 1.0);
  cr_assert_float_eq(kv_platform_sm_copy_page_factor(&p, 1, 256), 0.5, 1e-12);
  /* 1 KiB is half way from 256 B to 4 KiB in log bytes */
  cr_assert_float_eq(kv_platform_sm_copy_page_factor(&p, 1, 1024), 0.7, 1e-12);
  cr_assert_float_eq(kv_platform_sm_copy_page_factor(&p, 1, 16384), 0.95,
                     1e-12);
  cr_assert_float_eq(kv_platform_sm_copy_page_factor(&p, 1, 64), 0.5, 1e-12);
  cr_assert_float_eq(kv_platform_sm_copy_page_factor(&p, 1, 1 << 30), 1.0,
                     1e-12);
  cr_assert_eq(kv_platform_sm_copy_page_factor(&p, 1, 0), 1.0);
  cr_assert_eq(kv_platform_sm_copy_page_factor(&p, 0, 256), 1.0,
               "d2h has no curve");
  double full = kv_platform_sm_copy_bw(&p, 1, 8, 0);
  cr_assert_float_eq(kv_platform_sm_copy_bw(&p, 1, 8, 1024), 0.7 * full, 1);
  p.sm_copy_page_h2d_curve.x[1] = 128; /* not increasing */
  expect_bad(&p, "sm_copy_page_h2d_curve");
}

/* The page x SMs grid: each row by SMs, linear in log page between rows;
 * the factor is taken at the copy's SMs and replaces the 8-SM page curve;
 * bad rows are errors naming the field. Rates of the H200 report
 * (results/2026-12-05-h200-compute, H2D, GB/s). */
Test(platform_curve, sm_copy_grid_prices_page_and_sms_jointly) {
  kv_platform p = scalar_only("h200-141gb");
  p.sm_copy_page_h2d_curve = curve3(256, 0.625, 4096, 0.999, 65536, 1.0);
  kv_grid *g = &p.sm_copy_grid_h2d;
  g->n = 3;
  g->u[0] = 256, g->row[0] = curve3(1, 4.24e9, 8, 31.91e9, 16, 50.58e9);
  g->u[1] = 4096, g->row[1] = curve3(1, 32.17e9, 8, 50.98e9, 16, 51.02e9);
  g->u[2] = 65536, g->row[2] = curve3(1, 35.28e9, 8, 51.02e9, 16, 51.09e9);
  p.sm_copy_h2d_curve = g->row[2];
  kv_error e = {0};
  cr_assert_eq(kv_platform_validate(&p, &e), KV_OK, "%s", e.msg);
  /* at 1 SM a 256-byte page moves 4.24 GB/s (the 8-SM factor: 22 GB/s) */
  cr_assert_float_eq(kv_platform_sm_copy_bw(&p, 1, 1, 256), 4.24e9, 1e3);
  cr_assert_float_eq(kv_platform_sm_copy_factor(&p, 1, 256, 8), 31.91 / 51.02,
                     1e-12);
  cr_assert_float_eq(kv_platform_sm_copy_factor(&p, 1, 256, 16), 50.58 / 51.09,
                     1e-12);
  /* 1 KiB: half way from 256 B to 4 KiB in log bytes, at 1 SM */
  double half = (4.24 + 32.17) / 2 / 35.28;
  cr_assert_float_eq(kv_platform_sm_copy_factor(&p, 1, 1024, 1), half, 1e-12);
  /* past the rows: flat; no grid in d2h: its 8-SM page curve */
  cr_assert_float_eq(kv_platform_sm_copy_factor(&p, 1, 64, 1), 4.24 / 35.28,
                     1e-12);
  cr_assert_float_eq(kv_platform_sm_copy_factor(&p, 1, 1 << 20, 1), 1.0, 1e-12);
  cr_assert_eq(kv_platform_sm_copy_factor(&p, 0, 256, 1),
               kv_platform_sm_copy_page_factor(&p, 0, 256));
  g->u[1] = 200; /* not increasing */
  expect_bad(&p, "sm_copy_grid_h2d");
  g->u[1] = 4096;
  g->row[1].n = 0;
  expect_bad(&p, "sm_copy_grid_h2d");
  g->row[1] = curve3(1, 32.17e9, 8, 50.98e9, 16, 1e20);
  expect_bad(&p, "sm_copy_grid_h2d");
}

/* ---- SM copies by threads per block ---- */

static double rel_err(double a, double b) {
  return fabs(a - b) / fmax(fabs(a), fabs(b));
}

/* Without a threads grid: k SMs of T threads move what k x T / 1024 SMs
 * of the library kernel move (below the SM curve's first point in
 * proportion), capped by the measured SM-copy plateau, not by PCIe; the
 * library kernel's block size (or 0) is kv_platform_sm_copy_bw itself. */
Test(platform_sm_threads, rule_scales_sms_by_threads_up_to_the_sm_cap) {
  kv_platform p = preset("h100-sxm-80gb");
  cr_assert_eq(p.sm_copy_threads_grid_h2d.n, 0);
  for (int h2d = 0; h2d < 2; h2d++)
    for (double page = 0; page <= 65536; page += 4096)
      for (double k = 1; k <= 8; k *= 2) {
        double want = kv_platform_sm_copy_bw(&p, h2d, k, page);
        cr_assert_eq(kv_platform_sm_copy_bw_threads(&p, h2d, k, page, 0), want);
        cr_assert_eq(kv_platform_sm_copy_bw_threads(&p, h2d, k, page, 1024),
                     want);
        double at256 =
            kv_platform_sm_copy_bw_threads(&p, h2d, 4 * k, page, 256);
        cr_assert(rel_err(at256, want) < 1e-12,
                  "h2d %d, page %g: 256 x %g SMs %g, 1024 x %g SMs %g", h2d,
                  page, 4 * k, at256, k, want);
      }
  /* fewer threads than one SM-equivalent: in proportion (1 SM of 128 is
   * an eighth of 1 SM of 1024) */
  double one = kv_platform_sm_copy_bw(&p, 1, 1, 0);
  cr_assert(rel_err(kv_platform_sm_copy_bw_threads(&p, 1, 1, 0, 128), one / 8) <
            1e-12);
  /* many SMs: the measured SM-copy plateau (the curve's last point), below
   * PCIe peak, not PCIe peak */
  double cap = p.sm_copy_h2d_curve.y[p.sm_copy_h2d_curve.n - 1];
  double big = kv_platform_sm_copy_bw_threads(&p, 1, 132, 0, 256);
  cr_assert(rel_err(big, cap) < 1e-12, "%g vs cap %g", big, cap);
  cr_assert_lt(big, p.pcie_bw);
  /* no SM curve: sm_copy_bw_per_sm per SM-equivalent, capped at pcie_bw */
  kv_platform q = scalar_only("h100-sxm-80gb");
  cr_assert(rel_err(kv_platform_sm_copy_bw_threads(&q, 1, 8, 0, 128),
                    q.sm_copy_bw_per_sm) < 1e-12);
  cr_assert(rel_err(kv_platform_sm_copy_bw_threads(&q, 1, 2, 0, 256),
                    q.sm_copy_bw_per_sm / 2) < 1e-12);
  cr_assert_eq(kv_platform_sm_copy_bw_threads(&q, 1, 132, 0, 512), q.pcie_bw);
}

/* A measured threads x SMs grid: rows by threads per block, linear in log
 * threads between them, linear in SMs along a row, flat past the ends,
 * times the page factor; the library kernel's block size keeps the SM
 * curve; a direction without a grid keeps the rule. */
Test(platform_sm_threads, grid_interpolates_threads_and_sms) {
  kv_platform p = preset("h100-sxm-80gb");
  kv_grid *g = &p.sm_copy_threads_grid_h2d;
  g->n = 2;
  g->u[0] = 128, g->row[0] = curve3(1, 4e9, 8, 20e9, 32, 44e9);
  g->u[1] = 512, g->row[1] = curve3(1, 16e9, 8, 48e9, 32, 50e9);
  kv_error e = {0};
  cr_assert_eq(kv_platform_validate(&p, &e), KV_OK, "%s", e.msg);
  double page = 65536; /* the page factor's reference: 1 */
  cr_assert_float_eq(kv_platform_sm_copy_bw_threads(&p, 1, 8, page, 128), 20e9,
                     1);
  /* 256 threads: half way from 128 to 512 in log threads */
  cr_assert_float_eq(kv_platform_sm_copy_bw_threads(&p, 1, 8, page, 256), 34e9,
                     1);
  /* 20 SMs: half way from 8 to 32 along the 128-thread row */
  cr_assert_float_eq(kv_platform_sm_copy_bw_threads(&p, 1, 20, page, 128), 32e9,
                     1);
  /* flat past the rows and past the last SM point */
  cr_assert_float_eq(kv_platform_sm_copy_bw_threads(&p, 1, 8, page, 64), 20e9,
                     1);
  cr_assert_float_eq(kv_platform_sm_copy_bw_threads(&p, 1, 8, page, 768), 48e9,
                     1);
  cr_assert_float_eq(kv_platform_sm_copy_bw_threads(&p, 1, 132, page, 512),
                     50e9, 1);
  /* times the page factor at the copy's SMs */
  p.sm_copy_page_h2d_curve = curve3(256, 0.5, 4096, 0.8, 65536, 1.0);
  cr_assert_float_eq(kv_platform_sm_copy_bw_threads(&p, 1, 8, 4096, 128),
                     0.8 * 20e9, 1);
  /* the library kernel's block size: the SM curve, as without the grid */
  cr_assert_eq(kv_platform_sm_copy_bw_threads(&p, 1, 8, 4096, 1024),
               kv_platform_sm_copy_bw(&p, 1, 8, 4096));
  /* d2h has no grid: the resident-threads rule */
  cr_assert(rel_err(kv_platform_sm_copy_bw_threads(&p, 0, 8, 0, 256),
                    kv_platform_sm_copy_bw(&p, 0, 2, 0)) < 1e-12);
}

/* Bad threads grids: errors name the field and the row. */
Test(platform_sm_threads, bad_threads_grid_is_named) {
  kv_platform p = preset("h100-sxm-80gb");
  kv_grid *g = &p.sm_copy_threads_grid_d2h;
  g->n = 2;
  g->u[0] = 128, g->row[0] = curve3(1, 4e9, 8, 20e9, 32, 44e9);
  g->u[1] = 512, g->row[1] = curve3(1, 16e9, 8, 48e9, 32, 50e9);
  kv_error e = {0};
  cr_assert_eq(kv_platform_validate(&p, &e), KV_OK, "%s", e.msg);
  g->u[1] = 500; /* not a whole number of warps */
  expect_bad(&p, "sm_copy_threads_grid_d2h");
  kv_platform_validate(&p, &e);
  cr_assert(strstr(e.msg, "row 2 has key 500 (threads per block: a whole "
                          "multiple of 32 from 32 to 1024)"),
            "%s", e.msg);
  g->u[1] = 2048; /* more than a block holds */
  expect_bad(&p, "sm_copy_threads_grid_d2h");
  g->u[1] = 96; /* not increasing */
  expect_bad(&p, "sm_copy_threads_grid_d2h");
  g->u[1] = 512;
  g->row[1].n = 0;
  expect_bad(&p, "sm_copy_threads_grid_d2h");
  g->row[1] = curve3(1, 16e9, 8, 48e9, 32, 1e20);
  expect_bad(&p, "sm_copy_threads_grid_d2h");
  p.sm_copy_threads_grid_d2h.n = 0;
  p.sm_copy_threads_grid_h2d.n = 1;
  p.sm_copy_threads_grid_h2d.u[0] = 0;
  p.sm_copy_threads_grid_h2d.row[0] = curve3(1, 4e9, 8, 20e9, 32, 44e9);
  expect_bad(&p, "sm_copy_threads_grid_h2d");
}

static kv_op kernel_copy_op(kv_copy_dir dir, uint64_t bytes, uint32_t runs) {
  kv_op op;
  memset(&op, 0, sizeof op);
  op.kind = KV_OP_COPY;
  op.dir = (uint8_t)dir;
  op.via = KV_VIA_KERNEL;
  op.count = runs;
  op.bytes = bytes;
  return op;
}

/* A kernel copy of 256-byte runs is priced at the page curve's factor of
 * one of 64 KiB runs; without the curve both cost the old price. */
Test(platform_curve, kernel_copy_of_small_pages_is_slower_when_measured) {
  kv_platform p = preset("h200-141gb");
  uint64_t bytes = 64ull << 20;
  kv_op small = kernel_copy_op(KV_COPY_H2D, bytes, (uint32_t)(bytes / 256));
  kv_op big = kernel_copy_op(KV_COPY_H2D, bytes, (uint32_t)(bytes / 65536));
  kv_op d2h = kernel_copy_op(KV_COPY_D2H, bytes, (uint32_t)(bytes / 256));
  memset(&p.sm_copy_page_h2d_curve, 0, sizeof p.sm_copy_page_h2d_curve);
  memset(&p.sm_copy_page_d2h_curve, 0, sizeof p.sm_copy_page_d2h_curve);
  double old =
      p.kernel_launch +
      (double)bytes / kv_curve_eval(&p.sm_copy_h2d_curve, 8, KV_CURVE_FLAT);
  cr_assert_eq(kv_ideal_op_time(&p, &small), old);
  cr_assert_eq(kv_ideal_op_time(&p, &big), old);
  double old_d2h =
      p.kernel_launch +
      (double)bytes / kv_curve_eval(&p.sm_copy_d2h_curve, 8, KV_CURVE_FLAT);
  cr_assert_eq(kv_ideal_op_time(&p, &d2h), old_d2h);
  p.sm_copy_page_h2d_curve = curve3(256, 0.625, 4096, 1.0, 65536, 1.0);
  double ts = kv_ideal_op_time(&p, &small), tb = kv_ideal_op_time(&p, &big);
  cr_assert_eq(tb, old, "64 KiB runs: the largest page, factor 1");
  cr_assert(ts > tb, "256 B runs %.6g s, 64 KiB runs %.6g s", ts, tb);
  cr_assert_float_eq(ts - p.kernel_launch, (old - p.kernel_launch) / 0.625,
                     1e-12);
  cr_assert_eq(kv_ideal_op_time(&p, &d2h), old_d2h, "D2H has no page curve");
}

/* The presets carry their calibration's tables: a 1 TiB reservation costs
 * what the largest measured range did (flat), not a per-MiB slope. */
Test(platform_curve, presets_price_reservations_flat_past_the_table) {
  const char *names[] = {"h100-sxm-80gb", "h200-141gb"};
  for (int i = 0; i < 2; i++) {
    kv_platform p = preset(names[i]);
    cr_assert_gt(p.vmm_curve[KV_VMM_RESERVE].n, 1, "%s", names[i]);
    double big = kv_platform_vmm_time(&p, KV_VMM_RESERVE, 1ull << 40, 0, 0);
    double last =
        p.vmm_curve[KV_VMM_RESERVE].y[p.vmm_curve[KV_VMM_RESERVE].n - 1];
    cr_assert_float_eq(big, last, 1e-15, "%s: %g", names[i], big);
    cr_assert_lt(big, 1e-4);
  }
}

/* ---- batched DMA (KV_VIA_BATCH) ---- */

/* The example calibration's batch curves (kernels/testdata/calibrate.txt):
 * s per entry of one cudaMemcpyBatchAsync by entry bytes. */
static void example_batch(kv_platform *p) {
  kv_curve h = {.n = 4,
                .x = {4096, 16384, 65536, 262144},
                .y = {1.18e-6, 1.408e-6, 2.317e-6, 5.957e-6}};
  p->batch_h2d_curve = h;
  p->batch_call = 58.3e-6;
}

static kv_op batch_op(kv_copy_via via, kv_copy_dir dir, uint32_t runs,
                      uint64_t run_bytes) {
  kv_op op;
  memset(&op, 0, sizeof op);
  op.kind = KV_OP_COPY;
  op.dir = (uint8_t)dir;
  op.via = (uint8_t)via;
  op.count = runs;
  op.bytes = runs * run_bytes;
  return op;
}

/* With a batch curve a batched copy costs its call plus its entries at the
 * curve's time for the mean entry (linear between measured sizes); without
 * one, one copy's overhead once per call (the fallback). */
Test(platform_batch, overhead_from_the_curve_else_one_copy_overhead) {
  kv_platform p = preset("h200-141gb");
  cr_assert(!kv_platform_has_batch_curve(&p, 1), "presets carry no batch "
                                                 "curves (not measured)");
  /* fallback: one copy's overhead at the mean entry size, whatever the
   * number of entries */
  cr_assert_float_eq(kv_platform_batch_overhead(&p, 1, 64, 64 * 65536),
                     kv_platform_copy_overhead(&p, 1, 65536), 1e-15);
  cr_assert_float_eq(kv_platform_batch_overhead(&p, 0, 1000, 1000 * 4096),
                     kv_platform_copy_overhead(&p, 0, 4096), 1e-15);
  example_batch(&p);
  cr_assert(kv_platform_has_batch_curve(&p, 1));
  cr_assert(!kv_platform_has_batch_curve(&p, 0));
  double want = 64 * 2.317e-6 - 64 * 65536.0 / p.pcie_bw;
  cr_assert_float_eq(kv_platform_batch_overhead(&p, 1, 64, 64 * 65536), want,
                     1e-15);
  /* between 16 and 64 KiB: linear in bytes (mean entry 40 KiB) */
  double y40 = 1.408e-6 + (2.317e-6 - 1.408e-6) * (40960.0 - 16384) / 49152;
  cr_assert_float_eq(kv_platform_batch_overhead(&p, 1, 10, 10 * 40960),
                     10 * y40 - 10 * 40960.0 / p.pcie_bw, 1e-15);
  /* never below 0 (large entries at the link's rate) */
  cr_assert_geq(kv_platform_batch_overhead(&p, 1, 2, 2ull << 30), 0);
}

Test(platform_batch, ideal_batch_of_small_runs_costs_less_than_per_run_copies) {
  kv_platform p = preset("h100-sxm-80gb");
  /* the fallback already charges the copy overhead once, not per run */
  kv_op eng = batch_op(KV_VIA_ENGINE, KV_COPY_H2D, 256, 16384);
  kv_op bat = batch_op(KV_VIA_BATCH, KV_COPY_H2D, 256, 16384);
  double te = kv_ideal_op_time(&p, &eng), tb = kv_ideal_op_time(&p, &bat);
  cr_assert_float_eq(
      tb, kv_platform_copy_overhead(&p, 1, 16384) + 256 * 16384.0 / p.pcie_bw,
      1e-15);
  cr_assert_lt(tb, te);
  /* with the curve: call + entries x curve(mean), the latency inside */
  example_batch(&p);
  eng = batch_op(KV_VIA_ENGINE, KV_COPY_H2D, 64, 65536);
  bat = batch_op(KV_VIA_BATCH, KV_COPY_H2D, 64, 65536);
  tb = kv_ideal_op_time(&p, &bat);
  cr_assert_float_eq(tb, p.batch_call + 64 * 2.317e-6, 1e-15);
  cr_assert_lt(tb, kv_ideal_op_time(&p, &eng),
               "curve says 2.3 us an entry "
               "against 3.7 us a copy");
  /* a batch curve that is slower than per-run copies prices it so */
  p.batch_h2d_curve.y[2] = 10e-6;
  cr_assert_gt(kv_ideal_op_time(&p, &bat), kv_ideal_op_time(&p, &eng));
  /* D2D: the call and one copy overhead */
  kv_op d = batch_op(KV_VIA_BATCH, KV_COPY_D2D, 10, 1 << 20);
  cr_assert_float_eq(kv_ideal_op_time(&p, &d),
                     p.batch_call + p.copy_overhead +
                         10.0 * (1 << 20) / (p.d2d_bw / 2),
                     1e-15);
}

/* Host time of a batched call by its entries: the scalar for every call
 * without a table; with one point, the measured time per entry times the
 * entries; with two, linear between them and proportional below. */
Test(platform_batch, call_host_time_by_entries) {
  kv_platform p = preset("h200-141gb");
  p.batch_call = 51.1e-6;
  cr_assert_eq(kv_platform_batch_call(&p, 4), 51.1e-6);
  cr_assert_eq(kv_platform_batch_call(&p, 4096), 51.1e-6);
  p.batch_call_curve = (kv_curve){.n = 1, .x = {64}, .y = {51.1e-6}};
  cr_assert_float_eq(kv_platform_batch_call(&p, 64), 51.1e-6, 1e-15);
  cr_assert_float_eq(kv_platform_batch_call(&p, 4), 51.1e-6 * 4 / 64, 1e-15);
  cr_assert_float_eq(kv_platform_batch_call(&p, 1024), 51.1e-6 * 16, 1e-15);
  cr_assert_float_eq(kv_platform_batch_call(&p, 0), 51.1e-6 / 64, 1e-15);
  p.batch_call_curve = (kv_curve){.n = 2, .x = {16, 64}, .y = {20e-6, 50e-6}};
  cr_assert_float_eq(kv_platform_batch_call(&p, 8), 10e-6, 1e-15);
  cr_assert_float_eq(kv_platform_batch_call(&p, 32), 30e-6, 1e-15);
  cr_assert_float_eq(kv_platform_batch_call(&p, 128), 90e-6, 1e-15);
  /* the ideal backend: a 4-entry batch pays its 4 entries' host time */
  p.batch_call_curve = (kv_curve){.n = 1, .x = {64}, .y = {64e-6}};
  kv_op small = {.kind = KV_OP_COPY,
                 .dir = KV_COPY_H2D,
                 .via = KV_VIA_BATCH,
                 .count = 4,
                 .bytes = 4 * 4096};
  double with = kv_ideal_op_time(&p, &small);
  p.batch_call_curve.n = 0;
  p.batch_call = 64e-6;
  cr_assert_float_eq(kv_ideal_op_time(&p, &small) - with, 60e-6, 1e-12);
}

Test(platform_batch, bad_batch_fields_are_named) {
  kv_platform p = preset("h200-141gb");
  p.batch_d2h_curve = curve3(4096, 1e-6, 1024, 2e-6, 65536, 3e-6);
  expect_bad(&p, "batch_d2h_curve");
  p = preset("h200-141gb");
  p.batch_call = -1e-6;
  expect_bad(&p, "batch_call");
  p = preset("h200-141gb");
  p.batch_call_curve = (kv_curve){.n = 2, .x = {64, 16}, .y = {1e-6, 1e-6}};
  expect_bad(&p, "batch_call_curve");
}

Test(platform_batch, via_names) {
  cr_assert_str_eq(kv_copy_via_name(KV_VIA_ENGINE), "engine");
  cr_assert_str_eq(kv_copy_via_name(KV_VIA_KERNEL), "kernel");
  cr_assert_str_eq(kv_copy_via_name(KV_VIA_BATCH), "batch");
  cr_assert_str_eq(kv_copy_via_name((kv_copy_via)99), "?");
  cr_assert_null(kv_copy_via_names[KV_VIA__COUNT]);
}

/* ---- tensor-parallel all-reduce (core/engine/collective.h) ---- */

#include "collective.h"
#include "model.h"

/* ring: base + 2(p-1) hop + 2(p-1)/p bytes/bw; tree: base + 2 log2(p) hop
 * + 2 bytes/bw; auto takes the faster: the tree for small messages at 8
 * GPUs, the ring for large ones; one GPU has none. */
Test(allreduce, ring_and_tree_by_message_size_and_tp) {
  kv_platform p = preset("h100-sxm-80gb");
  p.allreduce_base = 5e-6, p.allreduce_lat = 1e-6, p.allreduce_bw = 400e9;
  double small = 64e3, big = 256e6;
  double ring8s = 5e-6 + 14e-6 + 1.75 * small / 400e9;
  double tree8s = 5e-6 + 6e-6 + 2 * small / 400e9;
  double ring8b = 5e-6 + 14e-6 + 1.75 * big / 400e9;
  cr_assert_float_eq(kv_allreduce_time(&p, 8, small), tree8s, 1e-15);
  cr_assert_float_eq(kv_allreduce_time(&p, 8, big), ring8b, 1e-15);
  p.allreduce_algo = KV_ALLREDUCE_RING;
  cr_assert_float_eq(kv_allreduce_time(&p, 8, small), ring8s, 1e-15);
  p.allreduce_algo = KV_ALLREDUCE_TREE;
  cr_assert_float_eq(kv_allreduce_time(&p, 2, small),
                     5e-6 + 2e-6 + 2 * small / 400e9, 1e-15);
  p.allreduce_algo = KV_ALLREDUCE_AUTO;
  cr_assert_eq(kv_allreduce_time(&p, 1, big), 0);
  /* more GPUs, more steps; more bytes, more time */
  cr_assert_lt(kv_allreduce_time(&p, 2, small),
               kv_allreduce_time(&p, 4, small));
  cr_assert_lt(kv_allreduce_time(&p, 4, small), kv_allreduce_time(&p, 4, big));
  /* bandwidth 0 = nvlink_bw */
  p.allreduce_bw = 0;
  cr_assert_float_eq(kv_allreduce_time(&p, 2, big),
                     5e-6 + 2e-6 + big / p.nvlink_bw, 1e-15);
  /* a step: 2 per layer, tokens x hidden x 2 bytes each */
  kv_model m;
  kv_error e = {0};
  cr_assert_eq(kv_model_preset("llama-3-8b", &m, &e), KV_OK, "%s", e.msg);
  cr_assert_float_eq(
      kv_allreduce_step_time(&p, &m, 2, 100),
      2.0 * m.layers * kv_allreduce_time(&p, 2, 100.0 * m.hidden * 2), 1e-15);
  cr_assert_eq(kv_allreduce_step_time(&p, &m, 1, 100), 0);
}

Test(allreduce, bad_fields_are_named) {
  kv_platform p = preset("h100-sxm-80gb");
  p.allreduce_algo = 3;
  expect_bad(&p, "allreduce_algo");
  p = preset("h100-sxm-80gb");
  p.allreduce_lat = -1e-6;
  expect_bad(&p, "allreduce_lat");
  p = preset("h100-sxm-80gb");
  p.allreduce_base = NAN;
  expect_bad(&p, "allreduce_base");
  p = preset("h100-sxm-80gb");
  p.allreduce_bw = -1;
  expect_bad(&p, "allreduce_bw");
}

/* The ideal backend adds the step's all-reduces at tp > 1, sized by the
 * COMPUTE op's tokens. */
Test(allreduce, ideal_backend_adds_it_by_tokens) {
  kv_platform p = preset("h100-sxm-80gb");
  kv_model m;
  kv_error e = {0};
  cr_assert_eq(kv_model_preset("llama-3-8b", &m, &e), KV_OK, "%s", e.msg);
  double t[2][2];
  for (int k = 0; k < 2; k++) {
    kv_backend *b = kv_backend_ideal_create(&p, &m, 2, &e);
    cr_assert_not_null(b, "%s", e.msg);
    for (int j = 0; j < 2; j++) {
      kv_op_list l;
      kv_ops_init(&l, 0);
      kv_op *op = kv_ops_push(&l, KV_OP_COMPUTE, KV_NO_REQ);
      op->flops = 1e12, op->bytes = 1e9;
      op->tokens = j ? 4096 : 16;
      kv_step_time st;
      cr_assert_eq(b->vt->step(b, &l, &st, &e), KV_OK, "%s", e.msg);
      t[k][j] = st.compute;
      kv_ops_free(&l);
    }
    b->vt->destroy(b);
    p.allreduce_base = 0, p.allreduce_lat = 0, p.allreduce_bw = 1e18;
  }
  for (int j = 0; j < 2; j++) {
    p = preset("h100-sxm-80gb");
    double ar = kv_allreduce_step_time(&p, &m, 2, j ? 4096 : 16);
    cr_assert_gt(ar, 0);
    cr_assert_float_eq(t[0][j] - t[1][j], ar, 1e-6 * ar, "tokens %d: %g vs %g",
                       j ? 4096 : 16, t[0][j] - t[1][j], ar);
  }
  cr_assert_gt(t[0][1] - t[1][1], t[0][0] - t[1][0]);
}
