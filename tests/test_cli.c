/* test_cli.c - the kvsim command as a user meets it: exit statuses and
 * what it says on stderr for broken scripts, misuse of the API, bad inputs,
 * the arg table, Ctrl-C. Runs the built binary ($KVSIM_BIN) on the scripts
 * in tests/lua/.
 * Main entry point: the Criterion tests below.
 */
#include <criterion/criterion.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef KVSIM_SOURCE_DIR
#define KVSIM_SOURCE_DIR "."
#endif

typedef struct outcome {
  int status; /* exit status, or 128 + signal */
  char out[16384];
  char err[16384];
} outcome;

static const char *kvsim_bin(void) {
  const char *b = getenv("KVSIM_BIN");
  cr_assert(b && *b, "KVSIM_BIN is not set (run through ctest)");
  return b;
}

static void slurp(int fd, char *buf, size_t n) {
  size_t len = 0;
  ssize_t r;
  lseek(fd, 0, SEEK_SET);
  while (len + 1 < n && (r = read(fd, buf + len, n - 1 - len)) > 0)
    len += (size_t)r;
  buf[len] = '\0';
}

/* Run kvsim with args (NULL-terminated) from the source dir, quietly. */
static void run_kvsim(outcome *o, const char *const *args) {
  char fo[] = "/tmp/kvsim_cli_outXXXXXX", fe[] = "/tmp/kvsim_cli_errXXXXXX";
  int out = mkstemp(fo), err = mkstemp(fe);
  cr_assert(out >= 0 && err >= 0);
  unlink(fo);
  unlink(fe);
  const char *argv[32];
  size_t n = 0;
  argv[n++] = kvsim_bin();
  for (size_t i = 0; args[i] && n < 31; i++)
    argv[n++] = args[i];
  argv[n] = NULL;
  pid_t pid = fork();
  cr_assert(pid >= 0);
  if (pid == 0) {
    dup2(out, 1);
    dup2(err, 2);
    if (chdir(KVSIM_SOURCE_DIR) != 0) _exit(126);
    setenv("KVSIM_QUIET", "1", 1);
    execv(argv[0], (char *const *)argv);
    _exit(127);
  }
  int st;
  waitpid(pid, &st, 0);
  o->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  slurp(out, o->out, sizeof o->out);
  slurp(err, o->err, sizeof o->err);
  close(out);
  close(err);
}

#define RUN(o, ...)                                                            \
  do {                                                                         \
    const char *const a_[] = {__VA_ARGS__, NULL};                              \
    run_kvsim(o, a_);                                                          \
  } while (0)

static void expect_in(const char *hay, const char *needle, const char *what) {
  cr_expect(strstr(hay, needle) != NULL, "%s: expected '%s' in:\n%s", what,
            needle, hay);
}

static outcome o;

Test(cli, no_arguments_prints_usage_and_fails) {
  RUN(&o, "-q");
  cr_expect_eq(o.status, 1);
  expect_in(o.err, "usage: kvsim", "stderr");
}

Test(cli, help_prints_usage_on_stdout) {
  RUN(&o, "--help");
  cr_expect_eq(o.status, 0);
  expect_in(o.out, "usage: kvsim [options] SCRIPT [args]", "stdout");
}

Test(cli, version) {
  RUN(&o, "--version");
  cr_expect_eq(o.status, 0);
  expect_in(o.out, "kvsim 0.1.0", "stdout");
  expect_in(o.out, "Lua 5.4", "stdout");
}

Test(cli, unknown_option_fails) {
  RUN(&o, "--frobnicate", "x.lua");
  cr_expect_eq(o.status, 1);
  expect_in(o.err, "unknown option '--frobnicate'", "stderr");
}

Test(cli, missing_script) {
  RUN(&o, "tests/lua/no_such_script.lua");
  cr_expect_eq(o.status, 1);
  expect_in(o.err,
            "kvsim: cannot open tests/lua/no_such_script.lua: No such file",
            "stderr");
}

