#!/bin/sh
# results/2026-12-07-capacity-vllm-engine/run.sh BUILD OUT [NAME] - experiments/capacity.lua
# three times, from the source tree: kvsim's engine without CPU time (the
# default), as a vLLM v0.15 server (--engine vllm: vLLM's batch defaults for
# the GPU and the validated CPU overheads profile), and with vLLM's batch
# defaults alone (the profile with every CPU term 0, written here), to tell
# the two apart (NAME: the script the zero profile says wrote it, this one
# unless a later folder calls it). About 10 s each on 2 cores.
set -eu
BUILD=${1:-build}
OUT=${2:-results/2026-12-07-capacity-vllm-engine}
mkdir -p "$OUT"
python3 - "$OUT/overheads_zero.json" "${3:-results/2026-12-07-capacity-vllm-engine/run.sh}" <<'PY'
import json, sys
p = json.load(open("experiments/data/vllm/overheads.json"))
# (the compute rate the profile prices at, when it has one: the rows differ by the CPU terms alone)
z = {k: p[k] for k in ("subset", "fitted_to", "rms_error_pct", "compute") if k in p}
z["profile"] = "vllm-0.15-batch-defaults-only"
z["command"] = sys.argv[2] + ": experiments/data/vllm/overheads.json with every CPU term 0"
z["overheads"] = {k: (False if isinstance(v, bool) else 0) for k, v in p["overheads"].items()}
json.dump(z, open(sys.argv[1], "w"), indent=1, sort_keys=True)
PY
"$BUILD/kvsim" experiments/capacity.lua --no-plot --out "$OUT/none" > "$OUT/none.stdout" 2> "$OUT/none.stderr"
"$BUILD/kvsim" experiments/capacity.lua --engine vllm --out "$OUT/vllm" > "$OUT/vllm.stdout" 2> "$OUT/vllm.stderr"
"$BUILD/kvsim" experiments/capacity.lua --engine vllm --overheads "$OUT/overheads_zero.json" --no-plot --out "$OUT/batch_only" \
  > "$OUT/batch_only.stdout" 2> "$OUT/batch_only.stderr"
python3 - "$OUT" <<'PY'
import csv, sys
out = sys.argv[1]
def load(name):
    return {(r["regime"], r["strategy"]): r for r in csv.DictReader(open("%s/%s/capacity.csv" % (out, name)))}
n, b, v = load("none"), load("batch_only"), load("vllm")
f = lambda r, c: float(r[c]) if r[c] else float("nan")
with open("%s/compare.md" % out, "w") as w:
    w.write("| regime | strategy | none req/s | vs static | vLLM batch defaults req/s | vllm req/s | vs static | TPOT p99 ms (none / vllm) | vllm / none |\n")
    w.write("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
    for k in v:
        w.write("| %s | %s | %.3f | %.2f | %.3f | %.3f | %.2f | %.1f / %.1f | %.2f |\n" % (
            k[0], k[1], f(n[k], "rate"), f(n[k], "vs_static"), f(b[k], "rate"), f(v[k], "rate"),
            f(v[k], "vs_static"), 1e3 * f(n[k], "tpot_p99"), 1e3 * f(v[k], "tpot_p99"),
            f(v[k], "rate") / f(n[k], "rate")))
PY
