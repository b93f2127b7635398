/* sim_step.c - a step of the SimGrid backend: kvsim's ops timed on a
 * replica's GPUs (see docs/simgrid.md for the model and what each op
 * costs). This is the simulator's hot loop: no allocation once the
 * replica's scratch has grown, no SimGrid event for a step that touches
 * nothing shared.
 *
 * A step has two phases. Critical: the VMM driver calls without the
 * background flag (serialized), the issue costs of the step's copies and
 * table writes (per-copy overhead, serialized on the issuing stream), then
 * their transfers, all at once over the shared links. Compute: the forward
 * pass (roofline: FLOPs on the GPU against its HBM traffic, which is a
 * transfer over the GPU's HBM self-route and so shares HBM with concurrent
 * copies) beside the background work (driver calls, then copy issue, then
 * transfers); the step ends when both are done. The engine's CPU time (the
 * COMPUTE op's cpu_time) comes before both phases, the GPU idle; with
 * KV_OPF_CPU_OVERLAP it runs beside them and the step lasts max(cpu,
 * phases) (kv_step_time_add_cpu, the ideal backend's rule).
 *
 * Clock: each replica keeps a `lag`, the time it has advanced past
 * SimGrid's clock through work that touches only resources of its own
 * (driver, SMs, a lone transfer when nothing else is simulated, compute
 * without concurrent copies). The lag is slept off (one SimGrid sleep)
 * before the replica starts a transfer other activities could meet, so
 * contention stays exact while steps without shared activity cost no
 * SimGrid event at all.
 * Main entry points: sim_step(), sim_now(), sim_flush_lag().
 */
#include <math.h>
#include <string.h>

#include "collective.h"
#include "sim_world.h"
#include "util.h"

/* ---------------------------------------------------------------- flows */

static double route_time(const sim_route *r, double bytes) {
  return r->lat + bytes / r->bw;
}

kv_status sim_flush_lag(sim_replica *r, kv_error *err) {
  if (r->lag <= 0) return KV_OK;
  double dt = r->lag;
  r->lag = 0;
  r->ctr.sleeps++;
  r->wait = REP_WAIT_SLEEP;
  r->wake = kv_simx_clock() + dt;
  kv_status st = r->w->analytic == 3 ? kv_simx_sleep_timer(dt, err)
                                     : kv_simx_sleep(dt, err);
  r->wait = REP_WAIT_BUSY;
  r->pend = 0;
  return st;
}

/* analytic = 3: can replica r's lone transfer f, from SimGrid time `start`
 * (r's clock) to `end` when alone, be proven to meet no other flow on any
 * link of its route? A GPU's own links (HBM, PCIe, SM paths) carry only
 * its replica's flows, and r runs one phase at a time, so a device copy
 * (the HBM self-route) is always alone. A copy to or from host DRAM also
 * crosses the server's DRAM link (and maybe an uplink), which the other
 * replicas on that server use. Each of them is blocked in SimGrid while r
 * runs: in transfers (they may be on the link now: no proof), done (never
 * again), or asleep until `wake`, the start of its next transfer, before
 * which it puts nothing on a link. So the transfer is alone when every
 * sleeper wakes at or after `end` (what a replica did before was proven,
 * the same way, to end before r's clock).
 * Lookahead: a sleeper whose next transfer is a lone one ([wake, pend_end]
 * when alone) puts nothing on a link between pend_end and pend_end +
 * pend_la (the rest of its step: its compute). r's transfer may then also
 * come after such transfers, when they are in turn proven alone: the
 * sleepers that wake before `end` all sleep before lone transfers, these
 * follow one another without overlap, all end by `start`, and each
 * sleeper's quiet time reaches past `end`. Nothing else can meet them: r
 * does nothing on a link before `start`, the other sleepers wake after
 * `end`, and every replica proves its own transfers the same way (margin:
 * 1 ns on each pend_end, for SimGrid's rounding of a simulated one).
 * Replicas of tp > 1 never have a lone transfer (tp flows per op). */
