-- Platform measured by kvsim-calibrate (kernels/calibrate.cu).
-- device: NVIDIA H100 80GB HBM3, 132 SMs, 85017493504 bytes (84465090560 free), 1 GPU(s), driver API 13000, 2026-12-06 01:02 UTC
-- pcie H2D 55.03 GB/s, D2H 55.15 GB/s at 256 MiB (pcie_bw = the lower)
-- copy fixed cost 2.29 us (median of time - bytes/bw, 4..64 KiB, both directions); 1-byte copies back to back 2.27 us each; 1-byte copy + sync round trip 5.58 us (median)
-- duplex (256 MiB each way at once): 67.94 GB/s aggregate (host_bw: a lower bound of host DRAM bandwidth for DMA)
-- device-to-device copy 256 MiB: 2951.1 GB/s counting read + write
-- HBM read stream, GB/s: unrolled x4, 1 GiB, 4 blocks/SM: 3101.5; weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM: 3274.4; weight read, 256 MiB once x 16 launches, 4 blocks/SM: 3013.1; weight read, 1 GiB once, 4 blocks/SM: 3090.2; weight read, 1 GiB once, 8 blocks/SM: 3091.4; weight read, 1 GiB once, 16 blocks/SM: 3093.2; weight read, 2 GiB once, 4 blocks/SM: 3098.1
-- HBM read stream: 3274.4 GB/s, the best (weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM) (hbm_bw)
-- bf16 matrix product 8192x8192x8192 (cuBLAS, random data): 796 TFLOP/s
-- kernel launch: 3.18 us each back to back; launch + sync round trip 8.56 us (median)
-- table write (4 KiB H2D from pinned memory between CUDA events on an idle stream, as the GPU backend does): median 4.06 us, p10 3.87, p90 4.13 (table_write); the same copies queued back to back 3.65 us; the former definition, 4 KiB H2D + kernel launch back to back, 8.69 us
-- table write right after a step (a read stream of a few ms on the same stream, then a host sync, then the event pair and the copy; 100 times): median 4.74 us, p10 4.51, p90 5.25
-- zero-copy dependent read of mapped host memory: 1.19 us each (pcie_lat = round trip)
-- host memcpy 256 MiB, one thread: 13.2 GB/s (one CPU core; not host_bw, which is the duplex DMA figure)
-- batch check: 768 entries (every size, both directions) equal their sources byte for byte
-- SM copy check: 559104 pages (every page size, both directions, 8 SMs) equal their sources byte for byte; threads per block: 1024, kv_transfer_launch's (the next table varies them)
-- SM copy with 1 SM, 64 KiB pages, mean of both directions: 38.41 GB/s (sm_copy_bw_per_sm)
-- SM copy both directions at once (kv_transfer_pair_launch, 8 SMs, 64 KiB pages, 64 MiB each way): 52.94 GB/s aggregate (sm_duplex_bw)
-- SM copy by threads check: 8192 pages (every block size, both directions, 8 SMs) equal their sources byte for byte
-- attention check: block-table and offset-table outputs equal the contiguous one at every block size (worst relative L2 0, tolerance 1e-05); contiguous vs float64 CPU reference on 4 requests 1.5e-07 (tolerance 1e-3)
-- vmm 2 MiB medians in isolation (us): reserve 0.76 create 14.16 map 1.05 set_access 29.11 unmap 19.82 release 14.71 addr_free 0.84
-- vmm 4 MiB medians in isolation (us): reserve 0.76 create 13.34 map 1.07 set_access 29.13 unmap 19.84 release 17.42 addr_free 0.82
-- vmm 8 MiB medians in isolation (us): reserve 0.77 create 13.40 map 1.05 set_access 29.29 unmap 19.95 release 21.12 addr_free 0.83
-- vmm 16 MiB medians in isolation (us): reserve 0.72 create 12.09 map 0.91 set_access 27.40 unmap 18.31 release 23.44 addr_free 0.70
-- vmm 64 MiB medians in isolation (us): reserve 2.19 create 8.84 map 0.62 set_access 34.59 unmap 22.24 release 35.75 addr_free 1.77
-- vmm 256 MiB medians in isolation (us): reserve 4.57 create 19.87 map 1.33 set_access 52.05 unmap 29.01 release 156.19 addr_free 4.01
-- vmm 1024 MiB medians in isolation (us): reserve 5.93 create 49.17 map 2.12 set_access 93.60 unmap 43.37 release 499.55 addr_free 6.87
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU idle, us median (p10/p90): reserve 0.70 (0.55/0.96) create 13.74 (11.53/14.65) map 1.16 (0.91/1.50) set_access 31.17 (27.85/33.56) unmap 23.03 (20.77/25.34) release 16.02 (14.43/17.62) addr_free 0.79 (0.62/1.02)
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU busy with a read stream, us median (p10/p90): reserve 0.70 (0.41/1.03) create 14.04 (8.39/15.00) map 1.15 (0.64/1.55) set_access 35.18 (26.74/39.94) unmap 32.86 (22.04/37.10) release 16.18 (10.16/17.85) addr_free 0.80 (0.39/1.02); 24 reads launched
-- vmm 2 MiB, 200 cycles among 128 live handles, each cycle right after a step, us median (p10/p90): reserve 1.65 (0.69/4.38) create 29.90 (9.85/249.51) map 1.63 (0.91/4.52) set_access 32.53 (23.37/54.83) unmap 23.05 (17.98/36.23) release 18.01 (10.66/25.44) addr_free 0.76 (0.47/2.37)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 16 live handles, GPU idle, us median (p10/p90): reserve 0.42 (0.36/0.54) create 7.75 (7.60/8.00) map 0.69 (0.62/0.83) set_access 19.53 (19.17/20.42) unmap 13.96 (13.67/14.54) release 9.66 (9.52/9.86) addr_free 0.42 (0.38/0.50)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 1024 live handles, GPU idle, us median (p10/p90): reserve 0.38 (0.33/0.51) create 7.91 (7.76/8.30) map 0.67 (0.60/0.87) set_access 21.28 (20.92/21.98) unmap 16.40 (15.63/17.92) release 10.48 (9.98/11.13) addr_free 0.41 (0.39/0.47)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 4096 live handles, GPU idle, us median (p10/p90): reserve 0.38 (0.33/0.50) create 8.04 (7.86/8.39) map 0.69 (0.61/0.86) set_access 21.70 (21.29/22.87) unmap 16.55 (15.68/17.74) release 10.52 (9.97/11.18) addr_free 0.44 (0.41/0.51)
-- vmm 64 MiB, 200 cycles among 32 live handles, GPU idle, us median (p10/p90): reserve 1.93 (1.86/2.14) create 9.89 (9.18/22.28) map 0.80 (0.71/0.94) set_access 22.09 (21.52/24.70) unmap 15.04 (14.63/15.98) release 26.48 (25.96/39.26) addr_free 2.23 (2.07/2.61)
-- vmm 64 MiB, 200 cycles among 32 live handles, each cycle right after a step, us median (p10/p90): reserve 2.32 (2.10/2.56) create 21.37 (20.63/30.02) map 0.91 (0.80/1.14) set_access 22.75 (21.88/25.22) unmap 15.37 (14.77/16.87) release 25.49 (24.68/27.12) addr_free 2.16 (2.03/2.50)
-- vmm growth, fresh range: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 9.14 (105.87/8.58/12.55; 9.04, 9.42) map 1.02 (2.11/0.87/2.11; 1.05, 0.98) set_access 23.24 (46.86/22.29/25.17; 22.86, 24.41) unmap 16.89 (65.55/15.90/18.45; 17.37, 16.43) release 10.15 (31.48/9.72/10.67; 10.39, 10.01)
-- vmm growth, same range again: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 9.07 (34.06/8.57/12.43; 9.02, 9.11) map 1.01 (3.53/0.86/1.26; 1.02, 1.00) set_access 22.97 (68.40/22.19/24.02; 22.81, 23.16) unmap 16.87 (57.16/15.76/18.28; 17.37, 16.45) release 10.13 (31.79/9.68/10.72; 10.34, 10.05)
-- vmm growth, new range, memory recycled: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 9.07 (32.21/8.57/12.00; 9.00, 9.16) map 1.02 (4.16/0.89/1.26; 1.05, 1.03) set_access 23.01 (67.23/22.24/24.12; 22.80, 23.07) unmap 16.88 (58.50/15.77/18.48; 17.32, 16.46) release 10.14 (30.79/9.65/10.73; 10.35, 10.03)
-- vmm growth, fresh range: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 9.36 (33.65/9.00/10.18; 9.37, 9.38) map 1.03 (3.92/0.88/1.39; 1.14, 0.99) set_access 23.57 (71.81/22.78/39.41; 23.99, 23.43) unmap 15.20 (45.72/14.14/22.74; 16.71, 14.73) release 25.18 (39.91/24.25/36.91; 25.60, 24.79)
-- vmm growth, same range again: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 9.27 (127.85/8.62/10.41; 8.84, 9.27) map 0.87 (1.34/0.65/1.12; 1.02, 0.94) set_access 23.28 (40.02/21.98/39.97; 22.60, 23.54) unmap 15.39 (29.40/14.33/22.25; 15.88, 14.39) release 25.25 (33.03/24.40/36.79; 25.36, 25.05)
-- vmm growth, new range, memory recycled: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 9.04 (124.45/8.39/10.14; 8.84, 9.25) map 0.88 (1.87/0.66/1.16; 1.01, 0.95) set_access 22.73 (38.73/21.97/39.01; 22.69, 23.86) unmap 14.92 (34.59/14.28/22.47; 16.07, 14.60) release 25.32 (32.43/24.30/36.82; 25.35, 24.76)
-- vmm after a gap, 2 MiB, nominal 0 ms, 12 cycles, read kernels of 5.00 ms, us median @ ms since the call's last (median): reserve 0.69 @0.25 create 19.49 @0.23 map 0.71 @0.25 set_access 20.09 @0.23 unmap 14.66 @0.24 release 20.69 @0.23 addr_free 0.46 @0.25
-- vmm after a gap, 2 MiB, nominal 1 ms, 12 cycles, read kernels of 5.00 ms, us median @ ms since the call's last (median): reserve 0.78 @3.08 create 8.77 @3.07 map 0.77 @3.08 set_access 21.17 @3.06 unmap 15.40 @3.07 release 9.36 @3.08 addr_free 0.51 @3.09
-- vmm after a gap, 2 MiB, nominal 2 ms, 12 cycles, read kernels of 5.00 ms, us median @ ms since the call's last (median): reserve 0.87 @6.02 create 8.98 @6.01 map 0.76 @6.02 set_access 21.40 @6.00 unmap 15.57 @6.02 release 9.41 @6.02 addr_free 0.50 @6.03
-- vmm after a gap, 2 MiB, nominal 5 ms, 12 cycles, read kernels of 5.00 ms, us median @ ms since the call's last (median): reserve 0.79 @11.88 create 9.15 @11.87 map 0.80 @11.88 set_access 21.62 @11.85 unmap 15.68 @11.89 release 9.44 @11.90 addr_free 0.49 @11.91
-- vmm after a gap, 2 MiB, nominal 10 ms, 12 cycles, read kernels of 5.00 ms, us median @ ms since the call's last (median): reserve 0.96 @20.73 create 9.61 @20.73 map 0.82 @20.73 set_access 21.85 @20.71 unmap 16.18 @20.76 release 9.79 @20.77 addr_free 0.50 @20.78
-- vmm after a gap, 2 MiB, nominal 20 ms, 12 cycles, read kernels of 5.00 ms, us median @ ms since the call's last (median): reserve 1.05 @41.43 create 10.80 @41.42 map 0.93 @41.43 set_access 23.99 @41.40 unmap 18.28 @41.41 release 10.56 @41.42 addr_free 0.55 @41.43
-- vmm after a gap, 2 MiB, nominal 50 ms, 12 cycles, read kernels of 5.00 ms, us median @ ms since the call's last (median): reserve 1.01 @100.72 create 11.88 @100.71 map 0.94 @100.72 set_access 24.90 @100.70 unmap 18.85 @101.13 release 10.96 @101.14 addr_free 0.56 @101.14
-- vmm after a gap, 2 MiB, nominal 200 ms, 12 cycles, read kernels of 5.00 ms, us median @ ms since the call's last (median): reserve 1.84 @401.76 create 20.16 @401.75 map 1.66 @401.76 set_access 34.42 @401.74 unmap 31.03 @401.74 release 18.89 @401.76 addr_free 0.85 @401.81
-- vmm after a gap, 2 MiB, nominal 500 ms, 12 cycles, read kernels of 5.00 ms, us median @ ms since the call's last (median): reserve 11.96 @1001.65 create 94.59 @1001.56 map 7.47 @1001.64 set_access 94.49 @1001.53 unmap 114.71 @1001.80 release 42.91 @1001.89 addr_free 4.34 @1001.92
-- vmm after a gap, 64 MiB, nominal 0 ms, 12 cycles, read kernels of 5.00 ms, us median @ ms since the call's last (median): reserve 2.81 @0.25 create 9.09 @0.24 map 0.76 @0.25 set_access 36.99 @0.22 unmap 23.26 @0.23 release 37.31 @0.22 addr_free 2.10 @0.25
-- vmm after a gap, 64 MiB, nominal 1 ms, 12 cycles, read kernels of 5.00 ms, us median @ ms since the call's last (median): reserve 3.11 @3.11 create 22.07 @3.09 map 0.92 @3.12 set_access 38.00 @3.08 unmap 24.69 @3.09 release 25.96 @3.09 addr_free 2.33 @3.11
-- vmm after a gap, 64 MiB, nominal 2 ms, 12 cycles, read kernels of 5.00 ms, us median @ ms since the call's last (median): reserve 3.20 @5.96 create 22.07 @5.94 map 0.92 @5.96 set_access 37.74 @5.92 unmap 24.45 @5.94 release 25.97 @5.93 addr_free 2.21 @5.96
-- vmm after a gap, 64 MiB, nominal 5 ms, 12 cycles, read kernels of 5.00 ms, us median @ ms since the call's last (median): reserve 5.15 @11.71 create 27.58 @11.70 map 1.24 @11.73 set_access 44.39 @11.68 unmap 28.74 @11.71 release 30.73 @11.71 addr_free 4.36 @11.73
-- vmm after a gap, 64 MiB, nominal 10 ms, 12 cycles, read kernels of 5.00 ms, us median @ ms since the call's last (median): reserve 4.08 @20.42 create 23.97 @20.40 map 0.98 @20.43 set_access 40.33 @20.39 unmap 27.02 @20.41 release 27.72 @20.40 addr_free 2.66 @20.43
-- vmm after a gap, 64 MiB, nominal 20 ms, 12 cycles, read kernels of 5.00 ms, us median @ ms since the call's last (median): reserve 6.07 @40.50 create 24.81 @40.48 map 1.17 @40.50 set_access 42.72 @40.45 unmap 28.42 @40.47 release 26.86 @40.47 addr_free 3.54 @40.50
-- vmm after a gap, 64 MiB, nominal 50 ms, 12 cycles, read kernels of 5.00 ms, us median @ ms since the call's last (median): reserve 12.33 @100.90 create 32.96 @100.88 map 1.80 @100.92 set_access 51.72 @100.88 unmap 39.30 @100.89 release 31.97 @100.89 addr_free 8.97 @100.93
-- vmm after a gap, 64 MiB, nominal 200 ms, 12 cycles, read kernels of 5.00 ms, us median @ ms since the call's last (median): reserve 21.58 @400.81 create 51.51 @400.80 map 3.73 @400.84 set_access 71.83 @400.73 unmap 52.75 @400.83 release 43.21 @400.83 addr_free 14.57 @400.86
-- vmm after a gap, 64 MiB, nominal 500 ms, 12 cycles, read kernels of 5.00 ms, us median @ ms since the call's last (median): reserve 19.82 @1001.60 create 43.88 @1001.58 map 2.49 @1001.62 set_access 60.83 @1001.56 unmap 48.36 @1001.56 release 37.54 @1001.57 addr_free 13.64 @1001.59
-- vmm after a gap of launches, 2 MiB, nominal 0 ms, 12 cycles, us median @ ms since the call's last (median): reserve 0.99 @0.17 create 10.89 @0.16 map 0.87 @0.17 set_access 25.35 @0.15 unmap 17.55 @0.16 release 11.62 @0.16 addr_free 0.59 @0.17
-- vmm after a gap of launches, 2 MiB, nominal 1 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.22 @2.29 create 11.89 @2.28 map 1.07 @2.29 set_access 26.08 @2.27 unmap 19.15 @2.30 release 12.27 @2.30 addr_free 0.68 @2.32
-- vmm after a gap of launches, 2 MiB, nominal 2 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.15 @4.26 create 11.60 @4.25 map 1.01 @4.26 set_access 25.00 @4.24 unmap 18.24 @4.26 release 11.58 @4.27 addr_free 0.65 @4.28
-- vmm after a gap of launches, 2 MiB, nominal 5 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.02 @10.29 create 9.77 @10.28 map 1.05 @10.29 set_access 22.61 @10.27 unmap 17.04 @10.27 release 10.31 @10.28 addr_free 0.55 @10.28
-- vmm after a gap of launches, 2 MiB, nominal 10 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.28 @20.27 create 10.99 @20.26 map 1.06 @20.27 set_access 24.60 @20.25 unmap 18.81 @20.26 release 10.64 @20.27 addr_free 0.59 @20.28
-- vmm after a gap of launches, 2 MiB, nominal 20 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.37 @40.29 create 11.66 @40.28 map 1.04 @40.29 set_access 24.53 @40.26 unmap 18.48 @40.28 release 10.46 @40.28 addr_free 0.55 @40.29
-- vmm after a gap of launches, 2 MiB, nominal 50 ms, 12 cycles, us median @ ms since the call's last (median): reserve 2.61 @100.34 create 21.97 @100.33 map 1.88 @100.35 set_access 36.44 @100.32 unmap 25.02 @100.30 release 14.01 @100.31 addr_free 0.78 @100.33
-- vmm after a gap of launches, 64 MiB, nominal 0 ms, 12 cycles, us median @ ms since the call's last (median): reserve 2.75 @0.24 create 8.37 @0.23 map 0.67 @0.24 set_access 35.55 @0.21 unmap 22.45 @0.22 release 36.32 @0.21 addr_free 2.00 @0.24
-- vmm after a gap of launches, 64 MiB, nominal 1 ms, 12 cycles, us median @ ms since the call's last (median): reserve 3.34 @2.35 create 21.38 @2.33 map 0.84 @2.35 set_access 36.63 @2.31 unmap 24.09 @2.33 release 25.15 @2.33 addr_free 2.33 @2.36
-- vmm after a gap of launches, 64 MiB, nominal 2 ms, 12 cycles, us median @ ms since the call's last (median): reserve 3.63 @4.31 create 21.85 @4.29 map 0.91 @4.31 set_access 38.13 @4.27 unmap 25.48 @4.30 release 25.51 @4.30 addr_free 2.75 @4.32
-- vmm after a gap of launches, 64 MiB, nominal 5 ms, 12 cycles, us median @ ms since the call's last (median): reserve 4.48 @10.40 create 27.18 @10.38 map 1.38 @10.40 set_access 43.29 @10.36 unmap 27.97 @10.38 release 30.62 @10.37 addr_free 3.33 @10.40
-- vmm after a gap of launches, 64 MiB, nominal 10 ms, 12 cycles, us median @ ms since the call's last (median): reserve 4.97 @20.33 create 24.73 @20.30 map 1.42 @20.33 set_access 40.98 @20.28 unmap 28.05 @20.32 release 27.51 @20.32 addr_free 3.48 @20.34
-- vmm after a gap of launches, 64 MiB, nominal 20 ms, 12 cycles, us median @ ms since the call's last (median): reserve 6.21 @40.40 create 29.80 @40.37 map 1.86 @40.40 set_access 52.35 @40.36 unmap 34.39 @40.36 release 33.89 @40.36 addr_free 4.81 @40.39
-- vmm after a gap of launches, 64 MiB, nominal 50 ms, 12 cycles, us median @ ms since the call's last (median): reserve 9.13 @100.36 create 29.22 @100.34 map 1.86 @100.38 set_access 50.81 @100.34 unmap 33.16 @100.36 release 30.82 @100.37 addr_free 6.33 @100.39
-- vmm growth on the launching thread, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 9.87 (12.62/8.95/12.66) map 1.21 (1.45/0.95/1.62) set_access 29.34 (54.65/27.29/32.55)
-- vmm growth on one thread kept for the series, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 29.12 (124.61/23.19/38.26) map 3.33 (11.11/2.21/11.58) set_access 57.91 (135.21/48.09/70.41)
-- vmm growth on a new thread per handle, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 27.50 (39.11/16.09/61.72) map 3.21 (4.78/1.68/8.21) set_access 52.35 (82.30/36.99/89.47)
-- vmm growth on the launching thread, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 12.45 (48.39/11.56/31.17) map 1.51 (5.63/1.10/3.87) set_access 30.65 (106.82/28.69/57.78)
-- vmm growth on one thread kept for the series, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 15.35 (85.04/11.56/46.97) map 1.72 (6.36/1.26/3.47) set_access 39.69 (120.01/30.52/66.27)
-- vmm growth on a new thread per handle, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 36.95 (81.03/32.84/66.58) map 4.51 (4.88/3.68/7.99) set_access 61.10 (96.92/57.14/96.92)
-- vmm reserve / free of 16 MiB ranges among live ranges, us median per window of calls (live: reserve free): 0: 0.61 0.65 32: 2.19 2.11 96: 2.52 2.04 160: 3.02 2.07 224: 3.52 2.18 288: 4.19 1.89 352: 4.68 2.27 416: 5.25 2.02 480: 5.66 2.21 544: 6.36 2.05 608: 7.00 2.11 672: 7.36 2.04 736: 8.16 2.05 800: 8.51 2.26 864: 8.13 2.44 928: 8.20 3.22 992: 10.23 3.25
-- vmm factors over isolation at the granularity (busy, after_step): reserve 1.027 2.434 create 0.991 2.111 map 1.088 1.549 set_access 1.209 1.118 unmap 1.658 1.163 release 1.100 1.225 free_va 1.128 1.083
return {
  name = "h100-measured-gapk",
  gpus_per_server = 1, -- cudaGetDeviceCount
  servers = 1, -- one machine
  hbm_bytes = 85017493504, -- cudaMemGetInfo total
  hbm_bw = 3.274e+12, -- best read stream (kernels and launch shapes above)
  d2d_bw = 2.951e+12, -- cudaMemcpyAsync D2D 256 MiB, read+write
  flops = 7.956e+14, -- cuBLAS bf16 GEMM
  sms = 132, -- device property
  kernel_launch = 3.179e-06, -- empty kernels back to back
  pcie_bw = 5.503e+10, -- min(H2D, D2H) at 256 MiB, pinned
  pcie_lat = 1.194e-06, -- zero-copy dependent read round trip
  copy_overhead = 2.292e-06, -- fixed cost per cudaMemcpyAsync
  sm_copy_bw_per_sm = 3.841e+10, -- kv_transfer_launch on 1 SM
  sm_duplex_bw = 5.294e+10, -- kv_transfer_pair_launch both ways at once, 8 SMs, aggregate
  gpus_per_uplink = 0, -- not measured: own link assumed
  uplink_bw = 0, -- not measured (gpus_per_uplink = 0)
  host_bw = 6.794e+10, -- duplex DMA aggregate: lower bound of host DRAM bw for DMA
  nvlink_bw = 0, -- not measured (one GPU)
  nvlink_lat = 0, -- not measured (one GPU)
  nic_bw = 0, -- no inter-server tier
  nic_lat = 0, -- no inter-server tier
  vmm_reserve = 1.655e-06, -- cuMemAddressReserve, granularity range, cycles after a step, median
  vmm_create = 2.99e-05, -- cuMemCreate, cycles after a step, median
  vmm_map = 1.633e-06, -- cuMemMap, cycles after a step, median
  vmm_set_access = 3.253e-05, -- cuMemSetAccess, cycles after a step, median
  vmm_unmap = 2.305e-05, -- cuMemUnmap, cycles after a step, median
  vmm_release = 1.801e-05, -- cuMemRelease, cycles after a step, median
  vmm_granularity = 2097152, -- cuMemGetAllocationGranularity minimum
  vmm_reserve_per_mib = 5.06e-09, -- size slope: (largest - smallest handle median) / MiB, isolation
  vmm_create_per_mib = 3.425e-08, -- size slope, isolation
  vmm_map_per_mib = 1.045e-09, -- size slope, isolation
  vmm_set_access_per_mib = 6.311e-08, -- size slope, isolation
  vmm_unmap_per_mib = 2.304e-08, -- size slope, isolation
  vmm_release_per_mib = 4.744e-07, -- size slope, isolation
  table_write = 4.736e-06, -- 4 KiB H2D from pinned right after a step, events, median
  -- measured curves (every raw one in h100-measured-gapk.curves.csv)
  vmm_reserve_curve = { {2097152, 6.7999999942003342e-07}, {4194304, 7.5750000405605533e-07}, {8388608, 7.6900000323121276e-07}, {16777216, 7.1550000058095975e-07}, {67108864, 3.059000007965551e-06}, {268435456, 4.5739999947613796e-06}, {1073741824, 2.6140000102259364e-06}, {17179869184, 2.612499997667328e-06}, {274877906944, 2.5805000092304908e-06}, {1099511627776, 2.766499989093063e-06} }, -- s per call by range bytes, isolation
  vmm_create_curve = { {2097152, 1.4164500001356828e-05}, {4194304, 1.3340500004233036e-05}, {8388608, 1.3395999999943342e-05}, {16777216, 1.2089499996648101e-05}, {67108864, 8.8429999962613692e-06}, {268435456, 1.9867000006001945e-05}, {1073741824, 4.9167000000238659e-05} }, -- s per call by handle bytes, isolation
  vmm_map_curve = { {2097152, 1.0544999966555224e-06}, {4194304, 1.0709999997970954e-06}, {8388608, 1.0549999984732494e-06}, {16777216, 9.1199999729951742e-07}, {67108864, 6.1500000470005034e-07}, {268435456, 1.3299999963578557e-06}, {1073741824, 2.1224999997571103e-06} }, -- s per call by handle bytes, isolation
  vmm_set_access_curve = { {2097152, 2.9109999999832326e-05}, {4194304, 2.9126000001156171e-05}, {8388608, 2.9290500002332465e-05}, {16777216, 2.7400000007560266e-05}, {67108864, 3.4592500000485416e-05}, {268435456, 5.205499999760832e-05}, {1073741824, 9.360349999809614e-05} }, -- s per call by handle bytes, isolation
  vmm_unmap_curve = { {2097152, 1.9821000002195888e-05}, {4194304, 1.983800000004976e-05}, {8388608, 1.9947999994940346e-05}, {16777216, 1.831100000515562e-05}, {67108864, 2.2235500004796904e-05}, {268435456, 2.9010999995193743e-05}, {1073741824, 4.3365499998060386e-05} }, -- s per call by handle bytes, isolation
  vmm_release_curve = { {2097152, 1.4707500000099571e-05}, {4194304, 1.7415999998604548e-05}, {8388608, 2.1121499997889259e-05}, {16777216, 2.3441000003288082e-05}, {67108864, 3.5747000005414975e-05}, {268435456, 0.00015618549999629749}, {1073741824, 0.0004995529999973769} }, -- s per call by handle bytes, isolation
  vmm_free_va_curve = { {2097152, 7.0549999975355604e-07}, {4194304, 8.2049999150513031e-07}, {8388608, 8.310000012556884e-07}, {16777216, 6.9650000256160638e-07}, {67108864, 2.5444999920409828e-06}, {268435456, 4.0084999994860482e-06}, {1073741824, 2.488000006906077e-06}, {17179869184, 2.5515000174891611e-06}, {274877906944, 3.8660000001300432e-06}, {1099511627776, 3.9634999922100178e-06} }, -- s per call by range bytes, isolation
  vmm_reserve_live = { {16, 0.61250001201653159}, {128, 1.0249999968652526}, {1024, 0.56470588776191699}, {4096, 0.5536764567892003} }, -- idle call among x live handles / isolated
  vmm_create_live = { {16, 0.54749549916111007}, {128, 0.97038370542755936}, {1024, 0.55865014626104226}, {4096, 0.56775742149158415} }, -- idle call among x live handles / isolated
  vmm_map_live = { {16, 0.6543385513853559}, {128, 1.1024182030039267}, {1024, 0.632053107817243}, {4096, 0.65670934511806034} }, -- idle call among x live handles / isolated
  vmm_set_access_live = { {16, 0.67107523187773777}, {128, 1.0707832358172131}, {1024, 0.73093438693967328}, {4096, 0.74555135698106745} }, -- idle call among x live handles / isolated
  vmm_unmap_live = { {16, 0.70437919346510958}, {128, 1.1621008017723577}, {1024, 0.82763230881546501}, {4096, 0.83507391204017289} }, -- idle call among x live handles / isolated
  vmm_release_live = { {16, 0.65663776945844654}, {128, 1.0895461503268031}, {1024, 0.71245962956574915}, {4096, 0.71541730434545714} }, -- idle call among x live handles / isolated
  vmm_free_va_live = { {16, 0.5995747741637355}, {128, 1.1133947649144935}, {1024, 0.57406096212945201}, {4096, 0.62367114660084921} }, -- idle call among x live handles / isolated
  vmm_create_grow = { {2097152, 9.1364999974530292e-06}, {67108864, 9.3630000037592254e-06} }, -- s per call growing the pool, by handle bytes
  vmm_map_grow = { {2097152, 1.0214999974778038e-06}, {67108864, 1.0275000050796734e-06} }, -- s per call growing the pool, by handle bytes
  vmm_set_access_grow = { {2097152, 2.3238000004255355e-05}, {67108864, 2.356550000115476e-05} }, -- s per call growing the pool, by handle bytes
  vmm_reserve_live_va = { {32, 3.0628930620869461}, {96, 3.5276030460008743}, {160, 4.2208246063441806}, {224, 4.915443736222187}, {288, 5.8525506344123759}, {352, 6.5394828736509139}, {416, 7.3368273763386771}, {480, 7.911250878657345}, {544, 8.8888888822684109}, {608, 9.7875611286469351}, {672, 10.283018853871628}, {736, 11.40391335557476}, {800, 11.896575822561461}, {864, 11.368972726907007}, {928, 11.460517126349087}, {992, 14.30188677746307} }, -- among x live ranges / none
  vmm_free_va_live_va = { {32, 3.0344579968299694}, {96, 2.923905239572719}, {160, 2.9676956056558632}, {224, 3.1328068842480796}, {288, 2.7193108406754978}, {352, 3.2620244004149161}, {416, 2.8944723458145476}, {480, 3.1665470033811531}, {544, 2.9411342430885132}, {608, 3.0236898619813841}, {672, 2.9303661082399279}, {736, 2.9411342226852759}, {800, 3.2455132643943996}, {864, 3.5082555425062116}, {928, 4.6281406690166369}, {992, 4.667623809724879} }, -- among x live ranges / none
  vmm_reserve_gap = {
    { 2097152, { {0.00025000000000000001, 6.8700000355192969e-07}, {0.0030799999999999998, 7.8300000438957795e-07}, {0.0060200000000000002, 8.6899999018896779e-07}, {0.01188, 7.9400000174700835e-07}, {0.020729999999999998, 9.5999999416562787e-07}, {0.041430000000000002, 1.0519999875668873e-06}, {0.10072, 1.0070000087125663e-06}, {0.40176000000000001, 1.8380000028628274e-06}, {1.0016499999999999, 1.19560000086949e-05} } },
    { 67108864, { {0.00025000000000000001, 2.8104999927336394e-06}, {0.0031099999999999999, 3.1099999944217416e-06}, {0.00596, 3.201999987823001e-06}, {0.01171, 5.1460000065617351e-06}, {0.020420000000000001, 4.0839999826403073e-06}, {0.040500000000000001, 6.071999990808763e-06}, {0.1009, 1.2328999986266354e-05}, {0.40081, 2.1580999998604966e-05}, {1.0016, 1.9818999987819552e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_create_gap = {
    { 2097152, { {0.00023000000000000001, 1.9492499994555601e-05}, {0.0030699999999999998, 8.7690000043494365e-06}, {0.0060099999999999997, 8.9830000007395938e-06}, {0.01187, 9.1530000077000295e-06}, {0.020729999999999998, 9.6100000064325286e-06}, {0.041419999999999998, 1.0795000008556599e-05}, {0.10070999999999999, 1.1878999998771178e-05}, {0.40175, 2.0160999994800477e-05}, {1.00156, 9.459300000003168e-05} } },
    { 67108864, { {0.00024000000000000001, 9.0915000043878536e-06}, {0.0030899999999999999, 2.2072999996680664e-05}, {0.00594, 2.2070999989409756e-05}, {0.0117, 2.7580999983456422e-05}, {0.020400000000000001, 2.3967000004176953e-05}, {0.040480000000000002, 2.4807999977838335e-05}, {0.10088, 3.2959000009213923e-05}, {0.40079999999999999, 5.1512999988290176e-05}, {1.0015799999999999, 4.3878000013819474e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_map_gap = {
    { 2097152, { {0.00025000000000000001, 7.1499999165780537e-07}, {0.0030799999999999998, 7.6999999976123945e-07}, {0.0060200000000000002, 7.6400000637022458e-07}, {0.01188, 8.0499999910443876e-07}, {0.020729999999999998, 8.2100000042828469e-07}, {0.041430000000000002, 9.2500000903328328e-07}, {0.10072, 9.4399999284178193e-07}, {0.40176000000000001, 1.6579999879695606e-06}, {1.0016400000000001, 7.4740000002293527e-06} } },
    { 67108864, { {0.00025000000000000001, 7.6450000108252425e-07}, {0.0031199999999999999, 9.1500001531130692e-07}, {0.00596, 9.1900000143141369e-07}, {0.011730000000000001, 1.2360000027911155e-06}, {0.02043, 9.780000027603819e-07}, {0.040500000000000001, 1.1700000186465331e-06}, {0.10092, 1.7950000028577051e-06}, {0.40083999999999997, 3.7279999958172994e-06}, {1.00162, 2.4949999897216912e-06} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_set_access_gap = {
    { 2097152, { {0.00023000000000000001, 2.0090999989008651e-05}, {0.0030599999999999998, 2.1169999996573097e-05}, {0.0060000000000000001, 2.1401000012133409e-05}, {0.011849999999999999, 2.1615999997948165e-05}, {0.020709999999999999, 2.1846999999297623e-05}, {0.041399999999999999, 2.3988999998891813e-05}, {0.1007, 2.489899999602585e-05}, {0.40173999999999999, 3.4420000005752627e-05}, {1.00153, 9.4493999995393096e-05} } },
    { 67108864, { {0.00022000000000000001, 3.6989000008702533e-05}, {0.0030799999999999998, 3.7995999974782535e-05}, {0.0059199999999999999, 3.7735999995902603e-05}, {0.011679999999999999, 4.4390999988763724e-05}, {0.020389999999999998, 4.0332000025955494e-05}, {0.04045, 4.2716999985259463e-05}, {0.10088, 5.1718000008804665e-05}, {0.40072999999999998, 7.1833999982118257e-05}, {1.00156, 6.0830999984773371e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_unmap_gap = {
    { 2097152, { {0.00024000000000000001, 1.4661000001581215e-05}, {0.0030699999999999998, 1.5404999999191205e-05}, {0.0060200000000000002, 1.5568999998549771e-05}, {0.01189, 1.5681000007816692e-05}, {0.020760000000000001, 1.6181999995978913e-05}, {0.041410000000000002, 1.8282999988628035e-05}, {0.10113, 1.8853000000262909e-05}, {0.40173999999999999, 3.1031999995434489e-05}, {1.0018, 0.00011471199999846249} } },
    { 67108864, { {0.00023000000000000001, 2.3261000009711097e-05}, {0.0030899999999999999, 2.4687000006906601e-05}, {0.00594, 2.4447000015470621e-05}, {0.01171, 2.873500000077911e-05}, {0.020410000000000001, 2.7020999993965233e-05}, {0.040469999999999999, 2.8422000013961224e-05}, {0.10088999999999999, 3.9297000000715343e-05}, {0.40083000000000002, 5.2752000016198508e-05}, {1.00156, 4.8355999979321496e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_release_gap = {
    { 2097152, { {0.00023000000000000001, 2.0691999992550336e-05}, {0.0030799999999999998, 9.3639999931838247e-06}, {0.0060200000000000002, 9.4139999902154159e-06}, {0.011900000000000001, 9.4390000100474936e-06}, {0.02077, 9.79099999653954e-06}, {0.041419999999999998, 1.0556999995969818e-05}, {0.10113999999999999, 1.0963000008246127e-05}, {0.40176000000000001, 1.889199999993707e-05}, {1.0018899999999999, 4.2908999972723905e-05} } },
    { 67108864, { {0.00022000000000000001, 3.7311499994530095e-05}, {0.0030899999999999999, 2.5956000001770008e-05}, {0.0059300000000000004, 2.5965000020278239e-05}, {0.01171, 3.0734999995729595e-05}, {0.020400000000000001, 2.7721999998675528e-05}, {0.040469999999999999, 2.6861000009148484e-05}, {0.10088999999999999, 3.1969999980674402e-05}, {0.40083000000000002, 4.3210999990606069e-05}, {1.0015700000000001, 3.754499999786276e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_free_va_gap = {
    { 2097152, { {0.00025000000000000001, 4.5799999526252577e-07}, {0.0030899999999999999, 5.0500000270403689e-07}, {0.0060299999999999998, 5.010000023730754e-07}, {0.01191, 4.8700000832013757e-07}, {0.02078, 5.0299999543312879e-07}, {0.041430000000000002, 5.4799998849830445e-07}, {0.10113999999999999, 5.5600000337108213e-07}, {0.40181, 8.450000024140536e-07}, {1.0019199999999999, 4.3360000177017355e-06} } },
    { 67108864, { {0.00025000000000000001, 2.0994999800905134e-06}, {0.0031099999999999999, 2.3339999870586325e-06}, {0.00596, 2.2090000015850819e-06}, {0.011730000000000001, 4.3550000157210889e-06}, {0.02043, 2.6559999923847499e-06}, {0.040500000000000001, 3.5380000156237656e-06}, {0.10093000000000001, 8.97000001032211e-06}, {0.40085999999999999, 1.4573999976619234e-05}, {1.00159, 1.3644000006252099e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_reserve_busy = 1.0021520779822388, -- busy / idle among the same live handles at the granularity
  vmm_create_busy = 1.0216806113793193, -- busy / idle among the same live handles at the granularity
  vmm_map_busy = 0.98666666699265038, -- busy / idle among the same live handles at the granularity
  vmm_set_access_busy = 1.1286472788582793, -- busy / idle among the same live handles at the granularity
  vmm_unmap_busy = 1.4266084921055842, -- busy / idle among the same live handles at the granularity
  vmm_release_busy = 1.0098911033984992, -- busy / idle among the same live handles at the granularity
  vmm_free_va_busy = 1.013367267153519, -- busy / idle among the same live handles at the granularity
  vmm_reserve_after_step = 2.3744619766815775, -- after_step / idle among the same live handles at the granularity
  vmm_create_after_step = 2.1750818491598602, -- after_step / idle among the same live handles at the granularity
  vmm_map_after_step = 1.4047311963634588, -- after_step / idle among the same live handles at the granularity
  vmm_set_access_after_step = 1.0436630791877854, -- after_step / idle among the same live handles at the granularity
  vmm_unmap_after_step = 1.0008248678097305, -- after_step / idle among the same live handles at the granularity
  vmm_release_after_step = 1.124184841547194, -- after_step / idle among the same live handles at the granularity
  vmm_free_va_after_step = 0.97262888996364305, -- after_step / idle among the same live handles at the granularity
  copy_h2d_curve = { {4096, 2.5607519783079623e-06}, {16384, 2.8950241394340991e-06}, {65536, 4.2311679571866987e-06}, {262144, 7.5154560618102548e-06}, {1048576, 2.201412431895733e-05}, {4194304, 7.9151622951030727e-05}, {16777216, 0.0003086639940738678}, {67108864, 0.0012256779670715332}, {268435456, 0.0048780479431152343} }, -- s per cudaMemcpyAsync by bytes, back to back
  copy_d2h_curve = { {4096, 1.7639040015637874e-06}, {16384, 2.078480087220669e-06}, {65536, 3.2863840460777283e-06}, {262144, 6.3056158833205701e-06}, {1048576, 2.0481999963521958e-05}, {4194304, 7.7289126813411712e-05}, {16777216, 0.00030581900477409364}, {67108864, 0.001218317985534668}, {268435456, 0.004867087841033936} }, -- s per cudaMemcpyAsync by bytes, back to back
  sm_copy_h2d_curve = { {1, 32793106929.788551}, {2, 32663883902.428539}, {4, 33302399383.283642}, {8, 33032777966.863121}, {16, 33072891226.06361}, {32, 33164942177.191704}, {64, 33315623790.281586} }, -- B/s by SMs, 65536-byte pages
  sm_copy_d2h_curve = { {1, 44017126563.093842}, {2, 51814792995.426544}, {4, 52322843862.868874}, {8, 52023020932.238564}, {16, 52393434418.65126}, {32, 52577331124.326736}, {64, 51983043472.520409} }, -- B/s by SMs, 65536-byte pages
  sm_copy_page_h2d_curve = { {256, 0.95611516853711953}, {4096, 1.010296005260461}, {65536, 1} }, -- rate by page bytes over the 65536-byte page's, at 8 SMs
  sm_copy_page_d2h_curve = { {256, 0.99594816254546414}, {4096, 1.0092381942856994}, {65536, 1} }, -- rate by page bytes over the 65536-byte page's, at 8 SMs
  sm_copy_grid_h2d = {
    { 256, { {1, 4252857414.4222732}, {2, 8442471148.0464773}, {4, 16687902010.282795}, {8, 31583140073.036583}, {16, 32449589630.178524}, {32, 32243539602.728397}, {64, 32657778557.404491} } },
    { 4096, { {1, 31810696612.289761}, {2, 33716812021.484123}, {4, 33161273274.085735}, {8, 33372883622.577583}, {16, 33320387937.14328}, {32, 33722232973.374615}, {64, 32992243696.708813} } },
    { 65536, { {1, 32793106929.788551}, {2, 32663883902.428539}, {4, 33302399383.283642}, {8, 33032777966.863121}, {16, 33072891226.06361}, {32, 33164942177.191704}, {64, 33315623790.281586} } },
  }, -- B/s by SMs, one row per page bytes
  sm_copy_grid_d2h = {
    { 256, { {1, 7503979107.6689329}, {2, 14875740151.604193}, {4, 29742618072.381897}, {8, 51812232107.527214}, {16, 51465117574.085457}, {32, 51741928154.799873}, {64, 51826317738.790001} } },
    { 4096, { {1, 43138849744.091232}, {2, 51799436230.450134}, {4, 51894287140.605827}, {8, 52503619706.93959}, {16, 52529918674.153145}, {32, 52406525483.035812}, {64, 52379038875.616264} } },
    { 65536, { {1, 44017126563.093842}, {2, 51814792995.426544}, {4, 52322843862.868874}, {8, 52023020932.238564}, {16, 52393434418.65126}, {32, 52577331124.326736}, {64, 51983043472.520409} } },
  }, -- B/s by SMs, one row per page bytes
  sm_copy_threads_grid_h2d = {
    { 128, { {1, 4926708507.0493374}, {2, 9936236404.7019272}, {4, 19615866745.10849}, {8, 34330577073.985188}, {16, 34306990114.339706}, {32, 34279512925.883907}, {64, 34397585369.431564} } },
    { 256, { {1, 9917910340.2739735}, {2, 19599918384.022091}, {4, 34030864047.990326}, {8, 33916386771.632774}, {16, 34151676615.494373}, {32, 34024239102.107658}, {64, 33794507491.390312} } },
    { 512, { {1, 19217535536.529331}, {2, 34149451614.254749}, {4, 33813580117.607956}, {8, 33853424696.874386}, {16, 33989496820.239113}, {32, 33924069581.096432}, {64, 33813580117.607956} } },
    { 1024, { {1, 33864906438.604565}, {2, 33568934265.188339}, {4, 33478902397.487587}, {8, 33998865642.735458}, {16, 33668635375.694748}, {32, 33779266496.401951}, {64, 33872563902.169746} } },
  }, -- B/s by SMs, one row per threads per block, 64 KiB pages
  sm_copy_threads_grid_d2h = {
    { 128, { {1, 11929056055.7253}, {2, 23479612230.024559}, {4, 46414625767.264618}, {8, 51384413075.886276}, {16, 51952139374.539558}, {32, 52248544142.743462}, {64, 52264168392.603226} } },
    { 256, { {1, 22749384860.191669}, {2, 44715394052.809364}, {4, 51795599652.810921}, {8, 51904564690.483177}, {16, 52010120740.848137}, {32, 52553614205.68438}, {64, 51867335095.011993} } },
    { 512, { {1, 34660805458.282257}, {2, 51594262704.801796}, {4, 51544806391.878082}, {8, 51842974705.038544}, {16, 52435354725.62899}, {32, 52543082944.185509}, {64, 51979179649.580429} } },
    { 1024, { {1, 43912976355.503632}, {2, 51782807225.485512}, {4, 52294143029.607895}, {8, 52577331124.326736}, {16, 52123875989.081718}, {32, 52107038057.931519}, {64, 52079864626.691742} } },
  }, -- B/s by SMs, one row per threads per block, 64 KiB pages
  batch_h2d_curve = { {4096, 4.6775001101195812e-07}, {16384, 5.2524998318403963e-07}, {65536, 1.3778749853372574e-06}, {262144, 4.9609998241066938e-06}, {1048576, 1.9306374713778497e-05}, {4194304, 7.6551623642444618e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_d2h_curve = { {4096, 4.236249951645732e-07}, {16384, 4.8374998732469979e-07}, {65536, 1.3307499466463924e-06}, {262144, 4.8802499659359453e-06}, {1048576, 1.9152125343680384e-05}, {4194304, 7.6158374547958375e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_call = 2.6911500000892374e-05, -- s of host time per batched call
  batch_call_curve = { {64, 2.6911500000892374e-05} }, -- s of host time per batched call by entries
  attn_block_table_curve = { {1, 1.1760268145389934}, {4, 1.0543543972979734}, {16, 1.0440874118526025}, {64, 1.0443818528930751}, {256, 1.0341964913326001} }, -- time over contiguous by tokens per block
  attn_offset_table_curve = { {1, 1.2261678152008479}, {4, 1.0889159571441323}, {16, 1.0410416615622866}, {64, 1.0371498168426101}, {256, 1.0347296079011337} }, -- time over contiguous by tokens per block
  source = "kvsim-calibrate on NVIDIA H100 80GB HBM3, driver API 13000, 2026-12-06 01:02 UTC",
}
