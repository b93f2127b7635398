/* backend_ideal.c - the ideal backend: analytic costs, no contention.
 *
 * Compute per step is a roofline over the platform's FLOP/s and HBM
 * bandwidth, or the sum of its operators from the platform's measured
 * compute table (core/inputs/compute_table.h) when it has one that covers the
 * step; every op costs a fixed amount from the platform preset (driver
 * calls what the driver costs among the handles live then, counted from
 * the op stream: kv_vmm_op_time; copies a per-copy overhead plus bytes over
 * the link, a batched copy its call plus its entries' engine time). Ops
 * flagged KV_OPF_BACKGROUND overlap compute; the rest sit on the critical
 * path before it. The engine's CPU time (the COMPUTE op's
 * cpu_time) comes before all of it, or beside it when overlapped
 * (kv_step_time_add_cpu, shared with sim/). Used by unit tests and as an
 * explicit option; the SimGrid backend (sim/) adds contention. It reads no
 * SimGrid XML platform file: kv.run refuses a platform with one for this
 * backend (core/lua/lua_run.c) rather than ignore it.
 * Main entry points: kv_backend_ideal_create(), kv_ideal_op_time().
 */
#include "backend.h"
#include "backend_desc.h"

#include "collective.h"
#include "compute_table.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

/* SMs a gather/scatter copy kernel is given by default. */
#define KV_IDEAL_COPY_SMS 8

typedef struct ideal_state {
  double now;       /* s */
  kv_ctab *ctab;    /* the platform's compute table, owned (NULL = none) */
  kv_vmm_state vmm; /* the driver's state, from the op stream */
  double *gpu;      /* shared GPU clock (several models time-slicing one GPU:
                       kv_backend_ideal_share_gpu), or NULL */
} ideal_state;

static double copy_link_bw(const kv_platform *p, kv_copy_dir dir) {
  /* device copies move every byte twice (read + write) through HBM */
  return dir == KV_COPY_D2D ? p->d2d_bw / 2.0 : p->pcie_bw;
}

double kv_ideal_compute_time(const kv_platform *p, uint32_t tp,
                             const kv_op *op) {
  double g = tp ? (double)tp : 1.0;
  double t_flops = op->flops / (p->flops * g);
  double t_bytes = kv_compute_hbm_bytes(p, op) / (p->hbm_bw * g);
  return (t_flops > t_bytes ? t_flops : t_bytes) + p->kernel_launch;
}

double kv_compute_hbm_bytes(const kv_platform *p, const kv_op *op) {
  double f = kv_platform_attn_factor(p, op->mode, op->count);
  return (double)op->bytes + (f - 1.0) * (double)op->kv_bytes;
}

double kv_ops_cpu_time(const kv_op_list *ops, int *overlap) {
  double cpu = 0;
  *overlap = 0;
  for (size_t i = 0; i < ops->n; i++) {
    const kv_op *op = &ops->ops[i];
    if (op->kind != KV_OP_COMPUTE) continue;
    cpu += op->cpu_time;
    if (op->flags & KV_OPF_CPU_OVERLAP) *overlap = 1;
  }
  return cpu;
}

double kv_step_time_add_cpu(kv_step_time *t, double cpu, int overlap) {
  if (!(cpu > 0)) return 0;
  double gpu = t->total;
  if (!overlap) {
    /* vLLM's synchronous loop: schedule, launch, wait, sample, detokenize */
    t->cpu = cpu;
    t->total = cpu + gpu;
    return cpu;
  }
  /* asynchronous scheduling: the CPU prepares the next step while the GPU
   * runs this one; the step's own CPU work stands in for the next's */
  t->cpu_hidden = cpu < gpu ? cpu : gpu;
  t->cpu = cpu - t->cpu_hidden;
  t->total = gpu + t->cpu;
  return t->cpu;
}

/* The driver call an op kind makes. */
static kv_vmm_call vmm_call_of(kv_op_kind k) {
  switch (k) {
  case KV_OP_VMM_RESERVE: return KV_VMM_RESERVE;
  case KV_OP_VMM_FREE_VA: return KV_VMM_FREE_VA;
  case KV_OP_VMM_CREATE: return KV_VMM_CREATE;
  case KV_OP_VMM_MAP: return KV_VMM_MAP;
  case KV_OP_VMM_SET_ACCESS: return KV_VMM_SET_ACCESS;
  case KV_OP_VMM_UNMAP: return KV_VMM_UNMAP;
  default: return KV_VMM_RELEASE;
  }
}

