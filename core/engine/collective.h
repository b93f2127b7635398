/* collective.h - tensor parallelism's all-reduce, priced by message size
 * and TP degree: a fixed cost per call, a latency per algorithm step and
 * the bytes over the bus bandwidth, for a ring and a tree (NCCL's cost
 * model in shape), or a measured table of time by bytes and TP degree
 * when the platform has one. Both simulated backends add it to every step.
 * Main entry points: kv_allreduce_time(), kv_allreduce_step_time().
 */
#ifndef KV_COLLECTIVE_H
#define KV_COLLECTIVE_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "platform.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The all-reduce algorithms (kv_platform.allreduce_algo). */
typedef enum kv_allreduce_algo {
  KV_ALLREDUCE_AUTO = 0, /* the faster of ring and tree at each size */
  KV_ALLREDUCE_RING = 1,
  KV_ALLREDUCE_TREE = 2,
} kv_allreduce_algo;

/* Seconds one all-reduce of `bytes` (per GPU) takes over `tp` GPUs of the
 * platform (0 when tp <= 1). When the platform's allreduce_table has a
 * row for tp and tp fits one server (tp <= gpus_per_server), that row
 * (kv_allreduce_table_time); otherwise the model: with
 * base = allreduce_base, hop = allreduce_lat and bw = allreduce_bw (nvlink_bw
 * when 0; PCIe's when there is no NVLink; the NIC's when tp spans servers):
 *   ring: base + 2(tp-1) hop + 2(tp-1)/tp bytes/bw
 *   tree: base + 2 ceil(log2 tp) hop + 2 bytes/bw  (reduce up, broadcast
 *         down, pipelined)
 * `algo`: allreduce_algo (auto = the minimum). */
double kv_allreduce_time(const kv_platform *p, uint32_t tp, double bytes);

/* Which prices kv_allreduce_time uses for `tp` GPUs on platform p. */
typedef enum kv_allreduce_source {
  KV_ALLREDUCE_NONE = 0,  /* tp <= 1: no all-reduce */
  KV_ALLREDUCE_MODEL = 1, /* the ring / tree model above */
  KV_ALLREDUCE_TABLE = 2, /* the measured table's row for tp */
} kv_allreduce_source;

kv_allreduce_source kv_allreduce_source_of(const kv_platform *p, uint32_t tp);

/* "none", "model" or "table" (kv_allreduce_source). */
const char *kv_allreduce_source_name(kv_allreduce_source s);

/* Seconds of one all-reduce of `bytes` from a measured row (x: bytes per
 * GPU, y: s; row->n > 0): linear in log bytes between points, the first
 * point's time below it (a latency floor), and past the last point the
 * last segment's per-byte slope (bandwidth-bound; the last time when that
 * slope is not positive or there is one point). */
double kv_allreduce_table_time(const kv_curve *row, double bytes);

/* A clause for a backend's description when the platform has a measured
 * all-reduce table and tp > 1: "all-reduce measured table (tp 4)",
 * "all-reduce model (table has no tp 4 row)" or "all-reduce model (tp 16
 * spans servers)"; "" otherwise (descriptions
 * stay as they were without a table). */
void kv_allreduce_describe(const kv_platform *p, uint32_t tp, char *buf,
                           size_t n);

/* Seconds a step's all-reduces take: 2 per layer (attention and MLP
 * outputs), each of tokens x hidden x 2 bytes (bf16 activations). */
double kv_allreduce_step_time(const kv_platform *p, const kv_model *m,
                              uint32_t tp, double tokens);

#ifdef __cplusplus
}
#endif

#endif
