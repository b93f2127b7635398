/* test_regressions.c - one test per finding of the fuzz harnesses (fuzz/),
 * of the sanitizer runs and of the experiments, each with the input that
 * exposed it (inlined, or decoded into the configuration it stands for).
 * docs/reliability.md lists them. Main entry point: the Criterion tests below.
 */
#include <criterion/criterion.h>

#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine.h"
#include "model.h"
#include "platform.h"
#include "strategy.h"
#include "workload.h"
#ifdef KVSIM_HAVE_SIM
#include "sim_backend.h"
#endif

#ifndef KVSIM_SOURCE_DIR
#define KVSIM_SOURCE_DIR "."
#endif

/* Write n bytes to a fresh temporary file; returns its path (static). */
static const char *tmp_bytes(const void *data, size_t n) {
  static char path[64];
  strcpy(path, "/tmp/kvsim_regressXXXXXX");
  int fd = mkstemp(path);
  cr_assert(fd >= 0);
  cr_assert_eq(write(fd, data, n), (ssize_t)n);
  close(fd);
  return path;
}

/* fuzz_strategy, finding 1: vmm's reserve() fast path accepted any token
 * count that fit the pages already mapped, so when one page holds more
 * tokens than max_context (large pages, short max_context) a live request
 * grew past max_request_tokens(). Fuzz input, decoded: vmm, 2 layers, 2 KV
 * heads of 94, bf16, tp 6 (752 B/token), capacity 302597, 1 request slot,
 * max_context 32, page 31488 B (167 tokens per page and range), per-layer,
 * deferred reclaim; reserve 1, 2, then 43 tokens -> KV_OK (expected
 * KV_EINVAL). Fixed in core/strategy/strategy_vmm.c. */
Test(regressions, vmm_live_request_cannot_grow_past_max_context) {
  kv_model m;
  memset(&m, 0, sizeof m);
  strcpy(m.name, "fuzz");
  m.layers = 2;
  m.heads = 4;
  m.kv_heads = 2;
  m.head_dim = 94;
  m.dtype_bytes = 2;
  kv_strategy_cfg cfg;
  kv_strategy_cfg_defaults(&cfg);
  cfg.model = &m;
  cfg.tp = 6;
  cfg.capacity_bytes = 302597;
  cfg.max_requests = 1;
  cfg.max_context = 32;
  cfg.page_bytes = 31488;
  cfg.vmm_layout = KV_VMM_PER_LAYER;
  cfg.deferred_reclaim = true;
  cr_assert_eq(kv_strategy_bytes_per_token(&cfg), 752);
  kv_op_list ops;
  kv_ops_init(&ops, 1);
  void *st;
  kv_error e;
  cr_assert_eq(kv_strategy_vmm.create(&cfg, &st, &ops, &e), KV_OK, "%s", e.msg);
  uint64_t mrt = kv_strategy_vmm.max_request_tokens(st);
  cr_assert_eq(mrt, 32);
  kv_ops_clear(&ops);
  cr_assert_eq(kv_strategy_vmm.reserve(st, 0, 1, &ops), KV_OK);
  cr_assert_eq(kv_strategy_vmm.reserve(st, 0, 2, &ops), KV_OK);
  cr_assert_eq(kv_strategy_vmm.reserve(st, 0, 32, &ops), KV_OK);
  kv_mem_stats before, after;
  kv_strategy_vmm.stats(st, 0, &before);
  kv_ops_clear(&ops);
  cr_assert_eq(kv_strategy_vmm.reserve(st, 0, 43, &ops), KV_EINVAL,
               "43 tokens > max_request_tokens %lu", (unsigned long)mrt);
  cr_assert_eq(ops.n, 0);
  kv_strategy_vmm.stats(st, 0, &after);
  cr_assert_eq(after.used, before.used);
  cr_assert_eq(after.used, 32 * 752);
  cr_assert_eq(kv_strategy_vmm.is_valid(st, &e), KV_OK, "%s", e.msg);
  kv_strategy_vmm.destroy(st, &ops);
  kv_ops_free(&ops);
}

