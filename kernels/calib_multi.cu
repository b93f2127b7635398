/* calib_multi.cu - kvsim-calibrate-multi: what several GPUs of one server
 * do together, measured with 1..all of them at once, for the simulator's
 * multi-GPU platform fields (core/inputs/platform.h: host_bw, nvlink_bw,
 * nvlink_lat, allreduce_table) and a raw-curve CSV of everything measured.
 * Measured:
 *   - copies between pinned host memory and every GPU at once, with N = 1..G
 *     GPUs active (GPUs 0..N-1), H2D, D2H and both directions together, by
 *     copy size, with the host buffers on the GPU's own NUMA node and on
 *     another (when the machine has one): per-GPU rates (CUDA events on each
 *     GPU) and the aggregate (bytes over the host wall time from a common
 *     start to the last GPU's end). Each GPU is fed by its own host thread,
 *     all started together at a barrier. The host buffers are allocated,
 *     first touched and registered (cudaHostRegister) by a thread bound to
 *     the CPUs of the wanted node (/sys/devices/system/node/nodeN/cpulist);
 *     a GPU's node is /sys/bus/pci/devices/<bus id>/numa_node; the node the
 *     pages landed on is read back with move_pages(2) and reported. No
 *     libnuma.
 *   - peer copies over NVLink (or whatever peer path the GPUs have): the
 *     copy engine (cudaMemcpyPeerAsync) and an SM kernel on one GPU reading
 *     the other's memory, by size (GPU 0 -> 1); a dependent read chain in
 *     peer memory (latency); every ordered pair at 256 MiB; both ways at
 *     once; GPU 0 to all others at once (its NVLink egress); every GPU to
 *     the next at once.
 *   - all-reduce (sum, bf16) through NCCL's C API for TP 2, 4 and 8 (those
 *     that fit the GPUs present): ncclCommInitAll on GPUs 0..tp-1, one
 *     thread, each call a group over the ranks, by message size per GPU.
 *     NCCL is opened at run time (dlopen of libnccl.so.2), so the program
 *     starts and measures the copies without it and says NCCL is missing;
 *     built without nccl.h it says so too. NVLink multicast (NVLS) is kept
 *     off: NCCL_NVLS_ENABLE=0 is set in the environment before NCCL loads.
 * Every copy's bytes are checked, and every all-reduce's result against the
 * sum computed on the CPU, before the case is timed.
 * Shared with kvsim-calibrate rather than copied: the report notes, curve
 * set and CSV writer (calib_io.cuh), the event timer and RNG (common.cuh),
 * the host clock (gpu/gpu_drv.h: gpu_mono).
 * Usage: kvsim-calibrate-multi [--lua FILE] [--name NAME] [--base PRESET]
 *                              [--gpus N] [--quick] [--no-allreduce]
 *        kvsim-calibrate-multi --example DIR  (made-up figures through the
 *        same writers, no GPU needed)
 * Main entry point: main().
 */
#include <algorithm>
#include <cmath>
#include <cstring>
#include <ctime>
#include <string>
#include <thread>
#include <vector>

#include <dlfcn.h>
#include <pthread.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cuda_bf16.h>

#include "calib_io.cuh"
#include "common.cuh"
#include "gpu_drv.h"

#ifdef KV_HAVE_NCCL
#include <nccl.h>
#endif

static bool g_quick = false;

static const size_t kBig = 256ull << 20; /* largest copy, per buffer */

/* ---- NUMA without libnuma ---------------------------------------------- */

/* Parse a sysfs CPU or node list ("0-3,8,10-11") into `out`. */
static bool parse_list(const char *s, std::vector<int> &out) {
  out.clear();
  while (*s && *s != '\n') {
    char *end;
    long a = strtol(s, &end, 10);
    if (end == s) return false;
    long b = a;
    s = end;
    if (*s == '-') {
      b = strtol(s + 1, &end, 10);
      if (end == s + 1) return false;
      s = end;
    }
    for (long i = a; i <= b; i++)
      out.push_back((int)i);
    if (*s == ',') s++;
  }
  return !out.empty();
}

static bool read_line(const char *path, char *buf, size_t n) {
  FILE *f = fopen(path, "r");
  if (!f) return false;
  bool ok = fgets(buf, (int)n, f) != nullptr;
  fclose(f);
  return ok;
}

/* The NUMA nodes online (just {0} when sysfs does not say). */
static std::vector<int> online_nodes(void) {
  char buf[256];
  std::vector<int> v;
  if (!read_line("/sys/devices/system/node/online", buf, sizeof buf) ||
      !parse_list(buf, v))
    v = {0};
  return v;
}

/* The NUMA node of CUDA device dev from its PCI bus id, -1 if unknown. */
static int gpu_node(int dev) {
  char bus[32], path[128], buf[32];
  cudaCheck(cudaDeviceGetPCIBusId(bus, sizeof bus, dev));
  for (char *c = bus; *c; c++)
    *c = (char)tolower((unsigned char)*c);
  snprintf(path, sizeof path, "/sys/bus/pci/devices/%s/numa_node", bus);
  if (!read_line(path, buf, sizeof buf)) return -1;
  int n = atoi(buf);
  return n >= 0 ? n : -1;
}

/* Bind the calling thread to node's CPUs; false if it cannot. */
static bool bind_to_node(int node) {
  char path[96], buf[4096];
  snprintf(path, sizeof path, "/sys/devices/system/node/node%d/cpulist", node);
  std::vector<int> cpus;
  if (node < 0 || !read_line(path, buf, sizeof buf) || !parse_list(buf, cpus))
    return false;
  cpu_set_t set;
  CPU_ZERO(&set);
  for (int c : cpus)
    if (c < CPU_SETSIZE) CPU_SET(c, &set);
  return sched_setaffinity(0, sizeof set, &set) == 0;
}

/* The node most of 16 sampled pages of [p, p + bytes) are on (move_pages
 * with no target nodes reports them); -1 if the kernel does not say. */
