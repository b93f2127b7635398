/* workload.h - streams of requests: synthetic generators and real traces.
 *
 * Readers (streamed line by line) for the Azure LLM inference CSV (2023 and
 * the 2024 week-long traces), BurstGPT's CSV and block-hash JSONL traces
 * (Mooncake, Alibaba's qwen-bailian; prefix hash ids kept), synthetic
 * arrivals (Poisson or bursty) with length distributions, optionally in
 * shared-prefix groups or multi-turn sessions that carry prefix hash ids as
 * a Mooncake trace does, and synthetic presets fitted to each trace's
 * published statistics for when the file is absent.
 * Main entry points: kv_workload_load(), kv_workload_load_opts(),
 * kv_workload_synthetic(), kv_workload_preset().
 */
#ifndef KV_WORKLOAD_H
#define KV_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kv_error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kv_request_spec {
  double arrival;    /* s since the start of the workload, non-decreasing */
  uint32_t prompt;   /* prompt tokens (>= 1) */
  uint32_t output;   /* tokens to generate (0 = prefill only) */
  uint64_t hash_off; /* byte offset of its hash ids in
                        kv_workload.hash_bytes (kv_workload_ids decodes) */
  uint32_t hash_n;   /* prefix-block hashes, ceil(prompt / hash_block_tokens)
                        (Mooncake, synthetic prefix groups), 0 if none */
  uint32_t gen_n;    /* ids of the hash blocks this request's output
                        completes: decoded id hash_n + k is hash block
                        floor(prompt / hash_block_tokens) + k of prompt +
                        output, as the next turn of its conversation sees it
                        (synthetic multi_turn); 0 if none */
} kv_request_spec;

typedef struct kv_workload {
  kv_request_spec *reqs;
  size_t n;
  uint8_t *hash_bytes; /* all requests' prefix hash ids, each request's
                          kv_hash_encode()d on its own (hash_n prompt ids,
                          then gen_n output ids) at its hash_off */
  size_t n_hash_bytes;
  size_t n_hashes;            /* hash ids of all requests */
  uint32_t hash_block_tokens; /* tokens per prefix hash block (512 Mooncake,
                                 prefix.block for synthetic groups) */
  uint32_t *session;          /* synthetic sessions: session[i] is request i's
                                 session (NULL for every other workload) */
  /* rows a reader read but did not turn into requests (BurstGPT) */
  size_t skipped_failed; /* failed requests: Response tokens 0 or a Log
                            Type naming a failure */
  size_t skipped_model;  /* another model than the `model` filter */
  size_t skipped_empty;  /* 0 request tokens (not a failure) */
  char source[512];      /* what it is: path or "synthetic preset ..." */
} kv_workload;

typedef enum kv_arrival_kind {
  KV_ARRIVAL_POISSON, /* exponential inter-arrival times at `rate` */
  KV_ARRIVAL_BURSTY,  /* gamma inter-arrival times with coefficient of
                         variation `cv` (> 1 = burstier than Poisson) */
} kv_arrival_kind;

typedef enum kv_len_kind {
  KV_LEN_FIXED,     /* always `a` */
  KV_LEN_UNIFORM,   /* uniform integer in [a, b] */
  KV_LEN_LOGNORMAL, /* lognormal with mean `a` and std `b`, clamped */
  KV_LEN_EMPIRICAL, /* draw from values[0..n) */
} kv_len_kind;

typedef struct kv_len_dist {
  kv_len_kind kind;
  double a, b;
  uint32_t min, max; /* clamp (0 = no clamp on max) */
  const uint32_t *values;
  size_t n_values;
} kv_len_dist;

/* Which slot (a group, a pool prompt or a conversation) each request of a
 * shared-prefix workload takes. */
typedef enum kv_prefix_order {
  KV_PREFIX_ROUND_ROBIN, /* slot i mod slots; slots interleave the groups */
  KV_PREFIX_RANDOM,      /* a slot drawn uniformly per request */
  KV_PREFIX_SHUFFLE,     /* the slots in a seeded random order, cycled
                            (inference-perf's shared_prefix data) */
} kv_prefix_order;

/* Shared-prefix groups, as load generators such as inference-perf describe
 * them (num_groups, num_prompts_per_group, system_prompt_len,
 * question_len). A request's prompt is its group's system prompt followed
 * by a question. Hash ids cover `block`-token blocks as a Mooncake trace's
 * do: ceil(prompt / block) per request; a block wholly inside the group's
 * system prompt has the group's id (the same for every request of the
 * group), every other block a fresh one (docs/inputs.md). Off when
 * groups == 0. */
