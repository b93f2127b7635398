#!/bin/sh
# vllm_tail_evidence.sh SOURCE_DIR - scripts/vllm_tail_evidence.py on a
# made-up fixture whose answer is known: three two-stage runs whose later
# stages' stall indicators (chunk p99.9 / p99: 1.2, 1.5, 2.0) order as the
# TTFT p99 errors' magnitudes (1, 5, 9 %) give Spearman's rho 1 and exact
# one-sided p 1/6 (one ordering of six); a fourth run queueing for seats
# (TTFT p90 above 1.5x its median) is left out of the correlation. Then the
# same read from a ladder.csv, and bad input (exit 1, naming the file).
set -eu
SRC=$1
command -v python3 >/dev/null || { echo "vllm_tail_evidence: python3 is missing (scripts/setup.sh installs it)"; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
python3 - "$T" <<'PY'
import csv, json, sys
t = sys.argv[1]
def stage(ind, p90=0.03):
    return {"itl_chunks": {"p99": 0.01, "p99.9": 0.01 * ind, "max": 0.05},
            "ttft": {"p99": 0.05, "p90": p90, "median": 0.025}, "requested_rate": 10}
runs, rep, lad = [], [], []
for k, (ind, err, p90) in enumerate([(2.0, -9.0, 0.03), (1.2, 1.0, 0.03), (1.5, -5.0, 0.03), (3.0, -50.0, 0.2)]):
    rid = "run%d" % k
    runs.append({"id": rid, "measured": {"stages": [stage(9.0), stage(ind, p90)]}})
    for lvl, e in (("s0", 0.0), ("s1", err)):
        rep.append({"run": rid, "level": lvl, "metric": "ttft_p99", "err_fit": e})
        lad.append({"run": rid, "level": lvl, "metric": "ttft", "quantile": "p99", "err_fit": e})
        lad.append({"run": rid, "level": lvl, "metric": "ttft", "quantile": "p90", "err_fit": 99})
json.dump({"runs": runs}, open(t + "/runs.json", "w"))
for name, rows in (("report.csv", rep), ("ladder.csv", lad)):
    w = csv.DictWriter(open(t + "/" + name, "w"), fieldnames=list(rows[0]))
    w.writeheader(); w.writerows(rows)
PY
for f in report.csv ladder.csv; do
  python3 "$SRC/scripts/vllm_tail_evidence.py" --data "$T/runs.json" "$T/$f" > "$T/out.txt"
  grep -q "not queueing for seats (3): Spearman rho(stall indicator, |TTFT p99 error|) = 1.00, one-sided exact p = 0.167" "$T/out.txt" \
    || { echo "vllm_tail_evidence: wrong correlation from $f:"; cat "$T/out.txt"; exit 1; }
  [ "$(grep -c '^run[0-9]' "$T/out.txt")" = 8 ] || { echo "vllm_tail_evidence: expected 8 stage rows from $f"; cat "$T/out.txt"; exit 1; }
done
if python3 "$SRC/scripts/vllm_tail_evidence.py" --data "$T/runs.json" "$T/runs.json" 2> "$T/err.txt"; then
  echo "vllm_tail_evidence: a JSON file taken as a report"; exit 1
fi
grep -q "runs.json: not a vllm_validation report.csv" "$T/err.txt" || { echo "vllm_tail_evidence: unclear error:"; cat "$T/err.txt"; exit 1; }
if python3 "$SRC/scripts/vllm_tail_evidence.py" --data "$T/none.json" "$T/report.csv" 2> "$T/err.txt"; then
  echo "vllm_tail_evidence: a missing fixture accepted"; exit 1
fi
grep -q "none.json" "$T/err.txt" || { echo "vllm_tail_evidence: the error does not name the file:"; cat "$T/err.txt"; exit 1; }
echo "vllm_tail_evidence: ok"
