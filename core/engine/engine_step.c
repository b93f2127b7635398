/* engine_step.c - one step: the forward pass's COMPUTE op (FLOPs, HBM
 * bytes, the engine's CPU time) and the ATTN_READ ops, the backend's step,
 * then the commit of the scheduled tokens (sampling, finishing, publishing
 * prefix blocks) and the step's metrics (summary accumulators, timeline,
 * op counts). The per-request loops here run every step: they read e once.
 * Entry point: engine_execute.
 */
#include "engine_internal.h"

/* kv_strategy_used_bytes with the geometry cached (it runs per request
 * per step) */
static uint64_t used_bytes(const engine *e, uint64_t tokens) {
  uint64_t wt = e->window && tokens > e->window ? e->window : tokens;
  return tokens * e->bpt_full + wt * e->bpt_win;
}

/* The model's attention geometry, as doubles, read once per step: the
 * pairs below run per request per step. */
typedef struct attn_geom {
  double layers, lw, w; /* layers, windowed layers, window (tokens) */
} attn_geom;

static attn_geom attn_geom_of(const kv_model *m) {
  return (attn_geom){.layers = m->layers,
                     .lw = kv_model_window_layers(m),
                     .w = m->sliding_window};
}

/* (query, key) pairs of k new tokens after c cached ones, averaged over
 * the layers: causal, token j sees c + j keys, at most the window in the
 * windowed layers. */
static double attn_pairs(const attn_geom *g, double c, double k) {
  double full = k * (c + (k + 1) / 2.0);
  double lw = g->lw, w = g->w;
  if (lw == 0 || c + k <= w) return full;
  double win; /* sum over j = 1..k of min(c + j, w) */
  if (c >= w) {
    win = k * w;
  } else {
    double a = w - c; /* tokens that still see fewer than w keys */
    win = a * (c + (a + 1) / 2.0) + (k - a) * w;
  }
  return ((g->layers - lw) * full + lw * win) / g->layers;
}

/* Whether request r completes when its scheduled tokens are committed
 * (the rule commit() applies). */
static bool completes(const req *r) {
  return r->sched && r->computed + r->sched == target_tokens(r) &&
         (r->output == 0 || r->generated + 1 >= r->output);
}

/* Workers beyond the first of a tp group that per_worker counts: tp - 1,
 * tp capped at max_tp when it is set. */
static uint32_t extra_workers(uint32_t tp, uint32_t max_tp) {
  if (max_tp && tp > max_tp) tp = max_tp;
  return tp > 1 ? tp - 1 : 0;
}

/* The engine's CPU seconds in the step (kv_overheads). */
static double step_cpu(const engine *e, double new_tok, uint32_t decodes) {
  const kv_overheads *o = &e->cfg->overheads;
  return o->step + o->per_seq * (double)e->n_running + o->per_token * new_tok +
         o->per_prefill_token * (new_tok - decodes) +
         o->admit * e->step_admits + o->finish * e->step_done +
         o->per_worker *
             (double)extra_workers(e->cfg->tp, o->per_worker_max_tp);
}

/* The step's forward pass: FLOPs and HBM bytes (weights + KV read), and
 * the engine's CPU time around it. */
