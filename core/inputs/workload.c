/* workload.c - request streams read from real traces, plus the operations
 * shared by every workload (slice, rate scaling, statistics).
 *
 * Formats: the Azure LLM inference CSV (TIMESTAMP, ContextTokens,
 * GeneratedTokens; columns found by header name; 2023 and the 2024
 * week-long traces), BurstGPT's CSV (Timestamp, Model, Request tokens,
 * Response tokens, Log Type; failed rows counted, not kept) and block-hash
 * JSONL (Mooncake: timestamp in ms, input_length, output_length, hash_ids
 * of 512-token prefix blocks; qwen-bailian: the same fields, seconds and
 * 16-token blocks; field names, units and block size are options). Files
 * are read line by line (getline), so memory is what the workload keeps.
 * The synthetic generators live in workload_synth.c.
 * Main entry points: kv_workload_load(), kv_workload_load_opts().
 */
#define _GNU_SOURCE /* memmem, getline */
#include "workload.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#ifdef __GLIBC__
#include <malloc.h> /* malloc_usable_size */
#endif

#include "util.h"

#define MOONCAKE_BLOCK_TOKENS 512
#define TRACE_MAX_BLOCK (1u << 20)

void kv_workload_init(kv_workload *w) {
  memset(w, 0, sizeof *w);
}

void kv_workload_free(kv_workload *w) {
  if (!w) return;
  free(w->reqs);
  free(w->hash_bytes);
  free(w->session);
  kv_workload_init(w);
}

static size_t block_bytes(const void *p, size_t want) {
#ifdef __GLIBC__
  (void)want;
  return p ? malloc_usable_size((void *)p) : 0;
#else
  return p ? want : 0;
#endif
}

size_t kv_workload_bytes(const kv_workload *w) {
  return block_bytes(w->reqs, w->n * sizeof *w->reqs) +
         block_bytes(w->hash_bytes, w->n_hash_bytes) +
         block_bytes(w->session, w->n * sizeof *w->session);
}

/* ---- hash id coding ----------------------------------------------------- */

size_t kv_hash_encode(const uint32_t *ids, size_t n, uint8_t *out) {
  uint8_t *o = out;
  int64_t prev = 0;
  for (size_t i = 0; i < n; i++) {
    int64_t d = (int64_t)ids[i] - prev;
    uint64_t z = ((uint64_t)d << 1) ^ (uint64_t)(d >> 63); /* zigzag */
    prev = ids[i];
    while (z >= 0x80) {
      *o++ = (uint8_t)(z | 0x80);
      z >>= 7;
    }
    *o++ = (uint8_t)z;
  }
  return (size_t)(o - out);
}

size_t kv_hash_decode(const uint8_t *in, size_t n, uint32_t *ids) {
  const uint8_t *p = in;
  int64_t prev = 0;
  for (size_t i = 0; i < n; i++) {
    uint64_t z = 0;
    for (unsigned sh = 0;; sh += 7) {
      uint8_t c = *p++;
      z |= (uint64_t)(c & 0x7f) << sh;
      if (!(c & 0x80)) break;
    }
    prev += (int64_t)(z >> 1) ^ -(int64_t)(z & 1);
    ids[i] = (uint32_t)prev;
  }
  return (size_t)(p - in);
}

size_t kv_hash_span(const uint8_t *in, size_t n) {
  const uint8_t *p = in;
  for (size_t i = 0; i < n; i++)
    while (*p++ & 0x80) {
    }
  return (size_t)(p - in);
}

uint32_t kv_workload_ids(const kv_workload *w, size_t i, uint32_t *ids) {
  const kv_request_spec *q = &w->reqs[i];
  uint32_t n = q->hash_n + q->gen_n;
  if (n) kv_hash_decode(w->hash_bytes + q->hash_off, n, ids);
  return n;
}

void kv_workload_set_ids(kv_workload *w, const uint32_t *ids, size_t n) {
  uint8_t *b = kv_xmalloc(n * KV_HASH_MAX_BYTES + 1);
  size_t at = 0;
  for (size_t i = 0; i < w->n; i++) {
    kv_request_spec *q = &w->reqs[i];
    size_t first = (size_t)q->hash_off;
    q->hash_off = at;
    at += kv_hash_encode(ids + first, (size_t)q->hash_n + q->gen_n, b + at);
  }
  free(w->hash_bytes);
  w->hash_bytes = kv_xrealloc(b, at ? at : 1);
  w->n_hash_bytes = at;
  w->n_hashes = n;
}

/* ---- growable request / hash arrays ----------------------------------- */

/* Hash ids are read into `ids` one request at a time, then encoded into
 * the byte arena `bytes` (wl_hash_commit). */
typedef struct wl_builder {
  kv_request_spec *reqs;
  size_t n, cap;
  uint32_t *ids; /* the line being read */
  size_t cap_ids;
  uint8_t *bytes;
  size_t n_bytes, cap_bytes;
  size_t n_hashes; /* ids committed */
} wl_builder;

