/* multimodel.c - several models on one GPU (see multimodel.h): capacity,
 * partitions or the shared pool, the time-slicing driver, the preemption
 * policy and the memory samples.
 * Main entry points: kv_mm_run(), kv_mm_result_free().
 */
#include "multimodel.h"

#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const kv_mm_memory_names[] = {"static", "elastic", "indirect",
                                          NULL};

void kv_mm_spec_defaults(kv_mm_spec *spec) {
  memset(spec, 0, sizeof *spec);
  spec->memory = KV_MM_STATIC;
  spec->gpu_mem_util = 0.9;
  spec->page_bytes = 2ull << 20;
  spec->sample_interval = 1.0;
}

/* ---- the preemption policy ---- */

uint32_t kv_mm_default_victim(const kv_mm_view *v) {
  const kv_mm_model_view *req = &v->models[v->requester];
  if (req->held >= req->share) return v->requester; /* not owed memory */
  uint32_t best = v->requester;
  uint64_t best_over = 0, best_held = 0;
  for (uint32_t m = 0; m < v->n; m++) {
    const kv_mm_model_view *x = &v->models[m];
    if (m == v->requester || x->running == 0) continue;
    uint64_t over = x->held > x->share ? x->held - x->share : 0;
    if (over > best_over) {
      best_over = over;
      best = m;
    }
  }
  if (best != v->requester || req->running > 0) return best;
  for (uint32_t m = 0; m < v->n; m++) { /* requester cannot start at all */
    const kv_mm_model_view *x = &v->models[m];
    if (m != v->requester && x->running > 0 && x->held > best_held) {
      best_held = x->held;
      best = m;
    }
  }
  return best;
}

static kv_status default_victim(void *ud, const kv_mm_view *v, uint32_t *victim,
                                kv_error *err) {
  (void)ud;
  (void)err;
  *victim = kv_mm_default_victim(v);
  return KV_OK;
}

const kv_mm_policy kv_mm_policy_default = {
    .name = "default (most memory beyond its fair share)",
    .victim = default_victim,
};

/* ---- the run ---- */

typedef struct mm_run {
  const kv_mm_spec *spec;
  kv_mm_result *out;
  kv_error *err;
  kv_engine_cfg *cfg; /* [n] the engines' configurations */
  kv_engine **eng;    /* [n] */
  kv_backend **be;    /* [n] ideal backends on one GPU clock, or views of
                         gpu (kv_backend_vt.gpu_view) */
  kv_backend *gpu;    /* the GPU's backend (spec.backend not ideal), or
                         NULL */
  kv_mempool *pool;   /* elastic / indirect, else NULL */
  double gpu_free;    /* the shared GPU clock (ideal) */
  uint32_t cur;       /* the model being advanced */
  kv_mm_model_view *views;
  double last_t, next_sample;
  size_t samples_cap;
} mm_run;

/* Bytes of KV memory model m holds: its pages in the pool, or the bytes
 * its strategy has backed in its partition. */
static uint64_t held_bytes(const mm_run *r, uint32_t m) {
  if (r->pool) return (uint64_t)r->pool->held[m] * r->pool->page_bytes;
  kv_mem_stats ms;
  kv_engine_mem(r->eng[m], &ms);
  return ms.backed;
}

/* cfg.reclaim: the pool ran out for model r->cur; the policy picks a
 * victim model, whose newest running request is preempted. */
