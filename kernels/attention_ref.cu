/* attention_ref.cu - lab_attention's host side without a GPU: a problem
 * on the host (logical K/V and the three layouts: contiguous, block table,
 * offset table), the float64 reference (decode and causal prefill), and
 * the CPU self-test (--selftest-cpu: reference vs a direct formula, decode
 * vs the last prefill row, table gathers vs the logical layout, split
 * choice, argument checks of the launchers). What the files share:
 * attention_lab.cuh.
 * Main entry points: make_problem, scale_of, ref_decode, ref_prefill,
 * selftest_cpu.
 */
#include "attention_lab.cuh"

static inline bf16 f2bf(float x) {
  return __float2bfloat16_rn(x);
}
static inline bf16 bf_nan() {
  __nv_bfloat16_raw raw;
  raw.x = 0x7fc0;
  return bf16(raw);
}
/* random in +-[0.05, 1): never zero */
static inline bf16 rnd_bf(lab_rng &r) {
  double x = 0.05 + 0.95 * r.uniform();
  return f2bf((float)(r.next() & 1 ? x : -x));
}

/* Rows past a request's length hold NaN in every layout, and so do the
 * pool blocks no request owns: reading them would show in the output. */
static void build_layouts(host_problem &p, lab_rng &r) {
  const size_t rowb = p.row() * sizeof(bf16);
  p.max_blocks = (p.max_ctx + p.bs - 1) / p.bs;
  const uint64_t used = (uint64_t)p.batch * p.max_blocks;
  p.pool_blocks = (uint32_t)used + 3;
  std::vector<uint64_t> perm = lab_permutation(p.pool_blocks, r);
  p.bt.assign(used, 0);
  for (uint64_t i = 0; i < used; i++)
    p.bt[i] = (int32_t)perm[i];
  p.pool_k.assign((size_t)p.pool_blocks * p.block_elems(), bf_nan());
  p.pool_v.assign((size_t)p.pool_blocks * p.block_elems(), bf_nan());
  std::vector<uint64_t> perm2 = lab_permutation(p.pool_blocks, r);
  const size_t bbytes = p.block_elems() * sizeof(bf16); /* K of a block */
  p.off.assign(used, 0);
  for (uint64_t i = 0; i < used; i++)
    p.off[i] = (int64_t)(perm2[i] * 2 * bbytes);
  p.slab.assign((size_t)p.pool_blocks * 2 * bbytes, 0);
  {
    std::vector<bf16> nanrow(p.row(), bf_nan());
    for (size_t o = 0; o + rowb <= p.slab.size(); o += rowb)
      memcpy(&p.slab[o], nanrow.data(), rowb);
  }
  for (uint32_t b = 0; b < p.batch; b++)
    for (uint32_t t = 0; t < p.max_blocks * p.bs; t++) {
      const size_t j = (size_t)b * p.max_blocks + t / p.bs, rr = t % p.bs;
      if (t >= p.max_ctx) continue; /* block tail past max_ctx: NaN */
      const size_t src = ((size_t)b * p.max_ctx + t) * p.row();
      const size_t dst = ((size_t)p.bt[j] * p.bs + rr) * p.row();
      memcpy(&p.pool_k[dst], &p.k[src], rowb);
      memcpy(&p.pool_v[dst], &p.v[src], rowb);
      unsigned char *blk = &p.slab[(size_t)p.off[j]];
      memcpy(blk + rr * rowb, &p.k[src], rowb);
      memcpy(blk + bbytes + rr * rowb, &p.v[src], rowb);
    }
}

host_problem make_problem(uint32_t D, uint32_t G, uint32_t kvh,
                          uint32_t max_ctx, uint32_t bs,
                          const std::vector<int32_t> &len,
                          const std::vector<int32_t> &nq, lab_rng &r) {
  host_problem p;
  p.D = D;
  p.G = G;
  p.kvh = kvh;
  p.qh = G * kvh;
  p.batch = (uint32_t)len.size();
  p.max_ctx = max_ctx;
  p.bs = bs;
  p.len = len;
  p.nq = nq;
  p.qstart.assign(p.batch + 1, 0);
  for (uint32_t b = 0; b < p.batch; b++)
    p.qstart[b + 1] = p.qstart[b] + nq[b];
  p.qd.resize((size_t)p.batch * p.qh * D);
  for (auto &x : p.qd)
    x = rnd_bf(r);
  p.qp.resize((size_t)p.tokens() * p.qh * D);
  for (auto &x : p.qp)
    x = rnd_bf(r);
  const size_t n = (size_t)p.batch * max_ctx * p.row();
  p.k.assign(n, bf_nan());
  p.v.assign(n, bf_nan());
  for (uint32_t b = 0; b < p.batch; b++)
    for (uint32_t t = 0; t < (uint32_t)len[b] && t < max_ctx; t++)
      for (size_t e = 0; e < p.row(); e++) {
        const size_t i = ((size_t)b * max_ctx + t) * p.row() + e;
        p.k[i] = rnd_bf(r);
        p.v[i] = rnd_bf(r);
      }
  build_layouts(p, r);
  return p;
}