static void push_compute(engine *e, double *batch_tokens) {
  const kv_model *m = e->cfg->model;
  double new_tok = 0, pairs = 0, kv_read = 0, dkeys = 0;
  uint32_t decodes = 0;
  if (e->tier || e->prefix) /* per-request reads, for ordering checks */
    for (size_t i = 0; i < e->n_running; i++) {
      const req *r = &e->reqs[e->running[i]];
      if (!r->sched) continue;
      kv_op *a = kv_ops_push(&e->ops, KV_OP_ATTN_READ, e->running[i]);
      a->bytes = used_bytes(e, r->computed + r->sched);
      a->mode = (uint8_t)e->mode;
    }
  /* this loop runs per request per step: what it reads of e and the model
   * is read once, into locals */
  const req *reqs = e->reqs;
  const uint32_t *running = e->running;
  size_t n_running = e->n_running;
  attn_geom geom = attn_geom_of(m);
  double tp = e->cfg->tp;
  uint32_t done = 0, logits = 0;
  for (size_t i = 0; i < n_running; i++) {
    const req *r = &reqs[running[i]];
    if (!r->sched) continue;
    double c = r->computed, k = r->sched;
    new_tok += k;
    logits++; /* the LM head runs on each request's last token */
    done += completes(r);
    double pr = attn_pairs(&geom, c, k);
    pairs += pr;
    if (k == 1 && r->generated > 0) {
      decodes++;
      dkeys += pr;
    }
    kv_read += (double)used_bytes(e, r->computed + r->sched) * tp;
  }
  e->step_done = done;
  kv_op *op = kv_ops_push(&e->ops, KV_OP_COMPUTE, KV_NO_REQ);
  op->flops = kv_model_flops(m, new_tok, logits, pairs);
  /* FP8 weights on FP8 tensor cores (vLLM quantizes the activations too):
   * the GEMMs at the platform's FP8 rate, counted here in bf16 FLOPs */
  double fp8 = e->cfg->platform->fp8_gemm_speedup;
  if (m->weight_bytes == 1 && fp8 > 1) {
    double attn = kv_model_attn_flops(m, pairs);
    op->flops = attn + (op->flops - attn) / fp8;
  }
  op->bytes = (uint64_t)(kv_model_step_weight_bytes(m, new_tok) + kv_read);
  op->kv_bytes = (uint64_t)kv_read; /* priced by the addressing mode */
  op->count = e->mode == KV_ADDR_CONTIGUOUS ? 0 : e->cfg->scfg.block_tokens;
  op->mode = (uint8_t)e->mode;
  op->cpu_time = step_cpu(e, new_tok, decodes);
  const kv_overheads *oh = &e->cfg->overheads;
  e->next_busy = op->cpu_time;
  if (oh->eager_per_layer > 0 && oh->graph_max_tokens &&
      new_tok > oh->graph_max_tokens) {
    double launch = oh->eager_per_layer * (double)m->layers;
    /* asynchronous scheduling: launched while the previous step ran, from
     * the moment the host was done with that one (its CPU time and
     * launches) */
    if (oh->eager_overlap && e->step_end == now(e) && e->host_free > 0)
      launch -= e->host_free;
    op->launch_time = launch > 0 ? launch : 0;
    e->next_busy += op->launch_time;
  }
  op->fixed_time = oh->layer_fixed * (double)m->layers;
  op->tokens = (uint32_t)new_tok;
  op->decodes = decodes;
  op->decode_keys = dkeys;
  op->prefill_pairs = pairs - dkeys;
  if (e->cfg->overheads.overlap) op->flags |= KV_OPF_CPU_OVERLAP;
  e->step_admits = 0;
  *batch_tokens = new_tok;
}

/* Commit scheduled tokens after the step; finish requests. This loop runs
 * per request per step: e's arrays and the step number are read once (the
 * strategy calls cannot change them), and the token counts are summed as
 * integers and added to the summary's doubles once (exact either way: the
 * sums stay far below 2^53). A request's result is touched when its first
 * token comes and when it finishes, not per token: its `generated` is
 * written then, and for unfinished requests by engine_summary. */
