#!/usr/bin/env python3
"""import_vllm_runs.py - turn the public vLLM measurements of inference-sim/training
(folder default_args/), or runs laid out the same way, into the one fixture
experiments/vllm_validation.lua reads.

    python3 scripts/import_vllm_runs.py [--repo GIT_DIR] [--rev REV] [--folder DIR ...]
                                        [--model-config NAME=FILE ...] [--upstream URL]
                                        [--out experiments/data/vllm/runs.json]

GIT_DIR is a clone (bare or not) of https://github.com/inference-sim/training
or of a repository laid out like it; the files are read with `git show
REV:PATH`, so no work tree is needed. A folder that is not a repository of
its own is read as it is. For every run folder under each
--folder (default default_args) the fixture holds: its id and source folder,
the model (Hugging Face id) and its config.json (model_configs/NAME/ of the
same repository, or --model-config NAME=FILE), kept whole for kvsim's own
reader; the engine settings of exp-config.yaml (and vLLM's defaults for what
it leaves out, said as such; the short keys of inference-sim's
data-collection schema (tp, ep, bpw, kv_dtype_bytes, cpu_offload) read as the
vLLM settings they stand for; settings kvsim does not model under
not_modelled); the load stages and length settings of profile.yaml and of the
resolved results/config.yaml (per-prompt length distributions when a newer
inference-perf drew them, the client's timeout); and the measured lifecycle
metrics (TTFT, TPOT,
ITL, E2E, throughput, prompt and output lengths), per stage and over the run,
each block with the file it came from. The data repository's commit is
recorded. Errors name the file and field at fault and write nothing.
Main entry point: main().

Python 3 standard library and PyYAML (Debian: python3-yaml, which
scripts/setup.sh installs).
"""

import argparse
import json
import os
import re
import subprocess
import sys

try:
    import yaml  # python3-yaml
except ImportError:  # pragma: no cover - depends on the machine
    sys.exit("import_vllm_runs.py: needs PyYAML (Debian: apt-get install python3-yaml; "
             "scripts/setup.sh installs it)")

DEFAULT_REPO = "/work/.mirror/inference-sim+training/repo"
DEFAULT_OUT = "experiments/data/vllm/runs.json"
UPSTREAM = "https://github.com/inference-sim/training"

# What exp-config.yaml does not say, and vLLM's default for it (v0.15, the
# OpenAI API server on a GPU of 70 GiB or more other than an A100:
# EngineArgs.get_batch_defaults).
VLLM_DEFAULTS = {
    "tensor_parallel_size": (1, "not in exp-config.yaml: vLLM's default (--tensor-parallel-size 1)"),
    "max_num_batched_tokens": (8192, "not in exp-config.yaml: vLLM's default for the API server on a GPU of "
                                     "70 GiB or more, not an A100 (EngineArgs.get_batch_defaults)"),
    "max_num_seqs": (1024, "not in exp-config.yaml: vLLM's default for the API server on a GPU of 70 GiB or "
                           "more, not an A100 (EngineArgs.get_batch_defaults)"),
    "gpu_memory_utilization": (0.9, "not in exp-config.yaml: vLLM's default (--gpu-memory-utilization 0.9)"),
    "block_size": (16, "not in exp-config.yaml: vLLM's default KV block size on CUDA (--block-size 16)"),
    "enable_prefix_caching": (None, "not in exp-config.yaml and no vLLM log in the repository: vLLM's V1 engine "
                                    "enables automatic prefix caching by default; the run's own setting is not recorded"),
    "dtype": ("auto", "not in exp-config.yaml: vLLM's default --dtype auto (the config.json torch_dtype)"),
    "quantization": (None, "not in exp-config.yaml: weights as config.json says (its quantization_config, "
                           "else unquantized)"),
    "kv_cache_dtype": ("auto", "not in exp-config.yaml: vLLM's default --kv-cache-dtype auto (the model's dtype)"),
}

# results/config.yaml data.shared_prefix keys the fixture carries as such
SP_KEYS = ("num_groups", "num_prompts_per_group", "system_prompt_len", "question_len", "output_len")

# The client's timeout when results/config.yaml leaves load.request_timeout
# null: inference-perf's OpenAI client opens its aiohttp session with
# ClientTimeout(total=request_timeout) only when one is set, else with
# aiohttp's default session timeout, 300 s in total per request
# (inference_perf/client/modelserver/openai_client.py; aiohttp
# client.DEFAULT_TIMEOUT). A request still streaming then fails and the
# client closes its connection, which vLLM takes as an abort.
AIOHTTP_DEFAULT_TIMEOUT = 300.0

# inference-perf load types kvsim replays: `constant` (rate x duration
# exponential intervals scaled to the stage's duration) and `poisson`
LOAD_TYPES = ("constant", "poisson")

# Percentiles kept from inference-perf's distributions (its JSON keys; it
# gives p0.1 to p99.9): the experiment's main table compares the means, p90
# and p99, its quantile ladder p10 to max.
KEEP = ["mean", "min", "p10", "median", "p90", "p95", "p99", "p99.9", "max"]


# ---- reading the repository ---------------------------------------------------

