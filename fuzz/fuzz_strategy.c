/* fuzz_strategy.c - libFuzzer harness for the four KV placement strategies.
 *
 * The input decodes into a strategy, a model geometry (with, when the
 * first byte has bit 0x80, a sliding window on some or all layers) and a
 * strategy configuration (tp, capacity with an odd tail, host tier, request
 * slots, max context, block size, page size, layout, map-ahead, deferred
 * reclaim, slab size, prefix cache), then into a sequence of operations:
 * admit/grow/shrink (reserve), free (release, also how the engine preempts
 * by recompute), swap-out, swap-in and stats queries, and the version 2
 * slots where a strategy has them: block eviction to the host tier, reload,
 * compaction with a decoded block budget, prefix attach (keys from a small
 * key space so that hits happen, with decoded fills) and prefix publish; on
 * request ids that may be out of range. After every operation it checks
 * is_valid(), conservation (free + backed == capacity), used against the
 * tracked live tokens (kv_strategy_used_bytes: every token in full
 * layers, the last `window` in windowed ones), the live/swapped counts, the
 * reservations of static, the block and host-tier accounting of paged and
 * indirect (tier_stats against the harness's own tracking of each
 * request's blocks, window lanes holding only the blocks of the window), the
 * contract of each call (which states a call may succeed from) and that a
 * failed call emits no ops and leaves the stats unchanged. At the end of
 * each input every request is released and nothing may stay referenced.
 * The same code runs under the soak driver (fuzz/soak_strategy.c), which
 * steers generated inputs into configuration families (fuzz_strategy.h).
 * Main entry points: LLVMFuzzerTestOneInput(), fz_strategy_input().
 */
#include "fuzz_common.h"
#include "fuzz_strategy.h"

#include <inttypes.h>
#include <string.h>

#include "strategy.h"
#include "util.h"

enum { MAXQ = 64, MAXK = 64, NFAM = 4 };

/* Request states as the harness sees them. */
enum { F_FREE, F_LIVE, F_SWAPPED, F_EVICTED /* live, blocks on the host */ };

typedef struct fz_model_state {
  uint8_t state[MAXQ];
  uint8_t cow[MAXQ];       /* attached a partial block, not yet copied */
  uint8_t attached[MAXQ];  /* may hold blocks shared with other requests */
  uint8_t published[MAXQ]; /* may hold blocks it published */
  uint8_t fam[MAXQ];       /* key family its publishes use */
  uint64_t tokens[MAXQ];
  uint64_t nblk[MAXQ]; /* paged/indirect: blocks of each full lane, the most
                          ceil(tokens / block) so far (kept while swapped) */
  uint64_t wlo[MAXQ];  /* windowed model: first block the window lanes hold,
                          win_lo() of the tokens of the last reserve */
} fz_model_state;

/* What the checks need to know about the run. With a sliding window paged
 * and indirect cut the layers into groups of g = gcd(full, windowed) layers
 * (as vLLM's hybrid allocator); a block (block_bytes) is block_tokens
 * tokens of one group, and a request holds lf = full/g lanes of blocks for
 * all its tokens and lw = windowed/g lanes for the blocks that overlap its
 * last `window` tokens. Without a window: g = every layer, lf 1, lw 0. */
typedef struct fz_run {
  const kv_strategy_vt *vt;
  void *st;
  const kv_strategy_cfg *cfg;
  uint64_t bpt, block_bytes;
  int blocky;      /* paged or indirect: block accounting is checked */
  uint32_t window; /* sliding window, tokens (0: none) */
  uint32_t lf, lw; /* full and window lanes per request */
  uint32_t bt;     /* block_tokens, at least 1 */
} fz_run;

static uint32_t host_blocks_of(const fz_run *r, uint32_t q) {
  return r->vt->host_blocks ? r->vt->host_blocks(r->st, q) : 0;
}

/* First block that overlaps the last `window` of `tokens` tokens. */
static uint64_t win_lo(const fz_run *r, uint64_t tokens) {
  return r->window && tokens > r->window ? (tokens - r->window) / r->bt : 0;
}

/* Blocks request q holds (on the device, or on the host while swapped):
 * every full lane its nblk blocks, every window lane those from wlo on. */
static uint64_t blocks_of(const fz_run *r, const fz_model_state *m,
                          uint32_t q) {
  uint64_t f = m->nblk[q], w = f > m->wlo[q] ? f - m->wlo[q] : 0;
  return r->lf * f + r->lw * w;
}

static uint32_t gcd32(uint32_t a, uint32_t b) {
  while (b) {
    uint32_t t = a % b;
    a = b;
    b = t;
  }
  return a;
}