/* fuzz_trace, finding 1: an Azure CSV whose TIMESTAMP column held plain
 * seconds too large for int64 ("2E200") was converted with (int64_t)
 * floor(v): undefined behaviour (UBSan: "2e+200 is outside the range of
 * representable values of type 'long'", core/inputs/workload.c parse_time). The
 * crashing input, as found (the reader-selector byte dropped). Fixed: plain
 * seconds must be below 1e15 in magnitude, else a parse error naming the
 * line and the column. */
Test(regressions, azure_plain_seconds_beyond_int64_are_a_parse_error) {
  static const unsigned char crash[] = {
      0x43, 0x6f, 0x6e, 0x74, 0x65, 0x78, 0x74, 0x54, 0x6f, 0x6b, 0x65, 0x6e,
      0x73, 0x2c, 0x54, 0x49, 0x4d, 0x45, 0x53, 0x54, 0x41, 0x4d, 0x50, 0x2c,
      0x47, 0x65, 0x6e, 0x65, 0x72, 0x61, 0x74, 0x65, 0x64, 0x54, 0x6f, 0x6b,
      0x65, 0x6e, 0x73, 0x0a, 0x31, 0x30, 0x30, 0x2c, 0x32, 0x45, 0x32, 0x30,
      0x30, 0x2c, 0x20, 0x0a, 0x0a, 0x00, 0x0a, 0x34, 0x32, 0x20, 0x20, 0x0a,
      0x09, 0x0a, 0x32, 0x30, 0x32, 0x34, 0x30, 0x0a};
  const char *path = tmp_bytes(crash, sizeof crash);
  kv_workload w;
  kv_workload_init(&w);
  kv_error e;
  kv_status rc = kv_workload_load_azure(path, &w, &e);
  unlink(path);
  cr_assert_eq(rc, KV_EPARSE, "rc %d: %s", rc, e.msg);
  kv_workload_free(&w);

  static const char clean[] =
      "ContextTokens,TIMESTAMP,GeneratedTokens\n100,5,20\n100,2E200,20\n";
  path = tmp_bytes(clean, sizeof clean - 1);
  kv_workload_init(&w);
  rc = kv_workload_load(path, &w, &e);
  unlink(path);
  cr_assert_eq(rc, KV_EPARSE, "rc %d: %s", rc, e.msg);
  char want[80];
  snprintf(want, sizeof want, "%s:3: TIMESTAMP", path);
  cr_assert(strstr(e.msg, want), "message does not name %s: %s", want, e.msg);
  kv_workload_free(&w);

  /* the bound still admits every plausible plain-seconds clock */
  static const char ok[] =
      "TIMESTAMP,ContextTokens,GeneratedTokens\n1.7e9,100,20\n1.7e9,10,2\n"
      "-5,1,1\n";
  path = tmp_bytes(ok, sizeof ok - 1);
  kv_workload_init(&w);
  rc = kv_workload_load(path, &w, &e);
  unlink(path);
  cr_assert_eq(rc, KV_OK, "%s", e.msg);
  cr_assert_eq(w.n, 3);
  kv_workload_free(&w);
}

#ifdef KVSIM_HAVE_SIM
/* fuzz_platform, finding 1 (sim/, minor, open): kv_sim_platform_write_xml()
 * copies the platform name verbatim into an XML comment
 * (sim/sim_topo.c:282-285, kv_sim_topo_write_xml). A name containing "--"
 * (legal for kv.platform{name = ...}) makes the comment malformed by the
 * XML spec. SimGrid 3.32's parser loads it anyway; this test holds the
 * promise of sim_backend.h that matters here: the dump is "loadable back
 * through platform_xml", whatever the name. Fuzz input: preset h100, name
 * "a--b-". */
