/* vmm_fresh.cu - lab_vmm_fresh: does a VMM handle cost more when its
 * physical memory is new to the process?
 *
 * indirect's 64 MiB slabs cost 5-10x kvsim-calibrate's growth series
 * inside a validation run, on the thread that launches, with the GPU idle
 * after a step. The run holds some 16 GiB of weights allocated before its
 * first slab; the calibration grows into memory it released a moment
 * earlier. This program grows n handles of 64 MiB (create, map, set
 * access; one 256 MiB memset and a sync before each, "right after a
 * step") in phases that differ only in where the memory comes from:
 *   A first thing in the process        B again, after releasing A's
 *   C past a 16 GiB cudaMalloc'd filler  D again, filler kept
 *   E after cudaFree of the filler       F past a 40 GiB filler
 * and prints each phase's medians (first and last quarter) in us. Then
 * n/2 handles one at a time after 10 ms of host sleep (H), of small
 * launches and event records (I), of host cache thrashing (J), after 1 ms
 * of launches (K) and with no gap (L): medians and p10 / p90.
 * Exit 77 without a CUDA device.
 */
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include <cuda.h>
#include <cuda_runtime.h>

#include "gpu_drv.h"

static gpu_drv drv;

#define RT(x)                                                                  \
  do {                                                                         \
    cudaError_t e_ = (x);                                                      \
    if (e_ != cudaSuccess) {                                                   \
      fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__,                       \
              cudaGetErrorString(e_));                                         \
      exit(1);                                                                 \
    }                                                                          \
  } while (0)
#define DRV(x)                                                                 \
  do {                                                                         \
    CUresult r_ = (x);                                                         \
    if (r_ != CUDA_SUCCESS) {                                                  \
      fprintf(stderr, "%s:%d: driver error %d\n", __FILE__, __LINE__,          \
              (int)r_);                                                        \
      exit(1);                                                                 \
    }                                                                          \
  } while (0)

