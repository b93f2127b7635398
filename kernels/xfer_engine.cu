/* xfer_engine.cu - kernel lab for the transfer engine (kv_xfer_engine.cu): KV
 * block transfers split between the copy engines (DMA through a device staging
 * ring for a layer-first cache) and the SM copy kernel.
 * Checks the engine against a CPU reference first: both layouts, both
 * directions, one or two transfers at once, lists of length 0, 1, 37 and
 * 100, aligned and unaligned rows, copy-engine shares of 0, 1/2 and all,
 * a staging ring smaller than the list, a block larger than a chunk, and
 * two runs queued back to back that depend on each other. Then times, with
 * 64 MiB per direction of Llama-3-8B rows, each direction alone and both at
 * once for the SM pair kernel alone, the engine with its defaults and the
 * engine with the copy engines only, beside the copy-engine peak of the
 * same run; and the engine by copy-engine share and SMs.
 * Usage: lab_xfer_engine [--check] [--plain]
 *   --plain  the engine copies with one cudaMemcpyAsync per run instead of
 *            batches (compute-sanitizer's initcheck does not count batched
 *            copies as writes; see --batch-probe)
 *   --batch-probe  one batched host-to-device copy into fresh device
 *            memory, a device sync, then a kernel reads it: nothing else
 * Exit 77 when there is no CUDA device.
 * Main entry point: main().
 */
#include "common.cuh"
#include "kv_kernels.h"
#include "transfer_lab.cuh"
#include "xfer_ref.cuh"

#include <chrono>

struct xfer_case {
  kv_xfer_desc d;
  int dir;
  std::vector<int64_t> ids, slots;
  uint64_t n() const {
    return ids.size();
  }
  kv_xfer_job x() const {
    return {&d, dir, n(), ids.data(), slots.data()};
  }
};

/* CPU reference on host copies of the device cache and the host area */
static void cpu_transfer(const xfer_case &c, unsigned char *dev,
                         unsigned char *host) {
  kvref::apply(c.d, c.dir, c.n(), c.ids.data(), c.slots.data(), dev, host);
}

/* n random distinct blocks out of dev_blocks, slots out of host_slots */
static xfer_case make_case(const kv_xfer_desc &shape, int dir, uint64_t n,
                           uint64_t host_slots, lab_rng &r) {
  xfer_case c;
  c.d = shape;
  c.dir = dir;
  std::vector<uint64_t> p = lab_permutation(shape.dev_blocks, r);
  std::vector<uint64_t> q = lab_permutation(host_slots, r);
  for (uint64_t i = 0; i < n; i++) {
    c.ids.push_back((int64_t)p[i]);
    c.slots.push_back((int64_t)q[i]);
  }
  return c;
}

static kv_xfer_desc shape(int layout, uint32_t layers, uint32_t tokens,
                          uint64_t row, uint64_t dev_blocks) {
  kv_xfer_desc d = {};
  d.layers = layers;
  d.block_tokens = tokens;
  d.row_bytes = row;
  d.dev_blocks = dev_blocks;
  d.layout = layout;
  return d;
}

/* ---- correctness ------------------------------------------------------ */

/* One device cache and one mapped host area with random contents, plus
 * their CPU copies. */
struct check_bufs {
  std::vector<unsigned char> hd, hh;
  char *dd = nullptr, *hp = nullptr;
  check_bufs(size_t dev_bytes, size_t host_bytes, lab_rng &r)
      : hd(dev_bytes), hh(host_bytes) {
    lab_fill_random(hd.data(), dev_bytes, r);
    lab_fill_random(hh.data(), host_bytes, r);
    cudaCheck(cudaMalloc(&dd, dev_bytes + 1));
    cudaCheck(cudaHostAlloc((void **)&hp, host_bytes + 1, cudaHostAllocMapped));
    cudaCheck(cudaMemcpy(dd, hd.data(), dev_bytes, cudaMemcpyHostToDevice));
    memcpy(hp, hh.data(), host_bytes);
  }
  ~check_bufs() {
    cudaFree(dd);
    cudaFreeHost(hp);
  }
  void bind(xfer_case &c) {
    c.d.dev_base = dd;
    c.d.host_base = hp;
  }
  bool same() {
    std::vector<unsigned char> g(hd.size());
    cudaCheck(cudaMemcpy(g.data(), dd, hd.size(), cudaMemcpyDeviceToHost));
    return memcmp(g.data(), hd.data(), hd.size()) == 0 &&
           memcmp(hp, hh.data(), hh.size()) == 0;
  }
};

