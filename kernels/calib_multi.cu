/* calib_multi.cu - kvsim-calibrate-multi: what several GPUs of one server
 * do together, measured with 1..all of them at once, for the simulator's
 * multi-GPU platform fields (core/inputs/platform.h: host_bw, nvlink_bw,
 * nvlink_lat, allreduce_table) and a raw-curve CSV of everything measured.
 * Measured:
 *   - copies between pinned host memory and every GPU at once, with N = 1..G
 *     GPUs active (GPUs 0..N-1), H2D, D2H and both directions together, by
 *     copy size, with the host buffers on the GPU's own NUMA node and on
 *     another (when the machine has one): per-GPU rates (CUDA events on each
 *     GPU) and the aggregate (bytes over the host wall time from a common
 *     start to the last GPU's end). Each GPU is fed by its own host thread,
 *     all started together at a barrier. The host buffers are allocated,
 *     first touched and registered (cudaHostRegister) by a thread bound to
 *     the CPUs of the wanted node (/sys/devices/system/node/nodeN/cpulist);
 *     a GPU's node is /sys/bus/pci/devices/<bus id>/numa_node; the node the
 *     pages landed on is read back with move_pages(2) and reported. No
 *     libnuma.
 *   - peer copies over NVLink (or whatever peer path the GPUs have): the
 *     copy engine (cudaMemcpyPeerAsync) and an SM kernel on one GPU reading
 *     the other's memory, by size (GPU 0 -> 1); a dependent read chain in
 *     peer memory (latency); every ordered pair at 256 MiB; both ways at
 *     once; GPU 0 to all others at once (its NVLink egress); every GPU to
 *     the next at once.
 *   - all-reduce (sum, bf16) through NCCL's C API for TP 2, 4 and 8 (those
 *     that fit the GPUs present): ncclCommInitAll on GPUs 0..tp-1, one
 *     thread, each call a group over the ranks, by message size per GPU.
 *     NCCL is opened at run time (dlopen of libnccl.so.2), so the program
 *     starts and measures the copies without it and says NCCL is missing;
 *     built without nccl.h it says so too. NVLink multicast (NVLS) is kept
 *     off: NCCL_NVLS_ENABLE=0 is set in the environment before NCCL loads.
 * Every copy's bytes are checked, and every all-reduce's result against the
 * sum computed on the CPU, before the case is timed.
 * Shared with kvsim-calibrate rather than copied: the report notes, curve
 * set and CSV writer (calib_io.cuh), the event timer and RNG (common.cuh),
 * the host clock (gpu/gpu_drv.h: gpu_mono).
 * Usage: kvsim-calibrate-multi [--lua FILE] [--name NAME] [--base PRESET]
 *                              [--gpus N] [--quick] [--no-allreduce]
 *        kvsim-calibrate-multi --example DIR  (made-up figures through the
 *        same writers, no GPU needed)
 * The program's files and what each holds: calib_multi.cuh. Here: main,
 * the command line, GPU setup and teardown, the host-copy sweep.
 * Main entry point: main().
 */
#include "calib_multi.cuh"

bool g_quick = false;

/* The command line's settings (main). */
struct multi_args {
  const char *lua_path = nullptr, *name = nullptr, *base = nullptr;
  int want = 0;
  bool allreduce = true;
};

/* Reads the command line into a (--quick sets g_quick); -1 to go on, else
 * main's exit status: --example's (after writing the example files) or 2
 * with the usage. */
static int parse_args(int argc, char **argv, multi_args &a) {
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--lua") && i + 1 < argc)
      a.lua_path = argv[++i];
    else if (!strcmp(argv[i], "--name") && i + 1 < argc)
      a.name = argv[++i];
    else if (!strcmp(argv[i], "--base") && i + 1 < argc)
      a.base = argv[++i];
    else if (!strcmp(argv[i], "--gpus") && i + 1 < argc)
      a.want = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--quick"))
      g_quick = true;
    else if (!strcmp(argv[i], "--no-allreduce"))
      a.allreduce = false;
    else if (!strcmp(argv[i], "--example") && i + 1 < argc)
      return write_example(argv[++i]);
    else {
      fprintf(stderr,
              "usage: %s [--lua FILE] [--name NAME] [--base PRESET] "
              "[--gpus N] [--quick] [--no-allreduce]\n"
              "       %s --example DIR\n",
              argv[0], argv[0]);
      return 2;
    }
  }
  return -1;
}

