/* gpu_backend.h - the real-GPU backend: kvsim's ops executed on an NVIDIA
 * GPU. Pools are cudaMalloc ranges, the vmm and indirect strategies' handles
 * and VA ranges are real CUDA VMM driver calls, copies run on the copy
 * engines (cudaMemcpyAsync per run) or as SM gather/scatter kernels from
 * kernels/, the host tier is pinned host memory, and each step's compute is
 * a stand-in that reads the live KV through the step's addressing mode and
 * a weight-sized buffer, so copies and compute compete for the GPU.
 * Time comes from CUDA events (docs/gpu.md says exactly what is measured).
 * Main entry points: kv_backend_gpu_create(), kv_gpu_backend_desc.
 */
#ifndef KV_GPU_BACKEND_H
#define KV_GPU_BACKEND_H

#include <stdint.h>

#include "backend.h"
#include "backend_desc.h"
#include "kv_error.h"
#include "model.h"
#include "platform.h"
#include "run_spec.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kv_gpu_options {
  int device;             /* CUDA device ordinal (0) */
  uint64_t device_budget; /* device bytes the backend may take in all: pool,
                             VMM handles, weight buffer, scratch (0 = 90% of
                             the free memory at create) */
  uint64_t pool_bytes;    /* cudaMalloc pool for static / paged (0 = none;
                             vmm and indirect use VMM handles instead) */
  uint64_t host_bytes;    /* pinned, mapped host tier (0 = none) */
  uint64_t weight_buffer; /* bytes of the buffer read in place of the
                             weights, repeatedly (256 MiB) */
  int copy_sms;           /* thread blocks of gather/scatter kernels (8) */
  int background_thread;  /* ops flagged KV_OPF_BACKGROUND run during the
                             step's compute on: 1 a thread kept for the
                             backend's life, 2 a new thread each step
                             (what the backend did before, for
                             comparison); 0: inline (1) */
  int compute;            /* 0: COMPUTE ops are skipped (tests) (1) */
  int standin;            /* 1: the byte-read stand-in instead of the real
                             compute (GEMMs through cuBLAS and attention
                             kernels at the model's shapes) (0) */
  uint32_t weight_layers; /* layers whose weights are held distinct (0 = all
                             that fit the budget beside the pool and 16 GiB;
                             the others reuse them) */
  int copy_threads;       /* threads per block of those kernels: 128, 256,
                             512 or 1024 (0 = 1024, kv_transfer_launch) */
} kv_gpu_options;

void kv_gpu_options_defaults(kv_gpu_options *o);

/* 1 when a CUDA device is usable, 0 otherwise (tests skip on 0). */
int kv_gpu_available(void);

/* Create the backend on opt->device. Fails with KV_EBACKEND (CUDA error with
 * file:line) or KV_ENOMEM (the pool and buffers exceed device_budget or the
 * GPU's free memory) and releases whatever it took. */
kv_backend *kv_backend_gpu_create(const kv_platform *p, const kv_model *m,
                                  uint32_t tp, const kv_gpu_options *opt,
                                  kv_error *err);

/* The backend for one run: options `o` (NULL = defaults) completed from
 * the run: pool_bytes = the run's KV capacity when the strategy's vtable
 * asks for a device pool (KV_POOL_DEVICE; 0 for KV_POOL_NONE, which takes
 * VMM handles), host_bytes = scfg.host_bytes. A
 * KV capacity beyond device_budget is an error that says what to lower. */
kv_backend *kv_gpu_backend_for_run(const kv_run_spec *spec,
                                   const kv_gpu_options *o, kv_error *err);

/* The GPU backend's descriptor (core/engine/backend_desc.h; gpu_desc.c):
 * options are a kv_gpu_options, none read from a run table; a run's backend is
 * kv_gpu_backend_for_run() with them. No replicas extension. */
extern const kv_backend_desc kv_gpu_backend_desc;

/* Options of kv_gpu_backend_desc holding a copy of `o` (NULL = defaults),
 * for kv_run_spec.backend_opts. Free with kv_backend_opts_free(). */
kv_backend_opts *kv_gpu_backend_opts(const kv_gpu_options *o);

/* Real addresses behind kvsim offsets, for tests and tools: a device offset
 * (pool, or VMM VA space once any VA is reserved) or a host tier offset.
 * The whole [off, off+bytes) must lie in one pool or reservation. */
kv_status kv_gpu_device_ptr(kv_backend *b, uint64_t off, uint64_t bytes,
                            void **out, kv_error *err);
kv_status kv_gpu_host_ptr(kv_backend *b, uint64_t off, uint64_t bytes,
                          void **out, kv_error *err);

/* Totals over the run so far. */
typedef struct kv_gpu_totals {
  double steps;
  double step_time;       /* s, sum of measured step durations */
  double idle_time;       /* s the clock jumped for idle_until */
  double driver_critical; /* s of VMM calls the step waited on */
  double driver_hidden;   /* s of VMM calls on the background thread */
  double driver_calls;
  double compute_time; /* s of the compute stand-in */
  double copy_time;    /* s of copies */
  double attn_bytes;   /* bytes read by the attention stand-in */
  double weight_bytes; /* bytes read by the weight stand-in */
  double gemm_flops;   /* real compute: FLOPs of the GEMMs run */
  double attn_calls;   /* real compute: attention kernel launches */
  /* added: how background ops ran (gpu_backend.c) */
  double inline_steps; /* steps with background ops that all ran inline,
                          because a critical op listed after one of them
                          touches what it touches */
  double hoisted_ops;  /* critical ops listed after a background op that
                          ran before it (they touch nothing it touches) */
} kv_gpu_totals;

void kv_gpu_get_totals(kv_backend *b, kv_gpu_totals *out);

#ifdef __cplusplus
}
#endif

#endif
