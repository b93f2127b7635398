/* soak_strategy.c - the fuzz_strategy harness at scale, without libFuzzer.
 *
 * For every configuration family (strategy x host tier x prefix cache x
 * sliding window, x layout for vmm) it generates inputs from a seeded RNG
 * (same seed, same inputs, same operations), steers each into the family
 * (fuzz_strategy.h: the bytes that pick the strategy, the options and each
 * operation's kind are rewritten, so the input decodes the same anywhere)
 * and runs it through fz_strategy_input(), which checks every invariant
 * after every operation, until the family has run --ops operations.
 *
 * Each family runs in a forked child. A violation aborts the child (the
 * harness prints what broke); its signal handler first saves the input to
 * OUTDIR/soak-<family>-seed<S>-input<I>.bin, which replays with
 * `soak_strategy --replay FILE` or the libFuzzer build's `fuzz_strategy
 * FILE`. The parent goes on with the next family, prints a table (family,
 * inputs, operations, violations, wall seconds) and exits 1 if any family
 * found a violation.
 *
 *   soak_strategy [--ops N] [--seed S] [--family NAME[,NAME...]]
 *                 [--jobs J] [--out DIR]
 *   soak_strategy --replay FILE
 *   soak_strategy --list
 *
 * Main entry point: main().
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fuzz_strategy.h"

#define DIE(...)                                                               \
  do {                                                                         \
    fprintf(stderr, "soak_strategy: %s:%d: ", __FILE__, __LINE__);             \
    fprintf(stderr, __VA_ARGS__);                                              \
    fputc('\n', stderr);                                                       \
    exit(2);                                                                   \
  } while (0)

/* strategy, vmm layout, tier, prefix, window */
static const fz_family families[] = {
    {"static", 0, -1, 0, 0, 0},
    {"static-tier", 0, -1, 1, 0, 0},
    {"static-window", 0, -1, 0, 0, 1},
    {"static-tier-window", 0, -1, 1, 0, 1},
    {"paged", 1, -1, 0, 0, 0},
    {"paged-tier", 1, -1, 1, 0, 0},
    {"paged-prefix", 1, -1, 0, 1, 0},
    {"paged-tier-prefix", 1, -1, 1, 1, 0},
    {"paged-window", 1, -1, 0, 0, 1},
    {"paged-tier-window", 1, -1, 1, 0, 1},
    {"vmm-layer", 2, 0, 0, 0, 0},
    {"vmm-layer-tier", 2, 0, 1, 0, 0},
    {"vmm-layer-window", 2, 0, 0, 0, 1},
    {"vmm-layer-tier-window", 2, 0, 1, 0, 1},
    {"vmm-all", 2, 1, 0, 0, 0},
    {"vmm-all-tier", 2, 1, 1, 0, 0},
    {"vmm-all-window", 2, 1, 0, 0, 1},
    {"vmm-all-tier-window", 2, 1, 1, 0, 1},
    {"indirect", 3, -1, 0, 0, 0},
    {"indirect-tier", 3, -1, 1, 0, 0},
    {"indirect-prefix", 3, -1, 0, 1, 0},
    {"indirect-tier-prefix", 3, -1, 1, 1, 0},
    {"indirect-window", 3, -1, 0, 0, 1},
    {"indirect-tier-window", 3, -1, 1, 0, 1},
};
enum { NFAMILIES = sizeof families / sizeof families[0] };

/* What a family's child reports, in memory shared with the parent. */
typedef struct fam_result {
  uint64_t inputs, ops;
  int violation;   /* the child died on a check (or a signal) */
  int ran;         /* the family was selected and run */
  char file[1024]; /* the saved input, on a violation */
  double secs;     /* wall seconds, measured by the parent */
} fam_result;

/* The input being run, for the signal handler (the one place that cannot
 * be handed a context). */
static struct {
  const uint8_t *buf;
  size_t len;
  fam_result *res;
  char path[1024];
  char note[4096];
} g_cur;

static void on_fatal(int sig) {
  int fd = open(g_cur.path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0) {
    size_t off = 0;
    while (off < g_cur.len) {
      ssize_t w = write(fd, g_cur.buf + off, g_cur.len - off);
      if (w <= 0) break;
      off += (size_t)w;
    }
    close(fd);
  }
  if (g_cur.res) {
    g_cur.res->violation = 1;
    memcpy(g_cur.res->file, g_cur.path, sizeof g_cur.res->file);
  }
  ssize_t w = write(STDERR_FILENO, g_cur.note, strlen(g_cur.note));
  (void)w;
  signal(sig, SIG_DFL);
  raise(sig);
}