Test(regressions, platform_xml_dump_with_dashes_in_the_name_loads_back) {
  kv_platform p;
  kv_error e;
  cr_assert_eq(kv_platform_preset("h100-sxm-80gb", &p, &e), KV_OK);
  strcpy(p.name, "my--server-");
  cr_assert_eq(kv_platform_validate(&p, &e), KV_OK, "%s", e.msg);
  char path[] = "/tmp/kvsim_regress_xmlXXXXXX";
  int fd = mkstemp(path);
  cr_assert(fd >= 0);
  FILE *f = fdopen(fd, "w");
  cr_assert_eq(kv_sim_platform_write_xml(&p, NULL, f, &e), KV_OK, "%s", e.msg);
  fclose(f);
  /* XML forbids "--" inside a comment: none may appear between the
   * markers, whatever the name */
  FILE *rf = fopen(path, "r");
  cr_assert_not_null(rf);
  char line[1024];
  while (fgets(line, sizeof line, rf)) {
    char *open = strstr(line, "<!--");
    if (!open) continue;
    char *close = strstr(open + 4, "-->");
    cr_assert_not_null(close, "comment spans lines: %s", line);
    *close = '\0';
    cr_assert_null(strstr(open + 4, "--"), "'--' inside an XML comment: %s",
                   line);
  }
  fclose(rf);
  kv_model m;
  cr_assert_eq(kv_model_preset("llama-3-8b", &m, &e), KV_OK);
  kv_sim_options o;
  kv_sim_options_defaults(&o);
  o.platform_xml = path;
  kv_backend *b = kv_backend_sim_create(&p, &m, 1, &o, &e);
  unlink(path);
  cr_assert_not_null(b, "the XML dump of platform '%s' does not load: %s",
                     p.name, e.msg);
  b->vt->destroy(b);
}
#endif

/* fuzz_platform, finding 2: kv_platform_validate() accepted any finite
 * positive rate, and kv_sim_topo_build() multiplies the SMs given to copy
 * kernels by sm_copy_bw_per_sm (sim/sim_topo.c:177), so sm_copy_bw_per_sm =
 * DBL_MAX (what kv.platform{ sm_copy_bw_per_sm = 1e308 } gives) became an
 * infinite link bandwidth: the XML dump said bandwidth="infBps". Fuzz input
 * (fuzz/corpus/fuzz_platform/sm_copy_bw_dbl_max): h100 preset,
 * copy_overhead 0, sm_copy_bw_per_sm DBL_MAX. Fixed in core/inputs/platform.c:
 * rates above 1e18 are refused, naming the field. The test accepts either
 * a refusal naming the field or a finite topology. */
#ifdef KVSIM_HAVE_SIM
Test(regressions, platform_huge_finite_rates_do_not_overflow_to_inf) {
  kv_platform p;
  kv_error e;
  cr_assert_eq(kv_platform_preset("h100-sxm-80gb", &p, &e), KV_OK);
  p.copy_overhead = 0.0;
  p.sm_copy_bw_per_sm = DBL_MAX;
  if (kv_platform_validate(&p, &e) != KV_OK) {
    cr_assert(strstr(e.msg, "sm_copy_bw_per_sm"), "%s", e.msg);
    return;
  }
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  cr_assert_not_null(f);
  kv_status rc = kv_sim_platform_write_xml(&p, NULL, f, &e);
  fclose(f);
  if (rc == KV_OK)
    cr_assert(!strstr(buf, "\"inf") && !strstr(buf, "\"nan"),
              "platform with sm_copy_bw_per_sm = DBL_MAX gives a non-finite "
              "value in its SimGrid XML");
  else
    cr_assert(strstr(e.msg, "sm_copy_bw_per_sm"), "%s", e.msg);
  free(buf);
}
#endif

/* valgrind, finding 1: a sweep child allocated its results
 * (core/run/sweep.c, child_main: res = kv_xcalloc(nout, ...), then the runs
 * fill each result's arrays) and ended with _exit() without
 * kv_result_free()/free(): valgrind reported, per child, "4,608 (1,728
 * direct, 2,880 indirect) bytes in 1 blocks are definitely lost" for one
 * SimGrid run of tests/valgrind/frag.lua (scripts/valgrind.sh). Fixed in
 * core/run/sweep.c (8cb2af6). LeakSanitizer cannot see it (it does not run on
 * _exit), so this test runs the kvsim command under valgrind; it is skipped
 * where valgrind is absent and in sanitizer builds (valgrind cannot run
 * ASan binaries). */