static int check_single(kv_xfer_engine *e, const kv_xfer_desc &sh, int dir,
                        uint64_t n, lab_rng &r, cudaStream_t s) {
  uint64_t block = kv_xfer_block_bytes(&sh), hs = 2 * n + 1;
  check_bufs b(sh.dev_blocks * block, hs * block, r);
  xfer_case c = make_case(sh, dir, n, hs, r);
  b.bind(c);
  kv_xfer_job x = c.x();
  cudaCheck(kv_xfer_engine_run(e, 1, &x, s));
  cudaCheck(cudaStreamSynchronize(s));
  cpu_transfer(c, b.hd.data(), b.hh.data());
  return b.same() ? 0 : 1;
}

/* two transfers in one run, each on its own buffers */
static int check_two(kv_xfer_engine *e, const kv_xfer_desc &s0, int dir0,
                     uint64_t n0, const kv_xfer_desc &s1, int dir1, uint64_t n1,
                     lab_rng &r, cudaStream_t s) {
  uint64_t b0 = kv_xfer_block_bytes(&s0), b1 = kv_xfer_block_bytes(&s1);
  check_bufs u(s0.dev_blocks * b0, (2 * n0 + 1) * b0, r),
      v(s1.dev_blocks * b1, (2 * n1 + 1) * b1, r);
  xfer_case c0 = make_case(s0, dir0, n0, 2 * n0 + 1, r);
  xfer_case c1 = make_case(s1, dir1, n1, 2 * n1 + 1, r);
  u.bind(c0);
  v.bind(c1);
  kv_xfer_job x[2] = {c0.x(), c1.x()};
  cudaCheck(kv_xfer_engine_run(e, 2, x, s));
  cudaCheck(cudaStreamSynchronize(s));
  cpu_transfer(c0, u.hd.data(), u.hh.data());
  cpu_transfer(c1, v.hd.data(), v.hh.data());
  return u.same() && v.same() ? 0 : 1;
}

/* two runs queued without a wait: blocks out to host slots, then those
 * slots back into other blocks; the second must see the first's data */
static int check_chain(kv_xfer_engine *e, const kv_xfer_desc &sh, uint64_t n,
                       lab_rng &r, cudaStream_t s) {
  uint64_t block = kv_xfer_block_bytes(&sh);
  check_bufs b(sh.dev_blocks * block, (2 * n + 1) * block, r);
  std::vector<uint64_t> p = lab_permutation(sh.dev_blocks, r);
  xfer_case out = make_case(sh, KV_XFER_D2H, n, 2 * n + 1, r);
  xfer_case in = out;
  in.dir = KV_XFER_H2D;
  for (uint64_t i = 0; i < n; i++) {
    out.ids[i] = (int64_t)p[i];
    in.ids[i] = (int64_t)p[n + i];
  }
  b.bind(out);
  b.bind(in);
  kv_xfer_job x0 = out.x(), x1 = in.x();
  cudaCheck(kv_xfer_engine_run(e, 1, &x0, s));
  cudaCheck(kv_xfer_engine_run(e, 1, &x1, s));
  cudaCheck(cudaStreamSynchronize(s));
  cpu_transfer(out, b.hd.data(), b.hh.data());
  cpu_transfer(in, b.hd.data(), b.hh.data());
  return b.same() ? 0 : 1;
}

static int g_plain = 0; /* --plain */

