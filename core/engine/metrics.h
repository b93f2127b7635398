/* metrics.h - every metric kvsim reports, defined once.
 *
 * Three X-macro lists (summary per run, tiering outcomes per run, sample per
 * timeline point) expand into the structs, the metric tables
 * (kv_summary_info, kv_tier_info, kv_sample_info) from which the CSV/JSON
 * writers, the Lua tables and the printer are generated, and the combining
 * of replicas' results. Summary and tier entries: X(name, unit, how it
 * combines, one-line definition); sample entries: X(name, unit, definition).
 * All values are doubles.
 *
 * How a run metric combines across replicas (kv_metrics_add, then
 * kv_metrics_finish) and which are recomputed from others:
 *   SUM          added up: counts, bytes, times, and also per-replica means
 *                and peaks (so a combined peak is an upper bound)
 *   MAX          the largest replica's (sim_time: the longest replica)
 *   WMEAN(w)     the replicas' values weighted by their metric w (a SUM)
 *   RATIO(a, b)  a / b, left as it is when b <= 0; recomputed from the
 *                record's own a and b by kv_metrics_derive, the one place
 *                its formula is written, for one run and for the whole
 *   PCTL(d, p)   the p-th percentile of latency d over all the requests
 *                (kv_summary_latencies, kv_summary_latencies_sketch)
 */
#ifndef KV_METRICS_H
#define KV_METRICS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ops.h"

