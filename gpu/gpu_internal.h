/* gpu_internal.h - state of the GPU backend shared by its files:
 * gpu_backend.c (vtable, step, clock), gpu_vmm.c (VMM tables and driver
 * calls), gpu_copy.c (copies, table writes), gpu_compute.c (compute
 * stand-in), gpu_kernels.cu (the weight-read kernel).
 * Main entry points: the gpu_* functions declared below.
 */
#ifndef KV_GPU_INTERNAL_H
#define KV_GPU_INTERNAL_H

#include <cuda.h>
#include <cuda_runtime_api.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#include "gpu_backend.h"
#include "gpu_drv.h"

/* Every CUDA call is checked; a failure returns KV_EBACKEND from the
 * enclosing function with the call, its file:line and CUDA's message. The
 * enclosing function must have a `kv_error *err` in scope. */
#define GPU_RT(call)                                                           \
  do {                                                                         \
    cudaError_t gpu_e_ = (call);                                               \
    if (gpu_e_ != cudaSuccess)                                                 \
      return kv_error_set(err, KV_EBACKEND, "%s:%d: %s: %s", __FILE__,         \
                          __LINE__, #call, cudaGetErrorString(gpu_e_));        \
  } while (0)

/* Driver calls go through s->drv (gpu_drv.c); `s` must be in scope. */
#define GPU_DRV(call)                                                          \
  do {                                                                         \
    CUresult gpu_r_ = (call);                                                  \
    if (gpu_r_ != CUDA_SUCCESS) {                                              \
      const char *gpu_s_ = NULL;                                               \
      s->drv.GetErrorString(gpu_r_, &gpu_s_);                                  \
      return kv_error_set(err, KV_EBACKEND, "%s:%d: %s: %s (%d)", __FILE__,    \
                          __LINE__, #call, gpu_s_ ? gpu_s_ : "?",              \
                          (int)gpu_r_);                                        \
    }                                                                          \
  } while (0)

/* One cuMemAddressReserve: kvsim VA offsets [off, off+bytes) live at
 * [ptr, ptr+bytes). */
typedef struct gpu_va {
  uint64_t off, bytes;
  CUdeviceptr ptr;
} gpu_va;

/* One physical handle, named by the strategy's handle id. */
typedef struct gpu_handle {
  CUmemGenericAllocationHandle h;
  uint64_t bytes;
  CUdeviceptr mapped; /* 0 when not mapped */
  int live;           /* created and not released */
  uint8_t lane;       /* unnamed: 1 if created by a background op */
} gpu_handle;

typedef struct gpu_range {
  CUdeviceptr ptr;
  uint64_t bytes;
  uint8_t lane; /* pending_access: 1 if mapped by a background op */
} gpu_range;

/* The background ops' thread (gpu_worker.c), started at the first step
 * that has any and kept until destroy. job != NULL while one runs. */
typedef struct gpu_worker {
  pthread_t th;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  void *(*job)(void *);
  void *arg;
  int quit, started;
} gpu_worker;

/* Invariants: every live handle is in `handles` (id-indexed) or in
 * `unnamed` (created, not yet mapped under an id), never both; a mapped
 * handle's range lies inside one reservation; `vmm_bytes` is the sum of
 * live handles' bytes (named and unnamed); pool + vmm_bytes + scratch <=
 * budget. */
typedef struct gpu_state {
  kv_gpu_options opt;
  gpu_drv drv;
  int drv_loaded;
  CUdevice dev;
  CUcontext ctx; /* the device's primary context */
  uint64_t granularity;
  uint64_t budget, scratch_bytes;
  int num_sms;

  char *pool; /* device pool (static, paged) */
  uint64_t pool_bytes;
  char *host; /* pinned, mapped host tier */
  uint64_t host_bytes;

  gpu_va *vas;
  size_t nvas, vas_cap;
  gpu_handle *handles;
  size_t handles_cap;
  /* created by VMM_CREATE, id given by the next MAP of the same lane
   * (critical or background: each lane is its own queue, so a step's
   * critical ops may run before the background ops listed ahead of them) */
  gpu_handle *unnamed;
  size_t nunnamed, unnamed_cap;
  gpu_range *pending_access; /* mapped, access not set yet (per lane) */
  size_t npending, pending_cap;
  uint64_t vmm_bytes;

  cudaStream_t stream;    /* critical copies and compute, in op order */
  cudaStream_t bg_stream; /* background copies */
  cudaEvent_t *events;    /* per-op timing events, reused each step */
  size_t nevents;

  /* copy kernels: mapped pinned index lists */
  int64_t *idx;
  size_t idx_cap, idx_used; /* entries; carved per step */
  /* table writes */
  void *table_dev, *table_host;
  uint64_t table_bytes;

  /* compute stand-in */
  void *weights;
  uint64_t weights_bytes;
  unsigned long long *sink;
  void *q, *out, *workspace;
  int32_t *ctx_dev, *bt_dev;
  int64_t *off_dev;
  int32_t *ctx_host, *bt_host; /* pinned staging */
  int64_t *off_host;
  uint32_t attn_kv_heads, attn_q_heads, attn_batch_max, attn_max_blocks;
  uint32_t attn_splits;
  uint64_t row_bytes; /* bytes of one token's K (or V) in one layer */

  /* real compute (gpu_compute.c): per-GPU shapes, weights, activations */
  void *blas;    /* cublasHandle_t */
  void *blas_ws; /* cuBLAS workspace */
  char *wl;      /* wl_layers distinct layers' weights, then LM head */
  uint64_t wl_layer_bytes;
  uint32_t wl_layers; /* distinct layers held (the rest reuse them) */
  uint32_t g_hidden, g_qkv, g_qdim, g_gu, g_inter, g_vocab;
  void *act_x, *act_qkv, *act_q, *act_attn, *act_gu, *act_y, *act_logits;
  uint32_t act_tokens; /* rows the activation buffers hold */
  uint32_t a_qh, a_kvh, a_hd;
  int32_t *a_bt_host, *a_bt_dev; /* block tables, KV_ATTN_TABLES of them */
  int64_t *a_off_host, *a_off_dev;
  uint64_t a_entries;                /* entries per table */
  int32_t *a_meta_host, *a_meta_dev; /* ctx_len / q_start, decode + prefill */
  uint32_t a_meta_cap;               /* requests the meta arrays hold */
  void *a_ws;
  uint64_t a_ws_bytes;

  gpu_worker worker; /* background_thread == 1 */
  int batch_ok;      /* cudaMemcpyBatchAsync available (set at init) */
  double clock;      /* s since the run started */
  kv_gpu_totals totals;
  /* KVSIM_GPU_CALL_LOG: one CSV row per VMM driver call (NULL: off) */
  FILE *call_log;
  double log_t0; /* gpu_mono() when the backend was made */
  /* KVSIM_GPU_GAP_PROBE: VMM calls after a gap of this run (gpu_probe.c;
   * NULL: off) */
  struct gpu_probe *probe;
} gpu_state;

/* ---- gpu_worker.c ---- */
/* Run fn(arg) on the worker (started on first use) and wait for it.
 * 0, or -1 when the thread cannot be started. */
int gpu_worker_call(gpu_worker *w, void *(*fn)(void *), void *arg);
/* Join the worker, if started. */
void gpu_worker_stop(gpu_worker *w);

/* ---- gpu_vmm.c ---- */
/* Execute one VMM op (all its driver calls); *dt = host time spent. */
kv_status gpu_vmm_exec(gpu_state *s, const kv_op_list *l, const kv_op *op,
                       double *dt, kv_error *err);
/* Real address of VA offset range [off, off+bytes) (0 if not inside one
 * reservation). */
CUdeviceptr gpu_vmm_translate(const gpu_state *s, uint64_t off, uint64_t bytes);
/* Unmap, release and free everything (destroy and failure paths). */
void gpu_vmm_release_all(gpu_state *s);
/* Open the call log named by KVSIM_GPU_CALL_LOG, if set (appends; writes
 * the header to a new file). */
kv_status gpu_call_log_open(gpu_state *s, kv_error *err);
void gpu_call_log_close(gpu_state *s);

/* ---- gpu_probe.c ---- */
typedef struct gpu_probe gpu_probe;
/* Start the gap probe when KVSIM_GPU_GAP_PROBE names a file. */
kv_status gpu_probe_open(gpu_state *s, kv_error *err);
/* Before a step: one group of probe calls when the next target gap has
 * passed since the last. */
kv_status gpu_probe_step(gpu_state *s, kv_error *err);
/* Free the probe's handle and write its report lines (destroy). */
void gpu_probe_close(gpu_state *s);

/* ---- gpu_copy.c ---- */
/* Start of a step (the stream is idle): index lists are reused. */
void gpu_copy_step_begin(gpu_state *s);
/* Enqueue one COPY or TABLE_WRITE op on `stream`. */
kv_status gpu_copy_exec(gpu_state *s, const kv_op_list *l, const kv_op *op,
                        cudaStream_t stream, kv_error *err);
/* Real device address of a device offset: the pool unless VA is reserved. */
char *gpu_dev_addr(const gpu_state *s, uint64_t off, uint64_t bytes);

/* ---- gpu_compute.c ---- */
kv_status gpu_compute_init(gpu_state *s, const kv_model *m, uint32_t tp,
                           kv_error *err);
void gpu_compute_free(gpu_state *s);
/* Enqueue the stand-in for one COMPUTE op (plus `attn_extra` bytes of
 * ATTN_READ ops) on s->stream. Pages in `avoid` (being unmapped by the
 * background thread this step) are not read. */
kv_status gpu_compute_exec(gpu_state *s, const kv_model *m, uint32_t tp,
                           const kv_op *op, uint64_t attn_extra,
                           const gpu_range *avoid, size_t navoid,
                           kv_error *err);

/* ---- gpu_kernels.cu ---- */
#ifdef __cplusplus
extern "C" {
#endif
/* Read `bytes` of buf (a multiple of 16, <= cap) `reps` times plus `tail`
 * bytes once; folds into *sink so the reads are not elided. */
cudaError_t gpu_weight_read_launch(const void *buf, uint64_t bytes,
                                   uint64_t reps, uint64_t tail,
                                   unsigned long long *sink, int sms,
                                   cudaStream_t stream);
/* Fill n bf16 values with seeded pseudo-random values in [-scale, scale). */
cudaError_t gpu_fill_bf16_launch(void *p, uint64_t n, uint64_t seed,
                                 float scale, cudaStream_t stream);
#ifdef __cplusplus
}
#endif

#endif
