#!/bin/bash
# run.sh BUILD OUT - the default profile (D) and the layer-rate profile (L,
# results/2026-12-07-vllm-layer-rate-queue) validated at seeds 2-6, each
# validation's subset sum of squared rms errors, and the rule's arithmetic
# (README.md). Run from the source tree with KVSIM_DATA_DIR set.
set -eu
BUILD=$1
OUT=$2
HERE=results/2026-12-07-vllm-layer-rate-seeds
L_PLATFORM=results/2026-12-06-vllm-layer-rate/h100-layer.lua
L_PROFILE=results/2026-12-07-vllm-layer-rate-queue/fit/overheads.json
for s in 2 3 4 5 6; do
  "$BUILD/kvsim" experiments/vllm_validation.lua --seed $s --out "$OUT/D/seed$s" > "$OUT/D-seed$s.txt" 2>&1
  "$BUILD/kvsim" experiments/vllm_validation.lua --seed $s --platform $L_PLATFORM --overheads $L_PROFILE \
    --out "$OUT/L/seed$s" > "$OUT/L-seed$s.txt" 2>&1
  echo "seed $s done" >&2
done
python3 $HERE/decide.py "$OUT" | tee "$OUT/decision.txt"
