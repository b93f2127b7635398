/* compact.cu - kernel lab: slab compaction (compact.cuh). A list of blocks
 * moves inside one device slab (source = the block's current offset in the
 * offset table, destination given, all ranges disjoint) and the offset table
 * is rewritten to the new places. Checks every version against a CPU
 * reference (aligned and unaligned sizes and offsets, empty lists), then
 * times them against a device-to-device cudaMemcpyAsync of the same run.
 * Usage: lab_compact [--check]. Main entry point: main().
 */
#include "common.cuh"
#include "compact.cuh"
#include "kv_kernels.h"

static const char *kVersionName[] = {"", "v1", "v2", "lib"};

struct compact_case {
  uint64_t block_bytes, slot_stride, slots, entries, n;
  std::vector<int64_t> table, idx, dst;
};

/* n moves among `slots` slots of slot_stride bytes (+ shift bytes), the
 * table holding `entries` blocks of which n move. */
static compact_case make_case(uint64_t block_bytes, uint64_t slot_stride,
                              uint64_t n, uint64_t shift, lab_rng &r) {
  compact_case c;
  c.block_bytes = block_bytes;
  c.slot_stride = slot_stride;
  c.n = n;
  c.entries = n + n / 2 + 1;
  c.slots = c.entries + n + 1;
  std::vector<uint64_t> perm = lab_permutation(c.slots, r);
  /* entries live in the first `entries` slots of perm; moves go to the
   * next n slots (free, so every range is disjoint) */
  for (uint64_t e = 0; e < c.entries; e++)
    c.table.push_back((int64_t)(perm[e] * slot_stride + shift));
  std::vector<uint64_t> who = lab_permutation(c.entries, r);
  for (uint64_t i = 0; i < n; i++) {
    c.idx.push_back((int64_t)who[i]);
    c.dst.push_back((int64_t)(perm[c.entries + i] * slot_stride + shift));
  }
  return c;
}

static void cpu_compact(compact_case &c, unsigned char *slab) {
  for (uint64_t i = 0; i < c.n; i++) {
    memcpy(slab + c.dst[i], slab + c.table[c.idx[i]], c.block_bytes);
    c.table[c.idx[i]] = c.dst[i];
  }
}

struct dev_case {
  char *slab = nullptr;
  int64_t *table = nullptr, *table0 = nullptr, *idx = nullptr, *dst = nullptr;
  size_t slab_bytes;
  dev_case(const compact_case &c, const unsigned char *host)
      : slab_bytes((size_t)(c.slots * c.slot_stride + 16)) {
    cudaCheck(cudaMalloc(&slab, slab_bytes));
    cudaCheck(cudaMemcpy(slab, host, slab_bytes, cudaMemcpyHostToDevice));
    table = upload(c.table);
    table0 = upload(c.table);
    idx = upload(c.idx);
    dst = upload(c.dst);
  }
  static int64_t *upload(const std::vector<int64_t> &v) {
    int64_t *p = nullptr;
    cudaCheck(cudaMalloc(&p, (v.size() + 1) * sizeof(int64_t)));
    if (!v.empty())
      cudaCheck(cudaMemcpy(p, v.data(), v.size() * sizeof(int64_t),
                           cudaMemcpyHostToDevice));
    return p;
  }
  ~dev_case() {
    cudaFree(slab);
    cudaFree(table);
    cudaFree(table0);
    cudaFree(idx);
    cudaFree(dst);
  }
};

static void run_version(int v, const compact_case &c, dev_case &d, int sms,
                        cudaStream_t s) {
  if (v == 3)
    cudaCheck(kv_compact_launch(d.slab, d.table, c.n, d.idx, d.dst,
                                c.block_bytes, sms, s));
  else if (v == 1)
    cudaCheck(kvc::launch<1>(d.slab, d.table, c.n, d.idx, d.dst, c.block_bytes,
                             sms, s));
  else
    cudaCheck(kvc::launch<2>(d.slab, d.table, c.n, d.idx, d.dst, c.block_bytes,
                             sms, s));
}

