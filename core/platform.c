/* platform.c - GPU server presets and platform validation.
 *
 * The presets are leads from public datasheets and the measured facts in
 * DESIGN.md; the project's calibration is meant to replace them.
 * Main entry points: kv_platform_preset(), kv_platform_validate().
 */
#include "platform.h"

#include <math.h>
#include <string.h>
#include <strings.h>

#define MIB (1024ull * 1024ull)

static const char h100_source[] =
    "H100 SXM5 80GB HBM3: datasheet + DESIGN.md leads; pending calibration "
    "(hbm_bytes = cuMemGetInfo total measured on an H100 80GB HBM3)";
static const char h200_source[] =
    "H200 141GB HBM3e: datasheet + DESIGN.md leads; pending calibration "
    "(hbm_bytes = cuMemGetInfo total measured on an H200)";

static const kv_platform presets[] = {
    {
        .name = "h100-sxm-80gb",
        .gpus_per_server = 8, /* HGX H100 8-GPU board */
        .servers = 1,
        /* cuMemGetInfo total on an H100 80GB HBM3 (nvidia-smi: 81559 MiB);
         * the marketing 80 GB is not all visible to CUDA */
        .hbm_bytes = 85017493504ull,
        .hbm_bw = 3.35e12,        /* datasheet: 3.35 TB/s HBM3 */
        .d2d_bw = 3.0e12,         /* DESIGN.md: ~3.0 TB/s, read+write counted */
        .flops = 989e12,          /* datasheet: 989 TFLOP/s dense BF16 */
        .sms = 132,               /* datasheet; cuDeviceGetAttribute agrees */
        .kernel_launch = 5e-6,    /* typical launch + step overhead */
        .pcie_bw = 55e9,          /* DESIGN.md: ~55 GB/s pinned, each way */
        .pcie_lat = 1e-6,         /* PCIe Gen5 round trip order of magnitude */
        .copy_overhead = 4.5e-6,  /* DESIGN.md: ~4-5 us per copy */
        .sm_copy_bw_per_sm = 7e9, /* ~8 SMs saturate PCIe (DESIGN.md:
                                     ~50 GB/s gather with enough SMs) */
        .gpus_per_uplink = 0,     /* each GPU has its own x16 link */
        .uplink_bw = 55e9,        /* unused while gpus_per_uplink == 0 */
        .host_bw = 200e9,         /* 2-socket DDR5 server, order of mag. */
        .nvlink_bw = 450e9,       /* datasheet: 900 GB/s bidirectional */
        .nvlink_lat = 2e-6,
        .nic_bw = 50e9, /* one 400 Gb/s NIC */
        .nic_lat = 5e-6,
        .vmm_reserve = 5e-6,        /* cuMemAddressReserve */
        .vmm_create = 11e-6,        /* DESIGN.md: 9-14 us per 2 MiB handle */
        .vmm_map = 1e-6,            /* DESIGN.md: ~1 us */
        .vmm_set_access = 27e-6,    /* DESIGN.md: 24-31 us */
        .vmm_unmap = 20e-6,         /* DESIGN.md: 18-22 us */
        .vmm_release = 13e-6,       /* DESIGN.md: 11-15 us */
        .vmm_granularity = 2 * MIB, /* stock driver minimum granularity */
        .table_write = 3e-6,        /* small H2D copy + launch */
        .source = h100_source,
    },
    {
        .name = "h200-141gb",
        .gpus_per_server = 8, /* HGX H200 8-GPU board */
        .servers = 1,
        /* cuMemGetInfo total on an H200 (nvidia-smi: 143771 MiB); the
         * marketing 141 GB is not all visible to CUDA */
        .hbm_bytes = 150109880320ull,
        .hbm_bw = 4.8e12, /* datasheet: 4.8 TB/s HBM3e */
        .d2d_bw = 4.2e12, /* DESIGN.md: ~4.2 TB/s, read+write counted */
        .flops = 989e12,  /* same Hopper die as H100 SXM */
        .sms = 132,
        .kernel_launch = 5e-6,
        .pcie_bw = 55e9, /* DESIGN.md: same Gen5 x16 link */
        .pcie_lat = 1e-6,
        .copy_overhead = 4.5e-6,
        .sm_copy_bw_per_sm = 7e9,
        .gpus_per_uplink = 0,
        .uplink_bw = 55e9,
        .host_bw = 200e9,
        .nvlink_bw = 450e9, /* datasheet: 900 GB/s bidirectional */
        .nvlink_lat = 2e-6,
        .nic_bw = 50e9,
        .nic_lat = 5e-6,
        .vmm_reserve = 5e-6,
        .vmm_create = 11e-6,
        .vmm_map = 1e-6,
        .vmm_set_access = 27e-6,
        .vmm_unmap = 20e-6,
        .vmm_release = 13e-6,
        .vmm_granularity = 2 * MIB,
        .table_write = 3e-6,
        .source = h200_source,
    },
};
#define N_PRESETS (sizeof presets / sizeof presets[0])

