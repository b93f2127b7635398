/* test_capacity.c - experiments/capacity.lua and its search
 * (scripts/kvsim/capacity.lua), through the built kvsim command ($KVSIM_BIN):
 * the search against cases with a hand-computed answer
 * (tests/lua/capacity_known.lua), a smoke run of the experiment with tiny
 * settings (its files, its conclusion, byte-identical files when run again),
 * and its errors for bad options.
 * Main entry point: the Criterion tests below.
 */
#include <criterion/criterion.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kvsim_testutil.h"

static void tmpdir(char *dir) {
  strcpy(dir, "/tmp/kvsim_capacity_XXXXXX");
  cr_assert_not_null(mkdtemp(dir));
}

static void rmdir_rf(const char *dir) {
  char cmd[512];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  cr_assert_eq(system(cmd), 0);
}

static size_t count_lines(const char *s) {
  size_t n = 0;
  for (; *s; s++)
    n += *s == '\n';
  return n;
}

/* Run the check script tests/lua/NAME.lua with scratch directory dir: it
 * must exit 0 and end with "NAME: all ok". Returns its output (free it). */
static char *lua_check(const char *name, const char *dir) {
  char script[128], log[128], done[96];
  snprintf(script, sizeof script, "tests/lua/%s.lua", name);
  snprintf(log, sizeof log, "%s/log", dir);
  snprintf(done, sizeof done, "%s: all ok", name);
  const char *args[] = {script, dir, NULL};
  int st = kvsim_run(log, NULL, args);
  char *text = slurp(log);
  cr_assert_eq(st, 0, "%s failed:\n%s", script, text ? text : "");
  cr_assert(strstr(text, done), "%s", text);
  return text;
}

Test(capacity, search_finds_the_known_answer, .timeout = 120) {
  char dir[64];
  tmpdir(dir);
  char *text = lua_check("capacity_known", dir);
  cr_assert(strstr(text, "ok engine: "), "%s", text);
  free(text);
  rmdir_rf(dir);
}

/* Tiny settings: regimes a and d, 150 requests per evaluation, coarse
 * precision; run twice, the files must be byte-identical. */
Test(capacity, smoke_run_is_deterministic, .timeout = 120) {
  char dir[64], out1[128], out2[128], log[128];
  tmpdir(dir);
  snprintf(out1, sizeof out1, "%s/one", dir);
  snprintf(out2, sizeof out2, "%s/two", dir);
  snprintf(log, sizeof log, "%s/log", dir);
  const char *a1[] = {"experiments/capacity.lua",
                      "--regimes",
                      "a,d",
                      "--requests",
                      "150",
                      "--precision",
                      "0.2",
                      "--no-plot",
                      "--out",
                      out1,
                      NULL};
  int st = kvsim_run(log, NULL, a1);
  char *text = slurp(log);
  cr_assert_eq(st, 0, "capacity.lua failed:\n%s", text ? text : "");
  cr_assert(strstr(text, "paged-16 sustains "), "no conclusion in:\n%s", text);
  cr_assert(strstr(text, "PagedAttention (SOSP'23) reports 2-4x"), "%s", text);
  cr_assert(strstr(text, "vAttention (ASPLOS'25)"), "%s", text);
  cr_assert(strstr(text, "[capacity] done in "), "no progress lines in:\n%s",
            text);
  free(text);

  const char *a2[] = {"experiments/capacity.lua",
                      "--regimes",
                      "a,d",
                      "--requests",
                      "150",
                      "--precision",
                      "0.2",
                      "--no-plot",
                      "--out",
                      out2,
                      NULL};
  cr_assert_eq(kvsim_run(log, NULL, a2), 0);

  const char *files[] = {"points.csv", "capacity.csv", "capacity.json"};
  for (size_t i = 0; i < 3; i++) {
    char p1[192], p2[192];
    snprintf(p1, sizeof p1, "%s/%s", out1, files[i]);
    snprintf(p2, sizeof p2, "%s/%s", out2, files[i]);
    char *x = slurp(p1), *y = slurp(p2);
    cr_assert_not_null(x, "%s missing", p1);
    cr_assert_not_null(y, "%s missing", p2);
    cr_assert_str_eq(x, y, "%s differs between two identical runs", files[i]);
    if (i == 1) {
      /* header + 4 strategies of a (+ 4 more with the code trace) + 5 of d */
      size_t rows = count_lines(x) - 1;
      cr_assert(rows == 9 || rows == 13, "capacity.csv rows: %zu", rows);
      cr_assert(strstr(x, "d-prefix-multiturn,paged-16+prefix,"), "%s", x);
      cr_assert_null(strstr(x, ",error,"), "a search failed:\n%s", x);
    }
    if (i == 0) cr_assert_null(strstr(x, "wall"), "wall time in points.csv");
    free(x);
    free(y);
  }
  rmdir_rf(dir);
}

