-- Platform measured by kvsim-calibrate (kernels/calibrate.cu).
-- device: NVIDIA H100 80GB HBM3, 132 SMs, 85017493504 bytes (84465090560 free), 1 GPU(s), driver API 13000, 2026-12-05 23:58 UTC
-- pcie H2D 55.17 GB/s, D2H 55.16 GB/s at 256 MiB (pcie_bw = the lower)
-- copy fixed cost 2.28 us (median of time - bytes/bw, 4..64 KiB, both directions); 1-byte copies back to back 2.28 us each; 1-byte copy + sync round trip 5.57 us (median)
-- duplex (256 MiB each way at once): 72.86 GB/s aggregate (host_bw: a lower bound of host DRAM bandwidth for DMA)
-- device-to-device copy 256 MiB: 2955.8 GB/s counting read + write
-- HBM read stream, GB/s: unrolled x4, 1 GiB, 4 blocks/SM: 3102.4; weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM: 3277.8; weight read, 256 MiB once x 16 launches, 4 blocks/SM: 3012.3; weight read, 1 GiB once, 4 blocks/SM: 3088.7; weight read, 1 GiB once, 8 blocks/SM: 3092.6; weight read, 1 GiB once, 16 blocks/SM: 3093.1; weight read, 2 GiB once, 4 blocks/SM: 3096.8
-- HBM read stream: 3277.8 GB/s, the best (weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM) (hbm_bw)
-- bf16 matrix product 8192x8192x8192 (cuBLAS, random data): 788 TFLOP/s
-- kernel launch: 2.66 us each back to back; launch + sync round trip 7.92 us (median)
-- table write (4 KiB H2D from pinned memory between CUDA events on an idle stream, as the GPU backend does): median 3.84 us, p10 3.68, p90 4.13 (table_write); the same copies queued back to back 3.81 us; the former definition, 4 KiB H2D + kernel launch back to back, 10.26 us
-- table write right after a step (a read stream of a few ms on the same stream, then a host sync, then the event pair and the copy; 100 times): median 4.80 us, p10 4.58, p90 5.09
-- zero-copy dependent read of mapped host memory: 1.18 us each (pcie_lat = round trip)
-- host memcpy 256 MiB, one thread: 12.2 GB/s (one CPU core; not host_bw, which is the duplex DMA figure)
-- batch check: 768 entries (every size, both directions) equal their sources byte for byte
-- SM copy check: 559104 pages (every page size, both directions, 8 SMs) equal their sources byte for byte; threads per block: 1024, kv_transfer_launch's (the next table varies them)
-- SM copy with 1 SM, 64 KiB pages, mean of both directions: 39.00 GB/s (sm_copy_bw_per_sm)
-- SM copy both directions at once (kv_transfer_pair_launch, 8 SMs, 64 KiB pages, 64 MiB each way): 52.53 GB/s aggregate (sm_duplex_bw)
-- SM copy by threads check: 8192 pages (every block size, both directions, 8 SMs) equal their sources byte for byte
-- attention check: block-table and offset-table outputs equal the contiguous one at every block size (worst relative L2 0, tolerance 1e-05); contiguous vs float64 CPU reference on 4 requests 1.5e-07 (tolerance 1e-3)
-- vmm 2 MiB medians in isolation (us): reserve 0.49 create 7.74 map 0.56 set_access 19.29 unmap 13.87 release 9.00 addr_free 0.40
-- vmm 4 MiB medians in isolation (us): reserve 0.38 create 7.71 map 0.56 set_access 19.07 unmap 13.71 release 10.23 addr_free 0.40
-- vmm 8 MiB medians in isolation (us): reserve 0.48 create 7.72 map 0.57 set_access 19.19 unmap 13.77 release 12.00 addr_free 0.41
-- vmm 16 MiB medians in isolation (us): reserve 0.41 create 7.75 map 0.56 set_access 19.33 unmap 13.94 release 15.48 addr_free 0.40
-- vmm 64 MiB medians in isolation (us): reserve 2.07 create 8.27 map 0.62 set_access 33.30 unmap 21.55 release 24.92 addr_free 1.61
-- vmm 256 MiB medians in isolation (us): reserve 2.00 create 11.18 map 0.64 set_access 35.17 unmap 21.61 release 71.38 addr_free 1.59
-- vmm 1024 MiB medians in isolation (us): reserve 2.08 create 24.74 map 0.72 set_access 57.69 unmap 30.20 release 263.39 addr_free 2.13
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU idle, us median (p10/p90): reserve 0.42 (0.37/0.55) create 8.07 (7.79/8.99) map 0.67 (0.60/0.85) set_access 21.20 (20.79/23.16) unmap 16.19 (15.42/17.66) release 9.88 (9.46/10.86) addr_free 0.41 (0.37/0.49)
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU busy with a read stream, us median (p10/p90): reserve 0.42 (0.37/0.54) create 8.35 (7.98/8.76) map 0.67 (0.61/0.84) set_access 25.73 (20.80/27.92) unmap 25.57 (15.74/28.20) release 9.68 (9.35/10.13) addr_free 0.40 (0.37/0.52); 18 reads launched
-- vmm 2 MiB, 200 cycles among 128 live handles, each cycle right after a step, us median (p10/p90): reserve 0.69 (0.61/0.79) create 9.22 (8.81/200.75) map 0.91 (0.81/1.17) set_access 22.51 (21.94/23.50) unmap 17.27 (16.37/18.38) release 10.18 (9.71/10.82) addr_free 0.47 (0.43/0.54)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 16 live handles, GPU idle, us median (p10/p90): reserve 0.44 (0.40/0.55) create 7.80 (7.65/8.03) map 0.71 (0.63/0.81) set_access 19.34 (18.98/20.17) unmap 13.86 (13.60/14.47) release 9.54 (9.38/9.73) addr_free 0.42 (0.38/0.49)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 1024 live handles, GPU idle, us median (p10/p90): reserve 0.42 (0.38/0.54) create 7.99 (7.77/8.30) map 0.67 (0.60/0.84) set_access 21.06 (20.77/21.95) unmap 16.44 (15.74/17.86) release 10.27 (9.86/10.94) addr_free 0.40 (0.39/0.48)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 4096 live handles, GPU idle, us median (p10/p90): reserve 0.43 (0.37/0.53) create 8.09 (7.87/8.44) map 0.70 (0.61/0.89) set_access 21.45 (21.04/22.48) unmap 16.67 (15.80/17.90) release 10.45 (10.06/10.95) addr_free 0.42 (0.41/0.51)
-- vmm 64 MiB, 200 cycles among 32 live handles, GPU idle, us median (p10/p90): reserve 1.77 (1.69/1.98) create 9.20 (8.53/20.92) map 0.74 (0.65/0.90) set_access 20.64 (20.12/23.04) unmap 14.21 (13.90/14.89) release 24.50 (24.04/36.49) addr_free 1.89 (1.76/2.26)
-- vmm 64 MiB, 200 cycles among 32 live handles, each cycle right after a step, us median (p10/p90): reserve 2.29 (2.10/3.01) create 21.20 (20.57/30.20) map 0.92 (0.82/1.13) set_access 22.19 (21.54/25.08) unmap 15.33 (14.77/16.38) release 24.99 (24.54/26.06) addr_free 2.02 (1.87/2.68)
-- vmm growth, fresh range: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 9.14 (93.35/8.68/10.45; 9.09, 9.35) map 1.02 (2.12/0.87/1.53; 1.04, 0.98) set_access 23.37 (46.51/22.14/27.56; 22.86, 24.47) unmap 17.03 (64.61/15.99/18.34; 17.52, 16.66) release 10.21 (32.28/9.76/10.79; 10.43, 10.14)
-- vmm growth, same range again: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 9.15 (34.03/8.72/10.23; 9.14, 9.25) map 1.05 (4.56/0.89/1.31; 1.05, 1.02) set_access 23.13 (72.03/22.22/26.90; 22.98, 23.29) unmap 17.10 (70.92/15.89/18.30; 17.37, 16.63) release 10.21 (31.90/9.76/10.71; 10.36, 10.17)
-- vmm growth, new range, memory recycled: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 9.21 (26.97/8.77/10.20; 9.11, 9.35) map 1.05 (5.00/0.89/1.33; 1.06, 1.06) set_access 23.27 (62.95/22.34/27.21; 23.05, 23.52) unmap 17.28 (67.58/16.08/18.81; 17.83, 16.81) release 10.32 (31.93/9.86/10.84; 10.51, 10.21)
-- vmm growth, fresh range: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 9.72 (35.35/9.10/10.53; 10.01, 9.64) map 1.07 (4.94/0.84/1.43; 1.10, 1.02) set_access 24.03 (74.41/23.06/40.81; 24.40, 23.73) unmap 15.41 (49.64/14.19/22.58; 16.96, 14.30) release 24.92 (41.77/24.25/36.88; 25.74, 24.75)
-- vmm growth, same range again: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 9.26 (127.46/8.72/10.39; 9.08, 9.34) map 0.88 (1.50/0.75/1.06; 0.95, 0.88) set_access 23.07 (41.84/21.92/40.11; 22.46, 23.47) unmap 14.73 (35.60/14.30/22.74; 15.44, 14.50) release 24.81 (32.97/24.26/36.61; 25.12, 24.52)
-- vmm growth, new range, memory recycled: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 9.03 (161.37/8.36/10.12; 9.07, 9.00) map 0.85 (2.09/0.71/1.06; 0.99, 0.82) set_access 22.97 (39.71/21.74/39.43; 22.39, 23.23) unmap 14.96 (30.14/14.22/22.59; 15.52, 14.64) release 24.87 (41.16/24.27/36.62; 24.94, 24.61)
-- vmm after a gap, 2 MiB, nominal 0 ms, 12 cycles, us median @ ms since the call's last (median): reserve 0.68 @0.25 create 19.54 @0.23 map 0.71 @0.25 set_access 20.24 @0.23 unmap 14.58 @0.24 release 20.80 @0.23 addr_free 0.47 @0.25
-- vmm after a gap, 2 MiB, nominal 1 ms, 12 cycles, us median @ ms since the call's last (median): reserve 0.91 @2.34 create 9.09 @2.33 map 0.75 @2.34 set_access 21.28 @2.32 unmap 15.44 @2.32 release 9.33 @2.33 addr_free 0.49 @2.34
-- vmm after a gap, 2 MiB, nominal 2 ms, 12 cycles, us median @ ms since the call's last (median): reserve 0.84 @4.39 create 8.98 @4.38 map 0.75 @4.39 set_access 21.04 @4.37 unmap 15.29 @4.49 release 9.49 @4.49 addr_free 0.50 @4.50
-- vmm after a gap, 2 MiB, nominal 5 ms, 12 cycles, us median @ ms since the call's last (median): reserve 0.85 @10.32 create 9.47 @10.31 map 0.86 @10.32 set_access 21.86 @10.30 unmap 16.30 @10.31 release 9.83 @10.32 addr_free 0.52 @10.33
-- vmm after a gap, 2 MiB, nominal 10 ms, 12 cycles, us median @ ms since the call's last (median): reserve 0.95 @20.36 create 10.90 @20.35 map 0.87 @20.36 set_access 23.27 @20.34 unmap 17.91 @20.35 release 10.39 @20.36 addr_free 0.54 @20.37
-- vmm after a gap, 2 MiB, nominal 20 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.11 @40.38 create 11.76 @40.37 map 1.08 @40.38 set_access 26.65 @40.36 unmap 18.60 @40.37 release 11.00 @40.38 addr_free 0.60 @40.39
-- vmm after a gap, 2 MiB, nominal 50 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.57 @100.34 create 14.42 @100.33 map 1.48 @100.34 set_access 28.02 @100.32 unmap 22.69 @100.37 release 12.42 @100.39 addr_free 0.75 @100.40
-- vmm after a gap, 2 MiB, nominal 200 ms, 12 cycles, us median @ ms since the call's last (median): reserve 3.13 @400.44 create 25.66 @400.42 map 2.56 @400.45 set_access 39.56 @400.42 unmap 31.70 @400.39 release 15.89 @400.42 addr_free 1.04 @400.44
-- vmm after a gap, 2 MiB, nominal 500 ms, 12 cycles, us median @ ms since the call's last (median): reserve 7.86 @1000.64 create 64.89 @1000.56 map 5.86 @1000.62 set_access 73.94 @1000.54 unmap 68.37 @1000.53 release 33.11 @1000.60 addr_free 2.64 @1000.64
-- vmm after a gap, 64 MiB, nominal 0 ms, 12 cycles, us median @ ms since the call's last (median): reserve 2.71 @0.25 create 8.76 @0.24 map 0.72 @0.25 set_access 35.16 @0.21 unmap 22.31 @0.23 release 36.85 @0.21 addr_free 1.87 @0.25
-- vmm after a gap, 64 MiB, nominal 1 ms, 12 cycles, us median @ ms since the call's last (median): reserve 3.09 @2.29 create 21.27 @2.27 map 0.89 @2.29 set_access 36.46 @2.26 unmap 23.61 @2.27 release 24.95 @2.27 addr_free 2.22 @2.29
-- vmm after a gap, 64 MiB, nominal 2 ms, 12 cycles, us median @ ms since the call's last (median): reserve 2.91 @4.32 create 21.34 @4.30 map 0.84 @4.32 set_access 36.14 @4.29 unmap 23.54 @4.31 release 24.75 @4.31 addr_free 2.14 @4.33
-- vmm after a gap, 64 MiB, nominal 5 ms, 12 cycles, us median @ ms since the call's last (median): reserve 3.47 @10.35 create 21.78 @10.33 map 0.91 @10.35 set_access 37.41 @10.31 unmap 24.46 @10.34 release 25.55 @10.34 addr_free 2.33 @10.36
-- vmm after a gap, 64 MiB, nominal 10 ms, 12 cycles, us median @ ms since the call's last (median): reserve 4.18 @20.44 create 31.75 @20.41 map 1.18 @20.45 set_access 45.64 @20.40 unmap 26.94 @20.42 release 26.62 @20.41 addr_free 2.99 @20.44
-- vmm after a gap, 64 MiB, nominal 20 ms, 12 cycles, us median @ ms since the call's last (median): reserve 6.21 @40.43 create 24.94 @40.42 map 1.28 @40.44 set_access 41.66 @40.40 unmap 27.22 @40.41 release 26.45 @40.41 addr_free 3.64 @40.43
-- vmm after a gap, 64 MiB, nominal 50 ms, 12 cycles, us median @ ms since the call's last (median): reserve 16.66 @100.50 create 44.85 @100.49 map 3.39 @100.55 set_access 66.34 @100.46 unmap 58.40 @100.46 release 42.25 @100.46 addr_free 11.72 @100.48
-- vmm after a gap, 64 MiB, nominal 200 ms, 12 cycles, us median @ ms since the call's last (median): reserve 34.37 @400.61 create 91.41 @400.58 map 6.06 @400.64 set_access 103.73 @400.54 unmap 100.92 @400.58 release 54.20 @400.60 addr_free 19.27 @400.64
-- vmm after a gap, 64 MiB, nominal 500 ms, 12 cycles, us median @ ms since the call's last (median): reserve 27.54 @1000.65 create 59.19 @1000.60 map 4.54 @1000.68 set_access 86.10 @1000.59 unmap 83.06 @1000.60 release 46.68 @1000.65 addr_free 18.23 @1000.67
-- vmm after a gap of launches, 2 MiB, nominal 0 ms, 12 cycles, us median @ ms since the call's last (median): reserve 0.80 @0.17 create 9.04 @0.16 map 0.70 @0.17 set_access 21.82 @0.14 unmap 15.38 @0.15 release 9.85 @0.16 addr_free 0.46 @0.17
-- vmm after a gap of launches, 2 MiB, nominal 1 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.03 @2.27 create 9.79 @2.26 map 0.90 @2.27 set_access 22.97 @2.25 unmap 16.82 @2.26 release 10.43 @2.26 addr_free 0.54 @2.27
-- vmm after a gap of launches, 2 MiB, nominal 2 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.04 @4.29 create 9.96 @4.28 map 0.87 @4.29 set_access 22.96 @4.26 unmap 16.51 @4.28 release 10.44 @4.29 addr_free 0.55 @4.30
-- vmm after a gap of launches, 2 MiB, nominal 5 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.07 @10.29 create 11.71 @10.28 map 1.06 @10.30 set_access 25.56 @10.27 unmap 17.85 @10.31 release 11.02 @10.32 addr_free 0.59 @10.33
-- vmm after a gap of launches, 2 MiB, nominal 10 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.13 @20.25 create 12.46 @20.24 map 1.17 @20.26 set_access 26.77 @20.23 unmap 20.11 @20.25 release 11.58 @20.26 addr_free 0.61 @20.27
-- vmm after a gap of launches, 2 MiB, nominal 20 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.87 @40.27 create 14.42 @40.25 map 1.37 @40.26 set_access 28.99 @40.23 unmap 22.66 @40.27 release 11.99 @40.28 addr_free 0.70 @40.30
-- vmm after a gap of launches, 2 MiB, nominal 50 ms, 12 cycles, us median @ ms since the call's last (median): reserve 2.59 @100.33 create 21.48 @100.31 map 2.38 @100.33 set_access 37.24 @100.29 unmap 31.70 @100.32 release 15.30 @100.33 addr_free 1.13 @100.35
-- vmm after a gap of launches, 64 MiB, nominal 0 ms, 12 cycles, us median @ ms since the call's last (median): reserve 2.99 @0.25 create 9.89 @0.25 map 0.76 @0.25 set_access 38.87 @0.22 unmap 24.57 @0.23 release 41.86 @0.21 addr_free 2.23 @0.25
-- vmm after a gap of launches, 64 MiB, nominal 1 ms, 12 cycles, us median @ ms since the call's last (median): reserve 3.76 @2.36 create 24.70 @2.34 map 0.89 @2.36 set_access 40.84 @2.32 unmap 26.49 @2.35 release 29.52 @2.35 addr_free 2.92 @2.37
-- vmm after a gap of launches, 64 MiB, nominal 2 ms, 12 cycles, us median @ ms since the call's last (median): reserve 3.54 @4.38 create 24.79 @4.36 map 0.98 @4.38 set_access 41.03 @4.34 unmap 26.66 @4.35 release 28.70 @4.35 addr_free 2.59 @4.37
-- vmm after a gap of launches, 64 MiB, nominal 5 ms, 12 cycles, us median @ ms since the call's last (median): reserve 4.03 @10.31 create 23.22 @10.29 map 1.02 @10.32 set_access 40.70 @10.28 unmap 26.53 @10.31 release 26.72 @10.31 addr_free 2.90 @10.33
-- vmm after a gap of launches, 64 MiB, nominal 10 ms, 12 cycles, us median @ ms since the call's last (median): reserve 4.62 @20.36 create 23.97 @20.34 map 1.17 @20.37 set_access 41.70 @20.32 unmap 29.10 @20.36 release 26.39 @20.36 addr_free 2.96 @20.39
-- vmm after a gap of launches, 64 MiB, nominal 20 ms, 12 cycles, us median @ ms since the call's last (median): reserve 6.91 @40.37 create 27.69 @40.35 map 1.59 @40.37 set_access 48.18 @40.32 unmap 31.44 @40.34 release 28.76 @40.35 addr_free 4.01 @40.38
-- vmm after a gap of launches, 64 MiB, nominal 50 ms, 12 cycles, us median @ ms since the call's last (median): reserve 11.41 @100.39 create 33.32 @100.37 map 2.06 @100.40 set_access 55.14 @100.35 unmap 40.43 @100.38 release 30.87 @100.38 addr_free 7.87 @100.40
-- vmm growth on the launching thread, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 9.22 (16.68/8.72/10.44) map 1.01 (2.06/0.86/1.35) set_access 28.37 (58.73/27.20/32.38)
-- vmm growth on one thread kept for the series, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 10.76 (88.46/8.67/20.27) map 1.22 (7.14/0.69/4.27) set_access 28.93 (119.56/26.10/41.83)
-- vmm growth on a new thread per handle, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 20.95 (31.03/12.52/48.62) map 2.83 (3.96/1.26/6.70) set_access 43.70 (75.38/28.78/73.89)
-- vmm growth on the launching thread, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 10.85 (26.42/9.73/12.44) map 1.23 (3.28/0.86/1.63) set_access 27.59 (64.90/26.66/48.35)
-- vmm growth on one thread kept for the series, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 12.88 (67.79/11.39/36.97) map 1.44 (4.73/1.16/1.88) set_access 30.21 (97.51/28.13/52.54)
-- vmm growth on a new thread per handle, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 29.55 (49.94/12.58/57.27) map 3.42 (3.28/1.40/7.38) set_access 55.19 (72.75/29.76/84.59)
-- vmm reserve / free of 16 MiB ranges among live ranges, us median per window of calls (live: reserve free): 0: 0.33 0.32 32: 1.00 1.06 96: 2.24 0.97 160: 1.84 1.00 224: 2.29 1.02 288: 2.84 1.03 352: 3.24 1.05 416: 3.65 1.06 480: 4.25 1.08 544: 4.56 1.14 608: 4.87 1.16 672: 5.31 1.14 736: 5.91 1.13 800: 6.34 1.16 864: 6.61 1.16 928: 7.03 1.18 992: 7.40 1.89
-- vmm factors over isolation at the granularity (busy, after_step): reserve 1.319 2.170 create 1.080 1.192 map 1.191 1.623 set_access 1.334 1.167 unmap 1.844 1.245 release 1.075 1.132 free_va 1.268 1.492
return {
  name = "h100-measured",
  gpus_per_server = 1, -- cudaGetDeviceCount
  servers = 1, -- one machine
  hbm_bytes = 85017493504, -- cudaMemGetInfo total
  hbm_bw = 3.278e+12, -- best read stream (kernels and launch shapes above)
  d2d_bw = 2.956e+12, -- cudaMemcpyAsync D2D 256 MiB, read+write
  flops = 7.88e+14, -- cuBLAS bf16 GEMM
  sms = 132, -- device property
  kernel_launch = 2.656e-06, -- empty kernels back to back
  pcie_bw = 5.516e+10, -- min(H2D, D2H) at 256 MiB, pinned
  pcie_lat = 1.182e-06, -- zero-copy dependent read round trip
  copy_overhead = 2.282e-06, -- fixed cost per cudaMemcpyAsync
  sm_copy_bw_per_sm = 3.9e+10, -- kv_transfer_launch on 1 SM
  sm_duplex_bw = 5.253e+10, -- kv_transfer_pair_launch both ways at once, 8 SMs, aggregate
  gpus_per_uplink = 0, -- not measured: own link assumed
  uplink_bw = 0, -- not measured (gpus_per_uplink = 0)
  host_bw = 7.286e+10, -- duplex DMA aggregate: lower bound of host DRAM bw for DMA
  nvlink_bw = 0, -- not measured (one GPU)
  nvlink_lat = 0, -- not measured (one GPU)
  nic_bw = 0, -- no inter-server tier
  nic_lat = 0, -- no inter-server tier
  vmm_reserve = 6.945e-07, -- cuMemAddressReserve, granularity range, cycles after a step, median
  vmm_create = 9.224e-06, -- cuMemCreate, cycles after a step, median
  vmm_map = 9.07e-07, -- cuMemMap, cycles after a step, median
  vmm_set_access = 2.251e-05, -- cuMemSetAccess, cycles after a step, median
  vmm_unmap = 1.727e-05, -- cuMemUnmap, cycles after a step, median
  vmm_release = 1.018e-05, -- cuMemRelease, cycles after a step, median
  vmm_granularity = 2097152, -- cuMemGetAllocationGranularity minimum
  vmm_reserve_per_mib = 1.555e-09, -- size slope: (largest - smallest handle median) / MiB, isolation
  vmm_create_per_mib = 1.664e-08, -- size slope, isolation
  vmm_map_per_mib = 1.595e-10, -- size slope, isolation
  vmm_set_access_per_mib = 3.757e-08, -- size slope, isolation
  vmm_unmap_per_mib = 1.598e-08, -- size slope, isolation
  vmm_release_per_mib = 2.489e-07, -- size slope, isolation
  table_write = 4.8e-06, -- 4 KiB H2D from pinned right after a step, events, median
  -- measured curves (every raw one in h100-measured.curves.csv)
  vmm_reserve_curve = { {2097152, 3.1999999805520929e-07}, {4194304, 3.7950000120190452e-07}, {8388608, 4.8349999914876207e-07}, {16777216, 4.1499999881011718e-07}, {67108864, 1.7420000020251791e-06}, {268435456, 1.9960000017249513e-06}, {1073741824, 1.4835000001767185e-06}, {17179869184, 1.4665000023228458e-06}, {274877906944, 1.434499999675154e-06}, {1099511627776, 1.3410000008207135e-06} }, -- s per call by range bytes, isolation
  vmm_create_curve = { {2097152, 7.7360000005910479e-06}, {4194304, 7.711999998605279e-06}, {8388608, 7.7199999992672019e-06}, {16777216, 7.7515000036498805e-06}, {67108864, 8.2739999989200896e-06}, {268435456, 1.1176499999265843e-05}, {1073741824, 2.4741499998981453e-05} }, -- s per call by handle bytes, isolation
  vmm_map_curve = { {2097152, 5.5900000006658956e-07}, {4194304, 5.6000000014932994e-07}, {8388608, 5.6699999717579885e-07}, {16777216, 5.5650000163609548e-07}, {67108864, 6.1800000494827145e-07}, {268435456, 6.3949999784540523e-07}, {1073741824, 7.22000002895129e-07} }, -- s per call by handle bytes, isolation
  vmm_set_access_curve = { {2097152, 1.9286499998827367e-05}, {4194304, 1.9070499998719015e-05}, {8388608, 1.9194500001873394e-05}, {16777216, 1.9334499999246191e-05}, {67108864, 3.3295499999752565e-05}, {268435456, 3.5172000000471826e-05}, {1073741824, 5.7686999998196598e-05} }, -- s per call by handle bytes, isolation
  vmm_unmap_curve = { {2097152, 1.3869500001817414e-05}, {4194304, 1.3705000000641121e-05}, {8388608, 1.3765500000317843e-05}, {16777216, 1.3941999998934307e-05}, {67108864, 2.1551999999758209e-05}, {268435456, 2.1611499999352191e-05}, {1073741824, 3.0196499995582826e-05} }, -- s per call by handle bytes, isolation
  vmm_release_curve = { {2097152, 8.998499996692999e-06}, {4194304, 1.0230500002705867e-05}, {8388608, 1.2001999998290103e-05}, {16777216, 1.5479000001761278e-05}, {67108864, 2.4919000001233371e-05}, {268435456, 7.1383999994623082e-05}, {1073741824, 0.0002633945000027893} }, -- s per call by handle bytes, isolation
  vmm_free_va_curve = { {2097152, 3.1499999408879376e-07}, {4194304, 3.9799999740353087e-07}, {8388608, 4.1199999856189606e-07}, {16777216, 4.0200000483991971e-07}, {67108864, 1.354500007266779e-06}, {268435456, 1.5924999985372779e-06}, {1073741824, 1.3390000006552327e-06}, {17179869184, 1.3519999981781439e-06}, {274877906944, 2.2279999996044353e-06}, {1099511627776, 2.086999998596184e-06} }, -- s per call by range bytes, isolation
  vmm_reserve_live = { {16, 1.3906250013877788}, {128, 1.3218750063837825}, {1024, 1.3234375009714452}, {4096, 1.3343750185962358} }, -- idle call among x live handles / isolated
  vmm_create_live = { {16, 1.0085961737549229}, {128, 1.0427223367531508}, {1024, 1.0323810751828704}, {4096, 1.0455015512766297} }, -- idle call among x live handles / isolated
  vmm_map_live = { {16, 1.2674418603173143}, {128, 1.1958855164900826}, {1024, 1.2048300547018762}, {4096, 1.2486583135482985} }, -- idle call among x live handles / isolated
  vmm_set_access_live = { {16, 1.002851735721948}, {128, 1.0994478004040777}, {1024, 1.0920592125646735}, {4096, 1.1122028362609107} }, -- idle call among x live handles / isolated
  vmm_unmap_live = { {16, 0.9989905905253077}, {128, 1.1672735135552401}, {1024, 1.1856952303847408}, {4096, 1.2017736759421376} }, -- idle call among x live handles / isolated
  vmm_release_live = { {16, 1.0601766965768415}, {128, 1.0977940770217989}, {1024, 1.1416347170212742}, {4096, 1.1608045788762067} }, -- idle call among x live handles / isolated
  vmm_free_va_live = { {16, 1.3476190659868195}, {128, 1.3111111426907889}, {1024, 1.2793651077223409}, {4096, 1.3396825628839355} }, -- idle call among x live handles / isolated
  vmm_create_grow = { {2097152, 9.1394999977012503e-06}, {67108864, 9.7190000012403743e-06} }, -- s per call growing the pool, by handle bytes
  vmm_map_grow = { {2097152, 1.0170000024345427e-06}, {67108864, 1.0655000011183802e-06} }, -- s per call growing the pool, by handle bytes
  vmm_set_access_grow = { {2097152, 2.3366000000635267e-05}, {67108864, 2.4032500000714663e-05} }, -- s per call growing the pool, by handle bytes
  vmm_reserve_live_va = { {32, 2.4084337313813724}, {96, 5.3939759245006389}, {160, 4.4397590438286301}, {224, 5.5108433915437622}, {288, 6.8349397663076301}, {352, 7.7963855718218955}, {416, 8.7867470082191392}, {480, 10.23734940506813}, {544, 10.985542193119267}, {608, 11.722891602467774}, {672, 12.786747025340651}, {736, 14.239759086632409}, {800, 15.280722928439401}, {864, 15.926506064888903}, {928, 16.940963906012659}, {992, 17.837349439311154} }, -- among x live ranges / none
  vmm_free_va_live_va = { {32, 2.6281094131869764}, {96, 2.425373102539393}, {160, 2.4900497240275024}, {224, 2.5273631506638159}, {288, 2.5572138990429432}, {352, 2.6194029493285291}, {416, 2.6343283235180928}, {480, 2.6803482316880456}, {544, 2.8333333127122757}, {608, 2.8905472205928149}, {672, 2.8333333127122757}, {736, 2.8009949931306251}, {800, 2.8930347917953383}, {864, 2.8967661309239312}, {928, 2.9365671464379601}, {992, 4.7077113558390735} }, -- among x live ranges / none
  vmm_reserve_gap = {
    { 2097152, { {0.00025000000000000001, 6.7950000115502007e-07}, {0.0023400000000000001, 9.050000002730485e-07}, {0.0043899999999999998, 8.3599999811667658e-07}, {0.010319999999999999, 8.5099999580506847e-07}, {0.02036, 9.5100000407910557e-07}, {0.040379999999999999, 1.1129999961667636e-06}, {0.10034, 1.5710000127455714e-06}, {0.40044000000000002, 3.1320000033474571e-06}, {1.00064, 7.8599999966399992e-06} } },
    { 67108864, { {0.00025000000000000001, 2.7100000039581573e-06}, {0.0022899999999999999, 3.0939999930978956e-06}, {0.0043200000000000001, 2.9119999993554302e-06}, {0.01035, 3.4650000060310049e-06}, {0.02044, 4.183000001489745e-06}, {0.040430000000000001, 6.2059999947905453e-06}, {0.10050000000000001, 1.6661000003637128e-05}, {0.40061000000000002, 3.4368999990874727e-05}, {1.00065, 2.7540999994357662e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_create_gap = {
    { 2097152, { {0.00023000000000000001, 1.9543500002328074e-05}, {0.00233, 9.0940000063710613e-06}, {0.0043800000000000002, 8.9830000007395938e-06}, {0.01031, 9.4729999986498115e-06}, {0.02035, 1.0900999996010796e-05}, {0.040370000000000003, 1.1757999999417734e-05}, {0.10033, 1.4415000009648793e-05}, {0.40042, 2.5661000009336021e-05}, {1.0005599999999999, 6.4893000001120527e-05} } },
    { 67108864, { {0.00024000000000000001, 8.755999999721098e-06}, {0.0022699999999999999, 2.1274000005178095e-05}, {0.0043, 2.1338999999898078e-05}, {0.010330000000000001, 2.1783999997637693e-05}, {0.020410000000000001, 3.1747000008408577e-05}, {0.040419999999999998, 2.4936000002639958e-05}, {0.10049, 4.4848999991131677e-05}, {0.40057999999999999, 9.1412000003288085e-05}, {1.0005999999999999, 5.9188000008703057e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_map_gap = {
    { 2097152, { {0.00025000000000000001, 7.0699999810130976e-07}, {0.0023400000000000001, 7.5499999496742021e-07}, {0.0043899999999999998, 7.4599999777547055e-07}, {0.010319999999999999, 8.5699999630151069e-07}, {0.02036, 8.6899999729439514e-07}, {0.040379999999999999, 1.0790000004590183e-06}, {0.10034, 1.4800000087689114e-06}, {0.40044999999999997, 2.5559999983215675e-06}, {1.0006200000000001, 5.8639999878096205e-06} } },
    { 67108864, { {0.00025000000000000001, 7.2449999777290941e-07}, {0.0022899999999999999, 8.9200000275013736e-07}, {0.0043200000000000001, 8.4399999877859955e-07}, {0.01035, 9.1299999382954411e-07}, {0.020449999999999999, 1.1799999981576548e-06}, {0.040439999999999997, 1.2800000064316919e-06}, {0.10055, 3.3930000000736982e-06}, {0.40064, 6.0609999934513326e-06}, {1.00068, 4.5449999959146226e-06} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_set_access_gap = {
    { 2097152, { {0.00023000000000000001, 2.024249999976746e-05}, {0.00232, 2.1275000001708122e-05}, {0.0043699999999999998, 2.1044999996888691e-05}, {0.0103, 2.1859000000290507e-05}, {0.02034, 2.3265000002936631e-05}, {0.04036, 2.6648000002182926e-05}, {0.10032000000000001, 2.8024999991771438e-05}, {0.40042, 3.9561999997772546e-05}, {1.00054, 7.3940000007155504e-05} } },
    { 67108864, { {0.00021000000000000001, 3.5160499990638527e-05}, {0.0022599999999999999, 3.6455999989470911e-05}, {0.0042900000000000004, 3.6140999995382117e-05}, {0.01031, 3.7414999994211939e-05}, {0.020400000000000001, 4.5641999989243232e-05}, {0.040399999999999998, 4.1659000004301561e-05}, {0.10045999999999999, 6.6340000003606292e-05}, {0.40054000000000001, 0.00010373399999252797}, {1.0005900000000001, 8.6097000007612223e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_unmap_gap = {
    { 2097152, { {0.00024000000000000001, 1.4583499996945193e-05}, {0.00232, 1.5441999998699885e-05}, {0.0044900000000000001, 1.5288999996698749e-05}, {0.01031, 1.6300000005742277e-05}, {0.02035, 1.7907999996680246e-05}, {0.040370000000000003, 1.8595000000232176e-05}, {0.10037, 2.2690999998076222e-05}, {0.40039000000000002, 3.17039999941926e-05}, {1.0005299999999999, 6.8369999993933561e-05} } },
    { 67108864, { {0.00023000000000000001, 2.2307999998361083e-05}, {0.0022699999999999999, 2.3612999996203143e-05}, {0.0043099999999999996, 2.3541999993881291e-05}, {0.01034, 2.4455999991346289e-05}, {0.020420000000000001, 2.6943000008827767e-05}, {0.040410000000000001, 2.7215999992336037e-05}, {0.10045999999999999, 5.8402999997042571e-05}, {0.40057999999999999, 0.00010091999999417567}, {1.0005999999999999, 8.3059000004936934e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_release_gap = {
    { 2097152, { {0.00023000000000000001, 2.0799000001403556e-05}, {0.00233, 9.3299999974760794e-06}, {0.0044900000000000001, 9.4889999999736574e-06}, {0.010319999999999999, 9.8319999963791815e-06}, {0.02036, 1.0389000003385718e-05}, {0.040379999999999999, 1.0998999997013925e-05}, {0.10038999999999999, 1.2421999997513922e-05}, {0.40042, 1.5885999999909473e-05}, {1.0005999999999999, 3.3107999996673243e-05} } },
    { 67108864, { {0.00021000000000000001, 3.6851500006207516e-05}, {0.0022699999999999999, 2.4945999996361934e-05}, {0.0043099999999999996, 2.4751999987415729e-05}, {0.01034, 2.5547000007009046e-05}, {0.020410000000000001, 2.6622999996561703e-05}, {0.040410000000000001, 2.6449999992905759e-05}, {0.10045999999999999, 4.2249000003380388e-05}, {0.40060000000000001, 5.4204999997864434e-05}, {1.00065, 4.6682999993663543e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_free_va_gap = {
    { 2097152, { {0.00025000000000000001, 4.660000030298761e-07}, {0.0023400000000000001, 4.9300000171115244e-07}, {0.0044999999999999997, 4.9700000204211392e-07}, {0.010330000000000001, 5.2000000039242877e-07}, {0.020369999999999999, 5.4200000221271694e-07}, {0.040390000000000002, 6.0200000007171184e-07}, {0.1004, 7.5300000901279418e-07}, {0.40044000000000002, 1.042999997480365e-06}, {1.00064, 2.6360000049407972e-06} } },
    { 67108864, { {0.00025000000000000001, 1.8669999946041571e-06}, {0.0022899999999999999, 2.2170000022470049e-06}, {0.0043299999999999996, 2.1439999926542441e-06}, {0.010359999999999999, 2.3329999976340332e-06}, {0.02044, 2.9889999950682977e-06}, {0.040430000000000001, 3.6409999921716008e-06}, {0.10048, 1.1718999999743573e-05}, {0.40064, 1.927400001022761e-05}, {1.0006699999999999, 1.8228000001840883e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_reserve_busy = 0.99763593360759217, -- busy / idle among the same live handles at the granularity
  vmm_create_busy = 1.0353313087887708, -- busy / idle among the same live handles at the granularity
  vmm_map_busy = 0.99626027595853472, -- busy / idle among the same live handles at the granularity
  vmm_set_access_busy = 1.2133745196936181, -- busy / idle among the same live handles at the granularity
  vmm_unmap_busy = 1.5794805277775561, -- busy / idle among the same live handles at the granularity
  vmm_release_busy = 0.97945032149976485, -- busy / idle among the same live handles at the granularity
  vmm_free_va_busy = 0.96731234183649961, -- busy / idle among the same live handles at the granularity
  vmm_reserve_after_step = 1.6418439709461929, -- after_step / idle among the same live handles at the granularity
  vmm_create_after_step = 1.1434947005454106, -- after_step / idle among the same live handles at the granularity
  vmm_map_after_step = 1.3567688785132055, -- after_step / idle among the same live handles at the granularity
  vmm_set_access_after_step = 1.0616614397769826, -- after_step / idle among the same live handles at the granularity
  vmm_unmap_after_step = 1.066462831086288, -- after_step / idle among the same live handles at the granularity
  vmm_release_after_step = 1.0309763628584869, -- after_step / idle among the same live handles at the granularity
  vmm_free_va_after_step = 1.138014521325684, -- after_step / idle among the same live handles at the granularity
  copy_h2d_curve = { {4096, 2.5531360879540444e-06}, {16384, 2.833792008459568e-06}, {65536, 4.1576637886464593e-06}, {262144, 7.5659519061446189e-06}, {1048576, 2.2041844204068184e-05}, {4194304, 7.9075872898101807e-05}, {16777216, 0.00030764049291610716}, {67108864, 0.0012195980548858642}, {268435456, 0.0048652000427246095} }, -- s per cudaMemcpyAsync by bytes, back to back
  copy_d2h_curve = { {4096, 1.9249919569119811e-06}, {16384, 2.1466559264808895e-06}, {65536, 3.2732961699366571e-06}, {262144, 6.3330079428851608e-06}, {1048576, 2.0515749230980875e-05}, {4194304, 7.7391251921653749e-05}, {16777216, 0.00030551499128341674}, {67108864, 0.0012185440063476563}, {268435456, 0.0048666081428527831} }, -- s per cudaMemcpyAsync by bytes, back to back
  sm_copy_h2d_curve = { {1, 33909806318.115875}, {2, 33936145510.711567}, {4, 33805947266.279675}, {8, 34013754706.841354}, {16, 33994455658.793343}, {32, 34154457238.719864}, {64, 33643789331.550957} }, -- B/s by SMs, 65536-byte pages
  sm_copy_d2h_curve = { {1, 44093015979.093506}, {2, 52037221422.098663}, {4, 52086331231.835777}, {8, 52143313440.046623}, {16, 52191331836.428757}, {32, 52154984803.420479}, {64, 52125169437.723312} }, -- B/s by SMs, 65536-byte pages
  sm_copy_page_h2d_curve = { {256, 0.95355633030296882}, {4096, 1.0069902431076225}, {65536, 1} }, -- rate by page bytes over the 65536-byte page's, at 8 SMs
  sm_copy_page_d2h_curve = { {256, 0.99603760625251681}, {4096, 1.0005971400854681}, {65536, 1} }, -- rate by page bytes over the 65536-byte page's, at 8 SMs
  sm_copy_grid_h2d = {
    { 256, { {1, 4263119317.592124}, {2, 8536111864.201951}, {4, 16935460634.98016}, {8, 32434031118.080975}, {16, 33451134980.930084}, {32, 33875299258.691532}, {64, 34075652580.810177} } },
    { 4096, { {1, 31912835713.836933}, {2, 33457540592.793854}, {4, 34149451614.254749}, {8, 34251519121.245216}, {16, 34176164554.425037}, {32, 34405485652.236694}, {64, 34479021810.031013} } },
    { 65536, { {1, 33909806318.115875}, {2, 33936145510.711567}, {4, 33805947266.279675}, {8, 34013754706.841354}, {16, 33994455658.793343}, {32, 34154457238.719864}, {64, 33643789331.550957} } },
  }, -- B/s by SMs, one row per page bytes
  sm_copy_grid_d2h = {
    { 256, { {1, 7505912910.834094}, {2, 14970033164.132418}, {4, 29855247694.434975}, {8, 51936701100.898727}, {16, 51704931419.325699}, {32, 51402044962.554611}, {64, 51766193653.977425} } },
    { 4096, { {1, 43206395531.103081}, {2, 51858357300.040802}, {4, 52072103929.740997}, {8, 52174450302.690796}, {16, 52166661392.822823}, {32, 52209521936.330444}, {64, 52196524257.437225} } },
    { 65536, { {1, 44093015979.093506}, {2, 52037221422.098663}, {4, 52086331231.835777}, {8, 52143313440.046623}, {16, 52191331836.428757}, {32, 52154984803.420479}, {64, 52125169437.723312} } },
  }, -- B/s by SMs, one row per page bytes
  sm_copy_threads_grid_h2d = {
    { 128, { {1, 4928271546.3516865}, {2, 9913643841.6096306}, {4, 19484464912.188274}, {8, 33367574398.009197}, {16, 33327801102.68066}, {32, 33873110122.865746}, {64, 34355322333.525246} } },
    { 256, { {1, 9896988218.0087891}, {2, 19508209195.847672}, {4, 34382358451.114296}, {8, 34072332091.165089}, {16, 34147784089.255077}, {32, 34182292546.122993}, {64, 34239215660.141624} } },
    { 512, { {1, 19151023065.845573}, {2, 34130000386.273914}, {4, 33928459276.040451}, {8, 34185636579.55793}, {16, 33975180548.953262}, {32, 34295768721.264046}, {64, 34016512915.357815} } },
    { 1024, { {1, 34364893941.077835}, {2, 34215196703.896999}, {4, 33897200066.434307}, {8, 34030312727.767937}, {16, 33996110295.197746}, {32, 34244247636.34753}, {64, 34139444765.734188} } },
  }, -- B/s by SMs, one row per threads per block, 64 KiB pages
  sm_copy_threads_grid_d2h = {
    { 128, { {1, 11906233342.932035}, {2, 23507510102.919098}, {4, 46418736153.747246}, {8, 51757250835.297646}, {16, 51926410821.772255}, {32, 51812232107.527214}, {64, 51918700576.248466} } },
    { 256, { {1, 22701610579.347088}, {2, 44823389970.397369}, {4, 51534675522.506638}, {8, 51962435058.148361}, {16, 51898143137.046135}, {32, 51999801350.610504}, {64, 52097977097.369408} } },
    { 512, { {1, 34714162252.220253}, {2, 51836568381.257133}, {4, 51823755711.59716}, {8, 52175746262.574104}, {16, 52321540585.45034}, {32, 52154984803.420479}, {64, 52435354725.62899} } },
    { 1024, { {1, 43985736526.651863}, {2, 52170557974.456207}, {4, 52015277165.943947}, {8, 52372499390.528259}, {16, 52503619706.93959}, {32, 52074690571.720108}, {64, 52072103929.740997} } },
  }, -- B/s by SMs, one row per threads per block, 64 KiB pages
  batch_h2d_curve = { {4096, 4.6650000149384144e-07}, {16384, 5.2912498358637098e-07}, {65536, 1.3856249861419201e-06}, {262144, 4.9562500789761545e-06}, {1048576, 1.9256874918937683e-05}, {4194304, 7.6359502971172339e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_d2h_curve = { {4096, 4.2649998795241117e-07}, {16384, 4.941250081174076e-07}, {65536, 1.3330000219866633e-06}, {262144, 4.8801251687109468e-06}, {1048576, 1.9145749509334565e-05}, {4194304, 7.6178878545761112e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_call = 2.7119500000338803e-05, -- s of host time per batched call
  batch_call_curve = { {64, 2.7119500000338803e-05} }, -- s of host time per batched call by entries
  attn_block_table_curve = { {1, 1.1744168078802186}, {4, 1.054869639860577}, {16, 1.0458351945543372}, {64, 1.0460882288191515}, {256, 1.0349394482596153} }, -- time over contiguous by tokens per block
  attn_offset_table_curve = { {1, 1.227168762030012}, {4, 1.0921353174341106}, {16, 1.0394396025024029}, {64, 1.0397653524024}, {256, 1.0321230074565708} }, -- time over contiguous by tokens per block
  source = "kvsim-calibrate on NVIDIA H100 80GB HBM3, driver API 13000, 2026-12-05 23:58 UTC",
}
