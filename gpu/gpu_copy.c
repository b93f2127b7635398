/* gpu_copy.c - COPY and TABLE_WRITE ops on the GPU.
 *
 * KV_VIA_ENGINE: one cudaMemcpyAsync per run (the copy engines).
 * KV_VIA_BATCH: one cudaMemcpyBatchAsync over all runs (the copy engines).
 * KV_VIA_KERNEL: one launch of kernels/' transfer kernel over all runs. The
 * kernel moves equal-sized blocks between a device base and a (mapped host,
 * or device for D2D) base by index lists; runs of any size are cut into
 * units of u bytes, u = the gcd of every run's length and offsets from the
 * two bases, described as page-first blocks of one layer and one token
 * (row_bytes = u/2). Index lists live in mapped pinned memory, carved per
 * step (reset by gpu_copy_step_begin()).
 * TABLE_WRITE: the entries' bytes copied host -> device (the backend does
 * not know the entries, only how many: it writes that many bytes).
 * Main entry point: gpu_copy_exec().
 */
#include "gpu_internal.h"

#include "kv_kernels.h"
#include "util.h"

#include <inttypes.h>
#include <string.h>

char *gpu_dev_addr(const gpu_state *s, uint64_t off, uint64_t bytes) {
  if (s->nvas > 0) return (char *)(uintptr_t)gpu_vmm_translate(s, off, bytes);
  if (!s->pool || off + bytes > s->pool_bytes || off + bytes < off) return NULL;
  return s->pool + off;
}

static char *host_addr(const gpu_state *s, uint64_t off, uint64_t bytes) {
  if (!s->host || off + bytes > s->host_bytes || off + bytes < off) return NULL;
  return s->host + off;
}

/* Real source and destination of one run. */
static kv_status run_ptrs(const gpu_state *s, const kv_op *op, const kv_run *r,
                          char **src, char **dst, kv_error *err) {
  switch ((kv_copy_dir)op->dir) {
  case KV_COPY_H2D:
    *src = host_addr(s, r->src, r->bytes);
    *dst = gpu_dev_addr(s, r->dst, r->bytes);
    break;
  case KV_COPY_D2H:
    *src = gpu_dev_addr(s, r->src, r->bytes);
    *dst = host_addr(s, r->dst, r->bytes);
    break;
  case KV_COPY_D2D:
    *src = gpu_dev_addr(s, r->src, r->bytes);
    *dst = gpu_dev_addr(s, r->dst, r->bytes);
    break;
  default:
    return kv_error_set(err, KV_EINVAL, "gpu: COPY with direction %d", op->dir);
  }
  if (!*src || !*dst)
    return kv_error_set(
        err, KV_EINVAL,
        "gpu: %s run %" PRIu64 " -> %" PRIu64 " (%" PRIu64
        " bytes) outside the %s (pool %" PRIu64 " B, %zu VA ranges, host "
        "tier %" PRIu64 " B; set kv_gpu_options.pool_bytes / host_bytes)",
        kv_copy_dir_name((kv_copy_dir)op->dir), r->src, r->dst, r->bytes,
        !*src ? "source tier" : "destination tier", s->pool_bytes, s->nvas,
        s->host_bytes);
  return KV_OK;
}

static uint64_t gcd64(uint64_t a, uint64_t b) {
  while (b) {
    uint64_t t = a % b;
    a = b;
    b = t;
  }
  return a;
}

static kv_status copy_engine(gpu_state *s, const kv_op_list *l, const kv_op *op,
                             cudaStream_t stream, kv_error *err) {
  for (uint32_t i = 0; i < op->runs_n; i++) {
    const kv_run *r = &l->runs[op->runs_first + i];
    char *src = NULL, *dst = NULL;
    kv_status rc = run_ptrs(s, op, r, &src, &dst, err);
    if (rc != KV_OK) return rc;
    GPU_RT(cudaMemcpyAsync(dst, src, r->bytes, cudaMemcpyDefault, stream));
  }
  return KV_OK;
}

/* KV_VIA_BATCH: every run of the op in one cudaMemcpyBatchAsync (runs that
 * continue each other on both sides merged), the path the transfer engine's
 * copy-engine share takes. Falls back to one cudaMemcpyAsync per run where
 * the driver has no batched copies. Pointer arrays are host memory read at
 * the call. */
