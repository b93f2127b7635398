-- Platform measured by kvsim-calibrate (kernels/calibrate.cu).
-- device: NVIDIA H100 80GB HBM3, 132 SMs, 85017493504 bytes (84465090560 free), 1 GPU(s), driver API 13000, 2026-11-22 18:16 UTC
-- pcie H2D 51.67 GB/s, D2H 54.85 GB/s at 256 MiB (pcie_bw = the lower)
-- copy fixed cost 2.76 us (median of time - bytes/bw, 4..64 KiB, both directions); 1-byte copies back to back 2.24 us each; 1-byte copy + sync round trip 5.86 us (median)
-- duplex (256 MiB each way at once): 71.52 GB/s aggregate (host_bw: a lower bound of host DRAM bandwidth for DMA)
-- device-to-device copy 256 MiB: 2876.3 GB/s counting read + write
-- HBM read stream, GB/s: unrolled x4, 1 GiB, 4 blocks/SM: 3088.7; weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM: 3253.7; weight read, 256 MiB once x 16 launches, 4 blocks/SM: 2999.6; weight read, 1 GiB once, 4 blocks/SM: 3071.8; weight read, 1 GiB once, 8 blocks/SM: 3086.5; weight read, 1 GiB once, 16 blocks/SM: 3085.2; weight read, 2 GiB once, 4 blocks/SM: 3085.1
-- HBM read stream: 3253.7 GB/s, the best (weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM) (hbm_bw)
-- bf16 matrix product 8192x8192x8192 (cuBLAS, random data): 768 TFLOP/s
-- kernel launch: 6.14 us each back to back; launch + sync round trip 10.65 us (median)
-- table write (4 KiB H2D from pinned memory between CUDA events on an idle stream, as the GPU backend does): median 5.02 us, p10 4.83, p90 5.31 (table_write); the same copies queued back to back 4.00 us; the former definition, 4 KiB H2D + kernel launch back to back, 7.11 us
-- table write right after a step (a read stream of a few ms on the same stream, then a host sync, then the event pair and the copy; 100 times): median 5.86 us, p10 5.34, p90 6.34
-- zero-copy dependent read of mapped host memory: 1.18 us each (pcie_lat = round trip)
-- host memcpy 256 MiB, one thread: 10.0 GB/s (one CPU core; not host_bw, which is the duplex DMA figure)
-- SM copy with 1 SM, 64 KiB pages, mean of both directions: 38.28 GB/s (sm_copy_bw_per_sm)
-- SM copy both directions at once (kv_transfer_pair_launch, 8 SMs, 64 KiB pages, 64 MiB each way): 80.88 GB/s aggregate (sm_duplex_bw)
-- vmm 2 MiB medians in isolation (us): reserve 1.01 create 13.30 map 0.98 set_access 27.11 unmap 18.37 release 13.52 addr_free 0.75
-- vmm 4 MiB medians in isolation (us): reserve 1.05 create 12.91 map 1.02 set_access 27.91 unmap 18.81 release 16.88 addr_free 0.78
-- vmm 8 MiB medians in isolation (us): reserve 1.02 create 12.86 map 1.00 set_access 27.87 unmap 18.81 release 20.46 addr_free 0.77
-- vmm 64 MiB medians in isolation (us): reserve 3.54 create 35.57 map 1.05 set_access 46.03 unmap 27.03 release 49.04 addr_free 2.90
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU idle, us median (p10/p90): reserve 0.95 (0.87/1.22) create 13.86 (13.55/14.93) map 1.11 (0.99/1.48) set_access 29.50 (28.65/32.14) unmap 22.14 (20.79/24.71) release 15.15 (14.25/16.48) addr_free 0.88 (0.83/1.09)
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU busy with a read stream, us median (p10/p90): reserve 1.09 (0.98/1.35) create 15.55 (14.79/16.54) map 1.24 (1.10/1.61) set_access 34.72 (32.29/37.81) unmap 30.44 (23.22/33.23) release 16.37 (15.40/17.85) addr_free 1.00 (0.91/1.23); 30 reads launched
-- vmm 2 MiB, 200 cycles among 128 live handles, each cycle right after a step, us median (p10/p90): reserve 2.12 (1.62/3.00) create 22.27 (18.93/32.99) map 2.22 (1.70/3.11) set_access 43.65 (38.86/55.97) unmap 31.42 (27.97/39.70) release 21.77 (18.80/25.08) addr_free 1.61 (1.26/2.19)
return {
  name = "h100-measured",
  gpus_per_server = 1, -- cudaGetDeviceCount
  servers = 1, -- one machine
  hbm_bytes = 85017493504, -- cudaMemGetInfo total
  hbm_bw = 3.254e+12, -- best read stream (kernels and launch shapes above)
  d2d_bw = 2.876e+12, -- cudaMemcpyAsync D2D 256 MiB, read+write
  flops = 7.675e+14, -- cuBLAS bf16 GEMM
  sms = 132, -- device property
  kernel_launch = 6.142e-06, -- empty kernels back to back
  pcie_bw = 5.167e+10, -- min(H2D, D2H) at 256 MiB, pinned
  pcie_lat = 1.184e-06, -- zero-copy dependent read round trip
  copy_overhead = 2.762e-06, -- fixed cost per cudaMemcpyAsync
  sm_copy_bw_per_sm = 3.828e+10, -- kv_transfer_launch on 1 SM
  sm_duplex_bw = 8.088e+10, -- kv_transfer_pair_launch both ways at once, 8 SMs, aggregate
  gpus_per_uplink = 0, -- not measured: own link assumed
  uplink_bw = 0, -- not measured (gpus_per_uplink = 0)
  host_bw = 7.152e+10, -- duplex DMA aggregate: lower bound of host DRAM bw for DMA
  nvlink_bw = 0, -- not measured (one GPU)
  nvlink_lat = 0, -- not measured (one GPU)
  nic_bw = 0, -- no inter-server tier
  nic_lat = 0, -- no inter-server tier
  vmm_reserve = 2.12e-06, -- cuMemAddressReserve, granularity range, cycles after a step, median
  vmm_create = 2.227e-05, -- cuMemCreate, cycles after a step, median
  vmm_map = 2.218e-06, -- cuMemMap, cycles after a step, median
  vmm_set_access = 4.365e-05, -- cuMemSetAccess, cycles after a step, median
  vmm_unmap = 3.142e-05, -- cuMemUnmap, cycles after a step, median
  vmm_release = 2.177e-05, -- cuMemRelease, cycles after a step, median
  vmm_granularity = 2097152, -- cuMemGetAllocationGranularity minimum
  vmm_reserve_per_mib = 4.081e-08, -- size slope: (largest - smallest handle median) / MiB, isolation
  vmm_create_per_mib = 3.591e-07, -- size slope, isolation
  vmm_map_per_mib = 1.25e-09, -- size slope, isolation
  vmm_set_access_per_mib = 3.052e-07, -- size slope, isolation
  vmm_unmap_per_mib = 1.396e-07, -- size slope, isolation
  vmm_release_per_mib = 5.729e-07, -- size slope, isolation
  table_write = 5.856e-06, -- 4 KiB H2D from pinned right after a step, events, median
  source = "kvsim-calibrate on NVIDIA H100 80GB HBM3, driver API 13000, 2026-11-22 18:16 UTC",
}
