/* fuzz_pool.c - libFuzzer harness: several models' strategies drawing
 * physical pages from one shared pool (core/strategy/mempool.h;
 * docs/multimodel.md).
 *
 * The input picks the pool's size and the strategies' pool options, then
 * a sequence of operations, each on one of four users of the pool: paged
 * over the pool for Llama-3-8B and for Mistral-7B (a sliding window), vmm
 * (its per-request ranges, either layout) and indirect (slabs from the
 * pool), reserving a request's next tokens or releasing it. After every
 * operation it checks the invariants of issue 17 and of the strategies:
 * - every strategy's own is_valid (its pages are exactly those the pool
 *   says it owns, each once);
 * - the pool's: free + held by every model = its size, no page owned twice;
 * - reserve_need is exact: a granted reserve took what it said from the
 *   pool; a refused one said it would not fit, emitted nothing and took
 *   nothing.
 * At the end every request is released and every strategy destroyed: the
 * pool must be whole again. The first violation aborts (FZ_CHECK).
 * Main entry point: LLVMFuzzerTestOneInput().
 */
#include "fuzz_common.h"

#include <string.h>

#include "mempool.h"
#include "strategy.h"

enum { USERS = 4, MAXQ = 32, MAXOPS = 2000 };

typedef struct user {
  const kv_strategy_vt *vt;
  kv_strategy_cfg cfg;
  void *st;
  uint64_t tokens[MAXQ];
} user;

static kv_model llama, mistral;

static void models_once(void) {
  static int done;
  if (done) return;
  kv_error err;
  if (kv_model_preset("llama-3-8b", &llama, &err) != KV_OK ||
      kv_model_preset("mistral-7b", &mistral, &err) != KV_OK) {
    fprintf(stderr, "fuzz_pool: %s\n", err.msg);
    abort();
  }
  done = 1;
}

/* Pages the pool lends user m's model (held), by the pool's bookkeeping. */
static uint64_t held(const kv_mempool *p, uint32_t m) {
  return p->held[m];
}

static int open_user(user *u, const kv_strategy_vt *vt, const kv_model *m,
                     kv_mempool *p, uint32_t idx, fz_cursor *c) {
  memset(u, 0, sizeof *u);
  u->vt = vt;
  kv_strategy_cfg_defaults(&u->cfg);
  u->cfg.model = m;
  u->cfg.capacity_bytes = (uint64_t)p->total * p->page_bytes;
  u->cfg.max_requests = MAXQ;
  u->cfg.max_context = 8192;
  u->cfg.pool = p;
  u->cfg.pool_model = idx;
  uint8_t o = fz_u8(c);
  u->cfg.pool_spare = o & 7u;
  u->cfg.pool_prealloc = (o >> 3) & 3u;
  if (vt == &kv_strategy_vmm)
    u->cfg.vmm_layout = o & 0x80 ? KV_VMM_ALL_LAYERS : KV_VMM_PER_LAYER;
  if (vt == &kv_strategy_indirect) u->cfg.slab_bytes = 32ull << 20;
  kv_error err;
  kv_op_list ops;
  kv_ops_init(&ops, 1);
  kv_status s = vt->create(&u->cfg, &u->st, &ops, &err);
  kv_ops_free(&ops);
  return s == KV_OK;
}

static void check_all(user *u, kv_mempool *p, int step) {
  kv_error err;
  for (int m = 0; m < USERS; m++)
    FZ_CHECK(u[m].vt->is_valid(u[m].st, &err) == KV_OK,
             "step %d, user %d (%s): %s", step, m, u[m].vt->name, err.msg);
  FZ_CHECK(kv_mempool_is_valid(p, &err) == KV_OK, "step %d: pool: %s", step,
           err.msg);
  uint64_t sum = kv_mempool_free_pages(p);
  for (int m = 0; m < USERS; m++)
    sum += held(p, (uint32_t)m);
  FZ_CHECK(sum == p->total, "step %d: free + held = %llu of %u pages", step,
           (unsigned long long)sum, p->total);
}

/* One reserve; checks reserve_need against what the pool lent. */
static void reserve(user *q, kv_mempool *p, uint32_t qi, uint32_t id,
                    uint64_t want, int step) {
  kv_op_list ops;
  kv_ops_init(&ops, 1);
  uint64_t need = q->vt->reserve_need(q->st, id, want);
  uint32_t free0 = kv_mempool_free_pages(p);
  uint64_t held0 = held(p, qi);
  kv_status s = q->vt->reserve(q->st, id, want, &ops);
  if (s == KV_OK) {
    q->tokens[id] = want;
    FZ_CHECK(need != UINT64_MAX, "step %d: granted, but need said no", step);
  } else {
    FZ_CHECK(s == KV_ENOMEM, "step %d: %s reserve of %llu tokens: status %d",
             step, q->vt->name, (unsigned long long)want, s);
    FZ_CHECK(need == UINT64_MAX, "step %d: refused, need said %llu", step,
             (unsigned long long)need);
    FZ_CHECK(kv_mempool_free_pages(p) == free0 && held(p, qi) == held0,
             "step %d: refused but the pool changed", step);
    FZ_CHECK(ops.n == 0, "step %d: refused but emitted %zu ops", step, ops.n);
  }
  kv_ops_free(&ops);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  models_once();
  fz_cursor c = {data, size, 0};
  /* a pool of 512 MiB to 8 GiB: small enough to run out */
  uint64_t bytes = (512ull << 20) << (fz_u8(&c) & 3u);
  kv_error err;
  kv_mempool *p = kv_mempool_create(bytes, 2ull << 20, USERS, &err);
  if (!p) return 0;
  user u[USERS];
  const kv_strategy_vt *vts[USERS] = {&kv_strategy_paged, &kv_strategy_paged,
                                      &kv_strategy_vmm, &kv_strategy_indirect};
  const kv_model *ms[USERS] = {&llama, &mistral, &llama, &llama};
  int opened = 0;
  for (; opened < USERS; opened++)
    if (!open_user(&u[opened], vts[opened], ms[opened], p, (uint32_t)opened,
                   &c))
      break;
  if (opened == USERS) {
    check_all(u, p, -1);
    for (int step = 0; step < MAXOPS && fz_left(&c); step++) {
      uint8_t a = fz_u8(&c), b = fz_u8(&c);
      uint32_t qi = a & 3u, id = (a >> 2) % MAXQ;
      user *q = &u[qi];
      if ((b & 7u) == 0 && q->tokens[id]) {
        kv_op_list ops;
        kv_ops_init(&ops, 1);
        q->vt->release(q->st, id, &ops);
        kv_ops_free(&ops);
        q->tokens[id] = 0;
      } else {
        uint64_t want = q->tokens[id] + 1 + (uint64_t)(b >> 3) * 97u;
        uint64_t most = q->vt->max_request_tokens(q->st);
        if (want > 8192) want = 8192;
        if (want > most) want = most;
        if (want > q->tokens[id]) reserve(q, p, qi, id, want, step);
      }
      check_all(u, p, step);
    }
  }
  for (int m = 0; m < opened; m++) {
    kv_op_list ops;
    kv_ops_init(&ops, 1);
    for (uint32_t id = 0; id < MAXQ; id++)
      if (u[m].tokens[id]) u[m].vt->release(u[m].st, id, &ops);
    u[m].vt->destroy(u[m].st, &ops);
    kv_ops_free(&ops);
  }
  FZ_CHECK(kv_mempool_free_pages(p) == p->total,
           "pages leaked: %u of %u free after every model left",
           kv_mempool_free_pages(p), p->total);
  kv_mempool_free(p);
  return 0;
}
