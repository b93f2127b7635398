-- Platform measured by kvsim-calibrate (kernels/calibrate.cu).
-- device: NVIDIA H100 80GB HBM3, 132 SMs, 85017493504 bytes (84465090560 free), 1 GPU(s), driver API 13000, 2026-11-22 16:06 UTC
-- pcie H2D 54.77 GB/s, D2H 55.07 GB/s at 256 MiB (pcie_bw = the lower)
-- copy fixed cost 2.29 us (median of time - bytes/bw, 4..64 KiB, both directions); 1-byte copies back to back 2.29 us each; 1-byte copy + sync round trip 5.54 us (median)
-- duplex (256 MiB each way at once): 90.22 GB/s aggregate (host_bw: a lower bound of host DRAM bandwidth for DMA)
-- device-to-device copy 256 MiB: 2927.5 GB/s counting read + write
-- HBM read stream, GB/s: unrolled x4, 1 GiB, 4 blocks/SM: 3088.9; weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM: 3271.1; weight read, 256 MiB once x 16 launches, 4 blocks/SM: 3011.1; weight read, 1 GiB once, 4 blocks/SM: 3086.6; weight read, 1 GiB once, 8 blocks/SM: 3084.6; weight read, 1 GiB once, 16 blocks/SM: 3084.4; weight read, 2 GiB once, 4 blocks/SM: 3087.7
-- HBM read stream: 3271.1 GB/s, the best (weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM) (hbm_bw)
-- bf16 matrix product 8192x8192x8192 (cuBLAS, random data): 785 TFLOP/s
-- kernel launch: 3.69 us each back to back; launch + sync round trip 9.08 us (median)
-- table write (4 KiB H2D from pinned memory between CUDA events on an idle stream, as the GPU backend does): median 4.19 us, p10 3.94, p90 4.35 (table_write); the same copies queued back to back 3.81 us; the former definition, 4 KiB H2D + kernel launch back to back, 5.58 us
-- zero-copy dependent read of mapped host memory: 1.18 us each (pcie_lat = round trip)
-- host memcpy 256 MiB, one thread: 12.1 GB/s (one CPU core; not host_bw, which is the duplex DMA figure)
-- SM copy with 1 SM, 64 KiB pages, mean of both directions: 39.71 GB/s (sm_copy_bw_per_sm)
-- vmm 2 MiB medians in isolation (us): reserve 0.98 create 13.56 map 0.98 set_access 27.83 unmap 19.01 release 13.79 addr_free 0.79
-- vmm 4 MiB medians in isolation (us): reserve 1.02 create 12.75 map 1.10 set_access 28.37 unmap 19.19 release 16.54 addr_free 0.83
-- vmm 8 MiB medians in isolation (us): reserve 1.05 create 13.27 map 1.09 set_access 28.85 unmap 19.32 release 20.94 addr_free 0.85
-- vmm 64 MiB medians in isolation (us): reserve 4.32 create 37.77 map 1.26 set_access 49.22 unmap 28.85 release 50.12 addr_free 3.57
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU idle, us median (p10/p90): reserve 0.97 (0.80/1.22) create 14.43 (12.91/15.61) map 1.15 (0.92/1.50) set_access 30.52 (28.80/32.56) unmap 22.90 (20.99/24.85) release 15.38 (13.91/16.51) addr_free 0.96 (0.79/1.21)
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU busy with a read stream, us median (p10/p90): reserve 1.02 (0.77/1.33) create 14.13 (9.42/16.00) map 1.17 (0.84/1.55) set_access 32.69 (26.62/37.80) unmap 28.71 (20.97/32.91) release 15.00 (11.95/16.61) addr_free 0.92 (0.70/1.20); 26 reads launched
return {
  name = "h100-measured",
  gpus_per_server = 1, -- cudaGetDeviceCount
  servers = 1, -- one machine
  hbm_bytes = 85017493504, -- cudaMemGetInfo total
  hbm_bw = 3.271e+12, -- best read stream (kernels and launch shapes above)
  d2d_bw = 2.927e+12, -- cudaMemcpyAsync D2D 256 MiB, read+write
  flops = 7.854e+14, -- cuBLAS bf16 GEMM
  sms = 132, -- device property
  kernel_launch = 3.694e-06, -- empty kernels back to back
  pcie_bw = 5.477e+10, -- min(H2D, D2H) at 256 MiB, pinned
  pcie_lat = 1.181e-06, -- zero-copy dependent read round trip
  copy_overhead = 2.289e-06, -- fixed cost per cudaMemcpyAsync
  sm_copy_bw_per_sm = 3.971e+10, -- kv_transfer_launch on 1 SM
  gpus_per_uplink = 0, -- not measured: own link assumed
  uplink_bw = 0, -- not measured (gpus_per_uplink = 0)
  host_bw = 9.022e+10, -- duplex DMA aggregate: lower bound of host DRAM bw for DMA
  nvlink_bw = 0, -- not measured (one GPU)
  nvlink_lat = 0, -- not measured (one GPU)
  nic_bw = 0, -- no inter-server tier
  nic_lat = 0, -- no inter-server tier
  vmm_reserve = 9.715e-07, -- cuMemAddressReserve, granularity range, cycles median
  vmm_create = 1.443e-05, -- cuMemCreate, cycles median
  vmm_map = 1.153e-06, -- cuMemMap, cycles median
  vmm_set_access = 3.052e-05, -- cuMemSetAccess, cycles median
  vmm_unmap = 2.29e-05, -- cuMemUnmap, cycles median
  vmm_release = 1.538e-05, -- cuMemRelease, cycles median
  vmm_granularity = 2097152, -- cuMemGetAllocationGranularity minimum
  vmm_reserve_per_mib = 5.384e-08, -- size slope: (largest - smallest handle median) / MiB, isolation
  vmm_create_per_mib = 3.904e-07, -- size slope, isolation
  vmm_map_per_mib = 4.532e-09, -- size slope, isolation
  vmm_set_access_per_mib = 3.45e-07, -- size slope, isolation
  vmm_unmap_per_mib = 1.587e-07, -- size slope, isolation
  vmm_release_per_mib = 5.859e-07, -- size slope, isolation
  table_write = 4.192e-06, -- 4 KiB H2D from pinned, events on an idle stream, median
  source = "kvsim-calibrate on NVIDIA H100 80GB HBM3, driver API 13000, 2026-11-22 16:06 UTC",
}
