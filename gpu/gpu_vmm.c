/* gpu_vmm.c - the CUDA VMM driver calls behind VMM_* ops.
 *
 * Tables: kvsim VA offsets -> real reservations (sorted by offset), handle
 * id -> CUmemGenericAllocationHandle. VMM_CREATE does not name its handles
 * (the strategy names them in the MAP that follows), so created handles wait
 * in `unnamed` and the next MAP run with an unknown id takes the oldest.
 * VMM_SET_ACCESS carries no runs: it applies to the ranges mapped since the
 * last SET_ACCESS, oldest first. Both queues are kept per lane (ops flagged
 * KV_OPF_BACKGROUND, or not): a strategy emits each create / map /
 * set-access group with one flag, so the groups of the two lanes may run in
 * either order (gpu_backend.c runs a step's critical ops first). UNMAP /
 * RELEASE without runs (strategy teardown) apply to every mapped / live
 * handle.
 * With KVSIM_GPU_CALL_LOG=FILE, every op (and each cuMemCreate of a
 * CREATE) is also a CSV row of FILE: when it began, on which lane, how
 * long it took, and the device's free memory before it (read once per op,
 * before its timed calls; a create's n-th handle is given that less the
 * n handles before it).
 * Main entry points: gpu_vmm_exec(), gpu_vmm_translate(),
 * gpu_vmm_release_all().
 */
#include "gpu_internal.h"

#include "util.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

kv_status gpu_call_log_open(gpu_state *s, kv_error *err) {
  s->log_t0 = gpu_mono();
  const char *path = getenv("KVSIM_GPU_CALL_LOG");
  if (!path || !*path) return KV_OK;
  s->call_log = fopen(path, "a");
  if (!s->call_log)
    return kv_error_set(err, KV_EIO, "KVSIM_GPU_CALL_LOG=%s: %s", path,
                        strerror(errno));
  if (ftell(s->call_log) == 0)
    fputs("wall_s,clock_s,lane,what,index,count,bytes,us,free_mib\n",
          s->call_log);
  return KV_OK;
}

void gpu_call_log_close(gpu_state *s) {
  if (s->call_log) fclose(s->call_log);
  s->call_log = NULL;
}

/* One row: `what` began at t0 (gpu_mono) and took dt seconds. */
static void log_row(gpu_state *s, const kv_op *op, const char *what, long index,
                    uint64_t bytes, double t0, double dt, size_t free_b) {
  fprintf(s->call_log, "%.6f,%.6f,%s,%s,%ld,%" PRIu32 ",%" PRIu64 ",%.1f,%zu\n",
          t0 - s->log_t0, s->clock,
          (op->flags & KV_OPF_BACKGROUND) ? "bg" : "crit", what, index,
          op->count, bytes, dt * 1e6, free_b >> 20);
}

/* The device's free bytes (0 without a call log), read outside the op's
 * timed calls; the read is a driver call too, so it is logged with its
 * time: a cost that moves from the op into it shows there. */
static size_t free_now(gpu_state *s, const kv_op *op) {
  size_t free_b = 0, total_b = 0;
  if (!s->call_log) return 0;
  double t0 = gpu_mono();
  if (cudaMemGetInfo(&free_b, &total_b) != cudaSuccess) cudaGetLastError();
  log_row(s, op, "cudaMemGetInfo", -1, 0, t0, gpu_mono() - t0, free_b);
  return free_b;
}

/* Index of the reservation holding offset `off`, or -1. */
static long find_va(const gpu_state *s, uint64_t off) {
  size_t lo = 0, hi = s->nvas;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (s->vas[mid].off + s->vas[mid].bytes <= off)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo < s->nvas && s->vas[lo].off <= off &&
      off < s->vas[lo].off + s->vas[lo].bytes)
    return (long)lo;
  return -1;
}

CUdeviceptr gpu_vmm_translate(const gpu_state *s, uint64_t off,
                              uint64_t bytes) {
  long i = find_va(s, off);
  if (i < 0) return 0;
  const gpu_va *v = &s->vas[i];
  if (off + bytes > v->off + v->bytes) return 0;
  return v->ptr + (off - v->off);
}

static uint8_t lane_of(const kv_op *op) {
  return (op->flags & KV_OPF_BACKGROUND) ? 1 : 0;
}

static void handles_grow(gpu_state *s, size_t id) {
  if (id < s->handles_cap) return;
  size_t cap = s->handles_cap ? s->handles_cap : 64;
  while (cap <= id)
    cap *= 2;
  s->handles = kv_xrealloc(s->handles, cap * sizeof *s->handles);
  memset(s->handles + s->handles_cap, 0,
         (cap - s->handles_cap) * sizeof *s->handles);
  s->handles_cap = cap;
}

