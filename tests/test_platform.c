/* test_platform.c - platform presets and validation (core/platform.c). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

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
    /* measured presets name their calibration file */
    cr_assert(strstr(p.source, "kvsim-calibrate") &&
                  strstr(p.source, "results/2026-11-22-"),
              "%s", p.source);
  }
  cr_assert_eq(n, 2);
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
