/* attention.cu - kernel lab: bf16 attention (attention.cuh, kv_attention.h),
 * decode split over the context (v1 simple, v2 FlashDecoding + merge, v3/v4
 * v2 with L2 prefetch two steps ahead) and
 * causal prefill (v1 per row, v2 tiled on tensor cores), each in the three
 * K/V addressing modes (contiguous, block table, offset table).
 *
 *   lab_attention --check         every mode x version x decode/prefill x
 *                                 head_dim {64,128} x group {1,4,8} (+2, 16)
 *                                 x block {1,2,16,64,256} against a float64
 *                                 CPU reference: ||out-ref||/||ref|| <= 1e-2
 *                                 and every output element written (finite)
 *   lab_attention                 a small check, then timings at Llama-3-8B
 *                                 layer shapes (GB/s of K+V, % of a D2D copy
 *                                 measured in the same run, tables / contig)
 *   lab_attention --table FILE [--heads QH,KVH,HD]
 *                                 the addressing-mode grid as CSV
 *   lab_attention --selftest-cpu  the host side alone (no GPU needed):
 *                                 reference vs a direct formula, decode vs
 *                                 the last prefill row, table gathers vs the
 *                                 logical layout, split choice, argument
 *                                 checks of the launchers
 * Exit: 0 pass, 1 fail, 77 no CUDA device. Main entry point: main().
 */
#include "attention.cuh"
#include "common.cuh"
#include "kv_attention.h"

typedef kvat::bf16 bf16;

/* The versions by number at run time (the library instantiates only its
 * promoted ones; this lab holds them all). An unknown version is
 * refused. */
static cudaError_t launch_decode(int version, const kv_attention_desc *d,
                                 uint32_t splits, void *workspace,
                                 cudaStream_t s) {
  static_assert(kvat::kDecodeVersions == 4, "one case per decode version");
  switch (version) {
  case 1: return kvat::launch_decode<1>(d, splits, workspace, s);
  case 2: return kvat::launch_decode<2>(d, splits, workspace, s);
  case 3: return kvat::launch_decode<3>(d, splits, workspace, s);
  case 4: return kvat::launch_decode<4>(d, splits, workspace, s);
  default: return cudaErrorInvalidValue;
  }
}

static cudaError_t launch_prefill(int version, const kv_attention_desc *d,
                                  uint32_t max_q, cudaStream_t s) {
  static_assert(kvat::kPrefillVersions == 2, "one case per prefill version");
  switch (version) {
  case 1: return kvat::launch_prefill<1>(d, max_q, s);
  case 2: return kvat::launch_prefill<2>(d, max_q, s);
  default: return cudaErrorInvalidValue;
  }
}

static const char *kModeName[] = {"contiguous", "block-table", "offset-table"};
static const char *kModeCsv[] = {"contig", "block_table", "offset_table"};
static const double kTol = 1e-2; /* relative L2 error, bf16 output */

static inline float bf2f(bf16 x) {
  return __bfloat162float(x);
}
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

/* ---- a problem on the host: logical data and the three layouts ---------- */

struct host_problem {
  uint32_t D, G, kvh, qh, batch, max_ctx, bs, max_blocks, pool_blocks;
  std::vector<int32_t> len, nq, qstart; /* qstart [batch+1] (prefill) */
  std::vector<bf16> qd;                 /* decode q [batch][qh][D] */
  std::vector<bf16> qp;                 /* prefill q [tokens][qh][D] */
  std::vector<bf16> k, v;               /* [batch][max_ctx][kvh][D] */
  std::vector<bf16> pool_k, pool_v;     /* [pool_blocks][bs][kvh][D] */
  std::vector<int32_t> bt;              /* [batch][max_blocks] */
  std::vector<unsigned char> slab;      /* blocks of K then V */
  std::vector<int64_t> off;             /* [batch][max_blocks] bytes */

