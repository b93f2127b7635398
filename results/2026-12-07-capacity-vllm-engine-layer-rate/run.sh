#!/bin/sh
# results/2026-12-07-capacity-vllm-engine-layer-rate/run.sh BUILD OUT - the
# three runs of results/2026-12-07-capacity-vllm-engine/run.sh (which this
# calls), written here, with the default profile of the day (compute at the
# layer's rate; the batch-defaults-only profile keeps that rate).
set -eu
exec results/2026-12-07-capacity-vllm-engine/run.sh "${1:-build}" \
  "${2:-results/2026-12-07-capacity-vllm-engine-layer-rate}" results/2026-12-07-capacity-vllm-engine-layer-rate/run.sh
