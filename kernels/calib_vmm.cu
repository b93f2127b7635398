/* calib_vmm.cu - kvsim-calibrate's CUDA VMM driver calls
 * (calib_internal.cuh tells the files apart): in isolation by handle size,
 * in cycles among live handles (GPU idle, busy, right after a step), with
 * slab-sized handles, growing a pool, after a gap, by the calling thread,
 * address ranges alone, reservations among live ranges.
 * Main entry point: measure_vmm().
 */
#include "calib_internal.cuh"

/* The driver API entry points (calib_internal.cuh), fetched by
 * load_driver_api() as measure_vmm starts. */
gpu_drv drv_api;

static void load_driver_api(void) {
  cudaError_t e = cudaSuccess;
  int q = 0;
  const char *missing = gpu_drv_fetch(&drv_api, &e, &q);
  if (missing) {
    fprintf(stderr,
            "%s:%d: driver entry point %s not found (%s, query "
            "result %d)\n",
            __FILE__, __LINE__, missing, cudaGetErrorString(e), q);
    exit(EXIT_FAILURE);
  }
}

/* ---- CUDA VMM driver calls ----------------------------------------------
 * 1. In isolation by handle size (2 MiB .. 1 GiB, as far as free memory
 *    allows): reserve, create, map, set-access, unmap, release, free of one
 *    handle at a time, nothing else live, median per call; each size's
 *    mapping first checked (written through the mapping, read back).
 * 2. In use, at the granularity: cycles among live handles with the GPU
 *    idle, busy, right after a step (below).
 * 3. Address ranges alone by size (2 MiB .. 1 TiB): reserve then free, no
 *    physical memory (how a pool reserves its whole range up front).
 * Fills c.vmm (after a step), c.vmm_slope (isolation, smallest to largest
 * handle) and c.gran. */
/* The check of a mapping: sz bytes at va written with v, both ends read
 * back; a mismatch names `what` and exits. */
static void vmm_check_ends(CUdeviceptr va, size_t sz, unsigned char v,
                           const char *what) {
  cudaCheck(cudaMemset((void *)va, v, sz));
  unsigned char ends[2] = {0, 0};
  cudaCheck(cudaMemcpy(&ends[0], (void *)va, 1, cudaMemcpyDeviceToHost));
  cudaCheck(
      cudaMemcpy(&ends[1], (void *)(va + sz - 1), 1, cudaMemcpyDeviceToHost));
  if (ends[0] != v || ends[1] != v) {
    fprintf(stderr,
            "%s:%d: VMM check (%s): %zu MiB mapping reads back %02x %02x, "
            "not %02x %02x\n",
            __FILE__, __LINE__, what, sz >> 20, ends[0], ends[1], v, v);
    exit(EXIT_FAILURE);
  }
}

/* One handle of hsz bytes created into *h, mapped at va and opened, each
 * call's seconds appended to t[0..2] (create, map, set_access). */
static void vmm_open_timed(CUdeviceptr va, size_t hsz,
                           const CUmemAllocationProp &ap,
                           const CUmemAccessDesc &acc,
                           CUmemGenericAllocationHandle *h,
                           std::vector<double> *t) {
  double c0 = gpu_mono();
  cuCheck(drv_api.MemCreate(h, hsz, &ap, 0));
  double c1 = gpu_mono();
  cuCheck(drv_api.MemMap(va, hsz, 0, *h, 0));
  double c2 = gpu_mono();
  cuCheck(drv_api.MemSetAccess(va, hsz, &acc, 1));
  double c3 = gpu_mono();
  t[0].push_back(c1 - c0);
  t[1].push_back(c2 - c1);
  t[2].push_back(c3 - c2);
}

/* A driver call after a gap: the first VMM call of a kind after some
 * milliseconds of other work costs several times what the same call costs
 * in a series (lab_vmm_fresh: host sleep, launches or a thrashed host
 * cache alike; a run's slabs and per-step calls come that far apart). Per
 * handle size and nominal gap, kGapCycles cycles of reserve, create, map,
 * set_access (after `gap` of other work, then a step), then unmap,
 * release, free (after the same). The other work (gap_series) is:
 * - steps: read kernels of about 0.5 ms each with the host waiting in
 *   their sync (the platform's vmm_<call>_gap grid holds these, curves
 *   vmm_gap_<call>_<MiB>, by size, lua_vmm_gap);
 * - launches: small launches and event records with a sync every 32 (a
 *   host busy in the driver; curves vmm_gaplaunch_<call>_<MiB>, reported);
 * - serving steps: what the GPU backend's step does, two streams, an
 *   event pair on each, a 16 KiB table copied from pinned host memory,
 *   kServeLaunches kernels that together read what one step kernel reads,
 *   both streams synced, the events' times read (curves
 *   vmm_gapserve_<call>_<MiB>, reported).
 * x of each point is the median measured time since the call's kind was
 * last made (s); y its median time (s). */
