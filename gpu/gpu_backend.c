/* gpu_backend.c - the GPU backend's vtable: create / destroy, one step, the
 * clock, and the factory for kv_run_spec.
 *
 * One step, in op order:
 *   1. ops not flagged KV_OPF_BACKGROUND: VMM calls on this thread (timed on
 *      the monotonic clock, they are synchronous), copies and table writes
 *      enqueued on the step stream between CUDA events;
 *   2. the COMPUTE op's stand-in (gpu_compute.c) on the same stream, after
 *      them, between CUDA events;
 *   3. background ops on a thread of their own (VMM calls) or the
 *      background stream (copies) while the compute runs; the step ends when
 *      both are done.
 * Ops take effect in list order. A copy is only enqueued when its op comes
 * up, while a VMM call takes effect at once on the host, so before a VMM op
 * that can take memory away from a copy enqueued earlier (unmap, release,
 * free of the range, or an access change) the host waits for the copies
 * enqueued so far: the stream (critical ops), an event after the last
 * critical copy (background VMM ops) or the background stream (background
 * copies). A vmm swap-out (D2H copy, then unmap and release of its pages)
 * relies on this. Background copies start after the step's critical
 * copies (the background stream waits for the event after the last one).
 * A critical op listed after background ops runs before them (step 1) when
 * it touches none of what they touch (handle ids, VA / device ranges, host
 * ranges: plan_step()); create and set-access need no check, since the
 * handle and pending-access queues are kept per lane (gpu_vmm.c). When one
 * does depend on a background op listed before it (a request preempted
 * after its map-ahead, a prefetched request compacted in the same step),
 * the step runs every op inline, in list order, and counts in
 * totals.inline_steps.
 * The step's duration is the CUDA-event time from before (1) to after (3);
 * the clock is the sum of step durations plus the idle gaps the engine asks
 * for with idle_until, which are added without sleeping.
 * gpu_step() runs a step: step_plan_make() (which op runs where),
 * step_critical() (1), the compute (2), step_background() (3),
 * step_op_times() and the totals.
 * Main entry points: kv_backend_gpu_create(), kv_gpu_backend_for_run().
 */
#include "gpu_internal.h"

#include "util.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define FIXED_EVENTS 5 /* step start / end, compute start / end, bg done */

void kv_gpu_options_defaults(kv_gpu_options *o) {
  memset(o, 0, sizeof *o);
  o->weight_buffer = 256ull << 20;
  o->copy_sms = 8;
  o->background_thread = 1;
  o->compute = 1;
}

int kv_gpu_available(void) {
  int n = 0;
  if (cudaGetDeviceCount(&n) != cudaSuccess) {
    cudaGetLastError(); /* clear the sticky "no device" error */
    return 0;
  }
  return n > 0;
}

static gpu_state *st(kv_backend *b) {
  return b->state;
}

static kv_status events_ensure(gpu_state *s, size_t n, kv_error *err) {
  if (n <= s->nevents) return KV_OK;
  size_t cap = s->nevents ? s->nevents : 64;
  while (cap < n)
    cap *= 2;
  s->events = kv_xrealloc(s->events, cap * sizeof *s->events);
  for (size_t i = s->nevents; i < cap; i++) {
    s->events[i] = NULL;
    GPU_RT(cudaEventCreate(&s->events[i]));
    s->nevents = i + 1;
  }
  return KV_OK;
}

static kv_status elapsed(gpu_state *s, size_t a, size_t b, double *out,
                         kv_error *err) {
  float ms = 0;
  GPU_RT(cudaEventElapsedTime(&ms, s->events[a], s->events[b]));
  *out = 1e-3 * (double)ms;
  return KV_OK;
}

/* ---- background work ---- */

typedef struct bg_job {
  gpu_state *s;
  const kv_op_list *l;
  const size_t *idx; /* op indices, in order */
  size_t n;
  const size_t *ev; /* first event of each op (copies) */
  size_t crit_done; /* event after the step's last critical copy, 0 none */
  size_t crit_copy; /* the same, for background copies (they wait on it) */
  double driver;    /* s of VMM calls */
  double *vmm_dt;   /* per op */
  kv_error err;
  kv_status rc;
} bg_job;

