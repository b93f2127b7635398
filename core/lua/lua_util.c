/* lua_util.c - what the files of the Lua binding share (lua_internal.h):
 * the per-state context the host's hooks fill (lua_kvsim.h), the option
 * table helpers that raise errors naming the field at fault, and the
 * userdata checks. It calls no other file of the binding, so that the
 * binding's files depend on it and never on each other in a circle.
 * Main entry points: kv_lua_ctx_get(), kv_lua_field_error(),
 * kv_lua_check_keys(), kv_lua_traceback().
 */
#include "lua_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kv_error.h"

/* ---- tracebacks that read the same every run ---- */

#define TB_FIRST 10 /* levels shown before a skip, as luaL_traceback */
#define TB_LAST 11  /* and after it */

void kv_lua_traceback(lua_State *L, const char *msg, int level) {
  luaL_Buffer b;
  lua_Debug ar;
  int depth = level; /* levels from `level` on: depth - level */
  while (lua_getstack(L, depth, &ar))
    depth++;
  int skip = depth - level > TB_FIRST + TB_LAST
                 ? depth - level - TB_FIRST - TB_LAST
                 : 0;
  luaL_buffinit(L, &b);
  if (msg) {
    luaL_addstring(&b, msg);
    luaL_addchar(&b, '\n');
  }
  luaL_addstring(&b, "stack traceback:");
  for (int lv = level; lua_getstack(L, lv, &ar); lv++) {
    if (skip > 0 && lv == level + TB_FIRST) {
      lua_pushfstring(L, "\n\t...\t(skipping %d levels)", skip);
      luaL_addvalue(&b);
      lv += skip - 1;
      continue;
    }
    lua_getinfo(L, "Slnt", &ar);
    if (ar.currentline <= 0)
      lua_pushfstring(L, "\n\t%s: in ", ar.short_src);
    else
      lua_pushfstring(L, "\n\t%s:%d: in ", ar.short_src, ar.currentline);
    luaL_addvalue(&b);
    if (*ar.namewhat != '\0')
      lua_pushfstring(L, "%s '%s'", ar.namewhat, ar.name);
    else if (*ar.what == 'm')
      lua_pushliteral(L, "main chunk");
    else if (*ar.what != 'C')
      lua_pushfstring(L, "function <%s:%d>", ar.short_src, ar.linedefined);
    else
      lua_pushliteral(L, "?");
    luaL_addvalue(&b);
    if (ar.istailcall) luaL_addstring(&b, "\n\t(...tail calls...)");
  }
  luaL_pushresult(&b);
}

/* ---- per-state context ---- */

/* the backends of a host that names none */
static const kv_lua_backend ideal_only[] = {{"ideal", &kv_backend_ideal_desc}};

static const char ctx_key = 'k'; /* its address keys the registry entry */

kv_lua_ctx *kv_lua_ctx_get(lua_State *L) {
  kv_lua_ctx *c;
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &ctx_key) == LUA_TUSERDATA) {
    c = lua_touserdata(L, -1);
    lua_pop(L, 1);
    return c;
  }
  lua_pop(L, 1);
  c = lua_newuserdatauv(L, sizeof *c, 0);
  memset(c, 0, sizeof *c);
  c->progress_every = 10.0;
  c->backends = ideal_only;
  c->n_backends = 1;
  c->default_backend = "ideal";
  lua_rawsetp(L, LUA_REGISTRYINDEX, &ctx_key);
  return c;
}

void kv_lua_set_interrupt(lua_State *L, volatile int *flag) {
  kv_lua_ctx_get(L)->interrupt = flag;
}

void kv_lua_set_progress(lua_State *L, kv_lua_progress_fn fn, void *ud,
                         double every) {
  kv_lua_ctx *c = kv_lua_ctx_get(L);
  c->progress = fn;
  c->progress_ud = ud;
  c->progress_every = every > 0 ? every : 10.0;
}

void kv_lua_set_clock(lua_State *L, kv_lua_clock_fn fn, void *ud) {
  kv_lua_ctx *c = kv_lua_ctx_get(L);
  c->clock = fn;
  c->clock_ud = ud;
}

