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
 * clock (progress on a terminal, summary.wall_time), and building the
 * SimGrid backend (KVSIM_HAVE_SIM).
 * Main entry point: main().
 */
#include "lua_kvsim.h"

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifdef KVSIM_HAVE_GPU
#include "../gpu/gpu_backend.h"
#endif
#ifdef KVSIM_HAVE_SIM
#include "../sim/sim_backend.h"
#endif

static const char *progname = "kvsim";

/* The state the SIGINT handler hooks (the handler may only touch this and
 * the flag; lua_sethook is async-signal-safe by design). */
static lua_State *global_L;
static volatile int interrupted;

static void print_usage(FILE *f) {
  fprintf(f,
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
  printf("%s (%s; backends: ideal%s%s)\n", KV_LUA_VERSION, LUA_RELEASE,
#ifdef KVSIM_HAVE_SIM
         ", simgrid",
#else
         "",
#endif
#ifdef KVSIM_HAVE_GPU
         ", gpu"
#else
         ""
#endif
  );
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

/* ---- backends only the command links ---- */

#ifdef KVSIM_HAVE_SIM
static kv_backend *make_sim_backend(const kv_run_spec *spec, kv_error *err) {
  kv_sim_options o;
  kv_sim_options_defaults(&o);
  const kv_lua_backend_opts *bo = spec->backend_opts;
  if (bo && bo->platform_xml) o.platform_xml = bo->platform_xml;
  if (bo) o.copy_order = bo->copy_order;
  return kv_backend_sim_create(spec->engine.platform, spec->engine.model,
                               spec->engine.tp, &o, err);
}
#endif

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
  if (!kv_gpu_available()) {
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

/* Error message handler: add a traceback (as lua.c does). */
static int msghandler(lua_State *L) {
  const char *msg = lua_tostring(L, 1);
  if (msg == NULL) {
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
      return 1;
    msg =
        lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  luaL_traceback(L, L, msg, 1);
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

int main(int argc, char **argv) {
  int quiet = getenv("KVSIM_QUIET") && *getenv("KVSIM_QUIET");
  if (argc >= 2 && strcmp(argv[1], "calibrate") == 0)
    return run_calibrate(argc - 1, argv + 1);
  int script = 0;
  for (int i = 1; i < argc && !script; i++) {
    const char *a = argv[i];
    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      print_usage(stdout);
      return 0;
    } else if (strcmp(a, "-v") == 0 || strcmp(a, "--version") == 0) {
      print_version();
      return 0;
    } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
      quiet = 1;
    } else if (strcmp(a, "--") == 0) {
      if (i + 1 < argc) script = i + 1;
      break;
    } else if (a[0] == '-' && a[1] != '\0') {
      fprintf(stderr, "%s: unknown option '%s'\n", progname, a);
      print_usage(stderr);
      return 1;
    } else {
      script = i;
    }
  }
  if (!script) {
    print_usage(stderr);
    return 1;
  }

  lua_State *L = luaL_newstate();
  if (!L) {
    fprintf(stderr, "%s: cannot create a Lua state: not enough memory\n",
            progname);
    return 1;
  }
  luaL_openlibs(L);
  char buf[4096];
  kv_lua_openlibs(L, find_scripts(argv[0], buf, sizeof buf));
  kv_lua_set_interrupt(L, &interrupted);
  kv_lua_set_clock(L, wall_now, NULL);
  kv_lua_set_failure(L, run_failed, NULL);
  if (!quiet && isatty(fileno(stderr)))
    kv_lua_set_progress(L, progress_line, NULL, 10.0);
#ifdef KVSIM_HAVE_SIM
  kv_lua_set_backend_factory(L, KV_BACKEND_SIM, make_sim_backend);
#endif
#ifdef KVSIM_HAVE_GPU
  kv_lua_set_backend_factory(L, KV_BACKEND_GPU, kv_gpu_backend_factory);
#endif
  create_arg_table(L, argv, argc, script);

  int status = luaL_loadfile(L, argv[script]);
  if (status == LUA_OK) {
    int n = argc - script - 1;
    luaL_checkstack(L, n + 3, "too many arguments to the script");
    for (int i = script + 1; i < argc; i++)
      lua_pushstring(L, argv[i]);
    status = docall(L, n, 0);
  }
  report(L, status);
  size_t failed = kv_lua_failed_runs(L);
  lua_close(L);
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
