/* result_wire.c - kv_result as bytes (result_wire.h): the record sizes, a
 * version and the arrays, written to a pipe or a growing buffer and read back
 * with every count and size checked.
 * Main entry points: kv_result_write(), kv_result_read(),
 * kv_results_encode(), kv_results_decode().
 */
#define _GNU_SOURCE
#include "result_wire.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

#define RES_MAGIC 0x4b565253u /* "KVRS" */
#define RES_END 0x4b565245u   /* "KVRE" */
#define RES_VERSION 3u        /* 3: rejection reasons, truncation */

int kv_wire_write_all(int fd, const void *p, size_t n) {
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

int kv_wire_put(kv_wire_writer *w, const void *p, size_t n) {
  if (w->fd >= 0) return kv_wire_write_all(w->fd, p, n);
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

int kv_wire_put_u32(kv_wire_writer *w, uint32_t v) {
  return kv_wire_put(w, &v, sizeof v);
}
int kv_wire_put_u64(kv_wire_writer *w, uint64_t v) {
  return kv_wire_put(w, &v, sizeof v);
}

static int write_result(kv_wire_writer *w, const kv_result *r) {
  if (kv_wire_put_u32(w, RES_MAGIC) || kv_wire_put_u32(w, RES_VERSION) ||
      kv_wire_put_u32(w, (uint32_t)sizeof r->summary) ||
      kv_wire_put_u32(w, (uint32_t)sizeof(kv_sample)) ||
      kv_wire_put_u32(w, (uint32_t)sizeof(kv_request_result)) ||
      kv_wire_put(w, &r->summary, sizeof r->summary) ||
      kv_wire_put_u64(w, r->timeline.n) ||
      (r->timeline.n &&
       kv_wire_put(w, r->timeline.s, r->timeline.n * sizeof(kv_sample))) ||
      kv_wire_put_u64(w, r->n_requests) ||
      (r->n_requests &&
       kv_wire_put(w, r->requests,
                   r->n_requests * sizeof(kv_request_result))) ||
      kv_wire_put(w, r->strategy, sizeof r->strategy) ||
      kv_wire_put(w, r->backend, sizeof r->backend) ||
      kv_wire_put_u64(w, r->seed) || kv_wire_put(w, &r->tier, sizeof r->tier) ||
      kv_wire_put_u32(w, RES_END))
    return -1;
  return 0;
}

int kv_result_write(int fd, const kv_result *r) {
  kv_wire_writer w = {.fd = fd};
  return write_result(&w, r);
}

int kv_wire_read_all(int fd, void *p, size_t n) {
  char *c = p;
  while (n > 0) {
    ssize_t k = read(fd, c, n);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return -1;
    c += k;
    n -= (size_t)k;
  }
  return 0;
}

int kv_wire_get(kv_wire_reader *r, void *dst, size_t n) {
  if (r->fd >= 0) return kv_wire_read_all(r->fd, dst, n);
  if (r->len - r->pos < n) return -1;
  memcpy(dst, r->buf + r->pos, n);
  r->pos += n;
  return 0;
}

/* Refuse counts a truncated or corrupt stream could not hold. */
#define MAX_ITEMS (1ull << 32)

int kv_wire_get_result(kv_wire_reader *in, kv_result *r, kv_error *err) {
  memset(r, 0, sizeof *r);
  uint32_t magic = 0, ver = 0, ssum = 0, ssam = 0, sreq = 0, end = 0;
  uint64_t n = 0;
  if (kv_wire_get(in, &magic, 4) || kv_wire_get(in, &ver, 4) ||
      kv_wire_get(in, &ssum, 4) || kv_wire_get(in, &ssam, 4) ||
      kv_wire_get(in, &sreq, 4))
    return kv_error_set(err, KV_EIO, "result stream: truncated header"), -1;
  if (magic != RES_MAGIC || ver != RES_VERSION || ssum != sizeof r->summary ||
      ssam != sizeof(kv_sample) || sreq != sizeof(kv_request_result))
    return kv_error_set(err, KV_EPARSE,
                        "result stream: bad header (magic %08x version %u, "
                        "record sizes %u/%u/%u)",
                        magic, ver, ssum, ssam, sreq),
           -1;
  if (kv_wire_get(in, &r->summary, sizeof r->summary) || kv_wire_get(in, &n, 8))
    goto trunc;
  if (n > MAX_ITEMS) goto corrupt;
  if (n) {
    r->timeline.s = kv_xmalloc(n * sizeof(kv_sample));
    r->timeline.n = r->timeline.cap = n;
    if (kv_wire_get(in, r->timeline.s, n * sizeof(kv_sample))) goto trunc;
  }
  if (kv_wire_get(in, &n, 8)) goto trunc;
  if (n > MAX_ITEMS) goto corrupt;
  if (n) {
    r->requests = kv_xmalloc(n * sizeof(kv_request_result));
    r->n_requests = n;
    if (kv_wire_get(in, r->requests, n * sizeof(kv_request_result))) goto trunc;
  }
  if (kv_wire_get(in, r->strategy, sizeof r->strategy) ||
      kv_wire_get(in, r->backend, sizeof r->backend) ||
      kv_wire_get(in, &r->seed, 8) ||
      kv_wire_get(in, &r->tier, sizeof r->tier) || kv_wire_get(in, &end, 4))
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
  kv_wire_reader in = {.fd = fd};
  return kv_wire_get_result(&in, r, err);
}

#define RESULTS_MAGIC 0x4b56524eu /* "KVRN": n results */

unsigned char *kv_results_encode(const kv_result *r, size_t n, size_t *len) {
  kv_wire_writer w = {.fd = -1};
  kv_wire_put_u32(&w, RESULTS_MAGIC);
  kv_wire_put_u64(&w, n);
  for (size_t i = 0; i < n; i++)
    write_result(&w, &r[i]);
  *len = w.len;
  return w.buf;
}

int kv_results_decode(const unsigned char *buf, size_t len, kv_result *out,
                      size_t n, kv_error *err) {
  kv_wire_reader in = {.fd = -1, .buf = buf, .len = len};
  uint32_t magic = 0;
  uint64_t m = 0;
  memset(out, 0, n * sizeof *out);
  if (kv_wire_get(&in, &magic, 4) || kv_wire_get(&in, &m, 8) ||
      magic != RESULTS_MAGIC)
    return kv_error_set(err, KV_EPARSE, "results: bad header"), -1;
  if (m != n)
    return kv_error_set(err, KV_EPARSE,
                        "results: %llu results where %zu were expected",
                        (unsigned long long)m, n),
           -1;
  for (size_t i = 0; i < n; i++)
    if (kv_wire_get_result(&in, &out[i], err) != 0) {
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