void kv_lua_set_failure(lua_State *L, kv_lua_failure_fn fn, void *ud) {
  kv_lua_ctx *c = kv_lua_ctx_get(L);
  c->failure = fn;
  c->failure_ud = ud;
}

size_t kv_lua_failed_runs(lua_State *L) {
  return kv_lua_ctx_get(L)->failed_runs;
}

/* ---- option table helpers ---- */

int kv_lua_field_error(lua_State *L, const kv_lua_where *w, const char *field,
                       const char *fmt, ...) {
  char msg[768];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (field)
    lua_pushfstring(L, "%sfield '%s': %s", w->prefix, field, msg);
  else
    lua_pushfstring(L, "%s%s", w->prefix, msg);
  return luaL_argerror(L, w->arg, lua_tostring(L, -1));
}

void kv_lua_check_keys(lua_State *L, int idx, const kv_lua_where *w,
                       const char *what, const char *const *allowed,
                       bool positional) {
  idx = lua_absindex(L, idx);
  char bad[128] = "";
  bool have_bad = false, bad_nonstring = false;
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    lua_pop(L, 1); /* value */
    if (lua_type(L, -1) == LUA_TSTRING) {
      const char *k = lua_tostring(L, -1);
      bool ok = false;
      for (size_t i = 0; allowed[i] && !ok; i++)
        ok = strcmp(allowed[i], k) == 0;
      if (!ok && (!have_bad || strcmp(k, bad) < 0)) {
        snprintf(bad, sizeof bad, "%s", k);
        have_bad = true;
      }
    } else if (!(positional && lua_isinteger(L, -1) &&
                 lua_tointeger(L, -1) == 1)) {
      bad_nonstring = true;
    }
  }
  if (!have_bad && !bad_nonstring) return;
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for (size_t i = 0; allowed[i]; i++) {
    if (i) luaL_addstring(&b, ", ");
    luaL_addstring(&b, allowed[i]);
  }
  luaL_pushresult(&b);
  const char *list = lua_tostring(L, -1);
  if (have_bad)
    kv_lua_field_error(L, w, NULL, "unknown key '%s' in %s (valid: %s)", bad,
                       what, list);
  kv_lua_field_error(L, w, NULL, "%s takes only named keys%s (valid: %s)", what,
                     positional ? " after its first entry" : "", list);
}

/* t[key] pushed when it has Lua type `type` (true); nothing pushed when it
 * is nil (false); otherwise an error naming `field`: "expected a <what>". */
static bool value_at(lua_State *L, int idx, const kv_lua_where *w,
                     const char *key, const char *field, int type,
                     const char *what) {
  int t = lua_getfield(L, lua_absindex(L, idx), key);
  if (t == LUA_TNIL) {
    lua_pop(L, 1);
    return false;
  }
  if (t != type)
    kv_lua_field_error(L, w, field, "expected a %s, got %s", what,
                       luaL_typename(L, -1));
  return true;
}

uint64_t kv_lua_opt_u64(lua_State *L, int idx, const kv_lua_where *w,
                        const char *key, const char *field, uint64_t dflt,
                        uint64_t min, uint64_t max) {
  if (!value_at(L, idx, w, key, field, LUA_TNUMBER, "number")) return dflt;
  double d = lua_tonumber(L, -1);
  lua_Integer i = 0;
  bool integral = lua_isinteger(L, -1) ? (i = lua_tointeger(L, -1), true)
                                       : (d == floor(d) && fabs(d) < 9.2e18 &&
                                          (i = (lua_Integer)d, true));
  if (!integral)
    kv_lua_field_error(L, w, field, "must be an integer, got %s",
                       lua_tostring(L, -1));
  if (i < 0 || (uint64_t)i < min) {
    if (min >= 1)
      kv_lua_field_error(L, w, field, "must be at least %llu, got %s",
                         (unsigned long long)min, lua_tostring(L, -1));
    kv_lua_field_error(L, w, field, "must not be negative, got %s",
                       lua_tostring(L, -1));
  }
  if ((uint64_t)i > max)
    kv_lua_field_error(L, w, field, "must be at most %llu, got %s",
                       (unsigned long long)max, lua_tostring(L, -1));
  lua_pop(L, 1);
  return (uint64_t)i;
}

