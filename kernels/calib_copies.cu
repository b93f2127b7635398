/* calib_copies.cu - kvsim-calibrate's copies beside the pinned ones of
 * main (calib_internal.cuh tells the files apart): cudaMemcpyBatchAsync of
 * scattered entries, SM gather/scatter over scattered pinned host pages by
 * SMs and page size, and by threads per block.
 * Main entry points: measure_batch(), measure_sm_copy(),
 * measure_sm_threads().
 */
#include "calib_internal.cuh"

/* ---- batched DMA -------------------------------------------------------
 * cudaMemcpyBatchAsync of kBatchEntries entries of B bytes each (B = 4 KiB
 * .. 4 MiB), device places and pinned host slots in random order (as the
 * transfer engine issues them), per direction: H2D from h_in to d_in, D2H
 * from d_out to h_out (each cap bytes). Each size's first batch is checked
 * byte for byte (its destinations cleared before); then kBatchQueue
 * batches are queued back to back between two events: seconds per entry.
 * Every timed call is also timed on the host: batch_call, the median. */

static cudaError_t batch_copy(const std::vector<void *> &dst,
                              const std::vector<const void *> &src,
                              const std::vector<size_t> &sz, cudaStream_t s) {
  cudaMemcpyAttributes attr;
  memset(&attr, 0, sizeof attr);
  attr.srcAccessOrder = cudaMemcpySrcAccessOrderStream;
  size_t first = 0;
  return cudaMemcpyBatchAsync(dst.data(), src.data(), sz.data(), dst.size(),
                              &attr, &first, 1, s);
}

void measure_batch(curve_set &cs, results &R, char *d_in, char *h_in,
                   char *d_out, char *h_out, size_t cap, cudaStream_t s) {
  lab_rng r(17);
  lab_fill_random(h_in, cap, r);
  cudaCheck(cudaMemcpy(d_out, h_in, cap, cudaMemcpyHostToDevice));
  cudaEvent_t a, b;
  cudaCheck(cudaEventCreate(&a));
  cudaCheck(cudaEventCreate(&b));
  std::vector<double> call_t;
  long long checked = 0, bad = 0;
  for (size_t bytes = 4096; bytes <= (4u << 20); bytes *= 4) {
    std::vector<double> call_size; /* this entry size, both directions */
    size_t slots = cap / bytes;
    std::vector<uint64_t> pd = lab_permutation(slots, r),
                          ph = lab_permutation(slots, r);
    for (int h2d = 1; h2d >= 0; h2d--) {
      std::vector<void *> dst(kBatchEntries);
      std::vector<const void *> src(kBatchEntries);
      std::vector<size_t> sz(kBatchEntries, bytes);
      for (int i = 0; i < kBatchEntries; i++) {
        char *dp = (h2d ? d_in : d_out) + pd[i] * bytes;
        char *hp = (h2d ? h_in : h_out) + ph[i] * bytes;
        dst[i] = h2d ? (void *)dp : (void *)hp;
        src[i] = h2d ? (const void *)hp : (const void *)dp;
        if (h2d)
          cudaCheck(cudaMemsetAsync(dp, 0xee, bytes, s));
        else
          memset(hp, 0xee, bytes);
      }
      cudaError_t e = batch_copy(dst, src, sz, s);
      if (e == cudaErrorNotSupported || e == cudaErrorCallRequiresNewerDriver) {
        cudaGetLastError();
        R.note("cudaMemcpyBatchAsync not available (%s): no batch curves",
               cudaGetErrorString(e));
        cudaCheck(cudaEventDestroy(a));
        cudaCheck(cudaEventDestroy(b));
        return;
      }
      cudaCheck(e);
      cudaCheck(cudaStreamSynchronize(s));
      std::vector<char> dev_copy(bytes);
      for (int i = 0; i < kBatchEntries; i++) {
        const void *dp = h2d ? dst[i] : src[i], *hp = h2d ? src[i] : dst[i];
        cudaCheck(
            cudaMemcpy(dev_copy.data(), dp, bytes, cudaMemcpyDeviceToHost));
        bad += memcmp(dev_copy.data(), hp, bytes) != 0;
        checked++;
      }
      std::vector<double> per;
      for (int o = 0; o < reps(7); o++) {
        cudaCheck(cudaEventRecord(a, s));
        for (int k = 0; k < kBatchQueue; k++) {
          double t0 = gpu_mono();
          cudaCheck(batch_copy(dst, src, sz, s));
          call_t.push_back(gpu_mono() - t0);
          call_size.push_back(call_t.back());
        }
        cudaCheck(cudaEventRecord(b, s));
        cudaCheck(cudaEventSynchronize(b));
        float ms = 0;
        cudaCheck(cudaEventElapsedTime(&ms, a, b));
        per.push_back(ms * 1e-3 / (kBatchQueue * kBatchEntries));
      }
      cs.add(h2d ? "batch_h2d" : "batch_d2h", "s", (double)bytes,
             lab_median(per));
    }
    cs.add("batch_call_bytes", "s", (double)bytes, lab_median(call_size));
  }
  cudaCheck(cudaEventDestroy(a));
  cudaCheck(cudaEventDestroy(b));
  if (bad) {
    fprintf(stderr, "%s:%d: batch check: %lld of %lld entries differ\n",
            __FILE__, __LINE__, bad, checked);
    exit(EXIT_FAILURE);
  }
  cs.add("batch_call", "s", kBatchEntries, lab_median(call_t));
  char note[160];
  snprintf(note, sizeof note, "median of %zu calls, p10 %.2f, p90 %.2f",
           call_t.size(), quantile(call_t, 0.1) * 1e6,
           quantile(call_t, 0.9) * 1e6);
  print_batch_table(R.out, cs, kBatchQueue, note);
  R.note("batch check: %lld entries (every size, both directions) equal "
         "their sources byte for byte",
         checked);
}

