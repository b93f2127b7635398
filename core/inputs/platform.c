/* platform.c - GPU server presets and platform validation.
 *
 * The presets carry the constants kvsim-calibrate (kernels/calibrate.cu)
 * measured on one lent GPU of each kind; each field says where it comes
 * from. Fields one GPU cannot measure (GPUs per server, NVLink, NIC,
 * uplinks) come from datasheets. docs/validation.md compares simulations on
 * these constants with the same workload run on the GPUs.
 * Main entry points: kv_platform_preset(), kv_platform_validate().
 */
#include "platform.h"

#include "platform_fields.h"

#include "ops.h"

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define MIB (1024ull * 1024ull)

static const char h100_source[] =
    "H100 SXM5 80GB HBM3: kvsim-calibrate on an H100 80GB HBM3, driver "
    "580.159.04, 2026-11-22 15:40 UTC (results/2026-11-22-h100-validate-2/"
    "h100-measured.lua, the calibration of the second validation run); GPUs "
    "per server, NVLink and NIC from the HGX H100 datasheet";
static const char h200_source[] =
    "H200 141GB HBM3e: kvsim-calibrate on an H200, driver 580.159.04, "
    "2026-11-22 (results/2026-11-22-h200-calibrate/h200-measured.lua); "
    "host_bw from its duplex copy; GPUs per server, NVLink and NIC from the "
    "HGX H200 datasheet; VMM, copy and SM-copy curves from the same "
    "calibration";

static const char a100_source[] =
    "A100 SXM4 80GB HBM2e: datasheet, not calibrated (NVIDIA A100 Tensor "
    "Core GPU datasheet: 108 SMs, PCIe Gen4 x16, NVLink 3 600 GB/s; HGX "
    "A100 8-GPU), except hbm_bw and flops: the H100 calibration's scaled by "
    "the A100 / H100 ratio of public per-operator measurements of both "
    "GPUs (microsoft/vidur 7d47513, scripts/cross_calibrate_vidur.py); "
    "constants no datasheet gives are the H100 calibration's, not measured "
    "on an A100";
static const char l40s_source[] =
    "L40S 48GB GDDR6: datasheet, not calibrated (NVIDIA L40S datasheet: 864 "
    "GB/s, 362 TFLOPS dense bf16, 142 SMs, PCIe Gen4 x16, no NVLink); "
    "constants no datasheet gives are the H100 calibration's, not measured "
    "on an L40S";

