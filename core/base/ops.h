/* ops.h - the typed operations strategies emit and backends execute.
 *
 * A strategy never touches memory or time: it says what it did as a list of
 * ops (DESIGN.md). The engine collects one list per step and hands it, with
 * the step's compute, to a backend, which turns each op into a duration
 * (ideal: fixed cost per op; sim/: SimGrid activities; gpu/: real calls).
 *
 * Addresses are offsets in kvsim's own address spaces: the device pool (or a
 * strategy's virtual address space for vmm / indirect slabs) and the host
 * tier. A backend maps them to real pointers.
 * Main entry points: kv_ops_push(), kv_ops_push_run(), kv_ops_clear().
 */
#ifndef KV_OPS_H
#define KV_OPS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum kv_op_kind {
  KV_OP_VMM_RESERVE,    /* cuMemAddressReserve: addr = VA base, bytes = size */
  KV_OP_VMM_FREE_VA,    /* cuMemAddressFree:    addr = VA base, bytes = size */
  KV_OP_VMM_CREATE,     /* cuMemCreate: count handles of `bytes` each */
  KV_OP_VMM_MAP,        /* cuMemMap: count handles (runs: src=handle, dst=VA) */
  KV_OP_VMM_SET_ACCESS, /* cuMemSetAccess: count ranges of `bytes` */
  KV_OP_VMM_UNMAP,      /* cuMemUnmap: count handles (runs as for MAP) */
  KV_OP_VMM_RELEASE,    /* cuMemRelease: count handles (runs: src=handle) */
  KV_OP_COPY,        /* bytes total in `count` contiguous runs, see dir/via */
  KV_OP_TABLE_WRITE, /* block/offset table update: count entries, bytes */
  KV_OP_ATTN_READ,   /* attention read of `bytes` KV through `mode` */
  KV_OP_COMPUTE,     /* one forward step: flops, bytes of HBM traffic */
  KV_OP__COUNT
} kv_op_kind;

typedef enum kv_copy_dir {
  KV_COPY_H2D, /* host tier -> device */
  KV_COPY_D2H, /* device -> host tier */
  KV_COPY_D2D, /* device -> device (compaction, copy-on-write) */
} kv_copy_dir;

typedef enum kv_copy_via {
  KV_VIA_ENGINE, /* one cudaMemcpyAsync per contiguous run (copy engine) */
  KV_VIA_KERNEL, /* one SM gather/scatter kernel over all runs */
  KV_VIA_BATCH,  /* one cudaMemcpyBatchAsync over all runs (copy engines) */
  KV_VIA__COUNT
} kv_copy_via;

typedef enum kv_addr_mode {
  KV_ADDR_CONTIGUOUS,  /* vmm / static: base + token*stride */
  KV_ADDR_BLOCK_TABLE, /* paged: block table lookup per block */
  KV_ADDR_OFFSET_TABLE /* indirect: offset table lookup per block */
} kv_addr_mode;

enum {
  KV_OPF_BACKGROUND = 1u << 0,  /* may overlap compute (map-ahead thread) */
  KV_OPF_CPU_OVERLAP = 1u << 1, /* COMPUTE: its cpu_time runs beside the
                                   step's GPU work (asynchronous
                                   scheduling) instead of before it */
  KV_OPF_DETACHED = 1u << 2,    /* COPY (with BACKGROUND): on a stream no
                                   step waits for (the stores of a host copy
                                   of the prefix cache): counted in the
                                   summary, not timed */
};

#define KV_NO_REQ UINT32_MAX

/* One contiguous piece of an op: a copy run (src -> dst, bytes) or, for
 * VMM_MAP/UNMAP/RELEASE, a handle (src = handle id, dst = VA, bytes). */
typedef struct kv_run {
  uint64_t src;
  uint64_t dst;
  uint64_t bytes;
} kv_run;