static uint64_t splitmix64(uint64_t *x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static uint64_t fnv1a(const char *s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (; *s; s++)
    h = (h ^ (uint8_t)*s) * 0x100000001b3ull;
  return h;
}

enum { MAX_INPUT = 32 + 16384 };

/* Input `index` of a family: its own RNG stream (seed, family name, index),
 * so that one family or one input can be regenerated alone. One input in
 * four is short (a few dozen operations), the rest run up to the harness's
 * 4096 operations. */
static size_t gen_input(uint8_t *buf, uint64_t fseed, uint64_t index) {
  uint64_t x = fseed ^ (index * 0xd1342543de82ef95ull);
  uint64_t r = splitmix64(&x);
  size_t len = r % 4 == 0 ? 32 + (r >> 8) % 256 : 32 + (r >> 8) % 16384;
  for (size_t i = 0; i < len; i += 8) {
    uint64_t v = splitmix64(&x);
    for (size_t k = 0; k < 8 && i + k < len; k++)
      buf[i + k] = (uint8_t)(v >> (8 * k));
  }
  return len;
}

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + t.tv_nsec * 1e-9;
}

/* The child: run family f until it has done `ops` operations. */
static void run_family(const fz_family *f, uint64_t ops, uint64_t seed,
                       const char *outdir, fam_result *res) {
  static const int sigs[] = {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL};
  for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
    signal(sigs[i], on_fatal);
  uint8_t *buf = malloc(MAX_INPUT);
  if (!buf) DIE("out of memory");
  uint64_t fseed = seed ^ fnv1a(f->name);
  double t0 = now_s(), last = t0;
  for (uint64_t idx = 0; res->ops < ops; idx++) {
    size_t len = gen_input(buf, fseed, idx);
    g_cur.buf = buf;
    g_cur.len = len;
    g_cur.res = res;
    snprintf(g_cur.path, sizeof g_cur.path,
             "%s/soak-%s-seed%" PRIu64 "-input%" PRIu64 ".bin", outdir, f->name,
             seed, idx);
    snprintf(g_cur.note, sizeof g_cur.note,
             "soak_strategy: VIOLATION in family %s (seed %" PRIu64
             ", input %" PRIu64 "): input saved to %s\n"
             "  replay: soak_strategy --replay %s   (or: fuzz_strategy %s; "
             "KVSIM_FUZZ_VERBOSE=1 prints every operation)\n",
             f->name, seed, idx, g_cur.path, g_cur.path, g_cur.path);
    res->ops += fz_strategy_input(buf, len, f, buf);
    res->inputs++;
    if (res->ops == 0 && res->inputs == 10000) {
      fprintf(stderr,
              "soak_strategy: family %s: 10000 inputs, every configuration "
              "refused\n",
              f->name);
      _exit(3);
    }
    double t = now_s();
    if (t - last >= 5.0) {
      last = t;
      fprintf(stderr,
              "soak: %-22s %12" PRIu64 " / %" PRIu64 " ops  %8" PRIu64
              " inputs  %6.0f s  %8.0f ops/s\n",
              f->name, res->ops, ops, res->inputs, t - t0,
              (double)res->ops / (t - t0));
    }
  }
  free(buf);
}

static int replay(const char *path) {
  FILE *fp = fopen(path, "rb");
  if (!fp) DIE("cannot open '%s': %s", path, strerror(errno));
  uint8_t *buf = NULL;
  size_t len = 0, cap = 0;
  for (;;) {
    if (len == cap) {
      cap = cap ? 2 * cap : 65536;
      buf = realloc(buf, cap);
      if (!buf) DIE("out of memory");
    }
    size_t got = fread(buf + len, 1, cap - len, fp);
    if (got == 0) break;
    len += got;
  }
  if (ferror(fp)) DIE("cannot read '%s'", path);
  fclose(fp);
  uint64_t n = fz_strategy_input(buf, len, NULL, NULL);
  printf("replay %s: %zu bytes, %" PRIu64 " operations, no violation\n", path,
         len, n);
  free(buf);
  return 0;
}

static void usage(FILE *out) {
  fprintf(out,
          "usage: soak_strategy [--ops N] [--seed S] [--family NAME[,NAME...]]"
          " [--jobs J] [--out DIR]\n"
          "       soak_strategy --replay FILE\n"
          "       soak_strategy --list\n"
          "  --ops N     operations per family (default 1e7; 1e5 style "
          "accepted)\n"
          "  --seed S    RNG seed (default 1)\n"
          "  --family F  run only these families (--list shows them)\n"
          "  --jobs J    families run at once, one process each (default 1)\n"
          "  --out DIR   where a violating input is saved (default .)\n");
}

static uint64_t parse_count(const char *opt, const char *s) {
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (errno || *end || v < 0 || v > 1e18 || v != (double)(uint64_t)v)
    DIE("bad argument to '%s' ('%s': a non-negative integer, e.g. 1e7)", opt,
        s);
  return (uint64_t)v;
}

