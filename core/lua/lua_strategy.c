/* lua_strategy.c - kv.strategy{...}: a strategy whose slots are Lua
 * functions, driven through C trampolines so that a host (a test, the
 * generic checker) uses it as any C strategy (lua_strategy.h).
 * Main entry points: kv_lua_open_strategy(), kv_lua_strategy_open().
 */
#include "lua_strategy.h"

#include "lua_internal.h"

#include "util.h"

#include <lauxlib.h>
#include <stdio.h>
#include <string.h>

#define KV_LUA_EMIT "kvsim.emit"

/* The Lua functions a definition may give, in slot order. */
enum {
  LS_CREATE,
  LS_DESTROY,
  LS_RESERVE,
  LS_RELEASE,
  LS_SWAP_OUT,
  LS_SWAP_IN,
  LS_STATS,
  LS_MAX_TOKENS,
  LS_IS_VALID,
  LS_TOKEN_MAP,
  LS_RESERVE_NEED,
  LS__COUNT
};
static const char *const ls_slot_names[LS__COUNT] = {
    "create",   "destroy",   "reserve",     "release",
    "swap_out", "swap_in",   "stats",       "max_request_tokens",
    "is_valid", "token_map", "reserve_need"};

/* The kv.strategy userdata: a vtable of trampolines described by the
 * definition table (kept as the userdata's user value). */
#define LS_MAX_OPTIONS 16

typedef struct ls_def {
  kv_strategy_vt vt;
  char name[64];
  /* the run keys it takes (`options`): C strategies' options of those
   * names, NULL-ended; vt.options points here */
  kv_strategy_opt opts[LS_MAX_OPTIONS + 1];
  lua_State *L; /* the main thread: create() runs the definition there */
  int def_ref;  /* the definition table, in the registry */
} ls_def;

/* The emit userdata: the list the running call appends to. */
typedef struct ls_emit {
  kv_op_list *ops;
} ls_emit;

/* One instance. Invariants: fn[i] is a registry reference to the
 * definition's function i or LUA_NOREF; st_ref is the table create
 * returned; emit->ops is the list of the call running, else NULL. */
typedef struct ls_inst {
  lua_State *L;
  int fn[LS__COUNT];
  int st_ref, emit_ref;
  ls_emit *emit;
  kv_strategy_cfg cfg;
  char err[256]; /* the first error a Lua function raised ("" = none) */
} ls_inst;

/* ---- emit: the op API (docs/lua_strategies.md) ---- */

static kv_op_list *emit_ops(lua_State *L) {
  ls_emit *e = luaL_checkudata(L, 1, KV_LUA_EMIT);
  if (!e->ops) luaL_error(L, "emit used outside a strategy call");
  return e->ops;
}

static uint32_t arg_u32(lua_State *L, int i) {
  lua_Integer v = luaL_checkinteger(L, i);
  luaL_argcheck(L, v >= 0 && v <= UINT32_MAX, i, "out of range");
  return (uint32_t)v;
}

static uint64_t arg_u64(lua_State *L, int i) {
  lua_Integer v = luaL_checkinteger(L, i);
  luaL_argcheck(L, v >= 0, i, "must not be negative");
  return (uint64_t)v;
}

/* emit:table_write(req, entries [, bytes = 4 * entries]) */
static int emit_table_write(lua_State *L) {
  kv_op_list *l = emit_ops(L);
  uint32_t req = arg_u32(L, 2), k = arg_u32(L, 3);
  kv_op *op = kv_ops_push(l, KV_OP_TABLE_WRITE, req);
  op->count = k;
  op->bytes = (uint64_t)luaL_optinteger(L, 4, 4 * (lua_Integer)k);
  return 0;
}

/* emit:copy(req, "h2d" | "d2h" | "d2d", runs, bytes [, via]) */
static int emit_copy(lua_State *L) {
  static const char *const dirs[] = {"h2d", "d2h", "d2d", NULL};
  kv_op_list *l = emit_ops(L);
  uint32_t req = arg_u32(L, 2);
  int dir = luaL_checkoption(L, 3, NULL, dirs);
  kv_op *op = kv_ops_push(l, KV_OP_COPY, req);
  op->dir = (uint8_t)dir;
  op->count = arg_u32(L, 4);
  op->bytes = arg_u64(L, 5);
  op->via = (uint8_t)luaL_checkoption(L, 6, kv_copy_via_name(KV_VIA_ENGINE),
                                      kv_copy_via_names);
  return 0;
}

