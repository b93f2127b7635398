/* metrics.c - metric metadata, the combining of runs and CSV writers,
 * generated from the X-macro lists in metrics.h so that a metric is defined
 * in exactly one place. Main entry points: kv_metrics_add(),
 * kv_metrics_finish(), kv_timeline_write_csv(), kv_summary_write_csv_row().
 */
#include "metrics.h"

#include "util.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* The third column of a run metric, as kv_metric_info's agg, a, b, p. */
#define KV_AGG_INFO_SUM .agg = KV_AGG_SUM
#define KV_AGG_INFO_MAX .agg = KV_AGG_MAX
#define KV_AGG_INFO_WMEAN(w) .agg = KV_AGG_WMEAN, .a = offsetof(REC, w)
#define KV_AGG_INFO_RATIO(x, y)                                                \
  .agg = KV_AGG_RATIO, .a = offsetof(REC, x), .b = offsetof(REC, y)
#define KV_AGG_INFO_PCTL(d, pct) .agg = KV_AGG_PCTL, .a = KV_LAT_##d, .p = pct
#define KV_X_RUN_INFO(nm, u, agg, d)                                           \
  {.name = #nm,                                                                \
   .unit = u,                                                                  \
   .doc = d,                                                                   \
   .offset = offsetof(REC, nm),                                                \
   KV_AGG_INFO_##agg},

#define REC kv_summary
const kv_metric_info kv_summary_info[] = {KV_SUMMARY_METRICS(KV_X_RUN_INFO)};
#undef REC
const size_t kv_summary_info_n =
    sizeof kv_summary_info / sizeof kv_summary_info[0];

#define REC kv_tier_result
const kv_metric_info kv_tier_info[] = {KV_TIER_METRICS(KV_X_RUN_INFO)};
#undef REC
const size_t kv_tier_info_n = sizeof kv_tier_info / sizeof kv_tier_info[0];

#define KV_X_SAMPLE_INFO(nm, u, d)                                             \
  {.name = #nm, .unit = u, .doc = d, .offset = offsetof(kv_sample, nm)},
const kv_metric_info kv_sample_info[] = {KV_SAMPLE_METRICS(KV_X_SAMPLE_INFO)};
const size_t kv_sample_info_n =
    sizeof kv_sample_info / sizeof kv_sample_info[0];
#undef KV_X_SAMPLE_INFO

/* ---- combining runs ---- */

static double at(const void *rec, size_t off) {
  return *(const double *)((const char *)rec + off);
}

void kv_metrics_derive(const kv_metric_info *m, size_t n, void *rec) {
  for (size_t i = 0; i < n; i++)
    if (m[i].agg == KV_AGG_RATIO && at(rec, m[i].b) > 0)
      *kv_metric_at(rec, &m[i]) = at(rec, m[i].a) / at(rec, m[i].b);
}

void kv_metrics_add(const kv_metric_info *m, size_t n, void *acc,
                    const void *part) {
  for (size_t i = 0; i < n; i++) {
    double *x = kv_metric_at(acc, &m[i]), v = kv_metric_get(part, &m[i]);
    if (m[i].agg == KV_AGG_SUM) *x += v;
    if (m[i].agg == KV_AGG_MAX && v > *x) *x = v;
    if (m[i].agg == KV_AGG_WMEAN) *x += v * at(part, m[i].a);
  }
}

void kv_metrics_finish(const kv_metric_info *m, size_t n, void *acc) {
  for (size_t i = 0; i < n; i++) {
    if (m[i].agg != KV_AGG_WMEAN) continue;
    double *x = kv_metric_at(acc, &m[i]), w = at(acc, m[i].a);
    *x = w > 0 ? *x / w : 0;
  }
  kv_metrics_derive(m, n, acc);
}

void kv_summary_add(kv_summary *acc, const kv_summary *part) {
  kv_metrics_add(kv_summary_info, kv_summary_info_n, acc, part);
  for (int k = 0; k < KV_OP__COUNT; k++) {
    acc->op_count[k] += part->op_count[k];
    acc->op_time[k] += part->op_time[k];
  }
  acc->compute_steps_table += part->compute_steps_table;
  acc->compute_steps_roofline += part->compute_steps_roofline;
  acc->compute_steps_attn_table += part->compute_steps_attn_table;
}

void kv_timeline_push(kv_timeline *tl, const kv_sample *s) {
  if (tl->n == tl->cap) {
    tl->cap = tl->cap ? tl->cap * 2 : 1024;
    tl->s = kv_xrealloc(tl->s, tl->cap * sizeof *tl->s);
  }
  tl->s[tl->n++] = *s;
}

void kv_timeline_free(kv_timeline *tl) {
  free(tl->s);
  tl->s = NULL;
  tl->n = tl->cap = 0;
}

int kv_timeline_write_csv(const kv_timeline *tl, FILE *f) {
  for (size_t i = 0; i < kv_sample_info_n; i++)
    fprintf(f, "%s%s", i ? "," : "", kv_sample_info[i].name);
  fputc('\n', f);
  for (size_t r = 0; r < tl->n; r++) {
    for (size_t i = 0; i < kv_sample_info_n; i++)
      fprintf(f, "%s%.9g", i ? "," : "",
              kv_metric_get(&tl->s[r], &kv_sample_info[i]));
    fputc('\n', f);
  }
  return ferror(f) ? -1 : 0;
}

int kv_summary_write_csv_header(FILE *f) {
  for (size_t i = 0; i < kv_summary_info_n; i++)
    fprintf(f, "%s%s", i ? "," : "", kv_summary_info[i].name);
  fputc('\n', f);
  return ferror(f) ? -1 : 0;
}

int kv_summary_write_csv_row(const kv_summary *s, FILE *f) {
  for (size_t i = 0; i < kv_summary_info_n; i++)
    fprintf(f, "%s%.9g", i ? "," : "", kv_metric_get(s, &kv_summary_info[i]));
  fputc('\n', f);
  return ferror(f) ? -1 : 0;
}

/* ---- latency sketch ---- */

static double sketch_gamma(void) {
  return (1.0 + KV_SKETCH_ALPHA) / (1.0 - KV_SKETCH_ALPHA);
}

void kv_sketch_init(kv_sketch *s) {
  memset(s, 0, sizeof *s);
}

void kv_sketch_free(kv_sketch *s) {
  free(s->counts);
  kv_sketch_init(s);
}

/* Make room for buckets [lo, hi] (grows by at least doubling). */
static void sketch_span(kv_sketch *s, int32_t lo, int32_t hi) {
  if (s->len == 0) {
    int32_t len = hi - lo + 1 < 64 ? 64 : hi - lo + 1;
    s->counts = kv_xcalloc((size_t)len, sizeof *s->counts);
    s->lo = lo - (len - (hi - lo + 1)) / 2;
    s->len = len;
    return;
  }
  if (lo >= s->lo && hi < s->lo + s->len) return;
  int32_t nlo = lo < s->lo ? lo : s->lo;
  int32_t nhi = hi >= s->lo + s->len ? hi : s->lo + s->len - 1;
  int32_t len = nhi - nlo + 1;
  if (len < 2 * s->len) {
    int32_t extra = 2 * s->len - len;
    if (lo < s->lo) nlo -= extra; /* grow towards the side that needed it */
    len = 2 * s->len;
  }
  uint64_t *c = kv_xcalloc((size_t)len, sizeof *c);
  memcpy(c + (s->lo - nlo), s->counts, (size_t)s->len * sizeof *c);
  free(s->counts);
  s->counts = c;
  s->lo = nlo;
  s->len = len;
}

void kv_sketch_add(kv_sketch *s, double x) {
  s->n++;
  if (!(x > KV_SKETCH_MIN)) {
    s->zeros++;
    return;
  }
  int32_t i = (int32_t)ceil(log(x) / log(sketch_gamma()));
  sketch_span(s, i, i);
  s->counts[i - s->lo]++;
}

void kv_sketch_merge(kv_sketch *into, const kv_sketch *from) {
  into->n += from->n;
  into->zeros += from->zeros;
  int32_t a = -1, b = -1; /* first and last non-empty bucket of from */
  for (int32_t k = 0; k < from->len; k++)
    if (from->counts[k]) {
      if (a < 0) a = k;
      b = k;
    }
  if (a < 0) return;
  sketch_span(into, from->lo + a, from->lo + b);
  for (int32_t k = a; k <= b; k++)
    into->counts[from->lo + k - into->lo] += from->counts[k];
}

/* The value standing for order statistic r (0-based). */
static double sketch_rank(const kv_sketch *s, uint64_t r) {
  if (r < s->zeros) return 0.0;
  uint64_t c = s->zeros;
  double g = sketch_gamma();
  for (int32_t k = 0; k < s->len; k++) {
    c += s->counts[k];
    if (r < c) return 2.0 * pow(g, (double)(s->lo + k)) / (g + 1.0);
  }
  return 0.0; /* not reached: r < n */
}

double kv_sketch_percentile(const kv_sketch *s, double p) {
  if (s->n == 0) return 0.0;
  if (s->n == 1) return sketch_rank(s, 0);
  double pos = p / 100.0 * (double)(s->n - 1);
  uint64_t i = (uint64_t)pos;
  if (i >= s->n - 1) return sketch_rank(s, s->n - 1);
  double f = pos - (double)i;
  double lo = sketch_rank(s, i), hi = sketch_rank(s, i + 1);
  return lo + f * (hi - lo);
}
