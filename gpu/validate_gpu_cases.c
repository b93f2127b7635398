/* validate_gpu_cases.c - the configurations validate_gpu runs, read from
 * the case file experiments/gpu_cases.lua writes (the device machines have
 * CUDA but no Lua: the Lua experiment is where the cases are typed, this
 * is where the program reads them).
 *
 * The file: '#' lines are comments; every other line is a record, a kind
 * and key=value fields separated by spaces:
 *   experiment   a closed batch (name dir requests prompt=lo,hi
 *                output=lo,hi kv_capacity host_bytes max_batch_tokens
 *                max_num_seqs max_context preempt check tier prefix)
 *   case         a case of the experiment above it (label strategy
 *                page_bytes layout map_ahead via deferred slab_bytes
 *                force_compact max_context)
 *   open_setting an --open setting (name kv_capacity host_bytes preempt
 *                fast tier via)
 *   open_case    an --open case (name strategy page_bytes max_context
 *                tier)
 * Fields left out take 0, false, layer, engine. A mistake exits naming the
 * file, the line and the field.
 * Main entry points: cases_load_args(), cases_load().
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "validate_gpu.h"

typedef struct reader {
  const char *path;
  size_t line;
} reader;

#define BAD(rd, ...)                                                           \
  do {                                                                         \
    fprintf(stderr, "validate_gpu: %s:%zu: ", (rd)->path, (rd)->line);         \
    fprintf(stderr, __VA_ARGS__);                                              \
    fprintf(stderr, "\n");                                                     \
    exit(2);                                                                   \
  } while (0)

static uint64_t num(const reader *rd, const char *key, const char *v,
                    uint64_t max) {
  char *end;
  errno = 0;
  if (*v < '0' || *v > '9')
    BAD(rd, "%s=%s: a whole number >= 0 wanted", key, v);
  unsigned long long x = strtoull(v, &end, 10);
  if (errno || *end || x > max)
    BAD(rd, "%s=%s: a whole number up to %" PRIu64 " wanted", key, v, max);
  return x;
}

static bool flag(const reader *rd, const char *key, const char *v) {
  if (strcmp(v, "0") == 0) return false;
  if (strcmp(v, "1") == 0) return true;
  BAD(rd, "%s=%s: 0 or 1 wanted", key, v);
}

static void range(const reader *rd, const char *key, const char *v,
                  uint32_t *lo, uint32_t *hi) {
  char buf[64];
  const char *comma = strchr(v, ',');
  if (!comma || (size_t)(comma - v) >= sizeof buf)
    BAD(rd, "%s=%s: lo,hi wanted", key, v);
  memcpy(buf, v, (size_t)(comma - v));
  buf[comma - v] = '\0';
  *lo = (uint32_t)num(rd, key, buf, UINT32_MAX);
  *hi = (uint32_t)num(rd, key, comma + 1, UINT32_MAX);
  if (*lo < 1 || *hi < *lo) BAD(rd, "%s=%s: 1 <= lo <= hi wanted", key, v);
}

static kv_preempt_mode preempt(const reader *rd, const char *v) {
  if (strcmp(v, "swap") == 0) return KV_PREEMPT_SWAP;
  if (strcmp(v, "recompute") == 0) return KV_PREEMPT_RECOMPUTE;
  BAD(rd, "preempt=%s: swap or recompute wanted", v);
}

static kv_copy_via via(const reader *rd, const char *v) {
  for (int k = 0; k < KV_VIA__COUNT; k++)
    if (strcmp(v, kv_copy_via_names[k]) == 0) return (kv_copy_via)k;
  BAD(rd,
      "via=%s: engine, kernel, batch or another copy path of "
      "kv_copy_via_names wanted",
      v);
}

static const char *strategy(const reader *rd, const char *v) {
  kv_error err = {0};
  if (!kv_strategy_find(v, &err)) BAD(rd, "strategy=%s: %s", v, err.msg);
  return v;
}

static void *grow(void *p, size_t n, size_t size) {
  void *q = realloc(p, n * size);
  if (!q) {
    fprintf(stderr, "validate_gpu: out of memory\n");
    exit(1);
  }
  return q;
}

/* One key=value of a record, into the record's struct; the kind's keys
 * only. Returns 0 for a key the kind does not have. */
