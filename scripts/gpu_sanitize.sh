#!/bin/sh
# gpu_sanitize.sh - run every kernel test under compute-sanitizer (memcheck,
# racecheck, initcheck, synccheck) on a machine with an NVIDIA GPU and the
# CUDA toolkit. Builds the kernel lab with nvcc (-lineinfo for source lines
# in reports), runs each lab program's correctness check (--check) under
# each tool, and, when given, GPU backend test binaries built elsewhere.
#
#   OUT=dir [LABS="xfer_engine transfer"] sh scripts/gpu_sanitize.sh [DIR_WITH_test_gpu_backend]
#
# Writes OUT/sanitize_<program>_<tool>.txt and OUT/sanitize_summary.txt;
# exits non-zero when any tool reports an error.
set -u
OUT=${OUT:-results/tmp/sanitize}
NVCC=${NVCC:-nvcc}
command -v "$NVCC" >/dev/null 2>&1 || NVCC=/usr/local/cuda/bin/nvcc
CS=${CS:-compute-sanitizer}
command -v "$CS" >/dev/null 2>&1 || CS=/usr/local/cuda/bin/compute-sanitizer
B=${BUILD:-/tmp/kvsim-sanitize-build}
mkdir -p "$OUT" "$B"
FLAGS="-arch=sm_90 -O2 -lineinfo -std=c++17"
LABS=${LABS:-compact attn_read xfer_engine transfer}
for lab in $LABS; do
  $NVCC $FLAGS -o "$B/lab_$lab" kernels/$lab.cu kernels/kv_kernels.cu \
    kernels/kv_xfer_engine.cu > "$B/build_$lab.log" 2>&1 &
done
wait
cat "$B"/build_*.log > "$OUT/sanitize_build.log"
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
  "$CS" --version | tail -1
} > "$OUT/sanitize_summary.txt" 2>&1

rc=0
run() { # name tool cmd...
  name=$1 tool=$2
  shift 2
  f="$OUT/sanitize_${name}_${tool}.txt"
  timeout ${PER_RUN:-60} "$CS" --tool "$tool" --error-exitcode 99 "$@" > "$f" 2>&1
  r=$?
  errs=$(grep -E "ERROR SUMMARY|RACECHECK SUMMARY" "$f" | tail -1)
  echo "$name $tool: exit $r; ${errs:-no summary line}" | tee -a "$OUT/sanitize_summary.txt"
  [ $r -eq 0 ] || rc=1
}
for lab in $LABS; do
  for tool in memcheck racecheck initcheck synccheck; do
    extra=
    # initcheck does not count copies made by cudaMemcpyBatchAsync as
    # writes (the probe below shows it): the engine with plain copies
    [ "$lab.$tool" = xfer_engine.initcheck ] && extra=--plain
    run "lab_$lab" "$tool" "$B/lab_$lab" --check $extra
  done
done
case " $LABS " in *" xfer_engine "*)
  keep=$rc # for the record, not counted
  echo "not counted:" >> "$OUT/sanitize_summary.txt"
  run lab_xfer_engine_batched initcheck "$B/lab_xfer_engine" --check
  run lab_xfer_engine_batch_probe initcheck "$B/lab_xfer_engine" --batch-probe
  rc=$keep ;;
esac
if [ $# -ge 1 ] && [ -x "$1/test_gpu_backend" ]; then
  export LD_LIBRARY_PATH="$1:${LD_LIBRARY_PATH:-}"
  for c in vmm integrity cleanup; do
    run "test_gpu_backend_$c" memcheck "$1/test_gpu_backend" "$c"
  done
fi
exit $rc
