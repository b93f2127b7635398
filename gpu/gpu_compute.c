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

static kv_status standin_init(gpu_state *s, const kv_model *m, uint32_t tp,
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

static void standin_free(gpu_state *s) {
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

static kv_status standin_exec(gpu_state *s, const kv_model *m, uint32_t tp,
                              const kv_op *op, uint64_t attn_extra,
                              const gpu_range *avoid, size_t navoid,
                              kv_error *err) {
  double g = tp ? (double)tp : 1.0;
  /* every weight, every step (the embedding table whole: what the
   * replays of stand-in runs price, experiments/validate.lua) */
  double wtotal = kv_model_weight_bytes(m);
  double kv = (double)op->kv_bytes;
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

/* ======================================================================
 * Real compute: the step's work at the model's shapes on one GPU of the
 * tensor-parallel group. Per layer, in order: the QKV GEMM, attention
 * (decode through kv_attn_decode, prefill through kv_attn_prefill, in the
 * step's addressing mode over memory that is really backed now), the O
 * GEMM, gate+up and down; then the LM head for the requests that sample.
 * GEMMs are bf16 with fp32 accumulation through cuBLAS (weights [out][in],
 * activations [tokens][in]: y = x W^T). Weights and activations are
 * seeded pseudo-random bf16 values. Not run: norms, RoPE, the activation
 * function, residual adds and sampling (a few % of a step; docs/gpu.md),
 * and the all-reduce of tensor parallelism (one GPU).
 *
 * The step's shape comes from the COMPUTE op (core/base/ops.h): `tokens` GEMM
 * rows; `decodes` requests reading decode_keys/decodes keys each (one
 * context for all, the mean); the other tokens as one request prefilling
 * (tokens - decodes) tokens after a context that gives prefill_pairs pairs.
 * Attention reads the backed memory (the pool, or mapped VMM handles not
 * being unmapped this step) as blocks of op->count tokens in the op's mode;
 * KV_ATTN_TABLES different placements are used in turn by the layers, and
 * memory smaller than a layer's need is read again (docs/gpu.md). vmm's
 * mapped ranges each have their own base, so contiguous reads of them go
 * through the offset table at 256-token blocks. */
#include <cublas_v2.h>
#include <dlfcn.h>

#include "kv_attention.h"

/* cuBLAS is opened at the first real-compute backend, not linked: kvsim
 * starts (and its tests run under valgrind) without loading it, as it does
 * without libcuda (gpu_drv.c). The process keeps it open. */
typedef struct blas_api {
  cublasStatus_t (*create)(cublasHandle_t *);
  cublasStatus_t (*destroy)(cublasHandle_t);
  cublasStatus_t (*set_stream)(cublasHandle_t, cudaStream_t);
  cublasStatus_t (*set_workspace)(cublasHandle_t, void *, size_t);
  cublasStatus_t (*gemm_ex)(cublasHandle_t, cublasOperation_t,
                            cublasOperation_t, int, int, int, const void *,
                            const void *, cudaDataType, int, const void *,
                            cudaDataType, int, const void *, void *,
                            cudaDataType, int, cublasComputeType_t,
                            cublasGemmAlgo_t);
} blas_api;
static blas_api blas_fn;

static kv_status blas_load(kv_error *err) {
  if (blas_fn.gemm_ex) return KV_OK;
  const char *names[] = {"libcublas.so.13", "libcublas.so.12", "libcublas.so"};
  void *h = NULL;
  for (size_t i = 0; i < 3 && !h; i++)
    h = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
  if (!h)
    return kv_error_set(err, KV_EBACKEND,
                        "gpu: cannot open cuBLAS (libcublas.so.13): %s; set "
                        "LD_LIBRARY_PATH to CUDA's lib64, or use the "
                        "stand-in (standin = 1)",
                        dlerror());
  blas_api a;
  *(void **)&a.create = dlsym(h, "cublasCreate_v2");
  *(void **)&a.destroy = dlsym(h, "cublasDestroy_v2");
  *(void **)&a.set_stream = dlsym(h, "cublasSetStream_v2");
  *(void **)&a.set_workspace = dlsym(h, "cublasSetWorkspace_v2");
  *(void **)&a.gemm_ex = dlsym(h, "cublasGemmEx");
  if (!a.create || !a.destroy || !a.set_stream || !a.set_workspace ||
      !a.gemm_ex)
    return kv_error_set(err, KV_EBACKEND,
                        "gpu: cuBLAS lacks cublasCreate_v2 / cublasGemmEx");
  blas_fn = a;
  return KV_OK;
}

#define KV_ATTN_TABLES 4u
#define KV_VMM_BLOCK 256u
#define KV_LOGIT_ROWS 4096u /* LM-head rows per step at most */

#define BLAS(call)                                                             \
  do {                                                                         \
    cublasStatus_t b_ = (call);                                                \
    if (b_ != CUBLAS_STATUS_SUCCESS)                                           \
      return kv_error_set(err, KV_EBACKEND, "%s:%d: %s: cuBLAS status %d",     \
                          __FILE__, __LINE__, #call, (int)b_);                 \
  } while (0)

static uint64_t per_gpu(uint64_t x, uint32_t tp) {
  return KV_DIV_CEIL(x, tp);
}

static kv_status act_alloc(gpu_state *s, uint32_t tokens, kv_error *err) {
  if (tokens <= s->act_tokens) return KV_OK;
  void **bufs[] = {&s->act_x,    &s->act_qkv, &s->act_q,
                   &s->act_attn, &s->act_gu,  &s->act_y};
  uint64_t width[] = {s->g_hidden, s->g_qkv, s->g_qdim,
                      s->g_qdim,   s->g_gu,  s->g_hidden};
  if (s->act_tokens) GPU_RT(cudaStreamSynchronize(s->stream));
  for (size_t i = 0; i < 6; i++) {
    cudaFree(*bufs[i]);
    *bufs[i] = NULL;
  }
  uint64_t total = 0;
  for (size_t i = 0; i < 6; i++) {
    uint64_t b = (uint64_t)tokens * width[i] * 2;
    GPU_RT(cudaMalloc(bufs[i], b));
    GPU_RT(gpu_fill_bf16_launch(*bufs[i], b / 2, 0x5eed0000u + i, 1.0f,
                                s->stream));
    total += b;
  }
  s->scratch_bytes += total; /* grows only */
  s->act_tokens = tokens;
  return KV_OK;
}

/* Attention tables of KV_ATTN_TABLES * n entries (host and device). */
static kv_status tables_alloc(gpu_state *s, uint64_t n, kv_error *err) {
  uint64_t nt = (uint64_t)KV_ATTN_TABLES * n;
  GPU_RT(cudaMalloc((void **)&s->a_bt_dev, nt * 4));
  GPU_RT(cudaMalloc((void **)&s->a_off_dev, nt * 8));
  GPU_RT(cudaHostAlloc((void **)&s->a_bt_host, nt * 4, 0));
  GPU_RT(cudaHostAlloc((void **)&s->a_off_host, nt * 8, 0));
  s->scratch_bytes += nt * 12;
  s->a_entries = n;
  return KV_OK;
}

static void tables_free(gpu_state *s) {
  cudaFree(s->a_bt_dev);
  cudaFree(s->a_off_dev);
  cudaFreeHost(s->a_bt_host);
  cudaFreeHost(s->a_off_host);
  s->a_bt_dev = s->a_bt_host = NULL;
  s->a_off_dev = s->a_off_host = NULL;
  s->scratch_bytes -= (uint64_t)KV_ATTN_TABLES * s->a_entries * 12;
  s->a_entries = 0;
}

/* A step needing more blocks than a table holds (a one-time cost). */
static kv_status tables_grow(gpu_state *s, uint64_t need, kv_error *err) {
  uint64_t n = s->a_entries ? s->a_entries : 1;
  while (n < need)
    n *= 2;
  GPU_RT(cudaStreamSynchronize(s->stream));
  tables_free(s);
  return tables_alloc(s, n, err);
}

static kv_status real_init(gpu_state *s, const kv_model *m, uint32_t tp,
                           kv_error *err) {
  if (m->mla_latent || m->hidden == 0 || m->intermediate == 0 ||
      m->head_dim == 0)
    return kv_error_set(err, KV_EINVAL,
                        "gpu: real compute needs a dense model with hidden, "
                        "intermediate and head_dim (model %s); use the "
                        "stand-in (standin = 1)",
                        m->name);
  if (m->head_dim != 64 && m->head_dim != 128)
    return kv_error_set(err, KV_EINVAL,
                        "gpu: real attention supports head_dim 64 and 128, "
                        "model %s has %u",
                        m->name, m->head_dim);
  uint32_t kvh = m->kv_heads ? m->kv_heads : m->heads;
  s->a_hd = m->head_dim;
  s->a_kvh = (uint32_t)per_gpu(kvh, tp);
  s->a_qh = s->a_kvh * (m->heads / kvh);
  s->g_hidden = m->hidden;
  s->g_qdim = s->a_qh * m->head_dim;
  s->g_qkv = s->g_qdim + 2 * s->a_kvh * m->head_dim;
  s->g_inter = (uint32_t)per_gpu(m->intermediate, tp);
  s->g_gu = 2 * s->g_inter;
  s->g_vocab = (uint32_t)per_gpu(m->vocab ? m->vocab : 32000, tp);
  s->row_bytes = (uint64_t)s->a_kvh * m->head_dim * 2;

  kv_status lrc = blas_load(err);
  if (lrc != KV_OK) return lrc;
  cublasHandle_t h;
  BLAS(blas_fn.create(&h));
  s->blas = h;
  BLAS(blas_fn.set_stream(h, s->stream));
  uint64_t ws = 32ull << 20;
  GPU_RT(cudaMalloc(&s->blas_ws, ws));
  BLAS(blas_fn.set_workspace(h, s->blas_ws, ws));
  s->scratch_bytes += ws;

  /* weights: as many distinct layers as fit beside the pool and 16 GiB */
  uint64_t lb = 2ull * m->hidden *
                ((uint64_t)s->g_qkv + s->g_qdim + s->g_gu + s->g_inter);
  uint64_t lm = 2ull * m->hidden * s->g_vocab;
  uint64_t room = s->budget > s->opt.pool_bytes + (16ull << 30) + lm
                      ? s->budget - s->opt.pool_bytes - (16ull << 30) - lm
                      : 0;
  uint32_t nl = (uint32_t)KV_MIN((uint64_t)m->layers, room / lb);
  if (s->opt.weight_layers) nl = KV_MIN(nl, s->opt.weight_layers);
  if (nl == 0) nl = 1;
  s->wl_layers = nl;
  s->wl_layer_bytes = lb;
  GPU_RT(cudaMalloc((void **)&s->wl, nl * lb + lm));
  GPU_RT(gpu_fill_bf16_launch(s->wl, (nl * lb + lm) / 2, 0x77ull, 0.02f,
                              s->stream));
  s->scratch_bytes += nl * lb + lm;

  kv_status rc = act_alloc(s, 8192, err);
  if (rc != KV_OK) return rc;
  GPU_RT(cudaMalloc(&s->act_logits, (uint64_t)KV_LOGIT_ROWS * s->g_vocab * 2));
  s->scratch_bytes += (uint64_t)KV_LOGIT_ROWS * s->g_vocab * 2;

  /* attention tables: KV_ATTN_TABLES placements of up to a_entries blocks */
  if ((rc = tables_alloc(s, 1u << 18, err)) != KV_OK) return rc;
  s->a_meta_cap = 4096;
  GPU_RT(cudaMalloc((void **)&s->a_meta_dev, 4ull * s->a_meta_cap * 4));
  GPU_RT(cudaHostAlloc((void **)&s->a_meta_host, 4ull * s->a_meta_cap * 4, 0));
  s->scratch_bytes += 16ull * s->a_meta_cap;
  GPU_RT(cudaStreamSynchronize(s->stream));
  return KV_OK;
}

static void real_free(gpu_state *s) {
  if (s->blas) blas_fn.destroy((cublasHandle_t)s->blas);
  s->blas = NULL;
  cudaFree(s->blas_ws);
  cudaFree(s->wl);
  cudaFree(s->act_logits);
  s->act_logits = NULL;
  void **bufs[] = {&s->act_x,    &s->act_qkv, &s->act_q,
                   &s->act_attn, &s->act_gu,  &s->act_y};
  for (size_t i = 0; i < 6; i++) {
    cudaFree(*bufs[i]);
    *bufs[i] = NULL;
  }
  if (s->a_entries) tables_free(s);
  cudaFree(s->a_meta_dev);
  cudaFreeHost(s->a_meta_host);
  cudaFree(s->a_ws);
  s->blas_ws = s->a_ws = NULL;
  s->wl = NULL;
  s->a_meta_dev = s->a_meta_host = NULL;
  s->act_tokens = 0;
}

/* y[m][n] = x[m][k] W[n][k]^T, bf16 in and out, fp32 accumulation */
static kv_status gemm(gpu_state *s, const void *w, const void *x, void *y,
                      uint32_t m, uint32_t n, uint32_t k, kv_error *err) {
  const float one = 1.0f, zero = 0.0f;
  BLAS(blas_fn.gemm_ex((cublasHandle_t)s->blas, CUBLAS_OP_T, CUBLAS_OP_N,
                       (int)n, (int)m, (int)k, &one, w, CUDA_R_16BF, (int)k, x,
                       CUDA_R_16BF, (int)k, &zero, y, CUDA_R_16BF, (int)n,
                       CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT));
  s->totals.gemm_flops += 2.0 * m * n * k;
  s->totals.weight_bytes += 2.0 * n * k;
  return KV_OK;
}

/* The attention plan of one step: requests, their contexts, the KV each
 * layer reads and where. */
typedef struct attn_plan {
  int mode;          /* KV_ATTN_* */
  uint32_t block;    /* tokens per block (table modes) */
  uint32_t batch;    /* decode requests */
  uint32_t ctx;      /* their context, tokens */
  uint32_t pf_q;     /* prefill queries (0: none) */
  uint32_t pf_ctx;   /* the prefilling request's context, queries included */
  uint32_t dmb, pmb; /* table row widths (blocks) of decode and prefill */
  uint64_t need;     /* distinct K+V blocks (pairs) one layer reads */
  uint64_t per;      /* entries written per table */
  CUdeviceptr base;  /* base of the tables' offsets / ids */
  uint64_t contig_stride; /* contiguous: bytes between layer placements */
} attn_plan;

/* Place the step's blocks on backed memory: table t (layer l uses table
 * l % KV_ATTN_TABLES) starts at pair t*need of the readable pairs, wrapping
 * when fewer pairs are backed. Returns 0 when nothing is backed. */
static int place(gpu_state *s, attn_plan *p, const gpu_range *avoid,
                 size_t navoid, kv_error *err, kv_status *rc) {
  *rc = KV_OK;
  uint64_t kb = (uint64_t)p->block * s->row_bytes; /* one K (or V) block */
  size_t cap = s->nvas ? s->handles_cap : 1;
  gpu_range *r = kv_xmalloc((cap ? cap : 1) * sizeof *r);
  size_t nr = readable(s, avoid, navoid, r, cap);
  qsort(r, nr, sizeof *r, cmp_range);
  if (nr == 0 || p->need == 0) {
    free(r);
    return 0;
  }
  p->base = r[0].ptr;
  if (p->mode == KV_ATTN_CONTIG) {
    /* one layer: K [batch][ctx] then V, in the pool; layers take turns in
     * KV_ATTN_TABLES placements when they fit, else share one */
    uint64_t tok = KV_MAX((uint64_t)p->batch * p->ctx, (uint64_t)p->pf_ctx);
    uint64_t one = 2ull * tok * s->row_bytes;
    p->contig_stride = one * KV_ATTN_TABLES <= r[0].bytes ? one : 0;
    free(r);
    return one <= s->pool_bytes;
  }
  uint64_t pairs = 0;
  for (size_t i = 0; i < nr; i++)
    pairs += r[i].bytes / (2 * kb);
  if (pairs == 0) {
    free(r);
    return 0;
  }
  uint64_t per = KV_MIN(p->need, s->a_entries);
  p->per = per;
  for (uint32_t t = 0; t < KV_ATTN_TABLES; t++) {
    uint64_t start = ((uint64_t)t * per) % pairs;
    /* walk to pair `start`, then fill `per` entries, wrapping */
    size_t ri = 0;
    uint64_t o = 0, skip = start;
    while (skip >= r[ri].bytes / (2 * kb)) {
      skip -= r[ri].bytes / (2 * kb);
      ri = (ri + 1) % nr;
    }
    o = skip * 2 * kb;
    for (uint64_t j = 0; j < per; j++) {
      while (o + 2 * kb > r[ri].bytes) {
        ri = (ri + 1) % nr;
        o = 0;
      }
      uint64_t off = r[ri].ptr + o - p->base;
      s->a_off_host[t * s->a_entries + j] = (int64_t)off;
      s->a_bt_host[t * s->a_entries + j] = (int32_t)(off / kb);
      o += 2 * kb;
    }
  }
  free(r);
  (void)err;
  return 1;
}

static kv_status attn_plan_of(gpu_state *s, const kv_op *op, attn_plan *p) {
  memset(p, 0, sizeof *p);
  int pool = s->nvas == 0;
  if (op->mode == KV_ADDR_BLOCK_TABLE && pool) {
    p->mode = KV_ATTN_BLOCK_TABLE;
    p->block = op->count ? op->count : 16;
  } else if (op->mode == KV_ADDR_CONTIGUOUS && pool) {
    p->mode = KV_ATTN_CONTIG;
  } else {
    p->mode = KV_ATTN_OFFSET_TABLE;
    p->block =
        op->mode == KV_ADDR_CONTIGUOUS || !op->count ? KV_VMM_BLOCK : op->count;
  }
  /* power of two, 1..256 */
  uint32_t b = 1;
  while (b < p->block && b < 256)
    b <<= 1;
  if (p->block) p->block = b;
  p->batch = op->decodes;
  p->ctx = op->decodes ? (uint32_t)(op->decode_keys / op->decodes + 0.5) : 0;
  if (p->batch && p->ctx == 0) p->ctx = 1;
  uint32_t pq = op->tokens > op->decodes ? op->tokens - op->decodes : 0;
  if (pq) {
    double n = pq, c = (op->prefill_pairs - n * (n + 1) / 2) / n;
    p->pf_q = pq;
    p->pf_ctx = pq + (c > 0 ? (uint32_t)(c + 0.5) : 0);
  }
  if (p->mode == KV_ATTN_CONTIG) {
    /* decodes: [batch][ctx]; the prefill its own request of pf_ctx */
    p->need = 1;
    return KV_OK;
  }
  p->dmb = p->batch ? (uint32_t)KV_DIV_CEIL(p->ctx, p->block) : 0;
  p->pmb = p->pf_q ? (uint32_t)KV_DIV_CEIL(p->pf_ctx, p->block) : 0;
  p->need = (uint64_t)p->batch * p->dmb + p->pmb;
  return KV_OK;
}

static kv_status real_attention(gpu_state *s, const attn_plan *p, uint32_t l,
                                kv_error *err) {
  uint32_t t = l % KV_ATTN_TABLES;
  kv_attention_desc d = {
      .mode = p->mode,
      .q_heads = s->a_qh,
      .kv_heads = s->a_kvh,
      .head_dim = s->a_hd,
      .block_tokens = p->block,
      .scale = 1.0f / sqrtf((float)s->a_hd),
      .q = s->act_q,
      .out = s->act_attn,
  };
  uint64_t kb = (uint64_t)p->block * s->row_bytes;
  const char *base = (const char *)(uintptr_t)p->base;
  int32_t *meta = s->a_meta_dev;
  uint32_t mc = s->a_meta_cap;
  if (p->batch) {
    d.batch = p->batch;
    d.ctx_len = meta; /* decode contexts: meta[0 .. batch) */
    if (p->mode == KV_ATTN_CONTIG) {
      d.max_ctx = p->ctx;
      const char *k = base + (uint64_t)t * p->contig_stride;
      d.k = k;
      d.v = k + (uint64_t)p->batch * p->ctx * s->row_bytes;
    } else {
      d.max_blocks = p->dmb;
      d.max_ctx = p->dmb * p->block;
      d.block_table = s->a_bt_dev + (uint64_t)t * s->a_entries;
      d.offsets = s->a_off_dev + (uint64_t)t * s->a_entries;
      d.k = base;
      d.v = base + kb;
      d.slab = base;
    }
    uint64_t ws = kv_attn_decode_workspace_bytes(&d, 0);
    if (ws > s->a_ws_bytes) { /* grows a few times early in a run */
      GPU_RT(cudaStreamSynchronize(s->stream));
      cudaFree(s->a_ws);
      s->a_ws = NULL;
      GPU_RT(cudaMalloc(&s->a_ws, ws));
      s->scratch_bytes += ws - s->a_ws_bytes;
      s->a_ws_bytes = ws;
    }
    GPU_RT(kv_attn_decode(&d, 0, s->a_ws, s->stream));
    s->totals.attn_calls++;
    s->totals.attn_bytes += 2.0 * p->batch * p->ctx * s->row_bytes;
  }
  if (p->pf_q) {
    d.batch = 1;
    d.ctx_len = meta + mc;     /* [pf_ctx] */
    d.q_start = meta + 2 * mc; /* [0, pf_q] */
    d.q = s->act_q;
    if (p->mode == KV_ATTN_CONTIG) {
      d.max_ctx = p->pf_ctx;
      const char *k = base + (uint64_t)t * p->contig_stride;
      d.k = k;
      d.v = k + (uint64_t)p->pf_ctx * s->row_bytes;
    } else {
      uint64_t first = (uint64_t)p->batch * p->dmb; /* after the decodes' */
      d.max_blocks = p->pmb;
      d.max_ctx = p->pmb * p->block;
      d.block_table = s->a_bt_dev + (uint64_t)t * s->a_entries + first;
      d.offsets = s->a_off_dev + (uint64_t)t * s->a_entries + first;
      d.k = base;
      d.v = base + kb;
      d.slab = base;
    }
    GPU_RT(kv_attn_prefill_max_q(&d, p->pf_q, s->stream));
    s->totals.attn_calls++;
    s->totals.attn_bytes += 2.0 * p->pf_ctx * s->row_bytes;
  }
  return KV_OK;
}

static kv_status real_exec(gpu_state *s, const kv_model *m, const kv_op *op,
                           const gpu_range *avoid, size_t navoid,
                           kv_error *err) {
  uint32_t M = op->tokens;
  if (M == 0 && op->flops > 0) { /* an op from an older producer */
    double ap = m->active_params > 0 ? m->active_params : m->params;
    M = (uint32_t)KV_MAX(1.0, op->flops / (2.0 * ap));
  }
  if (M == 0) return KV_OK;
  kv_status rc = act_alloc(s, M, err);
  if (rc != KV_OK) return rc;

  attn_plan p;
  attn_plan_of(s, op, &p);
  if (p.batch > s->a_meta_cap) p.batch = s->a_meta_cap; /* 4096 decodes */
  if (p.mode != KV_ATTN_CONTIG && p.need > s->a_entries &&
      (rc = tables_grow(s, p.need, err)) != KV_OK)
    return rc;
  int have_kv = place(s, &p, avoid, navoid, err, &rc);
  if (rc != KV_OK) return rc;
  if (have_kv) {
    uint32_t mc = s->a_meta_cap;
    for (uint32_t i = 0; i < p.batch; i++)
      s->a_meta_host[i] = (int32_t)p.ctx;
    s->a_meta_host[mc] = (int32_t)p.pf_ctx;
    s->a_meta_host[2 * mc] = 0;
    s->a_meta_host[2 * mc + 1] = (int32_t)p.pf_q;
    GPU_RT(cudaMemcpyAsync(s->a_meta_dev, s->a_meta_host, 4ull * mc * 4,
                           cudaMemcpyHostToDevice, s->stream));
    for (uint32_t t = 0; t < KV_ATTN_TABLES && p.mode != KV_ATTN_CONTIG; t++) {
      uint64_t o = (uint64_t)t * s->a_entries;
      if (p.mode == KV_ATTN_BLOCK_TABLE)
        GPU_RT(cudaMemcpyAsync(s->a_bt_dev + o, s->a_bt_host + o, p.per * 4,
                               cudaMemcpyHostToDevice, s->stream));
      else
        GPU_RT(cudaMemcpyAsync(s->a_off_dev + o, s->a_off_host + o, p.per * 8,
                               cudaMemcpyHostToDevice, s->stream));
    }
  }

  uint32_t H = s->g_hidden;
  for (uint32_t l = 0; l < m->layers; l++) {
    const char *w = s->wl + (uint64_t)(l % s->wl_layers) * s->wl_layer_bytes;
    const char *wqkv = w;
    const char *wo = wqkv + 2ull * s->g_qkv * H;
    const char *wgu = wo + 2ull * H * s->g_qdim;
    const char *wd = wgu + 2ull * s->g_gu * H;
    if ((rc = gemm(s, wqkv, s->act_x, s->act_qkv, M, s->g_qkv, H, err)))
      return rc;
    if (have_kv && (rc = real_attention(s, &p, l, err))) return rc;
    if ((rc = gemm(s, wo, s->act_attn, s->act_y, M, H, s->g_qdim, err)))
      return rc;
    if ((rc = gemm(s, wgu, s->act_x, s->act_gu, M, s->g_gu, H, err))) return rc;
    if ((rc = gemm(s, wd, s->act_gu, s->act_y, M, H, s->g_inter, err)))
      return rc;
  }
  /* LM head: one row per request that samples (decodes, and a prefill) */
  uint32_t rows = KV_MIN(M, op->decodes + (M > op->decodes ? 1u : 0u));
  rows = KV_MIN(rows, KV_LOGIT_ROWS);
  const char *lm = s->wl + (uint64_t)s->wl_layers * s->wl_layer_bytes;
  return gemm(s, lm, s->act_x, s->act_logits, rows, s->g_vocab, H, err);
}

/* ---- entry points ---- */

kv_status gpu_compute_init(gpu_state *s, const kv_model *m, uint32_t tp,
                           kv_error *err) {
  if (s->opt.standin) return standin_init(s, m, tp, err);
  return real_init(s, m, tp, err);
}

void gpu_compute_free(gpu_state *s) {
  standin_free(s);
  real_free(s);
}

kv_status gpu_compute_exec(gpu_state *s, const kv_model *m, uint32_t tp,
                           const kv_op *op, uint64_t attn_extra,
                           const gpu_range *avoid, size_t navoid,
                           kv_error *err) {
  if (s->opt.standin)
    return standin_exec(s, m, tp, op, attn_extra, avoid, navoid, err);
  return real_exec(s, m, op, avoid, navoid, err);
}
