/* test_workload.c - trace loaders (Azure CSV, Mooncake JSONL), synthetic
 * generators (shared-prefix groups: hash layout by hand, determinism,
 * prefix chaining, errors), presets, slicing and statistics
 * (core/workload*.c), and the error path of scripts/download_traces.sh. */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "lua_kvsim.h"
#include "util.h"
#include "workload.h"
#include "workload_testutil.h"

#define DATA KVSIM_SOURCE_DIR "/tests/data/"
#define TRACES KVSIM_SOURCE_DIR "/../shared/traces/"
#define AZURE TRACES "azure2023_conv.csv"
#define MOONCAKE TRACES "mooncake_fast25_conversation.jsonl"

static void assert_rel(double got, double want, double tol, const char *what) {
  cr_assert(fabs(got - want) <= tol * fabs(want),
            "%s: got %g, want %g within %g%%", what, got, want, tol * 100);
}

static int exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0;
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Load a file that must fail; returns the message. */
static const char *load_fails(const char *path, kv_status want) {
  static kv_error e;
  kv_workload w;
  kv_workload_init(&w);
  memset(&e, 0, sizeof e);
  kv_status st = kv_workload_load(path, &w, &e);
  cr_assert_eq(st, want, "%s: status %d (%s), want %d", path, st, e.msg, want);
  cr_assert_eq(w.n, 0);
  cr_assert_null(w.reqs);
  kv_workload_free(&w);
  return e.msg;
}

static void has(const char *msg, const char *part) {
  cr_assert(strstr(msg, part), "expected '%s' in: %s", part, msg);
}

static double repeat_fraction(const kv_workload *w) {
  uint32_t max = 0, *h = all_ids(w);
  for (size_t i = 0; i < w->n_hashes; i++)
    if (h[i] > max) max = h[i];
  unsigned char *seen = calloc((size_t)max + 1, 1);
  size_t rep = 0;
  for (size_t i = 0; i < w->n_hashes; i++) {
    rep += seen[h[i]];
    seen[h[i]] = 1;
  }
  free(seen);
  free(h);
  return w->n_hashes ? (double)rep / (double)w->n_hashes : 0.0;
}

/* ---- small fixtures ---------------------------------------------------- */

Test(workload_azure, columns_by_name_blank_lines_and_sorting) {
  kv_workload w;
  kv_error e = {0};
  kv_workload_init(&w);
  cr_assert_eq(kv_workload_load(DATA "azure_small.csv", &w, &e), KV_OK, "%s",
               e.msg);
  cr_assert_eq(w.n, 4);
  /* file order: 46.5 s, 48.0 s, 47.0 s, 48.0 s -> sorted stably */
  double at[] = {0.0, 0.5, 1.5, 1.5};
  uint32_t prompt[] = {100, 300, 200, 400}, out[] = {10, 30, 20, 40};
  for (size_t i = 0; i < 4; i++) {
    cr_assert_float_eq(w.reqs[i].arrival, at[i], 1e-9, "req %zu", i);
    cr_assert_eq(w.reqs[i].prompt, prompt[i], "req %zu", i);
    cr_assert_eq(w.reqs[i].output, out[i], "req %zu", i);
    cr_assert_eq(w.reqs[i].hash_n, 0);
  }
  has(w.source, "azure_small.csv");
  kv_workload_free(&w);
  cr_assert_null(w.reqs);
}

Test(workload_azure, crlf_no_final_newline_and_year_boundary) {
  kv_workload w;
  kv_error e = {0};
  kv_workload_init(&w);
  cr_assert_eq(kv_workload_load_azure(DATA "azure_crlf.csv", &w, &e), KV_OK,
               "%s", e.msg);
  cr_assert_eq(w.n, 2);
  cr_assert_float_eq(w.reqs[1].arrival, 0.75, 1e-9);
  cr_assert_eq(w.reqs[1].prompt, 20);
  cr_assert_eq(w.reqs[1].output, 2);
  kv_workload_free(&w);
}

Test(workload_azure, malformed_lines_name_file_and_line) {
  const char *m = load_fails(DATA "azure_bad_number.csv", KV_EPARSE);
  has(m, "azure_bad_number.csv:3:");
  has(m, "ContextTokens");
  has(m, "39x");
  m = load_fails(DATA "azure_zero_context.csv", KV_EPARSE);
  has(m, "azure_zero_context.csv:4:");
  has(m, "ContextTokens must be >= 1");
  m = load_fails(DATA "azure_missing_column.csv", KV_EPARSE);
  has(m, "azure_missing_column.csv:3:");
  has(m, "GeneratedTokens");
  m = load_fails(DATA "azure_bad_time.csv", KV_EPARSE);
  has(m, "azure_bad_time.csv:4:");
  has(m, "TIMESTAMP");
  m = load_fails(DATA "azure_binary_line.csv", KV_EPARSE);
  has(m, "azure_binary_line.csv:3:");
  has(m, "0xff");
}

Test(workload_azure, header_problems) {
  kv_workload w;
  kv_error e = {0};
  kv_workload_init(&w);
  const char *m = load_fails(DATA "azure_bad_header.csv", KV_EPARSE);
  has(m, "azure_bad_header.csv:1:");
  has(m, "'GeneratedTokens'");
  /* the Azure reader on a file with no usable header */
  cr_assert_eq(kv_workload_load_azure(DATA "unknown_format.txt", &w, &e),
               KV_EPARSE);
  has(e.msg, "unknown_format.txt:1:");
  has(e.msg, "'TIMESTAMP'");
  m = load_fails(DATA "azure_header_only.csv", KV_EPARSE);
  has(m, "no requests");
}

Test(workload_load, empty_blank_garbage_and_missing_files) {
  has(load_fails(DATA "empty.csv", KV_EPARSE), "empty.csv: empty");
  has(load_fails(DATA "blank_lines.csv", KV_EPARSE), "blank_lines.csv: empty");
  const char *m = load_fails(DATA "binary_garbage.bin", KV_EPARSE);
  has(m, "binary_garbage.bin:1:");
  has(m, "binary");
  m = load_fails(DATA "unknown_format.txt", KV_EPARSE);
  has(m, "unknown_format.txt:1: unknown trace format");
  m = load_fails(DATA "does_not_exist.csv", KV_EIO);
  has(m, "does_not_exist.csv");
  has(m, "No such file");
}

Test(workload_mooncake, small_file_keeps_hashes) {
  kv_workload w;
  kv_error e = {0};
  kv_workload_init(&w);
  cr_assert_eq(kv_workload_load(DATA "mooncake_small.jsonl", &w, &e), KV_OK,
               "%s", e.msg);
  cr_assert_eq(w.n, 4);
  cr_assert_eq(w.hash_block_tokens, 512);
  cr_assert_eq(w.n_hashes, 7);
  /* timestamps 1000, 1500, 3000, 2500.5 ms -> sorted, relative, seconds */
  double at[] = {0.0, 0.5, 1.5005, 2.0};
  uint32_t prompt[] = {1000, 512, 2, 1025}, hn[] = {2, 1, 1, 3};
  for (size_t i = 0; i < 4; i++) {
    cr_assert_float_eq(w.reqs[i].arrival, at[i], 1e-9, "req %zu", i);
    cr_assert_eq(w.reqs[i].prompt, prompt[i], "req %zu", i);
    cr_assert_eq(w.reqs[i].hash_n, hn[i], "req %zu", i);
    cr_assert_eq(hid(&w, &w.reqs[i], 0), 0, "req %zu", i);
  }
  const kv_request_spec *last = &w.reqs[3];
  cr_assert_eq(hid(&w, last, 1), 1);
  cr_assert_eq(hid(&w, last, 2), 2);
  kv_workload_free(&w);
}

Test(workload_mooncake, malformed_lines_name_file_and_line) {
  const char *m = load_fails(DATA "mooncake_bad_hash_count.jsonl", KV_EPARSE);
  has(m, "mooncake_bad_hash_count.jsonl:2:");
  has(m, "hash_ids has 2 entries");
  m = load_fails(DATA "mooncake_malformed.jsonl", KV_EPARSE);
  has(m, "mooncake_malformed.jsonl:3:");
  m = load_fails(DATA "mooncake_bad_json.jsonl", KV_EPARSE);
  has(m, "mooncake_bad_json.jsonl:2:");
  m = load_fails(DATA "mooncake_neg_hash.jsonl", KV_EPARSE);
  has(m, "mooncake_neg_hash.jsonl:2:");
  has(m, "hash_ids[1]");
  m = load_fails(DATA "mooncake_missing_field.jsonl", KV_EPARSE);
  has(m, "mooncake_missing_field.jsonl:2:");
  has(m, "'input_length'");
}

