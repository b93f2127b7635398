/* compute_table.h - an operator-level compute model from measured times.
 *
 * A compute table is one or more CSV files of measured kernel times with the
 * header
 *   kind,mode,block,m,n,k,batch,context,q_heads,kv_heads,head_dim,seconds
 * kind gemm: a bf16 GEMM of m x k by k x n (m = tokens), s per call (mode
 * empty, block/batch/context/heads 0). kind attn_decode: one layer's decode
 * attention over `batch` requests of `context` tokens each, KV addressed
 * through mode contig | block_table | offset_table with `block`-token
 * blocks (0 for contig), heads of one GPU. kind attn_prefill: one layer's
 * causal prefill of `batch` requests of `context` tokens from empty.
 * Lines starting with '#' and blank lines are skipped.
 *
 * A step's compute is then the sum of its operators (kv_ctab_step_time):
 * the layer GEMMs and the LM head at the step's token count, decode and
 * prefill attention from the step's shape, plus one kernel launch. The
 * roofline (core/engine/backend_ideal.c) stays in charge of what a table does
 * not cover (MLA and MoE models, steps whose operators have no rows).
 * docs/cost_model.md "Operator-level compute" describes the lookups.
 * Main entry points: kv_ctab_load(), kv_ctab_step_time(), kv_ctab_free().
 */
#ifndef KV_COMPUTE_TABLE_H
#define KV_COMPUTE_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "kv_error.h"
#include "model.h"
#include "ops.h"
#include "platform.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The CSV header, exactly. */
#define KV_CTAB_HEADER                                                         \
  "kind,mode,block,m,n,k,batch,context,q_heads,kv_heads,head_dim,seconds"

typedef struct kv_ctab kv_ctab;

/* Load the files paths[0..n) into one table. Errors name the file, the
 * line and the field ("t.csv:7: field 'seconds': must be > 0 (got -1)"). */
kv_status kv_ctab_load(const char *const *paths, size_t n, kv_ctab **out,
                       kv_error *err);

/* Load from a platform's compute_table field: one path, or several
 * separated by ';'. */
kv_status kv_ctab_load_spec(const char *spec, kv_ctab **out, kv_error *err);

void kv_ctab_free(kv_ctab *t);

/* Rows loaded per kind (0 gemm, 1 attn_decode, 2 attn_prefill). */
size_t kv_ctab_rows(const kv_ctab *t, int kind);

/* Lookups that left the measured shapes (an (n, k) not in the table, other
 * heads, a mode without rows) since the table was loaded. */
uint64_t kv_ctab_fallbacks(const kv_ctab *t);

/* Seconds of one GEMM m x k by k x n. Measured (n, k): piecewise linear in
 * log m between the measured m, the smallest m's time below it, the last
 * point's FLOP rate past the largest. Other (n, k): the FLOP rate at m of
 * the measured (n, k) whose n*k is nearest in log scale (a fallback).
 * < 0 when the table has no gemm rows. */
double kv_ctab_gemm(kv_ctab *t, double m, double n, double k);

/* Seconds of one layer's decode attention: `batch` requests reading
 * `keys_per_req` keys each, addressing mode `mode` (ops.h kv_addr_mode)
 * with `block`-token blocks, heads of one GPU. Rows of that mode and those
 * heads, the nearest measured block (log scale); bilinear in (log batch,
 * log context), flat below the grid, proportional to batch x context past
 * it. Other heads: scaled by kv_heads x head_dim (a fallback). A mode
 * without rows: the contiguous rows times kv_platform_attn_factor(p, ...)
 * (p may be NULL: factor 1). < 0 when no rows apply. */
double kv_ctab_attn_decode(kv_ctab *t, int mode, uint32_t block, double batch,
                           double keys_per_req, double qh, double kvh,
                           double hd, const kv_platform *p);

/* Seconds of one layer's prefill attention over `pairs` (query, key)
 * pairs: pairs x the time per pair of the measured rows (batch x
 * context(context+1)/2 pairs each), interpolated in log pairs, flat past
 * both ends. `tokens` (the queries) is not used by the lookup. Other heads:
 * scaled by q_heads x head_dim (a fallback); a mode without rows: the
 * contiguous rows. < 0 when no rows apply. */
double kv_ctab_attn_prefill(kv_ctab *t, int mode, uint32_t block, double pairs,
                            double tokens, double qh, double kvh, double hd);

/* A step's compute priced by the table, on one GPU of a tp group. */
typedef struct kv_ctab_breakdown {
  double total;        /* gemm + attn_decode + attn_prefill + launch, s */
  double gemm;         /* the layers' QKV, O, gate+up, down and the LM head */
  double attn_decode;  /* decode attention, all layers */
  double attn_prefill; /* prefill attention, all layers */
  double launch;       /* the platform's kernel_launch, once */
  int fallback;        /* some lookup left the measured shapes */
} kv_ctab_breakdown;

/* Seconds of a COMPUTE op's step on one GPU of a tensor-parallel group of
 * `tp` (breakdown in *out when not NULL), or < 0 when the table does not
 * cover it: MLA (mla_latent > 0) or MoE (active_params < params) models,
 * a model without hidden / intermediate / vocab, a table without gemm rows.
 * The caller then prices the step by the roofline. A table without rows of
 * an attention kind prices that attention by its own roofline (decode: K
 * and V bytes of every key x the mode's factor / hbm_bw; prefill: 4 x
 * q_heads x head_dim FLOPs per pair / flops), a fallback (p NULL: not
 * covered). */
double kv_ctab_step_time(kv_ctab *t, const kv_model *m, uint32_t tp,
                         const kv_op *op, const kv_platform *p,
                         kv_ctab_breakdown *out);

/* 1 when the table has attention rows and no gemm rows: the roofline
 * prices the steps and kv_ctab_attn_excess adds what attention costs
 * beyond it. */
int kv_ctab_attn_only(const kv_ctab *t);

/* Seconds that a COMPUTE op's attention takes on one GPU of a tp group
 * beyond what the roofline charges for it, from the table's attention rows:
 * decode, the table's time less its K and V bytes (x the mode's factor) at
 * hbm_bw; prefill, the table's time less its FLOPs at `flops`; per layer,
 * each never below 0 (the roofline stays the floor), times the layers.
 * 0 for what has no rows, for MLA models and for an op without attention. */
double kv_ctab_attn_excess(kv_ctab *t, const kv_model *m, uint32_t tp,
                           const kv_op *op, const kv_platform *p);

#ifdef __cplusplus
}
#endif

#endif