#if defined(__SANITIZE_ADDRESS__)
#define KV_ASAN_BUILD 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KV_ASAN_BUILD 1
#endif
#endif
Test(regressions, sweep_children_free_their_results, .timeout = 300) {
#ifdef KV_ASAN_BUILD
  cr_skip_test("valgrind cannot run an AddressSanitizer build");
#else
  if (system("valgrind --version >/dev/null 2>&1") != 0)
    cr_skip_test("valgrind is not installed");
  const char *bin = getenv("KVSIM_BIN");
  cr_assert(bin && *bin, "KVSIM_BIN is not set (run through ctest)");
  char cmd[2048];
  snprintf(cmd, sizeof cmd,
           "cd '%s' && KVSIM_QUIET=1 valgrind -q --leak-check=full "
           "--errors-for-leak-kinds=definite,indirect --error-exitcode=9 "
           "--log-file=/tmp/kvsim_regress_vg.%%p.log '%s' "
           "tests/valgrind/sweep_child.lua >/dev/null 2>&1",
           KVSIM_SOURCE_DIR, bin);
  int st = system(cmd);
  int code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  cr_assert_eq(code, 0,
               "kvsim under valgrind exited %d: a leak or invalid access "
               "(logs: /tmp/kvsim_regress_vg.*.log)",
               code);
#endif
}

/* Found running indirect with the host tier and prefix sharing on the GPU:
 * evicted requests keep their published prefix blocks on the device, so a
 * lone running request that could not grow evicted itself, was reloaded and
 * evicted again forever (1.86 million steps, host memory growing). The
 * engine now drops a paused request's blocks before preempting the last
 * running request. */
Test(regressions, tier_with_prefix_sharing_does_not_livelock, .timeout = 60) {
  kv_error err;
  kv_model m;
  kv_platform p;
  kv_workload w;
  kv_workload_init(&w);
  cr_assert_eq(kv_model_preset("llama-3-8b", &m, &err), KV_OK);
  cr_assert_eq(kv_platform_preset("h100-sxm-80gb", &p, &err), KV_OK);
  cr_assert_eq(kv_workload_preset("mooncake-conv", 1, &w, &err), KV_OK, "%s",
               err.msg);
  kv_workload_slice(&w, 0, 16);
  kv_workload_scale_rate(&w, 1e6); /* all waiting at once */
  kv_engine_cfg cfg;
  kv_engine_cfg_defaults(&cfg);
  cfg.model = &m;
  cfg.platform = &p;
  cfg.workload = &w;
  cfg.strategy = kv_strategy_find("indirect", &err);
  cfg.scfg.slab_bytes = 32ull << 20;
  cfg.scfg.host_bytes = 64ull << 30;
  cfg.kv_capacity = 2ull << 30;
  cfg.max_batch_tokens = 512;
  cfg.tier = true;
  cfg.prefix_sharing = true;
  cfg.check_level = 1;
  kv_result r;
  cr_assert_eq(kv_engine_run(&cfg, &r, &err), KV_OK, "%s", err.msg);
  cr_assert_eq(r.summary.completed + r.summary.rejected, 16);
  cr_assert_lt(r.summary.steps, 100000, "%g steps for 16 requests",
               r.summary.steps);
  kv_result_free(&r);
  kv_workload_free(&w);
}

/* fuzz_strategy, finding 5: with the prefix cache on, paged and indirect let
 * a request shrink (reserve() with fewer tokens, fast path) below full
 * blocks it shares with other requests. Such a block is counted once for
 * several requests on the assumption that each holds block_tokens tokens in
 * it (used = (live tokens - dup x block_tokens) x bytes per token), so when
 * the sharers shrank, `used` wrapped around below zero; and the shrunk
 * request's next writes would have gone into the shared, published block.
 * The crashing input, decoded and reduced: indirect, 256 B/token, capacity
 * 24576 B (6 blocks of 16 tokens in 3 slabs of 8 KiB), host 10241 B, 8
 * slots, prefix cache; request 0 reserves 40 tokens and publishes them
 * (fills 16, 16, 8), request 1 attaches all 40 (copy-on-write on the
 * partial block) and grows to 50, request 2 attaches the two full blocks
 * (32 tokens); then request 1 shrinks to 3 tokens and request 2 to 5 ->
 * both KV_OK, used = 2^64 - 4096 while is_valid() passed (paged the same).
 * Fixed in
 * core/strategy/strategy_paged.c and core/strategy/strategy_indirect.c: a
 * shrink below the published tokens of a keyed block the request holds is
 * KV_EINVAL (as a shrink into a pending copy-on-write already was). */
