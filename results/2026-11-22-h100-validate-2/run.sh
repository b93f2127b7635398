#!/bin/sh
# validation run 2 on the device: calibration, the seven configurations
# (each in its own process), the GPU backend's checks; everything into one tarball
set -u
B=build-val2/carry
D=/tmp/h100-validate-2
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
  ldd $B/kvsim-calibrate | grep -E "not found|cublas|cudart"
} > $D/env.txt 2>&1
s=$(t); $B/kvsim-calibrate --lua $D/h100-measured.lua > $D/calibrate.txt 2>&1
echo "kvsim-calibrate rc=$? wall=$(dt $s) s" | tee -a $D/times.txt
for l in $($B/validate_gpu --list); do
  s=$(t); $B/validate_gpu --only $l --out $D >> $D/validate_gpu.txt 2>&1
  echo "validate_gpu --only $l rc=$? wall=$(dt $s) s" | tee -a $D/times.txt
done
for c in integrity vmm cleanup engine; do
  s=$(t); timeout 100 $B/test_gpu_backend $c >> $D/tests.txt 2>&1
  echo "test_gpu_backend $c rc=$? wall=$(dt $s) s" | tee -a $D/times.txt
done
sed -n '/HBM read/,$p' $D/calibrate.txt | head -20
grep -E "^-- (vmm|table|duplex|HBM)" $D/h100-measured.lua
cat $D/validate_gpu.txt $D/tests.txt
tar czf $OUT/h100-validate-2.tar.gz -C /tmp h100-validate-2