Test(cli, syntax_error_names_file_and_line) {
  RUN(&o, "tests/lua/syntax_error.lua");
  cr_expect_eq(o.status, 1);
  expect_in(o.err, "kvsim: tests/lua/syntax_error.lua:4:", "stderr");
  expect_in(o.err, "near '='", "stderr");
}

Test(cli, runtime_error_has_file_line_and_traceback) {
  RUN(&o, "tests/lua/runtime_error.lua");
  cr_expect_eq(o.status, 1);
  expect_in(o.err, "kvsim: tests/lua/runtime_error.lua:4: boom: the fuse",
            "stderr");
  expect_in(o.err, "stack traceback:", "stderr");
  expect_in(o.err, "tests/lua/runtime_error.lua:7: in local 'outer'", "stderr");
  expect_in(o.err, "in main chunk", "stderr");
}

/* A script's own option misuse (kv.parse_args raises it at level 0: no
 * code position) prints the message and the usage, not a traceback. */
Test(cli, script_option_misuse_has_no_traceback) {
  RUN(&o, "experiments/closure.lua", "--frobnicate");
  cr_expect_eq(o.status, 1);
  expect_in(o.err, "kvsim: unknown option '--frobnicate'\nusage: ", "stderr");
  cr_expect(strstr(o.err, "traceback") == NULL, "no traceback: %s", o.err);
}

/* The same error prints the same traceback every run: a C function that
 * two loaded modules hold (kv.workload, kvsim.core's workload) is named by
 * its call site, not by a search of package.loaded in hash order. */
Test(cli, traceback_is_the_same_every_run) {
  static outcome first, o2;
  RUN(&first, "tests/lua/bad_core_call.lua");
  cr_expect_eq(first.status, 1);
  expect_in(first.err, "in field 'workload'", "stderr");
  for (int i = 0; i < 6; i++) {
    RUN(&o2, "tests/lua/bad_core_call.lua");
    cr_expect_str_eq(o2.err, first.err, "run %d", i + 2);
  }
}

Test(cli, arg_table_and_varargs) {
  RUN(&o, "-q", "tests/lua/args.lua", "x", "y z");
  cr_expect_eq(o.status, 0, "stderr: %s", o.err);
  expect_in(o.out, "script=tests/lua/args.lua\n", "stdout");
  expect_in(o.out, "n=2 varargs=2\n", "stdout");
  expect_in(o.out, "arg[1]=x\narg[2]=y z\n", "stdout");
  expect_in(o.out, "first_vararg=x\n", "stdout");
  expect_in(o.out, "arg[-1]=-q\n", "stdout");
}

/* misuse.lua CASE: must fail with status 1 and name the problem with the
 * script's file:line. */
static void misuse(const char *c, const char *needle) {
  RUN(&o, "tests/lua/misuse.lua", c);
  cr_expect_eq(o.status, 1, "%s: status %d, stderr: %s", c, o.status, o.err);
  cr_expect(strstr(o.out, "no error") == NULL, "%s raised nothing", c);
  expect_in(o.err, "kvsim: tests/lua/misuse.lua:", c);
  expect_in(o.err, needle, c);
}

Test(cli, unknown_model_lists_valid_names) {
  misuse("unknown_model", "invalid model 'llama-9-1t' (valid: llama-3-8b");
}

Test(cli, unknown_platform_lists_valid_names) {
  misuse("unknown_platform", "invalid platform 'tpu-v9' (valid: h100-sxm-80gb");
}

Test(cli, unknown_strategy_lists_valid_names) {
  misuse("unknown_strategy",
         "bad argument #1 to 'run' (field 'strategy': invalid strategy "
         "'pagd' (valid: static, paged, vmm, indirect");
}

Test(cli, unknown_run_key_is_named) {
  misuse("unknown_key", "unknown key 'max_num_seq' in the run table");
}

Test(cli, key_of_another_strategy_is_refused) {
  misuse("unknown_strategy_key",
         "strategy 'paged': unknown key 'page_bytes' in the strategy table "
         "(valid: block_tokens, max_context, copy_via, spare_pages, "
         "prealloc_pages)");
}

