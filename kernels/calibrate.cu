/* calibrate.cu - kvsim-calibrate: measures the platform constants the
 * simulator uses (struct kv_platform in core/platform.h) on the GPU at hand
 * and prints them as a human-readable table; with --lua FILE it also writes
 * them as a Lua platform description (`return { name = ..., ... }`) whose
 * comments give the medians behind each figure and the device.
 * Measured: PCIe H2D/D2H bandwidth by size (pinned), fixed cost per copy,
 * duplex (which gives host_bw), device-to-device copy, HBM read stream (the
 * best of a few read kernels, the GPU backend's weight read among them),
 * bf16 matrix rate (cuBLAS), CUDA VMM driver call latencies (in isolation
 * by handle size, and per call in create/map/set-access/unmap/release
 * cycles among live handles, the way a run makes them), SM gather/scatter
 * rate over scattered pinned host pages by SMs used, zero-copy read
 * latency, kernel launch overhead, the table write the GPU backend performs
 * (a small H2D copy), SM count and memory size. Each figure is measured as
 * the GPU backend (gpu/) performs the operation it stands for.
 * Usage: kvsim-calibrate [--lua FILE] [--name NAME] [--quick]
 * Main entry point: main().
 */
#include <algorithm>
#include <chrono>
#include <cstdarg>
#include <ctime>
#include <string>

#include <cublas_v2.h>
#include <cuda.h>
#include <cuda_bf16.h>

#include "common.cuh"
#include "kv_kernels.h"

/* Driver API entry points, fetched through the runtime so that the program
 * does not link libcuda and still starts (and reports "skipped") on a
 * machine without a driver. */
struct driver_api {
  decltype(&cuGetErrorString) getErrorString;
  decltype(&cuDeviceGet) deviceGet;
  decltype(&cuMemGetAllocationGranularity) granularity;
  decltype(&cuMemAddressReserve) addressReserve;
  decltype(&cuMemAddressFree) addressFree;
  decltype(&cuMemCreate) create;
  decltype(&cuMemMap) map;
  decltype(&cuMemSetAccess) setAccess;
  decltype(&cuMemUnmap) unmap;
  decltype(&cuMemRelease) release;
};
static driver_api drv_api;

template <class F> static void get_entry(const char *sym, F &fp) {
  cudaDriverEntryPointQueryResult q;
  void *p = nullptr;
  cudaCheck(
      cudaGetDriverEntryPointByVersion(sym, &p, 12000, cudaEnableDefault, &q));
  if (q != cudaDriverEntryPointSuccess || !p) {
    fprintf(stderr, "%s:%d: driver entry point %s not found\n", __FILE__,
            __LINE__, sym);
    exit(EXIT_FAILURE);
  }
  fp = (F)p;
}

static void load_driver_api(void) {
  get_entry("cuGetErrorString", drv_api.getErrorString);
  get_entry("cuDeviceGet", drv_api.deviceGet);
  get_entry("cuMemGetAllocationGranularity", drv_api.granularity);
  get_entry("cuMemAddressReserve", drv_api.addressReserve);
  get_entry("cuMemAddressFree", drv_api.addressFree);
  get_entry("cuMemCreate", drv_api.create);
  get_entry("cuMemMap", drv_api.map);
  get_entry("cuMemSetAccess", drv_api.setAccess);
  get_entry("cuMemUnmap", drv_api.unmap);
  get_entry("cuMemRelease", drv_api.release);
}

static void cu_check(CUresult r, const char *file, int line) {
  if (r != CUDA_SUCCESS) {
    const char *s = nullptr;
    drv_api.getErrorString(r, &s);
    fprintf(stderr, "[CUDA DRIVER ERROR] %s:%d: %s\n", file, line,
            s ? s : "unknown");
    exit(EXIT_FAILURE);
  }
}
#define cuCheck(e) cu_check((e), __FILE__, __LINE__)

static void cublas_check(cublasStatus_t s, const char *file, int line) {
  if (s != CUBLAS_STATUS_SUCCESS) {
    fprintf(stderr, "[cuBLAS ERROR] %s:%d: status %d\n", file, line, (int)s);
    exit(EXIT_FAILURE);
  }
}
#define cublasCheck(e) cublas_check((e), __FILE__, __LINE__)

/* The GPU backend's weight read (gpu/gpu_kernels.cu, compiled into this
 * program too): the compute stand-in streams its weight bytes with it. */
extern "C" cudaError_t gpu_weight_read_launch(const void *buf, uint64_t bytes,
                                              uint64_t reps, uint64_t tail,
                                              unsigned long long *sink,
                                              int blocks, cudaStream_t stream);

/* Nearest-rank quantile (q in [0, 1]) of v. */
static double quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t k = (size_t)std::ceil(q * (double)v.size());
  if (k < 1) k = 1;
  return v[k - 1];
}

