/* workload_synth.c - synthetic request streams: Poisson or bursty (gamma)
 * arrivals, fixed / uniform / lognormal / empirical lengths, shared-prefix
 * groups with prefix hash ids (single requests, a pool of prompts, or
 * multi-turn conversations), multi-turn sessions with think times (the
 * conversations' hash layout, sessions arriving as the arrival process
 * says). The presets fitted to the Azure and Mooncake traces are in
 * workload_preset.c.
 * Main entry point: kv_workload_synthetic().
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "workload.h"

#define SYNTH_MAX_REQUESTS 100000000.0 /* 1e8: keeps memory < 3 GB */

#define PREFIX_DEFAULT_BLOCK 16
#define PREFIX_MAX_BLOCK (1u << 20)
#define PREFIX_MAX_GROUPS (1u << 24)
#define PREFIX_MAX_SLOTS (1u << 26)
#define PREFIX_MAX_HASHES ((size_t)1 << 28) /* 1 GiB of hash ids */

/* ---- sampling ---------------------------------------------------------- */

/* Gamma(shape, 1) by Marsaglia & Tsang (2000); shapes below 1 use the
 * boost Gamma(k) = Gamma(k+1) * U^(1/k), computed in logs so that very
 * small shapes (cv 13 -> k = 0.006) underflow gracefully to 0. */
static double gamma_sample(kv_rng *r, double shape) {
  double boost_log = 0.0;
  if (shape < 1.0) {
    double u = kv_rng_uniform(r);
    if (u < 1e-300) u = 1e-300;
    boost_log = log(u) / shape;
    shape += 1.0;
  }
  double d = shape - 1.0 / 3.0, c = 1.0 / sqrt(9.0 * d), v;
  for (;;) {
    double x;
    do {
      x = kv_rng_normal(r);
      v = 1.0 + c * x;
    } while (v <= 0.0);
    v = v * v * v;
    double u = kv_rng_uniform(r);
    if (u < 1.0 - 0.0331 * x * x * x * x) break;
    if (u > 0 && log(u) < 0.5 * x * x + d * (1.0 - v + log(v))) break;
  }
  return exp(log(d * v) + boost_log);
}

static double next_gap(const kv_synth_cfg *cfg, kv_rng *r) {
  if (cfg->arrival == KV_ARRIVAL_POISSON) return kv_rng_exp(r, cfg->rate);
  double k = 1.0 / (cfg->cv * cfg->cv);
  return gamma_sample(r, k) / (cfg->rate * k);
}

/* Lengths are >= 1, except output lengths of a distribution that asks
 * for 0 (fixed 0, uniform from 0, empirical 0s): prefill-only requests. */
static uint32_t draw_len(const kv_len_dist *d, kv_rng *r) {
  double x = 0;
  switch (d->kind) {
  case KV_LEN_FIXED: x = d->a; break;
  case KV_LEN_UNIFORM: {
    uint64_t lo = (uint64_t)llround(d->a), hi = (uint64_t)llround(d->b);
    x = (double)(lo + kv_rng_below(r, hi - lo + 1));
    break;
  }
  case KV_LEN_LOGNORMAL: {
    /* moments (mean a, std b) -> mu, sigma of the underlying normal */
    double s2 = log1p((d->b / d->a) * (d->b / d->a));
    double mu = log(d->a) - 0.5 * s2;
    x = exp(mu + sqrt(s2) * kv_rng_normal(r));
    break;
  }
  case KV_LEN_EMPIRICAL: x = d->values[kv_rng_below(r, d->n_values)]; break;
  }
  x = floor(x + 0.5);
  double lo = d->min > 1 ? d->min : 1;
  if (!d->min && d->a < 1 && d->kind != KV_LEN_LOGNORMAL) lo = 0;
  double hi = d->max ? d->max : (double)UINT32_MAX;
  if (!(x >= lo)) x = lo; /* also catches NaN */
  if (x > hi) x = hi;
  return (uint32_t)x;
}

/* ---- validation -------------------------------------------------------- */

