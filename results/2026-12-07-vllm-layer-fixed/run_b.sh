#!/bin/sh
# Rule B's refit and validation (README.md): run_b.sh BUILD OUT, from the source tree
set -e
B=${1:?build directory}
O=${2:?output directory}
mkdir -p "$O/fit"
$B/kvsim experiments/vllm_validation.lua --fit --schedule-ahead --fit-to itl_mean \
    --fit-terms step,per_seq,layer_fixed --overheads "$O/fit/step.json" > "$O/fit/step.txt"
$B/kvsim experiments/vllm_validation.lua --fit --fit-to ttft_mean --fit-terms request \
    --fit-base "$O/fit/step.json" --serial-intake --overheads "$O/fit/request.json" > "$O/fit/request.txt"
$B/kvsim experiments/vllm_validation.lua --fit --fit-to ttft_p99 --fit-terms eager_per_layer \
    --fit-base "$O/fit/request.json" --late-release --overheads "$O/fit/overheads.json" > "$O/fit/overheads.txt"
$B/kvsim experiments/vllm_validation.lua --overheads "$O/fit/overheads.json" --out "$O/validation" > "$O/validation.txt"
python3 results/2026-12-06-vllm-layer-rate/subset_rms.py "$O/validation/report.csv"
