#!/bin/bash
# tests/sweeps/plan.sh - CTest sweep_plan (docs/sweeps.md): every run of an
# experiment addressable.
#   bash tests/sweeps/plan.sh KVSIM SOURCE_DIR WORK_DIR
# 1. tests/lua/sweep_tiny.lua (4 grid runs, then an adaptive kv.run) all in
#    one, then --list / --run I round by round, then --merge: stdout and
#    every output file byte-identical; the same with --shard K/2;
# 2. a run file that exists is skipped, --force runs it again;
# 3. bad arguments: --run 99, --shard 3/2, --run x, two modes, --merge with
#    runs missing, a corrupt run file: a clear message and exit status 1;
# 4. kv.grid's order and errors (tests/sweeps/grid.expected);
# 5. experiments/fragmentation.lua (ideal backend, synthetic, 300 requests)
#    by --shard 0/2 + 1/2 and --merge, identical to the one-process run;
# 6. sweep_tiny on SimGrid by --run and --merge, identical.
set -euo pipefail
kvsim=$1 src=$2 work=$3
rm -rf "$work"; mkdir -p "$work"; cd "$work"
export KVSIM_QUIET=1
tiny=$src/tests/lua/sweep_tiny.lua
fail() { echo "FAIL: $*" >&2; exit 1; }
same() { # $1 $2: stdout files, $3 $4: output dirs
  cmp "$1" "$2" || fail "stdout differs: $1 $2"
  diff -r "$3" "$4" > /dev/null || { diff -r "$3" "$4" | head; fail "outputs differ: $3 $4"; }
}
# expect_fail PATTERN CMD...: exit status 1 and PATTERN on stderr
expect_fail() {
  local pat=$1; shift
  if "$@" > out.txt 2> err.txt; then fail "should fail: $*"; fi
  grep -q -- "$pat" err.txt || { cat err.txt; fail "no '$pat' from: $*"; }
  echo "ok (fails): $* -> $(head -1 err.txt)"
}
# run every todo run of every round, one process per run
by_run() { # $1 rundir, rest: script and args
  local d=$1; shift
  while :; do
    "$kvsim" "$@" --list --run-dir "$d" > list.txt 2> /dev/null
    local todo; todo=$(awk -F'\t' '$3 == "todo" { print $1 }' list.txt)
    [ -n "$todo" ] || break
    for i in $todo; do "$kvsim" "$@" --run "$i" --run-dir "$d" > /dev/null; done
  done
}

# ---- 1. list / run / merge ----
"$kvsim" "$tiny" all > all.out
"$kvsim" "$tiny" m --list --run-dir r > list1.txt
[ "$(wc -l < list1.txt)" = 4 ] || fail "round 1 lists $(wc -l < list1.txt) runs"
awk -F'\t' 'NF != 4 || $1 != NR - 1 || length($2) != 16 || $2 !~ /^[0-9a-f]+$/ || $3 != "todo" { exit 1 }' list1.txt ||
  fail "bad --list format: $(cat list1.txt)"
"$kvsim" "$tiny" m --list --run-dir r | cmp - list1.txt || fail "--list not reproducible"
expect_fail "have no run file" "$kvsim" "$tiny" m --merge --run-dir r
by_run r "$tiny" m
[ "$(ls r | wc -l)" = 5 ] || fail "expected 5 run files: $(ls r)"
"$kvsim" "$tiny" m --merge --run-dir r > merge.out
same all.out merge.out all m
echo "ok: --list/--run/--merge byte-identical ($(ls all | wc -l) files, stdout)"
for k in 0 1; do "$kvsim" "$tiny" s --shard $k/2 --run-dir sh > /dev/null; done
for k in 0 1; do "$kvsim" "$tiny" s --shard $k/2 --run-dir sh > /dev/null; done
"$kvsim" "$tiny" s --merge --run-dir sh > shard.out
same all.out shard.out all s
cmp <(ls r) <(ls sh) || fail "shards wrote other run files"
echo "ok: --shard 0/2, 1/2 byte-identical"
f=$(ls r/run-00000-*.json)
grep -q '"platform_source"' "$f" && grep -q '"wall_time"' "$f" && grep -q '"seed": 1' "$f" &&
  grep -q '"kvsim": "kvsim' "$f" && grep -q '"options"' "$f" || fail "run file lacks fields"

