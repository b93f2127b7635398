-- Platform measured by kvsim-calibrate (kernels/calibrate.cu).
-- device: NVIDIA H100 80GB HBM3, 132 SMs, 85017493504 bytes (84465090560 free), 1 GPU(s), driver API 13000, 2026-12-05 14:46 UTC
-- pcie H2D 55.13 GB/s, D2H 55.18 GB/s at 256 MiB (pcie_bw = the lower)
-- copy fixed cost 2.40 us (median of time - bytes/bw, 4..64 KiB, both directions); 1-byte copies back to back 2.55 us each; 1-byte copy + sync round trip 6.76 us (median)
-- duplex (256 MiB each way at once): 84.95 GB/s aggregate (host_bw: a lower bound of host DRAM bandwidth for DMA)
-- device-to-device copy 256 MiB: 2953.0 GB/s counting read + write
-- HBM read stream, GB/s: unrolled x4, 1 GiB, 4 blocks/SM: 3097.0; weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM: 3267.3; weight read, 256 MiB once x 16 launches, 4 blocks/SM: 3006.1; weight read, 1 GiB once, 4 blocks/SM: 3081.9; weight read, 1 GiB once, 8 blocks/SM: 3089.2; weight read, 1 GiB once, 16 blocks/SM: 3091.2; weight read, 2 GiB once, 4 blocks/SM: 3094.8
-- HBM read stream: 3267.3 GB/s, the best (weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM) (hbm_bw)
-- bf16 matrix product 8192x8192x8192 (cuBLAS, random data): 761 TFLOP/s
-- kernel launch: 4.50 us each back to back; launch + sync round trip 9.90 us (median)
-- table write (4 KiB H2D from pinned memory between CUDA events on an idle stream, as the GPU backend does): median 4.80 us, p10 4.51, p90 4.99 (table_write); the same copies queued back to back 3.81 us; the former definition, 4 KiB H2D + kernel launch back to back, 6.96 us
-- table write right after a step (a read stream of a few ms on the same stream, then a host sync, then the event pair and the copy; 100 times): median 5.71 us, p10 5.34, p90 6.02
-- zero-copy dependent read of mapped host memory: 1.13 us each (pcie_lat = round trip)
-- host memcpy 256 MiB, one thread: 9.4 GB/s (one CPU core; not host_bw, which is the duplex DMA figure)
-- batch check: 768 entries (every size, both directions) equal their sources byte for byte
-- SM copy check: 559104 pages (every page size, both directions, 8 SMs) equal their sources byte for byte; threads per block: 1024, kv_transfer_launch's (the next table varies them)
-- SM copy with 1 SM, 64 KiB pages, mean of both directions: 40.09 GB/s (sm_copy_bw_per_sm)
-- SM copy both directions at once (kv_transfer_pair_launch, 8 SMs, 64 KiB pages, 64 MiB each way): 83.67 GB/s aggregate (sm_duplex_bw)
-- SM copy by threads check: 8192 pages (every block size, both directions, 8 SMs) equal their sources byte for byte
-- attention check: block-table and offset-table outputs equal the contiguous one at every block size (worst relative L2 0, tolerance 1e-05); contiguous vs float64 CPU reference on 4 requests 1.5e-07 (tolerance 1e-3)
-- vmm 2 MiB medians in isolation (us): reserve 0.74 create 14.24 map 1.06 set_access 28.14 unmap 19.04 release 14.35 addr_free 0.80
-- vmm 4 MiB medians in isolation (us): reserve 0.74 create 13.31 map 1.10 set_access 28.17 unmap 18.89 release 17.37 addr_free 0.80
-- vmm 8 MiB medians in isolation (us): reserve 0.76 create 13.42 map 1.07 set_access 28.26 unmap 19.01 release 21.21 addr_free 0.80
-- vmm 16 MiB medians in isolation (us): reserve 0.76 create 13.42 map 1.11 set_access 28.35 unmap 19.05 release 28.96 addr_free 0.80
-- vmm 64 MiB medians in isolation (us): reserve 3.60 create 37.52 map 1.08 set_access 46.47 unmap 27.21 release 51.14 addr_free 2.89
-- vmm 256 MiB medians in isolation (us): reserve 3.46 create 16.90 map 1.12 set_access 49.80 unmap 27.46 release 179.91 addr_free 2.92
-- vmm 1024 MiB medians in isolation (us): reserve 3.52 create 113.04 map 1.30 set_access 84.86 unmap 36.81 release 628.79 addr_free 3.39
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU idle, us median (p10/p90): reserve 0.69 (0.66/0.89) create 14.23 (13.66/15.28) map 1.15 (1.08/1.37) set_access 30.30 (29.59/32.31) unmap 21.35 (20.42/22.91) release 15.42 (14.89/16.46) addr_free 0.76 (0.73/0.89)
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU busy with a read stream, us median (p10/p90): reserve 0.72 (0.68/0.94) create 14.12 (13.77/14.80) map 1.17 (1.08/1.45) set_access 34.56 (29.98/39.03) unmap 30.98 (20.86/33.72) release 15.44 (14.91/16.12) addr_free 0.77 (0.73/0.94); 26 reads launched
-- vmm 2 MiB, 200 cycles among 128 live handles, each cycle right after a step, us median (p10/p90): reserve 1.18 (0.83/1.69) create 16.39 (11.64/91.23) map 1.53 (1.08/2.28) set_access 33.69 (26.35/40.16) unmap 23.79 (19.92/28.77) release 16.06 (11.87/19.26) addr_free 0.87 (0.55/1.10)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 16 live handles, GPU idle, us median (p10/p90): reserve 0.57 (0.49/0.74) create 10.40 (8.91/12.32) map 0.90 (0.75/1.11) set_access 23.55 (21.57/26.42) unmap 16.28 (15.12/18.16) release 11.71 (10.81/12.93) addr_free 0.56 (0.44/0.69)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 1024 live handles, GPU idle, us median (p10/p90): reserve 0.49 (0.41/0.64) create 9.20 (8.77/10.48) map 0.81 (0.70/1.04) set_access 23.83 (22.86/26.74) unmap 18.22 (17.08/20.59) release 11.73 (11.19/12.52) addr_free 0.46 (0.43/0.58)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 4096 live handles, GPU idle, us median (p10/p90): reserve 0.47 (0.42/0.67) create 9.04 (8.81/10.03) map 0.82 (0.72/1.05) set_access 23.64 (23.17/25.73) unmap 18.20 (17.07/20.04) release 11.63 (11.14/12.38) addr_free 0.47 (0.45/0.63)
-- vmm 64 MiB, 200 cycles among 32 live handles, GPU idle, us median (p10/p90): reserve 2.76 (2.54/3.10) create 14.18 (12.83/34.47) map 1.14 (0.96/1.39) set_access 28.61 (27.46/32.88) unmap 19.15 (18.38/20.89) release 57.83 (45.65/69.96) addr_free 2.94 (2.70/3.50)
-- vmm 64 MiB, 200 cycles among 32 live handles, each cycle right after a step, us median (p10/p90): reserve 3.62 (3.35/4.83) create 36.04 (33.00/38.61) map 1.53 (1.29/1.90) set_access 32.19 (30.55/36.05) unmap 21.93 (20.58/24.86) release 49.67 (46.21/58.03) addr_free 3.44 (3.08/4.17)
-- vmm growth, fresh range: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 15.19 (186.92/13.85/18.30; 15.16, 15.53) map 1.63 (4.06/1.31/3.03; 1.68, 1.57) set_access 33.86 (76.59/31.34/40.86; 33.43, 34.99) unmap 22.53 (88.07/21.34/25.01; 22.79, 22.13) release 16.01 (44.02/15.35/17.03; 16.21, 15.84)
-- vmm growth, same range again: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 15.38 (44.61/14.23/20.30; 15.43, 15.36) map 1.71 (4.75/1.39/2.28; 1.70, 1.68) set_access 33.86 (85.68/31.54/43.47; 33.94, 33.72) unmap 22.80 (82.27/21.67/26.02; 22.98, 22.40) release 15.79 (40.69/15.08/16.70; 15.69, 15.71)
-- vmm growth, new range, memory recycled: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 11.47 (77.88/10.18/15.95; 14.97, 10.87) map 1.37 (7.62/1.05/1.87; 1.62, 1.28) set_access 27.31 (99.41/24.93/35.15; 32.74, 26.35) unmap 22.33 (75.41/21.22/24.95; 22.38, 22.27) release 15.31 (35.33/14.67/16.11; 15.23, 15.53)
-- vmm growth, fresh range: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 15.94 (46.31/15.17/20.43; 16.15, 15.77) map 1.72 (5.57/1.39/2.32; 1.93, 1.68) set_access 34.70 (98.04/32.50/54.62; 35.01, 34.90) unmap 22.58 (77.68/21.10/29.86; 24.06, 21.34) release 55.19 (72.54/43.37/72.07; 62.29, 46.04)
-- vmm growth, same range again: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 11.45 (219.31/10.31/17.87; 14.70, 10.69) map 1.24 (12.63/0.93/2.06; 1.91, 1.15) set_access 27.02 (77.11/25.55/44.76; 32.38, 26.24) unmap 16.32 (49.66/15.24/23.75; 18.12, 15.34) release 27.59 (44.42/26.53/41.04; 28.00, 27.07)
-- vmm growth, new range, memory recycled: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 10.58 (140.44/9.69/13.68; 11.23, 10.53) map 1.00 (2.69/0.83/1.23; 1.16, 0.98) set_access 25.67 (46.59/24.54/43.26; 26.32, 25.81) unmap 16.14 (37.74/15.41/23.68; 16.89, 15.56) release 28.18 (36.55/27.54/41.25; 31.56, 28.00)
-- vmm reserve / free of 16 MiB ranges among live ranges, us median per window of calls (live: reserve free): 0: 0.37 0.36 32: 0.95 1.16 96: 1.57 1.12 160: 2.04 1.10 224: 2.58 1.14 288: 3.23 1.29 352: 3.48 1.15 416: 4.03 1.19 480: 4.47 1.26 544: 4.92 1.24 608: 5.40 1.26 672: 5.73 1.24 736: 6.40 1.30 800: 6.77 1.31 864: 7.11 1.31 928: 7.44 1.34 992: 8.07 1.84
-- vmm factors over isolation at the granularity (busy, after_step): reserve 1.865 3.065 create 0.991 1.151 map 1.101 1.445 set_access 1.228 1.197 unmap 1.627 1.250 release 1.076 1.119 free_va 2.044 2.313
return {
  name = "h100-measured",
  gpus_per_server = 1, -- cudaGetDeviceCount
  servers = 1, -- one machine
  hbm_bytes = 85017493504, -- cudaMemGetInfo total
  hbm_bw = 3.267e+12, -- best read stream (kernels and launch shapes above)
  d2d_bw = 2.953e+12, -- cudaMemcpyAsync D2D 256 MiB, read+write
  flops = 7.614e+14, -- cuBLAS bf16 GEMM
  sms = 132, -- device property
  kernel_launch = 4.498e-06, -- empty kernels back to back
  pcie_bw = 5.513e+10, -- min(H2D, D2H) at 256 MiB, pinned
  pcie_lat = 1.134e-06, -- zero-copy dependent read round trip
  copy_overhead = 2.397e-06, -- fixed cost per cudaMemcpyAsync
  sm_copy_bw_per_sm = 4.009e+10, -- kv_transfer_launch on 1 SM
  sm_duplex_bw = 8.367e+10, -- kv_transfer_pair_launch both ways at once, 8 SMs, aggregate
  gpus_per_uplink = 0, -- not measured: own link assumed
  uplink_bw = 0, -- not measured (gpus_per_uplink = 0)
  host_bw = 8.495e+10, -- duplex DMA aggregate: lower bound of host DRAM bw for DMA
  nvlink_bw = 0, -- not measured (one GPU)
  nvlink_lat = 0, -- not measured (one GPU)
  nic_bw = 0, -- no inter-server tier
  nic_lat = 0, -- no inter-server tier
  vmm_reserve = 1.18e-06, -- cuMemAddressReserve, granularity range, cycles after a step, median
  vmm_create = 1.639e-05, -- cuMemCreate, cycles after a step, median
  vmm_map = 1.529e-06, -- cuMemMap, cycles after a step, median
  vmm_set_access = 3.369e-05, -- cuMemSetAccess, cycles after a step, median
  vmm_unmap = 2.379e-05, -- cuMemUnmap, cycles after a step, median
  vmm_release = 1.606e-05, -- cuMemRelease, cycles after a step, median
  vmm_granularity = 2097152, -- cuMemGetAllocationGranularity minimum
  vmm_reserve_per_mib = 2.722e-09, -- size slope: (largest - smallest handle median) / MiB, isolation
  vmm_create_per_mib = 9.667e-08, -- size slope, isolation
  vmm_map_per_mib = 2.339e-10, -- size slope, isolation
  vmm_set_access_per_mib = 5.55e-08, -- size slope, isolation
  vmm_unmap_per_mib = 1.738e-08, -- size slope, isolation
  vmm_release_per_mib = 6.012e-07, -- size slope, isolation
  table_write = 5.712e-06, -- 4 KiB H2D from pinned right after a step, events, median
  -- measured curves (every raw one in h100-measured.curves.csv)
  vmm_reserve_curve = { {2097152, 3.850000211969018e-07}, {67108864, 2.9775000314202771e-06}, {1073741824, 2.7200000261018431e-06}, {17179869184, 1.5265000001818407e-06}, {274877906944, 1.4380000266100978e-06}, {1099511627776, 1.5170000438047282e-06} }, -- s per call by range bytes, isolation
  vmm_create_curve = { {2097152, 1.4241000002357396e-05}, {4194304, 1.3311999992993151e-05}, {8388608, 1.3418500003581357e-05}, {16777216, 1.3418999969871948e-05}, {67108864, 3.75220000137233e-05}, {268435456, 1.6897500017876155e-05}, {1073741824, 0.00011303950003593854} }, -- s per call by handle bytes, isolation
  vmm_map_curve = { {2097152, 1.0580000093796116e-06}, {4194304, 1.1040000345019507e-06}, {8388608, 1.0735000159911579e-06}, {16777216, 1.1055000186388497e-06}, {67108864, 1.0790000146698731e-06}, {268435456, 1.123999993524194e-06}, {1073741824, 1.2970000113909919e-06} }, -- s per call by handle bytes, isolation
  vmm_set_access_curve = { {2097152, 2.8139499988810712e-05}, {4194304, 2.8171500019880114e-05}, {8388608, 2.8262499995435064e-05}, {16777216, 2.8345000004037502e-05}, {67108864, 4.6472500002892048e-05}, {268435456, 4.9799999999322608e-05}, {1073741824, 8.4859499992262499e-05} }, -- s per call by handle bytes, isolation
  vmm_unmap_curve = { {2097152, 1.9040500006894945e-05}, {4194304, 1.8889999978455307e-05}, {8388608, 1.901150000094276e-05}, {16777216, 1.9051499975830666e-05}, {67108864, 2.7205500032323471e-05}, {268435456, 2.7456500021116881e-05}, {1073741824, 3.6807499981250658e-05} }, -- s per call by handle bytes, isolation
  vmm_release_curve = { {2097152, 1.4351499999065709e-05}, {4194304, 1.7367999987527583e-05}, {8388608, 2.1209500005170412e-05}, {16777216, 2.8958499996178944e-05}, {67108864, 5.1143999996838829e-05}, {268435456, 0.00017990700001746518}, {1073741824, 0.0006287920000147551} }, -- s per call by handle bytes, isolation
  vmm_free_va_curve = { {2097152, 3.7600000268867007e-07}, {67108864, 1.4429999737330945e-06}, {1073741824, 1.4235000378448603e-06}, {17179869184, 1.435000001492881e-06}, {274877906944, 2.3675000022649328e-06}, {1099511627776, 2.2815000022546883e-06} }, -- s per call by range bytes, isolation
  vmm_reserve_live = { {16, 1.4870129036030162}, {128, 1.8038959738915976}, {1024, 1.2623375311826737}, {4096, 1.2155843385020977} }, -- idle call among x live handles / isolated
  vmm_create_live = { {16, 0.7304262350535482}, {128, 0.9992978035594785}, {1024, 0.64637314569526072}, {4096, 0.63499754260284214} }, -- idle call among x live handles / isolated
  vmm_map_live = { {16, 0.85113423304608782}, {128, 1.0888468807550267}, {1024, 0.76370513352481362}, {4096, 0.77741019989057913} }, -- idle call among x live handles / isolated
  vmm_set_access_live = { {16, 0.83672417826009704}, {128, 1.0768315017943195}, {1024, 0.84687005837658225}, {4096, 0.84020682673754843} }, -- idle call among x live handles / isolated
  vmm_unmap_live = { {16, 0.85496704476633212}, {128, 1.1212153045029223}, {1024, 0.95698642330444816}, {4096, 0.95596229091692719} }, -- idle call among x live handles / isolated
  vmm_release_live = { {16, 0.8157335450016453}, {128, 1.0744521487018293}, {1024, 0.81719680705032516}, {4096, 0.81071664937817145} }, -- idle call among x live handles / isolated
  vmm_free_va_live = { {16, 1.4813829489700305}, {128, 2.0119681096328126}, {1024, 1.2180851417653691}, {4096, 1.247340378087346} }, -- idle call among x live handles / isolated
  vmm_create_grow = { {2097152, 1.5192499972727092e-05}, {67108864, 1.5941999976121224e-05} }, -- s per call growing the pool, by handle bytes
  vmm_map_grow = { {2097152, 1.6259999995327235e-06}, {67108864, 1.7234999631909886e-06} }, -- s per call growing the pool, by handle bytes
  vmm_set_access_grow = { {2097152, 3.3858500017913684e-05}, {67108864, 3.4698500002150467e-05} }, -- s per call growing the pool, by handle bytes
  vmm_reserve_live_va = { {32, 2.56796766948252}, {96, 4.224764543538158}, {160, 5.4952894171629181}, {224, 6.9353971855545185}, {288, 8.6864065579098266}, {352, 9.3580082738925601}, {416, 10.858681214297857}, {480, 12.025572270938232}, {544, 13.244953061718183}, {608, 14.535666377017693}, {672, 15.423957275169739}, {736, 17.218035292495735}, {800, 18.213997573558675}, {864, 19.138627559617884}, {928, 20.018842943390535}, {992, 21.734859032143998} }, -- among x live ranges / none
  vmm_free_va_live_va = { {32, 3.184065775328583}, {96, 3.0782965745907429}, {160, 3.0274724699838651}, {224, 3.1304942909845717}, {288, 3.5549450180493465}, {352, 3.16620866593499}, {416, 3.2623625060825581}, {480, 3.4505492729352252}, {544, 3.4065932272631021}, {608, 3.4739009856398537}, {672, 3.4093405289186194}, {736, 3.5590658534101989}, {800, 3.6030218210007066}, {864, 3.5920327705418678}, {928, 3.6689558895088918}, {992, 5.0563185517546811} }, -- among x live ranges / none
  vmm_reserve_busy = 1.0338372631411634, -- busy / idle among the same live handles at the granularity
  vmm_create_busy = 0.99216498891171878, -- busy / idle among the same live handles at the granularity
  vmm_map_busy = 1.0112847261414124, -- busy / idle among the same live handles at the granularity
  vmm_set_access_busy = 1.1406366013808484, -- busy / idle among the same live handles at the granularity
  vmm_unmap_busy = 1.4512026601372714, -- busy / idle among the same live handles at the granularity
  vmm_release_busy = 1.00119974081023, -- busy / idle among the same live handles at the granularity
  vmm_free_va_busy = 1.0158625070058667, -- busy / idle among the same live handles at the granularity
  vmm_reserve_after_step = 1.6990641420494554, -- after_step / idle among the same live handles at the granularity
  vmm_create_after_step = 1.1520272621531715, -- after_step / idle among the same live handles at the granularity
  vmm_map_after_step = 1.3272569347428431, -- after_step / idle among the same live handles at the granularity
  vmm_set_access_after_step = 1.1116941391817361, -- after_step / idle among the same live handles at the granularity
  vmm_unmap_after_step = 1.1145045311035813, -- after_step / idle among the same live handles at the granularity
  vmm_release_after_step = 1.0414072621979626, -- after_step / idle among the same live handles at the granularity
  vmm_free_va_after_step = 1.1493721037752671, -- after_step / idle among the same live handles at the granularity
  copy_h2d_curve = { {4096, 2.5348479393869638e-06}, {16384, 2.9040798544883728e-06}, {65536, 3.8498400244861845e-06}, {262144, 7.5653437525033956e-06}, {1048576, 2.2034093737602234e-05}, {4194304, 7.9155251383781437e-05}, {16777216, 0.00030704599618911746}, {67108864, 0.0012192339897155761}, {268435456, 0.004869256019592285} }, -- s per cudaMemcpyAsync by bytes, back to back
  copy_d2h_curve = { {4096, 2.4082399904727936e-06}, {16384, 2.3389279376715423e-06}, {65536, 3.2008800189942124e-06}, {262144, 6.3181282021105295e-06}, {1048576, 2.0504094660282134e-05}, {4194304, 7.7353246510028837e-05}, {16777216, 0.00030546700954437258}, {67108864, 0.001217628002166748}, {268435456, 0.0048643841743469243} }, -- s per cudaMemcpyAsync by bytes, back to back
  sm_copy_h2d_curve = { {1, 36011265006.618027}, {2, 50857311277.424469}, {4, 50615500853.105438}, {8, 50597181012.031067}, {16, 50933892463.593918}, {32, 50849910636.327316}, {64, 50785875600.288467} }, -- B/s by SMs, 65536-byte pages
  sm_copy_d2h_curve = { {1, 44165445870.301933}, {2, 51130094008.837845}, {4, 51948280144.175476}, {8, 52528605060.653725}, {16, 52525973129.812271}, {32, 52554933976.668381}, {64, 52527286611.676872} }, -- B/s by SMs, 65536-byte pages
  sm_copy_page_h2d_curve = { {256, 0.61404443217030324}, {4096, 0.99371854079014188}, {65536, 1} }, -- rate by page bytes over the 65536-byte page's, at 8 SMs
  sm_copy_page_d2h_curve = { {256, 0.98628915758228941}, {4096, 0.99643100309676913}, {65536, 1} }, -- rate by page bytes over the 65536-byte page's, at 8 SMs
  sm_copy_grid_h2d = {
    { 256, { {1, 4180725103.9326491}, {2, 8378653825.9547396}, {4, 16381825133.097776}, {8, 31068917283.950665}, {16, 50388081203.566971}, {32, 49528884190.233864}, {64, 49870445211.808952} } },
    { 4096, { {1, 30476100305.129803}, {2, 50990859815.957535}, {4, 50719552199.456741}, {8, 50279356883.370186}, {16, 50822797958.106194}, {32, 50865945783.76545}, {64, 50864709477.173805} } },
    { 65536, { {1, 36011265006.618027}, {2, 50857311277.424469}, {4, 50615500853.105438}, {8, 50597181012.031067}, {16, 50933892463.593918}, {32, 50849910636.327316}, {64, 50785875600.288467} } },
  }, -- B/s by SMs, one row per page bytes
  sm_copy_grid_d2h = {
    { 256, { {1, 7532657352.8872633}, {2, 14948159354.781998}, {4, 29791629163.872658}, {8, 51808393634.244949}, {16, 51176258924.829575}, {32, 51706204159.138474}, {64, 51618389867.492332} } },
    { 4096, { {1, 43267903584.492813}, {2, 51584112387.244743}, {4, 52145907161.595268}, {8, 52341130631.861214}, {16, 52164065606.296417}, {32, 52122577778.689339}, {64, 52392127622.31131} } },
    { 65536, { {1, 44165445870.301933}, {2, 51130094008.837845}, {4, 51948280144.175476}, {8, 52528605060.653725}, {16, 52525973129.812271}, {32, 52554933976.668381}, {64, 52527286611.676872} } },
  }, -- B/s by SMs, one row per page bytes
  sm_copy_threads_grid_h2d = {
    { 128, { {1, 4842378968.1388206}, {2, 9701446568.1142769}, {4, 19232163074.17934}, {8, 36813452492.74485}, {16, 51006979373.708359}, {32, 50688903943.759308}, {64, 50377187165.768387} } },
    { 256, { {1, 9646557662.092205}, {2, 19181326583.358654}, {4, 36850324594.555534}, {8, 50789568629.331299}, {16, 50619164592.757973}, {32, 50851141630.247536}, {64, 50627718416.989693} } },
    { 512, { {1, 18819171313.921322}, {2, 35983459012.079437}, {4, 50859774041.584045}, {8, 50581319387.819252}, {16, 50701156973.687088}, {32, 50545963197.769096}, {64, 50547179519.345352} } },
    { 1024, { {1, 35735741071.304977}, {2, 50747780797.09153}, {4, 50589860425.292038}, {8, 50613057137.809311}, {16, 50784647764.195396}, {32, 50648507285.604347}, {64, 50752694519.899658} } },
  }, -- B/s by SMs, one row per threads per block, 64 KiB pages
  sm_copy_threads_grid_d2h = {
    { 128, { {1, 12021989541.974695}, {2, 23501451142.038784}, {4, 46399220211.262314}, {8, 51638726233.760399}, {16, 51887868129.805313}, {32, 52112218543.20459}, {64, 52405218033.58812} } },
    { 256, { {1, 22920946543.409901}, {2, 44811897352.472923}, {4, 51612038924.741493}, {8, 51717680642.704147}, {16, 51881450706.794342}, {32, 52265468813.38501}, {64, 52465526099.055893} } },
    { 512, { {1, 34785562141.176315}, {2, 49358688017.232712}, {4, 51671809991.399689}, {8, 51965010815.896614}, {16, 52399979133.209793}, {32, 52424865920.222191}, {64, 52506244500.816811} } },
    { 1024, { {1, 44040235968.793892}, {2, 51566350672.218613}, {4, 52326763812.362411}, {8, 52355500473.455956}, {16, 52537816444.483681}, {32, 52515452942.326653}, {64, 52545716589.999916} } },
  }, -- B/s by SMs, one row per threads per block, 64 KiB pages
  batch_h2d_curve = { {4096, 1.0621249675750733e-06}, {16384, 1.1073750210925937e-06}, {65536, 1.5605000080540777e-06}, {262144, 5.145625211298466e-06}, {1048576, 1.9339624792337417e-05}, {4194304, 7.673150300979615e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_d2h_curve = { {4096, 9.6450001001358034e-07}, {16384, 1.0202500270679592e-06}, {65536, 1.4654999831691385e-06}, {262144, 5.0258748233318331e-06}, {1048576, 1.927250064909458e-05}, {4194304, 7.623174786567688e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_call = 6.2759499996900558e-05, -- s of host time per batched call
  batch_call_curve = { {64, 6.2759499996900558e-05} }, -- s of host time per batched call by entries
  attn_block_table_curve = { {1, 1.1763673751782462}, {4, 1.0580285720553519}, {16, 1.0453263988692736}, {64, 1.0450045381762105}, {256, 1.0373077148486631} }, -- time over contiguous by tokens per block
  attn_offset_table_curve = { {1, 1.2302998615022656}, {4, 1.092005811219696}, {16, 1.0411365824597913}, {64, 1.03472431731972}, {256, 1.0327394196167206} }, -- time over contiguous by tokens per block
  source = "kvsim-calibrate on NVIDIA H100 80GB HBM3, driver API 13000, 2026-12-05 14:46 UTC",
}
