/* replicas.c - one model served by R engine replicas: split a workload
 * between them, run them (in one simulation when the backend can, one
 * after the other on ideal GPUs otherwise) and combine their results.
 * Declared in replicas.h; sweep.h runs replica specs in forked children.
 * Main entry points: kv_replica_spec_execute(), kv_workload_dispatch(),
 * kv_result_aggregate().
 */
#include "replicas.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "result_wire.h"
#include "util.h"

/* Every replica gets all of w: part r's request j is r * w->n + j. */
static size_t replicate(const kv_workload *w, size_t replicas,
                        kv_workload *parts, size_t **idx) {
  for (size_t r = 0; r < replicas; r++) {
    kv_workload *p = &parts[r];
    kv_workload_init(p);
    p->n = w->n;
    p->reqs = kv_xmalloc((w->n ? w->n : 1) * sizeof *p->reqs);
    memcpy(p->reqs, w->reqs, w->n * sizeof *p->reqs);
    if (w->hash_bytes) {
      p->hash_bytes = kv_xmalloc(w->n_hash_bytes ? w->n_hash_bytes : 1);
      memcpy(p->hash_bytes, w->hash_bytes, w->n_hash_bytes);
      p->n_hash_bytes = w->n_hash_bytes;
      p->n_hashes = w->n_hashes;
    }
    p->hash_block_tokens = w->hash_block_tokens;
    snprintf(p->source, sizeof p->source, "%.460s [copy %zu/%zu]", w->source, r,
             replicas);
    idx[r] = kv_xmalloc((w->n ? w->n : 1) * sizeof *idx[r]);
    for (size_t j = 0; j < w->n; j++)
      idx[r][j] = r * w->n + j;
  }
  return replicas * w->n;
}

size_t kv_workload_dispatch(const kv_workload *w, size_t replicas,
                            kv_dispatch d, kv_workload *parts, size_t **idx) {
  if (d == KV_DISPATCH_REPLICATE) return replicate(w, replicas, parts, idx);
  size_t *count = kv_xcalloc(replicas, sizeof *count);
  size_t *owner = kv_xmalloc((w->n ? w->n : 1) * sizeof *owner);
  double *load = kv_xcalloc(replicas, sizeof *load);
  for (size_t i = 0; i < w->n; i++) {
    size_t r = i % replicas;
    if (d == KV_DISPATCH_LEAST_TOKENS) {
      r = 0;
      for (size_t k = 1; k < replicas; k++)
        if (load[k] < load[r]) r = k;
    }
    load[r] += (double)w->reqs[i].prompt + (double)w->reqs[i].output;
    owner[i] = r;
    count[r]++;
  }
  for (size_t r = 0; r < replicas; r++) {
    kv_workload_init(&parts[r]);
    parts[r].reqs = kv_xcalloc(count[r] ? count[r] : 1, sizeof *parts[r].reqs);
    idx[r] = kv_xmalloc((count[r] ? count[r] : 1) * sizeof *idx[r]);
    parts[r].hash_block_tokens = w->hash_block_tokens;
    snprintf(parts[r].source, sizeof parts[r].source,
             "%.460s [replica %zu/%zu]", w->source, r, replicas);
  }
  /* prefix hashes are copied per part so each stays self-contained */
  size_t *nb = kv_xcalloc(replicas, sizeof *nb);
  for (size_t i = 0; i < w->n; i++) {
    const kv_request_spec *q = &w->reqs[i];
    size_t m = (size_t)q->hash_n + q->gen_n; /* prompt and output ids */
    if (m) nb[owner[i]] += kv_hash_span(w->hash_bytes + q->hash_off, m);
  }
  for (size_t r = 0; r < replicas; r++)
    if (nb[r]) parts[r].hash_bytes = kv_xmalloc(nb[r]);
  for (size_t i = 0; i < w->n; i++) {
    kv_workload *p = &parts[owner[i]];
    kv_request_spec q = w->reqs[i];
    size_t m = (size_t)q.hash_n + q.gen_n;
    q.hash_off = p->n_hash_bytes;
    if (m) {
      const uint8_t *src = w->hash_bytes + w->reqs[i].hash_off;
      size_t k = kv_hash_span(src, m);
      memcpy(p->hash_bytes + p->n_hash_bytes, src, k);
      p->n_hash_bytes += k;
      p->n_hashes += m;
    }
    idx[owner[i]][p->n] = i;
    p->reqs[p->n++] = q;
  }
  free(nb);
  free(count);
  free(owner);
  free(load);
  return w->n;
}