#ifdef __cplusplus
extern "C" {
#endif

/* clang-format off */
#define KV_SUMMARY_METRICS(X) \
  X(requests,              "req",   SUM,                                           "requests in the workload") \
  X(completed,             "req",   SUM,                                           "requests that generated all their tokens") \
  X(rejected,              "req",   SUM,                                           "requests rejected (rejected_too_long + rejected_no_fit)") \
  X(rejected_too_long,     "req",   SUM,                                           "requests whose prompt + output exceed the run's max context") \
  X(rejected_no_fit,       "req",   SUM,                                           "requests that could not be placed even alone on the GPU") \
  X(truncated,             "req",   SUM,                                           "requests whose prompt was cut to fit the max context") \
  X(unfinished,            "req",   SUM,                                           "requests still queued or running when the run stopped") \
  X(preemptions,           "req",   SUM,                                           "preemptions (recompute or swap)") \
  X(swaps_out,             "req",   SUM,                                           "requests swapped to the host tier") \
  X(paused_dropped,        "req",   SUM,                                           "paused requests whose KV was dropped so a lone request could grow") \
  X(sim_time,              "s",     MAX,                                           "simulated time from first arrival to last completion") \
  X(steps,                 "step",  SUM,                                           "engine steps executed") \
  X(prompt_tokens,         "tok",   SUM,                                           "prompt tokens prefilled (recomputation included)") \
  X(generated_tokens,      "tok",   SUM,                                           "output tokens generated") \
  X(throughput,            "tok/s", RATIO(generated_tokens, sim_time),             "generated tokens / sim_time") \
  X(ttft_p50,              "s",     PCTL(TTFT, 50),                                "time to first token, median") \
  X(ttft_p90,              "s",     PCTL(TTFT, 90),                                "time to first token, 90th percentile") \
  X(ttft_p99,              "s",     PCTL(TTFT, 99),                                "time to first token, 99th percentile") \
  X(tpot_p50,              "s",     PCTL(TPOT, 50),                                "time per output token after the first, median over requests") \
  X(tpot_p90,              "s",     PCTL(TPOT, 90),                                "time per output token, 90th percentile") \
  X(tpot_p99,              "s",     PCTL(TPOT, 99),                                "time per output token, 99th percentile") \
  X(e2e_p50,               "s",     PCTL(E2E, 50),                                 "arrival to last token, median") \
  X(e2e_p99,               "s",     PCTL(E2E, 99),                                 "arrival to last token, 99th percentile") \
  X(batch_mean,            "req",   SUM,                                           "running requests per step, mean over steps") \
  X(batch_peak,            "req",   SUM,                                           "peak concurrent running requests") \
  X(util_mean,             "1",     WMEAN(backed_mean),                            "used/backed, time-weighted mean over steps with backed > 0") \
  X(util_at_peak,          "1",     WMEAN(backed_peak),                            "used/backed at the step where backed peaks") \
  X(used_mean,             "B",     SUM,                                           "live tokens x bytes per token, time-weighted mean") \
  X(used_peak,             "B",     SUM,                                           "peak used bytes") \
  X(backed_mean,           "B",     SUM,                                           "bytes with physical memory behind them, time-weighted mean") \
  X(backed_peak,           "B",     SUM,                                           "peak backed bytes") \
  X(internal_frag_mean,    "B",     SUM,                                           "allocated - used inside requests, time-weighted mean") \
  X(internal_frag_frac,    "1",     RATIO(internal_frag_mean, backed_mean),        "internal_frag_mean / backed_mean") \
  X(external_frag_mean,    "B",     SUM,                                           "free bytes that cannot serve the next request, time-weighted mean") \
  X(external_frag_frac,    "1",     RATIO(external_frag_mean, capacity),           "external_frag_mean / capacity") \
  X(reserved_va_peak,      "B",     SUM,                                           "peak virtual address space reserved") \
  X(metadata_peak,         "B",     SUM,                                           "peak block/offset/page table bytes") \
  X(capacity,              "B",     SUM,                                           "device bytes available for KV") \
  X(vmm_calls,             "call",  SUM,                                           "CUDA VMM driver calls (create/map/set-access/unmap/release/reserve/free)") \
  X(driver_time_critical,  "s",     SUM,                                           "VMM driver time the engine waited on") \
  X(driver_time_hidden,    "s",     SUM,                                           "VMM driver time overlapped with compute") \
  X(driver_time_per_token, "s",     RATIO(driver_time_critical, generated_tokens), "driver_time_critical / generated_tokens") \
  X(op_time_critical,      "s",     SUM,                                           "all op time on the critical path") \
  X(compute_time,          "s",     SUM,                                           "forward-pass time") \
  X(cpu_time,              "s",     SUM,                                           "engine CPU time on the critical path (the part of the step overheads the GPU waited for)") \
  X(copy_bytes_h2d,        "B",     SUM,                                           "bytes copied host -> device") \
  X(copy_bytes_d2h,        "B",     SUM,                                           "bytes copied device -> host") \
  X(copy_bytes_d2d,        "B",     SUM,                                           "bytes copied device -> device") \
  X(copy_runs,             "run",   SUM,                                           "contiguous runs copied (one memcpy each via the copy engine)") \
  X(table_entries,         "entry", SUM,                                           "block/offset table entries written") \
  X(timed_out,             "req",   SUM,                                           "requests the client gave up on (client_timeout), aborted by the server")

/* Prefix hits are split by what the block holds: generated = a block whose
 * hash id names output tokens (an earlier turn's answer, workload
 * kv_request_spec.gen_n), prompt = any other; tokens add up to
 * prefix_hit_tokens, blocks are strategy blocks (a partial one counts). */
#define KV_TIER_METRICS(X) \
  X(prefix_queried_tokens,       "tok",   SUM, "prompt tokens looked up at admission") \
  X(prefix_hit_tokens,           "tok",   SUM, "of those, found cached (prefill skipped)") \
  X(evictions,                   "req",   SUM, "requests whose blocks went to the host") \
  X(reloads,                     "req",   SUM, "reloads when resuming (critical path)") \
  X(prefetches,                  "req",   SUM, "reloads ahead of use (background copies)") \
  X(compactions,                 "call",  SUM, "compaction passes that moved blocks") \
  X(compact_blocks,              "block", SUM, "blocks moved by compaction") \
  X(compact_bytes,               "B",     SUM, "D2D bytes copied by compaction") \
  X(policy_calls,                "call",  SUM, "calls into the policy") \
  X(admit_refusals,              "req",   SUM, "admissions the policy deferred") \
  X(prefix_hit_blocks_prompt,    "block", SUM, "prefix hits in prompt blocks") \
  X(prefix_hit_blocks_generated, "block", SUM, "prefix hits in generated blocks") \
  X(prefix_hit_tokens_prompt,    "tok",   SUM, "prefix hit tokens in prompt blocks") \
  X(prefix_hit_tokens_generated, "tok",   SUM, "prefix hit tokens in generated blocks") \
  X(prefix_hit_rate,             "1",     RATIO(prefix_hit_tokens, prefix_queried_tokens), "hit / queried: vLLM's prefix cache hit rate") \
  X(offload_stores,              "block", SUM, "blocks stored to the host's copy of the prefix cache (offload_bytes)") \
  X(offload_loads,               "block", SUM, "blocks loaded back from it at admission (not prefilled)") \
  X(offload_hit_tokens,          "tok",   SUM, "tokens those loads brought back")

#define KV_SAMPLE_METRICS(X) \
  X(t,             "s",    "simulated time at the end of the step") \
  X(step,          "step", "step index") \
  X(running,       "req",  "requests running") \
  X(waiting,       "req",  "requests waiting (queued or preempted)") \
  X(batch_tokens,  "tok",  "tokens computed in the step") \
  X(used,          "B",    "live tokens x bytes per token") \
  X(backed,        "B",    "bytes with physical memory behind them") \
  X(internal_frag, "B",    "allocated - used") \
  X(external_frag, "B",    "free bytes that cannot serve the next request") \
  X(reserved_va,   "B",    "virtual address space reserved") \
  X(metadata,      "B",    "table bytes") \
  X(util,          "1",    "used / backed (0 when nothing is backed)") \
  X(step_time,     "s",    "duration of the step") \
  X(op_time,       "s",    "op time on the critical path in the step")
/* clang-format on */

#define KV_X_FIELD(name, unit, agg, doc) double name;
typedef struct kv_summary {
  KV_SUMMARY_METRICS(KV_X_FIELD)
  double op_count[KV_OP__COUNT]; /* ops per kind (driver calls for VMM) */
  double op_time[KV_OP__COUNT];  /* time per kind, s */
  /* steps whose compute the platform's compute table priced, and those the
   * roofline did (core/inputs/compute_table.h). Outside the metric list, so the
   * CSV and JSON writers stay as they are; Lua's summary exports them with
   * compute_model ("roofline", "table", "mixed" or "roofline+attention
   * table"). compute_steps_attn_table: of the roofline's steps, those whose
   * attention an attention-only table priced (kv_ctab_attn_excess). */
  double compute_steps_table;
  double compute_steps_roofline;
  double compute_steps_attn_table;
} kv_summary;

/* Tiering and prefix-cache outcomes of a run (zero when both are off). */
typedef struct kv_tier_result {
  KV_TIER_METRICS(KV_X_FIELD)
} kv_tier_result;
#undef KV_X_FIELD

#define KV_X_FIELD(name, unit, doc) double name;
typedef struct kv_sample {
  KV_SAMPLE_METRICS(KV_X_FIELD)
} kv_sample;
#undef KV_X_FIELD

/* Why a request was not served. */
typedef enum kv_reject_reason {
  KV_REJECT_NONE = 0,
  KV_REJECT_TOO_LONG = 1, /* prompt + output > the run's max context */
  KV_REJECT_NO_FIT = 2,   /* alone on the GPU and still no room */
  KV_REJECT_TIMEOUT = 3,  /* the client gave up (client_timeout): aborted */
} kv_reject_reason;

/* Per-request outcome. */
typedef struct kv_request_result {
  double arrival, first_token, finish; /* s; < 0 when it never happened */
  uint32_t prompt, output, generated;
  uint32_t preemptions;
  uint8_t rejected;   /* a kv_reject_reason; 0 = served */
  uint32_t truncated; /* prompt tokens cut (long_prompt = truncate) */
} kv_request_result;

typedef struct kv_timeline {
  kv_sample *s;
  size_t n, cap;
} kv_timeline;

void kv_timeline_push(kv_timeline *tl, const kv_sample *s);
void kv_timeline_free(kv_timeline *tl);

/* How a run metric combines across replicas (the list's third column). */
typedef enum kv_metric_agg {
  KV_AGG_SUM,
  KV_AGG_MAX,
  KV_AGG_WMEAN, /* weighted by the metric at offset a */
  KV_AGG_RATIO, /* the metric at offset a / the one at offset b */
  KV_AGG_PCTL,  /* percentile p of latency a (a kv_latency) */
} kv_metric_agg;

/* The latencies PCTL metrics are percentiles of. */
typedef enum kv_latency { KV_LAT_TTFT, KV_LAT_TPOT, KV_LAT_E2E } kv_latency;

/* Metric metadata for generic writers. */
typedef struct kv_metric_info {
  const char *name, *unit, *doc;
  size_t offset;     /* into kv_summary, kv_tier_result or kv_sample */
  kv_metric_agg agg; /* run metrics; KV_AGG_SUM for samples (unused) */
  size_t a, b;       /* the operands of agg (above) */
  double p;          /* PCTL: the percentile, 0 to 100 */
} kv_metric_info;

extern const kv_metric_info kv_summary_info[];
extern const size_t kv_summary_info_n;
extern const kv_metric_info kv_tier_info[];
extern const size_t kv_tier_info_n;
extern const kv_metric_info kv_sample_info[];
extern const size_t kv_sample_info_n;

/* The value of metric m in the record rec (a kv_summary, ...). */
static inline double *kv_metric_at(void *rec, const kv_metric_info *m) {
  return (double *)((char *)rec + m->offset);
}
static inline double kv_metric_get(const void *rec, const kv_metric_info *m) {
  return *(const double *)((const char *)rec + m->offset);
}

/* Recompute the RATIO metrics of rec from its other metrics. */
void kv_metrics_derive(const kv_metric_info *m, size_t n, void *rec);
/* Combine one replica's record `part` into `acc` (zeroed before the
 * first): SUM adds, MAX keeps the larger, WMEAN adds value x weight. */
void kv_metrics_add(const kv_metric_info *m, size_t n, void *acc,
                    const void *part);
/* After the last kv_metrics_add: WMEAN divides by the summed weights (0
 * when they are 0), then kv_metrics_derive. */
void kv_metrics_finish(const kv_metric_info *m, size_t n, void *acc);

/* A summary: the listed metrics, and op_count, op_time and the compute
 * step counts, summed. Then kv_metrics_finish(kv_summary_info, ...). */
void kv_summary_add(kv_summary *acc, const kv_summary *part);

/* ---- latency sketch (a mergeable quantile sketch, DDSketch-style) ----
 *
 * Values x > 0 fall into logarithmic buckets i = ceil(log_g(x)) with
 * g = (1 + a) / (1 - a); bucket i stands for 2 g^i / (g + 1), within a
 * relative error a of every value in it. Values at or below
 * KV_SKETCH_MIN (and negative ones) count in a zero bucket that stands
 * for 0. Quantiles use the same rank rule as kv_percentile_sorted (linear
 * between the two order statistics around p/100 x (n - 1)), each order
 * statistic replaced by its bucket's value, so a percentile is within a
 * relative error a of the exact one (KV_SKETCH_ALPHA = 0.5 %). Merging
 * adds bucket counts: merge(A, B) is the sketch of A's and B's values
 * together, exactly. Memory: one uint64 per bucket between the smallest
 * and the largest value seen (about 230 buckets per decade). */
#define KV_SKETCH_ALPHA 0.005
#define KV_SKETCH_MIN 1e-9
typedef struct kv_sketch {
  uint64_t *counts; /* counts[k] is bucket lo + k */
  int32_t lo, len;  /* buckets held */
  uint64_t zeros;   /* values <= KV_SKETCH_MIN */
  uint64_t n;       /* all values */
} kv_sketch;

void kv_sketch_init(kv_sketch *s);
void kv_sketch_free(kv_sketch *s);
void kv_sketch_add(kv_sketch *s, double x);
void kv_sketch_merge(kv_sketch *into, const kv_sketch *from);
/* p in [0, 100]; 0 when empty (as kv_percentile_sorted) */
double kv_sketch_percentile(const kv_sketch *s, double p);

/* TTFT, TPOT and E2E of a run's requests, with the definitions of
 * kv_summary_latencies (core/engine/engine.h). */
typedef struct kv_latency_sketch {
  kv_sketch ttft, tpot, e2e;
} kv_latency_sketch;

/* CSV writers: header + rows, "%.17g"-free stable formatting ("%.9g"). */
int kv_timeline_write_csv(const kv_timeline *tl, FILE *f);
int kv_summary_write_csv_header(FILE *f);
int kv_summary_write_csv_row(const kv_summary *s, FILE *f);

#ifdef __cplusplus
}
#endif

#endif