static int pages_node(const void *p, size_t bytes) {
  const int n = 16;
  const size_t pg = (size_t)sysconf(_SC_PAGESIZE);
  void *pages[n];
  int status[n];
  for (int i = 0; i < n; i++)
    pages[i] = (void *)(((uintptr_t)p + bytes / n * i) & ~(uintptr_t)(pg - 1));
  if (syscall(SYS_move_pages, 0, (unsigned long)n, pages, nullptr, status, 0))
    return -1;
  int best = -1, best_n = 0;
  for (int i = 0; i < n; i++) {
    int k = 0;
    for (int j = 0; j < n; j++)
      k += status[j] == status[i];
    if (status[i] >= 0 && k > best_n) best = status[i], best_n = k;
  }
  return best;
}

/* Pinned host memory placed on a NUMA node: mapped, first touched by this
 * thread while bound to the node's CPUs, then registered with CUDA
 * (portable: every GPU may copy from it). */
struct host_buf {
  char *p = nullptr;
  size_t bytes = 0;
  int want = -1, got = -1; /* node asked for, node the pages are on */
};

static host_buf host_alloc_on(int node, size_t bytes, uint64_t seed) {
  host_buf h;
  h.bytes = bytes;
  h.want = node;
  cpu_set_t old;
  bool saved = sched_getaffinity(0, sizeof old, &old) == 0;
  bool bound = saved && bind_to_node(node);
  void *p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) {
    fprintf(stderr, "%s:%d: mmap of %zu bytes failed\n", __FILE__, __LINE__,
            bytes);
    exit(EXIT_FAILURE);
  }
  h.p = (char *)p;
  lab_rng r(seed);
  lab_fill_random(h.p, bytes, r); /* the first touch, on the node's CPUs */
  if (bound) sched_setaffinity(0, sizeof old, &old);
  cudaCheck(cudaHostRegister(h.p, bytes, cudaHostRegisterPortable));
  h.got = pages_node(h.p, bytes);
  return h;
}

static void host_free(host_buf &h) {
  if (!h.p) return;
  cudaCheck(cudaHostUnregister(h.p));
  munmap(h.p, h.bytes);
  h.p = nullptr;
}

/* ---- per-GPU state ------------------------------------------------------ */

struct gpu_ctx {
  int dev = 0;
  int node = -1;  /* the GPU's NUMA node (-1 unknown) */
  int other = -1; /* another node, -1 if the machine has one node */
  char *d_a = nullptr, *d_b = nullptr; /* kBig each: H2D dst, D2H src */
  host_buf h[2][2]; /* [local, other][0 = H2D source, 1 = D2H destination] */
  cudaStream_t s[2];
  cudaEvent_t e0[2], e1[2];
};

static const char *kPlace[2] = {"local", "remote"};
static const char *kDir[3] = {"h2d", "d2h", "both"};

/* Check one GPU's host path at placement pl: the source copied H2D, D2D,
 * then D2H must come back byte for byte. */
static void check_host_path(gpu_ctx &g, int pl) {
  cudaCheck(cudaSetDevice(g.dev));
  memset(g.h[pl][1].p, 0x5c, kBig);
  cudaCheck(cudaMemcpy(g.d_a, g.h[pl][0].p, kBig, cudaMemcpyHostToDevice));
  cudaCheck(cudaMemcpy(g.d_b, g.d_a, kBig, cudaMemcpyDeviceToDevice));
  cudaCheck(cudaMemcpy(g.h[pl][1].p, g.d_b, kBig, cudaMemcpyDeviceToHost));
  if (memcmp(g.h[pl][1].p, g.h[pl][0].p, kBig) != 0) {
    fprintf(stderr,
            "%s:%d: copy check: GPU %d, %s host memory: 256 MiB copied H2D, "
            "D2D, D2H differ from the source\n",
            __FILE__, __LINE__, g.dev, kPlace[pl]);
    exit(EXIT_FAILURE);
  }
}

/* Every GPU's d_a back to its own-node host source (the peer checks
 * compare against it; timed H2D copies overwrite it). */
static void reload_sources(std::vector<gpu_ctx> &g) {
  for (gpu_ctx &x : g) {
    cudaCheck(cudaSetDevice(x.dev));
    cudaCheck(cudaMemcpy(x.d_a, x.h[0][0].p, kBig, cudaMemcpyHostToDevice));
  }
}

/* A start line for the copy threads of one timed run. */
struct start_line {
  pthread_barrier_t b;
  explicit start_line(unsigned n) {
    pthread_barrier_init(&b, nullptr, n);
  }
  ~start_line() {
    pthread_barrier_destroy(&b);
  }
  void wait() {
    pthread_barrier_wait(&b);
  }
};

/* One GPU's part of a timed run: `count` copies of sz bytes per direction
 * (dir 0 H2D, 1 D2H, 2 both on two streams), rotating over the buffers;
 * returns (through *sec) the GPU's own time between its events. */
static void copy_worker(gpu_ctx *g, int dir, int pl, size_t sz, int count,
                        start_line *go, double *sec) {
  cudaCheck(cudaSetDevice(g->dev));
  const size_t slots = kBig / sz;
  go->wait();
  for (int k = 0; k < 2; k++)
    if (dir == 2 || dir == k) cudaCheck(cudaEventRecord(g->e0[k], g->s[k]));
  for (int c = 0; c < count; c++) {
    size_t off = (size_t)(c % slots) * sz;
    if (dir != 1)
      cudaCheck(cudaMemcpyAsync(g->d_a + off, g->h[pl][0].p + off, sz,
                                cudaMemcpyHostToDevice, g->s[0]));
    if (dir != 0)
      cudaCheck(cudaMemcpyAsync(g->h[pl][1].p + off, g->d_b + off, sz,
                                cudaMemcpyDeviceToHost, g->s[1]));
  }
  double t = 0;
  for (int k = 0; k < 2; k++)
    if (dir == 2 || dir == k) {
      cudaCheck(cudaEventRecord(g->e1[k], g->s[k]));
      cudaCheck(cudaEventSynchronize(g->e1[k]));
      float ms = 0;
      cudaCheck(cudaEventElapsedTime(&ms, g->e0[k], g->e1[k]));
      t = std::max(t, (double)ms * 1e-3);
    }
  *sec = t;
}