static kv_status mm_reclaim(void *ud, bool *freed, kv_error *err) {
  mm_run *r = ud;
  const kv_mm_spec *sp = r->spec;
  const kv_mm_policy *pol = sp->policy ? sp->policy : &kv_mm_policy_default;
  *freed = false;
  /* indirect keeps its slabs while the model has a request: preempting
     another model's request would free blocks only that model can use */
  if (sp->memory == KV_MM_INDIRECT) return KV_OK;
  for (uint32_t m = 0; m < sp->n; m++)
    r->views[m] = (kv_mm_model_view){
        .held = held_bytes(r, m),
        .share = r->out->share[m],
        .running = kv_engine_running(r->eng[m]),
    };
  kv_mm_view v = {
      .now = kv_engine_backend(r->eng[r->cur])
                 ->vt->now(kv_engine_backend(r->eng[r->cur])),
      .requester = r->cur,
      .models = r->views,
      .n = sp->n,
      .pool_free =
          (uint64_t)kv_mempool_free_pages(r->pool) * r->pool->page_bytes,
  };
  uint32_t victim = r->cur;
  kv_status s = pol->victim(pol->ud, &v, &victim, err);
  if (s != KV_OK)
    return kv_error_prefix(err, "multi-model policy %s, victim: ", pol->name);
  if (victim >= sp->n)
    return kv_error_set(err, KV_EINVAL,
                        "multi-model policy %s, victim: chose model %u of %zu "
                        "(0-based in C, 1-based in Lua)",
                        pol->name, victim, sp->n);
  if (victim == r->cur) return KV_OK;
  uint32_t before = kv_mempool_free_pages(r->pool);
  if (!kv_engine_preempt_newest(r->eng[victim], &s)) return s;
  r->out->cross_preemptions++;
  /* freed only when pages came back (a request freed inside a slab of
     another model frees nothing the requester can use) */
  *freed = kv_mempool_free_pages(r->pool) > before;
  return KV_OK;
}

/* KV memory of the GPU: HBM x util - weights - activations of every model;
 * an error names the models when they do not fit. */
static kv_status gpu_kv_bytes(const kv_mm_spec *sp, uint64_t *out,
                              kv_error *err) {
  double usable = (double)sp->platform->hbm_bytes * sp->gpu_mem_util;
  double weights = 0, act = 0;
  char names[512] = "";
  size_t len = 0;
  for (size_t m = 0; m < sp->n; m++) {
    const kv_engine_cfg *c = &sp->models[m].engine;
    double wb = kv_model_weight_bytes(c->model);
    weights += wb;
    act += kv_engine_activation_bytes(c);
    if (len < sizeof names)
      len += (size_t)snprintf(names + len, sizeof names - len, "%s%s (%.1f GB)",
                              m ? ", " : "", c->model->name, wb / 1e9);
  }
  double kv = usable - weights - act;
  if (kv < (double)sp->page_bytes * (double)sp->n)
    return kv_error_set(err, KV_ENOMEM,
                        "models: %s do not fit on %s together: weights %.1f "
                        "GB + activations %.1f GB leave %.2f GB of the %.1f "
                        "GB usable (gpu_mem_util %.2f) for KV",
                        names, sp->platform->name, weights / 1e9, act / 1e9,
                        kv / 1e9, usable / 1e9, sp->gpu_mem_util);
  *out = (uint64_t)kv;
  return KV_OK;
}

/* KV demand of a workload: sum of (prompt + output) x bytes per token. */
static double kv_demand(const kv_engine_cfg *c) {
  kv_strategy_cfg sc = c->scfg;
  sc.model = c->model;
  sc.tp = 1;
  double bpt = (double)kv_strategy_bytes_per_token(&sc), d = 0;
  for (size_t i = 0; i < c->workload->n; i++)
    d += ((double)c->workload->reqs[i].prompt + c->workload->reqs[i].output) *
         bpt;
  return d;
}

/* Shares of kv_bytes (static partitions, or fair shares of the pool): the
 * weights given, else the workloads' KV demand; they sum to kv_bytes. */
static void set_shares(const kv_mm_spec *sp, uint64_t kv_bytes, uint64_t *sh) {
  double *w = kv_xcalloc(sp->n, sizeof *w), sum = 0;
  bool given = false;
  for (size_t m = 0; m < sp->n; m++)
    given |= sp->models[m].share > 0;
  for (size_t m = 0; m < sp->n; m++) {
    w[m] = given ? sp->models[m].share : kv_demand(&sp->models[m].engine);
    sum += w[m];
  }
  uint64_t left = kv_bytes;
  for (size_t m = 0; m < sp->n; m++) {
    sh[m] = m + 1 == sp->n ? left : (uint64_t)((double)kv_bytes * (w[m] / sum));
    left -= sh[m];
  }
  free(w);
}

