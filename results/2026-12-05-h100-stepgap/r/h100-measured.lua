-- Platform measured by kvsim-calibrate (kernels/calibrate.cu).
-- device: NVIDIA H100 80GB HBM3, 132 SMs, 85017493504 bytes (84465090560 free), 1 GPU(s), driver API 13000, 2026-12-05 19:22 UTC
-- pcie H2D 55.49 GB/s, D2H 55.33 GB/s at 256 MiB (pcie_bw = the lower)
-- copy fixed cost 2.23 us (median of time - bytes/bw, 4..64 KiB, both directions); 1-byte copies back to back 2.20 us each; 1-byte copy + sync round trip 5.47 us (median)
-- duplex (256 MiB each way at once): 101.43 GB/s aggregate (host_bw: a lower bound of host DRAM bandwidth for DMA)
-- device-to-device copy 256 MiB: 2967.8 GB/s counting read + write
-- HBM read stream, GB/s: unrolled x4, 1 GiB, 4 blocks/SM: 3189.5; weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM: 3364.1; weight read, 256 MiB once x 16 launches, 4 blocks/SM: 3045.6; weight read, 1 GiB once, 4 blocks/SM: 3147.7; weight read, 1 GiB once, 8 blocks/SM: 3152.5; weight read, 1 GiB once, 16 blocks/SM: 3149.1; weight read, 2 GiB once, 4 blocks/SM: 3167.7
-- HBM read stream: 3364.1 GB/s, the best (weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM) (hbm_bw)
-- bf16 matrix product 8192x8192x8192 (cuBLAS, random data): 786 TFLOP/s
-- kernel launch: 3.23 us each back to back; launch + sync round trip 8.14 us (median)
-- table write (4 KiB H2D from pinned memory between CUDA events on an idle stream, as the GPU backend does): median 4.26 us, p10 3.74, p90 4.64 (table_write); the same copies queued back to back 3.73 us; the former definition, 4 KiB H2D + kernel launch back to back, 9.11 us
-- table write right after a step (a read stream of a few ms on the same stream, then a host sync, then the event pair and the copy; 100 times): median 5.12 us, p10 4.51, p90 7.52
-- zero-copy dependent read of mapped host memory: 1.16 us each (pcie_lat = round trip)
-- host memcpy 256 MiB, one thread: 11.3 GB/s (one CPU core; not host_bw, which is the duplex DMA figure)
-- batch check: 768 entries (every size, both directions) equal their sources byte for byte
-- SM copy check: 559104 pages (every page size, both directions, 8 SMs) equal their sources byte for byte; threads per block: 1024, kv_transfer_launch's (the next table varies them)
-- SM copy with 1 SM, 64 KiB pages, mean of both directions: 40.15 GB/s (sm_copy_bw_per_sm)
-- SM copy both directions at once (kv_transfer_pair_launch, 8 SMs, 64 KiB pages, 64 MiB each way): 82.91 GB/s aggregate (sm_duplex_bw)
-- SM copy by threads check: 8192 pages (every block size, both directions, 8 SMs) equal their sources byte for byte
-- attention check: block-table and offset-table outputs equal the contiguous one at every block size (worst relative L2 0, tolerance 1e-05); contiguous vs float64 CPU reference on 4 requests 1.5e-07 (tolerance 1e-3)
-- vmm 2 MiB medians in isolation (us): reserve 0.48 create 7.64 map 0.58 set_access 19.26 unmap 13.90 release 9.04 addr_free 0.39
-- vmm 4 MiB medians in isolation (us): reserve 0.45 create 7.63 map 0.53 set_access 19.11 unmap 13.81 release 10.23 addr_free 0.39
-- vmm 8 MiB medians in isolation (us): reserve 0.42 create 7.64 map 0.57 set_access 19.12 unmap 13.84 release 12.01 addr_free 0.39
-- vmm 16 MiB medians in isolation (us): reserve 0.45 create 7.66 map 0.56 set_access 19.32 unmap 13.97 release 15.45 addr_free 0.39
-- vmm 64 MiB medians in isolation (us): reserve 2.11 create 8.29 map 0.57 set_access 33.79 unmap 21.66 release 25.04 addr_free 1.70
-- vmm 256 MiB medians in isolation (us): reserve 2.01 create 11.00 map 0.59 set_access 35.25 unmap 21.74 release 69.82 addr_free 1.66
-- vmm 1024 MiB medians in isolation (us): reserve 2.05 create 20.47 map 0.65 set_access 58.02 unmap 30.32 release 259.20 addr_free 1.85
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU idle, us median (p10/p90): reserve 0.41 (0.35/0.55) create 7.90 (7.73/8.60) map 0.67 (0.59/0.85) set_access 21.17 (20.63/22.16) unmap 16.25 (15.35/18.16) release 9.78 (9.38/10.54) addr_free 0.39 (0.36/0.50)
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU busy with a read stream, us median (p10/p90): reserve 0.41 (0.36/0.54) create 8.24 (7.90/8.69) map 0.68 (0.60/0.89) set_access 25.53 (21.21/28.13) unmap 25.93 (16.23/28.65) release 9.90 (9.45/10.55) addr_free 0.39 (0.37/0.49); 18 reads launched
-- vmm 2 MiB, 200 cycles among 128 live handles, each cycle right after a step, us median (p10/p90): reserve 0.67 (0.46/0.90) create 9.44 (8.70/199.04) map 0.96 (0.76/1.27) set_access 22.98 (22.29/25.45) unmap 18.43 (17.21/19.93) release 10.61 (10.10/12.41) addr_free 0.48 (0.43/0.60)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 16 live handles, GPU idle, us median (p10/p90): reserve 0.44 (0.37/0.56) create 7.69 (7.55/8.06) map 0.68 (0.59/0.83) set_access 19.34 (18.98/20.33) unmap 13.97 (13.66/14.66) release 9.50 (9.35/9.75) addr_free 0.41 (0.37/0.49)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 1024 live handles, GPU idle, us median (p10/p90): reserve 0.41 (0.37/0.55) create 7.91 (7.76/8.36) map 0.69 (0.58/0.86) set_access 21.39 (20.97/22.15) unmap 16.86 (15.98/17.93) release 10.45 (10.03/10.98) addr_free 0.40 (0.38/0.46)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 4096 live handles, GPU idle, us median (p10/p90): reserve 0.41 (0.35/0.55) create 8.03 (7.80/8.47) map 0.73 (0.62/0.92) set_access 21.98 (21.42/22.97) unmap 17.45 (16.38/19.06) release 10.67 (10.17/11.28) addr_free 0.42 (0.40/0.49)
-- vmm 64 MiB, 200 cycles among 32 live handles, GPU idle, us median (p10/p90): reserve 1.75 (1.64/1.98) create 9.06 (8.45/20.47) map 0.73 (0.62/0.91) set_access 20.70 (20.02/23.07) unmap 14.40 (13.82/15.36) release 24.68 (23.70/36.52) addr_free 1.89 (1.72/2.36)
-- vmm 64 MiB, 200 cycles among 32 live handles, each cycle right after a step, us median (p10/p90): reserve 2.36 (2.12/3.35) create 21.39 (20.72/51.91) map 1.00 (0.81/1.29) set_access 23.32 (22.27/26.39) unmap 16.99 (16.05/18.85) release 25.53 (24.81/32.92) addr_free 2.10 (1.90/2.61)
-- vmm growth, fresh range: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 9.65 (96.38/8.84/11.83; 9.69, 10.00) map 1.09 (1.93/0.87/1.93; 1.13, 1.07) set_access 23.96 (51.80/22.64/26.07; 23.97, 24.56) unmap 17.36 (67.20/16.21/19.32; 17.90, 16.99) release 10.07 (38.69/9.57/10.65; 10.34, 9.96)
-- vmm growth, same range again: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 9.84 (29.34/8.98/18.44; 9.63, 9.73) map 1.17 (4.34/0.92/2.00; 1.14, 1.10) set_access 24.47 (65.44/23.15/40.57; 23.73, 24.60) unmap 18.07 (73.00/17.00/19.69; 18.43, 17.88) release 10.56 (35.59/10.07/11.24; 10.81, 10.43)
-- vmm growth, new range, memory recycled: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 10.40 (31.29/9.07/28.23; 9.55, 13.55) map 1.34 (4.94/0.96/3.29; 1.11, 1.62) set_access 25.41 (67.56/23.15/49.67; 23.79, 30.26) unmap 23.17 (92.38/21.62/25.95; 22.99, 22.96) release 15.02 (45.98/14.25/16.26; 15.21, 14.88)
-- vmm growth, fresh range: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 10.37 (67.31/9.44/31.90; 20.45, 9.92) map 1.17 (8.51/0.93/3.30; 2.02, 1.03) set_access 25.30 (120.33/23.61/53.38; 51.75, 25.29) unmap 16.07 (55.72/14.80/23.55; 18.20, 14.86) release 25.76 (45.48/24.53/36.46; 26.07, 24.91)
-- vmm growth, same range again: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 9.40 (126.66/8.85/19.43; 9.12, 9.77) map 0.98 (4.49/0.78/1.34; 1.13, 0.96) set_access 24.08 (41.75/22.62/41.73; 23.58, 24.67) unmap 15.95 (40.67/14.50/25.31; 17.30, 14.68) release 25.42 (36.80/24.78/36.80; 25.96, 25.04)
-- vmm growth, new range, memory recycled: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 10.51 (128.39/8.75/16.62; 9.23, 10.83) map 1.03 (2.42/0.81/1.38; 1.07, 1.14) set_access 26.09 (47.15/22.80/43.12; 23.74, 26.16) unmap 16.36 (70.11/14.59/23.71; 18.14, 15.44) release 25.68 (40.89/24.81/37.24; 26.09, 25.34)
-- vmm after a gap, 2 MiB, nominal 0 ms, 12 cycles, us median @ ms since the call's last (median): reserve 0.61 @0.25 create 19.88 @0.23 map 0.70 @0.25 set_access 21.00 @0.23 unmap 15.18 @0.24 release 21.49 @0.23 addr_free 0.44 @0.26
-- vmm after a gap, 2 MiB, nominal 1 ms, 12 cycles, us median @ ms since the call's last (median): reserve 0.86 @2.38 create 12.27 @2.36 map 0.86 @2.39 set_access 24.21 @2.36 unmap 18.19 @2.36 release 10.66 @2.37 addr_free 0.55 @2.38
-- vmm after a gap, 2 MiB, nominal 2 ms, 12 cycles, us median @ ms since the call's last (median): reserve 0.88 @4.23 create 14.32 @4.22 map 0.85 @4.24 set_access 25.56 @4.21 unmap 18.78 @4.23 release 10.42 @4.24 addr_free 0.51 @4.25
-- vmm after a gap, 2 MiB, nominal 5 ms, 12 cycles, us median @ ms since the call's last (median): reserve 0.95 @10.41 create 10.70 @10.40 map 0.85 @10.42 set_access 23.46 @10.39 unmap 16.78 @10.41 release 9.66 @10.41 addr_free 0.58 @10.42
-- vmm after a gap, 2 MiB, nominal 10 ms, 12 cycles, us median @ ms since the call's last (median): reserve 3.64 @20.44 create 32.02 @20.43 map 3.01 @20.45 set_access 53.11 @20.40 unmap 36.44 @20.43 release 20.76 @20.44 addr_free 1.93 @20.45
-- vmm after a gap, 2 MiB, nominal 20 ms, 12 cycles, us median @ ms since the call's last (median): reserve 6.34 @40.58 create 57.47 @40.52 map 6.55 @40.56 set_access 88.03 @40.48 unmap 71.33 @40.55 release 36.60 @40.60 addr_free 3.50 @40.63
-- vmm after a gap, 2 MiB, nominal 50 ms, 12 cycles, us median @ ms since the call's last (median): reserve 11.50 @100.64 create 98.18 @100.56 map 7.68 @100.65 set_access 97.78 @100.56 unmap 118.52 @100.58 release 42.85 @100.68 addr_free 3.92 @100.72
-- vmm after a gap, 64 MiB, nominal 0 ms, 12 cycles, us median @ ms since the call's last (median): reserve 2.55 @0.25 create 8.29 @0.24 map 0.74 @0.25 set_access 35.04 @0.21 unmap 22.42 @0.23 release 35.99 @0.21 addr_free 2.02 @0.25
-- vmm after a gap, 64 MiB, nominal 1 ms, 12 cycles, us median @ ms since the call's last (median): reserve 3.14 @2.30 create 20.72 @2.28 map 0.87 @2.30 set_access 36.37 @2.27 unmap 23.53 @2.28 release 24.53 @2.28 addr_free 2.14 @2.30
-- vmm after a gap, 64 MiB, nominal 2 ms, 12 cycles, us median @ ms since the call's last (median): reserve 3.16 @4.34 create 21.28 @4.33 map 0.84 @4.35 set_access 37.00 @4.31 unmap 24.07 @4.33 release 24.97 @4.33 addr_free 2.39 @4.35
-- vmm after a gap, 64 MiB, nominal 5 ms, 12 cycles, us median @ ms since the call's last (median): reserve 3.19 @10.41 create 21.19 @10.38 map 0.83 @10.40 set_access 37.27 @10.36 unmap 24.20 @10.45 release 24.68 @10.45 addr_free 2.24 @10.47
-- vmm after a gap, 64 MiB, nominal 10 ms, 12 cycles, us median @ ms since the call's last (median): reserve 4.82 @20.41 create 25.22 @20.39 map 1.07 @20.42 set_access 42.23 @20.38 unmap 27.50 @20.40 release 27.76 @20.40 addr_free 3.56 @20.42
-- vmm after a gap, 64 MiB, nominal 20 ms, 12 cycles, us median @ ms since the call's last (median): reserve 17.47 @40.52 create 45.49 @40.48 map 3.39 @40.52 set_access 75.71 @40.45 unmap 51.93 @40.49 release 42.40 @40.50 addr_free 9.55 @40.53
-- vmm after a gap, 64 MiB, nominal 50 ms, 12 cycles, us median @ ms since the call's last (median): reserve 38.95 @100.71 create 94.16 @100.65 map 8.11 @100.74 set_access 115.73 @100.63 unmap 141.82 @100.65 release 80.96 @100.76 addr_free 27.47 @100.82
-- vmm after a gap of launches, 2 MiB, nominal 0 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.11 @0.19 create 14.53 @0.18 map 1.14 @0.19 set_access 29.23 @0.16 unmap 20.30 @0.17 release 13.67 @0.18 addr_free 0.81 @0.19
-- vmm after a gap of launches, 2 MiB, nominal 1 ms, 12 cycles, us median @ ms since the call's last (median): reserve 3.43 @2.39 create 29.22 @2.36 map 2.74 @2.39 set_access 46.75 @2.34 unmap 34.57 @2.38 release 16.76 @2.39 addr_free 1.27 @2.41
-- vmm after a gap of launches, 2 MiB, nominal 2 ms, 12 cycles, us median @ ms since the call's last (median): reserve 3.52 @4.38 create 29.45 @4.35 map 2.62 @4.38 set_access 46.55 @4.34 unmap 35.44 @4.35 release 17.09 @4.36 addr_free 1.41 @4.38
-- vmm after a gap of launches, 2 MiB, nominal 5 ms, 12 cycles, us median @ ms since the call's last (median): reserve 4.05 @10.37 create 31.15 @10.34 map 2.51 @10.35 set_access 46.46 @10.31 unmap 43.44 @10.34 release 20.99 @10.36 addr_free 1.48 @10.38
-- vmm after a gap of launches, 2 MiB, nominal 10 ms, 12 cycles, us median @ ms since the call's last (median): reserve 2.72 @20.34 create 18.35 @20.31 map 2.00 @20.33 set_access 33.38 @20.29 unmap 30.11 @20.30 release 15.17 @20.33 addr_free 1.22 @20.35
-- vmm after a gap of launches, 2 MiB, nominal 20 ms, 12 cycles, us median @ ms since the call's last (median): reserve 6.38 @40.41 create 44.87 @40.38 map 4.72 @40.44 set_access 65.05 @40.39 unmap 69.54 @40.35 release 32.21 @40.40 addr_free 2.75 @40.43
-- vmm after a gap of launches, 2 MiB, nominal 50 ms, 12 cycles, us median @ ms since the call's last (median): reserve 7.37 @100.46 create 48.38 @100.41 map 5.08 @100.43 set_access 68.16 @100.36 unmap 62.46 @100.39 release 31.42 @100.41 addr_free 2.99 @100.44
-- vmm after a gap of launches, 64 MiB, nominal 0 ms, 12 cycles, us median @ ms since the call's last (median): reserve 2.65 @0.24 create 8.44 @0.23 map 0.68 @0.24 set_access 35.18 @0.21 unmap 22.66 @0.22 release 36.25 @0.21 addr_free 1.97 @0.24
-- vmm after a gap of launches, 64 MiB, nominal 1 ms, 12 cycles, us median @ ms since the call's last (median): reserve 3.05 @2.39 create 20.70 @2.37 map 0.80 @2.39 set_access 36.77 @2.36 unmap 24.28 @2.35 release 24.71 @2.35 addr_free 2.21 @2.37
-- vmm after a gap of launches, 64 MiB, nominal 2 ms, 12 cycles, us median @ ms since the call's last (median): reserve 3.79 @4.33 create 22.28 @4.31 map 0.93 @4.35 set_access 39.60 @4.31 unmap 25.32 @4.33 release 25.09 @4.33 addr_free 2.38 @4.35
-- vmm after a gap of launches, 64 MiB, nominal 5 ms, 12 cycles, us median @ ms since the call's last (median): reserve 6.52 @10.39 create 26.15 @10.37 map 1.68 @10.40 set_access 46.02 @10.36 unmap 32.99 @10.38 release 28.89 @10.39 addr_free 4.74 @10.41
-- vmm after a gap of launches, 64 MiB, nominal 10 ms, 12 cycles, us median @ ms since the call's last (median): reserve 12.11 @20.44 create 33.16 @20.42 map 2.44 @20.47 set_access 55.40 @20.41 unmap 39.93 @20.41 release 33.18 @20.46 addr_free 8.76 @20.49
-- vmm after a gap of launches, 64 MiB, nominal 20 ms, 12 cycles, us median @ ms since the call's last (median): reserve 15.69 @40.37 create 35.86 @40.35 map 2.57 @40.39 set_access 61.57 @40.33 unmap 42.74 @40.42 release 36.61 @40.42 addr_free 8.93 @40.45
-- vmm after a gap of launches, 64 MiB, nominal 50 ms, 12 cycles, us median @ ms since the call's last (median): reserve 39.73 @100.68 create 108.18 @100.61 map 8.16 @100.71 set_access 122.77 @100.60 unmap 128.35 @100.60 release 61.33 @100.67 addr_free 25.04 @100.70
-- vmm growth on the launching thread, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 9.80 (50.86/9.05/11.67) map 1.17 (4.18/0.90/1.44) set_access 28.79 (107.26/27.76/31.25)
-- vmm growth on one thread kept for the series, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 11.81 (77.16/8.97/26.16) map 1.28 (7.56/0.73/6.27) set_access 28.83 (108.25/26.26/49.09)
-- vmm growth on a new thread per handle, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 43.77 (59.76/13.60/57.47) map 5.39 (8.17/1.56/7.47) set_access 63.02 (91.50/31.77/84.75)
-- vmm growth on the launching thread, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 10.18 (27.96/9.09/11.97) map 1.22 (4.69/0.92/1.62) set_access 26.77 (68.01/25.72/48.73)
-- vmm growth on one thread kept for the series, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 25.54 (101.39/21.90/39.39) map 3.08 (7.65/2.56/4.83) set_access 49.99 (121.84/44.43/76.21)
-- vmm growth on a new thread per handle, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 46.30 (89.03/18.56/77.46) map 5.66 (7.30/2.22/7.07) set_access 68.39 (107.88/36.81/104.59)
-- vmm reserve / free of 16 MiB ranges among live ranges, us median per window of calls (live: reserve free): 0: 0.32 0.31 32: 1.06 1.07 96: 1.41 1.05 160: 1.89 0.95 224: 2.23 0.97 288: 2.70 1.01 352: 2.88 1.01 416: 3.40 1.07 480: 3.66 1.03 544: 4.14 1.03 608: 4.42 1.10 672: 4.77 1.09 736: 5.05 1.12 800: 5.54 1.20 864: 5.78 1.11 928: 6.26 1.20 992: 6.59 1.59
-- vmm factors over isolation at the granularity (busy, after_step): reserve 1.279 2.084 create 1.078 1.235 map 1.172 1.667 set_access 1.325 1.193 unmap 1.865 1.326 release 1.095 1.173 free_va 1.236 1.534
return {
  name = "h100-measured",
  gpus_per_server = 1, -- cudaGetDeviceCount
  servers = 1, -- one machine
  hbm_bytes = 85017493504, -- cudaMemGetInfo total
  hbm_bw = 3.364e+12, -- best read stream (kernels and launch shapes above)
  d2d_bw = 2.968e+12, -- cudaMemcpyAsync D2D 256 MiB, read+write
  flops = 7.86e+14, -- cuBLAS bf16 GEMM
  sms = 132, -- device property
  kernel_launch = 3.228e-06, -- empty kernels back to back
  pcie_bw = 5.533e+10, -- min(H2D, D2H) at 256 MiB, pinned
  pcie_lat = 1.162e-06, -- zero-copy dependent read round trip
  copy_overhead = 2.227e-06, -- fixed cost per cudaMemcpyAsync
  sm_copy_bw_per_sm = 4.015e+10, -- kv_transfer_launch on 1 SM
  sm_duplex_bw = 8.291e+10, -- kv_transfer_pair_launch both ways at once, 8 SMs, aggregate
  gpus_per_uplink = 0, -- not measured: own link assumed
  uplink_bw = 0, -- not measured (gpus_per_uplink = 0)
  host_bw = 1.014e+11, -- duplex DMA aggregate: lower bound of host DRAM bw for DMA
  nvlink_bw = 0, -- not measured (one GPU)
  nvlink_lat = 0, -- not measured (one GPU)
  nic_bw = 0, -- no inter-server tier
  nic_lat = 0, -- no inter-server tier
  vmm_reserve = 6.69e-07, -- cuMemAddressReserve, granularity range, cycles after a step, median
  vmm_create = 9.435e-06, -- cuMemCreate, cycles after a step, median
  vmm_map = 9.645e-07, -- cuMemMap, cycles after a step, median
  vmm_set_access = 2.298e-05, -- cuMemSetAccess, cycles after a step, median
  vmm_unmap = 1.843e-05, -- cuMemUnmap, cycles after a step, median
  vmm_release = 1.061e-05, -- cuMemRelease, cycles after a step, median
  vmm_granularity = 2097152, -- cuMemGetAllocationGranularity minimum
  vmm_reserve_per_mib = 1.537e-09, -- size slope: (largest - smallest handle median) / MiB, isolation
  vmm_create_per_mib = 1.256e-08, -- size slope, isolation
  vmm_map_per_mib = 6.947e-11, -- size slope, isolation
  vmm_set_access_per_mib = 3.792e-08, -- size slope, isolation
  vmm_unmap_per_mib = 1.606e-08, -- size slope, isolation
  vmm_release_per_mib = 2.448e-07, -- size slope, isolation
  table_write = 5.12e-06, -- 4 KiB H2D from pinned right after a step, events, median
  -- measured curves (every raw one in h100-measured.curves.csv)
  vmm_reserve_curve = { {2097152, 3.2100000169066334e-07}, {4194304, 4.5400000203699165e-07}, {8388608, 4.2199999938929977e-07}, {16777216, 4.5449999674929131e-07}, {67108864, 1.5729999987001975e-06}, {268435456, 2.0100000028833165e-06}, {1073741824, 1.337500002307479e-06}, {17179869184, 1.2859999998227067e-06}, {274877906944, 1.274499993542122e-06}, {1099511627776, 1.2479999966785726e-06} }, -- s per call by range bytes, isolation
  vmm_create_curve = { {2097152, 7.6425000017366074e-06}, {4194304, 7.6260000057004618e-06}, {8388608, 7.6369999959524648e-06}, {16777216, 7.6630000052091418e-06}, {67108864, 8.2945000059453378e-06}, {268435456, 1.0998999997013925e-05}, {1073741824, 2.0474000002934645e-05} }, -- s per call by handle bytes, isolation
  vmm_map_curve = { {2097152, 5.7849999990366996e-07}, {4194304, 5.2599999378344364e-07}, {8388608, 5.7249999940722773e-07}, {16777216, 5.5700000700653618e-07}, {67108864, 5.7150000287720104e-07}, {268435456, 5.8500000221783921e-07}, {1073741824, 6.4950000222552262e-07} }, -- s per call by handle bytes, isolation
  vmm_set_access_curve = { {2097152, 1.9263500000477052e-05}, {4194304, 1.9107500001780409e-05}, {8388608, 1.91229999941811e-05}, {16777216, 1.9319999999822812e-05}, {67108864, 3.3792000003529665e-05}, {268435456, 3.5246999999571926e-05}, {1073741824, 5.8020499999145159e-05} }, -- s per call by handle bytes, isolation
  vmm_unmap_curve = { {2097152, 1.3904500001160613e-05}, {4194304, 1.3807000001975211e-05}, {8388608, 1.384000000115293e-05}, {16777216, 1.3971999997863804e-05}, {67108864, 2.1658999997953288e-05}, {268435456, 2.1737499999119336e-05}, {1073741824, 3.0320999997002218e-05} }, -- s per call by handle bytes, isolation
  vmm_release_curve = { {2097152, 9.0429999985985887e-06}, {4194304, 1.0229499999070413e-05}, {8388608, 1.2007999991681118e-05}, {16777216, 1.54470000026663e-05}, {67108864, 2.5038000003974048e-05}, {268435456, 6.9818999996584807e-05}, {1073741824, 0.00025919999999501897} }, -- s per call by handle bytes, isolation
  vmm_free_va_curve = { {2097152, 3.1300000102874037e-07}, {4194304, 3.9100000037706195e-07}, {8388608, 3.8899999310615385e-07}, {16777216, 3.9400000417799674e-07}, {67108864, 1.222999998162777e-06}, {268435456, 1.6625000043291038e-06}, {1073741824, 1.2024999946902426e-06}, {17179869184, 1.2169999976663348e-06}, {274877906944, 2.0599999999149077e-06}, {1099511627776, 1.9829999970966128e-06} }, -- s per call by range bytes, isolation
  vmm_reserve_live = { {16, 1.3738317603924179}, {128, 1.2803738313619573}, {1024, 1.2819314694152082}, {4096, 1.2679127712065241} }, -- idle call among x live handles / isolated
  vmm_create_live = { {16, 1.0061498191979035}, {128, 1.0342819749030727}, {1024, 1.0348053648193933}, {4096, 1.0506378802693048} }, -- idle call among x live handles / isolated
  vmm_map_live = { {16, 1.1780466810487396}, {128, 1.1538461604598087}, {1024, 1.1866897056924619}, {4096, 1.2696629314227263} }, -- idle call among x live handles / isolated
  vmm_set_access_live = { {16, 1.004230799068681}, {128, 1.0989176421480431}, {1024, 1.1103122482717194}, {4096, 1.140888208119837} }, -- idle call among x live handles / isolated
  vmm_unmap_live = { {16, 1.0049264626799186}, {128, 1.1684706392573345}, {1024, 1.2125211261903626}, {4096, 1.2546657555333058} }, -- idle call among x live handles / isolated
  vmm_release_live = { {16, 1.0509233658428727}, {128, 1.0820524159636733}, {1024, 1.1558664161647452}, {4096, 1.1801946254891611} }, -- idle call among x live handles / isolated
  vmm_free_va_live = { {16, 1.3035143897616104}, {128, 1.2364217213231423}, {1024, 1.2635782786768577}, {4096, 1.3450479053359126} }, -- idle call among x live handles / isolated
  vmm_create_grow = { {2097152, 9.6455000004880276e-06}, {67108864, 1.0365000001399949e-05} }, -- s per call growing the pool, by handle bytes
  vmm_map_grow = { {2097152, 1.0904999996341758e-06}, {67108864, 1.1695000026179514e-06} }, -- s per call growing the pool, by handle bytes
  vmm_set_access_grow = { {2097152, 2.3959500005332757e-05}, {67108864, 2.5298499998882562e-05} }, -- s per call growing the pool, by handle bytes
  vmm_reserve_live_va = { {32, 2.3366336701769721}, {96, 3.0935093632492725}, {160, 4.1694169647402584}, {224, 4.9009901448269018}, {288, 5.9361936683434742}, {352, 6.335533603059214}, {416, 7.486248692022917}, {480, 8.0539054461936388}, {544, 9.0990099802411279}, {608, 9.7249725585110447}, {672, 10.48624870765642}, {736, 11.100110094259396}, {800, 12.191419229472132}, {864, 12.718371921301943}, {928, 13.782178331125987}, {992, 14.492849391766034} }, -- among x live ranges / none
  vmm_free_va_live_va = { {32, 2.7246192469325519}, {96, 2.6637055549887845}, {160, 2.4137055504802647}, {224, 2.4505076061344795}, {288, 2.5545685002955154}, {352, 2.5672588655579398}, {416, 2.7093908194380902}, {480, 2.6078679875090915}, {544, 2.6230964150035532}, {608, 2.7817258725793823}, {672, 2.7779187521802076}, {736, 2.8324872975609212}, {800, 3.0494923668144014}, {864, 2.8096446473021892}, {928, 3.0355329794529977}, {992, 4.0456852283811466} }, -- among x live ranges / none
  vmm_reserve_gap = {
    { 2097152, { {0.00025000000000000001, 6.1100000436908886e-07}, {0.0023800000000000002, 8.6000000010244548e-07}, {0.0042300000000000003, 8.7800000869719952e-07}, {0.010410000000000001, 9.4600000011269003e-07}, {0.02044, 3.6350000129914406e-06}, {0.040579999999999998, 6.3389999951368736e-06}, {0.10063999999999999, 1.1499999999387001e-05} } },
    { 67108864, { {0.00025000000000000001, 2.5544999999738138e-06}, {0.0023, 3.1429999864940328e-06}, {0.0043400000000000001, 3.1630000023596949e-06}, {0.010410000000000001, 3.1860000007100098e-06}, {0.020410000000000001, 4.8160000005736947e-06}, {0.04052, 1.7468999999437074e-05}, {0.10070999999999999, 3.8954000004309819e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_create_gap = {
    { 2097152, { {0.00023000000000000001, 1.9878000003359375e-05}, {0.0023600000000000001, 1.2273999999479202e-05}, {0.0042199999999999998, 1.4319000001705717e-05}, {0.0104, 1.0699999990038123e-05}, {0.02043, 3.2017999998856794e-05}, {0.04052, 5.7470000001558219e-05}, {0.10056, 9.8182000002111636e-05} } },
    { 67108864, { {0.00024000000000000001, 8.2879999965257412e-06}, {0.0022799999999999999, 2.0720999998502521e-05}, {0.0043299999999999996, 2.1275999998238149e-05}, {0.01038, 2.1193999998558866e-05}, {0.020389999999999998, 2.5215999997385552e-05}, {0.040480000000000002, 4.5494999994843965e-05}, {0.10065, 9.4157999996014041e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_map_gap = {
    { 2097152, { {0.00025000000000000001, 7.034999995880753e-07}, {0.0023900000000000002, 8.5699998919608333e-07}, {0.0042399999999999998, 8.5199999944052252e-07}, {0.01042, 8.5400000671143061e-07}, {0.020449999999999999, 3.0140000006895207e-06}, {0.040559999999999999, 6.554999998797939e-06}, {0.10065, 7.6830000068639492e-06} } },
    { 67108864, { {0.00025000000000000001, 7.394999954613013e-07}, {0.0023, 8.7400000836623803e-07}, {0.0043499999999999997, 8.429999951431455e-07}, {0.0104, 8.3099999415026105e-07}, {0.020420000000000001, 1.070000010372496e-06}, {0.04052, 3.3869999924718286e-06}, {0.10074, 8.1139999963397713e-06} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_set_access_gap = {
    { 2097152, { {0.00023000000000000001, 2.1001999996883569e-05}, {0.0023600000000000001, 2.4205000002552879e-05}, {0.0042100000000000002, 2.555999999742653e-05}, {0.01039, 2.3462000001472916e-05}, {0.020400000000000001, 5.3106999999386062e-05}, {0.040480000000000002, 8.8028000007511764e-05}, {0.10056, 9.778399999049725e-05} } },
    { 67108864, { {0.00021000000000000001, 3.5036500001695003e-05}, {0.0022699999999999999, 3.6370000003671521e-05}, {0.0043099999999999996, 3.7004000006390925e-05}, {0.010359999999999999, 3.7273999993203688e-05}, {0.020379999999999999, 4.2234000005691996e-05}, {0.04045, 7.5706999993485624e-05}, {0.10063, 0.00011573300000122799} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_unmap_gap = {
    { 2097152, { {0.00024000000000000001, 1.5179999991232762e-05}, {0.0023600000000000001, 1.8191999998862229e-05}, {0.0042300000000000003, 1.8780999994305603e-05}, {0.010410000000000001, 1.6781999988779717e-05}, {0.02043, 3.6439999988147065e-05}, {0.040550000000000003, 7.1331999990320583e-05}, {0.10058, 0.00011851799999362811} } },
    { 67108864, { {0.00023000000000000001, 2.2420999997052604e-05}, {0.0022799999999999999, 2.3533999993219368e-05}, {0.0043299999999999996, 2.4066000008815536e-05}, {0.010449999999999999, 2.4202000005857371e-05}, {0.020400000000000001, 2.7502999998318955e-05}, {0.040489999999999998, 5.1929000008499315e-05}, {0.10065, 0.00014181500000631786} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_release_gap = {
    { 2097152, { {0.00023000000000000001, 2.149349999314154e-05}, {0.0023700000000000001, 1.0656000000608401e-05}, {0.0042399999999999998, 1.0415999994961567e-05}, {0.010410000000000001, 9.6570000067686124e-06}, {0.02044, 2.0761000001812135e-05}, {0.040599999999999997, 3.6602999998081032e-05}, {0.10068000000000001, 4.2849000010392047e-05} } },
    { 67108864, { {0.00021000000000000001, 3.5990500002469616e-05}, {0.0022799999999999999, 2.4530999993999103e-05}, {0.0043299999999999996, 2.4968000005287649e-05}, {0.010449999999999999, 2.4683000006575639e-05}, {0.020400000000000001, 2.776000000892509e-05}, {0.040500000000000001, 4.2399999998110616e-05}, {0.10076, 8.0959000001712411e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_free_va_gap = {
    { 2097152, { {0.00025999999999999998, 4.4199999393867984e-07}, {0.0023800000000000002, 5.4599999543825106e-07}, {0.0042500000000000003, 5.1300000336595986e-07}, {0.01042, 5.8000000535685103e-07}, {0.020449999999999999, 1.9339999965950483e-06}, {0.040629999999999999, 3.496999994467842e-06}, {0.10072, 3.922000004763504e-06} } },
    { 67108864, { {0.00025000000000000001, 2.0155000015620317e-06}, {0.0023, 2.1350000025677218e-06}, {0.0043499999999999997, 2.3919999989630014e-06}, {0.01047, 2.2420000078682278e-06}, {0.020420000000000001, 3.5580000030677184e-06}, {0.040529999999999997, 9.5460000011371449e-06}, {0.10082000000000001, 2.7466000005915703e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_reserve_busy = 0.99878345057115525, -- busy / idle among the same live handles at the granularity
  vmm_create_busy = 1.0425074342213614, -- busy / idle among the same live handles at the granularity
  vmm_map_busy = 1.0157303303090151, -- busy / idle among the same live handles at the granularity
  vmm_set_access_busy = 1.2060324057211065, -- busy / idle among the same live handles at the granularity
  vmm_unmap_busy = 1.5958330766852855, -- busy / idle among the same live handles at the granularity
  vmm_release_busy = 1.0120592746761017, -- busy / idle among the same live handles at the granularity
  vmm_free_va_busy = 1, -- busy / idle among the same live handles at the granularity
  vmm_reserve_after_step = 1.6277372232487921, -- after_step / idle among the same live handles at the granularity
  vmm_create_after_step = 1.1936871406541016, -- after_step / idle among the same live handles at the granularity
  vmm_map_after_step = 1.44494381730636, -- after_step / idle among the same live handles at the granularity
  vmm_set_access_after_step = 1.085431527336892, -- after_step / idle among the same live handles at the granularity
  vmm_unmap_after_step = 1.1344248166002258, -- after_step / idle among the same live handles at the granularity
  vmm_release_after_step = 1.0843638232004313, -- after_step / idle among the same live handles at the granularity
  vmm_free_va_after_step = 1.2403100698336822, -- after_step / idle among the same live handles at the granularity
  copy_h2d_curve = { {4096, 2.5251361075788737e-06}, {16384, 2.7867679018527272e-06}, {65536, 3.7531680427491666e-06}, {262144, 7.2697121649980544e-06}, {1048576, 2.1706437692046166e-05}, {4194304, 7.8353375196456911e-05}, {16777216, 0.00030505299568176273}, {67108864, 0.0012116359472274781}, {268435456, 0.004837471961975098} }, -- s per cudaMemcpyAsync by bytes, back to back
  copy_d2h_curve = { {4096, 1.8759679514914752e-06}, {16384, 2.0748318638652565e-06}, {65536, 3.1878240406513215e-06}, {262144, 6.2963198870420459e-06}, {1048576, 2.0450999960303307e-05}, {4194304, 7.7120125293731696e-05}, {16777216, 0.00030429199337959288}, {67108864, 0.0012143219709396362}, {268435456, 0.0048514719009399411} }, -- s per cudaMemcpyAsync by bytes, back to back
  sm_copy_h2d_curve = { {1, 36145329561.470146}, {2, 51195000579.410866}, {4, 50837585610.592644}, {8, 50949976018.014183}, {16, 51080280970.269722}, {32, 51091481251.14576}, {64, 51041738755.97522} }, -- B/s by SMs, 65536-byte pages
  sm_copy_d2h_curve = { {1, 44155216278.715561}, {2, 52021727740.766457}, {4, 52360730483.296417}, {8, 52595791329.304619}, {16, 52451090918.615036}, {32, 52376421911.006126}, {64, 52274588133.533974} }, -- B/s by SMs, 65536-byte pages
  sm_copy_page_h2d_curve = { {256, 0.63389954975009066}, {4096, 0.99386701068447281}, {65536, 1} }, -- rate by page bytes over the 65536-byte page's, at 8 SMs
  sm_copy_page_d2h_curve = { {256, 0.98891365845482859}, {4096, 0.99476091243453113}, {65536, 1} }, -- rate by page bytes over the 65536-byte page's, at 8 SMs
  sm_copy_grid_h2d = {
    { 256, { {1, 4269368025.6465154}, {2, 8527920309.19977}, {4, 16872240174.562349}, {8, 32297166857.597107}, {16, 50635054519.491501}, {32, 50156702704.712288}, {64, 50284180308.95739} } },
    { 4096, { {1, 30940115354.856522}, {2, 50572781233.809952}, {4, 50820334185.708412}, {8, 50637500359.469337}, {16, 50677879454.541588}, {32, 50942552995.49041}, {64, 51142565937.196068} } },
    { 65536, { {1, 36145329561.470146}, {2, 51195000579.410866}, {4, 50837585610.592644}, {8, 50949976018.014183}, {16, 51080280970.269722}, {32, 51091481251.14576}, {64, 51041738755.97522} } },
  }, -- B/s by SMs, one row per page bytes
  sm_copy_grid_d2h = {
    { 256, { {1, 7492370856.2615652}, {2, 14877322097.163523}, {4, 29675278960.365803}, {8, 52012696422.789383}, {16, 51776415762.152397}, {32, 51647628137.533989}, {64, 52234228098.41803} } },
    { 4096, { {1, 43287549803.086578}, {2, 51614580060.763191}, {4, 52174450302.690796}, {8, 52320237372.955261}, {16, 52334595743.109665}, {32, 52290232822.878822}, {64, 52294143029.607895} } },
    { 65536, { {1, 44155216278.715561}, {2, 52021727740.766457}, {4, 52360730483.296417}, {8, 52595791329.304619}, {16, 52451090918.615036}, {32, 52376421911.006126}, {64, 52274588133.533974} } },
  }, -- B/s by SMs, one row per page bytes
  sm_copy_threads_grid_h2d = {
    { 128, { {1, 4845433235.5735102}, {2, 9357272640.468008}, {4, 19171507252.865372}, {8, 36316835428.39109}, {16, 51232520437.387337}, {32, 50919048738.683823}, {64, 50906690178.784454} } },
    { 256, { {1, 9626984847.2718697}, {2, 18948741870.79929}, {4, 36407625056.681755}, {8, 51311490021.380653}, {16, 51044224043.070282}, {32, 51036773534.718834}, {64, 50906690178.784454} } },
    { 512, { {1, 18840304400.084499}, {2, 36651962481.546211}, {4, 51171267498.748962}, {8, 50980940889.481148}, {16, 50889396429.860359}, {32, 51102686444.829697}, {64, 51125111583.556488} } },
    { 1024, { {1, 35842624120.977768}, {2, 51220009262.393776}, {4, 51002016291.774132}, {8, 50971030436.241432}, {16, 50787108077.565208}, {32, 51115140363.150604}, {64, 51095214223.822556} } },
  }, -- B/s by SMs, one row per threads per block, 64 KiB pages
  sm_copy_threads_grid_d2h = {
    { 128, { {1, 11921461322.056223}, {2, 23444178214.803745}, {4, 46410516108.668304}, {8, 51757250835.297646}, {16, 52169257437.704971}, {32, 52206921882.720406}, {64, 52205619532.36039} } },
    { 256, { {1, 22733601797.612896}, {2, 44854068173.194481}, {4, 51990777643.503105}, {8, 51905847277.514069}, {16, 52180940419.484184}, {32, 52326763812.362411}, {64, 52424865920.222191} } },
    { 512, { {1, 34727383595.787651}, {2, 52012696422.789383}, {4, 51925127218.307381}, {8, 52328067350.007919}, {16, 52557563903.851624}, {32, 52591835883.686043}, {64, 52553614205.68438} } },
    { 1024, { {1, 44209202835.74334}, {2, 52113511413.347054}, {4, 52132945961.417633}, {8, 52606348648.248199}, {16, 52531237255.265907}, {32, 52694910662.608208}, {64, 52502302511.895393} } },
  }, -- B/s by SMs, one row per threads per block, 64 KiB pages
  batch_h2d_curve = { {4096, 4.6087498776614666e-07}, {16384, 5.3650001063942909e-07}, {65536, 1.3864999637007713e-06}, {262144, 4.9182497896254066e-06}, {1048576, 1.9060125574469565e-05}, {4194304, 7.7344752848148348e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_d2h_curve = { {4096, 4.2225001379847525e-07}, {16384, 4.8524999874643987e-07}, {65536, 1.3296250253915787e-06}, {262144, 4.8668747767806052e-06}, {1048576, 1.9095875322818757e-05}, {4194304, 7.5949251651763922e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_call = 2.7066000001241264e-05, -- s of host time per batched call
  batch_call_curve = { {64, 2.7066000001241264e-05} }, -- s of host time per batched call by entries
  attn_block_table_curve = { {1, 1.1573059658712166}, {4, 1.0438677895956132}, {16, 1.0291554254569291}, {64, 1.0336140806818541}, {256, 1.0287808858113725} }, -- time over contiguous by tokens per block
  attn_offset_table_curve = { {1, 1.209612711856217}, {4, 1.074683360751054}, {16, 1.0269186708988629}, {64, 1.0278958493354549}, {256, 1.0252314760586143} }, -- time over contiguous by tokens per block
  source = "kvsim-calibrate on NVIDIA H100 80GB HBM3, driver API 13000, 2026-12-05 19:22 UTC",
}