/* Copies of sz bytes from GPUs 0..n-1 at once: the aggregate rate (all
 * bytes over the wall time from the common start to the last end), and in
 * per_gpu each GPU's own rate; medians over the repetitions. */
static double host_copies(std::vector<gpu_ctx> &g, int n, int dir, int pl,
                          size_t sz, std::vector<double> &per_gpu) {
  const double volume = g_quick ? 64.0 * (1 << 20) : 512.0 * (1 << 20);
  int count = (int)std::min(1000.0, std::max(2.0, volume / (double)sz));
  double bytes_gpu = (double)count * sz * (dir == 2 ? 2 : 1);
  const int reps = g_quick ? 2 : 3;
  std::vector<double> agg;
  std::vector<std::vector<double>> each(n);
  for (int r = 0; r < reps; r++) {
    start_line go((unsigned)n + 1);
    std::vector<double> sec(n, 0);
    std::vector<std::thread> th;
    for (int i = 0; i < n; i++)
      th.emplace_back(copy_worker, &g[i], dir, pl, sz, count, &go, &sec[i]);
    go.wait();
    double t0 = gpu_mono();
    for (std::thread &t : th)
      t.join();
    double wall = gpu_mono() - t0;
    agg.push_back(bytes_gpu * n / wall);
    for (int i = 0; i < n; i++)
      each[i].push_back(bytes_gpu / sec[i]);
  }
  per_gpu.assign(n, 0);
  for (int i = 0; i < n; i++)
    per_gpu[i] = lab_median(each[i]);
  return lab_median(agg);
}

/* ---- peer memory -------------------------------------------------------- */

/* The SM copy of peer memory: every thread copies int4 words from src (on
 * another GPU, reached over the peer mapping) to dst (local). */
__global__ void peer_read_kernel(const int4 *src, int4 *dst, uint64_t n) {
  uint64_t stride = (uint64_t)gridDim.x * blockDim.x;
  for (uint64_t i = (uint64_t)blockIdx.x * blockDim.x + threadIdx.x; i < n;
       i += stride)
    dst[i] = src[i];
}

/* Latency: one thread follows a chain of indices in (peer) memory. */
__global__ void peer_chase_kernel(const volatile uint32_t *p, int steps,
                                  uint32_t *out) {
  uint32_t j = 0;
  for (int i = 0; i < steps; i++)
    j = p[j];
  out[0] = j;
}

/* d (on GPU dev, kBig) must hold the first `bytes` of src. */
static void check_device_bytes(int dev, const char *d, const char *src,
                               size_t bytes, const char *what) {
  std::vector<char> back(bytes);
  cudaCheck(cudaSetDevice(dev));
  cudaCheck(cudaMemcpy(back.data(), d, bytes, cudaMemcpyDeviceToHost));
  if (memcmp(back.data(), src, bytes) != 0) {
    fprintf(stderr, "%s:%d: %s: %zu bytes on GPU %d differ from the source\n",
            __FILE__, __LINE__, what, bytes, dev);
    exit(EXIT_FAILURE);
  }
}

/* Rate (B/s) of copies GPU src[k] -> GPU dst[k], all at once, each on its
 * source GPU's first stream, `count` copies of sz each; median over reps
 * of total bytes over the host wall time. */
static double peer_at_once(std::vector<gpu_ctx> &g, const std::vector<int> &src,
                           const std::vector<int> &dst, size_t sz, int count) {
  std::vector<cudaStream_t> st(src.size());
  for (size_t k = 0; k < src.size(); k++) { /* one stream per copy pair */
    cudaCheck(cudaSetDevice(g[src[k]].dev));
    cudaCheck(cudaStreamCreateWithFlags(&st[k], cudaStreamNonBlocking));
  }
  std::vector<double> t;
  for (int r = 0; r < (g_quick ? 2 : 3); r++) {
    for (gpu_ctx &x : g) {
      cudaCheck(cudaSetDevice(x.dev));
      cudaCheck(cudaDeviceSynchronize());
    }
    double t0 = gpu_mono();
    for (size_t k = 0; k < src.size(); k++) {
      gpu_ctx &a = g[src[k]], &b = g[dst[k]];
      cudaCheck(cudaSetDevice(a.dev));
      /* each source sends from d_a; destinations receive in d_b, a GPU
       * receiving from several sources gets them one after another in
       * place (the bytes moved are what is timed) */
      for (int c = 0; c < count; c++)
        cudaCheck(cudaMemcpyPeerAsync(b.d_b, b.dev, a.d_a, a.dev, sz, st[k]));
    }
    for (gpu_ctx &x : g) {
      cudaCheck(cudaSetDevice(x.dev));
      cudaCheck(cudaDeviceSynchronize());
    }
    t.push_back(gpu_mono() - t0);
  }
  for (size_t k = 0; k < src.size(); k++) {
    cudaCheck(cudaSetDevice(g[src[k]].dev));
    cudaCheck(cudaStreamDestroy(st[k]));
  }
  return (double)src.size() * count * sz / lab_median(t);
}

struct peer_results {
  bool ok = false;      /* GPUs 0 and 1 reach each other's memory */
  double ce_bw = 0;     /* copy engine 0 -> 1 at kBig, B/s */
  double ce_fixed = 0;  /* s per 4-byte peer copy, back to back */
  double sm_bw = 0;     /* SM read of peer memory at kBig, B/s */
  double lat = 0;       /* dependent peer read round trip, s */
  double fanout_bw = 0; /* GPU 0 to every other GPU at once, B/s */
  double duplex_bw = 0; /* 0 -> 1 and 1 -> 0 at once, B/s aggregate */
  double ring_bw = 0;   /* every GPU to the next at once, B/s aggregate */
};

/* Enables peer access between every ordered pair of GPUs that has it and
 * notes the pairs without; true when every pair has it. */
