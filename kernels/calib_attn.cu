/* calib_attn.cu - kvsim-calibrate's decode attention read by addressing
 * mode (calib_internal.cuh tells the files apart).
 * Main entry point: measure_attn().
 */
#include "calib_internal.cuh"

/* ---- decode attention read by addressing mode ---------------------------
 * kv_attn_launch as kernels/attn_read.cu times it: batch 64, context 2048,
 * 32 query heads, 8 KV heads x 128, fp16; the same K/V rows contiguous, in
 * block-table pools and in an offset-table slab, blocks in random order,
 * at block tokens 1, 4, 16, 64, 256. The table modes' outputs must equal
 * the contiguous output (relative L2 difference <= kAttnSameTol: the same
 * rows in the same order), and the contiguous output a float64 CPU
 * reference on four requests (<= 1e-3, as the lab's check). Times: the
 * best over splits 4, 8, 16 of each mode (lab_attn_read's "best / best"),
 * cold L2. */
static const double kAttnSameTol = 1e-5;

/* Test value i of stream `salt` in [-1, 1), the same on host and device. */
__host__ __device__ static inline float attn_value(uint64_t i, uint32_t salt) {
  uint64_t z = (i + 1) * 0x9E3779B97F4A7C15ull ^ ((uint64_t)salt << 56);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return (float)(z >> 40) * (2.0f / 16777216.0f) - 1.0f;
}

__global__ void attn_fill_kernel(__half *p, uint64_t n, uint32_t salt) {
  uint64_t stride = (uint64_t)gridDim.x * blockDim.x;
  for (uint64_t i = (uint64_t)blockIdx.x * blockDim.x + threadIdx.x; i < n;
       i += stride)
    p[i] = __float2half(attn_value(i, salt));
}

/* One thread block per (request, token): its K and V rows (row_words int4
 * words each) into the pools (block bt[j]) and the slab (block at byte
 * off[j]: K, then V), kv_kernels.h's layouts. */
__global__ void attn_place_kernel(const int4 *k, const int4 *v, int4 *pk,
                                  int4 *pv, char *slab, const int32_t *bt,
                                  const int64_t *off, uint32_t ctx, uint32_t bs,
                                  uint32_t max_blocks, uint32_t row_words) {
  uint32_t b = blockIdx.x / ctx, t = blockIdx.x % ctx;
  uint64_t j = (uint64_t)b * max_blocks + t / bs;
  uint64_t src = ((uint64_t)b * ctx + t) * row_words;
  uint64_t dst = ((uint64_t)bt[j] * bs + t % bs) * row_words;
  int4 *sk = (int4 *)(slab + off[j]) + (uint64_t)(t % bs) * row_words;
  int4 *sv = sk + (uint64_t)bs * row_words;
  for (uint32_t w = threadIdx.x; w < row_words; w += blockDim.x) {
    int4 kw = k[src + w], vw = v[src + w];
    pk[dst + w] = kw;
    pv[dst + w] = vw;
    sk[w] = kw;
    sv[w] = vw;
  }
}

static float attn_half(uint64_t i, uint32_t salt) {
  return __half2float(__float2half(attn_value(i, salt)));
}

/* relative L2 difference of a from b over [lo, hi) */
static double rel_l2(const std::vector<float> &a, const std::vector<double> &b,
                     size_t lo, size_t hi) {
  double num = 0, den = 0;
  for (size_t i = lo; i < hi; i++) {
    if (!std::isfinite(a[i])) return INFINITY;
    num += (a[i] - b[i]) * (a[i] - b[i]);
    den += b[i] * b[i];
  }
  return den > 0 ? std::sqrt(num / den) : std::sqrt(num);
}

/* The measurement's shape (batch B, QH query heads, KVH KV heads of D,
 * context CTX, fp16) and its device buffers: q, the contiguous K and V,
 * the block-table pools pk / pv and the offset-table slab (K then V per
 * block) that place() fills per block size, the lengths (CTX each), the
 * output (nout floats), and the launch workspace, grown as a launch needs
 * it (desc()). */
