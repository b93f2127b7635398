#!/bin/sh
# scripts/bench_scale.sh - bench_scale (bench/bench_scale.c): one big
# simulation, 8 -> 1,024 H100s under Azure-like load, both backends, wall
# time, CPU time, peak RSS and simulated GPU-seconds per wall second. A
# benchmark, run on demand (never a test); every configuration is its own
# bench_scale call (each well under 3 minutes on a 2-core machine).
#
#   scripts/bench_scale.sh [BUILD_DIR] [OUT_DIR]   (defaults: build, none)
#   QUICK=1 scripts/bench_scale.sh ...             (8 and 32 GPUs, 60 s,
#                                                   exact and sharded too)
#
# Sections:
#   A. default run options (per-request results kept, timeline every 1 s,
#      lone transfers simulated): 10 simulated minutes, 8..256 GPUs;
#   B. keep_requests = false, timeline every 10 s: 10 minutes, 8..256 GPUs,
#      and 1,024 GPUs for 1 minute (SimGrid exact);
#   C. as B plus lone_transfers = "analytic" (an approximation, sim_backend.h):
#      1 simulated hour, 8..1,024 GPUs (the issue's target);
#   D. exact: as B with lone_transfers = "exact" (--analytic 3: timed from
#      the route only when proven alone), in one process and in one shard
#      per server (kv.run{ shards, shard_jobs }) one at a time (one core)
#      and two at a time; 1 simulated minute, 8..1,024 GPUs, plus the
#      simulated lone transfers (the default) at 1,024 GPUs for reference;
#   E. the target run, exact: 1,024 GPUs x 1 simulated hour, 128 shards,
#      two at a time, and the ideal backend's (minutes).
# SECTIONS="D E" runs only those sections (default: A B C D E).
# With OUT_DIR, everything printed also goes to OUT_DIR/bench_scale.txt.
set -eu
BUILD=${1:-build}
OUT=${2:-}
B="$BUILD/bench_scale"
[ -x "$B" ] || { echo "$B not built (cmake --build $BUILD --target bench_scale)" >&2; exit 1; }
SECTIONS=${SECTIONS:-A B C D E}
if [ -n "$OUT" ]; then
  mkdir -p "$OUT"
  exec > "$OUT/bench_scale.txt" 2>&1
fi
want() { case " $SECTIONS " in *" $1 "*) return 0 ;; esac; return 1; }
echo "# bench_scale: commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- core sim bench 2>/dev/null || echo ' (modified)'), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
run() { echo "\$ $B $*"; "$B" "$@" | sed '1,2d'; }
hdr() { "$B" --gpus 1 --duration 1 --backend ideal | sed -n 2p; }
if [ "${QUICK:-0}" = 1 ]; then
  hdr
  run --gpus 8,32 --duration 60
  run --gpus 8,32 --duration 60 --keep-requests 0 --timeline-interval 10 --analytic 2
  run --gpus 8,32 --duration 60 --backend simgrid --keep-requests 0 --timeline-interval 10 --analytic 3
  run --gpus 32 --duration 60 --backend simgrid --keep-requests 0 --timeline-interval 10 --analytic 3 --shards 4 --shard-jobs 1
  exit 0
fi
if want A; then
echo "## A. defaults, 600 simulated s"
hdr
run --gpus 8,32,128,256 --duration 600 --backend ideal
run --gpus 8,32,128 --duration 600 --backend simgrid
run --gpus 256 --duration 600 --backend simgrid
fi
if want B; then
echo "## B. keep_requests = false, timeline_interval 10 s"
hdr
run --gpus 8,32,128,256 --duration 600 --backend ideal --keep-requests 0 --timeline-interval 10
run --gpus 8,32,128 --duration 600 --backend simgrid --keep-requests 0 --timeline-interval 10
run --gpus 256 --duration 600 --backend simgrid --keep-requests 0 --timeline-interval 10
run --gpus 1024 --duration 60 --backend ideal --keep-requests 0 --timeline-interval 10
run --gpus 1024 --duration 60 --backend simgrid --keep-requests 0 --timeline-interval 10
fi
if want C; then
echo "## C. keep_requests = false, timeline_interval 10 s, lone_transfers analytic, 3600 simulated s"
hdr
for g in 8 32 128 256 1024; do
  run --gpus $g --duration 3600 --backend ideal --keep-requests 0 --timeline-interval 10 --analytic 2
  run --gpus $g --duration 3600 --backend simgrid --keep-requests 0 --timeline-interval 10 --analytic 2
done
fi
K="--keep-requests 0 --timeline-interval 10"
if want D; then
echo "## D. exact: keep_requests = false, timeline_interval 10 s, lone_transfers exact, 60 simulated s"
hdr
run --gpus 8,32,128,256,1024 --duration 60 --backend ideal $K
run --gpus 8,32,128,256,1024 --duration 60 --backend simgrid $K --analytic 3
for g in 8 32 128 256 1024; do
  run --gpus $g --duration 60 --backend simgrid $K --analytic 3 --shards $((g / 8)) --shard-jobs 1
done
run --gpus 1024 --duration 60 --backend simgrid $K --analytic 3 --shards 128 --shard-jobs 2
run --gpus 1024 --duration 60 --backend simgrid $K --analytic 1
fi
if want E; then
echo "## E. the target, exact: 1,024 GPUs x 3600 simulated s, 128 shards"
hdr
run --gpus 1024 --duration 3600 --backend simgrid $K --analytic 3 --shards 128 --shard-jobs 2
run --gpus 1024 --duration 3600 --backend ideal $K
fi
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
