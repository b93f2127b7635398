/* lua_kvsim.c - the C module "kvsim.core": models, platforms and workloads
 * as userdata, the name lists, metric metadata, mkdir_p; it opens kv.run
 * and kv.sweep (lua_run.c) and kv.time_ops (lua_bench.c) into the module.
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
    {NULL, F_U32, 0, 0}};
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
/* clang-format off */
static const fdesc platform_fields[] = {
    KV_PLATFORM_SCALARS(FP)
    KV_VMM_CALL_FIELDS(FP_VMM_CURVE)
    KV_VMM_CALL_FIELDS(FP_VMM_BUSY)
    KV_VMM_CALL_FIELDS(FP_VMM_AFTER)
    KV_VMM_CALL_FIELDS(FP_VMM_LIVE)
    KV_VMM_GROW_FIELDS(FP_VMM_GROW)
    KV_VMM_LIVE_VA_FIELDS(FP_VMM_LIVE_VA)
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
  const char *base = kv_lua_opt_str(L, 1, &w, "base", "base", NULL);
  if (!base && ftab) base = kv_lua_opt_str(L, ftab, &fw, "base", "base", NULL);
  if (base) {
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
      char s[512];
      snprintf(s, sizeof s, "calibration file %s", file);
      platform_fix_source(u, s);
    }
    lua_pop(L, 1);
    /* an older calibration file has no measured tables: say what prices
     * its platform then uses */
    bool tables = false;
    for (const fdesc *f = platform_fields; f->name; f++) {
      if (f->type != F_CURVE && f->type != F_GRID) continue;
      int t = lua_getfield(L, ftab, f->name);
      lua_pop(L, 1);
      if (t != LUA_TNIL) tables = true;
    }
    if (!tables) {
      char s[sizeof u->source + 256];
      snprintf(s, sizeof s, "%s; no measured tables in the file: %s", u->source,
               base ? "the base preset's tables"
                    : "scalar prices (VMM: base + per-MiB slope; copies: "
                      "copy_overhead; SM copies: sm_copy_bw_per_sm)");
      platform_fix_source(u, s);
    }
    /* a file without live-handle tables (every one kvsim-calibrate wrote
     * before them) prices its VMM calls as measured, its busy and
     * after-step factors over isolation: a base preset's live tables would
     * count the live handles twice, so they go */
    bool live = false;
    for (int k = 0; k < KV_VMM__COUNT; k++) {
      char name[64];
      snprintf(name, sizeof name, "vmm_%s_live", kv_vmm_call_names[k]);
      int t = lua_getfield(L, ftab, name);
      lua_pop(L, 1);
      if (t != LUA_TNIL) live = true;
    }
    if (!live) {
      memset(u->p.vmm_live, 0, sizeof u->p.vmm_live);
      char s[sizeof u->source + 256];
      snprintf(s, sizeof s,
               "%s; no live-handle tables (vmm_<call>_live) in the file: VMM "
               "calls cost the same at every live-handle count",
               u->source);
      platform_fix_source(u, s);
    }
    /* a file without the threads x SMs tables (every one kvsim-calibrate
     * wrote before them) prices SM copies of other block sizes than the
     * library kernel's by the resident-threads rule: say so */
    bool threads = false;
    for (int d = 0; d < 2; d++) {
      int t = lua_getfield(
          L, ftab, d ? "sm_copy_threads_grid_d2h" : "sm_copy_threads_grid_h2d");
      lua_pop(L, 1);
      if (t != LUA_TNIL) threads = true;
    }
    if (!threads) {
      char s[sizeof u->source + 256];
      snprintf(s, sizeof s,
               "%s; no threads-per-block tables (sm_copy_threads_grid_<dir>) "
               "in the file: SM copies on blocks of other than %d threads by "
               "the resident-threads rule",
               u->source, KV_SM_COPY_THREADS);
      platform_fix_source(u, s);
    }
  }
  platform_apply(L, 1, &w, u, &customized);
  if (base && customized && !lua_getfield(L, 1, "source") &&
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

/* ---- kvsim.workload ---- */

static const char *const len_kinds[] = {"fixed", "uniform", "lognormal",
                                        "empirical", NULL};

/* Read a length distribution (a number = fixed) at idx into d; empirical
 * values are copied into a userdata left on the stack. */
static void read_len_dist(lua_State *L, int idx, const kv_lua_where *w,
                          const char *field, kv_len_dist *d) {
  char f[64];
  memset(d, 0, sizeof *d);
  idx = lua_absindex(L, idx);
  if (lua_type(L, idx) == LUA_TNUMBER) {
    d->kind = KV_LEN_FIXED;
    d->a = lua_tonumber(L, idx);
    if (!(d->a >= 1))
      kv_lua_field_error(L, w, field, "must be at least 1, got %s",
                         lua_tostring(L, idx));
    return;
  }
  if (!lua_istable(L, idx))
    kv_lua_field_error(L, w, field, "expected a table or a number, got %s",
                       luaL_typename(L, idx));
  static const char *const keys[] = {"dist", "value", "mean",   "std",
                                     "min",  "max",   "values", NULL};
  lua_pushfstring(L, "%s%s: ", w->prefix, field);
  kv_lua_where sub = {w->arg, lua_tostring(L, -1)};
  kv_lua_check_keys(L, idx, &sub, field, keys, false);
  snprintf(f, sizeof f, "%s.dist", field);
  const char *kind = kv_lua_opt_str(L, idx, w, "dist", f, "lognormal");
  d->kind = (kv_len_kind)kv_lua_pick(L, w, f, kind, len_kinds);
  snprintf(f, sizeof f, "%s.min", field);
  d->min = (uint32_t)kv_lua_opt_u64(L, idx, w, "min", f, 1, 1, UINT32_MAX);
  snprintf(f, sizeof f, "%s.max", field);
  d->max = (uint32_t)kv_lua_opt_u64(L, idx, w, "max", f, 0, 0, UINT32_MAX);
  switch (d->kind) {
  case KV_LEN_FIXED:
    snprintf(f, sizeof f, "%s.value", field);
    d->a = kv_lua_opt_num(L, idx, w, "value", f, NAN, 1, false);
    if (isnan(d->a)) kv_lua_field_error(L, w, f, "missing");
    break;
  case KV_LEN_UNIFORM:
    d->a = d->min;
    d->b = d->max;
    if (d->max < d->min) {
      snprintf(f, sizeof f, "%s.max", field);
      kv_lua_field_error(L, w, f, "must be at least min (%u)", d->min);
    }
    break;
  case KV_LEN_LOGNORMAL:
    snprintf(f, sizeof f, "%s.mean", field);
    d->a = kv_lua_opt_num(L, idx, w, "mean", f, NAN, 0, true);
    if (isnan(d->a)) kv_lua_field_error(L, w, f, "missing");
    snprintf(f, sizeof f, "%s.std", field);
    d->b = kv_lua_opt_num(L, idx, w, "std", f, NAN, 0, false);
    if (isnan(d->b)) kv_lua_field_error(L, w, f, "missing");
    break;
  case KV_LEN_EMPIRICAL: {
    snprintf(f, sizeof f, "%s.values", field);
    if (lua_getfield(L, idx, "values") != LUA_TTABLE)
      kv_lua_field_error(L, w, f, "expected a list of token counts");
    size_t n = (size_t)luaL_len(L, -1);
    if (n == 0) kv_lua_field_error(L, w, f, "is empty");
    uint32_t *v = lua_newuserdatauv(L, n * sizeof *v, 0);
    for (size_t i = 0; i < n; i++) {
      lua_rawgeti(L, -2, (lua_Integer)i + 1);
      lua_Integer x = lua_tointeger(L, -1);
      if (x < 1 || x > UINT32_MAX)
        kv_lua_field_error(L, w, f, "entry %d must be a positive integer",
                           (int)i + 1);
      v[i] = (uint32_t)x;
      lua_pop(L, 1);
    }
    lua_remove(L, -2); /* keep the values userdata */
    d->values = v;
    d->n_values = n;
    return; /* leaves the userdata (and sub prefix) on the stack */
  }
  }
}

static const char *const arrival_kinds[] = {"poisson", "bursty", NULL};
static const char *const prefix_orders[] = {"round-robin", "random", "shuffle",
                                            NULL};

/* synthetic.prefix = { groups, system_prompt, question, prompts_per_group,
 * block, order, multi_turn, turns } at idx; lengths as read_len_dist reads
 * them (empirical values stay on the stack). */
static void read_prefix(lua_State *L, int idx, const kv_lua_where *w,
                        kv_prefix_cfg *p) {
  idx = lua_absindex(L, idx);
  /* three lengths leave up to 3 values each; prompt and output follow */
  luaL_checkstack(L, 16, "synthetic.prefix");
  if (!lua_istable(L, idx))
    kv_lua_field_error(L, w, "synthetic.prefix", "expected a table, got %s",
                       luaL_typename(L, idx));
  static const char *const keys[] = {
      "groups", "system_prompt", "question",   "prompts_per_group",
      "block",  "order",         "multi_turn", "turns",
      NULL};
  kv_lua_where pw = {w->arg, "synthetic.prefix: "};
  kv_lua_check_keys(L, idx, &pw, "prefix", keys, false);
  memset(p, 0, sizeof *p);
  p->groups = (uint32_t)kv_lua_opt_u64(
      L, idx, w, "groups", "synthetic.prefix.groups", 0, 1, UINT32_MAX);
  if (p->groups == 0)
    kv_lua_field_error(L, w, "synthetic.prefix.groups", "missing");
  static const struct {
    const char *key, *field;
    bool required;
  } lens[] = {
      {"system_prompt", "synthetic.prefix.system_prompt", true},
      {"question", "synthetic.prefix.question", true},
      {"prompts_per_group", "synthetic.prefix.prompts_per_group", false},
  };
  kv_len_dist *dst[] = {&p->system_prompt, &p->question, &p->prompts_per_group};
  for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
    lua_getfield(L, idx, lens[i].key);
    if (lua_isnil(L, -1)) {
      if (lens[i].required) kv_lua_field_error(L, w, lens[i].field, "missing");
      continue; /* prompts_per_group: no pool (fixed 0) */
    }
    read_len_dist(L, -1, w, lens[i].field, dst[i]);
  }
  p->block = (uint32_t)kv_lua_opt_u64(
      L, idx, w, "block", "synthetic.prefix.block", 16, 1, UINT32_MAX);
  const char *order = kv_lua_opt_str(L, idx, w, "order",
                                     "synthetic.prefix.order", "round-robin");
  p->order = (kv_prefix_order)kv_lua_pick(L, w, "synthetic.prefix.order", order,
                                          prefix_orders);
  p->multi_turn = kv_lua_opt_bool(L, idx, w, "multi_turn",
                                  "synthetic.prefix.multi_turn", false);
  p->turns = (uint32_t)kv_lua_opt_u64(
      L, idx, w, "turns", "synthetic.prefix.turns", 0, 1, UINT32_MAX);
  if (p->turns && !p->multi_turn)
    kv_lua_field_error(L, w, "synthetic.prefix.turns",
                       "only with multi_turn = true");
}

