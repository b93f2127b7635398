-- Platform measured by kvsim-calibrate (kernels/calibrate.cu).
-- device: NVIDIA H100 80GB HBM3, 132 SMs, 85017493504 bytes (84465090560 free), 1 GPU(s), driver API 13000, 2026-12-05 19:30 UTC
-- pcie H2D 55.50 GB/s, D2H 55.33 GB/s at 256 MiB (pcie_bw = the lower)
-- copy fixed cost 2.25 us (median of time - bytes/bw, 4..64 KiB, both directions); 1-byte copies back to back 2.17 us each; 1-byte copy + sync round trip 5.51 us (median)
-- duplex (256 MiB each way at once): 91.33 GB/s aggregate (host_bw: a lower bound of host DRAM bandwidth for DMA)
-- device-to-device copy 256 MiB: 2967.6 GB/s counting read + write
-- HBM read stream, GB/s: unrolled x4, 1 GiB, 4 blocks/SM: 3184.3; weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM: 3363.1; weight read, 256 MiB once x 16 launches, 4 blocks/SM: 3045.5; weight read, 1 GiB once, 4 blocks/SM: 3147.6; weight read, 1 GiB once, 8 blocks/SM: 3150.1; weight read, 1 GiB once, 16 blocks/SM: 3152.5; weight read, 2 GiB once, 4 blocks/SM: 3162.6
-- HBM read stream: 3363.1 GB/s, the best (weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM) (hbm_bw)
-- bf16 matrix product 8192x8192x8192 (cuBLAS, random data): 797 TFLOP/s
-- kernel launch: 3.31 us each back to back; launch + sync round trip 8.40 us (median)
-- table write (4 KiB H2D from pinned memory between CUDA events on an idle stream, as the GPU backend does): median 4.05 us, p10 3.68, p90 4.45 (table_write); the same copies queued back to back 3.71 us; the former definition, 4 KiB H2D + kernel launch back to back, 6.79 us
-- table write right after a step (a read stream of a few ms on the same stream, then a host sync, then the event pair and the copy; 100 times): median 5.26 us, p10 4.58, p90 6.82
-- zero-copy dependent read of mapped host memory: 1.14 us each (pcie_lat = round trip)
-- host memcpy 256 MiB, one thread: 10.6 GB/s (one CPU core; not host_bw, which is the duplex DMA figure)
-- batch check: 768 entries (every size, both directions) equal their sources byte for byte
-- SM copy check: 559104 pages (every page size, both directions, 8 SMs) equal their sources byte for byte; threads per block: 1024, kv_transfer_launch's (the next table varies them)
-- SM copy with 1 SM, 64 KiB pages, mean of both directions: 40.11 GB/s (sm_copy_bw_per_sm)
-- SM copy both directions at once (kv_transfer_pair_launch, 8 SMs, 64 KiB pages, 64 MiB each way): 83.88 GB/s aggregate (sm_duplex_bw)
-- SM copy by threads check: 8192 pages (every block size, both directions, 8 SMs) equal their sources byte for byte
-- attention check: block-table and offset-table outputs equal the contiguous one at every block size (worst relative L2 0, tolerance 1e-05); contiguous vs float64 CPU reference on 4 requests 1.5e-07 (tolerance 1e-3)
-- vmm 2 MiB medians in isolation (us): reserve 0.43 create 7.80 map 0.62 set_access 19.52 unmap 14.14 release 9.21 addr_free 0.41
-- vmm 4 MiB medians in isolation (us): reserve 0.73 create 11.82 map 0.89 set_access 26.54 unmap 17.89 release 15.37 addr_free 0.70
-- vmm 8 MiB medians in isolation (us): reserve 0.76 create 12.26 map 0.97 set_access 26.77 unmap 18.10 release 19.35 addr_free 0.73
-- vmm 16 MiB medians in isolation (us): reserve 0.41 create 8.09 map 0.57 set_access 19.94 unmap 14.45 release 16.45 addr_free 0.43
-- vmm 64 MiB medians in isolation (us): reserve 2.28 create 8.79 map 0.69 set_access 34.58 unmap 22.09 release 37.77 addr_free 1.84
-- vmm 256 MiB medians in isolation (us): reserve 2.24 create 11.88 map 0.67 set_access 37.64 unmap 22.45 release 79.60 addr_free 1.79
-- vmm 1024 MiB medians in isolation (us): reserve 2.31 create 66.87 map 0.80 set_access 61.22 unmap 31.17 release 290.85 addr_free 2.15
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU idle, us median (p10/p90): reserve 0.45 (0.39/0.58) create 8.71 (8.47/9.49) map 0.76 (0.65/1.00) set_access 22.43 (21.80/23.96) unmap 16.78 (15.93/18.84) release 10.47 (10.09/11.73) addr_free 0.48 (0.44/0.63)
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU busy with a read stream, us median (p10/p90): reserve 0.46 (0.41/0.60) create 8.95 (8.63/9.56) map 0.74 (0.66/0.96) set_access 26.31 (22.09/29.05) unmap 25.82 (16.11/28.87) release 10.39 (9.95/11.01) addr_free 0.48 (0.43/0.59); 18 reads launched
-- vmm 2 MiB, 200 cycles among 128 live handles, each cycle right after a step, us median (p10/p90): reserve 0.93 (0.60/2.37) create 15.83 (9.47/215.65) map 1.33 (0.92/2.92) set_access 26.75 (23.36/45.67) unmap 20.52 (18.02/34.01) release 11.97 (10.70/21.41) addr_free 0.69 (0.49/1.88)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 16 live handles, GPU idle, us median (p10/p90): reserve 0.50 (0.43/0.70) create 8.15 (7.99/12.45) map 0.77 (0.67/1.11) set_access 20.16 (19.66/25.88) unmap 14.43 (14.00/17.66) release 9.95 (9.74/12.94) addr_free 0.45 (0.40/0.71)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 1024 live handles, GPU idle, us median (p10/p90): reserve 0.46 (0.41/0.64) create 8.41 (8.21/9.92) map 0.77 (0.65/1.06) set_access 22.10 (21.64/24.34) unmap 17.52 (16.55/21.81) release 10.98 (10.47/12.38) addr_free 0.42 (0.41/0.68)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 4096 live handles, GPU idle, us median (p10/p90): reserve 0.47 (0.41/0.63) create 8.78 (8.47/9.66) map 0.80 (0.68/0.96) set_access 23.13 (22.30/24.31) unmap 18.09 (16.98/19.86) release 11.45 (10.71/12.22) addr_free 0.46 (0.44/0.58)
-- vmm 64 MiB, 200 cycles among 32 live handles, GPU idle, us median (p10/p90): reserve 1.82 (1.67/2.24) create 9.54 (8.72/21.88) map 0.74 (0.64/0.95) set_access 21.28 (20.36/24.18) unmap 14.83 (14.17/16.29) release 26.72 (25.05/38.79) addr_free 2.09 (1.87/2.71)
-- vmm 64 MiB, 200 cycles among 32 live handles, each cycle right after a step, us median (p10/p90): reserve 2.89 (2.25/6.58) create 23.01 (21.24/61.80) map 1.20 (0.86/2.32) set_access 25.14 (22.38/40.15) unmap 17.84 (15.69/27.72) release 27.02 (25.48/46.00) addr_free 2.50 (2.04/5.79)
-- vmm growth, fresh range: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 14.31 (130.49/10.09/23.21; 11.54, 13.70) map 1.56 (3.10/1.09/3.09; 1.39, 1.50) set_access 32.10 (59.85/24.79/42.67; 26.64, 31.97) unmap 17.22 (74.34/16.12/19.54; 17.80, 17.46) release 10.17 (33.96/9.77/11.28; 10.31, 10.27)
-- vmm growth, same range again: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 10.09 (23.85/8.91/17.34; 11.34, 9.87) map 1.20 (3.55/0.94/2.06; 1.34, 1.17) set_access 24.25 (62.12/22.73/35.97; 26.60, 23.95) unmap 22.02 (68.30/19.77/24.71; 22.13, 22.44) release 14.45 (39.48/12.95/15.39; 14.42, 14.72)
-- vmm growth, new range, memory recycled: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 10.79 (37.38/9.11/25.68; 10.15, 10.22) map 1.30 (4.89/0.98/3.04; 1.27, 1.11) set_access 25.89 (75.98/23.22/46.23; 24.66, 24.59) unmap 16.80 (71.23/15.77/18.27; 17.45, 16.16) release 9.94 (31.77/9.51/10.48; 10.18, 9.68)
-- vmm growth, fresh range: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 10.14 (25.00/9.28/18.89; 9.80, 10.53) map 1.33 (3.82/0.98/2.14; 1.30, 1.24) set_access 25.36 (60.79/23.31/48.20; 24.97, 25.72) unmap 17.68 (53.28/14.90/24.21; 19.25, 15.73) release 26.31 (45.86/25.49/38.84; 26.58, 25.76)
-- vmm growth, same range again: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 9.72 (133.42/8.72/12.60; 9.34, 9.99) map 1.05 (2.79/0.86/1.40; 1.21, 0.98) set_access 24.51 (47.61/23.24/41.08; 24.88, 24.63) unmap 15.42 (42.79/14.31/22.50; 16.38, 14.70) release 25.88 (45.75/24.96/37.58; 26.21, 25.86)
-- vmm growth, new range, memory recycled: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 9.40 (138.31/8.75/17.51; 9.59, 9.68) map 1.00 (1.96/0.73/1.30; 1.12, 0.96) set_access 23.52 (48.20/22.49/40.85; 23.10, 24.20) unmap 15.19 (36.61/14.29/23.30; 15.91, 14.62) release 25.88 (37.54/24.98/37.32; 25.92, 25.63)
-- vmm after a gap, 2 MiB, nominal 0 ms, 12 cycles, us median @ ms since the call's last (median): reserve 0.55 @0.25 create 19.79 @0.23 map 0.59 @0.25 set_access 20.35 @0.23 unmap 14.38 @0.24 release 21.20 @0.23 addr_free 0.47 @0.25
-- vmm after a gap, 2 MiB, nominal 1 ms, 12 cycles, us median @ ms since the call's last (median): reserve 0.78 @2.34 create 9.11 @2.33 map 0.83 @2.34 set_access 20.69 @2.32 unmap 16.04 @2.33 release 9.28 @2.33 addr_free 0.53 @2.34
-- vmm after a gap, 2 MiB, nominal 2 ms, 12 cycles, us median @ ms since the call's last (median): reserve 0.75 @4.46 create 9.20 @4.45 map 0.86 @4.46 set_access 20.75 @4.44 unmap 15.78 @4.47 release 9.29 @4.47 addr_free 0.53 @4.48
-- vmm after a gap, 2 MiB, nominal 5 ms, 12 cycles, us median @ ms since the call's last (median): reserve 2.32 @10.41 create 20.42 @10.39 map 1.94 @10.41 set_access 36.50 @10.37 unmap 34.71 @10.38 release 19.78 @10.40 addr_free 1.41 @10.42
-- vmm after a gap, 2 MiB, nominal 10 ms, 12 cycles, us median @ ms since the call's last (median): reserve 3.62 @20.41 create 32.70 @20.39 map 3.48 @20.42 set_access 50.52 @20.38 unmap 43.92 @20.43 release 24.00 @20.44 addr_free 1.85 @20.47
-- vmm after a gap, 2 MiB, nominal 20 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.74 @40.42 create 13.94 @40.38 map 1.29 @40.40 set_access 28.69 @40.36 unmap 22.08 @40.40 release 12.39 @40.41 addr_free 0.80 @40.42
-- vmm after a gap, 2 MiB, nominal 50 ms, 12 cycles, us median @ ms since the call's last (median): reserve 7.84 @100.58 create 75.72 @100.51 map 7.28 @100.58 set_access 79.42 @100.50 unmap 63.49 @100.53 release 34.48 @100.54 addr_free 3.10 @100.56
-- vmm after a gap, 64 MiB, nominal 0 ms, 12 cycles, us median @ ms since the call's last (median): reserve 2.55 @0.25 create 8.57 @0.24 map 0.65 @0.25 set_access 35.33 @0.21 unmap 22.44 @0.23 release 36.23 @0.21 addr_free 1.95 @0.25
-- vmm after a gap, 64 MiB, nominal 1 ms, 12 cycles, us median @ ms since the call's last (median): reserve 3.09 @2.32 create 21.08 @2.30 map 0.78 @2.33 set_access 36.41 @2.29 unmap 23.77 @2.30 release 25.19 @2.30 addr_free 2.18 @2.33
-- vmm after a gap, 64 MiB, nominal 2 ms, 12 cycles, us median @ ms since the call's last (median): reserve 3.17 @4.40 create 21.15 @4.38 map 0.83 @4.40 set_access 36.83 @4.36 unmap 23.79 @4.38 release 24.88 @4.37 addr_free 2.29 @4.40
-- vmm after a gap, 64 MiB, nominal 5 ms, 12 cycles, us median @ ms since the call's last (median): reserve 8.12 @10.41 create 27.68 @10.40 map 1.45 @10.47 set_access 46.64 @10.42 unmap 40.20 @10.39 release 38.67 @10.43 addr_free 7.22 @10.49
-- vmm after a gap, 64 MiB, nominal 10 ms, 12 cycles, us median @ ms since the call's last (median): reserve 4.82 @20.48 create 21.90 @20.42 map 0.92 @20.46 set_access 38.14 @20.36 unmap 25.29 @20.46 release 24.94 @20.46 addr_free 2.49 @20.49
-- vmm after a gap, 64 MiB, nominal 20 ms, 12 cycles, us median @ ms since the call's last (median): reserve 35.50 @40.69 create 97.87 @40.63 map 7.57 @40.72 set_access 124.07 @40.61 unmap 115.87 @40.63 release 75.60 @40.69 addr_free 21.78 @40.74
-- vmm after a gap, 64 MiB, nominal 50 ms, 12 cycles, us median @ ms since the call's last (median): reserve 45.15 @100.80 create 123.93 @100.72 map 9.55 @100.84 set_access 143.88 @100.70 unmap 151.41 @100.73 release 84.45 @100.81 addr_free 28.61 @100.86
-- vmm after a gap of launches, 2 MiB, nominal 0 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.87 @0.22 create 18.99 @0.21 map 1.97 @0.23 set_access 38.77 @0.19 unmap 27.16 @0.20 release 18.81 @0.21 addr_free 1.13 @0.23
-- vmm after a gap of launches, 2 MiB, nominal 1 ms, 12 cycles, us median @ ms since the call's last (median): reserve 3.84 @2.40 create 32.22 @2.37 map 3.06 @2.40 set_access 50.63 @2.34 unmap 47.65 @2.37 release 23.82 @2.39 addr_free 1.87 @2.41
-- vmm after a gap of launches, 2 MiB, nominal 2 ms, 12 cycles, us median @ ms since the call's last (median): reserve 4.73 @4.45 create 37.43 @4.42 map 3.55 @4.45 set_access 55.50 @4.39 unmap 54.59 @4.41 release 25.81 @4.44 addr_free 1.99 @4.47
-- vmm after a gap of launches, 2 MiB, nominal 5 ms, 12 cycles, us median @ ms since the call's last (median): reserve 5.73 @10.44 create 43.15 @10.40 map 4.13 @10.44 set_access 62.62 @10.36 unmap 62.10 @10.45 release 30.75 @10.47 addr_free 2.51 @10.49
-- vmm after a gap of launches, 2 MiB, nominal 10 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.50 @20.36 create 12.06 @20.35 map 1.06 @20.36 set_access 25.26 @20.32 unmap 19.65 @20.32 release 11.36 @20.33 addr_free 0.61 @20.34
-- vmm after a gap of launches, 2 MiB, nominal 20 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.30 @40.27 create 11.86 @40.26 map 1.07 @40.29 set_access 24.10 @40.27 unmap 18.02 @40.26 release 10.80 @40.27 addr_free 0.57 @40.28
-- vmm after a gap of launches, 2 MiB, nominal 50 ms, 12 cycles, us median @ ms since the call's last (median): reserve 11.49 @100.56 create 87.55 @100.49 map 7.35 @100.56 set_access 94.75 @100.48 unmap 107.53 @100.48 release 41.59 @100.53 addr_free 3.65 @100.57
-- vmm after a gap of launches, 64 MiB, nominal 0 ms, 12 cycles, us median @ ms since the call's last (median): reserve 2.83 @0.24 create 8.56 @0.24 map 0.74 @0.24 set_access 35.53 @0.21 unmap 22.85 @0.22 release 36.68 @0.21 addr_free 2.14 @0.24
-- vmm after a gap of launches, 64 MiB, nominal 1 ms, 12 cycles, us median @ ms since the call's last (median): reserve 4.28 @2.31 create 22.77 @2.30 map 0.95 @2.32 set_access 38.37 @2.29 unmap 25.62 @2.28 release 25.51 @2.28 addr_free 2.91 @2.30
-- vmm after a gap of launches, 64 MiB, nominal 2 ms, 12 cycles, us median @ ms since the call's last (median): reserve 4.24 @4.38 create 22.88 @4.37 map 1.06 @4.39 set_access 39.03 @4.35 unmap 26.07 @4.34 release 26.12 @4.34 addr_free 3.02 @4.37
-- vmm after a gap of launches, 64 MiB, nominal 5 ms, 12 cycles, us median @ ms since the call's last (median): reserve 5.95 @10.38 create 26.30 @10.36 map 1.38 @10.38 set_access 43.37 @10.34 unmap 29.12 @10.37 release 27.30 @10.37 addr_free 3.64 @10.39
-- vmm after a gap of launches, 64 MiB, nominal 10 ms, 12 cycles, us median @ ms since the call's last (median): reserve 10.52 @20.39 create 30.06 @20.37 map 1.85 @20.41 set_access 52.40 @20.36 unmap 35.95 @20.38 release 33.40 @20.39 addr_free 6.52 @20.42
-- vmm after a gap of launches, 64 MiB, nominal 20 ms, 12 cycles, us median @ ms since the call's last (median): reserve 15.77 @40.44 create 40.58 @40.42 map 2.15 @40.46 set_access 64.26 @40.40 unmap 42.44 @40.41 release 35.15 @40.41 addr_free 9.58 @40.45
-- vmm after a gap of launches, 64 MiB, nominal 50 ms, 12 cycles, us median @ ms since the call's last (median): reserve 10.22 @100.37 create 32.01 @100.35 map 1.26 @100.38 set_access 49.99 @100.34 unmap 33.27 @100.40 release 29.20 @100.41 addr_free 7.88 @100.43
-- vmm growth on the launching thread, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 10.76 (47.86/9.72/12.16) map 1.21 (3.69/0.99/1.58) set_access 30.98 (84.40/29.19/34.55)
-- vmm growth on one thread kept for the series, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 12.19 (64.65/10.30/15.99) map 1.13 (5.97/0.78/5.12) set_access 31.95 (101.60/27.82/41.04)
-- vmm growth on a new thread per handle, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 43.25 (25.88/17.36/55.66) map 5.32 (3.78/1.92/9.03) set_access 63.98 (64.80/34.29/100.69)
-- vmm growth on the launching thread, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 12.30 (27.20/10.21/27.20) map 1.69 (3.51/1.18/3.39) set_access 30.02 (82.27/27.60/53.09)
-- vmm growth on one thread kept for the series, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 13.39 (108.59/12.08/25.00) map 1.57 (7.26/1.25/2.20) set_access 32.79 (127.66/30.27/53.71)
-- vmm growth on a new thread per handle, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 46.34 (105.34/28.52/72.68) map 5.21 (7.84/3.15/7.25) set_access 73.78 (124.60/52.55/91.39)
-- vmm reserve / free of 16 MiB ranges among live ranges, us median per window of calls (live: reserve free): 0: 0.33 0.34 32: 1.16 1.06 96: 1.42 1.08 160: 1.93 1.08 224: 2.41 0.99 288: 3.01 1.04 352: 3.22 1.09 416: 3.65 1.14 480: 3.95 1.12 544: 4.75 1.14 608: 4.81 1.13 672: 5.13 1.22 736: 6.23 1.16 800: 6.16 1.16 864: 6.68 1.17 928: 6.79 1.23 992: 7.02 1.93
-- vmm factors over isolation at the granularity (busy, after_step): reserve 0.888 1.794 create 1.148 2.030 map 1.189 2.133 set_access 1.348 1.371 unmap 1.825 1.451 release 1.128 1.299 free_va 1.367 1.964
return {
  name = "h100-measured",
  gpus_per_server = 1, -- cudaGetDeviceCount
  servers = 1, -- one machine
  hbm_bytes = 85017493504, -- cudaMemGetInfo total
  hbm_bw = 3.363e+12, -- best read stream (kernels and launch shapes above)
  d2d_bw = 2.968e+12, -- cudaMemcpyAsync D2D 256 MiB, read+write
  flops = 7.966e+14, -- cuBLAS bf16 GEMM
  sms = 132, -- device property
  kernel_launch = 3.309e-06, -- empty kernels back to back
  pcie_bw = 5.533e+10, -- min(H2D, D2H) at 256 MiB, pinned
  pcie_lat = 1.142e-06, -- zero-copy dependent read round trip
  copy_overhead = 2.253e-06, -- fixed cost per cudaMemcpyAsync
  sm_copy_bw_per_sm = 4.011e+10, -- kv_transfer_launch on 1 SM
  sm_duplex_bw = 8.388e+10, -- kv_transfer_pair_launch both ways at once, 8 SMs, aggregate
  gpus_per_uplink = 0, -- not measured: own link assumed
  uplink_bw = 0, -- not measured (gpus_per_uplink = 0)
  host_bw = 9.133e+10, -- duplex DMA aggregate: lower bound of host DRAM bw for DMA
  nvlink_bw = 0, -- not measured (one GPU)
  nvlink_lat = 0, -- not measured (one GPU)
  nic_bw = 0, -- no inter-server tier
  nic_lat = 0, -- no inter-server tier
  vmm_reserve = 9.34e-07, -- cuMemAddressReserve, granularity range, cycles after a step, median
  vmm_create = 1.583e-05, -- cuMemCreate, cycles after a step, median
  vmm_map = 1.328e-06, -- cuMemMap, cycles after a step, median
  vmm_set_access = 2.675e-05, -- cuMemSetAccess, cycles after a step, median
  vmm_unmap = 2.052e-05, -- cuMemUnmap, cycles after a step, median
  vmm_release = 1.197e-05, -- cuMemRelease, cycles after a step, median
  vmm_granularity = 2097152, -- cuMemGetAllocationGranularity minimum
  vmm_reserve_per_mib = 1.84e-09, -- size slope: (largest - smallest handle median) / MiB, isolation
  vmm_create_per_mib = 5.78e-08, -- size slope, isolation
  vmm_map_per_mib = 1.707e-10, -- size slope, isolation
  vmm_set_access_per_mib = 4.081e-08, -- size slope, isolation
  vmm_unmap_per_mib = 1.666e-08, -- size slope, isolation
  vmm_release_per_mib = 2.756e-07, -- size slope, isolation
  table_write = 5.264e-06, -- 4 KiB H2D from pinned right after a step, events, median
  -- measured curves (every raw one in h100-measured.curves.csv)
  vmm_reserve_curve = { {2097152, 5.2050000931558316e-07}, {4194304, 7.3100000008707866e-07}, {8388608, 7.554999683634378e-07}, {16777216, 4.1449993659625761e-07}, {67108864, 1.6595000147390238e-06}, {268435456, 2.240500066363893e-06}, {1073741824, 1.4969999710956472e-06}, {17179869184, 1.417500016032136e-06}, {274877906944, 1.2749999314110028e-06}, {1099511627776, 1.2919999790028669e-06} }, -- s per call by range bytes, isolation
  vmm_create_curve = { {2097152, 7.7990000590943964e-06}, {4194304, 1.1823999955140607e-05}, {8388608, 1.2260500000138563e-05}, {16777216, 8.0945000036081183e-06}, {67108864, 8.7930000063352054e-06}, {268435456, 1.1876999963078561e-05}, {1073741824, 6.6866999986814335e-05} }, -- s per call by handle bytes, isolation
  vmm_map_curve = { {2097152, 6.2250001064967364e-07}, {4194304, 8.9099995648211916e-07}, {8388608, 9.7249994723824784e-07}, {16777216, 5.6999999742401997e-07}, {67108864, 6.8700006750077591e-07}, {268435456, 6.7150000404581078e-07}, {1073741824, 7.9699998423166107e-07} }, -- s per call by handle bytes, isolation
  vmm_set_access_curve = { {2097152, 1.9516000008934498e-05}, {4194304, 2.653599995028344e-05}, {8388608, 2.6765500024339417e-05}, {16777216, 1.9942499989156204e-05}, {67108864, 3.4579999976358522e-05}, {268435456, 3.7641500000518135e-05}, {1073741824, 6.1220000020512089e-05} }, -- s per call by handle bytes, isolation
  vmm_unmap_curve = { {2097152, 1.4143499981855712e-05}, {4194304, 1.7892500011384982e-05}, {8388608, 1.8102500064287597e-05}, {16777216, 1.44525000109752e-05}, {67108864, 2.2093500035680336e-05}, {268435456, 2.245400003175746e-05}, {1073741824, 3.1167499969342316e-05} }, -- s per call by handle bytes, isolation
  vmm_release_curve = { {2097152, 9.2124999468978785e-06}, {4194304, 1.5371000017694314e-05}, {8388608, 1.9347499971900106e-05}, {16777216, 1.6453499995350285e-05}, {67108864, 3.7770000005821203e-05}, {268435456, 7.9596500029310846e-05}, {1073741824, 0.00029084949994739873} }, -- s per call by handle bytes, isolation
  vmm_free_va_curve = { {2097152, 3.5000005027541192e-07}, {4194304, 7.0200002255660365e-07}, {8388608, 7.3299997893627733e-07}, {16777216, 4.2549999079710688e-07}, {67108864, 1.3305000265972922e-06}, {268435456, 1.7904999936035892e-06}, {1073741824, 1.442000041151914e-06}, {17179869184, 1.4035000504009076e-06}, {274877906944, 2.1790000346300076e-06}, {1099511627776, 2.0474999473663047e-06} }, -- s per call by range bytes, isolation
  vmm_reserve_live = { {16, 0.95869356461523991}, {128, 0.86263211999301492}, {1024, 0.88952926769842477}, {4096, 0.91258399693427772} }, -- idle call among x live handles / isolated
  vmm_create_live = { {16, 1.0447493197229825}, {128, 1.1162328447525267}, {1024, 1.0780869241478916}, {4096, 1.1255930148265185} }, -- idle call among x live handles / isolated
  vmm_map_live = { {16, 1.2369478381055627}, {128, 1.2289156120424403}, {1024, 1.2297188163858068}, {4096, 1.2803213292210049} }, -- idle call among x live handles / isolated
  vmm_set_access_live = { {16, 1.0329985628978269}, {128, 1.1491852847674262}, {1024, 1.1325579002837984}, {4096, 1.185386349260348} }, -- idle call among x live handles / isolated
  vmm_unmap_live = { {16, 1.0199384898221786}, {128, 1.1863400178195789}, {1024, 1.2388022795225802}, {4096, 1.2790327706942106} }, -- idle call among x live handles / isolated
  vmm_release_live = { {16, 1.0804884736878955}, {128, 1.1366621493656492}, {1024, 1.1923473572789469}, {4096, 1.2426051647835035} }, -- idle call among x live handles / isolated
  vmm_free_va_live = { {16, 1.2885712587372382}, {128, 1.3699999317879072}, {1024, 1.197142692877001}, {4096, 1.3057139321250697} }, -- idle call among x live handles / isolated
  vmm_create_grow = { {2097152, 1.4312500013602403e-05}, {67108864, 1.0141499956262123e-05} }, -- s per call growing the pool, by handle bytes
  vmm_map_grow = { {2097152, 1.5599999869664316e-06}, {67108864, 1.327999996192375e-06} }, -- s per call growing the pool, by handle bytes
  vmm_set_access_grow = { {2097152, 3.2103499961522175e-05}, {67108864, 2.5364500061186845e-05} }, -- s per call growing the pool, by handle bytes
  vmm_reserve_live_va = { {32, 2.804584364149008}, {96, 3.420989692757503}, {160, 4.6525942270665226}, {224, 5.8021722554704089}, {288, 7.260556009632527}, {352, 7.7768406573815545}, {416, 8.8142354044728712}, {480, 9.5319675368488035}, {544, 11.44752892226507}, {608, 11.592281636213034}, {672, 12.367915073587897}, {736, 15.02533406656098}, {800, 14.866105957794613}, {864, 16.108566969648763}, {928, 16.37394692236381}, {992, 16.940895314839906} }, -- among x live ranges / none
  vmm_free_va_live_va = { {32, 2.4829613351190138}, {96, 2.5381904287971038}, {160, 2.5323149165550616}, {224, 2.3243243748726701}, {288, 2.4336076200909096}, {352, 2.5534665468791227}, {416, 2.6803760616393748}, {480, 2.6216216071792373}, {544, 2.6745005493973326}, {608, 2.663924867827359}, {672, 2.8554643492897913}, {736, 2.7332551374495271}, {800, 2.7367803646395186}, {864, 2.7426556096974473}, {928, 2.8895418126438202}, {992, 4.5252644621750795} }, -- among x live ranges / none
  vmm_reserve_gap = {
    { 2097152, { {0.00025000000000000001, 5.5150002253867569e-07}, {0.0023400000000000001, 7.8099992606439628e-07}, {0.0044600000000000004, 7.4500007940514479e-07}, {0.010410000000000001, 2.3170000531536061e-06}, {0.020410000000000001, 3.6170000612401054e-06}, {0.040419999999999998, 1.7400000160705531e-06}, {0.10058, 7.8379999877142836e-06} } },
    { 67108864, { {0.00025000000000000001, 2.5489999870842439e-06}, {0.00232, 3.0850000030113733e-06}, {0.0044000000000000003, 3.1680000347478199e-06}, {0.010410000000000001, 8.1160000036106794e-06}, {0.020480000000000002, 4.8150000111490954e-06}, {0.040689999999999997, 3.5496000009516138e-05}, {0.1008, 4.5148000026529189e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_create_gap = {
    { 2097152, { {0.00023000000000000001, 1.9793999967987475e-05}, {0.00233, 9.1130000328121241e-06}, {0.00445, 9.202999990520766e-06}, {0.01039, 2.0423000023583882e-05}, {0.020389999999999998, 3.2696000062060193e-05}, {0.040379999999999999, 1.3936000073044852e-05}, {0.10051, 7.5717000072472729e-05} } },
    { 67108864, { {0.00024000000000000001, 8.5695000393570808e-06}, {0.0023, 2.1078000031593547e-05}, {0.0043800000000000002, 2.1148999962861126e-05}, {0.0104, 2.7675000069393718e-05}, {0.020420000000000001, 2.1903999936512264e-05}, {0.040629999999999999, 9.7868000011658296e-05}, {0.10072, 0.00012392799999361159} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_map_gap = {
    { 2097152, { {0.00025000000000000001, 5.9199993529546191e-07}, {0.0023400000000000001, 8.2799999745475361e-07}, {0.0044600000000000004, 8.5799990756640909e-07}, {0.010410000000000001, 1.9420000398895354e-06}, {0.020420000000000001, 3.4800000321411062e-06}, {0.040399999999999998, 1.2890000107290689e-06}, {0.10058, 7.2779999982230947e-06} } },
    { 67108864, { {0.00025000000000000001, 6.5350002387276618e-07}, {0.00233, 7.7799995779059827e-07}, {0.0044000000000000003, 8.2700000803015428e-07}, {0.01047, 1.4450000662691309e-06}, {0.020459999999999999, 9.179999551633955e-07}, {0.040719999999999999, 7.5660000220523216e-06}, {0.10084, 9.5479999799863435e-06} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_set_access_gap = {
    { 2097152, { {0.00023000000000000001, 2.0353000024897483e-05}, {0.00232, 2.0687000073849049e-05}, {0.0044400000000000004, 2.0749999976032996e-05}, {0.010370000000000001, 3.6503000046650413e-05}, {0.020379999999999999, 5.051599998751044e-05}, {0.04036, 2.868800004307559e-05}, {0.10050000000000001, 7.942199999888544e-05} } },
    { 67108864, { {0.00021000000000000001, 3.5327499972481746e-05}, {0.0022899999999999999, 3.6406000049282738e-05}, {0.0043600000000000002, 3.6829999999099527e-05}, {0.01042, 4.6637999957965803e-05}, {0.02036, 3.8139000025694259e-05}, {0.04061, 0.00012407399992753199}, {0.1007, 0.00014388499994311132} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_unmap_gap = {
    { 2097152, { {0.00024000000000000001, 1.4377000013610086e-05}, {0.00233, 1.6039999991335208e-05}, {0.00447, 1.5783999970153673e-05}, {0.01038, 3.4707999930105871e-05}, {0.02043, 4.3915999981436471e-05}, {0.040399999999999998, 2.2076000050219591e-05}, {0.10052999999999999, 6.3494000073660573e-05} } },
    { 67108864, { {0.00023000000000000001, 2.2435000005316397e-05}, {0.0023, 2.3771999963173585e-05}, {0.0043800000000000002, 2.3794999947313045e-05}, {0.01039, 4.0201000047090929e-05}, {0.020459999999999999, 2.529100004267093e-05}, {0.040629999999999999, 0.00011586599998736347}, {0.10073, 0.00015141200003654376} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_release_gap = {
    { 2097152, { {0.00023000000000000001, 2.1202500022354798e-05}, {0.00233, 9.2770000037489808e-06}, {0.00447, 9.2910000830670469e-06}, {0.0104, 1.9780000002356246e-05}, {0.02044, 2.400400001079106e-05}, {0.040410000000000001, 1.2392000030558847e-05}, {0.10054, 3.4480999943298229e-05} } },
    { 67108864, { {0.00021000000000000001, 3.6234499930287711e-05}, {0.0023, 2.519099996334262e-05}, {0.0043699999999999998, 2.4875000008250936e-05}, {0.01043, 3.8667000012537756e-05}, {0.020459999999999999, 2.4942000095506955e-05}, {0.040689999999999997, 7.5595999987854157e-05}, {0.10081, 8.4452999999484746e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_free_va_gap = {
    { 2097152, { {0.00025000000000000001, 4.6999997493912815e-07}, {0.0023400000000000001, 5.3099995511729503e-07}, {0.0044799999999999996, 5.2700011110573541e-07}, {0.01042, 1.4050000345378066e-06}, {0.020469999999999999, 1.8459999182596221e-06}, {0.040419999999999998, 8.0400002389069414e-07}, {0.10056, 3.0950000109442044e-06} } },
    { 67108864, { {0.00025000000000000001, 1.9459999975879327e-06}, {0.00233, 2.1750000769316102e-06}, {0.0044000000000000003, 2.2859999262436759e-06}, {0.010489999999999999, 7.2249999902851414e-06}, {0.020490000000000001, 2.4940000002970919e-06}, {0.040739999999999998, 2.178299996558053e-05}, {0.10086000000000001, 2.8610000072148978e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_reserve_busy = 1.0289530480983917, -- busy / idle among the same live handles at the granularity
  vmm_create_busy = 1.0280856896956199, -- busy / idle among the same live handles at the granularity
  vmm_map_busy = 0.96732030903204047, -- busy / idle among the same live handles at the granularity
  vmm_set_access_busy = 1.1733140112091547, -- busy / idle among the same live handles at the granularity
  vmm_unmap_busy = 1.5385899024284531, -- busy / idle among the same live handles at the granularity
  vmm_release_busy = 0.99255121319810002, -- busy / idle among the same live handles at the granularity
  vmm_free_va_busy = 0.99791439796838433, -- busy / idle among the same live handles at the granularity
  vmm_reserve_after_step = 2.0801780806725803, -- after_step / idle among the same live handles at the granularity
  vmm_create_after_step = 1.8185055360808109, -- after_step / idle among the same live handles at the granularity
  vmm_map_after_step = 1.7352942356610801, -- after_step / idle among the same live handles at the granularity
  vmm_set_access_after_step = 1.1927990176666456, -- after_step / idle among the same live handles at the granularity
  vmm_unmap_after_step = 1.2230764631217861, -- after_step / idle among the same live handles at the granularity
  vmm_release_after_step = 1.14300720690846, -- after_step / idle among the same live handles at the granularity
  vmm_free_va_after_step = 1.433785069541011, -- after_step / idle among the same live handles at the granularity
  copy_h2d_curve = { {4096, 2.543152077123523e-06}, {16384, 2.9433600138872862e-06}, {65536, 3.7796800024807455e-06}, {262144, 7.2862398810684682e-06}, {1048576, 2.1839061751961707e-05}, {4194304, 7.8535750508308406e-05}, {16777216, 0.00030546951293945312}, {67108864, 0.0012109479904174804}, {268435456, 0.0048368401527404785} }, -- s per cudaMemcpyAsync by bytes, back to back
  copy_d2h_curve = { {4096, 1.8934559775516391e-06}, {16384, 2.0998399704694749e-06}, {65536, 3.2201600261032581e-06}, {262144, 6.3047362491488462e-06}, {1048576, 2.0471906289458276e-05}, {4194304, 7.7098250389099116e-05}, {16777216, 0.00030448600649833678}, {67108864, 0.0012146300077438355}, {268435456, 0.0048517122268676759} }, -- s per cudaMemcpyAsync by bytes, back to back
  sm_copy_h2d_curve = { {1, 36039111701.0457}, {2, 51271351422.707214}, {4, 50971030436.241432}, {8, 50938837686.048431}, {16, 51120125487.120216}, {32, 51131343250.000175}, {64, 51122618413.76223} }, -- B/s by SMs, 65536-byte pages
  sm_copy_d2h_curve = { {1, 44175680202.836349}, {2, 52054009441.690254}, {4, 52072103929.740997}, {8, 52533869713.688469}, {16, 52503619706.93959}, {32, 52320237372.955261}, {64, 52669761961.221313} }, -- B/s by SMs, 65536-byte pages
  sm_copy_page_h2d_curve = { {256, 0.62590272187416141}, {4096, 0.99784296301218789}, {65536, 1} }, -- rate by page bytes over the 65536-byte page's, at 8 SMs
  sm_copy_page_d2h_curve = { {256, 0.995461503740107}, {4096, 1.0003006705485311}, {65536, 1} }, -- rate by page bytes over the 65536-byte page's, at 8 SMs
  sm_copy_grid_h2d = {
    { 256, { {1, 4269037789.9799767}, {2, 8531493548.7583799}, {4, 16786482114.882582}, {8, 31882757156.803822}, {16, 50674207210.8797}, {32, 50102777980.667152}, {64, 50205934282.287132} } },
    { 4096, { {1, 31178389440.481033}, {2, 51253804401.127716}, {4, 50728139987.98925}, {8, 50828960729.043465}, {16, 51005740823.34317}, {32, 51031804653.309769}, {64, 51148801859.666107} } },
    { 65536, { {1, 36039111701.0457}, {2, 51271351422.707214}, {4, 50971030436.241432}, {8, 50938837686.048431}, {16, 51120125487.120216}, {32, 51131343250.000175}, {64, 51122618413.76223} } },
  }, -- B/s by SMs, one row per page bytes
  sm_copy_grid_d2h = {
    { 256, { {1, 7498532040.8033133}, {2, 14891267508.749121}, {4, 29717330514.140316}, {8, 52295444942.475189}, {16, 51420947689.314606}, {32, 51268843969.784569}, {64, 52097977097.369408} } },
    { 4096, { {1, 43347500172.389931}, {2, 52082452039.760857}, {4, 52292836324.041534}, {8, 52549665101.111748}, {16, 52455025220.83963}, {32, 52651249804.06588}, {64, 52325455476.077286} } },
    { 65536, { {1, 44175680202.836349}, {2, 52054009441.690254}, {4, 52072103929.740997}, {8, 52533869713.688469}, {16, 52503619706.93959}, {32, 52320237372.955261}, {64, 52669761961.221313} } },
  }, -- B/s by SMs, one row per page bytes
  sm_copy_threads_grid_h2d = {
    { 128, { {1, 4845533998.6459532}, {2, 9791219994.6575184}, {4, 19390782966.135654}, {8, 35081751388.193153}, {16, 51152543213.549591}, {32, 48568793149.837868}, {64, 50928943593.787201} } },
    { 256, { {1, 9645537533.4773083}, {2, 18858771804.296749}, {4, 35537721431.922012}, {8, 50480260008.2257}, {16, 50889396429.860359}, {32, 50858542629.690155}, {64, 50977224594.949669} } },
    { 512, { {1, 18389940514.566616}, {2, 35026673249.195808}, {4, 51241282829.996529}, {8, 50803099049.880623}, {16, 50961119222.080597}, {32, 51084012306.380684}, {64, 51133837270.88092} } },
    { 1024, { {1, 35020824836.843933}, {2, 51195000579.410866}, {4, 50826496359.110008}, {8, 50916575625.643257}, {16, 51002016291.774132}, {32, 51098947742.03466}, {64, 51158781569.506653} } },
  }, -- B/s by SMs, one row per threads per block, 64 KiB pages
  sm_copy_threads_grid_d2h = {
    { 128, { {1, 11920919066.859135}, {2, 23454402979.520279}, {4, 46526865944.539009}, {8, 51748311105.900154}, {16, 52075986397.737534}, {32, 51984334741.404068}, {64, 52175746262.574104} } },
    { 256, { {1, 22750865071.307144}, {2, 44835849043.57444}, {4, 51711305245.196945}, {8, 52151095378.873596}, {16, 52257657557.274048}, {32, 52278500855.596725}, {64, 52271986449.05275} } },
    { 512, { {1, 34800571807.615967}, {2, 51670534201.620377}, {4, 52029473427.97982}, {8, 52216020781.9049}, {16, 52249843786.116348}, {32, 52403905771.19873}, {64, 52405218033.58812} } },
    { 1024, { {1, 44151496972.436974}, {2, 52007540509.328613}, {4, 52182236701.807251}, {8, 52405218033.58812}, {16, 52549665101.111748}, {32, 52665795382.334526}, {64, 52667120793.781097} } },
  }, -- B/s by SMs, one row per threads per block, 64 KiB pages
  batch_h2d_curve = { {4096, 4.8237500595860179e-07}, {16384, 8.5399998351931573e-07}, {65536, 1.3702500145882368e-06}, {262144, 5.0092497840523725e-06}, {1048576, 1.916712522506714e-05}, {4194304, 7.5875997543334964e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_d2h_curve = { {4096, 4.3325001024641097e-07}, {16384, 4.9937498988583685e-07}, {65536, 1.3343750033527612e-06}, {262144, 4.8732501454651357e-06}, {1048576, 1.914449967443943e-05}, {4194304, 7.5941249728202822e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_call = 2.8533499971672427e-05, -- s of host time per batched call
  batch_call_curve = { {64, 2.8533499971672427e-05} }, -- s of host time per batched call by entries
  attn_block_table_curve = { {1, 1.1602658180723502}, {4, 1.0447945071821634}, {16, 1.0314601585861578}, {64, 1.0320191441001245}, {256, 1.0267098834646176} }, -- time over contiguous by tokens per block
  attn_offset_table_curve = { {1, 1.2105710185456329}, {4, 1.0709761936966768}, {16, 1.0292958432504273}, {64, 1.0257695967914391}, {256, 1.0228500784945156} }, -- time over contiguous by tokens per block
  source = "kvsim-calibrate on NVIDIA H100 80GB HBM3, driver API 13000, 2026-12-05 19:30 UTC",
}
