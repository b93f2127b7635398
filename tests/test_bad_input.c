/* test_bad_input.c - the bad-input catalogue: the built kvsim command
 * ($KVSIM_BIN) run on malformed scripts, option tables, traces, model
 * configs, calibration files and SimGrid platform files under tests/bad/.
 * Every case must end with exit status 1 (a crash is a signal or 134/139;
 * a LeakSanitizer report exits 23), say on stderr which file, line or
 * field is at fault, print no sanitizer report, and leave no summary file:
 * each script writes its summary to arg[1] only after its run succeeded
 * (tests/bad/common.lua), so a partial result is never presented.
 * Run under the KVSIM_SANITIZE build in CI, this is also the leak check of
 * every error path. docs/reliability.md lists the cases.
 * Main entry point: the Criterion tests below.
 */
#include <criterion/criterion.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef KVSIM_SOURCE_DIR
#define KVSIM_SOURCE_DIR "."
#endif

typedef struct bad_outcome {
  int status; /* exit status, or 128 + signal */
  char err[32768];
} bad_outcome;

static void slurp(int fd, char *buf, size_t n) {
  size_t len = 0;
  ssize_t r;
  lseek(fd, 0, SEEK_SET);
  while (len + 1 < n && (r = read(fd, buf + len, n - 1 - len)) > 0)
    len += (size_t)r;
  buf[len] = '\0';
}

/* Run `kvsim tests/bad/<script> <summary> [file]` from the source dir. */
static void run_bad(bad_outcome *o, const char *script, const char *file,
                    const char *summary) {
  const char *bin = getenv("KVSIM_BIN");
  cr_assert(bin && *bin, "KVSIM_BIN is not set (run through ctest)");
  char fe[] = "/tmp/kvsim_bad_errXXXXXX";
  int err = mkstemp(fe);
  cr_assert(err >= 0);
  unlink(fe);
  char spath[512];
  snprintf(spath, sizeof spath, "tests/bad/%s", script);
  const char *argv[] = {bin, spath, summary, file, NULL};
  pid_t pid = fork();
  cr_assert(pid >= 0);
  if (pid == 0) {
    int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, 1);
    dup2(err, 2);
    if (chdir(KVSIM_SOURCE_DIR) != 0) _exit(126);
    setenv("KVSIM_QUIET", "1", 1);
    execv(bin, (char *const *)argv);
    _exit(127);
  }
  int st;
  cr_assert_eq(waitpid(pid, &st, 0), pid);
  o->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  slurp(err, o->err, sizeof o->err);
  close(err);
}

/* The checks every case shares; `want` is a NULL-terminated list of
 * substrings stderr must hold. */
static void check_bad(const char *script, const char *file,
                      const char *const *want) {
  char summary[64];
  snprintf(summary, sizeof summary, "/tmp/kvsim_bad_summary_%d.json",
           (int)getpid());
  unlink(summary);
  bad_outcome *o = malloc(sizeof *o);
  cr_assert_not_null(o);
  run_bad(o, script, file, summary);
  struct stat sb;
  int written = stat(summary, &sb) == 0;
  unlink(summary);
  cr_assert_neq(o->status, 0, "%s %s: exit 0 on bad input", script,
                file ? file : "");
  cr_assert(o->status < 128 && o->status != 134 && o->status != 139,
            "%s %s: crashed (status %d): %s", script, file ? file : "",
            o->status, o->err);
  cr_assert(!strstr(o->err, "Sanitizer") && !strstr(o->err, "runtime error:"),
            "%s %s: sanitizer report: %s", script, file ? file : "", o->err);
  cr_assert(!strstr(o->err, "died with signal"),
            "%s %s: a child run crashed: %s", script, file ? file : "", o->err);
  cr_assert_eq(o->status, 1, "%s %s: exit status %d (expected 1): %s", script,
               file ? file : "", o->status, o->err);
  cr_assert(strncmp(o->err, "kvsim: ", 7) == 0,
            "%s: stderr does not open with the error: %s", script, o->err);
  for (size_t i = 0; want[i]; i++)
    cr_assert(strstr(o->err, want[i]), "%s %s: stderr lacks \"%s\": %s", script,
              file ? file : "", want[i], o->err);
  cr_assert(!written, "%s %s: a summary was written despite the error", script,
            file ? file : "");
  free(o);
}

