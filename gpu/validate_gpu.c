/* validate_gpu.c - validate_gpu's main() and its closed batches: one fixed
 * closed-batch workload through seven strategy configurations on the GPU
 * backend (and two more experiments, --steady and --tier, below), every
 * step's measured times written to CSV, so that experiments/validate.lua can
 * replay the identical requests and configurations in simulation and compare
 * them step by step. The program's other modes, --open and --lockstep, and
 * the parts the modes share are in the files validate_gpu.h lists.
 *
 *   validate_gpu [--steady | --tier | --experiment NAME] [--out DIR]
 *                [--only LABEL] [--ideal] [--split] [--list] [--cases FILE]
 *
 * The experiments and their cases are experiments/gpu_cases.lua's, read
 * from the case file it writes (validate_gpu_cases.c: --cases FILE, else
 * gpu_cases.txt in the program's folder); --steady and --tier name two of
 * them, --experiment any.
 *
 * All requests arrive at t = 0 (a closed batch). The engine's decisions then
 * depend on memory only, never on the clock, so step i of the GPU run and
 * step i of the simulated run execute the same ops (validate.lua checks
 * this on the per-step batch tokens and used bytes). Writes into DIR:
 *   workload.csv          the requests (Azure CSV: TIMESTAMP,ContextTokens,
 *                         GeneratedTokens), read back here and run from the
 *                         read-back copy, so both sides see the same bytes
 *   setup.lua             the model, engine options and configurations, as
 *                         a Lua table validate.lua loads
 *   steps_<label>.csv     one row per backend step: the kv_step_time fields
 *                         and per-kind times, the step's op totals
 *   timeline_<label>.csv  the engine's timeline (every step)
 *   summary.csv           one row per configuration: kv_summary, op counts
 *                         and times per kind, the GPU backend's totals
 *                         (appended to, so each configuration may run in
 *                         its own process with --only)
 *   backend.txt           each configuration's backend description
 * Each engine step is one backend step. --split executes a step whose
 * critical VMM op follows a critical copy as several backend steps instead
 * (split_step()), the work-around the first H100 run needed before the GPU
 * backend waited for such copies itself; it is kept to compare the two.
 * --ideal runs the ideal backend instead (no GPU needed: checks the program
 * and the files).
 *
 * Two more experiments of gpu_cases.lua, each with its own cases, workload
 * and default DIR:
 *   --steady  (results/tmp/steady) a decode steady state without memory
 *             pressure: 32 requests at t = 0, prompts U[64,128], outputs
 *             U[512,1024], 12 GiB of KV, through vmm without and with
 *             map-ahead and deferred reclamation. Per case, steady.csv has
 *             the decode-only steps (every request that computes in the
 *             step computes exactly one token: batch_tokens equals the
 *             requests between their first token and their finish), how
 *             many of them made a critical (synchronous) VMM call, of which
 *             kinds, and the driver time critical / hidden per generated
 *             token over the whole run and over the decode-only steps.
 *   --tier    (results/tmp/tier) indirect with tier = true and prefix
 *             sharing on a closed batch whose prompts share prefixes
 *             (Mooncake-style hash ids, written as workload.jsonl and read
 *             back), KV capacity small enough that eviction, reload,
 *             prefetch and compaction can happen (one case forces them
 *             with a C policy: prefetch 2, compact 32 blocks, every step),
 *             check_level 2; tier.csv has the kv_tier_result counters.
 *             Exits 3 when one of them stays zero.
 * A run past MAX_STEPS backend steps is stopped as an engine without
 * progress (an error).
 * steps_<label>.csv also counts, per step, the VMM calls of critical ops
 * (no KV_OPF_BACKGROUND) by kind and of background ops, and whether the
 * GPU backend ran the step's background ops inline (kv_gpu_totals).
 * Main entry points: main(), run_case().
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "validate_gpu.h"

/* ---- the experiments ---- */

const char model_name[] = "llama-3-8b";
const uint64_t seed = 20261122;

/* A case's strategy options onto scfg (the one place they are typed: the
 * run and the setup file's Lua strategy table both come from here). */
static void case_scfg(const vcase *c, kv_strategy_cfg *scfg) {
  if (c->max_context_set) scfg->max_context = c->max_context;
  if (c->page_bytes) scfg->page_bytes = c->page_bytes;
  if (c->slab_bytes) scfg->slab_bytes = c->slab_bytes;
  scfg->vmm_layout = c->layout;
  scfg->map_ahead = c->map_ahead;
  scfg->deferred_reclaim = c->deferred;
  scfg->copy_via = c->via;
}

