/* calib_multi.cuh - what the files of kvsim-calibrate-multi share (what the
 * program measures and how: calib_multi.cu's top comment).
 * The program's files, each a concern:
 *   calib_multi.cu        main: the command line (--example, --quick, ...),
 *                         GPU setup (nodes, buffers, streams, each GPU's host
 *                         path checked), the host-copy sweep, the report's
 *                         notes, the writers' calls (report, Lua, CSV),
 *                         teardown;
 *   calib_multi_host.cu   NUMA without libnuma (sysfs, move_pages), pinned
 *                         host buffers on a node, the copy check and the
 *                         timed host copies from N GPUs at once (one thread
 *                         per GPU, a common start line);
 *   calib_multi_peer.cu   peer copies: access between every pair, copy
 *                         engine and SM read by size, latency, every
 *                         ordered pair, both ways, fan-out, ring;
 *   calib_multi_nccl.cu   the all-reduce through NCCL (opened at run time):
 *                         fill and check kernels, TP 2/4/8 by size;
 *   calib_multi_report.cu the report's host-copy tables and how the GPUs
 *                         share the host path (notes), the Lua platform and
 *                         the constants it carries, --example.
 * Here: the includes, the --quick flag, the largest copy, the host buffer,
 * per-GPU state and peer results, the placement and direction names, the
 * Lua file's constants, and the functions one file calls in another, by
 * the file that defines them.
 */
#ifndef KV_CALIB_MULTI_CUH
#define KV_CALIB_MULTI_CUH

#include <algorithm>
#include <cmath>
#include <cstring>
#include <ctime>
#include <string>
#include <thread>
#include <vector>

#include <pthread.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cuda_bf16.h>

#include "calib_io.cuh"
#include "common.cuh"
#include "gpu_drv.h"

/* --quick: fewer sizes and repetitions (set by main's parse_args; defined
 * in calib_multi.cu). */
extern bool g_quick;

static const size_t kBig = 256ull << 20; /* largest copy, per buffer */

/* Pinned host memory placed on a NUMA node: mapped, first touched by this
 * thread while bound to the node's CPUs, then registered with CUDA
 * (portable: every GPU may copy from it). */
struct host_buf {
  char *p = nullptr;
  size_t bytes = 0;
  int want = -1, got = -1; /* node asked for, node the pages are on */
};

/* ---- per-GPU state ------------------------------------------------------ */

struct gpu_ctx {
  int dev = 0;
  int node = -1;  /* the GPU's NUMA node (-1 unknown) */
  int other = -1; /* another node, -1 if the machine has one node */
  char *d_a = nullptr, *d_b = nullptr; /* kBig each: H2D dst, D2H src */
  host_buf h[2][2]; /* [local, other][0 = H2D source, 1 = D2H destination] */
  cudaStream_t s[2];
  cudaEvent_t e0[2], e1[2];
};

/* Placement and direction names (curve names, the report; defined in
 * calib_multi_host.cu). */
extern const char *kPlace[2];
extern const char *kDir[3];

/* What measure_peer found (constants_of and main read it). */
struct peer_results {
  bool ok = false;      /* GPUs 0 and 1 reach each other's memory */
  double ce_bw = 0;     /* copy engine 0 -> 1 at kBig, B/s */
  double ce_fixed = 0;  /* s per 4-byte peer copy, back to back */
  double sm_bw = 0;     /* SM read of peer memory at kBig, B/s */
  double lat = 0;       /* dependent peer read round trip, s */
  double fanout_bw = 0; /* GPU 0 to every other GPU at once, B/s */
  double duplex_bw = 0; /* 0 -> 1 and 1 -> 0 at once, B/s aggregate */
  double ring_bw = 0;   /* every GPU to the next at once, B/s aggregate */
};

/* What the Lua file says besides the all-reduce table. */
struct multi_constants {
  int gpus = 0;
  double host_bw = 0;    /* B/s: the largest aggregate, local memory */
  double nvlink_bw = 0;  /* B/s per direction per GPU, 0 = not measured */
  double nvlink_lat = 0; /* s */
};

/* ---- calib_multi_host.cu ------------------------------------------------ */

std::vector<int> online_nodes(void);
int gpu_node(int dev);
host_buf host_alloc_on(int node, size_t bytes, uint64_t seed);
void host_free(host_buf &h);
void check_host_path(gpu_ctx &g, int pl);
void reload_sources(std::vector<gpu_ctx> &g);
double host_copies(std::vector<gpu_ctx> &g, int n, int dir, int pl, size_t sz,
                   std::vector<double> &per_gpu);

/* ---- calib_multi_peer.cu ------------------------------------------------ */

peer_results measure_peer(std::vector<gpu_ctx> &g, curve_set &cs, results &R);

/* ---- calib_multi_nccl.cu ------------------------------------------------ */

bool measure_allreduce(std::vector<gpu_ctx> &g, curve_set &cs, results &R);

/* ---- calib_multi_report.cu ---------------------------------------------- */

void print_host_tables(FILE *f, const curve_set &cs, int G, int places);
void note_sharing(results &R, const curve_set &cs, int G, int places);
void write_multi_lua(const char *path, const char *name, const char *base,
                     const std::string &comments, const multi_constants &c,
                     const curve_set &cs, const std::string &source);
multi_constants constants_of(const curve_set &cs, int G, const peer_results &P);
int write_example(const char *dir);

#endif /* KV_CALIB_MULTI_CUH */
