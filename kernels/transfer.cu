/* transfer.cu - kernel lab: KV block transfer between the device cache and
 * mapped pinned host memory (kernels in transfer.cuh, layouts in
 * kv_kernels.h). Checks every version against a CPU reference (both
 * layouts, both directions, staging or scattered host slots, int32/int64
 * lists, lists of length 0, unaligned rows), and the library launcher on
 * each block size (kv_transfer_launch_threads), then times them against the
 * copy-engine peak measured in the same run and against one
 * cudaMemcpyAsync per contiguous run, and times both directions at once
 * (two kernels on two streams, or v6's single kernel for both, over several
 * splits of the SMs, with the time each direction took).
 * Usage: lab_transfer [--check] [--duplex] [--quick]
 *   --check   correctness only
 *   --duplex  checks, then only the both-directions tables
 *   --quick   checks, then shorter tables: both directions (two streams
 *             only v3 on 8+8 and 8+4 SMs; one kernel v6..v9 and lib on 4, 8,
 *             16 SMs), single direction for 1- and 16-token blocks without
 *             v1, v2 and the memcpy baseline, and the bulk-copy SM sweep
 *             (with --duplex: the both-directions part only)
 * Exit 77 when there is no CUDA device. Main entry point: main().
 */
#include "common.cuh"
#include "kv_kernels.h"
#include "transfer_lab.cuh"
#include "xfer_ref.cuh"

/* version 0 is the baseline: one cudaMemcpyAsync per contiguous run;
 * version kLib is the library launcher kv_transfer_launch() */
enum { kLib = 10 };
static const int kVersions[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, kLib};
static const char *kVersionName[] = {"memcpy", "v1", "v2", "v3", "v4", "v5",
                                     "v6",     "v7", "v8", "v9", "lib"};

/* v6..v9's two ticket counters (zero between launches) */
static unsigned long long *g_ctr = nullptr;

struct xfer_case {
  kv_xfer_desc d;
  int dir;
  uint64_t n;
  std::vector<int64_t> ids, slots; /* slots empty: staging */
};

static uint64_t seg_bytes_of(const kv_xfer_desc &d) {
  return kvref::seg_bytes(d);
}

using kvref::dev_off;
using kvref::host_off;

/* CPU reference: apply the transfer to host copies of both sides. */
static void cpu_transfer(const xfer_case &c, unsigned char *dev,
                         unsigned char *host) {
  kvref::apply(c.d, c.dir, c.n, c.ids.data(),
               c.slots.empty() ? nullptr : c.slots.data(), dev, host);
}

/* Baseline: one cudaMemcpyAsync per contiguous run (adjacent segments are
 * merged when both sides continue where the previous one ended). */
static void memcpy_transfer(const xfer_case &c, cudaStream_t st) {
  uint64_t seg = seg_bytes_of(c.d);
  char *db = (char *)c.d.dev_base, *hb = (char *)c.d.host_base;
  uint64_t nseg = c.d.layout == KV_LAYOUT_PAGE_FIRST ? 1 : 2ull * c.d.layers;
  uint64_t len =
      c.d.layout == KV_LAYOUT_PAGE_FIRST ? seg * 2ull * c.d.layers : seg;
  char *rs = nullptr, *rd = nullptr;
  uint64_t rl = 0;
  for (uint64_t i = 0; i < c.n; i++) {
    uint64_t slot = c.slots.empty() ? i : (uint64_t)c.slots[i];
    for (uint64_t s = 0; s < nseg; s++) {
      char *dp = db + dev_off(c.d, c.ids[i], s);
      char *hp = hb + host_off(c.d, slot, s);
      char *src = c.dir == KV_XFER_D2H ? dp : hp;
      char *dst = c.dir == KV_XFER_D2H ? hp : dp;
      if (rl && src == rs + rl && dst == rd + rl) {
        rl += len;
        continue;
      }
      if (rl) cudaCheck(cudaMemcpyAsync(rd, rs, rl, cudaMemcpyDefault, st));
      rs = src;
      rd = dst;
      rl = len;
    }
  }
  if (rl) cudaCheck(cudaMemcpyAsync(rd, rs, rl, cudaMemcpyDefault, st));
}

