/* validate_gpu_recorder.c - validate_gpu's recorder: a backend that wraps
 * the measured one (GPU or ideal), forwards every call to it and records
 * each step in a step_rec (validate_gpu.h): the ops' totals by kind, the
 * VMM calls of critical and background ops, the step's times and, for the
 * GPU backend, whether it ran the step's background ops inline. It also
 * stops a run past its step or wall-time limit (the engine's interrupt
 * flag), and with --split executes a step as several inner steps
 * (split_step()).
 * Main entry points: recorder_wrap(), rec_of().
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "validate_gpu.h"

double wall_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

recorder *rec_of(kv_backend *b) {
  return b->state;
}

static kv_status rec_run(kv_backend *b, kv_status (*fn)(void *), void *arg,
                         kv_error *err) {
  kv_backend *in = rec_of(b)->inner;
  return in->vt->run(in, fn, arg, err);
}

static double rec_now(kv_backend *b) {
  kv_backend *in = rec_of(b)->inner;
  return in->vt->now(in);
}

static void rec_idle_until(kv_backend *b, double t) {
  kv_backend *in = rec_of(b)->inner;
  in->vt->idle_until(in, t);
}

static int is_critical(const kv_op *op) {
  return !(op->flags & KV_OPF_BACKGROUND) && op->kind != KV_OP_COMPUTE &&
         op->kind != KV_OP_ATTN_READ;
}

static void push_op_copy(kv_op_list *dst, const kv_op_list *src,
                         const kv_op *o) {
  kv_op *d = kv_ops_push(dst, (kv_op_kind)o->kind, o->req);
  size_t first = d->runs_first;
  *d = *o;
  d->runs_first = first;
  d->runs_n = 0;
  for (uint32_t r = 0; r < o->runs_n && src->record_runs; r++) {
    const kv_run *run = &src->runs[o->runs_first + r];
    kv_ops_push_run(dst, d, run->src, run->dst, run->bytes);
  }
}

static void add_time(kv_step_time *a, const kv_step_time *b) {
  a->total += b->total;
  a->compute += b->compute;
  a->op_critical += b->op_critical;
  a->op_hidden += b->op_hidden;
  a->driver_critical += b->driver_critical;
  a->driver_hidden += b->driver_hidden;
  for (int k = 0; k < KV_OP__COUNT; k++)
    a->by_kind[k] += b->by_kind[k];
}

/* With --split, a step whose critical VMM op follows a critical COPY is
 * executed as several inner steps: the critical ops before that VMM op
 * first (the step waits for them), then the rest; background ops,
 * attention reads and the compute stay in the last part. The step's times
 * are the sums of the parts'. This was the work-around for a GPU backend
 * that made a swap-out's UNMAP / RELEASE before the D2H copy of the same
 * pages had run ("unspecified launch failure"); the backend now waits for
 * such copies itself, so the default is one backend step per step. */
static kv_status split_step(recorder *r, const kv_op_list *ops,
                            kv_step_time *out, uint32_t *parts, kv_error *err) {
  kv_backend *in = r->inner;
  memset(out, 0, sizeof *out);
  *parts = 0;
  if (!r->sub_ready) {
    kv_ops_init(&r->sub, ops->record_runs);
    r->sub_ready = 1;
  }
  uint8_t *done = calloc(ops->n ? ops->n : 1, 1);
  if (!done) DIE("out of host memory");
  int copy_pending = 0;
  kv_status s = KV_OK;
  kv_step_time t;
  for (size_t i = 0; i < ops->n && s == KV_OK; i++) {
    const kv_op *op = &ops->ops[i];
    if (!is_critical(op)) continue;
    if (op->kind <= KV_OP_VMM_RELEASE && copy_pending) {
      kv_ops_clear(&r->sub);
      for (size_t j = 0; j < i; j++)
        if (!done[j] && is_critical(&ops->ops[j])) {
          push_op_copy(&r->sub, ops, &ops->ops[j]);
          done[j] = 1;
        }
      s = in->vt->step(in, &r->sub, &t, err);
      add_time(out, &t);
      (*parts)++;
      copy_pending = 0;
    }
    if (op->kind == KV_OP_COPY) copy_pending = 1;
  }
  if (s == KV_OK && *parts == 0) {
    s = in->vt->step(in, ops, out, err);
    *parts = 1;
  } else if (s == KV_OK) {
    kv_ops_clear(&r->sub);
    for (size_t j = 0; j < ops->n; j++)
      if (!done[j]) push_op_copy(&r->sub, ops, &ops->ops[j]);
    s = in->vt->step(in, &r->sub, &t, err);
    add_time(out, &t);
    (*parts)++;
  }
  free(done);
  return s;
}

