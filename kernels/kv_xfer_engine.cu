/* kv_xfer_engine.cu - the KV transfer engine: up to two block transfers
 * at once (typically an eviction D2H beside a reload H2D), each split
 * between the copy engines and the SM copy kernel.
 *
 * Copy-engine share: every byte crosses PCIe by DMA (cudaMemcpyBatchAsync,
 * one entry per host slot, merged where slots and device places continue).
 * A page-first device cache is copied directly; a layer-first one goes
 * through a device staging ring: chunks of whole blocks are gathered from
 * the cache by kv_transfer_launch (D2H) before their copy, or scattered
 * into it after their copy (H2D), on a kernel stream and a copy stream
 * that hand the ring's chunks back and forth with events.
 * SM share: the last blocks of each list, by one kv_transfer_pair_launch
 * beside the copies.
 * Why both (kernels/README.md has the figures): SM kernels alone carry
 * 81-84 GB/s both ways where the copy engines carry 88-101 (our reading:
 * SM loads of host memory reach the link as small read requests that
 * crowd the direction the D2H writes use); the copy engines in turn pay a
 * fixed cost per entry, so with 128 KiB host slots they alone reach only
 * 69-81 GB/s both ways. Together they carry more than either.
 * Kernels: the library's engine runs the promoted gather/scatter and SM
 * share versions only (KV_XFER_STAGE_VERSION, KV_XFER_PAIR_VERSION); the
 * lab's engines (kvx::lab_engine_create in transfer_lab.cuh) run any.
 * Main entry points: kv_xfer_engine_create(), kv_xfer_engine_run(),
 * kv_xfer_engine_destroy().
 */
#include "kv_kernels.h"
#include "transfer.cuh"

#include <string.h>

#include <algorithm>
#include <vector>

/* promoted versions (see kernels/README.md) */
#define KV_XFER_STAGE_VERSION 3
#define KV_XFER_PAIR_VERSION 6

#define KV_TRY(x)                                                              \
  do {                                                                         \
    cudaError_t e_ = (x);                                                      \
    if (e_ != cudaSuccess) return e_;                                          \
  } while (0)

namespace {

/* one transfer's lane: its streams, staging ring and batch arrays */
struct lane {
  cudaStream_t ks = nullptr, cs = nullptr; /* kernels, copies */
  char *ring = nullptr;
  std::vector<cudaEvent_t> filled, drained;
  cudaEvent_t kdone = nullptr, cdone = nullptr;
  std::vector<void *> dst;
  std::vector<const void *> src;
  std::vector<size_t> size;
};

} // namespace

struct kv_xfer_engine {
  kv_xfer_engine_opts o;
  lane ln[2];
  cudaStream_t ps = nullptr;      /* index upload, then the SM share */
  cudaEvent_t fork = nullptr;     /* caller's order at run start */
  cudaEvent_t ready = nullptr;    /* index lists on the device */
  cudaEvent_t uploaded = nullptr; /* the pinned lists are free again */
  cudaEvent_t idle = nullptr;     /* everything of the last run done */
  /* ticket counters, 16 bytes each: the SM share's, then each lane's
   * gather/scatter (versions 6..9) */
  unsigned long long *counters = nullptr;
  int64_t *idx_host = nullptr, *idx_dev = nullptr; /* 4 lists */
  uint64_t idx_cap = 0;                            /* entries per list */
  bool batch_ok = true;  /* cudaMemcpyBatchAsync available */
  kvx::engine_kernels k; /* of o.stage_version and o.pair_version */
};

extern "C" void kv_xfer_engine_default_opts(kv_xfer_engine_opts *o) {
  o->chunk_bytes = 16ull << 20;
  o->ring = 3;
  o->stage_sms = 4;
  o->pair_sms = 8;
  o->ce_fraction_small = 0.85;
  o->large_block = 1ull << 20;
  o->plain_copies = 0;
  o->stage_version = KV_XFER_STAGE_VERSION;
  o->pair_version = KV_XFER_PAIR_VERSION;
}