static int find_family(const char *name) {
  for (int i = 0; i < NFAMILIES; i++)
    if (strcmp(families[i].name, name) == 0) return i;
  fprintf(stderr, "soak_strategy: invalid family '%s'; valid:", name);
  for (int i = 0; i < NFAMILIES; i++)
    fprintf(stderr, " %s", families[i].name);
  fputc('\n', stderr);
  exit(2);
}

int main(int argc, char **argv) {
  uint64_t ops = 10000000, seed = 1, jobs = 1;
  const char *outdir = ".";
  int selected[NFAMILIES], any_selected = 0;
  memset(selected, 0, sizeof selected);
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--list")) {
      for (int k = 0; k < NFAMILIES; k++)
        puts(families[k].name);
      return 0;
    }
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      usage(stdout);
      return 0;
    }
    if (i + 1 >= argc) {
      usage(stderr);
      DIE("option '%s' needs an argument (or is unknown)", a);
    }
    const char *v = argv[++i];
    if (!strcmp(a, "--replay"))
      return replay(v);
    else if (!strcmp(a, "--ops"))
      ops = parse_count(a, v);
    else if (!strcmp(a, "--seed"))
      seed = parse_count(a, v);
    else if (!strcmp(a, "--jobs"))
      jobs = parse_count(a, v);
    else if (!strcmp(a, "--out"))
      outdir = v;
    else if (!strcmp(a, "--family")) {
      char *list = strdup(v);
      for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ","))
        selected[find_family(tok)] = 1, any_selected = 1;
      free(list);
    } else {
      usage(stderr);
      DIE("unknown option '%s'", a);
    }
  }
  if (jobs < 1) jobs = 1;
  struct stat sb;
  if (stat(outdir, &sb) != 0 || !S_ISDIR(sb.st_mode))
    DIE("--out '%s' is not a directory", outdir);

  fam_result *res =
      mmap(NULL, sizeof(fam_result) * NFAMILIES, PROT_READ | PROT_WRITE,
           MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (res == MAP_FAILED) DIE("mmap: %s", strerror(errno));
  memset(res, 0, sizeof(fam_result) * NFAMILIES);
  printf("soak_strategy: seed %" PRIu64 ", %" PRIu64
         " operations per family, %" PRIu64 " at once\n",
         seed, ops, jobs);
  fflush(stdout);

  pid_t pids[NFAMILIES];
  double started[NFAMILIES];
  int running = 0, next = 0;
  double t0 = now_s();
  for (;;) {
    while (running < (int)jobs && next < NFAMILIES) {
      int k = next++;
      if (any_selected && !selected[k]) continue;
      res[k].ran = 1;
      started[k] = now_s();
      pid_t pid = fork();
      if (pid < 0) DIE("fork: %s", strerror(errno));
      if (pid == 0) {
        run_family(&families[k], ops, seed, outdir, &res[k]);
        _exit(0);
      }
      pids[k] = pid;
      running++;
    }
    if (running == 0) break;
    int status;
    pid_t pid = wait(&status);
    if (pid < 0) DIE("wait: %s", strerror(errno));
    for (int k = 0; k < NFAMILIES; k++) {
      if (!res[k].ran || pids[k] != pid) continue;
      running--;
      res[k].secs = now_s() - started[k];
      if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        res[k].violation = 1;
        if (WIFSIGNALED(status))
          fprintf(stderr, "soak_strategy: family %s died of signal %d\n",
                  families[k].name, WTERMSIG(status));
      }
      pids[k] = 0;
    }
  }

  printf("\n%-22s %10s %14s %10s %9s %10s\n", "family", "inputs", "operations",
         "violations", "seconds", "ops/s");
  uint64_t tin = 0, tops = 0;
  int bad = 0;
  for (int k = 0; k < NFAMILIES; k++) {
    if (!res[k].ran) continue;
    printf("%-22s %10" PRIu64 " %14" PRIu64 " %10d %9.1f %10.0f\n",
           families[k].name, res[k].inputs, res[k].ops, res[k].violation,
           res[k].secs, res[k].secs > 0 ? (double)res[k].ops / res[k].secs : 0);
    tin += res[k].inputs;
    tops += res[k].ops;
    bad += res[k].violation;
  }
  printf("%-22s %10" PRIu64 " %14" PRIu64 " %10d %9.1f\n", "total", tin, tops,
         bad, now_s() - t0);
  for (int k = 0; k < NFAMILIES; k++)
    if (res[k].violation)
      printf("violation: %s: %s\n", families[k].name,
             res[k].file[0] ? res[k].file : "(no input saved)");
  printf("seed %" PRIu64 "\n", seed);
  return bad ? 1 : 0;
}