/* ---- float64 reference ----------------------------------------------------
 * o[D] = softmax(q . K[0..nkeys-1]^T * scale) . V, K/V of request b, kv
 * head h, from the logical layout; scale as the kernels get it (a float). */
float scale_of(uint32_t D) {
  return 1.0f / sqrtf((float)D);
}

static void ref_attend(const host_problem &p, const bf16 *q, uint32_t b,
                       uint32_t h, uint32_t nkeys, double *o) {
  const uint32_t D = p.D;
  const double scale = (double)scale_of(D);
  for (uint32_t e = 0; e < D; e++)
    o[e] = 0;
  if (nkeys == 0) return;
  std::vector<double> s(nkeys);
  double m = -INFINITY;
  for (uint32_t t = 0; t < nkeys; t++) {
    const bf16 *kr = &p.k[(((size_t)b * p.max_ctx + t) * p.kvh + h) * D];
    double d = 0;
    for (uint32_t e = 0; e < D; e++)
      d += (double)bf2f(q[e]) * (double)bf2f(kr[e]);
    s[t] = d * scale;
    if (s[t] > m) m = s[t];
  }
  double l = 0;
  for (uint32_t t = 0; t < nkeys; t++) {
    s[t] = exp(s[t] - m);
    l += s[t];
  }
  for (uint32_t t = 0; t < nkeys; t++) {
    const bf16 *vr = &p.v[(((size_t)b * p.max_ctx + t) * p.kvh + h) * D];
    const double w = s[t] / l;
    for (uint32_t e = 0; e < D; e++)
      o[e] += w * (double)bf2f(vr[e]);
  }
}

static uint32_t clamp_len(const host_problem &p, uint32_t b) {
  int32_t l = p.len[b];
  if (l < 0) return 0;
  return (uint32_t)l < p.max_ctx ? (uint32_t)l : p.max_ctx;
}

std::vector<double> ref_decode(const host_problem &p) {
  std::vector<double> out((size_t)p.batch * p.qh * p.D);
  for (uint32_t b = 0; b < p.batch; b++)
    for (uint32_t j = 0; j < p.qh; j++) {
      const size_t o = ((size_t)b * p.qh + j) * p.D;
      ref_attend(p, &p.qd[o], b, j / p.G, clamp_len(p, b), &out[o]);
    }
  return out;
}

std::vector<double> ref_prefill(const host_problem &p) {
  std::vector<double> out((size_t)p.tokens() * p.qh * p.D);
  for (uint32_t b = 0; b < p.batch; b++) {
    const int64_t len = clamp_len(p, b), n = p.nq[b];
    for (int64_t i = 0; i < n; i++) {
      const int64_t qpos = len - n + i;
      const uint32_t nkeys =
          qpos < 0 ? 0 : (uint32_t)(qpos + 1 < len ? qpos + 1 : len);
      for (uint32_t j = 0; j < p.qh; j++) {
        const size_t o = ((size_t)(p.qstart[b] + i) * p.qh + j) * p.D;
        ref_attend(p, &p.qp[o], b, j / p.G, nkeys, &out[o]);
      }
    }
  }
  return out;
}

/* ---- CPU self-test ------------------------------------------------------ */

/* the direct formula: exp(s) / sum exp(s), no max shift (tiny sizes) */
static void naive_attend(const host_problem &p, const bf16 *q, uint32_t b,
                         uint32_t h, uint32_t nkeys, double *o) {
  const uint32_t D = p.D;
  std::vector<double> w(nkeys);
  double z = 0;
  for (uint32_t t = 0; t < nkeys; t++) {
    double d = 0;
    for (uint32_t e = 0; e < D; e++)
      d += (double)bf2f(q[e]) *
           (double)bf2f(p.k[(((size_t)b * p.max_ctx + t) * p.kvh + h) * D + e]);
    w[t] = exp(d * (double)scale_of(D));
    z += w[t];
  }
  for (uint32_t e = 0; e < D; e++) {
    double acc = 0;
    for (uint32_t t = 0; t < nkeys; t++)
      acc +=
          w[t] / z *
          (double)bf2f(p.v[(((size_t)b * p.max_ctx + t) * p.kvh + h) * D + e]);
    o[e] = nkeys ? acc : 0;
  }
}

