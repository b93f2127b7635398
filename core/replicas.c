/* replicas.c - one model served by R engine replicas: split a workload
 * between them, run them (in one simulation when the backend can, one
 * after the other on ideal GPUs otherwise) and combine their results.
 * Declared in replicas.h; sweep.h runs replica specs in forked children.
 * Main entry points: kv_replica_spec_execute(), kv_workload_dispatch(),
 * kv_result_aggregate().
 */
#include "replicas.h"

#include <string.h>

#include "util.h"

/* Every replica gets all of w: part r's request j is r * w->n + j. */
static size_t replicate(const kv_workload *w, size_t replicas,
                        kv_workload *parts, size_t **idx) {
  for (size_t r = 0; r < replicas; r++) {
    kv_workload *p = &parts[r];
    kv_workload_init(p);
    p->n = w->n;
    p->reqs = kv_xmalloc((w->n ? w->n : 1) * sizeof *p->reqs);
    memcpy(p->reqs, w->reqs, w->n * sizeof *p->reqs);
    if (w->hash_bytes) {
      p->hash_bytes = kv_xmalloc(w->n_hash_bytes ? w->n_hash_bytes : 1);
      memcpy(p->hash_bytes, w->hash_bytes, w->n_hash_bytes);
      p->n_hash_bytes = w->n_hash_bytes;
      p->n_hashes = w->n_hashes;
    }
    p->hash_block_tokens = w->hash_block_tokens;
    snprintf(p->source, sizeof p->source, "%.460s [copy %zu/%zu]", w->source, r,
             replicas);
    idx[r] = kv_xmalloc((w->n ? w->n : 1) * sizeof *idx[r]);
    for (size_t j = 0; j < w->n; j++)
      idx[r][j] = r * w->n + j;
  }
  return replicas * w->n;
}

size_t kv_workload_dispatch(const kv_workload *w, size_t replicas,
                            kv_dispatch d, kv_workload *parts, size_t **idx) {
  if (d == KV_DISPATCH_REPLICATE) return replicate(w, replicas, parts, idx);
  size_t *count = kv_xcalloc(replicas, sizeof *count);
  size_t *owner = kv_xmalloc((w->n ? w->n : 1) * sizeof *owner);
  double *load = kv_xcalloc(replicas, sizeof *load);
  for (size_t i = 0; i < w->n; i++) {
    size_t r = i % replicas;
    if (d == KV_DISPATCH_LEAST_TOKENS) {
      r = 0;
      for (size_t k = 1; k < replicas; k++)
        if (load[k] < load[r]) r = k;
    }
    load[r] += (double)w->reqs[i].prompt + (double)w->reqs[i].output;
    owner[i] = r;
    count[r]++;
  }
  for (size_t r = 0; r < replicas; r++) {
    kv_workload_init(&parts[r]);
    parts[r].reqs = kv_xcalloc(count[r] ? count[r] : 1, sizeof *parts[r].reqs);
    idx[r] = kv_xmalloc((count[r] ? count[r] : 1) * sizeof *idx[r]);
    parts[r].hash_block_tokens = w->hash_block_tokens;
    snprintf(parts[r].source, sizeof parts[r].source,
             "%.460s [replica %zu/%zu]", w->source, r, replicas);
  }
  /* prefix hashes are copied per part so each stays self-contained */
  size_t *nb = kv_xcalloc(replicas, sizeof *nb);
  for (size_t i = 0; i < w->n; i++) {
    const kv_request_spec *q = &w->reqs[i];
    size_t m = (size_t)q->hash_n + q->gen_n; /* prompt and output ids */
    if (m) nb[owner[i]] += kv_hash_span(w->hash_bytes + q->hash_off, m);
  }
  for (size_t r = 0; r < replicas; r++)
    if (nb[r]) parts[r].hash_bytes = kv_xmalloc(nb[r]);
  for (size_t i = 0; i < w->n; i++) {
    kv_workload *p = &parts[owner[i]];
    kv_request_spec q = w->reqs[i];
    size_t m = (size_t)q.hash_n + q.gen_n;
    q.hash_off = p->n_hash_bytes;
    if (m) {
      const uint8_t *src = w->hash_bytes + w->reqs[i].hash_off;
      size_t k = kv_hash_span(src, m);
      memcpy(p->hash_bytes + p->n_hash_bytes, src, k);
      p->n_hash_bytes += k;
      p->n_hashes += m;
    }
    idx[owner[i]][p->n] = i;
    p->reqs[p->n++] = q;
  }
  free(nb);
  free(count);
  free(owner);
  free(load);
  return w->n;
}

void kv_result_aggregate(const kv_result *parts, size_t replicas,
                         size_t *const *idx, size_t n_requests,
                         kv_result *out) {
  memset(out, 0, sizeof *out);
  kv_summary *s = &out->summary;
  /* each metric as its list entry says (metrics.h); percentiles below */
  for (size_t r = 0; r < replicas; r++) {
    kv_summary_add(s, &parts[r].summary);
    kv_metrics_add(kv_tier_info, kv_tier_info_n, &out->tier, &parts[r].tier);
  }
  kv_metrics_finish(kv_summary_info, kv_summary_info_n, s);
  kv_metrics_finish(kv_tier_info, kv_tier_info_n, &out->tier);

  /* requests back in workload order; latency percentiles over all of them,
   * with the engine's definitions (core/engine.c) */
  out->requests =
      kv_xcalloc(n_requests ? n_requests : 1, sizeof *out->requests);
  out->n_requests = n_requests;
  for (size_t r = 0; r < replicas; r++)
    for (size_t j = 0; j < parts[r].n_requests; j++)
      if (idx[r][j] < n_requests)
        out->requests[idx[r][j]] = parts[r].requests[j];
  kv_summary_latencies(s, out->requests, n_requests);
  if (replicas > 0) {
    snprintf(out->strategy, sizeof out->strategy, "%s", parts[0].strategy);
    snprintf(out->backend, sizeof out->backend, "%s", parts[0].backend);
    out->seed = parts[0].seed;
  }
}

