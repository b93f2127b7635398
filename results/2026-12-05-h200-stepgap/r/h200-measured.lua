-- Platform measured by kvsim-calibrate (kernels/calibrate.cu).
-- device: NVIDIA H200, 132 SMs, 150109880320 bytes (149557477376 free), 1 GPU(s), driver API 13000, 2026-12-05 19:42 UTC
-- pcie H2D 55.45 GB/s, D2H 55.29 GB/s at 256 MiB (pcie_bw = the lower)
-- copy fixed cost 2.23 us (median of time - bytes/bw, 4..64 KiB, both directions); 1-byte copies back to back 2.30 us each; 1-byte copy + sync round trip 6.00 us (median)
-- duplex (256 MiB each way at once): 101.22 GB/s aggregate (host_bw: a lower bound of host DRAM bandwidth for DMA)
-- device-to-device copy 256 MiB: 4128.8 GB/s counting read + write
-- HBM read stream, GB/s: unrolled x4, 1 GiB, 4 blocks/SM: 4593.7; weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM: 4814.8; weight read, 256 MiB once x 16 launches, 4 blocks/SM: 4272.5; weight read, 1 GiB once, 4 blocks/SM: 4477.7; weight read, 1 GiB once, 8 blocks/SM: 4504.1; weight read, 1 GiB once, 16 blocks/SM: 4496.3; weight read, 2 GiB once, 4 blocks/SM: 4491.1
-- HBM read stream: 4814.8 GB/s, the best (weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM) (hbm_bw)
-- bf16 matrix product 8192x8192x8192 (cuBLAS, random data): 785 TFLOP/s
-- kernel launch: 3.65 us each back to back; launch + sync round trip 8.53 us (median)
-- table write (4 KiB H2D from pinned memory between CUDA events on an idle stream, as the GPU backend does): median 4.00 us, p10 3.81, p90 4.06 (table_write); the same copies queued back to back 3.65 us; the former definition, 4 KiB H2D + kernel launch back to back, 5.19 us
-- table write right after a step (a read stream of a few ms on the same stream, then a host sync, then the event pair and the copy; 100 times): median 4.99 us, p10 4.58, p90 5.41
-- zero-copy dependent read of mapped host memory: 1.18 us each (pcie_lat = round trip)
-- host memcpy 256 MiB, one thread: 10.3 GB/s (one CPU core; not host_bw, which is the duplex DMA figure)
-- batch check: 768 entries (every size, both directions) equal their sources byte for byte
-- SM copy series: the 1024-thread, 64 KiB configuration measured twice disagrees by 2 % (h2d at 1 SMs: 36.55 vs 35.71 GB/s): measured again
-- SM copy check: 559104 pages (every page size, both directions, 8 SMs) equal their sources byte for byte; threads per block: 1024, kv_transfer_launch's (the next table varies them)
-- SM copy with 1 SM, 64 KiB pages, mean of both directions: 40.34 GB/s (sm_copy_bw_per_sm)
-- SM copy both directions at once (kv_transfer_pair_launch, 8 SMs, 64 KiB pages, 64 MiB each way): 83.72 GB/s aggregate (sm_duplex_bw)
-- SM copy by threads check: 8192 pages (every block size, both directions, 8 SMs) equal their sources byte for byte
-- SM copy series: the 1024-thread, 64 KiB configuration measured twice disagrees by 1 % (d2h at 2 SMs: 52.19 vs 51.71 GB/s): measured again
-- SM copy series: measured again, still 1 % apart (d2h at 2 SMs: 52.19 vs 51.71 GB/s): kept, an inconsistent calibration (a disturbed GPU or bus?)
-- attention check: block-table and offset-table outputs equal the contiguous one at every block size (worst relative L2 0, tolerance 1e-05); contiguous vs float64 CPU reference on 4 requests 1.5e-07 (tolerance 1e-3)
-- vmm 2 MiB medians in isolation (us): reserve 0.57 create 8.65 map 0.66 set_access 21.28 unmap 14.70 release 10.24 addr_free 0.44
-- vmm 4 MiB medians in isolation (us): reserve 0.51 create 8.25 map 0.66 set_access 20.60 unmap 14.24 release 11.15 addr_free 0.43
-- vmm 8 MiB medians in isolation (us): reserve 0.82 create 8.75 map 0.80 set_access 21.69 unmap 14.71 release 13.43 addr_free 0.56
-- vmm 16 MiB medians in isolation (us): reserve 0.71 create 8.73 map 0.75 set_access 21.30 unmap 15.26 release 17.03 addr_free 0.54
-- vmm 64 MiB medians in isolation (us): reserve 2.27 create 8.98 map 0.71 set_access 35.58 unmap 21.84 release 38.75 addr_free 1.84
-- vmm 256 MiB medians in isolation (us): reserve 2.21 create 11.77 map 0.72 set_access 37.80 unmap 22.13 release 81.16 addr_free 1.88
-- vmm 1024 MiB medians in isolation (us): reserve 2.47 create 66.49 map 0.89 set_access 64.06 unmap 30.98 release 298.96 addr_free 2.39
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU idle, us median (p10/p90): reserve 0.48 (0.41/0.70) create 8.64 (8.41/11.74) map 0.77 (0.65/1.12) set_access 22.71 (22.02/28.51) unmap 17.38 (16.26/22.04) release 10.82 (10.23/14.33) addr_free 0.43 (0.39/0.71)
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU busy with a read stream, us median (p10/p90): reserve 0.48 (0.39/0.73) create 9.13 (8.52/13.40) map 0.77 (0.65/1.25) set_access 23.93 (21.69/30.15) unmap 19.25 (16.22/23.28) release 10.44 (9.95/14.56) addr_free 0.46 (0.39/0.78); 26 reads launched
-- vmm 2 MiB, 200 cycles among 128 live handles, each cycle right after a step, us median (p10/p90): reserve 0.86 (0.55/1.85) create 11.89 (9.58/215.62) map 1.11 (0.84/2.10) set_access 25.55 (23.35/37.48) unmap 19.28 (17.67/28.16) release 11.67 (10.79/20.01) addr_free 0.58 (0.44/1.38)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 16 live handles, GPU idle, us median (p10/p90): reserve 0.50 (0.42/0.65) create 8.34 (8.15/9.51) map 0.75 (0.67/0.98) set_access 20.97 (20.31/24.64) unmap 14.48 (14.02/16.39) release 10.30 (10.10/10.82) addr_free 0.45 (0.40/0.58)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 1024 live handles, GPU idle, us median (p10/p90): reserve 0.42 (0.38/0.60) create 8.50 (8.33/8.99) map 0.79 (0.68/0.95) set_access 22.64 (22.27/23.75) unmap 17.23 (16.39/18.62) release 11.14 (10.69/11.72) addr_free 0.43 (0.41/0.51)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 4096 live handles, GPU idle, us median (p10/p90): reserve 0.42 (0.38/0.58) create 8.66 (8.43/9.26) map 0.80 (0.69/1.00) set_access 23.22 (22.68/24.44) unmap 17.53 (16.59/19.70) release 11.38 (10.90/12.22) addr_free 0.46 (0.43/0.61)
-- vmm 64 MiB, 200 cycles among 32 live handles, GPU idle, us median (p10/p90): reserve 2.06 (1.82/3.26) create 10.12 (8.93/23.28) map 0.89 (0.68/1.39) set_access 23.12 (21.33/29.25) unmap 15.79 (14.38/20.19) release 37.44 (26.08/56.48) addr_free 2.35 (1.86/3.95)
-- vmm 64 MiB, 200 cycles among 32 live handles, each cycle right after a step, us median (p10/p90): reserve 2.56 (2.10/4.56) create 22.51 (21.53/56.44) map 1.04 (0.85/1.56) set_access 24.74 (22.86/29.79) unmap 16.74 (15.40/20.68) release 26.91 (26.09/39.26) addr_free 2.34 (1.96/3.61)
-- vmm growth, fresh range: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 10.29 (76.85/9.16/14.15; 10.27, 10.98) map 1.13 (2.08/0.89/2.49; 1.15, 1.19) set_access 25.30 (52.27/23.39/31.46; 25.00, 26.64) unmap 17.83 (69.67/16.89/19.54; 18.18, 17.54) release 10.75 (33.77/10.37/11.42; 10.89, 10.65)
-- vmm growth, same range again: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 10.03 (29.29/9.08/12.78; 10.48, 9.77) map 1.10 (3.36/0.89/1.52; 1.19, 1.07) set_access 24.79 (77.59/23.35/28.60; 25.31, 24.17) unmap 18.69 (69.21/17.15/25.21; 18.12, 21.85) release 11.07 (33.12/10.30/15.81; 10.78, 14.82)
-- vmm growth, new range, memory recycled: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 9.64 (50.38/8.85/11.52; 9.55, 9.92) map 1.09 (6.44/0.86/1.42; 1.02, 1.12) set_access 24.23 (90.78/22.93/26.72; 24.06, 24.47) unmap 18.40 (69.15/17.02/23.29; 19.30, 18.92) release 10.87 (32.70/10.35/14.73; 11.15, 11.07)
-- vmm growth, fresh range: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 12.99 (32.25/9.87/33.34; 13.27, 20.31) map 1.64 (3.46/0.99/4.19; 1.89, 1.99) set_access 30.49 (73.88/25.14/55.54; 30.51, 40.63) unmap 20.41 (56.79/17.29/30.89; 19.24, 18.60) release 37.66 (45.47/26.46/55.43; 27.85, 27.05)
-- vmm growth, same range again: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 9.84 (116.27/9.19/21.63; 11.00, 10.02) map 1.08 (3.25/0.82/1.73; 1.21, 1.07) set_access 24.88 (65.42/23.89/41.93; 25.27, 24.82) unmap 16.99 (45.52/15.63/26.32; 17.71, 16.12) release 26.50 (41.81/25.61/40.30; 30.35, 26.04)
-- vmm growth, new range, memory recycled: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 10.68 (97.18/9.40/69.81; 17.13, 10.83) map 1.20 (2.61/0.87/1.83; 1.16, 1.24) set_access 26.52 (44.70/23.66/44.07; 24.19, 27.83) unmap 17.00 (45.33/15.80/26.52; 18.58, 16.06) release 26.45 (43.92/25.71/43.92; 26.62, 26.14)
-- vmm after a gap, 2 MiB, nominal 0 ms, 12 cycles, us median @ ms since the call's last (median): reserve 0.76 @0.20 create 19.94 @0.19 map 0.67 @0.20 set_access 21.36 @0.18 unmap 14.94 @0.19 release 21.20 @0.18 addr_free 0.46 @0.20
-- vmm after a gap, 2 MiB, nominal 1 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.07 @2.18 create 9.90 @2.17 map 0.95 @2.18 set_access 23.61 @2.15 unmap 16.77 @2.18 release 10.29 @2.17 addr_free 0.60 @2.18
-- vmm after a gap, 2 MiB, nominal 2 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.12 @4.21 create 11.71 @4.20 map 1.00 @4.21 set_access 26.74 @4.19 unmap 17.72 @4.20 release 10.40 @4.20 addr_free 0.59 @4.22
-- vmm after a gap, 2 MiB, nominal 5 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.93 @10.32 create 16.50 @10.31 map 1.65 @10.33 set_access 32.08 @10.30 unmap 21.95 @10.32 release 12.65 @10.33 addr_free 0.84 @10.34
-- vmm after a gap, 2 MiB, nominal 10 ms, 12 cycles, us median @ ms since the call's last (median): reserve 3.87 @20.32 create 30.43 @20.30 map 3.02 @20.32 set_access 46.73 @20.25 unmap 45.81 @20.30 release 24.16 @20.32 addr_free 2.03 @20.34
-- vmm after a gap, 2 MiB, nominal 20 ms, 12 cycles, us median @ ms since the call's last (median): reserve 3.41 @40.28 create 24.08 @40.26 map 2.12 @40.28 set_access 41.44 @40.24 unmap 28.61 @40.26 release 14.82 @40.28 addr_free 1.02 @40.29
-- vmm after a gap, 2 MiB, nominal 50 ms, 12 cycles, us median @ ms since the call's last (median): reserve 13.72 @100.59 create 96.61 @100.54 map 9.45 @100.63 set_access 103.76 @100.54 unmap 124.17 @100.51 release 45.42 @100.57 addr_free 4.71 @100.62
-- vmm after a gap, 64 MiB, nominal 0 ms, 12 cycles, us median @ ms since the call's last (median): reserve 3.71 @0.23 create 11.07 @0.22 map 0.96 @0.23 set_access 41.74 @0.19 unmap 24.00 @0.21 release 43.44 @0.19 addr_free 2.91 @0.24
-- vmm after a gap, 64 MiB, nominal 1 ms, 12 cycles, us median @ ms since the call's last (median): reserve 5.63 @2.36 create 32.40 @2.34 map 1.49 @2.36 set_access 50.02 @2.32 unmap 29.49 @2.35 release 30.73 @2.35 addr_free 4.64 @2.37
-- vmm after a gap, 64 MiB, nominal 2 ms, 12 cycles, us median @ ms since the call's last (median): reserve 10.11 @4.38 create 39.70 @4.36 map 2.85 @4.39 set_access 59.09 @4.32 unmap 53.79 @4.36 release 49.74 @4.34 addr_free 8.04 @4.38
-- vmm after a gap, 64 MiB, nominal 5 ms, 12 cycles, us median @ ms since the call's last (median): reserve 13.19 @10.52 create 48.78 @10.46 map 3.10 @10.50 set_access 73.62 @10.43 unmap 53.12 @10.46 release 43.24 @10.47 addr_free 9.53 @10.50
-- vmm after a gap, 64 MiB, nominal 10 ms, 12 cycles, us median @ ms since the call's last (median): reserve 21.74 @20.45 create 63.92 @20.40 map 4.75 @20.48 set_access 85.66 @20.40 unmap 72.92 @20.47 release 45.88 @20.47 addr_free 14.30 @20.50
-- vmm after a gap, 64 MiB, nominal 20 ms, 12 cycles, us median @ ms since the call's last (median): reserve 35.16 @40.61 create 87.85 @40.54 map 7.02 @40.63 set_access 108.85 @40.52 unmap 108.00 @40.54 release 61.47 @40.58 addr_free 21.40 @40.61
-- vmm after a gap, 64 MiB, nominal 50 ms, 12 cycles, us median @ ms since the call's last (median): reserve 39.37 @100.70 create 106.41 @100.63 map 8.64 @100.72 set_access 117.27 @100.60 unmap 136.65 @100.57 release 69.84 @100.64 addr_free 25.77 @100.69
-- vmm after a gap of launches, 2 MiB, nominal 0 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.59 @0.18 create 16.10 @0.16 map 1.60 @0.18 set_access 33.18 @0.14 unmap 21.74 @0.16 release 15.30 @0.16 addr_free 1.07 @0.18
-- vmm after a gap of launches, 2 MiB, nominal 1 ms, 12 cycles, us median @ ms since the call's last (median): reserve 4.18 @2.41 create 33.71 @2.38 map 3.95 @2.41 set_access 56.77 @2.36 unmap 44.81 @2.36 release 24.76 @2.39 addr_free 2.31 @2.42
-- vmm after a gap of launches, 2 MiB, nominal 2 ms, 12 cycles, us median @ ms since the call's last (median): reserve 5.16 @4.43 create 40.53 @4.40 map 4.91 @4.43 set_access 61.79 @4.38 unmap 52.94 @4.42 release 27.35 @4.46 addr_free 2.79 @4.48
-- vmm after a gap of launches, 2 MiB, nominal 5 ms, 12 cycles, us median @ ms since the call's last (median): reserve 6.87 @10.50 create 57.11 @10.45 map 5.77 @10.50 set_access 73.26 @10.44 unmap 73.32 @10.43 release 34.10 @10.46 addr_free 3.08 @10.49
-- vmm after a gap of launches, 2 MiB, nominal 10 ms, 12 cycles, us median @ ms since the call's last (median): reserve 8.81 @20.63 create 76.92 @20.56 map 7.42 @20.63 set_access 93.84 @20.54 unmap 93.65 @20.52 release 45.45 @20.57 addr_free 3.56 @20.61
-- vmm after a gap of launches, 2 MiB, nominal 20 ms, 12 cycles, us median @ ms since the call's last (median): reserve 11.64 @40.67 create 100.11 @40.59 map 9.39 @40.69 set_access 113.10 @40.58 unmap 124.58 @40.60 release 53.48 @40.67 addr_free 4.45 @40.72
-- vmm after a gap of launches, 2 MiB, nominal 50 ms, 12 cycles, us median @ ms since the call's last (median): reserve 12.86 @100.71 create 110.16 @100.61 map 10.22 @100.71 set_access 119.37 @100.60 unmap 140.58 @100.60 release 54.93 @100.70 addr_free 4.80 @100.75
-- vmm after a gap of launches, 64 MiB, nominal 0 ms, 12 cycles, us median @ ms since the call's last (median): reserve 6.41 @0.28 create 17.38 @0.27 map 1.74 @0.28 set_access 53.53 @0.23 unmap 31.75 @0.25 release 70.92 @0.21 addr_free 5.07 @0.27
-- vmm after a gap of launches, 64 MiB, nominal 1 ms, 12 cycles, us median @ ms since the call's last (median): reserve 15.69 @2.63 create 58.60 @2.59 map 3.86 @2.65 set_access 78.33 @2.56 unmap 53.23 @2.59 release 58.81 @2.58 addr_free 11.55 @2.63
-- vmm after a gap of launches, 64 MiB, nominal 2 ms, 12 cycles, us median @ ms since the call's last (median): reserve 17.53 @4.55 create 63.50 @4.51 map 4.54 @4.56 set_access 82.34 @4.49 unmap 59.46 @4.54 release 60.22 @4.54 addr_free 12.57 @4.59
-- vmm after a gap of launches, 64 MiB, nominal 5 ms, 12 cycles, us median @ ms since the call's last (median): reserve 20.23 @10.55 create 68.72 @10.49 map 5.02 @10.55 set_access 84.98 @10.47 unmap 72.31 @10.54 release 62.14 @10.54 addr_free 13.80 @10.59
-- vmm after a gap of launches, 64 MiB, nominal 10 ms, 12 cycles, us median @ ms since the call's last (median): reserve 22.74 @20.56 create 72.86 @20.50 map 5.52 @20.56 set_access 91.40 @20.48 unmap 79.06 @20.53 release 64.65 @20.55 addr_free 14.69 @20.59
-- vmm after a gap of launches, 64 MiB, nominal 20 ms, 12 cycles, us median @ ms since the call's last (median): reserve 35.30 @40.68 create 100.88 @40.61 map 8.53 @40.71 set_access 121.95 @40.60 unmap 114.11 @40.61 release 78.82 @40.63 addr_free 24.73 @40.68
-- vmm after a gap of launches, 64 MiB, nominal 50 ms, 12 cycles, us median @ ms since the call's last (median): reserve 43.45 @100.84 create 127.23 @100.74 map 9.59 @100.86 set_access 140.61 @100.73 unmap 149.93 @100.75 release 85.06 @100.82 addr_free 27.62 @100.88
-- vmm growth on the launching thread, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 22.24 (79.25/18.32/27.98) map 2.58 (7.55/1.89/3.33) set_access 46.84 (116.42/40.75/53.71)
-- vmm growth on one thread kept for the series, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 14.22 (64.91/11.21/20.61) map 1.42 (5.84/0.86/5.62) set_access 31.86 (94.44/28.59/44.19)
-- vmm growth on a new thread per handle, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 38.15 (91.66/21.86/61.81) map 5.01 (11.32/2.52/8.54) set_access 67.30 (151.62/43.88/94.57)
-- vmm growth on the launching thread, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 21.70 (41.06/17.73/25.97) map 2.59 (4.52/1.86/3.41) set_access 44.60 (89.14/38.77/65.60)
-- vmm growth on one thread kept for the series, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 25.34 (142.62/20.47/30.18) map 2.84 (7.40/2.30/3.44) set_access 51.00 (120.17/42.63/73.36)
-- vmm growth on a new thread per handle, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 59.84 (114.87/24.52/69.78) map 7.00 (7.29/2.31/8.42) set_access 79.61 (133.74/49.54/112.75)
-- vmm reserve / free of 16 MiB ranges among live ranges, us median per window of calls (live: reserve free): 0: 1.05 0.77 32: 2.48 2.67 96: 4.50 3.18 160: 3.36 2.24 224: 3.94 2.19 288: 5.02 2.11 352: 5.27 2.20 416: 5.97 2.23 480: 6.41 2.14 544: 6.93 3.46 608: 7.17 2.33 672: 8.22 2.40 736: 8.32 2.53 800: 9.88 2.35 864: 10.49 2.36 928: 11.12 2.46 992: 11.70 2.50
-- vmm factors over isolation at the granularity (busy, after_step): reserve 0.678 1.209 create 1.055 1.376 map 1.163 1.679 set_access 1.125 1.201 unmap 1.309 1.311 release 1.019 1.140 free_va 0.643 0.808
return {
  name = "h200-measured",
  gpus_per_server = 1, -- cudaGetDeviceCount
  servers = 1, -- one machine
  hbm_bytes = 150109880320, -- cudaMemGetInfo total
  hbm_bw = 4.815e+12, -- best read stream (kernels and launch shapes above)
  d2d_bw = 4.129e+12, -- cudaMemcpyAsync D2D 256 MiB, read+write
  flops = 7.85e+14, -- cuBLAS bf16 GEMM
  sms = 132, -- device property
  kernel_launch = 3.645e-06, -- empty kernels back to back
  pcie_bw = 5.529e+10, -- min(H2D, D2H) at 256 MiB, pinned
  pcie_lat = 1.176e-06, -- zero-copy dependent read round trip
  copy_overhead = 2.231e-06, -- fixed cost per cudaMemcpyAsync
  sm_copy_bw_per_sm = 4.034e+10, -- kv_transfer_launch on 1 SM
  sm_duplex_bw = 8.372e+10, -- kv_transfer_pair_launch both ways at once, 8 SMs, aggregate
  gpus_per_uplink = 0, -- not measured: own link assumed
  uplink_bw = 0, -- not measured (gpus_per_uplink = 0)
  host_bw = 1.012e+11, -- duplex DMA aggregate: lower bound of host DRAM bw for DMA
  nvlink_bw = 0, -- not measured (one GPU)
  nvlink_lat = 0, -- not measured (one GPU)
  nic_bw = 0, -- no inter-server tier
  nic_lat = 0, -- no inter-server tier
  vmm_reserve = 8.605e-07, -- cuMemAddressReserve, granularity range, cycles after a step, median
  vmm_create = 1.189e-05, -- cuMemCreate, cycles after a step, median
  vmm_map = 1.107e-06, -- cuMemMap, cycles after a step, median
  vmm_set_access = 2.555e-05, -- cuMemSetAccess, cycles after a step, median
  vmm_unmap = 1.928e-05, -- cuMemUnmap, cycles after a step, median
  vmm_release = 1.167e-05, -- cuMemRelease, cycles after a step, median
  vmm_granularity = 2097152, -- cuMemGetAllocationGranularity minimum
  vmm_reserve_per_mib = 1.862e-09, -- size slope: (largest - smallest handle median) / MiB, isolation
  vmm_create_per_mib = 5.66e-08, -- size slope, isolation
  vmm_map_per_mib = 2.226e-10, -- size slope, isolation
  vmm_set_access_per_mib = 4.186e-08, -- size slope, isolation
  vmm_unmap_per_mib = 1.593e-08, -- size slope, isolation
  vmm_release_per_mib = 2.825e-07, -- size slope, isolation
  table_write = 4.992e-06, -- 4 KiB H2D from pinned right after a step, events, median
  -- measured curves (every raw one in h200-measured.curves.csv)
  vmm_reserve_curve = { {2097152, 7.1200000206772529e-07}, {4194304, 5.1450000171371357e-07}, {8388608, 8.2049999861055767e-07}, {16777216, 7.0550000330626972e-07}, {67108864, 3.0499999965627467e-06}, {268435456, 2.2064999996018742e-06}, {1073741824, 2.5644999936957902e-06}, {17179869184, 2.5375000021199412e-06}, {274877906944, 2.5439999973286831e-06}, {1099511627776, 2.4899999999661304e-06} }, -- s per call by range bytes, isolation
  vmm_create_curve = { {2097152, 8.6460000048305119e-06}, {4194304, 8.2544999955302956e-06}, {8388608, 8.7459999988936943e-06}, {16777216, 8.7265000026093276e-06}, {67108864, 8.9815000023918401e-06}, {268435456, 1.1772000000576099e-05}, {1073741824, 6.6488500003458739e-05} }, -- s per call by handle bytes, isolation
  vmm_map_curve = { {2097152, 6.5900000123519931e-07}, {4194304, 6.5900000123519931e-07}, {8388608, 8.0049999695575025e-07}, {16777216, 7.5299999480193947e-07}, {67108864, 7.1450000049821938e-07}, {268435456, 7.2299999942515569e-07}, {1073741824, 8.8650000051870848e-07} }, -- s per call by handle bytes, isolation
  vmm_set_access_curve = { {2097152, 2.1278000001956343e-05}, {4194304, 2.060049999741409e-05}, {8388608, 2.169100000060098e-05}, {16777216, 2.1299000000141177e-05}, {67108864, 3.557899999862002e-05}, {268435456, 3.7800499999463e-05}, {1073741824, 6.4062000003417552e-05} }, -- s per call by handle bytes, isolation
  vmm_unmap_curve = { {2097152, 1.470249999968587e-05}, {4194304, 1.4239999998721942e-05}, {8388608, 1.4705499999934091e-05}, {16777216, 1.5258499999504238e-05}, {67108864, 2.1836500000205206e-05}, {268435456, 2.2129499999579139e-05}, {1073741824, 3.0979499999972404e-05} }, -- s per call by handle bytes, isolation
  vmm_release_curve = { {2097152, 1.0237000001467322e-05}, {4194304, 1.1153500004468242e-05}, {8388608, 1.3429500000938788e-05}, {16777216, 1.7029999998641188e-05}, {67108864, 3.8745000001227936e-05}, {268435456, 8.1155499998430969e-05}, {1073741824, 0.00029896250000049918} }, -- s per call by handle bytes, isolation
  vmm_free_va_curve = { {2097152, 7.1399999512777867e-07}, {4194304, 4.2650000153798828e-07}, {8388608, 5.6100000023207031e-07}, {16777216, 5.3649999642857438e-07}, {67108864, 2.5135000001341723e-06}, {268435456, 1.8830000030334304e-06}, {1073741824, 2.4595000027716196e-06}, {17179869184, 2.5969999981612091e-06}, {274877906944, 3.9915000016321756e-06}, {1099511627776, 3.7434999953234183e-06} }, -- s per call by range bytes, isolation
  vmm_reserve_live = { {16, 0.70084269769444452}, {128, 0.68047752503435655}, {1024, 0.59269662663450273}, {4096, 0.59410112112865487} }, -- idle call among x live handles / isolated
  vmm_create_live = { {16, 0.96414526900762942}, {128, 0.99971084830736467}, {1024, 0.98253527622585113}, {4096, 1.0011566038941826} }, -- idle call among x live handles / isolated
  vmm_map_live = { {16, 1.1388467352313449}, {128, 1.166160849731479}, {1024, 1.2048558371867337}, {4096, 1.2154779982167425} }, -- idle call among x live handles / isolated
  vmm_set_access_live = { {16, 0.9855249551584061}, {128, 1.0673230564820591}, {1024, 1.063939279698622}, {4096, 1.091267976176258} }, -- idle call among x live handles / isolated
  vmm_unmap_live = { {16, 0.98473048807753205}, {128, 1.18241795624545}, {1024, 1.1721816018825089}, {4096, 1.1920081618199136} }, -- idle call among x live handles / isolated
  vmm_release_live = { {16, 1.006300674025441}, {128, 1.0568525933704682}, {1024, 1.0884048057624907}, {4096, 1.1112142229061066} }, -- idle call among x live handles / isolated
  vmm_free_va_live = { {16, 0.63585434892859216}, {128, 0.5959383814548902}, {1024, 0.60224090053987911}, {4096, 0.64565827137530007} }, -- idle call among x live handles / isolated
  vmm_create_grow = { {2097152, 1.0288000002134368e-05}, {67108864, 1.2990500003695615e-05} }, -- s per call growing the pool, by handle bytes
  vmm_map_grow = { {2097152, 1.1299999975733499e-06}, {67108864, 1.6350000002773868e-06} }, -- s per call growing the pool, by handle bytes
  vmm_set_access_grow = { {2097152, 2.5296499998717081e-05}, {67108864, 3.0488500001979446e-05} }, -- s per call growing the pool, by handle bytes
  vmm_reserve_live_va = { {32, 3.5145286928510946}, {96, 6.3819985595067985}, {160, 4.7696668773737247}, {224, 5.5868178299413609}, {288, 7.1112685596367706}, {352, 7.4748405051879265}, {416, 8.4670446126214429}, {480, 9.0878808869730605}, {544, 9.8242380850531941}, {608, 10.160170039170543}, {672, 11.652728498947962}, {736, 11.793054514787263}, {800, 14.00779582710188}, {864, 14.869595965611888}, {928, 15.756201206304159}, {992, 16.588943944004761} }, -- among x live ranges / none
  vmm_free_va_live_va = { {32, 4.9832246355246843}, {96, 5.9179869981141282}, {160, 4.1817334837750311}, {224, 4.0885368437667626}, {288, 3.9375582853640831}, {352, 4.1006523987565329}, {416, 4.1500466282912667}, {480, 3.9841565921241773}, {544, 6.4566635943142909}, {608, 4.3383038612389093}, {672, 4.4762348815642463}, {736, 4.711090421271984}, {800, 4.3858341378425365}, {864, 4.4035415118935051}, {928, 4.5834110162493511}, {992, 4.6616962049812898} }, -- among x live ranges / none
  vmm_reserve_gap = {
    { 2097152, { {0.00020000000000000001, 7.5950000066882239e-07}, {0.0021800000000000001, 1.0680000031015879e-06}, {0.0042100000000000002, 1.124999997159648e-06}, {0.010319999999999999, 1.9330000000650216e-06}, {0.020320000000000001, 3.8729999971565121e-06}, {0.040280000000000003, 3.4130000017285056e-06}, {0.10059, 1.3719999998329513e-05} } },
    { 67108864, { {0.00023000000000000001, 3.7080000012679193e-06}, {0.0023600000000000001, 5.6339999972010446e-06}, {0.0043800000000000002, 1.0105999997733761e-05}, {0.01052, 1.3189000000579654e-05}, {0.020449999999999999, 2.1740999997632571e-05}, {0.04061, 3.5158000002866174e-05}, {0.1007, 3.9365999995766288e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_create_gap = {
    { 2097152, { {0.00019000000000000001, 1.9939499999566124e-05}, {0.0021700000000000001, 9.9009999985355535e-06}, {0.0041999999999999997, 1.1706999998750689e-05}, {0.01031, 1.6500000000974069e-05}, {0.020299999999999999, 3.0432999999163712e-05}, {0.040259999999999997, 2.4083999996094008e-05}, {0.10054, 9.6612000000106946e-05} } },
    { 67108864, { {0.00022000000000000001, 1.1073999999666739e-05}, {0.0023400000000000001, 3.2395000005180918e-05}, {0.0043600000000000002, 3.9701000005720744e-05}, {0.010460000000000001, 4.8776999996391623e-05}, {0.020400000000000001, 6.3917000005631053e-05}, {0.04054, 8.7852999996584913e-05}, {0.10063, 0.00010640800000771833} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_map_gap = {
    { 2097152, { {0.00020000000000000001, 6.7499999900633156e-07}, {0.0021800000000000001, 9.5200000060913226e-07}, {0.0042100000000000002, 9.9700000077973527e-07}, {0.010330000000000001, 1.6460000011875309e-06}, {0.020320000000000001, 3.023999994411497e-06}, {0.040280000000000003, 2.1190000012438759e-06}, {0.10063, 9.4489999966640426e-06} } },
    { 67108864, { {0.00023000000000000001, 9.6149999961880894e-07}, {0.0023600000000000001, 1.488000002325407e-06}, {0.0043899999999999998, 2.8500000013309545e-06}, {0.010500000000000001, 3.0969999968988304e-06}, {0.020480000000000002, 4.7500000022182576e-06}, {0.040629999999999999, 7.0210000018278151e-06}, {0.10072, 8.6400000043340697e-06} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_set_access_gap = {
    { 2097152, { {0.00018000000000000001, 2.1358499999735159e-05}, {0.00215, 2.3611999999673117e-05}, {0.0041900000000000001, 2.67449999995506e-05}, {0.0103, 3.207999999688127e-05}, {0.020250000000000001, 4.6728000000939574e-05}, {0.040239999999999998, 4.1440000003944988e-05}, {0.10054, 0.00010376099999831467} } },
    { 67108864, { {0.00019000000000000001, 4.174000000034539e-05}, {0.00232, 5.0020999999844662e-05}, {0.0043200000000000001, 5.9089000004064474e-05}, {0.01043, 7.3616999998193933e-05}, {0.020400000000000001, 8.5659999996323677e-05}, {0.04052, 0.00010884799999644201}, {0.10059999999999999, 0.00011726700000735946} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_unmap_gap = {
    { 2097152, { {0.00019000000000000001, 1.4943000000045004e-05}, {0.0021800000000000001, 1.6768000001832206e-05}, {0.0041999999999999997, 1.7716999998640404e-05}, {0.010319999999999999, 2.1947000000466232e-05}, {0.020299999999999999, 4.5813000006944549e-05}, {0.040259999999999997, 2.860899999745925e-05}, {0.10051, 0.00012416500000256292} } },
    { 67108864, { {0.00021000000000000001, 2.3999499997984231e-05}, {0.0023500000000000001, 2.9488000002686476e-05}, {0.0043600000000000002, 5.3785000005746042e-05}, {0.010460000000000001, 5.311800000384892e-05}, {0.020469999999999999, 7.2915000004059038e-05}, {0.04054, 0.00010800099998675705}, {0.10057000000000001, 0.00013665100000537223} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_release_gap = {
    { 2097152, { {0.00018000000000000001, 2.1204499997651283e-05}, {0.0021700000000000001, 1.0285000001886146e-05}, {0.0041999999999999997, 1.0402000000908629e-05}, {0.010330000000000001, 1.2649000005637845e-05}, {0.020320000000000001, 2.4162999999077783e-05}, {0.040280000000000003, 1.4817999996807885e-05}, {0.10057000000000001, 4.5419999999296579e-05} } },
    { 67108864, { {0.00019000000000000001, 4.3444500001044162e-05}, {0.0023500000000000001, 3.0726999995067672e-05}, {0.0043400000000000001, 4.9742999998159121e-05}, {0.01047, 4.3243000000359189e-05}, {0.020469999999999999, 4.5884999998691001e-05}, {0.040579999999999998, 6.1471999998730098e-05}, {0.10063999999999999, 6.9835000005014081e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_free_va_gap = {
    { 2097152, { {0.00020000000000000001, 4.590000024506935e-07}, {0.0021800000000000001, 6.0100000354168515e-07}, {0.0042199999999999998, 5.8699999527789259e-07}, {0.01034, 8.4199999861311881e-07}, {0.02034, 2.0319999975981773e-06}, {0.040289999999999999, 1.0210000027655042e-06}, {0.10062, 4.7099999989086427e-06} } },
    { 67108864, { {0.00024000000000000001, 2.9095000009249361e-06}, {0.0023700000000000001, 4.6390000036922174e-06}, {0.0043800000000000002, 8.043000001123346e-06}, {0.010500000000000001, 9.5270000031177915e-06}, {0.020500000000000001, 1.4297999996415456e-05}, {0.04061, 2.1401999987347153e-05}, {0.10069, 2.577099999712118e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_reserve_busy = 0.9969040281731002, -- busy / idle among the same live handles at the granularity
  vmm_create_busy = 1.0557066006334577, -- busy / idle among the same live handles at the granularity
  vmm_map_busy = 0.99739752744072585, -- busy / idle among the same live handles at the granularity
  vmm_set_access_busy = 1.0538077100104497, -- busy / idle among the same live handles at the granularity
  vmm_unmap_busy = 1.107106905438811, -- busy / idle among the same live handles at the granularity
  vmm_release_busy = 0.96464553120422358, -- busy / idle among the same live handles at the granularity
  vmm_free_va_busy = 1.0787309068880671, -- busy / idle among the same live handles at the granularity
  vmm_reserve_after_step = 1.7760577983179953, -- after_step / idle among the same live handles at the granularity
  vmm_create_after_step = 1.3760050904338756, -- after_step / idle among the same live handles at the granularity
  vmm_map_after_step = 1.4398178255339749, -- after_step / idle among the same live handles at the granularity
  vmm_set_access_after_step = 1.1249862399514148, -- after_step / idle among the same live handles at the granularity
  vmm_unmap_after_step = 1.1089188644153452, -- after_step / idle among the same live handles at the granularity
  vmm_release_after_step = 1.0784268420823626, -- after_step / idle among the same live handles at the granularity
  vmm_free_va_after_step = 1.3560516945471472, -- after_step / idle among the same live handles at the granularity
  copy_h2d_curve = { {4096, 2.6165759190917015e-06}, {16384, 2.9241279698908328e-06}, {65536, 3.9542559534311298e-06}, {262144, 7.3710717260837561e-06}, {1048576, 2.1705312654376032e-05}, {4194304, 7.8302122652530666e-05}, {16777216, 0.00030511450767517088}, {67108864, 0.0012117719650268555}, {268435456, 0.0048414239883422848} }, -- s per cudaMemcpyAsync by bytes, back to back
  copy_d2h_curve = { {4096, 1.9050559494644404e-06}, {16384, 2.1165439393371346e-06}, {65536, 3.10459197498858e-06}, {262144, 6.1663361266255378e-06}, {1048576, 2.0616687834262848e-05}, {4194304, 7.8161373734474181e-05}, {16777216, 0.00030452200770378113}, {67108864, 0.001214359998703003}, {268435456, 0.0048550162315368654} }, -- s per cudaMemcpyAsync by bytes, back to back
  sm_copy_h2d_curve = { {1, 35739395973.450699}, {2, 51275110726.860802}, {4, 51004497712.005905}, {8, 50956165060.271385}, {16, 51059140849.620903}, {32, 51151297584.02774}, {64, 51131343250.000175} }, -- B/s by SMs, 65536-byte pages
  sm_copy_d2h_curve = { {1, 44946355262.76889}, {2, 52190030263.759415}, {4, 52169257437.704971}, {8, 52527286611.676872}, {16, 52313707699.962479}, {32, 52503619706.93959}, {64, 52523341462.701889} }, -- B/s by SMs, 65536-byte pages
  sm_copy_page_h2d_curve = { {256, 0.62289623607667721}, {4096, 0.99832626258646551}, {65536, 1} }, -- rate by page bytes over the 65536-byte page's, at 8 SMs
  sm_copy_page_d2h_curve = { {256, 0.99049823587517161}, {4096, 1.0008774837993293}, {65536, 1} }, -- rate by page bytes over the 65536-byte page's, at 8 SMs
  sm_copy_grid_h2d = {
    { 256, { {1, 4203189534.0005398}, {2, 8375943149.8945637}, {4, 16580242058.33913}, {8, 31740403420.944935}, {16, 50382029380.732094}, {32, 50181905828.742012}, {64, 50056138408.129486} } },
    { 4096, { {1, 32174282919.578629}, {2, 51275110726.860802}, {4, 51005740823.34317}, {8, 50870877820.359772}, {16, 50906690178.784454}, {32, 50975982873.201317}, {64, 51101438603.544212} } },
    { 65536, { {1, 35739395973.450699}, {2, 51275110726.860802}, {4, 51004497712.005905}, {8, 50956165060.271385}, {16, 51059140849.620903}, {32, 51151297584.02774}, {64, 51131343250.000175} } },
  }, -- B/s by SMs, one row per page bytes
  sm_copy_grid_d2h = {
    { 256, { {1, 7517400970.8873644}, {2, 14882178538.078287}, {4, 29669401488.161434}, {8, 52028184724.175461}, {16, 52186135610.666092}, {32, 51657808209.468552}, {64, 52021727740.766457} } },
    { 4096, { {1, 43909297744.554955}, {2, 52271986449.05275}, {4, 52225122853.25106}, {8, 52573378454.701347}, {16, 52616905288.37674}, {32, 52549665101.111748}, {64, 52524659713.635101} } },
    { 65536, { {1, 44946355262.76889}, {2, 52190030263.759415}, {4, 52169257437.704971}, {8, 52527286611.676872}, {16, 52313707699.962479}, {32, 52503619706.93959}, {64, 52523341462.701889} } },
  }, -- B/s by SMs, one row per page bytes
  sm_copy_threads_grid_h2d = {
    { 128, { {1, 4846060236.816184}, {2, 9681873732.2808876}, {4, 19205743369.67028}, {8, 36806347300.479408}, {16, 51307725381.136086}, {32, 51029320575.411003}, {64, 50957405816.713181} } },
    { 256, { {1, 9658731209.289238}, {2, 19145953135.29121}, {4, 36877539792.720108}, {8, 51263829799.637314}, {16, 51049195343.401833}, {32, 50969789016.230202}, {64, 50945024022.425766} } },
    { 512, { {1, 19064324870.254955}, {2, 36502045750.097618}, {4, 51315259891.719002}, {8, 51047954742.038643}, {16, 50869645870.726479}, {32, 50888158983.074883}, {64, 51020630518.914337} } },
    { 1024, { {1, 35451813925.87368}, {2, 51238778317.180946}, {4, 50977224594.949669}, {8, 50922761161.901283}, {16, 50989617429.865112}, {32, 51084012306.380684}, {64, 51148801859.666107} } },
  }, -- B/s by SMs, one row per threads per block, 64 KiB pages
  sm_copy_threads_grid_d2h = {
    { 128, { {1, 11866216130.983644}, {2, 23250279644.421314}, {4, 45773353736.239594}, {8, 51556211333.072937}, {16, 51755970822.971207}, {32, 52007540509.328613}, {64, 52179644201.562576} } },
    { 256, { {1, 22575024454.626823}, {2, 44277341224.784904}, {4, 51818637186.878944}, {8, 51704931419.325699}, {16, 51958574298.073425}, {32, 52411765692.557091}, {64, 52338517453.733658} } },
    { 512, { {1, 34152231875.158916}, {2, 52046261259.70842}, {4, 51693460592.703247}, {8, 52304574727.054741}, {16, 52309794566.964813}, {32, 52409145456.808838}, {64, 52574694308.531998} } },
    { 1024, { {1, 45024516822.895798}, {2, 51711305245.196945}, {4, 52033344731.896027}, {8, 52311102120.192238}, {16, 52635393298.134491}, {32, 52343739203.963379}, {64, 52507561893.666748} } },
  }, -- B/s by SMs, one row per threads per block, 64 KiB pages
  batch_h2d_curve = { {4096, 7.1387499338015917e-07}, {16384, 7.9000002006068824e-07}, {65536, 1.4447499997913838e-06}, {262144, 4.9407500773668291e-06}, {1048576, 1.9109874963760376e-05}, {4194304, 8.1311121582984926e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_d2h_curve = { {4096, 6.593749858438969e-07}, {16384, 5.3474999731406567e-07}, {65536, 1.3428749516606331e-06}, {262144, 4.8790001310408117e-06}, {1048576, 1.912912540137768e-05}, {4194304, 7.5971871614456183e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_call = 3.1300500001663067e-05, -- s of host time per batched call
  batch_call_curve = { {64, 3.1300500001663067e-05} }, -- s of host time per batched call by entries
  attn_block_table_curve = { {1, 1.3219171845149309}, {4, 1.0980430536481556}, {16, 1.0768928427369264}, {64, 1.0778214161970983}, {256, 1.0792371285307534} }, -- time over contiguous by tokens per block
  attn_offset_table_curve = { {1, 1.3858872043782884}, {4, 1.1513144644941329}, {16, 1.0604158506785613}, {64, 1.0634936259239995}, {256, 1.059968493244249} }, -- time over contiguous by tokens per block
  source = "kvsim-calibrate on NVIDIA H200, driver API 13000, 2026-12-05 19:42 UTC",
}
