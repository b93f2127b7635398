#!/usr/bin/env python3
"""One decoder layer of a Llama-like model, as a serving engine runs a step
too large for its CUDA graphs: what the host spends launching it and what
the GPU spends running it (scripts/lab_eager_layer.py OUTDIR [--quick]
[--shapes validation|more] [--tokens N,N,...]).

Why: kvsim prices a vLLM step larger than its biggest CUDA graph as
max(GPU time, layers x eager_per_layer), and eager_per_layer is fitted
(0.74 ms in the default profile). This lab measures the two sides of that
max for one layer's per-GPU slice (tensor parallelism splits heads and the
MLP; no all-reduce is run): the GPU time of the layer's kernels (captured
in a CUDA graph, so no launch gaps), and the host time to launch them one
by one, in PyTorch eager and through torch.compile (Inductor, no CUDA
graphs, the layers compiled whole: vLLM's path for such steps). A layer: RMSNorm, QKV projection,
rotary embedding, causal attention (scaled_dot_product_attention, GQA),
output projection, residual, RMSNorm, gate/up projection, SiLU x up, down
projection, residual; bf16.

Checked first: each variant's output against the same layer in float64 on
the CPU (relative L2 error under 2e-2), on fresh random inputs.

Writes OUTDIR/eager_layer.csv (seconds per layer: GPU time, host launch
time and the wall time of an unsynchronised run of LAYERS layers, each
eager and compiled, and kvsim's roofline for the layer) and OUTDIR/lab.txt.
--quick: the first shape at 1 and 787 tokens. --shapes more: the per-GPU
slices of other models (Llama-3.1-8B and Qwen3-14B at TP 1, Qwen2.5-32B at
TP 2, Llama-3.1-70B at TP 8) instead of the vLLM validation's three;
--tokens: the token counts (default 1, 64, 256, 512, 787, 1,024, 2,048).
"""
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lab_layer import (HEAD_DIM, VALIDATION_SHAPES, Cli, device_preset, graphed,  # noqa: E402
                       make_layer, open_lab, replay_time, rms, rope, slice_of)

# name, hidden, q heads, kv heads, intermediate, tp (the per-GPU slice)
MORE_SHAPES = [
    ("llama-3.1-8b tp1", 4096, 32, 8, 14336, 1),
    ("qwen3-14b tp1", 5120, 40, 8, 17408, 1),
    ("qwen2.5-32b tp2", 5120, 40, 8, 27648, 2),
    ("llama-3.1-70b tp8", 8192, 64, 8, 28672, 8),
]
SHAPES = VALIDATION_SHAPES
TOKENS = [1, 64, 256, 512, 787, 1024, 2048]
LAYERS = 8          # distinct weights per timed run (past the L2)
# the roofline's rates: the preset of the GPU the lab runs on (main)
FLOPS, HBM_BW = None, None


def layer_to(L, dev, dtype):
    return tuple(t.to(dev, dtype) for t in L)


def forward(x, cos, sin, wqkv, wo, wgu, wd, n1, n2, hq: int, hk: int):
    t = x.shape[0]
    h = rms(x, n1)
    qkv = h @ wqkv.t()
    q, k, v = qkv.split([hq * HEAD_DIM, hk * HEAD_DIM, hk * HEAD_DIM], -1)
    q = rope(q.view(t, hq, HEAD_DIM), cos, sin).transpose(0, 1)
    k = rope(k.view(t, hk, HEAD_DIM), cos, sin).transpose(0, 1)
    v = v.view(t, hk, HEAD_DIM).transpose(0, 1)
    a = F.scaled_dot_product_attention(q.unsqueeze(0), k.unsqueeze(0), v.unsqueeze(0),
                                       is_causal=t > 1, enable_gqa=hq != hk)
    x = x + a.squeeze(0).transpose(0, 1).reshape(t, hq * HEAD_DIM) @ wo.t()
    g, u = (rms(x, n2) @ wgu.t()).chunk(2, -1)
    return x + (F.silu(g) * u) @ wd.t()


def layers_eager(x, cos, sin, layers, hq: int, hk: int):
    for L in layers:
        x = forward(x, cos, sin, *L, hq, hk)
    return x


# the same loop through torch.compile (Inductor, no CUDA graphs), compiled
# whole as vLLM compiles a model's forward: the guards are checked once per
# call, not per layer
layers_compiled = torch.compile(layers_eager, dynamic=True)


def run(f, layers, x, cos, sin, hq, hk):
    return f(x, cos, sin, layers, hq, hk)