static cudaError_t lane_init(lane &l, const kv_xfer_engine_opts &o) {
  KV_TRY(cudaStreamCreateWithFlags(&l.ks, cudaStreamNonBlocking));
  KV_TRY(cudaStreamCreateWithFlags(&l.cs, cudaStreamNonBlocking));
  KV_TRY(cudaMalloc(&l.ring, o.chunk_bytes * (uint64_t)o.ring));
  l.filled.assign(o.ring, nullptr);
  l.drained.assign(o.ring, nullptr);
  for (int i = 0; i < o.ring; i++) {
    KV_TRY(cudaEventCreateWithFlags(&l.filled[i], cudaEventDisableTiming));
    KV_TRY(cudaEventCreateWithFlags(&l.drained[i], cudaEventDisableTiming));
  }
  KV_TRY(cudaEventCreateWithFlags(&l.kdone, cudaEventDisableTiming));
  KV_TRY(cudaEventCreateWithFlags(&l.cdone, cudaEventDisableTiming));
  return cudaSuccess;
}

static void lane_free(lane &l) {
  for (cudaEvent_t e : l.filled)
    if (e) cudaEventDestroy(e);
  for (cudaEvent_t e : l.drained)
    if (e) cudaEventDestroy(e);
  if (l.kdone) cudaEventDestroy(l.kdone);
  if (l.cdone) cudaEventDestroy(l.cdone);
  if (l.ring) cudaFree(l.ring);
  if (l.ks) cudaStreamDestroy(l.ks);
  if (l.cs) cudaStreamDestroy(l.cs);
}

extern "C" void kv_xfer_engine_destroy(kv_xfer_engine *e) {
  if (!e) return;
  /* work still queued on the engine's streams finishes first */
  if (e->idle) cudaEventSynchronize(e->idle);
  for (lane &l : e->ln) {
    if (l.ks) cudaStreamSynchronize(l.ks);
    if (l.cs) cudaStreamSynchronize(l.cs);
    lane_free(l);
  }
  if (e->ps) {
    cudaStreamSynchronize(e->ps);
    cudaStreamDestroy(e->ps);
  }
  for (cudaEvent_t ev : {e->fork, e->ready, e->uploaded, e->idle})
    if (ev) cudaEventDestroy(ev);
  if (e->counters) cudaFree(e->counters);
  if (e->idx_dev) cudaFree(e->idx_dev);
  if (e->idx_host) cudaFreeHost(e->idx_host);
  delete e;
}

/* The library's kernels: the promoted versions. */
static bool promoted_kernels(int stage_version, int pair_version,
                             kvx::engine_kernels *k) {
  if (stage_version != KV_XFER_STAGE_VERSION ||
      pair_version != KV_XFER_PAIR_VERSION)
    return false;
  k->stage = kvx::stage_launch<KV_XFER_STAGE_VERSION>;
  k->pair = kvx::pair_launch<KV_XFER_PAIR_VERSION>;
  return true;
}

extern "C" cudaError_t kv_xfer_engine_create(kv_xfer_engine **out,
                                             const kv_xfer_engine_opts *opts) {
  return kvx::engine_create(out, opts, promoted_kernels);
}

cudaError_t kvx::engine_create(kv_xfer_engine **out,
                               const kv_xfer_engine_opts *opts,
                               kvx::engine_kernels_fn pick) {
  if (!out) return cudaErrorInvalidValue;
  *out = nullptr;
  kv_xfer_engine_opts o;
  kv_xfer_engine_default_opts(&o);
  if (opts) o = *opts;
  if (o.chunk_bytes == 0 || o.ring < 1 || o.stage_sms < 1 || o.pair_sms < 1 ||
      !(o.ce_fraction_small >= 0.0 && o.ce_fraction_small <= 1.0))
    return cudaErrorInvalidValue;
  if ((o.stage_version != 3 && (o.stage_version < 6 || o.stage_version > 9)) ||
      o.pair_version < 6 || o.pair_version > 9)
    return cudaErrorInvalidValue;
  if ((o.stage_version >= 8 || o.pair_version >= 8) && !kvx::have_bulk_copy())
    return cudaErrorNotSupported;
  kvx::engine_kernels k;
  if (!pick(o.stage_version, o.pair_version, &k)) return cudaErrorNotSupported;
  kv_xfer_engine *e = new kv_xfer_engine();
  e->o = o;
  e->k = k;
  e->batch_ok = !o.plain_copies;
  cudaError_t rc = cudaSuccess;
  for (lane &l : e->ln)
    if (rc == cudaSuccess) rc = lane_init(l, o);
  if (rc == cudaSuccess)
    rc = cudaStreamCreateWithFlags(&e->ps, cudaStreamNonBlocking);
  for (cudaEvent_t *ev : {&e->fork, &e->ready, &e->uploaded, &e->idle})
    if (rc == cudaSuccess)
      rc = cudaEventCreateWithFlags(ev, cudaEventDisableTiming);
  if (rc == cudaSuccess) rc = cudaMalloc(&e->counters, 48);
  if (rc == cudaSuccess) rc = cudaMemset(e->counters, 0, 48);
  /* both start recorded, so the first run has something to wait on */
  if (rc == cudaSuccess) rc = cudaEventRecord(e->idle, e->ps);
  if (rc == cudaSuccess) rc = cudaEventRecord(e->uploaded, e->ps);
  if (rc == cudaSuccess) rc = cudaStreamSynchronize(e->ps);
  if (rc != cudaSuccess) {
    kv_xfer_engine_destroy(e);
    return rc;
  }
  *out = e;
  return cudaSuccess;
}