static kv_status check_len(const kv_len_dist *d, const char *which, double lo,
                           kv_error *err) {
  switch (d->kind) {
  case KV_LEN_FIXED:
  case KV_LEN_LOGNORMAL:
    if (d->kind == KV_LEN_LOGNORMAL) lo = 1;
    if (!(d->a >= lo) || !isfinite(d->a) || d->a > UINT32_MAX)
      return kv_error_set(err, KV_EINVAL,
                          "synthetic field '%s.a' must be in [%g, 2^32) (got "
                          "%g)",
                          which, lo, d->a);
    if (d->kind == KV_LEN_LOGNORMAL && (!(d->b >= 0) || !isfinite(d->b)))
      return kv_error_set(err, KV_EINVAL,
                          "synthetic field '%s.b' (std) must be >= 0 (got %g)",
                          which, d->b);
    break;
  case KV_LEN_UNIFORM:
    if (!(d->a >= lo) || !isfinite(d->a) || d->a > UINT32_MAX)
      return kv_error_set(err, KV_EINVAL,
                          "synthetic field '%s.a' must be in [%g, 2^32) (got "
                          "%g)",
                          which, lo, d->a);
    if (!(d->b >= d->a) || d->b > UINT32_MAX)
      return kv_error_set(err, KV_EINVAL,
                          "synthetic field '%s.b' must be in [a = %g, 2^32) "
                          "(got %g)",
                          which, d->a, d->b);
    break;
  case KV_LEN_EMPIRICAL:
    if (!d->values || d->n_values == 0)
      return kv_error_set(err, KV_EINVAL,
                          "synthetic field '%s.values' must hold at least one "
                          "length",
                          which);
    for (size_t i = 0; i < d->n_values; i++)
      if (d->values[i] < lo)
        return kv_error_set(err, KV_EINVAL,
                            "synthetic field '%s.values[%zu]' must be >= %g "
                            "(got %u)",
                            which, i, lo, (unsigned)d->values[i]);
    break;
  default:
    return kv_error_set(err, KV_EINVAL,
                        "synthetic field '%s.kind' is not a length "
                        "distribution (got %d)",
                        which, (int)d->kind);
  }
  if (d->max && d->min > d->max)
    return kv_error_set(err, KV_EINVAL,
                        "synthetic field '%s.min' (%u) must be <= '%s.max' "
                        "(%u)",
                        which, d->min, which, d->max);
  return KV_OK;
}

/* A pool of prompts unless prompts_per_group is the fixed 0 (none). */
static bool prefix_pool(const kv_prefix_cfg *p) {
  return !(p->prompts_per_group.kind == KV_LEN_FIXED &&
           p->prompts_per_group.a == 0);
}

static kv_status check_prefix(const kv_prefix_cfg *p, kv_error *err) {
  if (p->groups > PREFIX_MAX_GROUPS)
    return kv_error_set(err, KV_EINVAL,
                        "synthetic field 'prefix.groups' must be in [1, %u] "
                        "(got %u)",
                        PREFIX_MAX_GROUPS, p->groups);
  kv_status st;
  if ((st = check_len(&p->system_prompt, "prefix.system_prompt", 1, err)) ||
      (st = check_len(&p->question, "prefix.question", 1, err)))
    return st;
  if (prefix_pool(p) && (st = check_len(&p->prompts_per_group,
                                        "prefix.prompts_per_group", 1, err)))
    return st;
  if (p->block > PREFIX_MAX_BLOCK)
    return kv_error_set(err, KV_EINVAL,
                        "synthetic field 'prefix.block' must be in [1, %u] "
                        "tokens (got %u)",
                        PREFIX_MAX_BLOCK, p->block);
  if (p->order != KV_PREFIX_ROUND_ROBIN && p->order != KV_PREFIX_RANDOM &&
      p->order != KV_PREFIX_SHUFFLE)
    return kv_error_set(err, KV_EINVAL,
                        "synthetic field 'prefix.order' must be round-robin, "
                        "random or shuffle (got %d)",
                        (int)p->order);
  if (p->turns && !p->multi_turn)
    return kv_error_set(err, KV_EINVAL,
                        "synthetic field 'prefix.turns' (%u) needs "
                        "'prefix.multi_turn'",
                        p->turns);
  return KV_OK;
}

/* Think time in s (>= 0). */
static double draw_think(const kv_think_dist *d, kv_rng *r) {
  switch (d->kind) {
  case KV_THINK_FIXED: return d->mean;
  case KV_THINK_EXPONENTIAL:
    return d->mean > 0 ? kv_rng_exp(r, 1.0 / d->mean) : 0.0;
  case KV_THINK_LOGNORMAL: {
    if (!(d->mean > 0)) return 0.0;
    double s2 = log1p((d->std / d->mean) * (d->std / d->mean));
    return exp(log(d->mean) - 0.5 * s2 + sqrt(s2) * kv_rng_normal(r));
  }
  }
  return 0.0;
}