/* ---- the real traces ---------------------------------------------------- */

Test(workload_trace, azure_conv_matches_published_shape) {
  if (!exists(AZURE))
    cr_skip_test("real trace %s absent (scripts/download_traces.sh fetches "
                 "it); not checked",
                 AZURE);
  kv_workload w;
  kv_error e = {0};
  kv_workload_init(&w);
  double t = now();
  cr_assert_eq(kv_workload_load(AZURE, &w, &e), KV_OK, "%s", e.msg);
  double dt = now() - t;
  cr_log_info("azure2023_conv.csv loaded in %.1f ms", dt * 1e3);
  cr_assert(dt < 0.5, "load took %.0f ms", dt * 1e3);
  kv_workload_stats s;
  kv_workload_stats_compute(&w, &s);
  cr_assert_eq(s.n, 19366);
  assert_rel(s.duration, 3502, 0.001, "duration");
  assert_rel(s.rate, 5.53, 0.01, "rate");
  assert_rel(s.interarrival_cv, 1.09, 0.02, "interarrival cv");
  assert_rel(s.prompt_mean, 1155, 0.01, "prompt mean");
  assert_rel(s.prompt_p50, 1020, 0.01, "prompt median");
  assert_rel(s.prompt_p99, 4142, 0.01, "prompt p99");
  cr_assert_eq(s.prompt_max, 14050);
  assert_rel(s.output_mean, 211, 0.01, "output mean");
  assert_rel(s.output_p50, 129, 0.01, "output median");
  assert_rel(s.output_p99, 601, 0.01, "output p99");
  cr_assert_eq(s.output_max, 1000);
  for (size_t i = 1; i < w.n; i++)
    cr_assert(w.reqs[i].arrival >= w.reqs[i - 1].arrival, "req %zu", i);
  kv_workload_free(&w);
}

Test(workload_trace, mooncake_conversation_matches_published_shape) {
  if (!exists(MOONCAKE))
    cr_skip_test("real trace %s absent (scripts/download_traces.sh fetches "
                 "it); not checked",
                 MOONCAKE);
  kv_workload w;
  kv_error e = {0};
  kv_workload_init(&w);
  double t = now();
  cr_assert_eq(kv_workload_load(MOONCAKE, &w, &e), KV_OK, "%s", e.msg);
  double dt = now() - t;
  cr_log_info("mooncake_fast25_conversation.jsonl loaded in %.1f ms", dt * 1e3);
  cr_assert(dt < 0.5, "load took %.0f ms", dt * 1e3);
  kv_workload_stats s;
  kv_workload_stats_compute(&w, &s);
  cr_assert_eq(s.n, 12031);
  cr_assert_eq(w.n_hashes, 288500);
  assert_rel(s.duration, 3537, 0.001, "duration");
  assert_rel(s.interarrival_cv, 3.0, 0.03, "interarrival cv");
  assert_rel(s.prompt_mean, 12035, 0.01, "input mean");
  assert_rel(s.prompt_p50, 6909, 0.01, "input median");
  cr_assert_eq(s.prompt_max, 126195);
  assert_rel(s.output_mean, 343, 0.01, "output mean");
  assert_rel(s.output_p50, 350, 0.01, "output median");
  cr_assert_eq(s.output_max, 2000);
  assert_rel(repeat_fraction(&w), 0.366, 0.01, "repeated block fraction");
  for (size_t i = 0; i < w.n; i++) {
    cr_assert_eq(w.reqs[i].hash_n, (w.reqs[i].prompt + 511) / 512);
    cr_assert_eq(hid(&w, &w.reqs[i], 0), 0);
  }
  kv_workload_free(&w);
}

/* ---- slice, scale, stats ------------------------------------------------ */

Test(workload_ops, slice_rebases_and_compacts_hashes) {
  kv_workload w;
  kv_error e = {0};
  kv_workload_init(&w);
  cr_assert_eq(kv_workload_load(DATA "mooncake_small.jsonl", &w, &e), KV_OK,
               "%s", e.msg);
  kv_workload_slice(&w, 2, 100); /* n clamps to what is left */
  cr_assert_eq(w.n, 2);
  cr_assert_float_eq(w.reqs[0].arrival, 0.0, 1e-12);
  cr_assert_float_eq(w.reqs[1].arrival, 0.4995, 1e-9);
  cr_assert_eq(w.n_hashes, 4);
  cr_assert_eq(w.reqs[0].hash_off, 0);
  cr_assert_eq(w.reqs[1].hash_off, 1);
  cr_assert_eq(w.n_hash_bytes, 4);
  uint32_t want[] = {0, 0, 1, 2}, *h = all_ids(&w);
  for (size_t i = 0; i < 4; i++)
    cr_assert_eq(h[i], want[i]);
  free(h);
  kv_workload_slice(&w, 5, 1);
  cr_assert_eq(w.n, 0);
  kv_workload_free(&w);
}

Test(workload_ops, scale_rate_divides_arrivals) {
  kv_workload w;
  kv_error e = {0};
  kv_workload_init(&w);
  cr_assert_eq(kv_workload_load(DATA "azure_small.csv", &w, &e), KV_OK, "%s",
               e.msg);
  kv_workload_scale_rate(&w, 2.0);
  cr_assert_float_eq(w.reqs[3].arrival, 0.75, 1e-12);
  kv_workload_scale_rate(&w, 0.0); /* ignored */
  kv_workload_scale_rate(&w, -1.0);
  cr_assert_float_eq(w.reqs[3].arrival, 0.75, 1e-12);
  kv_workload_free(&w);
}

Test(workload_ops, stats_of_a_known_workload) {
  kv_request_spec r[4] = {
      {.arrival = 0, .prompt = 1, .output = 10},
      {.arrival = 1, .prompt = 2, .output = 20},
      {.arrival = 2, .prompt = 3, .output = 30},
      {.arrival = 4, .prompt = 4, .output = 40},
  };
  kv_workload w = {.reqs = r, .n = 4};
  kv_workload_stats s;
  kv_workload_stats_compute(&w, &s);
  cr_assert_eq(s.n, 4);
  cr_assert_float_eq(s.duration, 4.0, 1e-12);
  cr_assert_float_eq(s.rate, 1.0, 1e-12);
  /* gaps 1, 1, 2: mean 4/3, population std sqrt(2)/3 */
  cr_assert_float_eq(s.interarrival_cv, (sqrt(2.0) / 3) / (4.0 / 3), 1e-12);
  cr_assert_float_eq(s.prompt_mean, 2.5, 1e-12);
  cr_assert_float_eq(s.prompt_p50, 2.5, 1e-12);
  cr_assert_float_eq(s.prompt_p99, 3.97, 1e-9);
  cr_assert_float_eq(s.output_max, 40, 1e-12);
}

/* ---- synthetic ---------------------------------------------------------- */

static kv_synth_cfg poisson(double rate, size_t n) {
  kv_synth_cfg c = {.arrival = KV_ARRIVAL_POISSON, .rate = rate, .n = n};
  c.prompt = (kv_len_dist){.kind = KV_LEN_FIXED, .a = 100};
  c.output = (kv_len_dist){.kind = KV_LEN_FIXED, .a = 10};
  return c;
}

static kv_workload gen(const kv_synth_cfg *c, uint64_t seed) {
  kv_workload w;
  kv_error e = {0};
  kv_workload_init(&w);
  cr_assert_eq(kv_workload_synthetic(c, seed, &w, &e), KV_OK, "%s", e.msg);
  return w;
}

Test(workload_synth, same_seed_same_stream) {
  kv_synth_cfg c = poisson(3.0, 2000);
  c.prompt = (kv_len_dist){.kind = KV_LEN_LOGNORMAL, .a = 1000, .b = 800};
  c.output = (kv_len_dist){.kind = KV_LEN_UNIFORM, .a = 1, .b = 500};
  kv_workload a = gen(&c, 7), b = gen(&c, 7), d = gen(&c, 8);
  cr_assert_eq(a.n, b.n);
  cr_assert_eq(memcmp(a.reqs, b.reqs, a.n * sizeof *a.reqs), 0);
  cr_assert_eq(a.n, d.n);
  cr_assert_neq(memcmp(a.reqs, d.reqs, a.n * sizeof *a.reqs), 0);
  kv_workload_free(&a);
  kv_workload_free(&b);
  kv_workload_free(&d);
}

