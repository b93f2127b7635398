/* prefix_map.c - key -> block map, reference counts and the LRU of cached
 * prefix blocks (see prefix_map.h).
 * Main entry points: kv_pmap_find(), kv_pmap_set_key(), kv_pmap_lru_pop().
 */
#include "prefix_map.h"

#include "util.h"

#include <string.h>

static uint64_t mix(uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdull;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ull;
  k ^= k >> 33;
  return k;
}

static void table_alloc(kv_pmap *m, uint64_t slots) {
  m->slots = slots;
  m->slot_key = kv_xcalloc(slots, sizeof *m->slot_key);
  m->slot_blk = kv_xcalloc(slots, sizeof *m->slot_blk);
}

static void table_put(kv_pmap *m, uint64_t key, uint32_t b) {
  uint64_t mask = m->slots - 1, i = mix(key) & mask;
  while (m->slot_key[i])
    i = (i + 1) & mask;
  m->slot_key[i] = key;
  m->slot_blk[i] = b;
}

static void arrays_resize(kv_pmap *m, uint32_t old, uint32_t n) {
  m->refcnt = kv_xrealloc(m->refcnt, (n ? n : 1) * sizeof *m->refcnt);
  m->key = kv_xrealloc(m->key, (n ? n : 1) * sizeof *m->key);
  m->fill = kv_xrealloc(m->fill, (n ? n : 1) * sizeof *m->fill);
  m->prev = kv_xrealloc(m->prev, (n ? n : 1) * sizeof *m->prev);
  m->next = kv_xrealloc(m->next, (n ? n : 1) * sizeof *m->next);
  for (uint32_t b = old; b < n; b++) {
    m->refcnt[b] = 0;
    m->key[b] = 0;
    m->fill[b] = 0;
    m->prev[b] = m->next[b] = KV_PMAP_NONE;
  }
}

void kv_pmap_init(kv_pmap *m, uint32_t nblocks) {
  memset(m, 0, sizeof *m);
  m->lru_head = m->lru_tail = KV_PMAP_NONE;
  arrays_resize(m, 0, nblocks);
  m->nblocks = nblocks;
  uint64_t slots = 16;
  while (slots < 2ull * nblocks)
    slots *= 2;
  table_alloc(m, slots);
}

void kv_pmap_free(kv_pmap *m) {
  free(m->refcnt);
  free(m->key);
  free(m->fill);
  free(m->prev);
  free(m->next);
  free(m->slot_key);
  free(m->slot_blk);
  memset(m, 0, sizeof *m);
}

void kv_pmap_grow(kv_pmap *m, uint32_t nblocks) {
  if (nblocks <= m->nblocks) return;
  arrays_resize(m, m->nblocks, nblocks);
  m->nblocks = nblocks;
  if (m->slots >= 2ull * nblocks) return;
  uint64_t *ok = m->slot_key;
  uint32_t *ob = m->slot_blk;
  uint64_t on = m->slots, slots = m->slots;
  while (slots < 2ull * nblocks)
    slots *= 2;
  table_alloc(m, slots);
  for (uint64_t i = 0; i < on; i++)
    if (ok[i]) table_put(m, ok[i], ob[i]);
  free(ok);
  free(ob);
}

uint32_t kv_pmap_find(const kv_pmap *m, uint64_t key) {
  if (!key) return KV_PMAP_NONE;
  uint64_t mask = m->slots - 1, i = mix(key) & mask;
  while (m->slot_key[i]) {
    if (m->slot_key[i] == key) return m->slot_blk[i];
    i = (i + 1) & mask;
  }
  return KV_PMAP_NONE;
}

void kv_pmap_set_key(kv_pmap *m, uint32_t b, uint64_t key, uint32_t fill) {
  m->key[b] = key;
  m->fill[b] = fill;
  table_put(m, key, b);
  m->nkeys++;
}

void kv_pmap_drop_key(kv_pmap *m, uint32_t b) {
  uint64_t key = m->key[b];
  if (!key) return;
  if (kv_pmap_on_lru(m, b)) kv_pmap_lru_unlink(m, b);
  uint64_t mask = m->slots - 1, i = mix(key) & mask;
  while (m->slot_key[i] != key)
    i = (i + 1) & mask;
  /* backward-shift deletion keeps probe chains unbroken */
  uint64_t j = i;
  for (;;) {
    j = (j + 1) & mask;
    if (!m->slot_key[j]) break;
    uint64_t home = mix(m->slot_key[j]) & mask;
    /* can the entry at j move to the hole at i? (home not in (i, j]) */
    bool between = i <= j ? (home > i && home <= j) : (home > i || home <= j);
    if (between) continue;
    m->slot_key[i] = m->slot_key[j];
    m->slot_blk[i] = m->slot_blk[j];
    i = j;
  }
  m->slot_key[i] = 0;
  m->key[b] = 0;
  m->fill[b] = 0;
  m->nkeys--;
}

bool kv_pmap_on_lru(const kv_pmap *m, uint32_t b) {
  return m->prev[b] != KV_PMAP_NONE || m->lru_head == b;
}

void kv_pmap_lru_push(kv_pmap *m, uint32_t b) {
  m->prev[b] = m->lru_tail;
  m->next[b] = KV_PMAP_NONE;
  if (m->lru_tail != KV_PMAP_NONE)
    m->next[m->lru_tail] = b;
  else
    m->lru_head = b;
  m->lru_tail = b;
  m->lru_n++;
}

void kv_pmap_lru_unlink(kv_pmap *m, uint32_t b) {
  if (m->prev[b] != KV_PMAP_NONE)
    m->next[m->prev[b]] = m->next[b];
  else
    m->lru_head = m->next[b];
  if (m->next[b] != KV_PMAP_NONE)
    m->prev[m->next[b]] = m->prev[b];
  else
    m->lru_tail = m->prev[b];
  m->prev[b] = m->next[b] = KV_PMAP_NONE;
  m->lru_n--;
}

uint32_t kv_pmap_lru_pop(kv_pmap *m) {
  uint32_t b = m->lru_head;
  if (b == KV_PMAP_NONE) return b;
  kv_pmap_drop_key(m, b); /* unlinks too */
  return b;
}
