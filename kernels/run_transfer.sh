#!/bin/sh
# kernels/run_transfer.sh - build only lab_transfer with nvcc for sm_90 and
# run it (correctness checks, then the both-directions tables and the
# single-direction tables), with what the machine says about its PCIe link,
# NUMA nodes and IOMMU. Outputs under OUT (default results/tmp/transfer).
# Run from the repository root on a machine with a GPU:
#   OUT=/some/dir sh kernels/run_transfer.sh [lab_transfer arguments]
# e.g. `--quick` (checks, then the short tables: one-kernel duplex with
# v6..v9, single direction for 1- and 16-token blocks, bulk-copy SM sweep)
# or `--quick --duplex` (checks and the short duplex tables only).
# build.log holds ptxas's register and shared-memory use (-Xptxas -v);
# lab_transfer.txt ends with the run's wall time.
set -u
OUT=${OUT:-results/tmp/transfer}
NVCC=${NVCC:-nvcc}
command -v "$NVCC" >/dev/null 2>&1 || NVCC=/usr/local/cuda/bin/nvcc
B=${BUILD:-/tmp/kvsim-transfer-build}
mkdir -p "$OUT" "$B"
FLAGS="-arch=sm_90 -O3 -std=c++17 -Xcompiler -Wall,-Wextra"
$NVCC $FLAGS -Xptxas -v -o "$B/lab_transfer" kernels/transfer.cu \
  kernels/kv_kernels.cu > "$OUT/build.log" 2>&1 &
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "host: $(uname -a)"
  nvidia-smi --query-gpu=name,driver_version,memory.total,pcie.link.gen.current,pcie.link.width.current,pcie.link.gen.max,clocks.sm,clocks.mem --format=csv
  nvidia-smi
  nvidia-smi topo -m
  "$NVCC" --version
  echo "flags: $FLAGS"
  echo "--- cpu / numa"
  lscpu 2>&1 | head -30
  numactl -H 2>&1 || ls -d /sys/devices/system/node/node* 2>&1
  echo "--- kernel command line"
  cat /proc/cmdline
  echo "--- iommu"
  ls /sys/class/iommu 2>&1
  echo "iommu groups: $(ls /sys/kernel/iommu_groups 2>/dev/null | wc -l)"
  for d in /sys/bus/pci/devices/*; do
    [ "$(cat "$d/vendor" 2>/dev/null)" = "0x10de" ] || continue
    echo "--- PCI $d"
    for f in numa_node current_link_speed current_link_width max_link_speed \
      max_link_width; do
      echo "$f: $(cat "$d/$f" 2>/dev/null)"
    done
    lspci -vvv -s "$(basename "$d")" 2>&1 | grep -Ei 'LnkSta|LnkCap|DevCtl|MaxPayload|MaxReadReq|RlxdOrd|10BitTag' 
    echo "config space (hex):"
    od -A x -t x1 -N 4096 "$d/config" 2>&1
  done
} > "$OUT/env.txt" 2>&1
wait
[ -x "$B/lab_transfer" ] || { echo "build failed"; cat "$OUT/build.log"; exit 1; }
t0=$(date +%s)
"$B/lab_transfer" "$@" > "$OUT/lab_transfer.txt" 2>&1
r=$?
echo "exit $r, wall $(($(date +%s) - t0)) s (arguments: $*)" \
  >> "$OUT/lab_transfer.txt"
cat "$OUT/lab_transfer.txt"
exit $r
