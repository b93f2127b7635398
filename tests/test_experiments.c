/* test_experiments.c - the offload, scale and vllm_validation experiments,
 * fragmentation's memory-pressure setting, and the replicas API, run through
 * the built kvsim command ($KVSIM_BIN) in their --quick versions; their CSV
 * outputs are read back and checked against what the model must give
 * (accounting identities, bandwidth bounds of the shared links, determinism),
 * never against stored numbers; and the C side of replicas (dispatch,
 * aggregate, the sweep's pipe). Main entry point: the Criterion tests below.
 */
#include <criterion/criterion.h>

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine.h"
#include "strategy.h"
#include "sweep.h"

#include "kvsim_testutil.h"

/* ---- a small CSV reader (no quoted cells in these files) ---- */

#define MAX_ROWS 128
#define MAX_COLS 64 /* summary.csv has about 55 */

typedef struct csv {
  char *text;
  size_t rows, cols;
  char *head[MAX_COLS];
  char *cell[MAX_ROWS][MAX_COLS];
} csv;

static void csv_load(csv *c, const char *path) {
  memset(c, 0, sizeof *c);
  c->text = slurp(path);
  cr_assert_not_null(c->text, "cannot read %s", path);
  char *save = NULL;
  size_t line = 0;
  for (char *l = strtok_r(c->text, "\n", &save); l;
       l = strtok_r(NULL, "\n", &save), line++) {
    cr_assert_lt(line, MAX_ROWS + 1, "%s: too many rows", path);
    char **dst = line == 0 ? c->head : c->cell[line - 1];
    size_t k = 0;
    char *p = l;
    for (;;) {
      cr_assert_lt(k, MAX_COLS);
      dst[k++] = p;
      char *comma = strchr(p, ',');
      if (!comma) break;
      *comma = 0;
      p = comma + 1;
    }
    if (line == 0)
      c->cols = k;
    else
      cr_assert_eq(k, c->cols, "%s row %zu: %zu cells, header has %zu", path,
                   line, k, c->cols);
  }
  c->rows = line ? line - 1 : 0;
}

static size_t col(const csv *c, const char *name) {
  for (size_t k = 0; k < c->cols; k++)
    if (strcmp(c->head[k], name) == 0) return k;
  cr_assert_fail("no column '%s'", name);
  return 0;
}

static double num(const csv *c, size_t row, const char *name) {
  return strtod(c->cell[row][col(c, name)], NULL);
}

static const char *str(const csv *c, size_t row, const char *name) {
  return c->cell[row][col(c, name)];
}

static size_t find_row(const csv *c, const char *label) {
  for (size_t r = 0; r < c->rows; r++)
    if (strcmp(str(c, r, "label"), label) == 0) return r;
  cr_assert_fail("no row '%s'", label);
  return 0;
}

static void make_tmpdir(char *dir) {
  strcpy(dir, "/tmp/kvsim_expXXXXXX");
  cr_assert_not_null(mkdtemp(dir));
}

static void remove_dir(const char *dir) {
  char cmd[256];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  cr_assert_eq(system(cmd), 0);
}

/* ---------------------------------------------------------------- offload */

Test(experiments, offload_quick_accounts_for_every_swap, .timeout = 120) {
  char dir[64], out[128], log[128], path[160];
  make_tmpdir(dir);
  snprintf(out, sizeof out, "%s/out", dir);
  snprintf(log, sizeof log, "%s/log", dir);
  const char *args[] = {"--quick", "--no-plot", "--out", out, NULL};
  int st = kvsim_run(log, "experiments/offload.lua", args);
  char *text = slurp(log);
  cr_assert_eq(st, 0, "offload.lua failed:\n%s", text ? text : "");
  cr_assert(strstr(text, "Conclusion. "), "no conclusion in:\n%s", text);
  free(text);

  csv c;
  snprintf(path, sizeof path, "%s/summary.csv", out);
  csv_load(&c, path);
  cr_assert_eq(c.rows, 12, "4 strategies x 3 modes, got %zu rows", c.rows);
  int swapped = 0;
  for (size_t r = 0; r < c.rows; r++) {
    const char *mode = str(&c, r, "mode");
    double d2h = num(&c, r, "d2h_bytes"), h2d = num(&c, r, "h2d_bytes");
    cr_assert_eq(num(&c, r, "completed"), 300, "%s", str(&c, r, "label"));
    if (strcmp(mode, "recompute") == 0) {
      cr_assert_eq(num(&c, r, "swaps"), 0);
      cr_assert_eq(d2h + h2d, 0, "%s copies without swapping",
                   str(&c, r, "label"));
    } else {
      /* a big host tier: every preemption is a swap, every byte swapped
       * out comes back before its request finishes */
      cr_assert_eq(num(&c, r, "swaps"), num(&c, r, "preemptions"), "%s",
                   str(&c, r, "label"));
      cr_assert_eq(d2h, h2d, "%s: %g out, %g in", str(&c, r, "label"), d2h,
                   h2d);
      if (num(&c, r, "swaps") > 0) {
        swapped++;
        cr_assert_gt(num(&c, r, "swap_time"), 0);
        /* no copy beats a PCIe Gen5 x16 link (64 GB/s each way) */
        cr_assert_leq(num(&c, r, "swap_bw"), 2 * 64e9);
      }
    }
  }
  cr_assert_geq(swapped, 4, "the quick run must swap (got %d configs)",
                swapped);
  /* recompute prefills again what swap keeps */
  size_t rc = find_row(&c, "paged/recompute"),
         se = find_row(&c, "paged/swap-engine");
  if (num(&c, rc, "preemptions") > 0)
    cr_assert_gt(num(&c, rc, "prompt_tokens"), num(&c, se, "prompt_tokens"));
  free(c.text);

  /* granularity: smaller runs cost the per-memcpy issue overhead, which a
   * gather kernel does not pay */
  snprintf(path, sizeof path, "%s/granularity.csv", out);
  csv_load(&c, path);
  cr_assert_eq(c.rows, 8);
  size_t e1 = find_row(&c, "paged-1/swap-engine"),
         k1 = find_row(&c, "paged-1/swap-kernel"),
         e64 = find_row(&c, "paged-64/swap-engine");
  cr_assert_gt(num(&c, k1, "swap_bw"), 1.5 * num(&c, e1, "swap_bw"));
  cr_assert_gt(num(&c, e64, "swap_bw"), num(&c, e1, "swap_bw"));
  cr_assert_lt(num(&c, e1, "mean_run_bytes"), num(&c, e64, "mean_run_bytes"));
  free(c.text);
  snprintf(path, sizeof path, "%s/summary.json", out);
  struct stat sb;
  cr_assert_eq(stat(path, &sb), 0);
  remove_dir(dir);
}

/* ------------------------------------------------ fragmentation pressure */

/* experiments/fragmentation.lua's second table (issue 15, section 2) on 300
 * synthetic requests: the pressure runs get the KV capacity asked for,
 * static's 8,192-token reservations cap its batch at capacity / 1 GiB,
 * paged-16 runs more requests and delivers more; --no-pressure writes the
 * first table's files byte for byte as the full run does, and no more. */
