#!/usr/bin/env bash
# fuzz.sh - build kvsim's libFuzzer harnesses with clang into build-fuzz and
# run each for SECONDS (default 600), two at a time, one process each.
#
#   scripts/fuzz.sh                      # every harness, 600 s each
#   scripts/fuzz.sh 60 fuzz_trace        # one harness, 60 s
#
# Harnesses: fuzz_strategy fuzz_trace fuzz_hf_config fuzz_platform fuzz_pool (see
# docs/reliability.md). Seeds come from fuzz/corpus/<harness>/; the growing
# corpus lives in build-fuzz/corpus/<harness>/, crashing inputs in
# build-fuzz/artifacts/<harness>/, logs in build-fuzz/logs/. Prints the
# executions and findings of each harness; exits 1 if any harness found
# something.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-600}
shift || true
harnesses=("$@")
[ ${#harnesses[@]} -eq 0 ] && harnesses=(fuzz_strategy fuzz_trace fuzz_hf_config fuzz_platform fuzz_pool)
par=${KVSIM_FUZZ_PARALLEL:-2}

CC=${CC:-clang} CXX=${CXX:-clang++} cmake -S . -B build-fuzz -DKVSIM_FUZZ=ON \
  -DKVSIM_CUDA=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-fuzz -j2 --target "${harnesses[@]}"

mkdir -p build-fuzz/logs
run_one() {
  local h=$1 corpus=build-fuzz/corpus/$1 art=build-fuzz/artifacts/$1/
  mkdir -p "$corpus" "$art"
  local t0=$SECONDS
  # -rss_limit_mb: the strategy harness legitimately builds pools of up to
  # a few hundred MB; anything past 2 GB is a finding.
  build-fuzz/fuzz/"$h" -max_total_time="$secs" -rss_limit_mb=2048 \
    -timeout=25 -print_final_stats=1 -artifact_prefix="$art" \
    "$corpus" fuzz/corpus/"$h" >build-fuzz/logs/"$h".log 2>&1 || true
  echo $((SECONDS - t0)) >build-fuzz/logs/"$h".secs
}
report() {
  local h=$1 log=build-fuzz/logs/$1.log
  local execs
  execs=$(grep -a 'stat::number_of_executed_units' "$log" | awk '{print $2}' | tail -1)
  local found
  found=$(grep -aE '^SUMMARY|check failed' "$log" | head -3 || true)
  printf '%-16s execs %-10s time %ss  %s\n' "$h" "${execs:-?}" \
    "$(cat build-fuzz/logs/"$h".secs 2>/dev/null || echo '?')" \
    "${found:-no findings}"
  [ -z "$found" ]
}

status=0
i=0
for h in "${harnesses[@]}"; do
  run_one "$h" &
  i=$((i + 1))
  if [ $((i % par)) -eq 0 ]; then wait; fi
done
wait
for h in "${harnesses[@]}"; do report "$h" || status=1; done
ls build-fuzz/artifacts/*/ 2>/dev/null | grep -E 'crash|leak|oom|timeout' &&
  echo "fuzz: crashing inputs are in build-fuzz/artifacts/" || true
exit $status
