/* platform.h - the GPU server a run is modelled on: capacities, bandwidths
 * and per-operation costs. Presets carry their source; a Lua table may
 * describe any other platform (see core/lua/lua_kvsim.c).
 * Main entry points: kv_platform_preset(), kv_platform_validate().
 */
#ifndef KV_PLATFORM_H
#define KV_PLATFORM_H

#include <stdint.h>

#include "curve.h"
#include "kv_error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The CUDA VMM driver calls a platform prices (ops.h's VMM op kinds). */
typedef enum kv_vmm_call {
  KV_VMM_RESERVE,    /* cuMemAddressReserve */
  KV_VMM_CREATE,     /* cuMemCreate */
  KV_VMM_MAP,        /* cuMemMap */
  KV_VMM_SET_ACCESS, /* cuMemSetAccess */
  KV_VMM_UNMAP,      /* cuMemUnmap */
  KV_VMM_RELEASE,    /* cuMemRelease */
  KV_VMM_FREE_VA,    /* cuMemAddressFree */
  KV_VMM__COUNT
} kv_vmm_call;

/* Names as in platform fields and calibration files ("create", ...). */
extern const char *const kv_vmm_call_names[KV_VMM__COUNT];

typedef struct kv_platform {
  char name[64];
  uint32_t gpus_per_server; /* GPUs in one server (1..8) */
  uint32_t servers;         /* servers (>= 1) */
  /* one GPU */
  uint64_t hbm_bytes; /* device memory, bytes */
  double hbm_bw;      /* HBM bandwidth, B/s (read or write stream) */
  double d2d_bw;      /* device-to-device copy, B/s counting read+write */
  double flops;       /* dense bf16 FLOP/s */
  /* the GEMM rate with FP8 weights and activations over `flops` (Hopper's
   * and Ada's FP8 tensor cores; 0 or 1: none, FP8 weights are widened to
   * bf16 for the GEMM, as vLLM's weight-only kernels do on an A100) */
  double fp8_gemm_speedup;
  uint32_t sms;         /* streaming multiprocessors */
  double kernel_launch; /* s per kernel launch / step overhead */
  /* host link */
  double pcie_bw;           /* B/s per direction (pinned, large copies) */
  double pcie_lat;          /* s link latency */
  double copy_overhead;     /* s fixed cost per cudaMemcpyAsync */
  double sm_copy_bw_per_sm; /* B/s one SM moves in a gather/scatter kernel */
  double sm_duplex_bw;      /* B/s both directions together that SM copy
                               kernels move over PCIe (0 = not modeled) */
  uint32_t gpus_per_uplink; /* GPUs sharing one PCIe switch uplink (0 = own) */
  double uplink_bw;         /* B/s per direction of a shared uplink */
  double host_bw;           /* host DRAM bandwidth, B/s */
  /* GPU-GPU */
  double nvlink_bw;  /* B/s per direction per GPU */
  double nvlink_lat; /* s */
  double nic_bw;     /* B/s per server (0 = no inter-server tier) */
  double nic_lat;    /* s */
  /* CUDA VMM driver calls, s per call per handle */
  double vmm_reserve;       /* cuMemAddressReserve */
  double vmm_create;        /* cuMemCreate */
  double vmm_map;           /* cuMemMap */
  double vmm_set_access;    /* cuMemSetAccess */
  double vmm_unmap;         /* cuMemUnmap */
  double vmm_release;       /* cuMemRelease */
  uint64_t vmm_granularity; /* minimum handle size, bytes (2 MiB stock) */
  /* extra s per call per MiB of handle (or VA range, for reserve) beyond
   * vmm_granularity: driver work that grows with size (physical pages,
   * page-table entries). 0 = a call costs the same at every size. */
  double vmm_reserve_per_mib;
  double vmm_create_per_mib;
  double vmm_map_per_mib;
  double vmm_set_access_per_mib;
  double vmm_unmap_per_mib;
  double vmm_release_per_mib;
  double table_write; /* s per table-update op (small H2D + launch) */
  const char *source; /* where the constants come from */
  /* ---- version 2: measured curves (n = 0: the scalar fields above) ---- */
  /* s per driver call by handle bytes (reserve / free_va: by range bytes,
   * flat past the last point, as measured; the others go on with their
   * last slope), on an idle GPU with nothing else in flight */
  kv_curve vmm_curve[KV_VMM__COUNT];
  /* the same call while kernels run (background driver work beside a
   * step), and right after a step (the critical path): factors over the
   * idle call among the same live handles (vmm_live below; with no live
   * table, over the curve or the scalar cost) (0 = 1) */
  double vmm_busy[KV_VMM__COUNT];
  double vmm_after_step[KV_VMM__COUNT];
  /* the live-handle effect: a call's cost among L other live handles
   * (created and not yet released, beside the one the call works on) over
   * its cost with nothing else live (the curve and scalars above are
   * measured so); x = L, y = factor; factor 1 at L = 0, linear from there
   * to the first point and between points, flat past the last (not
   * measured further). n = 0: 1 at every L (the cost does not depend on
   * the live handles) */
  kv_curve vmm_live[KV_VMM__COUNT];
  /* pool growth: s per create / map / set-access of a handle that takes the
   * process's live VMM bytes past their high-water mark (a pool growing:
   * handles created while none is released, mapped into address space
   * never mapped before), by handle bytes, as kvsim-calibrate's growth
   * series measure them (right after a step, among the pool's own new
   * handles; no context or live-handle factor on top). Linear between
   * points, the first value below the first, the last slope past the last.
   * Only [KV_VMM_CREATE], [KV_VMM_MAP] and [KV_VMM_SET_ACCESS] are read
   * (fields vmm_<call>_grow). n = 0: growth costs what any call does */
  kv_curve vmm_grow[KV_VMM__COUNT];
  /* reservations among live reservations: factor over the call with no
   * other range reserved, x = other live ranges; 1 at 0, linear to the
   * first point and between points, flat past the last. Only
   * [KV_VMM_RESERVE] and [KV_VMM_FREE_VA] are read (fields
   * vmm_<call>_live_va). n = 0: 1 at every count */
  kv_curve vmm_live_va[KV_VMM__COUNT];
  /* a call after a gap: s of the first call of a kind made `gap` s after
   * the last call of that kind ended (the driver's and the host's state
   * gone cold: lab_vmm_fresh, kvsim-calibrate's gap series, right after a
   * step), one row per handle (or range) bytes u, x = gap s; rows flat past
   * their ends, linear in log bytes between rows. A gap below the rows'
   * first x is a call in a series (priced as without the table). Fields
   * vmm_<call>_gap. n = 0: no gap is priced */
  kv_grid vmm_gap[KV_VMM__COUNT];
  /* s per cudaMemcpyAsync by bytes, copies issued back to back on one
   * stream, per direction: what one copy of that size costs in all
   * (issue, engine setup, the bytes at that size's rate) */
  kv_curve copy_h2d_curve;
  kv_curve copy_d2h_curve;
  /* s per entry of one cudaMemcpyBatchAsync by entry bytes, per direction
   * (kvsim-calibrate's batch_h2d / batch_d2h: 64 entries at scattered
   * device and pinned host places a call, four calls queued back to back on
   * one stream, GPU time over the entries); the engine time of a batched
   * copy (KV_VIA_BATCH) at its mean entry size. n = 0: the fallback
   * (kv_platform_batch_overhead) */
  kv_curve batch_h2d_curve;
  kv_curve batch_d2h_curve;
  /* s of host time one cudaMemcpyBatchAsync call takes (kvsim-calibrate's
   * batch_call, measured at 64 entries), once per batched copy, on the
   * issuing thread (0 = not measured: nothing added) */
  double batch_call;
  /* s of host time of one cudaMemcpyBatchAsync call by its entries
   * (kvsim-calibrate's batch_call curve, x = entries): proportional to the
   * entries below the first point (host time per entry as measured there),
   * linear between points, on the last slope past the last (one point:
   * proportional). n = 0: batch_call for every call, whatever its entries */
  kv_curve batch_call_curve;
  /* B/s an SM copy kernel moves over PCIe by SMs given, per direction (its
   * plateau is below pcie_bw: zero-copy requests are small) */
  kv_curve sm_copy_h2d_curve;
  kv_curve sm_copy_d2h_curve;
  /* the SM copy's rate by page (run) bytes over its rate at the largest page
   * measured (the page the SM curves above come from), at 8 SMs, per
   * direction; interpolated in log page bytes, flat past both ends (n = 0:
   * 1, every page as fast as the largest) */
  kv_curve sm_copy_page_h2d_curve;
  kv_curve sm_copy_page_d2h_curve;
  /* the SM copy's rate (B/s) by page (run) bytes and SMs jointly, per
   * direction: one curve over SMs per page measured (kvsim-calibrate's
   * page x SMs table). When present it replaces the page factor above: a
   * copy over pages of p bytes with s SMs moves at grid(p, s) / grid(largest
   * page, s) of the SM curve's rate at s (n = 0: the page factor) */
  kv_grid sm_copy_grid_h2d;
  kv_grid sm_copy_grid_d2h;
  /* the SM copy's rate (B/s) by threads per block and SMs jointly, per
   * direction, at the page of the SM curves above (kvsim-calibrate's
   * threads x SMs table: 64 KiB pages): one curve over SMs per block size,
   * row keys the threads per block (whole multiples of 32 up to 1024). It
   * prices a copy whose blocks are not KV_SM_COPY_THREADS threads
   * (kv_platform_sm_copy_bw_threads); n = 0: the resident-threads rule */
  kv_grid sm_copy_threads_grid_h2d;
  kv_grid sm_copy_threads_grid_d2h;
  /* decode attention's KV read through a block table / an offset table:
   * time over the contiguous read of the same bytes, by tokens per block
   * (flat past both ends; n = 0: 1, no cost for the table) */
  kv_curve attn_block_table_curve;
  kv_curve attn_offset_table_curve;
  /* ---- operator-level compute (core/inputs/compute_table.h) ---- */
  /* measured compute table: a CSV path, or several separated by ';'
   * ("" = none: the roofline prices every step). Only the path travels
   * with the platform (it is copied by value); each backend loads the
   * table once when it is created and frees it with itself. */
  char compute_table[512];
  /* ---- tensor-parallel all-reduce (core/engine/collective.h) ---- */
  double allreduce_base;   /* s fixed per all-reduce (launch, handshake) */
  double allreduce_lat;    /* s per algorithm step (hop) */
  double allreduce_bw;     /* B/s bus bandwidth per GPU (0 = nvlink_bw) */
  uint32_t allreduce_algo; /* 0 = faster of ring and tree, 1 ring, 2 tree */
  /* measured all-reduce time (s) by message bytes per GPU, one row per TP
   * degree (key: tp, a whole number >= 2; x: bytes; y: seconds > 0), as
   * kvsim-calibrate-multi measures it through NCCL inside one server. A
   * run whose tp has a row and fits one server (tp <= gpus_per_server) is
   * priced from it (kv_allreduce_time: linear in log bytes between
   * points, the first point's time below it, the last segment's per-byte
   * slope past the last); n = 0, or no row for the run's tp: the model
   * above */
  kv_grid allreduce_table;
} kv_platform;