/* emit:vmm(kind, req, count, bytes [, addr]): kind is reserve, free_va,
 * create, map, set_access, unmap or release */
static int emit_vmm(lua_State *L) {
  static const char *const kinds[] = {"reserve",    "free_va", "create",  "map",
                                      "set_access", "unmap",   "release", NULL};
  kv_op_list *l = emit_ops(L);
  int kind = luaL_checkoption(L, 2, NULL, kinds);
  kv_op *op = kv_ops_push(l, (kv_op_kind)kind, arg_u32(L, 3));
  op->count = arg_u32(L, 4);
  op->bytes = arg_u64(L, 5);
  op->addr = (uint64_t)luaL_optinteger(L, 6, 0);
  return 0;
}

/* emit:run(src, dst, bytes): one run of the last op (copy, map, unmap,
 * release) */
static int emit_run(lua_State *L) {
  kv_op_list *l = emit_ops(L);
  if (l->n == 0) return luaL_error(L, "emit:run before any op");
  kv_ops_push_run(l, &l->ops[l->n - 1], arg_u64(L, 2), arg_u64(L, 3),
                  arg_u64(L, 4));
  return 0;
}

static const luaL_Reg emit_methods[] = {{"table_write", emit_table_write},
                                        {"copy", emit_copy},
                                        {"vmm", emit_vmm},
                                        {"run", emit_run},
                                        {NULL, NULL}};

/* ---- trampolines: the C vtable's slots call the Lua functions ---- */

static void ls_fail(ls_inst *in, const char *slot) {
  lua_State *L = in->L;
  if (!in->err[0])
    snprintf(in->err, sizeof in->err, "%s: %s", slot,
             lua_isstring(L, -1) ? lua_tostring(L, -1) : "error");
  lua_pop(L, 1);
}

/* Push function `slot` and the state; false when the slot is missing. */
static bool ls_push(ls_inst *in, int slot) {
  if (in->fn[slot] == LUA_NOREF) return false;
  lua_rawgeti(in->L, LUA_REGISTRYINDEX, in->fn[slot]);
  lua_rawgeti(in->L, LUA_REGISTRYINDEX, in->st_ref);
  return true;
}

static void ls_push_emit(ls_inst *in, kv_op_list *ops) {
  in->emit->ops = ops;
  lua_rawgeti(in->L, LUA_REGISTRYINDEX, in->emit_ref);
}

/* Call with nargs arguments after the state; false on a Lua error (the
 * ops the call pushed are dropped). */
static bool ls_call(ls_inst *in, int slot, int nargs, int nres,
                    kv_op_list *ops) {
  size_t n0 = ops ? ops->n : 0, r0 = ops ? ops->runs_n : 0;
  int rc = lua_pcall(in->L, nargs + 1, nres, 0);
  in->emit->ops = NULL;
  if (rc == LUA_OK) return true;
  ls_fail(in, ls_slot_names[slot]);
  if (ops) ops->n = n0, ops->runs_n = r0;
  return false;
}

/* nil / true: KV_OK; "enomem": KV_ENOMEM; "einval" (or anything else):
 * KV_EINVAL. Pops the result. */
static kv_status ls_status(ls_inst *in) {
  lua_State *L = in->L;
  int ty = lua_type(L, -1);
  kv_status rc = KV_EINVAL;
  if (ty == LUA_TNIL || (ty == LUA_TBOOLEAN && lua_toboolean(L, -1)))
    rc = KV_OK;
  else if (ty == LUA_TSTRING && strcmp(lua_tostring(L, -1), "enomem") == 0)
    rc = KV_ENOMEM;
  lua_pop(L, 1);
  return rc;
}

static kv_status ls_req_call(ls_inst *in, int slot, uint32_t req,
                             kv_op_list *ops, bool tokens, uint64_t t) {
  if (!ls_push(in, slot)) return KV_EINVAL;
  lua_pushinteger(in->L, (lua_Integer)req);
  if (tokens) lua_pushinteger(in->L, (lua_Integer)t);
  ls_push_emit(in, ops);
  if (!ls_call(in, slot, tokens ? 3 : 2, 1, ops)) return KV_EINVAL;
  return ls_status(in);
}

