/* calib_compute.cu - `kvsim-calibrate --compute-table FILE`: the GEMM half of
 * the operator-level compute table (docs/cost_model.md, "Operator-level
 * compute"): bf16 GEMMs through cuBLAS (cublasGemmEx, fp32 accumulation,
 * weights [n][k], activations [m][k], y = x W^T: the layout of a linear
 * layer) over a grid of m (tokens in the step) and the (n, k) shapes of the
 * per-GPU linear layers of common models at the tensor-parallel degrees
 * they are served with (--shapes adds others). Each point is the median,
 * over repetitions, of a run of back-to-back GEMMs that rotate over enough
 * weight copies to exceed twice the L2, as a forward pass reads each layer's
 * weights once; inputs are seeded pseudo-random bf16, never zeros; every
 * shape's product is checked against a CPU float64 reference on sampled
 * elements before it is timed. The attention rows of the table come from
 * `lab_attention --table` (kernels/attention.cu); the two CSVs share one
 * header, so they concatenate (kernels/run_compute.sh).
 * Main entry point: calib_compute_table().
 */
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <cublas_v2.h>
#include <cuda_bf16.h>

#include "common.cuh"

#define CC_BLAS(e)                                                             \
  do {                                                                         \
    cublasStatus_t st_ = (e);                                                  \
    if (st_ != CUBLAS_STATUS_SUCCESS) {                                        \
      fprintf(stderr, "[cuBLAS ERROR] %s:%d: %s: status %d\n", __FILE__,       \
              __LINE__, #e, (int)st_);                                         \
      exit(EXIT_FAILURE);                                                      \
    }                                                                          \
  } while (0)

struct gemm_shape {
  unsigned n, k;
  const char *what;
};

/* Per-GPU linear layers: QKV ((q + 2 kv) heads x head_dim, hidden), O
 * (hidden, q heads x head_dim), gate+up (2 x intermediate, hidden), down
 * (hidden, intermediate), LM head (vocab, hidden), each divided by tp. */
static const gemm_shape kShapes[] = {
    /* Llama-3-8B (Mistral-7B shares all but the LM head), tp 1 */
    {6144, 4096, "llama-3-8b qkv"},
    {4096, 4096, "llama-3-8b o"},
    {28672, 4096, "llama-3-8b gate_up"},
    {4096, 14336, "llama-3-8b down"},
    {128256, 4096, "llama-3-8b lm_head"},
    {32000, 4096, "mistral-7b lm_head"},
    /* Llama-3-8B, tp 2 */
    {3072, 4096, "llama-3-8b/2 qkv"},
    {4096, 2048, "llama-3-8b/2 o"},
    {14336, 4096, "llama-3-8b/2 gate_up"},
    {4096, 7168, "llama-3-8b/2 down"},
    {64128, 4096, "llama-3-8b/2 lm_head"},
    /* Qwen2.5-7B, tp 1 */
    {4608, 3584, "qwen2.5-7b qkv"},
    {3584, 3584, "qwen2.5-7b o"},
    {37888, 3584, "qwen2.5-7b gate_up"},
    {3584, 18944, "qwen2.5-7b down"},
    {152064, 3584, "qwen2.5-7b lm_head"},
    /* Llama-3-70B / Llama-2-70B, tp 2 and 4 */
    {5120, 8192, "llama-70b/2 qkv"},
    {8192, 4096, "llama-70b/2 o"},
    {28672, 8192, "llama-70b/2 gate_up"},
    {8192, 14336, "llama-70b/2 down"},
    {64128, 8192, "llama-3-70b/2 lm_head"},
    {2560, 8192, "llama-70b/4 qkv"},
    {8192, 2048, "llama-70b/4 o"},
    {14336, 8192, "llama-70b/4 gate_up"},
    {8192, 7168, "llama-70b/4 down"},
    {32064, 8192, "llama-3-70b/4 lm_head"},
    {8000, 8192, "llama-2-70b/4 lm_head"},
    /* CodeLlama-34B, tp 2 */
    {22016, 8192, "codellama-34b/2 gate_up"},
    {8192, 11008, "codellama-34b/2 down"},
    {16000, 8192, "codellama-34b/2 lm_head"},
};

static const unsigned kM[] = {1,   2,   4,    8,    16,   32,   64,   128,
                              256, 512, 1024, 2048, 4096, 8192, 16384};

__global__ void cc_fill(__nv_bfloat16 *p, size_t n, uint64_t seed,
                        float scale) {
  size_t stride = (size_t)gridDim.x * blockDim.x;
  for (size_t i = (size_t)blockIdx.x * blockDim.x + threadIdx.x; i < n;
       i += stride) {
    uint64_t x = (i + 1) * 0x9e3779b97f4a7c15ull ^ seed;
    x ^= x >> 31;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 29;
    float u = (float)(x >> 40) * (1.0f / 16777216.0f);
    p[i] = __float2bfloat16((2.0f * u - 1.0f) * scale);
  }
}

static void gemm(cublasHandle_t h, const void *w, const void *x, void *y,
                 unsigned m, unsigned n, unsigned k) {
  const float one = 1.0f, zero = 0.0f;
  CC_BLAS(cublasGemmEx(h, CUBLAS_OP_T, CUBLAS_OP_N, (int)n, (int)m, (int)k,
                       &one, w, CUDA_R_16BF, (int)k, x, CUDA_R_16BF, (int)k,
                       &zero, y, CUDA_R_16BF, (int)n, CUBLAS_COMPUTE_32F,
                       CUBLAS_GEMM_DEFAULT));
}

static double bf(const __nv_bfloat16 &v) {
  return (double)__bfloat162float(v);
}

/* Sampled elements of y = x W^T against float64: max |err| / (rms of the
 * row's terms * sqrt(k)) must stay under bf16 rounding of the output. */
static bool check_shape(cublasHandle_t h, cudaStream_t s, unsigned m,
                        unsigned n, unsigned k, __nv_bfloat16 *dw,
                        __nv_bfloat16 *dx, __nv_bfloat16 *dy) {
  cudaCheck(cudaMemsetAsync(dy, 0xff, (size_t)m * n * 2, s)); /* NaN poison */
  gemm(h, dw, dx, dy, m, n, k);
  cudaCheck(cudaGetLastError());
  cudaCheck(cudaStreamSynchronize(s));
  std::vector<__nv_bfloat16> x((size_t)m * k), wrow(k), y((size_t)m * n);
  cudaCheck(cudaMemcpy(x.data(), dx, x.size() * 2, cudaMemcpyDeviceToHost));
  cudaCheck(cudaMemcpy(y.data(), dy, y.size() * 2, cudaMemcpyDeviceToHost));
  for (size_t i = 0; i < y.size(); i++)
    if (!std::isfinite(bf(y[i]))) {
      fprintf(stderr, "gemm %ux%ux%u: element %zu not written or not finite\n",
              m, n, k, i);
      return false;
    }
  lab_rng r(0xc0ffee ^ n ^ ((uint64_t)k << 20));
  for (int t = 0; t < 64; t++) {
    unsigned j = (unsigned)r.below(n), i = (unsigned)r.below(m);
    cudaCheck(cudaMemcpy(wrow.data(), dw + (size_t)j * k, (size_t)k * 2,
                         cudaMemcpyDeviceToHost));
    double ref = 0, mag = 0;
    for (unsigned q = 0; q < k; q++) {
      double p = bf(x[(size_t)i * k + q]) * bf(wrow[q]);
      ref += p;
      mag += p * p;
    }
    double err = std::fabs(bf(y[(size_t)i * n + j]) - ref);
    double tol = 1e-2 * std::sqrt(mag) + 1e-2 * std::fabs(ref) + 1e-6;
    if (err > tol) {
      fprintf(stderr,
              "gemm %ux%ux%u: y[%u][%u] = %.6g, reference %.6g (|err| %.3g "
              "> %.3g)\n",
              m, n, k, i, j, bf(y[(size_t)i * n + j]), ref, err, tol);
      return false;
    }
  }
  return true;
}

int calib_compute_table(const char *path, const char *extra_shapes,
                        bool quick) {
  lab_require_device();
  std::vector<gemm_shape> shapes(std::begin(kShapes), std::end(kShapes));
  std::vector<std::string> keep;
  if (extra_shapes) { /* "N,K;N,K;..." */
    const char *p = extra_shapes;
    while (*p) {
      unsigned n = 0, k = 0;
      int used = 0;
      if (sscanf(p, "%u,%u%n", &n, &k, &used) != 2 || n == 0 || k == 0) {
        fprintf(stderr, "--shapes: expected N,K;N,K;... at \"%s\"\n", p);
        return 2;
      }
      shapes.push_back({n, k, "--shapes"});
      p += used;
      if (*p == ';') p++;
    }
  }
  FILE *f = fopen(path, "w");
  if (!f) {
    fprintf(stderr, "%s: cannot write: %s\n", path, strerror(errno));
    return 1;
  }
  cudaDeviceProp prop;
  cudaCheck(cudaGetDeviceProperties(&prop, 0));
  fprintf(f,
          "# kvsim compute table (GEMM rows): kvsim-calibrate "
          "--compute-table, %s, cuBLAS bf16 GEMM, fp32 accumulation, "
          "median seconds per call\n",
          prop.name);
  fprintf(f, "kind,mode,block,m,n,k,batch,context,q_heads,kv_heads,head_dim,"
             "seconds\n");
  cudaStream_t s;
  cudaCheck(cudaStreamCreate(&s));
  cublasHandle_t h;
  CC_BLAS(cublasCreate(&h));
  CC_BLAS(cublasSetStream(h, s));
  void *ws;
  cudaCheck(cudaMalloc(&ws, 32u << 20));
  CC_BLAS(cublasSetWorkspace(h, ws, 32u << 20));
  unsigned mmax = quick ? 256 : 16384;
  size_t l2 = (size_t)prop.l2CacheSize;
  /* buffers for the largest shape */
  size_t wmax = 0, nmax = 0, kmax = 0;
  for (auto &sh : shapes) {
    wmax = std::max(wmax, (size_t)sh.n * sh.k);
    nmax = std::max(nmax, (size_t)sh.n);
    kmax = std::max(kmax, (size_t)sh.k);
  }
  size_t wpool = std::max(wmax, 4 * l2 / 2); /* elements: >= 4x L2 bytes */
  __nv_bfloat16 *dw, *dx, *dy;
  cudaCheck(cudaMalloc(&dw, wpool * 2));
  cudaCheck(cudaMalloc(&dx, (size_t)mmax * kmax * 2));
  cudaCheck(cudaMalloc(&dy, (size_t)mmax * nmax * 2));
  cc_fill<<<1024, 256, 0, s>>>(dw, wpool, 11, 0.05f);
  cc_fill<<<1024, 256, 0, s>>>(dx, (size_t)mmax * kmax, 12, 1.0f);
  cudaCheck(cudaGetLastError());
  cudaEvent_t a, b;
  cudaCheck(cudaEventCreate(&a));
  cudaCheck(cudaEventCreate(&b));
  int failed = 0;
  size_t done = 0, total = shapes.size();
  for (auto &sh : shapes) {
    size_t wel = (size_t)sh.n * sh.k;
    size_t copies = std::max<size_t>(1, std::min(wpool / wel, (size_t)64));
    /* rotate over copies whose bytes exceed 2x L2 when they can */
    if (!check_shape(h, s, 7, sh.n, sh.k, dw, dx, dy) ||
        !check_shape(h, s, 64, sh.n, sh.k, dw + (copies - 1) * wel, dx, dy)) {
      failed++;
      continue;
    }
    for (unsigned m : kM) {
      if (m > mmax) break;
      double flop = 2.0 * m * sh.n * sh.k;
      int count = (int)std::max<size_t>(copies, flop < 1e10 ? 16 : 4);
      int outer = quick ? 3 : (flop < 1e11 ? 9 : 5);
      for (int i = 0; i < 2; i++) /* warm-up: handles, heuristics, clocks */
        gemm(h, dw, dx, dy, m, sh.n, sh.k);
      std::vector<double> t;
      for (int o = 0; o < outer; o++) {
        cudaCheck(cudaEventRecord(a, s));
        for (int i = 0; i < count; i++)
          gemm(h, dw + (size_t)(i % copies) * wel, dx, dy, m, sh.n, sh.k);
        cudaCheck(cudaEventRecord(b, s));
        cudaCheck(cudaEventSynchronize(b));
        float ms = 0;
        cudaCheck(cudaEventElapsedTime(&ms, a, b));
        t.push_back(ms * 1e-3 / count);
      }
      std::sort(t.begin(), t.end());
      fprintf(f, "gemm,,0,%u,%u,%u,0,0,0,0,0,%.9g\n", m, sh.n, sh.k,
              t[t.size() / 2]);
    }
    done++;
    fprintf(stderr, "compute table: %zu/%zu shapes (%s)\n", done, total,
            sh.what);
  }
  cudaCheck(cudaGetLastError());
  if (fclose(f) != 0) {
    fprintf(stderr, "%s: write failed\n", path);
    return 1;
  }
  cudaFree(dw);
  cudaFree(dx);
  cudaFree(dy);
  cudaFree(ws);
  cublasDestroy(h);
  cudaStreamDestroy(s);
  if (failed) {
    fprintf(stderr, "compute table: %d shapes failed their check\n", failed);
    return 1;
  }
  printf("wrote %s (%zu shapes x up to %zu m)\n", path, total,
         sizeof kM / sizeof kM[0]);
  return 0;
}
