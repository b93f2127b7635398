/* util.h - small shared helpers: checked allocation, seeded RNG,
 * percentiles. No global state: the RNG lives in the caller's context.
 */
#ifndef KV_UTIL_H
#define KV_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Allocation that aborts with a message on host out-of-memory (the one
 * place core gives up: a simulator cannot continue without host memory). */
void *kv_xmalloc(size_t n);
void *kv_xcalloc(size_t n, size_t size);
void *kv_xrealloc(void *p, size_t n);
char *kv_xstrdup(const char *s);

/* xoshiro256** seeded through splitmix64: one per run, in the run context. */
typedef struct kv_rng {
  uint64_t s[4];
} kv_rng;

void kv_rng_seed(kv_rng *r, uint64_t seed);
uint64_t kv_rng_next(kv_rng *r);
double kv_rng_uniform(kv_rng *r);             /* [0, 1) */
double kv_rng_exp(kv_rng *r, double rate);    /* exponential */
double kv_rng_normal(kv_rng *r);              /* standard normal */
uint64_t kv_rng_below(kv_rng *r, uint64_t n); /* [0, n) */

/* p-th percentile (0..100) of v[0..n) by linear interpolation between
 * closest ranks; sorts v in place. Returns 0 for n == 0. */
double kv_percentile_sorted(const double *v, size_t n, double p);
void kv_sort_doubles(double *v, size_t n);

#define KV_MIN(a, b) ((a) < (b) ? (a) : (b))
#define KV_MAX(a, b) ((a) > (b) ? (a) : (b))
#define KV_DIV_CEIL(a, b) (((a) + (b)-1) / (b))

#ifdef __cplusplus
}
#endif

#endif
