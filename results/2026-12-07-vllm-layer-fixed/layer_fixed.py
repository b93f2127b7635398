#!/usr/bin/env python3
"""The rule's layer_fixed from scripts/lab_decode_layer.py's decode_layer.csv
(python3 layer_fixed.py CSV): the median excess (GPU time less kvsim's
roofline, per layer) over the vLLM validation's three slices at batches 8 to
128 and every context measured; then the excess of every slice by batch."""
import csv
import statistics
import sys

VALIDATION = ("llama-2-7b tp1", "codellama-34b tp2", "llama-2-70b tp4")

rows = list(csv.DictReader(open(sys.argv[1])))
pts = [float(r["excess_s"]) for r in rows
       if r["shape"] in VALIDATION and 8 <= int(r["batch"]) <= 128]
if len(pts) != 30:
    sys.exit("expected 30 points of the validation's slices at B 8-128, got %d" % len(pts))
print("layer_fixed = %.4g s: median excess over %d points (the validation's slices, B 8-128); "
      "range %.1f-%.1f us" % (statistics.median(pts), len(pts), min(pts) * 1e6, max(pts) * 1e6))
shapes = list(dict.fromkeys(r["shape"] for r in rows))
batches = sorted({int(r["batch"]) for r in rows})
for c in sorted({int(r["context"]) for r in rows}):
    print("\ncontext %d: excess us/layer (kernels per layer; excess per kernel, us)" % c)
    print("| slice | " + " | ".join("B %d" % b for b in batches) + " |")
    print("| --- |" + " ---: |" * len(batches))
    for s in shapes:
        cells = []
        for b in batches:
            r = [x for x in rows if x["shape"] == s and int(x["batch"]) == b and int(x["context"]) == c]
            if r:
                r = r[0]
                cells.append("%.1f (%.0f; %.2f)" % (float(r["excess_s"]) * 1e6, float(r["kernels"]),
                                                    float(r["excess_per_kernel_s"]) * 1e6))
            else:
                cells.append("")
        print("| %s | %s |" % (s, " | ".join(cells)))
