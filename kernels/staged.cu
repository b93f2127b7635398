/* staged.cu - kernel lab: KV block transfer through the copy engines.
 * The SM copies of transfer.cu carry both directions at once at 81-84 GB/s
 * while the copy engines reach 87-101 GB/s on the same link. This lab
 * measures the other design: the copy engines move every byte over PCIe
 * (cudaMemcpyBatchAsync, one entry per host slot, i.e. per contiguous run
 * on the host side), and SMs only rearrange inside HBM: a layer-first
 * device cache is gathered into (D2H) or scattered from (H2D) a device
 * staging ring by kv_transfer_launch, chunk by chunk, pipelined against
 * the copies through events. A page-first cache needs no staging: each
 * block is one run on both sides.
 * Checks every path against a CPU reference first (both layouts, both
 * directions, list lengths 0, 1, 37 and a multi-chunk one, a ring smaller
 * than the list), then times single directions and both at once beside
 * the copy-engine peak and the SM pair kernel (kv_transfer_pair_launch)
 * of the same run.
 * Usage: lab_staged [--check]. Exit 77 when there is no CUDA device.
 * Main entry point: main().
 */
#include "common.cuh"
#include "kv_kernels.h"

struct xfer_case {
  kv_xfer_desc d;
  int dir;
  uint64_t n;
  std::vector<int64_t> ids, slots;
};

static uint64_t seg_of(const kv_xfer_desc &d) {
  return (uint64_t)d.block_tokens * d.row_bytes;
}

static uint64_t dev_off(const kv_xfer_desc &d, uint64_t b, uint64_t s) {
  uint64_t seg = seg_of(d);
  if (d.layout == KV_LAYOUT_PAGE_FIRST) return (b * 2ull * d.layers + s) * seg;
  return (s * d.dev_blocks + b) * seg;
}

static void cpu_transfer(const xfer_case &c, unsigned char *dev,
                         unsigned char *host) {
  uint64_t seg = seg_of(c.d), block = kv_xfer_block_bytes(&c.d);
  for (uint64_t i = 0; i < c.n; i++)
    for (uint64_t s = 0; s < 2ull * c.d.layers; s++) {
      unsigned char *dp = dev + dev_off(c.d, c.ids[i], s);
      unsigned char *hp = host + c.slots[i] * block + s * seg;
      if (c.dir == KV_XFER_D2H)
        memcpy(hp, dp, seg);
      else
        memcpy(dp, hp, seg);
    }
}

/* ---- the staged copy-engine path ------------------------------------- */

/* One direction's machinery: a kernel stream, a copy stream, a device
 * staging ring of `ring` chunks and two events per chunk. */
struct stager {
  cudaStream_t ks = nullptr, cs = nullptr;
  char *stage = nullptr;
  uint64_t chunk_bytes = 0;
  int ring = 0, sms = 4;
  unsigned flags = 0; /* cudaMemcpyFlags of the batches */
  bool plain = false; /* one cudaMemcpyAsync per run instead of a batch */
  std::vector<cudaEvent_t> filled, drained;
  cudaEvent_t fork = nullptr, kdone = nullptr, cdone = nullptr;
  /* host-side batch arrays, reused */
  std::vector<void *> dst;
  std::vector<const void *> src;
  std::vector<size_t> size;

  stager(uint64_t chunk, int nring, int nsms)
      : chunk_bytes(chunk), ring(nring), sms(nsms) {
    cudaCheck(cudaStreamCreateWithFlags(&ks, cudaStreamNonBlocking));
    cudaCheck(cudaStreamCreateWithFlags(&cs, cudaStreamNonBlocking));
    cudaCheck(cudaMalloc(&stage, chunk * ring));
    filled.resize(ring);
    drained.resize(ring);
    for (int i = 0; i < ring; i++) {
      cudaCheck(cudaEventCreateWithFlags(&filled[i], cudaEventDisableTiming));
      cudaCheck(cudaEventCreateWithFlags(&drained[i], cudaEventDisableTiming));
    }
    cudaCheck(cudaEventCreateWithFlags(&fork, cudaEventDisableTiming));
    cudaCheck(cudaEventCreateWithFlags(&kdone, cudaEventDisableTiming));
    cudaCheck(cudaEventCreateWithFlags(&cdone, cudaEventDisableTiming));
  }
  ~stager() {
    for (int i = 0; i < ring; i++) {
      cudaEventDestroy(filled[i]);
      cudaEventDestroy(drained[i]);
    }
    cudaEventDestroy(fork);
    cudaEventDestroy(kdone);
    cudaEventDestroy(cdone);
    cudaFree(stage);
    cudaStreamDestroy(ks);
    cudaStreamDestroy(cs);
  }

