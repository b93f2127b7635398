#!/usr/bin/env python3
"""decide.py OUT - the rule of README.md over OUT/{D,L}/seedN/report.csv: the
subset's sum of squared rms errors per seed and profile, mean(d) against
sd_D, and the held-out medians (9 runs not saturated) of both profiles."""
import csv
import statistics
import sys

SEEDS = (2, 3, 4, 5, 6)
SUBSET = ("itl_mean", "ttft_mean", "ttft_p99")
HELD = ("ttft_mean", "itl_mean", "e2e_mean", "ttft_p99", "tpot_p99", "e2e_p99")


def rows(path):
    with open(path) as f:
        return list(csv.DictReader(f))


def subset_sum(rs):
    total = 0.0
    for m in SUBSET:
        e = [float(r["err_fit"]) for r in rs if r["split"] == "fit" and r["level"] != "all" and r["metric"] == m]
        total += sum(x * x for x in e) / len(e)
    return total


def held_out(rs, saturated):
    out = {}
    for m in HELD:
        e = [abs(float(r["err_fit"])) for r in rs if r["split"] == "held-out" and r["level"] == "all"
             and r["metric"] == m and r["run"] not in saturated]
        out[m] = (statistics.median(e), len(e))
    return out


def main():
    out = sys.argv[1]
    # the saturated runs: those the report marks so (the reasoning profile here)
    sat = set()
    with open("%s/D/seed%d/report.txt" % (out, SEEDS[0])) as f:
        for line in f:
            if line.startswith("== ") and "SATURATED" in line:
                sat.add(line[3:].split(":")[0])
    s = {p: [subset_sum(rows("%s/%s/seed%d/report.csv" % (out, p, k))) for k in SEEDS] for p in "DL"}
    d = [l - x for l, x in zip(s["L"], s["D"])]
    sd = statistics.stdev(s["D"])
    print("seed  S_D    S_L    d")
    for k, a, b, c in zip(SEEDS, s["D"], s["L"], d):
        print("%-5d %-6.1f %-6.1f %+.1f" % (k, a, b, c))
    print("mean(d) %+.2f, sd_D %.2f, sd(d) %.2f -> %s" % (
        statistics.mean(d), sd, statistics.stdev(d),
        "ADOPT L (mean(d) <= sd_D)" if statistics.mean(d) <= sd else "KEEP D (mean(d) > sd_D)"))
    print("held-out medians |error| %%, %d saturated runs left out: %s" % (len(sat), ", ".join(sorted(sat))))
    for p in "DL":
        for k in SEEDS:
            h = held_out(rows("%s/%s/seed%d/report.csv" % (out, p, k)), sat)
            print("%s seed %d: %s (n=%d)" % (p, k, ", ".join("%s %.1f" % (m, h[m][0]) for m in HELD),
                                               h[HELD[0]][1]))


if __name__ == "__main__":
    main()
