/* prefix_blocks.c - references, keys and counters of shared blocks for the
 * paged and indirect strategies (see prefix_blocks.h for the story).
 *
 * Main entry points: kv_pblocks_take(), kv_pblocks_unref(),
 * kv_pblocks_attach_one(), kv_pblocks_publish(), kv_pblocks_check().
 */
#include "prefix_blocks.h"

#include "util.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

kv_status kv_pblocks_cfg_lanes(const kv_strategy_cfg *cfg, const char *who,
                               kv_lanes *ln, kv_error *err) {
  if (!cfg->model)
    return kv_error_set(err, KV_EINVAL, "%s: cfg.model is NULL", who);
  if (kv_strategy_bytes_per_token(cfg) == 0)
    return kv_error_set(err, KV_EINVAL,
                        "%s: model '%s' has 0 KV bytes per token", who,
                        cfg->model->name);
  if (cfg->block_tokens == 0)
    return kv_error_set(err, KV_EINVAL, "%s: cfg.block_tokens is 0", who);
  if (cfg->max_requests == 0)
    return kv_error_set(err, KV_EINVAL, "%s: cfg.max_requests is 0", who);
  kv_lanes_init(cfg, ln); /* layer groups of g layers, one block each */
  if (ln->lw && cfg->prefix_cache)
    return kv_error_set(err, KV_EINVAL,
                        "%s: cfg.prefix_cache is not supported with a "
                        "sliding window (model '%s': sliding_window %" PRIu32
                        " on %" PRIu32 " of %" PRIu32 " layers)",
                        who, cfg->model->name, ln->window,
                        kv_model_window_layers(cfg->model), cfg->model->layers);
  return KV_OK;
}

void *kv_pblocks_tab_room(void *tab, size_t esz, uint32_t n, uint32_t *cap,
                          uint32_t k) {
  if (n + k <= *cap) return tab;
  uint32_t c = *cap ? *cap : 4;
  while (c < n + k)
    c *= 2;
  *cap = c;
  return kv_xrealloc(tab, (size_t)c * esz);
}

void kv_pblocks_table_write(kv_op_list *ops, uint32_t req, uint32_t k,
                            uint32_t entry_bytes) {
  kv_op *t = kv_ops_push(ops, KV_OP_TABLE_WRITE, req);
  t->count = k;
  t->bytes = (uint64_t)entry_bytes * k;
}

void kv_pblocks_init(kv_pblocks *pb, uint32_t nblocks) {
  kv_pmap_init(&pb->pm, nblocks);
  pb->cref = kv_xcalloc(nblocks ? nblocks : 1, sizeof *pb->cref);
  pb->held = pb->dup = pb->keyed_refs = 0;
}

void kv_pblocks_free(kv_pblocks *pb) {
  kv_pmap_free(&pb->pm);
  free(pb->cref);
  pb->cref = NULL;
}

void kv_pblocks_take(kv_pblocks *pb, uint32_t b) {
  pb->pm.refcnt[b] = 1;
  pb->cref[b] = 1;
  pb->held++;
}

bool kv_pblocks_unref(kv_pblocks *pb, uint32_t b, bool counting) {
  if (counting) {
    if (pb->cref[b] >= 2) pb->dup--;
    pb->cref[b]--;
  }
  if (pb->pm.key[b]) pb->keyed_refs--;
  if (--pb->pm.refcnt[b] > 0) return false;
  pb->held--;
  if (!pb->pm.key[b]) return true;
  kv_pmap_lru_push(&pb->pm, b);
  return false;
}

void kv_pblocks_set_key(kv_pblocks *pb, uint32_t b, uint64_t key,
                        uint32_t fill) {
  kv_pmap_set_key(&pb->pm, b, key, fill);
  pb->keyed_refs += pb->pm.refcnt[b];
}

void kv_pblocks_drop_key(kv_pblocks *pb, uint32_t b) {
  if (!pb->pm.key[b]) return;
  pb->keyed_refs -= pb->pm.refcnt[b];
  kv_pmap_drop_key(&pb->pm, b);
}

uint32_t kv_pblocks_attach_one(kv_pblocks *pb, uint64_t key, uint32_t fill,
                               uint32_t block_tokens, uint32_t *got) {
  uint32_t b = kv_pmap_find(&pb->pm, key);
  if (b == KV_PMAP_NONE || fill == 0) return KV_PMAP_NONE;
  *got = KV_MIN(fill, pb->pm.fill[b]);
  if (pb->pm.refcnt[b] == 0) { /* cached: back in use */
    kv_pmap_lru_unlink(&pb->pm, b);
    pb->held++;
  }
  pb->pm.refcnt[b]++;
  pb->keyed_refs++;
  if (*got < block_tokens) return b; /* ours only after a copy */
  if (pb->cref[b] >= 1) pb->dup++;
  pb->cref[b]++;
  return b;
}

