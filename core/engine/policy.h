/* policy.h - pluggable tiering decisions and their C defaults.
 *
 * With tiering on (kv_engine_cfg.tier) the engine asks a policy four
 * questions, each with a read-only view of the state:
 *   evict     which running request's blocks go to the host tier when a
 *             reservation finds no memory (default: least recently used);
 *   admit     may this waiting request be admitted now (default: yes);
 *   prefetch  how many waiting requests at the head of the queue get their
 *             evicted blocks copied back ahead of use, in steps that did not
 *             preempt (default: 2 while more than 1/8 of memory is free);
 *   compact   how many blocks compaction may move this step (default: up to
 *             64 when the free blocks are scattered, see kv_policy_default).
 * A NULL slot takes the default. A callback that fails returns an error
 * (kv_error) naming the policy; the engine stops the run with it.
 * Main entry points: kv_policy_default, kv_policy_lru_victim().
 */
#ifndef KV_POLICY_H
#define KV_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kv_error.h"
#include "strategy.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One request as a policy sees it. */
typedef struct kv_policy_req {
  uint32_t id; /* request index in the workload */
  uint32_t prompt, output;
  uint32_t generated;   /* tokens sampled so far */
  uint32_t computed;    /* tokens whose KV is in the cache */
  uint32_t host_blocks; /* blocks evicted to the host tier */
  uint64_t last_step;   /* last step it computed tokens (0: never) */
  uint64_t admit_step;  /* step it was last admitted or resumed */
  double arrival;       /* s */
} kv_policy_req;

typedef struct kv_policy_view {
  uint64_t step; /* steps executed so far */
  double now;    /* s, backend clock */
  kv_mem_stats mem;
  kv_tier_stats tier;
  const kv_policy_req *cand; /* evict: candidates (running, newest last) */
  size_t n_cand;
  const kv_policy_req *waiting; /* waiting queue, head first */
  size_t n_waiting;
} kv_policy_view;

typedef struct kv_policy {
  const char *name; /* for error messages ("lua policy tiering.lua") */
  void *ud;
  /* *victim = index into v->cand. */
  kv_status (*evict)(void *ud, const kv_policy_view *v, size_t *victim,
                     kv_error *err);
  /* *yes = admit v->waiting[0] now (memory permitting). */
  kv_status (*admit)(void *ud, const kv_policy_view *v, bool *yes,
                     kv_error *err);
  /* *distance = waiting requests to reload ahead of use. */
  kv_status (*prefetch)(void *ud, const kv_policy_view *v, uint32_t *distance,
                        kv_error *err);
  /* *max_blocks = blocks compaction may move this step (0 = none). */
  kv_status (*compact)(void *ud, const kv_policy_view *v, uint64_t *max_blocks,
                       kv_error *err);
} kv_policy;

/* The C defaults, one function per question. */
extern const kv_policy kv_policy_default;

/* Least recently used: the candidate with the smallest last_step; ties go
 * to the most recently admitted (largest admit_step), then to the later
 * position in the candidate list (the newest, as vLLM preempts). */
size_t kv_policy_lru_victim(const kv_policy_view *v);

/* Compaction trigger of the default: free blocks split into more than 8
 * runs averaging under 4 blocks each -> move up to 64 blocks. */
uint64_t kv_policy_default_compact_blocks(const kv_tier_stats *t);

#ifdef __cplusplus
}
#endif

#endif