/* Room for n entries in each of the four index lists (grows; growing
 * waits for the last run, whose kernels read the old lists). */
static cudaError_t idx_reserve(kv_xfer_engine *e, uint64_t n) {
  if (n <= e->idx_cap) return cudaSuccess;
  uint64_t cap = std::max<uint64_t>(n, 2 * e->idx_cap);
  KV_TRY(cudaEventSynchronize(e->idle));
  if (e->idx_dev) cudaFree(e->idx_dev);
  if (e->idx_host) cudaFreeHost(e->idx_host);
  e->idx_dev = nullptr;
  e->idx_host = nullptr;
  e->idx_cap = 0;
  KV_TRY(cudaMalloc(&e->idx_dev, 4 * cap * sizeof(int64_t)));
  KV_TRY(cudaHostAlloc((void **)&e->idx_host, 4 * cap * sizeof(int64_t),
                       cudaHostAllocDefault));
  e->idx_cap = cap;
  return cudaSuccess;
}

static cudaError_t flush_batch(kv_xfer_engine *e, lane &l) {
  if (l.dst.empty()) return cudaSuccess;
  cudaError_t rc = cudaErrorNotSupported;
  if (e->batch_ok) {
    cudaMemcpyAttributes attr;
    memset(&attr, 0, sizeof attr);
    attr.srcAccessOrder = cudaMemcpySrcAccessOrderStream;
    size_t first = 0;
    rc = cudaMemcpyBatchAsync(l.dst.data(), l.src.data(), l.size.data(),
                              l.dst.size(), &attr, &first, 1, l.cs);
    if (rc == cudaErrorNotSupported || rc == cudaErrorCallRequiresNewerDriver) {
      cudaGetLastError(); /* clear it: plain copies below */
      e->batch_ok = false;
    }
  }
  if (!e->batch_ok)
    for (size_t i = 0; i < l.dst.size(); i++) {
      rc = cudaMemcpyAsync(l.dst[i], l.src[i], l.size[i], cudaMemcpyDefault,
                           l.cs);
      if (rc != cudaSuccess) break;
    }
  l.dst.clear();
  l.src.clear();
  l.size.clear();
  return rc;
}

static void add_run(lane &l, void *d, const void *s, size_t bytes) {
  if (!l.dst.empty() && (char *)l.dst.back() + l.size.back() == (char *)d &&
      (const char *)l.src.back() + l.size.back() == (const char *)s) {
    l.size.back() += bytes;
    return;
  }
  l.dst.push_back(d);
  l.src.push_back(s);
  l.size.push_back(bytes);
}

/* Blocks per chunk of a transfer: a staging chunk's worth (at least one
 * block; a page-first transfer is batched in chunks of the same size). */
static uint64_t chunk_blocks(const kv_xfer_engine *e, const kv_xfer_desc *d) {
  uint64_t per = e->o.chunk_bytes / kv_xfer_block_bytes(d);
  return per ? per : 1;
}

/* Gather (D2H) or scatter (H2D) m blocks between the cache and a staging
 * chunk (sd->host_base; slot = list position) on the lane's kernel
 * stream. */
static cudaError_t stage_launch(kv_xfer_engine *e, lane &l,
                                const kv_xfer_desc *sd, int dir, uint64_t m,
                                const int64_t *ids) {
  kvx::xfer_args a = kvx::make_args(sd, dir, m, ids, nullptr);
  unsigned long long *ctr = e->counters + 2 * (1 + (&l - e->ln));
  return e->k.stage(a, e->o.stage_sms, l.ks, ctr);
}

/* Queue chunk c of the copy-engine share (the first k blocks) of a
 * transfer on its lane. ids_dev: the device copy of the block list. */