/* Device copies of a case's index lists (int32 or int64). */
struct dev_lists {
  void *ids = nullptr, *slots = nullptr;
  int index_bytes = 4;
  dev_lists(const xfer_case &c, int ib) : index_bytes(ib) {
    ids = upload(c.ids);
    if (!c.slots.empty()) slots = upload(c.slots);
  }
  void *upload(const std::vector<int64_t> &v) {
    size_t bytes = (v.size() ? v.size() : 1) * index_bytes;
    void *p = nullptr;
    cudaCheck(cudaMalloc(&p, bytes));
    std::vector<unsigned char> tmp(bytes);
    for (size_t i = 0; i < v.size(); i++) {
      if (index_bytes == 4) {
        int32_t x = (int32_t)v[i];
        memcpy(&tmp[i * 4], &x, 4);
      } else {
        memcpy(&tmp[i * 8], &v[i], 8);
      }
    }
    cudaCheck(cudaMemcpy(p, tmp.data(), bytes, cudaMemcpyHostToDevice));
    return p;
  }
  ~dev_lists() {
    cudaFree(ids);
    cudaFree(slots);
  }
};

static void run_version(int v, const xfer_case &c, const dev_lists &l, int sms,
                        cudaStream_t st) {
  if (v == 0) {
    memcpy_transfer(c, st);
  } else if (v == kLib) {
    cudaCheck(kv_transfer_launch(&c.d, c.dir, c.n, l.ids, l.slots,
                                 l.index_bytes, sms, st));
  } else {
    kvx::xfer_args a = kvx::make_args(&c.d, c.dir, c.n, l.ids, l.slots);
    cudaCheck(kvx::launch(v, a, l.index_bytes, sms, st, g_ctr));
  }
}

/* v6..v9 or the library's pair launcher (kLib): both cases in one launch */
static void run_pair(int v, const xfer_case &c0, const dev_lists &l0,
                     const xfer_case &c1, const dev_lists &l1, int sms,
                     cudaStream_t st) {
  if (v == kLib) {
    cudaCheck(kv_transfer_pair_launch(&c0.d, c0.dir, c0.n, l0.ids, l0.slots,
                                      &c1.d, c1.dir, c1.n, l1.ids, l1.slots,
                                      l0.index_bytes, sms, g_ctr, st));
    return;
  }
  kvx::xfer_args a0 = kvx::make_args(&c0.d, c0.dir, c0.n, l0.ids, l0.slots);
  kvx::xfer_args a1 = kvx::make_args(&c1.d, c1.dir, c1.n, l1.ids, l1.slots);
  cudaCheck(kvx::launch_pair(v, a0, a1, l0.index_bytes, sms, st, g_ctr));
}

/* Build a case with n random distinct device blocks out of dev_blocks and,
 * when scattered, n random distinct host slots out of host_slots. */
static xfer_case make_case(int layout, int dir, uint32_t layers,
                           uint32_t tokens, uint64_t row, uint64_t n,
                           uint64_t dev_blocks, uint64_t host_slots,
                           bool scattered, lab_rng &r) {
  xfer_case c;
  c.d.dev_base = nullptr;
  c.d.host_base = nullptr;
  c.d.layers = layers;
  c.d.block_tokens = tokens;
  c.d.row_bytes = row;
  c.d.dev_blocks = dev_blocks;
  c.d.layout = layout;
  c.dir = dir;
  c.n = n;
  std::vector<uint64_t> p = lab_permutation(dev_blocks, r);
  for (uint64_t i = 0; i < n; i++)
    c.ids.push_back((int64_t)p[i]);
  if (scattered) {
    std::vector<uint64_t> q = lab_permutation(host_slots, r);
    for (uint64_t i = 0; i < n; i++)
      c.slots.push_back((int64_t)q[i]);
  }
  return c;
}

/* ---- correctness ------------------------------------------------------ */

/* Random contents for both sides of a check case, on the device and in
 * mapped host memory, with CPU copies for the reference. */