static const char *const preset_names[] = {"h100-sxm-80gb", "h200-141gb", NULL};

const char *const *kv_platform_preset_names(void) {
  return preset_names;
}

kv_status kv_platform_preset(const char *name, kv_platform *out,
                             kv_error *err) {
  for (size_t i = 0; name && i < N_PRESETS; i++) {
    if (strcasecmp(name, presets[i].name) == 0) {
      *out = presets[i];
      return KV_OK;
    }
  }
  return kv_error_unknown_name(err, "platform", name, preset_names);
}

/* A real field must be finite and > 0 (POS) or >= 0 (NONNEG). */
#define POS(field)                                                             \
  do {                                                                         \
    if (!(p->field > 0) || !isfinite(p->field))                                \
      return kv_error_set(err, KV_EINVAL,                                      \
                          "platform field '" #field "' must be > 0 (got %g)",  \
                          (double)p->field);                                   \
  } while (0)
#define NONNEG(field)                                                          \
  do {                                                                         \
    if (!(p->field >= 0) || !isfinite(p->field))                               \
      return kv_error_set(err, KV_EINVAL,                                      \
                          "platform field '" #field "' must be >= 0 (got %g)", \
                          (double)p->field);                                   \
  } while (0)
#define URANGE(field, lo, hi)                                                  \
  do {                                                                         \
    if ((uint64_t)p->field < (uint64_t)(lo) ||                                 \
        (uint64_t)p->field > (uint64_t)(hi))                                   \
      return kv_error_set(err, KV_EINVAL,                                      \
                          "platform field '" #field                            \
                          "' must be in [%llu, %llu] (got %llu)",              \
                          (unsigned long long)(lo), (unsigned long long)(hi),  \
                          (unsigned long long)p->field);                       \
  } while (0)

kv_status kv_platform_validate(const kv_platform *p, kv_error *err) {
  if (!p) return kv_error_set(err, KV_EINVAL, "platform is NULL");
  if (p->name[0] == '\0' || !memchr(p->name, '\0', sizeof p->name))
    return kv_error_set(err, KV_EINVAL, "platform field 'name' must be set");
  URANGE(gpus_per_server, 1, 8);
  URANGE(servers, 1, 4096);
  URANGE(hbm_bytes, 1, 1ull << 50);
  POS(hbm_bw);
  POS(d2d_bw);
  POS(flops);
  URANGE(sms, 1, 4096);
  NONNEG(kernel_launch);
  POS(pcie_bw);
  NONNEG(pcie_lat);
  NONNEG(copy_overhead);
  POS(sm_copy_bw_per_sm);
  URANGE(gpus_per_uplink, 0, p->gpus_per_server);
  if (p->gpus_per_uplink)
    POS(uplink_bw);
  else
    NONNEG(uplink_bw);
  POS(host_bw);
  if (p->gpus_per_server > 1)
    POS(nvlink_bw);
  else
    NONNEG(nvlink_bw);
  NONNEG(nvlink_lat);
  if (p->servers > 1)
    POS(nic_bw);
  else
    NONNEG(nic_bw);
  NONNEG(nic_lat);
  NONNEG(vmm_reserve);
  NONNEG(vmm_create);
  NONNEG(vmm_map);
  NONNEG(vmm_set_access);
  NONNEG(vmm_unmap);
  NONNEG(vmm_release);
  if (p->vmm_granularity == 0 ||
      (p->vmm_granularity & (p->vmm_granularity - 1)))
    return kv_error_set(err, KV_EINVAL,
                        "platform field 'vmm_granularity' must be a power of "
                        "two > 0 (got %llu)",
                        (unsigned long long)p->vmm_granularity);
  NONNEG(table_write);
  return KV_OK;
}