static kv_status do_reserve(gpu_state *s, const kv_op *op, kv_error *err) {
  if (op->bytes == 0 || op->bytes % s->granularity)
    return kv_error_set(err, KV_EINVAL,
                        "gpu: VMM_RESERVE of %" PRIu64
                        " bytes is not a multiple of the driver's "
                        "granularity %" PRIu64,
                        op->bytes, s->granularity);
  if (find_va(s, op->addr) >= 0 ||
      (op->bytes > 1 && find_va(s, op->addr + op->bytes - 1) >= 0))
    return kv_error_set(err, KV_EINTERNAL,
                        "gpu: VMM_RESERVE at offset %" PRIu64
                        " overlaps a live reservation",
                        op->addr);
  CUdeviceptr ptr = 0;
  GPU_DRV(s->drv.MemAddressReserve(&ptr, op->bytes, s->granularity, 0, 0));
  if (s->nvas == s->vas_cap) {
    s->vas_cap = s->vas_cap ? 2 * s->vas_cap : 64;
    s->vas = kv_xrealloc(s->vas, s->vas_cap * sizeof *s->vas);
  }
  size_t at = s->nvas;
  while (at > 0 && s->vas[at - 1].off > op->addr) {
    s->vas[at] = s->vas[at - 1];
    at--;
  }
  s->vas[at] = (gpu_va){op->addr, op->bytes, ptr};
  s->nvas++;
  return KV_OK;
}

static kv_status do_free_va(gpu_state *s, const kv_op *op, kv_error *err) {
  long i = find_va(s, op->addr);
  if (i < 0 || s->vas[i].off != op->addr)
    return kv_error_set(err, KV_EINTERNAL,
                        "gpu: VMM_FREE_VA at offset %" PRIu64
                        " names no reservation",
                        op->addr);
  GPU_DRV(s->drv.MemAddressFree(s->vas[i].ptr, s->vas[i].bytes));
  memmove(&s->vas[i], &s->vas[i + 1],
          (s->nvas - (size_t)i - 1) * sizeof *s->vas);
  s->nvas--;
  return KV_OK;
}

/* free_b: the device's free bytes before the op (the call log's) */
static kv_status do_create(gpu_state *s, const kv_op *op, size_t free_b,
                           kv_error *err) {
  if (op->bytes == 0 || op->bytes % s->granularity)
    return kv_error_set(err, KV_EINVAL,
                        "gpu: VMM_CREATE of %" PRIu64
                        "-byte handles: not a multiple of the driver's "
                        "granularity %" PRIu64
                        " (smaller pages are a what-if for simulation only)",
                        op->bytes, s->granularity);
  uint64_t need = s->pool_bytes + s->scratch_bytes + s->vmm_bytes +
                  (uint64_t)op->count * op->bytes;
  if (need > s->budget)
    return kv_error_set(err, KV_ENOMEM,
                        "gpu: VMM_CREATE of %" PRIu32 " x %" PRIu64
                        " bytes would take the backend to %.3f GB, over its "
                        "device_budget of %.3f GB",
                        op->count, op->bytes, (double)need / 1e9,
                        (double)s->budget / 1e9);
  CUmemAllocationProp prop;
  memset(&prop, 0, sizeof prop);
  prop.type = CU_MEM_ALLOCATION_TYPE_PINNED;
  prop.location.type = CU_MEM_LOCATION_TYPE_DEVICE;
  prop.location.id = (int)s->dev;
  for (uint32_t i = 0; i < op->count; i++) {
    CUmemGenericAllocationHandle h;
    double t0 = gpu_mono();
    GPU_DRV(s->drv.MemCreate(&h, op->bytes, &prop, 0));
    if (s->call_log) {
      uint64_t taken = (uint64_t)i * op->bytes; /* by this op's creates */
      log_row(s, op, "cuMemCreate", (long)i, op->bytes, t0, gpu_mono() - t0,
              free_b > taken ? free_b - taken : 0);
    }
    if (s->nunnamed == s->unnamed_cap) {
      s->unnamed_cap = s->unnamed_cap ? 2 * s->unnamed_cap : 64;
      s->unnamed = kv_xrealloc(s->unnamed, s->unnamed_cap * sizeof *s->unnamed);
    }
    s->unnamed[s->nunnamed++] = (gpu_handle){h, op->bytes, 0, 1, lane_of(op)};
    s->vmm_bytes += op->bytes;
  }
  return KV_OK;
}

