/* calib_multi_peer.cu - kvsim-calibrate-multi's peer copies over NVLink
 * (or whatever peer path the GPUs have): peer access between every pair,
 * the copy engine and an SM kernel reading the other GPU's memory by size
 * (GPU 0 -> 1), a dependent read chain (latency), every ordered pair at
 * 256 MiB, both ways at once, GPU 0 to all others, every GPU to the next.
 * Every copy's bytes are checked before it is timed. What the files share:
 * calib_multi.cuh.
 * Main entry point: measure_peer.
 */
#include "calib_multi.cuh"

/* ---- peer memory -------------------------------------------------------- */

/* The SM copy of peer memory: every thread copies int4 words from src (on
 * another GPU, reached over the peer mapping) to dst (local). */
__global__ void peer_read_kernel(const int4 *src, int4 *dst, uint64_t n) {
  uint64_t stride = (uint64_t)gridDim.x * blockDim.x;
  for (uint64_t i = (uint64_t)blockIdx.x * blockDim.x + threadIdx.x; i < n;
       i += stride)
    dst[i] = src[i];
}

/* Latency: one thread follows a chain of indices in (peer) memory. */
__global__ void peer_chase_kernel(const volatile uint32_t *p, int steps,
                                  uint32_t *out) {
  uint32_t j = 0;
  for (int i = 0; i < steps; i++)
    j = p[j];
  out[0] = j;
}

/* d (on GPU dev, kBig) must hold the first `bytes` of src. */
static void check_device_bytes(int dev, const char *d, const char *src,
                               size_t bytes, const char *what) {
  std::vector<char> back(bytes);
  cudaCheck(cudaSetDevice(dev));
  cudaCheck(cudaMemcpy(back.data(), d, bytes, cudaMemcpyDeviceToHost));
  if (memcmp(back.data(), src, bytes) != 0) {
    fprintf(stderr, "%s:%d: %s: %zu bytes on GPU %d differ from the source\n",
            __FILE__, __LINE__, what, bytes, dev);
    exit(EXIT_FAILURE);
  }
}

/* Rate (B/s) of copies GPU src[k] -> GPU dst[k], all at once, each on its
 * source GPU's first stream, `count` copies of sz each; median over reps
 * of total bytes over the host wall time. */
static double peer_at_once(std::vector<gpu_ctx> &g, const std::vector<int> &src,
                           const std::vector<int> &dst, size_t sz, int count) {
  std::vector<cudaStream_t> st(src.size());
  for (size_t k = 0; k < src.size(); k++) { /* one stream per copy pair */
    cudaCheck(cudaSetDevice(g[src[k]].dev));
    cudaCheck(cudaStreamCreateWithFlags(&st[k], cudaStreamNonBlocking));
  }
  std::vector<double> t;
  for (int r = 0; r < (g_quick ? 2 : 3); r++) {
    for (gpu_ctx &x : g) {
      cudaCheck(cudaSetDevice(x.dev));
      cudaCheck(cudaDeviceSynchronize());
    }
    double t0 = gpu_mono();
    for (size_t k = 0; k < src.size(); k++) {
      gpu_ctx &a = g[src[k]], &b = g[dst[k]];
      cudaCheck(cudaSetDevice(a.dev));
      /* each source sends from d_a; destinations receive in d_b, a GPU
       * receiving from several sources gets them one after another in
       * place (the bytes moved are what is timed) */
      for (int c = 0; c < count; c++)
        cudaCheck(cudaMemcpyPeerAsync(b.d_b, b.dev, a.d_a, a.dev, sz, st[k]));
    }
    for (gpu_ctx &x : g) {
      cudaCheck(cudaSetDevice(x.dev));
      cudaCheck(cudaDeviceSynchronize());
    }
    t.push_back(gpu_mono() - t0);
  }
  for (size_t k = 0; k < src.size(); k++) {
    cudaCheck(cudaSetDevice(g[src[k]].dev));
    cudaCheck(cudaStreamDestroy(st[k]));
  }
  return (double)src.size() * count * sz / lab_median(t);
}