static kv_status check_spec(const kv_mm_spec *sp, kv_error *err) {
  if (!sp->models || sp->n == 0)
    return kv_error_set(err, KV_EINVAL, "models: the list is empty");
  if (!sp->platform)
    return kv_error_set(err, KV_EINVAL, "platform: none given");
  if ((unsigned)sp->memory > KV_MM_INDIRECT)
    return kv_error_set(err, KV_EINVAL, "memory: unknown mode %d",
                        (int)sp->memory);
  if (!(sp->gpu_mem_util > 0 && sp->gpu_mem_util <= 1))
    return kv_error_set(err, KV_EINVAL,
                        "gpu_mem_util must be in (0, 1] (got %g)",
                        sp->gpu_mem_util);
  if (sp->page_bytes == 0)
    return kv_error_set(err, KV_EINVAL, "page_bytes must be > 0");
  bool given = false, all = true;
  for (size_t m = 0; m < sp->n; m++) {
    const kv_mm_model *x = &sp->models[m];
    if (!x->engine.model || !x->engine.workload)
      return kv_error_set(err, KV_EINVAL,
                          "models[%zu]: needs a model and a workload", m + 1);
    if (!(x->share >= 0 && isfinite(x->share)))
      return kv_error_set(err, KV_EINVAL,
                          "models[%zu].share must be a number >= 0 (got %g)",
                          m + 1, x->share);
    if (x->engine.tp > 1)
      return kv_error_set(err, KV_EINVAL,
                          "models[%zu].tp: the models share one GPU, each "
                          "runs on it whole (tp 1; got %u)",
                          m + 1, x->engine.tp);
    given |= x->share > 0;
    all &= x->share > 0;
  }
  if (given && !all)
    return kv_error_set(err, KV_EINVAL,
                        "models[i].share: give a share to every model or to "
                        "none (none: proportional to KV demand)");
  return KV_OK;
}

/* The strategy of model m in this memory mode: given, else paged (static:
 * vLLM's blocks in a partition; elastic: kvcached's paged blocks over page
 * groups mapped from the pool) or indirect. Elastic also takes vmm
 * (vAttention's per-request ranges over the pool). */
static kv_status pick_strategy(const kv_mm_spec *sp, size_t m,
                               const kv_strategy_vt **vt, kv_error *err) {
  const kv_strategy_vt *want =
      sp->memory == KV_MM_INDIRECT ? &kv_strategy_indirect : &kv_strategy_paged;
  const kv_strategy_vt *given = sp->models[m].engine.strategy;
  *vt = given ? given : want;
  if (sp->memory == KV_MM_ELASTIC && *vt != want && *vt != &kv_strategy_vmm)
    return kv_error_set(err, KV_EINVAL,
                        "models[%zu].strategy: memory 'elastic' maps pages "
                        "of the shared pool, so the strategy must be paged "
                        "or vmm (got %s)",
                        m + 1, given->name);
  if (sp->memory == KV_MM_INDIRECT && *vt != want)
    return kv_error_set(err, KV_EINVAL,
                        "models[%zu].strategy: memory 'indirect' draws "
                        "indirect slabs from the shared pool, so the "
                        "strategy must be indirect (got %s)",
                        m + 1, given->name);
  return KV_OK;
}

static bool ideal_gpu(const kv_mm_spec *sp) {
  return !sp->backend || sp->backend == &kv_backend_ideal_desc;
}

/* Model m's backend on a GPU that is not the ideal one: the GPU's backend
 * first (made from model 0's configuration), then a view of it per model;
 * the backend's check() sees every model's configuration. */