static kvat::args host_args(const host_problem &p, int mode) {
  kvat::args a;
  memset(&a, 0, sizeof a);
  a.batch = p.batch;
  a.q_heads = p.qh;
  a.kv_heads = p.kvh;
  a.group = p.G;
  a.block_tokens = mode == KV_ATTN_CONTIG ? 1 : p.bs;
  a.bs_shift = mode == KV_ATTN_CONTIG ? 0 : kvat::log2u(p.bs);
  a.max_blocks = p.max_blocks;
  a.max_ctx = p.max_ctx;
  a.ctx_len = p.len.data();
  a.k = mode == KV_ATTN_CONTIG ? p.k.data() : p.pool_k.data();
  a.v = mode == KV_ATTN_CONTIG ? p.v.data() : p.pool_v.data();
  a.bt = p.bt.data();
  a.slab = (const char *)p.slab.data();
  a.off = p.off.data();
  return a;
}

/* kv_row (the kernels' address function) over the host layouts gives back
 * the logical rows, bit for bit, for every token < max_ctx */
template <int D, int MODE> static int gather_check(const host_problem &p) {
  kvat::args a = host_args(p, MODE);
  int bad = 0;
  for (uint32_t b = 0; b < p.batch; b++)
    for (uint32_t t = 0; t < p.max_ctx; t++) {
      typename kvat::entry_type<MODE>::type e = 0;
      if (MODE != KV_ATTN_CONTIG)
        e = kvat::load_entry<MODE>(a, b, t >> a.bs_shift);
      for (uint32_t h = 0; h < p.kvh; h++)
        for (int isv = 0; isv < 2; isv++) {
          const bf16 *g = kvat::kv_row<D, MODE>(a, b, t, h, isv, e);
          const bf16 *l =
              &(isv ? p.v : p.k)[(((size_t)b * p.max_ctx + t) * p.kvh + h) * D];
          if (((uintptr_t)g & 15) != 0 || memcmp(g, l, D * sizeof(bf16))) bad++;
        }
    }
  return bad;
}

template <int D> static int gather_all(const host_problem &p) {
  return gather_check<D, KV_ATTN_CONTIG>(p) +
         gather_check<D, KV_ATTN_BLOCK_TABLE>(p) +
         gather_check<D, KV_ATTN_OFFSET_TABLE>(p);
}

static double rel_l2(const std::vector<double> &x,
                     const std::vector<double> &ref) {
  double num = 0, den = 0;
  for (size_t i = 0; i < x.size(); i++) {
    num += (x[i] - ref[i]) * (x[i] - ref[i]);
    den += ref[i] * ref[i];
  }
  return den > 0 ? sqrt(num / den) : sqrt(num);
}

static kv_attention_desc bad_desc_base() {
  static int32_t dummy_i[4];
  static int4 dummy[64];
  kv_attention_desc d;
  memset(&d, 0, sizeof d);
  d.mode = KV_ATTN_CONTIG;
  d.batch = 2;
  d.q_heads = 8;
  d.kv_heads = 2;
  d.head_dim = 128;
  d.block_tokens = 16;
  d.max_blocks = 4;
  d.max_ctx = 64;
  d.scale = 0.1f;
  d.q = dummy;
  d.q_start = dummy_i;
  d.ctx_len = dummy_i;
  d.k = d.v = d.slab = dummy;
  d.block_table = dummy_i;
  d.offsets = (const int64_t *)dummy;
  d.out = dummy;
  return d;
}

/* Self-test part 1 for one head_dim D and block size bs: the tables, the
 * gathers, the reference vs the direct formula, decode vs the last prefill
 * row, and causal row 0. Returns the number of failures. */