static int lone_proven(const sim_replica *r, const kv_simx_flow *f,
                       double start, double end) {
  const sim_world *w = r->w;
  if (f->src == f->dst) return 1; /* HBM self-route: the GPU's own link */
  if (w->tp != 1) return 0;
  size_t gps = w->p.gpus_per_server;
  size_t first = (r->first_gpu / gps) * gps, last = first + gps;
  if (last > w->replicas_n) last = w->replicas_n;
  enum { GPS_MAX = 64 };
  const sim_replica *before[GPS_MAX]; /* sleepers waking before `end` */
  const double margin = 1e-9;
  size_t nb = 0;
  for (size_t i = first; i < last; i++) {
    const sim_replica *o = &w->reps[i];
    if (o == r || o->wait == REP_WAIT_DONE) continue;
    if (o->wait != REP_WAIT_SLEEP) return 0;
    if (o->wake >= end) continue;
    if (!o->pend || nb == GPS_MAX) return 0;
    if (o->pend_end + margin > start || o->pend_end + o->pend_la < end + margin)
      return 0;
    size_t k = nb++; /* in wake order */
    while (k > 0 && before[k - 1]->wake > o->wake) {
      before[k] = before[k - 1];
      k--;
    }
    before[k] = o;
  }
  for (size_t k = 0; k + 1 < nb; k++)
    if (before[k]->pend_end + margin > before[k + 1]->wake) return 0;
  return 1;
}

/* Time flows[0..n): fills finish (relative to the phase start) and returns
 * the phase length (last finish) in *end. Advances the replica's clock by
 * *end (through lag or SimGrid). `routes[i]` is used by the analytic path. */
static kv_status run_flows(sim_replica *r, kv_simx_flow *f,
                           const sim_route *const *routes, size_t n,
                           double *end, kv_error *err) {
  *end = 0;
  if (n == 0) return KV_OK;
  sim_world *w = r->w;
  if (n == 1 && (w->analytic == 2 || (w->analytic && w->replicas_n == 1))) {
    f[0].finish = f[0].delay + route_time(routes[0], f[0].bytes);
    *end = f[0].finish;
    r->lag += *end;
    return KV_OK;
  }
  kv_status st;
  if (n == 1 && w->analytic == 3) {
    /* proven alone (lone_proven) now, or else after sleeping to its start
     * (the other replicas move on meanwhile): timed from its route */
    double t = f[0].delay + route_time(routes[0], f[0].bytes);
    double at = kv_simx_clock() + r->lag;
    int ok = lone_proven(r, &f[0], at, at + t);
    if (!ok) {
      /* asleep, it tells the others what comes next (lone_proven) */
      r->pend_end = at + t;
      r->pend_la = r->la;
      r->pend = r->lag > 0;
      if ((st = sim_flush_lag(r, err))) return st;
      at = kv_simx_clock();
      ok = lone_proven(r, &f[0], at, at + t);
      if (ok) r->ctr.lone_after_sleep++;
    }
    if (ok) {
      r->ctr.lone_proven++;
      f[0].finish = t;
      *end = t;
      r->lag += t;
      return KV_OK;
    }
  }
  st = sim_flush_lag(r, err);
  if (st) return st;
  r->ctr.phases_simgrid++;
  r->ctr.flows += n;
  if ((st = kv_simx_flows(f, n, err))) return st;
  for (size_t i = 0; i < n; i++)
    if (f[i].finish > *end) *end = f[i].finish;
  return KV_OK;
}

static void reserve_flows(sim_replica *r, size_t n) {
  if (n <= r->flows_cap) return;
  r->flows_cap = n * 2;
  r->flows = kv_xrealloc(r->flows, r->flows_cap * sizeof *r->flows);
  r->flow_op = kv_xrealloc(r->flow_op, r->flows_cap * sizeof *r->flow_op);
}

/* The copy engines' time of a batched copy (KV_VIA_BATCH) beyond its
 * transfer on the links: its entries' cost beyond their bytes at pcie_bw
 * (kv_platform_batch_overhead; D2D: one copy_overhead), less the link
 * latency the route adds when the curve measured the copy as a whole. It
 * delays the op's flow on the stream, not the issuing host: the host's part
 * is the call's host time by entries (issue_cost, kv_platform_batch_call),
 * so a call issued while the previous batch still moves overlaps it, as
 * kvsim-calibrate's queued calls do. */
