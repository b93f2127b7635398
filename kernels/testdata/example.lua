-- Platform measured by kvsim-calibrate (kernels/calibrate.cu).
-- device: Example GPU (made-up figures, kvsim-calibrate --example), 132 SMs, 85017493504 bytes (84465090560 free), 1 GPU(s), driver API 13000, 2026-12-01 00:00 UTC
-- duplex (256 MiB each way at once): 101.44 GB/s aggregate (host_bw: a lower bound of host DRAM bandwidth for DMA)
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU idle, us median (p10/p90): reserve 0.63 (0.61/0.66) create 7.38 (7.09/7.68) map 0.58 (0.56/0.60) set_access 19.20 (18.43/19.96) unmap 13.67 (13.12/14.21) release 9.26 (8.89/9.63) addr_free 0.41 (0.39/0.42)
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU busy with a read stream, us median (p10/p90): reserve 0.70 (0.67/0.73) create 8.18 (7.85/8.51) map 0.64 (0.62/0.67) set_access 21.27 (20.42/22.12) unmap 15.14 (14.54/15.75) release 10.26 (9.85/10.67) addr_free 0.45 (0.43/0.47)
-- vmm 2 MiB, 200 cycles among 128 live handles, each cycle right after a step, us median (p10/p90): reserve 0.81 (0.78/0.84) create 9.48 (9.11/9.86) map 0.75 (0.72/0.78) set_access 24.65 (23.67/25.64) unmap 17.55 (16.85/18.26) release 11.89 (11.42/12.37) addr_free 0.52 (0.50/0.54)
-- vmm factors over isolation at the granularity (busy, after_step): reserve 1.164 1.349 create 1.129 1.309 map 1.123 1.302 set_access 1.130 1.310 unmap 1.130 1.310 release 1.130 1.309 free_va 1.126 1.306
return {
  name = "example",
  gpus_per_server = 1, -- cudaGetDeviceCount
  servers = 1, -- one machine
  hbm_bytes = 85017493504, -- cudaMemGetInfo total
  hbm_bw = 3.363e+12, -- best read stream (kernels and launch shapes above)
  d2d_bw = 2.943e+12, -- cudaMemcpyAsync D2D 256 MiB, read+write
  flops = 7.905e+14, -- cuBLAS bf16 GEMM
  sms = 132, -- device property
  kernel_launch = 3.12e-06, -- empty kernels back to back
  pcie_bw = 5.532e+10, -- min(H2D, D2H) at 256 MiB, pinned
  pcie_lat = 1.134e-06, -- zero-copy dependent read round trip
  copy_overhead = 2.223e-06, -- fixed cost per cudaMemcpyAsync
  sm_copy_bw_per_sm = 4.014e+10, -- kv_transfer_launch on 1 SM
  sm_duplex_bw = 8.35e+10, -- kv_transfer_pair_launch both ways at once, 8 SMs, aggregate
  gpus_per_uplink = 0, -- not measured: own link assumed
  uplink_bw = 0, -- not measured (gpus_per_uplink = 0)
  host_bw = 1.014e+11, -- duplex DMA aggregate: lower bound of host DRAM bw for DMA
  nvlink_bw = 0, -- not measured (one GPU)
  nvlink_lat = 0, -- not measured (one GPU)
  nic_bw = 0, -- no inter-server tier
  nic_lat = 0, -- no inter-server tier
  vmm_reserve = 8.122e-07, -- cuMemAddressReserve, granularity range, cycles after a step, median
  vmm_create = 9.484e-06, -- cuMemCreate, cycles after a step, median
  vmm_map = 7.467e-07, -- cuMemMap, cycles after a step, median
  vmm_set_access = 2.465e-05, -- cuMemSetAccess, cycles after a step, median
  vmm_unmap = 1.755e-05, -- cuMemUnmap, cycles after a step, median
  vmm_release = 1.189e-05, -- cuMemRelease, cycles after a step, median
  vmm_granularity = 2097152, -- cuMemGetAllocationGranularity minimum
  vmm_reserve_per_mib = 2.1e-08, -- size slope: (largest - smallest handle median) / MiB, isolation
  vmm_create_per_mib = 5e-09, -- size slope, isolation
  vmm_map_per_mib = 0, -- size slope, isolation
  vmm_set_access_per_mib = 2.2e-07, -- size slope, isolation
  vmm_unmap_per_mib = 1.2e-07, -- size slope, isolation
  vmm_release_per_mib = 2.4e-07, -- size slope, isolation
  table_write = 4.608e-06, -- 4 KiB H2D from pinned right after a step, events, median
  -- measured curves (every raw one in example.curves.csv)
  vmm_reserve_curve = { {2097152, 6.02104e-07}, {67108864, 6.02228e-07}, {1073741824, 6.04148e-07}, {17179869184, 6.34868e-07}, {274877906944, 1.12639e-06}, {1099511627776, 2.69925e-06} }, -- s per call by range bytes, isolation
  vmm_create_curve = { {2097152, 7.2437e-06}, {4194304, 7.2537e-06}, {8388608, 7.2737e-06}, {16777216, 7.3137e-06}, {67108864, 7.5537e-06}, {268435456, 8.5137e-06}, {1073741824, 1.23537e-05} }, -- s per call by handle bytes, isolation
  vmm_map_curve = { {2097152, 5.737e-07}, {4194304, 5.737e-07}, {8388608, 5.737e-07}, {16777216, 5.737e-07}, {67108864, 5.737e-07}, {268435456, 5.737e-07}, {1073741824, 5.737e-07} }, -- s per call by handle bytes, isolation
  vmm_set_access_curve = { {2097152, 1.88237e-05}, {4194304, 1.92637e-05}, {8388608, 2.01437e-05}, {16777216, 2.19037e-05}, {67108864, 3.24637e-05}, {268435456, 7.47037e-05}, {1073741824, 0.000243664} }, -- s per call by handle bytes, isolation
  vmm_unmap_curve = { {2097152, 1.34037e-05}, {4194304, 1.36437e-05}, {8388608, 1.41237e-05}, {16777216, 1.50837e-05}, {67108864, 2.08437e-05}, {268435456, 4.38837e-05}, {1073741824, 0.000136044} }, -- s per call by handle bytes, isolation
  vmm_release_curve = { {2097152, 9.0837e-06}, {4194304, 9.5637e-06}, {8388608, 1.05237e-05}, {16777216, 1.24437e-05}, {67108864, 2.39637e-05}, {268435456, 7.00437e-05}, {1073741824, 0.000254364} }, -- s per call by handle bytes, isolation
  vmm_free_va_curve = { {2097152, 4.01302e-07}, {67108864, 4.01364e-07}, {1073741824, 4.02324e-07}, {17179869184, 4.17684e-07}, {274877906944, 6.63444e-07}, {1099511627776, 1.44988e-06} }, -- s per call by range bytes, isolation
  vmm_reserve_busy = 1.164, -- busy / isolated at the granularity
  vmm_create_busy = 1.129, -- busy / isolated at the granularity
  vmm_map_busy = 1.123, -- busy / isolated at the granularity
  vmm_set_access_busy = 1.13, -- busy / isolated at the granularity
  vmm_unmap_busy = 1.13, -- busy / isolated at the granularity
  vmm_release_busy = 1.13, -- busy / isolated at the granularity
  vmm_free_va_busy = 1.126, -- busy / isolated at the granularity
  vmm_reserve_after_step = 1.349, -- after_step / isolated at the granularity
  vmm_create_after_step = 1.309, -- after_step / isolated at the granularity
  vmm_map_after_step = 1.302, -- after_step / isolated at the granularity
  vmm_set_access_after_step = 1.31, -- after_step / isolated at the granularity
  vmm_unmap_after_step = 1.31, -- after_step / isolated at the granularity
  vmm_release_after_step = 1.309, -- after_step / isolated at the granularity
  vmm_free_va_after_step = 1.306, -- after_step / isolated at the granularity
  copy_h2d_curve = { {4096, 2.28732e-06}, {16384, 2.50909e-06}, {65536, 3.39615e-06}, {262144, 6.94439e-06}, {1048576, 2.11373e-05}, {4194304, 7.79092e-05}, {16777216, 0.000304997}, {67108864, 0.00121335}, {268435456, 0.00484674} }, -- s per cudaMemcpyAsync by bytes, back to back
  copy_d2h_curve = { {4096, 1.68114e-06}, {16384, 1.90327e-06}, {65536, 2.79177e-06}, {262144, 6.34578e-06}, {1048576, 2.05618e-05}, {4194304, 7.7426e-05}, {16777216, 0.000304883}, {67108864, 0.00121471}, {268435456, 0.00485402} }, -- s per cudaMemcpyAsync by bytes, back to back
  sm_copy_h2d_curve = { {1, 3.60988e+10}, {2, 5.10575e+10}, {4, 5.10551e+10}, {8, 5.10501e+10}, {16, 5.10403e+10}, {32, 5.10205e+10}, {64, 5.0981e+10} }, -- B/s by SMs, 65536-byte pages
  sm_copy_d2h_curve = { {1, 3.60988e+10}, {2, 5.24175e+10}, {4, 5.24151e+10}, {8, 5.24101e+10}, {16, 5.24003e+10}, {32, 5.23805e+10}, {64, 5.2341e+10} }, -- B/s by SMs, 65536-byte pages
  sm_copy_page_h2d_curve = { {256, 0.961528}, {4096, 1}, {65536, 1} }, -- rate by page bytes over the 65536-byte page's, at 8 SMs
  sm_copy_page_d2h_curve = { {256, 0.936577}, {4096, 1}, {65536, 1} }, -- rate by page bytes over the 65536-byte page's, at 8 SMs
  batch_h2d_curve = { {4096, 1.18012e-06}, {16384, 1.4076e-06}, {65536, 2.31748e-06}, {262144, 5.95702e-06}, {1048576, 2.05152e-05}, {4194304, 7.87478e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_d2h_curve = { {4096, 9.83842e-07}, {16384, 1.20927e-06}, {65536, 2.11097e-06}, {262144, 5.7178e-06}, {1048576, 2.01451e-05}, {4194304, 7.78543e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_call = 5.832e-05, -- s of host time per batched call
  attn_block_table_curve = { {1, 1.3213}, {4, 1.0911}, {16, 1.0402}, {64, 1.0213}, {256, 1.0151} }, -- time over contiguous by tokens per block
  attn_offset_table_curve = { {1, 1.3377}, {4, 1.0987}, {16, 1.0441}, {64, 1.0236}, {256, 1.0169} }, -- time over contiguous by tokens per block
  source = "kvsim-calibrate --example: made-up figures, not a measurement",
}
