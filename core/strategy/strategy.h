/* strategy.h - the one interface every KV placement strategy implements.
 *
 * A strategy is bookkeeping only: it decides where every KV byte of every
 * request lives and reports what it did as ops (ops.h). It never reads a
 * clock, sleeps or touches a GPU. One strategy per file
 * (core/strategy_<name>.c); KV_STRATEGY_LIST below is the registry, one
 * line per strategy. A strategy describes itself in its vtable (options,
 * label, addressing mode, pool): the engine, the Lua bindings and the
 * backends read that description and never name a strategy.
 *
 * Requests are dense ids 0 .. cfg->max_requests-1.
 * Main entry points: kv_strategy_find(), kv_strategy_names().
 */
#ifndef KV_STRATEGY_H
#define KV_STRATEGY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kv_error.h"
#include "model.h"
#include "ops.h"

#ifdef __cplusplus
extern "C" {
#endif

struct kv_mempool;

typedef enum kv_vmm_layout {
  KV_VMM_PER_LAYER,  /* one VA range per layer for K and one for V (2L maps
                        per growth step), as vAttention */
  KV_VMM_ALL_LAYERS, /* one page spans all layers ("megacache") */
} kv_vmm_layout;

typedef struct kv_strategy_cfg {
  const kv_model *model;    /* geometry (bytes per token) */
  uint32_t tp;              /* tensor-parallel degree: KV heads split over tp
                               GPUs, this strategy manages one GPU's share */
  uint64_t capacity_bytes;  /* device bytes available for KV on this GPU */
  uint64_t host_bytes;      /* host tier bytes (0 = no host tier) */
  uint32_t max_requests;    /* request ids are < max_requests */
  uint32_t max_context;     /* tokens: static reservation, vmm VA range */
  uint32_t block_tokens;    /* paged / indirect block size in tokens */
  uint64_t page_bytes;      /* vmm physical handle size */
  kv_vmm_layout vmm_layout; /* vmm layout */
  uint32_t map_ahead;       /* vmm: tokens mapped ahead of need (background) */
  bool deferred_reclaim;    /* vmm: finished requests keep pages mapped */
  uint64_t slab_bytes;      /* indirect: slab (one VMM handle) size */
  kv_copy_via copy_via;     /* swap copies: per-run memcpy or one kernel */
  /* version 2 */
  bool prefix_cache; /* paged / indirect: blocks published under a
                        prefix key are shared by reference count and
                        stay cached (evictable, LRU) at refcount 0 */
  /* version 5 */
  const void *user; /* what create() needs beyond this cfg (a Lua
                       strategy: its definition, lua_strategy.h); NULL */
  /* version 6: several models on one GPU (docs/multimodel.md) */
  struct kv_mempool *pool; /* NULL (default): the strategy owns
                              capacity_bytes. Else physical handles come
                              from this pool shared with other models
                              (vmm: its pages; indirect: its slabs), page
                              sizes must match it, and capacity_bytes is
                              the pool's whole size */
  uint32_t pool_model;     /* this model's index in the pool */
  /* paged over a shared pool (kvcached): page groups are mapped on demand;
     a model keeps up to pool_spare empty groups mapped (kvcached's
     max_reserved_pages, 10) and maps ahead in the background while it has
     fewer than pool_prealloc (its min_reserved_pages, 5) */
  uint32_t pool_spare;
  uint32_t pool_prealloc;
} kv_strategy_cfg;

/* Defaults: tp 1, max_context 0 (the model's), block_tokens 16, page_bytes 2
 * MiB, per-layer, map_ahead 0, deferred_reclaim off, slab 64 MiB, via engine.
 */
void kv_strategy_cfg_defaults(kv_strategy_cfg *cfg);

/* Memory accounting, all device-tier bytes unless noted. The formulas of
 * used/backed/fragmentation live here and in DESIGN.md only. */
typedef struct kv_mem_stats {
  uint64_t capacity;      /* device bytes the strategy may use */
  uint64_t used;          /* live tokens x bytes per token */
  uint64_t backed;        /* bytes with physical memory behind them, held by
                             requests (plus, for vmm, deferred-reclaim pages) */
  uint64_t allocated;     /* bytes inside live requests' allocations */
  uint64_t internal_frag; /* allocated - used */
  uint64_t free;          /* capacity - backed */
  uint64_t external_frag; /* free bytes that cannot serve the next request */
  uint64_t largest_free;  /* largest allocatable contiguous unit, bytes */
  uint64_t reserved_va;   /* virtual address space reserved (vmm, indirect) */
  uint64_t metadata;      /* block / offset / page table bytes */
  uint64_t host_used;     /* host tier bytes holding swapped KV */
  uint32_t live_requests; /* requests holding device memory */
  uint32_t swapped_requests; /* requests whose KV is in the host tier */
  uint64_t reusable;         /* bytes of `backed` the strategy hands to the next
                                allocation (admission, swap-in, growth) without
                                losing live KV: free for admission (vmm with
                                deferred reclaim: idle slots' pages and live slots'
                                spare steps); 0 elsewhere (paged and indirect
                                cached prefix blocks are not backed: in `free`) */
} kv_mem_stats;

/* Tiering and prefix-cache state a policy may look at (version 2). Blocks
 * are the strategy's allocation unit (block_tokens tokens). */
typedef struct kv_tier_stats {
  uint64_t total_blocks;  /* device blocks the capacity allows (indirect:
                             slabs not created yet included) */
  uint64_t free_blocks;   /* blocks no request holds (indirect: uncreated
                             slabs count as free) */
  uint64_t free_ranges;   /* physically contiguous free runs (indirect) */
  uint64_t largest_free;  /* longest free run, blocks */
  uint64_t cached_blocks; /* prefix blocks at refcount 0 (evictable) */
  uint64_t shared_refs;   /* sum of reference counts over keyed blocks */
  uint64_t host_blocks;   /* blocks evicted to the host tier */
  uint64_t host_free;     /* host tier bytes free */
} kv_tier_stats;

/* ---- self-description (version 4) ---- */

/* The type of a strategy option, and so of the kv_strategy_cfg field it
 * sets: U32 (uint32_t), U64 (uint64_t), BOOL (bool), ENUM (an enum stored
 * as int; Lua gives one of `choices`). */
typedef enum kv_opt_type {
  KV_OPT_U32,
  KV_OPT_U64,
  KV_OPT_BOOL,
  KV_OPT_ENUM
} kv_opt_type;

/* One key a strategy takes in its Lua table ({ "paged", block_tokens = 32 };
 * docs/lua_api.md). Invariants: `offset` names a kv_strategy_cfg field of
 * `type`; min <= def <= max for integers (or def 0 meaning "derived":
 * max_context's 0 is the model's); def < the number of choices for ENUM;
 * def is the value kv_strategy_cfg_defaults() gives the field (tests check
 * it). */
typedef struct kv_strategy_opt {
  const char *name;           /* the Lua key */
  kv_opt_type type;           /* how it is read and stored */
  size_t offset;              /* offsetof(kv_strategy_cfg, field) */
  uint64_t def;               /* default (ENUM: index in choices) */
  uint64_t min, max;          /* U32/U64: accepted range, inclusive */
  const char *const *choices; /* ENUM: names in enum order, NULL-ended */
  const char *doc;            /* one line, for docs and help */
  bool report;                /* listed in a result's `options` table */
} kv_strategy_opt;

/* Options every strategy shares (use them in a strategy's option list). */
#define KV_STRATEGY_OPT_MAX_CONTEXT                                            \
  {                                                                            \
    "max_context", KV_OPT_U32, offsetof(kv_strategy_cfg, max_context), 0, 1,   \
        UINT32_MAX, NULL,                                                      \
        "the run's max context in tokens (default: the model's)", false        \
  }
#define KV_STRATEGY_OPT_COPY_VIA                                               \
  {                                                                            \
    "copy_via", KV_OPT_ENUM, offsetof(kv_strategy_cfg, copy_via),              \
        KV_VIA_ENGINE, 0, 0, kv_copy_via_names,                                \
        "swap copies: one memcpy per run (engine), one kernel, or one batch",  \
        false                                                                  \
  }
#define KV_STRATEGY_OPT_BLOCK_TOKENS                                           \
  {                                                                            \
    "block_tokens", KV_OPT_U32, offsetof(kv_strategy_cfg, block_tokens), 16,   \
        1, 1u << 20, NULL, "tokens per block", true                            \
  }

/* What device memory a strategy's device offsets live in, set up by the
 * backend before create() and given back after destroy() (no op is emitted
 * for it: a pool is part of the backend's setup, as the SimGrid HBM is). */
typedef enum kv_pool_need {
  KV_POOL_NONE,  /* no pool: device memory only through VMM ops (vmm,
                    indirect) */
  KV_POOL_DEVICE /* one device pool of cfg.capacity_bytes; device offsets
                    in the ops are offsets in it (static, paged) */
} kv_pool_need;

/* A contiguous piece of memory a token's KV occupies (token_map). */
typedef struct kv_extent {
  uint64_t addr;
  uint64_t bytes;
} kv_extent;

typedef struct kv_strategy_vt {
  uint32_t version; /* KV_STRATEGY_VT_VERSION: lets the interface grow */
  const char *name;
  const char *summary;

  /* Build state for cfg; emit setup ops (pool allocation, VA reservation).
   * Errors name the bad cfg field. */
  kv_status (*create)(const kv_strategy_cfg *cfg, void **state, kv_op_list *ops,
                      kv_error *err);
  /* Emit teardown ops and free state. */
  void (*destroy)(void *state, kv_op_list *ops);

  /* Make `req` hold `tokens` live tokens in total (the first call admits it).
   * KV_ENOMEM: not enough device memory, state unchanged, no ops emitted.
   * KV_EINVAL: tokens beyond what the strategy can ever give one request,
   * or (with the prefix cache) a shrink below tokens of a shared prefix
   * block or into a pending copy-on-write block: shared blocks are counted
   * once, assuming every holder fills them; or (with a sliding window) a
   * shrink that would need blocks back that already left the window. */
  kv_status (*reserve)(void *state, uint32_t req, uint64_t tokens,
                       kv_op_list *ops);
  /* Drop `req` entirely (finished or preempted by recompute). */
  void (*release)(void *state, uint32_t req, kv_op_list *ops);

  /* Preemption by swap: move req's KV to the host tier (frees device memory)
   * and back. NULL when unsupported. swap_in may return KV_ENOMEM. */
  kv_status (*swap_out)(void *state, uint32_t req, kv_op_list *ops);
  kv_status (*swap_in)(void *state, uint32_t req, kv_op_list *ops);

  /* Accounting. `next_tokens` is the size of the next request waiting (for
   * external fragmentation); 0 if none. */
  void (*stats)(const void *state, uint64_t next_tokens, kv_mem_stats *out);

  /* The most tokens one request can ever hold here (capacity or layout
   * bound): the engine rejects longer requests with a clear error. */
  uint64_t (*max_request_tokens)(const void *state);

  /* Check every invariant written above the state struct. */
  kv_status (*is_valid)(const void *state, kv_error *err);

  /* Reserved in version 1; still NULL (the slots below extend the table). */
  void *reserved[4];

  /* ---- version 2: tiering and prefix sharing; NULL when unsupported ---- */

  /* Evict req's device blocks that no other request references and that
   * are not published prefix blocks (those stay: they are the prefix cache)
   * to the host tier, block by block: one D2H COPY (a run per contiguous
   * group), then one TABLE_WRITE tagging the entries "host"; the freed slots
   * are reusable by ops queued after these. req stays admitted (tokens kept)
   * but may not run until reload. KV_ENOMEM: host tier full, nothing changed.
   */
  kv_status (*evict)(void *state, uint32_t req, kv_op_list *ops);
  /* Copy every host-tagged block of req back into free device slots: one
   * H2D COPY then one TABLE_WRITE. KV_ENOMEM: not enough free blocks,
   * nothing changed. */
  kv_status (*reload)(void *state, uint32_t req, kv_op_list *ops);
  /* Blocks of req currently in the host tier (0: it may run). */
  uint32_t (*host_blocks)(const void *state, uint32_t req);
  /* Restore physical locality: move up to max_blocks device blocks so that
   * requests' tables become contiguous runs (D2D COPY + TABLE_WRITE).
   * Returns the number of blocks moved. */
  uint64_t (*compact)(void *state, uint64_t max_blocks, kv_op_list *ops);
  /* Tiering / prefix-cache counters. */
  void (*tier_stats)(const void *state, kv_tier_stats *out);
  /* Prefix sharing (cfg.prefix_cache): admit a FREE req holding the longest
   * cached prefix of keys[0..n) (one key per block, block i holding fill[i]
   * tokens; only the last may be partial). Shared blocks gain a reference;
   * a later write into a partial shared block copies it first (D2D COPY +
   * TABLE_WRITE: copy-on-write). Returns the tokens attached (0: nothing
   * cached; req stays FREE). KV_ENOMEM never: attaching needs no memory. */
  uint64_t (*prefix_attach)(void *state, uint32_t req, const uint64_t *keys,
                            const uint32_t *fill, uint32_t n, kv_op_list *ops);
  /* Publish req's first n blocks under keys (blocks already computed);
   * blocks already keyed or already cached under the same key are kept. */
  void (*prefix_publish)(void *state, uint32_t req, const uint64_t *keys,
                         const uint32_t *fill, uint32_t n);

  /* ---- version 3: admission; NULL when unsupported ---- */

  /* Returns the bytes by which stats().free + stats().reusable (the memory
   * free for admission) would drop if req were brought to `tokens` tokens
   * now, counted exactly as the calls would allocate, changing no state and
   * emitting no ops: for a FREE req, reserve(tokens); a LIVE one,
   * reserve(tokens) (0 when it already fits); a SWAPPED one, swap_in then
   * reserve(tokens); a LIVE one with host blocks, reload then
   * reserve(tokens). Everything those calls do counts (vmm: map-ahead, and
   * reused pages leaving `reusable`; pages given back behind a window or as
   * surplus offset what is taken), and a net gain of free bytes returns 0.
   * UINT64_MAX when one of the calls would fail (KV_EINVAL, or KV_ENOMEM:
   * too little memory, not contiguous, nothing to reclaim), and only then. */
  uint64_t (*reserve_need)(const void *state, uint32_t req, uint64_t tokens);
  /* true when an admitted request never takes more memory as it grows
   * (static reserves its whole context at admission): admission then keeps
   * no watermark, which only protects growth */
  bool fixed_reservation;

  /* ---- version 4: self-description; read instead of naming strategies ---- */

  /* Keys of its Lua table besides the name, in the order the "valid:" list
   * of an unknown key gives them; ended by an entry with name NULL. */
  const kv_strategy_opt *options;
  /* How attention reads its KV (ATTN_READ / COMPUTE ops' mode). */
  kv_addr_mode addr_mode;
  /* The device memory the backend sets up for it. */
  kv_pool_need pool;
  /* Writes a run's default label for cfg ("paged-16"); NULL: the name. */
  void (*label)(const kv_strategy_cfg *cfg, char *buf, size_t n);

  /* ---- version 5: the token-to-address map (strategy_check.h) ---- */

  /* Writes to out[0..max) the device extents that hold token `token` of
   * LIVE request req (one per lane or layer range, in a fixed order) and
   * returns how many there are (more than max: only max written); 0 when
   * req does not hold the token on the device (not live, behind a window).
   * Addresses as in the ops: pool offsets or VA. NULL: not described. */
  uint32_t (*token_map)(const void *state, uint32_t req, uint64_t token,
                        kv_extent *out, uint32_t max);
} kv_strategy_vt;

#define KV_STRATEGY_VT_VERSION 5u

/* The registry: one line per strategy, in the order names are listed.
 * X(name) stands for the vtable kv_strategy_<name>, defined in
 * core/strategy_<name>.c with .name = "<name>". */
#define KV_STRATEGY_LIST(X) X(static) X(paged) X(vmm) X(indirect) X(buddy)

#define KV_STRATEGY_EXTERN_(n) extern const kv_strategy_vt kv_strategy_##n;
KV_STRATEGY_LIST(KV_STRATEGY_EXTERN_)
#undef KV_STRATEGY_EXTERN_

/* Look up a strategy by name; unknown names list the valid ones. */
const kv_strategy_vt *kv_strategy_find(const char *name, kv_error *err);
/* NULL-terminated lists of the registered names and vtables. */
const char *const *kv_strategy_names(void);
const kv_strategy_vt *const *kv_strategy_all(void);

/* The option of vt named `name`, or NULL. */
const kv_strategy_opt *kv_strategy_opt_find(const kv_strategy_vt *vt,
                                            const char *name);
/* Read / write an option's value in cfg (ENUM: the index; BOOL: 0/1). */
uint64_t kv_strategy_opt_get(const kv_strategy_cfg *cfg,
                             const kv_strategy_opt *o);
void kv_strategy_opt_set(kv_strategy_cfg *cfg, const kv_strategy_opt *o,
                         uint64_t v);
/* The strategy table a run would give for cfg, as Lua source:
 * { "name", option = value, ... } with every option of vt whose value in
 * cfg is not its default (o->def), in the vtable's order; kv.run reads it
 * back to the same cfg. Returns the length snprintf would (>= n: cut). */
int kv_strategy_cfg_lua(const kv_strategy_vt *vt, const kv_strategy_cfg *cfg,
                        char *buf, size_t n);
/* The run's default label: vt->label, or vt->name. */
void kv_strategy_label(const kv_strategy_vt *vt, const kv_strategy_cfg *cfg,
                       char *buf, size_t n);
/* "2 MiB" style compact sizes for labels: 2M, 64K, 1536K, 1G, 1000. */
void kv_strategy_compact_bytes(char *buf, size_t n, uint64_t b);

/* KV bytes per token on one GPU of the tp group (ceil over KV heads), all
 * layers. */
uint64_t kv_strategy_bytes_per_token(const kv_strategy_cfg *cfg);
/* The same for one layer. */
uint64_t kv_strategy_bytes_per_token_layer(const kv_strategy_cfg *cfg);
/* The run's max context: cfg->max_context, or the model's when it is 0. */
uint32_t kv_strategy_max_context(const kv_strategy_cfg *cfg);
/* Sliding windows (model.h): the window in tokens (0 = none), and the
 * per-GPU bytes per token of the full-attention layers and of the windowed
 * layers (the two add up to kv_strategy_bytes_per_token). */
uint32_t kv_strategy_window(const kv_strategy_cfg *cfg);
uint64_t kv_strategy_bytes_per_token_full(const kv_strategy_cfg *cfg);
uint64_t kv_strategy_bytes_per_token_window(const kv_strategy_cfg *cfg);
/* Bytes attention can read for a request of `tokens` tokens on one GPU:
 * every token in full layers, min(tokens, window) in windowed ones. The one
 * definition of `used` for every strategy. */
uint64_t kv_strategy_used_bytes(const kv_strategy_cfg *cfg, uint64_t tokens);

#ifdef __cplusplus
}
#endif

#endif
