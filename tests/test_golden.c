/* test_golden.c - golden output of the fragmentation experiment: a small
 * run (the synthetic azure-conv preset, seed 1, first 300 requests, ideal
 * backend) whose summary.csv must match tests/golden/fragmentation_small.csv
 * byte for byte. The synthetic preset keeps the golden independent of
 * whether a real trace file is installed.
 *
 * When behaviour changes on purpose, regenerate the golden with
 *   KVSIM_UPDATE_GOLDEN=1 ctest -R golden
 * and review the diff before committing it.
 * Main entry point: the Criterion test below.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef KVSIM_SOURCE_DIR
#define KVSIM_SOURCE_DIR "."
#endif

#define GOLDEN KVSIM_SOURCE_DIR "/tests/golden/fragmentation_small.csv"

static char *read_all(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *s = malloc((size_t)n + 1);
  *len = fread(s, 1, (size_t)n, f);
  s[*len] = '\0';
  fclose(f);
  return s;
}

/* First line where a and b differ, for the failure message. */
static int first_diff_line(const char *a, const char *b) {
  int line = 1;
  for (; *a && *a == *b; a++, b++)
    if (*a == '\n') line++;
  return line;
}

Test(golden, fragmentation_small_summary_csv) {
  const char *bin = getenv("KVSIM_BIN");
  cr_assert(bin && *bin, "KVSIM_BIN is not set (run through ctest)");
  char dir[] = "/tmp/kvsim_goldenXXXXXX";
  cr_assert(mkdtemp(dir));
  char cmd[4096];
  snprintf(cmd, sizeof cmd,
           "cd '%s' && KVSIM_QUIET=1 '%s' experiments/fragmentation.lua "
           "--synthetic --requests 300 --backend ideal --seed 1 --no-plot "
           "--out '%s' > '%s/stdout.txt' 2>&1",
           KVSIM_SOURCE_DIR, bin, dir, dir);
  int st = system(cmd);
  char path[512];
  snprintf(path, sizeof path, "%s/stdout.txt", dir);
  size_t n;
  char *log = read_all(path, &n);
  cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0,
            "fragmentation.lua failed:\n%s", log ? log : "");
  snprintf(path, sizeof path, "%s/summary.csv", dir);
  size_t got_n, want_n;
  char *got = read_all(path, &got_n);
  cr_assert(got, "no summary.csv written");

  const char *update = getenv("KVSIM_UPDATE_GOLDEN");
  if (update && strcmp(update, "1") == 0) {
    FILE *f = fopen(GOLDEN, "wb");
    cr_assert(f, "cannot write %s", GOLDEN);
    cr_assert(fwrite(got, 1, got_n, f) == got_n);
    fclose(f);
    fprintf(stderr, "updated %s\n", GOLDEN);
  }
  char *want = read_all(GOLDEN, &want_n);
  cr_assert(want,
            "missing %s (generate it with KVSIM_UPDATE_GOLDEN=1 ctest "
            "-R golden)",
            GOLDEN);
  cr_expect(got_n == want_n && memcmp(got, want, got_n) == 0,
            "summary.csv differs from %s from line %d on; output kept in %s",
            GOLDEN, first_diff_line(got, want), dir);
  free(got);
  free(want);
  free(log);
}