static bool peer_enable_all(std::vector<gpu_ctx> &g, results &R) {
  const int G = (int)g.size();
  std::string m;
  bool all = true;
  for (int i = 0; i < G; i++)
    for (int j = 0; j < G; j++) {
      if (i == j) continue;
      int can = 0;
      cudaCheck(cudaDeviceCanAccessPeer(&can, g[i].dev, g[j].dev));
      if (can) {
        cudaCheck(cudaSetDevice(g[i].dev));
        cudaError_t e = cudaDeviceEnablePeerAccess(g[j].dev, 0);
        if (e == cudaErrorPeerAccessAlreadyEnabled) {
          (void)cudaGetLastError();
        } else {
          cudaCheck(e);
        }
      } else {
        all = false;
        char b[32];
        snprintf(b, sizeof b, " %d->%d", i, j);
        m += b;
      }
    }
  if (!all) R.note("peer access not available for:%s", m.c_str());
  return all;
}

/* GPU 0 -> 1 by size: checks the copy engine's and the SM read's bytes,
 * then times both (curves peer_ce_0_1, peer_sm_0_1, a table) and the
 * 4-byte copy; fills P.ce_bw, P.sm_bw and P.ce_fixed. */
static void peer_by_size(std::vector<gpu_ctx> &g, curve_set &cs, results &R,
                         peer_results &P) {
  /* d_a of every GPU holds its local source buffer (reload_sources) */
  gpu_ctx &a = g[0], &b = g[1];
  cudaDeviceProp prop;
  cudaCheck(cudaGetDeviceProperties(&prop, a.dev));
  const int blocks = 4 * prop.multiProcessorCount;
  cudaCheck(cudaSetDevice(a.dev));
  cudaCheck(cudaMemcpyPeer(b.d_b, b.dev, a.d_a, a.dev, kBig));
  check_device_bytes(b.dev, b.d_b, a.h[0][0].p, kBig, "peer copy 0 -> 1");
  cudaCheck(cudaSetDevice(a.dev));
  cudaCheck(cudaMemset(a.d_b, 0, kBig));
  peer_read_kernel<<<blocks, 512, 0, a.s[0]>>>((const int4 *)b.d_a,
                                               (int4 *)a.d_b, kBig / 16);
  cudaCheckLaunch();
  cudaCheck(cudaStreamSynchronize(a.s[0]));
  check_device_bytes(a.dev, a.d_b, b.h[0][0].p, kBig,
                     "SM read of GPU 1's memory on GPU 0");
  cudaCheck(cudaSetDevice(a.dev));
  for (size_t sz = 4096; sz <= kBig; sz *= 4) {
    int count = (int)std::min<size_t>(
        1000, std::max<size_t>(4, ((g_quick ? 64ull : 1024ull) << 20) / sz));
    if (g_quick) count = std::min(count, 20);
    int reps = g_quick ? 3 : 7;
    double ce = lab_time_warm_ms(reps, count, a.s[0], [&](cudaStream_t s) {
      cudaCheck(cudaMemcpyPeerAsync(b.d_b, b.dev, a.d_a, a.dev, sz, s));
    });
    double sm = lab_time_warm_ms(reps, count, a.s[0], [&](cudaStream_t s) {
      peer_read_kernel<<<std::min<size_t>(blocks, sz / 16 / 512 + 1), 512, 0,
                         s>>>((const int4 *)b.d_a, (int4 *)a.d_b, sz / 16);
    });
    cs.add("peer_ce_0_1", "s", (double)sz, ce * 1e-3);
    cs.add("peer_sm_0_1", "s", (double)sz, sm * 1e-3);
  }
  const curve *ce = cs.find("peer_ce_0_1"), *sm = cs.find("peer_sm_0_1");
  P.ce_bw = ce->x.back() / ce->y.back();
  P.sm_bw = sm->x.back() / sm->y.back();
  fprintf(R.out, "\npeer GPU 0 -> 1 by size (per copy, back to back):\n");
  fprintf(R.out, "%10s %12s %10s %12s %10s\n", "bytes", "engine us", "GB/s",
          "SM read us", "GB/s");
  for (size_t i = 0; i < ce->x.size(); i++)
    fprintf(R.out, "%10.0f %12.2f %10.2f %12.2f %10.2f\n", ce->x[i],
            ce->y[i] * 1e6, ce->x[i] / ce->y[i] / 1e9, sm->y[i] * 1e6,
            sm->x[i] / sm->y[i] / 1e9);
  P.ce_fixed = lab_time_warm_ms(g_quick ? 3 : 5, g_quick ? 20 : 2000, a.s[0],
                                [&](cudaStream_t s) {
                                  cudaCheck(cudaMemcpyPeerAsync(
                                      b.d_b, b.dev, a.d_a, a.dev, 4, s));
                                }) *
               1e-3;
}

/* Dependent read latency of GPU b's memory from GPU a (s per read), with
 * the chain's end checked; puts GPU b's host source back in b.d_a. */
static double peer_latency(gpu_ctx &a, gpu_ctx &b) {
  /* latency: a random chain of 64 Ki indices in GPU 1's memory, followed
   * from GPU 0 */
  const int n = 1 << 16, steps = g_quick ? 100 : 2000;
  std::vector<uint32_t> chain(n);
  lab_rng r(11);
  std::vector<uint64_t> perm = lab_permutation(n, r);
  for (int i = 0; i < n; i++)
    chain[perm[i]] = (uint32_t)perm[(i + 1) % n];
  cudaCheck(cudaSetDevice(b.dev));
  cudaCheck(cudaMemcpy(b.d_a, chain.data(), n * sizeof(uint32_t),
                       cudaMemcpyHostToDevice));
  cudaCheck(cudaSetDevice(a.dev));
  uint32_t *out = (uint32_t *)a.d_b;
  double ms = lab_time_warm_ms(g_quick ? 3 : 5, 1, a.s[0], [&](cudaStream_t s) {
    peer_chase_kernel<<<1, 1, 0, s>>>((const uint32_t *)b.d_a, steps, out);
    cudaCheckLaunch();
  });
  const double lat = ms * 1e-3 / steps;
  uint32_t end = 0, want = 0;
  cudaCheck(cudaMemcpy(&end, out, sizeof end, cudaMemcpyDeviceToHost));
  for (int i = 0; i < steps; i++)
    want = chain[want];
  if (end != want) {
    fprintf(stderr, "%s:%d: peer chain: ended at %u, expected %u\n", __FILE__,
            __LINE__, end, want);
    exit(EXIT_FAILURE);
  }
  /* GPU 1's d_a held its host source: put it back for later checks */
  cudaCheck(cudaSetDevice(b.dev));
  cudaCheck(cudaMemcpy(b.d_a, b.h[0][0].p, kBig, cudaMemcpyHostToDevice));
  return lat;
}

