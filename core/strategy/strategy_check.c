/* strategy_check.c - the generic strategy checker (strategy_check.h): a
 * shadow of the VA, physical bytes and mappings the ops created, checked
 * against the strategy's stats and its token-to-address map.
 * Main entry points: kv_check_new(), kv_check_ops(), kv_check_state().
 */
#include "strategy_check.h"

#include "util.h"

#include <inttypes.h>
#include <stdlib.h>

/* A range [addr, addr + bytes) of VA (reserved or mapped). */
typedef struct ck_range {
  uint64_t addr, bytes;
} ck_range;

typedef struct ck_set {
  ck_range *r;
  size_t n, cap;
} ck_set;

/* Invariants: `va` ranges are pairwise disjoint, and so are `mapped` ones;
 * every mapped range lies inside one reserved range; created >= released
 * bytes at every step. */
struct kv_check {
  const kv_strategy_vt *vt;
  kv_strategy_cfg cfg;
  ck_set va;         /* reserved VA ranges (VMM_RESERVE - VMM_FREE_VA) */
  ck_set mapped;     /* mapped VA ranges (MAP runs - UNMAP runs) */
  uint64_t created;  /* physical bytes VMM_CREATE made */
  uint64_t released; /* physical bytes VMM_RELEASE gave back */
  kv_extent *ext;    /* scratch: every live extent (kv_check_state) */
  size_t ext_n, ext_cap;
};

static void set_add(ck_set *s, uint64_t addr, uint64_t bytes) {
  if (s->n == s->cap) {
    s->cap = s->cap ? 2 * s->cap : 64;
    s->r = kv_xrealloc(s->r, s->cap * sizeof *s->r);
  }
  s->r[s->n++] = (ck_range){addr, bytes};
}

/* Index of the range overlapping [addr, addr + bytes), or SIZE_MAX. */
static size_t set_overlap(const ck_set *s, uint64_t addr, uint64_t bytes) {
  for (size_t i = 0; i < s->n; i++)
    if (addr < s->r[i].addr + s->r[i].bytes && s->r[i].addr < addr + bytes)
      return i;
  return SIZE_MAX;
}

/* Index of the range that contains [addr, addr + bytes), or SIZE_MAX. */
static size_t set_inside(const ck_set *s, uint64_t addr, uint64_t bytes) {
  for (size_t i = 0; i < s->n; i++)
    if (addr >= s->r[i].addr && addr + bytes <= s->r[i].addr + s->r[i].bytes)
      return i;
  return SIZE_MAX;
}

static void set_del(ck_set *s, size_t i) {
  s->r[i] = s->r[--s->n];
}

kv_check *kv_check_new(const kv_strategy_vt *vt, const kv_strategy_cfg *cfg) {
  kv_check *c = kv_xcalloc(1, sizeof *c);
  c->vt = vt;
  c->cfg = *cfg;
  return c;
}

void kv_check_free(kv_check *c) {
  if (!c) return;
  free(c->va.r);
  free(c->mapped.r);
  free(c->ext);
  free(c);
}

bool kv_check_has_map(const kv_strategy_vt *vt) {
  return vt->version >= 5 && vt->token_map;
}

static kv_status op_map(kv_check *c, const kv_op_list *l, const kv_op *op,
                        kv_error *err) {
  for (size_t k = 0; k < op->runs_n; k++) {
    const kv_run *r = &l->runs[op->runs_first + k];
    if (set_inside(&c->va, r->dst, r->bytes) == SIZE_MAX)
      return kv_error_set(err, KV_EINVAL,
                          "check: %s maps [%" PRIu64 ", +%" PRIu64
                          ") outside reserved VA",
                          c->vt->name, r->dst, r->bytes);
    if (set_overlap(&c->mapped, r->dst, r->bytes) != SIZE_MAX)
      return kv_error_set(err, KV_EINVAL,
                          "check: %s maps [%" PRIu64 ", +%" PRIu64
                          ") over a mapped range",
                          c->vt->name, r->dst, r->bytes);
    set_add(&c->mapped, r->dst, r->bytes);
  }
  return KV_OK;
}

static kv_status op_unmap(kv_check *c, const kv_op_list *l, const kv_op *op,
                          kv_error *err) {
  if (op->runs_n == 0 && op->count > 0) { /* teardown names no range */
    if (op->count != c->mapped.n)
      return kv_error_set(err, KV_EINVAL,
                          "check: %s unmaps %" PRIu32
                          " unnamed handles, %zu are mapped",
                          c->vt->name, op->count, c->mapped.n);
    c->mapped.n = 0;
    return KV_OK;
  }
  for (size_t k = 0; k < op->runs_n; k++) {
    const kv_run *r = &l->runs[op->runs_first + k];
    size_t i = set_overlap(&c->mapped, r->dst, r->bytes);
    if (i == SIZE_MAX || c->mapped.r[i].addr != r->dst ||
        c->mapped.r[i].bytes != r->bytes)
      return kv_error_set(err, KV_EINVAL,
                          "check: %s unmaps [%" PRIu64 ", +%" PRIu64
                          ") that is not one mapped range",
                          c->vt->name, r->dst, r->bytes);
    set_del(&c->mapped, i);
  }
  return KV_OK;
}

