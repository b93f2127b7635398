#!/usr/bin/env python3
"""vllm_tail_evidence.py - what the measured token intervals say about the
TTFT tails experiments/vllm_validation.lua leaves unexplained.

inference-perf times every streamed chunk (`itl_chunks`, about two per
token). Steps of one server take about the same time, so a chunk interval far
above the stage's p99 is a step the engine took much longer over: a stall of
the whole engine loop, which every running request sees. Per load stage this
prints

  - the stall indicator: chunk p99.9 / chunk p99 (1 = no long steps);
  - the longest chunk interval over the chunk p99 (a single stall, such as
    the first stage's start-up stall);
  - the measured TTFT p99 and the validation's error on it (the fitted
    prediction, column err_fit of the validation's report.csv);

and, over the later stages that are not queueing for seats (measured TTFT
p90 at most 1.5 x its median) and hold no first requests of a prompt,
Spearman's rank correlation between the stall indicator and the TTFT p99
error's magnitude, with its exact permutation p-value (one-sided).

usage: python3 scripts/vllm_tail_evidence.py [--data runs.json] REPORT.csv|LADDER.csv
"""
import argparse
import csv
import itertools
import json
import sys


def ranks(xs):
    """Ranks 1..n, ties averaged."""
    order = sorted(range(len(xs)), key=lambda i: xs[i])
    r = [0.0] * len(xs)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and xs[order[j + 1]] == xs[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return r


def spearman(xs, ys):
    rx, ry = ranks(xs), ranks(ys)
    n = len(xs)
    mx, my = sum(rx) / n, sum(ry) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    sxx = sum((a - mx) ** 2 for a in rx)
    syy = sum((b - my) ** 2 for b in ry)
    return sxy / (sxx * syy) ** 0.5 if sxx > 0 and syy > 0 else float("nan")


def perm_p(xs, ys):
    """One-sided exact p: the share of orderings of ys with rho >= observed."""
    rho = spearman(xs, ys)
    perms = list(itertools.permutations(ys))
    hits = sum(1 for p in perms if spearman(xs, list(p)) >= rho - 1e-12)
    return rho, hits / len(perms)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("report", help="report.csv or ladder.csv of experiments/vllm_validation.lua")
    ap.add_argument("--data", default="experiments/data/vllm/runs.json",
                    help="the fixture the validation ran on (%(default)s)")
    a = ap.parse_args()
    try:
        fixture = json.load(open(a.data))
        reader = csv.DictReader(open(a.report))
        rows = list(reader)
        runs = fixture["runs"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        sys.exit("vllm_tail_evidence.py: %s" % e)
    need = {"run", "level", "metric", "err_fit"}
    have = set(reader.fieldnames or [])
    if not need <= have or not rows:
        sys.exit("vllm_tail_evidence.py: %s: not a vllm_validation report.csv or ladder.csv "
                 "(columns %s missing, %d rows)" % (a.report, ", ".join(sorted(need - have)) or "none",
                                                    len(rows)))
    if "quantile" in have:  # ladder.csv: one row per quantile
        err = {(r["run"], r["level"]): r["err_fit"] for r in rows
               if r["metric"] == "ttft" and r["quantile"] == "p99"}
    else:
        err = {(r["run"], r["level"]): r["err_fit"] for r in rows if r["metric"] == "ttft_p99"}

    print("%-48s %-5s %6s %9s %9s %10s %10s" % (
        "run", "stage", "req/s", "p99.9/p99", "max/p99", "TTFT p99", "error"))
    later = []
    for run in runs:
        for i, st in enumerate(run["measured"]["stages"]):
            c, t = st["itl_chunks"], st["ttft"]
            e = err.get((run["id"], "s%d" % i), "")
            ind = c["p99.9"] / c["p99"]
            print("%-48s s%-4d %6.0f %9.2f %9.1f %8.1f ms %10s" % (
                run["id"], i, st["requested_rate"], ind, c["max"] / c["p99"],
                t["p99"] * 1e3, ("%+.1f %%" % float(e)) if e not in ("", "nan") else "-"))
            if i > 0 and e not in ("", "nan") and t["p90"] <= 1.5 * t["median"]:
                later.append((run["id"], ind, abs(float(e))))
    if len(later) >= 3:
        rho, p = perm_p([x[1] for x in later], [x[2] for x in later])
        print("\nlater stages not queueing for seats (%d): Spearman rho(stall indicator, "
              "|TTFT p99 error|) = %.2f, one-sided exact p = %.3f" % (len(later), rho, p))
        for rid, ind, e in sorted(later, key=lambda x: x[1]):
            print("  %-48s %.2f  %.1f %%" % (rid, ind, e))


if __name__ == "__main__":
    main()
