#!/bin/sh
# transfer engine with one or two issue threads: three rounds of lab_xfer_engine
set -u
B=build-cal/carry
export LD_LIBRARY_PATH=$B:/usr/local/cuda/lib64
{ date -u; nvidia-smi --query-gpu=name,driver_version,pcie.link.gen.current,pcie.link.width.current --format=csv; nproc; } > $OUT/env.txt 2>&1
for i in 1 2 3; do
  s=$(date +%s); timeout 150 $B/lab_xfer_engine > $OUT/lab_xfer_engine$i.txt 2>&1; echo "lab_xfer_engine round $i rc=$? wall=$(( $(date +%s) - s )) s" | tee -a $OUT/times.txt
done
for i in 1 2 3; do grep -E "check:|copy-engine peak|engine, |SM pair" $OUT/lab_xfer_engine$i.txt; done
