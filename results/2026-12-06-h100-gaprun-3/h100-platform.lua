-- the platform of results/2026-12-06-h100-gaprun-3/r/calibrate.txt and its curves, as
-- scripts/kvsim/calibration.lua builds it (scripts/analyze_device_run.sh)
local kv = require "kvsim"
local t = kv.calibration.platform_fields(kv.calibration.read("results/2026-12-06-h100-gaprun-3/r/calibrate.txt"), "h100-sxm-80gb")
t.name = "h100-measured"
return t
