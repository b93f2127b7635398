#!/bin/sh
# validation run 3 on the device: calibration, the seven closed-batch
# configurations (each in its own process), --steady, --tier, the GPU
# backend's checks; everything into one tarball
set -u
B=build-steady/carry
D=/tmp/h100-validate-3
mkdir -p $D
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
for l in $($B/validate_gpu --list); do
  s=$(t); $B/validate_gpu --only $l --out $D >> $D/validate_gpu.txt 2>&1
  echo "validate_gpu --only $l rc=$? wall=$(dt $s) s" | tee -a $D/times.txt
done
mkdir -p $D/steady $D/tier
s=$(t); timeout 150 $B/validate_gpu --steady --out $D/steady > $D/steady/steady.txt 2>&1
echo "validate_gpu --steady rc=$? wall=$(dt $s) s" | tee -a $D/times.txt
s=$(t); timeout 90 $B/validate_gpu --tier --out $D/tier > $D/tier/tier.txt 2>&1
echo "validate_gpu --tier rc=$? wall=$(dt $s) s" | tee -a $D/times.txt
for c in order tier integrity vmm cleanup engine; do
  s=$(t); timeout 100 $B/test_gpu_backend $c >> $D/tests.txt 2>&1
  echo "test_gpu_backend $c rc=$? wall=$(dt $s) s" | tee -a $D/times.txt
done
cat $D/steady/steady.txt $D/tier/tier.txt $D/tests.txt
grep -E "^-- (vmm|table|duplex|HBM)" $D/h100-measured.lua | head -20
tar czf $OUT/h100-validate-3.tar.gz -C /tmp h100-validate-3
