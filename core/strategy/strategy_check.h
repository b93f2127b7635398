/* strategy_check.h - a generic checker for any strategy, C or Lua, from
 * the ops it emits and the token-to-address map it exposes (the vtable's
 * token_map slot, version 5).
 *
 * The checker keeps its own shadow of what the ops did: VA reserved and
 * freed (VMM_RESERVE / VMM_FREE_VA), physical bytes created and released
 * (VMM_CREATE / VMM_RELEASE), VA ranges mapped and unmapped (the runs of
 * VMM_MAP / VMM_UNMAP). Against that shadow and the strategy's own stats it
 * checks, after any call:
 *   - no two live tokens share a device byte (the map's extents, sorted);
 *   - every extent lies where memory is: in the pool [0, capacity) for a
 *     KV_POOL_DEVICE strategy, in a mapped VA range otherwise;
 *   - conservation: stats.used = the bytes the map names (<= with a
 *     sliding window: a strategy may keep what attention no longer reads);
 *     a VMM strategy's
 *     stats.backed <= bytes created - released <= capacity (indirect's
 *     slabs hold free blocks) and
 *     stats.reserved_va = VA reserved - freed; a pool strategy's
 *     stats.backed <= capacity and >= used;
 *   - tables agree with the addressing mode: contiguous strategies place
 *     token t of a request at extent(0) + t * stride; block-table and
 *     offset-table ones place the tokens of one table entry contiguously
 *     from an entry base (block_tokens tokens per entry); not checked
 *     for windowed models (rings, window lanes).
 * A strategy without token_map still gets the op-shadow checks.
 * Out of scope: prefix-shared blocks (run without cfg.prefix_cache) and
 * the host tier.
 *
 * Main entry points: kv_check_new(), kv_check_ops(), kv_check_state().
 */
#ifndef KV_STRATEGY_CHECK_H
#define KV_STRATEGY_CHECK_H

#include "strategy.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kv_check kv_check;

/* A checker for strategy vt created from cfg (the cfg is copied). */
kv_check *kv_check_new(const kv_strategy_vt *vt, const kv_strategy_cfg *cfg);
void kv_check_free(kv_check *c);

/* Apply the ops a call emitted (the list must record runs) to the shadow.
 * Fails on an op that contradicts it: freeing VA never reserved or still
 * mapped, mapping over a mapped range or outside reserved VA, unmapping
 * what is not mapped, releasing more than was created. An UNMAP without
 * runs (vmm's teardown) must unmap every mapped range. */
kv_status kv_check_ops(kv_check *c, const kv_op_list *ops, kv_error *err);

/* Check the strategy's state against the shadow and its map. tokens[q] is
 * the live token count of request q (0: not live), for q < max_requests. */
kv_status kv_check_state(kv_check *c, const void *state, const uint64_t *tokens,
                         kv_error *err);

/* Whether vt exposes a token map the checker can use. */
bool kv_check_has_map(const kv_strategy_vt *vt);

#ifdef __cplusplus
}
#endif

#endif
