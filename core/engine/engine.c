/* engine.c - opening and closing an engine (see engine.h; the engine's
 * files and what each does are listed in engine_internal.h): the
 * configuration's checks, the KV capacity left by weights and activations,
 * the tensor-parallel rules, and kv_engine_open, which applies
 * max_model_len (reject or truncate) and checks every other request fits
 * the strategy alone; kv_engine_close summarises and tears down.
 * Entry points: kv_engine_open, kv_engine_close, kv_engine_cfg_defaults,
 * kv_engine_kv_capacity, kv_engine_check_tp, kv_engine_activation_bytes.
 */
#include "engine_internal.h"

/* KV tokens a request holds at its last step: every prompt token and every
 * output token but the last (whose KV is never written); a prefill-only
 * request holds its prompt. */
static uint64_t kv_need(uint32_t prompt, uint32_t output) {
  return output ? (uint64_t)prompt + output - 1 : prompt;
}

/* ---- public ---- */

void kv_engine_cfg_defaults(kv_engine_cfg *cfg) {
  memset(cfg, 0, sizeof *cfg);
  kv_strategy_cfg_defaults(&cfg->scfg);
  cfg->tp = 1;
  cfg->gpu_mem_util = 0.9;
  cfg->max_num_seqs = 256;
  cfg->max_batch_tokens = 8192;
  cfg->preempt = KV_PREEMPT_RECOMPUTE;
  cfg->timeline_interval = 1.0;
  cfg->check_level = 0;
  cfg->seed = 1;
  cfg->progress_every = 10.0;
  cfg->watermark = 0.01;
  cfg->prefix_generated = true;
}

void kv_result_free(kv_result *r) {
  if (!r) return;
  kv_timeline_free(&r->timeline);
  free(r->requests);
  r->requests = NULL;
  r->n_requests = 0;
}

/* Activation memory vLLM-style profiling would reserve: the step's tokens
 * times the widest per-token intermediates (hidden in/out, MLP up/gate). */
static double activation_bytes(const kv_model *m, uint32_t batch_tokens) {
  return (double)batch_tokens * (4.0 * m->hidden + 2.0 * m->intermediate) *
         m->weight_bytes;
}

double kv_engine_activation_bytes(const kv_engine_cfg *cfg) {
  return activation_bytes(cfg->model, cfg->max_batch_tokens) /
         (cfg->tp ? cfg->tp : 1);
}

kv_status kv_engine_kv_capacity(const kv_engine_cfg *cfg, uint64_t *out,
                                kv_error *err) {
  const kv_platform *p = cfg->platform;
  const kv_model *m = cfg->model;
  uint32_t tp = cfg->tp ? cfg->tp : 1;
  if (cfg->kv_capacity) {
    *out = cfg->kv_capacity;
    return KV_OK;
  }
  if (!(cfg->gpu_mem_util > 0 && cfg->gpu_mem_util <= 1))
    return kv_error_set(err, KV_EINVAL,
                        "gpu_mem_util must be in (0, 1] (got %g)",
                        cfg->gpu_mem_util);
  double usable = (double)p->hbm_bytes * cfg->gpu_mem_util;
  double weights = kv_model_weight_bytes(m) / tp;
  double act = activation_bytes(m, cfg->max_batch_tokens) / tp;
  double kv = usable - weights - act;
  if (kv <= 0)
    return kv_error_set(
        err, KV_ENOMEM,
        "model %s does not fit on %s with tp=%u: weights %.1f GB + "
        "activations %.1f GB per GPU exceed %.1f GB usable (gpu_mem_util "
        "%.2f)",
        m->name, p->name, tp, weights / 1e9, act / 1e9, usable / 1e9,
        cfg->gpu_mem_util);
  *out = (uint64_t)kv;
  return KV_OK;
}

kv_status kv_engine_check_tp(const kv_model *m, const kv_platform *p,
                             uint32_t tp, kv_error *err) {
  uint32_t gpus = p->gpus_per_server * p->servers;
  if (tp == 0 || tp > gpus)
    return kv_error_set(err, KV_EINVAL,
                        "tp must be in 1..%u, the GPUs of platform '%s' (%u "
                        "servers x %u) (got %u)",
                        gpus, p->name, p->servers, p->gpus_per_server, tp);
  if (m->heads % tp)
    return kv_error_set(err, KV_EINVAL,
                        "tp %u must divide the %u attention heads of model %s",
                        tp, m->heads, m->name);
  /* KV heads are split over tp GPUs, or replicated when tp exceeds them
   * (each GPU then holds one); MLA's latent is on every GPU */
  if (!m->mla_latent &&
      (tp <= m->kv_heads ? m->kv_heads % tp : tp % m->kv_heads))
    return kv_error_set(err, KV_EINVAL,
                        "tp %u and the %u KV heads of model %s: one must "
                        "divide the other (KV heads are split over the GPUs, "
                        "or replicated when there are more GPUs than heads)",
                        tp, m->kv_heads, m->name);
  return KV_OK;
}