/* Fill `out` with a preset ("h100-sxm-80gb", "h200-141gb"). */
kv_status kv_platform_preset(const char *name, kv_platform *out, kv_error *err);

/* NULL-terminated list of preset names. */
const char *const *kv_platform_preset_names(void);

/* Check every field is in range; errors name the field. */
kv_status kv_platform_validate(const kv_platform *p, kv_error *err);

/* Seconds one driver call of kind `call` on `bytes` (a handle, or a VA
 * range for reserve / free_va) costs: the measured curve when there is
 * one, else the scalar cost plus its per-MiB slope beyond the granularity;
 * times the busy factor when `busy` (kernels run beside it), else the
 * after-step factor when `after_step`. */
double kv_platform_vmm_time(const kv_platform *p, kv_vmm_call call,
                            uint64_t bytes, int busy, int after_step);

/* The live-handle factor (>= 0) of call `call` made among `live` other
 * live handles: vmm_live interpolated (1 at 0 handles, flat past the last
 * point); 1 without a table. */
double kv_platform_vmm_live_factor(const kv_platform *p, kv_vmm_call call,
                                   double live);

/* kv_platform_vmm_time among `live` other live handles: the same times
 * kv_platform_vmm_live_factor (live = 0: kv_platform_vmm_time). */
double kv_platform_vmm_time_live(const kv_platform *p, kv_vmm_call call,
                                 uint64_t bytes, double live, int busy,
                                 int after_step);

