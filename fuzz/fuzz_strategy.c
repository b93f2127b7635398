/* fuzz_strategy.c - libFuzzer harness for the four KV placement strategies.
 *
 * The input decodes into a strategy, a model geometry and a strategy
 * configuration (tp, capacity with an odd tail, host tier, request slots,
 * max context, block size, page size, layout, map-ahead, deferred reclaim,
 * slab size), then into a sequence of operations: admit/grow/shrink
 * (reserve), free (release, also how the engine preempts by recompute),
 * swap-out, swap-in and stats queries, on request ids that may be out of
 * range. After every operation it checks is_valid(), conservation
 * (free + backed == capacity), used == tracked live tokens x bytes per
 * token, the live/swapped counts, the contract of each call (which states a
 * call may succeed from) and that a failed call emits no ops and leaves the
 * stats unchanged.
 * Main entry point: LLVMFuzzerTestOneInput().
 */
#include "fuzz_common.h"

#include <inttypes.h>
#include <string.h>

#include "strategy.h"

enum { MAXQ = 64 };

typedef struct fz_model_state {
  uint8_t state[MAXQ]; /* 0 free, 1 live, 2 swapped */
  uint64_t tokens[MAXQ];
} fz_model_state;

static void check_stats(const kv_strategy_vt *vt, void *st,
                        const kv_strategy_cfg *cfg, const fz_model_state *m,
                        uint64_t bpt, uint64_t next, int step) {
  kv_mem_stats s;
  vt->stats(st, next, &s);
  uint64_t used = 0;
  uint32_t live = 0, swapped = 0;
  for (uint32_t q = 0; q < cfg->max_requests; q++) {
    if (m->state[q] == 1) used += m->tokens[q] * bpt, live++;
    swapped += m->state[q] == 2;
  }
  FZ_CHECK(s.capacity == cfg->capacity_bytes, "step %d", step);
  FZ_CHECK(s.free + s.backed == s.capacity,
           "step %d: free %" PRIu64 " + backed %" PRIu64 " != %" PRIu64, step,
           s.free, s.backed, s.capacity);
  FZ_CHECK(s.used == used, "step %d: used %" PRIu64 " vs tracked %" PRIu64,
           step, s.used, used);
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
}