/* Every ordered pair one at a time (curve peer_ce_pair), then, when every
 * pair has peer access, several at once: both ways, GPU 0's fan-out and the
 * ring; fills P.duplex_bw, P.fanout_bw and P.ring_bw. */
static void peer_pairs(std::vector<gpu_ctx> &g, curve_set &cs, results &R,
                       bool all, peer_results &P) {
  const int G = (int)g.size();
  /* every ordered pair, one at a time; then several at once */
  const size_t pair = g_quick ? (16ull << 20) : kBig;
  const int cnt = g_quick ? 2 : 4;
  std::string line;
  for (int i = 0; i < G; i++)
    for (int j = 0; j < G; j++) {
      if (i == j) continue;
      int can = 0;
      cudaCheck(cudaDeviceCanAccessPeer(&can, g[i].dev, g[j].dev));
      if (!can) continue;
      cudaCheck(cudaSetDevice(g[i].dev));
      cudaCheck(
          cudaMemcpyPeer(g[j].d_b, g[j].dev, g[i].d_a, g[i].dev, 16ull << 20));
      check_device_bytes(g[j].dev, g[j].d_b, g[i].h[0][0].p, 16ull << 20,
                         "peer copy");
      double bw = peer_at_once(g, {i}, {j}, pair, cnt);
      char nm[32], b2[64];
      snprintf(nm, sizeof nm, "%d>%d", i, j);
      cs.add_named("peer_ce_pair", "B/s", nm, bw);
      snprintf(b2, sizeof b2, " %s %.1f", nm, bw / 1e9);
      line += b2;
    }
  R.note("peer copy engine by ordered pair at %zu MiB, GB/s:%s", pair >> 20,
         line.c_str());
  if (all) {
    P.duplex_bw = peer_at_once(g, {0, 1}, {1, 0}, pair, cnt);
    std::vector<int> s0, d0, sr, dr;
    for (int j = 1; j < G; j++)
      s0.push_back(0), d0.push_back(j);
    P.fanout_bw = peer_at_once(g, s0, d0, pair, cnt);
    for (int i = 0; i < G; i++)
      sr.push_back(i), dr.push_back((i + 1) % G);
    P.ring_bw = G > 2 ? peer_at_once(g, sr, dr, pair, cnt) : P.duplex_bw;
    cs.add("peer_duplex_0_1", "B/s", (double)pair, P.duplex_bw);
    cs.add("peer_fanout_0", "B/s", (double)(G - 1), P.fanout_bw);
    cs.add("peer_ring", "B/s", (double)G, P.ring_bw);
    R.note("peer at once, %zu MiB copies: 0<->1 both ways %.2f GB/s "
           "aggregate; GPU 0 to the %d others %.2f GB/s (its egress); every "
           "GPU to the next %.2f GB/s aggregate (%.2f per GPU)",
           pair >> 20, P.duplex_bw / 1e9, G - 1, P.fanout_bw / 1e9,
           P.ring_bw / 1e9, P.ring_bw / G / 1e9);
  }
}