static kv_status check_session(const kv_synth_cfg *c, kv_error *err) {
  const kv_session_cfg *ss = &c->session;
  if (!c->prefix.groups)
    return kv_error_set(err, KV_EINVAL,
                        "synthetic field 'session' needs 'prefix' (groups, "
                        "system_prompt and question: a session's first "
                        "prompt is a system prompt + a question)");
  if (prefix_pool(&c->prefix))
    return kv_error_set(err, KV_EINVAL,
                        "synthetic field 'prefix.prompts_per_group' is not "
                        "used with 'session' (every turn asks a fresh "
                        "question)");
  if (c->prefix.turns)
    return kv_error_set(err, KV_EINVAL,
                        "synthetic field 'prefix.turns' is not used with "
                        "'session' (give 'session.turns')");
  if (c->prefix.order == KV_PREFIX_SHUFFLE)
    return kv_error_set(err, KV_EINVAL,
                        "synthetic field 'prefix.order' must be round-robin "
                        "or random with 'session' (the group of each "
                        "session)");
  kv_status st = check_len(&ss->turns, "session.turns", 1, err);
  if (st) return st;
  const kv_think_dist *t = &ss->think;
  if (t->kind != KV_THINK_FIXED && t->kind != KV_THINK_EXPONENTIAL &&
      t->kind != KV_THINK_LOGNORMAL)
    return kv_error_set(err, KV_EINVAL,
                        "synthetic field 'session.think.kind' must be fixed, "
                        "exponential or lognormal (got %d)",
                        (int)t->kind);
  if (!(t->mean >= 0) || !isfinite(t->mean) || t->mean > 1e9)
    return kv_error_set(err, KV_EINVAL,
                        "synthetic field 'session.think.mean' must be in [0, "
                        "1e9] s (got %g)",
                        t->mean);
  if (t->kind == KV_THINK_LOGNORMAL &&
      (!(t->std >= 0) || !isfinite(t->std) || t->std > 1e9))
    return kv_error_set(err, KV_EINVAL,
                        "synthetic field 'session.think.std' must be in [0, "
                        "1e9] s (got %g)",
                        t->std);
  if (!(ss->answer_time >= 0) || !isfinite(ss->answer_time) ||
      ss->answer_time > 1e3)
    return kv_error_set(err, KV_EINVAL,
                        "synthetic field 'session.answer_time' must be in [0, "
                        "1000] s per token (got %g)",
                        ss->answer_time);
  return KV_OK;
}

static kv_status check_cfg(const kv_synth_cfg *c, kv_error *err) {
  if (c->arrival != KV_ARRIVAL_POISSON && c->arrival != KV_ARRIVAL_BURSTY)
    return kv_error_set(err, KV_EINVAL,
                        "synthetic field 'arrival' must be poisson or bursty "
                        "(got %d)",
                        (int)c->arrival);
  if (!(c->rate > 0) || !isfinite(c->rate))
    return kv_error_set(err, KV_EINVAL,
                        "synthetic field 'rate' must be > 0 (got %g)", c->rate);
  if (c->arrival == KV_ARRIVAL_BURSTY &&
      (!(c->cv > 0) || !isfinite(c->cv) || c->cv > 100))
    return kv_error_set(err, KV_EINVAL,
                        "synthetic field 'cv' must be in (0, 100] for bursty "
                        "arrivals (got %g)",
                        c->cv);
  if (c->n == 0) {
    if (!(c->duration > 0) || !isfinite(c->duration))
      return kv_error_set(err, KV_EINVAL,
                          "synthetic field 'duration' must be > 0 when 'n' is "
                          "0 (got %g)",
                          c->duration);
    if (c->rate * c->duration > SYNTH_MAX_REQUESTS)
      return kv_error_set(err, KV_EINVAL,
                          "synthetic fields 'rate' * 'duration' = %g requests "
                          "exceed the limit of %g",
                          c->rate * c->duration, SYNTH_MAX_REQUESTS);
  } else if ((double)c->n > SYNTH_MAX_REQUESTS) {
    return kv_error_set(err, KV_EINVAL,
                        "synthetic field 'n' must be <= %g (got %zu)",
                        SYNTH_MAX_REQUESTS, c->n);
  }
  kv_status st = c->prefix.groups ? check_prefix(&c->prefix, err)
                                  : check_len(&c->prompt, "prompt", 1, err);
  if (st) return st;
  if (c->session.on && (st = check_session(c, err))) return st;
  return check_len(&c->output, "output", 0, err); /* 0: prefill-only */
}

