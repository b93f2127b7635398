#!/bin/sh
# gpu/device_run_multi.sh - the several-GPU measurements of one device call
# (a machine of 2..8 GPUs of one host), each step under its own time limit;
# outputs under /tmp/r, packed into $OUT/r.tar.gz after every step (what a
# call killed at its limit had written comes back).
#   BIN=build-dev/carry OUT=dir sh gpu/device_run_multi.sh
# Steps: the machine (GPUs, NVLink topology, NUMA nodes, the NCCL library
# found), kvsim-calibrate-multi --quick on 2 GPUs (every check, few
# timings), then the full run on all GPUs, which writes $PLAT.lua and
# $PLAT.curves.csv (PLAT: h100x4-measured, h200x8-measured, ... unless
# named). kvsim-calibrate-multi opens libnccl.so.2 at run time: the image's
# own is looked for (the loader's path, the CUDA toolkit, the nvidia-nccl
# Python package) and its folder put on LD_LIBRARY_PATH; without one the
# copies are measured and the all-reduce is reported missing.
# NVLink multicast stays off: NCCL_NVLS_ENABLE=0 here and in the program.
# STEPS (default "calib lockstep") picks the parts: calib is the two
# kvsim-calibrate-multi steps; lockstep runs `validate_gpu --lockstep` (the
# lockstep swapping of experiments/scale.lua) on N = 1, 2, 4, ... and all
# GPUs at once, one process per GPU (devices 0..N-1) started together
# (--start-at now + LSDELAY s, 20), each under LSLIM s (240) and
# --max-wall LSWALL s (150), into $R/lockstep/n<N>/gpu<K>/; LSQUICK=1
# (default) is scale.lua's --quick case (150 requests, 1 GiB of KV),
# LSQUICK=0 its full one (500 requests, 2 GiB). It needs the trace as
# $BIN/azure2023_conv.csv (TRACE= to change). Both parts take about 10
# minutes on 8 GPUs: give each its own device call (STEPS=calib, then
# STEPS=lockstep); experiments/validate_multi.lua compares the lockstep
# folder with SimGrid here (docs/validation.md, "Several GPUs at once").
set -u
STEPS=${STEPS:-calib lockstep}
BIN=${BIN:-build-dev/carry}
R=/tmp/r
rm -rf "$R"
mkdir -p "$R"
export NCCL_NVLS_ENABLE=0
export LD_LIBRARY_PATH="$BIN:/usr/local/cuda/lib64:${LD_LIBRARY_PATH:-}"
export PATH="/usr/local/cuda/bin:$PATH"
t0=$(date +%s)
gpu=$(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -n 1)
ngpu=$(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | wc -l)
case "$gpu" in
*H200*) card=h200 ;; *H100*) card=h100 ;; *A100*) card=a100 ;; *) card=gpu ;;
esac
PLAT=${PLAT:-${card}x${ngpu}-measured}
# the NCCL library: the loader's, the toolkit's, or the Python package's
nccl=""
if ! ldconfig -p 2>/dev/null | grep -q 'libnccl\.so\.2'; then
  for d in "$BIN" /usr/local/cuda/lib64 /usr/local/cuda/lib \
    /usr/local/cuda/targets/x86_64-linux/lib; do
    if [ -e "$d/libnccl.so.2" ]; then nccl=$d; break; fi
  done
  if [ -z "$nccl" ]; then
    nccl=$(python3 -c 'import os, nvidia.nccl as n; print(os.path.join(list(n.__path__)[0], "lib"))' 2>/dev/null)
    [ -e "$nccl/libnccl.so.2" ] || nccl=""
  fi
  [ -n "$nccl" ] && export LD_LIBRARY_PATH="$nccl:$LD_LIBRARY_PATH"
fi
step() { # step NAME LIMIT_S CMD...: run, log to $R/NAME.txt, print a line
  name=$1; lim=$2; shift 2
  s=$(date +%s)
  timeout "$lim" "$@" > "$R/$name.txt" 2>&1
  rc=$?
  echo "== $name rc=$rc ${lim}s-limit wall=$(( $(date +%s) - s ))s total=$(( $(date +%s) - t0 ))s"
  tail -n 6 "$R/$name.txt"
  tar -C /tmp -czf "$OUT/r.tar.gz" r
}
{
  date -u '+%Y-%m-%d %H:%M:%S UTC'
  nvidia-smi --query-gpu=index,name,pci.bus_id,driver_version,memory.total,pcie.link.gen.current,pcie.link.width.current --format=csv
  nvidia-smi topo -m
  echo "NUMA nodes online: $(cat /sys/devices/system/node/online 2>/dev/null)"
  for n in /sys/devices/system/node/node*; do
    [ -e "$n/cpulist" ] && echo "$(basename "$n") cpus $(cat "$n/cpulist")"
  done
  echo "NCCL: ${nccl:-loader path} ($(ldconfig -p 2>/dev/null | grep -c 'libnccl\.so\.2') in ldconfig); NCCL_NVLS_ENABLE=$NCCL_NVLS_ENABLE"
  uname -r; nproc
  git log -1 --format='%H %s' 2>/dev/null || cat "$BIN/COMMIT" 2>/dev/null
  ldd "$BIN/kvsim-calibrate-multi" 2>/dev/null | grep -E "not found"
} > "$R/env.txt" 2>&1
cat "$R/env.txt"
lockstep() { # lockstep N: N processes, devices 0..N-1, one start time
  n=$1
  d="$R/lockstep/n$n"
  mkdir -p "$d"
  s=$(date +%s)
  at=$(( s + ${LSDELAY:-20} ))
  quick=""
  [ "${LSQUICK:-1}" = 1 ] && quick=--quick
  k=0
  pids=""
  while [ "$k" -lt "$n" ]; do
    timeout "${LSLIM:-240}" "$BIN/validate_gpu" --lockstep $quick --device "$k" --gpus "$n" \
      --start-at "$at" --max-wall "${LSWALL:-150}" --out "$d" --trace "$TRACE" \
      > "$d/gpu$k.log" 2>&1 &
    pids="$pids $!"
    k=$(( k + 1 ))
  done
  k=0
  rcs=""
  for p in $pids; do
    wait "$p"
    rcs="$rcs gpu$k=$?"
    k=$(( k + 1 ))
  done
  echo "== lockstep_n$n rc:$rcs ${LSLIM:-240}s-limit wall=$(( $(date +%s) - s ))s total=$(( $(date +%s) - t0 ))s"
  tail -n 1 "$d"/gpu*.log
  tar -C /tmp -czf "$OUT/r.tar.gz" r
}
case " $STEPS " in *" calib "*)
  step multi_quick "${QUICKLIM:-120}" "$BIN/kvsim-calibrate-multi" --quick --gpus 2
  step multi "${MULTILIM:-420}" "$BIN/kvsim-calibrate-multi" --name "$PLAT" --lua "$R/$PLAT.lua"
esac
case " $STEPS " in *" lockstep "*)
  TRACE=${TRACE:-$BIN/azure2023_conv.csv}
  if [ ! -f "$TRACE" ]; then
    echo "== lockstep skipped: no trace at $TRACE (cp azure2023_conv.csv into $BIN)"
  else
    ns=""
    n=1
    while [ "$n" -lt "$ngpu" ]; do ns="$ns $n"; n=$(( n * 2 )); done
    [ "$ngpu" -ge 1 ] && ns="$ns $ngpu"
    for n in $ns; do lockstep "$n"; done
  fi
esac
echo "== all done total=$(( $(date +%s) - t0 ))s"
tar -C /tmp -czf "$OUT/r.tar.gz" r
