/* gpu_probe.c - the gap probe: VMM calls after a gap of a serving run.
 *
 * kvsim-calibrate prices a driver call after a gap by filling the gap with
 * a stand-in (read kernels, launches, a miniature step). In validation runs
 * a step's first VMM call goes cold sooner than any stand-in makes it
 * (results/2026-12-06-h100-servegap). The probe measures the call where the
 * model applies it: inside a run of the engine on this backend, between
 * steps. With KVSIM_GPU_GAP_PROBE=FILE, before a step that comes at least
 * the next target gap after the last probe, the backend makes one group of
 * calls on a handle of its own, which the run never sees:
 *   odd probes:  reserve, create, map, set_access (then one byte written
 *                and read back: the handle works);
 *   even probes: unmap, release, free of that handle.
 * so that each group is the first driver work after a gap, as a slab's
 * calls are. Targets go through kProbeMs twice per handle size (a create
 * group and a release group each), sizes alternate 2 and 64 MiB. Each
 * call's time and the time since its kind's last call are kept; when the
 * backend is destroyed FILE gets one line per size and target in the
 * format of kvsim-calibrate's gap series ("vmm after a gap in a serving
 * run, ..."), which scripts/kvsim/calibration.lua reads as the
 * vmm_gaprun_<call>_<MiB> curves.
 * Main entry points: gpu_probe_open(), gpu_probe_step(), gpu_probe_close().
 */
#include "gpu_internal.h"

#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* target gaps between two probes, ms (a group's kinds come every other
 * probe: twice this since their last call) */
static const double kProbeMs[] = {2.5, 5, 10, 25, 50, 100, 250, 500};
enum { NT = sizeof kProbeMs / sizeof kProbeMs[0], NCALL = 7 };
static const size_t kProbeMiB[2] = {2, 64};
/* column order of the report line (kvsim-calibrate's kVmmColumn) */
static const char *const kCol[NCALL] = {
    "reserve", "create", "map", "set_access", "unmap", "release", "addr_free"};

typedef struct probe_sample {
  uint8_t size, target, call;
  float gap, t; /* s */
} probe_sample;

struct gpu_probe {
  FILE *out;
  char *path;
  double last_probe;  /* gpu_mono() of the last probe, 0 none */
  double last[NCALL]; /* gpu_mono() when each kind's last call ended */
  uint32_t n;         /* probes made */
  CUdeviceptr va;     /* the live handle's range, 0 none */
  CUmemGenericAllocationHandle h;
  size_t bytes;
  probe_sample *v;
  size_t nv, cap;
};

kv_status gpu_probe_open(gpu_state *s, kv_error *err) {
  const char *path = getenv("KVSIM_GPU_GAP_PROBE");
  if (!path || !*path) return KV_OK;
  FILE *f = fopen(path, "w");
  if (!f)
    return kv_error_set(err, KV_EIO, "KVSIM_GPU_GAP_PROBE=%s: %s", path,
                        strerror(errno));
  gpu_probe *p = kv_xcalloc(1, sizeof *p);
  p->out = f;
  p->path = kv_xstrdup(path);
  s->probe = p;
  return KV_OK;
}

static void keep(gpu_probe *p, int size, int target, int call, double gap,
                 double t) {
  if (p->nv == p->cap) {
    p->cap = p->cap ? 2 * p->cap : 256;
    p->v = kv_xrealloc(p->v, p->cap * sizeof *p->v);
  }
  p->v[p->nv++] = (probe_sample){(uint8_t)size, (uint8_t)target, (uint8_t)call,
                                 (float)gap, (float)t};
}

/* Time one driver call of kind k (a failure returns through GPU_DRV). */
#define PROBE_CALL(k, expr)                                                    \
  do {                                                                         \
    double c0_ = gpu_mono();                                                   \
    GPU_DRV(expr);                                                             \
    double c1_ = gpu_mono();                                                   \
    if (p->last[k] > 0) keep(p, size, target, k, c0_ - p->last[k], c1_ - c0_); \
    p->last[k] = c1_;                                                          \
  } while (0)