static double batch_engine_time(const kv_platform *p, const kv_op *op) {
  if (op->dir == KV_COPY_D2D) return p->copy_overhead;
  int h2d = op->dir == KV_COPY_H2D;
  double t = kv_platform_batch_overhead(p, h2d, op->count, op->bytes);
  if (kv_platform_has_batch_curve(p, h2d) ||
      (h2d ? p->copy_h2d_curve.n : p->copy_d2h_curve.n))
    t = t > p->pcie_lat ? t - p->pcie_lat : 0;
  return t;
}

/* Per-GPU transfer of one copy or table write: endpoints, payload, the
 * route the analytic path uses, and (batched copies) the delay before the
 * transfer starts. */
static void copy_flow(const sim_world *w, const sim_gpu *g, const kv_op *op,
                      kv_simx_flow *f, const sim_route **route) {
  int kernel = op->kind == KV_OP_COPY && op->via == KV_VIA_KERNEL && g->sm >= 0;
  double bytes = (double)op->bytes;
  int dir = op->kind == KV_OP_TABLE_WRITE ? KV_COPY_H2D : op->dir;
  switch (dir) {
  case KV_COPY_H2D:
    f->src = g->dram;
    f->dst = kernel ? g->sm : g->host;
    *route = kernel ? &g->h2d_sm : &g->h2d;
    break;
  case KV_COPY_D2H:
    f->src = kernel ? g->sm : g->host;
    f->dst = g->dram;
    *route = kernel ? &g->d2h_sm : &g->d2h;
    break;
  default:
    kernel = 0;
    /* device copy: read + write through HBM; the payload is scaled so that
     * alone it takes 2*bytes/d2d_bw on the HBM self-route */
    f->src = f->dst = g->host;
    *route = &g->self;
    bytes = 2.0 * bytes * g->self.bw / w->p.d2d_bw;
    break;
  }
  /* an SM copy over pages (runs) smaller than the largest measured moves
   * at the page factor of the link rates (by page and SMs jointly where the
   * platform has the grid), and one on blocks of other than the library
   * kernel's threads at its rate over the library kernel's
   * (kv_platform_sm_copy_bw_threads): the payload is scaled by the inverse
   * (the SM links are built at the largest page and the library kernel's
   * block size, sim_topo.c) */
  if (kernel) {
    int h2d = dir == KV_COPY_H2D;
    double run = (double)op->bytes / (op->count ? op->count : 1);
    double pf = kv_platform_sm_copy_factor(&w->p, h2d, run, w->copy_sms);
    uint32_t th = w->copy_threads;
    if (th && th != KV_SM_COPY_THREADS) {
      double base = kv_platform_sm_copy_bw(&w->p, h2d, w->copy_sms, run);
      double bw =
          kv_platform_sm_copy_bw_threads(&w->p, h2d, w->copy_sms, run, th);
      if (base > 0) pf *= bw / base;
    }
    if (pf > 0 && pf != 1.0) bytes /= pf;
  }
  f->bytes = floor(bytes + 0.5);
  f->delay = 0;
  f->finish = 0;
  if (op->kind == KV_OP_COPY && op->via == KV_VIA_BATCH)
    f->delay = batch_engine_time(&w->p, op);
}

/* Tensor-parallel all-reduce per step (core/engine/collective.h): 2 per layer,
 * each of the step's tokens x hidden x 2 bytes, ring or tree by size and
 * TP degree. Tokens are the COMPUTE ops' count; an op without one (built
 * by hand) has them estimated from its FLOPs (2 * active params per token;
 * attention FLOPs make it an upper bound). Analytic: the links it uses
 * (NVLink, or the NIC when a replica spans servers) belong to the replica. */
static double allreduce_time(const sim_world *w, double flops, double tokens) {
  if (w->tp <= 1 || flops <= 0) return 0;
  if (!(tokens > 0)) {
    double ap = w->m.active_params > 0 ? w->m.active_params : w->m.params;
    if (ap <= 0) return 0;
    tokens = flops / (2.0 * ap);
  }
  return kv_allreduce_step_time(&w->p, &w->m, w->tp, tokens);
}

