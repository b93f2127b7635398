-- the platform of results/2026-12-06-h200-gaprun/r/calibrate.txt and its curves, as
-- scripts/kvsim/calibration.lua builds it (scripts/analyze_device_run.sh)
local kv = require "kvsim"
local t = kv.calibration.platform_fields(kv.calibration.read("results/2026-12-06-h200-gaprun/r/calibrate.txt"), "h200-141gb")
t.name = "h200-measured"
return t