def rope_tables(t, dev, dtype):
    pos = torch.arange(t, device=dev, dtype=torch.float32)[:, None]
    inv = 10000.0 ** (-torch.arange(0, HEAD_DIM // 2, device=dev, dtype=torch.float32) * 2 / HEAD_DIM)
    ang = (pos * inv)[:, None, :]
    return ang.cos().to(dtype), ang.sin().to(dtype)


def roofline(hidden, hq, hk, inter, t):
    """kvsim's roofline for the layer's slice: GEMM FLOPs at FLOPS against
    weight bytes at HBM_BW (attention by its FLOPs)."""
    params = hidden * (hq + 2 * hk) * HEAD_DIM + hidden * hq * HEAD_DIM + 3 * hidden * inter
    flops = 2.0 * params * t + 4.0 * hq * HEAD_DIM * t * (t + 1) / 2
    return max(flops / FLOPS, 2.0 * params / HBM_BW)


def check(L, hidden, hq, hk, dev):
    gen = torch.Generator().manual_seed(7)
    t = 40
    x = torch.randn(t, hidden, generator=gen).to(dev, torch.bfloat16)
    cos, sin = rope_tables(t, dev, torch.bfloat16)
    ref = forward(x.double().cpu(), cos.double().cpu(), sin.double().cpu(),
                  *layer_to(L, "cpu", torch.float64), hq, hk)
    worst = 0.0
    for name, f in (("eager", layers_eager), ("compiled", layers_compiled)):
        out = torch.full_like(x, float("nan"))
        out.copy_(f(x, cos, sin, [L], hq, hk))
        torch.cuda.synchronize()
        assert not torch.isnan(out).any(), name + ": NaN in the output"
        err = ((out.double().cpu() - ref).norm() / ref.norm()).item()
        assert err < 2e-2, "%s: relative L2 error %.3g" % (name, err)
        worst = max(worst, err)
    return worst


def gpu_time(f, layers, x, cos, sin, hq, hk):
    """GPU time per layer: LAYERS layers captured in one CUDA graph, the
    median of 7 replays."""
    return replay_time(graphed(lambda: run(f, layers, x, cos, sin, hq, hk)), 7) / len(layers)


def host_time(f, layers, x, cos, sin, hq, hk):
    """Host time per layer to launch LAYERS layers (no synchronisation
    inside; the GPU queue is drained first), and the wall time per layer of
    the same run once synchronised: medians of 7."""
    hs, ws = [], []
    for _ in range(7):
        torch.cuda.synchronize()
        t0 = time.perf_counter()
        run(f, layers, x, cos, sin, hq, hk)
        t1 = time.perf_counter()
        torch.cuda.synchronize()
        t2 = time.perf_counter()
        hs.append((t1 - t0) / len(layers))
        ws.append((t2 - t0) / len(layers))
    hs.sort()
    ws.sort()
    return hs[3], ws[3]


def main():
    cli = Cli("lab_eager_layer.py")
    out, quick = cli.out, cli.flag("--quick")
    which = cli.value("--shapes", "validation")
    if which not in ("validation", "more"):
        cli.fail("--shapes is validation or more, not '%s'" % which)
    token_list = cli.ints("--tokens", TOKENS)
    say = open_lab(out)

    dev = "cuda"
    global FLOPS, HBM_BW
    _, FLOPS, HBM_BW = device_preset(say)
    rows = []
    all_shapes = MORE_SHAPES if which == "more" else SHAPES
    shapes = all_shapes[:1] if quick else all_shapes
    tokens = [1, 787] if quick else token_list
    for name, hidden, hq, hk, inter, tp in shapes:
        hidden, hq, hk, inter = slice_of(hidden, hq, hk, inter, tp)
        gen = torch.Generator().manual_seed(1)
        layers = [make_layer(hidden, hq, hk, inter, dev, torch.bfloat16, gen) for _ in range(LAYERS)]
        worst = check(layers[0], hidden, hq, hk, dev)
        say("%s: heads %d/%d, hidden %d, intermediate %d per GPU; checked against float64 on the CPU, "
            "worst relative L2 error %.2g" % (name, hq, hk, hidden, inter, worst))
        for t in tokens:
            x = torch.randn(t, hidden, device=dev, dtype=torch.bfloat16)
            cos, sin = rope_tables(t, dev, torch.bfloat16)
            for f in (layers_eager, layers_compiled):  # warm-up: compilation, autotuning, allocator
                for _ in range(3):
                    run(f, layers, x, cos, sin, hq, hk)
            torch.cuda.synchronize()
            ge = gpu_time(layers_eager, layers, x, cos, sin, hq, hk)
            try:
                gc = gpu_time(layers_compiled, layers, x, cos, sin, hq, hk)
            except Exception as e:  # a compiled graph that cannot be captured
                say("  %d tokens: compiled layers not capturable: %s" % (t, str(e).splitlines()[0][:120]))
                gc = float("nan")
            he, we = host_time(layers_eager, layers, x, cos, sin, hq, hk)
            hc, wc = host_time(layers_compiled, layers, x, cos, sin, hq, hk)
            r = roofline(hidden, hq, hk, inter, t)
            rows.append((name, t, ge, gc, he, we, hc, wc, r))
            say("  %5d tokens: GPU eager %7.1f, compiled %7.1f us/layer (roofline %7.1f); host eager %6.1f, "
                "compiled %6.1f us/layer; wall eager %7.1f, compiled %7.1f us/layer"
                % (t, ge * 1e6, gc * 1e6, r * 1e6, he * 1e6, hc * 1e6, we * 1e6, wc * 1e6))
        del layers
        torch.cuda.empty_cache()
    with open(os.path.join(out, "eager_layer.csv"), "w") as f:
        f.write("shape,tokens,gpu_eager_s,gpu_compiled_s,host_eager_s,wall_eager_s,host_compiled_s,"
                "wall_compiled_s,roofline_s\n")
        for r in rows:
            f.write("%s,%d,%.6e,%.6e,%.6e,%.6e,%.6e,%.6e,%.6e\n" % r)
    say("written: %s/eager_layer.csv, lab.txt" % out)


if __name__ == "__main__":
    main()