static void write_setup(const char *dir, const experiment *x,
                        const char *backend_kind) {
  FILE *f = open_out(dir, "setup.lua");
  fprintf(f,
          "-- written by validate_gpu (gpu/validate_gpu.c): the measured "
          "runs' configuration\n"
          "return {\n"
          "  experiment = \"%s\",\n"
          "  backend = \"%s\",\n"
          "  model = \"%s\",\n"
          "  workload = { n = %zu, arrival = 0, prompt = { %u, %u }, "
          "output = { %u, %u }, seed = %" PRIu64 "%s },\n"
          "  engine = { kv_capacity = %" PRIu64 ", host_bytes = %" PRIu64
          ", preempt = \"%s\", max_batch_tokens = %u, max_num_seqs = %u, "
          "check = %d, seed = %" PRIu64 ", timeline_interval = 0%s },\n"
          "  configs = {\n",
          x->name, backend_kind, model_name, x->n_requests, x->prompt_lo,
          x->prompt_hi, x->output_lo, x->output_hi, seed,
          x->prefix ? ", file = \"workload.jsonl\"" : "", x->kv_capacity,
          x->host_bytes, x->preempt == KV_PREEMPT_SWAP ? "swap" : "recompute",
          x->max_batch_tokens, x->max_num_seqs, x->check_level, seed,
          x->tier ? ", tier = true, prefix_sharing = true" : "");
  for (size_t i = 0; i < x->n_cases; i++) {
    kv_strategy_cfg sc;
    kv_strategy_cfg_defaults(&sc);
    case_scfg(&x->cases[i], &sc);
    char lua[512];
    strategy_lua(x->cases[i].strategy, &sc, lua, sizeof lua);
    fprintf(f, "    { label = \"%s\", strategy = %s%s },\n", x->cases[i].label,
            lua,
            x->cases[i].force_compact
                ? ", policy = { compact = function() return 32 end, "
                  "prefetch = function() return 2 end }"
                : "");
  }
  fprintf(f, "  },\n}\n");
  close_out(f, "setup.lua");
}

/* Prefix hash ids of 512-token blocks, Mooncake style (equal ids mean equal
 * prefixes): block 0 is a system prompt every request shares; requests of
 * at least three blocks share their second with the other requests of
 * their group (i mod 8); the rest are their own. */
static void write_jsonl(const char *dir, const kv_workload *g) {
  FILE *f = open_out(dir, "workload.jsonl");
  uint32_t next = 100;
  for (size_t i = 0; i < g->n; i++) {
    uint32_t nb = (g->reqs[i].prompt + 511) / 512;
    fprintf(f,
            "{\"timestamp\": 0, \"input_length\": %u, \"output_length\": %u, "
            "\"hash_ids\": [0",
            g->reqs[i].prompt, g->reqs[i].output);
    for (uint32_t j = 1; j < nb; j++)
      fprintf(f, ", %u", j == 1 && nb >= 3 ? 1 + (uint32_t)(i % 8) : next++);
    fprintf(f, "]}\n");
  }
  close_out(f, "workload.jsonl");
}

/* Generate the closed batch, write it (Azure CSV, or Mooncake JSONL when
 * the experiment shares prefixes), read it back. */
static void make_workload(const char *dir, const experiment *x,
                          kv_workload *w) {
  kv_synth_cfg sc = {
      .arrival = KV_ARRIVAL_POISSON,
      .rate = 1, /* arrivals are then all set to 0 */
      .n = x->n_requests,
      .prompt = {.kind = KV_LEN_UNIFORM,
                 .a = x->prompt_lo,
                 .b = x->prompt_hi,
                 .min = 1},
      .output = {.kind = KV_LEN_UNIFORM,
                 .a = x->output_lo,
                 .b = x->output_hi,
                 .min = 1},
  };
  kv_workload g;
  kv_error err;
  kv_workload_init(&g);
  if (kv_workload_synthetic(&sc, seed, &g, &err) != KV_OK)
    DIE("workload: %s", err.msg);
  const char *name = x->prefix ? "workload.jsonl" : "workload.csv";
  if (x->prefix) {
    write_jsonl(dir, &g);
  } else {
    FILE *f = open_out(dir, name);
    fprintf(f, "TIMESTAMP,ContextTokens,GeneratedTokens\n");
    for (size_t i = 0; i < g.n; i++)
      fprintf(f, "0,%u,%u\n", g.reqs[i].prompt, g.reqs[i].output);
    close_out(f, name);
  }
  kv_workload_free(&g);
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  kv_workload_init(w);
  if (kv_workload_load(path, w, &err) != KV_OK)
    DIE("reading back %s: %s", path, err.msg);
  if (w->n != x->n_requests) DIE("%s: %zu requests read back", path, w->n);
  if (x->prefix && w->n_hashes == 0) DIE("%s: no hash ids read back", path);
}