/* Host-side cost of issuing a copy or table write. */
static inline double issue_cost(const kv_platform *p, const kv_op *op) {
  if (op->kind == KV_OP_TABLE_WRITE) return p->table_write;
  if (op->via == KV_VIA_KERNEL) return p->kernel_launch;
  if (op->via == KV_VIA_BATCH) /* + batch_engine_time */
    return kv_platform_batch_call(p, op->count);
  if (op->dir == KV_COPY_D2D) return (double)op->count * p->copy_overhead;
  /* per copy, by direction and mean run size when measured: the measured
   * cost beyond the bytes includes each copy's latency, which the link
   * adds once to the op's transfer */
  int h2d = op->dir == KV_COPY_H2D;
  uint64_t run = op->count ? op->bytes / op->count : op->bytes;
  double c = (double)op->count * kv_platform_copy_overhead(p, h2d, run);
  if ((h2d ? p->copy_h2d_curve.n : p->copy_d2h_curve.n) && op->bytes > 0)
    c = c > p->pcie_lat ? c - p->pcie_lat : 0;
  return c;
}

/* Critical phase with KV_SIM_COPY_STREAM: the step's critical ops in list
 * order, driver calls and issue costs on the host clock, transfers one
 * after another on the stream clock (each op's transfer alone on the
 * links, its GPUs' flows together). Uses flows[0..tp). Adds each copy's
 * time to by_kind and the phase length to *len; advances the clock. */
static kv_status stream_phase(sim_replica *r, const kv_op_list *ops,
                              const double *vmm_t, const sim_route **routes,
                              kv_step_time *out, double *len, kv_error *err) {
  sim_world *w = r->w;
  const kv_platform *p = &w->p;
  double h = 0, g = 0, cur = 0; /* host, stream, clock: from phase start */
  double la_step = r->la;
  size_t last = ops->n; /* the last critical op with a transfer */
  for (size_t i = 0; i < ops->n; i++) {
    const kv_op *op = &ops->ops[i];
    if (!(op->flags & KV_OPF_BACKGROUND) && op->bytes > 0 &&
        (op->kind == KV_OP_COPY || op->kind == KV_OP_TABLE_WRITE))
      last = i;
  }
  for (size_t i = 0; i < ops->n; i++) {
    const kv_op *op = &ops->ops[i];
    if (op->flags & KV_OPF_BACKGROUND) continue;
    if (kv_op_is_vmm(op)) {
      if (kv_op_waits_for_copies(op) && g > h) h = g;
      h += vmm_t[i];
      continue;
    }
    if (op->kind != KV_OP_COPY && op->kind != KV_OP_TABLE_WRITE) continue;
    double reached = h > g ? h : g; /* the stream gets to this op */
    h += issue_cost(p, op);
    double start = h > g ? h : g, x = 0;
    if (op->bytes > 0) {
      for (uint32_t k = 0; k < w->tp; k++)
        copy_flow(w, &w->gpus[r->first_gpu + k], op, &r->flows[k], &routes[k]);
      r->lag += start - cur;
      cur = start;
      r->la = i == last ? la_step : 0; /* another transfer may follow */
      kv_status st = run_flows(r, r->flows, routes, w->tp, &x, err);
      if (st) return st;
      cur += x;
    }
    g = start + x;
    out->by_kind[op->kind] += g - reached;
  }
  double end = h > g ? h : g;
  r->lag += end - cur;
  *len = end;
  return KV_OK;
}

/* ---------------------------------------------------------------- the step */

/* What a step's pass over its ops gathered (price_ops), for its phases.
 * Invariant: fc[0..ic) are the critical flows and fb[0..ib) the background
 * ones, each op's tp flows adjacent and in op order, opc/opb their ops'
 * indices and rc/rb their routes; between fc + nc and fb lie tp slots for
 * the compute phase's HBM flows (background_phase). vmm_t[i] is VMM op i's
 * price. */
typedef struct step_acc {
  double dc, db;   /* driver-call time: critical, background */
  double oc, ob;   /* issue time of copies and table writes: the same */
  double flops;    /* the COMPUTE ops': FLOPs, */
  double hbm;      /* HBM bytes, */
  double ttab;     /* compute-table time (launch included), */
  double tattn;    /* attention beyond the roofline (an attention table) */
  double ntok;     /* tokens */
  double launch;   /* host launch time of an ungraphed step */
  double fixed;    /* the kernels' fixed GPU cost (overheads.layer_fixed) */
  int has_compute; /* a COMPUTE op is in the step */
  int table;       /* every COMPUTE op priced by the compute table */
  int attn_table;  /* the roofline with attention from an attention table */
  int stream;      /* critical copies in one stream (stream_phase) */
  size_t nc, nb;   /* flow slots: critical, background */
  size_t ic, ib;   /* flows built: critical, background */
  kv_simx_flow *fc, *fb;
  uint32_t *opc, *opb;
  const sim_route **rc, **rb;
  double *vmm_t;
} step_acc;

