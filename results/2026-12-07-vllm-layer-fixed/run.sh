#!/bin/sh
# The rules' refits and validation (README.md), from the source tree:
#   run.sh BUILD OUT LAYER_FIXED_S   rule A: layer_fixed given (the lab's median)
#   run.sh BUILD OUT                 rule B: layer_fixed fitted in place of per_worker
set -e
B=${1:?build directory}
O=${2:?output directory}
if [ -n "${3:-}" ]; then
  FIRST="--fit-terms step,per_seq,per_worker --layer-fixed $3"
else
  FIRST="--fit-terms step,per_seq,layer_fixed"
fi
mkdir -p "$O/fit"
# shellcheck disable=SC2086
$B/kvsim experiments/vllm_validation.lua --fit --schedule-ahead --fit-to itl_mean $FIRST \
    --overheads "$O/fit/step.json" > "$O/fit/step.txt"
$B/kvsim experiments/vllm_validation.lua --fit --fit-to ttft_mean --fit-terms request \
    --fit-base "$O/fit/step.json" --serial-intake --overheads "$O/fit/request.json" > "$O/fit/request.txt"
$B/kvsim experiments/vllm_validation.lua --fit --fit-to ttft_p99 --fit-terms eager_per_layer \
    --fit-base "$O/fit/request.json" --late-release --overheads "$O/fit/overheads.json" > "$O/fit/overheads.txt"
$B/kvsim experiments/vllm_validation.lua --overheads "$O/fit/overheads.json" --out "$O/validation" > "$O/validation.txt"
python3 results/2026-12-06-vllm-layer-rate/subset_rms.py "$O/validation/report.csv"
