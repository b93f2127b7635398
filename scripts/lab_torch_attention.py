#!/usr/bin/env python3
"""Decode and prefill attention as a serving engine's vendor kernels run it.

kvsim's own attention kernels (kernels/attention.cu) answer vAttention's
question (what an addressing mode costs); what a vLLM server's step costs
depends on the FlashAttention kernels it runs. This lab times those kernels
through PyTorch on the GPU at hand, for the per-GPU head shapes of the
models kvsim is validated against, and writes the rows of a compute table
(docs/cost_model.md, "Operator-level compute").

Backends timed (each where this PyTorch has it; a missing one is named):
  fa2_varlen   torch.ops.aten._flash_attention_forward with cumulative
               sequence lengths: FlashAttention 2, one query per request,
               every request's keys packed (the layout of a varlen call)
  sdpa_flash / sdpa_cudnn / sdpa_efficient
               scaled_dot_product_attention(enable_gqa=True) on padded
               [batch, heads, 1, d] x [batch, kv_heads, context, d]

Every backend is checked first against a float64 CPU reference on small
shapes (worst relative error over the outputs, tolerance 2e-2 for bf16);
a backend that fails its check is not timed. Times are CUDA-event medians
of REPS replays of a CUDA graph of CALLS calls after WARMUP (GPU time, as
in a graphed decode step), each call on the next of enough copies of the
KV cache that together exceed the L2 cache (as a model's layers do).

Usage (on the device): python3 scripts/lab_torch_attention.py OUTDIR [--quick]
Writes OUTDIR/attention_lab.csv (every measurement), OUTDIR/compute_table_attn.csv
(decode and prefill rows of TABLE_BACKEND, else of fa2_varlen, in the
compute-table format) and prints a summary.
"""
import itertools
import math
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F

HEAD_DIM = 128
# (q_heads, kv_heads) of one GPU, and where they come from
HEADS = [
    (32, 32, "Llama-2-7B tp 1 (MHA)"),
    (32, 8, "Llama-3.1-8B tp 1"),
    (40, 8, "Qwen3-14B tp 1"),
    (16, 16, "Llama-2-7B tp 2 (MHA)"),
    (32, 4, "CodeLlama-34B tp 2"),
    (20, 4, "Qwen3-14B tp 2"),
    (16, 4, "Mixtral-8x7B tp 2"),
    (16, 2, "Llama-2-70B tp 4"),
    (10, 2, "Llama-4-Scout tp 4"),
    (8, 1, "Llama-2-70B tp 8"),
    (6, 1, "Mixtral-8x22B tp 8"),
]
BATCHES = [1, 8, 32, 64, 128, 256]
CONTEXTS = [256, 512, 1024, 2048, 4096, 8192]
PREFILL = [128, 256, 512, 1024, 2048, 4096]
WARMUP, REPS, CALLS = 3, 7, 20
L2_BYTES = 256 << 20  # rotate KV copies until they exceed this (H100: 50 MB L2)
MAX_KV_BYTES = 24 << 30  # skip a shape whose one copy would exceed this
# the backend whose decode rows make the compute table: cuDNN's fused
# attention, the fastest here and like vLLM's FlashAttention 3 a Hopper kernel
TABLE_BACKEND = "sdpa_cudnn"


def fa2_available():
    return hasattr(torch.ops.aten, "_flash_attention_forward")


def fa2_varlen(q, k, v, cu_q, cu_k, max_q, max_k, causal):
    out = torch.ops.aten._flash_attention_forward(
        q, k, v, cu_q, cu_k, max_q, max_k, 0.0, causal, False)
    return out[0]


def sdpa(backend, causal=False):
    """scaled_dot_product_attention on that backend alone, GQA enabled:
    run(q, k, v) on [batch, heads, tokens, d]."""
    from torch.nn.attention import SDPBackend, sdpa_kernel
    b = {"sdpa_flash": SDPBackend.FLASH_ATTENTION,
         "sdpa_cudnn": SDPBackend.CUDNN_ATTENTION,
         "sdpa_efficient": SDPBackend.EFFICIENT_ATTENTION}[backend]

    def run(q, k, v):
        with sdpa_kernel([b]):
            return F.scaled_dot_product_attention(q, k, v, is_causal=causal, enable_gqa=True)
    return run