  /* queue one batch of the collected runs on the copy stream */
  void flush_batch() {
    if (dst.empty()) return;
    if (plain) {
      for (size_t i = 0; i < dst.size(); i++)
        cudaCheck(
            cudaMemcpyAsync(dst[i], src[i], size[i], cudaMemcpyDefault, cs));
    } else {
      cudaMemcpyAttributes attr = {};
      attr.srcAccessOrder = cudaMemcpySrcAccessOrderStream;
      attr.flags = flags;
      size_t idx = 0;
      cudaCheck(cudaMemcpyBatchAsync(dst.data(), src.data(), size.data(),
                                     dst.size(), &attr, &idx, 1, cs));
    }
    dst.clear();
    src.clear();
    size.clear();
  }
  /* add a run, merged with the previous one when both sides continue */
  void add(void *d, const void *s, size_t bytes) {
    if (!dst.empty() && (char *)dst.back() + size.back() == (char *)d &&
        (const char *)src.back() + size.back() == (const char *)s) {
      size.back() += bytes;
      return;
    }
    dst.push_back(d);
    src.push_back(s);
    size.push_back(bytes);
  }

  /* Order the next issue() after the work queued on `caller` so far. */
  void begin(cudaStream_t caller) {
    cudaCheck(cudaEventRecord(fork, caller));
    cudaCheck(cudaStreamWaitEvent(cs, fork, 0));
    cudaCheck(cudaStreamWaitEvent(ks, fork, 0));
  }
  /* Make work queued on `caller` from now on wait for the issued work. */
  void end(cudaStream_t caller) {
    cudaCheck(cudaEventRecord(kdone, ks));
    cudaCheck(cudaEventRecord(cdone, cs));
    cudaCheck(cudaStreamWaitEvent(caller, kdone, 0));
    cudaCheck(cudaStreamWaitEvent(caller, cdone, 0));
  }
  /* begin, issue, end: a transfer ordered on `caller` like a kernel. Two
   * stagers overlap when both begin before either ends. */
  void transfer(const xfer_case &c, const int32_t *ids_dev,
                cudaStream_t caller) {
    begin(caller);
    issue(c, ids_dev);
    end(caller);
  }
  /* Queue the moves of c's blocks (device ids also on the device: ids_dev,
   * int32) on the two streams. */
  void issue(const xfer_case &c, const int32_t *ids_dev) {
    uint64_t block = kv_xfer_block_bytes(&c.d);
    char *hb = (char *)c.d.host_base, *db = (char *)c.d.dev_base;
    if (c.d.layout == KV_LAYOUT_PAGE_FIRST) {
      /* each block is one run on both sides: copy engine only */
      for (uint64_t i = 0; i < c.n; i++) {
        char *h = hb + c.slots[i] * block, *dv = db + c.ids[i] * block;
        if (c.dir == KV_XFER_D2H)
          add(h, dv, block);
        else
          add(dv, h, block);
      }
      flush_batch();
      return;
    }
    uint64_t per = chunk_bytes / block;
    if (per == 0) per = 1; /* not reached: chunks hold at least one block */
    uint64_t nchunks = (c.n + per - 1) / per;
    for (uint64_t k = 0; k < nchunks; k++) {
      int r = (int)(k % ring);
      uint64_t a = k * per, m = std::min(per, c.n - a);
      char *st = stage + (uint64_t)r * chunk_bytes;
      kv_xfer_desc sd = c.d;
      sd.host_base = st; /* the staging chunk plays the host side */
      if (c.dir == KV_XFER_D2H) {
        if (k >= (uint64_t)ring)
          cudaCheck(cudaStreamWaitEvent(ks, drained[r], 0));
        cudaCheck(kv_transfer_launch(&sd, KV_XFER_D2H, m, ids_dev + a, nullptr,
                                     4, sms, ks));
        cudaCheck(cudaEventRecord(filled[r], ks));
        cudaCheck(cudaStreamWaitEvent(cs, filled[r], 0));
        for (uint64_t i = 0; i < m; i++)
          add(hb + c.slots[a + i] * block, st + i * block, block);
        flush_batch();
        cudaCheck(cudaEventRecord(drained[r], cs));
      } else {
        if (k >= (uint64_t)ring)
          cudaCheck(cudaStreamWaitEvent(cs, drained[r], 0));
        for (uint64_t i = 0; i < m; i++)
          add(st + i * block, hb + c.slots[a + i] * block, block);
        flush_batch();
        cudaCheck(cudaEventRecord(filled[r], cs));
        cudaCheck(cudaStreamWaitEvent(ks, filled[r], 0));
        cudaCheck(kv_transfer_launch(&sd, KV_XFER_H2D, m, ids_dev + a, nullptr,
                                     4, sms, ks));
        cudaCheck(cudaEventRecord(drained[r], ks));
      }
    }
  }
};