/* synthetic.session = { turns, think, answer_time } (docs/lua_api.md). */
static void read_session(lua_State *L, int idx, const kv_lua_where *w,
                         kv_session_cfg *ss) {
  idx = lua_absindex(L, idx);
  if (!lua_istable(L, idx))
    kv_lua_field_error(L, w, "synthetic.session", "expected a table, got %s",
                       luaL_typename(L, idx));
  static const char *const keys[] = {"turns", "think", "answer_time", NULL};
  kv_lua_where sw = {w->arg, "synthetic.session: "};
  kv_lua_check_keys(L, idx, &sw, "synthetic.session", keys, false);
  memset(ss, 0, sizeof *ss);
  ss->on = true;
  lua_getfield(L, idx, "turns");
  if (lua_isnil(L, -1))
    kv_lua_field_error(L, w, "synthetic.session.turns", "missing");
  read_len_dist(L, -1, w, "synthetic.session.turns", &ss->turns);
  lua_pop(L, 1);
  int t = lua_getfield(L, idx, "think");
  if (t == LUA_TNUMBER) {
    ss->think.kind = KV_THINK_FIXED;
    ss->think.mean = lua_tonumber(L, -1);
  } else if (t == LUA_TTABLE) {
    static const char *const tkeys[] = {"dist", "mean", "std", NULL};
    static const char *const kinds[] = {"fixed", "exponential", "lognormal",
                                        NULL};
    kv_lua_where tw = {w->arg, "synthetic.session.think: "};
    kv_lua_check_keys(L, -1, &tw, "synthetic.session.think", tkeys, false);
    const char *k = kv_lua_opt_str(
        L, -1, w, "dist", "synthetic.session.think.dist", "exponential");
    ss->think.kind = (kv_think_kind)kv_lua_pick(
        L, w, "synthetic.session.think.dist", k, kinds);
    ss->think.mean = kv_lua_opt_num(
        L, -1, w, "mean", "synthetic.session.think.mean", 0, 0, false);
    ss->think.std = kv_lua_opt_num(L, -1, w, "std",
                                   "synthetic.session.think.std", 0, 0, false);
  } else if (t != LUA_TNIL) {
    kv_lua_field_error(L, w, "synthetic.session.think",
                       "expected a number (s) or a table, got %s",
                       luaL_typename(L, -1));
  }
  lua_pop(L, 1);
  ss->answer_time = kv_lua_opt_num(
      L, idx, w, "answer_time", "synthetic.session.answer_time", 0, 0, false);
}

