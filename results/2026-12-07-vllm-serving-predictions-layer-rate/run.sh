#!/bin/sh
# results/2026-12-07-vllm-serving-predictions-layer-rate/run.sh BUILD OUT - kvsim's vLLM
# v0.15 predictions (experiments/vllm_serving.lua) for the models of
# inference-sim's sim-to-real evaluation that the validation's fixture does
# not have, at the TP degrees that evaluation ran them, under the "general"
# load of its runs (inference-perf shared_prefix: 100-token system prompts,
# 447-token questions, 248 output tokens; stages of 8 and 20 req/s, 600 s
# each), on the H100 preset, SimGrid, seed 1. From the source tree; about
# a minute on 2 cores.
set -eu
BUILD=${1:-build}
OUT=${2:-results/2026-12-07-vllm-serving-predictions-layer-rate}
M=experiments/data/models
mkdir -p "$OUT"
while read -r name model tp extra; do
  # shellcheck disable=SC2086
  "$BUILD/kvsim" experiments/vllm_serving.lua --model "$M/$model.json" --tp "$tp" $extra \
    --rates 8,20 --duration 600 --no-plot --out "$OUT/$name" > "$OUT/$name.txt" 2> "$OUT/$name.stderr"
done <<'RUNS'
llama-3.1-8b-tp1 Llama-3.1-8B-Instruct 1
llama-3.1-8b-tp2 Llama-3.1-8B-Instruct 2
qwen2.5-7b-tp1 Qwen2.5-7B-Instruct 1
mistral-nemo-12b-tp1 Mistral-Nemo-Instruct-2407 1
mistral-nemo-12b-tp2 Mistral-Nemo-Instruct-2407 2
qwen3-14b-tp1 Qwen3-14B 1
yi-34b-tp2 Yi-34B 2
llama-3.1-70b-tp4 Llama-3.1-70B-Instruct 4
qwen3-30b-a3b-tp1 Qwen3-30B-A3B 1
deepseek-v2-lite-tp1 DeepSeek-V2-Lite 1
llama-4-scout-fp8-tp2 Llama-4-Scout-17B-16E-Instruct 2 --fp8
mixtral-8x7b-tp4 Mixtral-8x7B-v0.1 4
mixtral-8x22b-tp8 Mixtral-8x22B-Instruct-v0.1 8
RUNS
python3 - "$OUT" <<'PY'
import csv, glob, os, sys
out = sys.argv[1]
rows = []
for d in sorted(glob.glob(out + "/*/serving.csv")):
    name = os.path.basename(os.path.dirname(d))
    for r in csv.DictReader(open(d)):
        rows.append((name, r))
with open(out + "/predictions.md", "w") as w:
    w.write("| run | req/s | TTFT mean ms | TTFT p99 ms | ITL mean ms | TPOT p99 ms | E2E mean s | E2E p99 s | batch mean | saturated |\n")
    w.write("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n")
    for name, r in rows:
        f = lambda k: float(r[k])
        w.write("| %s | %g | %.1f | %.1f | %.2f | %.2f | %.2f | %.2f | %.1f | %s |\n" % (
            name, f("rate"), 1e3 * f("ttft_mean"), 1e3 * f("ttft_p99"), 1e3 * f("itl_mean"), 1e3 * f("tpot_p99"),
            f("e2e_mean"), f("e2e_p99"), f("batch_mean"), r["saturated"]))
PY