static double now_s(void) {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

static bool g_quick = false;
static int reps(int n) {
  return g_quick ? (n > 5 ? 5 : n) : n;
}

/* GPU time in ms of fn(s) issued `count` times back to back (events),
 * median over `outer` repetitions, divided by count. */
template <class F>
static double per_op_ms(int outer, int count, cudaStream_t s, F fn) {
  cudaEvent_t a, b;
  cudaCheck(cudaEventCreate(&a));
  cudaCheck(cudaEventCreate(&b));
  fn(s);
  cudaCheck(cudaStreamSynchronize(s));
  std::vector<double> t;
  for (int o = 0; o < outer; o++) {
    cudaCheck(cudaEventRecord(a, s));
    for (int i = 0; i < count; i++)
      fn(s);
    cudaCheck(cudaEventRecord(b, s));
    cudaCheck(cudaEventSynchronize(b));
    float ms = 0;
    cudaCheck(cudaEventElapsedTime(&ms, a, b));
    t.push_back(ms / count);
  }
  cudaCheck(cudaEventDestroy(a));
  cudaCheck(cudaEventDestroy(b));
  return lab_median(t);
}

__global__ void empty_kernel(void) {}

/* HBM read stream: every thread sums int4 words; the sum is stored so the
 * loads cannot be dropped. */
__global__ void read_kernel(const int4 *p, uint64_t n, unsigned *out) {
  unsigned acc = 0;
  uint64_t stride = (uint64_t)gridDim.x * blockDim.x;
  uint64_t i = (uint64_t)blockIdx.x * blockDim.x + threadIdx.x;
  for (; i + 3 * stride < n; i += 4 * stride) {
    int4 a = p[i], b = p[i + stride], c = p[i + 2 * stride],
         d = p[i + 3 * stride];
    acc += a.x ^ b.y ^ c.z ^ d.w;
  }
  for (; i < n; i += stride)
    acc += p[i].x;
  if (acc == 0x12345678u) out[0] = acc;
}

/* zero-copy latency: one thread follows a chain of indices in host memory */
__global__ void chase_kernel(const volatile uint32_t *p, int steps,
                             uint32_t *out) {
  uint32_t j = 0;
  for (int i = 0; i < steps; i++)
    j = p[j];
  out[0] = j;
}

struct results {
  std::string lines; /* Lua comment lines */
  void note(const char *fmt, ...) __attribute__((format(printf, 2, 3)));
};

void results::note(const char *fmt, ...) {
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  printf("%s\n", buf);
  lines += "-- ";
  lines += buf;
  lines += "\n";
}

int main(int argc, char **argv) {
  lab_require_device();
  const char *lua_path = nullptr;
  const char *name = "h100-measured";
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--lua") && i + 1 < argc)
      lua_path = argv[++i];
    else if (!strcmp(argv[i], "--name") && i + 1 < argc)
      name = argv[++i];
    else if (!strcmp(argv[i], "--quick"))
      g_quick = true;
    else {
      fprintf(stderr, "usage: %s [--lua FILE] [--name NAME] [--quick]\n",
              argv[0]);
      return 2;
    }
  }
  results R;
  int dev = 0, ndev = 0, drv = 0;
  cudaDeviceProp prop;
  cudaCheck(cudaGetDeviceCount(&ndev));
  cudaCheck(cudaGetDeviceProperties(&prop, dev));
  cudaCheck(cudaDriverGetVersion(&drv));
  size_t mem_free = 0, mem_total = 0;
  cudaCheck(cudaMemGetInfo(&mem_free, &mem_total));
  char date[32];
  time_t tt = time(nullptr);
  strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", gmtime(&tt));
  R.note("device: %s, %d SMs, %zu bytes (%zu free), %d GPU(s), driver API "
         "%d, %s",
         prop.name, prop.multiProcessorCount, mem_total, mem_free, ndev, drv,
         date);

  cudaStream_t s1, s2;
  cudaCheck(cudaStreamCreateWithFlags(&s1, cudaStreamNonBlocking));
  cudaCheck(cudaStreamCreateWithFlags(&s2, cudaStreamNonBlocking));
  const size_t big = 256ull << 20;
  char *d1, *d2, *h1, *h2;
  cudaCheck(cudaMalloc(&d1, big));
  cudaCheck(cudaMalloc(&d2, big));
  cudaCheck(cudaHostAlloc((void **)&h1, big, cudaHostAllocMapped));
  cudaCheck(cudaHostAlloc((void **)&h2, big, cudaHostAllocMapped));
  memset(h1, 0x3c, big);
  memset(h2, 0xc3, big);
  cudaCheck(cudaMemset(d1, 1, big));
  cudaCheck(cudaMemset(d2, 2, big));

  /* ---- PCIe bandwidth by size ---- */
  printf("\nPCIe copies, pinned, back to back on one stream (per copy):\n");
  printf("%12s %12s %10s %12s %10s\n", "bytes", "H2D us", "H2D GB/s", "D2H us",
         "D2H GB/s");
  std::vector<double> sizes, th2d, td2h;
  for (size_t sz = 4096; sz <= big; sz *= 4) {
    int count =
        (int)std::min<size_t>(2000, std::max<size_t>(4, (1ull << 30) / sz));
    if (g_quick) count = std::min(count, 20);
    double a = per_op_ms(reps(5), count, s1, [&](cudaStream_t s) {
      cudaCheck(cudaMemcpyAsync(d1, h1, sz, cudaMemcpyHostToDevice, s));
    });
    double b = per_op_ms(reps(5), count, s1, [&](cudaStream_t s) {
      cudaCheck(cudaMemcpyAsync(h2, d2, sz, cudaMemcpyDeviceToHost, s));
    });
    sizes.push_back((double)sz);
    th2d.push_back(a * 1e-3);
    td2h.push_back(b * 1e-3);
    printf("%12zu %12.2f %10.2f %12.2f %10.2f\n", sz, a * 1e3,
           lab_gbps((double)sz, a), b * 1e3, lab_gbps((double)sz, b));
  }
  double bw_h2d = sizes.back() / th2d.back(),
         bw_d2h = sizes.back() / td2h.back();
  double pcie_bw = std::min(bw_h2d, bw_d2h);
  /* fixed cost: what a copy costs beyond bytes / large-copy bandwidth,
   * median over the sizes up to 64 KiB, both directions */
  std::vector<double> fixed;
  for (size_t i = 0; i < sizes.size(); i++)
    if (sizes[i] <= 65536) {
      fixed.push_back(th2d[i] - sizes[i] / bw_h2d);
      fixed.push_back(td2h[i] - sizes[i] / bw_d2h);
    }
  double copy_overhead = lab_median(fixed);
  double one_byte =
      per_op_ms(reps(5), g_quick ? 20 : 2000, s1, [&](cudaStream_t s) {
        cudaCheck(cudaMemcpyAsync(d1, h1, 1, cudaMemcpyHostToDevice, s));
      });
  std::vector<double> rt;
  for (int i = 0; i < reps(101); i++) {
    double t0 = now_s();
    cudaCheck(cudaMemcpyAsync(d1, h1, 1, cudaMemcpyHostToDevice, s1));
    cudaCheck(cudaStreamSynchronize(s1));
    rt.push_back(now_s() - t0);
  }
  R.note("pcie H2D %.2f GB/s, D2H %.2f GB/s at 256 MiB (pcie_bw = the lower)",
         bw_h2d / 1e9, bw_d2h / 1e9);
  R.note("copy fixed cost %.2f us (median of time - bytes/bw, 4..64 KiB, "
         "both directions); 1-byte copies back to back %.2f us each; 1-byte "
         "copy + sync round trip %.2f us (median)",
         copy_overhead * 1e6, one_byte * 1e3, lab_median(rt) * 1e6);

  /* ---- duplex ---- */
  cudaEvent_t fork, join;
  cudaCheck(cudaEventCreateWithFlags(&fork, cudaEventDisableTiming));
  cudaCheck(cudaEventCreateWithFlags(&join, cudaEventDisableTiming));
  double dup_ms = per_op_ms(reps(7), 1, s1, [&](cudaStream_t s) {
    cudaCheck(cudaEventRecord(fork, s));
    cudaCheck(cudaStreamWaitEvent(s2, fork, 0));
    cudaCheck(cudaMemcpyAsync(d1, h1, big, cudaMemcpyHostToDevice, s));
    cudaCheck(cudaMemcpyAsync(h2, d2, big, cudaMemcpyDeviceToHost, s2));
    cudaCheck(cudaEventRecord(join, s2));
    cudaCheck(cudaStreamWaitEvent(s, join, 0));
  });
  /* host_bw: what the DMA engines moved through host DRAM at once, both
   * directions together. It is a lower bound of the host DRAM bandwidth
   * available to DMA (the copies may be limited by PCIe, not DRAM), and the
   * operation kvsim's swaps are made of; a one-thread memcpy (below, a
   * comment only) measures one CPU core instead. */
  double host_bw = 2.0 * big / (dup_ms * 1e-3);
  R.note("duplex (256 MiB each way at once): %.2f GB/s aggregate (host_bw: "
         "a lower bound of host DRAM bandwidth for DMA)",
         lab_gbps(2.0 * big, dup_ms));

  /* ---- device-to-device and HBM read ---- */
  double d2d_ms = per_op_ms(reps(10), 1, s1, [&](cudaStream_t s) {
    cudaCheck(cudaMemcpyAsync(d2, d1, big, cudaMemcpyDeviceToDevice, s));
  });
  double d2d_bw = 2.0 * big / (d2d_ms * 1e-3);
  /* HBM read stream: the best of a few read kernels and launch shapes,
   * the GPU backend's own weight read (its compute stand-in) among them;
   * hbm_bw is what a read stream achieves, which is what the model charges
   * a step's weight and KV bytes at. Every byte must come from HBM: a
   * launch that reads its buffer more than once (reps > 1) keeps all its
   * blocks resident (4 blocks of 512 threads per SM at 16 registers, the
   * stand-in's shape), so each pass streams the whole buffer, 5x the L2
   * or more, before any byte is read again. With more blocks than fit at
   * once, the first wave would re-read its share of the buffer from L2 on
   * every pass (a first try of this program printed 3.86 TB/s for 16
   * blocks/SM, above the HBM3 peak), so those shapes read each byte once
   * per launch. */
  size_t rbytes = 1ull << 30;
  int4 *rbuf;
  unsigned *rout;
  unsigned long long *sink;
  cudaCheck(cudaMalloc(&rbuf, 2 * rbytes));
  cudaCheck(cudaMalloc(&rout, sizeof(unsigned)));
  cudaCheck(cudaMalloc(&sink, sizeof(unsigned long long)));
  cudaCheck(cudaMemset(rbuf, 0, 2 * rbytes));
  int nsm = prop.multiProcessorCount;
  struct read_cfg {
    const char *what;
    int kernel; /* 0 read_kernel, 1 gpu_weight_read_launch */
    size_t buf;
    uint64_t reps; /* passes over buf in one launch (blocks all resident) */
    int blocks;
    int count; /* launches back to back between the events */
  } rcfg[] = {
      {"unrolled x4, 1 GiB, 4 blocks/SM", 0, rbytes, 1, 4 * nsm, 4},
      {"weight read (as the GPU backend), 256 MiB x 16 passes, 4 blocks/SM", 1,
       256ull << 20, 16, 4 * nsm, 1},
      {"weight read, 256 MiB once x 16 launches, 4 blocks/SM", 1, 256ull << 20,
       1, 4 * nsm, 16},
      {"weight read, 1 GiB once, 4 blocks/SM", 1, rbytes, 1, 4 * nsm, 4},
      {"weight read, 1 GiB once, 8 blocks/SM", 1, rbytes, 1, 8 * nsm, 4},
      {"weight read, 1 GiB once, 16 blocks/SM", 1, rbytes, 1, 16 * nsm, 4},
      {"weight read, 2 GiB once, 4 blocks/SM", 1, 2 * rbytes, 1, 4 * nsm, 2},
  };
  double hbm_bw = 0;
  const char *hbm_what = "";
  std::string hbm_all;
  for (const read_cfg &c : rcfg) {
    double ms = per_op_ms(reps(10), c.count, s1, [&](cudaStream_t s) {
      if (c.kernel == 0) {
        read_kernel<<<c.blocks, 512, 0, s>>>(rbuf, c.buf / 16, rout);
        cudaCheckLaunch();
      } else {
        cudaCheck(
            gpu_weight_read_launch(rbuf, c.buf, c.reps, 0, sink, c.blocks, s));
      }
    });
    double bw = (double)c.buf * (double)c.reps / (ms * 1e-3);
    char b[160];
    snprintf(b, sizeof b, "%s%s: %.1f", hbm_all.empty() ? "" : "; ", c.what,
             bw / 1e9);
    hbm_all += b;
    if (bw > hbm_bw) {
      hbm_bw = bw;
      hbm_what = c.what;
    }
  }
  cudaCheck(cudaFree(rbuf));
  cudaCheck(cudaFree(rout));
  cudaCheck(cudaFree(sink));
  R.note("device-to-device copy 256 MiB: %.1f GB/s counting read + write",
         d2d_bw / 1e9);
  R.note("HBM read stream, GB/s: %s", hbm_all.c_str());
  R.note("HBM read stream: %.1f GB/s, the best (%s) (hbm_bw)", hbm_bw / 1e9,
         hbm_what);

  /* ---- bf16 matrix rate ---- */
  double flops = 0;
  {
    const int n = g_quick ? 2048 : 8192;
    __nv_bfloat16 *A, *B, *C;
    cudaCheck(cudaMalloc(&A, (size_t)n * n * 2));
    cudaCheck(cudaMalloc(&B, (size_t)n * n * 2));
    cudaCheck(cudaMalloc(&C, (size_t)n * n * 2));
    std::vector<__nv_bfloat16> hm((size_t)n * n);
    lab_rng r(7);
    for (auto &x : hm)
      x = __float2bfloat16((float)(r.uniform() - 0.5));
    cudaCheck(cudaMemcpy(A, hm.data(), hm.size() * 2, cudaMemcpyHostToDevice));
    cudaCheck(cudaMemcpy(B, hm.data(), hm.size() * 2, cudaMemcpyHostToDevice));
    cublasHandle_t hb;
    cublasCheck(cublasCreate(&hb));
    cublasCheck(cublasSetStream(hb, s1));
    float one = 1.f, zero = 0.f;
    double mm_ms = per_op_ms(reps(10), 1, s1, [&](cudaStream_t) {
      cublasCheck(cublasGemmEx(hb, CUBLAS_OP_N, CUBLAS_OP_N, n, n, n, &one, A,
                               CUDA_R_16BF, n, B, CUDA_R_16BF, n, &zero, C,
                               CUDA_R_16BF, n, CUBLAS_COMPUTE_32F,
                               CUBLAS_GEMM_DEFAULT));
    });
    flops = 2.0 * n * (double)n * n / (mm_ms * 1e-3);
    cublasCheck(cublasDestroy(hb));
    cudaCheck(cudaFree(A));
    cudaCheck(cudaFree(B));
    cudaCheck(cudaFree(C));
    R.note("bf16 matrix product %dx%dx%d (cuBLAS, random data): %.0f TFLOP/s",
           n, n, n, flops / 1e12);
  }

  /* ---- launch overhead and table update ---- */
  double launch_ms =
      per_op_ms(reps(5), g_quick ? 20 : 2000, s1,
                [&](cudaStream_t s) { empty_kernel<<<1, 32, 0, s>>>(); });
  std::vector<double> lrt;
  for (int i = 0; i < reps(201); i++) {
    double t0 = now_s();
    empty_kernel<<<1, 32, 0, s1>>>();
    cudaCheck(cudaStreamSynchronize(s1));
    lrt.push_back(now_s() - t0);
  }
  cudaCheckLaunch();
  /* table write: the GPU backend executes a TABLE_WRITE as one
   * cudaMemcpyAsync H2D from pinned (not mapped) host memory of the
   * entries' bytes (a few bytes to a few KiB), timed by a CUDA event pair
   * around it on a stream with nothing else queued (the step's host work,
   * VMM calls included, comes before it), so the pair also spans the host's
   * enqueueing of the copy. The same here: 4 KiB, the stream idle before
   * each copy, median per copy. Queued back to back (the device time
   * alone) and the former definition (copy + kernel launch) as comments. */
  double table_s, table_p10, table_p90, table_q_s, table_b2b_ms;
  std::vector<double> table_after; /* 4 KiB H2D right after a step */
  {
    const int n = reps(200);
    char *th, *td;
    cudaCheck(cudaHostAlloc((void **)&th, 1 << 20, 0));
    cudaCheck(cudaMalloc(&td, 1 << 20));
    memset(th, 0x5a, 1 << 20);
    std::vector<cudaEvent_t> ev(2 * n);
    for (cudaEvent_t &e : ev)
      cudaCheck(cudaEventCreate(&e));
    std::vector<double> t, tq;
    for (int queued = 0; queued < 2; queued++) {
      cudaCheck(cudaMemcpyAsync(td, th, 4096, cudaMemcpyHostToDevice, s1));
      cudaCheck(cudaStreamSynchronize(s1));
      for (int i = 0; i < n; i++) {
        cudaCheck(cudaEventRecord(ev[2 * i], s1));
        cudaCheck(cudaMemcpyAsync(td, th, 4096, cudaMemcpyHostToDevice, s1));
        cudaCheck(cudaEventRecord(ev[2 * i + 1], s1));
        if (!queued) cudaCheck(cudaStreamSynchronize(s1));
      }
      cudaCheck(cudaStreamSynchronize(s1));
      for (int i = 0; i < n; i++) {
        float ms = 0;
        cudaCheck(cudaEventElapsedTime(&ms, ev[2 * i], ev[2 * i + 1]));
        (queued ? tq : t).push_back(ms * 1e-3);
      }
    }
    for (cudaEvent_t &e : ev)
      cudaCheck(cudaEventDestroy(e));
    /* after a step: a few ms of HBM reading on the same stream, a host
     * sync, then the event pair and the copy, as in a serving run, where
     * a step's table writes follow the previous step's forward pass */
    {
      const size_t rb = 64ull << 20;
      int4 *tw_buf;
      unsigned long long *tw_sink;
      cudaCheck(cudaMalloc(&tw_buf, rb));
      cudaCheck(cudaMalloc(&tw_sink, sizeof *tw_sink));
      cudaCheck(cudaMemset(tw_buf, 0, rb));
      const int na = g_quick ? 5 : 100;
      cudaEvent_t e0, e1;
      cudaCheck(cudaEventCreate(&e0));
      cudaCheck(cudaEventCreate(&e1));
      for (int i = 0; i < na; i++) {
        cudaCheck(gpu_weight_read_launch(tw_buf, rb, 100, 0, tw_sink,
                                         4 * prop.multiProcessorCount, s1));
        cudaCheck(cudaStreamSynchronize(s1));
        cudaCheck(cudaEventRecord(e0, s1));
        cudaCheck(cudaMemcpyAsync(td, th, 4096, cudaMemcpyHostToDevice, s1));
        cudaCheck(cudaEventRecord(e1, s1));
        cudaCheck(cudaStreamSynchronize(s1));
        float ms = 0;
        cudaCheck(cudaEventElapsedTime(&ms, e0, e1));
        table_after.push_back(ms * 1e-3);
      }
      cudaCheck(cudaEventDestroy(e0));
      cudaCheck(cudaEventDestroy(e1));
      cudaCheck(cudaFree(tw_buf));
      cudaCheck(cudaFree(tw_sink));
    }
    table_s = lab_median(t);
    table_p10 = quantile(t, 0.1);
    table_p90 = quantile(t, 0.9);
    table_q_s = lab_median(tq);
    table_b2b_ms =
        per_op_ms(reps(5), g_quick ? 20 : 500, s1, [&](cudaStream_t s) {
          cudaCheck(cudaMemcpyAsync(td, th, 4096, cudaMemcpyHostToDevice, s));
          empty_kernel<<<1, 32, 0, s>>>();
        });
    cudaCheck(cudaFreeHost(th));
    cudaCheck(cudaFree(td));
  }
  R.note("kernel launch: %.2f us each back to back; launch + sync round trip "
         "%.2f us (median)",
         launch_ms * 1e3, lab_median(lrt) * 1e6);
  R.note("table write (4 KiB H2D from pinned memory between CUDA events on an "
         "idle stream, as the GPU backend does): median %.2f us, p10 %.2f, "
         "p90 %.2f (table_write); the same copies queued back to back %.2f "
         "us; the former definition, 4 KiB H2D + kernel launch back to "
         "back, %.2f us",
         table_s * 1e6, table_p10 * 1e6, table_p90 * 1e6, table_q_s * 1e6,
         table_b2b_ms * 1e3);
  R.note("table write right after a step (a read stream of a few ms on the "
         "same stream, then a host sync, then the event pair and the copy; "
         "%zu times): median %.2f us, p10 %.2f, p90 %.2f",
         table_after.size(), lab_median(table_after) * 1e6,
         quantile(table_after, 0.1) * 1e6, quantile(table_after, 0.9) * 1e6);

  /* ---- zero-copy read latency ---- */
  double pcie_lat;
  {
    const int n = 1 << 16, steps = g_quick ? 100 : 2000;
    uint32_t *chain, *out;
    cudaCheck(cudaHostAlloc((void **)&chain, n * sizeof(uint32_t),
                            cudaHostAllocMapped));
    lab_rng r(11);
    std::vector<uint64_t> perm = lab_permutation(n, r);
    for (int i = 0; i < n; i++)
      chain[perm[i]] = (uint32_t)perm[(i + 1) % n];
    cudaCheck(cudaMalloc(&out, sizeof(uint32_t)));
    double ms = per_op_ms(reps(5), 1, s1, [&](cudaStream_t s) {
      chase_kernel<<<1, 1, 0, s>>>(chain, steps, out);
      cudaCheckLaunch();
    });
    pcie_lat = ms * 1e-3 / steps;
    cudaCheck(cudaFreeHost(chain));
    cudaCheck(cudaFree(out));
    R.note("zero-copy dependent read of mapped host memory: %.2f us each "
           "(pcie_lat = round trip)",
           pcie_lat * 1e6);
  }

  /* ---- host memory copy rate (one thread): a comment only ---- */
  {
    std::vector<char> dst(big);
    std::vector<double> t;
    for (int i = 0; i < reps(5); i++) {
      double t0 = now_s();
      memcpy(dst.data(), h1, big);
      t.push_back(now_s() - t0);
    }
    R.note("host memcpy 256 MiB, one thread: %.1f GB/s (one CPU core; not "
           "host_bw, which is the duplex DMA figure)",
           big / lab_median(t) / 1e9);
  }

  /* ---- SM gather/scatter over scattered pinned host pages ---- */
  double sm_bw_1 = 0, sm_duplex = 0;
  {
    void *pair_ctr = nullptr; /* kv_transfer_pair_launch's counters */
    cudaCheck(cudaMalloc(&pair_ctr, 16));
    cudaCheck(cudaMemset(pair_ctr, 0, 16));
    printf("\nSM copy over scattered pinned host pages (kv_transfer_launch, "
           "page-first, 64 MiB, GB/s):\n");
    printf("%8s %4s |", "page", "dir");
    const int smv[] = {1, 2, 4, 8, 16, 32};
    for (int sms : smv)
      printf(" %7d", sms);
    printf("\n");
    lab_l2_flusher l2;
    for (uint32_t tokens : {1u, 16u}) {
      kv_xfer_desc d = {};
      d.layers = 1;
      d.block_tokens = tokens;
      d.row_bytes = 2048;
      d.layout = KV_LAYOUT_PAGE_FIRST;
      uint64_t page = kv_xfer_block_bytes(&d);
      uint64_t n = (64ull << 20) / page;
      d.dev_blocks = 2 * n;
      d.dev_base = d1;
      d.host_base = h1; /* 2n pages of up to 64 KiB fit in 256 MiB */
      lab_rng r(13);
      std::vector<uint64_t> pd = lab_permutation(2 * n, r),
                            ph = lab_permutation(2 * n, r);
      std::vector<int32_t> ids(n), slots(n);
      for (uint64_t i = 0; i < n; i++) {
        ids[i] = (int32_t)pd[i];
        slots[i] = (int32_t)ph[i];
      }
      int32_t *dids, *dslots;
      cudaCheck(cudaMalloc(&dids, n * 4));
      cudaCheck(cudaMalloc(&dslots, n * 4));
      cudaCheck(cudaMemcpy(dids, ids.data(), n * 4, cudaMemcpyHostToDevice));
      cudaCheck(
          cudaMemcpy(dslots, slots.data(), n * 4, cudaMemcpyHostToDevice));
      for (int dir = 0; dir < 2; dir++) {
        printf("%8llu %4s |", (unsigned long long)page, dir ? "H2D" : "D2H");
        for (int sms : smv) {
          double ms = lab_time_ms(reps(7), s1, l2, [&](cudaStream_t s) {
            cudaCheck(kv_transfer_launch(&d, dir, n, dids, dslots, 4, sms, s));
          });
          double g = lab_gbps((double)n * page, ms);
          printf(" %7.2f", g);
          if (sms == 1 && tokens == 16) sm_bw_1 += 0.5 * g * 1e9;
        }
        printf("\n");
      }
      /* both directions at once, one pair kernel on 8 SMs: D2H on the
       * first buffers, H2D on the second */
      if (tokens == 16) {
        kv_xfer_desc d_in = d;
        d_in.dev_base = d2;
        d_in.host_base = h2;
        double ms = lab_time_ms(reps(7), s1, l2, [&](cudaStream_t s) {
          cudaCheck(kv_transfer_pair_launch(&d, KV_XFER_D2H, n, dids, dslots,
                                            &d_in, KV_XFER_H2D, n, dids, dslots,
                                            4, 8, pair_ctr, s));
        });
        sm_duplex = lab_gbps(2.0 * n * page, ms) * 1e9;
      }
      cudaCheck(cudaFree(dids));
      cudaCheck(cudaFree(dslots));
    }
    R.note("SM copy with 1 SM, 64 KiB pages, mean of both directions: %.2f "
           "GB/s (sm_copy_bw_per_sm)",
           sm_bw_1 / 1e9);
    R.note("SM copy both directions at once (kv_transfer_pair_launch, 8 SMs, "
           "64 KiB pages, 64 MiB each way): %.2f GB/s aggregate "
           "(sm_duplex_bw)",
           sm_duplex / 1e9);
    cudaCheck(cudaFree(pair_ctr));
  }

  /* ---- CUDA VMM driver calls ---- */
  double vmm[6] = {0, 0, 0, 0, 0, 0};
  /* isolation medians at the smallest and the largest handle size: their
   * difference per MiB is the size slope of each call */
  double iso_lo[6] = {0}, iso_hi[6] = {0};
  size_t iso_lo_sz = 0, iso_hi_sz = 0;
  size_t gran = 0, gran_rec = 0;
  {
    load_driver_api();
    CUdevice cdev;
    cuCheck(drv_api.deviceGet(&cdev, dev));
    CUmemAllocationProp ap = {};
    ap.type = CU_MEM_ALLOCATION_TYPE_PINNED;
    ap.location.type = CU_MEM_LOCATION_TYPE_DEVICE;
    ap.location.id = cdev;
    cuCheck(drv_api.granularity(&gran, &ap, CU_MEM_ALLOC_GRANULARITY_MINIMUM));
    cuCheck(drv_api.granularity(&gran_rec, &ap,
                                CU_MEM_ALLOC_GRANULARITY_RECOMMENDED));
    CUmemAccessDesc acc = {};
    acc.location = ap.location;
    acc.flags = CU_MEM_ACCESS_FLAGS_PROT_READWRITE;
    printf("\nCUDA VMM driver calls in isolation (one handle created, "
           "mapped and freed at a time, nothing else live), median us over "
           "%d calls (granularity %zu, recommended %zu):\n",
           reps(64), gran, gran_rec);
    const char *names[] = {"reserve", "create",  "map",      "set_access",
                           "unmap",   "release", "addr_free"};
    printf("%10s", "handle");
    for (const char *nm : names)
      printf(" %10s", nm);
    printf("\n");
    for (size_t mib : {2, 4, 8, 64}) {
      size_t sz = mib << 20;
      sz = (sz + gran - 1) / gran * gran;
      std::vector<double> t[7];
      for (int i = 0; i < reps(64); i++) {
        CUdeviceptr va;
        CUmemGenericAllocationHandle h;
        double c0 = now_s();
        cuCheck(drv_api.addressReserve(&va, sz, 0, 0, 0));
        double c1 = now_s();
        cuCheck(drv_api.create(&h, sz, &ap, 0));
        double c2 = now_s();
        cuCheck(drv_api.map(va, sz, 0, h, 0));
        double c3 = now_s();
        cuCheck(drv_api.setAccess(va, sz, &acc, 1));
        double c4 = now_s();
        cuCheck(drv_api.unmap(va, sz));
        double c5 = now_s();
        cuCheck(drv_api.release(h));
        double c6 = now_s();
        cuCheck(drv_api.addressFree(va, sz));
        double c7 = now_s();
        double c[8] = {c0, c1, c2, c3, c4, c5, c6, c7};
        for (int k = 0; k < 7; k++)
          t[k].push_back(c[k + 1] - c[k]);
      }
      printf("%7zu MiB", sz >> 20);
      for (int k = 0; k < 7; k++)
        printf(" %10.2f", lab_median(t[k]) * 1e6);
      printf("\n");
      if (sz == gran || (vmm[0] == 0 && mib == 2)) {
        for (int k = 0; k < 6; k++)
          vmm[k] = lab_median(t[k]);
      }
      if (iso_lo_sz == 0 || sz < iso_lo_sz) {
        iso_lo_sz = sz;
        for (int k = 0; k < 6; k++)
          iso_lo[k] = lab_median(t[k]);
      }
      if (sz > iso_hi_sz) {
        iso_hi_sz = sz;
        for (int k = 0; k < 6; k++)
          iso_hi[k] = lab_median(t[k]);
      }
      R.lines += "-- vmm " + std::to_string(sz >> 20) +
                 " MiB medians in isolation (us):";
      for (int k = 0; k < 7; k++) {
        char b[64];
        snprintf(b, sizeof b, " %s %.2f", names[k], lab_median(t[k]) * 1e6);
        R.lines += b;
      }
      R.lines += "\n";
    }

    /* In use: a run keeps many handles mapped in large reserved ranges and
     * makes the calls one handle at a time, interleaved. Here: kLive 2 MiB
     * handles live in one reserved range, then per cycle create + map +
     * set-access of a new handle, unmap + release of the oldest, and a
     * reserve + free of a granularity range; each call timed alone, 200
     * cycles, median per call and p10 / p90: with the GPU idle; while a
     * read stream keeps it busy (background map-ahead makes its calls
     * beside the compute); and right after a step (a read stream of a few
     * ms, then a host sync, then the calls: where a run's critical calls
     * are made). The constants are the last. */
    const int kLive = 128, kCycles = reps(200);
    size_t hsz = gran;
    CUdeviceptr base;
    cuCheck(drv_api.addressReserve(&base, hsz * (kLive + 1), 0, 0, 0));
    size_t rb = 64ull << 20;
    int4 *busy_buf = nullptr;
    unsigned long long *busy_sink = nullptr;
    cudaCheck(cudaMalloc(&busy_buf, rb));
    cudaCheck(cudaMalloc(&busy_sink, sizeof(unsigned long long)));
    cudaCheck(cudaMemset(busy_buf, 0, rb));
    const char *cyc_names[] = {"reserve", "create",  "map",      "set_access",
                               "unmap",   "release", "addr_free"};
    for (int busy = 0; busy < 3; busy++) {
      std::vector<CUmemGenericAllocationHandle> slot(kLive + 1);
      for (int i = 0; i < kLive; i++) {
        CUdeviceptr va = base + (CUdeviceptr)i * hsz;
        cuCheck(drv_api.create(&slot[i], hsz, &ap, 0));
        cuCheck(drv_api.map(va, hsz, 0, slot[i], 0));
        cuCheck(drv_api.setAccess(va, hsz, &acc, 1));
      }
      std::vector<double> t[7];
      int launched = 0;
      for (int i = 0; i < kCycles; i++) {
        /* busy: about 2 ms of reading kept queued on s2 */
        if (busy == 1 && cudaStreamQuery(s2) != cudaErrorNotReady) {
          for (int k = 0; k < 2; k++)
            cudaCheck(gpu_weight_read_launch(busy_buf, rb, 100, 0, busy_sink,
                                             4 * prop.multiProcessorCount, s2));
          launched += 2;
        }
        if (busy == 2) {
          cudaCheck(gpu_weight_read_launch(busy_buf, rb, 100, 0, busy_sink,
                                           4 * prop.multiProcessorCount, s2));
          cudaCheck(cudaStreamSynchronize(s2));
        }
        int fresh = (i + kLive) % (kLive + 1), old = i % (kLive + 1);
        CUdeviceptr vnew = base + (CUdeviceptr)fresh * hsz,
                    vold = base + (CUdeviceptr)old * hsz, vr;
        double c0 = now_s();
        cuCheck(drv_api.addressReserve(&vr, hsz, 0, 0, 0));
        double c1 = now_s();
        cuCheck(drv_api.create(&slot[fresh], hsz, &ap, 0));
        double c2 = now_s();
        cuCheck(drv_api.map(vnew, hsz, 0, slot[fresh], 0));
        double c3 = now_s();
        cuCheck(drv_api.setAccess(vnew, hsz, &acc, 1));
        double c4 = now_s();
        cuCheck(drv_api.unmap(vold, hsz));
        double c5 = now_s();
        cuCheck(drv_api.release(slot[old]));
        double c6 = now_s();
        cuCheck(drv_api.addressFree(vr, hsz));
        double c7 = now_s();
        double c[8] = {c0, c1, c2, c3, c4, c5, c6, c7};
        for (int k = 0; k < 7; k++)
          t[k].push_back(c[k + 1] - c[k]);
      }
      cudaCheck(cudaStreamSynchronize(s2));
      for (int i = kCycles; i < kCycles + kLive; i++) {
        int old = i % (kLive + 1);
        cuCheck(drv_api.unmap(base + (CUdeviceptr)old * hsz, hsz));
        cuCheck(drv_api.release(slot[old]));
      }
      char head[200];
      snprintf(head, sizeof head,
               "vmm %zu MiB, %d cycles among %d live handles%s, us "
               "median (p10/p90):",
               hsz >> 20, kCycles, kLive,
               busy == 1   ? ", GPU busy with a read stream"
               : busy == 2 ? ", each cycle right after a step"
                           : ", GPU idle");
      std::string line = head;
      for (int k = 0; k < 7; k++) {
        char b[96];
        snprintf(b, sizeof b, " %s %.2f (%.2f/%.2f)", cyc_names[k],
                 lab_median(t[k]) * 1e6, quantile(t[k], 0.1) * 1e6,
                 quantile(t[k], 0.9) * 1e6);
        line += b;
      }
      if (busy == 1) {
        char b[64];
        snprintf(b, sizeof b, "; %d reads launched", launched);
        line += b;
      }
      R.note("%s", line.c_str());
      if (busy == 2)
        for (int k = 0; k < 6; k++)
          vmm[k] = lab_median(t[k]);
    }
    cuCheck(drv_api.addressFree(base, hsz * (kLive + 1)));
    cudaCheck(cudaFree(busy_buf));
    cudaCheck(cudaFree(busy_sink));
  }

  /* ---- summary and Lua ---- */
  printf("\nplatform constants (%s):\n", name);
  auto slope = [&](int k) {
    double mib = (double)(iso_hi_sz - iso_lo_sz) / (1024.0 * 1024.0);
    double v = mib > 0 ? (iso_hi[k] - iso_lo[k]) / mib : 0.0;
    return v > 0 ? v : 0.0; /* flat within noise: no slope */
  };
  struct field {
    const char *key;
    double v;
    const char *fmt;
    const char *what;
  } fields[] = {
      {"gpus_per_server", (double)ndev, "%.0f", "cudaGetDeviceCount"},
      {"servers", 1, "%.0f", "one machine"},
      {"hbm_bytes", (double)mem_total, "%.0f", "cudaMemGetInfo total"},
      {"hbm_bw", hbm_bw, "%.4g",
       "best read stream (kernels and launch shapes above)"},
      {"d2d_bw", d2d_bw, "%.4g", "cudaMemcpyAsync D2D 256 MiB, read+write"},
      {"flops", flops, "%.4g", "cuBLAS bf16 GEMM"},
      {"sms", (double)prop.multiProcessorCount, "%.0f", "device property"},
      {"kernel_launch", launch_ms * 1e-3, "%.4g", "empty kernels back to back"},
      {"pcie_bw", pcie_bw, "%.4g", "min(H2D, D2H) at 256 MiB, pinned"},
      {"pcie_lat", pcie_lat, "%.4g", "zero-copy dependent read round trip"},
      {"copy_overhead", copy_overhead, "%.4g",
       "fixed cost per cudaMemcpyAsync"},
      {"sm_copy_bw_per_sm", sm_bw_1, "%.4g", "kv_transfer_launch on 1 SM"},
      {"sm_duplex_bw", sm_duplex, "%.4g",
       "kv_transfer_pair_launch both ways at once, 8 SMs, aggregate"},
      {"gpus_per_uplink", 0, "%.0f", "not measured: own link assumed"},
      {"uplink_bw", 0, "%.0f", "not measured (gpus_per_uplink = 0)"},
      {"host_bw", host_bw, "%.4g",
       "duplex DMA aggregate: lower bound of host DRAM bw for DMA"},
      {"nvlink_bw", 0, "%.0f", "not measured (one GPU)"},
      {"nvlink_lat", 0, "%.0f", "not measured (one GPU)"},
      {"nic_bw", 0, "%.0f", "no inter-server tier"},
      {"nic_lat", 0, "%.0f", "no inter-server tier"},
      {"vmm_reserve", vmm[0], "%.4g",
       "cuMemAddressReserve, granularity range, cycles after a step, median"},
      {"vmm_create", vmm[1], "%.4g",
       "cuMemCreate, cycles after a step, median"},
      {"vmm_map", vmm[2], "%.4g", "cuMemMap, cycles after a step, median"},
      {"vmm_set_access", vmm[3], "%.4g",
       "cuMemSetAccess, cycles after a step, median"},
      {"vmm_unmap", vmm[4], "%.4g", "cuMemUnmap, cycles after a step, median"},
      {"vmm_release", vmm[5], "%.4g",
       "cuMemRelease, cycles after a step, median"},
      {"vmm_granularity", (double)gran, "%.0f",
       "cuMemGetAllocationGranularity minimum"},
      {"vmm_reserve_per_mib", slope(0), "%.4g",
       "size slope: (largest - smallest handle median) / MiB, isolation"},
      {"vmm_create_per_mib", slope(1), "%.4g", "size slope, isolation"},
      {"vmm_map_per_mib", slope(2), "%.4g", "size slope, isolation"},
      {"vmm_set_access_per_mib", slope(3), "%.4g", "size slope, isolation"},
      {"vmm_unmap_per_mib", slope(4), "%.4g", "size slope, isolation"},
      {"vmm_release_per_mib", slope(5), "%.4g", "size slope, isolation"},
      {"table_write", lab_median(table_after), "%.4g",
       "4 KiB H2D from pinned right after a step, events, median"},
  };
  for (const field &f : fields) {
    char v[64];
    snprintf(v, sizeof v, f.fmt, f.v);
    printf("  %-18s %-14s %s\n", f.key, v, f.what);
  }
  if (lua_path) {
    FILE *fp = fopen(lua_path, "w");
    if (!fp) {
      fprintf(stderr, "%s:%d: cannot write %s\n", __FILE__, __LINE__, lua_path);
      return 1;
    }
    fprintf(
        fp,
        "-- Platform measured by kvsim-calibrate (kernels/calibrate.cu).\n");
    fprintf(fp, "%s", R.lines.c_str());
    fprintf(fp, "return {\n  name = \"%s\",\n", name);
    for (const field &f : fields) {
      char v[64];
      snprintf(v, sizeof v, f.fmt, f.v);
      fprintf(fp, "  %s = %s, -- %s\n", f.key, v, f.what);
    }
    fprintf(fp, "  source = \"kvsim-calibrate on %s, driver API %d, %s\",\n}\n",
            prop.name, drv, date);
    if (fclose(fp) != 0) {
      fprintf(stderr, "%s:%d: cannot write %s\n", __FILE__, __LINE__, lua_path);
      return 1;
    }
    printf("wrote %s\n", lua_path);
  }
  cudaCheck(cudaEventDestroy(fork));
  cudaCheck(cudaEventDestroy(join));
  cudaCheck(cudaFree(d1));
  cudaCheck(cudaFree(d2));
  cudaCheck(cudaFreeHost(h1));
  cudaCheck(cudaFreeHost(h2));
  return 0;
}