/* Reader options of kv.workload{ trace = ... } (docs/lua_api.md). */
static void read_trace_opts(lua_State *L, const kv_lua_where *w,
                            kv_trace_opts *o) {
  static const char *const formats[] = {
      "auto", "azure", "burstgpt", "jsonl", "mooncake", "qwen-bailian", NULL};
  static const char *const units[] = {"s", "ms", "us", NULL};
  memset(o, 0, sizeof *o);
  const char *f = kv_lua_opt_str(L, 1, w, "format", "format", "auto");
  switch (kv_lua_pick(L, w, "format", f, formats)) {
  case 1: o->format = KV_TRACE_AZURE; break;
  case 2: o->format = KV_TRACE_BURSTGPT; break;
  case 3: o->format = KV_TRACE_BLOCKHASH; break;
  case 4: o->format = KV_TRACE_BLOCKHASH; break; /* the defaults */
  case 5:
    o->format = KV_TRACE_BLOCKHASH;
    o->hash_block = 16;
    o->time_scale = 1;
    break;
  default: o->format = KV_TRACE_AUTO;
  }
  uint64_t hb =
      kv_lua_opt_u64(L, 1, w, "hash_block", "hash_block", 0, 1, UINT32_MAX);
  if (hb) o->hash_block = (uint32_t)hb;
  const char *u = kv_lua_opt_str(L, 1, w, "time_unit", "time_unit", NULL);
  if (u) {
    static const double scale[] = {1, 1e-3, 1e-6};
    o->time_scale = scale[kv_lua_pick(L, w, "time_unit", u, units)];
  }
  o->model = kv_lua_opt_str(L, 1, w, "model", "model", NULL);
  if (lua_getfield(L, 1, "fields") != LUA_TNIL) {
    if (!lua_istable(L, -1))
      kv_lua_field_error(L, w, "fields", "expected a table, got %s",
                         luaL_typename(L, -1));
    static const char *const keys[] = {"timestamp", "input", "output",
                                       "hash_ids", NULL};
    kv_lua_where fw = {w->arg, "fields: "};
    kv_lua_check_keys(L, -1, &fw, "fields", keys, false);
    o->time_field =
        kv_lua_opt_str(L, -1, w, "timestamp", "fields.timestamp", NULL);
    o->input_field = kv_lua_opt_str(L, -1, w, "input", "fields.input", NULL);
    o->output_field = kv_lua_opt_str(L, -1, w, "output", "fields.output", NULL);
    o->hash_field =
        kv_lua_opt_str(L, -1, w, "hash_ids", "fields.hash_ids", NULL);
  }
  lua_pop(L, 1);
}