/* "cal" = the preset's calibration file (see the source strings above). */
static const kv_platform presets[] = {
    {
        .name = "h100-sxm-80gb",
        .gpus_per_server = 8, /* datasheet: HGX H100 8-GPU board */
        .servers = 1,
        .hbm_bytes = 85017493504ull, /* cal: cudaMemGetInfo total */
        /* cal: the best of seven read streams: the GPU backend's weight
         * read, 256 MiB x 16 passes, 4 blocks/SM (the others: 3.01-3.09) */
        .hbm_bw = 3.27e12,
        .d2d_bw = 2.901e12, /* cal: D2D copy 256 MiB, read+write */
        .flops = 7.967e14,  /* cal: cuBLAS bf16 GEMM 8192^3 */
        /* cal: cuBLASLt FP8 e4m3 GEMM 8192^3 over cuBLAS bf16 in the same
         * call (1,541 / 781 TFLOP/s; results/2026-12-06-h100-fp8) */
        .fp8_gemm_speedup = 1.972,
        .sms = 132,                    /* cal: device property */
        .kernel_launch = 4.49e-6,      /* cal: empty kernels back to back */
        .pcie_bw = 5.499e10,           /* cal: min(H2D, D2H), 256 MiB pinned */
        .pcie_lat = 1.159e-6,          /* cal: zero-copy dependent read */
        .copy_overhead = 2.447e-6,     /* cal: fixed cost per cudaMemcpyAsync */
        .sm_copy_bw_per_sm = 3.982e10, /* cal: kv_transfer_launch, 1 SM */
        /* the SM pair kernel (kv_transfer_pair_launch, 8 SMs) both ways at
         * once, 64 MiB each way, median of five rounds:
         * results/2026-11-22-h100-engine-2 (83.35-83.72 over four block
         * shapes; the copy engines carried 93-98 in the same rounds) */
        .sm_duplex_bw = 8.36e10,
        .gpus_per_uplink = 0,  /* datasheet: each GPU has its own
                                  PCIe Gen5 x16 switch port */
        .uplink_bw = 5.499e10, /* unused while gpus_per_uplink == 0 */
        /* cal: the duplex DMA copy (256 MiB each way at once), a lower
         * bound of host DRAM bandwidth for DMA (a one-thread memcpy moved
         * 12.2 GB/s: one CPU core, not what the copy engines get) */
        .host_bw = 9.335e10,
        .nvlink_bw = 450e9, /* datasheet: NVLink 4, 900 GB/s bidirectional */
        .nvlink_lat = 2e-6, /* order of magnitude (not measured) */
        .nic_bw = 50e9,     /* datasheet: one 400 Gb/s ConnectX-7 per GPU */
        .nic_lat = 5e-6,    /* order of magnitude (not measured) */
        /* all-reduce: NCCL's NVLink cost model (NVIDIA/nccl
         * src/graph/tuning.cc: baseLat Ring/LL 6.6 us, hwLat NVLink LL
         * 0.47-0.52 us per step) and its effective NVLink bus bandwidth
         * on H100, ~370 of 450 GB/s (NVIDIA/nccl-tests issue 212) */
        .allreduce_base = 6.6e-6,
        .allreduce_lat = 0.5e-6,
        .allreduce_bw = 370e9,
        /* cal: medians of 200 interleaved create / map / set-access /
         * unmap / release cycles of 2 MiB handles among 128 live ones, GPU
         * idle (p10 / p90 within -9 % / +23 % of each median; calls in
         * isolation cost 4-32 % more, and the same calls on a fresh
         * machine 25 minutes earlier 11-31 % more) */
        .vmm_reserve = 1.117e-6,
        .vmm_create = 1.581e-5,
        .vmm_map = 1.271e-6,
        .vmm_set_access = 3.198e-5,
        .vmm_unmap = 2.221e-5,
        .vmm_release = 1.633e-5,
        .vmm_granularity = 2 * MIB, /* cal: minimum = recommended */
        /* per-MiB slopes: (64 MiB - 2 MiB median) / 62 MiB, calls in
         * isolation, results/2026-11-22-h100-validate-2/h100-measured.lua */
        .vmm_reserve_per_mib = 4.42e-8,
        .vmm_create_per_mib = 4.18e-7,
        .vmm_map_per_mib = 0,
        .vmm_set_access_per_mib = 2.77e-7,
        .vmm_unmap_per_mib = 1.11e-7,
        .vmm_release_per_mib = 6.97e-7,
        /* cal: a 4 KiB cudaMemcpyAsync H2D from pinned memory between CUDA
         * events on an idle stream, median: how the GPU backend executes
         * and times a TABLE_WRITE */
        .table_write = 4.64e-6,
        .source = h100_source,
        /* measured tables (they take over the VMM scalars above): the
         * newest full H100 calibration, with its busy and after-step
         * contexts; build/kvsim scripts/preset_curves.lua
         * results/2026-11-22-h100-validate-4/calibrate.txt */
        /* curves of results/2026-11-22-h100-validate-4/calibrate.txt
           (scripts/preset_curves.lua) */
        .vmm_curve =
            {
                [KV_VMM_RESERVE] = {.n = 4,
                                    .x = {2097152, 4194304, 8388608, 67108864},
                                    .y = {6.2e-07, 5e-07, 4.9e-07, 1.93e-06}},
                [KV_VMM_CREATE] = {.n = 4,
                                   .x = {2097152, 4194304, 8388608, 67108864},
                                   .y = {7.24e-06, 7.16e-06, 7.14e-06,
                                         7.54e-06}},
                [KV_VMM_MAP] = {.n = 4,
                                .x = {2097152, 4194304, 8388608, 67108864},
                                .y = {5.7e-07, 5.3e-07, 5.3e-07, 5.5e-07}},
                [KV_VMM_SET_ACCESS] =
                    {.n = 4,
                     .x = {2097152, 4194304, 8388608, 67108864},
                     .y = {1.882e-05, 1.864e-05, 1.848e-05, 3.259e-05}},
                [KV_VMM_UNMAP] = {.n = 4,
                                  .x = {2097152, 4194304, 8388608, 67108864},
                                  .y = {1.34e-05, 1.324e-05, 1.319e-05,
                                        2.083e-05}},
                [KV_VMM_RELEASE] = {.n = 4,
                                    .x = {2097152, 4194304, 8388608, 67108864},
                                    .y = {9.08e-06, 9.95e-06,
                                          1.173e-05, 2.417e-05}},
                [KV_VMM_FREE_VA] = {.n = 4,
                                    .x = {2097152, 4194304, 8388608, 67108864},
                                    .y = {4e-07, 4e-07, 3.9e-07, 1.45e-06}},
            },
        /* busy and after-step: over the idle call among the same 128
         * live handles; vmm_live: that idle call over the isolated one */
        .vmm_busy = {[KV_VMM_RESERVE] = 1.067,
                     [KV_VMM_CREATE] = 1.008,
                     [KV_VMM_MAP] = 1.000,
                     [KV_VMM_SET_ACCESS] = 1.153,
                     [KV_VMM_UNMAP] = 1.458,
                     [KV_VMM_RELEASE] = 0.997,
                     [KV_VMM_FREE_VA] = 1.000},
        .vmm_after_step = {[KV_VMM_RESERVE] = 2.133,
                           [KV_VMM_CREATE] = 1.256,
                           [KV_VMM_MAP] = 1.492,
                           [KV_VMM_SET_ACCESS] = 1.136,
                           [KV_VMM_UNMAP] = 1.196,
                           [KV_VMM_RELEASE] = 1.050,
                           [KV_VMM_FREE_VA] = 1.239},
        .vmm_live =
            {
                [KV_VMM_RESERVE] = {.n = 1, .x = {128}, .y = {0.7258}},
                [KV_VMM_CREATE] = {.n = 1, .x = {128}, .y = {1.008}},
                [KV_VMM_MAP] = {.n = 1, .x = {128}, .y = {1.07}},
                [KV_VMM_SET_ACCESS] = {.n = 1, .x = {128}, .y = {1.061}},
                [KV_VMM_UNMAP] = {.n = 1, .x = {128}, .y = {1.135}},
                [KV_VMM_RELEASE] = {.n = 1, .x = {128}, .y = {1.052}},
                [KV_VMM_FREE_VA] = {.n = 1, .x = {128}, .y = {1.15}},
            },
        .copy_h2d_curve = {.n = 9,
                           .x = {4096, 16384, 65536, 262144, 1048576, 4194304,
                                 16777216, 67108864, 268435456},
                           .y = {2.51e-06, 2.78e-06, 3.72e-06, 7.23e-06,
                                 2.164e-05, 7.825e-05, 0.0003049, 0.001211,
                                 0.004837}},
        .copy_d2h_curve = {.n = 9,
                           .x = {4096, 16384, 65536, 262144, 1048576, 4194304,
                                 16777216, 67108864, 268435456},
                           .y = {1.87e-06, 2.07e-06, 3.19e-06, 6.29e-06,
                                 2.044e-05, 7.706e-05, 0.0003043, 0.001213,
                                 0.004849}},
        .sm_copy_h2d_curve = {.n = 6,
                              .x = {1, 2, 4, 8, 16, 32},
                              .y = {3.615e+10, 5.128e+10, 5.095e+10, 5.099e+10,
                                    5.105e+10, 5.108e+10}},
        .sm_copy_d2h_curve = {.n = 6,
                              .x = {1, 2, 4, 8, 16, 32},
                              .y = {4.414e+10, 5.199e+10, 5.232e+10, 5.268e+10,
                                    5.241e+10, 5.255e+10}},
        /* SM copy rate by page over the 64 KiB page's, at 8 SMs */
        .sm_copy_page_h2d_curve = {.n = 2, .x = {4096, 65536}, .y = {1, 1}},
        .sm_copy_page_d2h_curve = {.n = 2,
                                   .x = {4096, 65536},
                                   .y = {0.9941, 1}},
        /* decode attention read through a table over contiguous, 16-token
         * blocks, batch 64, context 2048 (kernel lab,
         * results/2026-11-22-h100-kernels/lab_attn_read.txt): one block
         * size measured, so flat */
        /* batch_h2d_curve, batch_d2h_curve, batch_call: not in that
         * report (it has no cudaMemcpyBatchAsync table): left empty, a
         * batched copy (KV_VIA_BATCH) takes the fallback, one copy's
         * overhead per call (kv_platform_batch_overhead) */
        .attn_block_table_curve = {.n = 1, .x = {16}, .y = {1.040}},
        .attn_offset_table_curve = {.n = 1, .x = {16}, .y = {1.044}},
    },
    {
        .name = "h200-141gb",
        .gpus_per_server = 8, /* datasheet: HGX H200 8-GPU board */
        .servers = 1,
        .hbm_bytes = 150109880320ull, /* cal: cudaMemGetInfo total */
        .hbm_bw = 4.471e12,           /* cal: read-stream kernel over 1 GiB */
        .d2d_bw = 4.098e12,           /* cal: D2D copy 256 MiB, read+write */
        .flops = 7.812e14,            /* cal: cuBLAS bf16 GEMM 8192^3 */
        /* datasheet ratio, not calibrated: 1,979 / 989 TFLOP/s dense */
        .fp8_gemm_speedup = 2.0,
        .sms = 132,                   /* cal: device property */
        .kernel_launch = 3.181e-6,    /* cal: empty kernels back to back */
        .pcie_bw = 5.531e10,          /* cal: min(H2D, D2H), 256 MiB pinned */
        .pcie_lat = 1.149e-6,         /* cal: zero-copy dependent read */
        .copy_overhead = 2.222e-6,    /* cal: fixed cost per cudaMemcpyAsync */
        .sm_copy_bw_per_sm = 4.08e10, /* cal: kv_transfer_launch, 1 SM */
        .sm_duplex_bw = 0,     /* not measured on the H200: not modeled */
        .gpus_per_uplink = 0,  /* datasheet: own PCIe Gen5 x16 port */
        .uplink_bw = 5.531e10, /* unused while gpus_per_uplink == 0 */
        /* cal: the duplex copy moved 101.22 GB/s through host DRAM (the
         * file's host_bw, one-thread memcpy 12.0 GB/s, bounds one core) */
        .host_bw = 1.0122e11,
        .nvlink_bw = 450e9, /* datasheet: NVLink 4, 900 GB/s bidirectional */
        .nvlink_lat = 2e-6, /* order of magnitude (not measured) */
        .nic_bw = 50e9,     /* datasheet: one 400 Gb/s NIC per GPU */
        .nic_lat = 5e-6,    /* order of magnitude (not measured) */
        /* all-reduce: NCCL's NVLink cost model (NVIDIA/nccl
         * src/graph/tuning.cc: baseLat Ring/LL 6.6 us, hwLat NVLink LL
         * 0.47-0.52 us per step) and its effective NVLink bus bandwidth
         * on H100, ~370 of 450 GB/s (NVIDIA/nccl-tests issue 212) */
        .allreduce_base = 6.6e-6,
        .allreduce_lat = 0.5e-6,
        .allreduce_bw = 370e9,
        /* cal: medians of 64 calls on 2 MiB handles */
        .vmm_reserve = 6.395e-7,
        .vmm_create = 8.048e-6,
        .vmm_map = 5.765e-7,
        .vmm_set_access = 1.964e-5,
        .vmm_unmap = 1.291e-5,
        .vmm_release = 8.801e-6,
        .vmm_granularity = 2 * MIB, /* cal: minimum = recommended */
        /* per-MiB slopes: (64 MiB - 2 MiB median) / 62 MiB, calls in
         * isolation, results/2026-11-22-h200-calibrate/h200-measured.lua */
        .vmm_reserve_per_mib = 2.42e-8,
        .vmm_create_per_mib = 0,
        .vmm_map_per_mib = 0,
        .vmm_set_access_per_mib = 2.27e-7,
        .vmm_unmap_per_mib = 1.21e-7,
        .vmm_release_per_mib = 3.27e-7,
        .table_write = 6.644e-6, /* cal: 4 KiB H2D + launch */
        .source = h200_source,
        /* measured tables; build/kvsim scripts/preset_curves.lua
         * results/2026-11-22-h200-calibrate/calibrate.txt (no busy or
         * after-step contexts in that report; attention read not measured
         * on the H200: contiguous pricing for every mode) */
        /* curves of results/2026-11-22-h200-calibrate/calibrate.txt
           (scripts/preset_curves.lua) */
        .vmm_curve =
            {
                [KV_VMM_RESERVE] = {.n = 4,
                                    .x = {2097152, 4194304, 8388608, 67108864},
                                    .y = {6.4e-07, 5.2e-07, 6e-07, 2.14e-06}},
                [KV_VMM_CREATE] = {.n = 4,
                                   .x = {2097152, 4194304, 8388608, 67108864},
                                   .y = {8.05e-06, 7e-06, 7.24e-06, 8.08e-06}},
                [KV_VMM_MAP] = {.n = 4,
                                .x = {2097152, 4194304, 8388608, 67108864},
                                .y = {5.8e-07, 5.6e-07, 5.6e-07, 6.2e-07}},
                [KV_VMM_SET_ACCESS] =
                    {.n = 4,
                     .x = {2097152, 4194304, 8388608, 67108864},
                     .y = {1.964e-05, 1.827e-05, 1.899e-05, 3.379e-05}},
                [KV_VMM_UNMAP] = {.n = 4,
                                  .x = {2097152, 4194304, 8388608, 67108864},
                                  .y = {1.291e-05, 1.27e-05, 1.321e-05,
                                        2.043e-05}},
                [KV_VMM_RELEASE] = {.n = 4,
                                    .x = {2097152, 4194304, 8388608, 67108864},
                                    .y = {8.8e-06, 9.67e-06,
                                          1.205e-05, 2.906e-05}},
                [KV_VMM_FREE_VA] = {.n = 4,
                                    .x = {2097152, 4194304, 8388608, 67108864},
                                    .y = {4.3e-07, 4.2e-07, 4.5e-07, 1.58e-06}},
            },
        .copy_h2d_curve = {.n = 9,
                           .x = {4096, 16384, 65536, 262144, 1048576, 4194304,
                                 16777216, 67108864, 268435456},
                           .y = {2.61e-06, 2.91e-06, 3.85e-06, 7.25e-06,
                                 2.159e-05, 7.832e-05, 0.0003055, 0.001213,
                                 0.004849}},
        .copy_d2h_curve = {.n = 9,
                           .x = {4096, 16384, 65536, 262144, 1048576, 4194304,
                                 16777216, 67108864, 268435456},
                           .y = {1.9e-06, 2.12e-06, 3.09e-06, 6.11e-06,
                                 2.047e-05, 7.812e-05, 0.0003047, 0.001214,
                                 0.004853}},
        .sm_copy_h2d_curve = {.n = 6,
                              .x = {1, 2, 4, 8, 16, 32},
                              .y = {3.653e+10, 5.124e+10, 5.1e+10, 5.099e+10,
                                    5.095e+10, 5.105e+10}},
        .sm_copy_d2h_curve = {.n = 6,
                              .x = {1, 2, 4, 8, 16, 32},
                              .y = {4.507e+10, 5.21e+10, 5.212e+10, 5.239e+10,
                                    5.253e+10, 5.24e+10}},
        /* SM copy rate by page over the 64 KiB page's, at 8 SMs */
        .sm_copy_page_h2d_curve = {.n = 2, .x = {4096, 65536}, .y = {1, 1}},
        .sm_copy_page_d2h_curve = {.n = 2,
                                   .x = {4096, 65536},
                                   .y = {0.9987, 1}},
        /* no batched-copy table in that report either: batch curves and
         * batch_call empty, KV_VIA_BATCH takes the fallback */
    },
    /* Datasheet presets: every value below is "datasheet, not
     * calibrated" or, where no datasheet says, the H100 calibration's
     * value reused (marked "H100 cal"); no measured tables. */
    {
        .name = "a100-sxm-80gb",
        .gpus_per_server = 8, /* datasheet, not calibrated: HGX A100 8-GPU */
        .servers = 1,
        .hbm_bytes = 80ull << 30, /* datasheet, not calibrated: 80 GB */
        /* cross-calibrated, not measured by kvsim: the H100 preset's
         * 3.27e12 x 0.559, the median A100 / H100 ratio of the weight-read
         * rate of the same linear layers at <= 8 tokens (104 shapes,
         * quartiles 0.540-0.573) in microsoft/vidur's profiles
         * (data/profiling/compute/{a100,h100}, commit 7d47513;
         * scripts/cross_calibrate_vidur.py); datasheet 2,039 GB/s */
        .hbm_bw = 1.826e12,
        /* assumption: a copy's read + write at the HBM bandwidth (the
         * H100 measured 0.89 of it) */
        .d2d_bw = 1.826e12,
        /* cross-calibrated as hbm_bw: the H100 preset's 7.967e14 x 0.326,
         * the median ratio of the same GEMMs' rate at >= 4,096 tokens (48
         * shapes, quartiles 0.302-0.353); datasheet 312e12 bf16 dense */
        .flops = 2.594e14,
        .fp8_gemm_speedup = 0,     /* no FP8 tensor cores */
        .sms = 108,                /* datasheet, not calibrated */
        .kernel_launch = 4.49e-6,  /* H100 cal */
        .pcie_bw = 32e9,           /* datasheet, not calibrated: Gen4 x16 */
        .pcie_lat = 1.159e-6,      /* H100 cal */
        .copy_overhead = 2.447e-6, /* H100 cal */
        /* H100 cal scaled by PCIe Gen4/Gen5 (an SM copy crosses PCIe) */
        .sm_copy_bw_per_sm = 1.991e10,
        .sm_duplex_bw = 0, /* not modeled */
        .gpus_per_uplink = 0,
        .uplink_bw = 32e9,
        .host_bw = 64e9, /* assumption: both PCIe Gen4 directions */
        /* datasheet, not calibrated: NVLink 3, 600 GB/s bidirectional */
        .nvlink_bw = 300e9,
        .nvlink_lat = 2e-6, /* order of magnitude (not measured) */
        /* datasheet, not calibrated: one 200 Gb/s HDR NIC per GPU */
        .nic_bw = 25e9,
        .nic_lat = 5e-6, /* order of magnitude (not measured) */
        /* all-reduce: NCCL's NVLink model as for the H100; NCCL caps
         * sm80's bus bandwidth at 235 GB/s (tuning.cc) */
        .allreduce_base = 6.6e-6,
        .allreduce_lat = 0.5e-6,
        .allreduce_bw = 235e9,
        /* H100 cal (driver calls, not measured on an A100) */
        .vmm_reserve = 1.117e-6,
        .vmm_create = 1.581e-5,
        .vmm_map = 1.271e-6,
        .vmm_set_access = 3.198e-5,
        .vmm_unmap = 2.221e-5,
        .vmm_release = 1.633e-5,
        .vmm_granularity = 2 * MIB, /* CUDA's minimum on every current GPU */
        .vmm_reserve_per_mib = 4.42e-8,
        .vmm_create_per_mib = 4.18e-7,
        .vmm_map_per_mib = 0,
        .vmm_set_access_per_mib = 2.77e-7,
        .vmm_unmap_per_mib = 1.11e-7,
        .vmm_release_per_mib = 6.97e-7,
        .table_write = 4.64e-6, /* H100 cal */
        .source = a100_source,
    },
    {
        .name = "l40s-48gb",
        /* assumption: an 8-GPU PCIe server; GPUs talk over PCIe */
        .gpus_per_server = 8,
        .servers = 1,
        .hbm_bytes = 48ull << 30, /* datasheet, not calibrated: 48 GB GDDR6 */
        .hbm_bw = 864e9,          /* datasheet, not calibrated: 864 GB/s */
        .d2d_bw = 864e9,          /* assumption, as for the A100 */
        /* datasheet, not calibrated: bf16 dense (733 with sparsity) */
        .flops = 362e12,
        /* datasheet ratio, not calibrated: FP8 733 / bf16 362 TFLOP/s,
         * both dense */
        .fp8_gemm_speedup = 733.0 / 362.0,
        .sms = 142,                    /* datasheet, not calibrated */
        .kernel_launch = 4.49e-6,      /* H100 cal */
        .pcie_bw = 32e9,               /* datasheet, not calibrated: Gen4 x16 */
        .pcie_lat = 1.159e-6,          /* H100 cal */
        .copy_overhead = 2.447e-6,     /* H100 cal */
        .sm_copy_bw_per_sm = 1.991e10, /* H100 cal scaled by Gen4/Gen5 */
        .sm_duplex_bw = 0,             /* not modeled */
        .gpus_per_uplink = 0,
        .uplink_bw = 32e9,
        .host_bw = 64e9, /* assumption: both PCIe Gen4 directions */
        /* datasheet, not calibrated: no NVLink; GPU to GPU over PCIe Gen4 */
        .nvlink_bw = 32e9,
        .nvlink_lat = 5e-6, /* order of magnitude (not measured) */
        .nic_bw = 25e9,     /* assumption: one 200 Gb/s NIC per GPU */
        .nic_lat = 5e-6,    /* order of magnitude (not measured) */
        /* all-reduce over PCIe: NCCL's base and PCI hwLat (LL 1.0 us
         * per step, tuning.cc); bandwidth nvlink_bw's (PCIe) */
        .allreduce_base = 6.6e-6,
        .allreduce_lat = 1.0e-6,
        /* H100 cal (driver calls, not measured on an L40S) */
        .vmm_reserve = 1.117e-6,
        .vmm_create = 1.581e-5,
        .vmm_map = 1.271e-6,
        .vmm_set_access = 3.198e-5,
        .vmm_unmap = 2.221e-5,
        .vmm_release = 1.633e-5,
        .vmm_granularity = 2 * MIB,
        .vmm_reserve_per_mib = 4.42e-8,
        .vmm_create_per_mib = 4.18e-7,
        .vmm_map_per_mib = 0,
        .vmm_set_access_per_mib = 2.77e-7,
        .vmm_unmap_per_mib = 1.11e-7,
        .vmm_release_per_mib = 6.97e-7,
        .table_write = 4.64e-6, /* H100 cal */
        .source = l40s_source,
    },
};
#define N_PRESETS (sizeof presets / sizeof presets[0])