static void measure_vmm_gap(results &R, curve_set &cs,
                            const CUmemAllocationProp &ap,
                            const CUmemAccessDesc &acc, size_t hsz,
                            const int4 *buf, size_t rb,
                            unsigned long long *sink, int nsm, cudaStream_t s2,
                            gap_series series) {
  const bool steps = series != gap_series::launches;
  cudaEvent_t ev[32], tev[4];
  for (cudaEvent_t &e : ev)
    cudaCheck(cudaEventCreateWithFlags(&e, cudaEventDisableTiming));
  for (cudaEvent_t &e : tev)
    cudaCheck(cudaEventCreate(&e));
  cudaStream_t s3 = nullptr;
  void *h_table = nullptr, *d_table = nullptr;
  const size_t table_bytes = 16u << 10;
  if (series == gap_series::serve) {
    cudaCheck(cudaStreamCreateWithFlags(&s3, cudaStreamNonBlocking));
    cudaCheck(cudaMallocHost(&h_table, table_bytes));
    cudaCheck(cudaMalloc(&d_table, table_bytes));
    memset(h_table, 0x3c, table_bytes);
  }
  const int reps = std::max(1, (int)std::lround(50.0 * g_gap_kernel_ms));
  /* one serving step: the backend's gpu_step in miniature */
  auto serve_step = [&]() {
    cudaCheck(cudaEventRecord(tev[0], s2));
    cudaCheck(cudaMemcpyAsync(d_table, h_table, table_bytes,
                              cudaMemcpyHostToDevice, s2));
    const size_t part = (rb / kServeLaunches) & ~(size_t)4095;
    for (int k = 0; k < kServeLaunches; k++)
      cudaCheck(gpu_weight_read_launch((const char *)buf + (size_t)k * part,
                                       part, reps, 0, sink, nsm, s2));
    cudaCheck(cudaEventRecord(tev[2], s3));
    cudaCheck(cudaEventRecord(tev[3], s3));
    cudaCheck(cudaStreamWaitEvent(s2, tev[3], 0));
    cudaCheck(cudaEventRecord(tev[1], s2));
    cudaCheck(cudaStreamSynchronize(s2));
    cudaCheck(cudaStreamSynchronize(s3));
    float ms = 0;
    cudaCheck(cudaEventElapsedTime(&ms, tev[0], tev[1]));
    cudaCheck(cudaEventElapsedTime(&ms, tev[2], tev[3]));
  };
  /* `gap` s of steps (read kernels, the host in their sync) or of a
   * launching host (small launches, event records, syncs), then a step: a
   * read kernel and its sync */
  auto fill = [&](double gap) {
    double g0 = gpu_mono();
    while (gpu_mono() - g0 < gap) {
      if (series == gap_series::serve) {
        serve_step();
        continue;
      }
      if (steps) {
        /* 25 reads of the 64 MiB buffer: about 0.5 ms on an H100 */
        cudaCheck(gpu_weight_read_launch(buf, rb, reps, 0, sink, 4 * nsm, s2));
      } else {
        for (cudaEvent_t &e : ev) {
          cudaCheck(gpu_weight_read_launch(buf, 4096, 1, 0, sink, 1, s2));
          cudaCheck(cudaEventRecord(e, s2));
        }
      }
      cudaCheck(cudaStreamSynchronize(s2));
    }
    cudaCheck(gpu_weight_read_launch(buf, rb, 4, 0, sink, 4 * nsm, s2));
    cudaCheck(cudaStreamSynchronize(s2));
  };
  double last[7];
  for (double &l : last)
    l = -1;
  double xm[kGaps][7], ym[kGaps][7];
  for (int g = 0; g < gap_rows(series); g++) {
    const double ms = kGapMs[g];
    std::vector<double> t[7], x[7];
    auto call = [&](int k, auto &&fn) {
      double c0 = gpu_mono();
      fn();
      double c1 = gpu_mono();
      if (last[k] >= 0) {
        t[k].push_back(c1 - c0);
        x[k].push_back(c0 - last[k]);
      }
      last[k] = c1;
    };
    for (int i = 0; i < kGapCycles + 1; i++) {
      CUdeviceptr va = 0;
      CUmemGenericAllocationHandle h;
      fill(ms * 1e-3);
      call(0, [&] { cuCheck(drv_api.MemAddressReserve(&va, hsz, 0, 0, 0)); });
      call(1, [&] { cuCheck(drv_api.MemCreate(&h, hsz, &ap, 0)); });
      call(2, [&] { cuCheck(drv_api.MemMap(va, hsz, 0, h, 0)); });
      call(3, [&] { cuCheck(drv_api.MemSetAccess(va, hsz, &acc, 1)); });
      if (i == kGapCycles) /* the check: the handle is usable */
        vmm_check_ends(va, hsz, 0x6b, "gap series");
      fill(ms * 1e-3);
      call(4, [&] { cuCheck(drv_api.MemUnmap(va, hsz)); });
      call(5, [&] { cuCheck(drv_api.MemRelease(h)); });
      call(6, [&] { cuCheck(drv_api.MemAddressFree(va, hsz)); });
    }
    for (int k = 0; k < 7; k++) {
      xm[g][k] = lab_median(x[k]);
      ym[g][k] = lab_median(t[k]);
    }
  }
  vmm_gap_report(R, cs, hsz, xm, ym, series);
  for (cudaEvent_t &e : ev)
    cudaCheck(cudaEventDestroy(e));
  for (cudaEvent_t &e : tev)
    cudaCheck(cudaEventDestroy(e));
  if (s3) {
    cudaCheck(cudaStreamDestroy(s3));
    cudaCheck(cudaFreeHost(h_table));
    cudaCheck(cudaFree(d_table));
  }
}

