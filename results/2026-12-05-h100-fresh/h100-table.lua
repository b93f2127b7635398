-- the platform kvsim-calibrate measured, with the compute table
-- (scripts/analyze_device_run.sh)
local p = dofile("results/2026-12-05-h100-fresh/h100-platform.lua")
p.compute_table = "results/2026-12-05-h100-fresh/compute_table.csv"
return p