static const char *const preset_names[] = {"h100-sxm-80gb", "h200-141gb",
                                           "a100-sxm-80gb", "l40s-48gb", NULL};

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

#define KV_PLATFORM_RATE_MAX 1e18 /* B/s or FLOP/s: ~1e5 x an H200 */

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

/* The checks the field list names (platform_fields.h), in its order. */
typedef enum {
  PF_CUSTOM,
  PF_POS,
  PF_NONNEG,
  PF_RATE,
  PF_RATE0,
  PF_CURVE,
  PF_GRID
} pf_rule;
typedef struct pf_check {
  const char *name;
  size_t offset;
  pf_rule rule;
} pf_check;
#define PF_ENTRY(n, t, rule) {#n, offsetof(kv_platform, n), rule},
static const pf_check pf_checks[] = {KV_PLATFORM_SCALARS(PF_ENTRY)
                                         KV_PLATFORM_TABLES(PF_ENTRY)};
#undef PF_ENTRY

/* One listed field against its rule (PF_CUSTOM: nothing here). */
static kv_status check_listed(const kv_platform *p, const pf_check *c,
                              kv_error *err) {
  const char *at = (const char *)p + c->offset;
  if (c->rule == PF_CURVE)
    return kv_curve_validate((const kv_curve *)at, c->name, err);
  if (c->rule == PF_GRID) {
    const kv_grid *g = (const kv_grid *)at;
    kv_status st = kv_grid_validate(g, c->name, err);
    if (st) return st;
    for (uint32_t r = 0; r < g->n; r++)
      for (uint32_t k = 0; k < g->row[r].n; k++)
        if (g->row[r].y[k] > KV_PLATFORM_RATE_MAX)
          return kv_error_set(err, KV_EINVAL,
                              "platform field '%s': rate %g above %g (row "
                              "%u, page %g)",
                              c->name, g->row[r].y[k], KV_PLATFORM_RATE_MAX,
                              r + 1, g->u[r]);
    return KV_OK;
  }
  if (c->rule == PF_CUSTOM) return KV_OK;
  double v = *(const double *)at;
  bool pos = c->rule == PF_POS || c->rule == PF_RATE;
  if (!(pos ? v > 0 : v >= 0) || !isfinite(v))
    return kv_error_set(err, KV_EINVAL,
                        "platform field '%s' must be %s (got %g)", c->name,
                        pos ? "> 0" : ">= 0", v);
  /* rates are multiplied (SMs x per-SM bandwidth, GPUs on a link) when the
   * platform is built: bound them far above any real part so no product
   * overflows to inf */
  if ((c->rule == PF_RATE || c->rule == PF_RATE0) && v > KV_PLATFORM_RATE_MAX)
    return kv_error_set(err, KV_EINVAL,
                        "platform field '%s' must be at most %g (got %g)",
                        c->name, KV_PLATFORM_RATE_MAX, v);
  return KV_OK;
}

