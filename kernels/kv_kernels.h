/* kv_kernels.h - C-callable launchers of the KV-cache kernels promoted from
 * the kernel lab (kernels/transfer.cu, attn_read.cu, compact.cu): block
 * transfer between device and mapped pinned host memory, decode-attention
 * read in three addressing modes, and slab compaction.
 * Main entry points: kv_transfer_launch(), kv_transfer_launch_threads(),
 * kv_transfer_pair_launch(), kv_xfer_engine_run() (copy engines and SMs
 * together), kv_attn_launch(), kv_compact_launch(). All are asynchronous on
 * the given stream and return the launch status; they never print and never
 * exit.
 */
#ifndef KV_KERNELS_H
#define KV_KERNELS_H

#include <stdint.h>

#include <cuda_runtime_api.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- KV block transfer ----------------------------------------------
 * A "row" is the K (or the V) of one token in one layer: row_bytes bytes
 * (kv_heads * head_dim * dtype size; 8 * 128 * 2 = 2 KiB for Llama-3-8B).
 * A block holds block_tokens tokens; seg_bytes = block_tokens * row_bytes.
 *
 * Device cache layouts (dev_blocks blocks in the cache):
 *   KV_LAYOUT_LAYER_FIRST: [layer][K/V][block][token][row]
 *     block b, layer l, k/v c lives at ((l*2 + c)*dev_blocks + b)*seg_bytes
 *     (a block is 2*layers separate segments)
 *   KV_LAYOUT_PAGE_FIRST:  [block][layer][K/V][token][row]
 *     block b is one contiguous run of block_bytes at b*block_bytes
 * Host side, always page-first: slot s holds one block contiguously at
 *   s*block_bytes, block_bytes = 2*layers*seg_bytes, segments in
 *   [layer][K/V] order. The host buffer must be pinned and mapped
 *   (cudaHostAlloc(..., cudaHostAllocMapped) or cudaHostRegister mapped); on
 *   64-bit UVA systems its host pointer is valid on the device.
 *
 * Entry i of the list moves device block dev_ids[i] to/from host slot
 * host_slots[i], or slot i when host_slots is NULL (a contiguous staging
 * area). Index lists are device (or mapped) arrays of int32 or int64
 * (index_bytes 4 or 8). n may be 0. Any row_bytes works; 16-byte aligned
 * addresses take the fast path. The kernel runs on `sms` thread blocks of
 * 1024 threads (one per SM in practice): it copies over PCIe from the SMs,
 * so the copy engines stay free. */
enum { KV_LAYOUT_LAYER_FIRST = 0, KV_LAYOUT_PAGE_FIRST = 1 };
enum { KV_XFER_D2H = 0, KV_XFER_H2D = 1 };

typedef struct kv_xfer_desc {
  void *dev_base;        /* device KV cache (one tier) */
  void *host_base;       /* mapped pinned host area, page-first slots */
  uint32_t layers;       /* layers in the cache */
  uint32_t block_tokens; /* tokens per block */
  uint64_t row_bytes;    /* bytes of K (or V) per token per layer */
  uint64_t dev_blocks;   /* blocks in the device cache (layer-first stride) */
  int layout;            /* KV_LAYOUT_* of the device cache */
} kv_xfer_desc;

/* Bytes of one block (all layers, K and V). */
uint64_t kv_xfer_block_bytes(const kv_xfer_desc *d);

/* Move n blocks in direction dir (KV_XFER_D2H gathers device blocks into
 * host slots, KV_XFER_H2D scatters host slots into device blocks). */
cudaError_t kv_transfer_launch(const kv_xfer_desc *d, int dir, uint64_t n,
                               const void *dev_ids, const void *host_slots,
                               int index_bytes, int sms, cudaStream_t stream);

/* kv_transfer_launch on `sms` thread blocks of `threads` threads: 128, 256,
 * 512 or 1024 (0 = 1024, kv_transfer_launch itself); the same kernel with
 * fewer warps per block moves fewer bytes at a time per SM (kvsim-calibrate
 * measures its rate by SMs and threads per block). Another block size:
 * cudaErrorInvalidValue. */