static kv_status copy_batch(gpu_state *s, const kv_op_list *l, const kv_op *op,
                            cudaStream_t stream, kv_error *err) {
  if (op->runs_n == 0) return KV_OK;
  if (!s->batch_ok) return copy_engine(s, l, op, stream, err);
  void **dst = kv_xmalloc(op->runs_n * sizeof *dst);
  const void **src = kv_xmalloc(op->runs_n * sizeof *src);
  size_t *sz = kv_xmalloc(op->runs_n * sizeof *sz);
  size_t n = 0;
  kv_status rc = KV_OK;
  for (uint32_t i = 0; i < op->runs_n && rc == KV_OK; i++) {
    char *a = NULL, *b = NULL;
    rc = run_ptrs(s, op, &l->runs[op->runs_first + i], &a, &b, err);
    if (rc != KV_OK) break;
    uint64_t bytes = l->runs[op->runs_first + i].bytes;
    if (bytes == 0) continue;
    if (n > 0 && (const char *)src[n - 1] + sz[n - 1] == a &&
        (char *)dst[n - 1] + sz[n - 1] == b) {
      sz[n - 1] += bytes;
      continue;
    }
    src[n] = a;
    dst[n] = b;
    sz[n++] = bytes;
  }
  if (rc == KV_OK && n > 0) {
    struct cudaMemcpyAttributes attr;
    memset(&attr, 0, sizeof attr);
    attr.srcAccessOrder = cudaMemcpySrcAccessOrderStream;
    size_t first = 0;
    cudaError_t e =
        cudaMemcpyBatchAsync(dst, src, sz, n, &attr, &first, 1, stream);
    if (e == cudaErrorNotSupported || e == cudaErrorCallRequiresNewerDriver) {
      cudaGetLastError(); /* clear it: plain copies from now on */
      s->batch_ok = 0;
      for (size_t i = 0; i < n && e != cudaSuccess; i++)
        if (cudaMemcpyAsync(dst[i], src[i], sz[i], cudaMemcpyDefault, stream) !=
            cudaSuccess)
          break;
      e = cudaGetLastError();
    }
    if (e != cudaSuccess)
      rc = kv_error_set(err, KV_EBACKEND, "%s:%d: cudaMemcpyBatchAsync: %s",
                        __FILE__, __LINE__, cudaGetErrorString(e));
  }
  free(dst);
  free(src);
  free(sz);
  return rc;
}

/* Index space for n entries (two lists); may synchronize to grow. */
static kv_status idx_take(gpu_state *s, uint64_t n, int64_t **out,
                          kv_error *err) {
  if (s->idx_used + 2 * n > s->idx_cap) {
    /* everything enqueued so far is done with its lists once synced */
    GPU_RT(cudaStreamSynchronize(s->stream));
    GPU_RT(cudaStreamSynchronize(s->bg_stream));
    if (s->idx) GPU_RT(cudaFreeHost(s->idx));
    s->idx = NULL;
    size_t cap = s->idx_cap ? s->idx_cap : 1 << 16;
    while (cap < s->idx_used + 2 * n)
      cap *= 2;
    GPU_RT(cudaHostAlloc((void **)&s->idx, cap * sizeof *s->idx,
                         cudaHostAllocMapped));
    s->idx_cap = cap;
    s->idx_used = 0;
  }
  *out = s->idx + s->idx_used;
  s->idx_used += 2 * n;
  return KV_OK;
}