/* The measured all-reduce table: a valid grid whose keys are TP degrees
 * (whole numbers in [2, 8 x 4096], the most GPUs a platform can have) and
 * whose times are > 0 (an all-reduce is never free) and at most an hour. */
static kv_status check_allreduce_table(const kv_grid *g, kv_error *err) {
  kv_status st = kv_grid_validate(g, "allreduce_table", err);
  if (st) return st;
  for (uint32_t r = 0; r < g->n; r++) {
    if (g->u[r] < 2 || g->u[r] > 8.0 * 4096 || g->u[r] != floor(g->u[r]))
      return kv_error_set(err, KV_EINVAL,
                          "platform field 'allreduce_table': row %u has tp "
                          "%g (a whole number of GPUs in [2, %d])",
                          r + 1, g->u[r], 8 * 4096);
    for (uint32_t k = 0; k < g->row[r].n; k++)
      if (!(g->row[r].y[k] > 0) || g->row[r].y[k] > 3600)
        return kv_error_set(err, KV_EINVAL,
                            "platform field 'allreduce_table': tp %g, point "
                            "%u has %g s (must be > 0 and at most 3600)",
                            g->u[r], k + 1, g->row[r].y[k]);
  }
  return KV_OK;
}

/* The fields checked by hand: whole-number ranges, and rules that depend
 * on other fields. */
