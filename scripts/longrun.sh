#!/usr/bin/env bash
# longrun.sh - the long-run check: the Mooncake conversation trace
# (../shared/traces/mooncake_fast25_conversation.jsonl, or wherever
# kv.trace finds it) at 4x its arrival rate through every strategy, one
# process per strategy, with the engine's invariant check at the end.
# Prints and writes wall time and peak RSS per strategy (GNU time -v).
#
#   scripts/longrun.sh [OUTDIR] [BACKEND]     # default results/longrun-<date>, ideal
#   KVSIM_BUILD_DIR=build-rel scripts/longrun.sh results/2026-11-22-longrun ideal
set -euo pipefail
cd "$(dirname "$0")/.."
build=${KVSIM_BUILD_DIR:-build}
out=${1:-results/longrun-$(date +%F)}
backend=${2:-ideal}
[ -x "$build/kvsim" ] || { cmake -S . -B "$build" >/dev/null && cmake --build "$build" -j2 --target kvsim; }
mkdir -p "$out"
export KVSIM_QUIET=1
summary=$out/longrun_$backend.csv
echo "label,backend,requests,completed,unfinished,rejected,preemptions,steps,sim_time,util_mean,throughput,vmm_calls,wall_s,peak_rss_mib,exit" >"$summary"
for s in static paged-16 vmm-2M-layer vmm-64K-layer vmm-2M-all-deferred indirect-64M-16; do
  tmp=$(mktemp -d)
  set +e
  /usr/bin/time -v "$build/kvsim" scripts/longrun.lua "$s" "$backend" "$tmp/row.csv" \
    >"$tmp/out" 2>"$tmp/time"
  rc=$?
  set -e
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/{print $2}' "$tmp/time" |
    awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
  rss=$(awk -F': ' '/Maximum resident set size/{printf "%.1f", $2 / 1024}' "$tmp/time")
  if [ $rc -eq 0 ] && [ -s "$tmp/row.csv" ]; then
    row=$(tail -1 "$tmp/row.csv")
  else
    row="$s,$backend,,,,,,,,,,"
    grep -v '^\s' "$tmp/time" | grep -v ':' | head -5 >&2 || true
    head -5 "$tmp/time" >&2
  fi
  echo "$row,$wall,$rss,$rc" >>"$summary"
  printf '%-20s %-8s wall %7.1f s  peak RSS %8s MiB  exit %d  %s\n' "$s" "$backend" \
    "$wall" "$rss" "$rc" "$(cat "$tmp/out")"
  rm -rf "$tmp"
done
echo "written: $summary"