/* VMM growth by the thread that calls: a run's background ops (map-ahead,
 * indirect's slabs) call the driver from a thread other than the one that
 * launches, while the step's compute runs. Three series of n handles of
 * hsz bytes created, mapped and opened one after another into a fresh
 * range, each with a read kernel in flight (about 2 ms): on the launching
 * thread; on one thread kept for the whole series (it launches too); on a
 * new thread per handle, started after the launch and joined before the
 * next (the GPU backend before it kept its worker). Curves
 * vmm_grow_busy_<call>, vmm_grow_kept_<call>, vmm_grow_fresh_<call> (x =
 * handle bytes; reported, not model inputs). */
static void measure_vmm_threads(results &R, curve_set &cs,
                                const CUmemAllocationProp &ap,
                                const CUmemAccessDesc &acc, size_t hsz, int n,
                                const int4 *buf, size_t rb,
                                unsigned long long *sink, int nsm,
                                cudaStream_t s2) {
  CUcontext ctx = nullptr;
  cuCheck(drv_api.CtxGetCurrent(&ctx));
  static const char *const name[3] = {"busy", "kept", "fresh"};
  static const char *const what[3] = {"on the launching thread",
                                      "on one thread kept for the series",
                                      "on a new thread per handle"};
  for (int mode = 0; mode < 3; mode++) {
    std::vector<double> t[3];
    std::vector<CUmemGenericAllocationHandle> h(n);
    CUdeviceptr base = 0;
    cuCheck(drv_api.MemAddressReserve(&base, hsz * n, 0, 0, 0));
    auto calls = [&](int i) {
      vmm_open_timed(base + (CUdeviceptr)i * hsz, hsz, ap, acc, &h[i], t);
    };
    auto launch = [&]() {
      cudaCheck(gpu_weight_read_launch(buf, rb, 100, 0, sink, 4 * nsm, s2));
    };
    if (mode == 1) {
      std::thread w([&]() {
        cuCheck(drv_api.CtxSetCurrent(ctx));
        for (int i = 0; i < n; i++) {
          launch();
          calls(i);
          cudaCheck(cudaStreamSynchronize(s2));
        }
      });
      w.join();
    } else {
      for (int i = 0; i < n; i++) {
        launch();
        if (mode == 0) {
          calls(i);
        } else {
          std::thread w([&]() {
            cuCheck(drv_api.CtxSetCurrent(ctx));
            calls(i);
          });
          w.join();
        }
        cudaCheck(cudaStreamSynchronize(s2));
      }
    }
    /* the check: the last handle's ends written and read back */
    vmm_check_ends(base + (CUdeviceptr)(n - 1) * hsz, hsz, 0x5a,
                   "thread series, last handle");
    for (int i = 0; i < n; i++) {
      cuCheck(drv_api.MemUnmap(base + (CUdeviceptr)i * hsz, hsz));
      cuCheck(drv_api.MemRelease(h[i]));
    }
    cuCheck(drv_api.MemAddressFree(base, hsz * n));
    std::string s;
    char b[200];
    snprintf(b, sizeof b,
             "vmm growth %s, GPU busy: %d handles of %zu MiB, us median "
             "(first / p10 / p90):",
             what[mode], n, hsz >> 20);
    s = b;
    for (int k = 0; k < 3; k++) {
      snprintf(b, sizeof b, " %s %.2f (%.2f/%.2f/%.2f)", kGrowCall[k],
               lab_median(t[k]) * 1e6, t[k][0] * 1e6, quantile(t[k], 0.1) * 1e6,
               quantile(t[k], 0.9) * 1e6);
      s += b;
      cs.add(std::string("vmm_grow_") + name[mode] + "_" + kGrowCall[k], "s",
             (double)hsz, lab_median(t[k]));
    }
    R.note("%s", s.c_str());
  }
}