static int run_checks(lab_rng &r, cudaStream_t s) {
  struct variant {
    uint64_t chunk;
    int ring;
    double f;
    uint64_t large;
    int stage_v, pair_v; /* kernel versions */
  };
  /* 3 layers x 2 tokens x 48 B rows: 576 B blocks; 1728 B chunks hold 3 */
  const variant vs[] = {{1728, 2, 0.5, 1ull << 20, 3, 6},
                        {1728, 2, 0.0, 1ull << 20, 3, 6},
                        {1ull << 20, 3, 1.0, 1ull << 20, 3, 6},
                        {4096, 1, 0.85, 512, 3, 6},
                        {1728, 2, 0.5, 1ull << 20, 9, 8},
                        {1ull << 20, 3, 0.85, 1ull << 20, 6, 9}};
  int runs = 0, fails = 0;
  for (const variant &v : vs) {
    kv_xfer_engine_opts o;
    kv_xfer_engine_default_opts(&o);
    o.chunk_bytes = v.chunk;
    o.ring = v.ring;
    o.ce_fraction_small = v.f;
    o.large_block = v.large;
    o.stage_sms = 3;
    o.pair_sms = 5;
    o.plain_copies = g_plain;
    o.stage_version = v.stage_v;
    o.pair_version = v.pair_v;
    kv_xfer_engine *e = nullptr;
    cudaCheck(kvx::lab_engine_create(&e, &o));
    for (int layout = 0; layout < 2; layout++)
      for (uint64_t row : {48ull, 50ull})
        for (uint64_t n : {0ull, 1ull, 37ull, 100ull}) {
          kv_xfer_desc sh = shape(layout, 3, 2, row, 2 * n + 3);
          for (int dir = 0; dir < 2; dir++) {
            int bad = check_single(e, sh, dir, n, r, s);
            if (bad)
              printf("MISMATCH single chunk=%llu f=%.2f layout=%d row=%llu "
                     "n=%llu dir=%d\n",
                     (unsigned long long)v.chunk, v.f, layout,
                     (unsigned long long)row, (unsigned long long)n, dir);
            fails += bad;
            runs++;
          }
          /* both directions at once, the other layout and a shorter list
           * on the other side; then one direction twice */
          kv_xfer_desc sh1 = shape(1 - layout, 2, 3, 48, n + 9);
          for (int same = 0; same < 2; same++) {
            int bad =
                check_two(e, sh, KV_XFER_D2H, n, sh1,
                          same ? KV_XFER_D2H : KV_XFER_H2D, n / 2 + 1, r, s);
            if (bad)
              printf("MISMATCH two chunk=%llu f=%.2f layout=%d row=%llu "
                     "n=%llu same=%d\n",
                     (unsigned long long)v.chunk, v.f, layout,
                     (unsigned long long)row, (unsigned long long)n, same);
            fails += bad;
            runs++;
          }
        }
    for (int layout = 0; layout < 2; layout++) {
      int bad = check_chain(e, shape(layout, 3, 2, 48, 90), 40, r, s);
      /* a layer-first block of 12 KiB: larger than a 1728 B chunk */
      bad |=
          check_single(e, shape(layout, 4, 8, 192, 30), KV_XFER_H2D, 13, r, s);
      if (bad)
        printf("MISMATCH chain/large chunk=%llu layout=%d\n",
               (unsigned long long)v.chunk, layout);
      fails += bad;
      runs += 2;
    }
    kv_xfer_engine_destroy(e);
  }
  /* bad arguments are refused, not run */
  kv_xfer_engine *e = nullptr;
  kv_xfer_engine_opts o;
  kv_xfer_engine_default_opts(&o);
  o.ring = 0;
  int refused = kv_xfer_engine_create(&e, &o) == cudaErrorInvalidValue && !e;
  kv_xfer_engine_default_opts(&o);
  o.pair_version = 7; /* a lab version: the library's engine lacks it */
  refused &= kv_xfer_engine_create(&e, &o) == cudaErrorNotSupported && !e;
  cudaCheck(kv_xfer_engine_create(&e, nullptr));
  kv_xfer_desc sh = shape(KV_LAYOUT_PAGE_FIRST, 1, 1, 16, 4);
  kv_xfer_job x = {&sh, 7, 1, nullptr, nullptr};
  refused &= kv_xfer_engine_run(e, 1, &x, s) == cudaErrorInvalidValue;
  refused &= kv_xfer_engine_run(e, 3, &x, s) == cudaErrorInvalidValue;
  kv_xfer_engine_destroy(e);
  if (!refused) printf("MISMATCH: bad arguments were not refused\n");
  fails += !refused;
  runs++;
  printf("engine check: %d cases, %d failed\n", runs, fails);
  return fails;
}