/* Enables peer access between every ordered pair of GPUs that has it and
 * notes the pairs without; true when every pair has it. */
static bool peer_enable_all(std::vector<gpu_ctx> &g, results &R) {
  const int G = (int)g.size();
  std::string m;
  bool all = true;
  for (int i = 0; i < G; i++)
    for (int j = 0; j < G; j++) {
      if (i == j) continue;
      int can = 0;
      cudaCheck(cudaDeviceCanAccessPeer(&can, g[i].dev, g[j].dev));
      if (can) {
        cudaCheck(cudaSetDevice(g[i].dev));
        cudaError_t e = cudaDeviceEnablePeerAccess(g[j].dev, 0);
        if (e == cudaErrorPeerAccessAlreadyEnabled) {
          (void)cudaGetLastError();
        } else {
          cudaCheck(e);
        }
      } else {
        all = false;
        char b[32];
        snprintf(b, sizeof b, " %d->%d", i, j);
        m += b;
      }
    }
  if (!all) R.note("peer access not available for:%s", m.c_str());
  return all;
}

/* GPU 0 -> 1 by size: checks the copy engine's and the SM read's bytes,
 * then times both (curves peer_ce_0_1, peer_sm_0_1, a table) and the
 * 4-byte copy; fills P.ce_bw, P.sm_bw and P.ce_fixed. */
static void peer_by_size(std::vector<gpu_ctx> &g, curve_set &cs, results &R,
                         peer_results &P) {
  /* d_a of every GPU holds its local source buffer (reload_sources) */
  gpu_ctx &a = g[0], &b = g[1];
  cudaDeviceProp prop;
  cudaCheck(cudaGetDeviceProperties(&prop, a.dev));
  const int blocks = 4 * prop.multiProcessorCount;
  cudaCheck(cudaSetDevice(a.dev));
  cudaCheck(cudaMemcpyPeer(b.d_b, b.dev, a.d_a, a.dev, kBig));
  check_device_bytes(b.dev, b.d_b, a.h[0][0].p, kBig, "peer copy 0 -> 1");
  cudaCheck(cudaSetDevice(a.dev));
  cudaCheck(cudaMemset(a.d_b, 0, kBig));
  peer_read_kernel<<<blocks, 512, 0, a.s[0]>>>((const int4 *)b.d_a,
                                               (int4 *)a.d_b, kBig / 16);
  cudaCheckLaunch();
  cudaCheck(cudaStreamSynchronize(a.s[0]));
  check_device_bytes(a.dev, a.d_b, b.h[0][0].p, kBig,
                     "SM read of GPU 1's memory on GPU 0");
  cudaCheck(cudaSetDevice(a.dev));
  for (size_t sz = 4096; sz <= kBig; sz *= 4) {
    int count = (int)std::min<size_t>(
        1000, std::max<size_t>(4, ((g_quick ? 64ull : 1024ull) << 20) / sz));
    if (g_quick) count = std::min(count, 20);
    int reps = g_quick ? 3 : 7;
    double ce = lab_time_warm_ms(reps, count, a.s[0], [&](cudaStream_t s) {
      cudaCheck(cudaMemcpyPeerAsync(b.d_b, b.dev, a.d_a, a.dev, sz, s));
    });
    double sm = lab_time_warm_ms(reps, count, a.s[0], [&](cudaStream_t s) {
      peer_read_kernel<<<std::min<size_t>(blocks, sz / 16 / 512 + 1), 512, 0,
                         s>>>((const int4 *)b.d_a, (int4 *)a.d_b, sz / 16);
    });
    cs.add("peer_ce_0_1", "s", (double)sz, ce * 1e-3);
    cs.add("peer_sm_0_1", "s", (double)sz, sm * 1e-3);
  }
  const curve *ce = cs.find("peer_ce_0_1"), *sm = cs.find("peer_sm_0_1");
  P.ce_bw = ce->x.back() / ce->y.back();
  P.sm_bw = sm->x.back() / sm->y.back();
  fprintf(R.out, "\npeer GPU 0 -> 1 by size (per copy, back to back):\n");
  fprintf(R.out, "%10s %12s %10s %12s %10s\n", "bytes", "engine us", "GB/s",
          "SM read us", "GB/s");
  for (size_t i = 0; i < ce->x.size(); i++)
    fprintf(R.out, "%10.0f %12.2f %10.2f %12.2f %10.2f\n", ce->x[i],
            ce->y[i] * 1e6, ce->x[i] / ce->y[i] / 1e9, sm->y[i] * 1e6,
            sm->x[i] / sm->y[i] / 1e9);
  P.ce_fixed = lab_time_warm_ms(g_quick ? 3 : 5, g_quick ? 20 : 2000, a.s[0],
                                [&](cudaStream_t s) {
                                  cudaCheck(cudaMemcpyPeerAsync(
                                      b.d_b, b.dev, a.d_a, a.dev, 4, s));
                                }) *
               1e-3;
}

