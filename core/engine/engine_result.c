/* engine_result.c - a run's results: the summary's means and ratios, the
 * latency percentiles (TTFT, TPOT, end to end; exact from the kept
 * requests, or from sketches when they are not kept) and the requests CSV.
 * Entry points: engine_summary (kv_engine_close), and the public
 * kv_summary_latencies, kv_latency_sketch_*, kv_requests_write_csv*.
 */
#include "engine_internal.h"

void kv_latency_sketch_add(kv_latency_sketch *sk, const kv_request_result *reqs,
                           size_t n) {
  for (size_t i = 0; i < n; i++) {
    const kv_request_result *r = &reqs[i];
    if (r->rejected == KV_REJECT_TIMEOUT) continue; /* the client gave up */
    if (r->first_token >= 0)
      kv_sketch_add(&sk->ttft, r->first_token - r->arrival);
    if (r->finish >= 0) {
      kv_sketch_add(&sk->e2e, r->finish - r->arrival);
      if (r->generated > 1)
        kv_sketch_add(&sk->tpot,
                      (r->finish - r->first_token) / (r->generated - 1));
    }
  }
}

void kv_latency_sketch_free(kv_latency_sketch *sk) {
  kv_sketch_free(&sk->ttft);
  kv_sketch_free(&sk->tpot);
  kv_sketch_free(&sk->e2e);
}

void kv_summary_latencies_sketch(kv_summary *sum, const kv_latency_sketch *sk) {
  const kv_sketch *d[] = {[KV_LAT_TTFT] = &sk->ttft,
                          [KV_LAT_TPOT] = &sk->tpot,
                          [KV_LAT_E2E] = &sk->e2e};
  for (size_t i = 0; i < kv_summary_info_n; i++) {
    const kv_metric_info *m = &kv_summary_info[i];
    if (m->agg == KV_AGG_PCTL)
      *kv_metric_at(sum, m) = kv_sketch_percentile(d[m->a], m->p);
  }
}

int kv_requests_write_csv_header(FILE *f) {
  fputs("id,arrival,first_token,finish,prompt,output,generated,preemptions,"
        "rejected,truncated\n",
        f);
  return ferror(f) ? -1 : 0;
}

int kv_requests_write_csv(FILE *f, const kv_request_result *reqs, size_t n,
                          const size_t *ids) {
  for (size_t i = 0; i < n; i++) {
    const kv_request_result *r = &reqs[i];
    fprintf(f, "%zu,%.17g,%.17g,%.17g,%u,%u,%u,%u,%u,%u\n", ids ? ids[i] : i,
            r->arrival, r->first_token, r->finish, r->prompt, r->output,
            r->generated, r->preemptions, (unsigned)r->rejected, r->truncated);
  }
  return ferror(f) ? -1 : 0;
}

void kv_summary_latencies(kv_summary *sum, const kv_request_result *reqs,
                          size_t n) {
  size_t cap = n ? n : 1;
  double *ttft = kv_xmalloc(cap * sizeof *ttft);
  double *tpot = kv_xmalloc(cap * sizeof *tpot);
  double *e2e = kv_xmalloc(cap * sizeof *e2e);
  size_t n_ttft = 0, n_tpot = 0, n_e2e = 0;
  for (size_t i = 0; i < n; i++) {
    const kv_request_result *r = &reqs[i];
    if (r->rejected == KV_REJECT_TIMEOUT) continue; /* the client gave up */
    /* TTFT: arrival to first token; TPOT: mean gap between later tokens */
    if (r->first_token >= 0) ttft[n_ttft++] = r->first_token - r->arrival;
    if (r->finish >= 0) {
      e2e[n_e2e++] = r->finish - r->arrival;
      if (r->generated > 1)
        tpot[n_tpot++] = (r->finish - r->first_token) / (r->generated - 1);
    }
  }
  kv_sort_doubles(ttft, n_ttft);
  kv_sort_doubles(tpot, n_tpot);
  kv_sort_doubles(e2e, n_e2e);
  const double *d[] = {
      [KV_LAT_TTFT] = ttft, [KV_LAT_TPOT] = tpot, [KV_LAT_E2E] = e2e};
  const size_t nd[] = {
      [KV_LAT_TTFT] = n_ttft, [KV_LAT_TPOT] = n_tpot, [KV_LAT_E2E] = n_e2e};
  for (size_t i = 0; i < kv_summary_info_n; i++) {
    const kv_metric_info *m = &kv_summary_info[i];
    if (m->agg == KV_AGG_PCTL)
      *kv_metric_at(sum, m) = kv_percentile_sorted(d[m->a], nd[m->a], m->p);
  }
  free(ttft);
  free(tpot);
  free(e2e);
}