static kv_status check_custom(const kv_platform *p, kv_error *err) {
  if (p->name[0] == '\0' || !memchr(p->name, '\0', sizeof p->name))
    return kv_error_set(err, KV_EINVAL, "platform field 'name' must be set");
  if (!memchr(p->compute_table, '\0', sizeof p->compute_table))
    return kv_error_set(err, KV_EINVAL,
                        "platform field 'compute_table': path not terminated "
                        "(at most %zu bytes)",
                        sizeof p->compute_table - 1);
  URANGE(gpus_per_server, 1, 8);
  URANGE(servers, 1, 4096);
  URANGE(hbm_bytes, 1, 1ull << 50);
  URANGE(sms, 1, 4096);
  URANGE(gpus_per_uplink, 0, p->gpus_per_server);
  if (p->gpus_per_uplink)
    POS(uplink_bw);
  else
    NONNEG(uplink_bw);
  if (p->gpus_per_server > 1)
    POS(nvlink_bw);
  else
    NONNEG(nvlink_bw);
  if (p->servers > 1)
    POS(nic_bw);
  else
    NONNEG(nic_bw);
  for (int i = 0; i < 3; i++) {
    double v = i == 0 ? p->uplink_bw : i == 1 ? p->nvlink_bw : p->nic_bw;
    if (v > KV_PLATFORM_RATE_MAX)
      return kv_error_set(err, KV_EINVAL,
                          "platform field '%s' must be at most %g (got %g)",
                          i == 0   ? "uplink_bw"
                          : i == 1 ? "nvlink_bw"
                                   : "nic_bw",
                          KV_PLATFORM_RATE_MAX, v);
  }
  URANGE(allreduce_algo, 0, 2);
  kv_status st = check_allreduce_table(&p->allreduce_table, err);
  if (st) return st;
  if (p->vmm_granularity == 0 ||
      (p->vmm_granularity & (p->vmm_granularity - 1)))
    return kv_error_set(err, KV_EINVAL,
                        "platform field 'vmm_granularity' must be a power of "
                        "two > 0 (got %llu)",
                        (unsigned long long)p->vmm_granularity);
  return KV_OK;
}

