#!/usr/bin/env python3
"""One decoder layer of a Llama-like model in a decode step, as a serving
engine replays it from a CUDA graph: its GPU time against kvsim's roofline,
and how many kernels it runs (scripts/lab_decode_layer.py OUTDIR [--quick]
[--shapes validation|more|all] [--batch N,N,...] [--context N,N,...]).

Why: kvsim prices a step's forward pass at the roofline, max(FLOPs / peak,
bytes / HBM bandwidth), plus one kernel launch. A real decode step runs
some ten kernels per layer, each with a fixed cost the roofline leaves out
(its start within the graph, its ramp and tail). The vLLM validation's
default profile carries about 1.9 ms per step more than the GPU's roofline
on a 32-layer model, 2.8 ms on a 48-layer one and 4.7 ms on an 80-layer
one, fitted as CPU time; this lab measures what of it is the layers' own
GPU time.

A step: B sequences decode one token each, every one attending to C cached
tokens. A layer: RMSNorm, QKV projection, rotary embedding, the new key
and value written into the layer's cache, attention of each query to its
cache (grouped-query heads folded into the query length), output
projection, residual, RMSNorm, gate/up projection, SiLU x up, down
projection, residual; bf16, the per-GPU slice of tensor parallelism (no
all-reduce is run). The layers are compiled whole with torch.compile
(Inductor) and captured in a CUDA graph, as vLLM runs its decode steps.

Checked first: the compiled layer's output against the same layer in
float64 on the CPU (relative L2 error under 2e-2), on fresh random inputs.

Writes OUTDIR/decode_layer.csv (per layer: GPU time, kvsim's roofline, its
FLOP and byte terms, the excess, kernels and the excess per kernel),
OUTDIR/graph_nodes.csv (the GPU time per node of a graph of N tiny
kernels: the floor of a kernel's fixed cost) and OUTDIR/lab.txt.
--quick: the first shape at B 1 and 32, C 512.
"""
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lab_layer import (HEAD_DIM, VALIDATION_SHAPES, Cli, device_preset, graphed,  # noqa: E402
                       make_layer, open_lab, replay_time, rms, rope, slice_of)

# name, hidden, q heads, kv heads, intermediate, tp (the model, then its
# per-GPU slice is taken)
SHAPES = VALIDATION_SHAPES
MORE_SHAPES = [
    ("llama-3.1-8b tp1", 4096, 32, 8, 14336, 1),
    ("llama-3.1-8b tp2", 4096, 32, 8, 14336, 2),
    ("mistral-nemo-12b tp2", 5120, 32, 8, 14336, 2),
    ("qwen3-14b tp1", 5120, 40, 8, 17408, 1),
    ("llama-3.1-70b tp8", 8192, 64, 8, 28672, 8),
]
BATCH = [1, 8, 16, 32, 64, 128]
CONTEXT = [512, 1024]
LAYERS = 8  # distinct weights and caches per timed graph (past the L2)
# the roofline's rates: the preset of the GPU the lab runs on (main)
FLOPS, HBM_BW = None, None


def make_cache(b, c, hk, dev, dtype, gen):
    """A layer's key and value cache: (B, kv heads, C, head_dim) each, the
    last position left for the step's own key and value; drawn by gen on
    its device."""
    k = torch.randn(b, hk, c, HEAD_DIM, generator=gen, device=dev, dtype=torch.float32).to(dtype)
    v = torch.randn(b, hk, c, HEAD_DIM, generator=gen, device=dev, dtype=torch.float32).to(dtype)
    return k, v


def forward(x, cos, sin, kc, vc, wqkv, wo, wgu, wd, n1, n2, hq: int, hk: int):
    b = x.shape[0]
    c = kc.shape[2]
    h = rms(x, n1)
    qkv = h @ wqkv.t()
    q, k, v = qkv.split([hq * HEAD_DIM, hk * HEAD_DIM, hk * HEAD_DIM], -1)
    q = rope(q.view(b, hq, HEAD_DIM), cos, sin)
    k = rope(k.view(b, hk, HEAD_DIM), cos, sin)
    kc[:, :, c - 1].copy_(k)
    vc[:, :, c - 1].copy_(v.view(b, hk, HEAD_DIM))
    # the group of query heads that share a key head, as the query length
    g = hq // hk
    a = F.scaled_dot_product_attention(q.view(b, hk, g, HEAD_DIM), kc, vc)
    x = x + a.reshape(b, hq * HEAD_DIM) @ wo.t()
    gt, u = (rms(x, n2) @ wgu.t()).chunk(2, -1)
    return x + (F.silu(gt) * u) @ wd.t()


