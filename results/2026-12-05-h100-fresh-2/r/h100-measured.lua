-- Platform measured by kvsim-calibrate (kernels/calibrate.cu).
-- device: NVIDIA H100 80GB HBM3, 132 SMs, 85017493504 bytes (84465090560 free), 1 GPU(s), driver API 13000, 2026-12-05 23:05 UTC
-- pcie H2D 55.40 GB/s, D2H 55.29 GB/s at 256 MiB (pcie_bw = the lower)
-- copy fixed cost 2.37 us (median of time - bytes/bw, 4..64 KiB, both directions); 1-byte copies back to back 2.33 us each; 1-byte copy + sync round trip 6.54 us (median)
-- duplex (256 MiB each way at once): 101.19 GB/s aggregate (host_bw: a lower bound of host DRAM bandwidth for DMA)
-- device-to-device copy 256 MiB: 2968.4 GB/s counting read + write
-- HBM read stream, GB/s: unrolled x4, 1 GiB, 4 blocks/SM: 3170.0; weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM: 3344.9; weight read, 256 MiB once x 16 launches, 4 blocks/SM: 3032.4; weight read, 1 GiB once, 4 blocks/SM: 3133.5; weight read, 1 GiB once, 8 blocks/SM: 3140.7; weight read, 1 GiB once, 16 blocks/SM: 3144.6; weight read, 2 GiB once, 4 blocks/SM: 3155.5
-- HBM read stream: 3344.9 GB/s, the best (weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM) (hbm_bw)
-- bf16 matrix product 8192x8192x8192 (cuBLAS, random data): 765 TFLOP/s
-- kernel launch: 4.58 us each back to back; launch + sync round trip 9.71 us (median)
-- table write (4 KiB H2D from pinned memory between CUDA events on an idle stream, as the GPU backend does): median 4.83 us, p10 4.45, p90 6.59 (table_write); the same copies queued back to back 3.78 us; the former definition, 4 KiB H2D + kernel launch back to back, 7.13 us
-- table write right after a step (a read stream of a few ms on the same stream, then a host sync, then the event pair and the copy; 100 times): median 8.48 us, p10 6.30, p90 11.33
-- zero-copy dependent read of mapped host memory: 1.17 us each (pcie_lat = round trip)
-- host memcpy 256 MiB, one thread: 9.1 GB/s (one CPU core; not host_bw, which is the duplex DMA figure)
-- batch check: 768 entries (every size, both directions) equal their sources byte for byte
-- SM copy check: 559104 pages (every page size, both directions, 8 SMs) equal their sources byte for byte; threads per block: 1024, kv_transfer_launch's (the next table varies them)
-- SM copy with 1 SM, 64 KiB pages, mean of both directions: 39.40 GB/s (sm_copy_bw_per_sm)
-- SM copy both directions at once (kv_transfer_pair_launch, 8 SMs, 64 KiB pages, 64 MiB each way): 83.48 GB/s aggregate (sm_duplex_bw)
-- SM copy by threads check: 8192 pages (every block size, both directions, 8 SMs) equal their sources byte for byte
-- attention check: block-table and offset-table outputs equal the contiguous one at every block size (worst relative L2 0, tolerance 1e-05); contiguous vs float64 CPU reference on 4 requests 1.5e-07 (tolerance 1e-3)
-- vmm 2 MiB medians in isolation (us): reserve 0.83 create 14.93 map 1.10 set_access 29.16 unmap 19.36 release 14.53 addr_free 0.80
-- vmm 4 MiB medians in isolation (us): reserve 0.77 create 12.50 map 1.01 set_access 26.76 unmap 18.01 release 15.97 addr_free 0.75
-- vmm 8 MiB medians in isolation (us): reserve 0.86 create 13.93 map 1.14 set_access 29.44 unmap 19.52 release 21.49 addr_free 0.84
-- vmm 16 MiB medians in isolation (us): reserve 0.80 create 12.99 map 1.06 set_access 28.61 unmap 19.22 release 26.90 addr_free 0.80
-- vmm 64 MiB medians in isolation (us): reserve 3.82 create 32.12 map 1.19 set_access 46.87 unmap 27.40 release 52.75 addr_free 3.37
-- vmm 256 MiB medians in isolation (us): reserve 4.34 create 22.53 map 1.37 set_access 52.64 unmap 28.96 release 148.42 addr_free 3.92
-- vmm 1024 MiB medians in isolation (us): reserve 7.40 create 92.31 map 2.46 set_access 101.24 unmap 45.15 release 570.13 addr_free 8.17
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU idle, us median (p10/p90): reserve 0.73 (0.59/1.18) create 13.43 (12.54/26.07) map 1.27 (1.05/2.66) set_access 31.06 (29.48/49.79) unmap 23.87 (22.25/37.87) release 15.83 (14.82/33.45) addr_free 0.75 (0.66/1.81)
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU busy with a read stream, us median (p10/p90): reserve 0.76 (0.62/1.52) create 13.58 (12.63/25.84) map 1.26 (1.04/2.64) set_access 35.76 (30.89/55.55) unmap 33.77 (23.82/48.07) release 15.83 (14.69/30.35) addr_free 0.77 (0.68/2.10); 30 reads launched
-- vmm 2 MiB, 200 cycles among 128 live handles, each cycle right after a step, us median (p10/p90): reserve 2.64 (1.61/4.51) create 28.50 (20.66/56.29) map 3.28 (2.18/5.47) set_access 47.09 (41.30/79.12) unmap 32.23 (28.65/51.62) release 21.56 (19.70/40.62) addr_free 1.58 (1.30/3.63)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 16 live handles, GPU idle, us median (p10/p90): reserve 0.77 (0.66/1.22) create 13.97 (13.27/27.01) map 1.25 (1.09/2.33) set_access 29.20 (27.03/50.00) unmap 19.87 (18.37/34.61) release 14.25 (13.61/25.38) addr_free 0.77 (0.70/1.81)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 1024 live handles, GPU idle, us median (p10/p90): reserve 0.68 (0.59/1.11) create 14.03 (13.20/20.15) map 1.19 (1.02/1.87) set_access 30.30 (28.92/47.75) unmap 23.40 (21.44/34.83) release 15.32 (14.62/22.05) addr_free 0.76 (0.70/1.30)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 4096 live handles, GPU idle, us median (p10/p90): reserve 0.72 (0.58/1.09) create 15.04 (13.93/17.25) map 1.41 (1.14/1.92) set_access 33.39 (31.00/40.01) unmap 24.72 (22.66/29.19) release 16.76 (15.41/20.61) addr_free 0.87 (0.74/1.29)
-- vmm 64 MiB, 200 cycles among 32 live handles, GPU idle, us median (p10/p90): reserve 3.43 (2.66/4.15) create 15.90 (13.43/38.71) map 1.36 (1.08/1.74) set_access 32.31 (28.57/37.16) unmap 21.24 (18.69/24.88) release 62.38 (43.44/76.81) addr_free 3.92 (2.99/4.92)
-- vmm 64 MiB, 200 cycles among 32 live handles, each cycle right after a step, us median (p10/p90): reserve 9.89 (4.34/13.43) create 48.34 (37.34/58.57) map 3.38 (1.69/4.44) set_access 49.48 (34.72/61.49) unmap 30.87 (24.05/38.30) release 53.16 (48.57/59.55) addr_free 7.20 (4.30/10.63)
-- vmm growth, fresh range: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 28.41 (288.15/16.55/41.92; 29.96, 32.37) map 3.29 (6.01/1.74/7.19; 3.50, 4.11) set_access 49.76 (92.94/35.61/67.94; 50.36, 57.11) unmap 23.21 (84.22/20.75/26.94; 25.14, 23.20) release 15.97 (44.93/14.43/17.80; 16.34, 16.09)
-- vmm growth, same range again: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 28.52 (46.78/16.40/42.43; 28.18, 28.74) map 3.19 (6.41/1.71/5.32; 3.18, 3.35) set_access 48.87 (91.91/34.47/68.08; 48.19, 50.18) unmap 23.11 (84.54/21.45/29.25; 23.65, 22.32) release 15.54 (42.95/14.65/18.82; 15.57, 15.70)
-- vmm growth, new range, memory recycled: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 26.28 (62.24/14.49/39.63; 25.07, 15.56) map 3.13 (8.11/1.53/5.29; 3.07, 1.69) set_access 46.93 (107.31/32.03/63.53; 45.70, 33.46) unmap 22.52 (78.85/20.73/31.38; 21.57, 22.72) release 14.97 (41.43/14.22/20.88; 14.67, 15.15)
-- vmm growth, fresh range: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 15.26 (49.52/14.53/32.69; 15.91, 15.38) map 1.52 (5.63/1.27/3.77; 1.63, 1.67) set_access 33.63 (103.28/31.98/53.67; 34.28, 34.71) unmap 22.08 (66.07/20.38/30.92; 25.37, 21.81) release 56.66 (67.59/44.32/69.34; 55.80, 56.66)
-- vmm growth, same range again: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 23.50 (230.69/14.93/43.79; 16.47, 28.91) map 2.50 (2.44/1.50/4.93; 1.83, 3.30) set_access 46.80 (62.36/33.19/77.75; 34.88, 51.27) unmap 21.55 (68.25/19.67/30.95; 23.59, 19.94) release 55.41 (66.93/43.62/66.93; 54.41, 59.84)
-- vmm growth, new range, memory recycled: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 25.87 (237.16/14.90/44.82; 29.31, 16.27) map 3.08 (3.31/1.47/4.74; 3.23, 1.86) set_access 47.49 (55.36/33.20/63.77; 47.87, 38.40) unmap 23.52 (65.72/21.57/39.08; 23.61, 23.60) release 60.11 (66.67/43.88/69.40; 55.84, 61.99)
-- vmm after a gap, 2 MiB, nominal 0 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.01 @0.29 create 31.34 @0.26 map 1.13 @0.29 set_access 27.30 @0.26 unmap 18.66 @0.27 release 33.89 @0.25 addr_free 0.78 @0.29
-- vmm after a gap, 2 MiB, nominal 1 ms, 12 cycles, us median @ ms since the call's last (median): reserve 3.38 @2.50 create 27.78 @2.48 map 2.83 @2.51 set_access 43.89 @2.46 unmap 39.59 @2.49 release 21.01 @2.51 addr_free 1.68 @2.54
-- vmm after a gap, 2 MiB, nominal 2 ms, 12 cycles, us median @ ms since the call's last (median): reserve 3.76 @4.38 create 33.50 @4.35 map 2.73 @4.38 set_access 46.84 @4.34 unmap 41.13 @4.38 release 21.86 @4.39 addr_free 1.60 @4.41
-- vmm after a gap, 2 MiB, nominal 5 ms, 12 cycles, us median @ ms since the call's last (median): reserve 6.75 @10.54 create 46.63 @10.49 map 4.84 @10.55 set_access 76.24 @10.47 unmap 60.08 @10.52 release 40.12 @10.54 addr_free 2.83 @10.58
-- vmm after a gap, 2 MiB, nominal 10 ms, 12 cycles, us median @ ms since the call's last (median): reserve 7.98 @20.66 create 65.70 @20.59 map 6.24 @20.64 set_access 87.15 @20.56 unmap 83.45 @20.60 release 40.37 @20.64 addr_free 3.52 @20.67
-- vmm after a gap, 2 MiB, nominal 20 ms, 12 cycles, us median @ ms since the call's last (median): reserve 9.97 @40.50 create 71.04 @40.42 map 6.28 @40.44 set_access 90.74 @40.38 unmap 77.35 @40.47 release 38.28 @40.52 addr_free 3.61 @40.54
-- vmm after a gap, 2 MiB, nominal 50 ms, 12 cycles, us median @ ms since the call's last (median): reserve 11.24 @100.63 create 85.05 @100.56 map 8.06 @100.63 set_access 101.10 @100.54 unmap 109.59 @100.57 release 47.15 @100.65 addr_free 4.61 @100.69
-- vmm after a gap, 64 MiB, nominal 0 ms, 12 cycles, us median @ ms since the call's last (median): reserve 3.64 @0.30 create 12.85 @0.29 map 1.19 @0.30 set_access 44.40 @0.25 unmap 25.93 @0.27 release 64.00 @0.23 addr_free 2.94 @0.30
-- vmm after a gap, 64 MiB, nominal 1 ms, 12 cycles, us median @ ms since the call's last (median): reserve 12.66 @2.48 create 46.58 @2.44 map 2.89 @2.50 set_access 64.49 @2.41 unmap 53.79 @2.48 release 54.96 @2.45 addr_free 7.87 @2.49
-- vmm after a gap, 64 MiB, nominal 2 ms, 12 cycles, us median @ ms since the call's last (median): reserve 11.50 @4.52 create 46.93 @4.48 map 2.76 @4.53 set_access 63.54 @4.47 unmap 49.44 @4.49 release 53.77 @4.48 addr_free 7.41 @4.52
-- vmm after a gap, 64 MiB, nominal 5 ms, 12 cycles, us median @ ms since the call's last (median): reserve 13.36 @10.49 create 51.73 @10.45 map 3.43 @10.50 set_access 71.50 @10.43 unmap 51.82 @10.45 release 56.82 @10.45 addr_free 8.30 @10.50
-- vmm after a gap, 64 MiB, nominal 10 ms, 12 cycles, us median @ ms since the call's last (median): reserve 19.13 @20.55 create 63.36 @20.50 map 4.21 @20.57 set_access 85.06 @20.47 unmap 64.65 @20.51 release 63.05 @20.52 addr_free 12.22 @20.57
-- vmm after a gap, 64 MiB, nominal 20 ms, 12 cycles, us median @ ms since the call's last (median): reserve 29.72 @40.70 create 88.10 @40.63 map 6.47 @40.71 set_access 108.74 @40.60 unmap 104.70 @40.64 release 73.34 @40.67 addr_free 20.85 @40.73
-- vmm after a gap, 64 MiB, nominal 50 ms, 12 cycles, us median @ ms since the call's last (median): reserve 39.44 @100.75 create 111.40 @100.68 map 8.88 @100.79 set_access 131.07 @100.65 unmap 131.50 @100.68 release 81.06 @100.73 addr_free 25.47 @100.79
-- vmm after a gap of launches, 2 MiB, nominal 0 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.12 @0.20 create 16.15 @0.18 map 1.22 @0.20 set_access 31.51 @0.16 unmap 20.16 @0.18 release 13.84 @0.19 addr_free 0.80 @0.20
-- vmm after a gap of launches, 2 MiB, nominal 1 ms, 12 cycles, us median @ ms since the call's last (median): reserve 2.72 @2.37 create 26.39 @2.35 map 2.29 @2.38 set_access 46.21 @2.33 unmap 37.80 @2.36 release 20.50 @2.37 addr_free 1.26 @2.39
-- vmm after a gap of launches, 2 MiB, nominal 2 ms, 12 cycles, us median @ ms since the call's last (median): reserve 3.55 @4.39 create 29.38 @4.38 map 2.56 @4.40 set_access 44.50 @4.36 unmap 41.40 @4.40 release 21.42 @4.40 addr_free 1.49 @4.42
-- vmm after a gap of launches, 2 MiB, nominal 5 ms, 12 cycles, us median @ ms since the call's last (median): reserve 5.74 @10.46 create 45.41 @10.42 map 3.82 @10.48 set_access 71.03 @10.41 unmap 58.53 @10.43 release 31.97 @10.46 addr_free 2.17 @10.49
-- vmm after a gap of launches, 2 MiB, nominal 10 ms, 12 cycles, us median @ ms since the call's last (median): reserve 8.67 @20.59 create 68.65 @20.54 map 5.78 @20.59 set_access 88.18 @20.51 unmap 85.10 @20.52 release 40.74 @20.57 addr_free 3.19 @20.61
-- vmm after a gap of launches, 2 MiB, nominal 20 ms, 12 cycles, us median @ ms since the call's last (median): reserve 11.15 @40.62 create 80.26 @40.55 map 7.37 @40.63 set_access 99.22 @40.53 unmap 103.63 @40.54 release 46.51 @40.59 addr_free 3.78 @40.64
-- vmm after a gap of launches, 2 MiB, nominal 50 ms, 12 cycles, us median @ ms since the call's last (median): reserve 13.02 @100.71 create 93.17 @100.63 map 7.99 @100.71 set_access 110.16 @100.63 unmap 114.38 @100.61 release 50.48 @100.66 addr_free 4.34 @100.70
-- vmm after a gap of launches, 64 MiB, nominal 0 ms, 12 cycles, us median @ ms since the call's last (median): reserve 10.73 @0.35 create 26.55 @0.34 map 2.91 @0.36 set_access 74.58 @0.30 unmap 41.07 @0.33 release 64.55 @0.31 addr_free 7.51 @0.36
-- vmm after a gap of launches, 64 MiB, nominal 1 ms, 12 cycles, us median @ ms since the call's last (median): reserve 11.82 @2.50 create 47.27 @2.46 map 2.96 @2.51 set_access 66.39 @2.45 unmap 50.81 @2.45 release 51.79 @2.47 addr_free 8.40 @2.51
-- vmm after a gap of launches, 64 MiB, nominal 2 ms, 12 cycles, us median @ ms since the call's last (median): reserve 12.19 @4.48 create 49.19 @4.45 map 3.12 @4.49 set_access 68.97 @4.43 unmap 53.78 @4.51 release 52.54 @4.51 addr_free 8.28 @4.56
-- vmm after a gap of launches, 64 MiB, nominal 5 ms, 12 cycles, us median @ ms since the call's last (median): reserve 20.32 @10.63 create 63.86 @10.59 map 4.36 @10.65 set_access 96.22 @10.52 unmap 72.71 @10.57 release 63.29 @10.58 addr_free 13.50 @10.63
-- vmm after a gap of launches, 64 MiB, nominal 10 ms, 12 cycles, us median @ ms since the call's last (median): reserve 24.71 @20.61 create 83.04 @20.55 map 5.67 @20.63 set_access 104.28 @20.53 unmap 89.07 @20.53 release 65.04 @20.56 addr_free 15.63 @20.61
-- vmm after a gap of launches, 64 MiB, nominal 20 ms, 12 cycles, us median @ ms since the call's last (median): reserve 32.13 @40.70 create 92.26 @40.65 map 6.41 @40.73 set_access 121.57 @40.62 unmap 102.76 @40.64 release 73.17 @40.64 addr_free 20.17 @40.68
-- vmm after a gap of launches, 64 MiB, nominal 50 ms, 12 cycles, us median @ ms since the call's last (median): reserve 35.93 @100.74 create 108.41 @100.66 map 9.17 @100.76 set_access 131.91 @100.62 unmap 125.89 @100.66 release 81.54 @100.70 addr_free 23.26 @100.76
-- vmm growth on the launching thread, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 28.02 (126.24/14.78/40.37) map 3.16 (11.38/1.61/4.67) set_access 52.69 (157.19/37.86/73.18)
-- vmm growth on one thread kept for the series, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 12.42 (50.65/10.00/17.43) map 1.26 (4.96/0.86/4.37) set_access 31.33 (100.62/28.21/37.49)
-- vmm growth on a new thread per handle, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 38.03 (61.45/23.94/58.47) map 4.79 (8.15/2.92/8.14) set_access 61.65 (100.58/46.88/85.53)
-- vmm growth on the launching thread, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 22.43 (37.11/15.97/37.11) map 2.85 (4.46/1.58/4.46) set_access 50.92 (89.82/36.04/78.42)
-- vmm growth on one thread kept for the series, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 19.94 (123.97/17.80/24.07) map 2.32 (6.19/2.02/2.57) set_access 44.15 (121.21/41.09/70.98)
-- vmm growth on a new thread per handle, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 39.06 (112.64/27.29/81.61) map 4.76 (8.69/3.14/8.31) set_access 76.02 (129.49/49.51/105.81)
-- vmm reserve / free of 16 MiB ranges among live ranges, us median per window of calls (live: reserve free): 0: 0.62 0.65 32: 2.00 2.95 96: 2.49 1.90 160: 3.11 1.63 224: 3.71 2.70 288: 4.31 1.92 352: 4.78 1.96 416: 5.65 1.98 480: 6.08 2.08 544: 11.71 1.97 608: 7.32 2.00 672: 8.00 1.96 736: 8.48 2.02 800: 9.02 1.91 864: 9.45 1.92 928: 9.78 2.04 992: 13.98 3.29
-- vmm factors over isolation at the granularity (busy, after_step): reserve 1.218 4.233 create 0.910 1.909 map 1.147 2.980 set_access 1.226 1.615 unmap 1.744 1.664 release 1.089 1.483 free_va 1.222 2.504
return {
  name = "h100-measured",
  gpus_per_server = 1, -- cudaGetDeviceCount
  servers = 1, -- one machine
  hbm_bytes = 85017493504, -- cudaMemGetInfo total
  hbm_bw = 3.345e+12, -- best read stream (kernels and launch shapes above)
  d2d_bw = 2.968e+12, -- cudaMemcpyAsync D2D 256 MiB, read+write
  flops = 7.646e+14, -- cuBLAS bf16 GEMM
  sms = 132, -- device property
  kernel_launch = 4.583e-06, -- empty kernels back to back
  pcie_bw = 5.529e+10, -- min(H2D, D2H) at 256 MiB, pinned
  pcie_lat = 1.17e-06, -- zero-copy dependent read round trip
  copy_overhead = 2.367e-06, -- fixed cost per cudaMemcpyAsync
  sm_copy_bw_per_sm = 3.94e+10, -- kv_transfer_launch on 1 SM
  sm_duplex_bw = 8.348e+10, -- kv_transfer_pair_launch both ways at once, 8 SMs, aggregate
  gpus_per_uplink = 0, -- not measured: own link assumed
  uplink_bw = 0, -- not measured (gpus_per_uplink = 0)
  host_bw = 1.012e+11, -- duplex DMA aggregate: lower bound of host DRAM bw for DMA
  nvlink_bw = 0, -- not measured (one GPU)
  nvlink_lat = 0, -- not measured (one GPU)
  nic_bw = 0, -- no inter-server tier
  nic_lat = 0, -- no inter-server tier
  vmm_reserve = 2.642e-06, -- cuMemAddressReserve, granularity range, cycles after a step, median
  vmm_create = 2.85e-05, -- cuMemCreate, cycles after a step, median
  vmm_map = 3.284e-06, -- cuMemMap, cycles after a step, median
  vmm_set_access = 4.709e-05, -- cuMemSetAccess, cycles after a step, median
  vmm_unmap = 3.223e-05, -- cuMemUnmap, cycles after a step, median
  vmm_release = 2.156e-05, -- cuMemRelease, cycles after a step, median
  vmm_granularity = 2097152, -- cuMemGetAllocationGranularity minimum
  vmm_reserve_per_mib = 6.432e-09, -- size slope: (largest - smallest handle median) / MiB, isolation
  vmm_create_per_mib = 7.572e-08, -- size slope, isolation
  vmm_map_per_mib = 1.329e-09, -- size slope, isolation
  vmm_set_access_per_mib = 7.053e-08, -- size slope, isolation
  vmm_unmap_per_mib = 2.523e-08, -- size slope, isolation
  vmm_release_per_mib = 5.436e-07, -- size slope, isolation
  table_write = 8.48e-06, -- 4 KiB H2D from pinned right after a step, events, median
  -- measured curves (every raw one in h100-measured.curves.csv)
  vmm_reserve_curve = { {2097152, 6.2399999833928632e-07}, {4194304, 7.7400000009220093e-07}, {8388608, 8.6350000216839362e-07}, {16777216, 8.0250000067394467e-07}, {67108864, 2.7360000025566933e-06}, {268435456, 4.3354999981204401e-06}, {1073741824, 2.345999998709658e-06}, {17179869184, 2.2430000008455409e-06}, {274877906944, 2.2205000007602393e-06}, {1099511627776, 2.3370000015177084e-06} }, -- s per call by range bytes, isolation
  vmm_create_curve = { {2097152, 1.4927500000538885e-05}, {4194304, 1.2504499999010932e-05}, {8388608, 1.3933500000007371e-05}, {16777216, 1.2986000001546927e-05}, {67108864, 3.211650000167765e-05}, {268435456, 2.2530500000783604e-05}, {1073741824, 9.2314499998025212e-05} }, -- s per call by handle bytes, isolation
  vmm_map_curve = { {2097152, 1.1020000023620469e-06}, {4194304, 1.0085000035076064e-06}, {8388608, 1.142000002118948e-06}, {16777216, 1.0609999989696917e-06}, {67108864, 1.1855000003890837e-06}, {268435456, 1.3745000018161591e-06}, {1073741824, 2.460000001036633e-06} }, -- s per call by handle bytes, isolation
  vmm_set_access_curve = { {2097152, 2.915900000033389e-05}, {4194304, 2.6758499998891239e-05}, {8388608, 2.9436000001936691e-05}, {16777216, 2.8610000004647418e-05}, {67108864, 4.6865000001616863e-05}, {268435456, 5.2644000003709834e-05}, {1073741824, 0.00010123850000098855} }, -- s per call by handle bytes, isolation
  vmm_unmap_curve = { {2097152, 1.9364000003463389e-05}, {4194304, 1.8014500003715739e-05}, {8388608, 1.9521500000507785e-05}, {16777216, 1.9215000001793214e-05}, {67108864, 2.7400999996984865e-05}, {268435456, 2.8962500000062619e-05}, {1073741824, 4.514799999810748e-05} }, -- s per call by handle bytes, isolation
  vmm_release_curve = { {2097152, 1.4532999998095875e-05}, {4194304, 1.597049999801925e-05}, {8388608, 2.1492000001899214e-05}, {16777216, 2.6904499996760478e-05}, {67108864, 5.2748000001656692e-05}, {268435456, 0.0001484205000004124}, {1073741824, 0.00057013400000016645} }, -- s per call by handle bytes, isolation
  vmm_free_va_curve = { {2097152, 6.3150000073619594e-07}, {4194304, 7.4899999802369166e-07}, {8388608, 8.4250000043084583e-07}, {16777216, 8.0199999885621764e-07}, {67108864, 2.2459999975410483e-06}, {268435456, 3.9215000029457769e-06}, {1073741824, 2.238500002249566e-06}, {17179869184, 2.2545000000206983e-06}, {274877906944, 3.485500002398112e-06}, {1099511627776, 3.6510000001044318e-06} }, -- s per call by range bytes, isolation
  vmm_reserve_live = { {16, 1.2347756411488167}, {128, 1.1618589824885661}, {1024, 1.0857371839625607}, {4096, 1.1466346136738428} }, -- idle call among x live handles / isolated
  vmm_create_live = { {16, 0.93599062139756339}, {128, 0.89954781433954567}, {1024, 0.93964160107790584}, {4096, 1.0078043876871914} }, -- idle call among x live handles / isolated
  vmm_map_live = { {16, 1.1333938272567126}, {128, 1.1533575280011947}, {1024, 1.0807622472912775}, {4096, 1.2790381108332218} }, -- idle call among x live handles / isolated
  vmm_set_access_live = { {16, 1.0014403786111288}, {128, 1.0651428373913754}, {1024, 1.0390102541224746}, {4096, 1.1450667030649873} }, -- idle call among x live handles / isolated
  vmm_unmap_live = { {16, 1.0261567856542289}, {128, 1.2326998551660056}, {1024, 1.2084796527470063}, {4096, 1.2764666389241632} }, -- idle call among x live handles / isolated
  vmm_release_live = { {16, 0.98052707640655001}, {128, 1.088969930786762}, {1024, 1.0542558315295458}, {4096, 1.1532718643902831} }, -- idle call among x live handles / isolated
  vmm_free_va_live = { {16, 1.2193190797523068}, {128, 1.1876484572997683}, {1024, 1.2082343599248766}, {4096, 1.3855898602862577} }, -- idle call among x live handles / isolated
  vmm_create_grow = { {2097152, 2.8407999998592004e-05}, {67108864, 1.52624999998352e-05} }, -- s per call growing the pool, by handle bytes
  vmm_map_grow = { {2097152, 3.2910000022923214e-06}, {67108864, 1.5249999982813733e-06} }, -- s per call growing the pool, by handle bytes
  vmm_set_access_grow = { {2097152, 4.9764499998161682e-05}, {67108864, 3.3626499998717918e-05} }, -- s per call growing the pool, by handle bytes
  vmm_reserve_live_va = { {32, 2.4959501521112624}, {96, 3.0978193115855577}, {160, 3.871651088684946}, {224, 4.6286604322864973}, {288, 5.3644859823841449}, {352, 5.9576323908569062}, {416, 7.0361370657566216}, {480, 7.5732087165628608}, {544, 14.596884726535942}, {608, 9.1152647914533382}, {672, 9.966355128577268}, {736, 10.561993757946263}, {800, 11.239875380278155}, {864, 11.773208713021214}, {928, 12.184423668981577}, {992, 17.419937680399553} }, -- among x live ranges / none
  vmm_free_va_live_va = { {32, 3.6733167117423493}, {96, 2.3647132232902566}, {160, 2.0324189553470449}, {224, 3.3647132232902566}, {288, 2.3896508768197045}, {352, 2.4401496275424899}, {416, 2.4682044949615722}, {480, 2.597256859396408}, {544, 2.4519950172880498}, {608, 2.4987531193169454}, {672, 2.4495012514921233}, {736, 2.5211970070504668}, {800, 2.3759351649421085}, {864, 2.4002493748076654}, {928, 2.5430174644095498}, {992, 4.1041147197650236} }, -- among x live ranges / none
  vmm_reserve_gap = {
    { 2097152, { {0.00029, 1.0125000002858542e-06}, {0.0025000000000000001, 3.3799999954453597e-06}, {0.0043800000000000002, 3.7570000017694838e-06}, {0.010540000000000001, 6.7520000044396511e-06}, {0.020660000000000001, 7.9750000026024281e-06}, {0.040500000000000001, 9.9740000010228869e-06}, {0.10063, 1.1239999999190786e-05} } },
    { 67108864, { {0.00029999999999999997, 3.6365000006810533e-06}, {0.00248, 1.2664999999856263e-05}, {0.0045199999999999997, 1.1503999999717962e-05}, {0.010489999999999999, 1.336199999713017e-05}, {0.020549999999999999, 1.9131999998478477e-05}, {0.0407, 2.9715000003704972e-05}, {0.10075000000000001, 3.9440999998419102e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_create_gap = {
    { 2097152, { {0.00025999999999999998, 3.1337000002906734e-05}, {0.00248, 2.778000000347447e-05}, {0.0043499999999999997, 3.3496000000354798e-05}, {0.010489999999999999, 4.6633000003737379e-05}, {0.020590000000000001, 6.5704000000721408e-05}, {0.040419999999999998, 7.1036999997886596e-05}, {0.10056, 8.5045999995259081e-05} } },
    { 67108864, { {0.00029, 1.2854999997813366e-05}, {0.0024399999999999999, 4.6576999999103919e-05}, {0.0044799999999999996, 4.6933999996667808e-05}, {0.010449999999999999, 5.1730000002692123e-05}, {0.020500000000000001, 6.3357999998459036e-05}, {0.040629999999999999, 8.8098000006198163e-05}, {0.10068000000000001, 0.00011140200000170353} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_map_gap = {
    { 2097152, { {0.00029, 1.1295000028610502e-06}, {0.0025100000000000001, 2.8309999962061738e-06}, {0.0043800000000000002, 2.7330000023084722e-06}, {0.01055, 4.8370000058639562e-06}, {0.020639999999999999, 6.2419999977691987e-06}, {0.040439999999999997, 6.2760000005823713e-06}, {0.10063, 8.0599999989772186e-06} } },
    { 67108864, { {0.00029999999999999997, 1.1940000028687336e-06}, {0.0025000000000000001, 2.8890000010051153e-06}, {0.0045300000000000002, 2.7620000011552293e-06}, {0.010500000000000001, 3.4259999992514167e-06}, {0.020570000000000001, 4.2129999968665288e-06}, {0.040710000000000003, 6.4720000025886293e-06}, {0.10079, 8.8820000030409574e-06} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_set_access_gap = {
    { 2097152, { {0.00025999999999999998, 2.7300499997551242e-05}, {0.0024599999999999999, 4.3886000000270542e-05}, {0.0043400000000000001, 4.6842999999796575e-05}, {0.01047, 7.6236000005280857e-05}, {0.020559999999999998, 8.7150000005919992e-05}, {0.040379999999999999, 9.0741999997590028e-05}, {0.10054, 0.0001011049999988245} } },
    { 67108864, { {0.00025000000000000001, 4.4403500002232477e-05}, {0.0024099999999999998, 6.4491000003386034e-05}, {0.00447, 6.3538000006246875e-05}, {0.01043, 7.1503999997446499e-05}, {0.020469999999999999, 8.5058999999887419e-05}, {0.040599999999999997, 0.00010874200000188239}, {0.10065, 0.00013107400000222924} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_unmap_gap = {
    { 2097152, { {0.00027, 1.8657999998339392e-05}, {0.00249, 3.9585000003228288e-05}, {0.0043800000000000002, 4.1133999999942716e-05}, {0.01052, 6.0075000000381351e-05}, {0.0206, 8.344500000134758e-05}, {0.040469999999999999, 7.7345000001116659e-05}, {0.10057000000000001, 0.0001095889999973565} } },
    { 67108864, { {0.00027, 2.5932999996314265e-05}, {0.00248, 5.3788000002441549e-05}, {0.0044900000000000001, 4.9435000001096796e-05}, {0.010449999999999999, 5.181599999559694e-05}, {0.02051, 6.4651999998943666e-05}, {0.040640000000000003, 0.00010469799999412999}, {0.10068000000000001, 0.00013150200000211498} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_release_gap = {
    { 2097152, { {0.00025000000000000001, 3.3887000004284573e-05}, {0.0025100000000000001, 2.1005000000684504e-05}, {0.0043899999999999998, 2.1859000000290507e-05}, {0.010540000000000001, 4.012400000164007e-05}, {0.020639999999999999, 4.0374000001008881e-05}, {0.04052, 3.82799999982808e-05}, {0.10065, 4.7146999996527938e-05} } },
    { 67108864, { {0.00023000000000000001, 6.3995999997956687e-05}, {0.0024499999999999999, 5.4959000003407255e-05}, {0.0044799999999999996, 5.377299999764773e-05}, {0.010449999999999999, 5.6823000001315904e-05}, {0.02052, 6.3052000001562192e-05}, {0.040669999999999998, 7.334300000394478e-05}, {0.10073, 8.1055000002550059e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_free_va_gap = {
    { 2097152, { {0.00029, 7.8499999744963134e-07}, {0.0025400000000000002, 1.6830000006962109e-06}, {0.0044099999999999999, 1.5970000006859664e-06}, {0.010580000000000001, 2.8299999996761471e-06}, {0.020670000000000001, 3.5190000033935576e-06}, {0.04054, 3.6050000034038021e-06}, {0.10069, 4.6090000012100063e-06} } },
    { 67108864, { {0.00029999999999999997, 2.9364999960534988e-06}, {0.00249, 7.8679999973019221e-06}, {0.0045199999999999997, 7.4149999989003845e-06}, {0.010500000000000001, 8.2970000008231182e-06}, {0.020570000000000001, 1.221599999468026e-05}, {0.040730000000000002, 2.0848999994882433e-05}, {0.10079, 2.5471999997250805e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_reserve_busy = 1.0482758560534313, -- busy / idle among the same live handles at the granularity
  vmm_create_busy = 1.0112079237435736, -- busy / idle among the same live handles at the granularity
  vmm_map_busy = 0.99409913823772456, -- busy / idle among the same live handles at the granularity
  vmm_set_access_busy = 1.1512951366672237, -- busy / idle among the same live handles at the granularity
  vmm_unmap_busy = 1.4147884373128778, -- busy / idle among the same live handles at the granularity
  vmm_release_busy = 1.0004423099346369, -- busy / idle among the same live handles at the granularity
  vmm_free_va_busy = 1.0293333309585417, -- busy / idle among the same live handles at the granularity
  vmm_reserve_after_step = 3.6434482601574691, -- after_step / idle among the same live handles at the granularity
  vmm_create_after_step = 2.1225424485766791, -- after_step / idle among the same live handles at the granularity
  vmm_map_after_step = 2.5837922937671021, -- after_step / idle among the same live handles at the granularity
  vmm_set_access_after_step = 1.5161871953579833, -- after_step / idle among the same live handles at the granularity
  vmm_unmap_after_step = 1.3500628403310868, -- after_step / idle among the same live handles at the granularity
  vmm_release_after_step = 1.3620308352730535, -- after_step / idle among the same live handles at the granularity
  vmm_free_va_after_step = 2.1086666635750162, -- after_step / idle among the same live handles at the granularity
  copy_h2d_curve = { {4096, 2.6214718818664552e-06}, {16384, 2.9992959462106229e-06}, {65536, 4.1134883649647233e-06}, {262144, 7.5854239985346797e-06}, {1048576, 2.1757937967777252e-05}, {4194304, 7.8691996634006506e-05}, {16777216, 0.00030564299225807189}, {67108864, 0.0012125279903411866}, {268435456, 0.0048458237648010254} }, -- s per cudaMemcpyAsync by bytes, back to back
  copy_d2h_curve = { {4096, 2.2596800699830056e-06}, {16384, 2.2478720638900996e-06}, {65536, 3.2163839787244799e-06}, {262144, 6.2970081344246863e-06}, {1048576, 2.0462905988097191e-05}, {4194304, 7.7126622200012209e-05}, {16777216, 0.00030504199862480165}, {67108864, 0.001215258002281189}, {268435456, 0.0048549919128417973} }, -- s per cudaMemcpyAsync by bytes, back to back
  sm_copy_h2d_curve = { {1, 34700377726.621902}, {2, 51132587907.849243}, {4, 50958642020.765991}, {8, 51004497712.005905}, {16, 51040498517.002258}, {32, 50984657725.895874}, {64, 51102686444.829697} }, -- B/s by SMs, 65536-byte pages
  sm_copy_d2h_curve = { {1, 44093015979.093506}, {2, 52042383222.531937}, {4, 52059179387.588318}, {8, 52570742035.343941}, {16, 52533869713.688469}, {32, 52663149686.12236}, {64, 52510191979.713409} }, -- B/s by SMs, 65536-byte pages
  sm_copy_page_h2d_curve = { {256, 0.63374899746345625}, {4096, 0.99752545066758158}, {65536, 1} }, -- rate by page bytes over the 65536-byte page's, at 8 SMs
  sm_copy_page_d2h_curve = { {256, 0.99637836303833027}, {4096, 0.99553292402335813}, {65536, 1} }, -- rate by page bytes over the 65536-byte page's, at 8 SMs
  sm_copy_grid_h2d = {
    { 256, { {1, 4251727815.7845783}, {2, 8520747722.2956772}, {4, 16850549143.901396}, {8, 32324049291.110889}, {16, 50632608915.775108}, {32, 50023899280.525909}, {64, 50428067857.428337} } },
    { 4096, { {1, 30862709336.646702}, {2, 51295177453.019234}, {4, 50988379722.51088}, {8, 50878284566.242325}, {16, 50875815411.312134}, {32, 51025597224.442223}, {64, 51096461761.137749} } },
    { 65536, { {1, 34700377726.621902}, {2, 51132587907.849243}, {4, 50958642020.765991}, {8, 51004497712.005905}, {16, 51040498517.002258}, {32, 50984657725.895874}, {64, 51102686444.829697} } },
  }, -- B/s by SMs, one row per page bytes
  sm_copy_grid_d2h = {
    { 256, { {1, 7500463037.1676588}, {2, 14964371353.906149}, {4, 29875661272.505959}, {8, 52380349892.886337}, {16, 51579036363.091888}, {32, 51710032254.250061}, {64, 51871187087.009171} } },
    { 4096, { {1, 43251840550.270096}, {2, 51801995853.56823}, {4, 52043677441.156708}, {8, 52335904536.523621}, {16, 52439286667.40802}, {32, 52612946666.506416}, {64, 52643322818.505875} } },
    { 65536, { {1, 44093015979.093506}, {2, 52042383222.531937}, {4, 52059179387.588318}, {8, 52570742035.343941}, {16, 52533869713.688469}, {32, 52663149686.12236}, {64, 52510191979.713409} } },
  }, -- B/s by SMs, one row per page bytes
  sm_copy_threads_grid_h2d = {
    { 128, { {1, 4746781896.8028364}, {2, 9624643051.6536064}, {4, 18449964080.701485}, {8, 32593826945.860146}, {16, 50150706330.046104}, {32, 50316755907.565887}, {64, 50717098426.883492} } },
    { 256, { {1, 9311074591.2374573}, {2, 18441688598.436531}, {4, 35224940212.162598}, {8, 51210000994.391228}, {16, 50898041835.337883}, {32, 50907923923.35424}, {64, 51130094008.837845} } },
    { 512, { {1, 19069178541.97147}, {2, 36427228132.06646}, {4, 51163775209.947998}, {8, 50966074347.310265}, {16, 50980940889.481148}, {32, 51155039303.040314}, {64, 51106421055.149277} } },
    { 1024, { {1, 34687749743.735298}, {2, 51260072149.394051}, {4, 50920287688.235207}, {8, 51003259282.155632}, {16, 51137576435.791199}, {32, 50963596664.250313}, {64, 51138821397.123436} } },
  }, -- B/s by SMs, one row per threads per block, 64 KiB pages
  sm_copy_threads_grid_d2h = {
    { 128, { {1, 11922071291.881046}, {2, 23541023207.29467}, {4, 46764455440.669327}, {8, 51762361998.866089}, {16, 51851947174.224037}, {32, 52287624724.391579}, {64, 52401291198.947784} } },
    { 256, { {1, 22743956616.56324}, {2, 45040957985.636658}, {4, 51647628137.533989}, {8, 52240733096.491829}, {16, 52051424853.788788}, {32, 52345048454.745773}, {64, 52558883873.221924} } },
    { 512, { {1, 34805191283.047745}, {2, 51809676240.925552}, {4, 51944416694.123253}, {8, 52381656101.750412}, {16, 52413078348.626366}, {32, 52581284388.350761}, {64, 52611623980.296272} } },
    { 1024, { {1, 44123629051.519577}, {2, 52068226856.488602}, {4, 52249843786.116348}, {8, 52490475201.436073}, {16, 52611623980.296272}, {32, 52653894304.728348}, {64, 52649930115.389542} } },
  }, -- B/s by SMs, one row per threads per block, 64 KiB pages
  batch_h2d_curve = { {4096, 9.0425001690164213e-07}, {16384, 9.5837499247863897e-07}, {65536, 1.4952500350773335e-06}, {262144, 4.9988748505711557e-06}, {1048576, 1.9234750419855117e-05}, {4194304, 7.5887128710746773e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_d2h_curve = { {4096, 8.7549997260794046e-07}, {16384, 9.0475002070888883e-07}, {65536, 1.4262499753385783e-06}, {262144, 4.9923751503229141e-06}, {1048576, 1.9246624782681464e-05}, {4194304, 7.6061248779296875e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_call = 5.4466499999961115e-05, -- s of host time per batched call
  batch_call_curve = { {64, 5.4466499999961115e-05} }, -- s of host time per batched call by entries
  attn_block_table_curve = { {1, 1.1584387387087733}, {4, 1.0388207042701898}, {16, 1.0292596197719068}, {64, 1.0329729906023077}, {256, 1.0249671765844326} }, -- time over contiguous by tokens per block
  attn_offset_table_curve = { {1, 1.2083462134919791}, {4, 1.0715443257284309}, {16, 1.0253222959901722}, {64, 1.0294980786167867}, {256, 1.0267449826139203} }, -- time over contiguous by tokens per block
  source = "kvsim-calibrate on NVIDIA H100 80GB HBM3, driver API 13000, 2026-12-05 23:05 UTC",
}
