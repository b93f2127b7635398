/* calib_multi_host.cu - kvsim-calibrate-multi's host side: the NUMA nodes
 * (sysfs, no libnuma), a GPU's node, pinned host buffers placed on a node
 * (allocated and first touched by a thread bound to its CPUs, the node the
 * pages landed on read back with move_pages), each GPU's host path checked,
 * and the timed copies between host memory and N GPUs at once (one thread
 * per GPU, started together at a barrier). What the files share:
 * calib_multi.cuh.
 * Main entry points: online_nodes, gpu_node, host_alloc_on, host_free,
 * check_host_path, reload_sources, host_copies.
 */
#include "calib_multi.cuh"

/* ---- NUMA without libnuma ---------------------------------------------- */

/* Parse a sysfs CPU or node list ("0-3,8,10-11") into `out`. */
static bool parse_list(const char *s, std::vector<int> &out) {
  out.clear();
  while (*s && *s != '\n') {
    char *end;
    long a = strtol(s, &end, 10);
    if (end == s) return false;
    long b = a;
    s = end;
    if (*s == '-') {
      b = strtol(s + 1, &end, 10);
      if (end == s + 1) return false;
      s = end;
    }
    for (long i = a; i <= b; i++)
      out.push_back((int)i);
    if (*s == ',') s++;
  }
  return !out.empty();
}

static bool read_line(const char *path, char *buf, size_t n) {
  FILE *f = fopen(path, "r");
  if (!f) return false;
  bool ok = fgets(buf, (int)n, f) != nullptr;
  fclose(f);
  return ok;
}

/* The NUMA nodes online (just {0} when sysfs does not say). */
std::vector<int> online_nodes(void) {
  char buf[256];
  std::vector<int> v;
  if (!read_line("/sys/devices/system/node/online", buf, sizeof buf) ||
      !parse_list(buf, v))
    v = {0};
  return v;
}

/* The NUMA node of CUDA device dev from its PCI bus id, -1 if unknown. */
int gpu_node(int dev) {
  char bus[32], path[128], buf[32];
  cudaCheck(cudaDeviceGetPCIBusId(bus, sizeof bus, dev));
  for (char *c = bus; *c; c++)
    *c = (char)tolower((unsigned char)*c);
  snprintf(path, sizeof path, "/sys/bus/pci/devices/%s/numa_node", bus);
  if (!read_line(path, buf, sizeof buf)) return -1;
  int n = atoi(buf);
  return n >= 0 ? n : -1;
}

/* Bind the calling thread to node's CPUs; false if it cannot. */
static bool bind_to_node(int node) {
  char path[96], buf[4096];
  snprintf(path, sizeof path, "/sys/devices/system/node/node%d/cpulist", node);
  std::vector<int> cpus;
  if (node < 0 || !read_line(path, buf, sizeof buf) || !parse_list(buf, cpus))
    return false;
  cpu_set_t set;
  CPU_ZERO(&set);
  for (int c : cpus)
    if (c < CPU_SETSIZE) CPU_SET(c, &set);
  return sched_setaffinity(0, sizeof set, &set) == 0;
}

/* The node most of 16 sampled pages of [p, p + bytes) are on (move_pages
 * with no target nodes reports them); -1 if the kernel does not say. */
static int pages_node(const void *p, size_t bytes) {
  const int n = 16;
  const size_t pg = (size_t)sysconf(_SC_PAGESIZE);
  void *pages[n];
  int status[n];
  for (int i = 0; i < n; i++)
    pages[i] = (void *)(((uintptr_t)p + bytes / n * i) & ~(uintptr_t)(pg - 1));
  if (syscall(SYS_move_pages, 0, (unsigned long)n, pages, nullptr, status, 0))
    return -1;
  int best = -1, best_n = 0;
  for (int i = 0; i < n; i++) {
    int k = 0;
    for (int j = 0; j < n; j++)
      k += status[j] == status[i];
    if (status[i] >= 0 && k > best_n) best = status[i], best_n = k;
  }
  return best;
}

host_buf host_alloc_on(int node, size_t bytes, uint64_t seed) {
  host_buf h;
  h.bytes = bytes;
  h.want = node;
  cpu_set_t old;
  bool saved = sched_getaffinity(0, sizeof old, &old) == 0;
  bool bound = saved && bind_to_node(node);
  void *p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) {
    fprintf(stderr, "%s:%d: mmap of %zu bytes failed\n", __FILE__, __LINE__,
            bytes);
    exit(EXIT_FAILURE);
  }
  h.p = (char *)p;
  lab_rng r(seed);
  lab_fill_random(h.p, bytes, r); /* the first touch, on the node's CPUs */
  if (bound) sched_setaffinity(0, sizeof old, &old);
  cudaCheck(cudaHostRegister(h.p, bytes, cudaHostRegisterPortable));
  h.got = pages_node(h.p, bytes);
  return h;
}

void host_free(host_buf &h) {
  if (!h.p) return;
  cudaCheck(cudaHostUnregister(h.p));
  munmap(h.p, h.bytes);
  h.p = nullptr;
}

