#!/usr/bin/env python3
"""A GPU kvsim cannot calibrate, scaled from one it did, by public
measurements of both under one method.

kvsim calibrates a preset with kvsim-calibrate on the GPU itself (the H100
preset: results/2026-11-22-h100-kernels and later). No A100 is lent here, so
the A100 preset held datasheet peaks. Vidur (microsoft/vidur, MIT licence)
publishes per-operator times of the same models' linear layers measured by
one profiler on both an A100 and an H100 (data/profiling/compute/{a100,h100}/
<model>/mlp.csv, milliseconds, by num_tokens and tensor-parallel degree).
The ratio A100 / H100 of the same operator at the same shape cancels what
the profiler adds to both (launch and timing overheads); kvsim's measured
H100 value times that ratio estimates the A100's:

  flops   = H100 preset flops x median ratio of the GEMM rates at >= 4,096
            tokens (compute-bound)
  hbm_bw  = H100 preset hbm_bw x median ratio of the weight-read rates at
            <= 8 tokens over weights of >= 64 MB (memory-bound)

Usage: cross_calibrate_vidur.py VIDUR_GIT_DIR [COMMIT] [--h100-flops F]
       [--h100-hbm-bw B]
(VIDUR_GIT_DIR: a clone, bare or not; COMMIT defaults to HEAD). Prints the
ratios, their quartiles, the counts behind them and the A100 values.
"""
import csv
import io
import statistics
import subprocess
import sys

MODELS = ["meta-llama/Llama-2-7b-hf", "meta-llama/Llama-2-70b-hf",
          "codellama/CodeLlama-34b-Instruct-hf"]
OPS = ["attn_pre_proj", "attn_post_proj", "mlp_up_proj", "mlp_down_proj"]
# kvsim's H100 preset (core/inputs/platform.c, "h100-sxm-80gb")
H100_FLOPS = 7.967e14
H100_HBM_BW = 3.27e12


def show(git_dir, commit, path):
    try:
        return subprocess.run(["git", "--git-dir", git_dir, "show", "%s:%s" % (commit, path)],
                              check=True, capture_output=True, text=True).stdout
    except subprocess.CalledProcessError as e:
        sys.exit("cross_calibrate_vidur: %s:%s: %s" % (commit, path, e.stderr.strip()))


def rates(text):
    """{(op, tp, tokens): (TFLOP/s, GB/s of weights, weight bytes)}"""
    out = {}
    for r in csv.DictReader(io.StringIO(text)):
        h, inter = int(r["n_embd"]), int(r["n_expanded_embd"])
        nh, nk = int(r["n_head"]), int(r["n_kv_head"])
        tp, t = int(r["num_tensor_parallel_workers"]), int(r["num_tokens"])
        d = h // nh
        kn = {"attn_pre_proj": (h, (nh + 2 * nk) * d // tp),
              "attn_post_proj": (nh * d // tp, h),
              "mlp_up_proj": (h, 2 * inter // tp),  # gated: gate and up
              "mlp_down_proj": (inter // tp, h)}
        for op in OPS:
            k, n = kn[op]
            s = float(r["time_stats.%s.median" % op]) * 1e-3
            out[(op, tp, t)] = (2.0 * t * k * n / s / 1e12, 2.0 * k * n / s / 1e9, 2.0 * k * n)
    return out


def quartiles(v):
    v = sorted(v)
    return v[len(v) // 4], statistics.median(v), v[(3 * len(v)) // 4]


def main():
    args, opts, argv = [], {}, sys.argv[1:]
    while argv:
        a = argv.pop(0)
        if a in ("--h100-flops", "--h100-hbm-bw"):
            if not argv:
                sys.exit("cross_calibrate_vidur: %s needs a value" % a)
            try:
                opts[a] = float(argv.pop(0))
            except ValueError as e:
                sys.exit("cross_calibrate_vidur: %s: %s" % (a, e))
        elif a.startswith("--"):
            sys.exit("cross_calibrate_vidur: unknown option %s\n%s" % (a, __doc__))
        else:
            args.append(a)
    if not args:
        sys.exit(__doc__)
    h100_flops = opts.get("--h100-flops", H100_FLOPS)
    h100_bw = opts.get("--h100-hbm-bw", H100_HBM_BW)
    git_dir, commit = args[0], (args[1] if len(args) > 1 else "HEAD")
    rev = subprocess.run(["git", "--git-dir", git_dir, "rev-parse", commit],
                         capture_output=True, text=True).stdout.strip()
    compute, memory = [], []
    for m in MODELS:
        a = rates(show(git_dir, commit, "data/profiling/compute/a100/%s/mlp.csv" % m))
        h = rates(show(git_dir, commit, "data/profiling/compute/h100/%s/mlp.csv" % m))
        for key, (ta, ga, wbytes) in a.items():
            if key not in h:
                continue
            th, gh, _ = h[key]
            if key[2] >= 4096:
                compute.append(ta / th)
            if key[2] <= 8 and wbytes >= 64e6:
                memory.append(ga / gh)
    if not compute or not memory:
        sys.exit("cross_calibrate_vidur: no matched shapes (compute %d, memory %d)"
                 % (len(compute), len(memory)))
    cq, mq = quartiles(compute), quartiles(memory)
    print("vidur %s (%s): %s" % (commit, rev, ", ".join(MODELS)))
    print("A100 / H100, same operator and shape: GEMM rate at >= 4096 tokens: median %.3f "
          "(quartiles %.3f-%.3f, %d shapes); weight read at <= 8 tokens, weights >= 64 MB: "
          "median %.3f (quartiles %.3f-%.3f, %d shapes)"
          % (cq[1], cq[0], cq[2], len(compute), mq[1], mq[0], mq[2], len(memory)))
    print("A100 flops  = %.4g x %.3f = %.4g FLOP/s (datasheet 312e12: %.0f %%)"
          % (h100_flops, cq[1], h100_flops * cq[1], 100 * h100_flops * cq[1] / 312e12))
    print("A100 hbm_bw = %.4g x %.3f = %.4g B/s (datasheet 2.039e12: %.0f %%)"
          % (h100_bw, mq[1], h100_bw * mq[1], 100 * h100_bw * mq[1] / 2.039e12))


if __name__ == "__main__":
    main()