/* Count the step's flow slots (tp per copy or table write with bytes;
 * critical ones only when each runs as its own phase); refuse an unknown
 * op kind. */
static inline kv_status count_flows(const kv_op_list *ops, uint32_t tp,
                                    step_acc *a, kv_error *err) {
  size_t nc = 0, nb = 0;
  for (size_t i = 0; i < ops->n; i++) {
    const kv_op *op = &ops->ops[i];
    if (op->flags & KV_OPF_DETACHED) continue; /* not timed */
    if (op->kind == KV_OP_COPY || op->kind == KV_OP_TABLE_WRITE) {
      if (op->bytes > 0) {
        if (op->flags & KV_OPF_BACKGROUND)
          nb += tp;
        else if (!a->stream)
          nc += tp;
      }
    } else if (op->kind >= KV_OP__COUNT) {
      return kv_error_set(err, KV_EINVAL,
                          "sim backend: op %zu has unknown kind %u", i,
                          (unsigned)op->kind);
    }
  }
  a->nc = nc;
  a->nb = nb;
  return KV_OK;
}

/* The replica's scratch for the step, kept from step to step (no
 * allocation once grown): flows, their ops and routes (critical ones
 * first, then after the compute flows the background ones), VMM prices. */
static inline void step_scratch(sim_replica *r, size_t n_ops, uint32_t tp,
                                step_acc *a) {
  size_t nc = a->nc, nb = a->nb;
  reserve_flows(r, nc + nb + tp);
  if (nc + nb + tp + 1 > r->route_cap) {
    r->route_cap = 2 * (nc + nb + tp + 1);
    r->route_buf =
        kv_xrealloc(r->route_buf, r->route_cap * sizeof *r->route_buf);
  }
  if (n_ops + 1 > r->vmm_cap) {
    r->vmm_cap = 2 * (n_ops + 1);
    r->vmm_buf = kv_xrealloc(r->vmm_buf, r->vmm_cap * sizeof *r->vmm_buf);
  }
  a->vmm_t = r->vmm_buf;
  a->fc = r->flows;
  a->fb = r->flows + nc + tp;
  a->opc = r->flow_op;
  a->opb = r->flow_op + nc + tp;
  a->rc = r->route_buf;
  a->rb = r->route_buf + nc + tp;
  a->ic = a->ib = 0;
}

/* A copy or table write: its issue cost on the host, and unless
 * stream_phase times it, its flows (one per GPU of the replica). */
static inline void add_copy(const sim_replica *r, const kv_op *op, size_t i,
                            int bg, step_acc *a, kv_step_time *out) {
  const sim_world *w = r->w;
  double issue = issue_cost(&w->p, op);
  out->by_kind[op->kind] += issue;
  if (bg)
    a->ob += issue;
  else
    a->oc += issue;
  if (op->bytes == 0) return;
  for (uint32_t g = 0; g < w->tp; g++) {
    const sim_gpu *gpu = &w->gpus[r->first_gpu + g];
    if (bg) {
      copy_flow(w, gpu, op, &a->fb[a->ib], &a->rb[a->ib]);
      a->opb[a->ib++] = (uint32_t)i;
    } else {
      copy_flow(w, gpu, op, &a->fc[a->ic], &a->rc[a->ic]);
      a->opc[a->ic++] = (uint32_t)i;
    }
  }
}

/* A COMPUTE op: its FLOPs, tokens and HBM bytes, and its time from the
 * compute table while every COMPUTE op so far had one. */