static kv_status op_va(kv_check *c, const kv_op *op, kv_error *err) {
  if (op->kind == KV_OP_VMM_RESERVE) {
    if (set_overlap(&c->va, op->addr, op->bytes) != SIZE_MAX)
      return kv_error_set(err, KV_EINVAL,
                          "check: %s reserves VA %" PRIu64 " twice",
                          c->vt->name, op->addr);
    set_add(&c->va, op->addr, op->bytes);
    return KV_OK;
  }
  size_t i = set_overlap(&c->va, op->addr, op->bytes);
  if (i == SIZE_MAX || c->va.r[i].addr != op->addr ||
      c->va.r[i].bytes != op->bytes)
    return kv_error_set(err, KV_EINVAL,
                        "check: %s frees VA [%" PRIu64 ", +%" PRIu64
                        ") it did not reserve",
                        c->vt->name, op->addr, op->bytes);
  if (set_overlap(&c->mapped, op->addr, op->bytes) != SIZE_MAX)
    return kv_error_set(err, KV_EINVAL,
                        "check: %s frees VA %" PRIu64 " still mapped",
                        c->vt->name, op->addr);
  set_del(&c->va, i);
  return KV_OK;
}

kv_status kv_check_ops(kv_check *c, const kv_op_list *l, kv_error *err) {
  for (size_t i = 0; i < l->n; i++) {
    const kv_op *op = &l->ops[i];
    kv_status rc = KV_OK;
    switch (op->kind) {
    case KV_OP_VMM_RESERVE:
    case KV_OP_VMM_FREE_VA: rc = op_va(c, op, err); break;
    case KV_OP_VMM_CREATE: c->created += (uint64_t)op->count * op->bytes; break;
    case KV_OP_VMM_RELEASE:
      c->released += (uint64_t)op->count * op->bytes;
      if (c->released > c->created)
        rc = kv_error_set(err, KV_EINVAL,
                          "check: %s released %" PRIu64
                          " bytes, created only %" PRIu64,
                          c->vt->name, c->released, c->created);
      break;
    case KV_OP_VMM_MAP: rc = op_map(c, l, op, err); break;
    case KV_OP_VMM_UNMAP: rc = op_unmap(c, l, op, err); break;
    default: break;
    }
    if (rc != KV_OK) return rc;
  }
  return KV_OK;
}

static void ext_push(kv_check *c, kv_extent e) {
  if (c->ext_n == c->ext_cap) {
    c->ext_cap = c->ext_cap ? 2 * c->ext_cap : 256;
    c->ext = kv_xrealloc(c->ext, c->ext_cap * sizeof *c->ext);
  }
  c->ext[c->ext_n++] = e;
}

static int ext_cmp(const void *a, const void *b) {
  const kv_extent *x = a, *y = b;
  return (x->addr > y->addr) - (x->addr < y->addr);
}

enum { CK_MAX_EXT = 256 }; /* extents per token (lanes, layer ranges) */

/* Where extent j of token t must be, given where the map put the tokens of
 * the request so far: contiguous strategies at base(j) + t * stride, table
 * ones at entry_base(j, t / block) + (t % block) * stride. */
static kv_status check_addressing(const kv_check *c, uint32_t q, uint64_t t,
                                  const kv_extent *e, uint32_t n,
                                  kv_extent *first, uint32_t *first_n,
                                  kv_error *err) {
  uint64_t span = c->vt->addr_mode == KV_ADDR_CONTIGUOUS
                      ? UINT64_MAX
                      : (c->cfg.block_tokens ? c->cfg.block_tokens : 1);
  uint64_t pos = span == UINT64_MAX ? t : t % span;
  /* a new table entry, the first token, or lanes joining (a window) */
  if (pos == 0 || *first_n != n) {
    for (uint32_t j = 0; j < n; j++)
      first[j] = (kv_extent){e[j].addr - pos * e[j].bytes, e[j].bytes};
    *first_n = n;
    return KV_OK;
  }
  for (uint32_t j = 0; j < n; j++)
    if (e[j].bytes != first[j].bytes ||
        e[j].addr != first[j].addr + pos * first[j].bytes)
      return kv_error_set(
          err, KV_EINVAL,
          "check: %s req %" PRIu32 " token %" PRIu64 " extent %" PRIu32
          " at %" PRIu64 ", addressing (%s) says %" PRIu64,
          c->vt->name, q, t, j, e[j].addr,
          c->vt->addr_mode == KV_ADDR_CONTIGUOUS ? "contiguous" : "table",
          first[j].addr + pos * first[j].bytes);
  return KV_OK;
}

/* Collect every live token's extents; checks each lies where memory is
 * and follows the addressing mode. */
