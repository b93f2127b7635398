-- Platform measured by kvsim-calibrate (kernels/calibrate.cu).
-- device: NVIDIA H100 80GB HBM3, 132 SMs, 85017493504 bytes (84465090560 free), 1 GPU(s), driver API 13000, 2026-11-22 17:19 UTC
-- pcie H2D 55.50 GB/s, D2H 55.36 GB/s at 256 MiB (pcie_bw = the lower)
-- copy fixed cost 2.22 us (median of time - bytes/bw, 4..64 KiB, both directions); 1-byte copies back to back 2.16 us each; 1-byte copy + sync round trip 5.43 us (median)
-- duplex (256 MiB each way at once): 101.44 GB/s aggregate (host_bw: a lower bound of host DRAM bandwidth for DMA)
-- device-to-device copy 256 MiB: 2943.1 GB/s counting read + write
-- HBM read stream, GB/s: unrolled x4, 1 GiB, 4 blocks/SM: 3187.3; weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM: 3363.4; weight read, 256 MiB once x 16 launches, 4 blocks/SM: 3046.0; weight read, 1 GiB once, 4 blocks/SM: 3146.9; weight read, 1 GiB once, 8 blocks/SM: 3148.9; weight read, 1 GiB once, 16 blocks/SM: 3152.2; weight read, 2 GiB once, 4 blocks/SM: 3170.3
-- HBM read stream: 3363.4 GB/s, the best (weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM) (hbm_bw)
-- bf16 matrix product 8192x8192x8192 (cuBLAS, random data): 790 TFLOP/s
-- kernel launch: 3.12 us each back to back; launch + sync round trip 8.24 us (median)
-- table write (4 KiB H2D from pinned memory between CUDA events on an idle stream, as the GPU backend does): median 3.81 us, p10 3.68, p90 4.13 (table_write); the same copies queued back to back 3.71 us; the former definition, 4 KiB H2D + kernel launch back to back, 7.62 us
-- table write right after a step (a read stream of a few ms on the same stream, then a host sync, then the event pair and the copy; 100 times): median 4.61 us, p10 4.32, p90 5.06
-- zero-copy dependent read of mapped host memory: 1.13 us each (pcie_lat = round trip)
-- host memcpy 256 MiB, one thread: 11.8 GB/s (one CPU core; not host_bw, which is the duplex DMA figure)
-- SM copy with 1 SM, 64 KiB pages, mean of both directions: 40.14 GB/s (sm_copy_bw_per_sm)
-- vmm 2 MiB medians in isolation (us): reserve 0.62 create 7.24 map 0.57 set_access 18.82 unmap 13.40 release 9.08 addr_free 0.40
-- vmm 4 MiB medians in isolation (us): reserve 0.50 create 7.16 map 0.53 set_access 18.64 unmap 13.24 release 9.95 addr_free 0.40
-- vmm 8 MiB medians in isolation (us): reserve 0.49 create 7.14 map 0.53 set_access 18.48 unmap 13.19 release 11.73 addr_free 0.39
-- vmm 64 MiB medians in isolation (us): reserve 1.93 create 7.54 map 0.55 set_access 32.59 unmap 20.83 release 24.17 addr_free 1.45
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU idle, us median (p10/p90): reserve 0.45 (0.43/0.66) create 7.30 (7.06/7.90) map 0.61 (0.55/0.86) set_access 19.97 (19.33/21.42) unmap 15.21 (14.16/17.63) release 9.55 (9.12/10.28) addr_free 0.46 (0.44/0.59)
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU busy with a read stream, us median (p10/p90): reserve 0.48 (0.45/0.69) create 7.36 (7.12/7.97) map 0.61 (0.55/0.77) set_access 23.03 (19.93/24.71) unmap 22.18 (14.85/24.02) release 9.52 (9.17/10.07) addr_free 0.46 (0.43/0.59); 18 reads launched
-- vmm 2 MiB, 200 cycles among 128 live handles, each cycle right after a step, us median (p10/p90): reserve 0.96 (0.69/1.26) create 9.17 (8.46/10.82) map 0.91 (0.73/1.21) set_access 22.68 (21.41/24.98) unmap 18.19 (16.17/20.41) release 10.03 (9.37/10.96) addr_free 0.57 (0.51/0.73)
return {
  name = "h100-measured",
  gpus_per_server = 1, -- cudaGetDeviceCount
  servers = 1, -- one machine
  hbm_bytes = 85017493504, -- cudaMemGetInfo total
  hbm_bw = 3.363e+12, -- best read stream (kernels and launch shapes above)
  d2d_bw = 2.943e+12, -- cudaMemcpyAsync D2D 256 MiB, read+write
  flops = 7.905e+14, -- cuBLAS bf16 GEMM
  sms = 132, -- device property
  kernel_launch = 3.12e-06, -- empty kernels back to back
  pcie_bw = 5.536e+10, -- min(H2D, D2H) at 256 MiB, pinned
  pcie_lat = 1.134e-06, -- zero-copy dependent read round trip
  copy_overhead = 2.223e-06, -- fixed cost per cudaMemcpyAsync
  sm_copy_bw_per_sm = 4.014e+10, -- kv_transfer_launch on 1 SM
  gpus_per_uplink = 0, -- not measured: own link assumed
  uplink_bw = 0, -- not measured (gpus_per_uplink = 0)
  host_bw = 1.014e+11, -- duplex DMA aggregate: lower bound of host DRAM bw for DMA
  nvlink_bw = 0, -- not measured (one GPU)
  nvlink_lat = 0, -- not measured (one GPU)
  nic_bw = 0, -- no inter-server tier
  nic_lat = 0, -- no inter-server tier
  vmm_reserve = 9.57e-07, -- cuMemAddressReserve, granularity range, cycles after a step, median
  vmm_create = 9.173e-06, -- cuMemCreate, cycles after a step, median
  vmm_map = 9.14e-07, -- cuMemMap, cycles after a step, median
  vmm_set_access = 2.268e-05, -- cuMemSetAccess, cycles after a step, median
  vmm_unmap = 1.819e-05, -- cuMemUnmap, cycles after a step, median
  vmm_release = 1.003e-05, -- cuMemRelease, cycles after a step, median
  vmm_granularity = 2097152, -- cuMemGetAllocationGranularity minimum
  vmm_reserve_per_mib = 2.117e-08, -- size slope: (largest - smallest handle median) / MiB, isolation
  vmm_create_per_mib = 4.863e-09, -- size slope, isolation
  vmm_map_per_mib = 0, -- size slope, isolation
  vmm_set_access_per_mib = 2.221e-07, -- size slope, isolation
  vmm_unmap_per_mib = 1.198e-07, -- size slope, isolation
  vmm_release_per_mib = 2.434e-07, -- size slope, isolation
  table_write = 4.608e-06, -- 4 KiB H2D from pinned right after a step, events, median
  source = "kvsim-calibrate on NVIDIA H100 80GB HBM3, driver API 13000, 2026-11-22 17:19 UTC",
}