struct check_bufs {
  std::vector<unsigned char> hd, hh;
  char *dd = nullptr, *hp = nullptr;
  size_t dev_bytes = 0, host_bytes = 0;
  check_bufs(xfer_case &c, lab_rng &r) {
    uint64_t block = kv_xfer_block_bytes(&c.d);
    uint64_t host_slots = c.slots.empty() ? (c.n ? c.n : 1) : 2 * c.n + 1;
    dev_bytes = (size_t)(c.d.dev_blocks * block);
    host_bytes = (size_t)(host_slots * block);
    hd.resize(dev_bytes);
    hh.resize(host_bytes);
    lab_fill_random(hd.data(), dev_bytes, r);
    lab_fill_random(hh.data(), host_bytes, r);
    /* offset both bases by 16 bytes within the allocations: still aligned,
     * but not to the allocation start */
    cudaCheck(cudaMalloc(&dd, dev_bytes + 32));
    cudaCheck(
        cudaHostAlloc((void **)&hp, host_bytes + 32, cudaHostAllocMapped));
    c.d.dev_base = dd + 16;
    c.d.host_base = hp + 16;
    cudaCheck(
        cudaMemcpy(dd + 16, hd.data(), dev_bytes, cudaMemcpyHostToDevice));
    memcpy(hp + 16, hh.data(), host_bytes);
  }
  ~check_bufs() {
    cudaFree(dd);
    cudaFreeHost(hp);
  }
  /* after the GPU ran: apply the CPU reference and compare; 1 = mismatch */
  int verify(const xfer_case &c, const char *name, int index_bytes) {
    cpu_transfer(c, hd.data(), hh.data());
    std::vector<unsigned char> gd(dev_bytes);
    cudaCheck(
        cudaMemcpy(gd.data(), dd + 16, dev_bytes, cudaMemcpyDeviceToHost));
    int bad = 0;
    if (memcmp(gd.data(), hd.data(), dev_bytes) != 0) bad = 1;
    if (memcmp(hp + 16, hh.data(), host_bytes) != 0) bad = 1;
    if (bad)
      printf("MISMATCH %s layout=%s dir=%s tokens=%u row=%llu n=%llu "
             "idx=int%d host=%s\n",
             name,
             c.d.layout == KV_LAYOUT_PAGE_FIRST ? "page-first" : "layer-first",
             c.dir == KV_XFER_D2H ? "D2H" : "H2D", c.d.block_tokens,
             (unsigned long long)c.d.row_bytes, (unsigned long long)c.n,
             index_bytes * 8, c.slots.empty() ? "staging" : "scattered");
    return bad;
  }
};

static int check_one(int v, xfer_case &c, int index_bytes, lab_rng &r) {
  check_bufs b(c, r);
  dev_lists l(c, index_bytes);
  run_version(v, c, l, 4, 0);
  cudaCheck(cudaGetLastError());
  cudaCheck(cudaDeviceSynchronize());
  return b.verify(c, kVersionName[v], index_bytes);
}

/* v6..v9 or the library with two transfers in one launch (own buffers
 * each) */
static int check_pair(int v, xfer_case &c0, xfer_case &c1, int index_bytes,
                      int sms, lab_rng &r) {
  check_bufs b0(c0, r), b1(c1, r);
  dev_lists l0(c0, index_bytes), l1(c1, index_bytes);
  run_pair(v, c0, l0, c1, l1, sms, 0);
  cudaCheck(cudaGetLastError());
  cudaCheck(cudaDeviceSynchronize());
  char name[32];
  snprintf(name, sizeof name, "%s pair [0]", kVersionName[v]);
  int bad = b0.verify(c0, name, index_bytes);
  snprintf(name, sizeof name, "%s pair [1]", kVersionName[v]);
  bad |= b1.verify(c1, name, index_bytes);
  return bad;
}

/* the library launcher on blocks of `threads` threads
 * (kv_transfer_launch_threads) */
static int check_threads(int threads, xfer_case &c, int index_bytes,
                         lab_rng &r) {
  check_bufs b(c, r);
  dev_lists l(c, index_bytes);
  cudaCheck(kv_transfer_launch_threads(&c.d, c.dir, c.n, l.ids, l.slots,
                                       l.index_bytes, 4, threads, 0));
  cudaCheck(cudaDeviceSynchronize());
  char name[32];
  snprintf(name, sizeof name, "lib %d threads", threads);
  return b.verify(c, name, index_bytes);
}

