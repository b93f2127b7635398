#!/bin/sh
# gpu/build_carry.sh - build the programs a device machine runs (it has CUDA
# but not Lua, jansson or SimGrid, which kvsim's CMake requires) on this
# machine for sm_90 and gather them, with the shared libraries the device
# image lacks, in build-dev/carry (name it in the device tool's `carry`).
#   sh gpu/build_carry.sh
set -eu
cmake -S . -B build-dev -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CUDA_ARCHITECTURES=90 >/dev/null
cmake --build build-dev -j2 --target kvsim-calibrate lab_attention \
  lab_attn_read test_gpu_backend validate_gpu
rm -rf build-dev/carry
mkdir -p build-dev/carry
cp build-dev/kernels/kvsim-calibrate build-dev/kernels/lab_attention \
  build-dev/kernels/lab_attn_read build-dev/gpu/test_gpu_backend \
  build-dev/gpu/validate_gpu build-dev/carry/
# libraries outside CUDA and glibc that the programs link
for p in build-dev/carry/*; do ldd "$p"; done | awk '/=> \// {print $3}' |
  sort -u | grep -vE 'libc\.so|libm\.so|libgcc|libstdc|ld-linux|libcuda|libcublas|libcudart|libpthread|libdl|librt' |
  while read -r lib; do cp -L "$lib" build-dev/carry/; done
ls -la build-dev/carry