static kv_status check_cfg(const kv_engine_cfg *cfg, kv_error *err) {
  if (!cfg->model || !cfg->platform || !cfg->workload || !cfg->strategy)
    return kv_error_set(err, KV_EINVAL,
                        "engine needs a model, a platform, a workload and a "
                        "strategy");
  kv_status s;
  if ((s = kv_model_validate(cfg->model, err)) != KV_OK) return s;
  if ((s = kv_platform_validate(cfg->platform, err)) != KV_OK) return s;
  if (cfg->long_prompt != KV_LONG_REJECT &&
      cfg->long_prompt != KV_LONG_TRUNCATE)
    return kv_error_set(err, KV_EINVAL,
                        "long_prompt must be reject or "
                        "truncate (got %d)",
                        (int)cfg->long_prompt);
  if (cfg->max_num_seqs == 0)
    return kv_error_set(err, KV_EINVAL, "max_num_seqs must be >= 1");
  if (!(isfinite(cfg->client_timeout) && cfg->client_timeout >= 0))
    return kv_error_set(err, KV_EINVAL,
                        "client_timeout must be a finite number of seconds "
                        ">= 0 (got %g)",
                        cfg->client_timeout);
  if (!(cfg->watermark >= 0 && cfg->watermark < 1))
    return kv_error_set(err, KV_EINVAL, "watermark must be in [0, 1) (got %g)",
                        cfg->watermark);
  if (cfg->max_batch_tokens == 0)
    return kv_error_set(err, KV_EINVAL, "max_batch_tokens must be >= 1");
  const kv_overheads *o = &cfg->overheads;
  const struct {
    const char *name;
    double v;
  } oh[] = {{"step", o->step},
            {"per_seq", o->per_seq},
            {"per_token", o->per_token},
            {"per_prefill_token", o->per_prefill_token},
            {"admit", o->admit},
            {"finish", o->finish},
            {"request", o->request},
            {"per_worker", o->per_worker},
            {"eager_per_layer", o->eager_per_layer},
            {"per_output", o->per_output},
            {"layer_fixed", o->layer_fixed}};
  for (size_t i = 0; i < sizeof oh / sizeof *oh; i++)
    if (!(isfinite(oh[i].v) && oh[i].v >= 0))
      return kv_error_set(err, KV_EINVAL,
                          "overheads.%s must be a finite number of seconds "
                          ">= 0 (got %g)",
                          oh[i].name, oh[i].v);
  if (o->per_output > 0 && !o->serial_intake)
    return kv_error_set(err, KV_EINVAL,
                        "overheads.per_output needs serial_intake (the "
                        "front end's output work delays only requests it "
                        "takes one at a time)");
  if (o->ordered_output && !(o->per_output > 0))
    return kv_error_set(err, KV_EINVAL,
                        "overheads.ordered_output needs per_output > 0 (the "
                        "seconds the front end spends on each token it "
                        "streams)");
  if (o->late_release && !o->schedule_ahead)
    return kv_error_set(err, KV_EINVAL,
                        "overheads.late_release needs schedule_ahead (a seat "
                        "is freed late only when the next step was "
                        "scheduled before the last one ended)");
  if (o->eager_overlap && !o->schedule_ahead)
    return kv_error_set(
        err, KV_EINVAL,
        "overheads.eager_overlap needs schedule_ahead (launches "
        "overlap the previous step only under asynchronous "
        "scheduling)");
  if ((s = kv_engine_check_tp(cfg->model, cfg->platform, cfg->tp, err)) !=
      KV_OK)
    return s;
  if (cfg->timeline_interval < 0)
    return kv_error_set(err, KV_EINVAL, "timeline_interval must be >= 0");
  if (cfg->workload->n == 0)
    return kv_error_set(err, KV_EINVAL, "workload %s has no requests",
                        cfg->workload->source);
  if (cfg->workload->n > UINT32_MAX - 1)
    return kv_error_set(err, KV_EINVAL, "workload too large");
  const kv_strategy_vt *vt = cfg->strategy;
  if (cfg->tier) {
    if (!vt->evict || !vt->reload || !vt->host_blocks)
      return kv_error_set(err, KV_EINVAL,
                          "tier: strategy %s cannot evict single blocks to "
                          "the host tier (indirect can)",
                          vt->name);
    if (cfg->scfg.host_bytes == 0)
      return kv_error_set(err, KV_EINVAL, "tier needs host_bytes > 0");
  }
  if (cfg->prefix_sharing) {
    const kv_workload *w = cfg->workload;
    if (!vt->prefix_attach || !vt->prefix_publish)
      return kv_error_set(err, KV_EINVAL,
                          "prefix_sharing: strategy %s does not share blocks "
                          "(paged and indirect do; docs/tiering.md says why "
                          "vmm and static do not)",
                          vt->name);
    if (w->n_hashes == 0 || w->hash_block_tokens == 0)
      return kv_error_set(err, KV_EINVAL,
                          "prefix_sharing: workload %s has no prefix hash ids "
                          "(a Mooncake trace has them)",
                          w->source);
    if (cfg->scfg.block_tokens == 0 ||
        w->hash_block_tokens % cfg->scfg.block_tokens != 0 ||
        w->hash_block_tokens / cfg->scfg.block_tokens > 65536)
      return kv_error_set(err, KV_EINVAL,
                          "prefix_sharing: block_tokens %u must divide the "
                          "workload's hash block of %u tokens (a synthetic "
                          "workload: set prefix.block to a multiple of "
                          "block_tokens)",
                          cfg->scfg.block_tokens, w->hash_block_tokens);
    for (size_t i = 0; i < w->n; i++) {
      const kv_request_spec *q = &w->reqs[i];
      if (q->gen_n && (q->hash_n < q->prompt / w->hash_block_tokens ||
                       q->hash_off + q->hash_n + q->gen_n > w->n_hash_bytes))
        return kv_error_set(err, KV_EINVAL,
                            "prefix_sharing: request %zu's %u prompt and %u "
                            "output hash ids do not fit the workload's %zu "
                            "ids or its %u-token prompt",
                            i, q->hash_n, q->gen_n, w->n_hashes, q->prompt);
    }
  }
  if (cfg->offload_bytes && !cfg->prefix_sharing)
    return kv_error_set(err, KV_EINVAL,
                        "offload_bytes: the host keeps a copy of the prefix "
                        "cache, so it needs prefix_sharing");
  if (cfg->offload_bytes && cfg->backend &&
      (cfg->backend->flags & KV_BACKEND_NEEDS_RUNS))
    return kv_error_set(err, KV_EINVAL,
                        "offload_bytes: simulated only (the %s backend "
                        "copies real blocks, and the host's copy of the "
                        "prefix cache has none)",
                        cfg->backend->vt->name);
  return KV_OK;
}

