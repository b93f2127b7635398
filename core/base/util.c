/* util.c - checked allocation, RNG, percentiles (see util.h). */
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void oom(size_t n) {
  fprintf(stderr, "kvsim: out of host memory allocating %zu bytes\n", n);
  abort();
}

void *kv_xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) oom(n);
  return p;
}

void *kv_xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (!p) oom(n * size);
  return p;
}

void *kv_xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q) oom(n);
  return q;
}

char *kv_xstrdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *d = kv_xmalloc(n);
  memcpy(d, s, n);
  return d;
}

static uint64_t splitmix64(uint64_t *x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

void kv_rng_seed(kv_rng *r, uint64_t seed) {
  uint64_t x = seed;
  for (int i = 0; i < 4; i++)
    r->s[i] = splitmix64(&x);
}

static inline uint64_t rotl(uint64_t x, int k) {
  return (x << k) | (x >> (64 - k));
}

uint64_t kv_rng_next(kv_rng *r) {
  uint64_t *s = r->s;
  uint64_t result = rotl(s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

double kv_rng_uniform(kv_rng *r) {
  return (double)(kv_rng_next(r) >> 11) * 0x1.0p-53;
}

double kv_rng_exp(kv_rng *r, double rate) {
  return -log1p(-kv_rng_uniform(r)) / rate;
}

double kv_rng_normal(kv_rng *r) {
  /* Box-Muller; one value per call keeps the stream simple to reason about */
  double u1 = kv_rng_uniform(r), u2 = kv_rng_uniform(r);
  if (u1 < 1e-300) u1 = 1e-300;
  return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

uint64_t kv_rng_below(kv_rng *r, uint64_t n) {
  if (n == 0) return 0;
  /* Lemire's multiply-shift with rejection for an unbiased draw */
  __uint128_t m = (__uint128_t)kv_rng_next(r) * n;
  uint64_t lo = (uint64_t)m;
  if (lo < n) {
    uint64_t t = -n % n;
    while (lo < t) {
      m = (__uint128_t)kv_rng_next(r) * n;
      lo = (uint64_t)m;
    }
  }
  return (uint64_t)(m >> 64);
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

void kv_sort_doubles(double *v, size_t n) {
  qsort(v, n, sizeof *v, cmp_double);
}

double kv_percentile_sorted(const double *v, size_t n, double p) {
  if (n == 0) return 0.0;
  if (n == 1) return v[0];
  double pos = p / 100.0 * (double)(n - 1);
  size_t i = (size_t)pos;
  if (i >= n - 1) return v[n - 1];
  double f = pos - (double)i;
  return v[i] + f * (v[i + 1] - v[i]);
}