void kv_result_aggregate(const kv_result *parts, size_t replicas,
                         size_t *const *idx, size_t n_requests,
                         kv_result *out) {
  memset(out, 0, sizeof *out);
  kv_summary *s = &out->summary;
  /* each metric as its list entry says (metrics.h); percentiles below */
  for (size_t r = 0; r < replicas; r++) {
    kv_summary_add(s, &parts[r].summary);
    kv_metrics_add(kv_tier_info, kv_tier_info_n, &out->tier, &parts[r].tier);
  }
  kv_metrics_finish(kv_summary_info, kv_summary_info_n, s);
  kv_metrics_finish(kv_tier_info, kv_tier_info_n, &out->tier);

  /* requests back in workload order; latency percentiles over all of them,
   * with the engine's definitions (core/engine/engine_result.c) */
  out->requests =
      kv_xcalloc(n_requests ? n_requests : 1, sizeof *out->requests);
  out->n_requests = n_requests;
  for (size_t r = 0; r < replicas; r++)
    for (size_t j = 0; j < parts[r].n_requests; j++)
      if (idx[r][j] < n_requests)
        out->requests[idx[r][j]] = parts[r].requests[j];
  kv_summary_latencies(s, out->requests, n_requests);
  if (replicas > 0) {
    snprintf(out->strategy, sizeof out->strategy, "%s", parts[0].strategy);
    snprintf(out->backend, sizeof out->backend, "%s", parts[0].backend);
    out->seed = parts[0].seed;
  }
}

/* One replica's engine configuration and where its result goes. */
typedef struct replica_job {
  kv_engine_cfg cfg;
  kv_result *out;
} replica_job;

static kv_status replica_main(void *arg, kv_backend *b, kv_error *err) {
  replica_job *j = arg;
  j->cfg.backend = b;
  return kv_engine_run(&j->cfg, j->out, err);
}

static size_t gcd(size_t a, size_t b) {
  while (b) {
    size_t t = a % b;
    a = b;
    b = t;
  }
  return a;
}

kv_status kv_replica_shards(const kv_platform *p, uint32_t tp, size_t replicas,
                            size_t shards, size_t *first, kv_error *err) {
  size_t gps = p && p->gpus_per_server ? p->gpus_per_server : 1;
  size_t t = tp ? tp : 1;
  size_t group = gps / gcd(gps, t) * t; /* GPUs: whole servers and replicas */
  size_t groups = (replicas * t + group - 1) / group;
  if (shards == 0 || shards > groups)
    return kv_error_set(
        err, KV_EINVAL,
        "shards = %zu: %zu replica(s) of tp %zu on servers of %zu GPUs make "
        "%zu group(s) of servers that share no link (the replicas of a "
        "server share its host DRAM link and uplinks), so at most %zu "
        "shard(s); a split inside a group would cut a shared link",
        shards, replicas, t, gps, groups, groups);
  for (size_t k = 0; k <= shards; k++) {
    size_t g = k * groups / shards, r = g * group / t;
    first[k] = r < replicas ? r : replicas;
  }
  return KV_OK;
}

/* Run replicas [a, b) of `spec` (parts and idx from the dispatch) into
 * out[a..b). Their requests' rows (when `rows`) go to rows in replica
 * order, whatever order the replicas end in; their latencies to *sk when
 * the requests are not kept. */