Test(cli, unknown_platform_field_is_named) {
  misuse("unknown_platform_field", "unknown key 'pcie_bww' in platform");
}

Test(cli, bad_sm_copy_grid_is_named) {
  misuse("grid_row_not_a_curve",
         "field 'sm_copy_grid_h2d': row 1: expected a list of {x, y} pairs");
  misuse("grid_rows_not_increasing",
         "platform field 'sm_copy_grid_d2h': row 2 has key 256, not above the "
         "previous 4096");
}

Test(cli, zero_block_tokens) {
  misuse("block_tokens_zero",
         "field 'strategy.block_tokens': must be at least 1, got 0");
}

Test(cli, negative_page_bytes) {
  misuse("page_bytes_negative",
         "field 'strategy.page_bytes': must be at least 1, got -1");
}

Test(cli, zero_kv_capacity) {
  misuse("kv_capacity_zero", "field 'kv_capacity': must be at least 1, got 0");
}

Test(cli, gpu_smaller_than_one_block) {
  misuse("gpu_too_small", "GPU too small");
}

Test(cli, gpu_smaller_than_one_static_reservation) {
  misuse("static_too_small", "GPU too small: strategy static");
}

Test(cli, unknown_backend) {
  misuse("bad_backend", "invalid backend 'quantum' (valid: ideal, simgrid");
}

Test(cli, unknown_long_prompts_lists_valid_values) {
  misuse("long_prompts_bad",
         "field 'long_prompts': invalid long_prompts 'drop' (valid: reject, "
         "truncate)");
}

Test(cli, missing_platform_xml_is_named_when_the_platform_is_built) {
  misuse("xml_missing", "field 'xml': SimGrid platform file "
                        "'/nonexistent/server.xml': No such file");
}

Test(cli, ideal_backend_refuses_a_platform_xml) {
  misuse("xml_with_ideal",
         "the ideal backend does not read SimGrid XML (platform xml "
         "'tests/bad/xml_truncated.xml'); use backend = \"simgrid\"");
}

/* One impossible configuration in a sweep: the others finish and the
 * script writes them; the failure is named on stderr; exit 1 at the end. */
Test(cli, sweep_keeps_the_other_runs_and_exits_1_at_the_end) {
  char dir[] = "/tmp/kvsim_cli_sweepXXXXXX";
  cr_assert(mkdtemp(dir));
  RUN(&o, "tests/lua/sweep_failure.lua", dir);
  cr_expect_eq(o.status, 1, "stderr: %s", o.err);
  expect_in(o.out, "finished run=1 label=first completed=20\n", "stdout");
  expect_in(o.out, "finished run=3 label=third completed=20\n", "stdout");
  expect_in(o.out, "failed run=2 label=impossible\n", "stdout");
  expect_in(o.out, "script end\n", "stdout: the script ran to its end");
  expect_in(o.err, "kvsim: run 'impossible' failed: GPU too small", "stderr");
  expect_in(o.err, "kvsim: 1 run failed (named above)\n", "stderr");
  cr_expect(strstr(o.err, "traceback") == NULL, "no traceback: %s", o.err);
  char path[128];
  snprintf(path, sizeof path, "%s/summary.csv", dir);
  FILE *f = fopen(path, "r");
  cr_assert(f, "the finished runs were not written");
  char buf[256] = {0};
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  cr_expect_str_eq(buf, "run,label,completed\n1,first,20\n3,third,20\n");
  unlink(path);
  rmdir(dir);
}

Test(cli, missing_trace_file_is_named) {
  misuse("missing_trace", "/nonexistent/dir/trace.csv");
}

Test(cli, missing_explicit_trace_path_is_named) {
  misuse("missing_trace_path", "trace file '/nonexistent/azure.csv' does not "
                               "exist");
}