#define BAD(name, script, file, ...)                                           \
  Test(bad_input, name, .timeout = 180) {                                      \
    const char *const want_[] = {__VA_ARGS__, NULL};                           \
    check_bad(script, file, want_);                                            \
  }

/* ---- Lua scripts: syntax, runtime, bytes ---- */
BAD(lua_syntax_error, "syntax_error.lua", NULL,
    "tests/bad/syntax_error.lua:3:", "unexpected symbol")
BAD(lua_runtime_error, "runtime_error.lua", NULL,
    "tests/bad/runtime_error.lua:4:", "nil value")
BAD(lua_non_utf8_in_code, "non_utf8_script.lua", NULL,
    "tests/bad/non_utf8_script.lua:2:")
BAD(lua_invalid_bytes_only, "non_utf8_bytes.lua", NULL,
    "tests/bad/non_utf8_bytes.lua:2:")
BAD(script_is_a_directory, "", NULL, "tests/bad/", "directory")

/* ---- wrong argument types ---- */
BAD(run_with_a_string, "run_not_a_table.lua", NULL,
    "run_not_a_table.lua:3:", "bad argument #1 to 'run'", "table expected")
BAD(model_with_a_number, "model_wrong_type.lua", NULL,
    "model_wrong_type.lua:3:", "'model'", "got number")
BAD(platform_with_a_boolean, "platform_wrong_type.lua", NULL,
    "platform_wrong_type.lua:3:", "'platform'", "got boolean")
BAD(workload_with_a_string, "workload_wrong_type.lua", NULL,
    "workload_wrong_type.lua:3:", "'workload'", "got string")
BAD(model_field_with_a_string, "model_field_wrong_type.lua", NULL,
    "model_field_wrong_type.lua:3:", "field 'layers'")
BAD(workload_given_as_model, "workload_in_model_slot.lua", NULL,
    "field 'model'", "got userdata")

/* ---- unknown names ---- */
BAD(unknown_model, "unknown_model.lua", NULL, "'llama-9-1t'", "valid:")
BAD(unknown_strategy, "unknown_strategy.lua", NULL, "'pagd'",
    "static, paged, vmm, indirect")
BAD(unknown_platform, "unknown_platform.lua", NULL, "'tpu-v9'", "valid:")
BAD(unknown_workload_preset, "unknown_preset.lua", NULL,
    "unknown_preset.lua:3:", "'azure-chat'")

/* ---- out-of-range sizes ---- */
BAD(block_tokens_zero, "block_tokens_zero.lua", NULL,
    "field 'strategy.block_tokens'", "got 0")
BAD(page_bytes_negative, "page_bytes_negative.lua", NULL,
    "field 'strategy.page_bytes'", "got -1")
BAD(kv_capacity_1e30, "kv_capacity_huge.lua", NULL, "field 'kv_capacity'")
BAD(max_context_zero, "max_context_zero.lua", NULL,
    "field 'strategy.max_context'")
BAD(rate_zero, "rate_zero.lua", NULL,
    "rate_zero.lua:3:", "field 'synthetic.rate'")
BAD(gpu_mem_util_above_one, "gpu_mem_util_above_one.lua", NULL,
    "field 'gpu_mem_util'")
BAD(platform_pcie_bw_zero, "platform_pcie_bw_zero.lua", NULL,
    "platform_pcie_bw_zero.lua:3:", "'pcie_bw'")
BAD(platform_hbm_bw_nan, "platform_hbm_nan.lua", NULL,
    "platform_hbm_nan.lua:3:", "'hbm_bw'")
BAD(model_layers_zero, "model_layers_zero.lua", NULL,
    "model_layers_zero.lua:3:", "'layers'")