def reference(q, k, v, causal):
    """float64 attention of one request: q [sq, hq, d], k/v [sk, hk, d]."""
    q, k, v = q.double().cpu(), k.double().cpu(), v.double().cpu()
    g = q.shape[1] // k.shape[1]
    k = k.repeat_interleave(g, dim=1)
    v = v.repeat_interleave(g, dim=1)
    s = torch.einsum("qhd,khd->hqk", q, k) / math.sqrt(q.shape[2])
    if causal:
        sq, sk = q.shape[0], k.shape[0]
        mask = torch.ones(sq, sk, dtype=torch.bool).tril(sk - sq)
        s = s.masked_fill(~mask, float("-inf"))
    return torch.einsum("hqk,khd->qhd", s.softmax(-1), v)


def rel_err(a, b):
    return ((a.double().cpu() - b).norm() / b.norm()).item()


def check(backends):
    """Small shapes against the CPU; returns {backend: worst error or msg}."""
    torch.manual_seed(0)
    dev = "cuda"
    res = {}
    for name in backends:
        worst = 0.0
        try:
            for hq, hk, _ in HEADS[:6:2]:
                ctx = [37, 300, 129, 1024]
                if name == "fa2_varlen":
                    k = torch.randn(sum(ctx), hk, HEAD_DIM, device=dev, dtype=torch.bfloat16)
                    v = torch.randn_like(k)
                    q = torch.randn(len(ctx), hq, HEAD_DIM, device=dev, dtype=torch.bfloat16)
                    cu_k = torch.tensor([0] + list(itertools.accumulate(ctx)),
                                        device=dev, dtype=torch.int32)
                    cu_q = torch.arange(len(ctx) + 1, device=dev, dtype=torch.int32)
                    o = fa2_varlen(q, k, v, cu_q, cu_k, 1, max(ctx), False)
                    for i, c in enumerate(ctx):
                        s = int(cu_k[i])
                        ref = reference(q[i:i + 1], k[s:s + c], v[s:s + c], False)
                        worst = max(worst, rel_err(o[i:i + 1], ref))
                    # causal prefill of one request of 300 tokens
                    n = 300
                    kq = torch.randn(n, hk, HEAD_DIM, device=dev, dtype=torch.bfloat16)
                    vq = torch.randn_like(kq)
                    qq = torch.randn(n, hq, HEAD_DIM, device=dev, dtype=torch.bfloat16)
                    cu = torch.tensor([0, n], device=dev, dtype=torch.int32)
                    o = fa2_varlen(qq, kq, vq, cu, cu, n, n, True)
                    worst = max(worst, rel_err(o, reference(qq, kq, vq, True)))
                else:
                    c = 300
                    q = torch.randn(3, hq, 1, HEAD_DIM, device=dev, dtype=torch.bfloat16)
                    k = torch.randn(3, hk, c, HEAD_DIM, device=dev, dtype=torch.bfloat16)
                    v = torch.randn_like(k)
                    o = sdpa(name)(q, k, v)
                    for i in range(3):
                        ref = reference(q[i].transpose(0, 1), k[i].transpose(0, 1),
                                        v[i].transpose(0, 1), False)
                        worst = max(worst, rel_err(o[i].transpose(0, 1), ref))
                    # causal prefill of one request of 300 tokens
                    qq = torch.randn(1, hq, c, HEAD_DIM, device=dev, dtype=torch.bfloat16)
                    kq = torch.randn(1, hk, c, HEAD_DIM, device=dev, dtype=torch.bfloat16)
                    vq = torch.randn_like(kq)
                    o = sdpa(name, causal=True)(qq, kq, vq)
                    ref = reference(qq[0].transpose(0, 1), kq[0].transpose(0, 1),
                                    vq[0].transpose(0, 1), True)
                    worst = max(worst, rel_err(o[0].transpose(0, 1), ref))
            res[name] = worst
        except Exception as e:  # a backend this PyTorch or GPU lacks
            res[name] = "unavailable: %s" % str(e).splitlines()[0][:160]
    return res


def time_calls(fn, n_copies):
    """Seconds per call, GPU time only: CALLS calls (rotating n_copies inputs)
    captured in one CUDA graph, replayed REPS times, the median replay over
    CALLS (a decode step runs its attention inside a graph in vLLM; timing
    eager calls one by one would count the host's launch gap). Where the
    backend cannot be captured: CALLS eager calls back to back between two
    events (the host may then be the bound); the method is returned."""
    s = torch.cuda.Stream()
    s.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(s):
        for i in range(WARMUP):
            fn(i % n_copies)
    torch.cuda.current_stream().wait_stream(s)
    torch.cuda.synchronize()
    method = "graph"
    try:
        g = torch.cuda.CUDAGraph()
        with torch.cuda.graph(g):
            for i in range(CALLS):
                fn(i % n_copies)
        run = g.replay
        run()
    except Exception:
        method = "eager"
        torch.cuda.synchronize()

        def run():
            for i in range(CALLS):
                fn(i % n_copies)
    torch.cuda.synchronize()
    times = []
    for _ in range(REPS):
        a = torch.cuda.Event(enable_timing=True)
        b = torch.cuda.Event(enable_timing=True)
        a.record()
        run()
        b.record()
        b.synchronize()
        times.append(a.elapsed_time(b) / 1e3 / CALLS)
    return statistics.median(times), method


