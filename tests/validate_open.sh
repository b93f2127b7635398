#!/bin/sh
# tests/validate_open.sh - CTest validate_open_ideal: the open-arrival
# validation end to end without a GPU (docs/validation.md, "Open arrivals").
#   sh tests/validate_open.sh VALIDATE_GPU KVSIM SOURCE_DIR WORK_DIR
# 1. validate_gpu --open --ideal on a 1-minute slice of the Azure trace;
# 2. the same, each case in its own process (--only, as on a device): every
#    file but wall.csv must be byte-identical;
# 3. the pressure cases must preempt: paged and vmm swap, indirect evicts;
# 4. validate_open.lua --backend ideal --exact on the ideal backend's
#    platform: the replay reproduces every measured quantity exactly;
# 5. validate_open.lua on SimGrid (the comparison runs; errors not judged).
# Exits 77 (skipped) when the trace is not found.
set -eu
vg=$1 kvsim=$2 src=$3 work=$4
trace=
for d in "${KVSIM_DATA_DIR:-/nonexistent}/traces" "$src/data/traces" "$src/shared/traces" \
  "$src/../shared/traces"; do
  if [ -f "$d/azure2023_conv.csv" ]; then trace=$d/azure2023_conv.csv; break; fi
done
if [ -z "$trace" ]; then echo "azure2023_conv.csv not found: skipped"; exit 77; fi
rm -rf "$work"
mkdir -p "$work"
cd "$src"
"$vg" --open --ideal --minutes 1 --out "$work/a" --trace "$trace"
for l in $("$vg" --open --list); do
  "$vg" --open --ideal --minutes 1 --only "$l" --out "$work/b" --trace "$trace" > /dev/null 2>&1
done
for f in "$work"/a/*; do
  b=$(basename "$f")
  [ "$b" = wall.csv ] && continue
  cmp "$f" "$work/b/$b"
done
echo "byte-identical: $(ls "$work/a" | wc -l) files (wall.csv apart)"
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
  { print $1, $c["preemptions"], $c["swaps_out"], $c["evictions"], $c["reloads"], $c["complete"] }' \
  "$work/a/summary.csv" | while read -r label pre swaps evict reload complete; do
  echo "$label: preemptions $pre, swaps out $swaps, evictions $evict, reloads $reload, complete $complete"
  [ "$complete" = 1 ] || { echo "$label: incomplete"; exit 1; }
  case $label in
  pressure-paged-*|pressure-vmm-*) [ "$swaps" -gt 0 ] || { echo "$label: no swap"; exit 1; } ;;
  pressure-indirect-*) [ "$evict" -gt 0 ] && [ "$reload" -gt 0 ] || { echo "$label: no eviction"; exit 1; } ;;
  own-*) [ "$pre" = 0 ] || { echo "$label: preempted at the own rate"; exit 1; } ;;
  esac
done
"$kvsim" experiments/validate_open.lua --data "$work/a" --backend ideal --platform h200-141gb \
  --exact --report "$work/exact" > "$work/exact.txt"
tail -n 1 "$work/exact.txt"
"$kvsim" experiments/validate_open.lua --data "$work/a" --report "$work/simgrid" > "$work/simgrid.txt"
grep -A 5 "^overall" "$work/simgrid.txt"