/* ---- cases ---------------------------------------------------------- */

static xfer_case make_case(int layout, int dir, uint32_t layers,
                           uint32_t tokens, uint64_t row, uint64_t n,
                           uint64_t dev_blocks, uint64_t host_slots,
                           lab_rng &r) {
  xfer_case c;
  c.d = {};
  c.d.layers = layers;
  c.d.block_tokens = tokens;
  c.d.row_bytes = row;
  c.d.dev_blocks = dev_blocks;
  c.d.layout = layout;
  c.dir = dir;
  c.n = n;
  std::vector<uint64_t> p = lab_permutation(dev_blocks, r);
  std::vector<uint64_t> q = lab_permutation(host_slots, r);
  for (uint64_t i = 0; i < n; i++) {
    c.ids.push_back((int64_t)p[i]);
    c.slots.push_back((int64_t)q[i]);
  }
  return c;
}

static int32_t *upload_ids(const xfer_case &c) {
  std::vector<int32_t> v(c.ids.begin(), c.ids.end());
  if (v.empty()) v.push_back(0);
  int32_t *p = nullptr;
  cudaCheck(cudaMalloc(&p, v.size() * 4));
  cudaCheck(cudaMemcpy(p, v.data(), v.size() * 4, cudaMemcpyHostToDevice));
  return p;
}

static int check_case(xfer_case &c, stager &sg, lab_rng &r, cudaStream_t s) {
  uint64_t block = kv_xfer_block_bytes(&c.d);
  uint64_t hslots = 2 * c.n + 1;
  size_t db = (size_t)(c.d.dev_blocks * block),
         hbytes = (size_t)(hslots * block);
  std::vector<unsigned char> hd(db), hh(hbytes);
  lab_fill_random(hd.data(), db, r);
  lab_fill_random(hh.data(), hbytes, r);
  char *dd = nullptr, *hp = nullptr;
  cudaCheck(cudaMalloc(&dd, db));
  cudaCheck(cudaHostAlloc((void **)&hp, hbytes, cudaHostAllocMapped));
  cudaCheck(cudaMemcpy(dd, hd.data(), db, cudaMemcpyHostToDevice));
  memcpy(hp, hh.data(), hbytes);
  c.d.dev_base = dd;
  c.d.host_base = hp;
  int32_t *ids = upload_ids(c);
  sg.transfer(c, ids, s);
  cudaCheck(cudaStreamSynchronize(s));
  cudaCheckLaunch();
  cpu_transfer(c, hd.data(), hh.data());
  std::vector<unsigned char> gd(db);
  cudaCheck(cudaMemcpy(gd.data(), dd, db, cudaMemcpyDeviceToHost));
  int bad = memcmp(gd.data(), hd.data(), db) != 0 ||
            memcmp(hp, hh.data(), hbytes) != 0;
  if (bad)
    printf("MISMATCH staged layout=%s dir=%s tokens=%u n=%llu\n",
           c.d.layout ? "page-first" : "layer-first", c.dir ? "H2D" : "D2H",
           c.d.block_tokens, (unsigned long long)c.n);
  cudaFree(ids);
  cudaFree(dd);
  cudaFreeHost(hp);
  return bad;
}