static kv_status run_range(const kv_replica_spec *spec, kv_workload *parts,
                           size_t **idx, size_t a, size_t b, kv_result *out,
                           FILE *rows, kv_latency_sketch *sk, kv_error *err) {
  size_t R = spec->replicas, n = b - a;
  const kv_run_spec *rs = &spec->run;
  const kv_requests_opts *ro = rs->engine.requests_opts;
  replica_job *jobs = kv_xcalloc(n, sizeof *jobs);
  void **args = kv_xcalloc(n, sizeof *args);
  kv_status *codes = kv_xcalloc(n, sizeof *codes);
  kv_error *errs = kv_xcalloc(n, sizeof *errs);
  kv_requests_opts *ropts = ro ? kv_xcalloc(n, sizeof *ropts) : NULL;
  long(*span)[2] = NULL;
  FILE *tmp = NULL;
  kv_status st = KV_OK;
  if (ro && rows) {
    /* each replica writes its rows here when it ends; copied to `rows` in
     * replica order afterwards */
    tmp = tmpfile();
    if (!tmp)
      st = kv_error_set(
          err, KV_EIO, "requests_file %s: no temporary file for the rows: %s",
          ro->requests_file ? ro->requests_file : "(stream)", strerror(errno));
    span = kv_xcalloc(n, sizeof *span);
  }
  for (size_t i = 0; i < n && st == KV_OK; i++) {
    size_t r = a + i;
    jobs[i].cfg = rs->engine;
    if (ro) {
      ropts[i] = *ro;
      ropts[i].requests_file = tmp ? ro->requests_file : NULL;
      ropts[i].fp = tmp;
      ropts[i].span = tmp ? span[i] : NULL;
      ropts[i].ids = idx[r];
      ropts[i].sk = ro->keep_requests ? NULL : sk;
      jobs[i].cfg.requests_opts = &ropts[i];
    }
    jobs[i].cfg.workload = &parts[r];
    jobs[i].cfg.seed = rs->engine.seed + r; /* one RNG stream per replica */
    jobs[i].out = &out[r];
    args[i] = &jobs[i];
  }
  const kv_backend_desc *d = rs->backend;
  /* a part runs on the platform cut to its own servers (its first GPU the
   * part's first: shards start at a server) */
  kv_engine_cfg ecfg = rs->engine;
  kv_platform cut;
  if (n < R && rs->engine.platform) {
    cut = *rs->engine.platform;
    size_t gps = cut.gpus_per_server ? cut.gpus_per_server : 1;
    size_t t = rs->engine.tp ? rs->engine.tp : 1;
    cut.servers = (uint32_t)((n * t + gps - 1) / gps);
    ecfg.platform = &cut;
  }
  if (st != KV_OK) {
  } else if (d && d != &kv_backend_ideal_desc) {
    kv_backend *be = kv_backend_create(d, rs->backend_opts, &ecfg, err);
    if (!be) {
      st = err && err->code != KV_OK ? err->code : KV_EBACKEND;
      if (err && err->code == KV_OK)
        kv_error_set(err, KV_EBACKEND, "run spec: backend creation failed");
    } else if (n == R && d->run_replicas) {
      st = d->run_replicas(be, R, replica_main, args, codes, errs, err);
      be->vt->destroy(be);
    } else if (n < R && d->run_replicas_part) {
      st = d->run_replicas_part(be, rs->engine.platform, R, a, n, replica_main,
                                args, codes, errs, err);
      be->vt->destroy(be);
    } else {
      st = kv_error_set(err, KV_EINVAL,
                        n == R ? "replicas: the %s backend cannot run %zu "
                                 "replicas in one simulation"
                               : "shards: the %s backend cannot run a part of "
                                 "its %zu replicas",
                        be->vt->name, R);
      be->vt->destroy(be);
    }
  } else {
    /* ideal GPUs share nothing: the replicas can run one after the other */
    for (size_t i = 0; i < n && st == KV_OK; i++) {
      st = kv_engine_run(&jobs[i].cfg, &out[a + i], &errs[i]);
      if (st != KV_OK)
        kv_error_set(err, st, "replica %zu: %s", a + i, errs[i].msg);
    }
  }
  if (tmp && (st == KV_OK || st == KV_EINTR)) {
    char buf[1 << 16];
    for (size_t i = 0; i < n && st != KV_EIO; i++) {
      long left = span[i][1];
      if (fseek(tmp, span[i][0], SEEK_SET) != 0) left = -1;
      while (left > 0) {
        size_t k = left < (long)sizeof buf ? (size_t)left : sizeof buf;
        if (fread(buf, 1, k, tmp) != k || fwrite(buf, 1, k, rows) != k) break;
        left -= (long)k;
      }
      if (left != 0)
        st = kv_error_set(err, KV_EIO, "requests_file %s: cannot write",
                          ro->requests_file);
    }
  }
  if (tmp) fclose(tmp);
  free(span);
  free(ropts);
  free(jobs);
  free(args);
  free(codes);
  free(errs);
  return st;
}

