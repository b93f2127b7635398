/* test_determinism.c - the same script and seed give byte-identical output
 * files: across two runs, and across sweep parallelism (jobs = 1 vs 2).
 * Runs the built kvsim command ($KVSIM_BIN) on tests/determinism/sweep.lua
 * (every strategy on the ideal backend, one SimGrid run, a workload that
 * preempts and swaps), then compares every file it wrote. A different
 * seed must change the results, so the comparison is not vacuous.
 * Main entry point: the Criterion tests below.
 */
#include <criterion/criterion.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef KVSIM_SOURCE_DIR
#define KVSIM_SOURCE_DIR "."
#endif

/* Run the sweep script into a fresh directory; returns its path. */
static char *run_sweep(const char *jobs, const char *seed) {
  const char *bin = getenv("KVSIM_BIN");
  cr_assert(bin && *bin, "KVSIM_BIN is not set (run through ctest)");
  char *dir = strdup("/tmp/kvsim_determXXXXXX");
  cr_assert(mkdtemp(dir));
  char out[512];
  snprintf(out, sizeof out, "%s/out", dir);
  pid_t pid = fork();
  cr_assert(pid >= 0);
  if (pid == 0) {
    int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, 1);
    if (chdir(KVSIM_SOURCE_DIR) != 0) _exit(126);
    setenv("KVSIM_QUIET", "1", 1);
    execl(bin, bin, "tests/determinism/sweep.lua", out, jobs, seed,
          (char *)NULL);
    _exit(127);
  }
  int st;
  cr_assert_eq(waitpid(pid, &st, 0), pid);
  cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0,
            "sweep.lua jobs=%s seed=%s failed (status 0x%x)", jobs, seed, st);
  return dir;
}

static char *slurp_file(const char *path, size_t *n) {
  FILE *f = fopen(path, "rb");
  cr_assert_not_null(f, "cannot open %s", path);
  fseek(f, 0, SEEK_END);
  long len = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)len + 1);
  cr_assert_eq(fread(buf, 1, (size_t)len, f), (size_t)len);
  buf[len] = '\0';
  fclose(f);
  *n = (size_t)len;
  return buf;
}

/* Compare every file of a/out with b/out; returns how many files differ
 * and the number of files compared in *nfiles. */
static int compare_dirs(const char *a, const char *b, int *nfiles) {
  char pa[1024], pb[1024];
  snprintf(pa, sizeof pa, "%s/out", a);
  DIR *d = opendir(pa);
  cr_assert_not_null(d);
  struct dirent *e;
  int differ = 0;
  *nfiles = 0;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    snprintf(pa, sizeof pa, "%s/out/%s", a, e->d_name);
    snprintf(pb, sizeof pb, "%s/out/%s", b, e->d_name);
    size_t na, nb;
    char *ba = slurp_file(pa, &na), *bb = slurp_file(pb, &nb);
    if (na != nb || memcmp(ba, bb, na) != 0) {
      differ++;
      cr_log_info("%s differs from %s", pa, pb);
    }
    free(ba);
    free(bb);
    (*nfiles)++;
  }
  closedir(d);
  return differ;
}

static void remove_dir(char *dir) {
  char cmd[1100];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  cr_assert_eq(system(cmd), 0);
  free(dir);
}

Test(determinism, same_seed_same_bytes_across_runs_and_jobs, .timeout = 600) {
  char *a = run_sweep("1", "7");
  char *b = run_sweep("1", "7");
  char *c = run_sweep("2", "7");
  int n;
  cr_assert_eq(compare_dirs(a, b, &n), 0, "two runs with jobs=1 differ");
  /* summary.csv, summary.json and one timeline per run (6 ideal runs, a 7th
   * with SimGrid when built in) */
  cr_assert_geq(n, 8, "only %d files written", n);
  cr_assert_eq(compare_dirs(a, c, &n), 0, "jobs=1 and jobs=2 differ");
  /* the check can fail: another seed gives other bytes */
  char *d = run_sweep("2", "8");
  size_t na, nd;
  char pa[1024], pd[1024];
  snprintf(pa, sizeof pa, "%s/out/summary.csv", a);
  snprintf(pd, sizeof pd, "%s/out/summary.csv", d);
  char *sa = slurp_file(pa, &na), *sd = slurp_file(pd, &nd);
  cr_assert(na != nd || memcmp(sa, sd, na) != 0,
            "seed 7 and seed 8 gave the same summary");
  /* the workload really preempts: some run has preemptions > 0 */
  cr_assert(strstr(sa, "preemptions"), "summary has no preemptions column");
  free(sa);
  free(sd);
  remove_dir(a);
  remove_dir(b);
  remove_dir(c);
  remove_dir(d);
}
