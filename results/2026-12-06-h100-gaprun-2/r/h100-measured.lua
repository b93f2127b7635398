-- Platform measured by kvsim-calibrate (kernels/calibrate.cu).
-- device: NVIDIA H100 80GB HBM3, 132 SMs, 85017493504 bytes (84465090560 free), 1 GPU(s), driver API 13000, 2026-12-06 04:25 UTC
-- pcie H2D 55.46 GB/s, D2H 55.27 GB/s at 256 MiB (pcie_bw = the lower)
-- copy fixed cost 2.30 us (median of time - bytes/bw, 4..64 KiB, both directions); 1-byte copies back to back 2.35 us each; 1-byte copy + sync round trip 6.41 us (median)
-- duplex (256 MiB each way at once): 100.32 GB/s aggregate (host_bw: a lower bound of host DRAM bandwidth for DMA)
-- device-to-device copy 256 MiB: 2966.8 GB/s counting read + write
-- HBM read stream, GB/s: unrolled x4, 1 GiB, 4 blocks/SM: 3171.7; weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM: 3346.2; weight read, 256 MiB once x 16 launches, 4 blocks/SM: 3031.6; weight read, 1 GiB once, 4 blocks/SM: 3136.2; weight read, 1 GiB once, 8 blocks/SM: 3141.5; weight read, 1 GiB once, 16 blocks/SM: 3143.3; weight read, 2 GiB once, 4 blocks/SM: 3155.1
-- HBM read stream: 3346.2 GB/s, the best (weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM) (hbm_bw)
-- bf16 matrix product 8192x8192x8192 (cuBLAS, random data): 784 TFLOP/s
-- kernel launch: 4.20 us each back to back; launch + sync round trip 9.72 us (median)
-- table write (4 KiB H2D from pinned memory between CUDA events on an idle stream, as the GPU backend does): median 4.93 us, p10 4.61, p90 5.09 (table_write); the same copies queued back to back 4.02 us; the former definition, 4 KiB H2D + kernel launch back to back, 7.38 us
-- table write right after a step (a read stream of a few ms on the same stream, then a host sync, then the event pair and the copy; 100 times): median 7.78 us, p10 6.85, p90 9.15
-- zero-copy dependent read of mapped host memory: 1.19 us each (pcie_lat = round trip)
-- host memcpy 256 MiB, one thread: 9.2 GB/s (one CPU core; not host_bw, which is the duplex DMA figure)
-- batch check: 768 entries (every size, both directions) equal their sources byte for byte
-- SM copy check: 559104 pages (every page size, both directions, 8 SMs) equal their sources byte for byte; threads per block: 1024, kv_transfer_launch's (the next table varies them)
-- SM copy with 1 SM, 64 KiB pages, mean of both directions: 39.83 GB/s (sm_copy_bw_per_sm)
-- SM copy both directions at once (kv_transfer_pair_launch, 8 SMs, 64 KiB pages, 64 MiB each way): 83.79 GB/s aggregate (sm_duplex_bw)
-- SM copy by threads check: 8192 pages (every block size, both directions, 8 SMs) equal their sources byte for byte
-- attention check: block-table and offset-table outputs equal the contiguous one at every block size (worst relative L2 0, tolerance 1e-05); contiguous vs float64 CPU reference on 4 requests 1.5e-07 (tolerance 1e-3)
-- vmm 2 MiB medians in isolation (us): reserve 0.46 create 8.32 map 0.57 set_access 20.61 unmap 14.71 release 9.81 addr_free 0.41
-- vmm 4 MiB medians in isolation (us): reserve 0.43 create 8.30 map 0.58 set_access 20.51 unmap 14.53 release 11.10 addr_free 0.41
-- vmm 8 MiB medians in isolation (us): reserve 0.45 create 8.30 map 0.58 set_access 20.62 unmap 14.64 release 12.99 addr_free 0.42
-- vmm 16 MiB medians in isolation (us): reserve 0.47 create 8.30 map 0.58 set_access 20.76 unmap 14.80 release 16.72 addr_free 0.44
-- vmm 64 MiB medians in isolation (us): reserve 2.15 create 8.92 map 0.61 set_access 35.49 unmap 22.55 release 37.83 addr_free 1.76
-- vmm 256 MiB medians in isolation (us): reserve 2.05 create 11.66 map 0.66 set_access 37.82 unmap 22.72 release 77.99 addr_free 1.76
-- vmm 1024 MiB medians in isolation (us): reserve 2.20 create 26.88 map 0.75 set_access 62.75 unmap 31.69 release 287.15 addr_free 1.98
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU idle, us median (p10/p90): reserve 0.43 (0.38/0.56) create 8.79 (8.59/9.28) map 0.75 (0.66/0.93) set_access 22.95 (22.27/24.65) unmap 17.36 (16.54/18.97) release 10.68 (10.27/11.37) addr_free 0.42 (0.39/0.53)
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU busy with a read stream, us median (p10/p90): reserve 0.45 (0.40/0.57) create 9.14 (8.73/9.68) map 0.73 (0.66/0.90) set_access 27.31 (22.58/30.61) unmap 27.73 (16.74/30.90) release 10.65 (10.28/11.20) addr_free 0.42 (0.40/0.54); 20 reads launched
-- vmm 2 MiB, 200 cycles among 128 live handles, each cycle right after a step, us median (p10/p90): reserve 0.74 (0.53/1.35) create 10.82 (9.89/218.63) map 1.08 (0.89/1.54) set_access 25.15 (24.30/32.53) unmap 19.59 (18.29/24.81) release 11.81 (11.27/19.92) addr_free 0.55 (0.48/0.84)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 16 live handles, GPU idle, us median (p10/p90): reserve 0.51 (0.45/0.69) create 9.01 (8.62/9.95) map 0.81 (0.72/1.00) set_access 21.84 (21.07/22.94) unmap 15.30 (14.73/16.52) release 10.94 (10.56/11.33) addr_free 0.48 (0.43/0.59)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 1024 live handles, GPU idle, us median (p10/p90): reserve 0.44 (0.40/0.62) create 8.95 (8.71/9.58) map 0.81 (0.70/0.98) set_access 23.37 (22.94/24.59) unmap 18.17 (17.23/19.82) release 11.56 (11.16/12.23) addr_free 0.45 (0.43/0.53)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 4096 live handles, GPU idle, us median (p10/p90): reserve 0.44 (0.41/0.61) create 9.02 (8.79/9.61) map 0.83 (0.72/1.04) set_access 23.90 (23.40/25.14) unmap 18.44 (17.38/20.02) release 11.68 (11.23/12.39) addr_free 0.48 (0.46/0.58)
-- vmm 64 MiB, 200 cycles among 32 live handles, GPU idle, us median (p10/p90): reserve 2.08 (1.92/2.56) create 10.53 (9.59/23.88) map 0.86 (0.74/1.11) set_access 23.09 (22.32/27.19) unmap 15.96 (15.31/18.07) release 28.41 (27.50/42.44) addr_free 2.45 (2.20/3.08)
-- vmm 64 MiB, 200 cycles among 32 live handles, each cycle right after a step, us median (p10/p90): reserve 5.96 (3.34/10.72) create 39.59 (25.19/58.65) map 2.08 (1.25/3.48) set_access 38.93 (27.78/53.34) unmap 28.03 (20.77/38.05) release 49.98 (29.56/58.65) addr_free 5.65 (3.05/10.37)
-- vmm growth, fresh range: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 11.23 (112.14/10.12/14.62; 12.97, 11.24) map 1.34 (2.93/1.02/2.84; 1.51, 1.19) set_access 27.42 (59.55/25.36/33.04; 29.43, 27.69) unmap 18.75 (75.58/17.92/20.73; 19.09, 18.60) release 11.47 (35.47/10.92/12.09; 11.62, 11.49)
-- vmm growth, same range again: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 11.20 (39.62/10.19/13.50; 11.71, 10.77) map 1.34 (4.70/1.06/1.70; 1.38, 1.29) set_access 26.91 (77.00/25.26/30.63; 27.56, 26.16) unmap 18.63 (79.67/17.72/20.16; 19.23, 18.27) release 11.32 (36.86/10.85/12.02; 11.69, 11.09)
-- vmm growth, new range, memory recycled: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 10.94 (34.32/10.03/13.55; 10.77, 11.08) map 1.32 (4.70/1.02/1.71; 1.27, 1.36) set_access 26.45 (73.43/24.93/30.65; 26.08, 26.89) unmap 18.74 (73.07/17.83/20.83; 19.16, 18.43) release 11.44 (36.36/10.99/12.05; 11.72, 11.39)
-- vmm growth, fresh range: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 11.50 (40.73/10.37/13.54; 11.56, 11.15) map 1.29 (4.94/1.00/1.75; 1.49, 1.28) set_access 27.00 (84.76/25.47/45.03; 28.11, 26.40) unmap 18.60 (60.50/16.15/25.58; 21.16, 16.22) release 29.16 (48.81/27.23/42.57; 36.69, 27.73)
-- vmm growth, same range again: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 11.08 (154.91/10.04/19.51; 10.74, 11.04) map 1.19 (2.63/0.89/1.46; 1.27, 1.25) set_access 26.67 (56.20/24.89/45.37; 26.26, 27.04) unmap 17.50 (49.65/16.09/24.66; 18.52, 16.13) release 28.84 (46.13/27.72/41.81; 28.69, 28.49)
-- vmm growth, new range, memory recycled: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 11.26 (145.75/10.24/20.42; 12.15, 11.40) map 1.15 (2.65/0.90/1.67; 1.34, 1.30) set_access 26.72 (45.38/24.91/44.91; 25.79, 27.34) unmap 17.59 (53.54/15.87/28.17; 18.77, 16.12) release 28.32 (46.95/27.45/41.15; 28.83, 27.85)
-- vmm after a gap, 2 MiB, nominal 0 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 0.87 @0.26 create 22.69 @0.24 map 0.84 @0.26 set_access 22.66 @0.24 unmap 15.94 @0.25 release 23.84 @0.24 addr_free 0.52 @0.27
-- vmm after a gap, 2 MiB, nominal 1 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 1.12 @2.36 create 11.77 @2.35 map 0.94 @2.36 set_access 25.40 @2.33 unmap 17.49 @2.35 release 10.90 @2.36 addr_free 0.63 @2.37
-- vmm after a gap, 2 MiB, nominal 2 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 1.28 @4.39 create 13.35 @4.38 map 1.06 @4.39 set_access 28.04 @4.35 unmap 20.10 @4.37 release 11.03 @4.38 addr_free 0.65 @4.39
-- vmm after a gap, 2 MiB, nominal 5 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 1.28 @10.42 create 14.37 @10.41 map 1.05 @10.42 set_access 28.56 @10.39 unmap 18.54 @10.38 release 10.97 @10.38 addr_free 0.65 @10.39
-- vmm after a gap, 2 MiB, nominal 10 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 2.12 @20.37 create 17.90 @20.36 map 1.89 @20.37 set_access 34.20 @20.32 unmap 26.54 @20.35 release 13.89 @20.35 addr_free 0.95 @20.37
-- vmm after a gap, 2 MiB, nominal 20 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 1.89 @40.40 create 19.26 @40.39 map 1.64 @40.41 set_access 34.51 @40.39 unmap 30.37 @40.38 release 16.41 @40.40 addr_free 0.86 @40.41
-- vmm after a gap, 2 MiB, nominal 50 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 10.13 @100.56 create 86.84 @100.48 map 6.63 @100.56 set_access 95.18 @100.49 unmap 94.05 @100.45 release 43.17 @100.53 addr_free 4.09 @100.57
-- vmm after a gap, 2 MiB, nominal 200 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 13.24 @400.71 create 112.01 @400.62 map 9.75 @400.71 set_access 109.39 @400.62 unmap 124.10 @400.64 release 46.16 @400.74 addr_free 4.79 @400.80
-- vmm after a gap, 2 MiB, nominal 500 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 13.09 @1000.73 create 113.57 @1000.65 map 9.60 @1000.73 set_access 116.02 @1000.62 unmap 150.03 @1000.60 release 55.67 @1000.70 addr_free 5.04 @1000.74
-- vmm after a gap, 64 MiB, nominal 0 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 5.78 @0.32 create 16.64 @0.31 map 1.56 @0.32 set_access 53.64 @0.27 unmap 31.35 @0.30 release 63.01 @0.26 addr_free 4.66 @0.32
-- vmm after a gap, 64 MiB, nominal 1 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 15.47 @2.51 create 59.29 @2.45 map 4.09 @2.51 set_access 81.37 @2.43 unmap 61.48 @2.46 release 61.16 @2.46 addr_free 11.89 @2.51
-- vmm after a gap, 64 MiB, nominal 2 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 19.63 @4.62 create 65.40 @4.58 map 4.79 @4.64 set_access 86.36 @4.55 unmap 69.78 @4.58 release 64.07 @4.59 addr_free 13.60 @4.64
-- vmm after a gap, 64 MiB, nominal 5 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 28.39 @10.56 create 83.84 @10.49 map 7.41 @10.57 set_access 108.25 @10.46 unmap 88.70 @10.51 release 74.46 @10.53 addr_free 17.89 @10.59
-- vmm after a gap, 64 MiB, nominal 10 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 40.30 @20.70 create 114.71 @20.62 map 9.37 @20.74 set_access 136.38 @20.61 unmap 123.85 @20.62 release 83.23 @20.65 addr_free 25.46 @20.71
-- vmm after a gap, 64 MiB, nominal 20 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 48.76 @40.85 create 132.77 @40.76 map 10.66 @40.90 set_access 147.94 @40.74 unmap 151.34 @40.77 release 88.72 @40.84 addr_free 28.69 @40.87
-- vmm after a gap, 64 MiB, nominal 50 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 47.99 @100.80 create 123.55 @100.72 map 10.59 @100.83 set_access 152.81 @100.67 unmap 133.11 @100.67 release 80.87 @100.74 addr_free 25.67 @100.80
-- vmm after a gap, 64 MiB, nominal 200 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 44.77 @400.78 create 108.71 @400.73 map 8.97 @400.83 set_access 130.90 @400.72 unmap 135.71 @400.71 release 62.22 @400.78 addr_free 24.68 @400.82
-- vmm after a gap, 64 MiB, nominal 500 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 47.46 @1000.73 create 127.55 @1000.67 map 9.13 @1000.77 set_access 140.16 @1000.66 unmap 154.85 @1000.72 release 88.09 @1000.80 addr_free 29.63 @1000.84
-- vmm after a gap of launches, 2 MiB, nominal 0 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.65 @0.20 create 15.37 @0.18 map 1.51 @0.20 set_access 33.02 @0.17 unmap 23.16 @0.18 release 15.30 @0.18 addr_free 1.21 @0.20
-- vmm after a gap of launches, 2 MiB, nominal 1 ms, 12 cycles, us median @ ms since the call's last (median): reserve 6.30 @2.46 create 48.83 @2.42 map 4.67 @2.46 set_access 67.76 @2.40 unmap 64.05 @2.44 release 31.13 @2.48 addr_free 2.83 @2.50
-- vmm after a gap of launches, 2 MiB, nominal 2 ms, 12 cycles, us median @ ms since the call's last (median): reserve 6.51 @4.52 create 50.25 @4.48 map 5.29 @4.52 set_access 65.70 @4.46 unmap 67.25 @4.47 release 30.56 @4.51 addr_free 2.89 @4.54
-- vmm after a gap of launches, 2 MiB, nominal 5 ms, 12 cycles, us median @ ms since the call's last (median): reserve 6.54 @10.51 create 55.69 @10.46 map 5.70 @10.51 set_access 72.42 @10.44 unmap 73.63 @10.42 release 34.81 @10.46 addr_free 2.91 @10.49
-- vmm after a gap of launches, 2 MiB, nominal 10 ms, 12 cycles, us median @ ms since the call's last (median): reserve 10.10 @20.55 create 79.39 @20.49 map 7.81 @20.56 set_access 97.83 @20.48 unmap 98.35 @20.48 release 48.02 @20.53 addr_free 3.31 @20.58
-- vmm after a gap of launches, 2 MiB, nominal 20 ms, 12 cycles, us median @ ms since the call's last (median): reserve 12.40 @40.73 create 104.52 @40.64 map 9.87 @40.74 set_access 115.37 @40.63 unmap 128.47 @40.61 release 55.13 @40.68 addr_free 4.52 @40.73
-- vmm after a gap of launches, 2 MiB, nominal 50 ms, 12 cycles, us median @ ms since the call's last (median): reserve 12.81 @100.66 create 108.03 @100.57 map 9.80 @100.65 set_access 116.42 @100.54 unmap 137.23 @100.57 release 55.00 @100.64 addr_free 4.76 @100.68
-- vmm after a gap of launches, 64 MiB, nominal 0 ms, 12 cycles, us median @ ms since the call's last (median): reserve 7.71 @0.32 create 19.19 @0.31 map 1.87 @0.32 set_access 57.08 @0.26 unmap 33.08 @0.29 release 64.61 @0.27 addr_free 6.76 @0.32
-- vmm after a gap of launches, 64 MiB, nominal 1 ms, 12 cycles, us median @ ms since the call's last (median): reserve 17.33 @2.55 create 51.84 @2.51 map 4.16 @2.56 set_access 75.98 @2.47 unmap 61.50 @2.49 release 42.16 @2.51 addr_free 12.18 @2.53
-- vmm after a gap of launches, 64 MiB, nominal 2 ms, 12 cycles, us median @ ms since the call's last (median): reserve 14.44 @4.46 create 45.86 @4.42 map 3.53 @4.46 set_access 69.72 @4.40 unmap 56.86 @4.42 release 42.12 @4.43 addr_free 11.39 @4.47
-- vmm after a gap of launches, 64 MiB, nominal 5 ms, 12 cycles, us median @ ms since the call's last (median): reserve 8.80 @10.41 create 32.76 @10.37 map 1.94 @10.40 set_access 53.76 @10.35 unmap 33.09 @10.38 release 31.62 @10.38 addr_free 5.08 @10.41
-- vmm after a gap of launches, 64 MiB, nominal 10 ms, 12 cycles, us median @ ms since the call's last (median): reserve 12.34 @20.39 create 36.14 @20.36 map 2.39 @20.40 set_access 58.87 @20.34 unmap 37.48 @20.37 release 33.24 @20.38 addr_free 6.80 @20.41
-- vmm after a gap of launches, 64 MiB, nominal 20 ms, 12 cycles, us median @ ms since the call's last (median): reserve 21.03 @40.50 create 57.79 @40.47 map 4.23 @40.53 set_access 81.02 @40.43 unmap 65.20 @40.46 release 45.72 @40.49 addr_free 14.42 @40.53
-- vmm after a gap of launches, 64 MiB, nominal 50 ms, 12 cycles, us median @ ms since the call's last (median): reserve 31.28 @100.64 create 84.59 @100.59 map 7.43 @100.66 set_access 105.03 @100.55 unmap 100.74 @100.56 release 57.44 @100.64 addr_free 21.21 @100.68
-- vmm after a gap of serving steps, 2 MiB, nominal 0 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 0.86 @0.21 create 9.35 @0.20 map 0.79 @0.20 set_access 22.50 @0.18 unmap 15.32 @0.19 release 9.87 @0.20 addr_free 0.56 @0.21
-- vmm after a gap of serving steps, 2 MiB, nominal 1 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 1.61 @3.00 create 12.64 @2.99 map 1.18 @3.00 set_access 26.80 @2.97 unmap 20.07 @2.99 release 11.30 @3.00 addr_free 0.70 @3.01
-- vmm after a gap of serving steps, 2 MiB, nominal 2 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 2.05 @4.43 create 15.78 @4.41 map 1.53 @4.42 set_access 33.83 @4.39 unmap 24.22 @4.41 release 13.26 @4.42 addr_free 0.86 @4.43
-- vmm after a gap of serving steps, 2 MiB, nominal 5 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 2.19 @11.39 create 16.64 @11.36 map 1.58 @11.38 set_access 33.69 @11.35 unmap 23.97 @11.37 release 13.21 @11.38 addr_free 0.94 @11.39
-- vmm after a gap of serving steps, 2 MiB, nominal 10 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 7.16 @21.29 create 53.40 @21.25 map 5.28 @21.29 set_access 72.81 @21.23 unmap 52.32 @21.26 release 33.13 @21.31 addr_free 2.18 @21.34
-- vmm after a gap of serving steps, 2 MiB, nominal 20 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 9.85 @40.85 create 77.26 @40.79 map 6.32 @40.86 set_access 86.38 @40.78 unmap 97.63 @40.77 release 39.20 @40.82 addr_free 3.61 @40.86
-- vmm after a gap of serving steps, 2 MiB, nominal 50 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 12.57 @100.93 create 92.00 @100.85 map 7.79 @100.95 set_access 98.93 @100.86 unmap 120.97 @100.82 release 46.19 @100.90 addr_free 4.49 @100.94
-- vmm after a gap of serving steps, 2 MiB, nominal 200 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 12.91 @401.33 create 103.11 @401.24 map 9.34 @401.32 set_access 101.41 @401.23 unmap 124.07 @401.20 release 46.19 @401.26 addr_free 4.48 @401.30
-- vmm after a gap of serving steps, 2 MiB, nominal 500 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 12.69 @1001.28 create 95.33 @1001.20 map 9.09 @1001.29 set_access 98.16 @1001.20 unmap 126.73 @1001.19 release 46.37 @1001.30 addr_free 4.49 @1001.36
-- vmm after a gap of serving steps, 64 MiB, nominal 0 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 7.57 @0.32 create 20.35 @0.31 map 2.32 @0.33 set_access 54.48 @0.27 unmap 31.30 @0.30 release 61.55 @0.27 addr_free 5.17 @0.32
-- vmm after a gap of serving steps, 64 MiB, nominal 1 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 18.91 @3.29 create 63.46 @3.24 map 4.49 @3.30 set_access 82.83 @3.21 unmap 69.50 @3.31 release 55.23 @3.33 addr_free 13.03 @3.37
-- vmm after a gap of serving steps, 64 MiB, nominal 2 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 19.82 @4.75 create 62.60 @4.72 map 4.40 @4.77 set_access 82.49 @4.70 unmap 71.35 @4.71 release 50.82 @4.74 addr_free 12.91 @4.77
-- vmm after a gap of serving steps, 64 MiB, nominal 5 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 21.52 @11.71 create 60.74 @11.67 map 4.64 @11.74 set_access 87.28 @11.66 unmap 79.90 @11.66 release 59.28 @11.68 addr_free 14.34 @11.73
-- vmm after a gap of serving steps, 64 MiB, nominal 10 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 28.66 @21.66 create 84.68 @21.61 map 5.81 @21.69 set_access 108.19 @21.60 unmap 94.09 @21.67 release 65.83 @21.69 addr_free 17.57 @21.73
-- vmm after a gap of serving steps, 64 MiB, nominal 20 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 40.08 @41.71 create 117.89 @41.64 map 8.20 @41.73 set_access 134.64 @41.60 unmap 126.41 @41.62 release 76.04 @41.70 addr_free 24.70 @41.76
-- vmm after a gap of serving steps, 64 MiB, nominal 50 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 43.87 @101.26 create 122.33 @101.15 map 8.39 @101.27 set_access 140.43 @101.17 unmap 138.32 @101.22 release 69.26 @101.27 addr_free 24.83 @101.31
-- vmm after a gap of serving steps, 64 MiB, nominal 200 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 44.53 @401.36 create 111.19 @401.31 map 8.88 @401.45 set_access 128.60 @401.30 unmap 148.92 @401.28 release 82.10 @401.39 addr_free 26.54 @401.45
-- vmm after a gap of serving steps, 64 MiB, nominal 500 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 45.84 @1001.44 create 127.20 @1001.37 map 8.87 @1001.46 set_access 134.70 @1001.36 unmap 133.84 @1001.26 release 69.01 @1001.33 addr_free 26.69 @1001.39
-- vmm growth on the launching thread, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 11.43 (58.99/10.41/30.63) map 1.47 (5.05/1.11/3.52) set_access 32.22 (92.76/29.99/53.91)
-- vmm growth on one thread kept for the series, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 17.86 (66.08/15.10/23.97) map 1.79 (7.31/1.32/5.84) set_access 41.05 (122.87/37.36/48.05)
-- vmm growth on a new thread per handle, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 46.05 (48.39/23.70/62.08) map 5.76 (5.67/2.78/8.10) set_access 73.23 (97.61/47.69/91.61)
-- vmm growth on the launching thread, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 25.11 (39.44/21.74/32.00) map 3.02 (4.82/2.30/3.96) set_access 50.27 (96.09/44.63/83.98)
-- vmm growth on one thread kept for the series, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 26.74 (140.12/17.64/47.47) map 2.81 (7.13/2.05/5.23) set_access 55.64 (137.61/41.64/79.55)
-- vmm growth on a new thread per handle, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 56.79 (97.17/20.65/75.26) map 6.31 (5.33/2.28/7.70) set_access 81.40 (103.87/44.61/103.87)
-- vmm reserve / free of 16 MiB ranges among live ranges, us median per window of calls (live: reserve free): 0: 0.66 0.67 32: 1.70 2.19 96: 2.51 2.03 160: 3.18 2.04 224: 3.70 2.22 288: 4.44 2.09 352: 4.86 2.04 416: 5.57 2.10 480: 5.74 2.54 544: 6.53 2.19 608: 7.45 2.43 672: 8.01 2.59 736: 8.48 2.13 800: 9.30 2.26 864: 9.88 2.09 928: 10.55 2.23 992: 10.98 3.52
-- vmm factors over isolation at the granularity (busy, after_step): reserve 0.655 1.074 create 1.098 1.301 map 1.274 1.882 set_access 1.325 1.221 unmap 1.886 1.332 release 1.086 1.204 free_va 0.611 0.792
return {
  name = "h100-measured",
  gpus_per_server = 1, -- cudaGetDeviceCount
  servers = 1, -- one machine
  hbm_bytes = 85017493504, -- cudaMemGetInfo total
  hbm_bw = 3.346e+12, -- best read stream (kernels and launch shapes above)
  d2d_bw = 2.967e+12, -- cudaMemcpyAsync D2D 256 MiB, read+write
  flops = 7.84e+14, -- cuBLAS bf16 GEMM
  sms = 132, -- device property
  kernel_launch = 4.202e-06, -- empty kernels back to back
  pcie_bw = 5.527e+10, -- min(H2D, D2H) at 256 MiB, pinned
  pcie_lat = 1.188e-06, -- zero-copy dependent read round trip
  copy_overhead = 2.297e-06, -- fixed cost per cudaMemcpyAsync
  sm_copy_bw_per_sm = 3.983e+10, -- kv_transfer_launch on 1 SM
  sm_duplex_bw = 8.379e+10, -- kv_transfer_pair_launch both ways at once, 8 SMs, aggregate
  gpus_per_uplink = 0, -- not measured: own link assumed
  uplink_bw = 0, -- not measured (gpus_per_uplink = 0)
  host_bw = 1.003e+11, -- duplex DMA aggregate: lower bound of host DRAM bw for DMA
  nvlink_bw = 0, -- not measured (one GPU)
  nvlink_lat = 0, -- not measured (one GPU)
  nic_bw = 0, -- no inter-server tier
  nic_lat = 0, -- no inter-server tier
  vmm_reserve = 7.375e-07, -- cuMemAddressReserve, granularity range, cycles after a step, median
  vmm_create = 1.082e-05, -- cuMemCreate, cycles after a step, median
  vmm_map = 1.079e-06, -- cuMemMap, cycles after a step, median
  vmm_set_access = 2.515e-05, -- cuMemSetAccess, cycles after a step, median
  vmm_unmap = 1.959e-05, -- cuMemUnmap, cycles after a step, median
  vmm_release = 1.181e-05, -- cuMemRelease, cycles after a step, median
  vmm_granularity = 2097152, -- cuMemGetAllocationGranularity minimum
  vmm_reserve_per_mib = 1.701e-09, -- size slope: (largest - smallest handle median) / MiB, isolation
  vmm_create_per_mib = 1.816e-08, -- size slope, isolation
  vmm_map_per_mib = 1.732e-10, -- size slope, isolation
  vmm_set_access_per_mib = 4.124e-08, -- size slope, isolation
  vmm_unmap_per_mib = 1.662e-08, -- size slope, isolation
  vmm_release_per_mib = 2.714e-07, -- size slope, isolation
  table_write = 7.776e-06, -- 4 KiB H2D from pinned right after a step, events, median
  -- measured curves (every raw one in h100-measured.curves.csv)
  vmm_reserve_curve = { {2097152, 6.8650001594505738e-07}, {4194304, 4.3250000203443051e-07}, {8388608, 4.5399999848427797e-07}, {16777216, 4.6500000294713573e-07}, {67108864, 2.7864999907478705e-06}, {268435456, 2.0500000026402176e-06}, {1073741824, 2.4049999893804852e-06}, {17179869184, 2.397000002929417e-06}, {274877906944, 2.3934999973107551e-06}, {1099511627776, 2.3304999956508254e-06} }, -- s per call by range bytes, isolation
  vmm_create_curve = { {2097152, 8.3205000009911601e-06}, {4194304, 8.2970000008231182e-06}, {8388608, 8.300999997601366e-06}, {16777216, 8.2970000008231182e-06}, {67108864, 8.9165000005664297e-06}, {268435456, 1.165549999981863e-05}, {1073741824, 2.6877500001631915e-05} }, -- s per call by handle bytes, isolation
  vmm_map_curve = { {2097152, 5.7300000122495476e-07}, {4194304, 5.7749999982092959e-07}, {8388608, 5.8100000188687773e-07}, {16777216, 5.7999999825142368e-07}, {67108864, 6.1149999908138852e-07}, {268435456, 6.5799999759974526e-07}, {1073741824, 7.5000000165914571e-07} }, -- s per call by handle bytes, isolation
  vmm_set_access_curve = { {2097152, 2.0605999996092805e-05}, {4194304, 2.0512000002526065e-05}, {8388608, 2.0624000001134846e-05}, {16777216, 2.075550000313342e-05}, {67108864, 3.548649999984832e-05}, {268435456, 3.7815999998969119e-05}, {1073741824, 6.2749499999625868e-05} }, -- s per call by handle bytes, isolation
  vmm_unmap_curve = { {2097152, 1.4707000001834558e-05}, {4194304, 1.4534499999996342e-05}, {8388608, 1.4637499997860459e-05}, {16777216, 1.4803999999202233e-05}, {67108864, 2.2547500002190191e-05}, {268435456, 2.2716500001962459e-05}, {1073741824, 3.1693000003940597e-05} }, -- s per call by handle bytes, isolation
  vmm_release_curve = { {2097152, 9.8110000052997748e-06}, {4194304, 1.1100500003635716e-05}, {8388608, 1.2993500000391123e-05}, {16777216, 1.6716500002900148e-05}, {67108864, 3.7825000003266496e-05}, {268435456, 7.7991499999541247e-05}, {1073741824, 0.00028714500000148746} }, -- s per call by handle bytes, isolation
  vmm_free_va_curve = { {2097152, 6.9349999876067159e-07}, {4194304, 4.1300000219735011e-07}, {8388608, 4.2199999938929977e-07}, {16777216, 4.3500000401763828e-07}, {67108864, 2.3030000022572494e-06}, {268435456, 1.757500001531298e-06}, {1073741824, 2.2579999949812191e-06}, {17179869184, 2.4360000026035777e-06}, {274877906944, 3.8585000083912746e-06}, {1099511627776, 3.3815000080039681e-06} }, -- s per call by range bytes, isolation
  vmm_reserve_live = { {16, 0.74872540124911446}, {128, 0.62199561009837179}, {1024, 0.64457390973248729}, {4096, 0.64675890880841957} }, -- idle call among x live handles / isolated
  vmm_create_live = { {16, 1.0828676159302415}, {128, 1.0569677298876159}, {1024, 1.075356048135667}, {4096, 1.084309837069771} }, -- idle call among x live handles / isolated
  vmm_map_live = { {16, 1.4136125677822737}, {128, 1.302792323822076}, {1024, 1.4075043617465568}, {4096, 1.4502617791957824} }, -- idle call among x live handles / isolated
  vmm_set_access_live = { {16, 1.0598126759661683}, {128, 1.1138503348128941}, {1024, 1.1341356888963174}, {4096, 1.1599048822308096} }, -- idle call among x live handles / isolated
  vmm_unmap_live = { {16, 1.0405589173703593}, {128, 1.1805942745363536}, {1024, 1.2357040865161917}, {4096, 1.2539267014119553} }, -- idle call among x live handles / isolated
  vmm_release_live = { {16, 1.1149220254233378}, {128, 1.0883192329877807}, {1024, 1.1787789207432917}, {4096, 1.1909081633407517} }, -- idle call among x live handles / isolated
  vmm_free_va_live = { {16, 0.68637346958213163}, {128, 0.60273972574669177}, {1024, 0.64888248379265845}, {4096, 0.68709445273803726} }, -- idle call among x live handles / isolated
  vmm_create_grow = { {2097152, 1.1228500003568342e-05}, {67108864, 1.1503000003187935e-05} }, -- s per call growing the pool, by handle bytes
  vmm_map_grow = { {2097152, 1.3384999988375057e-06}, {67108864, 1.2900000072590956e-06} }, -- s per call growing the pool, by handle bytes
  vmm_set_access_grow = { {2097152, 2.7421000002192386e-05}, {67108864, 2.6995999995449438e-05} }, -- s per call growing the pool, by handle bytes
  vmm_reserve_live_va = { {32, 3.664516133961448}, {96, 5.4064515828351674}, {160, 6.8311827560600218}, {224, 7.9666666220985745}, {288, 9.5419353953920076}, {352, 10.448387012608276}, {416, 11.968817136976556}, {480, 12.351612849867326}, {544, 14.052688088205706}, {608, 16.024731104462656}, {672, 17.224731058621188}, {736, 18.24193538393164}, {800, 20.001075165756056}, {864, 21.245161163888859}, {928, 22.689247154381416}, {992, 23.607526725670493} }, -- among x live ranges / none
  vmm_free_va_live_va = { {32, 5.03218386140869}, {96, 4.6758620369727888}, {160, 4.695402256043403}, {224, 5.0931034102000092}, {288, 4.8022987870398577}, {352, 4.6827585810366958}, {416, 4.8275861697219025}, {480, 5.8287355501743789}, {544, 5.0298850024978439}, {608, 5.583908007225256}, {672, 5.9632182900950932}, {736, 4.8977010888193435}, {800, 5.1896551251006029}, {864, 4.802298819708489}, {928, 5.1298849894303906}, {992, 8.0873562465885787} }, -- among x live ranges / none
  vmm_reserve_gap = {
    { 2097152, { {0.00025999999999999998, 8.6999999382442184e-07}, {0.0023600000000000001, 1.1169999964977251e-06}, {0.0043899999999999998, 1.2760000061007304e-06}, {0.01042, 1.2830000031271993e-06}, {0.020369999999999999, 2.1150000009129144e-06}, {0.040399999999999998, 1.8889999893190179e-06}, {0.10056, 1.012700001012945e-05}, {0.40071000000000001, 1.32390000118221e-05}, {1.0007299999999999, 1.3088999992305617e-05} } },
    { 67108864, { {0.00032000000000000003, 5.7755000000270229e-06}, {0.0025100000000000001, 1.5469000004486588e-05}, {0.00462, 1.9625999996719656e-05}, {0.01056, 2.8391999990162731e-05}, {0.0207, 4.0296999998190586e-05}, {0.040849999999999997, 4.8763999998868712e-05}, {0.1008, 4.7987000002081004e-05}, {0.40078000000000003, 4.4767999995087848e-05}, {1.0007299999999999, 4.7460000004662106e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_create_gap = {
    { 2097152, { {0.00024000000000000001, 2.2694999991301756e-05}, {0.0023500000000000001, 1.1771999993470672e-05}, {0.0043800000000000002, 1.3346000002911751e-05}, {0.010410000000000001, 1.4371000006008217e-05}, {0.02036, 1.7896000002792789e-05}, {0.040390000000000002, 1.9260999991388417e-05}, {0.10048, 8.6841999987541385e-05}, {0.40061999999999998, 0.00011200699999847075}, {1.00065, 0.00011356699999964803} } },
    { 67108864, { {0.00031, 1.6643999998677828e-05}, {0.0024499999999999999, 5.9286999999130785e-05}, {0.0045799999999999999, 6.5402000004155525e-05}, {0.010489999999999999, 8.3838999998420149e-05}, {0.020619999999999999, 0.00011470500000143602}, {0.040759999999999998, 0.00013276500000358737}, {0.10072, 0.00012355299999455838}, {0.40072999999999998, 0.00010871099999576472}, {1.0006699999999999, 0.00012754799999470379} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_map_gap = {
    { 2097152, { {0.00025999999999999998, 8.4350000406629988e-07}, {0.0023600000000000001, 9.4100001035712921e-07}, {0.0043899999999999998, 1.061000006075119e-06}, {0.01042, 1.0450000047512731e-06}, {0.020369999999999999, 1.8949999969208875e-06}, {0.040410000000000001, 1.6359999932546998e-06}, {0.10056, 6.6280000083906998e-06}, {0.40071000000000001, 9.7460000034743643e-06}, {1.0007299999999999, 9.5959999981687361e-06} } },
    { 67108864, { {0.00032000000000000003, 1.5644999962205475e-06}, {0.0025100000000000001, 4.0909999938776309e-06}, {0.00464, 4.7890000018924184e-06}, {0.01057, 7.4130000058403311e-06}, {0.020740000000000001, 9.3710000044211483e-06}, {0.040899999999999999, 1.0657000004243855e-05}, {0.10083, 1.058899999861751e-05}, {0.40083000000000002, 8.9709999997467094e-06}, {1.0007699999999999, 9.1330000060452221e-06} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_set_access_gap = {
    { 2097152, { {0.00024000000000000001, 2.2657500004186204e-05}, {0.00233, 2.5401999991458979e-05}, {0.0043499999999999997, 2.8040000003670684e-05}, {0.01039, 2.8560000004063113e-05}, {0.020320000000000001, 3.4198000008700546e-05}, {0.040390000000000002, 3.4510999995518432e-05}, {0.10049, 9.5178000009354946e-05}, {0.40061999999999998, 0.00010939000000576016}, {1.0006200000000001, 0.00011601900000357546} } },
    { 67108864, { {0.00027, 5.3636499998788167e-05}, {0.0024299999999999999, 8.1366000003413319e-05}, {0.0045500000000000002, 8.6363999997729479e-05}, {0.010460000000000001, 0.00010824700000000576}, {0.02061, 0.00013638400000104411}, {0.040739999999999998, 0.00014794499999482014}, {0.10067, 0.00015280899999936537}, {0.40072000000000002, 0.00013090400000237423}, {1.0006600000000001, 0.00014015799999356204} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_unmap_gap = {
    { 2097152, { {0.00025000000000000001, 1.5939000000741999e-05}, {0.0023500000000000001, 1.7486000004396374e-05}, {0.0043699999999999998, 2.0104999990167016e-05}, {0.01038, 1.8541000002869623e-05}, {0.02035, 2.6536999996551458e-05}, {0.040379999999999999, 3.0372000011880118e-05}, {0.10045, 9.4054000001619897e-05}, {0.40064, 0.00012409900000420748}, {1.0005999999999999, 0.00015003000000035627} } },
    { 67108864, { {0.00029999999999999997, 3.1352999997125153e-05}, {0.0024599999999999999, 6.1478000006331968e-05}, {0.0045799999999999999, 6.9776999993109712e-05}, {0.01051, 8.8695000002303459e-05}, {0.020619999999999999, 0.00012384699999756776}, {0.040770000000000001, 0.00015133600000183378}, {0.10067, 0.00013310900000362835}, {0.40071000000000001, 0.00013570500000525954}, {1.0007200000000001, 0.00015485000000126092} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_release_gap = {
    { 2097152, { {0.00024000000000000001, 2.3839000000691613e-05}, {0.0023600000000000001, 1.0895999992044381e-05}, {0.0043800000000000002, 1.1033999996357124e-05}, {0.01038, 1.0967999998001687e-05}, {0.02035, 1.3894999995045509e-05}, {0.040399999999999998, 1.641299999732837e-05}, {0.10052999999999999, 4.3173999998202817e-05}, {0.40073999999999999, 4.6161000000211061e-05}, {1.0006999999999999, 5.5669999994734098e-05} } },
    { 67108864, { {0.00025999999999999998, 6.3006500006679289e-05}, {0.0024599999999999999, 6.1157999994065904e-05}, {0.0045900000000000003, 6.4070999997056788e-05}, {0.010529999999999999, 7.4455000003581517e-05}, {0.020650000000000002, 8.3232999998017476e-05}, {0.040840000000000001, 8.8719000004289228e-05}, {0.10074, 8.0866000004675698e-05}, {0.40078000000000003, 6.2220999993201076e-05}, {1.0007999999999999, 8.809000000553624e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_free_va_gap = {
    { 2097152, { {0.00027, 5.1600000006146729e-07}, {0.0023700000000000001, 6.2799999511753413e-07}, {0.0043899999999999998, 6.5000000404324965e-07}, {0.01039, 6.5300000073875708e-07}, {0.020369999999999999, 9.5299999713915895e-07}, {0.040410000000000001, 8.5500001034688466e-07}, {0.10057000000000001, 4.085000000486616e-06}, {0.40079999999999999, 4.7899999913170177e-06}, {1.00074, 5.0350000009302676e-06} } },
    { 67108864, { {0.00032000000000000003, 4.6609999984070782e-06}, {0.0025100000000000001, 1.1885999995797647e-05}, {0.00464, 1.3601000006246977e-05}, {0.01059, 1.7894999999157335e-05}, {0.020709999999999999, 2.5462000010634256e-05}, {0.040869999999999997, 2.8693999993834041e-05}, {0.1008, 2.5673999999753505e-05}, {0.40082000000000001, 2.4683999996000239e-05}, {1.00084, 2.9630000000224754e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_reserve_busy = 1.0526932174135821, -- busy / idle among the same live handles at the granularity
  vmm_create_busy = 1.0392859179702458, -- busy / idle among the same live handles at the granularity
  vmm_map_busy = 0.97789684310147085, -- busy / idle among the same live handles at the granularity
  vmm_set_access_busy = 1.1899616593963045, -- busy / idle among the same live handles at the granularity
  vmm_unmap_busy = 1.597103035461239, -- busy / idle among the same live handles at the granularity
  vmm_release_busy = 0.99751814559449792, -- busy / idle among the same live handles at the granularity
  vmm_free_va_busy = 1.0131579001048305, -- busy / idle among the same live handles at the granularity
  vmm_reserve_after_step = 1.7271662971372932, -- after_step / idle among the same live handles at the granularity
  vmm_create_after_step = 1.2305418162616859, -- after_step / idle among the same live handles at the granularity
  vmm_map_after_step = 1.4447421267903209, -- after_step / idle among the same live handles at the granularity
  vmm_set_access_after_step = 1.0959175672376882, -- after_step / idle among the same live handles at the granularity
  vmm_unmap_after_step = 1.1282900421370299, -- after_step / idle among the same live handles at the granularity
  vmm_release_after_step = 1.1059704986569021, -- after_step / idle among the same live handles at the granularity
  vmm_free_va_after_step = 1.31459329842608, -- after_step / idle among the same live handles at the granularity
  copy_h2d_curve = { {4096, 2.6051518507301806e-06}, {16384, 2.9197758994996549e-06}, {65536, 4.054783843457699e-06}, {262144, 7.5095356442034243e-06}, {1048576, 2.2031655535101892e-05}, {4194304, 7.8713752329349524e-05}, {16777216, 0.00030543649196624755}, {67108864, 0.0012133779525756836}, {268435456, 0.004839759826660156} }, -- s per cudaMemcpyAsync by bytes, back to back
  copy_d2h_curve = { {4096, 2.0850079599767926e-06}, {16384, 2.0507359877228739e-06}, {65536, 3.2494240440428257e-06}, {262144, 6.2915841117501261e-06}, {1048576, 2.0654343068599702e-05}, {4194304, 7.7388122677803041e-05}, {16777216, 0.00030525550246238712}, {67108864, 0.0012157160043716432}, {268435456, 0.0048569121360778813} }, -- s per cudaMemcpyAsync by bytes, back to back
  sm_copy_h2d_curve = { {1, 35500423484.004219}, {2, 51258816610.180923}, {4, 50857311277.424469}, {8, 50927704222.988724}, {16, 51146306378.83049}, {32, 51106421055.149277}, {64, 51208752564.99173} }, -- B/s by SMs, 65536-byte pages
  sm_copy_d2h_curve = { {1, 44151496972.436974}, {2, 51177510422.895813}, {4, 52196524257.437225}, {8, 52371193638.28904}, {16, 52313707699.962479}, {32, 52677701841.030571}, {64, 52635393298.134491} }, -- B/s by SMs, 65536-byte pages
  sm_copy_page_h2d_curve = { {256, 0.604293858398954}, {4096, 1.0000243358858873}, {65536, 1} }, -- rate by page bytes over the 65536-byte page's, at 8 SMs
  sm_copy_page_d2h_curve = { {256, 0.97878372800572111}, {4096, 1.0028801050608585}, {65536, 1} }, -- rate by page bytes over the 65536-byte page's, at 8 SMs
  sm_copy_grid_h2d = {
    { 256, { {1, 4154627410.4539299}, {2, 8314740237.7351561}, {4, 16264682952.672554}, {8, 30775298884.310562}, {16, 50854844157.718956}, {32, 50291412689.991989}, {64, 50451116401.548798} } },
    { 4096, { {1, 29934939872.285664}, {2, 51039258338.299782}, {4, 50842512148.765953}, {8, 50928943593.787201}, {16, 50792024836.829597}, {32, 51054167612.1577}, {64, 51106421055.149277} } },
    { 65536, { {1, 35500423484.004219}, {2, 51258816610.180923}, {4, 50857311277.424469}, {8, 50927704222.988724}, {16, 51146306378.83049}, {32, 51106421055.149277}, {64, 51208752564.99173} } },
  }, -- B/s by SMs, one row per page bytes
  sm_copy_grid_d2h = {
    { 256, { {1, 7526925435.9708958}, {2, 14806107786.824854}, {4, 29556919371.285343}, {8, 51260072149.394051}, {16, 50663189112.91777}, {32, 51817354136.488914}, {64, 51998514116.247978} } },
    { 4096, { {1, 43327796176.340874}, {2, 52238129933.375336}, {4, 52351581085.888039}, {8, 52522028178.129875}, {16, 52506244500.816811}, {32, 52503619706.93959}, {64, 52533869713.688469} } },
    { 65536, { {1, 44151496972.436974}, {2, 51177510422.895813}, {4, 52196524257.437225}, {8, 52371193638.28904}, {16, 52313707699.962479}, {32, 52677701841.030571}, {64, 52635393298.134491} } },
  }, -- B/s by SMs, one row per page bytes
  sm_copy_threads_grid_h2d = {
    { 128, { {1, 4839574171.6088467}, {2, 9640393899.7512646}, {4, 18956962973.433716}, {8, 36850324594.555534}, {16, 51287648838.173355}, {32, 50872114426.826065}, {64, 50969789016.230202} } },
    { 256, { {1, 9606522692.4414196}, {2, 18865897037.915245}, {4, 36326272574.466087}, {8, 51278870582.332176}, {16, 50889396429.860359}, {32, 50992097643.721237}, {64, 51098947742.03466} } },
    { 512, { {1, 18669729308.015507}, {2, 35799185055.526543}, {4, 51255059694.810623}, {8, 50824032228.127922}, {16, 51019391305.51487}, {32, 51106421055.149277}, {64, 51036773534.718834} } },
    { 1024, { {1, 35516054300.188057}, {2, 51152543213.549591}, {4, 50822797958.106194}, {8, 51025597224.442223}, {16, 51140071064.792961}, {32, 51088991360.229828}, {64, 51116388873.697968} } },
  }, -- B/s by SMs, one row per threads per block, 64 KiB pages
  sm_copy_threads_grid_d2h = {
    { 128, { {1, 11931092797.508684}, {2, 23395009671.821201}, {4, 46545454181.915474}, {8, 51939274307.970993}, {16, 51744477341.332039}, {32, 52039804599.628754}, {64, 52477342167.709373} } },
    { 256, { {1, 22787698755.191723}, {2, 44923249698.54155}, {4, 51762361998.866089}, {8, 51893005124.803352}, {16, 52206921882.720406}, {32, 52503619706.93959}, {64, 52481280409.225555} } },
    { 512, { {1, 34805191283.047745}, {2, 49726181662.384682}, {4, 51844254250.000854}, {8, 52162770226.59761}, {16, 52392127622.31131}, {32, 52248544142.743462}, {64, 52644642175.97049} } },
    { 1024, { {1, 44223188225.539764}, {2, 51093971384.769897}, {4, 52352890728.995758}, {8, 52338517453.733658}, {16, 52531237255.265907}, {32, 52630108278.200371}, {64, 52543082944.185509} } },
  }, -- B/s by SMs, one row per threads per block, 64 KiB pages
  batch_h2d_curve = { {4096, 9.6849998226389297e-07}, {16384, 9.9800003226846468e-07}, {65536, 1.4851250452920795e-06}, {262144, 5.0225001759827142e-06}, {1048576, 1.9207874312996863e-05}, {4194304, 7.5947873294353481e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_d2h_curve = { {4096, 8.9625001419335607e-07}, {16384, 9.4337499467656023e-07}, {65536, 1.4420000370591879e-06}, {262144, 4.9939998425543306e-06}, {1048576, 1.9231749698519708e-05}, {4194304, 7.6127253472805026e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_call = 5.7053999995559934e-05, -- s of host time per batched call
  batch_call_curve = { {64, 5.7053999995559934e-05} }, -- s of host time per batched call by entries
  attn_block_table_curve = { {1, 1.1545342710093485}, {4, 1.0394635556157104}, {16, 1.0278484699472454}, {64, 1.0336939761171904}, {256, 1.0266821402110127} }, -- time over contiguous by tokens per block
  attn_offset_table_curve = { {1, 1.209438675964907}, {4, 1.0699090244862679}, {16, 1.0283113292842392}, {64, 1.0285935096966043}, {256, 1.0241299705697018} }, -- time over contiguous by tokens per block
  source = "kvsim-calibrate on NVIDIA H100 80GB HBM3, driver API 13000, 2026-12-06 04:25 UTC",
}