Test(workload_synth, poisson_rate_and_cv) {
  kv_synth_cfg c = poisson(10.0, 100000);
  kv_workload w = gen(&c, 1);
  kv_workload_stats s;
  kv_workload_stats_compute(&w, &s);
  cr_assert_eq(s.n, 100000);
  cr_assert_eq(w.reqs[0].arrival, 0.0);
  assert_rel(s.rate, 10.0, 0.02, "poisson rate");
  assert_rel(s.interarrival_cv, 1.0, 0.03, "poisson cv");
  cr_assert_eq(s.prompt_max, 100);
  cr_assert_eq(s.output_mean, 10);
  kv_workload_free(&w);
}

Test(workload_synth, bursty_cv_and_rate) {
  double cvs[] = {0.5, 3.0};
  for (int i = 0; i < 2; i++) {
    kv_synth_cfg c = poisson(5.0, 100000);
    c.arrival = KV_ARRIVAL_BURSTY;
    c.cv = cvs[i];
    kv_workload w = gen(&c, 99);
    kv_workload_stats s;
    kv_workload_stats_compute(&w, &s);
    cr_log_info("bursty cv %.2f: measured cv %.3f rate %.3f", cvs[i],
                s.interarrival_cv, s.rate);
    assert_rel(s.interarrival_cv, cvs[i], 0.10, "bursty cv");
    assert_rel(s.rate, 5.0, 0.05, "bursty rate");
    kv_workload_free(&w);
  }
}

Test(workload_synth, duration_mode_stops_at_duration) {
  kv_synth_cfg c = poisson(10.0, 0);
  c.duration = 100.0;
  kv_workload w = gen(&c, 3);
  cr_assert(w.n > 850 && w.n < 1150, "n = %zu", w.n);
  for (size_t i = 0; i < w.n; i++)
    cr_assert(w.reqs[i].arrival < 100.0);
  kv_workload_free(&w);
}

Test(workload_synth, length_distributions) {
  kv_synth_cfg c = poisson(1.0, 100000);
  c.prompt = (kv_len_dist){.kind = KV_LEN_UNIFORM, .a = 10, .b = 20};
  c.output = (kv_len_dist){.kind = KV_LEN_LOGNORMAL, .a = 1000, .b = 500};
  kv_workload w = gen(&c, 5);
  double sum = 0, so = 0, so2 = 0;
  uint32_t lo = UINT32_MAX, hi = 0;
  for (size_t i = 0; i < w.n; i++) {
    uint32_t p = w.reqs[i].prompt;
    lo = p < lo ? p : lo;
    hi = p > hi ? p : hi;
    sum += p;
    so += w.reqs[i].output;
    so2 += (double)w.reqs[i].output * w.reqs[i].output;
  }
  cr_assert_eq(lo, 10);
  cr_assert_eq(hi, 20);
  assert_rel(sum / w.n, 15.0, 0.01, "uniform mean");
  double mean = so / w.n, sd = sqrt(so2 / w.n - mean * mean);
  assert_rel(mean, 1000, 0.02, "lognormal mean");
  assert_rel(sd, 500, 0.05, "lognormal std");
  kv_workload_free(&w);

  /* clamps and the empirical distribution */
  static const uint32_t vals[] = {3, 70, 900};
  c.n = 20000;
  c.prompt =
      (kv_len_dist){.kind = KV_LEN_EMPIRICAL, .values = vals, .n_values = 3};
  c.output = (kv_len_dist){
      .kind = KV_LEN_LOGNORMAL, .a = 1000, .b = 2000, .min = 50, .max = 3000};
  w = gen(&c, 6);
  int seen[3] = {0};
  for (size_t i = 0; i < w.n; i++) {
    uint32_t p = w.reqs[i].prompt, o = w.reqs[i].output;
    cr_assert(p == 3 || p == 70 || p == 900, "prompt %u", p);
    seen[p == 3 ? 0 : p == 70 ? 1 : 2] = 1;
    cr_assert(o >= 50 && o <= 3000, "output %u", o);
  }
  cr_assert(seen[0] && seen[1] && seen[2]);
  kv_workload_free(&w);
}

Test(workload_synth, bad_configs_name_the_field) {
  struct {
    kv_synth_cfg c;
    const char *field;
  } cases[6];
  for (int i = 0; i < 6; i++)
    cases[i].c = poisson(1.0, 10);
  cases[0].c.rate = 0, cases[0].field = "'rate'";
  cases[1].c.n = 0, cases[1].field = "'duration'";
  cases[2].c.prompt.a = 0, cases[2].field = "'prompt.a'";
  cases[3].c.output = (kv_len_dist){.kind = KV_LEN_UNIFORM, .a = 5, .b = 2};
  cases[3].field = "'output.b'";
  cases[4].c.prompt = (kv_len_dist){.kind = KV_LEN_EMPIRICAL};
  cases[4].field = "'prompt.values'";
  cases[5].c.arrival = KV_ARRIVAL_BURSTY, cases[5].c.cv = -1;
  cases[5].field = "'cv'";
  for (int i = 0; i < 6; i++) {
    kv_workload w;
    kv_error e = {0};
    kv_workload_init(&w);
    cr_assert_eq(kv_workload_synthetic(&cases[i].c, 1, &w, &e), KV_EINVAL,
                 "case %d", i);
    has(e.msg, cases[i].field);
    cr_assert_eq(w.n, 0);
  }
}

/* ---- synthetic shared-prefix groups -------------------------------------- */

static kv_synth_cfg groups(uint32_t g, double sys, double q, size_t n) {
  kv_synth_cfg c = poisson(2.0, n);
  c.prompt = (kv_len_dist){0}; /* unused with prefix groups */
  c.prefix.groups = g;
  c.prefix.system_prompt = (kv_len_dist){.kind = KV_LEN_FIXED, .a = sys};
  c.prefix.question = (kv_len_dist){.kind = KV_LEN_FIXED, .a = q};
  return c;
}

static void ids_are(const kv_workload *w, size_t i, uint32_t prompt,
                    const uint32_t *want, uint32_t n) {
  const kv_request_spec *r = &w->reqs[i];
  cr_assert_eq(r->prompt, prompt, "request %zu: prompt %u", i, r->prompt);
  cr_assert_eq(r->hash_n, n, "request %zu: %u ids, want %u", i, r->hash_n, n);
  for (uint32_t j = 0; j < n; j++)
    cr_assert_eq(hid(w, r, j), want[j], "request %zu id %u: %u, want %u", i, j,
                 hid(w, r, j), want[j]);
}

/* Hand-checked: 2 groups, system prompt 40, question 10, 16-token blocks.
 * Each prompt is 50 tokens = ceil(50/16) = 4 ids; floor(40/16) = 2 whole
 * system-prompt blocks carry the group's ids (group 0: 0 1, group 1: 2 3,
 * handed out first); block 2 holds system tokens 32..39 and question
 * tokens, so it is the request's own, as is the partial block 3 (48..49).
 * Round-robin: requests alternate groups; fresh ids count up from 4. */
Test(workload_prefix, layout_by_hand) {
  kv_synth_cfg c = groups(2, 40, 10, 4);
  kv_workload w = gen(&c, 1);
  cr_assert_eq(w.hash_block_tokens, 16);
  cr_assert_eq(w.n_hashes, 16);
  static const uint32_t r0[] = {0, 1, 4, 5}, r1[] = {2, 3, 6, 7},
                        r2[] = {0, 1, 8, 9}, r3[] = {2, 3, 10, 11};
  ids_are(&w, 0, 50, r0, 4);
  ids_are(&w, 1, 50, r1, 4);
  ids_are(&w, 2, 50, r2, 4);
  ids_are(&w, 3, 50, r3, 4);
  for (size_t i = 0; i < w.n; i++)
    cr_assert_eq(w.reqs[i].output, 10);
  cr_assert(strstr(w.source, "2 prefix groups"), "%s", w.source);
  kv_workload_free(&w);

  /* a pool of 2 prompts in 1 group (system 32 = 2 whole blocks): the third
   * request asks the first prompt again, same length and ids */
  c = groups(1, 32, 5, 3);
  c.prefix.prompts_per_group = (kv_len_dist){.kind = KV_LEN_FIXED, .a = 2};
  w = gen(&c, 1);
  static const uint32_t p0[] = {0, 1, 2}, p1[] = {0, 1, 3};
  ids_are(&w, 0, 37, p0, 3);
  ids_are(&w, 1, 37, p1, 3);
  ids_are(&w, 2, 37, p0, 3);
  kv_workload_free(&w);
}