const char *kPlace[2] = {"local", "remote"};
const char *kDir[3] = {"h2d", "d2h", "both"};

/* Check one GPU's host path at placement pl: the source copied H2D, D2D,
 * then D2H must come back byte for byte. */
void check_host_path(gpu_ctx &g, int pl) {
  cudaCheck(cudaSetDevice(g.dev));
  memset(g.h[pl][1].p, 0x5c, kBig);
  cudaCheck(cudaMemcpy(g.d_a, g.h[pl][0].p, kBig, cudaMemcpyHostToDevice));
  cudaCheck(cudaMemcpy(g.d_b, g.d_a, kBig, cudaMemcpyDeviceToDevice));
  cudaCheck(cudaMemcpy(g.h[pl][1].p, g.d_b, kBig, cudaMemcpyDeviceToHost));
  if (memcmp(g.h[pl][1].p, g.h[pl][0].p, kBig) != 0) {
    fprintf(stderr,
            "%s:%d: copy check: GPU %d, %s host memory: 256 MiB copied H2D, "
            "D2D, D2H differ from the source\n",
            __FILE__, __LINE__, g.dev, kPlace[pl]);
    exit(EXIT_FAILURE);
  }
}

/* Every GPU's d_a back to its own-node host source (the peer checks
 * compare against it; timed H2D copies overwrite it). */
void reload_sources(std::vector<gpu_ctx> &g) {
  for (gpu_ctx &x : g) {
    cudaCheck(cudaSetDevice(x.dev));
    cudaCheck(cudaMemcpy(x.d_a, x.h[0][0].p, kBig, cudaMemcpyHostToDevice));
  }
}

/* A start line for the copy threads of one timed run. */
struct start_line {
  pthread_barrier_t b;
  explicit start_line(unsigned n) {
    pthread_barrier_init(&b, nullptr, n);
  }
  ~start_line() {
    pthread_barrier_destroy(&b);
  }
  void wait() {
    pthread_barrier_wait(&b);
  }
};

/* One GPU's part of a timed run: `count` copies of sz bytes per direction
 * (dir 0 H2D, 1 D2H, 2 both on two streams), rotating over the buffers;
 * returns (through *sec) the GPU's own time between its events. */
static void copy_worker(gpu_ctx *g, int dir, int pl, size_t sz, int count,
                        start_line *go, double *sec) {
  cudaCheck(cudaSetDevice(g->dev));
  const size_t slots = kBig / sz;
  go->wait();
  for (int k = 0; k < 2; k++)
    if (dir == 2 || dir == k) cudaCheck(cudaEventRecord(g->e0[k], g->s[k]));
  for (int c = 0; c < count; c++) {
    size_t off = (size_t)(c % slots) * sz;
    if (dir != 1)
      cudaCheck(cudaMemcpyAsync(g->d_a + off, g->h[pl][0].p + off, sz,
                                cudaMemcpyHostToDevice, g->s[0]));
    if (dir != 0)
      cudaCheck(cudaMemcpyAsync(g->h[pl][1].p + off, g->d_b + off, sz,
                                cudaMemcpyDeviceToHost, g->s[1]));
  }
  double t = 0;
  for (int k = 0; k < 2; k++)
    if (dir == 2 || dir == k) {
      cudaCheck(cudaEventRecord(g->e1[k], g->s[k]));
      cudaCheck(cudaEventSynchronize(g->e1[k]));
      float ms = 0;
      cudaCheck(cudaEventElapsedTime(&ms, g->e0[k], g->e1[k]));
      t = std::max(t, (double)ms * 1e-3);
    }
  *sec = t;
}

/* Copies of sz bytes from GPUs 0..n-1 at once: the aggregate rate (all
 * bytes over the wall time from the common start to the last end), and in
 * per_gpu each GPU's own rate; medians over the repetitions. */
double host_copies(std::vector<gpu_ctx> &g, int n, int dir, int pl, size_t sz,
                   std::vector<double> &per_gpu) {
  const double volume = g_quick ? 64.0 * (1 << 20) : 512.0 * (1 << 20);
  int count = (int)std::min(1000.0, std::max(2.0, volume / (double)sz));
  double bytes_gpu = (double)count * sz * (dir == 2 ? 2 : 1);
  const int reps = g_quick ? 2 : 3;
  std::vector<double> agg;
  std::vector<std::vector<double>> each(n);
  for (int r = 0; r < reps; r++) {
    start_line go((unsigned)n + 1);
    std::vector<double> sec(n, 0);
    std::vector<std::thread> th;
    for (int i = 0; i < n; i++)
      th.emplace_back(copy_worker, &g[i], dir, pl, sz, count, &go, &sec[i]);
    go.wait();
    double t0 = gpu_mono();
    for (std::thread &t : th)
      t.join();
    double wall = gpu_mono() - t0;
    agg.push_back(bytes_gpu * n / wall);
    for (int i = 0; i < n; i++)
      each[i].push_back(bytes_gpu / sec[i]);
  }
  per_gpu.assign(n, 0);
  for (int i = 0; i < n; i++)
    per_gpu[i] = lab_median(each[i]);
  return lab_median(agg);
}