/* ---- timing ------------------------------------------------------------ */

struct bench_side {
  xfer_case c;
  char *dev = nullptr, *host = nullptr;
  int64_t *ids_dev = nullptr, *slots_dev = nullptr; /* for the SM kernel */
  bench_side(int layout, int dir, uint32_t tokens, uint64_t total, lab_rng &r) {
    kv_xfer_desc sh = shape(layout, 32, tokens, 2048, 0);
    uint64_t block = kv_xfer_block_bytes(&sh), n = total / block;
    sh.dev_blocks = 2 * n;
    c = make_case(sh, dir, n, 2 * n, r);
    size_t bytes = (size_t)(2 * n * block);
    cudaCheck(cudaMalloc(&dev, bytes));
    cudaCheck(cudaHostAlloc((void **)&host, bytes, cudaHostAllocMapped));
    std::vector<unsigned char> tmp(bytes);
    lab_fill_random(tmp.data(), bytes, r);
    cudaCheck(cudaMemcpy(dev, tmp.data(), bytes, cudaMemcpyHostToDevice));
    memcpy(host, tmp.data(), bytes);
    c.d.dev_base = dev;
    c.d.host_base = host;
    cudaCheck(cudaMalloc(&ids_dev, n * 8));
    cudaCheck(cudaMalloc(&slots_dev, n * 8));
    cudaCheck(cudaMemcpy(ids_dev, c.ids.data(), n * 8, cudaMemcpyHostToDevice));
    cudaCheck(
        cudaMemcpy(slots_dev, c.slots.data(), n * 8, cudaMemcpyHostToDevice));
  }
  ~bench_side() {
    cudaFree(ids_dev);
    cudaFree(slots_dev);
    cudaFree(dev);
    cudaFreeHost(host);
  }
  double bytes() const {
    return (double)c.n() * kv_xfer_block_bytes(&c.d);
  }
};

static void ce_peak(lab_l2_flusher &l2) {
  lab_ce_peak p = lab_measure_ce_peak(l2);
  printf("copy-engine peak (one 256 MiB cudaMemcpyAsync, pinned): H2D %.2f  "
         "D2H %.2f  both at once %.2f GB/s\n",
         p.h2d, p.d2h, p.duplex);
}

/* GB/s of the engine on out alone, in alone, and both in one run */
static void time_engine(kv_xfer_engine *e, bench_side &out, bench_side &in,
                        lab_l2_flusher &l2, cudaStream_t s, double g[4]) {
  kv_xfer_job xo = out.c.x(), xi = in.c.x();
  kv_xfer_job both[2] = {xo, xi};
  g[0] = lab_gbps(out.bytes(), lab_time_ms(7, s, l2, [&](cudaStream_t t) {
                    cudaCheck(kv_xfer_engine_run(e, 1, &xo, t));
                  }));
  g[1] = lab_gbps(in.bytes(), lab_time_ms(7, s, l2, [&](cudaStream_t t) {
                    cudaCheck(kv_xfer_engine_run(e, 1, &xi, t));
                  }));
  g[2] = lab_gbps(out.bytes() + in.bytes(),
                  lab_time_ms(7, s, l2, [&](cudaStream_t t) {
                    cudaCheck(kv_xfer_engine_run(e, 2, both, t));
                  }));
  /* host time of one call that queues both (the GPU idle before it) */
  std::vector<double> us;
  for (int i = 0; i < 7; i++) {
    cudaCheck(cudaStreamSynchronize(s));
    auto t0 = std::chrono::steady_clock::now();
    cudaCheck(kv_xfer_engine_run(e, 2, both, s));
    auto t1 = std::chrono::steady_clock::now();
    us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
  }
  cudaCheck(cudaStreamSynchronize(s));
  g[3] = lab_median(us);
}

