/* lua_kvsim.c - the C module "kvsim.core": models and platforms as
 * userdata, the name lists, metric metadata, mkdir_p; it opens workloads
 * (lua_workload.c), kv.run and kv.sweep (lua_run.c) and kv.time_ops
 * (lua_bench.c) into the module.
 * The helpers all these files share are in lua_util.c.
 *
 * Misuse raises a Lua error with the script's file:line (luaL_argerror);
 * every unknown key in an option table is an error naming the key.
 * Main entry points: luaopen_kvsim_core(), kv_lua_openlibs().
 */
#include "lua_internal.h"

#include "compute_table.h"
#include "platform_fields.h"
#include "engine.h"
#include "lua_strategy.h"
#include "metrics.h"
#include "ops.h"
#include "strategy.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <lualib.h>

#ifndef KVSIM_SOURCE_DIR
#define KVSIM_SOURCE_DIR "."
#endif

/* ---- field descriptors for models and platforms ---- */

typedef enum { F_U32, F_U64, F_DBL, F_STR, F_CURVE, F_GRID } ftype;

typedef struct fdesc {
  const char *name;
  ftype type;
  size_t offset, size; /* size: char array length for F_STR */
} fdesc;

#define FM(n, t)                                                               \
  { #n, t, offsetof(kv_model, n), sizeof(((kv_model *)0)->n) }
/* clang-format off */
static const fdesc model_fields[] = {
    FM(name, F_STR),          FM(layers, F_U32),
    FM(heads, F_U32),         FM(kv_heads, F_U32),
    FM(head_dim, F_U32),      FM(hidden, F_U32),
    FM(intermediate, F_U32),  FM(vocab, F_U32),
    FM(dtype_bytes, F_U32),   FM(mla_latent, F_U32),
    FM(mla_rope, F_U32),      FM(sliding_window, F_U32),
    FM(window_layers, F_U32), FM(max_context, F_U32),
    FM(params, F_DBL),        FM(active_params, F_DBL),
    FM(weight_bytes, F_U32),  FM(moe_experts, F_U32),
    FM(moe_topk, F_U32),      FM(moe_imbalance, F_DBL),
    FM(tied_embeddings, F_U32),
    {NULL, F_U32, 0, 0}};
/* clang-format on */
#undef FM

/* The platform's fields, from the one list (platform_fields.h). */
#define FP(n, t, rule)                                                         \
  {#n, t, offsetof(kv_platform, n), sizeof(((kv_platform *)0)->n)},
#define FPA(s, n, t)                                                           \
  {s, t, offsetof(kv_platform, n), sizeof(((kv_platform *)0)->n)},
#define FP_VMM_CURVE(c, k) FPA("vmm_" #c "_curve", vmm_curve[k], F_CURVE)
#define FP_VMM_BUSY(c, k) FPA("vmm_" #c "_busy", vmm_busy[k], F_DBL)
#define FP_VMM_AFTER(c, k)                                                     \
  FPA("vmm_" #c "_after_step", vmm_after_step[k], F_DBL)
#define FP_VMM_LIVE(c, k) FPA("vmm_" #c "_live", vmm_live[k], F_CURVE)
#define FP_VMM_GROW(c, k) FPA("vmm_" #c "_grow", vmm_grow[k], F_CURVE)
#define FP_VMM_LIVE_VA(c, k) FPA("vmm_" #c "_live_va", vmm_live_va[k], F_CURVE)
#define FP_VMM_GAP(c, k) FPA("vmm_" #c "_gap", vmm_gap[k], F_GRID)
/* clang-format off */
static const fdesc platform_fields[] = {
    KV_PLATFORM_SCALARS(FP)
    KV_VMM_CALL_FIELDS(FP_VMM_CURVE)
    KV_VMM_CALL_FIELDS(FP_VMM_BUSY)
    KV_VMM_CALL_FIELDS(FP_VMM_AFTER)
    KV_VMM_CALL_FIELDS(FP_VMM_LIVE)
    KV_VMM_GROW_FIELDS(FP_VMM_GROW)
    KV_VMM_LIVE_VA_FIELDS(FP_VMM_LIVE_VA)
    KV_VMM_CALL_FIELDS(FP_VMM_GAP)
    KV_PLATFORM_TABLES(FP)
    {NULL, F_U32, 0, 0}};
/* clang-format on */
#undef FP
#undef FPA
#undef FP_VMM_CURVE
#undef FP_VMM_BUSY
#undef FP_VMM_AFTER
#undef FP_VMM_LIVE
#undef FP_VMM_GROW
#undef FP_VMM_LIVE_VA
#undef FP_VMM_GAP

static const fdesc *find_field(const fdesc *f, const char *name) {
  for (; f->name; f++)
    if (strcmp(f->name, name) == 0) return f;
  return NULL;
}

/* a curve as a list of { x, y } pairs */
static void push_curve(lua_State *L, const kv_curve *c) {
  lua_createtable(L, (int)c->n, 0);
  for (uint32_t i = 0; i < c->n; i++) {
    lua_createtable(L, 2, 0);
    lua_pushnumber(L, c->x[i]);
    lua_rawseti(L, -2, 1);
    lua_pushnumber(L, c->y[i]);
    lua_rawseti(L, -2, 2);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
}

static void push_field(lua_State *L, const void *base, const fdesc *f) {
  const char *p = (const char *)base + f->offset;
  switch (f->type) {
  case F_U32: lua_pushinteger(L, *(const uint32_t *)p); break;
  case F_U64: lua_pushinteger(L, (lua_Integer) * (const uint64_t *)p); break;
  case F_DBL: lua_pushnumber(L, *(const double *)p); break;
  case F_STR: lua_pushstring(L, p); break;
  case F_CURVE: push_curve(L, (const kv_curve *)p); break;
  case F_GRID: {
    const kv_grid *g = (const kv_grid *)p;
    lua_createtable(L, (int)g->n, 0);
    for (uint32_t i = 0; i < g->n; i++) {
      lua_createtable(L, 2, 0);
      lua_pushnumber(L, g->u[i]);
      lua_rawseti(L, -2, 1);
      push_curve(L, &g->row[i]);
      lua_rawseti(L, -2, 2);
      lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    break;
  }
  }
}

/* The curve at the top of the stack (a table): a list of { x, y } pairs;
 * errors name field `key` and start with `where`. */
static void curve_at_top(lua_State *L, const kv_lua_where *w, const char *key,
                         const char *where, kv_curve *c) {
  lua_Integer n = luaL_len(L, -1);
  if (n > KV_CURVE_MAX)
    kv_lua_field_error(L, w, key, "%s%d points (at most %d)", where, (int)n,
                       KV_CURVE_MAX);
  kv_curve out = {0};
  for (lua_Integer i = 1; i <= n; i++) {
    if (lua_rawgeti(L, -1, i) != LUA_TTABLE || luaL_len(L, -1) != 2)
      kv_lua_field_error(L, w, key, "%spoint %d is not a pair {x, y}", where,
                         (int)i);
    for (int j = 1; j <= 2; j++) {
      if (lua_rawgeti(L, -1, j) != LUA_TNUMBER)
        kv_lua_field_error(L, w, key, "%spoint %d: %s is not a number", where,
                           (int)i, j == 1 ? "x" : "y");
      (j == 1 ? out.x : out.y)[i - 1] = lua_tonumber(L, -1);
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  out.n = (uint32_t)n;
  *c = out;
}

/* A curve: a list of { x, y } pairs (x increasing), at most KV_CURVE_MAX;
 * kv_platform_validate checks the values. */
static void read_curve(lua_State *L, int idx, const kv_lua_where *w,
                       const char *key, kv_curve *c) {
  idx = lua_absindex(L, idx);
  int t = lua_getfield(L, idx, key);
  if (t == LUA_TNIL) {
    lua_pop(L, 1);
    return;
  }
  if (t != LUA_TTABLE)
    kv_lua_field_error(L, w, key, "expected a list of {x, y} pairs, got %s",
                       luaL_typename(L, -1));
  curve_at_top(L, w, key, "", c);
  lua_pop(L, 1);
}

/* A grid: a list of { key, curve } rows (keys increasing), at most
 * KV_GRID_MAX; kv_platform_validate checks the values. */
static void read_grid(lua_State *L, int idx, const kv_lua_where *w,
                      const char *key, kv_grid *g) {
  idx = lua_absindex(L, idx);
  int t = lua_getfield(L, idx, key);
  if (t == LUA_TNIL) {
    lua_pop(L, 1);
    return;
  }
  if (t != LUA_TTABLE)
    kv_lua_field_error(L, w, key,
                       "expected a list of {key, {{x, y}, ...}} rows, got %s",
                       luaL_typename(L, -1));
  lua_Integer n = luaL_len(L, -1);
  if (n > KV_GRID_MAX)
    kv_lua_field_error(L, w, key, "%d rows (at most %d)", (int)n, KV_GRID_MAX);
  kv_grid out = {0};
  for (lua_Integer i = 1; i <= n; i++) {
    if (lua_rawgeti(L, -1, i) != LUA_TTABLE || luaL_len(L, -1) != 2)
      kv_lua_field_error(L, w, key, "row %d is not a pair {key, curve}",
                         (int)i);
    if (lua_rawgeti(L, -1, 1) != LUA_TNUMBER)
      kv_lua_field_error(L, w, key, "row %d: its key is not a number", (int)i);
    out.u[i - 1] = lua_tonumber(L, -1);
    lua_pop(L, 1);
    char where[48];
    snprintf(where, sizeof where, "row %d: ", (int)i);
    if (lua_rawgeti(L, -1, 2) != LUA_TTABLE)
      kv_lua_field_error(L, w, key, "row %d: expected a list of {x, y} pairs",
                         (int)i);
    curve_at_top(L, w, key, where, &out.row[i - 1]);
    lua_pop(L, 2);
  }
  out.n = (uint32_t)n;
  *g = out;
  lua_pop(L, 1);
}

/* Set every descriptor field present in the table at idx. */
static void set_fields(lua_State *L, int idx, const kv_lua_where *w, void *base,
                       const fdesc *fields) {
  for (const fdesc *f = fields; f->name; f++) {
    char *p = (char *)base + f->offset;
    switch (f->type) {
    case F_U32:
      *(uint32_t *)p = (uint32_t)kv_lua_opt_u64(L, idx, w, f->name, f->name,
                                                *(uint32_t *)p, 0, UINT32_MAX);
      break;
    case F_U64:
      *(uint64_t *)p = kv_lua_opt_u64(L, idx, w, f->name, f->name,
                                      *(uint64_t *)p, 0, UINT64_MAX >> 1);
      break;
    case F_DBL:
      *(double *)p =
          kv_lua_opt_num(L, idx, w, f->name, f->name, *(double *)p, 0, false);
      break;
    case F_STR: {
      const char *s = kv_lua_opt_str(L, idx, w, f->name, f->name, NULL);
      if (s) snprintf(p, f->size, "%s", s);
      break;
    }
    case F_CURVE: read_curve(L, idx, w, f->name, (kv_curve *)p); break;
    case F_GRID: read_grid(L, idx, w, f->name, (kv_grid *)p); break;
    }
  }
}

/* allowed keys = extra names + descriptor names, in a userdata-free array
 * on the C stack (descriptor lists are short). */
static void check_keys_fields(lua_State *L, int idx, const kv_lua_where *w,
                              const char *what, const char *const *extra,
                              const fdesc *fields) {
  const char *allowed[128];
  size_t n = 0;
  for (size_t i = 0; extra[i] && n < 127; i++)
    allowed[n++] = extra[i];
  for (const fdesc *f = fields; f->name && n < 127; f++)
    allowed[n++] = f->name;
  allowed[n] = NULL;
  kv_lua_check_keys(L, idx, w, what, allowed, false);
}

static int raise_kv(lua_State *L, const kv_lua_where *w, const kv_error *e) {
  return kv_lua_field_error(L, w, NULL, "%s", e->msg);
}

/* ---- kvsim.model ---- */

static int model_new(lua_State *L) {
  kv_lua_where w = {1, ""};
  kv_error e = {0};
  kv_model m;
  memset(&m, 0, sizeof m);
  if (lua_type(L, 1) == LUA_TSTRING) {
    if (kv_model_preset(lua_tostring(L, 1), &m, &e) != KV_OK)
      return raise_kv(L, &w, &e);
  } else {
    luaL_checktype(L, 1, LUA_TTABLE);
    static const char *const extra[] = {"base", "hf_config", NULL};
    check_keys_fields(L, 1, &w, "model", extra, model_fields);
    const char *base = kv_lua_opt_str(L, 1, &w, "base", "base", NULL);
    const char *hf = kv_lua_opt_str(L, 1, &w, "hf_config", "hf_config", NULL);
    if (base && hf)
      kv_lua_field_error(L, &w, NULL, "give either 'base' or 'hf_config'");
    if (base && kv_model_preset(base, &m, &e) != KV_OK)
      kv_lua_field_error(L, &w, "base", "%s", e.msg);
    if (hf && kv_model_from_hf_config(hf, &m, &e) != KV_OK)
      kv_lua_field_error(L, &w, "hf_config", "%s", e.msg);
    if (!base && !hf) {
      snprintf(m.name, sizeof m.name, "custom");
      m.dtype_bytes = 2;
      m.weight_bytes = 2;
    }
    set_fields(L, 1, &w, &m, model_fields);
    if (kv_model_validate(&m, &e) != KV_OK) return raise_kv(L, &w, &e);
  }
  kv_model *u = lua_newuserdatauv(L, sizeof *u, 0);
  *u = m;
  luaL_setmetatable(L, KV_LUA_MODEL);
  return 1;
}

static int model_index(lua_State *L) {
  const kv_model *m = kv_lua_checkmodel(L, 1);
  const char *k = luaL_checkstring(L, 2);
  const fdesc *f = find_field(model_fields, k);
  if (f)
    push_field(L, m, f);
  else if (strcmp(k, "kv_bytes_per_token") == 0)
    lua_pushinteger(L, (lua_Integer)kv_model_kv_bytes_per_token(m));
  else if (strcmp(k, "kv_bytes_per_token_layer") == 0)
    lua_pushinteger(L, (lua_Integer)kv_model_kv_bytes_per_token_layer(m));
  else if (strcmp(k, "weight_bytes_total") == 0)
    lua_pushnumber(L, kv_model_weight_bytes(m));
  else
    return luaL_error(L, "kvsim.model has no field '%s'", k);
  return 1;
}

static int model_tostring(lua_State *L) {
  const kv_model *m = kv_lua_checkmodel(L, 1);
  lua_pushfstring(L, "kvsim.model %s (%d layers, %d KV heads x %d, %I B/token)",
                  m->name, (int)m->layers, (int)m->kv_heads, (int)m->head_dim,
                  (lua_Integer)kv_model_kv_bytes_per_token(m));
  return 1;
}

/* ---- kvsim.platform ---- */

static void platform_fix_source(kv_lua_platform *u, const char *src) {
  size_t n = src ? strnlen(src, sizeof u->source - 1) : 0;
  memmove(u->source, src ? src : "", n);
  u->source[n] = '\0';
  u->p.source = u->source;
}

/* A SimGrid platform file must be there when the platform is built, not
 * only when a run reads it: a readable regular file. */
static void check_xml_file(lua_State *L, const kv_lua_where *w,
                           const char *xml) {
  struct stat sb;
  if (!*xml)
    kv_lua_field_error(L, w, "xml", "empty path (a SimGrid platform file)");
  if (strlen(xml) >= sizeof(((kv_lua_platform *)0)->xml))
    kv_lua_field_error(L, w, "xml", "path too long: '%.64s...'", xml);
  if (stat(xml, &sb) != 0)
    kv_lua_field_error(L, w, "xml", "SimGrid platform file '%s': %s", xml,
                       strerror(errno));
  if (!S_ISREG(sb.st_mode))
    kv_lua_field_error(L, w, "xml",
                       "SimGrid platform file '%s': not a regular file%s", xml,
                       S_ISDIR(sb.st_mode) ? " (a directory)" : "");
  FILE *f = fopen(xml, "r");
  if (!f)
    kv_lua_field_error(L, w, "xml", "SimGrid platform file '%s': %s", xml,
                       strerror(errno));
  fclose(f);
}

/* compute_table = "t.csv" or { "a.csv", "b.csv" } (joined with ';', the
 * field's form): loaded once here so that a bad path or row fails when the
 * platform is built; each backend loads its own copy (core/inputs/platform.h).
 */
static void read_compute_table(lua_State *L, int idx, const kv_lua_where *w,
                               kv_platform *p) {
  idx = lua_absindex(L, idx);
  int t = lua_getfield(L, idx, "compute_table");
  if (t == LUA_TNIL) {
    lua_pop(L, 1);
    return;
  }
  luaL_Buffer b;
  if (t == LUA_TSTRING) {
    lua_pushvalue(L, -1);
  } else if (t == LUA_TTABLE) {
    int ti = lua_gettop(L);
    lua_Integer n = luaL_len(L, ti);
    if (n < 1)
      kv_lua_field_error(L, w, "compute_table", "empty list of CSV files");
    luaL_buffinit(L, &b);
    for (lua_Integer i = 1; i <= n; i++) {
      if (lua_rawgeti(L, ti, i) != LUA_TSTRING)
        kv_lua_field_error(L, w, "compute_table",
                           "item %d is not a path (got %s)", (int)i,
                           luaL_typename(L, -1));
      const char *s = lua_tostring(L, -1);
      if (strchr(s, ';'))
        kv_lua_field_error(L, w, "compute_table",
                           "item %d: a path with ';' ('%s')", (int)i, s);
      lua_pop(L, 1);
      if (i > 1) luaL_addchar(&b, ';');
      luaL_addstring(&b, s);
    }
    luaL_pushresult(&b);
  } else {
    kv_lua_field_error(L, w, "compute_table",
                       "expected a CSV path or a list of them, got %s",
                       luaL_typename(L, -1));
  }
  const char *spec = lua_tostring(L, -1);
  if (!*spec) kv_lua_field_error(L, w, "compute_table", "empty path");
  if (strlen(spec) >= sizeof p->compute_table)
    kv_lua_field_error(L, w, "compute_table",
                       "path too long (%zu bytes, at "
                       "most %zu): '%.64s...'",
                       strlen(spec), sizeof p->compute_table - 1, spec);
  kv_error e = {0};
  kv_ctab *ct = NULL;
  if (kv_ctab_load_spec(spec, &ct, &e) != KV_OK)
    kv_lua_field_error(L, w, "compute_table", "%s", e.msg);
  kv_ctab_free(ct);
  snprintf(p->compute_table, sizeof p->compute_table, "%s", spec);
  lua_pop(L, 2);
}

/* Apply the option table at idx (already key-checked) onto u. */
static void platform_apply(lua_State *L, int idx, const kv_lua_where *w,
                           kv_lua_platform *u, bool *customized) {
  kv_platform before = u->p;
  set_fields(L, idx, w, &u->p, platform_fields);
  read_compute_table(L, idx, w, &u->p);
  const char *xml = kv_lua_opt_str(L, idx, w, "xml", "xml", NULL);
  if (xml) {
    check_xml_file(L, w, xml);
    snprintf(u->xml, sizeof u->xml, "%s", xml);
  }
  const char *src = kv_lua_opt_str(L, idx, w, "source", "source", NULL);
  if (src) platform_fix_source(u, src);
  u->p.source = u->source;
  before.source = u->p.source;
  if (memcmp(&before, &u->p, sizeof before) != 0) *customized = true;
}

/* Whether the table at ftab has any of the fields in names (NULL-ended). */
static bool file_has_any(lua_State *L, int ftab, const char *const *names) {
  for (; *names; names++) {
    int t = lua_getfield(L, ftab, *names);
    lua_pop(L, 1);
    if (t != LUA_TNIL) return true;
  }
  return false;
}

/* Append "; " and a note to the platform's source. */
static void source_append(kv_lua_platform *u, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void source_append(kv_lua_platform *u, const char *fmt, ...) {
  char note[256], s[sizeof u->source + sizeof note + 2];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(note, sizeof note, fmt, ap);
  va_end(ap);
  snprintf(s, sizeof s, "%s; %s", u->source, note);
  platform_fix_source(u, s);
}

/* What a calibration file at ftab leaves to defaults, said in the
 * platform's source (older kvsim-calibrate outputs lack the newer tables):
 * no measured tables at all; no live-handle tables (the base preset's go:
 * the file's factors are over isolation, live handles would count twice);
 * no pool-growth or live-range tables (the base preset's go: they were
 * measured on another machine than the file's calls); no threads-per-block
 * tables. */
static void platform_file_defaults(lua_State *L, int ftab, kv_lua_platform *u,
                                   bool base) {
  /* an older calibration file has no measured tables: say what prices
   * its platform then uses */
  bool tables = false;
  for (const fdesc *f = platform_fields; f->name && !tables; f++) {
    if (f->type != F_CURVE && f->type != F_GRID) continue;
    tables = lua_getfield(L, ftab, f->name) != LUA_TNIL;
    lua_pop(L, 1);
  }
  if (!tables)
    source_append(u, "no measured tables in the file: %s",
                  base ? "the base preset's tables"
                       : "scalar prices (VMM: base + per-MiB slope; copies: "
                         "copy_overhead; SM copies: sm_copy_bw_per_sm)");
  /* a file without live-handle tables (every one kvsim-calibrate wrote
   * before them) prices its VMM calls as measured, its busy and
   * after-step factors over isolation: a base preset's live tables would
   * count the live handles twice, so they go */
  static const char *const live[] = {"vmm_reserve_live", "vmm_create_live",
                                     "vmm_map_live",     "vmm_set_access_live",
                                     "vmm_unmap_live",   "vmm_release_live",
                                     "vmm_free_va_live", NULL};
  if (!file_has_any(L, ftab, live)) {
    memset(u->p.vmm_live, 0, sizeof u->p.vmm_live);
    source_append(u, "no live-handle tables (vmm_<call>_live) in the file: "
                     "VMM calls cost the same at every live-handle count");
  }
  /* a file without the threads x SMs tables (every one kvsim-calibrate
   * wrote before them) prices SM copies of other block sizes than the
   * library kernel's by the resident-threads rule: say so */
  static const char *const threads[] = {"sm_copy_threads_grid_h2d",
                                        "sm_copy_threads_grid_d2h", NULL};
  if (!file_has_any(L, ftab, threads))
    source_append(u,
                  "no threads-per-block tables (sm_copy_threads_grid_<dir>) "
                  "in the file: SM copies on blocks of other than %d threads "
                  "by the resident-threads rule",
                  KV_SM_COPY_THREADS);
  static const char *const grow[] = {
      "vmm_create_grow",     "vmm_map_grow",        "vmm_set_access_grow",
      "vmm_reserve_live_va", "vmm_free_va_live_va", NULL};
  if (!file_has_any(L, ftab, grow)) {
    memset(u->p.vmm_grow, 0, sizeof u->p.vmm_grow);
    memset(u->p.vmm_live_va, 0, sizeof u->p.vmm_live_va);
    source_append(u, "no pool-growth or live-range tables (vmm_<call>_grow, "
                     "vmm_<call>_live_va) in the file: a growing pool's calls "
                     "and reservations cost what any call does");
  }
  static const char *const gap[] = {"vmm_reserve_gap", "vmm_create_gap",
                                    "vmm_map_gap",     "vmm_set_access_gap",
                                    "vmm_unmap_gap",   "vmm_release_gap",
                                    "vmm_free_va_gap", NULL};
  if (!file_has_any(L, ftab, gap)) {
    memset(u->p.vmm_gap, 0, sizeof u->p.vmm_gap);
    source_append(u, "no gap tables (vmm_<call>_gap) in the file: a VMM call "
                     "after a pause costs what it does in a series");
  }
}

static int platform_new(lua_State *L) {
  kv_lua_where w = {1, ""};
  kv_error e = {0};
  kv_lua_platform *u = lua_newuserdatauv(L, sizeof *u, 0);
  memset(u, 0, sizeof *u);
  luaL_setmetatable(L, KV_LUA_PLATFORM);
  int ud = lua_gettop(L);
  if (lua_type(L, 1) == LUA_TSTRING) {
    if (kv_platform_preset(lua_tostring(L, 1), &u->p, &e) != KV_OK)
      return raise_kv(L, &w, &e);
    platform_fix_source(u, u->p.source);
    return 1;
  }
  luaL_checktype(L, 1, LUA_TTABLE);
  static const char *const extra[] = {"base",   "xml",           "file",
                                      "source", "compute_table", NULL};
  check_keys_fields(L, 1, &w, "platform", extra, platform_fields);
  const char *file = kv_lua_opt_str(L, 1, &w, "file", "file", NULL);
  int ftab = 0;
  kv_lua_where fw = w;
  if (file) {
    /* a calibration output: a Lua chunk returning a platform table */
    if (luaL_loadfile(L, file) != LUA_OK || lua_pcall(L, 0, 1, 0) != LUA_OK)
      kv_lua_field_error(L, &w, "file", "%s", lua_tostring(L, -1));
    if (!lua_istable(L, -1))
      kv_lua_field_error(L, &w, "file", "%s did not return a table", file);
    ftab = lua_gettop(L);
    lua_pushfstring(L, "%s: ", file);
    fw.prefix = lua_tostring(L, -1);
    static const char *const fextra[] = {"base", "xml", "source",
                                         "compute_table", NULL};
    check_keys_fields(L, ftab, &fw, "platform file", fextra, platform_fields);
  }
  /* base: a preset's name, or a platform object to start from (a copy of
   * it: its constants, source, XML file and compute table) */
  const kv_lua_platform *from = NULL;
  if (lua_getfield(L, 1, "base") == LUA_TUSERDATA) {
    from = luaL_testudata(L, -1, KV_LUA_PLATFORM);
    if (!from)
      kv_lua_field_error(L, &w, "base",
                         "expected a preset name or a kvsim.platform");
  }
  lua_pop(L, 1); /* the table at 1 keeps the object alive */
  const char *base =
      from ? NULL : kv_lua_opt_str(L, 1, &w, "base", "base", NULL);
  if (!base && !from && ftab)
    base = kv_lua_opt_str(L, ftab, &fw, "base", "base", NULL);
  if (from) {
    u->p = from->p;
    memcpy(u->xml, from->xml, sizeof u->xml);
    platform_fix_source(u, from->source);
  } else if (base) {
    if (kv_platform_preset(base, &u->p, &e) != KV_OK)
      kv_lua_field_error(L, &w, "base", "%s", e.msg);
    platform_fix_source(u, u->p.source);
  } else {
    snprintf(u->p.name, sizeof u->p.name, "custom");
    platform_fix_source(u, "described in Lua");
  }
  bool customized = false;
  if (ftab) {
    platform_apply(L, ftab, &fw, u, &customized);
    if (!lua_getfield(L, ftab, "source")) {
      char s[sizeof u->source];
      snprintf(s, sizeof s, "calibration file %s", file);
      platform_fix_source(u, s);
    }
    lua_pop(L, 1);
    platform_file_defaults(L, ftab, u, base != NULL);
  }
  platform_apply(L, 1, &w, u, &customized);
  if ((base || from) && customized && !lua_getfield(L, 1, "source") &&
      !(ftab && lua_getfield(L, ftab, "source"))) {
    char s[sizeof u->source + 32];
    snprintf(s, sizeof s, "%s, modified in Lua", u->source);
    platform_fix_source(u, s);
  }
  lua_settop(L, ud);
  if (kv_platform_validate(&u->p, &e) != KV_OK) return raise_kv(L, &w, &e);
  return 1;
}

static int platform_index(lua_State *L) {
  const kv_lua_platform *u = kv_lua_checkplatform(L, 1);
  const char *k = luaL_checkstring(L, 2);
  const fdesc *f = find_field(platform_fields, k);
  if (f)
    push_field(L, &u->p, f);
  else if (strcmp(k, "source") == 0)
    lua_pushstring(L, u->source);
  else if (strcmp(k, "xml") == 0)
    u->xml[0] ? (void)lua_pushstring(L, u->xml) : lua_pushnil(L);
  else if (strcmp(k, "compute_table") == 0)
    u->p.compute_table[0] ? (void)lua_pushstring(L, u->p.compute_table)
                          : lua_pushnil(L);
  else
    return luaL_error(L, "kvsim.platform has no field '%s'", k);
  return 1;
}

static int platform_tostring(lua_State *L) {
  const kv_lua_platform *u = kv_lua_checkplatform(L, 1);
  char hbm[32];
  snprintf(hbm, sizeof hbm, "%.1f", (double)u->p.hbm_bytes / 1e9);
  lua_pushfstring(L, "kvsim.platform %s (%d GPU(s), %s GB HBM each)", u->p.name,
                  (int)(u->p.gpus_per_server * u->p.servers), hbm);
  return 1;
}

/* ---- lists, metadata, files ---- */

static int l_models(lua_State *L) {
  kv_lua_push_names(L, kv_model_preset_names());
  return 1;
}
static int l_platforms(lua_State *L) {
  kv_lua_push_names(L, kv_platform_preset_names());
  return 1;
}
static int l_strategies(lua_State *L) {
  kv_lua_push_names(L, kv_strategy_names());
  return 1;
}
static int l_presets(lua_State *L) {
  kv_lua_push_names(L, kv_workload_preset_names());
  return 1;
}

static void push_metric_list(lua_State *L, const kv_metric_info *m, size_t n) {
  lua_createtable(L, (int)n, 0);
  for (size_t i = 0; i < n; i++) {
    lua_createtable(L, 0, 3);
    lua_pushstring(L, m[i].name);
    lua_setfield(L, -2, "name");
    lua_pushstring(L, m[i].unit);
    lua_setfield(L, -2, "unit");
    lua_pushstring(L, m[i].doc);
    lua_setfield(L, -2, "doc");
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
}

/* kv.summary_metrics() -> { {name=, unit=, doc=}, ... } in report order */
static int l_summary_metrics(lua_State *L) {
  push_metric_list(L, kv_summary_info, kv_summary_info_n);
  return 1;
}

static int l_sample_metrics(lua_State *L) {
  push_metric_list(L, kv_sample_info, kv_sample_info_n);
  return 1;
}

static int l_op_kinds(lua_State *L) {
  lua_createtable(L, KV_OP__COUNT, 0);
  for (int k = 0; k < KV_OP__COUNT; k++) {
    lua_pushstring(L, kv_op_kind_name((kv_op_kind)k));
    lua_rawseti(L, -2, k + 1);
  }
  return 1;
}

/* kv.mkdir_p(path) -> true, or raises naming the component that failed */
static int l_mkdir_p(lua_State *L) {
  size_t len;
  const char *path = luaL_checklstring(L, 1, &len);
  luaL_argcheck(L, len > 0, 1, "empty path");
  char *buf = lua_newuserdatauv(L, len + 1, 0);
  memcpy(buf, path, len + 1);
  for (size_t i = 1; i <= len; i++) {
    if (buf[i] != '/' && buf[i] != '\0') continue;
    char c = buf[i];
    buf[i] = '\0';
    struct stat st;
    if (stat(buf, &st) != 0) {
      if (mkdir(buf, 0777) != 0 && errno != EEXIST)
        return luaL_error(L, "cannot create directory '%s': %s", buf,
                          strerror(errno));
    } else if (!S_ISDIR(st.st_mode)) {
      return luaL_error(L, "cannot create directory '%s': a file is in the way",
                        buf);
    }
    buf[i] = c;
  }
  lua_pushboolean(L, 1);
  return 1;
}

/* ---- module ---- */

static const luaL_Reg model_meta[] = {
    {"__index", model_index}, {"__tostring", model_tostring}, {NULL, NULL}};
static const luaL_Reg platform_meta[] = {{"__index", platform_index},
                                         {"__tostring", platform_tostring},
                                         {NULL, NULL}};

/* kv.run(cfg): one engine (lua_run.c), or several models time-slicing one
 * GPU when cfg has `models` (lua_multimodel.c). */
static int l_run(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  int models = lua_getfield(L, 1, "models") != LUA_TNIL;
  lua_pop(L, 1);
  return models ? kv_lua_run_models(L) : kv_lua_run_engine(L);
}

static const luaL_Reg kvsim_core_funcs[] = {
    {"model", model_new},
    {"platform", platform_new},
    {"workload", kv_lua_workload_new},
    {"models", l_models},
    {"platforms", l_platforms},
    {"strategies", l_strategies},
    {"presets", l_presets},
    {"summary_metrics", l_summary_metrics},
    {"sample_metrics", l_sample_metrics},
    {"op_kinds", l_op_kinds},
    {"mkdir_p", l_mkdir_p},
    {"run", l_run},
    {NULL, NULL}};

static void new_meta(lua_State *L, const char *name, const luaL_Reg *fns) {
  luaL_newmetatable(L, name);
  luaL_setfuncs(L, fns, 0);
  lua_pop(L, 1);
}

int luaopen_kvsim_core(lua_State *L) {
  kv_lua_ctx_get(L);
  new_meta(L, KV_LUA_MODEL, model_meta);
  new_meta(L, KV_LUA_PLATFORM, platform_meta);
  kv_lua_open_workload(L);
  luaL_newlib(L, kvsim_core_funcs);
  kv_lua_open_run(L);
  kv_lua_open_bench(L);
  kv_lua_open_json(L);
  kv_lua_open_strategy(L);
  lua_pushstring(L, KV_LUA_VERSION);
  lua_setfield(L, -2, "version");
  lua_pushstring(L, KVSIM_SOURCE_DIR);
  lua_setfield(L, -2, "source_dir");
  return 1;
}

const char *kv_lua_default_scripts_dir(void) {
  return KVSIM_SOURCE_DIR "/scripts";
}

void kv_lua_openlibs(lua_State *L, const char *scripts_dir) {
  kv_lua_ctx_get(L);
  if (!scripts_dir) scripts_dir = kv_lua_default_scripts_dir();
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
  lua_pushcfunction(L, luaopen_kvsim_core);
  lua_setfield(L, -2, "kvsim.core");
  lua_pop(L, 1);
  if (lua_getglobal(L, "package") == LUA_TTABLE) {
    lua_getfield(L, -1, "path");
    lua_pushfstring(L, "%s/?.lua;%s/?/init.lua;%s", scripts_dir, scripts_dir,
                    lua_tostring(L, -1) ? lua_tostring(L, -1) : "");
    lua_setfield(L, -3, "path");
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}