static void commit(engine *e, double t) {
  size_t w = 0;
  kv_summary *sum = &e->res->summary;
  uint32_t *running = e->running;
  req *reqs = e->reqs;
  kv_request_result *results = e->res->requests;
  size_t n_running = e->n_running;
  uint64_t step = (uint64_t)sum->steps + 1;
  uint64_t prompt_tokens = 0, generated = 0, completed = 0;
  /* The step's tokens are the front end's work from now (per_output each,
   * after the requests that arrived before; serial_intake), and each
   * reaches the client at the step's end or (ordered_output) when the front
   * end has streamed it, after the step's earlier tokens. */
  double out_at = t, out_each = 0;
  if (e->fe_ready) {
    engine_front_end_advance(e, t);
    if (e->cfg->overheads.ordered_output) {
      out_at = KV_MAX(e->fe_free, t);
      out_each = e->cfg->overheads.per_output;
    }
  }
  for (size_t i = 0; i < n_running; i++) {
    uint32_t id = running[i];
    req *r = &reqs[id];
    kv_request_result *rr = &results[id];
    if (r->sched) {
      /* a decode computes exactly the last sampled token; everything
       * else is prefill (or recomputation after preemption) */
      uint32_t before = r->computed;
      r->computed += r->sched;
      uint32_t decoded =
          (r->generated > 0 && r->sched == 1 && before + 1 == target_tokens(r))
              ? 1
              : 0;
      prompt_tokens += r->sched - decoded;
      r->sched = 0;
      r->last_step = step;
      if (e->prefix && !rr->truncated) {
        uint32_t n = 0;
        if (gen_keyed(e, id)) {
          /* prompt blocks while prefilling, then each block the output
           * fills up to the last one the workload names */
          const kv_workload *wl = e->cfg->workload;
          const kv_request_spec *q = &wl->reqs[id];
          uint32_t bt = e->cfg->scfg.block_tokens, hb = wl->hash_block_tokens;
          uint64_t end = (uint64_t)(q->prompt / hb + q->gen_n) * hb;
          if (before < r->prompt ||
              (before < end && r->computed / bt > before / bt))
            n = engine_gen_keys(e, id, r->computed);
        } else if (before < r->prompt) {
          n = engine_req_keys(e, id, r->computed);
        }
        if (n) e->vt->prefix_publish(e->st, id, e->keys, e->fill, n);
        if (n && e->off_on) {
          uint32_t bt = e->cfg->scfg.block_tokens;
          engine_offload_store(e, id, before / bt, KV_MIN(n, r->computed / bt));
        }
      }
      if (r->computed == target_tokens(r) && r->output == 0) {
        /* prefill-only: done once the prompt is in the cache */
        rr->first_token = rr->finish = t;
        r->state = RS_DONE;
        e->finished++;
        completed++;
        e->vt->release(e->st, id, &e->ops);
        continue;
      }
      if (r->computed == target_tokens(r)) {
        r->generated++;
        generated++;
        double at = out_at + out_each * (double)generated;
        if (r->generated == 1) rr->first_token = at;
        if (r->generated >= r->output) {
          rr->generated = r->generated;
          rr->finish = at;
          r->state = RS_DONE;
          e->finished++;
          completed++;
          e->vt->release(e->st, id, &e->ops);
          continue;
        }
      }
    }
    running[w++] = id;
  }
  e->n_running = w;
  e->last_completed = (uint32_t)completed;
  double work = e->cfg->overheads.per_output * (double)generated;
  if (e->fe_ready && work > 0) e->fe_free = KV_MAX(e->fe_free, t) + work;
  sum->prompt_tokens += (double)prompt_tokens;
  sum->generated_tokens += (double)generated;
  sum->completed += (double)completed;
}

/* Memory the step held: measured before commit releases what finished in
 * it, so a request that completes in the step that admitted it counts. */
static void step_mem(const engine *e, kv_mem_stats *ms) {
  uint64_t next = 0;
  if (e->wq_len) {
    const req *h = &e->reqs[wq_front(e)];
    next = target_tokens(h);
  }
  e->vt->stats(e->st, next, ms);
}

