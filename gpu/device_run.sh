#!/bin/sh
# gpu/device_run.sh - everything one device call runs, in order of value,
# each step under its own time limit; outputs under $OUT/r, packed into
# $OUT/r.tar.gz (the device tool returns at most 8 files).
#   STAGE=check|full BIN=build-dev/carry OUT=dir sh gpu/device_run.sh
# check: kernel checks, compute-sanitizer, the GPU backend tests, short
#        timings. full: also the calibration (platform + compute table),
#        the addressing-mode table and the open-arrival validation.
set -u
BIN=${BIN:-build-dev/carry}
STAGE=${STAGE:-check}
R=$OUT/r
mkdir -p "$R"
export LD_LIBRARY_PATH="$BIN:/usr/local/cuda/lib64:${LD_LIBRARY_PATH:-}"
export PATH="/usr/local/cuda/bin:$PATH"
t0=$(date +%s)
step() { # step NAME LIMIT_S CMD...: run, log to $R/NAME.txt, print a line
  name=$1; lim=$2; shift 2
  s=$(date +%s)
  timeout "$lim" "$@" > "$R/$name.txt" 2>&1
  rc=$?
  echo "== $name rc=$rc ${lim}s-limit wall=$(( $(date +%s) - s ))s total=$(( $(date +%s) - t0 ))s"
  tail -n 4 "$R/$name.txt"
}
{
  date -u '+%Y-%m-%d %H:%M:%S UTC'
  nvidia-smi --query-gpu=name,driver_version,memory.total,memory.used,clocks.sm,clocks.mem,pcie.link.gen.current,pcie.link.width.current --format=csv
  uname -r; nproc
  git log -1 --format='%H %s' 2>/dev/null || cat COMMIT 2>/dev/null
  for p in "$BIN"/*; do ldd "$p" 2>/dev/null | grep -E "not found"; done
} > "$R/env.txt" 2>&1
cat "$R/env.txt"
step attention_check 120 "$BIN/lab_attention" --check
step attention_time 120 "$BIN/lab_attention"
step sanitize_attention 240 compute-sanitizer --tool memcheck --error-exitcode 9 "$BIN/lab_attention" --check
for t in engine integrity vmm cleanup tier order; do
  step gpu_$t 120 "$BIN/test_gpu_backend" $t
done
step sanitize_gpu_engine 240 compute-sanitizer --tool memcheck --error-exitcode 9 "$BIN/test_gpu_backend" engine
if [ "$STAGE" = full ]; then
  step attention_table 240 "$BIN/lab_attention" --table "$R/attn_table.csv"
  step compute_table 200 "$BIN/kvsim-calibrate" --compute-table "$R/gemm_table.csv"
  step calibrate 300 "$BIN/kvsim-calibrate" --name h200-measured --lua "$R/h200-measured.lua"
  step validate_open 400 "$BIN/validate_gpu" --open --out "$R/open" --trace "$BIN/azure2023_conv.csv" --minutes 1 --max-wall 90 --batch-tokens 2048
fi
echo "== all done total=$(( $(date +%s) - t0 ))s"
tar -C "$OUT" -czf "$OUT/r.tar.gz" r && rm -rf "$R"
