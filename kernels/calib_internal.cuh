/* calib_internal.cuh - what the files of kvsim-calibrate share (what the
 * program measures and how: calibrate.cu's top comment).
 * The program's files, each a concern:
 *   calibrate.cu     main, in phases: setup and buffers, PCIe copies by
 *                    size, duplex, device peaks (device-to-device, HBM
 *                    read, bf16 rate), launch and table write, zero-copy
 *                    latency, host memcpy, the measuring files' sections,
 *                    summary and writers; and --example (made-up figures
 *                    through the same printers and writers);
 *   calib_report.cu  the report's tables (printed from the curves; keep
 *                    their formats: scripts/kvsim/calibration.lua reads
 *                    them back), the platform constants and their fields,
 *                    the Lua platform;
 *   calib_copies.cu  batched DMA, SM gather/scatter by SMs and page size,
 *                    by threads per block;
 *   calib_attn.cu    decode attention read by addressing mode;
 *   calib_vmm.cu     the VMM driver calls: isolation, contexts among live
 *                    handles, slabs, growth, after a gap, by thread,
 *                    address ranges, among live ranges;
 *   calib_compute.cu the operator-level compute table (--compute-table);
 *   calib_io.cuh     the notes, the curve set and the CSV writer (shared
 *                    with kvsim-calibrate-multi).
 * Here: the driver-API table and the check macros, quantile / reps, the
 * call names and the measurements' fixed sizes, struct constants, and the
 * functions one file calls in another, by the file that defines them.
 * Every measurement prints its lines in the order main calls it: the
 * report is read back line by line.
 */
#ifndef KV_CALIB_INTERNAL_CUH
#define KV_CALIB_INTERNAL_CUH

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

/* ---- shared by the measuring files ------------------------------------ */

/* Driver API entry points, fetched as the GPU backend fetches them
 * (gpu/gpu_drv.h: through the runtime, so that the program does not link
 * libcuda and still starts, and reports "skipped", on a machine without a
 * driver). Defined in calib_vmm.cu, filled by its load_driver_api() before
 * the first driver call. */
extern gpu_drv drv_api;

inline void cu_check(CUresult r, const char *file, int line) {
  if (r != CUDA_SUCCESS) {
    const char *s = nullptr;
    drv_api.GetErrorString(r, &s);
    fprintf(stderr, "[CUDA DRIVER ERROR] %s:%d: %s\n", file, line,
            s ? s : "unknown");
    exit(EXIT_FAILURE);
  }
}
#define cuCheck(e) cu_check((e), __FILE__, __LINE__)

inline void cublas_check(cublasStatus_t s, const char *file, int line) {
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
inline double quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t k = (size_t)std::ceil(q * (double)v.size());
  if (k < 1) k = 1;
  return v[k - 1];
}

/* --quick (set by main before any measurement): every repetition count
 * n goes through reps(n), at most 5 then. Defined in calibrate.cu. */
extern bool g_quick;
inline int reps(int n) {
  return g_quick ? (n > 5 ? 5 : n) : n;
}

/* The driver calls in core/inputs/platform.h's kv_vmm_call order, as platform
 * fields and the curves name them, and as the report's tables head them. */
inline constexpr const char *kVmmCall[7] = {
    "reserve", "create", "map", "set_access", "unmap", "release", "free_va"};
inline constexpr const char *kVmmColumn[7] = {
    "reserve", "create", "map", "set_access", "unmap", "release", "addr_free"};

/* The calls of a growth series (vmm_growth), in its order. */
inline constexpr const char *kGrowCall[5] = {"create", "map", "set_access",
                                             "unmap", "release"};

/* The range reserved among live ranges (section 4 of measure_vmm), as
 * scripts/kvsim/calibration.lua LIVE_VA_RANGE: a layer's K or V at 8K
 * tokens of an 8B model. */
inline constexpr size_t kLiveVaRange = 16ull << 20;

/* Batched DMA (measure_batch): entries per cudaMemcpyBatchAsync call, and
 * calls queued between the events. */
inline constexpr int kBatchEntries = 64, kBatchQueue = 4;

/* SM copy by threads per block (measure_sm_threads): the block sizes. */
inline constexpr int kSmThreads[] = {128, 256, 512, 1024};