static int set_experiment(const reader *rd, experiment *x, const char *k,
                          const char *v) {
  if (strcmp(k, "name") == 0)
    x->name = v;
  else if (strcmp(k, "dir") == 0)
    x->dir = v;
  else if (strcmp(k, "requests") == 0)
    x->n_requests = num(rd, k, v, 1u << 24);
  else if (strcmp(k, "prompt") == 0)
    range(rd, k, v, &x->prompt_lo, &x->prompt_hi);
  else if (strcmp(k, "output") == 0)
    range(rd, k, v, &x->output_lo, &x->output_hi);
  else if (strcmp(k, "kv_capacity") == 0)
    x->kv_capacity = num(rd, k, v, UINT64_MAX);
  else if (strcmp(k, "host_bytes") == 0)
    x->host_bytes = num(rd, k, v, UINT64_MAX);
  else if (strcmp(k, "max_batch_tokens") == 0)
    x->max_batch_tokens = (uint32_t)num(rd, k, v, UINT32_MAX);
  else if (strcmp(k, "max_num_seqs") == 0)
    x->max_num_seqs = (uint32_t)num(rd, k, v, UINT32_MAX);
  else if (strcmp(k, "max_context") == 0)
    x->max_context = (uint32_t)num(rd, k, v, UINT32_MAX);
  else if (strcmp(k, "preempt") == 0)
    x->preempt = preempt(rd, v);
  else if (strcmp(k, "check") == 0)
    x->check_level = (int)num(rd, k, v, 3);
  else if (strcmp(k, "tier") == 0)
    x->tier = flag(rd, k, v);
  else if (strcmp(k, "prefix") == 0)
    x->prefix = flag(rd, k, v);
  else
    return 0;
  return 1;
}

static int set_case(const reader *rd, vcase *c, const char *k, const char *v) {
  if (strcmp(k, "label") == 0)
    c->label = v;
  else if (strcmp(k, "strategy") == 0)
    c->strategy = strategy(rd, v);
  else if (strcmp(k, "page_bytes") == 0)
    c->page_bytes = num(rd, k, v, UINT64_MAX);
  else if (strcmp(k, "layout") == 0) {
    if (strcmp(v, "layer") == 0)
      c->layout = KV_VMM_PER_LAYER;
    else if (strcmp(v, "all") == 0)
      c->layout = KV_VMM_ALL_LAYERS;
    else
      BAD(rd, "layout=%s: layer or all wanted", v);
  } else if (strcmp(k, "map_ahead") == 0)
    c->map_ahead = (uint32_t)num(rd, k, v, UINT32_MAX);
  else if (strcmp(k, "via") == 0)
    c->via = via(rd, v);
  else if (strcmp(k, "deferred") == 0)
    c->deferred = flag(rd, k, v);
  else if (strcmp(k, "slab_bytes") == 0)
    c->slab_bytes = num(rd, k, v, UINT64_MAX);
  else if (strcmp(k, "force_compact") == 0)
    c->force_compact = flag(rd, k, v);
  else if (strcmp(k, "max_context") == 0) {
    c->max_context = (uint32_t)num(rd, k, v, UINT32_MAX);
    c->max_context_set = true;
  } else
    return 0;
  return 1;
}

