/* kvsim_testutil.h - running the built kvsim command from a test: the
 * binary ($KVSIM_BIN, set by ctest), one run with its output in a file,
 * and reading a file back whole. Shared by the tests that drive Lua
 * experiments and scripts through the command.
 * Main entry points: kvsim_bin(), kvsim_run(), slurp().
 */
#ifndef KVSIM_TESTUTIL_H
#define KVSIM_TESTUTIL_H

#include <criterion/criterion.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef KVSIM_SOURCE_DIR
#define KVSIM_SOURCE_DIR "."
#endif

static inline const char *kvsim_bin(void) {
  const char *b = getenv("KVSIM_BIN");
  cr_assert(b && *b, "KVSIM_BIN is not set (run through ctest)");
  return b;
}

/* Run `kvsim -q [script] args...` (script may be NULL, args NULL or
 * NULL-terminated) from the source dir; stdout and stderr go to `log`.
 * Returns the exit status (128 + signal when killed). */
static inline int kvsim_run(const char *log, const char *script,
                            const char *const *args) {
  const char *argv[32];
  size_t n = 0;
  argv[n++] = kvsim_bin();
  argv[n++] = "-q";
  if (script) argv[n++] = script;
  for (size_t i = 0; args && args[i] && n < 31; i++)
    argv[n++] = args[i];
  argv[n] = NULL;
  pid_t pid = fork();
  cr_assert(pid >= 0);
  if (pid == 0) {
    int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || chdir(KVSIM_SOURCE_DIR) != 0) _exit(126);
    dup2(fd, 1);
    dup2(fd, 2);
    execv(argv[0], (char *const *)argv);
    _exit(127);
  }
  int st = 0;
  waitpid(pid, &st, 0);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* The whole file at path, NUL-terminated (free it), or NULL. */
static inline char *slurp(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *s = malloc((size_t)n + 1);
  size_t got = fread(s, 1, (size_t)n, f);
  s[got] = 0;
  fclose(f);
  return s;
}

#endif
