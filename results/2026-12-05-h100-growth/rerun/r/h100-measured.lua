-- Platform measured by kvsim-calibrate (kernels/calibrate.cu).
-- device: NVIDIA H100 80GB HBM3, 132 SMs, 85017493504 bytes (84465090560 free), 1 GPU(s), driver API 13000, 2026-12-05 15:03 UTC
-- pcie H2D 55.04 GB/s, D2H 55.14 GB/s at 256 MiB (pcie_bw = the lower)
-- copy fixed cost 2.28 us (median of time - bytes/bw, 4..64 KiB, both directions); 1-byte copies back to back 2.31 us each; 1-byte copy + sync round trip 5.69 us (median)
-- duplex (256 MiB each way at once): 94.18 GB/s aggregate (host_bw: a lower bound of host DRAM bandwidth for DMA)
-- device-to-device copy 256 MiB: 2955.6 GB/s counting read + write
-- HBM read stream, GB/s: unrolled x4, 1 GiB, 4 blocks/SM: 3098.4; weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM: 3270.8; weight read, 256 MiB once x 16 launches, 4 blocks/SM: 3017.8; weight read, 1 GiB once, 4 blocks/SM: 3049.8; weight read, 1 GiB once, 8 blocks/SM: 3074.1; weight read, 1 GiB once, 16 blocks/SM: 3088.5; weight read, 2 GiB once, 4 blocks/SM: 3094.9
-- HBM read stream: 3270.8 GB/s, the best (weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM) (hbm_bw)
-- bf16 matrix product 8192x8192x8192 (cuBLAS, random data): 787 TFLOP/s
-- kernel launch: 3.69 us each back to back; launch + sync round trip 9.28 us (median)
-- table write (4 KiB H2D from pinned memory between CUDA events on an idle stream, as the GPU backend does): median 4.48 us, p10 4.22, p90 4.80 (table_write); the same copies queued back to back 3.76 us; the former definition, 4 KiB H2D + kernel launch back to back, 6.34 us
-- table write right after a step (a read stream of a few ms on the same stream, then a host sync, then the event pair and the copy; 100 times): median 7.55 us, p10 4.74, p90 8.67
-- zero-copy dependent read of mapped host memory: 1.19 us each (pcie_lat = round trip)
-- host memcpy 256 MiB, one thread: 12.3 GB/s (one CPU core; not host_bw, which is the duplex DMA figure)
-- batch check: 768 entries (every size, both directions) equal their sources byte for byte
-- SM copy check: 559104 pages (every page size, both directions, 8 SMs) equal their sources byte for byte; threads per block: 1024, kv_transfer_launch's (the next table varies them)
-- SM copy with 1 SM, 64 KiB pages, mean of both directions: 39.92 GB/s (sm_copy_bw_per_sm)
-- SM copy both directions at once (kv_transfer_pair_launch, 8 SMs, 64 KiB pages, 64 MiB each way): 49.66 GB/s aggregate (sm_duplex_bw)
-- SM copy by threads check: 8192 pages (every block size, both directions, 8 SMs) equal their sources byte for byte
-- attention check: block-table and offset-table outputs equal the contiguous one at every block size (worst relative L2 0, tolerance 1e-05); contiguous vs float64 CPU reference on 4 requests 1.5e-07 (tolerance 1e-3)
-- vmm 2 MiB medians in isolation (us): reserve 0.54 create 9.65 map 0.71 set_access 21.92 unmap 15.42 release 9.88 addr_free 0.44
-- vmm 4 MiB medians in isolation (us): reserve 0.57 create 10.37 map 0.85 set_access 24.14 unmap 16.75 release 13.61 addr_free 0.62
-- vmm 8 MiB medians in isolation (us): reserve 0.67 create 11.56 map 0.91 set_access 25.67 unmap 17.82 release 18.27 addr_free 0.69
-- vmm 16 MiB medians in isolation (us): reserve 0.77 create 12.65 map 1.06 set_access 27.72 unmap 18.54 release 26.10 addr_free 0.75
-- vmm 64 MiB medians in isolation (us): reserve 4.05 create 34.59 map 1.25 set_access 46.91 unmap 27.74 release 45.70 addr_free 3.16
-- vmm 256 MiB medians in isolation (us): reserve 4.68 create 21.01 map 1.62 set_access 52.59 unmap 30.22 release 145.39 addr_free 4.27
-- vmm 1024 MiB medians in isolation (us): reserve 8.44 create 113.65 map 2.85 set_access 102.87 unmap 47.05 release 572.92 addr_free 9.34
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU idle, us median (p10/p90): reserve 0.82 (0.68/1.17) create 14.34 (13.20/16.83) map 1.28 (1.11/1.77) set_access 31.40 (29.57/37.36) unmap 23.82 (21.99/26.85) release 15.88 (14.78/17.47) addr_free 0.85 (0.73/1.19)
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU busy with a read stream, us median (p10/p90): reserve 0.87 (0.71/1.17) create 14.63 (13.55/16.18) map 1.34 (1.13/1.71) set_access 36.16 (31.24/40.65) unmap 33.13 (23.69/37.70) release 16.02 (15.12/17.58) addr_free 0.87 (0.74/1.20); 28 reads launched
-- vmm 2 MiB, 200 cycles among 128 live handles, each cycle right after a step, us median (p10/p90): reserve 2.81 (2.36/3.53) create 30.73 (26.25/102.63) map 3.62 (2.88/4.50) set_access 53.00 (47.19/61.94) unmap 37.21 (32.89/42.28) release 23.39 (21.07/27.01) addr_free 2.59 (2.03/3.06)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 16 live handles, GPU idle, us median (p10/p90): reserve 0.70 (0.54/0.96) create 12.57 (12.01/13.29) map 1.19 (1.01/1.41) set_access 27.20 (26.19/29.08) unmap 19.37 (18.42/21.18) release 13.59 (12.90/14.35) addr_free 0.71 (0.62/0.89)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 1024 live handles, GPU idle, us median (p10/p90): reserve 0.55 (0.40/0.75) create 11.27 (8.43/14.19) map 0.93 (0.71/1.20) set_access 25.67 (22.45/30.18) unmap 20.06 (17.19/22.98) release 12.57 (10.80/15.24) addr_free 0.60 (0.41/0.85)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 4096 live handles, GPU idle, us median (p10/p90): reserve 0.50 (0.42/0.68) create 9.17 (8.90/10.91) map 0.82 (0.71/1.10) set_access 23.88 (23.37/28.30) unmap 18.22 (17.03/20.92) release 11.60 (11.11/13.08) addr_free 0.48 (0.46/0.70)
-- vmm 64 MiB, 200 cycles among 32 live handles, GPU idle, us median (p10/p90): reserve 1.87 (1.76/2.41) create 9.78 (9.04/21.60) map 0.80 (0.66/1.06) set_access 22.05 (21.19/26.70) unmap 15.30 (14.59/17.70) release 26.71 (25.84/39.16) addr_free 2.04 (1.80/2.94)
-- vmm 64 MiB, 200 cycles among 32 live handles, each cycle right after a step, us median (p10/p90): reserve 3.22 (2.63/4.43) create 26.14 (24.12/39.00) map 1.32 (1.05/1.81) set_access 27.91 (25.35/32.39) unmap 19.78 (18.37/22.94) release 30.91 (29.13/40.64) addr_free 2.80 (2.35/4.27)
-- vmm growth, fresh range: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 13.55 (121.06/10.36/35.84; 11.79, 12.77) map 1.61 (3.71/1.06/4.63; 1.45, 1.59) set_access 30.75 (81.09/25.61/67.96; 28.55, 30.22) unmap 17.63 (71.30/16.56/20.21; 18.15, 17.27) release 10.32 (32.12/9.87/11.37; 10.65, 10.16)
-- vmm growth, same range again: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 12.68 (36.80/9.98/36.39; 17.92, 30.68) map 1.50 (4.28/1.04/4.23; 2.02, 3.38) set_access 28.94 (71.20/24.29/62.76; 38.04, 56.00) unmap 22.60 (77.69/21.12/25.61; 23.18, 22.42) release 15.07 (39.08/14.10/16.39; 15.47, 15.12)
-- vmm growth, new range, memory recycled: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 28.69 (199.13/20.65/39.82; 31.00, 27.64) map 3.31 (9.27/2.40/4.69; 3.36, 3.32) set_access 53.41 (116.80/42.68/64.91; 54.18, 52.73) unmap 24.20 (82.62/22.64/27.38; 23.96, 24.43) release 16.66 (41.80/15.81/17.66; 16.15, 17.14)
-- vmm growth, fresh range: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 32.04 (69.86/24.78/46.93; 32.16, 27.38) map 3.67 (8.74/2.77/4.82; 3.91, 3.18) set_access 58.29 (131.39/51.39/88.19; 57.95, 56.64) unmap 28.59 (83.51/25.75/40.47; 32.38, 25.96) release 83.43 (81.05/57.06/94.43; 84.82, 77.21)
-- vmm growth, same range again: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 31.16 (226.85/23.92/42.33; 35.03, 31.25) map 3.38 (24.44/2.48/4.63; 4.03, 3.24) set_access 57.61 (117.83/48.63/86.11; 61.04, 58.22) unmap 29.07 (79.92/26.45/40.30; 31.66, 28.09) release 88.02 (86.84/60.97/103.32; 86.59, 91.00)
-- vmm growth, new range, memory recycled: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 30.93 (379.67/21.37/43.29; 36.39, 26.17) map 3.55 (11.66/2.05/5.18; 3.82, 2.99) set_access 55.54 (112.15/42.54/81.87; 61.22, 46.72) unmap 27.30 (78.00/25.54/38.00; 27.89, 26.56) release 76.34 (81.23/55.08/86.66; 76.15, 78.04)
-- vmm reserve / free of 16 MiB ranges among live ranges, us median per window of calls (live: reserve free): 0: 0.76 0.78 32: 1.70 2.23 96: 2.88 2.20 160: 3.15 2.31 224: 4.07 2.07 288: 9.22 1.95 352: 5.70 2.11 416: 5.83 2.13 480: 6.64 2.27 544: 7.33 2.36 608: 8.04 2.24 672: 9.15 2.44 736: 9.99 2.50 800: 16.26 2.28 864: 10.03 2.47 928: 10.67 2.32 992: 12.27 4.07
-- vmm factors over isolation at the granularity (busy, after_step): reserve 1.115 3.596 create 1.517 3.186 map 1.879 5.074 set_access 1.650 2.418 unmap 2.149 2.414 release 1.621 2.368 free_va 1.072 3.210
return {
  name = "h100-measured",
  gpus_per_server = 1, -- cudaGetDeviceCount
  servers = 1, -- one machine
  hbm_bytes = 85017493504, -- cudaMemGetInfo total
  hbm_bw = 3.271e+12, -- best read stream (kernels and launch shapes above)
  d2d_bw = 2.956e+12, -- cudaMemcpyAsync D2D 256 MiB, read+write
  flops = 7.875e+14, -- cuBLAS bf16 GEMM
  sms = 132, -- device property
  kernel_launch = 3.691e-06, -- empty kernels back to back
  pcie_bw = 5.504e+10, -- min(H2D, D2H) at 256 MiB, pinned
  pcie_lat = 1.189e-06, -- zero-copy dependent read round trip
  copy_overhead = 2.281e-06, -- fixed cost per cudaMemcpyAsync
  sm_copy_bw_per_sm = 3.992e+10, -- kv_transfer_launch on 1 SM
  sm_duplex_bw = 4.966e+10, -- kv_transfer_pair_launch both ways at once, 8 SMs, aggregate
  gpus_per_uplink = 0, -- not measured: own link assumed
  uplink_bw = 0, -- not measured (gpus_per_uplink = 0)
  host_bw = 9.418e+10, -- duplex DMA aggregate: lower bound of host DRAM bw for DMA
  nvlink_bw = 0, -- not measured (one GPU)
  nvlink_lat = 0, -- not measured (one GPU)
  nic_bw = 0, -- no inter-server tier
  nic_lat = 0, -- no inter-server tier
  vmm_reserve = 2.81e-06, -- cuMemAddressReserve, granularity range, cycles after a step, median
  vmm_create = 3.073e-05, -- cuMemCreate, cycles after a step, median
  vmm_map = 3.62e-06, -- cuMemMap, cycles after a step, median
  vmm_set_access = 5.3e-05, -- cuMemSetAccess, cycles after a step, median
  vmm_unmap = 3.721e-05, -- cuMemUnmap, cycles after a step, median
  vmm_release = 2.339e-05, -- cuMemRelease, cycles after a step, median
  vmm_granularity = 2097152, -- cuMemGetAllocationGranularity minimum
  vmm_reserve_per_mib = 7.731e-09, -- size slope: (largest - smallest handle median) / MiB, isolation
  vmm_create_per_mib = 1.018e-07, -- size slope, isolation
  vmm_map_per_mib = 2.09e-09, -- size slope, isolation
  vmm_set_access_per_mib = 7.921e-08, -- size slope, isolation
  vmm_unmap_per_mib = 3.095e-08, -- size slope, isolation
  vmm_release_per_mib = 5.509e-07, -- size slope, isolation
  table_write = 7.552e-06, -- 4 KiB H2D from pinned right after a step, events, median
  -- measured curves (every raw one in h100-measured.curves.csv)
  vmm_reserve_curve = { {2097152, 7.8149999893639688e-07}, {67108864, 3.362999997591487e-06}, {1073741824, 2.9440000020031221e-06}, {17179869184, 2.951500000847318e-06}, {274877906944, 2.8450000044699664e-06}, {1099511627776, 2.8135000000872878e-06} }, -- s per call by range bytes, isolation
  vmm_create_curve = { {2097152, 9.6459999987530409e-06}, {4194304, 1.0369499999995924e-05}, {8388608, 1.1561499999146463e-05}, {16777216, 1.2647500000184664e-05}, {67108864, 3.4585999998171246e-05}, {268435456, 2.1010000001098206e-05}, {1073741824, 0.00011365349999792329} }, -- s per call by handle bytes, isolation
  vmm_map_curve = { {2097152, 7.1350000041547901e-07}, {4194304, 8.5199999944052252e-07}, {8388608, 9.120000008522311e-07}, {16777216, 1.0579999987214705e-06}, {67108864, 1.2509999969267938e-06}, {268435456, 1.6245000011849697e-06}, {1073741824, 2.8489999976955005e-06} }, -- s per call by handle bytes, isolation
  vmm_set_access_curve = { {2097152, 2.1921999998397723e-05}, {4194304, 2.4140499998992482e-05}, {8388608, 2.5666500004462023e-05}, {16777216, 2.7715500003466786e-05}, {67108864, 4.6911000001870207e-05}, {268435456, 5.2592000002960049e-05}, {1073741824, 0.00010287450000134868} }, -- s per call by handle bytes, isolation
  vmm_unmap_curve = { {2097152, 1.5415000000018608e-05}, {4194304, 1.675200000050836e-05}, {8388608, 1.781750000162674e-05}, {16777216, 1.8544999999647871e-05}, {67108864, 2.773599999628118e-05}, {268435456, 3.021599999897262e-05}, {1073741824, 4.7049999999160264e-05} }, -- s per call by handle bytes, isolation
  vmm_release_curve = { {2097152, 9.8770000001024982e-06}, {4194304, 1.3606000003107965e-05}, {8388608, 1.8273500000276499e-05}, {16777216, 2.6104999999887468e-05}, {67108864, 4.5695000000733899e-05}, {268435456, 0.0001453924999950118}, {1073741824, 0.00057292450000190343} }, -- s per call by handle bytes, isolation
  vmm_free_va_curve = { {2097152, 8.0850000117038689e-07}, {67108864, 2.7229999979283548e-06}, {1073741824, 2.7189999975973933e-06}, {17179869184, 2.8564999965396964e-06}, {274877906944, 4.2800000024101337e-06}, {1099511627776, 3.9904999979967215e-06} }, -- s per call by range bytes, isolation
  vmm_reserve_live = { {16, 0.90211132296265828}, {128, 1.0486244397225049}, {1024, 0.70249520606407634}, {4096, 0.63531669980820438} }, -- idle call among x live handles / isolated
  vmm_create_live = { {16, 1.3029753268067965}, {128, 1.4862637362303455}, {1024, 1.1679452622066868}, {4096, 0.95049761572526981} }, -- idle call among x live handles / isolated
  vmm_map_live = { {16, 1.6678346156862063}, {128, 1.7974772207567549}, {1024, 1.3090399469217109}, {4096, 1.144358791596551} }, -- idle call among x live handles / isolated
  vmm_set_access_live = { {16, 1.2405574309601934}, {128, 1.4322598304508414}, {1024, 1.1708329532456128}, {4096, 1.0891113949515383} }, -- idle call among x live handles / isolated
  vmm_unmap_live = { {16, 1.2565358416195918}, {128, 1.5451183911077075}, {1024, 1.3015569250174226}, {4096, 1.1816736943891197} }, -- idle call among x live handles / isolated
  vmm_release_live = { {16, 1.3760757314964895}, {128, 1.6079781309520802}, {1024, 1.2731092438108285}, {4096, 1.1742431916394134} }, -- idle call among x live handles / isolated
  vmm_free_va_live = { {16, 0.87940630476564707}, {128, 1.055658622823435}, {1024, 0.74335188511931005}, {4096, 0.59369201779587455} }, -- idle call among x live handles / isolated
  vmm_create_grow = { {2097152, 1.3553499996987739e-05}, {67108864, 3.2036000000346121e-05} }, -- s per call growing the pool, by handle bytes
  vmm_map_grow = { {2097152, 1.6120000019270719e-06}, {67108864, 3.6745000002724737e-06} }, -- s per call growing the pool, by handle bytes
  vmm_set_access_grow = { {2097152, 3.0750499998788428e-05}, {67108864, 5.8294000002234725e-05} }, -- s per call growing the pool, by handle bytes
  vmm_reserve_live_va = { {32, 2.2442091272576632}, {96, 3.8133686240927736}, {160, 4.1634678990452789}, {224, 5.3871608219432341}, {288, 12.205823948718283}, {352, 7.5506287162860461}, {416, 7.7180675005723494}, {480, 8.7915287834819456}, {544, 9.700198535797611}, {608, 10.636664451883172}, {672, 12.114493705736415}, {736, 13.226340167185391}, {800, 21.517538040428942}, {864, 13.282594301094576}, {928, 14.117140964131252}, {992, 16.240238246719105} }, -- among x live ranges / none
  vmm_free_va_live_va = { {32, 2.8607188703143986}, {96, 2.8247753500338515}, {160, 2.9640564842800607}, {224, 2.6611039835648089}, {288, 2.5083440269330906}, {352, 2.7047496776414004}, {416, 2.7278562263931811}, {480, 2.9133504490217352}, {544, 3.0288831790988135}, {608, 2.8709884429768042}, {672, 3.1341463410740946}, {736, 3.214377406287976}, {800, 2.9242618725408831}, {864, 3.1771501888545517}, {928, 2.9826700861558604}, {992, 5.2201540411956167} }, -- among x live ranges / none
  vmm_reserve_busy = 1.063453321891991, -- busy / idle among the same live handles at the granularity
  vmm_create_busy = 1.0204722215874802, -- busy / idle among the same live handles at the granularity
  vmm_map_busy = 1.0456140347864051, -- busy / idle among the same live handles at the granularity
  vmm_set_access_busy = 1.1516816357027437, -- busy / idle among the same live handles at the granularity
  vmm_unmap_busy = 1.39083886135276, -- busy / idle among the same live handles at the granularity
  vmm_release_busy = 1.0084057424863113, -- busy / idle among the same live handles at the granularity
  vmm_free_va_busy = 1.0152314014168864, -- busy / idle among the same live handles at the granularity
  vmm_reserve_after_step = 3.4289200812959737, -- after_step / idle among the same live handles at the granularity
  vmm_create_after_step = 2.1433404250246393, -- after_step / idle among the same live handles at the granularity
  vmm_map_after_step = 2.8230019509841466, -- after_step / idle among the same live handles at the granularity
  vmm_set_access_after_step = 1.6879419071148909, -- after_step / idle among the same live handles at the granularity
  vmm_unmap_after_step = 1.562137879211418, -- after_step / idle among the same live handles at the granularity
  vmm_release_after_step = 1.4726419844974536, -- after_step / idle among the same live handles at the granularity
  vmm_free_va_after_step = 3.0404217981491524, -- after_step / idle among the same live handles at the granularity
  copy_h2d_curve = { {4096, 2.5901279877871274e-06}, {16384, 2.8580480720847845e-06}, {65536, 3.7689919117838145e-06}, {262144, 7.3034400120377541e-06}, {1048576, 2.2856000810861587e-05}, {4194304, 7.8785747289657589e-05}, {16777216, 0.00030787500739097595}, {67108864, 0.0012191280126571656}, {268435456, 0.0048772959709167483} }, -- s per cudaMemcpyAsync by bytes, back to back
  copy_d2h_curve = { {4096, 1.8459520069882274e-06}, {16384, 1.9134880276396872e-06}, {65536, 3.2343841157853605e-06}, {262144, 6.3989283517003064e-06}, {1048576, 2.0703656598925592e-05}, {4194304, 7.7473752200603489e-05}, {16777216, 0.00030531901121139528}, {67108864, 0.0012187720537185668}, {268435456, 0.004868616104125977} }, -- s per cudaMemcpyAsync by bytes, back to back
  sm_copy_h2d_curve = { {1, 35759505627.656204}, {2, 51004497712.005905}, {4, 28842690147.419846}, {8, 22860481062.257832}, {16, 31796229469.067142}, {32, 38837585915.709007}, {64, 44146850451.624947} }, -- B/s by SMs, 65536-byte pages
  sm_copy_d2h_curve = { {1, 44084673702.619698}, {2, 51125111583.556488}, {4, 52130353529.049004}, {8, 52529918674.153145}, {16, 52136832679.170486}, {32, 52240733096.491829}, {64, 52406525483.035812} }, -- B/s by SMs, 65536-byte pages
  sm_copy_page_h2d_curve = { {256, 1.3466575086567254}, {4096, 2.20829521386925}, {65536, 1} }, -- rate by page bytes over the 65536-byte page's, at 8 SMs
  sm_copy_page_d2h_curve = { {256, 0.98458618436217804}, {4096, 0.96808846604474608}, {65536, 1} }, -- rate by page bytes over the 65536-byte page's, at 8 SMs
  sm_copy_grid_h2d = {
    { 256, { {1, 4141123447.7962556}, {2, 8295893179.9118605}, {4, 16278444365.894234}, {8, 30785238473.994385}, {16, 50609394282.168411}, {32, 49921493328.17627}, {64, 49614423183.374466} } },
    { 4096, { {1, 29794170843.49514}, {2, 51102686444.829697}, {4, 50496062833.568207}, {8, 50482690916.532593}, {16, 50760062311.605225}, {32, 50900513148.220909}, {64, 50832655437.036896} } },
    { 65536, { {1, 35759505627.656204}, {2, 51004497712.005905}, {4, 28842690147.419846}, {8, 22860481062.257832}, {16, 31796229469.067142}, {32, 38837585915.709007}, {64, 44146850451.624947} } },
  }, -- B/s by SMs, one row per page bytes
  sm_copy_grid_d2h = {
    { 256, { {1, 7380673573.4932909}, {2, 14762853751.816202}, {4, 29559002095.006565}, {8, 51720232192.239967}, {16, 51266336762.106598}, {32, 51383151438.268509}, {64, 51781530711.781738} } },
    { 4096, { {1, 43085673292.728577}, {2, 49950028089.079376}, {4, 50684002564.614525}, {8, 50853608390.716179}, {16, 50923995685.577248}, {32, 50969789016.230202}, {64, 50919048738.683823} } },
    { 65536, { {1, 44084673702.619698}, {2, 51125111583.556488}, {4, 52130353529.049004}, {8, 52529918674.153145}, {16, 52136832679.170486}, {32, 52240733096.491829}, {64, 52406525483.035812} } },
  }, -- B/s by SMs, one row per page bytes
  sm_copy_threads_grid_h2d = {
    { 128, { {1, 4803338395.3016682}, {2, 9629858180.8267021}, {4, 19076984727.408081}, {8, 35987164763.586906}, {16, 51095214223.822556}, {32, 50545963197.769096}, {64, 50809257044.076294} } },
    { 256, { {1, 9566382961.4559097}, {2, 18972227023.898571}, {4, 36568239993.511452}, {8, 51107664499.948936}, {16, 50632608915.775108}, {32, 50715869345.145142}, {64, 50888158983.074883} } },
    { 512, { {1, 18676212975.970169}, {2, 36360913530.731354}, {4, 51009461276.916748}, {8, 49597996152.801491}, {16, 49518358467.495918}, {32, 49176972772.169121}, {64, 44334440986.031441} } },
    { 1024, { {1, 35486005352.201042}, {2, 50257667401.372795}, {4, 49675532000.885231}, {8, 49537073473.294197}, {16, 50919048738.683823}, {32, 50758835723.341377}, {64, 50815411944.390541} } },
  }, -- B/s by SMs, one row per threads per block, 64 KiB pages
  sm_copy_threads_grid_d2h = {
    { 128, { {1, 11772691515.457684}, {2, 23354885908.139515}, {4, 46395117103.799889}, {8, 50526478266.146164}, {16, 51665441155.752388}, {32, 51509358693.682663}, {64, 51882732151.749931} } },
    { 256, { {1, 22493424520.432396}, {2, 44764070659.513847}, {4, 51084012306.380684}, {8, 51542272121.365646}, {16, 51776415762.152397}, {32, 52135538651.641403}, {64, 52020439420.630402} } },
    { 512, { {1, 34353634642.997208}, {2, 49801757532.107246}, {4, 51341641090.508774}, {8, 52025602700.074203}, {16, 52406525483.035812}, {32, 52044966912.573601}, {64, 52469462567.195732} } },
    { 1024, { {1, 44084673702.619698}, {2, 50809257044.076294}, {4, 52148501141.191422}, {8, 52503619706.93959}, {16, 52351581085.888039}, {32, 52313707699.962479}, {64, 52365961538.136368} } },
  }, -- B/s by SMs, one row per threads per block, 64 KiB pages
  batch_h2d_curve = { {4096, 9.306250140070915e-07}, {16384, 9.587500244379044e-07}, {65536, 1.8352499464526772e-06}, {262144, 8.6003746837377551e-06}, {1048576, 1.9283249974250793e-05}, {4194304, 8.4307998418807988e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_d2h_curve = { {4096, 7.9187500523403293e-07}, {16384, 7.8125001164153224e-07}, {65536, 1.4356250176206232e-06}, {262144, 5.8559998869895938e-06}, {1048576, 1.9158249720931052e-05}, {4194304, 7.6222375035285951e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_call = 4.4219999999484116e-05, -- s of host time per batched call
  batch_call_curve = { {64, 4.4219999999484116e-05} }, -- s of host time per batched call by entries
  attn_block_table_curve = { {1, 1.1745693484966113}, {4, 1.0544720103196159}, {16, 1.045076659192266}, {64, 1.0477279379300071}, {256, 1.0365119410405157} }, -- time over contiguous by tokens per block
  attn_offset_table_curve = { {1, 1.2251867455145755}, {4, 1.0894408094885917}, {16, 1.0420257981539627}, {64, 1.0372064640431811}, {256, 1.032700645920017} }, -- time over contiguous by tokens per block
  source = "kvsim-calibrate on NVIDIA H100 80GB HBM3, driver API 13000, 2026-12-05 15:03 UTC",
}