def git(repo, *args):
    r = subprocess.run(["git", "-C", repo] + list(args), capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("import_vllm_runs.py: git %s: %s" % (" ".join(args), r.stderr.strip()))
    return r.stdout


# rev PLAIN: `repo` is a plain folder (no git), read from the file system
PLAIN = "(a plain folder)"


def short(rev):
    return rev if rev == PLAIN else rev[:12]


def show(repo, rev, path):
    if rev == PLAIN:
        try:
            with open(os.path.join(repo, path)) as f:
                return f.read()
        except OSError as e:
            fail(path, "cannot read: %s" % e.strerror)
    return git(repo, "show", "%s:%s" % (rev, path))


def ls(repo, rev, folder, missing_ok=False):
    if rev == PLAIN:
        d = os.path.join(repo, folder)
        if not os.path.isdir(d):
            if missing_ok:
                return []
            fail(folder, "no such folder in %s" % repo)
        return sorted(x for x in os.listdir(d) if not x.startswith("."))
    spec = "%s:%s" % (rev, folder)
    if missing_ok:
        r = subprocess.run(["git", "-C", repo, "ls-tree", "--name-only", spec], capture_output=True, text=True)
        return [x for x in r.stdout.split("\n") if x] if r.returncode == 0 else []
    out = git(repo, "ls-tree", "--name-only", spec)
    return [x for x in out.split("\n") if x]


def is_dir(repo, rev, path):
    """Whether `path` is a folder (a run folder) rather than a file."""
    if rev == PLAIN:
        return os.path.isdir(os.path.join(repo, path))
    r = subprocess.run(["git", "-C", repo, "cat-file", "-t", "%s:%s" % (rev, path)], capture_output=True, text=True)
    return r.returncode == 0 and r.stdout.strip() == "tree"


def join(folder, name):
    return name if folder in ("", ".") else folder + "/" + name


# ---- YAML ----------------------------------------------------------------------

def load_yaml(text, where):
    """The value of a YAML file (PyYAML's safe loader). profile.yaml is one
    line of JSON, read as JSON: YAML 1.1 would read a number such as 1e-05
    as a string."""
    s = text.strip()
    try:
        if s.startswith("{"):
            return json.loads(s)
        return yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as e:
        fail(where, "cannot be read: %s" % " ".join(str(e).split()))


def fail(where, msg):
    """Stop with a message naming the run or file at fault."""
    sys.exit("import_vllm_runs.py: %s: %s" % (where, msg))


def model_entry(repo, rev, cfg_dir, hf_id, local, where):
    """The model's config.json, kept whole: kvsim reads its geometry with its
    own Hugging Face reader (kv.model{hf_config = ...}, core/inputs/model.c),
    so the fixture holds the numbers as published, not a second reading of
    them. `local` maps a config folder name to a file given on the command
    line (--model-config), for models the repository has no config for."""
    if cfg_dir in local:
        path = local[cfg_dir]
        try:
            with open(path) as f:
                text = f.read()
        except OSError as e:
            fail(where, "model %s: cannot read --model-config file %s: %s" % (hf_id, path, e.strerror))
        source = "local file %s (--model-config)" % os.path.basename(path)
    elif cfg_dir in ls(repo, rev, "model_configs", missing_ok=True):
        path = "model_configs/%s/config.json" % cfg_dir
        text = show(repo, rev, path)
        source = path
    else:
        found = bundled_config(cfg_dir)
        if not found:
            fail(where, "model %s: the repository has no model_configs/%s/config.json at %s and kvsim keeps no "
                        "config of it (experiments/data/models/); give the model's Hugging Face config.json with "
                        "--model-config %s=FILE" % (hf_id, cfg_dir, short(rev), cfg_dir))
        path, name = found
        with open(path) as f:
            text = f.read()
        source = "kvsim's experiments/data/models/%s.json" % name
        if name.lower() != cfg_dir.lower():
            source += " (the checkpoint %s is that model's weights in FP8)" % cfg_dir
    try:
        cfg = json.loads(text)
    except ValueError as e:
        fail(where, "model %s: %s is not JSON: %s" % (hf_id, source, e))
    if not isinstance(cfg, dict):
        fail(where, "model %s: %s is not a JSON object" % (hf_id, source))
    arch = cfg.get("text_config") if "num_hidden_layers" not in cfg and isinstance(cfg.get("text_config"), dict) else cfg
    for key in ("num_hidden_layers", "hidden_size", "num_attention_heads", "vocab_size"):
        if key not in arch:
            fail(where, "model %s: %s has no '%s' (not a decoder config kvsim can read)" % (hf_id, source, key))
    return {"config": source, "hf_id": hf_id, "model_type": cfg.get("model_type"),
            "architecture": (cfg.get("architectures") or [None])[0], "hf_config": cfg,
            "max_position_embeddings": arch.get("max_position_embeddings")}


# The configs kvsim keeps of the models public vLLM measurements use
# (experiments/data/models/NAME.json, NAME the last part of the Hugging Face
# id; README.md there names their sources), for data that brings none.
BUNDLED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "experiments", "data", "models")
# a checkpoint of a model's weights in FP8 named after it (RedHatAI's
# Llama-4-Scout-17B-16E-Instruct-FP8-dynamic, ...-FP8)
FP8_SUFFIX = re.compile(r"(?i)-fp8(-dynamic|-static|-block)?$")


def bundled_config(cfg_dir):
    """(path, name) of the bundled config of cfg_dir (case aside), or of the
    model an FP8 checkpoint's name derives from; None without one."""
    try:
        names = {f[:-5].lower(): f[:-5] for f in os.listdir(BUNDLED) if f.endswith(".json")}
    except OSError:
        return None
    for want in (cfg_dir, FP8_SUFFIX.sub("", cfg_dir)):
        if want.lower() in names:
            return os.path.join(BUNDLED, names[want.lower()] + ".json"), names[want.lower()]
    return None


# ---- metrics ----------------------------------------------------------------------

def dist(d):
    if d is None:
        return None
    return {k: d[k] for k in KEEP if k in d}


def metrics_block(repo, rev, path):
    try:
        m = json.loads(show(repo, rev, path))
    except ValueError as e:
        fail(path, "not JSON: %s" % e)
    try:
        return _metrics(m, path)
    except (KeyError, TypeError) as e:
        fail(path, "not an inference-perf lifecycle metrics file: no %s" % e)