typedef struct kv_op {
  uint8_t kind;       /* kv_op_kind */
  uint8_t dir;        /* kv_copy_dir (COPY) */
  uint8_t via;        /* kv_copy_via (COPY) */
  uint8_t mode;       /* kv_addr_mode (ATTN_READ, COMPUTE) */
  uint8_t flags;      /* KV_OPF_* */
  uint32_t req;       /* request served, or KV_NO_REQ */
  uint32_t count;     /* driver calls / handles / runs / table entries */
  uint32_t runs_n;    /* runs attached to this op (0 = none recorded) */
  size_t runs_first;  /* index of the first run in kv_op_list.runs */
  uint64_t bytes;     /* VMM: bytes per handle; others: total bytes */
  uint64_t addr;      /* VMM_RESERVE / FREE_VA: VA base */
  double flops;       /* COMPUTE: floating-point operations */
  uint64_t kv_bytes;  /* COMPUTE: the part of `bytes` that is the KV read,
                         through the addressing mode `mode` with blocks of
                         `count` tokens (0 = contiguous) */
  double cpu_time;    /* COMPUTE: the engine's CPU seconds in the step
                         (scheduling, sampling, detokenization: engine.h
                         kv_overheads); the GPU waits for them unless
                         KV_OPF_CPU_OVERLAP */
  double launch_time; /* COMPUTE: host seconds launching the step's kernels
                         one by one (a step without a CUDA graph; 0 for a
                         graphed one): its compute lasts at least this */
  double fixed_time;  /* COMPUTE: GPU seconds the step's kernels cost beyond
                         the compute model's price (their starts, ramps and
                         tails: layers x overheads.layer_fixed) */
  /* COMPUTE: the step's shape, for operator-level compute models (the
   * GEMMs see `tokens` rows; decode attention reads `decode_keys` keys over
   * `decodes` requests; prefill attention scores `prefill_pairs` pairs) */
  uint32_t tokens;      /* new tokens computed in the step */
  uint32_t decodes;     /* requests computing exactly one (decode) token */
  double decode_keys;   /* keys the decoding requests attend to, summed over
                           them, averaged over layers (sliding windows) */
  double prefill_pairs; /* (query, key) pairs of the other requests, per layer
                           averaged as decode_keys */
} kv_op;

typedef struct kv_op_list {
  kv_op *ops;
  size_t n, cap;
  kv_run *runs;
  size_t runs_n, runs_cap;
  int record_runs; /* 0: backends that ignore addresses skip run storage */
} kv_op_list;

void kv_ops_init(kv_op_list *l, int record_runs);
void kv_ops_free(kv_op_list *l);
void kv_ops_clear(kv_op_list *l);

/* Append a zeroed op of `kind` for request `req` and return it. The pointer
 * is valid until the next push. Aborts on host out-of-memory. */
kv_op *kv_ops_push(kv_op_list *l, kv_op_kind kind, uint32_t req);

/* Attach one run to the last op pushed (which must be `op`); bumps
 * op->runs_n. A no-op when the list does not record runs. */
void kv_ops_push_run(kv_op_list *l, kv_op *op, uint64_t src, uint64_t dst,
                     uint64_t bytes);

/* Append all ops (and runs) of `src` to `dst`. */
void kv_ops_append(kv_op_list *dst, const kv_op_list *src);

const char *kv_op_kind_name(kv_op_kind k);
const char *kv_copy_dir_name(kv_copy_dir d);

/* "engine", "kernel", "batch" (the Lua copy_via / via values), or "?". */
const char *kv_copy_via_name(kv_copy_via v);

/* NULL-terminated list of those names, in enum order (for kv_lua_pick). */
extern const char *const kv_copy_via_names[KV_VIA__COUNT + 1];

/* Whether an op is a VMM driver call (the VMM kinds come first). */
static inline int kv_op_is_vmm(const kv_op *op) {
  return op->kind <= KV_OP_VMM_RELEASE;
}

/* Number of driver calls an op costs (count for VMM kinds, else 0). */
static inline uint32_t kv_op_driver_calls(const kv_op *op) {
  return kv_op_is_vmm(op) ? op->count : 0;
}

/* Driver calls that can take memory away from a copy still queued (unmap,
 * release, free VA, set access): a backend lets the queued copies finish
 * first. */
static inline int kv_op_waits_for_copies(const kv_op *op) {
  return op->kind == KV_OP_VMM_UNMAP || op->kind == KV_OP_VMM_RELEASE ||
         op->kind == KV_OP_VMM_FREE_VA || op->kind == KV_OP_VMM_SET_ACCESS;
}

#ifdef __cplusplus
}
#endif

#endif