static peer_results measure_peer(std::vector<gpu_ctx> &g, curve_set &cs,
                                 results &R) {
  peer_results P;
  const int G = (int)g.size();
  if (G < 2) {
    R.note("peer copies: one GPU, nothing to measure");
    return P;
  }
  bool all = peer_enable_all(g, R);
  int can01 = 0;
  cudaCheck(cudaDeviceCanAccessPeer(&can01, g[0].dev, g[1].dev));
  if (!can01) {
    R.note("peer copies: GPU 0 cannot reach GPU 1's memory; not measured");
    return P;
  }
  P.ok = true;
  for (int j = 1; j < G; j++) {
    int rank = 0, atomics = 0;
    cudaCheck(cudaDeviceGetP2PAttribute(&rank, cudaDevP2PAttrPerformanceRank,
                                        g[0].dev, g[j].dev));
    cudaCheck(cudaDeviceGetP2PAttribute(
        &atomics, cudaDevP2PAttrNativeAtomicSupported, g[0].dev, g[j].dev));
    R.note("peer 0->%d: performance rank %d, native atomics %d", j, rank,
           atomics);
  }
  peer_by_size(g, cs, R, P);
  P.lat = peer_latency(g[0], g[1]);
  R.note("peer 0->1 at 256 MiB: copy engine %.2f GB/s, SM read %.2f GB/s; "
         "4-byte peer copy %.2f us back to back; dependent read of peer "
         "memory %.2f us (nvlink_lat = round trip)",
         P.ce_bw / 1e9, P.sm_bw / 1e9, P.ce_fixed * 1e6, P.lat * 1e6);
  peer_pairs(g, cs, R, all, P);
  return P;
}

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
static bool measure_allreduce(std::vector<gpu_ctx> &g, curve_set &cs,
                              results &R) {
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

/* ---- the report, the Lua file and the CSV ------------------------------ */

/* What the Lua file says besides the all-reduce table. */
struct multi_constants {
  int gpus = 0;
  double host_bw = 0;    /* B/s: the largest aggregate, local memory */
  double nvlink_bw = 0;  /* B/s per direction per GPU, 0 = not measured */
  double nvlink_lat = 0; /* s */
};

/* The host-copy tables: for each direction and placement, one row per N
 * with the aggregate and the mean per-GPU rate at the largest size. */
static void print_host_tables(FILE *f, const curve_set &cs, int G, int places) {
  fprintf(f, "\nhost <-> GPU copies of 256 MiB, N GPUs at once (GB/s):\n");
  fprintf(f, "%6s %6s %3s %12s %12s\n", "place", "dir", "N", "aggregate",
          "per GPU");
  for (int pl = 0; pl < places; pl++)
    for (int d = 0; d < 3; d++)
      for (int n = 1; n <= G; n++) {
        char a[64], p[64];
        snprintf(a, sizeof a, "host_%s_%s_n%d_aggregate", kPlace[pl], kDir[d],
                 n);
        snprintf(p, sizeof p, "host_%s_%s_n%d_per_gpu", kPlace[pl], kDir[d], n);
        const curve *ca = cs.find(a), *cp = cs.find(p);
        if (!ca || !cp) continue;
        fprintf(f, "%6s %6s %3d %12.2f %12.2f\n", kPlace[pl], kDir[d], n,
                ca->y.back() / 1e9, cp->y.back() / 1e9);
      }
}

/* How the PCIe links and host memory share: per direction and placement,
 * the mean per-GPU rate at 256 MiB with N GPUs at once, as notes (the
 * report and the Lua file's comments). */
static void note_sharing(results &R, const curve_set &cs, int G, int places) {
  for (int pl = 0; pl < places; pl++)
    for (int d = 0; d < 3; d++) {
      std::string line;
      for (int n = 1; n <= G; n++) {
        char p[64], b[48];
        snprintf(p, sizeof p, "host_%s_%s_n%d_per_gpu", kPlace[pl], kDir[d], n);
        const curve *c = cs.find(p);
        if (!c || c->y.empty()) continue;
        snprintf(b, sizeof b, "%s%d: %.2f", line.empty() ? "" : ", ", n,
                 c->y.back() / 1e9);
        line += b;
      }
      R.note("per-GPU %s rate, 256 MiB copies, %s host memory, GB/s by GPUs "
             "at once: %s",
             kDir[d], kPlace[pl], line.c_str());
    }
}

static void lua_grid_row(FILE *fp, int tp, const curve *c) {
  fprintf(fp, "    { %d, {", tp);
  for (size_t i = 0; i < c->x.size(); i++)
    fprintf(fp, "%s{%.17g, %.17g}", i ? ", " : " ", c->x[i], c->y[i]);
  fprintf(fp, " } },\n");
}

static void write_multi_lua(const char *path, const char *name,
                            const char *base, const std::string &comments,
                            const multi_constants &c, const curve_set &cs,
                            const std::string &source) {
  FILE *fp = fopen(path, "w");
  if (!fp) die_writing(path, __LINE__);
  fprintf(fp, "-- Several GPUs of one server measured by kvsim-calibrate-multi "
              "(kernels/calib_multi.cu).\n");
  fprintf(fp, "%s", comments.c_str());
  fprintf(fp, "return {\n");
  if (base && *base)
    fprintf(fp, "  base = \"%s\", -- the preset every other field comes from\n",
            base);
  fprintf(fp, "  name = \"%s\",\n", name);
  fprintf(fp, "  gpus_per_server = %d, -- cudaGetDeviceCount\n", c.gpus);
  if (c.host_bw > 0)
    fprintf(fp,
            "  host_bw = %.4g, -- host DRAM for DMA: the largest aggregate "
            "of 256 MiB copies, all GPUs at once, own-node memory\n",
            c.host_bw);
  if (c.nvlink_bw > 0) {
    fprintf(fp,
            "  nvlink_bw = %.4g, -- per GPU per direction: the larger of a "
            "pair's copy engine rate and GPU 0's egress to all others\n",
            c.nvlink_bw);
    fprintf(fp,
            "  nvlink_lat = %.4g, -- dependent read of peer memory, round "
            "trip\n",
            c.nvlink_lat);
  }
  bool any = false;
  for (int tp = 2; tp <= 8; tp *= 2) {
    const curve *ar = cs.find("allreduce_tp" + std::to_string(tp));
    if (!ar || ar->y.empty()) continue;
    if (!any)
      fprintf(fp, "  allreduce_table = { -- s by bytes per GPU, one row per "
                  "tp (NCCL, sum, bf16)\n");
    any = true;
    lua_grid_row(fp, tp, ar);
  }
  if (any) fprintf(fp, "  },\n");
  std::string csv = csv_path_of(path);
  size_t slash = csv.find_last_of('/');
  fprintf(fp, "  -- every raw curve in %s\n",
          slash == std::string::npos ? csv.c_str() : csv.c_str() + slash + 1);
  fprintf(fp, "  source = \"%s\",\n}\n", source.c_str());
  if (fclose(fp) != 0) die_writing(path, __LINE__);
}

/* The figures the Lua file takes, from the curves. */
static multi_constants constants_of(const curve_set &cs, int G,
                                    const peer_results &P) {
  multi_constants c;
  c.gpus = G;
  for (int d = 0; d < 3; d++)
    for (int n = 1; n <= G; n++) {
      char a[64];
      snprintf(a, sizeof a, "host_local_%s_n%d_aggregate", kDir[d], n);
      if (const curve *ca = cs.find(a))
        c.host_bw = std::max(c.host_bw, ca->y.back());
    }
  if (P.ok) {
    c.nvlink_bw = std::max(P.ce_bw, P.fanout_bw);
    c.nvlink_lat = P.lat;
  }
  return c;
}

/* Made-up figures through the same printers and writers (no GPU): the
 * fixture that kvsim loads the written file (kernels/CMakeLists.txt). */
static int write_example(const char *dir) {
  std::string report = std::string(dir) + "/calibrate_multi.txt";
  std::string lua = std::string(dir) + "/example_multi.lua";
  results R;
  R.out = fopen(report.c_str(), "w");
  if (!R.out) die_writing(report, __LINE__);
  curve_set cs;
  const int G = 4;
  R.note("devices: 4 x Example GPU (made-up figures, kvsim-calibrate-multi "
         "--example), NUMA nodes 0 0 1 1");
  for (int pl = 0; pl < 2; pl++)
    for (int d = 0; d < 3; d++)
      for (int n = 1; n <= G; n++)
        for (double sz = 65536; sz <= kBig; sz *= 4) {
          double one = (d == 2 ? 100e9 : 55e9) * (pl ? 0.8 : 1.0);
          double agg = std::min(n * one, pl ? 160e9 : 200e9) *
                       (sz / (sz + 2.2e-6 * one));
          char a[64], p[64];
          snprintf(a, sizeof a, "host_%s_%s_n%d_aggregate", kPlace[pl], kDir[d],
                   n);
          snprintf(p, sizeof p, "host_%s_%s_n%d_per_gpu", kPlace[pl], kDir[d],
                   n);
          cs.add(a, "B/s", sz, agg);
          cs.add(p, "B/s", sz, agg / n);
        }
  print_host_tables(R.out, cs, G, 2);
  note_sharing(R, cs, G, 2);
  peer_results P;
  P.ok = true;
  P.ce_bw = 370e9, P.fanout_bw = 440e9, P.lat = 1.6e-6;
  for (double sz = 4096; sz <= kBig; sz *= 4) {
    cs.add("peer_ce_0_1", "s", sz, 3.1e-6 + sz / 370e9);
    cs.add("peer_sm_0_1", "s", sz, 2.5e-6 + sz / 330e9);
  }
  for (int tp = 2; tp <= G; tp *= 2)
    for (double b = 1024; b <= 1ull << 30; b *= 4) {
      double s = 8e-6 + 1e-6 * tp + 2.0 * (tp - 1) / tp * b / 360e9;
      cs.add("allreduce_tp" + std::to_string(tp), "s", b, s);
      cs.add("allreduce_tp" + std::to_string(tp) + "_busbw", "B/s", b,
             2.0 * (tp - 1) / tp * b / s);
    }
  multi_constants c = constants_of(cs, G, P);
  write_multi_lua(lua.c_str(), "example-multi", "h100-sxm-80gb", R.lines, c, cs,
                  "kvsim-calibrate-multi --example: made-up figures, not a "
                  "measurement");
  write_csv(csv_path_of(lua.c_str()), cs);
  if (fclose(R.out) != 0) die_writing(report, __LINE__);
  printf("wrote %s, %s, %s\n", report.c_str(), lua.c_str(),
         csv_path_of(lua.c_str()).c_str());
  return 0;
}

/* The command line's settings (main). */
struct multi_args {
  const char *lua_path = nullptr, *name = nullptr, *base = nullptr;
  int want = 0;
  bool allreduce = true;
};

/* Reads the command line into a (--quick sets g_quick); -1 to go on, else
 * main's exit status: --example's (after writing the example files) or 2
 * with the usage. */
static int parse_args(int argc, char **argv, multi_args &a) {
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--lua") && i + 1 < argc)
      a.lua_path = argv[++i];
    else if (!strcmp(argv[i], "--name") && i + 1 < argc)
      a.name = argv[++i];
    else if (!strcmp(argv[i], "--base") && i + 1 < argc)
      a.base = argv[++i];
    else if (!strcmp(argv[i], "--gpus") && i + 1 < argc)
      a.want = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--quick"))
      g_quick = true;
    else if (!strcmp(argv[i], "--no-allreduce"))
      a.allreduce = false;
    else if (!strcmp(argv[i], "--example") && i + 1 < argc)
      return write_example(argv[++i]);
    else {
      fprintf(stderr,
              "usage: %s [--lua FILE] [--name NAME] [--base PRESET] "
              "[--gpus N] [--quick] [--no-allreduce]\n"
              "       %s --example DIR\n",
              argv[0], argv[0]);
      return 2;
    }
  }
  return -1;
}