static cudaError_t issue_chunk(kv_xfer_engine *e, lane &l,
                               const kv_xfer_desc *d, int dir, uint64_t k,
                               uint64_t c, const int64_t *ids,
                               const int64_t *slots, const int64_t *ids_dev) {
  uint64_t block = kv_xfer_block_bytes(d), per = chunk_blocks(e, d);
  uint64_t a = c * per, m = std::min(per, k - a);
  char *hb = (char *)d->host_base, *db = (char *)d->dev_base;
  if (d->layout == KV_LAYOUT_PAGE_FIRST) {
    /* each block is one run on both sides: no staging */
    for (uint64_t i = a; i < a + m; i++) {
      char *h = hb + (uint64_t)slots[i] * block;
      char *v = db + (uint64_t)ids[i] * block;
      if (dir == KV_XFER_D2H)
        add_run(l, h, v, block);
      else
        add_run(l, v, h, block);
    }
    return flush_batch(e, l);
  }
  int r = (int)(c % (uint64_t)e->o.ring);
  char *st = l.ring + (uint64_t)r * e->o.chunk_bytes;
  kv_xfer_desc sd = *d;
  sd.host_base = st; /* the chunk plays the host side, slots 0..m-1 */
  if (dir == KV_XFER_D2H) {
    if (c >= (uint64_t)e->o.ring)
      KV_TRY(cudaStreamWaitEvent(l.ks, l.drained[r], 0));
    KV_TRY(stage_launch(e, l, &sd, KV_XFER_D2H, m, ids_dev + a));
    KV_TRY(cudaEventRecord(l.filled[r], l.ks));
    KV_TRY(cudaStreamWaitEvent(l.cs, l.filled[r], 0));
    for (uint64_t i = 0; i < m; i++)
      add_run(l, hb + (uint64_t)slots[a + i] * block, st + i * block, block);
    KV_TRY(flush_batch(e, l));
    KV_TRY(cudaEventRecord(l.drained[r], l.cs));
  } else {
    if (c >= (uint64_t)e->o.ring)
      KV_TRY(cudaStreamWaitEvent(l.cs, l.drained[r], 0));
    for (uint64_t i = 0; i < m; i++)
      add_run(l, st + i * block, hb + (uint64_t)slots[a + i] * block, block);
    KV_TRY(flush_batch(e, l));
    KV_TRY(cudaEventRecord(l.filled[r], l.cs));
    KV_TRY(cudaStreamWaitEvent(l.ks, l.filled[r], 0));
    KV_TRY(stage_launch(e, l, &sd, KV_XFER_H2D, m, ids_dev + a));
    KV_TRY(cudaEventRecord(l.drained[r], l.ks));
  }
  return cudaSuccess;
}

extern "C" uint64_t kv_xfer_engine_ce_blocks(const kv_xfer_engine *e,
                                             const kv_xfer_desc *d,
                                             uint64_t n) {
  uint64_t block = kv_xfer_block_bytes(d);
  if (n == 0 || block == 0) return 0;
  /* a layer-first block must fit a staging chunk */
  if (d->layout == KV_LAYOUT_LAYER_FIRST && block > e->o.chunk_bytes) return 0;
  double f = block >= e->o.large_block ? 1.0 : e->o.ce_fraction_small;
  uint64_t k = (uint64_t)(f * (double)n + 0.5);
  return std::min(k, n);
}