static int set_setting(const reader *rd, open_setting *s, const char *k,
                       const char *v) {
  if (strcmp(k, "name") == 0)
    s->name = v;
  else if (strcmp(k, "kv_capacity") == 0)
    s->kv_capacity = num(rd, k, v, UINT64_MAX);
  else if (strcmp(k, "host_bytes") == 0)
    s->host_bytes = num(rd, k, v, UINT64_MAX);
  else if (strcmp(k, "preempt") == 0)
    s->preempt = preempt(rd, v);
  else if (strcmp(k, "fast") == 0)
    s->fast = flag(rd, k, v);
  else if (strcmp(k, "tier") == 0)
    s->tier_indirect = flag(rd, k, v);
  else if (strcmp(k, "via") == 0)
    s->via = via(rd, v);
  else
    return 0;
  return 1;
}

static int set_open_case(const reader *rd, open_case *c, const char *k,
                         const char *v) {
  if (strcmp(k, "name") == 0)
    c->name = v;
  else if (strcmp(k, "strategy") == 0)
    c->strategy = strategy(rd, v);
  else if (strcmp(k, "page_bytes") == 0)
    c->page_bytes = num(rd, k, v, UINT64_MAX);
  else if (strcmp(k, "max_context") == 0)
    c->max_context = (uint32_t)num(rd, k, v, UINT32_MAX);
  else if (strcmp(k, "tier") == 0)
    c->tier = flag(rd, k, v);
  else
    return 0;
  return 1;
}

/* The fields a record of each kind must have. */
static void need(const reader *rd, const char *kind, const char *field,
                 const void *v) {
  if (!v) BAD(rd, "%s: field '%s' missing", kind, field);
}

/* One record (a line's words, kind first) into b. */
static void record(const reader *rd, case_book *b, char **w, size_t n) {
  const char *kind = w[0];
  experiment *x = NULL;
  vcase *c = NULL;
  open_setting *s = NULL;
  open_case *oc = NULL;
  if (strcmp(kind, "experiment") == 0) {
    b->x = grow(b->x, b->nx + 1, sizeof *b->x);
    x = memset(&b->x[b->nx++], 0, sizeof *x);
    x->preempt = KV_PREEMPT_RECOMPUTE;
  } else if (strcmp(kind, "case") == 0) {
    if (b->nx == 0) BAD(rd, "case before any experiment");
    experiment *e = &b->x[b->nx - 1];
    e->cases = grow(e->cases, e->n_cases + 1, sizeof *e->cases);
    c = memset(&e->cases[e->n_cases++], 0, sizeof *c);
    c->layout = KV_VMM_PER_LAYER;
    c->via = KV_VIA_ENGINE;
  } else if (strcmp(kind, "open_setting") == 0) {
    b->st = grow(b->st, b->nst + 1, sizeof *b->st);
    s = memset(&b->st[b->nst++], 0, sizeof *s);
    s->preempt = KV_PREEMPT_RECOMPUTE;
    s->via = KV_VIA_ENGINE;
  } else if (strcmp(kind, "open_case") == 0) {
    b->oc = grow(b->oc, b->noc + 1, sizeof *b->oc);
    oc = memset(&b->oc[b->noc++], 0, sizeof *oc);
  } else {
    BAD(rd, "unknown record '%s' (experiment, case, open_setting, open_case)",
        kind);
  }
  for (size_t i = 1; i < n; i++) {
    char *eq = strchr(w[i], '=');
    if (!eq || eq == w[i] || !eq[1]) BAD(rd, "'%s': key=value wanted", w[i]);
    *eq = '\0';
    const char *k = w[i], *v = eq + 1;
    int ok = x   ? set_experiment(rd, x, k, v)
             : c ? set_case(rd, c, k, v)
             : s ? set_setting(rd, s, k, v)
                 : set_open_case(rd, oc, k, v);
    if (!ok) BAD(rd, "%s: unknown field '%s'", kind, k);
  }
  if (x) {
    need(rd, kind, "name", x->name);
    need(rd, kind, "dir", x->dir);
    if (!x->n_requests || !x->kv_capacity || !x->max_batch_tokens ||
        !x->max_num_seqs || !x->prompt_lo || !x->output_lo)
      BAD(rd,
          "%s %s: requests, prompt, output, kv_capacity, "
          "max_batch_tokens and max_num_seqs must be given and positive",
          kind, x->name);
  } else if (c) {
    need(rd, kind, "label", c->label);
    need(rd, kind, "strategy", c->strategy);
  } else if (s) {
    need(rd, kind, "name", s->name);
    if (!s->kv_capacity) BAD(rd, "%s %s: kv_capacity missing", kind, s->name);
  } else {
    need(rd, kind, "name", oc->name);
    need(rd, kind, "strategy", oc->strategy);
  }
}

