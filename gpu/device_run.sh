#!/bin/sh
# gpu/device_run.sh - everything one device call runs, in order of value,
# each step under its own time limit; outputs under /tmp/r, packed into
# $OUT/r.tar.gz after every step (the device tool returns at most 8 files,
# and what a call killed at its limit had written).
#   STAGE=a|b BIN=build-dev/carry OUT=dir sh gpu/device_run.sh
# a: kernel checks and timings, the GPU backend tests, the compute table
#    (GEMMs), the addressing-mode table and the platform calibration.
# b: the open-arrival validation and compute-sanitizer on the kernels.
# c: a's tables and calibration only (no checks, no tests), with r.
# k: the calibration alone (the tables kept from an earlier call).
# n: b without compute-sanitizer.
# t: the GPU backend tests alone.
# p: own-indirect-64M-16 again with a new background thread each step
#    (--bg-thread per-step, under open-perstep/): the thread's cost.
# v: the kernel programs' checks (lab_attention, lab_transfer) and
#    kvsim-calibrate-multi --quick on one GPU.
# f: n with each case in a fresh process (--only, under open-fresh/CASE/),
#    merged into open/ as one run writes it: a serving engine starts on a
#    fresh CUDA context, while one process running the cases in turn hands
#    each case the driver state its predecessors left.
# l: VMM calls one by one (KVSIM_GPU_CALL_LOG): own-indirect-64M-16 alone
#    in a fresh process, again with CUDA_MODULE_LOADING=EAGER, and
#    own-vmm-2M-layer alone, under calls/ (MAXWALL bounds each).
# g: the calibration again, its series of steps made of read kernels of
#    GAPK ms (default 5, a decode step's length; the first calibration's
#    last 0.5 ms), as $PLAT-gapk.lua and calibrate_gapk.txt.
# x: lab_vmm_fresh gap (VMM handles grown against recycled after gaps of
#    steps, 1 ms to 1 s, and grown after steps with host work), as
#    lab_vmm_gap.txt, then lab_vmm_fresh's phases as lab_vmm_fresh.txt.
# r: the gap probe (gpu/gpu_probe.c): own-static on another slice of the
#    trace (from PROBE_START s, default 1800; the validation's is 0) with
#    KVSIM_GPU_GAP_PROBE, its lines (VMM calls between a serving run's steps)
#    appended to calibrate.txt, where they become the platform's gap grids
#    (scripts/kvsim/calibration.lua gap_series). a and c run it; with k,
#    name it (kr).
# CASES (f): the open cases to run, in order (default: validate_gpu --open
#    --list).
# Letters combine (ab, kn, ...); MINUTES, MAXWALL, ONLY (one case) shape b.
# The platform is named after the card
# (h100-measured, h200-measured, ...) unless PLAT names it.
set -u
BIN=${BIN:-build-dev/carry}
STAGE=${STAGE:-a}
R=/tmp/r
rm -rf "$R"
mkdir -p "$R"
export LD_LIBRARY_PATH="$BIN:/usr/local/cuda/lib64:${LD_LIBRARY_PATH:-}"
export PATH="/usr/local/cuda/bin:$PATH"
t0=$(date +%s)
gpu=$(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -n 1)
case "$gpu" in
*H200*) card=h200 ;; *H100*) card=h100 ;; *A100*) card=a100 ;; *) card=gpu ;;
esac
PLAT=${PLAT:-$card-measured}
step() { # step NAME LIMIT_S CMD...: run, log to $R/NAME.txt, print a line
  name=$1; lim=$2; shift 2
  s=$(date +%s)
  timeout "$lim" "$@" > "$R/$name.txt" 2>&1
  rc=$?
  echo "== $name rc=$rc ${lim}s-limit wall=$(( $(date +%s) - s ))s total=$(( $(date +%s) - t0 ))s"
  tail -n 4 "$R/$name.txt"
  tar -C /tmp -czf "$OUT/r.tar.gz" r
}
merge_open() { # merge_open FROM TO CASE...: one --open folder from FROM/CASE/, in order
  from=$1; to=$2; shift 2
  mkdir -p "$to"
  first=1
  for c in "$@"; do
    d=$from/$c
    [ -f "$d/summary.csv" ] || continue
    if [ $first = 1 ]; then
      cp "$d/setup.lua" "$d/workload.csv" "$to/"
      head -n 1 "$d/summary.csv" > "$to/summary.csv"
      head -n 1 "$d/wall.csv" > "$to/wall.csv"
      : > "$to/backend.txt"
      first=0
    fi
    cmp -s "$d/workload.csv" "$to/workload.csv" || echo "merge_open: $d/workload.csv differs from the first case's" >&2
    tail -n +2 "$d/summary.csv" >> "$to/summary.csv"
    tail -n +2 "$d/wall.csv" >> "$to/wall.csv"
    cat "$d/backend.txt" >> "$to/backend.txt"
    cp "$d"/requests_*.csv "$d"/steps_*.csv "$to/"
  done
}
{
  date -u '+%Y-%m-%d %H:%M:%S UTC'
  nvidia-smi --query-gpu=name,driver_version,memory.total,memory.used,clocks.sm,clocks.mem,pcie.link.gen.current,pcie.link.width.current --format=csv
  uname -r; nproc
  cat "$BIN/COMMIT" 2>/dev/null || git log -1 --format="%H %s" 2>/dev/null
  for p in "$BIN"/*; do ldd "$p" 2>/dev/null | grep -E "not found"; done
} > "$R/env.txt" 2>&1
cat "$R/env.txt"
case "$STAGE" in *a*)
  step attention_check 120 "$BIN/lab_attention" --check
  step attention_time 120 "$BIN/lab_attention"
  ;;
esac
case "$STAGE" in *v*)
  step attention_check 120 "$BIN/lab_attention" --check
  step transfer_check 120 "$BIN/lab_transfer" --check
  step calib_multi 200 "$BIN/kvsim-calibrate-multi" --quick --gpus 1 --name multi-check --lua "$R/multi-check.lua"
  ;;
esac
case "$STAGE" in *l*)
  mkdir -p "$R/calls"
  for v in own-indirect-64M-16:lazy own-indirect-64M-16:eager own-vmm-2M-layer:lazy; do
    c=${v%%:*}; m=${v##*:}
    if [ "$m" = eager ]; then ml=EAGER; else ml=${CUDA_MODULE_LOADING:-LAZY}; fi
    rm -f "$R/calls/$c-$m.csv"
    step "calls_$c-$m" 200 env KVSIM_GPU_CALL_LOG="$R/calls/$c-$m.csv" CUDA_MODULE_LOADING=$ml \
      "$BIN/validate_gpu" --open --out "$R/calls/$c-$m" --trace "$BIN/azure2023_conv.csv" \
      --minutes "${MINUTES:-1}" --max-wall "${MAXWALL:-50}" --batch-tokens 2048 --only "$c"
  done
  ;;
esac
case "$STAGE" in *x*)
  step lab_vmm_gap 200 "$BIN/lab_vmm_fresh" gap "${GAPN:-8}"
  step lab_vmm_fresh 120 "$BIN/lab_vmm_fresh" 48
  ;;
esac
case "$STAGE" in *a*|*t*)
  for t in engine integrity vmm cleanup tier order; do
    step gpu_$t 100 "$BIN/test_gpu_backend" $t
  done
  ;;
esac
case "$STAGE" in *a*|*c*)
  step compute_table 150 "$BIN/kvsim-calibrate" --compute-table "$R/gemm_table.csv"
  step attention_table 200 "$BIN/lab_attention" --table "$R/attn_table.csv"
  ;;
esac
case "$STAGE" in *a*|*c*|*k*)
  step calibrate 240 "$BIN/kvsim-calibrate" --name "$PLAT" --lua "$R/$PLAT.lua"
  ;;
esac
case "$STAGE" in *a*|*c*|*r*)
  step gap_probe "${PROBELIM:-80}" env KVSIM_GPU_GAP_PROBE="$R/gaprun.txt" "$BIN/validate_gpu" --open --out "$R/probe" --trace "$BIN/azure2023_conv.csv" --start "${PROBE_START:-1800}" --minutes "${MINUTES:-1}" --max-wall "${PROBEWALL:-45}" --batch-tokens 2048 --only own-static
  if [ -s "$R/gaprun.txt" ] && [ -f "$R/calibrate.txt" ]; then
    { echo; echo "# the lines below: validate_gpu's gap probe (KVSIM_GPU_GAP_PROBE, own-static from ${PROBE_START:-1800} s)"; cat "$R/gaprun.txt"; } >> "$R/calibrate.txt"
  fi
  cat "$R/gaprun.txt" 2>/dev/null
  tar -C /tmp -czf "$OUT/r.tar.gz" r
  ;;
esac
case "$STAGE" in *g*)
  step calibrate_gapk 240 "$BIN/kvsim-calibrate" --gap-kernel-ms "${GAPK:-5}" --name "$PLAT-gapk" --lua "$R/$PLAT-gapk.lua"
  ;;
esac
case "$STAGE" in *b*|*n*)
  step validate_open "${OPENLIM:-420}" "$BIN/validate_gpu" --open --out "$R/open" --trace "$BIN/azure2023_conv.csv" --minutes "${MINUTES:-1}" --max-wall "${MAXWALL:-50}" --batch-tokens 2048 ${ONLY:+--only "$ONLY"}
  case "$STAGE" in *b*) step sanitize_attention 120 compute-sanitizer --tool memcheck --error-exitcode 9 "$BIN/lab_attention" --check ;; esac
  ;;
esac
case "$STAGE" in *f*)
  mkdir -p "$R/open-fresh"
  cases=${CASES:-$("$BIN/validate_gpu" --open --list)}
  for c in $cases; do
    step "open_$c" "${CASELIM:-150}" "$BIN/validate_gpu" --open --out "$R/open-fresh/$c" --trace "$BIN/azure2023_conv.csv" --minutes "${MINUTES:-1}" --max-wall "${MAXWALL:-50}" --batch-tokens 2048 --only "$c"
  done
  merge_open "$R/open-fresh" "$R/open" $cases
  tar -C /tmp -czf "$OUT/r.tar.gz" r
  ;;
esac
case "$STAGE" in *p*)
  step validate_perstep "${OPENLIM:-420}" "$BIN/validate_gpu" --open --out "$R/open-perstep" --trace "$BIN/azure2023_conv.csv" --minutes "${MINUTES:-1}" --max-wall "${MAXWALL:-50}" --batch-tokens 2048 --only own-indirect-64M-16 --bg-thread per-step
  ;;
esac
echo "== all done total=$(( $(date +%s) - t0 ))s"
tar -C /tmp -czf "$OUT/r.tar.gz" r
