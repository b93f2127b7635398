-- Platform measured by kvsim-calibrate (kernels/calibrate.cu).
-- device: NVIDIA H100 80GB HBM3, 132 SMs, 85017493504 bytes (84465090560 free), 1 GPU(s), driver API 13000, 2026-12-05 14:38 UTC
-- pcie H2D 55.13 GB/s, D2H 55.17 GB/s at 256 MiB (pcie_bw = the lower)
-- copy fixed cost 2.32 us (median of time - bytes/bw, 4..64 KiB, both directions); 1-byte copies back to back 2.41 us each; 1-byte copy + sync round trip 6.66 us (median)
-- duplex (256 MiB each way at once): 97.62 GB/s aggregate (host_bw: a lower bound of host DRAM bandwidth for DMA)
-- device-to-device copy 256 MiB: 2955.6 GB/s counting read + write
-- HBM read stream, GB/s: unrolled x4, 1 GiB, 4 blocks/SM: 3087.8; weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM: 3267.7; weight read, 256 MiB once x 16 launches, 4 blocks/SM: 3012.9; weight read, 1 GiB once, 4 blocks/SM: 3084.6; weight read, 1 GiB once, 8 blocks/SM: 3090.7; weight read, 1 GiB once, 16 blocks/SM: 3091.4; weight read, 2 GiB once, 4 blocks/SM: 3095.8
-- HBM read stream: 3267.7 GB/s, the best (weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM) (hbm_bw)
-- bf16 matrix product 8192x8192x8192 (cuBLAS, random data): 764 TFLOP/s
-- kernel launch: 3.26 us each back to back; launch + sync round trip 8.54 us (median)
-- table write (4 KiB H2D from pinned memory between CUDA events on an idle stream, as the GPU backend does): median 4.03 us, p10 3.84, p90 4.19 (table_write); the same copies queued back to back 3.68 us; the former definition, 4 KiB H2D + kernel launch back to back, 7.47 us
-- table write right after a step (a read stream of a few ms on the same stream, then a host sync, then the event pair and the copy; 100 times): median 4.98 us, p10 4.64, p90 5.73
-- zero-copy dependent read of mapped host memory: 1.15 us each (pcie_lat = round trip)
-- host memcpy 256 MiB, one thread: 12.7 GB/s (one CPU core; not host_bw, which is the duplex DMA figure)
-- batch check: 768 entries (every size, both directions) equal their sources byte for byte
-- SM copy check: 559104 pages (every page size, both directions, 8 SMs) equal their sources byte for byte; threads per block: 1024, kv_transfer_launch's (the next table varies them)
-- SM copy with 1 SM, 64 KiB pages, mean of both directions: 40.19 GB/s (sm_copy_bw_per_sm)
-- SM copy both directions at once (kv_transfer_pair_launch, 8 SMs, 64 KiB pages, 64 MiB each way): 83.61 GB/s aggregate (sm_duplex_bw)
-- SM copy by threads check: 8192 pages (every block size, both directions, 8 SMs) equal their sources byte for byte
-- attention check: block-table and offset-table outputs equal the contiguous one at every block size (worst relative L2 0, tolerance 1e-05); contiguous vs float64 CPU reference on 4 requests 1.5e-07 (tolerance 1e-3)
-- vmm 2 MiB medians in isolation (us): reserve 0.80 create 14.79 map 1.12 set_access 30.11 unmap 20.20 release 14.88 addr_free 0.80
-- vmm 4 MiB medians in isolation (us): reserve 0.79 create 13.85 map 1.16 set_access 30.08 unmap 20.03 release 17.36 addr_free 0.78
-- vmm 8 MiB medians in isolation (us): reserve 0.77 create 13.91 map 1.11 set_access 29.86 unmap 19.93 release 20.96 addr_free 0.81
-- vmm 16 MiB medians in isolation (us): reserve 0.79 create 14.25 map 1.18 set_access 30.62 unmap 20.15 release 27.35 addr_free 0.83
-- vmm 64 MiB medians in isolation (us): reserve 3.17 create 12.75 map 0.95 set_access 43.79 unmap 26.24 release 59.80 addr_free 2.60
-- vmm 256 MiB medians in isolation (us): reserve 3.09 create 16.04 map 0.97 set_access 45.95 unmap 26.30 release 135.07 addr_free 2.77
-- vmm 1024 MiB medians in isolation (us): reserve 3.06 create 96.72 map 1.08 set_access 74.48 unmap 34.21 release 498.62 addr_free 2.89
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU idle, us median (p10/p90): reserve 0.46 (0.41/0.64) create 9.29 (8.86/10.00) map 0.79 (0.69/1.01) set_access 22.97 (22.33/26.03) unmap 16.94 (15.98/19.42) release 10.77 (10.32/12.29) addr_free 0.46 (0.42/0.64)
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU busy with a read stream, us median (p10/p90): reserve 0.56 (0.44/0.86) create 11.15 (9.19/13.66) map 0.98 (0.73/1.32) set_access 29.41 (24.42/35.37) unmap 28.32 (19.55/32.65) release 12.97 (10.77/15.14) addr_free 0.61 (0.44/0.83); 22 reads launched
-- vmm 2 MiB, 200 cycles among 128 live handles, each cycle right after a step, us median (p10/p90): reserve 1.05 (0.76/1.76) create 12.95 (10.79/228.82) map 1.32 (0.98/2.24) set_access 28.04 (25.09/37.46) unmap 21.26 (18.98/27.72) release 12.83 (11.47/18.49) addr_free 0.70 (0.53/1.14)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 16 live handles, GPU idle, us median (p10/p90): reserve 0.67 (0.52/0.84) create 12.41 (8.95/14.10) map 1.08 (0.87/1.38) set_access 26.18 (21.79/28.42) unmap 18.06 (15.32/19.74) release 13.09 (10.59/14.27) addr_free 0.69 (0.52/0.84)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 1024 live handles, GPU idle, us median (p10/p90): reserve 0.48 (0.40/0.70) create 8.95 (8.64/12.75) map 0.81 (0.70/1.12) set_access 23.29 (22.71/28.41) unmap 18.05 (16.98/21.13) release 11.54 (10.86/14.61) addr_free 0.46 (0.43/0.73)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 4096 live handles, GPU idle, us median (p10/p90): reserve 0.45 (0.40/0.66) create 8.69 (8.47/9.68) map 0.80 (0.69/1.02) set_access 23.00 (22.48/24.08) unmap 17.48 (16.54/19.59) release 11.26 (10.73/12.07) addr_free 0.46 (0.44/0.62)
-- vmm 64 MiB, 200 cycles among 32 live handles, GPU idle, us median (p10/p90): reserve 1.91 (1.80/2.19) create 9.90 (9.00/22.00) map 0.79 (0.68/0.97) set_access 21.79 (21.18/24.72) unmap 14.88 (14.51/15.64) release 26.75 (25.94/39.67) addr_free 1.99 (1.83/2.43)
-- vmm 64 MiB, 200 cycles among 32 live handles, each cycle right after a step, us median (p10/p90): reserve 2.88 (2.39/3.63) create 24.01 (22.61/41.79) map 1.19 (0.95/1.48) set_access 26.20 (24.01/29.66) unmap 18.08 (16.37/19.93) release 28.26 (26.73/44.57) addr_free 2.66 (2.06/3.23)
-- vmm growth, fresh range: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 10.87 (160.91/9.70/13.44; 10.93, 11.55) map 1.22 (2.96/1.01/2.55; 1.22, 1.25) set_access 25.52 (64.08/23.97/29.96; 25.36, 27.56) unmap 17.54 (73.26/16.51/18.96; 17.86, 17.06) release 10.53 (37.44/10.09/11.19; 10.72, 10.39)
-- vmm growth, same range again: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 15.13 (37.12/9.74/38.69; 10.37, 33.16) map 1.63 (3.98/1.06/4.43; 1.13, 3.72) set_access 32.12 (71.81/24.03/64.19; 24.62, 56.99) unmap 23.16 (85.28/21.32/25.74; 23.74, 23.23) release 16.26 (41.53/15.07/17.40; 16.92, 16.41)
-- vmm growth, new range, memory recycled: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 32.41 (162.59/17.01/42.73; 33.84, 30.92) map 3.79 (8.95/1.92/4.96; 4.13, 3.54) set_access 57.46 (116.81/36.54/66.60; 59.72, 55.96) unmap 23.67 (92.65/22.01/26.51; 24.10, 22.57) release 17.03 (43.99/14.94/18.18; 17.35, 15.56)
-- vmm growth, fresh range: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 16.76 (61.25/15.06/33.27; 26.31, 18.14) map 1.79 (7.79/1.41/4.03; 3.27, 2.07) set_access 38.19 (116.53/32.52/57.80; 48.63, 43.75) unmap 23.59 (90.67/21.85/33.85; 24.48, 23.51) release 67.93 (75.59/47.58/77.50; 59.52, 72.27)
-- vmm growth, same range again: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 17.97 (294.22/16.17/25.62; 20.27, 18.27) map 1.86 (13.51/1.66/3.02; 2.48, 1.82) set_access 37.86 (76.69/36.00/61.64; 40.03, 38.59) unmap 25.50 (78.30/23.45/33.22; 28.57, 24.96) release 70.55 (78.54/50.99/77.93; 74.22, 66.35)
-- vmm growth, new range, memory recycled: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 17.49 (293.15/16.45/31.32; 17.42, 19.65) map 2.09 (7.61/1.59/3.75; 2.34, 2.22) set_access 36.74 (85.21/34.84/63.28; 36.49, 39.64) unmap 23.81 (70.62/22.18/33.60; 24.70, 23.27) release 66.61 (70.32/48.69/75.77; 66.61, 66.72)
-- vmm reserve / free of 16 MiB ranges among live ranges, us median per window of calls (live: reserve free): 0: 0.59 0.61 32: 1.36 2.31 96: 2.32 1.77 160: 2.97 1.65 224: 3.52 1.89 288: 4.37 1.90 352: 4.85 1.86 416: 5.52 1.83 480: 5.98 1.89 544: 6.72 2.34 608: 7.08 1.92 672: 6.75 2.19 736: 8.17 2.34 800: 7.78 2.25 864: 8.48 2.39 928: 8.92 2.38 992: 10.66 3.78
-- vmm factors over isolation at the granularity (busy, after_step): reserve 0.916 1.731 create 0.754 0.875 map 0.878 1.185 set_access 0.977 0.931 unmap 1.402 1.052 release 0.872 0.862 free_va 0.962 1.101
return {
  name = "h100-measured",
  gpus_per_server = 1, -- cudaGetDeviceCount
  servers = 1, -- one machine
  hbm_bytes = 85017493504, -- cudaMemGetInfo total
  hbm_bw = 3.268e+12, -- best read stream (kernels and launch shapes above)
  d2d_bw = 2.956e+12, -- cudaMemcpyAsync D2D 256 MiB, read+write
  flops = 7.643e+14, -- cuBLAS bf16 GEMM
  sms = 132, -- device property
  kernel_launch = 3.258e-06, -- empty kernels back to back
  pcie_bw = 5.513e+10, -- min(H2D, D2H) at 256 MiB, pinned
  pcie_lat = 1.151e-06, -- zero-copy dependent read round trip
  copy_overhead = 2.315e-06, -- fixed cost per cudaMemcpyAsync
  sm_copy_bw_per_sm = 4.019e+10, -- kv_transfer_launch on 1 SM
  sm_duplex_bw = 8.361e+10, -- kv_transfer_pair_launch both ways at once, 8 SMs, aggregate
  gpus_per_uplink = 0, -- not measured: own link assumed
  uplink_bw = 0, -- not measured (gpus_per_uplink = 0)
  host_bw = 9.762e+10, -- duplex DMA aggregate: lower bound of host DRAM bw for DMA
  nvlink_bw = 0, -- not measured (one GPU)
  nvlink_lat = 0, -- not measured (one GPU)
  nic_bw = 0, -- no inter-server tier
  nic_lat = 0, -- no inter-server tier
  vmm_reserve = 1.053e-06, -- cuMemAddressReserve, granularity range, cycles after a step, median
  vmm_create = 1.295e-05, -- cuMemCreate, cycles after a step, median
  vmm_map = 1.325e-06, -- cuMemMap, cycles after a step, median
  vmm_set_access = 2.804e-05, -- cuMemSetAccess, cycles after a step, median
  vmm_unmap = 2.126e-05, -- cuMemUnmap, cycles after a step, median
  vmm_release = 1.283e-05, -- cuMemRelease, cycles after a step, median
  vmm_granularity = 2097152, -- cuMemGetAllocationGranularity minimum
  vmm_reserve_per_mib = 2.208e-09, -- size slope: (largest - smallest handle median) / MiB, isolation
  vmm_create_per_mib = 8.016e-08, -- size slope, isolation
  vmm_map_per_mib = 0, -- size slope, isolation
  vmm_set_access_per_mib = 4.342e-08, -- size slope, isolation
  vmm_unmap_per_mib = 1.371e-08, -- size slope, isolation
  vmm_release_per_mib = 4.733e-07, -- size slope, isolation
  table_write = 4.976e-06, -- 4 KiB H2D from pinned right after a step, events, median
  -- measured curves (every raw one in h100-measured.curves.csv)
  vmm_reserve_curve = { {2097152, 6.0800000056815406e-07}, {67108864, 2.719000001150107e-06}, {1073741824, 2.3074999973005106e-06}, {17179869184, 2.3264999988725776e-06}, {274877906944, 2.2939999979598724e-06}, {1099511627776, 2.2390000005145794e-06} }, -- s per call by range bytes, isolation
  vmm_create_curve = { {2097152, 1.4793500000109816e-05}, {4194304, 1.3845499999831645e-05}, {8388608, 1.3913999996617576e-05}, {16777216, 1.4247500001118851e-05}, {67108864, 1.2752000003501962e-05}, {268435456, 1.60364999999274e-05}, {1073741824, 9.671549999978879e-05} }, -- s per call by handle bytes, isolation
  vmm_map_curve = { {2097152, 1.1180000036858928e-06}, {4194304, 1.1600000036082747e-06}, {8388608, 1.1089999993885158e-06}, {16777216, 1.1794999998926414e-06}, {67108864, 9.5399999722189932e-07}, {268435456, 9.6599999821478377e-07}, {1073741824, 1.0769999967408239e-06} }, -- s per call by handle bytes, isolation
  vmm_set_access_curve = { {2097152, 3.0108499998959815e-05}, {4194304, 3.0083999998709032e-05}, {8388608, 2.9855000001077769e-05}, {16777216, 3.0622499998855801e-05}, {67108864, 4.3791999999598374e-05}, {268435456, 4.5953999997294659e-05}, {1073741824, 7.4483499997057834e-05} }, -- s per call by handle bytes, isolation
  vmm_unmap_curve = { {2097152, 2.020450000017604e-05}, {4194304, 2.0028499999824589e-05}, {8388608, 1.9926000000225486e-05}, {16777216, 2.0152500002978968e-05}, {67108864, 2.6237000000151056e-05}, {268435456, 2.6297000005115478e-05}, {1073741824, 3.4213999999366251e-05} }, -- s per call by handle bytes, isolation
  vmm_release_curve = { {2097152, 1.4881000002020528e-05}, {4194304, 1.7361499999424268e-05}, {8388608, 2.0962000000679382e-05}, {16777216, 2.7353999996648781e-05}, {67108864, 5.9803999999274993e-05}, {268435456, 0.00013506750000047418}, {1073741824, 0.00049862299999858806} }, -- s per call by handle bytes, isolation
  vmm_free_va_curve = { {2097152, 6.3850000131537854e-07}, {67108864, 2.2309999998526564e-06}, {1073741824, 2.1824999976161052e-06}, {17179869184, 2.2235000010084605e-06}, {274877906944, 3.601500001337854e-06}, {1099511627776, 3.2095000008780517e-06} }, -- s per call by range bytes, isolation
  vmm_reserve_live = { {16, 1.1093750001826024}, {128, 0.75986841893828716}, {1024, 0.78536183915479163}, {4096, 0.74342104917174268} }, -- idle call among x live handles / isolated
  vmm_create_live = { {16, 0.83908473317536936}, {128, 0.62784330939160782}, {1024, 0.60492784002519373}, {4096, 0.58708216452411455} }, -- idle call among x live handles / isolated
  vmm_map_live = { {16, 0.96735241402206507}, {128, 0.70438282364629656}, {1024, 0.7213774582701129}, {4096, 0.71243291373126216} }, -- idle call among x live handles / isolated
  vmm_set_access_live = { {16, 0.86962153545146248}, {128, 0.76300712426346029}, {1024, 0.77363535222629398}, {4096, 0.76402012714289846} }, -- idle call among x live handles / isolated
  vmm_unmap_live = { {16, 0.89398401330751853}, {128, 0.83860031199836749}, {1024, 0.89339008616293292}, {4096, 0.86517854925684501} }, -- idle call among x live handles / isolated
  vmm_release_live = { {16, 0.87998118393451108}, {128, 0.72347288472481042}, {1024, 0.77531751868786658}, {4096, 0.75663597859680554} }, -- idle call among x live handles / isolated
  vmm_free_va_live = { {16, 1.0759592773436528}, {128, 0.71887235388001658}, {1024, 0.71417384136311635}, {4096, 0.72043853028313942} }, -- idle call among x live handles / isolated
  vmm_create_grow = { {2097152, 1.0865499998402584e-05}, {67108864, 1.6757499999187075e-05} }, -- s per call growing the pool, by handle bytes
  vmm_map_grow = { {2097152, 1.2184999995668022e-06}, {67108864, 1.7889999988085492e-06} }, -- s per call growing the pool, by handle bytes
  vmm_set_access_grow = { {2097152, 2.552250000320555e-05}, {67108864, 3.818649999942636e-05} }, -- s per call growing the pool, by handle bytes
  vmm_reserve_live_va = { {32, 2.3056731560937727}, {96, 3.9305673041781226}, {160, 5.0338695927502357}, {224, 5.9551227706541203}, {288, 7.3945808536083781}, {352, 8.2116849998123467}, {416, 9.3505503673903032}, {480, 10.126164256759605}, {544, 11.38272648591783}, {608, 11.984758653781789}, {672, 11.431837406836928}, {736, 13.830651964051423}, {800, 13.171041474072585}, {864, 14.367485163765421}, {928, 15.104149001617667}, {992, 18.054191331554318} }, -- among x live ranges / none
  vmm_free_va_live_va = { {32, 3.7605863389421366}, {96, 2.8876221574420948}, {160, 2.6897394185764165}, {224, 3.0822475728210112}, {288, 3.0920195548536533}, {352, 3.0342019631520523}, {416, 2.9837133709938342}, {480, 3.0830618964599781}, {544, 3.8102606016752087}, {608, 3.1262215122195269}, {672, 3.5643322647129287}, {736, 3.8029316137041822}, {800, 3.6579804726306953}, {864, 3.8957654864106241}, {928, 3.8713355168635717}, {992, 6.1563518166734932} }, -- among x live ranges / none
  vmm_reserve_busy = 1.2056277076417157, -- busy / idle among the same live handles at the granularity
  vmm_create_busy = 1.2001507326754957, -- busy / idle among the same live handles at the granularity
  vmm_map_busy = 1.2469841318077257, -- busy / idle among the same live handles at the granularity
  vmm_set_access_busy = 1.2800461411723987, -- busy / idle among the same live handles at the granularity
  vmm_unmap_busy = 1.6713193847348073, -- busy / idle among the same live handles at the granularity
  vmm_release_busy = 1.2047185585515061, -- busy / idle among the same live handles at the granularity
  vmm_free_va_busy = 1.3387799581807671, -- busy / idle among the same live handles at the granularity
  vmm_reserve_after_step = 2.278138532441186, -- after_step / idle among the same live handles at the granularity
  vmm_create_after_step = 1.3938953495927693, -- after_step / idle among the same live handles at the granularity
  vmm_map_after_step = 1.6825396831125563, -- after_step / idle among the same live handles at the granularity
  vmm_set_access_after_step = 1.2207591521417953, -- after_step / idle among the same live handles at the granularity
  vmm_unmap_after_step = 1.2545814026206237, -- after_step / idle among the same live handles at the granularity
  vmm_release_after_step = 1.1917146572940436, -- after_step / idle among the same live handles at the granularity
  vmm_free_va_after_step = 1.5315904127629452, -- after_step / idle among the same live handles at the granularity
  copy_h2d_curve = { {4096, 2.6027520652860404e-06}, {16384, 2.9052800964564086e-06}, {65536, 4.1590398177504536e-06}, {262144, 7.7198883518576617e-06}, {1048576, 2.2272875532507896e-05}, {4194304, 7.9240627586841579e-05}, {16777216, 0.00030735900998115538}, {67108864, 0.0012193759679794312}, {268435456, 0.0048695521354675296} }, -- s per cudaMemcpyAsync by bytes, back to back
  copy_d2h_curve = { {4096, 2.1759679075330494e-06}, {16384, 2.2192639298737052e-06}, {65536, 3.1999840866774323e-06}, {262144, 6.316736340522766e-06}, {1048576, 2.0498499274253846e-05}, {4194304, 7.7334247529506686e-05}, {16777216, 0.00030508750677108766}, {67108864, 0.0012183719873428344}, {268435456, 0.0048659839630126956} }, -- s per cudaMemcpyAsync by bytes, back to back
  sm_copy_h2d_curve = { {1, 36308660689.930527}, {2, 51029320575.411003}, {4, 50550837913.88694}, {8, 50784647764.195396}, {16, 50742868025.654922}, {32, 50688903943.759308}, {64, 50790796703.38533} }, -- B/s by SMs, 65536-byte pages
  sm_copy_d2h_curve = { {1, 44072628552.325943}, {2, 51253804401.127716}, {4, 52100566310.510696}, {8, 52390816015.417488}, {16, 52557563903.851624}, {32, 52570742035.343941}, {64, 52533869713.688469} }, -- B/s by SMs, 65536-byte pages
  sm_copy_page_h2d_curve = { {256, 0.61507638903531292}, {4096, 0.99681362560379594}, {65536, 1} }, -- rate by page bytes over the 65536-byte page's, at 8 SMs
  sm_copy_page_d2h_curve = { {256, 0.98788250993724813}, {4096, 0.99785620518321927}, {65536, 1} }, -- rate by page bytes over the 65536-byte page's, at 8 SMs
  sm_copy_grid_h2d = {
    { 256, { {1, 4182834450.1031303}, {2, 8375809556.337698}, {4, 16447476622.385775}, {8, 31236437765.231583}, {16, 50654623299.573051}, {32, 49551117923.42395}, {64, 49996470043.884644} } },
    { 4096, { {1, 30250149244.899467}, {2, 50942552995.49041}, {4, 50365090205.482071}, {8, 50622828862.839325}, {16, 50566680423.701294}, {32, 50646060382.246391}, {64, 50890629336.320145} } },
    { 65536, { {1, 36308660689.930527}, {2, 51029320575.411003}, {4, 50550837913.88694}, {8, 50784647764.195396}, {16, 50742868025.654922}, {32, 50688903943.759308}, {64, 50790796703.38533} } },
  }, -- B/s by SMs, one row per page bytes
  sm_copy_grid_d2h = {
    { 256, { {1, 7541379105.4377985}, {2, 14954128275.359779}, {4, 29781476233.502449}, {8, 51755970822.971207}, {16, 51102686444.829697}, {32, 51576498725.618507}, {64, 51532142248.067764} } },
    { 4096, { {1, 43380676422.765091}, {2, 51612038924.741493}, {4, 52052719522.162743}, {8, 52278500855.596725}, {16, 52466836559.505386}, {32, 52396053083.624733}, {64, 52541763768.338356} } },
    { 65536, { {1, 44072628552.325943}, {2, 51253804401.127716}, {4, 52100566310.510696}, {8, 52390816015.417488}, {16, 52557563903.851624}, {32, 52570742035.343941}, {64, 52533869713.688469} } },
  }, -- B/s by SMs, one row per page bytes
  sm_copy_threads_grid_h2d = {
    { 128, { {1, 4890210431.356225}, {2, 9741418542.756897}, {4, 19332688672.953312}, {8, 37162460163.734795}, {16, 50932652851.922272}, {32, 50679102133.258812}, {64, 50777268254.117088} } },
    { 256, { {1, 9721639257.2883205}, {2, 19260069547.051571}, {4, 36819917423.263023}, {8, 51034288973.067268}, {16, 50674207210.8797}, {32, 50730594829.120651}, {64, 50787108077.565208} } },
    { 512, { {1, 19142108187.801117}, {2, 36544662646.308464}, {4, 51075303613.995331}, {8, 50707285710.363419}, {16, 50687676228.15876}, {32, 50894337616.520378}, {64, 50820334185.708412} } },
    { 1024, { {1, 36593125069.475395}, {2, 50933892463.593918}, {4, 50608170415.043846}, {8, 50447476946.797104}, {16, 50397770754.206749}, {32, 50513090237.707382}, {64, 50681552230.480217} } },
  }, -- B/s by SMs, one row per threads per block, 64 KiB pages
  sm_copy_threads_grid_d2h = {
    { 128, { {1, 12013175665.085737}, {2, 23479874683.121223}, {4, 46575433586.860687}, {8, 51557476761.704063}, {16, 51893005124.803352}, {32, 52363345880.071884}, {64, 52369883079.313286} } },
    { 256, { {1, 22892672433.800625}, {2, 44918435743.676613}, {4, 51300197757.636871}, {8, 51871187087.009171}, {16, 52206921882.720406}, {32, 52166661392.822823}, {64, 52187432151.123764} } },
    { 512, { {1, 34854938459.547928}, {2, 48691711546.567383}, {4, 51895574003.750267}, {8, 52186135610.666092}, {16, 52231625583.534981}, {32, 52346352903.557175}, {64, 52522028178.129875} } },
    { 1024, { {1, 44052263417.243942}, {2, 51236274049.178818}, {4, 52203019867.408493}, {8, 52342434885.411667}, {16, 52424865920.222191}, {32, 52548345594.737457}, {64, 52288926312.716133} } },
  }, -- B/s by SMs, one row per threads per block, 64 KiB pages
  batch_h2d_curve = { {4096, 1.0137499775737524e-06}, {16384, 1.0445000370964408e-06}, {65536, 1.5219999477267267e-06}, {262144, 5.083249881863594e-06}, {1048576, 1.9144749268889427e-05}, {4194304, 7.6256752014160155e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_d2h_curve = { {4096, 9.4250001711770892e-07}, {16384, 1.0037500178441406e-06}, {65536, 1.4561250573024154e-06}, {262144, 5.0041251815855503e-06}, {1048576, 1.9196875393390657e-05}, {4194304, 7.6289877295494078e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_call = 5.7373499998902844e-05, -- s of host time per batched call
  batch_call_curve = { {64, 5.7373499998902844e-05} }, -- s of host time per batched call by entries
  attn_block_table_curve = { {1, 1.1728554939581557}, {4, 1.0569465359705925}, {16, 1.0426698868873134}, {64, 1.0445529282236494}, {256, 1.036955212388776} }, -- time over contiguous by tokens per block
  attn_offset_table_curve = { {1, 1.2267632354323823}, {4, 1.09564885385473}, {16, 1.0408411622428608}, {64, 1.0382209223873233}, {256, 1.029335597063183} }, -- time over contiguous by tokens per block
  source = "kvsim-calibrate on NVIDIA H100 80GB HBM3, driver API 13000, 2026-12-05 14:38 UTC",
}
