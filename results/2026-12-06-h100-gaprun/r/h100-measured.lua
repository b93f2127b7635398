-- Platform measured by kvsim-calibrate (kernels/calibrate.cu).
-- device: NVIDIA H100 80GB HBM3, 132 SMs, 85017493504 bytes (84465090560 free), 1 GPU(s), driver API 13000, 2026-12-06 04:14 UTC
-- pcie H2D 51.26 GB/s, D2H 55.08 GB/s at 256 MiB (pcie_bw = the lower)
-- copy fixed cost 2.31 us (median of time - bytes/bw, 4..64 KiB, both directions); 1-byte copies back to back 2.31 us each; 1-byte copy + sync round trip 5.56 us (median)
-- duplex (256 MiB each way at once): 66.78 GB/s aggregate (host_bw: a lower bound of host DRAM bandwidth for DMA)
-- device-to-device copy 256 MiB: 2955.8 GB/s counting read + write
-- HBM read stream, GB/s: unrolled x4, 1 GiB, 4 blocks/SM: 3096.9; weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM: 3279.1; weight read, 256 MiB once x 16 launches, 4 blocks/SM: 3013.0; weight read, 1 GiB once, 4 blocks/SM: 3090.8; weight read, 1 GiB once, 8 blocks/SM: 3088.3; weight read, 1 GiB once, 16 blocks/SM: 3092.5; weight read, 2 GiB once, 4 blocks/SM: 3095.9
-- HBM read stream: 3279.1 GB/s, the best (weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM) (hbm_bw)
-- bf16 matrix product 8192x8192x8192 (cuBLAS, random data): 788 TFLOP/s
-- kernel launch: 3.34 us each back to back; launch + sync round trip 9.17 us (median)
-- table write (4 KiB H2D from pinned memory between CUDA events on an idle stream, as the GPU backend does): median 4.42 us, p10 4.03, p90 4.96 (table_write); the same copies queued back to back 3.87 us; the former definition, 4 KiB H2D + kernel launch back to back, 7.44 us
-- table write right after a step (a read stream of a few ms on the same stream, then a host sync, then the event pair and the copy; 100 times): median 4.93 us, p10 4.64, p90 5.47
-- zero-copy dependent read of mapped host memory: 1.21 us each (pcie_lat = round trip)
-- host memcpy 256 MiB, one thread: 11.8 GB/s (one CPU core; not host_bw, which is the duplex DMA figure)
-- batch check: 768 entries (every size, both directions) equal their sources byte for byte
-- SM copy check: 559104 pages (every page size, both directions, 8 SMs) equal their sources byte for byte; threads per block: 1024, kv_transfer_launch's (the next table varies them)
-- SM copy with 1 SM, 64 KiB pages, mean of both directions: 38.05 GB/s (sm_copy_bw_per_sm)
-- SM copy both directions at once (kv_transfer_pair_launch, 8 SMs, 64 KiB pages, 64 MiB each way): 48.60 GB/s aggregate (sm_duplex_bw)
-- SM copy by threads check: 8192 pages (every block size, both directions, 8 SMs) equal their sources byte for byte
-- attention check: block-table and offset-table outputs equal the contiguous one at every block size (worst relative L2 0, tolerance 1e-05); contiguous vs float64 CPU reference on 4 requests 1.5e-07 (tolerance 1e-3)
-- vmm 2 MiB medians in isolation (us): reserve 0.57 create 9.11 map 0.67 set_access 21.91 unmap 15.44 release 10.59 addr_free 0.48
-- vmm 4 MiB medians in isolation (us): reserve 0.44 create 9.08 map 0.65 set_access 21.69 unmap 15.22 release 11.85 addr_free 0.50
-- vmm 8 MiB medians in isolation (us): reserve 0.59 create 9.13 map 0.67 set_access 21.90 unmap 15.46 release 13.95 addr_free 0.53
-- vmm 16 MiB medians in isolation (us): reserve 0.87 create 13.84 map 1.13 set_access 30.24 unmap 20.34 release 28.43 addr_free 0.84
-- vmm 64 MiB medians in isolation (us): reserve 3.70 create 36.05 map 1.13 set_access 48.22 unmap 28.69 release 48.45 addr_free 3.11
-- vmm 256 MiB medians in isolation (us): reserve 2.33 create 12.05 map 0.74 set_access 39.51 unmap 23.54 release 81.76 addr_free 2.01
-- vmm 1024 MiB medians in isolation (us): reserve 2.37 create 49.27 map 0.90 set_access 64.81 unmap 32.50 release 308.29 addr_free 2.30
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU idle, us median (p10/p90): reserve 0.48 (0.42/0.62) create 9.24 (8.90/9.74) map 0.76 (0.68/0.98) set_access 23.69 (23.08/24.94) unmap 18.19 (17.18/20.08) release 11.27 (10.71/12.41) addr_free 0.48 (0.42/0.59)
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU busy with a read stream, us median (p10/p90): reserve 0.48 (0.43/0.65) create 9.51 (9.12/10.11) map 0.74 (0.67/0.99) set_access 28.56 (23.91/32.17) unmap 28.57 (18.43/31.66) release 11.25 (10.67/12.01) addr_free 0.47 (0.43/0.59); 20 reads launched
-- vmm 2 MiB, 200 cycles among 128 live handles, each cycle right after a step, us median (p10/p90): reserve 0.79 (0.65/1.00) create 10.57 (9.77/214.33) map 1.02 (0.87/1.33) set_access 25.32 (24.32/27.57) unmap 19.61 (18.25/22.28) release 11.77 (11.15/12.93) addr_free 0.53 (0.49/0.68)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 16 live handles, GPU idle, us median (p10/p90): reserve 0.52 (0.45/0.66) create 8.80 (8.67/9.34) map 0.77 (0.69/0.91) set_access 21.45 (21.12/22.33) unmap 15.15 (14.85/16.00) release 10.76 (10.60/11.01) addr_free 0.47 (0.42/0.58)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 1024 live handles, GPU idle, us median (p10/p90): reserve 0.47 (0.42/0.62) create 9.09 (8.90/9.75) map 0.74 (0.67/0.94) set_access 23.85 (23.31/25.06) unmap 18.58 (17.33/20.20) release 11.86 (11.27/12.62) addr_free 0.45 (0.43/0.54)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 4096 live handles, GPU idle, us median (p10/p90): reserve 0.46 (0.41/0.59) create 9.20 (9.00/9.95) map 0.77 (0.69/0.94) set_access 24.32 (23.80/25.79) unmap 18.95 (17.65/20.94) release 11.98 (11.37/12.82) addr_free 0.50 (0.46/0.57)
-- vmm 64 MiB, 200 cycles among 32 live handles, GPU idle, us median (p10/p90): reserve 1.96 (1.87/2.21) create 10.14 (9.40/22.44) map 0.80 (0.69/0.99) set_access 22.56 (21.93/25.14) unmap 15.29 (14.82/16.44) release 26.59 (25.92/39.31) addr_free 2.14 (1.95/2.61)
-- vmm 64 MiB, 200 cycles among 32 live handles, each cycle right after a step, us median (p10/p90): reserve 2.53 (2.29/2.79) create 23.58 (22.70/34.84) map 1.00 (0.87/1.26) set_access 25.18 (23.75/27.72) unmap 17.01 (16.08/18.38) release 27.70 (26.54/35.92) addr_free 2.28 (2.05/2.86)
-- vmm growth, fresh range: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 10.52 (115.17/9.71/14.27; 10.32, 10.68) map 1.16 (3.05/0.97/1.77; 1.15, 1.11) set_access 26.27 (52.80/24.58/28.85; 25.51, 27.36) unmap 18.88 (75.26/17.84/20.73; 19.52, 18.61) release 11.60 (37.74/11.12/12.43; 11.95, 11.53)
-- vmm growth, same range again: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 10.45 (44.22/9.89/14.29; 10.39, 10.45) map 1.17 (4.96/0.99/1.47; 1.18, 1.18) set_access 25.93 (86.17/24.70/27.91; 25.97, 26.07) unmap 18.75 (79.36/17.78/20.59; 19.19, 18.31) release 11.64 (37.90/11.06/12.38; 11.77, 11.45)
-- vmm growth, new range, memory recycled: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 10.43 (40.09/9.74/13.91; 10.49, 10.36) map 1.14 (4.88/0.97/1.48; 1.18, 1.12) set_access 25.84 (85.41/24.72/27.71; 25.88, 25.70) unmap 18.40 (66.95/17.53/19.90; 18.66, 18.20) release 11.23 (35.98/10.76/11.94; 11.32, 11.10)
-- vmm growth, fresh range: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 10.67 (43.92/10.11/12.32; 10.82, 10.85) map 1.14 (5.40/0.99/1.52; 1.22, 1.16) set_access 26.52 (102.70/25.02/42.85; 27.53, 26.72) unmap 16.91 (55.00/15.83/25.27; 18.62, 16.06) release 28.23 (52.32/27.16/41.47; 29.98, 27.92)
-- vmm growth, same range again: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 10.37 (161.85/9.73/23.27; 10.86, 10.04) map 0.97 (2.43/0.83/1.35; 1.14, 0.97) set_access 26.02 (49.31/24.63/44.39; 25.92, 25.80) unmap 16.47 (39.94/15.37/24.73; 17.91, 15.62) release 27.02 (38.19/26.32/39.54; 27.41, 26.74)
-- vmm growth, new range, memory recycled: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 10.38 (136.15/9.62/14.82; 10.21, 10.43) map 1.03 (2.60/0.84/1.35; 1.13, 1.09) set_access 25.93 (44.40/24.68/43.70; 25.46, 26.40) unmap 16.34 (34.47/15.56/23.53; 17.58, 15.72) release 27.91 (37.88/26.27/41.55; 28.53, 26.76)
-- vmm after a gap, 2 MiB, nominal 0 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 0.73 @0.26 create 21.15 @0.24 map 0.74 @0.26 set_access 21.45 @0.24 unmap 15.34 @0.24 release 22.93 @0.24 addr_free 0.49 @0.26
-- vmm after a gap, 2 MiB, nominal 1 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 0.89 @2.28 create 9.61 @2.28 map 0.78 @2.29 set_access 22.57 @2.26 unmap 16.42 @2.28 release 10.25 @2.28 addr_free 0.53 @2.29
-- vmm after a gap, 2 MiB, nominal 2 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 0.89 @4.43 create 10.05 @4.42 map 0.81 @4.43 set_access 23.37 @4.40 unmap 16.71 @4.41 release 10.49 @4.41 addr_free 0.55 @4.42
-- vmm after a gap, 2 MiB, nominal 5 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 0.88 @10.46 create 11.37 @10.45 map 0.84 @10.46 set_access 24.31 @10.44 unmap 16.79 @10.44 release 10.46 @10.45 addr_free 0.53 @10.46
-- vmm after a gap, 2 MiB, nominal 10 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 0.99 @20.37 create 11.67 @20.36 map 0.86 @20.37 set_access 26.36 @20.34 unmap 18.17 @20.35 release 11.00 @20.36 addr_free 0.55 @20.37
-- vmm after a gap, 2 MiB, nominal 20 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 1.24 @40.43 create 13.47 @40.42 map 0.94 @40.43 set_access 28.85 @40.40 unmap 19.92 @40.41 release 12.06 @40.42 addr_free 0.66 @40.43
-- vmm after a gap, 2 MiB, nominal 50 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 10.96 @100.56 create 81.61 @100.46 map 7.08 @100.50 set_access 96.89 @100.47 unmap 65.73 @100.49 release 38.64 @100.57 addr_free 2.92 @100.62
-- vmm after a gap, 2 MiB, nominal 200 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 13.43 @400.76 create 113.60 @400.66 map 10.01 @400.77 set_access 120.55 @400.65 unmap 141.68 @400.61 release 49.19 @400.72 addr_free 4.78 @400.77
-- vmm after a gap, 2 MiB, nominal 500 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 14.28 @1000.68 create 98.11 @1000.59 map 7.95 @1000.67 set_access 105.01 @1000.58 unmap 139.49 @1000.60 release 48.45 @1000.70 addr_free 4.76 @1000.74
-- vmm after a gap, 64 MiB, nominal 0 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 2.87 @0.25 create 9.30 @0.25 map 0.73 @0.26 set_access 37.05 @0.22 unmap 23.21 @0.23 release 39.36 @0.22 addr_free 2.44 @0.25
-- vmm after a gap, 64 MiB, nominal 1 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 3.36 @2.30 create 22.54 @2.28 map 0.95 @2.30 set_access 38.91 @2.26 unmap 24.85 @2.28 release 27.16 @2.28 addr_free 2.50 @2.30
-- vmm after a gap, 64 MiB, nominal 2 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 3.37 @4.32 create 23.36 @4.30 map 0.97 @4.33 set_access 39.37 @4.28 unmap 25.62 @4.30 release 27.93 @4.29 addr_free 2.69 @4.31
-- vmm after a gap, 64 MiB, nominal 5 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 5.07 @10.44 create 27.08 @10.42 map 1.40 @10.45 set_access 43.86 @10.41 unmap 29.31 @10.42 release 28.65 @10.42 addr_free 3.62 @10.44
-- vmm after a gap, 64 MiB, nominal 10 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 7.00 @20.40 create 28.53 @20.38 map 1.47 @20.41 set_access 47.24 @20.37 unmap 30.86 @20.40 release 30.25 @20.40 addr_free 4.61 @20.43
-- vmm after a gap, 64 MiB, nominal 20 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 16.91 @40.44 create 48.92 @40.40 map 3.75 @40.43 set_access 83.80 @40.37 unmap 38.71 @40.45 release 33.39 @40.48 addr_free 6.03 @40.50
-- vmm after a gap, 64 MiB, nominal 50 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 7.64 @100.40 create 30.49 @100.38 map 1.73 @100.41 set_access 49.19 @100.36 unmap 32.67 @100.39 release 29.98 @100.40 addr_free 4.31 @100.42
-- vmm after a gap, 64 MiB, nominal 200 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 30.95 @400.53 create 66.64 @400.51 map 5.24 @400.57 set_access 92.16 @400.51 unmap 85.61 @400.53 release 53.89 @400.57 addr_free 19.75 @400.60
-- vmm after a gap, 64 MiB, nominal 500 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 43.11 @1000.69 create 103.84 @1000.62 map 7.39 @1000.72 set_access 118.09 @1000.61 unmap 137.81 @1000.62 release 64.24 @1000.64 addr_free 24.03 @1000.68
-- vmm after a gap of launches, 2 MiB, nominal 0 ms, 12 cycles, us median @ ms since the call's last (median): reserve 0.90 @0.17 create 10.69 @0.16 map 0.87 @0.17 set_access 24.01 @0.15 unmap 15.92 @0.15 release 10.40 @0.16 addr_free 0.51 @0.17
-- vmm after a gap of launches, 2 MiB, nominal 1 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.15 @2.39 create 17.41 @2.37 map 1.03 @2.39 set_access 29.38 @2.36 unmap 24.35 @2.35 release 12.73 @2.38 addr_free 0.64 @2.39
-- vmm after a gap of launches, 2 MiB, nominal 2 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.65 @4.29 create 15.99 @4.27 map 1.22 @4.29 set_access 29.12 @4.26 unmap 20.75 @4.27 release 12.17 @4.29 addr_free 0.75 @4.31
-- vmm after a gap of launches, 2 MiB, nominal 5 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.26 @10.28 create 12.20 @10.27 map 1.03 @10.28 set_access 26.12 @10.25 unmap 19.15 @10.27 release 11.40 @10.28 addr_free 0.60 @10.29
-- vmm after a gap of launches, 2 MiB, nominal 10 ms, 12 cycles, us median @ ms since the call's last (median): reserve 8.43 @20.55 create 65.26 @20.50 map 5.56 @20.54 set_access 85.06 @20.47 unmap 58.12 @20.47 release 34.22 @20.48 addr_free 3.01 @20.49
-- vmm after a gap of launches, 2 MiB, nominal 20 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.50 @40.30 create 14.20 @40.28 map 1.55 @40.30 set_access 28.60 @40.27 unmap 22.03 @40.30 release 12.35 @40.30 addr_free 0.71 @40.31
-- vmm after a gap of launches, 2 MiB, nominal 50 ms, 12 cycles, us median @ ms since the call's last (median): reserve 3.45 @100.38 create 28.21 @100.36 map 2.61 @100.38 set_access 43.03 @100.34 unmap 33.52 @100.35 release 17.69 @100.37 addr_free 1.28 @100.38
-- vmm after a gap of launches, 64 MiB, nominal 0 ms, 12 cycles, us median @ ms since the call's last (median): reserve 2.76 @0.25 create 9.53 @0.24 map 0.75 @0.25 set_access 37.62 @0.21 unmap 23.49 @0.22 release 36.75 @0.21 addr_free 2.11 @0.25
-- vmm after a gap of launches, 64 MiB, nominal 1 ms, 12 cycles, us median @ ms since the call's last (median): reserve 3.71 @2.38 create 21.72 @2.36 map 0.89 @2.38 set_access 38.23 @2.35 unmap 25.16 @2.37 release 25.65 @2.37 addr_free 2.40 @2.40
-- vmm after a gap of launches, 64 MiB, nominal 2 ms, 12 cycles, us median @ ms since the call's last (median): reserve 3.75 @4.32 create 22.43 @4.30 map 0.89 @4.32 set_access 38.74 @4.28 unmap 25.66 @4.32 release 25.63 @4.32 addr_free 2.82 @4.34
-- vmm after a gap of launches, 64 MiB, nominal 5 ms, 12 cycles, us median @ ms since the call's last (median): reserve 4.85 @10.35 create 24.79 @10.33 map 1.12 @10.36 set_access 42.23 @10.32 unmap 27.95 @10.34 release 27.02 @10.34 addr_free 3.64 @10.36
-- vmm after a gap of launches, 64 MiB, nominal 10 ms, 12 cycles, us median @ ms since the call's last (median): reserve 7.23 @20.37 create 28.42 @20.35 map 1.64 @20.38 set_access 48.30 @20.33 unmap 32.23 @20.35 release 29.66 @20.36 addr_free 3.98 @20.38
-- vmm after a gap of launches, 64 MiB, nominal 20 ms, 12 cycles, us median @ ms since the call's last (median): reserve 9.72 @40.38 create 31.06 @40.34 map 1.82 @40.37 set_access 52.55 @40.32 unmap 35.39 @40.37 release 31.18 @40.38 addr_free 5.74 @40.40
-- vmm after a gap of launches, 64 MiB, nominal 50 ms, 12 cycles, us median @ ms since the call's last (median): reserve 17.16 @100.47 create 50.50 @100.43 map 2.95 @100.47 set_access 75.09 @100.39 unmap 49.80 @100.47 release 40.36 @100.48 addr_free 8.47 @100.51
-- vmm after a gap of serving steps, 2 MiB, nominal 0 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 1.77 @0.25 create 17.75 @0.23 map 1.75 @0.25 set_access 37.02 @0.21 unmap 23.82 @0.23 release 16.61 @0.23 addr_free 1.25 @0.25
-- vmm after a gap of serving steps, 2 MiB, nominal 1 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 4.21 @3.22 create 33.45 @3.19 map 3.58 @3.22 set_access 54.48 @3.17 unmap 42.81 @3.19 release 25.53 @3.20 addr_free 2.27 @3.23
-- vmm after a gap of serving steps, 2 MiB, nominal 2 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 4.09 @4.67 create 33.03 @4.64 map 3.69 @4.67 set_access 55.20 @4.61 unmap 44.34 @4.63 release 25.85 @4.65 addr_free 2.24 @4.67
-- vmm after a gap of serving steps, 2 MiB, nominal 5 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 6.64 @10.56 create 50.16 @10.51 map 5.44 @10.56 set_access 78.84 @10.47 unmap 62.09 @10.51 release 34.57 @10.54 addr_free 3.12 @10.57
-- vmm after a gap of serving steps, 2 MiB, nominal 10 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 8.18 @20.72 create 61.02 @20.65 map 6.66 @20.71 set_access 88.64 @20.62 unmap 83.61 @20.67 release 43.36 @20.70 addr_free 3.95 @20.74
-- vmm after a gap of serving steps, 2 MiB, nominal 20 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 9.33 @41.04 create 78.39 @40.96 map 8.21 @41.03 set_access 100.27 @40.93 unmap 96.74 @40.96 release 50.21 @41.02 addr_free 4.37 @41.07
-- vmm after a gap of serving steps, 2 MiB, nominal 50 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 12.45 @101.83 create 97.78 @101.74 map 9.17 @101.83 set_access 120.08 @101.72 unmap 122.84 @101.75 release 57.51 @101.83 addr_free 5.12 @101.88
-- vmm after a gap of serving steps, 2 MiB, nominal 200 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 13.63 @401.03 create 94.72 @400.94 map 8.02 @401.05 set_access 100.27 @400.98 unmap 120.50 @401.22 release 45.69 @401.25 addr_free 4.44 @401.29
-- vmm after a gap of serving steps, 2 MiB, nominal 500 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 10.70 @1001.17 create 80.15 @1001.07 map 7.33 @1001.13 set_access 90.05 @1001.00 unmap 98.44 @1001.07 release 42.49 @1001.11 addr_free 4.26 @1001.14
-- vmm after a gap of serving steps, 64 MiB, nominal 0 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 2.94 @0.25 create 9.12 @0.24 map 0.73 @0.25 set_access 36.87 @0.21 unmap 23.34 @0.23 release 38.03 @0.21 addr_free 2.19 @0.25
-- vmm after a gap of serving steps, 64 MiB, nominal 1 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 3.52 @3.25 create 23.16 @3.23 map 0.97 @3.25 set_access 39.79 @3.21 unmap 25.66 @3.23 release 27.02 @3.23 addr_free 2.37 @3.25
-- vmm after a gap of serving steps, 64 MiB, nominal 2 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 3.36 @4.68 create 23.44 @4.66 map 0.99 @4.69 set_access 39.94 @4.65 unmap 25.54 @4.66 release 26.79 @4.66 addr_free 2.32 @4.69
-- vmm after a gap of serving steps, 64 MiB, nominal 5 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 3.72 @10.42 create 24.39 @10.40 map 1.00 @10.42 set_access 40.76 @10.38 unmap 26.38 @10.40 release 26.97 @10.40 addr_free 2.66 @10.43
-- vmm after a gap of serving steps, 64 MiB, nominal 10 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 5.11 @20.47 create 26.11 @20.45 map 1.14 @20.48 set_access 44.51 @20.44 unmap 27.91 @20.45 release 27.09 @20.46 addr_free 3.16 @20.48
-- vmm after a gap of serving steps, 64 MiB, nominal 20 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 6.98 @40.61 create 28.78 @40.58 map 1.59 @40.61 set_access 49.46 @40.56 unmap 30.94 @40.60 release 28.24 @40.60 addr_free 3.75 @40.62
-- vmm after a gap of serving steps, 64 MiB, nominal 50 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 15.38 @101.03 create 49.14 @100.99 map 3.22 @101.04 set_access 69.42 @100.97 unmap 50.25 @101.01 release 38.75 @101.01 addr_free 10.03 @101.03
-- vmm after a gap of serving steps, 64 MiB, nominal 200 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 26.20 @401.19 create 73.91 @401.16 map 5.15 @401.25 set_access 96.87 @401.16 unmap 90.53 @401.26 release 55.67 @401.30 addr_free 19.01 @401.33
-- vmm after a gap of serving steps, 64 MiB, nominal 500 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 42.29 @1001.09 create 100.36 @1001.03 map 8.13 @1001.13 set_access 124.26 @1001.01 unmap 124.37 @1001.01 release 66.29 @1001.07 addr_free 24.21 @1001.11
-- vmm growth on the launching thread, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 11.84 (61.03/11.17/15.81) map 1.39 (4.65/1.11/1.71) set_access 33.37 (93.55/31.99/36.48)
-- vmm growth on one thread kept for the series, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 35.26 (128.21/19.84/47.61) map 3.81 (11.34/1.98/15.22) set_access 67.74 (169.76/44.74/80.97)
-- vmm growth on a new thread per handle, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 43.48 (115.01/22.07/79.91) map 5.25 (13.07/2.39/10.32) set_access 75.61 (149.08/46.10/122.62)
-- vmm growth on the launching thread, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 20.38 (72.36/19.06/23.12) map 2.39 (8.50/1.84/3.12) set_access 44.58 (130.17/41.46/76.22)
-- vmm growth on one thread kept for the series, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 22.24 (157.16/18.58/26.68) map 2.41 (8.63/1.94/3.20) set_access 49.23 (153.07/42.90/82.08)
-- vmm growth on a new thread per handle, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 61.26 (176.73/35.73/80.66) map 7.83 (12.27/4.00/10.96) set_access 91.48 (155.75/69.09/155.08)
-- vmm reserve / free of 16 MiB ranges among live ranges, us median per window of calls (live: reserve free): 0: 0.69 0.72 32: 2.14 2.86 96: 2.77 2.31 160: 3.35 2.26 224: 3.91 2.20 288: 4.76 2.43 352: 5.35 2.39 416: 5.91 2.31 480: 6.65 3.12 544: 7.16 2.60 608: 8.52 2.22 672: 8.06 2.33 736: 9.31 2.28 800: 10.16 2.48 864: 10.54 2.29 928: 11.05 2.50 992: 11.62 3.81
-- vmm factors over isolation at the granularity (busy, after_step): reserve 0.687 1.124 create 1.044 1.161 map 1.119 1.531 set_access 1.304 1.156 unmap 1.850 1.270 release 1.063 1.111 free_va 0.654 0.742
return {
  name = "h100-measured",
  gpus_per_server = 1, -- cudaGetDeviceCount
  servers = 1, -- one machine
  hbm_bytes = 85017493504, -- cudaMemGetInfo total
  hbm_bw = 3.279e+12, -- best read stream (kernels and launch shapes above)
  d2d_bw = 2.956e+12, -- cudaMemcpyAsync D2D 256 MiB, read+write
  flops = 7.88e+14, -- cuBLAS bf16 GEMM
  sms = 132, -- device property
  kernel_launch = 3.344e-06, -- empty kernels back to back
  pcie_bw = 5.126e+10, -- min(H2D, D2H) at 256 MiB, pinned
  pcie_lat = 1.21e-06, -- zero-copy dependent read round trip
  copy_overhead = 2.314e-06, -- fixed cost per cudaMemcpyAsync
  sm_copy_bw_per_sm = 3.805e+10, -- kv_transfer_launch on 1 SM
  sm_duplex_bw = 4.86e+10, -- kv_transfer_pair_launch both ways at once, 8 SMs, aggregate
  gpus_per_uplink = 0, -- not measured: own link assumed
  uplink_bw = 0, -- not measured (gpus_per_uplink = 0)
  host_bw = 6.678e+10, -- duplex DMA aggregate: lower bound of host DRAM bw for DMA
  nvlink_bw = 0, -- not measured (one GPU)
  nvlink_lat = 0, -- not measured (one GPU)
  nic_bw = 0, -- no inter-server tier
  nic_lat = 0, -- no inter-server tier
  vmm_reserve = 7.86e-07, -- cuMemAddressReserve, granularity range, cycles after a step, median
  vmm_create = 1.057e-05, -- cuMemCreate, cycles after a step, median
  vmm_map = 1.019e-06, -- cuMemMap, cycles after a step, median
  vmm_set_access = 2.532e-05, -- cuMemSetAccess, cycles after a step, median
  vmm_unmap = 1.961e-05, -- cuMemUnmap, cycles after a step, median
  vmm_release = 1.177e-05, -- cuMemRelease, cycles after a step, median
  vmm_granularity = 2097152, -- cuMemGetAllocationGranularity minimum
  vmm_reserve_per_mib = 1.761e-09, -- size slope: (largest - smallest handle median) / MiB, isolation
  vmm_create_per_mib = 3.93e-08, -- size slope, isolation
  vmm_map_per_mib = 2.275e-10, -- size slope, isolation
  vmm_set_access_per_mib = 4.198e-08, -- size slope, isolation
  vmm_unmap_per_mib = 1.669e-08, -- size slope, isolation
  vmm_release_per_mib = 2.913e-07, -- size slope, isolation
  table_write = 4.928e-06, -- 4 KiB H2D from pinned right after a step, events, median
  -- measured curves (every raw one in h100-measured.curves.csv)
  vmm_reserve_curve = { {2097152, 6.9950000636254117e-07}, {4194304, 4.3600000054766497e-07}, {8388608, 5.8550000048285256e-07}, {16777216, 8.6649999886390106e-07}, {67108864, 3.3590000043659529e-06}, {268435456, 2.3289999973030717e-06}, {1073741824, 2.8405000023212779e-06}, {17179869184, 2.8550000052973701e-06}, {274877906944, 2.7420000066058492e-06}, {1099511627776, 2.6664999950298807e-06} }, -- s per call by range bytes, isolation
  vmm_create_curve = { {2097152, 9.1080000004239992e-06}, {4194304, 9.0794999998422554e-06}, {8388608, 9.1320000024097681e-06}, {16777216, 1.3835499999004242e-05}, {67108864, 3.6053000002311819e-05}, {268435456, 1.2047500000278433e-05}, {1073741824, 4.9269000001572749e-05} }, -- s per call by handle bytes, isolation
  vmm_map_curve = { {2097152, 6.6549999999665488e-07}, {4194304, 6.480000038777689e-07}, {8388608, 6.6599999826166822e-07}, {16777216, 1.1275000026955695e-06}, {67108864, 1.133499999639298e-06}, {268435456, 7.3699999703080721e-07}, {1073741824, 8.979999996938659e-07} }, -- s per call by handle bytes, isolation
  vmm_set_access_curve = { {2097152, 2.1907000004262045e-05}, {4194304, 2.1687000000270018e-05}, {8388608, 2.190400000046111e-05}, {16777216, 3.0236000000627428e-05}, {67108864, 4.8216999999795007e-05}, {268435456, 3.9505999996691799e-05}, {1073741824, 6.4806500002845269e-05} }, -- s per call by handle bytes, isolation
  vmm_unmap_curve = { {2097152, 1.5444499997130379e-05}, {4194304, 1.5223999998426052e-05}, {8388608, 1.5455499998040523e-05}, {16777216, 2.0340000002505576e-05}, {67108864, 2.8686499998542558e-05}, {268435456, 2.3544500002969926e-05}, {1073741824, 3.2504999996518791e-05} }, -- s per call by handle bytes, isolation
  vmm_release_curve = { {2097152, 1.058999999870025e-05}, {4194304, 1.1849000003394394e-05}, {8388608, 1.3945500001000255e-05}, {16777216, 2.8428000000246811e-05}, {67108864, 4.844550000271397e-05}, {268435456, 8.176300000073411e-05}, {1073741824, 0.00030828750000111427} }, -- s per call by handle bytes, isolation
  vmm_free_va_curve = { {2097152, 7.1899999909419421e-07}, {4194304, 4.9900000220759466e-07}, {8388608, 5.2949999940210546e-07}, {16777216, 8.4400000233131323e-07}, {67108864, 2.7475000052845644e-06}, {268435456, 2.0145000014792913e-06}, {1073741824, 2.6605000016388658e-06}, {17179869184, 2.7555000059464874e-06}, {274877906944, 4.164999992894991e-06}, {1099511627776, 3.7564999928463294e-06} }, -- s per call by range bytes, isolation
  vmm_reserve_live = { {16, 0.73695496369913893}, {128, 0.68048606079722551}, {1024, 0.66690492787945588}, {4096, 0.65332379496168624} }, -- idle call among x live handles / isolated
  vmm_create_live = { {16, 0.96618357481327399}, {128, 1.0141633724699877}, {1024, 0.99769433446019207}, {4096, 1.0104852875511061} }, -- idle call among x live handles / isolated
  vmm_map_live = { {16, 1.1607813700200302}, {128, 1.1427498133063643}, {1024, 1.1187077430265555}, {4096, 1.1607813700200302} }, -- idle call among x live handles / isolated
  vmm_set_access_live = { {16, 0.9793673252688051}, {128, 1.0812753912440087}, {1024, 1.0888072303552154}, {4096, 1.110375678711754} }, -- idle call among x live handles / isolated
  vmm_unmap_live = { {16, 0.98122308917869827}, {128, 1.1776684258945551}, {1024, 1.2032438735154827}, {4096, 1.2267797603035504} }, -- idle call among x live handles / isolated
  vmm_release_live = { {16, 1.0158168084461825}, {128, 1.0639754486376478}, {1024, 1.1196411711009309}, {4096, 1.1314919738882334} }, -- idle call among x live handles / isolated
  vmm_free_va_live = { {16, 0.65507649580561389}, {128, 0.66272601213156357}, {1024, 0.62586926602635073}, {4096, 0.69401947543288112} }, -- idle call among x live handles / isolated
  vmm_create_grow = { {2097152, 1.0521499998361605e-05}, {67108864, 1.0672499996644547e-05} }, -- s per call growing the pool, by handle bytes
  vmm_map_grow = { {2097152, 1.1610000001383014e-06}, {67108864, 1.1429999986489747e-06} }, -- s per call growing the pool, by handle bytes
  vmm_set_access_grow = { {2097152, 2.6265999998997813e-05}, {67108864, 2.6516499996631637e-05} }, -- s per call growing the pool, by handle bytes
  vmm_reserve_live_va = { {32, 2.4650894342676359}, {96, 3.1956145515495207}, {160, 3.8684362512803352}, {224, 4.5175995593273806}, {288, 5.491633010769208}, {352, 6.1771494564571521}, {416, 6.821119447412431}, {480, 7.6757068845486174}, {544, 8.2677438193882864}, {608, 9.8286209049783082}, {672, 9.2971725438069992}, {736, 10.741488738408082}, {800, 11.724754768146646}, {864, 12.163877674356476}, {928, 12.753606481022254}, {992, 13.405654961586883} }, -- among x live ranges / none
  vmm_free_va_live_va = { {32, 3.3915876648451251}, {96, 2.7340047285861249}, {160, 2.6783175245502724}, {224, 2.6072274714712567}, {288, 2.8815165824110172}, {352, 2.8341232305291792}, {416, 2.7363744054408445}, {480, 3.6960900294012733}, {544, 3.0781990541775408}, {608, 2.626777246591427}, {672, 2.7571090021508691}, {736, 2.7002369596876568}, {800, 2.9425355341137314}, {864, 2.7156397918933144}, {928, 2.9614928816014685}, {992, 4.5124407424513224} }, -- among x live ranges / none
  vmm_reserve_gap = {
    { 2097152, { {0.00025999999999999998, 7.2599999967337681e-07}, {0.0022799999999999999, 8.940000029156181e-07}, {0.0044299999999999999, 8.9399999581019074e-07}, {0.010460000000000001, 8.8299999845276034e-07}, {0.020369999999999999, 9.9000000375326636e-07}, {0.040430000000000001, 1.2369999993211422e-06}, {0.10056, 1.0963000008246127e-05}, {0.40076000000000001, 1.3429999995651087e-05}, {1.00068, 1.4276000001700595e-05} } },
    { 67108864, { {0.00025000000000000001, 2.8749999998467501e-06}, {0.0023, 3.3609999974260063e-06}, {0.0043200000000000001, 3.3680000086633299e-06}, {0.01044, 5.0709999896980662e-06}, {0.020400000000000001, 7.0029999932330611e-06}, {0.040439999999999997, 1.6911000003005938e-05}, {0.1004, 7.640000006858827e-06}, {0.40053, 3.0954999999721622e-05}, {1.0006900000000001, 4.3114999996873848e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_create_gap = {
    { 2097152, { {0.00024000000000000001, 2.1150999998553743e-05}, {0.0022799999999999999, 9.6139999996580627e-06}, {0.0044200000000000003, 1.0054000000536689e-05}, {0.010449999999999999, 1.1366000002510646e-05}, {0.02036, 1.167399999957297e-05}, {0.040419999999999998, 1.3465000002099714e-05}, {0.10045999999999999, 8.1606000009060153e-05}, {0.40066000000000002, 0.00011360199999899123}, {1.0005900000000001, 9.8106999999458822e-05} } },
    { 67108864, { {0.00025000000000000001, 9.3010000057347497e-06}, {0.0022799999999999999, 2.2544000003676956e-05}, {0.0043, 2.3358999996503371e-05}, {0.01042, 2.7080999998929656e-05}, {0.020379999999999999, 2.8526000008355368e-05}, {0.040399999999999998, 4.8923000008471718e-05}, {0.10038, 3.0494999990082761e-05}, {0.40050999999999998, 6.6640000000006694e-05}, {1.0006200000000001, 0.00010383599999386206} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_map_gap = {
    { 2097152, { {0.00025999999999999998, 7.384999989312746e-07}, {0.0022899999999999999, 7.7700000389313573e-07}, {0.0044299999999999999, 8.069999992699195e-07}, {0.010460000000000001, 8.3999999844763806e-07}, {0.020369999999999999, 8.6300000390338028e-07}, {0.040430000000000001, 9.4399999994720929e-07}, {0.10050000000000001, 7.0829999998522908e-06}, {0.40077000000000002, 1.0007000000200605e-05}, {1.0006699999999999, 7.9520000042521133e-06} } },
    { 67108864, { {0.00025999999999999998, 7.3400000388801345e-07}, {0.0023, 9.5099998986825085e-07}, {0.0043299999999999996, 9.6799999482755084e-07}, {0.010449999999999999, 1.4000000021496817e-06}, {0.020410000000000001, 1.4729999975315877e-06}, {0.040430000000000001, 3.7470000080475074e-06}, {0.10041, 1.7259999935959058e-06}, {0.40056999999999998, 5.2379999999629945e-06}, {1.0007200000000001, 7.3869999965836541e-06} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_set_access_gap = {
    { 2097152, { {0.00024000000000000001, 2.1447499999993624e-05}, {0.0022599999999999999, 2.256500000186179e-05}, {0.0044000000000000003, 2.3369000004436202e-05}, {0.01044, 2.4312000000747958e-05}, {0.02034, 2.6356999995869046e-05}, {0.040399999999999998, 2.8850999996166138e-05}, {0.10047, 9.6892000001957967e-05}, {0.40065000000000001, 0.00012055199999849719}, {1.00058, 0.00010501399999895966} } },
    { 67108864, { {0.00022000000000000001, 3.7052999999787062e-05}, {0.0022599999999999999, 3.8907000003973735e-05}, {0.00428, 3.9365000006341688e-05}, {0.010410000000000001, 4.3856000004893758e-05}, {0.020369999999999999, 4.7236000000339118e-05}, {0.040370000000000003, 8.3799000009321389e-05}, {0.10036, 4.9192999995284481e-05}, {0.40050999999999998, 9.2162000001394517e-05}, {1.00061, 0.0001180929999975433} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_unmap_gap = {
    { 2097152, { {0.00024000000000000001, 1.5343499999431742e-05}, {0.0022799999999999999, 1.6418999997824812e-05}, {0.0044099999999999999, 1.6708000003973211e-05}, {0.01044, 1.6791000000182521e-05}, {0.02035, 1.8173000000842876e-05}, {0.040410000000000001, 1.9919999999729043e-05}, {0.10049, 6.5733999996098191e-05}, {0.40061000000000002, 0.00014167999999870062}, {1.0005999999999999, 0.00013948800000207484} } },
    { 67108864, { {0.00023000000000000001, 2.320899999830317e-05}, {0.0022799999999999999, 2.4845999988087897e-05}, {0.0043, 2.5617999995120044e-05}, {0.01042, 2.9306999991263183e-05}, {0.020400000000000001, 3.0864999999380416e-05}, {0.04045, 3.8705999998001062e-05}, {0.10038999999999999, 3.2665999995629136e-05}, {0.40053, 8.5607000002596578e-05}, {1.0006200000000001, 0.00013781300000914598} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_release_gap = {
    { 2097152, { {0.00024000000000000001, 2.293250000207081e-05}, {0.0022799999999999999, 1.0252999999238455e-05}, {0.0044099999999999999, 1.0494000001415316e-05}, {0.010449999999999999, 1.0459000002072116e-05}, {0.02036, 1.0997000003953872e-05}, {0.040419999999999998, 1.2064999999950032e-05}, {0.10057000000000001, 3.8641000003281079e-05}, {0.40072000000000002, 4.9187999991318065e-05}, {1.0006999999999999, 4.8450000008415373e-05} } },
    { 67108864, { {0.00022000000000000001, 3.9356499996756611e-05}, {0.0022799999999999999, 2.7161999994973485e-05}, {0.0042900000000000004, 2.7930000001674671e-05}, {0.01042, 2.8648000011344266e-05}, {0.020400000000000001, 3.0248000001620312e-05}, {0.040480000000000002, 3.3387000001994238e-05}, {0.1004, 2.9980000007867602e-05}, {0.40056999999999998, 5.3893000000471147e-05}, {1.00064, 6.4244000000712731e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_free_va_gap = {
    { 2097152, { {0.00025999999999999998, 4.9099999799295801e-07}, {0.0022899999999999999, 5.3400000155079397e-07}, {0.0044200000000000003, 5.4800000270915916e-07}, {0.010460000000000001, 5.3099999774985918e-07}, {0.020369999999999999, 5.5199999593469329e-07}, {0.040430000000000001, 6.6199999793070674e-07}, {0.10062, 2.9170000033218457e-06}, {0.40077000000000002, 4.7750000078394805e-06}, {1.00074, 4.7559999956092724e-06} } },
    { 67108864, { {0.00025000000000000001, 2.4409999994645659e-06}, {0.0023, 2.4969999969925993e-06}, {0.0043099999999999996, 2.6900000023033499e-06}, {0.01044, 3.6230000119985561e-06}, {0.02043, 4.6050000008790448e-06}, {0.040500000000000001, 6.0250000046835339e-06}, {0.10042, 4.3120000015051119e-06}, {0.40060000000000001, 1.9749000003344008e-05}, {1.00068, 2.4034000006167844e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_reserve_busy = 1.0094537635589951, -- busy / idle among the same live handles at the granularity
  vmm_create_busy = 1.0290678794810397, -- busy / idle among the same live handles at the granularity
  vmm_map_busy = 0.97961866792437247, -- busy / idle among the same live handles at the granularity
  vmm_set_access_busy = 1.2055303429854158, -- busy / idle among the same live handles at the granularity
  vmm_unmap_busy = 1.5706902714595423, -- busy / idle among the same live handles at the granularity
  vmm_release_busy = 0.99889061435003723, -- busy / idle among the same live handles at the granularity
  vmm_free_va_busy = 0.98635886939663153, -- busy / idle among the same live handles at the granularity
  vmm_reserve_after_step = 1.6512604931002344, -- after_step / idle among the same live handles at the granularity
  vmm_create_after_step = 1.1444733141181178, -- after_step / idle among the same live handles at the granularity
  vmm_map_after_step = 1.3399079527156934, -- after_step / idle among the same live handles at the granularity
  vmm_set_access_after_step = 1.0690448548180094, -- after_step / idle among the same live handles at the granularity
  vmm_unmap_after_step = 1.0782362482047829, -- after_step / idle among the same live handles at the granularity
  vmm_release_after_step = 1.0445085423254401, -- after_step / idle among the same live handles at the granularity
  vmm_free_va_after_step = 1.1196222325376426, -- after_step / idle among the same live handles at the granularity
  copy_h2d_curve = { {4096, 2.6044321712106468e-06}, {16384, 2.9156161472201349e-06}, {65536, 4.0942560881376266e-06}, {262144, 8.0004958435893064e-06}, {1048576, 2.4110093712806701e-05}, {4194304, 8.4285624325275421e-05}, {16777216, 0.00032973098754882812}, {67108864, 0.0013015700578689576}, {268435456, 0.0052367038726806644} }, -- s per cudaMemcpyAsync by bytes, back to back
  copy_d2h_curve = { {4096, 1.8015680834650994e-06}, {16384, 2.13084788993001e-06}, {65536, 3.2933279871940615e-06}, {262144, 6.314848084002733e-06}, {1048576, 2.0520500838756562e-05}, {4194304, 7.7489621937274931e-05}, {16777216, 0.00030596399307250978}, {67108864, 0.0012209659814834595}, {268435456, 0.0048738241195678709} }, -- s per cudaMemcpyAsync by bytes, back to back
  sm_copy_h2d_curve = { {1, 31822766223.15723}, {2, 31842090899.168911}, {4, 31541335957.714939}, {8, 31136726130.82061}, {16, 31928868714.703522}, {32, 31919635735.735447}, {64, 31637453657.761574} }, -- B/s by SMs, 65536-byte pages
  sm_copy_d2h_curve = { {1, 44269865522.56076}, {2, 51600609273.253273}, {4, 51850667249.506966}, {8, 52382967250.040733}, {16, 51975316400.982277}, {32, 52251148343.924049}, {64, 52527286611.676872} }, -- B/s by SMs, 65536-byte pages
  sm_copy_page_h2d_curve = { {256, 0.98921976319480631}, {4096, 1.0139096802819307}, {65536, 1} }, -- rate by page bytes over the 65536-byte page's, at 8 SMs
  sm_copy_page_d2h_curve = { {256, 0.99042596153722084}, {4096, 0.99740893763380267}, {65536, 1} }, -- rate by page bytes over the 65536-byte page's, at 8 SMs
  sm_copy_grid_h2d = {
    { 256, { {1, 4190900763.6106353}, {2, 8400907005.8587751}, {4, 16617159661.275927}, {8, 30801064849.791901}, {16, 31766847034.581203}, {32, 31311524044.622276}, {64, 31181632674.81501} } },
    { 4096, { {1, 30744618581.084099}, {2, 31730320459.709618}, {4, 31637453657.761574}, {8, 31569828036.326363}, {16, 31084116758.860451}, {32, 32050863344.906376}, {64, 31397780175.994457} } },
    { 65536, { {1, 31822766223.15723}, {2, 31842090899.168911}, {4, 31541335957.714939}, {8, 31136726130.82061}, {16, 31928868714.703522}, {32, 31919635735.735447}, {64, 31637453657.761574} } },
  }, -- B/s by SMs, one row per page bytes
  sm_copy_grid_d2h = {
    { 256, { {1, 7536392544.7462139}, {2, 15039385679.74962}, {4, 29988874545.935108}, {8, 51881450706.794342}, {16, 51844254250.000854}, {32, 51276362393.916534}, {64, 52016570036.726402} } },
    { 4096, { {1, 43505766218.278793}, {2, 51913558492.95208}, {4, 52205619532.36039}, {8, 52247239714.969406}, {16, 51065356443.049042}, {32, 51922555412.776924}, {64, 52533869713.688469} } },
    { 65536, { {1, 44269865522.56076}, {2, 51600609273.253273}, {4, 51850667249.506966}, {8, 52382967250.040733}, {16, 51975316400.982277}, {32, 52251148343.924049}, {64, 52527286611.676872} } },
  }, -- B/s by SMs, one row per page bytes
  sm_copy_threads_grid_h2d = {
    { 128, { {1, 4778396088.3450689}, {2, 9606390893.2552166}, {4, 19019889052.540577}, {8, 31299376148.606415}, {16, 31594083614.991589}, {32, 30764464541.502712}, {64, 31560323779.47744} } },
    { 256, { {1, 9453955369.6911144}, {2, 18248164208.314926}, {4, 30177453488.084637}, {8, 30010332011.018768}, {16, 30471672704.779022}, {32, 31466090982.833858}, {64, 30541343440.61253} } },
    { 512, { {1, 18432611761.369774}, {2, 31639843478.522278}, {4, 30760853668.337261}, {8, 31668510321.550697}, {16, 31875485517.068718}, {32, 32230654215.709919}, {64, 31972193726.084007} } },
    { 1024, { {1, 30725700410.195198}, {2, 30753637824.399799}, {4, 30895901270.824177}, {8, 31528535885.201283}, {16, 31505798389.362789}, {32, 31489715284.246628}, {64, 31521901461.576645} } },
  }, -- B/s by SMs, one row per threads per block, 64 KiB pages
  sm_copy_threads_grid_d2h = {
    { 128, { {1, 11962739265.883041}, {2, 23627218550.522671}, {4, 46669751185.940857}, {8, 51468905347.519775}, {16, 51503034550.566978}, {32, 51992064494.853302}, {64, 52007540509.328613} } },
    { 256, { {1, 22823163922.885715}, {2, 45259669560.673805}, {4, 51208752564.99173}, {8, 51608230055.410164}, {16, 52010120740.848137}, {32, 51868620621.785172}, {64, 52157579686.245842} } },
    { 512, { {1, 34901344002.31324}, {2, 51537204327.872406}, {4, 51881450706.794342}, {8, 52056594286.277351}, {16, 52420936140.62426}, {32, 51962435058.148361}, {64, 51529609222.671455} } },
    { 1024, { {1, 44524576304.374603}, {2, 51634913424.611923}, {4, 52011408549.93087}, {8, 52028184724.175461}, {16, 52296751778.415962}, {32, 51939274307.970993}, {64, 52543082944.185509} } },
  }, -- B/s by SMs, one row per threads per block, 64 KiB pages
  batch_h2d_curve = { {4096, 5.3149997256696226e-07}, {16384, 6.2524998793378471e-07}, {65536, 1.5878749545663595e-06}, {262144, 5.3882501088082791e-06}, {1048576, 2.0921250805258752e-05}, {4194304, 8.4281750023365017e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_d2h_curve = { {4096, 4.8474999493919318e-07}, {16384, 5.4774997988715774e-07}, {65536, 1.3455000007525086e-06}, {262144, 4.913249984383583e-06}, {1048576, 1.9198000431060791e-05}, {4194304, 7.6299875974655153e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_call = 3.0795499998959031e-05, -- s of host time per batched call
  batch_call_curve = { {64, 3.0795499998959031e-05} }, -- s of host time per batched call by entries
  attn_block_table_curve = { {1, 1.1721642391289}, {4, 1.0575353040014928}, {16, 1.0436042212668557}, {64, 1.0475209646143246}, {256, 1.0347481327064052} }, -- time over contiguous by tokens per block
  attn_offset_table_curve = { {1, 1.2250323501035012}, {4, 1.0908050532191693}, {16, 1.0400975978934133}, {64, 1.0378336826266534}, {256, 1.034367137108879} }, -- time over contiguous by tokens per block
  source = "kvsim-calibrate on NVIDIA H100 80GB HBM3, driver API 13000, 2026-12-06 04:14 UTC",
}
