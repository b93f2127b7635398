-- Platform measured by kvsim-calibrate (kernels/calibrate.cu).
-- device: NVIDIA H100 80GB HBM3, 132 SMs, 85017493504 bytes (84465090560 free), 1 GPU(s), driver API 13000, 2026-12-06 01:01 UTC
-- pcie H2D 55.14 GB/s, D2H 55.11 GB/s at 256 MiB (pcie_bw = the lower)
-- copy fixed cost 2.29 us (median of time - bytes/bw, 4..64 KiB, both directions); 1-byte copies back to back 2.39 us each; 1-byte copy + sync round trip 5.49 us (median)
-- duplex (256 MiB each way at once): 73.74 GB/s aggregate (host_bw: a lower bound of host DRAM bandwidth for DMA)
-- device-to-device copy 256 MiB: 2955.8 GB/s counting read + write
-- HBM read stream, GB/s: unrolled x4, 1 GiB, 4 blocks/SM: 3098.9; weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM: 3278.9; weight read, 256 MiB once x 16 launches, 4 blocks/SM: 3017.1; weight read, 1 GiB once, 4 blocks/SM: 3089.1; weight read, 1 GiB once, 8 blocks/SM: 3091.4; weight read, 1 GiB once, 16 blocks/SM: 3093.6; weight read, 2 GiB once, 4 blocks/SM: 3093.8
-- HBM read stream: 3278.9 GB/s, the best (weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM) (hbm_bw)
-- bf16 matrix product 8192x8192x8192 (cuBLAS, random data): 795 TFLOP/s
-- kernel launch: 2.53 us each back to back; launch + sync round trip 7.80 us (median)
-- table write (4 KiB H2D from pinned memory between CUDA events on an idle stream, as the GPU backend does): median 3.84 us, p10 3.68, p90 4.10 (table_write); the same copies queued back to back 3.68 us; the former definition, 4 KiB H2D + kernel launch back to back, 10.22 us
-- table write right after a step (a read stream of a few ms on the same stream, then a host sync, then the event pair and the copy; 100 times): median 4.64 us, p10 4.45, p90 4.99
-- zero-copy dependent read of mapped host memory: 1.15 us each (pcie_lat = round trip)
-- host memcpy 256 MiB, one thread: 13.9 GB/s (one CPU core; not host_bw, which is the duplex DMA figure)
-- batch check: 768 entries (every size, both directions) equal their sources byte for byte
-- SM copy check: 559104 pages (every page size, both directions, 8 SMs) equal their sources byte for byte; threads per block: 1024, kv_transfer_launch's (the next table varies them)
-- SM copy with 1 SM, 64 KiB pages, mean of both directions: 39.47 GB/s (sm_copy_bw_per_sm)
-- SM copy both directions at once (kv_transfer_pair_launch, 8 SMs, 64 KiB pages, 64 MiB each way): 52.82 GB/s aggregate (sm_duplex_bw)
-- SM copy by threads check: 8192 pages (every block size, both directions, 8 SMs) equal their sources byte for byte
-- attention check: block-table and offset-table outputs equal the contiguous one at every block size (worst relative L2 0, tolerance 1e-05); contiguous vs float64 CPU reference on 4 requests 1.5e-07 (tolerance 1e-3)
-- vmm 2 MiB medians in isolation (us): reserve 0.49 create 7.80 map 0.57 set_access 19.44 unmap 14.00 release 9.16 addr_free 0.40
-- vmm 4 MiB medians in isolation (us): reserve 0.37 create 7.76 map 0.55 set_access 19.25 unmap 13.87 release 10.36 addr_free 0.40
-- vmm 8 MiB medians in isolation (us): reserve 0.48 create 7.76 map 0.56 set_access 19.36 unmap 13.95 release 12.12 addr_free 0.40
-- vmm 16 MiB medians in isolation (us): reserve 0.40 create 7.81 map 0.54 set_access 19.51 unmap 14.08 release 15.56 addr_free 0.40
-- vmm 64 MiB medians in isolation (us): reserve 2.01 create 8.35 map 0.61 set_access 33.41 unmap 21.52 release 24.95 addr_free 1.61
-- vmm 256 MiB medians in isolation (us): reserve 1.97 create 10.62 map 0.63 set_access 35.29 unmap 21.58 release 72.10 addr_free 1.66
-- vmm 1024 MiB medians in isolation (us): reserve 1.92 create 20.34 map 0.70 set_access 57.55 unmap 30.36 release 258.38 addr_free 1.76
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU idle, us median (p10/p90): reserve 0.40 (0.36/0.52) create 8.02 (7.89/8.45) map 0.65 (0.60/0.80) set_access 20.75 (20.28/21.52) unmap 15.47 (14.84/16.77) release 9.70 (9.41/10.23) addr_free 0.41 (0.38/0.50)
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU busy with a read stream, us median (p10/p90): reserve 0.42 (0.38/0.54) create 8.32 (8.02/8.71) map 0.66 (0.60/0.79) set_access 25.35 (20.61/27.82) unmap 25.32 (15.25/28.12) release 9.78 (9.47/10.19) addr_free 0.41 (0.38/0.51); 18 reads launched
-- vmm 2 MiB, 200 cycles among 128 live handles, each cycle right after a step, us median (p10/p90): reserve 0.68 (0.58/0.75) create 9.21 (8.73/201.08) map 0.88 (0.77/1.10) set_access 22.26 (21.70/23.19) unmap 17.01 (16.18/18.16) release 10.28 (9.81/11.15) addr_free 0.49 (0.45/0.57)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 16 live handles, GPU idle, us median (p10/p90): reserve 0.45 (0.40/0.57) create 7.83 (7.68/8.07) map 0.70 (0.63/0.80) set_access 19.61 (19.26/20.29) unmap 14.03 (13.73/14.51) release 9.68 (9.54/9.86) addr_free 0.42 (0.38/0.49)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 1024 live handles, GPU idle, us median (p10/p90): reserve 0.42 (0.37/0.55) create 8.01 (7.85/8.27) map 0.68 (0.61/0.81) set_access 21.30 (20.96/22.30) unmap 16.45 (15.64/17.52) release 10.48 (10.07/11.05) addr_free 0.41 (0.39/0.50)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 4096 live handles, GPU idle, us median (p10/p90): reserve 0.41 (0.37/0.55) create 8.18 (8.04/8.60) map 0.69 (0.62/0.84) set_access 21.75 (21.35/22.63) unmap 16.64 (15.86/18.14) release 10.63 (10.14/11.23) addr_free 0.42 (0.41/0.52)
-- vmm 64 MiB, 200 cycles among 32 live handles, GPU idle, us median (p10/p90): reserve 1.77 (1.70/2.00) create 9.24 (8.68/20.77) map 0.72 (0.64/0.89) set_access 20.76 (20.30/23.33) unmap 14.31 (14.00/15.03) release 25.36 (24.50/36.69) addr_free 1.92 (1.77/2.24)
-- vmm 64 MiB, 200 cycles among 32 live handles, each cycle right after a step, us median (p10/p90): reserve 2.25 (2.07/2.57) create 21.35 (20.74/29.62) map 0.91 (0.81/1.14) set_access 22.37 (21.60/25.09) unmap 15.21 (14.63/17.02) release 25.56 (24.76/32.90) addr_free 2.00 (1.88/2.35)
-- vmm growth, fresh range: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 9.28 (114.35/8.75/12.71; 9.13, 9.65) map 1.02 (2.24/0.87/1.65; 1.03, 1.00) set_access 23.55 (46.95/22.39/25.56; 23.18, 24.51) unmap 17.31 (64.76/16.20/18.67; 17.65, 16.74) release 10.31 (31.03/9.87/10.81; 10.49, 10.17)
-- vmm growth, same range again: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 9.25 (33.03/8.82/12.33; 9.15, 9.43) map 1.01 (3.88/0.89/1.29; 1.01, 1.01) set_access 23.33 (67.74/22.39/24.55; 23.03, 23.66) unmap 17.45 (64.23/16.20/18.82; 17.83, 16.94) release 10.35 (31.66/9.89/10.96; 10.58, 10.22)
-- vmm growth, new range, memory recycled: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 9.39 (34.64/8.89/12.77; 9.32, 9.40) map 1.03 (5.38/0.88/1.32; 1.03, 1.04) set_access 23.65 (70.90/22.72/25.23; 23.48, 23.78) unmap 17.54 (65.19/16.41/18.87; 17.95, 17.10) release 10.41 (33.28/9.99/10.96; 10.56, 10.38)
-- vmm growth, fresh range: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 9.58 (34.89/9.18/11.03; 9.58, 9.85) map 0.99 (4.19/0.89/1.43; 1.07, 1.01) set_access 24.09 (83.67/23.15/40.06; 24.94, 24.04) unmap 15.72 (46.34/14.60/22.84; 17.37, 14.67) release 25.42 (41.62/24.62/37.02; 25.45, 25.03)
-- vmm growth, same range again: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 9.39 (127.14/8.65/41.74; 9.22, 14.36) map 0.97 (1.52/0.77/2.58; 0.99, 1.54) set_access 23.40 (41.55/22.37/49.29; 22.53, 36.59) unmap 22.58 (65.46/17.44/31.22; 24.69, 17.92) release 41.37 (65.52/25.80/58.14; 50.92, 25.88)
-- vmm growth, new range, memory recycled: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 11.02 (159.56/9.64/12.93; 11.87, 9.91) map 1.15 (4.99/0.93/1.61; 1.34, 0.99) set_access 25.63 (63.55/23.79/42.11; 26.28, 24.03) unmap 15.54 (44.18/14.55/22.72; 16.68, 14.72) release 24.99 (41.42/24.42/36.76; 25.78, 24.91)
-- vmm after a gap, 2 MiB, nominal 0 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 0.69 @0.25 create 19.63 @0.23 map 0.72 @0.25 set_access 20.18 @0.23 unmap 14.42 @0.24 release 20.74 @0.23 addr_free 0.46 @0.25
-- vmm after a gap, 2 MiB, nominal 1 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 0.87 @2.36 create 9.31 @2.35 map 0.76 @2.36 set_access 21.55 @2.34 unmap 15.88 @2.34 release 9.69 @2.34 addr_free 0.51 @2.35
-- vmm after a gap, 2 MiB, nominal 2 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 0.89 @4.25 create 10.40 @4.24 map 0.77 @4.25 set_access 22.83 @4.23 unmap 15.54 @4.33 release 9.60 @4.33 addr_free 0.51 @4.34
-- vmm after a gap, 2 MiB, nominal 5 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 0.93 @10.41 create 11.02 @10.40 map 0.88 @10.41 set_access 23.84 @10.38 unmap 16.79 @10.39 release 10.04 @10.39 addr_free 0.54 @10.40
-- vmm after a gap, 2 MiB, nominal 10 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 1.13 @20.34 create 12.18 @20.33 map 0.96 @20.34 set_access 25.56 @20.31 unmap 18.25 @20.35 release 10.73 @20.35 addr_free 0.55 @20.36
-- vmm after a gap, 2 MiB, nominal 20 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 1.74 @40.40 create 16.24 @40.38 map 1.23 @40.39 set_access 29.37 @40.37 unmap 26.13 @40.42 release 14.14 @40.46 addr_free 0.95 @40.47
-- vmm after a gap, 2 MiB, nominal 50 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 4.09 @100.49 create 31.91 @100.44 map 2.63 @100.47 set_access 47.27 @100.41 unmap 33.55 @100.49 release 16.70 @100.50 addr_free 1.01 @100.52
-- vmm after a gap, 2 MiB, nominal 200 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 2.68 @400.37 create 26.01 @400.34 map 2.29 @400.36 set_access 44.43 @400.32 unmap 33.98 @400.36 release 17.34 @400.40 addr_free 1.10 @400.43
-- vmm after a gap, 2 MiB, nominal 500 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 7.82 @1000.52 create 58.13 @1000.47 map 5.03 @1000.51 set_access 74.18 @1000.45 unmap 73.48 @1000.47 release 34.06 @1000.52 addr_free 2.47 @1000.56
-- vmm after a gap, 64 MiB, nominal 0 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 2.77 @0.25 create 8.54 @0.24 map 0.71 @0.25 set_access 35.08 @0.21 unmap 22.55 @0.23 release 36.16 @0.21 addr_free 2.00 @0.25
-- vmm after a gap, 64 MiB, nominal 1 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 3.34 @2.30 create 21.02 @2.29 map 0.83 @2.31 set_access 36.49 @2.27 unmap 23.71 @2.28 release 24.61 @2.28 addr_free 2.40 @2.31
-- vmm after a gap, 64 MiB, nominal 2 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 2.88 @4.34 create 21.20 @4.32 map 0.83 @4.34 set_access 36.05 @4.31 unmap 23.29 @4.32 release 24.60 @4.32 addr_free 2.04 @4.34
-- vmm after a gap, 64 MiB, nominal 5 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 3.06 @10.51 create 21.48 @10.49 map 0.88 @10.51 set_access 37.69 @10.48 unmap 24.12 @10.49 release 25.05 @10.49 addr_free 2.18 @10.51
-- vmm after a gap, 64 MiB, nominal 10 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 3.55 @20.46 create 21.82 @20.44 map 0.84 @20.47 set_access 38.25 @20.43 unmap 25.82 @20.44 release 25.56 @20.44 addr_free 2.45 @20.47
-- vmm after a gap, 64 MiB, nominal 20 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 4.70 @40.47 create 24.06 @40.45 map 1.14 @40.47 set_access 43.08 @40.42 unmap 27.14 @40.46 release 26.11 @40.47 addr_free 3.10 @40.49
-- vmm after a gap, 64 MiB, nominal 50 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 11.41 @100.39 create 31.24 @100.38 map 2.11 @100.42 set_access 51.92 @100.37 unmap 34.96 @100.40 release 29.91 @100.42 addr_free 5.50 @100.44
-- vmm after a gap, 64 MiB, nominal 200 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 13.06 @400.44 create 33.23 @400.42 map 1.99 @400.44 set_access 51.69 @400.40 unmap 36.32 @400.44 release 30.46 @400.45 addr_free 7.87 @400.47
-- vmm after a gap, 64 MiB, nominal 500 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 30.61 @1000.59 create 70.14 @1000.55 map 5.62 @1000.62 set_access 90.17 @1000.52 unmap 82.01 @1000.56 release 51.39 @1000.60 addr_free 18.19 @1000.64
-- vmm after a gap of launches, 2 MiB, nominal 0 ms, 12 cycles, us median @ ms since the call's last (median): reserve 0.78 @0.16 create 8.41 @0.15 map 0.65 @0.16 set_access 20.44 @0.14 unmap 14.84 @0.14 release 9.31 @0.15 addr_free 0.47 @0.16
-- vmm after a gap of launches, 2 MiB, nominal 1 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.09 @2.27 create 10.06 @2.26 map 0.93 @2.27 set_access 23.12 @2.24 unmap 17.08 @2.26 release 9.97 @2.27 addr_free 0.55 @2.28
-- vmm after a gap of launches, 2 MiB, nominal 2 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.12 @4.27 create 11.06 @4.26 map 0.92 @4.27 set_access 24.12 @4.25 unmap 17.42 @4.29 release 10.30 @4.29 addr_free 0.58 @4.30
-- vmm after a gap of launches, 2 MiB, nominal 5 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.22 @10.30 create 10.44 @10.29 map 0.94 @10.30 set_access 23.96 @10.28 unmap 17.18 @10.29 release 10.21 @10.29 addr_free 0.58 @10.30
-- vmm after a gap of launches, 2 MiB, nominal 10 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.45 @20.28 create 12.55 @20.27 map 1.16 @20.29 set_access 26.56 @20.26 unmap 21.39 @20.27 release 11.50 @20.28 addr_free 0.77 @20.29
-- vmm after a gap of launches, 2 MiB, nominal 20 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.72 @40.30 create 14.58 @40.29 map 1.64 @40.30 set_access 31.17 @40.27 unmap 23.88 @40.29 release 12.17 @40.30 addr_free 0.78 @40.31
-- vmm after a gap of launches, 2 MiB, nominal 50 ms, 12 cycles, us median @ ms since the call's last (median): reserve 2.72 @100.31 create 19.33 @100.29 map 1.86 @100.32 set_access 34.21 @100.28 unmap 27.79 @100.29 release 14.24 @100.30 addr_free 0.92 @100.31
-- vmm after a gap of launches, 64 MiB, nominal 0 ms, 12 cycles, us median @ ms since the call's last (median): reserve 2.63 @0.24 create 8.41 @0.23 map 0.66 @0.24 set_access 35.40 @0.21 unmap 22.50 @0.22 release 36.70 @0.21 addr_free 1.96 @0.24
-- vmm after a gap of launches, 64 MiB, nominal 1 ms, 12 cycles, us median @ ms since the call's last (median): reserve 3.35 @2.32 create 21.12 @2.30 map 0.84 @2.32 set_access 36.38 @2.28 unmap 24.05 @2.31 release 24.79 @2.31 addr_free 2.70 @2.33
-- vmm after a gap of launches, 64 MiB, nominal 2 ms, 12 cycles, us median @ ms since the call's last (median): reserve 2.98 @4.36 create 21.08 @4.34 map 0.87 @4.36 set_access 36.87 @4.33 unmap 23.77 @4.34 release 24.94 @4.34 addr_free 2.12 @4.36
-- vmm after a gap of launches, 64 MiB, nominal 5 ms, 12 cycles, us median @ ms since the call's last (median): reserve 3.50 @10.30 create 21.93 @10.27 map 0.98 @10.29 set_access 37.92 @10.26 unmap 24.90 @10.31 release 25.53 @10.30 addr_free 2.41 @10.32
-- vmm after a gap of launches, 64 MiB, nominal 10 ms, 12 cycles, us median @ ms since the call's last (median): reserve 3.60 @20.31 create 21.98 @20.29 map 1.08 @20.31 set_access 38.55 @20.27 unmap 25.79 @20.30 release 25.81 @20.31 addr_free 2.37 @20.33
-- vmm after a gap of launches, 64 MiB, nominal 20 ms, 12 cycles, us median @ ms since the call's last (median): reserve 3.94 @40.32 create 23.16 @40.30 map 1.15 @40.32 set_access 39.65 @40.28 unmap 27.17 @40.30 release 26.04 @40.30 addr_free 2.85 @40.32
-- vmm after a gap of launches, 64 MiB, nominal 50 ms, 12 cycles, us median @ ms since the call's last (median): reserve 6.10 @100.33 create 25.55 @100.31 map 1.41 @100.33 set_access 43.08 @100.29 unmap 29.45 @100.34 release 27.20 @100.34 addr_free 3.66 @100.36
-- vmm growth on the launching thread, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 9.26 (13.52/8.77/12.31) map 1.07 (1.71/0.90/1.41) set_access 28.12 (59.08/26.57/30.71)
-- vmm growth on one thread kept for the series, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 16.66 (88.39/14.59/21.72) map 1.61 (7.60/1.21/5.68) set_access 38.70 (119.80/34.77/42.50)
-- vmm growth on a new thread per handle, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 20.64 (50.43/16.92/48.67) map 2.48 (7.40/1.71/6.24) set_access 47.08 (93.78/37.48/74.01)
-- vmm growth on the launching thread, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 11.84 (27.03/10.94/13.81) map 1.26 (3.35/1.07/1.59) set_access 28.90 (66.81/27.62/49.88)
-- vmm growth on one thread kept for the series, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 11.31 (100.83/10.47/59.20) map 1.31 (8.29/1.07/3.05) set_access 29.63 (160.30/27.56/54.20)
-- vmm growth on a new thread per handle, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 32.99 (110.70/11.74/59.08) map 4.20 (8.95/1.23/5.95) set_access 56.66 (133.79/29.50/71.23)
-- vmm reserve / free of 16 MiB ranges among live ranges, us median per window of calls (live: reserve free): 0: 0.32 0.33 32: 1.03 1.03 96: 1.37 1.04 160: 1.91 1.06 224: 2.36 1.01 288: 3.01 1.03 352: 3.25 1.05 416: 3.74 1.05 480: 4.09 1.09 544: 4.54 1.10 608: 5.09 1.13 672: 5.29 1.13 736: 5.78 1.15 800: 6.19 1.15 864: 6.53 1.17 928: 6.85 1.30 992: 7.43 1.71
-- vmm factors over isolation at the granularity (busy, after_step): reserve 1.304 2.096 create 1.067 1.181 map 1.154 1.553 set_access 1.304 1.145 unmap 1.809 1.215 release 1.068 1.122 free_va 1.274 1.514
return {
  name = "h100-measured",
  gpus_per_server = 1, -- cudaGetDeviceCount
  servers = 1, -- one machine
  hbm_bytes = 85017493504, -- cudaMemGetInfo total
  hbm_bw = 3.279e+12, -- best read stream (kernels and launch shapes above)
  d2d_bw = 2.956e+12, -- cudaMemcpyAsync D2D 256 MiB, read+write
  flops = 7.95e+14, -- cuBLAS bf16 GEMM
  sms = 132, -- device property
  kernel_launch = 2.532e-06, -- empty kernels back to back
  pcie_bw = 5.511e+10, -- min(H2D, D2H) at 256 MiB, pinned
  pcie_lat = 1.145e-06, -- zero-copy dependent read round trip
  copy_overhead = 2.287e-06, -- fixed cost per cudaMemcpyAsync
  sm_copy_bw_per_sm = 3.947e+10, -- kv_transfer_launch on 1 SM
  sm_duplex_bw = 5.282e+10, -- kv_transfer_pair_launch both ways at once, 8 SMs, aggregate
  gpus_per_uplink = 0, -- not measured: own link assumed
  uplink_bw = 0, -- not measured (gpus_per_uplink = 0)
  host_bw = 7.374e+10, -- duplex DMA aggregate: lower bound of host DRAM bw for DMA
  nvlink_bw = 0, -- not measured (one GPU)
  nvlink_lat = 0, -- not measured (one GPU)
  nic_bw = 0, -- no inter-server tier
  nic_lat = 0, -- no inter-server tier
  vmm_reserve = 6.79e-07, -- cuMemAddressReserve, granularity range, cycles after a step, median
  vmm_create = 9.209e-06, -- cuMemCreate, cycles after a step, median
  vmm_map = 8.82e-07, -- cuMemMap, cycles after a step, median
  vmm_set_access = 2.226e-05, -- cuMemSetAccess, cycles after a step, median
  vmm_unmap = 1.701e-05, -- cuMemUnmap, cycles after a step, median
  vmm_release = 1.028e-05, -- cuMemRelease, cycles after a step, median
  vmm_granularity = 2097152, -- cuMemGetAllocationGranularity minimum
  vmm_reserve_per_mib = 1.403e-09, -- size slope: (largest - smallest handle median) / MiB, isolation
  vmm_create_per_mib = 1.227e-08, -- size slope, isolation
  vmm_map_per_mib = 1.296e-10, -- size slope, isolation
  vmm_set_access_per_mib = 3.728e-08, -- size slope, isolation
  vmm_unmap_per_mib = 1.601e-08, -- size slope, isolation
  vmm_release_per_mib = 2.439e-07, -- size slope, isolation
  table_write = 4.64e-06, -- 4 KiB H2D from pinned right after a step, events, median
  -- measured curves (every raw one in h100-measured.curves.csv)
  vmm_reserve_curve = { {2097152, 3.2399999838617077e-07}, {4194304, 3.7250000062272193e-07}, {8388608, 4.8499999749651579e-07}, {16777216, 3.9600000079076381e-07}, {67108864, 1.6710000068087538e-06}, {268435456, 1.9669999993254805e-06}, {1073741824, 1.4329999942219729e-06}, {17179869184, 1.4170000071089817e-06}, {274877906944, 1.3469999942117283e-06}, {1099511627776, 1.3849999973558624e-06} }, -- s per call by range bytes, isolation
  vmm_create_curve = { {2097152, 7.8005000005987313e-06}, {4194304, 7.7625000010073109e-06}, {8388608, 7.7635000010900512e-06}, {16777216, 7.8109999996911483e-06}, {67108864, 8.3510000017383845e-06}, {268435456, 1.0616999997381527e-05}, {1073741824, 2.0335500000356888e-05} }, -- s per call by handle bytes, isolation
  vmm_map_curve = { {2097152, 5.6799999725853922e-07}, {4194304, 5.5299999957014734e-07}, {8388608, 5.5950000188431659e-07}, {16777216, 5.4449999709049735e-07}, {67108864, 6.0749999875042704e-07}, {268435456, 6.2650000032249409e-07}, {1073741824, 7.0049999933985418e-07} }, -- s per call by handle bytes, isolation
  vmm_set_access_curve = { {2097152, 1.9441999999258996e-05}, {4194304, 1.9247499999153206e-05}, {8388608, 1.9361500001480181e-05}, {16777216, 1.9510000001332628e-05}, {67108864, 3.3412499998775047e-05}, {268435456, 3.5287499997593841e-05}, {1073741824, 5.7545500002476047e-05} }, -- s per call by handle bytes, isolation
  vmm_unmap_curve = { {2097152, 1.3997500001750041e-05}, {4194304, 1.386700000338692e-05}, {8388608, 1.3951000003231684e-05}, {16777216, 1.4082999999942558e-05}, {67108864, 2.1520999997193258e-05}, {268435456, 2.1578000005462172e-05}, {1073741824, 3.0355999999898131e-05} }, -- s per call by handle bytes, isolation
  vmm_release_curve = { {2097152, 9.1564999991078366e-06}, {4194304, 1.0355499998837558e-05}, {8388608, 1.2118499999047572e-05}, {16777216, 1.5558999997722367e-05}, {67108864, 2.4945999999914648e-05}, {268435456, 7.2098499998674015e-05}, {1073741824, 0.00025838400000210981} }, -- s per call by handle bytes, isolation
  vmm_free_va_curve = { {2097152, 3.2100000169066334e-07}, {4194304, 4.0350000318767343e-07}, {8388608, 4.0349999963495975e-07}, {16777216, 4.0400000145268677e-07}, {67108864, 1.2510000004795074e-06}, {268435456, 1.6560000020149346e-06}, {1073741824, 1.2664999999856263e-06}, {17179869184, 1.2815000047794456e-06}, {274877906944, 2.1415000048818911e-06}, {1099511627776, 2.0020000022213935e-06} }, -- s per call by range bytes, isolation
  vmm_reserve_live = { {16, 1.3981481611439002}, {128, 1.2376543308698407}, {1024, 1.2962963003574688}, {4096, 1.2638889065549892} }, -- idle call among x live handles / isolated
  vmm_create_live = { {16, 1.003397217724699}, {128, 1.0286520093500919}, {1024, 1.0262803669938063}, {4096, 1.0488430223662202} }, -- idle call among x live handles / isolated
  vmm_map_live = { {16, 1.2306338042484526}, {128, 1.1434859186754063}, {1024, 1.1971831033487041}, {4096, 1.2156690173330271} }, -- idle call among x live handles / isolated
  vmm_set_access_live = { {16, 1.0086410861096193}, {128, 1.0671484415034227}, {1024, 1.095566299816672}, {4096, 1.1188149367025904} }, -- idle call among x live handles / isolated
  vmm_unmap_live = { {16, 1.0021432395337049}, {128, 1.1048758707259914}, {1024, 1.1755670652040338}, {4096, 1.1886765494889511} }, -- idle call among x live handles / isolated
  vmm_release_live = { {16, 1.0573363189439193}, {128, 1.0589198933910107}, {1024, 1.1444329166379328}, {4096, 1.1613061757228702} }, -- idle call among x live handles / isolated
  vmm_free_va_live = { {16, 1.3146417357217546}, {128, 1.2772585663230989}, {1024, 1.2834890853331717}, {4096, 1.3208722657994709} }, -- idle call among x live handles / isolated
  vmm_create_grow = { {2097152, 9.2770000001962671e-06}, {67108864, 9.577499998414396e-06} }, -- s per call growing the pool, by handle bytes
  vmm_map_grow = { {2097152, 1.0239999994610116e-06}, {67108864, 9.8949999838282565e-07} }, -- s per call growing the pool, by handle bytes
  vmm_set_access_grow = { {2097152, 2.3548500003300887e-05}, {67108864, 2.4087500001712669e-05} }, -- s per call growing the pool, by handle bytes
  vmm_reserve_live_va = { {32, 2.6047979882597345}, {96, 3.4684343498571213}, {160, 4.8181818124726821}, {224, 5.969696949307199}, {288, 7.6047979613452368}, {352, 8.1994949386883711}, {416, 9.4520201846888963}, {480, 10.31691915919361}, {544, 11.457070690147198}, {608, 12.840909078063536}, {672, 13.354797950130862}, {736, 14.607323214074388}, {800, 15.638888850760017}, {864, 16.488636326832829}, {928, 17.297979777182231}, {992, 18.75757572903008} }, -- among x live ranges / none
  vmm_free_va_live_va = { {32, 2.5445544633687125}, {96, 2.5668316840607615}, {160, 2.6138613819593606}, {224, 2.4999999868092315}, {288, 2.5606435603622013}, {352, 2.6027227452317989}, {416, 2.5928217719368702}, {480, 2.6918316807630696}, {544, 2.7190593968964283}, {608, 2.8081683148400076}, {672, 2.794554439185637}, {736, 2.8477722607827958}, {800, 2.8527227738117973}, {864, 2.8836633571292158}, {928, 3.2215346402201606}, {992, 4.2400989849343045} }, -- among x live ranges / none
  vmm_reserve_gap = {
    { 2097152, { {0.00025000000000000001, 6.9200000041291787e-07}, {0.0023600000000000001, 8.7299999762535663e-07}, {0.0042500000000000003, 8.9000000258465661e-07}, {0.010410000000000001, 9.269999949879093e-07}, {0.02034, 1.1259999936896747e-06}, {0.040399999999999998, 1.737000005164191e-06}, {0.10049, 4.0910000009830583e-06}, {0.40037, 2.6780000013104654e-06}, {1.0005200000000001, 7.819000003905785e-06} } },
    { 67108864, { {0.00025000000000000001, 2.7659999943807634e-06}, {0.0023, 3.3379999990756914e-06}, {0.0043400000000000001, 2.8829999934032458e-06}, {0.01051, 3.0639999977211119e-06}, {0.020459999999999999, 3.5500000024057954e-06}, {0.040469999999999999, 4.6990000015512123e-06}, {0.10038999999999999, 1.1409999999045795e-05}, {0.40044000000000002, 1.3062999997259794e-05}, {1.0005900000000001, 3.0608000002985136e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_create_gap = {
    { 2097152, { {0.00023000000000000001, 1.9630499998868345e-05}, {0.0023500000000000001, 9.3149999997876876e-06}, {0.0042399999999999998, 1.0396999996942213e-05}, {0.0104, 1.1023999995529721e-05}, {0.020330000000000001, 1.2181999998972515e-05}, {0.040379999999999999, 1.6238000000612374e-05}, {0.10044, 3.1909000000496235e-05}, {0.40033999999999997, 2.6011000002768014e-05}, {1.00047, 5.8133999999654407e-05} } },
    { 67108864, { {0.00024000000000000001, 8.5400000031654599e-06}, {0.0022899999999999999, 2.1021999998538377e-05}, {0.0043200000000000001, 2.119500000219432e-05}, {0.010489999999999999, 2.1484000001237291e-05}, {0.02044, 2.1816000000285385e-05}, {0.04045, 2.4062999997909174e-05}, {0.10038, 3.1243999998764593e-05}, {0.40042, 3.3227000002966633e-05}, {1.0005500000000001, 7.014400000571186e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_map_gap = {
    { 2097152, { {0.00025000000000000001, 7.1850000082918086e-07}, {0.0023600000000000001, 7.6099999546386243e-07}, {0.0042500000000000003, 7.6599999943027797e-07}, {0.010410000000000001, 8.7800000159177216e-07}, {0.02034, 9.5600000094009374e-07}, {0.040390000000000002, 1.2339999955202074e-06}, {0.10047, 2.6310000009743817e-06}, {0.40035999999999999, 2.2919999906889643e-06}, {1.00051, 5.0339999972948135e-06} } },
    { 67108864, { {0.00025000000000000001, 7.1499999876323272e-07}, {0.00231, 8.3399999084576848e-07}, {0.0043400000000000001, 8.2900000109020766e-07}, {0.01051, 8.8499999151281372e-07}, {0.020469999999999999, 8.3799999117672996e-07}, {0.040469999999999999, 1.1359999945170784e-06}, {0.10042, 2.1110000005819529e-06}, {0.40044000000000002, 1.9860000008975476e-06}, {1.0006200000000001, 5.6230000069490416e-06} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_set_access_gap = {
    { 2097152, { {0.00023000000000000001, 2.0180500001742985e-05}, {0.0023400000000000001, 2.1551000003228182e-05}, {0.0042300000000000003, 2.2829000002388966e-05}, {0.01038, 2.3841000000857093e-05}, {0.020310000000000002, 2.5557000000731023e-05}, {0.040370000000000003, 2.9365999999697578e-05}, {0.10041, 4.7273999996377825e-05}, {0.40032000000000001, 4.4428000002483259e-05}, {1.0004500000000001, 7.417899999495603e-05} } },
    { 67108864, { {0.00021000000000000001, 3.5075999996081464e-05}, {0.0022699999999999999, 3.6491000003024965e-05}, {0.0043099999999999996, 3.604699999470995e-05}, {0.01048, 3.7693999999532934e-05}, {0.02043, 3.8246000002573055e-05}, {0.040419999999999998, 4.3075999997199688e-05}, {0.10037, 5.1923000000897446e-05}, {0.40039999999999998, 5.1691999999547988e-05}, {1.0005200000000001, 9.01699999928951e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_unmap_gap = {
    { 2097152, { {0.00024000000000000001, 1.4417999995686159e-05}, {0.0023400000000000001, 1.587799999924755e-05}, {0.0043299999999999996, 1.5541000003338468e-05}, {0.01039, 1.6792000003817975e-05}, {0.02035, 1.8245000006800183e-05}, {0.040419999999999998, 2.6126000001625016e-05}, {0.10049, 3.3545000000856362e-05}, {0.40035999999999999, 3.3975000008013012e-05}, {1.00047, 7.348299999421215e-05} } },
    { 67108864, { {0.00023000000000000001, 2.2551000000703425e-05}, {0.0022799999999999999, 2.3714000008112635e-05}, {0.0043200000000000001, 2.3288999997816973e-05}, {0.010489999999999999, 2.4120000006178088e-05}, {0.02044, 2.5819000001092718e-05}, {0.040460000000000003, 2.7137000003563116e-05}, {0.1004, 3.496300000449537e-05}, {0.40044000000000002, 3.6321999999699983e-05}, {1.0005599999999999, 8.2009999999854699e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_release_gap = {
    { 2097152, { {0.00023000000000000001, 2.0740500001892315e-05}, {0.0023400000000000001, 9.6899999988409036e-06}, {0.0043299999999999996, 9.5970000018041901e-06}, {0.01039, 1.0037999999212843e-05}, {0.02035, 1.0733999999956723e-05}, {0.040460000000000003, 1.4141999997718813e-05}, {0.10050000000000001, 1.6700999999841315e-05}, {0.40039999999999998, 1.7341000003057161e-05}, {1.0005200000000001, 3.4060000004387803e-05} } },
    { 67108864, { {0.00021000000000000001, 3.6155999993070509e-05}, {0.0022799999999999999, 2.4608000003922825e-05}, {0.0043200000000000001, 2.4601999996320956e-05}, {0.010489999999999999, 2.5049000001331478e-05}, {0.02044, 2.5561000001061984e-05}, {0.040469999999999999, 2.6113999993526704e-05}, {0.10042, 2.9906999998274841e-05}, {0.40044999999999997, 3.0459000001314962e-05}, {1.0005999999999999, 5.1392000003147587e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_free_va_gap = {
    { 2097152, { {0.00025000000000000001, 4.6199999914620093e-07}, {0.0023500000000000001, 5.1099999609505176e-07}, {0.0043400000000000001, 5.0799999939954432e-07}, {0.0104, 5.4199999510728958e-07}, {0.02036, 5.5400000320560139e-07}, {0.040469999999999999, 9.5000000044365152e-07}, {0.10052, 1.0110000019381005e-06}, {0.40043000000000001, 1.1049999955048406e-06}, {1.0005599999999999, 2.471000001946777e-06} } },
    { 67108864, { {0.00025000000000000001, 1.9995000002381857e-06}, {0.00231, 2.397000002929417e-06}, {0.0043400000000000001, 2.0399999982601003e-06}, {0.01051, 2.1790000062082981e-06}, {0.020469999999999999, 2.4450000069009548e-06}, {0.040489999999999998, 3.1010000043352193e-06}, {0.10044, 5.4959999999937281e-06}, {0.40046999999999999, 7.873999990692937e-06}, {1.00064, 1.8194000006133138e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_reserve_busy = 1.0536159599450936, -- busy / idle among the same live handles at the granularity
  vmm_create_busy = 1.0372008979529872, -- busy / idle among the same live handles at the granularity
  vmm_map_busy = 1.0092378760719054, -- busy / idle among the same live handles at the granularity
  vmm_set_access_busy = 1.2216652609047967, -- busy / idle among the same live handles at the granularity
  vmm_unmap_busy = 1.6372247904522788, -- busy / idle among the same live handles at the granularity
  vmm_release_busy = 1.0082508246634945, -- busy / idle among the same live handles at the granularity
  vmm_free_va_busy = 0.99756097541954547, -- busy / idle among the same live handles at the granularity
  vmm_reserve_after_step = 1.6932668173194454, -- after_step / idle among the same live handles at the granularity
  vmm_create_after_step = 1.1476819539677998, -- after_step / idle among the same live handles at the granularity
  vmm_map_after_step = 1.3579676677017742, -- after_step / idle among the same live handles at the granularity
  vmm_set_access_after_step = 1.0727075550678937, -- after_step / idle among the same live handles at the granularity
  vmm_unmap_after_step = 1.0997381266503856, -- after_step / idle among the same live handles at the granularity
  vmm_release_after_step = 1.0598700491278268, -- after_step / idle among the same live handles at the granularity
  vmm_free_va_after_step = 1.185365842119086, -- after_step / idle among the same live handles at the granularity
  copy_h2d_curve = { {4096, 2.5579200591892006e-06}, {16384, 2.8284641448408365e-06}, {65536, 3.8761119358241561e-06}, {262144, 8.008928038179875e-06}, {1048576, 2.2275563329458238e-05}, {4194304, 7.8967750072479243e-05}, {16777216, 0.00031035751104354861}, {67108864, 0.0012186219692230224}, {268435456, 0.0048684639930725096} }, -- s per cudaMemcpyAsync by bytes, back to back
  copy_d2h_curve = { {4096, 1.9126880215480926e-06}, {16384, 2.1315680351108311e-06}, {65536, 3.2800801564007996e-06}, {262144, 6.3192960806190972e-06}, {1048576, 2.0505405962467192e-05}, {4194304, 7.7312998473644254e-05}, {16777216, 0.00030537098646163944}, {67108864, 0.0012172240018844605}, {268435456, 0.0048712158203125001} }, -- s per cudaMemcpyAsync by bytes, back to back
  sm_copy_h2d_curve = { {1, 34481289966.100716}, {2, 33950428897.24884}, {4, 33290240622.985672}, {8, 33127225233.568401}, {16, 33598513836.137833}, {32, 33508857983.341698}, {64, 33816305955.647686} }, -- B/s by SMs, 65536-byte pages
  sm_copy_d2h_curve = { {1, 44452846057.977982}, {2, 51832721528.973984}, {4, 52151095378.873596}, {8, 52149800643.26078}, {16, 52227724720.142776}, {32, 52287624724.391579}, {64, 52210819639.10788} }, -- B/s by SMs, 65536-byte pages
  sm_copy_page_h2d_curve = { {256, 0.98094084710296581}, {4096, 1.0325726694118775}, {65536, 1} }, -- rate by page bytes over the 65536-byte page's, at 8 SMs
  sm_copy_page_d2h_curve = { {256, 0.99667883378140598}, {4096, 1.0020431915336809}, {65536, 1} }, -- rate by page bytes over the 65536-byte page's, at 8 SMs
  sm_copy_grid_h2d = {
    { 256, { {1, 4280862970.8030443}, {2, 8564208512.5229301}, {4, 16976314019.324804}, {8, 32495848382.787331}, {16, 34077315131.159203}, {32, 33912547693.161152}, {64, 34167813438.886589} } },
    { 4096, { {1, 32429016389.533031}, {2, 34034729962.784092}, {4, 34283995095.875645}, {8, 34206267389.634235}, {16, 34506819896.77755}, {32, 34295768721.264046}, {64, 34509091711.761551} } },
    { 65536, { {1, 34481289966.100716}, {2, 33950428897.24884}, {4, 33290240622.985672}, {8, 33127225233.568401}, {16, 33598513836.137833}, {32, 33508857983.341698}, {64, 33816305955.647686} } },
  }, -- B/s by SMs, one row per page bytes
  sm_copy_grid_d2h = {
    { 256, { {1, 7541054220.8649912}, {2, 14969606429.252029}, {4, 29904205256.772045}, {8, 51976602487.057968}, {16, 51256310383.121895}, {32, 51909704992.157715}, {64, 52029473427.97982} } },
    { 4096, { {1, 43575374134.912216}, {2, 52138131599.758789}, {4, 52095388141.564728}, {8, 52256352674.418243}, {16, 52266774151.560753}, {32, 52256352674.418243}, {64, 52275893927.268013} } },
    { 65536, { {1, 44452846057.977982}, {2, 51832721528.973984}, {4, 52151095378.873596}, {8, 52149800643.26078}, {16, 52227724720.142776}, {32, 52287624724.391579}, {64, 52210819639.10788} } },
  }, -- B/s by SMs, one row per page bytes
  sm_copy_threads_grid_h2d = {
    { 128, { {1, 4973455407.9863939}, {2, 9983918493.004961}, {4, 19720269328.608829}, {8, 34226923115.867577}, {16, 33965826822.918045}, {32, 33908162114.295719}, {64, 34162803899.014996} } },
    { 256, { {1, 9968921001.6081314}, {2, 19573210224.442001}, {4, 34704397260.569351}, {8, 33936145510.711567}, {16, 34003274717.145943}, {32, 34023685940.188053}, {64, 34219662069.415443} } },
    { 512, { {1, 19309369479.020924}, {2, 34382923337.301178}, {4, 33971328149.679268}, {8, 34279512925.883907}, {16, 34157795827.883041}, {32, 34426382751.650764}, {64, 34098924469.214085} } },
    { 1024, { {1, 34355886331.672409}, {2, 34215754030.999191}, {4, 34021479640.553288}, {8, 34220779112.971561}, {16, 34161132996.824066}, {32, 34385741745.699539}, {64, 33998313305.538723} } },
  }, -- B/s by SMs, one row per threads per block, 64 KiB pages
  sm_copy_threads_grid_d2h = {
    { 128, { {1, 11980986748.602163}, {2, 23549216440.860443}, {4, 46580605423.08606}, {8, 51657808209.468552}, {16, 51916129407.27462}, {32, 52151095378.873596}, {64, 52074690571.720108} } },
    { 256, { {1, 22875693460.127899}, {2, 45018719889.760063}, {4, 51389446172.557365}, {8, 52087627637.257271}, {16, 52020439420.630402}, {32, 52032055836.312378}, {64, 52397360075.796959} } },
    { 512, { {1, 34994526781.04483}, {2, 51601881612.313683}, {4, 51953424313.864227}, {8, 52316318401.1931}, {16, 52232924385.36071}, {32, 52234228098.41803}, {64, 52227724720.142776} } },
    { 1024, { {1, 44421774619.174652}, {2, 52104448201.520531}, {4, 52131647299.19355}, {8, 52525973129.812271}, {16, 52257657557.274048}, {32, 52271986449.05275}, {64, 52235527029.677887} } },
  }, -- B/s by SMs, one row per threads per block, 64 KiB pages
  batch_h2d_curve = { {4096, 4.6312500489875678e-07}, {16384, 5.2462500752881167e-07}, {65536, 1.3792499667033552e-06}, {262144, 5.1985001191496847e-06}, {1048576, 1.9195875152945519e-05}, {4194304, 7.6253250241279606e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_d2h_curve = { {4096, 4.2525000753812495e-07}, {16384, 4.8912502825260159e-07}, {65536, 1.3325000181794166e-06}, {262144, 4.8892498016357425e-06}, {1048576, 1.9143875688314439e-05}, {4194304, 7.6185122132301332e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_call = 2.6773500000132344e-05, -- s of host time per batched call
  batch_call_curve = { {64, 2.6773500000132344e-05} }, -- s of host time per batched call by entries
  attn_block_table_curve = { {1, 1.1738100200174937}, {4, 1.0532011976864868}, {16, 1.0467746869883474}, {64, 1.0426066937531042}, {256, 1.0348642404415185} }, -- time over contiguous by tokens per block
  attn_offset_table_curve = { {1, 1.2290472881180703}, {4, 1.0893292724262578}, {16, 1.0422653460734617}, {64, 1.0368140023210659}, {256, 1.0331095556305923} }, -- time over contiguous by tokens per block
  source = "kvsim-calibrate on NVIDIA H100 80GB HBM3, driver API 13000, 2026-12-06 01:01 UTC",
}