static void frag_pressure_check(const char *gib, double cap_gib) {
  char dir[64], out[128], out0[128], log[128], path[192], p0[192];
  make_tmpdir(dir);
  snprintf(out, sizeof out, "%s/out", dir);
  snprintf(out0, sizeof out0, "%s/out0", dir);
  snprintf(log, sizeof log, "%s/log", dir);
  const char *args[] = {
      "--synthetic", "--requests",        "300", "--backend", "ideal",
      "--no-plot",   "--pressure-kv-gib", gib,   "--out",     out,
      NULL};
  int st = kvsim_run(log, "experiments/fragmentation.lua", args);
  char *text = slurp(log);
  cr_assert_eq(st, 0, "fragmentation.lua failed:\n%s", text ? text : "");
  cr_assert(strstr(text, "Under memory pressure: the same 300 requests"),
            "no pressure setting line in:\n%s", text);
  cr_assert(strstr(text, "times static's throughput"),
            "no pressure conclusion in:\n%s", text);
  free(text);

  csv c;
  snprintf(path, sizeof path, "%s/pressure/summary.csv", out);
  csv_load(&c, path);
  cr_assert_eq(c.rows, 8, "8 strategies, got %zu rows", c.rows);
  double cap = cap_gib * 1024 * 1024 * 1024;
  for (size_t r = 0; r < c.rows; r++) {
    const char *l = str(&c, r, "label");
    cr_assert_eq(num(&c, r, "capacity"), cap, "%s", l);
    cr_assert_leq(num(&c, r, "backed_peak"), cap, "%s", l);
    cr_assert_eq(num(&c, r, "completed") + num(&c, r, "rejected"),
                 num(&c, r, "requests"), "%s", l);
  }
  size_t s = find_row(&c, "static"), p = find_row(&c, "paged-16");
  /* Llama-3-8B: 128 KiB per token, 8,192 tokens = 1 GiB per request */
  cr_assert_leq(num(&c, s, "batch_peak"), cap_gib);
  cr_assert_gt(num(&c, p, "batch_peak"), num(&c, s, "batch_peak"));
  cr_assert_gt(num(&c, p, "throughput"), num(&c, s, "throughput"));
  free(c.text);
  snprintf(path, sizeof path, "%s/pressure/summary.json", out);
  char *json = slurp(path);
  cr_assert(json && strstr(json, "\"speedup\": 4"), "no speedup in %s", path);
  free(json);

  const char *args0[] = {
      "--synthetic", "--requests",    "300",   "--backend", "ideal",
      "--no-plot",   "--no-pressure", "--out", out0,        NULL};
  st = kvsim_run(log, "experiments/fragmentation.lua", args0);
  cr_assert_eq(st, 0, "--no-pressure failed");
  snprintf(path, sizeof path, "%s/pressure", out0);
  struct stat sb;
  cr_assert_neq(stat(path, &sb), 0, "--no-pressure wrote %s", path);
  const char *files[] = {"summary.csv", "summary.json", "timeline_static.csv",
                         "timeline_paged-16.csv"};
  for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
    snprintf(path, sizeof path, "%s/%s", out, files[i]);
    snprintf(p0, sizeof p0, "%s/%s", out0, files[i]);
    char *a = slurp(path), *b = slurp(p0);
    cr_assert(a && b && strcmp(a, b) == 0,
              "%s differs with and without the pressure runs", files[i]);
    free(a);
    free(b);
  }
  remove_dir(dir);
}

Test(experiments, fragmentation_pressure_binds_memory, .timeout = 120) {
  frag_pressure_check("16", 16);
  frag_pressure_check("8", 8);
}

/* --model and --max-context: another model, and a context limit every
 * strategy serves (the same requests rejected as too long under each;
 * static reserves the limit, so its peak batch is capacity / (limit x
 * 128 KiB) at most); a bad model is named. */
Test(experiments, fragmentation_model_and_context, .timeout = 120) {
  char dir[64], out[128], log[128], path[192];
  make_tmpdir(dir);
  snprintf(out, sizeof out, "%s/out", dir);
  snprintf(log, sizeof log, "%s/log", dir);
  const char *args[] = {"--synthetic",
                        "--requests",
                        "300",
                        "--backend",
                        "ideal",
                        "--no-plot",
                        "--no-pressure",
                        "--model",
                        "llama-3.1-8b",
                        "--max-context",
                        "2048",
                        "--out",
                        out,
                        NULL};
  int st = kvsim_run(log, "experiments/fragmentation.lua", args);
  char *text = slurp(log);
  cr_assert_eq(st, 0, "fragmentation.lua failed:\n%s", text ? text : "");
  cr_assert(strstr(text, "fragmentation: llama-3.1-8b on h100-sxm-80gb"), "%s",
            text);
  free(text);
  csv c;
  snprintf(path, sizeof path, "%s/summary.csv", out);
  csv_load(&c, path);
  cr_assert_eq(c.rows, 8);
  double too_long = num(&c, 0, "rejected_too_long");
  cr_assert_gt(too_long, 0, "no request of the preset exceeds 2,048 tokens?");
  for (size_t r = 0; r < c.rows; r++) {
    const char *l = str(&c, r, "label");
    cr_assert_eq(num(&c, r, "rejected_too_long"), too_long, "%s", l);
    cr_assert_eq(num(&c, r, "completed") + num(&c, r, "rejected"),
                 num(&c, r, "requests"), "%s", l);
  }
  size_t s = find_row(&c, "static");
  double per_req = 2048.0 * 128 * 1024;
  cr_assert_leq(num(&c, s, "batch_peak"),
                floor(num(&c, s, "capacity") / per_req));
  free(c.text);

  const char *bad[] = {"--synthetic", "--model", "nope", "--out", out, NULL};
  st = kvsim_run(log, "experiments/fragmentation.lua", bad);
  text = slurp(log);
  cr_assert_eq(st, 1, "exit %d:\n%s", st, text ? text : "");
  cr_assert(strstr(text, "--model nope: "), "%s", text);
  free(text);
  remove_dir(dir);
}

/* ---------------------------------------------------------------- scale */

Test(experiments, scale_quick_respects_shared_link_bandwidth, .timeout = 120) {
  char dir[64], out[128], log[128], path[160];
  make_tmpdir(dir);
  snprintf(out, sizeof out, "%s/out", dir);
  snprintf(log, sizeof log, "%s/log", dir);
  const char *args[] = {"--quick", "--no-plot", "--out", out, NULL};
  int st = kvsim_run(log, "experiments/scale.lua", args);
  char *text = slurp(log);
  cr_assert_eq(st, 0, "scale.lua failed:\n%s", text ? text : "");
  cr_assert(strstr(text, "Conclusion. "), "no conclusion in:\n%s", text);
  free(text);

  csv c;
  snprintf(path, sizeof path, "%s/scale.csv", out);
  csv_load(&c, path);
  cr_assert_eq(c.rows, 16, "3 uplink sharings x 4 N lockstep + 4 split");
  double one = num(&c, find_row(&c, "lockstep-U0-N1"), "per_gpu_bw");
  cr_assert_gt(one, 0, "one GPU alone must swap in the quick run");
  for (size_t r = 0; r < c.rows; r++) {
    const char *label = str(&c, r, "label");
    double n = num(&c, r, "gpus"), u = num(&c, r, "gpus_per_uplink");
    double bw = num(&c, r, "per_gpu_bw");
    if (strcmp(str(&c, r, "pattern"), "lockstep") != 0) continue;
    /* every GPU serves its own copy of the slice */
    cr_assert_eq(num(&c, r, "requests"), 150 * n, "%s", label);
    cr_assert_eq(num(&c, r, "completed"), 150 * n, "%s", label);
    /* with one GPU nothing is shared: the sharing cannot matter */
    if (n == 1) cr_assert_float_eq(bw, one, 1e-9 * one, "%s", label);
    /* GPUs that swap at the same moments split the shared links: the
     * bound the script computes from the platform (host DRAM over n, an
     * uplink over the GPUs behind it, a PCIe Gen5 x16 link at most 64 GB/s)
     * holds */
    double cap = num(&c, r, "lockstep_bound");
    cr_assert_gt(cap, 0, "%s", label);
    cr_assert_leq(cap, 64e9, "%s", label);
    if (u > 0 && n > 1) cr_assert_leq(cap, 64e9 / (u < n ? u : n));
    cr_assert_leq(bw, cap * (1 + 1e-6), "%s: %g B/s over the %g bound", label,
                  bw, cap);
    /* and all GPUs copying together get close to it (within 20 %) */
    if (n > 1)
      cr_assert_geq(bw, 0.8 * cap, "%s: %g B/s, bound %g", label, bw, cap);
  }
  /* 8 GPUs, 4 per uplink, in lockstep get at most a quarter of the uplink */
  double u4n8 = num(&c, find_row(&c, "lockstep-U4-N8"), "per_gpu_bw");
  cr_assert_lt(u4n8, 0.3 * one);
  free(c.text);

  snprintf(path, sizeof path, "%s/cluster.csv", out);
  csv_load(&c, path);
  cr_assert_eq(c.rows, 2);
  for (size_t r = 0; r < c.rows; r++) {
    cr_assert_eq(num(&c, r, "gpus"), 16, "2 servers x 8 GPUs in --quick");
    cr_assert_eq(num(&c, r, "replicas") * num(&c, r, "tp"), 16);
    cr_assert_eq(num(&c, r, "completed"), num(&c, r, "requests"));
  }
  free(c.text);
  remove_dir(dir);
}