/* Fills every GPU's context: its node and another node for remote pages
 * (from `nodes`), device buffers, streams, events and host buffers, each
 * GPU's host path checked; appends each GPU's placement to `where` and
 * returns the number of placements (1, or 2 when every GPU has another
 * node). */
static int setup_gpus(std::vector<gpu_ctx> &g, const std::vector<int> &nodes,
                      std::string &where) {
  const int G = (int)g.size();
  int places = 1;
  for (int i = 0; i < G; i++) {
    g[i].dev = i;
    g[i].node = gpu_node(i);
    for (int nd : nodes)
      if (nd != (g[i].node < 0 ? 0 : g[i].node)) {
        g[i].other = nd;
        break;
      }
    if (g[i].other >= 0) places = 2;
  }
  for (int i = 0; i < G; i++)
    if (g[i].other < 0) places = 1; /* remote only when every GPU has one */
  for (int i = 0; i < G; i++) {
    cudaCheck(cudaSetDevice(i));
    cudaCheck(cudaMalloc(&g[i].d_a, kBig));
    cudaCheck(cudaMalloc(&g[i].d_b, kBig));
    for (int k = 0; k < 2; k++) {
      cudaCheck(cudaStreamCreateWithFlags(&g[i].s[k], cudaStreamNonBlocking));
      cudaCheck(cudaEventCreate(&g[i].e0[k]));
      cudaCheck(cudaEventCreate(&g[i].e1[k]));
    }
    for (int pl = 0; pl < places; pl++)
      for (int k = 0; k < 2; k++)
        g[i].h[pl][k] = host_alloc_on(pl ? g[i].other : g[i].node, kBig,
                                      1000 + 10 * i + 2 * pl + k);
    char b[160];
    snprintf(b, sizeof b, "%sGPU %d node %d (local pages on %d%s)",
             i ? "; " : "", i, g[i].node, g[i].h[0][0].got,
             places > 1 ? "" : ", no other node");
    where += b;
    if (places > 1) {
      snprintf(b, sizeof b, ", remote node %d (pages on %d)", g[i].other,
               g[i].h[1][0].got);
      where += b;
    }
    for (int pl = 0; pl < places; pl++)
      check_host_path(g[i], pl);
  }
  return places;
}