/* The lines are kept in b (the records point into them) until
 * cases_free(). */
void cases_load(const char *path, case_book *b) {
  memset(b, 0, sizeof *b);
  b->path = path;
  reader rd = {path, 0};
  FILE *f = fopen(path, "r");
  if (!f) {
    fprintf(stderr,
            "validate_gpu: case file %s: %s (write one with `kvsim "
            "experiments/gpu_cases.lua --out FILE`, pass --cases FILE)\n",
            path, strerror(errno));
    exit(2);
  }
  char buf[4096];
  while (fgets(buf, sizeof buf, f)) {
    rd.line++;
    size_t len = strlen(buf);
    if (len == sizeof buf - 1 && buf[len - 1] != '\n')
      BAD(&rd, "line longer than %zu characters", sizeof buf - 2);
    char *line = strdup(buf);
    if (!line) {
      fprintf(stderr, "validate_gpu: out of memory\n");
      exit(1);
    }
    b->lines = grow(b->lines, b->nlines + 1, sizeof *b->lines);
    b->lines[b->nlines++] = line;
    char *w[32];
    size_t n = 0;
    for (char *t = strtok(line, " \t\r\n"); t; t = strtok(NULL, " \t\r\n")) {
      if (n == 32) BAD(&rd, "more than 31 fields");
      w[n++] = t;
    }
    if (n == 0 || w[0][0] == '#') continue;
    record(&rd, b, w, n);
  }
  if (ferror(f)) BAD(&rd, "read error");
  fclose(f);
  const char *why = b->nx == 0                   ? "no experiment record"
                    : b->nst == 0 || b->noc == 0 ? "no open_setting or no "
                                                   "open_case record"
                                                 : NULL;
  for (size_t i = 0; !why && i < b->nx; i++)
    if (b->x[i].n_cases == 0) {
      fprintf(stderr, "validate_gpu: %s: experiment %s has no case\n", path,
              b->x[i].name);
      exit(2);
    }
  if (why) {
    fprintf(stderr, "validate_gpu: %s: %s\n", path, why);
    exit(2);
  }
}

void cases_free(case_book *b) {
  for (size_t i = 0; i < b->nx; i++)
    free(b->x[i].cases);
  free(b->x);
  free(b->st);
  free(b->oc);
  for (size_t i = 0; i < b->nlines; i++)
    free(b->lines[i]);
  free(b->lines);
  memset(b, 0, sizeof *b);
}

void cases_load_args(int argc, char **argv, case_book *b) {
  for (int i = 1; i + 1 < argc; i++)
    if (strcmp(argv[i], "--cases") == 0) {
      cases_load(argv[i + 1], b);
      return;
    }
  /* gpu_cases.txt in the program's folder */
  static char path[PATH_MAX];
  char self[PATH_MAX - 32]; /* room for the name after it */
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) {
    fprintf(stderr, "validate_gpu: cannot find the program's folder; pass "
                    "--cases FILE\n");
    exit(2);
  }
  self[n] = '\0';
  char *slash = strrchr(self, '/');
  if (slash) *slash = '\0';
  snprintf(path, sizeof path, "%s/gpu_cases.txt", self);
  cases_load(path, b);
}
