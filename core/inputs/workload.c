/* workload.c - the operations shared by every workload: init and free,
 * hash-id coding, slice, rate scaling, on/off gating, statistics. The
 * trace readers are trace_read.c (lines, format detection), trace_csv.c
 * (Azure, BurstGPT) and trace_jsonl.c (block-hash JSONL); the synthetic
 * generators are workload_synth.c.
 * Main entry points: kv_workload_free(), kv_workload_slice(),
 * kv_workload_stats_compute().
 */
#include "workload.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h> /* malloc_usable_size */
#endif

#include "util.h"

void kv_workload_init(kv_workload *w) {
  memset(w, 0, sizeof *w);
}

void kv_workload_free(kv_workload *w) {
  if (!w) return;
  free(w->reqs);
  free(w->hash_bytes);
  free(w->session);
  kv_workload_init(w);
}

static size_t block_bytes(const void *p, size_t want) {
#ifdef __GLIBC__
  (void)want;
  return p ? malloc_usable_size((void *)p) : 0;
#else
  return p ? want : 0;
#endif
}

size_t kv_workload_bytes(const kv_workload *w) {
  return block_bytes(w->reqs, w->n * sizeof *w->reqs) +
         block_bytes(w->hash_bytes, w->n_hash_bytes) +
         block_bytes(w->session, w->n * sizeof *w->session);
}

/* ---- hash id coding ----------------------------------------------------- */

size_t kv_hash_encode(const uint32_t *ids, size_t n, uint8_t *out) {
  uint8_t *o = out;
  int64_t prev = 0;
  for (size_t i = 0; i < n; i++) {
    int64_t d = (int64_t)ids[i] - prev;
    uint64_t z = ((uint64_t)d << 1) ^ (uint64_t)(d >> 63); /* zigzag */
    prev = ids[i];
    while (z >= 0x80) {
      *o++ = (uint8_t)(z | 0x80);
      z >>= 7;
    }
    *o++ = (uint8_t)z;
  }
  return (size_t)(o - out);
}

size_t kv_hash_decode(const uint8_t *in, size_t n, uint32_t *ids) {
  const uint8_t *p = in;
  int64_t prev = 0;
  for (size_t i = 0; i < n; i++) {
    uint64_t z = 0;
    for (unsigned sh = 0;; sh += 7) {
      uint8_t c = *p++;
      z |= (uint64_t)(c & 0x7f) << sh;
      if (!(c & 0x80)) break;
    }
    prev += (int64_t)(z >> 1) ^ -(int64_t)(z & 1);
    ids[i] = (uint32_t)prev;
  }
  return (size_t)(p - in);
}

size_t kv_hash_span(const uint8_t *in, size_t n) {
  const uint8_t *p = in;
  for (size_t i = 0; i < n; i++)
    while (*p++ & 0x80) {
    }
  return (size_t)(p - in);
}

uint32_t kv_workload_ids(const kv_workload *w, size_t i, uint32_t *ids) {
  const kv_request_spec *q = &w->reqs[i];
  uint32_t n = q->hash_n + q->gen_n;
  if (n) kv_hash_decode(w->hash_bytes + q->hash_off, n, ids);
  return n;
}

void kv_workload_set_ids(kv_workload *w, const uint32_t *ids, size_t n) {
  uint8_t *b = kv_xmalloc(n * KV_HASH_MAX_BYTES + 1);
  size_t at = 0;
  for (size_t i = 0; i < w->n; i++) {
    kv_request_spec *q = &w->reqs[i];
    size_t first = (size_t)q->hash_off;
    q->hash_off = at;
    at += kv_hash_encode(ids + first, (size_t)q->hash_n + q->gen_n, b + at);
  }
  free(w->hash_bytes);
  w->hash_bytes = kv_xrealloc(b, at ? at : 1);
  w->n_hash_bytes = at;
  w->n_hashes = n;
}

/* ---- slice, rate scaling, statistics ------------------------------------ */