cudaError_t kv_transfer_launch_threads(const kv_xfer_desc *d, int dir,
                                       uint64_t n, const void *dev_ids,
                                       const void *host_slots, int index_bytes,
                                       int sms, int threads,
                                       cudaStream_t stream);

/* Two transfers in one launch, e.g. a D2H and an H2D at once (each as in
 * kv_transfer_launch; the second may be empty: d1 NULL or n1 0). Warps take
 * 4 KiB pieces of either from one ticket counter, dealt in proportion to
 * the two sizes, so both finish together. Runs on `sms` blocks of 512
 * threads. counters: 16 bytes of device memory, zero before the first
 * launch; each launch leaves them zero again; launches that share them
 * must not overlap in time. */
cudaError_t kv_transfer_pair_launch(
    const kv_xfer_desc *d0, int dir0, uint64_t n0, const void *dev_ids0,
    const void *host_slots0, const kv_xfer_desc *d1, int dir1, uint64_t n1,
    const void *dev_ids1, const void *host_slots1, int index_bytes, int sms,
    void *counters, cudaStream_t stream);

/* ---- the transfer engine ---------------------------------------------
 * Up to two transfers at once (e.g. an eviction D2H beside a reload H2D),
 * each split between the copy engines and the SM kernel: the first
 * kv_xfer_engine_ce_blocks() blocks of a list cross PCIe by DMA
 * (cudaMemcpyBatchAsync, one entry per host slot; a layer-first cache
 * through a device staging ring, gathered/scattered by kv_transfer_launch
 * on stage_sms SMs), the rest by one kv_transfer_pair_launch on pair_sms
 * SMs beside them. Lists are host arrays of int64 (the engine uploads
 * them); host memory as for kv_transfer_launch (pinned; mapped when the
 * SM share is not empty). A run is ordered after earlier work on `stream`
 * and work queued on `stream` later waits for it; runs of one engine
 * execute one after another. The host may queue one run ahead: a run
 * waits on the host until the previous run's lists are uploaded.
 * After an error the engine must only be destroyed. One thread at a time
 * per engine. */
typedef struct kv_xfer_engine kv_xfer_engine;

typedef struct kv_xfer_engine_opts {
  uint64_t chunk_bytes;     /* staging chunk, whole blocks (16 MiB) */
  int ring;                 /* staging chunks per transfer (3) */
  int stage_sms;            /* SMs of each gather/scatter launch (4) */
  int pair_sms;             /* SMs of the SM share (8) */
  double ce_fraction_small; /* copy-engine share under large_block (0.85) */
  uint64_t large_block; /* blocks of this size or more: all by DMA (1 MiB) */
  int plain_copies;     /* 1: one cudaMemcpyAsync per run, no batches (0) */
  int stage_version;    /* gather/scatter kernel: 3, 6, 7, 8 or 9 (lab names;
                           3) */
  int pair_version;     /* SM share kernel: 6, 7, 8 or 9 (6) */
} kv_xfer_engine_opts;

typedef struct kv_xfer_job {
  const kv_xfer_desc *desc;
  int dir;              /* KV_XFER_D2H or KV_XFER_H2D */
  uint64_t n;           /* blocks */
  const int64_t *ids;   /* [n] device blocks (host array) */
  const int64_t *slots; /* [n] host slots (host array) */
} kv_xfer_job;

void kv_xfer_engine_default_opts(kv_xfer_engine_opts *o);
/* opts NULL: defaults. Allocates 2 * ring * chunk_bytes of device memory.
 * The library holds the default (promoted) kernel versions only: other
 * valid versions give cudaErrorNotSupported here (the lab's engines,
 * kernels/xfer_engine.cu, run them all). */
cudaError_t kv_xfer_engine_create(kv_xfer_engine **e,
                                  const kv_xfer_engine_opts *opts);
