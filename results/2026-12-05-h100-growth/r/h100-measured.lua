-- Platform measured by kvsim-calibrate (kernels/calibrate.cu).
-- device: NVIDIA H100 80GB HBM3, 132 SMs, 85017493504 bytes (84465090560 free), 1 GPU(s), driver API 13000, 2026-12-05 14:39 UTC
-- pcie H2D 55.29 GB/s, D2H 55.19 GB/s at 256 MiB (pcie_bw = the lower)
-- copy fixed cost 2.26 us (median of time - bytes/bw, 4..64 KiB, both directions); 1-byte copies back to back 2.18 us each; 1-byte copy + sync round trip 5.66 us (median)
-- duplex (256 MiB each way at once): 97.52 GB/s aggregate (host_bw: a lower bound of host DRAM bandwidth for DMA)
-- device-to-device copy 256 MiB: 2955.3 GB/s counting read + write
-- HBM read stream, GB/s: unrolled x4, 1 GiB, 4 blocks/SM: 3099.4; weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM: 3270.7; weight read, 256 MiB once x 16 launches, 4 blocks/SM: 3006.7; weight read, 1 GiB once, 4 blocks/SM: 3084.9; weight read, 1 GiB once, 8 blocks/SM: 3092.3; weight read, 1 GiB once, 16 blocks/SM: 3094.7; weight read, 2 GiB once, 4 blocks/SM: 3098.0
-- HBM read stream: 3270.7 GB/s, the best (weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM) (hbm_bw)
-- bf16 matrix product 8192x8192x8192 (cuBLAS, random data): 760 TFLOP/s
-- kernel launch: 4.05 us each back to back; launch + sync round trip 9.65 us (median)
-- table write (4 KiB H2D from pinned memory between CUDA events on an idle stream, as the GPU backend does): median 4.80 us, p10 4.48, p90 5.06 (table_write); the same copies queued back to back 3.86 us; the former definition, 4 KiB H2D + kernel launch back to back, 6.73 us
-- table write right after a step (a read stream of a few ms on the same stream, then a host sync, then the event pair and the copy; 100 times): median 6.26 us, p10 5.76, p90 8.29
-- zero-copy dependent read of mapped host memory: 1.16 us each (pcie_lat = round trip)
-- host memcpy 256 MiB, one thread: 12.3 GB/s (one CPU core; not host_bw, which is the duplex DMA figure)
-- batch check: 768 entries (every size, both directions) equal their sources byte for byte
-- SM copy check: 559104 pages (every page size, both directions, 8 SMs) equal their sources byte for byte; threads per block: 1024, kv_transfer_launch's (the next table varies them)
-- SM copy with 1 SM, 64 KiB pages, mean of both directions: 40.35 GB/s (sm_copy_bw_per_sm)
-- SM copy both directions at once (kv_transfer_pair_launch, 8 SMs, 64 KiB pages, 64 MiB each way): 83.45 GB/s aggregate (sm_duplex_bw)
-- SM copy by threads check: 8192 pages (every block size, both directions, 8 SMs) equal their sources byte for byte
-- attention check: block-table and offset-table outputs equal the contiguous one at every block size (worst relative L2 0, tolerance 1e-05); contiguous vs float64 CPU reference on 4 requests 1.5e-07 (tolerance 1e-3)
-- vmm 2 MiB medians in isolation (us): reserve 0.75 create 14.05 map 1.09 set_access 28.32 unmap 19.31 release 14.25 addr_free 0.80
-- vmm 4 MiB medians in isolation (us): reserve 0.75 create 13.18 map 1.12 set_access 28.34 unmap 19.33 release 17.20 addr_free 0.81
-- vmm 8 MiB medians in isolation (us): reserve 0.73 create 12.68 map 1.06 set_access 27.57 unmap 18.81 release 20.26 addr_free 0.77
-- vmm 16 MiB medians in isolation (us): reserve 0.77 create 13.20 map 1.13 set_access 28.66 unmap 19.40 release 28.24 addr_free 0.80
-- vmm 64 MiB medians in isolation (us): reserve 3.58 create 35.46 map 1.13 set_access 46.45 unmap 27.60 release 49.86 addr_free 2.93
-- vmm 256 MiB medians in isolation (us): reserve 3.57 create 18.77 map 1.23 set_access 50.07 unmap 27.98 release 161.19 addr_free 3.14
-- vmm 1024 MiB medians in isolation (us): reserve 4.11 create 111.27 map 1.58 set_access 85.68 unmap 38.78 release 610.62 addr_free 4.27
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU idle, us median (p10/p90): reserve 0.71 (0.61/0.89) create 13.17 (12.66/14.31) map 1.23 (1.08/1.53) set_access 30.08 (28.96/32.04) unmap 22.75 (21.62/24.48) release 15.65 (14.95/17.23) addr_free 0.79 (0.70/0.98)
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU busy with a read stream, us median (p10/p90): reserve 0.72 (0.66/0.97) create 13.72 (13.11/14.58) map 1.26 (1.14/1.50) set_access 34.66 (30.17/40.50) unmap 31.83 (22.82/34.34) release 15.69 (14.89/16.81) addr_free 0.83 (0.76/0.97); 26 reads launched
-- vmm 2 MiB, 200 cycles among 128 live handles, each cycle right after a step, us median (p10/p90): reserve 1.40 (1.13/1.77) create 17.65 (16.44/56.04) map 1.78 (1.53/2.30) set_access 35.53 (33.43/42.63) unmap 25.49 (23.76/28.79) release 17.30 (16.35/20.56) addr_free 1.02 (0.92/1.26)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 16 live handles, GPU idle, us median (p10/p90): reserve 0.81 (0.69/1.00) create 14.41 (14.09/15.07) map 1.29 (1.15/1.49) set_access 28.83 (28.03/30.42) unmap 19.70 (19.09/21.12) release 14.64 (14.31/15.04) addr_free 0.79 (0.73/0.90)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 1024 live handles, GPU idle, us median (p10/p90): reserve 0.72 (0.63/0.92) create 14.16 (13.80/14.71) map 1.18 (1.08/1.41) set_access 29.94 (29.31/31.54) unmap 22.51 (21.33/24.32) release 15.31 (14.73/16.13) addr_free 0.79 (0.74/0.91)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 4096 live handles, GPU idle, us median (p10/p90): reserve 0.73 (0.63/0.95) create 14.69 (14.28/15.27) map 1.35 (1.18/1.60) set_access 31.27 (30.57/33.02) unmap 23.70 (22.42/25.60) release 16.30 (15.68/17.60) addr_free 0.87 (0.79/1.10)
-- vmm 64 MiB, 200 cycles among 32 live handles, GPU idle, us median (p10/p90): reserve 3.16 (2.89/3.69) create 15.66 (14.08/38.23) map 1.32 (1.13/1.71) set_access 31.09 (29.57/35.68) unmap 20.74 (19.58/24.29) release 68.82 (48.49/74.44) addr_free 3.36 (3.04/3.94)
-- vmm 64 MiB, 200 cycles among 32 live handles, each cycle right after a step, us median (p10/p90): reserve 5.20 (4.13/10.18) create 43.33 (39.04/57.61) map 2.24 (1.75/3.68) set_access 39.68 (35.50/59.64) unmap 27.32 (24.25/38.13) release 53.88 (50.82/61.95) addr_free 5.06 (3.81/9.52)
-- vmm growth, fresh range: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 17.76 (209.52/16.52/23.72; 17.60, 18.84) map 2.04 (3.71/1.71/3.32; 1.95, 2.21) set_access 38.12 (77.95/36.04/47.83; 37.62, 40.05) unmap 23.90 (91.63/22.89/26.83; 24.19, 23.54) release 16.77 (45.27/16.19/17.48; 16.99, 16.65)
-- vmm growth, same range again: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 17.71 (68.17/16.41/24.21; 17.98, 17.83) map 2.02 (8.89/1.68/2.83; 2.07, 2.03) set_access 37.71 (115.25/35.53/48.58; 38.56, 37.85) unmap 23.15 (89.31/21.98/26.06; 24.03, 22.56) release 16.25 (43.48/15.64/17.29; 16.85, 16.08)
-- vmm growth, new range, memory recycled: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 17.67 (70.43/16.32/21.99; 17.51, 18.11) map 1.99 (6.37/1.69/2.51; 1.96, 2.07) set_access 37.64 (96.48/35.48/45.55; 37.08, 38.01) unmap 23.14 (87.76/22.06/25.75; 23.66, 22.91) release 16.10 (57.95/15.55/16.88; 16.20, 16.02)
-- vmm growth, fresh range: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 19.20 (48.29/17.92/24.36; 19.76, 19.35) map 1.98 (5.88/1.65/2.66; 2.33, 1.95) set_access 39.25 (105.41/37.56/59.51; 40.01, 39.22) unmap 23.82 (74.18/22.20/33.55; 25.84, 22.63) release 69.91 (74.14/48.91/73.08; 61.31, 69.91)
-- vmm growth, same range again: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 18.63 (274.05/17.26/31.94; 18.54, 18.23) map 2.00 (15.48/1.53/2.35; 2.13, 1.92) set_access 38.73 (75.75/36.52/62.04; 38.81, 39.58) unmap 24.41 (71.53/22.79/33.76; 26.04, 23.12) release 71.90 (72.41/49.98/76.85; 68.17, 70.95)
-- vmm growth, new range, memory recycled: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 17.15 (271.49/15.89/18.73; 16.65, 17.55) map 1.86 (4.99/1.51/2.44; 1.93, 1.79) set_access 36.29 (69.90/34.27/57.95; 36.59, 37.13) unmap 22.64 (67.26/21.65/30.61; 22.92, 22.16) release 69.74 (72.67/48.70/73.11; 60.31, 71.63)
-- vmm reserve / free of 16 MiB ranges among live ranges, us median per window of calls (live: reserve free): 0: 0.70 0.73 32: 3.00 2.12 96: 2.56 2.03 160: 3.14 2.01 224: 3.77 2.03 288: 3.99 2.05 352: 4.97 1.90 416: 5.65 2.04 480: 6.22 2.17 544: 6.86 2.28 608: 7.59 2.27 672: 7.80 2.24 736: 8.78 2.36 800: 8.91 2.37 864: 9.96 2.25 928: 10.45 2.30 992: 11.04 3.39
-- vmm factors over isolation at the granularity (busy, after_step): reserve 1.001 1.952 create 0.977 1.257 map 1.151 1.627 set_access 1.224 1.255 unmap 1.648 1.320 release 1.101 1.214 free_va 1.126 1.374
return {
  name = "h100-measured",
  gpus_per_server = 1, -- cudaGetDeviceCount
  servers = 1, -- one machine
  hbm_bytes = 85017493504, -- cudaMemGetInfo total
  hbm_bw = 3.271e+12, -- best read stream (kernels and launch shapes above)
  d2d_bw = 2.955e+12, -- cudaMemcpyAsync D2D 256 MiB, read+write
  flops = 7.596e+14, -- cuBLAS bf16 GEMM
  sms = 132, -- device property
  kernel_launch = 4.051e-06, -- empty kernels back to back
  pcie_bw = 5.519e+10, -- min(H2D, D2H) at 256 MiB, pinned
  pcie_lat = 1.161e-06, -- zero-copy dependent read round trip
  copy_overhead = 2.258e-06, -- fixed cost per cudaMemcpyAsync
  sm_copy_bw_per_sm = 4.035e+10, -- kv_transfer_launch on 1 SM
  sm_duplex_bw = 8.345e+10, -- kv_transfer_pair_launch both ways at once, 8 SMs, aggregate
  gpus_per_uplink = 0, -- not measured: own link assumed
  uplink_bw = 0, -- not measured (gpus_per_uplink = 0)
  host_bw = 9.752e+10, -- duplex DMA aggregate: lower bound of host DRAM bw for DMA
  nvlink_bw = 0, -- not measured (one GPU)
  nvlink_lat = 0, -- not measured (one GPU)
  nic_bw = 0, -- no inter-server tier
  nic_lat = 0, -- no inter-server tier
  vmm_reserve = 1.396e-06, -- cuMemAddressReserve, granularity range, cycles after a step, median
  vmm_create = 1.765e-05, -- cuMemCreate, cycles after a step, median
  vmm_map = 1.778e-06, -- cuMemMap, cycles after a step, median
  vmm_set_access = 3.553e-05, -- cuMemSetAccess, cycles after a step, median
  vmm_unmap = 2.549e-05, -- cuMemUnmap, cycles after a step, median
  vmm_release = 1.73e-05, -- cuMemRelease, cycles after a step, median
  vmm_granularity = 2097152, -- cuMemGetAllocationGranularity minimum
  vmm_reserve_per_mib = 3.29e-09, -- size slope: (largest - smallest handle median) / MiB, isolation
  vmm_create_per_mib = 9.513e-08, -- size slope, isolation
  vmm_map_per_mib = 4.736e-10, -- size slope, isolation
  vmm_set_access_per_mib = 5.613e-08, -- size slope, isolation
  vmm_unmap_per_mib = 1.904e-08, -- size slope, isolation
  vmm_release_per_mib = 5.835e-07, -- size slope, isolation
  table_write = 6.256e-06, -- 4 KiB H2D from pinned right after a step, events, median
  -- measured curves (every raw one in h100-measured.curves.csv)
  vmm_reserve_curve = { {2097152, 7.1499999876323272e-07}, {67108864, 3.1090000049971422e-06}, {1073741824, 2.4980000077334807e-06}, {17179869184, 2.622000003782432e-06}, {274877906944, 2.621000000146978e-06}, {1099511627776, 2.5394999951799946e-06} }, -- s per call by range bytes, isolation
  vmm_create_curve = { {2097152, 1.4045000000351138e-05}, {4194304, 1.3175000006526716e-05}, {8388608, 1.2684499999693344e-05}, {16777216, 1.3202499999920292e-05}, {67108864, 3.5458999995796603e-05}, {268435456, 1.8765499994799484e-05}, {1073741824, 0.00011126550000284396} }, -- s per call by handle bytes, isolation
  vmm_map_curve = { {2097152, 1.0924999997996565e-06}, {4194304, 1.124999997159648e-06}, {8388608, 1.0560000021087035e-06}, {16777216, 1.1284999956728825e-06}, {67108864, 1.1300000011260636e-06}, {268435456, 1.2275000074168929e-06}, {1073741824, 1.5765000043188593e-06} }, -- s per call by handle bytes, isolation
  vmm_set_access_curve = { {2097152, 2.8315000001555291e-05}, {4194304, 2.8337500005193306e-05}, {8388608, 2.756949999849212e-05}, {16777216, 2.8664500007380411e-05}, {67108864, 4.6450500001071759e-05}, {268435456, 5.0073499998859461e-05}, {1073741824, 8.5677499995995277e-05} }, -- s per call by handle bytes, isolation
  vmm_unmap_curve = { {2097152, 1.931399999932637e-05}, {4194304, 1.9334500002798904e-05}, {8388608, 1.8807499998274579e-05}, {16777216, 1.939650000082338e-05}, {67108864, 2.7601500008245239e-05}, {268435456, 2.79759999983753e-05}, {1073741824, 3.8775499994869733e-05} }, -- s per call by handle bytes, isolation
  vmm_release_curve = { {2097152, 1.4254500001698034e-05}, {4194304, 1.7197499992960275e-05}, {8388608, 2.0261500004892241e-05}, {16777216, 2.8239499997084749e-05}, {67108864, 4.9855999996850642e-05}, {268435456, 0.00016119099999656328}, {1073741824, 0.00061062099999986685} }, -- s per call by handle bytes, isolation
  vmm_free_va_curve = { {2097152, 7.4049999199132799e-07}, {67108864, 3.6405000045647284e-06}, {1073741824, 2.2879999974634302e-06}, {17179869184, 2.5559999983215675e-06}, {274877906944, 3.8904999968281118e-06}, {1099511627776, 3.5664999913365136e-06} }, -- s per call by range bytes, isolation
  vmm_reserve_live = { {16, 1.1300699360881217}, {128, 0.99090908765676555}, {1024, 1.0006993032427858}, {4096, 1.0167832182008971} }, -- idle call among x live handles / isolated
  vmm_create_live = { {16, 1.0262014953376679}, {128, 0.93755784940976716}, {1024, 1.0085439655190451}, {4096, 1.045745816879855} }, -- idle call among x live handles / isolated
  vmm_map_live = { {16, 1.1835240247929399}, {128, 1.1212814697101388}, {1024, 1.0828375305954498}, {4096, 1.2352402713431656} }, -- idle call among x live handles / isolated
  vmm_set_access_live = { {16, 1.0180293128818394}, {128, 1.062511036201089}, {1024, 1.0574960270780225}, {4096, 1.1045029136333739} }, -- idle call among x live handles / isolated
  vmm_unmap_live = { {16, 1.0198560630395692}, {128, 1.1778243761960678}, {1024, 1.1656829244061295}, {4096, 1.227348037565321} }, -- idle call among x live handles / isolated
  vmm_release_live = { {16, 1.0268687076056044}, {128, 1.0977235257534006}, {1024, 1.0743624816870438}, {4096, 1.1434634673175126} }, -- idle call among x live handles / isolated
  vmm_free_va_live = { {16, 1.0654963044148962}, {128, 1.0654963044148962}, {1024, 1.0722484947120794}, {4096, 1.1715057506128923} }, -- idle call among x live handles / isolated
  vmm_create_grow = { {2097152, 1.7755000008889965e-05}, {67108864, 1.920349999551263e-05} }, -- s per call growing the pool, by handle bytes
  vmm_map_grow = { {2097152, 2.041999998425581e-06}, {67108864, 1.9830000042020401e-06} }, -- s per call growing the pool, by handle bytes
  vmm_set_access_grow = { {2097152, 3.8116500000739961e-05}, {67108864, 3.9251499998727013e-05} }, -- s per call growing the pool, by handle bytes
  vmm_reserve_live_va = { {32, 4.2777777547228144}, {96, 3.652421644520389}, {160, 4.4772079703015812}, {224, 5.3739316162538451}, {288, 5.6773504290590031}, {352, 7.0776353162087746}, {416, 8.0413105294730638}, {480, 8.8646723486535617}, {544, 9.7720797536242667}, {608, 10.813390283097331}, {672, 11.11467234612314}, {736, 12.504273474254472}, {800, 12.686609661233366}, {864, 14.186609666294212}, {928, 14.879629617352393}, {992, 15.721509941368382} }, -- among x live ranges / none
  vmm_free_va_live_va = { {32, 2.9172413536260415}, {96, 2.8006896282714857}, {160, 2.7717241138013073}, {224, 2.8062068700563376}, {288, 2.8241379107574014}, {352, 2.6158620480801233}, {416, 2.8144827327336155}, {480, 2.9924137753947972}, {544, 3.1413792741840325}, {608, 3.1372413477456882}, {672, 3.0882758391558633}, {736, 3.2510344522078181}, {800, 3.2731034193472257}, {864, 3.1082758332755098}, {928, 3.1717241138013077}, {992, 4.6710344365268748} }, -- among x live ranges / none
  vmm_reserve_busy = 1.0098800341100629, -- busy / idle among the same live handles at the granularity
  vmm_create_busy = 1.0421476311542828, -- busy / idle among the same live handles at the granularity
  vmm_map_busy = 1.0265306041717592, -- busy / idle among the same live handles at the granularity
  vmm_set_access_busy = 1.1522020940665829, -- busy / idle among the same live handles at the granularity
  vmm_unmap_busy = 1.3991691759677738, -- busy / idle among the same live handles at the granularity
  vmm_release_busy = 1.0027160887162911, -- busy / idle among the same live handles at the granularity
  vmm_free_va_busy = 1.057034220395352, -- busy / idle among the same live handles at the granularity
  vmm_reserve_after_step = 1.9696542088851239, -- after_step / idle among the same live handles at the granularity
  vmm_create_after_step = 1.3402187127811895, -- after_step / idle among the same live handles at the granularity
  vmm_map_after_step = 1.4514285574745893, -- after_step / idle among the same live handles at the granularity
  vmm_set_access_after_step = 1.1809041052336005, -- after_step / idle among the same live handles at the granularity
  vmm_unmap_after_step = 1.1206672965720081, -- after_step / idle among the same live handles at the granularity
  vmm_release_after_step = 1.1054801088586799, -- after_step / idle among the same live handles at the granularity
  vmm_free_va_after_step = 1.2896070949952134, -- after_step / idle among the same live handles at the granularity
  copy_h2d_curve = { {4096, 2.5702880229800939e-06}, {16384, 2.8919361066073181e-06}, {65536, 3.9201118052005769e-06}, {262144, 7.431359961628914e-06}, {1048576, 2.1870562806725502e-05}, {4194304, 7.8749500215053556e-05}, {16777216, 0.00030621251463890076}, {67108864, 0.0012158859968185425}, {268435456, 0.0048549280166625981} }, -- s per cudaMemcpyAsync by bytes, back to back
  copy_d2h_curve = { {4096, 2.0744961220771074e-06}, {16384, 2.1238401532173158e-06}, {65536, 3.2075201161205767e-06}, {262144, 6.3054081983864309e-06}, {1048576, 2.0684124901890755e-05}, {4194304, 7.7470749616622927e-05}, {16777216, 0.00030510649085044864}, {67108864, 0.0012175899744033814}, {268435456, 0.0048638639450073245} }, -- s per cudaMemcpyAsync by bytes, back to back
  sm_copy_h2d_curve = { {1, 36528113537.478447}, {2, 50982182852.788399}, {4, 50677879454.541588}, {8, 50605727407.506172}, {16, 50805561151.400764}, {32, 50798180146.478882}, {64, 51030564897.052048} }, -- B/s by SMs, 65536-byte pages
  sm_copy_d2h_curve = { {1, 44176609256.137253}, {2, 51302703603.156265}, {4, 52346352903.557175}, {8, 52313707699.962479}, {16, 52304574727.054741}, {32, 52564154597.667976}, {64, 52401291198.947784} }, -- B/s by SMs, 65536-byte pages
  sm_copy_page_h2d_curve = { {256, 0.61629640906860761}, {4096, 1.0014499292770123}, {65536, 1} }, -- rate by page bytes over the 65536-byte page's, at 8 SMs
  sm_copy_page_d2h_curve = { {256, 0.99333450257309686}, {4096, 1.0006490571329287}, {65536, 1} }, -- rate by page bytes over the 65536-byte page's, at 8 SMs
  sm_copy_grid_h2d = {
    { 256, { {1, 4185740021.8054953}, {2, 8379223510.3588324}, {4, 16442190469.169003}, {8, 31188128079.550873}, {16, 50577656580.182152}, {32, 49781662220.522476}, {64, 50145908475.787132} } },
    { 4096, { {1, 30346008316.155247}, {2, 51038013592.668655}, {4, 50465683997.326431}, {8, 50679102133.258812}, {16, 50713420497.422348}, {32, 50731820052.864189}, {64, 50890629336.320145} } },
    { 65536, { {1, 36528113537.478447}, {2, 50982182852.788399}, {4, 50677879454.541588}, {8, 50605727407.506172}, {16, 50805561151.400764}, {32, 50798180146.478882}, {64, 51030564897.052048} } },
  }, -- B/s by SMs, one row per page bytes
  sm_copy_grid_d2h = {
    { 256, { {1, 7530115024.1224794}, {2, 14946135324.444715}, {4, 29768792436.664406}, {8, 51965010815.896614}, {16, 51057895134.023193}, {32, 51352956293.226814}, {64, 51490386212.348038} } },
    { 4096, { {1, 43425591226.518845}, {2, 51711305245.196945}, {4, 52034638501.005936}, {8, 52347662285.095093}, {16, 52449781244.593208}, {32, 52312404877.632629}, {64, 52554933976.668381} } },
    { 65536, { {1, 44176609256.137253}, {2, 51302703603.156265}, {4, 52346352903.557175}, {8, 52313707699.962479}, {16, 52304574727.054741}, {32, 52564154597.667976}, {64, 52401291198.947784} } },
  }, -- B/s by SMs, one row per page bytes
  sm_copy_threads_grid_h2d = {
    { 128, { {1, 4871738763.9176397}, {2, 9690911179.8662872}, {4, 19231457447.772793}, {8, 37221824998.318054}, {16, 50952452376.836571}, {32, 50815411944.390541}, {64, 50747780797.09153} } },
    { 256, { {1, 9728178368.1880531}, {2, 19326630324.610241}, {4, 36846441365.968086}, {8, 50997058795.352524}, {16, 50631383925.62587}, {32, 50583755494.064995}, {64, 50729365093.157669} } },
    { 512, { {1, 19170631109.055649}, {2, 35996429029.980209}, {4, 50830190708.833771}, {8, 50630163548.285912}, {16, 50746550227.80394}, {32, 50844978072.062675}, {64, 50756378148.375435} } },
    { 1024, { {1, 36353979585.54277}, {2, 51050436005.066322}, {4, 50713420497.422348}, {8, 50925230269.111931}, {16, 50881986448.58004}, {32, 50979703603.309677}, {64, 50742868025.654922} } },
  }, -- B/s by SMs, one row per threads per block, 64 KiB pages
  sm_copy_threads_grid_d2h = {
    { 128, { {1, 12019027564.862444}, {2, 23519374059.196217}, {4, 46416680869.508057}, {8, 51722783993.555298}, {16, 51952139374.539558}, {32, 52114809172.143478}, {64, 52460275134.462326} } },
    { 256, { {1, 22891923979.90992}, {2, 45071934831.662338}, {4, 51576498725.618507}, {8, 51898143137.046135}, {16, 51955999178.349602}, {32, 52304574727.054741}, {64, 52468151975.565376} } },
    { 512, { {1, 34967103988.201309}, {2, 48696235154.118423}, {4, 51718958761.746506}, {8, 52178343211.764473}, {16, 52318929363.009384}, {32, 52500990279.208115}, {64, 52533869713.688469} } },
    { 1024, { {1, 44158936211.672989}, {2, 51491653121.509613}, {4, 52232924385.36071}, {8, 52500990279.208115}, {16, 52549665101.111748}, {32, 52531237255.265907}, {64, 52367267029.485207} } },
  }, -- B/s by SMs, one row per threads per block, 64 KiB pages
  batch_h2d_curve = { {4096, 9.6849998226389297e-07}, {16384, 9.9724996834993361e-07}, {65536, 1.498374971561134e-06}, {262144, 5.0570000894367698e-06}, {1048576, 1.9342375919222832e-05}, {4194304, 7.6426625251770026e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_d2h_curve = { {4096, 9.0024998644366859e-07}, {16384, 9.6787500660866501e-07}, {65536, 1.4523749705404044e-06}, {262144, 5.0196251831948758e-06}, {1048576, 1.9320249557495116e-05}, {4194304, 7.6356627047061924e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_call = 5.8158999998170202e-05, -- s of host time per batched call
  batch_call_curve = { {64, 5.8158999998170202e-05} }, -- s of host time per batched call by entries
  attn_block_table_curve = { {1, 1.177035719338595}, {4, 1.0566872542461616}, {16, 1.0433325645010563}, {64, 1.0449866440602285}, {256, 1.0369465984241808} }, -- time over contiguous by tokens per block
  attn_offset_table_curve = { {1, 1.2292620337107392}, {4, 1.0927748495864649}, {16, 1.0424187250661452}, {64, 1.0379717931755181}, {256, 1.0332824482836027} }, -- time over contiguous by tokens per block
  source = "kvsim-calibrate on NVIDIA H100 80GB HBM3, driver API 13000, 2026-12-05 14:39 UTC",
}