static kv_status bg_run(bg_job *j) {
  gpu_state *s = j->s;
  kv_error *err = &j->err;
  GPU_DRV(s->drv.CtxSetCurrent(s->ctx));
  int bg_copy_pending = 0;
  for (size_t k = 0; k < j->n; k++) {
    const kv_op *op = &j->l->ops[j->idx[k]];
    kv_status rc;
    if (kv_op_is_vmm(op)) {
      /* the critical copies come before every background op in list
       * order; wait for them (not for the compute behind them) */
      if (kv_op_waits_for_copies(op) && j->crit_done) {
        GPU_RT(cudaEventSynchronize(s->events[j->crit_done]));
        j->crit_done = 0;
      }
      if (kv_op_waits_for_copies(op) && bg_copy_pending) {
        GPU_RT(cudaStreamSynchronize(s->bg_stream));
        bg_copy_pending = 0;
      }
      rc = gpu_vmm_exec(s, j->l, op, &j->vmm_dt[k], err);
      j->driver += j->vmm_dt[k];
    } else {
      /* a background copy may use what a critical copy of the step reads
       * or writes (slots an eviction just freed): it starts after them */
      if (j->crit_copy) {
        GPU_RT(cudaStreamWaitEvent(s->bg_stream, s->events[j->crit_copy], 0));
        j->crit_copy = 0;
      }
      GPU_RT(cudaEventRecord(s->events[j->ev[k]], s->bg_stream));
      rc = gpu_copy_exec(s, j->l, op, s->bg_stream, err);
      if (rc == KV_OK)
        GPU_RT(cudaEventRecord(s->events[j->ev[k] + 1], s->bg_stream));
      bg_copy_pending = 1;
    }
    if (rc != KV_OK) return rc;
  }
  return KV_OK;
}

static void *bg_main(void *arg) {
  bg_job *j = arg;
  j->rc = bg_run(j);
  return NULL;
}

/* ---- which critical ops may run before the background ops ---- */

/* What an op touches: a handle id, a range of VA / device offsets, a range
 * of host tier offsets, or everything (runs not recorded, teardown). */
enum { SP_HANDLE, SP_DEV, SP_HOST, SP_ALL };

typedef struct span {
  uint64_t lo, hi; /* [lo, hi) */
  int space;
} span;

typedef struct span_vec {
  span *v;
  size_t n, cap;
} span_vec;

static void span_add(span_vec *sv, int space, uint64_t lo, uint64_t bytes) {
  if (sv->n == sv->cap) {
    sv->cap = sv->cap ? 2 * sv->cap : 64;
    sv->v = kv_xrealloc(sv->v, sv->cap * sizeof *sv->v);
  }
  sv->v[sv->n++] = (span){lo, lo + (bytes ? bytes : 1), space};
}

/* Append what `op` touches to sv. VMM_CREATE and VMM_SET_ACCESS name no
 * handle or range (their queues are per lane); TABLE_WRITE copies the
 * backend's own staging buffer. */
static void op_spans(const kv_op_list *l, const kv_op *op, span_vec *sv) {
  const kv_run *runs = l->runs + op->runs_first;
  switch ((kv_op_kind)op->kind) {
  case KV_OP_VMM_RESERVE:
  case KV_OP_VMM_FREE_VA: span_add(sv, SP_DEV, op->addr, op->bytes); break;
  case KV_OP_VMM_MAP:
  case KV_OP_VMM_UNMAP:
  case KV_OP_VMM_RELEASE:
    if (op->runs_n == 0 || !l->record_runs) {
      span_add(sv, SP_ALL, 0, 0);
      break;
    }
    for (uint32_t r = 0; r < op->runs_n; r++) {
      span_add(sv, SP_HANDLE, runs[r].src, 1);
      if (op->kind != KV_OP_VMM_RELEASE)
        span_add(sv, SP_DEV, runs[r].dst, runs[r].bytes);
    }
    break;
  case KV_OP_COPY:
    if (op->runs_n == 0 || !l->record_runs) {
      span_add(sv, SP_ALL, 0, 0);
      break;
    }
    for (uint32_t r = 0; r < op->runs_n; r++) {
      int src = op->dir == KV_COPY_H2D ? SP_HOST : SP_DEV;
      int dst = op->dir == KV_COPY_D2H ? SP_HOST : SP_DEV;
      span_add(sv, src, runs[r].src, runs[r].bytes);
      span_add(sv, dst, runs[r].dst, runs[r].bytes);
    }
    break;
  default: break;
  }
}

static int spans_meet(const span_vec *a, size_t a0, const span_vec *b) {
  for (size_t i = a0; i < a->n; i++)
    for (size_t j = 0; j < b->n; j++) {
      const span *x = &a->v[i], *y = &b->v[j];
      if (x->space == SP_ALL || y->space == SP_ALL) return 1;
      if (x->space == y->space && x->lo < y->hi && y->lo < x->hi) return 1;
    }
  return 0;
}

