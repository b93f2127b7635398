/* multimodel.h - several models served on one GPU, each with its own
 * weights, workload queue and batch, their KV memory either partitioned or
 * drawn from one shared pool of pages (elastic, as kvcached does).
 *
 * Memory modes (kv_mm_memory):
 *   static   - each model gets a fixed partition of the GPU's KV memory
 *              (shares given, or proportional to the KV demand of its
 *              workload); its strategy (paged unless set) lives inside it;
 *   elastic  - one pool of page_bytes pages (kv_mempool) shared by the
 *              models: paged (default; kvcached: blocks in page groups
 *              mapped into a virtual range per layer tensor) or vmm
 *              (vAttention: a range per request); a model takes pages as
 *              it maps them and returns them as it unmaps them (every
 *              map/unmap an op priced as the VMM ops are);
 *   indirect - the indirect strategy's slabs drawn from the same pool.
 * KV memory of the GPU = HBM x gpu_mem_util - every model's weights - every
 * model's activation reserve; an error names the models when it is <= 0.
 *
 * Compute: time-slicing. The models' backends share one GPU busy clock;
 * the driver always advances the engine whose next event is earliest
 * (ties: the one whose own clock is earliest, then the lowest index), and
 * a step starts when the GPU is free. On the ideal backend (the default)
 * each model has an ideal backend on one shared busy clock; on another
 * backend (spec.backend: SimGrid) one backend is made for the GPU, the
 * driver runs inside its run(), and each model gets a view of it
 * (kv_backend_vt.gpu_view) whose steps SimGrid times one after another
 * on that GPU. Concurrent kernels (MPS-like sharing of compute and HBM)
 * are not modeled. docs/multimodel.md says how this approximates a GPU
 * running several models' kernels at once.
 *
 * When a shared pool runs out for a running request's growth, or for the
 * first request of a model with nothing running, the preemption policy
 * (kv_mm_policy) picks the model whose newest running request is
 * preempted; its C default is kv_mm_default_victim(). Admission into a
 * model that already runs requests waits instead (as vLLM's admission
 * never preempts): preempting other models to admit more requests was
 * measured to thrash (docs/multimodel.md). With memory = indirect no other
 * model is preempted: its slabs stay with it while it has a request, so
 * preempting one would free nothing the requester can use.
 * Main entry points: kv_mm_run(), kv_mm_result_free().
 */
#ifndef KV_MULTIMODEL_H
#define KV_MULTIMODEL_H

#include <stddef.h>
#include <stdint.h>

#include "backend_desc.h"
#include "engine.h"
#include "mempool.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum kv_mm_memory {
  KV_MM_STATIC,   /* a fixed partition per model */
  KV_MM_ELASTIC,  /* paged page groups (or vmm pages) from one shared pool */
  KV_MM_INDIRECT, /* indirect slabs from one shared pool */
} kv_mm_memory;

/* "static", "elastic", "indirect", NULL: in enum order. */
extern const char *const kv_mm_memory_names[];

typedef struct kv_mm_model {
  kv_engine_cfg engine; /* model, workload, strategy and its options,
                           limits; platform, backend, tp, gpu_mem_util,
                           kv_capacity and reclaim are set by the driver.
                           strategy NULL: paged (static, elastic; elastic
                           also takes vmm), indirect */
  double share;         /* static: weight of its partition (0 for every
                           model: proportional to the workload's KV demand,
                           sum of (prompt + output) x bytes per token) */
} kv_mm_model;

/* One model as the preemption policy sees it. */
typedef struct kv_mm_model_view {
  uint64_t held;  /* bytes of the pool it holds */
  uint64_t share; /* its fair share of the pool, bytes */
  size_t running; /* requests running */
} kv_mm_model_view;

typedef struct kv_mm_view {
  double now;         /* s, the requesting model's clock */
  uint32_t requester; /* the model short of memory */
  const kv_mm_model_view *models;
  size_t n;
  uint64_t pool_free; /* bytes */
} kv_mm_view;

typedef struct kv_mm_policy {
  const char *name; /* for error messages */
  void *ud;
  /* *victim = the model whose newest running request is preempted; the
   * requester itself (or a model with nothing running) = the requester
   * preempts its own newest request as a single-model engine does. */
  kv_status (*victim)(void *ud, const kv_mm_view *v, uint32_t *victim,
                      kv_error *err);
} kv_mm_policy;

/* The default, a fair-share rule: a requester holding its fair share or
 * more preempts its own newest request (growth) or waits (start); a
 * requester owed memory (holding less than its share) takes it from the
 * other model with requests running that holds the most beyond its share,
 * and, when none holds more than its share but the requester has nothing
 * running (the head of its queue cannot start), from the other running
 * model holding the most, so that every model can always start a
 * request. */
uint32_t kv_mm_default_victim(const kv_mm_view *v);
extern const kv_mm_policy kv_mm_policy_default;

typedef struct kv_mm_spec {
  const kv_mm_model *models;
  size_t n;
  const kv_platform *platform;
  kv_mm_memory memory;
  double gpu_mem_util;        /* fraction of HBM the server may use (0.9) */
  uint64_t page_bytes;        /* pool page (2 MiB) */
  const kv_mm_policy *policy; /* NULL: kv_mm_policy_default */
  int check_level;            /* as kv_engine_cfg; >= 2 also checks the
                                 pool after every step */
  double sample_interval;     /* s between memory samples (0: 1 s) */
  /* The GPU's backend: NULL or kv_backend_ideal_desc = one ideal backend
   * per model on a shared busy clock; another (kv_sim_backend_desc) makes
   * one backend for the run (from the first model's configuration, tp 1)
   * that must offer gpu_view; its check() is applied to every model.
   * backend_opts: its options (NULL = its defaults). */
  const kv_backend_desc *backend;
  const kv_backend_opts *backend_opts;
} kv_mm_spec;

void kv_mm_spec_defaults(kv_mm_spec *spec);

typedef struct kv_mm_result {
  size_t n;
  kv_result *models;        /* [n], as kv_engine_run gives them */
  uint64_t kv_bytes;        /* KV memory of the GPU */
  uint64_t pool_bytes;      /* elastic / indirect: the pool (whole pages) */
  uint64_t *share;          /* [n] static partition, or fair share, bytes */
  double *peak;             /* [n] most bytes held at once */
  double *idle_held;        /* [n] mean bytes held while the model had no
                               request running or waiting, over the run */
  double *idle_time;        /* [n] s the model was idle */
  double cross_preemptions; /* requests preempted in another model */
  double span;              /* s from the first to the last event */
  size_t n_samples;         /* memory samples, every sample_interval */
  double *t;                /* [n_samples] */
  double *held;             /* [n_samples * n]: bytes each model holds */
} kv_mm_result;

/* Run every model to completion. On error every result is freed. */
kv_status kv_mm_run(const kv_mm_spec *spec, kv_mm_result *out, kv_error *err);
void kv_mm_result_free(kv_mm_result *r);

#ifdef __cplusplus
}
#endif

#endif
