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
 * The program's files and what each holds: attention_lab.cuh. Here: main,
 * the versions by number, the mode names, device copies of a host problem
 * and the checks against the CPU reference.
 * Exit: 0 pass, 1 fail, 77 no CUDA device. Main entry point: main().
 */
#include "attention_lab.cuh"

/* The versions by number at run time (the library instantiates only its
 * promoted ones; this lab holds them all). An unknown version is
 * refused. */
cudaError_t launch_decode(int version, const kv_attention_desc *d,
                          uint32_t splits, void *workspace, cudaStream_t s) {
  static_assert(kvat::kDecodeVersions == 4, "one case per decode version");
  switch (version) {
  case 1: return kvat::launch_decode<1>(d, splits, workspace, s);
  case 2: return kvat::launch_decode<2>(d, splits, workspace, s);
  case 3: return kvat::launch_decode<3>(d, splits, workspace, s);
  case 4: return kvat::launch_decode<4>(d, splits, workspace, s);
  default: return cudaErrorInvalidValue;
  }
}

cudaError_t launch_prefill(int version, const kv_attention_desc *d,
                           uint32_t max_q, cudaStream_t s) {
  static_assert(kvat::kPrefillVersions == 2, "one case per prefill version");
  switch (version) {
  case 1: return kvat::launch_prefill<1>(d, max_q, s);
  case 2: return kvat::launch_prefill<2>(d, max_q, s);
  default: return cudaErrorInvalidValue;
  }
}

const char *kModeName[] = {"contiguous", "block-table", "offset-table"};
const char *kModeCsv[] = {"contig", "block_table", "offset_table"};
static const double kTol = 1e-2; /* relative L2 error, bf16 output */

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