static int write_sketch(int fd, const kv_sketch *s) {
  int32_t h[2] = {s->lo, s->len};
  uint64_t c[2] = {s->zeros, s->n};
  if (kv_wire_write_all(fd, h, sizeof h) || kv_wire_write_all(fd, c, sizeof c))
    return -1;
  return s->len > 0 && s->counts
             ? kv_wire_write_all(fd, s->counts,
                                 (size_t)s->len * sizeof *s->counts)
             : 0;
}

static int read_sketch(int fd, kv_sketch *s) {
  int32_t h[2];
  uint64_t c[2];
  kv_sketch_init(s);
  if (kv_wire_read_all(fd, h, sizeof h) || kv_wire_read_all(fd, c, sizeof c))
    return -1;
  if (h[1] < 0 || h[1] > (1 << 24)) return -1;
  s->lo = h[0];
  s->len = h[1];
  s->zeros = c[0];
  s->n = c[1];
  if (h[1] > 0) {
    s->counts = kv_xcalloc((size_t)h[1], sizeof *s->counts);
    if (kv_wire_read_all(fd, s->counts, (size_t)h[1] * sizeof *s->counts))
      return -1;
  }
  return 0;
}

/* What a shard's child sends: its outcome, then (when it succeeded) its
 * replicas' results and its latency sketch. */
static void shard_child(int fd, const kv_replica_spec *spec, kv_workload *parts,
                        size_t **idx, size_t a, size_t b, kv_result *out,
                        FILE *rows) {
  kv_latency_sketch sk;
  memset(&sk, 0, sizeof sk);
  kv_error e;
  memset(&e, 0, sizeof e);
  kv_status st = run_range(spec, parts, idx, a, b, out, rows, &sk, &e);
  if (rows && fflush(rows) != 0 && st == KV_OK)
    st = kv_error_set(&e, KV_EIO, "requests_file: cannot write the rows");
  int32_t code = (int32_t)st;
  int bad = kv_wire_write_all(fd, &code, sizeof code) ||
            kv_wire_write_all(fd, &e, sizeof e);
  for (size_t r = a; r < b && !bad && (st == KV_OK || st == KV_EINTR); r++)
    bad = kv_result_write(fd, &out[r]) != 0;
  if (!bad && (st == KV_OK || st == KV_EINTR))
    bad = write_sketch(fd, &sk.ttft) || write_sketch(fd, &sk.tpot) ||
          write_sketch(fd, &sk.e2e);
  _exit(bad ? 3 : 0);
}

/* One shard's process: its pipe, pid and rows file. */
typedef struct shard_proc {
  int fd;
  pid_t pid;
  FILE *rows;
} shard_proc;

/* Start shard k (replicas first[k] .. first[k+1]-1) in a forked process. */
static kv_status start_shard(const kv_replica_spec *spec, kv_workload *parts,
                             size_t **idx, kv_result *out, const size_t *first,
                             size_t k, int want_rows, shard_proc *sp,
                             size_t nsp, kv_error *err) {
  shard_proc *p = &sp[k];
  if (want_rows && !(p->rows = tmpfile()))
    return kv_error_set(err, KV_EIO,
                        "requests_file: no temporary file for shard %zu: %s", k,
                        strerror(errno));
  int pfd[2];
  if (pipe(pfd) != 0)
    return kv_error_set(err, KV_EIO, "shards: pipe: %s", strerror(errno));
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  if (pid < 0) {
    close(pfd[0]);
    close(pfd[1]);
    return kv_error_set(err, KV_EIO, "shards: fork: %s", strerror(errno));
  }
  if (pid == 0) {
    close(pfd[0]);
    for (size_t j = 0; j < nsp; j++)
      if (j != k && sp[j].fd >= 0) close(sp[j].fd);
    shard_child(pfd[1], spec, parts, idx, first[k], first[k + 1], out, p->rows);
  }
  close(pfd[1]);
  p->fd = pfd[0];
  p->pid = pid;
  return KV_OK;
}