static int workload_gc(lua_State *L) {
  kv_workload *w = kv_lua_checkworkload(L, 1);
  kv_workload_free(w);
  kv_workload_init(w);
  return 0;
}

/* on_off = { period = s, on = s, phase = s }: kv_workload_gate. */
static void read_on_off(lua_State *L, const kv_lua_where *w, kv_workload *u) {
  if (lua_getfield(L, 1, "on_off") == LUA_TNIL) {
    lua_pop(L, 1);
    return;
  }
  int t = lua_gettop(L);
  if (!lua_istable(L, t))
    kv_lua_field_error(L, w, "on_off", "expected a table, got %s",
                       luaL_typename(L, t));
  static const char *const keys[] = {"period", "on", "phase", NULL};
  kv_lua_check_keys(L, t, w, "on_off", keys, false);
  double period =
      kv_lua_opt_num(L, t, w, "period", "on_off.period", NAN, 0, true);
  double on = kv_lua_opt_num(L, t, w, "on", "on_off.on", NAN, 0, true);
  double phase = kv_lua_opt_num(L, t, w, "phase", "on_off.phase", 0, 0, false);
  if (isnan(period) || isnan(on))
    kv_lua_field_error(L, w, "on_off", "give 'period' and 'on' (seconds)");
  if (on > period)
    kv_lua_field_error(L, w, "on_off.on", "%g s is longer than the period %g s",
                       on, period);
  kv_workload_gate(u, period, on, phase);
  lua_pop(L, 1);
}