static kv_status gpu_backend(mm_run *r, size_t m, const kv_engine_cfg *c) {
  const kv_mm_spec *sp = r->spec;
  const kv_backend_desc *d = sp->backend;
  if (d->check) {
    const char *key = NULL;
    kv_backend_opts *dflt = NULL;
    const kv_backend_opts *o = sp->backend_opts;
    if (!o) o = dflt = kv_backend_opts_new(d);
    void *oo = d->opts_size ? kv_backend_opts_get(o, d, r->err) : NULL;
    kv_status s =
        d->opts_size && !oo ? KV_EINVAL : d->check(oo, c, 1, &key, r->err);
    kv_backend_opts_free(dflt);
    if (s != KV_OK)
      return kv_error_prefix(
          r->err, "backend %s, models[%zu] (%s)%s%s: ", d->name, m + 1,
          c->model->name, key ? ", field " : "", key ? key : "");
  }
  if (!r->gpu) {
    r->gpu = kv_backend_create(d, sp->backend_opts, c, r->err);
    if (!r->gpu) return kv_error_prefix(r->err, "backend %s: ", d->name);
    if (!r->gpu->vt->gpu_view)
      return kv_error_set(r->err, KV_EINVAL,
                          "backend: '%s' cannot run several models on one "
                          "GPU (no gpu_view; the ideal and simgrid backends "
                          "can)",
                          d->name);
  }
  r->be[m] = r->gpu->vt->gpu_view(r->gpu, c->model, r->err);
  if (!r->be[m])
    return kv_error_prefix(r->err, "backend %s, models[%zu] (%s): ", d->name,
                           m + 1, c->model->name);
  return KV_OK;
}

/* Engine configurations, backends on one GPU clock, the pool. */
static kv_status mm_setup(mm_run *r) {
  const kv_mm_spec *sp = r->spec;
  kv_mm_result *out = r->out;
  kv_status s = gpu_kv_bytes(sp, &out->kv_bytes, r->err);
  if (s != KV_OK) return s;
  set_shares(sp, out->kv_bytes, out->share);
  if (sp->memory != KV_MM_STATIC) {
    r->pool = kv_mempool_create(out->kv_bytes, sp->page_bytes, (uint32_t)sp->n,
                                r->err);
    if (!r->pool) return r->err ? r->err->code : KV_EINVAL;
    out->pool_bytes = (uint64_t)r->pool->total * sp->page_bytes;
    for (size_t m = 0; m < sp->n; m++)
      r->pool->share[m] = (uint32_t)(out->share[m] / sp->page_bytes);
  }
  for (size_t m = 0; m < sp->n; m++) {
    kv_engine_cfg *c = &r->cfg[m];
    *c = sp->models[m].engine;
    if ((s = pick_strategy(sp, m, &c->strategy, r->err)) != KV_OK) return s;
    c->platform = sp->platform;
    c->tp = 1;
    c->gpu_mem_util = sp->gpu_mem_util;
    c->kv_capacity = r->pool ? out->pool_bytes : out->share[m];
    if (sp->check_level > c->check_level) c->check_level = sp->check_level;
    if (r->pool) {
      c->scfg.pool = r->pool;
      c->scfg.pool_model = (uint32_t)m;
      c->scfg.page_bytes = sp->page_bytes;
      c->reclaim = mm_reclaim;
      c->reclaim_ud = r;
    }
    if (ideal_gpu(sp)) {
      r->be[m] = kv_backend_ideal_create(sp->platform, c->model, 1, r->err);
      if (!r->be[m]) return r->err ? r->err->code : KV_EINVAL;
      kv_backend_ideal_share_gpu(r->be[m], &r->gpu_free);
    } else if ((s = gpu_backend(r, m, c)) != KV_OK) {
      return s;
    }
    c->backend = r->be[m];
  }
  return KV_OK;
}

/* ---- memory samples ---- */

static void add_sample(mm_run *r, double t) {
  kv_mm_result *out = r->out;
  if (out->n_samples == r->samples_cap) {
    r->samples_cap = r->samples_cap ? 2 * r->samples_cap : 256;
    out->t = kv_xrealloc(out->t, r->samples_cap * sizeof *out->t);
    out->held =
        kv_xrealloc(out->held, r->samples_cap * out->n * sizeof *out->held);
  }
  out->t[out->n_samples] = t;
  for (uint32_t m = 0; m < out->n; m++)
    out->held[out->n_samples * out->n + m] = (double)held_bytes(r, m);
  out->n_samples++;
}

