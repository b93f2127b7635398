-- Platform measured by kvsim-calibrate (kernels/calibrate.cu).
-- device: Example GPU (made-up figures, kvsim-calibrate --example), 132 SMs, 85017493504 bytes (84465090560 free), 1 GPU(s), driver API 13000, 2026-12-01 00:00 UTC
-- duplex (256 MiB each way at once): 101.44 GB/s aggregate (host_bw: a lower bound of host DRAM bandwidth for DMA)
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU idle, us median (p10/p90): reserve 0.63 (0.61/0.66) create 7.38 (7.09/7.68) map 0.58 (0.56/0.60) set_access 19.20 (18.43/19.96) unmap 13.67 (13.12/14.21) release 9.26 (8.89/9.63) addr_free 0.41 (0.39/0.42)
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU busy with a read stream, us median (p10/p90): reserve 0.70 (0.67/0.73) create 8.18 (7.85/8.51) map 0.64 (0.62/0.67) set_access 21.27 (20.42/22.12) unmap 15.14 (14.54/15.75) release 10.26 (9.85/10.67) addr_free 0.45 (0.43/0.47)
-- vmm 2 MiB, 200 cycles among 128 live handles, each cycle right after a step, us median (p10/p90): reserve 0.81 (0.78/0.84) create 9.48 (9.11/9.86) map 0.75 (0.72/0.78) set_access 24.65 (23.67/25.64) unmap 17.55 (16.85/18.26) release 11.89 (11.42/12.37) addr_free 0.52 (0.50/0.54)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 16 live handles, GPU idle, us median (p10/p90): reserve 0.62 (0.60/0.65) create 7.25 (6.96/7.54) map 0.57 (0.55/0.59) set_access 18.84 (18.08/19.59) unmap 13.41 (12.88/13.95) release 9.09 (8.73/9.45) addr_free 0.40 (0.38/0.42)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 1024 live handles, GPU idle, us median (p10/p90): reserve 0.66 (0.63/0.68) create 7.68 (7.38/7.99) map 0.61 (0.58/0.63) set_access 19.98 (19.18/20.78) unmap 14.22 (13.65/14.79) release 9.64 (9.25/10.02) addr_free 0.42 (0.41/0.44)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 4096 live handles, GPU idle, us median (p10/p90): reserve 0.77 (0.74/0.80) create 9.02 (8.66/9.38) map 0.71 (0.68/0.74) set_access 23.45 (22.51/24.38) unmap 16.69 (16.03/17.36) release 11.31 (10.86/11.76) addr_free 0.50 (0.48/0.52)
-- vmm growth, fresh range: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 42.18 (33.76/35.44/48.93; 35.85, 48.51) map 6.14 (4.91/5.16/7.12; 5.22, 7.06) set_access 61.78 (49.44/51.90/71.65; 52.51, 71.05) unmap 15.09 (12.08/12.68/17.51; 12.83, 17.36) release 9.80 (7.84/8.23/11.36; 8.33, 11.27)
-- vmm growth, same range again: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 8.86 (7.09/7.44/10.27; 7.53, 10.19) map 1.29 (1.03/1.08/1.49; 1.10, 1.48) set_access 12.97 (10.38/10.90/15.05; 11.03, 14.92) unmap 15.09 (12.08/12.68/17.51; 12.83, 17.36) release 9.80 (7.84/8.23/11.36; 8.33, 11.27)
-- vmm growth, new range, memory recycled: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 14.34 (11.48/12.05/16.63; 12.19, 16.49) map 2.09 (1.67/1.75/2.42; 1.77, 2.40) set_access 21.00 (16.81/17.65/24.36; 17.85, 24.16) unmap 15.09 (12.08/12.68/17.51; 12.83, 17.36) release 9.80 (7.84/8.23/11.36; 8.33, 11.27)
-- vmm growth, fresh range: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 109.94 (88.32/92.00/127.88; 93.38, 126.50) map 10.44 (8.38/8.73/12.14; 8.86, 12.01) set_access 117.11 (94.08/98.00/136.22; 99.47, 134.75) unmap 15.04 (12.08/12.58/17.49; 12.77, 17.30) release 25.19 (20.24/21.08/29.31; 21.40, 28.99)
-- vmm growth, same range again: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 23.09 (18.55/19.32/26.85; 19.61, 26.57) map 2.19 (1.76/1.83/2.55; 1.86, 2.52) set_access 24.59 (19.76/20.58/28.61; 20.89, 28.30) unmap 15.04 (12.08/12.58/17.49; 12.77, 17.30) release 25.19 (20.24/21.08/29.31; 21.40, 28.99)
-- vmm growth, new range, memory recycled: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 37.38 (30.03/31.28/43.48; 31.75, 43.01) map 3.55 (2.85/2.97/4.13; 3.01, 4.08) set_access 39.82 (31.99/33.32/46.31; 33.82, 45.82) unmap 15.04 (12.08/12.58/17.49; 12.77, 17.30) release 25.19 (20.24/21.08/29.31; 21.40, 28.99)
-- vmm reserve / free of 16 MiB ranges among live ranges, us median per window of calls (live: reserve free): 0: 0.61 0.42 32: 0.61 0.42 96: 0.87 0.50 160: 1.13 0.59 224: 1.40 0.67 288: 1.66 0.75 352: 1.92 0.84 416: 2.18 0.92 480: 2.45 1.00 544: 2.71 1.09 608: 2.97 1.17 672: 3.23 1.25 736: 3.50 1.34 800: 3.76 1.42 864: 4.02 1.50 928: 4.28 1.58 992: 4.55 1.67
-- vmm after a gap, 2 MiB, nominal 0 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 0.65 @0.27 create 7.64 @0.28 map 0.60 @0.29 set_access 19.93 @0.30 unmap 14.21 @0.31 release 9.65 @0.32 addr_free 0.43 @0.33
-- vmm after a gap, 2 MiB, nominal 1 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 0.87 @2.30 create 10.14 @2.31 map 0.80 @2.32 set_access 26.41 @2.33 unmap 18.82 @2.34 release 12.77 @2.35 addr_free 0.56 @2.36
-- vmm after a gap, 2 MiB, nominal 2 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 1.04 @4.33 create 12.11 @4.34 map 0.95 @4.35 set_access 31.54 @4.36 unmap 22.47 @4.37 release 15.24 @4.38 addr_free 0.67 @4.39
-- vmm after a gap, 2 MiB, nominal 5 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 1.38 @10.42 create 16.15 @10.43 map 1.27 @10.44 set_access 42.00 @10.45 unmap 29.92 @10.46 release 20.28 @10.47 addr_free 0.89 @10.48
-- vmm after a gap, 2 MiB, nominal 10 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 1.70 @20.57 create 19.80 @20.58 map 1.56 @20.59 set_access 51.49 @20.60 unmap 36.67 @20.61 release 24.85 @20.62 addr_free 1.09 @20.63
-- vmm after a gap, 2 MiB, nominal 20 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 1.98 @40.87 create 23.13 @40.88 map 1.82 @40.89 set_access 60.13 @40.90 unmap 42.81 @40.91 release 29.01 @40.92 addr_free 1.28 @40.93
-- vmm after a gap, 2 MiB, nominal 50 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 2.24 @101.77 create 26.17 @101.78 map 2.06 @101.79 set_access 68.03 @101.80 unmap 48.44 @101.81 release 32.82 @101.82 addr_free 1.45 @101.83
-- vmm after a gap, 2 MiB, nominal 200 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 2.41 @406.27 create 28.19 @406.28 map 2.22 @406.29 set_access 73.27 @406.30 unmap 52.17 @406.31 release 35.35 @406.32 addr_free 1.56 @406.33
-- vmm after a gap, 2 MiB, nominal 500 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 2.45 @1015.27 create 28.64 @1015.28 map 2.26 @1015.29 set_access 74.46 @1015.30 unmap 53.01 @1015.31 release 35.92 @1015.32 addr_free 1.58 @1015.33
-- vmm after a gap, 64 MiB, nominal 0 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 2.02 @0.27 create 7.97 @0.28 map 0.60 @0.29 set_access 34.37 @0.30 unmap 22.11 @0.31 release 25.46 @0.32 addr_free 1.55 @0.33
-- vmm after a gap, 64 MiB, nominal 1 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 2.69 @2.30 create 10.57 @2.31 map 0.80 @2.32 set_access 45.55 @2.33 unmap 29.28 @2.34 release 33.70 @2.35 addr_free 2.05 @2.36
-- vmm after a gap, 64 MiB, nominal 2 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 3.21 @4.33 create 12.63 @4.34 map 0.95 @4.35 set_access 54.39 @4.36 unmap 34.94 @4.37 release 40.21 @4.38 addr_free 2.44 @4.39
-- vmm after a gap, 64 MiB, nominal 5 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 4.29 @10.42 create 16.84 @10.43 map 1.27 @10.44 set_access 72.45 @10.45 unmap 46.53 @10.46 release 53.51 @10.47 addr_free 3.25 @10.48
-- vmm after a gap, 64 MiB, nominal 10 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 5.26 @20.57 create 20.65 @20.58 map 1.56 @20.59 set_access 88.81 @20.60 unmap 57.02 @20.61 release 65.57 @20.62 addr_free 3.98 @20.63
-- vmm after a gap, 64 MiB, nominal 20 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 6.14 @40.87 create 24.12 @40.88 map 1.82 @40.89 set_access 103.71 @40.90 unmap 66.59 @40.91 release 76.56 @40.92 addr_free 4.65 @40.93
-- vmm after a gap, 64 MiB, nominal 50 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 6.95 @101.77 create 27.29 @101.78 map 2.06 @101.79 set_access 117.33 @101.80 unmap 75.33 @101.81 release 86.61 @101.82 addr_free 5.26 @101.83
-- vmm after a gap, 64 MiB, nominal 200 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 7.48 @406.27 create 29.39 @406.28 map 2.22 @406.29 set_access 126.37 @406.30 unmap 81.13 @406.31 release 93.28 @406.32 addr_free 5.66 @406.33
-- vmm after a gap, 64 MiB, nominal 500 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 7.60 @1015.27 create 29.87 @1015.28 map 2.26 @1015.29 set_access 128.42 @1015.30 unmap 82.45 @1015.31 release 94.79 @1015.32 addr_free 5.75 @1015.33
-- vmm after a gap of launches, 2 MiB, nominal 0 ms, 12 cycles, us median @ ms since the call's last (median): reserve 0.65 @0.27 create 7.57 @0.28 map 0.60 @0.29 set_access 19.74 @0.30 unmap 14.08 @0.31 release 9.55 @0.32 addr_free 0.42 @0.33
-- vmm after a gap of launches, 2 MiB, nominal 1 ms, 12 cycles, us median @ ms since the call's last (median): reserve 0.83 @2.30 create 9.66 @2.31 map 0.76 @2.32 set_access 25.15 @2.33 unmap 17.92 @2.34 release 12.15 @2.35 addr_free 0.54 @2.36
-- vmm after a gap of launches, 2 MiB, nominal 2 ms, 12 cycles, us median @ ms since the call's last (median): reserve 0.97 @4.33 create 11.30 @4.34 map 0.89 @4.35 set_access 29.42 @4.36 unmap 20.96 @4.37 release 14.21 @4.38 addr_free 0.63 @4.39
-- vmm after a gap of launches, 2 MiB, nominal 5 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.26 @10.42 create 14.66 @10.43 map 1.15 @10.44 set_access 38.14 @10.45 unmap 27.16 @10.46 release 18.41 @10.47 addr_free 0.81 @10.48
-- vmm after a gap of launches, 2 MiB, nominal 10 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.52 @20.57 create 17.71 @20.58 map 1.39 @20.59 set_access 46.05 @20.60 unmap 32.79 @20.61 release 22.22 @20.62 addr_free 0.98 @20.63
-- vmm after a gap of launches, 2 MiB, nominal 20 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.75 @40.87 create 20.48 @40.88 map 1.61 @40.89 set_access 53.24 @40.90 unmap 37.91 @40.91 release 25.69 @40.92 addr_free 1.13 @40.93
-- vmm after a gap of launches, 2 MiB, nominal 50 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.97 @101.77 create 23.02 @101.78 map 1.81 @101.79 set_access 59.83 @101.80 unmap 42.60 @101.81 release 28.87 @101.82 addr_free 1.27 @101.83
-- vmm after a gap of launches, 64 MiB, nominal 0 ms, 12 cycles, us median @ ms since the call's last (median): reserve 2.01 @0.27 create 7.90 @0.28 map 0.60 @0.29 set_access 34.05 @0.30 unmap 21.89 @0.31 release 25.21 @0.32 addr_free 1.53 @0.33
-- vmm after a gap of launches, 64 MiB, nominal 1 ms, 12 cycles, us median @ ms since the call's last (median): reserve 2.56 @2.30 create 10.07 @2.31 map 0.76 @2.32 set_access 43.37 @2.33 unmap 27.87 @2.34 release 32.07 @2.35 addr_free 1.95 @2.36
-- vmm after a gap of launches, 64 MiB, nominal 2 ms, 12 cycles, us median @ ms since the call's last (median): reserve 3.00 @4.33 create 11.79 @4.34 map 0.89 @4.35 set_access 50.74 @4.36 unmap 32.59 @4.37 release 37.50 @4.38 addr_free 2.28 @4.39
-- vmm after a gap of launches, 64 MiB, nominal 5 ms, 12 cycles, us median @ ms since the call's last (median): reserve 3.89 @10.42 create 15.29 @10.43 map 1.15 @10.44 set_access 65.78 @10.45 unmap 42.24 @10.46 release 48.58 @10.47 addr_free 2.95 @10.48
-- vmm after a gap of launches, 64 MiB, nominal 10 ms, 12 cycles, us median @ ms since the call's last (median): reserve 4.70 @20.57 create 18.47 @20.58 map 1.39 @20.59 set_access 79.42 @20.60 unmap 50.99 @20.61 release 58.64 @20.62 addr_free 3.56 @20.63
-- vmm after a gap of launches, 64 MiB, nominal 20 ms, 12 cycles, us median @ ms since the call's last (median): reserve 5.44 @40.87 create 21.36 @40.88 map 1.61 @40.89 set_access 91.83 @40.90 unmap 58.96 @40.91 release 67.79 @40.92 addr_free 4.11 @40.93
-- vmm after a gap of launches, 64 MiB, nominal 50 ms, 12 cycles, us median @ ms since the call's last (median): reserve 6.11 @101.77 create 24.00 @101.78 map 1.81 @101.79 set_access 103.19 @101.80 unmap 66.25 @101.81 release 76.17 @101.82 addr_free 4.62 @101.83
-- vmm factors over isolation at the granularity (busy, after_step): reserve 1.164 1.349 create 1.129 1.309 map 1.123 1.302 set_access 1.130 1.310 unmap 1.130 1.310 release 1.130 1.309 free_va 1.126 1.306
return {
  name = "example",
  gpus_per_server = 1, -- cudaGetDeviceCount
  servers = 1, -- one machine
  hbm_bytes = 85017493504, -- cudaMemGetInfo total
  hbm_bw = 3.363e+12, -- best read stream (kernels and launch shapes above)
  d2d_bw = 2.943e+12, -- cudaMemcpyAsync D2D 256 MiB, read+write
  flops = 7.905e+14, -- cuBLAS bf16 GEMM
  fp8_gemm_speedup = 1.87, -- cuBLASLt FP8 e4m3 GEMM over the bf16 one (0: no FP8 tensor cores)
  sms = 132, -- device property
  kernel_launch = 3.12e-06, -- empty kernels back to back
  pcie_bw = 5.532e+10, -- min(H2D, D2H) at 256 MiB, pinned
  pcie_lat = 1.134e-06, -- zero-copy dependent read round trip
  copy_overhead = 2.223e-06, -- fixed cost per cudaMemcpyAsync
  sm_copy_bw_per_sm = 4.014e+10, -- kv_transfer_launch on 1 SM
  sm_duplex_bw = 8.35e+10, -- kv_transfer_pair_launch both ways at once, 8 SMs, aggregate
  gpus_per_uplink = 0, -- not measured: own link assumed
  uplink_bw = 0, -- not measured (gpus_per_uplink = 0)
  host_bw = 1.014e+11, -- duplex DMA aggregate: lower bound of host DRAM bw for DMA
  nvlink_bw = 0, -- not measured (one GPU)
  nvlink_lat = 0, -- not measured (one GPU)
  nic_bw = 0, -- no inter-server tier
  nic_lat = 0, -- no inter-server tier
  vmm_reserve = 8.122e-07, -- cuMemAddressReserve, granularity range, cycles after a step, median
  vmm_create = 9.484e-06, -- cuMemCreate, cycles after a step, median
  vmm_map = 7.467e-07, -- cuMemMap, cycles after a step, median
  vmm_set_access = 2.465e-05, -- cuMemSetAccess, cycles after a step, median
  vmm_unmap = 1.755e-05, -- cuMemUnmap, cycles after a step, median
  vmm_release = 1.189e-05, -- cuMemRelease, cycles after a step, median
  vmm_granularity = 2097152, -- cuMemGetAllocationGranularity minimum
  vmm_reserve_per_mib = 2.1e-08, -- size slope: (largest - smallest handle median) / MiB, isolation
  vmm_create_per_mib = 5e-09, -- size slope, isolation
  vmm_map_per_mib = 0, -- size slope, isolation
  vmm_set_access_per_mib = 2.2e-07, -- size slope, isolation
  vmm_unmap_per_mib = 1.2e-07, -- size slope, isolation
  vmm_release_per_mib = 2.4e-07, -- size slope, isolation
  table_write = 4.608e-06, -- 4 KiB H2D from pinned right after a step, events, median
  -- measured curves (every raw one in example.curves.csv)
  vmm_reserve_curve = { {2097152, 6.0210399999999992e-07}, {4194304, 6.6570000000000004e-07}, {8388608, 7.497e-07}, {16777216, 9.1770000000000002e-07}, {67108864, 6.0222799999999996e-07}, {268435456, 5.9577000000000006e-06}, {1073741824, 6.0414800000000002e-07}, {17179869184, 6.3486799999999991e-07}, {274877906944, 1.1263879999999998e-06}, {1099511627776, 2.6992519999999997e-06} }, -- s per call by range bytes, isolation
  vmm_create_curve = { {2097152, 7.2436999999999998e-06}, {4194304, 7.2536999999999997e-06}, {8388608, 7.2737000000000003e-06}, {16777216, 7.3137000000000008e-06}, {67108864, 7.5536999999999994e-06}, {268435456, 8.5136999999999995e-06}, {1073741824, 1.2353700000000002e-05} }, -- s per call by handle bytes, isolation
  vmm_map_curve = { {2097152, 5.7370000000000001e-07}, {4194304, 5.7370000000000001e-07}, {8388608, 5.7370000000000001e-07}, {16777216, 5.7370000000000001e-07}, {67108864, 5.7370000000000001e-07}, {268435456, 5.7370000000000001e-07}, {1073741824, 5.7370000000000001e-07} }, -- s per call by handle bytes, isolation
  vmm_set_access_curve = { {2097152, 1.8823699999999997e-05}, {4194304, 1.92637e-05}, {8388608, 2.0143699999999998e-05}, {16777216, 2.1903699999999995e-05}, {67108864, 3.2463699999999999e-05}, {268435456, 7.4703700000000001e-05}, {1073741824, 0.0002436637} }, -- s per call by handle bytes, isolation
  vmm_unmap_curve = { {2097152, 1.34037e-05}, {4194304, 1.3643699999999999e-05}, {8388608, 1.41237e-05}, {16777216, 1.5083699999999999e-05}, {67108864, 2.0843699999999998e-05}, {268435456, 4.3883700000000001e-05}, {1073741824, 0.00013604369999999999} }, -- s per call by handle bytes, isolation
  vmm_release_curve = { {2097152, 9.0836999999999991e-06}, {4194304, 9.5636999999999996e-06}, {8388608, 1.0523699999999999e-05}, {16777216, 1.2443699999999999e-05}, {67108864, 2.3963699999999999e-05}, {268435456, 7.0043700000000002e-05}, {1073741824, 0.00025436369999999999} }, -- s per call by handle bytes, isolation
  vmm_free_va_curve = { {2097152, 4.0130199999999998e-07}, {4194304, 4.3770000000000001e-07}, {8388608, 5.0569999999999998e-07}, {16777216, 6.4170000000000004e-07}, {67108864, 4.0136399999999999e-07}, {268435456, 4.7217000000000009e-06}, {1073741824, 4.0232400000000002e-07}, {17179869184, 4.1768399999999997e-07}, {274877906944, 6.6344399999999992e-07}, {1099511627776, 1.4498759999999998e-06} }, -- s per call by range bytes, isolation
  vmm_reserve_live = { {16, 1.030710973519525}, {128, 1.0503168887766898}, {1024, 1.0929885866893427}, {4096, 1.2827870268259307} }, -- idle call among x live handles / isolated
  vmm_create_live = { {16, 1.0004487209575219}, {128, 1.0194789955409529}, {1024, 1.0608978284578323}, {4096, 1.2451236798873504} }, -- idle call among x live handles / isolated
  vmm_map_live = { {16, 0.99450444483179357}, {128, 1.0134216489454415}, {1024, 1.0545943873104409}, {4096, 1.2377256405786996} }, -- idle call among x live handles / isolated
  vmm_set_access_live = { {16, 1.0007632505830417}, {128, 1.0197995080669582}, {1024, 1.0612313625907768}, {4096, 1.2455151325191118} }, -- idle call among x live handles / isolated
  vmm_unmap_live = { {16, 1.0006836918164388}, {128, 1.0197184359542515}, {1024, 1.0611469967247849}, {4096, 1.2454161164454589} }, -- idle call among x live handles / isolated
  vmm_release_live = { {16, 1.0005522859627685}, {128, 1.0195845305327125}, {1024, 1.0610076510672963}, {4096, 1.2452525732906194} }, -- idle call among x live handles / isolated
  vmm_free_va_live = { {16, 0.99771244598830822}, {128, 1.0166906718630857}, {1024, 1.0579962222964252}, {4096, 1.2417182072354487} }, -- idle call among x live handles / isolated
  vmm_create_grow = { {2097152, 4.2183515625000006e-05}, {67108864, 0.00010993999999999999} }, -- s per call growing the pool, by handle bytes
  vmm_map_grow = { {2097152, 6.1376015625e-06}, {67108864, 1.0436333333333334e-05} }, -- s per call growing the pool, by handle bytes
  vmm_set_access_grow = { {2097152, 6.1775859375000006e-05}, {67108864, 0.00011711} }, -- s per call growing the pool, by handle bytes
  vmm_reserve_live_va = { {32, 0.66470524136428022}, {96, 0.95063746322327558}, {160, 1.2365696850822707}, {224, 1.5225019069412664}, {288, 1.8084341288002617}, {352, 2.0943663506592567}, {416, 2.3802985725182522}, {480, 2.6662307943772476}, {544, 2.9521630162362427}, {608, 3.2380952380952381}, {672, 3.5240274599542332}, {736, 3.8099596818132282}, {800, 4.0958919036722241}, {864, 4.38182412553122}, {928, 4.6677563473902151}, {992, 4.9536885692492101} }, -- among x live ranges / none
  vmm_free_va_live_va = { {32, 0.65451145395044397}, {96, 0.78416705625681782}, {160, 0.91382265856319145}, {224, 1.043478260869565}, {288, 1.1731338631759387}, {352, 1.3027894654823124}, {416, 1.4324450677886862}, {480, 1.5621006700950597}, {544, 1.6917562724014332}, {608, 1.8214118747078067}, {672, 1.9510674770141809}, {736, 2.0807230793205544}, {800, 2.2103786816269282}, {864, 2.3400342839333015}, {928, 2.4696898862396757}, {992, 2.5993454885460494} }, -- among x live ranges / none
  vmm_reserve_gap = {
    { 2097152, { {0.00027, 6.5288801571709234e-07}, {0.0023, 8.6728323699421954e-07}, {0.0043299999999999996, 1.0366476978789448e-06}, {0.01042, 1.3824390243902437e-06}, {0.020570000000000001, 1.6956311498453752e-06}, {0.040869999999999997, 1.9806264542688379e-06}, {0.10177, 2.2410687676629269e-06}, {0.40627000000000002, 2.4137716903648489e-06}, {1.0152699999999999, 2.4529197200733787e-06} } },
    { 67108864, { {0.00027, 2.0239528487229863e-06}, {0.0023, 2.6885780346820806e-06}, {0.0043299999999999996, 3.2136078634247284e-06}, {0.01042, 4.2855609756097558e-06}, {0.020570000000000001, 5.2564565645206635e-06}, {0.040869999999999997, 6.1399420082333993e-06}, {0.10177, 6.947313179755074e-06}, {0.40627000000000002, 7.4826922401310319e-06}, {1.0152699999999999, 7.604051132227474e-06} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_create_gap = {
    { 2097152, { {0.00027999999999999998, 7.6380104712041891e-06}, {0.00231, 1.0138509532062391e-05}, {0.0043400000000000001, 1.2114084798345398e-05}, {0.01043, 1.6148360204482891e-05}, {0.020580000000000001, 1.9803170320404719e-05}, {0.04088, 2.3129649248389403e-05}, {0.10178, 2.6170138722383971e-05}, {0.40627999999999997, 2.8186642612988986e-05}, {1.01528, 2.8643775284388713e-05} } },
    { 67108864, { {0.00027999999999999998, 7.9650523560209426e-06}, {0.00231, 1.0572616984402079e-05}, {0.0043400000000000001, 1.2632781799379523e-05}, {0.01043, 1.6839795517105778e-05}, {0.020580000000000001, 2.0651096121416524e-05}, {0.04088, 2.4120007158196134e-05}, {0.10178, 2.7290683336187705e-05}, {0.40627999999999997, 2.9393529244208125e-05}, {1.01528, 2.9870235275847345e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_map_gap = {
    { 2097152, { {0.00029, 6.0243296272073237e-07}, {0.00232, 7.9905311778290978e-07}, {0.0043499999999999997, 9.5441860465116257e-07}, {0.01044, 1.2717452830188677e-06}, {0.020590000000000001, 1.5592919359370606e-06}, {0.040890000000000003, 1.8210628019323669e-06}, {0.10179000000000001, 2.0603750321089135e-06}, {0.40628999999999998, 2.2191155735953851e-06}, {1.01529, 2.2551040969047547e-06} } },
    { 67108864, { {0.00029, 6.0243296272073237e-07}, {0.00232, 7.9905311778290978e-07}, {0.0043499999999999997, 9.5441860465116257e-07}, {0.01044, 1.2717452830188677e-06}, {0.020590000000000001, 1.5592919359370606e-06}, {0.040890000000000003, 1.8210628019323669e-06}, {0.10179000000000001, 2.0603750321089135e-06}, {0.40628999999999998, 2.2191155735953851e-06}, {1.01529, 2.2551040969047547e-06} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_set_access_gap = {
    { 2097152, { {0.00029999999999999997, 1.9927058823529409e-05}, {0.00233, 2.6410986728216959e-05}, {0.0043600000000000002, 3.1535165289256195e-05}, {0.010449999999999999, 4.2002986247544206e-05}, {0.0206, 5.1490674157303363e-05}, {0.040899999999999999, 6.0129731663685144e-05}, {0.1018, 6.8029143835616454e-05}, {0.40629999999999999, 7.3269793496320916e-05}, {1.0153000000000001, 7.4458006405901198e-05} } },
    { 67108864, { {0.00029999999999999997, 3.4369411764705878e-05}, {0.00233, 4.5552637045585683e-05}, {0.0043600000000000002, 5.4390619834710745e-05}, {0.010449999999999999, 7.2445108055009834e-05}, {0.0206, 8.880910112359551e-05}, {0.040899999999999999, 0.00010370940966010732}, {0.1018, 0.00011733400684931509}, {0.40629999999999999, 0.0001263728744362687}, {1.0153000000000001, 0.00012842225759487531} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_unmap_gap = {
    { 2097152, { {0.00031, 1.421397779229262e-05}, {0.0023400000000000001, 1.8824913494809687e-05}, {0.0043699999999999998, 2.2469385647909136e-05}, {0.010460000000000001, 2.9915789473684205e-05}, {0.02061, 3.6666554338668905e-05}, {0.040910000000000002, 4.2814809515292433e-05}, {0.10181, 4.8437770738806609e-05}, {0.40631, 5.2168749851653181e-05}, {1.0153099999999999, 5.3014739253234458e-05} } },
    { 67108864, { {0.00031, 2.2105917700849119e-05}, {0.0023400000000000001, 2.9276955017301036e-05}, {0.0043699999999999998, 3.494492514197212e-05}, {0.010460000000000001, 4.6525750196386484e-05}, {0.02061, 5.7024700926705974e-05}, {0.040910000000000002, 6.6586614201395096e-05}, {0.10181, 7.5331577775875362e-05}, {0.40631, 8.1134085590182998e-05}, {1.0153099999999999, 8.2449788510254184e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_release_gap = {
    { 2097152, { {0.00032000000000000003, 9.648981723237598e-06}, {0.0023500000000000001, 1.2769567723342937e-05}, {0.0043800000000000002, 1.5236408668730649e-05}, {0.01047, 2.0277597173144877e-05}, {0.020619999999999999, 2.4848916339135318e-05}, {0.040919999999999998, 2.9013133047210298e-05}, {0.10181999999999999, 3.2822311248073957e-05}, {0.40632000000000001, 3.5350190828823696e-05}, {1.01532, 3.5923424178895874e-05} } },
    { 67108864, { {0.00032000000000000003, 2.5461409921671018e-05}, {0.0023500000000000001, 3.3695907780979823e-05}, {0.0043800000000000002, 4.0205325077399385e-05}, {0.01047, 5.3507844522968194e-05}, {0.020619999999999999, 6.5570488489612581e-05}, {0.040919999999999998, 7.6558884120171667e-05}, {0.10181999999999999, 8.6610416024653311e-05}, {0.40632000000000001, 9.3280900028481906e-05}, {1.01532, 9.4793529000698821e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_free_va_gap = {
    { 2097152, { {0.00033, 4.2583170254403129e-07}, {0.0023600000000000001, 5.6313364055299542e-07}, {0.0043899999999999998, 6.7168643630737491e-07}, {0.01048, 8.9356357927786506e-07}, {0.020629999999999999, 1.0948077462812234e-06}, {0.040930000000000001, 1.278169139996424e-06}, {0.10183, 1.445929983737054e-06}, {0.40633000000000002, 1.5572781430232834e-06}, {1.0153300000000001, 1.5825298690710742e-06} } },
    { 67108864, { {0.00033, 1.5478982387475538e-06}, {0.0023600000000000001, 2.0469907834101386e-06}, {0.0043899999999999998, 2.4415801959773082e-06}, {0.01048, 3.24810361067504e-06}, {0.020629999999999999, 3.979626157732248e-06}, {0.040930000000000001, 4.6461448238870018e-06}, {0.10183, 5.2559554908841909e-06}, {0.40633000000000002, 5.6607060498896354e-06}, {1.0153300000000001, 5.7524960740733551e-06} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_reserve_busy = 1.1078431372549018, -- busy / idle among the same live handles at the granularity
  vmm_create_busy = 1.1078431372549018, -- busy / idle among the same live handles at the granularity
  vmm_map_busy = 1.1078431372549022, -- busy / idle among the same live handles at the granularity
  vmm_set_access_busy = 1.107843137254902, -- busy / idle among the same live handles at the granularity
  vmm_unmap_busy = 1.1078431372549018, -- busy / idle among the same live handles at the granularity
  vmm_release_busy = 1.107843137254902, -- busy / idle among the same live handles at the granularity
  vmm_free_va_busy = 1.1078431372549018, -- busy / idle among the same live handles at the granularity
  vmm_reserve_after_step = 1.2843137254901962, -- after_step / idle among the same live handles at the granularity
  vmm_create_after_step = 1.284313725490196, -- after_step / idle among the same live handles at the granularity
  vmm_map_after_step = 1.2843137254901964, -- after_step / idle among the same live handles at the granularity
  vmm_set_access_after_step = 1.2843137254901962, -- after_step / idle among the same live handles at the granularity
  vmm_unmap_after_step = 1.2843137254901962, -- after_step / idle among the same live handles at the granularity
  vmm_release_after_step = 1.2843137254901962, -- after_step / idle among the same live handles at the granularity
  vmm_free_va_after_step = 1.284313725490196, -- after_step / idle among the same live handles at the granularity
  copy_h2d_curve = { {4096, 2.2873216747879441e-06}, {16384, 2.5090866991517777e-06}, {65536, 3.3961467966071103e-06}, {262144, 6.9443871864284427e-06}, {1048576, 2.1137348745713769e-05}, {4194304, 7.7909194982855087e-05}, {16777216, 0.00030499657993142036}, {67108864, 0.0012133461197256813}, {268435456, 0.0048467442789027256} }, -- s per cudaMemcpyAsync by bytes, back to back
  copy_d2h_curve = { {4096, 1.6811419378163414e-06}, {16384, 1.9032677512653651e-06}, {65536, 2.7917710050614606e-06}, {262144, 6.3457840202458423e-06}, {1048576, 2.0561836080983369e-05}, {4194304, 7.7426044323933467e-05}, {16777216, 0.00030488287729573391}, {67108864, 0.0012147102091829357}, {268435456, 0.0048540195367317426} }, -- s per cudaMemcpyAsync by bytes, back to back
  sm_copy_h2d_curve = { {1, 36098766000}, {2, 51057532000}, {4, 51055064000}, {8, 51050128000}, {16, 51040256000}, {32, 51020512000}, {64, 50981024000} }, -- B/s by SMs, 65536-byte pages
  sm_copy_d2h_curve = { {1, 36098766000}, {2, 52417532000}, {4, 52415064000}, {8, 52410128000}, {16, 52400256000}, {32, 52380512000}, {64, 52341024000} }, -- B/s by SMs, 65536-byte pages
  sm_copy_page_h2d_curve = { {256, 0.96152801027256973}, {4096, 1}, {65536, 1} }, -- rate by page bytes over the 65536-byte page's, at 8 SMs
  sm_copy_page_d2h_curve = { {256, 0.9365771440207129}, {4096, 1}, {65536, 1} }, -- rate by page bytes over the 65536-byte page's, at 8 SMs
  sm_copy_grid_h2d = {
    { 256, { {1, 6135766000}, {2, 12271532000}, {4, 24543064000}, {8, 49086128000}, {16, 51040256000}, {32, 51020512000}, {64, 50981024000} } },
    { 4096, { {1, 31898766000}, {2, 51057532000}, {4, 51055064000}, {8, 51050128000}, {16, 51040256000}, {32, 51020512000}, {64, 50981024000} } },
    { 65536, { {1, 36098766000}, {2, 51057532000}, {4, 51055064000}, {8, 51050128000}, {16, 51040256000}, {32, 51020512000}, {64, 50981024000} } },
  }, -- B/s by SMs, one row per page bytes
  sm_copy_grid_d2h = {
    { 256, { {1, 6135766000}, {2, 12271532000}, {4, 24543064000}, {8, 49086128000}, {16, 52400256000}, {32, 52380512000}, {64, 52341024000} } },
    { 4096, { {1, 31898766000}, {2, 52417532000}, {4, 52415064000}, {8, 52410128000}, {16, 52400256000}, {32, 52380512000}, {64, 52341024000} } },
    { 65536, { {1, 36098766000}, {2, 52417532000}, {4, 52415064000}, {8, 52410128000}, {16, 52400256000}, {32, 52380512000}, {64, 52341024000} } },
  }, -- B/s by SMs, one row per page bytes
  sm_copy_threads_grid_h2d = {
    { 128, { {1, 4511266000}, {2, 9022532000}, {4, 18045064000}, {8, 36090128000}, {16, 51040256000}, {32, 51020512000}, {64, 50981024000} } },
    { 256, { {1, 9023766000}, {2, 18047532000}, {4, 36095064000}, {8, 51050128000}, {16, 51040256000}, {32, 51020512000}, {64, 50981024000} } },
    { 512, { {1, 18048766000}, {2, 36097532000}, {4, 51055064000}, {8, 51050128000}, {16, 51040256000}, {32, 51020512000}, {64, 50981024000} } },
    { 1024, { {1, 36098766000}, {2, 51057532000}, {4, 51055064000}, {8, 51050128000}, {16, 51040256000}, {32, 51020512000}, {64, 50981024000} } },
  }, -- B/s by SMs, one row per threads per block, 64 KiB pages
  sm_copy_threads_grid_d2h = {
    { 128, { {1, 4511266000}, {2, 9022532000}, {4, 18045064000}, {8, 36090128000}, {16, 52400256000}, {32, 52380512000}, {64, 52341024000} } },
    { 256, { {1, 9023766000}, {2, 18047532000}, {4, 36095064000}, {8, 52410128000}, {16, 52400256000}, {32, 52380512000}, {64, 52341024000} } },
    { 512, { {1, 18048766000}, {2, 36097532000}, {4, 52415064000}, {8, 52410128000}, {16, 52400256000}, {32, 52380512000}, {64, 52341024000} } },
    { 1024, { {1, 36098766000}, {2, 52417532000}, {4, 52415064000}, {8, 52410128000}, {16, 52400256000}, {32, 52380512000}, {64, 52341024000} } },
  }, -- B/s by SMs, one row per threads per block, 64 KiB pages
  batch_h2d_curve = { {4096, 1.1801237689744538e-06}, {16384, 1.4075950758978156e-06}, {65536, 2.3174803035912625e-06}, {262144, 5.95702121436505e-06}, {1048576, 2.05151848574602e-05}, {4194304, 7.8747839429840806e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_d2h_curve = { {4096, 9.8384217574756926e-07}, {16384, 1.209268702990277e-06}, {65536, 2.1109748119611079e-06}, {262144, 5.7177992478444326e-06}, {1048576, 2.014509699137773e-05}, {4194304, 7.785428796551091e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_call = 5.8316000000000002e-05, -- s of host time per batched call
  batch_call_curve = { {64, 5.8316000000000002e-05} }, -- s of host time per batched call by entries
  attn_block_table_curve = { {1, 1.3212999999999999}, {4, 1.0911}, {16, 1.0402}, {64, 1.0213000000000001}, {256, 1.0150999999999999} }, -- time over contiguous by tokens per block
  attn_offset_table_curve = { {1, 1.3376999999999999}, {4, 1.0987}, {16, 1.0441}, {64, 1.0236000000000001}, {256, 1.0168999999999999} }, -- time over contiguous by tokens per block
  source = "kvsim-calibrate --example: made-up figures, not a measurement",
}
