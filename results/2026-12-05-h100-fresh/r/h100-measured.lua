-- Platform measured by kvsim-calibrate (kernels/calibrate.cu).
-- device: NVIDIA H100 80GB HBM3, 132 SMs, 85017493504 bytes (84465090560 free), 1 GPU(s), driver API 13000, 2026-12-05 22:16 UTC
-- pcie H2D 54.36 GB/s, D2H 55.16 GB/s at 256 MiB (pcie_bw = the lower)
-- copy fixed cost 2.27 us (median of time - bytes/bw, 4..64 KiB, both directions); 1-byte copies back to back 2.32 us each; 1-byte copy + sync round trip 5.57 us (median)
-- duplex (256 MiB each way at once): 74.04 GB/s aggregate (host_bw: a lower bound of host DRAM bandwidth for DMA)
-- device-to-device copy 256 MiB: 2949.1 GB/s counting read + write
-- HBM read stream, GB/s: unrolled x4, 1 GiB, 4 blocks/SM: 3103.0; weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM: 3278.2; weight read, 256 MiB once x 16 launches, 4 blocks/SM: 3014.8; weight read, 1 GiB once, 4 blocks/SM: 3091.4; weight read, 1 GiB once, 8 blocks/SM: 3093.3; weight read, 1 GiB once, 16 blocks/SM: 3096.5; weight read, 2 GiB once, 4 blocks/SM: 3100.1
-- HBM read stream: 3278.2 GB/s, the best (weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM) (hbm_bw)
-- bf16 matrix product 8192x8192x8192 (cuBLAS, random data): 783 TFLOP/s
-- kernel launch: 2.71 us each back to back; launch + sync round trip 8.00 us (median)
-- table write (4 KiB H2D from pinned memory between CUDA events on an idle stream, as the GPU backend does): median 3.71 us, p10 3.58, p90 4.06 (table_write); the same copies queued back to back 3.58 us; the former definition, 4 KiB H2D + kernel launch back to back, 10.03 us
-- table write right after a step (a read stream of a few ms on the same stream, then a host sync, then the event pair and the copy; 100 times): median 4.64 us, p10 4.42, p90 6.69
-- zero-copy dependent read of mapped host memory: 1.20 us each (pcie_lat = round trip)
-- host memcpy 256 MiB, one thread: 13.7 GB/s (one CPU core; not host_bw, which is the duplex DMA figure)
-- batch check: 768 entries (every size, both directions) equal their sources byte for byte
-- SM copy check: 559104 pages (every page size, both directions, 8 SMs) equal their sources byte for byte; threads per block: 1024, kv_transfer_launch's (the next table varies them)
-- SM copy with 1 SM, 64 KiB pages, mean of both directions: 39.35 GB/s (sm_copy_bw_per_sm)
-- SM copy both directions at once (kv_transfer_pair_launch, 8 SMs, 64 KiB pages, 64 MiB each way): 54.34 GB/s aggregate (sm_duplex_bw)
-- SM copy by threads check: 8192 pages (every block size, both directions, 8 SMs) equal their sources byte for byte
-- attention check: block-table and offset-table outputs equal the contiguous one at every block size (worst relative L2 0, tolerance 1e-05); contiguous vs float64 CPU reference on 4 requests 1.5e-07 (tolerance 1e-3)
-- vmm 2 MiB medians in isolation (us): reserve 0.50 create 7.39 map 0.58 set_access 18.75 unmap 13.69 release 8.83 addr_free 0.41
-- vmm 4 MiB medians in isolation (us): reserve 0.38 create 7.41 map 0.57 set_access 18.64 unmap 13.42 release 9.97 addr_free 0.41
-- vmm 8 MiB medians in isolation (us): reserve 0.48 create 7.46 map 0.58 set_access 18.66 unmap 13.47 release 11.81 addr_free 0.42
-- vmm 16 MiB medians in isolation (us): reserve 0.40 create 7.46 map 0.55 set_access 18.77 unmap 13.69 release 15.26 addr_free 0.41
-- vmm 64 MiB medians in isolation (us): reserve 2.01 create 8.10 map 0.60 set_access 32.77 unmap 21.12 release 24.62 addr_free 1.61
-- vmm 256 MiB medians in isolation (us): reserve 2.08 create 10.47 map 0.61 set_access 34.51 unmap 21.25 release 70.67 addr_free 1.63
-- vmm 1024 MiB medians in isolation (us): reserve 1.97 create 39.60 map 0.69 set_access 57.08 unmap 29.87 release 256.49 addr_free 1.82
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU idle, us median (p10/p90): reserve 0.41 (0.37/0.53) create 7.71 (7.50/8.12) map 0.65 (0.59/0.81) set_access 20.44 (20.06/21.32) unmap 15.30 (14.55/16.54) release 9.35 (9.03/9.92) addr_free 0.41 (0.37/0.49)
-- vmm 2 MiB, 200 cycles among 128 live handles, GPU busy with a read stream, us median (p10/p90): reserve 0.43 (0.38/0.55) create 7.99 (7.71/8.37) map 0.67 (0.60/0.82) set_access 25.18 (20.45/27.99) unmap 25.34 (15.31/28.30) release 9.43 (9.17/10.03) addr_free 0.42 (0.37/0.51); 18 reads launched
-- vmm 2 MiB, 200 cycles among 128 live handles, each cycle right after a step, us median (p10/p90): reserve 0.69 (0.57/0.75) create 8.90 (8.46/200.69) map 0.87 (0.79/1.12) set_access 21.73 (21.25/22.48) unmap 16.73 (15.76/17.92) release 9.90 (9.45/10.63) addr_free 0.48 (0.45/0.55)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 16 live handles, GPU idle, us median (p10/p90): reserve 0.44 (0.39/0.55) create 7.52 (7.38/7.83) map 0.67 (0.59/0.80) set_access 18.81 (18.42/19.69) unmap 13.60 (13.32/14.15) release 9.31 (9.16/9.46) addr_free 0.42 (0.38/0.49)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 1024 live handles, GPU idle, us median (p10/p90): reserve 0.41 (0.37/0.54) create 7.70 (7.53/8.02) map 0.68 (0.59/0.85) set_access 20.51 (20.17/21.33) unmap 16.08 (15.26/17.21) release 10.05 (9.63/10.72) addr_free 0.42 (0.39/0.49)
-- vmm live-handle sweep: vmm 2 MiB, 200 cycles among 4096 live handles, GPU idle, us median (p10/p90): reserve 0.41 (0.37/0.52) create 7.82 (7.64/8.16) map 0.69 (0.61/0.84) set_access 20.90 (20.54/21.89) unmap 16.08 (15.30/17.49) release 10.18 (9.74/10.84) addr_free 0.43 (0.41/0.51)
-- vmm 64 MiB, 200 cycles among 32 live handles, GPU idle, us median (p10/p90): reserve 1.77 (1.70/1.97) create 9.03 (8.34/20.47) map 0.75 (0.64/0.92) set_access 20.08 (19.63/22.58) unmap 13.95 (13.62/14.66) release 24.54 (24.02/36.33) addr_free 1.88 (1.74/2.25)
-- vmm 64 MiB, 200 cycles among 32 live handles, each cycle right after a step, us median (p10/p90): reserve 2.26 (2.12/2.53) create 21.00 (20.37/66.57) map 0.94 (0.81/1.12) set_access 21.70 (21.07/24.57) unmap 14.89 (14.28/16.21) release 24.78 (24.17/29.54) addr_free 1.92 (1.81/2.17)
-- vmm growth, fresh range: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 8.95 (96.05/8.39/12.39; 8.91, 9.18) map 1.01 (2.07/0.85/1.50; 1.02, 0.98) set_access 22.74 (46.18/21.64/24.48; 22.39, 23.70) unmap 16.63 (61.82/15.65/18.07; 17.16, 15.98) release 9.92 (32.28/9.54/10.49; 10.08, 9.77)
-- vmm growth, same range again: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 8.99 (33.03/8.47/12.34; 8.91, 9.10) map 1.05 (3.74/0.89/1.28; 1.04, 1.04) set_access 22.66 (65.25/21.74/23.71; 22.47, 22.78) unmap 16.57 (61.26/15.45/18.13; 17.16, 15.66) release 9.95 (30.24/9.50/10.47; 10.10, 9.69)
-- vmm growth, new range, memory recycled: 512 handles of 2 MiB, us median (first / p10 / p90; first quarter, last quarter): create 8.97 (24.43/8.48/12.27; 8.83, 9.06) map 1.04 (2.78/0.89/1.28; 1.01, 1.03) set_access 22.78 (58.10/21.75/23.86; 22.62, 22.91) unmap 16.70 (65.90/15.67/18.30; 17.29, 16.28) release 9.98 (31.68/9.51/10.55; 10.20, 9.80)
-- vmm growth, fresh range: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 9.19 (29.56/8.74/9.94; 9.03, 9.30) map 1.08 (3.70/0.92/1.36; 1.21, 1.09) set_access 23.09 (65.79/22.36/39.05; 23.37, 23.26) unmap 14.65 (43.33/14.01/22.69; 15.34, 14.22) release 24.78 (39.33/23.93/36.14; 24.82, 24.31)
-- vmm growth, same range again: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 8.87 (140.84/8.29/9.64; 8.84, 8.98) map 0.88 (1.50/0.71/1.08; 1.02, 0.88) set_access 22.35 (39.65/21.33/39.01; 21.63, 22.80) unmap 14.73 (30.81/14.11/22.22; 15.03, 14.22) release 24.84 (32.09/24.10/36.30; 24.88, 24.93)
-- vmm growth, new range, memory recycled: 48 handles of 64 MiB, us median (first / p10 / p90; first quarter, last quarter): create 8.87 (137.58/8.31/11.15; 9.03, 8.99) map 0.90 (2.03/0.70/1.21; 0.96, 0.99) set_access 22.58 (39.26/21.44/39.26; 22.03, 23.31) unmap 15.37 (35.62/14.23/23.94; 16.35, 14.38) release 25.09 (36.55/24.40/36.48; 25.06, 24.97)
-- vmm after a gap, 2 MiB, nominal 0 ms, 12 cycles, us median @ ms since the call's last (median): reserve 0.65 @0.25 create 19.55 @0.23 map 0.65 @0.25 set_access 19.45 @0.23 unmap 14.20 @0.24 release 20.52 @0.23 addr_free 0.47 @0.25
-- vmm after a gap, 2 MiB, nominal 1 ms, 12 cycles, us median @ ms since the call's last (median): reserve 0.76 @2.35 create 8.81 @2.34 map 0.80 @2.35 set_access 20.42 @2.33 unmap 15.08 @2.34 release 9.02 @2.34 addr_free 0.50 @2.35
-- vmm after a gap, 2 MiB, nominal 2 ms, 12 cycles, us median @ ms since the call's last (median): reserve 0.77 @4.21 create 8.92 @4.20 map 0.79 @4.20 set_access 20.50 @4.19 unmap 15.19 @4.29 release 9.03 @4.29 addr_free 0.50 @4.30
-- vmm after a gap, 2 MiB, nominal 5 ms, 12 cycles, us median @ ms since the call's last (median): reserve 0.83 @10.38 create 8.94 @10.37 map 0.79 @10.38 set_access 21.21 @10.36 unmap 15.73 @10.37 release 9.21 @10.38 addr_free 0.51 @10.39
-- vmm after a gap, 2 MiB, nominal 10 ms, 12 cycles, us median @ ms since the call's last (median): reserve 0.81 @20.31 create 9.47 @20.31 map 0.82 @20.31 set_access 21.27 @20.29 unmap 16.00 @20.29 release 9.51 @20.30 addr_free 0.51 @20.31
-- vmm after a gap, 2 MiB, nominal 20 ms, 12 cycles, us median @ ms since the call's last (median): reserve 0.89 @40.36 create 9.88 @40.36 map 0.89 @40.36 set_access 22.43 @40.34 unmap 16.35 @40.37 release 9.82 @40.37 addr_free 0.52 @40.38
-- vmm after a gap, 2 MiB, nominal 50 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.44 @100.33 create 13.15 @100.32 map 1.23 @100.33 set_access 26.43 @100.30 unmap 21.51 @100.33 release 11.41 @100.35 addr_free 0.74 @100.37
-- vmm after a gap, 64 MiB, nominal 0 ms, 12 cycles, us median @ ms since the call's last (median): reserve 2.53 @0.25 create 8.09 @0.24 map 0.67 @0.25 set_access 34.43 @0.21 unmap 21.74 @0.23 release 36.35 @0.21 addr_free 1.98 @0.25
-- vmm after a gap, 64 MiB, nominal 1 ms, 12 cycles, us median @ ms since the call's last (median): reserve 3.05 @2.31 create 20.83 @2.29 map 0.80 @2.31 set_access 35.27 @2.28 unmap 22.84 @2.29 release 24.57 @2.29 addr_free 2.13 @2.31
-- vmm after a gap, 64 MiB, nominal 2 ms, 12 cycles, us median @ ms since the call's last (median): reserve 2.72 @4.34 create 20.88 @4.32 map 0.79 @4.34 set_access 35.82 @4.31 unmap 23.41 @4.32 release 24.55 @4.32 addr_free 2.08 @4.34
-- vmm after a gap, 64 MiB, nominal 5 ms, 12 cycles, us median @ ms since the call's last (median): reserve 3.02 @10.39 create 21.08 @10.37 map 0.80 @10.39 set_access 35.92 @10.36 unmap 23.73 @10.38 release 24.61 @10.38 addr_free 2.17 @10.40
-- vmm after a gap, 64 MiB, nominal 10 ms, 12 cycles, us median @ ms since the call's last (median): reserve 3.36 @20.38 create 21.71 @20.36 map 0.96 @20.38 set_access 36.29 @20.35 unmap 24.17 @20.36 release 24.72 @20.36 addr_free 2.44 @20.39
-- vmm after a gap, 64 MiB, nominal 20 ms, 12 cycles, us median @ ms since the call's last (median): reserve 5.68 @40.43 create 25.11 @40.43 map 1.26 @40.47 set_access 42.05 @40.40 unmap 29.04 @40.43 release 26.16 @40.43 addr_free 3.57 @40.45
-- vmm after a gap, 64 MiB, nominal 50 ms, 12 cycles, us median @ ms since the call's last (median): reserve 17.12 @100.49 create 41.75 @100.47 map 3.45 @100.50 set_access 64.31 @100.45 unmap 54.80 @100.49 release 40.65 @100.49 addr_free 12.49 @100.51
-- vmm after a gap of launches, 2 MiB, nominal 0 ms, 12 cycles, us median @ ms since the call's last (median): reserve 0.71 @0.16 create 8.07 @0.15 map 0.63 @0.16 set_access 19.69 @0.14 unmap 14.28 @0.15 release 8.94 @0.15 addr_free 0.46 @0.16
-- vmm after a gap of launches, 2 MiB, nominal 1 ms, 12 cycles, us median @ ms since the call's last (median): reserve 0.97 @2.25 create 9.01 @2.24 map 0.80 @2.25 set_access 21.07 @2.23 unmap 15.50 @2.25 release 9.45 @2.25 addr_free 0.52 @2.26
-- vmm after a gap of launches, 2 MiB, nominal 2 ms, 12 cycles, us median @ ms since the call's last (median): reserve 0.94 @4.26 create 9.13 @4.25 map 0.79 @4.26 set_access 21.33 @4.24 unmap 15.74 @4.24 release 9.44 @4.25 addr_free 0.50 @4.26
-- vmm after a gap of launches, 2 MiB, nominal 5 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.09 @10.23 create 9.48 @10.22 map 0.82 @10.23 set_access 21.88 @10.21 unmap 16.05 @10.23 release 9.61 @10.24 addr_free 0.51 @10.25
-- vmm after a gap of launches, 2 MiB, nominal 10 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.15 @20.25 create 10.29 @20.24 map 0.95 @20.25 set_access 23.45 @20.22 unmap 17.57 @20.26 release 9.90 @20.27 addr_free 0.53 @20.28
-- vmm after a gap of launches, 2 MiB, nominal 20 ms, 12 cycles, us median @ ms since the call's last (median): reserve 2.26 @40.29 create 15.88 @40.28 map 1.43 @40.29 set_access 28.36 @40.27 unmap 25.57 @40.27 release 12.99 @40.29 addr_free 0.89 @40.31
-- vmm after a gap of launches, 2 MiB, nominal 50 ms, 12 cycles, us median @ ms since the call's last (median): reserve 1.85 @100.31 create 15.94 @100.30 map 1.47 @100.31 set_access 30.89 @100.29 unmap 21.84 @100.30 release 11.51 @100.31 addr_free 0.73 @100.32
-- vmm after a gap of launches, 64 MiB, nominal 0 ms, 12 cycles, us median @ ms since the call's last (median): reserve 2.64 @0.24 create 8.14 @0.23 map 0.74 @0.24 set_access 34.58 @0.21 unmap 22.31 @0.22 release 35.78 @0.21 addr_free 2.04 @0.24
-- vmm after a gap of launches, 64 MiB, nominal 1 ms, 12 cycles, us median @ ms since the call's last (median): reserve 2.89 @2.27 create 20.86 @2.25 map 0.84 @2.27 set_access 35.32 @2.23 unmap 23.31 @2.26 release 24.58 @2.26 addr_free 2.11 @2.28
-- vmm after a gap of launches, 64 MiB, nominal 2 ms, 12 cycles, us median @ ms since the call's last (median): reserve 2.97 @4.30 create 20.98 @4.29 map 0.83 @4.31 set_access 35.87 @4.27 unmap 23.48 @4.30 release 24.62 @4.30 addr_free 2.16 @4.32
-- vmm after a gap of launches, 64 MiB, nominal 5 ms, 12 cycles, us median @ ms since the call's last (median): reserve 3.11 @10.33 create 21.39 @10.31 map 0.88 @10.33 set_access 37.31 @10.30 unmap 24.77 @10.30 release 24.77 @10.31 addr_free 2.22 @10.33
-- vmm after a gap of launches, 64 MiB, nominal 10 ms, 12 cycles, us median @ ms since the call's last (median): reserve 4.37 @20.32 create 22.67 @20.30 map 0.87 @20.33 set_access 38.94 @20.29 unmap 26.22 @20.33 release 25.27 @20.33 addr_free 2.67 @20.36
-- vmm after a gap of launches, 64 MiB, nominal 20 ms, 12 cycles, us median @ ms since the call's last (median): reserve 4.47 @40.29 create 22.64 @40.27 map 0.90 @40.29 set_access 38.05 @40.26 unmap 25.66 @40.30 release 25.17 @40.30 addr_free 2.93 @40.32
-- vmm after a gap of launches, 64 MiB, nominal 50 ms, 12 cycles, us median @ ms since the call's last (median): reserve 10.22 @100.34 create 27.43 @100.33 map 1.58 @100.36 set_access 46.44 @100.30 unmap 31.24 @100.33 release 29.02 @100.34 addr_free 6.53 @100.35
-- vmm growth on the launching thread, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 8.96 (14.71/8.53/11.69) map 1.06 (1.50/0.90/1.30) set_access 26.44 (54.72/25.47/28.39)
-- vmm growth on one thread kept for the series, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 10.19 (76.82/8.73/13.81) map 0.92 (7.06/0.71/3.38) set_access 27.58 (115.67/25.59/29.72)
-- vmm growth on a new thread per handle, GPU busy: 128 handles of 2 MiB, us median (first / p10 / p90): create 18.39 (20.75/10.67/44.87) map 2.67 (3.61/1.11/6.55) set_access 38.38 (60.74/27.06/70.34)
-- vmm growth on the launching thread, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 9.85 (25.78/8.66/13.01) map 1.21 (3.15/0.92/1.51) set_access 28.18 (64.28/26.79/46.56)
-- vmm growth on one thread kept for the series, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 11.32 (35.72/10.10/35.72) map 1.23 (2.60/1.10/1.58) set_access 28.90 (84.26/27.50/47.58)
-- vmm growth on a new thread per handle, GPU busy: 32 handles of 64 MiB, us median (first / p10 / p90): create 22.77 (64.12/12.40/59.43) map 3.45 (4.66/1.59/4.92) set_access 51.69 (102.74/32.91/79.24)
-- vmm reserve / free of 16 MiB ranges among live ranges, us median per window of calls (live: reserve free): 0: 0.33 0.32 32: 0.90 1.01 96: 1.31 0.98 160: 1.85 1.00 224: 2.33 1.04 288: 2.91 0.99 352: 3.22 1.10 416: 3.72 1.03 480: 4.11 1.08 544: 8.63 1.07 608: 4.86 1.09 672: 5.34 1.13 736: 5.79 1.16 800: 6.25 1.15 864: 6.55 1.17 928: 6.94 1.21 992: 7.38 1.50
-- vmm factors over isolation at the granularity (busy, after_step): reserve 1.350 2.143 create 1.081 1.205 map 1.159 1.501 set_access 1.343 1.159 unmap 1.851 1.221 release 1.068 1.121 free_va 1.315 1.505
return {
  name = "h100-measured",
  gpus_per_server = 1, -- cudaGetDeviceCount
  servers = 1, -- one machine
  hbm_bytes = 85017493504, -- cudaMemGetInfo total
  hbm_bw = 3.278e+12, -- best read stream (kernels and launch shapes above)
  d2d_bw = 2.949e+12, -- cudaMemcpyAsync D2D 256 MiB, read+write
  flops = 7.834e+14, -- cuBLAS bf16 GEMM
  sms = 132, -- device property
  kernel_launch = 2.706e-06, -- empty kernels back to back
  pcie_bw = 5.436e+10, -- min(H2D, D2H) at 256 MiB, pinned
  pcie_lat = 1.201e-06, -- zero-copy dependent read round trip
  copy_overhead = 2.272e-06, -- fixed cost per cudaMemcpyAsync
  sm_copy_bw_per_sm = 3.935e+10, -- kv_transfer_launch on 1 SM
  sm_duplex_bw = 5.434e+10, -- kv_transfer_pair_launch both ways at once, 8 SMs, aggregate
  gpus_per_uplink = 0, -- not measured: own link assumed
  uplink_bw = 0, -- not measured (gpus_per_uplink = 0)
  host_bw = 7.404e+10, -- duplex DMA aggregate: lower bound of host DRAM bw for DMA
  nvlink_bw = 0, -- not measured (one GPU)
  nvlink_lat = 0, -- not measured (one GPU)
  nic_bw = 0, -- no inter-server tier
  nic_lat = 0, -- no inter-server tier
  vmm_reserve = 6.88e-07, -- cuMemAddressReserve, granularity range, cycles after a step, median
  vmm_create = 8.898e-06, -- cuMemCreate, cycles after a step, median
  vmm_map = 8.66e-07, -- cuMemMap, cycles after a step, median
  vmm_set_access = 2.173e-05, -- cuMemSetAccess, cycles after a step, median
  vmm_unmap = 1.673e-05, -- cuMemUnmap, cycles after a step, median
  vmm_release = 9.898e-06, -- cuMemRelease, cycles after a step, median
  vmm_granularity = 2097152, -- cuMemGetAllocationGranularity minimum
  vmm_reserve_per_mib = 1.439e-09, -- size slope: (largest - smallest handle median) / MiB, isolation
  vmm_create_per_mib = 3.153e-08, -- size slope, isolation
  vmm_map_per_mib = 1.081e-10, -- size slope, isolation
  vmm_set_access_per_mib = 3.75e-08, -- size slope, isolation
  vmm_unmap_per_mib = 1.582e-08, -- size slope, isolation
  vmm_release_per_mib = 2.423e-07, -- size slope, isolation
  table_write = 4.64e-06, -- 4 KiB H2D from pinned right after a step, events, median
  -- measured curves (every raw one in h100-measured.curves.csv)
  vmm_reserve_curve = { {2097152, 3.2099999458523598e-07}, {4194304, 3.7949999764919085e-07}, {8388608, 4.8150000253599501e-07}, {16777216, 4.0150000302219269e-07}, {67108864, 1.6934999962359143e-06}, {268435456, 2.0760000012387536e-06}, {1073741824, 1.4470000024857654e-06}, {17179869184, 1.3350000074296986e-06}, {274877906944, 1.3325000054464908e-06}, {1099511627776, 1.3394999953675324e-06} }, -- s per call by range bytes, isolation
  vmm_create_curve = { {2097152, 7.3854999982359004e-06}, {4194304, 7.4089999984039423e-06}, {8388608, 7.4589999989882472e-06}, {16777216, 7.4560000022927397e-06}, {67108864, 8.1009999988168602e-06}, {268435456, 1.046900000289952e-05}, {1073741824, 3.9604999997777668e-05} }, -- s per call by handle bytes, isolation
  vmm_map_curve = { {2097152, 5.7700000155591624e-07}, {4194304, 5.6650000246349919e-07}, {8388608, 5.8350000031737181e-07}, {16777216, 5.4699999907370511e-07}, {67108864, 6.0400000023719258e-07}, {268435456, 6.0900000065089444e-07}, {1073741824, 6.8750000181694304e-07} }, -- s per call by handle bytes, isolation
  vmm_set_access_curve = { {2097152, 1.8753499997359313e-05}, {4194304, 1.8636999996601844e-05}, {8388608, 1.8655499999908898e-05}, {16777216, 1.8771000000583626e-05}, {67108864, 3.2773499999194655e-05}, {268435456, 3.4509499997170678e-05}, {1073741824, 5.7076999997462963e-05} }, -- s per call by handle bytes, isolation
  vmm_unmap_curve = { {2097152, 1.3693999999730977e-05}, {4194304, 1.3415000001515409e-05}, {8388608, 1.3470999999043443e-05}, {16777216, 1.3689999999400015e-05}, {67108864, 2.1123500001607454e-05}, {268435456, 2.1251000003275067e-05}, {1073741824, 2.9865000001905173e-05} }, -- s per call by handle bytes, isolation
  vmm_release_curve = { {2097152, 8.8315000006389255e-06}, {4194304, 9.9744999992879002e-06}, {8388608, 1.1809000000084779e-05}, {16777216, 1.5256499995786044e-05}, {67108864, 2.4618500003015242e-05}, {268435456, 7.0668500001147549e-05}, {1073741824, 0.00025648749999973575} }, -- s per call by handle bytes, isolation
  vmm_free_va_curve = { {2097152, 3.1700000135970186e-07}, {4194304, 4.085000000486616e-07}, {8388608, 4.1649999715787089e-07}, {16777216, 4.0950000013140198e-07}, {67108864, 1.2904999948659679e-06}, {268435456, 1.6259999995327235e-06}, {1073741824, 1.2699999984988608e-06}, {17179869184, 1.2854999980049797e-06}, {274877906944, 2.129000009176707e-06}, {1099511627776, 1.9525000070075293e-06} }, -- s per call by range bytes, isolation
  vmm_reserve_live = { {16, 1.3582554763311459}, {128, 1.2819314867234866}, {1024, 1.2725857024676839}, {4096, 1.2881620169391177} }, -- idle call among x live handles / isolated
  vmm_create_live = { {16, 1.0184144613336603}, {128, 1.0433958431994437}, {1024, 1.0424480404740843}, {4096, 1.0586283935282472} }, -- idle call among x live handles / isolated
  vmm_map_live = { {16, 1.1603119558444854}, {128, 1.1299826670673454}, {1024, 1.1698440220777573}, {4096, 1.1958405517968966} }, -- idle call among x live handles / isolated
  vmm_set_access_live = { {16, 1.0030127709149608}, {128, 1.0897965713608699}, {1024, 1.0938491483596307}, {4096, 1.1142186793637732} }, -- idle call among x live handles / isolated
  vmm_unmap_live = { {16, 0.9928435810570283}, {128, 1.1174236893258143}, {1024, 1.1742734046943102}, {4096, 1.1740908425841912} }, -- idle call among x live handles / isolated
  vmm_release_live = { {16, 1.0538413631265853}, {128, 1.058823529246121}, {1024, 1.137519107240589}, {4096, 1.1532016076728755} }, -- idle call among x live handles / isolated
  vmm_free_va_live = { {16, 1.3138801115816583}, {128, 1.2965299580954621}, {1024, 1.3280757131024796}, {4096, 1.3643533016612086} }, -- idle call among x live handles / isolated
  vmm_create_grow = { {2097152, 8.9469999977609405e-06}, {67108864, 9.1890000000205418e-06} }, -- s per call growing the pool, by handle bytes
  vmm_map_grow = { {2097152, 1.0115000002031138e-06}, {67108864, 1.0840000008727202e-06} }, -- s per call growing the pool, by handle bytes
  vmm_set_access_grow = { {2097152, 2.2739999998577787e-05}, {67108864, 2.3085499996966519e-05} }, -- s per call growing the pool, by handle bytes
  vmm_reserve_live_va = { {32, 2.2316313731922262}, {96, 3.2727272357240285}, {160, 4.611457006891043}, {224, 5.7995018130962208}, {288, 7.237857992752712}, {352, 8.0199252286062848}, {416, 9.266500563071931}, {480, 10.229140633342572}, {544, 21.498131830080936}, {608, 12.103362305897512}, {672, 13.29265244663311}, {736, 14.409713467759641}, {800, 15.561643714160287}, {864, 16.321295016952327}, {928, 17.296388414829959}, {992, 18.376089506227132} }, -- among x live ranges / none
  vmm_free_va_live_va = { {32, 2.4761904720591734}, {96, 2.3956043935069649}, {160, 2.4444444463723856}, {224, 2.5335775298381749}, {288, 2.4139193916421591}, {352, 2.6935287159860306}, {416, 2.5164835026595425}, {480, 2.6385836174716228}, {544, 2.6202686366879}, {608, 2.6568986503097589}, {672, 2.7582417556676391}, {736, 2.8363858402523121}, {800, 2.8095238198520662}, {864, 2.8547008557389768}, {928, 2.9536019497778505}, {992, 3.6691086635261141} }, -- among x live ranges / none
  vmm_reserve_gap = {
    { 2097152, { {0.00025000000000000001, 6.5200000065601671e-07}, {0.0023500000000000001, 7.5699999513290095e-07}, {0.0042100000000000002, 7.6999999976123945e-07}, {0.01038, 8.2500000075924618e-07}, {0.020310000000000002, 8.0600000273989281e-07}, {0.04036, 8.9200000275013736e-07}, {0.10033, 1.4359999980229077e-06} } },
    { 67108864, { {0.00025000000000000001, 2.5340000000539931e-06}, {0.00231, 3.04900000003272e-06}, {0.0043400000000000001, 2.7219999978456144e-06}, {0.01039, 3.0169999973850281e-06}, {0.020379999999999999, 3.3580000007304989e-06}, {0.040430000000000001, 5.6830000048080365e-06}, {0.10049, 1.7120999999065134e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_create_gap = {
    { 2097152, { {0.00023000000000000001, 1.9545499995388127e-05}, {0.0023400000000000001, 8.809000000553624e-06}, {0.0041999999999999997, 8.9210000027151182e-06}, {0.010370000000000001, 8.9400000007344715e-06}, {0.020310000000000002, 9.4709999984843307e-06}, {0.04036, 9.8769999965497846e-06}, {0.10032000000000001, 1.3148999997270039e-05} } },
    { 67108864, { {0.00024000000000000001, 8.0920000016249105e-06}, {0.0022899999999999999, 2.0833000000664015e-05}, {0.0043200000000000001, 2.0883000004801033e-05}, {0.010370000000000001, 2.1075999995900929e-05}, {0.02036, 2.1713999998951294e-05}, {0.040430000000000001, 2.5106000002494966e-05}, {0.10047, 4.1746000000841832e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_map_gap = {
    { 2097152, { {0.00025000000000000001, 6.4949999512009526e-07}, {0.0023500000000000001, 8.0200000240893132e-07}, {0.0041999999999999997, 7.8500000455505869e-07}, {0.01038, 7.9199999447610026e-07}, {0.020310000000000002, 8.1800000373277726e-07}, {0.04036, 8.930000063855914e-07}, {0.10033, 1.2269999984937385e-06} } },
    { 67108864, { {0.00025000000000000001, 6.7199999875811045e-07}, {0.00231, 8.0099999877347727e-07}, {0.0043400000000000001, 7.9200000158152761e-07}, {0.01039, 8.0299999893895802e-07}, {0.020379999999999999, 9.6000000127105523e-07}, {0.040469999999999999, 1.2590000011414304e-06}, {0.10050000000000001, 3.4450000043761975e-06} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_set_access_gap = {
    { 2097152, { {0.00023000000000000001, 1.9450999996450946e-05}, {0.00233, 2.0415999998135703e-05}, {0.0041900000000000001, 2.0495999997649506e-05}, {0.010359999999999999, 2.1214000000213673e-05}, {0.020289999999999999, 2.1265000000880718e-05}, {0.040340000000000001, 2.2430000001349981e-05}, {0.1003, 2.6433999998687341e-05} } },
    { 67108864, { {0.00021000000000000001, 3.4427000002779096e-05}, {0.0022799999999999999, 3.5274999994783229e-05}, {0.0043099999999999996, 3.5824000001127843e-05}, {0.010359999999999999, 3.5923000005766426e-05}, {0.02035, 3.6292999993747799e-05}, {0.040399999999999998, 4.205300000137413e-05}, {0.10045, 6.4313000002869103e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_unmap_gap = {
    { 2097152, { {0.00024000000000000001, 1.4204500004666443e-05}, {0.0023400000000000001, 1.5075999996838618e-05}, {0.0042900000000000004, 1.5187000002470086e-05}, {0.010370000000000001, 1.5730999997742856e-05}, {0.020289999999999999, 1.6004000002567409e-05}, {0.040370000000000003, 1.6345999995337479e-05}, {0.10033, 2.1510999999918567e-05} } },
    { 67108864, { {0.00023000000000000001, 2.1735000000688842e-05}, {0.0022899999999999999, 2.2837000003050889e-05}, {0.0043200000000000001, 2.3405000000309428e-05}, {0.01038, 2.3728000002165572e-05}, {0.02036, 2.4166999999408745e-05}, {0.040430000000000001, 2.903700000445042e-05}, {0.10049, 5.4796999997108742e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_release_gap = {
    { 2097152, { {0.00023000000000000001, 2.0523499998148509e-05}, {0.0023400000000000001, 9.0180000000827931e-06}, {0.0042900000000000004, 9.032999997771185e-06}, {0.01038, 9.2129999984535971e-06}, {0.020299999999999999, 9.5130000019594263e-06}, {0.040370000000000003, 9.8240000028226859e-06}, {0.10034999999999999, 1.1407999998880314e-05} } },
    { 67108864, { {0.00021000000000000001, 3.6346499999950765e-05}, {0.0022899999999999999, 2.4571000004414145e-05}, {0.0043200000000000001, 2.4553000002924819e-05}, {0.01038, 2.4613000000783813e-05}, {0.02036, 2.4716999995177957e-05}, {0.040430000000000001, 2.6159000000802735e-05}, {0.10049, 4.0652999999224448e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_free_va_gap = {
    { 2097152, { {0.00025000000000000001, 4.7450000195681241e-07}, {0.0023500000000000001, 4.9999999873762135e-07}, {0.0043, 4.9700000204211392e-07}, {0.01039, 5.1199999973050581e-07}, {0.020310000000000002, 5.1300000336595986e-07}, {0.040379999999999999, 5.2000000039242877e-07}, {0.10037, 7.3900000074900163e-07} } },
    { 67108864, { {0.00025000000000000001, 1.978499998500638e-06}, {0.00231, 2.1330000024022411e-06}, {0.0043400000000000001, 2.0809999980997418e-06}, {0.0104, 2.1749999987719093e-06}, {0.020389999999999998, 2.4369999991336044e-06}, {0.04045, 3.5740000043915643e-06}, {0.10051, 1.2492999999835774e-05} } },
  }, -- s of a call by s since its kind's last, one row per handle bytes
  vmm_reserve_busy = 1.0534629362131283, -- busy / idle among the same live handles at the granularity
  vmm_create_busy = 1.0362055548130631, -- busy / idle among the same live handles at the granularity
  vmm_map_busy = 1.0260736163140611, -- busy / idle among the same live handles at the granularity
  vmm_set_access_busy = 1.232073394596753, -- busy / idle among the same live handles at the granularity
  vmm_unmap_busy = 1.6561233826990134, -- busy / idle among the same live handles at the granularity
  vmm_release_busy = 1.0086087050944605, -- busy / idle among the same live handles at the granularity
  vmm_free_va_busy = 1.0145985414078937, -- busy / idle among the same live handles at the granularity
  vmm_reserve_after_step = 1.6719319466169502, -- after_step / idle among the same live handles at the granularity
  vmm_create_after_step = 1.1546846616916411, -- after_step / idle among the same live handles at the granularity
  vmm_map_after_step = 1.3282208584778414, -- after_step / idle among the same live handles at the granularity
  vmm_set_access_after_step = 1.0634617737419449, -- after_step / idle among the same live handles at the granularity
  vmm_unmap_after_step = 1.0931250814919082, -- after_step / idle among the same live handles at the granularity
  vmm_release_after_step = 1.0584964181611733, -- after_step / idle among the same live handles at the granularity
  vmm_free_va_after_step = 1.1605839468427592, -- after_step / idle among the same live handles at the granularity
  copy_h2d_curve = { {4096, 2.5406561326235532e-06}, {16384, 2.8028641827404501e-06}, {65536, 3.9036641828715803e-06}, {262144, 7.5152642093598848e-06}, {1048576, 2.1938156336545945e-05}, {4194304, 8.2182876765727993e-05}, {16777216, 0.00032168400287628176}, {67108864, 0.0012421900033950807}, {268435456, 0.0049380478858947752} }, -- s per cudaMemcpyAsync by bytes, back to back
  copy_d2h_curve = { {4096, 1.9023040076717734e-06}, {16384, 2.1172640845179558e-06}, {65536, 3.2675359398126604e-06}, {262144, 6.4104162156581883e-06}, {1048576, 2.0699249580502511e-05}, {4194304, 7.7459372580051424e-05}, {16777216, 0.00030606999993324283}, {67108864, 0.0012178419828414917}, {268435456, 0.0048661999702453614} }, -- s per cudaMemcpyAsync by bytes, back to back
  sm_copy_h2d_curve = { {1, 34551163708.779846}, {2, 34150008873.19836}, {4, 34081191607.466492}, {8, 34044675509.14994}, {16, 34283435543.470417}, {32, 34019822533.767338}, {64, 34330016000.021458} }, -- B/s by SMs, 65536-byte pages
  sm_copy_d2h_curve = { {1, 44151496972.436974}, {2, 51026836739.33564}, {4, 51925127218.307381}, {8, 52158879640.82148}, {16, 52236830872.662003}, {32, 52222521245.584648}, {64, 52201722552.324776} }, -- B/s by SMs, 65536-byte pages
  sm_copy_page_h2d_curve = { {256, 0.924078538179126}, {4096, 1.0033063262887525}, {65536, 1} }, -- rate by page bytes over the 65536-byte page's, at 8 SMs
  sm_copy_page_d2h_curve = { {256, 0.9792016641281599}, {4096, 0.99875795893657893}, {65536, 1} }, -- rate by page bytes over the 65536-byte page's, at 8 SMs
  sm_copy_grid_h2d = {
    { 256, { {1, 4172257990.0530448}, {2, 8372466121.087985}, {4, 16464909819.296671}, {8, 31459953977.277969}, {16, 33533509054.69223}, {32, 32252960943.022457}, {64, 32976160592.90855} } },
    { 4096, { {1, 31062937639.902527}, {2, 33967476623.942802}, {4, 33944934336.720154}, {8, 34157238314.777893}, {16, 34220221622.155479}, {32, 34095597377.767746}, {64, 33893914262.527309} } },
    { 65536, { {1, 34551163708.779846}, {2, 34150008873.19836}, {4, 34081191607.466492}, {8, 34044675509.14994}, {16, 34283435543.470417}, {32, 34019822533.767338}, {64, 34330016000.021458} } },
  }, -- B/s by SMs, one row per page bytes
  sm_copy_grid_d2h = {
    { 256, { {1, 7508089631.1041269}, {2, 14904707124.302645}, {4, 29581934552.076138}, {8, 51074061743.352791}, {16, 51270095330.902016}, {32, 51675628251.705994}, {64, 51721510437.401855} } },
    { 4096, { {1, 43397731894.680763}, {2, 51222511940.666138}, {4, 52035927524.54567}, {8, 52094096170.485542}, {16, 52167961800.141136}, {32, 52232924385.36071}, {64, 52191331836.428757} } },
    { 65536, { {1, 44151496972.436974}, {2, 51026836739.33564}, {4, 51925127218.307381}, {8, 52158879640.82148}, {16, 52236830872.662003}, {32, 52222521245.584648}, {64, 52201722552.324776} } },
  }, -- B/s by SMs, one row per page bytes
  sm_copy_threads_grid_h2d = {
    { 128, { {1, 4926129778.5458984}, {2, 9807612816.5869102}, {4, 19445081083.915852}, {8, 34275591205.825199}, {16, 33736880680.461582}, {32, 34171152565.623516}, {64, 34190094232.226398} } },
    { 256, { {1, 9800417103.5112839}, {2, 19387556140.103146}, {4, 34254316027.218971}, {8, 33983989607.901691}, {16, 34230833706.256313}, {32, 34137223428.058617}, {64, 34234745190.354622} } },
    { 512, { {1, 19385227509.184937}, {2, 34353072815.114304}, {4, 34221336621.952412}, {8, 34297452820.44022}, {16, 34345758151.8675}, {32, 34404356517.8591}, {64, 34413389564.878395} } },
    { 1024, { {1, 34813859066.122223}, {2, 34377850526.553787}, {4, 34468255308.020653}, {8, 34132222853.470558}, {16, 34359264418.185646}, {32, 34168925026.004501}, {64, 34473920605.278198} } },
  }, -- B/s by SMs, one row per threads per block, 64 KiB pages
  sm_copy_threads_grid_d2h = {
    { 128, { {1, 11965810903.087786}, {2, 23480401565.631844}, {4, 46517577392.241669}, {8, 51408344327.111061}, {16, 51807115858.768425}, {32, 52052719522.162743}, {64, 52043677441.156708} } },
    { 256, { {1, 22824155886.111366}, {2, 44882866704.39756}, {4, 51311490021.380653}, {8, 51610770816.374557}, {16, 52042383222.531937}, {32, 52191331836.428757}, {64, 52105745508.956596} } },
    { 512, { {1, 34788446948.390305}, {2, 48985143253.498901}, {4, 51727888351.673592}, {8, 52060474441.750847}, {16, 52056594286.277351}, {32, 52156284628.650093}, {64, 52225122853.25106} } },
    { 1024, { {1, 44145922649.570511}, {2, 51175012140.038551}, {4, 52087627637.257271}, {8, 52238129933.375336}, {16, 52518078919.515839}, {32, 52214717977.549934}, {64, 52493103575.985115} } },
  }, -- B/s by SMs, one row per threads per block, 64 KiB pages
  batch_h2d_curve = { {4096, 4.731249937321991e-07}, {16384, 5.3249998018145565e-07}, {65536, 1.3760000001639128e-06}, {262144, 4.9887499772012234e-06}, {1048576, 1.9926249980926515e-05}, {4194304, 7.6786503195762639e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_d2h_curve = { {4096, 4.2487500468268993e-07}, {16384, 4.8362498637288806e-07}, {65536, 1.3287500478327275e-06}, {262144, 4.8791249282658102e-06}, {1048576, 1.9135000184178352e-05}, {4194304, 7.6121121644973756e-05} }, -- s per entry of cudaMemcpyBatchAsync by entry bytes
  batch_call = 2.6878500001714656e-05, -- s of host time per batched call
  batch_call_curve = { {64, 2.6878500001714656e-05} }, -- s of host time per batched call by entries
  attn_block_table_curve = { {1, 1.1720356550933293}, {4, 1.0568571974646248}, {16, 1.0436867118508262}, {64, 1.0468094853184278}, {256, 1.0338583192161046} }, -- time over contiguous by tokens per block
  attn_offset_table_curve = { {1, 1.2239738216865172}, {4, 1.094024275229101}, {16, 1.0406423524304904}, {64, 1.0395669736982847}, {256, 1.0314235445684579} }, -- time over contiguous by tokens per block
  source = "kvsim-calibrate on NVIDIA H100 80GB HBM3, driver API 13000, 2026-12-05 22:16 UTC",
}
