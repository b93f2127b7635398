#!/bin/sh
# validation run 4 on the device: calibration, the seven closed-batch
# configurations three times (each configuration its own process, passes in
# turn), then the transfer lab (--quick: checks, duplex, single direction)
set -u
B=build-cal/carry
D=/tmp/h100-validate-4
mkdir -p $D/transfer
export LD_LIBRARY_PATH=$B:/usr/local/cuda/lib64
t() { date +%s.%N; }
dt() { awk -v a="$1" -v b="$(t)" 'BEGIN{printf "%.1f", b-a}'; }
{
  date -u '+%Y-%m-%d %H:%M:%S UTC'
  uname -a
  nvidia-smi --query-gpu=name,driver_version,memory.total,pcie.link.gen.current,pcie.link.width.current,clocks.current.sm,clocks.current.memory --format=csv
  nvidia-smi
  ldd $B/validate_gpu | grep -E "not found|jansson|cudart"
} > $D/env.txt 2>&1
s=$(t); $B/kvsim-calibrate --lua $D/h100-measured.lua > $D/calibrate.txt 2>&1
echo "kvsim-calibrate rc=$? wall=$(dt $s) s" | tee -a $D/times.txt
for p in 1 2 3; do
  mkdir -p $D/pass$p
  for l in $($B/validate_gpu --list); do
    s=$(t); timeout 60 $B/validate_gpu --only $l --out $D/pass$p >> $D/pass$p/validate_gpu.txt 2>&1
    echo "pass $p validate_gpu --only $l rc=$? wall=$(dt $s) s" | tee -a $D/times.txt
  done
done
s=$(t); timeout 280 $B/lab_transfer --quick > $D/transfer/lab_transfer.txt 2>&1
echo "lab_transfer --quick rc=$? wall=$(dt $s) s" | tee -a $D/times.txt
grep -E "^-- (vmm|table)" $D/h100-measured.lua
tar czf $OUT/h100-validate-4.tar.gz -C /tmp h100-validate-4
tail -c 6000 $D/transfer/lab_transfer.txt