def layers_eager(x, cos, sin, layers, caches, hq: int, hk: int):
    for L, (kc, vc) in zip(layers, caches):
        x = forward(x, cos, sin, kc, vc, *L, hq, hk)
    return x


# one graph per slice and list length: raise the recompilation limits, so
# that no shape falls back to eager
for _k in ("cache_size_limit", "recompile_limit", "accumulated_cache_size_limit",
           "accumulated_recompile_limit"):
    if hasattr(torch._dynamo.config, _k):
        setattr(torch._dynamo.config, _k, 1024)
layers_compiled = torch.compile(layers_eager, dynamic=True)


def rope_tables(b, c, dev, dtype):
    """Each sequence's new token sits at position C - 1."""
    pos = torch.full((b, 1), float(c - 1), device=dev)
    inv = 10000.0 ** (-torch.arange(0, HEAD_DIM // 2, device=dev, dtype=torch.float32) * 2 / HEAD_DIM)
    ang = (pos * inv)[:, None, :]
    return ang.cos().to(dtype), ang.sin().to(dtype)


def roofline(hidden, hq, hk, inter, b, c):
    """kvsim's roofline for the layer's slice in a decode step: GEMM and
    attention FLOPs at FLOPS against the weights and the KV read at
    HBM_BW. Returns (time, flop time, byte time)."""
    params = hidden * (hq + 2 * hk) * HEAD_DIM + hidden * hq * HEAD_DIM + 3 * hidden * inter
    flops = 2.0 * params * b + 4.0 * hq * HEAD_DIM * c * b
    byts = 2.0 * params + 2.0 * 2.0 * hk * HEAD_DIM * c * b
    return max(flops / FLOPS, byts / HBM_BW), flops / FLOPS, byts / HBM_BW


def check(L, hidden, hq, hk, dev):
    gen = torch.Generator().manual_seed(7)
    b, c = 4, 48
    x = torch.randn(b, hidden, generator=gen).to(dev, torch.bfloat16)
    cos, sin = rope_tables(b, c, dev, torch.bfloat16)
    kc, vc = make_cache(b, c, hk, "cpu", torch.bfloat16, gen)
    kc, vc = kc.to(dev), vc.to(dev)
    ref_k, ref_v = kc.double().cpu(), vc.double().cpu()
    ref = forward(x.double().cpu(), cos.double().cpu(), sin.double().cpu(), ref_k, ref_v,
                  *(t.to("cpu", torch.float64) for t in L), hq, hk)
    out = torch.full_like(x, float("nan"))
    out.copy_(layers_compiled(x, cos, sin, [L], [(kc, vc)], hq, hk))
    torch.cuda.synchronize()
    assert not torch.isnan(out).any(), "NaN in the compiled layer's output"
    err = ((out.double().cpu() - ref).norm() / ref.norm()).item()
    assert err < 2e-2, "compiled layer: relative L2 error %.3g" % err
    kerr = ((kc[:, :, c - 1].double().cpu() - ref_k[:, :, c - 1]).norm() / ref_k[:, :, c - 1].norm()).item()
    assert kerr < 2e-2, "compiled layer: the cached key's relative L2 error %.3g" % kerr
    return max(err, kerr)


def kernels_of(f):
    """Kernels one call of f launches on the GPU (the profiler's count)."""
    from torch.profiler import ProfilerActivity, profile
    torch.cuda.synchronize()
    with profile(activities=[ProfilerActivity.CUDA]) as prof:
        f()
        torch.cuda.synchronize()
    n = 0
    for e in prof.events():
        if e.device_type == torch.autograd.DeviceType.CUDA and "memcpy" not in e.name.lower() \
                and "memset" not in e.name.lower():
            n += 1
    return n


def graph_nodes(dev, say):
    """GPU time per node of a graph of N one-element kernels."""
    rows = []
    t = torch.zeros(1, device=dev)
    for n in (100, 1000):
        g = graphed(lambda: [t.add_(1.0) for _ in range(n)])
        s = replay_time(g, 9)
        rows.append((n, s, s / n))
        say("graph of %d tiny kernels: %.1f us, %.2f us per kernel" % (n, s * 1e6, s / n * 1e6))
    return rows


def main():
    cli = Cli("lab_decode_layer.py")
    out, quick = cli.out, cli.flag("--quick")
    which = cli.value("--shapes", "validation")
    if which not in ("validation", "more", "all"):
        cli.fail("--shapes is validation, more or all, not '%s'" % which)
    batches = cli.ints("--batch", BATCH)
    contexts = cli.ints("--context", CONTEXT)
    if min(contexts) < 2:
        cli.fail("--context must be at least 2")
    say = open_lab(out)

    dev = "cuda"
    global FLOPS, HBM_BW
    _, FLOPS, HBM_BW = device_preset(say)
    with open(os.path.join(out, "graph_nodes.csv"), "w") as f:
        f.write("nodes,gpu_s,per_node_s\n")
        for r in graph_nodes(dev, say):
            f.write("%d,%.6e,%.6e\n" % r)
    shapes = {"validation": SHAPES, "more": MORE_SHAPES, "all": SHAPES + MORE_SHAPES}[which]
    if quick:
        shapes, batches, contexts = shapes[:1], [1, 32], [512]
    csv = open(os.path.join(out, "decode_layer.csv"), "w")
    csv.write("shape,batch,context,gpu_s,roofline_s,roofline_flops_s,roofline_bytes_s,excess_s,"
              "kernels,excess_per_kernel_s\n")
    cgen = torch.Generator(device=dev).manual_seed(2)
    for name, hidden, hq, hk, inter, tp in shapes:
        hidden, hq, hk, inter = slice_of(hidden, hq, hk, inter, tp)
        gen = torch.Generator().manual_seed(1)
        layers = [make_layer(hidden, hq, hk, inter, dev, torch.bfloat16, gen) for _ in range(LAYERS)]
        worst = check(layers[0], hidden, hq, hk, dev)
        say("%s: heads %d/%d, hidden %d, intermediate %d per GPU; checked against float64 on the CPU, "
            "worst relative L2 error %.2g" % (name, hq, hk, hidden, inter, worst))
        for c in contexts:
            for b in batches:
                caches = [make_cache(b, c, hk, dev, torch.bfloat16, cgen) for _ in range(LAYERS)]
                x = torch.randn(b, hidden, device=dev, dtype=torch.bfloat16)
                cos, sin = rope_tables(b, c, dev, torch.bfloat16)

                def step():
                    return layers_compiled(x, cos, sin, layers, caches, hq, hk)
                for _ in range(3):  # compilation, autotuning, the allocator
                    step()
                torch.cuda.synchronize()
                kern = kernels_of(step) / LAYERS
                g = graphed(step)
                t = replay_time(g, 9) / LAYERS
                r, rf, rb = roofline(hidden, hq, hk, inter, b, c)
                csv.write("%s,%d,%d,%.6e,%.6e,%.6e,%.6e,%.6e,%.2f,%.6e\n"
                          % (name, b, c, t, r, rf, rb, t - r, kern, (t - r) / kern))
                csv.flush()
                say("  B %3d, C %4d: GPU %7.1f us/layer, roofline %7.1f (flops %6.1f, bytes %6.1f), "
                    "excess %6.1f us over %.1f kernels: %.2f us per kernel"
                    % (b, c, t * 1e6, r * 1e6, rf * 1e6, rb * 1e6, (t - r) * 1e6, kern,
                       (t - r) / kern * 1e6))
                g = caches = None  # freed before the next point
                torch.cuda.empty_cache()
        layers = None
        torch.cuda.empty_cache()
    csv.close()
    say("written: %s/decode_layer.csv, graph_nodes.csv, lab.txt" % out)


if __name__ == "__main__":
    main()
