#!/bin/bash
# run.sh BUILD OUT - the pre-registered re-test of the layer rate (README.md)
# on the default profile's chain with the front end's queue: every stage
# refitted on the subset with flops at the layer's measured rate
# (results/2026-12-06-vllm-layer-rate/h100-layer.lua), per_output kept at the
# grid's 50 us, then the validation at seed 1 and the subset's sum of squared
# rms errors. Run from the source tree with KVSIM_DATA_DIR set.
set -eu
BUILD=$1
OUT=$2
P=results/2026-12-06-vllm-layer-rate/h100-layer.lua
mkdir -p "$OUT/fit"
"$BUILD/kvsim" experiments/vllm_validation.lua --fit --fit-to itl_mean --fit-terms step,per_seq,per_worker \
  --schedule-ahead --platform $P --overheads "$OUT/fit/step.json" > "$OUT/fit/step.txt" 2>&1
python3 - "$OUT/fit/step.json" "$OUT/fit/base.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d['overheads']['per_output'] = 5e-05
d['overheads']['serial_intake'] = True
d['overheads']['ordered_output'] = True
json.dump(d, open(sys.argv[2], 'w'), indent=1)
PY
"$BUILD/kvsim" experiments/vllm_validation.lua --fit --fit-to ttft_mean --fit-terms request --serial-intake \
  --ordered-output --fit-base "$OUT/fit/base.json" --platform $P --overheads "$OUT/fit/request.json" \
  > "$OUT/fit/request.txt" 2>&1
"$BUILD/kvsim" experiments/vllm_validation.lua --fit --fit-to ttft_p99 --fit-terms eager_per_layer --late-release \
  --fit-base "$OUT/fit/request.json" --platform $P --overheads "$OUT/fit/overheads.json" > "$OUT/fit/overheads.txt" 2>&1
"$BUILD/kvsim" experiments/vllm_validation.lua --platform $P --overheads "$OUT/fit/overheads.json" \
  --out "$OUT/validation" > "$OUT/validation.txt" 2>&1
python3 results/2026-12-06-vllm-layer-rate/subset_rms.py "$OUT/validation/report.csv" | tee "$OUT/subset_rms.txt"