static int run_checks(lab_rng &r, cudaStream_t s) {
  int fails = 0, runs = 0;
  /* chunk of 3 blocks of (3 layers, 2 tokens, 48 B) = 1728 B, ring 2: the
   * 37- and 100-block lists wrap the ring many times */
  for (uint64_t chunk : {1728ull, 1ull << 20}) {
    stager sg(chunk, 2, 3);
    for (int layout = 0; layout < 2; layout++)
      for (int dir = 0; dir < 2; dir++)
        for (uint64_t n : {0ull, 1ull, 37ull, 100ull}) {
          xfer_case c =
              make_case(layout, dir, 3, 2, 48, n, 2 * n + 3, 2 * n + 1, r);
          fails += check_case(c, sg, r, s);
          runs++;
        }
  }
  /* both directions at once on two stagers */
  stager a(1728, 2, 3), b(1728, 3, 2);
  for (int layout = 0; layout < 2; layout++) {
    xfer_case o = make_case(layout, KV_XFER_D2H, 3, 2, 48, 53, 120, 107, r);
    xfer_case i = make_case(layout, KV_XFER_H2D, 3, 2, 48, 41, 90, 83, r);
    /* separate buffers each, so the reference stays simple */
    uint64_t block = kv_xfer_block_bytes(&o.d);
    std::vector<unsigned char> od(120 * block), oh(107 * block), id(90 * block),
        ih(83 * block);
    lab_fill_random(od.data(), od.size(), r);
    lab_fill_random(oh.data(), oh.size(), r);
    lab_fill_random(id.data(), id.size(), r);
    lab_fill_random(ih.data(), ih.size(), r);
    char *odd, *idd, *ohp, *ihp;
    cudaCheck(cudaMalloc(&odd, od.size()));
    cudaCheck(cudaMalloc(&idd, id.size()));
    cudaCheck(cudaHostAlloc((void **)&ohp, oh.size(), cudaHostAllocMapped));
    cudaCheck(cudaHostAlloc((void **)&ihp, ih.size(), cudaHostAllocMapped));
    cudaCheck(cudaMemcpy(odd, od.data(), od.size(), cudaMemcpyHostToDevice));
    cudaCheck(cudaMemcpy(idd, id.data(), id.size(), cudaMemcpyHostToDevice));
    memcpy(ohp, oh.data(), oh.size());
    memcpy(ihp, ih.data(), ih.size());
    o.d.dev_base = odd;
    o.d.host_base = ohp;
    i.d.dev_base = idd;
    i.d.host_base = ihp;
    int32_t *oi = upload_ids(o), *ii = upload_ids(i);
    a.begin(s);
    b.begin(s);
    a.issue(o, oi);
    b.issue(i, ii);
    a.end(s);
    b.end(s);
    cudaCheck(cudaStreamSynchronize(s));
    cudaCheckLaunch();
    cpu_transfer(o, od.data(), oh.data());
    cpu_transfer(i, id.data(), ih.data());
    std::vector<unsigned char> g1(od.size()), g2(id.size());
    cudaCheck(cudaMemcpy(g1.data(), odd, od.size(), cudaMemcpyDeviceToHost));
    cudaCheck(cudaMemcpy(g2.data(), idd, id.size(), cudaMemcpyDeviceToHost));
    int bad = memcmp(g1.data(), od.data(), od.size()) ||
              memcmp(ohp, oh.data(), oh.size()) ||
              memcmp(g2.data(), id.data(), id.size()) ||
              memcmp(ihp, ih.data(), ih.size());
    if (bad) printf("MISMATCH staged pair layout=%d\n", layout);
    fails += bad;
    runs++;
    cudaFree(oi);
    cudaFree(ii);
    cudaFree(odd);
    cudaFree(idd);
    cudaFreeHost(ohp);
    cudaFreeHost(ihp);
  }
  printf("staged check: %d cases, %d failed\n", runs, fails);
  return fails;
}

/* ---- timing ---------------------------------------------------------- */

struct bench_case {
  xfer_case c;
  char *dev = nullptr, *host = nullptr;
  int32_t *ids = nullptr;
  bench_case(int layout, int dir, uint32_t tokens, uint64_t total, lab_rng &r) {
    kv_xfer_desc d = {};
    d.layers = 32;
    d.block_tokens = tokens;
    d.row_bytes = 2048;
    uint64_t block = kv_xfer_block_bytes(&d);
    uint64_t n = total / block;
    c = make_case(layout, dir, 32, tokens, 2048, n, 2 * n, 2 * n, r);
    cudaCheck(cudaMalloc(&dev, 2 * n * block));
    cudaCheck(
        cudaHostAlloc((void **)&host, 2 * n * block, cudaHostAllocMapped));
    std::vector<unsigned char> tmp(2 * n * block);
    lab_fill_random(tmp.data(), tmp.size(), r);
    cudaCheck(cudaMemcpy(dev, tmp.data(), tmp.size(), cudaMemcpyHostToDevice));
    memcpy(host, tmp.data(), tmp.size());
    c.d.dev_base = dev;
    c.d.host_base = host;
    ids = upload_ids(c);
  }
  ~bench_case() {
    cudaFree(ids);
    cudaFree(dev);
    cudaFreeHost(host);
  }
  double bytes() const {
    return (double)c.n * kv_xfer_block_bytes(&c.d);
  }
};