# ---- 2. skip if it exists, --force ----
before=$(md5sum "$f")
"$kvsim" "$tiny" m --run 0 --run-dir r > o.txt
grep -q "exists, skipped" o.txt || fail "existing run not skipped: $(cat o.txt)"
[ "$(md5sum "$f")" = "$before" ] || fail "skipped run file changed"
"$kvsim" "$tiny" m --run 0 --force --run-dir r > o.txt
grep -q "run 0 (paged-16-seqs4): wrote" o.txt || fail "--force did not run: $(cat o.txt)"
"$kvsim" "$tiny" m --merge --run-dir r > merge2.out
same all.out merge2.out all m
echo "ok: skip if exists, --force"

# ---- 3. bad arguments ----
expect_fail "out of range: the experiment has 5 runs" "$kvsim" "$tiny" m --run 99 --run-dir r
expect_fail "out of range" "$kvsim" "$tiny" m --run 99 --run-dir fresh
expect_fail "K must be below N" "$kvsim" "$tiny" m --shard 3/2
expect_fail "expected K/N" "$kvsim" "$tiny" m --shard 1
expect_fail "expected a run index" "$kvsim" "$tiny" m --run x
expect_fail "give one of" "$kvsim" "$tiny" m --run 1 --shard 0/2
expect_fail "give one of" "$kvsim" "$tiny" m --list --merge
expect_fail "--force goes with" "$kvsim" "$tiny" m --list --force
cp -r r bad; echo '{"format": "kvsim-run 1", "hash": "0"}' > "$(ls bad/run-00002-*.json)"
expect_fail "run 2 (paged-256-seqs4).*hash 0, expected" "$kvsim" "$tiny" m --merge --run-dir bad
echo '{"format": "kvsim-run 1", "hash": "'"$(basename "$(ls bad/run-00002-*)" .json | cut -d- -f3)"'", "result": "QUJD"}' \
  > "$(ls bad/run-00002-*.json)"
expect_fail "run 2 (paged-256-seqs4).*results: bad header" "$kvsim" "$tiny" m --merge --run-dir bad
[ -z "$(ls -A fresh 2> /dev/null)" ] || fail "--run 99 wrote run files"

# ---- 4. kv.grid ----
"$kvsim" "$src/tests/lua/grid.lua" | diff - "$src/tests/sweeps/grid.expected" || fail "kv.grid order"
echo "ok: kv.grid order and errors"

# ---- 5. an experiment as it is ----
frag=(--backend ideal --synthetic --requests 300 --no-plot --jobs 2)
"$kvsim" "$src/experiments/fragmentation.lua" "${frag[@]}" --out f > fa.out
mv f fa
"$kvsim" "$src/experiments/fragmentation.lua" "${frag[@]}" --out f --list > fl.txt
# 8 strategies, then the same 8 under memory pressure, in one kv.sweep
[ "$(wc -l < fl.txt)" = 16 ] || fail "fragmentation lists $(wc -l < fl.txt) runs"
for k in 0 1; do
  "$kvsim" "$src/experiments/fragmentation.lua" "${frag[@]}" --out f --shard $k/2 > /dev/null
done
rm -rf f
"$kvsim" "$src/experiments/fragmentation.lua" "${frag[@]}" --out f --merge > fb.out
same fa.out fb.out fa f
echo "ok: experiments/fragmentation.lua by shards, byte-identical"

# ---- 6. SimGrid runs ----
if "$kvsim" --version | grep -q simgrid; then
  "$kvsim" "$tiny" sa --backend simgrid > sa.out
  by_run rs "$tiny" sb --backend simgrid
  "$kvsim" "$tiny" sb --backend simgrid --merge --run-dir rs > sb.out
  same sa.out sb.out sa sb
  echo "ok: SimGrid runs byte-identical"
fi
echo "all ok"
