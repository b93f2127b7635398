#!/bin/sh
# download_traces.sh - fetch the public request traces kvsim reads.
#
#   scripts/download_traces.sh [DATA_DIR] [NAME ...]
#
# Files land in DATA_DIR/traces (default: $KVSIM_DATA_DIR, else ./data).
# Without NAMEs: the two traces the tests and presets use (azure2023_conv,
# mooncake); NAME "all" fetches every one below. Names, files, licenses:
#   azure2023_conv  azure2023_conv.csv   Azure LLM inference trace 2023, conv
#   azure2023_code  azure2023_code.csv   (CC-BY 4.0; cite Patel et al.,
#                                        Splitwise, ISCA'24)
#   azure2024_conv  azure2024_conv_1week.csv  Azure LLM inference trace 2024,
#   azure2024_code  azure2024_code_1week.csv  week-long (CC-BY 4.0; cite
#                                        Stojkovic et al., DynamoLLM, HPCA'25)
#   mooncake        mooncake_fast25_conversation.jsonl  Mooncake FAST'25
#                                        conversation trace (Apache-2.0; cite
#                                        Qin et al., FAST'25)
#   burstgpt        burstgpt_1.csv       BurstGPT, first 2 months with failed
#                                        rows (CC-BY 4.0 as its repository
#                                        states; cite Wang et al.,
#                                        arXiv:2401.17644)
#   qwen_coder      qwen_coder_blksz_16.jsonl  Alibaba qwen-bailian traces,
#   qwen_thinking   qwen_thinking_blksz_16.jsonl  16-token blocks
#                                        (Apache-2.0; cite Wang et al.,
#                                        KVCache Cache in the Wild, ATC'25)
# Each download is checked against its sha256 where one is known (the
# 2024 Azure files have none here: their sha256 is printed, not checked);
# a file that does not match is removed. Existing files with the right
# checksum are kept. Git LFS files are fetched from a pinned commit, so
# their LFS object id is their sha256.
# KVSIM_AZURE_URL / KVSIM_MOONCAKE_URL override the two default sources
# (for mirrors).
# Exit status: 0 all present, 1 a download failed or did not verify,
# 2 usage or missing tools.
set -u

AZURE_URL=${KVSIM_AZURE_URL:-https://raw.githubusercontent.com/Azure/AzurePublicDataset/master/data/AzureLLMInferenceTrace_conv.csv}
AZURE_SHA=2f1e5b666d4e3055fdbba98598ce2ec307767b9064e03e2fa46676dbcc7d0bf8
MOONCAKE_URL=${KVSIM_MOONCAKE_URL:-https://raw.githubusercontent.com/kvcache-ai/Mooncake/main/FAST25-release/traces/conversation_trace.jsonl}
MOONCAKE_SHA=b8cbb061a85206d729d91cdc2981f43c9e0d99209dce588d3af5f7934408b9df
AZURE_CODE_URL=https://raw.githubusercontent.com/Azure/AzurePublicDataset/master/data/AzureLLMInferenceTrace_code.csv
# sha256 of blob 62bd8109 (AzurePublicDataset commit b469a113, 2025-10-20)
AZURE_CODE_SHA=54e9a6d2a4bd06ba1e060304b900abbc74cbea53de96506e60fe5bb4f2277fb6
# the 2024 files are on Azure blob storage (AzureLLMInferenceDataset2024.md
# links the code trace; the conv trace is assumed next to it)
AZURE24=https://azurepublicdatasettraces.blob.core.windows.net/azurellminfererencetrace
BURSTGPT_URL=https://media.githubusercontent.com/media/HPMLL/BurstGPT/5d93d820d9b6bee4e26914df003e5713538164ae/data/BurstGPT_1.csv
BURSTGPT_SHA=4bb3783693d0a435686fbfc885615d2349bd067239079fa4b749f2e679e12122
QWEN=https://media.githubusercontent.com/media/alibaba-edu/qwen-bailian-usagetraces-anon/0b4273a1d8a83935b9d9356e78f95c31f2ac64cf
QWEN_CODER_SHA=3d74974cebb7bccb69b1ca6ea210a44d9a3033443c0271ed015327284dea1aff
QWEN_THINKING_SHA=41ac36d9d1b54d084eeb6b05e9d142ba9d02f8bf79cfc9fff418d8ab7cdee906

case "${1:-}" in
-h | --help)
  sed -n '2,34p' "$0" | sed 's/^# \{0,1\}//'
  exit 0
  ;;
esac
DATA_DIR=${1:-${KVSIM_DATA_DIR:-./data}}
[ $# -gt 0 ] && shift
NAMES=${*:-azure2023_conv mooncake}
[ "$NAMES" = all ] && NAMES="azure2023_conv azure2023_code azure2024_conv
  azure2024_code mooncake burstgpt qwen_coder qwen_thinking"
for n in $NAMES; do
  case $n in
  azure2023_conv | azure2023_code | azure2024_conv | azure2024_code | \
    mooncake | burstgpt | qwen_coder | qwen_thinking) ;;
  *)
    echo "usage: $0 [DATA_DIR] [NAME ...]: unknown trace '$n' (valid:" \
      "azure2023_conv azure2023_code azure2024_conv azure2024_code" \
      "mooncake burstgpt qwen_coder qwen_thinking all)" >&2
    exit 2
    ;;
  esac
done
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
# get NAME URL SHA256 (SHA256 "-": not known, printed instead of checked)
get() {
  out="$DEST/$1"
  if [ -f "$out" ] && [ "$3" = - ]; then
    echo "$out: present (no sha256 to check)"
    return 0
  fi
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
  if [ "$3" = - ]; then
    echo "$out: sha256 $got (not checked: none recorded)"
  elif [ "$got" != "$3" ]; then
    rm -f "$out.part"
    echo "download_traces: $1: sha256 mismatch (got $got, expected $3);" \
      "file removed" >&2
    status=1
    return 1
  fi
  mv "$out.part" "$out"
  echo "$out: ok"
}

for n in $NAMES; do
  case $n in
  azure2023_conv) get azure2023_conv.csv "$AZURE_URL" "$AZURE_SHA" ;;
  azure2023_code) get azure2023_code.csv "$AZURE_CODE_URL" "$AZURE_CODE_SHA" ;;
  azure2024_conv)
    get azure2024_conv_1week.csv "$AZURE24/AzureLLMInferenceTrace_conv_1week.csv" -
    ;;
  azure2024_code)
    get azure2024_code_1week.csv "$AZURE24/AzureLLMInferenceTrace_code_1week.csv" -
    ;;
  mooncake)
    get mooncake_fast25_conversation.jsonl "$MOONCAKE_URL" "$MOONCAKE_SHA"
    ;;
  burstgpt) get burstgpt_1.csv "$BURSTGPT_URL" "$BURSTGPT_SHA" ;;
  qwen_coder)
    get qwen_coder_blksz_16.jsonl "$QWEN/qwen_coder_blksz_16.jsonl" \
      "$QWEN_CODER_SHA"
    ;;
  qwen_thinking)
    get qwen_thinking_blksz_16.jsonl "$QWEN/qwen_thinking_blksz_16.jsonl" \
      "$QWEN_THINKING_SHA"
    ;;
  esac
done
if [ $status -ne 0 ]; then
  echo "download_traces: some traces are missing; kvsim's synthetic presets" \
    "(azure-conv, mooncake-conv) stand in for them" >&2
fi
exit $status
