#!/bin/sh
# gpu/build_carry.sh - build the programs a device machine runs (it has CUDA
# but not Lua, jansson or SimGrid, which kvsim's CMake requires) on this
# machine for sm_90 and gather them, with the shared libraries the device
# image lacks, in build-dev/carry (name it in the device tool's `carry`),
# with validate_gpu's cases (gpu_cases.txt, which experiments/gpu_cases.lua
# writes: building validate_gpu builds kvsim to run it), and packs them in
# build-dev/ship/carry.tar.gz.
#   sh gpu/build_carry.sh
set -eu
cmake -S . -B build-dev -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CUDA_ARCHITECTURES=90 >/dev/null
cmake --build build-dev -j2 --target kvsim-calibrate lab_attention \
  lab_attn_read test_gpu_backend validate_gpu kvsim-calibrate-multi \
  lab_vmm_fresh lab_transfer
rm -rf build-dev/carry
mkdir -p build-dev/carry
cp build-dev/kernels/kvsim-calibrate build-dev/kernels/kvsim-calibrate-multi \
  build-dev/kernels/lab_attention \
  build-dev/kernels/lab_attn_read build-dev/kernels/lab_vmm_fresh \
  build-dev/kernels/lab_transfer \
  build-dev/gpu/test_gpu_backend \
  build-dev/gpu/validate_gpu build-dev/gpu/gpu_cases.txt build-dev/carry/
# libraries outside CUDA and glibc that the programs link
for p in build-dev/carry/*; do ldd "$p" 2>/dev/null || true; done | awk '/=> \// {print $3}' |
  sort -u | grep -vE 'libc\.so|libm\.so|libgcc|libstdc|ld-linux|libcuda|libcublas|libcudart|libpthread|libdl|librt' |
  while read -r lib; do cp -L "$lib" build-dev/carry/; done
# kvsim-calibrate-multi opens libnccl.so.2 at run time; the device image
# is said to have one (the nvidia-nccl-cu13 Python package's, perhaps the
# toolkit's; gpu/device_run_multi.sh looks for both). Carrying ours (~210 MB) exceeds the device
# call's 64 MiB carry limit, so it is copied only when asked: CARRY_NCCL=1.
if [ "${CARRY_NCCL:-0}" = 1 ]; then
  for d in /usr/local/cuda/lib64 /usr/local/cuda-13.0/lib64; do
    if [ -e "$d/libnccl.so.2" ]; then
      cp -L "$d/libnccl.so.2" build-dev/carry/
      break
    fi
  done
fi
# the Azure conversation trace, which validate_gpu --open and --lockstep
# read on the device (gpu/device_run.sh, gpu/device_run_multi.sh): copied
# when found ($KVSIM_DATA_DIR/traces, shared/traces, ../shared/traces)
for d in "${KVSIM_DATA_DIR:-/nonexistent}/traces" shared/traces ../shared/traces; do
  if [ -f "$d/azure2023_conv.csv" ]; then
    cp "$d/azure2023_conv.csv" build-dev/carry/
    break
  fi
done
# the same, packed (the device call carries at most 64 MiB with the tree):
# build-dev/ship/carry.tar.gz; unpack on the device with
#   tar -C build-dev -xzf build-dev/ship/carry.tar.gz
rm -rf build-dev/ship
mkdir -p build-dev/ship
tar -C build-dev -czf build-dev/ship/carry.tar.gz carry
ls -la build-dev/carry build-dev/ship