/* What the sections of measure_vmm share: the report and the curves,
 * device memory of the device at hand (ap) opened read-write (acc), its
 * granularity (minimum, recommended), the calls per size in isolation
 * and by range (calls), the cycles per context (cycles), and, from the
 * cycles among live handles to the thread series, the read stream that
 * keeps the GPU busy: reads of busy_buf (rb bytes) into busy_sink, on
 * s2 over 4 blocks per SM (nsm SMs). */
struct vmm_env {
  curve_set &cs;
  results &R;
  CUmemAllocationProp ap = {};
  CUmemAccessDesc acc = {};
  size_t gran = 0, gran_rec = 0;
  int calls = 0, cycles = 0, nsm = 0;
  cudaStream_t s2 = nullptr;
  size_t rb = 64ull << 20;
  int4 *busy_buf = nullptr;
  unsigned long long *busy_sink = nullptr;
  vmm_env(curve_set &c, results &r) : cs(c), R(r) {}
  size_t round_up(size_t b) const {
    return (b + gran - 1) / gran * gran;
  }
};

/* The check of section 1: a byte pattern through a mapping of sz bytes,
 * read back. */
static void vmm_check_mapping(const vmm_env &e, size_t sz) {
  CUdeviceptr va;
  CUmemGenericAllocationHandle h;
  cuCheck(drv_api.MemAddressReserve(&va, sz, 0, 0, 0));
  cuCheck(drv_api.MemCreate(&h, sz, &e.ap, 0));
  cuCheck(drv_api.MemMap(va, sz, 0, h, 0));
  cuCheck(drv_api.MemSetAccess(va, sz, &e.acc, 1));
  vmm_check_ends(va, sz, 0x5a, "isolation");
  cuCheck(drv_api.MemUnmap(va, sz));
  cuCheck(drv_api.MemRelease(h));
  cuCheck(drv_api.MemAddressFree(va, sz));
}

/* 1. In isolation by handle size: one handle reserved, created, mapped,
 * opened, unmapped, released and freed at a time, e.calls times per size;
 * the handle table, the sizes skipped, and the size slopes (c). */
static void vmm_isolation(vmm_env &e, constants &c) {
  std::string skipped;
  size_t prev = 0;
  for (size_t mib : {2, 4, 8, 16, 64, 256, 1024}) {
    size_t sz = e.round_up(mib << 20);
    if (sz == prev) continue;
    size_t fr = 0, tot = 0;
    cudaCheck(cudaMemGetInfo(&fr, &tot));
    if (sz + (1ull << 30) > fr) {
      char b[128];
      snprintf(b, sizeof b, "%7zu MiB skipped: %zu bytes free\n", sz >> 20, fr);
      skipped += b;
      continue;
    }
    prev = sz;
    vmm_check_mapping(e, sz);
    std::vector<double> t[7];
    for (int i = 0; i < e.calls; i++) {
      CUdeviceptr va;
      CUmemGenericAllocationHandle h;
      double c0 = gpu_mono();
      cuCheck(drv_api.MemAddressReserve(&va, sz, 0, 0, 0));
      double c1 = gpu_mono();
      cuCheck(drv_api.MemCreate(&h, sz, &e.ap, 0));
      double c2 = gpu_mono();
      cuCheck(drv_api.MemMap(va, sz, 0, h, 0));
      double c3 = gpu_mono();
      cuCheck(drv_api.MemSetAccess(va, sz, &e.acc, 1));
      double c4 = gpu_mono();
      cuCheck(drv_api.MemUnmap(va, sz));
      double c5 = gpu_mono();
      cuCheck(drv_api.MemRelease(h));
      double c6 = gpu_mono();
      cuCheck(drv_api.MemAddressFree(va, sz));
      double c7 = gpu_mono();
      double cc[8] = {c0, c1, c2, c3, c4, c5, c6, c7};
      for (int k = 0; k < 7; k++)
        t[k].push_back(cc[k + 1] - cc[k]);
    }
    e.R.lines += "-- vmm " + std::to_string(sz >> 20) +
                 " MiB medians in isolation (us):";
    for (int k = 0; k < 7; k++) {
      e.cs.add(vmm_handle_curve(k), "s", (double)sz, lab_median(t[k]));
      char b[64];
      snprintf(b, sizeof b, " %s %.2f", kVmmColumn[k], lab_median(t[k]) * 1e6);
      e.R.lines += b;
    }
    e.R.lines += "\n";
  }
  print_vmm_handle_table(e.R.out, e.cs, e.calls, e.gran, e.gran_rec);
  fprintf(e.R.out, "%s", skipped.c_str());
  vmm_slopes(e.cs, c);
}

