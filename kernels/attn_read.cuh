/* attn_read.cuh - device code of the decode-attention read: one query token
 * per request, grouped-query attention over an fp16 KV cache addressed
 * contiguously (vmm), through a block table (paged) or through a byte offset
 * table (indirect); see kv_attn_desc in kv_kernels.h.
 * Work: one thread block of 128 threads per (request, kv head, context
 * chunk). Phase 1 computes the chunk's scores q.K (16 lanes per K row, one
 * 16-byte load each, 4 rows in flight per group), phase 2 the chunk's
 * softmax numerators per head (one warp per head), phase 3 the weighted V
 * sum; attn_combine merges the chunks (flash-decoding style).
 * Main entry points: kva::make_args(), kva::launch().
 */
#ifndef KV_ATTN_READ_CUH
#define KV_ATTN_READ_CUH

#include <math.h>
#include <stdint.h>

#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include "kv_kernels.h"

namespace kva {

constexpr int kD = 128;       /* head dim */
constexpr int kThreads = 128; /* 8 groups of 16 lanes */
constexpr int kGroups = kThreads / 16;
constexpr int kUnroll = 4; /* rows in flight per group */

struct attn_args {
  int mode;
  uint32_t batch, q_heads, kv_heads, block_tokens, max_blocks, max_ctx;
  uint32_t splits, chunk;
  int bs_shift; /* log2(block_tokens) when a power of two, else -1 */
  float scale;
  const __half *q;
  const int32_t *ctx_len;
  const __half *k, *v;
  const int32_t *bt;
  const char *slab;
  const int64_t *off;
  float *part;
  float *out;
};

static inline attn_args make_args(const kv_attn_desc *d) {
  attn_args a;
  a.mode = d->mode;
  a.batch = d->batch;
  a.q_heads = d->q_heads;
  a.kv_heads = d->kv_heads;
  a.block_tokens = d->block_tokens ? d->block_tokens : 1;
  a.max_blocks = d->max_blocks;
  a.max_ctx = d->max_ctx;
  a.splits = d->splits ? d->splits : 1;
  a.chunk = (d->max_ctx + a.splits - 1) / a.splits;
  if (a.chunk == 0) a.chunk = 1;
  a.bs_shift = -1;
  for (int s = 0; s < 31; s++)
    if ((1u << s) == a.block_tokens) a.bs_shift = s;
  a.scale = d->scale;
  a.q = (const __half *)d->q;
  a.ctx_len = d->ctx_len;
  a.k = (const __half *)d->k;
  a.v = (const __half *)d->v;
  a.bt = d->block_table;
  a.slab = (const char *)d->slab;
  a.off = d->offsets;
  a.part = (float *)d->workspace;
  a.out = d->out;
  return a;
}

static inline int group_of(const kv_attn_desc *d) {
  return d->kv_heads ? (int)(d->q_heads / d->kv_heads) : 0;
}

/* floats of one partial: acc [G][128], m [G], l [G] */
static inline size_t partial_floats(int g) {
  return (size_t)g * kD + 2 * g;
}

static inline size_t workspace_bytes(const kv_attn_desc *d) {
  uint32_t splits = d->splits ? d->splits : 1;
  return (size_t)d->batch * d->kv_heads * splits * partial_floats(group_of(d)) *
         sizeof(float);
}

/* Row of token t of request b, kv head h, in K (isv = 0) or V (isv = 1). */
template <int MODE>
__device__ __forceinline__ const __half *row(const attn_args &a, uint32_t b,
                                             uint32_t h, uint32_t t, int isv) {
  if (MODE == KV_ATTN_CONTIG) {
    const __half *base = isv ? a.v : a.k;
    return base + (((size_t)b * a.max_ctx + t) * a.kv_heads + h) * kD;
  }
  uint32_t j, r;
  if (a.bs_shift >= 0) {
    j = t >> a.bs_shift;
    r = t & (a.block_tokens - 1);
  } else {
    j = t / a.block_tokens;
    r = t - j * a.block_tokens;
  }
  if (MODE == KV_ATTN_BLOCK_TABLE) {
    const __half *base = isv ? a.v : a.k;
    size_t blk = (size_t)a.bt[(size_t)b * a.max_blocks + j];
    return base + ((blk * a.block_tokens + r) * a.kv_heads + h) * kD;
  }
  const char *p = a.slab + a.off[(size_t)b * a.max_blocks + j];
  size_t skip = isv ? (size_t)a.block_tokens * a.kv_heads * kD : 0;
  return (const __half *)p + skip + ((size_t)r * a.kv_heads + h) * kD;
}

__device__ __forceinline__ void h8_to_f(int4 v, float f[8]) {
  const __half2 *h = (const __half2 *)&v;
#pragma unroll
  for (int i = 0; i < 4; i++) {
    float2 x = __half22float2(h[i]);
    f[2 * i] = x.x;
    f[2 * i + 1] = x.y;
  }
}

template <int MODE, int G>
__global__ void __launch_bounds__(kThreads) attn_partial(attn_args a) {
  extern __shared__ float smem[];
  __shared__ float m_s[G], l_s[G];
  float *sc = smem;                        /* [chunk][G] scores, then p */
  float *red = smem + (size_t)a.chunk * G; /* [groups][G][128] */
  uint32_t split = blockIdx.x % a.splits;
  uint32_t bh = blockIdx.x / a.splits;
  uint32_t h = bh % a.kv_heads;
  uint32_t b = bh / a.kv_heads;
  uint32_t len = (uint32_t)a.ctx_len[b];
  uint32_t t0 = split * a.chunk;
  uint32_t t1 = min(len, t0 + a.chunk);
  if (t1 < t0) t1 = t0;
  int g = threadIdx.x >> 4, l16 = threadIdx.x & 15;

  float qf[G][8];
#pragma unroll
  for (int j = 0; j < G; j++) {
    const __half *qp = a.q + ((size_t)b * a.q_heads + h * G + j) * kD;
    h8_to_f(*(const int4 *)(qp + l16 * 8), qf[j]);
#pragma unroll
    for (int e = 0; e < 8; e++)
      qf[j][e] *= a.scale;
  }

  /* phase 1: scores */
  for (uint32_t base = t0; base < t1; base += kGroups * kUnroll) {
    int4 kk[kUnroll];
#pragma unroll
    for (int u = 0; u < kUnroll; u++) {
      uint32_t t = base + u * kGroups + g;
      if (t < t1)
        kk[u] = *(const int4 *)(row<MODE>(a, b, h, t, 0) + l16 * 8);
      else
        kk[u] = make_int4(0, 0, 0, 0);
    }
#pragma unroll
    for (int u = 0; u < kUnroll; u++) {
      uint32_t t = base + u * kGroups + g;
      float kf[8];
      h8_to_f(kk[u], kf);
#pragma unroll
      for (int j = 0; j < G; j++) {
        float d = 0.f;
#pragma unroll
        for (int e = 0; e < 8; e++)
          d = fmaf(qf[j][e], kf[e], d);
#pragma unroll
        for (int o = 8; o > 0; o >>= 1)
          d += __shfl_xor_sync(0xffffffffu, d, o);
        if (l16 == 0 && t < t1) sc[(size_t)(t - t0) * G + j] = d;
      }
    }
  }
  __syncthreads();

  /* phase 2: per-head max and exp-sum of this chunk, one warp per head */
  int w = threadIdx.x >> 5, lane = threadIdx.x & 31;
  uint32_t n = t1 - t0;
  for (int j = w; j < G; j += kThreads / 32) {
    float m = -INFINITY;
    for (uint32_t i = lane; i < n; i += 32)
      m = fmaxf(m, sc[(size_t)i * G + j]);
#pragma unroll
    for (int o = 16; o > 0; o >>= 1)
      m = fmaxf(m, __shfl_xor_sync(0xffffffffu, m, o));
    float l = 0.f;
    for (uint32_t i = lane; i < n; i += 32) {
      float p = __expf(sc[(size_t)i * G + j] - m);
      sc[(size_t)i * G + j] = p;
      l += p;
    }
#pragma unroll
    for (int o = 16; o > 0; o >>= 1)
      l += __shfl_xor_sync(0xffffffffu, l, o);
    if (lane == 0) {
      m_s[j] = m;
      l_s[j] = l;
    }
  }
  __syncthreads();

  /* phase 3: p-weighted sum of V rows */
  float acc[G][8];
#pragma unroll
  for (int j = 0; j < G; j++)
#pragma unroll
    for (int e = 0; e < 8; e++)
      acc[j][e] = 0.f;
  for (uint32_t base = t0; base < t1; base += kGroups * kUnroll) {
    int4 vv[kUnroll];
#pragma unroll
    for (int u = 0; u < kUnroll; u++) {
      uint32_t t = base + u * kGroups + g;
      if (t < t1) vv[u] = *(const int4 *)(row<MODE>(a, b, h, t, 1) + l16 * 8);
    }
#pragma unroll
    for (int u = 0; u < kUnroll; u++) {
      uint32_t t = base + u * kGroups + g;
      if (t < t1) {
        float vf[8];
        h8_to_f(vv[u], vf);
#pragma unroll
        for (int j = 0; j < G; j++) {
          float p = sc[(size_t)(t - t0) * G + j];
#pragma unroll
          for (int e = 0; e < 8; e++)
            acc[j][e] = fmaf(p, vf[e], acc[j][e]);
        }
      }
    }
  }
#pragma unroll
  for (int j = 0; j < G; j++)
#pragma unroll
    for (int e = 0; e < 8; e++)
      red[((size_t)g * G + j) * kD + l16 * 8 + e] = acc[j][e];
  __syncthreads();
  float *P = a.part + (size_t)blockIdx.x * (G * kD + 2 * G);
  for (int o = threadIdx.x; o < G * kD; o += kThreads) {
    float s = 0.f;
#pragma unroll
    for (int gg = 0; gg < kGroups; gg++)
      s += red[(size_t)gg * G * kD + o];
    P[o] = s;
  }
  if (threadIdx.x < G) {
    P[G * kD + threadIdx.x] = m_s[threadIdx.x];
    P[G * kD + G + threadIdx.x] = l_s[threadIdx.x];
  }
}

/* Merge the chunks of one (request, kv head): thread = one of 128 dims. */
template <int G>
__global__ void __launch_bounds__(kD) attn_combine(attn_args a) {
  uint32_t bh = blockIdx.x;
  uint32_t h = bh % a.kv_heads, b = bh / a.kv_heads;
  const float *P0 = a.part + (size_t)bh * a.splits * (G * kD + 2 * G);
  int d = threadIdx.x;
  for (int j = 0; j < G; j++) {
    float M = -INFINITY;
    for (uint32_t s = 0; s < a.splits; s++) {
      const float *P = P0 + (size_t)s * (G * kD + 2 * G);
      if (P[G * kD + G + j] > 0.f) M = fmaxf(M, P[G * kD + j]);
    }
    float num = 0.f, den = 0.f;
    if (M > -INFINITY) {
      for (uint32_t s = 0; s < a.splits; s++) {
        const float *P = P0 + (size_t)s * (G * kD + 2 * G);
        float l = P[G * kD + G + j];
        if (l > 0.f) {
          float c = __expf(P[G * kD + j] - M);
          num += c * P[j * kD + d];
          den += c * l;
        }
      }
    }
    a.out[((size_t)b * a.q_heads + h * G + j) * kD + d] =
        den > 0.f ? num / den : 0.f;
  }
}

template <int MODE, int G>
static inline cudaError_t launch_mg(const attn_args &a, cudaStream_t s) {
  size_t smem =
      ((size_t)a.chunk * G + (size_t)kGroups * G * kD) * sizeof(float);
  if (smem > 48 * 1024) {
    cudaError_t e = cudaFuncSetAttribute(
        attn_partial<MODE, G>, cudaFuncAttributeMaxDynamicSharedMemorySize,
        (int)smem);
    if (e != cudaSuccess) return e;
  }
  unsigned blocks = a.batch * a.kv_heads * a.splits;
  attn_partial<MODE, G><<<blocks, kThreads, smem, s>>>(a);
  attn_combine<G><<<a.batch * a.kv_heads, kD, 0, s>>>(a);
  return cudaGetLastError();
}

template <int G>
static inline cudaError_t launch_g(const attn_args &a, cudaStream_t s) {
  switch (a.mode) {
  case KV_ATTN_CONTIG: return launch_mg<KV_ATTN_CONTIG, G>(a, s);
  case KV_ATTN_BLOCK_TABLE: return launch_mg<KV_ATTN_BLOCK_TABLE, G>(a, s);
  case KV_ATTN_OFFSET_TABLE: return launch_mg<KV_ATTN_OFFSET_TABLE, G>(a, s);
  default: return cudaErrorInvalidValue;
  }
}

static inline cudaError_t launch(const kv_attn_desc *d, cudaStream_t s) {
  if (d->head_dim != kD || d->kv_heads == 0 || d->q_heads % d->kv_heads)
    return cudaErrorInvalidValue;
  if (d->batch == 0) return cudaSuccess;
  attn_args a = make_args(d);
  switch (group_of(d)) {
  case 1: return launch_g<1>(a, s);
  case 2: return launch_g<2>(a, s);
  case 4: return launch_g<4>(a, s);
  case 8: return launch_g<8>(a, s);
  default: return cudaErrorInvalidValue;
  }
}

} // namespace kva

#endif
