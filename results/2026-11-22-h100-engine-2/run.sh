#!/bin/sh
# transfer engine, final run: five rounds of lab_xfer_engine (checks, then
# timings), lab_transfer --quick (checks; SM kernels one way and both ways
# beside the copy-engine peak), compute-sanitizer on the engine's checks
set -u
B=build-cal/carry
export LD_LIBRARY_PATH=$B:/usr/local/cuda/lib64
{ date -u; nvidia-smi --query-gpu=name,driver_version,pcie.link.gen.current,pcie.link.width.current --format=csv; } > $OUT/env.txt 2>&1
for i in 1 2 3 4 5; do
  s=$(date +%s); timeout 150 $B/lab_xfer_engine > $OUT/lab_xfer_engine$i.txt 2>&1; echo "lab_xfer_engine round $i rc=$? wall=$(( $(date +%s) - s )) s" | tee -a $OUT/times.txt
done
s=$(date +%s); timeout 200 $B/lab_transfer --quick > $OUT/lab_transfer.txt 2>&1; echo "lab_transfer --quick rc=$? wall=$(( $(date +%s) - s )) s" | tee -a $OUT/times.txt
s=$(date +%s); OUT=$OUT/sanitize LABS=xfer_engine PER_RUN=120 timeout 300 sh scripts/gpu_sanitize.sh; echo "sanitize rc=$? wall=$(( $(date +%s) - s )) s" | tee -a $OUT/times.txt
cp $OUT/sanitize/sanitize_summary.txt $OUT/sanitize_summary.txt; rm -rf $OUT/sanitize
cat $OUT/sanitize_summary.txt
for i in 1 2 3 4 5; do grep -A14 "^64 MiB" $OUT/lab_xfer_engine$i.txt | grep "engine, defaults\|SM pair"; done
grep -A12 "DMA share and SMs" $OUT/lab_xfer_engine1.txt
grep -B2 -A30 "copy-engine peak" $OUT/lab_transfer.txt | head -60
