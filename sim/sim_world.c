/* sim_world.c - a world of the SimGrid backend: SimGrid started with its
 * settings, the platform built (or a user's XML file loaded), each GPU's
 * routes measured once for the analytic paths, the description every
 * result carries, and the replicas' backends.
 * Main entry points: sim_world_create(), sim_world_add_replicas(),
 * sim_world_free().
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "collective.h"
#include "sim_world.h"
#include "util.h"

/* SimGrid's settings (SIMGRID.md): an ideal max-min fair pipe model. */
static const char *const base_cfg[] = {
    "--cfg=network/model:CM02",
    "--cfg=network/crosstraffic:0",
    "--cfg=network/TCP-gamma:0",
    "--cfg=network/solver:fairbottleneck",
};
#define BASE_CFG_N (sizeof base_cfg / sizeof base_cfg[0])

void sim_world_free(sim_world *w) {
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

/* What sim_world_create refuses before SimGrid starts: no model, a bad
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
    o += snprintf(w->desc + o, sizeof w->desc - o, " %s %s;",
                  kv_ctab_attn_only(w->ctab)
                      ? "roofline with attention from the table"
                      : "compute table",
                  p->compute_table);
  char ar[96]; /* only with a measured all-reduce table, as above */
  kv_allreduce_describe(p, tp, ar, sizeof ar);
  if (ar[0] && o < (int)sizeof w->desc)
    o += snprintf(w->desc + o, sizeof w->desc - o, " %s;", ar);
  for (size_t i = 0; i < ci->n && o < (int)sizeof w->desc; i++)
    o += snprintf(w->desc + o, sizeof w->desc - o, " %s", ci->items[i]);
}

sim_world *sim_world_create(const kv_platform *p, const kv_model *m,
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
    sim_world_free(w);
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

/* The description names the replica count (its "; replicas N"). */
void sim_world_describe_replicas(sim_world *w, size_t replicas) {
  char *at = strstr(w->desc, "; replicas ");
  if (!at) return;
  char *rest = strchr(at + 2, ';');
  char tail[1024];
  snprintf(tail, sizeof tail, "%s", rest ? rest : "");
  snprintf(at, sizeof w->desc - (size_t)(at - w->desc), "; replicas %zu%s",
           replicas, tail);
}

kv_status sim_world_add_replicas(sim_world *w, size_t replicas, kv_error *err) {
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
  sim_world_describe_replicas(w, replicas);
  add_replica_slots(w, replicas);
  return KV_OK;
}
