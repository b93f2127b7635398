#!/usr/bin/env bash
# soak.sh - the fuzz_strategy invariant checks at scale (not in CI): build
# the soak driver (fuzz/soak_strategy.c, gcc, Release -O2, no sanitizers)
# in build-soak and run every configuration family for OPS operations
# (default 1e7), every invariant checked after every operation.
#
#   scripts/soak.sh                 # every family, 1e7 operations each
#   scripts/soak.sh 1e6             # every family, 1e6 operations each
#   scripts/soak.sh 1e7 --family paged-window,vmm-layer-window
#   SOAK_SEED=7 SOAK_JOBS=2 scripts/soak.sh 1e7
#
# Extra arguments go to build-soak/soak_strategy (--family, --seed, --jobs;
# --list names the families). A violating input is saved in
# build-soak/soak-out/ (replay: build-soak/soak_strategy --replay FILE, or
# build-fuzz/fuzz/fuzz_strategy FILE); the table goes to stdout and to
# build-soak/soak-out/table-seed<S>.txt. Exits 1 if any family found a
# violation. See docs/reliability.md, "Soak".
set -euo pipefail
cd "$(dirname "$0")/.."
ops=${1:-1e7}
shift || true
seed=${SOAK_SEED:-1}
jobs=${SOAK_JOBS:-1}

cmake -S . -B build-soak -DKVSIM_CUDA=OFF -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_FLAGS_RELEASE=-O2 >/dev/null
cmake --build build-soak -j2 --target soak_strategy >/dev/null

mkdir -p build-soak/soak-out
status=0
build-soak/soak_strategy --ops "$ops" --seed "$seed" --jobs "$jobs" \
  --out build-soak/soak-out "$@" | tee build-soak/soak-out/table-seed"$seed".txt ||
  status=$?
exit "$status"
