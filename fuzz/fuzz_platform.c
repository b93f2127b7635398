/* fuzz_platform.c - libFuzzer harness for platform descriptions.
 *
 * Starts from a preset (first byte) and lets the input replace any field:
 * integers from raw bytes, reals from a table of edge values (0, -0, -1,
 * tiny, huge, inf, nan) or raw IEEE bits, and the name from raw bytes (XML
 * special characters included). kv_platform_validate() must accept only
 * finite, in-range platforms; an accepted platform (servers capped at 16 to
 * keep each run short) is then turned into SimGrid XML with
 * kv_sim_platform_write_xml() into memory - the topology builder and the XML
 * writer, never the SimGrid engine - and the XML is checked to be complete,
 * free of nan/inf. (A name with "--" ends up inside an XML comment, which
 * the XML spec forbids; SimGrid 3.32 loads it anyway, so that is a test in
 * tests/test_regressions.c rather than a check here.)
 * Main entry point: LLVMFuzzerTestOneInput().
 */
#include "fuzz_common.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "platform.h"
#include "sim_backend.h"

static double fz_real(fz_cursor *c, double keep) {
  static const double edge[] = {0.0,     -0.0,     -1.0,      1e-300,  5e-324,
                                1e-9,    1.0,      55e9,      3.35e12, 1e300,
                                DBL_MAX, INFINITY, -INFINITY, NAN};
  uint8_t b = fz_u8(c);
  if (b < 128) return keep;
  if (b < 128 + 14) return edge[b - 128];
  double d;
  uint64_t bits = fz_u64(c);
  memcpy(&d, &bits, sizeof d);
  return d;
}

static uint32_t fz_uint(fz_cursor *c, uint32_t keep) {
  uint8_t b = fz_u8(c);
  if (b < 128) return keep;
  if (b < 192) return b - 128; /* small values, 0 included */
  return fz_u32(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fz_cursor c = {data, size, 0};
  const char *const *names = kv_platform_preset_names();
  size_t npresets = 0;
  while (names[npresets])
    npresets++;
  kv_platform p;
  kv_error err;
  FZ_CHECK(kv_platform_preset(names[fz_u8(&c) % npresets], &p, &err) == KV_OK,
           "%s", err.msg);
  uint8_t nb = fz_u8(&c);
  if (nb >= 128) { /* a raw name, up to the full field, maybe unterminated */
    size_t n = nb - 128;
    if (n > sizeof p.name) n = sizeof p.name;
    for (size_t i = 0; i < n; i++)
      p.name[i] = (char)fz_u8(&c);
    if (n < sizeof p.name) p.name[n] = '\0';
  }
  p.gpus_per_server = fz_uint(&c, p.gpus_per_server);
  p.servers = fz_uint(&c, p.servers);
  uint8_t hb = fz_u8(&c);
  if (hb >= 128) p.hbm_bytes = fz_u64(&c);
  p.hbm_bw = fz_real(&c, p.hbm_bw);
  p.d2d_bw = fz_real(&c, p.d2d_bw);
  p.flops = fz_real(&c, p.flops);
  p.sms = fz_uint(&c, p.sms);
  p.kernel_launch = fz_real(&c, p.kernel_launch);
  p.pcie_bw = fz_real(&c, p.pcie_bw);
  p.pcie_lat = fz_real(&c, p.pcie_lat);
  p.copy_overhead = fz_real(&c, p.copy_overhead);
  p.sm_copy_bw_per_sm = fz_real(&c, p.sm_copy_bw_per_sm);
  p.gpus_per_uplink = fz_uint(&c, p.gpus_per_uplink);
  p.uplink_bw = fz_real(&c, p.uplink_bw);
  p.host_bw = fz_real(&c, p.host_bw);
  p.nvlink_bw = fz_real(&c, p.nvlink_bw);
  p.nvlink_lat = fz_real(&c, p.nvlink_lat);
  p.nic_bw = fz_real(&c, p.nic_bw);
  p.nic_lat = fz_real(&c, p.nic_lat);
  p.vmm_reserve = fz_real(&c, p.vmm_reserve);
  p.vmm_create = fz_real(&c, p.vmm_create);
  p.vmm_map = fz_real(&c, p.vmm_map);
  p.vmm_set_access = fz_real(&c, p.vmm_set_access);
  p.vmm_unmap = fz_real(&c, p.vmm_unmap);
  p.vmm_release = fz_real(&c, p.vmm_release);
  uint8_t gb = fz_u8(&c);
  if (gb >= 128) p.vmm_granularity = gb >= 192 ? 1ull << (gb % 64) : fz_u64(&c);
  p.table_write = fz_real(&c, p.table_write);

  memset(&err, 0, sizeof err);
  kv_status rc = kv_platform_validate(&p, &err);
  if (rc != KV_OK) {
    FZ_CHECK(rc == KV_EINVAL, "status %d", rc);
    FZ_CHECK(strstr(err.msg, "platform") != NULL && strchr(err.msg, '\''),
             "error names no field: %s", err.msg);
    return 0;
  }
  /* what validate accepted is finite and in range */
  const double reals[] = {
      p.hbm_bw,     p.d2d_bw,         p.flops,         p.kernel_launch,
      p.pcie_bw,    p.pcie_lat,       p.copy_overhead, p.sm_copy_bw_per_sm,
      p.uplink_bw,  p.host_bw,        p.nvlink_bw,     p.nvlink_lat,
      p.nic_bw,     p.nic_lat,        p.vmm_reserve,   p.vmm_create,
      p.vmm_map,    p.vmm_set_access, p.vmm_unmap,     p.vmm_release,
      p.table_write};
  for (size_t i = 0; i < sizeof reals / sizeof reals[0]; i++)
    FZ_CHECK(isfinite(reals[i]) && reals[i] >= 0, "real field %zu = %g", i,
             reals[i]);
  FZ_CHECK(memchr(p.name, '\0', sizeof p.name), "name not terminated");
  if (p.servers > 16) return 0;

  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  if (!f) return 0;
  memset(&err, 0, sizeof err);
  rc = kv_sim_platform_write_xml(&p, NULL, f, &err);
  fclose(f);
  if (rc != KV_OK) {
    FZ_CHECK(err.msg[0] != '\0', "XML refused without a message");
  } else {
    FZ_CHECK(len > 0 && strstr(buf, "</platform>") != NULL,
             "XML incomplete (%zu bytes)", len);
    /* values are written as numbers with units: nan/inf would not load
     * (not checked when the name, copied into a comment, spells them) */
    if (!strcasestr(p.name, "nan") && !strcasestr(p.name, "inf"))
      FZ_CHECK(!strstr(buf, "\"nan") && !strstr(buf, "\"inf") &&
                   !strstr(buf, "\"-nan") && !strstr(buf, "\"-inf"),
               "XML holds a non-finite value");
  }
  free(buf);
  return 0;
}
