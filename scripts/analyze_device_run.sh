#!/bin/sh
# scripts/analyze_device_run.sh - the simulated half and the tables of one
# `gpu/device_run.sh` call, from what it left in DIR/r (r.tar.gz unpacked).
# Run from the repository root after `cmake --build build`:
#   sh scripts/analyze_device_run.sh DIR PLATFORM_STEM
# e.g. sh scripts/analyze_device_run.sh results/2026-12-05-h100-compute h100
# Writes, in DIR: compute_table.csv (the GEMM rows of kvsim-calibrate
# --compute-table and the attention rows of lab_attention --table under one
# header), attn_modes.{csv,txt}, closure/ and closure.txt (the calibration
# replayed), STEM-platform.lua (the measured platform, rebuilt from the
# report by scripts/kvsim/calibration.lua), STEM-table.lua (that platform
# plus the compute table), and
# validate_open-{roofline,table}.txt with open-{roofline,table}/ (the
# open-arrival runs replayed on both compute models).
# REPORT=FILE replays on another calibration of the same call (e.g.
# DIR/r/calibrate_gapk.txt, device_run.sh's stage g) and DEST=DIR2 puts
# what it writes there instead of DIR (the compute table is DIR's).
set -eu
[ $# -eq 2 ] || { echo "usage: $0 DIR PLATFORM_STEM" >&2; exit 2; }
D=$1
S=$2
K=${KVSIM:-build/kvsim}
P=$D/r/$S-measured.lua
R=${REPORT:-$D/r/calibrate.txt}
O=${DEST:-$D}
[ -d "$D/r" ] || { echo "$0: $D/r: no such folder (unpack r.tar.gz there)" >&2; exit 1; }
[ -n "${REPORT:-}" ] && { [ -f "$R" ] || { echo "$0: REPORT=$R: no such file" >&2; exit 1; }; }
mkdir -p "$O"
if [ -f "$D/r/gemm_table.csv" ]; then
  {
    grep -v '^#' "$D/r/gemm_table.csv" | head -n 1
    for f in "$D/r/gemm_table.csv" "$D/r/attn_table.csv"; do
      [ -f "$f" ] && grep -v '^#' "$f" | tail -n +2
    done
  } > "$D/compute_table.csv"
fi
if [ -f "$D/r/attn_table.csv" ]; then
  $K scripts/attn_modes.lua "$D/r/attn_table.csv" "$O/attn_modes.csv" > "$O/attn_modes.txt"
fi
if [ -f "$R" ]; then
  $K experiments/closure.lua --reports "$R" --out "$O/closure" --no-plot > "$O/closure.txt"
fi
[ -f "$P" ] || { echo "$0: $P: no measured platform" >&2; exit 1; }
# The platform the runs are replayed on: the report and its curves as
# scripts/kvsim/calibration.lua reads them, i.e. the fields kvsim-calibrate
# writes at this repository's commit (kernels_calibration_fixture checks
# that the two agree), so that a model change since the device call applies
# to its data; the device's own $S-measured.lua stays as it was written.
case "$S" in h100) BASE=h100-sxm-80gb ;; *) BASE=h200-141gb ;; esac
if [ -f "$R" ]; then
  cat > "$O/$S-platform.lua" <<EOT
-- the platform of $R and its curves, as
-- scripts/kvsim/calibration.lua builds it (scripts/analyze_device_run.sh)
local kv = require "kvsim"
local t = kv.calibration.platform_fields(kv.calibration.read("$R"), "$BASE")
t.name = "$S-measured"
return t
EOT
  P=$O/$S-platform.lua
fi
cat > "$O/$S-table.lua" <<EOT
-- the platform kvsim-calibrate measured, with the compute table
-- (scripts/analyze_device_run.sh)
local p = dofile("$P")
p.compute_table = "$D/compute_table.csv"
return p
EOT
if [ -d "$D/r/open" ]; then
  $K experiments/validate_open.lua --data "$D/r/open" --platform "$P" \
    --report "$O/open-roofline" > "$O/validate_open-roofline.txt" || true
  $K experiments/validate_open.lua --data "$D/r/open" --platform "$O/$S-table.lua" \
    --report "$O/open-table" > "$O/validate_open-table.txt" || true
fi