static int workload_new(lua_State *L) {
  kv_lua_where w = {1, ""};
  kv_error e = {0};
  luaL_checktype(L, 1, LUA_TTABLE);
  static const char *const keys[] = {
      "trace", "preset",  "synthetic", "seed",       "first",
      "count", "speedup", "format",    "hash_block", "time_unit",
      "model", "fields",  "on_off",    "shift",      NULL};
  kv_lua_check_keys(L, 1, &w, "workload", keys, false);
  const char *trace = kv_lua_opt_str(L, 1, &w, "trace", "trace", NULL);
  const char *preset = kv_lua_opt_str(L, 1, &w, "preset", "preset", NULL);
  bool synth = lua_getfield(L, 1, "synthetic") != LUA_TNIL;
  lua_pop(L, 1);
  if ((trace != NULL) + (preset != NULL) + synth != 1)
    kv_lua_field_error(L, &w, NULL,
                       "give exactly one of 'trace', 'preset', 'synthetic'");
  kv_trace_opts topts;
  read_trace_opts(L, &w, &topts);
  if (!trace && (topts.format != KV_TRACE_AUTO || topts.hash_block ||
                 topts.time_scale != 0 || topts.model || topts.time_field ||
                 topts.input_field || topts.output_field || topts.hash_field))
    kv_lua_field_error(L, &w, NULL,
                       "format, hash_block, time_unit, model and fields are "
                       "options of 'trace'");
  uint64_t seed = kv_lua_opt_u64(L, 1, &w, "seed", "seed", 1, 0, UINT64_MAX);
  uint64_t first =
      kv_lua_opt_u64(L, 1, &w, "first", "first", 0, 0, UINT64_MAX >> 1);
  uint64_t count =
      kv_lua_opt_u64(L, 1, &w, "count", "count", 0, 1, UINT64_MAX >> 1);
  double speedup = kv_lua_opt_num(L, 1, &w, "speedup", "speedup", 1.0, 0, true);

  kv_workload *u = lua_newuserdatauv(L, sizeof *u, 0);
  kv_workload_init(u);
  luaL_setmetatable(L, KV_LUA_WORKLOAD);
  int ud = lua_gettop(L);
  kv_status st;
  if (trace) {
    st = kv_workload_load_opts(trace, &topts, u, &e);
    if (st != KV_OK) kv_lua_field_error(L, &w, "trace", "%s", e.msg);
  } else if (preset) {
    st = kv_workload_preset(preset, seed, u, &e);
    if (st != KV_OK) kv_lua_field_error(L, &w, "preset", "%s", e.msg);
  } else {
    lua_getfield(L, 1, "synthetic");
    int t = lua_gettop(L);
    if (!lua_istable(L, t))
      kv_lua_field_error(L, &w, "synthetic", "expected a table, got %s",
                         luaL_typename(L, t));
    static const char *const skeys[] = {
        "rate",   "n",      "duration", "arrival", "cv",
        "prompt", "output", "prefix",   "session", NULL};
    kv_lua_where sw = {1, "synthetic: "};
    kv_lua_check_keys(L, t, &sw, "synthetic", skeys, false);
    kv_synth_cfg c;
    memset(&c, 0, sizeof c);
    const char *arr =
        kv_lua_opt_str(L, t, &w, "arrival", "synthetic.arrival", "poisson");
    c.arrival = (kv_arrival_kind)kv_lua_pick(L, &w, "synthetic.arrival", arr,
                                             arrival_kinds);
    c.rate = kv_lua_opt_num(L, t, &w, "rate", "synthetic.rate", NAN, 0, true);
    if (isnan(c.rate)) kv_lua_field_error(L, &w, "synthetic.rate", "missing");
    c.cv = kv_lua_opt_num(L, t, &w, "cv", "synthetic.cv", 1.0, 0, true);
    c.n =
        (size_t)kv_lua_opt_u64(L, t, &w, "n", "synthetic.n", 0, 1, UINT32_MAX);
    c.duration =
        kv_lua_opt_num(L, t, &w, "duration", "synthetic.duration", 0, 0, false);
    if (c.n == 0 && !(c.duration > 0))
      kv_lua_field_error(L, &w, "synthetic", "give 'n' or 'duration'");
    bool prefix = lua_getfield(L, t, "prefix") != LUA_TNIL;
    if (prefix) read_prefix(L, -1, &w, &c.prefix);
    if (lua_getfield(L, t, "session") != LUA_TNIL)
      read_session(L, -1, &w, &c.session);
    lua_pop(L, 1);
    lua_getfield(L, t, "prompt");
    if (prefix && !lua_isnil(L, -1))
      kv_lua_field_error(L, &w, "synthetic.prompt",
                         "not used with 'prefix' (a prompt is its group's "
                         "system_prompt + a question)");
    if (!prefix && lua_isnil(L, -1))
      kv_lua_field_error(L, &w, "synthetic.prompt", "missing");
    if (!prefix) read_len_dist(L, -1, &w, "synthetic.prompt", &c.prompt);
    lua_getfield(L, t, "output");
    if (lua_isnil(L, -1))
      kv_lua_field_error(L, &w, "synthetic.output", "missing");
    read_len_dist(L, -1, &w, "synthetic.output", &c.output);
    st = kv_workload_synthetic(&c, seed, u, &e);
    if (st != KV_OK) kv_lua_field_error(L, &w, "synthetic", "%s", e.msg);
  }
  if (first > 0 && first >= u->n)
    kv_lua_field_error(L, &w, "first", "%llu is past the last request (%llu)",
                       (unsigned long long)first, (unsigned long long)u->n);
  if (first > 0 || (count > 0 && count < u->n - first))
    kv_workload_slice(u, (size_t)first,
                      count ? (size_t)KV_MIN(count, u->n - first)
                            : u->n - (size_t)first);
  if (speedup != 1.0) kv_workload_scale_rate(u, speedup);
  read_on_off(L, &w, u);
  double shift = kv_lua_opt_num(L, 1, &w, "shift", "shift", 0, 0, false);
  if (shift > 0) kv_workload_shift(u, shift);
  if (u->n == 0) kv_lua_field_error(L, &w, NULL, "the workload is empty");
  lua_settop(L, ud);
  return 1;
}