static kv_status do_map(gpu_state *s, const kv_op_list *l, const kv_op *op,
                        kv_error *err) {
  uint8_t lane = lane_of(op);
  if (op->runs_n != op->count)
    return kv_error_set(err, KV_EINVAL,
                        "gpu: VMM_MAP of %" PRIu32 " handles carries %" PRIu32
                        " runs: the GPU backend needs one run per handle",
                        op->count, op->runs_n);
  for (uint32_t r = 0; r < op->runs_n; r++) {
    const kv_run *run = &l->runs[op->runs_first + r];
    size_t id = (size_t)run->src;
    handles_grow(s, id);
    gpu_handle *h = &s->handles[id];
    if (!h->live) {
      size_t u = 0;
      while (u < s->nunnamed && s->unnamed[u].lane != lane)
        u++;
      if (u == s->nunnamed)
        return kv_error_set(err, KV_EINTERNAL,
                            "gpu: VMM_MAP of handle %zu, which was never "
                            "created",
                            id);
      *h = s->unnamed[u];
      memmove(&s->unnamed[u], &s->unnamed[u + 1],
              (s->nunnamed - u - 1) * sizeof *s->unnamed);
      s->nunnamed--;
    }
    if (h->mapped)
      return kv_error_set(err, KV_EINTERNAL,
                          "gpu: VMM_MAP of handle %zu, already mapped", id);
    if (run->bytes != h->bytes)
      return kv_error_set(err, KV_EINVAL,
                          "gpu: VMM_MAP run of %" PRIu64
                          " bytes for a handle of %" PRIu64,
                          run->bytes, h->bytes);
    CUdeviceptr ptr = gpu_vmm_translate(s, run->dst, run->bytes);
    if (!ptr)
      return kv_error_set(err, KV_EINTERNAL,
                          "gpu: VMM_MAP at VA offset %" PRIu64 " (+%" PRIu64
                          ") outside every reservation",
                          run->dst, run->bytes);
    GPU_DRV(s->drv.MemMap(ptr, h->bytes, 0, h->h, 0));
    h->mapped = ptr;
    if (s->npending == s->pending_cap) {
      s->pending_cap = s->pending_cap ? 2 * s->pending_cap : 64;
      s->pending_access = kv_xrealloc(
          s->pending_access, s->pending_cap * sizeof *s->pending_access);
    }
    s->pending_access[s->npending++] = (gpu_range){ptr, h->bytes, lane};
  }
  return KV_OK;
}

static kv_status do_set_access(gpu_state *s, const kv_op *op, kv_error *err) {
  uint8_t lane = lane_of(op);
  size_t have = 0;
  for (size_t i = 0; i < s->npending; i++)
    have += s->pending_access[i].lane == lane;
  if (op->count > have)
    return kv_error_set(err, KV_EINTERNAL,
                        "gpu: VMM_SET_ACCESS for %" PRIu32
                        " ranges but only %zu were mapped since the last one",
                        op->count, have);
  CUmemAccessDesc acc;
  memset(&acc, 0, sizeof acc);
  acc.location.type = CU_MEM_LOCATION_TYPE_DEVICE;
  acc.location.id = (int)s->dev;
  acc.flags = CU_MEM_ACCESS_FLAGS_PROT_READWRITE;
  /* the lane's oldest `count` ranges; the others keep their order */
  size_t done = 0, w = 0;
  for (size_t i = 0; i < s->npending; i++) {
    gpu_range r = s->pending_access[i];
    if (r.lane == lane && done < op->count) {
      GPU_DRV(s->drv.MemSetAccess(r.ptr, r.bytes, &acc, 1));
      done++;
      continue;
    }
    s->pending_access[w++] = r;
  }
  s->npending = w;
  return KV_OK;
}

static kv_status unmap_one(gpu_state *s, size_t id, kv_error *err) {
  gpu_handle *h = &s->handles[id];
  GPU_DRV(s->drv.MemUnmap(h->mapped, h->bytes));
  /* a range unmapped before its access was set is no longer pending */
  for (size_t i = 0; i < s->npending; i++)
    if (s->pending_access[i].ptr == h->mapped) {
      memmove(&s->pending_access[i], &s->pending_access[i + 1],
              (s->npending - i - 1) * sizeof *s->pending_access);
      s->npending--;
      break;
    }
  h->mapped = 0;
  return KV_OK;
}

static kv_status do_unmap(gpu_state *s, const kv_op_list *l, const kv_op *op,
                          kv_error *err) {
  kv_status rc;
  if (op->runs_n == 0) { /* teardown: everything mapped */
    for (size_t id = 0; id < s->handles_cap; id++)
      if (s->handles[id].live && s->handles[id].mapped &&
          (rc = unmap_one(s, id, err)) != KV_OK)
        return rc;
    return KV_OK;
  }
  for (uint32_t r = 0; r < op->runs_n; r++) {
    const kv_run *run = &l->runs[op->runs_first + r];
    size_t id = (size_t)run->src;
    if (id >= s->handles_cap || !s->handles[id].live || !s->handles[id].mapped)
      return kv_error_set(err, KV_EINTERNAL,
                          "gpu: VMM_UNMAP of handle %zu, which is not mapped",
                          id);
    if (s->handles[id].mapped != gpu_vmm_translate(s, run->dst, run->bytes))
      return kv_error_set(err, KV_EINTERNAL,
                          "gpu: VMM_UNMAP of handle %zu at VA offset %" PRIu64
                          ", where it is not mapped",
                          id, run->dst);
    if ((rc = unmap_one(s, id, err)) != KV_OK) return rc;
  }
  return KV_OK;
}

