-- Several GPUs of one server measured by kvsim-calibrate-multi (kernels/calib_multi.cu).
-- devices: 1 x NVIDIA H100 80GB HBM3, driver API 13000, 2026-12-05 21:58 UTC; NUMA nodes online: 0
-- placement: GPU 0 node -1 (local pages on 0, no other node)
-- every GPU's host path checked (256 MiB H2D, D2D, D2H, byte for byte) in each placement
-- per-GPU h2d rate, 256 MiB copies, local host memory, GB/s by GPUs at once: 1: 54.42
-- per-GPU d2h rate, 256 MiB copies, local host memory, GB/s by GPUs at once: 1: 55.04
-- per-GPU both rate, 256 MiB copies, local host memory, GB/s by GPUs at once: 1: 71.61
-- host DRAM for DMA: largest aggregate 71.32 GB/s (host_bw)
-- peer copies: one GPU, nothing to measure
-- all-reduce: one GPU, nothing to measure
return {
  base = "h100-sxm-80gb", -- the preset every other field comes from
  name = "multi-check",
  gpus_per_server = 1, -- cudaGetDeviceCount
  host_bw = 7.132e+10, -- host DRAM for DMA: the largest aggregate of 256 MiB copies, all GPUs at once, own-node memory
  -- every raw curve in multi-check.curves.csv
  source = "kvsim-calibrate-multi on 1 x NVIDIA H100 80GB HBM3, driver API 13000, 2026-12-05 21:58 UTC",
}
