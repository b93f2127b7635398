/* multimodel_testutil.h - what tests/test_multimodel.c and
 * tests/test_multimodel_sim.c both build: a burst of synthetic requests
 * and one model's entry of a multi-model run (check level 2: every
 * invariant after every step). */
#ifndef KV_MULTIMODEL_TESTUTIL_H
#define KV_MULTIMODEL_TESTUTIL_H

#include <criterion/criterion.h>
#include <string.h>

#include "engine.h"
#include "multimodel.h"
#include "workload.h"

/* A burst of n requests at `rate` per second starting at `start`. */
static inline void burst(kv_workload *w, size_t n, double rate, double start,
                         uint32_t prompt_max, uint64_t seed) {
  kv_synth_cfg c = {
      .arrival = KV_ARRIVAL_POISSON,
      .rate = rate,
      .n = n,
      .prompt = {.kind = KV_LEN_UNIFORM, .a = 500, .b = prompt_max, .min = 1},
      .output = {.kind = KV_LEN_UNIFORM, .a = 100, .b = 600, .min = 1},
  };
  kv_error err;
  kv_workload_init(w);
  cr_assert_eq(kv_workload_synthetic(&c, seed, w, &err), KV_OK, "%s", err.msg);
  for (size_t i = 0; i < w->n; i++)
    w->reqs[i].arrival += start;
}

/* One model of a multi-model run: its model and workload, max context
 * 8192, every invariant checked every step. */
static inline void model_cfg(kv_mm_model *m, const kv_model *model,
                             const kv_workload *w) {
  memset(m, 0, sizeof *m);
  kv_engine_cfg_defaults(&m->engine);
  m->engine.model = model;
  m->engine.workload = w;
  m->engine.scfg.max_context = 8192;
  m->engine.check_level = 2;
}

#endif
