/* collective.c - tensor parallelism's all-reduce by message size and TP
 * degree (collective.h): ring and tree over the platform's NVLink (or
 * PCIe, or the NIC across servers), NCCL's latency + bandwidth form, or
 * the platform's measured table (kvsim-calibrate-multi) for a TP degree it
 * has a row for.
 * Main entry points: kv_allreduce_time(), kv_allreduce_step_time().
 */
#include "collective.h"

#include <math.h>
#include <stdio.h>

/* The table's row for tp, NULL when there is none or tp spans servers
 * (the table is measured inside one server: across servers the model
 * prices the NIC). */
static const kv_curve *table_row(const kv_platform *p, uint32_t tp) {
  const kv_grid *g = &p->allreduce_table;
  if (tp > p->gpus_per_server) return NULL;
  for (uint32_t i = 0; i < g->n; i++)
    if (g->u[i] == (double)tp && g->row[i].n > 0) return &g->row[i];
  return NULL;
}

kv_allreduce_source kv_allreduce_source_of(const kv_platform *p, uint32_t tp) {
  if (tp <= 1) return KV_ALLREDUCE_NONE;
  return table_row(p, tp) ? KV_ALLREDUCE_TABLE : KV_ALLREDUCE_MODEL;
}

const char *kv_allreduce_source_name(kv_allreduce_source s) {
  return s == KV_ALLREDUCE_TABLE   ? "table"
         : s == KV_ALLREDUCE_MODEL ? "model"
                                   : "none";
}

double kv_allreduce_table_time(const kv_curve *row, double bytes) {
  uint32_t n = row->n;
  if (n == 1 || !(bytes > row->x[0])) return row->y[0];
  if (bytes >= row->x[n - 1]) {
    double slope =
        (row->y[n - 1] - row->y[n - 2]) / (row->x[n - 1] - row->x[n - 2]);
    return slope > 0 ? row->y[n - 1] + slope * (bytes - row->x[n - 1])
                     : row->y[n - 1];
  }
  uint32_t i = 1;
  while (bytes > row->x[i])
    i++;
  double f =
      (log(bytes) - log(row->x[i - 1])) / (log(row->x[i]) - log(row->x[i - 1]));
  return row->y[i - 1] + f * (row->y[i] - row->y[i - 1]);
}

void kv_allreduce_describe(const kv_platform *p, uint32_t tp, char *buf,
                           size_t n) {
  if (n == 0) return;
  buf[0] = '\0';
  if (tp <= 1 || p->allreduce_table.n == 0) return;
  if (table_row(p, tp))
    snprintf(buf, n, "all-reduce measured table (tp %u)", tp);
  else if (tp > p->gpus_per_server)
    snprintf(buf, n, "all-reduce model (tp %u spans servers)", tp);
  else
    snprintf(buf, n, "all-reduce model (table has no tp %u row)", tp);
}

double kv_allreduce_time(const kv_platform *p, uint32_t tp, double bytes) {
  if (tp <= 1) return 0;
  if (!(bytes > 0)) bytes = 0;
  const kv_curve *row = table_row(p, tp);
  if (row) return kv_allreduce_table_time(row, bytes);
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
