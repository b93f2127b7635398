-- h100-sxm-80gb with every GPU rate at a whole decoder layer's measured one
-- (results/2026-12-06-h100-layer-shapes: compiled layer GPU time / kvsim
-- roofline, median 1.32 over its 35 points, 7 slices x 1-8,192 tokens):
-- flops 7.967e14 / 1.32 and hbm_bw 3.27e12 / 1.32, so that decode steps
-- (weight- and KV-bound) are priced at the layer's rate as prefills are
return { base = "h100-sxm-80gb", name = "h100-sxm-80gb-layer-all", flops = 6.036e14, hbm_bw = 2.477e12 }
