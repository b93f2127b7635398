/* attention.cuh - device code of kvsim's real attention kernels (bf16 q, K,
 * V and out, fp32 softmax and accumulation), the lab versions behind
 * kv_attention.h, in the three K/V addressing modes (contiguous, block table,
 * offset table; see kv_attention.h for the layouts):
 *
 *   decode v1   one thread block per (request, kv head, split), one warp per
 *               q head of the group, one token at a time (the simple one)
 *   decode v2   FlashDecoding: one thread block of 128 threads per (request,
 *               kv head, context chunk) for all q heads of the group (G = 16:
 *               two blocks of 8 heads, adjacent so the second read hits L2);
 *               D/8 lanes per K/V row, one 16-byte load each, U rows of K
 *               and of V in flight per lane group, an online softmax per lane
 *               group in fp32 (base 2, scores pre-scaled by log2 e), the
 *               groups combined in shared memory; table entries loaded once
 *               per block per warp (one coalesced load, then shuffles) and
 *               prefetched an iteration ahead. Splits > 1: partial (acc, max,
 *               sum) per (request, q head, split) to the workspace, then
 *               decode_merge; splits == 1 writes out directly.
 *   decode v3   v2 with an L2 prefetch of the first K and V row of every
 *               table block two block steps ahead (address translation of
 *               blocks in random order warmed before the loads need it)
 *   decode v4   v2 with an L2 prefetch of every K and V line two block
 *               steps ahead (more bytes in flight than registers allow)
 *   decode_merge  one warp per (request, q head): combines the splits
 *   prefill v1  one warp per (query row, q head), keys one at a time
 *   prefill v2  tiled: 64 query rows x 64 keys per step, K and V tiles in
 *               shared memory, Q.K^T and P.V on tensor cores (wmma bf16
 *               16x16x16, fp32 accumulate), online softmax on CUDA cores with
 *               the output rows in registers; causal tiles past the diagonal
 *               are skipped, the diagonal one masked
 *
 * Nothing here reads past a request's ctx_len (loads are masked, tiles
 * zero-filled), so rows past the context may hold anything (NaN included).
 * Main entry points: kvat::validate(), kvat::launch_decode<V>(),
 * kvat::launch_prefill<V>(), kvat::resolve_splits().
 */
#ifndef KV_ATTENTION_CUH
#define KV_ATTENTION_CUH

#include <atomic>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <cuda_bf16.h>
#include <cuda_runtime.h>
#include <mma.h>

#include "kv_attention.h"

