/* sim_desc.c - the SimGrid backend's descriptor (core/engine/backend_desc.h):
 * its options (a kv_sim_options) read from a run table or the command line, the
 * runs it refuses (more GPUs than the platform has; an XML platform with tp > 1
 * or replicas), creating a run's backend, and the replicas extension. What the
 * Lua binding knew of SimGrid lives here. Main entry points:
 * kv_sim_backend_desc, kv_sim_backend_opts().
 */
#include "sim_backend.h"

#include <stdlib.h>
#include <string.h>

#include "sim_internal.h"
#include "util.h"

/* The descriptor's options: kv_sim_options and the strings it owns.
 * Invariant: each of o's string fields is NULL, a literal of the defaults,
 * or one of owned[]. */
typedef struct sim_desc_opts {
  kv_sim_options o;
  char *owned[3]; /* platform_xml, gpu_host, extra_cfg */
} sim_desc_opts;

/* in the order of KV_SIM_COPY_* */
static const char *const copy_order_names[] = {"stream", "concurrent", NULL};
/* "simulated" keeps the default (analytic = 1); "analytic" is 2, "exact"
 * 3 */
static const char *const lone_transfer_names[] = {"simulated", "analytic",
                                                  "exact", NULL};
static const char *const sim_keys[] = {"platform_xml",   "copy_order",
                                       "lone_transfers", "copy_sms",
                                       "copy_threads",   NULL};

static void sim_opts_defaults(void *opts) {
  sim_desc_opts *so = opts;
  kv_sim_options_defaults(&so->o);
}

static void sim_opts_free(void *opts) {
  sim_desc_opts *so = opts;
  for (int i = 0; i < 3; i++)
    free(so->owned[i]);
}

/* so->o's string field `i` set to a copy of s (NULL stays NULL). */
static const char *own(sim_desc_opts *so, int i, const char *s) {
  free(so->owned[i]);
  so->owned[i] = s ? kv_xstrdup(s) : NULL;
  return so->owned[i];
}

/* Option `key` among names: its index, -1 when absent, -2 on error. */
static int pick(const kv_opt_source *src, const char *key,
                const char *const *names, const char **bad, kv_error *err) {
  const char *v;
  if (src->get(src->ud, key, &v, err) != KV_OK) {
    *bad = key;
    return -2;
  }
  if (!v) return -1;
  for (int i = 0; names[i]; i++)
    if (strcmp(names[i], v) == 0) return i;
  kv_error_unknown_name(err, key, v, names);
  *bad = key;
  return -2;
}

static kv_status sim_opts_parse(void *opts, const kv_opt_source *src,
                                const char **key, kv_error *err) {
  sim_desc_opts *so = opts;
  const char *xml;
  if (src->get(src->ud, "platform_xml", &xml, err) != KV_OK) {
    *key = "platform_xml";
    return KV_EINVAL;
  }
  if (xml) so->o.platform_xml = own(so, 0, xml);
  int lt = pick(src, "lone_transfers", lone_transfer_names, key, err);
  if (lt == -2) return KV_EINVAL;
  if (lt == 1) so->o.analytic = 2;
  if (lt == 2) so->o.analytic = 3;
  int co = pick(src, "copy_order", copy_order_names, key, err);
  if (co == -2) return KV_EINVAL;
  if (co >= 0) so->o.copy_order = co;
  const char *sms;
  if (src->get(src->ud, "copy_sms", &sms, err) != KV_OK) {
    *key = "copy_sms";
    return KV_EINVAL;
  }
  if (sms) {
    char *end;
    long v = strtol(sms, &end, 10);
    if (end == sms || *end || v < 1 || v > 4096) {
      *key = "copy_sms";
      return kv_error_set(err, KV_EINVAL,
                          "expected a whole number of SMs from 1 (got '%s')",
                          sms);
    }
    so->o.sm_copy_sms = (uint32_t)v;
  }
  const char *th;
  if (src->get(src->ud, "copy_threads", &th, err) != KV_OK) {
    *key = "copy_threads";
    return KV_EINVAL;
  }
  if (th) {
    char *end;
    long v = strtol(th, &end, 10);
    if (end == th || *end || v < 32 || v > 1024 || v % 32) {
      *key = "copy_threads";
      return kv_error_set(err, KV_EINVAL,
                          "expected threads per block, a whole multiple of 32 "
                          "from 32 to 1024 (got '%s')",
                          th);
    }
    so->o.sm_copy_threads = (uint32_t)v;
  }
  return KV_OK;
}