/* 1 when the step's background ops may run on the thread: no critical op
 * depends on a background op listed before it. *hoisted = critical ops
 * listed after a background op (they run before it). */
static int plan_step(const kv_op_list *ops, size_t *hoisted) {
  span_vec bg = {0}, cur = {0};
  int ok = 1, seen_bg = 0;
  *hoisted = 0;
  for (size_t i = 0; i < ops->n && ok; i++) {
    const kv_op *op = &ops->ops[i];
    if (op->kind == KV_OP_COMPUTE || op->kind == KV_OP_ATTN_READ) continue;
    if (op->flags & KV_OPF_BACKGROUND) {
      seen_bg = 1;
      op_spans(ops, op, &bg);
    } else if (seen_bg) {
      cur.n = 0;
      op_spans(ops, op, &cur);
      if (spans_meet(&cur, 0, &bg))
        ok = 0;
      else
        (*hoisted)++;
    }
  }
  free(bg.v);
  free(cur.v);
  if (!ok) *hoisted = 0;
  return ok;
}

/* ---- step ---- */

/* As GPU_RT, but through the step's cleanup. */
#define STEP_RT(call)                                                          \
  do {                                                                         \
    cudaError_t step_e_ = (call);                                              \
    if (step_e_ != cudaSuccess) {                                              \
      rc = kv_error_set(err, KV_EBACKEND, "%s:%d: %s: %s", __FILE__, __LINE__, \
                        #call, cudaGetErrorString(step_e_));                   \
      goto out;                                                                \
    }                                                                          \
  } while (0)

/* One step's plan (gpu_step()): where each op runs and what it records.
 * ev[i] is op i's pair of CUDA events (ev[i], ev[i] + 1) around a copy or
 * table write (0: a VMM op, the compute or an attention read), nev the
 * events the step uses (the FIXED_EVENTS first); bg[0..nbg) the ops run
 * on the background thread, in list order (none unless use_bg); vmm_dt[i]
 * op i's VMM call time; avoid[0..navoid) the pages the background ops
 * unmap, which the compute stand-in does not read. */
typedef struct step_plan {
  size_t *ev, *bg;
  double *vmm_dt;
  gpu_range *avoid;
  size_t nbg, navoid, navoid_cap, nev;
  const kv_op *compute;
  uint64_t attn_extra; /* the ATTN_READ ops' bytes */
  int use_bg;          /* background ops run on the thread */
  int any_bg;          /* the step has background ops */
  size_t hoisted;      /* critical ops run before background ops listed
                          before them (plan_step()) */
} step_plan;

/* Fill *p for ops: background ops go to the thread unless a critical op
 * listed after one of them touches what it touches (plan_step()): that
 * step runs every op inline, in order. */
static void step_plan_make(gpu_state *s, const kv_op_list *ops, step_plan *p) {
  size_t n = ops->n;
  memset(p, 0, sizeof *p);
  p->ev = kv_xcalloc(n ? n : 1, sizeof *p->ev);
  p->bg = kv_xmalloc((n ? n : 1) * sizeof *p->bg);
  p->vmm_dt = kv_xcalloc(n ? n : 1, sizeof *p->vmm_dt);
  p->nev = FIXED_EVENTS;
  p->use_bg = s->opt.background_thread;
  for (size_t i = 0; i < n && !p->any_bg; i++)
    p->any_bg = (ops->ops[i].flags & KV_OPF_BACKGROUND) &&
                ops->ops[i].kind != KV_OP_COMPUTE &&
                ops->ops[i].kind != KV_OP_ATTN_READ;
  if (p->use_bg && p->any_bg) p->use_bg = plan_step(ops, &p->hoisted);
  /* classify: background ops, event slots, pages the background unmaps */
  for (size_t i = 0; i < n; i++) {
    const kv_op *op = &ops->ops[i];
    if (op->kind == KV_OP_COMPUTE) {
      p->compute = op;
      continue;
    }
    if (op->kind == KV_OP_ATTN_READ) {
      p->attn_extra += op->bytes;
      continue;
    }
    if (!kv_op_is_vmm(op)) {
      p->ev[i] = p->nev;
      p->nev += 2;
    }
    if ((op->flags & KV_OPF_BACKGROUND) && p->use_bg) {
      p->bg[p->nbg++] = i;
      if (op->kind == KV_OP_VMM_UNMAP)
        for (uint32_t r = 0; r < op->runs_n; r++) {
          uint64_t id = ops->runs[op->runs_first + r].src;
          if (id >= s->handles_cap || !s->handles[id].mapped) continue;
          if (p->navoid == p->navoid_cap) {
            p->navoid_cap = p->navoid_cap ? 2 * p->navoid_cap : 64;
            p->avoid = kv_xrealloc(p->avoid, p->navoid_cap * sizeof *p->avoid);
          }
          p->avoid[p->navoid++] = (gpu_range){s->handles[id].mapped, 0, 0};
        }
    }
  }
}

static void step_plan_free(step_plan *p) {
  free(p->ev);
  free(p->bg);
  free(p->vmm_dt);
  free(p->avoid);
}

/* 1. The critical ops, in order, on this thread and the step stream.
 * *crit_done: the event after the last critical copy (0 none);
 * *copy_pending: critical copies enqueued since the last wait. */
static kv_status step_critical(gpu_state *s, const kv_op_list *ops,
                               step_plan *p, kv_step_time *out,
                               size_t *crit_done, int *copy_pending,
                               kv_error *err) {
  kv_status rc = KV_OK;
  for (size_t i = 0; i < ops->n && rc == KV_OK; i++) {
    const kv_op *op = &ops->ops[i];
    if (op->kind == KV_OP_COMPUTE || op->kind == KV_OP_ATTN_READ) continue;
    if ((op->flags & KV_OPF_BACKGROUND) && p->use_bg) continue;
    if (kv_op_is_vmm(op)) {
      /* in list order: the copies enqueued before this call finish first
       * when it could take their memory away (a vmm swap-out's D2H copy,
       * then the unmap and release of the same pages). The wait is part of
       * the step's time, not of the driver call's. */
      if (*copy_pending && kv_op_waits_for_copies(op)) {
        STEP_RT(cudaStreamSynchronize(s->stream));
        *copy_pending = 0;
      }
      rc = gpu_vmm_exec(s, ops, op, &p->vmm_dt[i], err);
      out->by_kind[op->kind] += p->vmm_dt[i];
      out->op_critical += p->vmm_dt[i];
      out->driver_critical += p->vmm_dt[i];
      s->totals.driver_calls += op->count;
      continue;
    }
    cudaError_t e = cudaEventRecord(s->events[p->ev[i]], s->stream);
    if (e == cudaSuccess) rc = gpu_copy_exec(s, ops, op, s->stream, err);
    if (e == cudaSuccess && rc == KV_OK)
      e = cudaEventRecord(s->events[p->ev[i] + 1], s->stream);
    *copy_pending = 1;
    *crit_done = p->ev[i] + 1;
    if (e != cudaSuccess)
      rc = kv_error_set(err, KV_EBACKEND, "%s:%d: cudaEventRecord: %s",
                        __FILE__, __LINE__, cudaGetErrorString(e));
  }
out:
  return rc;
}

/* 3. The background ops, on the kept worker thread (gpu_worker_call), or
 * a thread of their own (background_thread = 2); crit_done: the event
 * after the last critical copy while critical copies are pending, else 0.
 * Their VMM call times go to p->vmm_dt. */
static kv_status step_background(gpu_state *s, const kv_op_list *ops,
                                 step_plan *p, size_t crit_done,
                                 kv_error *err) {
  size_t nbg = p->nbg;
  pthread_t th;
  bg_job job = {.s = s,
                .l = ops,
                .idx = p->bg,
                .n = nbg,
                .crit_done = crit_done,
                .crit_copy = crit_done,
                .rc = KV_OK};
  size_t *bev = kv_xmalloc(nbg * sizeof *bev);
  double *bdt = kv_xcalloc(nbg, sizeof *bdt);
  for (size_t k = 0; k < nbg; k++)
    bev[k] = p->ev[p->bg[k]];
  job.ev = bev;
  job.vmm_dt = bdt;
  int started = 0;
  if (s->opt.background_thread == 2) {
    if (pthread_create(&th, NULL, bg_main, &job) == 0) {
      pthread_join(th, NULL);
      started = 1;
    }
  } else {
    started = gpu_worker_call(&s->worker, bg_main, &job) == 0;
  }
  if (!started) {
    job.rc = kv_error_set(&job.err, KV_EBACKEND,
                          "gpu: cannot start the background thread");
  }
  for (size_t k = 0; k < nbg; k++)
    p->vmm_dt[p->bg[k]] = bdt[k];
  free(bev);
  free(bdt);
  if (job.rc != KV_OK) {
    if (err) *err = job.err;
    return job.rc;
  }
  return KV_OK;
}

/* Each op's time from its events (copies, table writes) or its VMM call,
 * into out: critical or hidden (a background op run on the thread). */
static kv_status step_op_times(gpu_state *s, const kv_op_list *ops,
                               const step_plan *p, kv_step_time *out,
                               kv_error *err) {
  kv_status rc;
  for (size_t i = 0; i < ops->n; i++) {
    const kv_op *op = &ops->ops[i];
    if (op->kind == KV_OP_COMPUTE || op->kind == KV_OP_ATTN_READ) continue;
    int hidden = (op->flags & KV_OPF_BACKGROUND) && p->use_bg;
    double t = p->vmm_dt[i];
    if (!kv_op_is_vmm(op)) {
      if ((rc = elapsed(s, p->ev[i], p->ev[i] + 1, &t, err)) != KV_OK)
        return rc;
      s->totals.copy_time += t;
      if (!hidden) {
        out->by_kind[op->kind] += t;
        out->op_critical += t;
      }
    }
    if (hidden) {
      out->by_kind[op->kind] += t;
      out->op_hidden += t;
      if (kv_op_is_vmm(op)) {
        out->driver_hidden += t;
        s->totals.driver_calls += op->count;
      }
    }
  }
  return KV_OK;
}

static kv_status gpu_step(kv_backend *b, const kv_op_list *ops,
                          kv_step_time *out, kv_error *err) {
  gpu_state *s = st(b);
  memset(out, 0, sizeof *out);
  gpu_copy_step_begin(s);
  step_plan p;
  size_t crit_done = 0; /* event after the last critical copy, 0 none */
  int copy_pending = 0; /* critical copies enqueued since the last wait */
  kv_status rc = KV_OK;

  if ((rc = gpu_probe_step(s, err)) != KV_OK) {
    memset(&p, 0, sizeof p);
    goto out;
  }
  step_plan_make(s, ops, &p);
  if ((rc = events_ensure(s, p.nev, err)) != KV_OK) goto out;
  STEP_RT(cudaEventRecord(s->events[0], s->stream));

  /* 1. critical ops, in order */
  rc = step_critical(s, ops, &p, out, &crit_done, &copy_pending, err);
  if (rc != KV_OK) goto out;

  /* 2. compute stand-in, enqueued before the background thread touches the
   * handle tables it reads */
  if (p.compute && s->opt.compute) {
    STEP_RT(cudaEventRecord(s->events[2], s->stream));
    rc = gpu_compute_exec(s, b->model, b->tp, p.compute, p.attn_extra, p.avoid,
                          p.navoid, err);
    if (rc != KV_OK) goto out;
    STEP_RT(cudaEventRecord(s->events[3], s->stream));
  }

  /* 3. background ops beside it */
  if (p.nbg > 0) {
    rc = step_background(s, ops, &p, copy_pending ? crit_done : 0, err);
    if (rc != KV_OK) goto out;
  }
  STEP_RT(cudaEventRecord(s->events[4], s->bg_stream));
  STEP_RT(cudaStreamWaitEvent(s->stream, s->events[4], 0));
  STEP_RT(cudaEventRecord(s->events[1], s->stream));
  STEP_RT(cudaStreamSynchronize(s->stream));
  STEP_RT(cudaStreamSynchronize(s->bg_stream));

  /* timings */
  if ((rc = elapsed(s, 0, 1, &out->total, err)) != KV_OK) goto out;
  if (p.compute && s->opt.compute) {
    if ((rc = elapsed(s, 2, 3, &out->compute, err)) != KV_OK) goto out;
    out->by_kind[KV_OP_COMPUTE] += out->compute;
  }
  if ((rc = step_op_times(s, ops, &p, out, err)) != KV_OK) goto out;
  s->clock += out->total;
  s->totals.steps += 1;
  if (p.any_bg && s->opt.background_thread && !p.use_bg)
    s->totals.inline_steps += 1;
  s->totals.hoisted_ops += (double)p.hoisted;
  s->totals.step_time += out->total;
  s->totals.driver_critical += out->driver_critical;
  s->totals.driver_hidden += out->driver_hidden;
  s->totals.compute_time += out->compute;
out:
  if (rc != KV_OK) {
    /* leave the device idle so destroy can release everything */
    cudaStreamSynchronize(s->stream);
    cudaStreamSynchronize(s->bg_stream);
    cudaGetLastError();
    kv_error_prefix(err, "gpu step: ");
  }
  step_plan_free(&p);
  return rc;
}

/* ---- vtable ---- */

static kv_status gpu_run(kv_backend *b, kv_status (*main_fn)(void *arg),
                         void *arg, kv_error *err) {
  (void)b;
  (void)err;
  return main_fn(arg);
}

static double gpu_now(kv_backend *b) {
  return st(b)->clock;
}

static void gpu_idle_until(kv_backend *b, double t) {
  gpu_state *s = st(b);
  if (t > s->clock) {
    s->totals.idle_time += t - s->clock;
    s->clock = t;
  }
}

static void gpu_describe(kv_backend *b, char *buf, size_t n) {
  gpu_state *s = st(b);
  struct cudaDeviceProp p;
  const char *name = "?";
  if (cudaGetDeviceProperties(&p, s->opt.device) == cudaSuccess) name = p.name;
  snprintf(buf, n,
           "gpu (device %d %s, %d SMs; budget %.2f GB, pool %.2f GB, host "
           "tier %.2f GB, weight buffer %.0f MiB, copy kernels on %d SMs, "
           "background thread %s; step time from CUDA events, idle gaps added "
           "to the clock without sleeping; platform %s for reference)",
           s->opt.device, name, s->num_sms, (double)s->budget / 1e9,
           (double)s->pool_bytes / 1e9, (double)s->host_bytes / 1e9,
           (double)s->weights_bytes / 1048576.0, s->opt.copy_sms,
           s->opt.background_thread == 2   ? "new each step"
           : s->opt.background_thread == 1 ? "kept"
                                           : "off",
           b->platform->name);
}

static void gpu_destroy(kv_backend *b) {
  if (!b) return;
  gpu_state *s = b->state;
  if (s) {
    gpu_worker_stop(&s->worker);
    if (s->ctx) s->drv.CtxSetCurrent(s->ctx);
    cudaDeviceSynchronize();
    if (s->drv_loaded) gpu_vmm_release_all(s);
    gpu_probe_close(s);
    gpu_compute_free(s);
    cudaFree(s->pool);
    cudaFreeHost(s->host);
    cudaFree(s->table_dev);
    cudaFreeHost(s->table_host);
    cudaFreeHost(s->idx);
    for (size_t i = 0; i < s->nevents; i++)
      if (s->events[i]) cudaEventDestroy(s->events[i]);
    free(s->events);
    if (s->stream) cudaStreamDestroy(s->stream);
    if (s->bg_stream) cudaStreamDestroy(s->bg_stream);
    if (s->ctx) s->drv.DevicePrimaryCtxRelease(s->dev);
    cudaGetLastError();
    gpu_call_log_close(s);
    free(s);
  }
  free(b);
}

static const kv_backend_vt gpu_vt = {
    .version = 1,
    .name = "gpu",
    .run = gpu_run,               /* calls the engine loop directly */
    .now = gpu_now,               /* measured step times + idle gaps */
    .idle_until = gpu_idle_until, /* adds the gap, does not sleep */
    .step = gpu_step,             /* real calls, kernels and copies */
    .describe = gpu_describe,
    .destroy = gpu_destroy,
};

static kv_status gpu_init(gpu_state *s, const kv_model *m, uint32_t tp,
                          kv_error *err) {
  int ndev = 0;
  cudaError_t e = cudaGetDeviceCount(&ndev);
  if (e != cudaSuccess || ndev == 0) {
    cudaGetLastError();
    return kv_error_set(err, KV_EBACKEND, "gpu: no CUDA device (%s)",
                        e != cudaSuccess ? cudaGetErrorString(e) : "count 0");
  }
  if (s->opt.device < 0 || s->opt.device >= ndev)
    return kv_error_set(err, KV_EINVAL,
                        "gpu: device %d does not exist (%d devices)",
                        s->opt.device, ndev);
  GPU_RT(cudaSetDevice(s->opt.device));
  GPU_RT(cudaFree(0));
  kv_status log_rc = gpu_call_log_open(s, err);
  if (log_rc != KV_OK) return log_rc;
  if ((log_rc = gpu_probe_open(s, err)) != KV_OK) return log_rc;
  cudaError_t drv_e = cudaSuccess;
  int drv_q = 0;
  const char *missing = gpu_drv_fetch(&s->drv, &drv_e, &drv_q);
  if (missing)
    return kv_error_set(err, KV_EBACKEND,
                        "%s:%d: driver entry point %s not found (%s, query "
                        "result %d)",
                        __FILE__, __LINE__, missing, cudaGetErrorString(drv_e),
                        drv_q);
  s->drv_loaded = 1;
  GPU_DRV(s->drv.Init(0));
  GPU_DRV(s->drv.DeviceGet(&s->dev, s->opt.device));
  GPU_DRV(s->drv.DevicePrimaryCtxRetain(&s->ctx, s->dev));
  GPU_DRV(s->drv.CtxSetCurrent(s->ctx));
  int vmm = 0;
  GPU_DRV(s->drv.DeviceGetAttribute(
      &vmm, CU_DEVICE_ATTRIBUTE_VIRTUAL_MEMORY_MANAGEMENT_SUPPORTED, s->dev));
  if (!vmm)
    return kv_error_set(err, KV_EBACKEND,
                        "gpu: device %d does not support CUDA VMM",
                        s->opt.device);
  CUmemAllocationProp prop;
  memset(&prop, 0, sizeof prop);
  prop.type = CU_MEM_ALLOCATION_TYPE_PINNED;
  prop.location.type = CU_MEM_LOCATION_TYPE_DEVICE;
  prop.location.id = (int)s->dev;
  size_t gran = 0;
  GPU_DRV(s->drv.MemGetAllocationGranularity(&gran, &prop,
                                             CU_MEM_ALLOC_GRANULARITY_MINIMUM));
  s->granularity = gran;
  GPU_RT(cudaDeviceGetAttribute(&s->num_sms, cudaDevAttrMultiProcessorCount,
                                s->opt.device));
  size_t free_b = 0, total_b = 0;
  GPU_RT(cudaMemGetInfo(&free_b, &total_b));
  s->budget = s->opt.device_budget ? s->opt.device_budget
                                   : (uint64_t)(0.9 * (double)free_b);
  if (s->budget > free_b)
    return kv_error_set(err, KV_ENOMEM,
                        "gpu: device_budget %.3f GB exceeds the %.3f GB free "
                        "on device %d",
                        (double)s->budget / 1e9, (double)free_b / 1e9,
                        s->opt.device);
  /* pool and buffers must fit the budget before anything is taken */
  uint64_t fixed = s->opt.pool_bytes + s->opt.weight_buffer + (64ull << 20);
  if (fixed > s->budget)
    return kv_error_set(err, KV_ENOMEM,
                        "gpu: pool %.3f GB + weight buffer %.3f GB + scratch "
                        "exceed the device_budget of %.3f GB (free on the "
                        "device: %.3f GB); lower the KV capacity or pool_bytes",
                        (double)s->opt.pool_bytes / 1e9,
                        (double)s->opt.weight_buffer / 1e9,
                        (double)s->budget / 1e9, (double)free_b / 1e9);
  GPU_RT(cudaStreamCreateWithFlags(&s->stream, cudaStreamNonBlocking));
  GPU_RT(cudaStreamCreateWithFlags(&s->bg_stream, cudaStreamNonBlocking));
  kv_status rc = events_ensure(s, 64, err);
  if (rc != KV_OK) return rc;
  if (s->opt.pool_bytes) {
    GPU_RT(cudaMalloc((void **)&s->pool, s->opt.pool_bytes));
    s->pool_bytes = s->opt.pool_bytes;
  }
  if (s->opt.host_bytes) {
    GPU_RT(cudaHostAlloc((void **)&s->host, s->opt.host_bytes,
                         cudaHostAllocMapped));
    s->host_bytes = s->opt.host_bytes;
  }
  s->batch_ok = 1;
  s->table_bytes = 1u << 20;
  GPU_RT(cudaMalloc(&s->table_dev, s->table_bytes));
  GPU_RT(cudaHostAlloc(&s->table_host, s->table_bytes, 0));
  memset(s->table_host, 0, s->table_bytes);
  s->scratch_bytes = s->table_bytes;
  if ((rc = gpu_compute_init(s, m, tp, err)) != KV_OK) return rc;
  if (s->pool_bytes + s->scratch_bytes > s->budget)
    return kv_error_set(err, KV_ENOMEM,
                        "gpu: pool %.3f GB + buffers %.3f GB exceed the "
                        "device_budget of %.3f GB",
                        (double)s->pool_bytes / 1e9,
                        (double)s->scratch_bytes / 1e9,
                        (double)s->budget / 1e9);
  GPU_RT(cudaDeviceSynchronize());
  return KV_OK;
}

kv_backend *kv_backend_gpu_create(const kv_platform *p, const kv_model *m,
                                  uint32_t tp, const kv_gpu_options *opt,
                                  kv_error *err) {
  if (!p || !m) {
    kv_error_set(err, KV_EINVAL, "gpu backend needs a platform and a model");
    return NULL;
  }
  if (opt && (opt->background_thread < 0 || opt->background_thread > 2)) {
    kv_error_set(err, KV_EINVAL,
                 "gpu backend: background_thread = %d: 0 (inline), 1 (a "
                 "thread kept) or 2 (a new thread each step)",
                 opt->background_thread);
    return NULL;
  }
  kv_backend *b = kv_xcalloc(1, sizeof *b);
  gpu_state *s = kv_xcalloc(1, sizeof *s);
  b->vt = &gpu_vt;
  b->platform = p;
  b->model = m;
  b->tp = tp ? tp : 1;
  b->flags = KV_BACKEND_NEEDS_RUNS; /* copies and maps need addresses */
  b->state = s;
  if (opt)
    s->opt = *opt;
  else
    kv_gpu_options_defaults(&s->opt);
  if (gpu_init(s, m, b->tp, err) != KV_OK) {
    kv_error_prefix(err, "gpu backend: ");
    gpu_destroy(b);
    return NULL;
  }
  return b;
}

kv_status kv_gpu_device_ptr(kv_backend *b, uint64_t off, uint64_t bytes,
                            void **out, kv_error *err) {
  *out = gpu_dev_addr(st(b), off, bytes);
  if (!*out)
    return kv_error_set(err, KV_EINVAL,
                        "gpu: device offset %" PRIu64 " (+%" PRIu64
                        ") is not backed",
                        off, bytes);
  return KV_OK;
}

kv_status kv_gpu_host_ptr(kv_backend *b, uint64_t off, uint64_t bytes,
                          void **out, kv_error *err) {
  gpu_state *s = st(b);
  if (!s->host || off + bytes > s->host_bytes) {
    *out = NULL;
    return kv_error_set(err, KV_EINVAL,
                        "gpu: host offset %" PRIu64 " (+%" PRIu64
                        ") outside the %" PRIu64 "-byte host tier",
                        off, bytes, s->host_bytes);
  }
  *out = s->host + off;
  return KV_OK;
}

void kv_gpu_get_totals(kv_backend *b, kv_gpu_totals *out) {
  *out = st(b)->totals;
}

/* ---- factory ---- */

kv_backend *kv_gpu_backend_for_run(const kv_run_spec *spec,
                                   const kv_gpu_options *opt, kv_error *err) {
  kv_gpu_options o;
  if (opt)
    o = *opt;
  else
    kv_gpu_options_defaults(&o);
  const kv_engine_cfg *c = &spec->engine;
  if (!c->strategy || !c->model || !c->platform) {
    kv_error_set(err, KV_EINVAL,
                 "gpu backend: the run needs a strategy, a model and a "
                 "platform");
    return NULL;
  }
  uint64_t cap = 0;
  if (kv_engine_kv_capacity(c, &cap, err) != KV_OK) return NULL;
  if (o.device_budget == 0) {
    size_t free_b = 0, total_b = 0;
    if (!kv_gpu_available() ||
        cudaMemGetInfo(&free_b, &total_b) != cudaSuccess) {
      cudaGetLastError();
      kv_error_set(err, KV_EBACKEND, "gpu backend: no usable CUDA device");
      return NULL;
    }
    o.device_budget = (uint64_t)(0.9 * (double)free_b);
  }
  uint64_t room = o.weight_buffer + (256ull << 20);
  if (cap + room > o.device_budget) {
    kv_error_set(
        err, KV_ENOMEM,
        "gpu backend: the run's KV capacity of %.3f GB per GPU does "
        "not fit the device_budget of %.3f GB (less %.3f GB of "
        "buffers): set kv_capacity to at most %.3f GB",
        (double)cap / 1e9, (double)o.device_budget / 1e9, (double)room / 1e9,
        o.device_budget > room ? (double)(o.device_budget - room) / 1e9 : 0.0);
    return NULL;
  }
  if (o.pool_bytes == 0 && c->strategy->pool == KV_POOL_DEVICE)
    o.pool_bytes = cap; /* the strategy's device offsets live in it */
  if (o.host_bytes == 0) o.host_bytes = c->scfg.host_bytes;
  return kv_backend_gpu_create(c->platform, c->model, c->tp, &o, err);
}