/* One replica's engine configuration and where its result goes. */
typedef struct replica_job {
  kv_engine_cfg cfg;
  kv_result *out;
} replica_job;

static kv_status replica_main(void *arg, kv_backend *b, kv_error *err) {
  replica_job *j = arg;
  j->cfg.backend = b;
  return kv_engine_run(&j->cfg, j->out, err);
}

kv_status kv_replica_spec_execute(const kv_replica_spec *spec, kv_result *out,
                                  kv_error *err) {
  size_t R = spec->replicas;
  if (R <= 1) return kv_run_spec_execute(&spec->run, out, err);
  const kv_run_spec *rs = &spec->run;
  if (rs->engine.backend)
    return kv_error_set(err, KV_EINVAL,
                        "run spec: engine.backend must be NULL (the backend "
                        "is created from the spec's descriptor)");
  const kv_workload *w = rs->engine.workload;
  if (!w || w->n == 0 || (w->n < R && spec->dispatch != KV_DISPATCH_REPLICATE))
    return kv_error_set(err, KV_EINVAL,
                        "replicas: %zu replicas need at least as many "
                        "requests, the workload has %zu",
                        R, w ? w->n : (size_t)0);
  memset(out, 0, (R + 1) * sizeof *out);
  kv_workload *parts = kv_xcalloc(R, sizeof *parts);
  size_t **idx = kv_xcalloc(R, sizeof *idx);
  size_t total = kv_workload_dispatch(w, R, spec->dispatch, parts, idx);
  replica_job *jobs = kv_xcalloc(R, sizeof *jobs);
  void **args = kv_xcalloc(R, sizeof *args);
  kv_status *codes = kv_xcalloc(R, sizeof *codes);
  kv_error *errs = kv_xcalloc(R, sizeof *errs);
  /* per-request results: one CSV for all replicas (rows in workload order
   * within each replica), latencies merged in one sketch when not kept */
  const kv_requests_opts *ro = rs->engine.requests_opts;
  kv_requests_opts *ropts = NULL;
  kv_latency_sketch sk;
  memset(&sk, 0, sizeof sk);
  FILE *fp = NULL;
  if (ro) {
    if (ro->requests_file) {
      fp = fopen(ro->requests_file, "w");
      if (!fp || kv_requests_write_csv_header(fp)) {
        if (fp) fclose(fp);
        for (size_t r = 0; r < R; r++) {
          kv_workload_free(&parts[r]);
          free(idx[r]);
        }
        free(parts);
        free(idx);
        return kv_error_set(err, KV_EIO, "requests_file %s: cannot write",
                            ro->requests_file);
      }
    }
    ropts = kv_xcalloc(R, sizeof *ropts);
  }
  for (size_t r = 0; r < R; r++) {
    jobs[r].cfg = rs->engine;
    if (ro) {
      ropts[r] = *ro;
      ropts[r].fp = fp;
      ropts[r].ids = idx[r];
      ropts[r].sk = ro->keep_requests ? NULL : &sk;
      jobs[r].cfg.requests_opts = &ropts[r];
    }
    jobs[r].cfg.workload = &parts[r];
    jobs[r].cfg.seed = rs->engine.seed + r; /* one RNG stream per replica */
    jobs[r].out = &out[r];
    args[r] = &jobs[r];
  }
  kv_status st = KV_OK;
  const kv_backend_desc *d = rs->backend;
  if (d && d != &kv_backend_ideal_desc) {
    kv_backend *b = kv_backend_create(d, rs->backend_opts, &rs->engine, err);
    if (!b) {
      st = err && err->code != KV_OK ? err->code : KV_EBACKEND;
      if (err && err->code == KV_OK)
        kv_error_set(err, KV_EBACKEND, "run spec: backend creation failed");
    } else if (!d->run_replicas) {
      st = kv_error_set(err, KV_EINVAL,
                        "replicas: the %s backend cannot run %zu replicas in "
                        "one simulation",
                        b->vt->name, R);
      b->vt->destroy(b);
    } else {
      st = d->run_replicas(b, R, replica_main, args, codes, errs, err);
      b->vt->destroy(b);
    }
  } else {
    /* ideal GPUs share nothing: the replicas can run one after the other */
    for (size_t r = 0; r < R && st == KV_OK; r++) {
      st = kv_engine_run(&jobs[r].cfg, &out[r], &errs[r]);
      if (st != KV_OK) kv_error_set(err, st, "replica %zu: %s", r, errs[r].msg);
    }
  }
  if (fp && fclose(fp) && st == KV_OK)
    st = kv_error_set(err, KV_EIO, "requests_file %s: cannot write",
                      ro->requests_file);
  if ((st == KV_OK || st == KV_EINTR) && ro && !ro->keep_requests) {
    kv_result_aggregate(out, R, idx, 0, &out[R]);
    free(out[R].requests);
    out[R].requests = NULL;
    kv_summary_latencies_sketch(&out[R].summary, &sk);
  } else if (st == KV_OK || st == KV_EINTR)
    kv_result_aggregate(out, R, idx, total, &out[R]);
  kv_latency_sketch_free(&sk);
  free(ropts);
  for (size_t r = 0; r < R; r++) {
    kv_workload_free(&parts[r]);
    free(idx[r]);
  }
  free(parts);
  free(idx);
  free(jobs);
  free(args);
  free(codes);
  free(errs);
  return st;
}
