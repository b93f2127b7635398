/* collective.c - tensor parallelism's all-reduce by message size and TP
 * degree (collective.h): ring and tree over the platform's NVLink (or
 * PCIe, or the NIC across servers), NCCL's latency + bandwidth form.
 * Main entry points: kv_allreduce_time(), kv_allreduce_step_time().
 */
#include "collective.h"

#include <math.h>

double kv_allreduce_time(const kv_platform *p, uint32_t tp, double bytes) {
  if (tp <= 1) return 0;
  if (!(bytes > 0)) bytes = 0;
  double bw = p->allreduce_bw > 0 ? p->allreduce_bw : p->nvlink_bw;
  if (!(bw > 0)) bw = p->pcie_bw; /* no NVLink: the GPUs meet over PCIe */
  double hop = p->allreduce_lat;
  if (tp > p->gpus_per_server && p->nic_bw > 0) {
    if (p->nic_bw < bw) bw = p->nic_bw;
    if (p->nic_lat > hop) hop = p->nic_lat;
  }
  double n = tp;
  double ring = 2.0 * (n - 1) * hop + 2.0 * (n - 1) / n * bytes / bw;
  double tree = 2.0 * ceil(log2(n)) * hop + 2.0 * bytes / bw;
  double t = p->allreduce_algo == KV_ALLREDUCE_RING   ? ring
             : p->allreduce_algo == KV_ALLREDUCE_TREE ? tree
             : ring < tree                            ? ring
                                                      : tree;
  return p->allreduce_base + t;
}

double kv_allreduce_step_time(const kv_platform *p, const kv_model *m,
                              uint32_t tp, double tokens) {
  if (tp <= 1 || !(tokens > 0)) return 0;
  double msg = tokens * (double)m->hidden * 2.0; /* bf16 activations */
  return 2.0 * m->layers * kv_allreduce_time(p, tp, msg);
}
