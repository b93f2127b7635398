/* trace_read.c - what every trace reader shares: a file read one line at a
 * time (getline: memory is what the workload keeps), text checks, the
 * growing request and hash-id arrays, and kv_workload_load_opts, which
 * detects the format and hands the file to its reader.
 * Main entry points: kv_workload_load(), kv_workload_load_opts().
 */
#define _GNU_SOURCE /* memmem, getline */
#include "trace_read.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* ---- growable request / hash arrays ----------------------------------- */

kv_request_spec *kv_trace_push(kv_trace_builder *b) {
  if (b->n == b->cap) {
    b->cap = b->cap ? b->cap * 2 : 1024;
    b->reqs = kv_xrealloc(b->reqs, b->cap * sizeof *b->reqs);
  }
  kv_request_spec *r = &b->reqs[b->n++];
  memset(r, 0, sizeof *r);
  return r;
}

/* Room for k ids of the line being read (not yet committed). */
uint32_t *kv_trace_hash_reserve(kv_trace_builder *b, size_t k) {
  if (k > b->cap_ids) {
    b->cap_ids = KV_MAX(k, 2 * b->cap_ids);
    b->ids = kv_xrealloc(b->ids, b->cap_ids * sizeof *b->ids);
  }
  return b->ids;
}

/* Encode the k ids read into the arena as request r's. */
void kv_trace_hash_commit(kv_trace_builder *b, kv_request_spec *r, size_t k) {
  if (b->n_bytes + k * KV_HASH_MAX_BYTES > b->cap_bytes) {
    size_t c = b->cap_bytes ? b->cap_bytes : 16384;
    while (c < b->n_bytes + k * KV_HASH_MAX_BYTES)
      c *= 2;
    b->bytes = kv_xrealloc(b->bytes, c);
    b->cap_bytes = c;
  }
  r->hash_off = b->n_bytes;
  b->n_bytes += kv_hash_encode(b->ids, k, b->bytes + b->n_bytes);
  b->n_hashes += k;
}

void kv_trace_builder_free(kv_trace_builder *b) {
  free(b->reqs);
  free(b->ids);
  free(b->bytes);
}

/* Stable merge sort of requests by arrival (traces are usually sorted
 * already; then this is one linear check). */
static void sort_by_arrival(kv_request_spec *r, size_t n) {
  size_t i;
  for (i = 1; i < n; i++)
    if (r[i].arrival < r[i - 1].arrival) break;
  if (i >= n) return;
  kv_request_spec *tmp = kv_xmalloc(n * sizeof *tmp);
  kv_request_spec *src = r, *dst = tmp;
  for (size_t width = 1; width < n; width *= 2) {
    for (size_t lo = 0; lo < n; lo += 2 * width) {
      size_t mid = KV_MIN(lo + width, n), hi = KV_MIN(lo + 2 * width, n);
      size_t a = lo, b = mid, k = lo;
      while (a < mid && b < hi)
        dst[k++] = src[b].arrival < src[a].arrival ? src[b++] : src[a++];
      while (a < mid)
        dst[k++] = src[a++];
      while (b < hi)
        dst[k++] = src[b++];
    }
    kv_request_spec *t = src;
    src = dst;
    dst = t;
  }
  if (src != r) memcpy(r, src, n * sizeof *r);
  free(tmp);
}

/* Sort, rebase arrivals on the first request and hand the arrays over,
 * trimmed to their size (the builder doubles them while reading). */