static double ce_duplex(lab_l2_flusher &l2, cudaStream_t s) {
  const size_t bytes = 256ull << 20;
  char *d1, *d2, *h1, *h2;
  cudaCheck(cudaMalloc(&d1, bytes));
  cudaCheck(cudaMalloc(&d2, bytes));
  cudaCheck(cudaHostAlloc((void **)&h1, bytes, cudaHostAllocDefault));
  cudaCheck(cudaHostAlloc((void **)&h2, bytes, cudaHostAllocDefault));
  memset(h1, 1, bytes);
  memset(h2, 2, bytes);
  cudaStream_t s2;
  cudaEvent_t f, j;
  cudaCheck(cudaStreamCreateWithFlags(&s2, cudaStreamNonBlocking));
  cudaCheck(cudaEventCreateWithFlags(&f, cudaEventDisableTiming));
  cudaCheck(cudaEventCreateWithFlags(&j, cudaEventDisableTiming));
  double h2d = lab_gbps(
      (double)bytes, lab_time_ms(5, s, l2, [&](cudaStream_t t) {
        cudaCheck(cudaMemcpyAsync(d1, h1, bytes, cudaMemcpyHostToDevice, t));
      }));
  double d2h = lab_gbps(
      (double)bytes, lab_time_ms(5, s, l2, [&](cudaStream_t t) {
        cudaCheck(cudaMemcpyAsync(h2, d2, bytes, cudaMemcpyDeviceToHost, t));
      }));
  double both = lab_gbps(
      2.0 * bytes, lab_time_ms(5, s, l2, [&](cudaStream_t t) {
        cudaCheck(cudaEventRecord(f, t));
        cudaCheck(cudaStreamWaitEvent(s2, f, 0));
        cudaCheck(cudaMemcpyAsync(d1, h1, bytes, cudaMemcpyHostToDevice, t));
        cudaCheck(cudaMemcpyAsync(h2, d2, bytes, cudaMemcpyDeviceToHost, s2));
        cudaCheck(cudaEventRecord(j, s2));
        cudaCheck(cudaStreamWaitEvent(t, j, 0));
      }));
  printf("copy-engine peak (one 256 MiB cudaMemcpyAsync, pinned): H2D %.2f  "
         "D2H %.2f  both at once %.2f GB/s\n",
         h2d, d2h, both);
  cudaEventDestroy(f);
  cudaEventDestroy(j);
  cudaStreamDestroy(s2);
  cudaFree(d1);
  cudaFree(d2);
  cudaFreeHost(h1);
  cudaFreeHost(h2);
  return both;
}