struct attn_bufs {
  static constexpr uint32_t B = 64, QH = 32, KVH = 8, D = 128, CTX = 2048;
  static constexpr uint32_t G = QH / KVH, row_halves = KVH * D;
  static constexpr uint64_t kv_halves = (uint64_t)B * CTX * row_halves;
  static constexpr size_t kv_bytes = kv_halves * sizeof(__half);
  static constexpr size_t nout = (size_t)B * QH * D;
  __half *q, *k, *v, *pk, *pv;
  char *slab;
  int32_t *len;
  float *out;
  void *ws = nullptr;
  size_t ws_bytes = 0;

  /* the buffers, q, K and V filled, the lengths uploaded */
  void setup(cudaStream_t s) {
    cudaCheck(cudaMalloc(&q, (size_t)B * QH * D * sizeof(__half)));
    cudaCheck(cudaMalloc(&k, kv_bytes));
    cudaCheck(cudaMalloc(&v, kv_bytes));
    cudaCheck(cudaMalloc(&pk, kv_bytes));
    cudaCheck(cudaMalloc(&pv, kv_bytes));
    cudaCheck(cudaMalloc(&slab, 2 * kv_bytes));
    cudaCheck(cudaMalloc(&len, B * sizeof(int32_t)));
    cudaCheck(cudaMalloc(&out, (size_t)B * QH * D * sizeof(float)));
    attn_fill_kernel<<<1024, 256, 0, s>>>(q, (uint64_t)B * QH * D, 3);
    cudaCheckLaunch();
    attn_fill_kernel<<<4096, 256, 0, s>>>(k, kv_halves, 1);
    cudaCheckLaunch();
    attn_fill_kernel<<<4096, 256, 0, s>>>(v, kv_halves, 2);
    cudaCheckLaunch();
    std::vector<int32_t> lens(B, (int32_t)CTX);
    cudaCheck(cudaMemcpy(len, lens.data(), B * sizeof(int32_t),
                         cudaMemcpyHostToDevice));
    /* pageable uploads: before s uses them */
    cudaCheck(cudaDeviceSynchronize());
  }

  kv_attn_desc desc(int mode, uint32_t bs, uint32_t splits, const int32_t *bt,
                    const int64_t *off) {
    kv_attn_desc a = {};
    a.mode = mode;
    a.batch = B;
    a.q_heads = QH;
    a.kv_heads = KVH;
    a.head_dim = D;
    a.block_tokens = bs;
    a.max_blocks = CTX / bs;
    a.max_ctx = CTX;
    a.splits = splits;
    a.scale = 1.0f / sqrtf((float)D);
    a.q = q;
    a.ctx_len = len;
    a.k = mode == KV_ATTN_CONTIG ? k : pk;
    a.v = mode == KV_ATTN_CONTIG ? v : pv;
    a.block_table = bt;
    a.slab = slab;
    a.offsets = off;
    a.out = out;
    size_t need = kv_attn_workspace_bytes(&a);
    if (need > ws_bytes) {
      cudaCheck(cudaFree(ws));
      cudaCheck(cudaMalloc(&ws, need));
      ws_bytes = need;
    }
    a.workspace = ws;
    return a;
  }

  /* one launch's output (the output cleared to NaN before) */
  std::vector<float> run_out(const kv_attn_desc &a, cudaStream_t s) {
    std::vector<float> o(nout);
    cudaCheck(cudaMemsetAsync(out, 0xff, nout * sizeof(float), s));
    cudaCheck(kv_attn_launch(&a, s));
    cudaCheck(cudaStreamSynchronize(s));
    cudaCheck(cudaMemcpy(o.data(), out, nout * sizeof(float),
                         cudaMemcpyDeviceToHost));
    return o;
  }

  /* The contiguous output ref_out checked on four requests against a
   * float64 CPU reference: the relative L2 difference (exits past 1e-3). */
  static double check_cpu(const std::vector<float> &ref_out);

  /* The same K/V rows placed for bs-token blocks in random order: the
   * pools through a block table (*dbt), the slab through an offset table
   * (*doff), both allocated here. */
  void place(uint32_t bs, int32_t **dbt_out, int64_t **doff_out,
             cudaStream_t s);