static kv_status release_one(gpu_state *s, gpu_handle *h, kv_error *err) {
  GPU_DRV(s->drv.MemRelease(h->h));
  s->vmm_bytes -= h->bytes;
  memset(h, 0, sizeof *h);
  return KV_OK;
}

static kv_status do_release(gpu_state *s, const kv_op_list *l, const kv_op *op,
                            kv_error *err) {
  kv_status rc;
  if (op->runs_n == 0) { /* teardown: everything live */
    for (size_t id = 0; id < s->handles_cap; id++) {
      gpu_handle *h = &s->handles[id];
      if (!h->live) continue;
      if (h->mapped && (rc = unmap_one(s, id, err)) != KV_OK) return rc;
      if ((rc = release_one(s, h, err)) != KV_OK) return rc;
    }
    while (s->nunnamed > 0)
      if ((rc = release_one(s, &s->unnamed[--s->nunnamed], err)) != KV_OK)
        return rc;
    return KV_OK;
  }
  for (uint32_t r = 0; r < op->runs_n; r++) {
    size_t id = (size_t)l->runs[op->runs_first + r].src;
    if (id >= s->handles_cap || !s->handles[id].live)
      return kv_error_set(err, KV_EINTERNAL,
                          "gpu: VMM_RELEASE of handle %zu, which is not live",
                          id);
    if (s->handles[id].mapped)
      return kv_error_set(err, KV_EINTERNAL,
                          "gpu: VMM_RELEASE of handle %zu while it is mapped",
                          id);
    if ((rc = release_one(s, &s->handles[id], err)) != KV_OK) return rc;
  }
  return KV_OK;
}

kv_status gpu_vmm_exec(gpu_state *s, const kv_op_list *l, const kv_op *op,
                       double *dt, kv_error *err) {
  size_t free_b = free_now(s, op);
  double t0 = gpu_mono();
  kv_status rc = KV_OK;
  switch ((kv_op_kind)op->kind) {
  case KV_OP_VMM_RESERVE: rc = do_reserve(s, op, err); break;
  case KV_OP_VMM_FREE_VA: rc = do_free_va(s, op, err); break;
  case KV_OP_VMM_CREATE: rc = do_create(s, op, free_b, err); break;
  case KV_OP_VMM_MAP: rc = do_map(s, l, op, err); break;
  case KV_OP_VMM_SET_ACCESS: rc = do_set_access(s, op, err); break;
  case KV_OP_VMM_UNMAP: rc = do_unmap(s, l, op, err); break;
  case KV_OP_VMM_RELEASE: rc = do_release(s, l, op, err); break;
  default:
    rc = kv_error_set(err, KV_EINTERNAL, "gpu: op kind %d is not a VMM op",
                      op->kind);
  }
  *dt = gpu_mono() - t0;
  if (s->call_log && rc == KV_OK)
    log_row(s, op, kv_op_kind_name((kv_op_kind)op->kind) + 4 /* "vmm_" */, -1,
            op->bytes, t0, *dt, free_b);
  return rc;
}

void gpu_vmm_release_all(gpu_state *s) {
  /* best effort: errors here cannot be reported past destroy */
  for (size_t id = 0; id < s->handles_cap; id++) {
    gpu_handle *h = &s->handles[id];
    if (!h->live) continue;
    if (h->mapped) s->drv.MemUnmap(h->mapped, h->bytes);
    s->drv.MemRelease(h->h);
    memset(h, 0, sizeof *h);
  }
  while (s->nunnamed > 0)
    s->drv.MemRelease(s->unnamed[--s->nunnamed].h);
  for (size_t i = 0; i < s->nvas; i++)
    s->drv.MemAddressFree(s->vas[i].ptr, s->vas[i].bytes);
  s->nvas = 0;
  s->npending = 0;
  s->vmm_bytes = 0;
  free(s->vas);
  free(s->handles);
  free(s->unnamed);
  free(s->pending_access);
  s->vas = NULL;
  s->handles = NULL;
  s->unnamed = NULL;
  s->pending_access = NULL;
  s->vas_cap = s->handles_cap = s->unnamed_cap = s->pending_cap = 0;
}
