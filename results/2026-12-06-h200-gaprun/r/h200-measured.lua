-- Platform measured by kvsim-calibrate (kernels/calibrate.cu).
-- device: NVIDIA H200, 132 SMs, 150109880320 bytes (149557477376 free), 1 GPU(s), driver API 13000, 2026-12-06 02:54 UTC
-- pcie H2D 55.35 GB/s, D2H 55.28 GB/s at 256 MiB (pcie_bw = the lower)
-- copy fixed cost 2.17 us (median of time - bytes/bw, 4..64 KiB, both directions); 1-byte copies back to back 2.30 us each; 1-byte copy + sync round trip 6.34 us (median)
-- duplex (256 MiB each way at once): 99.59 GB/s aggregate (host_bw: a lower bound of host DRAM bandwidth for DMA)
-- device-to-device copy 256 MiB: 4160.5 GB/s counting read + write
-- HBM read stream, GB/s: unrolled x4, 1 GiB, 4 blocks/SM: 4491.7; weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM: 4701.7; weight read, 256 MiB once x 16 launches, 4 blocks/SM: 4204.8; weight read, 1 GiB once, 4 blocks/SM: 4389.5; weight read, 1 GiB once, 8 blocks/SM: 4398.9; weight read, 1 GiB once, 16 blocks/SM: 4416.1; weight read, 2 GiB once, 4 blocks/SM: 4419.0
-- HBM read stream: 4701.7 GB/s, the best (weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM) (hbm_bw)
-- bf16 matrix product 8192x8192x8192 (cuBLAS, random data): 780 TFLOP/s
-- kernel launch: 3.49 us each back to back; launch + sync round trip 8.96 us (median)
-- table write (4 KiB H2D from pinned memory between CUDA events on an idle stream, as the GPU backend does): median 4.35 us, p10 4.16, p90 4.54 (table_write); the same copies queued back to back 3.74 us; the former definition, 4 KiB H2D + kernel launch back to back, 5.50 us
-- table write right after a step (a read stream of a few ms on the same stream, then a host sync, then the event pair and the copy; 100 times): median 5.12 us, p10 4.67, p90 6.21
-- zero-copy dependent read of mapped host memory: 1.15 us each (pcie_lat = round trip)
-- host memcpy 256 MiB, one thread: 11.1 GB/s (one CPU core; not host_bw, which is the duplex DMA figure)
-- batch check: 768 entries (every size, both directions) equal their sources byte for byte
-- SM copy check: 559104 pages (every page size, both directions, 8 SMs) equal their sources byte for byte; threads per block: 1024, kv_transfer_launch's (the next table varies them)
-- SM copy with 1 SM, 64 KiB pages, mean of both directions: 40.48 GB/s (sm_copy_bw_per_sm)
-- SM copy both directions at once (kv_transfer_pair_launch, 8 SMs, 64 KiB pages, 64 MiB each way): 83.63 GB/s aggregate (sm_duplex_bw)
-- SM copy by threads check: 8192 pages (every block size, both directions, 8 SMs) equal their sources byte for byte
-- attention check: block-table and offset-table outputs equal the contiguous one at every block size (worst relative L2 0, tolerance 1e-05); contiguous vs float64 CPU reference on 4 requests 1.5e-07 (tolerance 1e-3)
-- vmm 2 MiB medians in isolation (us): reserve 0.49 create 7.57 map 0.51 set_access 19.38 unmap 13.40 release 8.88 addr_free 0.38
-- vmm 4 MiB medians in isolation (us): reserve 0.38 create 7.59 map 0.51 set_access 19.23 unmap 13.33 release 10.17 addr_free 0.37
-- vmm 8 MiB medians in isolation (us): reserve 0.65 create 7.59 map 0.54 set_access 19.31 unmap 13.39 release 11.96 addr_free 0.41
-- vmm 16 MiB medians in isolation (us): reserve 0.55 create 7.59 map 0.52 set_access 19.30 unmap 13.40 release 15.38 addr_free 0.41
-- vmm 64 MiB medians in isolation (us): reserve 2.10 create 8.14 map 0.57 set_access 33.37 unmap 20.72 release 24.43 addr_free 1.53
-- vmm 256 MiB medians in isolation (us): reserve 1.92 create 10.26 map 0.60 set_access 35.02 unmap 20.84 release 70.76 addr_free 1.53
-- vmm 1024 MiB medians in isolation (us): reserve 1.90 create 20.03 map 0.67 set_access 57.29 unmap 28.87 release 255.90 addr_free 1.73
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU idle, us median (p10/p90): reserve 0.33 (0.31/0.50) create 7.89 (7.69/8.28) map 0.62 (0.57/0.77) set_access 20.44 (19.71/21.78) unmap 15.04 (14.27/16.99) release 9.24 (8.95/9.85) addr_free 0.38 (0.36/0.46)
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU busy with a read stream, us median (p10/p90): reserve 0.41 (0.37/0.53) create 7.96 (7.77/8.47) map 0.64 (0.58/0.79) set_access 21.10 (19.81/22.84) unmap 16.45 (14.28/19.15) release 9.12 (8.81/9.53) addr_free 0.39 (0.37/0.50); 22 reads launched
-- vmm 2 MiB, 200 cycles among 128 live handles, each cycle right after a step, us median (p10/p90): reserve 0.65 (0.44/0.71) create 8.53 (7.91/189.08) map 0.86 (0.70/1.10) set_access 21.73 (20.88/22.67) unmap 16.29 (15.11/17.42) release 9.74 (9.28/10.50) addr_free 0.46 (0.40/0.55)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 16 live handles, GPU idle, us median (p10/p90): reserve 0.43 (0.38/0.56) create 7.41 (7.25/7.69) map 0.67 (0.60/0.79) set_access 18.94 (18.56/19.80) unmap 13.15 (12.84/13.75) release 9.19 (9.06/9.37) addr_free 0.41 (0.36/0.47)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 1024 live handles, GPU idle, us median (p10/p90): reserve 0.38 (0.31/0.55) create 7.67 (7.48/8.20) map 0.70 (0.59/0.93) set_access 21.06 (20.56/22.82) unmap 16.19 (15.20/18.17) release 10.19 (9.65/10.96) addr_free 0.39 (0.38/0.50)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 4096 live handles, GPU idle, us median (p10/p90): reserve 0.62 (0.50/0.85) create 12.69 (11.05/13.89) map 1.09 (0.91/1.42) set_access 28.44 (26.37/31.00) unmap 21.31 (19.36/23.51) release 13.96 (12.83/15.27) addr_free 0.67 (0.61/0.92)
-- vmm 64 MiB, 200 cycles among 32 live handles, GPU idle, us median (p10/p90): reserve 1.98 (1.65/3.15) create 12.80 (8.30/30.92) map 0.91 (0.66/1.36) set_access 22.99 (20.04/29.95) unmap 15.49 (13.47/19.86) release 35.83 (23.79/59.80) addr_free 2.20 (1.66/3.60)
-- vmm 64 MiB, 200 cycles among 32 live handles, each cycle right after a step, us median (p10/p90): reserve 2.92 (2.17/8.50) create 27.38 (20.51/50.67) map 1.17 (0.85/2.73) set_access 26.10 (22.35/45.69) unmap 17.95 (15.52/29.81) release 34.73 (24.71/59.17) addr_free 2.58 (1.88/7.21)
-- vmm growth, fresh range: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 14.03 (133.70/10.77/26.33; 12.94, 16.18) map 1.65 (4.62/1.12/3.69; 1.53, 2.26) set_access 31.70 (85.10/26.43/49.84; 29.99, 35.81) unmap 17.85 (67.30/16.38/26.71; 19.03, 17.17) release 10.39 (29.99/9.84/17.63; 10.74, 10.17)
-- vmm growth, same range again: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 14.79 (32.28/9.66/22.51; 10.96, 16.90) map 1.65 (4.60/1.10/2.70; 1.39, 1.90) set_access 32.42 (70.73/24.15/44.33; 25.98, 36.68) unmap 20.59 (72.94/19.34/22.72; 20.98, 20.25) release 14.03 (35.40/13.44/14.79; 14.19, 13.98)
-- vmm growth, new range, memory recycled: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 14.01 (40.99/10.50/24.35; 17.29, 15.31) map 1.56 (5.36/1.09/2.87; 1.99, 1.60) set_access 31.35 (86.93/25.69/45.96; 36.84, 32.46) unmap 21.88 (80.21/20.32/24.38; 22.33, 21.53) release 15.17 (53.12/14.21/16.66; 15.29, 15.08)
-- vmm growth, fresh range: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 14.55 (41.56/9.75/26.27; 18.58, 10.13) map 1.53 (4.66/1.05/3.33; 2.25, 1.10) set_access 34.69 (90.14/24.45/56.56; 38.47, 24.98) unmap 18.62 (51.54/16.33/29.39; 19.23, 17.38) release 29.79 (44.13/25.05/50.38; 26.06, 37.22)
-- vmm growth, same range again: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 16.08 (192.64/14.69/44.49; 27.51, 15.31) map 1.65 (4.88/1.24/3.40; 3.18, 1.52) set_access 36.78 (85.49/33.13/63.36; 52.62, 35.84) unmap 22.13 (66.40/20.12/33.58; 22.99, 20.61) release 44.38 (55.47/38.40/61.82; 43.93, 48.58)
-- vmm growth, new range, memory recycled: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 12.45 (179.87/10.39/30.07; 25.04, 11.07) map 1.33 (14.61/1.01/2.62; 2.41, 1.19) set_access 30.51 (84.83/26.93/47.13; 38.60, 28.24) unmap 17.96 (54.53/16.69/26.00; 18.22, 18.77) release 30.41 (55.79/25.25/50.30; 26.68, 34.41)
-- vmm after a gap, 2 MiB, nominal 0 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 0.79 @0.22 create 22.07 @0.20 map 0.85 @0.22 set_access 23.41 @0.20 unmap 15.81 @0.21 release 28.98 @0.20 addr_free 0.57 @0.22
-- vmm after a gap, 2 MiB, nominal 1 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 1.09 @2.21 create 11.27 @2.19 map 0.96 @2.21 set_access 24.84 @2.18 unmap 17.58 @2.19 release 11.51 @2.20 addr_free 0.65 @2.21
-- vmm after a gap, 2 MiB, nominal 2 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 2.91 @4.29 create 21.67 @4.27 map 2.44 @4.32 set_access 39.64 @4.27 unmap 33.79 @4.25 release 16.54 @4.27 addr_free 1.29 @4.29
-- vmm after a gap, 2 MiB, nominal 5 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 4.94 @10.44 create 40.24 @10.40 map 4.24 @10.43 set_access 55.24 @10.40 unmap 50.24 @10.41 release 21.68 @10.43 addr_free 2.12 @10.44
-- vmm after a gap, 2 MiB, nominal 10 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 5.26 @20.40 create 46.69 @20.35 map 4.94 @20.40 set_access 68.18 @20.32 unmap 68.56 @20.39 release 28.92 @20.40 addr_free 2.66 @20.45
-- vmm after a gap, 2 MiB, nominal 20 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 10.01 @40.59 create 80.27 @40.52 map 8.25 @40.59 set_access 97.94 @40.50 unmap 100.24 @40.51 release 44.14 @40.57 addr_free 4.30 @40.60
-- vmm after a gap, 2 MiB, nominal 50 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 11.90 @100.63 create 107.01 @100.52 map 9.06 @100.62 set_access 104.62 @100.54 unmap 124.95 @100.50 release 48.08 @100.58 addr_free 4.67 @100.64
-- vmm after a gap, 2 MiB, nominal 200 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 13.38 @400.64 create 90.66 @400.56 map 8.21 @400.64 set_access 98.27 @400.56 unmap 129.08 @400.55 release 47.90 @400.64 addr_free 4.45 @400.68
-- vmm after a gap, 2 MiB, nominal 500 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 12.94 @1000.62 create 94.18 @1000.53 map 8.00 @1000.63 set_access 95.10 @1000.54 unmap 134.40 @1000.52 release 52.37 @1000.61 addr_free 4.99 @1000.65
-- vmm after a gap, 64 MiB, nominal 0 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 2.57 @0.20 create 8.45 @0.19 map 0.70 @0.20 set_access 35.32 @0.17 unmap 22.01 @0.18 release 36.19 @0.17 addr_free 1.81 @0.20
-- vmm after a gap, 64 MiB, nominal 1 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 2.75 @2.22 create 20.24 @2.21 map 0.81 @2.23 set_access 36.39 @2.19 unmap 22.86 @2.20 release 24.80 @2.20 addr_free 1.95 @2.22
-- vmm after a gap, 64 MiB, nominal 2 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 2.81 @4.25 create 20.63 @4.23 map 0.83 @4.25 set_access 36.62 @4.21 unmap 23.13 @4.23 release 24.98 @4.22 addr_free 1.90 @4.25
-- vmm after a gap, 64 MiB, nominal 5 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 3.01 @10.42 create 20.85 @10.41 map 0.81 @10.43 set_access 37.55 @10.39 unmap 23.53 @10.40 release 25.06 @10.40 addr_free 2.07 @10.43
-- vmm after a gap, 64 MiB, nominal 10 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 4.89 @20.30 create 24.82 @20.28 map 1.26 @20.31 set_access 43.36 @20.27 unmap 27.96 @20.29 release 29.55 @20.28 addr_free 4.01 @20.30
-- vmm after a gap, 64 MiB, nominal 20 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 41.08 @40.67 create 109.24 @40.60 map 8.40 @40.73 set_access 131.00 @40.60 unmap 124.58 @40.62 release 68.67 @40.70 addr_free 22.64 @40.75
-- vmm after a gap, 64 MiB, nominal 50 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 45.88 @100.78 create 122.24 @100.71 map 9.08 @100.80 set_access 137.14 @100.66 unmap 147.19 @100.68 release 80.96 @100.75 addr_free 27.46 @100.83
-- vmm after a gap, 64 MiB, nominal 200 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 45.17 @400.73 create 119.88 @400.65 map 7.92 @400.76 set_access 132.14 @400.64 unmap 139.81 @400.67 release 76.84 @400.76 addr_free 24.73 @400.79
-- vmm after a gap, 64 MiB, nominal 500 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 46.55 @1000.75 create 125.59 @1000.67 map 8.99 @1000.79 set_access 140.39 @1000.66 unmap 150.79 @1000.67 release 79.22 @1000.73 addr_free 27.18 @1000.77
-- vmm after a gap of launches, 2 MiB, nominal 0 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.22 @0.15 create 12.30 @0.14 map 1.10 @0.16 set_access 27.69 @0.13 unmap 18.35 @0.14 release 11.90 @0.14 addr_free 0.68 @0.16
-- vmm after a gap of launches, 2 MiB, nominal 1 ms, 12 cycles, us median @ ms since the call's last (median): reserve 3.23 @2.33 create 24.95 @2.31 map 2.66 @2.33 set_access 43.90 @2.29 unmap 33.13 @2.32 release 19.78 @2.33 addr_free 1.77 @2.36
-- vmm after a gap of launches, 2 MiB, nominal 2 ms, 12 cycles, us median @ ms since the call's last (median): reserve 2.37 @4.34 create 22.88 @4.33 map 2.03 @4.36 set_access 40.08 @4.31 unmap 27.32 @4.34 release 14.91 @4.35 addr_free 1.27 @4.37
-- vmm after a gap of launches, 2 MiB, nominal 5 ms, 12 cycles, us median @ ms since the call's last (median): reserve 5.90 @10.46 create 42.45 @10.42 map 4.02 @10.46 set_access 59.22 @10.39 unmap 55.39 @10.42 release 25.59 @10.46 addr_free 2.25 @10.48
-- vmm after a gap of launches, 2 MiB, nominal 10 ms, 12 cycles, us median @ ms since the call's last (median): reserve 6.63 @20.46 create 49.19 @20.42 map 4.75 @20.46 set_access 75.67 @20.40 unmap 66.66 @20.41 release 33.72 @20.44 addr_free 2.35 @20.47
-- vmm after a gap of launches, 2 MiB, nominal 20 ms, 12 cycles, us median @ ms since the call's last (median): reserve 8.50 @40.52 create 66.16 @40.45 map 6.35 @40.51 set_access 85.41 @40.43 unmap 91.32 @40.43 release 39.60 @40.48 addr_free 3.57 @40.52
-- vmm after a gap of launches, 2 MiB, nominal 50 ms, 12 cycles, us median @ ms since the call's last (median): reserve 12.08 @100.61 create 93.51 @100.54 map 8.12 @100.63 set_access 105.38 @100.52 unmap 138.81 @100.44 release 50.28 @100.53 addr_free 4.80 @100.57
-- vmm after a gap of launches, 64 MiB, nominal 0 ms, 12 cycles, us median @ ms since the call's last (median): reserve 2.91 @0.23 create 10.21 @0.22 map 0.85 @0.23 set_access 39.10 @0.19 unmap 23.95 @0.21 release 57.21 @0.18 addr_free 2.41 @0.23
-- vmm after a gap of launches, 64 MiB, nominal 1 ms, 12 cycles, us median @ ms since the call's last (median): reserve 4.64 @2.33 create 30.80 @2.31 map 1.34 @2.34 set_access 43.93 @2.30 unmap 27.62 @2.33 release 39.64 @2.32 addr_free 3.35 @2.36
-- vmm after a gap of launches, 64 MiB, nominal 2 ms, 12 cycles, us median @ ms since the call's last (median): reserve 17.15 @4.47 create 56.79 @4.42 map 4.15 @4.48 set_access 78.68 @4.40 unmap 63.83 @4.43 release 55.07 @4.46 addr_free 11.95 @4.49
-- vmm after a gap of launches, 64 MiB, nominal 5 ms, 12 cycles, us median @ ms since the call's last (median): reserve 10.65 @10.40 create 38.15 @10.38 map 2.52 @10.42 set_access 59.33 @10.35 unmap 45.07 @10.40 release 41.42 @10.39 addr_free 9.09 @10.44
-- vmm after a gap of launches, 64 MiB, nominal 10 ms, 12 cycles, us median @ ms since the call's last (median): reserve 13.16 @20.39 create 43.78 @20.35 map 2.74 @20.39 set_access 67.49 @20.32 unmap 45.70 @20.38 release 36.83 @20.37 addr_free 9.92 @20.39
-- vmm after a gap of launches, 64 MiB, nominal 20 ms, 12 cycles, us median @ ms since the call's last (median): reserve 14.61 @40.43 create 38.67 @40.40 map 2.74 @40.43 set_access 63.06 @40.37 unmap 46.27 @40.42 release 36.96 @40.43 addr_free 10.67 @40.46
-- vmm after a gap of launches, 64 MiB, nominal 50 ms, 12 cycles, us median @ ms since the call's last (median): reserve 43.39 @100.75 create 124.37 @100.68 map 8.75 @100.79 set_access 134.75 @100.66 unmap 147.27 @100.62 release 82.01 @100.68 addr_free 27.43 @100.74
-- vmm after a gap of serving steps, 2 MiB, nominal 0 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 0.66 @0.16 create 8.37 @0.15 map 0.71 @0.16 set_access 20.25 @0.14 unmap 13.94 @0.15 release 9.27 @0.15 addr_free 0.39 @0.16
-- vmm after a gap of serving steps, 2 MiB, nominal 1 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 0.90 @2.88 create 9.44 @2.87 map 0.84 @2.88 set_access 21.97 @2.86 unmap 15.49 @2.86 release 9.62 @2.87 addr_free 0.48 @2.88
-- vmm after a gap of serving steps, 2 MiB, nominal 2 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 1.06 @4.22 create 10.08 @4.21 map 0.82 @4.22 set_access 22.93 @4.20 unmap 15.83 @4.20 release 9.88 @4.21 addr_free 0.47 @4.22
-- vmm after a gap of serving steps, 2 MiB, nominal 5 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 1.73 @10.99 create 13.39 @10.98 map 1.17 @10.99 set_access 27.29 @10.97 unmap 17.69 @10.98 release 10.79 @10.99 addr_free 0.55 @11.00
-- vmm after a gap of serving steps, 2 MiB, nominal 10 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 1.98 @20.45 create 14.78 @20.44 map 1.37 @20.46 set_access 28.28 @20.43 unmap 20.22 @20.43 release 11.56 @20.44 addr_free 0.65 @20.45
-- vmm after a gap of serving steps, 2 MiB, nominal 20 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 4.11 @40.78 create 31.04 @40.76 map 2.72 @40.79 set_access 49.69 @40.74 unmap 35.84 @40.81 release 19.75 @40.80 addr_free 1.33 @40.82
-- vmm after a gap of serving steps, 2 MiB, nominal 50 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 8.09 @101.10 create 59.24 @101.02 map 5.61 @101.09 set_access 78.80 @101.02 unmap 91.47 @101.10 release 39.06 @101.18 addr_free 3.12 @101.23
-- vmm after a gap of serving steps, 2 MiB, nominal 200 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 10.24 @401.06 create 80.73 @400.99 map 6.51 @401.07 set_access 87.31 @400.99 unmap 115.42 @400.97 release 42.87 @401.05 addr_free 3.75 @401.09
-- vmm after a gap of serving steps, 2 MiB, nominal 500 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 10.56 @1001.12 create 82.98 @1001.05 map 7.22 @1001.14 set_access 91.46 @1001.06 unmap 109.53 @1001.27 release 41.34 @1001.34 addr_free 3.36 @1001.38
-- vmm after a gap of serving steps, 64 MiB, nominal 0 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 2.54 @0.19 create 7.74 @0.19 map 0.68 @0.19 set_access 34.40 @0.16 unmap 20.40 @0.17 release 34.39 @0.16 addr_free 1.69 @0.19
-- vmm after a gap of serving steps, 64 MiB, nominal 1 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 3.26 @3.04 create 19.86 @3.02 map 0.92 @3.04 set_access 36.78 @3.00 unmap 22.78 @3.02 release 24.09 @3.02 addr_free 2.19 @3.04
-- vmm after a gap of serving steps, 64 MiB, nominal 2 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 12.81 @4.52 create 48.71 @4.49 map 3.39 @4.53 set_access 69.23 @4.47 unmap 47.66 @4.49 release 52.09 @4.48 addr_free 9.40 @4.53
-- vmm after a gap of serving steps, 64 MiB, nominal 5 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 14.87 @11.33 create 53.03 @11.29 map 3.78 @11.35 set_access 74.67 @11.27 unmap 57.26 @11.29 release 54.06 @11.29 addr_free 10.92 @11.34
-- vmm after a gap of serving steps, 64 MiB, nominal 10 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 19.04 @20.71 create 52.93 @20.67 map 4.17 @20.71 set_access 75.03 @20.63 unmap 60.17 @20.66 release 39.30 @20.67 addr_free 12.66 @20.69
-- vmm after a gap of serving steps, 64 MiB, nominal 20 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 22.16 @40.93 create 59.57 @40.91 map 4.55 @40.96 set_access 82.32 @40.86 unmap 77.88 @40.87 release 48.74 @40.91 addr_free 14.78 @40.95
-- vmm after a gap of serving steps, 64 MiB, nominal 50 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 40.26 @101.06 create 117.60 @101.01 map 8.47 @101.10 set_access 130.52 @101.00 unmap 136.22 @101.04 release 76.25 @101.09 addr_free 25.62 @101.15
-- vmm after a gap of serving steps, 64 MiB, nominal 200 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 39.87 @401.40 create 106.06 @401.30 map 7.09 @401.39 set_access 123.20 @401.25 unmap 121.23 @401.24 release 59.77 @401.28 addr_free 22.61 @401.31
-- vmm after a gap of serving steps, 64 MiB, nominal 500 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 35.78 @1001.08 create 97.38 @1001.02 map 6.78 @1001.09 set_access 117.99 @1000.99 unmap 130.32 @1000.95 release 61.20 @1001.00 addr_free 22.31 @1001.04
-- vmm growth on the launching thread, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 19.90 (74.01/14.11/30.28) map 2.24 (6.69/1.47/3.04) set_access 43.13 (107.63/34.81/54.79)
-- vmm growth on one thread kept for the series, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 10.04 (45.91/8.64/13.14) map 0.93 (4.41/0.64/3.66) set_access 24.76 (97.45/22.85/30.28)
-- vmm growth on a new thread per handle, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 24.69 (44.83/10.44/44.65) map 3.31 (5.12/1.13/5.85) set_access 44.36 (69.54/25.81/66.40)
-- vmm growth on the launching thread, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 9.99 (24.76/9.22/20.18) map 1.19 (2.95/0.87/2.10) set_access 26.65 (69.17/24.26/43.61)
-- vmm growth on one thread kept for the series, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 9.53 (63.21/8.96/63.21) map 1.07 (5.39/0.91/1.30) set_access 24.64 (102.09/23.13/42.18)
-- vmm growth on a new thread per handle, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 41.39 (91.60/14.60/91.60) map 5.01 (6.02/1.59/6.08) set_access 55.43 (97.97/33.51/75.89)
-- vmm reserve / free of 16 MiB ranges among live ranges, us median per window of calls (live: reserve free): 0: 0.46 0.34 32: 1.29 1.15 96: 1.40 0.97 160: 1.76 0.96 224: 2.23 0.96 288: 2.67 1.56 352: 3.06 1.09 416: 3.48 1.05 480: 3.83 1.03 544: 4.25 1.14 608: 4.50 1.56 672: 4.86 1.11 736: 5.24 1.16 800: 5.68 1.14 864: 5.93 1.15 928: 6.50 1.18 992: 6.89 1.38
-- vmm factors over isolation at the granularity (busy, after_step): reserve 0.643 1.007 create 1.052 1.127 map 1.247 1.666 set_access 1.089 1.122 unmap 1.227 1.216 release 1.026 1.096 free_va 0.841 0.993
return {
  name = "h200-measured",
  gpus_per_server = 1, -- cudaGetDeviceCount
  servers = 1, -- one machine
  hbm_bytes = 150109880320, -- cudaMemGetInfo total
  hbm_bw = 4.702e+12, -- best read stream (kernels and launch shapes above)
  d2d_bw = 4.16e+12, -- cudaMemcpyAsync D2D 256 MiB, read+write
  flops = 7.797e+14, -- cuBLAS bf16 GEMM
  sms = 132, -- device property
  kernel_launch = 3.487e-06, -- empty kernels back to back
  pcie_bw = 5.528e+10, -- min(H2D, D2H) at 256 MiB, pinned
  pcie_lat = 1.152e-06, -- zero-copy dependent read round trip
  copy_overhead = 2.169e-06, -- fixed cost per cudaMemcpyAsync
  sm_copy_bw_per_sm = 4.048e+10, -- kv_transfer_launch on 1 SM
  sm_duplex_bw = 8.363e+10, -- kv_transfer_pair_launch both ways at once, 8 SMs, aggregate
  gpus_per_uplink = 0, -- not measured: own link assumed
  uplink_bw = 0, -- not measured (gpus_per_uplink = 0)
  host_bw = 9.959e+10, -- duplex DMA aggregate: lower bound of host DRAM bw for DMA
  nvlink_bw = 0, -- not measured (one GPU)
  nvlink_lat = 0, -- not measured (one GPU)
  nic_bw = 0, -- no inter-server tier
  nic_lat = 0, -- no inter-server tier
  vmm_reserve = 6.48e-07, -- cuMemAddressReserve, granularity range, cycles after a step, median
  vmm_create = 8.525e-06, -- cuMemCreate, cycles after a step, median
  vmm_map = 8.555e-07, -- cuMemMap, cycles after a step, median
  vmm_set_access = 2.173e-05, -- cuMemSetAccess, cycles after a step, median
  vmm_unmap = 1.629e-05, -- cuMemUnmap, cycles after a step, median
  vmm_release = 9.739e-06, -- cuMemRelease, cycles after a step, median
  vmm_granularity = 2097152, -- cuMemGetAllocationGranularity minimum
  vmm_reserve_per_mib = 1.374e-09, -- size slope: (largest - smallest handle median) / MiB, isolation
  vmm_create_per_mib = 1.22e-08, -- size slope, isolation
  vmm_map_per_mib = 1.536e-10, -- size slope, isolation
  vmm_set_access_per_mib = 3.709e-08, -- size slope, isolation
  vmm_unmap_per_mib = 1.514e-08, -- size slope, isolation
  vmm_release_per_mib = 2.417e-07, -- size slope, isolation
  table_write = 5.12e-06, -- 4 KiB H2D from pinned right after a step, events, median
  -- measured curves (every raw one in h200-measured.curves.csv)
  vmm_reserve_curve = { {2097152, 6.435000017290804e-07}, {4194304, 3.8499999632790605e-07}, {8388608, 6.4550000189456114e-07}, {16777216, 5.4599999899096474e-07}, {67108864, 1.5274999896064401e-06}, {268435456, 1.9189999989066564e-06}, {1073741824, 1.2429999998175845e-06}, {17179869184, 1.195500004769201e-06}, {274877906944, 1.1749999941912392e-06}, {1099511627776, 1.2785000080839382e-06} }, -- s per call by range bytes, isolation
  vmm_create_curve = { {2097152, 7.5650000006532991e-06}, {4194304, 7.5915000010695621e-06}, {8388608, 7.5865000006558603e-06}, {16777216, 7.588500000821341e-06}, {67108864, 8.1359999981600595e-06}, {268435456, 1.025949999799991e-05}, {1073741824, 2.0034500003873745e-05} }, -- s per call by handle bytes, isolation
  vmm_map_curve = { {2097152, 5.135000016309732e-07}, {4194304, 5.0599999923406358e-07}, {8388608, 5.4499999890822437e-07}, {16777216, 5.1750000196193469e-07}, {67108864, 5.7400000130769513e-07}, {268435456, 6.0150000180669849e-07}, {1073741824, 6.7050000041035673e-07} }, -- s per call by handle bytes, isolation
  vmm_set_access_curve = { {2097152, 1.937800000106904e-05}, {4194304, 1.9226500000968372e-05}, {8388608, 1.9313500001061357e-05}, {16777216, 1.9304500003869407e-05}, {67108864, 3.337499999744864e-05}, {268435456, 3.5020500000371158e-05}, {1073741824, 5.7289000000793067e-05} }, -- s per call by handle bytes, isolation
  vmm_unmap_curve = { {2097152, 1.3401000000357044e-05}, {4194304, 1.3326499999521957e-05}, {8388608, 1.3392999996142407e-05}, {16777216, 1.3397000000026082e-05}, {67108864, 2.0722500000402988e-05}, {268435456, 2.083849999934273e-05}, {1073741824, 2.8872000001456399e-05} }, -- s per call by handle bytes, isolation
  vmm_release_curve = { {2097152, 8.8819999994882437e-06}, {4194304, 1.0166499997410483e-05}, {8388608, 1.195899999828498e-05}, {16777216, 1.5379500002410396e-05}, {67108864, 2.4434999996714168e-05}, {268435456, 7.0762499998267003e-05}, {1073741824, 0.00025589949999726969} }, -- s per call by handle bytes, isolation
  vmm_free_va_curve = { {2097152, 4.6049999014030618e-07}, {4194304, 3.7100000227496821e-07}, {8388608, 4.0599999806545384e-07}, {16777216, 4.085000000486616e-07}, {67108864, 1.222999998162777e-06}, {268435456, 1.5329999989432963e-06}, {1073741824, 1.159000007078248e-06}, {17179869184, 1.1765000067498477e-06}, {274877906944, 1.9834999989143398e-06}, {1099511627776, 2.0094999939601621e-06} }, -- s per call by range bytes, isolation
  vmm_reserve_live = { {16, 0.67521367129712329}, {128, 0.51359751882673244}, {1024, 0.59129759170511864}, {4096, 0.97125096618905316} }, -- idle call among x live handles / isolated
  vmm_create_live = { {16, 0.97944481157723717}, {128, 1.0430931926075628}, {1024, 1.0138797089253841}, {4096, 1.6772637148025464} }, -- idle call among x live handles / isolated
  vmm_map_live = { {16, 1.3057448777565883}, {128, 1.213242453418683}, {1024, 1.3690360254921146}, {4096, 2.1226874281487875} }, -- idle call among x live handles / isolated
  vmm_set_access_live = { {16, 0.97719062849521499}, {128, 1.0548818249792002}, {1024, 1.0866962533183298}, {4096, 1.4677469294992309} }, -- idle call among x live handles / isolated
  vmm_unmap_live = { {16, 0.98108350138979994}, {128, 1.1223043056909694}, {1024, 1.207783001090488}, {4096, 1.5904037010058194} }, -- idle call among x live handles / isolated
  vmm_release_live = { {16, 1.0349020491779306}, {128, 1.0405314120001763}, {1024, 1.1472078360617657}, {4096, 1.5712114391614205} }, -- idle call among x live handles / isolated
  vmm_free_va_live = { {16, 0.88816506107149662}, {128, 0.82953314085571139}, {1024, 0.85667754036237709}, {4096, 1.4614549690561331} }, -- idle call among x live handles / isolated
  vmm_create_grow = { {2097152, 1.4034499997706007e-05}, {67108864, 1.4554500001651149e-05} }, -- s per call growing the pool, by handle bytes
  vmm_map_grow = { {2097152, 1.6450000011047905e-06}, {67108864, 1.5275000038172948e-06} }, -- s per call growing the pool, by handle bytes
  vmm_set_access_grow = { {2097152, 3.1701499999314819e-05}, {67108864, 3.4689000003140791e-05} }, -- s per call growing the pool, by handle bytes
  vmm_reserve_live_va = { {32, 2.3672161255045432}, {96, 2.5659340552443206}, {160, 3.22802196802939}, {224, 4.0924908535678979}, {288, 4.888278391841637}, {352, 5.6034798427126464}, {416, 6.3717948837240082}, {480, 7.0201465218506822}, {544, 7.790293045328065}, {608, 8.2509157526199139}, {672, 8.8937729173213178}, {736, 9.5906593353144682}, {800, 10.402014682767035}, {864, 10.852564106359736}, {928, 11.901098931773824}, {992, 12.618131865110852} }, -- among x live ranges / none
  vmm_free_va_live_va = { {32, 2.8127295305248463}, {96, 2.364749086052448}, {160, 2.3561811408425459}, {224, 2.3525091742634152}, {288, 3.8115055184732065}, {352, 2.6744186038421418}, {416, 2.5605874659496095}, {480, 2.5324357453682005}, {544, 2.8004895839479196}, {608, 3.8274173620534766}, {672, 2.720930226894994}, {736, 2.8310893634205017}, {800, 2.7919216735259118}, {864, 2.8102815412094611}, {928, 2.8849448848437218}, {992, 3.3757649857898411} }, -- among x live ranges / none
  vmm_reserve_gap = {
    { 2097152, { {0.00022000000000000001, 7.8799999769785245e-07}, {0.0022100000000000002, 1.0929999945119562e-06}, {0.0042900000000000004, 2.905999998858988e-06}, {0.01044, 4.9400000037280734e-06}, {0.020400000000000001, 5.2649999986442708e-06}, {0.040590000000000001, 1.0006000003670579e-05}, {0.10063, 1.1899999996956012e-05}, {0.40064, 1.3383999998950458e-05}, {1.0006200000000001, 1.2936000004515336e-05} } },
    { 67108864, { {0.00020000000000000001, 2.5650000026189446e-06}, {0.0022200000000000002, 2.7499999930569174e-06}, {0.0042500000000000003, 2.8060000119012329e-06}, {0.01042, 3.013999986478666e-06}, {0.020299999999999999, 4.8879999923201467e-06}, {0.040669999999999998, 4.1081000006215618e-05}, {0.10077999999999999, 4.588299999852552e-05}, {0.40072999999999998, 4.5170000007033195e-05}, {1.00075, 4.6546000007197108e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_create_gap = {
    { 2097152, { {0.00020000000000000001, 2.2067499998001949e-05}, {0.0021900000000000001, 1.1274000002003959e-05}, {0.0042700000000000004, 2.1666000002085184e-05}, {0.0104, 4.024399999735806e-05}, {0.02035, 4.6689000001265413e-05}, {0.04052, 8.0269000001464974e-05}, {0.10052, 0.00010700699999688368}, {0.40056000000000003, 9.0657000001215238e-05}, {1.0005299999999999, 9.4178000011879703e-05} } },
    { 67108864, { {0.00019000000000000001, 8.4469999990233191e-06}, {0.0022100000000000002, 2.0243999998115214e-05}, {0.0042300000000000003, 2.06250000047703e-05}, {0.010410000000000001, 2.0845000008762327e-05}, {0.020279999999999999, 2.4822000000312983e-05}, {0.040599999999999997, 0.00010923700000375902}, {0.10070999999999999, 0.00012224300000696076}, {0.40065000000000001, 0.00011987699998883272}, {1.0006699999999999, 0.00012558800000306292} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_map_gap = {
    { 2097152, { {0.00022000000000000001, 8.4650000076180731e-07}, {0.0022100000000000002, 9.6200000143653597e-07}, {0.0043200000000000001, 2.4399999958291119e-06}, {0.01043, 4.2389999990177785e-06}, {0.020400000000000001, 4.9360000033971119e-06}, {0.040590000000000001, 8.2549999973480226e-06}, {0.10062, 9.0560000032269272e-06}, {0.40064, 8.2119999973429003e-06}, {1.0006299999999999, 8.0039999943437579e-06} } },
    { 67108864, { {0.00020000000000000001, 6.9750000619706043e-07}, {0.0022300000000000002, 8.1199999613090768e-07}, {0.0042500000000000003, 8.3400000505662319e-07}, {0.01043, 8.0600000273989281e-07}, {0.020310000000000002, 1.2590000011414304e-06}, {0.040730000000000002, 8.4019999917472887e-06}, {0.1008, 9.0839999984382303e-06}, {0.40076000000000001, 7.9189999979689674e-06}, {1.0007900000000001, 8.9930000086724249e-06} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_set_access_gap = {
    { 2097152, { {0.00020000000000000001, 2.3405499998574442e-05}, {0.0021800000000000001, 2.4841999994862363e-05}, {0.0042700000000000004, 3.9643000000921802e-05}, {0.0104, 5.5239000005258276e-05}, {0.020320000000000001, 6.8179999999529173e-05}, {0.040500000000000001, 9.7942000003570229e-05}, {0.10054, 0.0001046229999985826}, {0.40056000000000003, 9.8274000002618322e-05}, {1.00054, 9.5098999992160316e-05} } },
    { 67108864, { {0.00017000000000000001, 3.5316999998258325e-05}, {0.0021900000000000001, 3.6385000001359913e-05}, {0.0042100000000000002, 3.662200001031124e-05}, {0.01039, 3.7546000001498214e-05}, {0.02027, 4.3359999992276244e-05}, {0.040599999999999997, 0.00013100200000337736}, {0.10066, 0.000137135000002786}, {0.40064, 0.00013214300000186086}, {1.0006600000000001, 0.0001403889999949115} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_unmap_gap = {
    { 2097152, { {0.00021000000000000001, 1.5811500002627099e-05}, {0.0021900000000000001, 1.7580000005068541e-05}, {0.0042500000000000003, 3.3790000003364185e-05}, {0.010410000000000001, 5.0244999997062223e-05}, {0.020389999999999998, 6.8558000002383324e-05}, {0.040509999999999997, 0.00010024299999855657}, {0.10050000000000001, 0.00012495099999654258}, {0.40055000000000002, 0.00012907800000050429}, {1.0005200000000001, 0.00013439500000345106} } },
    { 67108864, { {0.00018000000000000001, 2.2009500000308435e-05}, {0.0022000000000000001, 2.2856000001070242e-05}, {0.0042300000000000003, 2.3132999999120329e-05}, {0.0104, 2.3532000000159314e-05}, {0.020289999999999999, 2.7957000000355947e-05}, {0.040620000000000003, 0.00012457799999765484}, {0.10068000000000001, 0.00014718500000299173}, {0.40067000000000003, 0.00013981499999715652}, {1.0006699999999999, 0.00015079499999615109} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_release_gap = {
    { 2097152, { {0.00020000000000000001, 2.8979499997916491e-05}, {0.0022000000000000001, 1.1510000000214404e-05}, {0.0042700000000000004, 1.654100000081371e-05}, {0.01043, 2.1678999999608095e-05}, {0.020400000000000001, 2.8918000005262456e-05}, {0.040570000000000002, 4.4137000003274807e-05}, {0.10058, 4.8083999999448679e-05}, {0.40064, 4.7901000002070759e-05}, {1.00061, 5.236799999863706e-05} } },
    { 67108864, { {0.00017000000000000001, 3.6189500001171382e-05}, {0.0022000000000000001, 2.4803000002293629e-05}, {0.0042199999999999998, 2.4984000006611495e-05}, {0.0104, 2.5058000005628855e-05}, {0.020279999999999999, 2.9552000000876433e-05}, {0.0407, 6.8666999993638456e-05}, {0.10075000000000001, 8.0956999994441503e-05}, {0.40076000000000001, 7.6843000002213557e-05}, {1.0007299999999999, 7.9217999996217259e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_free_va_gap = {
    { 2097152, { {0.00022000000000000001, 5.6650000246349919e-07}, {0.0022100000000000002, 6.5199999710330303e-07}, {0.0042900000000000004, 1.2929999968491757e-06}, {0.01044, 2.1160000045483685e-06}, {0.020449999999999999, 2.657999999655658e-06}, {0.040599999999999997, 4.2990000039822007e-06}, {0.10063999999999999, 4.6679999954335472e-06}, {0.40067999999999998, 4.4459999912760395e-06}, {1.00065, 4.9860000075341304e-06} } },
    { 67108864, { {0.00020000000000000001, 1.8120000007115777e-06}, {0.0022200000000000002, 1.9470000012233868e-06}, {0.0042500000000000003, 1.9040000012182645e-06}, {0.01043, 2.0729999903323915e-06}, {0.020299999999999999, 4.0099999978338019e-06}, {0.040750000000000001, 2.2643999997740138e-05}, {0.10083, 2.7463999998644795e-05}, {0.40078999999999998, 2.4726999996005361e-05}, {1.0007699999999999, 2.7181999996628292e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_reserve_busy = 1.2511346297767645, -- busy / idle among the same live handles at the granularity
  vmm_create_busy = 1.0085540484957041, -- busy / idle among the same live handles at the granularity
  vmm_map_busy = 1.0280898870317459, -- busy / idle among the same live handles at the granularity
  vmm_set_access_busy = 1.0320426580055369, -- busy / idle among the same live handles at the granularity
  vmm_unmap_busy = 1.0934507976852037, -- busy / idle among the same live handles at the granularity
  vmm_release_busy = 0.98636658696080615, -- busy / idle among the same live handles at the granularity
  vmm_free_va_busy = 1.0143978928799544, -- busy / idle among the same live handles at the granularity
  vmm_reserve_after_step = 1.960665644595923, -- after_step / idle among the same live handles at the granularity
  vmm_create_after_step = 1.0803446963559911, -- after_step / idle among the same live handles at the granularity
  vmm_map_after_step = 1.3731942199390141, -- after_step / idle among the same live handles at the granularity
  vmm_set_access_after_step = 1.0632536749503001, -- after_step / idle among the same live handles at the granularity
  vmm_unmap_after_step = 1.0831449467141963, -- after_step / idle among the same live handles at the granularity
  vmm_release_after_step = 1.0537762387409138, -- after_step / idle among the same live handles at the granularity
  vmm_free_va_after_step = 1.1976439705120303, -- after_step / idle among the same live handles at the granularity
  copy_h2d_curve = { {4096, 2.5591840967535975e-06}, {16384, 2.8189120348542929e-06}, {65536, 3.7555519957095384e-06}, {262144, 7.2876480408012865e-06}, {1048576, 2.1667594090104105e-05}, {4194304, 7.8433997929096223e-05}, {16777216, 0.00030582749843597413}, {67108864, 0.0012139780521392821}, {268435456, 0.0048501281738281251} }, -- s per cudaMemcpyAsync by bytes, back to back
  copy_d2h_curve = { {4096, 1.8714400939643384e-06}, {16384, 2.079583937302232e-06}, {65536, 3.0389919411391022e-06}, {262144, 6.1211036518216139e-06}, {1048576, 2.0498000085353853e-05}, {4194304, 7.7780626714229589e-05}, {16777216, 0.00030512151122093201}, {67108864, 0.0012155020236968995}, {268435456, 0.0048559679985046384} }, -- s per cudaMemcpyAsync by bytes, back to back
  sm_copy_h2d_curve = { {1, 35757068471.556343}, {2, 51150047367.638351}, {4, 50964833168.699448}, {8, 50925230269.111931}, {16, 51076550179.215874}, {32, 51031804653.309769}, {64, 51148801859.666107} }, -- B/s by SMs, 65536-byte pages
  sm_copy_d2h_curve = { {1, 45205034170.279938}, {2, 51967586829.016151}, {4, 52273287258.921371}, {8, 52524659713.635101}, {16, 52643322818.505875}, {32, 52379038875.616264}, {64, 52396053083.624733} }, -- B/s by SMs, 65536-byte pages
  sm_copy_page_h2d_curve = { {256, 0.63498010295067275}, {4096, 0.99576846811537667}, {65536, 1} }, -- rate by page bytes over the 65536-byte page's, at 8 SMs
  sm_copy_page_d2h_curve = { {256, 0.98924704386236229}, {4096, 1.0011784920346232}, {65536, 1} }, -- rate by page bytes over the 65536-byte page's, at 8 SMs
  sm_copy_grid_h2d = {
    { 256, { {1, 4275809404.607007}, {2, 8525562536.0522804}, {4, 16900522648.482849}, {8, 32336507959.06741}, {16, 50569119662.591522}, {32, 50434130746.144066}, {64, 50580096878.149979} } },
    { 4096, { {1, 32398453381.405018}, {2, 51319025637.755928}, {4, 51051681356.709045}, {8, 50709738533.496399}, {16, 50987137457.268387}, {32, 51103929707.903908}, {64, 51070327227.631889} } },
    { 65536, { {1, 35757068471.556343}, {2, 51150047367.638351}, {4, 50964833168.699448}, {8, 50925230269.111931}, {16, 51076550179.215874}, {32, 51031804653.309769}, {64, 51148801859.666107} } },
  }, -- B/s by SMs, one row per page bytes
  sm_copy_grid_d2h = {
    { 256, { {1, 7659542360.8622084}, {2, 15221019479.913769}, {4, 30328456397.61113}, {8, 51959864351.590034}, {16, 51664170421.873344}, {32, 51529609222.671455}, {64, 51773858666.257835} } },
    { 4096, { {1, 44217592313.318367}, {2, 52457650046.299339}, {4, 52377732797.275589}, {8, 52586559606.728912}, {16, 52503619706.93959}, {32, 52651249804.06588}, {64, 52473404517.207069} } },
    { 65536, { {1, 45205034170.279938}, {2, 51967586829.016151}, {4, 52273287258.921371}, {8, 52524659713.635101}, {16, 52643322818.505875}, {32, 52379038875.616264}, {64, 52396053083.624733} } },
  }, -- B/s by SMs, one row per page bytes
  sm_copy_threads_grid_h2d = {
    { 128, { {1, 4891362082.5482302}, {2, 9719656616.3270073}, {4, 19321467001.811642}, {8, 37164437576.237572}, {16, 51322791936.528397}, {32, 50983420259.307877}, {64, 50947499899.888947} } },
    { 256, { {1, 9788523252.8056087}, {2, 19360529629.481907}, {4, 37469216829.161652}, {8, 51347925657.766754}, {16, 50881986448.58004}, {32, 50917814454.845772}, {64, 51085259296.73864} } },
    { 512, { {1, 19160297091.375515}, {2, 37110509590.479248}, {4, 51300197757.636871}, {8, 50978461760.790688}, {16, 50885693469.267639}, {32, 51091481251.14576}, {64, 51000777982.421196} } },
    { 1024, { {1, 36171513025.781654}, {2, 51225010202.355141}, {4, 50956165060.271385}, {8, 50942552995.49041}, {16, 51051681356.709045}, {32, 51074061743.352791}, {64, 51137576435.791199} } },
  }, -- B/s by SMs, one row per threads per block, 64 KiB pages
  sm_copy_threads_grid_d2h = {
    { 128, { {1, 12153880541.934917}, {2, 23856484320.587105}, {4, 47116423853.618439}, {8, 51875034870.983887}, {16, 51943132200.316795}, {32, 52064350360.534859}, {64, 52208219456.247292} } },
    { 256, { {1, 23087233266.30928}, {2, 45410593710.494072}, {4, 51727888351.673592}, {8, 51707481710.991203}, {16, 52199123275.46183}, {32, 52437977582.803429}, {64, 52427487728.158958} } },
    { 512, { {1, 34601900988.541389}, {2, 51778973110.647888}, {4, 51835284442.75724}, {8, 52376421911.006126}, {16, 52371193638.28904}, {32, 52413078348.626366}, {64, 52620864505.988884} } },
    { 1024, { {1, 45206010655.05735}, {2, 52035927524.54567}, {4, 52401291198.947784}, {8, 52443224084.415199}, {16, 52483907863.003891}, {32, 52430109798.346115}, {64, 52645966522.915001} } },
  }, -- B/s by SMs, one row per threads per block, 64 KiB pages
  batch_h2d_curve = { {4096, 4.7837500460445881e-07}, {16384, 5.4874998750165102e-07}, {65536, 1.3650000328198076e-06}, {262144, 4.9042501486837866e-06}, {1048576, 1.9059250131249428e-05}, {4194304, 7.580824941396713e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_d2h_curve = { {4096, 4.3874999391846362e-07}, {16384, 4.889999981969595e-07}, {65536, 1.3227500021457671e-06}, {262144, 4.8701250925660138e-06}, {1048576, 1.9077375531196594e-05}, {4194304, 7.6035372912883759e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_call = 2.7765999998763391e-05, -- s of host time per batched call
  batch_call_curve = { {64, 2.7765999998763391e-05} }, -- s of host time per batched call by entries
  attn_block_table_curve = { {1, 1.3064168281731294}, {4, 1.0863133085144889}, {16, 1.0740160728368291}, {64, 1.0817250687350171}, {256, 1.072625679711207} }, -- time over contiguous by tokens per block
  attn_offset_table_curve = { {1, 1.3622449205705283}, {4, 1.1406877370449493}, {16, 1.0632465500078916}, {64, 1.0637061869860234}, {256, 1.0557678559627464} }, -- time over contiguous by tokens per block
  source = "kvsim-calibrate on NVIDIA H200, driver API 13000, 2026-12-06 02:54 UTC",
}
