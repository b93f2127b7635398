#!/bin/sh
# tests/calibration_multi_fixture.sh KVSIM_CALIBRATE_MULTI KVSIM SOURCE_DIR WORK_DIR
#
# kvsim-calibrate-multi's writers and kvsim's platform reader agree: what
# `kvsim-calibrate-multi --example` writes (made-up figures) loads as a
# platform, its all-reduce table matches the raw-curve CSV beside it, and a
# tp 2 run says the table priced it (kernels/testdata/check_multi.lua).
# Runs on the CPU: --example touches no GPU.
set -eu
cal=$1 kvsim=$2 src=$3 work=$4
rm -rf "$work"
mkdir -p "$work"
"$cal" --example "$work" > /dev/null
"$kvsim" "$src/kernels/testdata/check_multi.lua" "$work/example_multi.lua"