/* Free what kv_engine_open allocated (the result's arrays excepted). */
static void engine_free(engine *e) {
  kv_ops_free(&e->ops);
  free(e->reqs);
  free(e->fe_ready);
  free(e->running);
  free(e->wq);
  free(e->pv);
  free(e->keys);
  free(e->fill);
  free(e->ids);
  free(e->gen_bits);
  engine_offload_free(e);
  if (e->own_backend) e->own_backend->vt->destroy(e->own_backend);
  free(e);
}

kv_status kv_engine_open(const kv_engine_cfg *cfg, kv_result *out,
                         kv_engine **eng, kv_error *err) {
  *eng = NULL;
  memset(out, 0, sizeof *out);
  kv_status s = check_cfg(cfg, err);
  if (s != KV_OK) return s;

  const kv_workload *w = cfg->workload;
  engine *e = kv_xcalloc(1, sizeof *e);
  e->cfg = cfg;
  e->err = err;
  e->res = out;
  e->vt = cfg->strategy;
  e->n = w->n;
  e->step_start = e->step_end = -1;
  e->fe_free = -INFINITY;
  if (cfg->overheads.serial_intake)
    e->fe_ready = kv_xcalloc(e->n ? e->n : 1, sizeof *e->fe_ready);
  engine_note_next_ready(e);
  e->mode = e->vt->addr_mode; /* the strategy says how kernels read it */

  kv_strategy_cfg scfg = cfg->scfg; /* copied to e->scfg_own below */
  scfg.model = cfg->model;
  scfg.tp = cfg->tp;
  scfg.max_requests = (uint32_t)w->n;
  scfg.prefix_cache = cfg->prefix_sharing;
  scfg.max_context = kv_strategy_max_context(&scfg);
  e->max_ctx = scfg.max_context;
  e->tier = cfg->tier;
  e->prefix = cfg->prefix_sharing;
  e->pol = cfg->policy ? cfg->policy : &kv_policy_default;
  e->tr = &out->tier;
  if ((s = kv_engine_kv_capacity(cfg, &scfg.capacity_bytes, err)) != KV_OK) {
    free(e);
    return s;
  }
  e->scfg_own = scfg;
  e->scfg = &e->scfg_own;
  e->bpt = kv_strategy_bytes_per_token(&scfg);
  e->bpt_full = kv_strategy_bytes_per_token_full(&scfg);
  e->bpt_win = kv_strategy_bytes_per_token_window(&scfg);
  e->window = kv_strategy_window(&scfg);

  e->backend = cfg->backend;
  if (!e->backend) {
    e->own_backend =
        kv_backend_ideal_create(cfg->platform, cfg->model, cfg->tp, err);
    if (!e->own_backend) {
      free(e);
      return err ? err->code : KV_EINVAL;
    }
    e->backend = e->own_backend;
  }

  kv_ops_init(&e->ops, (e->backend->flags & KV_BACKEND_NEEDS_RUNS) != 0);
  if ((s = e->vt->create(e->scfg, &e->st, &e->ops, err)) != KV_OK) {
    kv_error_prefix(err, "strategy %s: ", e->vt->name);
    engine_free(e);
    return s;
  }
  e->max_req_tok = e->vt->max_request_tokens(e->st);

  /* One rule for every strategy, as a serving engine applies
   * max_model_len: a request whose prompt + output exceed the max context
   * is rejected on arrival (or its prompt truncated). Every other request
   * must fit the strategy alone on the GPU: if one cannot, the strategies
   * would serve different workloads, so the run stops here. */
  e->reqs = kv_xcalloc(w->n, sizeof *e->reqs);
  out->requests = kv_xcalloc(w->n, sizeof *out->requests);
  out->n_requests = w->n;
  uint64_t worst = 0;
  size_t worst_i = 0;
  for (size_t i = 0; i < w->n; i++) {
    uint32_t prompt = w->reqs[i].prompt, output = w->reqs[i].output;
    kv_request_result *rr = &out->requests[i];
    *rr = (kv_request_result){
        .arrival = w->reqs[i].arrival,
        .first_token = -1,
        .finish = -1,
        .prompt = prompt,
        .output = output,
    };
    e->reqs[i].state = RS_FUTURE;
    e->reqs[i].output = output;
    if ((uint64_t)prompt + output > e->max_ctx) {
      if (cfg->long_prompt == KV_LONG_TRUNCATE && output < e->max_ctx) {
        rr->truncated = prompt - (e->max_ctx - output);
        prompt = e->max_ctx - output;
        out->summary.truncated++;
      } else {
        rr->rejected = KV_REJECT_TOO_LONG; /* at arrival */
      }
    }
    e->reqs[i].prompt = prompt;
    uint64_t need = kv_need(prompt, output);
    if (!rr->rejected && need > worst) {
      worst = need;
      worst_i = i;
    }
  }
  if (worst > e->max_req_tok) {
    s = kv_error_set(
        err, KV_ENOMEM,
        "GPU too small: strategy %s can hold at most %llu tokens for one "
        "request in %.3f GB of KV memory, but request %zu needs %llu (max "
        "context %u): give it more memory or a smaller max_context",
        e->vt->name, (unsigned long long)e->max_req_tok,
        (double)scfg.capacity_bytes / 1e9, worst_i, (unsigned long long)worst,
        e->max_ctx);
    kv_result_free(out);
    e->vt->destroy(e->st, &e->ops);
    engine_free(e);
    return s;
  }
  if (e->prefix && (s = engine_offload_init(e)) != KV_OK) {
    kv_result_free(out);
    e->vt->destroy(e->st, &e->ops);
    engine_free(e);
    return s;
  }
  e->running = kv_xmalloc(w->n * sizeof *e->running);
  if (e->prefix) engine_gen_ids_init(e);
  snprintf(out->strategy, sizeof out->strategy, "%s", e->vt->name);
  e->backend->vt->describe(e->backend, out->backend, sizeof out->backend);
  out->seed = cfg->seed;
  *eng = e;
  return KV_OK;
}

kv_status kv_engine_close(kv_engine *e, kv_status s) {
  s = engine_summary(e, s);
  /* teardown: release whatever is still held (interrupted runs) */
  kv_ops_clear(&e->ops);
  for (size_t i = 0; i < e->n_running; i++)
    e->vt->release(e->st, e->running[i], &e->ops);
  e->vt->destroy(e->st, &e->ops);
  engine_free(e);
  return s;
}
