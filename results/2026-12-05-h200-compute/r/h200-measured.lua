-- Platform measured by kvsim-calibrate (kernels/calibrate.cu).
-- device: NVIDIA H200, 132 SMs, 150109880320 bytes (149557477376 free), 1 GPU(s), driver API 13000, 2026-12-05 04:13 UTC
-- pcie H2D 55.38 GB/s, D2H 55.27 GB/s at 256 MiB (pcie_bw = the lower)
-- copy fixed cost 2.32 us (median of time - bytes/bw, 4..64 KiB, both directions); 1-byte copies back to back 2.43 us each; 1-byte copy + sync round trip 5.81 us (median)
-- duplex (256 MiB each way at once): 101.13 GB/s aggregate (host_bw: a lower bound of host DRAM bandwidth for DMA)
-- device-to-device copy 256 MiB: 4051.5 GB/s counting read + write
-- HBM read stream, GB/s: unrolled x4, 1 GiB, 4 blocks/SM: 4497.5; weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM: 4667.2; weight read, 256 MiB once x 16 launches, 4 blocks/SM: 4144.4; weight read, 1 GiB once, 4 blocks/SM: 4379.0; weight read, 1 GiB once, 8 blocks/SM: 4401.3; weight read, 1 GiB once, 16 blocks/SM: 4414.0; weight read, 2 GiB once, 4 blocks/SM: 4420.0
-- HBM read stream: 4667.2 GB/s, the best (weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM) (hbm_bw)
-- bf16 matrix product 8192x8192x8192 (cuBLAS, random data): 775 TFLOP/s
-- kernel launch: 3.60 us each back to back; launch + sync round trip 9.62 us (median)
-- table write (4 KiB H2D from pinned memory between CUDA events on an idle stream, as the GPU backend does): median 4.99 us, p10 4.64, p90 5.28 (table_write); the same copies queued back to back 3.89 us; the former definition, 4 KiB H2D + kernel launch back to back, 5.17 us
-- table write right after a step (a read stream of a few ms on the same stream, then a host sync, then the event pair and the copy; 100 times): median 5.97 us, p10 4.58, p90 8.03
-- zero-copy dependent read of mapped host memory: 1.15 us each (pcie_lat = round trip)
-- host memcpy 256 MiB, one thread: 10.0 GB/s (one CPU core; not host_bw, which is the duplex DMA figure)
-- batch check: 768 entries (every size, both directions) equal their sources byte for byte
-- SM copy check: 559104 pages (every page size, both directions, 8 SMs) equal their sources byte for byte; threads per block: 1024, fixed by kv_transfer_launch (not an axis)
-- SM copy with 1 SM, 64 KiB pages, mean of both directions: 40.21 GB/s (sm_copy_bw_per_sm)
-- SM copy both directions at once (kv_transfer_pair_launch, 8 SMs, 64 KiB pages, 64 MiB each way): 84.04 GB/s aggregate (sm_duplex_bw)
-- attention check: block-table and offset-table outputs equal the contiguous one at every block size (worst relative L2 0, tolerance 1e-05); contiguous vs float64 CPU reference on 4 requests 1.5e-07 (tolerance 1e-3)
-- vmm 2 MiB medians in isolation (us): reserve 0.97 create 13.29 map 0.94 set_access 27.08 unmap 17.99 release 13.56 addr_free 0.83
-- vmm 4 MiB medians in isolation (us): reserve 0.99 create 12.95 map 1.06 set_access 28.03 unmap 18.49 release 17.08 addr_free 0.85
-- vmm 8 MiB medians in isolation (us): reserve 1.01 create 12.93 map 1.04 set_access 28.12 unmap 18.60 release 20.65 addr_free 0.85
-- vmm 16 MiB medians in isolation (us): reserve 1.02 create 13.06 map 1.06 set_access 28.36 unmap 18.56 release 28.57 addr_free 0.85
-- vmm 64 MiB medians in isolation (us): reserve 3.50 create 35.43 map 1.01 set_access 45.38 unmap 25.96 release 49.58 addr_free 2.77
-- vmm 256 MiB medians in isolation (us): reserve 3.54 create 17.35 map 1.04 set_access 49.65 unmap 26.74 release 172.71 addr_free 2.93
-- vmm 1024 MiB medians in isolation (us): reserve 3.56 create 114.55 map 1.22 set_access 84.36 unmap 35.49 release 649.30 addr_free 3.30
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU idle, us median (p10/p90): reserve 0.96 (0.89/1.18) create 13.12 (12.70/13.93) map 1.15 (1.05/1.37) set_access 29.61 (28.59/31.54) unmap 20.94 (19.78/22.83) release 14.95 (14.41/15.87) addr_free 0.90 (0.84/1.05)
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU busy with a read stream, us median (p10/p90): reserve 0.96 (0.90/1.21) create 13.47 (12.83/14.42) map 1.18 (1.08/1.41) set_access 30.77 (29.00/33.03) unmap 21.96 (20.10/25.39) release 14.88 (14.30/15.80) addr_free 0.89 (0.83/1.09); 34 reads launched
-- vmm 2 MiB, 200 cycles among 128 live handles, each cycle right after a step, us median (p10/p90): reserve 1.33 (1.00/1.57) create 15.27 (14.25/81.49) map 1.45 (1.16/1.73) set_access 31.99 (30.60/34.71) unmap 22.98 (21.70/25.10) release 15.85 (15.07/17.27) addr_free 0.99 (0.91/1.17)
-- vmm factors over isolation at the granularity (busy, after_step): reserve 0.967 1.334 create 1.013 1.149 map 1.257 1.540 set_access 1.136 1.181 unmap 1.220 1.277 release 1.098 1.170 free_va 1.149 1.271
return {
  name = "h200-measured",
  gpus_per_server = 1, -- cudaGetDeviceCount
  servers = 1, -- one machine
  hbm_bytes = 150109880320, -- cudaMemGetInfo total
  hbm_bw = 4.667e+12, -- best read stream (kernels and launch shapes above)
  d2d_bw = 4.051e+12, -- cudaMemcpyAsync D2D 256 MiB, read+write
  flops = 7.754e+14, -- cuBLAS bf16 GEMM
  sms = 132, -- device property
  kernel_launch = 3.6e-06, -- empty kernels back to back
  pcie_bw = 5.527e+10, -- min(H2D, D2H) at 256 MiB, pinned
  pcie_lat = 1.147e-06, -- zero-copy dependent read round trip
  copy_overhead = 2.323e-06, -- fixed cost per cudaMemcpyAsync
  sm_copy_bw_per_sm = 4.021e+10, -- kv_transfer_launch on 1 SM
  sm_duplex_bw = 8.404e+10, -- kv_transfer_pair_launch both ways at once, 8 SMs, aggregate
  gpus_per_uplink = 0, -- not measured: own link assumed
  uplink_bw = 0, -- not measured (gpus_per_uplink = 0)
  host_bw = 1.011e+11, -- duplex DMA aggregate: lower bound of host DRAM bw for DMA
  nvlink_bw = 0, -- not measured (one GPU)
  nvlink_lat = 0, -- not measured (one GPU)
  nic_bw = 0, -- no inter-server tier
  nic_lat = 0, -- no inter-server tier
  vmm_reserve = 1.328e-06, -- cuMemAddressReserve, granularity range, cycles after a step, median
  vmm_create = 1.527e-05, -- cuMemCreate, cycles after a step, median
  vmm_map = 1.451e-06, -- cuMemMap, cycles after a step, median
  vmm_set_access = 3.199e-05, -- cuMemSetAccess, cycles after a step, median
  vmm_unmap = 2.298e-05, -- cuMemUnmap, cycles after a step, median
  vmm_release = 1.585e-05, -- cuMemRelease, cycles after a step, median
  vmm_granularity = 2097152, -- cuMemGetAllocationGranularity minimum
  vmm_reserve_per_mib = 2.532e-09, -- size slope: (largest - smallest handle median) / MiB, isolation
  vmm_create_per_mib = 9.908e-08, -- size slope, isolation
  vmm_map_per_mib = 2.73e-10, -- size slope, isolation
  vmm_set_access_per_mib = 5.605e-08, -- size slope, isolation
  vmm_unmap_per_mib = 1.712e-08, -- size slope, isolation
  vmm_release_per_mib = 6.221e-07, -- size slope, isolation
  table_write = 5.968e-06, -- 4 KiB H2D from pinned right after a step, events, median
  -- measured curves (every raw one in h200-measured.curves.csv)
  vmm_reserve_curve = { {2097152, 9.955e-07}, {67108864, 3.0765e-06}, {1073741824, 2.714e-06}, {17179869184, 2.687e-06}, {274877906944, 2.6645e-06}, {1099511627776, 2.5755e-06} }, -- s per call by range bytes, isolation
  vmm_create_curve = { {2097152, 1.32885e-05}, {4194304, 1.29455e-05}, {8388608, 1.2931e-05}, {16777216, 1.30555e-05}, {67108864, 3.5428e-05}, {268435456, 1.73465e-05}, {1073741824, 0.000114547} }, -- s per call by handle bytes, isolation
  vmm_map_curve = { {2097152, 9.42e-07}, {4194304, 1.056e-06}, {8388608, 1.035e-06}, {16777216, 1.055e-06}, {67108864, 1.012e-06}, {268435456, 1.0365e-06}, {1073741824, 1.221e-06} }, -- s per call by handle bytes, isolation
  vmm_set_access_curve = { {2097152, 2.7077e-05}, {4194304, 2.8027e-05}, {8388608, 2.8119e-05}, {16777216, 2.8365e-05}, {67108864, 4.5377e-05}, {268435456, 4.965e-05}, {1073741824, 8.43645e-05} }, -- s per call by handle bytes, isolation
  vmm_unmap_curve = { {2097152, 1.7994e-05}, {4194304, 1.84885e-05}, {8388608, 1.85995e-05}, {16777216, 1.8558e-05}, {67108864, 2.59595e-05}, {268435456, 2.67365e-05}, {1073741824, 3.5493e-05} }, -- s per call by handle bytes, isolation
  vmm_release_curve = { {2097152, 1.35555e-05}, {4194304, 1.7081e-05}, {8388608, 2.06455e-05}, {16777216, 2.8568e-05}, {67108864, 4.95825e-05}, {268435456, 0.000172708}, {1073741824, 0.000649303} }, -- s per call by handle bytes, isolation
  vmm_free_va_curve = { {2097152, 7.78e-07}, {67108864, 3.758e-06}, {1073741824, 2.5085e-06}, {17179869184, 2.614e-06}, {274877906944, 3.937e-06}, {1099511627776, 3.649e-06} }, -- s per call by range bytes, isolation
  vmm_reserve_busy = 0.9674, -- busy / isolated at the granularity
  vmm_create_busy = 1.013, -- busy / isolated at the granularity
  vmm_map_busy = 1.257, -- busy / isolated at the granularity
  vmm_set_access_busy = 1.136, -- busy / isolated at the granularity
  vmm_unmap_busy = 1.22, -- busy / isolated at the granularity
  vmm_release_busy = 1.098, -- busy / isolated at the granularity
  vmm_free_va_busy = 1.149, -- busy / isolated at the granularity
  vmm_reserve_after_step = 1.334, -- after_step / isolated at the granularity
  vmm_create_after_step = 1.149, -- after_step / isolated at the granularity
  vmm_map_after_step = 1.54, -- after_step / isolated at the granularity
  vmm_set_access_after_step = 1.181, -- after_step / isolated at the granularity
  vmm_unmap_after_step = 1.277, -- after_step / isolated at the granularity
  vmm_release_after_step = 1.17, -- after_step / isolated at the granularity
  vmm_free_va_after_step = 1.271, -- after_step / isolated at the granularity
  copy_h2d_curve = { {4096, 2.6249e-06}, {16384, 2.96381e-06}, {65536, 4.17523e-06}, {262144, 7.75915e-06}, {1048576, 2.2156e-05}, {4194304, 7.8787e-05}, {16777216, 0.000306}, {67108864, 0.00121285}, {268435456, 0.00484745} }, -- s per cudaMemcpyAsync by bytes, back to back
  copy_d2h_curve = { {4096, 2.16928e-06}, {16384, 2.1835e-06}, {65536, 3.11509e-06}, {262144, 6.12715e-06}, {1048576, 2.05277e-05}, {4194304, 7.77956e-05}, {16777216, 0.000304814}, {67108864, 0.0012157}, {268435456, 0.00485682} }, -- s per cudaMemcpyAsync by bytes, back to back
  sm_copy_h2d_curve = { {1, 3.5283e+10}, {2, 5.10678e+10}, {4, 5.08672e+10}, {8, 5.10206e+10}, {16, 5.10902e+10}, {32, 5.10417e+10}, {64, 5.11264e+10} }, -- B/s by SMs, 65536-byte pages
  sm_copy_d2h_curve = { {1, 4.5133e+10}, {2, 5.19316e+10}, {4, 5.21511e+10}, {8, 5.23974e+10}, {16, 5.26446e+10}, {32, 5.26631e+10}, {64, 5.26354e+10} }, -- B/s by SMs, 65536-byte pages
  batch_h2d_curve = { {4096, 5.35125e-07}, {16384, 1.0085e-06}, {65536, 1.46925e-06}, {262144, 5.0505e-06}, {1048576, 1.90774e-05}, {4194304, 7.57614e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_d2h_curve = { {4096, 4.89625e-07}, {16384, 8.97e-07}, {65536, 1.43563e-06}, {262144, 4.98475e-06}, {1048576, 1.91482e-05}, {4194304, 7.61074e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_call = 5.11e-05, -- s of host time per batched call
  attn_block_table_curve = { {1, 1.30285}, {4, 1.09377}, {16, 1.08691}, {64, 1.08091}, {256, 1.0761} }, -- time over contiguous by tokens per block
  attn_offset_table_curve = { {1, 1.36307}, {4, 1.14237}, {16, 1.0716}, {64, 1.06532}, {256, 1.05894} }, -- time over contiguous by tokens per block
  source = "kvsim-calibrate on NVIDIA H200, driver API 13000, 2026-12-05 04:13 UTC",
}