BAD(empirical_lengths_empty, "empirical_empty.lua", NULL,
    "field 'synthetic.prompt.values'")
BAD(workload_count_negative, "count_negative.lua", NULL, "field 'count'")
BAD(swap_without_host_tier, "swap_without_host.lua", NULL, "field 'host_bytes'")
BAD(model_does_not_fit_the_gpu, "model_does_not_fit.lua", NULL,
    "does not fit on h100-sxm-80gb", "weights")
BAD(sweep_with_a_bad_second_run, "sweep_bad_second_run.lua", NULL, "'sweep'",
    "run 2", "strategy.layout")
BAD(run_max_context_zero, "max_context_run_zero.lua", NULL,
    "max_context_run_zero.lua:3:", "field 'max_context'", "at least 1")
BAD(max_context_in_run_and_strategy_differ, "max_context_twice.lua", NULL,
    "max_context_twice.lua:3:", "field 'max_context'",
    "4096 here but 2048 in the strategy table")
BAD(long_prompts_unknown_value, "long_prompts_unknown.lua", NULL,
    "long_prompts_unknown.lua:3:", "field 'long_prompts'",
    "invalid long_prompts 'cut' (valid: reject, truncate)")
BAD(window_layers_above_layers, "window_layers_too_many.lua", NULL,
    "window_layers_too_many.lua:3:", "'window_layers'")

/* ---- traces ---- */
BAD(trace_empty_file, "load_trace.lua", "tests/bad/empty.csv",
    "tests/bad/empty.csv", "empty")
BAD(trace_is_a_directory, "load_trace.lua", "tests/bad/a_directory.csv",
    "tests/bad/a_directory.csv", "directory")
BAD(trace_missing_file, "load_trace.lua", "tests/bad/no_such_trace.csv",
    "tests/bad/no_such_trace.csv")
BAD(azure_truncated_line, "load_trace.lua", "tests/bad/azure_truncated.csv",
    "tests/bad/azure_truncated.csv:3:", "GeneratedTokens")
BAD(azure_negative_tokens, "load_trace.lua", "tests/bad/azure_negative.csv",
    "tests/bad/azure_negative.csv:3:", "ContextTokens")
BAD(azure_non_utf8, "load_trace.lua", "tests/bad/azure_non_utf8.csv",
    "tests/bad/azure_non_utf8.csv:3:", "non-UTF-8")
BAD(azure_impossible_date, "load_trace.lua", "tests/bad/azure_bad_date.csv",
    "tests/bad/azure_bad_date.csv:3:", "TIMESTAMP")
BAD(azure_token_count_overflow, "load_trace.lua",
    "tests/bad/azure_huge_count.csv",
    "tests/bad/azure_huge_count.csv:3:", "ContextTokens")
BAD(mooncake_truncated_line, "load_trace.lua",
    "tests/bad/mooncake_truncated.jsonl",
    "tests/bad/mooncake_truncated.jsonl:2")
BAD(mooncake_negative_length, "load_trace.lua",
    "tests/bad/mooncake_negative.jsonl", "tests/bad/mooncake_negative.jsonl:2",
    "input_length")
BAD(mooncake_non_utf8, "load_trace.lua", "tests/bad/mooncake_non_utf8.jsonl",
    "tests/bad/mooncake_non_utf8.jsonl:2")
BAD(mooncake_hash_ids_not_a_list, "load_trace.lua",
    "tests/bad/mooncake_hash_not_list.jsonl",
    "tests/bad/mooncake_hash_not_list.jsonl:2", "hash_ids")
BAD(trace_binary_garbage, "load_trace.lua", "tests/data/binary_garbage.bin",
    "tests/data/binary_garbage.bin")

/* ---- Hugging Face config.json ---- */
BAD(hf_truncated_json, "load_hf.lua", "tests/bad/hf_truncated.json",
    "tests/bad/hf_truncated.json:1")
BAD(hf_non_utf8, "load_hf.lua", "tests/bad/hf_non_utf8.json",
    "tests/bad/hf_non_utf8.json")