namespace kvat {

typedef __nv_bfloat16 bf16;

constexpr float kLog2e = 1.4426950408889634f;
constexpr int kPartPad = 4; /* partial row: acc[D], max, sum, 2 pad floats */

struct args {
  uint32_t batch, q_heads, kv_heads, group, block_tokens, max_blocks, max_ctx;
  uint32_t bs_shift; /* log2(block_tokens); 0 in contig mode */
  uint32_t splits;   /* decode: context chunks */
  uint32_t chunk;    /* decode: tokens per chunk */
  uint32_t slices;   /* decode v2: thread blocks per (request, kv head) */
  float scale_log2;  /* scale * log2(e) */
  const bf16 *q;     /* [tokens][q_heads][D] */
  const int32_t *q_start, *ctx_len;
  const bf16 *k, *v;  /* contig / block-table data */
  const int32_t *bt;  /* block table */
  const char *slab;   /* offset-table data */
  const int64_t *off; /* offset table (bytes) */
  bf16 *out;          /* [tokens][q_heads][D] */
  float *part;        /* decode partials [batch][q_heads][splits][D+4] */
};

/* ---- addressing, shared by the kernels and the host self-test ---------- */

template <int MODE> struct entry_type { typedef int32_t type; };
template <> struct entry_type<KV_ATTN_OFFSET_TABLE> { typedef int64_t type; };

/* Table entry of logical block j of request b (0 in contig mode). */
template <int MODE>
__host__ __device__ __forceinline__ typename entry_type<MODE>::type
load_entry(const args &a, uint32_t b, uint32_t j) {
  if constexpr (MODE == KV_ATTN_BLOCK_TABLE)
    return a.bt[(size_t)b * a.max_blocks + j];
  else if constexpr (MODE == KV_ATTN_OFFSET_TABLE)
    return a.off[(size_t)b * a.max_blocks + j];
  else
    return 0;
}

/* First element of the K (isv 0) or V (isv 1) row of token t of request b,
 * kv head h; e = the table entry of block t >> bs_shift (table modes). */
template <int D, int MODE>
__host__ __device__ __forceinline__ const bf16 *
kv_row(const args &a, uint32_t b, uint32_t t, uint32_t h, int isv,
       typename entry_type<MODE>::type e) {
  if constexpr (MODE == KV_ATTN_CONTIG) {
    (void)e;
    return (isv ? a.v : a.k) +
           (((size_t)b * a.max_ctx + t) * a.kv_heads + h) * (size_t)D;
  } else if constexpr (MODE == KV_ATTN_BLOCK_TABLE) {
    size_t r = (size_t)(t & (a.block_tokens - 1));
    return (isv ? a.v : a.k) +
           (((size_t)(uint32_t)e * a.block_tokens + r) * a.kv_heads + h) *
               (size_t)D;
  } else {
    size_t r = (size_t)(t & (a.block_tokens - 1));
    size_t skip = isv ? (size_t)a.block_tokens * a.kv_heads : 0;
    return (const bf16 *)(a.slab + e) + (skip + r * a.kv_heads + h) * (size_t)D;
  }
}

/* ctx_len[b] clamped to [0, max_ctx] (never read past the table or range) */
__host__ __device__ __forceinline__ uint32_t ctx_of(const args &a, uint32_t b) {
  int32_t l = a.ctx_len[b];
  if (l < 0) return 0;
  return (uint32_t)l < a.max_ctx ? (uint32_t)l : a.max_ctx;
}

/* ---- small device helpers ------------------------------------------------ */

__device__ __forceinline__ float ex2(float x) {
  float y;
  asm("ex2.approx.ftz.f32 %0, %1;" : "=f"(y) : "f"(x));
  return y;
}

__device__ __forceinline__ void bf8_to_f(const int4 &v, float f[8]) {
  const uint32_t w[4] = {(uint32_t)v.x, (uint32_t)v.y, (uint32_t)v.z,
                         (uint32_t)v.w};
#pragma unroll
  for (int i = 0; i < 4; i++) {
    f[2 * i] = __uint_as_float(w[i] << 16);
    f[2 * i + 1] = __uint_as_float(w[i] & 0xffff0000u);
  }
}

/* ---- decode v1 ------------------------------------------------------------
 * grid: batch * kv_heads * splits (split fastest), block: 32 * group threads
 * (warp j = q head h*group + j); chunk = ceil(max_ctx / splits). Always writes
 * partials (decode_merge follows). */
template <int D, int MODE> __global__ void decode_v1(args a) {
  constexpr int kPer = D / 32;
  const uint32_t split = blockIdx.x % a.splits;
  const uint32_t bh = blockIdx.x / a.splits;
  const uint32_t h = bh % a.kv_heads, b = bh / a.kv_heads;
  const int j = threadIdx.x >> 5, lane = threadIdx.x & 31;
  const uint32_t qh = h * a.group + j;
  const uint32_t len = ctx_of(a, b);
  const uint32_t t0 = split * a.chunk;
  const uint32_t t1 = min(len, t0 + a.chunk);
  const uint32_t qrow = a.q_start ? (uint32_t)a.q_start[b] : b;
  float q[kPer], acc[kPer];
  const bf16 *qp = a.q + ((size_t)qrow * a.q_heads + qh) * D + lane * kPer;
#pragma unroll
  for (int i = 0; i < kPer; i++) {
    q[i] = __bfloat162float(qp[i]) * a.scale_log2;
    acc[i] = 0.f;
  }
  float m = -INFINITY, s = 0.f;
  for (uint32_t t = t0; t < t1; t++) {
    typename entry_type<MODE>::type e = 0;
    if constexpr (MODE != KV_ATTN_CONTIG)
      e = load_entry<MODE>(a, b, t >> a.bs_shift);
    const bf16 *kp = kv_row<D, MODE>(a, b, t, h, 0, e) + lane * kPer;
    const bf16 *vp = kv_row<D, MODE>(a, b, t, h, 1, e) + lane * kPer;
    float d = 0.f;
#pragma unroll
    for (int i = 0; i < kPer; i++)
      d = fmaf(q[i], __bfloat162float(kp[i]), d);
#pragma unroll
    for (int o = 16; o > 0; o >>= 1)
      d += __shfl_xor_sync(0xffffffffu, d, o);
    const float mx = fmaxf(m, d);
    const float alpha = ex2(m - mx); /* m = -inf: 0 */
    const float p = ex2(d - mx);
    s = s * alpha + p;
#pragma unroll
    for (int i = 0; i < kPer; i++)
      acc[i] = fmaf(p, __bfloat162float(vp[i]), acc[i] * alpha);
    m = mx;
  }
  float *P = a.part + (((size_t)b * a.q_heads + qh) * a.splits + split) *
                          (size_t)(D + kPartPad);
#pragma unroll
  for (int i = 0; i < kPer; i++)
    P[lane * kPer + i] = acc[i];
  if (lane == 0) {
    P[D] = m;
    P[D + 1] = s;
  }
}

/* ---- decode v2 ------------------------------------------------------------
 */

template <int D, int HG> struct dcfg {
  static constexpr int kThreads = 128;
  static constexpr int kWarps = kThreads / 32;
  static constexpr int kLanes = D / 8;     /* lanes per K/V row */
  static constexpr int kGPW = 32 / kLanes; /* lane groups per warp */
  static constexpr int kGroups = kThreads / kLanes;
  static constexpr int kU = HG >= 8 ? 2 : 4; /* rows in flight per group */
  static constexpr int kWT = kGPW * kU;      /* tokens per warp step */
  static constexpr int kCtaT = kWarps * kWT; /* tokens per block step */
  static_assert(kWT <= 32, "one table entry per lane must cover a warp step");
};

/* An L2 prefetch of the line at p (never faults: only called for rows of
 * tokens below the context, whose memory is backed). */
__device__ __forceinline__ void prefetch_l2(const void *p) {
  asm volatile("prefetch.global.L2 [%0];" ::"l"(p));
}

/* grid: batch * kv_heads * splits * slices (slice fastest, then split);
 * chunk a multiple of kCtaT. HG q heads per block: the group, or 8 of 16.
 * PF (versions 3 and 4): what the warp asks L2 for two block steps ahead,
 * with the table entries of that step loaded a step earlier still:
 *   0  nothing (version 2)
 *   1  the first K and V row of each table block of that step (one line
 *      each: warms the address translation of blocks in random order;
 *      nothing in contiguous mode) (version 3)
 *   2  every K and V line of that step (version 4) */
template <int D, int MODE, int HG, int PF = 0>
__global__ void __launch_bounds__(128) decode_v2(args a) {
  typedef dcfg<D, HG> C;
  typedef typename entry_type<MODE>::type E;
  __shared__ __align__(16) float red_acc[C::kGroups][HG][D];
  __shared__ float red_m[C::kGroups][HG], red_s[C::kGroups][HG];

  const uint32_t slice = blockIdx.x % a.slices;
  const uint32_t split = (blockIdx.x / a.slices) % a.splits;
  const uint32_t bh = blockIdx.x / (a.slices * a.splits);
  const uint32_t h = bh % a.kv_heads, b = bh / a.kv_heads;
  const uint32_t len = ctx_of(a, b);
  const uint32_t t0 = split * a.chunk;
  const uint32_t t1 = min(len, t0 + a.chunk); /* may be <= t0: no tokens */
  const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
  const int grp = lane / C::kLanes, l = lane % C::kLanes;
  const uint32_t qrow = a.q_start ? (uint32_t)a.q_start[b] : b;
  const uint32_t qh0 = h * a.group + slice * HG;

  float q[HG][8], acc[HG][8], m[HG], s[HG];
#pragma unroll
  for (int j = 0; j < HG; j++) {
    const int4 raw = __ldg(
        (const int4 *)(a.q + ((size_t)qrow * a.q_heads + qh0 + j) * D) + l);
    bf8_to_f(raw, q[j]);
#pragma unroll
    for (int e = 0; e < 8; e++) {
      q[j][e] *= a.scale_log2;
      acc[j][e] = 0.f;
    }
    m[j] = -INFINITY;
    s[j] = 0.f;
  }

  /* lane i holds the entry of block (wb >> shift) + i of the warp's step */
  auto fetch = [&](uint32_t wb) -> E {
    E e = 0;
    if constexpr (MODE != KV_ATTN_CONTIG) {
      const uint32_t jf = wb >> a.bs_shift;
      const uint32_t jl = (min(wb + (uint32_t)C::kWT, t1) - 1) >> a.bs_shift;
      if (jf + (uint32_t)lane <= jl) e = load_entry<MODE>(a, b, jf + lane);
    } else {
      (void)wb;
    }
    return e;
  };

  /* PF: lane i prefetches for block (wp >> shift) + i of step wp, entry ep */
  auto prefetch = [&](uint32_t wp, E ep) {
    if constexpr (PF == 1 && MODE != KV_ATTN_CONTIG) {
      const uint32_t jf = wp >> a.bs_shift;
      const uint32_t jl = (min(wp + (uint32_t)C::kWT, t1) - 1) >> a.bs_shift;
      if (jf + (uint32_t)lane <= jl) {
        const uint32_t t = max((jf + (uint32_t)lane) << a.bs_shift, wp);
        prefetch_l2(kv_row<D, MODE>(a, b, t, h, 0, ep));
        prefetch_l2(kv_row<D, MODE>(a, b, t, h, 1, ep));
      }
    } else if constexpr (PF == 2) {
      constexpr int kLineLanes = 128 / 16; /* lanes per 128-byte line */
#pragma unroll
      for (int u = 0; u < C::kU; u++) {
        const uint32_t t = wp + u * C::kGPW + grp;
        E e = 0;
        if constexpr (MODE != KV_ATTN_CONTIG) { /* whole warp shuffles */
          const uint32_t tc = min(t, t1 - 1);
          const int src = (int)((tc >> a.bs_shift) - (wp >> a.bs_shift));
          e = __shfl_sync(0xffffffffu, ep, src);
        }
        if (t < t1 && l % kLineLanes == 0) {
          prefetch_l2((const int4 *)kv_row<D, MODE>(a, b, t, h, 0, e) + l);
          prefetch_l2((const int4 *)kv_row<D, MODE>(a, b, t, h, 1, e) + l);
        }
      }
    } else {
      (void)wp;
      (void)ep;
    }
  };

  const uint32_t wb0 = t0 + (uint32_t)warp * C::kWT;
  E e_next = 0, e_far = 0; /* entries of the next step and the one after */
  (void)e_far;
  if (wb0 < t1) e_next = fetch(wb0);
  if constexpr (PF != 0) {
    if (wb0 + C::kCtaT < t1) {
      e_far = fetch(wb0 + C::kCtaT);
      prefetch(wb0 + C::kCtaT, e_far);
    }
  }
  for (uint32_t wb = wb0; wb < t1; wb += C::kCtaT) { /* warp-uniform */
    const E e_cur = e_next;
    if constexpr (PF != 0) {
      e_next = e_far;
      if (wb + 2 * C::kCtaT < t1) e_far = fetch(wb + 2 * C::kCtaT);
    } else {
      if (wb + C::kCtaT < t1) e_next = fetch(wb + C::kCtaT);
    }
    int4 kr[C::kU], vr[C::kU];
#pragma unroll
    for (int u = 0; u < C::kU; u++) {
      const uint32_t t = wb + u * C::kGPW + grp;
      E e = 0;
      if constexpr (MODE != KV_ATTN_CONTIG) {
        const uint32_t tc = min(t, t1 - 1);
        const int src = (int)((tc >> a.bs_shift) - (wb >> a.bs_shift));
        e = __shfl_sync(0xffffffffu, e_cur, src);
      }
      if (t < t1) {
        kr[u] = __ldg((const int4 *)kv_row<D, MODE>(a, b, t, h, 0, e) + l);
        vr[u] = __ldg((const int4 *)kv_row<D, MODE>(a, b, t, h, 1, e) + l);
      } else {
        kr[u] = make_int4(0, 0, 0, 0);
        vr[u] = make_int4(0, 0, 0, 0);
      }
    }
    float sc[C::kU][HG];
#pragma unroll
    for (int u = 0; u < C::kU; u++) {
      const bool ok = wb + u * C::kGPW + grp < t1;
      float kf[8];
      bf8_to_f(kr[u], kf);
#pragma unroll
      for (int j = 0; j < HG; j++) {
        float d = 0.f;
#pragma unroll
        for (int e = 0; e < 8; e++)
          d = fmaf(q[j][e], kf[e], d);
#pragma unroll
        for (int o = C::kLanes / 2; o > 0; o >>= 1)
          d += __shfl_xor_sync(0xffffffffu, d, o);
        sc[u][j] = ok ? d : -INFINITY;
      }
    }
#pragma unroll
    for (int j = 0; j < HG; j++) {
      float mx = m[j];
#pragma unroll
      for (int u = 0; u < C::kU; u++)
        mx = fmaxf(mx, sc[u][j]);
      const float mu = mx == -INFINITY ? 0.f : mx;
      const float alpha = ex2(m[j] - mu);
      m[j] = mx;
      float ps = 0.f;
#pragma unroll
      for (int u = 0; u < C::kU; u++) {
        sc[u][j] = ex2(sc[u][j] - mu); /* -inf: 0 */
        ps += sc[u][j];
      }
      s[j] = fmaf(s[j], alpha, ps);
#pragma unroll
      for (int e = 0; e < 8; e++)
        acc[j][e] *= alpha;
    }
#pragma unroll
    for (int u = 0; u < C::kU; u++) {
      float vf[8];
      bf8_to_f(vr[u], vf);
#pragma unroll
      for (int j = 0; j < HG; j++)
#pragma unroll
        for (int e = 0; e < 8; e++)
          acc[j][e] = fmaf(sc[u][j], vf[e], acc[j][e]);
    }
    if constexpr (PF != 0)
      if (wb + 2 * C::kCtaT < t1) prefetch(wb + 2 * C::kCtaT, e_far);
  }

  /* combine the lane groups of the block */
  const int g = warp * C::kGPW + grp;
#pragma unroll
  for (int j = 0; j < HG; j++) {
    float4 *dst = (float4 *)&red_acc[g][j][l * 8];
    dst[0] = make_float4(acc[j][0], acc[j][1], acc[j][2], acc[j][3]);
    dst[1] = make_float4(acc[j][4], acc[j][5], acc[j][6], acc[j][7]);
    if (l == 0) {
      red_m[g][j] = m[j];
      red_s[g][j] = s[j];
    }
  }
  __syncthreads();
  for (int idx = threadIdx.x; idx < HG * D; idx += C::kThreads) {
    const int j = idx / D, d = idx % D;
    float M = -INFINITY;
#pragma unroll
    for (int gg = 0; gg < C::kGroups; gg++)
      M = fmaxf(M, red_m[gg][j]);
    float A = 0.f, S = 0.f;
    if (M != -INFINITY) {
#pragma unroll
      for (int gg = 0; gg < C::kGroups; gg++) {
        const float w = ex2(red_m[gg][j] - M);
        A = fmaf(w, red_acc[gg][j][d], A);
        S = fmaf(w, red_s[gg][j], S);
      }
    }
    const uint32_t qh = qh0 + j;
    if (a.splits == 1) {
      a.out[((size_t)qrow * a.q_heads + qh) * D + d] =
          __float2bfloat16_rn(S > 0.f ? A / S : 0.f);
    } else {
      float *P = a.part + (((size_t)b * a.q_heads + qh) * a.splits + split) *
                              (size_t)(D + kPartPad);
      P[d] = A;
      if (d == 0) {
        P[D] = M;
        P[D + 1] = S;
      }
    }
  }
}

/* ---- merge of the splits: one warp per (request, q head) ----------------- */
template <int D> __global__ void __launch_bounds__(128) decode_merge(args a) {
  constexpr int kPer = D / 32;
  constexpr int kStride = D + kPartPad;
  const uint32_t row = blockIdx.x * 4 + (threadIdx.x >> 5);
  const int lane = threadIdx.x & 31;
  if (row >= a.batch * a.q_heads) return; /* whole warp */
  const uint32_t b = row / a.q_heads, qh = row % a.q_heads;
  const float *P0 = a.part + (size_t)row * a.splits * kStride;
  float M = -INFINITY;
  for (uint32_t sp = lane; sp < a.splits; sp += 32)
    M = fmaxf(M, P0[(size_t)sp * kStride + D]);
#pragma unroll
  for (int o = 16; o > 0; o >>= 1)
    M = fmaxf(M, __shfl_xor_sync(0xffffffffu, M, o));
  float num[kPer], den = 0.f;
#pragma unroll
  for (int i = 0; i < kPer; i++)
    num[i] = 0.f;
  if (M != -INFINITY) {
    for (uint32_t sp = 0; sp < a.splits; sp++) {
      const float *P = P0 + (size_t)sp * kStride;
      const float w = ex2(P[D] - M); /* empty split: max -inf, weight 0 */
      den = fmaf(w, P[D + 1], den);
#pragma unroll
      for (int i = 0; i < kPer; i++)
        num[i] = fmaf(w, P[lane * kPer + i], num[i]);
    }
  }
  const uint32_t qrow = a.q_start ? (uint32_t)a.q_start[b] : b;
  bf16 *o = a.out + ((size_t)qrow * a.q_heads + qh) * D + lane * kPer;
#pragma unroll
  for (int i = 0; i < kPer; i++)
    o[i] = __float2bfloat16_rn(den > 0.f ? num[i] / den : 0.f);
}

/* ---- prefill v1: one warp per (query row, q head) -------------------------
 * grid (ceil(max_q / 4), q_heads, batch), block 128. */
template <int D, int MODE>
__global__ void __launch_bounds__(128) prefill_v1(args a) {
  constexpr int kPer = D / 32;
  const uint32_t b = blockIdx.z, qh = blockIdx.y;
  const int lane = threadIdx.x & 31;
  const int64_t i = (int64_t)blockIdx.x * 4 + (threadIdx.x >> 5);
  const int64_t q0 = a.q_start[b], nq = (int64_t)a.q_start[b + 1] - q0;
  if (i >= nq) return;
  const uint32_t len = ctx_of(a, b);
  const uint32_t h = qh / a.group;
  const int64_t qpos = (int64_t)len - nq + i; /* sees keys 0..qpos */
  const int64_t kend = qpos + 1 < (int64_t)len ? qpos + 1 : (int64_t)len;
  float q[kPer], acc[kPer];
  const bf16 *qp = a.q + ((size_t)(q0 + i) * a.q_heads + qh) * D + lane * kPer;
#pragma unroll
  for (int k = 0; k < kPer; k++) {
    q[k] = __bfloat162float(qp[k]) * a.scale_log2;
    acc[k] = 0.f;
  }
  float m = -INFINITY, s = 0.f;
  for (int64_t tt = 0; tt < kend; tt++) {
    const uint32_t t = (uint32_t)tt;
    typename entry_type<MODE>::type e = 0;
    if constexpr (MODE != KV_ATTN_CONTIG)
      e = load_entry<MODE>(a, b, t >> a.bs_shift);
    const bf16 *kp = kv_row<D, MODE>(a, b, t, h, 0, e) + lane * kPer;
    const bf16 *vp = kv_row<D, MODE>(a, b, t, h, 1, e) + lane * kPer;
    float d = 0.f;
#pragma unroll
    for (int k = 0; k < kPer; k++)
      d = fmaf(q[k], __bfloat162float(kp[k]), d);
#pragma unroll
    for (int o = 16; o > 0; o >>= 1)
      d += __shfl_xor_sync(0xffffffffu, d, o);
    const float mx = fmaxf(m, d);
    const float alpha = ex2(m - mx);
    const float p = ex2(d - mx);
    s = s * alpha + p;
#pragma unroll
    for (int k = 0; k < kPer; k++)
      acc[k] = fmaf(p, __bfloat162float(vp[k]), acc[k] * alpha);
    m = mx;
  }
  bf16 *o = a.out + ((size_t)(q0 + i) * a.q_heads + qh) * D + lane * kPer;
#pragma unroll
  for (int k = 0; k < kPer; k++)
    o[k] = __float2bfloat16_rn(s > 0.f ? acc[k] / s : 0.f);
}

/* ---- prefill v2: tiled, tensor cores --------------------------------------
 * grid (ceil(max_q / 64), q_heads, batch), block 128 (4 warps x 16 query
 * rows). Shared memory (dynamic): K tile, V tile [64][D+8] bf16, per warp a
 * float scratch [16][D+4] (S, then P.V) and P [16][72] bf16. */
template <int D> struct pcfg {
  static constexpr int kBr = 64, kBc = 64, kThreads = 128;
  static constexpr int kLdK = D + 8;   /* bf16 elements per K/V/Q row */
  static constexpr int kLdS = D + 4;   /* floats per scratch row */
  static constexpr int kLdP = kBc + 8; /* bf16 per P row */
  static constexpr size_t kKvBytes = (size_t)kBc * kLdK * 2;
  static constexpr size_t kSBytes = (size_t)16 * kLdS * 4;
  static constexpr size_t kPBytes = (size_t)16 * kLdP * 2;
  static constexpr size_t kSmem =
      2 * kKvBytes + 4 * kSBytes + 4 * kPBytes + 128; /* + alignment slack */
  static_assert(kKvBytes % 128 == 0 && kSBytes % 128 == 0 && kPBytes % 128 == 0,
                "wmma tiles need 32-byte aligned bases");
  static_assert(kBr == 4 * 16 && kLdS >= kBc, "layout");
};

template <int D, int MODE>
__global__ void __launch_bounds__(128) prefill_v2(args a) {
#if !defined(__CUDA_ARCH__) || __CUDA_ARCH__ >= 800
  using namespace nvcuda;
  typedef pcfg<D> C;
  typedef typename entry_type<MODE>::type E;
  constexpr int kVec = D / 8; /* int4 per row */
  extern __shared__ unsigned char smem_raw[];
  unsigned char *sm =
      (unsigned char *)(((uintptr_t)smem_raw + 127) & ~(uintptr_t)127);
  bf16 *Ks = (bf16 *)sm;
  bf16 *Vs = (bf16 *)(sm + C::kKvBytes);
  const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
  float *Sf = (float *)(sm + 2 * C::kKvBytes + warp * C::kSBytes);
  bf16 *Ps =
      (bf16 *)(sm + 2 * C::kKvBytes + 4 * C::kSBytes + warp * C::kPBytes);

  const int64_t tile = (int64_t)gridDim.x - 1 - blockIdx.x; /* heavy first */
  const uint32_t qh = blockIdx.y, b = blockIdx.z;
  const int64_t q0 = a.q_start[b], nq = (int64_t)a.q_start[b + 1] - q0;
  if (tile * C::kBr >= nq) return; /* whole block, before any barrier */
  const uint32_t len = ctx_of(a, b);
  const uint32_t h = qh / a.group;
  const int64_t qpos0 = (int64_t)len - nq; /* position of query row 0 */
  const int64_t r_end = min(nq, tile * C::kBr + C::kBr);
  int64_t kend64 = qpos0 + r_end; /* keys [0, kend) */
  if (kend64 > (int64_t)len) kend64 = len;
  if (kend64 < 0) kend64 = 0;
  const uint32_t kend = (uint32_t)kend64;

  /* Q tile through the K buffer into fragments (rows past nq: zeros) */
  for (int idx = threadIdx.x; idx < C::kBr * kVec; idx += C::kThreads) {
    const int r = idx / kVec, c = idx % kVec;
    const int64_t i = tile * C::kBr + r;
    int4 v = make_int4(0, 0, 0, 0);
    if (i < nq)
      v = __ldg((const int4 *)(a.q + ((size_t)(q0 + i) * a.q_heads + qh) * D) +
                c);
    *(int4 *)(Ks + r * C::kLdK + c * 8) = v;
  }
  __syncthreads();
  wmma::fragment<wmma::matrix_a, 16, 16, 16, bf16, wmma::row_major> qa[D / 16];
#pragma unroll
  for (int kk = 0; kk < D / 16; kk++)
    wmma::load_matrix_sync(qa[kk], Ks + warp * 16 * C::kLdK + kk * 16, C::kLdK);
  __syncthreads();

  const int r = lane >> 1, half = lane & 1; /* this lane's row, column half */
  const int64_t row_i = tile * C::kBr + warp * 16 + r;
  const bool row_ok = row_i < nq;
  const int64_t qpos = qpos0 + row_i;
  float o[D / 2];
#pragma unroll
  for (int e = 0; e < D / 2; e++)
    o[e] = 0.f;
  float m = -INFINITY, l = 0.f;

  for (uint32_t k0 = 0; k0 < kend; k0 += C::kBc) {
    /* K and V tiles; keys past kend zero-filled (never NaN into the mma) */
    for (int idx = threadIdx.x; idx < C::kBc * kVec; idx += C::kThreads) {
      const int rr = idx / kVec, c = idx % kVec;
      const uint32_t t = k0 + rr;
      int4 kv = make_int4(0, 0, 0, 0), vv = make_int4(0, 0, 0, 0);
      if (t < kend) {
        E e = 0;
        if constexpr (MODE != KV_ATTN_CONTIG)
          e = load_entry<MODE>(a, b, t >> a.bs_shift);
        kv = __ldg((const int4 *)kv_row<D, MODE>(a, b, t, h, 0, e) + c);
        vv = __ldg((const int4 *)kv_row<D, MODE>(a, b, t, h, 1, e) + c);
      }
      *(int4 *)(Ks + rr * C::kLdK + c * 8) = kv;
      *(int4 *)(Vs + rr * C::kLdK + c * 8) = vv;
    }
    __syncthreads();

    /* S = Q K^T (16 x 64 per warp) */
#pragma unroll
    for (int n = 0; n < C::kBc / 16; n++) {
      wmma::fragment<wmma::accumulator, 16, 16, 16, float> sacc;
      wmma::fill_fragment(sacc, 0.f);
#pragma unroll
      for (int kk = 0; kk < D / 16; kk++) {
        wmma::fragment<wmma::matrix_b, 16, 16, 16, bf16, wmma::col_major> kb;
        wmma::load_matrix_sync(kb, Ks + n * 16 * C::kLdK + kk * 16, C::kLdK);
        wmma::mma_sync(sacc, qa[kk], kb, sacc);
      }
      wmma::store_matrix_sync(Sf + n * 16, sacc, C::kLdS, wmma::mem_row_major);
    }
    __syncwarp();

    /* online softmax: two lanes per row, 32 columns each */
    float sv[32];
    float mt = -INFINITY;
#pragma unroll
    for (int c = 0; c < 32; c++) {
      const int col = half * 32 + c;
      const int64_t key = (int64_t)k0 + col;
      const bool ok = row_ok && key < (int64_t)kend && key <= qpos;
      const float x = Sf[r * C::kLdS + col] * a.scale_log2;
      sv[c] = ok ? x : -INFINITY;
      mt = fmaxf(mt, sv[c]);
    }
    mt = fmaxf(mt, __shfl_xor_sync(0xffffffffu, mt, 1));
    const float mx = fmaxf(m, mt);
    const float mu = mx == -INFINITY ? 0.f : mx;
    const float alpha = ex2(m - mu);
    m = mx;
    float ps = 0.f;
#pragma unroll
    for (int c = 0; c < 32; c++) {
      const float p = ex2(sv[c] - mu);
      ps += p;
      Ps[r * C::kLdP + half * 32 + c] = __float2bfloat16_rn(p);
    }
    ps += __shfl_xor_sync(0xffffffffu, ps, 1);
    l = fmaf(l, alpha, ps);
#pragma unroll
    for (int e = 0; e < D / 2; e++)
      o[e] *= alpha;
    __syncwarp();

    /* P V (16 x D per warp) into the scratch, then added to o */
    wmma::fragment<wmma::matrix_a, 16, 16, 16, bf16, wmma::row_major>
        pa[C::kBc / 16];
#pragma unroll
    for (int kk = 0; kk < C::kBc / 16; kk++)
      wmma::load_matrix_sync(pa[kk], Ps + kk * 16, C::kLdP);
#pragma unroll
    for (int n = 0; n < D / 16; n++) {
      wmma::fragment<wmma::accumulator, 16, 16, 16, float> oacc;
      wmma::fill_fragment(oacc, 0.f);
#pragma unroll
      for (int kk = 0; kk < C::kBc / 16; kk++) {
        wmma::fragment<wmma::matrix_b, 16, 16, 16, bf16, wmma::row_major> vb;
        wmma::load_matrix_sync(vb, Vs + kk * 16 * C::kLdK + n * 16, C::kLdK);
        wmma::mma_sync(oacc, pa[kk], vb, oacc);
      }
      wmma::store_matrix_sync(Sf + n * 16, oacc, C::kLdS, wmma::mem_row_major);
    }
    __syncwarp();
#pragma unroll
    for (int e = 0; e < D / 2; e++)
      o[e] += Sf[r * C::kLdS + half * (D / 2) + e];
    __syncthreads(); /* before the next tile overwrites Ks, Vs (and Sf) */
  }

  if (row_ok) {
    const float inv = l > 0.f ? 1.f / l : 0.f;
    __nv_bfloat162 *op =
        (__nv_bfloat162 *)(a.out + ((size_t)(q0 + row_i) * a.q_heads + qh) * D +
                           half * (D / 2));
#pragma unroll
    for (int e = 0; e < D / 2; e += 2)
      op[e / 2] = __floats2bfloat162_rn(o[e] * inv, o[e + 1] * inv);
  }
#else
  (void)a;
  __trap();
#endif
}

/* ---- host side --------------------------------------------------------- */

static inline bool is_pow2(uint32_t x) {
  return x && !(x & (x - 1));
}

static inline uint32_t log2u(uint32_t x) {
  uint32_t s = 0;
  while ((1u << s) < x)
    s++;
  return s;
}

static inline bool aligned16(const void *p) {
  return ((uintptr_t)p & 15) == 0;
}

/* cudaErrorInvalidValue unless the descriptor is one the kernels handle.
 * Pure host checks: no CUDA call. batch 0 is valid (nothing to do). */
static inline cudaError_t validate(const kv_attention_desc *d, bool prefill) {
  if (!d) return cudaErrorInvalidValue;
  if (d->batch == 0) return cudaSuccess;
  if (d->head_dim != 64 && d->head_dim != 128) return cudaErrorInvalidValue;
  if (d->kv_heads == 0 || d->q_heads == 0 || d->q_heads % d->kv_heads)
    return cudaErrorInvalidValue;
  const uint32_t g = d->q_heads / d->kv_heads;
  if (g != 1 && g != 2 && g != 4 && g != 8 && g != 16)
    return cudaErrorInvalidValue;
  if (d->max_ctx == 0 || d->max_ctx > (1u << 30)) return cudaErrorInvalidValue;
  if (!d->q || !d->ctx_len || !d->out || !aligned16(d->q) || !aligned16(d->out))
    return cudaErrorInvalidValue;
  if (prefill && (!d->q_start || d->batch > 65535 || d->q_heads > 65535))
    return cudaErrorInvalidValue;
  switch (d->mode) {
  case KV_ATTN_CONTIG:
    if (!d->k || !d->v || !aligned16(d->k) || !aligned16(d->v))
      return cudaErrorInvalidValue;
    break;
  case KV_ATTN_BLOCK_TABLE:
  case KV_ATTN_OFFSET_TABLE:
    if (!is_pow2(d->block_tokens) || d->block_tokens > 256 ||
        d->max_blocks == 0 ||
        (uint64_t)d->max_blocks * d->block_tokens < d->max_ctx)
      return cudaErrorInvalidValue;
    if (d->mode == KV_ATTN_BLOCK_TABLE &&
        (!d->k || !d->v || !d->block_table || !aligned16(d->k) ||
         !aligned16(d->v)))
      return cudaErrorInvalidValue;
    if (d->mode == KV_ATTN_OFFSET_TABLE &&
        (!d->slab || !d->offsets || !aligned16(d->slab)))
      return cudaErrorInvalidValue;
    break;
  default: return cudaErrorInvalidValue;
  }
  return cudaSuccess;
}

static inline args make_args(const kv_attention_desc *d) {
  args a;
  memset(&a, 0, sizeof a);
  a.batch = d->batch;
  a.q_heads = d->q_heads;
  a.kv_heads = d->kv_heads;
  a.group = d->q_heads / d->kv_heads;
  const bool table = d->mode != KV_ATTN_CONTIG;
  a.block_tokens = table ? d->block_tokens : 1;
  a.bs_shift = table ? log2u(d->block_tokens) : 0;
  a.max_blocks = d->max_blocks;
  a.max_ctx = d->max_ctx;
  a.splits = 1;
  a.chunk = d->max_ctx;
  a.slices = 1;
  a.scale_log2 = d->scale * kLog2e;
  a.q = (const bf16 *)d->q;
  a.q_start = d->q_start;
  a.ctx_len = d->ctx_len;
  a.k = (const bf16 *)d->k;
  a.v = (const bf16 *)d->v;
  a.bt = d->block_table;
  a.slab = (const char *)d->slab;
  a.off = d->offsets;
  a.out = (bf16 *)d->out;
  return a;
}

/* decode v2 shape: heads per block and blocks per (request, kv head) */
static inline int v2_heads(uint32_t group) {
  return group > 8 ? 8 : (int)group;
}
static inline uint32_t v2_cta_tokens(uint32_t head_dim, uint32_t group) {
  const int hg = v2_heads(group);
  const uint32_t gpw = 32 / (head_dim / 8), u = hg >= 8 ? 2 : 4;
  return 4 * gpw * u;
}

/* Splits for `base` thread blocks per split over max_ctx tokens, cta_tokens
 * per block step, `slots` blocks resident on the GPU at once: the count of
 * least estimated time, waves x (steps per chunk + 2), ties to fewer splits;
 * chunks of at least 256 tokens (or one step), at most 256 splits. Pure. */
static inline uint32_t choose_splits(uint64_t base, uint32_t max_ctx,
                                     uint32_t cta_tokens, uint64_t slots) {
  if (slots == 0) slots = 1;
  if (base == 0) base = 1;
  const uint32_t min_chunk = cta_tokens > 256 ? cta_tokens : 256;
  uint32_t smax = (max_ctx + min_chunk - 1) / min_chunk;
  if (smax > 256) smax = 256;
  if (smax < 1) smax = 1;
  uint32_t best = 1;
  double best_cost = 1e300;
  for (uint32_t sp = 1; sp <= smax; sp++) {
    const uint64_t chunk =
        ((uint64_t)(max_ctx + sp - 1) / sp + cta_tokens - 1) / cta_tokens *
        cta_tokens;
    const uint64_t waves = (base * sp + slots - 1) / slots;
    const double cost = (double)waves * ((double)chunk / cta_tokens + 2.0);
    if (cost < best_cost * (1.0 - 1e-9)) {
      best_cost = cost;
      best = sp;
    }
  }
  return best;
}

static inline cudaError_t sm_count(int *out) {
  static std::atomic<int> cache[64];
  int dev = 0;
  cudaError_t e = cudaGetDevice(&dev);
  if (e != cudaSuccess) return e;
  if (dev >= 0 && dev < 64) {
    int v = cache[dev].load(std::memory_order_relaxed);
    if (v > 0) {
      *out = v;
      return cudaSuccess;
    }
  }
  int n = 0;
  e = cudaDeviceGetAttribute(&n, cudaDevAttrMultiProcessorCount, dev);
  if (e != cudaSuccess) return e;
  if (n < 1) n = 1;
  if (dev >= 0 && dev < 64) cache[dev].store(n, std::memory_order_relaxed);
  *out = n;
  return cudaSuccess;
}

template <int D, int MODE, int HG> static cudaError_t v2_occupancy(int *out) {
  static std::atomic<int> cache{0};
  int v = cache.load(std::memory_order_relaxed);
  if (v <= 0) {
    cudaError_t e = cudaOccupancyMaxActiveBlocksPerMultiprocessor(
        &v, decode_v2<D, MODE, HG>, dcfg<D, HG>::kThreads, 0);
    if (e != cudaSuccess) return e;
    if (v < 1) v = 1;
    cache.store(v, std::memory_order_relaxed);
  }
  *out = v;
  return cudaSuccess;
}

template <int D, int MODE>
static cudaError_t occupancy_dm(uint32_t group, int *out) {
  switch (v2_heads(group)) {
  case 1: return v2_occupancy<D, MODE, 1>(out);
  case 2: return v2_occupancy<D, MODE, 2>(out);
  case 4: return v2_occupancy<D, MODE, 4>(out);
  default: return v2_occupancy<D, MODE, 8>(out);
  }
}

template <int D>
static cudaError_t occupancy_d(int mode, uint32_t group, int *out) {
  switch (mode) {
  case KV_ATTN_CONTIG: return occupancy_dm<D, KV_ATTN_CONTIG>(group, out);
  case KV_ATTN_BLOCK_TABLE:
    return occupancy_dm<D, KV_ATTN_BLOCK_TABLE>(group, out);
  default: return occupancy_dm<D, KV_ATTN_OFFSET_TABLE>(group, out);
  }
}

/* The splits decode v2 runs with for `req` (0: chosen to fill the GPU).
 * d must have passed validate() with batch > 0. */
static inline cudaError_t resolve_splits(const kv_attention_desc *d,
                                         uint32_t req, uint32_t *out) {
  const uint32_t group = d->q_heads / d->kv_heads;
  const uint32_t cta_t = v2_cta_tokens(d->head_dim, group);
  const uint32_t steps = (d->max_ctx + cta_t - 1) / cta_t;
  if (req) {
    *out = req < steps ? req : steps; /* more would only be empty */
    return cudaSuccess;
  }
  int sms = 0, occ = 0;
  cudaError_t e = sm_count(&sms);
  if (e != cudaSuccess) return e;
  e = d->head_dim == 64 ? occupancy_d<64>(d->mode, group, &occ)
                        : occupancy_d<128>(d->mode, group, &occ);
  if (e != cudaSuccess) return e;
  const uint64_t slices = group > 8 ? group / 8 : 1;
  const uint64_t base = (uint64_t)d->batch * d->kv_heads * slices;
  *out = choose_splits(base, d->max_ctx, cta_t, (uint64_t)sms * occ);
  return cudaSuccess;
}

/* partial bytes of `splits` splits (version 1 always, v2 when splits > 1) */
static inline size_t partial_bytes(const kv_attention_desc *d,
                                   uint32_t splits) {
  return (size_t)d->batch * d->q_heads * splits * (d->head_dim + kPartPad) *
         sizeof(float);
}

template <int D, int MODE, int HG, int PF>
static cudaError_t launch_v2(args a, cudaStream_t s) {
  typedef dcfg<D, HG> C;
  a.slices = a.group / HG;
  a.chunk = (a.max_ctx + a.splits - 1) / a.splits;
  a.chunk = (a.chunk + C::kCtaT - 1) / C::kCtaT * C::kCtaT;
  const uint64_t blocks = (uint64_t)a.batch * a.kv_heads * a.splits * a.slices;
  if (blocks > 0x7fffffffull) return cudaErrorInvalidValue;
  decode_v2<D, MODE, HG, PF><<<(unsigned)blocks, C::kThreads, 0, s>>>(a);
  if (a.splits > 1) {
    const uint64_t rows = (uint64_t)a.batch * a.q_heads;
    decode_merge<D><<<(unsigned)((rows + 3) / 4), 128, 0, s>>>(a);
  }
  return cudaGetLastError();
}

template <int D, int MODE>
static cudaError_t launch_v1(args a, cudaStream_t s) {
  a.chunk = (a.max_ctx + a.splits - 1) / a.splits;
  const uint64_t blocks = (uint64_t)a.batch * a.kv_heads * a.splits;
  if (blocks > 0x7fffffffull) return cudaErrorInvalidValue;
  decode_v1<D, MODE><<<(unsigned)blocks, 32 * a.group, 0, s>>>(a);
  const uint64_t rows = (uint64_t)a.batch * a.q_heads;
  decode_merge<D><<<(unsigned)((rows + 3) / 4), 128, 0, s>>>(a);
  return cudaGetLastError();
}

template <int D, int MODE, int PF>
static cudaError_t launch_v2_pf(const args &a, cudaStream_t s) {
  switch (v2_heads(a.group)) {
  case 1: return launch_v2<D, MODE, 1, PF>(a, s);
  case 2: return launch_v2<D, MODE, 2, PF>(a, s);
  case 4: return launch_v2<D, MODE, 4, PF>(a, s);
  default: return launch_v2<D, MODE, 8, PF>(a, s);
  }
}

/* Versions are template arguments: the library (kv_attention.cu)
 * instantiates its promoted ones only; the lab (attention.cu) picks any at
 * run time. */
constexpr int kDecodeVersions = 4;  /* 1 .. kDecodeVersions */
constexpr int kPrefillVersions = 2; /* 1 .. kPrefillVersions */

/* versions 2-4 are decode_v2 with prefetch PF = version - 2 */
template <int V, int D, int MODE>
static cudaError_t launch_decode_dm(const args &a, cudaStream_t s) {
  if constexpr (V == 1)
    return launch_v1<D, MODE>(a, s);
  else
    return launch_v2_pf<D, MODE, V - 2>(a, s);
}

template <int V, int D>
static cudaError_t launch_decode_d(int mode, const args &a, cudaStream_t s) {
  switch (mode) {
  case KV_ATTN_CONTIG: return launch_decode_dm<V, D, KV_ATTN_CONTIG>(a, s);
  case KV_ATTN_BLOCK_TABLE:
    return launch_decode_dm<V, D, KV_ATTN_BLOCK_TABLE>(a, s);
  default: return launch_decode_dm<V, D, KV_ATTN_OFFSET_TABLE>(a, s);
  }
}

/* Decode with version V (1-4). splits 0: resolve_splits (v1 included; the
 * splits of versions 3 and 4 are those of v2, so versions compare at one
 * split count). workspace: partial_bytes(d, splits) bytes (v2-v4 with one
 * split: none). */
template <int V>
static inline cudaError_t launch_decode(const kv_attention_desc *d,
                                        uint32_t splits, void *workspace,
                                        cudaStream_t s) {
  static_assert(V >= 1 && V <= kDecodeVersions, "decode versions are 1..4");
  cudaError_t e = validate(d, false);
  if (e != cudaSuccess) return e;
  if (d->batch == 0) return cudaSuccess;
  uint32_t sp = 0;
  e = resolve_splits(d, splits, &sp);
  if (e != cudaSuccess) return e;
  if ((V == 1 || sp > 1) && !workspace) return cudaErrorInvalidValue;
  args a = make_args(d);
  a.splits = sp;
  a.part = (float *)workspace;
  return d->head_dim == 64 ? launch_decode_d<V, 64>(d->mode, a, s)
                           : launch_decode_d<V, 128>(d->mode, a, s);
}

template <int V, int D, int MODE>
static cudaError_t launch_prefill_dm(const args &a, uint32_t max_q,
                                     cudaStream_t s) {
  if constexpr (V == 1) {
    dim3 grid((max_q + 3) / 4, a.q_heads, a.batch);
    prefill_v1<D, MODE><<<grid, 128, 0, s>>>(a);
    return cudaGetLastError();
  } else {
    typedef pcfg<D> C;
    /* every launch: the attribute belongs to the current device */
    cudaError_t e = cudaFuncSetAttribute(
        prefill_v2<D, MODE>, cudaFuncAttributeMaxDynamicSharedMemorySize,
        (int)C::kSmem);
    if (e != cudaSuccess) return e;
    dim3 grid((max_q + C::kBr - 1) / C::kBr, a.q_heads, a.batch);
    prefill_v2<D, MODE><<<grid, C::kThreads, C::kSmem, s>>>(a);
    return cudaGetLastError();
  }
}

template <int V, int D>
static cudaError_t launch_prefill_d(int mode, const args &a, uint32_t max_q,
                                    cudaStream_t s) {
  switch (mode) {
  case KV_ATTN_CONTIG:
    return launch_prefill_dm<V, D, KV_ATTN_CONTIG>(a, max_q, s);
  case KV_ATTN_BLOCK_TABLE:
    return launch_prefill_dm<V, D, KV_ATTN_BLOCK_TABLE>(a, max_q, s);
  default: return launch_prefill_dm<V, D, KV_ATTN_OFFSET_TABLE>(a, max_q, s);
  }
}

/* Prefill with version V (1 or 2); max_q >= every request's query count
 * (0: max_ctx). */
template <int V>
static inline cudaError_t launch_prefill(const kv_attention_desc *d,
                                         uint32_t max_q, cudaStream_t s) {
  static_assert(V >= 1 && V <= kPrefillVersions, "prefill versions are 1..2");
  cudaError_t e = validate(d, true);
  if (e != cudaSuccess) return e;
  if (d->batch == 0) return cudaSuccess;
  if (max_q == 0 || max_q > d->max_ctx) max_q = d->max_ctx;
  args a = make_args(d);
  return d->head_dim == 64 ? launch_prefill_d<V, 64>(d->mode, a, max_q, s)
                           : launch_prefill_d<V, 128>(d->mode, a, max_q, s);
}

} // namespace kvat

#endif
