/* kv_attention.h - C-callable launchers of kvsim's real attention kernels
 * (bf16, softmax and output), promoted from the kernel lab
 * kernels/attention.cu: decode split over the context (FlashDecoding style:
 * partial softmax per chunk, then a merge) and prefill (tiled, causal), each
 * reading K and V through the three addressing modes of kv_kernels.h
 * (KV_ATTN_CONTIG, KV_ATTN_BLOCK_TABLE, KV_ATTN_OFFSET_TABLE).
 *
 * Shapes: grouped-query attention, q_heads a multiple of kv_heads (group 1, 2,
 * 4, 8 or 16), head_dim 64 or 128; q, K, V and out in bf16, accumulation in
 * fp32. A K (or V) row is one token of one layer: [kv_heads][head_dim].
 *
 * Queries: request b owns query rows q_start[b] .. q_start[b+1]-1 of q
 * ([tokens][q_heads][head_dim]); out has the same layout. Its context holds
 * ctx_len[b] tokens, the queries being the last (q_start[b+1]-q_start[b])
 * of them (causal: query i of n sees keys 0 .. ctx_len-n+i). Decode is the
 * case of one query per request (q_start may then be NULL: row b).
 *
 * K/V addressing (request b, token t):
 *   KV_ATTN_CONTIG:       k + ((b*max_ctx + t)*kv_heads + h)*head_dim, same
 *                         for v (one contiguous range per request: vmm, static)
 *   KV_ATTN_BLOCK_TABLE:  blk = block_table[b*max_blocks + t/block_tokens];
 *                         k + ((blk*block_tokens + t%block_tokens)*kv_heads
 *                         + h)*head_dim (pools of K and of V: paged)
 *   KV_ATTN_OFFSET_TABLE: off = offsets[b*max_blocks + t/block_tokens] bytes
 *                         into slab: K of the block [block_tokens][kv_heads]
 *                         [head_dim], its V directly after (indirect)
 * block_tokens: any power of two from 1 to 256 (table modes).
 *
 * All calls are asynchronous on `stream`, return the launch status, never
 * print and never exit.
 * Main entry points: kv_attn_decode(), kv_attn_prefill().
 */
#ifndef KV_ATTENTION_H
#define KV_ATTENTION_H

#include <stddef.h>
#include <stdint.h>

#include <cuda_runtime_api.h>

#include "kv_kernels.h" /* KV_ATTN_CONTIG, KV_ATTN_BLOCK_TABLE, ... */

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kv_attention_desc {
  int mode;               /* KV_ATTN_* */
  uint32_t batch;         /* requests */
  uint32_t q_heads;       /* query heads (of this GPU) */
  uint32_t kv_heads;      /* KV heads (of this GPU) */
  uint32_t head_dim;      /* 64 or 128 */
  uint32_t block_tokens;  /* tokens per block (table modes) */
  uint32_t max_blocks;    /* table row width (table modes) */
  uint32_t max_ctx;       /* upper bound of ctx_len; request stride (contig) */
  float scale;            /* softmax scale, usually 1/sqrt(head_dim) */
  const void *q;          /* bf16 [tokens][q_heads][head_dim] */
  const int32_t *q_start; /* [batch+1] (prefill); NULL: one query each */
  const int32_t *ctx_len; /* [batch] context tokens, queries included */
  const void *k, *v;      /* contig or block-table data */
  const int32_t *block_table; /* [batch][max_blocks] */
  const void *slab;           /* offset-table data */
  const int64_t *offsets;     /* [batch][max_blocks] */
  void *out;                  /* bf16 [tokens][q_heads][head_dim] */
} kv_attention_desc;

/* Decode: splits = context chunks per (request, kv head) (0: chosen from the
 * batch and max_ctx to fill the GPU); workspace holds
 * kv_attn_decode_workspace_bytes(d, splits) bytes (the same 0 rule). */
size_t kv_attn_decode_workspace_bytes(const kv_attention_desc *d,
                                      uint32_t splits);
cudaError_t kv_attn_decode(const kv_attention_desc *d, uint32_t splits,
                           void *workspace, cudaStream_t stream);

/* Prefill (causal, tiled); q_start required, any number of queries per
 * request up to ctx_len[b]. */
cudaError_t kv_attn_prefill(const kv_attention_desc *d, cudaStream_t stream);

/* Bytes of one K (or V) block: block_tokens * kv_heads * head_dim * 2. */
uint64_t kv_attention_block_bytes(const kv_attention_desc *d);

/* Additions (kvsim's lab and callers that know more than the descriptor):
 * kv_attn_decode_splits: the splits kv_attn_decode runs with for `splits`
 * (0: the automatic choice, at most 256; 0 on bad arguments or a CUDA error).
 * kv_attn_prefill_max_q: kv_attn_prefill when the largest query count of a
 * request, max_q >= q_start[b+1]-q_start[b] for every b, is known (0:
 * max_ctx); fewer empty thread blocks for short chunks. For decode, a
 * non-NULL q_start gives request b's one query row as q_start[b].
 * Offsets (offset table) must be multiples of 16 bytes; q, out, k, v and
 * slab 16-byte aligned. ctx_len is clamped to [0, max_ctx]; a request with
 * no context gets zeros. */
uint32_t kv_attn_decode_splits(const kv_attention_desc *d, uint32_t splits);
cudaError_t kv_attn_prefill_max_q(const kv_attention_desc *d, uint32_t max_q,
                                  cudaStream_t stream);

#ifdef __cplusplus
}
#endif

#endif