/* ---- shared-prefix groups ---------------------------------------------- */

typedef struct id_vec {
  uint32_t *v;
  size_t n, cap;
} id_vec;

/* Room for k more ids at v + n (n is not advanced). */
static uint32_t *ids_grow(id_vec *a, size_t k) {
  if (a->n + k > a->cap) {
    size_t c = a->cap ? a->cap : 64;
    while (c < a->n + k)
      c *= 2;
    a->v = kv_xrealloc(a->v, c * sizeof *a->v);
    a->cap = c;
  }
  return a->v + a->n;
}

/* What a request can be: a group's next fresh question (no pool), one
 * prompt of a group's pool, or a conversation (multi_turn). */
typedef struct prefix_slot {
  uint32_t group, rank; /* rank: the slot's index within its group */
  uint32_t question;    /* pool: its question's tokens (0: not drawn yet) */
  size_t first;         /* single-turn pool: the request that asked it
                           first (SIZE_MAX: none yet) */
  uint64_t ctx;         /* multi_turn: tokens of the conversation so far */
  uint32_t turn;        /* multi_turn: turns taken since the (re)start */
  id_vec ctx_ids;       /* multi_turn: ids of ctx's whole blocks */
} prefix_slot;

/* Round-robin order: every group's first slot, then every group's second
 * one, ... */
static int slot_cmp(const void *a, const void *b) {
  const prefix_slot *x = a, *y = b;
  if (x->rank != y->rank) return x->rank < y->rank ? -1 : 1;
  return x->group < y->group ? -1 : x->group > y->group;
}

/* Prompts and prefix hash ids of reqs[0..n) (outputs already drawn), on
 * their own RNG stream. Ids are handed out in order: every group's
 * system-prompt blocks first (group 0's from 0), then fresh ids as requests
 * need them. A request's prompt is ctx + question, where ctx is its group's
 * system prompt or (multi_turn) its conversation so far; its ids are those
 * of ctx's whole blocks followed by fresh ones, so the block that holds the
 * end of ctx and the start of the question, and the prompt's partial last
 * block, are its own. A single-turn pool prompt asked again repeats its
 * first asking's length and ids. A conversation's next ctx is prompt +
 * output: the prompt's whole blocks keep their ids, the blocks completed
 * by output tokens get fresh ones. */
/* Sessions (sess != NULL): slot k is session k, of group sess->group[k],
 * with sess->turns[k] turns; request i belongs to session sess->slot_of[i];
 * every session is a conversation that never restarts, and its context
 * ids are freed after its last turn. */
typedef struct sess_map {
  const uint32_t *slot_of, *group, *turns;
  size_t n;
} sess_map;

/* The state gen_prefix_groups draws from and hands ids out of. */
typedef struct prefix_gen {
  const kv_prefix_cfg *p;
  const sess_map *sess;
  uint32_t B, G;    /* tokens per id; groups */
  bool pool;        /* prompts per group drawn (else one per request) */
  bool multi_turn;  /* conversations go on */
  uint32_t turns;   /* turns per conversation before it restarts (0: never) */
  kv_rng r;         /* the prefix stream */
  uint32_t *sys;    /* per group: system prompt tokens */
  uint32_t *per;    /* per group: prompts in its pool */
  uint64_t *sys_id; /* per group: the first id of its system prompt */
  uint64_t nslots, next_id;
  prefix_slot *slots;
} prefix_gen;

/* Every group's system prompt and pool size, and their ids, in group
 * order; the slots count. */
static void pg_groups(prefix_gen *pg) {
  pg->sys = kv_xmalloc(pg->G * sizeof *pg->sys);
  pg->per = kv_xmalloc(pg->G * sizeof *pg->per);
  pg->sys_id = kv_xmalloc(pg->G * sizeof *pg->sys_id);
  for (uint32_t g = 0; g < pg->G; g++) {
    pg->sys[g] = draw_len(&pg->p->system_prompt, &pg->r);
    pg->per[g] = pg->pool ? draw_len(&pg->p->prompts_per_group, &pg->r) : 1;
    pg->nslots += pg->per[g];
    pg->sys_id[g] = pg->next_id;
    pg->next_id += pg->sys[g] / pg->B;
  }
  if (pg->sess) pg->nslots = pg->sess->n;
}

/* The slots: one per session, or every group's pool prompts round-robin
 * (shuffled when the order says so). */
