/* gpu_compute.c - the compute stand-in the GPU backend runs for a COMPUTE op.
 *
 * A real decode/prefill step reads the weights once and the live KV once
 * (op->bytes = weights + KV, for the whole model; one GPU reads 1/tp of
 * it). The stand-in reproduces that memory traffic on the GPU so that copy
 * kernels, copy engines and compute compete as they do in a server:
 *   - KV: kernels/' decode-attention read over blocks of the memory that is
 *     really backed now (the pool for static / paged, mapped VMM handles for
 *     vmm / indirect), in the step's addressing mode: contiguous rows for
 *     static, a block table for paged, an offset table for indirect. vmm's
 *     ranges each have their own driver-given base, which the contiguous
 *     kernel (one base, fixed stride) cannot address, so vmm reads through
 *     the offset table walking each mapped range in order (docs/gpu.md).
 *     When the step asks for more KV than is backed, blocks are read again.
 *   - weights: a streaming read of one buffer of opt.weight_buffer bytes,
 *     repeated until the per-GPU weight bytes are read.
 * FLOPs are not reproduced: prefill-heavy steps run faster than a real model.
 * Main entry points: gpu_compute_init(), gpu_compute_exec().
 */
#include "gpu_internal.h"

#include "kv_kernels.h"
#include "strategy.h"
#include "util.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#define ATTN_BLOCK_TOKENS 16u
#define ATTN_MAX_BLOCKS 256u /* 4096 tokens per synthetic request */
#define ATTN_BATCH_MAX 512u
#define ATTN_SPLITS 8u

static uint64_t kv_block_bytes(const gpu_state *s) {
  /* K then V of ATTN_BLOCK_TOKENS tokens of one layer */
  return 2ull * ATTN_BLOCK_TOKENS * s->attn_kv_heads * 128u * 2u;
}

kv_status gpu_compute_init(gpu_state *s, const kv_model *m, uint32_t tp,
                           kv_error *err) {
  kv_strategy_cfg c;
  kv_strategy_cfg_defaults(&c);
  c.model = m;
  c.tp = tp;
  uint64_t bpt = kv_strategy_bytes_per_token(&c);
  uint32_t layers = m->layers ? m->layers : 1;
  s->row_bytes = bpt / (2ull * layers);
  /* the kernel's geometry: head_dim 128 fp16, as many heads as one row */
  s->attn_kv_heads = (uint32_t)KV_MAX(1, s->row_bytes / 256);
  uint32_t group = m->kv_heads ? m->heads / m->kv_heads : 1;
  if (group >= 8)
    group = 8;
  else if (group >= 4)
    group = 4;
  else if (group >= 2)
    group = 2;
  else
    group = 1;
  s->attn_q_heads = s->attn_kv_heads * group;
  s->attn_batch_max = ATTN_BATCH_MAX;
  s->attn_max_blocks = ATTN_MAX_BLOCKS;
  s->attn_splits = ATTN_SPLITS;

  size_t nb = (size_t)ATTN_BATCH_MAX * ATTN_MAX_BLOCKS;
  size_t q_bytes = (size_t)ATTN_BATCH_MAX * s->attn_q_heads * 128 * 2;
  size_t out_bytes = (size_t)ATTN_BATCH_MAX * s->attn_q_heads * 128 * 4;
  kv_attn_desc d = {.batch = ATTN_BATCH_MAX,
                    .q_heads = s->attn_q_heads,
                    .kv_heads = s->attn_kv_heads,
                    .head_dim = 128,
                    .splits = ATTN_SPLITS};
  size_t ws = kv_attn_workspace_bytes(&d);
  s->weights_bytes = s->opt.weight_buffer & ~(uint64_t)15;
  if (s->weights_bytes < (1u << 20)) s->weights_bytes = 1u << 20;
  s->scratch_bytes += q_bytes + out_bytes + ws + nb * (4 + 8) +
                      2 * ATTN_BATCH_MAX * 4 + s->weights_bytes + 64;

  GPU_RT(cudaMalloc(&s->q, q_bytes));
  GPU_RT(cudaMemset(s->q, 0, q_bytes));
  GPU_RT(cudaMalloc(&s->out, out_bytes));
  GPU_RT(cudaMalloc(&s->workspace, ws));
  GPU_RT(cudaMalloc((void **)&s->ctx_dev, 2 * ATTN_BATCH_MAX * 4));
  GPU_RT(cudaMalloc((void **)&s->bt_dev, nb * 4));
  GPU_RT(cudaMalloc((void **)&s->off_dev, nb * 8));
  GPU_RT(cudaHostAlloc((void **)&s->ctx_host, 2 * ATTN_BATCH_MAX * 4, 0));
  GPU_RT(cudaHostAlloc((void **)&s->bt_host, nb * 4, 0));
  GPU_RT(cudaHostAlloc((void **)&s->off_host, nb * 8, 0));
  GPU_RT(cudaMalloc(&s->weights, s->weights_bytes));
  GPU_RT(cudaMemset(s->weights, 0, s->weights_bytes));
  GPU_RT(cudaMalloc((void **)&s->sink, 64));
  return KV_OK;
}

