-- Platform measured by kvsim-calibrate (kernels/calibrate.cu).
-- device: NVIDIA H100 80GB HBM3, 132 SMs, 85017493504 bytes (84465090560 free), 1 GPU(s), driver API 13000, 2026-11-22 15:16 UTC
-- pcie H2D 55.14 GB/s, D2H 55.22 GB/s at 256 MiB (pcie_bw = the lower)
-- copy fixed cost 2.27 us (median of time - bytes/bw, 4..64 KiB, both directions); 1-byte copies back to back 2.37 us each; 1-byte copy + sync round trip 5.69 us (median)
-- duplex (256 MiB each way at once): 94.33 GB/s aggregate
-- device-to-device copy 256 MiB: 2925.7 GB/s counting read + write; HBM read stream 1 GiB: 3070.2 GB/s
-- bf16 matrix product 8192x8192x8192 (cuBLAS, random data): 789 TFLOP/s
-- kernel launch: 3.73 us each back to back; launch + sync round trip 8.94 us (median); table update (4 KiB H2D + launch) 10.15 us
-- zero-copy dependent read of mapped host memory: 1.33 us each (pcie_lat = round trip)
-- host memcpy 256 MiB, one thread: 13.6 GB/s (host_bw; a lower bound of DRAM bandwidth)
-- SM copy with 1 SM, 64 KiB pages, mean of both directions: 39.37 GB/s (sm_copy_bw_per_sm)
-- vmm 2 MiB medians (us): reserve 0.59 create 7.60 map 0.59 set_access 19.37 unmap 13.83 release 9.52 addr_free 0.43
-- vmm 4 MiB medians (us): reserve 0.70 create 9.57 map 0.77 set_access 22.48 unmap 16.25 release 12.30 addr_free 0.58
-- vmm 8 MiB medians (us): reserve 0.60 create 7.51 map 0.58 set_access 19.16 unmap 13.78 release 12.15 addr_free 0.41
-- vmm 64 MiB medians (us): reserve 2.03 create 7.92 map 0.61 set_access 33.02 unmap 21.31 release 25.00 addr_free 1.47
return {
  name = "h100-measured",
  gpus_per_server = 1, -- cudaGetDeviceCount
  servers = 1, -- one machine
  hbm_bytes = 85017493504, -- cudaMemGetInfo total
  hbm_bw = 3.07e+12, -- read-stream kernel, 1 GiB
  d2d_bw = 2.926e+12, -- cudaMemcpyAsync D2D 256 MiB, read+write
  flops = 7.89e+14, -- cuBLAS bf16 GEMM
  sms = 132, -- device property
  kernel_launch = 3.733e-06, -- empty kernels back to back
  pcie_bw = 5.514e+10, -- min(H2D, D2H) at 256 MiB, pinned
  pcie_lat = 1.33e-06, -- zero-copy dependent read round trip
  copy_overhead = 2.274e-06, -- fixed cost per cudaMemcpyAsync
  sm_copy_bw_per_sm = 3.937e+10, -- kv_transfer_launch on 1 SM
  gpus_per_uplink = 0, -- not measured: own link assumed
  uplink_bw = 0, -- not measured (gpus_per_uplink = 0)
  host_bw = 1.361e+10, -- one-thread memcpy, lower bound
  nvlink_bw = 0, -- not measured (one GPU)
  nvlink_lat = 0, -- not measured (one GPU)
  nic_bw = 0, -- no inter-server tier
  nic_lat = 0, -- no inter-server tier
  vmm_reserve = 5.865e-07, -- cuMemAddressReserve, granularity handle
  vmm_create = 7.602e-06, -- cuMemCreate
  vmm_map = 5.855e-07, -- cuMemMap
  vmm_set_access = 1.937e-05, -- cuMemSetAccess
  vmm_unmap = 1.383e-05, -- cuMemUnmap
  vmm_release = 9.522e-06, -- cuMemRelease
  vmm_granularity = 2097152, -- cuMemGetAllocationGranularity minimum
  table_write = 1.015e-05, -- 4 KiB H2D + launch, back to back
  source = "kvsim-calibrate on NVIDIA H100 80GB HBM3, driver API 13000, 2026-11-22 15:16 UTC",
}
