#!/bin/sh
# download_traces.sh - fetch the two public request traces kvsim reads.
#
#   scripts/download_traces.sh [DATA_DIR]
#
# Files land in DATA_DIR/traces (default: $KVSIM_DATA_DIR, else ./data):
#   azure2023_conv.csv                  Azure LLM inference trace 2023, conv
#                                       (CC-BY 4.0, cite Patel et al., ISCA'24)
#   mooncake_fast25_conversation.jsonl  Mooncake FAST'25 conversation trace
#                                       (Apache-2.0, cite Qin et al., FAST'25)
# Each download is checked against its sha256; a file that does not match
# is removed. Existing files with the right checksum are kept.
# KVSIM_AZURE_URL / KVSIM_MOONCAKE_URL override the sources (for mirrors).
# Exit status: 0 all present, 1 a download failed or did not verify,
# 2 usage or missing tools.
set -u

AZURE_URL=${KVSIM_AZURE_URL:-https://raw.githubusercontent.com/Azure/AzurePublicDataset/master/data/AzureLLMInferenceTrace_conv.csv}
AZURE_SHA=2f1e5b666d4e3055fdbba98598ce2ec307767b9064e03e2fa46676dbcc7d0bf8
MOONCAKE_URL=${KVSIM_MOONCAKE_URL:-https://raw.githubusercontent.com/kvcache-ai/Mooncake/main/FAST25-release/traces/conversation_trace.jsonl}
MOONCAKE_SHA=b8cbb061a85206d729d91cdc2981f43c9e0d99209dce588d3af5f7934408b9df

case "${1:-}" in
-h | --help)
  sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
  exit 0
  ;;
esac
if [ $# -gt 1 ]; then
  echo "usage: $0 [DATA_DIR]" >&2
  exit 2
fi
DATA_DIR=${1:-${KVSIM_DATA_DIR:-./data}}
DEST="$DATA_DIR/traces"

if command -v curl >/dev/null 2>&1; then
  fetch() { curl -fsSL --connect-timeout 15 --retry 2 -o "$2" "$1"; }
elif command -v wget >/dev/null 2>&1; then
  fetch() { wget -q --timeout=15 --tries=2 -O "$2" "$1"; }
else
  echo "download_traces: neither curl nor wget is installed" >&2
  exit 2
fi
if command -v sha256sum >/dev/null 2>&1; then
  sha() { sha256sum "$1" | cut -d' ' -f1; }
elif command -v shasum >/dev/null 2>&1; then
  sha() { shasum -a 256 "$1" | cut -d' ' -f1; }
else
  echo "download_traces: neither sha256sum nor shasum is installed" >&2
  exit 2
fi

mkdir -p "$DEST" || {
  echo "download_traces: cannot create $DEST" >&2
  exit 2
}

status=0
# get NAME URL SHA256
get() {
  out="$DEST/$1"
  if [ -f "$out" ] && [ "$(sha "$out")" = "$3" ]; then
    echo "$out: present, sha256 ok"
    return 0
  fi
  echo "$out: downloading $2"
  if ! fetch "$2" "$out.part"; then
    rm -f "$out.part"
    echo "download_traces: could not download $2" >&2
    echo "download_traces: the network or the host is unreachable (or the" \
      "file moved); fetch it by hand into $DEST/$1" >&2
    status=1
    return 1
  fi
  got=$(sha "$out.part")
  if [ "$got" != "$3" ]; then
    rm -f "$out.part"
    echo "download_traces: $1: sha256 mismatch (got $got, expected $3);" \
      "file removed" >&2
    status=1
    return 1
  fi
  mv "$out.part" "$out"
  echo "$out: ok"
}

get azure2023_conv.csv "$AZURE_URL" "$AZURE_SHA"
get mooncake_fast25_conversation.jsonl "$MOONCAKE_URL" "$MOONCAKE_SHA"
if [ $status -ne 0 ]; then
  echo "download_traces: some traces are missing; kvsim's synthetic presets" \
    "(azure-conv, mooncake-conv) stand in for them" >&2
fi
exit $status