/* e.cycles cycles among `live` handles of hsz bytes in context `busy`
 * (0 idle, 1 busy, 2 after a step): t[k] = seconds of call k */
static void vmm_in_use(const vmm_env &e, size_t hsz, int live, int busy,
                       std::vector<double> *t, int *launched) {
  CUdeviceptr base;
  cuCheck(drv_api.MemAddressReserve(&base, hsz * (live + 1), 0, 0, 0));
  std::vector<CUmemGenericAllocationHandle> slot(live + 1);
  for (int i = 0; i < live; i++) {
    CUdeviceptr va = base + (CUdeviceptr)i * hsz;
    cuCheck(drv_api.MemCreate(&slot[i], hsz, &e.ap, 0));
    cuCheck(drv_api.MemMap(va, hsz, 0, slot[i], 0));
    cuCheck(drv_api.MemSetAccess(va, hsz, &e.acc, 1));
  }
  for (int i = 0; i < e.cycles; i++) {
    /* busy: about 2 ms of reading kept queued on s2 */
    if (busy == 1 && cudaStreamQuery(e.s2) != cudaErrorNotReady) {
      for (int k = 0; k < 2; k++)
        cudaCheck(gpu_weight_read_launch(e.busy_buf, e.rb, 100, 0, e.busy_sink,
                                         4 * e.nsm, e.s2));
      *launched += 2;
    }
    if (busy == 2) {
      cudaCheck(gpu_weight_read_launch(e.busy_buf, e.rb, 100, 0, e.busy_sink,
                                       4 * e.nsm, e.s2));
      cudaCheck(cudaStreamSynchronize(e.s2));
    }
    int fresh = (i + live) % (live + 1), old = i % (live + 1);
    CUdeviceptr vnew = base + (CUdeviceptr)fresh * hsz,
                vold = base + (CUdeviceptr)old * hsz, vr;
    double c0 = gpu_mono();
    cuCheck(drv_api.MemAddressReserve(&vr, hsz, 0, 0, 0));
    double c1 = gpu_mono();
    cuCheck(drv_api.MemCreate(&slot[fresh], hsz, &e.ap, 0));
    double c2 = gpu_mono();
    cuCheck(drv_api.MemMap(vnew, hsz, 0, slot[fresh], 0));
    double c3 = gpu_mono();
    cuCheck(drv_api.MemSetAccess(vnew, hsz, &e.acc, 1));
    double c4 = gpu_mono();
    cuCheck(drv_api.MemUnmap(vold, hsz));
    double c5 = gpu_mono();
    cuCheck(drv_api.MemRelease(slot[old]));
    double c6 = gpu_mono();
    cuCheck(drv_api.MemAddressFree(vr, hsz));
    double c7 = gpu_mono();
    double cc[8] = {c0, c1, c2, c3, c4, c5, c6, c7};
    for (int k = 0; k < 7; k++)
      t[k].push_back(cc[k + 1] - cc[k]);
  }
  cudaCheck(cudaStreamSynchronize(e.s2));
  for (int i = e.cycles; i < e.cycles + live; i++) {
    int old = i % (live + 1);
    cuCheck(drv_api.MemUnmap(base + (CUdeviceptr)old * hsz, hsz));
    cuCheck(drv_api.MemRelease(slot[old]));
  }
  cuCheck(drv_api.MemAddressFree(base, hsz * (live + 1)));
}

/* 2. In use: a run keeps many handles mapped in large reserved ranges
 * and makes the calls one handle at a time, interleaved. Here: kLive
 * granularity handles live in one reserved range, then per cycle create
 * + map + set-access of a new handle, unmap + release of the oldest, and
 * a reserve + free of a granularity range; each call timed alone, 200
 * cycles, median per call and p10 / p90: with the GPU idle; while a read
 * stream keeps it busy (background map-ahead makes its calls beside the
 * compute); and right after a step (a read stream of a few ms, then a
 * host sync, then the calls: where a run's critical calls are made). The
 * scalar constants are the last. */