double kv_lua_opt_num(lua_State *L, int idx, const kv_lua_where *w,
                      const char *key, const char *field, double dflt,
                      double min, bool min_exclusive) {
  if (!value_at(L, idx, w, key, field, LUA_TNUMBER, "number")) return dflt;
  double d = lua_tonumber(L, -1);
  if (!isfinite(d))
    kv_lua_field_error(L, w, field, "must be finite, got %s",
                       lua_tostring(L, -1));
  if (min_exclusive ? !(d > min) : !(d >= min))
    kv_lua_field_error(L, w, field, "must be %s %g, got %s",
                       min_exclusive ? "greater than" : "at least", min,
                       lua_tostring(L, -1));
  lua_pop(L, 1);
  return d;
}

/* The string stays valid while the table holding it is alive. */
const char *kv_lua_opt_str(lua_State *L, int idx, const kv_lua_where *w,
                           const char *key, const char *field,
                           const char *dflt) {
  if (!value_at(L, idx, w, key, field, LUA_TSTRING, "string")) return dflt;
  const char *s = lua_tostring(L, -1);
  lua_pop(L, 1);
  return s;
}

bool kv_lua_opt_bool(lua_State *L, int idx, const kv_lua_where *w,
                     const char *key, const char *field, bool dflt) {
  if (!value_at(L, idx, w, key, field, LUA_TBOOLEAN, "boolean")) return dflt;
  bool b = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return b;
}

int kv_lua_pick(lua_State *L, const kv_lua_where *w, const char *field,
                const char *got, const char *const *names) {
  for (int i = 0; names[i]; i++)
    if (strcmp(names[i], got) == 0) return i;
  kv_error e;
  kv_error_unknown_name(&e, field, got, names);
  kv_lua_field_error(L, w, field, "%s", e.msg);
  return -1;
}

bool kv_lua_count_unit(const char *unit) {
  static const char *const units[] = {"req",   "step",  "tok", "call", "run",
                                      "entry", "block", "B",   NULL};
  for (size_t i = 0; unit && units[i]; i++)
    if (strcmp(unit, units[i]) == 0) return true;
  return false;
}

void kv_lua_push_strategy_opt(lua_State *L, const kv_strategy_cfg *cfg,
                              const kv_strategy_opt *o) {
  uint64_t v = kv_strategy_opt_get(cfg, o);
  if (o->type == KV_OPT_BOOL)
    lua_pushboolean(L, v != 0);
  else if (o->type == KV_OPT_ENUM)
    lua_pushstring(L, o->choices[v]);
  else
    lua_pushinteger(L, (lua_Integer)v);
}

void kv_lua_push_count(lua_State *L, double v) {
  /* 2^53: beyond it a double no longer holds every integer */
  if (v == floor(v) && fabs(v) < 9007199254740992.0)
    lua_pushinteger(L, (lua_Integer)v);
  else
    lua_pushnumber(L, v);
}

void kv_lua_set_metrics(lua_State *L, const kv_metric_info *m, size_t n,
                        const void *rec) {
  for (size_t i = 0; i < n; i++) {
    if (kv_lua_count_unit(m[i].unit))
      kv_lua_push_count(L, kv_metric_get(rec, &m[i]));
    else
      lua_pushnumber(L, kv_metric_get(rec, &m[i]));
    lua_setfield(L, -2, m[i].name);
  }
}

void kv_lua_push_names(lua_State *L, const char *const *names) {
  lua_newtable(L);
  for (int i = 0; names && names[i]; i++) {
    lua_pushstring(L, names[i]);
    lua_rawseti(L, -2, i + 1);
  }
}

/* ---- userdata ---- */

kv_model *kv_lua_checkmodel(lua_State *L, int idx) {
  return luaL_checkudata(L, idx, KV_LUA_MODEL);
}

kv_lua_platform *kv_lua_checkplatform(lua_State *L, int idx) {
  return luaL_checkudata(L, idx, KV_LUA_PLATFORM);
}

kv_workload *kv_lua_checkworkload(lua_State *L, int idx) {
  return luaL_checkudata(L, idx, KV_LUA_WORKLOAD);
}
