/* sim_world.h - the SimGrid backend's state, shared by its C files (not
 * installed).
 *
 * A world is one SimGrid simulation: the platform, the model, the GPUs'
 * routes and one sim_replica per engine replica (tp GPUs each). The files:
 *   sim_world.c    builds and frees a world (SimGrid settings, the
 *                  platform's GPUs and routes, the description, replicas);
 *   sim_step.c     times a step's ops on a replica (the hot loop): the
 *                  critical phase, the compute phase beside the background
 *                  work, and the lag that keeps SimGrid out of steps that
 *                  touch nothing shared;
 *   sim_backend.c  the backend's vtable and its runs: one engine, or many
 *                  replicas as actors of one simulation;
 *   sim_view.c     more models time-slicing one replica's GPU.
 * Main entry points: sim_world_create(), sim_step(), sim_vt.
 */
#ifndef KV_SIM_WORLD_H
#define KV_SIM_WORLD_H

#include <stddef.h>
#include <stdint.h>

#include "backend.h"
#include "compute_table.h"
#include "sim_backend.h"
#include "sim_internal.h"

typedef struct sim_route {
  double lat, bw; /* route latency (s), bottleneck bandwidth (B/s) */
} sim_route;

typedef struct sim_gpu {
  int host, sm, dram;       /* SimGrid host indices; sm < 0 = no SM path */
  sim_route h2d, d2h, self; /* dram->gpu, gpu->dram, gpu->gpu (HBM) */
  sim_route h2d_sm, d2h_sm; /* the same through the SM copy path */
} sim_gpu;

typedef struct sim_world sim_world;

/* How a replica's actor is blocked, as the lone-transfer proof of
 * analytic = 3 reads it (lone_proven): in SimGrid transfers (or not
 * started yet): it may use a link from SimGrid's clock on; in the sleep
 * before a transfer (sim_flush_lag): from `wake` on; its run over: never. */
enum { REP_WAIT_BUSY = 0, REP_WAIT_SLEEP = 1, REP_WAIT_DONE = 2 };

/* Invariant: lag >= 0; in_actor only while the replica's actor runs. */
typedef struct sim_replica {
  kv_backend b;
  sim_world *w;
  uint32_t index, first_gpu;
  double lag;       /* s this replica is ahead of SimGrid's clock */
  kv_vmm_state vmm; /* the driver's state, from the op stream */
  double origin;    /* SimGrid clock when its run started */
  int in_actor, done;
  kv_status (*main_fn)(void *);
  void *main_arg;
  kv_sim_replica_fn rfn;
  void *rarg;
  kv_error *rerr;
  kv_status rc;
  int wait;        /* how its actor waits while another runs: REP_WAIT_* */
  double wake;     /* REP_WAIT_SLEEP: the SimGrid time it wakes at */
  int pend;        /* sleeping before a lone transfer (analytic = 3) */
  double pend_end; /* ... which ends then, if alone (SimGrid time) */
  double pend_la;  /* ... after which its next flow is at least this far */
  double la;       /* the same for the next lone transfer (run_flows) */
  kv_simx_flow *flows;
  uint32_t *flow_op;           /* op index of each flow (for by_kind) */
  const sim_route **route_buf; /* sim_step's scratch: routes, VMM prices */
  size_t route_cap;
  double *vmm_buf;
  size_t vmm_cap;
  size_t flows_cap;
  kv_sim_counters ctr;
} sim_replica;

/* Invariant: replicas_n <= reps_cap; reps never moves once made (the
 * backends point into it); replica i runs on gpus[i * tp, (i + 1) * tp),
 * whose routes are measured; ctab is owned. */
struct sim_world {
  kv_platform p;
  kv_model m;
  uint32_t tp;
  size_t replicas_n;
  sim_replica *reps;
  sim_gpu *gpus;
  size_t gpus_n;
  int analytic;
  double copy_sms;       /* SMs given to gather/scatter copy kernels */
  uint32_t copy_threads; /* their threads per block (0 = the library's) */
  int copy_order;        /* KV_SIM_COPY_STREAM or KV_SIM_COPY_CONCURRENT */
  int xml;
  size_t reps_cap; /* replicas the platform has GPUs for (reps' length) */
  int grown;       /* replicas added to a backend's world (run_replicas) */
  kv_ctab *ctab;   /* the platform's compute table, owned (NULL = none) */
  char desc[1024];
};

/* The replica backends' vtable (sim_backend.c). */
extern const kv_backend_vt sim_vt;

/* ---- world (sim_world.c) ---- */

/* A world of `replicas` replicas of tp GPUs on `p` (opt NULL = defaults);
 * starts SimGrid. NULL (err set) on a refused or failed setup. */
sim_world *sim_world_create(const kv_platform *p, const kv_model *m,
                            uint32_t tp, const kv_sim_options *opt,
                            size_t replicas, kv_error *err);
void sim_world_free(sim_world *w);
/* Grow w to `replicas` replicas (routes, description, backends). */
kv_status sim_world_add_replicas(sim_world *w, size_t replicas, kv_error *err);
/* Set the replica count the description names. */
void sim_world_describe_replicas(sim_world *w, size_t replicas);

/* ---- steps (sim_step.c) ---- */

/* The vtable's step: times ops on replica b (CPU, critical phase, compute
 * phase beside the background work) and advances its clock. */
kv_status sim_step(kv_backend *b, const kv_op_list *ops, kv_step_time *out,
                   kv_error *err);
/* The replica's clock: SimGrid's plus its lag, from its run's start. */
double sim_now(kv_backend *b);
void sim_idle_until(kv_backend *b, double t);
/* Sleep the replica's lag off in SimGrid (before a shared transfer, and
 * at the end of its run). */
kv_status sim_flush_lag(sim_replica *r, kv_error *err);

/* ---- runs (sim_backend.c) and views (sim_view.c) ---- */

kv_status sim_run(kv_backend *b, kv_status (*main_fn)(void *), void *arg,
                  kv_error *err);
/* The vtable's gpu_view: one more model on a one-replica backend's GPU. */
kv_backend *sim_gpu_view(kv_backend *b, const kv_model *m, kv_error *err);

#endif