static kv_status copy_kernel(gpu_state *s, const kv_op_list *l, const kv_op *op,
                             cudaStream_t stream, kv_error *err) {
  if (op->runs_n == 0) return KV_OK;
  /* the kernel's device side is the source except for H2D */
  int h2d = op->dir == KV_COPY_H2D;
  uintptr_t dmin = UINTPTR_MAX, hmin = UINTPTR_MAX;
  for (uint32_t i = 0; i < op->runs_n; i++) {
    char *src, *dst;
    kv_status rc =
        run_ptrs(s, op, &l->runs[op->runs_first + i], &src, &dst, err);
    if (rc != KV_OK) return rc;
    uintptr_t d = (uintptr_t)(h2d ? dst : src),
              h = (uintptr_t)(h2d ? src : dst);
    if (d < dmin) dmin = d;
    if (h < hmin) hmin = h;
  }
  uint64_t u = 0, total = 0;
  for (uint32_t i = 0; i < op->runs_n; i++) {
    const kv_run *r = &l->runs[op->runs_first + i];
    char *src, *dst;
    run_ptrs(s, op, r, &src, &dst, err);
    uintptr_t d = (uintptr_t)(h2d ? dst : src),
              h = (uintptr_t)(h2d ? src : dst);
    u = gcd64(u, r->bytes);
    u = gcd64(u, d - dmin);
    u = gcd64(u, h - hmin);
    total += r->bytes;
  }
  if (u == 0) return KV_OK; /* nothing to move */
  if (u % 2)
    return kv_error_set(err, KV_EINVAL,
                        "gpu: kernel COPY runs share an odd unit of %" PRIu64
                        " bytes: the transfer kernel needs an even row size",
                        u);
  uint64_t n = total / u;
  if (n > (1ull << 26))
    return kv_error_set(err, KV_EINVAL,
                        "gpu: kernel COPY of %" PRIu64
                        " bytes cut into %" PRIu64 "-byte units needs %" PRIu64
                        " index entries (more than 2^26)",
                        total, u, n);
  int64_t *idx = NULL;
  kv_status rc = idx_take(s, n, &idx, err);
  if (rc != KV_OK) return rc;
  int64_t *dev_ids = idx, *slots = idx + n;
  uint64_t k = 0;
  for (uint32_t i = 0; i < op->runs_n; i++) {
    const kv_run *r = &l->runs[op->runs_first + i];
    char *src, *dst;
    run_ptrs(s, op, r, &src, &dst, err);
    uintptr_t d = (uintptr_t)(h2d ? dst : src),
              h = (uintptr_t)(h2d ? src : dst);
    for (uint64_t j = 0; j < r->bytes / u; j++, k++) {
      dev_ids[k] = (int64_t)((d - dmin) / u + j);
      slots[k] = (int64_t)((h - hmin) / u + j);
    }
  }
  kv_xfer_desc desc = {
      .dev_base = (void *)dmin,
      .host_base = (void *)hmin,
      .layers = 1,
      .block_tokens = 1,
      .row_bytes = u / 2,
      .dev_blocks = n,
      .layout = KV_LAYOUT_PAGE_FIRST,
  };
  int sms = s->opt.copy_sms > 0 ? s->opt.copy_sms : 8;
  GPU_RT(kv_transfer_launch_threads(&desc, h2d ? KV_XFER_H2D : KV_XFER_D2H, n,
                                    dev_ids, slots, 8, sms, s->opt.copy_threads,
                                    stream));
  return KV_OK;
}

void gpu_copy_step_begin(gpu_state *s) {
  s->idx_used = 0;
}

kv_status gpu_copy_exec(gpu_state *s, const kv_op_list *l, const kv_op *op,
                        cudaStream_t stream, kv_error *err) {
  if (op->kind == KV_OP_TABLE_WRITE) {
    uint64_t b = KV_MIN(op->bytes, s->table_bytes);
    if (b)
      GPU_RT(cudaMemcpyAsync(s->table_dev, s->table_host, b,
                             cudaMemcpyHostToDevice, stream));
    return KV_OK;
  }
  if (op->kind != KV_OP_COPY)
    return kv_error_set(err, KV_EINTERNAL, "gpu: op kind %d is not a copy",
                        op->kind);
  if (op->runs_n == 0 && op->bytes > 0)
    return kv_error_set(err, KV_EINVAL,
                        "gpu: COPY of %" PRIu64
                        " bytes carries no runs: the GPU backend needs "
                        "addresses (record_runs)",
                        op->bytes);
  if (op->via == KV_VIA_KERNEL) return copy_kernel(s, l, op, stream, err);
  if (op->via == KV_VIA_BATCH) return copy_batch(s, l, op, stream, err);
  return copy_engine(s, l, op, stream, err);
}
