/* compute_table.c - the measured compute table: CSV loader, lookups and a
 * step's compute as the sum of its operators (compute_table.h).
 *
 * Rows are grouped once at load time: gemm rows by (n, k), each group a
 * curve over m; attention rows by (mode, block, heads), decode groups a
 * curve over context per measured batch, prefill groups a curve of time
 * per pair over pairs. Every array grows as needed (no fixed limits).
 * Main entry points: kv_ctab_load(), kv_ctab_step_time().
 */
#include "compute_table.h"

#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { K_GEMM, K_DECODE, K_PREFILL, K__COUNT };

static const char *const kind_names[] = {"gemm", "attn_decode", "attn_prefill",
                                         NULL};
/* in kv_addr_mode order */
static const char *const mode_names[] = {"contig", "block_table",
                                         "offset_table", NULL};
static const char *const col_names[] = {
    "kind",  "mode",    "block",   "m",        "n",        "k",
    "batch", "context", "q_heads", "kv_heads", "head_dim", "seconds"};
#define NCOLS 12

typedef struct row {
  int kind, mode;
  double v[NCOLS]; /* numeric columns by index (2..11) */
} row;

enum { C_BLOCK = 2, C_M, C_N, C_K, C_BATCH, C_CTX, C_QH, C_KVH, C_HD, C_S };

/* y(x) at increasing x (duplicates averaged at build time). */
typedef struct curve {
  double *x, *y;
  size_t n;
} curve;

typedef struct gemm_group {
  double n, k;
  curve c; /* m -> s */
} gemm_group;

typedef struct attn_group {
  int mode;
  double block, qh, kvh, hd;
  size_t nb;
  double *batch; /* decode: increasing batches */
  curve *ctx;    /* decode: per batch, context -> s */
  curve pairs;   /* prefill: pairs -> s per pair */
} attn_group;

struct kv_ctab {
  size_t rows[K__COUNT];
  gemm_group *gemm;
  size_t ngemm;
  attn_group *dec, *pre;
  size_t ndec, npre;
  uint64_t fallbacks;
};

/* ---- loading --------------------------------------------------------- */

typedef struct rowvec {
  row *r;
  size_t n, cap;
} rowvec;

static void rowvec_push(rowvec *v, const row *r) {
  if (v->n == v->cap) {
    v->cap = v->cap ? 2 * v->cap : 64;
    v->r = kv_xrealloc(v->r, v->cap * sizeof *v->r);
  }
  v->r[v->n++] = *r;
}

static int pick(const char *const *names, const char *s) {
  for (int i = 0; names[i]; i++)
    if (strcmp(names[i], s) == 0) return i;
  return -1;
}

static void chomp(char *s) {
  size_t n = strlen(s);
  while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
    s[--n] = '\0';
}

static int blank(const char *s) {
  for (; *s; s++)
    if (*s != ' ' && *s != '\t') return 0;
  return 1;
}

