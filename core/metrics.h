/* metrics.h - every metric kvsim reports, defined once.
 *
 * Two X-macro lists (summary per run, sample per timeline point) expand into
 * the structs, the CSV/JSON writers, the Lua tables and the printer. Each
 * entry: X(name, unit, one-line definition). All values are doubles.
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
  X(requests,            "req",   "requests in the workload") \
  X(completed,           "req",   "requests that generated all their tokens") \
  X(rejected,            "req",   "requests rejected (rejected_too_long + rejected_no_fit)") \
  X(rejected_too_long,   "req",   "requests whose prompt + output exceed the run's max context") \
  X(rejected_no_fit,     "req",   "requests that could not be placed even alone on the GPU") \
  X(truncated,           "req",   "requests whose prompt was cut to fit the max context") \
  X(unfinished,          "req",   "requests still queued or running when the run stopped") \
  X(preemptions,         "req",   "preemptions (recompute or swap)") \
  X(swaps_out,           "req",   "requests swapped to the host tier") \
  X(paused_dropped,      "req",   "paused requests whose KV was dropped so a lone request could grow") \
  X(sim_time,            "s",     "simulated time from first arrival to last completion") \
  X(steps,               "step",  "engine steps executed") \
  X(prompt_tokens,       "tok",   "prompt tokens prefilled (recomputation included)") \
  X(generated_tokens,    "tok",   "output tokens generated") \
  X(throughput,          "tok/s", "generated tokens / sim_time") \
  X(ttft_p50,            "s",     "time to first token, median") \
  X(ttft_p90,            "s",     "time to first token, 90th percentile") \
  X(ttft_p99,            "s",     "time to first token, 99th percentile") \
  X(tpot_p50,            "s",     "time per output token after the first, median over requests") \
  X(tpot_p90,            "s",     "time per output token, 90th percentile") \
  X(tpot_p99,            "s",     "time per output token, 99th percentile") \
  X(e2e_p50,             "s",     "arrival to last token, median") \
  X(e2e_p99,             "s",     "arrival to last token, 99th percentile") \
  X(batch_mean,          "req",   "running requests per step, mean over steps") \
  X(batch_peak,          "req",   "peak concurrent running requests") \
  X(util_mean,           "1",     "used/backed, time-weighted mean over steps with backed > 0") \
  X(util_at_peak,        "1",     "used/backed at the step where backed peaks") \
  X(used_mean,           "B",     "live tokens x bytes per token, time-weighted mean") \
  X(used_peak,           "B",     "peak used bytes") \
  X(backed_mean,         "B",     "bytes with physical memory behind them, time-weighted mean") \
  X(backed_peak,         "B",     "peak backed bytes") \
  X(internal_frag_mean,  "B",     "allocated - used inside requests, time-weighted mean") \
  X(internal_frag_frac,  "1",     "internal_frag_mean / backed_mean") \
  X(external_frag_mean,  "B",     "free bytes that cannot serve the next request, time-weighted mean") \
  X(external_frag_frac,  "1",     "external_frag_mean / capacity") \
  X(reserved_va_peak,    "B",     "peak virtual address space reserved") \
  X(metadata_peak,       "B",     "peak block/offset/page table bytes") \
  X(capacity,            "B",     "device bytes available for KV") \
  X(vmm_calls,           "call",  "CUDA VMM driver calls (create/map/set-access/unmap/release/reserve/free)") \
  X(driver_time_critical,"s",     "VMM driver time the engine waited on") \
  X(driver_time_hidden,  "s",     "VMM driver time overlapped with compute") \
  X(driver_time_per_token,"s",    "driver_time_critical / generated_tokens") \
  X(op_time_critical,    "s",     "all op time on the critical path") \
  X(compute_time,        "s",     "forward-pass time") \
  X(cpu_time,            "s",     "engine CPU time on the critical path (the part of the step overheads the GPU waited for)") \
  X(copy_bytes_h2d,      "B",     "bytes copied host -> device") \
  X(copy_bytes_d2h,      "B",     "bytes copied device -> host") \
  X(copy_bytes_d2d,      "B",     "bytes copied device -> device") \
  X(copy_runs,           "run",   "contiguous runs copied (one memcpy each via the copy engine)") \
  X(table_entries,       "entry", "block/offset table entries written")

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

#define KV_X_FIELD(name, unit, doc) double name;
typedef struct kv_summary {
  KV_SUMMARY_METRICS(KV_X_FIELD)
  double op_count[KV_OP__COUNT]; /* ops per kind (driver calls for VMM) */
  double op_time[KV_OP__COUNT];  /* time per kind, s */
  /* steps whose compute the platform's compute table priced, and those the
   * roofline did (core/compute_table.h). Outside the metric list, so the
   * CSV and JSON writers stay as they are; Lua's summary exports them with
   * compute_model ("roofline", "table" or "mixed"). */
  double compute_steps_table;
  double compute_steps_roofline;
} kv_summary;

typedef struct kv_sample {
  KV_SAMPLE_METRICS(KV_X_FIELD)
} kv_sample;
#undef KV_X_FIELD

/* Why a request was not served. */
typedef enum kv_reject_reason {
  KV_REJECT_NONE = 0,
  KV_REJECT_TOO_LONG = 1, /* prompt + output > the run's max context */
  KV_REJECT_NO_FIT = 2,   /* alone on the GPU and still no room */
} kv_reject_reason;

/* Per-request outcome. */
typedef struct kv_request_result {
  double arrival, first_token, finish; /* s; < 0 when it never happened */
  uint32_t prompt, output, generated;
  uint32_t preemptions;
  uint8_t rejected;      /* a kv_reject_reason; 0 = served */
  uint32_t truncated;    /* prompt tokens cut (long_prompt = truncate) */
} kv_request_result;

typedef struct kv_timeline {
  kv_sample *s;
  size_t n, cap;
} kv_timeline;

void kv_timeline_push(kv_timeline *tl, const kv_sample *s);
void kv_timeline_free(kv_timeline *tl);

/* Metric metadata for generic writers. */
typedef struct kv_metric_info {
  const char *name, *unit, *doc;
  size_t offset; /* into kv_summary or kv_sample */
} kv_metric_info;

extern const kv_metric_info kv_summary_info[];
extern const size_t kv_summary_info_n;
extern const kv_metric_info kv_sample_info[];
extern const size_t kv_sample_info_n;

/* CSV writers: header + rows, "%.17g"-free stable formatting ("%.9g"). */
int kv_timeline_write_csv(const kv_timeline *tl, FILE *f);
int kv_summary_write_csv_header(FILE *f);
int kv_summary_write_csv_row(const kv_summary *s, FILE *f);

#ifdef __cplusplus
}
#endif

#endif
