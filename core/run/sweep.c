/* sweep.c - run many engine configurations, one forked child per run.
 *
 * The parent forks at most `jobs` children at once; each runs
 * kv_run_spec_execute() and sends its status, error message and result back
 * over a pipe (binary, kv_result_write). The parent drains every pipe with
 * poll() so no child ever blocks on a full pipe, then reaps the child. A
 * child killed by a signal, or that exits without a complete message, is an
 * error for its run; a failed run never stops the others. Results land in
 * spec order whatever `jobs` is. The parent times each run only through a
 * clock the caller hands in (kv_sweep_opts): core never reads one.
 * Main entry points: kv_sweep_run(), kv_sweep_run_replicas_opts().
 */
#define _GNU_SOURCE
#include "sweep.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

#define SWEEP_MAGIC 0x4b565357u /* "KVSW" */

/* ---------------------------------------------------------------- sweep */

/* What a child runs: run i of `specs`, filling nout results. */
typedef kv_status (*exec_fn)(const void *specs, size_t i, kv_result *out,
                             kv_error *err);
typedef size_t (*count_fn)(const void *specs, size_t i);

/* Child: run, then send [magic, status, message, results sent, results]. */
static void child_main(const void *specs, size_t i, exec_fn ex, count_fn cnt,
                       int fd) {
  kv_error e;
  kv_error_set(&e, KV_OK, " ");
  size_t nout = cnt(specs, i);
  kv_result *res = kv_xcalloc(nout, sizeof *res);
  kv_status st = ex(specs, i, res, &e);
  uint32_t has = st == KV_OK || st == KV_EINTR ? (uint32_t)nout : 0;
  uint32_t len = st == KV_OK ? 0 : (uint32_t)strnlen(e.msg, sizeof e.msg);
  kv_wire_writer w = {.fd = fd};
  int bad = kv_wire_put_u32(&w, SWEEP_MAGIC) ||
            kv_wire_put_u32(&w, (uint32_t)st) || kv_wire_put_u32(&w, len) ||
            (len && kv_wire_write_all(fd, e.msg, len)) ||
            kv_wire_put_u32(&w, has);
  for (uint32_t k = 0; !bad && k < has; k++)
    bad = kv_result_write(fd, &res[k]);
  close(fd);
  /* _exit() skips no cleanup we need, but leak checkers see what is left */
  for (size_t k = 0; k < nout; k++)
    kv_result_free(&res[k]);
  free(res);
  _exit(bad ? 3 : 0);
}

typedef struct slot {
  pid_t pid;
  int fd;
  size_t run;
  unsigned char *buf;
  size_t len, cap;
} slot;

/* Turn a finished child's bytes and wait status into its outcome; out
 * holds nout results. */
static kv_status finish_run(slot *s, int wstatus, kv_result *out, size_t nout,
                            kv_error *e) {
  size_t i = s->run;
  memset(out, 0, nout * sizeof *out);
  if (WIFSIGNALED(wstatus)) {
    int sig = WTERMSIG(wstatus);
    return kv_error_set(e, KV_EINTERNAL, "run %zu died with signal %d (%s)", i,
                        sig, strsignal(sig));
  }
  kv_wire_reader in = {.fd = -1, .buf = s->buf, .len = s->len};
  uint32_t magic = 0, st = 0, len = 0, has = 0;
  if (kv_wire_get(&in, &magic, 4) || magic != SWEEP_MAGIC ||
      kv_wire_get(&in, &st, 4) || kv_wire_get(&in, &len, 4) ||
      len >= sizeof e->msg) {
    return kv_error_set(e, KV_EINTERNAL,
                        "run %zu exited with status %d before sending a "
                        "complete result",
                        i, WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1);
  }
  char msg[sizeof e->msg];
  if (kv_wire_get(&in, msg, len) || kv_wire_get(&in, &has, 4) ||
      (has && has != nout))
    return kv_error_set(e, KV_EINTERNAL,
                        "run %zu exited with status %d before sending a "
                        "complete result",
                        i, WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1);
  msg[len] = 0;
  for (uint32_t k = 0; k < has; k++) {
    kv_error re;
    if (kv_wire_get_result(&in, &out[k], &re) != 0) {
      for (uint32_t j = 0; j < k; j++)
        kv_result_free(&out[j]);
      return kv_error_set(e, KV_EINTERNAL,
                          "run %zu exited with status %d before sending a "
                          "complete result (%s)",
                          i, WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1,
                          re.msg);
    }
  }
  if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0) {
    for (uint32_t k = 0; k < has; k++)
      kv_result_free(&out[k]);
    return kv_error_set(e, KV_EINTERNAL, "run %zu exited with status %d", i,
                        WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1);
  }
  if (st == KV_OK) return kv_error_set(e, KV_OK, " ");
  kv_error_set(e, (kv_status)st, "%s", msg);
  return (kv_status)st;
}

static double sweep_now(const kv_sweep_opts *o) {
  return o->clock ? o->clock(o->clock_ud) : 0.0;
}

