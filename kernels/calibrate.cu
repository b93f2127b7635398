/* calibrate.cu - kvsim-calibrate: measures on the GPU at hand the platform
 * constants and the measured curves of the simulator's cost model (struct
 * kv_platform in core/inputs/platform.h), each as the GPU backend (gpu/)
 * performs the operation it stands for, and prints them as a text report. With
 * --lua FILE it also writes them as a Lua platform (`return { ... }`, the
 * curves and the VMM context factors included, so that kv.platform{ file =
 * FILE } loads them), and beside it, as FILE's stem + ".curves.csv"
 * (columns curve,x,y,unit), every raw curve measured, named as
 * scripts/kvsim/calibration.lua names them.
 * Measured:
 *   - PCIe copies by size per direction (copy_h2d, copy_d2h), the fixed
 *     cost per copy, duplex (host_bw);
 *   - cudaMemcpyBatchAsync of 64 scattered entries by entry size per
 *     direction (batch_h2d, batch_d2h) and the host time of one call
 *     (batch_call): the batched-DMA copy path (copy_via = "batch");
 *   - device-to-device copy, HBM read stream (the best of a few read
 *     kernels, the GPU backend's weight read among them), bf16 matrix rate
 *     (cuBLAS), kernel launch, table write (a small H2D copy), zero-copy
 *     read latency, SM count and memory size;
 *   - SM gather/scatter (kv_transfer_launch) over scattered pinned host
 *     pages by SMs and page size, per direction (sm_copy_<page>_<dir>);
 *     and, at 64 KiB pages, by SMs and threads per block
 *     (kv_transfer_launch_threads: sm_threads_<threads>_<dir>);
 *   - decode attention read (kv_attn_launch) through a block table and an
 *     offset table, time over contiguous, by tokens per block
 *     (attn_block_table, attn_offset_table);
 *   - CUDA VMM driver calls in isolation by handle size (vmm_<call>),
 *     address reserve / free by range size (vmm_reserve, vmm_free_va), and
 *     per call in cycles among live handles: GPU idle, busy, right after a
 *     step (vmm_context_<ctx>; over isolation: the busy and after-step
 *     factors).
 * Every copy and kernel result is checked before it is timed.
 * Shared with the rest of kvsim rather than copied: the report notes, the
 * curve set and the CSV writer (calib_io.cuh, also kvsim-calibrate-multi's);
 * the driver entry points
 * and the host clock that times driver calls are the GPU backend's
 * (gpu/gpu_drv.h: gpu_drv_fetch, gpu_mono); the event timer and the
 * device-to-device peak are the kernel lab's (common.cuh: lab_time_ms,
 * lab_time_warm_ms, lab_measure_d2d).
 * Usage: kvsim-calibrate [--lua FILE] [--name NAME] [--quick]
 *        kvsim-calibrate --compute-table FILE [--shapes N,K;...] [--quick]
 *        (GEMM rows of the operator-level compute table: calib_compute.cu)
 *        kvsim-calibrate --example DIR  (made-up figures through the same
 *        printers and writers, no GPU needed: kernels/testdata/)
 * Main entry point: main().
 */
#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <ctime>
#include <string>
#include <thread>

#include <cublas_v2.h>
#include <cuda.h>
#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include "../core/base/curve.h" /* KV_CURVE_MAX: points a platform curve holds */
#include "calib_io.cuh"
#include "common.cuh"
#include "gpu_drv.h"
#include "kv_kernels.h"

/* Driver API entry points, fetched as the GPU backend fetches them
 * (gpu/gpu_drv.h: through the runtime, so that the program does not link
 * libcuda and still starts, and reports "skipped", on a machine without a
 * driver). */
static gpu_drv drv_api;

static void load_driver_api(void) {
  cudaError_t e = cudaSuccess;
  int q = 0;
  const char *missing = gpu_drv_fetch(&drv_api, &e, &q);
  if (missing) {
    fprintf(stderr,
            "%s:%d: driver entry point %s not found (%s, query "
            "result %d)\n",
            __FILE__, __LINE__, missing, cudaGetErrorString(e), q);
    exit(EXIT_FAILURE);
  }
}

