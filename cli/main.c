/* main.c - the kvsim command: runs a Lua script with `require "kvsim"`.
 *
 *   kvsim [options] SCRIPT [args]
 *   kvsim calibrate [--lua FILE] [args]   (runs kvsim-calibrate, see below)
 *
 * Like the stand-alone lua interpreter: the script gets an `arg` table
 * (arg[0] the script, arg[1..] its arguments, negative indices the command
 * and its options) and its arguments as `...`; an error prints
 * "kvsim: file:line: message" and a traceback and exits 1; Ctrl-C stops
 * at a safe point (between engine steps, or at the next Lua instruction
 * count hook) with the error "interrupted" and exit status 130. A run of
 * kv.sweep that fails is reported on stderr when the sweep returns; the
 * script goes on with the others' results, and kvsim exits 1 at its end.
 * The CLI owns what core may not do: printing, exiting, signals, the wall
 * clock (progress on a terminal, summary.wall_time), and which backends
 * exist (cli/backends.c, handed to the binding at start-up).
 * Main entry point: main().
 */
#include "backends.h"
#include "lua_kvsim.h"
#include "lua_plan.h"

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifdef KVSIM_HAVE_MPI
#include <mpi.h>
#endif

static const char *progname = "kvsim";

/* The state the SIGINT handler hooks (the handler may only touch this and
 * the flag; lua_sethook is async-signal-safe by design). */
static lua_State *global_L;
static volatile int interrupted;

static void print_usage(FILE *f) {
  fprintf(
      f,
      "usage: %s [options] SCRIPT [args]\n"
      "       %s calibrate [--lua FILE] [--name NAME] [--quick]\n"
      "\n"
      "Run a Lua 5.4 script with the kvsim module (local kv = require "
      "\"kvsim\").\n"
      "calibrate measures this machine's GPU (kvsim-calibrate, built with "
      "CUDA) and\nwrites the constants as a Lua platform for "
      "kv.platform{ file = FILE }.\n"
      "\n"
      "options:\n"
      "  -h, --help     print this help and exit\n"
      "  -v, --version  print the version and exit\n"
      "  -q, --quiet    no progress line on stderr (also KVSIM_QUIET=1)\n"
      "  --             stop handling options\n"
      "\n"
      "runs one by one (docs/sweeps.md; also accepted after SCRIPT):\n"
      "  --list         print index, hash, status and label of every run "
      "of the\n"
      "                 current round (tab-separated), run nothing\n"
      "  --run I        run only run I (from 0) and write its run file\n"
      "  --shard K/N    run only the runs I with I %% N == K (0 <= K < N)\n"
      "  --merge        build the experiment's outputs from the run files\n"
      "  --force        run selected runs even when their file exists\n"
      "  --run-dir DIR  where run files go (default kvsim-runs/SCRIPT-NAME)\n"
      "  --mpi          under mpirun: spread the runs over the ranks, merge "
      "on\n"
      "                 rank 0 (built with Open MPI only)\n"
      "\n"
      "environment:\n"
      "  KVSIM_SCRIPTS   directory holding kvsim/init.lua (default: the "
      "source tree's scripts/)\n"
      "  KVSIM_DATA_DIR  directory whose traces/ holds real trace files\n"
      "  KVSIM_QUIET     set to silence the progress line\n"
      "\n"
      "example: %s experiments/fragmentation.lua --requests 2000\n",
      progname, progname, progname);
}

static void print_version(void) {
  char more[256];
  kv_cli_backends_list(more, sizeof more);
  printf("%s (%s; backends: %s%s)\n", KV_LUA_VERSION, LUA_RELEASE,
         kv_cli_backends[0].name, more);
}

/* ---- Ctrl-C ---- */

static void lstop(lua_State *L, lua_Debug *ar) {
  (void)ar;
  lua_sethook(L, NULL, 0, 0);
  luaL_error(L, "interrupted");
}