/* The per-call VMM tables and factors. */
/* A table of factors (the live-handle and live-range tables): a valid
 * curve whose factors are at most 1000. */
static kv_status check_factor_curve(const kv_curve *c, const char *name,
                                    kv_error *err) {
  kv_status st = kv_curve_validate(c, name, err);
  if (st) return st;
  for (uint32_t i = 0; i < c->n; i++)
    if (c->y[i] > 1000)
      return kv_error_set(err, KV_EINVAL,
                          "platform field '%s': point %u has factor %g "
                          "(at most 1000)",
                          name, i + 1, c->y[i]);
  return KV_OK;
}

/* A gap table: a valid grid of seconds in [0, 1] (a driver call that
 * costs more than a second is a unit mistake). */
static kv_status check_gap_grid(const kv_grid *g, const char *name,
                                kv_error *err) {
  if (!g->n) return KV_OK;
  kv_status st = kv_grid_validate(g, name, err);
  if (st) return st;
  for (uint32_t r = 0; r < g->n; r++)
    for (uint32_t i = 0; i < g->row[r].n; i++)
      if (!(g->row[r].y[i] >= 0) || g->row[r].y[i] > 1)
        return kv_error_set(err, KV_EINVAL,
                            "platform field '%s': row %u point %u is %g s "
                            "(seconds of a call, in [0, 1])",
                            name, r + 1, i + 1, g->row[r].y[i]);
  return KV_OK;
}

static kv_status check_vmm_calls(const kv_platform *p, kv_error *err) {
  char name[64];
  for (int k = 0; k < KV_VMM__COUNT; k++) {
    snprintf(name, sizeof name, "vmm_%s_curve", kv_vmm_call_names[k]);
    kv_status st = kv_curve_validate(&p->vmm_curve[k], name, err);
    if (st) return st;
    snprintf(name, sizeof name, "vmm_%s_live", kv_vmm_call_names[k]);
    if ((st = check_factor_curve(&p->vmm_live[k], name, err))) return st;
    snprintf(name, sizeof name, "vmm_%s_grow", kv_vmm_call_names[k]);
    if ((st = kv_curve_validate(&p->vmm_grow[k], name, err))) return st;
    snprintf(name, sizeof name, "vmm_%s_live_va", kv_vmm_call_names[k]);
    if ((st = check_factor_curve(&p->vmm_live_va[k], name, err))) return st;
    snprintf(name, sizeof name, "vmm_%s_gap", kv_vmm_call_names[k]);
    if ((st = check_gap_grid(&p->vmm_gap[k], name, err))) return st;
    const double f[2] = {p->vmm_busy[k], p->vmm_after_step[k]};
    for (int j = 0; j < 2; j++)
      if (!(f[j] >= 0) || !isfinite(f[j]) || f[j] > 1000)
        return kv_error_set(err, KV_EINVAL,
                            "platform field 'vmm_%s_%s' must be in [0, 1000] "
                            "(a factor; 0 = 1) (got %g)",
                            kv_vmm_call_names[k], j ? "after_step" : "busy",
                            f[j]);
  }
  return KV_OK;
}

