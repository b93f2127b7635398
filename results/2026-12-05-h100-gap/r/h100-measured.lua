-- Platform measured by kvsim-calibrate (kernels/calibrate.cu).
-- device: NVIDIA H100 80GB HBM3, 132 SMs, 85017493504 bytes (84465090560 free), 1 GPU(s), driver API 13000, 2026-12-05 16:52 UTC
-- pcie H2D 52.66 GB/s, D2H 55.10 GB/s at 256 MiB (pcie_bw = the lower)
-- copy fixed cost 2.36 us (median of time - bytes/bw, 4..64 KiB, both directions); 1-byte copies back to back 2.20 us each; 1-byte copy + sync round trip 5.71 us (median)
-- duplex (256 MiB each way at once): 83.09 GB/s aggregate (host_bw: a lower bound of host DRAM bandwidth for DMA)
-- device-to-device copy 256 MiB: 2953.7 GB/s counting read + write
-- HBM read stream, GB/s: unrolled x4, 1 GiB, 4 blocks/SM: 3089.6; weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM: 3254.3; weight read, 256 MiB once x 16 launches, 4 blocks/SM: 2997.2; weight read, 1 GiB once, 4 blocks/SM: 3066.1; weight read, 1 GiB once, 8 blocks/SM: 3072.3; weight read, 1 GiB once, 16 blocks/SM: 3080.4; weight read, 2 GiB once, 4 blocks/SM: 3088.6
-- HBM read stream: 3254.3 GB/s, the best (weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM) (hbm_bw)
-- bf16 matrix product 8192x8192x8192 (cuBLAS, random data): 784 TFLOP/s
-- kernel launch: 3.74 us each back to back; launch + sync round trip 9.56 us (median)
-- table write (4 KiB H2D from pinned memory between CUDA events on an idle stream, as the GPU backend does): median 4.74 us, p10 4.51, p90 5.06 (table_write); the same copies queued back to back 3.87 us; the former definition, 4 KiB H2D + kernel launch back to back, 6.60 us
-- table write right after a step (a read stream of a few ms on the same stream, then a host sync, then the event pair and the copy; 100 times): median 8.02 us, p10 4.67, p90 9.22
-- zero-copy dependent read of mapped host memory: 1.16 us each (pcie_lat = round trip)
-- host memcpy 256 MiB, one thread: 11.0 GB/s (one CPU core; not host_bw, which is the duplex DMA figure)
-- batch check: 768 entries (every size, both directions) equal their sources byte for byte
-- SM copy check: 559104 pages (every page size, both directions, 8 SMs) equal their sources byte for byte; threads per block: 1024, kv_transfer_launch's (the next table varies them)
-- SM copy with 1 SM, 64 KiB pages, mean of both directions: 37.67 GB/s (sm_copy_bw_per_sm)
-- SM copy both directions at once (kv_transfer_pair_launch, 8 SMs, 64 KiB pages, 64 MiB each way): 79.33 GB/s aggregate (sm_duplex_bw)
-- SM copy by threads check: 8192 pages (every block size, both directions, 8 SMs) equal their sources byte for byte
-- attention check: block-table and offset-table outputs equal the contiguous one at every block size (worst relative L2 0, tolerance 1e-05); contiguous vs float64 CPU reference on 4 requests 1.5e-07 (tolerance 1e-3)
-- vmm 2 MiB medians in isolation (us): reserve 0.80 create 13.77 map 1.02 set_access 27.90 unmap 18.99 release 13.91 addr_free 0.74
-- vmm 4 MiB medians in isolation (us): reserve 0.56 create 8.59 map 0.62 set_access 21.18 unmap 14.77 release 11.44 addr_free 0.45
-- vmm 8 MiB medians in isolation (us): reserve 0.53 create 9.02 map 0.63 set_access 21.60 unmap 15.29 release 13.91 addr_free 0.49
-- vmm 16 MiB medians in isolation (us): reserve 0.75 create 12.98 map 1.00 set_access 28.31 unmap 19.09 release 26.84 addr_free 0.76
-- vmm 64 MiB medians in isolation (us): reserve 3.74 create 36.06 map 1.12 set_access 47.96 unmap 28.08 release 50.24 addr_free 3.02
-- vmm 256 MiB medians in isolation (us): reserve 3.68 create 18.33 map 1.10 set_access 51.01 unmap 28.22 release 161.04 addr_free 3.12
-- vmm 1024 MiB medians in isolation (us): reserve 4.01 create 78.97 map 1.22 set_access 76.52 unmap 36.12 release 430.90 addr_free 4.02
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU idle, us median (p10/p90): reserve 0.70 (0.61/0.96) create 13.46 (12.78/14.33) map 1.13 (0.99/1.44) set_access 30.30 (29.26/32.05) unmap 22.82 (21.25/25.19) release 15.37 (14.66/16.59) addr_free 0.73 (0.67/0.87)
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU busy with a read stream, us median (p10/p90): reserve 0.68 (0.48/0.91) create 12.83 (9.04/14.10) map 1.08 (0.75/1.44) set_access 32.43 (26.76/37.61) unmap 30.52 (21.76/35.77) release 14.81 (10.99/16.39) addr_free 0.71 (0.43/0.94); 24 reads launched
-- vmm 2 MiB, 200 cycles among 128 live handles, each cycle right after a step, us median (p10/p90): reserve 1.34 (0.87/2.94) create 17.91 (10.96/219.83) map 1.62 (1.08/3.08) set_access 32.75 (25.61/49.66) unmap 24.41 (19.84/33.81) release 15.43 (11.74/23.76) addr_free 0.90 (0.56/1.99)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 16 live handles, GPU idle, us median (p10/p90): reserve 0.58 (0.49/0.82) create 8.83 (8.62/12.71) map 0.88 (0.72/1.25) set_access 22.02 (21.26/27.50) unmap 15.54 (14.83/18.66) release 10.79 (10.51/13.62) addr_free 0.49 (0.43/0.77)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 1024 live handles, GPU idle, us median (p10/p90): reserve 0.51 (0.46/0.72) create 9.33 (9.12/10.78) map 0.83 (0.72/1.14) set_access 24.52 (23.88/28.94) unmap 18.65 (17.43/21.10) release 11.91 (11.35/12.97) addr_free 0.47 (0.45/0.63)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 4096 live handles, GPU idle, us median (p10/p90): reserve 0.52 (0.44/0.74) create 9.33 (8.94/14.34) map 0.89 (0.73/1.27) set_access 25.36 (23.87/31.63) unmap 19.56 (17.65/24.37) release 12.04 (11.33/15.68) addr_free 0.51 (0.46/0.90)
-- vmm 64 MiB, 200 cycles among 32 live handles, GPU idle, us median (p10/p90): reserve 2.02 (1.84/2.51) create 10.01 (9.31/22.27) map 0.79 (0.68/1.13) set_access 22.88 (21.79/27.25) unmap 15.46 (14.77/19.56) release 27.95 (26.77/40.66) addr_free 2.21 (1.89/3.21)
-- vmm 64 MiB, 200 cycles among 32 live handles, each cycle right after a step, us median (p10/p90): reserve 4.91 (2.99/10.08) create 34.99 (24.07/64.24) map 1.83 (1.26/3.58) set_access 35.90 (26.31/52.18) unmap 25.06 (19.78/37.60) release 41.36 (28.61/54.99) addr_free 4.64 (2.61/9.25)
-- vmm growth, fresh range: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 19.09 (142.21/12.98/31.67; 16.29, 17.59) map 2.22 (2.68/1.44/4.49; 1.96, 1.99) set_access 41.30 (72.63/30.06/58.03; 35.39, 39.43) unmap 25.02 (89.18/18.63/28.70; 25.74, 19.50) release 16.46 (44.10/11.28/18.89; 17.00, 11.49)
-- vmm growth, same range again: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 17.33 (41.19/11.48/29.67; 13.71, 19.04) map 1.97 (5.23/1.36/3.57; 1.61, 2.10) set_access 37.18 (82.97/27.80/53.86; 31.02, 39.62) unmap 23.98 (92.93/18.75/29.86; 25.27, 19.02) release 15.59 (47.11/11.51/18.80; 16.39, 11.64)
-- vmm growth, new range, memory recycled: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 20.91 (55.92/13.23/37.65; 26.42, 20.35) map 2.44 (6.02/1.58/4.92; 3.27, 2.39) set_access 43.57 (93.79/30.85/65.61; 50.52, 42.85) unmap 20.10 (86.57/18.22/25.10; 20.97, 18.77) release 11.99 (35.19/11.21/16.16; 12.36, 11.54)
-- vmm growth, fresh range: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 16.34 (50.11/13.51/31.46; 15.57, 20.73) map 1.86 (5.68/1.33/3.79; 1.90, 2.45) set_access 36.76 (99.43/30.03/62.38; 38.40, 46.30) unmap 23.84 (70.03/19.53/41.85; 21.06, 25.61) release 43.95 (53.81/29.33/71.02; 30.40, 64.59)
-- vmm growth, same range again: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 19.86 (239.90/14.03/38.41; 33.88, 19.09) map 2.23 (25.12/1.46/4.36; 3.90, 2.08) set_access 43.78 (96.21/32.01/69.93; 55.08, 39.38) unmap 23.48 (69.33/19.38/31.53; 23.57, 20.24) release 37.13 (56.14/31.10/59.83; 39.45, 31.68)
-- vmm growth, new range, memory recycled: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 19.58 (189.86/12.85/65.24; 14.55, 35.18) map 2.02 (11.14/1.23/5.07; 1.62, 4.03) set_access 42.80 (67.56/30.17/67.79; 38.08, 62.32) unmap 26.55 (75.54/25.06/40.03; 29.37, 25.56) release 70.47 (70.35/49.92/78.38; 68.71, 75.48)
-- vmm after a gap, 2 MiB, 12 cycles per gap, us median @ ms since the call's last (median): | 0: reserve 1.47 @0.32 create 39.31 @0.28 map 1.33 @0.32 set_access 31.99 @0.29 unmap 21.43 @0.30 release 37.40 @0.28 addr_free 0.95 @0.32 | 1: reserve 3.63 @2.43 create 31.64 @2.40 map 3.06 @2.43 set_access 54.63 @2.39 unmap 44.01 @2.41 release 24.04 @2.42 addr_free 1.92 @2.44 | 2: reserve 4.60 @4.48 create 39.82 @4.45 map 3.98 @4.48 set_access 57.08 @4.41 unmap 55.58 @4.40 release 28.77 @4.43 addr_free 2.57 @4.46 | 5: reserve 6.95 @10.54 create 57.59 @10.48 map 5.10 @10.54 set_access 72.53 @10.47 unmap 70.44 @10.52 release 32.13 @10.56 addr_free 2.53 @10.59 | 10: reserve 12.03 @20.64 create 78.34 @20.58 map 7.21 @20.65 set_access 106.65 @20.54 unmap 89.61 @20.58 release 43.44 @20.62 addr_free 3.69 @20.67 | 20: reserve 13.89 @40.63 create 103.58 @40.53 map 8.02 @40.63 set_access 108.24 @40.54 unmap 127.11 @40.52 release 47.81 @40.59 addr_free 4.36 @40.65 | 50: reserve 15.32 @100.77 create 111.58 @100.68 map 9.86 @100.
-- vmm after a gap, 64 MiB, 12 cycles per gap, us median @ ms since the call's last (median): | 0: reserve 3.16 @0.27 create 10.11 @0.26 map 0.76 @0.27 set_access 38.92 @0.23 unmap 23.38 @0.25 release 39.90 @0.23 addr_free 2.25 @0.27 | 1: reserve 6.21 @2.36 create 38.31 @2.33 map 1.56 @2.36 set_access 53.15 @2.32 unmap 32.61 @2.40 release 45.27 @2.39 addr_free 4.61 @2.44 | 2: reserve 11.58 @4.46 create 47.31 @4.42 map 3.07 @4.47 set_access 69.06 @4.40 unmap 44.63 @4.49 release 38.35 @4.46 addr_free 6.64 @4.50 | 5: reserve 20.19 @10.50 create 52.10 @10.46 map 4.08 @10.50 set_access 85.51 @10.44 unmap 59.61 @10.49 release 48.04 @10.50 addr_free 12.58 @10.55 | 10: reserve 30.66 @20.72 create 96.87 @20.64 map 7.11 @20.74 set_access 124.33 @20.63 unmap 106.15 @20.65 release 80.35 @20.68 addr_free 20.39 @20.73 | 20: reserve 48.36 @40.82 create 127.64 @40.75 map 10.72 @40.87 set_access 157.17 @40.71 unmap 146.11 @40.78 release 89.44 @40.81 addr_free 31.47 @40.85 | 50: reserve 52.25 @100.83 create 133.04 @100.75 map 11
-- vmm growth on the launching thread, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 15.19 (56.34/10.87/24.49) map 1.71 (4.74/1.20/3.38) set_access 38.02 (94.01/31.12/50.73)
-- vmm growth on one thread kept for the series, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 13.03 (87.86/10.35/19.55) map 1.33 (8.35/0.90/4.96) set_access 32.44 (130.41/29.24/39.64)
-- vmm growth on a new thread per handle, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 39.28 (100.94/22.87/60.08) map 5.15 (9.40/2.64/8.74) set_access 69.14 (121.20/45.48/92.64)
-- vmm growth on the launching thread, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 21.45 (43.24/18.14/25.46) map 2.28 (5.89/1.56/2.84) set_access 43.63 (86.89/40.66/71.50)
-- vmm growth on one thread kept for the series, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 18.59 (136.53/14.35/41.17) map 2.35 (7.52/1.83/3.22) set_access 41.81 (142.06/33.50/76.28)
-- vmm growth on a new thread per handle, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 54.88 (161.97/20.89/79.47) map 6.92 (7.89/2.33/8.18) set_access 83.79 (123.44/48.14/104.64)
-- vmm reserve / free of 16 MiB ranges among live ranges, us median per window of calls (live: reserve free): 0: 0.70 0.71 32: 1.42 2.09 96: 2.62 2.09 160: 3.16 2.16 224: 3.78 2.11 288: 4.54 2.01 352: 5.03 2.14 416: 5.70 2.10 480: 6.18 2.18 544: 6.93 2.28 608: 7.02 2.23 672: 8.26 2.36 736: 8.88 1.97 800: 9.39 1.97 864: 9.85 2.30 928: 10.56 2.16 992: 11.13 3.48
-- vmm factors over isolation at the granularity (busy, after_step): reserve 0.972 1.905 create 0.932 1.301 map 1.062 1.592 set_access 1.162 1.174 unmap 1.607 1.285 release 1.064 1.109 free_va 1.014 1.278
return {
  name = "h100-measured",
  gpus_per_server = 1, -- cudaGetDeviceCount
  servers = 1, -- one machine
  hbm_bytes = 85017493504, -- cudaMemGetInfo total
  hbm_bw = 3.254e+12, -- best read stream (kernels and launch shapes above)
  d2d_bw = 2.954e+12, -- cudaMemcpyAsync D2D 256 MiB, read+write
  flops = 7.837e+14, -- cuBLAS bf16 GEMM
  sms = 132, -- device property
  kernel_launch = 3.742e-06, -- empty kernels back to back
  pcie_bw = 5.266e+10, -- min(H2D, D2H) at 256 MiB, pinned
  pcie_lat = 1.164e-06, -- zero-copy dependent read round trip
  copy_overhead = 2.356e-06, -- fixed cost per cudaMemcpyAsync
  sm_copy_bw_per_sm = 3.767e+10, -- kv_transfer_launch on 1 SM
  sm_duplex_bw = 7.933e+10, -- kv_transfer_pair_launch both ways at once, 8 SMs, aggregate
  gpus_per_uplink = 0, -- not measured: own link assumed
  uplink_bw = 0, -- not measured (gpus_per_uplink = 0)
  host_bw = 8.309e+10, -- duplex DMA aggregate: lower bound of host DRAM bw for DMA
  nvlink_bw = 0, -- not measured (one GPU)
  nvlink_lat = 0, -- not measured (one GPU)
  nic_bw = 0, -- no inter-server tier
  nic_lat = 0, -- no inter-server tier
  vmm_reserve = 1.342e-06, -- cuMemAddressReserve, granularity range, cycles after a step, median
  vmm_create = 1.791e-05, -- cuMemCreate, cycles after a step, median
  vmm_map = 1.618e-06, -- cuMemMap, cycles after a step, median
  vmm_set_access = 3.275e-05, -- cuMemSetAccess, cycles after a step, median
  vmm_unmap = 2.441e-05, -- cuMemUnmap, cycles after a step, median
  vmm_release = 1.543e-05, -- cuMemRelease, cycles after a step, median
  vmm_granularity = 2097152, -- cuMemGetAllocationGranularity minimum
  vmm_reserve_per_mib = 3.139e-09, -- size slope: (largest - smallest handle median) / MiB, isolation
  vmm_create_per_mib = 6.379e-08, -- size slope, isolation
  vmm_map_per_mib = 2.025e-10, -- size slope, isolation
  vmm_set_access_per_mib = 4.757e-08, -- size slope, isolation
  vmm_unmap_per_mib = 1.676e-08, -- size slope, isolation
  vmm_release_per_mib = 4.08e-07, -- size slope, isolation
  table_write = 8.016e-06, -- 4 KiB H2D from pinned right after a step, events, median
  -- measured curves (every raw one in h100-measured.curves.csv)
  vmm_reserve_curve = { {2097152, 7.0449999967081567e-07}, {4194304, 5.6300000039755105e-07}, {8388608, 5.2949999584939178e-07}, {16777216, 7.4899999802369166e-07}, {67108864, 3.0394999974703296e-06}, {268435456, 3.6834999974644234e-06}, {1073741824, 2.6640000001521003e-06}, {17179869184, 2.5985000000616765e-06}, {274877906944, 2.586499999068792e-06}, {1099511627776, 2.5790000037773098e-06} }, -- s per call by range bytes, isolation
  vmm_create_curve = { {2097152, 1.3769000002383791e-05}, {4194304, 8.5920000003625319e-06}, {8388608, 9.0165000017350394e-06}, {16777216, 1.2976000000719523e-05}, {67108864, 3.6058499997437821e-05}, {268435456, 1.8333999999953221e-05}, {1073741824, 7.8966000003788395e-05} }, -- s per call by handle bytes, isolation
  vmm_map_curve = { {2097152, 1.0165000006168157e-06}, {4194304, 6.1549999941235001e-07}, {8388608, 6.3199999544849561e-07}, {16777216, 1.0020000047461508e-06}, {67108864, 1.1180000001331791e-06}, {268435456, 1.1039999989748139e-06}, {1073741824, 1.2234999999805041e-06} }, -- s per call by handle bytes, isolation
  vmm_set_access_curve = { {2097152, 2.79009999992752e-05}, {4194304, 2.1180499995665514e-05}, {8388608, 2.1601500002077501e-05}, {16777216, 2.8309999997588875e-05}, {67108864, 4.7963500001912962e-05}, {268435456, 5.1006000003184226e-05}, {1073741824, 7.6519499998539686e-05} }, -- s per call by handle bytes, isolation
  vmm_unmap_curve = { {2097152, 1.8988999997304745e-05}, {4194304, 1.4773000000189995e-05}, {8388608, 1.5288000000168722e-05}, {16777216, 1.9086000001777848e-05}, {67108864, 2.8077500001444378e-05}, {268435456, 2.8223499999313617e-05}, {1073741824, 3.6115000003889008e-05} }, -- s per call by handle bytes, isolation
  vmm_release_curve = { {2097152, 1.3909000003309302e-05}, {4194304, 1.1436000001197044e-05}, {8388608, 1.3909500001574315e-05}, {16777216, 2.6840000003858222e-05}, {67108864, 5.0236500001688e-05}, {268435456, 0.0001610364999997671}, {1073741824, 0.00043090449999994007} }, -- s per call by handle bytes, isolation
  vmm_free_va_curve = { {2097152, 7.0499999793582901e-07}, {4194304, 4.5000000170603016e-07}, {8388608, 4.8999999791021764e-07}, {16777216, 7.6299999918205685e-07}, {67108864, 2.4259999982234604e-06}, {268435456, 3.1165000038413382e-06}, {1073741824, 2.4154999955783296e-06}, {17179869184, 2.5534999998910735e-06}, {274877906944, 3.8544999974021721e-06}, {1099511627776, 3.6484999981212241e-06} }, -- s per call by range bytes, isolation
  vmm_reserve_live = { {16, 0.82114975688671865}, {128, 0.99574166544086695}, {1024, 0.73101489945585785}, {4096, 0.74449964405036373} }, -- idle call among x live handles / isolated
  vmm_create_live = { {16, 0.64100515628436883}, {128, 0.9774130289518389}, {1024, 0.67786331625236818}, {4096, 0.67789962932609993} }, -- idle call among x live handles / isolated
  vmm_map_live = { {16, 0.86178062414898704}, {128, 1.1126414171397041}, {1024, 0.81210034286605337}, {4096, 0.87161829976986449} }, -- idle call among x live handles / isolated
  vmm_set_access_live = { {16, 0.78923694497654628}, {128, 1.0859108992308151}, {1024, 0.87869610403803866}, {4096, 0.90896383639954059} }, -- idle call among x live handles / isolated
  vmm_unmap_live = { {16, 0.81813155001906956}, {128, 1.2019590291860998}, {1024, 0.98212122818787306}, {4096, 1.0298067304375598} }, -- idle call among x live handles / isolated
  vmm_release_live = { {16, 0.77579265200482783}, {128, 1.1053274855504425}, {1024, 0.85620821039757977}, {4096, 0.86584226032188683} }, -- idle call among x live handles / isolated
  vmm_free_va_live = { {16, 0.69219858542732882}, {128, 1.0290780141558054}, {1024, 0.6716312052591773}, {4096, 0.72198581698239273} }, -- idle call among x live handles / isolated
  vmm_create_grow = { {2097152, 1.9094500000704784e-05}, {67108864, 1.6343499996906985e-05} }, -- s per call growing the pool, by handle bytes
  vmm_map_grow = { {2097152, 2.2189999953070583e-06}, {67108864, 1.8604999958427015e-06} }, -- s per call growing the pool, by handle bytes
  vmm_set_access_grow = { {2097152, 4.1298999999384023e-05}, {67108864, 3.6764499999009104e-05} }, -- s per call growing the pool, by handle bytes
  vmm_reserve_live_va = { {32, 1.8951935943652007}, {96, 3.5026702343121876}, {160, 4.2129506118676563}, {224, 5.0507343262347506}, {288, 6.0587450125698474}, {352, 6.7109479509562533}, {416, 7.6068090950058584}, {480, 8.2449933524647676}, {544, 9.2576769245369039}, {608, 9.3765020205857521}, {672, 11.026702295689116}, {736, 11.855140219609028}, {800, 12.540720993218079}, {864, 13.152202969217699}, {928, 14.100801102785097}, {992, 14.861148237917808} }, -- among x live ranges / none
  vmm_free_va_live_va = { {32, 2.7418086517071161}, {96, 2.7339449551109505}, {160, 2.8276540038871345}, {224, 2.7699868908590108}, {288, 2.6376146834485312}, {352, 2.8066841462973597}, {416, 2.7555701230785274}, {480, 2.8519003947409463}, {544, 2.986238533284832}, {608, 2.9220183537286339}, {672, 3.0950196602193016}, {736, 2.5773263475341723}, {800, 2.5806028854544532}, {864, 3.012450850615807}, {928, 2.8315858475289737}, {992, 4.5648754969183658} }, -- among x live ranges / none
  vmm_reserve_busy = 0.97576620828624805, -- busy / idle among the same live handles at the granularity
  vmm_create_busy = 0.9537078318954807, -- busy / idle among the same live handles at the granularity
  vmm_map_busy = 0.95490716126212483, -- busy / idle among the same live handles at the granularity
  vmm_set_access_busy = 1.0703346756330971, -- busy / idle among the same live handles at the granularity
  vmm_unmap_busy = 1.3372327373246606, -- busy / idle among the same live handles at the granularity
  vmm_release_busy = 0.96305450755791333, -- busy / idle among the same live handles at the granularity
  vmm_free_va_busy = 0.98552722381329882, -- busy / idle among the same live handles at the granularity
  vmm_reserve_after_step = 1.9130434714348679, -- after_step / idle among the same live handles at the granularity
  vmm_create_after_step = 1.33110417621002, -- after_step / idle among the same live handles at the granularity
  vmm_map_after_step = 1.430592396723438, -- after_step / idle among the same live handles at the granularity
  vmm_set_access_after_step = 1.080780909693301, -- after_step / idle among the same live handles at the granularity
  vmm_unmap_after_step = 1.0694882579582268, -- after_step / idle among the same live handles at the granularity
  vmm_release_after_step = 1.0037075580597183, -- after_step / idle among the same live handles at the granularity
  vmm_free_va_after_step = 1.2419021400484633, -- after_step / idle among the same live handles at the granularity
  copy_h2d_curve = { {4096, 2.7371521573513745e-06}, {16384, 3.089600009843707e-06}, {65536, 4.2212638072669503e-06}, {262144, 7.8167682513594634e-06}, {1048576, 2.273528091609478e-05}, {4194304, 8.4729753434658055e-05}, {16777216, 0.00032531750202178958}, {67108864, 0.0012920980453491211}, {268435456, 0.005097864151000977} }, -- s per cudaMemcpyAsync by bytes, back to back
  copy_d2h_curve = { {4096, 1.7956480151042342e-06}, {16384, 2.2429281380027532e-06}, {65536, 3.2415520399808885e-06}, {262144, 6.3179996795952318e-06}, {1048576, 2.051428146660328e-05}, {4194304, 7.7513001859188084e-05}, {16777216, 0.00030585101246833804}, {67108864, 0.0012278259992599488}, {268435456, 0.0048713760375976561} }, -- s per cudaMemcpyAsync by bytes, back to back
  sm_copy_h2d_curve = { {1, 31297037481.579361}, {2, 49911986034.511841}, {4, 49892986728.642746}, {8, 50308306829.429131}, {16, 49448304046.558266}, {32, 47691812123.075127}, {64, 49426162462.813995} }, -- B/s by SMs, 65536-byte pages
  sm_copy_d2h_curve = { {1, 44051336139.565155}, {2, 51948280144.175476}, {4, 51970163097.544945}, {8, 52514135153.485695}, {16, 52552299406.826157}, {32, 52561519103.311516}, {64, 52544397281.907547} }, -- B/s by SMs, 65536-byte pages
  sm_copy_page_h2d_curve = { {256, 0.61328194406978287}, {4096, 0.99631931686862985}, {65536, 1} }, -- rate by page bytes over the 65536-byte page's, at 8 SMs
  sm_copy_page_d2h_curve = { {256, 0.9935067847806196}, {4096, 0.99977467701685041}, {65536, 1} }, -- rate by page bytes over the 65536-byte page's, at 8 SMs
  sm_copy_grid_h2d = {
    { 256, { {1, 4197443598.3526545}, {2, 8352757869.1652508}, {4, 16527714462.528252}, {8, 30853176215.21143}, {16, 49419172447.714996}, {32, 49388913880.826851}, {64, 49688479679.030846} } },
    { 4096, { {1, 30509798115.644474}, {2, 50661962642.643379}, {4, 49929812967.51825}, {8, 50123137893.114258}, {16, 50445049428.563774}, {32, 50412307555.068878}, {64, 50567902284.903328} } },
    { 65536, { {1, 31297037481.579361}, {2, 49911986034.511841}, {4, 49892986728.642746}, {8, 50308306829.429131}, {16, 49448304046.558266}, {32, 47691812123.075127}, {64, 49426162462.813995} } },
  }, -- B/s by SMs, one row per page bytes
  sm_copy_grid_d2h = {
    { 256, { {1, 7504167161.4966755}, {2, 14962877426.854582}, {4, 29835285753.180149}, {8, 52173149571.874481}, {16, 51460064940.633934}, {32, 51437345061.723175}, {64, 51676899549.288902} } },
    { 4096, { {1, 43069745253.189758}, {2, 51994643190.951271}, {4, 52188733594.205521}, {8, 52502302511.895393}, {16, 52532551000.41993}, {32, 52510191979.713409}, {64, 52212117406.397476} } },
    { 65536, { {1, 44051336139.565155}, {2, 51948280144.175476}, {4, 51970163097.544945}, {8, 52514135153.485695}, {16, 52552299406.826157}, {32, 52561519103.311516}, {64, 52544397281.907547} } },
  }, -- B/s by SMs, one row per page bytes
  sm_copy_threads_grid_h2d = {
    { 128, { {1, 4653492107.5817699}, {2, 9572714810.6041241}, {4, 18565932048.495491}, {8, 35887399516.472282}, {16, 50906690178.784454}, {32, 50429278511.563705}, {64, 50459613520.40892} } },
    { 256, { {1, 9684422723.3977261}, {2, 18956449743.442623}, {4, 36131006723.166893}, {8, 51111404478.439095}, {16, 50345744446.9039}, {32, 50611833093.525681}, {64, 50707285710.363419} } },
    { 512, { {1, 18457757990.962696}, {2, 35717482300.275337}, {4, 50989617429.865112}, {8, 50278153416.776772}, {16, 50635054519.491501}, {32, 50659514439.048256}, {64, 50620384439.916756} } },
    { 1024, { {1, 34285116343.536465}, {2, 50741642268.220734}, {4, 50276945517.569206}, {8, 50780960031.408699}, {16, 50889396429.860359}, {32, 50345744446.9039}, {64, 50688903943.759308} } },
  }, -- B/s by SMs, one row per threads per block, 64 KiB pages
  sm_copy_threads_grid_d2h = {
    { 128, { {1, 11900827851.658278}, {2, 23531777220.172344}, {4, 46553722100.124374}, {8, 51565084807.952171}, {16, 52075986397.737534}, {32, 51981757067.683121}, {64, 52145907161.595268} } },
    { 256, { {1, 22747410319.40575}, {2, 45084528867.340073}, {4, 51605689544.593109}, {8, 51798158896.771538}, {16, 52100566310.510696}, {32, 52338517453.733658}, {64, 52466836559.505386} } },
    { 512, { {1, 34774603376.531921}, {2, 51662899750.501259}, {4, 52002380814.247887}, {8, 52192628635.09816}, {16, 52403905771.19873}, {32, 52493103575.985115}, {64, 52399979133.209793} } },
    { 1024, { {1, 43993120006.967003}, {2, 52134239860.244843}, {4, 52278500855.596725}, {8, 52072103929.740997}, {16, 52535183590.516876}, {32, 52541763768.338356}, {64, 52358115347.770821} } },
  }, -- B/s by SMs, one row per threads per block, 64 KiB pages
  batch_h2d_curve = { {4096, 5.3525000112131236e-07}, {16384, 6.1437499243766067e-07}, {65536, 1.5219999477267267e-06}, {262144, 5.1013748161494735e-06}, {1048576, 1.9943499937653543e-05}, {4194304, 7.8718125820159915e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_d2h_curve = { {4096, 4.7674999223090711e-07}, {16384, 9.4212498515844349e-07}, {65536, 1.4287499943748117e-06}, {262144, 5.0265002064406869e-06}, {1048576, 1.9355999305844308e-05}, {4194304, 7.772950083017349e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_call = 5.4774000002311141e-05, -- s of host time per batched call
  batch_call_curve = { {64, 5.4774000002311141e-05} }, -- s of host time per batched call by entries
  attn_block_table_curve = { {1, 1.1743769318191455}, {4, 1.0586086000030979}, {16, 1.0462955887909837}, {64, 1.0423167696043081}, {256, 1.0360134089462703} }, -- time over contiguous by tokens per block
  attn_offset_table_curve = { {1, 1.2238396291063396}, {4, 1.0913380871331}, {16, 1.0403563420403921}, {64, 1.0376740851611161}, {256, 1.0315212346725144} }, -- time over contiguous by tokens per block
  source = "kvsim-calibrate on NVIDIA H100 80GB HBM3, driver API 13000, 2026-12-05 16:52 UTC",
}