static void run_bench(lab_rng &r, cudaStream_t s) {
  lab_l2_flusher l2;
  ce_peak(l2);
  unsigned long long *ctr = nullptr;
  cudaCheck(cudaMalloc(&ctr, 16));
  cudaCheck(cudaMemset(ctr, 0, 16));
  const uint64_t total = 64ull << 20;
  printf("\n64 MiB each way, 32 layers, row 2048 B, random device blocks and "
         "host slots, GB/s; both = 128 MiB / time until both are done\n");
  printf("%-11s %6s %-40s %8s %8s %8s %9s\n", "layout", "tokens", "path", "D2H",
         "H2D", "both", "issue_us");
  for (int layout = 0; layout < 2; layout++)
    for (uint32_t t : {1u, 16u}) {
      bench_side out(layout, KV_XFER_D2H, t, total, r);
      bench_side in(layout, KV_XFER_H2D, t, total, r);
      const char *ln = layout ? "page-first" : "layer-first";
      double g[4] = {0, 0, 0, 0};
      g[0] = lab_gbps(out.bytes(), lab_time_ms(7, s, l2, [&](cudaStream_t x) {
                        cudaCheck(kv_transfer_pair_launch(
                            &out.c.d, KV_XFER_D2H, out.c.n(), out.ids_dev,
                            out.slots_dev, nullptr, 0, 0, nullptr, nullptr, 8,
                            8, ctr, x));
                      }));
      g[1] = lab_gbps(in.bytes(), lab_time_ms(7, s, l2, [&](cudaStream_t x) {
                        cudaCheck(kv_transfer_pair_launch(
                            &in.c.d, KV_XFER_H2D, in.c.n(), in.ids_dev,
                            in.slots_dev, nullptr, 0, 0, nullptr, nullptr, 8, 8,
                            ctr, x));
                      }));
      g[2] = lab_gbps(out.bytes() + in.bytes(),
                      lab_time_ms(7, s, l2, [&](cudaStream_t x) {
                        cudaCheck(kv_transfer_pair_launch(
                            &in.c.d, KV_XFER_H2D, in.c.n(), in.ids_dev,
                            in.slots_dev, &out.c.d, KV_XFER_D2H, out.c.n(),
                            out.ids_dev, out.slots_dev, 8, 8, ctr, x));
                      }));
      printf("%-11s %6u %-40s %8.2f %8.2f %8.2f\n", ln, t,
             "SM pair kernel, 8 SMs", g[0], g[1], g[2]);
      kv_xfer_engine_opts o;
      kv_xfer_engine_default_opts(&o);
      kv_xfer_engine *e = nullptr;
      cudaCheck(kv_xfer_engine_create(&e, &o));
      time_engine(e, out, in, l2, s, g);
      char what[96];
      snprintf(what, sizeof what, "engine, defaults (DMA share %.2f)",
               (double)kv_xfer_engine_ce_blocks(e, &out.c.d, out.c.n()) /
                   (double)out.c.n());
      printf("%-11s %6u %-40s %8.2f %8.2f %8.2f %9.1f\n", ln, t, what, g[0],
             g[1], g[2], g[3]);
      kv_xfer_engine_destroy(e);
      o.ce_fraction_small = 1.0;
      cudaCheck(kv_xfer_engine_create(&e, &o));
      time_engine(e, out, in, l2, s, g);
      printf("%-11s %6u %-40s %8.2f %8.2f %8.2f %9.1f\n", ln, t,
             "engine, copy engines only", g[0], g[1], g[2], g[3]);
      kv_xfer_engine_destroy(e);
    }
  printf("(target: both directions at once >= 85 GB/s; issue_us: host "
         "time of the kv_xfer_engine_run call that queues both, median)\n");

  /* SMs and kernel versions: pair + 2 x gather/scatter */
  struct cfg {
    int pair_sms, stage_sms, pair_v, stage_v;
  };
  const cfg cfgs[] = {{8, 4, 6, 3}, {8, 2, 6, 3}, {4, 2, 6, 3}, {6, 1, 6, 3},
                      {8, 4, 8, 9}, {4, 2, 8, 9}, {4, 2, 9, 9}, {6, 1, 8, 9},
                      {5, 1, 8, 9}, {2, 2, 8, 9}};
  for (uint32_t tok : {1u, 16u}) {
    printf("\nengine by DMA share, SMs and kernel versions (layer-first, "
           "%u-token blocks, 16 MiB x 3 chunks), GB/s both directions at "
           "once; columns: SMs pair + 2 x gather/scatter, versions "
           "pair/gather\n",
           tok);
    printf("%6s |", "share");
    for (const cfg &c : cfgs)
      printf("  %d+2x%d v%d/%d", c.pair_sms, c.stage_sms, c.pair_v, c.stage_v);
    printf("\n");
    bench_side out(KV_LAYOUT_LAYER_FIRST, KV_XFER_D2H, tok, total, r);
    bench_side in(KV_LAYOUT_LAYER_FIRST, KV_XFER_H2D, tok, total, r);
    kv_xfer_job both[2] = {out.c.x(), in.c.x()};
    const std::vector<double> shares =
        tok == 1 ? std::vector<double>{0.0, 0.5, 0.7, 0.8, 0.85, 0.9, 0.95, 1.0}
                 : std::vector<double>{0.85, 0.95, 1.0};
    for (double f : shares) {
      printf("%6.2f |", f);
      for (const cfg &c : cfgs) {
        kv_xfer_engine_opts o;
        kv_xfer_engine_default_opts(&o);
        o.ce_fraction_small = f;
        o.pair_sms = c.pair_sms;
        o.stage_sms = c.stage_sms;
        o.pair_version = c.pair_v;
        o.stage_version = c.stage_v;
        kv_xfer_engine *e = nullptr;
        cudaCheck(kvx::lab_engine_create(&e, &o));
        double ms = lab_time_ms(7, s, l2, [&](cudaStream_t x) {
          cudaCheck(kv_xfer_engine_run(e, 2, both, x));
        });
        printf(" %13.2f", lab_gbps(out.bytes() + in.bytes(), ms));
        kv_xfer_engine_destroy(e);
      }
      printf("\n");
    }
  }
  cudaFree(ctr);
}