bool kv_pblocks_publish(kv_pblocks *pb, uint32_t b, uint64_t i, uint64_t tokens,
                        uint64_t key, uint32_t fill, uint32_t block_tokens) {
  if (key == 0) return false; /* 0 is "no key" (prefix_map.h) */
  if (fill == 0 || fill > block_tokens || tokens < i * block_tokens + fill)
    return false;
  if (pb->pm.key[b] || kv_pmap_find(&pb->pm, key) != KV_PMAP_NONE) return true;
  kv_pblocks_set_key(pb, b, key, fill);
  return true;
}

bool kv_pblocks_published_after(const kv_pblocks *pb, uint32_t b, uint64_t j,
                                uint64_t tokens, uint32_t block_tokens) {
  return pb->pm.key[b] && tokens < j * block_tokens + pb->pm.fill[b];
}

void kv_pblocks_cow_ops(kv_op_list *ops, uint32_t req, uint8_t via,
                        uint64_t src, uint64_t dst, uint64_t bytes,
                        uint32_t entry_bytes) {
  kv_op *c = kv_ops_push(ops, KV_OP_COPY, req);
  c->dir = KV_COPY_D2D;
  c->via = via;
  c->count = 1;
  c->bytes = bytes;
  kv_ops_push_run(ops, c, src, dst, bytes);
  kv_pblocks_table_write(ops, req, 1, entry_bytes);
}

void kv_pblocks_mem_stats(const kv_pblocks *pb, uint64_t capacity,
                          uint64_t live_units, uint32_t block_tokens,
                          uint64_t bpt, uint64_t block_bytes,
                          kv_mem_stats *out) {
  /* zeroed by a copy: GCC makes memset of this size a rep stos, whose
   * start-up cost shows in a step's time profile (perf); this runs every
   * step */
  static const kv_mem_stats zero_stats;
  *out = zero_stats;
  out->capacity = capacity;
  /* a block several requests count holds its tokens once */
  out->used = (live_units - pb->dup * block_tokens) * bpt;
  out->backed = pb->held * block_bytes;
  out->allocated = out->backed;
  out->internal_frag = out->allocated - out->used;
  out->free = out->capacity - out->backed;
}

/* ---- checks: one function per invariant ---- */

void kv_pblocks_census_init(kv_pblocks_census *c, uint64_t nblocks) {
  uint64_t n = nblocks ? nblocks : 1;
  c->nblocks = nblocks;
  c->isfree = kv_xcalloc(n, 1);
  c->refs = kv_xcalloc(n, sizeof *c->refs);
  c->crefs = kv_xcalloc(n, sizeof *c->crefs);
}

void kv_pblocks_census_free(kv_pblocks_census *c) {
  free(c->isfree);
  free(c->refs);
  free(c->crefs);
}

/* Block b is exactly one of free, held, cached; its recorded references
 * are the ones counted in the tables; only a keyed block is shared; a free
 * block has no key; the LRU list holds the cached blocks. */
static kv_status check_block_role(const kv_pblocks *pb,
                                  const kv_pblocks_census *c, uint32_t b,
                                  const char *who, kv_error *err) {
  const kv_pmap *m = &pb->pm;
  bool is_cached = m->key[b] && m->refcnt[b] == 0;
  int roles = (c->isfree[b] != 0) + (c->refs[b] > 0) + is_cached;
  if (roles == 1 && c->refs[b] == m->refcnt[b] && c->crefs[b] == pb->cref[b] &&
      (c->refs[b] <= 1 || m->key[b]) && !(c->isfree[b] && m->key[b]) &&
      is_cached == kv_pmap_on_lru(m, b))
    return KV_OK;
  return kv_error_set(err, KV_EINTERNAL,
                      "%s: block %" PRIu32 " is free %d, referenced %" PRIu32
                      " times (recorded %" PRIu32 ", counting %" PRIu32
                      "/%" PRIu32 "), key %" PRIu64
                      ": must be exactly one of free, held, cached",
                      who, b, c->isfree[b], c->refs[b], m->refcnt[b],
                      c->crefs[b], pb->cref[b], m->key[b]);
}

/* A keyed block is where its key leads. */
static kv_status check_key_maps_back(const kv_pblocks *pb, uint32_t b,
                                     const char *who, kv_error *err) {
  const kv_pmap *m = &pb->pm;
  if (!m->key[b] || kv_pmap_find(m, m->key[b]) == b) return KV_OK;
  return kv_error_set(err, KV_EINTERNAL,
                      "%s: block %" PRIu32 " key %" PRIu64
                      " does not map back to it",
                      who, b, m->key[b]);
}