static kv_request_spec *wl_push(wl_builder *b) {
  if (b->n == b->cap) {
    b->cap = b->cap ? b->cap * 2 : 1024;
    b->reqs = kv_xrealloc(b->reqs, b->cap * sizeof *b->reqs);
  }
  kv_request_spec *r = &b->reqs[b->n++];
  memset(r, 0, sizeof *r);
  return r;
}

/* Room for k ids of the line being read (not yet committed). */
static uint32_t *wl_hash_reserve(wl_builder *b, size_t k) {
  if (k > b->cap_ids) {
    b->cap_ids = KV_MAX(k, 2 * b->cap_ids);
    b->ids = kv_xrealloc(b->ids, b->cap_ids * sizeof *b->ids);
  }
  return b->ids;
}

/* Encode the k ids read into the arena as request r's. */
static void wl_hash_commit(wl_builder *b, kv_request_spec *r, size_t k) {
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

static void wl_builder_free(wl_builder *b) {
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
static void wl_finish(wl_builder *b, kv_workload *w, uint32_t block_tokens) {
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

/* A file read one line at a time, counting lines from 1; a line is
 * [s, e) without its newline and without a trailing '\r', and the first
 * line without a UTF-8 byte-order mark. `held` makes the next call return
 * the current line again (format detection peeks at the first one). */
typedef struct line_src {
  FILE *f;
  const char *path;
  char *buf;
  size_t cap;
  size_t lineno;
  const char *s, *e;
  int held;
  int err; /* errno of a read error, 0 if none */
} line_src;

static kv_status src_open(line_src *src, const char *path, kv_error *err) {
  memset(src, 0, sizeof *src);
  src->path = path;
  src->f = fopen(path, "rb");
  if (!src->f)
    return kv_error_set(err, KV_EIO, "%s: cannot open: %s", path,
                        strerror(errno));
  return KV_OK;
}

static void src_close(line_src *src) {
  if (src->f) fclose(src->f);
  free(src->buf);
  memset(src, 0, sizeof *src);
}

static int next_line(line_src *src, const char **s, const char **e) {
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
static kv_status src_check(const line_src *src, kv_error *err) {
  if (!src->err) return KV_OK;
  return kv_error_set(err, KV_EIO, "%s:%zu: read error: %s", src->path,
                      src->lineno + 1, strerror(src->err));
}

static int is_blank(const char *s, const char *e) {
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

static kv_status check_text(const char *path, size_t lineno, const char *s,
                            const char *e, kv_error *err) {
  long off = bad_text_offset(s, e);
  if (off < 0) return KV_OK;
  return kv_error_set(err, KV_EPARSE,
                      "%s:%zu: binary or non-UTF-8 data (byte 0x%02x at "
                      "column %ld)",
                      path, lineno, (unsigned char)s[off], off + 1);
}

/* ---- Azure CSV --------------------------------------------------------- */

#define CSV_MAX_FIELDS 64

typedef struct field {
  const char *s, *e;
} field;

static void trim(field *f) {
  while (f->s < f->e && (*f->s == ' ' || *f->s == '\t'))
    f->s++;
  while (f->e > f->s && (f->e[-1] == ' ' || f->e[-1] == '\t'))
    f->e--;
  if (f->e - f->s >= 2 && *f->s == '"' && f->e[-1] == '"') {
    f->s++;
    f->e--;
  }
}

static size_t split_csv(const char *s, const char *e, field *out) {
  size_t n = 0;
  const char *start = s;
  for (const char *p = s;; p++) {
    if (p == e || *p == ',') {
      if (n < CSV_MAX_FIELDS) {
        out[n].s = start;
        out[n].e = p;
        trim(&out[n]);
      }
      n++;
      if (p == e) break;
      start = p + 1;
    }
  }
  return n;
}

static int field_is(const field *f, const char *name) {
  size_t n = strlen(name);
  return (size_t)(f->e - f->s) == n && strncasecmp(f->s, name, n) == 0;
}

/* Unsigned decimal integer that fits 32 bits; 0 on success. */
static int parse_u32(const field *f, uint32_t *v) {
  if (f->s == f->e) return -1;
  uint64_t x = 0;
  for (const char *p = f->s; p < f->e; p++) {
    if (*p < '0' || *p > '9') return -1;
    x = x * 10 + (uint64_t)(*p - '0');
    if (x > UINT32_MAX) return -1;
  }
  *v = (uint32_t)x;
  return 0;
}

/* Two token counts of one CSV row (input, then output), each a
 * non-negative integer; the error names the file, line and column. */
static kv_status parse_counts(const char *path, size_t line, const field *a,
                              const char *an, uint32_t *av, const field *b,
                              const char *bn, uint32_t *bv, kv_error *err) {
  const field *bad = parse_u32(a, av) ? a : parse_u32(b, bv) ? b : NULL;
  if (!bad) return KV_OK;
  return kv_error_set(err, KV_EPARSE,
                      "%s:%zu: %s: bad token count '%.*s' (expected a "
                      "non-negative integer)",
                      path, line, bad == a ? an : bn,
                      (int)KV_MIN(bad->e - bad->s, 64), bad->s);
}

static int parse_digits(const char **p, const char *e, int n, int *v) {
  int x = 0;
  for (int i = 0; i < n; i++, (*p)++) {
    if (*p >= e || **p < '0' || **p > '9') return -1;
    x = x * 10 + (**p - '0');
  }
  *v = x;
  return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/* "YYYY-MM-DD HH:MM:SS[.frac][Z|+HH:MM|-HH:MM]" (or 'T' between date and
 * time) -> whole seconds since the epoch and a fraction; or a plain
 * number of seconds. Returns 0 on success. */
static int parse_time(const field *f, int64_t *sec, double *frac) {
  const char *p = f->s, *e = f->e;
  int y, mo, d, h, mi, s;
  if (e - p >= 19 && p[4] == '-') {
    if (parse_digits(&p, e, 4, &y) || *p++ != '-' ||
        parse_digits(&p, e, 2, &mo) || *p++ != '-' ||
        parse_digits(&p, e, 2, &d) || (*p != ' ' && *p != 'T'))
      return -1;
    p++;
    if (parse_digits(&p, e, 2, &h) || *p++ != ':' ||
        parse_digits(&p, e, 2, &mi) || *p++ != ':' ||
        parse_digits(&p, e, 2, &s))
      return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
      return -1;
    double fr = 0.0, scale = 0.1;
    if (p < e && *p == '.') {
      p++;
      if (p >= e || *p < '0' || *p > '9') return -1;
      for (; p < e && *p >= '0' && *p <= '9'; p++, scale *= 0.1)
        fr += (*p - '0') * scale;
    }
    int64_t off = 0;
    if (p < e && *p == 'Z') {
      p++;
    } else if (p < e && (*p == '+' || *p == '-')) {
      int sign = *p++ == '-' ? -1 : 1, oh, om = 0;
      if (parse_digits(&p, e, 2, &oh)) return -1;
      if (p < e && *p == ':') p++;
      if (p < e && parse_digits(&p, e, 2, &om)) return -1;
      off = sign * (oh * 3600 + om * 60);
    }
    if (p != e) return -1;
    *sec = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - off;
    *frac = fr;
    return 0;
  }
  /* plain seconds */
  char tmp[64];
  size_t n = (size_t)(e - p);
  if (n == 0 || n >= sizeof tmp) return -1;
  memcpy(tmp, p, n);
  tmp[n] = '\0';
  char *end;
  double v = strtod(tmp, &end);
  /* |v| < 1e15 s (30 million years): the int64 conversion below and the
   * differences between timestamps cannot overflow */
  if (*end || !isfinite(v) || fabs(v) >= 1e15) return -1;
  *sec = (int64_t)floor(v);
  *frac = v - (double)*sec;
  return 0;
}

static kv_status load_azure_src(line_src *src, kv_workload *w, kv_error *err) {
  const char *path = src->path;
  const char *s, *e;
  field f[CSV_MAX_FIELDS];
  int have_header = 0;
  size_t ncols = 0;
  long c_ts = -1, c_ctx = -1, c_gen = -1;
  while (!have_header && next_line(src, &s, &e)) {
    kv_status cs = check_text(path, src->lineno, s, e, err);
    if (cs) return cs;
    if (is_blank(s, e)) continue;
    ncols = split_csv(s, e, f);
    if (ncols > CSV_MAX_FIELDS)
      return kv_error_set(err, KV_EPARSE, "%s:%zu: more than %d columns", path,
                          src->lineno, CSV_MAX_FIELDS);
    for (size_t i = 0; i < ncols; i++) {
      if (field_is(&f[i], "TIMESTAMP")) c_ts = (long)i;
      if (field_is(&f[i], "ContextTokens")) c_ctx = (long)i;
      if (field_is(&f[i], "GeneratedTokens")) c_gen = (long)i;
    }
    const char *missing = c_ts < 0    ? "TIMESTAMP"
                          : c_ctx < 0 ? "ContextTokens"
                          : c_gen < 0 ? "GeneratedTokens"
                                      : NULL;
    if (missing)
      return kv_error_set(err, KV_EPARSE,
                          "%s:%zu: header has no column '%s' (expected "
                          "TIMESTAMP,ContextTokens,GeneratedTokens)",
                          path, src->lineno, missing);
    have_header = 1;
  }
  if (!have_header) {
    kv_status rs = src_check(src, err);
    if (rs) return rs;
    return kv_error_set(err, KV_EPARSE, "%s: empty file (no CSV header)", path);
  }

  wl_builder b = {0};
  int64_t base = 0;
  int have_base = 0;
  long need = KV_MAX(c_ts, KV_MAX(c_ctx, c_gen));
  kv_status st = KV_OK;
  while (next_line(src, &s, &e)) {
    if ((st = check_text(path, src->lineno, s, e, err))) break;
    if (is_blank(s, e)) continue;
    size_t nf = split_csv(s, e, f);
    if ((long)nf <= need) {
      const char *col = (long)nf <= c_ts    ? "TIMESTAMP"
                        : (long)nf <= c_ctx ? "ContextTokens"
                                            : "GeneratedTokens";
      st = kv_error_set(err, KV_EPARSE,
                        "%s:%zu: missing column '%s' (line has %zu fields, "
                        "header has %zu)",
                        path, src->lineno, col, nf, ncols);
      break;
    }
    int64_t sec;
    double frac;
    if (parse_time(&f[c_ts], &sec, &frac)) {
      st = kv_error_set(err, KV_EPARSE,
                        "%s:%zu: TIMESTAMP: cannot parse '%.*s' (expected "
                        "YYYY-MM-DD HH:MM:SS[.fraction] or seconds)",
                        path, src->lineno,
                        (int)KV_MIN(f[c_ts].e - f[c_ts].s, 64), f[c_ts].s);
      break;
    }
    uint32_t ctx = 0, gen = 0;
    if ((st = parse_counts(path, src->lineno, &f[c_ctx], "ContextTokens", &ctx,
                           &f[c_gen], "GeneratedTokens", &gen, err)))
      break;
    /* GeneratedTokens 0: a prefill-only request (done after prefill) */
    if (ctx < 1) {
      st = kv_error_set(err, KV_EPARSE,
                        "%s:%zu: ContextTokens must be >= 1 (got 0)", path,
                        src->lineno);
      break;
    }
    if (!have_base) {
      base = sec;
      have_base = 1;
    }
    kv_request_spec *r = wl_push(&b);
    r->arrival = (double)(sec - base) + frac;
    r->prompt = ctx;
    r->output = gen;
  }
  if (st == KV_OK) st = src_check(src, err);
  if (st == KV_OK && b.n == 0)
    st = kv_error_set(err, KV_EPARSE, "%s: header but no requests", path);
  if (st != KV_OK) {
    wl_builder_free(&b);
    return st;
  }
  wl_finish(&b, w, 0);
  snprintf(w->source, sizeof w->source, "%s (Azure LLM inference CSV)", path);
  return KV_OK;
}

/* ---- BurstGPT CSV ------------------------------------------------------ */

/* Does [s, e) contain `needle` (ASCII, case-insensitive)? */
static int field_has(const field *f, const char *needle) {
  size_t n = strlen(needle);
  for (const char *p = f->s; p + n <= f->e; p++)
    if (strncasecmp(p, needle, n) == 0) return 1;
  return 0;
}

/* BurstGPT (HPMLL/BurstGPT): Timestamp (s from the start of the trace),
 * Model, Request tokens, Response tokens, Total tokens, Log Type; columns
 * by header name. Rows of another model than o->model, failed rows
 * (Response tokens 0, as the dataset marks failures, or a Log Type that
 * names a failure) and rows with 0 request tokens are counted in the
 * workload's skipped_* fields and not kept. */
static kv_status load_burstgpt_src(line_src *src, const kv_trace_opts *o,
                                   kv_workload *w, kv_error *err) {
  const char *path = src->path;
  const char *s, *e;
  field f[CSV_MAX_FIELDS];
  int have_header = 0;
  size_t ncols = 0;
  long c_ts = -1, c_req = -1, c_resp = -1, c_model = -1, c_log = -1;
  while (!have_header && next_line(src, &s, &e)) {
    kv_status cs = check_text(path, src->lineno, s, e, err);
    if (cs) return cs;
    if (is_blank(s, e)) continue;
    ncols = split_csv(s, e, f);
    if (ncols > CSV_MAX_FIELDS)
      return kv_error_set(err, KV_EPARSE, "%s:%zu: more than %d columns", path,
                          src->lineno, CSV_MAX_FIELDS);
    for (size_t i = 0; i < ncols; i++) {
      if (field_is(&f[i], "Timestamp")) c_ts = (long)i;
      if (field_is(&f[i], "Request tokens")) c_req = (long)i;
      if (field_is(&f[i], "Response tokens")) c_resp = (long)i;
      if (field_is(&f[i], "Model")) c_model = (long)i;
      if (field_is(&f[i], "Log Type")) c_log = (long)i;
    }
    const char *missing = c_ts < 0                    ? "Timestamp"
                          : c_req < 0                 ? "Request tokens"
                          : c_resp < 0                ? "Response tokens"
                          : (o->model && c_model < 0) ? "Model"
                                                      : NULL;
    if (missing)
      return kv_error_set(err, KV_EPARSE,
                          "%s:%zu: header has no column '%s' (expected "
                          "Timestamp,Model,Request tokens,Response tokens,"
                          "Total tokens,Log Type)",
                          path, src->lineno, missing);
    have_header = 1;
  }
  if (!have_header) {
    kv_status rs = src_check(src, err);
    if (rs) return rs;
    return kv_error_set(err, KV_EPARSE, "%s: empty file (no CSV header)", path);
  }
  static const char *const names[] = {"Timestamp", "Request tokens",
                                      "Response tokens", "Model", "Log Type"};
  long cols[] = {c_ts, c_req, c_resp, c_model, c_log};
  wl_builder b = {0};
  size_t failed = 0, other = 0, empty = 0;
  int64_t base = 0;
  int have_base = 0;
  kv_status st = KV_OK;
  while (next_line(src, &s, &e)) {
    if ((st = check_text(path, src->lineno, s, e, err))) break;
    if (is_blank(s, e)) continue;
    size_t nf = split_csv(s, e, f);
    for (int k = 0; k < 5 && !st; k++)
      if (cols[k] >= 0 && (long)nf <= cols[k])
        st = kv_error_set(err, KV_EPARSE,
                          "%s:%zu: missing column '%s' (line has %zu fields, "
                          "header has %zu)",
                          path, src->lineno, names[k], nf, ncols);
    if (st) break;
    int64_t sec;
    double frac;
    if (parse_time(&f[c_ts], &sec, &frac)) {
      st = kv_error_set(err, KV_EPARSE,
                        "%s:%zu: Timestamp: cannot parse '%.*s' (expected "
                        "seconds)",
                        path, src->lineno,
                        (int)KV_MIN(f[c_ts].e - f[c_ts].s, 64), f[c_ts].s);
      break;
    }
    uint32_t req = 0, resp = 0;
    if ((st = parse_counts(path, src->lineno, &f[c_req], "Request tokens", &req,
                           &f[c_resp], "Response tokens", &resp, err)))
      break;
    if (!have_base) {
      base = sec;
      have_base = 1;
    }
    if (o->model && !field_is(&f[c_model], o->model)) {
      other++;
      continue;
    }
    if (resp == 0 || (c_log >= 0 && field_has(&f[c_log], "fail"))) {
      failed++;
      continue;
    }
    if (req == 0) {
      empty++;
      continue;
    }
    kv_request_spec *r = wl_push(&b);
    r->arrival = (double)(sec - base) + frac;
    r->prompt = req;
    r->output = resp;
  }
  if (st == KV_OK) st = src_check(src, err);
  if (st == KV_OK && b.n == 0)
    st =
        kv_error_set(err, KV_EPARSE,
                     "%s: no requests kept (%zu failed, %zu of another model "
                     "than '%s', %zu with 0 request tokens)",
                     path, failed, other, o->model ? o->model : "(any)", empty);
  if (st != KV_OK) {
    wl_builder_free(&b);
    return st;
  }
  wl_finish(&b, w, 0);
  w->skipped_failed = failed;
  w->skipped_model = other;
  w->skipped_empty = empty;
  snprintf(w->source, sizeof w->source,
           "%s (BurstGPT CSV%s%s%s; skipped %zu failed, %zu other-model, %zu "
           "empty rows)",
           path, o->model ? ", model '" : "", o->model ? o->model : "",
           o->model ? "'" : "", failed, other, empty);
  return KV_OK;
}

/* ---- block-hash JSONL (Mooncake, qwen-bailian, ...) -------------------- */

/* Resolved reader options of a block-hash JSONL file. */
typedef struct bh_opts {
  uint32_t block;  /* tokens per hash id */
  double div, mul; /* arrival s = time / div (div > 0) or time * mul */
  const char *unit;
  const char *time, *in, *out, *hash;
  char key[80]; /* "\"<hash>\"" for the fast path, "" = no fast path */
  int mooncake; /* every option at Mooncake's default */
} bh_opts;

static kv_status bh_resolve(const kv_trace_opts *o, bh_opts *r, kv_error *err) {
  memset(r, 0, sizeof *r);
  r->block = o && o->hash_block ? o->hash_block : MOONCAKE_BLOCK_TOKENS;
  double scale = o && o->time_scale != 0 ? o->time_scale : 1e-3;
  r->time = o && o->time_field ? o->time_field : "timestamp";
  r->in = o && o->input_field ? o->input_field : "input_length";
  r->out = o && o->output_field ? o->output_field : "output_length";
  r->hash = o && o->hash_field ? o->hash_field : "hash_ids";
  if (r->block < 1 || r->block > TRACE_MAX_BLOCK)
    return kv_error_set(err, KV_EINVAL,
                        "trace option 'hash_block' must be in [1, %u] tokens "
                        "(got %u)",
                        TRACE_MAX_BLOCK, r->block);
  if (!(scale > 0) || !isfinite(scale))
    return kv_error_set(err, KV_EINVAL,
                        "trace option 'time_scale' must be > 0 s (got %g)",
                        scale);
  const char *const names[] = {r->time, r->in, r->out, r->hash};
  static const char *const opt[] = {"time_field", "input_field", "output_field",
                                    "hash_field"};
  for (int i = 0; i < 4; i++)
    if (!names[i][0])
      return kv_error_set(err, KV_EINVAL, "trace option '%s' is empty", opt[i]);
  /* whole divisors (ms, us) divide, as the Mooncake reader always did */
  double inv = 1.0 / scale;
  if (scale < 1 && fabs(inv - nearbyint(inv)) < 1e-9 * inv)
    r->div = nearbyint(inv);
  else
    r->mul = scale;
  r->unit = scale == 1e-3 ? "ms" : scale == 1 ? "s" : scale == 1e-6 ? "us" : "";
  if (strlen(r->hash) + 3 <= sizeof r->key && !strpbrk(r->hash, "\"\\"))
    snprintf(r->key, sizeof r->key, "\"%s\"", r->hash);
  r->mooncake =
      r->block == MOONCAKE_BLOCK_TOKENS && scale == 1e-3 &&
      !strcmp(r->time, "timestamp") && !strcmp(r->in, "input_length") &&
      !strcmp(r->out, "output_length") && !strcmp(r->hash, "hash_ids");
  return KV_OK;
}

/* The hash_ids arrays dominate a Mooncake file (288,500 integers in the
 * conversation trace); building a JSON object per integer costs more than
 * the rest of the load. So a line whose hash_ids is a plain list of
 * decimal integers has that list read here, and the line handed to jansson
 * with "[]" in its place. Anything unusual takes the plain jansson path,
 * which also produces the error messages. */
typedef struct mc_fast {
  const char *arr_s, *arr_e; /* the "[...]" span in the line */
  size_t n;                  /* integers read into the builder */
} mc_fast;

static const char *skip_ws(const char *p, const char *e) {
  while (p < e && (*p == ' ' || *p == '\t'))
    p++;
  return p;
}

/* Read the hash id list of [s, e) into b's hash storage (not yet
 * committed). Returns 1 on success, 0 to fall back to jansson. */
static int mc_fast_scan(const char *s, const char *e, const char *key,
                        wl_builder *b, mc_fast *f) {
  size_t klen = strlen(key);
  if (!klen) return 0;
  const char *p = memmem(s, (size_t)(e - s), key, klen);
  if (!p) return 0;
  p = skip_ws(p + klen, e);
  if (p >= e || *p != ':') return 0;
  p = skip_ws(p + 1, e);
  if (p >= e || *p != '[') return 0;
  f->arr_s = p;
  const char *q = memchr(p, ']', (size_t)(e - p));
  if (!q) return 0;
  uint32_t *dst = wl_hash_reserve(b, (size_t)(q - p) / 2 + 1);
  size_t n = 0;
  p = skip_ws(p + 1, q);
  while (p < q) {
    if (*p < '0' || *p > '9' ||
        (*p == '0' && p + 1 < q && p[1] >= '0' && p[1] <= '9'))
      return 0;
    uint64_t x = 0;
    for (; p < q && *p >= '0' && *p <= '9'; p++) {
      x = x * 10 + (uint64_t)(*p - '0');
      if (x > UINT32_MAX) return 0;
    }
    dst[n++] = (uint32_t)x;
    p = skip_ws(p, q);
    if (p < q) {
      if (*p != ',') return 0;
      p = skip_ws(p + 1, q);
      if (p >= q) return 0; /* trailing comma */
    }
  }
  f->arr_e = q + 1;
  f->n = n;
  return 1;
}

static kv_status mc_field_uint(const char *path, size_t lineno, json_t *obj,
                               const char *key, json_int_t min, uint32_t *v,
                               kv_error *err) {
  json_t *j = json_object_get(obj, key);
  if (!j)
    return kv_error_set(err, KV_EPARSE, "%s:%zu: missing field '%s'", path,
                        lineno, key);
  if (!json_is_integer(j))
    return kv_error_set(err, KV_EPARSE, "%s:%zu: field '%s' must be an integer",
                        path, lineno, key);
  json_int_t x = json_integer_value(j);
  if (x < min || x > (json_int_t)UINT32_MAX)
    return kv_error_set(err, KV_EPARSE, "%s:%zu: %s must be >= %lld (got %lld)",
                        path, lineno, key, (long long)min, (long long)x);
  *v = (uint32_t)x;
  return KV_OK;
}

/* One parsed line -> one request. `fast` holds the pre-read hash ids
 * (then the object's hash field is the empty placeholder) or is NULL. */
static kv_status mc_line(const char *path, size_t lineno, json_t *o,
                         const mc_fast *fast, const bh_opts *bo, wl_builder *b,
                         kv_error *err) {
  if (!json_is_object(o))
    return kv_error_set(err, KV_EPARSE, "%s:%zu: not a JSON object", path,
                        lineno);
  json_t *ts = json_object_get(o, bo->time);
  if (!ts)
    return kv_error_set(err, KV_EPARSE, "%s:%zu: missing field '%s'", path,
                        lineno, bo->time);
  if (!json_is_number(ts) || !isfinite(json_number_value(ts)))
    return kv_error_set(err, KV_EPARSE,
                        "%s:%zu: field '%s' must be a number (%s)", path,
                        lineno, bo->time, bo->unit[0] ? bo->unit : "time");
  uint32_t in, out;
  kv_status st;
  /* output_length 0: a prefill-only request */
  if ((st = mc_field_uint(path, lineno, o, bo->in, 1, &in, err)) ||
      (st = mc_field_uint(path, lineno, o, bo->out, 0, &out, err)))
    return st;
  json_t *h = json_object_get(o, bo->hash);
  size_t nh = 0;
  if (h) {
    if (!json_is_array(h))
      return kv_error_set(err, KV_EPARSE, "%s:%zu: field '%s' must be an array",
                          path, lineno, bo->hash);
    nh = fast ? fast->n : json_array_size(h);
    size_t want = KV_DIV_CEIL((size_t)in, (size_t)bo->block);
    if (nh != want)
      return kv_error_set(err, KV_EPARSE,
                          "%s:%zu: %s has %zu entries but %s %u needs "
                          "ceil(%u/%u) = %zu",
                          path, lineno, bo->hash, nh, bo->in, in, in, bo->block,
                          want);
    if (!fast) {
      uint32_t *dst = wl_hash_reserve(b, nh);
      for (size_t i = 0; i < nh; i++) {
        json_t *v = json_array_get(h, i);
        json_int_t x = json_is_integer(v) ? json_integer_value(v) : -1;
        if (x < 0 || x > (json_int_t)UINT32_MAX)
          return kv_error_set(err, KV_EPARSE,
                              "%s:%zu: %s[%zu] must be an integer in "
                              "[0, 2^32)",
                              path, lineno, bo->hash, i);
        dst[i] = (uint32_t)x;
      }
    }
  }
  kv_request_spec *r = wl_push(b);
  double t = json_number_value(ts);
  r->arrival = bo->div > 0 ? t / bo->div : t * bo->mul;
  r->prompt = in;
  r->output = out;
  r->hash_n = (uint32_t)nh;
  wl_hash_commit(b, r, nh);
  return KV_OK;
}

static kv_status load_blockhash_src(line_src *src, const kv_trace_opts *o,
                                    kv_workload *w, kv_error *err) {
  const char *path = src->path;
  bh_opts bo;
  kv_status st = bh_resolve(o, &bo, err);
  if (st) return st;
  const char *s, *e;
  wl_builder b = {0};
  char *scratch = NULL;
  size_t scratch_cap = 0;
  while (next_line(src, &s, &e)) {
    if (is_blank(s, e)) continue;
    json_error_t je;
    json_t *obj = NULL;
    mc_fast fast;
    int use_fast = mc_fast_scan(s, e, bo.key, &b, &fast);
    if (use_fast) {
      size_t head = (size_t)(fast.arr_s - s), tail = (size_t)(e - fast.arr_e);
      if (head + tail + 2 > scratch_cap) {
        scratch_cap = (head + tail + 2) * 2;
        scratch = kv_xrealloc(scratch, scratch_cap);
      }
      memcpy(scratch, s, head);
      memcpy(scratch + head, "[]", 2);
      memcpy(scratch + head + 2, fast.arr_e, tail);
      obj = json_loadb(scratch, head + 2 + tail, 0, &je);
      json_t *h = obj ? json_object_get(obj, bo.hash) : NULL;
      if (!h || !json_is_array(h) || json_array_size(h) != 0) {
        json_decref(obj); /* odd line: let jansson read it whole */
        obj = NULL;
        use_fast = 0;
      }
    }
    if (!obj) obj = json_loadb(s, (size_t)(e - s), 0, &je);
    if (!obj) {
      st = kv_error_set(err, KV_EPARSE, "%s:%zu:%d: %s", path, src->lineno,
                        je.column, je.text);
      break;
    }
    st = mc_line(path, src->lineno, obj, use_fast ? &fast : NULL, &bo, &b, err);
    json_decref(obj);
    if (st) break;
    if (b.n_hashes > UINT32_MAX) {
      st = kv_error_set(err, KV_EPARSE, "%s:%zu: more than 2^32 hash ids", path,
                        src->lineno);
      break;
    }
  }
  free(scratch);
  if (st == KV_OK) st = src_check(src, err);
  if (st == KV_OK && b.n == 0)
    st = kv_error_set(err, KV_EPARSE, "%s: empty file (no JSON lines)", path);
  if (st != KV_OK) {
    wl_builder_free(&b);
    return st;
  }
  wl_finish(&b, w, bo.block);
  if (bo.mooncake)
    snprintf(w->source, sizeof w->source,
             "%s (Mooncake JSONL, %d-token blocks)", path,
             MOONCAKE_BLOCK_TOKENS);
  else
    snprintf(w->source, sizeof w->source,
             "%s (block-hash JSONL, %u-token blocks, %s in %g s)", path,
             bo.block, bo.time, bo.div > 0 ? 1.0 / bo.div : bo.mul);
  return KV_OK;
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
  line_src src;
  kv_status st = src_open(&src, path, err);
  if (st) return st;
  kv_trace_format fmt = o.format;
  if (fmt == KV_TRACE_AUTO) {
    const char *s, *e;
    int found = 0;
    while (next_line(&src, &s, &e)) {
      if (is_blank(s, e)) continue;
      found = 1;
      break;
    }
    if (!found) {
      if (!(st = src_check(&src, err)))
        st = kv_error_set(err, KV_EPARSE, "%s: empty file", path);
    } else if ((st = check_text(path, src.lineno, s, e, err)) != KV_OK) {
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
    case KV_TRACE_AZURE: st = load_azure_src(&src, w, err); break;
    case KV_TRACE_BURSTGPT: st = load_burstgpt_src(&src, &o, w, err); break;
    case KV_TRACE_BLOCKHASH: st = load_blockhash_src(&src, &o, w, err); break;
    default:
      st = kv_error_set(err, KV_EINVAL, "trace format %d is not known",
                        (int)fmt);
    }
  }
  src_close(&src);
  return st;
}

/* ---- slice, rate scaling, statistics ------------------------------------ */

void kv_workload_slice(kv_workload *w, size_t first, size_t n) {
  if (first > w->n) first = w->n;
  if (n > w->n - first) n = w->n - first;
  memmove(w->reqs, w->reqs + first, n * sizeof *w->reqs);
  if (w->session)
    memmove(w->session, w->session + first, n * sizeof *w->session);
  w->n = n;
  /* rebase arrivals so the slice starts at 0 */
  double t0 = n ? w->reqs[0].arrival : 0.0;
  size_t nh = 0, nb = 0;
  for (size_t i = 0; i < n; i++) {
    kv_request_spec *r = &w->reqs[i];
    r->arrival -= t0;
    nh += (size_t)r->hash_n + r->gen_n;
    if (w->hash_bytes)
      nb += kv_hash_span(w->hash_bytes + r->hash_off,
                         (size_t)r->hash_n + r->gen_n);
  }
  /* compact the prefix hashes the slice still refers to */
  if (w->hash_bytes) {
    uint8_t *h = kv_xmalloc(nb ? nb : 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
      kv_request_spec *r = &w->reqs[i];
      const uint8_t *src = w->hash_bytes + r->hash_off;
      size_t m = kv_hash_span(src, (size_t)r->hash_n + r->gen_n);
      memcpy(h + k, src, m);
      r->hash_off = k;
      k += m;
    }
    free(w->hash_bytes);
    w->hash_bytes = h;
    w->n_hash_bytes = nb;
    w->n_hashes = nh;
  }
  size_t used = strlen(w->source);
  if (used < sizeof w->source)
    snprintf(w->source + used, sizeof w->source - used, " [requests %zu..%zu]",
             first, first + n);
}

void kv_workload_scale_rate(kv_workload *w, double speedup) {
  if (!(speedup > 0) || !isfinite(speedup)) return;
  for (size_t i = 0; i < w->n; i++)
    w->reqs[i].arrival /= speedup;
  size_t used = strlen(w->source);
  if (used < sizeof w->source)
    snprintf(w->source + used, sizeof w->source - used, " [rate x%g]", speedup);
}

void kv_workload_gate(kv_workload *w, double period, double on, double phase) {
  if (!(period > 0) || !(on > 0)) return;
  size_t k = 0, nh = 0;
  for (size_t i = 0; i < w->n; i++) {
    double x = fmod(w->reqs[i].arrival - phase, period);
    if (x < 0) x += period;
    if (x >= on) continue;
    w->reqs[k] = w->reqs[i];
    if (w->session) w->session[k] = w->session[i];
    nh += (size_t)w->reqs[k].hash_n + w->reqs[k].gen_n;
    k++;
  }
  w->n = k;
  w->n_hashes = nh;
  size_t used = strlen(w->source);
  if (used < sizeof w->source)
    snprintf(w->source + used, sizeof w->source - used,
             " [on %gs of every %gs from %gs]", on, period, phase);
}

void kv_workload_shift(kv_workload *w, double dt) {
  for (size_t i = 0; i < w->n; i++)
    w->reqs[i].arrival += dt;
  size_t used = strlen(w->source);
  if (dt != 0 && used < sizeof w->source)
    snprintf(w->source + used, sizeof w->source - used, " [+%gs]", dt);
}

static void dist_stats(double *v, size_t n, double *mean, double *p50,
                       double *p99, double *max) {
  double sum = 0;
  for (size_t i = 0; i < n; i++)
    sum += v[i];
  *mean = n ? sum / (double)n : 0.0;
  kv_sort_doubles(v, n);
  *p50 = kv_percentile_sorted(v, n, 50);
  *p99 = kv_percentile_sorted(v, n, 99);
  *max = n ? v[n - 1] : 0.0;
}

void kv_workload_stats_compute(const kv_workload *w, kv_workload_stats *s) {
  memset(s, 0, sizeof *s);
  s->n = w->n;
  if (w->n == 0) return;
  s->duration = w->reqs[w->n - 1].arrival - w->reqs[0].arrival;
  s->rate = s->duration > 0 ? (double)w->n / s->duration : 0.0;
  if (w->n > 2) {
    /* coefficient of variation of the gaps: population std / mean */
    double m = s->duration / (double)(w->n - 1), ss = 0;
    for (size_t i = 1; i < w->n; i++) {
      double g = w->reqs[i].arrival - w->reqs[i - 1].arrival - m;
      ss += g * g;
    }
    s->interarrival_cv = m > 0 ? sqrt(ss / (double)(w->n - 1)) / m : 0.0;
  }
  double *v = kv_xmalloc(w->n * sizeof *v);
  for (size_t i = 0; i < w->n; i++)
    v[i] = w->reqs[i].prompt;
  dist_stats(v, w->n, &s->prompt_mean, &s->prompt_p50, &s->prompt_p99,
             &s->prompt_max);
  for (size_t i = 0; i < w->n; i++)
    v[i] = w->reqs[i].output;
  dist_stats(v, w->n, &s->output_mean, &s->output_p50, &s->output_p99,
             &s->output_max);
  free(v);
}