/* ---------------------------------------------------------- vllm validation */

/* The first two runs against the real vLLM measurements, with the fitted
 * overheads of experiments/data/vllm/overheads.json: the synchronous loop's
 * CPU time can only lengthen what kvsim+APC predicts, the errors are those
 * of the printed values, and each run says whether it was fitted on. */
Test(experiments, vllm_validation_quick_overheads_only_add_time,
     .timeout = 120) {
  char dir[64], out[128], log[128], path[160];
  make_tmpdir(dir);
  snprintf(out, sizeof out, "%s/out", dir);
  snprintf(log, sizeof log, "%s/log", dir);
  const char *args[] = {"--quick", "--out", out, NULL};
  int st = kvsim_run(log, "experiments/vllm_validation.lua", args);
  char *text = slurp(log);
  cr_assert_eq(st, 0, "vllm_validation.lua failed:\n%s", text ? text : "");
  cr_assert(strstr(text, "Fitted (kvsim+APC+overheads"),
            "no fitted conclusion in:\n%s", text);
  /* which model priced the compute and the all-reduces (the quick runs
   * are at TP 1 and above) */
  cr_assert(strstr(text, "priced by: compute, the roofline in ") &&
                strstr(text, "none (tp 1) in "),
            "no priced-by line in:\n%s", text);
  free(text);

  csv c;
  snprintf(path, sizeof path, "%s/report.csv", out);
  csv_load(&c, path);
  /* codegen: 2 stages + all, roleplay: 1 stage + all; 10 metrics each */
  cr_assert_eq(c.rows, 50, "got %zu rows", c.rows);
  for (size_t r = 0; r < c.rows; r++) {
    const char *run = str(&c, r, "run"), *metric = str(&c, r, "metric");
    double m = num(&c, r, "measured"), fit = num(&c, r, "fit");
    cr_assert_gt(m, 0, "%s %s", run, metric);
    cr_assert_float_eq(num(&c, r, "err_fit"), 100 * (fit - m) / m, 1e-4,
                       "%s %s", run, metric);
    if (strcmp(str(&c, r, "unit"), "s") == 0)
      cr_assert_geq(fit, num(&c, r, "apc"), "%s %s %s", run,
                    str(&c, r, "level"), metric);
    cr_assert_str_eq(str(&c, r, "split"),
                     strstr(run, "codegen") ? "fit" : "held-out", "%s", run);
  }

  /* the quantile ladder: TTFT, TPOT and E2E at p10, p50, p90, p95, p99, p99.9
   * and max per run and level, each rising with the quantile on both sides; its
   * p99 is report.csv's */
  csv q;
  snprintf(path, sizeof path, "%s/ladder.csv", out);
  csv_load(&q, path);
  cr_assert_eq(q.rows, 5 * 3 * 7, "got %zu rows", q.rows);
  for (size_t r = 0; r < q.rows; r++) {
    const char *quant = str(&q, r, "quantile");
    if (strcmp(quant, "p10") != 0) {
      cr_assert_geq(num(&q, r, "measured"), num(&q, r - 1, "measured"));
      cr_assert_geq(num(&q, r, "fit"), num(&q, r - 1, "fit"));
    }
    if (strcmp(quant, "p99") != 0) continue;
    char metric[16];
    snprintf(metric, sizeof metric, "%s_p99", str(&q, r, "metric"));
    size_t hit = 0;
    for (size_t k = 0; k < c.rows; k++)
      if (!strcmp(str(&c, k, "run"), str(&q, r, "run")) &&
          !strcmp(str(&c, k, "level"), str(&q, r, "level")) &&
          !strcmp(str(&c, k, "metric"), metric)) {
        cr_assert_float_eq(num(&q, r, "measured"), num(&c, k, "measured"),
                           1e-12);
        cr_assert_float_eq(num(&q, r, "fit"), num(&c, k, "fit"), 1e-12);
        hit++;
      }
    cr_assert_eq(hit, 1, "%s %s %s", str(&q, r, "run"), str(&q, r, "level"),
                 metric);
  }
  free(q.text);
  free(c.text);
  remove_dir(dir);
}

/* The file src with the first `from` (which it must hold) replaced by `to`,
 * written to path. */