static void cu_check(CUresult r, const char *file, int line) {
  if (r != CUDA_SUCCESS) {
    const char *s = nullptr;
    drv_api.GetErrorString(r, &s);
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

static bool g_quick = false;
static int reps(int n) {
  return g_quick ? (n > 5 ? 5 : n) : n;
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

/* The driver calls in core/inputs/platform.h's kv_vmm_call order, as platform
 * fields and the curves name them, and as the report's tables head them. */
static const char *const kVmmCall[7] = {
    "reserve", "create", "map", "set_access", "unmap", "release", "free_va"};
static const char *const kVmmColumn[7] = {
    "reserve", "create", "map", "set_access", "unmap", "release", "addr_free"};

/* The isolation curve of call k in the handle-size table: reserve and free
 * there are of a range the size of the handle (their curves by range size
 * come from the range table). */
static std::string vmm_handle_curve(int k) {
  if (k == 0) return "vmm_reserve_handle";
  if (k == 6) return "vmm_free_va_handle";
  return std::string("vmm_") + kVmmCall[k];
}

/* Context time over isolated time at the granularity (the isolation
 * curve's first point), as scripts/kvsim/calibration.lua defines the
 * factors vmm_<call>_busy and vmm_<call>_after_step; 0 (= no factor) when
 * either is missing. */
static double vmm_factor(const curve_set &cs, int k, const char *ctx) {
  const curve *iso = cs.find(std::string("vmm_") + kVmmCall[k]);
  const curve *c = cs.find(std::string("vmm_context_") + ctx);
  if (!iso || iso->y.empty() || !(iso->y[0] > 0) || !c) return 0;
  for (size_t i = 0; i < c->xname.size(); i++)
    if (c->xname[i] == kVmmCall[k]) return c->y[i] / iso->y[0];
  return 0;
}

/* Live handles of the context cycles (kLive in calibrate_vmm_contexts;
 * scripts/kvsim/calibration.lua CONTEXT_LIVE_HANDLES). */
static const int kContextLive = 128;

/* The platform's live-handle table of call k, as
 * scripts/kvsim/calibration.lua builds it: the idle context's factor over
 * the isolated call at kContextLive handles, and each point of the sweep
 * (vmm_live_<call>) over the isolated call, by live handles; empty without
 * an idle context. */
static std::vector<std::pair<double, double>>
vmm_live_table(const curve_set &cs, int k) {
  std::vector<std::pair<double, double>> pts;
  double idle = vmm_factor(cs, k, "idle");
  if (!(idle > 0)) return pts;
  pts.push_back({(double)kContextLive, idle});
  const curve *iso = cs.find(std::string("vmm_") + kVmmCall[k]);
  if (const curve *sw = cs.find(std::string("vmm_live_") + kVmmCall[k]))
    for (size_t i = 0; i < sw->x.size(); i++)
      if (sw->x[i] != kContextLive)
        pts.push_back({sw->x[i], sw->y[i] / iso->y[0]});
  std::sort(pts.begin(), pts.end());
  return pts;
}

/* The busy / after-step factor of call k as the platform takes it: over
 * the idle call among the same live handles when the report has an idle
 * context, else over the isolated call. */
static double vmm_context_factor(const curve_set &cs, int k, const char *ctx) {
  double f = vmm_factor(cs, k, ctx), idle = vmm_factor(cs, k, "idle");
  return f > 0 && idle > 0 ? f / idle : f;
}

/* The platform's vmm_<call>_curve of call k, as scripts/kvsim/calibration.lua
 * vmm_curve builds it: the call's curve; for reserve (k 0) and free_va (k 6),
 * by range bytes, with the handle table's column (vmm_<call>_handle) at the
 * sizes the range table lacks, at most KV_CURVE_MAX points, by size. */
static curve vmm_platform_curve(const curve_set &cs, int k) {
  curve out;
  const curve *c = cs.find(std::string("vmm_") + kVmmCall[k]);
  if (!c) return out;
  out = *c;
  const curve *h = (k == 0 || k == 6) ? cs.find(vmm_handle_curve(k)) : nullptr;
  if (!h) return out;
  std::vector<std::pair<double, double>> pts;
  for (size_t i = 0; i < c->x.size(); i++)
    pts.push_back({c->x[i], c->y[i]});
  for (size_t i = 0; i < h->x.size(); i++) {
    bool have = false;
    for (double x : c->x)
      have = have || x == h->x[i];
    if (!have && pts.size() < KV_CURVE_MAX) pts.push_back({h->x[i], h->y[i]});
  }
  std::sort(pts.begin(), pts.end());
  out.x.clear();
  out.y.clear();
  for (const auto &p : pts) {
    out.x.push_back(p.first);
    out.y.push_back(p.second);
  }
  return out;
}

/* The range reserved among live ranges (section 4 of measure_vmm), as
 * scripts/kvsim/calibration.lua LIVE_VA_RANGE: a layer's K or V at 8K
 * tokens of an 8B model. */
static const size_t kLiveVaRange = 16ull << 20;

/* y at x of curve c (x ascending): linear between points, flat past both
 * ends, as scripts/kvsim/calibration.lua curve_at. */
static double curve_at(const curve &c, double x) {
  if (x <= c.x[0]) return c.y[0];
  for (size_t i = 1; i < c.x.size(); i++)
    if (x <= c.x[i])
      return c.y[i - 1] +
             (c.y[i] - c.y[i - 1]) * (x - c.x[i - 1]) / (c.x[i] - c.x[i - 1]);
  return c.y.back();
}

/* The platform's live-range factors of reserve (k 0) or free_va (k 6): each
 * point of vmm_<call>_live_va past x = 0 over the platform's price of that
 * range alone (its curve at kLiveVaRange; the point at 0 without a curve),
 * so that a call among x ranges costs what was measured; empty without the
 * curve. */
static std::vector<std::pair<double, double>>
vmm_live_va_table(const curve_set &cs, int k) {
  std::vector<std::pair<double, double>> pts;
  const curve *c =
      cs.find(std::string("vmm_") + kVmmCall[k] + std::string("_live_va"));
  if (!c || c->x.empty() || c->x[0] != 0 || !(c->y[0] > 0)) return pts;
  double ref = c->y[0];
  curve iso = vmm_platform_curve(cs, k);
  if (!iso.x.empty()) ref = curve_at(iso, (double)kLiveVaRange);
  for (size_t i = 1; i < c->x.size(); i++)
    pts.push_back({c->x[i], c->y[i] / ref});
  return pts;
}

/* ---- the report's tables, printed from the curves ---------------------
 * scripts/kvsim/calibration.lua reads them back: keep the formats. */

/* bytes, then H2D and D2H: us per copy (or per batch entry) and GB/s */
static void print_size_pair(FILE *f, const curve *a, const curve *b) {
  fprintf(f, "%12s %12s %10s %12s %10s\n", "bytes", "H2D us", "H2D GB/s",
          "D2H us", "D2H GB/s");
  for (size_t i = 0; i < a->x.size() && i < b->x.size(); i++)
    fprintf(f, "%12.0f %12.2f %10.2f %12.2f %10.2f\n", a->x[i], a->y[i] * 1e6,
            a->x[i] / a->y[i] / 1e9, b->y[i] * 1e6, b->x[i] / b->y[i] / 1e9);
}

static void print_copy_table(FILE *f, const curve_set &cs) {
  const curve *a = cs.find("copy_h2d"), *b = cs.find("copy_d2h");
  if (!a || !b) return;
  fprintf(f, "\nPCIe copies, pinned, back to back on one stream (per copy):\n");
  print_size_pair(f, a, b);
}

static void print_batch_table(FILE *f, const curve_set &cs, int batches,
                              const char *call_note) {
  const curve *a = cs.find("batch_h2d"), *b = cs.find("batch_d2h");
  const curve *call = cs.find("batch_call");
  if (!a || !b) return;
  fprintf(f,
          "\ncudaMemcpyBatchAsync, entries at scattered device and pinned "
          "host places, %d batches back to back on one stream (per entry):\n",
          batches);
  print_size_pair(f, a, b);
  if (call && !call->y.empty())
    fprintf(f, "batch call, %.0f entries: host time %.2f us per call (%s)\n",
            call->x[0], call->y[0] * 1e6, call_note);
  /* the same host time by entry bytes (reported, not yet a model input) */
  if (const curve *by = cs.find("batch_call_bytes")) {
    fprintf(f, "batch call host time by entry bytes, us:");
    for (size_t i = 0; i < by->x.size(); i++)
      fprintf(f, " %.0f %.2f", by->x[i], by->y[i] * 1e6);
    fprintf(f, "\n");
  }
}

/* One SM copy table: the curves named <prefix><row>_<dir>, a row each
 * (row: page bytes, or threads per block), columns SMs, GB/s. */
static void print_sm_grid(FILE *f, const curve_set &cs, const char *prefix,
                          const char *title, const char *row) {
  const size_t np = strlen(prefix);
  const curve *first = nullptr;
  for (const curve &c : cs.list)
    if (c.name.compare(0, np, prefix) == 0) {
      first = &c;
      break;
    }
  if (!first) return;
  fprintf(f, "\n%s:\n", title);
  fprintf(f, "%8s %4s |", row, "dir");
  for (double x : first->x)
    fprintf(f, " %7.0f", x);
  fprintf(f, "\n");
  const std::string fmt = std::string(prefix) + "%llu_%3s";
  for (const curve &c : cs.list) {
    unsigned long long key = 0;
    char dir[8] = "";
    if (sscanf(c.name.c_str(), fmt.c_str(), &key, dir) != 2) continue;
    fprintf(f, "%8llu %4s |", key, strcmp(dir, "h2d") ? "D2H" : "H2D");
    for (double y : c.y)
      fprintf(f, " %7.2f", y / 1e9);
    fprintf(f, "\n");
  }
}

static void print_sm_table(FILE *f, const curve_set &cs) {
  print_sm_grid(f, cs, "sm_copy_",
                "SM copy over scattered pinned host pages (kv_transfer_launch, "
                "page-first, 64 MiB, GB/s)",
                "page");
}

/* the sm_threads_<threads>_<dir> curves */
static void print_sm_threads_table(FILE *f, const curve_set &cs) {
  print_sm_grid(f, cs, "sm_threads_",
                "SM copy by threads per block (kv_transfer_launch_threads, "
                "page-first, 65536-byte pages, 64 MiB, GB/s)",
                "threads");
}

static void print_vmm_handle_table(FILE *f, const curve_set &cs, int calls,
                                   size_t gran, size_t gran_rec) {
  const curve *rows = cs.find("vmm_create");
  if (!rows) return;
  fprintf(f,
          "\nCUDA VMM driver calls in isolation (one handle created, mapped "
          "and freed at a time, nothing else live), median us over %d calls "
          "(granularity %zu, recommended %zu):\n",
          calls, gran, gran_rec);
  fprintf(f, "%10s", "handle");
  for (const char *nm : kVmmColumn)
    fprintf(f, " %10s", nm);
  fprintf(f, "\n");
  for (size_t i = 0; i < rows->x.size(); i++) {
    fprintf(f, "%7.0f MiB", rows->x[i] / (1024.0 * 1024.0));
    for (int k = 0; k < 7; k++) {
      const curve *c = cs.find(vmm_handle_curve(k));
      fprintf(f, " %10.2f", c && i < c->y.size() ? c->y[i] * 1e6 : 0.0);
    }
    fprintf(f, "\n");
  }
}

/* One line: reserve / free of `rsz`-byte ranges by live ranges (x, us). */
static void print_vmm_live_va(results &R, const curve_set &cs, size_t rsz) {
  const curve *r = cs.find("vmm_reserve_live_va"),
              *f = cs.find("vmm_free_va_live_va");
  if (!r || !f) return;
  char b[160];
  snprintf(b, sizeof b,
           "vmm reserve / free of %zu MiB ranges among live ranges, us "
           "median per window of calls (live: reserve free):",
           rsz >> 20);
  std::string s = b;
  for (size_t i = 0; i < r->x.size() && i < f->x.size(); i++) {
    snprintf(b, sizeof b, " %.0f: %.2f %.2f", r->x[i], r->y[i] * 1e6,
             f->y[i] * 1e6);
    s += b;
  }
  R.note("%s", s.c_str());
}

/* A growth series (kind 0 fresh, 1 same range again, 2 new range with
 * memory recycled) of n handles of hsz bytes, t = seconds per call of
 * create, map, set_access, unmap, release: one report line, and the
 * series' medians as points x = hsz of curves vmm_grow_<call>,
 * vmm_regrow_va_<call>, vmm_regrow_<call>. */
static const char *const kGrowCall[5] = {"create", "map", "set_access", "unmap",
                                         "release"};
static void vmm_growth(results &R, curve_set &cs, int kind, size_t hsz, int n,
                       const std::vector<double> t[5]) {
  static const char *const what[3] = {"fresh range", "same range again",
                                      "new range, memory recycled"};
  static const char *const prefix[3] = {"vmm_grow_", "vmm_regrow_va_",
                                        "vmm_regrow_"};
  char b[200];
  snprintf(b, sizeof b,
           "vmm growth, %s: %d handles of %zu MiB, us median (first / p10 / "
           "p90; first quarter, last quarter):",
           what[kind], n, hsz >> 20);
  std::string s = b;
  for (int k = 0; k < 5; k++) {
    const std::vector<double> &v = t[k];
    size_t q = v.size() / 4 ? v.size() / 4 : 1;
    std::vector<double> a(v.begin(), v.begin() + q), z(v.end() - q, v.end());
    snprintf(b, sizeof b, " %s %.2f (%.2f/%.2f/%.2f; %.2f, %.2f)", kGrowCall[k],
             lab_median(v) * 1e6, v[0] * 1e6, quantile(v, 0.1) * 1e6,
             quantile(v, 0.9) * 1e6, lab_median(a) * 1e6, lab_median(z) * 1e6);
    s += b;
    cs.add(std::string(prefix[kind]) + kGrowCall[k], "s", (double)hsz,
           lab_median(v));
  }
  R.note("%s", s.c_str());
}

/* One line per context: median (p10/p90) of each call, in us. */
static std::string vmm_context_line(size_t hsz, int cycles, int live, int ctx,
                                    const std::vector<double> t[7]) {
  char head[200];
  snprintf(head, sizeof head,
           "vmm %zu MiB, %d cycles among %d live handles%s, us median "
           "(p10/p90):",
           hsz >> 20, cycles, live,
           ctx == 1   ? ", GPU busy with a read stream"
           : ctx == 2 ? ", each cycle right after a step"
                      : ", GPU idle");
  std::string line = head;
  for (int k = 0; k < 7; k++) {
    char b[96];
    snprintf(b, sizeof b, " %s %.2f (%.2f/%.2f)", kVmmColumn[k],
             lab_median(t[k]) * 1e6, quantile(t[k], 0.1) * 1e6,
             quantile(t[k], 0.9) * 1e6);
    line += b;
  }
  return line;
}

static void print_vmm_range_table(FILE *f, const curve_set &cs, int calls) {
  const curve *r = cs.find("vmm_reserve"), *fr = cs.find("vmm_free_va");
  if (!r || !fr) return;
  fprintf(f,
          "\nCUDA VMM address ranges in isolation (cuMemAddressReserve, "
          "then cuMemAddressFree of the range; no physical memory), median "
          "us over %d calls:\n",
          calls);
  fprintf(f, "%13s %10s %10s\n", "range", "reserve", "addr_free");
  for (size_t i = 0; i < r->x.size() && i < fr->x.size(); i++)
    fprintf(f, "%9.0f MiB %10.2f %10.2f\n", r->x[i] / (1024.0 * 1024.0),
            r->y[i] * 1e6, fr->y[i] * 1e6);
}

static void print_vmm_factors(results &R, const curve_set &cs) {
  std::string line = "vmm factors over isolation at the granularity (busy, "
                     "after_step):";
  for (int k = 0; k < 7; k++) {
    char b[96];
    snprintf(b, sizeof b, " %s %.3f %.3f", kVmmCall[k],
             vmm_factor(cs, k, "busy"), vmm_factor(cs, k, "after_step"));
    line += b;
  }
  R.note("%s", line.c_str());
}

/* rows: tokens per block; best times (us) and time over contiguous */
static void print_attn_table(FILE *f, const curve_set &cs, const char *what) {
  const curve *tc = cs.find("attn_time_contig"),
              *tb = cs.find("attn_time_block_table"),
              *rb = cs.find("attn_block_table"),
              *to = cs.find("attn_time_offset_table"),
              *ro = cs.find("attn_offset_table");
  if (!tc || !tb || !rb || !to || !ro) return;
  fprintf(f,
          "\ndecode attention read by addressing mode (%s), time over "
          "contiguous:\n",
          what);
  fprintf(f, "%8s %10s %10s %13s %10s %14s\n", "tokens", "contig us",
          "block us", "block/contig", "offset us", "offset/contig");
  for (size_t i = 0; i < tc->x.size(); i++)
    fprintf(f, "%8.0f %10.2f %10.2f %13.4f %10.2f %14.4f\n", tc->x[i],
            tc->y[i] * 1e6, tb->y[i] * 1e6, rb->y[i], to->y[i] * 1e6, ro->y[i]);
}

/* ---- platform constants ------------------------------------------------ */

/* The scalar figures a run measured (or, with --example, made up). */
struct constants {
  int gpus = 1;
  size_t hbm_bytes = 0;
  double hbm_bw = 0, d2d_bw = 0, flops = 0;
  int sms = 0;
  double kernel_launch = 0, pcie_bw = 0, pcie_lat = 0, copy_overhead = 0;
  double sm_bw_1 = 0, sm_duplex = 0, host_bw = 0;
  double vmm[6] = {0, 0, 0, 0, 0, 0};       /* after a step, granularity */
  double vmm_slope[6] = {0, 0, 0, 0, 0, 0}; /* s per MiB, isolation */
  size_t gran = 0;
  double table_write = 0;
};

struct field {
  std::string key;
  double v;
  const char *fmt;
  const char *what;
};

static std::vector<field> fields_of(const constants &c) {
  return {
      {"gpus_per_server", (double)c.gpus, "%.0f", "cudaGetDeviceCount"},
      {"servers", 1, "%.0f", "one machine"},
      {"hbm_bytes", (double)c.hbm_bytes, "%.0f", "cudaMemGetInfo total"},
      {"hbm_bw", c.hbm_bw, "%.4g",
       "best read stream (kernels and launch shapes above)"},
      {"d2d_bw", c.d2d_bw, "%.4g", "cudaMemcpyAsync D2D 256 MiB, read+write"},
      {"flops", c.flops, "%.4g", "cuBLAS bf16 GEMM"},
      {"sms", (double)c.sms, "%.0f", "device property"},
      {"kernel_launch", c.kernel_launch, "%.4g", "empty kernels back to back"},
      {"pcie_bw", c.pcie_bw, "%.4g", "min(H2D, D2H) at 256 MiB, pinned"},
      {"pcie_lat", c.pcie_lat, "%.4g", "zero-copy dependent read round trip"},
      {"copy_overhead", c.copy_overhead, "%.4g",
       "fixed cost per cudaMemcpyAsync"},
      {"sm_copy_bw_per_sm", c.sm_bw_1, "%.4g", "kv_transfer_launch on 1 SM"},
      {"sm_duplex_bw", c.sm_duplex, "%.4g",
       "kv_transfer_pair_launch both ways at once, 8 SMs, aggregate"},
      {"gpus_per_uplink", 0, "%.0f", "not measured: own link assumed"},
      {"uplink_bw", 0, "%.0f", "not measured (gpus_per_uplink = 0)"},
      {"host_bw", c.host_bw, "%.4g",
       "duplex DMA aggregate: lower bound of host DRAM bw for DMA"},
      {"nvlink_bw", 0, "%.0f", "not measured (one GPU)"},
      {"nvlink_lat", 0, "%.0f", "not measured (one GPU)"},
      {"nic_bw", 0, "%.0f", "no inter-server tier"},
      {"nic_lat", 0, "%.0f", "no inter-server tier"},
      {"vmm_reserve", c.vmm[0], "%.4g",
       "cuMemAddressReserve, granularity range, cycles after a step, median"},
      {"vmm_create", c.vmm[1], "%.4g",
       "cuMemCreate, cycles after a step, median"},
      {"vmm_map", c.vmm[2], "%.4g", "cuMemMap, cycles after a step, median"},
      {"vmm_set_access", c.vmm[3], "%.4g",
       "cuMemSetAccess, cycles after a step, median"},
      {"vmm_unmap", c.vmm[4], "%.4g",
       "cuMemUnmap, cycles after a step, median"},
      {"vmm_release", c.vmm[5], "%.4g",
       "cuMemRelease, cycles after a step, median"},
      {"vmm_granularity", (double)c.gran, "%.0f",
       "cuMemGetAllocationGranularity minimum"},
      {"vmm_reserve_per_mib", c.vmm_slope[0], "%.4g",
       "size slope: (largest - smallest handle median) / MiB, isolation"},
      {"vmm_create_per_mib", c.vmm_slope[1], "%.4g", "size slope, isolation"},
      {"vmm_map_per_mib", c.vmm_slope[2], "%.4g", "size slope, isolation"},
      {"vmm_set_access_per_mib", c.vmm_slope[3], "%.4g",
       "size slope, isolation"},
      {"vmm_unmap_per_mib", c.vmm_slope[4], "%.4g", "size slope, isolation"},
      {"vmm_release_per_mib", c.vmm_slope[5], "%.4g", "size slope, isolation"},
      {"table_write", c.table_write, "%.4g",
       "4 KiB H2D from pinned right after a step, events, median"},
  };
}

static void print_fields(FILE *f, const char *name,
                         const std::vector<field> &fields) {
  fprintf(f, "\nplatform constants (%s):\n", name);
  for (const field &x : fields) {
    char v[64];
    snprintf(v, sizeof v, x.fmt, x.v);
    fprintf(f, "  %-18s %-14s %s\n", x.key.c_str(), v, x.what);
  }
}

/* ---- the CSV of raw curves and the Lua platform ------------------------ */

/* `key = { {x, y}, ... }, -- what` when the curve was measured */
static void lua_curve(FILE *fp, const char *key, const curve *c,
                      const char *what) {
  if (!c || c->y.empty()) return;
  if (c->y.size() > KV_CURVE_MAX || !c->xname.empty()) {
    fprintf(stderr,
            "%s:%d: curve %s: %zu points, at most %d numeric ones fit "
            "platform field %s\n",
            __FILE__, __LINE__, c->name.c_str(), c->y.size(), KV_CURVE_MAX,
            key);
    exit(EXIT_FAILURE);
  }
  fprintf(fp, "  %s = {", key);
  for (size_t i = 0; i < c->y.size(); i++)
    fprintf(fp, "%s{%.17g, %.17g}", i ? ", " : " ", c->x[i], c->y[i]);
  fprintf(fp, " }, -- %s\n", what);
}

/* The largest page of the SM copy curves (the page the platform's SM copy
 * curves come from, as in scripts/kvsim/calibration.lua), 0 if none. */
static unsigned long long sm_largest_page(const curve_set &cs) {
  unsigned long long best = 0;
  for (const curve &c : cs.list) {
    unsigned long long page = 0;
    char dir[8] = "";
    if (sscanf(c.name.c_str(), "sm_copy_%llu_%3s", &page, dir) == 2 &&
        page > best)
      best = page;
  }
  return best;
}

/* The SM count the page factor is read at: the backends' default SM share
 * (core/engine/backend_ideal.c KV_IDEAL_COPY_SMS, the SimGrid sm_copy_sms); the
 * measured count closest to it is used, as scripts/kvsim/calibration.lua. */
static const int kSmPageSms = 8;

static double sm_rate_near(const curve *c, double sms) {
  double best = -1, v = 0;
  for (size_t i = 0; i < c->x.size(); i++)
    if (best < 0 || fabs(c->x[i] - sms) < best) {
      best = fabs(c->x[i] - sms);
      v = c->y[i];
    }
  return v;
}

/* The SM copy's rate by page over its rate at page `largest`, at the SM
 * count closest to kSmPageSms, in direction dir ("h2d", "d2h"); pages in
 * increasing order (the platform's sm_copy_page_<dir>_curve). */
static curve sm_page_curve(const curve_set &cs, const char *dir,
                           unsigned long long largest) {
  curve out;
  out.name = std::string("sm_copy_page_") + dir;
  char nm[64];
  snprintf(nm, sizeof nm, "sm_copy_%llu_%s", largest, dir);
  const curve *ref = cs.find(nm);
  double r = ref ? sm_rate_near(ref, kSmPageSms) : 0;
  if (r <= 0) return out;
  std::vector<std::pair<unsigned long long, double>> pts;
  for (const curve &c : cs.list) {
    unsigned long long page = 0;
    char d[8] = "";
    if (sscanf(c.name.c_str(), "sm_copy_%llu_%3s", &page, d) == 2 &&
        strcmp(d, dir) == 0)
      pts.push_back({page, sm_rate_near(&c, kSmPageSms) / r});
  }
  std::sort(pts.begin(), pts.end());
  for (const auto &pt : pts) {
    out.x.push_back((double)pt.first);
    out.y.push_back(pt.second);
  }
  return out;
}

/* The SM copy's rate by page and SMs jointly (sm_copy_grid_<dir>): one row
 * per page measured, { page, { {sms, B/s}, ... } }, written when the report
 * has two pages or more, as scripts/kvsim/calibration.lua sm_copy_grid. */
static void lua_sm_grid(FILE *fp, const curve_set &cs, const char *dir) {
  std::vector<std::pair<unsigned long long, const curve *>> rows;
  for (const curve &c : cs.list) {
    unsigned long long page = 0;
    char d[8] = "";
    if (sscanf(c.name.c_str(), "sm_copy_%llu_%3s", &page, d) == 2 &&
        strcmp(d, dir) == 0)
      rows.push_back({page, &c});
  }
  if (rows.size() < 2) return;
  std::sort(rows.begin(), rows.end());
  fprintf(fp, "  sm_copy_grid_%s = {\n", dir);
  for (const auto &r : rows) {
    fprintf(fp, "    { %llu, {", r.first);
    for (size_t i = 0; i < r.second->x.size(); i++)
      fprintf(fp, "%s{%.17g, %.17g}", i ? ", " : " ", r.second->x[i],
              r.second->y[i]);
    fprintf(fp, " } },\n");
  }
  fprintf(fp, "  }, -- B/s by SMs, one row per page bytes\n");
}

/* A driver call after a gap (vmm_<call>_gap): one row per handle size
 * measured, { bytes, { {gap s, s}, ... } }, gaps increasing, as
 * scripts/kvsim/calibration.lua vmm_gap_grid. */
static void lua_vmm_gap(FILE *fp, const curve_set &cs, int k) {
  std::vector<std::pair<unsigned long long, const curve *>> rows;
  const std::string pre = std::string("vmm_gap_") + kVmmCall[k] + "_";
  for (const curve &c : cs.list) {
    unsigned long long mib = 0;
    if (c.name.compare(0, pre.size(), pre) == 0 &&
        sscanf(c.name.c_str() + pre.size(), "%llu", &mib) == 1 && !c.x.empty())
      rows.push_back({mib << 20, &c});
  }
  if (rows.empty()) return;
  std::sort(rows.begin(), rows.end());
  fprintf(fp, "  vmm_%s_gap = {\n", kVmmCall[k]);
  for (const auto &r : rows) {
    fprintf(fp, "    { %llu, {", r.first);
    double last = -1;
    const char *sep = " ";
    for (size_t i = 0; i < r.second->x.size(); i++) {
      if (!(r.second->x[i] > last)) continue;
      fprintf(fp, "%s{%.17g, %.17g}", sep, r.second->x[i], r.second->y[i]);
      last = r.second->x[i];
      sep = ", ";
    }
    fprintf(fp, " } },\n");
  }
  fprintf(fp, "  }, -- s of a call by s since its kind's last, one row per "
              "handle bytes\n");
}

/* The SM copy's rate by threads per block and SMs jointly
 * (sm_copy_threads_grid_<dir>): one row per block size measured,
 * { threads, { {sms, B/s}, ... } }, as scripts/kvsim/calibration.lua
 * sm_copy_threads_grid. */
static void lua_sm_threads_grid(FILE *fp, const curve_set &cs,
                                const char *dir) {
  std::vector<std::pair<int, const curve *>> rows;
  for (const curve &c : cs.list) {
    int threads = 0;
    char d[8] = "";
    if (sscanf(c.name.c_str(), "sm_threads_%d_%3s", &threads, d) == 2 &&
        strcmp(d, dir) == 0)
      rows.push_back({threads, &c});
  }
  if (rows.empty()) return;
  std::sort(rows.begin(), rows.end());
  fprintf(fp, "  sm_copy_threads_grid_%s = {\n", dir);
  for (const auto &r : rows) {
    fprintf(fp, "    { %d, {", r.first);
    for (size_t i = 0; i < r.second->x.size(); i++)
      fprintf(fp, "%s{%.17g, %.17g}", i ? ", " : " ", r.second->x[i],
              r.second->y[i]);
    fprintf(fp, " } },\n");
  }
  fprintf(fp, "  }, -- B/s by SMs, one row per threads per block, 64 KiB "
              "pages\n");
}

static void write_lua(const char *path, const char *name,
                      const std::string &comments,
                      const std::vector<field> &fields, const curve_set &cs,
                      const std::string &source) {
  FILE *fp = fopen(path, "w");
  if (!fp) die_writing(path, __LINE__);
  fprintf(fp,
          "-- Platform measured by kvsim-calibrate (kernels/calibrate.cu).\n");
  fprintf(fp, "%s", comments.c_str());
  fprintf(fp, "return {\n  name = \"%s\",\n", name);
  for (const field &f : fields) {
    char v[64];
    snprintf(v, sizeof v, f.fmt, f.v);
    fprintf(fp, "  %s = %s, -- %s\n", f.key.c_str(), v, f.what);
  }
  std::string csv = csv_path_of(path);
  size_t slash = csv.find_last_of('/');
  fprintf(fp, "  -- measured curves (every raw one in %s)\n",
          slash == std::string::npos ? csv.c_str() : csv.c_str() + slash + 1);
  for (int k = 0; k < 7; k++) {
    std::string key = std::string("vmm_") + kVmmCall[k] + "_curve";
    curve cv = vmm_platform_curve(cs, k);
    lua_curve(fp, key.c_str(), cv.y.empty() ? nullptr : &cv,
              k == 0 || k == 6 ? "s per call by range bytes, isolation"
                               : "s per call by handle bytes, isolation");
  }
  bool idle = vmm_factor(cs, 0, "idle") > 0;
  for (int k = 0; k < 7; k++) {
    std::vector<std::pair<double, double>> live = vmm_live_table(cs, k);
    if (live.empty()) continue;
    fprintf(fp, "  vmm_%s_live = {", kVmmCall[k]);
    for (size_t i = 0; i < live.size(); i++)
      fprintf(fp, "%s{%.17g, %.17g}", i ? ", " : " ", live[i].first,
              live[i].second);
    fprintf(fp, " }, -- idle call among x live handles / isolated\n");
  }
  for (int k : {1, 2, 3}) { /* create, map, set_access */
    std::string key = std::string("vmm_") + kVmmCall[k] + "_grow";
    lua_curve(fp, key.c_str(), cs.find(std::string("vmm_grow_") + kVmmCall[k]),
              "s per call growing the pool, by handle bytes");
  }
  for (int k : {0, 6}) { /* reserve, free_va */
    std::vector<std::pair<double, double>> f = vmm_live_va_table(cs, k);
    if (f.empty()) continue;
    fprintf(fp, "  vmm_%s_live_va = {", kVmmCall[k]);
    for (size_t i = 0; i < f.size(); i++)
      fprintf(fp, "%s{%.17g, %.17g}", i ? ", " : " ", f[i].first, f[i].second);
    fprintf(fp, " }, -- among x live ranges / none\n");
  }
  for (int k = 0; k < 7; k++)
    lua_vmm_gap(fp, cs, k);
  for (const char *ctx : {"busy", "after_step"})
    for (int k = 0; k < 7; k++) {
      double f = vmm_context_factor(cs, k, ctx);
      if (f > 0)
        fprintf(fp, "  vmm_%s_%s = %.17g, -- %s / %s at the granularity\n",
                kVmmCall[k], ctx, f, ctx,
                idle ? "idle among the same live handles" : "isolated");
    }
  lua_curve(fp, "copy_h2d_curve", cs.find("copy_h2d"),
            "s per cudaMemcpyAsync by bytes, back to back");
  lua_curve(fp, "copy_d2h_curve", cs.find("copy_d2h"),
            "s per cudaMemcpyAsync by bytes, back to back");
  unsigned long long page = sm_largest_page(cs);
  char h2d[64], d2h[64], what[96];
  snprintf(h2d, sizeof h2d, "sm_copy_%llu_h2d", page);
  snprintf(d2h, sizeof d2h, "sm_copy_%llu_d2h", page);
  snprintf(what, sizeof what, "B/s by SMs, %llu-byte pages", page);
  lua_curve(fp, "sm_copy_h2d_curve", cs.find(h2d), what);
  lua_curve(fp, "sm_copy_d2h_curve", cs.find(d2h), what);
  for (const char *dir : {"h2d", "d2h"}) {
    curve pc = sm_page_curve(cs, dir, page);
    std::string key = std::string("sm_copy_page_") + dir + "_curve";
    snprintf(what, sizeof what,
             "rate by page bytes over the %llu-byte page's, at %d SMs", page,
             kSmPageSms);
    if (pc.x.size() >= 2) lua_curve(fp, key.c_str(), &pc, what);
  }
  for (const char *dir : {"h2d", "d2h"})
    lua_sm_grid(fp, cs, dir);
  for (const char *dir : {"h2d", "d2h"})
    lua_sm_threads_grid(fp, cs, dir);
  lua_curve(fp, "batch_h2d_curve", cs.find("batch_h2d"),
            "s per entry of cudaMemcpyBatchAsync by entry bytes");
  lua_curve(fp, "batch_d2h_curve", cs.find("batch_d2h"),
            "s per entry of cudaMemcpyBatchAsync by entry bytes");
  if (const curve *call = cs.find("batch_call"))
    if (!call->y.empty()) {
      fprintf(fp, "  batch_call = %.17g, -- s of host time per batched call\n",
              call->y[0]);
      lua_curve(fp, "batch_call_curve", call,
                "s of host time per batched call by entries");
    }
  lua_curve(fp, "attn_block_table_curve", cs.find("attn_block_table"),
            "time over contiguous by tokens per block");
  lua_curve(fp, "attn_offset_table_curve", cs.find("attn_offset_table"),
            "time over contiguous by tokens per block");
  fprintf(fp, "  source = \"%s\",\n}\n", source.c_str());
  if (fclose(fp) != 0) die_writing(path, __LINE__);
}

/* ---- batched DMA -------------------------------------------------------
 * cudaMemcpyBatchAsync of kBatchEntries entries of B bytes each (B = 4 KiB
 * .. 4 MiB), device places and pinned host slots in random order (as the
 * transfer engine issues them), per direction: H2D from h_in to d_in, D2H
 * from d_out to h_out (each cap bytes). Each size's first batch is checked
 * byte for byte (its destinations cleared before); then kBatchQueue
 * batches are queued back to back between two events: seconds per entry.
 * Every timed call is also timed on the host: batch_call, the median. */
static const int kBatchEntries = 64, kBatchQueue = 4;

static cudaError_t batch_copy(const std::vector<void *> &dst,
                              const std::vector<const void *> &src,
                              const std::vector<size_t> &sz, cudaStream_t s) {
  cudaMemcpyAttributes attr;
  memset(&attr, 0, sizeof attr);
  attr.srcAccessOrder = cudaMemcpySrcAccessOrderStream;
  size_t first = 0;
  return cudaMemcpyBatchAsync(dst.data(), src.data(), sz.data(), dst.size(),
                              &attr, &first, 1, s);
}

static void measure_batch(curve_set &cs, results &R, char *d_in, char *h_in,
                          char *d_out, char *h_out, size_t cap,
                          cudaStream_t s) {
  lab_rng r(17);
  lab_fill_random(h_in, cap, r);
  cudaCheck(cudaMemcpy(d_out, h_in, cap, cudaMemcpyHostToDevice));
  cudaEvent_t a, b;
  cudaCheck(cudaEventCreate(&a));
  cudaCheck(cudaEventCreate(&b));
  std::vector<double> call_t;
  long long checked = 0, bad = 0;
  for (size_t bytes = 4096; bytes <= (4u << 20); bytes *= 4) {
    std::vector<double> call_size; /* this entry size, both directions */
    size_t slots = cap / bytes;
    std::vector<uint64_t> pd = lab_permutation(slots, r),
                          ph = lab_permutation(slots, r);
    for (int h2d = 1; h2d >= 0; h2d--) {
      std::vector<void *> dst(kBatchEntries);
      std::vector<const void *> src(kBatchEntries);
      std::vector<size_t> sz(kBatchEntries, bytes);
      for (int i = 0; i < kBatchEntries; i++) {
        char *dp = (h2d ? d_in : d_out) + pd[i] * bytes;
        char *hp = (h2d ? h_in : h_out) + ph[i] * bytes;
        dst[i] = h2d ? (void *)dp : (void *)hp;
        src[i] = h2d ? (const void *)hp : (const void *)dp;
        if (h2d)
          cudaCheck(cudaMemsetAsync(dp, 0xee, bytes, s));
        else
          memset(hp, 0xee, bytes);
      }
      cudaError_t e = batch_copy(dst, src, sz, s);
      if (e == cudaErrorNotSupported || e == cudaErrorCallRequiresNewerDriver) {
        cudaGetLastError();
        R.note("cudaMemcpyBatchAsync not available (%s): no batch curves",
               cudaGetErrorString(e));
        cudaCheck(cudaEventDestroy(a));
        cudaCheck(cudaEventDestroy(b));
        return;
      }
      cudaCheck(e);
      cudaCheck(cudaStreamSynchronize(s));
      std::vector<char> dev_copy(bytes);
      for (int i = 0; i < kBatchEntries; i++) {
        const void *dp = h2d ? dst[i] : src[i], *hp = h2d ? src[i] : dst[i];
        cudaCheck(
            cudaMemcpy(dev_copy.data(), dp, bytes, cudaMemcpyDeviceToHost));
        bad += memcmp(dev_copy.data(), hp, bytes) != 0;
        checked++;
      }
      std::vector<double> per;
      for (int o = 0; o < reps(7); o++) {
        cudaCheck(cudaEventRecord(a, s));
        for (int k = 0; k < kBatchQueue; k++) {
          double t0 = gpu_mono();
          cudaCheck(batch_copy(dst, src, sz, s));
          call_t.push_back(gpu_mono() - t0);
          call_size.push_back(call_t.back());
        }
        cudaCheck(cudaEventRecord(b, s));
        cudaCheck(cudaEventSynchronize(b));
        float ms = 0;
        cudaCheck(cudaEventElapsedTime(&ms, a, b));
        per.push_back(ms * 1e-3 / (kBatchQueue * kBatchEntries));
      }
      cs.add(h2d ? "batch_h2d" : "batch_d2h", "s", (double)bytes,
             lab_median(per));
    }
    cs.add("batch_call_bytes", "s", (double)bytes, lab_median(call_size));
  }
  cudaCheck(cudaEventDestroy(a));
  cudaCheck(cudaEventDestroy(b));
  if (bad) {
    fprintf(stderr, "%s:%d: batch check: %lld of %lld entries differ\n",
            __FILE__, __LINE__, bad, checked);
    exit(EXIT_FAILURE);
  }
  cs.add("batch_call", "s", kBatchEntries, lab_median(call_t));
  char note[160];
  snprintf(note, sizeof note, "median of %zu calls, p10 %.2f, p90 %.2f",
           call_t.size(), quantile(call_t, 0.1) * 1e6,
           quantile(call_t, 0.9) * 1e6);
  print_batch_table(R.out, cs, kBatchQueue, note);
  R.note("batch check: %lld entries (every size, both directions) equal "
         "their sources byte for byte",
         checked);
}

/* n random (device block, host slot) pairs, each side a permutation of
 * 2n places: the page lists of the SM copy measurements, on the host (to
 * check) and on the device (uploaded from pageable memory, so synchronized
 * before a stream uses them). */
struct sm_scatter {
  std::vector<int32_t> ids, slots;
  int32_t *dids = nullptr, *dslots = nullptr;
  sm_scatter(uint64_t n, lab_rng &r) : ids(n), slots(n) {
    std::vector<uint64_t> pd = lab_permutation(2 * n, r),
                          ph = lab_permutation(2 * n, r);
    for (uint64_t i = 0; i < n; i++) {
      ids[i] = (int32_t)pd[i];
      slots[i] = (int32_t)ph[i];
    }
    cudaCheck(cudaMalloc(&dids, n * 4));
    cudaCheck(cudaMalloc(&dslots, n * 4));
    cudaCheck(cudaMemcpy(dids, ids.data(), n * 4, cudaMemcpyHostToDevice));
    cudaCheck(cudaMemcpy(dslots, slots.data(), n * 4, cudaMemcpyHostToDevice));
    cudaCheck(cudaDeviceSynchronize());
  }
  ~sm_scatter() {
    cudaFree(dids);
    cudaFree(dslots);
  }
  sm_scatter(const sm_scatter &) = delete;
  sm_scatter &operator=(const sm_scatter &) = delete;
};

/* ---- SM gather/scatter --------------------------------------------------
 * kv_transfer_launch, page-first, 64 MiB of pages in random device and
 * host places, by SMs (1..64, up to the device's) and page size (256 B:
 * 128-byte rows; 4 KiB and 64 KiB: 2 KiB rows, 1 and 16 tokens), per
 * direction, on the library kernel's blocks of 1024 threads (transfer.cuh
 * kThreads; threads per block is measure_sm_threads' axis). Each page size
 * and direction is first checked byte for byte at 8 SMs. Buffers d (device), h,
 * scratch (mapped pinned) hold 256 MiB. Returns sm_copy_bw_per_sm (1 SM, 64 KiB
 * pages, mean of both directions); *duplex: the pair kernel both ways at once,
 * 8 SMs. */
static double measure_sm_copy(curve_set &cs, results &R, char *d, char *h,
                              char *d_in, char *h_in, char *scratch, int nsm,
                              cudaStream_t s, double *duplex) {
  void *pair_ctr = nullptr; /* kv_transfer_pair_launch's counters */
  cudaCheck(cudaMalloc(&pair_ctr, 16));
  cudaCheck(cudaMemset(pair_ctr, 0, 16));
  std::vector<int> smv;
  for (int v : {1, 2, 4, 8, 16, 32, 64})
    if (v <= nsm) smv.push_back(v);
  const int check_sms = std::min(8, nsm);
  lab_l2_flusher l2;
  const struct {
    uint64_t row;
    uint32_t tokens;
  } pages[] = {{128, 1}, {2048, 1}, {2048, 16}};
  double bw_1 = 0;
  long long checked = 0, bad = 0;
  for (const auto &pc : pages) {
    kv_xfer_desc x = {};
    x.layers = 1;
    x.block_tokens = pc.tokens;
    x.row_bytes = pc.row;
    x.layout = KV_LAYOUT_PAGE_FIRST;
    uint64_t page = kv_xfer_block_bytes(&x);
    uint64_t n = (64ull << 20) / page, span = 2 * n * page;
    x.dev_blocks = 2 * n;
    x.dev_base = d;
    x.host_base = h; /* 2n pages fit in 256 MiB */
    lab_rng r(13 + page);
    sm_scatter sc(n, r);
    const std::vector<int32_t> &ids = sc.ids, &slots = sc.slots;
    int32_t *dids = sc.dids, *dslots = sc.dslots;
    for (int dir = 0; dir < 2; dir++) {
      /* check: random sources, cleared destinations, then scratch holds
       * the device blocks (D2H: what was uploaded; H2D: read back) */
      if (dir == KV_XFER_D2H) {
        lab_fill_random(scratch, span, r);
        cudaCheck(cudaMemcpy(d, scratch, span, cudaMemcpyHostToDevice));
        memset(h, 0, span);
      } else {
        lab_fill_random(h, span, r);
        cudaCheck(cudaMemsetAsync(d, 0, span, s));
      }
      cudaCheck(kv_transfer_launch(&x, dir, n, dids, dslots, 4, check_sms, s));
      cudaCheck(cudaStreamSynchronize(s));
      if (dir == KV_XFER_H2D)
        cudaCheck(cudaMemcpy(scratch, d, span, cudaMemcpyDeviceToHost));
      for (uint64_t i = 0; i < n; i++)
        bad += memcmp(scratch + (uint64_t)ids[i] * page,
                      h + (uint64_t)slots[i] * page, page) != 0;
      checked += (long long)n;
      std::string nm = "sm_copy_" + std::to_string(page) +
                       (dir == KV_XFER_H2D ? "_h2d" : "_d2h");
      for (int sms : smv) {
        double ms = lab_time_ms(reps(7), s, l2, [&](cudaStream_t st) {
          cudaCheck(kv_transfer_launch(&x, dir, n, dids, dslots, 4, sms, st));
        });
        double g = lab_gbps((double)n * page, ms);
        cs.add(nm, "B/s", sms, g * 1e9);
        if (sms == 1 && page == 65536) bw_1 += 0.5 * g * 1e9;
      }
    }
    /* both directions at once, one pair kernel on 8 SMs: D2H on the first
     * buffers, H2D on the second */
    if (page == 65536) {
      kv_xfer_desc x_in = x;
      x_in.dev_base = d_in;
      x_in.host_base = h_in;
      double ms = lab_time_ms(reps(7), s, l2, [&](cudaStream_t st) {
        cudaCheck(kv_transfer_pair_launch(&x, KV_XFER_D2H, n, dids, dslots,
                                          &x_in, KV_XFER_H2D, n, dids, dslots,
                                          4, 8, pair_ctr, st));
      });
      *duplex = lab_gbps(2.0 * n * page, ms) * 1e9;
    }
  }
  cudaCheck(cudaFree(pair_ctr));
  if (bad) {
    fprintf(stderr, "%s:%d: SM copy check: %lld of %lld pages differ\n",
            __FILE__, __LINE__, bad, checked);
    exit(EXIT_FAILURE);
  }
  print_sm_table(R.out, cs);
  R.note("SM copy check: %lld pages (every page size, both directions, %d "
         "SMs) equal their sources byte for byte; threads per block: 1024, "
         "kv_transfer_launch's (the next table varies them)",
         checked, check_sms);
  return bw_1;
}

/* ---- SM copy by threads per block ----------------------------------------
 * kv_transfer_launch_threads, page-first 64 KiB pages (2 KiB rows, 16
 * tokens), 64 MiB of pages in random device and host places, by block size
 * (kSmThreads) and SMs (1..64, up to the device's), per direction
 * (sm_threads_<threads>_<dir>, the platform's sm_copy_threads_grid_<dir>):
 * a block keeps its threads' loads in flight, so fewer threads per block
 * need more SMs to fill PCIe. Each block size and direction is first
 * checked byte for byte at 8 SMs (destinations cleared before). Buffers
 * as measure_sm_copy's: d (device), h and scratch (mapped pinned), 256 MiB
 * each. */
static const int kSmThreads[] = {128, 256, 512, 1024};

static void measure_sm_threads(curve_set &cs, results &R, char *d, char *h,
                               char *scratch, int nsm, cudaStream_t s) {
  std::vector<int> smv;
  for (int v : {1, 2, 4, 8, 16, 32, 64})
    if (v <= nsm) smv.push_back(v);
  const int check_sms = std::min(8, nsm);
  lab_l2_flusher l2;
  kv_xfer_desc x = {};
  x.layers = 1;
  x.block_tokens = 16;
  x.row_bytes = 2048;
  x.layout = KV_LAYOUT_PAGE_FIRST;
  uint64_t page = kv_xfer_block_bytes(&x);
  uint64_t n = (64ull << 20) / page, span = 2 * n * page;
  x.dev_blocks = 2 * n;
  x.dev_base = d;
  x.host_base = h; /* 2n pages fit in 256 MiB */
  lab_rng r(29 + page);
  sm_scatter sc(n, r);
  const std::vector<int32_t> &ids = sc.ids, &slots = sc.slots;
  int32_t *dids = sc.dids, *dslots = sc.dslots;
  long long checked = 0, bad = 0;
  for (int dir = 0; dir < 2; dir++) {
    /* random sources once per direction (D2H: scratch keeps what was
     * uploaded to the device) */
    if (dir == KV_XFER_D2H) {
      lab_fill_random(scratch, span, r);
      cudaCheck(cudaMemcpy(d, scratch, span, cudaMemcpyHostToDevice));
    } else {
      lab_fill_random(h, span, r);
    }
    for (int threads : kSmThreads) {
      /* check: cleared destination, one launch, then scratch holds the
       * device blocks (H2D: read back) */
      if (dir == KV_XFER_D2H)
        memset(h, 0, span);
      else
        cudaCheck(cudaMemsetAsync(d, 0, span, s));
      cudaCheck(kv_transfer_launch_threads(&x, dir, n, dids, dslots, 4,
                                           check_sms, threads, s));
      cudaCheck(cudaStreamSynchronize(s));
      if (dir == KV_XFER_H2D)
        cudaCheck(cudaMemcpy(scratch, d, span, cudaMemcpyDeviceToHost));
      for (uint64_t i = 0; i < n; i++)
        bad += memcmp(scratch + (uint64_t)ids[i] * page,
                      h + (uint64_t)slots[i] * page, page) != 0;
      checked += (long long)n;
      std::string nm = "sm_threads_" + std::to_string(threads) +
                       (dir == KV_XFER_H2D ? "_h2d" : "_d2h");
      for (int sms : smv) {
        double ms = lab_time_ms(reps(7), s, l2, [&](cudaStream_t st) {
          cudaCheck(kv_transfer_launch_threads(&x, dir, n, dids, dslots, 4, sms,
                                               threads, st));
        });
        cs.add(nm, "B/s", sms, lab_gbps((double)n * page, ms) * 1e9);
      }
    }
  }
  if (bad) {
    fprintf(stderr,
            "%s:%d: SM copy by threads check: %lld of %lld pages differ\n",
            __FILE__, __LINE__, bad, checked);
    exit(EXIT_FAILURE);
  }
  print_sm_threads_table(R.out, cs);
  R.note("SM copy by threads check: %lld pages (every block size, both "
         "directions, %d SMs) equal their sources byte for byte",
         checked, check_sms);
}

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

static void measure_attn(curve_set &cs, results &R, cudaStream_t s) {
  const uint32_t B = 64, QH = 32, KVH = 8, D = 128, CTX = 2048;
  const uint32_t G = QH / KVH, row_halves = KVH * D;
  const uint64_t kv_halves = (uint64_t)B * CTX * row_halves;
  const size_t kv_bytes = kv_halves * sizeof(__half);
  __half *q, *k, *v, *pk, *pv;
  char *slab;
  int32_t *len;
  float *out;
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
  cudaCheck(cudaDeviceSynchronize()); /* pageable uploads: before s uses them */
  void *ws = nullptr;
  size_t ws_bytes = 0;
  auto desc = [&](int mode, uint32_t bs, uint32_t splits, const int32_t *bt,
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
  };
  const size_t nout = (size_t)B * QH * D;
  auto run_out = [&](const kv_attn_desc &a) {
    std::vector<float> o(nout);
    cudaCheck(cudaMemsetAsync(out, 0xff, nout * sizeof(float), s));
    cudaCheck(kv_attn_launch(&a, s));
    cudaCheck(cudaStreamSynchronize(s));
    cudaCheck(cudaMemcpy(o.data(), out, nout * sizeof(float),
                         cudaMemcpyDeviceToHost));
    return o;
  };
  /* the contiguous output, checked on four requests against float64 */
  std::vector<float> ref_out =
      run_out(desc(KV_ATTN_CONTIG, 16, 8, nullptr, nullptr));
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
  std::vector<double> ref_gpu(ref_out.begin(), ref_out.end());
  lab_l2_flusher l2;
  double worst_same = 0;
  for (uint32_t bs : {1u, 4u, 16u, 64u, 256u}) {
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
        (const int4 *)k, (const int4 *)v, (int4 *)pk, (int4 *)pv, slab, dbt,
        doff, CTX, bs, max_blocks, row_halves * sizeof(__half) / 16);
    cudaCheckLaunch();
    cudaCheck(cudaStreamSynchronize(s));
    for (int mode : {KV_ATTN_BLOCK_TABLE, KV_ATTN_OFFSET_TABLE}) {
      double e =
          rel_l2(run_out(desc(mode, bs, 8, dbt, doff)), ref_gpu, 0, nout);
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
    cudaCheck(cudaFree(dbt));
    cudaCheck(cudaFree(doff));
  }
  for (void *p : {(void *)q, (void *)k, (void *)v, (void *)pk, (void *)pv,
                  (void *)slab, (void *)len, (void *)out, ws})
    cudaCheck(cudaFree(p));
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

/* The scalar size slopes vmm_<call>_per_mib: (largest - smallest handle
 * median) / MiB in isolation; flat within noise: none. */
static void vmm_slopes(const curve_set &cs, constants &c) {
  for (int k = 0; k < 6; k++) {
    const curve *cv = cs.find(vmm_handle_curve(k));
    if (!cv || cv->x.size() < 2) continue;
    double mib = (cv->x.back() - cv->x.front()) / (1024.0 * 1024.0);
    double v = (cv->y.back() - cv->y.front()) / mib;
    c.vmm_slope[k] = v > 0 ? v : 0.0;
  }
}

/* ---- CUDA VMM driver calls ----------------------------------------------
 * 1. In isolation by handle size (2 MiB .. 1 GiB, as far as free memory
 *    allows): reserve, create, map, set-access, unmap, release, free of one
 *    handle at a time, nothing else live, median per call; each size's
 *    mapping first checked (written through the mapping, read back).
 * 2. In use, at the granularity: cycles among live handles with the GPU
 *    idle, busy, right after a step (below).
 * 3. Address ranges alone by size (2 MiB .. 1 TiB): reserve then free, no
 *    physical memory (how a pool reserves its whole range up front).
 * Fills c.vmm (after a step), c.vmm_slope (isolation, smallest to largest
 * handle) and c.gran. */
/* A driver call after a gap: the first VMM call of a kind after some
 * milliseconds of other work costs several times what the same call costs
 * in a series (lab_vmm_fresh: host sleep, launches or a thrashed host
 * cache alike; a run's slabs and per-step calls come that far apart). Per
 * handle size and nominal gap, kGapCycles cycles of reserve, create, map,
 * set_access (after `gap` of small launches and event records, then a
 * step), then unmap, release, free (after the same). x of each point is
 * the median measured time since the call's kind was last made (s); y its
 * median time (s). Curves vmm_gap_<call>_<MiB>; the platform's
 * vmm_<call>_gap grid holds them by size (lua_vmm_gap). */
static const double kGapMs[] = {0, 1, 2, 5, 10, 20, 50};
static const int kGapCycles = 12;
static const int kGaps = (int)(sizeof kGapMs / sizeof kGapMs[0]);

/* The gap series' report line and curves: x[g][k] the median s since call
 * k's last, y[g][k] its median s, per nominal gap g. */
static void vmm_gap_report(results &R, curve_set &cs, size_t hsz,
                           const double x[][7], const double y[][7]) {
  /* one line per gap (results::note lines are at most 1023 characters) */
  for (int g = 0; g < kGaps; g++) {
    char b[200];
    snprintf(b, sizeof b,
             "vmm after a gap, %zu MiB, nominal %g ms, %d cycles, us median @ "
             "ms since the call's last (median):",
             hsz >> 20, kGapMs[g], kGapCycles);
    std::string line = b;
    for (int k = 0; k < 7; k++) {
      /* x to the 10 us the line prints (the curve and the line agree) */
      const double xs = std::round(x[g][k] * 1e5) / 1e5;
      snprintf(b, sizeof b, " %s %.2f @%.2f", kVmmColumn[k], y[g][k] * 1e6,
               xs * 1e3);
      line += b;
      cs.add(std::string("vmm_gap_") + kVmmCall[k] + "_" +
                 std::to_string(hsz >> 20),
             "s", xs, y[g][k]);
    }
    R.note("%s", line.c_str());
  }
}

static void
measure_vmm_gap(results &R, curve_set &cs, const CUmemAllocationProp &ap,
                const CUmemAccessDesc &acc, size_t hsz, const int4 *buf,
                size_t rb, unsigned long long *sink, int nsm, cudaStream_t s2) {
  cudaEvent_t ev[32];
  for (cudaEvent_t &e : ev)
    cudaCheck(cudaEventCreateWithFlags(&e, cudaEventDisableTiming));
  /* `gap` s of a launching host (small launches, event records, syncs),
   * then a step: a read kernel and its sync */
  auto fill = [&](double gap) {
    double g0 = gpu_mono();
    while (gpu_mono() - g0 < gap) {
      for (cudaEvent_t &e : ev) {
        cudaCheck(gpu_weight_read_launch(buf, 4096, 1, 0, sink, 1, s2));
        cudaCheck(cudaEventRecord(e, s2));
      }
      cudaCheck(cudaStreamSynchronize(s2));
    }
    cudaCheck(gpu_weight_read_launch(buf, rb, 4, 0, sink, 4 * nsm, s2));
    cudaCheck(cudaStreamSynchronize(s2));
  };
  double last[7];
  for (double &l : last)
    l = -1;
  double xm[kGaps][7], ym[kGaps][7];
  for (int g = 0; g < kGaps; g++) {
    const double ms = kGapMs[g];
    std::vector<double> t[7], x[7];
    auto call = [&](int k, auto &&fn) {
      double c0 = gpu_mono();
      fn();
      double c1 = gpu_mono();
      if (last[k] >= 0) {
        t[k].push_back(c1 - c0);
        x[k].push_back(c0 - last[k]);
      }
      last[k] = c1;
    };
    for (int i = 0; i < kGapCycles + 1; i++) {
      CUdeviceptr va = 0;
      CUmemGenericAllocationHandle h;
      fill(ms * 1e-3);
      call(0, [&] { cuCheck(drv_api.MemAddressReserve(&va, hsz, 0, 0, 0)); });
      call(1, [&] { cuCheck(drv_api.MemCreate(&h, hsz, &ap, 0)); });
      call(2, [&] { cuCheck(drv_api.MemMap(va, hsz, 0, h, 0)); });
      call(3, [&] { cuCheck(drv_api.MemSetAccess(va, hsz, &acc, 1)); });
      if (i == kGapCycles) { /* the check: the handle is usable */
        cudaCheck(cudaMemset((void *)va, 0x6b, hsz));
        unsigned char e = 0;
        cudaCheck(
            cudaMemcpy(&e, (void *)(va + hsz - 1), 1, cudaMemcpyDeviceToHost));
        if (e != 0x6b) {
          fprintf(stderr, "%s:%d: VMM gap check: reads back %02x, not 6b\n",
                  __FILE__, __LINE__, e);
          exit(EXIT_FAILURE);
        }
      }
      fill(ms * 1e-3);
      call(4, [&] { cuCheck(drv_api.MemUnmap(va, hsz)); });
      call(5, [&] { cuCheck(drv_api.MemRelease(h)); });
      call(6, [&] { cuCheck(drv_api.MemAddressFree(va, hsz)); });
    }
    for (int k = 0; k < 7; k++) {
      xm[g][k] = lab_median(x[k]);
      ym[g][k] = lab_median(t[k]);
    }
  }
  vmm_gap_report(R, cs, hsz, xm, ym);
  for (cudaEvent_t &e : ev)
    cudaCheck(cudaEventDestroy(e));
}

/* VMM growth by the thread that calls: a run's background ops (map-ahead,
 * indirect's slabs) call the driver from a thread other than the one that
 * launches, while the step's compute runs. Three series of n handles of
 * hsz bytes created, mapped and opened one after another into a fresh
 * range, each with a read kernel in flight (about 2 ms): on the launching
 * thread; on one thread kept for the whole series (it launches too); on a
 * new thread per handle, started after the launch and joined before the
 * next (the GPU backend before it kept its worker). Curves
 * vmm_grow_busy_<call>, vmm_grow_kept_<call>, vmm_grow_fresh_<call> (x =
 * handle bytes; reported, not model inputs). */
static void measure_vmm_threads(results &R, curve_set &cs,
                                const CUmemAllocationProp &ap,
                                const CUmemAccessDesc &acc, size_t hsz, int n,
                                const int4 *buf, size_t rb,
                                unsigned long long *sink, int nsm,
                                cudaStream_t s2) {
  CUcontext ctx = nullptr;
  cuCheck(drv_api.CtxGetCurrent(&ctx));
  static const char *const name[3] = {"busy", "kept", "fresh"};
  static const char *const what[3] = {"on the launching thread",
                                      "on one thread kept for the series",
                                      "on a new thread per handle"};
  for (int mode = 0; mode < 3; mode++) {
    std::vector<double> t[3];
    std::vector<CUmemGenericAllocationHandle> h(n);
    CUdeviceptr base = 0;
    cuCheck(drv_api.MemAddressReserve(&base, hsz * n, 0, 0, 0));
    auto calls = [&](int i) {
      CUdeviceptr va = base + (CUdeviceptr)i * hsz;
      double c0 = gpu_mono();
      cuCheck(drv_api.MemCreate(&h[i], hsz, &ap, 0));
      double c1 = gpu_mono();
      cuCheck(drv_api.MemMap(va, hsz, 0, h[i], 0));
      double c2 = gpu_mono();
      cuCheck(drv_api.MemSetAccess(va, hsz, &acc, 1));
      double c3 = gpu_mono();
      t[0].push_back(c1 - c0);
      t[1].push_back(c2 - c1);
      t[2].push_back(c3 - c2);
    };
    auto launch = [&]() {
      cudaCheck(gpu_weight_read_launch(buf, rb, 100, 0, sink, 4 * nsm, s2));
    };
    if (mode == 1) {
      std::thread w([&]() {
        cuCheck(drv_api.CtxSetCurrent(ctx));
        for (int i = 0; i < n; i++) {
          launch();
          calls(i);
          cudaCheck(cudaStreamSynchronize(s2));
        }
      });
      w.join();
    } else {
      for (int i = 0; i < n; i++) {
        launch();
        if (mode == 0) {
          calls(i);
        } else {
          std::thread w([&]() {
            cuCheck(drv_api.CtxSetCurrent(ctx));
            calls(i);
          });
          w.join();
        }
        cudaCheck(cudaStreamSynchronize(s2));
      }
    }
    /* the check: the last handle's ends written and read back */
    CUdeviceptr last = base + (CUdeviceptr)(n - 1) * hsz;
    cudaCheck(cudaMemset((void *)last, 0x5a, hsz));
    unsigned char ends[2] = {0, 0};
    cudaCheck(cudaMemcpy(&ends[0], (void *)last, 1, cudaMemcpyDeviceToHost));
    cudaCheck(cudaMemcpy(&ends[1], (void *)(last + hsz - 1), 1,
                         cudaMemcpyDeviceToHost));
    if (ends[0] != 0x5a || ends[1] != 0x5a) {
      fprintf(stderr,
              "%s:%d: VMM thread check: handle %d of %zu MiB reads back %02x "
              "%02x, not 5a 5a\n",
              __FILE__, __LINE__, n - 1, hsz >> 20, ends[0], ends[1]);
      exit(EXIT_FAILURE);
    }
    for (int i = 0; i < n; i++) {
      cuCheck(drv_api.MemUnmap(base + (CUdeviceptr)i * hsz, hsz));
      cuCheck(drv_api.MemRelease(h[i]));
    }
    cuCheck(drv_api.MemAddressFree(base, hsz * n));
    std::string s;
    char b[200];
    snprintf(b, sizeof b,
             "vmm growth %s, GPU busy: %d handles of %zu MiB, us median "
             "(first / p10 / p90):",
             what[mode], n, hsz >> 20);
    s = b;
    for (int k = 0; k < 3; k++) {
      snprintf(b, sizeof b, " %s %.2f (%.2f/%.2f/%.2f)", kGrowCall[k],
               lab_median(t[k]) * 1e6, t[k][0] * 1e6, quantile(t[k], 0.1) * 1e6,
               quantile(t[k], 0.9) * 1e6);
      s += b;
      cs.add(std::string("vmm_grow_") + name[mode] + "_" + kGrowCall[k], "s",
             (double)hsz, lab_median(t[k]));
    }
    R.note("%s", s.c_str());
  }
}

static void measure_vmm(curve_set &cs, results &R, constants &c, int dev,
                        int nsm, cudaStream_t s2) {
  load_driver_api();
  CUdevice cdev;
  cuCheck(drv_api.DeviceGet(&cdev, dev));
  CUmemAllocationProp ap = {};
  ap.type = CU_MEM_ALLOCATION_TYPE_PINNED;
  ap.location.type = CU_MEM_LOCATION_TYPE_DEVICE;
  ap.location.id = cdev;
  size_t gran = 0, gran_rec = 0;
  cuCheck(drv_api.MemGetAllocationGranularity(
      &gran, &ap, CU_MEM_ALLOC_GRANULARITY_MINIMUM));
  cuCheck(drv_api.MemGetAllocationGranularity(
      &gran_rec, &ap, CU_MEM_ALLOC_GRANULARITY_RECOMMENDED));
  c.gran = gran;
  CUmemAccessDesc acc = {};
  acc.location = ap.location;
  acc.flags = CU_MEM_ACCESS_FLAGS_PROT_READWRITE;
  auto round_up = [&](size_t b) { return (b + gran - 1) / gran * gran; };
  const int calls = reps(64);

  /* 1. isolation by handle size */
  std::string skipped;
  size_t prev = 0;
  for (size_t mib : {2, 4, 8, 16, 64, 256, 1024}) {
    size_t sz = round_up(mib << 20);
    if (sz == prev) continue;
    size_t fr = 0, tot = 0;
    cudaCheck(cudaMemGetInfo(&fr, &tot));
    if (sz + (1ull << 30) > fr) {
      char b[128];
      snprintf(b, sizeof b, "%7zu MiB skipped: %zu bytes free\n", sz >> 20, fr);
      skipped += b;
      continue;
    }
    prev = sz;
    {
      /* the check: a byte pattern through the mapping, read back */
      CUdeviceptr va;
      CUmemGenericAllocationHandle h;
      cuCheck(drv_api.MemAddressReserve(&va, sz, 0, 0, 0));
      cuCheck(drv_api.MemCreate(&h, sz, &ap, 0));
      cuCheck(drv_api.MemMap(va, sz, 0, h, 0));
      cuCheck(drv_api.MemSetAccess(va, sz, &acc, 1));
      cudaCheck(cudaMemset((void *)va, 0x5a, sz));
      unsigned char ends[2] = {0, 0};
      cudaCheck(cudaMemcpy(&ends[0], (void *)va, 1, cudaMemcpyDeviceToHost));
      cudaCheck(cudaMemcpy(&ends[1], (void *)(va + sz - 1), 1,
                           cudaMemcpyDeviceToHost));
      if (ends[0] != 0x5a || ends[1] != 0x5a) {
        fprintf(stderr,
                "%s:%d: VMM check: %zu MiB mapping reads back %02x "
                "%02x, not 5a 5a\n",
                __FILE__, __LINE__, sz >> 20, ends[0], ends[1]);
        exit(EXIT_FAILURE);
      }
      cuCheck(drv_api.MemUnmap(va, sz));
      cuCheck(drv_api.MemRelease(h));
      cuCheck(drv_api.MemAddressFree(va, sz));
    }
    std::vector<double> t[7];
    for (int i = 0; i < calls; i++) {
      CUdeviceptr va;
      CUmemGenericAllocationHandle h;
      double c0 = gpu_mono();
      cuCheck(drv_api.MemAddressReserve(&va, sz, 0, 0, 0));
      double c1 = gpu_mono();
      cuCheck(drv_api.MemCreate(&h, sz, &ap, 0));
      double c2 = gpu_mono();
      cuCheck(drv_api.MemMap(va, sz, 0, h, 0));
      double c3 = gpu_mono();
      cuCheck(drv_api.MemSetAccess(va, sz, &acc, 1));
      double c4 = gpu_mono();
      cuCheck(drv_api.MemUnmap(va, sz));
      double c5 = gpu_mono();
      cuCheck(drv_api.MemRelease(h));
      double c6 = gpu_mono();
      cuCheck(drv_api.MemAddressFree(va, sz));
      double c7 = gpu_mono();
      double cc[8] = {c0, c1, c2, c3, c4, c5, c6, c7};
      for (int k = 0; k < 7; k++)
        t[k].push_back(cc[k + 1] - cc[k]);
    }
    R.lines += "-- vmm " + std::to_string(sz >> 20) +
               " MiB medians in isolation (us):";
    for (int k = 0; k < 7; k++) {
      cs.add(vmm_handle_curve(k), "s", (double)sz, lab_median(t[k]));
      char b[64];
      snprintf(b, sizeof b, " %s %.2f", kVmmColumn[k], lab_median(t[k]) * 1e6);
      R.lines += b;
    }
    R.lines += "\n";
  }
  print_vmm_handle_table(R.out, cs, calls, gran, gran_rec);
  fprintf(R.out, "%s", skipped.c_str());
  vmm_slopes(cs, c);

  /* 2. In use: a run keeps many handles mapped in large reserved ranges
   * and makes the calls one handle at a time, interleaved. Here: kLive
   * granularity handles live in one reserved range, then per cycle create
   * + map + set-access of a new handle, unmap + release of the oldest, and
   * a reserve + free of a granularity range; each call timed alone, 200
   * cycles, median per call and p10 / p90: with the GPU idle; while a read
   * stream keeps it busy (background map-ahead makes its calls beside the
   * compute); and right after a step (a read stream of a few ms, then a
   * host sync, then the calls: where a run's critical calls are made). The
   * scalar constants are the last. */
  const int kLive = 128, kCycles = reps(200);
  size_t rb = 64ull << 20;
  int4 *busy_buf = nullptr;
  unsigned long long *busy_sink = nullptr;
  cudaCheck(cudaMalloc(&busy_buf, rb));
  cudaCheck(cudaMalloc(&busy_sink, sizeof(unsigned long long)));
  cudaCheck(cudaMemset(busy_buf, 0, rb));
  /* kCycles cycles among `live` handles of hsz bytes in context `busy`
   * (0 idle, 1 busy, 2 after a step): t[k] = seconds of call k */
  auto in_use = [&](size_t hsz, int live, int busy, std::vector<double> *t,
                    int *launched) {
    CUdeviceptr base;
    cuCheck(drv_api.MemAddressReserve(&base, hsz * (live + 1), 0, 0, 0));
    std::vector<CUmemGenericAllocationHandle> slot(live + 1);
    for (int i = 0; i < live; i++) {
      CUdeviceptr va = base + (CUdeviceptr)i * hsz;
      cuCheck(drv_api.MemCreate(&slot[i], hsz, &ap, 0));
      cuCheck(drv_api.MemMap(va, hsz, 0, slot[i], 0));
      cuCheck(drv_api.MemSetAccess(va, hsz, &acc, 1));
    }
    for (int i = 0; i < kCycles; i++) {
      /* busy: about 2 ms of reading kept queued on s2 */
      if (busy == 1 && cudaStreamQuery(s2) != cudaErrorNotReady) {
        for (int k = 0; k < 2; k++)
          cudaCheck(gpu_weight_read_launch(busy_buf, rb, 100, 0, busy_sink,
                                           4 * nsm, s2));
        *launched += 2;
      }
      if (busy == 2) {
        cudaCheck(gpu_weight_read_launch(busy_buf, rb, 100, 0, busy_sink,
                                         4 * nsm, s2));
        cudaCheck(cudaStreamSynchronize(s2));
      }
      int fresh = (i + live) % (live + 1), old = i % (live + 1);
      CUdeviceptr vnew = base + (CUdeviceptr)fresh * hsz,
                  vold = base + (CUdeviceptr)old * hsz, vr;
      double c0 = gpu_mono();
      cuCheck(drv_api.MemAddressReserve(&vr, hsz, 0, 0, 0));
      double c1 = gpu_mono();
      cuCheck(drv_api.MemCreate(&slot[fresh], hsz, &ap, 0));
      double c2 = gpu_mono();
      cuCheck(drv_api.MemMap(vnew, hsz, 0, slot[fresh], 0));
      double c3 = gpu_mono();
      cuCheck(drv_api.MemSetAccess(vnew, hsz, &acc, 1));
      double c4 = gpu_mono();
      cuCheck(drv_api.MemUnmap(vold, hsz));
      double c5 = gpu_mono();
      cuCheck(drv_api.MemRelease(slot[old]));
      double c6 = gpu_mono();
      cuCheck(drv_api.MemAddressFree(vr, hsz));
      double c7 = gpu_mono();
      double cc[8] = {c0, c1, c2, c3, c4, c5, c6, c7};
      for (int k = 0; k < 7; k++)
        t[k].push_back(cc[k + 1] - cc[k]);
    }
    cudaCheck(cudaStreamSynchronize(s2));
    for (int i = kCycles; i < kCycles + live; i++) {
      int old = i % (live + 1);
      cuCheck(drv_api.MemUnmap(base + (CUdeviceptr)old * hsz, hsz));
      cuCheck(drv_api.MemRelease(slot[old]));
    }
    cuCheck(drv_api.MemAddressFree(base, hsz * (live + 1)));
  };
  for (int busy = 0; busy < 3; busy++) {
    std::vector<double> t[7];
    int launched = 0;
    in_use(gran, kLive, busy, t, &launched);
    std::string line = vmm_context_line(gran, kCycles, kLive, busy, t);
    if (busy == 1) {
      char b[64];
      snprintf(b, sizeof b, "; %d reads launched", launched);
      line += b;
    }
    R.note("%s", line.c_str());
    const char *ctx = busy == 0   ? "vmm_context_idle"
                      : busy == 1 ? "vmm_context_busy"
                                  : "vmm_context_after_step";
    for (int k = 0; k < 7; k++)
      cs.add_named(ctx, "s", kVmmCall[k], lab_median(t[k]));
    if (busy == 2)
      for (int k = 0; k < 6; k++)
        c.vmm[k] = lab_median(t[k]);
  }
  /* idle cycles among other live-handle counts: with the 128 above, the
   * points of the live-handle table (vmm_live_<call>: x live handles) */
  for (int live : {16, 1024, 4096}) {
    std::vector<double> t[7];
    int launched = 0;
    in_use(gran, live, 0, t, &launched);
    R.note("vmm live-handle sweep: %s",
           vmm_context_line(gran, kCycles, live, 0, t).c_str());
    for (int k = 0; k < 7; k++)
      cs.add(std::string("vmm_live_") + kVmmCall[k], "s", live,
             lab_median(t[k]));
  }
  /* the same in use with slab-sized handles (indirect's 64 MiB slabs): is
   * a call's cost in use its isolated cost by size times the granularity's
   * context factor? (vmm_slab_<ctx>: reported, not yet a model input) */
  {
    const size_t slab = round_up(64ull << 20);
    const int live = 32;
    for (int busy : {0, 2}) {
      std::vector<double> t[7];
      int launched = 0;
      in_use(slab, live, busy, t, &launched);
      R.note("%s", vmm_context_line(slab, kCycles, live, busy, t).c_str());
      const char *ctx = busy == 0 ? "vmm_slab_idle" : "vmm_slab_after_step";
      for (int k = 0; k < 7; k++)
        cs.add_named(ctx, "s", kVmmCall[k], lab_median(t[k]));
    }
  }
  /* 2b. Growth: a pool that grows (indirect's slabs, a vmm pool reaching a
   * new size) creates, maps and opens handles while none is released, into
   * address space never mapped before, each call right after a step. The
   * cycles above recycle a handle just released into a range just unmapped;
   * growth does neither. Three series per handle size, each `n` handles:
   * fresh (new range, the process's first growth at that size), again into
   * the same range after all were released (page tables kept), and into a
   * new range after that (memory recycled, address space new). Curves
   * vmm_grow_<call> (x = handle bytes, the fresh series' median: the model
   * input), vmm_regrow_va_<call> and vmm_regrow_<call> (reported); the
   * fresh series' teardown gives vmm_grow_{unmap,release}. */
  {
    struct series {
      std::vector<double> t[5]; /* create map set_access unmap release */
    };
    auto grow = [&](size_t hsz, int n, CUdeviceptr base, series *sr) {
      std::vector<CUmemGenericAllocationHandle> h(n);
      for (int i = 0; i < n; i++) {
        CUdeviceptr va = base + (CUdeviceptr)i * hsz;
        cudaCheck(gpu_weight_read_launch(busy_buf, rb, 100, 0, busy_sink,
                                         4 * nsm, s2));
        cudaCheck(cudaStreamSynchronize(s2));
        double c0 = gpu_mono();
        cuCheck(drv_api.MemCreate(&h[i], hsz, &ap, 0));
        double c1 = gpu_mono();
        cuCheck(drv_api.MemMap(va, hsz, 0, h[i], 0));
        double c2 = gpu_mono();
        cuCheck(drv_api.MemSetAccess(va, hsz, &acc, 1));
        double c3 = gpu_mono();
        sr->t[0].push_back(c1 - c0);
        sr->t[1].push_back(c2 - c1);
        sr->t[2].push_back(c3 - c2);
      }
      /* the check: the last handle's ends written and read back */
      CUdeviceptr last = base + (CUdeviceptr)(n - 1) * hsz;
      cudaCheck(cudaMemset((void *)last, 0x3c, hsz));
      unsigned char ends[2] = {0, 0};
      cudaCheck(cudaMemcpy(&ends[0], (void *)last, 1, cudaMemcpyDeviceToHost));
      cudaCheck(cudaMemcpy(&ends[1], (void *)(last + hsz - 1), 1,
                           cudaMemcpyDeviceToHost));
      if (ends[0] != 0x3c || ends[1] != 0x3c) {
        fprintf(stderr,
                "%s:%d: VMM growth check: handle %d of %zu MiB reads back "
                "%02x %02x, not 3c 3c\n",
                __FILE__, __LINE__, n - 1, hsz >> 20, ends[0], ends[1]);
        exit(EXIT_FAILURE);
      }
      for (int i = 0; i < n; i++) {
        CUdeviceptr va = base + (CUdeviceptr)i * hsz;
        double c0 = gpu_mono();
        cuCheck(drv_api.MemUnmap(va, hsz));
        double c1 = gpu_mono();
        cuCheck(drv_api.MemRelease(h[i]));
        double c2 = gpu_mono();
        sr->t[3].push_back(c1 - c0);
        sr->t[4].push_back(c2 - c1);
      }
    };
    const struct {
      size_t mib;
      int n;
    } kGrow[] = {{2, 512}, {64, 48}}; /* ascending: the curves' x */
    for (const auto &g : kGrow) {
      const size_t hsz = round_up(g.mib << 20);
      size_t fr = 0, tot = 0;
      cudaCheck(cudaMemGetInfo(&fr, &tot));
      if (hsz * g.n + (2ull << 30) > fr) {
        R.note("vmm growth, %zu MiB x %d: skipped, %zu bytes free", g.mib, g.n,
               fr);
        continue;
      }
      CUdeviceptr va1, va2;
      cuCheck(drv_api.MemAddressReserve(&va1, hsz * g.n, 0, 0, 0));
      cuCheck(drv_api.MemAddressReserve(&va2, hsz * g.n, 0, 0, 0));
      series fresh, again, moved;
      grow(hsz, g.n, va1, &fresh);
      grow(hsz, g.n, va1, &again);
      grow(hsz, g.n, va2, &moved);
      cuCheck(drv_api.MemAddressFree(va1, hsz * g.n));
      cuCheck(drv_api.MemAddressFree(va2, hsz * g.n));
      vmm_growth(R, cs, 0, hsz, g.n, fresh.t);
      vmm_growth(R, cs, 1, hsz, g.n, again.t);
      vmm_growth(R, cs, 2, hsz, g.n, moved.t);
    }
  }
  /* 2c. a call after a gap of other work, by handle size */
  for (size_t mib : {2ull, 64ull})
    measure_vmm_gap(R, cs, ap, acc, round_up(mib << 20), busy_buf, rb,
                    busy_sink, nsm, s2);
  /* 2d. growth by the calling thread, GPU busy (indirect's slabs) */
  for (size_t mib : {2ull, 64ull})
    measure_vmm_threads(R, cs, ap, acc, round_up(mib << 20),
                        mib == 2 ? 128 : 32, busy_buf, rb, busy_sink, nsm, s2);
  cudaCheck(cudaFree(busy_buf));
  cudaCheck(cudaFree(busy_sink));

  /* 3. address ranges alone */
  std::string unavailable;
  prev = 0;
  for (size_t mib : {2ull, 64ull, 1024ull, 16384ull, 262144ull, 1048576ull}) {
    size_t sz = round_up(mib << 20);
    if (sz == prev) continue;
    prev = sz;
    std::vector<double> tr, tf;
    CUresult rc = CUDA_SUCCESS;
    for (int i = 0; i < calls && rc == CUDA_SUCCESS; i++) {
      CUdeviceptr va = 0;
      double c0 = gpu_mono();
      rc = drv_api.MemAddressReserve(&va, sz, 0, 0, 0);
      double c1 = gpu_mono();
      if (rc != CUDA_SUCCESS) break;
      if (va == 0 || va % gran) {
        fprintf(stderr,
                "%s:%d: VMM check: a %zu MiB range at %#llx, not "
                "aligned to %zu\n",
                __FILE__, __LINE__, sz >> 20, (unsigned long long)va, gran);
        exit(EXIT_FAILURE);
      }
      cuCheck(drv_api.MemAddressFree(va, sz));
      double c2 = gpu_mono();
      tr.push_back(c1 - c0);
      tf.push_back(c2 - c1);
    }
    if (rc != CUDA_SUCCESS) {
      const char *es = nullptr;
      drv_api.GetErrorString(rc, &es);
      char b[160];
      snprintf(b, sizeof b,
               "%9zu MiB not available (%s); larger ranges not "
               "tried\n",
               sz >> 20, es ? es : "unknown error");
      unavailable = b;
      break;
    }
    cs.add("vmm_reserve", "s", (double)sz, lab_median(tr));
    cs.add("vmm_free_va", "s", (double)sz, lab_median(tf));
  }
  print_vmm_range_table(R.out, cs, calls);
  fprintf(R.out, "%s", unavailable.c_str());

  /* 4. Reservations among live reservations: a vmm pool reserves one
   * range per layer and K / V for every request slot and keeps them, so
   * its later reserves are made among hundreds of live ranges. kLiveVa
   * ranges of 16 MiB (a layer's K or V at 8K tokens of an 8B model),
   * aligned to the granularity as the GPU backend asks, reserved one after
   * another, then freed last first; the median of each window of 64 calls
   * by the live ranges at its centre, and the pair with nothing else live
   * at x = 0: curves vmm_reserve_live_va and vmm_free_va_live_va (x =
   * other live ranges, y = s). */
  {
    const int kLiveVa = 1024, kWin = 64;
    const size_t rsz = round_up(kLiveVaRange);
    std::vector<CUdeviceptr> va(kLiveVa);
    std::vector<double> tr(kLiveVa), tf(kLiveVa), r0, f0;
    for (int i = 0; i < calls; i++) { /* nothing else live: the reference */
      double c0 = gpu_mono();
      cuCheck(drv_api.MemAddressReserve(&va[0], rsz, gran, 0, 0));
      double c1 = gpu_mono();
      cuCheck(drv_api.MemAddressFree(va[0], rsz));
      r0.push_back(c1 - c0);
      f0.push_back(gpu_mono() - c1);
    }
    cs.add("vmm_reserve_live_va", "s", 0, lab_median(r0));
    cs.add("vmm_free_va_live_va", "s", 0, lab_median(f0));
    for (int i = 0; i < kLiveVa; i++) {
      double c0 = gpu_mono();
      cuCheck(drv_api.MemAddressReserve(&va[i], rsz, gran, 0, 0));
      tr[i] = gpu_mono() - c0;
    }
    for (int i = kLiveVa - 1; i >= 0; i--) {
      double c0 = gpu_mono();
      cuCheck(drv_api.MemAddressFree(va[i], rsz));
      tf[i] = gpu_mono() - c0;
    }
    for (int w = 0; w + kWin <= kLiveVa; w += kWin) {
      std::vector<double> a(tr.begin() + w, tr.begin() + w + kWin),
          b(tf.begin() + w, tf.begin() + w + kWin);
      cs.add("vmm_reserve_live_va", "s", w + kWin / 2, lab_median(a));
      cs.add("vmm_free_va_live_va", "s", w + kWin / 2, lab_median(b));
    }
    print_vmm_live_va(R, cs, rsz);
  }
  print_vmm_factors(R, cs);
}

/* ---- --example: made-up figures through the same printers and writers ---
 * Writes DIR/calibrate.txt (a short report), DIR/example.lua and
 * DIR/example.curves.csv without touching a GPU: the fixture of
 * kernels/testdata/ (check_calibration.lua: the CSV and the text report
 * read alike). The figures resemble an H100's but are not measurements. */
/* --example's copy tables: pinned copies, batched copies, SM copies by
 * page and by threads per block (made-up figures). */
static void example_copies(results &R, curve_set &cs) {
  const double MiB = 1024.0 * 1024.0;
  for (double b = 4096; b <= 256 * MiB; b *= 4) {
    cs.add("copy_h2d", "s", b, 2.2134e-6 + b / 55.41e9);
    cs.add("copy_d2h", "s", b, 1.6071e-6 + b / 55.32e9);
  }
  print_copy_table(R.out, cs);
  R.note("duplex (256 MiB each way at once): 101.44 GB/s aggregate (host_bw: "
         "a lower bound of host DRAM bandwidth for DMA)");
  for (double b = 4096; b <= 4 * MiB; b *= 4) {
    cs.add("batch_h2d", "s", b, 1.1043e-6 + b / 54.02e9);
    cs.add("batch_d2h", "s", b, 0.9087e-6 + b / 54.51e9);
  }
  cs.add("batch_call", "s", kBatchEntries, 58.316e-6);
  for (double b = 4096; b <= 4 * MiB; b *= 4)
    cs.add("batch_call_bytes", "s", b, (31.2 + 4.1 * log2(b / 4096)) * 1e-6);
  print_batch_table(R.out, cs, kBatchQueue, "made up");
  for (double page : {256.0, 4096.0, 65536.0})
    for (const char *d : {"d2h", "h2d"})
      for (int sms : {1, 2, 4, 8, 16, 32, 64}) {
        double per_sm = page == 256 ? 6.137e9 : page == 4096 ? 31.9e9 : 36.1e9;
        double cap = d[0] == 'h' ? 51.06e9 : 52.42e9;
        cs.add("sm_copy_" + std::to_string((int)page) + "_" + d, "B/s", sms,
               std::min(cap, sms * per_sm) - 1.234e6 * sms);
      }
  print_sm_table(R.out, cs);
  for (const char *d : {"d2h", "h2d"})
    for (int threads : kSmThreads)
      for (int sms : {1, 2, 4, 8, 16, 32, 64}) {
        /* bytes in flight by resident threads: 1024 threads as 64 KiB
         * pages above */
        double per_sm = 36.1e9 * threads / 1024;
        double cap = d[0] == 'h' ? 51.06e9 : 52.42e9;
        cs.add("sm_threads_" + std::to_string(threads) + "_" + d, "B/s", sms,
               std::min(cap, sms * per_sm) - 1.234e6 * sms);
      }
  print_sm_threads_table(R.out, cs);
}

/* --example's driver calls: by size, in the cycles' contexts, among live
 * handles, growing a pool, by range, among live ranges (made up). */
static void example_vmm(results &R, curve_set &cs, constants &c) {
  const double MiB = 1024.0 * 1024.0;
  const double base_us[7] = {0.62, 7.24, 0.57, 18.82, 13.40, 9.08, 0.40};
  const double slope_us[7] = {0.021, 0.005, 0.0, 0.22, 0.12, 0.24, 0.017};
  for (double mib : {2.0, 4.0, 8.0, 16.0, 64.0, 256.0, 1024.0})
    for (int k = 0; k < 7; k++)
      cs.add(vmm_handle_curve(k), "s", mib * MiB,
             (base_us[k] + slope_us[k] * (mib - 2) + 0.0037) * 1e-6);
  c.gran = 2 << 20;
  print_vmm_handle_table(R.out, cs, 64, c.gran, c.gran);
  vmm_slopes(cs, c);
  for (int ctx = 0; ctx < 3; ctx++) {
    std::vector<double> t[7];
    const double f = ctx == 0 ? 1.02 : ctx == 1 ? 1.13 : 1.31;
    for (int k = 0; k < 7; k++)
      for (int i = 0; i < 11; i++)
        t[k].push_back(base_us[k] * f * (0.95 + 0.01 * i) * 1e-6);
    R.note("%s", vmm_context_line(c.gran, 200, 128, ctx, t).c_str());
    const char *nm = ctx == 0   ? "vmm_context_idle"
                     : ctx == 1 ? "vmm_context_busy"
                                : "vmm_context_after_step";
    for (int k = 0; k < 7; k++) {
      cs.add_named(nm, "s", kVmmCall[k], lab_median(t[k]));
      if (ctx == 2 && k < 6) c.vmm[k] = lab_median(t[k]);
    }
  }
  for (int live : {16, 1024, 4096}) {
    std::vector<double> t[7];
    const double f = 1.0 + 0.00006 * live;
    for (int k = 0; k < 7; k++)
      for (int i = 0; i < 11; i++)
        t[k].push_back(base_us[k] * f * (0.95 + 0.01 * i) * 1e-6);
    R.note("vmm live-handle sweep: %s",
           vmm_context_line(c.gran, 200, live, 0, t).c_str());
    for (int k = 0; k < 7; k++)
      cs.add(std::string("vmm_live_") + kVmmCall[k], "s", live,
             lab_median(t[k]));
  }
  /* growth series: create / map / set_access several times the cycles'
   * cost on fresh memory, rising along the series; near the cycles' cost
   * once recycled */
  for (double mib : {2.0, 64.0}) {
    const int n = mib == 2.0 ? 512 : 48;
    const double fresh_us[5] = {40.0 + 1.1 * mib, 6.0 + 0.07 * mib,
                                60.0 + 0.9 * mib, 15.1, 9.3 + 0.25 * mib};
    for (int kind = 0; kind < 3; kind++) {
      std::vector<double> t[5];
      const double f = kind == 0 ? 1.0 : kind == 1 ? 0.21 : 0.34;
      for (int k = 0; k < 5; k++)
        for (int i = 0; i < n; i++)
          t[k].push_back(fresh_us[k] * (k < 3 ? f : 1.0) * (0.8 + 0.4 * i / n) *
                         1e-6);
      vmm_growth(R, cs, kind, (size_t)(mib * MiB), n, t);
    }
  }
  for (double mib : {2.0, 64.0, 1024.0, 16384.0, 262144.0, 1048576.0}) {
    cs.add("vmm_reserve", "s", mib * MiB, (0.6021 + 2e-6 * mib) * 1e-6);
    cs.add("vmm_free_va", "s", mib * MiB, (0.4013 + 1e-6 * mib) * 1e-6);
  }
  print_vmm_range_table(R.out, cs, 64);
  /* reserve / free among live ranges: rising with the ranges held */
  cs.add("vmm_reserve_live_va", "s", 0, 0.61e-6);
  cs.add("vmm_free_va_live_va", "s", 0, 0.42e-6);
  for (int w = 0; w < 1024; w += 64) {
    cs.add("vmm_reserve_live_va", "s", w + 32, (0.61 + 0.0041 * w) * 1e-6);
    cs.add("vmm_free_va_live_va", "s", w + 32, (0.42 + 0.0013 * w) * 1e-6);
  }
  print_vmm_live_va(R, cs, 16u << 20);
  /* after a gap: each call dearer as the gap grows, towards ~3-6x */
  for (double mib : {2.0, 64.0}) {
    double x[kGaps][7], y[kGaps][7];
    for (int g = 0; g < kGaps; g++)
      for (int k = 0; k < 7; k++) {
        double ms = 0.27 + 2.03 * kGapMs[g] + 0.01 * k;
        x[g][k] = ms * 1e-3;
        y[g][k] = (base_us[k] + slope_us[k] * (mib - 2)) *
                  (1.0 + 3.0 * ms / (ms + 15.0)) * 1e-6;
      }
    vmm_gap_report(R, cs, (size_t)(mib * MiB), x, y);
  }
  print_vmm_factors(R, cs);
}

/* --example's decode attention read by addressing mode (made up). */
static void example_attention(results &R, curve_set &cs) {
  const double ratio_b[5] = {1.3213, 1.0911, 1.0402, 1.0213, 1.0151};
  const double ratio_o[5] = {1.3377, 1.0987, 1.0441, 1.0236, 1.0169};
  const uint32_t tokens[5] = {1, 4, 16, 64, 256};
  for (int i = 0; i < 5; i++) {
    double t0 = 210.71e-6 + 0.13e-6 * i;
    cs.add("attn_time_contig", "s", tokens[i], t0);
    cs.add("attn_time_block_table", "s", tokens[i], t0 * ratio_b[i]);
    cs.add("attn_block_table", "ratio", tokens[i], ratio_b[i]);
    cs.add("attn_time_offset_table", "s", tokens[i], t0 * ratio_o[i]);
    cs.add("attn_offset_table", "ratio", tokens[i], ratio_o[i]);
  }
  print_attn_table(R.out, cs, "made up");
}

static int write_example(const char *dir) {
  std::string report = std::string(dir) + "/calibrate.txt";
  std::string lua = std::string(dir) + "/example.lua";
  results R;
  R.out = fopen(report.c_str(), "w");
  if (!R.out) die_writing(report, __LINE__);
  curve_set cs;
  constants c;
  R.note("device: Example GPU (made-up figures, kvsim-calibrate --example), "
         "132 SMs, 85017493504 bytes (84465090560 free), 1 GPU(s), driver "
         "API 13000, 2026-12-01 00:00 UTC");
  example_copies(R, cs);
  example_vmm(R, cs, c);
  example_attention(R, cs);
  c.hbm_bytes = 85017493504ull;
  c.hbm_bw = 3.363e12;
  c.d2d_bw = 2.943e12;
  c.flops = 7.905e14;
  c.sms = 132;
  c.kernel_launch = 3.12e-6;
  c.pcie_bw = 5.532e10;
  c.pcie_lat = 1.134e-6;
  c.copy_overhead = 2.223e-6;
  c.sm_bw_1 = 4.014e10;
  c.sm_duplex = 8.35e10;
  c.host_bw = 1.0144e11;
  c.table_write = 4.608e-6;
  std::vector<field> fields = fields_of(c);
  print_fields(R.out, "example", fields);
  std::string csv = csv_path_of(lua.c_str());
  write_lua(lua.c_str(), "example", R.lines, fields, cs,
            "kvsim-calibrate --example: made-up figures, not a measurement");
  write_csv(csv, cs);
  fprintf(R.out, "wrote %s\nwrote %s\n", lua.c_str(), csv.c_str());
  if (fclose(R.out) != 0) die_writing(report, __LINE__);
  printf("wrote %s, %s, %s\n", report.c_str(), lua.c_str(), csv.c_str());
  return 0;
}

/* calib_compute.cu */
int calib_compute_table(const char *path, const char *extra_shapes, bool quick);

int main(int argc, char **argv) {
  const char *lua_path = nullptr;
  const char *name = "h100-measured";
  const char *table = nullptr, *shapes = nullptr;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--lua") && i + 1 < argc)
      lua_path = argv[++i];
    else if (!strcmp(argv[i], "--name") && i + 1 < argc)
      name = argv[++i];
    else if (!strcmp(argv[i], "--quick"))
      g_quick = true;
    else if (!strcmp(argv[i], "--example") && i + 1 < argc)
      return write_example(argv[++i]);
    else if (!strcmp(argv[i], "--compute-table") && i + 1 < argc)
      table = argv[++i];
    else if (!strcmp(argv[i], "--shapes") && i + 1 < argc)
      shapes = argv[++i];
    else {
      fprintf(stderr,
              "usage: %s [--lua FILE] [--name NAME] [--quick]\n"
              "       %s --compute-table FILE [--shapes N,K;...] [--quick]\n"
              "       %s --example DIR\n",
              argv[0], argv[0], argv[0]);
      return 2;
    }
  }
  if (table) return calib_compute_table(table, shapes, g_quick);
  lab_require_device();
  results R;
  curve_set cs;
  constants cst;
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
  double t_start = gpu_mono();

  cudaStream_t s1, s2;
  cudaCheck(cudaStreamCreateWithFlags(&s1, cudaStreamNonBlocking));
  cudaCheck(cudaStreamCreateWithFlags(&s2, cudaStreamNonBlocking));
  const size_t big = 256ull << 20;
  char *d1, *d2, *h1, *h2;
  cudaCheck(cudaMalloc(&d1, big));
  cudaCheck(cudaMalloc(&d2, big));
  cudaCheck(cudaHostAlloc((void **)&h1, big, cudaHostAllocMapped));
  cudaCheck(cudaHostAlloc((void **)&h2, big, cudaHostAllocMapped));
  {
    lab_rng r(5);
    lab_fill_random(h1, big, r);
  }
  memset(h2, 0xc3, big);
  cudaCheck(cudaMemset(d1, 1, big));
  cudaCheck(cudaMemcpy(d2, h1, big, cudaMemcpyHostToDevice));

  /* ---- PCIe copies by size: H2D h1 -> d1, D2H d2 -> h2 (d2 = h1), then
   * both destinations checked against h1 ---- */
  for (size_t sz = 4096; sz <= big; sz *= 4) {
    int count =
        (int)std::min<size_t>(2000, std::max<size_t>(4, (1ull << 30) / sz));
    if (g_quick) count = std::min(count, 20);
    double a = lab_time_warm_ms(reps(5), count, s1, [&](cudaStream_t s) {
      cudaCheck(cudaMemcpyAsync(d1, h1, sz, cudaMemcpyHostToDevice, s));
    });
    double b = lab_time_warm_ms(reps(5), count, s1, [&](cudaStream_t s) {
      cudaCheck(cudaMemcpyAsync(h2, d2, sz, cudaMemcpyDeviceToHost, s));
    });
    cs.add("copy_h2d", "s", (double)sz, a * 1e-3);
    cs.add("copy_d2h", "s", (double)sz, b * 1e-3);
  }
  {
    std::vector<char> back(big);
    cudaCheck(cudaMemcpy(back.data(), d1, big, cudaMemcpyDeviceToHost));
    if (memcmp(back.data(), h1, big) != 0 || memcmp(h2, h1, big) != 0) {
      fprintf(stderr,
              "%s:%d: copy check: 256 MiB copied %s differ from the "
              "source\n",
              __FILE__, __LINE__, memcmp(h2, h1, big) != 0 ? "D2H" : "H2D");
      exit(EXIT_FAILURE);
    }
  }
  print_copy_table(R.out, cs);
  const curve ch = *cs.find("copy_h2d"), cd = *cs.find("copy_d2h");
  double bw_h2d = ch.x.back() / ch.y.back(), bw_d2h = cd.x.back() / cd.y.back();
  double pcie_bw = std::min(bw_h2d, bw_d2h);
  /* fixed cost: what a copy costs beyond bytes / large-copy bandwidth,
   * median over the sizes up to 64 KiB, both directions */
  std::vector<double> fixed;
  for (size_t i = 0; i < ch.x.size(); i++)
    if (ch.x[i] <= 65536) {
      fixed.push_back(ch.y[i] - ch.x[i] / bw_h2d);
      fixed.push_back(cd.y[i] - cd.x[i] / bw_d2h);
    }
  double copy_overhead = lab_median(fixed);
  double one_byte =
      lab_time_warm_ms(reps(5), g_quick ? 20 : 2000, s1, [&](cudaStream_t s) {
        cudaCheck(cudaMemcpyAsync(d1, h1, 1, cudaMemcpyHostToDevice, s));
      });
  std::vector<double> rt;
  for (int i = 0; i < reps(101); i++) {
    double t0 = gpu_mono();
    cudaCheck(cudaMemcpyAsync(d1, h1, 1, cudaMemcpyHostToDevice, s1));
    cudaCheck(cudaStreamSynchronize(s1));
    rt.push_back(gpu_mono() - t0);
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
  double dup_ms = lab_time_warm_ms(reps(7), 1, s1, [&](cudaStream_t s) {
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
  lab_l2_flusher l2;
  double d2d_bw = lab_measure_d2d(big, reps(10), s1, l2) * 1e9;
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
    double ms = lab_time_warm_ms(reps(10), c.count, s1, [&](cudaStream_t s) {
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
    double mm_ms = lab_time_warm_ms(reps(10), 1, s1, [&](cudaStream_t) {
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
      lab_time_warm_ms(reps(5), g_quick ? 20 : 2000, s1, [&](cudaStream_t s) {
        empty_kernel<<<1, 32, 0, s>>>();
      });
  std::vector<double> lrt;
  for (int i = 0; i < reps(201); i++) {
    double t0 = gpu_mono();
    empty_kernel<<<1, 32, 0, s1>>>();
    cudaCheck(cudaStreamSynchronize(s1));
    lrt.push_back(gpu_mono() - t0);
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
        lab_time_warm_ms(reps(5), g_quick ? 20 : 500, s1, [&](cudaStream_t s) {
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
    double ms = lab_time_warm_ms(reps(5), 1, s1, [&](cudaStream_t s) {
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
      double t0 = gpu_mono();
      memcpy(dst.data(), h1, big);
      t.push_back(gpu_mono() - t0);
    }
    R.note("host memcpy 256 MiB, one thread: %.1f GB/s (one CPU core; not "
           "host_bw, which is the duplex DMA figure)",
           big / lab_median(t) / 1e9);
  }

  /* ---- batched DMA ---- */
  measure_batch(cs, R, d1, h1, d2, h2, big, s1);

  /* ---- SM gather/scatter over scattered pinned host pages (h2 is the
   * check's scratch and the pair kernel's second host buffer) ---- */
  double sm_duplex = 0;
  double sm_bw_1 = measure_sm_copy(cs, R, d1, h1, d2, h2, h2,
                                   prop.multiProcessorCount, s1, &sm_duplex);
  R.note("SM copy with 1 SM, 64 KiB pages, mean of both directions: %.2f "
         "GB/s (sm_copy_bw_per_sm)",
         sm_bw_1 / 1e9);
  R.note("SM copy both directions at once (kv_transfer_pair_launch, 8 SMs, "
         "64 KiB pages, 64 MiB each way): %.2f GB/s aggregate "
         "(sm_duplex_bw)",
         sm_duplex / 1e9);
  measure_sm_threads(cs, R, d1, h1, h2, prop.multiProcessorCount, s1);

  /* ---- decode attention read by addressing mode ---- */
  measure_attn(cs, R, s1);

  /* ---- CUDA VMM driver calls ---- */
  measure_vmm(cs, R, cst, dev, prop.multiProcessorCount, s2);

  /* ---- summary, Lua and CSV ---- */
  cst.gpus = ndev;
  cst.hbm_bytes = mem_total;
  cst.hbm_bw = hbm_bw;
  cst.d2d_bw = d2d_bw;
  cst.flops = flops;
  cst.sms = prop.multiProcessorCount;
  cst.kernel_launch = launch_ms * 1e-3;
  cst.pcie_bw = pcie_bw;
  cst.pcie_lat = pcie_lat;
  cst.copy_overhead = copy_overhead;
  cst.sm_bw_1 = sm_bw_1;
  cst.sm_duplex = sm_duplex;
  cst.host_bw = host_bw;
  cst.table_write = lab_median(table_after);
  std::vector<field> fields = fields_of(cst);
  print_fields(R.out, name, fields);
  if (lua_path) {
    char source[512];
    snprintf(source, sizeof source, "kvsim-calibrate on %s, driver API %d, %s",
             prop.name, drv, date);
    std::string csv = csv_path_of(lua_path);
    write_lua(lua_path, name, R.lines, fields, cs, source);
    write_csv(csv, cs);
    printf("wrote %s\nwrote %s\n", lua_path, csv.c_str());
  }
  printf("calibration took %.1f s\n", gpu_mono() - t_start);
  cudaCheck(cudaEventDestroy(fork));
  cudaCheck(cudaEventDestroy(join));
  cudaCheck(cudaFree(d1));
  cudaCheck(cudaFree(d2));
  cudaCheck(cudaFreeHost(h1));
  cudaCheck(cudaFreeHost(h2));
  return 0;
}