static void on_sigint(int sig) {
  signal(sig, SIG_DFL); /* a second Ctrl-C terminates at once */
  interrupted = 1;
  if (global_L)
    lua_sethook(global_L, lstop, LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
}

/* ---- wall clock, failed runs ---- */

static double wall_now(void *ud) {
  (void)ud;
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* A run of kv.sweep failed; the others go on. */
static void run_failed(void *ud, const char *label, const char *msg) {
  (void)ud;
  fprintf(stderr, "%s: run '%s' failed: %s\n", progname, label, msg);
  fflush(stderr);
}

/* ---- progress on a terminal ---- */

/* At most ten updates a second (wall clock: the CLI may read it, core
 * may not). */
static void progress_line(void *ud, const char *label, double sim_t,
                          size_t done, size_t total) {
  static double last;
  (void)ud;
  if (!label) {
    fputs("\r\033[K", stderr);
    fflush(stderr);
    last = 0;
    return;
  }
  double now = wall_now(NULL);
  if (now - last < 0.1) return;
  last = now;
  fprintf(stderr, "\r\033[K[%s] %.1f s simulated, %zu/%zu requests", label,
          sim_t, done, total);
  fflush(stderr);
}

/* ---- kvsim calibrate ---- */

/* Exec kvsim-calibrate from the directory of this executable (installed
 * side by side) or its kernels/ subdirectory (the build tree), with the
 * arguments after "calibrate". Returns only on failure. */
static int run_calibrate(int argc, char **argv) {
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) {
    fprintf(stderr, "%s: calibrate: cannot read /proc/self/exe: %s\n", progname,
            strerror(errno));
    return 1;
  }
  self[n] = '\0';
  char *slash = strrchr(self, '/');
  if (slash) *slash = '\0';
  char paths[2][PATH_MAX + 32];
  snprintf(paths[0], sizeof paths[0], "%s/kvsim-calibrate", self);
  snprintf(paths[1], sizeof paths[1], "%s/kernels/kvsim-calibrate", self);
  const char *exe = NULL;
  for (int i = 0; i < 2 && !exe; i++)
    if (access(paths[i], X_OK) == 0) exe = paths[i];
  if (!exe) {
    fprintf(stderr,
            "%s: calibrate: kvsim-calibrate not found (looked for %s and "
            "%s): it is built only when CMake finds nvcc (this kvsim was "
            "built %s CUDA)\n",
            progname, paths[0], paths[1],
#ifdef KVSIM_HAVE_GPU
            "with"
#else
            "without"
#endif
    );
    return 1;
  }
#ifdef KVSIM_HAVE_GPU
  if (!kv_cli_gpu_usable()) {
    fprintf(stderr,
            "%s: calibrate: no usable CUDA device on this machine "
            "(calibration measures a real GPU)\n",
            progname);
    return 1;
  }
#endif
  char **args = calloc((size_t)argc + 1, sizeof *args);
  if (!args) {
    fprintf(stderr, "%s: calibrate: out of memory\n", progname);
    return 1;
  }
  args[0] = (char *)exe;
  for (int i = 1; i < argc; i++)
    args[i] = argv[i];
  execv(exe, args);
  fprintf(stderr, "%s: calibrate: cannot run %s: %s\n", progname, exe,
          strerror(errno));
  free(args);
  return 1;
}

/* ---- running the script ---- */

/* Does msg start with a code position, "chunk:line:"? An error raised
 * with level 0 has none: kvsim's scripts raise those for mistakes in
 * their input (an unknown option, a bad file), not in code. */
static int has_position(const char *msg) {
  const char *c = strchr(msg, ':');
  const char *nl = strchr(msg, '\n');
  if (c == NULL || (nl && nl < c) || c == msg) return 0;
  const char *d = c + 1;
  while (*d >= '0' && *d <= '9')
    d++;
  return d > c + 1 && *d == ':';
}

/* Error message handler: add a traceback (as lua.c does) to an error
 * raised at a code position or by Ctrl-C (where it stopped); an input
 * error's message stands alone. */
static int msghandler(lua_State *L) {
  const char *msg = lua_tostring(L, 1);
  if (msg == NULL) {
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
      return 1;
    msg =
        lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  if (!has_position(msg) && !interrupted) return 1;
  kv_lua_traceback(L, msg, 1);
  return 1;
}

static int report(lua_State *L, int status) {
  if (status != LUA_OK) {
    const char *msg = lua_tostring(L, -1);
    fprintf(stderr, "%s: %s\n", progname, msg ? msg : "(no message)");
    fflush(stderr);
    lua_pop(L, 1);
  }
  return status;
}

static int docall(lua_State *L, int narg, int nres) {
  int base = lua_gettop(L) - narg;
  lua_pushcfunction(L, msghandler);
  lua_insert(L, base);
  global_L = L;
  signal(SIGINT, on_sigint);
  int status = lua_pcall(L, narg, nres, base);
  signal(SIGINT, SIG_DFL);
  lua_remove(L, base);
  return status;
}

/* arg[0] = script, arg[1..] = its arguments, arg[-k] = what came before */
static void create_arg_table(lua_State *L, char **argv, int argc, int script) {
  lua_createtable(L, argc - script - 1, script + 1);
  for (int i = 0; i < argc; i++) {
    lua_pushstring(L, argv[i]);
    lua_rawseti(L, -2, i - script);
  }
  lua_setglobal(L, "arg");
}

static int is_dir(const char *p) {
  struct stat st;
  return p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* $KVSIM_SCRIPTS, else the source tree's scripts/, else <exe>/../scripts */
static const char *find_scripts(const char *argv0, char *buf, size_t n) {
  const char *env = getenv("KVSIM_SCRIPTS");
  if (env && *env) return env;
  char probe[4200];
  snprintf(probe, sizeof probe, "%s/kvsim", kv_lua_default_scripts_dir());
  if (is_dir(probe)) return kv_lua_default_scripts_dir();
  const char *slash = strrchr(argv0, '/');
  if (slash) {
    snprintf(buf, n, "%.*s/../scripts", (int)(slash - argv0), argv0);
    snprintf(probe, sizeof probe, "%s/kvsim", buf);
    if (is_dir(probe)) return buf;
  }
  return kv_lua_default_scripts_dir();
}

/* ---- plans: --list, --run, --shard, --merge, --mpi (docs/sweeps.md) ---- */

typedef struct cli_plan {
  kv_plan_mode mode;
  long run, shard_k, shard_n;
  int force, mpi, merge, rank;
  const char *dir;
  char dirbuf[4096];
  FILE *out; /* where --list and --run report (the real stdout) */
} cli_plan;

static void plan_note(void *ud, const kv_lua_plan_run *r) {
  cli_plan *cp = ud;
  FILE *o = cp->out ? cp->out : stdout;
  if (cp->mode == KV_PLAN_LIST) {
    fprintf(o, "%zu\t%s\t%s\t%s\n", r->index, r->hash, r->status, r->label);
  } else if (strcmp(r->status, "failed") == 0) {
    fprintf(stderr, "%s: run %zu (%s) failed: %s\n", progname, r->index,
            r->label, r->error ? r->error : "");
  } else if (strcmp(r->status, "skipped") == 0) {
    if (cp->mpi) return; /* earlier rounds, every round */
    fprintf(o, "run %zu (%s): %s exists, skipped (--force runs it again)\n",
            r->index, r->label, r->file);
  } else {
    if (cp->mpi) fprintf(o, "rank %d: ", cp->rank);
    fprintf(o, "run %zu (%s): wrote %s", r->index, r->label, r->file);
    if (r->wall >= 0) fprintf(o, " (%.2f s)", r->wall);
    fputc('\n', o);
  }
  fflush(o);
}

/* A non-negative integer, all of s. */
static int parse_index(const char *s, long *v) {
  char *end;
  errno = 0;
  if (!s || !*s || *s == '-' || *s == '+') return -1;
  long x = strtol(s, &end, 10);
  if (errno || *end) return -1;
  *v = x;
  return 0;
}

/* The option at argv[*i] if it is a plan option (consumes its value):
 * 1 taken, 0 not one, -1 error (printed). */
static int plan_option(cli_plan *cp, int argc, char **argv, int *i) {
  const char *a = argv[*i];
  const char *names[] = {"--run", "--shard", "--run-dir"};
  const char *val = NULL;
  int which = -1;
  if (strcmp(a, "--list") == 0) {
    cp->mode = cp->mode ? cp->mode : KV_PLAN_LIST;
    return cp->mode == KV_PLAN_LIST ? 1 : -2;
  }
  if (strcmp(a, "--merge") == 0) {
    cp->merge = 1;
    cp->mode = cp->mode ? cp->mode : KV_PLAN_MERGE;
    return cp->mode == KV_PLAN_MERGE ? 1 : -2;
  }
  if (strcmp(a, "--force") == 0) return cp->force = 1, 1;
  if (strcmp(a, "--mpi") == 0) return cp->mpi = 1, 1;
  for (int k = 0; k < 3; k++) {
    size_t n = strlen(names[k]);
    if (strcmp(a, names[k]) == 0) {
      if (*i + 1 >= argc) {
        fprintf(stderr, "%s: %s needs a value\n", progname, a);
        return -1;
      }
      val = argv[++*i];
      which = k;
    } else if (strncmp(a, names[k], n) == 0 && a[n] == '=') {
      val = a + n + 1;
      which = k;
    }
    if (which >= 0) break;
  }
  if (which < 0) return 0;
  if (which == 2) {
    cp->dir = val;
    return 1;
  }
  if (cp->mode && cp->mode != KV_PLAN_RUN) return -2;
  if ((which == 0 && cp->shard_n) || (which == 1 && cp->run >= 0)) return -2;
  cp->mode = KV_PLAN_RUN;
  if (which == 0) {
    if (parse_index(val, &cp->run) != 0) {
      fprintf(stderr,
              "%s: --run %s: expected a run index (0, 1, ...; --list "
              "shows them)\n",
              progname, val);
      return -1;
    }
    return 1;
  }
  const char *slash = strchr(val, '/');
  char kbuf[32];
  long k = -1, n = -1;
  if (slash && (size_t)(slash - val) < sizeof kbuf) {
    memcpy(kbuf, val, (size_t)(slash - val));
    kbuf[slash - val] = 0;
    if (parse_index(kbuf, &k) != 0 || parse_index(slash + 1, &n) != 0) k = -1;
  }
  if (k < 0 || n < 1) {
    fprintf(stderr, "%s: --shard %s: expected K/N with 0 <= K < N\n", progname,
            val);
    return -1;
  }
  if (k >= n) {
    fprintf(stderr,
            "%s: --shard %s: K must be below N: the %ld shards are 0/%ld .. "
            "%ld/%ld\n",
            progname, val, n, n, n - 1, n);
    return -1;
  }
  cp->shard_k = k;
  cp->shard_n = n;
  return 1;
}

/* One execution of the script in a fresh Lua state. *stopped: the plan
 * stopped it (no error); *failed: runs that failed. Returns the Lua
 * status (errors already printed). */
static int run_script(int argc, char **argv, int script, int quiet,
                      const kv_lua_plan_opts *po, size_t *failed,
                      kv_lua_plan_outcome *outcome) {
  *failed = 0;
  memset(outcome, 0, sizeof *outcome);
  lua_State *L = luaL_newstate();
  if (!L) {
    fprintf(stderr, "%s: cannot create a Lua state: not enough memory\n",
            progname);
    return LUA_ERRMEM;
  }
  luaL_openlibs(L);
  char buf[4096];
  kv_lua_openlibs(L, find_scripts(argv[0], buf, sizeof buf));
  kv_lua_set_interrupt(L, &interrupted);
  kv_lua_set_clock(L, wall_now, NULL);
  kv_lua_set_failure(L, run_failed, NULL);
  if (po) kv_lua_set_plan(L, po);
  if (!quiet && isatty(fileno(stderr)))
    kv_lua_set_progress(L, progress_line, NULL, 10.0);
  kv_lua_set_backends(L, kv_cli_backends, kv_cli_backends_n,
                      kv_cli_default_backend);
  create_arg_table(L, argv, argc, script);

  int status = luaL_loadfile(L, argv[script]);
  if (status == LUA_OK) {
    int n = argc - script - 1;
    luaL_checkstack(L, n + 3, "too many arguments to the script");
    for (int i = script + 1; i < argc; i++)
      lua_pushstring(L, argv[i]);
    status = docall(L, n, 0);
  }
  if (po && kv_lua_plan_stopped(L) && !interrupted) {
    if (status != LUA_OK) lua_pop(L, 1);
    status = LUA_OK;
  }
  if (po) kv_lua_get_plan_outcome(L, outcome);
  report(L, status);
  *failed = kv_lua_failed_runs(L);
  lua_close(L);
  return status;
}

/* stdout to /dev/null (the script's own printing) while a plan lists or
 * runs; returns the real stdout's descriptor, or -1. */
static int silence_stdout(void) {
  fflush(stdout);
  int saved = dup(STDOUT_FILENO);
  int null = open("/dev/null", O_WRONLY);
  if (saved < 0 || null < 0) {
    if (saved >= 0) close(saved);
    if (null >= 0) close(null);
    return -1;
  }
  dup2(null, STDOUT_FILENO);
  close(null);
  return saved;
}

static void restore_stdout(int saved) {
  if (saved < 0) return;
  fflush(stdout);
  dup2(saved, STDOUT_FILENO);
  close(saved);
}

static void fill_plan_opts(kv_lua_plan_opts *po, cli_plan *cp,
                           const char *script) {
  memset(po, 0, sizeof *po);
  po->mode = cp->mode;
  po->dir = cp->dir;
  po->script = script;
  po->run = cp->run;
  po->shard_k = cp->shard_k;
  po->shard_n = cp->shard_n;
  po->force = cp->force != 0;
  po->note = plan_note;
  po->note_ud = cp;
}

/* --list, --run, --shard, --merge: run the script once under the plan. */
static int run_plan(int argc, char **argv, int script, int quiet,
                    cli_plan *cp) {
  kv_lua_plan_opts po;
  fill_plan_opts(&po, cp, argv[script]);
  int saved = -1;
  if (cp->mode != KV_PLAN_MERGE) {
    saved = silence_stdout();
    if (saved >= 0) cp->out = fdopen(dup(saved), "w");
  }
  size_t failed;
  kv_lua_plan_outcome oc;
  int status = run_script(argc, argv, script, quiet, &po, &failed, &oc);
  if (cp->out) {
    fclose(cp->out);
    cp->out = NULL;
  }
  restore_stdout(saved);
  if (status != LUA_OK) return interrupted ? 130 : 1;
  int rc = 0;
  if (cp->mode == KV_PLAN_LIST) {
    if (oc.stopped)
      fprintf(stderr,
              "%s: %zu runs reached; the round at %s (runs %zu-%zu) has %zu "
              "of %zu done; later calls, if any, show once it is done\n",
              progname, oc.runs, oc.where, oc.round_first,
              oc.round_first + oc.round_n - 1, oc.round_done, oc.round_n);
    else
      fprintf(stderr,
              "%s: all %zu runs done (%zu call%s); --merge builds the "
              "outputs\n",
              progname, oc.runs, oc.calls, oc.calls == 1 ? "" : "s");
  } else if (cp->mode == KV_PLAN_RUN) {
    if (cp->run >= 0 && oc.selected == 0) {
      if (oc.stopped)
        fprintf(stderr,
                "%s: --run %ld is out of range: the runs reached are 0-%zu "
                "(the call at %s, runs %zu-%zu, must be done before an "
                "adaptive experiment has more)\n",
                progname, cp->run, oc.runs ? oc.runs - 1 : 0, oc.where,
                oc.round_first, oc.round_first + oc.round_n - 1);
      else
        fprintf(stderr,
                "%s: --run %ld is out of range: the experiment has %zu runs "
                "(0-%zu)\n",
                progname, cp->run, oc.runs, oc.runs ? oc.runs - 1 : 0);
      rc = 1;
    } else if (cp->shard_n && oc.selected == 0) {
      fprintf(stderr, "%s: shard %ld/%ld: no runs in this round\n", progname,
              cp->shard_k, cp->shard_n);
    }
  }
  if (failed) {
    fprintf(stderr, "%s: %zu run%s failed (named above)\n", progname, failed,
            failed == 1 ? "" : "s");
    rc = 1;
  }
  return rc;
}

#ifdef KVSIM_HAVE_MPI
/* --mpi: round by round, rank 0 tries the merge (stopping at the first
 * incomplete call); if it stopped, every rank runs its shard (rank/size)
 * of that round; until the merge runs to the end. */
static int run_mpi(int argc, char **argv, int script, int quiet, cli_plan *cp) {
  int rank = 0, size = 1;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  cp->rank = rank;
  int rc = 0;
  for (int round = 0;; round++) {
    int state = 0; /* 0 more to run, 1 merged, 2 error */
    if (rank == 0) {
      /* the merge's stdout goes to a file shown only when it completes */
      kv_lua_plan_opts po;
      cp->mode = KV_PLAN_MERGE;
      fill_plan_opts(&po, cp, argv[script]);
      po.stop_incomplete = true;
      FILE *tmp = tmpfile();
      fflush(stdout);
      int saved = tmp ? dup(STDOUT_FILENO) : -1;
      if (saved >= 0) dup2(fileno(tmp), STDOUT_FILENO);
      size_t failed;
      kv_lua_plan_outcome oc;
      int st = run_script(argc, argv, script, quiet, &po, &failed, &oc);
      restore_stdout(saved);
      if (st != LUA_OK) {
        state = 2;
      } else if (!oc.stopped) {
        state = 1;
        if (tmp) {
          char b[65536];
          size_t k;
          rewind(tmp);
          while ((k = fread(b, 1, sizeof b, tmp)) > 0)
            fwrite(b, 1, k, stdout);
          fflush(stdout);
        }
        if (failed) rc = 1;
      }
      if (tmp) fclose(tmp);
    }
    MPI_Bcast(&state, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (state) {
      if (state == 2) rc = 1;
      break;
    }
    kv_lua_plan_opts po;
    cp->mode = KV_PLAN_RUN;
    cp->run = -1;
    cp->shard_k = rank;
    cp->shard_n = size;
    fill_plan_opts(&po, cp, argv[script]);
    int saved = silence_stdout();
    cp->out = stderr;
    size_t failed;
    kv_lua_plan_outcome oc;
    int st = run_script(argc, argv, script, quiet, &po, &failed, &oc);
    restore_stdout(saved);
    cp->out = NULL;
    long mine[2] = {st != LUA_OK || failed ? 1 : 0, (long)oc.wrote}, all[2];
    MPI_Allreduce(mine, all, 2, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
    if (all[0]) {
      if (rank == 0)
        fprintf(stderr, "%s: --mpi: runs failed in round %d (named above)\n",
                progname, round + 1);
      rc = 1;
      break;
    }
    if (all[1] == 0 && !cp->force) {
      if (rank == 0)
        fprintf(stderr,
                "%s: --mpi: round %d wrote no run file but the merge needs "
                "more: giving up\n",
                progname, round + 1);
      rc = 1;
      break;
    }
    cp->force = 0; /* --force: the first round only */
  }
  MPI_Finalize();
  return interrupted ? 130 : rc;
}
#endif

/* The command line into av (the script and its arguments, plan options
 * taken out into cp, argv[0] first), *script the index of the script in
 * av, *quiet set by -q. Returns -1 to go on, else the exit status (after
 * --help, --version or an error, said on stderr). */
static int parse_command_line(int argc, char **argv, cli_plan *cp, char **av,
                              int *acp, int *script, int *quiet) {
  int ac = 0, dashdash = 0;
  for (int i = 0; i < argc; i++) {
    if (i == 0 || dashdash) {
      av[ac++] = argv[i];
      continue;
    }
    int i0 = i;
    int r = plan_option(cp, argc, argv, &i);
    if (r == -2) {
      fprintf(stderr,
              "%s: give one of --list, --run I, --shard K/N, --merge "
              "(got '%s' as well)\n",
              progname, argv[i0]);
      return 1;
    }
    if (r < 0) return 1;
    if (r == 1) continue;
    const char *a = argv[i];
    if (!*script && strcmp(a, "--") == 0) {
      dashdash = 1;
      av[ac++] = argv[i];
      continue;
    }
    if (!*script) {
      if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
        print_usage(stdout);
        return 0;
      } else if (strcmp(a, "-v") == 0 || strcmp(a, "--version") == 0) {
        print_version();
        return 0;
      } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
        *quiet = 1;
        av[ac++] = argv[i];
        continue;
      } else if (a[0] == '-' && a[1] != '\0') {
        fprintf(stderr, "%s: unknown option '%s'\n", progname, a);
        print_usage(stderr);
        return 1;
      }
      *script = ac;
    }
    av[ac++] = argv[i];
  }
  av[ac] = NULL;
  *acp = ac;
  if (!*script && dashdash) {
    for (int k = 1; k < ac; k++)
      if (strcmp(av[k], "--") == 0 && k + 1 < ac) {
        *script = k + 1;
        break;
      }
  }
  if (!*script) {
    print_usage(stderr);
    return 1;
  }
  if (cp->force && cp->mode != KV_PLAN_RUN && !cp->mpi) {
    fprintf(stderr, "%s: --force goes with --run, --shard or --mpi\n",
            progname);
    return 1;
  }
  if (!cp->dir) {
    const char *base = strrchr(av[*script], '/');
    base = base ? base + 1 : av[*script];
    size_t n = strlen(base);
    if (n > 4 && strcmp(base + n - 4, ".lua") == 0) n -= 4;
    snprintf(cp->dirbuf, sizeof cp->dirbuf, "kvsim-runs/%.*s", (int)n, base);
    cp->dir = cp->dirbuf;
  }
  return -1;
}

/* Run the script av[script] as cp says: over MPI ranks, one plan mode, or
 * plainly; the exit status. */
static int run_command(int ac, char **av, int script, int quiet, cli_plan *cp) {
  if (cp->mpi) {
    if (cp->mode != KV_PLAN_OFF) {
      fprintf(stderr,
              "%s: --mpi runs and merges everything: no --list, --run, "
              "--shard or --merge with it\n",
              progname);
      return 1;
    }
#ifdef KVSIM_HAVE_MPI
    return run_mpi(ac, av, script, quiet, cp);
#else
    fprintf(stderr,
            "%s: --mpi: this kvsim was built without MPI (CMake finds "
            "Open MPI: apt-get install libopenmpi-dev openmpi-bin)\n",
            progname);
    return 1;
#endif
  }
  if (cp->mode != KV_PLAN_OFF) return run_plan(ac, av, script, quiet, cp);
  size_t failed;
  kv_lua_plan_outcome oc;
  int status = run_script(ac, av, script, quiet, NULL, &failed, &oc);
  if (status != LUA_OK) return interrupted ? 130 : 1;
  if (failed) {
    /* the script ran to its end with the others' results; say it again
     * after whatever it printed since */
    fprintf(stderr, "%s: %zu run%s failed (named above)\n", progname, failed,
            failed == 1 ? "" : "s");
    return 1;
  }
  return 0;
}

int main(int argc, char **argv) {
  int quiet = getenv("KVSIM_QUIET") && *getenv("KVSIM_QUIET");
  if (argc >= 2 && strcmp(argv[1], "calibrate") == 0)
    return run_calibrate(argc - 1, argv + 1);
  cli_plan cp = {.run = -1};
  /* plan options may follow the script too: take them out of its args */
  char **av = calloc((size_t)argc + 1, sizeof *av);
  if (!av) return 1;
  int ac = 0, script = 0;
  int rc = parse_command_line(argc, argv, &cp, av, &ac, &script, &quiet);
  if (rc < 0) rc = run_command(ac, av, script, quiet, &cp);
  free(av);
  return rc;
}
