/* engine_offload.c - a host copy of the prefix cache, as vLLM's CPU KV
 * offloading (its OffloadingConnector with the CPU backend) keeps one.
 *
 * Every full prefix block a step computes is also stored to host memory (a
 * device-to-host copy beside the next step, one cudaMemcpyAsync per block:
 * from v0.12 vLLM lays a block's K and V of every layer out contiguously
 * for this), unless the host already holds it; the host keeps
 * offload_bytes of blocks per GPU and drops the least recently used one
 * when full. A request admitted with its prompt not wholly in the device's
 * prefix cache looks further in the host's: the consecutive full blocks
 * found there are loaded back (host to device, beside the step) into the
 * device's prefix cache and not prefilled; the request is admitted from
 * that cache at the next step (engine_loop.c), as vLLM schedules a request
 * only once its load is done.
 *
 * The host's blocks are kept in a kv_pmap (prefix_map.h) whose every block
 * is on its LRU list: find, touch (unlink and push), insert (a fresh slot
 * or the least recent one's).
 * Entry points: engine_offload_init, engine_offload_free,
 * engine_offload_lookup, engine_offload_load, engine_offload_store (see
 * engine_internal.h).
 */
#include "engine_internal.h"

enum { OFFLOAD_MAX_BLOCKS = 1u << 26 };

kv_status engine_offload_init(engine *e) {
  const kv_engine_cfg *cfg = e->cfg;
  uint64_t block = (uint64_t)cfg->scfg.block_tokens * e->bpt;
  uint64_t n = block ? cfg->offload_bytes / block : 0;
  if (!cfg->offload_bytes || n == 0) return KV_OK;
  /* the map takes about 50 bytes a block: keep it within a few GiB */
  if (n > OFFLOAD_MAX_BLOCKS)
    return kv_error_set(e->err, KV_EINVAL,
                        "offload_bytes: %llu bytes are %llu host blocks of "
                        "%llu bytes; at most %u are kept track of",
                        (unsigned long long)cfg->offload_bytes,
                        (unsigned long long)n, (unsigned long long)block,
                        OFFLOAD_MAX_BLOCKS);
  e->off_on = true;
  e->off_block_bytes = block;
  e->off_used = 0;
  kv_pmap_init(&e->off, (uint32_t)n);
  return KV_OK;
}

void engine_offload_free(engine *e) {
  if (e->off_on) kv_pmap_free(&e->off);
}

static void touch(engine *e, uint32_t b) {
  kv_pmap_lru_unlink(&e->off, b);
  kv_pmap_lru_push(&e->off, b);
}

/* Full blocks of e->keys[first .. n) the host holds, consecutively from
 * `first`; each found block becomes the most recently used. */
uint32_t engine_offload_lookup(engine *e, uint32_t first, uint32_t n) {
  uint32_t bt = e->cfg->scfg.block_tokens, m = 0;
  if (!e->off_on) return 0;
  for (uint32_t j = first; j < n && e->fill[j] == bt; j++, m++) {
    uint32_t b = kv_pmap_find(&e->off, e->keys[j]);
    if (b == KV_PMAP_NONE) break;
    touch(e, b);
  }
  return m;
}

/* A copy of `blocks` blocks between the device and the host copy: loads
 * beside the admitting step (which lasts until they are done), stores
 * detached (vLLM issues them on a stream of their own that no step waits
 * for: counted, not timed). */
static void push_copy(engine *e, uint32_t id, kv_copy_dir dir,
                      uint64_t blocks) {
  kv_op *op = kv_ops_push(&e->ops, KV_OP_COPY, id);
  op->dir = (uint8_t)dir;
  op->via = KV_VIA_ENGINE;
  op->flags = KV_OPF_BACKGROUND;
  if (dir == KV_COPY_D2H) op->flags |= KV_OPF_DETACHED;
  op->count = (uint32_t)blocks; /* a block's every layer in one run */
  op->bytes = blocks * e->off_block_bytes;
}

/* Request id loads `blocks` blocks from the host (the admission found them
 * by engine_offload_lookup). */
void engine_offload_load(engine *e, uint32_t id, uint32_t blocks) {
  if (!blocks) return;
  push_copy(e, id, KV_COPY_H2D, blocks);
  e->tr->offload_loads += blocks;
  e->tr->offload_hit_tokens +=
      (double)blocks * (double)e->cfg->scfg.block_tokens;
}

/* Store the full blocks among e->keys[first .. n) that the host lacks
 * (the blocks request id's step just completed). */
void engine_offload_store(engine *e, uint32_t id, uint32_t first, uint32_t n) {
  uint32_t bt = e->cfg->scfg.block_tokens;
  uint64_t stored = 0;
  for (uint32_t j = first; j < n; j++) {
    if (e->fill[j] != bt) continue;
    uint32_t b = kv_pmap_find(&e->off, e->keys[j]);
    if (b != KV_PMAP_NONE) {
      touch(e, b);
      continue;
    }
    if (e->off_used < e->off.nblocks)
      b = e->off_used++;
    else if ((b = kv_pmap_lru_pop(&e->off)) == KV_PMAP_NONE)
      break; /* not reached: every host block is on the list */
    kv_pmap_set_key(&e->off, b, e->keys[j], bt);
    kv_pmap_lru_push(&e->off, b);
    stored++;
  }
  if (!stored) return;
  push_copy(e, id, KV_COPY_D2H, stored);
  e->tr->offload_stores += (double)stored;
}
