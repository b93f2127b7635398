/* test_policy.c - tiering policies written in Lua: a Lua LRU gives exactly
 * the C default's results, another policy changes them (so the Lua one is
 * really applied), and a policy that raises, returns nonsense or writes to
 * its view stops kvsim with a non-zero exit and a message naming the
 * policy function and its file:line.
 * Main entry point: the Criterion tests below.
 */
#include <criterion/criterion.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lua_kvsim.h"
#include "metrics.h"

static lua_State *L;

static void setup(void) {
  cr_assert_eq(chdir(KVSIM_SOURCE_DIR), 0);
  L = luaL_newstate();
  luaL_openlibs(L);
  kv_lua_openlibs(L, NULL);
}

static void teardown(void) {
  lua_close(L);
  L = NULL;
}

static void lua_ok(const char *code, int nres) {
  if (luaL_loadbuffer(L, code, strlen(code), "=test") != LUA_OK ||
      lua_pcall(L, 0, nres, 0) != LUA_OK)
    cr_assert_fail("Lua error: %s", lua_tostring(L, -1));
}

static double field(int t, const char *sub, const char *k) {
  lua_getfield(L, t, sub);
  lua_getfield(L, -1, k);
  double v = lua_tonumber(L, -1);
  lua_pop(L, 2);
  return v;
}

TestSuite(policy, .init = setup, .fini = teardown);

Test(policy, lua_lru_matches_c_lru) {
  lua_ok("package.path = 'tests/lua/?.lua;' .. package.path\n"
         "local c = require 'policy_common'\n"
         "return c.run(nil), c.run({ evict = c.lru }),\n"
         "       c.run({ evict = function(v) return 1 end })\n",
         3);
  int cr = lua_absindex(L, -3), lr = lua_absindex(L, -2),
      other = lua_absindex(L, -1);
  cr_assert_gt(field(cr, "tier", "evictions"), 10, "the run must evict");
  cr_assert_gt(field(lr, "tier", "policy_calls"), 0);
  for (size_t i = 0; i < kv_summary_info_n; i++) {
    const char *k = kv_summary_info[i].name;
    double a = field(cr, "summary", k), b = field(lr, "summary", k);
    cr_assert(a == b || (a != a && b != b), "summary.%s: C %.17g, Lua %.17g", k,
              a, b);
  }
  const char *tk[] = {"evictions", "reloads", "prefetches", "compact_blocks"};
  for (size_t i = 0; i < sizeof tk / sizeof *tk; i++)
    cr_assert_eq(field(cr, "tier", tk[i]), field(lr, "tier", tk[i]), "tier.%s",
                 tk[i]);
  /* evicting the oldest instead changes the outcome */
  cr_assert(field(other, "summary", "ttft_p99") !=
                    field(cr, "summary", "ttft_p99") ||
                field(other, "summary", "copy_bytes_d2h") !=
                    field(cr, "summary", "copy_bytes_d2h"),
            "a different policy gave identical results");
}

Test(policy, options_are_checked) {
  const char *code = "package.path = 'tests/lua/?.lua;' .. package.path\n"
                     "local c = require 'policy_common'\n"
                     "return c.run({ evict = 3 })\n";
  cr_assert_neq(luaL_dostring(L, code), LUA_OK);
  cr_assert(strstr(lua_tostring(L, -1), "policy.evict"), "%s",
            lua_tostring(L, -1));
  code = "package.path = 'tests/lua/?.lua;' .. package.path\n"
         "local c = require 'policy_common'\n"
         "return c.run({ evcit = c.lru })\n";
  cr_assert_neq(luaL_dostring(L, code), LUA_OK);
  cr_assert(strstr(lua_tostring(L, -1), "evcit"), "%s", lua_tostring(L, -1));
  code = "package.path = 'tests/lua/?.lua;' .. package.path\n"
         "local c = require 'policy_common'\n"
         "return c.run({ evict = c.lru }, { tier = false })\n";
  cr_assert_neq(luaL_dostring(L, code), LUA_OK);
  cr_assert(strstr(lua_tostring(L, -1), "tier = true"), "%s",
            lua_tostring(L, -1));
}

/* Run kvsim on a script; returns the exit status, output in buf. */
static int kvsim(const char *script, char *buf, size_t n) {
  const char *bin = getenv("KVSIM_BIN");
  cr_assert(bin && *bin, "KVSIM_BIN is not set (run through ctest)");
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "KVSIM_QUIET=1 '%s' %s 2>&1", bin, script);
  FILE *p = popen(cmd, "r");
  cr_assert(p);
  size_t got = fread(buf, 1, n - 1, p);
  buf[got] = '\0';
  int st = pclose(p);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

Test(policy, raising_policy_stops_the_run) {
  char out[8192];
  int rc = kvsim("tests/lua/policy_error.lua", out, sizeof out);
  cr_assert_neq(rc, 0, "%s", out);
  cr_assert(strstr(out, "policy lua, evict"), "%s", out);
  cr_assert(strstr(out, "policy_error.lua:6"), "where it is defined: %s", out);
  cr_assert(strstr(out, "policy_error.lua:8"), "where it failed: %s", out);
  cr_assert_null(strstr(out, "not reached"));
}

Test(policy, nonsense_result_stops_the_run) {
  char out[8192];
  int rc = kvsim("tests/lua/policy_nonsense.lua", out, sizeof out);
  cr_assert_neq(rc, 0, "%s", out);
  cr_assert(strstr(out, "evict"), "%s", out);
  cr_assert(strstr(out, "policy_nonsense.lua:5"), "%s", out);
  cr_assert(strstr(out, "expected an index into view.candidates"), "%s", out);
  cr_assert_null(strstr(out, "not reached"));
}

Test(policy, view_is_read_only) {
  char out[8192];
  int rc = kvsim("tests/lua/policy_readonly.lua", out, sizeof out);
  cr_assert_neq(rc, 0, "%s", out);
  cr_assert(strstr(out, "read-only"), "%s", out);
  cr_assert(strstr(out, "compact"), "%s", out);
  cr_assert(strstr(out, "policy_readonly.lua:6"), "%s", out);
}
