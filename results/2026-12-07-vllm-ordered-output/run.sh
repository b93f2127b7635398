#!/bin/bash
# run.sh BUILD OUT - the pre-registered refit with overheads.ordered_output
# (README.md): per_output on a grid with `request` refitted on the subset's
# TTFT means at each point, the grid point with the lowest rms taken, then
# eager_per_layer refitted on the TTFT p99s, then the validation at seed 1
# and the subset's sum of squared rms errors. Run from the source tree with
# KVSIM_DATA_DIR set.
set -eu
BUILD=$1
OUT=$2
mkdir -p "$OUT/fit"
best=""
for us in 25 50 75 100; do
  python3 - "$us" "$OUT/fit/base_$us.json" <<'PY'
import json, sys
d = json.load(open('experiments/data/vllm/overheads_prompts_step.json'))
d['overheads']['per_output'] = int(sys.argv[1]) * 1e-6
d['overheads']['serial_intake'] = True
d['overheads']['ordered_output'] = True
json.dump(d, open(sys.argv[2], 'w'), indent=1)
PY
  "$BUILD/kvsim" experiments/vllm_validation.lua --fit --fit-to ttft_mean --fit-terms request \
    --serial-intake --ordered-output --fit-base "$OUT/fit/base_$us.json" \
    --overheads "$OUT/fit/request_$us.json" > "$OUT/fit/request_$us.txt" 2>&1
  rms=$(sed -n 's/^rms relative error \([0-9.]*\) %.*/\1/p' "$OUT/fit/request_$us.txt" | tail -1)
  echo "per_output $us us: $(grep -m1 '^fitted' "$OUT/fit/request_$us.txt" | sed 's/.*: //'), rms on the TTFT means $rms %" | tee -a "$OUT/fit/grid.txt"
  if [ -z "$best" ] || python3 -c "import sys; sys.exit(not ($rms < $best_rms))"; then best=$us; best_rms=$rms; fi
done
echo "lowest: per_output $best us ($best_rms %)" | tee -a "$OUT/fit/grid.txt"
"$BUILD/kvsim" experiments/vllm_validation.lua --fit --fit-to ttft_p99 --fit-terms eager_per_layer \
  --late-release --fit-base "$OUT/fit/request_$best.json" --overheads "$OUT/fit/overheads.json" \
  > "$OUT/fit/overheads.txt" 2>&1
"$BUILD/kvsim" experiments/vllm_validation.lua --overheads "$OUT/fit/overheads.json" --out "$OUT/validation" \
  > "$OUT/validation.txt" 2>&1
python3 results/2026-12-06-vllm-layer-rate/subset_rms.py "$OUT/validation/report.csv" | tee "$OUT/subset_rms.txt"
