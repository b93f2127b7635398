/* workload_testutil.h - reading a workload's compact hash ids in tests:
 * one id of a request, or every id in request order (the layout the ids
 * had before they were stored compactly). */
#ifndef KV_WORKLOAD_TESTUTIL_H
#define KV_WORKLOAD_TESTUTIL_H

#include <stdlib.h>

#include "workload.h"

/* Id k of request r (0 .. hash_n + gen_n - 1). */
static inline uint32_t hid(const kv_workload *w, const kv_request_spec *r,
                           uint32_t k) {
  uint32_t *v = malloc(((size_t)k + 1) * sizeof *v);
  kv_hash_decode(w->hash_bytes + r->hash_off, (size_t)k + 1, v);
  uint32_t id = v[k];
  free(v);
  return id;
}

/* Every request's ids in request order (w->n_hashes of them; free it). */
static inline uint32_t *all_ids(const kv_workload *w) {
  uint32_t *v = malloc((w->n_hashes ? w->n_hashes : 1) * sizeof *v);
  size_t at = 0;
  for (size_t i = 0; i < w->n; i++)
    at += kv_workload_ids(w, i, v + at);
  return v;
}

#endif
