-- Platform measured by kvsim-calibrate (kernels/calibrate.cu).
-- device: NVIDIA H100 80GB HBM3, 132 SMs, 85017493504 bytes (84465090560 free), 1 GPU(s), driver API 13000, 2026-12-06 02:26 UTC
-- pcie H2D 50.05 GB/s, D2H 55.11 GB/s at 256 MiB (pcie_bw = the lower)
-- copy fixed cost 2.32 us (median of time - bytes/bw, 4..64 KiB, both directions); 1-byte copies back to back 2.41 us each; 1-byte copy + sync round trip 5.80 us (median)
-- duplex (256 MiB each way at once): 68.19 GB/s aggregate (host_bw: a lower bound of host DRAM bandwidth for DMA)
-- device-to-device copy 256 MiB: 2955.8 GB/s counting read + write
-- HBM read stream, GB/s: unrolled x4, 1 GiB, 4 blocks/SM: 3097.1; weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM: 3275.5; weight read, 256 MiB once x 16 launches, 4 blocks/SM: 3016.1; weight read, 1 GiB once, 4 blocks/SM: 3088.4; weight read, 1 GiB once, 8 blocks/SM: 3093.1; weight read, 1 GiB once, 16 blocks/SM: 3093.9; weight read, 2 GiB once, 4 blocks/SM: 3097.1
-- HBM read stream: 3275.5 GB/s, the best (weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM) (hbm_bw)
-- bf16 matrix product 8192x8192x8192 (cuBLAS, random data): 792 TFLOP/s
-- kernel launch: 3.11 us each back to back; launch + sync round trip 8.39 us (median)
-- table write (4 KiB H2D from pinned memory between CUDA events on an idle stream, as the GPU backend does): median 4.13 us, p10 3.81, p90 4.77 (table_write); the same copies queued back to back 3.90 us; the former definition, 4 KiB H2D + kernel launch back to back, 8.77 us
-- table write right after a step (a read stream of a few ms on the same stream, then a host sync, then the event pair and the copy; 100 times): median 4.83 us, p10 4.61, p90 5.28
-- zero-copy dependent read of mapped host memory: 1.20 us each (pcie_lat = round trip)
-- host memcpy 256 MiB, one thread: 10.0 GB/s (one CPU core; not host_bw, which is the duplex DMA figure)
-- batch check: 768 entries (every size, both directions) equal their sources byte for byte
-- SM copy check: 559104 pages (every page size, both directions, 8 SMs) equal their sources byte for byte; threads per block: 1024, kv_transfer_launch's (the next table varies them)
-- SM copy with 1 SM, 64 KiB pages, mean of both directions: 38.29 GB/s (sm_copy_bw_per_sm)
-- SM copy both directions at once (kv_transfer_pair_launch, 8 SMs, 64 KiB pages, 64 MiB each way): 50.51 GB/s aggregate (sm_duplex_bw)
-- SM copy by threads check: 8192 pages (every block size, both directions, 8 SMs) equal their sources byte for byte
-- attention check: block-table and offset-table outputs equal the contiguous one at every block size (worst relative L2 0, tolerance 1e-05); contiguous vs float64 CPU reference on 4 requests 1.5e-07 (tolerance 1e-3)
-- vmm 2 MiB medians in isolation (us): reserve 0.49 create 7.86 map 0.56 set_access 19.71 unmap 14.08 release 9.28 addr_free 0.41
-- vmm 4 MiB medians in isolation (us): reserve 0.38 create 7.87 map 0.56 set_access 19.60 unmap 13.92 release 10.43 addr_free 0.41
-- vmm 8 MiB medians in isolation (us): reserve 0.48 create 7.80 map 0.55 set_access 19.60 unmap 13.96 release 12.24 addr_free 0.41
-- vmm 16 MiB medians in isolation (us): reserve 0.41 create 7.85 map 0.55 set_access 19.75 unmap 14.17 release 15.73 addr_free 0.42
-- vmm 64 MiB medians in isolation (us): reserve 2.12 create 8.41 map 0.61 set_access 33.84 unmap 21.70 release 25.27 addr_free 1.65
-- vmm 256 MiB medians in isolation (us): reserve 2.05 create 10.59 map 0.63 set_access 35.54 unmap 21.85 release 74.04 addr_free 1.68
-- vmm 1024 MiB medians in isolation (us): reserve 2.01 create 21.53 map 0.69 set_access 58.99 unmap 30.75 release 266.20 addr_free 1.82
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU idle, us median (p10/p90): reserve 0.44 (0.39/0.56) create 8.55 (8.24/9.01) map 0.71 (0.64/0.86) set_access 22.25 (21.87/23.22) unmap 16.53 (15.85/17.55) release 10.37 (10.03/10.96) addr_free 0.43 (0.39/0.52)
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU busy with a read stream, us median (p10/p90): reserve 0.46 (0.42/0.62) create 9.33 (8.74/10.48) map 0.73 (0.66/0.94) set_access 27.49 (23.05/30.43) unmap 26.51 (17.03/29.11) release 10.77 (10.30/11.27) addr_free 0.45 (0.41/0.57); 20 reads launched
-- vmm 2 MiB, 200 cycles among 128 live handles, each cycle right after a step, us median (p10/p90): reserve 0.79 (0.66/0.91) create 10.61 (9.43/240.88) map 1.03 (0.85/1.29) set_access 25.43 (22.78/26.73) unmap 18.91 (17.32/20.29) release 11.65 (10.55/12.80) addr_free 0.56 (0.46/0.66)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 16 live handles, GPU idle, us median (p10/p90): reserve 0.46 (0.40/0.57) create 7.81 (7.67/8.10) map 0.69 (0.63/0.81) set_access 19.72 (19.31/20.61) unmap 14.01 (13.73/14.61) release 9.70 (9.54/9.90) addr_free 0.43 (0.39/0.51)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 1024 live handles, GPU idle, us median (p10/p90): reserve 0.39 (0.32/0.54) create 7.96 (7.78/8.38) map 0.66 (0.59/0.81) set_access 21.41 (21.02/22.44) unmap 16.73 (15.71/18.27) release 10.47 (10.03/11.20) addr_free 0.41 (0.40/0.51)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 4096 live handles, GPU idle, us median (p10/p90): reserve 0.43 (0.38/0.54) create 8.13 (7.95/8.50) map 0.69 (0.62/0.87) set_access 21.92 (21.60/22.65) unmap 16.81 (15.82/17.99) release 10.65 (10.19/11.34) addr_free 0.43 (0.41/0.52)
-- vmm 64 MiB, 200 cycles among 32 live handles, GPU idle, us median (p10/p90): reserve 2.32 (2.08/3.65) create 11.76 (10.74/37.19) map 0.99 (0.82/1.61) set_access 25.57 (24.39/35.55) unmap 17.38 (16.24/23.01) release 44.63 (30.31/72.86) addr_free 2.57 (2.22/4.43)
-- vmm 64 MiB, 200 cycles among 32 live handles, each cycle right after a step, us median (p10/p90): reserve 3.59 (2.44/9.26) create 27.73 (21.77/49.08) map 1.50 (0.99/3.33) set_access 29.89 (24.38/48.36) unmap 21.78 (18.26/33.15) release 30.98 (26.16/51.87) addr_free 3.32 (2.25/8.09)
-- vmm growth, fresh range: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 10.21 (132.80/9.06/14.87; 10.84, 9.71) map 1.19 (3.82/0.92/2.41; 1.25, 1.05) set_access 25.40 (62.07/23.44/29.40; 25.17, 24.95) unmap 17.04 (67.93/15.96/18.71; 17.38, 16.79) release 10.03 (33.16/9.53/10.63; 10.21, 9.99)
-- vmm growth, same range again: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 9.46 (47.63/8.63/13.00; 9.01, 10.11) map 1.13 (5.82/0.92/1.48; 1.04, 1.17) set_access 24.17 (75.71/22.34/26.55; 22.83, 25.16) unmap 17.55 (76.02/16.07/19.57; 18.26, 16.94) release 10.26 (35.60/9.75/11.03; 10.59, 10.12)
-- vmm growth, new range, memory recycled: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 9.12 (42.03/8.59/12.43; 9.09, 9.39) map 1.07 (5.81/0.91/1.33; 1.10, 1.09) set_access 23.24 (80.14/22.27/25.09; 23.09, 24.04) unmap 18.55 (66.86/17.52/20.43; 18.76, 18.18) release 11.14 (34.00/10.65/11.76; 11.12, 11.05)
-- vmm growth, fresh range: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 11.16 (47.86/10.53/13.09; 11.06, 10.83) map 1.24 (5.73/1.08/1.81; 1.35, 1.16) set_access 27.73 (97.38/25.85/44.25; 27.56, 26.88) unmap 17.15 (54.78/15.70/25.92; 19.31, 15.96) release 28.74 (48.71/27.80/42.23; 29.16, 28.30)
-- vmm growth, same range again: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 10.55 (151.50/9.82/11.69; 10.56, 10.53) map 1.06 (1.80/0.88/1.35; 1.17, 1.08) set_access 26.15 (46.91/24.92/43.90; 25.21, 26.32) unmap 16.27 (35.95/15.51/24.09; 16.98, 15.81) release 27.42 (38.48/26.87/40.73; 27.67, 27.34)
-- vmm growth, new range, memory recycled: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 9.54 (138.74/8.72/18.74; 9.94, 9.71) map 1.01 (2.29/0.79/1.41; 1.19, 1.08) set_access 24.41 (43.74/23.43/41.92; 24.10, 25.32) unmap 15.73 (36.76/14.76/24.11; 17.09, 14.96) release 25.84 (36.54/24.96/37.77; 26.81, 25.21)
-- vmm after a gap, 2 MiB, nominal 0 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 0.60 @0.25 create 20.35 @0.23 map 0.75 @0.25 set_access 20.81 @0.23 unmap 14.82 @0.24 release 21.60 @0.23 addr_free 0.45 @0.25
-- vmm after a gap, 2 MiB, nominal 1 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 0.84 @2.29 create 8.86 @2.28 map 0.75 @2.29 set_access 20.90 @2.27 unmap 15.48 @2.28 release 9.35 @2.28 addr_free 0.51 @2.29
-- vmm after a gap, 2 MiB, nominal 2 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 0.83 @4.43 create 8.81 @4.42 map 0.75 @4.43 set_access 20.83 @4.41 unmap 15.37 @4.40 release 9.32 @4.40 addr_free 0.51 @4.41
-- vmm after a gap, 2 MiB, nominal 5 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 0.85 @10.44 create 9.25 @10.44 map 0.79 @10.45 set_access 21.61 @10.42 unmap 16.02 @10.45 release 9.58 @10.45 addr_free 0.53 @10.46
-- vmm after a gap, 2 MiB, nominal 10 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 1.07 @20.37 create 10.63 @20.36 map 0.88 @20.37 set_access 23.41 @20.34 unmap 16.58 @20.41 release 10.45 @20.42 addr_free 0.61 @20.43
-- vmm after a gap, 2 MiB, nominal 20 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 1.00 @40.28 create 9.99 @40.27 map 0.86 @40.28 set_access 22.89 @40.26 unmap 17.24 @40.33 release 10.02 @40.34 addr_free 0.53 @40.35
-- vmm after a gap, 2 MiB, nominal 50 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 1.61 @100.39 create 14.88 @100.37 map 1.21 @100.38 set_access 29.06 @100.36 unmap 24.01 @100.39 release 12.31 @100.40 addr_free 0.80 @100.41
-- vmm after a gap, 2 MiB, nominal 200 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 4.01 @400.48 create 30.92 @400.45 map 2.90 @400.48 set_access 45.02 @400.43 unmap 35.81 @400.47 release 17.53 @400.47 addr_free 1.50 @400.49
-- vmm after a gap, 2 MiB, nominal 500 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 5.25 @1000.47 create 37.40 @1000.43 map 3.54 @1000.47 set_access 55.67 @1000.41 unmap 50.13 @1000.47 release 24.49 @1000.50 addr_free 1.95 @1000.53
-- vmm after a gap, 64 MiB, nominal 0 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 2.99 @0.25 create 9.36 @0.24 map 0.79 @0.25 set_access 37.56 @0.21 unmap 22.76 @0.23 release 37.26 @0.21 addr_free 1.99 @0.25
-- vmm after a gap, 64 MiB, nominal 1 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 2.88 @2.30 create 20.92 @2.28 map 0.87 @2.30 set_access 36.27 @2.26 unmap 23.90 @2.28 release 24.84 @2.27 addr_free 1.97 @2.30
-- vmm after a gap, 64 MiB, nominal 2 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 2.89 @4.32 create 20.94 @4.31 map 0.88 @4.33 set_access 36.87 @4.29 unmap 23.89 @4.31 release 25.08 @4.31 addr_free 2.08 @4.33
-- vmm after a gap, 64 MiB, nominal 5 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 3.66 @10.49 create 21.31 @10.47 map 0.88 @10.50 set_access 37.05 @10.46 unmap 23.72 @10.48 release 25.27 @10.47 addr_free 2.11 @10.50
-- vmm after a gap, 64 MiB, nominal 10 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 3.81 @20.29 create 22.20 @20.27 map 1.01 @20.29 set_access 38.83 @20.25 unmap 24.86 @20.27 release 25.55 @20.27 addr_free 2.42 @20.30
-- vmm after a gap, 64 MiB, nominal 20 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 4.61 @40.38 create 23.92 @40.36 map 0.96 @40.39 set_access 40.99 @40.35 unmap 26.80 @40.37 release 25.77 @40.37 addr_free 2.87 @40.40
-- vmm after a gap, 64 MiB, nominal 50 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 9.26 @100.41 create 32.55 @100.38 map 1.78 @100.42 set_access 50.60 @100.36 unmap 36.79 @100.39 release 31.10 @100.41 addr_free 6.61 @100.44
-- vmm after a gap, 64 MiB, nominal 200 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 14.78 @400.47 create 39.56 @400.45 map 2.82 @400.48 set_access 62.81 @400.43 unmap 47.21 @400.45 release 36.38 @400.46 addr_free 9.70 @400.48
-- vmm after a gap, 64 MiB, nominal 500 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 25.84 @1000.51 create 51.25 @1000.49 map 3.43 @1000.54 set_access 75.43 @1000.46 unmap 56.34 @1000.48 release 40.94 @1000.50 addr_free 12.79 @1000.53
-- vmm after a gap of launches, 2 MiB, nominal 0 ms, 12 cycles, us median @ ms since the call's last (median): reserve 0.78 @0.16 create 9.78 @0.15 map 0.84 @0.16 set_access 21.88 @0.14 unmap 14.91 @0.15 release 9.36 @0.16 addr_free 0.43 @0.17
-- vmm after a gap of launches, 2 MiB, nominal 1 ms, 12 cycles, us median @ ms since the call's last (median): reserve 0.95 @2.23 create 10.24 @2.22 map 0.79 @2.23 set_access 22.95 @2.21 unmap 15.81 @2.22 release 9.98 @2.22 addr_free 0.52 @2.23
-- vmm after a gap of launches, 2 MiB, nominal 2 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.01 @4.26 create 10.60 @4.25 map 0.86 @4.26 set_access 23.24 @4.24 unmap 16.28 @4.26 release 9.84 @4.28 addr_free 0.53 @4.29
-- vmm after a gap of launches, 2 MiB, nominal 5 ms, 12 cycles, us median @ ms since the call's last (median): reserve 0.97 @10.25 create 10.95 @10.24 map 0.95 @10.25 set_access 23.96 @10.22 unmap 16.93 @10.25 release 10.44 @10.25 addr_free 0.54 @10.26
-- vmm after a gap of launches, 2 MiB, nominal 10 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.27 @20.25 create 11.75 @20.24 map 0.99 @20.25 set_access 24.76 @20.23 unmap 17.66 @20.25 release 10.45 @20.26 addr_free 0.53 @20.27
-- vmm after a gap of launches, 2 MiB, nominal 20 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.39 @40.31 create 14.09 @40.30 map 1.12 @40.31 set_access 28.52 @40.28 unmap 20.56 @40.29 release 11.94 @40.30 addr_free 0.60 @40.31
-- vmm after a gap of launches, 2 MiB, nominal 50 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.96 @100.34 create 17.41 @100.31 map 1.48 @100.33 set_access 34.08 @100.30 unmap 26.86 @100.32 release 14.59 @100.33 addr_free 0.83 @100.34
-- vmm after a gap of launches, 64 MiB, nominal 0 ms, 12 cycles, us median @ ms since the call's last (median): reserve 3.00 @0.25 create 9.21 @0.24 map 0.80 @0.25 set_access 37.35 @0.21 unmap 23.78 @0.23 release 39.67 @0.21 addr_free 2.28 @0.25
-- vmm after a gap of launches, 64 MiB, nominal 1 ms, 12 cycles, us median @ ms since the call's last (median): reserve 3.08 @2.34 create 22.20 @2.32 map 0.88 @2.34 set_access 37.88 @2.30 unmap 25.01 @2.30 release 26.97 @2.30 addr_free 2.34 @2.33
-- vmm after a gap of launches, 64 MiB, nominal 2 ms, 12 cycles, us median @ ms since the call's last (median): reserve 3.10 @4.30 create 22.63 @4.28 map 0.94 @4.30 set_access 38.48 @4.25 unmap 25.10 @4.27 release 26.82 @4.27 addr_free 2.38 @4.30
-- vmm after a gap of launches, 64 MiB, nominal 5 ms, 12 cycles, us median @ ms since the call's last (median): reserve 4.18 @10.36 create 25.93 @10.34 map 1.21 @10.37 set_access 42.64 @10.33 unmap 26.02 @10.36 release 27.25 @10.35 addr_free 2.55 @10.38
-- vmm after a gap of launches, 64 MiB, nominal 10 ms, 12 cycles, us median @ ms since the call's last (median): reserve 6.42 @20.39 create 28.15 @20.37 map 1.22 @20.42 set_access 44.21 @20.36 unmap 30.52 @20.38 release 33.04 @20.38 addr_free 5.24 @20.41
-- vmm after a gap of launches, 64 MiB, nominal 20 ms, 12 cycles, us median @ ms since the call's last (median): reserve 8.80 @40.37 create 32.29 @40.34 map 1.65 @40.39 set_access 51.96 @40.35 unmap 35.23 @40.36 release 32.20 @40.36 addr_free 4.94 @40.39
-- vmm after a gap of launches, 64 MiB, nominal 50 ms, 12 cycles, us median @ ms since the call's last (median): reserve 7.66 @100.37 create 30.59 @100.35 map 1.62 @100.37 set_access 51.38 @100.33 unmap 36.13 @100.33 release 29.87 @100.34 addr_free 4.78 @100.36
-- vmm after a gap of serving steps, 2 MiB, nominal 0 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 0.74 @0.20 create 8.58 @0.19 map 0.75 @0.20 set_access 20.53 @0.18 unmap 14.27 @0.19 release 9.24 @0.19 addr_free 0.48 @0.20
-- vmm after a gap of serving steps, 2 MiB, nominal 1 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 1.08 @2.99 create 9.49 @2.98 map 0.90 @2.99 set_access 21.95 @2.97 unmap 15.98 @2.98 release 9.82 @2.98 addr_free 0.53 @2.99
-- vmm after a gap of serving steps, 2 MiB, nominal 2 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 1.11 @4.39 create 9.43 @4.38 map 0.90 @4.39 set_access 22.22 @4.36 unmap 16.26 @4.38 release 9.82 @4.38 addr_free 0.60 @4.39
-- vmm after a gap of serving steps, 2 MiB, nominal 5 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 1.35 @11.39 create 11.83 @11.38 map 1.00 @11.39 set_access 25.44 @11.36 unmap 18.36 @11.37 release 11.05 @11.38 addr_free 0.60 @11.39
-- vmm after a gap of serving steps, 2 MiB, nominal 10 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 1.68 @21.21 create 14.56 @21.20 map 1.40 @21.21 set_access 30.24 @21.18 unmap 21.55 @21.20 release 13.01 @21.21 addr_free 0.80 @21.22
-- vmm after a gap of serving steps, 2 MiB, nominal 20 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 2.11 @40.76 create 18.19 @40.75 map 1.61 @40.76 set_access 34.16 @40.73 unmap 23.09 @40.74 release 13.53 @40.75 addr_free 0.78 @40.76
-- vmm after a gap of serving steps, 2 MiB, nominal 50 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 2.86 @100.85 create 23.66 @100.81 map 1.83 @100.83 set_access 41.53 @100.79 unmap 31.55 @100.83 release 16.71 @100.85 addr_free 1.01 @100.86
-- vmm after a gap of serving steps, 2 MiB, nominal 200 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 6.35 @401.19 create 46.57 @401.16 map 3.82 @401.21 set_access 64.30 @401.16 unmap 60.22 @401.19 release 31.38 @401.22 addr_free 2.25 @401.26
-- vmm after a gap of serving steps, 2 MiB, nominal 500 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 8.46 @1000.92 create 64.76 @1000.86 map 5.04 @1000.92 set_access 80.69 @1000.84 unmap 80.66 @1000.95 release 40.10 @1000.97 addr_free 2.96 @1001.00
-- vmm after a gap of serving steps, 64 MiB, nominal 0 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 2.75 @0.25 create 9.43 @0.24 map 0.79 @0.25 set_access 39.06 @0.21 unmap 23.97 @0.23 release 40.27 @0.21 addr_free 2.07 @0.25
-- vmm after a gap of serving steps, 64 MiB, nominal 1 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 3.66 @3.19 create 24.46 @3.16 map 1.02 @3.19 set_access 41.25 @3.15 unmap 26.10 @3.17 release 28.10 @3.16 addr_free 2.46 @3.19
-- vmm after a gap of serving steps, 64 MiB, nominal 2 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 3.41 @4.60 create 23.50 @4.58 map 0.93 @4.60 set_access 40.60 @4.56 unmap 25.06 @4.57 release 26.18 @4.57 addr_free 2.27 @4.60
-- vmm after a gap of serving steps, 64 MiB, nominal 5 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 4.41 @10.89 create 23.68 @10.87 map 1.08 @10.90 set_access 41.41 @10.85 unmap 26.14 @10.87 release 26.81 @10.87 addr_free 2.59 @10.90
-- vmm after a gap of serving steps, 64 MiB, nominal 10 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 5.80 @21.38 create 25.89 @21.36 map 1.19 @21.39 set_access 46.13 @21.34 unmap 28.87 @21.36 release 28.28 @21.36 addr_free 3.09 @21.39
-- vmm after a gap of serving steps, 64 MiB, nominal 20 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 7.68 @40.93 create 27.84 @40.91 map 1.49 @40.94 set_access 48.16 @40.89 unmap 30.25 @40.90 release 27.69 @40.90 addr_free 3.66 @40.93
-- vmm after a gap of serving steps, 64 MiB, nominal 50 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 12.91 @101.47 create 36.35 @101.45 map 2.17 @101.48 set_access 61.42 @101.43 unmap 41.51 @101.44 release 34.94 @101.46 addr_free 7.17 @101.48
-- vmm after a gap of serving steps, 64 MiB, nominal 200 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 24.09 @401.07 create 61.45 @401.03 map 4.28 @401.11 set_access 84.52 @401.02 unmap 68.41 @401.01 release 46.61 @401.01 addr_free 15.05 @401.02
-- vmm after a gap of serving steps, 64 MiB, nominal 500 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 34.04 @1001.14 create 85.52 @1001.10 map 6.45 @1001.17 set_access 109.45 @1001.07 unmap 118.11 @1001.09 release 57.09 @1001.15 addr_free 20.37 @1001.19
-- vmm growth on the launching thread, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 9.41 (50.09/8.83/12.89) map 1.15 (4.47/0.91/1.52) set_access 28.04 (91.54/26.61/30.99)
-- vmm growth on one thread kept for the series, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 10.17 (105.93/8.84/15.25) map 0.89 (9.74/0.64/3.35) set_access 28.50 (132.08/26.41/34.63)
-- vmm growth on a new thread per handle, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 24.14 (29.69/16.70/59.22) map 3.10 (4.48/1.76/8.10) set_access 49.04 (69.46/36.01/89.63)
-- vmm growth on the launching thread, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 13.97 (32.68/11.96/16.82) map 1.55 (3.90/1.12/2.25) set_access 31.96 (77.45/29.71/53.72)
-- vmm growth on one thread kept for the series, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 13.18 (106.10/12.05/23.30) map 1.51 (9.78/1.14/2.46) set_access 32.35 (140.58/30.91/58.28)
-- vmm growth on a new thread per handle, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 27.52 (134.67/13.80/74.29) map 3.88 (11.44/1.48/8.17) set_access 60.60 (146.87/32.32/92.06)
-- vmm reserve / free of 16 MiB ranges among live ranges, us median per window of calls (live: reserve free): 0: 0.36 0.35 32: 1.05 1.15 96: 1.57 1.12 160: 2.11 1.17 224: 2.62 1.13 288: 3.21 1.15 352: 3.62 1.27 416: 4.13 1.19 480: 4.71 1.19 544: 5.09 1.22 608: 5.54 1.23 672: 5.96 1.27 736: 6.56 1.28 800: 6.96 1.43 864: 7.39 1.31 928: 7.78 1.34 992: 8.22 2.09
-- vmm factors over isolation at the granularity (busy, after_step): reserve 1.259 2.177 create 1.187 1.350 map 1.306 1.833 set_access 1.395 1.290 unmap 1.883 1.343 release 1.161 1.256 free_va 1.263 1.591
return {
  name = "h100-measured",
  gpus_per_server = 1, -- cudaGetDeviceCount
  servers = 1, -- one machine
  hbm_bytes = 85017493504, -- cudaMemGetInfo total
  hbm_bw = 3.275e+12, -- best read stream (kernels and launch shapes above)
  d2d_bw = 2.956e+12, -- cudaMemcpyAsync D2D 256 MiB, read+write
  flops = 7.92e+14, -- cuBLAS bf16 GEMM
  sms = 132, -- device property
  kernel_launch = 3.109e-06, -- empty kernels back to back
  pcie_bw = 5.005e+10, -- min(H2D, D2H) at 256 MiB, pinned
  pcie_lat = 1.203e-06, -- zero-copy dependent read round trip
  copy_overhead = 2.323e-06, -- fixed cost per cudaMemcpyAsync
  sm_copy_bw_per_sm = 3.829e+10, -- kv_transfer_launch on 1 SM
  sm_duplex_bw = 5.051e+10, -- kv_transfer_pair_launch both ways at once, 8 SMs, aggregate
  gpus_per_uplink = 0, -- not measured: own link assumed
  uplink_bw = 0, -- not measured (gpus_per_uplink = 0)
  host_bw = 6.819e+10, -- duplex DMA aggregate: lower bound of host DRAM bw for DMA
  nvlink_bw = 0, -- not measured (one GPU)
  nvlink_lat = 0, -- not measured (one GPU)
  nic_bw = 0, -- no inter-server tier
  nic_lat = 0, -- no inter-server tier
  vmm_reserve = 7.915e-07, -- cuMemAddressReserve, granularity range, cycles after a step, median
  vmm_create = 1.061e-05, -- cuMemCreate, cycles after a step, median
  vmm_map = 1.025e-06, -- cuMemMap, cycles after a step, median
  vmm_set_access = 2.543e-05, -- cuMemSetAccess, cycles after a step, median
  vmm_unmap = 1.891e-05, -- cuMemUnmap, cycles after a step, median
  vmm_release = 1.165e-05, -- cuMemRelease, cycles after a step, median
  vmm_granularity = 2097152, -- cuMemGetAllocationGranularity minimum
  vmm_reserve_per_mib = 1.48e-09, -- size slope: (largest - smallest handle median) / MiB, isolation
  vmm_create_per_mib = 1.338e-08, -- size slope, isolation
  vmm_map_per_mib = 1.228e-10, -- size slope, isolation
  vmm_set_access_per_mib = 3.843e-08, -- size slope, isolation
  vmm_unmap_per_mib = 1.631e-08, -- size slope, isolation
  vmm_release_per_mib = 2.514e-07, -- size slope, isolation
  table_write = 4.832e-06, -- 4 KiB H2D from pinned right after a step, events, median
  -- measured curves (every raw one in h100-measured.curves.csv)
  vmm_reserve_curve = { {2097152, 3.6349999277263123e-07}, {4194304, 3.8150000136738527e-07}, {8388608, 4.8149999898328133e-07}, {16777216, 4.1449999699239015e-07}, {67108864, 1.8749999952660801e-06}, {268435456, 2.050500000905231e-06}, {1073741824, 1.6225000081249163e-06}, {17179869184, 1.523999998198633e-06}, {274877906944, 1.4585000087663502e-06}, {1099511627776, 1.5054999948915793e-06} }, -- s per call by range bytes, isolation
  vmm_create_curve = { {2097152, 7.8620000003581936e-06}, {4194304, 7.8684999991196491e-06}, {8388608, 7.8020000024991987e-06}, {16777216, 7.847500000934815e-06}, {67108864, 8.4099999959619254e-06}, {268435456, 1.0587999998534769e-05}, {1073741824, 2.1534999998351623e-05} }, -- s per call by handle bytes, isolation
  vmm_map_curve = { {2097152, 5.5949999833160291e-07}, {4194304, 5.5699999990110882e-07}, {8388608, 5.5049999758693957e-07}, {16777216, 5.509999994046666e-07}, {67108864, 6.0800000056815406e-07}, {268435456, 6.2999999528301487e-07}, {1073741824, 6.8500000338644895e-07} }, -- s per call by handle bytes, isolation
  vmm_set_access_curve = { {2097152, 1.9711000000199874e-05}, {4194304, 1.9603999998452082e-05}, {8388608, 1.9600999998203861e-05}, {16777216, 1.9753999996652283e-05}, {67108864, 3.3837000003700268e-05}, {268435456, 3.5537999998780379e-05}, {1073741824, 5.8990999999508631e-05} }, -- s per call by handle bytes, isolation
  vmm_unmap_curve = { {2097152, 1.4077999999528856e-05}, {4194304, 1.3920000004219446e-05}, {8388608, 1.3959000000340893e-05}, {16777216, 1.4168999999952803e-05}, {67108864, 2.1699999997792929e-05}, {268435456, 2.1846999999297623e-05}, {1073741824, 3.0745000000109712e-05} }, -- s per call by handle bytes, isolation
  vmm_release_curve = { {2097152, 9.2789999968090342e-06}, {4194304, 1.0432999999920867e-05}, {8388608, 1.2235999996335067e-05}, {16777216, 1.5731000004848283e-05}, {67108864, 2.5267000001605311e-05}, {268435456, 7.4039500002953673e-05}, {1073741824, 0.00026619550000006598} }, -- s per call by handle bytes, isolation
  vmm_free_va_curve = { {2097152, 3.5300001854920993e-07}, {4194304, 4.0599999806545384e-07}, {8388608, 4.10000001949129e-07}, {16777216, 4.1850000087606531e-07}, {67108864, 1.4109999995071121e-06}, {268435456, 1.6800000004479898e-06}, {1073741824, 1.4035000077683435e-06}, {17179869184, 1.4210000074399431e-06}, {274877906944, 2.371999997308194e-06}, {1099511627776, 2.2615000148107356e-06} }, -- s per call by range bytes, isolation
  vmm_reserve_live = { {16, 1.2751031821446921}, {128, 1.2049518730923345}, {1024, 1.0811554562763463}, {4096, 1.178817074746908} }, -- idle call among x live handles / isolated
  vmm_create_live = { {16, 0.99376748912498958}, {128, 1.0878275246096403}, {1024, 1.0126558122352627}, {4096, 1.0345331980299817} }, -- idle call among x live handles / isolated
  vmm_map_live = { {16, 1.2332439719481283}, {128, 1.2609472840215021}, {1024, 1.1805183290531547}, {4096, 1.2269883892427285} }, -- idle call among x live handles / isolated
  vmm_set_access_live = { {16, 1.000608796988486}, {128, 1.1287859570100058}, {1024, 1.0862462585401835}, {4096, 1.1122723353403481} }, -- idle call among x live handles / isolated
  vmm_unmap_live = { {16, 0.99534735072170033}, {128, 1.1739238527056901}, {1024, 1.1883079982359139}, {4096, 1.1939195907514493} }, -- idle call among x live handles / isolated
  vmm_release_live = { {16, 1.0449940727381075}, {128, 1.1173078999241011}, {1024, 1.1279232682671045}, {4096, 1.1479146465864192} }, -- idle call among x live handles / isolated
  vmm_free_va_live = { {16, 1.2067988026489997}, {128, 1.2252123959065011}, {1024, 1.1643058935833284}, {4096, 1.2181302477503373} }, -- idle call among x live handles / isolated
  vmm_create_grow = { {2097152, 1.0209499997415605e-05}, {67108864, 1.1157999999511503e-05} }, -- s per call growing the pool, by handle bytes
  vmm_map_grow = { {2097152, 1.1855000003890837e-06}, {67108864, 1.2429999998175845e-06} }, -- s per call growing the pool, by handle bytes
  vmm_set_access_grow = { {2097152, 2.5404500000547614e-05}, {67108864, 2.7729999999337451e-05} }, -- s per call growing the pool, by handle bytes
  vmm_reserve_live_va = { {32, 2.5355850218515892}, {96, 3.7949336965483829}, {160, 5.097708137960864}, {224, 6.3220748307444765}, {288, 7.7454765276319657}, {352, 8.7334138175124139}, {416, 9.9529554708178338}, {480, 11.366706951611619}, {544, 12.290711782719423}, {608, 13.372738336670185}, {672, 14.387213583670997}, {736, 15.820265496652191}, {800, 16.80217141861624}, {864, 17.816646699901383}, {928, 18.763570708520909}, {992, 19.820265496652191} }, -- among x live ranges / none
  vmm_free_va_live_va = { {32, 2.7455197394289534}, {96, 2.6857825696108191}, {160, 2.8028673803481268}, {224, 2.6941457509739739}, {288, 2.7443249749794729}, {352, 3.0274790899667479}, {416, 2.8387096686563504}, {480, 2.8542413348464639}, {544, 2.919952191085434}, {608, 2.9390681166673476}, {672, 3.0406212612145418}, {736, 3.0501792070271776}, {800, 3.4265233191551334}, {864, 3.1373954498337389}, {928, 3.2054957670583866}, {992, 4.9832735863387265} }, -- among x live ranges / none
  vmm_reserve_gap = {
    { 2097152, { {0.00025000000000000001, 5.969999961052963e-07}, {0.0022899999999999999, 8.4100000208309211e-07}, {0.0044299999999999999, 8.3000000472566171e-07}, {0.01044, 8.4799999910956103e-07}, {0.020369999999999999, 1.0699999961616413e-06}, {0.040280000000000003, 9.9799999730976197e-07}, {0.10038999999999999, 1.6090000016788508e-06}, {0.40048, 4.0060000117136951e-06}, {1.00047, 5.2480000078958255e-06} } },
    { 67108864, { {0.00025000000000000001, 2.9894999968860247e-06}, {0.0023, 2.8750000069521775e-06}, {0.0043200000000000001, 2.8919999977006228e-06}, {0.010489999999999999, 3.6590000007663548e-06}, {0.020289999999999999, 3.8099999954965824e-06}, {0.040379999999999999, 4.6079999975745523e-06}, {0.10041, 9.25500000903412e-06}, {0.40046999999999999, 1.4778999997133724e-05}, {1.00051, 2.5840999995807579e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_create_gap = {
    { 2097152, { {0.00023000000000000001, 2.0347500001349772e-05}, {0.0022799999999999999, 8.8560000008897077e-06}, {0.0044200000000000003, 8.8059999967526892e-06}, {0.01044, 9.2490000014322504e-06}, {0.02036, 1.0633999998788113e-05}, {0.04027, 9.9909999988767595e-06}, {0.10037, 1.4878999998302334e-05}, {0.40044999999999997, 3.092299999707393e-05}, {1.0004299999999999, 3.7400000010734402e-05} } },
    { 67108864, { {0.00024000000000000001, 9.3584999945051095e-06}, {0.0022799999999999999, 2.0917000000508779e-05}, {0.0043099999999999996, 2.0941000002494548e-05}, {0.01047, 2.1309000004521295e-05}, {0.02027, 2.2196999992729616e-05}, {0.04036, 2.3923999989960976e-05}, {0.10038, 3.2548999996606653e-05}, {0.40044999999999997, 3.9557999997441584e-05}, {1.0004900000000001, 5.1251999991563935e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_map_gap = {
    { 2097152, { {0.00025000000000000001, 7.4749999612322426e-07}, {0.0022899999999999999, 7.5300000190736682e-07}, {0.0044299999999999999, 7.5199999827191277e-07}, {0.010449999999999999, 7.9400000174700835e-07}, {0.020369999999999999, 8.8499999861824108e-07}, {0.040280000000000003, 8.5700000340693805e-07}, {0.10038, 1.2080000004743852e-06}, {0.40048, 2.8979999910916376e-06}, {1.00047, 3.5440000090147805e-06} } },
    { 67108864, { {0.00025000000000000001, 7.9000000852147423e-07}, {0.0023, 8.6600000770431507e-07}, {0.0043299999999999996, 8.800000017572529e-07}, {0.010500000000000001, 8.7800000869719952e-07}, {0.020289999999999999, 1.0109999948326731e-06}, {0.040390000000000002, 9.6400000870744407e-07}, {0.10042, 1.7819999982293666e-06}, {0.40048, 2.8249999957097316e-06}, {1.00054, 3.431999999747859e-06} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_set_access_gap = {
    { 2097152, { {0.00023000000000000001, 2.0807000002065479e-05}, {0.0022699999999999999, 2.0904000002985867e-05}, {0.0044099999999999999, 2.0825999996532119e-05}, {0.01042, 2.1607000000756216e-05}, {0.02034, 2.3409999997170416e-05}, {0.040259999999999997, 2.288700000008248e-05}, {0.10036, 2.9058000002635254e-05}, {0.40043000000000001, 4.5017999994456659e-05}, {1.00041, 5.567399999506506e-05} } },
    { 67108864, { {0.00021000000000000001, 3.7561999995716633e-05}, {0.0022599999999999999, 3.6272000002668392e-05}, {0.0042900000000000004, 3.687299999910465e-05}, {0.010460000000000001, 3.70489999994561e-05}, {0.020250000000000001, 3.8833999994380974e-05}, {0.040349999999999997, 4.0986000001907996e-05}, {0.10036, 5.0600999998096086e-05}, {0.40043000000000001, 6.2807999995584396e-05}, {1.0004599999999999, 7.5433000006341899e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_unmap_gap = {
    { 2097152, { {0.00024000000000000001, 1.4815000000112377e-05}, {0.0022799999999999999, 1.5482000002009499e-05}, {0.0044000000000000003, 1.5369999999848005e-05}, {0.010449999999999999, 1.601700000009032e-05}, {0.020410000000000001, 1.6584999997348859e-05}, {0.040329999999999998, 1.7235000001392109e-05}, {0.10038999999999999, 2.4013000000877582e-05}, {0.40046999999999999, 3.5812000000134958e-05}, {1.00047, 5.0133000002006156e-05} } },
    { 67108864, { {0.00023000000000000001, 2.275899999659714e-05}, {0.0022799999999999999, 2.3901999995246115e-05}, {0.0043099999999999996, 2.3893999994584192e-05}, {0.01048, 2.3721999994563703e-05}, {0.02027, 2.4859999996351689e-05}, {0.040370000000000003, 2.6798000007488554e-05}, {0.10038999999999999, 3.6789999995789913e-05}, {0.40044999999999997, 4.7206999994386933e-05}, {1.00048, 5.6337000003736648e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_release_gap = {
    { 2097152, { {0.00023000000000000001, 2.1602499998607527e-05}, {0.0022799999999999999, 9.3470000024353794e-06}, {0.0044000000000000003, 9.319000000118649e-06}, {0.010449999999999999, 9.5839999971758516e-06}, {0.020420000000000001, 1.045199999794022e-05}, {0.040340000000000001, 1.0015000000862528e-05}, {0.1004, 1.2308000002292374e-05}, {0.40046999999999999, 1.7534999997792511e-05}, {1.0004999999999999, 2.4487000004569381e-05} } },
    { 67108864, { {0.00021000000000000001, 3.7262500001133958e-05}, {0.0022699999999999999, 2.4835000004941321e-05}, {0.0043099999999999996, 2.5080000000343716e-05}, {0.01047, 2.5273000005654467e-05}, {0.02027, 2.5554999993460115e-05}, {0.040370000000000003, 2.5773000004392088e-05}, {0.10041, 3.1097000004365327e-05}, {0.40045999999999998, 3.6381000001028951e-05}, {1.0004999999999999, 4.0939999990996512e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_free_va_gap = {
    { 2097152, { {0.00025000000000000001, 4.5450000030200499e-07}, {0.0022899999999999999, 5.0999999956502506e-07}, {0.0044099999999999999, 5.0500000270403689e-07}, {0.010460000000000001, 5.2500000435884431e-07}, {0.02043, 6.0699999693270001e-07}, {0.040349999999999997, 5.3499999808082066e-07}, {0.10041, 7.9899999860799653e-07}, {0.40049000000000001, 1.5039999965438255e-06}, {1.0005299999999999, 1.9529999946144017e-06} } },
    { 67108864, { {0.00025000000000000001, 1.9874999992453013e-06}, {0.0023, 1.9739999999046631e-06}, {0.0043299999999999996, 2.0829999982652225e-06}, {0.010500000000000001, 2.1079999896755908e-06}, {0.020299999999999999, 2.4200000012797318e-06}, {0.040399999999999998, 2.870000002985762e-06}, {0.10044, 6.6059999994649843e-06}, {0.40048, 9.7030000034692421e-06}, {1.0005299999999999, 1.2786999988634307e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_reserve_busy = 1.0445205640843078, -- busy / idle among the same live handles at the granularity
  vmm_create_busy = 1.0908506285230077, -- busy / idle among the same live handles at the granularity
  vmm_map_busy = 1.0354358537858561, -- busy / idle among the same live handles at the granularity
  vmm_set_access_busy = 1.2353985483704681, -- busy / idle among the same live handles at the granularity
  vmm_unmap_busy = 1.6040298916775286, -- busy / idle among the same live handles at the granularity
  vmm_release_busy = 1.0390643840407092, -- busy / idle among the same live handles at the granularity
  vmm_free_va_busy = 1.0312138796317767, -- busy / idle among the same live handles at the granularity
  vmm_reserve_after_step = 1.8070776448580683, -- after_step / idle among the same live handles at the granularity
  vmm_create_after_step = 1.2406313943316205, -- after_step / idle among the same live handles at the granularity
  vmm_map_after_step = 1.4535790120522198, -- after_step / idle among the same live handles at the granularity
  vmm_set_access_after_step = 1.1427897256176356, -- after_step / idle among the same live handles at the granularity
  vmm_unmap_after_step = 1.1440111339598191, -- after_step / idle among the same live handles at the granularity
  vmm_release_after_step = 1.1238003377297521, -- after_step / idle among the same live handles at the granularity
  vmm_free_va_after_step = 1.2982658970363443, -- after_step / idle among the same live handles at the granularity
  copy_h2d_curve = { {4096, 2.5974558666348456e-06}, {16384, 2.8964318335056305e-06}, {65536, 4.0136319585144523e-06}, {262144, 7.7803358435630799e-06}, {1048576, 2.2402469068765641e-05}, {4194304, 8.3677500486373907e-05}, {16777216, 0.00032732099294662475}, {67108864, 0.0013341300487518311}, {268435456, 0.0053636078834533689} }, -- s per cudaMemcpyAsync by bytes, back to back
  copy_d2h_curve = { {4096, 1.9092319998890161e-06}, {16384, 2.1705599501729012e-06}, {65536, 3.3201759215444328e-06}, {262144, 6.3167521730065343e-06}, {1048576, 2.050234377384186e-05}, {4194304, 7.7289871871471407e-05}, {16777216, 0.00030606549978256224}, {67108864, 0.0012195559740066529}, {268435456, 0.0048712720870971683} }, -- s per cudaMemcpyAsync by bytes, back to back
  sm_copy_h2d_curve = { {1, 32669479630.556702}, {2, 32540218975.334286}, {4, 32921288635.15221}, {8, 32727091175.044926}, {16, 32980828140.860218}, {32, 31162173033.595142}, {64, 32687303193.694775} }, -- B/s by SMs, 65536-byte pages
  sm_copy_d2h_curve = { {1, 43917573772.972923}, {2, 52032055836.312378}, {4, 51934128148.780609}, {8, 52330679484.699821}, {16, 52331988082.241585}, {32, 52008828190.636047}, {64, 52341130631.861214} }, -- B/s by SMs, 65536-byte pages
  sm_copy_page_h2d_curve = { {256, 0.94458944101807374}, {4096, 0.99253430178647972}, {65536, 1} }, -- rate by page bytes over the 65536-byte page's, at 8 SMs
  sm_copy_page_d2h_curve = { {256, 0.99768477020435398}, {4096, 0.98268805541137683}, {65536, 1} }, -- rate by page bytes over the 65536-byte page's, at 8 SMs
  sm_copy_grid_h2d = {
    { 256, { {1, 4171452680.0899296}, {2, 8381533970.4934254}, {4, 16496641987.918106}, {8, 30913664759.18322}, {16, 31819866666.936771}, {32, 31664206805.86237}, {64, 32573575576.216564} } },
    { 4096, { {1, 31016075216.388699}, {2, 32633387550.613022}, {4, 32055272611.41433}, {8, 32482760588.925678}, {16, 32813119689.547001}, {32, 33206427107.377655}, {64, 33042146476.07999} } },
    { 65536, { {1, 32669479630.556702}, {2, 32540218975.334286}, {4, 32921288635.15221}, {8, 32727091175.044926}, {16, 32980828140.860218}, {32, 31162173033.595142}, {64, 32687303193.694775} } },
  }, -- B/s by SMs, one row per page bytes
  sm_copy_grid_d2h = {
    { 256, { {1, 7503415002.7328196}, {2, 14986401185.402256}, {4, 29885881706.64893}, {8, 52209521936.330444}, {16, 51579036363.091888}, {32, 51532142248.067764}, {64, 52122577778.689339} } },
    { 4096, { {1, 43086557063.598427}, {2, 51994643190.951271}, {4, 52096684997.875877}, {8, 51424733661.175697}, {16, 52532551000.41993}, {32, 52037221422.098663}, {64, 52564154597.667976} } },
    { 65536, { {1, 43917573772.972923}, {2, 52032055836.312378}, {4, 51934128148.780609}, {8, 52330679484.699821}, {16, 52331988082.241585}, {32, 52008828190.636047}, {64, 52341130631.861214} } },
  }, -- B/s by SMs, one row per page bytes
  sm_copy_threads_grid_h2d = {
    { 128, { {1, 4788357176.1528349}, {2, 9627692152.6634159}, {4, 19021097232.441509}, {8, 32545268157.61404}, {16, 32461141966.941357}, {32, 32195027560.439213}, {64, 32722495165.086697} } },
    { 256, { {1, 9695212485.2735386}, {2, 18978579586.325657}, {4, 32232636196.501205}, {8, 32319565778.248085}, {16, 32223226724.766285}, {32, 32267846790.182224}, {64, 32256431600.161625} } },
    { 512, { {1, 18688362456.506256}, {2, 32419491929.380733}, {4, 32568517607.383377}, {8, 29824676419.654289}, {16, 31042704851.888432}, {32, 31074442957.447746}, {64, 32317075887.43013} } },
    { 1024, { {1, 31501538979.782719}, {2, 32318571260.19141}, {4, 32674060759.033794}, {8, 32943528567.990833}, {16, 33157077887.970943}, {32, 33131409168.276611}, {64, 32870721181.248222} } },
  }, -- B/s by SMs, one row per threads per block, 64 KiB pages
  sm_copy_threads_grid_d2h = {
    { 128, { {1, 11922953030.768782}, {2, 23557681546.540348}, {4, 46504170127.981438}, {8, 51612038924.741493}, {16, 51800718393.651443}, {32, 51889154674.611053}, {64, 52088919287.503845} } },
    { 256, { {1, 22765683307.473801}, {2, 45008091257.125542}, {4, 51840411030.751923}, {8, 51711305245.196945}, {16, 51959864351.590034}, {32, 52227724720.142776}, {64, 52444533430.988083} } },
    { 512, { {1, 34718760955.579285}, {2, 51141316147.594788}, {4, 51805833378.853386}, {8, 52164065606.296417}, {16, 52362040584.218109}, {32, 52379038875.616264}, {64, 52046261259.70842} } },
    { 1024, { {1, 43998655805.2995}, {2, 52068226856.488602}, {4, 52186135610.666092}, {8, 52399979133.209793}, {16, 52511504672.42939}, {32, 52476026290.804733}, {64, 52473404517.207069} } },
  }, -- B/s by SMs, one row per threads per block, 64 KiB pages
  batch_h2d_curve = { {4096, 4.6700000530108808e-07}, {16384, 5.3762499010190364e-07}, {65536, 1.4303750358521938e-06}, {262144, 5.2284998819231989e-06}, {1048576, 2.025499939918518e-05}, {4194304, 7.9221628606319428e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_d2h_curve = { {4096, 4.2437500087544324e-07}, {16384, 4.889999981969595e-07}, {65536, 1.3413750566542149e-06}, {262144, 4.9149999395012854e-06}, {1048576, 1.9221249967813492e-05}, {4194304, 7.6568871736526487e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_call = 2.7891999998530537e-05, -- s of host time per batched call
  batch_call_curve = { {64, 2.7891999998530537e-05} }, -- s of host time per batched call by entries
  attn_block_table_curve = { {1, 1.1750972783381914}, {4, 1.0560640928964096}, {16, 1.0415683259287223}, {64, 1.0476698857472981}, {256, 1.034006872826855} }, -- time over contiguous by tokens per block
  attn_offset_table_curve = { {1, 1.2263675918216421}, {4, 1.0917620218580204}, {16, 1.0388275361487518}, {64, 1.038593557287846}, {256, 1.0308806398807453} }, -- time over contiguous by tokens per block
  source = "kvsim-calibrate on NVIDIA H100 80GB HBM3, driver API 13000, 2026-12-06 02:26 UTC",
}