static kv_status ls_reserve(void *state, uint32_t req, uint64_t tokens,
                            kv_op_list *ops) {
  return ls_req_call(state, LS_RESERVE, req, ops, true, tokens);
}

static void ls_release(void *state, uint32_t req, kv_op_list *ops) {
  (void)ls_req_call(state, LS_RELEASE, req, ops, false, 0);
}

static kv_status ls_swap_out(void *state, uint32_t req, kv_op_list *ops) {
  return ls_req_call(state, LS_SWAP_OUT, req, ops, false, 0);
}

static kv_status ls_swap_in(void *state, uint32_t req, kv_op_list *ops) {
  return ls_req_call(state, LS_SWAP_IN, req, ops, false, 0);
}

/* clang-format off */
#define LS_STATS_FIELDS(X)                                                     \
  X(capacity)                                                                  \
  X(used)                                                                      \
  X(backed)                                                                    \
  X(allocated)                                                                 \
  X(internal_frag)                                                             \
  X(free)                                                                      \
  X(external_frag)                                                             \
  X(largest_free)                                                              \
  X(reserved_va)                                                               \
  X(metadata)                                                                  \
  X(host_used)                                                                 \
  X(reusable)
/* clang-format on */

static uint64_t field_u64(lua_State *L, int t, const char *k) {
  lua_getfield(L, t, k);
  uint64_t v = (uint64_t)lua_tointeger(L, -1);
  lua_pop(L, 1);
  return v;
}

/* stats(st) returns a table of kv_mem_stats' fields (missing: 0; capacity:
 * the cfg's) */
static void ls_stats(const void *state, uint64_t next_tokens,
                     kv_mem_stats *out) {
  (void)next_tokens;
  ls_inst *in = (ls_inst *)state; /* the Lua stack changes, not the state */
  lua_State *L = in->L;
  memset(out, 0, sizeof *out);
  out->capacity = in->cfg.capacity_bytes;
  if (!ls_push(in, LS_STATS)) return;
  if (!ls_call(in, LS_STATS, 0, 1, NULL)) return;
  if (lua_istable(L, -1)) {
#define LS_READ_(f) out->f = field_u64(L, -1, #f);
    LS_STATS_FIELDS(LS_READ_)
#undef LS_READ_
    out->live_requests = (uint32_t)field_u64(L, -1, "live_requests");
    out->swapped_requests = (uint32_t)field_u64(L, -1, "swapped_requests");
    if (!out->capacity) out->capacity = in->cfg.capacity_bytes;
  }
  lua_pop(L, 1);
}

static uint64_t ls_max_tokens(const void *state) {
  ls_inst *in = (ls_inst *)state;
  if (!ls_push(in, LS_MAX_TOKENS)) return kv_strategy_max_context(&in->cfg);
  if (!ls_call(in, LS_MAX_TOKENS, 0, 1, NULL)) return 0;
  uint64_t v = (uint64_t)lua_tointeger(in->L, -1);
  lua_pop(in->L, 1);
  return v;
}

/* is_valid(st) returns true, or false and a message; an error any Lua
 * function raised earlier is reported here */
static kv_status ls_is_valid(const void *state, kv_error *err) {
  ls_inst *in = (ls_inst *)state;
  if (!in->err[0] && ls_push(in, LS_IS_VALID) &&
      ls_call(in, LS_IS_VALID, 0, 2, NULL)) {
    if (!lua_toboolean(in->L, -2))
      snprintf(in->err, sizeof in->err, "is_valid: %s",
               lua_isstring(in->L, -1) ? lua_tostring(in->L, -1) : "false");
    lua_pop(in->L, 2);
  }
  if (in->err[0])
    return kv_error_set(err, KV_EINVAL, "Lua strategy: %s", in->err);
  return KV_OK;
}

/* token_map(st, req, token) returns addr1, bytes1, addr2, bytes2, ... */
static uint32_t ls_token_map(const void *state, uint32_t req, uint64_t token,
                             kv_extent *out, uint32_t max) {
  ls_inst *in = (ls_inst *)state;
  lua_State *L = in->L;
  int top = lua_gettop(L);
  if (!ls_push(in, LS_TOKEN_MAP)) return 0;
  lua_pushinteger(L, (lua_Integer)req);
  lua_pushinteger(L, (lua_Integer)token);
  if (!ls_call(in, LS_TOKEN_MAP, 2, LUA_MULTRET, NULL)) return 0;
  uint32_t n = (uint32_t)(lua_gettop(L) - top) / 2;
  for (uint32_t i = 0; i < n && i < max; i++)
    out[i] = (kv_extent){(uint64_t)lua_tointeger(L, top + 1 + 2 * (int)i),
                         (uint64_t)lua_tointeger(L, top + 2 + 2 * (int)i)};
  lua_settop(L, top);
  return n;
}