/* The threads x SMs grids: valid grids whose row keys are block sizes (a
 * whole multiple of 32, at most 1024) and whose rates are bounded. */
static kv_status check_threads_grids(const kv_platform *p, kv_error *err) {
  for (int d = 0; d < 2; d++) {
    const kv_grid *g =
        d ? &p->sm_copy_threads_grid_d2h : &p->sm_copy_threads_grid_h2d;
    const char *name =
        d ? "sm_copy_threads_grid_d2h" : "sm_copy_threads_grid_h2d";
    kv_status st = kv_grid_validate(g, name, err);
    if (st) return st;
    for (uint32_t r = 0; r < g->n; r++) {
      double t = g->u[r];
      if (t > 1024 || t != 32 * floor(t / 32))
        return kv_error_set(err, KV_EINVAL,
                            "platform field '%s': row %u has key %g (threads "
                            "per block: a whole multiple of 32 from 32 to "
                            "1024)",
                            name, r + 1, t);
      for (uint32_t k = 0; k < g->row[r].n; k++)
        if (g->row[r].y[k] > KV_PLATFORM_RATE_MAX)
          return kv_error_set(err, KV_EINVAL,
                              "platform field '%s': rate %g above %g (row "
                              "%u, %g threads per block)",
                              name, g->row[r].y[k], KV_PLATFORM_RATE_MAX, r + 1,
                              t);
    }
  }
  return KV_OK;
}

kv_status kv_platform_validate(const kv_platform *p, kv_error *err) {
  if (!p) return kv_error_set(err, KV_EINVAL, "platform is NULL");
  kv_status st = check_custom(p, err);
  for (size_t i = 0; !st && i < sizeof pf_checks / sizeof *pf_checks; i++)
    st = check_listed(p, &pf_checks[i], err);
  if (!st) st = check_vmm_calls(p, err);
  if (!st) st = check_threads_grids(p, err);
  if (st) return st;
  const kv_curve *sm[2] = {&p->sm_copy_h2d_curve, &p->sm_copy_d2h_curve};
  for (int d = 0; d < 2; d++)
    for (uint32_t i = 0; i < sm[d]->n; i++)
      if (sm[d]->y[i] > KV_PLATFORM_RATE_MAX)
        return kv_error_set(err, KV_EINVAL,
                            "platform field '%s': rate %g above %g",
                            d ? "sm_copy_d2h_curve" : "sm_copy_h2d_curve",
                            sm[d]->y[i], KV_PLATFORM_RATE_MAX);
  return KV_OK;
}

/* ---- prices from curves or scalars ---------------------------------- */

const char *const kv_vmm_call_names[KV_VMM__COUNT] = {
    "reserve", "create", "map", "set_access", "unmap", "release", "free_va"};

double kv_platform_vmm_time(const kv_platform *p, kv_vmm_call call,
                            uint64_t bytes, int busy, int after_step) {
  double t;
  const kv_curve *c = &p->vmm_curve[call];
  if (c->n) {
    kv_curve_beyond b = call == KV_VMM_RESERVE || call == KV_VMM_FREE_VA
                            ? KV_CURVE_FLAT
                            : KV_CURVE_LINEAR;
    t = kv_curve_eval(c, (double)bytes, b);
  } else {
    static const size_t base[KV_VMM__COUNT] = {
        offsetof(kv_platform, vmm_reserve),
        offsetof(kv_platform, vmm_create),
        offsetof(kv_platform, vmm_map),
        offsetof(kv_platform, vmm_set_access),
        offsetof(kv_platform, vmm_unmap),
        offsetof(kv_platform, vmm_release),
        offsetof(kv_platform, vmm_reserve)};
    static const size_t slope[KV_VMM__COUNT] = {
        offsetof(kv_platform, vmm_reserve_per_mib),
        offsetof(kv_platform, vmm_create_per_mib),
        offsetof(kv_platform, vmm_map_per_mib),
        offsetof(kv_platform, vmm_set_access_per_mib),
        offsetof(kv_platform, vmm_unmap_per_mib),
        offsetof(kv_platform, vmm_release_per_mib),
        offsetof(kv_platform, vmm_reserve_per_mib)};
    const char *b = (const char *)p;
    double extra =
        bytes > p->vmm_granularity
            ? (double)(bytes - p->vmm_granularity) / (1024.0 * 1024.0)
            : 0.0;
    t = *(const double *)(b + base[call]) +
        *(const double *)(b + slope[call]) * extra;
  }
  double f = busy         ? p->vmm_busy[call]
             : after_step ? p->vmm_after_step[call]
                          : 0;
  return f > 0 ? t * f : t;
}

double kv_platform_vmm_live_factor(const kv_platform *p, kv_vmm_call call,
                                   double live) {
  const kv_curve *c = &p->vmm_live[call];
  if (!c->n || !(live > 0)) return 1.0;
  if (live < c->x[0]) return 1.0 + (c->y[0] - 1.0) * live / c->x[0];
  return kv_curve_eval(c, live, KV_CURVE_FLAT);
}

double kv_platform_vmm_time_live(const kv_platform *p, kv_vmm_call call,
                                 uint64_t bytes, double live, int busy,
                                 int after_step) {
  return kv_platform_vmm_time(p, call, bytes, busy, after_step) *
         kv_platform_vmm_live_factor(p, call, live);
}

double kv_platform_vmm_live_va_factor(const kv_platform *p, kv_vmm_call call,
                                      double ranges) {
  if (call != KV_VMM_RESERVE && call != KV_VMM_FREE_VA) return 1.0;
  const kv_curve *c = &p->vmm_live_va[call];
  if (!c->n || !(ranges > 0)) return 1.0;
  if (ranges < c->x[0]) return 1.0 + (c->y[0] - 1.0) * ranges / c->x[0];
  return kv_curve_eval(c, ranges, KV_CURVE_FLAT);
}

