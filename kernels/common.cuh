/* common.cuh - shared helpers of the kernel lab (the lab programs in kernels/)
 * and kvsim-calibrate: error checking that dies with file:line, the "no
 * device: skip" rule for CTest, a seeded RNG, timing with CUDA events and
 * medians (cold or warm L2), the device-to-device and copy-engine peaks.
 * Main entry points: cudaCheck(), lab_require_device(), lab_time_ms(),
 * lab_measure_d2d().
 */
#ifndef KV_LAB_COMMON_CUH
#define KV_LAB_COMMON_CUH

#include <cuda_runtime.h>

#include <algorithm>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vector>

static inline void lab_cuda_check(cudaError_t e, const char *file, int line) {
  if (e != cudaSuccess) {
    fprintf(stderr, "[CUDA ERROR] %s:%d: %s (%s)\n", file, line,
            cudaGetErrorString(e), cudaGetErrorName(e));
    exit(EXIT_FAILURE);
  }
}
#define cudaCheck(e) lab_cuda_check((e), __FILE__, __LINE__)
/* after a launch: both the launch error and (in check mode) the execution */
#define cudaCheckLaunch() cudaCheck(cudaGetLastError())

/* exit code CTest reads as "skipped" (SKIP_RETURN_CODE in CMakeLists.txt) */
#define LAB_SKIP 77

/* Exit 77 with a message when the machine has no usable CUDA device. */
static inline void lab_require_device(void) {
  int n = 0;
  cudaError_t e = cudaGetDeviceCount(&n);
  if (e != cudaSuccess || n == 0) {
    printf("no CUDA device: skipped (%s)\n",
           e != cudaSuccess ? cudaGetErrorString(e) : "device count is 0");
    exit(LAB_SKIP);
  }
}

template <class T> __host__ __device__ static inline T ceil_div(T a, T b) {
  return (a + b - 1) / b;
}

/* splitmix64: small, seeded, good enough for test data and shuffles */
struct lab_rng {
  uint64_t s;
  explicit lab_rng(uint64_t seed) : s(seed) {}
  uint64_t next() {
    uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  uint64_t below(uint64_t n) {
    return next() % n;
  }
  double uniform() {
    return (double)(next() >> 11) * (1.0 / 9007199254740992.0);
  }
};

static inline void lab_fill_random(void *p, size_t n, lab_rng &r) {
  unsigned char *c = (unsigned char *)p;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t v = r.next();
    memcpy(c + i, &v, 8);
  }
  for (; i < n; i++)
    c[i] = (unsigned char)r.next();
}

/* Fisher-Yates permutation of 0..n-1 */
static inline std::vector<uint64_t> lab_permutation(uint64_t n, lab_rng &r) {
  std::vector<uint64_t> p(n);
  for (uint64_t i = 0; i < n; i++)
    p[i] = i;
  for (uint64_t i = n; i > 1; i--)
    std::swap(p[i - 1], p[r.below(i)]);
  return p;
}

static inline double lab_median(std::vector<double> v) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

/* A buffer twice the L2 size, written before each timed repetition so that
 * every repetition starts with a cold L2 (as llm.c's benchmark_kernel). */
struct lab_l2_flusher {
  void *buf = nullptr;
  size_t bytes = 0;
  lab_l2_flusher() {
    int dev = 0;
    cudaDeviceProp p;
    cudaCheck(cudaGetDevice(&dev));
    cudaCheck(cudaGetDeviceProperties(&p, dev));
    bytes = 2 * (size_t)p.l2CacheSize;
    cudaCheck(cudaMalloc(&buf, bytes));
  }
  ~lab_l2_flusher() {
    cudaFree(buf);
  }
  void flush(cudaStream_t s) {
    cudaCheck(cudaMemsetAsync(buf, (int)(bytes & 0xff), bytes, s));
  }
};

/* The timer of the labs and kvsim-calibrate: median time in ms of one call
 * of fn(stream) over `reps` runs, after one warm-up call. Before each run
 * prep(stream) is issued (untimed), then, when l2 is given, an L2 flush, so
 * that the run starts with a cold L2; a run is `count` calls of fn back to
 * back between two events on `s`, its time divided by count. */
template <class P, class F>
static double lab_time_runs_ms(int reps, int count, cudaStream_t s,
                               lab_l2_flusher *l2, P prep, F fn) {
  cudaEvent_t a, b;
  cudaCheck(cudaEventCreate(&a));
  cudaCheck(cudaEventCreate(&b));
  prep(s);
  fn(s); /* warm-up */
  cudaCheckLaunch();
  cudaCheck(cudaStreamSynchronize(s));
  std::vector<double> t;
  for (int i = 0; i < reps; i++) {
    prep(s);
    if (l2) l2->flush(s);
    cudaCheck(cudaEventRecord(a, s));
    for (int k = 0; k < count; k++)
      fn(s);
    cudaCheck(cudaEventRecord(b, s));
    cudaCheck(cudaEventSynchronize(b));
    cudaCheckLaunch();
    float ms = 0.f;
    cudaCheck(cudaEventElapsedTime(&ms, a, b));
    t.push_back(ms / count);
  }
  cudaCheck(cudaEventDestroy(a));
  cudaCheck(cudaEventDestroy(b));
  return lab_median(t);
}

/* One call per run, cold L2, prep(stream) untimed before each run. */
template <class P, class F>
static double lab_time_ms_prep(int reps, cudaStream_t s, lab_l2_flusher &l2,
                               P prep, F fn) {
  return lab_time_runs_ms(reps, 1, s, &l2, prep, fn);
}