/* ---- steady state: decode-only steps and the driver calls in them ---- */

static void steady_header(FILE *f) {
  fprintf(f, "label,steps,decode_steps,decode_steps_crit_vmm,"
             "decode_steps_crit_driver_time,decode_crit_vmm_calls");
  for (int k = 0; k < N_VMM_KINDS; k++)
    fprintf(f, ",decode_crit_calls_%s", kv_op_kind_name((kv_op_kind)k));
  fprintf(f, ",decode_tokens,decode_driver_critical,decode_driver_hidden,"
             "decode_crit_per_token,decode_hidden_per_token,"
             "generated_tokens,run_driver_critical,run_driver_hidden,"
             "run_crit_per_token,run_hidden_per_token,run_crit_vmm_calls,"
             "run_bg_vmm_calls,inline_steps,decode_inline_steps,preemptions,"
             "decode_step_time_mean,sim_time\n");
}

/* A step is decode-only when its batch tokens equal the requests that are
 * between their first token and their finish at its end (t): every request
 * computing in it then computes exactly one token (no preemption, so every
 * such request is scheduled; checked). */
static void steady_row(FILE *f, const char *label, const recorder *rc,
                       const kv_result *r) {
  const kv_timeline *tl = &r->timeline;
  if (tl->n != rc->compute_steps)
    DIE("%s: %zu timeline rows for %" PRIu64 " steps with compute", label,
        tl->n, rc->compute_steps);
  if (r->summary.preemptions > 0)
    fprintf(stderr, "%s: %.0f preemptions: decode-only steps are not exact\n",
            label, r->summary.preemptions);
  double dsteps = 0, dcrit_steps = 0, dcrit_time_steps = 0, dcalls = 0;
  double dkind[N_VMM_KINDS] = {0}, dtok = 0, dcrit = 0, dhid = 0, dtime = 0;
  double rcrit = 0, rhid = 0, rcalls = 0, rbg = 0, inl = 0, dinl = 0;
  for (size_t i = 0; i < rc->n; i++) {
    const step_rec *e = &rc->v[i];
    double crit = 0;
    for (int k = 0; k < N_VMM_KINDS; k++)
      crit += e->crit_vmm[k];
    rcrit += e->t.driver_critical;
    rhid += e->t.driver_hidden;
    rcalls += crit;
    rbg += e->bg_vmm;
    inl += e->inlined;
    if (e->engine_step == 0) continue;
    const kv_sample *sm = &tl->s[e->engine_step - 1];
    double decoding = 0;
    for (size_t q = 0; q < r->n_requests; q++) {
      const kv_request_result *rr = &r->requests[q];
      decoding += rr->first_token >= 0 && rr->first_token < sm->t &&
                  rr->finish >= sm->t;
    }
    if (sm->batch_tokens < decoding)
      DIE("%s: step %" PRIu64 ": %.0f tokens for %.0f decoding requests", label,
          e->engine_step, sm->batch_tokens, decoding);
    if (decoding == 0 || sm->batch_tokens != decoding) continue;
    dsteps++;
    dtok += decoding;
    dcrit += e->t.driver_critical;
    dhid += e->t.driver_hidden;
    dtime += e->t.total;
    dcalls += crit;
    dinl += e->inlined;
    dcrit_steps += crit > 0;
    dcrit_time_steps += e->t.driver_critical > 0;
    for (int k = 0; k < N_VMM_KINDS; k++)
      dkind[k] += e->crit_vmm[k];
  }
  double gen = r->summary.generated_tokens;
  fprintf(f, "%s,%zu,%.0f,%.0f,%.0f,%.0f", label, rc->n, dsteps, dcrit_steps,
          dcrit_time_steps, dcalls);
  for (int k = 0; k < N_VMM_KINDS; k++)
    fprintf(f, ",%.0f", dkind[k]);
  fprintf(f,
          ",%.0f,%.9g,%.9g,%.9g,%.9g,%.0f,%.9g,%.9g,%.9g,%.9g,%.0f,%.0f,%.0f,"
          "%.0f,%.0f,%.9g,%.9g\n",
          dtok, dcrit, dhid, dtok ? dcrit / dtok : 0, dtok ? dhid / dtok : 0,
          gen, rcrit, rhid, gen ? rcrit / gen : 0, gen ? rhid / gen : 0, rcalls,
          rbg, inl, dinl, r->summary.preemptions, dsteps ? dtime / dsteps : 0,
          r->summary.sim_time);
  printf("  steady %-31s decode-only steps %5.0f (of %zu), with a critical "
         "VMM call %4.0f (%5.0f calls:",
         label, dsteps, rc->n, dcrit_steps, dcalls);
  for (int k = 0; k < N_VMM_KINDS; k++)
    if (dkind[k] > 0)
      printf(" %s %.0f", kv_op_kind_name((kv_op_kind)k), dkind[k]);
  printf("); driver per token: decode crit %.3f us hidden %.3f us, run crit "
         "%.3f us hidden %.3f us; inline steps %.0f (decode %.0f)\n",
         dtok ? 1e6 * dcrit / dtok : 0, dtok ? 1e6 * dhid / dtok : 0,
         gen ? 1e6 * rcrit / gen : 0, gen ? 1e6 * rhid / gen : 0, inl, dinl);
}

