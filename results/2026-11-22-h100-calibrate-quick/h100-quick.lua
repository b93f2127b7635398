-- Platform measured by kvsim-calibrate (kernels/calibrate.cu).
-- device: NVIDIA H100 80GB HBM3, 132 SMs, 85017493504 bytes (84465090560 free), 1 GPU(s), driver API 13000, 2026-11-22 18:11 UTC
-- pcie H2D 53.10 GB/s, D2H 54.39 GB/s at 256 MiB (pcie_bw = the lower)
-- copy fixed cost 2.65 us (median of time - bytes/bw, 4..64 KiB, both directions); 1-byte copies back to back 2.60 us each; 1-byte copy + sync round trip 6.88 us (median)
-- duplex (256 MiB each way at once): 83.74 GB/s aggregate (host_bw: a lower bound of host DRAM bandwidth for DMA)
-- device-to-device copy 256 MiB: 2875.3 GB/s counting read + write
-- HBM read stream, GB/s: unrolled x4, 1 GiB, 4 blocks/SM: 3090.6; weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM: 3263.1; weight read, 256 MiB once x 16 launches, 4 blocks/SM: 3010.4; weight read, 1 GiB once, 4 blocks/SM: 3075.6; weight read, 1 GiB once, 8 blocks/SM: 3079.9; weight read, 1 GiB once, 16 blocks/SM: 3082.1; weight read, 2 GiB once, 4 blocks/SM: 3086.5
-- HBM read stream: 3263.1 GB/s, the best (weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM) (hbm_bw)
-- bf16 matrix product 2048x2048x2048 (cuBLAS, random data): 456 TFLOP/s
-- kernel launch: 5.28 us each back to back; launch + sync round trip 10.57 us (median)
-- table write (4 KiB H2D from pinned memory between CUDA events on an idle stream, as the GPU backend does): median 4.61 us, p10 4.38, p90 15.26 (table_write); the same copies queued back to back 4.26 us; the former definition, 4 KiB H2D + kernel launch back to back, 8.03 us
-- table write right after a step (a read stream of a few ms on the same stream, then a host sync, then the event pair and the copy; 5 times): median 7.26 us, p10 6.40, p90 9.82
-- zero-copy dependent read of mapped host memory: 1.23 us each (pcie_lat = round trip)
-- host memcpy 256 MiB, one thread: 10.5 GB/s (one CPU core; not host_bw, which is the duplex DMA figure)
-- SM copy with 1 SM, 64 KiB pages, mean of both directions: 39.60 GB/s (sm_copy_bw_per_sm)
-- SM copy both directions at once (kv_transfer_pair_launch, 8 SMs, 64 KiB pages, 64 MiB each way): 83.68 GB/s aggregate (sm_duplex_bw)
-- vmm 2 MiB medians in isolation (us): reserve 1.23 create 16.14 map 1.40 set_access 34.09 unmap 21.25 release 15.95 addr_free 0.97
-- vmm 4 MiB medians in isolation (us): reserve 1.00 create 13.36 map 1.15 set_access 31.34 unmap 20.06 release 16.99 addr_free 0.88
-- vmm 8 MiB medians in isolation (us): reserve 0.99 create 13.89 map 1.09 set_access 30.82 unmap 20.44 release 22.74 addr_free 0.83
-- vmm 64 MiB medians in isolation (us): reserve 7.83 create 39.56 map 1.49 set_access 53.45 unmap 30.68 release 55.17 addr_free 3.58
-- vmm 2 MiB, 5 cycles among 128 live handles, GPU idle, us median (p10/p90): reserve 1.75 (1.24/6.06) create 15.00 (13.79/17.16) map 2.28 (1.43/4.12) set_access 32.57 (30.26/37.46) unmap 26.05 (23.65/74.54) release 16.06 (15.10/39.88) addr_free 1.28 (0.96/4.63)
-- vmm 2 MiB, 5 cycles among 128 live handles, GPU busy with a read stream, us median (p10/p90): reserve 2.14 (1.34/6.40) create 18.34 (15.13/24.69) map 1.91 (1.45/9.00) set_access 37.66 (32.65/81.54) unmap 34.93 (26.02/73.36) release 16.41 (15.65/36.11) addr_free 1.42 (1.11/5.03); 2 reads launched
-- vmm 2 MiB, 5 cycles among 128 live handles, each cycle right after a step, us median (p10/p90): reserve 4.94 (3.98/8.51) create 37.90 (35.89/41.64) map 4.61 (3.76/4.75) set_access 57.90 (54.10/63.09) unmap 46.14 (38.25/67.98) release 26.94 (22.38/35.61) addr_free 3.54 (3.02/5.05)
return {
  name = "h100-measured",
  gpus_per_server = 1, -- cudaGetDeviceCount
  servers = 1, -- one machine
  hbm_bytes = 85017493504, -- cudaMemGetInfo total
  hbm_bw = 3.263e+12, -- best read stream (kernels and launch shapes above)
  d2d_bw = 2.875e+12, -- cudaMemcpyAsync D2D 256 MiB, read+write
  flops = 4.561e+14, -- cuBLAS bf16 GEMM
  sms = 132, -- device property
  kernel_launch = 5.275e-06, -- empty kernels back to back
  pcie_bw = 5.31e+10, -- min(H2D, D2H) at 256 MiB, pinned
  pcie_lat = 1.225e-06, -- zero-copy dependent read round trip
  copy_overhead = 2.648e-06, -- fixed cost per cudaMemcpyAsync
  sm_copy_bw_per_sm = 3.96e+10, -- kv_transfer_launch on 1 SM
  sm_duplex_bw = 8.368e+10, -- kv_transfer_pair_launch both ways at once, 8 SMs, aggregate
  gpus_per_uplink = 0, -- not measured: own link assumed
  uplink_bw = 0, -- not measured (gpus_per_uplink = 0)
  host_bw = 8.374e+10, -- duplex DMA aggregate: lower bound of host DRAM bw for DMA
  nvlink_bw = 0, -- not measured (one GPU)
  nvlink_lat = 0, -- not measured (one GPU)
  nic_bw = 0, -- no inter-server tier
  nic_lat = 0, -- no inter-server tier
  vmm_reserve = 4.938e-06, -- cuMemAddressReserve, granularity range, cycles after a step, median
  vmm_create = 3.79e-05, -- cuMemCreate, cycles after a step, median
  vmm_map = 4.611e-06, -- cuMemMap, cycles after a step, median
  vmm_set_access = 5.79e-05, -- cuMemSetAccess, cycles after a step, median
  vmm_unmap = 4.614e-05, -- cuMemUnmap, cycles after a step, median
  vmm_release = 2.694e-05, -- cuMemRelease, cycles after a step, median
  vmm_granularity = 2097152, -- cuMemGetAllocationGranularity minimum
  vmm_reserve_per_mib = 1.065e-07, -- size slope: (largest - smallest handle median) / MiB, isolation
  vmm_create_per_mib = 3.777e-07, -- size slope, isolation
  vmm_map_per_mib = 1.565e-09, -- size slope, isolation
  vmm_set_access_per_mib = 3.123e-07, -- size slope, isolation
  vmm_unmap_per_mib = 1.52e-07, -- size slope, isolation
  vmm_release_per_mib = 6.325e-07, -- size slope, isolation
  table_write = 7.264e-06, -- 4 KiB H2D from pinned right after a step, events, median
  source = "kvsim-calibrate on NVIDIA H100 80GB HBM3, driver API 13000, 2026-11-22 18:11 UTC",
}