/* Hand-checked conversation: system 20, question 10, output 12, blocks of
 * 8. Turn 1: prompt 30 -> ids 0 1 (system) 2 3; context 42 keeps the
 * prompt's 3 whole blocks (0 1 2) and gets 4 5 for the blocks its output
 * completes (24..39). Turn 2: prompt 52 -> 0 1 2 4 5 then 6 7; context 64
 * keeps 6 whole blocks and gets 8 9. Turn 3: prompt 74 -> 0 1 2 4 5 6 8 9
 * 10 11. With turns = 2 the third request starts over: 0 1 10 11. Each
 * request's output ids (gen_n, after its prompt ids) are those the next
 * turn's context got: 4 5 for turn 1, 8 9 for turn 2, and for turn 3
 * (context 86: block 9 completed, block 10 not) 12. */
Test(workload_prefix, conversations_by_hand) {
  kv_synth_cfg c = groups(1, 20, 10, 3);
  c.output = (kv_len_dist){.kind = KV_LEN_FIXED, .a = 12};
  c.prefix.block = 8;
  c.prefix.multi_turn = true;
  kv_workload w = gen(&c, 1);
  static const uint32_t t1[] = {0, 1, 2, 3}, t2[] = {0, 1, 2, 4, 5, 6, 7},
                        t3[] = {0, 1, 2, 4, 5, 6, 8, 9, 10, 11};
  ids_are(&w, 0, 30, t1, 4);
  ids_are(&w, 1, 52, t2, 7);
  ids_are(&w, 2, 74, t3, 10);
  cr_assert_eq(w.hash_block_tokens, 8);
  static const uint32_t g[3][2] = {{4, 5}, {8, 9}, {12}}, gn[3] = {2, 2, 1};
  for (size_t i = 0; i < 3; i++) {
    const kv_request_spec *r = &w.reqs[i];
    cr_assert_eq(r->gen_n, gn[i], "request %zu: %u output ids", i, r->gen_n);
    for (uint32_t k = 0; k < gn[i]; k++)
      cr_assert_eq(hid(&w, r, r->hash_n + k), g[i][k],
                   "request %zu output id %u", i, k);
  }
  cr_assert_eq(w.n_hashes, 4 + 2 + 7 + 2 + 10 + 1);
  kv_workload_free(&w);
  c.prefix.turns = 2;
  w = gen(&c, 1);
  static const uint32_t again[] = {0, 1, 10, 11};
  ids_are(&w, 1, 52, t2, 7);
  ids_are(&w, 2, 30, again, 4);
  kv_workload_free(&w);
}

static kv_synth_cfg varied(kv_prefix_order order, bool pool, bool mt) {
  kv_synth_cfg c = groups(7, 0, 0, 3000);
  c.output = (kv_len_dist){.kind = KV_LEN_UNIFORM, .a = 0, .b = 300};
  c.prefix.system_prompt =
      (kv_len_dist){.kind = KV_LEN_LOGNORMAL, .a = 800, .b = 400};
  c.prefix.question = (kv_len_dist){.kind = KV_LEN_UNIFORM, .a = 1, .b = 500};
  if (pool)
    c.prefix.prompts_per_group =
        (kv_len_dist){.kind = KV_LEN_UNIFORM, .a = 1, .b = 9};
  c.prefix.order = order;
  c.prefix.multi_turn = mt;
  c.prefix.turns = mt ? 12 : 0;
  c.prefix.block = 32;
  return c;
}

Test(workload_prefix, same_seed_byte_identical) {
  for (int v = 0; v < 3 * 2 * 2; v++) {
    kv_synth_cfg c = varied((kv_prefix_order)(v % 3), v / 3 % 2, v / 6);
    kv_workload a = gen(&c, 7), b = gen(&c, 7), d = gen(&c, 8);
    cr_assert_eq(a.n, b.n);
    cr_assert_eq(memcmp(a.reqs, b.reqs, a.n * sizeof *a.reqs), 0, "v %d", v);
    cr_assert_eq(a.n_hashes, b.n_hashes);
    cr_assert_eq(a.n_hash_bytes, b.n_hash_bytes);
    cr_assert_eq(memcmp(a.hash_bytes, b.hash_bytes, a.n_hash_bytes), 0);
    cr_assert_str_eq(a.source, b.source);
    cr_assert(a.n_hash_bytes != d.n_hash_bytes ||
                  memcmp(a.hash_bytes, d.hash_bytes, a.n_hash_bytes),
              "seed 8 gave seed 7's ids (v %d)", v);
    kv_workload_free(&a);
    kv_workload_free(&b);
    kv_workload_free(&d);
  }
  /* arrivals and outputs come from the main stream: the same as without
   * groups */
  kv_synth_cfg c = varied(KV_PREFIX_RANDOM, true, false), plain = c;
  plain.prefix.groups = 0;
  plain.prompt = (kv_len_dist){.kind = KV_LEN_FIXED, .a = 5};
  kv_workload a = gen(&c, 3), b = gen(&plain, 3);
  for (size_t i = 0; i < a.n; i++) {
    cr_assert_eq(a.reqs[i].arrival, b.reqs[i].arrival);
    cr_assert_eq(a.reqs[i].output, b.reqs[i].output);
  }
  kv_workload_free(&a);
  kv_workload_free(&b);
}

/* Every variant: ceil(prompt / block) ids per request, then (multi-turn
 * only) the ids of the (prompt + output) / block - prompt / block blocks
 * its output completes, stored in request order; ids prefix-chained (an id
 * always follows the same id and sits at the same position), output ids
 * included (they continue the prompt's whole blocks, as the next turn sees
 * them); an id always covers the same number of tokens (a partial block is
 * shared only by identical prompts). */
Test(workload_prefix, ids_are_prefix_chained) {
  for (int v = 0; v < 3 * 2 * 2; v++) {
    kv_synth_cfg c = varied((kv_prefix_order)(v % 3), v / 3 % 2, v / 6);
    kv_workload w = gen(&c, 11);
    uint32_t B = w.hash_block_tokens, max_id = 0;
    uint32_t *all = all_ids(&w);
    for (size_t k = 0; k < w.n_hashes; k++)
      max_id = all[k] > max_id ? all[k] : max_id;
    int64_t *prev = malloc(((size_t)max_id + 1) * sizeof *prev);
    uint32_t *pos = malloc(((size_t)max_id + 1) * sizeof *pos);
    uint32_t *fill = calloc((size_t)max_id + 1, sizeof *fill);
    for (size_t k = 0; k <= max_id; k++)
      prev[k] = -2;
    size_t total = 0;
    for (size_t i = 0; i < w.n; i++) {
      const kv_request_spec *r = &w.reqs[i];
      size_t base = total; /* r's first id in request order */
      cr_assert_eq(hid(&w, r, 0), all[base]);
      cr_assert_eq(r->hash_n, (r->prompt + B - 1) / B, "v %d req %zu", v, i);
      uint32_t pw = r->prompt / B;
      cr_assert_eq(r->gen_n, v / 6 ? (r->prompt + r->output) / B - pw : 0,
                   "v %d req %zu", v, i);
      total += r->hash_n + r->gen_n;
      /* the prompt's blocks, then the blocks its output completes (they
       * follow the prompt's whole blocks, as in the next turn's prompt) */
      for (uint32_t j = 0; j < r->hash_n + r->gen_n; j++) {
        bool out = j >= r->hash_n;
        uint32_t at = out ? pw + (j - r->hash_n) : j; /* position */
        uint32_t id = all[base + j];
        int64_t p = -1;
        if (at && (!out || j > r->hash_n))
          p = all[base + j - 1];
        else if (at)
          p = all[base + pw - 1]; /* last whole prompt block */
        uint32_t f = out || r->prompt - j * B >= B ? B : r->prompt - j * B;
        if (prev[id] == -2) {
          prev[id] = p;
          pos[id] = at;
          fill[id] = f;
        }
        cr_assert(prev[id] == p && pos[id] == at, "v %d req %zu id %u", v, i,
                  id);
        cr_assert(fill[id] == f, "v %d req %zu: id %u holds %u and %u tokens",
                  v, i, id, fill[id], f);
      }
    }
    cr_assert_eq(total, w.n_hashes);
    free(all);
    free(prev);
    free(pos);
    free(fill);
    kv_workload_free(&w);
  }
}