static int selftest_problem(uint32_t D, uint32_t bs, lab_rng &r) {
  int fails = 0;
  const uint32_t max_ctx = bs >= 64 ? 2 * bs + 7 : 41;
  std::vector<int32_t> len = {(int32_t)max_ctx, 1,
                              (int32_t)std::min(bs + 1, max_ctx),
                              (int32_t)std::min(bs, max_ctx)};
  std::vector<int32_t> nq = {5, 1, len[2], 2};
  host_problem p = make_problem(D, 4, 2, max_ctx, bs, len, nq, r);
  /* tables: the used entries distinct, in range, offsets aligned */
  std::vector<char> seen(p.pool_blocks, 0), seen2(p.pool_blocks, 0);
  for (size_t i = 0; i < p.bt.size(); i++) {
    const uint64_t blk = (uint64_t)p.bt[i];
    const uint64_t ob = (uint64_t)p.off[i] / (2 * p.block_elems() * 2);
    if (blk >= p.pool_blocks || seen[blk]++ ||
        p.off[i] % (int64_t)(2 * p.block_elems() * 2) || p.off[i] % 16 ||
        ob >= p.pool_blocks || seen2[ob]++) {
      printf("selftest: bad table entry %zu (D %u bs %u)\n", i, D, bs);
      fails++;
    }
  }
  const int bad = D == 64 ? gather_all<64>(p) : gather_all<128>(p);
  if (bad) {
    printf("selftest: %d rows gathered wrong (D %u bs %u)\n", bad, D, bs);
    fails++;
  }
  /* reference vs the direct formula, every (request, head), full length */
  std::vector<double> ref = ref_decode(p), nai(ref.size());
  for (uint32_t b = 0; b < p.batch; b++)
    for (uint32_t j = 0; j < p.qh; j++) {
      const size_t o = ((size_t)b * p.qh + j) * D;
      naive_attend(p, &p.qd[o], b, j / p.G, clamp_len(p, b), &nai[o]);
    }
  const double e1 = rel_l2(nai, ref);
  if (!(e1 < 1e-12)) {
    printf("selftest: reference vs direct formula %.3g (D %u bs %u)\n", e1, D,
           bs);
    fails++;
  }
  /* decode with each request's last prefill query = that prefill row */
  host_problem p2 = p;
  for (uint32_t b = 0; b < p.batch; b++)
    memcpy(&p2.qd[(size_t)b * p.qh * D],
           &p.qp[(size_t)(p.qstart[b + 1] - 1) * p.qh * D],
           (size_t)p.qh * D * sizeof(bf16));
  std::vector<double> rd = ref_decode(p2), rp = ref_prefill(p);
  std::vector<double> last(rd.size());
  for (uint32_t b = 0; b < p.batch; b++)
    memcpy(&last[(size_t)b * p.qh * D],
           &rp[(size_t)(p.qstart[b + 1] - 1) * p.qh * D],
           (size_t)p.qh * D * sizeof(double));
  const double e2 = rel_l2(rd, last);
  if (!(e2 < 1e-14)) {
    printf("selftest: decode vs last prefill row %.3g (D %u bs %u)\n", e2, D,
           bs);
    fails++;
  }
  /* the first prefill row of a full prefill sees only key 0: o = V[0] */
  for (uint32_t j = 0; j < p.qh; j++) {
    const uint32_t b = 2; /* nq = len */
    const double *o = &rp[((size_t)p.qstart[b] * p.qh + j) * D];
    const bf16 *v0 = &p.v[((size_t)b * p.max_ctx * p.kvh + j / p.G) * D];
    for (uint32_t e = 0; e < D; e++)
      if (fabs(o[e] - (double)bf2f(v0[e])) > 1e-12) {
        printf("selftest: causal row 0 != V[0] (D %u bs %u)\n", D, bs);
        fails++;
        e = D;
        j = p.qh;
      }
  }
  return fails;
}

/* Self-test part 2: kvat::choose_splits lands in the expected range for a
 * few shapes. Returns the number of failures. */
static int selftest_splits(void) {
  int fails = 0;
  /* 2. the split choice */
  struct sc {
    uint64_t base;
    uint32_t ctx, cta;
    uint64_t slots;
    uint32_t lo, hi;
  } cases[] = {{256, 4096, 32, 528, 2, 2},  {2048, 4096, 32, 528, 1, 1},
               {8, 32768, 32, 528, 60, 70}, {8, 512, 32, 528, 2, 2},
               {1, 100, 32, 528, 1, 1},     {512, 8192, 16, 264, 1, 1},
               {64, 65536, 32, 1, 1, 1},    {32, 1 << 30, 32, 528, 16, 256}};
  for (const sc &c : cases) {
    const uint32_t s = kvat::choose_splits(c.base, c.ctx, c.cta, c.slots);
    if (s < c.lo || s > c.hi) {
      printf("selftest: choose_splits(%llu, %u, %u, %llu) = %u, want %u..%u\n",
             (unsigned long long)c.base, c.ctx, c.cta,
             (unsigned long long)c.slots, s, c.lo, c.hi);
      fails++;
    }
  }
  return fails;
}

/* Self-test part 3: the launchers refuse bad descriptors, batch 0 is a
 * no-op, and the workspace and block sizes. Returns the number of
 * failures. */