/* Fills every GPU's context: its node and another node for remote pages
 * (from `nodes`), device buffers, streams, events and host buffers, each
 * GPU's host path checked; appends each GPU's placement to `where` and
 * returns the number of placements (1, or 2 when every GPU has another
 * node). */
static int setup_gpus(std::vector<gpu_ctx> &g, const std::vector<int> &nodes,
                      std::string &where) {
  const int G = (int)g.size();
  int places = 1;
  for (int i = 0; i < G; i++) {
    g[i].dev = i;
    g[i].node = gpu_node(i);
    for (int nd : nodes)
      if (nd != (g[i].node < 0 ? 0 : g[i].node)) {
        g[i].other = nd;
        break;
      }
    if (g[i].other >= 0) places = 2;
  }
  for (int i = 0; i < G; i++)
    if (g[i].other < 0) places = 1; /* remote only when every GPU has one */
  for (int i = 0; i < G; i++) {
    cudaCheck(cudaSetDevice(i));
    cudaCheck(cudaMalloc(&g[i].d_a, kBig));
    cudaCheck(cudaMalloc(&g[i].d_b, kBig));
    for (int k = 0; k < 2; k++) {
      cudaCheck(cudaStreamCreateWithFlags(&g[i].s[k], cudaStreamNonBlocking));
      cudaCheck(cudaEventCreate(&g[i].e0[k]));
      cudaCheck(cudaEventCreate(&g[i].e1[k]));
    }
    for (int pl = 0; pl < places; pl++)
      for (int k = 0; k < 2; k++)
        g[i].h[pl][k] = host_alloc_on(pl ? g[i].other : g[i].node, kBig,
                                      1000 + 10 * i + 2 * pl + k);
    char b[160];
    snprintf(b, sizeof b, "%sGPU %d node %d (local pages on %d%s)",
             i ? "; " : "", i, g[i].node, g[i].h[0][0].got,
             places > 1 ? "" : ", no other node");
    where += b;
    if (places > 1) {
      snprintf(b, sizeof b, ", remote node %d (pages on %d)", g[i].other,
               g[i].h[1][0].got);
      where += b;
    }
    for (int pl = 0; pl < places; pl++)
      check_host_path(g[i], pl);
  }
  return places;
}

/* Host copies with N = 1..G GPUs at once, every placement, direction and
 * size: the aggregate and per-GPU curves, and each GPU's at kBig. */
static void measure_host(std::vector<gpu_ctx> &g, int places, curve_set &cs) {
  const int G = (int)g.size();
  const size_t first = g_quick ? (1ull << 20) : 65536;
  for (int pl = 0; pl < places; pl++)
    for (int d = 0; d < 3; d++)
      for (int n = 1; n <= G; n++)
        for (size_t sz = first; sz <= kBig; sz *= 4) {
          std::vector<double> per;
          double agg = host_copies(g, n, d, pl, sz, per);
          char a[64], p[64];
          snprintf(a, sizeof a, "host_%s_%s_n%d_aggregate", kPlace[pl], kDir[d],
                   n);
          snprintf(p, sizeof p, "host_%s_%s_n%d_per_gpu", kPlace[pl], kDir[d],
                   n);
          double mean = 0, lo = per[0];
          for (double v : per)
            mean += v / n, lo = std::min(lo, v);
          cs.add(a, "B/s", (double)sz, agg);
          cs.add(p, "B/s", (double)sz, mean);
          if (sz == kBig)
            for (int i = 0; i < n; i++) {
              char e[64];
              snprintf(e, sizeof e, "host_%s_%s_n%d_gpu%d", kPlace[pl], kDir[d],
                       n, i);
              cs.add(e, "B/s", (double)sz, per[i]);
            }
        }
}