static void file_replacing(const char *src, const char *path, const char *from,
                           const char *to) {
  char *text = slurp(src);
  cr_assert_not_null(text);
  char *at = strstr(text, from);
  cr_assert_not_null(at, "%s has no %s", src, from);
  FILE *f = fopen(path, "w");
  cr_assert_not_null(f);
  fprintf(f, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
  fclose(f);
  free(text);
}

/* experiments/data/vllm/overheads.json, so edited */
static void profile_replacing(const char *path, const char *from,
                              const char *to) {
  file_replacing(KVSIM_SOURCE_DIR "/experiments/data/vllm/overheads.json", path,
                 from, to);
}

/* vllm_validation.lua with args must fail: its log (stderr), to be freed;
 * an input error, so without a Lua traceback. */
static char *vllm_fails(const char *log, const char *const *args) {
  cr_assert_neq(kvsim_run(log, "experiments/vllm_validation.lua", args), 0);
  char *text = slurp(log);
  cr_assert_not_null(text);
  cr_expect(!strstr(text, "traceback"), "%s", text);
  return text;
}

/* the profile with its subset.max_tp replaced by `max_tp` (a JSON value) */
static void profile_with_max_tp(const char *path, const char *max_tp) {
  char to[64];
  snprintf(to, sizeof to, "\"max_tp\": %s,", max_tp);
  profile_replacing(path, "\"max_tp\": 4,", to);
}

/* per_worker is counted up to the largest TP its fitting runs had
 * (subset.max_tp): a profile that saw only tp 1 charges a tp-2 run no
 * per-worker time, so each of its predicted times is below the committed
 * profile's (which counts the second worker); a bad value is an error
 * naming the file and the field. */
Test(experiments, vllm_validation_per_worker_not_past_the_fits_tp,
     .timeout = 120) {
  char dir[64], prof[128], out[2][128], log[160], path[192];
  make_tmpdir(dir);
  snprintf(prof, sizeof prof, "%s/tp1.json", dir);
  profile_with_max_tp(prof, "1");
  const char *profiles[2] = {"experiments/data/vllm/overheads.json", prof};
  csv c[2];
  for (int i = 0; i < 2; i++) {
    snprintf(out[i], sizeof out[i], "%s/out%d", dir, i);
    snprintf(log, sizeof log, "%s/log%d", dir, i);
    const char *args[] = {"--runs",    "codellama-34b-tp2-roleplay",
                          "--backend", "ideal",
                          "--no-apc",  "--overheads",
                          profiles[i], "--out",
                          out[i],      NULL};
    int st = kvsim_run(log, "experiments/vllm_validation.lua", args);
    char *text = slurp(log);
    cr_assert_eq(st, 0, "vllm_validation.lua failed:\n%s", text ? text : "");
    cr_assert(strstr(text, i ? "per_worker counted up to tp 1"
                             : "per_worker counted up to tp 4"),
              "%s", text);
    free(text);
    snprintf(path, sizeof path, "%s/report.csv", out[i]);
    csv_load(&c[i], path);
  }
  cr_assert_eq(c[0].rows, c[1].rows);
  for (size_t r = 0; r < c[0].rows; r++)
    if (strcmp(str(&c[0], r, "unit"), "s") == 0)
      cr_assert_lt(num(&c[1], r, "fit"), num(&c[0], r, "fit"), "%s %s",
                   str(&c[0], r, "level"), str(&c[0], r, "metric"));
  free(c[0].text);
  free(c[1].text);
  profile_with_max_tp(prof, "1.5");
  snprintf(log, sizeof log, "%s/logbad", dir);
  const char *bad[] = {"--quick", "--overheads", prof, "--out", out[0], NULL};
  cr_assert_neq(kvsim_run(log, "experiments/vllm_validation.lua", bad), 0);
  char *text = slurp(log);
  cr_assert(strstr(text, "subset.max_tp is 1.5") && strstr(text, prof), "%s",
            text);
  free(text);
  remove_dir(dir);
}

/* A profile that is not JSON, or lacks a field --fit writes, is an error
 * naming the file and the line or the field, and nothing is written. */
Test(experiments, vllm_validation_names_a_bad_profiles_line_or_field,
     .timeout = 60) {
  char dir[64], prof[128], out[128], log[160];
  make_tmpdir(dir);
  snprintf(prof, sizeof prof, "%s/bad.json", dir);
  snprintf(out, sizeof out, "%s/out", dir);
  snprintf(log, sizeof log, "%s/log", dir);
  const char *args[] = {"--quick", "--overheads", prof, "--out", out, NULL};
  profile_replacing(prof, "\"subset\": {", "\"subset\": [");
  char *text = vllm_fails(log, args);
  cr_expect(strstr(text, prof) && strstr(text, ": line "), "%s", text);
  free(text);
  profile_replacing(prof, "\"subset\": {", "\"subset_was\": {");
  text = vllm_fails(log, args);
  cr_expect(strstr(text, prof) && strstr(text, "field 'subset'"), "%s", text);
  free(text);
  cr_expect(access(out, F_OK) != 0, "%s was written", out);
  remove_dir(dir);
}

/* A fixture without a field the experiment reads, or with one of the wrong
 * type, is an error naming the file, the run and the field. */
Test(experiments, vllm_validation_names_a_bad_fixtures_run_and_field,
     .timeout = 60) {
  char dir[64], data[128], out[128], log[160];
  make_tmpdir(dir);
  snprintf(data, sizeof data, "%s/runs.json", dir);
  snprintf(out, sizeof out, "%s/out", dir);
  snprintf(log, sizeof log, "%s/log", dir);
  const char *args[] = {"--quick", "--data", data, "--out", out, NULL};
  const char *src = KVSIM_SOURCE_DIR "/experiments/data/vllm/runs.json";
  file_replacing(src, data, "\"rate\": 5.0", "\"rate\": \"fast\"");
  char *text = vllm_fails(log, args);
  cr_expect(strstr(text, data) &&
                strstr(text, "run 20260217-155451-llama-2-7b-tp1-codegen") &&
                strstr(text, "field 'workload.stages[1].rate'"),
            "%s", text);
  free(text);
  file_replacing(src, data, "\"tpot_chunks\": {", "\"tpot_chunk\": {");
  text = vllm_fails(log, args);
  cr_expect(strstr(text, "tpot_chunks"), "%s", text);
  free(text);
  cr_expect(access(out, F_OK) != 0, "%s was written", out);
  remove_dir(dir);
}

/* --fit on a subset the user names (--fit-runs, --fit-why): the profile
 * records those runs, the reason, the conditions and a command that names
 * them; a part that matches no run, or --fit-runs without --fit, is an
 * error that says so. */
Test(experiments, vllm_validation_fits_on_a_named_subset, .timeout = 120) {
  char dir[64], prof[128], log[160];
  make_tmpdir(dir);
  snprintf(prof, sizeof prof, "%s/mine.json", dir);
  snprintf(log, sizeof log, "%s/log", dir);
  const char *args[] = {"--fit",
                        "--fit-runs",
                        "34b-tp2-role",
                        "--fit-why",
                        "one run's",
                        "--backend",
                        "ideal",
                        "--fit-to",
                        "ttft_mean",
                        "--fit-terms",
                        "request",
                        "--fit-base",
                        "experiments/data/vllm/overheads.json",
                        "--flops-scale",
                        "0.5",
                        "--flops-scale-source",
                        "half the rate",
                        "--overheads",
                        prof,
                        NULL};
  int st = kvsim_run(log, "experiments/vllm_validation.lua", args);
  char *text = slurp(log);
  cr_assert_eq(st, 0, "vllm_validation.lua --fit failed:\n%s",
               text ? text : "");
  free(text);
  char *p = slurp(prof);
  cr_assert_not_null(p);
  cr_expect(
      strstr(p, "\"runs\": [\"20260218-155500-codellama-34b-tp2-roleplay\"]"),
      "%s", p);
  cr_expect(strstr(p, "\"why\": \"one run's\""), "%s", p);
  cr_expect(strstr(p, "--fit-runs 34b-tp2-role --fit-why 'one run'\\\\''s' "
                      "--backend ideal"),
            "%s", p);
  cr_expect(strstr(p, "\"backend\": \"ideal\""), "%s", p);
  /* the compute rate it was fitted over, recorded where runs read it */
  cr_expect(strstr(p, "\"flops_scale\": 0.5") &&
                strstr(p, "\"source\": \"half the rate\""),
            "%s", p);
  cr_expect(strstr(p, "--flops-scale 0.5 --flops-scale-source 'half the rate'"),
            "%s", p);
  free(p);
  /* a run with the profile prices its prediction at that rate and says so;
   * one told otherwise says it differs from the fit */
  char out[128], rep[192];
  snprintf(out, sizeof out, "%s/out", dir);
  snprintf(rep, sizeof rep, "%s/report.txt", out);
  for (int i = 0; i < 2; i++) {
    const char *run[] = {"--runs",    "34b-tp2-role",
                         "--backend", "ideal",
                         "--no-apc",  "--overheads",
                         prof,        "--out",
                         out,         i ? "--flops-scale" : NULL,
                         "1",         NULL};
    cr_assert_eq(kvsim_run(log, "experiments/vllm_validation.lua", run), 0);
    char *report = slurp(rep);
    cr_assert_not_null(report);
    cr_expect_eq(strstr(report, "compute of kvsim+APC+overheads at flops x "
                                "0.5 (half the rate)") != NULL,
                 i == 0, "%s", report);
    cr_expect_eq(strstr(report, "--flops-scale 1 (the fit: 0.5)") != NULL,
                 i == 1, "%s", report);
    free(report);
  }

  const char *none[] = {"--fit", "--fit-runs", "llama-9", "--out", dir, NULL};
  cr_assert_neq(kvsim_run(log, "experiments/vllm_validation.lua", none), 0);
  text = slurp(log);
  cr_expect(strstr(text, "--fit-runs: 'llama-9' matches no run"), "%s", text);
  free(text);
  const char *alone[] = {"--fit-runs", "codegen", "--out", dir, NULL};
  cr_assert_neq(kvsim_run(log, "experiments/vllm_validation.lua", alone), 0);
  text = slurp(log);
  cr_expect(strstr(text, "--fit-runs: only with --fit"), "%s", text);
  free(text);
  remove_dir(dir);
}

/* A profile records what its fit simulated under (conditions); a run that
 * prices otherwise says so on stderr and in the report, and one under the
 * fit's conditions (the committed profile, the default options) says
 * nothing. */
Test(experiments, vllm_validation_names_a_profiles_other_conditions,
     .timeout = 120) {
  char dir[64], prof[128], out[128], log[160], rep[192];
  make_tmpdir(dir);
  snprintf(prof, sizeof prof, "%s/fixed.json", dir);
  profile_replacing(prof, "\"arrival\": \"measured\"",
                    "\"arrival\": \"fixed\"");
  snprintf(out, sizeof out, "%s/out", dir);
  snprintf(rep, sizeof rep, "%s/report.txt", out);
  const char *profiles[2] = {"experiments/data/vllm/overheads.json", prof};
  for (int i = 0; i < 2; i++) {
    snprintf(log, sizeof log, "%s/log%d", dir, i);
    const char *args[] = {"--runs",    "codellama-34b-tp2-roleplay",
                          "--no-apc",  "--overheads",
                          profiles[i], "--out",
                          out,         NULL};
    int st = kvsim_run(log, "experiments/vllm_validation.lua", args);
    char *text = slurp(log), *report = slurp(rep);
    cr_assert_eq(st, 0, "vllm_validation.lua failed:\n%s", text ? text : "");
    const char *said = "--arrival measured (the fit: fixed)";
    cr_assert_eq(strstr(text, said) != NULL, i == 1, "%s", text);
    cr_assert_eq(strstr(report,
                        "NOTE: this run differs from the profile's "
                        "fit in --arrival measured (the fit: fixed)") != NULL,
                 i == 1);
    free(text);
    free(report);
  }
  remove_dir(dir);
}

/* One kvsim+APC trace the script wrote: arrival (ms), output length,
 * prompt (its last hash id / 64: the prompt's own blocks), the first id's
 * block owner (id / 64: the prompt's group's, 100 + group, when its system
 * prompt fills a block) and the number of ids, per line. */
typedef struct {
  size_t n;
  double at[8192];
  int out[8192], prompt[8192], first[8192], ids[8192];
} vtrace;

static void vtrace_load(vtrace *t, const char *path) {
  FILE *f = fopen(path, "r");
  cr_assert_not_null(f, "no trace %s", path);
  char line[4096];
  t->n = 0;
  while (fgets(line, sizeof line, f)) {
    int in, out, id;
    double at;
    cr_assert_lt(t->n, 8192);
    cr_assert_eq(sscanf(line,
                        "{\"timestamp\": %lf, \"input_length\": %d, "
                        "\"output_length\": %d, \"hash_ids\": [%d",
                        &at, &in, &out, &id),
                 4, "%s: %s", path, line);
    int last = id, k = 1;
    for (const char *q = strchr(line, '[') + 1; (q = strchr(q, ',')); k++)
      last = atoi(++q);
    t->at[t->n] = at, t->out[t->n] = out, t->prompt[t->n] = last / 64;
    t->first[t->n] = id / 64, t->ids[t->n] = k;
    t->n++;
  }
  fclose(f);
}

/* coefficient of variation of the gaps between lines [a, b) */
static double vtrace_cv(const vtrace *t, size_t a, size_t b) {
  double s = 0, s2 = 0;
  size_t n = 0;
  for (size_t i = a + 1; i < b; i++, n++) {
    double g = t->at[i] - t->at[i - 1];
    cr_assert_geq(g, 0, "arrivals in order");
    s += g, s2 += g * g;
  }
  double m = s / n;
  return sqrt(s2 / n - m * m) / m;
}

/* The workload of each load stage follows the load generator of the runs,
 * inference-perf: its `constant` load type draws exponential intervals
 * scaled to the stage's duration (a Poisson process given its count, cv 1,
 * the last request at the stage's end), and a later stage is served by the
 * same server, the stage before drained, the same 100 prompts cycled again:
 * its trace first asks each prompt once (one output token), then the stage's
 * requests. The earlier stand-ins (fixed intervals, an empty cache at every
 * stage) fail it. */
Test(experiments, vllm_validation_workload_follows_inference_perf,
     .timeout = 120) {
  char dir[64], out[128], log[128], traces[128], path[256];
  make_tmpdir(dir);
  snprintf(out, sizeof out, "%s/out", dir);
  snprintf(log, sizeof log, "%s/log", dir);
  snprintf(traces, sizeof traces, "%s/traces", dir);
  const char *args[] = {"--runs",
                        "155451-llama-2-7b-tp1-codegen",
                        "--no-overheads",
                        "--backend",
                        "ideal",
                        "--keep-traces",
                        traces,
                        "--out",
                        out,
                        NULL};
  int st = kvsim_run(log, "experiments/vllm_validation.lua", args);
  char *text = slurp(log);
  cr_assert_eq(st, 0, "vllm_validation.lua failed:\n%s", text ? text : "");
  free(text);

  static vtrace t;
  const char *id = "20260217-155451-llama-2-7b-tp1-codegen";
  /* stage 0: 5 req/s x 600 s */
  snprintf(path, sizeof path, "%s/%s-1.jsonl", traces, id);
  vtrace_load(&t, path);
  cr_assert_eq(t.n, 3000);
  cr_assert_float_eq(t.at[t.n - 1] - t.at[0], 600e3, 1.0, "last at %g ms",
                     t.at[t.n - 1]);
  double cv = vtrace_cv(&t, 0, t.n);
  cr_assert(cv > 0.9 && cv < 1.1, "stage 0: inter-arrival cv %g", cv);
  for (size_t i = 0; i < t.n; i++)
    cr_assert_eq(t.out[i], 247);

  /* stage 1: 10 req/s x 600 s after a warm-up of the 100 prompts */
  snprintf(path, sizeof path, "%s/%s-2.jsonl", traces, id);
  vtrace_load(&t, path);
  cr_assert_eq(t.n, 100 + 6000);
  int seen[100] = {0};
  for (size_t i = 0; i < 100; i++) {
    cr_assert_eq(t.out[i], 1, "warm-up %zu: one output token", i);
    cr_assert(t.prompt[i] >= 0 && t.prompt[i] < 100);
    seen[t.prompt[i]]++;
    cr_assert_lt(t.at[i], t.at[100], "warm-ups first");
  }
  for (int p = 0; p < 100; p++)
    cr_assert_eq(seen[p], 1, "prompt %d", p);
  /* the warm-up is over (each of its prefills done) well before the stage */
  cr_assert_geq(t.at[100] - t.at[99], 1000.0);
  cr_assert_float_eq(t.at[t.n - 1] - t.at[100], 600e3, 1.0);
  cv = vtrace_cv(&t, 100, t.n);
  cr_assert(cv > 0.9 && cv < 1.1, "stage 1: inter-arrival cv %g", cv);
  for (size_t i = 100; i < t.n; i++) {
    cr_assert_eq(t.out[i], 247);
    cr_assert(t.prompt[i] >= 0 && t.prompt[i] < 100);
  }
  /* one id per 16-token block of the prompt as the server tokenized it
   * (the measured prompt_len mean, 591.6 -> 592 tokens: 37 ids; 100 + 466
   * as the profile gives them), vLLM's block size; the 100-token system
   * prompt's 6 whole blocks are the group's (10 prompts of 10 groups), the
   * rest the prompt's own */
  for (size_t i = 0; i < t.n; i++) {
    cr_assert_eq(t.ids[i], 37, "line %zu: %d ids", i, t.ids[i]);
    cr_assert_eq(t.first[i], 100 + t.prompt[i] / 10, "line %zu", i);
  }

  /* the stage's statistics count its 6000 requests, not the warm-up: the
   * throughput (completed tokens over the stage's span) stays the rate's */
  csv c;
  snprintf(path, sizeof path, "%s/report.csv", out);
  csv_load(&c, path);
  int rows = 0;
  for (size_t r = 0; r < c.rows; r++) {
    if (strcmp(str(&c, r, "metric"), "tput") != 0 ||
        strcmp(str(&c, r, "level"), "s1") != 0)
      continue;
    double m = num(&c, r, "measured"), apc = num(&c, r, "apc");
    cr_assert_float_eq(apc, m, 0.01 * m, "s1 throughput %g vs %g", apc, m);
    rows++;
  }
  cr_assert_eq(rows, 1);
  free(c.text);
  remove_dir(dir);
}

/* ---------------------------------------------------------------- API */

static const char *replicas_script =
    "local kv = require 'kvsim'\n"
    "local w = kv.workload{ synthetic = { rate = 40, n = 200, prompt = 500,\n"
    "  output = 50 }, seed = 3 }\n"
    "local function check(cond, msg) if not cond then error(msg, 2) end end\n"
    "for _, be in ipairs{ 'ideal', 'simgrid' } do\n"
    "  local r = kv.run{ model = 'llama-3-8b', platform = 'h100-sxm-80gb',\n"
    "    workload = w, strategy = 'paged', backend = be, replicas = 4 }\n"
    "  check(#r.replicas == 4, be .. ': 4 replica results')\n"
    "  local req, gen = 0, 0\n"
    "  for i, x in ipairs(r.replicas) do\n"
    "    check(x.summary.requests == 50, be .. ': round robin gives 50 each')\n"
    "    req = req + x.summary.requests\n"
    "    gen = gen + x.summary.generated_tokens\n"
    "  end\n"
    "  check(r.summary.requests == 200 and req == 200, be .. ': requests')\n"
    "  check(r.summary.generated_tokens == gen, be .. ': tokens add up')\n"
    "  check(r.options.replicas == 4, be .. ': options.replicas')\n"
    "  print(be, r.summary.throughput, r.summary.tpot_p50)\n"
    "end\n"
    "local r = kv.run{ model = 'llama-3-8b', platform = 'h100-sxm-80gb',\n"
    "  workload = w, strategy = 'paged', replicas = 2, tp = 4,\n"
    "  dispatch = 'replicate' }\n"
    "check(r.summary.requests == 400, 'replicate: each replica all')\n"
    "check(r.replicas[1].summary.tpot_p50 == r.replicas[2].summary.tpot_p50,\n"
    "  'replicate: identical replicas on separate uplinks')\n"
    "local ok, err = pcall(kv.run, { model = 'llama-3-8b',\n"
    "  platform = 'h100-sxm-80gb', workload = w, strategy = 'paged',\n"
    "  replicas = 3, tp = 4 })\n"
    "check(not ok and err:find(\"field 'replicas'\") and err:find('12 GPUs'),\n"
    "  'too many GPUs: ' .. tostring(err))\n"
    "ok, err = pcall(kv.run, { model = 'llama-3-8b', platform = "
    "'h100-sxm-80gb',\n"
    "  workload = w, strategy = 'paged', replicas = 2, dispatch = 'random' })\n"
    "check(not ok and err:find('round_robin'), 'bad dispatch: ' .. "
    "tostring(err))\n"
    "print('ok')\n";

Test(experiments, replicas_api_splits_and_aggregates, .timeout = 60) {
  char dir[64], script[128], log[128];
  make_tmpdir(dir);
  snprintf(script, sizeof script, "%s/replicas.lua", dir);
  snprintf(log, sizeof log, "%s/log", dir);
  FILE *f = fopen(script, "w");
  cr_assert_not_null(f);
  fputs(replicas_script, f);
  fclose(f);
  int st = kvsim_run(log, script, NULL);
  char *text = slurp(log);
  cr_assert_eq(st, 0, "replicas script failed:\n%s", text ? text : "");
  cr_assert(strstr(text, "ok\n"), "%s", text);
  /* the ideal and SimGrid backends agree on the replicas' timing within
   * 2 % (their op costs are the same model) */
  double ti = 0, ts = 0, pi = 0, ps = 0;
  const char *a = strstr(text, "ideal\t"), *b = strstr(text, "simgrid\t");
  cr_assert(a && b, "%s", text);
  cr_assert_eq(sscanf(a, "ideal\t%lf\t%lf", &ti, &pi), 2);
  cr_assert_eq(sscanf(b, "simgrid\t%lf\t%lf", &ts, &ps), 2);
  cr_assert_float_eq(ts, ti, 0.02 * ti, "throughput %g vs %g", ts, ti);
  cr_assert_float_eq(ps, pi, 0.02 * pi, "TPOT p50 %g vs %g", ps, pi);
  free(text);
  remove_dir(dir);
}

/* ---------------------------------------------------------------- C API */

static void synth(kv_workload *w, size_t n, uint64_t seed) {
  kv_error err;
  kv_synth_cfg c = {
      .arrival = KV_ARRIVAL_POISSON,
      .rate = 30,
      .n = n,
      .prompt = {.kind = KV_LEN_UNIFORM, .a = 16, .b = 1500, .min = 1},
      .output = {.kind = KV_LEN_UNIFORM, .a = 2, .b = 200, .min = 1},
  };
  kv_workload_init(w);
  cr_assert_eq(kv_workload_synthetic(&c, seed, w, &err), KV_OK, "%s", err.msg);
}

Test(replicas, dispatch_covers_every_request_once) {
  kv_workload w, parts[3];
  size_t *idx[3];
  synth(&w, 100, 5);
  for (int d = 0; d < 2; d++) {
    size_t total = kv_workload_dispatch(&w, 3, (kv_dispatch)d, parts, idx);
    cr_assert_eq(total, 100);
    int seen[100] = {0};
    double load[3] = {0};
    for (size_t r = 0; r < 3; r++) {
      for (size_t j = 0; j < parts[r].n; j++) {
        size_t i = idx[r][j];
        cr_assert_lt(i, 100);
        seen[i]++;
        cr_assert_eq(parts[r].reqs[j].prompt, w.reqs[i].prompt);
        cr_assert_eq(parts[r].reqs[j].arrival, w.reqs[i].arrival);
        if (j) cr_assert_gt(idx[r][j], idx[r][j - 1], "order kept");
        if (d == KV_DISPATCH_ROUND_ROBIN) cr_assert_eq(i % 3, r);
        load[r] += parts[r].reqs[j].prompt + parts[r].reqs[j].output;
      }
    }
    for (size_t i = 0; i < 100; i++)
      cr_assert_eq(seen[i], 1, "request %zu seen %d times", i, seen[i]);
    if (d == KV_DISPATCH_LEAST_TOKENS) {
      /* greedy: no replica ends more than one request's tokens ahead */
      double mx = 0, mn = 1e300, big = 0;
      for (size_t i = 0; i < 100; i++)
        if (w.reqs[i].prompt + w.reqs[i].output > big)
          big = w.reqs[i].prompt + w.reqs[i].output;
      for (size_t r = 0; r < 3; r++) {
        if (load[r] > mx) mx = load[r];
        if (load[r] < mn) mn = load[r];
      }
      cr_assert_leq(mx - mn, big);
    }
    for (size_t r = 0; r < 3; r++) {
      kv_workload_free(&parts[r]);
      free(idx[r]);
    }
  }
  size_t total = kv_workload_dispatch(&w, 3, KV_DISPATCH_REPLICATE, parts, idx);
  cr_assert_eq(total, 300);
  for (size_t r = 0; r < 3; r++) {
    cr_assert_eq(parts[r].n, 100);
    cr_assert_eq(idx[r][7], r * 100 + 7);
    kv_workload_free(&parts[r]);
    free(idx[r]);
  }
  kv_workload_free(&w);
}

/* The aggregate of replicas that share nothing (ideal backend) agrees with
 * running each part alone, and the forked sweep returns the same bytes as
 * the in-process run. */
Test(replicas, ideal_replicas_match_parts_and_survive_the_pipe) {
  kv_error err;
  kv_model m;
  kv_platform p;
  kv_workload w, parts[2];
  size_t *idx[2];
  cr_assert_eq(kv_model_preset("llama-3-8b", &m, &err), KV_OK);
  cr_assert_eq(kv_platform_preset("h100-sxm-80gb", &p, &err), KV_OK);
  synth(&w, 120, 9);
  kv_replica_spec rs;
  memset(&rs, 0, sizeof rs);
  kv_engine_cfg_defaults(&rs.run.engine);
  kv_strategy_cfg_defaults(&rs.run.engine.scfg);
  rs.run.engine.model = &m;
  rs.run.engine.platform = &p;
  rs.run.engine.workload = &w;
  rs.run.engine.strategy = kv_strategy_find("paged", &err);
  rs.run.engine.seed = 4;
  rs.replicas = 2;
  rs.dispatch = KV_DISPATCH_ROUND_ROBIN;

  kv_result in[3], fk[3], alone[2];
  cr_assert_eq(kv_replica_spec_execute(&rs, in, &err), KV_OK, "%s", err.msg);
  kv_result *outs[1] = {fk};
  kv_status code;
  cr_assert_eq(kv_sweep_run_replicas(&rs, 1, 1, outs, &code, &err), KV_OK, "%s",
               err.msg);
  kv_workload_dispatch(&w, 2, KV_DISPATCH_ROUND_ROBIN, parts, idx);
  double gen = 0, tmax = 0;
  for (int r = 0; r < 2; r++) {
    kv_engine_cfg c = rs.run.engine;
    c.workload = &parts[r];
    c.seed = 4 + (uint64_t)r;
    cr_assert_eq(kv_engine_run(&c, &alone[r], &err), KV_OK, "%s", err.msg);
    cr_assert_eq(
        memcmp(&alone[r].summary, &in[r].summary, sizeof alone[r].summary), 0,
        "replica %d differs from its part run alone", r);
    gen += alone[r].summary.generated_tokens;
    if (alone[r].summary.sim_time > tmax) tmax = alone[r].summary.sim_time;
  }
  for (int k = 0; k < 3; k++)
    cr_assert_eq(memcmp(&in[k].summary, &fk[k].summary, sizeof in[k].summary),
                 0, "result %d changed through the pipe", k);
  const kv_summary *a = &in[2].summary;
  cr_assert_eq(a->requests, 120);
  cr_assert_eq(a->generated_tokens, gen);
  cr_assert_eq(a->sim_time, tmax);
  cr_assert_float_eq(a->throughput, gen / tmax, 1e-9 * a->throughput);
  cr_assert_eq(in[2].n_requests, 120);
  for (size_t r = 0; r < 2; r++)
    for (size_t j = 0; j < parts[r].n; j++)
      cr_assert_eq(in[2].requests[idx[r][j]].finish, in[r].requests[j].finish);
  /* the aggregate's median TTFT lies between the replicas' medians */
  double lo = in[0].summary.ttft_p50, hi = in[1].summary.ttft_p50;
  if (lo > hi) {
    double t = lo;
    lo = hi;
    hi = t;
  }
  cr_assert(a->ttft_p50 >= lo - 1e-12 && a->ttft_p50 <= hi + 1e-12);
  for (int k = 0; k < 3; k++) {
    kv_result_free(&in[k]);
    kv_result_free(&fk[k]);
  }
  for (int r = 0; r < 2; r++) {
    kv_result_free(&alone[r]);
    kv_workload_free(&parts[r]);
    free(idx[r]);
  }
  kv_workload_free(&w);
}

/* ---------------------------------------------------------------- closure */

/* The closure replays a report's batched-DMA table (kernels/testdata: the
 * made-up example) as batched copies: batch rows in curves.csv, read as the
 * calibration measures them (the GPU's span over the queued calls, the first
 * call's host time left out), so every point closes. */
Test(experiments, closure_reports_batch_curves, .timeout = 120) {
  char dir[64], log[128], out[128], path[160];
  make_tmpdir(dir);
  snprintf(log, sizeof log, "%s/log.txt", dir);
  snprintf(out, sizeof out, "%s/closure", dir);
  const char *args[] = {"--reports", "kernels/testdata/calibrate.txt",
                        "--out",     out,
                        "--no-plot", NULL};
  int rc = kvsim_run(log, "experiments/closure.lua", args);
  char *l = slurp(log);
  cr_assert_eq(rc, 0, "closure failed:\n%s", l ? l : "");
  free(l);
  snprintf(path, sizeof path, "%s/curves.csv", out);
  csv c;
  csv_load(&c, path);
  int seen = 0;
  for (size_t r = 0; r < c.rows; r++) {
    const char *name = str(&c, r, "curve");
    if (strcmp(name, "batch_h2d") && strcmp(name, "batch_d2h")) continue;
    seen++;
    cr_expect_eq(num(&c, r, "n"), 6, "%s: points", name);
    cr_expect_lt(num(&c, r, "median"), 0.01, "%s: median %g", name,
                 num(&c, r, "median"));
    cr_expect_lt(fabs(num(&c, r, "worst")), 0.05, "%s: worst %g", name,
                 num(&c, r, "worst"));
  }
  cr_expect_eq(seen, 2, "batch rows in %s", path);
  free(c.text);
  remove_dir(dir);
}

/* The closure replays a report's threads x SMs table (sm_threads_<T>_<dir>)
 * with SimGrid's copy_threads on the platform built from it: a row per
 * block size and direction, every point measured, small errors (the grid is
 * the platform's; 1024 threads: the SM curve at 64 KiB pages). */
Test(experiments, closure_replays_sm_threads_grid, .timeout = 120) {
  char dir[64], log[128], out[128], path[160];
  make_tmpdir(dir);
  snprintf(log, sizeof log, "%s/log.txt", dir);
  snprintf(out, sizeof out, "%s/closure", dir);
  const char *args[] = {"--reports", "kernels/testdata/calibrate.txt",
                        "--out",     out,
                        "--no-plot", NULL};
  int rc = kvsim_run(log, "experiments/closure.lua", args);
  char *l = slurp(log);
  cr_assert_eq(rc, 0, "closure failed:\n%s", l ? l : "");
  free(l);
  snprintf(path, sizeof path, "%s/curves.csv", out);
  csv c;
  csv_load(&c, path);
  int seen = 0;
  for (size_t r = 0; r < c.rows; r++) {
    const char *name = str(&c, r, "curve");
    if (strncmp(name, "sm_threads_", 11)) continue;
    seen++;
    cr_expect_eq(num(&c, r, "n"), 7, "%s: points", name);
    cr_expect_lt(num(&c, r, "median"), 0.02, "%s: median %g", name,
                 num(&c, r, "median"));
  }
  cr_expect_eq(seen, 8, "4 block sizes x 2 directions in %s", path);
  free(c.text);
  remove_dir(dir);
}

/* ------------------------------------------------------------- multimodel */

/* Three models on one GPU, --quick: every request served in every memory
 * mode (static paged, elastic = kvcached's paged over the pool,
 * elastic-vmm, indirect), static partitions never exceeded, the elastic
 * pool lending a model more than its partition, elastic's VMM driver time
 * on the critical path below elastic-vmm's, a conclusion and a speedup
 * sweep written, and the same CSVs when run again. */
Test(experiments, multimodel_quick_elastic_lends_beyond_partitions,
     .timeout = 120) {
  char dir[64], out[2][128], log[128], path[160];
  make_tmpdir(dir);
  snprintf(log, sizeof log, "%s/log", dir);
  char *first = NULL;
  for (int k = 0; k < 2; k++) {
    snprintf(out[k], sizeof out[k], "%s/out%d", dir, k);
    const char *args[] = {"--quick", "--no-plot", "--out", out[k], NULL};
    int st = kvsim_run(log, "experiments/multimodel.lua", args);
    char *text = slurp(log);
    cr_assert_eq(st, 0, "multimodel.lua failed:\n%s", text ? text : "");
    cr_assert(strstr(text, "kvcached"), "no conclusion in:\n%s", text);
    free(text);
    snprintf(path, sizeof path, "%s/summary.csv", out[k]);
    char *csvtext = slurp(path);
    cr_assert_not_null(csvtext);
    if (k == 0) {
      first = csvtext;
    } else {
      cr_assert_str_eq(first, csvtext, "summary.csv differs between runs");
      free(csvtext);
    }
  }
  free(first);
  csv c;
  snprintf(path, sizeof path, "%s/summary.csv", out[0]);
  csv_load(&c, path);
  cr_assert_eq(c.rows, 12, "4 modes x 3 models, got %zu rows", c.rows);
  int lent = 0;
  double drv_paged = 0, drv_vmm = 0;
  for (size_t r = 0; r < c.rows; r++) {
    const char *mode = str(&c, r, "memory");
    cr_assert_eq(num(&c, r, "completed"), num(&c, r, "requests"), "%s %s", mode,
                 str(&c, r, "model"));
    double peak = num(&c, r, "peak_gb"), share = num(&c, r, "share_gb");
    if (strcmp(mode, "static") == 0)
      cr_assert_leq(peak, share + 1e-9, "static %s: peak %g > partition %g",
                    str(&c, r, "model"), peak, share);
    if (strcmp(mode, "elastic") == 0 && peak > share) lent++;
    if (strcmp(mode, "elastic") == 0)
      drv_paged += num(&c, r, "driver_critical_s");
    if (strcmp(mode, "elastic-vmm") == 0)
      drv_vmm += num(&c, r, "driver_critical_s");
  }
  cr_assert_lt(drv_paged, drv_vmm,
               "kvcached's page groups: %g s of driver time, vAttention's "
               "per-request pages: %g s",
               drv_paged, drv_vmm);
  csv sw;
  snprintf(path, sizeof path, "%s/sweep.csv", out[0]);
  csv_load(&sw, path);
  cr_assert_eq(sw.rows % 3, 0);
  cr_assert_geq(sw.rows, 6, "sweep.csv has %zu rows", sw.rows);
  for (size_t r = 0; r < sw.rows; r++)
    cr_assert_gt(num(&sw, r, "elastic_ttft_p90"), 0);
  free(sw.text);
  cr_assert_gt(lent, 0, "no model held more than its partition when elastic");
  snprintf(path, sizeof path, "%s/conclusion.txt", out[0]);
  char *concl = slurp(path);
  cr_assert(concl && strstr(concl, "2-28x") && strstr(concl, "Verdict") &&
                strstr(concl, "Regime"),
            "conclusion.txt: %s", concl ? concl : "(missing)");
  free(concl);
  remove_dir(dir);
}

/* ----------------------------------------------------------- vllm_serving */

/* experiments/vllm_serving.lua (kvsim as a vLLM v0.15 server, a rate
 * sweep): at a light load the server keeps up (no backlog when the last
 * request arrives, every request done, the profile's CPU time spent, the
 * repeated prompts found in the prefix cache); at a load far beyond what
 * one GPU computes it is marked saturated; two runs write byte-identical
 * files. */
Test(experiments, vllm_serving_keeps_up_then_saturates, .timeout = 120) {
  char dir[64], out[2][128], log[128], path[320];
  make_tmpdir(dir);
  snprintf(log, sizeof log, "%s/log", dir);
  char *first[2] = {NULL, NULL};
  for (int k = 0; k < 2; k++) {
    snprintf(out[k], sizeof out[k], "%s/out%d", dir, k);
    const char *args[] = {"--rates",   "2,400", "--duration",          "30",
                          "--groups",  "2",     "--prompts-per-group", "2",
                          "--backend", "ideal", "--no-plot",           "--out",
                          out[k],      NULL};
    int st = kvsim_run(log, "experiments/vllm_serving.lua", args);
    char *text = slurp(log);
    cr_assert_eq(st, 0, "vllm_serving.lua failed:\n%s", text ? text : "");
    cr_assert(strstr(text, "Conclusion") &&
                  strstr(text, "The server falls behind from 400 req/s"),
              "%s", text);
    free(text);
    for (int f = 0; f < 2; f++) {
      snprintf(path, sizeof path, "%s/%s", out[k],
               f ? "serving.json" : "serving.csv");
      char *t = slurp(path);
      cr_assert_not_null(t, "%s missing", path);
      if (k == 0) {
        first[f] = t;
      } else {
        cr_assert_str_eq(first[f], t, "%s differs between runs",
                         f ? "serving.json" : "serving.csv");
        free(t);
      }
    }
  }
  free(first[0]);
  free(first[1]);
  csv c;
  snprintf(path, sizeof path, "%s/serving.csv", out[0]);
  csv_load(&c, path);
  cr_assert_eq(c.rows, 2);
  cr_assert_str_eq(str(&c, 0, "saturated"), "false");
  cr_assert_str_eq(str(&c, 0, "meets_slo"), "true");
  cr_assert_eq(num(&c, 0, "completed"), num(&c, 0, "requests"));
  /* (throughput spans the arrivals and the last requests' 1.7 s: 30 / 31.7) */
  cr_assert_geq(num(&c, 0, "throughput"), 0.9 * num(&c, 0, "offered"));
  cr_assert_leq(num(&c, 0, "backlog"), 2, "backlog %g at 2 req/s",
                num(&c, 0, "backlog"));
  cr_assert_gt(num(&c, 0, "cpu_time"), 0, "no CPU overheads spent");
  cr_assert_gt(num(&c, 0, "prefix_hit_rate"), 0.5,
               "4 prompts asked 60 times: hit rate %g",
               num(&c, 0, "prefix_hit_rate"));
  cr_assert_leq(num(&c, 0, "ttft_p50"), num(&c, 0, "ttft_p99"));
  cr_assert_str_eq(str(&c, 1, "saturated"), "true");
  cr_assert_gt(num(&c, 1, "ttft_p99"), num(&c, 0, "ttft_p99"));
  free(c.text);
  remove_dir(dir);
}

/* Bad options and inputs: each named, exit 1, nothing written. */
Test(experiments, vllm_serving_names_bad_options, .timeout = 60) {
  char dir[64], out[128], log[128];
  make_tmpdir(dir);
  snprintf(out, sizeof out, "%s/out", dir);
  snprintf(log, sizeof log, "%s/log", dir);
  const char *cases[][3] = {
      {"--rates", "1,x", "--rates: 'x' is not a positive number"},
      {"--backend", "gpu", "--backend must be simgrid or ideal, got 'gpu'"},
      {"--trace", "/nonexistent/t.csv", "--trace /nonexistent/t.csv: no such"},
      {"--model", "nope", "--model nope: "},
      {"--overheads", "/nonexistent/p.json",
       "/nonexistent/p.json: No such file or directory"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const char *args[] = {cases[i][0], cases[i][1], "--out", out, NULL};
    int st = kvsim_run(log, "experiments/vllm_serving.lua", args);
    char *text = slurp(log);
    cr_assert_eq(st, 1, "%s %s: exit %d\n%s", cases[i][0], cases[i][1], st,
                 text ? text : "");
    cr_assert(strstr(text, cases[i][2]), "expected '%s' in:\n%s", cases[i][2],
              text);
    free(text);
    cr_assert(access(out, F_OK) != 0, "%s was written", out);
  }
  remove_dir(dir);
}
