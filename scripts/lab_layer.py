"""What scripts/lab_eager_layer.py and scripts/lab_decode_layer.py share: a
Llama-like layer's per-GPU slice and its weights, RMSNorm and rotary
embedding, CUDA graph timing, kvsim's presets for the roofline, the
command line and the lab's log."""
import math
import os
import sys

import torch

HEAD_DIM = 128
# the vLLM validation's three servers: name, hidden, q heads, kv heads,
# intermediate, tp (the model; slice_of takes its per-GPU slice)
VALIDATION_SHAPES = [
    ("llama-2-7b tp1", 4096, 32, 32, 11008, 1),
    ("codellama-34b tp2", 8192, 64, 8, 22016, 2),
    ("llama-2-70b tp4", 8192, 64, 8, 28672, 4),
]
# kvsim's presets (core/inputs/platform.c): name, flops, hbm_bw; a lab's
# roofline uses the one of the GPU it runs on
PRESETS = {"H100": ("h100-sxm-80gb", 7.967e14, 3.27e12), "H200": ("h200-141gb", 7.812e14, 4.471e12)}


def slice_of(hidden, hq, hk, inter, tp):
    """The per-GPU slice of tensor parallelism: heads and MLP split tp ways."""
    return hidden, hq // tp, max(1, hk // tp), inter // tp


def make_layer(hidden, hq, hk, inter, dev, dtype, gen):
    """A layer's weights: wqkv, wo, wgu (gate and up), wd, and the two norms'
    (a tuple, so that torch.compile sees tensors, not an object to guard),
    drawn on the CPU by gen."""
    def w(*s):
        return (torch.randn(*s, generator=gen, device="cpu", dtype=torch.float32) /
                math.sqrt(s[-1])).to(dev, dtype)
    n1 = 1 + 0.1 * torch.randn(hidden, generator=gen)
    n2 = 1 + 0.1 * torch.randn(hidden, generator=gen)
    return (w((hq + 2 * hk) * HEAD_DIM, hidden), w(hidden, hq * HEAD_DIM), w(2 * inter, hidden),
            w(hidden, inter), n1.to(dev, dtype), n2.to(dev, dtype))


def rms(x, w):
    return x * torch.rsqrt(x.float().pow(2).mean(-1, keepdim=True) + 1e-5).to(x.dtype) * w


def rope(x, cos, sin):
    a, b = x[..., : HEAD_DIM // 2], x[..., HEAD_DIM // 2:]
    return torch.cat((a * cos - b * sin, b * cos + a * sin), -1)


def graphed(f):
    """f captured in a CUDA graph after a warm-up on a side stream."""
    s = torch.cuda.Stream()
    s.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(s):
        f()
    torch.cuda.current_stream().wait_stream(s)
    g = torch.cuda.CUDAGraph()
    with torch.cuda.graph(g):
        f()
    return g


def replay_time(g, reps):
    """Median GPU time of one replay of g over reps replays."""
    ts = []
    for _ in range(reps):
        a, b = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        a.record()
        g.replay()
        b.record()
        b.synchronize()
        ts.append(a.elapsed_time(b) * 1e-3)
    ts.sort()
    return ts[len(ts) // 2]


class Cli:
    """The labs' command line: OUTDIR first (default lab_out), then flags;
    errors name the script and exit non-zero."""

    def __init__(self, name):
        self.name = name
        a = sys.argv
        self.out = a[1] if len(a) > 1 and not a[1].startswith("--") else "lab_out"

    def flag(self, f):
        return f in sys.argv

    def value(self, f, default):
        if f not in sys.argv:
            return default
        i = sys.argv.index(f)
        if i + 1 >= len(sys.argv):
            self.fail("%s needs a value" % f)
        return sys.argv[i + 1]

    def ints(self, f, default):
        """A list of positive integers separated by commas."""
        try:
            v = [int(t) for t in self.value(f, ",".join(map(str, default))).split(",")]
        except ValueError:
            v = []
        if not v or min(v) < 1:
            self.fail("%s takes positive integers separated by commas" % f)
        return v

    def fail(self, msg):
        sys.exit("%s: %s" % (self.name, msg))


def open_lab(out):
    """OUTDIR created, and say(s): print s and append it to OUTDIR/lab.txt."""
    os.makedirs(out, exist_ok=True)
    log = open(os.path.join(out, "lab.txt"), "w")

    def say(s):
        print(s, flush=True)
        log.write(s + "\n")
        log.flush()
    return say


def device_preset(say):
    """The GPU's kvsim preset (name, flops, hbm_bw), said with the device."""
    p = torch.cuda.get_device_properties(0)
    preset, flops, hbm_bw = PRESETS["H200" if "H200" in p.name else "H100"]
    say("device: %s, %d SMs; torch %s; roofline at kvsim's %s preset (flops %.4g, hbm_bw %.4g)"
        % (p.name, p.multi_processor_count, torch.__version__, preset, flops, hbm_bw))
    return preset, flops, hbm_bw