static void run_bench(lab_rng &r, cudaStream_t s) {
  lab_l2_flusher l2;
  ce_duplex(l2, s);
  unsigned long long *ctr = nullptr;
  cudaCheck(cudaMalloc(&ctr, 16));
  cudaCheck(cudaMemset(ctr, 0, 16));
  const uint64_t total = 64ull << 20;
  printf("\n64 MiB each way, 32 layers, row 2048 B, random device blocks and "
         "host slots; GB/s (both: 128 MiB / time until both are done)\n");
  printf("%-11s %6s %-24s %8s %8s %8s\n", "layout", "tokens", "path", "D2H",
         "H2D", "both");
  for (int layout = 0; layout < 2; layout++)
    for (uint32_t t : {1u, 16u}) {
      bench_case out(layout, KV_XFER_D2H, t, total, r);
      bench_case in(layout, KV_XFER_H2D, t, total, r);
      const char *ln = layout ? "page-first" : "layer-first";
      /* SM kernels, 8 SMs: alone each way, then the pair kernel */
      std::vector<int32_t> so(out.c.slots.begin(), out.c.slots.end()),
          si(in.c.slots.begin(), in.c.slots.end());
      int32_t *slo = nullptr, *sli = nullptr;
      cudaCheck(cudaMalloc(&slo, so.size() * 4));
      cudaCheck(cudaMalloc(&sli, si.size() * 4));
      cudaCheck(
          cudaMemcpy(slo, so.data(), so.size() * 4, cudaMemcpyHostToDevice));
      cudaCheck(
          cudaMemcpy(sli, si.data(), si.size() * 4, cudaMemcpyHostToDevice));
      double sm_d = lab_gbps(
          out.bytes(), lab_time_ms(7, s, l2, [&](cudaStream_t x) {
            cudaCheck(kv_transfer_launch(&out.c.d, KV_XFER_D2H, out.c.n,
                                         out.ids, slo, 4, 8, x));
          }));
      double sm_h =
          lab_gbps(in.bytes(), lab_time_ms(7, s, l2, [&](cudaStream_t x) {
                     cudaCheck(kv_transfer_launch(&in.c.d, KV_XFER_H2D, in.c.n,
                                                  in.ids, sli, 4, 8, x));
                   }));
      double sm_b = lab_gbps(
          out.bytes() + in.bytes(), lab_time_ms(7, s, l2, [&](cudaStream_t x) {
            cudaCheck(kv_transfer_pair_launch(
                &in.c.d, KV_XFER_H2D, in.c.n, in.ids, sli, &out.c.d,
                KV_XFER_D2H, out.c.n, out.ids, slo, 4, 8, ctr, x));
          }));
      printf("%-11s %6u %-24s %8.2f %8.2f %8.2f\n", ln, t, "SM kernels (8 SMs)",
             sm_d, sm_h, sm_b);
      cudaFree(slo);
      cudaFree(sli);
      /* staged copy-engine path: chunk size x SMs for the rearrangement */
      for (uint64_t chunk : {1ull << 20, 4ull << 20, 16ull << 20})
        for (int sms : {2, 4, 8}) {
          if (layout == KV_LAYOUT_PAGE_FIRST &&
              (chunk != (4ull << 20) || sms != 4))
            continue; /* no staging there: one row is enough */
          uint64_t block = kv_xfer_block_bytes(&out.c.d);
          uint64_t ch = std::max(chunk, block);
          stager so_(ch, 3, sms), si_(ch, 3, sms);
          double d =
              lab_gbps(out.bytes(), lab_time_ms(7, s, l2, [&](cudaStream_t x) {
                         so_.transfer(out.c, out.ids, x);
                       }));
          double h =
              lab_gbps(in.bytes(), lab_time_ms(7, s, l2, [&](cudaStream_t x) {
                         si_.transfer(in.c, in.ids, x);
                       }));
          double b = lab_gbps(out.bytes() + in.bytes(),
                              lab_time_ms(7, s, l2, [&](cudaStream_t x) {
                                so_.begin(x);
                                si_.begin(x);
                                so_.issue(out.c, out.ids);
                                si_.issue(in.c, in.ids);
                                so_.end(x);
                                si_.end(x);
                              }));
          char what[64];
          if (layout == KV_LAYOUT_PAGE_FIRST)
            snprintf(what, sizeof what, "CE batch, no staging");
          else
            snprintf(what, sizeof what, "CE staged %2llu MiB x3, %d SMs",
                     (unsigned long long)(ch >> 20), sms);
          printf("%-11s %6u %-24s %8.2f %8.2f %8.2f\n", ln, t, what, d, h, b);
        }
      /* layer-first without staging: one batch entry per segment */
      if (layout == KV_LAYOUT_LAYER_FIRST) {
        stager sg(4ull << 20, 1, 1);
        auto seg_batch = [&](const xfer_case &c, cudaStream_t x) {
          uint64_t seg = seg_of(c.d), block = kv_xfer_block_bytes(&c.d);
          char *hb = (char *)c.d.host_base, *db = (char *)c.d.dev_base;
          cudaCheck(cudaEventRecord(sg.fork, x));
          cudaCheck(cudaStreamWaitEvent(sg.cs, sg.fork, 0));
          for (uint64_t i = 0; i < c.n; i++)
            for (uint64_t q = 0; q < 2ull * c.d.layers; q++) {
              char *h = hb + c.slots[i] * block + q * seg;
              char *dv = db + dev_off(c.d, c.ids[i], q);
              if (c.dir == KV_XFER_D2H)
                sg.add(h, dv, seg);
              else
                sg.add(dv, h, seg);
            }
          sg.flush_batch();
          cudaCheck(cudaEventRecord(sg.cdone, sg.cs));
          cudaCheck(cudaStreamWaitEvent(x, sg.cdone, 0));
        };
        double d =
            lab_gbps(out.bytes(), lab_time_ms(3, s, l2, [&](cudaStream_t x) {
                       seg_batch(out.c, x);
                     }));
        double h = lab_gbps(
            in.bytes(),
            lab_time_ms(3, s, l2, [&](cudaStream_t x) { seg_batch(in.c, x); }));
        printf("%-11s %6u %-24s %8.2f %8.2f %8s\n", ln, t,
               "CE batch per segment", d, h, "");
      }
      /* mixed: SM kernel for D2H, staged copy engine for H2D, and back */
      if (layout == KV_LAYOUT_LAYER_FIRST) {
        stager sg(4ull << 20, 3, 4);
        std::vector<int32_t> so2(out.c.slots.begin(), out.c.slots.end());
        int32_t *slo2 = nullptr;
        cudaCheck(cudaMalloc(&slo2, so2.size() * 4));
        cudaCheck(cudaMemcpy(slo2, so2.data(), so2.size() * 4,
                             cudaMemcpyHostToDevice));
        cudaStream_t s2;
        cudaEvent_t f, j;
        cudaCheck(cudaStreamCreateWithFlags(&s2, cudaStreamNonBlocking));
        cudaCheck(cudaEventCreateWithFlags(&f, cudaEventDisableTiming));
        cudaCheck(cudaEventCreateWithFlags(&j, cudaEventDisableTiming));
        double m = lab_gbps(
            out.bytes() + in.bytes(),
            lab_time_ms(7, s, l2, [&](cudaStream_t x) {
              cudaCheck(cudaEventRecord(f, x));
              cudaCheck(cudaStreamWaitEvent(s2, f, 0));
              sg.transfer(in.c, in.ids, x);
              cudaCheck(kv_transfer_launch(&out.c.d, KV_XFER_D2H, out.c.n,
                                           out.ids, slo2, 4, 8, s2));
              cudaCheck(cudaEventRecord(j, s2));
              cudaCheck(cudaStreamWaitEvent(x, j, 0));
            }));
        printf("%-11s %6u %-24s %8s %8s %8.2f\n", ln, t,
               "SM D2H + CE staged H2D", "", "", m);
        cudaEventDestroy(f);
        cudaEventDestroy(j);
        cudaStreamDestroy(s2);
        cudaFree(slo2);
      }
    }
  printf("(target: both directions at once >= 85 GB/s)\n");
  cudaFree(ctr);
}

