/* lua_json.c - JSON into Lua values, through jansson (the library kvsim
 * already links for its run files): kv.read_json(path) and
 * kv.json_decode(text [, name]).
 *
 * Objects become tables with string keys, arrays sequences from 1, strings
 * Lua strings (NUL bytes kept), integers Lua integers, other numbers floats,
 * true and false booleans. null becomes nil, so an object's null member is
 * absent and an array's null leaves a hole (a file that needs positions kept
 * writes a sentinel instead, as scripts/import_vllm_runs.py writes -1).
 * A malformed document, a repeated key in one object, or an integer beyond
 * 64 bits raises an error naming the file (or `name`), the line and the
 * column: "runs.json: line 12, column 5: ...", after the calling script's
 * position as every kv function's errors (a script that reads a user's file
 * can catch it and raise it as the input error it is).
 * Main entry point: kv_lua_open_json().
 */
#include "lua_internal.h"

#include <jansson.h>

#define JSON_FLAGS (JSON_DECODE_ANY | JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL)

static void push_value(lua_State *L, json_t *v) {
  luaL_checkstack(L, 3, "JSON nested too deeply");
  switch (json_typeof(v)) {
  case JSON_OBJECT: {
    lua_createtable(L, 0, (int)json_object_size(v));
    const char *key;
    json_t *item;
    json_object_foreach(v, key, item) {
      if (json_is_null(item)) continue;
      push_value(L, item);
      lua_setfield(L, -2, key);
    }
    break;
  }
  case JSON_ARRAY: {
    size_t n = json_array_size(v);
    lua_createtable(L, n < INT32_MAX ? (int)n : 0, 0);
    for (size_t i = 0; i < n; i++) {
      json_t *item = json_array_get(v, i);
      if (json_is_null(item)) continue;
      push_value(L, item);
      lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    break;
  }
  case JSON_STRING:
    lua_pushlstring(L, json_string_value(v), json_string_length(v));
    break;
  case JSON_INTEGER:
    lua_pushinteger(L, (lua_Integer)json_integer_value(v));
    break;
  case JSON_REAL: lua_pushnumber(L, (lua_Number)json_real_value(v)); break;
  case JSON_TRUE: lua_pushboolean(L, 1); break;
  case JSON_FALSE: lua_pushboolean(L, 0); break;
  case JSON_NULL: lua_pushnil(L); break;
  }
}

/* The document being converted, in a userdata whose __gc frees it: a Lua
 * error while the values are pushed (memory, a document nested too deeply
 * for the stack) leaks nothing. */
#define JSON_BOX "kvsim.json_document"

static int box_gc(lua_State *L) {
  json_t **box = luaL_checkudata(L, 1, JSON_BOX);
  if (*box) json_decref(*box);
  *box = NULL;
  return 0;
}

static json_t **new_box(lua_State *L) {
  json_t **box = lua_newuserdatauv(L, sizeof *box, 0);
  *box = NULL;
  luaL_setmetatable(L, JSON_BOX);
  return box;
}

/* Push the document in *box, or raise naming `name`, line and column (after
 * the calling script's position, as every kv function's errors). */
static int push_document(lua_State *L, json_t **box, const json_error_t *je,
                         const char *name) {
  if (!*box) {
    if (je->line > 0)
      return luaL_error(L, "%s: line %d, column %d: %s", name, je->line,
                        je->column, je->text);
    return luaL_error(L, "%s: %s", name, je->text);
  }
  push_value(L, *box);
  json_decref(*box);
  *box = NULL;
  return 1;
}

/* kv.read_json(path) -> value */
static int l_read_json(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  json_t **box = new_box(L);
  json_error_t je;
  *box = json_load_file(path, JSON_FLAGS, &je);
  return push_document(L, box, &je, path);
}

/* kv.json_decode(text [, name]) -> value; name (default "JSON text") heads
 * its errors */
static int l_json_decode(lua_State *L) {
  size_t len;
  const char *text = luaL_checklstring(L, 1, &len);
  const char *name = luaL_optstring(L, 2, "JSON text");
  json_t **box = new_box(L);
  json_error_t je;
  *box = json_loadb(text, len, JSON_FLAGS, &je);
  return push_document(L, box, &je, name);
}

static const luaL_Reg json_funcs[] = {
    {"read_json", l_read_json}, {"json_decode", l_json_decode}, {NULL, NULL}};

void kv_lua_open_json(lua_State *L) {
  if (luaL_newmetatable(L, JSON_BOX)) {
    lua_pushcfunction(L, box_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_pop(L, 1);
  luaL_setfuncs(L, json_funcs, 0);
}