/* Parse one data line (modified in place) into *r. */
static kv_status parse_line(const char *path, size_t ln, char *line, row *r,
                            kv_error *err) {
  char *f[NCOLS];
  size_t nf = 0;
  for (char *p = line;;) {
    char *c = strchr(p, ',');
    if (nf < NCOLS) f[nf] = p;
    nf++;
    if (!c) break;
    *c = '\0';
    p = c + 1;
  }
  if (nf != NCOLS)
    return kv_error_set(err, KV_EPARSE,
                        "%s:%zu: %zu columns (expected %d: " KV_CTAB_HEADER ")",
                        path, ln, nf, NCOLS);
  memset(r, 0, sizeof *r);
  r->kind = pick(kind_names, f[0]);
  if (r->kind < 0)
    return kv_error_set(err, KV_EPARSE,
                        "%s:%zu: field 'kind': unknown kind '%s' (valid: "
                        "gemm, attn_decode, attn_prefill)",
                        path, ln, f[0]);
  if (r->kind == K_GEMM) {
    if (f[1][0])
      return kv_error_set(err, KV_EPARSE,
                          "%s:%zu: field 'mode': a gemm row takes no mode "
                          "(got '%s')",
                          path, ln, f[1]);
    r->mode = KV_ADDR_CONTIGUOUS;
  } else {
    r->mode = pick(mode_names, f[1]);
    if (r->mode < 0)
      return kv_error_set(err, KV_EPARSE,
                          "%s:%zu: field 'mode': unknown mode '%s' (valid: "
                          "contig, block_table, offset_table)",
                          path, ln, f[1]);
  }
  for (int i = 2; i < NCOLS; i++) {
    char *end;
    errno = 0;
    double v = strtod(f[i], &end);
    if (end == f[i] || *end != '\0' || errno == ERANGE || !isfinite(v))
      return kv_error_set(err, KV_EPARSE,
                          "%s:%zu: field '%s': not a number ('%s')", path, ln,
                          col_names[i], f[i]);
    if (i == C_S ? !(v > 0) : v < 0)
      return kv_error_set(err, KV_EPARSE,
                          "%s:%zu: field '%s': must be %s (got %g)", path, ln,
                          col_names[i], i == C_S ? "> 0" : ">= 0", v);
    r->v[i] = v;
  }
  /* the columns each kind needs */
  static const int need[K__COUNT][6] = {{C_M, C_N, C_K, 0},
                                        {C_BATCH, C_CTX, C_QH, C_KVH, C_HD, 0},
                                        {C_BATCH, C_CTX, C_QH, C_KVH, C_HD, 0}};
  for (int j = 0; need[r->kind][j]; j++) {
    int c = need[r->kind][j];
    if (!(r->v[c] > 0))
      return kv_error_set(err, KV_EPARSE,
                          "%s:%zu: field '%s': must be > 0 in a %s row", path,
                          ln, col_names[c], kind_names[r->kind]);
  }
  if (r->kind != K_GEMM && r->mode != KV_ADDR_CONTIGUOUS &&
      !(r->v[C_BLOCK] > 0))
    return kv_error_set(err, KV_EPARSE,
                        "%s:%zu: field 'block': must be > 0 for mode %s", path,
                        ln, mode_names[r->mode]);
  return KV_OK;
}

static kv_status load_file(const char *path, rowvec *v, kv_error *err) {
  FILE *fp = fopen(path, "r");
  if (!fp)
    return kv_error_set(err, KV_EIO, "compute table '%s': %s", path,
                        strerror(errno));
  char *line = NULL;
  size_t cap = 0, ln = 0;
  int header = 0;
  kv_status st = KV_OK;
  while (getline(&line, &cap, fp) >= 0) {
    ln++;
    chomp(line);
    if (line[0] == '#' || blank(line)) continue;
    if (!header) {
      if (strcmp(line, KV_CTAB_HEADER) != 0) {
        st = kv_error_set(err, KV_EPARSE,
                          "%s:%zu: header must be '" KV_CTAB_HEADER
                          "' (got '%.200s')",
                          path, ln, line);
        break;
      }
      header = 1;
      continue;
    }
    row r;
    if ((st = parse_line(path, ln, line, &r, err))) break;
    rowvec_push(v, &r);
  }
  if (!st && ferror(fp))
    st = kv_error_set(err, KV_EIO, "compute table '%s': read error", path);
  if (!st && !header)
    st = kv_error_set(err, KV_EPARSE,
                      "%s: no header (expected '" KV_CTAB_HEADER "')", path);
  free(line);
  fclose(fp);
  return st;
}

/* ---- grouping -------------------------------------------------------- */

static int cmpd(double a, double b) {
  return a < b ? -1 : a > b;
}