/* The state between the last driver event and t: idle models' memory
 * integrated, peaks, samples on the grid. */
static void account(mm_run *r, double t) {
  kv_mm_result *out = r->out;
  double dt = t - r->last_t;
  for (uint32_t m = 0; m < out->n; m++) {
    double h = (double)held_bytes(r, m);
    if (h > out->peak[m]) out->peak[m] = h;
    if (dt > 0 && !kv_engine_busy(r->eng[m]) &&
        kv_engine_next_event(r->eng[m]) > r->last_t) {
      out->idle_held[m] += h * dt;
      out->idle_time[m] += dt;
    }
  }
  double every = r->spec->sample_interval > 0 ? r->spec->sample_interval : 1;
  while (r->next_sample <= t) {
    add_sample(r, r->next_sample);
    r->next_sample += every;
  }
  if (t > r->last_t) r->last_t = t;
}

/* ---- the driver ---- */

/* The engine to advance next, and when: the earliest next event, a busy
 * engine's no earlier than the GPU is free; ties to the earliest own
 * clock, then the lowest index. n when every engine finished. */
static size_t pick(const mm_run *r, double *when) {
  size_t best = r->spec->n;
  double bk = INFINITY, bn = INFINITY;
  double gpu_free = r->gpu ? r->gpu->vt->now(r->gpu) : r->gpu_free;
  for (size_t m = 0; m < r->spec->n; m++) {
    double next = kv_engine_next_event(r->eng[m]);
    if (next == INFINITY || kv_engine_pool_wait(r->eng[m])) continue;
    double key = kv_engine_busy(r->eng[m]) && gpu_free > next ? gpu_free : next;
    if (key < bk || (key == bk && next < bn)) {
      bk = key;
      bn = next;
      best = m;
    }
  }
  *when = bk;
  return best;
}

/* Every unfinished engine waits for pool pages: none can free any. */
static kv_status all_waiting(mm_run *r) {
  for (size_t m = 0; m < r->spec->n; m++)
    if (kv_engine_pool_wait(r->eng[m]))
      return kv_error_set(r->err, KV_EINTERNAL,
                          "models[%zu] (%s) waits for pool pages that no "
                          "other model can give back: the run is stuck",
                          m + 1, r->cfg[m].model->name);
  return KV_OK;
}

static kv_status mm_loop(mm_run *r) {
  const kv_mm_spec *sp = r->spec;
  kv_status s = KV_OK;
  for (size_t m = 0; m < sp->n && s == KV_OK; m++)
    s = kv_engine_begin(r->eng[m]);
  double t0 = INFINITY;
  for (size_t m = 0; m < sp->n; m++)
    t0 = fmin(t0, kv_engine_next_event(r->eng[m]));
  r->last_t = r->next_sample = t0 == INFINITY ? 0 : t0;
  bool *ended = kv_xcalloc(sp->n, sizeof *ended);
  while (s == KV_OK) {
    double when;
    size_t m = pick(r, &when);
    if (m == sp->n) {
      s = all_waiting(r);
      break;
    }
    account(r, when);
    kv_backend *b = kv_engine_backend(r->eng[m]);
    if (kv_engine_busy(r->eng[m])) b->vt->idle_until(b, when);
    r->cur = (uint32_t)m;
    bool done = false;
    s = kv_engine_advance(r->eng[m], &done);
    done |= kv_engine_next_event(r->eng[m]) == INFINITY;
    for (size_t k = 0; k < sp->n && s == KV_OK; k++)
      if (k != m) kv_engine_pool_wake(r->eng[k]);
    if (s == KV_OK && done && !ended[m]) {
      ended[m] = true;
      s = kv_engine_end(r->eng[m]);
    }
    if (s == KV_OK && sp->check_level >= 2 && r->pool)
      s = kv_mempool_is_valid(r->pool, r->err);
    if (s != KV_OK)
      kv_error_prefix(r->err, "model %zu (%s): ", m + 1, r->cfg[m].model->name);
  }
  if (s == KV_OK) {
    double end = r->last_t;
    for (size_t m = 0; m < sp->n; m++) {
      kv_backend *b = kv_engine_backend(r->eng[m]);
      end = fmax(end, b->vt->now(b));
    }
    account(r, end);
    r->out->span = end - (t0 == INFINITY ? 0 : t0);
    for (size_t m = 0; m < sp->n; m++)
      if (r->out->span > 0) r->out->idle_held[m] /= r->out->span;
  }
  free(ended);
  return s;
}