static kv_status sweep_children(const void *specs, size_t n,
                                const kv_sweep_opts *o, exec_fn ex,
                                count_fn cnt, kv_result *const *out,
                                kv_status *codes, kv_error *errs) {
  int jobs = o->jobs;
  if (jobs <= 0) {
    long c = sysconf(_SC_NPROCESSORS_ONLN);
    jobs = c > 0 ? (int)c : 1;
  }
  if ((size_t)jobs > n) jobs = n ? (int)n : 1;
  slot *slots = kv_xcalloc((size_t)jobs, sizeof *slots);
  struct pollfd *pfd = kv_xcalloc((size_t)jobs, sizeof *pfd);
  size_t next = 0, running = 0;
  kv_status first = KV_OK;
  for (size_t i = 0; i < n; i++) {
    memset(out[i], 0, cnt(specs, i) * sizeof *out[i]);
    if (o->wall) o->wall[i] = 0;
  }

  while (next < n || running > 0) {
    /* start children while there is room */
    while (next < n && running < (size_t)jobs) {
      size_t i = next++;
      int p[2];
      pid_t pid = -1;
      if (pipe(p) == 0) {
        fflush(NULL); /* nothing buffered may be written twice */
        if (o->wall) o->wall[i] = sweep_now(o);
        pid = fork();
        if (pid == 0) {
          close(p[0]);
          /* the read ends of running siblings are inherited: close them */
          for (int k = 0; k < jobs; k++)
            if (slots[k].pid > 0) close(slots[k].fd);
          child_main(specs, i, ex, cnt, p[1]);
        }
        close(p[1]);
        if (pid < 0) close(p[0]);
      }
      if (pid < 0) {
        if (o->wall) o->wall[i] = 0;
        codes[i] = kv_error_set(&errs[i], KV_EIO, "run %zu: fork failed: %s", i,
                                strerror(errno));
        if (!first) first = codes[i];
        continue;
      }
      for (int k = 0; k < jobs; k++)
        if (slots[k].pid == 0) {
          slots[k] = (slot){.pid = pid, .fd = p[0], .run = i};
          break;
        }
      running++;
    }
    if (running == 0) break;

    int np = 0, map[256];
    for (int k = 0; k < jobs && np < 256; k++)
      if (slots[k].pid > 0) {
        pfd[np] = (struct pollfd){.fd = slots[k].fd, .events = POLLIN};
        map[np++] = k;
      }
    if (poll(pfd, (nfds_t)np, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int q = 0; q < np; q++) {
      if (!(pfd[q].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      slot *s = &slots[map[q]];
      if (s->cap - s->len < 65536) {
        s->cap = s->cap ? s->cap * 2 : 131072;
        s->buf = kv_xrealloc(s->buf, s->cap);
      }
      ssize_t k = read(s->fd, s->buf + s->len, s->cap - s->len);
      if (k < 0 && errno == EINTR) continue;
      if (k > 0) {
        s->len += (size_t)k;
        continue;
      }
      /* EOF (or error): the child is done with its pipe */
      close(s->fd);
      int ws = 0;
      while (waitpid(s->pid, &ws, 0) < 0 && errno == EINTR) {
      }
      size_t i = s->run;
      if (o->wall) o->wall[i] = sweep_now(o) - o->wall[i];
      codes[i] = finish_run(s, ws, out[i], cnt(specs, i), &errs[i]);
      if (codes[i] != KV_OK && !first) first = codes[i];
      free(s->buf);
      memset(s, 0, sizeof *s);
      running--;
    }
  }
  free(slots);
  free(pfd);
  return first;
}

static kv_status exec_plain(const void *specs, size_t i, kv_result *out,
                            kv_error *err) {
  return kv_run_spec_execute(&((const kv_run_spec *)specs)[i], out, err);
}

static size_t count_one(const void *specs, size_t i) {
  (void)specs;
  (void)i;
  return 1;
}

kv_status kv_sweep_run(const kv_run_spec *specs, size_t n, int jobs,
                       kv_result *out, kv_status *codes, kv_error *errs) {
  kv_result **outs = kv_xcalloc(n ? n : 1, sizeof *outs);
  for (size_t i = 0; i < n; i++)
    outs[i] = &out[i];
  kv_sweep_opts o = {.jobs = jobs};
  kv_status st =
      sweep_children(specs, n, &o, exec_plain, count_one, outs, codes, errs);
  free(outs);
  return st;
}

static kv_status exec_replicas(const void *specs, size_t i, kv_result *out,
                               kv_error *err) {
  return kv_replica_spec_execute(&((const kv_replica_spec *)specs)[i], out,
                                 err);
}

static size_t count_replicas(const void *specs, size_t i) {
  return kv_replica_results(((const kv_replica_spec *)specs)[i].replicas);
}

kv_status kv_sweep_run_replicas_opts(const kv_replica_spec *specs, size_t n,
                                     const kv_sweep_opts *opts,
                                     kv_result *const *out, kv_status *codes,
                                     kv_error *errs) {
  kv_sweep_opts none = {0};
  return sweep_children(specs, n, opts ? opts : &none, exec_replicas,
                        count_replicas, out, codes, errs);
}

kv_status kv_sweep_run_replicas(const kv_replica_spec *specs, size_t n,
                                int jobs, kv_result *const *out,
                                kv_status *codes, kv_error *errs) {
  kv_sweep_opts o = {.jobs = jobs};
  return kv_sweep_run_replicas_opts(specs, n, &o, out, codes, errs);
}