BAD(hf_negative_layers, "load_hf.lua", "tests/bad/hf_negative_layers.json",
    "tests/bad/hf_negative_layers.json", "num_hidden_layers")
BAD(hf_is_a_directory, "load_hf.lua", "tests/bad/a_directory.csv",
    "tests/bad/a_directory.csv")
BAD(hf_empty_file, "load_hf.lua", "tests/bad/empty.csv", "tests/bad/empty.csv")

/* ---- calibration files ---- */
BAD(calibration_syntax_error, "load_calib.lua",
    "tests/bad/calib_syntax_error.lua", "tests/bad/calib_syntax_error.lua:3:")
BAD(calibration_unknown_field, "load_calib.lua",
    "tests/bad/calib_bad_field.lua", "tests/bad/calib_bad_field.lua",
    "'pcie_bandwidth'")
BAD(calibration_is_a_directory, "load_calib.lua", "tests/bad/a_directory.csv",
    "tests/bad/a_directory.csv")
BAD(calibration_names_a_missing_xml, "load_calib.lua",
    "tests/bad/calib_xml_missing.lua", "field 'xml'",
    "tests/bad/no_such_calib_platform.xml", "No such file")

/* ---- several models on one GPU (kv.run{ models = }) ---- */
BAD(multimodel_unknown_memory_mode, "multimodel_unknown_memory.lua", NULL,
    "field 'memory'", "'elastc'", "static, elastic, indirect")
BAD(multimodel_empty_model_list, "multimodel_empty.lua", NULL, "field 'models'",
    "empty")
BAD(multimodel_weights_do_not_fit, "multimodel_too_big.lua", NULL,
    "llama-3-70b", "mistral-7b", "do not fit on h100-sxm-80gb together")
BAD(multimodel_platform_per_model, "multimodel_platform_twice.lua", NULL,
    "models[1]", "field 'platform'", "outer table")
BAD(multimodel_policy_returns_a_bad_index, "multimodel_policy_bad_index.lua",
    NULL, "policy.victim", "multimodel_policy_bad_index.lua:7", "1..2")
BAD(multimodel_elastic_needs_paged_or_vmm, "multimodel_elastic_paged.lua", NULL,
    "models[1].strategy", "must be paged or vmm", "got static")

/* ---- SimGrid platform files, checked when the platform is built ---- */
BAD(xml_missing_file, "xml_missing_file.lua", NULL,
    "xml_missing_file.lua:4:", "field 'xml'", "tests/bad/no_such_platform.xml",
    "No such file")
/* kv.platform refuses a directory before any backend sees it (the sim
 * backend refuses one too, before SimGrid's XML scanner could exit the
 * process on it) */
BAD(xml_is_a_directory, "load_xml.lua", "tests/bad/a_directory.csv",
    "field 'xml'", "tests/bad/a_directory.csv", "not a regular file")
BAD(xml_with_the_ideal_backend, "xml_with_ideal.lua", NULL,
    "xml_with_ideal.lua:4:", "field 'backend'",
    "ideal backend does not read SimGrid XML", "tests/bad/xml_truncated.xml",
    "use backend = \"simgrid\"")

#ifdef KVSIM_HAVE_SIM
/* ---- SimGrid platform files (checked in a child before SimGrid runs) ---- */
BAD(xml_unknown_gpu_host, "load_xml.lua", "tests/bad/xml_unknown_host.xml",
    "tests/bad/xml_unknown_host.xml", "no host 'gpu0'", "accel0")
BAD(xml_missing_route, "load_xml.lua", "tests/bad/xml_missing_route.xml",
    "no route from 'host' to 'gpu0'")
BAD(xml_unknown_link, "load_xml.lua", "tests/bad/xml_unknown_link.xml",
    "tests/bad/xml_unknown_link.xml", "pcie_typo")
BAD(xml_truncated, "load_xml.lua", "tests/bad/xml_truncated.xml",
    "tests/bad/xml_truncated.xml")
#endif
