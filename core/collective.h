/* collective.h - tensor parallelism's all-reduce, priced by message size
 * and TP degree: a fixed cost per call, a latency per algorithm step and
 * the bytes over the bus bandwidth, for a ring and a tree (NCCL's cost
 * model in shape). Both simulated backends add it to every step.
 * Main entry points: kv_allreduce_time(), kv_allreduce_step_time().
 */
#ifndef KV_COLLECTIVE_H
#define KV_COLLECTIVE_H

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
 * platform (0 when tp <= 1). With base = allreduce_base, hop =
 * allreduce_lat and bw = allreduce_bw (nvlink_bw when 0; PCIe's when there
 * is no NVLink; the NIC's when tp spans servers):
 *   ring: base + 2(tp-1) hop + 2(tp-1)/tp bytes/bw
 *   tree: base + 2 ceil(log2 tp) hop + 2 bytes/bw  (reduce up, broadcast
 *         down, pipelined)
 * `algo`: allreduce_algo (auto = the minimum). */
double kv_allreduce_time(const kv_platform *p, uint32_t tp, double bytes);

/* Seconds a step's all-reduces take: 2 per layer (attention and MLP
 * outputs), each of tokens x hidden x 2 bytes (bf16 activations). */
double kv_allreduce_step_time(const kv_platform *p, const kv_model *m,
                              uint32_t tp, double tokens);

#ifdef __cplusplus
}
#endif

#endif