/* The live-range factor (>= 0) of reserve / free_va made among `ranges`
 * other live reservations: vmm_live_va interpolated (1 at 0, flat past the
 * last point); 1 for the other calls and without a table. */
double kv_platform_vmm_live_va_factor(const kv_platform *p, kv_vmm_call call,
                                      double ranges);

/* Seconds of a call on `bytes` made `gap` s after the last call of its
 * kind ended (vmm_gap); < 0 without a table or for a gap below the rows'
 * first (the call is then priced as any other). */
double kv_platform_vmm_gap_time(const kv_platform *p, kv_vmm_call call,
                                uint64_t bytes, double gap);

/* Seconds of a create / map / set-access that grows the pool (vmm_grow)
 * on a handle of `bytes`; < 0 when the platform has no growth table for
 * `call` (the call is then priced as any other). */
double kv_platform_vmm_grow_time(const kv_platform *p, kv_vmm_call call,
                                 uint64_t bytes);

/* Seconds one cudaMemcpyAsync of `bytes` H2D (h2d != 0) or D2H costs
 * beyond moving its bytes at pcie_bw: from the copy curve when there is
 * one (its time at that size less bytes / pcie_bw, never below 0), else
 * copy_overhead. The link time itself is the backend's. */
double kv_platform_copy_overhead(const kv_platform *p, int h2d, uint64_t bytes);