/* ---- tiering: the counters ---- */

static void tier_header(FILE *f) {
  fprintf(f, "label,prefix_queried_tokens,prefix_hit_tokens,prefix_hit_rate,"
             "evictions,reloads,prefetches,compactions,compact_blocks,"
             "compact_bytes,policy_calls,admit_refusals,copy_bytes_h2d,"
             "copy_bytes_d2h,copy_bytes_d2d,copy_time,swaps_out,preemptions,"
             "steps,sim_time,throughput,inline_steps,hoisted_ops\n");
}

/* Returns the number of tiering counters that stayed zero. */
static int tier_row(FILE *f, const char *label, const kv_result *r,
                    const kv_gpu_totals *t) {
  const kv_tier_result *x = &r->tier;
  const kv_summary *s = &r->summary;
  fprintf(f,
          "%s,%.0f,%.0f,%.6f,%.0f,%.0f,%.0f,%.0f,%.0f,%.0f,%.0f,%.0f,%.0f,"
          "%.0f,%.0f,%.9g,%.0f,%.0f,%.0f,%.9g,%.9g,%.0f,%.0f\n",
          label, x->prefix_queried_tokens, x->prefix_hit_tokens,
          x->prefix_hit_rate, x->evictions, x->reloads, x->prefetches,
          x->compactions, x->compact_blocks, x->compact_bytes, x->policy_calls,
          x->admit_refusals, s->copy_bytes_h2d, s->copy_bytes_d2h,
          s->copy_bytes_d2d, s->op_time[KV_OP_COPY], s->swaps_out,
          s->preemptions, s->steps, s->sim_time, s->throughput, t->inline_steps,
          t->hoisted_ops);
  printf("  tier %-29s prefix hit %.1f %% (%.0f of %.0f tokens), evictions "
         "%.0f, reloads %.0f, prefetches %.0f, compactions %.0f (%.0f "
         "blocks), PCIe %.0f MB in / %.0f MB out, D2D %.0f MB, inline steps "
         "%.0f\n",
         label, 100 * x->prefix_hit_rate, x->prefix_hit_tokens,
         x->prefix_queried_tokens, x->evictions, x->reloads, x->prefetches,
         x->compactions, x->compact_blocks, s->copy_bytes_h2d / 1e6,
         s->copy_bytes_d2h / 1e6, s->copy_bytes_d2d / 1e6, t->inline_steps);
  const char *names[] = {"prefix_hit_tokens", "evictions", "reloads",
                         "prefetches", "compactions"};
  double v[] = {x->prefix_hit_tokens, x->evictions, x->reloads, x->prefetches,
                x->compactions};
  int zero = 0;
  for (int i = 0; i < 5; i++)
    if (v[i] <= 0) {
      printf("  tier %s: %s stayed 0\n", label, names[i]);
      zero++;
    }
  return zero;
}

static kv_status prefetch_always(void *ud, const kv_policy_view *v,
                                 uint32_t *distance, kv_error *err) {
  (void)ud;
  (void)v;
  (void)err;
  *distance = 2;
  return KV_OK;
}

static kv_status compact_always(void *ud, const kv_policy_view *v,
                                uint64_t *max_blocks, kv_error *err) {
  (void)ud;
  (void)v;
  (void)err;
  *max_blocks = 32;
  return KV_OK;
}

