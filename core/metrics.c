/* metrics.c - metric metadata and CSV writers, generated from the X-macro
 * lists in metrics.h so that a metric is defined in exactly one place.
 * Main entry points: kv_timeline_write_csv(), kv_summary_write_csv_row().
 */
#include "metrics.h"

#include "util.h"

#include <stddef.h>

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
