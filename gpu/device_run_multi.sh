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
set -u
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
step multi_quick "${QUICKLIM:-120}" "$BIN/kvsim-calibrate-multi" --quick --gpus 2
step multi "${MULTILIM:-420}" "$BIN/kvsim-calibrate-multi" --name "$PLAT" --lua "$R/$PLAT.lua"
echo "== all done total=$(( $(date +%s) - t0 ))s"
tar -C /tmp -czf "$OUT/r.tar.gz" r