/* reserve_need(st, req, tokens) returns bytes, or nil: it would fail */
static uint64_t ls_reserve_need(const void *state, uint32_t req,
                                uint64_t tokens) {
  ls_inst *in = (ls_inst *)state;
  if (!ls_push(in, LS_RESERVE_NEED)) return UINT64_MAX;
  lua_pushinteger(in->L, (lua_Integer)req);
  lua_pushinteger(in->L, (lua_Integer)tokens);
  if (!ls_call(in, LS_RESERVE_NEED, 2, 1, NULL)) return UINT64_MAX;
  uint64_t v = lua_isinteger(in->L, -1) ? (uint64_t)lua_tointeger(in->L, -1)
                                        : UINT64_MAX;
  lua_pop(in->L, 1);
  return v;
}

static void ls_destroy(void *state, kv_op_list *ops) {
  ls_inst *in = state;
  if (!in) return;
  if (ls_push(in, LS_DESTROY)) {
    ls_push_emit(in, ops);
    if (ls_call(in, LS_DESTROY, 1, 0, ops)) { /* nothing returned */
    }
  }
  for (int i = 0; i < LS__COUNT; i++)
    luaL_unref(in->L, LUA_REGISTRYINDEX, in->fn[i]);
  luaL_unref(in->L, LUA_REGISTRYINDEX, in->st_ref);
  luaL_unref(in->L, LUA_REGISTRYINDEX, in->emit_ref);
  free(in);
}

static kv_status ls_open(const ls_def *d, const kv_strategy_cfg *cfg,
                         void **state, kv_op_list *ops, kv_error *err);

/* The definition comes in cfg->user (kv_lua_strategy_check set it). */
static kv_status ls_create(const kv_strategy_cfg *cfg, void **state,
                           kv_op_list *ops, kv_error *err) {
  if (!cfg->user)
    return kv_error_set(err, KV_EINVAL,
                        "a Lua strategy needs cfg.user (its definition)");
  return ls_open(cfg->user, cfg, state, ops, err);
}

/* The C strategies' option of that name (the first registered), or NULL. */
static const kv_strategy_opt *known_option(const char *name) {
  for (const kv_strategy_vt *const *v = kv_strategy_all(); *v; v++) {
    const kv_strategy_opt *o = kv_strategy_opt_find(*v, name);
    if (o) return o;
  }
  return NULL;
}

/* options = { "block_tokens", ... }: the run keys the strategy takes
 * (`strategy = { s, block_tokens = 32 }`), each one a C strategy's option
 * of that name, read and checked as for C strategies. Raises naming the
 * field. */
static void read_options(lua_State *L, ls_def *d) {
  int ty = lua_getfield(L, 1, "options");
  size_t n = 0;
  if (ty == LUA_TTABLE) {
    lua_Integer len = luaL_len(L, -1);
    if (len > LS_MAX_OPTIONS)
      luaL_argerror(L, 1,
                    lua_pushfstring(L, "field 'options': %d names (at most %d)",
                                    (int)len, LS_MAX_OPTIONS));
    for (lua_Integer i = 1; i <= len; i++) {
      if (lua_rawgeti(L, -1, i) != LUA_TSTRING)
        luaL_argerror(L, 1,
                      lua_pushfstring(L,
                                      "field 'options': item %d is not a "
                                      "string (an option name)",
                                      (int)i));
      const char *name = lua_tostring(L, -1);
      const kv_strategy_opt *o = known_option(name);
      if (!o)
        luaL_argerror(L, 1,
                      lua_pushfstring(L,
                                      "field 'options': unknown option '%s' "
                                      "(a Lua strategy takes the options of "
                                      "the C strategies: block_tokens, "
                                      "page_bytes, slab_bytes, ...)",
                                      name));
      for (size_t k = 0; k < n; k++)
        if (strcmp(d->opts[k].name, o->name) == 0)
          luaL_argerror(
              L, 1, lua_pushfstring(L, "field 'options': '%s' twice", name));
      d->opts[n++] = *o; /* its name is a literal of the C strategy */
      lua_pop(L, 1);
    }
  } else if (ty != LUA_TNIL) {
    luaL_argerror(L, 1,
                  lua_pushfstring(L,
                                  "field 'options': expected a list of option "
                                  "names, got %s",
                                  luaL_typename(L, -1)));
  }
  lua_pop(L, 1);
  memset(&d->opts[n], 0, sizeof d->opts[n]);
  d->vt.options = d->opts;
}