static double med(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

static double pct(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[(size_t)(q * (double)(v.size() - 1))];
}

struct pool {
  std::vector<CUmemGenericAllocationHandle> h;
  std::vector<CUdeviceptr> va;
  std::vector<CUdeviceptr> ranges;
};

/* A step (a memset of step_bytes and its sync), then one handle of hsz
 * bytes created, mapped at va and opened, each call's time into t[0..2]. */
/* One handle of hsz bytes created, mapped at va and opened, each call's time
 * into t[0..2]. */
static CUmemGenericAllocationHandle open_handle(CUdeviceptr va, size_t hsz,
                                                const CUmemAllocationProp &ap,
                                                const CUmemAccessDesc &acc,
                                                std::vector<double> *t) {
  CUmemGenericAllocationHandle h;
  double c0 = gpu_mono();
  DRV(drv.MemCreate(&h, hsz, &ap, 0));
  double c1 = gpu_mono();
  DRV(drv.MemMap(va, hsz, 0, h, 0));
  double c2 = gpu_mono();
  DRV(drv.MemSetAccess(va, hsz, &acc, 1));
  double c3 = gpu_mono();
  t[0].push_back(c1 - c0);
  t[1].push_back(c2 - c1);
  t[2].push_back(c3 - c2);
  return h;
}

static void step_then_handle(pool &p, CUdeviceptr va, size_t hsz,
                             const CUmemAllocationProp &ap,
                             const CUmemAccessDesc &acc, void *step_buf,
                             size_t step_bytes, int i, std::vector<double> *t) {
  RT(cudaMemsetAsync(step_buf, i & 0xff, step_bytes, 0));
  RT(cudaStreamSynchronize(0));
  p.h.push_back(open_handle(va, hsz, ap, acc, t));
  p.va.push_back(va);
}

static void grow(const char *phase, pool &p, int n, size_t hsz,
                 const CUmemAllocationProp &ap, const CUmemAccessDesc &acc,
                 void *step_buf, size_t step_bytes) {
  CUdeviceptr base = 0;
  DRV(drv.MemAddressReserve(&base, hsz * n, 0, 0, 0));
  p.ranges.push_back(base);
  std::vector<double> t[3];
  for (int i = 0; i < n; i++) {
    step_then_handle(p, base + (CUdeviceptr)i * hsz, hsz, ap, acc, step_buf,
                     step_bytes, i, t);
  }
  /* the check: the last handle is usable */
  RT(cudaMemset((void *)p.va.back(), 0x5a, hsz));
  unsigned char b = 0;
  RT(cudaMemcpy(&b, (void *)(p.va.back() + hsz - 1), 1,
                cudaMemcpyDeviceToHost));
  if (b != 0x5a) {
    fprintf(stderr, "phase %s: handle reads back %02x, not 5a\n", phase, b);
    exit(1);
  }
  size_t fr = 0, tot = 0;
  RT(cudaMemGetInfo(&fr, &tot));
  static const char *const call[3] = {"create", "map", "set_access"};
  printf("%-44s", phase);
  int q = n / 4;
  for (int k = 0; k < 3; k++) {
    std::vector<double> a(t[k].begin(), t[k].begin() + q),
        z(t[k].end() - q, t[k].end());
    printf(" %s %7.2f (%7.2f, %7.2f)", call[k], med(t[k]) * 1e6, med(a) * 1e6,
           med(z) * 1e6);
  }
  printf("; %.1f GiB free\n", (double)fr / (1 << 30));
  fflush(stdout);
}

/* One handle at a time after `gap` of something else, like a run's slab
 * between steps: what == 0 host sleep, 1 a stream of small launches and
 * event records (the driver busy), 2 the host's caches thrashed (64 MiB
 * written), then the step memset and sync as in grow(). */
static void isolated(const char *phase, pool &p, int n, size_t hsz,
                     const CUmemAllocationProp &ap, const CUmemAccessDesc &acc,
                     void *step_buf, size_t step_bytes, int what, double gap) {
  CUdeviceptr base = 0;
  DRV(drv.MemAddressReserve(&base, hsz * n, 0, 0, 0));
  p.ranges.push_back(base);
  std::vector<double> t[3];
  std::vector<char> thrash(what == 2 ? (64u << 20) : 1);
  cudaEvent_t ev[64];
  for (int k = 0; k < 64; k++)
    RT(cudaEventCreate(&ev[k]));
  for (int i = 0; i < n; i++) {
    double g0 = gpu_mono();
    while (gpu_mono() - g0 < gap) {
      if (what == 0) {
        struct timespec ts = {0, 200000};
        nanosleep(&ts, nullptr);
      } else if (what == 1) {
        for (int k = 0; k < 64; k++) {
          RT(cudaMemsetAsync(step_buf, k, 4096, 0));
          RT(cudaEventRecord(ev[k], 0));
        }
        RT(cudaStreamSynchronize(0));
      } else {
        for (size_t b = 0; b < thrash.size(); b += 64)
          thrash[b] = (char)(b + i);
      }
    }
    step_then_handle(p, base + (CUdeviceptr)i * hsz, hsz, ap, acc, step_buf,
                     step_bytes, i, t);
  }
  for (int k = 0; k < 64; k++)
    RT(cudaEventDestroy(ev[k]));
  static const char *const call[3] = {"create", "map", "set_access"};
  printf("%-44s", phase);
  for (int k = 0; k < 3; k++)
    printf(" %s %7.2f (p10 %7.2f, p90 %7.2f)", call[k], med(t[k]) * 1e6,
           pct(t[k], 0.1) * 1e6, pct(t[k], 0.9) * 1e6);
  printf("\n");
  fflush(stdout);
}

/* Steps for `gap` s: 256 MiB memsets, the host spinning in each sync (as
 * kvsim-calibrate's series of steps and a run's step loop wait); with
 * `host`, each step also writes host_bytes of it (a serving engine's host
 * work between steps, its caches' worth). */
static void steps_for(double gap, void *step_buf, size_t step_bytes, int i,
                      char *host = nullptr, size_t host_bytes = 0) {
  double g0 = gpu_mono();
  do {
    RT(cudaMemsetAsync(step_buf, i & 0xff, step_bytes, 0));
    for (size_t b = 0; host && b < host_bytes; b += 64)
      host[b] = (char)(b + (size_t)i);
    RT(cudaStreamSynchronize(0));
  } while (gpu_mono() - g0 < gap);
}

/* Does a handle made after a gap cost more when it grows the process's
 * physical memory than when it replaces one released a gap earlier?
 * kvsim-calibrate's gap series recycles (create, map, open, gap, unmap,
 * release, gap, create again); a run's indirect slabs grow, seconds
 * apart, and cost 2-4x that series at the same gap. Per handle size and
 * gap, interleaved: "grow" makes n handles one at a time after the gap,
 * all kept live until the end; "cycle" makes one after the gap, then
 * after the gap again unmaps and releases it; "grow+host" grows as "grow"
 * with 32 MiB of host memory written in each step of the gap. Each call's
 * median and p10 / p90 in us. */
static void gap_study(int n, const CUmemAllocationProp &ap,
                      const CUmemAccessDesc &acc, void *step_buf,
                      size_t step_bytes) {
  static const double gaps_ms[] = {1, 10, 60, 300, 1000};
  static const char *const call[5] = {"create", "map", "set_access", "unmap",
                                      "release"};
  std::vector<char> host(32u << 20);
  printf("lab_vmm_fresh gap: %d handles per size, gap and mode; steps of "
         "%zu MiB memsets in the gap (grow+host: each also writes %zu MiB "
         "of host memory); us median (p10, p90)\n",
         n, step_bytes >> 20, host.size() >> 20);
  for (size_t mib : {64ull, 2ull}) {
    const size_t hsz = mib << 20;
    for (double ms : gaps_ms) {
      for (int mode = 0; mode < 3; mode++) {
        CUdeviceptr base = 0;
        DRV(drv.MemAddressReserve(&base, hsz * n, 0, 0, 0));
        std::vector<CUmemGenericAllocationHandle> hs;
        std::vector<double> t[5];
        for (int i = 0; i < n; i++) {
          const CUdeviceptr va = base + (CUdeviceptr)i * hsz;
          steps_for(ms * 1e-3, step_buf, step_bytes, i,
                    mode == 2 ? host.data() : nullptr, host.size());
          CUmemGenericAllocationHandle h = open_handle(va, hsz, ap, acc, t);
          RT(cudaMemsetAsync((void *)va, 0x5a, hsz, 0));
          if (mode == 1) {
            steps_for(ms * 1e-3, step_buf, step_bytes, i);
            double u0 = gpu_mono();
            DRV(drv.MemUnmap(va, hsz));
            double u1 = gpu_mono();
            DRV(drv.MemRelease(h));
            double u2 = gpu_mono();
            t[3].push_back(u1 - u0);
            t[4].push_back(u2 - u1);
          } else {
            hs.push_back(h);
          }
        }
        /* the check: the last grown handle holds what was written */
        if (mode != 1) {
          unsigned char b = 0;
          RT(cudaMemcpy(&b,
                        (void *)(base + (CUdeviceptr)(n - 1) * hsz + hsz - 1),
                        1, cudaMemcpyDeviceToHost));
          if (b != 0x5a) {
            fprintf(stderr, "gap study: handle reads back %02x, not 5a\n", b);
            exit(1);
          }
          for (int i = 0; i < n; i++) {
            DRV(drv.MemUnmap(base + (CUdeviceptr)i * hsz, hsz));
            DRV(drv.MemRelease(hs[(size_t)i]));
          }
        }
        RT(cudaDeviceSynchronize());
        DRV(drv.MemAddressFree(base, hsz * n));
        static const char *const mname[3] = {"grow", "cycle", "grow+host"};
        printf("%2zu MiB gap %6.0f ms %-9s", mib, ms, mname[mode]);
        for (int k = 0; k < (mode == 1 ? 5 : 3); k++)
          printf(" %s %7.2f (%6.2f, %7.2f)", call[k], med(t[k]) * 1e6,
                 pct(t[k], 0.1) * 1e6, pct(t[k], 0.9) * 1e6);
        printf("\n");
        fflush(stdout);
      }
    }
  }
}

static void release(pool &p, size_t hsz, int n) {
  for (size_t i = 0; i < p.h.size(); i++) {
    DRV(drv.MemUnmap(p.va[i], hsz));
    DRV(drv.MemRelease(p.h[i]));
  }
  for (CUdeviceptr r : p.ranges)
    DRV(drv.MemAddressFree(r, hsz * n));
  p = pool();
}

int main(int argc, char **argv) {
  const bool gap = argc > 1 && std::string(argv[1]) == "gap";
  int n = argc > 1 + gap ? atoi(argv[1 + gap]) : (gap ? 8 : 48);
  if (n < 4) n = 4;
  int ndev = 0;
  if (cudaGetDeviceCount(&ndev) != cudaSuccess || ndev == 0) {
    printf("lab_vmm_fresh: no CUDA device: skipped\n");
    return 77;
  }
  RT(cudaSetDevice(0));
  cudaError_t e = cudaSuccess;
  int qr = 0;
  const char *missing = gpu_drv_fetch(&drv, &e, &qr);
  if (missing) {
    fprintf(stderr, "driver entry point %s not found\n", missing);
    return 1;
  }
  CUmemAllocationProp ap = {};
  ap.type = CU_MEM_ALLOCATION_TYPE_PINNED;
  ap.location.type = CU_MEM_LOCATION_TYPE_DEVICE;
  ap.location.id = 0;
  CUmemAccessDesc acc = {};
  acc.location = ap.location;
  acc.flags = CU_MEM_ACCESS_FLAGS_PROT_READWRITE;
  const size_t hsz = 64ull << 20, sb = 256ull << 20;
  void *step_buf = nullptr;
  RT(cudaMalloc(&step_buf, sb));
  printf("lab_vmm_fresh: %d handles of 64 MiB per phase; us median (first "
         "quarter, last quarter)\n",
         n);
  if (gap) {
    gap_study(n, ap, acc, step_buf, sb);
    RT(cudaFree(step_buf));
    return 0;
  }
  pool p;
  grow("A first thing in the process", p, n, hsz, ap, acc, step_buf, sb);
  release(p, hsz, n);
  grow("B again, A's released", p, n, hsz, ap, acc, step_buf, sb);
  void *fill = nullptr;
  RT(cudaMalloc(&fill, 16ull << 30));
  RT(cudaMemset(fill, 1, 16ull << 30));
  RT(cudaDeviceSynchronize());
  release(p, hsz, n);
  grow("C past a 16 GiB filler (B's released)", p, n, hsz, ap, acc, step_buf,
       sb);
  release(p, hsz, n);
  grow("D again, filler kept", p, n, hsz, ap, acc, step_buf, sb);
  RT(cudaFree(fill));
  RT(cudaDeviceSynchronize());
  grow("E after cudaFree of the filler (D live)", p, n, hsz, ap, acc, step_buf,
       sb);
  release(p, hsz, n);
  size_t fr = 0, tot = 0;
  RT(cudaMemGetInfo(&fr, &tot));
  size_t big = std::min<size_t>(40ull << 30, fr - (n * hsz) - (4ull << 30));
  RT(cudaMalloc(&fill, big));
  RT(cudaMemset(fill, 1, big));
  RT(cudaDeviceSynchronize());
  grow("F past a 40 GiB filler", p, n, hsz, ap, acc, step_buf, sb);
  grow("G more, F live", p, n, hsz, ap, acc, step_buf, sb);
  release(p, hsz, n);
  RT(cudaFree(fill));
  const int m = n / 2;
  isolated("H one at a time, 10 ms host sleep", p, m, hsz, ap, acc, step_buf,
           sb, 0, 10e-3);
  release(p, hsz, m);
  isolated("I one at a time, 10 ms of launches", p, m, hsz, ap, acc, step_buf,
           sb, 1, 10e-3);
  release(p, hsz, m);
  isolated("J one at a time, 10 ms host cache thrash", p, m, hsz, ap, acc,
           step_buf, sb, 2, 10e-3);
  release(p, hsz, m);
  isolated("K one at a time, 1 ms of launches", p, m, hsz, ap, acc, step_buf,
           sb, 1, 1e-3);
  release(p, hsz, m);
  isolated("L one at a time, no gap", p, m, hsz, ap, acc, step_buf, sb, 0, 0);
  release(p, hsz, m);
  RT(cudaFree(step_buf));
  return 0;
}