/* kind, then group key, then the curve's x (and batch for decode) */
static int row_cmp(const void *pa, const void *pb) {
  const row *a = pa, *b = pb;
  int c;
  if ((c = a->kind - b->kind)) return c;
  if (a->kind == K_GEMM) {
    if ((c = cmpd(a->v[C_N], b->v[C_N])) || (c = cmpd(a->v[C_K], b->v[C_K])))
      return c;
    return cmpd(a->v[C_M], b->v[C_M]);
  }
  if ((c = a->mode - b->mode)) return c;
  static const int key[] = {C_BLOCK, C_QH, C_KVH, C_HD};
  for (size_t i = 0; i < sizeof key / sizeof *key; i++)
    if ((c = cmpd(a->v[key[i]], b->v[key[i]]))) return c;
  if (a->kind == K_DECODE) {
    if ((c = cmpd(a->v[C_BATCH], b->v[C_BATCH]))) return c;
    return cmpd(a->v[C_CTX], b->v[C_CTX]);
  }
  return 0; /* prefill: sorted by pairs when its curve is built */
}

static int same_group(const row *a, const row *b) {
  if (a->kind != b->kind) return 0;
  if (a->kind == K_GEMM)
    return a->v[C_N] == b->v[C_N] && a->v[C_K] == b->v[C_K];
  return a->mode == b->mode && a->v[C_BLOCK] == b->v[C_BLOCK] &&
         a->v[C_QH] == b->v[C_QH] && a->v[C_KVH] == b->v[C_KVH] &&
         a->v[C_HD] == b->v[C_HD];
}

/* A curve from n (x, y) points sorted by x; equal x averaged. */
static curve curve_make(const double *x, const double *y, size_t n) {
  curve c = {kv_xmalloc(n * sizeof(double)), kv_xmalloc(n * sizeof(double)), 0};
  for (size_t i = 0; i < n;) {
    size_t j = i;
    double s = 0;
    while (j < n && x[j] == x[i])
      s += y[j++];
    c.x[c.n] = x[i];
    c.y[c.n++] = s / (double)(j - i);
    i = j;
  }
  return c;
}

static void curve_free(curve *c) {
  free(c->x);
  free(c->y);
}

typedef struct xy {
  double x, y;
} xy;

static int xy_cmp(const void *a, const void *b) {
  return cmpd(((const xy *)a)->x, ((const xy *)b)->x);
}

static void build(kv_ctab *t, row *r, size_t n) {
  qsort(r, n, sizeof *r, row_cmp);
  double *x = kv_xmalloc((n ? n : 1) * sizeof(double));
  double *y = kv_xmalloc((n ? n : 1) * sizeof(double));
  xy *p = kv_xmalloc((n ? n : 1) * sizeof *p);
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && same_group(&r[i], &r[j]))
      j++;
    t->rows[r[i].kind] += j - i;
    if (r[i].kind == K_GEMM) {
      t->gemm = kv_xrealloc(t->gemm, (t->ngemm + 1) * sizeof *t->gemm);
      gemm_group *g = &t->gemm[t->ngemm++];
      g->n = r[i].v[C_N];
      g->k = r[i].v[C_K];
      for (size_t q = i; q < j; q++) {
        x[q - i] = r[q].v[C_M];
        y[q - i] = r[q].v[C_S];
      }
      g->c = curve_make(x, y, j - i);
    } else {
      attn_group **arr = r[i].kind == K_DECODE ? &t->dec : &t->pre;
      size_t *cnt = r[i].kind == K_DECODE ? &t->ndec : &t->npre;
      *arr = kv_xrealloc(*arr, (*cnt + 1) * sizeof **arr);
      attn_group *g = &(*arr)[(*cnt)++];
      memset(g, 0, sizeof *g);
      g->mode = r[i].mode;
      g->block = r[i].v[C_BLOCK];
      g->qh = r[i].v[C_QH];
      g->kvh = r[i].v[C_KVH];
      g->hd = r[i].v[C_HD];
      if (r[i].kind == K_DECODE) {
        for (size_t q = i; q < j;) {
          size_t e = q;
          while (e < j && r[e].v[C_BATCH] == r[q].v[C_BATCH])
            e++;
          for (size_t z = q; z < e; z++) {
            x[z - q] = r[z].v[C_CTX];
            y[z - q] = r[z].v[C_S];
          }
          g->batch = kv_xrealloc(g->batch, (g->nb + 1) * sizeof *g->batch);
          g->ctx = kv_xrealloc(g->ctx, (g->nb + 1) * sizeof *g->ctx);
          g->batch[g->nb] = r[q].v[C_BATCH];
          g->ctx[g->nb++] = curve_make(x, y, e - q);
          q = e;
        }
      } else {
        for (size_t q = i; q < j; q++) {
          double c = r[q].v[C_CTX];
          p[q - i].x = r[q].v[C_BATCH] * c * (c + 1) / 2;
          p[q - i].y = r[q].v[C_S] / p[q - i].x;
        }
        qsort(p, j - i, sizeof *p, xy_cmp);
        for (size_t q = 0; q < j - i; q++) {
          x[q] = p[q].x;
          y[q] = p[q].y;
        }
        g->pairs = curve_make(x, y, j - i);
      }
    }
    i = j;
  }
  free(x);
  free(y);
  free(p);
}