static void pg_slots(prefix_gen *pg) {
  pg->slots = kv_xcalloc((size_t)pg->nslots, sizeof *pg->slots);
  prefix_slot *slots = pg->slots;
  size_t k = 0;
  if (pg->sess) {
    for (k = 0; k < pg->sess->n; k++) {
      slots[k].group = pg->sess->group[k];
      slots[k].first = SIZE_MAX;
    }
    return;
  }
  for (uint32_t g = 0; g < pg->G; g++)
    for (uint32_t j = 0; j < pg->per[g]; j++, k++) {
      slots[k].group = g;
      slots[k].rank = j;
      slots[k].first = SIZE_MAX;
    }
  qsort(slots, (size_t)pg->nslots, sizeof *slots, slot_cmp);
  if (pg->p->order == KV_PREFIX_SHUFFLE) /* Fisher-Yates */
    for (size_t i = (size_t)pg->nslots - 1; i > 0; i--) {
      size_t j = (size_t)kv_rng_below(&pg->r, (uint64_t)i + 1);
      prefix_slot t = slots[i];
      slots[i] = slots[j];
      slots[j] = t;
    }
}

static void pg_free(prefix_gen *pg) {
  if (pg->slots)
    for (size_t i = 0; i < (size_t)pg->nslots; i++)
      free(pg->slots[i].ctx_ids.v);
  free(pg->slots);
  free(pg->sys);
  free(pg->per);
  free(pg->sys_id);
}

/* Slot s starts a conversation: its context is its group's system prompt. */
static void pg_restart(const prefix_gen *pg, prefix_slot *s, uint32_t g) {
  s->turn = 0;
  s->ctx = pg->sys[g];
  s->ctx_ids.n = 0;
  uint32_t *c = ids_grow(&s->ctx_ids, pg->sys[g] / pg->B);
  for (uint32_t j = 0; j < pg->sys[g] / pg->B; j++)
    c[j] = (uint32_t)(pg->sys_id[g] + j);
  s->ctx_ids.n = pg->sys[g] / pg->B;
}

/* Slot s's conversation goes on with request q (prompt tokens, its ids at
 * q->hash_off in out): the prompt's whole blocks keep their ids, the gen_n
 * blocks its output completes get fresh ones, written after the prompt's
 * ids; the session's ids go after its last turn. */
static void pg_continue(prefix_gen *pg, prefix_slot *s, size_t si,
                        kv_request_spec *q, uint64_t prompt, uint64_t gen_n,
                        id_vec *out) {
  uint64_t keep = prompt / pg->B, want = (prompt + q->output) / pg->B;
  s->ctx_ids.n = 0;
  uint32_t *c = ids_grow(&s->ctx_ids, (size_t)want);
  memcpy(c, out->v + q->hash_off, keep * sizeof *c);
  for (uint64_t j = keep; j < want; j++)
    c[j] = (uint32_t)pg->next_id++;
  s->ctx_ids.n = want;
  memcpy(out->v + out->n, c + keep, (size_t)gen_n * sizeof *c);
  q->gen_n = (uint32_t)gen_n;
  out->n += gen_n;
  s->ctx = prompt + q->output;
  s->turn++;
  if (pg->sess && s->turn >= pg->sess->turns[si]) { /* the session is over */
    free(s->ctx_ids.v);
    memset(&s->ctx_ids, 0, sizeof s->ctx_ids);
  }
}

