-- Platform measured by kvsim-calibrate (kernels/calibrate.cu).
-- device: NVIDIA H200, 132 SMs, 150109880320 bytes (149557477376 free), 1 GPU(s), driver API 13000, 2026-12-05 12:23 UTC
-- pcie H2D 55.47 GB/s, D2H 55.33 GB/s at 256 MiB (pcie_bw = the lower)
-- copy fixed cost 2.18 us (median of time - bytes/bw, 4..64 KiB, both directions); 1-byte copies back to back 2.41 us each; 1-byte copy + sync round trip 5.65 us (median)
-- duplex (256 MiB each way at once): 101.41 GB/s aggregate (host_bw: a lower bound of host DRAM bandwidth for DMA)
-- device-to-device copy 256 MiB: 4163.6 GB/s counting read + write
-- HBM read stream, GB/s: unrolled x4, 1 GiB, 4 blocks/SM: 4497.6; weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM: 4720.8; weight read, 256 MiB once x 16 launches, 4 blocks/SM: 4217.5; weight read, 1 GiB once, 4 blocks/SM: 4403.6; weight read, 1 GiB once, 8 blocks/SM: 4427.4; weight read, 1 GiB once, 16 blocks/SM: 4421.0; weight read, 2 GiB once, 4 blocks/SM: 4427.0
-- HBM read stream: 4720.8 GB/s, the best (weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM) (hbm_bw)
-- bf16 matrix product 8192x8192x8192 (cuBLAS, random data): 788 TFLOP/s
-- kernel launch: 3.44 us each back to back; launch + sync round trip 8.03 us (median)
-- table write (4 KiB H2D from pinned memory between CUDA events on an idle stream, as the GPU backend does): median 3.89 us, p10 3.74, p90 4.13 (table_write); the same copies queued back to back 3.78 us; the former definition, 4 KiB H2D + kernel launch back to back, 5.42 us
-- table write right after a step (a read stream of a few ms on the same stream, then a host sync, then the event pair and the copy; 100 times): median 4.70 us, p10 4.32, p90 5.73
-- zero-copy dependent read of mapped host memory: 1.13 us each (pcie_lat = round trip)
-- host memcpy 256 MiB, one thread: 12.1 GB/s (one CPU core; not host_bw, which is the duplex DMA figure)
-- batch check: 768 entries (every size, both directions) equal their sources byte for byte
-- SM copy check: 559104 pages (every page size, both directions, 8 SMs) equal their sources byte for byte; threads per block: 1024, kv_transfer_launch's (the next table varies them)
-- SM copy with 1 SM, 64 KiB pages, mean of both directions: 40.52 GB/s (sm_copy_bw_per_sm)
-- SM copy both directions at once (kv_transfer_pair_launch, 8 SMs, 64 KiB pages, 64 MiB each way): 83.80 GB/s aggregate (sm_duplex_bw)
-- SM copy by threads check: 8192 pages (every block size, both directions, 8 SMs) equal their sources byte for byte
-- attention check: block-table and offset-table outputs equal the contiguous one at every block size (worst relative L2 0, tolerance 1e-05); contiguous vs float64 CPU reference on 4 requests 1.5e-07 (tolerance 1e-3)
-- vmm 2 MiB medians in isolation (us): reserve 0.48 create 7.71 map 0.57 set_access 19.53 unmap 13.56 release 8.99 addr_free 0.43
-- vmm 4 MiB medians in isolation (us): reserve 0.38 create 7.68 map 0.54 set_access 19.32 unmap 13.46 release 10.23 addr_free 0.43
-- vmm 8 MiB medians in isolation (us): reserve 0.66 create 7.74 map 0.57 set_access 19.38 unmap 13.52 release 12.07 addr_free 0.44
-- vmm 16 MiB medians in isolation (us): reserve 0.59 create 7.85 map 0.56 set_access 19.58 unmap 13.68 release 15.69 addr_free 0.48
-- vmm 64 MiB medians in isolation (us): reserve 2.13 create 8.28 map 0.62 set_access 33.45 unmap 20.86 release 25.04 addr_free 1.67
-- vmm 256 MiB medians in isolation (us): reserve 2.07 create 10.63 map 0.63 set_access 35.67 unmap 20.97 release 74.27 addr_free 1.71
-- vmm 1024 MiB medians in isolation (us): reserve 2.13 create 42.09 map 0.77 set_access 58.43 unmap 29.22 release 268.95 addr_free 1.90
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU idle, us median (p10/p90): reserve 0.42 (0.33/0.60) create 8.07 (7.82/8.43) map 0.67 (0.60/0.81) set_access 21.45 (20.66/22.44) unmap 15.91 (14.89/17.59) release 9.83 (9.38/10.98) addr_free 0.41 (0.37/0.53)
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU busy with a read stream, us median (p10/p90): reserve 0.43 (0.38/0.58) create 8.36 (8.04/8.85) map 0.67 (0.61/0.84) set_access 22.31 (20.71/24.53) unmap 17.58 (15.12/21.11) release 9.66 (9.28/10.24) addr_free 0.40 (0.37/0.54); 22 reads launched
-- vmm 2 MiB, 200 cycles among 128 live handles, each cycle right after a step, us median (p10/p90): reserve 0.72 (0.50/0.91) create 9.45 (8.73/203.38) map 0.94 (0.71/1.21) set_access 23.07 (22.20/25.02) unmap 17.44 (16.26/18.99) release 10.64 (10.07/11.62) addr_free 0.55 (0.40/0.61)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 16 live handles, GPU idle, us median (p10/p90): reserve 0.49 (0.41/0.63) create 8.01 (7.85/8.37) map 0.71 (0.60/0.86) set_access 20.02 (19.65/21.12) unmap 13.89 (13.64/14.53) release 9.79 (9.64/9.97) addr_free 0.43 (0.39/0.52)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 1024 live handles, GPU idle, us median (p10/p90): reserve 0.42 (0.35/0.60) create 8.51 (8.14/8.98) map 0.75 (0.64/0.91) set_access 22.69 (21.94/24.08) unmap 17.22 (16.20/18.64) release 11.15 (10.69/11.81) addr_free 0.43 (0.41/0.56)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 4096 live handles, GPU idle, us median (p10/p90): reserve 0.45 (0.39/0.61) create 8.35 (8.15/9.06) map 0.73 (0.64/0.92) set_access 22.36 (21.89/23.41) unmap 16.90 (16.17/18.29) release 10.97 (10.50/11.61) addr_free 0.44 (0.42/0.55)
-- vmm 64 MiB, 200 cycles among 32 live handles, GPU idle, us median (p10/p90): reserve 1.92 (1.81/2.18) create 9.51 (8.88/21.22) map 0.78 (0.64/0.97) set_access 21.56 (20.99/24.25) unmap 14.44 (13.99/15.51) release 26.12 (25.37/38.43) addr_free 2.04 (1.87/2.56)
-- vmm 64 MiB, 200 cycles among 32 live handles, each cycle right after a step, us median (p10/p90): reserve 2.47 (2.10/2.87) create 22.48 (21.62/58.14) map 1.05 (0.84/1.26) set_access 23.60 (22.52/26.48) unmap 16.00 (15.15/17.79) release 26.99 (26.09/38.31) addr_free 2.27 (2.04/2.66)
-- vmm factors over isolation at the granularity (busy, after_step): reserve 1.178 1.978 create 1.085 1.225 map 1.170 1.643 set_access 1.142 1.181 unmap 1.297 1.286 release 1.074 1.184 free_va 1.115 1.556
return {
  name = "h200-measured",
  gpus_per_server = 1, -- cudaGetDeviceCount
  servers = 1, -- one machine
  hbm_bytes = 150109880320, -- cudaMemGetInfo total
  hbm_bw = 4.721e+12, -- best read stream (kernels and launch shapes above)
  d2d_bw = 4.164e+12, -- cudaMemcpyAsync D2D 256 MiB, read+write
  flops = 7.878e+14, -- cuBLAS bf16 GEMM
  sms = 132, -- device property
  kernel_launch = 3.438e-06, -- empty kernels back to back
  pcie_bw = 5.533e+10, -- min(H2D, D2H) at 256 MiB, pinned
  pcie_lat = 1.132e-06, -- zero-copy dependent read round trip
  copy_overhead = 2.178e-06, -- fixed cost per cudaMemcpyAsync
  sm_copy_bw_per_sm = 4.052e+10, -- kv_transfer_launch on 1 SM
  sm_duplex_bw = 8.38e+10, -- kv_transfer_pair_launch both ways at once, 8 SMs, aggregate
  gpus_per_uplink = 0, -- not measured: own link assumed
  uplink_bw = 0, -- not measured (gpus_per_uplink = 0)
  host_bw = 1.014e+11, -- duplex DMA aggregate: lower bound of host DRAM bw for DMA
  nvlink_bw = 0, -- not measured (one GPU)
  nvlink_lat = 0, -- not measured (one GPU)
  nic_bw = 0, -- no inter-server tier
  nic_lat = 0, -- no inter-server tier
  vmm_reserve = 7.17e-07, -- cuMemAddressReserve, granularity range, cycles after a step, median
  vmm_create = 9.446e-06, -- cuMemCreate, cycles after a step, median
  vmm_map = 9.42e-07, -- cuMemMap, cycles after a step, median
  vmm_set_access = 2.307e-05, -- cuMemSetAccess, cycles after a step, median
  vmm_unmap = 1.744e-05, -- cuMemUnmap, cycles after a step, median
  vmm_release = 1.064e-05, -- cuMemRelease, cycles after a step, median
  vmm_granularity = 2097152, -- cuMemGetAllocationGranularity minimum
  vmm_reserve_per_mib = 1.61e-09, -- size slope: (largest - smallest handle median) / MiB, isolation
  vmm_create_per_mib = 3.364e-08, -- size slope, isolation
  vmm_map_per_mib = 1.879e-10, -- size slope, isolation
  vmm_set_access_per_mib = 3.806e-08, -- size slope, isolation
  vmm_unmap_per_mib = 1.532e-08, -- size slope, isolation
  vmm_release_per_mib = 2.544e-07, -- size slope, isolation
  table_write = 4.704e-06, -- 4 KiB H2D from pinned right after a step, events, median
  -- measured curves (every raw one in h200-measured.curves.csv)
  vmm_reserve_curve = { {2097152, 3.625000033480319e-07}, {67108864, 1.756999999713571e-06}, {1073741824, 1.5129999937357752e-06}, {17179869184, 1.4825000036466918e-06}, {274877906944, 1.4554999978599881e-06}, {1099511627776, 1.4505000009989999e-06} }, -- s per call by range bytes, isolation
  vmm_create_curve = { {2097152, 7.7090000019097715e-06}, {4194304, 7.6824999979407949e-06}, {8388608, 7.7375000060442289e-06}, {16777216, 7.8479999956471147e-06}, {67108864, 8.2804999976815452e-06}, {268435456, 1.0632500000440359e-05}, {1073741824, 4.2091499999230564e-05} }, -- s per call by handle bytes, isolation
  vmm_map_curve = { {2097152, 5.7350000304268178e-07}, {4194304, 5.4200000221271694e-07}, {8388608, 5.6500000056303179e-07}, {16777216, 5.6049999841434328e-07}, {67108864, 6.185000032132848e-07}, {268435456, 6.3350000090167669e-07}, {1073741824, 7.6549999761255094e-07} }, -- s per call by handle bytes, isolation
  vmm_set_access_curve = { {2097152, 1.9527500001004228e-05}, {4194304, 1.9324000000153774e-05}, {8388608, 1.9381500003134988e-05}, {16777216, 1.9583000003819961e-05}, {67108864, 3.3445999996217779e-05}, {268435456, 3.5666499996978018e-05}, {1073741824, 5.8428499997376093e-05} }, -- s per call by handle bytes, isolation
  vmm_unmap_curve = { {2097152, 1.3561999999467389e-05}, {4194304, 1.3457000001437791e-05}, {8388608, 1.351849999764454e-05}, {16777216, 1.3684499997168587e-05}, {67108864, 2.0855000002484303e-05}, {268435456, 2.0968000001175824e-05}, {1073741824, 2.9218999998192885e-05} }, -- s per call by handle bytes, isolation
  vmm_release_curve = { {2097152, 8.9940000052024516e-06}, {4194304, 1.0226500002374905e-05}, {8388608, 1.2065499994662332e-05}, {16777216, 1.5690499992615514e-05}, {67108864, 2.503599999670314e-05}, {268435456, 7.4267499996949482e-05}, {1073741824, 0.00026895149999717205} }, -- s per call by handle bytes, isolation
  vmm_free_va_curve = { {2097152, 3.5600000103386265e-07}, {67108864, 1.3554999966913783e-06}, {1073741824, 1.3535000036313249e-06}, {17179869184, 1.3530000018135979e-06}, {274877906944, 2.3020000057272227e-06}, {1099511627776, 2.1415000048818911e-06} }, -- s per call by range bytes, isolation
  vmm_reserve_live = { {16, 1.3462068778968093}, {128, 1.1599999921595285}, {1024, 1.1613793075060361}, {4096, 1.2468965257694737} }, -- idle call among x live handles / isolated
  vmm_create_live = { {16, 1.0389804131857716}, {128, 1.047152677738044}, {1024, 1.1043585415861215}, {4096, 1.0837981575362337} }, -- idle call among x live handles / isolated
  vmm_map_live = { {16, 1.2319093280570219}, {128, 1.1734960622799686}, {1024, 1.3025283179465006}, {4096, 1.2702702602246603} }, -- idle call among x live handles / isolated
  vmm_set_access_live = { {16, 1.0251184227219419}, {128, 1.0981948534354267}, {1024, 1.1620535143026351}, {4096, 1.144975035005023} }, -- idle call among x live handles / isolated
  vmm_unmap_live = { {16, 1.0244432972454938}, {128, 1.1729096002594759}, {1024, 1.2699085685270086}, {4096, 1.2457970798597491} }, -- idle call among x live handles / isolated
  vmm_release_live = { {16, 1.0885590389330737}, {128, 1.0934511888674407}, {1024, 1.2401045131099879}, {4096, 1.2195908378132398} }, -- idle call among x live handles / isolated
  vmm_free_va_live = { {16, 1.1966292092222219}, {128, 1.1390449299722214}, {1024, 1.1952247097383035}, {4096, 1.2373595545423979} }, -- idle call among x live handles / isolated
  vmm_reserve_busy = 1.0154577938122931, -- busy / idle among the same live handles at the granularity
  vmm_create_busy = 1.0359244360452007, -- busy / idle among the same live handles at the granularity
  vmm_map_busy = 0.99702825264691164, -- busy / idle among the same live handles at the granularity
  vmm_set_access_busy = 1.0401725343151038, -- busy / idle among the same live handles at the granularity
  vmm_unmap_busy = 1.1054567177546923, -- busy / idle among the same live handles at the granularity
  vmm_release_busy = 0.98251054959081507, -- busy / idle among the same live handles at the granularity
  vmm_free_va_busy = 0.97903823562792369, -- busy / idle among the same live handles at the granularity
  vmm_reserve_after_step = 1.7051129539899164, -- after_step / idle among the same live handles at the granularity
  vmm_create_after_step = 1.1700836186408508, -- after_step / idle among the same live handles at the granularity
  vmm_map_after_step = 1.3997028220973387, -- after_step / idle among the same live handles at the granularity
  vmm_set_access_after_step = 1.0758218698724273, -- after_step / idle among the same live handles at the granularity
  vmm_unmap_after_step = 1.0962155026526785, -- after_step / idle among the same live handles at the granularity
  vmm_release_after_step = 1.0823631097875572, -- after_step / idle among the same live handles at the granularity
  vmm_free_va_after_step = 1.3662145529632164, -- after_step / idle among the same live handles at the granularity
  copy_h2d_curve = { {4096, 2.5603519752621652e-06}, {16384, 2.8312639333307742e-06}, {65536, 3.7856800481677058e-06}, {262144, 7.3602721095085145e-06}, {1048576, 2.1671500056982042e-05}, {4194304, 7.9510249197483059e-05}, {16777216, 0.00031440600752830506}, {67108864, 0.0012124240398406984}, {268435456, 0.0048388881683349609} }, -- s per cudaMemcpyAsync by bytes, back to back
  copy_d2h_curve = { {4096, 1.8733600154519082e-06}, {16384, 2.0967200398445132e-06}, {65536, 3.0542239546775817e-06}, {262144, 6.1270399019122127e-06}, {1048576, 2.0491406321525573e-05}, {4194304, 7.7798500657081605e-05}, {16777216, 0.00030482649803161623}, {67108864, 0.0012137639522552491}, {268435456, 0.0048512320518493655} }, -- s per cudaMemcpyAsync by bytes, back to back
  sm_copy_h2d_curve = { {1, 36036636284.674789}, {2, 51246292590.211685}, {4, 50978461760.790688}, {8, 50958642020.765991}, {16, 51122618413.76223}, {32, 51097704721.349518}, {64, 51128849472.396187} }, -- B/s by SMs, 65536-byte pages
  sm_copy_d2h_curve = { {1, 45011956288.090622}, {2, 51962435058.148361}, {4, 52161470078.087196}, {8, 52389509349.689003}, {16, 52579968204.626923}, {32, 52663149686.12236}, {64, 52351581085.888039} }, -- B/s by SMs, 65536-byte pages
  sm_copy_page_h2d_curve = { {256, 0.63911667022271679}, {4096, 0.99801151013207479}, {65536, 1} }, -- rate by page bytes over the 65536-byte page's, at 8 SMs
  sm_copy_page_d2h_curve = { {256, 0.99525125264640013}, {4096, 1.0030570194951385}, {65536, 1} }, -- rate by page bytes over the 65536-byte page's, at 8 SMs
  sm_copy_grid_h2d = {
    { 256, { {1, 4278042343.2019043}, {2, 8554705953.6520443}, {4, 16943670242.810595}, {8, 32568517607.383377}, {16, 50361463151.259293}, {32, 50583755494.064995}, {64, 50303478774.361778} } },
    { 4096, { {1, 32397454002.535397}, {2, 51275110726.860802}, {4, 51005740823.34317}, {8, 50857311277.424469}, {16, 50994578098.871971}, {32, 51046709572.200699}, {64, 51108912645.315834} } },
    { 65536, { {1, 36036636284.674789}, {2, 51246292590.211685}, {4, 50978461760.790688}, {8, 50958642020.765991}, {16, 51122618413.76223}, {32, 51097704721.349518}, {64, 51128849472.396187} } },
  }, -- B/s by SMs, one row per page bytes
  sm_copy_grid_d2h = {
    { 256, { {1, 7644297979.5167837}, {2, 15268559415.471708}, {4, 30484074549.627449}, {8, 52140724805.808273}, {16, 51882732151.749931}, {32, 51675628251.705994}, {64, 52112218543.20459} } },
    { 4096, { {1, 44061517649.679008}, {2, 52101858602.542053}, {4, 52335904536.523621}, {8, 52549665101.111748}, {16, 52443224084.415199}, {32, 52451090918.615036}, {64, 51840411030.751923} } },
    { 65536, { {1, 45011956288.090622}, {2, 51962435058.148361}, {4, 52161470078.087196}, {8, 52389509349.689003}, {16, 52579968204.626923}, {32, 52663149686.12236}, {64, 52351581085.888039} } },
  }, -- B/s by SMs, one row per page bytes
  sm_copy_threads_grid_h2d = {
    { 128, { {1, 4887213176.0051823}, {2, 9774426352.0103645}, {4, 19533465828.77808}, {8, 37406393701.167572}, {16, 51334098831.513077}, {32, 51040498517.002258}, {64, 50980940889.481148} } },
    { 256, { {1, 9634946380.8011818}, {2, 19061898960.83139}, {4, 36437989224.873192}, {8, 51257565799.560913}, {16, 50888158983.074883}, {32, 50980940889.481148}, {64, 50977224594.949669} } },
    { 512, { {1, 18955935264.652828}, {2, 36433558110.271988}, {4, 51203750141.442429}, {8, 51026836739.33564}, {16, 50961119222.080597}, {32, 51005740823.34317}, {64, 50994578098.871971} } },
    { 1024, { {1, 35744878593.842392}, {2, 51230016781.033997}, {4, 50992097643.721237}, {8, 50959882897.837624}, {16, 51057895134.023193}, {32, 51057895134.023193}, {64, 51130094008.837845} } },
  }, -- B/s by SMs, one row per threads per block, 64 KiB pages
  sm_copy_threads_grid_d2h = {
    { 128, { {1, 12160504971.114439}, {2, 23954858456.808784}, {4, 47264022284.181267}, {8, 51684542884.064018}, {16, 51844254250.000854}, {32, 52180940419.484184}, {64, 52222521245.584648} } },
    { 256, { {1, 23108349925.398628}, {2, 45647815774.442444}, {4, 51178757329.423401}, {8, 51776415762.152397}, {16, 52180940419.484184}, {32, 52462900485.368027}, {64, 52320237372.955261} } },
    { 512, { {1, 34545472997.570496}, {2, 51713856165.681313}, {4, 52051424853.788788}, {8, 52248544142.743462}, {16, 52331988082.241585}, {32, 52382967250.040733}, {64, 52407837876.632156} } },
    { 1024, { {1, 45240141507.454514}, {2, 51860922749.679527}, {4, 52264168392.603226}, {8, 52389509349.689003}, {16, 52651249804.06588}, {32, 52665795382.334526}, {64, 52417006950.136467} } },
  }, -- B/s by SMs, one row per threads per block, 64 KiB pages
  batch_h2d_curve = { {4096, 4.9712497275322673e-07}, {16384, 5.6087499251589179e-07}, {65536, 1.3943749945610762e-06}, {262144, 4.9328748136758804e-06}, {1048576, 1.9092625007033347e-05}, {4194304, 7.5735628604888918e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_d2h_curve = { {4096, 4.4912498560734096e-07}, {16384, 5.0887500401586299e-07}, {65536, 1.3284999877214433e-06}, {262144, 4.8827501013875009e-06}, {1048576, 1.9083499908447266e-05}, {4194304, 7.5849249958992007e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_call = 2.8724999992846278e-05, -- s of host time per batched call
  batch_call_curve = { {64, 2.8724999992846278e-05} }, -- s of host time per batched call by entries
  attn_block_table_curve = { {1, 1.3122042133990082}, {4, 1.0842465557126137}, {16, 1.080977216176791}, {64, 1.0837108480965099}, {256, 1.0744108715315304} }, -- time over contiguous by tokens per block
  attn_offset_table_curve = { {1, 1.3686907982092422}, {4, 1.1400195641528841}, {16, 1.0672839947067556}, {64, 1.067067148825283}, {256, 1.0558325932398294} }, -- time over contiguous by tokens per block
  source = "kvsim-calibrate on NVIDIA H200, driver API 13000, 2026-12-05 12:23 UTC",
}
