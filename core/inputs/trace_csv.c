/* trace_csv.c - the CSV traces: the Azure LLM inference trace (TIMESTAMP,
 * ContextTokens, GeneratedTokens; columns found by header name; 2023 and
 * the 2024 week-long traces) and BurstGPT's (Timestamp, Model, Request
 * tokens, Response tokens, Log Type; failed rows counted, not kept).
 * Main entry points: kv_trace_load_azure(), kv_trace_load_burstgpt().
 */
#define _GNU_SOURCE
#include "trace_read.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <strings.h>

#include "util.h"

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

kv_status kv_trace_load_azure(kv_line_src *src, kv_workload *w, kv_error *err) {
  const char *path = src->path;
  const char *s, *e;
  field f[CSV_MAX_FIELDS];
  int have_header = 0;
  size_t ncols = 0;
  long c_ts = -1, c_ctx = -1, c_gen = -1;
  while (!have_header && kv_line_next(src, &s, &e)) {
    kv_status cs = kv_line_check_text(path, src->lineno, s, e, err);
    if (cs) return cs;
    if (kv_line_blank(s, e)) continue;
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
    kv_status rs = kv_line_check(src, err);
    if (rs) return rs;
    return kv_error_set(err, KV_EPARSE, "%s: empty file (no CSV header)", path);
  }

  kv_trace_builder b = {0};
  int64_t base = 0;
  int have_base = 0;
  long need = KV_MAX(c_ts, KV_MAX(c_ctx, c_gen));
  kv_status st = KV_OK;
  while (kv_line_next(src, &s, &e)) {
    if ((st = kv_line_check_text(path, src->lineno, s, e, err))) break;
    if (kv_line_blank(s, e)) continue;
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
    kv_request_spec *r = kv_trace_push(&b);
    r->arrival = (double)(sec - base) + frac;
    r->prompt = ctx;
    r->output = gen;
  }
  if (st == KV_OK) st = kv_line_check(src, err);
  if (st == KV_OK && b.n == 0)
    st = kv_error_set(err, KV_EPARSE, "%s: header but no requests", path);
  if (st != KV_OK) {
    kv_trace_builder_free(&b);
    return st;
  }
  kv_trace_finish(&b, w, 0);
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
kv_status kv_trace_load_burstgpt(kv_line_src *src, const kv_trace_opts *o,
                                 kv_workload *w, kv_error *err) {
  const char *path = src->path;
  const char *s, *e;
  field f[CSV_MAX_FIELDS];
  int have_header = 0;
  size_t ncols = 0;
  long c_ts = -1, c_req = -1, c_resp = -1, c_model = -1, c_log = -1;
  while (!have_header && kv_line_next(src, &s, &e)) {
    kv_status cs = kv_line_check_text(path, src->lineno, s, e, err);
    if (cs) return cs;
    if (kv_line_blank(s, e)) continue;
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
    kv_status rs = kv_line_check(src, err);
    if (rs) return rs;
    return kv_error_set(err, KV_EPARSE, "%s: empty file (no CSV header)", path);
  }
  static const char *const names[] = {"Timestamp", "Request tokens",
                                      "Response tokens", "Model", "Log Type"};
  long cols[] = {c_ts, c_req, c_resp, c_model, c_log};
  kv_trace_builder b = {0};
  size_t failed = 0, other = 0, empty = 0;
  int64_t base = 0;
  int have_base = 0;
  kv_status st = KV_OK;
  while (kv_line_next(src, &s, &e)) {
    if ((st = kv_line_check_text(path, src->lineno, s, e, err))) break;
    if (kv_line_blank(s, e)) continue;
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
    kv_request_spec *r = kv_trace_push(&b);
    r->arrival = (double)(sec - base) + frac;
    r->prompt = req;
    r->output = resp;
  }
  if (st == KV_OK) st = kv_line_check(src, err);
  if (st == KV_OK && b.n == 0)
    st =
        kv_error_set(err, KV_EPARSE,
                     "%s: no requests kept (%zu failed, %zu of another model "
                     "than '%s', %zu with 0 request tokens)",
                     path, failed, other, o->model ? o->model : "(any)", empty);
  if (st != KV_OK) {
    kv_trace_builder_free(&b);
    return st;
  }
  kv_trace_finish(&b, w, 0);
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