static int run_checks(lab_rng &r) {
  const uint64_t rows[] = {2048, 2050, 48, 6};
  const uint32_t tokens[] = {1, 3, 16};
  const uint64_t ns[] = {0, 1, 37};
  int fails = 0, runs = 0;
  for (int v : kVersions)
    for (int layout = 0; layout < 2; layout++)
      for (int dir = 0; dir < 2; dir++)
        for (uint64_t row : rows)
          for (uint32_t t : tokens)
            for (uint64_t n : ns)
              for (int ib = 4; ib <= 8; ib += 4)
                for (int sc = 0; sc < 2; sc++) {
                  if (t == 16 && row > 48 && n > 1 && (ib == 8 || sc == 0))
                    continue; /* keep the large cases few */
                  xfer_case c = make_case(layout, dir, 3, t, row, n, n * 2 + 3,
                                          2 * n + 1, sc, r);
                  fails += check_one(v, c, ib, r);
                  runs++;
                }
  /* v6..v9 and the library's pair launcher with both directions (or one
   * twice) in one launch: mixed layouts, sizes, alignments (v8/v9: an
   * unaligned transfer beside an aligned one takes v6's path in the bulk
   * kernel) and empty sides, on 1, 3 and 8 blocks */
  int pfails = 0, pruns = 0;
  const uint64_t prow[] = {2048, 2050, 48};
  for (int v : {6, 7, 8, 9, (int)kLib})
    for (int layout = 0; layout < 2; layout++)
      for (int dir0 = 0; dir0 < 2; dir0++)
        for (uint64_t row : prow)
          for (uint64_t n0 : {0ull, 5ull, 37ull})
            for (int ib = 4; ib <= 8; ib += 4) {
              uint64_t n1 = n0 == 5 ? 0 : 41 - n0 / 4;
              xfer_case c0 = make_case(layout, dir0, 3, row == 48 ? 16 : 1, row,
                                       n0, n0 * 2 + 3, 2 * n0 + 1, true, r);
              int dir1 = row == 48 ? dir0 : 1 - dir0; /* 48: same twice */
              xfer_case c1 = make_case(1 - layout, dir1, 2, 3, 2048, n1,
                                       n1 * 2 + 3, 2 * n1 + 1, n0 != 37, r);
              pfails += check_pair(v, c0, c1, ib,
                                   n0 == 0   ? 1
                                   : n0 == 5 ? 3
                                             : 8,
                                   r);
              pruns++;
            }
  /* the library launcher on each block size it has: both layouts and
   * directions, every row, token and list length above, scattered slots,
   * int32 lists; a block size it has not is refused */
  int tfails = 0, truns = 0;
  for (int threads : kvx::kBlockSizes)
    for (int layout = 0; layout < 2; layout++)
      for (int dir = 0; dir < 2; dir++)
        for (uint64_t row : rows)
          for (uint32_t t : tokens)
            for (uint64_t n : ns) {
              xfer_case c = make_case(layout, dir, 3, t, row, n, n * 2 + 3,
                                      2 * n + 1, true, r);
              tfails += check_threads(threads, c, 4, r);
              truns++;
            }
  {
    xfer_case c = make_case(1, 1, 3, 1, 2048, 1, 5, 3, true, r);
    check_bufs b(c, r);
    dev_lists l(c, 4);
    if (kv_transfer_launch_threads(&c.d, c.dir, c.n, l.ids, l.slots, 4, 4, 100,
                                   0) != cudaErrorInvalidValue) {
      printf("MISMATCH lib: 100 threads per block not refused\n");
      tfails++;
    }
    truns++;
  }
  printf("transfer check: %d cases, %d failed; pairs (v6..v9, lib): %d "
         "cases, %d failed; lib by threads per block: %d cases, %d failed\n",
         runs, fails, pruns, pfails, truns, tfails);
  return fails + pfails + tfails;
}

/* ---- timing ------------------------------------------------------------ */

struct bench_bufs {
  char *dev = nullptr, *host = nullptr;
  size_t dev_bytes = 0, host_bytes = 0;
  bench_bufs(size_t db, size_t hb, lab_rng &r) : dev_bytes(db), host_bytes(hb) {
    cudaCheck(cudaMalloc(&dev, db));
    cudaCheck(cudaHostAlloc((void **)&host, hb, cudaHostAllocMapped));
    std::vector<unsigned char> tmp(db);
    lab_fill_random(tmp.data(), db, r);
    cudaCheck(cudaMemcpy(dev, tmp.data(), db, cudaMemcpyHostToDevice));
    lab_fill_random(host, hb, r);
  }
  ~bench_bufs() {
    cudaFree(dev);
    cudaFreeHost(host);
  }
};

