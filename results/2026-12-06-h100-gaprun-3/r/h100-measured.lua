-- Platform measured by kvsim-calibrate (kernels/calibrate.cu).
-- device: NVIDIA H100 80GB HBM3, 132 SMs, 85017493504 bytes (84465090560 free), 1 GPU(s), driver API 13000, 2026-12-06 04:49 UTC
-- pcie H2D 55.33 GB/s, D2H 55.28 GB/s at 256 MiB (pcie_bw = the lower)
-- copy fixed cost 2.24 us (median of time - bytes/bw, 4..64 KiB, both directions); 1-byte copies back to back 2.29 us each; 1-byte copy + sync round trip 5.51 us (median)
-- duplex (256 MiB each way at once): 101.27 GB/s aggregate (host_bw: a lower bound of host DRAM bandwidth for DMA)
-- device-to-device copy 256 MiB: 2955.6 GB/s counting read + write
-- HBM read stream, GB/s: unrolled x4, 1 GiB, 4 blocks/SM: 3101.6; weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM: 3280.3; weight read, 256 MiB once x 16 launches, 4 blocks/SM: 3016.1; weight read, 1 GiB once, 4 blocks/SM: 3090.9; weight read, 1 GiB once, 8 blocks/SM: 3092.0; weight read, 1 GiB once, 16 blocks/SM: 3093.5; weight read, 2 GiB once, 4 blocks/SM: 3094.7
-- HBM read stream: 3280.3 GB/s, the best (weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM) (hbm_bw)
-- bf16 matrix product 8192x8192x8192 (cuBLAS, random data): 788 TFLOP/s
-- kernel launch: 2.59 us each back to back; launch + sync round trip 7.78 us (median)
-- table write (4 KiB H2D from pinned memory between CUDA events on an idle stream, as the GPU backend does): median 3.71 us, p10 3.62, p90 3.97 (table_write); the same copies queued back to back 3.62 us; the former definition, 4 KiB H2D + kernel launch back to back, 9.54 us
-- table write right after a step (a read stream of a few ms on the same stream, then a host sync, then the event pair and the copy; 100 times): median 4.40 us, p10 4.19, p90 11.52
-- zero-copy dependent read of mapped host memory: 1.12 us each (pcie_lat = round trip)
-- host memcpy 256 MiB, one thread: 16.1 GB/s (one CPU core; not host_bw, which is the duplex DMA figure)
-- batch check: 768 entries (every size, both directions) equal their sources byte for byte
-- SM copy check: 559104 pages (every page size, both directions, 8 SMs) equal their sources byte for byte; threads per block: 1024, kv_transfer_launch's (the next table varies them)
-- SM copy with 1 SM, 64 KiB pages, mean of both directions: 41.10 GB/s (sm_copy_bw_per_sm)
-- SM copy both directions at once (kv_transfer_pair_launch, 8 SMs, 64 KiB pages, 64 MiB each way): 84.41 GB/s aggregate (sm_duplex_bw)
-- SM copy by threads check: 8192 pages (every block size, both directions, 8 SMs) equal their sources byte for byte
-- attention check: block-table and offset-table outputs equal the contiguous one at every block size (worst relative L2 0, tolerance 1e-05); contiguous vs float64 CPU reference on 4 requests 1.5e-07 (tolerance 1e-3)
-- vmm 2 MiB medians in isolation (us): reserve 0.49 create 7.49 map 0.57 set_access 18.78 unmap 13.52 release 8.75 addr_free 0.40
-- vmm 4 MiB medians in isolation (us): reserve 0.41 create 7.47 map 0.55 set_access 18.55 unmap 13.44 release 9.96 addr_free 0.40
-- vmm 8 MiB medians in isolation (us): reserve 0.48 create 7.50 map 0.55 set_access 18.65 unmap 13.48 release 11.81 addr_free 0.40
-- vmm 16 MiB medians in isolation (us): reserve 0.41 create 7.47 map 0.56 set_access 18.75 unmap 13.73 release 15.30 addr_free 0.39
-- vmm 64 MiB medians in isolation (us): reserve 2.05 create 8.07 map 0.57 set_access 32.69 unmap 21.02 release 24.79 addr_free 1.55
-- vmm 256 MiB medians in isolation (us): reserve 1.92 create 10.46 map 0.62 set_access 34.36 unmap 21.13 release 72.01 addr_free 1.46
-- vmm 1024 MiB medians in isolation (us): reserve 1.86 create 19.96 map 0.68 set_access 56.52 unmap 29.44 release 258.77 addr_free 1.56
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU idle, us median (p10/p90): reserve 0.42 (0.37/0.52) create 7.76 (7.55/8.11) map 0.63 (0.57/0.75) set_access 20.10 (19.64/20.78) unmap 14.86 (14.26/15.90) release 9.19 (8.91/9.72) addr_free 0.39 (0.36/0.47)
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU busy with a read stream, us median (p10/p90): reserve 0.44 (0.39/0.56) create 8.01 (7.76/8.40) map 0.64 (0.59/0.77) set_access 25.10 (20.06/28.06) unmap 25.77 (14.69/27.99) release 9.21 (8.94/9.81) addr_free 0.38 (0.36/0.48); 18 reads launched
-- vmm 2 MiB, 200 cycles among 128 live handles, each cycle right after a step, us median (p10/p90): reserve 0.70 (0.53/0.76) create 8.85 (8.46/198.53) map 0.83 (0.73/1.04) set_access 20.90 (20.28/21.46) unmap 14.88 (14.43/15.71) release 9.33 (9.11/9.75) addr_free 0.46 (0.43/0.54)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 16 live handles, GPU idle, us median (p10/p90): reserve 0.46 (0.40/0.55) create 7.51 (7.37/7.76) map 0.68 (0.60/0.80) set_access 18.88 (18.54/19.74) unmap 13.56 (13.30/14.05) release 9.24 (9.10/9.46) addr_free 0.41 (0.37/0.47)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 1024 live handles, GPU idle, us median (p10/p90): reserve 0.40 (0.33/0.49) create 7.73 (7.55/8.04) map 0.63 (0.59/0.76) set_access 20.10 (19.71/20.80) unmap 14.80 (14.35/15.79) release 9.68 (9.45/10.06) addr_free 0.39 (0.38/0.45)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 4096 live handles, GPU idle, us median (p10/p90): reserve 0.42 (0.38/0.51) create 7.84 (7.68/8.11) map 0.65 (0.60/0.78) set_access 20.41 (20.01/21.15) unmap 14.63 (14.18/15.28) release 9.74 (9.50/10.02) addr_free 0.42 (0.40/0.48)
-- vmm 64 MiB, 200 cycles among 32 live handles, GPU idle, us median (p10/p90): reserve 1.72 (1.64/1.91) create 9.10 (8.37/20.42) map 0.68 (0.61/0.86) set_access 19.88 (19.47/22.54) unmap 13.84 (13.52/14.63) release 24.76 (24.03/36.07) addr_free 1.76 (1.60/2.08)
-- vmm 64 MiB, 200 cycles among 32 live handles, each cycle right after a step, us median (p10/p90): reserve 2.22 (1.96/2.86) create 20.92 (20.41/67.25) map 0.86 (0.75/1.11) set_access 21.19 (20.56/26.84) unmap 14.45 (14.02/16.22) release 25.03 (24.37/36.69) addr_free 1.87 (1.75/2.42)
-- vmm growth, fresh range: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 8.62 (98.26/8.02/10.78; 8.49, 8.87) map 0.84 (1.68/0.69/1.84; 0.85, 0.86) set_access 21.76 (43.75/20.64/23.93; 21.31, 22.68) unmap 14.75 (35.36/14.41/15.73; 14.85, 14.73) release 9.47 (17.95/9.25/9.79; 9.55, 9.39)
-- vmm growth, same range again: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 8.55 (18.35/8.01/9.38; 8.37, 8.76) map 0.83 (2.34/0.71/0.97; 0.83, 0.83) set_access 21.42 (53.62/20.54/22.47; 20.91, 22.02) unmap 14.82 (33.45/14.44/15.70; 14.89, 14.78) release 9.56 (18.36/9.32/9.86; 9.60, 9.53)
-- vmm growth, new range, memory recycled: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 8.55 (17.49/8.00/9.31; 8.45, 8.73) map 0.84 (2.15/0.71/0.96; 0.84, 0.84) set_access 21.49 (47.40/20.58/22.34; 21.23, 21.82) unmap 14.83 (30.47/14.45/15.95; 14.95, 14.87) release 9.52 (16.97/9.31/9.84; 9.59, 9.50)
-- vmm growth, fresh range: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 8.91 (20.99/8.31/9.79; 9.15, 8.87) map 0.85 (2.60/0.71/0.99; 0.96, 0.85) set_access 21.98 (54.14/21.11/37.70; 22.49, 21.88) unmap 14.43 (29.82/13.75/21.66; 14.96, 14.00) release 25.02 (31.45/24.17/36.41; 25.00, 24.92)
-- vmm growth, same range again: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 8.84 (128.99/8.18/9.93; 9.05, 8.91) map 0.84 (1.50/0.65/1.00; 0.99, 0.85) set_access 21.77 (38.98/20.82/38.21; 22.06, 21.92) unmap 14.60 (28.03/13.93/22.49; 15.08, 14.10) release 25.05 (30.85/24.27/36.77; 25.06, 25.13)
-- vmm growth, new range, memory recycled: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 8.77 (131.83/8.18/10.42; 8.85, 8.91) map 0.80 (2.00/0.67/0.96; 0.93, 0.80) set_access 21.51 (38.47/20.29/37.37; 21.60, 21.52) unmap 14.57 (26.33/14.04/22.03; 14.79, 14.25) release 25.12 (29.87/24.29/36.64; 25.01, 25.10)
-- vmm after a gap, 2 MiB, nominal 0 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 0.70 @0.25 create 19.65 @0.23 map 0.71 @0.25 set_access 19.30 @0.23 unmap 14.14 @0.24 release 20.78 @0.23 addr_free 0.45 @0.25
-- vmm after a gap, 2 MiB, nominal 1 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 0.83 @2.28 create 8.63 @2.27 map 0.74 @2.28 set_access 20.40 @2.26 unmap 14.94 @2.27 release 9.08 @2.27 addr_free 0.48 @2.28
-- vmm after a gap, 2 MiB, nominal 2 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 0.95 @4.43 create 9.99 @4.42 map 0.81 @4.43 set_access 22.56 @4.40 unmap 15.54 @4.39 release 9.85 @4.40 addr_free 0.57 @4.41
-- vmm after a gap, 2 MiB, nominal 5 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 0.85 @10.42 create 8.78 @10.41 map 0.76 @10.42 set_access 20.82 @10.40 unmap 15.18 @10.39 release 9.03 @10.40 addr_free 0.48 @10.41
-- vmm after a gap, 2 MiB, nominal 10 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 0.85 @20.29 create 8.97 @20.28 map 0.77 @20.29 set_access 21.06 @20.26 unmap 15.19 @20.28 release 9.19 @20.28 addr_free 0.47 @20.29
-- vmm after a gap, 2 MiB, nominal 20 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 0.97 @40.27 create 9.49 @40.26 map 0.77 @40.27 set_access 21.59 @40.25 unmap 15.79 @40.26 release 9.32 @40.27 addr_free 0.50 @40.28
-- vmm after a gap, 2 MiB, nominal 50 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 1.02 @100.34 create 11.43 @100.33 map 0.81 @100.34 set_access 22.59 @100.32 unmap 17.80 @100.32 release 9.97 @100.35 addr_free 0.51 @100.36
-- vmm after a gap, 2 MiB, nominal 200 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 1.24 @400.33 create 11.46 @400.32 map 1.10 @400.34 set_access 24.88 @400.32 unmap 18.47 @400.32 release 10.58 @400.33 addr_free 0.64 @400.34
-- vmm after a gap, 2 MiB, nominal 500 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 2.89 @1000.42 create 22.60 @1000.40 map 2.24 @1000.42 set_access 40.35 @1000.38 unmap 30.65 @1000.36 release 16.55 @1000.39 addr_free 1.21 @1000.40
-- vmm after a gap, 64 MiB, nominal 0 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 2.49 @0.25 create 8.35 @0.24 map 0.71 @0.25 set_access 34.46 @0.21 unmap 21.88 @0.23 release 37.08 @0.21 addr_free 1.87 @0.25
-- vmm after a gap, 64 MiB, nominal 1 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 2.86 @2.27 create 21.65 @2.25 map 0.85 @2.28 set_access 35.38 @2.24 unmap 23.11 @2.26 release 25.08 @2.26 addr_free 2.10 @2.28
-- vmm after a gap, 64 MiB, nominal 2 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 2.73 @4.29 create 21.90 @4.27 map 0.82 @4.29 set_access 35.39 @4.26 unmap 23.44 @4.28 release 25.12 @4.28 addr_free 2.01 @4.30
-- vmm after a gap, 64 MiB, nominal 5 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 2.74 @10.33 create 21.93 @10.32 map 0.83 @10.34 set_access 35.75 @10.30 unmap 23.40 @10.31 release 24.70 @10.31 addr_free 1.97 @10.33
-- vmm after a gap, 64 MiB, nominal 10 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 3.17 @20.37 create 22.67 @20.35 map 0.77 @20.37 set_access 36.50 @20.33 unmap 24.38 @20.34 release 25.39 @20.34 addr_free 2.31 @20.36
-- vmm after a gap, 64 MiB, nominal 20 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 3.37 @40.41 create 22.30 @40.40 map 0.82 @40.42 set_access 36.37 @40.38 unmap 23.83 @40.39 release 25.16 @40.39 addr_free 2.61 @40.41
-- vmm after a gap, 64 MiB, nominal 50 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 3.91 @100.29 create 22.71 @100.27 map 0.93 @100.29 set_access 37.66 @100.26 unmap 24.72 @100.34 release 25.38 @100.35 addr_free 2.59 @100.37
-- vmm after a gap, 64 MiB, nominal 200 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 6.92 @400.35 create 26.51 @400.33 map 1.43 @400.36 set_access 43.29 @400.32 unmap 28.76 @400.35 release 27.79 @400.35 addr_free 4.17 @400.39
-- vmm after a gap, 64 MiB, nominal 500 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 11.16 @1000.46 create 38.67 @1000.43 map 2.58 @1000.48 set_access 55.71 @1000.42 unmap 39.47 @1000.45 release 33.83 @1000.47 addr_free 7.29 @1000.50
-- vmm after a gap of launches, 2 MiB, nominal 0 ms, 12 cycles, us median @ ms since the call's last (median): reserve 0.80 @0.15 create 8.13 @0.15 map 0.74 @0.15 set_access 19.59 @0.14 unmap 14.46 @0.14 release 8.77 @0.15 addr_free 0.47 @0.16
-- vmm after a gap of launches, 2 MiB, nominal 1 ms, 12 cycles, us median @ ms since the call's last (median): reserve 0.96 @2.24 create 8.85 @2.23 map 0.77 @2.24 set_access 21.00 @2.22 unmap 15.55 @2.23 release 9.27 @2.23 addr_free 0.50 @2.24
-- vmm after a gap of launches, 2 MiB, nominal 2 ms, 12 cycles, us median @ ms since the call's last (median): reserve 0.97 @4.26 create 9.13 @4.25 map 0.80 @4.26 set_access 21.07 @4.24 unmap 15.62 @4.24 release 9.39 @4.25 addr_free 0.50 @4.26
-- vmm after a gap of launches, 2 MiB, nominal 5 ms, 12 cycles, us median @ ms since the call's last (median): reserve 0.99 @10.24 create 9.64 @10.23 map 0.88 @10.24 set_access 21.56 @10.22 unmap 16.05 @10.23 release 9.37 @10.24 addr_free 0.53 @10.25
-- vmm after a gap of launches, 2 MiB, nominal 10 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.14 @20.25 create 10.36 @20.24 map 0.97 @20.25 set_access 22.51 @20.23 unmap 17.77 @20.25 release 9.89 @20.26 addr_free 0.51 @20.27
-- vmm after a gap of launches, 2 MiB, nominal 20 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.14 @40.25 create 10.41 @40.25 map 0.99 @40.26 set_access 22.87 @40.23 unmap 17.41 @40.25 release 9.91 @40.26 addr_free 0.53 @40.27
-- vmm after a gap of launches, 2 MiB, nominal 50 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.35 @100.31 create 11.87 @100.29 map 1.15 @100.30 set_access 24.54 @100.28 unmap 19.35 @100.28 release 11.07 @100.29 addr_free 0.71 @100.30
-- vmm after a gap of launches, 64 MiB, nominal 0 ms, 12 cycles, us median @ ms since the call's last (median): reserve 2.64 @0.24 create 8.28 @0.23 map 0.69 @0.24 set_access 34.03 @0.21 unmap 21.95 @0.22 release 36.30 @0.21 addr_free 1.92 @0.24
-- vmm after a gap of launches, 64 MiB, nominal 1 ms, 12 cycles, us median @ ms since the call's last (median): reserve 2.92 @2.31 create 20.77 @2.29 map 0.77 @2.31 set_access 35.46 @2.27 unmap 23.16 @2.29 release 24.80 @2.29 addr_free 2.01 @2.31
-- vmm after a gap of launches, 64 MiB, nominal 2 ms, 12 cycles, us median @ ms since the call's last (median): reserve 2.93 @4.33 create 20.85 @4.32 map 0.82 @4.34 set_access 35.58 @4.30 unmap 23.06 @4.29 release 24.85 @4.29 addr_free 2.09 @4.31
-- vmm after a gap of launches, 64 MiB, nominal 5 ms, 12 cycles, us median @ ms since the call's last (median): reserve 3.17 @10.30 create 21.28 @10.28 map 0.86 @10.30 set_access 36.21 @10.26 unmap 23.48 @10.28 release 24.98 @10.27 addr_free 2.09 @10.30
-- vmm after a gap of launches, 64 MiB, nominal 10 ms, 12 cycles, us median @ ms since the call's last (median): reserve 3.47 @20.30 create 21.55 @20.28 map 0.89 @20.30 set_access 36.49 @20.26 unmap 24.15 @20.29 release 25.08 @20.29 addr_free 2.41 @20.31
-- vmm after a gap of launches, 64 MiB, nominal 20 ms, 12 cycles, us median @ ms since the call's last (median): reserve 3.92 @40.32 create 22.09 @40.30 map 0.99 @40.32 set_access 37.47 @40.28 unmap 24.72 @40.30 release 25.31 @40.30 addr_free 2.68 @40.32
-- vmm after a gap of launches, 64 MiB, nominal 50 ms, 12 cycles, us median @ ms since the call's last (median): reserve 5.64 @100.35 create 24.90 @100.34 map 1.36 @100.36 set_access 40.61 @100.31 unmap 27.94 @100.33 release 27.00 @100.34 addr_free 5.29 @100.36
-- vmm after a gap of serving steps, 2 MiB, nominal 0 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 0.75 @0.20 create 8.14 @0.19 map 0.74 @0.20 set_access 19.78 @0.18 unmap 14.44 @0.18 release 8.99 @0.19 addr_free 0.52 @0.20
-- vmm after a gap of serving steps, 2 MiB, nominal 1 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 0.99 @3.01 create 9.03 @3.00 map 0.80 @3.01 set_access 20.94 @2.99 unmap 15.36 @3.00 release 9.32 @3.00 addr_free 0.53 @3.01
-- vmm after a gap of serving steps, 2 MiB, nominal 2 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 1.02 @4.41 create 9.42 @4.40 map 0.89 @4.41 set_access 21.95 @4.39 unmap 15.83 @4.39 release 9.49 @4.40 addr_free 0.57 @4.41
-- vmm after a gap of serving steps, 2 MiB, nominal 5 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 1.05 @11.41 create 9.69 @11.40 map 0.92 @11.41 set_access 22.16 @11.38 unmap 16.25 @11.40 release 9.82 @11.40 addr_free 0.56 @11.41
-- vmm after a gap of serving steps, 2 MiB, nominal 10 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 1.39 @21.26 create 11.42 @21.25 map 1.16 @21.26 set_access 24.76 @21.24 unmap 18.08 @21.24 release 10.41 @21.25 addr_free 0.68 @21.26
-- vmm after a gap of serving steps, 2 MiB, nominal 20 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 1.50 @40.87 create 12.23 @40.85 map 1.16 @40.87 set_access 25.49 @40.84 unmap 19.03 @40.87 release 10.97 @40.88 addr_free 0.72 @40.89
-- vmm after a gap of serving steps, 2 MiB, nominal 50 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 1.60 @101.18 create 13.76 @101.17 map 1.28 @101.18 set_access 27.34 @101.16 unmap 21.37 @101.17 release 11.91 @101.18 addr_free 0.82 @101.19
-- vmm after a gap of serving steps, 2 MiB, nominal 200 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 3.12 @401.33 create 23.91 @401.31 map 1.99 @401.34 set_access 38.40 @401.30 unmap 32.66 @401.29 release 17.49 @401.31 addr_free 1.08 @401.33
-- vmm after a gap of serving steps, 2 MiB, nominal 500 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 5.50 @1001.35 create 36.49 @1001.31 map 3.62 @1001.35 set_access 55.13 @1001.30 unmap 67.85 @1001.38 release 32.04 @1001.42 addr_free 2.55 @1001.44
-- vmm after a gap of serving steps, 64 MiB, nominal 0 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 2.60 @0.24 create 8.38 @0.24 map 0.71 @0.24 set_access 35.68 @0.21 unmap 22.08 @0.22 release 37.13 @0.21 addr_free 1.82 @0.24
-- vmm after a gap of serving steps, 64 MiB, nominal 1 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 3.15 @3.19 create 21.73 @3.17 map 0.92 @3.19 set_access 37.04 @3.15 unmap 23.16 @3.17 release 25.17 @3.17 addr_free 2.18 @3.19
-- vmm after a gap of serving steps, 64 MiB, nominal 2 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 3.03 @4.57 create 21.79 @4.55 map 0.89 @4.57 set_access 36.72 @4.54 unmap 23.46 @4.56 release 25.19 @4.55 addr_free 2.15 @4.58
-- vmm after a gap of serving steps, 64 MiB, nominal 5 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 3.56 @10.89 create 22.48 @10.87 map 1.00 @10.89 set_access 38.32 @10.85 unmap 24.21 @10.87 release 25.84 @10.87 addr_free 2.40 @10.89
-- vmm after a gap of serving steps, 64 MiB, nominal 10 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 4.12 @21.40 create 23.82 @21.38 map 1.04 @21.40 set_access 40.65 @21.37 unmap 25.65 @21.39 release 26.32 @21.39 addr_free 2.70 @21.41
-- vmm after a gap of serving steps, 64 MiB, nominal 20 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 5.06 @41.03 create 25.33 @41.01 map 1.26 @41.03 set_access 42.96 @40.99 unmap 28.07 @41.01 release 27.68 @41.01 addr_free 3.81 @41.03
-- vmm after a gap of serving steps, 64 MiB, nominal 50 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 6.04 @101.20 create 27.44 @101.18 map 1.51 @101.20 set_access 45.16 @101.16 unmap 30.73 @101.19 release 28.78 @101.19 addr_free 4.53 @101.21
-- vmm after a gap of serving steps, 64 MiB, nominal 200 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 10.41 @401.35 create 41.74 @401.33 map 2.71 @401.37 set_access 62.43 @401.30 unmap 44.55 @401.31 release 34.92 @401.33 addr_free 7.25 @401.36
-- vmm after a gap of serving steps, 64 MiB, nominal 500 ms, 12 cycles, read kernels of 0.50 ms, us median @ ms since the call's last (median): reserve 15.55 @1001.05 create 55.14 @1001.02 map 3.94 @1001.08 set_access 74.96 @1001.01 unmap 65.22 @1000.99 release 44.20 @1001.01 addr_free 10.59 @1001.04
-- vmm growth on the launching thread, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 9.02 (38.28/8.54/10.09) map 1.01 (3.25/0.89/1.32) set_access 26.68 (70.78/25.70/27.91)
-- vmm growth on one thread kept for the series, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 8.79 (56.09/7.90/10.80) map 0.80 (5.73/0.64/2.96) set_access 25.73 (92.43/23.59/27.42)
-- vmm growth on a new thread per handle, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 12.72 (18.75/9.98/42.72) map 1.48 (2.62/0.98/5.79) set_access 30.63 (55.28/25.71/65.93)
-- vmm growth on the launching thread, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 9.23 (23.67/8.62/9.84) map 1.05 (2.88/0.85/1.43) set_access 26.95 (61.56/24.76/46.93)
-- vmm growth on one thread kept for the series, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 9.80 (49.56/8.89/49.56) map 1.06 (4.42/0.92/3.02) set_access 27.52 (86.37/25.01/53.24)
-- vmm growth on a new thread per handle, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 21.84 (32.38/12.29/44.77) map 3.11 (2.31/1.48/5.90) set_access 49.72 (70.38/38.19/70.38)
-- vmm reserve / free of 16 MiB ranges among live ranges, us median per window of calls (live: reserve free): 0: 0.32 0.32 32: 0.91 0.84 96: 2.35 0.97 160: 1.81 0.99 224: 2.17 1.01 288: 2.71 0.98 352: 3.04 1.02 416: 3.44 1.06 480: 3.88 1.11 544: 4.28 1.09 608: 4.65 1.09 672: 5.09 1.13 736: 5.44 1.10 800: 5.87 1.14 864: 6.36 1.16 928: 6.43 1.17 992: 6.89 1.51
-- vmm factors over isolation at the granularity (busy, after_step): reserve 1.344 2.148 create 1.069 1.181 map 1.130 1.458 set_access 1.337 1.113 unmap 1.906 1.100 release 1.053 1.067 free_va 1.206 1.441
return {
  name = "h100-measured",
  gpus_per_server = 1, -- cudaGetDeviceCount
  servers = 1, -- one machine
  hbm_bytes = 85017493504, -- cudaMemGetInfo total
  hbm_bw = 3.28e+12, -- best read stream (kernels and launch shapes above)
  d2d_bw = 2.956e+12, -- cudaMemcpyAsync D2D 256 MiB, read+write
  flops = 7.883e+14, -- cuBLAS bf16 GEMM
  sms = 132, -- device property
  kernel_launch = 2.588e-06, -- empty kernels back to back
  pcie_bw = 5.528e+10, -- min(H2D, D2H) at 256 MiB, pinned
  pcie_lat = 1.115e-06, -- zero-copy dependent read round trip
  copy_overhead = 2.236e-06, -- fixed cost per cudaMemcpyAsync
  sm_copy_bw_per_sm = 4.11e+10, -- kv_transfer_launch on 1 SM
  sm_duplex_bw = 8.441e+10, -- kv_transfer_pair_launch both ways at once, 8 SMs, aggregate
  gpus_per_uplink = 0, -- not measured: own link assumed
  uplink_bw = 0, -- not measured (gpus_per_uplink = 0)
  host_bw = 1.013e+11, -- duplex DMA aggregate: lower bound of host DRAM bw for DMA
  nvlink_bw = 0, -- not measured (one GPU)
  nvlink_lat = 0, -- not measured (one GPU)
  nic_bw = 0, -- no inter-server tier
  nic_lat = 0, -- no inter-server tier
  vmm_reserve = 6.97e-07, -- cuMemAddressReserve, granularity range, cycles after a step, median
  vmm_create = 8.848e-06, -- cuMemCreate, cycles after a step, median
  vmm_map = 8.28e-07, -- cuMemMap, cycles after a step, median
  vmm_set_access = 2.09e-05, -- cuMemSetAccess, cycles after a step, median
  vmm_unmap = 1.488e-05, -- cuMemUnmap, cycles after a step, median
  vmm_release = 9.332e-06, -- cuMemRelease, cycles after a step, median
  vmm_granularity = 2097152, -- cuMemGetAllocationGranularity minimum
  vmm_reserve_per_mib = 1.341e-09, -- size slope: (largest - smallest handle median) / MiB, isolation
  vmm_create_per_mib = 1.22e-08, -- size slope, isolation
  vmm_map_per_mib = 1.13e-10, -- size slope, isolation
  vmm_set_access_per_mib = 3.693e-08, -- size slope, isolation
  vmm_unmap_per_mib = 1.557e-08, -- size slope, isolation
  vmm_release_per_mib = 2.446e-07, -- size slope, isolation
  table_write = 4.4e-06, -- 4 KiB H2D from pinned right after a step, events, median
  -- measured curves (every raw one in h100-measured.curves.csv)
  vmm_reserve_curve = { {2097152, 3.2450000730932516e-07}, {4194304, 4.0900000186638863e-07}, {8388608, 4.8399999741377542e-07}, {16777216, 4.0549999980044049e-07}, {67108864, 1.640499988297961e-06}, {268435456, 1.9159999986584353e-06}, {1073741824, 1.3585000004923131e-06}, {17179869184, 1.3060000014775142e-06}, {274877906944, 1.2539999971750149e-06}, {1099511627776, 1.3219999885905054e-06} }, -- s per call by range bytes, isolation
  vmm_create_curve = { {2097152, 7.491000001635939e-06}, {4194304, 7.4730000001466124e-06}, {8388608, 7.5020000025460831e-06}, {16777216, 7.4689999998156509e-06}, {67108864, 8.0744999984005972e-06}, {268435456, 1.0460999998684883e-05}, {1073741824, 1.9960500001303672e-05} }, -- s per call by handle bytes, isolation
  vmm_map_curve = { {2097152, 5.6799999725853922e-07}, {4194304, 5.500000028746399e-07}, {8388608, 5.5499999973562808e-07}, {16777216, 5.5600000337108213e-07}, {67108864, 5.6850000262897993e-07}, {268435456, 6.1900000503101182e-07}, {1073741824, 6.8349999793326788e-07} }, -- s per call by handle bytes, isolation
  vmm_set_access_curve = { {2097152, 1.8776499999262342e-05}, {4194304, 1.8546500001548338e-05}, {8388608, 1.8646000000899221e-05}, {16777216, 1.8752000002564273e-05}, {67108864, 3.2686000004389371e-05}, {268435456, 3.4357499998804997e-05}, {1073741824, 5.6517500002684073e-05} }, -- s per call by handle bytes, isolation
  vmm_unmap_curve = { {2097152, 1.3524499998140982e-05}, {4194304, 1.3442500002014413e-05}, {8388608, 1.3477500001357612e-05}, {16777216, 1.3726999995355982e-05}, {67108864, 2.1018999998290155e-05}, {268435456, 2.1134000000699871e-05}, {1073741824, 2.9437499996731731e-05} }, -- s per call by handle bytes, isolation
  vmm_release_curve = { {2097152, 8.7454999970759673e-06}, {4194304, 9.9649999967255098e-06}, {8388608, 1.181000000016752e-05}, {16777216, 1.530049999942662e-05}, {67108864, 2.4785000000804303e-05}, {268435456, 7.2010999996763303e-05}, {1073741824, 0.00025877449999711644} }, -- s per call by handle bytes, isolation
  vmm_free_va_curve = { {2097152, 3.1600001193510252e-07}, {4194304, 3.9999999756901161e-07}, {8388608, 4.0199999773449235e-07}, {16777216, 3.9499999360259608e-07}, {67108864, 1.2590000011414304e-06}, {268435456, 1.4579999998431958e-06}, {1073741824, 1.1915000044382396e-06}, {17179869184, 1.2274999789951835e-06}, {274877906944, 2.0235000022239547e-06}, {1099511627776, 1.9299999962640868e-06} }, -- s per call by range bytes, isolation
  vmm_reserve_live = { {16, 1.4052387931538104}, {128, 1.2788905793990872}, {1024, 1.2465330989410921}, {4096, 1.2819722327349943} }, -- idle call among x live handles / isolated
  vmm_create_live = { {16, 1.0030036043359214}, {128, 1.0359765050256355}, {1024, 1.0319049523970727}, {4096, 1.0467894800658357} }, -- idle call among x live handles / isolated
  vmm_map_live = { {16, 1.2059859210209478}, {128, 1.1029929636378628}, {1024, 1.1144366297391683}, {4096, 1.1399647978612863} }, -- idle call among x live handles / isolated
  vmm_set_access_live = { {16, 1.0054855804554033}, {128, 1.0706201901116663}, {1024, 1.0704870448511914}, {4096, 1.0867307539520097} }, -- idle call among x live handles / isolated
  vmm_unmap_live = { {16, 1.0027357760409981}, {128, 1.0988945988754724}, {1024, 1.0941254761710064}, {4096, 1.0815556951490766} }, -- idle call among x live handles / isolated
  vmm_release_live = { {16, 1.0566005376527512}, {128, 1.0511120006411596}, {1024, 1.1068549545254924}, {4096, 1.1138299700148446} }, -- idle call among x live handles / isolated
  vmm_free_va_live = { {16, 1.2879746402810079}, {128, 1.2405062949586905}, {1024, 1.2310126124029097}, {4096, 1.3180379159080799} }, -- idle call among x live handles / isolated
  vmm_create_grow = { {2097152, 8.6209999992092889e-06}, {67108864, 8.9125000002354682e-06} }, -- s per call growing the pool, by handle bytes
  vmm_map_grow = { {2097152, 8.4149999679539178e-07}, {67108864, 8.5150000117550917e-07} }, -- s per call growing the pool, by handle bytes
  vmm_set_access_grow = { {2097152, 2.1762500001187846e-05}, {67108864, 2.198450000179264e-05} }, -- s per call growing the pool, by handle bytes
  vmm_reserve_live_va = { {32, 2.2515412929195082}, {96, 5.7866831026620442}, {160, 4.4722564558480524}, {224, 5.3575832778647108}, {288, 6.6831072880193219}, {352, 7.5055487123349156}, {416, 8.4907521548697904}, {480, 9.5758323230586715}, {544, 10.553637464957692}, {608, 11.456226883322215}, {672, 12.554870515063667}, {736, 13.410604169582177}, {800, 14.482120839173225}, {864, 15.696670760333207}, {928, 15.860665846181096}, {992, 17.001233041344658} }, -- among x live ranges / none
  vmm_free_va_live_va = { {32, 2.1303797732260548}, {96, 2.4582278664540125}, {160, 2.5189873661362197}, {224, 2.5569620804202353}, {288, 2.475949414177292}, {352, 2.5898734131219472}, {416, 2.6873418176694424}, {480, 2.8025317339633693}, {544, 2.7468355079329219}, {608, 2.7531645910034102}, {672, 2.8620253522731529}, {736, 2.7860759956588175}, {800, 2.8911392926955286}, {864, 2.9443038639116725}, {928, 2.9683544947054403}, {992, 3.8139241086740414} }, -- among x live ranges / none
  vmm_reserve_gap = {
    { 2097152, { {0.00025000000000000001, 6.9799999735664642e-07}, {0.0022799999999999999, 8.319999977857151e-07}, {0.0044299999999999999, 9.5000000044365152e-07}, {0.01042, 8.5099999580506847e-07}, {0.020289999999999999, 8.4999999927504177e-07}, {0.04027, 9.6899999846300489e-07}, {0.10034, 1.0159999987990886e-06}, {0.40033000000000002, 1.2440000034530385e-06}, {1.0004200000000001, 2.8850000006741539e-06} } },
    { 67108864, { {0.00025000000000000001, 2.489499991042976e-06}, {0.0022699999999999999, 2.8629999917484383e-06}, {0.0042900000000000004, 2.7329999880976175e-06}, {0.010330000000000001, 2.7439999996659026e-06}, {0.020369999999999999, 3.1739999997171253e-06}, {0.040410000000000001, 3.3710000053588374e-06}, {0.10029, 3.9110000074060736e-06}, {0.40034999999999998, 6.9249999938847395e-06}, {1.0004599999999999, 1.1162000006947892e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_create_gap = {
    { 2097152, { {0.00023000000000000001, 1.9651999998870906e-05}, {0.0022699999999999999, 8.6339999967322001e-06}, {0.0044200000000000003, 9.994999999207721e-06}, {0.010410000000000001, 8.7799999946014395e-06}, {0.020279999999999999, 8.9709999997467094e-06}, {0.040259999999999997, 9.4889999999736574e-06}, {0.10033, 1.1433000004501537e-05}, {0.40032000000000001, 1.1461999996242866e-05}, {1.0004, 2.2603999994430524e-05} } },
    { 67108864, { {0.00024000000000000001, 8.3474999996724364e-06}, {0.0022499999999999998, 2.1650000007866765e-05}, {0.0042700000000000004, 2.1895000003269161e-05}, {0.010319999999999999, 2.1932999999307867e-05}, {0.02035, 2.2667999999725907e-05}, {0.040399999999999998, 2.2301999990759214e-05}, {0.10027, 2.2712000003366484e-05}, {0.40033000000000002, 2.650599999753922e-05}, {1.0004299999999999, 3.8665000005266847e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_map_gap = {
    { 2097152, { {0.00025000000000000001, 7.1450000049821938e-07}, {0.0022799999999999999, 7.3999999727902832e-07}, {0.0044299999999999999, 8.0799999579994619e-07}, {0.01042, 7.6499999579482392e-07}, {0.020289999999999999, 7.7300000356217424e-07}, {0.04027, 7.6999999976123945e-07}, {0.10034, 8.1499999993184247e-07}, {0.40033999999999997, 1.0999999986438525e-06}, {1.0004200000000001, 2.2410000042327738e-06} } },
    { 67108864, { {0.00025000000000000001, 7.0949999297909017e-07}, {0.0022799999999999999, 8.5499999613602995e-07}, {0.0042900000000000004, 8.1899999315737659e-07}, {0.01034, 8.3000000472566171e-07}, {0.020369999999999999, 7.7200000703214755e-07}, {0.040419999999999998, 8.1800000373277726e-07}, {0.10029, 9.299999987888441e-07}, {0.40035999999999999, 1.4290000081018661e-06}, {1.00048, 2.5769999894009743e-06} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_set_access_gap = {
    { 2097152, { {0.00023000000000000001, 1.9299499999902991e-05}, {0.0022599999999999999, 2.0403999997142819e-05}, {0.0044000000000000003, 2.2558000004835321e-05}, {0.0104, 2.082099999967113e-05}, {0.02026, 2.1055999994246122e-05}, {0.040250000000000001, 2.1589999995796916e-05}, {0.10032000000000001, 2.2588000000212105e-05}, {0.40032000000000001, 2.4875000008250936e-05}, {1.00038, 4.0351999999188592e-05} } },
    { 67108864, { {0.00021000000000000001, 3.4457500007079034e-05}, {0.0022399999999999998, 3.5384000000249216e-05}, {0.0042599999999999999, 3.5388000000580178e-05}, {0.0103, 3.5748000001945002e-05}, {0.020330000000000001, 3.6495999992780526e-05}, {0.040379999999999999, 3.6367999996400613e-05}, {0.10026, 3.7656000003494228e-05}, {0.40032000000000001, 4.3285000003834284e-05}, {1.0004200000000001, 5.5708999994408259e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_unmap_gap = {
    { 2097152, { {0.00024000000000000001, 1.4141999997718813e-05}, {0.0022699999999999999, 1.4935999999465821e-05}, {0.0043899999999999998, 1.5541999999868494e-05}, {0.01039, 1.5177999998172709e-05}, {0.020279999999999999, 1.5191999999331074e-05}, {0.040259999999999997, 1.5793999999402786e-05}, {0.10032000000000001, 1.7804000002286102e-05}, {0.40032000000000001, 1.8466000000216809e-05}, {1.0003599999999999, 3.0653999999685766e-05} } },
    { 67108864, { {0.00023000000000000001, 2.187599999814438e-05}, {0.0022599999999999999, 2.3108999997134561e-05}, {0.00428, 2.3444000007089016e-05}, {0.01031, 2.3401000007083894e-05}, {0.02034, 2.4378000006208822e-05}, {0.040390000000000002, 2.383399998961977e-05}, {0.10034, 2.4719999998978892e-05}, {0.40034999999999998, 2.875699999549397e-05}, {1.0004500000000001, 3.9470000004371286e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_release_gap = {
    { 2097152, { {0.00023000000000000001, 2.0775000002970501e-05}, {0.0022699999999999999, 9.0819999982727495e-06}, {0.0044000000000000003, 9.8520000051394163e-06}, {0.0104, 9.0300000010756776e-06}, {0.020279999999999999, 9.1870000034077748e-06}, {0.04027, 9.3239999969796372e-06}, {0.10034999999999999, 9.9670000039964179e-06}, {0.40033000000000002, 1.0581999994485614e-05}, {1.0003899999999999, 1.6545999997674699e-05} } },
    { 67108864, { {0.00021000000000000001, 3.7081999998633819e-05}, {0.0022599999999999999, 2.5075000010588155e-05}, {0.00428, 2.5122000010924239e-05}, {0.01031, 2.4699999997324085e-05}, {0.02034, 2.539499999443251e-05}, {0.040390000000000002, 2.5162000000022999e-05}, {0.10034999999999999, 2.5377000000048611e-05}, {0.40034999999999998, 2.7789999990091019e-05}, {1.00047, 3.3831000010309253e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_free_va_gap = {
    { 2097152, { {0.00025000000000000001, 4.5450000385471867e-07}, {0.0022799999999999999, 4.7900000055278724e-07}, {0.0044099999999999999, 5.6799999725853922e-07}, {0.010410000000000001, 4.7900000055278724e-07}, {0.020289999999999999, 4.6699999955990279e-07}, {0.040280000000000003, 5.0399999906858284e-07}, {0.10036, 5.0500000270403689e-07}, {0.40033999999999997, 6.3699999941491114e-07}, {1.0004, 1.2130000044408007e-06} } },
    { 67108864, { {0.00025000000000000001, 1.8664999998918574e-06}, {0.0022799999999999999, 2.1049999929800833e-06}, {0.0043, 2.0149999926388773e-06}, {0.010330000000000001, 1.9679999923027935e-06}, {0.02036, 2.308000006223665e-06}, {0.040410000000000001, 2.6120000029550283e-06}, {0.10037, 2.5869999973338054e-06}, {0.40039000000000002, 4.1740000114032227e-06}, {1.0004999999999999, 7.2850000094604184e-06} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_reserve_busy = 1.0506024049765523, -- busy / idle among the same live handles at the granularity
  vmm_create_busy = 1.0315701311102694, -- busy / idle among the same live handles at the granularity
  vmm_map_busy = 1.0247406217049324, -- busy / idle among the same live handles at the granularity
  vmm_set_access_busy = 1.2486257928968789, -- busy / idle among the same live handles at the granularity
  vmm_unmap_busy = 1.7341542188172301, -- busy / idle among the same live handles at the granularity
  vmm_release_busy = 1.0021212949026821, -- busy / idle among the same live handles at the granularity
  vmm_free_va_busy = 0.97193876441259786, -- busy / idle among the same live handles at the granularity
  vmm_reserve_after_step = 1.6795180561578047, -- after_step / idle among the same live handles at the granularity
  vmm_create_after_step = 1.1401971519274461, -- after_step / idle among the same live handles at the granularity
  vmm_map_after_step = 1.3216280935055866, -- after_step / idle among the same live handles at the granularity
  vmm_set_access_after_step = 1.0395721925203625, -- after_step / idle among the same live handles at the granularity
  vmm_unmap_after_step = 1.0009756423005132, -- after_step / idle among the same live handles at the granularity
  vmm_release_after_step = 1.0152298070109156, -- after_step / idle among the same live handles at the granularity
  vmm_free_va_after_step = 1.1619897759426765, -- after_step / idle among the same live handles at the granularity
  copy_h2d_curve = { {4096, 2.5186080019921064e-06}, {16384, 2.7953442186117173e-06}, {65536, 3.7313918583095074e-06}, {262144, 7.239503785967827e-06}, {1048576, 2.1667594090104105e-05}, {4194304, 7.8469000756740574e-05}, {16777216, 0.00030552801489830016}, {67108864, 0.0012145620584487916}, {268435456, 0.0048512082099914549} }, -- s per cudaMemcpyAsync by bytes, back to back
  copy_d2h_curve = { {4096, 1.8989118980243803e-06}, {16384, 2.0937600638717412e-06}, {65536, 3.2135359942913058e-06}, {262144, 6.3305441290140151e-06}, {1048576, 2.0506469532847407e-05}, {4194304, 7.7236503362655638e-05}, {16777216, 0.0003043630123138428}, {67108864, 0.0012147560119628907}, {268435456, 0.0048562159538269043} }, -- s per cudaMemcpyAsync by bytes, back to back
  sm_copy_h2d_curve = { {1, 38007030738.965034}, {2, 51181255977.971375}, {4, 50920287688.235207}, {8, 50907923923.35424}, {16, 50989617429.865112}, {32, 51044224043.070282}, {64, 51062869097.751549} }, -- B/s by SMs, 65536-byte pages
  sm_copy_d2h_curve = { {1, 44184986366.684792}, {2, 52196524257.437225}, {4, 52301970056.951225}, {8, 52557563903.851624}, {16, 52568105880.39254}, {32, 52576015138.504532}, {64, 52558883873.221924} }, -- B/s by SMs, 65536-byte pages
  sm_copy_page_h2d_curve = { {256, 0.65675570184706689}, {4096, 0.99820690674895074}, {65536, 1} }, -- rate by page bytes over the 65536-byte page's, at 8 SMs
  sm_copy_page_d2h_curve = { {256, 0.99583225640901685}, {4096, 0.99897361687062369}, {65536, 1} }, -- rate by page bytes over the 65536-byte page's, at 8 SMs
  sm_copy_grid_h2d = {
    { 256, { {1, 4350305981.3703184}, {2, 8711563092.1072044}, {4, 17282842604.984703}, {8, 33434069305.8596}, {16, 50624053439.05127}, {32, 50112358104.775467}, {64, 50252853546.534355} } },
    { 4096, { {1, 33080194661.716541}, {2, 51221258240.719276}, {4, 50799408637.020218}, {8, 50816641268.542343}, {16, 50846213419.654213}, {32, 50949976018.014183}, {64, 51055408515.521538} } },
    { 65536, { {1, 38007030738.965034}, {2, 51181255977.971375}, {4, 50920287688.235207}, {8, 50907923923.35424}, {16, 50989617429.865112}, {32, 51044224043.070282}, {64, 51062869097.751549} } },
  }, -- B/s by SMs, one row per page bytes
  sm_copy_grid_d2h = {
    { 256, { {1, 7451692240.7474318}, {2, 14822014523.529972}, {4, 29621209104.301918}, {8, 52338517453.733658}, {16, 51807115858.768425}, {32, 51497974469.673462}, {64, 51904564690.483177} } },
    { 4096, { {1, 43236682699.043861}, {2, 52099274082.583672}, {4, 52377732797.275589}, {8, 52503619706.93959}, {16, 52470778114.935951}, {32, 52552299406.826157}, {64, 52524659713.635101} } },
    { 65536, { {1, 44184986366.684792}, {2, 52196524257.437225}, {4, 52301970056.951225}, {8, 52557563903.851624}, {16, 52568105880.39254}, {32, 52576015138.504532}, {64, 52558883873.221924} } },
  }, -- B/s by SMs, one row per page bytes
  sm_copy_threads_grid_h2d = {
    { 128, { {1, 5420804209.7732286}, {2, 10806162921.002958}, {4, 21206059001.228329}, {8, 40196116897.080292}, {16, 51228767375.54097}, {32, 50909162331.585747}, {64, 50890629336.320145} } },
    { 256, { {1, 10566967520.172726}, {2, 20781370492.69265}, {4, 39788869365.650513}, {8, 51230016781.033997}, {16, 50921522091.983475}, {32, 50884456202.558746}, {64, 50995816107.17067} } },
    { 512, { {1, 20469405314.959507}, {2, 39255602521.515411}, {4, 51117632803.594856}, {8, 50837585610.592644}, {16, 50921522091.983475}, {32, 51021869792.513947}, {64, 51020630518.914337} } },
    { 1024, { {1, 39177134207.275345}, {2, 51170016305.990082}, {4, 50808023491.577118}, {8, 50905456494.012375}, {16, 51011943421.666328}, {32, 51049195343.401833}, {64, 51040498517.002258} } },
  }, -- B/s by SMs, one row per threads per block, 64 KiB pages
  sm_copy_threads_grid_d2h = {
    { 128, { {1, 11871858600.327936}, {2, 23454402979.520279}, {4, 46606485701.077011}, {8, 51849382612.491806}, {16, 51927699278.621582}, {32, 52119991202.818024}, {64, 52398672010.377159} } },
    { 256, { {1, 22638873420.931389}, {2, 44907857988.036217}, {4, 51832721528.973984}, {8, 52006248087.359047}, {16, 52210819639.10788}, {32, 52337208529.632698}, {64, 52427487728.158958} } },
    { 512, { {1, 34714738093.871323}, {2, 51720232192.239967}, {4, 51866054410.51403}, {8, 52180940419.484184}, {16, 52469462567.195732}, {32, 52490475201.436073}, {64, 52524659713.635101} } },
    { 1024, { {1, 44184056961.00563}, {2, 52056594286.277351}, {4, 52235527029.677887}, {8, 52520710059.282959}, {16, 52553614205.68438}, {32, 52531237255.265907}, {64, 52541763768.338356} } },
  }, -- B/s by SMs, one row per threads per block, 64 KiB pages
  batch_h2d_curve = { {4096, 4.6712500625289976e-07}, {16384, 5.2237499039620165e-07}, {65536, 1.3475000159814954e-06}, {262144, 4.8981248401105404e-06}, {1048576, 1.908775046467781e-05}, {4194304, 7.5866878032684328e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_d2h_curve = { {4096, 4.2437500087544324e-07}, {16384, 4.8799999058246612e-07}, {65536, 1.3279999839141966e-06}, {262144, 4.8771249130368234e-06}, {1048576, 1.9092625007033347e-05}, {4194304, 7.5986623764038089e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_call = 2.6660500001440823e-05, -- s of host time per batched call
  batch_call_curve = { {64, 2.6660500001440823e-05} }, -- s of host time per batched call by entries
  attn_block_table_curve = { {1, 1.1706092678601838}, {4, 1.0551997868381806}, {16, 1.0437204653628434}, {64, 1.0456001150482386}, {256, 1.0387579267581264} }, -- time over contiguous by tokens per block
  attn_offset_table_curve = { {1, 1.224233668950427}, {4, 1.0911863587796735}, {16, 1.0402106312613431}, {64, 1.036830882640144}, {256, 1.0325017156316247} }, -- time over contiguous by tokens per block
  source = "kvsim-calibrate on NVIDIA H100 80GB HBM3, driver API 13000, 2026-12-06 04:49 UTC",
}