/* n random (device block, host slot) pairs, each side a permutation of
 * 2n places: the page lists of the SM copy measurements, on the host (to
 * check) and on the device (uploaded from pageable memory, so synchronized
 * before a stream uses them). */
struct sm_scatter {
  std::vector<int32_t> ids, slots;
  int32_t *dids = nullptr, *dslots = nullptr;
  sm_scatter(uint64_t n, lab_rng &r) : ids(n), slots(n) {
    std::vector<uint64_t> pd = lab_permutation(2 * n, r),
                          ph = lab_permutation(2 * n, r);
    for (uint64_t i = 0; i < n; i++) {
      ids[i] = (int32_t)pd[i];
      slots[i] = (int32_t)ph[i];
    }
    cudaCheck(cudaMalloc(&dids, n * 4));
    cudaCheck(cudaMalloc(&dslots, n * 4));
    cudaCheck(cudaMemcpy(dids, ids.data(), n * 4, cudaMemcpyHostToDevice));
    cudaCheck(cudaMemcpy(dslots, slots.data(), n * 4, cudaMemcpyHostToDevice));
    cudaCheck(cudaDeviceSynchronize());
  }
  ~sm_scatter() {
    cudaFree(dids);
    cudaFree(dslots);
  }
  sm_scatter(const sm_scatter &) = delete;
  sm_scatter &operator=(const sm_scatter &) = delete;
};

/* ---- SM gather/scatter --------------------------------------------------
 * kv_transfer_launch, page-first, 64 MiB of pages in random device and
 * host places, by SMs (1..64, up to the device's) and page size (256 B:
 * 128-byte rows; 4 KiB and 64 KiB: 2 KiB rows, 1 and 16 tokens), per
 * direction, on the library kernel's blocks of 1024 threads (transfer.cuh
 * kThreads; threads per block is measure_sm_threads' axis). Each page size
 * and direction is first checked byte for byte at 8 SMs. Buffers d (device), h,
 * scratch (mapped pinned) hold 256 MiB. Returns sm_copy_bw_per_sm (1 SM, 64 KiB
 * pages, mean of both directions); *duplex: the pair kernel both ways at once,
 * 8 SMs. */