  size_t row() const {
    return (size_t)kvh * D;
  }
  size_t block_elems() const {
    return (size_t)bs * row();
  }
  uint32_t tokens() const {
    return (uint32_t)qstart[batch];
  }
};

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

static host_problem make_problem(uint32_t D, uint32_t G, uint32_t kvh,
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
static float scale_of(uint32_t D) {
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

static std::vector<double> ref_decode(const host_problem &p) {
  std::vector<double> out((size_t)p.batch * p.qh * p.D);
  for (uint32_t b = 0; b < p.batch; b++)
    for (uint32_t j = 0; j < p.qh; j++) {
      const size_t o = ((size_t)b * p.qh + j) * p.D;
      ref_attend(p, &p.qd[o], b, j / p.G, clamp_len(p, b), &out[o]);
    }
  return out;
}

static std::vector<double> ref_prefill(const host_problem &p) {
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

static int selftest_cpu(void) {
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

/* ---- device copies of a host problem ------------------------------------ */

template <class T> static T *upload(const std::vector<T> &h) {
  T *d = nullptr;
  cudaCheck(cudaMalloc(&d, h.size() * sizeof(T) + 16));
  cudaCheck(
      cudaMemcpy(d, h.data(), h.size() * sizeof(T), cudaMemcpyHostToDevice));
  return d;
}

struct dev_problem {
  const host_problem &h;
  bf16 *qd, *qp, *k, *v, *pk, *pv, *out_d, *out_p;
  int32_t *len, *qstart, *bt;
  int64_t *off;
  unsigned char *slab;
  void *ws = nullptr;
  size_t ws_bytes = 0;
  explicit dev_problem(const host_problem &hp) : h(hp) {
    qd = upload(h.qd);
    qp = upload(h.qp);
    k = upload(h.k);
    v = upload(h.v);
    pk = upload(h.pool_k);
    pv = upload(h.pool_v);
    len = upload(h.len);
    qstart = upload(h.qstart);
    bt = upload(h.bt);
    off = upload(h.off);
    slab = upload(h.slab);
    cudaCheck(cudaMalloc(&out_d, h.qd.size() * sizeof(bf16)));
    cudaCheck(cudaMalloc(&out_p, h.qp.size() * sizeof(bf16)));
  }
  ~dev_problem() {
    for (void *p : {(void *)qd, (void *)qp, (void *)k, (void *)v, (void *)pk,
                    (void *)pv, (void *)out_d, (void *)out_p, (void *)len,
                    (void *)qstart, (void *)bt, (void *)off, (void *)slab, ws})
      cudaFree(p);
  }
  kv_attention_desc desc(int mode, bool prefill) const {
    kv_attention_desc d;
    memset(&d, 0, sizeof d);
    d.mode = mode;
    d.batch = h.batch;
    d.q_heads = h.qh;
    d.kv_heads = h.kvh;
    d.head_dim = h.D;
    d.block_tokens = h.bs;
    d.max_blocks = h.max_blocks;
    d.max_ctx = h.max_ctx;
    d.scale = scale_of(h.D);
    d.q = prefill ? qp : qd;
    d.q_start = prefill ? qstart : nullptr;
    d.ctx_len = len;
    d.k = mode == KV_ATTN_CONTIG ? k : pk;
    d.v = mode == KV_ATTN_CONTIG ? v : pv;
    d.block_table = bt;
    d.slab = slab;
    d.offsets = off;
    d.out = prefill ? out_p : out_d;
    return d;
  }
  void *workspace(size_t bytes) {
    if (bytes > ws_bytes) {
      cudaCheck(cudaFree(ws));
      cudaCheck(cudaMalloc(&ws, bytes));
      ws_bytes = bytes;
    }
    return ws;
  }
};

/* relative L2 error of a bf16 device output against the reference; NaN
 * when an element is not finite (unwritten: the poison is NaN) */
static double compare(const bf16 *dout, const std::vector<double> &ref,
                      size_t *bad_at) {
  std::vector<bf16> out(ref.size());
  cudaCheck(cudaMemcpy(out.data(), dout, out.size() * sizeof(bf16),
                       cudaMemcpyDeviceToHost));
  double num = 0, den = 0;
  for (size_t i = 0; i < out.size(); i++) {
    const double x = bf2f(out[i]);
    if (!isfinite(x)) {
      *bad_at = i;
      return NAN;
    }
    num += (x - ref[i]) * (x - ref[i]);
    den += ref[i] * ref[i];
  }
  return den > 0 ? sqrt(num / den) : sqrt(num);
}

struct check_stats {
  int runs = 0, fails = 0;
  double worst = 0;
};

static void report(check_stats &st, double e, size_t bad_at, const char *kind,
                   const char *ver, int mode, const host_problem &p,
                   uint32_t splits) {
  const bool ok = e <= kTol; /* NaN fails */
  st.runs++;
  if (e > st.worst) st.worst = e;
  if (!ok) {
    st.fails++;
    printf("MISMATCH %s %s %s D=%u G=%u kvh=%u bs=%u max_ctx=%u splits=%u: "
           "rel err %.3g%s",
           kind, ver, kModeName[mode], p.D, p.G, p.kvh, p.bs, p.max_ctx, splits,
           e, isnan(e) ? " (non-finite output" : "");
    if (isnan(e)) printf(" at element %zu)", bad_at);
    printf("\n");
  }
}

static void check_problem(const host_problem &p, check_stats &st) {
  dev_problem dp(p);
  const std::vector<double> rd = ref_decode(p), rp = ref_prefill(p);
  uint32_t max_q = 0;
  for (int32_t n : p.nq)
    max_q = std::max(max_q, (uint32_t)n);
  for (int mode = 0; mode < 3; mode++) {
    /* decode: v1 (3 splits), v2 (1 split: direct; 3 splits: merge), lib */
    struct dv {
      int version; /* 0: kv_attn_decode */
      uint32_t splits;
      const char *name;
    } dvs[] = {{1, 3, "v1"}, {2, 1, "v2"}, {2, 3, "v2"}, {3, 1, "v3"},
               {3, 3, "v3"}, {4, 1, "v4"}, {4, 3, "v4"}, {0, 0, "lib"}};
    for (const dv &x : dvs) {
      kv_attention_desc d = dp.desc(mode, false);
      cudaCheck(cudaMemset(dp.out_d, 0xff, p.qd.size() * sizeof(bf16)));
      uint32_t sp = kv_attn_decode_splits(&d, x.splits);
      if (sp == 0) {
        printf("kv_attn_decode_splits failed\n");
        st.fails++;
        continue;
      }
      if (x.version == 1) sp = x.splits;
      if (x.version == 0) {
        void *ws = dp.workspace(kv_attn_decode_workspace_bytes(&d, 0) + 16);
        cudaCheck(kv_attn_decode(&d, 0, ws, 0));
      } else {
        void *ws = dp.workspace(kvat::partial_bytes(&d, sp) + 16);
        cudaCheck(launch_decode(x.version, &d, sp, ws, 0));
      }
      cudaCheckLaunch();
      cudaCheck(cudaDeviceSynchronize());
      size_t bad_at = 0;
      report(st, compare(dp.out_d, rd, &bad_at), bad_at, "decode", x.name, mode,
             p, sp);
    }
    /* prefill: v1, v2, lib (kv_attn_prefill: query tiles up to max_ctx) */
    for (int version : {1, 2, 0}) {
      kv_attention_desc d = dp.desc(mode, true);
      cudaCheck(cudaMemset(dp.out_p, 0xff, p.qp.size() * sizeof(bf16)));
      if (version == 0)
        cudaCheck(kv_attn_prefill(&d, 0));
      else
        cudaCheck(launch_prefill(version, &d, max_q, 0));
      cudaCheckLaunch();
      cudaCheck(cudaDeviceSynchronize());
      size_t bad_at = 0;
      report(st, compare(dp.out_p, rp, &bad_at), bad_at, "prefill",
             version == 0   ? "lib"
             : version == 1 ? "v1"
                            : "v2",
             mode, p, 0);
    }
  }
}

/* requests: one at max_ctx (chunked prefill of up to 70 queries), one of a
 * single token, block + 1 and block tokens (full prefills from empty), one
 * random (random query count) */
static host_problem check_case(uint32_t D, uint32_t G, uint32_t bs,
                               lab_rng &r) {
  const uint32_t max_ctx = std::max(2 * bs + 37, 160u);
  std::vector<int32_t> len = {
      (int32_t)max_ctx, 1, (int32_t)std::min(bs + 1, max_ctx),
      (int32_t)std::min(bs, max_ctx), (int32_t)(1 + r.below(max_ctx))};
  std::vector<int32_t> nq = {std::min(len[0], 70), 1, len[2], len[3],
                             (int32_t)(1 + r.below(std::min(len[4], 100)))};
  return make_problem(D, G, 2, max_ctx, bs, len, nq, r);
}

static int run_checks(lab_rng &r, bool full) { /* full: --check */
  check_stats st;
  struct cs {
    uint32_t D, G, bs;
  };
  std::vector<cs> cases;
  if (full) {
    for (uint32_t D : {64u, 128u})
      for (uint32_t G : {1u, 4u, 8u})
        for (uint32_t bs : {1u, 2u, 16u, 64u, 256u})
          cases.push_back({D, G, bs});
    cases.push_back({128, 2, 16});
    cases.push_back({128, 16, 16});
    cases.push_back({64, 16, 2});
  } else {
    cases.push_back({128, 4, 16});
    cases.push_back({64, 8, 1});
  }
  for (const cs &c : cases) {
    host_problem p = check_case(c.D, c.G, c.bs, r);
    check_problem(p, st);
  }
  printf("attention check: %d runs in %zu problems, %d failed, worst rel err "
         "%.3g (tolerance %.0e: ||out-ref||/||ref||, bf16 output, float64 "
         "reference)\n",
         st.runs, cases.size(), st.fails, st.worst, kTol);
  return st.fails;
}

/* ---- timing -------------------------------------------------------------- */

__global__ void fill_random_bf16(bf16 *p, size_t n, uint64_t seed) {
  for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < n;
       i += (size_t)gridDim.x * blockDim.x) {
    uint64_t z = (i + 1) * 0x9E3779B97F4A7C15ull ^ seed;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    const float u = (float)(z >> 40) * (1.0f / 16777216.0f); /* [0,1) */
    const float x = 0.05f + 0.95f * u;
    p[i] = __float2bfloat16_rn(z & 1 ? x : -x);
  }
}

static void dev_fill(void *p, size_t elems, uint64_t seed) {
  fill_random_bf16<<<1024, 256>>>((bf16 *)p, elems, seed);
  cudaCheckLaunch();
}

/* a timing problem on the device: uniform contexts, one K/V buffer used by
 * every mode (contig [batch][ctx] rows of K then of V; pools; a slab), the
 * tables random permutations of the blocks */
struct bench_problem {
  uint32_t batch = 0, ctx = 0, qh, kvh, D, bs = 0;
  size_t kv_bytes_cap = 0;
  unsigned char *kv = nullptr; /* 2 * batch * ctx * row bytes (or cap) */
  bf16 *q = nullptr, *out = nullptr;
  int32_t *len = nullptr, *qstart = nullptr, *bt = nullptr;
  int64_t *off = nullptr;
  void *ws = nullptr;
  size_t ws_bytes = 0, q_cap = 0, tab_cap = 0;
  uint32_t batch_cap = 0;
  bench_problem(uint32_t qh_, uint32_t kvh_, uint32_t D_, size_t kv_cap,
                size_t q_rows_cap, uint32_t bcap, uint64_t tab_entries)
      : qh(qh_), kvh(kvh_), D(D_), kv_bytes_cap(kv_cap), q_cap(q_rows_cap),
        tab_cap(tab_entries), batch_cap(bcap) {
    cudaCheck(cudaMalloc(&kv, kv_cap));
    dev_fill(kv, kv_cap / 2, 0x1234);
    cudaCheck(cudaMalloc(&q, q_rows_cap * qh * D * sizeof(bf16)));
    cudaCheck(cudaMalloc(&out, q_rows_cap * qh * D * sizeof(bf16)));
    dev_fill(q, q_rows_cap * qh * D, 0x777);
    cudaCheck(cudaMalloc(&len, bcap * sizeof(int32_t)));
    cudaCheck(cudaMalloc(&qstart, (bcap + 1) * sizeof(int32_t)));
    cudaCheck(cudaMalloc(&bt, tab_entries * sizeof(int32_t)));
    cudaCheck(cudaMalloc(&off, tab_entries * sizeof(int64_t)));
    cudaCheck(cudaDeviceSynchronize());
  }
  ~bench_problem() {
    for (void *p : {(void *)kv, (void *)q, (void *)out, (void *)len,
                    (void *)qstart, (void *)bt, (void *)off, ws})
      cudaFree(p);
  }
  size_t row_bytes() const {
    return (size_t)kvh * D * sizeof(bf16);
  }
  double kv_read_bytes() const { /* K and V of every token, once */
    return 2.0 * batch * (double)ctx * row_bytes();
  }
  /* set batch, ctx (uniform), queries per request (1: decode) and tables
   * for block bs (0: contiguous only) */
  void setup(uint32_t b, uint32_t c, uint32_t nq, uint32_t block, lab_rng &r) {
    batch = b;
    ctx = c;
    bs = block ? block : 16;
    std::vector<int32_t> l(b, (int32_t)c), qs(b + 1);
    for (uint32_t i = 0; i <= b; i++)
      qs[i] = (int32_t)(i * nq);
    cudaCheck(
        cudaMemcpy(len, l.data(), b * sizeof(int32_t), cudaMemcpyHostToDevice));
    cudaCheck(cudaMemcpy(qstart, qs.data(), (b + 1) * sizeof(int32_t),
                         cudaMemcpyHostToDevice));
    const uint64_t mb = (c + bs - 1) / bs, n = (uint64_t)b * mb;
    std::vector<uint64_t> perm = lab_permutation(n, r);
    std::vector<int32_t> t(n);
    std::vector<int64_t> o(n);
    const uint64_t blk = (uint64_t)bs * row_bytes();
    for (uint64_t i = 0; i < n; i++) {
      t[i] = (int32_t)perm[i];
      o[i] = (int64_t)(perm[i] * 2 * blk);
    }
    cudaCheck(
        cudaMemcpy(bt, t.data(), n * sizeof(int32_t), cudaMemcpyHostToDevice));
    cudaCheck(
        cudaMemcpy(off, o.data(), n * sizeof(int64_t), cudaMemcpyHostToDevice));
  }
  kv_attention_desc desc(int mode, bool prefill) const {
    kv_attention_desc d;
    memset(&d, 0, sizeof d);
    d.mode = mode;
    d.batch = batch;
    d.q_heads = qh;
    d.kv_heads = kvh;
    d.head_dim = D;
    d.block_tokens = bs;
    d.max_blocks = (ctx + bs - 1) / bs;
    d.max_ctx = ctx;
    d.scale = scale_of(D);
    d.q = q;
    d.q_start = prefill ? qstart : nullptr;
    d.ctx_len = len;
    const size_t v_at = (size_t)batch * ctx * row_bytes();
    d.k = kv;
    d.v = kv + v_at;
    d.block_table = bt;
    d.slab = kv;
    d.offsets = off;
    d.out = out;
    return d;
  }
  void *workspace(size_t bytes) {
    if (bytes > ws_bytes) {
      cudaCheck(cudaFree(ws));
      cudaCheck(cudaMalloc(&ws, bytes));
      ws_bytes = bytes;
    }
    return ws;
  }
};

/* median seconds of one decode call (version 0: the library) */
static double time_decode(bench_problem &bp, int mode, int version,
                          uint32_t *splits_out, int reps, lab_l2_flusher &l2,
                          cudaStream_t st) {
  kv_attention_desc d = bp.desc(mode, false);
  const uint32_t sp = kv_attn_decode_splits(&d, 0);
  if (sp == 0) {
    fprintf(stderr, "kv_attn_decode_splits failed\n");
    exit(1);
  }
  if (splits_out) *splits_out = sp;
  void *ws = bp.workspace(kvat::partial_bytes(&d, sp) + 16);
  const double ms = lab_time_ms(reps, st, l2, [&](cudaStream_t s) {
    if (version == 0)
      cudaCheck(kv_attn_decode(&d, 0, ws, s));
    else
      cudaCheck(launch_decode(version, &d, sp, ws, s));
  });
  return ms * 1e-3;
}

static double time_prefill(bench_problem &bp, int mode, int version, int reps,
                           lab_l2_flusher &l2, cudaStream_t st) {
  kv_attention_desc d = bp.desc(mode, true);
  const double ms = lab_time_ms(reps, st, l2, [&](cudaStream_t s) {
    if (version == 0)
      cudaCheck(kv_attn_prefill(&d, s));
    else
      cudaCheck(launch_prefill(version, &d, bp.ctx, s));
  });
  return ms * 1e-3;
}

/* causal prefill FLOPs: 2 matmuls x 2 flops x D per (query, visible key) */
static double prefill_flops(const bench_problem &bp) {
  const double pairs = (double)bp.ctx * (bp.ctx + 1) / 2.0;
  return 4.0 * bp.D * bp.qh * pairs * bp.batch;
}

static void run_bench(lab_rng &r) {
  lab_l2_flusher l2;
  cudaStream_t st;
  cudaCheck(cudaStreamCreateWithFlags(&st, cudaStreamNonBlocking));
  const double d2d = lab_measure_d2d(1ull << 30, 20, st, l2);
  printf("\ndevice-to-device copy 1 GiB: %.1f GB/s counting read + write\n",
         d2d);
  const uint32_t QH = 32, KVH = 8, D = 128, BS = 16;
  const uint32_t bmax = 64, cmax = 8192;
  bench_problem bp(QH, KVH, D, 2ull * bmax * cmax * KVH * D * 2,
                   (size_t)4 * 4096, bmax, (uint64_t)bmax * cmax / BS);
  printf("\ndecode, 32 q heads, 8 kv heads x 128, bf16, %u-token blocks in "
         "random order; GB/s = K+V bytes / time; %%d2d = that / the copy "
         "rate; vs contig = time / contiguous time (same version)\n",
         BS);
  printf("%5s %7s %-13s %-4s %6s %10s %9s %7s %9s\n", "batch", "context",
         "mode", "ver", "splits", "us", "GB/s", "%d2d", "vs contig");
  for (uint32_t b : {32u, 64u})
    for (uint32_t c : {4096u, 8192u}) {
      bp.setup(b, c, 1, BS, r);
      double t_contig[kvat::kDecodeVersions + 1] = {0};
      for (int version : {1, 2, 3, 4, 0})
        for (int mode = 0; mode < 3; mode++) {
          uint32_t sp = 0;
          const double s = time_decode(bp, mode, version, &sp, 20, l2, st);
          if (mode == 0) t_contig[version] = s;
          const double gbps = bp.kv_read_bytes() / s / 1e9;
          char ver[8];
          if (version == 0)
            snprintf(ver, sizeof ver, "lib");
          else
            snprintf(ver, sizeof ver, "v%d", version);
          printf("%5u %7u %-13s %-4s %6u %10.1f %9.1f %6.1f%% %9.3f\n", b, c,
                 kModeName[mode], ver, sp, s * 1e6, gbps, 100.0 * gbps / d2d,
                 s / t_contig[version]);
        }
    }
  printf("(targets: v2/lib contiguous >= 85%% of the copy rate at batch >= 32, "
         "context >= 4K; table modes within 1.05 of contiguous)\n");

  printf("\nprefill (causal, each request its whole context from empty), 32 q "
         "heads, 8 kv heads x 128, %u-token blocks; TFLOP/s counts 4*D per "
         "(query, visible key) and head\n",
         BS);
  printf("%5s %7s %-13s %-4s %10s %9s %9s\n", "batch", "context", "mode", "ver",
         "ms", "TFLOP/s", "vs contig");
  for (uint32_t b : {1u, 4u}) {
    const uint32_t c = 4096;
    bp.setup(b, c, c, BS, r);
    double t_contig[3] = {0, 0, 0};
    for (int version : {1, 2, 0})
      for (int mode = 0; mode < 3; mode++) {
        const double s =
            time_prefill(bp, mode, version, version == 1 ? 3 : 10, l2, st);
        if (mode == 0) t_contig[version] = s;
        printf("%5u %7u %-13s %-4s %10.3f %9.1f %9.3f\n", b, c, kModeName[mode],
               version == 0   ? "lib"
               : version == 1 ? "v1"
                              : "v2",
               s * 1e3, prefill_flops(bp) / s / 1e12, s / t_contig[version]);
      }
  }
  cudaCheck(cudaStreamDestroy(st));
}

/* ---- --table: the addressing-mode grid as CSV -----------------------------
 */

static int run_table(const char *path, uint32_t QH, uint32_t KVH, uint32_t D,
                     lab_rng &r) {
  FILE *f = fopen(path, "w");
  if (!f) {
    fprintf(stderr, "cannot write %s\n", path);
    return 1;
  }
  fprintf(f, "kind,mode,block,m,n,k,batch,context,q_heads,kv_heads,head_dim,"
             "seconds\n");
  const uint32_t batches[] = {1, 4, 16, 32, 64, 128, 256};
  const uint32_t contexts[] = {512, 2048, 8192, 32768};
  const uint32_t pbatches[] = {1, 4, 16};
  const uint32_t pcontexts[] = {512, 2048, 8192};
  struct cfg {
    int mode;
    uint32_t block;
  } cfgs[] = {{0, 0},  {1, 16}, {1, 32}, {1, 64}, {1, 256},
              {2, 16}, {2, 32}, {2, 64}, {2, 256}};
  const double row_bytes = (double)KVH * D * 2;
  const double cap = 40.0 * (1ull << 30);
  auto kv_of = [&](uint32_t b, uint32_t c) { return 2.0 * b * c * row_bytes; };
  size_t kv_cap = 0, q_rows = 256, tab = 0;
  uint32_t bcap = 256;
  for (uint32_t b : batches)
    for (uint32_t c : contexts)
      if (kv_of(b, c) <= cap) {
        kv_cap = std::max(kv_cap, (size_t)kv_of(b, c));
        tab = std::max(tab, (size_t)b * c / 16);
      }
  for (uint32_t b : pbatches)
    for (uint32_t c : pcontexts)
      if (kv_of(b, c) <= cap) {
        kv_cap = std::max(kv_cap, (size_t)kv_of(b, c));
        q_rows = std::max(q_rows, (size_t)b * c);
        tab = std::max(tab, (size_t)b * c / 16);
      }
  fprintf(stderr, "table: %u q heads, %u kv heads x %u; K+V buffer %.2f GiB\n",
          QH, KVH, D, kv_cap / (double)(1ull << 30));
  lab_l2_flusher l2;
  cudaStream_t st;
  cudaCheck(cudaStreamCreateWithFlags(&st, cudaStreamNonBlocking));
  bench_problem bp(QH, KVH, D, kv_cap, q_rows, bcap, tab + 1);
  for (uint32_t b : batches)
    for (uint32_t c : contexts) {
      const double kvb = kv_of(b, c);
      if (kvb > cap) {
        fprintf(stderr,
                "decode batch %u context %u: K+V %.1f GiB > 40, "
                "skipped\n",
                b, c, kvb / (1ull << 30));
        continue;
      }
      const int reps = kvb < (256 << 20)         ? 20
                       : kvb < (4.0 * (1 << 30)) ? 10
                                                 : 5;
      for (const cfg &x : cfgs) {
        bp.setup(b, c, 1, x.block, r);
        const double s = time_decode(bp, x.mode, 0, nullptr, reps, l2, st);
        fprintf(f, "attn_decode,%s,%u,0,0,0,%u,%u,%u,%u,%u,%.6e\n",
                kModeCsv[x.mode], x.block, b, c, QH, KVH, D, s);
        fflush(f);
        fprintf(stderr, "decode batch %u context %u %s %u: %.1f us\n", b, c,
                kModeCsv[x.mode], x.block, s * 1e6);
      }
    }
  for (uint32_t b : pbatches)
    for (uint32_t c : pcontexts) {
      if (kv_of(b, c) > cap) continue;
      for (const cfg &x : cfgs) {
        bp.setup(b, c, c, x.block, r);
        const double flops = prefill_flops(bp);
        const int reps = flops < 1e12 ? 10 : 3;
        const double s = time_prefill(bp, x.mode, 0, reps, l2, st);
        fprintf(f, "attn_prefill,%s,%u,0,0,0,%u,%u,%u,%u,%u,%.6e\n",
                kModeCsv[x.mode], x.block, b, c, QH, KVH, D, s);
        fflush(f);
        fprintf(stderr,
                "prefill batch %u context %u %s %u: %.3f ms (%.1f "
                "TFLOP/s)\n",
                b, c, kModeCsv[x.mode], x.block, s * 1e3, flops / s / 1e12);
      }
    }
  cudaCheck(cudaStreamDestroy(st));
  fclose(f);
  fprintf(stderr, "wrote %s\n", path);
  return 0;
}

int main(int argc, char **argv) {
  if (lab_has_flag(argc, argv, "--selftest-cpu")) return selftest_cpu();
  const char *table = nullptr;
  uint32_t QH = 32, KVH = 8, HD = 128;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--table") && i + 1 < argc)
      table = argv[++i];
    else if (!strcmp(argv[i], "--heads") && i + 1 < argc) {
      if (sscanf(argv[++i], "%u,%u,%u", &QH, &KVH, &HD) != 3 || KVH == 0 ||
          QH % KVH || (HD != 64 && HD != 128) ||
          (QH / KVH != 1 && QH / KVH != 2 && QH / KVH != 4 && QH / KVH != 8 &&
           QH / KVH != 16)) {
        fprintf(stderr, "--heads QH,KVH,HD: QH/KVH in 1,2,4,8,16, HD 64 or "
                        "128\n");
        return 2;
      }
    } else if (strcmp(argv[i], "--check") != 0) {
      fprintf(stderr, "usage: lab_attention [--check | --selftest-cpu | "
                      "--table FILE [--heads QH,KVH,HD]]\n");
      return 2;
    }
  }
  lab_require_device();
  const bool check_only = lab_has_flag(argc, argv, "--check");
  const uint64_t seed = 20261215;
  printf("attention lab, seed %llu\n", (unsigned long long)seed);
  lab_print_device();
  lab_rng r(seed);
  const int fails = run_checks(r, check_only);
  if (fails) {
    printf("FAILED\n");
    return 1;
  }
  printf("all versions and modes match the CPU reference\n");
  if (table) return run_table(table, QH, KVH, HD, r);
  if (!check_only) run_bench(r);
  return 0;
}