def _metrics(m, path):
    s, f, ls_ = m["successes"], m["failures"], m["load_summary"]
    lat = s["latency"]
    return {
        "source": path,
        "requests": ls_["count"],
        "successes": s["count"],
        "failures": f["count"],
        "requested_rate": ls_.get("requested_rate"),
        "achieved_rate": ls_.get("achieved_rate"),
        "send_duration": ls_.get("send_duration"),
        "ttft": dist(lat["time_to_first_token"]),
        "tpot_chunks": dist(lat["time_per_output_token"]),
        "itl_chunks": dist(lat["inter_token_latency"]),
        "e2e": dist(lat["request_latency"]),
        "throughput": s["throughput"],
        # prompt lengths: `prompt_len` in the inference-perf these runs used,
        # `prompt_tokens` (the server's usage counts where it gave them) in
        # later versions; neither: the experiment takes the profile's lengths
        "prompt_len": dist(s.get("prompt_len") or s.get("prompt_tokens")),
        "output_len_retokenized": dist(s.get("output_len")),
    }


# ---- one run ------------------------------------------------------------------------

# exp-config.yaml keys of the repository -> the engine setting they give.
EXP_KEYS = {
    "tensor_parallelism": "tensor_parallel_size",
    "tensor_parallel_size": "tensor_parallel_size",
    "max_model_len": "max_model_len",
    "max_num_batched_tokens": "max_num_batched_tokens",
    "max_num_seqs": "max_num_seqs",
    "gpu_memory_utilization": "gpu_memory_utilization",
    "block_size": "block_size",
    "enable_prefix_caching": "enable_prefix_caching",
    "dtype": "dtype",
    "quantization": "quantization",
    "kv_cache_dtype": "kv_cache_dtype",
    "data_parallel_size": "data_parallel_size",
    "kv_offloading_size": "kv_offloading_size",
}
# CPU KV offloading (vLLM's --kv-offloading-size, GiB over all TP ranks,
# with the native backend, its OffloadingConnector) where a run says only
# that it was on (inference-sim's schema key and manifest field cpu_offload:
# true): the size inference-sim's sim-to-real design gives its runs
OFFLOAD_GIB = 8.0
OFFLOAD_WHY = ("cpu_offload: true gives no size: 8 GiB, as inference-sim's sim-to-real design states for its "
               "runs (docs/plans/2026-03-04-sim-to-real-accuracy-validation-design.md: 8 GiB via OffloadingConnector)")
# exp-config.yaml keys that say nothing about the engine: the model (read
# apart), the load generator, and two keys of inference-sim's data-collection
# schema that are another simulator's coefficient (eta_quant) and the host's
# PCIe rate (pcie_bandwidth_gbps; the platform's, not the engine's)
EXP_OTHER = {"model", "app", "eta_quant", "pcie_bandwidth_gbps"}

# Keys of inference-sim's data-collection schema (its
# docs/plans/2026-03-17-data-collection-protocol.md: tp, ep, bpw,
# kv_dtype_bytes, cpu_offload) and the vLLM setting each value stands for;
# None: the engine as kvsim runs it (nothing to set); a value not listed is
# kept under not_modelled.
SCHEMA_KEYS = {
    "tp": lambda v: ("tensor_parallel_size", v),
    "ep": lambda v: None if v == 1 else False,                 # expert parallelism: not modelled
    "cpu_offload": lambda v: None if v in (False, True) else False,  # True: offload_on below
    "kv_offloading_backend": lambda v: None if v == "native" else False,  # lmcache: not modelled
    "bpw": lambda v: None if v == 2 else ("quantization", "fp8") if v == 1 else False,
    "kv_dtype_bytes": lambda v: None if v == 2 else ("kv_cache_dtype", "fp8") if v == 1 else False,
}


def _number(v, where, key, integer=True, lo=None, hi=None):
    ok = isinstance(v, int) and not isinstance(v, bool) if integer else \
        isinstance(v, (int, float)) and not isinstance(v, bool)
    if not ok or (lo is not None and v < lo) or (hi is not None and v > hi):
        fail(where, "'%s' is %r: expected %s%s" % (key, v, "an integer" if integer else "a number",
                                                    " in [%s, %s]" % (lo, hi) if lo is not None else ""))
    return v


def engine_of(exp, model, where):
    """The engine settings of exp-config.yaml, and vLLM's default, said as
    such, for each it leaves out."""
    engine = {"source": where, "defaults": {}}
    for k, v in exp.items():
        if k in EXP_KEYS:
            engine[EXP_KEYS[k]] = v
    not_modelled = {k: exp[k] for k in exp if k not in EXP_KEYS and k not in EXP_OTHER
                    and k not in SCHEMA_KEYS}
    for k in sorted(k for k in exp if k in SCHEMA_KEYS):
        setting = SCHEMA_KEYS[k](exp[k])
        if setting is False:
            not_modelled[k] = exp[k]
        elif setting:
            name, v = setting
            if name in engine and engine[name] != v:
                given = next(k2 for k2 in exp if EXP_KEYS.get(k2) == name)
                fail(where, "'%s' is %r (%s %r) but '%s' is %r" % (k, exp[k], name, v, given, exp[given]))
            engine[name] = v
    if exp.get("cpu_offload") is True:
        offload_on(engine)
    if not_modelled:
        engine["not_modelled"] = dict(sorted(not_modelled.items()))
    defaults = dict(VLLM_DEFAULTS)
    if model.get("max_position_embeddings"):
        defaults["max_model_len"] = (model["max_position_embeddings"],
                                     "not in exp-config.yaml: vLLM derives it from config.json "
                                     "max_position_embeddings")
    for k, (v, why) in defaults.items():
        if k not in engine:
            engine["defaults"][k] = {"value": v, "source": why}
    for k, lo, hi in (("tensor_parallel_size", 1, 64), ("max_model_len", 1, 1 << 24),
                      ("max_num_batched_tokens", 1, 1 << 24), ("max_num_seqs", 1, 1 << 20),
                      ("block_size", 1, 1024), ("data_parallel_size", 1, 1024)):
        if k in engine:
            _number(engine[k], where, k, lo=lo, hi=hi)
    if "gpu_memory_utilization" in engine:
        _number(engine["gpu_memory_utilization"], where, "gpu_memory_utilization", False, 0.01, 1.0)
    if "kv_offloading_size" in engine:
        _number(engine["kv_offloading_size"], where, "kv_offloading_size", False, 1e-6, 1e6)
    if "max_model_len" not in engine and "max_model_len" not in engine["defaults"]:
        fail(where, "no 'max_model_len' and the model's config.json has no max_position_embeddings")
    return engine


