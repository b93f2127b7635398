-- Platform measured by kvsim-calibrate (kernels/calibrate.cu).
-- device: NVIDIA H100 80GB HBM3, 132 SMs, 85017493504 bytes (84465090560 free), 1 GPU(s), driver API 13000, 2026-11-22 15:11 UTC
-- pcie H2D 52.46 GB/s, D2H 54.55 GB/s at 256 MiB (pcie_bw = the lower)
-- copy fixed cost 2.29 us (median of time - bytes/bw, 4..64 KiB, both directions); 1-byte copies back to back 2.25 us each; 1-byte copy + sync round trip 6.23 us (median)
-- duplex (256 MiB each way at once): 91.88 GB/s aggregate
-- device-to-device copy 256 MiB: 2906.4 GB/s counting read + write; HBM read stream 1 GiB: 3077.0 GB/s
-- bf16 matrix product 8192x8192x8192 (cuBLAS, random data): 779 TFLOP/s
-- kernel launch: 4.16 us each back to back; launch + sync round trip 9.90 us (median); table update (4 KiB H2D + launch) 6.65 us
-- zero-copy dependent read of mapped host memory: 1.19 us each (pcie_lat = round trip)
-- host memcpy 256 MiB, one thread: 11.7 GB/s (host_bw; a lower bound of DRAM bandwidth)
-- SM copy with 1 SM, 64 KiB pages, mean of both directions: 39.86 GB/s (sm_copy_bw_per_sm)
-- vmm 2 MiB medians (us): reserve 0.90 create 12.84 map 0.92 set_access 26.17 unmap 17.91 release 13.12 addr_free 0.73
-- vmm 4 MiB medians (us): reserve 0.91 create 12.00 map 0.93 set_access 26.17 unmap 17.93 release 16.07 addr_free 0.75
-- vmm 8 MiB medians (us): reserve 0.93 create 11.96 map 0.97 set_access 26.41 unmap 17.93 release 19.61 addr_free 0.77
-- vmm 64 MiB medians (us): reserve 3.27 create 33.03 map 1.02 set_access 44.12 unmap 26.11 release 48.07 addr_free 2.59
return {
  name = "h100-measured",
  gpus_per_server = 1, -- cudaGetDeviceCount
  servers = 1, -- one machine
  hbm_bytes = 85017493504, -- cudaMemGetInfo total
  hbm_bw = 3.077e+12, -- read-stream kernel, 1 GiB
  d2d_bw = 2.906e+12, -- cudaMemcpyAsync D2D 256 MiB, read+write
  flops = 7.788e+14, -- cuBLAS bf16 GEMM
  sms = 132, -- device property
  kernel_launch = 4.159e-06, -- empty kernels back to back
  pcie_bw = 5.246e+10, -- min(H2D, D2H) at 256 MiB, pinned
  pcie_lat = 1.186e-06, -- zero-copy dependent read round trip
  copy_overhead = 2.294e-06, -- fixed cost per cudaMemcpyAsync
  sm_copy_bw_per_sm = 3.986e+10, -- kv_transfer_launch on 1 SM
  gpus_per_uplink = 0, -- not measured: own link assumed
  uplink_bw = 0, -- not measured (gpus_per_uplink = 0)
  host_bw = 1.167e+10, -- one-thread memcpy, lower bound
  nvlink_bw = 0, -- not measured (one GPU)
  nvlink_lat = 0, -- not measured (one GPU)
  nic_bw = 0, -- no inter-server tier
  nic_lat = 0, -- no inter-server tier
  vmm_reserve = 9.045e-07, -- cuMemAddressReserve, granularity handle
  vmm_create = 1.284e-05, -- cuMemCreate
  vmm_map = 9.2e-07, -- cuMemMap
  vmm_set_access = 2.617e-05, -- cuMemSetAccess
  vmm_unmap = 1.791e-05, -- cuMemUnmap
  vmm_release = 1.312e-05, -- cuMemRelease
  vmm_granularity = 2097152, -- cuMemGetAllocationGranularity minimum
  table_write = 6.65e-06, -- 4 KiB H2D + launch, back to back
  source = "kvsim-calibrate on NVIDIA H100 80GB HBM3, driver API 13000, 2026-11-22 15:11 UTC",
}