static inline void add_compute(const sim_world *w, const kv_model *m,
                               const kv_op *op, step_acc *a) {
  const kv_platform *p = &w->p;
  a->has_compute = 1;
  a->flops += op->flops;
  a->launch += op->launch_time;
  a->fixed += op->fixed_time;
  a->ntok += op->tokens;
  a->hbm += kv_compute_hbm_bytes(p, op);
  if (a->attn_table) {
    a->tattn += kv_ctab_attn_excess(w->ctab, m, w->tp, op, p);
    return;
  }
  double t = a->table ? kv_ctab_step_time(w->ctab, m, w->tp, op, p, NULL) : -1;
  if (t < 0)
    a->table = 0;
  else
    a->ttab += t;
}

/* A VMM op, priced at the live handles the op stream left before it: the
 * driver serializes calls; every GPU of the replica makes the same calls
 * on its own driver context at the same time (and holds as many live
 * handles). */
static inline void add_vmm(sim_replica *r, const kv_op *op, size_t i, int bg,
                           step_acc *a, kv_step_time *out) {
  double t = a->vmm_t[i] = kv_vmm_op_time(&r->w->p, op, &r->vmm);
  out->by_kind[op->kind] += t;
  if (bg)
    a->db += t;
  else
    a->dc += t;
}

/* One pass over the ops: driver calls, issue costs, flows (critical ones
 * unless stream_phase times them), the compute's totals. An ATTN_READ
 * costs nothing here: its bytes are in the COMPUTE op. */
static void price_ops(sim_replica *r, const kv_model *m, const kv_op_list *ops,
                      step_acc *a, kv_step_time *out) {
  for (size_t i = 0; i < ops->n; i++) {
    const kv_op *op = &ops->ops[i];
    if (op->flags & KV_OPF_DETACHED) continue; /* no step waits for it */
    int bg = (op->flags & KV_OPF_BACKGROUND) != 0;
    if (kv_op_is_vmm(op))
      add_vmm(r, op, i, bg, a, out);
    else if (op->kind == KV_OP_COPY || op->kind == KV_OP_TABLE_WRITE) {
      if (bg || !a->stream) add_copy(r, op, i, bg, a, out);
    } else if (op->kind == KV_OP_COMPUTE)
      add_compute(r->w, m, op, a);
  }
}

/* The kernels' time on one GPU: the compute table's (launch excluded) or
 * the roofline's FLOP time. */
static inline double exec_time(const sim_world *w, const step_acc *a) {
  const kv_platform *p = &w->p;
  return a->table ? a->ttab - p->kernel_launch : a->flops / (w->tp * p->flops);
}

/* The compute phase: the kernels or their HBM traffic, whichever is
 * longer, plus the launch, the kernels' fixed cost and the tensor-parallel
 * all-reduce; a step launched kernel by kernel (no CUDA graph) lasts at
 * least its launches. */
static inline double compute_time(const sim_world *w, const step_acc *a,
                                  double t_exec, double t_hbm) {
  double t = (t_exec > t_hbm ? t_exec : t_hbm) + a->tattn + w->p.kernel_launch +
             a->fixed + allreduce_time(w, a->flops, a->ntok);
  return t > a->launch ? t : a->launch;
}

/* Add each op's transfer time to by_kind: its slowest GPU's flow, less
 * `from` (where the flows' phase began before the op's work), once per
 * op. f[0..n): the ops' flows, adjacent by op; opi[k]: flow k's op. */
static inline void attribute_flows(const kv_op_list *ops, const kv_simx_flow *f,
                                   const uint32_t *opi, size_t n, double from,
                                   kv_step_time *out) {
  for (size_t k = 0; k < n; k++) {
    uint32_t oi = opi[k];
    if (k + 1 < n && opi[k + 1] == oi) continue;
    double mx = 0;
    for (size_t j = 0; j < n; j++)
      if (opi[j] == oi && f[j].finish - from > mx) mx = f[j].finish - from;
    out->by_kind[ops->ops[oi].kind] += mx;
  }
}

/* The critical phase: driver calls and copy issue on the host, then the
 * copies' transfers all at once, or (KV_SIM_COPY_STREAM) in list order on
 * one stream. Its length in *crit; advances the clock. */
static kv_status critical_phase(sim_replica *r, const kv_op_list *ops,
                                const step_acc *a, kv_step_time *out,
                                double *crit, kv_error *err) {
  kv_status st;
  double xc = 0;
  if (a->stream) {
    if ((st = stream_phase(r, ops, a->vmm_t, a->rc, out, crit, err))) return st;
  } else {
    r->lag += a->dc + a->oc;
    if ((st = run_flows(r, a->fc, a->rc, a->ic, &xc, err))) return st;
    *crit = a->dc + a->oc + xc;
  }
  attribute_flows(ops, a->fc, a->opc, a->ic, 0, out);
  return KV_OK;
}

