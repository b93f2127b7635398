-- Platform measured by kvsim-calibrate (kernels/calibrate.cu).
-- device: NVIDIA H100 80GB HBM3, 132 SMs, 85017493504 bytes (84465090560 free), 1 GPU(s), driver API 13000, 2026-12-06 11:46 UTC
-- pcie H2D 55.46 GB/s, D2H 55.31 GB/s at 256 MiB (pcie_bw = the lower)
-- copy fixed cost 2.32 us (median of time - bytes/bw, 4..64 KiB, both directions); 1-byte copies back to back 2.31 us each; 1-byte copy + sync round trip 5.66 us (median)
-- duplex (256 MiB each way at once): 97.47 GB/s aggregate (host_bw: a lower bound of host DRAM bandwidth for DMA)
-- device-to-device copy 256 MiB: 2963.9 GB/s counting read + write
-- HBM read stream, GB/s: unrolled x4, 1 GiB, 4 blocks/SM: 3184.1; weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM: 3364.8; weight read, 256 MiB once x 16 launches, 4 blocks/SM: 3039.0; weight read, 1 GiB once, 4 blocks/SM: 3144.8; weight read, 1 GiB once, 8 blocks/SM: 3149.9; weight read, 1 GiB once, 16 blocks/SM: 3150.5; weight read, 2 GiB once, 4 blocks/SM: 3165.7
-- HBM read stream: 3364.8 GB/s, the best (weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM) (hbm_bw)
-- bf16 matrix product 8192x8192x8192 (cuBLAS, random data): 781 TFLOP/s
-- FP8 matrix product check 256x256x256 against the CPU: worst error 0.0037 (tolerance 1e-2)
-- FP8 matrix product 8192x8192x8192 (cuBLASLt, e4m3, unit scales): 1541 TFLOP/s, 1.972 x the bf16 rate (fp8_gemm_speedup)
-- kernel launch: 4.97 us each back to back; launch + sync round trip 10.32 us (median)
-- table write (4 KiB H2D from pinned memory between CUDA events on an idle stream, as the GPU backend does): median 4.70 us, p10 4.38, p90 5.41 (table_write); the same copies queued back to back 3.84 us; the former definition, 4 KiB H2D + kernel launch back to back, 8.41 us
-- table write right after a step (a read stream of a few ms on the same stream, then a host sync, then the event pair and the copy; 100 times): median 8.96 us, p10 7.87, p90 9.89
-- zero-copy dependent read of mapped host memory: 1.16 us each (pcie_lat = round trip)
-- host memcpy 256 MiB, one thread: 7.3 GB/s (one CPU core; not host_bw, which is the duplex DMA figure)
-- batch check: 768 entries (every size, both directions) equal their sources byte for byte
-- SM copy check: 559104 pages (every page size, both directions, 8 SMs) equal their sources byte for byte; threads per block: 1024, kv_transfer_launch's (the next table varies them)
-- SM copy with 1 SM, 64 KiB pages, mean of both directions: 40.32 GB/s (sm_copy_bw_per_sm)
-- SM copy both directions at once (kv_transfer_pair_launch, 8 SMs, 64 KiB pages, 64 MiB each way): 83.80 GB/s aggregate (sm_duplex_bw)
-- SM copy by threads check: 8192 pages (every block size, both directions, 8 SMs) equal their sources byte for byte
-- attention check: block-table and offset-table outputs equal the contiguous one at every block size (worst relative L2 0, tolerance 1e-05); contiguous vs float64 CPU reference on 4 requests 1.5e-07 (tolerance 1e-3)
-- vmm 2 MiB medians in isolation (us): reserve 0.52 create 8.34 map 0.57 set_access 20.71 unmap 14.70 release 9.78 addr_free 0.44
-- vmm 4 MiB medians in isolation (us): reserve 0.47 create 8.30 map 0.63 set_access 20.41 unmap 14.47 release 11.07 addr_free 0.43
-- vmm 8 MiB medians in isolation (us): reserve 0.47 create 8.26 map 0.63 set_access 20.47 unmap 14.54 release 12.99 addr_free 0.43
-- vmm 16 MiB medians in isolation (us): reserve 0.53 create 8.29 map 0.62 set_access 20.58 unmap 14.69 release 16.85 addr_free 0.44
-- vmm 64 MiB medians in isolation (us): reserve 2.25 create 8.97 map 0.62 set_access 35.44 unmap 22.30 release 27.56 addr_free 1.82
-- vmm 256 MiB medians in isolation (us): reserve 2.20 create 11.89 map 0.65 set_access 37.52 unmap 22.43 release 79.39 addr_free 1.88
-- vmm 1024 MiB medians in isolation (us): reserve 2.36 create 48.34 map 0.77 set_access 62.00 unmap 31.33 release 292.11 addr_free 2.19
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU idle, us median (p10/p90): reserve 0.54 (0.41/0.79) create 11.22 (8.35/12.92) map 0.99 (0.65/1.36) set_access 27.10 (21.96/29.82) unmap 21.03 (17.17/23.06) release 13.47 (10.40/15.33) addr_free 0.60 (0.39/0.85)
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU busy with a read stream, us median (p10/p90): reserve 0.43 (0.38/0.57) create 8.88 (8.48/9.35) map 0.71 (0.63/0.88) set_access 27.08 (23.13/30.04) unmap 26.96 (17.14/29.68) release 10.45 (10.01/10.98) addr_free 0.41 (0.38/0.54); 20 reads launched
-- vmm 2 MiB, 200 cycles among 128 live handles, each cycle right after a step, us median (p10/p90): reserve 0.79 (0.65/1.16) create 10.61 (9.29/207.39) map 1.06 (0.83/1.47) set_access 24.31 (23.30/30.41) unmap 19.36 (17.77/23.68) release 11.19 (10.51/16.46) addr_free 0.50 (0.44/0.80)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 16 live handles, GPU idle, us median (p10/p90): reserve 0.48 (0.40/0.61) create 8.01 (7.84/8.34) map 0.68 (0.60/0.87) set_access 20.09 (19.64/21.40) unmap 14.36 (13.98/15.35) release 9.84 (9.66/10.13) addr_free 0.42 (0.38/0.51)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 1024 live handles, GPU idle, us median (p10/p90): reserve 0.46 (0.38/0.63) create 8.42 (8.06/10.05) map 0.77 (0.65/1.04) set_access 22.30 (21.81/26.27) unmap 17.99 (16.75/20.51) release 11.02 (10.64/12.66) addr_free 0.42 (0.39/0.62)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 4096 live handles, GPU idle, us median (p10/p90): reserve 0.39 (0.35/0.52) create 8.08 (7.89/8.61) map 0.72 (0.62/0.92) set_access 22.08 (21.64/23.50) unmap 17.52 (16.42/19.25) release 10.73 (10.22/11.50) addr_free 0.43 (0.40/0.54)
-- vmm 64 MiB, 200 cycles among 32 live handles, GPU idle, us median (p10/p90): reserve 1.80 (1.66/2.02) create 9.30 (8.67/20.66) map 0.72 (0.64/0.89) set_access 20.79 (20.23/23.54) unmap 14.48 (14.03/15.34) release 25.07 (24.08/37.14) addr_free 1.97 (1.81/2.48)
-- vmm 64 MiB, 200 cycles among 32 live handles, each cycle right after a step, us median (p10/p90): reserve 2.79 (2.31/5.07) create 23.11 (22.16/54.04) map 1.14 (0.91/1.54) set_access 24.94 (23.16/32.16) unmap 18.23 (16.33/22.03) release 27.31 (26.33/39.59) addr_free 2.51 (2.14/3.82)
-- vmm growth, fresh range: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 10.84 (122.23/9.75/15.40; 10.89, 10.92) map 1.28 (3.02/0.97/2.84; 1.27, 1.20) set_access 26.66 (58.54/24.39/34.20; 26.28, 27.41) unmap 18.55 (71.17/17.52/21.21; 18.66, 18.17) release 10.93 (33.61/10.45/12.92; 10.97, 10.82)
-- vmm growth, same range again: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 10.78 (29.30/9.56/13.41; 10.43, 10.73) map 1.25 (4.93/1.00/1.62; 1.25, 1.25) set_access 26.16 (67.82/24.15/30.71; 25.38, 26.21) unmap 18.10 (66.54/17.20/19.88; 18.26, 17.94) release 10.72 (32.78/10.23/11.39; 10.79, 10.60)
-- vmm growth, new range, memory recycled: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 10.29 (28.03/9.47/12.39; 10.23, 10.33) map 1.20 (3.56/0.98/1.58; 1.25, 1.22) set_access 25.45 (62.46/23.97/29.28; 25.26, 25.75) unmap 18.26 (73.44/17.33/19.95; 18.52, 18.13) release 10.82 (33.20/10.34/11.42; 10.99, 10.80)
-- vmm growth, fresh range: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 11.41 (32.97/10.40/13.96; 12.39, 10.56) map 1.28 (4.52/1.03/1.75; 1.52, 1.22) set_access 27.68 (76.22/25.40/46.16; 28.48, 26.35) unmap 17.81 (62.34/15.11/24.96; 19.41, 15.46) release 27.55 (46.40/26.28/39.85; 28.38, 26.89)
-- vmm growth, same range again: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 10.74 (137.99/9.56/13.28; 11.21, 10.18) map 1.12 (1.40/0.92/1.44; 1.30, 1.17) set_access 26.40 (48.29/24.62/44.01; 26.83, 26.28) unmap 16.68 (47.63/15.38/26.59; 18.99, 15.70) release 26.77 (44.80/25.77/38.05; 27.37, 26.41)
-- vmm growth, new range, memory recycled: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 10.39 (140.24/9.65/27.27; 10.54, 10.52) map 1.10 (2.83/0.80/1.38; 1.17, 1.08) set_access 25.61 (44.38/23.58/43.45; 24.18, 25.79) unmap 17.56 (45.39/16.20/25.56; 18.75, 17.34) release 27.07 (42.39/25.79/42.39; 26.81, 26.40)
-- vmm after a gap, 2 MiB, nominal 0 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 0.69 @0.26 create 20.05 @0.24 map 0.71 @0.25 set_access 20.55 @0.23 unmap 15.03 @0.24 release 21.88 @0.23 addr_free 0.44 @0.25
-- vmm after a gap, 2 MiB, nominal 1 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 0.91 @2.28 create 9.79 @2.27 map 0.82 @2.28 set_access 22.46 @2.26 unmap 16.57 @2.27 release 9.91 @2.28 addr_free 0.54 @2.29
-- vmm after a gap, 2 MiB, nominal 2 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 1.13 @4.41 create 11.68 @4.40 map 0.88 @4.41 set_access 24.80 @4.39 unmap 18.63 @4.39 release 11.47 @4.39 addr_free 0.69 @4.41
-- vmm after a gap, 2 MiB, nominal 5 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 1.83 @10.42 create 17.22 @10.41 map 1.41 @10.43 set_access 33.18 @10.40 unmap 22.73 @10.41 release 12.67 @10.41 addr_free 1.03 @10.42
-- vmm after a gap, 2 MiB, nominal 10 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 3.99 @20.45 create 28.23 @20.43 map 2.79 @20.45 set_access 46.11 @20.41 unmap 36.69 @20.44 release 21.40 @20.46 addr_free 1.82 @20.48
-- vmm after a gap, 2 MiB, nominal 20 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 8.78 @40.59 create 74.45 @40.53 map 5.37 @40.65 set_access 86.32 @40.55 unmap 99.40 @40.53 release 43.07 @40.55 addr_free 3.95 @40.58
-- vmm after a gap, 2 MiB, nominal 50 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 9.55 @100.60 create 85.28 @100.53 map 6.84 @100.60 set_access 89.02 @100.52 unmap 104.40 @100.52 release 40.95 @100.57 addr_free 4.19 @100.61
-- vmm after a gap, 2 MiB, nominal 200 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 10.73 @400.59 create 88.78 @400.52 map 6.76 @400.60 set_access 92.62 @400.51 unmap 107.91 @400.53 release 42.33 @400.61 addr_free 3.78 @400.65
-- vmm after a gap, 2 MiB, nominal 500 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 11.38 @1000.69 create 94.50 @1000.59 map 7.76 @1000.67 set_access 91.39 @1000.58 unmap 116.76 @1000.56 release 41.54 @1000.64 addr_free 4.24 @1000.68
-- vmm after a gap, 64 MiB, nominal 0 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 3.72 @0.26 create 12.12 @0.25 map 1.43 @0.28 set_access 42.55 @0.22 unmap 24.68 @0.24 release 40.03 @0.23 addr_free 2.52 @0.26
-- vmm after a gap, 64 MiB, nominal 1 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 3.79 @2.30 create 24.74 @2.28 map 1.12 @2.30 set_access 40.96 @2.26 unmap 25.24 @2.28 release 27.71 @2.28 addr_free 2.85 @2.31
-- vmm after a gap, 64 MiB, nominal 2 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 6.01 @4.31 create 29.73 @4.29 map 1.23 @4.32 set_access 45.01 @4.28 unmap 28.97 @4.31 release 28.05 @4.30 addr_free 4.09 @4.33
-- vmm after a gap, 64 MiB, nominal 5 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 6.46 @10.38 create 27.69 @10.37 map 1.52 @10.40 set_access 45.72 @10.35 unmap 29.14 @10.36 release 29.06 @10.37 addr_free 4.74 @10.39
-- vmm after a gap, 64 MiB, nominal 10 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 7.06 @20.41 create 29.08 @20.39 map 1.49 @20.41 set_access 48.40 @20.37 unmap 32.92 @20.40 release 29.35 @20.40 addr_free 4.18 @20.42
-- vmm after a gap, 64 MiB, nominal 20 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 13.93 @40.45 create 37.80 @40.43 map 2.69 @40.46 set_access 60.59 @40.39 unmap 44.37 @40.43 release 34.99 @40.45 addr_free 8.80 @40.48
-- vmm after a gap, 64 MiB, nominal 50 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 26.34 @100.58 create 65.69 @100.55 map 5.34 @100.62 set_access 98.38 @100.53 unmap 86.38 @100.55 release 54.78 @100.60 addr_free 21.02 @100.65
-- vmm after a gap, 64 MiB, nominal 200 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 37.50 @400.74 create 99.76 @400.67 map 7.83 @400.76 set_access 113.62 @400.65 unmap 123.18 @400.66 release 59.23 @400.73 addr_free 22.84 @400.77
-- vmm after a gap, 64 MiB, nominal 500 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 39.52 @1000.74 create 105.62 @1000.67 map 8.95 @1000.78 set_access 115.93 @1000.66 unmap 124.92 @1000.63 release 60.46 @1000.70 addr_free 24.11 @1000.74
-- vmm after a gap of launches, 2 MiB, nominal 0 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.47 @0.20 create 15.81 @0.18 map 1.64 @0.20 set_access 31.95 @0.17 unmap 22.33 @0.18 release 14.87 @0.18 addr_free 1.19 @0.20
-- vmm after a gap of launches, 2 MiB, nominal 1 ms, 12 cycles, us median @ ms since the call's last (median): reserve 3.11 @2.35 create 24.65 @2.33 map 2.89 @2.36 set_access 47.80 @2.31 unmap 34.83 @2.36 release 21.87 @2.37 addr_free 1.95 @2.39
-- vmm after a gap of launches, 2 MiB, nominal 2 ms, 12 cycles, us median @ ms since the call's last (median): reserve 4.45 @4.44 create 32.43 @4.41 map 3.37 @4.44 set_access 53.30 @4.38 unmap 44.89 @4.41 release 23.60 @4.42 addr_free 2.15 @4.44
-- vmm after a gap of launches, 2 MiB, nominal 5 ms, 12 cycles, us median @ ms since the call's last (median): reserve 5.15 @10.43 create 40.20 @10.40 map 4.50 @10.43 set_access 62.19 @10.38 unmap 53.72 @10.41 release 28.60 @10.43 addr_free 2.64 @10.45
-- vmm after a gap of launches, 2 MiB, nominal 10 ms, 12 cycles, us median @ ms since the call's last (median): reserve 9.20 @20.63 create 73.27 @20.56 map 7.92 @20.63 set_access 94.25 @20.54 unmap 89.36 @20.56 release 46.52 @20.61 addr_free 3.30 @20.66
-- vmm after a gap of launches, 2 MiB, nominal 20 ms, 12 cycles, us median @ ms since the call's last (median): reserve 13.12 @40.69 create 102.89 @40.59 map 10.22 @40.67 set_access 121.68 @40.56 unmap 130.13 @40.58 release 54.28 @40.65 addr_free 4.92 @40.70
-- vmm after a gap of launches, 2 MiB, nominal 50 ms, 12 cycles, us median @ ms since the call's last (median): reserve 14.58 @100.71 create 106.70 @100.61 map 10.70 @100.71 set_access 118.90 @100.60 unmap 137.41 @100.62 release 54.31 @100.71 addr_free 5.31 @100.76
-- vmm after a gap of launches, 64 MiB, nominal 0 ms, 12 cycles, us median @ ms since the call's last (median): reserve 5.45 @0.31 create 15.39 @0.30 map 1.33 @0.32 set_access 50.52 @0.26 unmap 28.50 @0.28 release 70.71 @0.24 addr_free 3.96 @0.31
-- vmm after a gap of launches, 64 MiB, nominal 1 ms, 12 cycles, us median @ ms since the call's last (median): reserve 12.03 @2.50 create 51.98 @2.46 map 3.06 @2.52 set_access 68.65 @2.46 unmap 48.29 @2.52 release 56.91 @2.51 addr_free 9.58 @2.56
-- vmm after a gap of launches, 64 MiB, nominal 2 ms, 12 cycles, us median @ ms since the call's last (median): reserve 15.71 @4.51 create 56.23 @4.47 map 3.95 @4.52 set_access 75.63 @4.45 unmap 52.18 @4.49 release 58.24 @4.48 addr_free 11.00 @4.53
-- vmm after a gap of launches, 64 MiB, nominal 5 ms, 12 cycles, us median @ ms since the call's last (median): reserve 23.61 @10.58 create 68.44 @10.54 map 4.98 @10.61 set_access 91.63 @10.52 unmap 71.63 @10.58 release 65.51 @10.58 addr_free 15.23 @10.64
-- vmm after a gap of launches, 64 MiB, nominal 10 ms, 12 cycles, us median @ ms since the call's last (median): reserve 36.72 @20.75 create 101.30 @20.69 map 8.42 @20.79 set_access 123.24 @20.68 unmap 103.45 @20.67 release 79.54 @20.70 addr_free 23.67 @20.76
-- vmm after a gap of launches, 64 MiB, nominal 20 ms, 12 cycles, us median @ ms since the call's last (median): reserve 43.91 @40.81 create 121.34 @40.72 map 9.90 @40.84 set_access 137.32 @40.71 unmap 141.30 @40.70 release 86.03 @40.75 addr_free 27.65 @40.81
-- vmm after a gap of launches, 64 MiB, nominal 50 ms, 12 cycles, us median @ ms since the call's last (median): reserve 44.74 @100.74 create 124.62 @100.64 map 9.48 @100.69 set_access 133.29 @100.56 unmap 132.02 @100.66 release 59.06 @100.73 addr_free 24.12 @100.78
-- vmm after a gap of serving steps, 2 MiB, nominal 0 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 0.82 @0.20 create 9.66 @0.19 map 0.86 @0.20 set_access 21.45 @0.18 unmap 14.76 @0.19 release 9.12 @0.19 addr_free 0.51 @0.20
-- vmm after a gap of serving steps, 2 MiB, nominal 1 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 1.05 @3.07 create 10.35 @3.07 map 0.92 @3.07 set_access 22.76 @3.05 unmap 15.51 @3.06 release 9.50 @3.07 addr_free 0.54 @3.08
-- vmm after a gap of serving steps, 2 MiB, nominal 2 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 1.16 @4.52 create 10.80 @4.51 map 0.96 @4.52 set_access 23.49 @4.49 unmap 15.88 @4.50 release 9.72 @4.50 addr_free 0.57 @4.51
-- vmm after a gap of serving steps, 2 MiB, nominal 5 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 1.39 @10.27 create 11.83 @10.26 map 1.12 @10.27 set_access 25.93 @10.24 unmap 17.83 @10.25 release 10.40 @10.26 addr_free 0.63 @10.27
-- vmm after a gap of serving steps, 2 MiB, nominal 10 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 2.11 @20.33 create 17.19 @20.32 map 1.46 @20.34 set_access 32.23 @20.30 unmap 21.12 @20.32 release 12.19 @20.33 addr_free 1.04 @20.34
-- vmm after a gap of serving steps, 2 MiB, nominal 20 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 2.53 @40.45 create 19.56 @40.42 map 1.65 @40.44 set_access 37.14 @40.41 unmap 26.38 @40.42 release 13.40 @40.44 addr_free 1.20 @40.45
-- vmm after a gap of serving steps, 2 MiB, nominal 50 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 4.02 @100.76 create 31.32 @100.74 map 2.46 @100.77 set_access 49.12 @100.72 unmap 38.50 @100.73 release 19.75 @100.75 addr_free 1.58 @100.77
-- vmm after a gap of serving steps, 2 MiB, nominal 200 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 11.54 @400.98 create 85.48 @400.92 map 7.52 @401.01 set_access 95.63 @400.93 unmap 117.06 @400.97 release 44.33 @401.04 addr_free 4.35 @401.08
-- vmm after a gap of serving steps, 2 MiB, nominal 500 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 11.85 @1001.21 create 89.41 @1001.13 map 7.83 @1001.20 set_access 93.34 @1001.11 unmap 118.73 @1001.01 release 43.27 @1001.11 addr_free 3.93 @1001.15
-- vmm after a gap of serving steps, 64 MiB, nominal 0 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 2.79 @0.25 create 9.23 @0.24 map 0.72 @0.25 set_access 37.63 @0.21 unmap 22.23 @0.23 release 37.93 @0.21 addr_free 1.96 @0.25
-- vmm after a gap of serving steps, 64 MiB, nominal 1 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 3.35 @3.26 create 23.26 @3.24 map 0.99 @3.26 set_access 40.36 @3.22 unmap 24.17 @3.24 release 26.26 @3.24 addr_free 2.32 @3.26
-- vmm after a gap of serving steps, 64 MiB, nominal 2 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 3.54 @4.68 create 23.54 @4.66 map 0.93 @4.69 set_access 40.76 @4.64 unmap 24.25 @4.66 release 26.02 @4.66 addr_free 2.38 @4.68
-- vmm after a gap of serving steps, 64 MiB, nominal 5 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 3.94 @10.44 create 24.29 @10.42 map 1.03 @10.44 set_access 41.91 @10.40 unmap 25.73 @10.42 release 27.21 @10.42 addr_free 2.77 @10.44
-- vmm after a gap of serving steps, 64 MiB, nominal 10 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 9.44 @20.47 create 30.54 @20.45 map 1.87 @20.47 set_access 53.81 @20.43 unmap 34.00 @20.46 release 31.19 @20.46 addr_free 5.65 @20.49
-- vmm after a gap of serving steps, 64 MiB, nominal 20 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 19.93 @40.56 create 54.71 @40.52 map 3.61 @40.57 set_access 75.73 @40.50 unmap 56.65 @40.52 release 45.03 @40.53 addr_free 13.65 @40.56
-- vmm after a gap of serving steps, 64 MiB, nominal 50 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 27.82 @100.93 create 75.03 @100.89 map 5.67 @100.97 set_access 101.82 @100.87 unmap 91.57 @100.89 release 56.35 @100.91 addr_free 21.82 @100.95
-- vmm after a gap of serving steps, 64 MiB, nominal 200 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 35.40 @401.36 create 100.38 @401.30 map 7.25 @401.39 set_access 119.28 @401.28 unmap 144.48 @401.30 release 75.18 @401.38 addr_free 27.24 @401.42
-- vmm after a gap of serving steps, 64 MiB, nominal 500 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 37.82 @1001.42 create 103.24 @1001.34 map 8.24 @1001.46 set_access 121.32 @1001.34 unmap 135.75 @1001.40 release 61.43 @1001.44 addr_free 25.46 @1001.48
-- vmm growth on the launching thread, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 17.33 (65.56/14.04/29.51) map 2.12 (6.93/1.69/3.51) set_access 41.76 (101.44/36.45/54.61)
-- vmm growth on one thread kept for the series, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 14.04 (61.41/11.54/20.60) map 1.28 (5.58/0.93/5.16) set_access 33.52 (100.48/30.19/41.22)
-- vmm growth on a new thread per handle, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 40.46 (43.46/14.19/54.21) map 5.19 (5.83/1.63/7.42) set_access 60.25 (86.87/33.47/79.50)
-- vmm growth on the launching thread, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 18.44 (38.06/16.58/21.27) map 2.30 (5.98/1.84/2.89) set_access 39.73 (84.90/37.89/65.90)
-- vmm growth on one thread kept for the series, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 14.04 (131.23/12.63/25.09) map 1.67 (7.23/1.44/2.47) set_access 33.81 (119.73/31.47/60.07)
-- vmm growth on a new thread per handle, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 46.73 (93.75/15.04/85.78) map 5.56 (6.76/1.87/7.10) set_access 64.87 (112.61/35.39/98.93)
-- vmm reserve / free of 16 MiB ranges among live ranges, us median per window of calls (live: reserve free): 0: 0.43 0.46 32: 1.34 1.95 96: 2.15 1.89 160: 2.91 1.85 224: 3.37 1.81 288: 6.98 1.79 352: 4.61 1.86 416: 5.05 1.78 480: 5.79 1.88 544: 6.28 1.79 608: 7.08 1.70 672: 7.46 1.76 736: 8.13 1.68 800: 8.61 1.68 864: 8.48 1.68 928: 9.62 1.68 992: 10.27 2.83
-- vmm factors over isolation at the granularity (busy, after_step): reserve 0.391 0.713 create 1.065 1.272 map 1.248 1.862 set_access 1.308 1.174 unmap 1.835 1.317 release 1.069 1.144 free_va 0.624 0.767
return {
  name = "h100-fp8",
  gpus_per_server = 1, -- cudaGetDeviceCount
  servers = 1, -- one machine
  hbm_bytes = 85017493504, -- cudaMemGetInfo total
  hbm_bw = 3.365e+12, -- best read stream (kernels and launch shapes above)
  d2d_bw = 2.964e+12, -- cudaMemcpyAsync D2D 256 MiB, read+write
  flops = 7.815e+14, -- cuBLAS bf16 GEMM
  fp8_gemm_speedup = 1.972, -- cuBLASLt FP8 e4m3 GEMM over the bf16 one (0: no FP8 tensor cores)
  sms = 132, -- device property
  kernel_launch = 4.97e-06, -- empty kernels back to back
  pcie_bw = 5.531e+10, -- min(H2D, D2H) at 256 MiB, pinned
  pcie_lat = 1.164e-06, -- zero-copy dependent read round trip
  copy_overhead = 2.321e-06, -- fixed cost per cudaMemcpyAsync
  sm_copy_bw_per_sm = 4.032e+10, -- kv_transfer_launch on 1 SM
  sm_duplex_bw = 8.38e+10, -- kv_transfer_pair_launch both ways at once, 8 SMs, aggregate
  gpus_per_uplink = 0, -- not measured: own link assumed
  uplink_bw = 0, -- not measured (gpus_per_uplink = 0)
  host_bw = 9.747e+10, -- duplex DMA aggregate: lower bound of host DRAM bw for DMA
  nvlink_bw = 0, -- not measured (one GPU)
  nvlink_lat = 0, -- not measured (one GPU)
  nic_bw = 0, -- no inter-server tier
  nic_lat = 0, -- no inter-server tier
  vmm_reserve = 7.925e-07, -- cuMemAddressReserve, granularity range, cycles after a step, median
  vmm_create = 1.061e-05, -- cuMemCreate, cycles after a step, median
  vmm_map = 1.055e-06, -- cuMemMap, cycles after a step, median
  vmm_set_access = 2.431e-05, -- cuMemSetAccess, cycles after a step, median
  vmm_unmap = 1.936e-05, -- cuMemUnmap, cycles after a step, median
  vmm_release = 1.119e-05, -- cuMemRelease, cycles after a step, median
  vmm_granularity = 2097152, -- cuMemGetAllocationGranularity minimum
  vmm_reserve_per_mib = 1.797e-09, -- size slope: (largest - smallest handle median) / MiB, isolation
  vmm_create_per_mib = 3.914e-08, -- size slope, isolation
  vmm_map_per_mib = 2.025e-10, -- size slope, isolation
  vmm_set_access_per_mib = 4.041e-08, -- size slope, isolation
  vmm_unmap_per_mib = 1.627e-08, -- size slope, isolation
  vmm_release_per_mib = 2.763e-07, -- size slope, isolation
  table_write = 8.96e-06, -- 4 KiB H2D from pinned right after a step, events, median
  -- measured curves (every raw one in h100-fp8.curves.csv)
  vmm_reserve_curve = { {2097152, 1.1109999960012829e-06}, {4194304, 4.7250000179133167e-07}, {8388608, 4.7099999989086427e-07}, {16777216, 5.2549999907114398e-07}, {67108864, 2.4985000024457804e-06}, {268435456, 2.1955000022444437e-06}, {1073741824, 2.1454999981074252e-06}, {17179869184, 2.1895000017480015e-06}, {274877906944, 2.1339999989322678e-06}, {1099511627776, 2.0689999971068573e-06} }, -- s per call by range bytes, isolation
  vmm_create_curve = { {2097152, 8.3420000009937212e-06}, {4194304, 8.2984999991708719e-06}, {8388608, 8.2644999963576993e-06}, {16777216, 8.2890000001611952e-06}, {67108864, 8.9704999979289823e-06}, {268435456, 1.1888999999598582e-05}, {1073741824, 4.8338999999231191e-05} }, -- s per call by handle bytes, isolation
  vmm_map_curve = { {2097152, 5.6650000246349919e-07}, {4194304, 6.310000024711826e-07}, {8388608, 6.2550000023975372e-07}, {16777216, 6.2350000007427298e-07}, {67108864, 6.2499999842202669e-07}, {268435456, 6.4999999693782229e-07}, {1073741824, 7.7350000182718759e-07} }, -- s per call by handle bytes, isolation
  vmm_set_access_curve = { {2097152, 2.0706000000814129e-05}, {4194304, 2.0408499999291507e-05}, {8388608, 2.0465000002189981e-05}, {16777216, 2.0582000001212464e-05}, {67108864, 3.5441499999677717e-05}, {268435456, 3.751550000075099e-05}, {1073741824, 6.2002999996479957e-05} }, -- s per call by handle bytes, isolation
  vmm_unmap_curve = { {2097152, 1.4695499999106687e-05}, {4194304, 1.4473500002054607e-05}, {8388608, 1.4544999999088759e-05}, {16777216, 1.4688000000262491e-05}, {67108864, 2.2299000001169134e-05}, {268435456, 2.2425000000936279e-05}, {1073741824, 3.1326500000261603e-05} }, -- s per call by handle bytes, isolation
  vmm_release_curve = { {2097152, 9.7759999988511481e-06}, {4194304, 1.1071500001236245e-05}, {8388608, 1.2989999998325175e-05}, {16777216, 1.6846499999445541e-05}, {67108864, 2.7562000003200637e-05}, {268435456, 7.9389999996237748e-05}, {1073741824, 0.00029211300000042684} }, -- s per call by handle bytes, isolation
  vmm_free_va_curve = { {2097152, 6.5550000272196485e-07}, {4194304, 4.3099999658124943e-07}, {8388608, 4.334999985644572e-07}, {16777216, 4.4249999930912054e-07}, {67108864, 2.1785000043905711e-06}, {268435456, 1.8825000012157034e-06}, {1073741824, 2.1454999981074252e-06}, {17179869184, 2.1595000063712178e-06}, {274877906944, 2.9899999987037518e-06}, {1099511627776, 3.0954999985510767e-06} }, -- s per call by range bytes, isolation
  vmm_reserve_live = { {16, 0.43069307291628595}, {128, 0.48559856500809556}, {1024, 0.41179118429304795}, {4096, 0.34968496830976187} }, -- idle call among x live handles / isolated
  vmm_create_live = { {16, 0.95984176465399085}, {128, 1.3451210740631452}, {1024, 1.0097099016527085}, {4096, 0.96859266359020801} }, -- idle call among x live handles / isolated
  vmm_map_live = { {16, 1.2074139333165366}, {128, 1.7511032586976027}, {1024, 1.3592232946386478}, {4096, 1.2736098878951081} }, -- idle call among x live handles / isolated
  vmm_set_access_live = { {16, 0.97012943110034522}, {128, 1.3090167100372834}, {1024, 1.0770791075311732}, {4096, 1.0663334300048013} }, -- idle call among x live handles / isolated
  vmm_unmap_live = { {16, 0.97699976186144855}, {128, 1.4307441052247092}, {1024, 1.2239461058786474}, {4096, 1.1925079105689071} }, -- idle call among x live handles / isolated
  vmm_release_live = { {16, 1.006495499174755}, {128, 1.378017594358051}, {1024, 1.1276084293847781}, {4096, 1.0979950897775617} }, -- idle call among x live handles / isolated
  vmm_free_va_live = { {16, 0.64378336786719159}, {128, 0.91914568937842356}, {1024, 0.64073226160147723}, {4096, 0.64988558039862021} }, -- idle call among x live handles / isolated
  vmm_create_grow = { {2097152, 1.0844000001952736e-05}, {67108864, 1.1413499997559029e-05} }, -- s per call growing the pool, by handle bytes
  vmm_map_grow = { {2097152, 1.2824999977567586e-06}, {67108864, 1.2820000030444589e-06} }, -- s per call growing the pool, by handle bytes
  vmm_set_access_grow = { {2097152, 2.6660500004993537e-05}, {67108864, 2.7677500003875366e-05} }, -- s per call growing the pool, by handle bytes
  vmm_reserve_live_va = { {32, 2.5461465259463032}, {96, 4.0922930654138758}, {160, 5.5328258845783829}, {224, 6.4062797374980649}, {288, 13.281636573953572}, {352, 8.7821122792737185}, {416, 9.6070409309123956}, {480, 11.024738366806364}, {544, 11.94957185574698}, {608, 13.467174155985427}, {672, 14.197906772195672}, {736, 15.469077098957442}, {800, 16.392007658447312}, {864, 16.142721223188168}, {928, 18.313986712647999}, {992, 19.542340667044812} }, -- among x live ranges / none
  vmm_free_va_live_va = { {32, 4.3966101828546007}, {96, 4.273446326649406}, {160, 4.1728813745207578}, {224, 4.0813559390618313}, {288, 4.0395480379759316}, {352, 4.2124293964392274}, {416, 4.0338982999136981}, {480, 4.2587570719174508}, {544, 4.0440678123682563}, {608, 3.8497175295557877}, {672, 3.9864406768230283}, {736, 3.8011299427952077}, {800, 3.7966101684028839}, {864, 3.8022598904076546}, {928, 3.8022599064651175}, {992, 6.4045197679693384} }, -- among x live ranges / none
  vmm_reserve_gap = {
    { 2097152, { {0.00025999999999999998, 6.8700000355192969e-07}, {0.0022799999999999999, 9.0799999696855593e-07}, {0.0044099999999999999, 1.1290000045960369e-06}, {0.01042, 1.8280000020354237e-06}, {0.020449999999999999, 3.9880000031189411e-06}, {0.040590000000000001, 8.7780000015413862e-06}, {0.10059999999999999, 9.549999994362679e-06}, {0.40059, 1.0727000002930254e-05}, {1.0006900000000001, 1.1379000000033557e-05} } },
    { 67108864, { {0.00025999999999999998, 3.7165000001948556e-06}, {0.0023, 3.7940000012781638e-06}, {0.0043099999999999996, 6.0050000030287265e-06}, {0.01038, 6.4640000019267063e-06}, {0.020410000000000001, 7.0620000016674567e-06}, {0.04045, 1.3928000001328655e-05}, {0.10058, 2.6341999998180654e-05}, {0.40073999999999999, 3.7498000004632104e-05}, {1.00074, 3.952300001230924e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_create_gap = {
    { 2097152, { {0.00024000000000000001, 2.0050000003379864e-05}, {0.0022699999999999999, 9.7890000034794866e-06}, {0.0044000000000000003, 1.1675000003208424e-05}, {0.010410000000000001, 1.7221000000233744e-05}, {0.02043, 2.8225000001214084e-05}, {0.040529999999999997, 7.444599999928414e-05}, {0.10052999999999999, 8.5279999993304045e-05}, {0.40051999999999999, 8.877999999867825e-05}, {1.0005900000000001, 9.4502999999690473e-05} } },
    { 67108864, { {0.00025000000000000001, 1.2122500002931247e-05}, {0.0022799999999999999, 2.4741000004269154e-05}, {0.0042900000000000004, 2.9730999997923391e-05}, {0.010370000000000001, 2.7689999996027836e-05}, {0.020389999999999998, 2.9075000000489126e-05}, {0.040430000000000001, 3.779900000466796e-05}, {0.10055, 6.5694999996424031e-05}, {0.40067000000000003, 9.9760000004778249e-05}, {1.0006699999999999, 0.00010562299999605784} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_map_gap = {
    { 2097152, { {0.00025000000000000001, 7.0950000008451752e-07}, {0.0022799999999999999, 8.2199999695831139e-07}, {0.0044099999999999999, 8.7899999812179885e-07}, {0.01043, 1.4089999993416313e-06}, {0.020449999999999999, 2.7889999998365056e-06}, {0.040649999999999999, 5.3669999999783613e-06}, {0.10059999999999999, 6.8410000011454031e-06}, {0.40060000000000001, 6.7570000013006393e-06}, {1.0006699999999999, 7.7600000025768168e-06} } },
    { 67108864, { {0.00027999999999999998, 1.4335000031451273e-06}, {0.0023, 1.1180000001331791e-06}, {0.0043200000000000001, 1.2279999950237652e-06}, {0.0104, 1.5200000049730988e-06}, {0.020410000000000001, 1.4860000021599262e-06}, {0.040460000000000003, 2.6880000021378692e-06}, {0.10062, 5.3350000044360968e-06}, {0.40076000000000001, 7.8279999939923073e-06}, {1.00078, 8.9480000013963945e-06} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_set_access_gap = {
    { 2097152, { {0.00023000000000000001, 2.0548999998482032e-05}, {0.0022599999999999999, 2.2463999997057726e-05}, {0.0043899999999999998, 2.4802000005763603e-05}, {0.0104, 3.3184999999491538e-05}, {0.020410000000000001, 4.6113999999874977e-05}, {0.040550000000000003, 8.6315000004333342e-05}, {0.10052, 8.9023000001020591e-05}, {0.40050999999999998, 9.2619999996657043e-05}, {1.00058, 9.1388000001302316e-05} } },
    { 67108864, { {0.00022000000000000001, 4.2554499998459505e-05}, {0.0022599999999999999, 4.0961999999922227e-05}, {0.00428, 4.5008999997264709e-05}, {0.01035, 4.5724999999663396e-05}, {0.020369999999999999, 4.83990000006429e-05}, {0.040390000000000002, 6.0591000000442818e-05}, {0.10052999999999999, 9.8382000004448855e-05}, {0.40065000000000001, 0.00011361800000031508}, {1.0006600000000001, 0.0001159300000068697} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_unmap_gap = {
    { 2097152, { {0.00024000000000000001, 1.5034999996998977e-05}, {0.0022699999999999999, 1.6573000003461402e-05}, {0.0043899999999999998, 1.8633999999906337e-05}, {0.010410000000000001, 2.2733999998081345e-05}, {0.02044, 3.6686999997925795e-05}, {0.040529999999999997, 9.9399999996307997e-05}, {0.10052, 0.0001043959999975641}, {0.40053, 0.00010790900000046122}, {1.0005599999999999, 0.00011675500000052352} } },
    { 67108864, { {0.00024000000000000001, 2.4684500004923393e-05}, {0.0022799999999999999, 2.5239999999371321e-05}, {0.0043099999999999996, 2.8968999998824074e-05}, {0.010359999999999999, 2.9136000001983575e-05}, {0.020400000000000001, 3.2919000005904309e-05}, {0.040430000000000001, 4.4369999997684317e-05}, {0.10055, 8.6383999999384287e-05}, {0.40066000000000002, 0.0001231809999993061}, {1.0006299999999999, 0.00012491799999736486} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_release_gap = {
    { 2097152, { {0.00023000000000000001, 2.1876499999962107e-05}, {0.0022799999999999999, 9.906000002501969e-06}, {0.0043899999999999998, 1.1468000003844736e-05}, {0.010410000000000001, 1.2667999996551771e-05}, {0.020459999999999999, 2.1404000001723489e-05}, {0.040550000000000003, 4.3071999996868726e-05}, {0.10057000000000001, 4.0946000005703809e-05}, {0.40061000000000002, 4.2330999995954244e-05}, {1.00064, 4.153999999800817e-05} } },
    { 67108864, { {0.00023000000000000001, 4.0025999997084227e-05}, {0.0022799999999999999, 2.7705000000821656e-05}, {0.0043, 2.804799999722718e-05}, {0.010370000000000001, 2.9062000002966215e-05}, {0.020400000000000001, 2.9345000001512744e-05}, {0.04045, 3.49919999962367e-05}, {0.10059999999999999, 5.4777999999089388e-05}, {0.40072999999999998, 5.9231999998132778e-05}, {1.0006999999999999, 6.045500001050641e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_free_va_gap = {
    { 2097152, { {0.00025000000000000001, 4.3900000079588608e-07}, {0.0022899999999999999, 5.4299999874274363e-07}, {0.0044099999999999999, 6.9399999347297125e-07}, {0.01042, 1.0299999999574538e-06}, {0.020480000000000002, 1.8159999939371119e-06}, {0.040579999999999998, 3.9540000003057685e-06}, {0.10061, 4.1890000019861873e-06}, {0.40065000000000001, 3.7810000037552527e-06}, {1.00068, 4.2380000024877518e-06} } },
    { 67108864, { {0.00025999999999999998, 2.5209999989783682e-06}, {0.00231, 2.8549999981919427e-06}, {0.0043299999999999996, 4.0910000009830583e-06}, {0.01039, 4.744999998251842e-06}, {0.020420000000000001, 4.1770000009933028e-06}, {0.040480000000000002, 8.7979999960907662e-06}, {0.10065, 2.1021999998538377e-05}, {0.40077000000000002, 2.2844999996607385e-05}, {1.00074, 2.4109000008820658e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_reserve_busy = 0.80537533939034023, -- busy / idle among the same live handles at the granularity
  vmm_create_busy = 0.79141787689695065, -- busy / idle among the same live handles at the granularity
  vmm_map_busy = 0.71270161072624716, -- busy / idle among the same live handles at the granularity
  vmm_set_access_busy = 0.99894851406287921, -- busy / idle among the same live handles at the granularity
  vmm_unmap_busy = 1.2823951869684636, -- busy / idle among the same live handles at the granularity
  vmm_release_busy = 0.77574880268505375, -- busy / idle among the same live handles at the granularity
  vmm_free_va_busy = 0.67883816934614383, -- busy / idle among the same live handles at the granularity
  vmm_reserve_after_step = 1.4689527234302771, -- after_step / idle among the same live handles at the granularity
  vmm_create_after_step = 0.94568220311449258, -- after_step / idle among the same live handles at the granularity
  vmm_map_after_step = 1.0635080661660117, -- after_step / idle among the same live handles at the granularity
  vmm_set_access_after_step = 0.89704661580808109, -- after_step / idle among the same live handles at the granularity
  vmm_unmap_after_step = 0.92078666392212083, -- after_step / idle among the same live handles at the granularity
  vmm_release_after_step = 0.8303455443798512, -- after_step / idle among the same live handles at the granularity
  vmm_free_va_after_step = 0.83485476748288034, -- after_step / idle among the same live handles at the granularity
  copy_h2d_curve = { {4096, 2.6461440138518812e-06}, {16384, 2.9703041072934867e-06}, {65536, 3.9630718529224394e-06}, {262144, 7.3927361518144611e-06}, {1048576, 2.1735874935984612e-05}, {4194304, 7.8479126095771796e-05}, {16777216, 0.0003052400052547455}, {67108864, 0.0012122299671173096}, {268435456, 0.0048403282165527346} }, -- s per cudaMemcpyAsync by bytes, back to back
  copy_d2h_curve = { {4096, 2.0304480567574502e-06}, {16384, 1.9980319775640964e-06}, {65536, 3.2535679638385774e-06}, {262144, 6.3209598883986471e-06}, {1048576, 2.0472062751650809e-05}, {4194304, 7.7117003500461586e-05}, {16777216, 0.00030427598953247073}, {67108864, 0.0012140339612960816}, {268435456, 0.0048529839515686034} }, -- s per cudaMemcpyAsync by bytes, back to back
  sm_copy_h2d_curve = { {1, 36167146481.055016}, {2, 51278870582.332176}, {4, 50952452376.836571}, {8, 50989617429.865112}, {16, 51070327227.631889}, {32, 51098947742.03466}, {64, 51160032212.902817} }, -- B/s by SMs, 65536-byte pages
  sm_copy_d2h_curve = { {1, 44475473658.209488}, {2, 51711305245.196945}, {4, 52291534541.054276}, {8, 52601069459.048668}, {16, 52639355298.641937}, {32, 52333291880.192024}, {64, 52359425317.829224} }, -- B/s by SMs, 65536-byte pages
  sm_copy_page_h2d_curve = { {256, 0.62370530307138861}, {4096, 0.99755032575282376}, {65536, 1} }, -- rate by page bytes over the 65536-byte page's, at 8 SMs
  sm_copy_page_d2h_curve = { {256, 0.99314963809172419}, {4096, 0.99679973563357471}, {65536, 1} }, -- rate by page bytes over the 65536-byte page's, at 8 SMs
  sm_copy_grid_h2d = {
    { 256, { {1, 4260495095.5397811}, {2, 8519951799.4422998}, {4, 16796162371.846626}, {8, 31802494792.588177}, {16, 50605727407.506172}, {32, 50204729850.579231}, {64, 50286592368.810181} } },
    { 4096, { {1, 31082273502.237461}, {2, 51101438603.544212}, {4, 50808023491.577118}, {8, 50864709477.173805}, {16, 50914107357.580856}, {32, 50917814454.845772}, {64, 51121369598.888779} } },
    { 65536, { {1, 36167146481.055016}, {2, 51278870582.332176}, {4, 50952452376.836571}, {8, 50989617429.865112}, {16, 51070327227.631889}, {32, 51098947742.03466}, {64, 51160032212.902817} } },
  }, -- B/s by SMs, one row per page bytes
  sm_copy_grid_d2h = {
    { 256, { {1, 7541731499.4567327}, {2, 15045966531.944168}, {4, 30025800665.219257}, {8, 52240733096.491829}, {16, 51438604661.949982}, {32, 51629827398.094208}, {64, 52164065606.296417} } },
    { 4096, { {1, 43599835143.995796}, {2, 51970163097.544945}, {4, 52360730483.296417}, {8, 52432732130.823013}, {16, 52473404517.207069}, {32, 52282409307.849571}, {64, 52294143029.607895} } },
    { 65536, { {1, 44475473658.209488}, {2, 51711305245.196945}, {4, 52291534541.054276}, {8, 52601069459.048668}, {16, 52639355298.641937}, {32, 52333291880.192024}, {64, 52359425317.829224} } },
  }, -- B/s by SMs, one row per page bytes
  sm_copy_threads_grid_h2d = {
    { 128, { {1, 4830555755.003459}, {2, 9668884491.8209763}, {4, 18748844443.004974}, {8, 35622835762.818649}, {16, 51142565937.196068}, {32, 50923995685.577248}, {64, 51044224043.070282} } },
    { 256, { {1, 9650641658.8022423}, {2, 18749515097.809296}, {4, 35646450340.891533}, {8, 51166272395.760765}, {16, 50921522091.983475}, {32, 50932652851.922272}, {64, 51047954742.038643} } },
    { 512, { {1, 18878633979.602688}, {2, 36499503965.982292}, {4, 51247542850.697441}, {8, 50932652851.922272}, {16, 50975982873.201317}, {32, 51061623200.229515}, {64, 50856075390.518768} } },
    { 1024, { {1, 34933902557.600731}, {2, 51206251231.04332}, {4, 50573998846.425095}, {8, 50972267301.445099}, {16, 50889396429.860359}, {32, 51056654109.783195}, {64, 51108912645.315834} } },
  }, -- B/s by SMs, one row per threads per block, 64 KiB pages
  sm_copy_threads_grid_d2h = {
    { 128, { {1, 11978592403.912338}, {2, 23659473074.820255}, {4, 46852216837.130295}, {8, 51965010815.896614}, {16, 51850667249.506966}, {32, 52117400058.668488}, {64, 52216020781.9049} } },
    { 256, { {1, 22861977623.213135}, {2, 45237215025.113869}, {4, 51966301189.055168}, {8, 52034638501.005936}, {16, 52197826154.039558}, {32, 52348966864.185692}, {64, 52422249256.088409} } },
    { 512, { {1, 34950203540.721443}, {2, 51721510437.401855}, {4, 51931555451.578751}, {8, 52286318344.554558}, {16, 52427487728.158958}, {32, 52369883079.313286}, {64, 52384273589.447769} } },
    { 1024, { {1, 44515123038.427399}, {2, 52086331231.835777}, {4, 52222521245.584648}, {8, 52549665101.111748}, {16, 52485219241.88868}, {32, 52497044183.622818}, {64, 52405218033.58812} } },
  }, -- B/s by SMs, one row per threads per block, 64 KiB pages
  batch_h2d_curve = { {4096, 7.7599997166544196e-07}, {16384, 8.1112497719004754e-07}, {65536, 1.4166249893605709e-06}, {262144, 4.9712499603629112e-06}, {1048576, 1.9158000126481055e-05}, {4194304, 7.590675354003907e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_d2h_curve = { {4096, 6.9374998565763233e-07}, {16384, 7.0400000549852852e-07}, {65536, 1.3987499987706542e-06}, {262144, 4.9693752080202103e-06}, {1048576, 1.9181499257683753e-05}, {4194304, 7.6080501079559332e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_call = 4.3121500002740731e-05, -- s of host time per batched call
  batch_call_curve = { {64, 4.3121500002740731e-05} }, -- s of host time per batched call by entries
  attn_block_table_curve = { {1, 1.1549425789649108}, {4, 1.0393925697442852}, {16, 1.0306507692735272}, {64, 1.0329992288404966}, {256, 1.0263056054906001} }, -- time over contiguous by tokens per block
  attn_offset_table_curve = { {1, 1.2069496512473543}, {4, 1.0688406214604025}, {16, 1.0254139535217315}, {64, 1.028218930312478}, {256, 1.0243770428809629} }, -- time over contiguous by tokens per block
  source = "kvsim-calibrate on NVIDIA H100 80GB HBM3, driver API 13000, 2026-12-06 11:46 UTC",
}