def mla_block_size(engine, cfg, hardware):
    """The KV block size vLLM v0.15 forces for multi-head latent attention
    (vllm/platforms/cuda.py, CudaPlatformBase.check_and_update_config): a
    model with MLA (config.json kv_lora_rank: DeepSeek-V2/V3, GLM-5) runs
    FlashMLA by default on a Hopper GPU (H100, H200), which takes blocks of
    64 tokens: a block size that is not a multiple of 64 becomes 64; sparse
    MLA (an indexer, config.json index_topk) takes 64 on any GPU. Elsewhere
    (A100, L40S: no FlashMLA) the block size stays as given."""
    arch = cfg.get("text_config") if "num_hidden_layers" not in cfg and isinstance(cfg.get("text_config"), dict) else cfg
    if not arch.get("kv_lora_rank"):
        return
    sparse = bool(arch.get("index_topk"))
    # the GPU: the manifest's (its preset's name, else its own spelling:
    # an H100 PCIe or NVL has no preset but is a Hopper GPU too), an H100
    # when the data names none
    gpu = ((hardware or {}).get("gpu") or (hardware or {}).get("value") or HARDWARE["h100"])
    hw = re.sub(r"[^a-z0-9]", "", gpu.lower())
    hopper = any(k in hw for k in ("h100", "h200", "h800", "h20"))
    if not (sparse or hopper):
        return
    given = engine.get("block_size")
    size = given if given is not None else engine["defaults"]["block_size"]["value"]
    if sparse and size == 64 or not sparse and size % 64 == 0:
        return
    why = ("sparse MLA (config.json index_topk): vLLM v0.15 forces KV blocks of 64 tokens" if sparse else
           "MLA (config.json kv_lora_rank) on %s: vLLM v0.15 runs FlashMLA and forces KV blocks of 64 tokens" % gpu)
    why += " (vllm/platforms/cuda.py, check_and_update_config)"
    if given is not None:
        why += "; exp-config.yaml asked for %d" % given
    engine_set(engine, "block_size", 64, "from_backend", why)


def offload_on(engine):
    """CPU KV offloading said to be on without a size: OFFLOAD_GIB, said as
    an assumption (a size exp-config.yaml gives stays)."""
    if "kv_offloading_size" not in engine:
        engine["defaults"]["kv_offloading_size"] = {"value": OFFLOAD_GIB, "source": OFFLOAD_WHY}


def engine_set(engine, name, value, origin, why):
    """Set an engine setting exp-config.yaml did not give (no longer a
    default) and record where it came from: engine[origin][name] = why."""
    engine[name] = value
    engine["defaults"].pop(name, None)
    engine.setdefault(origin, {})[name] = why


def stages_of(load, where):
    if not isinstance(load, dict) or not isinstance(load.get("stages"), list) or not load["stages"]:
        fail(where, "'load.stages' must be a non-empty list of {rate, duration}")
    if load.get("type") not in LOAD_TYPES:
        fail(where, "'load.type' is %r: kvsim replays %s" % (load.get("type"), " and ".join(LOAD_TYPES)))
    out = []
    for k, st in enumerate(load["stages"]):
        if not isinstance(st, dict) or "rate" not in st or "duration" not in st:
            fail(where, "load.stages[%d] must give 'rate' and 'duration' (got %r)" % (k, st))
        rate = _number(st["rate"], where, "load.stages[%d].rate" % k, False, 1e-6, 1e6)
        dur = _number(st["duration"], where, "load.stages[%d].duration" % k, False, 1e-3, 1e7)
        out.append({"stage": k, "rate": float(rate), "duration": float(dur)})
    return out


