#!/bin/sh
set -u
B=build-cal/carry
export LD_LIBRARY_PATH=$B:/usr/local/cuda/lib64
{ date -u; nvidia-smi --query-gpu=name,driver_version,pcie.link.gen.current,pcie.link.width.current --format=csv; } > $OUT/env.txt 2>&1
for i in 1 2 3; do
  s=$(date +%s); timeout 150 $B/lab_engine > $OUT/lab_engine$i.txt 2>&1; echo "lab_engine run $i rc=$? wall=$(( $(date +%s) - s )) s" | tee -a $OUT/times.txt
  s=$(date +%s); timeout 150 $B/lab_staged --probe > $OUT/lab_staged_probe$i.txt 2>&1; echo "lab_staged --probe run $i rc=$? wall=$(( $(date +%s) - s )) s" | tee -a $OUT/times.txt
done
s=$(date +%s); OUT=$OUT/sanitize LABS=engine PER_RUN=120 timeout 400 sh scripts/gpu_sanitize.sh; echo "sanitize rc=$? wall=$(( $(date +%s) - s )) s" | tee -a $OUT/times.txt
cat $OUT/sanitize/sanitize_summary.txt
for i in 1 2 3; do grep -A18 "^64 MiB" $OUT/lab_engine$i.txt | grep -v "^64\|^layout"; grep -B1 -A8 "^tokens      f" $OUT/lab_staged_probe$i.txt; done
grep -A12 "DMA share and SMs" $OUT/lab_engine1.txt
