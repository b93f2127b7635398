#!/bin/sh
# Regenerates this folder from the repository root (see README.md here).
# KVSIM names the binary (default build/kvsim).
set -e
K=${KVSIM:-build/kvsim}
D=results/2026-12-06-sim-experiments
for e in fragmentation offload scale tiering validate; do
  $K -q experiments/$e.lua --out $D/$e > $D/$e.txt
done
R=results/2026-11-22-h100-validate-4
$K -q experiments/validate.lua --data $R/pass1 --repeats $R/pass2,$R/pass3 \
  --out $D/validate-h100-4 > $D/validate-h100-4.txt
$K -q $D/thrash.lua > $D/thrash.txt
