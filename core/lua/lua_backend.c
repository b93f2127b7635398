/* lua_backend.c - the backends of the Lua binding: the host's table of
 * descriptors (kv_lua_set_backends, lua_kvsim.h), picking one by name, and
 * reading its options from a run table through an option source
 * (core/engine/backend_desc.h). The binding knows no backend but the ideal one:
 * which keys a backend takes and what they mean is its descriptor's.
 * Main entry points: kv_lua_backend_read(), kv_lua_set_backends().
 */
#include "lua_internal.h"

#include <string.h>

#include "backend_desc.h"

void kv_lua_set_backends(lua_State *L, const kv_lua_backend *list, size_t n,
                         const char *dflt) {
  kv_lua_ctx *c = kv_lua_ctx_get(L);
  c->backends = list;
  c->n_backends = n;
  c->default_backend = dflt;
}

size_t kv_lua_backend_pick(lua_State *L, const kv_lua_where *w,
                           const char *field, const char *name) {
  kv_lua_ctx *c = kv_lua_ctx_get(L);
  const char *names[17];
  size_t n = c->n_backends < 16 ? c->n_backends : 16;
  for (size_t i = 0; i < n; i++)
    names[i] = c->backends[i].name;
  names[n] = NULL;
  size_t i = (size_t)kv_lua_pick(L, w, field, name, names);
  if (!c->backends[i].desc)
    kv_lua_field_error(L, w, field,
                       "this kvsim was built without the %s backend", name);
  return i;
}

/* Whether descriptor d reads option `key`. */
static bool takes_key(const kv_backend_desc *d, const char *key) {
  for (size_t i = 0; d && d->keys && d->keys[i]; i++)
    if (strcmp(d->keys[i], key) == 0) return true;
  return false;
}

/* The run table's keys: the binding's, then those of the host's backends
 * (platform_xml is not one: it comes from kv.platform{ xml = }). */
void kv_lua_check_run_keys(lua_State *L, int t, const kv_lua_where *w,
                           const char *const *run_keys) {
  const kv_lua_ctx *ctx = kv_lua_ctx_get(L);
  const char *keys[96];
  size_t n = 0;
  for (; run_keys[n] && n + 1 < 96; n++)
    keys[n] = run_keys[n];
  for (size_t b = 0; b < ctx->n_backends; b++) {
    const kv_backend_desc *d = ctx->backends[b].desc;
    for (size_t i = 0; d && d->keys && d->keys[i] && n + 1 < 96; i++) {
      bool seen = strcmp(d->keys[i], "platform_xml") == 0;
      for (size_t j = 0; j < n && !seen; j++)
        seen = strcmp(keys[j], d->keys[i]) == 0;
      if (!seen) keys[n++] = d->keys[i];
    }
  }
  keys[n] = NULL;
  kv_lua_check_keys(L, t, w, "the run table", keys, false);
}

/* The run table as an option source; "platform_xml" is the platform's. */
typedef struct run_source {
  lua_State *L;
  int t;
  const char *xml;
  char num[32]; /* a number option, as text (valid until the next get) */
} run_source;

static kv_status run_source_get(void *ud, const char *key, const char **value,
                                kv_error *err) {
  run_source *rs = ud;
  *value = NULL;
  if (strcmp(key, "platform_xml") == 0) {
    *value = rs->xml;
    return KV_OK;
  }
  int ty = lua_getfield(rs->L, rs->t, key);
  if (ty == LUA_TSTRING) *value = lua_tostring(rs->L, -1); /* t holds it */
  if (ty == LUA_TNUMBER) { /* the descriptor reads numbers from text */
    if (lua_isinteger(rs->L, -1))
      snprintf(rs->num, sizeof rs->num, "%lld",
               (long long)lua_tointeger(rs->L, -1));
    else
      snprintf(rs->num, sizeof rs->num, "%.17g", lua_tonumber(rs->L, -1));
    *value = rs->num;
  }
  lua_pop(rs->L, 1);
  if (ty != LUA_TNIL && ty != LUA_TSTRING && ty != LUA_TNUMBER)
    return kv_error_set(err, KV_EINVAL, "expected a string or a number, got %s",
                        lua_typename(rs->L, ty));
  return KV_OK;
}

static int backend_opts_gc(lua_State *L) {
  kv_backend_opts **box = luaL_checkudata(L, 1, "kvsim.backend_opts");
  kv_backend_opts_free(*box);
  *box = NULL;
  return 0;
}

/* New options of d, owned by a userdata in the call's anchor table (freed
 * with it, also when reading the run raises). */
static kv_backend_opts *anchored_opts(lua_State *L, int anchor,
                                      const kv_backend_desc *d) {
  kv_backend_opts **box = lua_newuserdatauv(L, sizeof *box, 0);
  *box = NULL;
  if (luaL_newmetatable(L, "kvsim.backend_opts")) {
    lua_pushcfunction(L, backend_opts_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  *box = kv_backend_opts_new(d);
  lua_rawseti(L, anchor, luaL_len(L, anchor) + 1);
  return *box;
}

size_t kv_lua_backend_read(lua_State *L, int t, int anchor,
                           const kv_lua_where *w, const char *dflt,
                           const char *xml, const kv_backend_desc **desc,
                           const kv_backend_opts **opts) {
  const kv_lua_ctx *ctx = kv_lua_ctx_get(L);
  const char *be = kv_lua_opt_str(L, t, w, "backend", "backend",
                                  dflt ? dflt : ctx->default_backend);
  size_t ix = kv_lua_backend_pick(L, w, "backend", be);
  const kv_backend_desc *d = ctx->backends[ix].desc;
  *desc = d;
  if (xml && !takes_key(d, "platform_xml")) {
    const char *reader = NULL;
    for (size_t b = 0; b < ctx->n_backends && !reader; b++)
      if (takes_key(ctx->backends[b].desc, "platform_xml"))
        reader = ctx->backends[b].name;
    if (reader)
      kv_lua_field_error(L, w, "backend",
                         "the %s backend does not read SimGrid XML (platform "
                         "xml '%s'); use backend = \"%s\"",
                         be, xml, reader);
    kv_lua_field_error(L, w, "backend",
                       "the %s backend does not read SimGrid XML (platform "
                       "xml '%s'); no backend of this kvsim does",
                       be, xml);
  }
  kv_backend_opts *o = anchored_opts(L, anchor, d);
  *opts = o;
  run_source rs = {L, lua_absindex(L, t), xml, {0}};
  kv_opt_source src = {run_source_get, &rs};
  const char *key = NULL;
  kv_error e = {0};
  if (kv_backend_opts_parse(o, &src, &key, &e) != KV_OK)
    kv_lua_field_error(L, w, key ? key : "backend", "%s", e.msg);
  return ix;
}