double measure_sm_copy(curve_set &cs, results &R, char *d, char *h, char *d_in,
                       char *h_in, char *scratch, int nsm, cudaStream_t s,
                       double *duplex) {
  void *pair_ctr = nullptr; /* kv_transfer_pair_launch's counters */
  cudaCheck(cudaMalloc(&pair_ctr, 16));
  cudaCheck(cudaMemset(pair_ctr, 0, 16));
  std::vector<int> smv;
  for (int v : {1, 2, 4, 8, 16, 32, 64})
    if (v <= nsm) smv.push_back(v);
  const int check_sms = std::min(8, nsm);
  lab_l2_flusher l2;
  const struct {
    uint64_t row;
    uint32_t tokens;
  } pages[] = {{128, 1}, {2048, 1}, {2048, 16}};
  double bw_1 = 0;
  long long checked = 0, bad = 0;
  for (const auto &pc : pages) {
    kv_xfer_desc x = {};
    x.layers = 1;
    x.block_tokens = pc.tokens;
    x.row_bytes = pc.row;
    x.layout = KV_LAYOUT_PAGE_FIRST;
    uint64_t page = kv_xfer_block_bytes(&x);
    uint64_t n = (64ull << 20) / page, span = 2 * n * page;
    x.dev_blocks = 2 * n;
    x.dev_base = d;
    x.host_base = h; /* 2n pages fit in 256 MiB */
    lab_rng r(13 + page);
    sm_scatter sc(n, r);
    const std::vector<int32_t> &ids = sc.ids, &slots = sc.slots;
    int32_t *dids = sc.dids, *dslots = sc.dslots;
    for (int dir = 0; dir < 2; dir++) {
      /* check: random sources, cleared destinations, then scratch holds
       * the device blocks (D2H: what was uploaded; H2D: read back) */
      if (dir == KV_XFER_D2H) {
        lab_fill_random(scratch, span, r);
        cudaCheck(cudaMemcpy(d, scratch, span, cudaMemcpyHostToDevice));
        memset(h, 0, span);
      } else {
        lab_fill_random(h, span, r);
        cudaCheck(cudaMemsetAsync(d, 0, span, s));
      }
      cudaCheck(kv_transfer_launch(&x, dir, n, dids, dslots, 4, check_sms, s));
      cudaCheck(cudaStreamSynchronize(s));
      if (dir == KV_XFER_H2D)
        cudaCheck(cudaMemcpy(scratch, d, span, cudaMemcpyDeviceToHost));
      for (uint64_t i = 0; i < n; i++)
        bad += memcmp(scratch + (uint64_t)ids[i] * page,
                      h + (uint64_t)slots[i] * page, page) != 0;
      checked += (long long)n;
      std::string nm = "sm_copy_" + std::to_string(page) +
                       (dir == KV_XFER_H2D ? "_h2d" : "_d2h");
      for (int sms : smv) {
        double ms = lab_time_ms(reps(7), s, l2, [&](cudaStream_t st) {
          cudaCheck(kv_transfer_launch(&x, dir, n, dids, dslots, 4, sms, st));
        });
        double g = lab_gbps((double)n * page, ms);
        cs.add(nm, "B/s", sms, g * 1e9);
        if (sms == 1 && page == 65536) bw_1 += 0.5 * g * 1e9;
      }
    }
    /* both directions at once, one pair kernel on 8 SMs: D2H on the first
     * buffers, H2D on the second */
    if (page == 65536) {
      kv_xfer_desc x_in = x;
      x_in.dev_base = d_in;
      x_in.host_base = h_in;
      double ms = lab_time_ms(reps(7), s, l2, [&](cudaStream_t st) {
        cudaCheck(kv_transfer_pair_launch(&x, KV_XFER_D2H, n, dids, dslots,
                                          &x_in, KV_XFER_H2D, n, dids, dslots,
                                          4, 8, pair_ctr, st));
      });
      *duplex = lab_gbps(2.0 * n * page, ms) * 1e9;
    }
  }
  cudaCheck(cudaFree(pair_ctr));
  if (bad) {
    fprintf(stderr, "%s:%d: SM copy check: %lld of %lld pages differ\n",
            __FILE__, __LINE__, bad, checked);
    exit(EXIT_FAILURE);
  }
  print_sm_table(R.out, cs);
  R.note("SM copy check: %lld pages (every page size, both directions, %d "
         "SMs) equal their sources byte for byte; threads per block: 1024, "
         "kv_transfer_launch's (the next table varies them)",
         checked, check_sms);
  return bw_1;
}

