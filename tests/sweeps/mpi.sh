#!/bin/bash
# tests/sweeps/mpi.sh - CTest sweep_mpi (docs/sweeps.md), built with MPI
# only: mpirun -np 2 kvsim --mpi on tests/lua/sweep_tiny.lua (two rounds:
# a grid sweep, then an adaptive kv.run), ideal and SimGrid backends:
# stdout and outputs byte-identical to the one-process run.
#   bash tests/sweeps/mpi.sh MPIEXEC KVSIM SOURCE_DIR WORK_DIR
set -euo pipefail
mpiexec=$1 kvsim=$2 src=$3 work=$4
rm -rf "$work"; mkdir -p "$work"; cd "$work"
export KVSIM_QUIET=1 OMPI_MCA_mpi_warn_on_fork=0
root=(); [ "$(id -u)" = 0 ] && root=(--allow-run-as-root)
tiny=$src/tests/lua/sweep_tiny.lua
fail() { echo "FAIL: $*" >&2; exit 1; }
backends=(ideal)
"$kvsim" --version | grep -q simgrid && backends+=(simgrid)
for b in "${backends[@]}"; do
  "$kvsim" "$tiny" o --backend "$b" > "all-$b.out"; mv o "all-$b"
  "$mpiexec" -np 2 --oversubscribe "${root[@]}" "$kvsim" --mpi "$tiny" o --backend "$b" \
    --run-dir "runs-$b" > "mpi-$b.out"
  cmp "all-$b.out" "mpi-$b.out" || fail "$b: stdout differs"
  diff -r "all-$b" o > /dev/null || fail "$b: outputs differ"
  [ "$(ls "runs-$b" | wc -l)" = 5 ] || fail "$b: $(ls "runs-$b" | wc -l) run files"
  rm -rf o
  echo "ok: $b: mpirun -np 2 --mpi byte-identical to the local sweep"
done
if "$kvsim" --mpi "$tiny" o --list > /dev/null 2> err.txt; then fail "--mpi --list ran"; fi
grep -q "no --list" err.txt || fail "--mpi --list: $(cat err.txt)"
echo "all ok"
