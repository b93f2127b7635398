-- h100-sxm-80gb with flops at the rate a whole decoder layer reached on an H100
-- (results/2026-12-06-h100-eager-layer: compiled layer GPU time / kvsim roofline,
-- median 1.286 at 512-2048 tokens over three shapes): 7.967e14 / 1.286
return { base = "h100-sxm-80gb", name = "h100-sxm-80gb-layer", flops = 6.195e14 }