/* scripts/kvsim/vllm_engine.lua (kvsim as a vLLM v0.15 server):
 * tests/lua/vllm_engine_check.lua, then the experiment with --engine vllm:
 * the engine line, vLLM's 1,024 seats on the H100 and the profile's terms in
 * capacity.json. */
Test(capacity, vllm_engine, .timeout = 120) {
  char dir[64], log[128], out[128], json[192];
  tmpdir(dir);
  snprintf(log, sizeof log, "%s/log", dir);
  free(lua_check("vllm_engine_check", dir));

  snprintf(out, sizeof out, "%s/out", dir);
  const char *a[] = {"experiments/capacity.lua",
                     "--regimes",
                     "a",
                     "--requests",
                     "150",
                     "--precision",
                     "0.2",
                     "--no-plot",
                     "--engine",
                     "vllm",
                     "--out",
                     out,
                     NULL};
  int st = kvsim_run(log, NULL, a);
  char *text = slurp(log);
  cr_assert_eq(st, 0, "capacity.lua --engine vllm failed:\n%s",
               text ? text : "");
  cr_assert(strstr(text, "engine: vLLM v0.15 (scripts/kvsim/vllm_engine.lua), "
                         "CPU overheads profile "
                         "experiments/data/vllm/overheads.json"),
            "%s", text);
  cr_assert(
      strstr(text, "engine: vLLM, max_num_seqs 1024, 8192 tokens per step"),
      "%s", text);
  free(text);
  snprintf(json, sizeof json, "%s/capacity.json", out);
  text = slurp(json);
  cr_assert_not_null(text, "%s missing", json);
  cr_assert(strstr(text, "\"engine\": \"vllm\""), "no engine in capacity.json");
  cr_assert(strstr(text, "\"graph_max_tokens\": 512"),
            "no CUDA graph size in capacity.json");
  cr_assert(strstr(text, "\"overheads_profile\""),
            "no profile in capacity.json");
  free(text);
  rmdir_rf(dir);
}

static void expect_error(const char *const *args, const char *want) {
  char dir[64], log[128];
  tmpdir(dir);
  snprintf(log, sizeof log, "%s/log", dir);
  int st = kvsim_run(log, NULL, args);
  char *text = slurp(log);
  cr_assert_eq(st, 1, "exit %d for %s:\n%s", st, args[1], text ? text : "");
  cr_assert(strstr(text, want), "expected '%s' in:\n%s", want, text);
  free(text);
  rmdir_rf(dir);
}

Test(capacity, bad_options_are_named) {
  const char *r[] = {"experiments/capacity.lua", "--regimes", "a,x", NULL};
  expect_error(r, "--regimes: unknown regime 'x' (valid: a, b, c, d)");
  const char *b[] = {"experiments/capacity.lua", "--backend", "gpu", NULL};
  expect_error(b, "--backend must be ideal or simgrid, got 'gpu'");
  const char *t[] = {"experiments/capacity.lua", "--ttft-p99", "0", NULL};
  expect_error(t, "--ttft-p99 needs a positive number, got '0'");
  const char *s[] = {"experiments/capacity.lua", "--start", "5000", NULL};
  expect_error(s, "--start 5000 must lie between");
  const char *g[] = {"experiments/capacity.lua", "--goodput-frac", "2", NULL};
  expect_error(g, "--goodput-frac needs a number from 0 to 1, got '2'");
  const char *e[] = {"experiments/capacity.lua", "--engine", "sglang", NULL};
  expect_error(e, "--engine must be none or vllm, got 'sglang'");
  const char *o[] = {"experiments/capacity.lua", "--overheads", "x.json", NULL};
  expect_error(o, "--overheads: only with --engine vllm");
  const char *m[] = {
      "experiments/capacity.lua", "--engine", "vllm", "--overheads",
      "/nonexistent/p.json",      NULL};
  expect_error(m, "/nonexistent/p.json: No such file or directory");
}