static void check_op_list(const kv_op_list *l, int step) {
  for (size_t i = 0; i < l->n; i++) {
    const kv_op *op = &l->ops[i];
    FZ_CHECK(op->kind < KV_OP__COUNT, "step %d: op kind %u", step, op->kind);
    FZ_CHECK(op->runs_n == 0 || op->runs_first + op->runs_n <= l->runs_n,
             "step %d: op %zu runs out of range", step, i);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fz_cursor c = {data, size, 0};
  static const kv_strategy_vt *const vts[] = {
      &kv_strategy_static, &kv_strategy_paged, &kv_strategy_vmm,
      &kv_strategy_indirect};
  const kv_strategy_vt *vt = vts[fz_u8(&c) % 4];

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
  uint8_t h = fz_u8(&c);
  cfg.host_bytes = h % 4 == 0 ? 0 : (fz_u16(&c) % 4097) * bpt + h;
  cfg.max_requests = 1 + fz_u8(&c) % MAXQ;
  cfg.max_context = fz_u16(&c) % 8193; /* 0 must be refused cleanly */
  cfg.block_tokens = fz_u8(&c) % 129;  /* 0 too */
  uint8_t pb = fz_u8(&c);
  if (pb & 0x80) /* any multiple of 256 B up to 32 KiB, 0 included */
    cfg.page_bytes = (uint64_t)(pb & 0x7f) * 256;
  else /* a power of two from 256 B to 2 MiB */
    cfg.page_bytes = 256ull << (pb % 14);
  uint8_t flags = fz_u8(&c);
  cfg.vmm_layout = flags & 1 ? KV_VMM_ALL_LAYERS : KV_VMM_PER_LAYER;
  cfg.deferred_reclaim = (flags & 2) != 0;
  cfg.copy_via = flags & 4 ? KV_VIA_KERNEL : KV_VIA_ENGINE;
  cfg.map_ahead = flags & 8 ? fz_u8(&c) : 0;
  uint8_t sb = fz_u8(&c);
  cfg.slab_bytes =
      sb & 0x80 ? (uint64_t)(sb & 0x7f) * 4096 : 4096ull << (sb % 15);

  static int verbose = -1;
  if (verbose < 0) verbose = getenv("KVSIM_FUZZ_VERBOSE") != NULL;
  if (verbose)
    fprintf(
        stderr,
        "%s: layers %u kv_heads %u head_dim %u dtype %u mla %u+%u tp %u "
        "bpt %" PRIu64 " capacity %" PRIu64 " host %" PRIu64
        " max_requests %u max_context %u block_tokens %u page_bytes %" PRIu64
        " layout %s deferred %d map_ahead %u slab %" PRIu64 "\n",
        vt->name, model.layers, model.kv_heads, model.head_dim,
        model.dtype_bytes, model.mla_latent, model.mla_rope, cfg.tp, bpt,
        cfg.capacity_bytes, cfg.host_bytes, cfg.max_requests, cfg.max_context,
        cfg.block_tokens, cfg.page_bytes,
        cfg.vmm_layout == KV_VMM_ALL_LAYERS ? "all" : "per-layer",
        cfg.deferred_reclaim, cfg.map_ahead, cfg.slab_bytes);

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
  check_op_list(&ops, -1);
  rc = vt->is_valid(st, &err);
  FZ_CHECK(rc == KV_OK, "%s after create: %s", vt->name, err.msg);
  uint64_t mrt = vt->max_request_tokens(st);

  fz_model_state m;
  memset(&m, 0, sizeof m);
  check_stats(vt, st, &cfg, &m, bpt, 0, -1);

  for (int step = 0; fz_left(&c) && step < 4096; step++) {
    uint8_t opb = fz_u8(&c);
    uint32_t q = fz_u8(&c) % (cfg.max_requests + 1); /* may be out of range */
    uint64_t next = opb & 0x80 ? fz_u16(&c) : 0;
    int kind = opb % 8;
    uint64_t cur = q < cfg.max_requests ? m.tokens[q] : 0;
    uint64_t want = 0;
    switch (kind) {
    case 0:
    case 1: want = cur + 1; break;         /* decode */
    case 2: want = cur + fz_u8(&c); break; /* chunked prefill */
    case 3: want = fz_u16(&c) % (mrt + 2 + mrt / 4); break; /* any size */
    default: break;
    }
    kv_mem_stats before, after;
    vt->stats(st, next, &before);
    kv_ops_clear(&ops);
    const char *what;
    int st_before = q < cfg.max_requests ? m.state[q] : -1;
    if (kind <= 3) {
      what = "reserve";
      rc = vt->reserve(st, q, want, &ops);
    } else if (kind == 4) {
      what = "release";
      vt->release(st, q, &ops);
      rc = KV_OK;
    } else if (kind == 5) {
      what = "swap_out";
      rc = vt->swap_out ? vt->swap_out(st, q, &ops) : KV_EINVAL;
    } else if (kind == 6) {
      what = "swap_in";
      rc = vt->swap_in ? vt->swap_in(st, q, &ops) : KV_EINVAL;
    } else {
      what = "stats";
      rc = KV_OK;
    }
    check_op_list(&ops, step);
    if (verbose)
      fprintf(stderr, "step %d: %s req %u want %" PRIu64 " -> %d (%zu ops)\n",
              step, what, q, want, rc, ops.n);
    if (rc != KV_OK) {
      FZ_CHECK(rc == KV_ENOMEM || rc == KV_EINVAL, "step %d %s: status %d",
               step, what, rc);
      FZ_CHECK(ops.n == 0, "step %d %s req %u: %zu ops emitted on failure",
               step, what, q, ops.n);
      vt->stats(st, next, &after);
      FZ_CHECK(memcmp(&before, &after, sizeof before) == 0,
               "step %d %s req %u: stats changed on failure", step, what, q);
      /* a valid request in a valid state may only be refused for size (a
       * strategy that can hold no request at all, mrt 0, refuses all) */
      if (kind <= 3 && st_before >= 0 && st_before != 2 && rc == KV_EINVAL)
        FZ_CHECK(want > mrt || mrt == 0,
                 "step %d: %s EINVAL for %" PRIu64 " tokens (max %" PRIu64 ")",
                 step, vt->name, want, mrt);
      if (kind == 6 && st_before == 2)
        FZ_CHECK(rc == KV_ENOMEM, "step %d: swap_in of a swapped request: %d",
                 step, rc);
      if (kind == 5 && st_before == 1 && cfg.host_bytes > 0)
        FZ_CHECK(rc == KV_ENOMEM, "step %d: swap_out of a live request: %d",
                 step, rc);
    } else {
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
        FZ_CHECK(st_before != 2, "step %d: reserve of a swapped request", step);
        FZ_CHECK(want <= mrt, "step %d: reserved %" PRIu64 " > max %" PRIu64,
                 step, want, mrt);
        m.state[q] = 1, m.tokens[q] = want;
      } else if (kind == 4 && st_before >= 0) {
        m.state[q] = 0, m.tokens[q] = 0;
      } else if (kind == 5) {
        FZ_CHECK(st_before == 1, "step %d: swap_out from state %d", step,
                 st_before);
        m.state[q] = 2;
      } else if (kind == 6) {
        FZ_CHECK(st_before == 2, "step %d: swap_in from state %d", step,
                 st_before);
        m.state[q] = 1;
      }
    }
    rc = vt->is_valid(st, &err);
    FZ_CHECK(rc == KV_OK, "%s step %d (%s req %u): %s", vt->name, step, what, q,
             err.msg);
    FZ_CHECK(vt->max_request_tokens(st) == mrt, "step %d: max changed", step);
    check_stats(vt, st, &cfg, &m, bpt, next, step);
  }
  kv_ops_clear(&ops);
  vt->destroy(st, &ops);
  check_op_list(&ops, -2);
  kv_ops_free(&ops);
  return 0;
}