static void record(engine *e, const kv_step_time *tm, const kv_mem_stats *msp,
                   uint32_t running, double t, double batch_tokens) {
  kv_summary *sum = &e->res->summary;
  kv_mem_stats ms = *msp;
  double dt = tm->total;
  double util = ms.backed ? (double)ms.used / (double)ms.backed : 0.0;

  sum->steps++;
  if (tm->compute_table == KV_COMPUTE_TABLE)
    sum->compute_steps_table++;
  else
    sum->compute_steps_roofline++;
  if (tm->compute_table == KV_COMPUTE_ATTN_TABLE)
    sum->compute_steps_attn_table++;
  sum->compute_time += tm->compute;
  sum->cpu_time += tm->cpu;
  sum->op_time_critical += tm->op_critical;
  sum->driver_time_critical += tm->driver_critical;
  sum->driver_time_hidden += tm->driver_hidden;
  for (int k = 0; k < KV_OP__COUNT; k++)
    sum->op_time[k] += tm->by_kind[k];
  e->batch_sum += (double)running;
  if ((double)running > sum->batch_peak) sum->batch_peak = (double)running;
  if ((double)ms.used > sum->used_peak) sum->used_peak = (double)ms.used;
  if ((double)ms.backed > sum->backed_peak) {
    sum->backed_peak = (double)ms.backed;
    sum->util_at_peak = util;
  }
  if ((double)ms.reserved_va > sum->reserved_va_peak)
    sum->reserved_va_peak = (double)ms.reserved_va;
  if ((double)ms.metadata > sum->metadata_peak)
    sum->metadata_peak = (double)ms.metadata;
  e->w_time += dt;
  if (ms.backed) {
    e->w_util_time += dt;
    e->w_util += dt * util;
  }
  e->w_used += dt * (double)ms.used;
  e->w_backed += dt * (double)ms.backed;
  e->w_int += dt * (double)ms.internal_frag;
  e->w_ext += dt * (double)ms.external_frag;
  sum->capacity = (double)ms.capacity;

  if (t >= e->next_sample) {
    kv_sample s = {
        .t = t,
        .step = sum->steps,
        .running = (double)running,
        .waiting = (double)e->wq_len,
        .batch_tokens = batch_tokens,
        .used = (double)ms.used,
        .backed = (double)ms.backed,
        .internal_frag = (double)ms.internal_frag,
        .external_frag = (double)ms.external_frag,
        .reserved_va = (double)ms.reserved_va,
        .metadata = (double)ms.metadata,
        .util = util,
        .step_time = dt,
        .op_time = tm->op_critical,
    };
    kv_timeline_push(&e->res->timeline, &s);
    double iv = e->cfg->timeline_interval;
    e->next_sample = iv > 0 ? (floor(t / iv) + 1) * iv : t;
  }
}

static void count_ops(engine *e) {
  kv_summary *sum = &e->res->summary;
  for (size_t i = 0; i < e->ops.n; i++) {
    const kv_op *op = &e->ops.ops[i];
    if (op->kind == KV_OP_COMPUTE) {
      sum->op_count[KV_OP_COMPUTE] += 1;
      continue;
    }
    sum->op_count[op->kind] += op->count ? op->count : 1;
    sum->vmm_calls += kv_op_driver_calls(op);
    if (op->kind == KV_OP_VMM_RESERVE || op->kind == KV_OP_VMM_FREE_VA)
      sum->vmm_calls += op->count ? 0 : 1;
    if (op->kind == KV_OP_COPY) {
      sum->copy_runs += op->count;
      if (op->dir == KV_COPY_H2D) sum->copy_bytes_h2d += (double)op->bytes;
      if (op->dir == KV_COPY_D2H) sum->copy_bytes_d2h += (double)op->bytes;
      if (op->dir == KV_COPY_D2D) sum->copy_bytes_d2d += (double)op->bytes;
    }
    if (op->kind == KV_OP_TABLE_WRITE) sum->table_entries += op->count;
  }
}

/* Execute what is in e->ops (plus compute if `compute`) as one step. */
kv_status engine_execute(engine *e, int compute) {
  double batch_tokens = 0;
  if (compute) push_compute(e, &batch_tokens);
  if (e->ops.n == 0) return KV_OK;
  kv_step_time tm;
  kv_status s = e->backend->vt->step(e->backend, &e->ops, &tm, e->err);
  if (s != KV_OK) return s;
  count_ops(e);
  kv_ops_clear(&e->ops);
  double t = now(e);
  if (compute) {
    kv_mem_stats ms;
    step_mem(e, &ms);
    uint32_t running = (uint32_t)e->n_running;
    size_t finished = e->finished;
    commit(e, t);
    if (e->cfg->check_level >= 2 && e->finished - finished != e->step_done)
      return kv_error_set(e->err, KV_EINTERNAL,
                          "engine invariant: step %.0f completed %zu "
                          "requests, its CPU time charged %u",
                          e->res->summary.steps, e->finished - finished,
                          e->step_done);
    /* releases done by commit are executed with the next step's ops */
    record(e, &tm, &ms, running, t, batch_tokens);
  }
  return KV_OK;
}