/* ---- kv.strategy{...} ---- */

static int strategy_tostring(lua_State *L) {
  ls_def *d = luaL_checkudata(L, 1, KV_LUA_STRATEGY);
  lua_pushfstring(L, "kv.strategy (%s, Lua)", d->name);
  return 1;
}

static int strategy_gc(lua_State *L) {
  ls_def *d = luaL_checkudata(L, 1, KV_LUA_STRATEGY);
  luaL_unref(L, LUA_REGISTRYINDEX, d->def_ref);
  d->def_ref = LUA_NOREF;
  return 0;
}

static int strategy_new(lua_State *L) {
  static const char *const modes[] = {"contiguous", "block_table",
                                      "offset_table", NULL};
  static const char *const pools[] = {"none", "device", NULL};
  luaL_checktype(L, 1, LUA_TTABLE);
  if (lua_getfield(L, 1, "name") != LUA_TSTRING)
    return luaL_argerror(L, 1, "field 'name': expected a string");
  ls_def *d = lua_newuserdatauv(L, sizeof *d, 0);
  memset(d, 0, sizeof *d);
  snprintf(d->name, sizeof d->name, "%s", lua_tostring(L, -2));
  for (int i = 0; i < LS__COUNT; i++) {
    int ty = lua_getfield(L, 1, ls_slot_names[i]);
    if (ty != LUA_TNIL && ty != LUA_TFUNCTION)
      return luaL_argerror(
          L, 1,
          lua_pushfstring(L, "field '%s': expected a function, got %s",
                          ls_slot_names[i], luaL_typename(L, -1)));
    lua_pop(L, 1);
  }
  lua_getfield(L, 1, "reserve");
  lua_getfield(L, 1, "release");
  lua_getfield(L, 1, "stats");
  if (lua_isnil(L, -3) || lua_isnil(L, -2) || lua_isnil(L, -1))
    return luaL_argerror(L, 1, "reserve, release and stats are required");
  lua_pop(L, 3);
  lua_getfield(L, 1, "addr_mode");
  int mode = luaL_checkoption(L, -1, "contiguous", modes);
  lua_getfield(L, 1, "pool");
  int pool = luaL_checkoption(L, -1, "device", pools);
  lua_pop(L, 2);
  kv_strategy_vt *vt = &d->vt;
  vt->version = KV_STRATEGY_VT_VERSION;
  vt->name = d->name;
  vt->summary = "a strategy written in Lua (kv.strategy)";
  vt->create = ls_create;
  vt->destroy = ls_destroy;
  vt->reserve = ls_reserve;
  vt->release = ls_release;
  lua_getfield(L, 1, "swap_out");
  vt->swap_out = lua_isnil(L, -1) ? NULL : ls_swap_out;
  lua_getfield(L, 1, "swap_in");
  vt->swap_in = lua_isnil(L, -1) ? NULL : ls_swap_in;
  lua_getfield(L, 1, "token_map");
  vt->token_map = lua_isnil(L, -1) ? NULL : ls_token_map;
  lua_pop(L, 3);
  lua_getfield(L, 1, "reserve_need");
  vt->reserve_need = lua_isnil(L, -1) ? NULL : ls_reserve_need;
  lua_pop(L, 1);
  vt->stats = ls_stats;
  vt->max_request_tokens = ls_max_tokens;
  vt->is_valid = ls_is_valid;
  read_options(L, d);
  vt->addr_mode = (kv_addr_mode)mode;
  vt->pool = (kv_pool_need)pool;
  lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_MAINTHREAD);
  d->L = lua_tothread(L, -1);
  lua_pop(L, 1);
  lua_pushvalue(L, 1);
  d->def_ref = luaL_ref(L, LUA_REGISTRYINDEX); /* until d is collected */
  luaL_setmetatable(L, KV_LUA_STRATEGY);
  return 1;
}