static int workload_len(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)kv_lua_checkworkload(L, 1)->n);
  return 1;
}

static int workload_stats(lua_State *L) {
  const kv_workload *w = kv_lua_checkworkload(L, 1);
  kv_workload_stats s;
  kv_workload_stats_compute(w, &s);
  lua_createtable(L, 0, 12);
  lua_pushinteger(L, (lua_Integer)s.n);
  lua_setfield(L, -2, "n");
  /* rows a reader skipped (BurstGPT) and bytes held (docs/inputs.md) */
  lua_pushinteger(L, (lua_Integer)w->skipped_failed);
  lua_setfield(L, -2, "skipped_failed");
  lua_pushinteger(L, (lua_Integer)w->skipped_model);
  lua_setfield(L, -2, "skipped_model");
  lua_pushinteger(L, (lua_Integer)w->skipped_empty);
  lua_setfield(L, -2, "skipped_empty");
  lua_pushinteger(L, (lua_Integer)kv_workload_bytes(w));
  lua_setfield(L, -2, "bytes");
  const struct {
    const char *name;
    double v;
  } f[] = {
      {"duration", s.duration},
      {"rate", s.rate},
      {"interarrival_cv", s.interarrival_cv},
      {"prompt_mean", s.prompt_mean},
      {"prompt_p50", s.prompt_p50},
      {"prompt_p99", s.prompt_p99},
      {"prompt_max", s.prompt_max},
      {"output_mean", s.output_mean},
      {"output_p50", s.output_p50},
      {"output_p99", s.output_p99},
      {"output_max", s.output_max},
  };
  for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
    lua_pushnumber(L, f[i].v);
    lua_setfield(L, -2, f[i].name);
  }
  return 1;
}