kv_status kv_ctab_load(const char *const *paths, size_t n, kv_ctab **out,
                       kv_error *err) {
  *out = NULL;
  if (n == 0) return kv_error_set(err, KV_EINVAL, "compute table: no file");
  rowvec v = {0};
  for (size_t i = 0; i < n; i++) {
    kv_status st = load_file(paths[i], &v, err);
    if (st) {
      free(v.r);
      return st;
    }
  }
  if (v.n == 0) {
    free(v.r);
    return kv_error_set(err, KV_EPARSE, "compute table '%s'%s: no rows",
                        paths[0], n > 1 ? " (and the others)" : "");
  }
  kv_ctab *t = kv_xcalloc(1, sizeof *t);
  build(t, v.r, v.n);
  free(v.r);
  *out = t;
  return KV_OK;
}

kv_status kv_ctab_load_spec(const char *spec, kv_ctab **out, kv_error *err) {
  *out = NULL;
  if (!spec || !*spec)
    return kv_error_set(err, KV_EINVAL, "compute table: empty path");
  char *s = kv_xstrdup(spec);
  size_t n = 1;
  for (const char *c = s; *c; c++)
    n += *c == ';';
  const char **paths = kv_xmalloc(n * sizeof *paths);
  n = 0;
  for (char *p = s;;) {
    char *c = strchr(p, ';');
    if (c) *c = '\0';
    if (*p) paths[n++] = p;
    if (!c) break;
    p = c + 1;
  }
  kv_status st = kv_ctab_load(paths, n, out, err);
  free(paths);
  free(s);
  return st;
}

void kv_ctab_free(kv_ctab *t) {
  if (!t) return;
  for (size_t i = 0; i < t->ngemm; i++)
    curve_free(&t->gemm[i].c);
  for (size_t i = 0; i < t->ndec; i++) {
    for (size_t b = 0; b < t->dec[i].nb; b++)
      curve_free(&t->dec[i].ctx[b]);
    free(t->dec[i].ctx);
    free(t->dec[i].batch);
  }
  for (size_t i = 0; i < t->npre; i++)
    curve_free(&t->pre[i].pairs);
  free(t->gemm);
  free(t->dec);
  free(t->pre);
  free(t);
}

size_t kv_ctab_rows(const kv_ctab *t, int kind) {
  return t && kind >= 0 && kind < K__COUNT ? t->rows[kind] : 0;
}

uint64_t kv_ctab_fallbacks(const kv_ctab *t) {
  return t ? t->fallbacks : 0;
}

/* ---- lookups --------------------------------------------------------- */

static double lg(double x) {
  return log(x > 1e-300 ? x : 1e-300);
}

/* Index i with x[i] <= v < x[i+1] (v strictly inside the curve), and the
 * weight of x[i+1] in log scale. */
static size_t bracket(const double *x, size_t n, double v, double *w) {
  size_t lo = 0, hi = n - 1;
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (x[mid] <= v)
      lo = mid;
    else
      hi = mid;
  }
  *w = (lg(v) - lg(x[lo])) / (lg(x[hi]) - lg(x[lo]));
  return lo;
}

