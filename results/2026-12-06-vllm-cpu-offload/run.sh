#!/bin/sh
# What CPU KV offloading changes in kvsim's predictions of the committed vLLM
# runs: every run's engine given kv_offloading_size 8 (GiB over its TP GPUs),
# as inference-sim's sim-to-real design says its runs had. Usage, from the
# repository root: results/2026-12-06-vllm-cpu-offload/run.sh BUILD_DIR OUT
set -e
B=${1:-build}; OUT=${2:-/tmp/vllm-cpu-offload}
mkdir -p "$OUT"
python3 - "$OUT/runs_offload.json" <<'PY'
import json, sys
d = json.load(open("experiments/data/vllm/runs.json"))
for r in d["runs"]:
    r["engine"]["kv_offloading_size"] = 8
json.dump(d, open(sys.argv[1], "w"), indent=1, sort_keys=True)
PY
"$B/kvsim" experiments/vllm_validation.lua --data "$OUT/runs_offload.json" --out "$OUT/report"