/* Columnar copy: { arrival = {...}, prompt = {...}, output = {...} }. */
static int workload_requests(lua_State *L) {
  const kv_workload *w = kv_lua_checkworkload(L, 1);
  lua_createtable(L, 0, 3);
  lua_createtable(L, (int)w->n, 0);
  lua_createtable(L, (int)w->n, 0);
  lua_createtable(L, (int)w->n, 0);
  for (size_t i = 0; i < w->n; i++) {
    lua_pushnumber(L, w->reqs[i].arrival);
    lua_rawseti(L, -4, (lua_Integer)i + 1);
    lua_pushinteger(L, w->reqs[i].prompt);
    lua_rawseti(L, -3, (lua_Integer)i + 1);
    lua_pushinteger(L, w->reqs[i].output);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_setfield(L, -4, "output");
  lua_setfield(L, -3, "prompt");
  lua_setfield(L, -2, "arrival");
  if (w->session) { /* synthetic sessions: each request's session, from 0 */
    lua_createtable(L, (int)w->n, 0);
    for (size_t i = 0; i < w->n; i++) {
      lua_pushinteger(L, w->session[i]);
      lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "session");
  }
  return 1;
}

/* w:ids(i) -> the prompt's hash ids of request i (1-based), and the ids of
 * the blocks its output completes (a second list; empty for traces);
 * nil when the workload has no hash ids. */
static int workload_ids(lua_State *L) {
  const kv_workload *w = kv_lua_checkworkload(L, 1);
  lua_Integer i = luaL_checkinteger(L, 2);
  luaL_argcheck(L, i >= 1 && (size_t)i <= w->n, 2,
                "request index out of range");
  const kv_request_spec *q = &w->reqs[i - 1];
  if (!w->hash_bytes) {
    lua_pushnil(L);
    return 1;
  }
  size_t n = (size_t)q->hash_n + q->gen_n;
  uint32_t *ids = lua_newuserdatauv(L, (n ? n : 1) * sizeof *ids, 0);
  kv_workload_ids(w, (size_t)i - 1, ids);
  lua_createtable(L, (int)q->hash_n, 0);
  for (uint32_t k = 0; k < q->hash_n; k++) {
    lua_pushinteger(L, ids[k]);
    lua_rawseti(L, -2, (lua_Integer)k + 1);
  }
  lua_createtable(L, (int)q->gen_n, 0);
  for (uint32_t k = 0; k < q->gen_n; k++) {
    lua_pushinteger(L, ids[q->hash_n + k]);
    lua_rawseti(L, -2, (lua_Integer)k + 1);
  }
  return 2;
}

static int workload_index(lua_State *L) {
  const kv_workload *w = kv_lua_checkworkload(L, 1);
  const char *k = luaL_checkstring(L, 2);
  if (strcmp(k, "source") == 0)
    lua_pushstring(L, w->source);
  else if (strcmp(k, "n") == 0)
    lua_pushinteger(L, (lua_Integer)w->n);
  else if (strcmp(k, "stats") == 0)
    lua_pushcfunction(L, workload_stats);
  else if (strcmp(k, "requests") == 0)
    lua_pushcfunction(L, workload_requests);
  else if (strcmp(k, "ids") == 0)
    lua_pushcfunction(L, workload_ids);
  else if (strcmp(k, "block") == 0)
    lua_pushinteger(L, (lua_Integer)w->hash_block_tokens);
  else
    return luaL_error(L, "kvsim.workload has no field '%s'", k);
  return 1;
}

static int workload_tostring(lua_State *L) {
  const kv_workload *w = kv_lua_checkworkload(L, 1);
  lua_pushfstring(L, "kvsim.workload %s (%I requests)", w->source,
                  (lua_Integer)w->n);
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
static const luaL_Reg workload_meta[] = {
    {"__index", workload_index},       {"__len", workload_len},
    {"__tostring", workload_tostring}, {"__gc", workload_gc},
    {"__close", workload_gc},          {NULL, NULL}};

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
    {"workload", workload_new},
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
  new_meta(L, KV_LUA_WORKLOAD, workload_meta);
  luaL_newlib(L, kvsim_core_funcs);
  kv_lua_open_run(L);
  kv_lua_open_bench(L);
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