/* ---- one configuration ---- */

static void run_case(const experiment *x, const vcase *c, const kv_model *m,
                     const kv_platform *p, const kv_workload *w, int ideal,
                     int split, outputs *o) {
  kv_error err;
  kv_run_spec spec;
  memset(&spec, 0, sizeof spec);
  kv_engine_cfg *cfg = &spec.engine;
  kv_engine_cfg_defaults(cfg);
  cfg->model = m;
  cfg->platform = p;
  cfg->workload = w;
  cfg->strategy = kv_strategy_find(c->strategy, &err);
  if (!cfg->strategy) DIE("%s", err.msg);
  cfg->kv_capacity = x->kv_capacity;
  cfg->max_batch_tokens = x->max_batch_tokens;
  cfg->max_num_seqs = x->max_num_seqs;
  cfg->preempt = x->preempt;
  cfg->timeline_interval = 0;
  cfg->check_level = x->check_level;
  cfg->seed = seed;
  cfg->scfg.host_bytes = x->host_bytes;
  cfg->tier = x->tier;
  cfg->prefix_sharing = x->prefix;
  kv_policy pol = kv_policy_default;
  if (c->force_compact) {
    pol.name = "compact-always (validate_gpu)";
    pol.compact = compact_always;
    pol.prefetch = prefetch_always;
    cfg->policy = &pol;
  }
  case_scfg(c, &cfg->scfg);
  kv_backend *inner;
  if (ideal) {
    inner = kv_backend_ideal_create(p, m, 1, &err);
  } else {
    spec.backend = &kv_gpu_backend_desc;
    inner = kv_gpu_backend_for_run(&spec, NULL, &err);
  }
  if (!inner) DIE("%s: backend: %s", c->label, err.msg);
  kv_backend *b = recorder_wrap(inner, !ideal, split);
  cfg->backend = b;
  cfg->interrupt = &rec_of(b)->stop;
  kv_result r;
  if (kv_engine_run(cfg, &r, &err) != KV_OK)
    DIE("%s: run: %s", c->label, err.msg);
  const kv_summary *s = &r.summary;
  char d[1024];
  b->vt->describe(b, d, sizeof d);
  fprintf(o->desc, "%s/%s: %s\n", x->name, c->label, d);
  kv_gpu_totals t;
  memset(&t, 0, sizeof t);
  if (!ideal) kv_gpu_get_totals(inner, &t);
  summary_row(o->summary, c->label, s, &t);
  fprintf(o->summary, "\n");
  write_steps(o->dir, c->label, rec_of(b), 0);
  write_timeline(o->dir, c->label, &r.timeline);
  printf("%-17s %5.0f steps %8.3f s  compute %.3f s  op crit %7.2f ms  "
         "driver crit %7.2f ms hidden %6.2f ms  vmm calls %6.0f  swaps %3.0f "
         " copy %6.2f ms (%4.0f MB)  table %5.2f ms  inline steps %.0f "
         "hoisted ops %.0f\n",
         c->label, s->steps, s->sim_time, s->compute_time,
         s->op_time_critical * 1e3, s->driver_time_critical * 1e3,
         s->driver_time_hidden * 1e3, s->vmm_calls, s->swaps_out,
         s->op_time[KV_OP_COPY] * 1e3,
         (s->copy_bytes_h2d + s->copy_bytes_d2h) / 1e6,
         s->op_time[KV_OP_TABLE_WRITE] * 1e3, t.inline_steps, t.hoisted_ops);
  if (strcmp(x->name, "steady") == 0)
    steady_row(o->extra, c->label, rec_of(b), &r);
  else if (strcmp(x->name, "tier") == 0)
    o->zero_counters += tier_row(o->extra, c->label, &r, &t);
  fflush(stdout);
  if (s->completed != s->requests)
    DIE("%s: %.0f of %.0f requests completed", c->label, s->completed,
        s->requests);
  kv_result_free(&r);
  b->vt->destroy(b);
}

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--open") == 0) return open_main(argc, argv);
    if (strcmp(argv[i], "--lockstep") == 0) return lockstep_main(argc, argv);
  }
  const char *dir = NULL, *only = NULL, *xname = "validate";
  int ideal = 0, split = 0, list = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
      dir = argv[++i];
    else if (strcmp(argv[i], "--cases") == 0 && i + 1 < argc)
      i++; /* cases_load_args() */
    else if (strcmp(argv[i], "--experiment") == 0 && i + 1 < argc)
      xname = argv[++i];
    else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
      only = argv[++i];
    else if (strcmp(argv[i], "--ideal") == 0)
      ideal = 1;
    else if (strcmp(argv[i], "--split") == 0)
      split = 1;
    else if (strcmp(argv[i], "--no-split") == 0)
      split = 0; /* the default; accepted for older command lines */
    else if (strcmp(argv[i], "--steady") == 0)
      xname = "steady";
    else if (strcmp(argv[i], "--tier") == 0)
      xname = "tier";
    else if (strcmp(argv[i], "--list") == 0)
      list = 1;
    else {
      fprintf(stderr,
              "usage: %s [--steady | --tier | --experiment NAME] [--out DIR] "
              "[--only LABEL] [--ideal] [--split] [--list] [--cases FILE]\n",
              argv[0]);
      open_usage(argv[0]);
      lockstep_usage(argv[0]);
      return 2;
    }
  }
  case_book book;
  cases_load_args(argc, argv, &book);
  const experiment *x = NULL;
  for (size_t i = 0; i < book.nx; i++)
    if (strcmp(book.x[i].name, xname) == 0) x = &book.x[i];
  if (!x) DIE("%s: no experiment %s", book.path, xname);
  if (list) {
    for (size_t k = 0; k < x->n_cases; k++)
      printf("%s\n", x->cases[k].label);
    cases_free(&book);
    return 0;
  }
  if (!dir) dir = x->dir;
  if (!ideal && !kv_gpu_available()) {
    printf("no CUDA device: skipped (--ideal runs without one)\n");
    return 77;
  }
  mkdir_p(dir); /* with its parents */
  kv_model m;
  kv_platform p;
  /* the GPU backend reads no platform constant (the name is printed); the
   * ideal backend times the steps with it */
  load_presets("h100-sxm-80gb", &m, &p);
  kv_workload w;
  make_workload(dir, x, &w);
  write_setup(dir, x, ideal ? "ideal" : "gpu");
  printf("validate_gpu %s: %s, %zu requests at t=0, prompts U[%u,%u], "
         "outputs U[%u,%u], seed %" PRIu64 "%s; kv_capacity %" PRIu64
         " MiB, host %" PRIu64 " MiB, preempt %s, max_batch_tokens %u, "
         "max_context %u (static, vmm), check %d%s; backend %s; files in %s\n",
         x->name, model_name, w.n, x->prompt_lo, x->prompt_hi, x->output_lo,
         x->output_hi, seed, x->prefix ? ", shared prefixes" : "",
         (uint64_t)(x->kv_capacity / MIB), (uint64_t)(x->host_bytes / MIB),
         x->preempt == KV_PREEMPT_SWAP ? "swap" : "recompute",
         x->max_batch_tokens, x->max_context, x->check_level,
         x->tier ? ", tier and prefix sharing on" : "", ideal ? "ideal" : "gpu",
         dir);

  /* appended to, so that each configuration may run in its own process
   * (--only): a CUDA fault in one leaves the others' rows */
  outputs o = {.dir = dir};
  o.summary = open_mode(dir, "summary.csv", "a");
  if (ftell(o.summary) == 0) {
    summary_header(o.summary);
    fprintf(o.summary, "\n");
  }
  o.desc = open_mode(dir, "backend.txt", "a");
  const char *extra = strcmp(x->name, "steady") == 0 ? "steady.csv"
                      : strcmp(x->name, "tier") == 0 ? "tier.csv"
                                                     : NULL;
  if (extra) {
    o.extra = open_mode(dir, extra, "a");
    if (ftell(o.extra) == 0) {
      if (strcmp(extra, "steady.csv") == 0)
        steady_header(o.extra);
      else
        tier_header(o.extra);
    }
  }
  int ran = 0;
  for (size_t i = 0; i < x->n_cases; i++) {
    if (only && strcmp(only, x->cases[i].label) != 0) continue;
    run_case(x, &x->cases[i], &m, &p, &w, ideal, split, &o);
    ran++;
  }
  close_out(o.summary, "summary.csv");
  close_out(o.desc, "backend.txt");
  if (o.extra) close_out(o.extra, extra);
  kv_workload_free(&w);
  if (!ran) DIE("--only %s: no such configuration", only);
  int zero = o.zero_counters;
  cases_free(&book);
  if (zero) {
    printf("validate_gpu --tier: %d tiering counters stayed 0\n", zero);
    return 3;
  }
  return 0;
}