void gpu_compute_free(gpu_state *s) {
  cudaFree(s->q);
  cudaFree(s->out);
  cudaFree(s->workspace);
  cudaFree(s->ctx_dev);
  cudaFree(s->bt_dev);
  cudaFree(s->off_dev);
  cudaFreeHost(s->ctx_host);
  cudaFreeHost(s->bt_host);
  cudaFreeHost(s->off_host);
  cudaFree(s->weights);
  cudaFree(s->sink);
  s->q = s->out = s->workspace = s->weights = NULL;
  s->ctx_dev = s->bt_dev = NULL;
  s->off_dev = NULL;
  s->ctx_host = s->bt_host = NULL;
  s->off_host = NULL;
  s->sink = NULL;
}

/* Backed memory the stand-in may read: the pool, or mapped handles not in
 * `avoid`. Returns the number of ranges written to out (cap entries). */
static size_t readable(const gpu_state *s, const gpu_range *avoid,
                       size_t navoid, gpu_range *out, size_t cap) {
  size_t n = 0;
  if (s->nvas == 0) {
    if (s->pool && cap > 0)
      out[n++] = (gpu_range){(CUdeviceptr)s->pool, s->pool_bytes, 0};
    return n;
  }
  for (size_t id = 0; id < s->handles_cap && n < cap; id++) {
    const gpu_handle *h = &s->handles[id];
    if (!h->live || !h->mapped) continue;
    int skip = 0;
    for (size_t a = 0; a < navoid && !skip; a++)
      skip = avoid[a].ptr == h->mapped;
    /* a range whose access is not set yet cannot be read */
    for (size_t a = 0; a < s->npending && !skip; a++)
      skip = s->pending_access[a].ptr == h->mapped;
    if (!skip) out[n++] = (gpu_range){h->mapped, h->bytes, 0};
  }
  return n;
}

static int cmp_range(const void *a, const void *b) {
  const gpu_range *x = a, *y = b;
  return (x->ptr > y->ptr) - (x->ptr < y->ptr);
}

/* Launch the attention read over `nblk` blocks already in the tables, as
 * ceil(nblk / max_blocks) requests; ctx at ctx_dev + ctx_slot*batch_max. */
static kv_status attn_launch(gpu_state *s, int mode, const void *base,
                             uint64_t nblk, int ctx_slot, kv_error *err) {
  uint32_t mb = s->attn_max_blocks;
  uint32_t batch = (uint32_t)KV_DIV_CEIL(nblk, mb);
  uint64_t kb = kv_block_bytes(s);
  kv_attn_desc d = {
      .mode = mode,
      .batch = batch,
      .q_heads = s->attn_q_heads,
      .kv_heads = s->attn_kv_heads,
      .head_dim = 128,
      .block_tokens = ATTN_BLOCK_TOKENS,
      .max_blocks = mb,
      .max_ctx = mb * ATTN_BLOCK_TOKENS,
      .splits = s->attn_splits,
      .scale = 0.08838834764831845f,
      .q = s->q,
      .ctx_len = s->ctx_dev + (size_t)ctx_slot * s->attn_batch_max,
      .workspace = s->workspace,
      .out = s->out,
  };
  if (mode == KV_ATTN_CONTIG) {
    d.k = base;
    d.v = (const char *)base + (uint64_t)batch * mb * kb / 2;
  } else if (mode == KV_ATTN_BLOCK_TABLE) {
    d.k = base;
    d.v = (const char *)base + kb / 2;
    d.block_table = s->bt_dev;
  } else {
    d.slab = base;
    d.offsets = s->off_dev;
  }
  GPU_RT(kv_attn_launch(&d, s->stream));
  return KV_OK;
}

static void fill_ctx(gpu_state *s, int slot, uint64_t nblk) {
  uint32_t mb = s->attn_max_blocks;
  int32_t *c = s->ctx_host + (size_t)slot * s->attn_batch_max;
  uint32_t batch = (uint32_t)KV_DIV_CEIL(nblk, mb);
  for (uint32_t b = 0; b < batch; b++) {
    uint64_t left = nblk - (uint64_t)b * mb;
    c[b] = (int32_t)(KV_MIN(left, (uint64_t)mb) * ATTN_BLOCK_TOKENS);
  }
}