static void shared_prefix_shrink(const char *name, bool prefix_cache) {
  kv_model m;
  memset(&m, 0, sizeof m);
  strcpy(m.name, "fuzz");
  m.layers = 1;
  m.heads = 2;
  m.kv_heads = 1;
  m.head_dim = 64;
  m.dtype_bytes = 2;
  kv_strategy_cfg cfg;
  kv_strategy_cfg_defaults(&cfg);
  cfg.model = &m;
  cfg.capacity_bytes = 24576;
  cfg.host_bytes = 10241;
  cfg.max_requests = 8;
  cfg.max_context = 2048;
  cfg.block_tokens = 16;
  cfg.slab_bytes = 8192;
  cfg.prefix_cache = prefix_cache;
  kv_error err;
  const kv_strategy_vt *vt = kv_strategy_find(name, &err);
  cr_assert_not_null(vt, "%s", err.msg);
  kv_op_list ops;
  kv_ops_init(&ops, 1);
  void *st = NULL;
  cr_assert_eq(vt->create(&cfg, &st, &ops, &err), KV_OK, "%s", err.msg);
  uint64_t keys[3] = {1ull << 16, 1ull << 16 | 1, 1ull << 16 | 2};
  uint32_t fill[3] = {16, 16, 8};
  cr_assert_eq(vt->reserve(st, 0, 40, &ops), KV_OK);
  vt->prefix_publish(st, 0, keys, fill, 3);
  uint64_t got1 = vt->prefix_attach(st, 1, keys, fill, 3, &ops);
  uint64_t got2 = vt->prefix_attach(st, 2, keys, fill, 2, &ops);
  cr_assert_eq(got1, prefix_cache ? 40 : 0, "%s", name);
  cr_assert_eq(got2, prefix_cache ? 32 : 0, "%s", name);
  if (!prefix_cache) /* nothing shared: 6 blocks, 3 of them request 0's */
    cr_assert_eq(vt->reserve(st, 2, 16, &ops), KV_OK, "%s", name);
  cr_assert_eq(vt->reserve(st, 1, prefix_cache ? 50 : 20, &ops), KV_OK, "%s",
               name);
  kv_mem_stats before, after;
  vt->stats(st, 0, &before);
  kv_status r1 = vt->reserve(st, 1, 3, &ops);
  kv_status r2 = vt->reserve(st, 2, 5, &ops);
  kv_status r0 = vt->reserve(st, 0, 33, &ops); /* into the published 8 */
  vt->stats(st, 0, &after);
  cr_assert_eq(vt->is_valid(st, &err), KV_OK, "%s: %s", name, err.msg);
  cr_assert(after.used <= after.allocated, "%s: used %llu > allocated %llu",
            name, (unsigned long long)after.used,
            (unsigned long long)after.allocated);
  if (prefix_cache) {
    cr_assert_eq(r1, KV_EINVAL, "%s: shrink below a shared block", name);
    cr_assert_eq(r2, KV_EINVAL, "%s: shrink below a shared block", name);
    cr_assert_eq(r0, KV_EINVAL, "%s: shrink into published tokens", name);
    /* distinct tokens: 16 + 16 + 8 (request 0) + 16 + 2 (request 1) */
    cr_assert_eq(after.used, 58 * 256, "%s: used %llu", name,
                 (unsigned long long)after.used);
    cr_assert_eq(memcmp(&before, &after, sizeof before), 0, "%s", name);
    /* above the published tokens a shrink is still fine */
    cr_assert_eq(vt->reserve(st, 1, 40, &ops), KV_OK, "%s", name);
    cr_assert_eq(vt->reserve(st, 0, 40, &ops), KV_OK, "%s", name);
  } else { /* without the cache nothing is shared and shrinking is fine */
    cr_assert_eq(r1, KV_OK, "%s", name);
    cr_assert_eq(r2, KV_OK, "%s", name);
    cr_assert_eq(r0, KV_OK, "%s", name);
    cr_assert_eq(after.used, (3 + 5 + 33) * 256, "%s", name);
  }
  for (uint32_t q = 0; q < cfg.max_requests; q++)
    vt->release(st, q, &ops);
  cr_assert_eq(vt->is_valid(st, &err), KV_OK, "%s: %s", name, err.msg);
  vt->stats(st, 0, &after);
  cr_assert_eq(after.used, 0);
  cr_assert_eq(after.backed, 0);
  kv_tier_stats ts;
  vt->tier_stats(st, &ts);
  cr_assert_eq(ts.shared_refs, 0, "%s: references left", name);
  vt->destroy(st, &ops);
  kv_ops_free(&ops);
}