/* The compute phase's HBM flows (one per GPU, the step's HBM traffic)
 * into the gap between the critical and the background flows, and the
 * background flows moved right after them. Returns the HBM flows' count;
 * the flows start at a->fc + a->nc. */
static inline size_t hbm_flows(sim_replica *r, step_acc *a) {
  const sim_world *w = r->w;
  uint32_t tp = w->tp;
  size_t nc = a->nc, nh = 0;
  kv_simx_flow *fh = r->flows + nc;
  const sim_route **rh = a->rc + nc;
  if (a->has_compute && a->hbm > 0)
    for (uint32_t g = 0; g < tp; g++) {
      const sim_gpu *gpu = &w->gpus[r->first_gpu + g];
      fh[nh] =
          (kv_simx_flow){gpu->host, gpu->host, floor(a->hbm / tp + 0.5), 0, 0};
      rh[nh++] = &gpu->self;
    }
  if (nh < tp) {
    memmove(fh + nh, a->fb, a->ib * sizeof *a->fb);
    memmove(rh + nh, a->rb, a->ib * sizeof *a->rb);
    memmove(r->flow_op + nc + nh, a->opb, a->ib * sizeof *a->opb);
    a->fb = fh + nh;
    a->rb = rh + nh;
    a->opb = r->flow_op + nc + nh;
  }
  return nh;
}

/* The compute phase beside background transfers: the step's HBM traffic
 * and the copies share the GPU's HBM (and the copies the PCIe path) in
 * SimGrid, each copy after the background driver calls and issue. Sets
 * out->compute and *bg_end (the background work's end); advances the
 * clock by the longer of the two. */
static kv_status background_phase(sim_replica *r, const kv_op_list *ops,
                                  step_acc *a, kv_step_time *out,
                                  double *bg_end, kv_error *err) {
  const sim_world *w = r->w;
  double bg0 = a->db + a->ob; /* the background calls and issue */
  double t_exec = exec_time(w, a), t_hbm = 0;
  for (size_t k = 0; k < a->ib; k++)
    a->fb[k].delay += bg0;
  size_t nh = hbm_flows(r, a);
  kv_simx_flow *fh = r->flows + a->nc;
  double wend = 0;
  r->la = 0; /* the step may end with it */
  kv_status st = run_flows(r, fh, a->rc + a->nc, nh + a->ib, &wend, err);
  if (st) return st;
  for (size_t k = 0; k < nh; k++)
    if (fh[k].finish > t_hbm) t_hbm = fh[k].finish;
  for (size_t k = 0; k < a->ib; k++)
    if (a->fb[k].finish > *bg_end) *bg_end = a->fb[k].finish;
  attribute_flows(ops, a->fb, a->opb, a->ib, bg0, out);
  double pc = a->has_compute ? compute_time(w, a, t_exec, t_hbm) : 0;
  double phase = pc > *bg_end ? pc : *bg_end;
  r->lag += phase - wend; /* the flows already advanced the clock by wend */
  out->compute = pc;
  return KV_OK;
}

/* The step's totals from its phases: what of the operations and of the
 * driver calls the compute phase hid, and the step's length before the
 * engine's CPU time. */
static inline void step_totals(kv_step_time *out, const step_acc *a,
                               double crit, double bg_end) {
  double pc = out->compute;
  double over = bg_end > pc ? bg_end - pc : 0;
  out->op_critical = crit + over;
  out->op_hidden = bg_end < pc ? bg_end : pc;
  out->driver_hidden = a->db < pc ? a->db : pc;
  out->driver_critical = a->dc + (a->db - out->driver_hidden);
  out->total = crit + (pc > bg_end ? pc : bg_end);
}

