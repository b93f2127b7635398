/* test_gpu_backend.c - checks of the GPU backend on a real GPU; each check is
 * one CTest test (`test_gpu_backend engine|integrity|vmm|cleanup|tier|order`)
 * and exits 77 with "no CUDA device: skipped" where no GPU is usable.
 *   engine:    a small synthetic workload through every strategy (and vmm
 *              with map-ahead, indirect with kernel copies), check_level 2
 *   integrity: a pattern written into a request's KV survives swap-out to
 *              the host tier and swap-in (paged and indirect, engine and
 *              kernel copies; vmm all-layers, whose swap-out unmaps and
 *              releases the pages its D2H copy reads, in the same step),
 *              and the host copy holds it too
 *   vmm:       handles mapped by VMM ops are real memory: data written
 *              through the mapping reads back, swapping two handles' places
 *              swaps the data, errors name a handle never created
 *   cleanup:   device free memory after destroy equals before (a run that
 *              leaves handles mapped, and a create that fails)
 *   tier:      indirect's evict (D2H), background reload and compaction
 *              (D2D) in one step, executed on the real slabs: every block
 *              holds the bytes the ops say it holds; the step runs inline
 *              exactly when compaction moves the request being reloaded
 *   order:     critical VMM ops after independent background ones run
 *              first; after dependent ones the step runs inline
 * Main entry point: main().
 */
#include <cuda_runtime_api.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "gpu_backend.h"
#include "strategy.h"
#include "run_spec.h"

#define CHECK(cond, ...)                                                       \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
      fprintf(stderr, __VA_ARGS__);                                            \
      fprintf(stderr, "\n");                                                   \
      exit(1);                                                                 \
    }                                                                          \
  } while (0)

#define CUDA_OK(call)                                                          \
  do {                                                                         \
    cudaError_t e_ = (call);                                                   \
    CHECK(e_ == cudaSuccess, "%s", cudaGetErrorString(e_));                    \
  } while (0)

static kv_model model;
static kv_platform platform;

static void setup(void) {
  kv_error err;
  CHECK(kv_model_preset("llama-3-8b", &model, &err) == KV_OK, "%s", err.msg);
  CHECK(kv_platform_preset("h100-sxm-80gb", &platform, &err) == KV_OK, "%s",
        err.msg);
}

/* ---- engine ---- */

typedef struct engine_case {
  const char *strategy;
  uint32_t map_ahead;
  kv_copy_via via;
} engine_case;

static void engine_run_one(const engine_case *c, const kv_workload *w) {
  kv_error err;
  kv_run_spec spec;
  memset(&spec, 0, sizeof spec);
  kv_engine_cfg *cfg = &spec.engine;
  kv_engine_cfg_defaults(cfg);
  cfg->model = &model;
  cfg->platform = &platform;
  cfg->workload = w;
  cfg->strategy = kv_strategy_find(c->strategy, &err);
  CHECK(cfg->strategy, "%s", err.msg);
  cfg->check_level = 2;
  cfg->kv_capacity = 512ull << 20; /* tight: preemption by swap happens */
  cfg->max_num_seqs = 16;
  cfg->preempt = KV_PREEMPT_SWAP;
  cfg->scfg.max_context = 2048;
  cfg->scfg.host_bytes = 1ull << 30;
  cfg->scfg.map_ahead = c->map_ahead;
  cfg->scfg.copy_via = c->via;
  kv_gpu_options o;
  kv_gpu_options_defaults(&o);
  spec.backend = &kv_gpu_backend_desc;
  kv_backend *b = kv_gpu_backend_for_run(&spec, &o, &err);
  CHECK(b, "%s: %s", c->strategy, err.msg);
  cfg->backend = b;
  kv_result r;
  kv_status s = kv_engine_run(cfg, &r, &err);
  CHECK(s == KV_OK, "%s: %s", c->strategy, err.msg);
  const kv_summary *m = &r.summary;
  kv_gpu_totals t;
  kv_gpu_get_totals(b, &t);
  printf("engine %-8s ahead=%-3u via=%-6s: %3.0f/%3.0f done, %5.0f steps, "
         "%.3f s, %.0f tok/s, tpot p50 %.2f ms, swaps %.0f, vmm calls %.0f, "
         "driver crit %.2f ms hidden %.2f ms, compute %.3f s, "
         "copy %.0f/%.0f MB, attn read %.2f GB, weights read %.2f GB, "
         "%.3g GEMM FLOP\n",
         c->strategy, c->map_ahead,
         c->via == KV_VIA_KERNEL ? "kernel" : "engine", m->completed,
         m->requests, m->steps, m->sim_time, m->throughput, m->tpot_p50 * 1e3,
         m->swaps_out, m->vmm_calls, m->driver_time_critical * 1e3,
         m->driver_time_hidden * 1e3, m->compute_time, m->copy_bytes_d2h / 1e6,
         m->copy_bytes_h2d / 1e6, t.attn_bytes / 1e9, t.weight_bytes / 1e9,
         t.gemm_flops);
  if (m->vmm_calls > 0) {
    printf("  driver per call (us):");
    for (int k = KV_OP_VMM_RESERVE; k <= KV_OP_VMM_RELEASE; k++)
      if (m->op_count[k] > 0)
        printf(" %s %.1f (%.0f calls)", kv_op_kind_name((kv_op_kind)k),
               m->op_time[k] / m->op_count[k] * 1e6, m->op_count[k]);
    printf("\n");
  }
  if (m->copy_runs > 0)
    printf("  copies: %.0f runs, %.3f ms in all\n", m->copy_runs,
           m->op_time[KV_OP_COPY] * 1e3);
  CHECK(m->completed == m->requests, "%s: %g of %g completed", c->strategy,
        m->completed, m->requests);
  CHECK(m->steps > 0 && m->sim_time > 0, "%s: no time passed", c->strategy);
  CHECK(m->compute_time > 0, "%s: compute took no time", c->strategy);
  CHECK(t.weight_bytes > 0 && t.attn_bytes > 0, "%s: the compute read nothing",
        c->strategy);
  /* real compute: at least 2 * (Llama-3-8B's linear layers without the
   * embedding, 6.98e9 weights) FLOPs per token computed (a request's last
   * token is sampled, not computed) */
  double computed = m->prompt_tokens + m->generated_tokens - m->completed;
  CHECK(t.gemm_flops >= 2 * 6.9e9 * computed && t.attn_calls >= m->steps,
        "%s: real compute ran %.3g GEMM FLOPs, %.0f attention calls for %.0f "
        "tokens in %.0f steps",
        c->strategy, t.gemm_flops, t.attn_calls, computed, m->steps);
  if (strcmp(c->strategy, "vmm") == 0 || strcmp(c->strategy, "indirect") == 0)
    CHECK(m->vmm_calls > 0 && t.driver_calls > 0, "%s: no driver calls",
          c->strategy);
  if (strcmp(c->strategy, "paged") == 0 || strcmp(c->strategy, "indirect") == 0)
    CHECK(m->swaps_out > 0 && m->copy_bytes_h2d > 0,
          "%s: the burst caused no swap", c->strategy);
  if (c->map_ahead)
    CHECK(m->driver_time_hidden > 0,
          "vmm map-ahead: no driver time was hidden");
  kv_result_free(&r);
  b->vt->destroy(b);
}