Test(regressions, shrinking_below_a_shared_prefix_block_is_refused) {
  shared_prefix_shrink("indirect", true);
  shared_prefix_shrink("paged", true);
  shared_prefix_shrink("indirect", false);
  shared_prefix_shrink("paged", false);
}

/* fuzz_strategy, finding 6: prefix_publish() took key 0, which prefix_map.h
 * reserves for "no key": the block got key 0 (so it still counted as
 * unkeyed), the hash table an entry whose key marks an empty slot, and
 * nkeys one more than the keys that exist; is_valid() then failed ("keys 1
 * but recomputed ... 0"). The crashing input, decoded: indirect with the
 * prefix cache, raw keys; request 25 reserves 220 tokens, publishes its
 * first block under key 0. Fixed in core/strategy/strategy_paged.c and
 * core/strategy/strategy_indirect.c: publishing stops at key 0, as attaching
 * does (kv_pmap_find(0) finds nothing). */
static void publish_key_zero(const char *name) {
  kv_model m;
  memset(&m, 0, sizeof m);
  strcpy(m.name, "fuzz");
  m.layers = 1;
  m.heads = 2;
  m.kv_heads = 1;
  m.head_dim = 64;
  m.dtype_bytes = 2;
  kv_strategy_cfg cfg;
  kv_strategy_cfg_defaults(&cfg);
  cfg.model = &m;
  cfg.capacity_bytes = 64 * 16 * 256;
  cfg.max_requests = 4;
  cfg.block_tokens = 16;
  cfg.slab_bytes = 16 * 16 * 256;
  cfg.prefix_cache = true;
  kv_error err;
  const kv_strategy_vt *vt = kv_strategy_find(name, &err);
  cr_assert_not_null(vt, "%s", err.msg);
  kv_op_list ops;
  kv_ops_init(&ops, 1);
  void *st = NULL;
  cr_assert_eq(vt->create(&cfg, &st, &ops, &err), KV_OK, "%s", err.msg);
  cr_assert_eq(vt->reserve(st, 0, 48, &ops), KV_OK);
  uint64_t keys[3] = {0, 7, 9};
  uint32_t fill[3] = {16, 16, 16};
  vt->prefix_publish(st, 0, keys, fill, 3);
  cr_assert_eq(vt->is_valid(st, &err), KV_OK, "%s: %s", name, err.msg);
  kv_tier_stats ts;
  vt->tier_stats(st, &ts);
  cr_assert_eq(ts.shared_refs, 0, "%s: a block was keyed", name);
  /* a later key 0 ends the run too; the blocks before it are published */
  uint64_t keys2[3] = {5, 0, 9};
  vt->prefix_publish(st, 0, keys2, fill, 3);
  cr_assert_eq(vt->is_valid(st, &err), KV_OK, "%s: %s", name, err.msg);
  vt->tier_stats(st, &ts);
  cr_assert_eq(ts.shared_refs, 1, "%s: %llu keyed references", name,
               (unsigned long long)ts.shared_refs);
  cr_assert_eq(vt->prefix_attach(st, 1, keys2, fill, 3, &ops), 16, "%s", name);
  for (uint32_t q = 0; q < cfg.max_requests; q++)
    vt->release(st, q, &ops);
  cr_assert_eq(vt->is_valid(st, &err), KV_OK, "%s: %s", name, err.msg);
  vt->tier_stats(st, &ts);
  cr_assert_eq(ts.shared_refs, 0);
  cr_assert_eq(ts.cached_blocks, 1, "%s", name);
  vt->destroy(st, &ops);
  kv_ops_free(&ops);
}