static void vmm_contexts(const vmm_env &e, constants &c) {
  const int kLive = 128;
  for (int busy = 0; busy < 3; busy++) {
    std::vector<double> t[7];
    int launched = 0;
    vmm_in_use(e, e.gran, kLive, busy, t, &launched);
    std::string line = vmm_context_line(e.gran, e.cycles, kLive, busy, t);
    if (busy == 1) {
      char b[64];
      snprintf(b, sizeof b, "; %d reads launched", launched);
      line += b;
    }
    e.R.note("%s", line.c_str());
    const char *ctx = busy == 0   ? "vmm_context_idle"
                      : busy == 1 ? "vmm_context_busy"
                                  : "vmm_context_after_step";
    for (int k = 0; k < 7; k++)
      e.cs.add_named(ctx, "s", kVmmCall[k], lab_median(t[k]));
    if (busy == 2)
      for (int k = 0; k < 6; k++)
        c.vmm[k] = lab_median(t[k]);
  }
}

/* idle cycles among other live-handle counts: with the 128 above, the
 * points of the live-handle table (vmm_live_<call>: x live handles) */
static void vmm_live_sweep(const vmm_env &e) {
  for (int live : {16, 1024, 4096}) {
    std::vector<double> t[7];
    int launched = 0;
    vmm_in_use(e, e.gran, live, 0, t, &launched);
    e.R.note("vmm live-handle sweep: %s",
             vmm_context_line(e.gran, e.cycles, live, 0, t).c_str());
    for (int k = 0; k < 7; k++)
      e.cs.add(std::string("vmm_live_") + kVmmCall[k], "s", live,
               lab_median(t[k]));
  }
}

/* the same in use with slab-sized handles (indirect's 64 MiB slabs): is
 * a call's cost in use its isolated cost by size times the granularity's
 * context factor? (vmm_slab_<ctx>: reported, not yet a model input) */
static void vmm_slabs(const vmm_env &e) {
  const size_t slab = e.round_up(64ull << 20);
  const int live = 32;
  for (int busy : {0, 2}) {
    std::vector<double> t[7];
    int launched = 0;
    vmm_in_use(e, slab, live, busy, t, &launched);
    e.R.note("%s", vmm_context_line(slab, e.cycles, live, busy, t).c_str());
    const char *ctx = busy == 0 ? "vmm_slab_idle" : "vmm_slab_after_step";
    for (int k = 0; k < 7; k++)
      e.cs.add_named(ctx, "s", kVmmCall[k], lab_median(t[k]));
  }
}

/* One growth series: create, map, set_access, unmap, release times. */
struct vmm_series {
  std::vector<double> t[5]; /* create map set_access unmap release */
};

/* n handles of hsz bytes grown one after another at base, each right
 * after a step, the last one checked, then all unmapped and released: the
 * times into *sr. */
static void vmm_grow(const vmm_env &e, size_t hsz, int n, CUdeviceptr base,
                     vmm_series *sr) {
  std::vector<CUmemGenericAllocationHandle> h(n);
  for (int i = 0; i < n; i++) {
    CUdeviceptr va = base + (CUdeviceptr)i * hsz;
    cudaCheck(gpu_weight_read_launch(e.busy_buf, e.rb, 100, 0, e.busy_sink,
                                     4 * e.nsm, e.s2));
    cudaCheck(cudaStreamSynchronize(e.s2));
    vmm_open_timed(va, hsz, e.ap, e.acc, &h[i], sr->t);
  }
  /* the check: the last handle's ends written and read back */
  vmm_check_ends(base + (CUdeviceptr)(n - 1) * hsz, hsz, 0x3c,
                 "growth series, last handle");
  for (int i = 0; i < n; i++) {
    CUdeviceptr va = base + (CUdeviceptr)i * hsz;
    double c0 = gpu_mono();
    cuCheck(drv_api.MemUnmap(va, hsz));
    double c1 = gpu_mono();
    cuCheck(drv_api.MemRelease(h[i]));
    double c2 = gpu_mono();
    sr->t[3].push_back(c1 - c0);
    sr->t[4].push_back(c2 - c1);
  }
}

/* 2b. Growth: a pool that grows (indirect's slabs, a vmm pool reaching a
 * new size) creates, maps and opens handles while none is released, into
 * address space never mapped before, each call right after a step. The
 * cycles above recycle a handle just released into a range just unmapped;
 * growth does neither. Three series per handle size, each `n` handles:
 * fresh (new range, the process's first growth at that size), again into
 * the same range after all were released (page tables kept), and into a
 * new range after that (memory recycled, address space new). Curves
 * vmm_grow_<call> (x = handle bytes, the fresh series' median: the model
 * input), vmm_regrow_va_<call> and vmm_regrow_<call> (reported); the
 * fresh series' teardown gives vmm_grow_{unmap,release}. */
