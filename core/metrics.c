/* metrics.c - metric metadata and CSV writers, generated from the X-macro
 * lists in metrics.h so that a metric is defined in exactly one place.
 * Main entry points: kv_timeline_write_csv(), kv_summary_write_csv_row().
 */
#include "metrics.h"

#include "util.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define KV_X_SUMMARY_INFO(name, unit, doc)                                     \
  {#name, unit, doc, offsetof(kv_summary, name)},
const kv_metric_info kv_summary_info[] = {
    KV_SUMMARY_METRICS(KV_X_SUMMARY_INFO)};
const size_t kv_summary_info_n =
    sizeof kv_summary_info / sizeof kv_summary_info[0];
#undef KV_X_SUMMARY_INFO

#define KV_X_SAMPLE_INFO(name, unit, doc)                                      \
  {#name, unit, doc, offsetof(kv_sample, name)},
const kv_metric_info kv_sample_info[] = {KV_SAMPLE_METRICS(KV_X_SAMPLE_INFO)};
const size_t kv_sample_info_n =
    sizeof kv_sample_info / sizeof kv_sample_info[0];
#undef KV_X_SAMPLE_INFO

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

static double field(const void *base, size_t off) {
  return *(const double *)((const char *)base + off);
}

int kv_timeline_write_csv(const kv_timeline *tl, FILE *f) {
  for (size_t i = 0; i < kv_sample_info_n; i++)
    fprintf(f, "%s%s", i ? "," : "", kv_sample_info[i].name);
  fputc('\n', f);
  for (size_t r = 0; r < tl->n; r++) {
    for (size_t i = 0; i < kv_sample_info_n; i++)
      fprintf(f, "%s%.9g", i ? "," : "",
              field(&tl->s[r], kv_sample_info[i].offset));
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
    fprintf(f, "%s%.9g", i ? "," : "", field(s, kv_summary_info[i].offset));
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