static int run_checks(lab_rng &r) {
  struct shape {
    uint64_t block, stride, shift;
  } shapes[] = {{32768, 32768, 0},    {4096, 4096, 0}, {2050, 2064, 0},
                {16, 16, 0},          {4104, 4112, 8}, {7, 13, 3},
                {2097152, 2097152, 0}};
  const uint64_t ns[] = {0, 1, 100};
  int fails = 0, runs = 0;
  for (int v = 1; v <= 3; v++)
    for (const shape &sh : shapes)
      for (uint64_t n : ns) {
        if (sh.block > 65536 && n > 9) n = 9; /* keep the 2 MiB case small */
        compact_case c = make_case(sh.block, sh.stride, n, sh.shift, r);
        size_t bytes = (size_t)(c.slots * c.slot_stride + 16);
        std::vector<unsigned char> host(bytes);
        lab_fill_random(host.data(), bytes, r);
        dev_case d(c, host.data());
        run_version(v, c, d, 8, 0);
        cudaCheck(cudaDeviceSynchronize());
        cpu_compact(c, host.data());
        std::vector<unsigned char> got(bytes);
        std::vector<int64_t> tab(c.entries);
        cudaCheck(
            cudaMemcpy(got.data(), d.slab, bytes, cudaMemcpyDeviceToHost));
        cudaCheck(cudaMemcpy(tab.data(), d.table, c.entries * sizeof(int64_t),
                             cudaMemcpyDeviceToHost));
        bool ok = memcmp(got.data(), host.data(), bytes) == 0 &&
                  memcmp(tab.data(), c.table.data(),
                         c.entries * sizeof(int64_t)) == 0;
        if (!ok)
          printf("MISMATCH %s block=%llu stride=%llu shift=%llu n=%llu\n",
                 kVersionName[v], (unsigned long long)sh.block,
                 (unsigned long long)sh.stride, (unsigned long long)sh.shift,
                 (unsigned long long)n);
        fails += !ok;
        runs++;
      }
  printf("compact check: %d cases, %d failed\n", runs, fails);
  return fails;
}

static void run_bench(lab_rng &r) {
  lab_l2_flusher l2;
  cudaStream_t st;
  cudaCheck(cudaStreamCreateWithFlags(&st, cudaStreamNonBlocking));
  size_t cb = 256ull << 20;
  char *a, *b;
  cudaCheck(cudaMalloc(&a, cb));
  cudaCheck(cudaMalloc(&b, cb));
  cudaCheck(cudaMemset(a, 1, cb));
  double d2d = lab_gbps(
      2.0 * cb, lab_time_ms(10, st, l2, [&](cudaStream_t s) {
        cudaCheck(cudaMemcpyAsync(b, a, cb, cudaMemcpyDeviceToDevice, s));
      }));
  cudaCheck(cudaFree(a));
  cudaCheck(cudaFree(b));
  printf("\ndevice-to-device cudaMemcpyAsync 256 MiB: %.1f GB/s counting read "
         "+ write\n",
         d2d);
  printf("\ncompaction of 256 MiB in blocks of a given size, random disjoint "
         "places, all SMs\n");
  printf("%10s %7s | %9s %9s %9s | %7s\n", "block_B", "moves", "v1 r+w",
         "v2 r+w", "lib r+w", "%d2d");
  for (uint64_t block : {4096ull, 32768ull, 2097152ull}) {
    uint64_t n = cb / block;
    compact_case c = make_case(block, block, n, 0, r);
    size_t bytes = (size_t)(c.slots * c.slot_stride + 16);
    std::vector<unsigned char> host(bytes);
    lab_fill_random(host.data(), bytes, r);
    dev_case d(c, host.data());
    double g[4] = {0, 0, 0, 0};
    for (int v = 1; v <= 3; v++) {
      double ms = lab_time_ms_prep(
          10, st, l2,
          [&](cudaStream_t s) {
            cudaCheck(cudaMemcpyAsync(d.table, d.table0,
                                      c.entries * sizeof(int64_t),
                                      cudaMemcpyDeviceToDevice, s));
          },
          [&](cudaStream_t s) { run_version(v, c, d, 0, s); });
      g[v] = lab_gbps(2.0 * n * block, ms);
    }
    double best = std::max(g[1], std::max(g[2], g[3]));
    printf("%10llu %7llu | %9.1f %9.1f %9.1f | %6.1f%%\n",
           (unsigned long long)block, (unsigned long long)n, g[1], g[2], g[3],
           100.0 * best / d2d);
  }
  printf("(GB/s counting read + write; %%d2d: best / device-to-device copy)\n");
  cudaCheck(cudaStreamDestroy(st));
}

int main(int argc, char **argv) {
  lab_require_device();
  bool check_only = lab_has_flag(argc, argv, "--check");
  uint64_t seed = 20261122;
  printf("compact lab, seed %llu\n", (unsigned long long)seed);
  lab_print_device();
  lab_rng r(seed);
  int fails = run_checks(r);
  if (fails) {
    printf("FAILED\n");
    return 1;
  }
  printf("all versions match the CPU reference\n");
  if (!check_only) run_bench(r);
  return 0;
}
