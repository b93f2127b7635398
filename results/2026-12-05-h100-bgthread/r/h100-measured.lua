-- Platform measured by kvsim-calibrate (kernels/calibrate.cu).
-- device: NVIDIA H100 80GB HBM3, 132 SMs, 85017493504 bytes (84465090560 free), 1 GPU(s), driver API 13000, 2026-12-05 16:33 UTC
-- pcie H2D 53.55 GB/s, D2H 54.20 GB/s at 256 MiB (pcie_bw = the lower)
-- copy fixed cost 2.47 us (median of time - bytes/bw, 4..64 KiB, both directions); 1-byte copies back to back 2.62 us each; 1-byte copy + sync round trip 25.60 us (median)
-- duplex (256 MiB each way at once): 56.23 GB/s aggregate (host_bw: a lower bound of host DRAM bandwidth for DMA)
-- device-to-device copy 256 MiB: 2959.5 GB/s counting read + write
-- HBM read stream, GB/s: unrolled x4, 1 GiB, 4 blocks/SM: 3097.2; weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM: 3268.0; weight read, 256 MiB once x 16 launches, 4 blocks/SM: 3012.5; weight read, 1 GiB once, 4 blocks/SM: 3084.2; weight read, 1 GiB once, 8 blocks/SM: 3086.6; weight read, 1 GiB once, 16 blocks/SM: 3088.6; weight read, 2 GiB once, 4 blocks/SM: 3089.8
-- HBM read stream: 3268.0 GB/s, the best (weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM) (hbm_bw)
-- bf16 matrix product 8192x8192x8192 (cuBLAS, random data): 782 TFLOP/s
-- kernel launch: 4.69 us each back to back; launch + sync round trip 10.05 us (median)
-- table write (4 KiB H2D from pinned memory between CUDA events on an idle stream, as the GPU backend does): median 23.28 us, p10 4.86, p90 30.59 (table_write); the same copies queued back to back 28.82 us; the former definition, 4 KiB H2D + kernel launch back to back, 10.36 us
-- table write right after a step (a read stream of a few ms on the same stream, then a host sync, then the event pair and the copy; 100 times): median 15.49 us, p10 9.95, p90 34.98
-- zero-copy dependent read of mapped host memory: 1.16 us each (pcie_lat = round trip)
-- host memcpy 256 MiB, one thread: 9.6 GB/s (one CPU core; not host_bw, which is the duplex DMA figure)
-- batch check: 768 entries (every size, both directions) equal their sources byte for byte
-- SM copy check: 559104 pages (every page size, both directions, 8 SMs) equal their sources byte for byte; threads per block: 1024, kv_transfer_launch's (the next table varies them)
-- SM copy with 1 SM, 64 KiB pages, mean of both directions: 39.58 GB/s (sm_copy_bw_per_sm)
-- SM copy both directions at once (kv_transfer_pair_launch, 8 SMs, 64 KiB pages, 64 MiB each way): 83.12 GB/s aggregate (sm_duplex_bw)
-- SM copy by threads check: 8192 pages (every block size, both directions, 8 SMs) equal their sources byte for byte
-- attention check: block-table and offset-table outputs equal the contiguous one at every block size (worst relative L2 0, tolerance 1e-05); contiguous vs float64 CPU reference on 4 requests 1.5e-07 (tolerance 1e-3)
-- vmm 2 MiB medians in isolation (us): reserve 0.78 create 13.89 map 1.05 set_access 27.86 unmap 18.73 release 13.79 addr_free 0.77
-- vmm 4 MiB medians in isolation (us): reserve 0.80 create 12.94 map 1.07 set_access 27.65 unmap 18.72 release 16.49 addr_free 0.78
-- vmm 8 MiB medians in isolation (us): reserve 0.77 create 13.02 map 1.06 set_access 27.58 unmap 18.68 release 20.29 addr_free 0.78
-- vmm 16 MiB medians in isolation (us): reserve 0.82 create 13.06 map 1.09 set_access 28.13 unmap 18.92 release 27.71 addr_free 0.79
-- vmm 64 MiB medians in isolation (us): reserve 4.32 create 37.80 map 1.28 set_access 47.88 unmap 28.17 release 49.21 addr_free 3.35
-- vmm 256 MiB medians in isolation (us): reserve 4.68 create 19.80 map 1.68 set_access 53.33 unmap 30.27 release 156.36 addr_free 4.00
-- vmm 1024 MiB medians in isolation (us): reserve 6.38 create 98.60 map 2.37 set_access 95.10 unmap 44.28 release 622.39 addr_free 6.29
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU idle, us median (p10/p90): reserve 0.88 (0.73/1.17) create 14.91 (14.18/16.13) map 1.36 (1.18/1.73) set_access 31.59 (30.58/34.19) unmap 22.87 (21.78/25.07) release 16.03 (15.46/17.10) addr_free 0.91 (0.79/1.20)
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU busy with a read stream, us median (p10/p90): reserve 0.96 (0.77/1.34) create 15.96 (15.07/17.84) map 1.47 (1.24/1.90) set_access 38.05 (32.68/43.20) unmap 33.60 (23.00/37.89) release 16.76 (15.96/18.32) addr_free 0.96 (0.83/1.35); 30 reads launched
-- vmm 2 MiB, 200 cycles among 128 live handles, each cycle right after a step, us median (p10/p90): reserve 2.02 (1.80/2.30) create 21.88 (20.53/33.90) map 2.49 (2.24/2.86) set_access 41.34 (39.52/45.04) unmap 30.05 (28.38/31.79) release 19.15 (18.12/20.92) addr_free 1.91 (1.75/2.17)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 16 live handles, GPU idle, us median (p10/p90): reserve 0.89 (0.77/1.09) create 14.38 (13.83/15.44) map 1.43 (1.24/1.66) set_access 29.07 (28.06/30.95) unmap 19.65 (18.86/21.15) release 14.27 (13.81/15.00) addr_free 0.85 (0.74/1.03)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 1024 live handles, GPU idle, us median (p10/p90): reserve 0.84 (0.73/1.08) create 15.85 (15.09/17.17) map 1.35 (1.20/1.69) set_access 32.69 (31.40/35.35) unmap 23.52 (22.02/25.39) release 16.30 (15.57/17.41) addr_free 0.88 (0.79/1.11)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 4096 live handles, GPU idle, us median (p10/p90): reserve 0.80 (0.69/1.05) create 15.29 (14.83/16.36) map 1.33 (1.18/1.68) set_access 31.82 (30.78/33.91) unmap 23.28 (21.88/25.60) release 15.80 (15.05/16.79) addr_free 0.87 (0.78/1.14)
-- vmm 64 MiB, 200 cycles among 32 live handles, GPU idle, us median (p10/p90): reserve 3.74 (3.28/4.45) create 33.57 (14.57/40.09) map 1.50 (1.24/1.83) set_access 31.89 (30.09/35.45) unmap 21.09 (19.97/23.09) release 58.25 (48.68/75.41) addr_free 3.96 (3.44/4.58)
-- vmm 64 MiB, 200 cycles among 32 live handles, each cycle right after a step, us median (p10/p90): reserve 7.37 (6.85/7.82) create 47.24 (44.29/49.89) map 2.80 (2.48/3.11) set_access 43.98 (41.30/48.02) unmap 29.89 (28.18/32.18) release 55.85 (52.85/59.38) addr_free 7.26 (6.76/7.83)
-- vmm growth, fresh range: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 20.82 (221.60/19.43/24.04; 20.71, 21.59) map 2.43 (3.86/2.15/3.09; 2.40, 2.50) set_access 43.13 (76.19/40.90/47.12; 42.68, 45.16) unmap 23.50 (84.06/22.28/26.56; 23.80, 22.95) release 16.86 (41.89/16.23/17.57; 17.04, 16.61)
-- vmm growth, same range again: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 21.13 (46.58/19.65/23.58; 21.12, 20.58) map 2.51 (5.80/2.20/2.88; 2.52, 2.43) set_access 43.67 (91.82/41.45/46.63; 43.60, 43.29) unmap 22.28 (78.07/21.14/24.68; 22.75, 21.82) release 15.64 (40.26/15.03/16.41; 15.95, 15.44)
-- vmm growth, new range, memory recycled: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 20.83 (44.31/16.58/23.40; 20.90, 22.10) map 2.45 (5.39/1.79/2.86; 2.54, 2.57) set_access 43.20 (87.28/35.47/47.06; 43.20, 44.95) unmap 23.63 (83.51/22.35/26.24; 24.01, 23.22) release 16.75 (40.86/16.13/17.52; 16.99, 16.63)
-- vmm growth, fresh range: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 23.49 (50.67/22.06/171.15; 23.71, 166.96) map 2.73 (6.04/2.39/17.79; 2.73, 17.06) set_access 46.80 (101.48/43.88/306.93; 46.82, 287.98) unmap 146.08 (430.88/67.65/186.05; 85.41, 151.68) release 743.07 (420.35/297.43/861.80; 377.25, 786.41)
-- vmm growth, same range again: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 36.40 (254.98/26.40/80.28; 70.64, 26.86) map 4.10 (35.09/2.81/12.53; 8.75, 2.88) set_access 73.93 (271.46/52.16/148.55; 139.80, 53.67) unmap 23.32 (67.09/21.32/35.20; 25.03, 21.89) release 75.92 (79.22/52.60/80.73; 78.83, 74.77)
-- vmm growth, new range, memory recycled: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 19.20 (328.56/17.96/21.04; 19.76, 19.35) map 2.07 (4.52/1.75/2.52; 2.46, 2.04) set_access 39.41 (71.03/37.27/60.04; 40.62, 39.38) unmap 20.10 (73.44/18.80/30.50; 21.09, 20.10) release 57.24 (64.86/42.95/67.19; 58.39, 58.97)
-- vmm growth on the launching thread, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 18.93 (72.96/17.34/22.44) map 2.14 (4.18/1.83/2.56) set_access 41.87 (85.21/38.63/48.57)
-- vmm growth on one thread kept for the series, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 11.35 (57.66/9.87/16.84) map 1.08 (5.67/0.84/4.16) set_access 30.08 (92.30/27.40/41.90)
-- vmm growth on a new thread per handle, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 40.93 (41.08/18.71/57.22) map 5.40 (5.65/2.12/8.02) set_access 73.40 (94.48/41.33/92.38)
-- vmm growth on the launching thread, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 15.43 (36.91/14.11/16.99) map 1.66 (4.68/1.37/1.97) set_access 36.30 (86.98/34.40/61.83)
-- vmm growth on one thread kept for the series, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 13.49 (92.31/13.03/16.84) map 1.51 (5.82/1.28/1.76) set_access 34.09 (139.07/32.21/60.24)
-- vmm growth on a new thread per handle, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 50.72 (74.42/29.33/63.57) map 6.35 (5.61/3.23/7.45) set_access 76.75 (112.76/63.62/108.23)
-- vmm reserve / free of 16 MiB ranges among live ranges, us median per window of calls (live: reserve free): 0: 0.64 0.67 32: 1.34 1.38 96: 2.60 1.66 160: 3.12 1.72 224: 3.70 1.73 288: 4.08 1.78 352: 4.71 1.76 416: 5.18 1.81 480: 5.82 1.83 544: 6.45 2.94 608: 6.96 1.87 672: 7.48 1.92 736: 13.06 1.95 800: 9.05 1.97 864: 9.20 1.98 928: 15.26 2.02 992: 10.42 3.25
-- vmm factors over isolation at the granularity (busy, after_step): reserve 1.378 2.893 create 1.149 1.575 map 1.406 2.378 set_access 1.366 1.484 unmap 1.794 1.604 release 1.216 1.389 free_va 1.359 2.690
return {
  name = "h100-measured",
  gpus_per_server = 1, -- cudaGetDeviceCount
  servers = 1, -- one machine
  hbm_bytes = 85017493504, -- cudaMemGetInfo total
  hbm_bw = 3.268e+12, -- best read stream (kernels and launch shapes above)
  d2d_bw = 2.959e+12, -- cudaMemcpyAsync D2D 256 MiB, read+write
  flops = 7.819e+14, -- cuBLAS bf16 GEMM
  sms = 132, -- device property
  kernel_launch = 4.695e-06, -- empty kernels back to back
  pcie_bw = 5.355e+10, -- min(H2D, D2H) at 256 MiB, pinned
  pcie_lat = 1.156e-06, -- zero-copy dependent read round trip
  copy_overhead = 2.473e-06, -- fixed cost per cudaMemcpyAsync
  sm_copy_bw_per_sm = 3.958e+10, -- kv_transfer_launch on 1 SM
  sm_duplex_bw = 8.312e+10, -- kv_transfer_pair_launch both ways at once, 8 SMs, aggregate
  gpus_per_uplink = 0, -- not measured: own link assumed
  uplink_bw = 0, -- not measured (gpus_per_uplink = 0)
  host_bw = 5.623e+10, -- duplex DMA aggregate: lower bound of host DRAM bw for DMA
  nvlink_bw = 0, -- not measured (one GPU)
  nvlink_lat = 0, -- not measured (one GPU)
  nic_bw = 0, -- no inter-server tier
  nic_lat = 0, -- no inter-server tier
  vmm_reserve = 2.019e-06, -- cuMemAddressReserve, granularity range, cycles after a step, median
  vmm_create = 2.188e-05, -- cuMemCreate, cycles after a step, median
  vmm_map = 2.489e-06, -- cuMemMap, cycles after a step, median
  vmm_set_access = 4.134e-05, -- cuMemSetAccess, cycles after a step, median
  vmm_unmap = 3.005e-05, -- cuMemUnmap, cycles after a step, median
  vmm_release = 1.915e-05, -- cuMemRelease, cycles after a step, median
  vmm_granularity = 2097152, -- cuMemGetAllocationGranularity minimum
  vmm_reserve_per_mib = 5.485e-09, -- size slope: (largest - smallest handle median) / MiB, isolation
  vmm_create_per_mib = 8.289e-08, -- size slope, isolation
  vmm_map_per_mib = 1.299e-09, -- size slope, isolation
  vmm_set_access_per_mib = 6.579e-08, -- size slope, isolation
  vmm_unmap_per_mib = 2.499e-08, -- size slope, isolation
  vmm_release_per_mib = 5.955e-07, -- size slope, isolation
  table_write = 1.549e-05, -- 4 KiB H2D from pinned right after a step, events, median
  -- measured curves (every raw one in h100-measured.curves.csv)
  vmm_reserve_curve = { {2097152, 6.980000009093601e-07}, {4194304, 8.0300000249167169e-07}, {8388608, 7.7150000166170685e-07}, {16777216, 8.185000019977906e-07}, {67108864, 3.6310000020023381e-06}, {268435456, 4.6794999981614183e-06}, {1073741824, 2.3769999977218959e-06}, {17179869184, 2.3179999999456413e-06}, {274877906944, 2.0349999978463984e-06}, {1099511627776, 2.3424999966437099e-06} }, -- s per call by range bytes, isolation
  vmm_create_curve = { {2097152, 1.3890500000002248e-05}, {4194304, 1.2939000001210843e-05}, {8388608, 1.3024499999403361e-05}, {16777216, 1.3062500002547495e-05}, {67108864, 3.7795000000784285e-05}, {268435456, 1.980100000054108e-05}, {1073741824, 9.859999999761726e-05} }, -- s per call by handle bytes, isolation
  vmm_map_curve = { {2097152, 1.0464999995463131e-06}, {4194304, 1.0695000014493417e-06}, {8388608, 1.0649999957479395e-06}, {16777216, 1.0874999993859547e-06}, {67108864, 1.2810000029617186e-06}, {268435456, 1.6790000003652494e-06}, {1073741824, 2.3744999992914018e-06} }, -- s per call by handle bytes, isolation
  vmm_set_access_curve = { {2097152, 2.7855500000839584e-05}, {4194304, 2.7651499998171403e-05}, {8388608, 2.7581499999485004e-05}, {16777216, 2.8134000000790138e-05}, {67108864, 4.7876500005372691e-05}, {268435456, 5.3332000003791791e-05}, {1073741824, 9.5096999999100262e-05} }, -- s per call by handle bytes, isolation
  vmm_unmap_curve = { {2097152, 1.8731999997356752e-05}, {4194304, 1.8720999996446608e-05}, {8388608, 1.8683999996937928e-05}, {16777216, 1.891800000208832e-05}, {67108864, 2.8169499998398351e-05}, {268435456, 3.0272000000053367e-05}, {1073741824, 4.4275000004034837e-05} }, -- s per call by handle bytes, isolation
  vmm_release_curve = { {2097152, 1.3787000003873118e-05}, {4194304, 1.6488500001798911e-05}, {8388608, 2.0289999998368557e-05}, {16777216, 2.7710499999500371e-05}, {67108864, 4.9214499998839756e-05}, {268435456, 0.00015635750000342341}, {1073741824, 0.00062239449999879071} }, -- s per call by handle bytes, isolation
  vmm_free_va_curve = { {2097152, 7.0900000537221786e-07}, {4194304, 7.7549999843995465e-07}, {8388608, 7.8050000240637019e-07}, {16777216, 7.8700000116782576e-07}, {67108864, 2.3210000001938624e-06}, {268435456, 4.0044999991550867e-06}, {1073741824, 2.2189999988597719e-06}, {17179869184, 2.2759999964705457e-06}, {274877906944, 3.2455000003039913e-06}, {1099511627776, 3.2475000004694721e-06} }, -- s per call by range bytes, isolation
  vmm_reserve_live = { {16, 1.28151862466371}, {128, 1.256446986839191}, {1024, 1.1977077321311302}, {4096, 1.1432664720424288} }, -- idle call among x live handles / isolated
  vmm_create_live = { {16, 1.0350239371798642}, {128, 1.0733594904862933}, {1024, 1.1408516612240558}, {4096, 1.1006443251453339} }, -- idle call among x live handles / isolated
  vmm_map_live = { {16, 1.3626373605482223}, {128, 1.2971810773486605}, {1024, 1.2947921634149977}, {4096, 1.2747252755087024} }, -- idle call among x live handles / isolated
  vmm_set_access_live = { {16, 1.0435820573093832}, {128, 1.1341566296224921}, {1024, 1.1735384392601782}, {4096, 1.1424673761396069} }, -- idle call among x live handles / isolated
  vmm_unmap_live = { {16, 1.0488202006946279}, {128, 1.2207452490501345}, {1024, 1.2555519967116391}, {4096, 1.2427930815668393} }, -- idle call among x live handles / isolated
  vmm_release_live = { {16, 1.0352868641261768}, {128, 1.162471893553009}, {1024, 1.1819104951909902}, {4096, 1.1457169796680557} }, -- idle call among x live handles / isolated
  vmm_free_va_live = { {16, 1.1918194584080957}, {128, 1.2856135290943698}, {1024, 1.2383638856685635}, {4096, 1.2263751657598978} }, -- idle call among x live handles / isolated
  vmm_create_grow = { {2097152, 2.0815500004545129e-05}, {67108864, 2.3490000000236932e-05} }, -- s per call growing the pool, by handle bytes
  vmm_map_grow = { {2097152, 2.4339999988853833e-06}, {67108864, 2.7329999952030448e-06} }, -- s per call growing the pool, by handle bytes
  vmm_set_access_grow = { {2097152, 4.3127999997949473e-05}, {67108864, 4.680050000160918e-05} }, -- s per call growing the pool, by handle bytes
  vmm_reserve_live_va = { {32, 1.6359193571585764}, {96, 3.1789859447485354}, {160, 3.8063530715319169}, {224, 4.5186316306392778}, {288, 4.9890042665508574}, {352, 5.7587049308701168}, {416, 6.3310934468345126}, {480, 7.1160659576202541}, {544, 7.8808796418347233}, {608, 8.5009162854393665}, {672, 9.1429443872612595}, {736, 15.958460560596341}, {800, 11.051313351867545}, {864, 11.244349391545589}, {928, 18.648747665826971}, {992, 12.72877211370564} }, -- among x live ranges / none
  vmm_free_va_live_va = { {32, 1.7560355763781594}, {96, 2.1105463740929764}, {160, 2.1842439613358757}, {224, 2.1956797990538197}, {288, 2.261118166656011}, {352, 2.2344345603616369}, {416, 2.2979669580203361}, {480, 2.3265565432866988}, {544, 3.7331639099707687}, {608, 2.3767471332839629}, {672, 2.4339262947881912}, {736, 2.4739517087440008}, {800, 2.5044472594396066}, {864, 2.5209656896925261}, {928, 2.560355781838588}, {992, 4.1353240104438589} }, -- among x live ranges / none
  vmm_reserve_busy = 1.0969213268851703, -- busy / idle among the same live handles at the granularity
  vmm_create_busy = 1.0704584322841952, -- busy / idle among the same live handles at the granularity
  vmm_map_busy = 1.0839779024610896, -- busy / idle among the same live handles at the granularity
  vmm_set_access_busy = 1.2043681253481313, -- busy / idle among the same live handles at the granularity
  vmm_unmap_busy = 1.4693007389270178, -- busy / idle among the same live handles at the granularity
  vmm_release_busy = 1.045766519125743, -- busy / idle among the same live handles at the granularity
  vmm_free_va_busy = 1.0570488254060115, -- busy / idle among the same live handles at the granularity
  vmm_reserve_after_step = 2.3021664820754415, -- after_step / idle among the same live handles at the granularity
  vmm_create_after_step = 1.4672188870224534, -- after_step / idle among the same live handles at the granularity
  vmm_map_after_step = 1.8335174995553545, -- after_step / idle among the same live handles at the granularity
  vmm_set_access_after_step = 1.3085858985826293, -- after_step / idle among the same live handles at the granularity
  vmm_unmap_after_step = 1.3139021297059321, -- after_step / idle among the same live handles at the granularity
  vmm_release_after_step = 1.1950770575239906, -- after_step / idle among the same live handles at the granularity
  vmm_free_va_after_step = 2.0921557909889779, -- after_step / idle among the same live handles at the granularity
  copy_h2d_curve = { {4096, 2.6258400175720455e-06}, {16384, 2.9839519411325456e-06}, {65536, 3.9360960945487019e-06}, {262144, 7.3035839013755327e-06}, {1048576, 2.2845344617962838e-05}, {4194304, 7.8799128532409666e-05}, {16777216, 0.00030640399456024169}, {67108864, 0.0012677060365676881}, {268435456, 0.0050127439498901371} }, -- s per cudaMemcpyAsync by bytes, back to back
  copy_d2h_curve = { {4096, 2.4723680689930915e-06}, {16384, 2.3159841075539591e-06}, {65536, 3.2195041421800854e-06}, {262144, 6.3077439554035664e-06}, {1048576, 2.0486874505877496e-05}, {4194304, 7.734599709510803e-05}, {16777216, 0.00030565398931503297}, {67108864, 0.0012444119453430176}, {268435456, 0.0049529838562011718} }, -- s per cudaMemcpyAsync by bytes, back to back
  sm_copy_h2d_curve = { {1, 35190655820.311913}, {2, 50677879454.541588}, {4, 50179503801.039742}, {8, 50611833093.525681}, {16, 50766205298.326851}, {32, 50872114426.826065}, {64, 50762520243.360023} }, -- B/s by SMs, 65536-byte pages
  sm_copy_d2h_curve = { {1, 43961764188.695671}, {2, 44204544161.659477}, {4, 52117400058.668488}, {8, 52324152068.555008}, {16, 51826317738.790001}, {32, 51864769010.939552}, {64, 52365961538.136368} }, -- B/s by SMs, 65536-byte pages
  sm_copy_page_h2d_curve = { {256, 0.376934208397605}, {4096, 0.67495238484176812}, {65536, 1} }, -- rate by page bytes over the 65536-byte page's, at 8 SMs
  sm_copy_page_d2h_curve = { {256, 0.99090192128574095}, {4096, 0.99932677827645022}, {65536, 1} }, -- rate by page bytes over the 65536-byte page's, at 8 SMs
  sm_copy_grid_h2d = {
    { 256, { {1, 4240097065.288537}, {2, 8461614904.3555908}, {4, 15373436028.13059}, {8, 19077331242.659809}, {16, 31635067753.46505}, {32, 39508525927.358208}, {64, 44750698043.482307} } },
    { 4096, { {1, 30709053442.175167}, {2, 50952452376.836571}, {4, 50509441836.420273}, {8, 34160577447.688683}, {16, 42632837778.181236}, {32, 49016056965.144569}, {64, 50942552995.49041} } },
    { 65536, { {1, 35190655820.311913}, {2, 50677879454.541588}, {4, 50179503801.039742}, {8, 50611833093.525681}, {16, 50766205298.326851}, {32, 50872114426.826065}, {64, 50762520243.360023} } },
  }, -- B/s by SMs, one row per page bytes
  sm_copy_grid_d2h = {
    { 256, { {1, 7497299312.9001551}, {2, 14954234736.301048}, {4, 29844624161.880608}, {8, 51848102814.378433}, {16, 51491653121.509613}, {32, 51257565799.560913}, {64, 51790481923.49765} } },
    { 4096, { {1, 43354667581.173004}, {2, 51968877330.112396}, {4, 52064350360.534859}, {8, 52288926312.716133}, {16, 52334595743.109665}, {32, 52282409307.849571}, {64, 52298053821.182724} } },
    { 65536, { {1, 43961764188.695671}, {2, 44204544161.659477}, {4, 52117400058.668488}, {8, 52324152068.555008}, {16, 51826317738.790001}, {32, 51864769010.939552}, {64, 52365961538.136368} } },
  }, -- B/s by SMs, one row per page bytes
  sm_copy_threads_grid_h2d = {
    { 128, { {1, 4796241905.1435413}, {2, 9593602611.7183514}, {4, 19218240141.662014}, {8, 37084916093.439369}, {16, 50987137457.268387}, {32, 50695029718.331383}, {64, 50830190708.833771} } },
    { 256, { {1, 9717764697.1439171}, {2, 19257593568.62727}, {4, 37073115237.194}, {8, 51128849472.396187}, {16, 50862241639.650993}, {32, 50756378148.375435}, {64, 50917814454.845772} } },
    { 512, { {1, 18821367187.345352}, {2, 36160286233.872765}, {4, 50077654255.67244}, {8, 49649661256.134506}, {16, 49549949065.633026}, {32, 48864159138.52832}, {64, 49243946669.865211} } },
    { 1024, { {1, 35272336887.988533}, {2, 50966074347.310265}, {4, 50844978072.062675}, {8, 50544742396.543037}, {16, 50879516934.336182}, {32, 50862241639.650993}, {64, 50875815411.312134} } },
  }, -- B/s by SMs, one row per threads per block, 64 KiB pages
  sm_copy_threads_grid_d2h = {
    { 128, { {1, 11903800314.654335}, {2, 23483818061.625683}, {4, 46705090487.858704}, {8, 51835284442.75724}, {16, 51884018441.874916}, {32, 52087627637.257271}, {64, 52087627637.257271} } },
    { 256, { {1, 22700134939.553482}, {2, 44979131856.047272}, {4, 51722783993.555298}, {8, 50587419185.14772}, {16, 52066936232.246948}, {32, 52075986397.737534}, {64, 52273287258.921371} } },
    { 512, { {1, 34727959876.159569}, {2, 51314001647.600433}, {4, 51735542023.592026}, {8, 52088919287.503845}, {16, 52326763812.362411}, {32, 52348966864.185692}, {64, 52174450302.690796} } },
    { 1024, { {1, 44120845231.579163}, {2, 51773858666.257835}, {4, 52222521245.584648}, {8, 52528605060.653725}, {16, 52511504672.42939}, {32, 52435354725.62899}, {64, 52411765692.557091} } },
  }, -- B/s by SMs, one row per threads per block, 64 KiB pages
  batch_h2d_curve = { {4096, 1.0232500499114394e-06}, {16384, 1.0217500384896993e-06}, {65536, 1.4916249783709647e-06}, {262144, 5.0681252032518388e-06}, {1048576, 1.9361125305294993e-05}, {4194304, 7.6301246881484982e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_d2h_curve = { {4096, 9.3249999918043619e-07}, {16384, 9.4987498596310621e-07}, {65536, 1.4457500074058772e-06}, {262144, 4.9947500228881837e-06}, {1048576, 1.9278749823570253e-05}, {4194304, 7.6361246407032009e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_call = 5.7498999996852262e-05, -- s of host time per batched call
  batch_call_curve = { {64, 5.7498999996852262e-05} }, -- s of host time per batched call by entries
  attn_block_table_curve = { {1, 1.1754332615899503}, {4, 1.0553603921795358}, {16, 1.0443071762229148}, {64, 1.0444782769014878}, {256, 1.0378135283745418} }, -- time over contiguous by tokens per block
  attn_offset_table_curve = { {1, 1.2268875723927517}, {4, 1.0918601155775862}, {16, 1.0419431097772074}, {64, 1.0373952603484529}, {256, 1.0322482068028864} }, -- time over contiguous by tokens per block
  source = "kvsim-calibrate on NVIDIA H100 80GB HBM3, driver API 13000, 2026-12-05 16:33 UTC",
}
