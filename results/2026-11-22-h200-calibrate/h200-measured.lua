-- Platform measured by kvsim-calibrate (kernels/calibrate.cu).
-- device: NVIDIA H200, 132 SMs, 150109880320 bytes (149557477376 free), 1 GPU(s), driver API 13000, 2026-11-22 15:25 UTC
-- pcie H2D 55.36 GB/s, D2H 55.31 GB/s at 256 MiB (pcie_bw = the lower)
-- copy fixed cost 2.22 us (median of time - bytes/bw, 4..64 KiB, both directions); 1-byte copies back to back 2.31 us each; 1-byte copy + sync round trip 5.70 us (median)
-- duplex (256 MiB each way at once): 101.22 GB/s aggregate
-- device-to-device copy 256 MiB: 4098.0 GB/s counting read + write; HBM read stream 1 GiB: 4471.2 GB/s
-- bf16 matrix product 8192x8192x8192 (cuBLAS, random data): 781 TFLOP/s
-- kernel launch: 3.18 us each back to back; launch + sync round trip 7.92 us (median); table update (4 KiB H2D + launch) 6.64 us
-- zero-copy dependent read of mapped host memory: 1.15 us each (pcie_lat = round trip)
-- host memcpy 256 MiB, one thread: 12.0 GB/s (host_bw; a lower bound of DRAM bandwidth)
-- SM copy with 1 SM, 64 KiB pages, mean of both directions: 40.80 GB/s (sm_copy_bw_per_sm)
-- vmm 2 MiB medians (us): reserve 0.64 create 8.05 map 0.58 set_access 19.64 unmap 12.91 release 8.80 addr_free 0.43
-- vmm 4 MiB medians (us): reserve 0.52 create 7.00 map 0.56 set_access 18.27 unmap 12.70 release 9.67 addr_free 0.42
-- vmm 8 MiB medians (us): reserve 0.60 create 7.24 map 0.56 set_access 18.99 unmap 13.21 release 12.05 addr_free 0.45
-- vmm 64 MiB medians (us): reserve 2.14 create 8.08 map 0.62 set_access 33.79 unmap 20.43 release 29.06 addr_free 1.58
return {
  name = "h200-measured",
  gpus_per_server = 1, -- cudaGetDeviceCount
  servers = 1, -- one machine
  hbm_bytes = 150109880320, -- cudaMemGetInfo total
  hbm_bw = 4.471e+12, -- read-stream kernel, 1 GiB
  d2d_bw = 4.098e+12, -- cudaMemcpyAsync D2D 256 MiB, read+write
  flops = 7.812e+14, -- cuBLAS bf16 GEMM
  sms = 132, -- device property
  kernel_launch = 3.181e-06, -- empty kernels back to back
  pcie_bw = 5.531e+10, -- min(H2D, D2H) at 256 MiB, pinned
  pcie_lat = 1.149e-06, -- zero-copy dependent read round trip
  copy_overhead = 2.222e-06, -- fixed cost per cudaMemcpyAsync
  sm_copy_bw_per_sm = 4.08e+10, -- kv_transfer_launch on 1 SM
  gpus_per_uplink = 0, -- not measured: own link assumed
  uplink_bw = 0, -- not measured (gpus_per_uplink = 0)
  host_bw = 1.203e+10, -- one-thread memcpy, lower bound
  nvlink_bw = 0, -- not measured (one GPU)
  nvlink_lat = 0, -- not measured (one GPU)
  nic_bw = 0, -- no inter-server tier
  nic_lat = 0, -- no inter-server tier
  vmm_reserve = 6.395e-07, -- cuMemAddressReserve, granularity handle
  vmm_create = 8.048e-06, -- cuMemCreate
  vmm_map = 5.765e-07, -- cuMemMap
  vmm_set_access = 1.964e-05, -- cuMemSetAccess
  vmm_unmap = 1.291e-05, -- cuMemUnmap
  vmm_release = 8.801e-06, -- cuMemRelease
  vmm_granularity = 2097152, -- cuMemGetAllocationGranularity minimum
  table_write = 6.644e-06, -- 4 KiB H2D + launch, back to back
  source = "kvsim-calibrate on NVIDIA H200, driver API 13000, 2026-11-22 15:25 UTC",
}