Test(workload_prefix, bad_configs_name_the_field) {
  struct {
    kv_synth_cfg c;
    const char *field;
  } cases[6];
  for (int i = 0; i < 6; i++)
    cases[i].c = groups(3, 100, 20, 10);
  cases[0].c.prefix.groups = (1u << 24) + 1, cases[0].field = "prefix.groups";
  cases[1].c.prefix.question.a = 0, cases[1].field = "prefix.question.a";
  cases[2].c.prefix.system_prompt = (kv_len_dist){.kind = KV_LEN_EMPIRICAL};
  cases[2].field = "prefix.system_prompt.values";
  cases[3].c.prefix.prompts_per_group =
      (kv_len_dist){.kind = KV_LEN_UNIFORM, .a = 4, .b = 2};
  cases[3].field = "prefix.prompts_per_group.b";
  cases[4].c.prefix.block = (1u << 20) + 1, cases[4].field = "prefix.block";
  cases[5].c.prefix.turns = 3, cases[5].field = "prefix.turns";
  for (int i = 0; i < 6; i++) {
    kv_workload w;
    kv_error e = {0};
    kv_workload_init(&w);
    cr_assert_eq(kv_workload_synthetic(&cases[i].c, 1, &w, &e), KV_EINVAL,
                 "case %d", i);
    has(e.msg, cases[i].field);
    cr_assert_eq(w.n, 0);
  }
  /* a conversation that outgrows 2^32 tokens names 'prefix.turns' */
  kv_synth_cfg c = groups(1, 1, 1, 10);
  c.output = (kv_len_dist){.kind = KV_LEN_FIXED, .a = 1u << 30};
  c.prefix.block = 1u << 20;
  c.prefix.multi_turn = true;
  kv_workload w;
  kv_error e = {0};
  kv_workload_init(&w);
  cr_assert_eq(kv_workload_synthetic(&c, 1, &w, &e), KV_EINVAL);
  has(e.msg, "prefix.turns");
  cr_assert_eq(w.n, 0);
}

/* kv.workload{ synthetic = { prefix = {...} } }: the fields, and errors that
 * name them. */
