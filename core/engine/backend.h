/* backend.h - what executes ops and says how long they took.
 *
 * The engine hands a backend one step at a time: the ops strategies emitted
 * for the step and the step's compute. The backend returns the step's
 * duration and its breakdown. Backends own the clock: the ideal backend
 * (core/engine/backend_ideal.c) computes costs analytically, sim/ runs SimGrid,
 * gpu/ runs CUDA. A backend also hosts the engine's loop (`run`) so that
 * SimGrid can run it inside its own event loop.
 * Main entry points: kv_backend_ideal_create(), the vtable below.
 */
#ifndef KV_BACKEND_H
#define KV_BACKEND_H

#include <stdint.h>

#include "kv_error.h"
#include "model.h"
#include "ops.h"
#include "platform.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Time spent on ops in one step, per kind, split by whether the engine had
 * to wait for it (critical) or it overlapped compute (hidden). */
typedef struct kv_step_time {
  double total;                 /* wall/simulated duration of step */
  double compute;               /* forward pass */
  double cpu;                   /* engine CPU time the step waited for (the
                                   COMPUTE op's cpu_time: all of it when
                                   synchronous, what outlasts the GPU work
                                   when overlapped); in total */
  double cpu_hidden;            /* engine CPU time beside the GPU work */
  double op_critical;           /* ops on the critical path */
  double op_hidden;             /* ops overlapped with compute */
  double by_kind[KV_OP__COUNT]; /* op time per kind */
  double driver_critical;       /* VMM driver time the step waited on */
  double driver_hidden;         /* VMM driver time hidden */
  int compute_table;            /* how the compute was priced: kv_compute_by
                                   (the platform's compute table,
                                   core/inputs/compute_table.h, or the
                                   roofline) */
} kv_step_time;

/* kv_step_time.compute_table: what priced a step's compute. */
enum kv_compute_by {
  KV_COMPUTE_ROOFLINE = 0,   /* FLOPs and HBM bytes at the platform's peaks */
  KV_COMPUTE_TABLE = 1,      /* the compute table's operators */
  KV_COMPUTE_ATTN_TABLE = 2, /* the roofline, attention from an attention
                                table (kv_ctab_attn_excess) */
};

typedef struct kv_backend kv_backend;

typedef struct kv_backend_vt {
  uint32_t version;
  const char *name;
  /* Run `main(arg)` as the engine loop: directly (ideal, gpu) or inside the
   * simulator (SimGrid). Returns what the loop returned. */
  kv_status (*run)(kv_backend *b, kv_status (*main)(void *arg), void *arg,
                   kv_error *err);
  /* Current time, s since the run started. */
  double (*now)(kv_backend *b);
  /* Let time pass with nothing to do until `t` (idle wait for arrivals). */
  void (*idle_until)(kv_backend *b, double t);
  /* Execute one step's ops (the list's COMPUTE op included) and advance the
   * clock by its duration. */
  kv_status (*step)(kv_backend *b, const kv_op_list *ops, kv_step_time *out,
                    kv_error *err);
  /* Describe the configuration for the result record (NUL-terminated). */
  void (*describe)(kv_backend *b, char *buf, size_t n);
  void (*destroy)(kv_backend *b);
  /* Optional (NULL: the backend serves one model). A backend for model m
   * time-slicing b's GPU with the other models given one
   * (core/engine/multimodel.c, which runs its driver inside b's run): each of
   * its steps starts no earlier than b's clock (the GPU free) and leaves b's
   * clock at its end; its own clock (now, idle_until) is the model's, and its
   * idle waits leave b's clock alone, so b's clock never moves backwards. What
   * is the model's own (m's compute pricing, the VMM handles its process holds)
   * is kept per view. Destroy every view before b. */
  kv_backend *(*gpu_view)(kv_backend *b, const kv_model *m, kv_error *err);
} kv_backend_vt;

struct kv_backend {
  const kv_backend_vt *vt;
  const kv_platform *platform;
  const kv_model *model;
  uint32_t tp;    /* GPUs the model is split over (tensor parallelism) */
  uint32_t flags; /* KV_BACKEND_* */
  void *state;
};

enum {
  /* the backend reads op runs (addresses); without it the engine skips
   * recording them, which keeps analytic and simulated replays fast */
  KV_BACKEND_NEEDS_RUNS = 1u << 0,
};