/* Host copies with N = 1..G GPUs at once, every placement, direction and
 * size: the aggregate and per-GPU curves, and each GPU's at kBig. */
static void measure_host(std::vector<gpu_ctx> &g, int places, curve_set &cs) {
  const int G = (int)g.size();
  const size_t first = g_quick ? (1ull << 20) : 65536;
  for (int pl = 0; pl < places; pl++)
    for (int d = 0; d < 3; d++)
      for (int n = 1; n <= G; n++)
        for (size_t sz = first; sz <= kBig; sz *= 4) {
          std::vector<double> per;
          double agg = host_copies(g, n, d, pl, sz, per);
          char a[64], p[64];
          snprintf(a, sizeof a, "host_%s_%s_n%d_aggregate", kPlace[pl], kDir[d],
                   n);
          snprintf(p, sizeof p, "host_%s_%s_n%d_per_gpu", kPlace[pl], kDir[d],
                   n);
          double mean = 0, lo = per[0];
          for (double v : per)
            mean += v / n, lo = std::min(lo, v);
          cs.add(a, "B/s", (double)sz, agg);
          cs.add(p, "B/s", (double)sz, mean);
          if (sz == kBig)
            for (int i = 0; i < n; i++) {
              char e[64];
              snprintf(e, sizeof e, "host_%s_%s_n%d_gpu%d", kPlace[pl], kDir[d],
                       n, i);
              cs.add(e, "B/s", (double)sz, per[i]);
            }
        }
}

/* Frees every GPU's buffers, streams and events and its host buffers. */
static void free_gpus(std::vector<gpu_ctx> &g) {
  for (gpu_ctx &x : g) {
    cudaCheck(cudaSetDevice(x.dev));
    cudaCheck(cudaFree(x.d_a));
    cudaCheck(cudaFree(x.d_b));
    for (int k = 0; k < 2; k++) {
      cudaCheck(cudaStreamDestroy(x.s[k]));
      cudaCheck(cudaEventDestroy(x.e0[k]));
      cudaCheck(cudaEventDestroy(x.e1[k]));
    }
    for (int pl = 0; pl < 2; pl++)
      for (int k = 0; k < 2; k++)
        host_free(x.h[pl][k]);
  }
}

int main(int argc, char **argv) {
  multi_args args;
  const int rc = parse_args(argc, argv, args);
  if (rc >= 0) return rc;
  const char *lua_path = args.lua_path, *name = args.name, *base = args.base;
  const int want = args.want;
  const bool allreduce = args.allreduce;
  setvbuf(stdout, nullptr, _IOLBF, 0); /* lines kept if a limit kills it */
  lab_require_device();
  int G = 0, drv = 0;
  cudaCheck(cudaGetDeviceCount(&G));
  if (want > 0 && want < G) G = want;
  cudaCheck(cudaDriverGetVersion(&drv));
  cudaDeviceProp prop;
  cudaCheck(cudaGetDeviceProperties(&prop, 0));
  std::string card = prop.name;
  if (!base)
    base = card.find("H200") != std::string::npos   ? "h200-141gb"
           : card.find("H100") != std::string::npos ? "h100-sxm-80gb"
                                                    : "";
  std::string dflt = card.find("H200") != std::string::npos   ? "h200"
                     : card.find("H100") != std::string::npos ? "h100"
                                                              : "gpu";
  dflt += "x" + std::to_string(G) + "-measured";
  if (!name) name = dflt.c_str();
  results R;
  curve_set cs;
  char date[32];
  time_t tt = time(nullptr);
  strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", gmtime(&tt));
  double t_start = gpu_mono();

  /* ---- GPUs, their nodes, buffers, checks ---- */
  std::vector<int> nodes = online_nodes();
  std::vector<gpu_ctx> g(G);
  std::string where;
  const int places = setup_gpus(g, nodes, where);
  std::string nl;
  for (int nd : nodes)
    nl += " " + std::to_string(nd);
  R.note("devices: %d x %s, driver API %d, %s; NUMA nodes online:%s", G,
         prop.name, drv, date, nl.c_str());
  R.note("placement: %s", where.c_str());
  R.note("every GPU's host path checked (256 MiB H2D, D2D, D2H, byte for "
         "byte) in each placement");

  /* ---- host copies, N = 1..G GPUs at once ---- */
  measure_host(g, places, cs);
  print_host_tables(R.out, cs, G, places);
  note_sharing(R, cs, G, places);
  {
    multi_constants c0 = constants_of(cs, G, peer_results());
    R.note("host DRAM for DMA: largest aggregate %.2f GB/s (host_bw)",
           c0.host_bw / 1e9);
  }

  /* ---- peers and all-reduce ---- */
  reload_sources(g);
  peer_results P = measure_peer(g, cs, R);
  /* the files are written before the all-reduce too, so that a failure or
   * a time limit there keeps the copy and peer figures */
  char source[512];
  snprintf(source, sizeof source,
           "kvsim-calibrate-multi on %d x %s, driver API %d, %s", G, prop.name,
           drv, date);
  auto save = [&](bool last) {
    multi_constants c = constants_of(cs, G, P);
    if (last)
      fprintf(R.out,
              "\nplatform fields (%s%s%s): gpus_per_server %d, host_bw "
              "%.4g, nvlink_bw %.4g, nvlink_lat %.4g\n",
              name, *base ? ", base " : "", base, c.gpus, c.host_bw,
              c.nvlink_bw, c.nvlink_lat);
    if (!lua_path) return;
    write_multi_lua(lua_path, name, base, R.lines, c, cs, source);
    write_csv(csv_path_of(lua_path), cs);
    printf("wrote %s\nwrote %s%s\n", lua_path, csv_path_of(lua_path).c_str(),
           last ? "" : " (before the all-reduce)");
  };
  save(false);
  if (allreduce) measure_allreduce(g, cs, R);
  save(true);
  printf("calibration took %.1f s\n", gpu_mono() - t_start);
  free_gpus(g);
  return 0;
}