/* Waits for the engine's queued work, then frees everything. */
void kv_xfer_engine_destroy(kv_xfer_engine *e);
/* Queue count (0..2) transfers at once. */
cudaError_t kv_xfer_engine_run(kv_xfer_engine *e, int count,
                               const kv_xfer_job *x, cudaStream_t stream);
/* How many of a transfer's n blocks go by DMA: all for blocks of
 * large_block bytes or more, ce_fraction_small of them below, none for a
 * layer-first block larger than a staging chunk. */
uint64_t kv_xfer_engine_ce_blocks(const kv_xfer_engine *e,
                                  const kv_xfer_desc *d, uint64_t n);

/* ---- decode-attention read --------------------------------------------
 * One query token per request: out[b][h] = softmax(q[b][h] . K[b]^T * scale)
 * . V[b] over the request's ctx_len[b] tokens, grouped-query attention
 * (q_heads a multiple of kv_heads, group of 1, 2, 4 or 8), head_dim 128,
 * K/V and q in fp16, out in fp32. Rows are [token][kv_head][head_dim].
 * Addressing modes:
 *   KV_ATTN_CONTIG:       k, v are [batch][max_ctx][kv_heads][128] (one
 *                         contiguous virtual range per request, as vmm)
 *   KV_ATTN_BLOCK_TABLE:  k, v are pools [block][block_tokens][kv_heads][128];
 *                         block_table[b*max_blocks + j] (int32) is the pool
 *                         block of the request's j-th logical block (paged)
 *   KV_ATTN_OFFSET_TABLE: offsets[b*max_blocks + j] (int64) is the byte
 *                         offset in slab of the block's K
 *                         [block_tokens][kv_heads][128]; its V follows
 *                         directly (indirect)
 * The work is split over `splits` chunks of the context and merged by a
 * second kernel; `workspace` holds kv_attn_workspace_bytes() bytes. */
enum { KV_ATTN_CONTIG = 0, KV_ATTN_BLOCK_TABLE = 1, KV_ATTN_OFFSET_TABLE = 2 };

typedef struct kv_attn_desc {
  int mode;                   /* KV_ATTN_* */
  uint32_t batch;             /* requests */
  uint32_t q_heads;           /* query heads */
  uint32_t kv_heads;          /* KV heads */
  uint32_t head_dim;          /* must be 128 */
  uint32_t block_tokens;      /* tokens per block (table modes) */
  uint32_t max_blocks;        /* table row width (table modes) */
  uint32_t max_ctx;           /* upper bound of ctx_len; row stride in contig */
  uint32_t splits;            /* context chunks per (request, kv head), >= 1 */
  float scale;                /* softmax scale, usually 1/sqrt(head_dim) */
  const void *q;              /* fp16 [batch][q_heads][128] */
  const int32_t *ctx_len;     /* [batch] tokens per request */
  const void *k, *v;          /* contig or block-table data */
  const int32_t *block_table; /* [batch][max_blocks] */
  const void *slab;           /* offset-table data */
  const int64_t *offsets;     /* [batch][max_blocks] */
  void *workspace;            /* kv_attn_workspace_bytes() */
  float *out;                 /* fp32 [batch][q_heads][128] */
} kv_attn_desc;

size_t kv_attn_workspace_bytes(const kv_attn_desc *d);
cudaError_t kv_attn_launch(const kv_attn_desc *d, cudaStream_t stream);

/* ---- slab compaction -----------------------------------------------------
 * For each move i: copy block_bytes from slab + offsets[move_idx[i]] to
 * slab + move_dst[i], then set offsets[move_idx[i]] = move_dst[i]. Source
 * and destination ranges of all moves must be pairwise disjoint and
 * move_idx entries distinct. Runs on `sms` thread blocks (0 = all SMs). */
cudaError_t kv_compact_launch(void *slab, int64_t *offsets, uint64_t n_moves,
                              const int64_t *move_idx, const int64_t *move_dst,
                              uint64_t block_bytes, int sms,
                              cudaStream_t stream);

#ifdef __cplusplus
}
#endif

#endif