/* The ideal backend: compute from a roofline of the platform (FLOPs vs
 * bytes over FLOP/s and HBM bandwidth), or from the platform's compute
 * table when it has one and it covers the step (the backend loads it when
 * created: a bad table fails here); each op a fixed per-op cost from the
 * platform (driver calls cost what the driver costs; copies cost overhead
 * plus bytes over the link). Background ops overlap compute. */
/* HBM bytes a COMPUTE op's step reads, its KV read priced by addressing
 * mode (kv_platform_attn_factor): what both simulated backends use. */
double kv_compute_hbm_bytes(const kv_platform *p, const kv_op *op);

kv_backend *kv_backend_ideal_create(const kv_platform *p, const kv_model *m,
                                    uint32_t tp, kv_error *err);

/* Several models time-slicing one GPU (core/engine/multimodel.c): b's steps
 * start no earlier than *gpu_free (the end of the last step of any backend
 * sharing it) and set it to their end. Idle waits do not touch it. With one
 * backend on the clock, steps are timed as without it. */
void kv_backend_ideal_share_gpu(kv_backend *b, double *gpu_free);

/* Cost of one op on the ideal model (used by the ideal backend, and by
 * other backends as a reference). */
double kv_ideal_op_time(const kv_platform *p, const kv_op *op);

/* What a backend tracks of the VMM op stream to price the next call: the
 * driver's state as the process left it. Zeroed = nothing created or
 * reserved yet. */
typedef struct kv_vmm_state {
  uint64_t handles;               /* created (VMM_CREATE), not yet released */
  uint64_t bytes;                 /* their bytes */
  uint64_t high;                  /* the most bytes ever live at once */
  uint64_t grow_map, grow_access; /* growth handles not yet mapped, opened */
  uint64_t ranges;                /* reservations (VMM_RESERVE) not yet freed */
  /* the clock, for the platform's gap table (vmm_<call>_gap): a backend
   * that keeps one sets clocked and now (s) to when the op starts (it
   * moves past each VMM op it prices); last[k] is when the last call of
   * kind k ended, called has bit k once one was made */
  int clocked;
  double now;
  double last[KV_VMM__COUNT];
  uint32_t called;
} kv_vmm_state;

/* Cost of a VMM op (kv_op_is_vmm) on the ideal model in state *st, which is
 * updated past the op. Each call is priced at the mean count of other live
 * handles its calls see (kv_platform_vmm_time_live): a create sees those
 * before it, the calls on a handle those beside it, reserve / free VA all
 * of them, and reserve / free VA also at the other live reservations
 * (kv_platform_vmm_live_va_factor). Creates that take the live bytes past
 * their high-water mark grow the pool: they, and as many maps and
 * set-accesses after them, cost the platform's growth table
 * (kv_platform_vmm_grow_time) where it has one. In a clocked state the
 * op's first call, when it comes the gap table's smallest gap or more
 * after the last call of its kind ended, costs the platform's gap table
 * instead (kv_platform_vmm_gap_time; a kind's first call ever is priced
 * as the others), and st->now moves past the op.
 * Background ops take the
 * busy context, the others the after-step one, as kv_ideal_op_time (which
 * prices a VMM op in a zeroed state: nothing else live, nothing grows). */
double kv_vmm_op_time(const kv_platform *p, const kv_op *op, kv_vmm_state *st);

/* Roofline time of a compute op: max(flops/F, bytes/HBM) + launch. */
double kv_ideal_compute_time(const kv_platform *p, uint32_t tp,
                             const kv_op *op);

/* The engine's CPU time in a step: the COMPUTE ops' cpu_time and whether it
 * overlaps the GPU work (KV_OPF_CPU_OVERLAP). */
double kv_ops_cpu_time(const kv_op_list *ops, int *overlap);

/* Apply the one rule of both simulated backends to a step whose GPU side
 * (critical ops, then compute beside background work) lasts t->total:
 * synchronous, the GPU idles while the CPU works and the step lasts
 * cpu + gpu; overlapped, the step lasts max(cpu, gpu). Sets t->cpu and
 * t->cpu_hidden, grows t->total, and returns by how much. */
double kv_step_time_add_cpu(kv_step_time *t, double cpu, int overlap);

#ifdef __cplusplus
}
#endif

#endif