/* The counters are the sums over blocks. */
typedef struct pb_sums {
  uint64_t held, dup, cached, keyed, krefs;
} pb_sums;

static kv_status check_counters(const kv_pblocks *pb, const pb_sums *t,
                                const char *who, kv_error *err) {
  if (t->held == pb->held && t->dup == pb->dup && t->cached == pb->pm.lru_n &&
      t->keyed == pb->pm.nkeys && t->krefs == pb->keyed_refs)
    return KV_OK;
  return kv_error_set(
      err, KV_EINTERNAL,
      "%s: block counters held %" PRIu64 " dup %" PRIu64 " cached %" PRIu64
      " keys %" PRIu64 " keyed refs %" PRIu64 " but recomputed %" PRIu64
      " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64,
      who, pb->held, pb->dup, pb->pm.lru_n, pb->pm.nkeys, pb->keyed_refs,
      t->held, t->dup, t->cached, t->keyed, t->krefs);
}

/* With a sliding window the prefix cache is refused: no keys. */
static kv_status check_no_keys_with_window(const kv_pblocks *pb,
                                           const kv_lanes *ln, const char *who,
                                           kv_error *err) {
  if (!ln->lw || !pb->pm.nkeys) return KV_OK;
  return kv_error_set(err, KV_EINTERNAL,
                      "%s: %" PRIu64 " keyed blocks with a sliding window", who,
                      pb->pm.nkeys);
}

kv_status kv_pblocks_check(const kv_pblocks *pb, const kv_pblocks_census *c,
                           const kv_lanes *lanes, const char *who,
                           kv_error *err) {
  pb_sums t = {0};
  kv_status rc;
  for (uint64_t i = 0; i < c->nblocks; i++) {
    uint32_t b = (uint32_t)i;
    if ((rc = check_block_role(pb, c, b, who, err)) != KV_OK) return rc;
    if ((rc = check_key_maps_back(pb, b, who, err)) != KV_OK) return rc;
    if (pb->pm.key[b]) {
      t.keyed++;
      t.krefs += c->refs[b];
    }
    t.cached += pb->pm.key[b] && pb->pm.refcnt[b] == 0;
    t.held += c->refs[b] > 0;
    if (c->crefs[b] > 1) t.dup += c->crefs[b] - 1;
  }
  if ((rc = check_counters(pb, &t, who, err)) != KV_OK) return rc;
  return check_no_keys_with_window(pb, lanes, who, err);
}

kv_status kv_pblocks_check_lanes(const kv_lanes *ln, uint32_t block_tokens,
                                 const char *who, uint32_t q, uint32_t n,
                                 uint32_t nw, uint64_t wlo, uint64_t tokens,
                                 kv_error *err) {
  uint64_t hi = KV_DIV_CEIL(tokens, block_tokens);
  uint32_t nf = n - nw;
  bool ok = nw <= n && (ln->lw ? nw % ln->lw == 0 : nw == 0 && wlo == 0);
  if (ok && ln->lf) ok = nf % ln->lf == 0 && nf / ln->lf >= hi;
  if (ok && !ln->lf) ok = nf == 0;
  if (ok && ln->lw)
    ok = wlo == kv_lanes_win_lo(ln, tokens) && wlo + nw / ln->lw >= hi;
  if (ok) return KV_OK;
  return kv_error_set(err, KV_EINTERNAL,
                      "%s: request %" PRIu32 " has %" PRIu64
                      " tokens in %" PRIu32 " blocks (%" PRIu32 " in %" PRIu32
                      " window lanes from block %" PRIu64 ", %" PRIu32
                      " full lanes)",
                      who, q, tokens, n, nw, ln->lw, wlo, ln->lf);
}

kv_status kv_pblocks_check_swapped(const kv_lanes *ln, uint32_t block_tokens,
                                   const char *who, uint32_t q, uint32_t n,
                                   uint32_t swapped_n, uint32_t nw,
                                   uint64_t wlo, uint64_t tokens,
                                   kv_error *err) {
  if (n != 0)
    return kv_error_set(err, KV_EINTERNAL,
                        "%s: swapped request %" PRIu32 " still holds %" PRIu32
                        " blocks",
                        who, q, n);
  return kv_pblocks_check_lanes(ln, block_tokens, who, q, swapped_n, nw, wlo,
                                tokens, err);
}

kv_status kv_pblocks_check_free(const char *who, uint32_t q, uint32_t n,
                                uint64_t tokens, uint32_t nw, uint64_t wlo,
                                kv_error *err) {
  if (n == 0 && tokens == 0 && nw == 0 && wlo == 0) return KV_OK;
  return kv_error_set(err, KV_EINTERNAL,
                      "%s: free request %" PRIu32 " holds blocks or tokens",
                      who, q);
}