/* Summary of a run that ended with status s: the means, latencies, the
 * requests file. Returns s, or the file's error. */
kv_status engine_summary(engine *e, kv_status s) {
  const kv_engine_cfg *cfg = e->cfg;
  const kv_workload *w = cfg->workload;
  kv_result *out = e->res;
  kv_error *err = e->err;
  kv_summary *sum = &out->summary;
  double end = now(e);
  /* commit writes a finished request's `generated`; the rest here */
  for (size_t i = 0; i < e->n; i++)
    out->requests[i].generated = e->reqs[i].generated;
  sum->requests = (double)w->n;
  sum->unfinished = (double)(w->n - e->finished);
  sum->sim_time = end - e->first_arrival;
  sum->batch_mean = sum->steps ? e->batch_sum / sum->steps : 0;
  sum->util_mean = e->w_util_time > 0 ? e->w_util / e->w_util_time : 0;
  if (e->w_time > 0) {
    sum->used_mean = e->w_used / e->w_time;
    sum->backed_mean = e->w_backed / e->w_time;
    sum->internal_frag_mean = e->w_int / e->w_time;
    sum->external_frag_mean = e->w_ext / e->w_time;
  }
  kv_metrics_derive(kv_summary_info, kv_summary_info_n, sum); /* ratios */

  const kv_requests_opts *ro = cfg->requests_opts;
  if (!ro || ro->keep_requests) {
    kv_summary_latencies(sum, out->requests, out->n_requests);
  } else {
    kv_latency_sketch own;
    memset(&own, 0, sizeof own);
    kv_latency_sketch_add(&own, out->requests, out->n_requests);
    kv_summary_latencies_sketch(sum, &own);
    if (ro->sk) {
      kv_sketch_merge(&ro->sk->ttft, &own.ttft);
      kv_sketch_merge(&ro->sk->tpot, &own.tpot);
      kv_sketch_merge(&ro->sk->e2e, &own.e2e);
    }
    kv_latency_sketch_free(&own);
  }
  if (ro && (ro->fp || ro->requests_file) && s == KV_OK) {
    FILE *f = ro->fp ? ro->fp : fopen(ro->requests_file, "w");
    int bad = !f;
    if (f && !ro->fp) bad |= kv_requests_write_csv_header(f) != 0;
    long at = f && ro->fp && ro->span ? ftell(f) : 0;
    if (f)
      bad |= kv_requests_write_csv(f, out->requests, out->n_requests,
                                   ro->ids) != 0;
    if (f && ro->fp && ro->span) {
      long to = ftell(f);
      bad |= at < 0 || to < at;
      ro->span[0] = at;
      ro->span[1] = to - at;
    }
    if (f && !ro->fp) bad |= fclose(f) != 0;
    if (bad)
      s = kv_error_set(err, KV_EIO, "requests_file %s: cannot write",
                       ro->requests_file ? ro->requests_file : "(stream)");
  }
  if (ro && !ro->keep_requests) {
    free(out->requests);
    out->requests = NULL;
    out->n_requests = 0;
  }
  kv_metrics_derive(kv_tier_info, kv_tier_info_n, &out->tier);
  return s;
}
