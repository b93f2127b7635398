/* sim_view.c - more models time-slicing one replica's GPU on the SimGrid
 * backend (kv_backend_vt.gpu_view; experiments/multimodel.lua): each view
 * is a backend with its own clock and VMM driver state whose steps run on
 * the replica, from when both the model and the GPU are free.
 * Main entry points: sim_gpu_view(), kv_sim_get_counters().
 */
#include <stdio.h>
#include <stdlib.h>

#include "sim_world.h"
#include "util.h"

/* One model time-slicing a replica's GPU (kv_backend_vt.gpu_view): its own
 * clock and VMM driver state; its steps run on the replica (SimGrid's
 * clock plus the replica's lag is the GPU's), priced for its model.
 * Invariant: the replica's model and VMM state are its own between
 * steps. */
typedef struct sim_view {
  kv_backend b;
  sim_replica *r;
  double now;       /* the model's clock, s since the run started */
  kv_vmm_state vmm; /* what its process holds of the driver (one per model) */
} sim_view;

static double view_now(kv_backend *b) {
  return ((sim_view *)b->state)->now;
}

static void view_idle_until(kv_backend *b, double t) {
  sim_view *v = b->state;
  if (t > v->now) v->now = t; /* the GPU's clock is left alone */
}

static kv_status view_step(kv_backend *b, const kv_op_list *ops,
                           kv_step_time *out, kv_error *err) {
  sim_view *v = b->state;
  sim_replica *r = v->r;
  /* time-slicing: the step starts when both the model and the GPU are
   * ready; sim_idle_until never moves the GPU's clock backwards */
  sim_idle_until(&r->b, v->now);
  const kv_model *m = r->b.model;
  kv_vmm_state vmm = r->vmm;
  r->b.model = v->b.model;
  r->vmm = v->vmm;
  kv_status st = sim_step(&r->b, ops, out, err);
  v->vmm = r->vmm;
  r->vmm = vmm;
  r->b.model = m;
  v->now = sim_now(&r->b);
  return st;
}

static kv_status view_run(kv_backend *b, kv_status (*main_fn)(void *),
                          void *arg, kv_error *err) {
  sim_view *v = b->state;
  return sim_run(&v->r->b, main_fn, arg, err);
}

static void view_describe(kv_backend *b, char *buf, size_t n) {
  sim_view *v = b->state;
  snprintf(buf, n, "%s; gpu time-sliced among models", v->r->w->desc);
}

static void view_destroy(kv_backend *b) {
  if (b) free(b->state);
}

static const kv_backend_vt sim_view_vt = {
    .version = 1,
    .name = "simgrid",
    .run = view_run,               /* the replica's run */
    .now = view_now,               /* the model's own clock */
    .idle_until = view_idle_until, /* the model's clock only */
    .step = view_step,             /* on the replica, from when it is free */
    .describe = view_describe,     /* the replica's, time-sliced */
    .destroy = view_destroy,
};

kv_backend *sim_gpu_view(kv_backend *b, const kv_model *m, kv_error *err) {
  sim_replica *r = b->state;
  sim_world *w = r->w;
  if (!m) {
    kv_error_set(err, KV_EINVAL, "sim backend: gpu_view: model is NULL");
    return NULL;
  }
  if (w->tp != 1) {
    kv_error_set(err, KV_EINVAL,
                 "tp: models time-slicing one GPU run on one GPU each; the "
                 "SimGrid backend was made with tp %u",
                 w->tp);
    return NULL;
  }
  if (w->replicas_n != 1 || w->grown || r->done || r->in_actor) {
    kv_error_set(err, KV_EINVAL,
                 "sim backend: gpu_view needs a one-replica backend that has "
                 "not run yet");
    return NULL;
  }
  sim_view *v = kv_xcalloc(1, sizeof *v);
  v->r = r;
  v->b.vt = &sim_view_vt;
  v->b.platform = b->platform;
  v->b.model = m;
  v->b.tp = 1;
  v->b.flags = b->flags;
  v->b.state = v;
  return &v->b;
}

void kv_sim_get_counters(const kv_backend *b, kv_sim_counters *out) {
  const sim_replica *r = b->vt == &sim_view_vt ? ((const sim_view *)b->state)->r
                                               : (const sim_replica *)b->state;
  *out = r->ctr;
}
