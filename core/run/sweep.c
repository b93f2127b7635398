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

#define RES_MAGIC 0x4b565253u   /* "KVRS" */
#define RES_END 0x4b565245u     /* "KVRE" */
#define RES_VERSION 3u          /* 3: rejection reasons, truncation */
#define SWEEP_MAGIC 0x4b565357u /* "KVSW" */

/* ---------------------------------------------------------------- wire */

static int write_all(int fd, const void *p, size_t n) {
  const char *c = p;
  while (n > 0) {
    ssize_t w = write(fd, c, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    c += w;
    n -= (size_t)w;
  }
  return 0;
}

/* A writer to a file descriptor (fd >= 0) or a growing memory buffer. */
typedef struct writer {
  int fd;
  unsigned char *buf;
  size_t len, cap;
} writer;

static int wr(writer *w, const void *p, size_t n) {
  if (w->fd >= 0) return write_all(w->fd, p, n);
  if (w->cap - w->len < n) {
    size_t c = w->cap ? w->cap : 4096;
    while (c - w->len < n)
      c *= 2;
    w->buf = kv_xrealloc(w->buf, c);
    w->cap = c;
  }
  if (n) memcpy(w->buf + w->len, p, n);
  w->len += n;
  return 0;
}

static int put_u32(writer *w, uint32_t v) {
  return wr(w, &v, sizeof v);
}
static int put_u64(writer *w, uint64_t v) {
  return wr(w, &v, sizeof v);
}

static int write_result(writer *w, const kv_result *r) {
  if (put_u32(w, RES_MAGIC) || put_u32(w, RES_VERSION) ||
      put_u32(w, (uint32_t)sizeof r->summary) ||
      put_u32(w, (uint32_t)sizeof(kv_sample)) ||
      put_u32(w, (uint32_t)sizeof(kv_request_result)) ||
      wr(w, &r->summary, sizeof r->summary) || put_u64(w, r->timeline.n) ||
      (r->timeline.n &&
       wr(w, r->timeline.s, r->timeline.n * sizeof(kv_sample))) ||
      put_u64(w, r->n_requests) ||
      (r->n_requests &&
       wr(w, r->requests, r->n_requests * sizeof(kv_request_result))) ||
      wr(w, r->strategy, sizeof r->strategy) ||
      wr(w, r->backend, sizeof r->backend) || put_u64(w, r->seed) ||
      wr(w, &r->tier, sizeof r->tier) || put_u32(w, RES_END))
    return -1;
  return 0;
}

int kv_result_write(int fd, const kv_result *r) {
  writer w = {.fd = fd};
  return write_result(&w, r);
}

/* A reader over a file descriptor or a memory buffer. */
typedef struct reader {
  int fd; /* >= 0: read from fd */
  const unsigned char *buf;
  size_t len, pos;
} reader;

static int rd(reader *r, void *dst, size_t n) {
  if (r->fd >= 0) {
    char *c = dst;
    while (n > 0) {
      ssize_t k = read(r->fd, c, n);
      if (k < 0 && errno == EINTR) continue;
      if (k <= 0) return -1;
      c += k;
      n -= (size_t)k;
    }
    return 0;
  }
  if (r->len - r->pos < n) return -1;
  memcpy(dst, r->buf + r->pos, n);
  r->pos += n;
  return 0;
}

/* Refuse counts a truncated or corrupt stream could not hold. */
#define MAX_ITEMS (1ull << 32)

static int read_result(reader *in, kv_result *r, kv_error *err) {
  memset(r, 0, sizeof *r);
  uint32_t magic = 0, ver = 0, ssum = 0, ssam = 0, sreq = 0, end = 0;
  uint64_t n = 0;
  if (rd(in, &magic, 4) || rd(in, &ver, 4) || rd(in, &ssum, 4) ||
      rd(in, &ssam, 4) || rd(in, &sreq, 4))
    return kv_error_set(err, KV_EIO, "result stream: truncated header"), -1;
  if (magic != RES_MAGIC || ver != RES_VERSION || ssum != sizeof r->summary ||
      ssam != sizeof(kv_sample) || sreq != sizeof(kv_request_result))
    return kv_error_set(err, KV_EPARSE,
                        "result stream: bad header (magic %08x version %u, "
                        "record sizes %u/%u/%u)",
                        magic, ver, ssum, ssam, sreq),
           -1;
  if (rd(in, &r->summary, sizeof r->summary) || rd(in, &n, 8)) goto trunc;
  if (n > MAX_ITEMS) goto corrupt;
  if (n) {
    r->timeline.s = kv_xmalloc(n * sizeof(kv_sample));
    r->timeline.n = r->timeline.cap = n;
    if (rd(in, r->timeline.s, n * sizeof(kv_sample))) goto trunc;
  }
  if (rd(in, &n, 8)) goto trunc;
  if (n > MAX_ITEMS) goto corrupt;
  if (n) {
    r->requests = kv_xmalloc(n * sizeof(kv_request_result));
    r->n_requests = n;
    if (rd(in, r->requests, n * sizeof(kv_request_result))) goto trunc;
  }
  if (rd(in, r->strategy, sizeof r->strategy) ||
      rd(in, r->backend, sizeof r->backend) || rd(in, &r->seed, 8) ||
      rd(in, &r->tier, sizeof r->tier) || rd(in, &end, 4))
    goto trunc;
  if (end != RES_END) goto corrupt;
  r->strategy[sizeof r->strategy - 1] = 0;
  r->backend[sizeof r->backend - 1] = 0;
  return 0;
trunc:
  kv_result_free(r);
  return kv_error_set(err, KV_EIO, "result stream: truncated"), -1;
corrupt:
  kv_result_free(r);
  return kv_error_set(err, KV_EPARSE, "result stream: corrupt"), -1;
}

int kv_result_read(int fd, kv_result *r, kv_error *err) {
  reader in = {.fd = fd};
  return read_result(&in, r, err);
}

#define RESULTS_MAGIC 0x4b56524eu /* "KVRN": n results */

unsigned char *kv_results_encode(const kv_result *r, size_t n, size_t *len) {
  writer w = {.fd = -1};
  put_u32(&w, RESULTS_MAGIC);
  put_u64(&w, n);
  for (size_t i = 0; i < n; i++)
    write_result(&w, &r[i]);
  *len = w.len;
  return w.buf;
}

int kv_results_decode(const unsigned char *buf, size_t len, kv_result *out,
                      size_t n, kv_error *err) {
  reader in = {.fd = -1, .buf = buf, .len = len};
  uint32_t magic = 0;
  uint64_t m = 0;
  memset(out, 0, n * sizeof *out);
  if (rd(&in, &magic, 4) || rd(&in, &m, 8) || magic != RESULTS_MAGIC)
    return kv_error_set(err, KV_EPARSE, "results: bad header"), -1;
  if (m != n)
    return kv_error_set(err, KV_EPARSE,
                        "results: %llu results where %zu were expected",
                        (unsigned long long)m, n),
           -1;
  for (size_t i = 0; i < n; i++)
    if (read_result(&in, &out[i], err) != 0) {
      for (size_t k = 0; k < i; k++)
        kv_result_free(&out[k]);
      return -1;
    }
  if (in.pos != in.len) {
    for (size_t k = 0; k < n; k++)
      kv_result_free(&out[k]);
    return kv_error_set(err, KV_EPARSE, "results: trailing bytes"), -1;
  }
  return 0;
}

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
  writer w = {.fd = fd};
  int bad = put_u32(&w, SWEEP_MAGIC) || put_u32(&w, (uint32_t)st) ||
            put_u32(&w, len) || (len && write_all(fd, e.msg, len)) ||
            put_u32(&w, has);
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
  reader in = {.fd = -1, .buf = s->buf, .len = s->len};
  uint32_t magic = 0, st = 0, len = 0, has = 0;
  if (rd(&in, &magic, 4) || magic != SWEEP_MAGIC || rd(&in, &st, 4) ||
      rd(&in, &len, 4) || len >= sizeof e->msg) {
    return kv_error_set(e, KV_EINTERNAL,
                        "run %zu exited with status %d before sending a "
                        "complete result",
                        i, WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1);
  }
  char msg[sizeof e->msg];
  if (rd(&in, msg, len) || rd(&in, &has, 4) || (has && has != nout))
    return kv_error_set(e, KV_EINTERNAL,
                        "run %zu exited with status %d before sending a "
                        "complete result",
                        i, WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1);
  msg[len] = 0;
  for (uint32_t k = 0; k < has; k++) {
    kv_error re;
    if (read_result(&in, &out[k], &re) != 0) {
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
