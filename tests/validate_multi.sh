#!/bin/sh
# tests/validate_multi.sh - CTest validate_multi_fixture: the several-GPU
# lockstep validation's simulated half (experiments/validate_multi.lua)
# without a GPU (docs/validation.md, "Several GPUs at once").
#   sh tests/validate_multi.sh KVSIM SOURCE_DIR WORK_DIR
# 1. a fixture in validate_gpu --lockstep's layout for N = 1, 2, 4 whose
#    "measured" values are a SimGrid run of the same configuration
#    (tests/lua/multi_fixture.lua): the replay must find every scored
#    quantity equal (--exact) and meet the target (--check);
# 2. the same with every measured time x 1.2: --check and --exact must fail;
# 3. bad input must fail with a message naming the file (and the line).
set -eu
kvsim=$1 src=$2 work=$3
rm -rf "$work"
mkdir -p "$work"
cd "$src"
fail() { echo "FAIL: $*"; exit 1; }
"$kvsim" tests/lua/multi_fixture.lua "$work/ok" 1 1 2 4
"$kvsim" experiments/validate_multi.lua --data "$work/ok" --check --exact > "$work/ok.txt" 2>&1 ||
  { cat "$work/ok.txt"; fail "the exact fixture does not replay"; }
grep -q "target <= 5 %: met" "$work/ok.txt" || fail "no verdict 'met' in $work/ok.txt"
for n in 1 2 4; do grep -q "^== N = $n GPUs" "$work/ok.txt" || fail "no table for N = $n"; done
[ "$(grep -c ',1$' "$work/ok/report.csv")" = 9 ] || fail "report.csv: not 9 scored rows"
tail -n 3 "$work/ok.txt"

# 2. times x 1.2: the errors are ~17-20 %, the check must say so
"$kvsim" tests/lua/multi_fixture.lua "$work/off" 1.2 1 2 > /dev/null
if "$kvsim" experiments/validate_multi.lua --data "$work/off" --check > "$work/off.txt" 2>&1; then
  fail "--check passed on times off by 20 %"
fi
grep -q "misses the target" "$work/off.txt" || { cat "$work/off.txt"; fail "no 'misses the target'"; }
grep -q "NOT met" "$work/off.txt" || fail "no verdict 'NOT met'"
if "$kvsim" experiments/validate_multi.lua --data "$work/off" --exact > /dev/null 2>&1; then
  fail "--exact passed on times off by 20 %"
fi
echo "times x 1.2: $(grep '^overall' "$work/off.txt")"

# 3. bad input: the error names the file and, for a CSV, the line
bad() { # bad NAME PATTERN: validate_multi on $work/NAME fails naming PATTERN
  if "$kvsim" experiments/validate_multi.lua --data "$work/$1" > "$work/$1.txt" 2>&1; then
    fail "$1: accepted"
  fi
  grep -q "$2" "$work/$1.txt" || { cat "$work/$1.txt"; fail "$1: the error does not name $2"; }
  echo "$1: $(grep -m 1 "$2" "$work/$1.txt")"
}
cp -r "$work/ok" "$work/cell"
sed -i '5s/^\([0-9]*\),\([0-9]*\),[^,]*,/\1,\2,fast,/' "$work/cell/n2/gpu1/steps_lockstep.csv"
bad cell "n2/gpu1/steps_lockstep.csv:5: column 'total'"
cp -r "$work/ok" "$work/gone"
rm -rf "$work/gone/n4/gpu3"
bad gone "n4/gpu3: missing"
cp -r "$work/ok" "$work/gpus"
sed -i 's/gpus = 2, device = 1/gpus = 3, device = 1/' "$work/gpus/n2/gpu1/setup.lua"
bad gpus "n2/gpu1/setup.lua: gpus = 3"
cp -r "$work/ok" "$work/cfg"
sed -i 's/kv_capacity = [0-9]*/kv_capacity = 1/' "$work/cfg/n4/gpu2/setup.lua"
bad cfg "n4/gpu2/setup.lua: 'engine' differs"
cp -r "$work/ok" "$work/nosum"
rm "$work/nosum/n1/gpu0/summary.csv"
bad nosum "n1/gpu0/summary.csv: not found"
mkdir -p "$work/empty"
bad empty "no n<N>/gpu<K>/"
bad nothere "nothere: no such directory"
echo "validate_multi: all checks passed"
