/* sim_backend.c - the SimGrid backend: kvsim's ops timed on a SimGrid
 * platform (see docs/simgrid.md for the model and what each op costs).
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
 * Main entry points: kv_backend_sim_create(), kv_sim_run_replicas().
 */
#include "sim_backend.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "collective.h"
#include "compute_table.h"
#include "sim_internal.h"
#include "util.h"

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
 * before a transfer (flush_lag): from `wake` on; its run over: never. */
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

/* SimGrid's settings (SIMGRID.md): an ideal max-min fair pipe model. */
static const char *const base_cfg[] = {
    "--cfg=network/model:CM02",
    "--cfg=network/crosstraffic:0",
    "--cfg=network/TCP-gamma:0",
    "--cfg=network/solver:fairbottleneck",
};
#define BASE_CFG_N (sizeof base_cfg / sizeof base_cfg[0])

void kv_sim_options_defaults(kv_sim_options *o) {
  memset(o, 0, sizeof *o);
  o->gpu_host = "gpu0";
  o->sm_copy_sms = 8;
  o->log_quiet = 1;
  o->analytic = 1;
}

/* ---------------------------------------------------------------- steps */

static double route_time(const sim_route *r, double bytes) {
  return r->lat + bytes / r->bw;
}

static kv_status flush_lag(sim_replica *r, kv_error *err) {
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
      if ((st = flush_lag(r, err))) return st;
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
  st = flush_lag(r, err);
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
static double issue_cost(const kv_platform *p, const kv_op *op) {
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

static kv_status sim_step(kv_backend *b, const kv_op_list *ops,
                          kv_step_time *out, kv_error *err) {
  sim_replica *r = b->state;
  sim_world *w = r->w;
  const kv_platform *p = &w->p;
  uint32_t tp = w->tp;
  /* zeroed by a copy: GCC makes memset (and = {0}) of this size a rep stos,
   * whose start-up cost showed in the step's time profile (perf) */
  static const kv_step_time zero_time;
  *out = zero_time;
  r->ctr.steps++;
  uint64_t simgrid_before = r->ctr.phases_simgrid;

  double dc = 0, db = 0, oc = 0, ob = 0, flops = 0, hbm = 0, ttab = 0, ntok = 0;
  int has_compute = 0, stream = w->copy_order == KV_SIM_COPY_STREAM;
  int table = w->ctab != NULL; /* every COMPUTE op priced by the table */
  size_t nc = 0, nb = 0;
  for (size_t i = 0; i < ops->n; i++) {
    const kv_op *op = &ops->ops[i];
    if (op->kind == KV_OP_COPY || op->kind == KV_OP_TABLE_WRITE) {
      if (op->bytes > 0) {
        if (op->flags & KV_OPF_BACKGROUND)
          nb += tp;
        else if (!stream)
          nc += tp;
      }
    } else if (op->kind >= KV_OP__COUNT) {
      return kv_error_set(err, KV_EINVAL,
                          "sim backend: op %zu has unknown kind %u", i,
                          (unsigned)op->kind);
    }
  }
  /* flows: critical ones first, then (after the compute flows) background */
  reserve_flows(r, nc + nb + tp);
  /* scratch kept by the replica from step to step (no allocation) */
  if (nc + nb + tp + 1 > r->route_cap) {
    r->route_cap = 2 * (nc + nb + tp + 1);
    r->route_buf =
        kv_xrealloc(r->route_buf, r->route_cap * sizeof *r->route_buf);
  }
  const sim_route **routes = r->route_buf;
  /* each VMM op's price, at the live handles the op stream left before it */
  if (ops->n + 1 > r->vmm_cap) {
    r->vmm_cap = 2 * (ops->n + 1);
    r->vmm_buf = kv_xrealloc(r->vmm_buf, r->vmm_cap * sizeof *r->vmm_buf);
  }
  double *vmm_t = r->vmm_buf;
  /* the step's start on the GPU's clock (sim_now): a VMM op's calls count
   * as made then (the gap table, kv_vmm_state) */
  r->vmm.clocked = 1;
  r->vmm.now = kv_simx_clock() + r->lag - r->origin;
  kv_simx_flow *fc = r->flows, *fb = r->flows + nc + tp;
  uint32_t *opc = r->flow_op, *opb = r->flow_op + nc + tp;
  const sim_route **rc = routes, **rb = routes + nc + tp;
  size_t ic = 0, ib = 0;

  for (size_t i = 0; i < ops->n; i++) {
    const kv_op *op = &ops->ops[i];
    int bg = (op->flags & KV_OPF_BACKGROUND) != 0;
    switch ((kv_op_kind)op->kind) {
    case KV_OP_VMM_RESERVE:
    case KV_OP_VMM_FREE_VA:
    case KV_OP_VMM_CREATE:
    case KV_OP_VMM_MAP:
    case KV_OP_VMM_SET_ACCESS:
    case KV_OP_VMM_UNMAP:
    case KV_OP_VMM_RELEASE: {
      /* the driver serializes calls; every GPU of the replica makes the
       * same calls on its own driver context at the same time (and holds
       * as many live handles) */
      double t = vmm_t[i] = kv_vmm_op_time(p, op, &r->vmm);
      out->by_kind[op->kind] += t;
      if (bg)
        db += t;
      else
        dc += t;
      break;
    }
    case KV_OP_COPY:
    case KV_OP_TABLE_WRITE: {
      if (stream && !bg) break; /* stream_phase() times it */
      double issue = issue_cost(p, op);
      out->by_kind[op->kind] += issue;
      if (bg)
        ob += issue;
      else
        oc += issue;
      if (op->bytes == 0) break;
      for (uint32_t g = 0; g < tp; g++) {
        const sim_gpu *gpu = &w->gpus[r->first_gpu + g];
        if (bg) {
          copy_flow(w, gpu, op, &fb[ib], &rb[ib]);
          opb[ib++] = (uint32_t)i;
        } else {
          copy_flow(w, gpu, op, &fc[ic], &rc[ic]);
          opc[ic++] = (uint32_t)i;
        }
      }
      break;
    }
    case KV_OP_ATTN_READ: break; /* its bytes are in the COMPUTE op */
    case KV_OP_COMPUTE: {
      has_compute = 1;
      flops += op->flops;
      ntok += op->tokens;
      hbm += kv_compute_hbm_bytes(p, op);
      double t =
          table ? kv_ctab_step_time(w->ctab, b->model, tp, op, p, NULL) : -1;
      if (t < 0)
        table = 0;
      else
        ttab += t;
      break;
    }
    case KV_OP__COUNT: break;
    }
  }

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
  if (ib == 0 && has_compute) {
    double te = table ? ttab - p->kernel_launch : flops / (tp * p->flops);
    double th = hbm > 0 ? route_time(&w->gpus[r->first_gpu].self, hbm / tp) : 0;
    pc_alone =
        (te > th ? te : th) + p->kernel_launch + allreduce_time(w, flops, ntok);
    r->la = pc_alone > 0 ? pc_alone : 0;
  }

  /* ---- critical phase ---- */
  kv_status st = KV_OK;
  double xc = 0, crit = 0;
  if (stream) {
    if ((st = stream_phase(r, ops, vmm_t, routes, out, &crit, err))) goto done;
  } else {
    r->lag += dc + oc;
    if ((st = run_flows(r, fc, rc, ic, &xc, err))) goto done;
    crit = dc + oc + xc;
  }
  for (size_t k = 0; k < ic; k++) {
    uint32_t oi = opc[k];
    /* an op's transfer time is its slowest GPU's; count it once */
    if (k + 1 < ic && opc[k + 1] == oi) continue;
    double mx = 0;
    for (size_t j = 0; j < ic; j++)
      if (opc[j] == oi && fc[j].finish > mx) mx = fc[j].finish;
    out->by_kind[ops->ops[oi].kind] += mx;
  }

  /* ---- compute phase ---- */
  /* With a compute table the step's kernels take ttab (launch included)
   * instead of the roofline's FLOP time. The HBM flow stays: background
   * copies contend with the step's HBM traffic, and a step whose bytes are
   * slowed by them cannot end before its traffic does; so the compute is
   * max(table time, HBM-flow time + launch), the roofline's max with the
   * table in place of FLOPs / FLOP/s. The all-reduce is added as before. */
  table = table && has_compute;
  double bg_end = db + ob;
  if (ib > 0) {
    double t_exec = table ? ttab - p->kernel_launch : flops / (tp * p->flops);
    double t_hbm = 0;
    /* background copies run beside compute: HBM traffic and copies share
     * the GPU's HBM (and the copies the PCIe path) in SimGrid */
    kv_simx_flow *fh = r->flows + nc; /* the gap between the two groups */
    const sim_route **rh = routes + nc;
    size_t nh = 0;
    if (has_compute && hbm > 0)
      for (uint32_t g = 0; g < tp; g++) {
        const sim_gpu *gpu = &w->gpus[r->first_gpu + g];
        fh[nh] =
            (kv_simx_flow){gpu->host, gpu->host, floor(hbm / tp + 0.5), 0, 0};
        rh[nh++] = &gpu->self;
      }
    for (size_t k = 0; k < ib; k++)
      fb[k].delay += db + ob;
    /* move background flows right after the compute flows */
    if (nh < tp) {
      memmove(fh + nh, fb, ib * sizeof *fb);
      memmove(rh + nh, rb, ib * sizeof *rb);
      memmove(r->flow_op + nc + nh, opb, ib * sizeof *opb);
      fb = fh + nh;
      rb = rh + nh;
      opb = r->flow_op + nc + nh;
    }
    double wend = 0;
    r->la = 0; /* the step may end with it */
    if ((st = run_flows(r, fh, rh, nh + ib, &wend, err))) goto done;
    for (size_t k = 0; k < nh; k++)
      if (fh[k].finish > t_hbm) t_hbm = fh[k].finish;
    for (size_t k = 0; k < ib; k++) {
      if (fb[k].finish > bg_end) bg_end = fb[k].finish;
      uint32_t oi = opb[k];
      if (k + 1 < ib && opb[k + 1] == oi) continue;
      double mx = 0;
      for (size_t j = 0; j < ib; j++)
        if (opb[j] == oi && fb[j].finish - (db + ob) > mx)
          mx = fb[j].finish - (db + ob);
      out->by_kind[ops->ops[oi].kind] += mx;
    }
    double pc = has_compute
                    ? (t_exec > t_hbm ? t_exec : t_hbm) + p->kernel_launch +
                          allreduce_time(w, flops, ntok)
                    : 0;
    double phase = pc > bg_end ? pc : bg_end;
    r->lag += phase - wend; /* the flows already advanced the clock by wend */
    out->compute = pc;
  } else {
    /* the compute phase alone (the HBM traffic at the route's rate), as
     * the lookahead above priced it */
    double pc = pc_alone;
    r->lag += pc > bg_end ? pc : bg_end;
    out->compute = pc;
  }
  out->by_kind[KV_OP_COMPUTE] += out->compute;
  out->compute_table = table;

  {
    double pc = out->compute;
    double over = bg_end > pc ? bg_end - pc : 0;
    out->op_critical = crit + over;
    out->op_hidden = bg_end < pc ? bg_end : pc;
    out->driver_hidden = db < pc ? db : pc;
    out->driver_critical = dc + (db - out->driver_hidden);
    out->total = crit + (pc > bg_end ? pc : bg_end);
  }
  {
    double extra = kv_step_time_add_cpu(out, cpu, cpu_overlap);
    if (cpu_overlap) r->lag += extra;
  }
  if (r->ctr.phases_simgrid == simgrid_before) r->ctr.steps_analytic++;
done:
  return st;
}

/* ---------------------------------------------------------------- vtable */

static double sim_now(kv_backend *b) {
  sim_replica *r = b->state;
  return kv_simx_clock() + r->lag - r->origin;
}

static void sim_idle_until(kv_backend *b, double t) {
  sim_replica *r = b->state;
  double cur = sim_now(b);
  if (t > cur) r->lag += t - cur; /* idling touches nothing shared */
}

static void actor_main(void *arg) {
  sim_replica *r = arg;
  kv_error e;
  r->in_actor = 1;
  r->origin = kv_simx_clock();
  if (r->rfn)
    r->rc = r->rfn(r->rarg, &r->b, r->rerr);
  else
    r->rc = r->main_fn(r->main_arg);
  /* let SimGrid's clock catch up so the simulation ends when we do */
  kv_status st = flush_lag(r, &e);
  if (st && r->rc == KV_OK) {
    r->rc = st;
    if (r->rerr) *r->rerr = e;
  }
  r->in_actor = 0;
  r->done = 1;
  r->wait = REP_WAIT_DONE;
}

static kv_status sim_run(kv_backend *b, kv_status (*main_fn)(void *), void *arg,
                         kv_error *err) {
  sim_replica *r = b->state;
  sim_world *w = r->w;
  if (r->in_actor) return main_fn(arg); /* a replica actor already runs us */
  if (w->replicas_n != 1)
    return kv_error_set(err, KV_EINVAL,
                        "sim backend: replica backends run through "
                        "kv_sim_run_replicas(), not run()");
  char name[32];
  snprintf(name, sizeof name, "engine%u", r->index);
  r->main_fn = main_fn;
  r->main_arg = arg;
  r->rfn = NULL;
  r->rerr = err;
  r->done = 0;
  r->rc = KV_OK;
  kv_status st =
      kv_simx_spawn(w->gpus[r->first_gpu].host, name, actor_main, r, err);
  if (st) return st;
  if ((st = kv_simx_run(err))) return st;
  if (!r->done)
    return kv_error_set(err, KV_EINTERNAL,
                        "sim backend: the engine loop never returned (the "
                        "simulation ended at t=%.9g s with its actor "
                        "blocked)",
                        kv_simx_clock());
  return r->rc;
}

static void sim_describe(kv_backend *b, char *buf, size_t n) {
  sim_replica *r = b->state;
  snprintf(buf, n, "%s", r->w->desc);
}

static void world_free(sim_world *w);

static void sim_destroy(kv_backend *b) {
  if (!b) return;
  sim_replica *r = b->state;
  /* a single-replica backend owns its world, also after it ran replicas
   * (kv_sim_run_more); kv_sim_run_replicas() frees its own */
  if (r->w->grown || (r->w->replicas_n == 1 && !r->rfn)) world_free(r->w);
}

static kv_status run_actors(sim_world *w, size_t base, size_t first, size_t n,
                            kv_sim_replica_fn fn, void *const *args,
                            kv_status *codes, kv_error *errs, kv_error *err);
static kv_status add_replicas(sim_world *w, size_t replicas, kv_error *err);

/* The descriptor's run_replicas (sim_desc.c): grow the (not yet run)
 * world of `b` to `replicas` replicas and run them as actors of this one
 * simulation. */
kv_status kv_sim_run_more(kv_backend *b, size_t replicas, kv_replica_fn fn,
                          void *const *args, kv_status *codes, kv_error *errs,
                          kv_error *err) {
  sim_replica *r = b->state;
  sim_world *w = r->w;
  if (w->grown || w->replicas_n != 1 || r->done || r->in_actor)
    return kv_error_set(err, KV_EINVAL,
                        "sim backend: run_replicas needs a backend that has "
                        "not run yet");
  kv_status st = add_replicas(w, replicas, err);
  if (st) return st;
  w->grown = 1;
  return run_actors(w, 0, 0, replicas, fn, args, codes, errs, err);
}

/* The descriptor's run_replicas_part (sim_desc.c): b's world was built on
 * the part's own servers; its n replicas run as replicas first .. of the
 * whole run, which the description names (servers of `whole`, `replicas`)
 * so that every result reads as the whole run's. */
kv_status kv_sim_run_part(kv_backend *b, const kv_platform *whole,
                          size_t replicas, size_t first, size_t n,
                          kv_replica_fn fn, void *const *args, kv_status *codes,
                          kv_error *errs, kv_error *err) {
  sim_replica *r = b->state;
  sim_world *w = r->w;
  if (w->grown || w->replicas_n != 1 || r->done || r->in_actor)
    return kv_error_set(err, KV_EINVAL,
                        "sim backend: run_replicas_part needs a backend that "
                        "has not run yet");
  if (n == 0 || first + n > replicas)
    return kv_error_set(err, KV_EINVAL,
                        "sim backend: replicas %zu..%zu are not among %zu",
                        first, first + n, replicas);
  kv_status st = add_replicas(w, n, err);
  if (st) return st;
  w->grown = 1;
  /* the description of the whole run */
  char *at = strstr(w->desc, " built (");
  char *end = at ? strstr(at, " GPU)") : NULL;
  if (at && end) {
    char tail[1024];
    snprintf(tail, sizeof tail, "%s", end + 5);
    snprintf(at, sizeof w->desc - (size_t)(at - w->desc),
             " built (%u server(s) x %u GPU)%s", whole->servers,
             whole->gpus_per_server, tail);
  }
  at = strstr(w->desc, "; replicas ");
  if (at) {
    char *rest = strchr(at + 2, ';');
    char tail[1024];
    snprintf(tail, sizeof tail, "%s", rest ? rest : "");
    snprintf(at, sizeof w->desc - (size_t)(at - w->desc), "; replicas %zu%s",
             replicas, tail);
  }
  w->p.servers = whole->servers;
  return run_actors(w, first, 0, n, fn, args, codes, errs, err);
}

/* ---------------------------------------------------------------- views */

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

static kv_backend *sim_gpu_view(kv_backend *b, const kv_model *m,
                                kv_error *err);

static const kv_backend_vt sim_vt = {
    .version = 1,
    .name = "simgrid",
    .run = sim_run,               /* engine loop as a SimGrid actor */
    .now = sim_now,               /* SimGrid clock + the replica's lag */
    .idle_until = sim_idle_until, /* advances the lag only */
    .step = sim_step,             /* CPU, critical phase, compute phase */
    .describe = sim_describe,     /* SimGrid version, --cfg, platform */
    .destroy = sim_destroy,
    .gpu_view = sim_gpu_view, /* one more model on the replica's GPU */
};

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

static kv_backend *sim_gpu_view(kv_backend *b, const kv_model *m,
                                kv_error *err) {
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

/* ---------------------------------------------------------------- setup */

static void world_free(sim_world *w) {
  if (!w) return;
  for (size_t i = 0; i < w->replicas_n; i++) {
    free(w->reps[i].flows);
    free(w->reps[i].flow_op);
    free(w->reps[i].route_buf);
    free(w->reps[i].vmm_buf);
  }
  free(w->reps);
  free(w->gpus);
  kv_ctab_free(w->ctab);
  free(w);
}

/* The argv-style SimGrid items: base cfg, log threshold, user extras. */
typedef struct cfg_items {
  char *store;
  const char *items[64];
  size_t n;
} cfg_items;

static kv_status make_items(const kv_sim_options *o, cfg_items *ci,
                            kv_error *err) {
  ci->n = 0;
  ci->store = NULL;
  for (size_t i = 0; i < BASE_CFG_N; i++)
    ci->items[ci->n++] = base_cfg[i];
  if (o->log_quiet) ci->items[ci->n++] = "--log=root.thres:warning";
  if (o->extra_cfg && *o->extra_cfg) {
    ci->store = kv_xstrdup(o->extra_cfg);
    for (char *tok = strtok(ci->store, " \t\n"); tok;
         tok = strtok(NULL, " \t\n")) {
      if (strncmp(tok, "--cfg=", 6) != 0 && strncmp(tok, "--log=", 6) != 0) {
        kv_error_set(err, KV_EINVAL,
                     "sim option extra_cfg: item '%s' must start with "
                     "--cfg= or --log=",
                     tok);
        free(ci->store);
        ci->store = NULL;
        return KV_EINVAL;
      }
      if (ci->n == sizeof ci->items / sizeof ci->items[0]) {
        free(ci->store);
        ci->store = NULL;
        return kv_error_set(err, KV_EINVAL,
                            "sim option extra_cfg: too many items");
      }
      ci->items[ci->n++] = tok;
    }
  }
  return KV_OK;
}

static kv_status gpu_routes(sim_gpu *g, kv_error *err) {
  kv_status st;
  if ((st = kv_simx_route(g->dram, g->host, &g->h2d.lat, &g->h2d.bw, err)) ||
      (st = kv_simx_route(g->host, g->dram, &g->d2h.lat, &g->d2h.bw, err)) ||
      (st = kv_simx_route(g->host, g->host, &g->self.lat, &g->self.bw, err)))
    return st;
  if (g->sm >= 0 && ((st = kv_simx_route(g->dram, g->sm, &g->h2d_sm.lat,
                                         &g->h2d_sm.bw, err)) ||
                     (st = kv_simx_route(g->sm, g->dram, &g->d2h_sm.lat,
                                         &g->d2h_sm.bw, err))))
    return st;
  return KV_OK;
}

static void add_replica_slots(sim_world *w, size_t n);

/* What world_create refuses before SimGrid starts: no model, a bad
 * platform, more GPUs than it has, a second simulation in this process, a
 * platform file that is not a readable regular file. */
static kv_status world_check(const kv_platform *p, const kv_model *m,
                             uint32_t tp, const kv_sim_options *opt,
                             size_t replicas, kv_error *err) {
  if (!m) return kv_error_set(err, KV_EINVAL, "sim backend: model is NULL");
  kv_status st = kv_sim_platform_check(p, err);
  if (st) return st;
  uint32_t total = p->gpus_per_server * p->servers;
  if (opt->platform_xml && (tp != 1 || replicas != 1)) {
    return kv_error_set(err, KV_EINVAL,
                        "sim backend: a platform XML file supports one "
                        "replica on one GPU (tp %u, replicas %zu)",
                        tp, replicas);
  }
  if (!opt->platform_xml && (size_t)tp * replicas > total) {
    return kv_error_set(err, KV_EINVAL,
                        "sim backend: %zu replica(s) x tp %u need %zu GPUs, "
                        "platform '%s' has %u (%u servers x %u)",
                        replicas, tp, (size_t)tp * replicas, p->name, total,
                        p->servers, p->gpus_per_server);
  }
  if (kv_simx_started()) {
    return kv_error_set(err, KV_EINVAL,
                        "sim backend: SimGrid already ran in this process (one "
                        "simulation per process: run it through "
                        "kv_sweep_run)");
  }
  if (opt->platform_xml) {
    /* SimGrid's XML scanner exits the process on what it cannot open or
     * read (a directory, say): refuse anything but a readable regular file */
    struct stat sb;
    if (stat(opt->platform_xml, &sb) != 0) {
      return kv_error_set(err, KV_EIO, "platform file '%s': %s",
                          opt->platform_xml, strerror(errno));
    }
    if (!S_ISREG(sb.st_mode)) {
      return kv_error_set(
          err, KV_EINVAL, "platform file '%s': not a regular file%s",
          opt->platform_xml, S_ISDIR(sb.st_mode) ? " (a directory)" : "");
    }
  }
  return KV_OK;
}

/* The world's GPUs: the platform file's one GPU, or every GPU of the
 * topology built from the platform (kv_sim_topo_build). */
static kv_status world_gpus(sim_world *w, const kv_platform *p,
                            const kv_sim_options *opt, const char *gpu_host,
                            uint32_t sms, kv_error *err) {
  kv_status st = KV_OK;
  if (opt->platform_xml) {
    st = kv_simx_load(opt->platform_xml, err);
    if (!st) {
      w->gpus_n = 1;
      w->gpus = kv_xcalloc(1, sizeof *w->gpus);
      char smname[96];
      snprintf(smname, sizeof smname, "%s_sm", gpu_host);
      w->gpus[0].host = kv_simx_host(gpu_host);
      w->gpus[0].sm = kv_simx_host(smname);
      w->gpus[0].dram = kv_simx_host("host");
      if (w->gpus[0].host < 0 || w->gpus[0].dram < 0)
        st = kv_error_set(err, KV_ENOTFOUND,
                          "platform file '%s': host '%s' or 'host' vanished",
                          opt->platform_xml, gpu_host);
    }
  } else {
    kv_topo t;
    st = kv_sim_topo_build(p, sms, &t, err);
    if (!st) st = kv_simx_build(&t, err);
    if (!st) {
      w->gpus_n = t.gpus_n;
      w->gpus = kv_xcalloc(t.gpus_n, sizeof *w->gpus);
      for (size_t g = 0; g < t.gpus_n; g++) {
        w->gpus[g].host = (int)t.gpus[g].host;
        w->gpus[g].sm = (int)t.gpus[g].sm_host;
        w->gpus[g].dram = (int)t.gpus[g].dram;
      }
    }
    kv_sim_topo_free(&t);
  }
  return st;
}

/* w->desc: the SimGrid version, the platform, the run's shape and the
 * options SimGrid was given (ci). */
static void world_describe(sim_world *w, const kv_platform *p,
                           const kv_sim_options *opt, const cfg_items *ci,
                           const char *gpu_host, uint32_t tp, size_t replicas,
                           uint32_t sms) {
  char ver[32];
  kv_simx_version(ver, sizeof ver);
  int o = snprintf(w->desc, sizeof w->desc, "simgrid %s; platform ", ver);
  if (opt->platform_xml)
    o += snprintf(w->desc + o, sizeof w->desc - o, "file %s (gpu %s%s)",
                  opt->platform_xml, gpu_host,
                  w->gpus[0].sm < 0 ? ", no SM copy path" : "");
  else
    o += snprintf(w->desc + o, sizeof w->desc - o,
                  "%s built (%u server(s) x %u GPU)", p->name, p->servers,
                  p->gpus_per_server);
  o += snprintf(w->desc + o, sizeof w->desc - o,
                "; tp %u; replicas %zu; copy-kernel SMs %u; analytic %d; "
                "critical copies %s;",
                tp, replicas, sms, opt->analytic,
                opt->copy_order == KV_SIM_COPY_CONCURRENT ? "concurrent"
                                                          : "in one stream");
  if (w->ctab && o < (int)sizeof w->desc) /* only then: as before without */
    o += snprintf(w->desc + o, sizeof w->desc - o, " compute table %s;",
                  p->compute_table);
  char ar[96]; /* only with a measured all-reduce table, as above */
  kv_allreduce_describe(p, tp, ar, sizeof ar);
  if (ar[0] && o < (int)sizeof w->desc)
    o += snprintf(w->desc + o, sizeof w->desc - o, " %s;", ar);
  for (size_t i = 0; i < ci->n && o < (int)sizeof w->desc; i++)
    o += snprintf(w->desc + o, sizeof w->desc - o, " %s", ci->items[i]);
}

static sim_world *world_create(const kv_platform *p, const kv_model *m,
                               uint32_t tp, const kv_sim_options *opt,
                               size_t replicas, kv_error *err) {
  kv_sim_options d;
  if (!opt) {
    kv_sim_options_defaults(&d);
    opt = &d;
  }
  if (tp == 0) tp = 1;
  if (world_check(p, m, tp, opt, replicas, err)) return NULL;
  const char *gpu_host =
      opt->gpu_host && *opt->gpu_host ? opt->gpu_host : "gpu0";
  uint32_t total = p->gpus_per_server * p->servers;
  /* the compute table, before SimGrid starts: a bad one fails cleanly */
  kv_ctab *ctab = NULL;
  if (p->compute_table[0] &&
      kv_ctab_load_spec(p->compute_table, &ctab, err) != KV_OK)
    return NULL;
  cfg_items ci;
  if (make_items(opt, &ci, err)) {
    kv_ctab_free(ctab);
    return NULL;
  }
  kv_status st = KV_OK;
  if (opt->platform_xml || (opt->extra_cfg && *opt->extra_cfg))
    st = kv_simx_check_xml(opt->platform_xml, gpu_host, ci.items, ci.n, err);
  if (!st) st = kv_simx_init(ci.items, ci.n, err);

  sim_world *w = kv_xcalloc(1, sizeof *w);
  w->ctab = ctab;
  w->p = *p;
  w->m = *m;
  w->tp = tp;
  w->analytic = opt->analytic;
  w->copy_order = opt->copy_order;
  w->xml = opt->platform_xml != NULL;
  uint32_t sms = opt->sm_copy_sms ? opt->sm_copy_sms : 8;
  if (sms > p->sms) sms = p->sms;
  w->copy_sms = sms;
  w->copy_threads = opt->sm_copy_threads;

  if (!st) st = world_gpus(w, p, opt, gpu_host, sms, err);
  size_t used = (size_t)tp * replicas;
  for (size_t g = 0; !st && g < used; g++)
    st = gpu_routes(&w->gpus[g], err);
  if (st && opt->platform_xml && st != KV_EBACKEND)
    kv_error_prefix(err, "platform file '%s': ", opt->platform_xml);

  if (!st) world_describe(w, p, opt, &ci, gpu_host, tp, replicas, sms);
  free(ci.store);
  if (st) {
    world_free(w);
    return NULL;
  }
  /* room for every replica the platform has GPUs for, so that a backend
   * can grow to more replicas (kv_sim_run_more) without moving */
  w->reps_cap = w->xml ? 1 : total / tp;
  if (w->reps_cap < replicas) w->reps_cap = replicas;
  w->reps = kv_xcalloc(w->reps_cap, sizeof *w->reps);
  w->replicas_n = 0;
  add_replica_slots(w, replicas);
  return w;
}

/* Make replicas [replicas_n, n) ready (the routes are already there). */
static void add_replica_slots(sim_world *w, size_t n) {
  for (size_t i = w->replicas_n; i < n; i++) {
    sim_replica *r = &w->reps[i];
    r->w = w;
    r->index = (uint32_t)i;
    r->first_gpu = (uint32_t)(i * w->tp);
    r->b.vt = &sim_vt;
    r->b.platform = &w->p;
    r->b.model = &w->m;
    r->b.tp = w->tp;
    r->b.state = r;
  }
  w->replicas_n = n;
}

static kv_status add_replicas(sim_world *w, size_t replicas, kv_error *err) {
  uint32_t total = w->p.gpus_per_server * w->p.servers;
  if (w->xml)
    return kv_error_set(err, KV_EINVAL,
                        "sim backend: a platform XML file supports one "
                        "replica (asked for %zu)",
                        replicas);
  if (replicas == 0 || replicas > w->reps_cap)
    return kv_error_set(err, KV_EINVAL,
                        "sim backend: %zu replica(s) x tp %u need %zu GPUs, "
                        "platform '%s' has %u (%u servers x %u)",
                        replicas, w->tp, replicas * w->tp, w->p.name, total,
                        w->p.servers, w->p.gpus_per_server);
  for (size_t g = w->replicas_n * w->tp; g < replicas * w->tp; g++) {
    kv_status st = gpu_routes(&w->gpus[g], err);
    if (st) return st;
  }
  /* the description names the replica count */
  char *at = strstr(w->desc, "; replicas ");
  if (at) {
    char *rest = strchr(at + 2, ';');
    char tail[1024];
    snprintf(tail, sizeof tail, "%s", rest ? rest : "");
    snprintf(at, sizeof w->desc - (size_t)(at - w->desc), "; replicas %zu%s",
             replicas, tail);
  }
  add_replica_slots(w, replicas);
  return KV_OK;
}

kv_backend *kv_backend_sim_create(const kv_platform *p, const kv_model *m,
                                  uint32_t tp, const kv_sim_options *opt,
                                  kv_error *err) {
  sim_world *w = world_create(p, m, tp, opt, 1, err);
  return w ? &w->reps[0].b : NULL;
}

/* The counters of the last run of replicas in this process, summed. */
static kv_sim_counters run_totals;

void kv_sim_run_counters(kv_sim_counters *out) {
  *out = run_totals;
}

/* Run replicas [first, first + n) of w as actors; the others are left
 * out (done before they start: they hold no link). args, codes and errs
 * are indexed from first; names and messages number replica i as base + i
 * (a shard's replicas in the whole run). */
static kv_status run_actors(sim_world *w, size_t base, size_t first, size_t n,
                            kv_sim_replica_fn fn, void *const *args,
                            kv_status *codes, kv_error *errs, kv_error *err) {
  kv_status st = KV_OK;
  for (size_t i = 0; i < w->replicas_n; i++)
    if (i < first || i >= first + n) w->reps[i].wait = REP_WAIT_DONE;
  for (size_t k = 0; k < n && !st; k++) {
    size_t i = first + k;
    sim_replica *r = &w->reps[i];
    r->rfn = fn;
    r->rarg = args ? args[k] : NULL;
    r->rerr = &errs[k];
    kv_error_set(&errs[k], KV_OK, " ");
    char name[32];
    snprintf(name, sizeof name, "replica%zu", base + i);
    st = kv_simx_spawn(w->gpus[r->first_gpu].host, name, actor_main, r, err);
  }
  if (!st) st = kv_simx_run(err);
  memset(&run_totals, 0, sizeof run_totals);
  for (size_t i = first; i < first + n; i++) {
    const kv_sim_counters *c = &w->reps[i].ctr;
    run_totals.steps += c->steps;
    run_totals.steps_analytic += c->steps_analytic;
    run_totals.phases_simgrid += c->phases_simgrid;
    run_totals.flows += c->flows;
    run_totals.sleeps += c->sleeps;
    run_totals.lone_proven += c->lone_proven;
    run_totals.lone_after_sleep += c->lone_after_sleep;
  }
  for (size_t k = 0; k < n; k++) {
    size_t i = first + k;
    sim_replica *r = &w->reps[i];
    codes[k] = st ? st : r->done ? r->rc : KV_EINTERNAL;
    if (!st && !r->done)
      kv_error_set(&errs[k], KV_EINTERNAL,
                   "replica %zu never returned (the simulation ended at "
                   "t=%.9g s with its actor blocked)",
                   base + i, kv_simx_clock());
    if (!st && codes[k] != KV_OK) {
      st = codes[k];
      kv_error_set(err, st, "replica %zu: %s", base + i, errs[k].msg);
    }
  }
  return st;
}

kv_status kv_sim_run_replicas(const kv_platform *p, const kv_model *m,
                              uint32_t tp, const kv_sim_options *opt,
                              size_t replicas, kv_sim_replica_fn fn,
                              void *const *args, kv_status *codes,
                              kv_error *errs, kv_error *err) {
  if (replicas == 0 || !fn)
    return kv_error_set(err, KV_EINVAL,
                        "kv_sim_run_replicas: need >= 1 replica and a "
                        "function");
  if (opt && opt->platform_xml)
    return kv_error_set(err, KV_EINVAL,
                        "kv_sim_run_replicas: needs a built platform, not "
                        "the XML file '%s'",
                        opt->platform_xml);
  sim_world *w = world_create(p, m, tp, opt, replicas, err);
  if (!w) return err ? err->code : KV_EINVAL;
  kv_status st = run_actors(w, 0, 0, replicas, fn, args, codes, errs, err);
  world_free(w);
  return st;
}

kv_status kv_sim_platform_write_xml(const kv_platform *p,
                                    const kv_sim_options *opt, FILE *f,
                                    kv_error *err) {
  kv_sim_options d;
  if (!opt) {
    kv_sim_options_defaults(&d);
    opt = &d;
  }
  kv_topo t;
  kv_status st = kv_sim_topo_build(p, opt->sm_copy_sms, &t, err);
  if (st) return st;
  int rc = kv_sim_topo_write_xml(&t, p->name, f);
  kv_sim_topo_free(&t);
  if (rc) return kv_error_set(err, KV_EIO, "writing the platform XML failed");
  return KV_OK;
}