static kv_status rec_step(kv_backend *b, const kv_op_list *ops,
                          kv_step_time *out, kv_error *err) {
  recorder *r = rec_of(b);
  uint32_t parts = 1;
  kv_gpu_totals before, after;
  memset(&before, 0, sizeof before);
  memset(&after, 0, sizeof after);
  if (r->gpu) kv_gpu_get_totals(r->inner, &before);
  kv_status s = r->split ? split_step(r, ops, out, &parts, err)
                         : r->inner->vt->step(r->inner, ops, out, err);
  if (s != KV_OK) return s;
  if (r->gpu) kv_gpu_get_totals(r->inner, &after);
  if (r->n == r->cap) {
    r->cap = r->cap ? 2 * r->cap : 1024;
    r->v = realloc(r->v, r->cap * sizeof *r->v);
    if (!r->v) DIE("out of host memory");
  }
  step_rec *e = &r->v[r->n++];
  if (r->n > r->max_steps && !r->stop) {
    r->stop = 1;
    r->stopped = "max-steps";
  }
  if (r->max_wall > 0 && !r->stop && wall_now() - r->wall0 > r->max_wall) {
    r->stop = 1;
    r->stopped = "max-wall";
  }
  memset(e, 0, sizeof *e);
  e->n_ops = (uint32_t)ops->n;
  e->parts = parts;
  for (size_t i = 0; i < ops->n; i++) {
    const kv_op *op = &ops->ops[i];
    if (op->kind == KV_OP_COMPUTE) {
      e->engine_step = ++r->compute_steps;
      e->compute_bytes += (double)op->bytes;
      e->compute_flops += op->flops;
      e->tokens += op->tokens;
      e->decodes += op->decodes;
      e->decode_keys += op->decode_keys;
      e->prefill_pairs += op->prefill_pairs;
    } else if (op->kind == KV_OP_COPY) {
      e->copy_bytes += (double)op->bytes;
      e->copy_runs += op->count;
      if (op->dir == KV_COPY_H2D) e->h2d_bytes += (double)op->bytes;
      if (op->dir == KV_COPY_D2H) e->d2h_bytes += (double)op->bytes;
    } else if (op->kind == KV_OP_TABLE_WRITE) {
      e->table_entries += op->count;
    }
    e->vmm_calls += kv_op_driver_calls(op);
    if (op->kind < N_VMM_KINDS && !(op->flags & KV_OPF_BACKGROUND))
      e->crit_vmm[op->kind] += kv_op_driver_calls(op);
    else if (op->kind < N_VMM_KINDS)
      e->bg_vmm += kv_op_driver_calls(op);
  }
  e->inlined = after.inline_steps > before.inline_steps;
  e->t = *out;
  e->t_end = r->inner->vt->now(r->inner);
  return KV_OK;
}

static void rec_describe(kv_backend *b, char *buf, size_t n) {
  kv_backend *in = rec_of(b)->inner;
  in->vt->describe(in, buf, n);
}

static void rec_destroy(kv_backend *b) {
  recorder *r = rec_of(b);
  r->inner->vt->destroy(r->inner);
  if (r->sub_ready) kv_ops_free(&r->sub);
  free(r->v);
  free(r);
  free(b);
}

static const kv_backend_vt recorder_vt = {
    .version = 1,
    .name = "recorder",
    .run = rec_run,
    .now = rec_now,
    .idle_until = rec_idle_until,
    .step = rec_step,
    .describe = rec_describe,
    .destroy = rec_destroy,
};

kv_backend *recorder_wrap(kv_backend *inner, int gpu, int split) {
  kv_backend *b = calloc(1, sizeof *b);
  recorder *r = calloc(1, sizeof *r);
  if (!b || !r) DIE("out of host memory");
  r->inner = inner;
  r->gpu = gpu;
  r->split = split;
  r->max_steps = MAX_STEPS;
  *b = *inner; /* platform, model, tp, flags (runs when the GPU needs them) */
  b->vt = &recorder_vt;
  b->state = r;
  return b;
}