/* One transfer case of `total` bytes placed in fresh buffers. */
struct bench_case {
  xfer_case c;
  bench_bufs *b;
  dev_lists *l;
  bench_case(int layout, int dir, uint32_t layers, uint32_t tokens,
             uint64_t row, uint64_t total, int ib, lab_rng &r) {
    kv_xfer_desc d = {};
    d.layers = layers;
    d.block_tokens = tokens;
    d.row_bytes = row;
    uint64_t block = kv_xfer_block_bytes(&d);
    uint64_t n = total / block ? total / block : 1;
    c = make_case(layout, dir, layers, tokens, row, n, 2 * n, 2 * n, true, r);
    b = new bench_bufs((size_t)(2 * n * block), (size_t)(2 * n * block), r);
    c.d.dev_base = b->dev;
    c.d.host_base = b->host;
    l = new dev_lists(c, ib);
  }
  ~bench_case() {
    delete l;
    delete b;
  }
  double bytes() const {
    return (double)c.n * kv_xfer_block_bytes(&c.d);
  }
  double gbps(int v, int sms, lab_l2_flusher &l2, cudaStream_t st) {
    int reps = (v == 0 || v == 1) ? 3 : 7;
    double ms = lab_time_ms(
        reps, st, l2, [&](cudaStream_t s) { run_version(v, c, *l, sms, s); });
    return lab_gbps(bytes(), ms);
  }
};

/* Both directions at once: median total time and the time each direction
 * took from the common start (events on both streams), over `reps` cold-L2
 * runs after one warm-up. issue(s_out, s_in) launches the work. */
struct duplex_ms {
  double all, out, in;
};

template <class F>
static duplex_ms time_duplex(int reps, cudaStream_t s, cudaStream_t s2,
                             lab_l2_flusher &l2, F issue) {
  cudaEvent_t a, bo, bi, fork;
  cudaCheck(cudaEventCreate(&a));
  cudaCheck(cudaEventCreate(&bo));
  cudaCheck(cudaEventCreate(&bi));
  cudaCheck(cudaEventCreateWithFlags(&fork, cudaEventDisableTiming));
  std::vector<double> ta, to, ti;
  for (int i = -1; i < reps; i++) {
    l2.flush(s);
    cudaCheck(cudaEventRecord(a, s));
    cudaCheck(cudaEventRecord(fork, s));
    cudaCheck(cudaStreamWaitEvent(s2, fork, 0));
    issue(s, s2);
    cudaCheck(cudaEventRecord(bo, s));
    cudaCheck(cudaEventRecord(bi, s2));
    cudaCheck(cudaEventSynchronize(bo));
    cudaCheck(cudaEventSynchronize(bi));
    cudaCheckLaunch();
    float mo = 0.f, mi = 0.f;
    cudaCheck(cudaEventElapsedTime(&mo, a, bo));
    cudaCheck(cudaEventElapsedTime(&mi, a, bi));
    if (i < 0) continue; /* warm-up */
    to.push_back(mo);
    ti.push_back(mi);
    ta.push_back(std::max(mo, mi));
  }
  cudaCheck(cudaEventDestroy(a));
  cudaCheck(cudaEventDestroy(bo));
  cudaCheck(cudaEventDestroy(bi));
  cudaCheck(cudaEventDestroy(fork));
  return {lab_median(ta), lab_median(to), lab_median(ti)};
}

static void print_duplex(const char *what, double bytes_out, double bytes_in,
                         duplex_ms t, bool per_dir) {
  printf("  %-34s %8.2f", what, lab_gbps(bytes_out + bytes_in, t.all));
  if (per_dir)
    printf("   H2D %6.2f  D2H %6.2f  (ms: H2D %.3f, D2H %.3f)",
           lab_gbps(bytes_in, t.in), lab_gbps(bytes_out, t.out), t.in, t.out);
  printf("\n");
}

