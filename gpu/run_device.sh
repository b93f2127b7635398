#!/bin/sh
# gpu/run_device.sh - the GPU backend's checks on a machine with a GPU.
# The device image has CUDA but not Lua, jansson or SimGrid, which kvsim's
# CMake requires, so the program is built on the development machine
# (cmake -DCMAKE_CUDA_ARCHITECTURES=90, target test_gpu_backend) and carried
# with libjansson in BIN. Run from the repository root:
#   BIN=build-gpu/carry OUT=/some/dir sh gpu/run_device.sh
# The open-arrival validation (docs/validation.md, "Open arrivals") is not
# run here. Carry validate_gpu too (target validate_gpu) and the trace inside
# the repository (the device call does not send ../shared), then, per case,
# with the calibration of the same session in the parent of the data folder:
#   for l in $($BIN/validate_gpu --open --list); do
#     $BIN/validate_gpu --open --minutes 1 --max-wall 90 --only $l \
#       --out $OUT/open --trace data/azure2023_conv.csv
#   done
# (~6 min of GPU time for a 1-minute slice; the default 5-minute slice needs
# ~38 min) and, back here, build/kvsim experiments/validate_open.lua --data DIR.
set -u
BIN=${BIN:-build-gpu/carry}
OUT=${OUT:-results/tmp/gpu}
mkdir -p "$OUT"
export LD_LIBRARY_PATH="$BIN:/usr/local/cuda/lib64:${LD_LIBRARY_PATH:-}"
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  nvidia-smi --query-gpu=name,driver_version,memory.total,memory.used --format=csv
  ldd "$BIN/test_gpu_backend" | grep -E "not found|cudart|jansson"
} > "$OUT/env.txt" 2>&1
cat "$OUT/env.txt"
for t in vmm integrity cleanup engine; do
  echo "== test_gpu_backend $t"
  start=$(date +%s.%N)
  timeout 200 "$BIN/test_gpu_backend" "$t"
  echo "rc=$? wall=$(echo "$(date +%s.%N) - $start" | bc 2>/dev/null)"
done 2>&1 | tee "$OUT/tests.txt"
