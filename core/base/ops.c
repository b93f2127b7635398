/* ops.c - growable op lists (see ops.h). */
#include "ops.h"

#include "util.h"

#include <string.h>

void kv_ops_init(kv_op_list *l, int record_runs) {
  memset(l, 0, sizeof *l);
  l->record_runs = record_runs;
}

void kv_ops_free(kv_op_list *l) {
  free(l->ops);
  free(l->runs);
  int rr = l->record_runs;
  memset(l, 0, sizeof *l);
  l->record_runs = rr;
}

void kv_ops_clear(kv_op_list *l) {
  l->n = 0;
  l->runs_n = 0;
}

kv_op *kv_ops_push(kv_op_list *l, kv_op_kind kind, uint32_t req) {
  if (l->n == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 64;
    l->ops = kv_xrealloc(l->ops, l->cap * sizeof *l->ops);
  }
  kv_op *op = &l->ops[l->n++];
  /* zeroed by a copy: GCC makes memset of this size a rep stos, whose
   * start-up cost shows in a step's time profile (perf); ops are pushed
   * every step */
  static const kv_op zero_op;
  *op = zero_op;
  op->kind = (uint8_t)kind;
  op->req = req;
  op->runs_first = l->runs_n;
  return op;
}

void kv_ops_push_run(kv_op_list *l, kv_op *op, uint64_t src, uint64_t dst,
                     uint64_t bytes) {
  if (!l->record_runs) return;
  if (l->runs_n == l->runs_cap) {
    l->runs_cap = l->runs_cap ? l->runs_cap * 2 : 256;
    l->runs = kv_xrealloc(l->runs, l->runs_cap * sizeof *l->runs);
  }
  l->runs[l->runs_n++] = (kv_run){src, dst, bytes};
  op->runs_n++;
}

void kv_ops_append(kv_op_list *dst, const kv_op_list *src) {
  for (size_t i = 0; i < src->n; i++) {
    const kv_op *s = &src->ops[i];
    kv_op *d = kv_ops_push(dst, (kv_op_kind)s->kind, s->req);
    size_t first = d->runs_first;
    *d = *s;
    d->runs_first = first;
    d->runs_n = 0;
    for (uint32_t r = 0; r < s->runs_n && src->record_runs; r++) {
      const kv_run *run = &src->runs[s->runs_first + r];
      kv_ops_push_run(dst, d, run->src, run->dst, run->bytes);
    }
  }
}

const char *kv_op_kind_name(kv_op_kind k) {
  static const char *const names[KV_OP__COUNT] = {
      "vmm_reserve",    "vmm_free_va", "vmm_create",  "vmm_map",
      "vmm_set_access", "vmm_unmap",   "vmm_release", "copy",
      "table_write",    "attn_read",   "compute"};
  return (unsigned)k < KV_OP__COUNT ? names[k] : "?";
}

const char *kv_copy_dir_name(kv_copy_dir d) {
  switch (d) {
  case KV_COPY_H2D: return "h2d";
  case KV_COPY_D2H: return "d2h";
  case KV_COPY_D2D: return "d2d";
  }
  return "?";
}

const char *const kv_copy_via_names[KV_VIA__COUNT + 1] = {"engine", "kernel",
                                                          "batch", NULL};

const char *kv_copy_via_name(kv_copy_via v) {
  return (unsigned)v < KV_VIA__COUNT ? kv_copy_via_names[v] : "?";
}
