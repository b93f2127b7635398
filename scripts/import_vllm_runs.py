#!/usr/bin/env python3
"""import_vllm_runs.py - turn the public vLLM measurements of inference-sim/training
(folder default_args/) into the one fixture experiments/vllm_validation.lua reads.

    python3 scripts/import_vllm_runs.py [--repo GIT_DIR] [--rev REV]
                                        [--out experiments/data/vllm/runs.json]

GIT_DIR is a clone (bare or not) of https://github.com/inference-sim/training;
the files are read with `git show REV:PATH`, so no work tree is needed. For
every run of default_args/ the fixture holds: its id and source folder, the
model (Hugging Face id) and the geometry kvsim needs, taken from the model's
config.json in the same repository (model_configs/) with the key each value
came from; the engine settings of exp-config.yaml (and the vLLM defaults for
what it leaves out, said as such); the load stages and length settings of
profile.yaml and of the resolved results/config.yaml; and the measured
lifecycle metrics (TTFT, TPOT, ITL, E2E, throughput, prompt and output
lengths), per stage and over the run, each block with the file it came from.
The data repository's commit is recorded. Main entry point: main().

Python 3 standard library; PyYAML when it can be imported (Debian:
python3-yaml), else the small YAML subset reader below, which is enough for
these files (block mappings, lists of mappings, plain scalars; profile.yaml
is JSON).
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
    yaml = None

DEFAULT_REPO = "/work/.mirror/inference-sim+training/repo"
DEFAULT_OUT = "experiments/data/vllm/runs.json"
UPSTREAM = "https://github.com/inference-sim/training"

# What exp-config.yaml does not say, and vLLM's default for it.
VLLM_DEFAULTS = {
    "gpu_memory_utilization": (0.9, "not in exp-config.yaml: vLLM's default (--gpu-memory-utilization 0.9)"),
    "block_size": (16, "not in exp-config.yaml: vLLM's default KV block size on CUDA (--block-size 16)"),
    "enable_prefix_caching": (None, "not in exp-config.yaml and no vLLM log in the repository: vLLM's V1 engine "
                                    "enables automatic prefix caching by default; the run's own setting is not recorded"),
    "dtype": ("auto", "not in exp-config.yaml: vLLM's default --dtype auto (the config.json torch_dtype)"),
}

# Percentiles kept from inference-perf's distributions (its JSON keys).
KEEP = ["mean", "min", "median", "p90", "p99", "max"]


# ---- reading the repository ---------------------------------------------------

def git(repo, *args):
    r = subprocess.run(["git", "-C", repo] + list(args), capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("import_vllm_runs.py: git %s: %s" % (" ".join(args), r.stderr.strip()))
    return r.stdout


def show(repo, rev, path):
    return git(repo, "show", "%s:%s" % (rev, path))


def ls(repo, rev, folder):
    out = git(repo, "ls-tree", "--name-only", "%s:%s" % (rev, folder))
    return [x for x in out.split("\n") if x]


# ---- a YAML subset: enough for exp-config.yaml and results/config.yaml ---------

def _scalar(s):
    s = s.strip()
    if s in ("", "null", "~", "Null", "NULL"):
        return None
    if s in ("true", "True"):
        return True
    if s in ("false", "False"):
        return False
    if len(s) >= 2 and s[0] == s[-1] and s[0] in "'\"":
        return s[1:-1]
    if re.fullmatch(r"[-+]?\d+", s):
        return int(s)
    if re.fullmatch(r"[-+]?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?", s):
        return float(s)
    if s.startswith("{") or s.startswith("["):
        return json.loads(s)
    return s


def _parse_block(lines, i, indent):
    """Parse the block starting at lines[i] whose items sit at `indent`.
    Returns (value, next index)."""
    if i < len(lines) and lines[i][1].startswith("- ") and lines[i][0] == indent:
        out = []
        while i < len(lines) and lines[i][0] == indent and lines[i][1].startswith("- "):
            # a list item: "- key: value" opens a mapping indented by 2
            rest = lines[i][1][2:]
            lines[i] = (indent + 2, rest)
            if re.match(r"^[^:]+:( |$)", rest):
                v, i = _parse_block(lines, i, indent + 2)
            else:
                v, i = _scalar(rest), i + 1
            out.append(v)
        return out, i
    out = {}
    while i < len(lines) and lines[i][0] == indent:
        m = re.match(r"^([^:]+):(?: (.*))?$", lines[i][1])
        if not m:
            raise ValueError("cannot read YAML line: %r" % lines[i][1])
        key, val = m.group(1).strip(), m.group(2)
        i += 1
        if val is None or val.strip() == "":
            if i < len(lines) and lines[i][0] > indent:
                out[key], i = _parse_block(lines, i, lines[i][0])
            elif i < len(lines) and lines[i][0] == indent and lines[i][1].startswith("- "):
                out[key], i = _parse_block(lines, i, indent)
            else:
                out[key] = None
        else:
            out[key] = _scalar(val)
    return out, i


def load_yaml(text):
    s = text.strip()
    if s.startswith("{"):  # profile.yaml is one line of JSON
        return json.loads(s)
    if yaml is not None:
        return yaml.safe_load(text)
    lines = []
    for raw in text.split("\n"):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        lines.append((len(raw) - len(raw.lstrip(" ")), raw.strip()))
    v, _ = _parse_block(lines, 0, lines[0][0] if lines else 0)
    return v


# ---- the model: geometry from config.json ------------------------------------------

def params_of(cfg):
    """Total and active parameters from a Llama / Mixtral config.json:
    embeddings and an untied LM head (vocab x hidden each), per layer the
    q, k, v, o projections, the MLP (gate, up, down; per expert for MoE, plus
    the router) and two RMSNorm weights, and the final norm."""
    h, L, v = cfg["hidden_size"], cfg["num_hidden_layers"], cfg["vocab_size"]
    heads = cfg["num_attention_heads"]
    kvh = cfg.get("num_key_value_heads", heads)
    hd = cfg.get("head_dim", h // heads)
    inter = cfg["intermediate_size"]
    experts = cfg.get("num_local_experts", 0)
    per_tok = cfg.get("num_experts_per_tok", experts)
    attn = h * heads * hd + 2 * h * kvh * hd + heads * hd * h
    mlp = 3 * h * inter
    norms = 2 * h
    emb = v * h * (1 if cfg.get("tie_word_embeddings") else 2)
    if experts:
        total = emb + h + L * (attn + experts * mlp + h * experts + norms)
        active = emb + h + L * (attn + per_tok * mlp + h * experts + norms)
    else:
        total = active = emb + h + L * (attn + mlp + norms)
    return total, active


def model_entry(repo, rev, cfg_dir):
    path = "model_configs/%s/config.json" % cfg_dir
    cfg = json.loads(show(repo, rev, path))
    heads = cfg["num_attention_heads"]
    dtype = cfg.get("torch_dtype") or cfg.get("dtype")
    dbytes = {"float16": 2, "bfloat16": 2, "float32": 4}[dtype]
    total, active = params_of(cfg)
    g = {
        "layers": cfg["num_hidden_layers"],
        "heads": heads,
        "kv_heads": cfg.get("num_key_value_heads", heads),
        "head_dim": cfg.get("head_dim", cfg["hidden_size"] // heads),
        "hidden": cfg["hidden_size"],
        "intermediate": cfg["intermediate_size"],
        "vocab": cfg["vocab_size"],
        "max_context": cfg["max_position_embeddings"],
        "dtype_bytes": dbytes,
        "weight_bytes": dbytes,
        "params": total,
        "active_params": active,
    }
    src = {
        "layers": "config.json num_hidden_layers",
        "heads": "config.json num_attention_heads",
        "kv_heads": "config.json num_key_value_heads" if "num_key_value_heads" in cfg
                    else "num_attention_heads (no num_key_value_heads: MHA)",
        "head_dim": "config.json head_dim" if "head_dim" in cfg
                    else "config.json hidden_size / num_attention_heads",
        "hidden": "config.json hidden_size",
        "intermediate": "config.json intermediate_size" + (" (per expert)" if cfg.get("num_local_experts") else ""),
        "vocab": "config.json vocab_size",
        "max_context": "config.json max_position_embeddings",
        "dtype_bytes": "config.json torch_dtype %s" % dtype,
        "weight_bytes": "config.json torch_dtype %s (served unquantized)" % dtype,
        "params": "computed from config.json: untied embeddings and LM head + layers x (q,k,v,o + 3 x hidden x "
                  "intermediate%s + 2 norms) + final norm" % (" x experts + router" if cfg.get("num_local_experts") else ""),
        "active_params": "as params with num_experts_per_tok experts per layer" if cfg.get("num_local_experts")
                         else "= params (dense)",
    }
    if cfg.get("sliding_window"):
        g["sliding_window"] = cfg["sliding_window"]
        src["sliding_window"] = "config.json sliding_window"
    moe = None
    if cfg.get("num_local_experts"):
        moe = {"experts": cfg["num_local_experts"], "experts_per_token": cfg.get("num_experts_per_tok"),
               "source": "config.json num_local_experts, num_experts_per_tok"}
    return {"config": path, "model_type": cfg.get("model_type"), "architecture": (cfg.get("architectures") or [None])[0],
            "geometry": g, "geometry_source": src, "moe": moe}


# ---- metrics ----------------------------------------------------------------------

def dist(d):
    if d is None:
        return None
    return {k: d[k] for k in KEEP if k in d}


def metrics_block(repo, rev, path):
    m = json.loads(show(repo, rev, path))
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
        "prompt_len": dist(s["prompt_len"]),
        "output_len_retokenized": dist(s["output_len"]),
    }


# ---- one run ------------------------------------------------------------------------

def import_run(repo, rev, folder, models):
    base = "default_args/" + folder
    files = ls(repo, rev, base)
    res = ls(repo, rev, base + "/results")
    exp = load_yaml(show(repo, rev, base + "/exp-config.yaml"))
    prof = load_yaml(show(repo, rev, base + "/profile.yaml"))
    resolved = load_yaml(show(repo, rev, base + "/results/config.yaml"))

    hf = exp["model"]
    cfg_dir = hf.split("/")[-1]
    if cfg_dir not in models:
        models[cfg_dir] = dict(model_entry(repo, rev, cfg_dir), hf_id=hf)

    engine = {
        "tensor_parallel_size": exp["tensor_parallelism"],
        "max_model_len": exp["max_model_len"],
        "max_num_batched_tokens": exp["max_num_batched_tokens"],
        "max_num_seqs": exp["max_num_seqs"],
        "source": base + "/exp-config.yaml",
        "defaults": {},
    }
    for k, (v, why) in VLLM_DEFAULTS.items():
        if k in exp:
            engine[k] = exp[k]
        else:
            engine["defaults"][k] = {"value": v, "source": why}

    sp_res = resolved["data"]["shared_prefix"]
    sp_prof = prof["data"]["shared_prefix"]
    load = resolved["load"]
    stages = []
    for k, st in enumerate(load["stages"]):
        stages.append({"stage": k, "rate": float(st["rate"]), "duration": float(st["duration"])})
    workload = {
        "generator": "inference-perf, data type %s, load type %s" % (resolved["data"]["type"], load["type"]),
        "arrival": load["type"],
        "stages": stages,
        "system_prompt_len": sp_res["system_prompt_len"],
        "question_len": sp_res["question_len"],
        "output_len": sp_res["output_len"],
        "num_groups": sp_res.get("num_groups"),
        "num_prompts_per_group": sp_res.get("num_prompts_per_group"),
        "ignore_eos": prof.get("server", {}).get("ignore_eos"),
        "streaming": prof.get("api", {}).get("streaming"),
        "api": prof.get("api", {}).get("type"),
        "source": base + "/results/config.yaml (resolved by inference-perf; ignore_eos, streaming from profile.yaml)",
        "profile_as_given": {
            "source": base + "/profile.yaml",
            "shared_prefix": sp_prof,
            "stages": prof["load"]["stages"],
        },
    }
    ignored = sorted(set(sp_prof) - set(k for k in sp_res if sp_res[k] is not None))
    if ignored:
        workload["profile_keys_not_in_resolved_config"] = ignored

    measured = {"stages": [], "summary": None}
    for k in range(len(stages)):
        name = "stage_%d_lifecycle_metrics.json" % k
        if name in res:
            measured["stages"].append(metrics_block(repo, rev, base + "/results/" + name))
    if "summary_lifecycle_metrics.json" in res:
        measured["summary"] = metrics_block(repo, rev, base + "/results/summary_lifecycle_metrics.json")

    m = re.match(r"^\d{8}-\d{6}-(.*)-tp\d+-([a-z]+)$", folder)
    return {
        "id": folder,
        "source": base,
        "files": [base + "/" + x for x in files] + [base + "/results/" + x for x in res],
        "profile": m.group(2) if m else None,
        "model": hf,
        "model_config": cfg_dir,
        "engine": engine,
        "workload": workload,
        "measured": measured,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repo", default=DEFAULT_REPO, help="git dir of inference-sim/training (%(default)s)")
    ap.add_argument("--rev", default="HEAD", help="revision to read (%(default)s)")
    ap.add_argument("--out", default=DEFAULT_OUT, help="fixture to write (%(default)s)")
    a = ap.parse_args()

    commit = git(a.repo, "rev-parse", a.rev).strip()
    date = git(a.repo, "log", "-1", "--format=%cI", commit).strip()
    models, runs = {}, []
    for folder in ls(a.repo, commit, "default_args"):
        runs.append(import_run(a.repo, commit, folder, models))
    licence = [p for p in ls(a.repo, commit, "") if re.match(r"(?i)^(licen[cs]e|copying)", p)]
    fixture = {
        "what": "public measurements of vLLM servers on H100 (inference-sim/training, default_args/), "
                "imported by scripts/import_vllm_runs.py",
        "source": {
            "repository": UPSTREAM,
            "commit": commit,
            "commit_date": date,
            "folder": "default_args",
            "licence": ("files: " + ", ".join(licence)) if licence else
                       "none stated: the repository has no LICENSE file and its README names no licence",
            "load_generator": "inference-perf (https://github.com/kubernetes-sigs/inference-perf)",
            "hardware": "H100 SXM (README.md and DESIGN.md of the repository)",
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
        "models": models,
        "runs": runs,
    }
    os.makedirs(os.path.dirname(a.out) or ".", exist_ok=True)
    with open(a.out, "w") as f:
        json.dump(fixture, f, indent=1, sort_keys=True)
        f.write("\n")
    print("import_vllm_runs.py: %d runs, %d models from %s@%s -> %s"
          % (len(runs), len(models), UPSTREAM, commit[:12], a.out))


if __name__ == "__main__":
    main()
