/* engine_prefix.c - prefix-cache bookkeeping: the keys and fills of the
 * blocks a request attaches at admission and publishes as its tokens are
 * computed (by the workload's hash ids, prompt blocks then the output
 * blocks a multi-turn workload names), and the split of a hit into prompt
 * and generated blocks.
 * Entry points: engine_req_keys, engine_gen_keys, engine_count_hit,
 * engine_gen_ids_init (see engine_internal.h).
 */
#include "engine_internal.h"

static void keys_room(engine *e, uint32_t n);

/* Request id's hash ids (hash_n prompt ids, then gen_n output ids), decoded
 * from the workload's compact storage into e->ids. */
static const uint32_t *req_ids(engine *e, uint32_t id) {
  const kv_request_spec *q = &e->cfg->workload->reqs[id];
  size_t n = (size_t)q->hash_n + q->gen_n;
  if (n > e->ids_cap) {
    e->ids_cap = 2 * n;
    e->ids = kv_xrealloc(e->ids, e->ids_cap * sizeof *e->ids);
  }
  kv_workload_ids(e->cfg->workload, id, e->ids);
  return e->ids;
}

/* Keys and fills of req id's blocks over its first `limit` prompt tokens
 * that the workload's hash ids cover. Returns the number of blocks. */
uint32_t engine_req_keys(engine *e, uint32_t id, uint32_t limit) {
  const kv_workload *w = e->cfg->workload;
  const kv_request_spec *q = &w->reqs[id];
  uint32_t bt = e->cfg->scfg.block_tokens, hb = w->hash_block_tokens;
  uint64_t covered = KV_MIN((uint64_t)q->hash_n * hb, (uint64_t)limit);
  uint32_t n = (uint32_t)KV_DIV_CEIL(covered, bt);
  keys_room(e, n);
  const uint32_t *ids = n ? req_ids(e, id) : NULL;
  for (uint32_t j = 0; j < n; j++) {
    uint64_t t0 = (uint64_t)j * bt;
    uint32_t h = ids[t0 / hb];
    e->keys[j] = (((uint64_t)h + 1) << 16) | ((t0 % hb) / bt);
    e->fill[j] = (uint32_t)KV_MIN((uint64_t)bt, covered - t0);
  }
  return n;
}

static void keys_room(engine *e, uint32_t n) {
  if (n > e->keys_cap) {
    e->keys_cap = n * 2;
    e->keys = kv_xrealloc(e->keys, e->keys_cap * sizeof *e->keys);
    e->fill = kv_xrealloc(e->fill, e->keys_cap * sizeof *e->fill);
  }
}

/* Keys and fills of req id's blocks over its first `limit` tokens, prompt
 * then generated, for a request whose workload names its output blocks
 * (gen_keyed): the prompt's whole hash blocks by its prompt ids (the last
 * block may be partial when limit ends inside them), then only FULL blocks
 * of the hash blocks the output completes, by their output ids, as vLLM
 * hashes full blocks only. The block holding the end of the prompt is one
 * of those: it is published (and found) once full, never partial. */
uint32_t engine_gen_keys(engine *e, uint32_t id, uint32_t limit) {
  const kv_workload *w = e->cfg->workload;
  const kv_request_spec *q = &w->reqs[id];
  uint32_t bt = e->cfg->scfg.block_tokens, hb = w->hash_block_tokens;
  uint64_t pw = (uint64_t)(q->prompt / hb) * hb; /* whole prompt blocks */
  uint64_t end = pw + (uint64_t)q->gen_n * hb;   /* output blocks' end */
  uint64_t cp = KV_MIN(pw, (uint64_t)limit);
  uint64_t np = KV_DIV_CEIL(cp, bt), ng = 0;
  if (limit >= pw) ng = (KV_MIN(end, (uint64_t)limit) - pw) / bt;
  uint32_t n = (uint32_t)(np + ng);
  keys_room(e, n);
  const uint32_t *ids = n ? req_ids(e, id) : NULL;
  for (uint32_t j = 0; j < n; j++) {
    uint64_t t0 = (uint64_t)j * bt;
    uint32_t h;
    if (t0 < pw) {
      h = ids[t0 / hb];
      e->fill[j] = (uint32_t)KV_MIN((uint64_t)bt, cp - t0);
    } else {
      h = ids[q->hash_n + (t0 - pw) / hb];
      e->fill[j] = bt;
    }
    e->keys[j] = (((uint64_t)h + 1) << 16) | ((t0 % hb) / bt);
  }
  return n;
}

/* Count an admission's prefix hit of `hit` tokens over the keys in
 * e->keys: blocks whose hash id names an output block (an earlier turn's
 * answer) are generated-block hits, the others prompt-block hits. */
void engine_count_hit(engine *e, uint64_t hit) {
  uint32_t bt = e->cfg->scfg.block_tokens;
  for (uint64_t j = 0; j * bt < hit; j++) {
    uint64_t h = (e->keys[j] >> 16) - 1;
    double tok = (double)KV_MIN((uint64_t)bt, hit - j * bt);
    if (h < e->gen_nbits && (e->gen_bits[h / 8] >> (h % 8) & 1)) {
      e->tr->prefix_hit_blocks_generated++;
      e->tr->prefix_hit_tokens_generated += tok;
    } else {
      e->tr->prefix_hit_blocks_prompt++;
      e->tr->prefix_hit_tokens_prompt += tok;
    }
  }
}

/* The hash ids that name output blocks (for the hit split), and whether
 * they are published. */
void engine_gen_ids_init(engine *e) {
  const kv_workload *w = e->cfg->workload;
  uint64_t top = 0;
  for (size_t i = 0; i < w->n; i++) {
    const kv_request_spec *q = &w->reqs[i];
    const uint32_t *ids = q->gen_n ? req_ids(e, (uint32_t)i) : NULL;
    for (uint32_t k = 0; k < q->gen_n; k++)
      top = KV_MAX(top, (uint64_t)ids[q->hash_n + k] + 1);
  }
  if (!top) return;
  e->gen = e->cfg->prefix_generated;
  e->gen_nbits = top;
  e->gen_bits = kv_xcalloc((size_t)KV_DIV_CEIL(top, 8), 1);
  for (size_t i = 0; i < w->n; i++) {
    const kv_request_spec *q = &w->reqs[i];
    const uint32_t *ids = q->gen_n ? req_ids(e, (uint32_t)i) : NULL;
    for (uint32_t k = 0; k < q->gen_n; k++) {
      uint32_t h = ids[q->hash_n + k];
      e->gen_bits[h / 8] |= (uint8_t)(1u << (h % 8));
    }
  }
}
