#!/usr/bin/env bash
# valgrind.sh - run kvsim under valgrind (memcheck, full leak check) on a
# short fragmentation-like script: once on the ideal backend, once on the
# SimGrid backend. Exits non-zero on any invalid access or leak.
#
#   scripts/valgrind.sh                 # uses build/kvsim (builds it if absent)
#   KVSIM_BUILD_DIR=build-rel scripts/valgrind.sh
#
# SimGrid runs in a forked child (kv.run does that for the SimGrid backend);
# valgrind follows forks by itself. The child uses SimGrid's default raw
# contexts (no invalid access is reported with them). Definite and indirect
# leaks are errors; "possibly lost" blocks are listed but not errors: in a
# forked child they are the parent's heap (the Lua state) that the child
# inherits and, ending with _exit, never frees.
set -uo pipefail
cd "$(dirname "$0")/.."
build=${KVSIM_BUILD_DIR:-build}
[ -x "$build/kvsim" ] || { cmake -S . -B "$build" >/dev/null && cmake --build "$build" -j2 --target kvsim; } || exit 1
export KVSIM_QUIET=1
status=0
for backend in ideal simgrid; do
  log=$(mktemp /tmp/kvsim_valgrind_XXXXXX.log)
  echo "== valgrind: $build/kvsim tests/valgrind/frag.lua $backend"
  start=$(date +%s)
  valgrind --leak-check=full --show-leak-kinds=definite,indirect,possible \
    --errors-for-leak-kinds=definite,indirect --error-exitcode=1 \
    --track-fds=no --log-file="$log" \
    "$build/kvsim" tests/valgrind/frag.lua "$backend"
  rc=$?
  echo "exit status $rc after $(( $(date +%s) - start )) s; valgrind summary (per process):"
  grep -E "ERROR SUMMARY|definitely lost:|indirectly lost:|possibly lost:|in use at exit|total heap usage" "$log" | sed 's/^/  /'
  [ $rc -eq 0 ] || { status=1; echo "  full log: $log"; continue; }
  rm -f "$log"
done
exit $status