/* The driver as the GPU backend's engine loop (inside SimGrid). */
static kv_status mm_loop_main(void *arg) {
  return mm_loop(arg);
}

static void result_alloc(kv_mm_result *out, size_t n) {
  memset(out, 0, sizeof *out);
  out->n = n;
  out->models = kv_xcalloc(n, sizeof *out->models);
  out->share = kv_xcalloc(n, sizeof *out->share);
  out->peak = kv_xcalloc(n, sizeof *out->peak);
  out->idle_held = kv_xcalloc(n, sizeof *out->idle_held);
  out->idle_time = kv_xcalloc(n, sizeof *out->idle_time);
}

kv_status kv_mm_run(const kv_mm_spec *spec, kv_mm_result *out, kv_error *err) {
  memset(out, 0, sizeof *out);
  kv_status s = check_spec(spec, err);
  if (s != KV_OK) return s;
  size_t n = spec->n;
  result_alloc(out, n);
  mm_run r = {.spec = spec, .out = out, .err = err};
  r.cfg = kv_xcalloc(n, sizeof *r.cfg);
  r.eng = kv_xcalloc(n, sizeof *r.eng);
  r.be = kv_xcalloc(n, sizeof *r.be);
  r.views = kv_xcalloc(n, sizeof *r.views);
  s = mm_setup(&r);
  for (size_t m = 0; m < n && s == KV_OK; m++) {
    s = kv_engine_open(&r.cfg[m], &out->models[m], &r.eng[m], err);
    if (s != KV_OK)
      kv_error_prefix(err, "models[%zu] (%s): ", m + 1, r.cfg[m].model->name);
  }
  if (s == KV_OK)
    s = r.gpu ? r.gpu->vt->run(r.gpu, mm_loop_main, &r, err) : mm_loop(&r);
  for (size_t m = 0; m < n; m++) /* engines give their pages back first */
    if (r.eng[m]) s = kv_engine_close(r.eng[m], s);
  if (s == KV_OK && r.pool) s = kv_mempool_is_valid(r.pool, err);
  if (s == KV_OK && r.pool && kv_mempool_free_pages(r.pool) != r.pool->total)
    s = kv_error_set(err, KV_EINTERNAL,
                     "memory pool: %u of %u pages still held after the run",
                     r.pool->total - kv_mempool_free_pages(r.pool),
                     r.pool->total);
  for (size_t m = 0; m < n; m++) /* views before the GPU's backend */
    if (r.be[m]) r.be[m]->vt->destroy(r.be[m]);
  if (r.gpu) r.gpu->vt->destroy(r.gpu);
  kv_mempool_free(r.pool);
  free(r.cfg);
  free(r.eng);
  free(r.be);
  free(r.views);
  if (s != KV_OK) kv_mm_result_free(out);
  return s;
}

void kv_mm_result_free(kv_mm_result *r) {
  if (!r) return;
  for (size_t m = 0; r->models && m < r->n; m++)
    kv_result_free(&r->models[m]);
  free(r->models);
  free(r->share);
  free(r->peak);
  free(r->idle_held);
  free(r->idle_time);
  free(r->t);
  free(r->held);
  memset(r, 0, sizeof *r);
}