/* Follow-up questions: do batched copies of the two directions overlap
 * (they did not above), with the overlap flag or as plain copies? And how
 * does the SM pair kernel's aggregate move with the mix of directions? */
static void run_probe(lab_rng &r, cudaStream_t s) {
  lab_l2_flusher l2;
  ce_duplex(l2, s);
  printf("\npage-first, copy engine only, 64 MiB each way (GB/s):\n");
  printf("%6s %-34s %8s %8s %8s\n", "tokens", "path", "D2H", "H2D", "both");
  for (uint32_t t : {1u, 16u}) {
    bench_case out(KV_LAYOUT_PAGE_FIRST, KV_XFER_D2H, t, 64ull << 20, r);
    bench_case in(KV_LAYOUT_PAGE_FIRST, KV_XFER_H2D, t, 64ull << 20, r);
    for (int mode = 0; mode < 4; mode++) {
      stager a(4ull << 20, 1, 1), b(4ull << 20, 1, 1);
      const char *name = "batch";
      if (mode == 1) {
        a.flags = b.flags = cudaMemcpyFlagPreferOverlapWithCompute;
        name = "batch, PreferOverlapWithCompute";
      } else if (mode == 2) {
        a.plain = b.plain = true;
        name = "cudaMemcpyAsync per block";
      } else if (mode == 3) {
        b.plain = true;
        name = "D2H batch + H2D cudaMemcpyAsync";
      }
      double d =
          lab_gbps(out.bytes(), lab_time_ms(5, s, l2, [&](cudaStream_t x) {
                     a.transfer(out.c, out.ids, x);
                   }));
      double h =
          lab_gbps(in.bytes(), lab_time_ms(5, s, l2, [&](cudaStream_t x) {
                     b.transfer(in.c, in.ids, x);
                   }));
      double both = lab_gbps(out.bytes() + in.bytes(),
                             lab_time_ms(5, s, l2, [&](cudaStream_t x) {
                               a.begin(x);
                               b.begin(x);
                               a.issue(out.c, out.ids);
                               b.issue(in.c, in.ids);
                               a.end(x);
                               b.end(x);
                             }));
      printf("%6u %-34s %8.2f %8.2f %8.2f\n", t, name, d, h, both);
    }
  }
  unsigned long long *ctr = nullptr;
  cudaCheck(cudaMalloc(&ctr, 16));
  cudaCheck(cudaMemset(ctr, 0, 16));
  /* split: the first fraction f of each list through the staged copy
   * engines (16 MiB x 3, 4 SMs), the rest through the SM pair kernel */
  printf("\nsplit, layer-first, 64 MiB each way: fraction f of the blocks by "
         "the staged copy engines (16 MiB x3, 4 SMs), the rest by the SM "
         "pair kernel beside it (GB/s aggregate)\n");
  printf("%6s %6s %8s %8s\n", "tokens", "f", "pair 4", "pair 8");
  cudaStream_t s3;
  cudaEvent_t f3, j3;
  cudaCheck(cudaStreamCreateWithFlags(&s3, cudaStreamNonBlocking));
  cudaCheck(cudaEventCreateWithFlags(&f3, cudaEventDisableTiming));
  cudaCheck(cudaEventCreateWithFlags(&j3, cudaEventDisableTiming));
  for (uint32_t t : {1u, 16u}) {
    bench_case out(KV_LAYOUT_LAYER_FIRST, KV_XFER_D2H, t, 64ull << 20, r);
    bench_case in(KV_LAYOUT_LAYER_FIRST, KV_XFER_H2D, t, 64ull << 20, r);
    std::vector<int32_t> so(out.c.slots.begin(), out.c.slots.end()),
        si(in.c.slots.begin(), in.c.slots.end());
    int32_t *slo = nullptr, *sli = nullptr;
    cudaCheck(cudaMalloc(&slo, so.size() * 4));
    cudaCheck(cudaMalloc(&sli, si.size() * 4));
    cudaCheck(
        cudaMemcpy(slo, so.data(), so.size() * 4, cudaMemcpyHostToDevice));
    cudaCheck(
        cudaMemcpy(sli, si.data(), si.size() * 4, cudaMemcpyHostToDevice));
    stager a(16ull << 20, 3, 4), b(16ull << 20, 3, 4);
    for (double f : {0.0, 0.3, 0.5, 0.7, 0.85, 1.0}) {
      uint64_t ko = (uint64_t)(f * out.c.n), ki = (uint64_t)(f * in.c.n);
      xfer_case co = out.c, ci = in.c;
      co.n = ko;
      ci.n = ki;
      double g[2];
      int k = 0;
      for (int sms : {4, 8}) {
        double ms = lab_time_ms(5, s, l2, [&](cudaStream_t x) {
          cudaCheck(cudaEventRecord(f3, x));
          cudaCheck(cudaStreamWaitEvent(s3, f3, 0));
          a.begin(x);
          b.begin(x);
          cudaCheck(kv_transfer_pair_launch(
              &in.c.d, KV_XFER_H2D, in.c.n - ki, in.ids + ki, sli + ki,
              &out.c.d, KV_XFER_D2H, out.c.n - ko, out.ids + ko, slo + ko, 4,
              sms, ctr, s3));
          a.issue(co, out.ids);
          b.issue(ci, in.ids);
          a.end(x);
          b.end(x);
          cudaCheck(cudaEventRecord(j3, s3));
          cudaCheck(cudaStreamWaitEvent(x, j3, 0));
        });
        g[k++] = lab_gbps(out.bytes() + in.bytes(), ms);
      }
      printf("%6u %6.2f %8.2f %8.2f\n", t, f, g[0], g[1]);
    }
    cudaFree(slo);
    cudaFree(sli);
  }
  cudaEventDestroy(f3);
  cudaEventDestroy(j3);
  cudaStreamDestroy(s3);
  printf("\nSM pair kernel (kv_transfer_pair_launch, 8 SMs, layer-first, "
         "1-token blocks) by mix: GB/s aggregate = all bytes / time; the "
         "tickets make both directions end together\n");
  printf("%8s %8s %10s %8s %8s\n", "H2D MiB", "D2H MiB", "aggregate", "H2D",
         "D2H");
  const int mixes[][2] = {{64, 64}, {72, 56}, {80, 48}, {88, 40},
                          {56, 72}, {48, 80}, {40, 88}};
  for (const int *m : mixes) {
    bench_case in(KV_LAYOUT_LAYER_FIRST, KV_XFER_H2D, 1, (uint64_t)m[0] << 20,
                  r);
    bench_case out(KV_LAYOUT_LAYER_FIRST, KV_XFER_D2H, 1, (uint64_t)m[1] << 20,
                   r);
    std::vector<int32_t> so(out.c.slots.begin(), out.c.slots.end()),
        si(in.c.slots.begin(), in.c.slots.end());
    int32_t *slo = nullptr, *sli = nullptr;
    cudaCheck(cudaMalloc(&slo, so.size() * 4));
    cudaCheck(cudaMalloc(&sli, si.size() * 4));
    cudaCheck(
        cudaMemcpy(slo, so.data(), so.size() * 4, cudaMemcpyHostToDevice));
    cudaCheck(
        cudaMemcpy(sli, si.data(), si.size() * 4, cudaMemcpyHostToDevice));
    double ms = lab_time_ms(7, s, l2, [&](cudaStream_t x) {
      cudaCheck(kv_transfer_pair_launch(&in.c.d, KV_XFER_H2D, in.c.n, in.ids,
                                        sli, &out.c.d, KV_XFER_D2H, out.c.n,
                                        out.ids, slo, 4, 8, ctr, x));
    });
    printf("%8d %8d %10.2f %8.2f %8.2f\n", m[0], m[1],
           lab_gbps(in.bytes() + out.bytes(), ms), lab_gbps(in.bytes(), ms),
           lab_gbps(out.bytes(), ms));
    cudaFree(slo);
    cudaFree(sli);
  }
  cudaFree(ctr);
}

int main(int argc, char **argv) {
  lab_require_device();
  bool check_only = lab_has_flag(argc, argv, "--check");
  printf("staged copy-engine transfer lab, seed 20261122\n");
  lab_print_device();
  lab_rng r(20261122);
  cudaStream_t s;
  cudaCheck(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking));
  int fails = run_checks(r, s);
  if (fails) {
    printf("FAILED\n");
    return 1;
  }
  printf("staged path matches the CPU reference\n");
  if (lab_has_flag(argc, argv, "--probe"))
    run_probe(r, s);
  else if (!check_only)
    run_bench(r, s);
  cudaCheck(cudaStreamDestroy(s));
  return 0;
}