static void check_stats(const fz_run *r, const fz_model_state *m, uint64_t next,
                        int step) {
  const kv_strategy_cfg *cfg = r->cfg;
  kv_mem_stats s;
  r->vt->stats(r->st, next, &s);
  uint64_t used = 0, used_max = 0, blk_live = 0, blk_swapped = 0;
  uint64_t host_blk = 0;
  uint32_t live = 0, swapped = 0;
  int exact = 1; /* no sharing and no partial eviction: used is exact */
  for (uint32_t q = 0; q < cfg->max_requests; q++) {
    uint8_t w = m->state[q];
    uint32_t hb = host_blocks_of(r, q);
    FZ_CHECK((w == F_EVICTED) == (hb > 0),
             "step %d: request %u state %u but %u host blocks", step, q, w, hb);
    host_blk += hb;
    if (w == F_LIVE || w == F_EVICTED) {
      live++;
      blk_live += blocks_of(r, m, q);
      uint64_t dev = m->tokens[q];
      if (m->cow[q]) dev -= m->tokens[q] % cfg->block_tokens;
      uint64_t u = kv_strategy_used_bytes(cfg, dev);
      used_max += u;
      if (w == F_LIVE) used += u;
      if (m->attached[q] || (w == F_EVICTED && cfg->prefix_cache)) exact = 0;
      if (r->blocky)
        FZ_CHECK(hb <= blocks_of(r, m, q),
                 "step %d: request %u has %u host blocks of %" PRIu64, step, q,
                 hb, blocks_of(r, m, q));
    }
    if (w == F_SWAPPED || w == F_EVICTED) swapped++;
    if (w == F_SWAPPED) blk_swapped += blocks_of(r, m, q);
  }
  FZ_CHECK(s.capacity == cfg->capacity_bytes, "step %d", step);
  FZ_CHECK(s.free + s.backed == s.capacity,
           "step %d: free %" PRIu64 " + backed %" PRIu64 " != %" PRIu64, step,
           s.free, s.backed, s.capacity);
  if (exact)
    FZ_CHECK(s.used == used, "step %d: used %" PRIu64 " vs tracked %" PRIu64,
             step, s.used, used);
  else
    FZ_CHECK(s.used <= used_max,
             "step %d: used %" PRIu64 " > tracked bound %" PRIu64, step, s.used,
             used_max);
  FZ_CHECK(s.live_requests == live, "step %d: live %u vs %u", step,
           s.live_requests, live);
  FZ_CHECK(s.swapped_requests == swapped, "step %d: swapped %u vs %u", step,
           s.swapped_requests, swapped);
  FZ_CHECK(s.used <= s.allocated && s.allocated <= s.backed,
           "step %d: used %" PRIu64 " allocated %" PRIu64 " backed %" PRIu64,
           step, s.used, s.allocated, s.backed);
  FZ_CHECK(s.internal_frag == s.allocated - s.used, "step %d", step);
  FZ_CHECK(s.external_frag <= s.free,
           "step %d: external %" PRIu64 " > free %" PRIu64, step,
           s.external_frag, s.free);
  FZ_CHECK(s.largest_free <= s.free,
           "step %d: largest_free %" PRIu64 " > free %" PRIu64, step,
           s.largest_free, s.free);
  FZ_CHECK(s.host_used <= cfg->host_bytes, "step %d", step);
  FZ_CHECK(swapped == 0 || cfg->host_bytes > 0, "step %d", step);
  if (r->vt->fixed_reservation) {
    /* each live request reserves max_context tokens in full layers and
     * min(max_context, window) in windowed ones */
    uint64_t mc = kv_strategy_max_context(cfg);
    uint64_t resv = mc * kv_strategy_bytes_per_token_full(cfg) +
                    KV_MIN(mc, r->window ? r->window : mc) *
                        kv_strategy_bytes_per_token_window(cfg);
    FZ_CHECK(s.backed == live * resv,
             "step %d: static backed %" PRIu64 " != %u live x %" PRIu64
             " reserved (max_context %" PRIu64 ", window %u)",
             step, s.backed, live, resv, mc, r->window);
  }
  if (!r->blocky) return;

  /* block accounting of paged and indirect, against the harness's count */
  uint64_t bb = r->block_bytes;
  FZ_CHECK(s.backed % bb == 0, "step %d: backed %" PRIu64 " not in blocks",
           step, s.backed);
  FZ_CHECK(s.backed <= blk_live * bb,
           "step %d: backed %" PRIu64 " > %" PRIu64 " tracked blocks", step,
           s.backed, blk_live);
  if (!cfg->prefix_cache) /* nothing shared: evicted requests hold nothing */
    FZ_CHECK(s.backed == (blk_live - host_blk) * bb,
             "step %d: backed %" PRIu64 " vs %" PRIu64 " tracked blocks", step,
             s.backed, blk_live - host_blk);
  FZ_CHECK(s.host_used == (blk_swapped + host_blk) * bb,
           "step %d: host_used %" PRIu64 " vs %" PRIu64 " swapped + %" PRIu64
           " evicted blocks",
           step, s.host_used, blk_swapped, host_blk);
  if (!r->vt->tier_stats) return;
  kv_tier_stats t;
  r->vt->tier_stats(r->st, &t);
  FZ_CHECK(t.free_blocks + t.cached_blocks + s.backed / bb == t.total_blocks,
           "step %d: free %" PRIu64 " + cached %" PRIu64 " + held %" PRIu64
           " blocks != %" PRIu64,
           step, t.free_blocks, t.cached_blocks, s.backed / bb, t.total_blocks);
  FZ_CHECK(t.total_blocks * bb <= cfg->capacity_bytes,
           "step %d: %" PRIu64 " blocks exceed the capacity", step,
           t.total_blocks);
  FZ_CHECK(t.largest_free <= t.free_blocks && t.free_ranges <= t.free_blocks &&
               (t.free_blocks == 0) == (t.free_ranges == 0),
           "step %d: free %" PRIu64 " in %" PRIu64 " ranges, largest %" PRIu64,
           step, t.free_blocks, t.free_ranges, t.largest_free);
  FZ_CHECK(t.host_blocks == host_blk,
           "step %d: tier host_blocks %" PRIu64 " vs %" PRIu64 " per request",
           step, t.host_blocks, host_blk);
  FZ_CHECK(t.host_free + s.host_used == cfg->host_bytes,
           "step %d: host free %" PRIu64 " + used %" PRIu64 " != %" PRIu64,
           step, t.host_free, s.host_used, cfg->host_bytes);
  FZ_CHECK(t.shared_refs <= blk_live,
           "step %d: %" PRIu64 " shared refs > %" PRIu64 " table entries", step,
           t.shared_refs, blk_live);
  if (!cfg->prefix_cache)
    FZ_CHECK(t.cached_blocks == 0 && t.shared_refs == 0,
             "step %d: cached %" PRIu64 " shared %" PRIu64
             " without a prefix cache",
             step, t.cached_blocks, t.shared_refs);
}

