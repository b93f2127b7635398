#!/usr/bin/env bash
# setup.sh - install kvsim's build dependencies (Debian 12) and build it into
# ./build. Safe to run again: apt-get and cmake skip what is already done.
#
#   scripts/setup.sh            # install + configure + build
#   KVSIM_BUILD_DIR=b scripts/setup.sh
#   KVSIM_ASAN=1 scripts/setup.sh  # also build-asan (ASan + UBSan)
#
# In CI (CI=true) warnings are errors and build-asan is built too: .ci/run
# runs the test suite in both (docs/reliability.md).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake pkg-config liblua5.4-dev libcriterion-dev
          libsimgrid-dev libjansson-dev gnuplot-nox python3 python3-yaml git)
# CI also builds and tests kvsim --mpi (Open MPI; optional elsewhere: give
# KVSIM_WITH_MPI=1, or install libopenmpi-dev openmpi-bin yourself)
if [ "${CI:-}" = true ] || [ "${KVSIM_WITH_MPI:-0}" = 1 ]; then
  packages+=(libopenmpi-dev openmpi-bin)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# CUDA is optional: use nvcc from the standard location when it is not on PATH
if ! command -v nvcc >/dev/null && [ -x /usr/local/cuda/bin/nvcc ]; then
  export CUDACXX=/usr/local/cuda/bin/nvcc
fi

build=${KVSIM_BUILD_DIR:-build}
werror=OFF
[ "${CI:-}" = "true" ] && werror=ON
cmake -S . -B "$build" -DKVSIM_WERROR=$werror >/dev/null
cmake --build "$build" -j"$(nproc)"

# The sanitizer build (AddressSanitizer + LeakSanitizer + UBSan), for CI's
# second test pass. CUDA parts are left out: no GPU runs them in CI, and
# the first build already compiles them.
if [ "${CI:-}" = "true" ] || [ "${KVSIM_ASAN:-0}" = "1" ]; then
  asan=${KVSIM_ASAN_BUILD_DIR:-build-asan}
  cmake -S . -B "$asan" -DKVSIM_SANITIZE=ON -DKVSIM_CUDA=OFF \
    -DKVSIM_WERROR=$werror >/dev/null
  cmake --build "$asan" -j"$(nproc)"
fi