kv_status sim_step(kv_backend *b, const kv_op_list *ops, kv_step_time *out,
                   kv_error *err) {
  sim_replica *r = b->state;
  sim_world *w = r->w;
  uint32_t tp = w->tp;
  /* zeroed by a copy: GCC makes memset (and = {0}) of this size a rep stos,
   * whose start-up cost showed in the step's time profile (perf) */
  static const kv_step_time zero_time;
  *out = zero_time;
  r->ctr.steps++;
  uint64_t simgrid_before = r->ctr.phases_simgrid;

  step_acc a; /* field by field: no memset in the hot loop */
  a.dc = a.db = a.oc = a.ob = 0;
  a.flops = a.hbm = a.ttab = a.tattn = a.ntok = 0;
  a.has_compute = 0;
  a.launch = a.fixed = 0;
  a.nc = a.nb = 0;
  a.attn_table = w->ctab != NULL && kv_ctab_attn_only(w->ctab);
  a.table = w->ctab != NULL && !a.attn_table;
  a.stream = w->copy_order == KV_SIM_COPY_STREAM;
  kv_status st = count_flows(ops, tp, &a, err);
  if (st) return st;
  step_scratch(r, ops->n, tp, &a);
  /* the step's start on the GPU's clock (sim_now): a VMM op's calls count
   * as made then (the gap table, kv_vmm_state) */
  r->vmm.clocked = 1;
  r->vmm.now = kv_simx_clock() + r->lag - r->origin;
  price_ops(r, b->model, ops, &a, out);

  /* ---- engine CPU ---- */
  /* synchronous: the engine's CPU work comes first and the GPU idles (it
   * touches nothing shared, so it is lag); overlapped, it runs beside the
   * GPU work and only what outlasts it is added at the end */
  int cpu_overlap;
  double cpu = kv_ops_cpu_time(ops, &cpu_overlap);
  if (!cpu_overlap && cpu > 0) r->lag += cpu;

  /* lookahead of a lone transfer of the critical phase (lone_proven): the
   * compute phase after it, when that phase holds no transfer (as priced
   * below; the step only lasts longer). Without background transfers that
   * is the step's compute phase itself: pc_alone, reused below. */
  r->la = 0;
  double pc_alone = 0;
  if (a.ib == 0 && a.has_compute) {
    double th =
        a.hbm > 0 ? route_time(&w->gpus[r->first_gpu].self, a.hbm / tp) : 0;
    pc_alone = compute_time(w, &a, exec_time(w, &a), th);
    r->la = pc_alone > 0 ? pc_alone : 0;
  }

  double crit = 0;
  if ((st = critical_phase(r, ops, &a, out, &crit, err))) return st;

  /* ---- compute phase ---- */
  /* With a compute table the step's kernels take ttab (launch included)
   * instead of the roofline's FLOP time. The HBM flow stays: background
   * copies contend with the step's HBM traffic, and a step whose bytes are
   * slowed by them cannot end before its traffic does; so the compute is
   * max(table time, HBM-flow time + launch), the roofline's max with the
   * table in place of FLOPs / FLOP/s. The all-reduce is added as before. */
  a.table = a.table && a.has_compute;
  double bg_end = a.db + a.ob;
  if (a.ib > 0) {
    if ((st = background_phase(r, ops, &a, out, &bg_end, err))) return st;
  } else {
    /* the compute phase alone (the HBM traffic at the route's rate), as
     * the lookahead above priced it */
    double pc = pc_alone;
    r->lag += pc > bg_end ? pc : bg_end;
    out->compute = pc;
  }
  out->by_kind[KV_OP_COMPUTE] += out->compute;
  out->compute_table = a.table                         ? KV_COMPUTE_TABLE
                       : a.attn_table && a.has_compute ? KV_COMPUTE_ATTN_TABLE
                                                       : KV_COMPUTE_ROOFLINE;
  step_totals(out, &a, crit, bg_end);
  double extra = kv_step_time_add_cpu(out, cpu, cpu_overlap);
  if (cpu_overlap) r->lag += extra;
  if (r->ctr.phases_simgrid == simgrid_before) r->ctr.steps_analytic++;
  return KV_OK;
}

/* ---------------------------------------------------------------- clock */

double sim_now(kv_backend *b) {
  sim_replica *r = b->state;
  return kv_simx_clock() + r->lag - r->origin;
}

void sim_idle_until(kv_backend *b, double t) {
  sim_replica *r = b->state;
  double cur = sim_now(b);
  if (t > cur) r->lag += t - cur; /* idling touches nothing shared */
}
