#!/bin/sh
# tests/validate_multi_ideal.sh - CTest validate_multi_ideal: the
# several-GPU lockstep validation end to end without a GPU.
#   sh tests/validate_multi_ideal.sh VALIDATE_GPU KVSIM SOURCE_DIR WORK_DIR
# 1. validate_gpu --lockstep --quick --ideal for N = 1 and N = 2 (two
#    processes with one --start-at, as gpu/device_run_multi.sh starts them);
# 2. both processes of N = 2 must write the same steps, requests and
#    summary (same workload and seed: they swap at the same moments), and
#    swap; the barrier must have been waited for;
# 3. validate_multi.lua --backend ideal --exact on the ideal backend's
#    platform: the replay reproduces every compared quantity exactly;
# 4. validate_multi.lua on SimGrid (the comparison runs; errors not judged).
# Exits 77 (skipped) when the trace is not found.
set -eu
vg=$1 kvsim=$2 src=$3 work=$4
trace=
for d in "${KVSIM_DATA_DIR:-/nonexistent}/traces" "$src/data/traces" "$src/shared/traces" \
  "$src/../shared/traces"; do
  if [ -f "$d/azure2023_conv.csv" ]; then trace=$d/azure2023_conv.csv; break; fi
done
if [ -z "$trace" ]; then echo "azure2023_conv.csv not found: skipped"; exit 77; fi
rm -rf "$work"
mkdir -p "$work"
cd "$src"
fail() { echo "FAIL: $*"; exit 1; }
"$vg" --lockstep --quick --ideal --out "$work/d/n1" --trace "$trace"
at=$(( $(date +%s) + 2 ))
"$vg" --lockstep --quick --ideal --device 0 --gpus 2 --start-at "$at" --out "$work/d/n2" \
  --trace "$trace" > "$work/g0.log" 2>&1 &
p0=$!
"$vg" --lockstep --quick --ideal --device 1 --gpus 2 --start-at "$at" --out "$work/d/n2" \
  --trace "$trace" > "$work/g1.log" 2>&1 || fail "gpu1: $(cat "$work/g1.log")"
wait "$p0" || fail "gpu0: $(cat "$work/g0.log")"
for f in steps_lockstep.csv requests_lockstep.csv summary.csv workload.csv; do
  cmp "$work/d/n2/gpu0/$f" "$work/d/n2/gpu1/$f"
  cmp "$work/d/n1/gpu0/$f" "$work/d/n2/gpu0/$f"
done
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
  { if ($c["swaps_out"] + 0 <= 0 || $c["complete"] != 1) exit 1 }' "$work/d/n2/gpu0/summary.csv" ||
  fail "n2/gpu0: no swap, or incomplete"
for k in 0 1; do
  awk -F, 'NR == 2 { if ($4 + 0 <= 0) exit 1 }' "$work/d/n2/gpu$k/wall.csv" ||
    fail "gpu$k did not wait at the barrier"
done
if "$vg" --lockstep --ideal --device 2 --gpus 2 --out "$work/bad" > "$work/bad.txt" 2>&1; then
  fail "--device 2 --gpus 2 accepted"
fi
grep -q "not below --gpus" "$work/bad.txt" || fail "--device 2 --gpus 2: $(cat "$work/bad.txt")"
"$kvsim" experiments/validate_multi.lua --data "$work/d" --backend ideal --platform h100-sxm-80gb \
  --exact --report "$work/exact" > "$work/exact.txt"
tail -n 1 "$work/exact.txt"
"$kvsim" experiments/validate_multi.lua --data "$work/d" --report "$work/simgrid" > "$work/simgrid.txt"
grep "^overall" "$work/simgrid.txt"