kv_status gpu_probe_step(gpu_state *s, kv_error *err) {
  gpu_probe *p = s->probe;
  if (!p) return KV_OK;
  /* probe n: target (n / 2) % NT, size (n / (2 NT)) % 2, group n % 2 */
  const int target = (int)((p->n / 2) % NT);
  const int size = (int)((p->n / (2 * NT)) % 2);
  double now = gpu_mono();
  if (p->last_probe > 0 && now - p->last_probe < kProbeMs[target] * 1e-3)
    return KV_OK;
  if (p->n % 2 == 0) {
    const size_t bytes = kProbeMiB[size] << 20;
    CUmemAllocationProp prop;
    memset(&prop, 0, sizeof prop);
    prop.type = CU_MEM_ALLOCATION_TYPE_PINNED;
    prop.location.type = CU_MEM_LOCATION_TYPE_DEVICE;
    prop.location.id = (int)s->dev;
    CUmemAccessDesc acc;
    memset(&acc, 0, sizeof acc);
    acc.location = prop.location;
    acc.flags = CU_MEM_ACCESS_FLAGS_PROT_READWRITE;
    p->bytes = 0; /* set once the handle is whole (what close frees) */
    PROBE_CALL(0, s->drv.MemAddressReserve(&p->va, bytes, 0, 0, 0));
    PROBE_CALL(1, s->drv.MemCreate(&p->h, bytes, &prop, 0));
    PROBE_CALL(2, s->drv.MemMap(p->va, bytes, 0, p->h, 0));
    PROBE_CALL(3, s->drv.MemSetAccess(p->va, bytes, &acc, 1));
    p->bytes = bytes;
    /* the handle works: its last byte written and read back */
    unsigned char b = 0;
    GPU_RT(cudaMemset((void *)(p->va + bytes - 1), 0x6b, 1));
    GPU_RT(
        cudaMemcpy(&b, (void *)(p->va + bytes - 1), 1, cudaMemcpyDeviceToHost));
    if (b != 0x6b)
      return kv_error_set(err, KV_EBACKEND,
                          "gap probe: a %zu MiB handle reads back %02x, "
                          "not 6b",
                          bytes >> 20, b);
  } else {
    PROBE_CALL(4, s->drv.MemUnmap(p->va, p->bytes));
    PROBE_CALL(5, s->drv.MemRelease(p->h));
    PROBE_CALL(6, s->drv.MemAddressFree(p->va, p->bytes));
    p->va = 0;
    p->bytes = 0;
  }
  p->n++;
  p->last_probe = gpu_mono();
  return KV_OK;
}

/* the median of the n values at v (sorted in place), 0 for none */
static double median(double *v, size_t n) {
  kv_sort_doubles(v, n);
  return kv_percentile_sorted(v, n, 50);
}

void gpu_probe_close(gpu_state *s) {
  gpu_probe *p = s->probe;
  if (!p) return;
  if (p->bytes) { /* a whole handle still live (a failed group's is left) */
    s->drv.MemUnmap(p->va, p->bytes);
    s->drv.MemRelease(p->h);
    s->drv.MemAddressFree(p->va, p->bytes);
  }
  double *g = kv_xmalloc((p->nv + 1) * sizeof *g);
  double *t = kv_xmalloc((p->nv + 1) * sizeof *t);
  for (int z = 0; z < 2; z++)
    for (int j = 0; j < NT; j++) {
      char line[1024];
      int len = 0, cycles = 0, any = 0;
      char cols[NCALL][64];
      for (int k = 0; k < NCALL; k++) {
        size_t m = 0;
        for (size_t i = 0; i < p->nv; i++)
          if (p->v[i].size == z && p->v[i].target == j && p->v[i].call == k) {
            g[m] = p->v[i].gap;
            t[m] = p->v[i].t;
            m++;
          }
        if ((int)m > cycles) cycles = (int)m;
        any |= m > 0;
        cols[k][0] = 0;
        if (m)
          snprintf(cols[k], sizeof cols[k], " %s %.2f @%.2f", kCol[k],
                   median(t, m) * 1e6, median(g, m) * 1e3);
      }
      if (!any) continue;
      len = snprintf(line, sizeof line,
                     "vmm after a gap in a serving run, %zu MiB, nominal %g "
                     "ms, %d cycles, us median @ ms since the call's last "
                     "(median):",
                     kProbeMiB[z], kProbeMs[j], cycles);
      for (int k = 0; k < NCALL && len > 0 && (size_t)len < sizeof line; k++)
        len += snprintf(line + len, sizeof line - (size_t)len, "%s", cols[k]);
      fprintf(p->out, "%s\n", line);
    }
  free(g);
  free(t);
  if (fclose(p->out) != 0)
    fprintf(stderr, "KVSIM_GPU_GAP_PROBE=%s: %s\n", p->path, strerror(errno));
  free(p->path);
  free(p->v);
  free(p);
  s->probe = NULL;
}