void kv_workload_slice(kv_workload *w, size_t first, size_t n) {
  if (first > w->n) first = w->n;
  if (n > w->n - first) n = w->n - first;
  memmove(w->reqs, w->reqs + first, n * sizeof *w->reqs);
  if (w->session)
    memmove(w->session, w->session + first, n * sizeof *w->session);
  w->n = n;
  /* rebase arrivals so the slice starts at 0 */
  double t0 = n ? w->reqs[0].arrival : 0.0;
  size_t nh = 0, nb = 0;
  for (size_t i = 0; i < n; i++) {
    kv_request_spec *r = &w->reqs[i];
    r->arrival -= t0;
    nh += (size_t)r->hash_n + r->gen_n;
    if (w->hash_bytes)
      nb += kv_hash_span(w->hash_bytes + r->hash_off,
                         (size_t)r->hash_n + r->gen_n);
  }
  /* compact the prefix hashes the slice still refers to */
  if (w->hash_bytes) {
    uint8_t *h = kv_xmalloc(nb ? nb : 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
      kv_request_spec *r = &w->reqs[i];
      const uint8_t *src = w->hash_bytes + r->hash_off;
      size_t m = kv_hash_span(src, (size_t)r->hash_n + r->gen_n);
      memcpy(h + k, src, m);
      r->hash_off = k;
      k += m;
    }
    free(w->hash_bytes);
    w->hash_bytes = h;
    w->n_hash_bytes = nb;
    w->n_hashes = nh;
  }
  size_t used = strlen(w->source);
  if (used < sizeof w->source)
    snprintf(w->source + used, sizeof w->source - used, " [requests %zu..%zu]",
             first, first + n);
}

void kv_workload_scale_rate(kv_workload *w, double speedup) {
  if (!(speedup > 0) || !isfinite(speedup)) return;
  for (size_t i = 0; i < w->n; i++)
    w->reqs[i].arrival /= speedup;
  size_t used = strlen(w->source);
  if (used < sizeof w->source)
    snprintf(w->source + used, sizeof w->source - used, " [rate x%g]", speedup);
}

void kv_workload_gate(kv_workload *w, double period, double on, double phase) {
  if (!(period > 0) || !(on > 0)) return;
  size_t k = 0, nh = 0;
  for (size_t i = 0; i < w->n; i++) {
    double x = fmod(w->reqs[i].arrival - phase, period);
    if (x < 0) x += period;
    if (x >= on) continue;
    w->reqs[k] = w->reqs[i];
    if (w->session) w->session[k] = w->session[i];
    nh += (size_t)w->reqs[k].hash_n + w->reqs[k].gen_n;
    k++;
  }
  w->n = k;
  w->n_hashes = nh;
  size_t used = strlen(w->source);
  if (used < sizeof w->source)
    snprintf(w->source + used, sizeof w->source - used,
             " [on %gs of every %gs from %gs]", on, period, phase);
}

void kv_workload_shift(kv_workload *w, double dt) {
  for (size_t i = 0; i < w->n; i++)
    w->reqs[i].arrival += dt;
  size_t used = strlen(w->source);
  if (dt != 0 && used < sizeof w->source)
    snprintf(w->source + used, sizeof w->source - used, " [+%gs]", dt);
}

static void dist_stats(double *v, size_t n, double *mean, double *p50,
                       double *p99, double *max) {
  double sum = 0;
  for (size_t i = 0; i < n; i++)
    sum += v[i];
  *mean = n ? sum / (double)n : 0.0;
  kv_sort_doubles(v, n);
  *p50 = kv_percentile_sorted(v, n, 50);
  *p99 = kv_percentile_sorted(v, n, 99);
  *max = n ? v[n - 1] : 0.0;
}

void kv_workload_stats_compute(const kv_workload *w, kv_workload_stats *s) {
  memset(s, 0, sizeof *s);
  s->n = w->n;
  if (w->n == 0) return;
  s->duration = w->reqs[w->n - 1].arrival - w->reqs[0].arrival;
  s->rate = s->duration > 0 ? (double)w->n / s->duration : 0.0;
  if (w->n > 2) {
    /* coefficient of variation of the gaps: population std / mean */
    double m = s->duration / (double)(w->n - 1), ss = 0;
    for (size_t i = 1; i < w->n; i++) {
      double g = w->reqs[i].arrival - w->reqs[i - 1].arrival - m;
      ss += g * g;
    }
    s->interarrival_cv = m > 0 ? sqrt(ss / (double)(w->n - 1)) / m : 0.0;
  }
  double *v = kv_xmalloc(w->n * sizeof *v);
  for (size_t i = 0; i < w->n; i++)
    v[i] = w->reqs[i].prompt;
  dist_stats(v, w->n, &s->prompt_mean, &s->prompt_p50, &s->prompt_p99,
             &s->prompt_max);
  for (size_t i = 0; i < w->n; i++)
    v[i] = w->reqs[i].output;
  dist_stats(v, w->n, &s->output_mean, &s->output_p50, &s->output_p99,
             &s->output_max);
  free(v);
}