/* Piecewise linear in log x; flat below; past the end flat (prop = 0) or
 * proportional to x (prop = 1). */
static double curve_eval(const curve *c, double v, int prop) {
  if (v <= c->x[0]) return c->y[0];
  if (v >= c->x[c->n - 1])
    return prop ? c->y[c->n - 1] * v / c->x[c->n - 1] : c->y[c->n - 1];
  double w;
  size_t i = bracket(c->x, c->n, v, &w);
  return c->y[i] + w * (c->y[i + 1] - c->y[i]);
}

static double gemm_lookup(const kv_ctab *t, double m, double n, double k,
                          int *fb) {
  if (t->ngemm == 0) return -1;
  if (!(m > 0) || !(n > 0) || !(k > 0)) return 0;
  size_t best = 0;
  double bd = INFINITY;
  for (size_t i = 0; i < t->ngemm; i++) {
    if (t->gemm[i].n == n && t->gemm[i].k == k)
      return curve_eval(&t->gemm[i].c, m, 1);
    double d = fabs(lg(n * k) - lg(t->gemm[i].n * t->gemm[i].k));
    if (d < bd) {
      bd = d;
      best = i;
    }
  }
  /* the nearest shape's FLOP rate at m */
  const gemm_group *g = &t->gemm[best];
  *fb = 1;
  return curve_eval(&g->c, m, 1) * (n * k) / (g->n * g->k);
}

double kv_ctab_gemm(kv_ctab *t, double m, double n, double k) {
  int fb = 0;
  double s = gemm_lookup(t, m, n, k, &fb);
  t->fallbacks += (uint64_t)fb;
  return s;
}

/* The group for (mode, block, heads): that mode's rows (else contig's:
 * *mode_fb), the exact heads (else the nearest `size` = kv_heads x head_dim
 * for decode, q_heads x head_dim for prefill: *scale), the nearest block. */
static const attn_group *attn_pick(const attn_group *g, size_t n, int mode,
                                   uint32_t block, double qh, double kvh,
                                   double hd, int prefill, int *mode_fb,
                                   double *scale, int *fb) {
  *mode_fb = 0;
  *scale = 1;
  int have = 0;
  for (size_t i = 0; i < n && !have; i++)
    have = g[i].mode == mode;
  if (!have) {
    if (mode == KV_ADDR_CONTIGUOUS) return NULL;
    mode = KV_ADDR_CONTIGUOUS;
    for (size_t i = 0; i < n && !have; i++)
      have = g[i].mode == mode;
    if (!have) return NULL;
    *mode_fb = 1;
    *fb = 1;
  }
  double want = (prefill ? qh : kvh) * hd;
  /* heads: exact, else nearest size */
  int exact = 0;
  double hq = 0, hk = 0, hh = 0, bd = INFINITY;
  for (size_t i = 0; i < n; i++) {
    if (g[i].mode != mode) continue;
    if (g[i].qh == qh && g[i].kvh == kvh && g[i].hd == hd) {
      exact = 1;
      hq = qh, hk = kvh, hh = hd;
      break;
    }
    double d = fabs(lg(want) - lg((prefill ? g[i].qh : g[i].kvh) * g[i].hd));
    if (d < bd) {
      bd = d;
      hq = g[i].qh, hk = g[i].kvh, hh = g[i].hd;
    }
  }
  if (!exact) {
    *scale = want / ((prefill ? hq : hk) * hh);
    *fb = 1;
  }
  const attn_group *best = NULL;
  double bb = INFINITY, lb = lg(block > 0 ? block : 1);
  for (size_t i = 0; i < n; i++) {
    if (g[i].mode != mode || g[i].qh != hq || g[i].kvh != hk || g[i].hd != hh)
      continue;
    double d = fabs(lb - lg(g[i].block > 0 ? g[i].block : 1));
    if (d < bb) {
      bb = d;
      best = &g[i];
    }
  }
  return best;
}