/* Seconds one cudaMemcpyBatchAsync of `entries` entries totalling `bytes`
 * H2D (h2d != 0) or D2H takes on the copy engines beyond moving its bytes
 * at pcie_bw (batch_call, the host's part, not included): from the batch
 * curve when there is one (entries x the curve at the mean entry size, less
 * bytes / pcie_bw, never below 0), else the fallback: one copy's overhead
 * at the mean entry size (kv_platform_copy_overhead), charged once per call
 * as if the batch were one cudaMemcpyAsync. */
double kv_platform_batch_overhead(const kv_platform *p, int h2d,
                                  uint32_t entries, uint64_t bytes);

/* Seconds of host time one cudaMemcpyBatchAsync call of `entries` entries
 * takes: batch_call_curve when there is one, else batch_call. */
double kv_platform_batch_call(const kv_platform *p, uint32_t entries);

/* Whether the direction's batch curve is measured (a curve's time, like a
 * copy curve's, includes the link latency). */
int kv_platform_has_batch_curve(const kv_platform *p, int h2d);

/* Time factor (>= 0, 1 = contiguous) of reading KV through addressing
 * mode `mode` (ops.h kv_addr_mode) with blocks of `block_tokens` tokens. */
double kv_platform_attn_factor(const kv_platform *p, int mode,
                               uint32_t block_tokens);

/* Rate factor (>= 0, 1 = the largest page measured) of an SM copy over
 * pages (runs) of `page` bytes in one direction: the page curve interpolated
 * in log page bytes, flat past both ends; 1 without a page curve or when
 * page is 0 (unknown). */
double kv_platform_sm_copy_page_factor(const kv_platform *p, int h2d,
                                       double page);

/* The SM copy's rate over pages of `page` bytes with `sms` SMs, over its
 * rate at the largest page with as many SMs: from the page x SMs grid when
 * the platform has one, else kv_platform_sm_copy_page_factor (8 SMs). */
double kv_platform_sm_copy_factor(const kv_platform *p, int h2d, double page,
                                  double sms);

/* B/s an SM copy on `sms` SMs over pages of `page` bytes (0: the largest
 * page measured) moves over PCIe in one direction: the SM curve when there
 * is one, else sms x sm_copy_bw_per_sm capped at pcie_bw, times
 * kv_platform_sm_copy_factor. */
double kv_platform_sm_copy_bw(const kv_platform *p, int h2d, double sms,
                              double page);

/* Threads per block of the library's SM copy kernel (kernels/transfer.cuh
 * kThreads, kv_transfer_launch): the block size sm_copy_bw_per_sm, the SM
 * curves and the page x SMs grids are measured at. */
#define KV_SM_COPY_THREADS 1024

/* B/s an SM copy on `sms` SMs of `threads` threads per block over pages of
 * `page` bytes moves in one direction. threads 0 or KV_SM_COPY_THREADS:
 * kv_platform_sm_copy_bw, exactly. Otherwise, with the direction's threads
 * x SMs grid: the grid at (threads, sms) (linear in log threads between
 * rows, in SMs along a row, flat past the ends) times
 * kv_platform_sm_copy_factor(page, sms). Without one, the resident-threads
 * rule: a block's bytes in flight scale with its threads (Little's law),
 * so k SMs of T threads move what k x T / KV_SM_COPY_THREADS SMs of the
 * library kernel move: kv_platform_sm_copy_bw at that many SM-equivalents
 * (in proportion below the SM curve's first point), so still capped by
 * the measured SM-copy plateau (the curve flat past its last point; no
 * curve: pcie_bw). */
double kv_platform_sm_copy_bw_threads(const kv_platform *p, int h2d, double sms,
                                      double page, uint32_t threads);

#ifdef __cplusplus
}
#endif

#endif