void kv_trace_finish(kv_trace_builder *b, kv_workload *w,
                     uint32_t block_tokens) {
  if (b->reqs && b->n < b->cap)
    b->reqs = kv_xrealloc(b->reqs, (b->n ? b->n : 1) * sizeof *b->reqs);
  if (b->bytes && b->n_bytes < b->cap_bytes)
    b->bytes = kv_xrealloc(b->bytes, b->n_bytes ? b->n_bytes : 1);
  free(b->ids);
  sort_by_arrival(b->reqs, b->n);
  double t0 = b->n ? b->reqs[0].arrival : 0.0;
  for (size_t i = 0; i < b->n; i++)
    b->reqs[i].arrival -= t0;
  kv_workload_free(w);
  w->reqs = b->reqs;
  w->n = b->n;
  w->hash_bytes = b->bytes;
  w->n_hash_bytes = b->n_bytes;
  w->n_hashes = b->n_hashes;
  w->hash_block_tokens = block_tokens;
  memset(b, 0, sizeof *b);
}

/* ---- file reading ------------------------------------------------------ */

kv_status kv_line_open(kv_line_src *src, const char *path, kv_error *err) {
  memset(src, 0, sizeof *src);
  src->path = path;
  src->f = fopen(path, "rb");
  if (!src->f)
    return kv_error_set(err, KV_EIO, "%s: cannot open: %s", path,
                        strerror(errno));
  return KV_OK;
}

void kv_line_close(kv_line_src *src) {
  if (src->f) fclose(src->f);
  free(src->buf);
  memset(src, 0, sizeof *src);
}