double kv_platform_vmm_gap_time(const kv_platform *p, kv_vmm_call call,
                                uint64_t bytes, double gap) {
  const kv_grid *g = &p->vmm_gap[call];
  if (!g->n || !bytes) return -1.0;
  double lo = g->row[0].x[0];
  for (uint32_t i = 1; i < g->n; i++)
    if (g->row[i].x[0] > lo) lo = g->row[i].x[0];
  if (!(gap >= lo)) return -1.0;
  return kv_grid_eval(g, (double)bytes, gap); /* flat past the ends */
}

double kv_platform_vmm_grow_time(const kv_platform *p, kv_vmm_call call,
                                 uint64_t bytes) {
  if (call != KV_VMM_CREATE && call != KV_VMM_MAP && call != KV_VMM_SET_ACCESS)
    return -1.0;
  const kv_curve *c = &p->vmm_grow[call];
  if (!c->n) return -1.0;
  return kv_curve_eval(c, (double)bytes, KV_CURVE_LINEAR);
}

double kv_platform_copy_overhead(const kv_platform *p, int h2d,
                                 uint64_t bytes) {
  const kv_curve *c = h2d ? &p->copy_h2d_curve : &p->copy_d2h_curve;
  if (!c->n) return p->copy_overhead;
  double t = kv_curve_eval(c, (double)bytes, KV_CURVE_LINEAR) -
             (double)bytes / p->pcie_bw;
  return t > 0 ? t : 0;
}

double kv_platform_batch_call(const kv_platform *p, uint32_t entries) {
  const kv_curve *c = &p->batch_call_curve;
  if (!c->n) return p->batch_call;
  double n = entries ? (double)entries : 1.0;
  if (n < c->x[0]) return c->y[0] * n / c->x[0];
  if (c->n == 1) return c->y[0] * n / c->x[0];
  return kv_curve_eval(c, n, KV_CURVE_LINEAR);
}

int kv_platform_has_batch_curve(const kv_platform *p, int h2d) {
  return (h2d ? p->batch_h2d_curve.n : p->batch_d2h_curve.n) > 0;
}

double kv_platform_batch_overhead(const kv_platform *p, int h2d,
                                  uint32_t entries, uint64_t bytes) {
  uint32_t n = entries ? entries : 1;
  uint64_t mean = bytes / n;
  const kv_curve *c = h2d ? &p->batch_h2d_curve : &p->batch_d2h_curve;
  if (!c->n) return kv_platform_copy_overhead(p, h2d, mean);
  /* s per entry, linear between the measured entry sizes (exact for a cost
   * affine in bytes, as a copy's is), on the last slope past them */
  double t = (double)n * kv_curve_eval(c, (double)mean, KV_CURVE_LINEAR) -
             (double)bytes / p->pcie_bw;
  return t > 0 ? t : 0;
}

double kv_platform_attn_factor(const kv_platform *p, int mode,
                               uint32_t block_tokens) {
  const kv_curve *c = mode == KV_ADDR_BLOCK_TABLE ? &p->attn_block_table_curve
                      : mode == KV_ADDR_OFFSET_TABLE
                          ? &p->attn_offset_table_curve
                          : NULL;
  if (!c || !c->n || !block_tokens) return 1.0;
  return kv_curve_eval(c, (double)block_tokens, KV_CURVE_FLAT);
}

double kv_platform_sm_copy_page_factor(const kv_platform *p, int h2d,
                                       double page) {
  const kv_curve *c =
      h2d ? &p->sm_copy_page_h2d_curve : &p->sm_copy_page_d2h_curve;
  if (!c->n || !(page > 0)) return 1.0;
  if (page <= c->x[0]) return c->y[0];
  if (page >= c->x[c->n - 1]) return c->y[c->n - 1];
  uint32_t i = 1;
  while (c->x[i] < page)
    i++;
  double t = (log(page) - log(c->x[i - 1])) / (log(c->x[i]) - log(c->x[i - 1]));
  return c->y[i - 1] + t * (c->y[i] - c->y[i - 1]);
}

double kv_platform_sm_copy_factor(const kv_platform *p, int h2d, double page,
                                  double sms) {
  const kv_grid *g = h2d ? &p->sm_copy_grid_h2d : &p->sm_copy_grid_d2h;
  if (!g->n || !(page > 0))
    return kv_platform_sm_copy_page_factor(p, h2d, page);
  double ref = kv_grid_eval(g, g->u[g->n - 1], sms);
  return ref > 0 ? kv_grid_eval(g, page, sms) / ref : 1.0;
}

double kv_platform_sm_copy_bw(const kv_platform *p, int h2d, double sms,
                              double page) {
  const kv_curve *c = h2d ? &p->sm_copy_h2d_curve : &p->sm_copy_d2h_curve;
  double f = kv_platform_sm_copy_factor(p, h2d, page, sms);
  if (c->n) return f * kv_curve_eval(c, sms, KV_CURVE_FLAT);
  double bw = sms * p->sm_copy_bw_per_sm;
  return f * (bw < p->pcie_bw ? bw : p->pcie_bw);
}

double kv_platform_sm_copy_bw_threads(const kv_platform *p, int h2d, double sms,
                                      double page, uint32_t threads) {
  if (threads == 0 || threads == KV_SM_COPY_THREADS)
    return kv_platform_sm_copy_bw(p, h2d, sms, page);
  const kv_grid *g =
      h2d ? &p->sm_copy_threads_grid_h2d : &p->sm_copy_threads_grid_d2h;
  if (g->n)
    return kv_grid_eval(g, (double)threads, sms) *
           kv_platform_sm_copy_factor(p, h2d, page, sms);
  /* the resident-threads rule: SM-equivalents of the library kernel */
  double k = sms * (double)threads / KV_SM_COPY_THREADS;
  const kv_curve *c = h2d ? &p->sm_copy_h2d_curve : &p->sm_copy_d2h_curve;
  if (c->n && k < c->x[0])
    return kv_platform_sm_copy_bw(p, h2d, c->x[0], page) * k / c->x[0];
  return kv_platform_sm_copy_bw(p, h2d, k, page);
}
