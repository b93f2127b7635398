#!/bin/sh
# vllm_import.sh KVSIM SOURCE_DIR - scripts/import_vllm_runs.py and
# experiments/vllm_validation.lua on runs of models the committed fixture does
# not have: a data repository laid out as inference-sim/training is built in a
# temporary folder (three models kvsim has no preset for, given only by their
# config.json, Llama-4-Scout's nested under text_config; one run with FP8
# weights, one without vLLM's batch settings, one with an engine setting kvsim
# does not model, one with the general-lite profile, one at TP 4, one in the
# short keys of inference-sim's data-collection schema), imported from git and
# as a plain folder, and validated. Then the importer's errors: a model without
# a config.json, a data type kvsim cannot replay, a bad setting, two TP
# degrees. Then an evaluation set's layout (experiments.json naming run
# folders by id, with the GPU, data-parallel replicas, KV offload, precision;
# inference-perf-data/; per-request records replayed as sent; kvsim's own
# model configs; a model with latent attention, whose KV block size follows
# the GPU) and its errors.
set -eu
KVSIM=$1
SRC=$2
command -v python3 >/dev/null || { echo "vllm_import: python3 is missing (scripts/setup.sh installs it)"; exit 1; }
command -v git >/dev/null || { echo "vllm_import: git is missing (scripts/setup.sh installs it)"; exit 1; }
python3 -c "import yaml" 2>/dev/null || { echo "vllm_import: python3-yaml is missing (scripts/setup.sh installs it)"; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
R=$T/repo
mkdir -p "$R/model_configs/Llama-3.1-8B-Instruct" "$R/model_configs/Qwen3-14B" \
  "$R/model_configs/Llama-4-Scout-17B-16E-Instruct"
# a mixture of experts nested under text_config (Llama-4)
cp "$SRC/tests/data/hf_llama4_scout.json" "$R/model_configs/Llama-4-Scout-17B-16E-Instruct/config.json"

cat > "$R/model_configs/Llama-3.1-8B-Instruct/config.json" <<'EOF'
{"architectures": ["LlamaForCausalLM"], "attention_bias": false, "hidden_size": 4096,
 "intermediate_size": 14336, "max_position_embeddings": 131072, "model_type": "llama",
 "num_attention_heads": 32, "num_hidden_layers": 32, "num_key_value_heads": 8,
 "rope_scaling": {"factor": 8.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
 "original_max_position_embeddings": 8192, "rope_type": "llama3"}, "rope_theta": 500000.0,
 "tie_word_embeddings": false, "torch_dtype": "bfloat16", "vocab_size": 128256}
EOF
cat > "$R/model_configs/Qwen3-14B/config.json" <<'EOF'
{"architectures": ["Qwen3ForCausalLM"], "attention_bias": false, "head_dim": 128,
 "hidden_size": 5120, "intermediate_size": 17408, "max_position_embeddings": 40960,
 "max_window_layers": 40, "model_type": "qwen3", "num_attention_heads": 40,
 "num_hidden_layers": 40, "num_key_value_heads": 8, "sliding_window": null,
 "tie_word_embeddings": false, "torch_dtype": "bfloat16", "use_sliding_window": false,
 "vocab_size": 151936}
EOF

# run FOLDER MODEL EXTRA_EXP_CONFIG DATA_TYPE [TP]: one run folder with
# made-up measurements (inference-perf's lifecycle-metrics layout)
run() {
  d=$R/default_args/$1
  mkdir -p "$d/results"
  printf 'model: %s\ntensor_parallelism: %s\n%s' "$2" "${5:-1}" "$3" > "$d/exp-config.yaml"
  printf '{"api":{"streaming":true,"type":"completion"},"data":{"shared_prefix":{"num_unique_system_prompts":2,"output_len":40,"question_len":200,"system_prompt_len":60},"type":"shared_prefix"},"load":{"stages":[{"duration":20,"rate":2},{"duration":20,"rate":4}],"type":"constant"},"server":{"ignore_eos":true}}\n' > "$d/profile.yaml"
  cat > "$d/results/config.yaml" <<EOF
data:
  type: $4
  shared_prefix:
    num_groups: 2
    num_prompts_per_group: 5
    system_prompt_len: 60
    question_len: 200
    output_len: 40
load:
  type: constant
  stages:
  - rate: 2.0
    duration: 20
  - rate: 4.0
    duration: 20
EOF
  python3 - "$d/results" <<'EOF'
import json, sys
def dist(m):
    return {"mean": m, "min": m * 0.5, "median": m, "p90": m * 1.2, "p99": m * 1.5, "max": m * 2}
def block(n, rate):
    return {"load_summary": {"count": n, "requested_rate": rate, "achieved_rate": rate, "send_duration": 20.0},
            "successes": {"count": n, "latency": {"time_to_first_token": dist(0.03), "time_per_output_token": dist(0.004),
                          "inter_token_latency": dist(0.004), "request_latency": dist(0.35)},
                          "throughput": {"requests_per_sec": rate, "output_tokens_per_sec": rate * 40},
                          "prompt_len": dist(270), "output_len": dist(38)},
            "failures": {"count": 0}}
for name, n, rate in (("stage_0", 40, 2.0), ("stage_1", 80, 4.0), ("summary", 120, 3.0)):
    json.dump(block(n, rate), open("%s/%s_lifecycle_metrics.json" % (sys.argv[1], name), "w"))
EOF
}
run 20260301-000000-llama-3-1-8b-tp1-general-lite meta-llama/Llama-3.1-8B-Instruct \
  'max_model_len: 4096
max_num_batched_tokens: 2048
max_num_seqs: 64
enable_chunked_prefill: true
' shared_prefix
run 20260301-000100-qwen3-14b-tp1-codegen Qwen/Qwen3-14B '' shared_prefix
run 20260301-000200-qwen3-14b-fp8-tp1-codegen Qwen/Qwen3-14B 'quantization: fp8
' shared_prefix
run 20260301-000250-llama-4-scout-tp4-roleplay meta-llama/Llama-4-Scout-17B-16E-Instruct 'max_model_len: 8192
' shared_prefix 4
# the keys of inference-sim's data-collection schema (tp, ep, bpw,
# kv_dtype_bytes, cpu_offload, eta_quant, pcie_bandwidth_gbps)
run 20260301-000260-llama-3-1-8b-tp2-ep2-fp8-codegen meta-llama/Llama-3.1-8B-Instruct 'tp: 2
ep: 2
bpw: 1.0
kv_dtype_bytes: 1
cpu_offload: false
kv_offloading_size: 4
kv_offloading_backend: native
eta_quant: 0.9
pcie_bandwidth_gbps: 64
max_model_len: 4096
' shared_prefix 2
# a newer inference-perf's resolved shared_prefix: a question length
# distribution (drawn per prompt), multi-turn sessions (named as not
# modelled), an output length distribution of zero spread (nothing to draw)
sed -i 's/^    output_len: 40$/    output_len: 40\n    question_len_std: 20\n    question_len_min: 150\n    question_len_max: 260\n    output_len_std: 0\n    output_len_min: 30\n    enable_multi_turn_chat: true/' \
  "$R/default_args/20260301-000100-qwen3-14b-tp1-codegen/results/config.yaml"
# a later inference-perf's metrics: prompt_tokens for prompt_len, no
# output_len
python3 - "$R/default_args/20260301-000250-llama-4-scout-tp4-roleplay/results" <<'EOF'
import glob, json, sys
for path in glob.glob(sys.argv[1] + "/*_lifecycle_metrics.json"):
    m = json.load(open(path))
    s = m["successes"]
    s["prompt_tokens"] = dict(s.pop("prompt_len"), total=270.0 * s["count"], cached=0.0)
    del s["output_len"]
    json.dump(m, open(path, "w"))
EOF
git -C "$R" init -q
git -C "$R" add -A
git -C "$R" -c user.name=kvsim -c user.email=kvsim@localhost commit -q -m runs

cd "$SRC"
python3 scripts/import_vllm_runs.py --repo "$R" --upstream https://example.org/runs --out "$T/runs.json" > "$T/import.out"
grep -q "5 runs, 3 models" "$T/import.out" || { cat "$T/import.out"; echo "vllm_import: import count"; exit 1; }
python3 - "$T/runs.json" <<'EOF'
import json, sys
f = json.load(open(sys.argv[1]))
runs = {r["id"]: r for r in f["runs"]}
lite = runs["20260301-000000-llama-3-1-8b-tp1-general-lite"]
assert lite["profile"] == "general-lite", lite["profile"]
assert lite["engine"]["not_modelled"] == {"enable_chunked_prefill": True}, lite["engine"]
q = runs["20260301-000100-qwen3-14b-tp1-codegen"]["engine"]
assert q["defaults"]["max_num_seqs"]["value"] == 1024 and q["defaults"]["max_num_batched_tokens"]["value"] == 8192, q
assert q["defaults"]["max_model_len"]["value"] == 40960, q
assert runs["20260301-000200-qwen3-14b-fp8-tp1-codegen"]["engine"]["quantization"] == "fp8"
assert f["models"]["Qwen3-14B"]["hf_config"]["num_hidden_layers"] == 40
assert f["source"]["repository"] == "https://example.org/runs"
scout = runs["20260301-000250-llama-4-scout-tp4-roleplay"]["engine"]
assert scout["tensor_parallel_size"] == 4 and scout["max_model_len"] == 8192, scout
sm = runs["20260301-000250-llama-4-scout-tp4-roleplay"]["measured"]["summary"]
assert sm["prompt_len"]["mean"] == 270 and sm["output_len_retokenized"] is None, sm
sch = runs["20260301-000260-llama-3-1-8b-tp2-ep2-fp8-codegen"]["engine"]
assert sch["tensor_parallel_size"] == 2 and sch["quantization"] == "fp8" and sch["kv_cache_dtype"] == "fp8", sch
assert sch["not_modelled"] == {"ep": 2}, sch
assert sch["kv_offloading_size"] == 4 and "kv_offloading_size" not in sch["defaults"], sch
# no load.request_timeout: inference-perf's client keeps aiohttp's 300 s
qw = runs["20260301-000100-qwen3-14b-tp1-codegen"]["workload"]
assert qw["not_modelled"] == {"data.shared_prefix.enable_multi_turn_chat": True}, qw
assert qw["question_len_dist"] == {"std": 20, "min": 150, "max": 260} and "output_len_dist" not in qw, qw
assert "not_modelled" not in runs["20260301-000200-qwen3-14b-fp8-tp1-codegen"]["workload"]
ct = runs["20260301-000100-qwen3-14b-tp1-codegen"]["workload"]["client_timeout"]
assert ct["value"] == 300.0 and "not given" in ct["source"], ct
EOF

# a plain folder of the same layout (no git) imports the same runs
cp -r "$R" "$T/plain" && rm -rf "$T/plain/.git"
python3 scripts/import_vllm_runs.py --repo "$T/plain" --out "$T/plain.json" > /dev/null
python3 - "$T/runs.json" "$T/plain.json" <<'EOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
assert a["runs"] == b["runs"] and a["models"] == b["models"], "plain folder import differs"
assert b["source"]["commit"] == "(a plain folder)", b["source"]
EOF

"$KVSIM" experiments/vllm_validation.lua --data "$T/runs.json" --backend ideal --keep-traces "$T/traces" \
  --out "$T/v" > "$T/v.out" 2> "$T/v.err"
# a profile of one's own: --fit on other data asks for the subset, then fits
# on the one named and reports the other runs as held out
if "$KVSIM" experiments/vllm_validation.lua --data "$T/runs.json" --backend ideal --fit \
    --overheads "$T/mine.json" > "$T/fit0.out" 2>&1; then
  echo "vllm_import: --fit on other data ran without a subset"; exit 1
fi
grep -q "name the runs to fit on with --fit-runs" "$T/fit0.out" \
  || { echo "vllm_import: --fit on other data does not ask for --fit-runs"; cat "$T/fit0.out"; exit 1; }
"$KVSIM" experiments/vllm_validation.lua --data "$T/runs.json" --backend ideal --fit --fit-runs qwen3 \
  --fit-why "the Qwen run" --fit-to ttft_mean --fit-terms request --fit-base experiments/data/vllm/overheads.json \
  --overheads "$T/mine.json" > "$T/fit1.out" 2>&1 \
  || { echo "vllm_import: --fit --fit-runs failed"; cat "$T/fit1.out"; exit 1; }
"$KVSIM" experiments/vllm_validation.lua --data "$T/runs.json" --backend ideal --overheads "$T/mine.json" \
  --out "$T/vmine" > /dev/null 2>&1 || { echo "vllm_import: the validation with one's own profile failed"; exit 1; }
grep -q "^20260301-000100-qwen3-14b-tp1-codegen,.*,fit,all,ttft_mean," "$T/vmine/report.csv" \
  && grep -q "^20260301-000000-llama-3-1-8b-tp1-general-lite,.*,held-out,all,ttft_mean," "$T/vmine/report.csv" \
  || { echo "vllm_import: one's own profile does not split the runs into fitted and held out"; exit 1; }
grep -q "not modelled in 20260301-000000-llama-3-1-8b-tp1-general-lite (kvsim runs as if unset): enable_chunked_prefill = true" "$T/v/report.txt" \
  || { echo "vllm_import: the setting kvsim does not model is not reported"; exit 1; }
grep -q "not modelled in 20260301-000100-qwen3-14b-tp1-codegen (kvsim runs as if unset): data.shared_prefix.enable_multi_turn_chat = true\$" "$T/v/report.txt" \
  || { echo "vllm_import: the load generator's settings kvsim does not model are not reported"; exit 1; }
grep -q "warning: 20260301-000000-llama-3-1-8b-tp1-general-lite: not modelled" "$T/v.err" \
  || { echo "vllm_import: no warning on stderr"; exit 1; }
# the drawn question lengths: prompts of several lengths, each within the
# system prompt + [min, max] scaled as the server tokenized them (the made-up
# prompt_len mean 270 over 60 + 200), the same for a prompt in every stage;
# the run without a distribution sends one length
python3 - "$T/traces" <<'EOF'
import json, sys
def lens(name):
    by = {}
    for line in open("%s/%s" % (sys.argv[1], name)):
        r = json.loads(line)
        by.setdefault(tuple(r["hash_ids"][-1:]), set()).add(r["input_length"])
    return by
q0 = lens("20260301-000100-qwen3-14b-tp1-codegen-1.jsonl")
q1 = lens("20260301-000100-qwen3-14b-tp1-codegen-2.jsonl")
n = sorted(x for s in q0.values() for x in s)
assert len(set(n)) > 3 and all(len(s) == 1 for s in q0.values()), n
assert round((60 + 150) * 270 / 260) <= n[0] and n[-1] <= round((60 + 260) * 270 / 260), (n[0], n[-1])
assert all(q1[k] == q0[k] for k in q0 if k in q1), "a prompt changed length between stages"
f8 = lens("20260301-000200-qwen3-14b-fp8-tp1-codegen-1.jsonl")
assert len(set(x for s in f8.values() for x in s)) == 1
EOF
# FP8 weights free memory for the KV cache: same model and load, more KV
kv_of() { sed -n "/^== $1:/,/^\$/p" "$T/v/report.txt" | sed -n 's/.*kvsim s0:.*KV \([0-9.]*\) GiB per GPU.*/\1/p' | head -1; }
bf=$(kv_of 20260301-000100-qwen3-14b-tp1-codegen)
f8=$(kv_of 20260301-000200-qwen3-14b-fp8-tp1-codegen)
[ -n "$bf" ] && [ -n "$f8" ] || { echo "vllm_import: no KV size in the report"; exit 1; }
awk -v a="$bf" -v b="$f8" 'BEGIN { exit !(b > a + 10) }' \
  || { echo "vllm_import: FP8 weights should leave more KV memory than bf16 ($f8 vs $bf GiB)"; exit 1; }
# the MoE nested under text_config ran as one (16 experts, top 1)
grep -q "^== 20260301-000250-llama-4-scout-tp4-roleplay: .* tp 4, .*; MoE" "$T/v/report.txt" \
  || { echo "vllm_import: Llama-4-Scout did not run as a TP 4 MoE"; exit 1; }
# CPU KV offloading as exp-config.yaml sizes it, over the run's two GPUs
grep -q "^CPU KV offloading: 4 GiB over 2 GPU(s), a host copy of the prefix cache" "$T/v/report.txt" \
  || { echo "vllm_import: the CPU KV offloading of exp-config.yaml is not said"; exit 1; }
echo "vllm_import: 5 runs imported and validated; KV per GPU bf16 $bf GiB, fp8 weights $f8 GiB"

# an evaluation set (inference-sim's sim-to-real layout): experiments.json
# names each run folder <id>-<slug> by id and says what the folder does
# not: the GPU (hw), data-parallel replicas (dp), KV offload to the host,
# gpu_mem, precision. One folder keeps its measurements in
# inference-perf-data/ without a resolved config.yaml; the other has a vLLM
# log with the KV cache it sized; a third entry has no folder.
E=$T/eval
mkdir -p "$E"
src=$R/default_args/20260301-000000-llama-3-1-8b-tp1-general-lite
cp -r "$src" "$E/7-qwen3-14b-tp1-codegen"
printf 'model: Qwen/Qwen3-14B\ntensor_parallelism: 1\nmax_model_len: 4096\n' \
  > "$E/7-qwen3-14b-tp1-codegen/exp-config.yaml"
mv "$E/7-qwen3-14b-tp1-codegen/results" "$E/7-qwen3-14b-tp1-codegen/inference-perf-data"
rm "$E/7-qwen3-14b-tp1-codegen/inference-perf-data/config.yaml"
cp -r "$src" "$E/12-llama-3-1-8b-tp2-general"
printf 'model: meta-llama/Llama-3.1-8B-Instruct\ntensor_parallelism: 2\nmax_model_len: 4096\nmax_num_batched_tokens: 2048\nmax_num_seqs: 64\n' \
  > "$E/12-llama-3-1-8b-tp2-general/exp-config.yaml"
printf 'INFO 02-17 10:00:01 [kv_cache_utils.py:1087] GPU KV cache size: 301,456 tokens\n' \
  > "$E/12-llama-3-1-8b-tp2-general/vllm.log"
# a second folder of the same id: the first by name is taken, and said
cp -r "$E/12-llama-3-1-8b-tp2-general" "$E/12-llama-3-1-8b-tp2-general-lite-2"
# a model the data brings no config of, named as an FP8 checkpoint of one
# kvsim keeps (experiments/data/models/)
cp -r "$src" "$E/14-llama-4-scout-fp8-tp4-roleplay"
printf 'model: RedHatAI/Llama-4-Scout-17B-16E-Instruct-FP8-dynamic\ntensor_parallelism: 4\nmax_model_len: 8192\n' \
  > "$E/14-llama-4-scout-fp8-tp4-roleplay/exp-config.yaml"
# multi-head latent attention (DeepSeek-V2-Lite, kvsim's own config): vLLM
# runs FlashMLA on an H100, with KV blocks of 64 tokens; an A100 has no
# FlashMLA and keeps the default 16
for id in 15 16; do
  cp -r "$src" "$E/$id-deepseek-v2-lite-tp1-codegen"
  printf 'model: deepseek-ai/DeepSeek-V2-Lite\ntensor_parallelism: 1\nmax_model_len: 4096\n' \
    > "$E/$id-deepseek-v2-lite-tp1-codegen/exp-config.yaml"
done
# the requests one by one (per_request_lifecycle_metrics.json): replayed as
# sent, prompts and their groups told apart by their texts
python3 - "$E/7-qwen3-14b-tp1-codegen/inference-perf-data" <<'PY'
import json, random, sys
rng = random.Random(7)
sysp = ["".join(rng.choice("abcdefgh ") for _ in range(240)) for g in range(2)]
texts = [sysp[p // 5] + "".join(rng.choice("ijklmnop ") for _ in range(800)) for p in range(10)]
reqs, t = [], 1000.0
for stage, (n, gap) in enumerate(((40, 0.5), (80, 0.25))):
    t += 30.0 * stage
    for i in range(n):
        t += gap * (0.5 + rng.random())
        p = (len(reqs) * 3) % 10
        info = {"input_tokens": 268 + p % 3, "output_tokens": 38,
                "output_token_times": [t + 0.03 + 0.01 * (i % 3), t + 0.04]}
        if i % 2:  # later inference-perf: the response's figures under response_metrics
            info = {"input_tokens": info["input_tokens"],
                    "request_metrics": {"text": {"input_tokens": info["input_tokens"]}},
                    "response_metrics": {"output_tokens": 38,
                                         "output_token_times": info["output_token_times"]}}
        reqs.append({"start_time": t, "end_time": t + 0.4, "request": texts[p], "response": "x",
                     "info": info, "error": {"message": "timeout"} if len(reqs) == 17 else None})
rng.shuffle(reqs)  # the file's order is not the send order
json.dump(reqs, open(sys.argv[1] + "/per_request_lifecycle_metrics.json", "w"))
PY
cat > "$E/experiments.json" <<'JSON'
[{"id": 14, "model": "RedHatAI/Llama-4-Scout-17B-16E-Instruct-FP8-dynamic", "hw": "H100", "dp": 1,
  "cpu_offload": false, "gpu_mem": 0.9, "precision": "FP8", "safe": "unsafe", "workload": "roleplay"},
 {"id": 7, "model": "Qwen/Qwen3-14B", "hw": "L40S", "dp": null, "cpu_offload": true, "gpu_mem": 0.95,
  "precision": "FP16", "safe": "safe", "workload": "codegen"},
 {"id": 12, "model": "meta-llama/Llama-3.1-8B-Instruct", "hw": "A100-80GB", "dp": 2, "cpu_offload": false,
  "gpu_mem": 0.9, "precision": "FP8", "safe": "safe", "workload": "general"},
 {"id": 15, "model": "deepseek-ai/DeepSeek-V2-Lite", "hw": "H100", "dp": 1, "cpu_offload": false,
  "gpu_mem": 0.9, "precision": "FP16", "safe": "safe", "workload": "codegen"},
 {"id": 16, "model": "deepseek-ai/DeepSeek-V2-Lite", "hw": "A100-80GB", "dp": 1, "cpu_offload": false,
  "gpu_mem": 0.9, "precision": "FP16", "safe": "safe", "workload": "codegen"},
 {"id": 13, "model": "meta-llama/Llama-3.1-8B-Instruct", "hw": "H100", "dp": 1, "cpu_offload": false,
  "gpu_mem": 0.9, "precision": "FP16", "safe": "unsafe", "workload": "reasoning"},
 {"id": 7, "model": "Qwen/Qwen3-14B", "hw": "L40S", "dp": null, "cpu_offload": false, "gpu_mem": 0.9,
  "precision": "FP16", "safe": "safe", "workload": "codegen", "done": false}]
JSON
# Qwen3-14B's config given on the command line; Llama-3.1-8B-Instruct's and
# Llama-4-Scout's are kvsim's own
MC="--model-config Qwen3-14B=$R/model_configs/Qwen3-14B/config.json"
# shellcheck disable=SC2086
python3 scripts/import_vllm_runs.py --repo "$E" --folder . $MC --out "$T/eval.json" > "$T/eval.out" 2> "$T/eval.err"
grep -q "5 runs, 4 models" "$T/eval.out" || { cat "$T/eval.out" "$T/eval.err"; echo "vllm_import: evaluation set count"; exit 1; }
grep -q "experiment 13 has no folder 13-" "$T/eval.err" || { echo "vllm_import: no warning for the entry without a folder"; exit 1; }
grep -q "experiment 12 has 2 folders (12-llama-3-1-8b-tp2-general, 12-llama-3-1-8b-tp2-general-lite-2): using 12-llama-3-1-8b-tp2-general$" "$T/eval.err" \
  || { cat "$T/eval.err"; echo "vllm_import: no warning for two folders of one id"; exit 1; }
# an entry marked not done is passed over, even where a folder has its id
grep -q "experiment 7 is marked not done (skipped)" "$T/eval.err" \
  || { echo "vllm_import: no warning for the entry marked not done"; exit 1; }
python3 - "$T/eval.json" <<'PY'
import json, sys
f = json.load(open(sys.argv[1]))
runs = {r["id"]: r for r in f["runs"]}
q, l = runs["7-qwen3-14b-tp1-codegen"], runs["12-llama-3-1-8b-tp2-general"]
assert q["hardware"]["gpu"] == "L40S 48GB" and q["profile"] == "codegen", q["hardware"]
# cpu_offload: true without a size: the size inference-sim's design states, said as assumed
assert q["engine"]["gpu_memory_utilization"] == 0.95 and "not_modelled" not in q["engine"], q["engine"]
off = q["engine"]["defaults"]["kv_offloading_size"]
assert off["value"] == 8.0 and "sim-to-real" in off["source"], off
# vLLM's batch defaults on a GPU of less than 70 GiB (the run gives max_model_len only)
assert q["engine"]["defaults"]["max_num_batched_tokens"]["value"] == 2048, q["engine"]["defaults"]
assert q["engine"]["defaults"]["max_num_seqs"]["value"] == 256, q["engine"]["defaults"]
assert "inference-perf-data/summary_lifecycle_metrics.json" in q["measured"]["summary"]["source"], q["measured"]["summary"]
assert "profile.yaml" in q["workload"]["source"], q["workload"]["source"]
assert l["engine"]["data_parallel_size"] == 2 and l["engine"]["quantization"] == "fp8", l["engine"]
assert l["engine"]["kv_cache_tokens_measured"]["tokens"] == 301456, l["engine"]
assert l["hardware"]["gpu"] == "A100 SXM 80GB" and l["manifest"]["safe"] == "safe", l
assert f["models"]["Llama-3.1-8B-Instruct"]["config"] == "kvsim's experiments/data/models/Llama-3.1-8B-Instruct.json"
sc = runs["14-llama-4-scout-fp8-tp4-roleplay"]
assert "FP8" in f["models"]["Llama-4-Scout-17B-16E-Instruct-FP8-dynamic"]["config"], f["models"]
assert sc["engine"]["quantization"] == "fp8" and "from_model_name" in sc["engine"], sc["engine"]
mla_h, mla_a = runs["15-deepseek-v2-lite-tp1-codegen"]["engine"], runs["16-deepseek-v2-lite-tp1-codegen"]["engine"]
assert mla_h["block_size"] == 64 and "FlashMLA" in mla_h["from_backend"]["block_size"], mla_h
assert "block_size" not in mla_a and mla_a["defaults"]["block_size"]["value"] == 16, mla_a
assert "block_size" not in runs["7-qwen3-14b-tp1-codegen"]["engine"]
rq = q["workload"]["requests"]
# prompts numbered as first sent (3 x i mod 10: 0, 3, 6, 9, 2, 5, 8, 1, 4, 7), group p // 5
assert rq["prompts"] == 10 and rq["groups"] == [0, 0, 1, 1, 0, 1, 1, 0, 0, 1], rq["groups"]
assert [len(x["t"]) for x in rq["stages"]] == [40, 80] and rq["stages"][0]["failed"] == [17], rq["stages"][0]["failed"]
assert rq["stages"][1]["t"][0] == 0 and all(b > a for a, b in zip(rq["stages"][1]["t"], rq["stages"][1]["t"][1:]))
assert rq["stages"][0]["prompt"][:4] == [0, 1, 2, 3] and rq["stages"][0]["input_tokens"][:5] == [268, 268, 268, 268, 270]
# both record layouts (info's own fields, info.response_metrics) read alike
assert all(set(x["output_tokens"]) == {38} for x in rq["stages"]), [set(x["output_tokens"]) for x in rq["stages"]]
assert sum(v > 0 for x in rq["stages"] for v in x["ttft"]) == 119, [x["ttft"][:4] for x in rq["stages"]]
PY
"$KVSIM" experiments/vllm_validation.lua --data "$T/eval.json" --backend ideal --no-overheads --out "$T/ev" \
  --keep-traces "$T/evtr" > "$T/ev.out" 2>&1 \
  || { cat "$T/ev.out"; echo "vllm_validation: the evaluation set did not run"; exit 1; }
grep -q "^== 7-qwen3-14b-tp1-codegen: .*; on L40S (l40s-48gb)" "$T/ev/report.txt" \
  || { echo "vllm_import: the L40S run is not on the L40S preset"; exit 1; }
grep -q "^== 12-llama-3-1-8b-tp2-general: .* tp 2 x dp 2, .*; on A100-80GB (a100-sxm-80gb)" "$T/ev/report.txt" \
  || { echo "vllm_import: the data-parallel A100 run is not reported as such"; exit 1; }
# a run its manifest marks unsafe counts as saturated (out of the medians)
grep -q "^== 14-llama-4-scout-fp8-tp4-roleplay: .*; SATURATED in the measurement" "$T/ev/report.txt" \
  || { echo "vllm_import: the unsafe run is not kept out as saturated"; exit 1; }
grep -q "^CPU KV offloading: 8 GiB over 1 GPU(s), .*cpu_offload: true gives no size" "$T/ev/report.txt" \
  || { echo "vllm_import: the assumed KV offload to the host is not said"; exit 1; }
! grep -q "not modelled in 7-qwen3-14b-tp1-codegen .*cpu_offload" "$T/ev/report.txt" \
  || { echo "vllm_import: KV offload to the host still named as not modelled"; exit 1; }
! grep -q "FAILED" "$T/ev/report.txt" || { echo "vllm_import: a simulation failed"; exit 1; }
[ "$(grep -c "^KV blocks of 64 tokens: MLA (config.json kv_lora_rank) on H100 SXM 80GB" "$T/ev/report.txt")" = 1 ] \
  || { echo "vllm_import: the MLA run's block size is not said once"; exit 1; }
# the KV cache as the server's log sized it: 301,456 tokens of Llama-3.1-8B
# (128 KiB each) over the 8 KV heads split on TP 2 = 18.4 GiB per GPU
grep "^  kvsim s0:" "$T/ev/report.txt" | grep -q "KV 18.4 GiB per GPU" \
  || { grep "^  kvsim s0:" "$T/ev/report.txt"; echo "vllm_import: the logged KV cache size is not used"; exit 1; }
# each replayed request against its own measurement (the failed one has none)
grep -q "^7-qwen3-14b-tp1-codegen: s0: 39 requests, TTFT .*; s1: 80 requests, TTFT .*; each request: requests_7-qwen3-14b-tp1-codegen.csv" "$T/ev/report.txt" \
  || { grep -A3 "^== per request" "$T/ev/report.txt"; echo "vllm_import: no per-request comparison"; exit 1; }
python3 - "$T/ev/requests_7-qwen3-14b-tp1-codegen.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) == 120 and rows[17]["ttft_measured"] == "" and float(rows[0]["ttft_measured"]) == 0.03, rows[0]
assert all(float(r["ttft_predicted"]) > 0 for r in rows), "a request without a prediction"
PY
grep -q "^arrivals: 1 of 5 runs replay the requests as the load generator sent them" "$T/ev/report.txt" \
  || { echo "vllm_import: the replayed run is not reported"; exit 1; }
# the replay: each request at its send time (the later stage after its
# warm-up), with its own prompt length; a group's prompts share their
# system prompt's whole blocks, and the prompt's own blocks are its own
python3 - "$T/eval.json" "$T/evtr" <<'PY'
import json, sys
f = json.load(open(sys.argv[1]))
rq = [r for r in f["runs"] if r["id"] == "7-qwen3-14b-tp1-codegen"][0]["workload"]["requests"]
for k, st in enumerate(rq["stages"]):
    lines = [json.loads(x) for x in open("%s/7-qwen3-14b-tp1-codegen-%d.jsonl" % (sys.argv[2], k + 1))]
    warm = lines[:-len(st["t"])]
    assert len(warm) == (10 if k else 0), len(warm)
    shift = (lines[len(warm)]["timestamp"] / 1000.0 - st["t"][0]) if k else 0.0
    for i, x in enumerate(lines[len(warm):]):
        assert abs(x["timestamp"] / 1000.0 - shift - st["t"][i]) < 1e-3 and x["input_length"] == st["input_tokens"][i], (i, x)
    by = {}
    for i, x in enumerate(lines[len(warm):]):
        by.setdefault(st["prompt"][i], x["hash_ids"])
    sysb = 60 // 16
    for a in by:
        for b in by:
            same = rq["groups"][a] == rq["groups"][b]
            assert (by[a][:sysb] == by[b][:sysb]) == same and (a == b or by[a][sysb:] != by[b][sysb:]), (a, b)
PY
python3 - "$T/ev/summary.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
runs = {r["id"]: r for r in s["runs"]}
assert runs["12-llama-3-1-8b-tp2-general"]["dp"] == 2 and runs["7-qwen3-14b-tp1-codegen"]["platform"] == "l40s-48gb", runs
# every request of the two replicas is counted
lv = runs["12-llama-3-1-8b-tp2-general"]["levels"]["all"]["predicted"]["sim"]
assert lv["completed"] == 120, lv
PY
# per-request records that do not add up to the stages' counts
P=$E/7-qwen3-14b-tp1-codegen/inference-perf-data/per_request_lifecycle_metrics.json
cp "$P" "$T/pr.json"
python3 -c "import json,sys; r=json.load(open(sys.argv[1])); r.append(dict(r[0])); json.dump(r, open(sys.argv[1], 'w'))" "$P"
# shellcheck disable=SC2086
if python3 scripts/import_vllm_runs.py --repo "$E" --folder . $MC --out "$T/eval4.json" > "$T/pr.out" 2>&1; then
  echo "vllm_import: a per-request file of 121 requests for 120 imported"; exit 1
fi
grep -q "per_request_lifecycle_metrics.json: 121 requests, but the stage files count 40 + 80 (120)" "$T/pr.out" \
  || { cat "$T/pr.out"; echo "vllm_import: the per-request count's error"; exit 1; }
cp "$T/pr.json" "$P"
# a GPU kvsim has no preset for: the error names the run and --platform
sed 's/"hw": "L40S"/"hw": "MI300X"/' "$E/experiments.json" > "$T/mi.json" && cp "$T/mi.json" "$E/experiments.json"
# shellcheck disable=SC2086
python3 scripts/import_vllm_runs.py --repo "$E" --folder . $MC --out "$T/eval2.json" > /dev/null 2>&1
if "$KVSIM" experiments/vllm_validation.lua --data "$T/eval2.json" --backend ideal --quick --out "$T/ev2" > "$T/ev2.out" 2>&1; then
  echo "vllm_import: a run on an unknown GPU ran"; exit 1
fi
grep -q "run 7-qwen3-14b-tp1-codegen ran on 'MI300X'.*give --platform" "$T/ev2.out" \
  || { cat "$T/ev2.out"; echo "vllm_import: the unknown GPU's error"; exit 1; }
# a manifest that contradicts exp-config.yaml is an error naming both
sed 's/"gpu_mem": 0.95/"gpu_mem": 0.8/' "$E/experiments.json" > "$T/gm.json" && cp "$T/gm.json" "$E/experiments.json"
printf 'gpu_memory_utilization: 0.95\n' >> "$E/7-qwen3-14b-tp1-codegen/exp-config.yaml"
# shellcheck disable=SC2086
if python3 scripts/import_vllm_runs.py --repo "$E" --folder . $MC --out "$T/eval3.json" > "$T/gm.out" 2>&1; then
  echo "vllm_import: a contradicting manifest imported"; exit 1
fi
grep -q "experiments.json (id 7, 7-qwen3-14b-tp1-codegen): says gpu_memory_utilization 0.8 but 7-qwen3-14b-tp1-codegen/exp-config.yaml says 0.95" "$T/gm.out" \
  || { cat "$T/gm.out"; echo "vllm_import: the contradiction's error"; exit 1; }
[ ! -e "$T/eval3.json" ] || { echo "vllm_import: the failed import left a fixture"; exit 1; }
echo "vllm_import: an evaluation set (manifest, hardware, dp, offload, legacy folders, kvsim's model configs) imported and validated"

# errors: each names the file at fault, exits non-zero, writes no fixture
expect_fail() {
  rm -f "$T/bad.json"
  if python3 scripts/import_vllm_runs.py --repo "$R" --out "$T/bad.json" > "$T/err" 2>&1; then
    echo "vllm_import: import of $1 succeeded"; exit 1
  fi
  grep -q "$2" "$T/err" || { echo "vllm_import: $1: expected '$2' in:"; cat "$T/err"; exit 1; }
  [ ! -e "$T/bad.json" ] || { echo "vllm_import: $1 left a fixture behind"; exit 1; }
}
commit() { git -C "$R" add -A && git -C "$R" -c user.name=kvsim -c user.email=kvsim@localhost commit -q -m "$1"; }
run 20260301-000300-mistral-7b-tp1-general mistralai/Mistral-7B-v0.3 '' shared_prefix
commit "no config"
expect_fail "a model without config.json" "mistral-7b-tp1-general/exp-config.yaml: model mistralai/Mistral-7B-v0.3: the repository has no model_configs/Mistral-7B-v0.3/config.json"
# --model-config supplies it
cp "$R/model_configs/Llama-3.1-8B-Instruct/config.json" "$T/mistral.json"
python3 scripts/import_vllm_runs.py --repo "$R" --model-config "Mistral-7B-v0.3=$T/mistral.json" --out "$T/ok.json" > /dev/null
rm -rf "$R/default_args/20260301-000300-mistral-7b-tp1-general"
run 20260301-000400-llama-3-1-8b-tp1-random meta-llama/Llama-3.1-8B-Instruct '' random
commit "random data"
expect_fail "random data" "llama-3-1-8b-tp1-random/results/config.yaml: 'data.type' is 'random'"
grep -q "(--keep-going leaves such a run out)" "$T/err" || { echo "vllm_import: the error does not name --keep-going"; exit 1; }
# --keep-going leaves the run out, names it and lists it in the fixture
python3 scripts/import_vllm_runs.py --repo "$R" --keep-going --out "$T/kg.json" > "$T/kg.out" 2> "$T/kg.err"
grep -q "warning: 20260301-000400-llama-3-1-8b-tp1-random left out: .*'data.type' is 'random'" "$T/kg.err" \
  || { cat "$T/kg.err"; echo "vllm_import: --keep-going does not name the run left out"; exit 1; }
python3 -c "import json,sys; f=json.load(open(sys.argv[1])); assert len(f['runs']) == 5 and f['skipped'][0]['run'].endswith('-random'), f.get('skipped')" "$T/kg.json"
rm -rf "$R/default_args/20260301-000400-llama-3-1-8b-tp1-random"
run 20260301-000500-llama-3-1-8b-tp1-chat meta-llama/Llama-3.1-8B-Instruct 'max_num_seqs: lots
' shared_prefix
commit "bad setting"
expect_fail "a bad setting" "llama-3-1-8b-tp1-chat/exp-config.yaml: 'max_num_seqs' is 'lots'"
rm -rf "$R/default_args/20260301-000500-llama-3-1-8b-tp1-chat"
run 20260301-000600-llama-3-1-8b-tp1-tp2 meta-llama/Llama-3.1-8B-Instruct 'tp: 2
' shared_prefix
commit "two TP degrees"
expect_fail "two TP degrees" "llama-3-1-8b-tp1-tp2/exp-config.yaml: 'tp' is 2 (tensor_parallel_size 2) but 'tensor_parallelism' is 1"
echo "vllm_import: errors name the file and field"