static kv_status gen_prefix_groups(const kv_synth_cfg *cfg, uint64_t seed,
                                   kv_request_spec *reqs, size_t n, id_vec *out,
                                   const sess_map *sess, kv_error *err) {
  const kv_prefix_cfg *p = &cfg->prefix;
  prefix_gen pg = {.p = p,
                   .sess = sess,
                   .B = p->block ? p->block : PREFIX_DEFAULT_BLOCK,
                   .G = p->groups,
                   .pool = prefix_pool(p),
                   .multi_turn = p->multi_turn || sess,
                   .turns = sess ? 0 : p->turns};
  const uint32_t B = pg.B;
  const bool pool = pg.pool, multi_turn = pg.multi_turn;
  kv_rng_seed(&pg.r, seed ^ 0x7072656669786573ULL); /* "prefixes": own stream */
  pg_groups(&pg);
  kv_status st = KV_OK;
  if (pg.nslots > PREFIX_MAX_SLOTS) {
    st = kv_error_set(err, KV_EINVAL,
                      "synthetic field 'prefix.prompts_per_group': %llu "
                      "prompts in all exceed the limit of %u",
                      (unsigned long long)pg.nslots, PREFIX_MAX_SLOTS);
    goto done;
  }
  pg_slots(&pg);
  for (size_t i = 0; i < n; i++) {
    kv_request_spec *q = &reqs[i];
    size_t si = sess ? (size_t)sess->slot_of[i]
                : p->order == KV_PREFIX_RANDOM
                    ? (size_t)kv_rng_below(&pg.r, pg.nslots)
                    : (size_t)(i % pg.nslots);
    prefix_slot *s = &pg.slots[si];
    uint32_t g = s->group;
    if (!multi_turn && s->first != SIZE_MAX) {
      /* the same pool prompt again: same tokens, same ids */
      const kv_request_spec *f = &reqs[s->first];
      if (out->n + f->hash_n > PREFIX_MAX_HASHES) goto too_many;
      uint32_t *d = ids_grow(out, f->hash_n);
      memcpy(d, out->v + f->hash_off, f->hash_n * sizeof *d);
      q->prompt = f->prompt;
      q->hash_off = out->n; /* an index into out until stored */
      q->hash_n = f->hash_n;
      out->n += f->hash_n;
      continue;
    }
    uint32_t qlen;
    if (pool) {
      if (!s->question) s->question = draw_len(&p->question, &pg.r);
      qlen = s->question;
    } else {
      qlen = draw_len(&p->question, &pg.r);
    }
    uint64_t ctx = pg.sys[g];
    if (multi_turn) {
      if (s->turn == 0 || (pg.turns && s->turn >= pg.turns))
        pg_restart(&pg, s, g);
      ctx = s->ctx;
    }
    uint64_t prompt = ctx + qlen;
    if (prompt > UINT32_MAX) {
      st = kv_error_set(err, KV_EINVAL,
                        "synthetic field 'prefix': request %zu's prompt "
                        "(%llu tokens) exceeds 2^32 - 1 tokens%s",
                        i, (unsigned long long)prompt,
                        multi_turn ? "; set 'prefix.turns' to end "
                                     "conversations sooner"
                                   : "");
      goto done;
    }
    uint64_t nb = KV_DIV_CEIL(prompt, B), whole = ctx / B;
    uint64_t grow_ids = multi_turn ? (prompt + q->output) / B : 0;
    /* multi_turn: the ids of the blocks the output completes follow the
     * prompt's (gen_n of them), so the engine can publish them */
    uint64_t gen_n = multi_turn ? grow_ids - prompt / B : 0;
    if (out->n + nb + gen_n > PREFIX_MAX_HASHES) goto too_many;
    if (pg.next_id + nb + grow_ids > (uint64_t)UINT32_MAX + 1) goto too_many;
    uint32_t *d = ids_grow(out, (size_t)(nb + gen_n));
    for (uint64_t j = 0; j < whole; j++)
      d[j] = multi_turn ? s->ctx_ids.v[j] : (uint32_t)(pg.sys_id[g] + j);
    for (uint64_t j = whole; j < nb; j++)
      d[j] = (uint32_t)pg.next_id++;
    q->prompt = (uint32_t)prompt;
    q->hash_off = out->n;
    q->hash_n = (uint32_t)nb;
    out->n += nb;
    if (pool && !multi_turn) s->first = i;
    if (multi_turn) pg_continue(&pg, s, si, q, prompt, gen_n, out);
  }
  goto done;
too_many:
  st =
      kv_error_set(err, KV_EINVAL,
                   "synthetic field 'prefix': the workload needs more than "
                   "%zu prefix hash ids (or ids past 2^32); raise "
                   "'prefix.block'%s or lower 'n'",
                   PREFIX_MAX_HASHES, multi_turn ? ", set 'prefix.turns'" : "");
done:
  pg_free(&pg);
  return st;
}

static const char *const order_names[] = {"round-robin", "random", "shuffle"};

/* ---- generator --------------------------------------------------------- */

static const char *len_name(kv_len_kind k) {
  switch (k) {
  case KV_LEN_FIXED: return "fixed";
  case KV_LEN_UNIFORM: return "uniform";
  case KV_LEN_LOGNORMAL: return "lognormal";
  case KV_LEN_EMPIRICAL: return "empirical";
  }
  return "?";
}

/* ---- multi-turn sessions ------------------------------------------------ */

typedef struct sess_turn {
  double arrival;
  uint32_t output, slot;
  size_t seq; /* generation order, for a stable sort */
} sess_turn;