extern "C" cudaError_t kv_xfer_engine_run(kv_xfer_engine *e, int count,
                                          const kv_xfer_job *x,
                                          cudaStream_t stream) {
  if (!e || count < 0 || count > 2 || (count && !x))
    return cudaErrorInvalidValue;
  uint64_t nmax = 0;
  for (int t = 0; t < count; t++) {
    const kv_xfer_job &q = x[t];
    if (!q.desc || (q.dir != KV_XFER_D2H && q.dir != KV_XFER_H2D) ||
        (q.desc->layout != KV_LAYOUT_LAYER_FIRST &&
         q.desc->layout != KV_LAYOUT_PAGE_FIRST))
      return cudaErrorInvalidValue;
    if (q.n && (!q.ids || !q.slots || !q.desc->dev_base || !q.desc->host_base ||
                kv_xfer_block_bytes(q.desc) == 0))
      return cudaErrorInvalidValue;
    nmax = std::max(nmax, q.n);
  }
  KV_TRY(idx_reserve(e, nmax));
  /* the pinned lists may still feed the last run's upload (which waits
   * for the run before it: the host stays at most one run ahead) */
  KV_TRY(cudaEventSynchronize(e->uploaded));
  uint64_t cap = e->idx_cap;
  for (int t = 0; t < count; t++)
    if (x[t].n) {
      memcpy(e->idx_host + (2 * t) * cap, x[t].ids, x[t].n * sizeof(int64_t));
      memcpy(e->idx_host + (2 * t + 1) * cap, x[t].slots,
             x[t].n * sizeof(int64_t));
    }
  /* order: after the caller's earlier work and after the last run */
  KV_TRY(cudaEventRecord(e->fork, stream));
  KV_TRY(cudaStreamWaitEvent(e->ps, e->fork, 0));
  KV_TRY(cudaStreamWaitEvent(e->ps, e->idle, 0));
  for (int t = 0; t < count; t++)
    if (x[t].n) {
      KV_TRY(cudaMemcpyAsync(
          e->idx_dev + (2 * t) * cap, e->idx_host + (2 * t) * cap,
          x[t].n * sizeof(int64_t), cudaMemcpyHostToDevice, e->ps));
      KV_TRY(cudaMemcpyAsync(
          e->idx_dev + (2 * t + 1) * cap, e->idx_host + (2 * t + 1) * cap,
          x[t].n * sizeof(int64_t), cudaMemcpyHostToDevice, e->ps));
    }
  KV_TRY(cudaEventRecord(e->ready, e->ps));
  KV_TRY(cudaEventRecord(e->uploaded, e->ps));
  uint64_t k[2] = {0, 0}, chunks[2] = {0, 0}, most = 0;
  for (int t = 0; t < count; t++) {
    k[t] = kv_xfer_engine_ce_blocks(e, x[t].desc, x[t].n);
    uint64_t per = k[t] ? chunk_blocks(e, x[t].desc) : 1;
    chunks[t] = (k[t] + per - 1) / per;
    most = std::max(most, chunks[t]);
  }
  /* SM share first (the rest of each list, one pair launch), so that it
   * starts while the host still queues the copies */
  const kv_xfer_desc *pd[2];
  int pdir[2];
  uint64_t pn[2];
  const int64_t *pid[2], *psl[2];
  int np = 0;
  for (int t = 0; t < count; t++)
    if (x[t].n > k[t]) {
      pd[np] = x[t].desc;
      pdir[np] = x[t].dir;
      pn[np] = x[t].n - k[t];
      pid[np] = e->idx_dev + (2 * t) * cap + k[t];
      psl[np] = e->idx_dev + (2 * t + 1) * cap + k[t];
      np++;
    }
  if (np) {
    kvx::xfer_args a0 = kvx::make_args(pd[0], pdir[0], pn[0], pid[0], psl[0]);
    kvx::xfer_args a1 = a0;
    if (np > 1)
      a1 = kvx::make_args(pd[1], pdir[1], pn[1], pid[1], psl[1]);
    else
      a1.n = 0;
    KV_TRY(e->k.pair(a0, a1, e->o.pair_sms, e->ps, e->counters));
  }
  /* copy-engine shares, chunk by chunk in turn, so both directions start
   * at once */
  for (int t = 0; t < count; t++) {
    KV_TRY(cudaStreamWaitEvent(e->ln[t].ks, e->ready, 0));
    KV_TRY(cudaStreamWaitEvent(e->ln[t].cs, e->fork, 0));
    KV_TRY(cudaStreamWaitEvent(e->ln[t].cs, e->idle, 0));
  }
  for (uint64_t c = 0; c < most; c++)
    for (int t = 0; t < count; t++)
      if (c < chunks[t])
        KV_TRY(issue_chunk(e, e->ln[t], x[t].desc, x[t].dir, k[t], c, x[t].ids,
                           x[t].slots, e->idx_dev + (2 * t) * cap));
  for (int t = 0; t < count; t++) {
    KV_TRY(cudaEventRecord(e->ln[t].kdone, e->ln[t].ks));
    KV_TRY(cudaEventRecord(e->ln[t].cdone, e->ln[t].cs));
  }
  /* join everything on ps, then the caller */
  for (int t = 0; t < count; t++) {
    KV_TRY(cudaStreamWaitEvent(e->ps, e->ln[t].kdone, 0));
    KV_TRY(cudaStreamWaitEvent(e->ps, e->ln[t].cdone, 0));
  }
  KV_TRY(cudaEventRecord(e->idle, e->ps));
  KV_TRY(cudaStreamWaitEvent(stream, e->idle, 0));
  return cudaSuccess;
}