static kv_status collect(kv_check *c, const void *state, const uint64_t *tokens,
                         uint64_t *named, kv_error *err) {
  kv_extent e[CK_MAX_EXT], first[CK_MAX_EXT];
  c->ext_n = 0;
  *named = 0;
  for (uint32_t q = 0; q < c->cfg.max_requests; q++) {
    uint32_t first_n = 0;
    for (uint64_t t = 0; t < tokens[q]; t++) {
      uint32_t n = c->vt->token_map(state, q, t, e, CK_MAX_EXT);
      if (n > CK_MAX_EXT)
        return kv_error_set(err, KV_EINVAL,
                            "check: %s token in %" PRIu32 " extents (max %d)",
                            c->vt->name, n, CK_MAX_EXT);
      if (n == 0) { /* not on the device (behind a window) */
        first_n = 0;
        continue;
      }
      kv_status rc =
          kv_strategy_window(&c->cfg)
              ? KV_OK /* rings and window lanes: not checked */
              : check_addressing(c, q, t, e, n, first, &first_n, err);
      if (rc != KV_OK) return rc;
      for (uint32_t j = 0; j < n; j++) {
        bool in =
            c->vt->pool == KV_POOL_DEVICE
                ? e[j].addr + e[j].bytes <= c->cfg.capacity_bytes
                : set_inside(&c->mapped, e[j].addr, e[j].bytes) != SIZE_MAX;
        if (!in || e[j].bytes == 0)
          return kv_error_set(err, KV_EINVAL,
                              "check: %s req %" PRIu32 " token %" PRIu64
                              " at [%" PRIu64 ", +%" PRIu64 ") outside %s",
                              c->vt->name, q, t, e[j].addr, e[j].bytes,
                              c->vt->pool == KV_POOL_DEVICE ? "the pool"
                                                            : "mapped VA");
        ext_push(c, e[j]);
        *named += e[j].bytes;
      }
    }
  }
  return KV_OK;
}

static kv_status check_disjoint(kv_check *c, kv_error *err) {
  if (c->ext_n < 2) return KV_OK; /* (qsort of no array is undefined) */
  qsort(c->ext, c->ext_n, sizeof *c->ext, ext_cmp);
  for (size_t i = 1; i < c->ext_n; i++)
    if (c->ext[i].addr < c->ext[i - 1].addr + c->ext[i - 1].bytes)
      return kv_error_set(err, KV_EINVAL,
                          "check: %s: two live tokens share bytes at %" PRIu64,
                          c->vt->name, c->ext[i].addr);
  return KV_OK;
}

static kv_status check_conservation(const kv_check *c, const kv_mem_stats *s,
                                    kv_error *err) {
  if (c->vt->pool == KV_POOL_DEVICE) {
    if (c->created != 0 || c->va.n != 0)
      return kv_error_set(err, KV_EINVAL,
                          "check: %s has a device pool and emits VMM ops",
                          c->vt->name);
    if (s->backed > c->cfg.capacity_bytes)
      return kv_error_set(err, KV_EINVAL,
                          "check: %s backed %" PRIu64 " > capacity %" PRIu64,
                          c->vt->name, s->backed, c->cfg.capacity_bytes);
    return KV_OK;
  }
  uint64_t phys = c->created - c->released, va = 0;
  for (size_t i = 0; i < c->va.n; i++)
    va += c->va.r[i].bytes;
  /* requests' bytes come from created handles; a slab strategy may hold
     created bytes no request uses (they are in `free`) */
  if (s->backed > phys || phys > c->cfg.capacity_bytes)
    return kv_error_set(err, KV_EINVAL,
                        "check: %s backed %" PRIu64 ", ops created %" PRIu64
                        " - released %" PRIu64 " (capacity %" PRIu64 ")",
                        c->vt->name, s->backed, c->created, c->released,
                        c->cfg.capacity_bytes);
  if (s->reserved_va != va)
    return kv_error_set(err, KV_EINVAL,
                        "check: %s reserved_va %" PRIu64
                        ", ops reserved %" PRIu64,
                        c->vt->name, s->reserved_va, va);
  return KV_OK;
}

kv_status kv_check_state(kv_check *c, const void *state, const uint64_t *tokens,
                         kv_error *err) {
  kv_mem_stats s;
  c->vt->stats(state, 0, &s);
  kv_status rc = check_conservation(c, &s, err);
  if (rc != KV_OK || !kv_check_has_map(c->vt)) return rc;
  uint64_t named;
  rc = collect(c, state, tokens, &named, err);
  if (rc != KV_OK) return rc;
  /* a windowed model's strategy may keep tokens attention no longer reads
     (buddy keeps every layer of every token) */
  if (kv_strategy_window(&c->cfg) ? named < s.used : named != s.used)
    return kv_error_set(err, KV_EINVAL,
                        "check: %s used %" PRIu64 ", its map names %" PRIu64,
                        c->vt->name, s.used, named);
  if (s.used > s.backed)
    return kv_error_set(err, KV_EINVAL,
                        "check: %s used %" PRIu64 " > backed %" PRIu64,
                        c->vt->name, s.used, s.backed);
  return check_disjoint(c, err);
}