static int test_engine(void) {
  kv_synth_cfg sc = {
      .arrival = KV_ARRIVAL_POISSON,
      .rate = 1000, /* a burst: requests grow until paged and indirect
                       must preempt by swapping */
      .n = 24,
      .prompt = {.kind = KV_LEN_UNIFORM, .a = 16, .b = 300, .min = 1},
      .output = {.kind = KV_LEN_UNIFORM, .a = 100, .b = 300, .min = 1},
  };
  kv_workload w;
  kv_error err;
  kv_workload_init(&w);
  CHECK(kv_workload_synthetic(&sc, 11, &w, &err) == KV_OK, "%s", err.msg);
  const engine_case cases[] = {
      {"static", 0, KV_VIA_ENGINE},   {"paged", 0, KV_VIA_ENGINE},
      {"paged", 0, KV_VIA_KERNEL},    {"vmm", 0, KV_VIA_ENGINE},
      {"vmm", 2048, KV_VIA_ENGINE},   {"indirect", 0, KV_VIA_ENGINE},
      {"indirect", 0, KV_VIA_KERNEL},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    engine_run_one(&cases[i], &w);
  kv_workload_free(&w);
  return 0;
}

/* ---- integrity ---- */

static uint8_t pattern(uint64_t p) {
  uint64_t x = p * 0x9E3779B97F4A7C15ull;
  return (uint8_t)(x >> 56) ^ (uint8_t)p;
}

static void step(kv_backend *b, kv_op_list *ops) {
  kv_step_time t;
  kv_error err;
  CHECK(b->vt->step(b, ops, &t, &err) == KV_OK, "%s", err.msg);
  kv_ops_clear(ops);
}

/* The single COPY op in ops, with its runs. */
static const kv_op *the_copy(const kv_op_list *ops) {
  const kv_op *c = NULL;
  for (size_t i = 0; i < ops->n; i++)
    if (ops->ops[i].kind == KV_OP_COPY) {
      CHECK(!c, "more than one COPY op");
      c = &ops->ops[i];
    }
  CHECK(c && c->runs_n > 0, "no COPY op with runs");
  return c;
}

static void integrity_one(const char *name, kv_copy_via via,
                          kv_vmm_layout layout) {
  kv_error err;
  const kv_strategy_vt *vt = kv_strategy_find(name, &err);
  CHECK(vt, "%s", err.msg);
  kv_strategy_cfg scfg;
  kv_strategy_cfg_defaults(&scfg);
  scfg.model = &model;
  scfg.capacity_bytes = 256ull << 20;
  scfg.host_bytes = 256ull << 20;
  scfg.max_requests = 4;
  scfg.slab_bytes = 64ull << 20;
  scfg.copy_via = via;
  scfg.vmm_layout = layout;
  scfg.max_context = 512;
  kv_gpu_options o;
  kv_gpu_options_defaults(&o);
  o.pool_bytes = strcmp(name, "paged") == 0 ? scfg.capacity_bytes : 0;
  o.host_bytes = scfg.host_bytes;
  o.compute = 0;
  kv_backend *b = kv_backend_gpu_create(&platform, &model, 1, &o, &err);
  CHECK(b, "%s", err.msg);
  kv_op_list ops;
  kv_ops_init(&ops, 1);
  void *st = NULL;
  CHECK(vt->create(&scfg, &st, &ops, &err) == KV_OK, "%s", err.msg);
  step(b, &ops);
  CHECK(vt->reserve(st, 0, 100, &ops) == KV_OK, "reserve 0");
  CHECK(vt->reserve(st, 1, 40, &ops) == KV_OK, "reserve 1");
  CHECK(vt->reserve(st, 0, 180, &ops) == KV_OK, "grow 0"); /* two runs */
  step(b, &ops);

  /* swap out: fill the request's device bytes with the pattern of their
   * logical position (= host offset from the first run's) first */
  CHECK(vt->swap_out(st, 0, &ops) == KV_OK, "swap_out");
  const kv_op *c = the_copy(&ops);
  uint64_t hbase = UINT64_MAX, total = 0;
  for (uint32_t r = 0; r < c->runs_n; r++) {
    const kv_run *run = &ops.runs[c->runs_first + r];
    if (run->dst < hbase) hbase = run->dst;
  }
  for (uint32_t r = 0; r < c->runs_n; r++) {
    const kv_run *run = &ops.runs[c->runs_first + r];
    uint8_t *buf = malloc(run->bytes);
    for (uint64_t k = 0; k < run->bytes; k++)
      buf[k] = pattern(run->dst - hbase + k);
    void *d;
    CHECK(kv_gpu_device_ptr(b, run->src, run->bytes, &d, &err) == KV_OK, "%s",
          err.msg);
    CUDA_OK(cudaMemcpy(d, buf, run->bytes, cudaMemcpyHostToDevice));
    free(buf);
    total += run->bytes;
  }
  uint32_t out_runs = c->runs_n;
  kv_run *out_copy = malloc(out_runs * sizeof *out_copy);
  memcpy(out_copy, &ops.runs[c->runs_first], out_runs * sizeof *out_copy);
  step(b, &ops);
  /* the host tier holds the pattern; the device bytes are then spoiled
   * (vmm has unmapped and released them: its range is only reserved VA
   * now, nothing is left to spoil) */
  for (uint32_t r = 0; r < out_runs; r++) {
    void *h, *d;
    CHECK(kv_gpu_host_ptr(b, out_copy[r].dst, out_copy[r].bytes, &h, &err) ==
              KV_OK,
          "%s", err.msg);
    for (uint64_t k = 0; k < out_copy[r].bytes; k++)
      CHECK(((uint8_t *)h)[k] == pattern(out_copy[r].dst - hbase + k),
            "%s/%s: host byte %" PRIu64 " of run %u differs after swap-out",
            name, via == KV_VIA_KERNEL ? "kernel" : "engine", k, r);
    if (strcmp(name, "vmm") == 0) continue; /* reserved VA, no memory */
    CHECK(kv_gpu_device_ptr(b, out_copy[r].src, out_copy[r].bytes, &d, &err) ==
              KV_OK,
          "%s", err.msg);
    CUDA_OK(cudaMemset(d, 0xEE, out_copy[r].bytes));
  }
  /* move other requests around so the blocks come back elsewhere */
  vt->release(st, 1, &ops);
  CHECK(vt->reserve(st, 2, 30, &ops) == KV_OK, "reserve 2");
  step(b, &ops);
  CHECK(vt->swap_in(st, 0, &ops) == KV_OK, "swap_in");
  c = the_copy(&ops);
  uint32_t in_runs = c->runs_n;
  kv_run *in_copy = malloc(in_runs * sizeof *in_copy);
  memcpy(in_copy, &ops.runs[c->runs_first], in_runs * sizeof *in_copy);
  step(b, &ops);
  uint64_t back = 0;
  int moved = 0;
  for (uint32_t r = 0; r < in_runs; r++) {
    uint8_t *buf = malloc(in_copy[r].bytes);
    void *d;
    CHECK(kv_gpu_device_ptr(b, in_copy[r].dst, in_copy[r].bytes, &d, &err) ==
              KV_OK,
          "%s", err.msg);
    CUDA_OK(cudaMemcpy(buf, d, in_copy[r].bytes, cudaMemcpyDeviceToHost));
    for (uint64_t k = 0; k < in_copy[r].bytes; k++)
      CHECK(buf[k] == pattern(in_copy[r].src - hbase + k),
            "%s/%s: device byte %" PRIu64 " of run %u differs after swap-in",
            name, via == KV_VIA_KERNEL ? "kernel" : "engine", k, r);
    free(buf);
    back += in_copy[r].bytes;
    moved |= r >= out_runs || in_copy[r].dst != out_copy[r].src;
  }
  CHECK(back == total, "swap-in moved %" PRIu64 " of %" PRIu64 " bytes", back,
        total);
  printf("integrity %-8s via %-6s: %" PRIu64 " bytes in %u runs out, %u runs "
         "back%s: equal\n",
         name, via == KV_VIA_KERNEL ? "kernel" : "engine", total, out_runs,
         in_runs, moved ? " to other places" : " to the same places");
  free(out_copy);
  free(in_copy);
  vt->release(st, 0, &ops);
  vt->release(st, 2, &ops);
  CHECK(vt->is_valid(st, &err) == KV_OK, "%s", err.msg);
  vt->destroy(st, &ops);
  step(b, &ops);
  kv_ops_free(&ops);
  b->vt->destroy(b);
}

static int test_integrity(void) {
  integrity_one("paged", KV_VIA_ENGINE, KV_VMM_PER_LAYER);
  integrity_one("paged", KV_VIA_KERNEL, KV_VMM_PER_LAYER);
  integrity_one("indirect", KV_VIA_ENGINE, KV_VMM_PER_LAYER);
  integrity_one("indirect", KV_VIA_KERNEL, KV_VMM_PER_LAYER);
  /* the swap-out that crashed the first H100 validation run */
  integrity_one("vmm", KV_VIA_ENGINE, KV_VMM_ALL_LAYERS);
  return 0;
}

/* ---- vmm ---- */

static kv_op *push(kv_op_list *l, kv_op_kind k, uint32_t count, uint64_t bytes,
                   uint64_t addr) {
  kv_op *op = kv_ops_push(l, k, KV_NO_REQ);
  op->count = count;
  op->bytes = bytes;
  op->addr = addr;
  return op;
}

static int test_vmm(void) {
  kv_error err;
  kv_gpu_options o;
  kv_gpu_options_defaults(&o);
  o.compute = 0;
  kv_backend *b = kv_backend_gpu_create(&platform, &model, 1, &o, &err);
  CHECK(b, "%s", err.msg);
  const uint64_t g = 2ull << 20; /* the H100's granularity */
  kv_op_list l;
  kv_ops_init(&l, 1);
  push(&l, KV_OP_VMM_RESERVE, 1, 4 * g, 0);
  push(&l, KV_OP_VMM_CREATE, 4, g, 0);
  kv_op *m = push(&l, KV_OP_VMM_MAP, 4, g, 0);
  for (uint32_t i = 0; i < 4; i++)
    kv_ops_push_run(&l, m, i, i * g, g);
  push(&l, KV_OP_VMM_SET_ACCESS, 4, g, 0);
  step(b, &l);

  uint8_t *buf = malloc(4 * g), *got = malloc(4 * g);
  for (uint64_t k = 0; k < 4 * g; k++)
    buf[k] = pattern(k);
  void *d;
  CHECK(kv_gpu_device_ptr(b, 0, 4 * g, &d, &err) == KV_OK, "%s", err.msg);
  CUDA_OK(cudaMemcpy(d, buf, 4 * g, cudaMemcpyHostToDevice));
  CUDA_OK(cudaMemcpy(got, d, 4 * g, cudaMemcpyDeviceToHost));
  CHECK(memcmp(buf, got, 4 * g) == 0, "data through the mapping differs");

  /* swap the places of handles 0 and 1: their data must follow */
  kv_op *u = push(&l, KV_OP_VMM_UNMAP, 2, g, 0);
  kv_ops_push_run(&l, u, 0, 0, g);
  kv_ops_push_run(&l, u, 1, g, g);
  m = push(&l, KV_OP_VMM_MAP, 2, g, 0);
  kv_ops_push_run(&l, m, 0, g, g);
  kv_ops_push_run(&l, m, 1, 0, g);
  push(&l, KV_OP_VMM_SET_ACCESS, 2, g, 0);
  step(b, &l);
  CUDA_OK(cudaMemcpy(got, d, 4 * g, cudaMemcpyDeviceToHost));
  CHECK(memcmp(got, buf + g, g) == 0 && memcmp(got + g, buf, g) == 0 &&
            memcmp(got + 2 * g, buf + 2 * g, 2 * g) == 0,
        "remapped handles do not carry their data");

  /* a handle never created is an error that names it */
  m = push(&l, KV_OP_VMM_MAP, 1, g, 0);
  kv_ops_push_run(&l, m, 9, 0, g);
  kv_step_time t;
  kv_status s = b->vt->step(b, &l, &t, &err);
  CHECK(s == KV_EINTERNAL && strstr(err.msg, "handle 9"),
        "mapping handle 9 gave %d: %s", s, err.msg);
  kv_ops_clear(&l);

  u = push(&l, KV_OP_VMM_UNMAP, 4, g, 0);
  kv_op *r = NULL;
  for (uint32_t i = 0; i < 4; i++)
    kv_ops_push_run(&l, u, i, i == 0 ? g : i == 1 ? 0 : i * g, g);
  r = push(&l, KV_OP_VMM_RELEASE, 4, g, 0);
  for (uint32_t i = 0; i < 4; i++)
    kv_ops_push_run(&l, r, i, 0, g);
  push(&l, KV_OP_VMM_FREE_VA, 1, 4 * g, 0);
  step(b, &l);
  CHECK(kv_gpu_device_ptr(b, 0, g, &d, &err) != KV_OK,
        "offset 0 still backed after FREE_VA");
  printf("vmm: 4 handles mapped, written and read back; 2 remapped with "
         "their data; bad handle refused; all released\n");
  free(buf);
  free(got);
  kv_ops_free(&l);
  b->vt->destroy(b);
  return 0;
}

/* ---- tier ---- */

/* Which bytes a block holds, tracked through the copies of the ops: block
 * offset (device VA space, or host tier) -> the device offset whose
 * pattern it holds. */
typedef struct shadow {
  uint64_t *off, *tag;
  uint8_t *host;
  size_t n, cap;
} shadow;

static uint64_t *shadow_at(shadow *sh, int host, uint64_t off, int add) {
  for (size_t i = 0; i < sh->n; i++)
    if (sh->off[i] == off && sh->host[i] == host) return &sh->tag[i];
  if (!add) return NULL;
  if (sh->n == sh->cap) {
    sh->cap = sh->cap ? 2 * sh->cap : 256;
    sh->off = realloc(sh->off, sh->cap * sizeof *sh->off);
    sh->tag = realloc(sh->tag, sh->cap * sizeof *sh->tag);
    sh->host = realloc(sh->host, sh->cap);
    CHECK(sh->off && sh->tag && sh->host, "out of host memory");
  }
  sh->off[sh->n] = off;
  sh->host[sh->n] = (uint8_t)host;
  sh->tag[sh->n] = UINT64_MAX;
  return &sh->tag[sh->n++];
}

/* Apply every COPY of ops, in list order, block by block. */
static void shadow_apply(shadow *sh, const kv_op_list *ops, uint64_t bb) {
  for (size_t i = 0; i < ops->n; i++) {
    const kv_op *op = &ops->ops[i];
    if (op->kind != KV_OP_COPY) continue;
    int sh_src = op->dir == KV_COPY_H2D, sh_dst = op->dir == KV_COPY_D2H;
    size_t nb = (size_t)(op->bytes / bb), k = 0;
    uint64_t *tags = malloc((nb ? nb : 1) * sizeof *tags);
    for (uint32_t r = 0; r < op->runs_n; r++) {
      const kv_run *run = &ops->runs[op->runs_first + r];
      CHECK(run->bytes % bb == 0, "a run of %" PRIu64 " bytes", run->bytes);
      for (uint64_t b = 0; b < run->bytes; b += bb) {
        uint64_t *t = shadow_at(sh, sh_src, run->src + b, 0);
        CHECK(t && *t != UINT64_MAX && k < nb, "copy from an unknown block");
        tags[k++] = *t;
      }
    }
    k = 0;
    for (uint32_t r = 0; r < op->runs_n; r++) {
      const kv_run *run = &ops->runs[op->runs_first + r];
      for (uint64_t b = 0; b < run->bytes; b += bb)
        *shadow_at(sh, sh_dst, run->dst + b, 1) = tags[k++];
    }
    free(tags);
  }
}

static uint64_t test_copies(const kv_op_list *ops, kv_copy_dir dir,
                            uint32_t req) {
  uint64_t n = 0;
  for (size_t i = 0; i < ops->n; i++)
    n += ops->ops[i].kind == KV_OP_COPY && ops->ops[i].dir == dir &&
         (req == KV_NO_REQ || ops->ops[i].req == req);
  return n;
}

/* test_tier: fill every block of the slabs with the pattern of its offset
 * and note in *sh that the device block at each offset holds that offset's
 * data. */
static void tier_fill_slabs(kv_backend *b, const kv_run *slabs, uint32_t nslabs,
                            uint64_t bb, shadow *sh) {
  kv_error err;
  for (uint32_t k = 0; k < nslabs; k++) {
    uint64_t base = slabs[k].dst, len = slabs[k].bytes;
    uint8_t *buf = malloc(len);
    for (uint64_t x = 0; x < len; x++)
      buf[x] = pattern(base + x);
    void *d;
    CHECK(kv_gpu_device_ptr(b, base, len, &d, &err) == KV_OK, "%s", err.msg);
    CUDA_OK(cudaMemcpy(d, buf, len, cudaMemcpyHostToDevice));
    free(buf);
    for (uint64_t x = 0; x < len; x += bb)
      *shadow_at(sh, 0, base + x, 1) = base + x;
  }
}

/* test_tier: every block *sh names, on the device or the host, holds the
 * pattern of the offset *sh says; *checked blocks, *moved_blocks of them
 * hold data copied there (on the host, or moved on the device). */
static void tier_check_blocks(kv_backend *b, const shadow *sh, uint64_t bb,
                              size_t *checked, size_t *moved_blocks) {
  kv_error err;
  uint8_t *got = malloc(bb);
  for (size_t i = 0; i < sh->n; i++) {
    void *p;
    if (sh->host[i]) {
      CHECK(kv_gpu_host_ptr(b, sh->off[i], bb, &p, &err) == KV_OK, "%s",
            err.msg);
      memcpy(got, p, bb);
    } else {
      CHECK(kv_gpu_device_ptr(b, sh->off[i], bb, &p, &err) == KV_OK, "%s",
            err.msg);
      CUDA_OK(cudaMemcpy(got, p, bb, cudaMemcpyDeviceToHost));
    }
    for (uint64_t x = 0; x < bb; x++)
      CHECK(got[x] == pattern(sh->tag[i] + x),
            "%s block at %" PRIu64 ": byte %" PRIu64
            " is not that of offset %" PRIu64,
            sh->host[i] ? "host" : "device", sh->off[i], x, sh->tag[i]);
    (*checked)++;
    *moved_blocks += sh->host[i] || sh->tag[i] != sh->off[i];
  }
  free(got);
}

/* Block-level tier of indirect executed on the real pool: every block of
 * the slabs is filled with the pattern of its offset; a request is evicted
 * (D2H), then, in one step, reloaded by background copies (a prefetch)
 * and the slab compacted (critical D2D). Every device block and every host
 * block written must then hold what the ops say it holds. If compaction
 * moves the request the background copies are reloading, the backend must
 * run that step inline (the D2D reads what the H2D writes); if it does
 * not, the critical ops run before the background ones. */
static int test_tier(void) {
  kv_error err;
  kv_strategy_cfg scfg;
  kv_strategy_cfg_defaults(&scfg);
  scfg.model = &model;
  scfg.capacity_bytes = 256ull << 20;
  scfg.host_bytes = 256ull << 20;
  scfg.max_requests = 4;
  scfg.slab_bytes = 64ull << 20;
  const kv_strategy_vt *vt = &kv_strategy_indirect;
  const uint64_t bb = 16 * kv_strategy_bytes_per_token(&scfg);
  kv_gpu_options o;
  kv_gpu_options_defaults(&o);
  o.host_bytes = scfg.host_bytes;
  o.compute = 0;
  kv_backend *b = kv_backend_gpu_create(&platform, &model, 1, &o, &err);
  CHECK(b, "%s", err.msg);
  kv_op_list ops;
  kv_ops_init(&ops, 1);
  void *st = NULL;
  CHECK(vt->create(&scfg, &st, &ops, &err) == KV_OK, "%s", err.msg);
  step(b, &ops);
  /* interleaved growth: both requests' tables are scattered */
  CHECK(vt->reserve(st, 0, 32, &ops) == KV_OK, "reserve 0");
  CHECK(vt->reserve(st, 1, 32, &ops) == KV_OK, "reserve 1");
  CHECK(vt->reserve(st, 2, 48, &ops) == KV_OK, "reserve 2");
  CHECK(vt->reserve(st, 0, 80, &ops) == KV_OK, "grow 0");
  CHECK(vt->reserve(st, 1, 96, &ops) == KV_OK, "grow 1");
  /* the slabs: every MAP run */
  kv_run slabs[16];
  uint32_t nslabs = 0;
  for (size_t i = 0; i < ops.n; i++)
    if (ops.ops[i].kind == KV_OP_VMM_MAP)
      for (uint32_t r = 0; r < ops.ops[i].runs_n && nslabs < 16; r++)
        slabs[nslabs++] = ops.runs[ops.ops[i].runs_first + r];
  CHECK(nslabs > 0, "no slab mapped");
  step(b, &ops);
  shadow sh = {0};
  tier_fill_slabs(b, slabs, nslabs, bb, &sh);
  /* evict request 1 */
  CHECK(vt->evict(st, 1, &ops) == KV_OK, "evict 1");
  CHECK(test_copies(&ops, KV_COPY_D2H, 1) == 1, "eviction made no D2H copy");
  shadow_apply(&sh, &ops, bb);
  step(b, &ops);
  CHECK(vt->host_blocks(st, 1) > 0, "request 1 has no host blocks");
  /* one step: request 2 finishes, request 1 is prefetched (background),
   * compaction moves blocks (critical) */
  vt->release(st, 2, &ops);
  size_t mark = ops.n;
  CHECK(vt->reload(st, 1, &ops) == KV_OK, "reload 1");
  for (size_t i = mark; i < ops.n; i++)
    ops.ops[i].flags |= KV_OPF_BACKGROUND;
  uint64_t moved = vt->compact(st, 64, &ops);
  CHECK(moved > 0, "compaction moved nothing");
  int conflict = test_copies(&ops, KV_COPY_D2D, 1) > 0;
  shadow_apply(&sh, &ops, bb);
  kv_gpu_totals t0, t1;
  kv_gpu_get_totals(b, &t0);
  step(b, &ops);
  kv_gpu_get_totals(b, &t1);
  if (conflict)
    CHECK(t1.inline_steps == t0.inline_steps + 1,
          "compaction of a request being reloaded in the background did not "
          "run inline");
  else
    CHECK(t1.inline_steps == t0.inline_steps && t1.hoisted_ops > t0.hoisted_ops,
          "independent critical ops after background ones: inline %g -> %g, "
          "hoisted %g -> %g",
          t0.inline_steps, t1.inline_steps, t0.hoisted_ops, t1.hoisted_ops);
  /* every block holds what the ops say */
  size_t checked = 0, moved_blocks = 0;
  tier_check_blocks(b, &sh, bb, &checked, &moved_blocks);
  printf("tier: %zu blocks of %" PRIu64 " bytes checked (%zu hold data "
         "copied there by evict / reload / compact: %" PRIu64
         " blocks compacted), all equal; compaction %s the reloading "
         "request: step %s (inline steps %.0f, hoisted ops %.0f)\n",
         checked, bb, moved_blocks, moved, conflict ? "moved" : "did not move",
         conflict ? "inline" : "with background copies", t1.inline_steps,
         t1.hoisted_ops);
  free(sh.off);
  free(sh.tag);
  free(sh.host);
  vt->release(st, 0, &ops);
  vt->release(st, 1, &ops);
  CHECK(vt->is_valid(st, &err) == KV_OK, "%s", err.msg);
  vt->destroy(st, &ops);
  step(b, &ops);
  kv_ops_free(&ops);
  b->vt->destroy(b);
  return 0;
}

/* ---- order ---- */

/* A critical map listed after a background map of other handles runs
 * before it (hoisted); a critical unmap of the handle a background op maps
 * in the same step makes the step run inline, in order; both leave the
 * handles working. */
static int test_order(void) {
  kv_error err;
  kv_gpu_options o;
  kv_gpu_options_defaults(&o);
  o.compute = 0;
  kv_backend *b = kv_backend_gpu_create(&platform, &model, 1, &o, &err);
  CHECK(b, "%s", err.msg);
  const uint64_t g = 2ull << 20;
  kv_op_list l;
  kv_ops_init(&l, 1);
  push(&l, KV_OP_VMM_RESERVE, 1, 4 * g, 0);
  step(b, &l);
  /* background: handle 0 at 0; critical: handles 1, 2 at g, 2g */
  push(&l, KV_OP_VMM_CREATE, 1, g, 0)->flags = KV_OPF_BACKGROUND;
  kv_op *m = push(&l, KV_OP_VMM_MAP, 1, g, 0);
  m->flags = KV_OPF_BACKGROUND;
  kv_ops_push_run(&l, m, 0, 0, g);
  push(&l, KV_OP_VMM_SET_ACCESS, 1, g, 0)->flags = KV_OPF_BACKGROUND;
  push(&l, KV_OP_VMM_CREATE, 2, g, 0);
  m = push(&l, KV_OP_VMM_MAP, 2, g, 0);
  kv_ops_push_run(&l, m, 1, g, g);
  kv_ops_push_run(&l, m, 2, 2 * g, g);
  push(&l, KV_OP_VMM_SET_ACCESS, 2, g, 0);
  kv_step_time t;
  CHECK(b->vt->step(b, &l, &t, &err) == KV_OK, "%s", err.msg);
  kv_ops_clear(&l);
  kv_gpu_totals a;
  kv_gpu_get_totals(b, &a);
  CHECK(a.inline_steps == 0 && a.hoisted_ops == 3,
        "independent ops: inline %g, hoisted %g (want 0, 3)", a.inline_steps,
        a.hoisted_ops);
  CHECK(t.driver_hidden > 0 && t.driver_critical > 0,
        "driver time hidden %g critical %g", t.driver_hidden,
        t.driver_critical);
  uint8_t *buf = malloc(3 * g), *got = malloc(3 * g);
  for (uint64_t k = 0; k < 3 * g; k++)
    buf[k] = pattern(k + 7);
  void *d;
  CHECK(kv_gpu_device_ptr(b, 0, 3 * g, &d, &err) == KV_OK, "%s", err.msg);
  CUDA_OK(cudaMemcpy(d, buf, 3 * g, cudaMemcpyHostToDevice));
  CUDA_OK(cudaMemcpy(got, d, 3 * g, cudaMemcpyDeviceToHost));
  CHECK(memcmp(buf, got, 3 * g) == 0, "data through the three handles");
  /* background: handle 3 mapped at 3g; critical after it: unmap and
   * release handle 3 (depends on it: inline) */
  push(&l, KV_OP_VMM_CREATE, 1, g, 0)->flags = KV_OPF_BACKGROUND;
  m = push(&l, KV_OP_VMM_MAP, 1, g, 0);
  m->flags = KV_OPF_BACKGROUND;
  kv_ops_push_run(&l, m, 3, 3 * g, g);
  push(&l, KV_OP_VMM_SET_ACCESS, 1, g, 0)->flags = KV_OPF_BACKGROUND;
  kv_op *u = push(&l, KV_OP_VMM_UNMAP, 1, g, 0);
  kv_ops_push_run(&l, u, 3, 3 * g, g);
  u = push(&l, KV_OP_VMM_RELEASE, 1, g, 0);
  kv_ops_push_run(&l, u, 3, 0, g);
  CHECK(b->vt->step(b, &l, &t, &err) == KV_OK, "%s", err.msg);
  kv_ops_clear(&l);
  kv_gpu_totals c;
  kv_gpu_get_totals(b, &c);
  CHECK(c.inline_steps == 1 && c.hoisted_ops == 3,
        "dependent ops: inline %g, hoisted %g (want 1, 3)", c.inline_steps,
        c.hoisted_ops);
  CHECK(t.driver_hidden == 0, "an inline step hid %g s of driver time",
        t.driver_hidden);
  CHECK(kv_gpu_device_ptr(b, 3 * g, g, &d, &err) == KV_OK, "%s", err.msg);
  u = push(&l, KV_OP_VMM_RELEASE, 0, g, 0); /* teardown: everything */
  push(&l, KV_OP_VMM_FREE_VA, 1, 4 * g, 0);
  step(b, &l);
  printf("order: a critical map after an independent background map ran "
         "first (3 ops hoisted, driver time hidden %.1f us); a critical "
         "unmap of a handle mapped in the background ran the step inline\n",
         a.driver_hidden * 1e6);
  free(buf);
  free(got);
  kv_ops_free(&l);
  b->vt->destroy(b);
  return 0;
}

/* ---- cleanup ---- */

static size_t free_mem(void) {
  size_t f = 0, t = 0;
  CUDA_OK(cudaDeviceSynchronize());
  CUDA_OK(cudaMemGetInfo(&f, &t));
  return f;
}

static int test_cleanup(void) {
  CUDA_OK(cudaFree(0));
  size_t before = 0;
  kv_synth_cfg sc = {
      .arrival = KV_ARRIVAL_POISSON,
      .rate = 100,
      .n = 8,
      .prompt = {.kind = KV_LEN_UNIFORM, .a = 16, .b = 400, .min = 1},
      .output = {.kind = KV_LEN_UNIFORM, .a = 1, .b = 8, .min = 1},
  };
  kv_workload w;
  kv_error err;
  kv_workload_init(&w);
  CHECK(kv_workload_synthetic(&sc, 3, &w, &err) == KV_OK, "%s", err.msg);
  /* run 0 is a warm-up: the libraries' kernels (cuBLAS's among them) load
   * lazily and keep their device memory until the process ends */
  const char *names[] = {"paged", "vmm", "indirect"};
  for (int run = 0; run < 4; run++) {
    int i = run == 0 ? 0 : run - 1;
    if (run == 1) before = free_mem();
    kv_engine_cfg cfg;
    kv_engine_cfg_defaults(&cfg);
    cfg.model = &model;
    cfg.platform = &platform;
    cfg.workload = &w;
    cfg.strategy = kv_strategy_find(names[i], &err);
    cfg.kv_capacity = 512ull << 20;
    cfg.scfg.max_context = 1024;
    cfg.scfg.deferred_reclaim = true; /* leaves handles mapped at the end */
    cfg.scfg.host_bytes = 64ull << 20;
    kv_gpu_options o;
    kv_gpu_options_defaults(&o);
    o.pool_bytes = i == 0 ? cfg.kv_capacity : 0;
    o.host_bytes = cfg.scfg.host_bytes;
    kv_backend *b = kv_backend_gpu_create(&platform, &model, 1, &o, &err);
    CHECK(b, "%s", err.msg);
    cfg.backend = b;
    kv_result r;
    CHECK(kv_engine_run(&cfg, &r, &err) == KV_OK, "%s: %s", names[i], err.msg);
    kv_result_free(&r);
    b->vt->destroy(b);
    if (run == 0) continue;
    size_t after = free_mem();
    double diff = ((double)before - (double)after) / 1048576.0;
    printf("cleanup %-8s: free before %.1f MiB, after %.1f MiB (diff %.2f "
           "MiB)\n",
           names[i], before / 1048576.0, after / 1048576.0, diff);
    CHECK(diff < 8 && diff > -8, "%s: %.2f MiB not given back", names[i], diff);
  }
  /* a create that fails half-way gives back what it took */
  kv_gpu_options o;
  kv_gpu_options_defaults(&o);
  o.device_budget = 1ull << 30;
  o.pool_bytes = 900ull << 20;
  o.weight_buffer = 512ull << 20;
  kv_backend *b = kv_backend_gpu_create(&platform, &model, 1, &o, &err);
  CHECK(!b && err.code == KV_ENOMEM && strstr(err.msg, "device_budget"),
        "over-budget create: %s", b ? "succeeded" : err.msg);
  printf("cleanup over-budget create refused: %s\n", err.msg);
  size_t after = free_mem();
  double diff = ((double)before - (double)after) / 1048576.0;
  CHECK(diff < 8 && diff > -8, "failed create kept %.2f MiB", diff);
  kv_workload_free(&w);
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s engine|integrity|vmm|cleanup|tier|order\n",
            argv[0]);
    return 2;
  }
  if (!kv_gpu_available()) {
    printf("no CUDA device: skipped\n");
    return 77;
  }
  setup();
  if (strcmp(argv[1], "engine") == 0) return test_engine();
  if (strcmp(argv[1], "integrity") == 0) return test_integrity();
  if (strcmp(argv[1], "vmm") == 0) return test_vmm();
  if (strcmp(argv[1], "cleanup") == 0) return test_cleanup();
  if (strcmp(argv[1], "tier") == 0) return test_tier();
  if (strcmp(argv[1], "order") == 0) return test_order();
  fprintf(stderr, "unknown check '%s'\n", argv[1]);
  return 2;
}