def decode_case(name, hq, hk, batch, ctx, spread):
    """One layer's decode: batch requests of mean context ctx (spread: the
    contexts uniform in [ctx (1 - spread), ctx (1 + spread)], same total)."""
    dev = "cuda"
    g = torch.Generator().manual_seed(batch * 7919 + ctx)
    if spread > 0:
        lo, hi = int(ctx * (1 - spread)), int(ctx * (1 + spread))
        ctxs = torch.randint(lo, hi + 1, (batch,), generator=g).tolist()
    else:
        ctxs = [ctx] * batch
    total = sum(ctxs)
    kv_bytes = 2 * total * hk * HEAD_DIM * 2
    if kv_bytes > MAX_KV_BYTES:
        return None
    n_copies = max(1, math.ceil(L2_BYTES / kv_bytes))
    if name == "fa2_varlen":
        ks = [torch.randn(total, hk, HEAD_DIM, device=dev, dtype=torch.bfloat16)
              for _ in range(n_copies)]
        vs = [torch.randn_like(x) for x in ks]
        q = torch.randn(batch, hq, HEAD_DIM, device=dev, dtype=torch.bfloat16)
        cu_k = torch.tensor([0] + list(itertools.accumulate(ctxs)),
                            device=dev, dtype=torch.int32)
        cu_q = torch.arange(batch + 1, device=dev, dtype=torch.int32)
        mk = max(ctxs)
        fn = lambda i: fa2_varlen(q, ks[i], vs[i], cu_q, cu_k, 1, mk, False)
    else:
        if spread > 0:
            return None  # padded layouts time the longest request for all
        ks = [torch.randn(batch, hk, ctx, HEAD_DIM, device=dev, dtype=torch.bfloat16)
              for _ in range(n_copies)]
        vs = [torch.randn_like(x) for x in ks]
        q = torch.randn(batch, hq, 1, HEAD_DIM, device=dev, dtype=torch.bfloat16)
        run = sdpa(name)
        fn = lambda i: run(q, ks[i], vs[i])
    t, method = time_calls(fn, n_copies)
    del ks, vs
    return t, kv_bytes, method