typedef struct kv_prefix_cfg {
  uint32_t groups;           /* distinct system prompts (0 = no groups) */
  kv_len_dist system_prompt; /* tokens, drawn once per group */
  kv_len_dist question;      /* tokens, per request (once per pool prompt) */
  kv_len_dist prompts_per_group; /* pool prompts per group, drawn once per
                                    group; fixed 0 = no pool: every request
                                    asks a fresh question */
  uint32_t block;        /* tokens per hash block (0 = 16); a multiple of
                            the engine's block_tokens for prefix sharing */
  kv_prefix_order order; /* how requests pick their slot */
  bool multi_turn;       /* each slot a conversation: its next prompt is
                            its previous prompt + output + a question */
  uint32_t turns;        /* multi_turn: turns before a conversation restarts
                            from its system prompt (0 = never) */
} kv_prefix_cfg;

/* Think time between turns, seconds. */
typedef enum kv_think_kind {
  KV_THINK_FIXED,       /* always `mean` */
  KV_THINK_EXPONENTIAL, /* exponential with mean `mean` */
  KV_THINK_LOGNORMAL,   /* lognormal with mean `mean` and std `std` */
} kv_think_kind;

typedef struct kv_think_dist {
  kv_think_kind kind;
  double mean, std; /* s */
} kv_think_dist;

/* Multi-turn sessions (docs/inputs.md): sessions start as the arrival
 * process says (rate, cv, n or duration count sessions); each has `turns`
 * turns; turn k+1 arrives answer_time * output_k + think after turn k;
 * its prompt is turn k's prompt + output + a fresh question of
 * prefix.question tokens, and the first turn's prompt is the session's
 * group's system prompt + a question. Hash ids are laid out as
 * prefix.multi_turn lays them out (a session is a conversation). Needs
 * prefix.groups; off when !on. */
typedef struct kv_session_cfg {
  bool on;
  kv_len_dist turns;   /* turns per session (>= 1) */
  kv_think_dist think; /* s from a turn's (estimated) answer to the next */
  double answer_time;  /* s per output token before the think time starts,
                          an open-loop estimate of the answer (0 = none) */
} kv_session_cfg;

typedef struct kv_synth_cfg {
  kv_arrival_kind arrival;
  double rate;     /* requests per second (> 0) */
  double cv;       /* inter-arrival coefficient of variation (bursty) */
  size_t n;        /* number of requests (> 0), or 0 to use duration */
  double duration; /* s of arrivals when n == 0 */
  kv_len_dist prompt, output; /* prompt unused with prefix groups */
  kv_prefix_cfg prefix;       /* shared-prefix groups (groups 0 = none) */
  kv_session_cfg session;     /* multi-turn sessions (on = false: none) */
} kv_synth_cfg;

void kv_workload_init(kv_workload *w);
void kv_workload_free(kv_workload *w);

/* Trace formats. */
typedef enum kv_trace_format {
  KV_TRACE_AUTO,      /* from content: a CSV header with ContextTokens
                         (Azure) or "Request tokens" (BurstGPT), or JSON
                         lines (block-hash JSONL with the defaults below) */
  KV_TRACE_AZURE,     /* TIMESTAMP,ContextTokens,GeneratedTokens */
  KV_TRACE_BURSTGPT,  /* Timestamp,Model,Request tokens,Response tokens,... */
  KV_TRACE_BLOCKHASH, /* JSON lines: time, input and output lengths, ids of
                         hash_block-token prefix blocks */
} kv_trace_format;

/* Reader options; zero means the default. */
typedef struct kv_trace_opts {
  kv_trace_format format;
  /* block-hash JSONL */
  uint32_t hash_block;      /* tokens per hash id (0 = 512, Mooncake; the
                               qwen-bailian traces use 16) */
  double time_scale;        /* seconds per timestamp unit (0 = 1e-3: ms,
                               Mooncake; qwen-bailian is in s: 1) */
  const char *time_field;   /* NULL = "timestamp" */
  const char *input_field;  /* NULL = "input_length" */
  const char *output_field; /* NULL = "output_length" */
  const char *hash_field;   /* NULL = "hash_ids"; a line without it has no
                               ids */
  /* BurstGPT */
  const char *model; /* keep rows whose Model is this (case-insensitive);
                        NULL = every row */
} kv_trace_opts;