Test(cli, malformed_trace_line_names_file_and_line) {
  char path[] = "/tmp/kvsim_bad_traceXXXXXX";
  int fd = mkstemp(path);
  cr_assert(fd >= 0);
  const char *text = "TIMESTAMP,ContextTokens,GeneratedTokens\n"
                     "2023-11-16 18:15:46.6805900,374,44\n"
                     "2023-11-16 18:15:50.9951690,lots,109\n";
  cr_assert(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
  close(fd);
  RUN(&o, "tests/lua/misuse.lua", "malformed_trace", path);
  unlink(path);
  cr_expect_eq(o.status, 1);
  expect_in(o.err, "kvsim: tests/lua/misuse.lua:", "stderr");
  char where[64];
  snprintf(where, sizeof where, "%s:3:", path);
  expect_in(o.err, where, "stderr");
}

Test(cli, missing_trace_falls_back_with_one_notice) {
  RUN(&o, "tests/lua/fallback.lua");
  if (strstr(o.out, "source=synthetic") == NULL && o.status == 0)
    cr_skip_test("a real azure2023_code.csv is installed; no fallback");
  cr_expect_eq(o.status, 0, "stderr: %s", o.err);
  expect_in(o.err, "kvsim: azure2023_code.csv not found in ", "stderr");
  expect_in(o.err,
            "; using the synthetic preset azure-code fitted to its published "
            "statistics (scripts/download_traces.sh fetches the real file)\n",
            "stderr");
  const char *first = strstr(o.err, "not found in");
  cr_expect(first && strstr(first + 1, "not found in") == NULL,
            "the notice must appear once:\n%s", o.err);
  expect_in(o.out, "n=10,5\n", "stdout");
}

Test(cli, ctrl_c_interrupts_a_lua_loop) {
  int pfd[2], efd[2];
  cr_assert(pipe(pfd) == 0 && pipe(efd) == 0);
  pid_t pid = fork();
  cr_assert(pid >= 0);
  if (pid == 0) {
    dup2(pfd[1], 1);
    dup2(efd[1], 2);
    close(pfd[0]);
    close(efd[0]);
    if (chdir(KVSIM_SOURCE_DIR) != 0) _exit(126);
    execl(kvsim_bin(), kvsim_bin(), "tests/lua/loop.lua", (char *)NULL);
    _exit(127);
  }
  close(pfd[1]);
  close(efd[1]);
  char buf[64] = {0};
  ssize_t r = read(pfd[0], buf, sizeof buf - 1); /* "spinning" */
  cr_assert(r > 0 && strstr(buf, "spinning"), "script did not start");
  struct timespec ts = {0, 100 * 1000 * 1000};
  nanosleep(&ts, NULL);
  kill(pid, SIGINT);
  int st;
  waitpid(pid, &st, 0);
  char err[4096];
  slurp(efd[0], err, sizeof err);
  cr_expect(WIFEXITED(st), "kvsim died of a signal instead of exiting");
  cr_expect_eq(WEXITSTATUS(st), 130);
  expect_in(err, "interrupted", "stderr");
  expect_in(err, "tests/lua/loop.lua:5:", "stderr");
  close(pfd[0]);
  close(efd[0]);
}

/* One tensor-parallel check: every backend refuses a tp the same way. */
Test(cli, tp_is_checked_the_same_on_every_backend) {
  const char *pairs[][2] = {{"tp3_ideal", "tp3_simgrid"},
                            {"tp16_ideal", "tp16_simgrid"}};
  for (int i = 0; i < 2; i++) {
    static char first[16384];
    RUN(&o, "tests/lua/misuse.lua", pairs[i][0]);
    cr_assert_eq(o.status, 1, "%s: %s", pairs[i][0], o.err);
    expect_in(o.err, "field 'tp'", pairs[i][0]);
    snprintf(first, sizeof first, "%s", o.err);
    first[strcspn(first, "\n")] = '\0'; /* the message, not the traceback */
    RUN(&o, "tests/lua/misuse.lua", pairs[i][1]);
    cr_assert_eq(o.status, 1, "%s: %s", pairs[i][1], o.err);
    o.err[strcspn(o.err, "\n")] = '\0';
    cr_assert_str_eq(o.err, first);
  }
}
