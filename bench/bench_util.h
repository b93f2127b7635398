/* bench_util.h - what every benchmark needs: die loudly at the call site,
 * read the monotonic wall clock (benchmarks time themselves; core never
 * reads the wall clock). */
#ifndef KV_BENCH_UTIL_H
#define KV_BENCH_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define DIE(...)                                                               \
  do {                                                                         \
    fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);                            \
    fprintf(stderr, __VA_ARGS__);                                              \
    fputc('\n', stderr);                                                       \
    exit(1);                                                                   \
  } while (0)

static inline double wall(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

#endif
