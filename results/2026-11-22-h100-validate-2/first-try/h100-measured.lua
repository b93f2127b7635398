-- Platform measured by kvsim-calibrate (kernels/calibrate.cu).
-- device: NVIDIA H100 80GB HBM3, 132 SMs, 85017493504 bytes (84465090560 free), 1 GPU(s), driver API 13000, 2026-11-22 15:37 UTC
-- pcie H2D 55.23 GB/s, D2H 55.15 GB/s at 256 MiB (pcie_bw = the lower)
-- copy fixed cost 2.55 us (median of time - bytes/bw, 4..64 KiB, both directions); 1-byte copies back to back 2.40 us each; 1-byte copy + sync round trip 6.31 us (median)
-- duplex (256 MiB each way at once): 97.27 GB/s aggregate (host_bw: a lower bound of host DRAM bandwidth for DMA)
-- device-to-device copy 256 MiB: 2901.4 GB/s counting read + write
-- HBM read stream, GB/s: unrolled x4, 1 GiB, 4 blocks/SM 3052.6; weight read (as the GPU backend), 256 MiB x 16, 4 blocks/SM 3274.5; weight read, 256 MiB x 16, 8 blocks/SM 3431.4; weight read, 256 MiB x 16, 16 blocks/SM 3855.9; weight read, 1 GiB x 4, 4 blocks/SM 3116.0
-- HBM read stream: 3855.9 GB/s, the best (weight read, 256 MiB x 16, 16 blocks/SM) (hbm_bw)
-- bf16 matrix product 8192x8192x8192 (cuBLAS, random data): 787 TFLOP/s
-- kernel launch: 3.90 us each back to back; launch + sync round trip 9.13 us (median)
-- table write (4 KiB H2D from pinned memory between CUDA events, as the GPU backend does): median 3.78 us, p10 3.65, p90 4.42 (table_write); the former definition, 4 KiB H2D + kernel launch back to back, 6.09 us
-- zero-copy dependent read of mapped host memory: 1.13 us each (pcie_lat = round trip)
-- host memcpy 256 MiB, one thread: 12.0 GB/s (one CPU core; not host_bw, which is the duplex DMA figure)
-- SM copy with 1 SM, 64 KiB pages, mean of both directions: 40.34 GB/s (sm_copy_bw_per_sm)
-- vmm 2 MiB medians in isolation (us): reserve 1.83 create 24.18 map 1.73 set_access 44.01 unmap 28.59 release 22.79 addr_free 1.44
-- vmm 4 MiB medians in isolation (us): reserve 1.61 create 21.57 map 1.58 set_access 38.50 unmap 25.12 release 21.77 addr_free 1.24
-- vmm 8 MiB medians in isolation (us): reserve 1.44 create 17.52 map 1.44 set_access 36.16 unmap 23.61 release 26.82 addr_free 1.13
-- vmm 64 MiB medians in isolation (us): reserve 10.49 create 44.11 map 3.38 set_access 102.60 unmap 52.78 release 199.77 addr_free 8.37
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU idle, us median (p10/p90): reserve 1.35 (1.15/1.69) create 19.18 (17.00/22.44) map 1.50 (1.26/1.91) set_access 37.44 (33.38/43.27) unmap 24.68 (22.47/29.27) release 18.99 (16.81/22.48) addr_free 1.24 (1.07/1.50)
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU busy with a read stream, us median (p10/p90): reserve 0.93 (0.84/1.15) create 13.04 (11.73/15.10) map 1.05 (0.95/1.36) set_access 30.28 (27.06/33.70) unmap 26.18 (19.09/29.34) release 13.76 (12.81/15.68) addr_free 0.82 (0.75/1.00); 24 reads launched
return {
  name = "h100-measured",
  gpus_per_server = 1, -- cudaGetDeviceCount
  servers = 1, -- one machine
  hbm_bytes = 85017493504, -- cudaMemGetInfo total
  hbm_bw = 3.856e+12, -- best read stream (kernels and launch shapes above)
  d2d_bw = 2.901e+12, -- cudaMemcpyAsync D2D 256 MiB, read+write
  flops = 7.868e+14, -- cuBLAS bf16 GEMM
  sms = 132, -- device property
  kernel_launch = 3.896e-06, -- empty kernels back to back
  pcie_bw = 5.515e+10, -- min(H2D, D2H) at 256 MiB, pinned
  pcie_lat = 1.128e-06, -- zero-copy dependent read round trip
  copy_overhead = 2.554e-06, -- fixed cost per cudaMemcpyAsync
  sm_copy_bw_per_sm = 4.034e+10, -- kv_transfer_launch on 1 SM
  gpus_per_uplink = 0, -- not measured: own link assumed
  uplink_bw = 0, -- not measured (gpus_per_uplink = 0)
  host_bw = 9.727e+10, -- duplex DMA aggregate: lower bound of host DRAM bw for DMA
  nvlink_bw = 0, -- not measured (one GPU)
  nvlink_lat = 0, -- not measured (one GPU)
  nic_bw = 0, -- no inter-server tier
  nic_lat = 0, -- no inter-server tier
  vmm_reserve = 1.349e-06, -- cuMemAddressReserve, granularity range, cycles median
  vmm_create = 1.918e-05, -- cuMemCreate, cycles median
  vmm_map = 1.497e-06, -- cuMemMap, cycles median
  vmm_set_access = 3.744e-05, -- cuMemSetAccess, cycles median
  vmm_unmap = 2.468e-05, -- cuMemUnmap, cycles median
  vmm_release = 1.899e-05, -- cuMemRelease, cycles median
  vmm_granularity = 2097152, -- cuMemGetAllocationGranularity minimum
  table_write = 3.776e-06, -- 4 KiB H2D from pinned, between events, median
  source = "kvsim-calibrate on NVIDIA H100 80GB HBM3, driver API 13000, 2026-11-22 15:37 UTC",
}
