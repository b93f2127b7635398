#!/bin/sh
# tests/gpu_cases.sh - CTest gpu_cases: validate_gpu's configurations come
# from experiments/gpu_cases.lua. The case file it writes is the one the
# build put next to validate_gpu; validate_gpu lists its cases from it (and
# from a copy passed with --cases); a bad file exits 2 naming the file, the
# line and the field.
#   sh tests/gpu_cases.sh VALIDATE_GPU KVSIM SOURCE_DIR WORK_DIR
set -eu
vg=$1 kvsim=$2 src=$3 work=$4
rm -rf "$work"
mkdir -p "$work"
cd "$src"
"$kvsim" experiments/gpu_cases.lua --out "$work/cases.txt"
cmp "$work/cases.txt" "$(dirname "$vg")/gpu_cases.txt"
"$vg" --list > "$work/default.txt"
"$vg" --list --cases "$work/cases.txt" > "$work/given.txt"
cmp "$work/default.txt" "$work/given.txt"
grep -qx "indirect-64M-16" "$work/default.txt"
[ "$("$vg" --tier --list --cases "$work/cases.txt" | wc -l)" -eq 2 ]
[ "$("$vg" --open --list --cases "$work/cases.txt" | wc -l)" -eq 8 ]
grep -qx "pressure-vmm-2M-layer" "$work/default.txt" && exit 1
"$vg" --open --list | grep -qx "pressure-vmm-2M-layer"
echo "cases: $(wc -l < "$work/default.txt") closed, 8 open, from experiments/gpu_cases.lua"

bad() { # bad NAME PATTERN LINE...: a case file of LINEs fails naming PATTERN
  name=$1 pattern=$2
  shift 2
  printf '%s\n' "$@" > "$work/$name.txt"
  rc=0
  "$vg" --list --cases "$work/$name.txt" > "$work/$name.out" 2>&1 || rc=$?
  [ "$rc" -ne 0 ] || { echo "$name: accepted"; exit 1; }
  [ "$rc" -eq 2 ] || { echo "$name: exit $rc, not 2"; cat "$work/$name.out"; exit 1; }
  grep -q -- "$pattern" "$work/$name.out" || {
    echo "$name: no '$pattern' in:"; cat "$work/$name.out"; exit 1; }
  echo "$name: $(cat "$work/$name.out")"
}
X="experiment name=validate dir=d requests=4 prompt=1,2 output=1,2 kv_capacity=1024 max_batch_tokens=8 max_num_seqs=4"
O="open_setting name=own kv_capacity=1024"
C="open_case name=paged strategy=paged"
bad field "field.txt:3: case: unknown field 'blok'" "# c" "$X" "case label=a strategy=paged blok=16" "$O" "$C"
bad number "number.txt:1: requests=four: a whole number" \
  "experiment name=validate dir=d requests=four prompt=1,2 output=1,2 kv_capacity=1 max_batch_tokens=8 max_num_seqs=4"
bad orphan "orphan.txt:1: case before any experiment" "case label=a strategy=paged"
bad strategy "strategy.txt:2: strategy=nosuch" "$X" "case label=a strategy=nosuch"
bad record "record.txt:1: unknown record 'experimnt'" "experimnt name=x"
bad range "range.txt:1: prompt=5,2: 1 <= lo <= hi" \
  "experiment name=validate dir=d requests=4 prompt=5,2 output=1,2 kv_capacity=1 max_batch_tokens=8 max_num_seqs=4"
bad nocase "nocase.txt: experiment validate has no case" "$X" "$O" "$C"
bad noopen "noopen.txt: no open_setting" "$X" "case label=a strategy=paged"
if "$vg" --list --cases "$work/none.txt" > "$work/none.out" 2>&1; then exit 1; fi
grep -q "none.txt: No such file" "$work/none.out"
grep -q "kvsim experiments/gpu_cases.lua --out FILE" "$work/none.out"
echo "gpu_cases: all checks passed"
