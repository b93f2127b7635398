/* lua_strategy.h - strategies written in Lua, for prototyping.
 *
 *   local s = kv.strategy{ name = "mypaged", addr_mode = "block_table",
 *                          pool = "device", create = function(cfg) ... end,
 *                          reserve = function(st, req, tokens, emit) ... end,
 *                          release = function(st, req, emit) ... end,
 *                          stats = function(st) ... end, ... }
 *
 * The definition table's functions play the vtable's slots; they emit ops
 * through `emit` (docs/lua_strategies.md lists its methods). A C host
 * opens one for a cfg with kv_lua_strategy_open() and drives it through
 * the returned vtable and state like any C strategy: the generic checker
 * (strategy_check.h) validates it from its ops and its token_map.
 * A run takes one as its strategy: kv.run{ strategy = s, ... }.
 * Main entry points: kv_lua_open_strategy(), kv_lua_strategy_open().
 */
#ifndef KV_LUA_STRATEGY_H
#define KV_LUA_STRATEGY_H

#include <lua.h>

#include "strategy.h"

#define KV_LUA_STRATEGY "kvsim.strategy"

/* Sets field `strategy` (the constructor) in the table at the top. */
void kv_lua_open_strategy(lua_State *L);

/* Instantiate the kv.strategy object at idx for cfg (calls its `create`):
 * *vt and *state then behave as a C strategy's; free with vt->destroy.
 * The object must stay alive (referenced) while the state is used. */
kv_status kv_lua_strategy_open(lua_State *L, int idx,
                               const kv_strategy_cfg *cfg,
                               const kv_strategy_vt **vt, void **state,
                               kv_op_list *ops, kv_error *err);

/* If the value at idx is a kv.strategy: its vtable, with cfg->user set so
 * that vt->create(cfg) instantiates it (kv.run{ strategy = s }); else
 * NULL. The object must stay alive while the run uses it; runs call its
 * functions on the main thread. */
const kv_strategy_vt *kv_lua_strategy_check(lua_State *L, int idx,
                                            kv_strategy_cfg *cfg);

#endif
