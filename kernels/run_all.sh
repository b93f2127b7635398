#!/bin/sh
# kernels/run_all.sh - build the kernel lab and kvsim-calibrate with nvcc for
# sm_90, run every lab program (correctness checks, then timings) and the
# calibration, and write each program's output under OUT (default
# results/tmp/kernels). Run from the repository root on a machine with a GPU:
#   OUT=/some/dir sh kernels/run_all.sh
set -u
OUT=${OUT:-results/tmp/kernels}
NVCC=${NVCC:-nvcc}
command -v "$NVCC" >/dev/null 2>&1 || NVCC=/usr/local/cuda/bin/nvcc
B=${BUILD:-/tmp/kvsim-kernels-build}
mkdir -p "$OUT" "$B"
FLAGS="-arch=sm_90 -O3 -std=c++17 -Xcompiler -Wall,-Wextra"
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "host: $(uname -a)"
  nvidia-smi --query-gpu=name,driver_version,memory.total,pcie.link.gen.current,pcie.link.width.current,clocks.sm,clocks.mem --format=csv
  nvidia-smi
  "$NVCC" --version
  echo "flags: $FLAGS"
} > "$OUT/env.txt" 2>&1

# build the five programs in parallel
for lab in transfer xfer_engine attn_read compact; do
  $NVCC $FLAGS -o "$B/lab_$lab" kernels/$lab.cu kernels/kv_kernels.cu \
    kernels/kv_xfer_engine.cu > "$B/build_$lab.log" 2>&1 &
done
$NVCC $FLAGS -Igpu -o "$B/kvsim-calibrate" kernels/calibrate.cu \
  kernels/calib_compute.cu kernels/kv_kernels.cu kernels/kv_xfer_engine.cu \
  kernels/kv_attention.cu gpu/gpu_kernels.cu gpu/gpu_drv.c -lcublas \
  > "$B/build_calibrate.log" 2>&1 &
wait
cat "$B"/build_*.log > "$OUT/build.log"
for p in lab_transfer lab_xfer_engine lab_attn_read lab_compact kvsim-calibrate; do
  [ -x "$B/$p" ] || { echo "build of $p failed"; cat "$OUT/build.log"; exit 1; }
done

rc=0
for lab in compact attn_read transfer xfer_engine; do
  echo "=== lab_$lab"
  "$B/lab_$lab" > "$OUT/lab_$lab.txt" 2>&1
  r=$?
  echo "exit $r" >> "$OUT/lab_$lab.txt"
  [ $r -eq 0 ] || rc=1
  cat "$OUT/lab_$lab.txt"
done
echo "=== kvsim-calibrate"
"$B/kvsim-calibrate" --lua "$OUT/h100-measured.lua" > "$OUT/calibrate.txt" 2>&1
r=$?
echo "exit $r" >> "$OUT/calibrate.txt"
[ $r -eq 0 ] || rc=1
cat "$OUT/calibrate.txt"
exit $rc