static int sess_turn_cmp(const void *a, const void *b) {
  const sess_turn *x = a, *y = b;
  if (x->arrival != y->arrival) return x->arrival < y->arrival ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Sessions start as the arrival process says; session k's group is k mod
 * groups (round-robin) or drawn (random); its turns arrive at its start,
 * then each answer_time * output + think later. Outputs, turns and think
 * times come from the main stream, in session order; prompts and ids from
 * the prefix stream, as gen_prefix_groups assigns them to conversations. */
static kv_status gen_sessions(const kv_synth_cfg *cfg, uint64_t seed,
                              kv_workload *w, kv_error *err) {
  const kv_session_cfg *ss = &cfg->session;
  const uint32_t G = cfg->prefix.groups;
  kv_rng rng;
  kv_rng_seed(&rng, seed);
  sess_turn *t = NULL;
  uint32_t *group = NULL, *turns = NULL;
  size_t nt = 0, cap_t = 0, ns = 0, cap_s = 0;
  double start = 0.0;
  kv_status st = KV_OK;
  for (;;) {
    if (cfg->n ? ns >= cfg->n : start >= cfg->duration) break;
    if (ns >= PREFIX_MAX_SLOTS) {
      st = kv_error_set(err, KV_EINVAL,
                        "synthetic field 'session': more than %u sessions",
                        PREFIX_MAX_SLOTS);
      goto fail;
    }
    if (ns == cap_s) {
      cap_s = cap_s ? 2 * cap_s : 1024;
      group = kv_xrealloc(group, cap_s * sizeof *group);
      turns = kv_xrealloc(turns, cap_s * sizeof *turns);
    }
    group[ns] = cfg->prefix.order == KV_PREFIX_RANDOM
                    ? (uint32_t)kv_rng_below(&rng, G)
                    : (uint32_t)(ns % G);
    uint32_t T = draw_len(&ss->turns, &rng);
    if (T < 1) T = 1;
    turns[ns] = T;
    double at = start;
    for (uint32_t k = 0; k < T; k++) {
      if ((double)nt >= SYNTH_MAX_REQUESTS) {
        st = kv_error_set(err, KV_EINVAL,
                          "synthetic field 'session': more than %g requests",
                          SYNTH_MAX_REQUESTS);
        goto fail;
      }
      if (nt == cap_t) {
        cap_t = cap_t ? 2 * cap_t : 4096;
        t = kv_xrealloc(t, cap_t * sizeof *t);
      }
      sess_turn *q = &t[nt];
      q->arrival = at;
      q->output = draw_len(&cfg->output, &rng);
      q->slot = (uint32_t)ns;
      q->seq = nt++;
      at += ss->answer_time * q->output + draw_think(&ss->think, &rng);
    }
    ns++;
    start += next_gap(cfg, &rng);
  }
  if (nt == 0) {
    st = kv_error_set(err, KV_EINVAL,
                      "synthetic field 'session': no session "
                      "starts within 'duration'");
    goto fail;
  }
  qsort(t, nt, sizeof *t, sess_turn_cmp);
  kv_request_spec *reqs = kv_xcalloc(nt, sizeof *reqs);
  uint32_t *slot_of = kv_xmalloc(nt * sizeof *slot_of);
  for (size_t i = 0; i < nt; i++) {
    reqs[i].arrival = t[i].arrival;
    reqs[i].output = t[i].output;
    slot_of[i] = t[i].slot;
  }
  free(t);
  t = NULL;
  sess_map m = {slot_of, group, turns, ns};
  id_vec ids = {0};
  if ((st = gen_prefix_groups(cfg, seed, reqs, nt, &ids, &m, err))) {
    free(reqs);
    free(slot_of);
    free(ids.v);
    goto fail;
  }
  /* rebase so the first turn arrives at 0, as in loaded traces */
  double t0 = reqs[0].arrival;
  for (size_t i = 0; i < nt; i++)
    reqs[i].arrival -= t0;
  kv_workload_free(w);
  w->reqs = reqs;
  w->n = nt;
  w->session = slot_of;
  kv_workload_set_ids(w, ids.v, ids.n);
  free(ids.v);
  w->hash_block_tokens =
      cfg->prefix.block ? cfg->prefix.block : PREFIX_DEFAULT_BLOCK;
  static const char *const think_names[] = {"fixed", "exponential",
                                            "lognormal"};
  snprintf(w->source, sizeof w->source,
           "synthetic sessions: %zu sessions, %s arrivals at %g sessions/s, "
           "turns %s(%g, %g), think %s(mean %g s), answer %g s/token, %u "
           "groups, %u-token hash blocks, seed %llu",
           ns, cfg->arrival == KV_ARRIVAL_POISSON ? "poisson" : "bursty",
           cfg->rate, len_name(ss->turns.kind), ss->turns.a, ss->turns.b,
           think_names[ss->think.kind], ss->think.mean, ss->answer_time, G,
           w->hash_block_tokens, (unsigned long long)seed);
fail:
  free(t);
  free(group);
  free(turns);
  return st;
}

kv_status kv_workload_synthetic(const kv_synth_cfg *cfg, uint64_t seed,
                                kv_workload *w, kv_error *err) {
  if (!cfg) return kv_error_set(err, KV_EINVAL, "synthetic config is NULL");
  kv_status st = check_cfg(cfg, err);
  if (st) return st;
  if (cfg->session.on) return gen_sessions(cfg, seed, w, err);
  const kv_prefix_cfg *p = &cfg->prefix;
  const bool pg = p->groups > 0;
  kv_rng rng;
  kv_rng_seed(&rng, seed);
  size_t cap = cfg->n ? cfg->n : (size_t)(cfg->rate * cfg->duration * 1.1) + 16;
  kv_request_spec *reqs = kv_xmalloc(cap * sizeof *reqs);
  size_t n = 0;
  double t = 0.0; /* the first request arrives at 0, as in loaded traces */
  for (;;) {
    if (cfg->n ? n >= cfg->n : t >= cfg->duration) break;
    if ((double)n >= SYNTH_MAX_REQUESTS) break;
    if (n == cap) {
      cap *= 2;
      reqs = kv_xrealloc(reqs, cap * sizeof *reqs);
    }
    kv_request_spec *r = &reqs[n++];
    memset(r, 0, sizeof *r);
    r->arrival = t;
    /* with prefix groups the prompt is set below, from its own stream */
    if (!pg) r->prompt = draw_len(&cfg->prompt, &rng);
    r->output = draw_len(&cfg->output, &rng);
    t += next_gap(cfg, &rng);
  }
  id_vec ids = {0};
  if (pg && (st = gen_prefix_groups(cfg, seed, reqs, n, &ids, NULL, err))) {
    free(reqs);
    free(ids.v);
    return st;
  }
  kv_workload_free(w);
  w->reqs = reqs;
  w->n = n;
  if (pg) {
    kv_workload_set_ids(w, ids.v, ids.n);
    free(ids.v);
    w->hash_block_tokens = p->block ? p->block : PREFIX_DEFAULT_BLOCK;
  }
  int used = snprintf(
      w->source, sizeof w->source, "synthetic: %s arrivals at %g req/s%s, ",
      cfg->arrival == KV_ARRIVAL_POISSON ? "poisson" : "bursty", cfg->rate,
      cfg->arrival == KV_ARRIVAL_BURSTY ? " (cv given)" : "");
  char *at = w->source + used;
  size_t left = sizeof w->source - (size_t)used;
  if (pg) {
    char per[96] = "fresh questions";
    if (prefix_pool(p))
      snprintf(per, sizeof per, "%s(%g, %g) prompts per group",
               len_name(p->prompts_per_group.kind), p->prompts_per_group.a,
               p->prompts_per_group.b);
    used = snprintf(at, left,
                    "%u prefix groups (system prompt %s(%g, %g), question "
                    "%s(%g, %g), %s, %s, %u-token hash blocks",
                    p->groups, len_name(p->system_prompt.kind),
                    p->system_prompt.a, p->system_prompt.b,
                    len_name(p->question.kind), p->question.a, p->question.b,
                    per, order_names[p->order], w->hash_block_tokens);
    if (used > 0 && (size_t)used < left && p->multi_turn)
      used += p->turns
                  ? snprintf(at + used, left - (size_t)used,
                             ", multi-turn, %u turns", p->turns)
                  : snprintf(at + used, left - (size_t)used, ", multi-turn");
  } else {
    used = snprintf(at, left, "prompt %s(%g, %g", len_name(cfg->prompt.kind),
                    cfg->prompt.a, cfg->prompt.b);
  }
  if (used > 0 && (size_t)used < left)
    snprintf(at + used, left - (size_t)used, "), output %s(%g, %g), seed %llu",
             len_name(cfg->output.kind), cfg->output.a, cfg->output.b,
             (unsigned long long)seed);
  return KV_OK;
}