/* One batched copy into fresh device memory, then (after a device sync)
 * a kernel that reads all of it: a program for initcheck alone. */
static void batch_probe(cudaStream_t s) {
  const size_t n = 1 << 20;
  char *h = nullptr, *d = nullptr, *h2 = nullptr;
  cudaCheck(cudaHostAlloc((void **)&h, n, cudaHostAllocMapped));
  cudaCheck(cudaHostAlloc((void **)&h2, n, cudaHostAllocMapped));
  cudaCheck(cudaMalloc(&d, n));
  memset(h, 7, n);
  void *dst[1] = {d};
  const void *src[1] = {h};
  size_t size[1] = {n}, first = 0;
  cudaMemcpyAttributes attr;
  memset(&attr, 0, sizeof attr);
  attr.srcAccessOrder = cudaMemcpySrcAccessOrderStream;
  cudaCheck(cudaMemcpyBatchAsync(dst, src, size, 1, &attr, &first, 1, s));
  cudaCheck(cudaDeviceSynchronize());
  kv_xfer_desc sh = shape(KV_LAYOUT_PAGE_FIRST, 1, 1, n / 2, 1);
  sh.dev_base = d;
  sh.host_base = h2;
  int64_t *ids = nullptr;
  cudaCheck(cudaMalloc(&ids, 8));
  cudaCheck(cudaMemset(ids, 0, 8));
  cudaCheck(kv_transfer_launch(&sh, KV_XFER_D2H, 1, ids, nullptr, 8, 1, s));
  cudaCheck(cudaDeviceSynchronize());
  printf("batch probe: %s\n", memcmp(h, h2, n) == 0 ? "data ok" : "MISMATCH");
  cudaFree(ids);
  cudaFree(d);
  cudaFreeHost(h);
  cudaFreeHost(h2);
}

int main(int argc, char **argv) {
  lab_require_device();
  bool check_only = lab_has_flag(argc, argv, "--check");
  g_plain = lab_has_flag(argc, argv, "--plain");
  if (lab_has_flag(argc, argv, "--batch-probe")) {
    cudaStream_t s;
    cudaCheck(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking));
    batch_probe(s);
    return 0;
  }
  printf("transfer engine lab, seed 20261122\n");
  lab_print_device();
  lab_rng r(20261122);
  cudaStream_t s;
  cudaCheck(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking));
  int fails = run_checks(r, s);
  if (fails) {
    printf("FAILED\n");
    return 1;
  }
  printf("the engine matches the CPU reference\n");
  if (!check_only) run_bench(r, s);
  cudaCheck(cudaStreamDestroy(s));
  return 0;
}