def prefill_case(name, hq, hk, n):
    """One request's causal prefill of n tokens from empty."""
    dev = "cuda"
    kv_bytes = 2 * n * hk * HEAD_DIM * 2
    n_copies = max(1, math.ceil(L2_BYTES / (kv_bytes + n * hq * HEAD_DIM * 2)))
    qs = [torch.randn(n, hq, HEAD_DIM, device=dev, dtype=torch.bfloat16) for _ in range(n_copies)]
    ks = [torch.randn(n, hk, HEAD_DIM, device=dev, dtype=torch.bfloat16) for _ in range(n_copies)]
    vs = [torch.randn_like(x) for x in ks]
    if name == "fa2_varlen":
        cu = torch.tensor([0, n], device=dev, dtype=torch.int32)
        return time_calls(lambda i: fa2_varlen(qs[i], ks[i], vs[i], cu, cu, n, n, True),
                          n_copies)
    qs = [x.transpose(0, 1).unsqueeze(0) for x in qs]  # [1, heads, n, d] views
    ks = [x.transpose(0, 1).unsqueeze(0) for x in ks]
    vs = [x.transpose(0, 1).unsqueeze(0) for x in vs]
    run = sdpa(name, causal=True)
    return time_calls(lambda i: run(qs[i], ks[i], vs[i]), n_copies)


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: lab_torch_attention.py OUTDIR [--quick]")
    out = sys.argv[1]
    quick = "--quick" in sys.argv[2:]
    global BATCHES, CONTEXTS, HEADS
    if quick:
        BATCHES, CONTEXTS, HEADS = [8, 128], [512, 2048], HEADS[:1] + HEADS[4:5]
    if not torch.cuda.is_available():
        sys.exit("lab_torch_attention: no CUDA device")
    os.makedirs(out, exist_ok=True)
    p = torch.cuda.get_device_properties(0)
    print("device: %s, %d SMs, torch %s, CUDA %s, cuDNN %s" % (
        p.name, p.multi_processor_count, torch.__version__, torch.version.cuda,
        torch.backends.cudnn.version()))
    backends = (["fa2_varlen"] if fa2_available() else []) + [
        "sdpa_flash", "sdpa_cudnn", "sdpa_efficient"]
    checks = check(backends)
    ok = []
    for b, r in checks.items():
        if isinstance(r, float):
            good = r < 2e-2
            print("check %s: worst relative L2 error %.2e against float64 (tolerance 2e-2): %s"
                  % (b, r, "ok" if good else "FAILED, not timed"))
            if good:
                ok.append(b)
        else:
            print("check %s: %s" % (b, r))
    if not fa2_available():
        print("fa2_varlen: torch.ops.aten._flash_attention_forward is absent in this PyTorch")
    t0 = time.time()
    rows = []
    for hq, hk, why in HEADS:
        for name in ok:
            for spread in ([0.0, 0.4] if name == "fa2_varlen" else [0.0]):
                for batch in BATCHES:
                    for ctx in CONTEXTS:
                        try:
                            r = decode_case(name, hq, hk, batch, ctx, spread)
                        except Exception as e:
                            print("decode %s %d/%d b%d c%d: %s" % (name, hq, hk, batch, ctx,
                                                                  str(e).splitlines()[0][:120]))
                            r = None
                        if r is None:
                            continue
                        t, nb, meth = r
                        rows.append(("decode", name, hq, hk, batch, ctx, spread, t, nb / t / 1e9, meth))
        for name in [b for b in ("fa2_varlen", "sdpa_flash", "sdpa_cudnn") if b in ok]:
            for n in PREFILL:
                try:
                    t, meth = prefill_case(name, hq, hk, n)
                except Exception as e:
                    print("prefill %s %d/%d n%d: %s" % (name, hq, hk, n, str(e).splitlines()[0][:120]))
                    continue
                flops = 4.0 * hq * HEAD_DIM * n * (n + 1) / 2
                rows.append(("prefill", name, hq, hk, 1, n, 0.0, t, flops / t / 1e12, meth))
        torch.cuda.empty_cache()
        print("heads %d/%d (%s) done, %.0f s" % (hq, hk, why, time.time() - t0), flush=True)
    with open(os.path.join(out, "attention_lab.csv"), "w") as f:
        f.write("phase,backend,q_heads,kv_heads,batch,context,spread,seconds,rate,method\n")
        for r in rows:
            f.write("%s,%s,%d,%d,%d,%d,%g,%.6e,%.1f,%s\n" % r)
    # the table's backend per phase: TABLE_BACKEND where it ran, else FA2
    table_backend = {}
    for ph in ("decode", "prefill"):
        have = {r[1] for r in rows if r[0] == ph}
        table_backend[ph] = TABLE_BACKEND if TABLE_BACKEND in have else "fa2_varlen"
    with open(os.path.join(out, "compute_table_attn.csv"), "w") as f:
        f.write("# decode: %s, prefill: %s, through PyTorch %s on %s; GPU time in CUDA "
                "graphs; scripts/lab_torch_attention.py\n"
                % (table_backend["decode"], table_backend["prefill"], torch.__version__, p.name))
        f.write("kind,mode,block,m,n,k,batch,context,q_heads,kv_heads,head_dim,seconds\n")
        for ph, b, hq, hk, batch, ctx, spread, t, _, _ in rows:
            if spread == 0.0 and b == table_backend[ph]:
                f.write("attn_%s,contig,0,0,0,0,%d,%d,%d,%d,%d,%.6e\n"
                        % (ph, batch, ctx, hq, hk, HEAD_DIM, t))
    # summary: decode bandwidth per backend and heads at the larger shapes
    print("\ndecode: KV bytes / time, GB/s (spread 0 unless named)")
    print("%-14s %-8s %s" % ("backend", "heads", " ".join("b%d/c%d" % (b, c)
          for b in (32, 128) for c in (512, 2048))))
    for name in ok:
        for hq, hk, _ in HEADS:
            for spread in ([0.0, 0.4] if name == "fa2_varlen" else [0.0]):
                cells = []
                for b in (32, 128):
                    for c in (512, 2048):
                        m = [r[8] for r in rows if r[0] == "decode" and r[1] == name and r[2] == hq
                             and r[3] == hk and r[4] == b and r[5] == c and r[6] == spread]
                        cells.append("%8.0f" % m[0] if m else "%8s" % "-")
                print("%-14s %-8s %s" % (name + ("~" if spread else ""), "%d/%d" % (hq, hk),
                                         " ".join(cells)))
    print("\nwritten: %s/attention_lab.csv, compute_table_attn.csv (%d rows, %.0f s)"
          % (out, len(rows), time.time() - t0))


if __name__ == "__main__":
    main()
