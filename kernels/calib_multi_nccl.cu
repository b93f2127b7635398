/* calib_multi_nccl.cu - kvsim-calibrate-multi's all-reduce (sum, bf16)
 * through NCCL's C API for TP 2, 4 and 8 (those that fit the GPUs
 * present): NCCL opened at run time (dlopen of libnccl.so.2; missing, or
 * built without nccl.h, the report says so), NVLink multicast kept off
 * (NCCL_NVLS_ENABLE=0), every result checked against the sum before the
 * size is timed. What the files share: calib_multi.cuh.
 * Main entry point: measure_allreduce.
 */
#include <dlfcn.h>

#include "calib_multi.cuh"

#ifdef KV_HAVE_NCCL
#include <nccl.h>
#endif

/* ---- all-reduce through NCCL ------------------------------------------- */

/* The value element k of rank r holds: a small whole number, exact in
 * bf16, and so are the sums over 8 ranks. */
__host__ __device__ static inline float ar_value(uint64_t k, int r) {
  uint64_t h = (k * 0x9E3779B97F4A7C15ull) >> 59; /* 0..31 */
  return (float)((int)(h % 7) - 3) * (float)(r + 1);
}

__global__ void ar_fill_kernel(__nv_bfloat16 *p, uint64_t n, int r) {
  uint64_t stride = (uint64_t)gridDim.x * blockDim.x;
  for (uint64_t k = (uint64_t)blockIdx.x * blockDim.x + threadIdx.x; k < n;
       k += stride)
    p[k] = __float2bfloat16(ar_value(k, r));
}

/* Counts the elements of an all-reduced buffer that differ from the sum
 * over tp ranks (every element, on the GPU). */
__global__ void ar_check_kernel(const __nv_bfloat16 *p, uint64_t n, int tp,
                                unsigned long long *bad) {
  uint64_t stride = (uint64_t)gridDim.x * blockDim.x;
  unsigned long long b = 0;
  for (uint64_t k = (uint64_t)blockIdx.x * blockDim.x + threadIdx.x; k < n;
       k += stride) {
    float want = 0;
    for (int r = 0; r < tp; r++)
      want += ar_value(k, r);
    if (__bfloat162float(p[k]) != want) b++;
  }
  if (b) atomicAdd(bad, b);
}

#ifdef KV_HAVE_NCCL
/* NCCL's entry points, opened at run time. */
struct nccl_api {
  void *lib = nullptr;
  decltype(&ncclGetVersion) GetVersion = nullptr;
  decltype(&ncclGetErrorString) GetErrorString = nullptr;
  decltype(&ncclCommInitAll) CommInitAll = nullptr;
  decltype(&ncclCommDestroy) CommDestroy = nullptr;
  decltype(&ncclAllReduce) AllReduce = nullptr;
  decltype(&ncclGroupStart) GroupStart = nullptr;
  decltype(&ncclGroupEnd) GroupEnd = nullptr;
};
static nccl_api nccl;

static void nccl_check(ncclResult_t r, const char *file, int line) {
  if (r != ncclSuccess) {
    fprintf(stderr, "[NCCL ERROR] %s:%d: %s\n", file, line,
            nccl.GetErrorString ? nccl.GetErrorString(r) : "unknown");
    exit(EXIT_FAILURE);
  }
}
#define ncclCheck(e) nccl_check((e), __FILE__, __LINE__)

/* Open libnccl.so.2 (the loader's path, then the directory CMake found it
 * in); NULL and a reason in why when it cannot. */