/* A driver call after a gap (measure_vmm_gap): the nominal gaps (ms) and
 * the cycles per gap. The series of steps (the model's) goes on to 500 ms,
 * about a second between two calls of a kind: a run's slabs come seconds
 * apart, and a grid priced flat past 100 ms under-priced them by half
 * (results/2026-12-05-h100-calls). The series of launches (reported only)
 * stops at 50 ms: kGapsLaunch rows. */
inline constexpr double kGapMs[] = {0, 1, 2, 5, 10, 20, 50, 200, 500};
inline constexpr int kGapCycles = 12;
inline constexpr int kGaps = (int)(sizeof kGapMs / sizeof kGapMs[0]);
inline constexpr int kGapsLaunch = 7;
/* --gap-kernel-ms: how long each read kernel of the series of steps lasts
 * (default 0.5 ms); a serving engine's decode step lasts some 5-10 ms. */
extern double g_gap_kernel_ms;
/* The series of measure_vmm_gap, by what fills the gap: read kernels (the
 * model's), small launches, serving steps (reported). */
enum class gap_series { steps, launches, serve };
/* kernels per serving step (the series of serving steps) */
inline constexpr int kServeLaunches = 128;
/* the rows a series has */
inline constexpr int gap_rows(gap_series s) {
  return s == gap_series::launches ? kGapsLaunch : kGaps;
}

/* ---- platform constants ------------------------------------------------ */

/* The scalar figures a run measured (or, with --example, made up). */
struct constants {
  int gpus = 1;
  size_t hbm_bytes = 0;
  double hbm_bw = 0, d2d_bw = 0, flops = 0, fp8_gemm_speedup = 0;
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

/* ---- calib_report.cu: the report's tables (printed from the curves; keep
 * their formats, scripts/kvsim/calibration.lua reads them back), the
 * platform constants, the Lua platform ---- */
std::string vmm_handle_curve(int k);
void vmm_slopes(const curve_set &cs, constants &c);
void print_copy_table(FILE *f, const curve_set &cs);
void print_batch_table(FILE *f, const curve_set &cs, int batches,
                       const char *call_note);
void print_sm_table(FILE *f, const curve_set &cs);
void print_sm_threads_table(FILE *f, const curve_set &cs);
void print_vmm_handle_table(FILE *f, const curve_set &cs, int calls,
                            size_t gran, size_t gran_rec);
void print_vmm_live_va(results &R, const curve_set &cs, size_t rsz);
void vmm_growth(results &R, curve_set &cs, int kind, size_t hsz, int n,
                const std::vector<double> t[5]);
std::string vmm_context_line(size_t hsz, int cycles, int live, int ctx,
                             const std::vector<double> t[7]);
void vmm_gap_report(results &R, curve_set &cs, size_t hsz, const double x[][7],
                    const double y[][7], gap_series series);
void print_vmm_range_table(FILE *f, const curve_set &cs, int calls);
void print_vmm_factors(results &R, const curve_set &cs);
void print_attn_table(FILE *f, const curve_set &cs, const char *what);
std::vector<field> fields_of(const constants &c);
void print_fields(FILE *f, const char *name, const std::vector<field> &fields);
void write_lua(const char *path, const char *name, const std::string &comments,
               const std::vector<field> &fields, const curve_set &cs,
               const std::string &source);

/* ---- calib_copies.cu: batched DMA, SM gather/scatter ---- */
void measure_batch(curve_set &cs, results &R, char *d_in, char *h_in,
                   char *d_out, char *h_out, size_t cap, cudaStream_t s);
double measure_sm_copy(curve_set &cs, results &R, char *d, char *h, char *d_in,
                       char *h_in, char *scratch, int nsm, cudaStream_t s,
                       double *duplex);
void measure_sm_threads(curve_set &cs, results &R, char *d, char *h,
                        char *scratch, int nsm, cudaStream_t s);

/* ---- calib_attn.cu: decode attention read by addressing mode ---- */
void measure_attn(curve_set &cs, results &R, cudaStream_t s);

/* ---- calib_vmm.cu: the CUDA VMM driver calls ---- */
void measure_vmm(curve_set &cs, results &R, constants &c, int dev, int nsm,
                 cudaStream_t s2);

/* ---- calib_compute.cu: GEMM rows of the operator-level compute table ---- */
int calib_compute_table(const char *path, const char *extra_shapes, bool quick);

#endif /* KV_CALIB_INTERNAL_CUH */
