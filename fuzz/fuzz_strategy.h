/* fuzz_strategy.h - the fuzz_strategy harness as a function, shared by its
 * libFuzzer entry point (fuzz/fuzz_strategy.c) and the soak driver
 * (fuzz/soak_strategy.c): decode one input into a strategy configuration
 * and a sequence of operations, run them, check every invariant after each
 * operation, abort on the first violation.
 * Main entry point: fz_strategy_input().
 */
#ifndef KV_FUZZ_STRATEGY_H
#define KV_FUZZ_STRATEGY_H

#include <stddef.h>
#include <stdint.h>

/* A configuration family the soak driver steers inputs into. */
typedef struct fz_family {
  const char *name;
  int strategy; /* index in kv_strategy_all() (0 static, 1 paged, 2 vmm,
                   3 indirect, 4.. those after them), 0-7 */
  int layout;   /* vmm: 0 per-layer, 1 all layers; -1 as decoded */
  int tier;     /* a host tier, and swap-out/in, evict, reload operations */
  int prefix;   /* paged, indirect: the prefix cache, and attach, admission
                   and publish operations */
  int window;   /* a sliding-window model */
} fz_family;

/* Run one input; returns the operations it ran (0 when the configuration
 * was refused). fam NULL: decode the input as it is (libFuzzer, replay).
 * fam set: steer is the input itself, writable; the bytes that choose the
 * strategy, the options of fam and each operation's kind are rewritten so
 * that the input decodes into fam, then and on any later replay. */
uint64_t fz_strategy_input(const uint8_t *data, size_t size,
                           const fz_family *fam, uint8_t *steer);

#endif