static bool nccl_open(std::string &why) {
  const char *names[] = {"libnccl.so.2", "libnccl.so",
#ifdef KV_NCCL_LIB_DIR
                         KV_NCCL_LIB_DIR "/libnccl.so.2",
#endif
                         nullptr};
  for (int i = 0; names[i] && !nccl.lib; i++)
    nccl.lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
  if (!nccl.lib) {
    const char *e = dlerror();
    why = e ? e : "dlopen failed";
    return false;
  }
#define NCCL_SYM(f)                                                            \
  do {                                                                         \
    *(void **)&nccl.f = dlsym(nccl.lib, "nccl" #f);                            \
    if (!nccl.f) {                                                             \
      why = "symbol nccl" #f " missing";                                       \
      return false;                                                            \
    }                                                                          \
  } while (0)
  NCCL_SYM(GetVersion);
  NCCL_SYM(GetErrorString);
  NCCL_SYM(CommInitAll);
  NCCL_SYM(CommDestroy);
  NCCL_SYM(AllReduce);
  NCCL_SYM(GroupStart);
  NCCL_SYM(GroupEnd);
#undef NCCL_SYM
  return true;
}

/* All-reduce (sum, bf16) on GPUs 0..tp-1 by bytes per GPU: each size
 * checked (every element on the GPU, the first 64 Ki on the CPU), then
 * timed: `iters` group calls between events on every rank's stream, the
 * slowest rank's time per call, median over repetitions. */
static void measure_allreduce_tp(std::vector<gpu_ctx> &g, int tp,
                                 size_t max_bytes, curve_set &cs, results &R) {
  std::vector<ncclComm_t> comm(tp);
  std::vector<int> devs(tp);
  for (int r = 0; r < tp; r++)
    devs[r] = g[r].dev;
  ncclCheck(nccl.CommInitAll(comm.data(), tp, devs.data()));
  std::vector<__nv_bfloat16 *> snd(tp), rcv(tp);
  std::vector<unsigned long long *> bad(tp);
  for (int r = 0; r < tp; r++) {
    cudaCheck(cudaSetDevice(devs[r]));
    cudaCheck(cudaMalloc(&snd[r], max_bytes));
    cudaCheck(cudaMalloc(&rcv[r], max_bytes));
    cudaCheck(cudaMalloc(&bad[r], sizeof(unsigned long long)));
  }
  auto group = [&](size_t n) {
    ncclCheck(nccl.GroupStart());
    for (int r = 0; r < tp; r++)
      ncclCheck(nccl.AllReduce(snd[r], rcv[r], n, ncclBfloat16, ncclSum,
                               comm[r], g[r].s[0]));
    ncclCheck(nccl.GroupEnd());
  };
  char nm[32];
  snprintf(nm, sizeof nm, "allreduce_tp%d", tp);
  for (size_t bytes = 1024; bytes <= max_bytes; bytes *= 4) {
    size_t n = bytes / 2;
    for (int r = 0; r < tp; r++) {
      cudaCheck(cudaSetDevice(devs[r]));
      ar_fill_kernel<<<1024, 256, 0, g[r].s[0]>>>(snd[r], n, r);
      cudaCheckLaunch();
      cudaCheck(cudaMemsetAsync(rcv[r], 0xff, bytes, g[r].s[0]));
      cudaCheck(
          cudaMemsetAsync(bad[r], 0, sizeof(unsigned long long), g[r].s[0]));
    }
    group(n);
    size_t m = std::min<size_t>(n, 1 << 16);
    std::vector<__nv_bfloat16> back(m);
    for (int r = 0; r < tp; r++) {
      cudaCheck(cudaSetDevice(devs[r]));
      ar_check_kernel<<<1024, 256, 0, g[r].s[0]>>>(rcv[r], n, tp, bad[r]);
      cudaCheckLaunch();
      unsigned long long nbad = 0;
      cudaCheck(cudaMemcpyAsync(&nbad, bad[r], sizeof nbad,
                                cudaMemcpyDeviceToHost, g[r].s[0]));
      cudaCheck(cudaMemcpyAsync(back.data(), rcv[r], m * 2,
                                cudaMemcpyDeviceToHost, g[r].s[0]));
      cudaCheck(cudaStreamSynchronize(g[r].s[0]));
      size_t cpu_bad = 0;
      for (size_t k = 0; k < m; k++) {
        float want = 0; /* the CPU's sum of what every rank held */
        for (int q = 0; q < tp; q++)
          want += __bfloat162float(__float2bfloat16(ar_value(k, q)));
        if (__bfloat162float(back[k]) != want) cpu_bad++;
      }
      if (nbad || cpu_bad) {
        fprintf(stderr,
                "%s:%d: all-reduce check: tp %d, %zu bytes, rank %d: %llu "
                "elements wrong on the GPU, %zu of the first %zu against the "
                "CPU's sum\n",
                __FILE__, __LINE__, tp, bytes, r, nbad, cpu_bad, m);
        exit(EXIT_FAILURE);
      }
    }
    int iters = (int)std::min<size_t>(
        200,
        std::max<size_t>(5, (g_quick ? 64ull : 2048ull) * (1 << 20) / bytes));
    if (g_quick) iters = std::min(iters, 10);
    group(n); /* warm-up */
    group(n);
    std::vector<double> t;
    for (int rep = 0; rep < (g_quick ? 2 : 5); rep++) {
      for (int r = 0; r < tp; r++) {
        cudaCheck(cudaSetDevice(devs[r]));
        cudaCheck(cudaStreamSynchronize(g[r].s[0]));
        cudaCheck(cudaEventRecord(g[r].e0[0], g[r].s[0]));
      }
      for (int it = 0; it < iters; it++)
        group(n);
      double worst = 0;
      for (int r = 0; r < tp; r++) {
        cudaCheck(cudaSetDevice(devs[r]));
        cudaCheck(cudaEventRecord(g[r].e1[0], g[r].s[0]));
      }
      for (int r = 0; r < tp; r++) {
        cudaCheck(cudaSetDevice(devs[r]));
        cudaCheck(cudaEventSynchronize(g[r].e1[0]));
        float ms = 0;
        cudaCheck(cudaEventElapsedTime(&ms, g[r].e0[0], g[r].e1[0]));
        worst = std::max(worst, (double)ms * 1e-3 / iters);
      }
      t.push_back(worst);
    }
    double s = lab_median(t);
    cs.add(nm, "s", (double)bytes, s);
    cs.add(std::string(nm) + "_busbw", "B/s", (double)bytes,
           2.0 * (tp - 1) / tp * bytes / s);
  }
  for (int r = 0; r < tp; r++) {
    cudaCheck(cudaSetDevice(devs[r]));
    cudaCheck(cudaFree(snd[r]));
    cudaCheck(cudaFree(rcv[r]));
    cudaCheck(cudaFree(bad[r]));
    ncclCheck(nccl.CommDestroy(comm[r]));
  }
  const curve *c = cs.find(nm);
  fprintf(R.out,
          "\nall-reduce tp %d (NCCL, sum, bf16; every result checked):\n", tp);
  fprintf(R.out, "%12s %12s %14s\n", "bytes/GPU", "us", "bus GB/s");
  for (size_t i = 0; i < c->x.size(); i++)
    fprintf(R.out, "%12.0f %12.2f %14.2f\n", c->x[i], c->y[i] * 1e6,
            2.0 * (tp - 1) / tp * c->x[i] / c->y[i] / 1e9);
}
#endif

/* Runs the all-reduce for every TP degree in {2, 4, 8} the GPUs allow;
 * false (and a note why) when NCCL is missing. */
bool measure_allreduce(std::vector<gpu_ctx> &g, curve_set &cs, results &R) {
  if (g.size() < 2) {
    R.note("all-reduce: one GPU, nothing to measure");
    return false;
  }
#ifndef KV_HAVE_NCCL
  (void)cs;
  R.note("all-reduce: NCCL is missing (built without nccl.h): not measured");
  return false;
#else
  /* NVLink multicast (NVLS) off, before NCCL reads its environment */
  setenv("NCCL_NVLS_ENABLE", "0", 1);
  std::string why;
  if (!nccl_open(why)) {
    R.note("all-reduce: NCCL is missing (%s): not measured", why.c_str());
    return false;
  }
  int v = 0;
  ncclCheck(nccl.GetVersion(&v));
  R.note("all-reduce: NCCL %d (run time; built against %d.%d.%d), "
         "NCCL_NVLS_ENABLE=0 (NVLink multicast off), one thread, "
         "ncclCommInitAll, group calls",
         v, NCCL_MAJOR, NCCL_MINOR, NCCL_PATCH);
  size_t max_bytes = g_quick ? (4ull << 20) : (1ull << 30);
  for (int tp = 2; tp <= 8 && tp <= (int)g.size(); tp *= 2)
    measure_allreduce_tp(g, tp, max_bytes, cs, R);
  return true;
#endif
}