static double decode_lookup(const kv_ctab *t, int mode, uint32_t block,
                            double batch, double keys, double qh, double kvh,
                            double hd, const kv_platform *p, int *fb) {
  int mfb;
  double scale;
  const attn_group *g =
      attn_pick(t->dec, t->ndec, mode, block, qh, kvh, hd, 0, &mfb, &scale, fb);
  if (!g) return -1;
  if (!(batch > 0)) return 0;
  double s;
  size_t nb = g->nb;
  if (batch <= g->batch[0])
    s = curve_eval(&g->ctx[0], keys, 1);
  else if (batch >= g->batch[nb - 1])
    s = curve_eval(&g->ctx[nb - 1], keys, 1) * batch / g->batch[nb - 1];
  else {
    double w;
    size_t i = bracket(g->batch, nb, batch, &w);
    double a = curve_eval(&g->ctx[i], keys, 1);
    double b = curve_eval(&g->ctx[i + 1], keys, 1);
    s = a + w * (b - a);
  }
  s *= scale;
  if (mfb && p) s *= kv_platform_attn_factor(p, mode, block);
  return s;
}

double kv_ctab_attn_decode(kv_ctab *t, int mode, uint32_t block, double batch,
                           double keys_per_req, double qh, double kvh,
                           double hd, const kv_platform *p) {
  int fb = 0;
  double s =
      decode_lookup(t, mode, block, batch, keys_per_req, qh, kvh, hd, p, &fb);
  t->fallbacks += (uint64_t)fb;
  return s;
}

static double prefill_lookup(const kv_ctab *t, int mode, uint32_t block,
                             double pairs, double qh, double kvh, double hd,
                             int *fb) {
  int mfb;
  double scale;
  const attn_group *g =
      attn_pick(t->pre, t->npre, mode, block, qh, kvh, hd, 1, &mfb, &scale, fb);
  if (!g) return -1;
  if (!(pairs > 0)) return 0;
  return pairs * curve_eval(&g->pairs, pairs, 0) * scale;
}

double kv_ctab_attn_prefill(kv_ctab *t, int mode, uint32_t block, double pairs,
                            double tokens, double qh, double kvh, double hd) {
  (void)tokens;
  int fb = 0;
  double s = prefill_lookup(t, mode, block, pairs, qh, kvh, hd, &fb);
  t->fallbacks += (uint64_t)fb;
  return s;
}

/* ---- a step ---------------------------------------------------------- */

/* The heads of one GPU of a tensor-parallel group of tp: query heads split,
 * KV heads split, or replicated (one per GPU) when fewer than tp. */
static void gpu_heads(const kv_model *m, uint32_t tp, double *qh, double *kvh) {
  double g = tp ? (double)tp : 1.0;
  *qh = m->heads / g;
  *kvh = m->kv_heads >= tp ? m->kv_heads / g : 1.0;
}

/* One layer's attention of op on one GPU by the roofline: decode reads K
 * and V of every key through the mode's factor at hbm_bw; prefill does 4 x
 * q_heads x head_dim FLOPs per pair at flops. */
static double roof_decode(const kv_model *m, double kvh, const kv_op *op,
                          const kv_platform *p) {
  double dt = m->dtype_bytes ? m->dtype_bytes : 2;
  return op->decode_keys * 2.0 * kvh * m->head_dim * dt *
         kv_platform_attn_factor(p, op->mode, op->count) / p->hbm_bw;
}

static double roof_prefill(const kv_model *m, double qh, const kv_op *op,
                           const kv_platform *p) {
  return 4.0 * qh * m->head_dim * op->prefill_pairs / p->flops;
}