/* Read a trace; the format is picked from content (CSV header with
 * ContextTokens or Request tokens, or JSON lines). Errors name file:line
 * and the field. Files are read line by line: memory is the requests and
 * their hash ids, not the file. */
kv_status kv_workload_load(const char *path, kv_workload *w, kv_error *err);
kv_status kv_workload_load_opts(const char *path, const kv_trace_opts *o,
                                kv_workload *w, kv_error *err);
kv_status kv_workload_load_azure(const char *path, kv_workload *w,
                                 kv_error *err);
kv_status kv_workload_load_mooncake(const char *path, kv_workload *w,
                                    kv_error *err);

/* Generate a synthetic workload with its own RNG seeded from `seed`: the
 * same config and seed give a byte-identical workload. */
kv_status kv_workload_synthetic(const kv_synth_cfg *cfg, uint64_t seed,
                                kv_workload *w, kv_error *err);

/* Synthetic presets fitted to published trace statistics:
 * "azure-conv", "azure-code", "mooncake-conv". */
kv_status kv_workload_preset(const char *name, uint64_t seed, kv_workload *w,
                             kv_error *err);
const char *const *kv_workload_preset_names(void);

/* The lognormal length distribution whose median is `median` and whose
 * mean, after clamping to [lo, hi] (hi 0: no upper clamp), is `mean`; the
 * presets' fit, for benchmarks that scale a preset's statistics. */
kv_len_dist kv_len_fit_lognormal(double median, double mean, uint32_t lo,
                                 uint32_t hi);

/* Keep requests [first, first+n) / scale arrival times by 1/speedup. */
void kv_workload_slice(kv_workload *w, size_t first, size_t n);
void kv_workload_scale_rate(kv_workload *w, double speedup);
/* On/off traffic (several models on one GPU, docs/multimodel.md): keep
 * the requests whose arrival falls in an "on" phase, (arrival - phase) mod
 * period < on, and drop the others (their arrival order is kept; prefix
 * hash ids stay where they are). period > 0, 0 < on <= period. */
void kv_workload_gate(kv_workload *w, double period, double on, double phase);
/* Add dt seconds to every arrival (dt >= 0: the rebased slice starts at
 * dt). */
void kv_workload_shift(kv_workload *w, double dt);

/* Summary statistics (for printing and for fitting presets). */
typedef struct kv_workload_stats {
  size_t n;
  double duration, rate, interarrival_cv;
  double prompt_mean, prompt_p50, prompt_p99, prompt_max;
  double output_mean, output_p50, output_p99, output_max;
} kv_workload_stats;
void kv_workload_stats_compute(const kv_workload *w, kv_workload_stats *s);

/* Bytes the workload holds for its requests: the request array, hash ids
 * and session ids (what a loaded trace costs in memory). */
size_t kv_workload_bytes(const kv_workload *w);

/* Hash ids, stored compactly: each id as the difference from the previous
 * id of the same request (the first from 0), zigzag-coded and written as a
 * little-endian base-128 varint (1 byte for a difference in [-64, 63], at
 * most KV_HASH_MAX_BYTES). A request's ids decode on their own. */
#define KV_HASH_MAX_BYTES 5
/* Encode ids[0..n) into out (room for n * KV_HASH_MAX_BYTES); returns the
 * bytes written. */
size_t kv_hash_encode(const uint32_t *ids, size_t n, uint8_t *out);
/* Decode n ids from in into ids; returns the bytes read. */
size_t kv_hash_decode(const uint8_t *in, size_t n, uint32_t *ids);
/* Bytes the encoding of n ids at `in` takes. */
size_t kv_hash_span(const uint8_t *in, size_t n);
/* Decode request i's hash_n + gen_n ids into ids; returns their number. */
uint32_t kv_workload_ids(const kv_workload *w, size_t i, uint32_t *ids);
/* Store ids[0..n) as w's hash ids, for requests whose hash_off is still
 * the index of their first id in ids (how generators lay them out): the
 * ids are encoded per request into w->hash_bytes and hash_off becomes the
 * byte offset. The caller keeps ids. */
void kv_workload_set_ids(kv_workload *w, const uint32_t *ids, size_t n);

#ifdef __cplusplus
}
#endif

#endif