  /* The table modes' outputs against the contiguous one (ref_gpu): the
   * worse relative L2 difference (exits past kAttnSameTol). */
  double check_tables(uint32_t bs, const int32_t *dbt, const int64_t *doff,
                      const std::vector<double> &ref_gpu, cudaStream_t s);

  /* The best time of each mode over splits 4, 8, 16, cold L2: curves
   * attn_time_<mode> and the ratios over contiguous. */
  void time_modes(curve_set &cs, uint32_t bs, const int32_t *dbt,
                  const int64_t *doff, lab_l2_flusher &l2, cudaStream_t s);

  void free_all() {
    for (void *p : {(void *)q, (void *)k, (void *)v, (void *)pk, (void *)pv,
                    (void *)slab, (void *)len, (void *)out, ws})
      cudaCheck(cudaFree(p));
  }
};

double attn_bufs::check_cpu(const std::vector<float> &ref_out) {
  std::vector<double> ref(nout, 0.0);
  double cpu_err = 0;
  {
    const double scale = 1.0 / std::sqrt((double)D);
    std::vector<double> kf((size_t)CTX * D), vf((size_t)CTX * D), sc(CTX),
        qd(D);
    double num = 0, den = 0;
    for (uint32_t b : {0u, B / 3, 2 * B / 3, B - 1})
      for (uint32_t h = 0; h < KVH; h++) {
        for (uint32_t t = 0; t < CTX; t++)
          for (uint32_t e = 0; e < D; e++) {
            uint64_t i = (((uint64_t)b * CTX + t) * KVH + h) * D + e;
            kf[(size_t)t * D + e] = attn_half(i, 1);
            vf[(size_t)t * D + e] = attn_half(i, 2);
          }
        for (uint32_t qh = h * G; qh < (h + 1) * G; qh++) {
          size_t o = ((size_t)b * QH + qh) * D;
          for (uint32_t e = 0; e < D; e++)
            qd[e] = attn_half(o + e, 3);
          double m = -INFINITY, l = 0;
          for (uint32_t t = 0; t < CTX; t++) {
            double dot = 0;
            for (uint32_t e = 0; e < D; e++)
              dot += qd[e] * kf[(size_t)t * D + e];
            sc[t] = dot * scale;
            m = std::max(m, sc[t]);
          }
          for (uint32_t t = 0; t < CTX; t++)
            l += sc[t] = std::exp(sc[t] - m);
          for (uint32_t t = 0; t < CTX; t++)
            for (uint32_t e = 0; e < D; e++)
              ref[o + e] += sc[t] / l * vf[(size_t)t * D + e];
          for (uint32_t e = 0; e < D; e++) {
            double dlt = ref_out[o + e] - ref[o + e];
            num += dlt * dlt;
            den += ref[o + e] * ref[o + e];
          }
        }
      }
    cpu_err = std::sqrt(num / den);
  }
  if (!(cpu_err <= 1e-3)) {
    fprintf(stderr,
            "%s:%d: attention check: contiguous output vs float64 reference: "
            "relative L2 %.3g (tolerance 1e-3)\n",
            __FILE__, __LINE__, cpu_err);
    exit(EXIT_FAILURE);
  }
  return cpu_err;
}

void attn_bufs::place(uint32_t bs, int32_t **dbt_out, int64_t **doff_out,
                      cudaStream_t s) {
  uint32_t max_blocks = CTX / bs;
  uint64_t nblk = (uint64_t)B * max_blocks;
  lab_rng r(31 + bs);
  std::vector<uint64_t> p1 = lab_permutation(nblk, r),
                        p2 = lab_permutation(nblk, r);
  std::vector<int32_t> bt(nblk);
  std::vector<int64_t> off(nblk);
  for (uint64_t i = 0; i < nblk; i++) {
    bt[i] = (int32_t)p1[i];
    off[i] = (int64_t)(p2[i] * 2 * bs * row_halves * sizeof(__half));
  }
  int32_t *dbt;
  int64_t *doff;
  cudaCheck(cudaMalloc(&dbt, nblk * sizeof(int32_t)));
  cudaCheck(cudaMalloc(&doff, nblk * sizeof(int64_t)));
  cudaCheck(cudaMemcpy(dbt, bt.data(), nblk * sizeof(int32_t),
                       cudaMemcpyHostToDevice));
  cudaCheck(cudaMemcpy(doff, off.data(), nblk * sizeof(int64_t),
                       cudaMemcpyHostToDevice));
  cudaCheck(cudaDeviceSynchronize());
  attn_place_kernel<<<B * CTX, 128, 0, s>>>(
      (const int4 *)k, (const int4 *)v, (int4 *)pk, (int4 *)pv, slab, dbt, doff,
      CTX, bs, max_blocks, row_halves * sizeof(__half) / 16);
  cudaCheckLaunch();
  cudaCheck(cudaStreamSynchronize(s));
  *dbt_out = dbt;
  *doff_out = doff;
}