/* Read shard k's results into out[first[k] ..], merge its sketch into *sk
 * and append its rows to `rows`; reap its process. st: the outcome so far
 * (a shard read after a failure is only reaped). */
static kv_status collect_shard(shard_proc *p, const size_t *first, size_t k,
                               kv_result *out, FILE *rows,
                               kv_latency_sketch *sk, kv_status st,
                               kv_error *err) {
  int32_t code = KV_EINTERNAL;
  kv_error e;
  memset(&e, 0, sizeof e);
  int bad = kv_wire_read_all(p->fd, &code, sizeof code) ||
            kv_wire_read_all(p->fd, &e, sizeof e);
  if (!bad && (code == KV_OK || code == KV_EINTR)) {
    for (size_t r = first[k]; r < first[k + 1] && !bad; r++) {
      kv_error re;
      bad = kv_result_read(p->fd, &out[r], &re) != 0;
    }
    kv_latency_sketch got;
    memset(&got, 0, sizeof got);
    if (!bad)
      bad = read_sketch(p->fd, &got.ttft) || read_sketch(p->fd, &got.tpot) ||
            read_sketch(p->fd, &got.e2e);
    if (!bad) {
      kv_sketch_merge(&sk->ttft, &got.ttft);
      kv_sketch_merge(&sk->tpot, &got.tpot);
      kv_sketch_merge(&sk->e2e, &got.e2e);
    }
    kv_latency_sketch_free(&got);
  }
  close(p->fd);
  p->fd = -1;
  int ws = 0;
  while (waitpid(p->pid, &ws, 0) < 0 && errno == EINTR) {
  }
  if (st == KV_OK || st == KV_EINTR) {
    if (!bad && code != KV_OK && code != KV_EINTR)
      st =
          kv_error_set(err, (kv_status)code, "shard %zu (replicas %zu-%zu): %s",
                       k, first[k], first[k + 1] - 1, e.msg);
    else if (bad || !WIFEXITED(ws) || WEXITSTATUS(ws) != 0)
      st = kv_error_set(err, KV_EINTERNAL,
                        "shard %zu (replicas %zu-%zu): its process %s %d "
                        "before sending its results",
                        k, first[k], first[k + 1] - 1,
                        WIFSIGNALED(ws) ? "died of signal" : "exited with",
                        WIFSIGNALED(ws) ? WTERMSIG(ws) : WEXITSTATUS(ws));
    else if (code == KV_EINTR)
      st = KV_EINTR;
  }
  if (p->rows) {
    if (st == KV_OK || st == KV_EINTR) {
      char buf[1 << 16];
      size_t got;
      rewind(p->rows);
      while ((got = fread(buf, 1, sizeof buf, p->rows)) > 0)
        if (fwrite(buf, 1, got, rows) != got) break;
      if (ferror(p->rows) || ferror(rows))
        st = kv_error_set(err, KV_EIO, "requests_file: cannot write");
    }
    fclose(p->rows);
    p->rows = NULL;
  }
  return st;
}

/* Run the replicas as `spec->shards` forked processes, at most
 * `spec->shard_jobs` at once (0: all), each a shard of whole servers
 * (kv_replica_shards), and gather them in shard order: out[0..R) as one
 * process fills them, their rows appended to `rows` (so in replica
 * order), their sketches merged into *sk. */