/* n calls of `call` on `bytes`, of which the first `grow` grow the pool,
 * the others priced among `others` live handles and `ranges` live ranges;
 * the first call at `cold` s instead when cold >= 0 (after a gap) */
static double vmm_calls(const kv_platform *p, kv_vmm_call call, uint64_t bytes,
                        uint64_t n, uint64_t grow, double others, double ranges,
                        int bg, double cold) {
  double g = grow ? kv_platform_vmm_grow_time(p, call, bytes) : -1.0;
  if (g < 0) grow = 0;
  double one =
      grow < n ? kv_platform_vmm_time_live(p, call, bytes, others, bg, !bg) *
                     kv_platform_vmm_live_va_factor(p, call, ranges)
               : 0.0;
  double t = (double)grow * g + (double)(n - grow) * one;
  if (cold >= 0 && n > 0) t += cold - (grow ? g : one);
  return t;
}

double kv_vmm_op_time(const kv_platform *p, const kv_op *op, kv_vmm_state *st) {
  kv_op_kind k = (kv_op_kind)op->kind;
  uint64_t n = op->count, b = op->bytes, grow = 0;
  if ((k == KV_OP_VMM_RESERVE || k == KV_OP_VMM_FREE_VA) && n == 0) n = 1;
  double l = (double)st->handles, others, ranges = 0;
  switch (k) {
  case KV_OP_VMM_CREATE: { /* the i-th create sees l + i others */
    others = l + ((double)n - 1.0) / 2.0;
    st->handles += n;
    st->bytes += n * b;
    if (st->bytes > st->high) {
      uint64_t over = st->bytes - st->high;
      grow = b ? (over + b - 1) / b : 0;
      if (grow > n) grow = n;
      st->high = st->bytes;
      st->grow_map += grow;
      st->grow_access += grow;
    }
    break;
  }
  case KV_OP_VMM_RELEASE: /* the i-th release sees l - 1 - i others */
    others = l - ((double)n + 1.0) / 2.0;
    st->handles -= n < st->handles ? n : st->handles;
    st->bytes -= n * b < st->bytes ? n * b : st->bytes;
    break;
  case KV_OP_VMM_MAP:
    grow = KV_MIN(n, st->grow_map);
    st->grow_map -= grow;
    others = l - 1.0; /* all but its handle */
    break;
  case KV_OP_VMM_SET_ACCESS:
    grow = KV_MIN(n, st->grow_access);
    st->grow_access -= grow;
    others = l - 1.0;
    break;
  case KV_OP_VMM_UNMAP: others = l - 1.0; break;
  case KV_OP_VMM_RESERVE: /* the i-th reserve sees r + i other ranges */
    others = l;
    ranges = (double)st->ranges + ((double)n - 1.0) / 2.0;
    st->ranges += n;
    break;
  default: /* free VA: the i-th sees r - 1 - i others */
    others = l;
    ranges = (double)st->ranges - ((double)n + 1.0) / 2.0;
    st->ranges -= n < st->ranges ? n : st->ranges;
    break;
  }
  if (others < 0) others = 0;
  if (ranges < 0) ranges = 0;
  /* background driver work runs while the step's kernels do; critical
   * calls come right after a step */
  int bg = (op->flags & KV_OPF_BACKGROUND) != 0;
  kv_vmm_call call = vmm_call_of(k);
  /* the first call after a gap finds the driver cold (a kind's first call
   * ever is priced as the others: the process's start is not what the
   * table measures) */
  double cold = -1.0;
  if (st->clocked && n > 0 && ((st->called >> call) & 1u))
    cold = kv_platform_vmm_gap_time(p, call, b, st->now - st->last[call]);
  double t = vmm_calls(p, call, b, n, grow, others, ranges, bg, cold);
  if (st->clocked && n > 0) {
    st->now += t;
    st->last[call] = st->now;
    st->called |= 1u << call;
  }
  return t;
}