/* Frees every GPU's buffers, streams and events and its host buffers. */
static void free_gpus(std::vector<gpu_ctx> &g) {
  for (gpu_ctx &x : g) {
    cudaCheck(cudaSetDevice(x.dev));
    cudaCheck(cudaFree(x.d_a));
    cudaCheck(cudaFree(x.d_b));
    for (int k = 0; k < 2; k++) {
      cudaCheck(cudaStreamDestroy(x.s[k]));
      cudaCheck(cudaEventDestroy(x.e0[k]));
      cudaCheck(cudaEventDestroy(x.e1[k]));
    }
    for (int pl = 0; pl < 2; pl++)
      for (int k = 0; k < 2; k++)
        host_free(x.h[pl][k]);
  }
}

int main(int argc, char **argv) {
  multi_args args;
  const int rc = parse_args(argc, argv, args);
  if (rc >= 0) return rc;
  const char *lua_path = args.lua_path, *name = args.name, *base = args.base;
  const int want = args.want;
  const bool allreduce = args.allreduce;
  setvbuf(stdout, nullptr, _IOLBF, 0); /* lines kept if a limit kills it */
  lab_require_device();
  int G = 0, drv = 0;
  cudaCheck(cudaGetDeviceCount(&G));
  if (want > 0 && want < G) G = want;
  cudaCheck(cudaDriverGetVersion(&drv));
  cudaDeviceProp prop;
  cudaCheck(cudaGetDeviceProperties(&prop, 0));
  std::string card = prop.name;
  if (!base)
    base = card.find("H200") != std::string::npos   ? "h200-141gb"
           : card.find("H100") != std::string::npos ? "h100-sxm-80gb"
                                                    : "";
  std::string dflt = card.find("H200") != std::string::npos   ? "h200"
                     : card.find("H100") != std::string::npos ? "h100"
                                                              : "gpu";
  dflt += "x" + std::to_string(G) + "-measured";
  if (!name) name = dflt.c_str();
  results R;
  curve_set cs;
  char date[32];
  time_t tt = time(nullptr);
  strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", gmtime(&tt));
  double t_start = gpu_mono();

  /* ---- GPUs, their nodes, buffers, checks ---- */
  std::vector<int> nodes = online_nodes();
  std::vector<gpu_ctx> g(G);
  std::string where;
  const int places = setup_gpus(g, nodes, where);
  std::string nl;
  for (int nd : nodes)
    nl += " " + std::to_string(nd);
  R.note("devices: %d x %s, driver API %d, %s; NUMA nodes online:%s", G,
         prop.name, drv, date, nl.c_str());
  R.note("placement: %s", where.c_str());
  R.note("every GPU's host path checked (256 MiB H2D, D2D, D2H, byte for "
         "byte) in each placement");

  /* ---- host copies, N = 1..G GPUs at once ---- */
  measure_host(g, places, cs);
  print_host_tables(R.out, cs, G, places);
  note_sharing(R, cs, G, places);
  {
    multi_constants c0 = constants_of(cs, G, peer_results());
    R.note("host DRAM for DMA: largest aggregate %.2f GB/s (host_bw)",
           c0.host_bw / 1e9);
  }

  /* ---- peers and all-reduce ---- */
  reload_sources(g);
  peer_results P = measure_peer(g, cs, R);
  /* the files are written before the all-reduce too, so that a failure or
   * a time limit there keeps the copy and peer figures */
  char source[512];
  snprintf(source, sizeof source,
           "kvsim-calibrate-multi on %d x %s, driver API %d, %s", G, prop.name,
           drv, date);
  auto save = [&](bool last) {
    multi_constants c = constants_of(cs, G, P);
    if (last)
      fprintf(R.out,
              "\nplatform fields (%s%s%s): gpus_per_server %d, host_bw "
              "%.4g, nvlink_bw %.4g, nvlink_lat %.4g\n",
              name, *base ? ", base " : "", base, c.gpus, c.host_bw,
              c.nvlink_bw, c.nvlink_lat);
    if (!lua_path) return;
    write_multi_lua(lua_path, name, base, R.lines, c, cs, source);
    write_csv(csv_path_of(lua_path), cs);
    printf("wrote %s\nwrote %s%s\n", lua_path, csv_path_of(lua_path).c_str(),
           last ? "" : " (before the all-reduce)");
  };
  save(false);
  if (allreduce) measure_allreduce(g, cs, R);
  save(true);
  printf("calibration took %.1f s\n", gpu_mono() - t_start);
  free_gpus(g);
  return 0;
}