static kv_status sim_check(const void *opts, const kv_engine_cfg *cfg,
                           size_t replicas, const char **key, kv_error *err) {
  const sim_desc_opts *so = opts;
  const kv_platform *p = cfg->platform;
  if (so->o.platform_xml && cfg->tp > 1) {
    *key = "tp";
    return kv_error_set(err, KV_EINVAL,
                        "a platform XML file supports one GPU per replica, "
                        "got tp = %d",
                        (int)cfg->tp);
  }
  if (so->o.platform_xml && replicas > 1) {
    *key = "replicas";
    return kv_error_set(err, KV_EINVAL,
                        "a platform XML file supports one replica, got %d",
                        (int)replicas);
  }
  if (p->sms && so->o.sm_copy_sms > p->sms) {
    *key = "copy_sms";
    return kv_error_set(err, KV_EINVAL,
                        "%u SMs for copy kernels, platform '%s' has %u",
                        so->o.sm_copy_sms, p->name, p->sms);
  }
  uint64_t gpus = (uint64_t)p->gpus_per_server * p->servers;
  if ((uint64_t)replicas * cfg->tp > gpus) {
    *key = "replicas";
    return kv_error_set(err, KV_EINVAL,
                        "%d replicas x tp %d need %d GPUs, platform '%s' "
                        "has %d (servers x gpus_per_server)",
                        (int)replicas, (int)cfg->tp, (int)(replicas * cfg->tp),
                        p->name, (int)gpus);
  }
  return KV_OK;
}

/* Run hashes: copy order (and copy SMs other than the default 8, above
 * bit 8, so default runs keep their hashes), lone transfers (2 = analytic,
 * 3 = exact, else 0; copy threads other than the library kernel's, above
 * bit 8, likewise), XML. */
static void sim_opts_ident(const void *opts, uint32_t words[2],
                           const char **text) {
  const sim_desc_opts *so = opts;
  uint32_t sms = so->o.sm_copy_sms, th = so->o.sm_copy_threads;
  words[0] = (uint32_t)so->o.copy_order | (sms && sms != 8 ? sms << 8 : 0u);
  words[1] = so->o.analytic == 2 || so->o.analytic == 3
                 ? (uint32_t)so->o.analytic
                 : 0u;
  if (th && th != KV_SM_COPY_THREADS) words[1] |= th << 8;
  *text = so->o.platform_xml;
}

static kv_backend *sim_desc_create(const kv_engine_cfg *cfg, const void *opts,
                                   kv_error *err) {
  const sim_desc_opts *so = opts;
  return kv_backend_sim_create(cfg->platform, cfg->model, cfg->tp, &so->o, err);
}

const kv_backend_desc kv_sim_backend_desc = {
    .version = KV_BACKEND_DESC_VERSION,
    .name = "simgrid",
    .keys = sim_keys,
    .opts_size = sizeof(sim_desc_opts),
    .opts_defaults = sim_opts_defaults, /* kv_sim_options_defaults */
    .opts_parse = sim_opts_parse,       /* xml, lone transfers, copy order, SMs,
                                           threads */
    .opts_free = sim_opts_free,         /* the strings it copied */
    .check = sim_check,                 /* GPUs; XML: one GPU, one replica */
    .opts_ident = sim_opts_ident,       /* words of run hashes */
    .create = sim_desc_create,          /* kv_backend_sim_create */
    .run_replicas = kv_sim_run_more,    /* replicas in one simulation */
    .run_replicas_part = kv_sim_run_part, /* a shard of them */
};

kv_backend_opts *kv_sim_backend_opts(const kv_sim_options *o) {
  kv_backend_opts *h = kv_backend_opts_new(&kv_sim_backend_desc);
  sim_desc_opts *so = kv_backend_opts_get(h, &kv_sim_backend_desc, NULL);
  if (!o) return h;
  so->o = *o;
  so->o.platform_xml = own(so, 0, o->platform_xml);
  so->o.gpu_host = own(so, 1, o->gpu_host);
  so->o.extra_cfg = own(so, 2, o->extra_cfg);
  return h;
}