double kv_ideal_op_time(const kv_platform *p, const kv_op *op) {
  double n = (double)op->count;
  switch ((kv_op_kind)op->kind) {
  case KV_OP_VMM_RESERVE:
  case KV_OP_VMM_FREE_VA:
  case KV_OP_VMM_CREATE:
  case KV_OP_VMM_MAP:
  case KV_OP_VMM_SET_ACCESS:
  case KV_OP_VMM_UNMAP:
  case KV_OP_VMM_RELEASE: {
    kv_vmm_state none = {0}; /* nothing else live, nothing grows */
    none.high = UINT64_MAX;
    return kv_vmm_op_time(p, op, &none);
  }
  case KV_OP_COPY: {
    double bw = copy_link_bw(p, (kv_copy_dir)op->dir);
    int h2d = op->dir == KV_COPY_H2D;
    if (op->via == KV_VIA_KERNEL) {
      if (op->dir != KV_COPY_D2D) /* at the op's mean run (page) bytes */
        bw = kv_platform_sm_copy_bw(p, h2d, KV_IDEAL_COPY_SMS,
                                    (double)op->bytes /
                                        (op->count ? op->count : 1));
      return p->kernel_launch + (double)op->bytes / bw;
    }
    if (op->via == KV_VIA_BATCH) {
      /* one cudaMemcpyBatchAsync: the host's call once, then the engines'
       * time of its entries (kv_platform_batch_overhead) and the bytes */
      if (op->dir == KV_COPY_D2D)
        return kv_platform_batch_call(p, op->count) + p->copy_overhead +
               (double)op->bytes / bw;
      double lat = kv_platform_has_batch_curve(p, h2d) ||
                           (h2d ? p->copy_h2d_curve.n : p->copy_d2h_curve.n)
                       ? 0.0
                       : p->pcie_lat;
      return kv_platform_batch_call(p, op->count) +
             kv_platform_batch_overhead(p, h2d, op->count, op->bytes) + lat +
             (double)op->bytes / bw;
    }
    if (op->dir == KV_COPY_D2D)
      return n * p->copy_overhead + (double)op->bytes / bw;
    /* per copy: the measured cost at the mean run size beyond its bytes
     * (copy_overhead without a curve), plus the link latency when the
     * cost is not measured as a whole */
    uint64_t run = op->count ? op->bytes / op->count : op->bytes;
    const kv_curve *c = h2d ? &p->copy_h2d_curve : &p->copy_d2h_curve;
    double lat = c->n ? 0.0 : p->pcie_lat;
    return n * kv_platform_copy_overhead(p, h2d, run) + lat +
           (double)op->bytes / bw;
  }
  case KV_OP_TABLE_WRITE:
    return p->table_write + p->pcie_lat + (double)op->bytes / p->pcie_bw;
  case KV_OP_ATTN_READ: return 0.0; /* part of the step's compute */
  case KV_OP_COMPUTE: return kv_ideal_compute_time(p, 1, op);
  case KV_OP__COUNT: break;
  }
  return 0.0;
}

static kv_status ideal_run(kv_backend *b, kv_status (*main_fn)(void *arg),
                           void *arg, kv_error *err) {
  (void)b;
  (void)err;
  return main_fn(arg);
}

static double ideal_now(kv_backend *b) {
  return ((ideal_state *)b->state)->now;
}

static void ideal_idle_until(kv_backend *b, double t) {
  ideal_state *s = b->state;
  if (t > s->now) s->now = t;
}

static kv_status ideal_step(kv_backend *b, const kv_op_list *ops,
                            kv_step_time *out, kv_error *err) {
  (void)err;
  ideal_state *s = b->state;
  memset(out, 0, sizeof *out);
  /* time-slicing: the step starts when the shared GPU is free */
  if (s->gpu && *s->gpu > s->now) s->now = *s->gpu;
  s->vmm.clocked = 1; /* the step's VMM calls count as made at its start */
  s->vmm.now = s->now;
  for (size_t i = 0; i < ops->n; i++) {
    const kv_op *op = &ops->ops[i];
    if (op->kind == KV_OP_COMPUTE) {
      int attn_only = s->ctab && kv_ctab_attn_only(s->ctab);
      double t = s->ctab && !attn_only
                     ? kv_ctab_step_time(s->ctab, b->model, b->tp, op,
                                         b->platform, NULL)
                     : -1;
      if (t >= 0)
        out->compute_table = KV_COMPUTE_TABLE;
      else
        t = kv_ideal_compute_time(b->platform, b->tp, op);
      if (attn_only) {
        t += kv_ctab_attn_excess(s->ctab, b->model, b->tp, op, b->platform);
        out->compute_table = KV_COMPUTE_ATTN_TABLE;
      }
      /* tensor parallelism's all-reduces (core/engine/collective.h) */
      t += kv_allreduce_step_time(b->platform, b->model, b->tp, op->tokens);
      t += op->fixed_time; /* the kernels' fixed cost (overheads.layer_fixed) */
      if (t < op->launch_time) t = op->launch_time; /* launched one by one */
      out->compute += t;
      out->by_kind[KV_OP_COMPUTE] += t;
      continue;
    }
    if (op->flags & KV_OPF_DETACHED) continue; /* no step waits for it */
    int driver = kv_op_is_vmm(op);
    double t = driver ? kv_vmm_op_time(b->platform, op, &s->vmm)
                      : kv_ideal_op_time(b->platform, op);
    out->by_kind[op->kind] += t;
    if (op->flags & KV_OPF_BACKGROUND) {
      out->op_hidden += t;
      if (driver) out->driver_hidden += t;
    } else {
      out->op_critical += t;
      if (driver) out->driver_critical += t;
    }
  }
  /* background work runs beside compute; whatever outlasts it is waited on */
  double overlap =
      out->compute > out->op_hidden ? out->compute : out->op_hidden;
  out->total = out->op_critical + overlap;
  int cpu_overlap;
  double cpu = kv_ops_cpu_time(ops, &cpu_overlap);
  kv_step_time_add_cpu(out, cpu, cpu_overlap);
  s->now += out->total;
  if (s->gpu) *s->gpu = s->now;
  return KV_OK;
}