static void run_duplex(lab_rng &r, lab_l2_flusher &l2, cudaStream_t st,
                       double ce_duplex, bool quick) {
  const uint32_t layers = 32;
  const uint64_t row = 2048;
  const uint64_t total = 64ull << 20;
  cudaStream_t s2;
  cudaCheck(cudaStreamCreateWithFlags(&s2, cudaStreamNonBlocking));
  printf("\nboth directions at once (layer-first, row 2048 B, 64 MiB each way, "
         "GB/s aggregate = 128 MiB / time until both are done; per "
         "direction: its bytes / its own time from the common start; "
         "copy-engine duplex of 256 MiB each way %.2f):\n",
         ce_duplex);
  /* two kernels on two streams: SMs for H2D + SMs for D2H */
  const int splits[][2] = {{8, 8},  {8, 4},  {16, 16}, {32, 32}, {8, 2},
                           {16, 8}, {16, 4}, {16, 2},  {32, 8},  {4, 8}};
  const int nsplits = quick ? 2 : (int)(sizeof splits / sizeof splits[0]);
  const std::vector<int> two_stream =
      quick ? std::vector<int>{3} : std::vector<int>{3, 4, 5};
  const std::vector<int> pair_sms =
      quick ? std::vector<int>{4, 8, 16} : std::vector<int>{4, 8, 16, 32, 64};
  for (uint32_t t : {1u, 16u}) {
    bench_case out(KV_LAYOUT_LAYER_FIRST, KV_XFER_D2H, layers, t, row, total, 4,
                   r);
    bench_case in(KV_LAYOUT_LAYER_FIRST, KV_XFER_H2D, layers, t, row, total, 4,
                  r);
    printf(" tokens %u (segment %llu B), two streams, SMs H2D+D2H:\n", t,
           (unsigned long long)seg_bytes_of(out.c.d));
    for (int v : two_stream)
      for (int k = 0; k < nsplits; k++) {
        const int *sp = splits[k];
        duplex_ms m =
            time_duplex(7, st, s2, l2, [&](cudaStream_t so, cudaStream_t si) {
              run_version(v, out.c, *out.l, sp[1], so);
              run_version(v, in.c, *in.l, sp[0], si);
            });
        char what[64];
        snprintf(what, sizeof what, "%s %2d+%-2d", kVersionName[v], sp[0],
                 sp[1]);
        print_duplex(what, out.bytes(), in.bytes(), m, true);
      }
    printf(" tokens %u, one kernel for both directions (tickets; lib = "
           "kv_transfer_pair_launch), SMs in all:\n",
           t);
    for (int v : {6, 7, 8, 9, (int)kLib})
      for (int sms : pair_sms) {
        duplex_ms m =
            time_duplex(7, st, s2, l2, [&](cudaStream_t so, cudaStream_t) {
              run_pair(v, in.c, *in.l, out.c, *out.l, sms, so);
            });
        char what[64];
        snprintf(what, sizeof what, "%s %2d", kVersionName[v], sms);
        print_duplex(what, out.bytes(), in.bytes(), m, false);
      }
    if (t != 1 || quick) continue;
    /* where the limit sits: copy engine in one direction, SMs (v5, 8) in
     * the other, over contiguous 64 MiB copy-engine transfers */
    char *cd = nullptr, *ch = nullptr;
    cudaCheck(cudaMalloc(&cd, 2 * total));
    cudaCheck(cudaHostAlloc((void **)&ch, 2 * total, cudaHostAllocDefault));
    memset(ch, 0x3c, 2 * total);
    printf(" copy engine vs SMs, one direction each (CE: one %llu MiB "
           "cudaMemcpyAsync, pinned; SMs: v5 on 8, tokens 1):\n",
           (unsigned long long)(total >> 20));
    duplex_ms m =
        time_duplex(7, st, s2, l2, [&](cudaStream_t so, cudaStream_t si) {
          cudaCheck(cudaMemcpyAsync(ch, cd, total, cudaMemcpyDeviceToHost, so));
          cudaCheck(cudaMemcpyAsync(cd + total, ch + total, total,
                                    cudaMemcpyHostToDevice, si));
        });
    print_duplex("CE H2D + CE D2H", (double)total, (double)total, m, true);
    m = time_duplex(7, st, s2, l2, [&](cudaStream_t so, cudaStream_t si) {
      cudaCheck(cudaMemcpyAsync(ch, cd, total, cudaMemcpyDeviceToHost, so));
      run_version(5, in.c, *in.l, 8, si);
    });
    print_duplex("SM H2D + CE D2H", (double)total, in.bytes(), m, true);
    m = time_duplex(7, st, s2, l2, [&](cudaStream_t so, cudaStream_t si) {
      run_version(5, out.c, *out.l, 8, so);
      cudaCheck(cudaMemcpyAsync(cd + total, ch + total, total,
                                cudaMemcpyHostToDevice, si));
    });
    print_duplex("CE H2D + SM D2H", out.bytes(), (double)total, m, true);
    cudaCheck(cudaFree(cd));
    cudaCheck(cudaFreeHost(ch));
  }
  printf("(target >= 85 GB/s aggregate)\n");
  cudaCheck(cudaStreamDestroy(s2));
}

