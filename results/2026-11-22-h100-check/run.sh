#!/bin/sh
set -u
B=build-cal/carry
export LD_LIBRARY_PATH=$B:/usr/local/cuda/lib64
$B/lab_xfer_engine > $OUT/lab_xfer_engine.txt 2>&1; echo "lab_xfer_engine rc=$?"
$B/lab_transfer --quick > $OUT/lab_transfer.txt 2>&1; echo "lab_transfer --quick rc=$?"
grep -E "check|peak|engine, defaults" $OUT/lab_xfer_engine.txt; grep -E "check|peak" -A1 $OUT/lab_transfer.txt | head -8