static void check_op_list(const fz_run *r, const kv_op_list *l, int step) {
  for (size_t i = 0; i < l->n; i++) {
    const kv_op *op = &l->ops[i];
    FZ_CHECK(op->kind < KV_OP__COUNT, "step %d: op kind %u", step, op->kind);
    FZ_CHECK(op->runs_n == 0 || op->runs_first + op->runs_n <= l->runs_n,
             "step %d: op %zu runs out of range", step, i);
    if (op->kind != KV_OP_COPY || op->runs_n == 0) continue;
    /* a copy's runs add up to its bytes and stay inside their tiers */
    uint64_t sum = 0;
    for (uint32_t k = 0; k < op->runs_n; k++) {
      const kv_run *u = &l->runs[op->runs_first + k];
      sum += u->bytes;
      uint64_t dev_end = 0, host_end = 0;
      if (op->dir == KV_COPY_D2H)
        dev_end = u->src + u->bytes, host_end = u->dst + u->bytes;
      else if (op->dir == KV_COPY_H2D)
        host_end = u->src + u->bytes, dev_end = u->dst + u->bytes;
      else if (op->dir == KV_COPY_D2D)
        dev_end = KV_MAX(u->src, u->dst) + u->bytes;
      FZ_CHECK(host_end <= r->cfg->host_bytes,
               "step %d: copy op %zu run %u reaches host byte %" PRIu64
               " of %" PRIu64,
               step, i, k, host_end, r->cfg->host_bytes);
      if (r->blocky)
        FZ_CHECK(dev_end <= r->cfg->capacity_bytes,
                 "step %d: copy op %zu run %u reaches device byte %" PRIu64
                 " of %" PRIu64,
                 step, i, k, dev_end, r->cfg->capacity_bytes);
      if (op->dir == KV_COPY_D2D)
        FZ_CHECK(u->src + u->bytes <= u->dst || u->dst + u->bytes <= u->src,
                 "step %d: d2d copy op %zu run %u overlaps itself", step, i, k);
    }
    FZ_CHECK(sum == op->bytes && op->count == op->runs_n,
             "step %d: copy op %zu: %u runs of %" PRIu64 " bytes, op says %u "
             "runs of %" PRIu64,
             step, i, op->runs_n, sum, op->count, op->bytes);
  }
}

static size_t count_ops(const kv_op_list *l, kv_op_kind kind, int dir,
                        uint64_t *bytes) {
  size_t n = 0;
  for (size_t i = 0; i < l->n; i++)
    if (l->ops[i].kind == kind && (dir < 0 || l->ops[i].dir == dir)) {
      n++;
      if (bytes) *bytes += l->ops[i].bytes;
    }
  return n;
}

/* Keys of key family f (the engine's layout: family in the high bits, block
 * index in the low ones, so a key names one position) over n blocks, full
 * but the last, which holds `last` tokens. With raw set, keys come straight
 * from a tiny space instead (0 and repeats inside one list included) and fills
 * from the input (0 and more than a block included). */
static uint32_t decode_keys(fz_cursor *c, uint32_t f, int raw, uint32_t bt,
                            uint64_t *keys, uint32_t *fill) {
  uint32_t n = 1 + fz_u8(c) % 16;
  if (raw) {
    for (uint32_t j = 0; j < n; j++) {
      keys[j] = fz_u8(c) % 9; /* 0 ("no key") included */
      fill[j] = fz_u8(c) % (bt + 2);
    }
    return n;
  }
  uint32_t last = 1 + fz_u8(c) % bt;
  for (uint32_t j = 0; j < n; j++) {
    keys[j] = ((uint64_t)(f + 1) << 16) | j;
    fill[j] = j + 1 < n ? bt : last;
  }
  return n;
}

/* Keys of family f covering a request's first `tokens` tokens (what the
 * engine publishes after a prefill step); with raw set, keys of the tiny
 * raw space. */
static uint32_t own_keys(uint32_t f, int raw, uint64_t tokens, uint32_t bt,
                         uint64_t *keys, uint32_t *fill) {
  uint64_t n = tokens / bt + (tokens % bt != 0);
  if (n > MAXK) n = MAXK;
  for (uint32_t j = 0; j < n; j++) {
    keys[j] = raw ? 1 + (f + j) % 8 : ((uint64_t)(f + 1) << 16) | j;
    fill[j] = (uint32_t)KV_MIN((uint64_t)bt, tokens - (uint64_t)j * bt);
  }
  return (uint32_t)n;
}

enum {
  OP_EVICT = 8,
  OP_RELOAD,
  OP_COMPACT,
  OP_ATTACH,
  OP_PUBLISH,
  OP_ADMIT, /* attach, then reserve the rest (the engine's admission) */
  OP_PUBLISH_OWN,
  OP_COMPACT_ALL,
};

/* The operation kinds a family runs (bit k: kind k). */
static uint32_t family_kinds(const fz_family *fam) {
  uint32_t k = fam->strategy == 1 || fam->strategy == 3 ? 0xffffu : 0xffu;
  if (!fam->tier) k &= ~(1u << 5 | 1u << 6 | 1u << OP_EVICT | 1u << OP_RELOAD);
  if (!fam->prefix)
    k &= ~(1u << OP_ATTACH | 1u << OP_PUBLISH | 1u << OP_ADMIT |
           1u << OP_PUBLISH_OWN);
  return k;
}

