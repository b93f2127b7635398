#!/bin/sh
# tests/calibration_fixture.sh KVSIM_CALIBRATE KVSIM SOURCE_DIR WORK_DIR
#
# kvsim-calibrate's writers and kvsim's calibration readers agree: the
# committed fixture (kernels/testdata: a report, its Lua platform and raw
# curves, made-up figures) is what `kvsim-calibrate --example` writes now
# (the "wrote" lines aside, they name the folder), and
# kernels/testdata/check_calibration.lua reads the three alike (every
# curve, constant, live-handle table, SM grid and batched-call table),
# and a bad --gap-kernel-ms is refused with a message naming it.
# Runs on the CPU: --example touches no GPU.
set -eu
cal=$1 kvsim=$2 src=$3 work=$4
rm -rf "$work"
mkdir -p "$work"
"$cal" --example "$work" > /dev/null
for f in calibrate.txt example.lua example.curves.csv; do
  grep -v '^wrote ' "$work/$f" > "$work/$f.now"
  grep -v '^wrote ' "$src/kernels/testdata/$f" > "$work/$f.committed"
  if ! cmp -s "$work/$f.now" "$work/$f.committed"; then
    echo "kernels/testdata/$f differs from what kvsim-calibrate --example writes:" >&2
    diff "$work/$f.committed" "$work/$f.now" | head -20 >&2
    echo "regenerate: kvsim-calibrate --example kernels/testdata" >&2
    exit 1
  fi
done
# a bad option value is named, exit 2, before any device is looked for
for v in x 0 -1 1e9; do
  if "$cal" --gap-kernel-ms "$v" > "$work/opt.out" 2> "$work/opt.err"; then
    echo "kvsim-calibrate --gap-kernel-ms $v: accepted" >&2
    exit 1
  fi
  grep -q -- "--gap-kernel-ms $v: not a length in ms" "$work/opt.err" || {
    echo "kvsim-calibrate --gap-kernel-ms $v: unclear error:" >&2
    cat "$work/opt.err" >&2
    exit 1
  }
done
cd "$src"
"$kvsim" kernels/testdata/check_calibration.lua