def import_run(repo, rev, folder, run, models, local, manifest=None):
    base = join(folder, run)
    files = ls(repo, rev, base)
    # the measurements: results/, or inference-perf-data/ in older run folders
    rdir = "results" if "results" in files else "inference-perf-data" if "inference-perf-data" in files else None
    for need in ("exp-config.yaml", "profile.yaml"):
        if need not in files:
            fail(base, "no %s (a run folder holds exp-config.yaml, profile.yaml and results/)" % need)
    if rdir is None:
        fail(base, "no results/ (nor inference-perf-data/): a run folder holds exp-config.yaml, profile.yaml "
                   "and results/")
    rbase = base + "/" + rdir
    res = ls(repo, rev, rbase)
    exp = load_yaml(show(repo, rev, base + "/exp-config.yaml"), base + "/exp-config.yaml")
    prof = load_yaml(show(repo, rev, base + "/profile.yaml"), base + "/profile.yaml")
    # inference-perf's resolved configuration; without it, the profile as
    # given (the load generator fills in only what it leaves out)
    if "config.yaml" in res:
        where = rbase + "/config.yaml"
        resolved = load_yaml(show(repo, rev, where), where)
    else:
        where = base + "/profile.yaml"
        resolved = prof
    if not isinstance(exp, dict) or not isinstance(exp.get("model"), str):
        fail(base + "/exp-config.yaml", "'model' (the Hugging Face id) is missing")

    hf = exp["model"]
    cfg_dir = hf.split("/")[-1]
    if cfg_dir not in models:
        models[cfg_dir] = model_entry(repo, rev, cfg_dir, hf, local, base + "/exp-config.yaml")
    engine = engine_of(exp, models[cfg_dir], base + "/exp-config.yaml")
    if FP8_SUFFIX.search(cfg_dir) and "quantization" not in engine and \
            not models[cfg_dir]["hf_config"].get("quantization_config"):
        # an FP8 checkpoint read through its base model's config: its
        # weights are one byte each
        engine_set(engine, "quantization", "fp8", "from_model_name",
                   "the checkpoint's name %s ends in FP8" % cfg_dir)
    hardware = None
    if manifest is not None:
        hardware = manifest_settings(manifest, engine, base)
    mla_block_size(engine, models[cfg_dir]["hf_config"], hardware)
    kv_tokens = vllm_log_kv(repo, rev, base, files)
    if kv_tokens:
        engine["kv_cache_tokens_measured"] = kv_tokens
    data = resolved.get("data") if isinstance(resolved, dict) else None
    if not isinstance(data, dict) or data.get("type") != "shared_prefix" or \
            not isinstance(data.get("shared_prefix"), dict):
        fail(where, "'data.type' is %r: kvsim replays inference-perf's shared_prefix data "
                    "(system prompt + question per prompt group)" % (data or {}).get("type"))
    sp_res = data["shared_prefix"]
    for key in ("system_prompt_len", "question_len", "output_len"):
        _number(sp_res.get(key), where, "data.shared_prefix." + key, lo=0, hi=1 << 24)
    if sp_res["system_prompt_len"] + sp_res["question_len"] < 1 or sp_res["output_len"] < 1:
        fail(where, "prompts and outputs must have at least one token")
    sp_prof = ((prof or {}).get("data") or {}).get("shared_prefix") or {}
    load = resolved.get("load")
    stages = stages_of(load, where)
    workload = {
        "generator": "inference-perf, data type %s, load type %s" % (data["type"], load["type"]),
        "arrival": load["type"],
        "stages": stages,
        "system_prompt_len": sp_res["system_prompt_len"],
        "question_len": sp_res["question_len"],
        "output_len": sp_res["output_len"],
        "num_groups": sp_res.get("num_groups"),
        "num_prompts_per_group": sp_res.get("num_prompts_per_group"),
        "ignore_eos": ((prof or {}).get("server") or {}).get("ignore_eos"),
        "streaming": ((prof or {}).get("api") or {}).get("streaming"),
        "api": ((prof or {}).get("api") or {}).get("type"),
        "source": where + (" (resolved by inference-perf; ignore_eos, streaming from profile.yaml)"
                           if where != base + "/profile.yaml" else
                           " (no resolved config.yaml beside the measurements: the profile as given)"),
        "profile_as_given": {
            "source": base + "/profile.yaml",
            "shared_prefix": sp_prof,
            "stages": ((prof or {}).get("load") or {}).get("stages"),
        },
    }
    timeout = load.get("request_timeout")
    if timeout is None:
        workload["client_timeout"] = {
            "value": AIOHTTP_DEFAULT_TIMEOUT,
            "source": "load.request_timeout %s: inference-perf's aiohttp session keeps aiohttp's default "
                      "total timeout per request" % ("null" if "request_timeout" in load else "not given")}
    else:
        _number(timeout, where, "load.request_timeout", integer=False, lo=1e-3, hi=1e9)
        workload["client_timeout"] = {"value": float(timeout), "source": "load.request_timeout"}
    # newer inference-perf versions draw each prompt's question and output
    # length from a normal distribution clipped to [min, max] and rounded
    # (utils/distribution.py generate_distribution, num_prompts_per_group
    # draws per group) when *_std is above 0: kept as question_len_dist /
    # output_len_dist for the experiment to draw the same way
    for name in ("question_len", "output_len"):
        std = sp_res.get(name + "_std")
        if std is None or std == 0:
            continue
        dist = {"std": _number(std, where, "data.shared_prefix.%s_std" % name, integer=False, lo=0, hi=1 << 24)}
        for end in ("min", "max"):
            v = sp_res.get("%s_%s" % (name, end))
            if v is not None:
                dist[end] = _number(v, where, "data.shared_prefix.%s_%s" % (name, end), lo=0, hi=1 << 24)
        if dist.get("min", 0) > sp_res[name] or sp_res[name] > dist.get("max", 1 << 24):
            fail(where, "'data.shared_prefix.%s' is %r, outside its min and max %r" % (name, sp_res[name], dist))
        workload[name + "_dist"] = dist
    # other shared_prefix settings that make the workload differ from the
    # single-turn prompts the experiment sends (multi-turn sessions, a
    # distribution type it does not know): kept, and named by the experiment
    # as not modelled, unless their value changes nothing
    extra = {}
    for k, v in sp_res.items():
        if k in SP_KEYS or v is None:
            continue
        stem = k.rsplit("_", 1)[0]
        modelled = stem + "_dist" in workload and k in (stem + "_std", stem + "_min", stem + "_max")
        # a zero spread draws the length itself, whatever min and max say
        neutral = (k == "enable_multi_turn_chat" and v is False) or \
            (k.endswith("_std") and v == 0) or \
            (k.endswith("_min") or k.endswith("_max")) and sp_res.get(stem + "_std") in (None, 0)
        if not (neutral or modelled):
            extra["data.shared_prefix." + k] = v
    if extra:
        workload["not_modelled"] = dict(sorted(extra.items()))
    ignored = sorted(set(sp_prof) - set(k for k in sp_res if sp_res[k] is not None))
    if ignored:
        workload["profile_keys_not_in_resolved_config"] = ignored

    measured = {"stages": [], "summary": None}
    for k in range(len(stages)):
        name = "stage_%d_lifecycle_metrics.json" % k
        if name in res:
            measured["stages"].append(metrics_block(repo, rev, rbase + "/" + name))
    if "summary_lifecycle_metrics.json" in res:
        measured["summary"] = metrics_block(repo, rev, rbase + "/summary_lifecycle_metrics.json")
    if not measured["summary"]:
        fail(rbase, "no summary_lifecycle_metrics.json (the run's measured figures over all stages)")

    # the requests as sent, when inference-perf kept them one by one
    if "per_request_lifecycle_metrics.json" in res:
        workload["requests"] = per_request(repo, rev, rbase + "/per_request_lifecycle_metrics.json",
                                           measured, sp_res)

    # the workload profile: the manifest's, else the folder name's last part
    # after -tpN- (20260217-155451-llama-2-7b-tp1-codegen, ...-tp2-general-lite)
    m = re.match(r"^(?:\d{8}-\d{6}-|\d+-)(.*)-tp\d+-([a-z][a-z0-9-]*)$", run)
    profile = manifest.get("workload") if manifest is not None and isinstance(manifest.get("workload"), str) \
        else m.group(2) if m else None
    out = {
        "id": run,
        "source": base,
        "files": [base + "/" + x for x in files] + [rbase + "/" + x for x in res],
        "profile": profile,
        "model": hf,
        "model_config": cfg_dir,
        "engine": engine,
        "workload": workload,
        "measured": measured,
    }
    if hardware:
        out["hardware"] = hardware
    if manifest is not None:
        out["manifest"] = manifest
    return out