/* One call per run, cold L2. */
template <class F>
static double lab_time_ms(int reps, cudaStream_t s, lab_l2_flusher &l2, F fn) {
  return lab_time_runs_ms(
      reps, 1, s, &l2, [](cudaStream_t) {}, fn);
}

/* `count` calls back to back per run, no flush: calls too short for one
 * pair of events, and what a warm cache serves. */
template <class F>
static double lab_time_warm_ms(int reps, int count, cudaStream_t s, F fn) {
  return lab_time_runs_ms(
      reps, count, s, nullptr, [](cudaStream_t) {}, fn);
}

static inline double lab_gbps(double bytes, double ms) {
  return ms > 0 ? bytes / (ms * 1e-3) / 1e9 : 0.0;
}

/* The device-to-device copy rate in GB/s counting read + write (2 * bytes
 * a copy), the peak the labs and kvsim-calibrate compare kernels with: one
 * cudaMemcpyAsync of `bytes` between two fresh device buffers, median of
 * `reps` cold-L2 runs. */
static inline double lab_measure_d2d(size_t bytes, int reps, cudaStream_t s,
                                     lab_l2_flusher &l2) {
  char *a, *b;
  cudaCheck(cudaMalloc(&a, bytes));
  cudaCheck(cudaMalloc(&b, bytes));
  cudaCheck(cudaMemset(a, 1, bytes));
  const double ms = lab_time_ms(reps, s, l2, [&](cudaStream_t st) {
    cudaCheck(cudaMemcpyAsync(b, a, bytes, cudaMemcpyDeviceToDevice, st));
  });
  cudaCheck(cudaFree(a));
  cudaCheck(cudaFree(b));
  return lab_gbps(2.0 * bytes, ms);
}

/* The copy engines' peak in GB/s: one 256 MiB cudaMemcpyAsync host-to-
 * device, one device-to-host (pinned memory), and both at once on two
 * streams (aggregate); medians of 5 cold-L2 runs. */
struct lab_ce_peak {
  double h2d, d2h, duplex;
};

static inline lab_ce_peak lab_measure_ce_peak(lab_l2_flusher &l2) {
  const size_t bytes = 256ull << 20;
  char *d1, *d2, *h1, *h2;
  cudaCheck(cudaMalloc(&d1, bytes));
  cudaCheck(cudaMalloc(&d2, bytes));
  cudaCheck(cudaHostAlloc((void **)&h1, bytes, cudaHostAllocDefault));
  cudaCheck(cudaHostAlloc((void **)&h2, bytes, cudaHostAllocDefault));
  memset(h1, 0x5a, bytes);
  memset(h2, 0xa5, bytes);
  cudaStream_t s1, s2;
  cudaCheck(cudaStreamCreateWithFlags(&s1, cudaStreamNonBlocking));
  cudaCheck(cudaStreamCreateWithFlags(&s2, cudaStreamNonBlocking));
  cudaEvent_t fork, join;
  cudaCheck(cudaEventCreateWithFlags(&fork, cudaEventDisableTiming));
  cudaCheck(cudaEventCreateWithFlags(&join, cudaEventDisableTiming));
  lab_ce_peak p;
  p.h2d = lab_gbps(
      (double)bytes, lab_time_ms(5, s1, l2, [&](cudaStream_t s) {
        cudaCheck(cudaMemcpyAsync(d1, h1, bytes, cudaMemcpyHostToDevice, s));
      }));
  p.d2h = lab_gbps(
      (double)bytes, lab_time_ms(5, s1, l2, [&](cudaStream_t s) {
        cudaCheck(cudaMemcpyAsync(h2, d2, bytes, cudaMemcpyDeviceToHost, s));
      }));
  p.duplex = lab_gbps(
      2.0 * bytes, lab_time_ms(5, s1, l2, [&](cudaStream_t s) {
        cudaCheck(cudaEventRecord(fork, s));
        cudaCheck(cudaStreamWaitEvent(s2, fork, 0));
        cudaCheck(cudaMemcpyAsync(d1, h1, bytes, cudaMemcpyHostToDevice, s));
        cudaCheck(cudaMemcpyAsync(h2, d2, bytes, cudaMemcpyDeviceToHost, s2));
        cudaCheck(cudaEventRecord(join, s2));
        cudaCheck(cudaStreamWaitEvent(s, join, 0));
      }));
  cudaCheck(cudaEventDestroy(fork));
  cudaCheck(cudaEventDestroy(join));
  cudaCheck(cudaStreamDestroy(s1));
  cudaCheck(cudaStreamDestroy(s2));
  cudaCheck(cudaFree(d1));
  cudaCheck(cudaFree(d2));
  cudaCheck(cudaFreeHost(h1));
  cudaCheck(cudaFreeHost(h2));
  return p;
}

static inline void lab_print_device(void) {
  int dev = 0, drv = 0, rt = 0;
  cudaDeviceProp p;
  cudaCheck(cudaGetDevice(&dev));
  cudaCheck(cudaGetDeviceProperties(&p, dev));
  cudaCheck(cudaDriverGetVersion(&drv));
  cudaCheck(cudaRuntimeGetVersion(&rt));
  printf("device: %s, %d SMs, L2 %d KiB, cc %d.%d, driver API %d, runtime %d\n",
         p.name, p.multiProcessorCount, p.l2CacheSize / 1024, p.major, p.minor,
         drv, rt);
}

static inline bool lab_has_flag(int argc, char **argv, const char *flag) {
  for (int i = 1; i < argc; i++)
    if (strcmp(argv[i], flag) == 0) return true;
  return false;
}

#endif