static int selftest_launchers(void) {
  int fails = 0;
  /* 3. the launchers' argument checks (no CUDA call is reached) */
  kv_attention_desc d;
  struct bad {
    const char *what;
    void (*edit)(kv_attention_desc *);
  } bads[] = {
      {"head_dim 96", [](kv_attention_desc *x) { x->head_dim = 96; }},
      {"group 3", [](kv_attention_desc *x) { x->q_heads = 6; }},
      {"q_heads % kv_heads", [](kv_attention_desc *x) { x->q_heads = 9; }},
      {"group 32", [](kv_attention_desc *x) { x->q_heads = 64; }},
      {"kv_heads 0", [](kv_attention_desc *x) { x->kv_heads = 0; }},
      {"mode 3", [](kv_attention_desc *x) { x->mode = 3; }},
      {"q NULL", [](kv_attention_desc *x) { x->q = nullptr; }},
      {"out NULL", [](kv_attention_desc *x) { x->out = nullptr; }},
      {"ctx_len NULL", [](kv_attention_desc *x) { x->ctx_len = nullptr; }},
      {"k NULL", [](kv_attention_desc *x) { x->k = nullptr; }},
      {"max_ctx 0", [](kv_attention_desc *x) { x->max_ctx = 0; }},
      {"q unaligned",
       [](kv_attention_desc *x) { x->q = (const char *)x->q + 2; }},
      {"block 3",
       [](kv_attention_desc *x) {
         x->mode = KV_ATTN_BLOCK_TABLE;
         x->block_tokens = 3;
       }},
      {"block 512",
       [](kv_attention_desc *x) {
         x->mode = KV_ATTN_BLOCK_TABLE;
         x->block_tokens = 512;
       }},
      {"table too narrow",
       [](kv_attention_desc *x) {
         x->mode = KV_ATTN_OFFSET_TABLE;
         x->max_blocks = 3;
       }},
      {"block_table NULL",
       [](kv_attention_desc *x) {
         x->mode = KV_ATTN_BLOCK_TABLE;
         x->block_table = nullptr;
       }},
      {"offsets NULL",
       [](kv_attention_desc *x) {
         x->mode = KV_ATTN_OFFSET_TABLE;
         x->offsets = nullptr;
       }},
  };
  for (const bad &c : bads) {
    d = bad_desc_base();
    c.edit(&d);
    cudaError_t e1 = kv_attn_decode(&d, 4, &d, 0);
    cudaError_t e2 = kv_attn_prefill(&d, 0);
    if (e1 != cudaErrorInvalidValue || e2 != cudaErrorInvalidValue) {
      printf("selftest: %s accepted (decode %d, prefill %d)\n", c.what, (int)e1,
             (int)e2);
      fails++;
    }
  }
  d = bad_desc_base();
  d.q_start = nullptr;
  if (kv_attn_prefill(&d, 0) != cudaErrorInvalidValue) {
    printf("selftest: prefill without q_start accepted\n");
    fails++;
  }
  if (kv_attn_decode(nullptr, 0, nullptr, 0) != cudaErrorInvalidValue ||
      kv_attn_prefill(nullptr, 0) != cudaErrorInvalidValue) {
    printf("selftest: NULL descriptor accepted\n");
    fails++;
  }
  d = bad_desc_base();
  d.batch = 0;
  d.q = nullptr; /* batch 0: nothing is read */
  if (kv_attn_decode(&d, 0, nullptr, 0) != cudaSuccess ||
      kv_attn_prefill(&d, 0) != cudaSuccess ||
      kv_attn_decode_workspace_bytes(&d, 0) != 0) {
    printf("selftest: batch 0 is not a no-op\n");
    fails++;
  }
  d = bad_desc_base();
  const size_t ws = kv_attn_decode_workspace_bytes(&d, 2);
  const size_t want = (size_t)2 * 8 * 2 * (128 + 4) * 4;
  if (ws != want || kv_attn_decode_workspace_bytes(&d, 1) != 0 ||
      kv_attention_block_bytes(&d) != 16ull * 2 * 128 * 2) {
    printf("selftest: workspace %zu (want %zu) or block bytes wrong\n", ws,
           want);
    fails++;
  }
  return fails;
}

int selftest_cpu(void) {
  int fails = 0;
  lab_rng r(7);
  /* 1. gathers, reference vs direct formula, decode vs last prefill row */
  for (uint32_t D : {64u, 128u})
    for (uint32_t bs : {1u, 2u, 16u, 64u, 256u})
      fails += selftest_problem(D, bs, r);
  fails += selftest_splits();
  fails += selftest_launchers();
  printf("attention CPU self-test: %s\n", fails ? "FAILED" : "passed");
  return fails ? 1 : 0;
}