static kv_status run_shards(const kv_replica_spec *spec, kv_workload *parts,
                            size_t **idx, kv_result *out, FILE *rows,
                            kv_latency_sketch *sk, kv_error *err) {
  size_t S = spec->shards, R = spec->replicas;
  size_t J = spec->shard_jobs && spec->shard_jobs < S ? spec->shard_jobs : S;
  size_t *first = kv_xcalloc(S + 1, sizeof *first);
  kv_status st = kv_replica_shards(spec->run.engine.platform,
                                   spec->run.engine.tp, R, S, first, err);
  if (st != KV_OK) {
    free(first);
    return st;
  }
  shard_proc *sp = kv_xcalloc(S, sizeof *sp);
  for (size_t k = 0; k < S; k++)
    sp[k].fd = -1;
  if (rows) fflush(rows);
  size_t next = 0;
  for (size_t k = 0; k < S; k++) {
    while (st == KV_OK && next < S && next < k + J) {
      st = start_shard(spec, parts, idx, out, first, next, rows != NULL, sp, S,
                       err);
      next++;
    }
    if (sp[k].fd >= 0)
      st = collect_shard(&sp[k], first, k, out, rows, sk, st, err);
    else if (sp[k].rows) {
      fclose(sp[k].rows);
      sp[k].rows = NULL;
    }
  }
  free(sp);
  free(first);
  return st;
}

kv_status kv_replica_spec_execute(const kv_replica_spec *spec, kv_result *out,
                                  kv_error *err) {
  size_t R = spec->replicas;
  if (spec->shards > 1 && R <= 1)
    return kv_error_set(err, KV_EINVAL,
                        "shards = %zu: needs replicas (replicas = %zu)",
                        spec->shards, R);
  if (R <= 1) return kv_run_spec_execute(&spec->run, out, err);
  const kv_run_spec *rs = &spec->run;
  if (rs->engine.backend)
    return kv_error_set(err, KV_EINVAL,
                        "run spec: engine.backend must be NULL (the backend "
                        "is created from the spec's descriptor)");
  const kv_workload *w = rs->engine.workload;
  if (!w || w->n == 0 || (w->n < R && spec->dispatch != KV_DISPATCH_REPLICATE))
    return kv_error_set(err, KV_EINVAL,
                        "replicas: %zu replicas need at least as many "
                        "requests, the workload has %zu",
                        R, w ? w->n : (size_t)0);
  if (spec->shards > 1) {
    size_t *first = kv_xcalloc(spec->shards + 1, sizeof *first);
    kv_status cs = kv_replica_shards(rs->engine.platform, rs->engine.tp, R,
                                     spec->shards, first, err);
    free(first);
    if (cs != KV_OK) return cs;
  }
  memset(out, 0, (R + 1) * sizeof *out);
  kv_workload *parts = kv_xcalloc(R, sizeof *parts);
  size_t **idx = kv_xcalloc(R, sizeof *idx);
  size_t total = kv_workload_dispatch(w, R, spec->dispatch, parts, idx);
  /* per-request results: one CSV for all replicas (the header, then each
   * replica's rows in replica order, each replica's in its workload
   * order), latencies merged in one sketch when not kept */
  const kv_requests_opts *ro = rs->engine.requests_opts;
  kv_latency_sketch sk;
  memset(&sk, 0, sizeof sk);
  FILE *fp = NULL;
  kv_status st = KV_OK;
  if (ro && ro->requests_file) {
    fp = fopen(ro->requests_file, "w");
    if (!fp || kv_requests_write_csv_header(fp)) {
      if (fp) fclose(fp);
      fp = NULL;
      st = kv_error_set(err, KV_EIO, "requests_file %s: cannot write",
                        ro->requests_file);
    }
  }
  if (st == KV_OK) {
    if (spec->shards > 1)
      st = run_shards(spec, parts, idx, out, fp, &sk, err);
    else
      st = run_range(spec, parts, idx, 0, R, out, fp, &sk, err);
  }
  if (fp && fclose(fp) && st == KV_OK)
    st = kv_error_set(err, KV_EIO, "requests_file %s: cannot write",
                      ro->requests_file);
  if ((st == KV_OK || st == KV_EINTR) && ro && !ro->keep_requests) {
    kv_result_aggregate(out, R, idx, 0, &out[R]);
    free(out[R].requests);
    out[R].requests = NULL;
    kv_summary_latencies_sketch(&out[R].summary, &sk);
  } else if (st == KV_OK || st == KV_EINTR)
    kv_result_aggregate(out, R, idx, total, &out[R]);
  kv_latency_sketch_free(&sk);
  for (size_t r = 0; r < R; r++) {
    kv_workload_free(&parts[r]);
    free(idx[r]);
  }
  free(parts);
  free(idx);
  return st;
}