Test(regressions, publishing_under_key_zero_keys_nothing) {
  publish_key_zero("indirect");
  publish_key_zero("paged");
}

/* experiments/fragmentation.lua, memory-pressure table: vmm with vAttention's
 * deferred reclamation ran about one request per step (batch mean 1.0, 200
 * tok/s against vmm-64K-layer's 1,007). Finished requests' pages stay
 * mapped in idle slots for the next owner and count as backed, and the
 * engine's admission headroom took free = capacity - backed, so once every
 * page had been mapped once nothing was free and a waiting request was
 * admitted only when nothing ran. The strategy now reports those pages
 * (kv_mem_stats.reusable) and admission counts them. Llama-3-8B, vmm
 * per-layer 64 KiB pages (4 MiB, 32 tokens a step), map-ahead 32 tokens,
 * 2 GiB of KV, 300 requests (poisson 50/s, prompts 16-2000, outputs
 * 1-400), ideal backend: with deferred reclaim the batch must stay within
 * 80 % of the batch without it (batch mean 1.0 against 12.9 before the
 * fix, 13.2 against 12.9 after). */
Test(regressions, deferred_reclaim_pages_are_free_for_admission) {
  kv_error err;
  kv_model m;
  kv_platform p;
  cr_assert_eq(kv_model_preset("llama-3-8b", &m, &err), KV_OK);
  cr_assert_eq(kv_platform_preset("h100-sxm-80gb", &p, &err), KV_OK);
  kv_synth_cfg c = {
      .arrival = KV_ARRIVAL_POISSON,
      .rate = 50,
      .n = 300,
      .prompt = {.kind = KV_LEN_UNIFORM, .a = 16, .b = 2000, .min = 1},
      .output = {.kind = KV_LEN_UNIFORM, .a = 1, .b = 400, .min = 1},
  };
  kv_workload w;
  kv_workload_init(&w);
  cr_assert_eq(kv_workload_synthetic(&c, 11, &w, &err), KV_OK, "%s", err.msg);
  double batch[2];
  for (int deferred = 0; deferred < 2; deferred++) {
    kv_engine_cfg cfg;
    kv_engine_cfg_defaults(&cfg);
    cfg.model = &m;
    cfg.platform = &p;
    cfg.workload = &w;
    cfg.strategy = kv_strategy_find("vmm", &err);
    cfg.scfg.max_context = 4096;
    cfg.scfg.page_bytes = 64 * 1024;
    cfg.scfg.vmm_layout = KV_VMM_PER_LAYER;
    cfg.scfg.map_ahead = 32;
    cfg.scfg.deferred_reclaim = deferred;
    cfg.kv_capacity = 2ull << 30;
    cfg.check_level = 1;
    kv_result r;
    cr_assert_eq(kv_engine_run(&cfg, &r, &err), KV_OK, "%s", err.msg);
    cr_assert_eq(r.summary.completed, 300);
    batch[deferred] = r.summary.batch_mean;
    kv_result_free(&r);
  }
  cr_log_info("batch mean %.1f without deferred reclaim, %.1f with it",
              batch[0], batch[1]);
  cr_assert_gt(batch[0], 4, "the case lost its concurrency: %.1f", batch[0]);
  cr_assert_geq(batch[1], 0.8 * batch[0],
                "deferred reclaim: batch mean %.1f against %.1f without it",
                batch[1], batch[0]);
  kv_workload_free(&w);
}