static void push_cfg(lua_State *L, const ls_def *d,
                     const kv_strategy_cfg *cfg) {
  lua_createtable(L, 0, 8);
#define LS_SET_(k, v)                                                          \
  lua_pushinteger(L, (lua_Integer)(v));                                        \
  lua_setfield(L, -2, k);
  LS_SET_("capacity_bytes", cfg->capacity_bytes)
  LS_SET_("host_bytes", cfg->host_bytes)
  LS_SET_("max_requests", cfg->max_requests)
  LS_SET_("max_context", kv_strategy_max_context(cfg))
  LS_SET_("block_tokens", cfg->block_tokens)
  LS_SET_("page_bytes", cfg->page_bytes)
  LS_SET_("slab_bytes", cfg->slab_bytes)
  LS_SET_("bytes_per_token", kv_strategy_bytes_per_token(cfg))
#undef LS_SET_
  /* the options it declared, as the run set them (enums by name) */
  for (const kv_strategy_opt *o = d->vt.options; o && o->name; o++) {
    kv_lua_push_strategy_opt(L, cfg, o);
    lua_setfield(L, -2, o->name);
  }
}

static kv_status ls_open(const ls_def *d, const kv_strategy_cfg *cfg,
                         void **state, kv_op_list *ops, kv_error *err) {
  lua_State *L = d->L;
  ls_inst *in = kv_xcalloc(1, sizeof *in);
  in->L = L;
  in->cfg = *cfg;
  lua_rawgeti(L, LUA_REGISTRYINDEX, d->def_ref);
  for (int i = 0; i < LS__COUNT; i++) {
    lua_getfield(L, -1, ls_slot_names[i]);
    in->fn[i] = lua_isfunction(L, -1) ? luaL_ref(L, LUA_REGISTRYINDEX)
                                      : (lua_pop(L, 1), LUA_NOREF);
  }
  lua_pop(L, 1);
  in->emit = lua_newuserdatauv(L, sizeof *in->emit, 0);
  in->emit->ops = NULL;
  luaL_setmetatable(L, KV_LUA_EMIT);
  in->emit_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  if (in->fn[LS_CREATE] != LUA_NOREF) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, in->fn[LS_CREATE]);
    push_cfg(L, d, cfg);
    ls_push_emit(in, ops);
    int rc = lua_pcall(L, 2, 1, 0);
    in->emit->ops = NULL;
    if (rc != LUA_OK || !lua_istable(L, -1)) {
      kv_error_set(err, KV_EINVAL, "%s: create: %s", d->name,
                   rc != LUA_OK ? lua_tostring(L, -1)
                                : "must return a state table");
      lua_pop(L, 1);
      in->st_ref = LUA_NOREF;
      luaL_unref(L, LUA_REGISTRYINDEX, in->fn[LS_DESTROY]);
      in->fn[LS_DESTROY] = LUA_NOREF; /* no state to destroy */
      ls_destroy(in, NULL);
      return KV_EINVAL;
    }
  } else {
    lua_newtable(L);
  }
  in->st_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  *state = in;
  return KV_OK;
}

kv_status kv_lua_strategy_open(lua_State *L, int idx,
                               const kv_strategy_cfg *cfg,
                               const kv_strategy_vt **vt, void **state,
                               kv_op_list *ops, kv_error *err) {
  const ls_def *d = luaL_testudata(L, idx, KV_LUA_STRATEGY);
  if (!d) return kv_error_set(err, KV_EINVAL, "not a kv.strategy");
  *vt = &d->vt;
  return ls_open(d, cfg, state, ops, err);
}

const kv_strategy_vt *kv_lua_strategy_check(lua_State *L, int idx,
                                            kv_strategy_cfg *cfg) {
  const ls_def *d = luaL_testudata(L, idx, KV_LUA_STRATEGY);
  if (!d) return NULL;
  cfg->user = d;
  return &d->vt;
}

void kv_lua_open_strategy(lua_State *L) {
  if (luaL_newmetatable(L, KV_LUA_EMIT)) {
    luaL_newlib(L, emit_methods);
    lua_setfield(L, -2, "__index");
  }
  lua_pop(L, 1);
  if (luaL_newmetatable(L, KV_LUA_STRATEGY)) {
    lua_pushcfunction(L, strategy_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushcfunction(L, strategy_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_pop(L, 1);
  lua_pushcfunction(L, strategy_new);
  lua_setfield(L, -2, "strategy");
}