int kv_line_next(kv_line_src *src, const char **s, const char **e) {
  if (src->held) {
    src->held = 0;
    *s = src->s;
    *e = src->e;
    return 1;
  }
  errno = 0;
  ssize_t n = getline(&src->buf, &src->cap, src->f);
  if (n < 0) {
    if (ferror(src->f)) src->err = errno ? errno : EIO;
    return 0;
  }
  const char *p = src->buf, *end = src->buf + n;
  if (end > p && end[-1] == '\n') end--;
  if (end > p && end[-1] == '\r') end--;
  if (src->lineno == 0 && end - p >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
    p += 3;
  src->lineno++;
  *s = src->s = p;
  *e = src->e = end;
  return 1;
}

/* A read error that ended the loop early. */
kv_status kv_line_check(const kv_line_src *src, kv_error *err) {
  if (!src->err) return KV_OK;
  return kv_error_set(err, KV_EIO, "%s:%zu: read error: %s", src->path,
                      src->lineno + 1, strerror(src->err));
}

int kv_line_blank(const char *s, const char *e) {
  for (; s < e; s++)
    if (*s != ' ' && *s != '\t' && *s != '\r') return 0;
  return 1;
}

/* Returns the offset of the first byte that is not valid UTF-8 text
 * (control characters other than tab count as binary), or -1. */
static long bad_text_offset(const char *s, const char *e) {
  const unsigned char *p = (const unsigned char *)s,
                      *end = (const unsigned char *)e;
  while (p < end) {
    unsigned c = *p;
    if (c < 0x80) {
      if (c < 0x20 && c != '\t' && c != '\r')
        return (long)(p - (const unsigned char *)s);
      p++;
      continue;
    }
    int k = c >= 0xf0 && c <= 0xf4 ? 3 : c >= 0xe0 ? 2 : c >= 0xc2 ? 1 : -1;
    if (c > 0xf4) k = -1;
    if (k < 0 || end - p <= k) return (long)(p - (const unsigned char *)s);
    for (int i = 1; i <= k; i++)
      if ((p[i] & 0xc0) != 0x80) return (long)(p - (const unsigned char *)s);
    p += k + 1;
  }
  return -1;
}

kv_status kv_line_check_text(const char *path, size_t lineno, const char *s,
                             const char *e, kv_error *err) {
  long off = bad_text_offset(s, e);
  if (off < 0) return KV_OK;
  return kv_error_set(err, KV_EPARSE,
                      "%s:%zu: binary or non-UTF-8 data (byte 0x%02x at "
                      "column %ld)",
                      path, lineno, (unsigned char)s[off], off + 1);
}

/* ---- entry points ------------------------------------------------------ */

kv_status kv_workload_load_azure(const char *path, kv_workload *w,
                                 kv_error *err) {
  kv_trace_opts o = {.format = KV_TRACE_AZURE};
  return kv_workload_load_opts(path, &o, w, err);
}

kv_status kv_workload_load_mooncake(const char *path, kv_workload *w,
                                    kv_error *err) {
  kv_trace_opts o = {.format = KV_TRACE_BLOCKHASH};
  return kv_workload_load_opts(path, &o, w, err);
}

kv_status kv_workload_load(const char *path, kv_workload *w, kv_error *err) {
  return kv_workload_load_opts(path, NULL, w, err);
}

kv_status kv_workload_load_opts(const char *path, const kv_trace_opts *opts,
                                kv_workload *w, kv_error *err) {
  kv_trace_opts o = {0};
  if (opts) o = *opts;
  if (o.format != KV_TRACE_BLOCKHASH && o.format != KV_TRACE_AUTO &&
      (o.hash_block || o.time_scale != 0 || o.time_field || o.input_field ||
       o.output_field || o.hash_field))
    return kv_error_set(err, KV_EINVAL,
                        "trace options hash_block, time_scale and the field "
                        "names are for block-hash JSONL only");
  if (o.format != KV_TRACE_BURSTGPT && o.format != KV_TRACE_AUTO && o.model)
    return kv_error_set(err, KV_EINVAL,
                        "trace option 'model' is for BurstGPT CSV only");
  kv_line_src src;
  kv_status st = kv_line_open(&src, path, err);
  if (st) return st;
  kv_trace_format fmt = o.format;
  if (fmt == KV_TRACE_AUTO) {
    const char *s, *e;
    int found = 0;
    while (kv_line_next(&src, &s, &e)) {
      if (kv_line_blank(s, e)) continue;
      found = 1;
      break;
    }
    if (!found) {
      if (!(st = kv_line_check(&src, err)))
        st = kv_error_set(err, KV_EPARSE, "%s: empty file", path);
    } else if ((st = kv_line_check_text(path, src.lineno, s, e, err)) !=
               KV_OK) {
      /* the message already names file:line and the offending byte */
    } else if (memmem(s, (size_t)(e - s), "ContextTokens", 13)) {
      fmt = KV_TRACE_AZURE;
    } else if (memmem(s, (size_t)(e - s), "Request tokens", 14)) {
      fmt = KV_TRACE_BURSTGPT;
    } else {
      while (s < e && (*s == ' ' || *s == '\t'))
        s++;
      if (*s == '{')
        fmt = KV_TRACE_BLOCKHASH;
      else
        st = kv_error_set(err, KV_EPARSE,
                          "%s:%zu: unknown trace format (expected an Azure "
                          "CSV header with ContextTokens, a BurstGPT header "
                          "with Request tokens or JSON lines starting with "
                          "'{')",
                          path, src.lineno);
    }
    src.held = 1; /* the reader starts at this line */
    if (st == KV_OK && fmt != KV_TRACE_BLOCKHASH &&
        (o.hash_block || o.time_scale != 0 || o.time_field || o.input_field ||
         o.output_field || o.hash_field))
      st = kv_error_set(err, KV_EINVAL,
                        "%s: trace options hash_block, time_scale and the "
                        "field names are for block-hash JSONL only",
                        path);
    if (st == KV_OK && fmt != KV_TRACE_BURSTGPT && o.model)
      st = kv_error_set(err, KV_EINVAL,
                        "%s: trace option 'model' is for BurstGPT CSV only",
                        path);
  }
  if (st == KV_OK) {
    switch (fmt) {
    case KV_TRACE_AZURE: st = kv_trace_load_azure(&src, w, err); break;
    case KV_TRACE_BURSTGPT:
      st = kv_trace_load_burstgpt(&src, &o, w, err);
      break;
    case KV_TRACE_BLOCKHASH:
      st = kv_trace_load_blockhash(&src, &o, w, err);
      break;
    default:
      st = kv_error_set(err, KV_EINVAL, "trace format %d is not known",
                        (int)fmt);
    }
  }
  kv_line_close(&src);
  return st;
}
