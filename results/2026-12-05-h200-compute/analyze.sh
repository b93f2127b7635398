#!/bin/sh
# results/2026-12-05-h200-compute/analyze.sh - the simulated half and the
# tables, from what the device run left in this folder (r/ unpacked from
# r.tar.gz). Run from the repository root after `cmake --build build`:
#   sh results/2026-12-05-h200-compute/analyze.sh
set -eu
D=results/2026-12-05-h200-compute
K=${KVSIM:-build/kvsim}
# the compute table: GEMM rows (kvsim-calibrate --compute-table) and
# attention rows (lab_attention --table) under one header
{
  grep -v '^#' $D/r/gemm_table.csv | head -n 1
  for f in $D/r/gemm_table.csv $D/r/attn_table.csv; do
    [ -f "$f" ] && grep -v '^#' "$f" | tail -n +2
  done
} > $D/compute_table.csv
[ -f $D/r/attn_table.csv ] &&
  $K scripts/attn_modes.lua $D/r/attn_table.csv $D/attn_modes.csv > $D/attn_modes.txt
[ -f $D/r/calibrate.txt ] &&
  $K experiments/closure.lua --reports $D/r/calibrate.txt --out $D/closure --no-plot > $D/closure.txt
# the same platform with the compute table (operator-level compute)
cat > $D/h200-table.lua <<EOT
-- the platform kvsim-calibrate measured, with the compute table (analyze.sh)
local p = dofile("$D/r/h200-measured.lua")
p.compute_table = "$D/compute_table.csv"
return p
EOT
if [ -d $D/r/open ]; then
  $K experiments/validate_open.lua --data $D/r/open --platform $D/r/h200-measured.lua \
    --report $D/open-roofline > $D/validate_open-roofline.txt || true
  $K experiments/validate_open.lua --data $D/r/open --platform $D/h200-table.lua \
    --report $D/open-table > $D/validate_open-table.txt || true
fi