static void vmm_growth_sizes(const vmm_env &e) {
  const struct {
    size_t mib;
    int n;
  } kGrow[] = {{2, 512}, {64, 48}}; /* ascending: the curves' x */
  for (const auto &g : kGrow) {
    const size_t hsz = e.round_up(g.mib << 20);
    size_t fr = 0, tot = 0;
    cudaCheck(cudaMemGetInfo(&fr, &tot));
    if (hsz * g.n + (2ull << 30) > fr) {
      e.R.note("vmm growth, %zu MiB x %d: skipped, %zu bytes free", g.mib, g.n,
               fr);
      continue;
    }
    CUdeviceptr va1, va2;
    cuCheck(drv_api.MemAddressReserve(&va1, hsz * g.n, 0, 0, 0));
    cuCheck(drv_api.MemAddressReserve(&va2, hsz * g.n, 0, 0, 0));
    vmm_series fresh, again, moved;
    vmm_grow(e, hsz, g.n, va1, &fresh);
    vmm_grow(e, hsz, g.n, va1, &again);
    vmm_grow(e, hsz, g.n, va2, &moved);
    cuCheck(drv_api.MemAddressFree(va1, hsz * g.n));
    cuCheck(drv_api.MemAddressFree(va2, hsz * g.n));
    vmm_growth(e.R, e.cs, 0, hsz, g.n, fresh.t);
    vmm_growth(e.R, e.cs, 1, hsz, g.n, again.t);
    vmm_growth(e.R, e.cs, 2, hsz, g.n, moved.t);
  }
}

/* 3. Address ranges alone by size: reserve then free, e.calls times per
 * size, up to the first size not available; the range table. */
static void vmm_ranges(const vmm_env &e) {
  size_t prev = 0;
  std::string unavailable;
  for (size_t mib : {2ull, 64ull, 1024ull, 16384ull, 262144ull, 1048576ull}) {
    size_t sz = e.round_up(mib << 20);
    if (sz == prev) continue;
    prev = sz;
    std::vector<double> tr, tf;
    CUresult rc = CUDA_SUCCESS;
    for (int i = 0; i < e.calls && rc == CUDA_SUCCESS; i++) {
      CUdeviceptr va = 0;
      double c0 = gpu_mono();
      rc = drv_api.MemAddressReserve(&va, sz, 0, 0, 0);
      double c1 = gpu_mono();
      if (rc != CUDA_SUCCESS) break;
      if (va == 0 || va % e.gran) {
        fprintf(stderr,
                "%s:%d: VMM check: a %zu MiB range at %#llx, not "
                "aligned to %zu\n",
                __FILE__, __LINE__, sz >> 20, (unsigned long long)va, e.gran);
        exit(EXIT_FAILURE);
      }
      cuCheck(drv_api.MemAddressFree(va, sz));
      double c2 = gpu_mono();
      tr.push_back(c1 - c0);
      tf.push_back(c2 - c1);
    }
    if (rc != CUDA_SUCCESS) {
      const char *es = nullptr;
      drv_api.GetErrorString(rc, &es);
      char b[160];
      snprintf(b, sizeof b,
               "%9zu MiB not available (%s); larger ranges not "
               "tried\n",
               sz >> 20, es ? es : "unknown error");
      unavailable = b;
      break;
    }
    e.cs.add("vmm_reserve", "s", (double)sz, lab_median(tr));
    e.cs.add("vmm_free_va", "s", (double)sz, lab_median(tf));
  }
  print_vmm_range_table(e.R.out, e.cs, e.calls);
  fprintf(e.R.out, "%s", unavailable.c_str());
}

/* 4. Reservations among live reservations: a vmm pool reserves one
 * range per layer and K / V for every request slot and keeps them, so
 * its later reserves are made among hundreds of live ranges. kLiveVa
 * ranges of 16 MiB (a layer's K or V at 8K tokens of an 8B model),
 * aligned to the granularity as the GPU backend asks, reserved one after
 * another, then freed last first; the median of each window of 64 calls
 * by the live ranges at its centre, and the pair with nothing else live
 * at x = 0: curves vmm_reserve_live_va and vmm_free_va_live_va (x =
 * other live ranges, y = s). */