Test(workload_prefix, lua_fields) {
  lua_State *L = luaL_newstate();
  luaL_openlibs(L);
  kv_lua_openlibs(L, NULL);
  const char *ok =
      "local kv = require 'kvsim'\n"
      "local w = kv.workload{ seed = 1, synthetic = { rate = 2, n = 4,"
      " output = 10, prefix = { groups = 2, system_prompt = 40,"
      " question = { dist = 'fixed', value = 10 }, block = 16,"
      " order = 'round-robin' } } }\n"
      "assert(#w == 4 and w:requests().prompt[4] == 50, tostring(w))\n"
      "return tostring(w)";
  cr_assert_eq(luaL_dostring(L, ok), LUA_OK, "%s", lua_tostring(L, -1));
  has(lua_tostring(L, -1), "2 prefix groups");
  static const struct {
    const char *prefix, *want;
  } bad[] = {
      {"groups = 0, system_prompt = 40, question = 10",
       "'synthetic.prefix.groups'"},
      {"groups = 2, question = 10",
       "'synthetic.prefix.system_prompt': missing"},
      {"groups = 2, system_prompt = 40, question = 10, order = 'rr'",
       "invalid synthetic.prefix.order 'rr'"},
      {"groups = 2, system_prompt = 40, question = 10, turns = 2",
       "'synthetic.prefix.turns'"},
      {"groups = 2, system_prompt = 40, question = 10, blok = 2",
       "unknown key 'blok'"},
      {"groups = 2, system_prompt = 40, question = 0",
       "'synthetic.prefix.question'"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char code[512];
    snprintf(code, sizeof code,
             "require 'kvsim'.workload{ synthetic = { rate = 2, n = 4,"
             " output = 10, prefix = { %s } } }",
             bad[i].prefix);
    cr_assert_neq(luaL_dostring(L, code), LUA_OK, "%s", code);
    has(lua_tostring(L, -1), bad[i].want);
    lua_pop(L, 1);
  }
  cr_assert_neq(luaL_dostring(L, "require 'kvsim'.workload{ synthetic = {"
                                 " rate = 2, n = 4, output = 10, prompt = 5,"
                                 " prefix = { groups = 1, system_prompt = 4,"
                                 " question = 1 } } }"),
                LUA_OK);
  has(lua_tostring(L, -1), "'synthetic.prompt': not used with 'prefix'");
  lua_close(L);
}

/* ---- presets ------------------------------------------------------------ */

static kv_workload_stats preset_stats(const char *name, kv_workload *w) {
  kv_error e = {0};
  kv_workload_init(w);
  cr_assert_eq(kv_workload_preset(name, 2024, w, &e), KV_OK, "%s", e.msg);
  kv_workload_stats s;
  kv_workload_stats_compute(w, &s);
  cr_log_info("%s: n %zu dur %.0f rate %.3f cv %.2f prompt mean %.0f p50 %.0f "
              "p99 %.0f max %.0f output mean %.1f p50 %.0f p99 %.0f max %.0f",
              name, s.n, s.duration, s.rate, s.interarrival_cv, s.prompt_mean,
              s.prompt_p50, s.prompt_p99, s.prompt_max, s.output_mean,
              s.output_p50, s.output_p99, s.output_max);
  char want[64];
  snprintf(want, sizeof want, "synthetic preset %s", name);
  has(w->source, want);
  return s;
}

/* Tolerances: means and medians within 10 %; rates within 10 % (25 % for
 * azure-code, whose cv of 13 makes the total duration itself vary by
 * ~14 %); cvs within 15 % (40 % for azure-code). */
Test(workload_preset, azure_conv_close_to_trace) {
  kv_workload w;
  kv_workload_stats s = preset_stats("azure-conv", &w);
  cr_assert_eq(s.n, 19366);
  assert_rel(s.rate, 5.53, 0.10, "rate");
  assert_rel(s.interarrival_cv, 1.09, 0.15, "cv");
  assert_rel(s.prompt_mean, 1155, 0.10, "prompt mean");
  assert_rel(s.prompt_p50, 1020, 0.10, "prompt median");
  assert_rel(s.output_mean, 211, 0.10, "output mean");
  assert_rel(s.output_p50, 129, 0.10, "output median");
  cr_assert(s.prompt_max <= 14050 && s.output_max <= 1000);
  cr_assert_eq(w.n_hashes, 0);
  kv_workload_free(&w);
}

Test(workload_preset, azure_code_close_to_published_numbers) {
  kv_workload w;
  kv_workload_stats s = preset_stats("azure-code", &w);
  cr_assert_eq(s.n, 8819);
  assert_rel(s.rate, 2.57, 0.25, "rate");
  assert_rel(s.interarrival_cv, 13, 0.40, "cv");
  assert_rel(s.prompt_mean, 2048, 0.10, "prompt mean");
  assert_rel(s.output_mean, 28, 0.10, "output mean");
  kv_workload_free(&w);
}

Test(workload_preset, mooncake_conv_close_to_trace) {
  kv_workload w;
  kv_workload_stats s = preset_stats("mooncake-conv", &w);
  cr_assert_eq(s.n, 12031);
  assert_rel(s.rate, 3.40, 0.10, "rate");
  assert_rel(s.interarrival_cv, 3.0, 0.15, "cv");
  assert_rel(s.prompt_mean, 12035, 0.10, "input mean");
  assert_rel(s.prompt_p50, 6909, 0.10, "input median");
  cr_assert(s.prompt_max <= 126195);
  assert_rel(s.output_mean, 343, 0.10, "output mean");
  assert_rel(s.output_p50, 350, 0.10, "output median");
  cr_assert_eq(w.hash_block_tokens, 512);
  size_t total = 0;
  for (size_t i = 0; i < w.n; i++) {
    cr_assert_eq(w.reqs[i].hash_n, (w.reqs[i].prompt + 511) / 512);
    cr_assert_eq(hid(&w, &w.reqs[i], 0), 0);
    total += w.reqs[i].hash_n;
  }
  cr_assert_eq(w.n_hashes, total);
  double rep = repeat_fraction(&w);
  cr_log_info("mooncake-conv: repeated block fraction %.4f", rep);
  cr_assert(fabs(rep - 0.366) < 0.03, "repeat fraction %.3f", rep);
  kv_workload_free(&w);
}

Test(workload_preset, unknown_preset_lists_names) {
  kv_workload w;
  kv_error e = {0};
  kv_workload_init(&w);
  cr_assert_eq(kv_workload_preset("sharegpt", 1, &w, &e), KV_ENOTFOUND);
  has(e.msg, "'sharegpt'");
  has(e.msg, "azure-conv, azure-code, mooncake-conv");
}

/* ---- download script (no network: error paths only) --------------------- */

static int run(const char *cmd, char *out, size_t cap) {
  FILE *p = popen(cmd, "r");
  cr_assert_not_null(p);
  size_t n = fread(out, 1, cap - 1, p);
  out[n] = '\0';
  int st = pclose(p);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

Test(download_script, unreachable_host_and_bad_checksum) {
  char dir[] = "/tmp/kvsim_dl_XXXXXX", cmd[1024], out[8192];
  cr_assert_not_null(mkdtemp(dir));
  /* port 9 on localhost refuses connections: no network is touched */
  snprintf(cmd, sizeof cmd,
           "KVSIM_AZURE_URL=http://127.0.0.1:9/a.csv "
           "KVSIM_MOONCAKE_URL=file://%s/tests/data/azure_small.csv "
           "sh %s/scripts/download_traces.sh %s 2>&1",
           KVSIM_SOURCE_DIR, KVSIM_SOURCE_DIR, dir);
  int rc = run(cmd, out, sizeof out);
  cr_assert_eq(rc, 1, "rc %d: %s", rc, out);
  has(out, "unreachable");
  has(out, "sha256 mismatch");
  char path[512];
  snprintf(path, sizeof path, "%s/traces/mooncake_fast25_conversation.jsonl",
           dir);
  cr_assert(!exists(path), "a file that failed its checksum was kept");
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  cr_assert_eq(system(cmd), 0);
}

/* GeneratedTokens / output_length 0: prefill-only requests are accepted. */
Test(workload_azure, zero_output_is_a_prefill_only_request) {
  kv_workload w;
  kv_workload_init(&w);
  kv_error e = {0};
  cr_assert_eq(kv_workload_load(DATA "azure_zero_output.csv", &w, &e), KV_OK,
               "%s", e.msg);
  cr_assert_eq(w.n, 1);
  cr_assert_eq(w.reqs[0].prompt, 374);
  cr_assert_eq(w.reqs[0].output, 0);
  kv_workload_free(&w);
}

/* Output 0 (fixed or the low end of a uniform) gives prefill-only requests;
 * a zero prompt is still refused. */
Test(workload_synth, zero_output_lengths_are_prefill_only) {
  kv_synth_cfg c = poisson(2.0, 200);
  c.output = (kv_len_dist){.kind = KV_LEN_UNIFORM, .a = 0, .b = 3};
  kv_workload w = gen(&c, 3);
  size_t zeros = 0;
  for (size_t i = 0; i < w.n; i++) {
    cr_assert_leq(w.reqs[i].output, 3);
    cr_assert_geq(w.reqs[i].prompt, 1);
    zeros += w.reqs[i].output == 0;
  }
  cr_assert_gt(zeros, 20, "uniform 0..3 over 200 draws gave %zu zeros", zeros);
  kv_workload_free(&w);
  c.output = (kv_len_dist){.kind = KV_LEN_FIXED, .a = 0};
  w = gen(&c, 3);
  for (size_t i = 0; i < w.n; i++)
    cr_assert_eq(w.reqs[i].output, 0);
  kv_workload_free(&w);
}

/* ---- issue 15 section 3: today's traces, sessions, streaming ----------- */

Test(workload_azure, week_long_2024_timestamps_with_zone) {
  /* the 2024 traces' TIMESTAMP carries a UTC offset, with and without a
   * fraction (azure2024_small.csv is written here, not copied) */
  kv_workload w;
  kv_error e = {0};
  kv_workload_init(&w);
  cr_assert_eq(kv_workload_load(DATA "azure2024_small.csv", &w, &e), KV_OK,
               "%s", e.msg);
  cr_assert_eq(w.n, 4);
  double at[] = {0.0, 0.49007, 0.49007, 0.99007};
  uint32_t prompt[] = {2162, 300, 7670, 76};
  for (size_t i = 0; i < 4; i++) {
    cr_assert_float_eq(w.reqs[i].arrival, at[i], 1e-9, "req %zu", i);
    cr_assert_eq(w.reqs[i].prompt, prompt[i], "req %zu", i);
  }
  kv_workload_free(&w);
}

static void load_ok(const char *path, const kv_trace_opts *o, kv_workload *w) {
  kv_error e = {0};
  kv_workload_init(w);
  cr_assert_eq(kv_workload_load_opts(path, o, w, &e), KV_OK, "%s: %s", path,
               e.msg);
}

static const char *load_opts_fails(const char *path, const kv_trace_opts *o,
                                   kv_status want) {
  static kv_error e;
  kv_workload w;
  kv_workload_init(&w);
  memset(&e, 0, sizeof e);
  kv_status st = kv_workload_load_opts(path, o, &w, &e);
  cr_assert_eq(st, want, "%s: status %d (%s), want %d", path, st, e.msg, want);
  cr_assert_eq(w.n, 0);
  kv_workload_free(&w);
  return e.msg;
}

Test(workload_burstgpt, failed_rows_counted_and_model_filter) {
  kv_workload w;
  load_ok(DATA "burstgpt_small.csv", NULL, &w); /* detected by its header */
  cr_assert_eq(w.n, 4);
  cr_assert_eq(w.skipped_failed, 2); /* Response tokens 0, "failure" log */
  cr_assert_eq(w.skipped_empty, 1);  /* Request tokens 0 */
  cr_assert_eq(w.skipped_model, 0);
  double at[] = {0, 40, 113, 125.5};
  uint32_t prompt[] = {472, 1087, 417, 20}, out[] = {18, 230, 276, 3};
  for (size_t i = 0; i < 4; i++) {
    cr_assert_float_eq(w.reqs[i].arrival, at[i], 1e-9, "req %zu", i);
    cr_assert_eq(w.reqs[i].prompt, prompt[i], "req %zu", i);
    cr_assert_eq(w.reqs[i].output, out[i], "req %zu", i);
  }
  has(w.source, "2 failed");
  kv_workload_free(&w);
  kv_trace_opts o = {.format = KV_TRACE_BURSTGPT, .model = "chatgpt"};
  load_ok(DATA "burstgpt_small.csv", &o, &w);
  cr_assert_eq(w.n, 3);
  cr_assert_eq(w.skipped_model, 1);
  cr_assert_eq(w.skipped_failed, 2);
  kv_workload_free(&w);
  o.model = "GPT-4";
  load_ok(DATA "burstgpt_small.csv", &o, &w);
  cr_assert_eq(w.n, 1);
  cr_assert_eq(w.skipped_model, 6);
  cr_assert_eq(w.reqs[0].prompt, 417);
  kv_workload_free(&w);
  o.model = "Claude";
  const char *m = load_opts_fails(DATA "burstgpt_small.csv", &o, KV_EPARSE);
  has(m, "no requests kept");
  has(m, "7 of another model");
}

Test(workload_burstgpt, bad_inputs_name_file_line_and_field) {
  const char *m = load_fails(DATA "burstgpt_bad_number.csv", KV_EPARSE);
  has(m, "burstgpt_bad_number.csv:3:");
  has(m, "Request tokens");
  has(m, "4x2");
  m = load_fails(DATA "burstgpt_missing_column.csv", KV_EPARSE);
  has(m, "burstgpt_missing_column.csv:3:");
  has(m, "'Request tokens'");
  kv_trace_opts o = {.format = KV_TRACE_BURSTGPT};
  m = load_opts_fails(DATA "azure_small.csv", &o, KV_EPARSE);
  has(m, "azure_small.csv:1:");
  has(m, "'Request tokens'");
  /* a model filter on an Azure file is refused, not ignored */
  o = (kv_trace_opts){.model = "ChatGPT"};
  m = load_opts_fails(DATA "azure_small.csv", &o, KV_EINVAL);
  has(m, "'model' is for BurstGPT");
}

Test(workload_blockhash, qwen_bailian_seconds_and_16_token_blocks) {
  kv_trace_opts o = {
      .format = KV_TRACE_BLOCKHASH, .hash_block = 16, .time_scale = 1};
  kv_workload w;
  load_ok(DATA "qwen_small.jsonl", &o, &w);
  cr_assert_eq(w.n, 3);
  cr_assert_eq(w.hash_block_tokens, 16);
  cr_assert_eq(w.n_hashes, 9);
  double at[] = {0, 0.75, 1.5};
  uint32_t hn[] = {3, 1, 5};
  for (size_t i = 0; i < 3; i++) {
    cr_assert_float_eq(w.reqs[i].arrival, at[i], 1e-12, "req %zu", i);
    cr_assert_eq(w.reqs[i].hash_n, hn[i], "req %zu", i);
  }
  /* the second turn repeats its parent's two whole blocks */
  uint32_t h[5];
  kv_workload_ids(&w, 2, h);
  cr_assert(h[0] == 0 && h[1] == 1 && h[2] == 4);
  has(w.source, "16-token blocks");
  kv_workload_free(&w);
  /* the same file with Mooncake's 512-token default fails on line 1 */
  const char *m = load_fails(DATA "qwen_small.jsonl", KV_EPARSE);
  has(m, "qwen_small.jsonl:1:");
  has(m, "hash_ids has 3 entries but input_length 40 needs ceil(40/512)");
  m = load_opts_fails(DATA "qwen_bad_count.jsonl", &o, KV_EPARSE);
  has(m, "qwen_bad_count.jsonl:2:");
  has(m, "hash_ids has 2 entries but input_length 33 needs ceil(33/16) = 3");
}

Test(workload_blockhash, field_names_units_and_bad_options) {
  kv_trace_opts o = {.hash_block = 64,
                     .time_scale = 1e-6,
                     .time_field = "t_us",
                     .input_field = "prompt_tokens",
                     .output_field = "completion_tokens",
                     .hash_field = "blocks"};
  kv_workload w;
  load_ok(DATA "blockhash_fields.jsonl", &o, &w); /* auto: JSON lines */
  cr_assert_eq(w.n, 3);
  double at[] = {0, 0.5, 1.0};
  uint32_t prompt[] = {64, 65, 128}, hn[] = {1, 0, 2};
  for (size_t i = 0; i < 3; i++) {
    cr_assert_float_eq(w.reqs[i].arrival, at[i], 1e-12, "req %zu", i);
    cr_assert_eq(w.reqs[i].prompt, prompt[i], "req %zu", i);
    cr_assert_eq(w.reqs[i].hash_n, hn[i], "req %zu", i);
  }
  cr_assert_eq(w.reqs[0].output, 0); /* prefill-only */
  kv_workload_free(&w);
  const char *m =
      load_opts_fails(DATA "blockhash_bad_time.jsonl", &o, KV_EPARSE);
  has(m, "blockhash_bad_time.jsonl:2:");
  has(m, "field 't_us' must be a number (us)");
  o.input_field = "input_length";
  m = load_opts_fails(DATA "blockhash_fields.jsonl", &o, KV_EPARSE);
  has(m, "blockhash_fields.jsonl:1: missing field 'input_length'");
  kv_trace_opts bad = {.format = KV_TRACE_BLOCKHASH, .hash_block = 1u << 21};
  has(load_opts_fails(DATA "qwen_small.jsonl", &bad, KV_EINVAL),
      "'hash_block' must be in [1, 1048576]");
  bad = (kv_trace_opts){.format = KV_TRACE_BLOCKHASH, .time_scale = -1};
  has(load_opts_fails(DATA "qwen_small.jsonl", &bad, KV_EINVAL),
      "'time_scale' must be > 0");
  bad = (kv_trace_opts){.format = KV_TRACE_AZURE, .hash_block = 16};
  has(load_opts_fails(DATA "azure_small.csv", &bad, KV_EINVAL),
      "block-hash JSONL only");
  bad = (kv_trace_opts){.hash_block = 16};
  has(load_opts_fails(DATA "azure_small.csv", &bad, KV_EINVAL),
      "block-hash JSONL only");
}

/* Bytes the loaded structure holds per request, for a generated file of
 * n lines (not RSS: kv_workload_bytes counts the arrays' allocations). */
static double bytes_per_request(const char *path, size_t n, int jsonl) {
  FILE *f = fopen(path, "w");
  cr_assert_not_null(f);
  if (!jsonl) fprintf(f, "TIMESTAMP,ContextTokens,GeneratedTokens\n");
  for (size_t i = 0; i < n; i++) {
    uint32_t in = 100 + (uint32_t)(i * 7919 % 2000);
    if (jsonl) {
      fprintf(f,
              "{\"timestamp\": %zu, \"input_length\": %u, \"output_length\": "
              "%u, \"hash_ids\": [",
              i * 10, in, 1 + (unsigned)(i % 300));
      for (uint32_t k = 0; k < (in + 511) / 512; k++)
        fprintf(f, "%s%zu", k ? ", " : "", k ? i * 8 + k : 0);
      fprintf(f, "]}\n");
    } else {
      fprintf(f, "2024-05-10 %02zu:%02zu:%02zu.%06zu+00:00,%u,%u\n",
              i / 360000 % 24, i / 6000 % 60, i / 100 % 60, i % 100 * 10000, in,
              1 + (unsigned)(i % 300));
    }
  }
  fclose(f);
  kv_workload w;
  kv_error e = {0};
  kv_workload_init(&w);
  cr_assert_eq(kv_workload_load(path, &w, &e), KV_OK, "%s", e.msg);
  cr_assert_eq(w.n, n);
  double b = (double)kv_workload_bytes(&w) / (double)w.n;
  double ids = (double)w.n_hashes / (double)w.n;
  cr_log_info("%s: %zu requests, %.1f hash ids each, %.1f bytes/request held",
              path, w.n, ids, b);
  /* the arrays are trimmed: a request record plus its ids, within 2 % */
  cr_assert(b <= (sizeof(kv_request_spec) + 4 * ids) * 1.02 + 1, "%g", b);
  kv_workload_free(&w);
  remove(path);
  return b;
}

Test(workload_stream, bytes_per_request_held_are_bounded) {
  char csv[] = "/tmp/kvsim_stream_XXXXXX";
  int fd = mkstemp(csv);
  cr_assert(fd >= 0);
  close(fd);
  /* Azure: 32 bytes per request (the request record alone) */
  double b = bytes_per_request(csv, 100000, 0);
  cr_assert(b <= 33, "%g", b);
  char js[] = "/tmp/kvsim_stream_XXXXXX";
  fd = mkstemp(js);
  cr_assert(fd >= 0);
  close(fd);
  /* 512-token blocks, ~2.4 ids per request here: <= 100 bytes */
  b = bytes_per_request(js, 100000, 1);
  cr_assert(b <= 100, "%g", b);
}

/* Hash ids are stored varint-delta coded (kv_hash_encode): every sequence
 * decodes back to itself, extremes included (0, UINT32_MAX, jumps of
 * +-(2^32 - 1) that take the most bytes), a run of consecutive ids takes a
 * byte each, and kv_hash_span measures what encode wrote. */
Test(workload_hash_coding, encode_decode_round_trip_with_extremes) {
  static const uint32_t fixed[] = {0,          UINT32_MAX, 0,           1,
                                   UINT32_MAX, UINT32_MAX, 2147483648u, 64,
                                   0,          63,         127,         128};
  enum { N = sizeof fixed / sizeof *fixed, RUN = 100 };
  uint8_t buf[RUN * KV_HASH_MAX_BYTES]; /* room for the run below too */
  uint32_t back[N];
  size_t k = kv_hash_encode(fixed, N, buf);
  cr_assert_leq(k, sizeof buf);
  cr_assert_eq(kv_hash_span(buf, N), k);
  cr_assert_eq(kv_hash_decode(buf, N, back), k);
  for (size_t i = 0; i < N; i++)
    cr_assert_eq(back[i], fixed[i], "id %zu: %u, want %u", i, back[i],
                 fixed[i]);
  /* a jump of 2^32 - 1 either way takes the most bytes */
  const uint32_t up[2] = {0, UINT32_MAX}, down[2] = {UINT32_MAX, 0};
  cr_assert_eq(kv_hash_encode(up, 2, buf), 1 + KV_HASH_MAX_BYTES);
  cr_assert_eq(kv_hash_encode(down, 2, buf), 2 * KV_HASH_MAX_BYTES);
  /* consecutive ids: one byte each after the first */
  uint32_t run[RUN];
  for (uint32_t i = 0; i < RUN; i++)
    run[i] = 1000000 + i;
  k = kv_hash_encode(run, RUN, buf);
  cr_assert_eq(k, 3 + (RUN - 1), "%zu", k);
  /* random sequences, every magnitude of difference */
  uint32_t *v = malloc(4096 * sizeof *v), *w = malloc(4096 * sizeof *w);
  uint8_t *b = malloc(4096 * KV_HASH_MAX_BYTES);
  kv_rng r;
  kv_rng_seed(&r, 15);
  for (int t = 0; t < 200; t++) {
    size_t n = (size_t)kv_rng_below(&r, 4096) + 1;
    for (size_t i = 0; i < n; i++) {
      uint32_t bits = (uint32_t)kv_rng_below(&r, 33);
      uint64_t x = kv_rng_below(&r, (uint64_t)1 << 32);
      v[i] = bits == 32 ? (uint32_t)x : (uint32_t)(x & ((1ull << bits) - 1));
    }
    size_t m = kv_hash_encode(v, n, b);
    cr_assert_leq(m, n * KV_HASH_MAX_BYTES);
    cr_assert_eq(kv_hash_span(b, n), m);
    cr_assert_eq(kv_hash_decode(b, n, w), m);
    cr_assert_eq(memcmp(v, w, n * sizeof *v), 0, "sequence %d", t);
  }
  free(v);
  free(w);
  free(b);
}

Test(workload_session, statistics_follow_the_parameters) {
  kv_synth_cfg c;
  memset(&c, 0, sizeof c);
  c.arrival = KV_ARRIVAL_POISSON;
  c.rate = 2; /* sessions per second */
  c.n = 20000;
  c.output = (kv_len_dist){.kind = KV_LEN_UNIFORM, .a = 10, .b = 90};
  c.prefix.groups = 4;
  c.prefix.system_prompt = (kv_len_dist){.kind = KV_LEN_FIXED, .a = 100};
  c.prefix.question = (kv_len_dist){.kind = KV_LEN_UNIFORM, .a = 20, .b = 60};
  c.prefix.block = 16;
  c.session.on = true;
  c.session.turns = (kv_len_dist){.kind = KV_LEN_UNIFORM, .a = 1, .b = 9};
  c.session.think = (kv_think_dist){.kind = KV_THINK_EXPONENTIAL, .mean = 30};
  c.session.answer_time = 0.02;
  kv_workload w;
  kv_error e = {0};
  kv_workload_init(&w);
  cr_assert_eq(kv_workload_synthetic(&c, 7, &w, &e), KV_OK, "%s", e.msg);
  cr_assert_not_null(w.session);
  /* turns per session: uniform [1, 9], mean 5 */
  assert_rel((double)w.n / 20000.0, 5.0, 0.02, "turns per session");
  /* walk each session in arrival order */
  uint64_t *last_ctx = calloc(20000, sizeof *last_ctx);
  double *last_at = calloc(20000, sizeof *last_at);
  uint32_t *last_out = calloc(20000, sizeof *last_out);
  size_t *last_i = calloc(20000, sizeof *last_i);
  uint32_t *turn = calloc(20000, sizeof *turn);
  double think_sum = 0, q_sum = 0, starts = 0, first_start = -1;
  size_t n_think = 0, n_first = 0;
  for (size_t i = 0; i < w.n; i++) {
    const kv_request_spec *q = &w.reqs[i];
    uint32_t s = w.session[i];
    cr_assert(s < 20000);
    if (i) cr_assert(q->arrival >= w.reqs[i - 1].arrival);
    uint64_t ctx = turn[s] ? last_ctx[s] + last_out[s] : 100;
    cr_assert(q->prompt > ctx, "request %zu", i);
    double qlen = (double)(q->prompt - ctx);
    cr_assert(qlen >= 20 && qlen <= 60, "request %zu: question %g", i, qlen);
    q_sum += qlen;
    if (turn[s]) {
      double gap = q->arrival - last_at[s] - 0.02 * last_out[s];
      cr_assert(gap >= -1e-9, "request %zu", i);
      think_sum += gap;
      n_think++;
      /* the prompt shares every whole block of the previous prompt and
       * output (the conversation so far) */
      const kv_request_spec *p = &w.reqs[last_i[s]];
      uint32_t keep = (uint32_t)((p->prompt + p->output) / 16);
      for (uint32_t k = 0; k < keep && k < p->prompt / 16; k++)
        cr_assert_eq(hid(&w, q, k), hid(&w, p, k), "request %zu block %u", i,
                     k);
      for (uint32_t k = p->prompt / 16; k < keep; k++)
        cr_assert_eq(hid(&w, q, k), hid(&w, p, p->hash_n + k - p->prompt / 16),
                     "request %zu generated block %u", i, k);
    } else {
      if (first_start < 0) first_start = q->arrival;
      starts = q->arrival;
      n_first++;
      /* a first turn shares its group's whole system-prompt blocks */
      cr_assert_eq(q->hash_n, (q->prompt + 15) / 16);
    }
    cr_assert_eq(q->hash_n, (q->prompt + 15) / 16);
    last_ctx[s] = q->prompt;
    last_out[s] = q->output;
    last_at[s] = q->arrival;
    last_i[s] = i;
    turn[s]++;
  }
  cr_assert_eq(n_first, 20000);
  assert_rel(think_sum / (double)n_think, 30.0, 0.03, "mean think time");
  assert_rel(q_sum / (double)w.n, 40.0, 0.02, "mean question");
  /* session starts: Poisson at 2/s */
  assert_rel(19999.0 / (starts - first_start), 2.0, 0.03, "session rate");
  free(last_ctx);
  free(last_at);
  free(last_out);
  free(last_i);
  free(turn);
  /* same seed, same workload */
  kv_workload w2;
  kv_workload_init(&w2);
  cr_assert_eq(kv_workload_synthetic(&c, 7, &w2, &e), KV_OK, "%s", e.msg);
  cr_assert_eq(w2.n, w.n);
  cr_assert_eq(memcmp(w2.reqs, w.reqs, w.n * sizeof *w.reqs), 0);
  cr_assert_eq(w2.n_hash_bytes, w.n_hash_bytes);
  cr_assert_eq(memcmp(w2.hash_bytes, w.hash_bytes, w.n_hash_bytes), 0);
  /* slicing keeps the session ids aligned */
  kv_workload_slice(&w2, 10, 100);
  cr_assert_eq(memcmp(w2.session, w.session + 10, 100 * sizeof *w.session), 0);
  kv_workload_free(&w2);
  kv_workload_free(&w);
}

Test(workload_session, bad_configs_name_the_field) {
  kv_synth_cfg c;
  memset(&c, 0, sizeof c);
  c.rate = 1;
  c.n = 10;
  c.output = (kv_len_dist){.kind = KV_LEN_FIXED, .a = 10};
  c.prompt = (kv_len_dist){.kind = KV_LEN_FIXED, .a = 10};
  c.session.on = true;
  c.session.turns = (kv_len_dist){.kind = KV_LEN_FIXED, .a = 3};
  kv_workload w;
  kv_error e = {0};
  kv_workload_init(&w);
  cr_assert_eq(kv_workload_synthetic(&c, 1, &w, &e), KV_EINVAL);
  has(e.msg, "'session' needs 'prefix'");
  c.prefix.groups = 1;
  c.prefix.system_prompt = (kv_len_dist){.kind = KV_LEN_FIXED, .a = 10};
  c.prefix.question = (kv_len_dist){.kind = KV_LEN_FIXED, .a = 10};
  c.session.turns.a = 0;
  cr_assert_eq(kv_workload_synthetic(&c, 1, &w, &e), KV_EINVAL);
  has(e.msg, "'session.turns.a'");
  c.session.turns.a = 3;
  c.session.think = (kv_think_dist){.kind = KV_THINK_LOGNORMAL, .mean = -1};
  cr_assert_eq(kv_workload_synthetic(&c, 1, &w, &e), KV_EINVAL);
  has(e.msg, "'session.think.mean'");
  c.session.think.mean = 5;
  c.prefix.order = KV_PREFIX_SHUFFLE;
  cr_assert_eq(kv_workload_synthetic(&c, 1, &w, &e), KV_EINVAL);
  has(e.msg, "'prefix.order'");
  c.prefix.order = KV_PREFIX_ROUND_ROBIN;
  cr_assert_eq(kv_workload_synthetic(&c, 1, &w, &e), KV_OK, "%s", e.msg);
  cr_assert_eq(w.n, 30);
  kv_workload_free(&w);
}
