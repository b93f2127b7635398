-- the platform kvsim-calibrate measured, with the compute table
-- (scripts/analyze_device_run.sh)
local p = dofile("results/2026-12-06-h100-gaprun-3/h100-platform.lua")
p.compute_table = "results/2026-12-06-h100-gaprun-3/compute_table.csv"
return p
