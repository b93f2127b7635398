/* sim_backend.c - the SimGrid backend (docs/simgrid.md): its vtable and its
 * runs. An engine runs as a SimGrid actor on its GPU's host; replicas of
 * one run are actors of one simulation (one per process), each timing its
 * steps on its own GPUs (sim_step.c) in a world built once (sim_world.c).
 * Main entry points: kv_backend_sim_create(), kv_sim_run_replicas(),
 * kv_sim_run_more(), kv_sim_run_part().
 */
#include "sim_backend.h"

#include <stdio.h>
#include <string.h>

#include "sim_world.h"

void kv_sim_options_defaults(kv_sim_options *o) {
  memset(o, 0, sizeof *o);
  o->gpu_host = "gpu0";
  o->sm_copy_sms = 8;
  o->log_quiet = 1;
  o->analytic = 1;
}

/* ---------------------------------------------------------------- runs */

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
  kv_status st = sim_flush_lag(r, &e);
  if (st && r->rc == KV_OK) {
    r->rc = st;
    if (r->rerr) *r->rerr = e;
  }
  r->in_actor = 0;
  r->done = 1;
  r->wait = REP_WAIT_DONE;
}

kv_status sim_run(kv_backend *b, kv_status (*main_fn)(void *), void *arg,
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

static void sim_destroy(kv_backend *b) {
  if (!b) return;
  sim_replica *r = b->state;
  /* a single-replica backend owns its world, also after it ran replicas
   * (kv_sim_run_more); kv_sim_run_replicas() frees its own */
  if (r->w->grown || (r->w->replicas_n == 1 && !r->rfn)) sim_world_free(r->w);
}

static kv_status run_actors(sim_world *w, size_t base, size_t first, size_t n,
                            kv_sim_replica_fn fn, void *const *args,
                            kv_status *codes, kv_error *errs, kv_error *err);

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
  kv_status st = sim_world_add_replicas(w, replicas, err);
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
  kv_status st = sim_world_add_replicas(w, n, err);
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
  sim_world_describe_replicas(w, replicas);
  w->p.servers = whole->servers;
  return run_actors(w, first, 0, n, fn, args, codes, errs, err);
}

/* ---------------------------------------------------------------- vtable */

const kv_backend_vt sim_vt = {
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

kv_backend *kv_backend_sim_create(const kv_platform *p, const kv_model *m,
                                  uint32_t tp, const kv_sim_options *opt,
                                  kv_error *err) {
  sim_world *w = sim_world_create(p, m, tp, opt, 1, err);
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
  sim_world *w = sim_world_create(p, m, tp, opt, replicas, err);
  if (!w) return err ? err->code : KV_EINVAL;
  kv_status st = run_actors(w, 0, 0, replicas, fn, args, codes, errs, err);
  sim_world_free(w);
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
