/* prefix_map.h - the prefix cache's bookkeeping shared by the paged and
 * indirect strategies: a key -> block map (open addressing, linear probing,
 * backward-shift deletion), a reference count, key and fill per block, and
 * an LRU list of cached blocks whose reference count is 0.
 *
 * Blocks are the strategy's ids (0 .. nblocks-1). Key 0 means "no key".
 * Main entry points: kv_pmap_init(), kv_pmap_find(), kv_pmap_set_key(),
 * kv_pmap_lru_push(), kv_pmap_lru_pop().
 */
#ifndef KV_PREFIX_MAP_H
#define KV_PREFIX_MAP_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KV_PMAP_NONE UINT32_MAX

/* Invariants: every block with key != 0 is in the map under that key, and
 * the map holds nothing else; a block is on the LRU list iff it has a key
 * and refcnt 0; lru_n is the list's length. */
typedef struct kv_pmap {
  uint32_t nblocks;
  uint32_t *refcnt;            /* live table entries pointing at the block */
  uint64_t *key;               /* 0 = not published */
  uint32_t *fill;              /* tokens the key covers (<= block_tokens) */
  uint32_t *prev, *next;       /* LRU links (KV_PMAP_NONE ends) */
  uint32_t lru_head, lru_tail; /* head = least recently used */
  uint64_t lru_n;
  uint64_t *slot_key; /* hash table: key per slot, 0 = empty */
  uint32_t *slot_blk;
  uint64_t slots; /* power of two, >= 2 * nblocks */
  uint64_t nkeys;
} kv_pmap;

void kv_pmap_init(kv_pmap *m, uint32_t nblocks);
void kv_pmap_free(kv_pmap *m);
/* Grow to cover nblocks (indirect creates slabs lazily). */
void kv_pmap_grow(kv_pmap *m, uint32_t nblocks);
/* Block published under key, or KV_PMAP_NONE. */
uint32_t kv_pmap_find(const kv_pmap *m, uint64_t key);
/* Publish block b under key (b has no key, key is not in the map). */
void kv_pmap_set_key(kv_pmap *m, uint32_t b, uint64_t key, uint32_t fill);
/* Remove b's key (and take it off the LRU list if there). */
void kv_pmap_drop_key(kv_pmap *m, uint32_t b);
/* LRU list of refcount-0 cached blocks: append as most recent / unlink /
 * pop the least recent (KV_PMAP_NONE when empty; the key is dropped). */
void kv_pmap_lru_push(kv_pmap *m, uint32_t b);
void kv_pmap_lru_unlink(kv_pmap *m, uint32_t b);
uint32_t kv_pmap_lru_pop(kv_pmap *m);
bool kv_pmap_on_lru(const kv_pmap *m, uint32_t b);

#ifdef __cplusplus
}
#endif

#endif
