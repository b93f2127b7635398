-- Platform measured by kvsim-calibrate (kernels/calibrate.cu).
-- device: NVIDIA H100 80GB HBM3, 132 SMs, 85017493504 bytes (84465090560 free), 1 GPU(s), driver API 13000, 2026-11-22 15:23 UTC
-- pcie H2D 54.16 GB/s, D2H 55.08 GB/s at 256 MiB (pcie_bw = the lower)
-- copy fixed cost 2.45 us (median of time - bytes/bw, 4..64 KiB, both directions); 1-byte copies back to back 2.27 us each; 1-byte copy + sync round trip 5.77 us (median)
-- duplex (256 MiB each way at once): 85.79 GB/s aggregate
-- device-to-device copy 256 MiB: 2925.7 GB/s counting read + write; HBM read stream 1 GiB: 3069.1 GB/s
-- bf16 matrix product 8192x8192x8192 (cuBLAS, random data): 790 TFLOP/s
-- kernel launch: 3.40 us each back to back; launch + sync round trip 8.57 us (median); table update (4 KiB H2D + launch) 7.63 us
-- zero-copy dependent read of mapped host memory: 1.16 us each (pcie_lat = round trip)
-- host memcpy 256 MiB, one thread: 11.8 GB/s (host_bw; a lower bound of DRAM bandwidth)
-- SM copy with 1 SM, 64 KiB pages, mean of both directions: 39.53 GB/s (sm_copy_bw_per_sm)
-- vmm 2 MiB medians (us): reserve 0.88 create 12.57 map 0.88 set_access 26.60 unmap 18.20 release 12.96 addr_free 0.76
-- vmm 4 MiB medians (us): reserve 0.90 create 12.26 map 0.97 set_access 27.31 unmap 18.79 release 16.20 addr_free 0.76
-- vmm 8 MiB medians (us): reserve 0.91 create 12.12 map 0.92 set_access 27.45 unmap 18.82 release 19.05 addr_free 0.75
-- vmm 64 MiB medians (us): reserve 2.83 create 11.07 map 0.84 set_access 40.37 unmap 25.00 release 48.47 addr_free 2.37
return {
  name = "h100-measured",
  gpus_per_server = 1, -- cudaGetDeviceCount
  servers = 1, -- one machine
  hbm_bytes = 85017493504, -- cudaMemGetInfo total
  hbm_bw = 3.069e+12, -- read-stream kernel, 1 GiB
  d2d_bw = 2.926e+12, -- cudaMemcpyAsync D2D 256 MiB, read+write
  flops = 7.899e+14, -- cuBLAS bf16 GEMM
  sms = 132, -- device property
  kernel_launch = 3.405e-06, -- empty kernels back to back
  pcie_bw = 5.416e+10, -- min(H2D, D2H) at 256 MiB, pinned
  pcie_lat = 1.163e-06, -- zero-copy dependent read round trip
  copy_overhead = 2.448e-06, -- fixed cost per cudaMemcpyAsync
  sm_copy_bw_per_sm = 3.953e+10, -- kv_transfer_launch on 1 SM
  gpus_per_uplink = 0, -- not measured: own link assumed
  uplink_bw = 0, -- not measured (gpus_per_uplink = 0)
  host_bw = 1.18e+10, -- one-thread memcpy, lower bound
  nvlink_bw = 0, -- not measured (one GPU)
  nvlink_lat = 0, -- not measured (one GPU)
  nic_bw = 0, -- no inter-server tier
  nic_lat = 0, -- no inter-server tier
  vmm_reserve = 8.835e-07, -- cuMemAddressReserve, granularity handle
  vmm_create = 1.257e-05, -- cuMemCreate
  vmm_map = 8.755e-07, -- cuMemMap
  vmm_set_access = 2.66e-05, -- cuMemSetAccess
  vmm_unmap = 1.82e-05, -- cuMemUnmap
  vmm_release = 1.296e-05, -- cuMemRelease
  vmm_granularity = 2097152, -- cuMemGetAllocationGranularity minimum
  table_write = 7.626e-06, -- 4 KiB H2D + launch, back to back
  source = "kvsim-calibrate on NVIDIA H100 80GB HBM3, driver API 13000, 2026-11-22 15:23 UTC",
}
