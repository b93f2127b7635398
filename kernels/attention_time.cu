/* attention_time.cu - lab_attention's timings (after the checks pass): GB/s
 * of K+V at Llama-3-8B layer shapes, % of a D2D copy measured in the same
 * run, tables / contig, prefill TFLOP/s; and --table FILE, the
 * addressing-mode grid as CSV. What the files share: attention_lab.cuh.
 * Main entry points: run_bench, run_table.
 */
#include "attention_lab.cuh"

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

void run_bench(lab_rng &r) {
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

int run_table(const char *path, uint32_t QH, uint32_t KVH, uint32_t D,
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
