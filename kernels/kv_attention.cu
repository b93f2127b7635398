/* kv_attention.cu - the C launchers of kv_attention.h (library
 * kvsim_kernels): the promoted versions of the attention lab
 * (kernels/attention.cu, device code in attention.cuh), decode v2
 * (FlashDecoding split + merge) and prefill v2 (tiled, tensor cores), the
 * only versions instantiated here (the lab holds every version).
 * Main entry points: kv_attn_decode(), kv_attn_prefill().
 */
#include "kv_attention.h"

#include "attention.cuh"

/* promoted versions (see kernels/README.md) */
#define KV_ATTN_DECODE_VERSION 2
#define KV_ATTN_PREFILL_VERSION 2

extern "C" uint64_t kv_attention_block_bytes(const kv_attention_desc *d) {
  if (!d) return 0;
  return (uint64_t)d->block_tokens * d->kv_heads * d->head_dim * 2;
}

extern "C" uint32_t kv_attn_decode_splits(const kv_attention_desc *d,
                                          uint32_t splits) {
  if (kvat::validate(d, false) != cudaSuccess || d->batch == 0) return 0;
  uint32_t sp = 0;
  if (kvat::resolve_splits(d, splits, &sp) != cudaSuccess) return 0;
  return sp;
}

extern "C" size_t kv_attn_decode_workspace_bytes(const kv_attention_desc *d,
                                                 uint32_t splits) {
  const uint32_t sp = kv_attn_decode_splits(d, splits);
  return sp > 1 ? kvat::partial_bytes(d, sp) : 0;
}

extern "C" cudaError_t kv_attn_decode(const kv_attention_desc *d,
                                      uint32_t splits, void *workspace,
                                      cudaStream_t stream) {
  return kvat::launch_decode<KV_ATTN_DECODE_VERSION>(d, splits, workspace,
                                                     stream);
}

extern "C" cudaError_t kv_attn_prefill_max_q(const kv_attention_desc *d,
                                             uint32_t max_q,
                                             cudaStream_t stream) {
  return kvat::launch_prefill<KV_ATTN_PREFILL_VERSION>(d, max_q, stream);
}

extern "C" cudaError_t kv_attn_prefill(const kv_attention_desc *d,
                                       cudaStream_t stream) {
  return kvat::launch_prefill<KV_ATTN_PREFILL_VERSION>(d, 0, stream);
}