# ---- the requests one by one ----------------------------------------------------------

def per_request(repo, rev, path, measured, sp):
    """inference-perf's per_request_lifecycle_metrics.json (a list of
    {start_time, end_time, request, response, info: {input_tokens,
    output_tokens, output_token_times}, error}; later versions keep the last
    two under info.response_metrics) -> what kvsim replays: per
    load stage (the stage files' request counts, in send order) each
    request's send time from the stage's first, its prompt (an index into
    the distinct prompt texts), its prompt tokens as the load generator
    counted them, its output tokens, and whether it failed; per prompt its
    group (prompts whose texts share a system prompt). The texts are not
    kept."""
    try:
        reqs = json.loads(show(repo, rev, path))
    except ValueError as e:
        fail(path, "not JSON: %s" % e)
    if not isinstance(reqs, list) or not reqs:
        fail(path, "expected a non-empty list of requests")
    rows = []
    for i, q in enumerate(reqs):
        try:
            info = q.get("info") or {}
            text = q["request"]
            text = text if isinstance(text, str) else json.dumps(text, sort_keys=True)
            t0 = float(q["start_time"])
            failed = q.get("error") is not None
            # the request's own latencies, where it succeeded: its first
            # streamed chunk and its end, from its send time
            # inference-perf keeps the response's figures in info (to 2026-03)
            # or under info.response_metrics (later versions)
            resp = info.get("response_metrics") or {}
            times = info.get("output_token_times") or resp.get("output_token_times") or []
            # (-1: failed or not recorded; a number, so that list positions
            # hold in every JSON reader)
            ttft = round(float(times[0]) - t0, 6) if times and not failed else -1
            e2e = round(float(q["end_time"]) - t0, 6) if q.get("end_time") is not None and not failed else -1
            out = info.get("output_tokens")
            if out is None:
                out = resp.get("output_tokens")
            rows.append((t0, text, int(info["input_tokens"]), int(out or 0), failed, ttft, e2e))
        except (KeyError, TypeError, ValueError, AttributeError) as e:
            fail(path, "request %d: no usable start_time, request or info.input_tokens (%s)" % (i, e))
    rows.sort(key=lambda x: x[0])
    counts = [b["requests"] for b in measured["stages"]]
    if sum(counts) != len(rows):
        fail(path, "%d requests, but the stage files count %s (%d): cannot tell the stages apart"
                   % (len(rows), " + ".join(str(c) for c in counts), sum(counts)))
    # distinct prompts, numbered in order of first appearance
    ids = {}
    for r in rows:
        ids.setdefault(r[1], len(ids))
    texts = sorted(ids, key=ids.get)
    # groups: prompts sharing a system prompt share a long common prefix;
    # prompts of different groups (random token text) almost none. The
    # threshold is half the system prompt's expected share of the text.
    share = sp["system_prompt_len"] / float(max(1, sp["system_prompt_len"] + sp["question_len"]))
    # one prefix length for all: half the system prompt's share of the
    # shortest text (0: no system prompt, every prompt its own group)
    need = int(0.5 * share * min(len(t) for t in texts))
    keys = {}
    groups = [keys.setdefault(t[:need] if need > 0 else a, len(keys)) for a, t in enumerate(texts)]
    stages, k = [], 0
    for c in counts:
        part = rows[k:k + c]
        k += c
        t0 = part[0][0] if part else 0.0
        stages.append({
            "t": [round(r[0] - t0, 6) for r in part],
            "prompt": [ids[r[1]] for r in part],
            "input_tokens": [r[2] for r in part],
            "output_tokens": [r[3] for r in part],
            "failed": [i for i, r in enumerate(part) if r[4]],
            "ttft": [r[5] for r in part],
            "e2e": [r[6] for r in part],
        })
    return {"source": path, "prompts": len(texts), "groups": groups, "stages": stages,
            "note": "send times (s from the stage's first request), prompt index, prompt tokens and output tokens "
                    "as inference-perf counted them (info.input_tokens, info.output_tokens), failed requests' "
                    "indices, each successful request's TTFT (its first streamed chunk, output_token_times[0]) "
                    "and E2E (end_time) from its send time (-1: failed or not recorded); a prompt's group: "
                    "prompts whose texts share a prefix of at least half the system prompt's expected share of "
                    "the text"}