void kv_backend_ideal_share_gpu(kv_backend *b, double *gpu_free) {
  ((ideal_state *)b->state)->gpu = gpu_free;
}

static void ideal_describe(kv_backend *b, char *buf, size_t n) {
  const ideal_state *s = b->state;
  if (s->ctab && kv_ctab_attn_only(s->ctab))
    snprintf(buf, n,
             "ideal (analytic roofline, attention from the table %s, fixed "
             "per-op costs; platform %s)",
             b->platform->compute_table, b->platform->name);
  else if (s->ctab)
    snprintf(buf, n,
             "ideal (analytic, compute table %s with the roofline for what "
             "it does not cover, fixed per-op costs; platform %s)",
             b->platform->compute_table, b->platform->name);
  else
    snprintf(buf, n,
             "ideal (analytic roofline, fixed per-op costs; platform %s)",
             b->platform->name);
  char ar[96]; /* only with a measured all-reduce table: as before without */
  kv_allreduce_describe(b->platform, b->tp, ar, sizeof ar);
  size_t len = strlen(buf);
  if (ar[0] && len < n) snprintf(buf + len, n - len, "; %s", ar);
}

static void ideal_destroy(kv_backend *b) {
  if (!b) return;
  ideal_state *s = b->state;
  kv_ctab_free(s->ctab);
  free(b->state);
  free(b);
}

static const kv_backend_vt ideal_vt = {
    .version = 1,
    .name = "ideal",
    .run = ideal_run,               /* calls the engine loop directly */
    .now = ideal_now,               /* analytic clock */
    .idle_until = ideal_idle_until, /* jumps the clock */
    .step = ideal_step,             /* engine CPU, per-op costs, roofline */
    .describe = ideal_describe,
    .destroy = ideal_destroy,
};

kv_backend *kv_backend_ideal_create(const kv_platform *p, const kv_model *m,
                                    uint32_t tp, kv_error *err) {
  if (!p || !m) {
    kv_error_set(err, KV_EINVAL, "ideal backend needs a platform and a model");
    return NULL;
  }
  kv_ctab *ctab = NULL;
  if (p->compute_table[0] &&
      kv_ctab_load_spec(p->compute_table, &ctab, err) != KV_OK)
    return NULL;
  kv_backend *b = kv_xcalloc(1, sizeof *b);
  b->vt = &ideal_vt;
  b->platform = p;
  b->model = m;
  b->tp = tp ? tp : 1;
  ideal_state *s = kv_xcalloc(1, sizeof(ideal_state));
  s->ctab = ctab;
  b->state = s;
  return b;
}

/* ---- descriptor (backend_desc.h) ---- */

static kv_backend *ideal_desc_create(const kv_engine_cfg *cfg, const void *o,
                                     kv_error *err) {
  (void)o;
  return kv_backend_ideal_create(cfg->platform, cfg->model, cfg->tp, err);
}

const kv_backend_desc kv_backend_ideal_desc = {
    .version = KV_BACKEND_DESC_VERSION,
    .name = "ideal",
    .create = ideal_desc_create, /* no options; replicas run one by one */
};