double attn_bufs::check_tables(uint32_t bs, const int32_t *dbt,
                               const int64_t *doff,
                               const std::vector<double> &ref_gpu,
                               cudaStream_t s) {
  double worst_same = 0;
  for (int mode : {KV_ATTN_BLOCK_TABLE, KV_ATTN_OFFSET_TABLE}) {
    double e =
        rel_l2(run_out(desc(mode, bs, 8, dbt, doff), s), ref_gpu, 0, nout);
    worst_same = std::max(worst_same, e);
    if (!(e <= kAttnSameTol)) {
      fprintf(stderr,
              "%s:%d: attention check: mode %d, %u-token blocks: output "
              "differs from the contiguous one by %.3g (relative L2, "
              "tolerance %.0e)\n",
              __FILE__, __LINE__, mode, bs, e, kAttnSameTol);
      exit(EXIT_FAILURE);
    }
  }
  return worst_same;
}

void attn_bufs::time_modes(curve_set &cs, uint32_t bs, const int32_t *dbt,
                           const int64_t *doff, lab_l2_flusher &l2,
                           cudaStream_t s) {
  double best[3] = {1e30, 1e30, 1e30};
  for (uint32_t splits : {4u, 8u, 16u})
    for (int mode = 0; mode < 3; mode++) {
      kv_attn_desc a = desc(mode, bs, splits, dbt, doff);
      double ms = lab_time_ms(reps(20), s, l2, [&](cudaStream_t st) {
        cudaCheck(kv_attn_launch(&a, st));
      });
      best[mode] = std::min(best[mode], ms * 1e-3);
    }
  cs.add("attn_time_contig", "s", bs, best[0]);
  cs.add("attn_time_block_table", "s", bs, best[1]);
  cs.add("attn_block_table", "ratio", bs, best[1] / best[0]);
  cs.add("attn_time_offset_table", "s", bs, best[2]);
  cs.add("attn_offset_table", "ratio", bs, best[2] / best[0]);
}

void measure_attn(curve_set &cs, results &R, cudaStream_t s) {
  attn_bufs a;
  a.setup(s);
  /* the contiguous output, checked on four requests against float64 */
  std::vector<float> ref_out =
      a.run_out(a.desc(KV_ATTN_CONTIG, 16, 8, nullptr, nullptr), s);
  double cpu_err = attn_bufs::check_cpu(ref_out);
  std::vector<double> ref_gpu(ref_out.begin(), ref_out.end());
  lab_l2_flusher l2;
  double worst_same = 0;
  for (uint32_t bs : {1u, 4u, 16u, 64u, 256u}) {
    int32_t *dbt;
    int64_t *doff;
    a.place(bs, &dbt, &doff, s);
    worst_same =
        std::max(worst_same, a.check_tables(bs, dbt, doff, ref_gpu, s));
    a.time_modes(cs, bs, dbt, doff, l2, s);
    cudaCheck(cudaFree(dbt));
    cudaCheck(cudaFree(doff));
  }
  a.free_all();
  print_attn_table(R.out, cs,
                   "kv_attn_launch; batch 64, context 2048, 32 q heads, 8 kv "
                   "heads x 128, fp16, blocks in random order; best of "
                   "splits 4, 8, 16; cold L2");
  R.note("attention check: block-table and offset-table outputs equal the "
         "contiguous one at every block size (worst relative L2 %.2g, "
         "tolerance %.0e); contiguous vs float64 CPU reference on 4 requests "
         "%.2g (tolerance 1e-3)",
         worst_same, kAttnSameTol, cpu_err);
}