# ---- an evaluation set's manifest --------------------------------------------------

# experiments.json `hw` -> the GPU it names (kvsim's experiment maps it to a
# platform preset)
HARDWARE = {"h100": "H100 SXM 80GB", "a100": "A100 SXM 80GB", "l40s": "L40S 48GB", "h200": "H200 141GB"}


def gpu_of(hw):
    """The GPU an `hw` value names, however it is spelt ("A100-80GB", as
    inference-sim's manifest writes it, "A100", "NVIDIA H100 80GB HBM3",
    "h100-sxm"), or None where kvsim has no preset for it (an A100 of 40 GB,
    an H100 PCIe or NVL, another GPU): the experiment then asks for
    --platform."""
    k = re.sub(r"[^a-z0-9]", "", hw.lower())
    if k.startswith("nvidia"):
        k = k[len("nvidia"):]
    for name, gpu in HARDWARE.items():
        if not k.startswith(name):
            continue
        rest = k[len(name):]
        if name == "a100" and "40g" in rest:
            return None
        if name == "h100" and ("pcie" in rest or "nvl" in rest):
            return None
        return gpu
    return None


def read_manifest(repo, rev, folder):
    """experiments.json of an evaluation set: a list of entries, each naming
    its run folder by id (<id>-<slug>) and the settings its folder does not
    hold (hw, dp, cpu_offload, gpu_mem, precision, safe, workload)."""
    where = join(folder, "experiments.json")
    try:
        entries = json.loads(show(repo, rev, where))
    except ValueError as e:
        fail(where, "not JSON: %s" % e)
    if not isinstance(entries, list):
        fail(where, "expected a list of experiments (objects with 'id')")
    for i, e in enumerate(entries):
        if not isinstance(e, dict) or isinstance(e.get("id"), bool) or not isinstance(e.get("id"), (int, str)):
            fail(where, "entry %d: expected an object with an 'id' (got %r)" % (i, e))
    return entries


def manifest_settings(e, engine, base):
    """Fold an experiments.json entry into the run's engine settings; return
    the run's hardware. Each value is checked against exp-config.yaml's own."""
    where = "experiments.json (id %s, %s)" % (e["id"], base)

    def setting(name, value, why):
        if name in engine and engine[name] != value:
            fail(where, "says %s %r but %s/exp-config.yaml says %r" % (name, value, base, engine[name]))
        engine_set(engine, name, value, "from_manifest", why)

    if e.get("gpu_mem") is not None:
        _number(e["gpu_mem"], where, "gpu_mem", False, 0.01, 1.0)
        setting("gpu_memory_utilization", e["gpu_mem"], "gpu_mem")
    dp = e.get("dp")
    if dp is not None:
        _number(dp, where, "dp", lo=1, hi=1024)
        setting("data_parallel_size", dp, "dp")
    prec = e.get("precision")
    if prec is not None:
        if not isinstance(prec, str) or prec.upper() not in ("FP16", "BF16", "FP8"):
            fail(where, "'precision' is %r: expected FP16, BF16 or FP8" % (prec,))
        if prec.upper() == "FP8":
            setting("quantization", "fp8", "precision FP8 (the weights in one byte)")
    off = e.get("cpu_offload")
    if off not in (None, False):
        if off is not True:
            fail(where, "'cpu_offload' is %r: expected true or false" % (off,))
        offload_on(engine)
    hw = e.get("hw")
    if hw is None:
        return None
    if not isinstance(hw, str) or not hw.strip():
        fail(where, "'hw' is %r: expected the GPU's name (H100, A100, L40S, H200)" % (hw,))
    gpu = gpu_of(hw)
    # vLLM's batch defaults follow the GPU (EngineArgs.get_batch_defaults):
    # 8,192 tokens and 1,024 sequences on 70 GiB or more unless an A100,
    # else 2,048 and 256 (the OpenAI API server's)
    if gpu and (gpu.startswith("A100") or gpu.startswith("L40S")):
        for name, value in (("max_num_batched_tokens", 2048), ("max_num_seqs", 256)):
            if name in engine["defaults"]:
                engine["defaults"][name] = {
                    "value": value, "source": "not in exp-config.yaml: vLLM's default for the API server on %s "
                    "(EngineArgs.get_batch_defaults: an A100, or a GPU of less than 70 GiB)" % gpu}
    return {"value": hw, "gpu": gpu, "source": "experiments.json hw"}