/* The operation byte: bits 0-2 and 0x40 give the kind, 0x80 a next-request
 * size. Steered: a kind outside `kinds` becomes one inside it, picked by the
 * byte's free bits 3-5. */
static uint8_t op_byte(fz_cursor *c, uint8_t *steer, uint32_t kinds) {
  if (!steer) return fz_u8(c);
  uint8_t b = fz_peek(c);
  unsigned kind = b % 8 + (b & 0x40 ? 8 : 0);
  if (kinds >> kind & 1) return fz_u8(c);
  unsigned n = (unsigned)__builtin_popcount(kinds);
  unsigned pick = (kind + (b >> 3 & 7)) % n;
  for (kind = 0; !(kinds >> kind & 1) || pick--;)
    kind++;
  return fz_u8_steer(c, steer, 0x47,
                     (uint8_t)((kind & 7) | (kind & 8 ? 0x40 : 0)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fz_strategy_input(data, size, NULL, NULL);
  return 0;
}

uint64_t fz_strategy_input(const uint8_t *data, size_t size,
                           const fz_family *fam, uint8_t *steer) {
  fz_cursor c = {data, size, 0};
  if (!fam) steer = NULL;
  /* every registered strategy (KV_STRATEGY_LIST), up to 8 */
  const kv_strategy_vt *const *vts = kv_strategy_all();
  unsigned nvt = 0;
  while (vts[nvt])
    nvt++;
  /* the first byte: the strategy (bits 0-1, plus 4 with bit 0x40: the
   * registry's fifth to eighth, else the first four) and a sliding window
   * (0x80); no seed of the first corpus sets 0x40 or 0x80, so they decode
   * as before */
  uint8_t sbyte = steer ? fz_u8_steer(&c, steer, 0xc3,
                                      (uint8_t)((fam->strategy & 3) |
                                                (fam->strategy & 4 ? 0x40 : 0) |
                                                (fam->window ? 0x80 : 0)))
                        : fz_u8(&c);
  unsigned vi = (sbyte & 3u) | (sbyte & 0x40 ? 4u : 0u);
  const kv_strategy_vt *vt = vts[vi < nvt ? vi : vi & 3u];

  /* model: up to 4 layers x 2 x 4 heads x 128 x 2 B = 8 KiB per token */
  kv_model model;
  memset(&model, 0, sizeof model);
  strcpy(model.name, "fuzz");
  model.layers = 1 + fz_u8(&c) % 4;
  model.kv_heads = 1 + fz_u8(&c) % 4;
  model.heads = model.kv_heads * 2;
  model.head_dim = 1 + fz_u8(&c) % 128;
  model.dtype_bytes = 1 + fz_u8(&c) % 2;
  if (fz_u8(&c) % 8 == 0) { /* MLA */
    model.mla_latent = 1 + fz_u8(&c) % 64;
    model.mla_rope = fz_u8(&c) % 16;
  }

  kv_strategy_cfg cfg;
  kv_strategy_cfg_defaults(&cfg);
  cfg.model = &model;
  cfg.tp = 1 + fz_u8(&c) % 8;
  uint64_t bpt = kv_strategy_bytes_per_token(&cfg);
  cfg.capacity_bytes = (fz_u16(&c) % 8193) * bpt + fz_u16(&c) % 4096;
  uint8_t h = fz_u8_steer(&c, steer, steer && !fam->tier ? 3 : 0,
                          steer && fam->tier && (fz_peek(&c) & 3) == 0 ? 1 : 0);
  cfg.host_bytes = h % 4 == 0 ? 0 : (fz_u16(&c) % 4097) * bpt + h;
  cfg.max_requests = 1 + fz_u8(&c) % MAXQ;
  cfg.max_context = fz_u16(&c) % 8193; /* 0 must be refused cleanly */
  cfg.block_tokens = fz_u8(&c) % 129;  /* 0 too */
  uint8_t pb = fz_u8(&c);
  if (pb & 0x80) /* any multiple of 256 B up to 32 KiB, 0 included */
    cfg.page_bytes = (uint64_t)(pb & 0x7f) * 256;
  else /* a power of two from 256 B to 2 MiB */
    cfg.page_bytes = 256ull << (pb % 14);
  /* flags: 1 layout, 2 deferred, 4 copy path, 8 map-ahead, 0x10 prefix
   * cache, 0x60 raw keys (0x80 unused) */
  uint8_t fclear = 0, fset = 0;
  if (steer) {
    fclear = 0x10 | (fam->layout >= 0 ? 1 : 0);
    fset = (fam->prefix ? 0x10 : 0) | (fam->layout > 0 ? 1 : 0);
  }
  uint8_t flags = fz_u8_steer(&c, steer, fclear, fset);
  cfg.vmm_layout = flags & 1 ? KV_VMM_ALL_LAYERS : KV_VMM_PER_LAYER;
  cfg.deferred_reclaim = (flags & 2) != 0;
  cfg.copy_via = flags & 4 ? KV_VIA_KERNEL : KV_VIA_ENGINE;
  cfg.map_ahead = flags & 8 ? fz_u8(&c) : 0;
  uint8_t sb = fz_u8(&c);
  cfg.slab_bytes =
      sb & 0x80 ? (uint64_t)(sb & 0x7f) * 4096 : 4096ull << (sb % 15);
  /* block accounting is checked for strategies read through a table */
  int blocky = vt->addr_mode != KV_ADDR_CONTIGUOUS;
  /* the prefix cache exists where the strategy has prefix sharing */
  cfg.prefix_cache = vt->prefix_attach && (flags & 0x10) != 0;
  int raw_keys = (flags & 0x60) == 0x60;
  if (sbyte & 0x80) { /* a sliding window; window_layers 0 = every layer */
    uint8_t wb = fz_u8(&c);
    uint16_t wt = fz_u16(&c);
    model.window_layers = (wb & 0x7f) % (model.layers + 1);
    model.sliding_window = wb & 0x80 ? 1 + wt % 8192 : 1 + wt % 512;
  }

  static int verbose = -1;
  if (verbose < 0) verbose = getenv("KVSIM_FUZZ_VERBOSE") != NULL;
  if (verbose)
    fprintf(
        stderr,
        "%s: layers %u kv_heads %u head_dim %u dtype %u mla %u+%u tp %u "
        "bpt %" PRIu64 " capacity %" PRIu64 " host %" PRIu64
        " max_requests %u max_context %u block_tokens %u page_bytes %" PRIu64
        " layout %s deferred %d map_ahead %u slab %" PRIu64
        " prefix_cache %d raw keys %d window %u on %u layers\n",
        vt->name, model.layers, model.kv_heads, model.head_dim,
        model.dtype_bytes, model.mla_latent, model.mla_rope, cfg.tp, bpt,
        cfg.capacity_bytes, cfg.host_bytes, cfg.max_requests, cfg.max_context,
        cfg.block_tokens, cfg.page_bytes,
        cfg.vmm_layout == KV_VMM_ALL_LAYERS ? "all" : "per-layer",
        cfg.deferred_reclaim, cfg.map_ahead, cfg.slab_bytes, cfg.prefix_cache,
        raw_keys, model.sliding_window, kv_model_window_layers(&model));

  kv_op_list ops;
  kv_ops_init(&ops, 1);
  void *st = NULL;
  kv_error err;
  kv_status rc = vt->create(&cfg, &st, &ops, &err);
  if (rc != KV_OK) {
    FZ_CHECK(rc == KV_EINVAL, "create %s: status %d", vt->name, rc);
    FZ_CHECK(err.msg[0] != '\0', "create %s failed without a message",
             vt->name);
    kv_ops_free(&ops);
    return 0;
  }
  uint32_t bt = cfg.block_tokens ? cfg.block_tokens : 1;
  fz_run run = {vt,     st, &cfg, bpt, (uint64_t)cfg.block_tokens * bpt,
                blocky, 0,  1,    0,   bt};
  run.window = kv_strategy_window(&cfg);
  if (run.window) {
    uint32_t wl = kv_model_window_layers(&model), fl = model.layers - wl;
    uint32_t g = gcd32(fl, wl);
    run.lf = fl / g;
    run.lw = wl / g;
    run.block_bytes = (uint64_t)cfg.block_tokens * g *
                      kv_strategy_bytes_per_token_layer(&cfg);
  }
  check_op_list(&run, &ops, -1);
  rc = vt->is_valid(st, &err);
  FZ_CHECK(rc == KV_OK, "%s after create: %s", vt->name, err.msg);
  uint64_t mrt = vt->max_request_tokens(st);
  uint32_t kinds = steer ? family_kinds(fam) : 0xffffu;
  uint64_t nops = 0;

  fz_model_state m;
  memset(&m, 0, sizeof m);
  for (uint32_t q = 0; q < MAXQ; q++)
    m.fam[q] = q % NFAM;
  check_stats(&run, &m, 0, -1);
  uint64_t keys[MAXK];
  uint32_t fill[MAXK];

  for (int step = 0; fz_left(&c) && step < 4096; step++, nops++) {
    uint8_t opb = op_byte(&c, steer, kinds);
    uint32_t q = fz_u8(&c) % (cfg.max_requests + 1); /* may be out of range */
    uint64_t next = opb & 0x80 ? fz_u16(&c) : 0;
    int kind = opb % 8 + (opb & 0x40 ? 8 : 0);
    int valid_q = q < cfg.max_requests;
    uint64_t cur = valid_q ? m.tokens[q] : 0;
    uint64_t want = 0, budget = 0;
    uint32_t nk = 0;
    switch (kind) {
    case 0:
    case 1: want = cur + 1; break;         /* decode */
    case 2: want = cur + fz_u8(&c); break; /* chunked prefill */
    case 3: want = fz_u16(&c) % (mrt + 2 + mrt / 4); break; /* any size */
    case OP_COMPACT: budget = fz_u8(&c) % 65; break;
    case OP_COMPACT_ALL: budget = UINT64_MAX; break;
    case OP_ATTACH:
    case OP_ADMIT: {
      uint32_t f = fz_u8(&c) % NFAM;
      if (valid_q && m.state[q] == F_FREE) m.fam[q] = (uint8_t)f;
      nk = decode_keys(&c, f, raw_keys, bt, keys, fill);
      want = fz_u8(&c); /* OP_ADMIT: tokens beyond the attached prefix */
      break;
    }
    case OP_PUBLISH:
      nk = decode_keys(&c, fz_u8(&c) % NFAM, raw_keys, bt, keys, fill);
      break;
    case OP_PUBLISH_OWN:
      if (valid_q) nk = own_keys(m.fam[q], raw_keys, cur, bt, keys, fill);
      break;
    default: break;
    }
    kv_mem_stats before, after;
    kv_tier_stats tbefore, tafter;
    memset(&tbefore, 0, sizeof tbefore);
    memset(&tafter, 0, sizeof tafter);
    vt->stats(st, next, &before);
    if (vt->tier_stats) vt->tier_stats(st, &tbefore);
    kv_ops_clear(&ops);
    const char *what = "stats";
    int st_before = valid_q ? m.state[q] : -1;
    uint32_t hb_before = valid_q ? host_blocks_of(&run, q) : 0;
    int skipped = 0;    /* the strategy lacks the slot */
    int unchanged = 0;  /* the call must leave every stat as it was */
    uint64_t got = 0;   /* attach: tokens attached */
    uint64_t moved = 0; /* compact: blocks moved */
    rc = KV_OK;
    if (kind <= 3) {
      what = "reserve";
      rc = vt->reserve(st, q, want, &ops);
    } else if (kind == 4) {
      what = "release";
      vt->release(st, q, &ops);
    } else if (kind == 5) {
      what = "swap_out";
      rc = vt->swap_out ? vt->swap_out(st, q, &ops) : KV_EINVAL;
    } else if (kind == 6) {
      what = "swap_in";
      rc = vt->swap_in ? vt->swap_in(st, q, &ops) : KV_EINVAL;
    } else if (kind == 7) {
      what = "stats";
    } else if (kind == OP_EVICT) {
      what = "evict";
      if (vt->evict)
        rc = vt->evict(st, q, &ops);
      else
        skipped = 1;
    } else if (kind == OP_RELOAD) {
      what = "reload";
      if (vt->reload)
        rc = vt->reload(st, q, &ops);
      else
        skipped = 1;
    } else if (kind == OP_COMPACT || kind == OP_COMPACT_ALL) {
      what = "compact";
      if (vt->compact)
        moved = vt->compact(st, budget, &ops);
      else
        skipped = 1;
    } else if (kind == OP_ATTACH || kind == OP_ADMIT) {
      what = kind == OP_ATTACH ? "attach" : "admit";
      if (vt->prefix_attach)
        got = vt->prefix_attach(st, q, keys, fill, nk, &ops);
      else
        skipped = 1;
      unchanged = got == 0;
    } else { /* OP_PUBLISH, OP_PUBLISH_OWN */
      what = "publish";
      if (vt->prefix_publish)
        vt->prefix_publish(st, q, keys, fill, nk);
      else
        skipped = 1;
      if (st_before == F_LIVE || st_before == F_EVICTED) m.published[q] = 1;
      unchanged = 1; /* keys only: no byte moves */
    }
    check_op_list(&run, &ops, step);
    if (verbose)
      fprintf(stderr,
              "step %d: %s req %u want %" PRIu64 " keys %u -> %d (%zu ops)"
              " attached %" PRIu64 " moved %" PRIu64 "\n",
              step, what, q, want, nk, rc, ops.n, got, moved);
    if (skipped) {
      FZ_CHECK(ops.n == 0, "step %d: skipped %s emitted ops", step, what);
    } else if (rc != KV_OK) {
      FZ_CHECK(rc == KV_ENOMEM || rc == KV_EINVAL, "step %d %s: status %d",
               step, what, rc);
      FZ_CHECK(ops.n == 0, "step %d %s req %u: %zu ops emitted on failure",
               step, what, q, ops.n);
      vt->stats(st, next, &after);
      FZ_CHECK(memcmp(&before, &after, sizeof before) == 0,
               "step %d %s req %u: stats changed on failure", step, what, q);
      if (vt->tier_stats) {
        vt->tier_stats(st, &tafter);
        FZ_CHECK(memcmp(&tbefore, &tafter, sizeof tbefore) == 0,
                 "step %d %s req %u: tier stats changed on failure", step, what,
                 q);
      }
      /* a valid request in a valid state may only be refused for size (a
       * strategy that can hold no request at all, mrt 0, refuses all); an
       * evicted one must be reloaded first, one attached to a partial
       * block may not shrink into it; with a window, a shrink may not
       * need back what left the window (paged, indirect: blocks before the
       * window lanes' first block; static, vmm: any shrink once the window
       * has moved) */
      int window_shrink =
          run.window && want < cur &&
          (blocky ? win_lo(&run, want) < m.wlo[q] : cur > run.window);
      if (kind <= 3 && st_before >= 0 && st_before != F_SWAPPED &&
          st_before != F_EVICTED && rc == KV_EINVAL &&
          !(m.cow[q] && want < cur) && !window_shrink &&
          !(want < cur && (m.attached[q] || m.published[q])))
        FZ_CHECK(want > mrt || mrt == 0,
                 "step %d: %s EINVAL for %" PRIu64 " tokens (max %" PRIu64 ")",
                 step, vt->name, want, mrt);
      if (kind == 6 && st_before == F_SWAPPED)
        FZ_CHECK(rc == KV_ENOMEM, "step %d: swap_in of a swapped request: %d",
                 step, rc);
      if (kind == 5 && st_before == F_LIVE && cfg.host_bytes > 0)
        FZ_CHECK(rc == KV_ENOMEM, "step %d: swap_out of a live request: %d",
                 step, rc);
      int holds = st_before == F_LIVE || st_before == F_EVICTED;
      if (kind == OP_EVICT)
        FZ_CHECK(rc == KV_EINVAL ? (!holds || cfg.host_bytes == 0)
                                 : (holds && cfg.host_bytes > 0),
                 "step %d: evict of a request in state %d: %d", step, st_before,
                 rc);
      if (kind == OP_RELOAD)
        FZ_CHECK(rc == KV_EINVAL ? !holds : st_before == F_EVICTED,
                 "step %d: reload of a request in state %d: %d", step,
                 st_before, rc);
    } else if (kind <= 7) {
      FZ_CHECK(st_before >= 0 || kind == 4 || kind == 7,
               "step %d: %s of out-of-range request %u succeeded", step, what,
               q);
      if (kind == 4 && st_before < 0) {
        FZ_CHECK(ops.n == 0, "step %d: release of bad id emitted ops", step);
        vt->stats(st, next, &after);
        FZ_CHECK(memcmp(&before, &after, sizeof before) == 0,
                 "step %d: release of bad id changed stats", step);
      }
      if (kind <= 3) {
        FZ_CHECK(st_before != F_SWAPPED && st_before != F_EVICTED,
                 "step %d: reserve of a request in state %d", step, st_before);
        FZ_CHECK(!(m.cow[q] && want < cur),
                 "step %d: a request shrank into its shared prefix", step);
        FZ_CHECK(want <= mrt, "step %d: reserved %" PRIu64 " > max %" PRIu64,
                 step, want, mrt);
        if (st_before == F_FREE) {
          m.nblk[q] = 0;
          m.cow[q] = 0;
          m.attached[q] = 0;
          m.published[q] = 0;
        }
        if (m.cow[q] && want > cur) m.cow[q] = 0; /* copied on write */
        m.state[q] = F_LIVE, m.tokens[q] = want;
        m.nblk[q] = KV_MAX(m.nblk[q], want / bt + (want % bt != 0));
        m.wlo[q] = win_lo(&run, want);
      } else if (kind == 4 && st_before >= 0) {
        m.state[q] = F_FREE, m.tokens[q] = 0, m.nblk[q] = 0, m.wlo[q] = 0;
        m.cow[q] = 0, m.attached[q] = 0, m.published[q] = 0;
      } else if (kind == 5) {
        FZ_CHECK(st_before == F_LIVE, "step %d: swap_out from state %d", step,
                 st_before);
        m.state[q] = F_SWAPPED;
        m.cow[q] = 0, m.attached[q] = 0,
        m.published[q] = 0; /* swap_in gives private blocks */
      } else if (kind == 6) {
        FZ_CHECK(st_before == F_SWAPPED, "step %d: swap_in from state %d", step,
                 st_before);
        m.state[q] = F_LIVE;
      }
    } else if (kind == OP_EVICT) {
      FZ_CHECK(st_before == F_LIVE || st_before == F_EVICTED,
               "step %d: evict from state %d", step, st_before);
      uint32_t hb = host_blocks_of(&run, q);
      FZ_CHECK(hb >= hb_before, "step %d: evict lowered host blocks", step);
      uint64_t d2h = 0;
      size_t ncopy = count_ops(&ops, KV_OP_COPY, KV_COPY_D2H, &d2h);
      FZ_CHECK(hb == hb_before
                   ? ops.n == 0
                   : ncopy == 1 && d2h == (hb - hb_before) * run.block_bytes,
               "step %d: evict of %u blocks: %zu ops, %zu D2H of %" PRIu64
               " bytes",
               step, hb - hb_before, ops.n, ncopy, d2h);
      if (!cfg.prefix_cache) /* every block private: all of them go */
        FZ_CHECK(hb == blocks_of(&run, &m, q),
                 "step %d: evicted %u of %" PRIu64 " private blocks", step, hb,
                 blocks_of(&run, &m, q));
      if (hb > 0) m.state[q] = F_EVICTED;
    } else if (kind == OP_RELOAD) {
      FZ_CHECK(st_before == F_LIVE || st_before == F_EVICTED,
               "step %d: reload from state %d", step, st_before);
      FZ_CHECK(host_blocks_of(&run, q) == 0, "step %d: reload left host blocks",
               step);
      uint64_t h2d = 0;
      size_t ncopy = count_ops(&ops, KV_OP_COPY, KV_COPY_H2D, &h2d);
      FZ_CHECK(
          hb_before == 0 ? ops.n == 0
                         : ncopy == 1 && h2d == hb_before * run.block_bytes,
          "step %d: reload of %u blocks: %zu ops, %zu H2D of %" PRIu64 " bytes",
          step, hb_before, ops.n, ncopy, h2d);
      m.state[q] = F_LIVE;
    } else if (kind == OP_COMPACT || kind == OP_COMPACT_ALL) {
      FZ_CHECK(moved <= budget,
               "step %d: compact moved %" PRIu64 " > budget %" PRIu64, step,
               moved, budget);
      uint64_t d2d = 0;
      size_t ncopy = count_ops(&ops, KV_OP_COPY, KV_COPY_D2D, &d2d);
      FZ_CHECK(moved == 0 ? ops.n == 0
                          : ncopy >= 1 && d2d == moved * run.block_bytes &&
                                count_ops(&ops, KV_OP_COPY, -1, NULL) == ncopy,
               "step %d: compact moved %" PRIu64 ": %zu ops, %zu D2D of "
               "%" PRIu64 " bytes",
               step, moved, ops.n, ncopy, d2d);
      /* moving blocks changes where they are, not how many */
      vt->stats(st, next, &after);
      vt->tier_stats(st, &tafter);
      FZ_CHECK(after.used == before.used && after.backed == before.backed &&
                   after.free == before.free &&
                   after.host_used == before.host_used &&
                   after.live_requests == before.live_requests &&
                   after.swapped_requests == before.swapped_requests &&
                   tafter.total_blocks == tbefore.total_blocks &&
                   tafter.free_blocks == tbefore.free_blocks &&
                   tafter.cached_blocks == tbefore.cached_blocks &&
                   tafter.shared_refs == tbefore.shared_refs &&
                   tafter.host_blocks == tbefore.host_blocks,
               "step %d: compact changed the accounting", step);
    } else if (kind == OP_ATTACH || kind == OP_ADMIT) {
      uint64_t cap = 0;
      for (uint32_t j = 0; j < nk; j++)
        cap += KV_MIN(fill[j], bt);
      FZ_CHECK(got <= cap,
               "step %d: attached %" PRIu64 " > %" PRIu64 " tokens asked", step,
               got, cap);
      if (got == 0) {
        FZ_CHECK(ops.n == 0, "step %d: attach of nothing emitted ops", step);
      } else {
        FZ_CHECK(st_before == F_FREE && cfg.prefix_cache,
                 "step %d: attach to a request in state %d", step, st_before);
        if (!raw_keys) /* distinct blocks: bounded like any request */
          FZ_CHECK(got <= mrt, "step %d: attached %" PRIu64 " > max %" PRIu64,
                   step, got, mrt);
        FZ_CHECK(count_ops(&ops, KV_OP_TABLE_WRITE, -1, NULL) == 1 &&
                     ops.n == 1,
                 "step %d: attach emitted %zu ops", step, ops.n);
        m.state[q] = F_LIVE;
        m.tokens[q] = got;
        m.nblk[q] = got / bt + (got % bt != 0);
        m.wlo[q] = win_lo(&run, got);
        m.cow[q] = got % bt != 0;
        m.attached[q] = 1;
      }
    }
    if (unchanged) {
      vt->stats(st, next, &after);
      FZ_CHECK(memcmp(&before, &after, sizeof before) == 0,
               "step %d %s req %u: stats changed", step, what, q);
      if (vt->tier_stats) {
        vt->tier_stats(st, &tafter);
        FZ_CHECK(tafter.total_blocks == tbefore.total_blocks &&
                     tafter.free_blocks == tbefore.free_blocks &&
                     tafter.cached_blocks == tbefore.cached_blocks &&
                     tafter.host_blocks == tbefore.host_blocks &&
                     tafter.host_free == tbefore.host_free &&
                     (kind == OP_PUBLISH || kind == OP_PUBLISH_OWN ||
                      tafter.shared_refs == tbefore.shared_refs),
                 "step %d %s req %u: tier stats changed", step, what, q);
      }
    }
    rc = vt->is_valid(st, &err);
    FZ_CHECK(rc == KV_OK, "%s step %d (%s req %u): %s", vt->name, step, what, q,
             err.msg);
    FZ_CHECK(vt->max_request_tokens(st) == mrt, "step %d: max changed", step);
    check_stats(&run, &m, next, step);

    /* the engine's admission: the rest of the prompt after the prefix */
    if (kind == OP_ADMIT && got > 0) {
      kv_ops_clear(&ops);
      uint64_t to = got + want;
      vt->stats(st, next, &before);
      rc = vt->reserve(st, q, to, &ops);
      check_op_list(&run, &ops, step);
      if (rc == KV_OK) {
        FZ_CHECK(to <= mrt, "step %d: admitted %" PRIu64 " > max %" PRIu64,
                 step, to, mrt);
        if (m.cow[q] && to > got) {
          uint64_t d2d = 0;
          FZ_CHECK(count_ops(&ops, KV_OP_COPY, KV_COPY_D2D, &d2d) == 1 &&
                       d2d == (got % bt) * bpt,
                   "step %d: copy-on-write of %" PRIu64 " tokens: %" PRIu64
                   " bytes",
                   step, got % bt, d2d);
          m.cow[q] = 0;
        }
        m.tokens[q] = to;
        m.nblk[q] = KV_MAX(m.nblk[q], to / bt + (to % bt != 0));
        m.wlo[q] = win_lo(&run, to);
      } else {
        FZ_CHECK(rc == KV_ENOMEM || (rc == KV_EINVAL && to > mrt),
                 "step %d: admission of %" PRIu64 " tokens: %d", step, to, rc);
        FZ_CHECK(ops.n == 0, "step %d: refused admission emitted ops", step);
        vt->stats(st, next, &after);
        FZ_CHECK(memcmp(&before, &after, sizeof before) == 0,
                 "step %d: refused admission changed stats", step);
        /* no room for the rest: the prefix goes back to the cache */
        vt->release(st, q, &ops);
        m.state[q] = F_FREE, m.tokens[q] = 0, m.nblk[q] = 0, m.wlo[q] = 0;
        m.cow[q] = 0, m.attached[q] = 0, m.published[q] = 0;
      }
      rc = vt->is_valid(st, &err);
      FZ_CHECK(rc == KV_OK, "%s step %d (admit req %u): %s", vt->name, step, q,
               err.msg);
      check_stats(&run, &m, next, step);
    }
  }

  /* release everything: no reference, token or host byte may stay */
  kv_ops_clear(&ops);
  for (uint32_t q = 0; q < cfg.max_requests; q++) {
    vt->release(st, q, &ops);
    m.state[q] = F_FREE, m.tokens[q] = 0, m.nblk[q] = 0, m.wlo[q] = 0;
    m.cow[q] = 0, m.attached[q] = 0, m.published[q] = 0;
  }
  rc = vt->is_valid(st, &err);
  FZ_CHECK(rc == KV_OK, "%s after releasing everything: %s", vt->name, err.msg);
  check_stats(&run, &m, 0, 4096);
  kv_mem_stats fin;
  vt->stats(st, 0, &fin);
  FZ_CHECK(fin.used == 0 && fin.live_requests == 0 &&
               fin.swapped_requests == 0 && fin.host_used == 0,
           "%s after releasing everything: used %" PRIu64
           " live %u swapped %u host %" PRIu64,
           vt->name, fin.used, fin.live_requests, fin.swapped_requests,
           fin.host_used);
  if (blocky) {
    FZ_CHECK(fin.backed == 0, "%s: %" PRIu64 " bytes still backed", vt->name,
             fin.backed);
    kv_tier_stats t;
    vt->tier_stats(st, &t);
    FZ_CHECK(t.shared_refs == 0 && t.host_blocks == 0,
             "%s after releasing everything: %" PRIu64 " references, %" PRIu64
             " host blocks",
             vt->name, t.shared_refs, t.host_blocks);
  }
  kv_ops_clear(&ops);
  vt->destroy(st, &ops);
  check_op_list(&run, &ops, -2);
  kv_ops_free(&ops);
  return nops;
}