/* Dependent read latency of GPU b's memory from GPU a (s per read), with
 * the chain's end checked; puts GPU b's host source back in b.d_a. */
static double peer_latency(gpu_ctx &a, gpu_ctx &b) {
  /* latency: a random chain of 64 Ki indices in GPU 1's memory, followed
   * from GPU 0 */
  const int n = 1 << 16, steps = g_quick ? 100 : 2000;
  std::vector<uint32_t> chain(n);
  lab_rng r(11);
  std::vector<uint64_t> perm = lab_permutation(n, r);
  for (int i = 0; i < n; i++)
    chain[perm[i]] = (uint32_t)perm[(i + 1) % n];
  cudaCheck(cudaSetDevice(b.dev));
  cudaCheck(cudaMemcpy(b.d_a, chain.data(), n * sizeof(uint32_t),
                       cudaMemcpyHostToDevice));
  cudaCheck(cudaSetDevice(a.dev));
  uint32_t *out = (uint32_t *)a.d_b;
  double ms = lab_time_warm_ms(g_quick ? 3 : 5, 1, a.s[0], [&](cudaStream_t s) {
    peer_chase_kernel<<<1, 1, 0, s>>>((const uint32_t *)b.d_a, steps, out);
    cudaCheckLaunch();
  });
  const double lat = ms * 1e-3 / steps;
  uint32_t end = 0, want = 0;
  cudaCheck(cudaMemcpy(&end, out, sizeof end, cudaMemcpyDeviceToHost));
  for (int i = 0; i < steps; i++)
    want = chain[want];
  if (end != want) {
    fprintf(stderr, "%s:%d: peer chain: ended at %u, expected %u\n", __FILE__,
            __LINE__, end, want);
    exit(EXIT_FAILURE);
  }
  /* GPU 1's d_a held its host source: put it back for later checks */
  cudaCheck(cudaSetDevice(b.dev));
  cudaCheck(cudaMemcpy(b.d_a, b.h[0][0].p, kBig, cudaMemcpyHostToDevice));
  return lat;
}

/* Every ordered pair one at a time (curve peer_ce_pair), then, when every
 * pair has peer access, several at once: both ways, GPU 0's fan-out and the
 * ring; fills P.duplex_bw, P.fanout_bw and P.ring_bw. */