double kv_ctab_step_time(kv_ctab *t, const kv_model *m, uint32_t tp,
                         const kv_op *op, const kv_platform *p,
                         kv_ctab_breakdown *out) {
  kv_ctab_breakdown b = {0};
  if (out) *out = b;
  if (!t || !m || !op) return -1;
  /* not covered: MLA's latent attention and MoE routing have no rows */
  if (m->mla_latent > 0 ||
      (m->active_params > 0 && m->active_params < m->params))
    return -1;
  if (!m->hidden || !m->intermediate || !m->vocab || !m->layers || !m->heads ||
      !m->kv_heads || !m->head_dim)
    return -1;
  double g = tp ? (double)tp : 1.0;
  double L = m->layers, H = m->hidden, I = m->intermediate, D = m->head_dim;
  double qh, kvh;
  gpu_heads(m, tp, &qh, &kvh);
  int fb = 0;
  double tok = op->tokens;
  if (tok > 0) {
    const double shape[4][2] = {
        {(m->heads + 2.0 * m->kv_heads) * D / g, H}, /* QKV */
        {H, m->heads * D / g},                       /* O */
        {2.0 * I / g, H},                            /* gate + up */
        {H, I / g}};                                 /* down */
    double layer = 0;
    for (int i = 0; i < 4; i++) {
      double s = gemm_lookup(t, tok, shape[i][0], shape[i][1], &fb);
      if (s < 0) return -1;
      layer += s;
    }
    /* the LM head runs for the requests that sample a token: the decodes,
     * plus the prefills that complete (the op does not say how many: one
     * when the step has prefill work) */
    double lm_m = (double)op->decodes + (op->tokens > op->decodes ? 1 : 0);
    double lm = gemm_lookup(t, lm_m, m->vocab / g, H, &fb);
    if (lm < 0) return -1;
    b.gemm = L * layer + lm;
  }
  /* attention without rows of its kind (a GEMM-only table, as
   * kvsim-calibrate --compute-table writes): that operator's roofline, a
   * fallback */
  if (op->decodes > 0) {
    double keys = op->decode_keys / op->decodes;
    double s = decode_lookup(t, op->mode, op->count, op->decodes, keys, qh, kvh,
                             D, p, &fb);
    if (s < 0 && t->ndec == 0 && p) {
      s = roof_decode(m, kvh, op, p);
      fb = 1;
    }
    if (s < 0) return -1;
    b.attn_decode = L * s;
  }
  if (op->prefill_pairs > 0) {
    double s = prefill_lookup(t, op->mode, op->count, op->prefill_pairs, qh,
                              kvh, D, &fb);
    if (s < 0 && t->npre == 0 && p) {
      s = roof_prefill(m, qh, op, p);
      fb = 1;
    }
    if (s < 0) return -1;
    b.attn_prefill = L * s;
  }
  b.launch = p ? p->kernel_launch : 0;
  b.total = b.gemm + b.attn_decode + b.attn_prefill + b.launch;
  b.fallback = fb;
  t->fallbacks += (uint64_t)fb;
  if (out) *out = b;
  return b.total;
}

int kv_ctab_attn_only(const kv_ctab *t) {
  return t && t->ngemm == 0 && (t->ndec > 0 || t->npre > 0);
}

double kv_ctab_attn_excess(kv_ctab *t, const kv_model *m, uint32_t tp,
                           const kv_op *op, const kv_platform *p) {
  if (!t || !m || !op || !p || m->mla_latent > 0 || !m->kv_heads ||
      !m->head_dim || !m->layers)
    return 0;
  double D = m->head_dim, L = m->layers, qh, kvh;
  gpu_heads(m, tp, &qh, &kvh);
  double excess = 0;
  int fb = 0;
  if (op->decodes > 0 && t->ndec > 0) {
    double keys = op->decode_keys / op->decodes;
    double s = decode_lookup(t, op->mode, op->count, op->decodes, keys, qh, kvh,
                             D, p, &fb);
    double roof = roof_decode(m, kvh, op, p);
    if (s > roof) excess += L * (s - roof);
  }
  if (op->prefill_pairs > 0 && t->npre > 0) {
    double s = prefill_lookup(t, op->mode, op->count, op->prefill_pairs, qh,
                              kvh, D, &fb);
    double roof = roof_prefill(m, qh, op, p);
    if (s > roof) excess += L * (s - roof);
  }
  t->fallbacks += (uint64_t)fb;
  return excess;
}