static void vmm_live_ranges(const vmm_env &e) {
  const int kLiveVa = 1024, kWin = 64;
  const size_t rsz = e.round_up(kLiveVaRange);
  std::vector<CUdeviceptr> va(kLiveVa);
  std::vector<double> tr(kLiveVa), tf(kLiveVa), r0, f0;
  for (int i = 0; i < e.calls; i++) { /* nothing else live: the reference */
    double c0 = gpu_mono();
    cuCheck(drv_api.MemAddressReserve(&va[0], rsz, e.gran, 0, 0));
    double c1 = gpu_mono();
    cuCheck(drv_api.MemAddressFree(va[0], rsz));
    r0.push_back(c1 - c0);
    f0.push_back(gpu_mono() - c1);
  }
  e.cs.add("vmm_reserve_live_va", "s", 0, lab_median(r0));
  e.cs.add("vmm_free_va_live_va", "s", 0, lab_median(f0));
  for (int i = 0; i < kLiveVa; i++) {
    double c0 = gpu_mono();
    cuCheck(drv_api.MemAddressReserve(&va[i], rsz, e.gran, 0, 0));
    tr[i] = gpu_mono() - c0;
  }
  for (int i = kLiveVa - 1; i >= 0; i--) {
    double c0 = gpu_mono();
    cuCheck(drv_api.MemAddressFree(va[i], rsz));
    tf[i] = gpu_mono() - c0;
  }
  for (int w = 0; w + kWin <= kLiveVa; w += kWin) {
    std::vector<double> a(tr.begin() + w, tr.begin() + w + kWin),
        b(tf.begin() + w, tf.begin() + w + kWin);
    e.cs.add("vmm_reserve_live_va", "s", w + kWin / 2, lab_median(a));
    e.cs.add("vmm_free_va_live_va", "s", w + kWin / 2, lab_median(b));
  }
  print_vmm_live_va(e.R, e.cs, rsz);
}

void measure_vmm(curve_set &cs, results &R, constants &c, int dev, int nsm,
                 cudaStream_t s2) {
  load_driver_api();
  vmm_env e(cs, R);
  CUdevice cdev;
  cuCheck(drv_api.DeviceGet(&cdev, dev));
  e.ap.type = CU_MEM_ALLOCATION_TYPE_PINNED;
  e.ap.location.type = CU_MEM_LOCATION_TYPE_DEVICE;
  e.ap.location.id = cdev;
  cuCheck(drv_api.MemGetAllocationGranularity(
      &e.gran, &e.ap, CU_MEM_ALLOC_GRANULARITY_MINIMUM));
  cuCheck(drv_api.MemGetAllocationGranularity(
      &e.gran_rec, &e.ap, CU_MEM_ALLOC_GRANULARITY_RECOMMENDED));
  c.gran = e.gran;
  e.acc.location = e.ap.location;
  e.acc.flags = CU_MEM_ACCESS_FLAGS_PROT_READWRITE;
  e.calls = reps(64);
  e.nsm = nsm;
  e.s2 = s2;

  vmm_isolation(e, c); /* 1. */

  /* 2. In use (vmm_contexts): first the read stream that keeps the GPU
   * busy */
  e.cycles = reps(200);
  cudaCheck(cudaMalloc(&e.busy_buf, e.rb));
  cudaCheck(cudaMalloc(&e.busy_sink, sizeof(unsigned long long)));
  cudaCheck(cudaMemset(e.busy_buf, 0, e.rb));
  vmm_contexts(e, c);
  vmm_live_sweep(e);
  vmm_slabs(e);
  vmm_growth_sizes(e); /* 2b. */
  /* 2c. a call after a gap of steps, of launches, of serving steps, by
   * handle size */
  for (gap_series gs :
       {gap_series::steps, gap_series::launches, gap_series::serve})
    for (size_t mib : {2ull, 64ull})
      measure_vmm_gap(e.R, e.cs, e.ap, e.acc, e.round_up(mib << 20), e.busy_buf,
                      e.rb, e.busy_sink, e.nsm, e.s2, gs);
  /* 2d. growth by the calling thread, GPU busy (indirect's slabs) */
  for (size_t mib : {2ull, 64ull})
    measure_vmm_threads(e.R, e.cs, e.ap, e.acc, e.round_up(mib << 20),
                        mib == 2 ? 128 : 32, e.busy_buf, e.rb, e.busy_sink,
                        e.nsm, e.s2);
  cudaCheck(cudaFree(e.busy_buf));
  cudaCheck(cudaFree(e.busy_sink));

  vmm_ranges(e);      /* 3. */
  vmm_live_ranges(e); /* 4. */
  print_vmm_factors(R, cs);
}
