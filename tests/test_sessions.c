/* test_sessions.c - scripts/fit_sessions.lua recovers the parameters of
 * the synthetic session generator (core/inputs/workload_synth.c) from a trace
 * it generated with known ones (tests/lua/session_trace.lua), through the built
 * kvsim command ($KVSIM_BIN) and the block-hash JSONL reader; and the session
 * preset it wrote loads and generates sessions. Main entry point: the Criterion
 * tests below.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kvsim_testutil.h"

/* The value of the line "fit.<key> <value>" in text. */
static const char *fit_field(const char *text, const char *key) {
  char pat[64];
  snprintf(pat, sizeof pat, "fit.%s ", key);
  const char *p = strstr(text, pat);
  cr_assert_not_null(p, "no '%s' line in:\n%s", pat, text);
  return p + strlen(pat);
}

static void near(const char *text, const char *key, double want, double rel) {
  double got = strtod(fit_field(text, key), NULL);
  cr_expect(fabs(got - want) <= rel * fabs(want),
            "fit.%s = %g, want %g within %g %%", key, got, want, 100 * rel);
}

Test(sessions, fit_recovers_the_generators_parameters, .timeout = 120) {
  char dir[] = "/tmp/kvsim_sessions_XXXXXX", log[96], trace[96];
  cr_assert_not_null(mkdtemp(dir));
  snprintf(log, sizeof log, "%s/log", dir);
  snprintf(trace, sizeof trace, "%s/trace.jsonl", dir);
  const char *gen[] = {"tests/lua/session_trace.lua", dir, NULL};
  int st = kvsim_run(log, NULL, gen);
  char *text = slurp(log);
  cr_assert_eq(st, 0, "session_trace.lua failed:\n%s", text ? text : "");
  free(text);
  const char *fit[] = {"scripts/fit_sessions.lua",
                       trace,
                       "--format",
                       "jsonl",
                       "--hash-block",
                       "16",
                       "--time-unit",
                       "s",
                       NULL};
  st = kvsim_run(log, NULL, fit);
  text = slurp(log);
  cr_assert_eq(st, 0, "fit_sessions.lua failed:\n%s", text ? text : "");
  /* every turn adds a whole block of its own: the chains are exact */
  near(text, "sessions", 3000, 0);
  near(text, "groups", 3, 0);
  near(text, "system_prompt", 64, 0);
  /* turns uniform [1, 7]: mean 4 (3000 sessions: std of the mean 0.04) */
  near(text, "turns_mean", 4, 0.03);
  near(text, "rate", 0.5, 0.05); /* Poisson: cv 1, mean of 2,999 gaps */
  near(text, "cv", 1, 0.08);
  cr_expect(strncmp(fit_field(text, "arrival"), "poisson", 7) == 0);
  near(text, "question_mean", 40, 0.02); /* uniform [20, 60] */
  near(text, "output_mean", 200, 0.02);  /* uniform [100, 300] */
  /* answer time 0.02 s/token is estimated from below the gaps' lower
   * envelope; think exponential(30 s) within 5 % */
  near(text, "answer_time", 0.02, 0.2);
  near(text, "think_mean", 30, 0.05);
  cr_expect(strncmp(fit_field(text, "think_dist"), "exponential", 11) == 0);
  free(text);
  char cmd[160];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  cr_assert_eq(system(cmd), 0);
}
