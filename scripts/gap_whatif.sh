#!/bin/sh
# scripts/gap_whatif.sh - what the gap tables do to an open-arrival
# validation: the same runs replayed on the platform of
# scripts/analyze_device_run.sh (STEM-table.lua) three ways: as written (the
# gap grids of steps, vmm_gap_*), without gap grids, and with the grids of
# launches (vmm_gaplaunch_*, when the report has them) in their place.
# Prints each one's overall lines.
#   sh scripts/analyze_device_run.sh DIR STEM; sh scripts/gap_whatif.sh DIR STEM
set -eu
[ $# -eq 2 ] || { echo "usage: $0 DIR PLATFORM_STEM" >&2; exit 2; }
D=$1
S=$2
K=${KVSIM:-build/kvsim}
T=$D/$S-table.lua
[ -f "$T" ] || { echo "$0: $T: run scripts/analyze_device_run.sh first" >&2; exit 1; }
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cat > "$W/none.lua" <<LUA
local p = dofile("$T")
for _, c in ipairs { "reserve", "create", "map", "set_access", "unmap", "release", "free_va" } do
  p["vmm_" .. c .. "_gap"] = nil
end
return p
LUA
for v in steps launch serve; do
  case $v in steps) series=gap ;; *) series=gap$v ;; esac
  cat > "$W/$v.lua" <<LUA
local cal = require("kvsim").calibration
local p = dofile("$T")
local c = cal.read("$D/r/calibrate.txt")
local any = false
for _, k in ipairs { "reserve", "create", "map", "set_access", "unmap", "release", "free_va" } do
  p["vmm_" .. k .. "_gap"] = cal.vmm_gap_grid(c.curves, k, "$series")
  any = any or p["vmm_" .. k .. "_gap"] ~= nil
end
if not any then error("$D/r/calibrate.txt: no gap series vmm_${series}_*", 0) end
return p
LUA
done
for v in table none steps launch serve; do
  case $v in table) P=$T ;; *) P=$W/$v.lua ;; esac
  echo "== $D: gap grids: $v"
  if "$K" experiments/validate_open.lua --data "$D/r/open" --platform "$P" --report "$W/out-$v" \
    > "$W/$v.txt" 2>&1; then
    sed -n '/^overall/,/^  step time/p' "$W/$v.txt" | grep -E "whole-run|p99|op-level"
  else
    grep -m 1 "kvsim:" "$W/$v.txt" || tail -n 3 "$W/$v.txt"
  fi
done