static kv_status attention(gpu_state *s, int op_mode, uint64_t kv_bytes,
                           const gpu_range *avoid, size_t navoid,
                           kv_error *err) {
  uint64_t kb = kv_block_bytes(s);
  uint64_t need = KV_DIV_CEIL(kv_bytes, kb);
  if (need == 0) return KV_OK;
  size_t cap = s->nvas ? s->handles_cap : 1;
  gpu_range *r = kv_xmalloc((cap ? cap : 1) * sizeof *r);
  size_t nr = readable(s, avoid, navoid, r, cap);
  qsort(r, nr, sizeof *r, cmp_range);
  uint64_t avail = 0;
  for (size_t i = 0; i < nr; i++)
    avail += r[i].bytes / kb;
  if (avail == 0) {
    free(r);
    return KV_OK; /* nothing backed yet: nothing to read */
  }
  uint64_t per_max = (uint64_t)s->attn_batch_max * s->attn_max_blocks;
  int pool = s->nvas == 0;
  int mode = KV_ATTN_OFFSET_TABLE;
  if (pool && op_mode == KV_ADDR_BLOCK_TABLE) mode = KV_ATTN_BLOCK_TABLE;
  if (pool && op_mode == KV_ADDR_CONTIGUOUS && avail >= s->attn_max_blocks) {
    mode = KV_ATTN_CONTIG;
    /* whole requests of max_blocks: K of all, then V of all */
    per_max = KV_MIN(per_max, avail / s->attn_max_blocks * s->attn_max_blocks);
  }
  /* per launch: distinct blocks, then the table is read again */
  uint64_t per = KV_MIN(KV_MIN(need, per_max), avail);
  const void *base = (const void *)(uintptr_t)r[0].ptr;
  if (mode == KV_ATTN_BLOCK_TABLE) {
    for (uint64_t j = 0; j < per; j++)
      s->bt_host[j] = (int32_t)(2 * j);
  } else if (mode == KV_ATTN_OFFSET_TABLE) {
    uint64_t j = 0;
    for (size_t i = 0; i < nr && j < per; i++)
      for (uint64_t o = 0; o + kb <= r[i].bytes && j < per; o += kb)
        s->off_host[j++] = (int64_t)(r[i].ptr + o - r[0].ptr);
  }
  free(r);
  /* table rows are [request][max_blocks]: entries were filled densely,
   * which is the same layout because requests hold max_blocks each */
  uint64_t full = need / per, rest = need % per;
  fill_ctx(s, 0, per);
  if (rest) fill_ctx(s, 1, rest);
  if (mode == KV_ATTN_BLOCK_TABLE)
    GPU_RT(cudaMemcpyAsync(s->bt_dev, s->bt_host, per * 4,
                           cudaMemcpyHostToDevice, s->stream));
  if (mode == KV_ATTN_OFFSET_TABLE)
    GPU_RT(cudaMemcpyAsync(s->off_dev, s->off_host, per * 8,
                           cudaMemcpyHostToDevice, s->stream));
  GPU_RT(cudaMemcpyAsync(s->ctx_dev, s->ctx_host, 2 * s->attn_batch_max * 4,
                         cudaMemcpyHostToDevice, s->stream));
  kv_status rc;
  for (uint64_t i = 0; i < full; i++)
    if ((rc = attn_launch(s, mode, base, per, 0, err)) != KV_OK) return rc;
  if (rest && (rc = attn_launch(s, mode, base, rest, 1, err)) != KV_OK)
    return rc;
  s->totals.attn_bytes += (double)need * (double)kb;
  return KV_OK;
}

kv_status gpu_compute_exec(gpu_state *s, const kv_model *m, uint32_t tp,
                           const kv_op *op, uint64_t attn_extra,
                           const gpu_range *avoid, size_t navoid,
                           kv_error *err) {
  double g = tp ? (double)tp : 1.0;
  double wtotal = kv_model_weight_bytes(m);
  double kv = (double)op->bytes > wtotal ? (double)op->bytes - wtotal : 0.0;
  uint64_t kv_bytes = (uint64_t)(kv / g) + attn_extra;
  uint64_t wbytes = (uint64_t)(wtotal / g);
  kv_status rc = attention(s, op->mode, kv_bytes, avoid, navoid, err);
  if (rc != KV_OK) return rc;
  uint64_t W = s->weights_bytes;
  uint64_t reps = wbytes / W, tail = (wbytes % W) & ~(uint64_t)15;
  GPU_RT(gpu_weight_read_launch(s->weights, W, reps, tail, s->sink,
                                s->num_sms * 4, s->stream));
  s->totals.weight_bytes += (double)(reps * W + tail);
  return KV_OK;
}
