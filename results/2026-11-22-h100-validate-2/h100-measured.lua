-- Platform measured by kvsim-calibrate (kernels/calibrate.cu).
-- device: NVIDIA H100 80GB HBM3, 132 SMs, 85017493504 bytes (84465090560 free), 1 GPU(s), driver API 13000, 2026-11-22 15:40 UTC
-- pcie H2D 54.99 GB/s, D2H 55.13 GB/s at 256 MiB (pcie_bw = the lower)
-- copy fixed cost 2.45 us (median of time - bytes/bw, 4..64 KiB, both directions); 1-byte copies back to back 2.39 us each; 1-byte copy + sync round trip 6.62 us (median)
-- duplex (256 MiB each way at once): 93.35 GB/s aggregate (host_bw: a lower bound of host DRAM bandwidth for DMA)
-- device-to-device copy 256 MiB: 2900.9 GB/s counting read + write
-- HBM read stream, GB/s: unrolled x4, 1 GiB, 4 blocks/SM: 3094.9; weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM: 3269.9; weight read, 256 MiB once x 16 launches, 4 blocks/SM: 3008.8; weight read, 1 GiB once, 4 blocks/SM: 3078.4; weight read, 1 GiB once, 8 blocks/SM: 3085.7; weight read, 1 GiB once, 16 blocks/SM: 3085.6; weight read, 2 GiB once, 4 blocks/SM: 3086.5
-- HBM read stream: 3269.9 GB/s, the best (weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM) (hbm_bw)
-- bf16 matrix product 8192x8192x8192 (cuBLAS, random data): 797 TFLOP/s
-- kernel launch: 4.49 us each back to back; launch + sync round trip 10.04 us (median)
-- table write (4 KiB H2D from pinned memory between CUDA events on an idle stream, as the GPU backend does): median 4.64 us, p10 4.48, p90 4.90 (table_write); the same copies queued back to back 3.81 us; the former definition, 4 KiB H2D + kernel launch back to back, 6.96 us
-- zero-copy dependent read of mapped host memory: 1.16 us each (pcie_lat = round trip)
-- host memcpy 256 MiB, one thread: 12.2 GB/s (one CPU core; not host_bw, which is the duplex DMA figure)
-- SM copy with 1 SM, 64 KiB pages, mean of both directions: 39.82 GB/s (sm_copy_bw_per_sm)
-- vmm 2 MiB medians in isolation (us): reserve 1.48 create 18.39 map 1.38 set_access 35.29 unmap 23.07 release 18.18 addr_free 1.06
-- vmm 4 MiB medians in isolation (us): reserve 1.33 create 15.71 map 1.19 set_access 32.90 unmap 21.75 release 19.76 addr_free 1.00
-- vmm 8 MiB medians in isolation (us): reserve 1.41 create 15.73 map 1.28 set_access 33.11 unmap 21.94 release 24.64 addr_free 1.02
-- vmm 64 MiB medians in isolation (us): reserve 4.22 create 44.30 map 1.30 set_access 52.45 unmap 29.95 release 61.37 addr_free 3.30
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU idle, us median (p10/p90): reserve 1.12 (1.03/1.30) create 15.81 (15.40/16.71) map 1.27 (1.16/1.56) set_access 31.98 (31.12/33.65) unmap 22.21 (21.22/23.75) release 16.33 (15.73/17.63) addr_free 1.00 (0.94/1.15)
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU busy with a read stream, us median (p10/p90): reserve 1.00 (0.92/1.22) create 14.29 (13.21/15.02) map 1.12 (1.02/1.39) set_access 32.63 (29.56/36.44) unmap 27.56 (20.78/30.21) release 14.88 (14.13/15.81) addr_free 0.89 (0.84/1.04); 26 reads launched
return {
  name = "h100-measured",
  gpus_per_server = 1, -- cudaGetDeviceCount
  servers = 1, -- one machine
  hbm_bytes = 85017493504, -- cudaMemGetInfo total
  hbm_bw = 3.27e+12, -- best read stream (kernels and launch shapes above)
  d2d_bw = 2.901e+12, -- cudaMemcpyAsync D2D 256 MiB, read+write
  flops = 7.967e+14, -- cuBLAS bf16 GEMM
  sms = 132, -- device property
  kernel_launch = 4.49e-06, -- empty kernels back to back
  pcie_bw = 5.499e+10, -- min(H2D, D2H) at 256 MiB, pinned
  pcie_lat = 1.159e-06, -- zero-copy dependent read round trip
  copy_overhead = 2.447e-06, -- fixed cost per cudaMemcpyAsync
  sm_copy_bw_per_sm = 3.982e+10, -- kv_transfer_launch on 1 SM
  gpus_per_uplink = 0, -- not measured: own link assumed
  uplink_bw = 0, -- not measured (gpus_per_uplink = 0)
  host_bw = 9.335e+10, -- duplex DMA aggregate: lower bound of host DRAM bw for DMA
  nvlink_bw = 0, -- not measured (one GPU)
  nvlink_lat = 0, -- not measured (one GPU)
  nic_bw = 0, -- no inter-server tier
  nic_lat = 0, -- no inter-server tier
  vmm_reserve = 1.117e-06, -- cuMemAddressReserve, granularity range, cycles median
  vmm_create = 1.581e-05, -- cuMemCreate, cycles median
  vmm_map = 1.271e-06, -- cuMemMap, cycles median
  vmm_set_access = 3.198e-05, -- cuMemSetAccess, cycles median
  vmm_unmap = 2.221e-05, -- cuMemUnmap, cycles median
  vmm_release = 1.633e-05, -- cuMemRelease, cycles median
  vmm_granularity = 2097152, -- cuMemGetAllocationGranularity minimum
  table_write = 4.64e-06, -- 4 KiB H2D from pinned, events on an idle stream, median
  source = "kvsim-calibrate on NVIDIA H100 80GB HBM3, driver API 13000, 2026-11-22 15:40 UTC",
}