/* the single-direction tables' shape (run_bench's helpers): 32 layers,
 * rows of 2048 B, ~64 MiB per transfer, 8 SMs for kernels */
static const uint32_t kBenchLayers = 32;
/* Llama-3-8B: 8 KV heads x 128 x 2 bytes */
static const uint64_t kBenchRow = 2048;
static const uint64_t kBenchTotal = 64ull << 20;
static const int kBenchSms = 8;

/* The scattered-blocks table: every version (and the memcpy baseline) by
 * layout, direction and tokens per block, against the copy-engine peak pk
 * of that direction. */
static void bench_scattered(lab_rng &r, lab_l2_flusher &l2, cudaStream_t st,
                            const lab_ce_peak &pk, bool quick) {
  const std::vector<uint32_t> tokens =
      quick ? std::vector<uint32_t>{1, 16}
            : std::vector<uint32_t>{1, 2, 4, 8, 16, 32};
  printf("\nscattered blocks, %u layers, row %llu B, ~64 MiB per transfer, "
         "int32 ids, random device blocks and host slots, %d SMs for "
         "kernels%s\n",
         kBenchLayers, (unsigned long long)kBenchRow, kBenchSms,
         quick ? " (quick: v1, v2 and memcpy not timed, '-')" : "");
  printf("%-11s %-3s %6s %9s %9s |", "layout", "dir", "tokens", "seg_B",
         "bytes");
  for (int v = 1; v <= kLib; v++)
    printf(" %6s", kVersionName[v]);
  printf(" | %6s | %9s %6s | %7s\n", "%peak", "best", "%peak", "memcpy");
  int target_miss = 0;
  for (int layout = 0; layout < 2; layout++)
    for (int dir = 0; dir < 2; dir++)
      for (uint32_t t : tokens) {
        bench_case bc(layout, dir, kBenchLayers, t, kBenchRow, kBenchTotal, 4,
                      r);
        double g[kLib + 1];
        double best = 0;
        int bv = 0;
        for (int v = 0; v <= kLib; v++) {
          bool skip = quick && v <= 2;
          g[v] = skip ? -1.0 : bc.gbps(v, kBenchSms, l2, st);
          if (v >= 1 && v < kLib && g[v] > best) {
            best = g[v];
            bv = v;
          }
        }
        double peak = dir == KV_XFER_D2H ? pk.d2h : pk.h2d;
        double pct = 100.0 * g[kLib] / peak;
        if (pct < 90.0) target_miss++;
        printf("%-11s %-3s %6u %9llu %9.0f |",
               layout ? "page-first" : "layer-first", dir ? "H2D" : "D2H", t,
               (unsigned long long)seg_bytes_of(bc.c.d), bc.bytes());
        for (int v = 1; v <= kLib; v++)
          if (g[v] < 0)
            printf(" %6s", "-");
          else
            printf(" %6.2f", g[v]);
        printf(" | %5.1f%% | v%d %6.2f %5.1f%% |", pct, bv, best,
               100.0 * best / peak);
        if (g[0] < 0)
          printf(" %7s\n", "-");
        else
          printf(" %7.2f\n", g[0]);
      }
  printf("(GB/s; lib = kv_transfer_launch, the promoted version; %%peak = "
         "GB/s / copy-engine peak of that direction; rows where lib is under "
         "90%%: %d)\n",
         target_miss);
}

/* v6, v8 and v9 alone by SMs used, one direction at a time. */
static void bench_bulk_by_sms(lab_rng &r, lab_l2_flusher &l2, cudaStream_t st) {
  /* bulk-copy versions against v6 by SMs used, one direction */
  printf("\nv6, v8, v9 alone by SMs used (layer-first, GB/s):\n");
  printf("%-3s %6s %-3s |", "dir", "tokens", "ver");
  const int smb[] = {1, 2, 4, 8, 16};
  for (int s : smb)
    printf(" %6d", s);
  printf("\n");
  for (int dir = 0; dir < 2; dir++)
    for (uint32_t t : {1u, 16u}) {
      bench_case bc(KV_LAYOUT_LAYER_FIRST, dir, kBenchLayers, t, kBenchRow,
                    kBenchTotal, 4, r);
      for (int v : {6, 8, 9}) {
        printf("%-3s %6u %-3s |", dir ? "H2D" : "D2H", t, kVersionName[v]);
        for (int s : smb)
          printf(" %6.2f", bc.gbps(v, s, l2, st));
        printf("\n");
      }
    }
}

