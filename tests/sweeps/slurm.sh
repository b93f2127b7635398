#!/bin/bash
# tests/sweeps/slurm.sh - CTest sweep_slurm (docs/sweeps.md): the files
# scripts/slurm_array.sh writes for tests/lua/sweep_tiny.lua, and running
# them here: each array task with SLURM_ARRAY_TASK_ID set, then the merge
# step, which queues round 2 (the adaptive kv.run) through sbatch (here
# tests/sweeps/fake_sbatch.sh, which runs jobs at once) and then merges:
# outputs byte-identical to the one-process run.
#   bash tests/sweeps/slurm.sh KVSIM SOURCE_DIR WORK_DIR
set -euo pipefail
kvsim=$1 src=$2 work=$3
rm -rf "$work"; mkdir -p "$work/bin"; cd "$work"
export KVSIM_QUIET=1
tiny=$src/tests/lua/sweep_tiny.lua
fail() { echo "FAIL: $*" >&2; exit 1; }
"$kvsim" "$tiny" o > all.out
mv o all

"$src/scripts/slurm_array.sh" --kvsim "$kvsim" "$tiny" --partition=test --time=5 -- o > cmd.txt
d=$work/kvsim-runs/sweep_tiny
r1=$d/slurm/round-1.sbatch m=$d/slurm/merge.sbatch
for pat in '^#!/bin/bash$' '^#SBATCH --array=0-3$' '^#SBATCH --partition=test$' '^#SBATCH --time=5$' \
  "--run \"\$SLURM_ARRAY_TASK_ID\" --run-dir $d\$"; do
  grep -q -- "$pat" "$r1" || { cat "$r1"; fail "round-1.sbatch lacks $pat"; }
done
grep -q -- "--merge --run-dir $d\$" "$m" || { cat "$m"; fail "merge.sbatch lacks --merge"; }
grep -q "sbatch --dependency=afterok:" cmd.txt || fail "no afterok dependency: $(cat cmd.txt)"
echo "ok: round-1.sbatch and merge.sbatch"

if bash "$r1" > /dev/null 2> err.txt; then fail "a task without SLURM_ARRAY_TASK_ID ran"; fi
grep -q "SLURM_ARRAY_TASK_ID" err.txt || fail "no message without SLURM_ARRAY_TASK_ID"
for id in 0 1 2 3; do SLURM_ARRAY_TASK_ID=$id bash "$r1" > /dev/null; done
[ "$(ls "$d"/run-*.json | wc -l)" = 4 ] || fail "tasks wrote $(ls "$d") "
echo "ok: array tasks 0-3 run here"

cp "$src/tests/sweeps/fake_sbatch.sh" bin/sbatch
PATH=$work/bin:$PATH FAKE_SBATCH_LOG=$work/sbatch.log FAKE_SBATCH_OUT=$work/merge.out bash "$m"
grep -q "round-2.sbatch" sbatch.log || fail "round 2 not queued: $(cat sbatch.log)"
grep -q '^#SBATCH --array=4$' "$d/slurm/round-2.sbatch" || fail "round 2 is not run 4"
cmp all.out merge.out || fail "merged stdout differs"
diff -r all o > /dev/null || fail "merged outputs differ"
echo "ok: merge step queued round 2, merged byte-identical"
echo "all ok"