def vllm_log_kv(repo, rev, base, files):
    """The KV cache the server sized, from its log: vLLM V1 prints 'GPU KV
    cache size: N tokens' (V0: '# GPU blocks: N'). None without a log."""
    for name in ("vllm.log", "vllm_logging.log"):
        if name not in files:
            continue
        text = show(repo, rev, base + "/" + name)
        m = re.findall(r"GPU KV cache size: ([\d,]+) tokens", text)
        if m:
            return {"tokens": int(m[-1].replace(",", "")), "source": base + "/" + name}
        m = re.findall(r"# GPU blocks: (\d+)", text)
        if m:
            return {"blocks": int(m[-1]), "source": base + "/" + name}
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repo", default=DEFAULT_REPO, help="git dir of inference-sim/training (%(default)s)")
    ap.add_argument("--rev", default="HEAD", help="revision to read (%(default)s)")
    ap.add_argument("--out", default=DEFAULT_OUT, help="fixture to write (%(default)s)")
    ap.add_argument("--folder", action="append", metavar="DIR",
                    help="folder of run folders in the repository; repeat for several (default_args)")
    ap.add_argument("--model-config", action="append", default=[], metavar="NAME=FILE",
                    help="config.json of a model the repository's model_configs/ lacks; NAME is the last "
                         "part of its Hugging Face id (Llama-3.1-8B-Instruct)")
    ap.add_argument("--upstream", default=UPSTREAM, help="where the repository is published (%(default)s)")
    ap.add_argument("--keep-going", action="store_true",
                    help="leave out a run that cannot be imported (named on stderr and under the fixture's "
                         "skipped) instead of stopping")
    a = ap.parse_args()
    folders = a.folder or ["default_args"]
    local = {}
    for spec in a.model_config:
        name, sep, path = spec.partition("=")
        if not sep or not name or not path:
            fail("--model-config", "%r: expected NAME=FILE" % spec)
        local[name] = path

    if not os.path.isdir(a.repo):
        fail(a.repo, "no such folder (--repo: a git clone, bare or not, or a plain folder of the same layout)")
    inside = subprocess.run(["git", "-C", a.repo, "rev-parse", "--git-dir"], capture_output=True, text=True)
    if inside.returncode == 0 and os.path.abspath(os.path.join(a.repo, inside.stdout.strip())).startswith(
            os.path.abspath(a.repo)):
        commit = git(a.repo, "rev-parse", a.rev).strip()
        date = git(a.repo, "log", "-1", "--format=%cI", commit).strip()
    else:  # not a repository of its own: read the files as they are
        commit, date = PLAIN, None
    models, runs, skipped = {}, [], []

    def take(run, imp):
        """Import one run; with --keep-going a run that cannot be imported is
        named on stderr and left out (the fixture lists it under skipped)."""
        try:
            runs.append(imp())
        except SystemExit as e:
            if not a.keep_going:
                if isinstance(e.code, str):
                    sys.exit(e.code + " (--keep-going leaves such a run out)")
                raise
            print("import_vllm_runs.py: warning: %s left out: %s" % (run, e.code), file=sys.stderr)
            skipped.append({"run": run, "why": str(e.code)})
    for folder in folders:
        found = ls(a.repo, commit, folder, missing_ok=True)
        if not found:
            fail(folder, "no such folder (or an empty one) in %s at %s" % (a.repo, short(commit)))
        if "experiments.json" in found:
            # an evaluation set: the manifest names its runs by id
            for e in read_manifest(a.repo, commit, folder):
                if e.get("done") is False:  # listed, its data not collected
                    print("import_vllm_runs.py: warning: %s: experiment %s is marked not done (skipped)"
                          % (join(folder, "experiments.json"), e["id"]), file=sys.stderr)
                    continue
                prefix = "%s-" % e["id"]
                dirs = sorted(x for x in found if x.startswith(prefix) and is_dir(a.repo, commit, join(folder, x)))
                if not dirs:
                    print("import_vllm_runs.py: warning: %s: experiment %s has no folder %s* (skipped)"
                          % (join(folder, "experiments.json"), e["id"], prefix), file=sys.stderr)
                    continue
                if len(dirs) > 1:  # as inference-sim's loader: the first by name, said
                    print("import_vllm_runs.py: warning: %s: experiment %s has %d folders (%s): using %s"
                          % (join(folder, "experiments.json"), e["id"], len(dirs), ", ".join(dirs), dirs[0]),
                          file=sys.stderr)
                run = dirs[0]
                take(run, lambda: import_run(a.repo, commit, folder, run, models, local, e))
            continue
        for run in found:
            if is_dir(a.repo, commit, join(folder, run)):
                take(run, lambda: import_run(a.repo, commit, folder, run, models, local))
    licence = [p for p in ls(a.repo, commit, "") if re.match(r"(?i)^(licen[cs]e|copying)", p)]
    fixture = {
        "what": "public measurements of vLLM servers on %s (%s, %s), imported by scripts/import_vllm_runs.py"
                % (", ".join(sorted({r["hardware"]["value"] for r in runs if "hardware" in r})) or "H100",
                   a.upstream.split("github.com/")[-1], ", ".join(f + "/" for f in folders)),
        "source": {
            "repository": a.upstream,
            "commit": commit,
            "commit_date": date,
            "folder": ", ".join(folders),
            "licence": ("files: " + ", ".join(licence)) if licence else
                       "none stated: the repository has no LICENSE file and its README names no licence",
            "load_generator": "inference-perf (https://github.com/kubernetes-sigs/inference-perf)",
            "hardware": "per run (its experiments.json entry's hw)" if any("hardware" in r for r in runs) else
                        "H100 SXM (README.md and DESIGN.md of the repository)",
        },
        "notes": [
            "tpot_chunks and itl_chunks are inference-perf's time_per_output_token and inter_token_latency: "
            "gaps between streamed SSE chunks (output_token_times), about two per generated token "
            "(replay_data/ground_truth_schema.md: '~2x output_tokens'); a token's interval is about twice them.",
            "output_len_retokenized is inference-perf's re-tokenization of the streamed text, not the tokens "
            "generated; with ignore_eos every request generates workload.output_len tokens.",
            "throughput.output_tokens_per_sec counts the re-tokenized text, so it is low by the same ratio.",
            "summary blocks cover every stage of the run; stage blocks one stage each.",
        ],
        # the models of the runs imported (a run left out may have named another)
        "models": {k: v for k, v in models.items() if any(r["model_config"] == k for r in runs)},
        "runs": runs,
    }
    if skipped:
        fixture["skipped"] = skipped
    if not runs:
        fail(a.repo, "no run could be imported")
    os.makedirs(os.path.dirname(a.out) or ".", exist_ok=True)
    with open(a.out, "w") as f:
        json.dump(fixture, f, indent=1, sort_keys=True)
        f.write("\n")
    print("import_vllm_runs.py: %d runs, %d models from %s@%s -> %s"
          % (len(runs), len(models), a.upstream, short(commit), a.out))


if __name__ == "__main__":
    main()