/* The library launcher by SMs used, one direction at a time. */
static void bench_lib_by_sms(lab_rng &r, lab_l2_flusher &l2, cudaStream_t st) {
  /* SMs sweep with the library launcher */
  printf("\nkv_transfer_launch by SMs used (layer-first, GB/s):\n");
  printf("%-3s %6s |", "dir", "tokens");
  const int smv[] = {1, 2, 4, 8, 16, 32};
  for (int s : smv)
    printf(" %6d", s);
  printf("\n");
  for (int dir = 0; dir < 2; dir++)
    for (uint32_t t : {1u, 16u}) {
      bench_case bc(KV_LAYOUT_LAYER_FIRST, dir, kBenchLayers, t, kBenchRow,
                    kBenchTotal, 4, r);
      printf("%-3s %6u |", dir ? "H2D" : "D2H", t);
      for (int s : smv)
        printf(" %6.2f", bc.gbps(kLib, s, l2, st));
      printf("\n");
    }
}

/* Unaligned rows and int64 lists: lib and v8 on 8 SMs. */
static void bench_other_cases(lab_rng &r, lab_l2_flusher &l2, cudaStream_t st) {
  /* unaligned rows and int64 lists, for the record */
  printf("\nother cases (8 SMs, layer-first, GB/s; lib, and v8 which takes "
         "v6's path when unaligned):\n");
  for (int dir = 0; dir < 2; dir++)
    for (uint32_t t : {1u, 16u}) {
      bench_case u(KV_LAYOUT_LAYER_FIRST, dir, kBenchLayers, t, 2050,
                   kBenchTotal, 4, r);
      bench_case w(KV_LAYOUT_LAYER_FIRST, dir, kBenchLayers, t, kBenchRow,
                   kBenchTotal, 8, r);
      printf("  %s tokens %2u: row 2050 B (unaligned) lib %.2f v8 %.2f   "
             "int64 ids lib %.2f v8 %.2f\n",
             dir ? "H2D" : "D2H", t, u.gbps(kLib, kBenchSms, l2, st),
             u.gbps(8, kBenchSms, l2, st), w.gbps(kLib, kBenchSms, l2, st),
             w.gbps(8, kBenchSms, l2, st));
    }
}

static void run_bench(lab_rng &r, bool duplex_only, bool quick) {
  lab_l2_flusher l2;
  cudaStream_t st;
  cudaCheck(cudaStreamCreateWithFlags(&st, cudaStreamNonBlocking));
  lab_ce_peak pk = lab_measure_ce_peak(l2);
  printf("\ncopy-engine peak (one cudaMemcpyAsync of 256 MiB, pinned):\n");
  printf("  H2D %.2f GB/s   D2H %.2f GB/s   both at once %.2f GB/s "
         "aggregate\n",
         pk.h2d, pk.d2h, pk.duplex);
  run_duplex(r, l2, st, pk.duplex, quick);
  if (duplex_only) {
    cudaCheck(cudaStreamDestroy(st));
    return;
  }

  bench_scattered(r, l2, st, pk, quick);
  bench_bulk_by_sms(r, l2, st);
  if (quick) {
    cudaCheck(cudaStreamDestroy(st));
    return;
  }
  bench_lib_by_sms(r, l2, st);
  bench_other_cases(r, l2, st);
  cudaCheck(cudaStreamDestroy(st));
}

int main(int argc, char **argv) {
  lab_require_device();
  bool check_only = lab_has_flag(argc, argv, "--check");
  bool duplex_only = lab_has_flag(argc, argv, "--duplex");
  bool quick = lab_has_flag(argc, argv, "--quick");
  uint64_t seed = 20261122;
  printf("transfer lab, seed %llu\n", (unsigned long long)seed);
  lab_print_device();
  lab_rng r(seed);
  cudaCheck(cudaMalloc(&g_ctr, 2 * sizeof(unsigned long long)));
  cudaCheck(cudaMemset(g_ctr, 0, 2 * sizeof(unsigned long long)));
  int fails = run_checks(r);
  if (fails) {
    printf("FAILED\n");
    return 1;
  }
  printf("all versions match the CPU reference\n");
  if (!check_only) run_bench(r, duplex_only, quick);
  cudaCheck(cudaFree(g_ctr));
  return 0;
}