/* ---- SM copy by threads per block ----------------------------------------
 * kv_transfer_launch_threads, page-first 64 KiB pages (2 KiB rows, 16
 * tokens), 64 MiB of pages in random device and host places, by block size
 * (kSmThreads) and SMs (1..64, up to the device's), per direction
 * (sm_threads_<threads>_<dir>, the platform's sm_copy_threads_grid_<dir>):
 * a block keeps its threads' loads in flight, so fewer threads per block
 * need more SMs to fill PCIe. Each block size and direction is first
 * checked byte for byte at 8 SMs (destinations cleared before). Buffers
 * as measure_sm_copy's: d (device), h and scratch (mapped pinned), 256 MiB
 * each. */

void measure_sm_threads(curve_set &cs, results &R, char *d, char *h,
                        char *scratch, int nsm, cudaStream_t s) {
  std::vector<int> smv;
  for (int v : {1, 2, 4, 8, 16, 32, 64})
    if (v <= nsm) smv.push_back(v);
  const int check_sms = std::min(8, nsm);
  lab_l2_flusher l2;
  kv_xfer_desc x = {};
  x.layers = 1;
  x.block_tokens = 16;
  x.row_bytes = 2048;
  x.layout = KV_LAYOUT_PAGE_FIRST;
  uint64_t page = kv_xfer_block_bytes(&x);
  uint64_t n = (64ull << 20) / page, span = 2 * n * page;
  x.dev_blocks = 2 * n;
  x.dev_base = d;
  x.host_base = h; /* 2n pages fit in 256 MiB */
  lab_rng r(29 + page);
  sm_scatter sc(n, r);
  const std::vector<int32_t> &ids = sc.ids, &slots = sc.slots;
  int32_t *dids = sc.dids, *dslots = sc.dslots;
  long long checked = 0, bad = 0;
  for (int dir = 0; dir < 2; dir++) {
    /* random sources once per direction (D2H: scratch keeps what was
     * uploaded to the device) */
    if (dir == KV_XFER_D2H) {
      lab_fill_random(scratch, span, r);
      cudaCheck(cudaMemcpy(d, scratch, span, cudaMemcpyHostToDevice));
    } else {
      lab_fill_random(h, span, r);
    }
    for (int threads : kSmThreads) {
      /* check: cleared destination, one launch, then scratch holds the
       * device blocks (H2D: read back) */
      if (dir == KV_XFER_D2H)
        memset(h, 0, span);
      else
        cudaCheck(cudaMemsetAsync(d, 0, span, s));
      cudaCheck(kv_transfer_launch_threads(&x, dir, n, dids, dslots, 4,
                                           check_sms, threads, s));
      cudaCheck(cudaStreamSynchronize(s));
      if (dir == KV_XFER_H2D)
        cudaCheck(cudaMemcpy(scratch, d, span, cudaMemcpyDeviceToHost));
      for (uint64_t i = 0; i < n; i++)
        bad += memcmp(scratch + (uint64_t)ids[i] * page,
                      h + (uint64_t)slots[i] * page, page) != 0;
      checked += (long long)n;
      std::string nm = "sm_threads_" + std::to_string(threads) +
                       (dir == KV_XFER_H2D ? "_h2d" : "_d2h");
      for (int sms : smv) {
        double ms = lab_time_ms(reps(7), s, l2, [&](cudaStream_t st) {
          cudaCheck(kv_transfer_launch_threads(&x, dir, n, dids, dslots, 4, sms,
                                               threads, st));
        });
        cs.add(nm, "B/s", sms, lab_gbps((double)n * page, ms) * 1e9);
      }
    }
  }
  if (bad) {
    fprintf(stderr,
            "%s:%d: SM copy by threads check: %lld of %lld pages differ\n",
            __FILE__, __LINE__, bad, checked);
    exit(EXIT_FAILURE);
  }
  print_sm_threads_table(R.out, cs);
  R.note("SM copy by threads check: %lld pages (every block size, both "
         "directions, %d SMs) equal their sources byte for byte",
         checked, check_sms);
}
