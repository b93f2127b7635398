#!/bin/sh
# results/2026-12-06-vllm-startup-transient/run.sh BUILD_DIR: the scan of this
# folder's README (about 2 minutes on two cores). Needs KVSIM_DATA_DIR like
# the experiment itself.
set -eu
B=${1:-build}
D=results/2026-12-06-vllm-startup-transient
L=results/2026-12-06-vllm-layer-rate
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
patch -s -o "$T/vllm_validation.lua" experiments/vllm_validation.lua "$D/transient.patch"
RUNS=20260217-155451,20260217-203421,20260218-150956
echo "default profile, no transient"
"$B/kvsim" "$T/vllm_validation.lua" --runs $RUNS --no-apc --out "$T/default" >/dev/null 2>&1
python3 "$D/scan.py" "$T/default"
for A in 0.01 0.02 0.03 0.05 0.1 0.2; do
  for N in 5 10 20 30 60 100; do
    echo "a-launch-measured profile, A=$A s N=$N"
    TR_A=$A TR_N=$N "$B/kvsim" "$T/vllm_validation.lua" --runs $RUNS --no-apc \
      --platform $L/h100-layer.lua --overheads $L/a-launch-measured/fit/overheads.json \
      --out "$T/$A-$N" >/dev/null 2>&1
    python3 "$D/scan.py" "$T/$A-$N"
  done
done