static void peer_pairs(std::vector<gpu_ctx> &g, curve_set &cs, results &R,
                       bool all, peer_results &P) {
  const int G = (int)g.size();
  /* every ordered pair, one at a time; then several at once */
  const size_t pair = g_quick ? (16ull << 20) : kBig;
  const int cnt = g_quick ? 2 : 4;
  std::string line;
  for (int i = 0; i < G; i++)
    for (int j = 0; j < G; j++) {
      if (i == j) continue;
      int can = 0;
      cudaCheck(cudaDeviceCanAccessPeer(&can, g[i].dev, g[j].dev));
      if (!can) continue;
      cudaCheck(cudaSetDevice(g[i].dev));
      cudaCheck(
          cudaMemcpyPeer(g[j].d_b, g[j].dev, g[i].d_a, g[i].dev, 16ull << 20));
      check_device_bytes(g[j].dev, g[j].d_b, g[i].h[0][0].p, 16ull << 20,
                         "peer copy");
      double bw = peer_at_once(g, {i}, {j}, pair, cnt);
      char nm[32], b2[64];
      snprintf(nm, sizeof nm, "%d>%d", i, j);
      cs.add_named("peer_ce_pair", "B/s", nm, bw);
      snprintf(b2, sizeof b2, " %s %.1f", nm, bw / 1e9);
      line += b2;
    }
  R.note("peer copy engine by ordered pair at %zu MiB, GB/s:%s", pair >> 20,
         line.c_str());
  if (all) {
    P.duplex_bw = peer_at_once(g, {0, 1}, {1, 0}, pair, cnt);
    std::vector<int> s0, d0, sr, dr;
    for (int j = 1; j < G; j++)
      s0.push_back(0), d0.push_back(j);
    P.fanout_bw = peer_at_once(g, s0, d0, pair, cnt);
    for (int i = 0; i < G; i++)
      sr.push_back(i), dr.push_back((i + 1) % G);
    P.ring_bw = G > 2 ? peer_at_once(g, sr, dr, pair, cnt) : P.duplex_bw;
    cs.add("peer_duplex_0_1", "B/s", (double)pair, P.duplex_bw);
    cs.add("peer_fanout_0", "B/s", (double)(G - 1), P.fanout_bw);
    cs.add("peer_ring", "B/s", (double)G, P.ring_bw);
    R.note("peer at once, %zu MiB copies: 0<->1 both ways %.2f GB/s "
           "aggregate; GPU 0 to the %d others %.2f GB/s (its egress); every "
           "GPU to the next %.2f GB/s aggregate (%.2f per GPU)",
           pair >> 20, P.duplex_bw / 1e9, G - 1, P.fanout_bw / 1e9,
           P.ring_bw / 1e9, P.ring_bw / G / 1e9);
  }
}

peer_results measure_peer(std::vector<gpu_ctx> &g, curve_set &cs, results &R) {
  peer_results P;
  const int G = (int)g.size();
  if (G < 2) {
    R.note("peer copies: one GPU, nothing to measure");
    return P;
  }
  bool all = peer_enable_all(g, R);
  int can01 = 0;
  cudaCheck(cudaDeviceCanAccessPeer(&can01, g[0].dev, g[1].dev));
  if (!can01) {
    R.note("peer copies: GPU 0 cannot reach GPU 1's memory; not measured");
    return P;
  }
  P.ok = true;
  for (int j = 1; j < G; j++) {
    int rank = 0, atomics = 0;
    cudaCheck(cudaDeviceGetP2PAttribute(&rank, cudaDevP2PAttrPerformanceRank,
                                        g[0].dev, g[j].dev));
    cudaCheck(cudaDeviceGetP2PAttribute(
        &atomics, cudaDevP2PAttrNativeAtomicSupported, g[0].dev, g[j].dev));
    R.note("peer 0->%d: performance rank %d, native atomics %d", j, rank,
           atomics);
  }
  peer_by_size(g, cs, R, P);
  P.lat = peer_latency(g[0], g[1]);
  R.note("peer 0->1 at 256 MiB: copy engine %.2f GB/s, SM read %.2f GB/s; "
         "4-byte peer copy %.2f us back to back; dependent read of peer "
         "memory %.2f us (nvlink_lat = round trip)",
         P.ce_bw / 1e9, P.sm_bw / 1e9, P.ce_fixed * 1e6, P.lat * 1e6);
  peer_pairs(g, cs, R, all, P);
  return P;
}
