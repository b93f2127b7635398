/* trace_jsonl.c - block-hash JSONL traces (Mooncake: timestamp in ms,
 * input_length, output_length, hash_ids of 512-token prefix blocks;
 * qwen-bailian: the same fields, seconds and 16-token blocks; field names,
 * units and block size are options), with a fast path for Mooncake's
 * layout and jansson for the rest.
 * Main entry point: kv_trace_load_blockhash().
 */
#define _GNU_SOURCE /* memmem */
#include "trace_read.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

#include "util.h"

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
                        kv_trace_builder *b, mc_fast *f) {
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
  uint32_t *dst = kv_trace_hash_reserve(b, (size_t)(q - p) / 2 + 1);
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
                         const mc_fast *fast, const bh_opts *bo,
                         kv_trace_builder *b, kv_error *err) {
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
      uint32_t *dst = kv_trace_hash_reserve(b, nh);
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
  kv_request_spec *r = kv_trace_push(b);
  double t = json_number_value(ts);
  r->arrival = bo->div > 0 ? t / bo->div : t * bo->mul;
  r->prompt = in;
  r->output = out;
  r->hash_n = (uint32_t)nh;
  kv_trace_hash_commit(b, r, nh);
  return KV_OK;
}

kv_status kv_trace_load_blockhash(kv_line_src *src, const kv_trace_opts *o,
                                  kv_workload *w, kv_error *err) {
  const char *path = src->path;
  bh_opts bo;
  kv_status st = bh_resolve(o, &bo, err);
  if (st) return st;
  const char *s, *e;
  kv_trace_builder b = {0};
  char *scratch = NULL;
  size_t scratch_cap = 0;
  while (kv_line_next(src, &s, &e)) {
    if (kv_line_blank(s, e)) continue;
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
  if (st == KV_OK) st = kv_line_check(src, err);
  if (st == KV_OK && b.n == 0)
    st = kv_error_set(err, KV_EPARSE, "%s: empty file (no JSON lines)", path);
  if (st != KV_OK) {
    kv_trace_builder_free(&b);
    return st;
  }
  kv_trace_finish(&b, w, bo.block);
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
