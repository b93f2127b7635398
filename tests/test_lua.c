/* test_lua.c - the Lua API in-process: result tables carry every metric,
 * timeline columns line up, the CSV/JSON writers write exactly what they
 * should, identical runs give identical bytes, option tables are checked.
 * Main entry point: the Criterion tests below.
 */
#include <criterion/criterion.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lua_kvsim.h"
#include "strategy.h"
#include "metrics.h"
#ifdef KVSIM_HAVE_SIM
#include "sim_backend.h"
#endif

static lua_State *L;

static void setup(void) {
  L = luaL_newstate();
  cr_assert(L);
  luaL_openlibs(L);
  kv_lua_openlibs(L, NULL);
}

static void teardown(void) {
  if (L) lua_close(L);
  L = NULL;
}

/* Run a chunk; on error fail with the message. Leaves its results. */
static void lua_ok(const char *code, int nres) {
  if (luaL_loadbuffer(L, code, strlen(code), "=test") != LUA_OK ||
      lua_pcall(L, 0, nres, 0) != LUA_OK)
    cr_assert_fail("Lua error: %s", lua_tostring(L, -1));
}

/* Run a chunk that must fail; returns the message (on the stack). */
static const char *lua_fails(const char *code) {
  if (luaL_loadbuffer(L, code, strlen(code), "=test") != LUA_OK)
    cr_assert_fail("syntax: %s", lua_tostring(L, -1));
  int st = lua_pcall(L, 0, 0, 0);
  cr_assert_neq(st, LUA_OK, "expected an error from: %s", code);
  return lua_tostring(L, -1);
}

/* Create an empty file from a mkstemp template (path is rewritten). */
static void temp_file(char *path) {
  int fd = mkstemp(path);
  cr_assert(fd >= 0, "mkstemp %s", path);
  close(fd);
}

static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  cr_assert(f, "cannot open %s", path);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *s = malloc((size_t)n + 1);
  cr_assert(fread(s, 1, (size_t)n, f) == (size_t)n);
  s[n] = '\0';
  fclose(f);
  return s;
}

static const char *small_run =
    "local kv = require 'kvsim'\n"
    "W = W or kv.workload{ preset = 'azure-conv', seed = 3, count = 120 }\n"
    "return kv.run{ model = 'llama-3-8b', platform = 'h100-sxm-80gb',\n"
    "  workload = W, strategy = { 'paged', block_tokens = 16 },\n"
    "  backend = 'ideal', seed = 3, check = 1, requests = true }\n";

TestSuite(lua, .init = setup, .fini = teardown);

Test(lua, result_has_every_summary_metric) {
  lua_ok(small_run, 1);
  cr_assert(lua_istable(L, -1));
  cr_expect_eq(lua_getfield(L, -1, "label"), LUA_TSTRING);
  cr_expect_str_eq(lua_tostring(L, -1), "paged-16");
  lua_pop(L, 1);
  lua_getfield(L, -1, "summary");
#define X(name, unit, agg, doc)                                                \
  cr_expect_eq(lua_getfield(L, -1, #name), LUA_TNUMBER,                        \
               "summary." #name " missing");                                   \
  lua_pop(L, 1);
  KV_SUMMARY_METRICS(X)
#undef X
  lua_getfield(L, -1, "requests");
  cr_expect_eq(lua_tonumber(L, -1), 120);
  lua_pop(L, 1);
  lua_getfield(L, -1, "completed");
  cr_expect_eq(lua_tonumber(L, -1), 120, "every request should complete");
  lua_pop(L, 1);
  cr_expect_eq(lua_getfield(L, -1, "op_count"), LUA_TTABLE);
  cr_expect_eq(lua_getfield(L, -1, "vmm_map"), LUA_TNUMBER);
}

Test(lua, timeline_columns_have_equal_lengths) {
  lua_ok(small_run, 1);
  lua_getfield(L, -1, "timeline");
  lua_Integer n = -1;
#define X(name, unit, doc)                                                     \
  cr_assert_eq(lua_getfield(L, -1, #name), LUA_TTABLE,                         \
               "timeline." #name " missing");                                  \
  if (n < 0) n = luaL_len(L, -1);                                              \
  cr_expect_eq(luaL_len(L, -1), n, "timeline." #name " length differs");       \
  lua_pop(L, 1);
  KV_SAMPLE_METRICS(X)
#undef X
  cr_expect_gt(n, 1);
  lua_pop(L, 2);
  /* per-request columns, one entry per request */
  lua_ok(small_run, 1);
  lua_getfield(L, -1, "requests");
  cr_assert(lua_istable(L, -1));
  lua_getfield(L, -1, "first_token");
  cr_expect_eq(luaL_len(L, -1), 120);
}

Test(lua, same_run_twice_gives_identical_csv_bytes) {
  char dir[] = "/tmp/kvsim_lua_detXXXXXX";
  cr_assert(mkdtemp(dir));
  char code[2048];
  snprintf(code, sizeof code,
           "local kv = require 'kvsim'\n"
           "local cols = {}\n"
           "for i, m in ipairs(kv.sample_metrics()) do cols[i] = m.name end\n"
           "for i = 1, 2 do\n"
           "  local w = kv.workload{ preset = 'azure-conv', seed = 5, count "
           "= 150 }\n"
           "  local r = kv.run{ model = 'llama-3-8b', platform = "
           "'h100-sxm-80gb', workload = w,\n"
           "    strategy = { 'vmm', page_bytes = 2 << 20 }, backend = "
           "'ideal', seed = 5 }\n"
           "  kv.write_csv('%s/t' .. i .. '.csv', r.timeline, cols)\n"
           "  kv.write_json('%s/s' .. i .. '.json', r.summary)\n"
           "end\n",
           dir, dir);
  lua_ok(code, 0);
  char p1[256], p2[256];
  const char *kinds[][2] = {{"t1.csv", "t2.csv"}, {"s1.json", "s2.json"}};
  for (int k = 0; k < 2; k++) {
    snprintf(p1, sizeof p1, "%s/%s", dir, kinds[k][0]);
    snprintf(p2, sizeof p2, "%s/%s", dir, kinds[k][1]);
    char *a = read_file(p1), *b = read_file(p2);
    cr_expect_gt(strlen(a), 100);
    cr_expect_str_eq(a, b, "%s and %s differ", p1, p2);
    free(a);
    free(b);
    unlink(p1);
    unlink(p2);
  }
  rmdir(dir);
}

Test(lua, sweep_matches_run_and_keeps_order) {
  lua_ok("local kv = require 'kvsim'\n"
         "local w = kv.workload{ preset = 'azure-conv', seed = 2, count = 80 "
         "}\n"
         "local base = { model = 'llama-3-8b', platform = 'h100-sxm-80gb',\n"
         "  workload = w, backend = 'ideal' }\n"
         "local function cfg(s, label)\n"
         "  local c = { strategy = s, label = label }\n"
         "  for k, v in pairs(base) do c[k] = v end\n"
         "  return c\n"
         "end\n"
         "local rs = kv.sweep({ cfg('static', 'a'), cfg({'paged', "
         "block_tokens = 32}, 'b'),\n"
         "  cfg('indirect', 'c') }, { jobs = 2 })\n"
         "local one = kv.run(cfg({'paged', block_tokens = 32}, 'b'))\n"
         "return rs[1].label .. rs[2].label .. rs[3].label, #rs,\n"
         "  rs[2].summary.util_mean == one.summary.util_mean,\n"
         "  rs[2].summary.ttft_p99 == one.summary.ttft_p99,\n"
         "  #rs[2].timeline.t == #one.timeline.t, rs[3].strategy\n",
         6);
  cr_expect_str_eq(lua_tostring(L, 1), "abc");
  cr_expect_eq(lua_tointeger(L, 2), 3);
  cr_expect(lua_toboolean(L, 3), "util_mean differs between sweep and run");
  cr_expect(lua_toboolean(L, 4), "ttft_p99 differs between sweep and run");
  cr_expect(lua_toboolean(L, 5), "timeline lengths differ");
  cr_expect_str_eq(lua_tostring(L, 6), "indirect");
}

Test(lua, csv_writer_rows_and_columns) {
  char path[] = "/tmp/kvsim_lua_csvXXXXXX";
  temp_file(path);
  char code[1024];
  snprintf(code, sizeof code,
           "local kv = require 'kvsim'\n"
           "kv.write_csv('%s', {\n"
           "  { name = 'a,b', n = 3, x = 0.1, big = 2^40, flag = true },\n"
           "  { name = 'say \"hi\"', n = -7, x = 1/3 } },\n"
           "  { 'name', 'n', 'x', 'big', 'flag' })\n",
           path);
  lua_ok(code, 0);
  char *s = read_file(path);
  cr_expect_str_eq(s, "name,n,x,big,flag\n"
                      "\"a,b\",3,0.1,1099511627776,true\n"
                      "\"say \"\"hi\"\"\",-7,0.333333333,,\n");
  free(s);
  snprintf(code, sizeof code,
           "local kv = require 'kvsim'\n"
           "return kv.write_csv('%s', { t = { 0.5, 1.5 }, used = { 10, 20 "
           "} })\n",
           path);
  lua_ok(code, 1);
  cr_expect_eq(lua_tointeger(L, -1), 2);
  s = read_file(path);
  cr_expect_str_eq(s, "t,used\n0.5,10\n1.5,20\n");
  free(s);
  snprintf(code, sizeof code,
           "local kv = require 'kvsim'\n"
           "kv.write_csv('%s', { t = { 1, 2 }, used = { 1 } })\n",
           path);
  const char *msg = lua_fails(code);
  cr_expect(strstr(msg, "column 'used' has 1 values, 't' has 2"), "%s", msg);
  unlink(path);
}

Test(lua, json_writer_sorts_keys) {
  char path[] = "/tmp/kvsim_lua_jsonXXXXXX";
  temp_file(path);
  char code[1024];
  snprintf(code, sizeof code,
           "local kv = require 'kvsim'\n"
           "kv.write_json('%s', { zeta = 1, alpha = { 1, 2.5, 'x' },\n"
           "  mid = { b = true, a = 0/0 }, s = 'q\"\\n', e = {} })\n",
           path);
  lua_ok(code, 0);
  char *s = read_file(path);
  cr_expect_str_eq(s, "{\n"
                      "  \"alpha\": [1, 2.5, \"x\"],\n"
                      "  \"e\": {},\n"
                      "  \"mid\": {\n"
                      "    \"a\": null,\n"
                      "    \"b\": true\n"
                      "  },\n"
                      "  \"s\": \"q\\\"\\n\",\n"
                      "  \"zeta\": 1\n"
                      "}\n");
  free(s);
  unlink(path);
}

/* kv.read_json / kv.json_decode (jansson): what write_json writes comes back
 * (integers as integers, other numbers as floats), null is nil, and a bad
 * document names the file, line and column. */
Test(lua, json_reader_round_trips_and_names_line_and_column) {
  char path[] = "/tmp/kvsim_lua_jsonrXXXXXX";
  temp_file(path);
  char code[1024];
  snprintf(
      code, sizeof code,
      "local kv = require 'kvsim'\n"
      "kv.write_json('%s', { n = 3, x = 2.5, l = { 1, 'a', false },\n"
      "  o = { s = 'q\"\\n' } })\n"
      "local v = kv.read_json('%s')\n"
      "assert(math.type(v.n) == 'integer' and v.n == 3)\n"
      "assert(math.type(v.x) == 'float' and v.x == 2.5)\n"
      "assert(#v.l == 3 and v.l[2] == 'a' and v.l[3] == false)\n"
      "assert(v.o.s == 'q\"\\n')\n"
      "local d = kv.json_decode('{\"a\": null, \"b\": [1, null, 3], "
      "\"c\": 2.0}')\n"
      "assert(d.a == nil and d.b[1] == 1 and d.b[2] == nil and d.b[3] == 3)\n"
      "assert(math.type(d.c) == 'float')\n",
      path, path);
  lua_ok(code, 0);
  unlink(path);
  const char *msg =
      lua_fails("require('kvsim').json_decode('{\"a\": 1,\\n \"b\": }', "
                "'t.json')");
  cr_expect(strstr(msg, "t.json: line 2, column "), "%s", msg);
  msg = lua_fails("require('kvsim').json_decode('{\"a\": 1, \"a\": 2}')");
  cr_expect(strstr(msg, "JSON text: line 1, column ") &&
                strstr(msg, "duplicate"),
            "%s", msg);
  msg = lua_fails("require('kvsim').read_json('/nonexistent/x.json')");
  cr_expect(strstr(msg, "/nonexistent/x.json"), "%s", msg);
}

Test(lua, model_derivation_and_fields) {
  lua_ok("local kv = require 'kvsim'\n"
         "local m = kv.model('llama-3-8b')\n"
         "local h = kv.model{ base = 'llama-3-8b', layers = 16 }\n"
         "return m.kv_bytes_per_token, h.kv_bytes_per_token, h.layers, "
         "h.name\n",
         4);
  cr_expect_eq(lua_tointeger(L, 1), 131072); /* 32 x 2 x 8 x 128 x 2 */
  cr_expect_eq(lua_tointeger(L, 2), 65536);
  cr_expect_eq(lua_tointeger(L, 3), 16);
  cr_expect_str_eq(lua_tostring(L, 4), "llama-3-8b");
  const char *msg = lua_fails("local kv = require 'kvsim'\n"
                              "kv.model{ base = 'llama-3-8b', layer = 16 }\n");
  cr_expect(strstr(msg, "test:2: bad argument #1 to 'model' (unknown key "
                        "'layer' in model"),
            "%s", msg);
}

Test(lua, platform_overrides_and_calibration_file) {
  char path[] = "/tmp/kvsim_lua_calibXXXXXX";
  int fd = mkstemp(path);
  cr_assert(fd >= 0);
  const char *calib = "return { base = 'h100-sxm-80gb', pcie_bw = 51e9,\n"
                      "  vmm_map = 2e-6 }\n";
  cr_assert(write(fd, calib, strlen(calib)) == (ssize_t)strlen(calib));
  close(fd);
  char code[1024];
  snprintf(code, sizeof code,
           "local kv = require 'kvsim'\n"
           "local p = kv.platform{ base = 'h100-sxm-80gb', pcie_bw = 25e9, "
           "gpus_per_server = 4 }\n"
           "local c = kv.platform{ file = '%s', vmm_map = 3e-6 }\n"
           "return p.pcie_bw, p.gpus_per_server, c.pcie_bw, c.vmm_map, "
           "c.source\n",
           path);
  lua_ok(code, 5);
  cr_expect_eq(lua_tonumber(L, 1), 25e9);
  cr_expect_eq(lua_tointeger(L, 2), 4);
  cr_expect_eq(lua_tonumber(L, 3), 51e9);
  cr_expect_eq(lua_tonumber(L, 4), 3e-6, "the table overrides the file");
  cr_expect(strstr(lua_tostring(L, 5), "calibration file"), "%s",
            lua_tostring(L, 5));
  unlink(path);
}

/* base = a platform object: a copy of it (a custom one too, whose name no
 * preset has), the fields given on top, its source kept unless one is given;
 * a base of another kind is refused naming the field. Checked to fail when
 * the copy starts from the preset instead of the object. */
Test(lua, platform_from_a_platform_object) {
  lua_ok("local kv = require 'kvsim'\n"
         "local p = kv.platform{ base = 'h100-sxm-80gb', hbm_bw = 1e12, "
         "name = 'mine', source = 'measured here' }\n"
         "local q = kv.platform{ base = p, flops = p.flops / 2 }\n"
         "local r = kv.platform{ base = q, source = 'again' }\n"
         "return q.name, q.hbm_bw, q.flops * 2 == p.flops, q.source, "
         "r.source, r.flops == q.flops\n",
         6);
  cr_expect_str_eq(lua_tostring(L, 1), "mine");
  cr_expect_eq(lua_tonumber(L, 2), 1e12,
               "the object's fields, not the preset's");
  cr_expect(lua_toboolean(L, 3));
  cr_expect(strstr(lua_tostring(L, 4), "measured here") &&
                strstr(lua_tostring(L, 4), "modified in Lua"),
            "%s", lua_tostring(L, 4));
  cr_expect_str_eq(lua_tostring(L, 5), "again");
  cr_expect(lua_toboolean(L, 6));
  const char *msg = lua_fails("local kv = require 'kvsim'\n"
                              "kv.platform{ base = kv.model('llama-3-8b') }\n");
  cr_expect(strstr(msg, "'base'") && strstr(msg, "kvsim.platform"), "%s", msg);
}

/* Threads-per-block tables: a calibration file without them (every older
 * one) loads and says it took the resident-threads rule; one with them
 * carries them and says nothing; a bad row is named. */
Test(lua, sm_threads_grid_from_lua_files) {
  static const char *const files[] = {
      "return { base = 'h100-sxm-80gb', pcie_bw = 5.3e10 }\n",
      "return { base = 'h100-sxm-80gb', sm_copy_threads_grid_h2d = {\n"
      "  { 256, { {1, 9e9}, {8, 50e9} } }, { 512, { {1, 18e9} } } } }\n",
      "return { base = 'h100-sxm-80gb', sm_copy_threads_grid_d2h = {\n"
      "  { 200, { {1, 9e9} } } } }\n"};
  for (int i = 0; i < 3; i++) {
    char path[] = "/tmp/kvsim_lua_threadsXXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    cr_assert(write(fd, files[i], strlen(files[i])) ==
              (ssize_t)strlen(files[i]));
    close(fd);
    char code[512];
    snprintf(code, sizeof code,
             "local kv = require 'kvsim'\n"
             "local p = kv.platform{ file = '%s' }\n"
             "return p.source, #p.sm_copy_threads_grid_h2d,\n"
             "  #p.sm_copy_threads_grid_d2h\n",
             path);
    if (i == 2) {
      const char *m = lua_fails(code);
      cr_expect(strstr(m, "platform field 'sm_copy_threads_grid_d2h': row 1 "
                          "has key 200 (threads per block"),
                "%s", m);
    } else {
      lua_ok(code, 3);
      const char *src = lua_tostring(L, 1);
      bool note = strstr(src, "no threads-per-block tables "
                              "(sm_copy_threads_grid_<dir>) in the file: SM "
                              "copies on blocks of other than 1024 threads by "
                              "the resident-threads rule") != NULL;
      cr_expect_eq(note, i == 0, "file %d: %s", i, src);
      cr_expect_eq(lua_tointeger(L, 2), i == 0 ? 0 : 2);
      cr_expect_eq(lua_tointeger(L, 3), 0);
      lua_settop(L, 0);
    }
    unlink(path);
  }
}

/* Live-handle tables: the H100 preset carries them and kv.time_ops prices
 * calls among the handles its steps created; a field with a bad table is
 * named; a calibration file without them (every older one) drops the base
 * preset's and says so; a calibration report's idle context becomes the
 * table, its after-step factor is taken over idle, and a report without
 * contexts says which default it took. */
Test(lua, vmm_live_tables_from_lua_files_and_reports) {
  char path[] = "/tmp/kvsim_lua_liveXXXXXX";
  int fd = mkstemp(path);
  cr_assert(fd >= 0);
  const char *calib = "return { base = 'h100-sxm-80gb', vmm_map_busy = 1.2 }\n";
  cr_assert(write(fd, calib, strlen(calib)) == (ssize_t)strlen(calib));
  close(fd);
  char rep[] = "/tmp/kvsim_lua_reportXXXXXX";
  fd = mkstemp(rep);
  cr_assert(fd >= 0);
  const char *report =
      "Device: NVIDIA H100 80GB HBM3, 132 SMs\n\n"
      "CUDA VMM driver calls in isolation (one handle created, mapped and "
      "freed at a time, nothing else live), median us over 64 calls:\n"
      "    handle    reserve     create        map set_access      unmap    "
      "release  addr_free\n"
      "      2 MiB       1.00      10.00       1.00      20.00      10.00      "
      "10.00       1.00\n"
      "vmm 2 MiB, 200 cycles among 128 live handles, GPU idle, us median "
      "(p10/p90): reserve 1.00 (1/1) create 12.00 (1/1) map 1.00 (1/1) "
      "set_access 20.00 (1/1) unmap 10.00 (1/1) release 10.00 (1/1) "
      "addr_free 1.00 (1/1)\n"
      "vmm 2 MiB, 200 cycles among 128 live handles, each cycle right after a "
      "step, us median (p10/p90): reserve 1.00 (1/1) create 18.00 (1/1) map "
      "1.00 (1/1) set_access 20.00 (1/1) unmap 10.00 (1/1) release 10.00 "
      "(1/1) addr_free 1.00 (1/1)\n\n"
      "platform constants (test):\n"
      "  pcie_bw            5.31e+10       min\n";
  cr_assert(write(fd, report, strlen(report)) == (ssize_t)strlen(report));
  close(fd);
  char code[3072];
  snprintf(code, sizeof code,
           "local kv = require 'kvsim'\n"
           "local p = kv.platform 'h100-sxm-80gb'\n"
           "local mib2 = 2 * 2^20\n"
           "local t = kv.time_ops{ platform = p, steps = {\n"
           "  { { kind = 'vmm_create', bytes = mib2, count = 128 } },\n"
           "  { { kind = 'vmm_create', bytes = mib2 } } } }\n"
           "local alone = kv.time_ops{ platform = p, steps = {\n"
           "  { { kind = 'vmm_create', bytes = mib2 } } } }\n"
           "local f = kv.platform{ file = '%s' }\n"
           "local cal = kv.calibration.read('%s')\n"
           "local fl = kv.calibration.platform_fields(cal, 'h100-sxm-80gb')\n"
           "local q = kv.platform(fl)\n"
           "return t[2].by_kind.vmm_create / alone[1].by_kind.vmm_create,\n"
           "  p.vmm_create_live[1][2], #f.vmm_create_live, f.source,\n"
           "  q.vmm_create_live[1][1], q.vmm_create_live[1][2],\n"
           "  q.vmm_create_after_step\n",
           path, rep);
  lua_ok(code, 7);
  cr_expect_float_eq(lua_tonumber(L, 1), lua_tonumber(L, 2), 1e-9,
                     "among 128 live handles: the preset's factor");
  cr_expect_neq(lua_tonumber(L, 2), 1.0);
  cr_expect_eq(lua_tointeger(L, 3), 0, "a file without tables drops them");
  cr_expect(strstr(lua_tostring(L, 4), "no live-handle tables"), "%s",
            lua_tostring(L, 4));
  cr_expect(strstr(lua_tostring(L, 4), "no pool-growth or live-range tables"),
            "%s", lua_tostring(L, 4));
  cr_expect(strstr(lua_tostring(L, 4), "no gap tables (vmm_<call>_gap)"), "%s",
            lua_tostring(L, 4));
  cr_expect_eq(lua_tonumber(L, 5), 128);
  cr_expect_float_eq(lua_tonumber(L, 6), 1.2, 1e-12, "idle / isolated");
  cr_expect_float_eq(lua_tonumber(L, 7), 1.5, 1e-12, "after step / idle");
  lua_settop(L, 0);
  /* the same report without its contexts: no table, and a note */
  fd = open(rep, O_WRONLY | O_TRUNC);
  cr_assert(fd >= 0);
  const char *old =
      "Device: NVIDIA H100 80GB HBM3, 132 SMs\n\n"
      "CUDA VMM driver calls, median us over 64 calls:\n"
      "    handle    reserve     create        map set_access      unmap    "
      "release  addr_free\n"
      "      2 MiB       1.00      10.00       1.00      20.00      10.00      "
      "10.00       1.00\n\n"
      "platform constants (test):\n"
      "  pcie_bw            5.31e+10       min\n";
  cr_assert(write(fd, old, strlen(old)) == (ssize_t)strlen(old));
  close(fd);
  snprintf(code, sizeof code,
           "local kv = require 'kvsim'\n"
           "local cal = kv.calibration.read('%s')\n"
           "local fl = kv.calibration.platform_fields(cal, 'h100-sxm-80gb')\n"
           "return fl.vmm_create_live == nil, table.concat(cal.notes, '; ')\n",
           rep);
  lua_ok(code, 2);
  cr_expect(lua_toboolean(L, 1));
  cr_expect(strstr(lua_tostring(L, 2), "no vmm_<call>_live tables"), "%s",
            lua_tostring(L, 2));
  lua_settop(L, 0);
  const char *m = lua_fails("local kv = require 'kvsim'\n"
                            "kv.platform{ base = 'h200-141gb',\n"
                            "  vmm_map_live = { {128, 1.1}, {64, 1.2} } }\n");
  cr_expect(strstr(m, "vmm_map_live"), "%s", m);
  unlink(path);
  unlink(rep);
}

/* The gap series of a report (steps, launches, serving steps, a serving
 * run's probe) are read into their own curves; the model's grid is the
 * probe's when the report has it, else the steps'. */
Test(lua, gap_series_are_read_apart) {
  static const char *const what[4] = {"", " of launches", " of serving steps",
                                      " in a serving run"};
  char rep[2][32];
  for (int r = 0; r < 2; r++) {
    snprintf(rep[r], sizeof rep[r], "/tmp/kvsim_lua_gapXXXXXX");
    int fd = mkstemp(rep[r]);
    cr_assert(fd >= 0);
    for (int s = 0; s < (r ? 3 : 4); s++)
      for (int g = 0; g < 2; g++) {
        char line[512];
        int n = snprintf(line, sizeof line,
                         "vmm after a gap%s, 64 MiB, nominal %d ms, 12 "
                         "cycles, us median @ ms since the call's last "
                         "(median): reserve 1.00 @%d.00 create %d.00 @%d.00 "
                         "map 1.00 @%d.00\n",
                         what[s], g ? 10 : 1, g ? 20 : 2, 10 * (s + 1) + 5 * g,
                         g ? 20 : 2, g ? 20 : 2);
        cr_assert(write(fd, line, (size_t)n) == (ssize_t)n);
      }
    const char *tail = "\nplatform constants (test):\n"
                       "  pcie_bw            5.31e+10       min\n";
    cr_assert(write(fd, tail, strlen(tail)) == (ssize_t)strlen(tail));
    close(fd);
  }
  /* a curves CSV beside the first report (what kvsim-calibrate writes),
   * without the probe's lines appended to the report later: its curves
   * win, the report's others are kept */
  char csv[64];
  snprintf(csv, sizeof csv, "%s.curves.csv", rep[0]);
  FILE *cf = fopen(csv, "w");
  cr_assert(cf);
  fputs("curve,x,y,unit\nvmm_gap_create_64,0.002,1.1e-05,s\n"
        "vmm_gap_create_64,0.02,1.6e-05,s\n",
        cf);
  fclose(cf);
  char code[2048];
  snprintf(code, sizeof code,
           "local kv = require 'kvsim'\n"
           "local cal = kv.calibration\n"
           "local c = cal.read('%s')\n"
           "local g = cal.vmm_gap_grid(c.curves, 'create')\n"
           "local l = cal.vmm_gap_grid(c.curves, 'create', 'gaplaunch')\n"
           "local s = cal.vmm_gap_grid(c.curves, 'create', 'gapserve')\n"
           "local f = cal.platform_fields(c, 'h100-sxm-80gb')\n"
           "local c2 = cal.read('%s')\n"
           "local f2 = cal.platform_fields(c2, 'h100-sxm-80gb')\n"
           "return g[1][2][2][2], l[1][2][2][2], s[1][2][1][2], "
           "s[1][2][2][1], s[1][1], cal.gap_series(c.curves), "
           "f.vmm_create_gap[1][2][2][2], cal.gap_series(c2.curves), "
           "f2.vmm_create_gap[1][2][2][2], f.source\n",
           rep[0], rep[1]);
  lua_ok(code, 10);
  cr_expect_float_eq(lua_tonumber(L, 1), 16e-6, 1e-12, "steps: the CSV's");
  cr_expect_float_eq(lua_tonumber(L, 2), 25e-6, 1e-12, "launches, 20 ms");
  cr_expect_float_eq(lua_tonumber(L, 3), 30e-6, 1e-12, "serving, 2 ms");
  cr_expect_float_eq(lua_tonumber(L, 4), 0.02, 1e-12, "serving: x in s");
  cr_expect_eq(lua_tointeger(L, 5), 64 << 20, "a row per handle size");
  cr_expect_str_eq(lua_tostring(L, 6), "gaprun");
  cr_expect_float_eq(lua_tonumber(L, 7), 45e-6, 1e-12, "the probe's grid");
  cr_expect_str_eq(lua_tostring(L, 8), "gap");
  cr_expect_float_eq(lua_tonumber(L, 9), 15e-6, 1e-12, "no probe: steps");
  cr_expect(strstr(lua_tostring(L, 10), "gap probe"), "%s",
            lua_tostring(L, 10));
  lua_settop(L, 0);
  unlink(rep[0]);
  unlink(rep[1]);
  unlink(csv);
}

/* kv.calibration.pool: curve by curve, point by point, the median of the
 * calibrations (abscissas too, when every one has as many points); a curve
 * one lacks is left out and named; constants likewise; a pool of one is the
 * calibration. */
Test(lua, calibrations_pool_to_their_medians) {
  lua_ok("local kv = require 'kvsim'\n"
         "local cal = kv.calibration\n"
         "local function mk(p, ys, gx, extra)\n"
         "  local c = { path = p, curves = {}, fields = { pcie_bw = ys[1] },\n"
         "    notes = {}, device = 'H100' }\n"
         "  local function add(n, x, y)\n"
         "    local v = { name = n, unit = 's', x = x, y = y }\n"
         "    c.curves[n] = v; c.curves[#c.curves + 1] = v\n"
         "  end\n"
         "  add('copy_h2d', { 4096, 8192 }, ys)\n"
         "  add('vmm_gap_create_2', { gx, 2 * gx }, { ys[1], ys[2] })\n"
         "  if extra then add('only_here', { 1 }, { 1 }) end\n"
         "  return c\n"
         "end\n"
         "local a, b, c = mk('a', { 1, 10 }, 0.2, true), mk('b', { 3, 30 }, "
         "0.3),\n"
         "  mk('c', { 2, 20 }, 0.4)\n"
         "local p = cal.pool{ a, b, c }\n"
         "local one = cal.pool{ a }\n"
         "return p.curves.copy_h2d.y[1], p.curves.copy_h2d.y[2],\n"
         "  p.curves.vmm_gap_create_2.x[1], p.curves.only_here == nil,\n"
         "  p.notes[1], p.fields.pcie_bw, one.curves.only_here.y[1],\n"
         "  cal.pool{ a, b }.curves.copy_h2d.y[2]\n",
         8);
  cr_expect_eq(lua_tonumber(L, 1), 2);
  cr_expect_eq(lua_tonumber(L, 2), 20);
  cr_expect_float_eq(lua_tonumber(L, 3), 0.3, 1e-12, "abscissa pooled");
  cr_expect(lua_toboolean(L, 4), "a curve one calibration lacks is dropped");
  cr_expect(strstr(lua_tostring(L, 5), "only_here"), "%s", lua_tostring(L, 5));
  cr_expect_eq(lua_tonumber(L, 6), 2);
  cr_expect_eq(lua_tonumber(L, 7), 1, "a pool of one keeps every curve");
  cr_expect_eq(lua_tonumber(L, 8), 20, "two: the mean of the middle pair");
  lua_settop(L, 0);
  const char *m = lua_fails("return require('kvsim').calibration.pool{}\n");
  cr_expect(strstr(m, "no calibrations"), "%s", m);
}

Test(lua, synthetic_workload_and_slicing) {
  lua_ok("local kv = require 'kvsim'\n"
         "local w = kv.workload{ synthetic = { rate = 4, n = 500,\n"
         "  arrival = 'bursty', cv = 2,\n"
         "  prompt = { dist = 'lognormal', mean = 1000, std = 800, min = 1, "
         "max = 8192 },\n"
         "  output = { dist = 'uniform', min = 10, max = 20 } }, seed = 9 "
         "}\n"
         "local s = w:stats()\n"
         "local part = kv.workload{ synthetic = { rate = 4, n = 500, prompt "
         "= 100,\n"
         "  output = 10 }, first = 100, count = 50 }\n"
         "return #w, s.output_max, s.output_p50 >= 10, #part, "
         "part:requests().prompt[1]\n",
         5);
  cr_expect_eq(lua_tointeger(L, 1), 500);
  cr_expect_leq(lua_tonumber(L, 2), 20);
  cr_expect(lua_toboolean(L, 3));
  cr_expect_eq(lua_tointeger(L, 4), 50);
  cr_expect_eq(lua_tointeger(L, 5), 100);
  const char *msg =
      lua_fails("local kv = require 'kvsim'\n"
                "kv.workload{ synthetic = { rate = 4, n = 5, prompt = 100,\n"
                "  output = { dist = 'gaussian' } } }\n");
  cr_expect(strstr(msg, "field 'synthetic.output.dist': invalid "
                        "synthetic.output.dist 'gaussian' (valid: fixed, "
                        "uniform, lognormal, empirical)"),
            "%s", msg);
}

Test(lua, misuse_names_the_field) {
  const char *msg = lua_fails(
      "local kv = require 'kvsim'\n"
      "local w = kv.workload{ preset = 'azure-conv', count = 5 }\n"
      "kv.sweep({ { model = 'llama-3-8b', platform = 'h100-sxm-80gb',\n"
      "  workload = w, strategy = 'paged', backend = 'ideal' },\n"
      "  { model = 'llama-3-8b', platform = 'h100-sxm-80gb', workload = w,\n"
      "    strategy = { 'vmm', layout = 'diagonal' }, backend = 'ideal' } "
      "})\n");
  cr_expect(strstr(msg, "test:3: bad argument #1 to 'sweep' (run 2: field "
                        "'strategy.layout': invalid strategy.layout "
                        "'diagonal' (valid: per_layer, all_layers))"),
            "%s", msg);
  msg = lua_fails("local kv = require 'kvsim'\n"
                  "kv.run{ model = 'llama-3-8b', platform = 'h100-sxm-80gb',\n"
                  "  strategy = 'paged' }\n");
  cr_expect(strstr(msg, "field 'workload': expected a kv.workload, got nil"),
            "%s", msg);
}

/* got is list, a string of "item," per registered strategy, without its
 * last comma */
static void expect_list(const char *got, const char *list) {
  size_t n = strlen(list) - 1;
  cr_expect(got && strlen(got) == n && strncmp(got, list, n) == 0, "%s",
            got ? got : "(nil)");
}

/* kvsim.validation's CSV reader reads what kv.write_csv writes: quoted
 * cells with commas and doubled quotes; an unclosed quote names the line */
Test(lua, validation_csv_reads_quoted_cells) {
  lua_ok("local kv, V = require 'kvsim', require 'kvsim.validation'\n"
         "local p = os.tmpname()\n"
         "kv.write_csv(p, { { name = 'a, b', say = 'x \"y\"', n = 1 },\n"
         "  { name = 'c', say = '', n = 2.5 } }, { 'name', 'say', 'n' })\n"
         "local rows = V.read_csv(p, { strings = { name = true, say = true } "
         "})\n"
         "os.remove(p)\n"
         "return #rows, rows[1].name, rows[1].say, rows[1].n, rows[2].n\n",
         5);
  cr_expect_eq(lua_tointeger(L, 1), 2);
  cr_expect_str_eq(lua_tostring(L, 2), "a, b");
  cr_expect_str_eq(lua_tostring(L, 3), "x \"y\"");
  cr_expect_eq(lua_tonumber(L, 4), 1);
  cr_expect_eq(lua_tonumber(L, 5), 2.5);
  const char *msg = lua_fails(
      "local V = require 'kvsim.validation'\n"
      "local p = os.tmpname()\n"
      "local f = io.open(p, 'w') f:write('a,b\\n1,\"2\\n') f:close()\n"
      "local ok, err = pcall(V.read_csv, p, { strings = { b = true } })\n"
      "os.remove(p)\n"
      "error(err, 0)\n");
  cr_expect(strstr(msg, ":2: a quoted field is not closed") != NULL, "%s", msg);
}

Test(lua, lists_and_helpers) {
  lua_ok("local kv = require 'kvsim'\n"
         "return table.concat(kv.strategies(), ','), #kv.models() > 0,\n"
         "  kv.format_bytes(2 * 1024 * 1024), kv.format_bytes(512),\n"
         "  kv.table({ { a = 'x', b = 1.5 } }, { 'a', { key = 'b', title = "
         "'B', fmt = '%.2f' } })\n",
         5);
  /* the registry, in its order (strategy.h: a new strategy is a line there) */
#define NAME_COMMA(n) #n ","
  expect_list(lua_tostring(L, 1), KV_STRATEGY_LIST(NAME_COMMA));
#undef NAME_COMMA
  cr_expect(lua_toboolean(L, 2));
  cr_expect_str_eq(lua_tostring(L, 3), "2.00 MiB");
  cr_expect_str_eq(lua_tostring(L, 4), "512 B");
  cr_expect_str_eq(lua_tostring(L, 5), "a     B\n-  ----\nx  1.50");
}

/* kv.multiplot's panels name their x ticks as kv.plot does; a bad list is
 * refused with the panel's number before gnuplot is asked. */
Test(lua, multiplot_panel_xtics) {
  const char *msg = lua_fails(
      "local kv = require 'kvsim'\n"
      "kv.multiplot { file = '/tmp/kvsim_never.png', panels = {\n"
      "  { series = { { x = {1}, y = {1} } } },\n"
      "  { series = { { x = {1}, y = {1} } }, xtics = { {'p50', 1} } } } }\n");
  cr_expect(strstr(msg, "panel 2: xtics 1 must be {value, label}") != NULL,
            "got: %s", msg);
  char path[] = "/tmp/kvsim_multiplot_XXXXXX";
  temp_file(path);
  char code[1024];
  snprintf(code, sizeof code,
           "local kv = require 'kvsim'\n"
           "return kv.multiplot { file = '%s', layout = {1, 2}, panels = {\n"
           "  { series = { { x = {1, 2}, y = {3, 4} } },\n"
           "    xtics = { {1, 'p50'}, {2, 'p99'} }, xtics_rotate = 30 },\n"
           "  { series = { { x = {1, 2}, y = {4, 3} } } } } }\n",
           path);
  lua_ok(code, 1);
  if (lua_toboolean(L, 1)) { /* gnuplot drew it: a PNG, not empty */
    FILE *f = fopen(path, "rb");
    cr_assert(f);
    unsigned char sig[4] = {0};
    cr_expect_eq(fread(sig, 1, 4, f), 4u);
    cr_expect(sig[1] == 'P' && sig[2] == 'N' && sig[3] == 'G');
    fclose(f);
  }
  unlink(path);
}

/* ---- kv.parse_args (scripts/kvsim/args.lua) ---- */

/* A spec with every kind of option; each test below parses its own
 * command line against it. */
static const char *args_spec =
    "local kv = require 'kvsim'\n"
    "SPEC = { prog = 'kvsim t.lua',\n"
    "  positional = { name = 'TRACE', help = 'trace file' },\n"
    "  options = {\n"
    "    { name = 'seed', type = 'integer', default = 1, metavar = 'N',\n"
    "      help = 'seed' },\n"
    "    { name = 'jobs', type = 'integer', positive = true, default = 2 },\n"
    "    { name = 'speedup', type = 'number', positive = true },\n"
    "    { name = 'frac', type = 'number', min = 0, max = 1,\n"
    "      help = 'a fraction' },\n"
    "    { name = 'out', type = 'string', default = 'res', metavar = 'DIR',\n"
    "      help = 'results' },\n"
    "    { name = 'no-plot', type = 'flag', help = 'skip plots' },\n"
    "    { name = 'quick', type = 'flag', sets = { jobs = 7 } },\n"
    "  } }\n";

/* Parse the Lua list `argv` against SPEC; leaves the result table. */
static void parse_ok(const char *argv) {
  lua_ok(args_spec, 0);
  char code[512];
  snprintf(code, sizeof code,
           "return require('kvsim').parse_args({ [0] = 't.lua', %s }, SPEC)",
           argv);
  lua_ok(code, 1);
  cr_assert(lua_istable(L, -1), "parse_args(%s) returned no table", argv);
}

/* Parse `argv` that must be refused; returns the message. */
static const char *parse_fails(const char *argv) {
  lua_ok(args_spec, 0);
  char code[512];
  snprintf(code, sizeof code,
           "require('kvsim').parse_args({ [0] = 't.lua', %s }, SPEC)", argv);
  return lua_fails(code);
}

static const char *args_usage = "usage: kvsim t.lua [TRACE] [options]\n"
                                "  TRACE         trace file\n"
                                "  --seed N      seed (1)\n"
                                "  --jobs N      (2)\n"
                                "  --speedup X\n"
                                "  --frac X      a fraction\n"
                                "  --out DIR     results (res)\n"
                                "  --no-plot     skip plots\n"
                                "  --quick";

static lua_Integer field_int(const char *key) {
  lua_getfield(L, -1, key);
  cr_assert(lua_isinteger(L, -1), "'%s' is not an integer", key);
  lua_Integer v = lua_tointeger(L, -1);
  lua_pop(L, 1);
  return v;
}

static int field_type(const char *key) {
  int t = lua_getfield(L, -1, key);
  lua_pop(L, 1);
  return t;
}

Test(lua, parse_args_defaults_without_arguments) {
  parse_ok("");
  cr_expect_eq(field_int("seed"), 1);
  cr_expect_eq(field_int("jobs"), 2);
  lua_getfield(L, -1, "out");
  cr_expect_str_eq(lua_tostring(L, -1), "res");
  lua_pop(L, 1);
  cr_expect_eq(field_type("speedup"), LUA_TNIL, "no default: absent");
  cr_expect_eq(field_type("no_plot"), LUA_TNIL, "a flag not given is absent");
  cr_expect_eq(field_type("trace"), LUA_TNIL);
}

Test(lua, parse_args_reads_each_type_and_the_positional) {
  parse_ok("'--seed', '-3', '--jobs', '4', 'tr.csv', '--speedup', '2.5',\n"
           "'--frac', '1', '--out', '--weird', '--no-plot'");
  cr_expect_eq(field_int("seed"), -3);
  cr_expect_eq(field_int("jobs"), 4);
  lua_getfield(L, -1, "speedup");
  cr_expect(lua_isnumber(L, -1) && !lua_isinteger(L, -1));
  cr_expect_eq(lua_tonumber(L, -1), 2.5);
  lua_pop(L, 1);
  cr_expect_eq(field_int("frac"), 1, "max is inclusive; '1' stays integer");
  lua_getfield(L, -1, "out");
  cr_expect_str_eq(lua_tostring(L, -1), "--weird",
                   "a string option takes the next argument as it is");
  lua_pop(L, 1);
  lua_getfield(L, -1, "trace");
  cr_expect_str_eq(lua_tostring(L, -1), "tr.csv");
  lua_pop(L, 1);
  cr_expect_eq(field_type("no_plot"), LUA_TBOOLEAN, "--no-plot -> no_plot");
}

Test(lua, parse_args_flag_sets_options_in_command_line_order) {
  parse_ok("'--jobs', '3', '--quick'");
  cr_expect_eq(field_int("jobs"), 7, "--quick after --jobs wins");
  cr_expect_eq(field_type("quick"), LUA_TBOOLEAN);
  parse_ok("'--quick', '--jobs', '3'");
  cr_expect_eq(field_int("jobs"), 3, "--jobs after --quick wins");
}

Test(lua, parse_args_bad_values_name_option_and_value) {
  static const char *cases[][2] = {
      {"'--seed', 'x'", "--seed needs an integer, got 'x'\n"},
      {"'--seed', '1.5'", "--seed needs an integer, got '1.5'\n"},
      {"'--jobs', '0'", "--jobs needs a positive integer, got '0'\n"},
      {"'--jobs', '-2'", "--jobs needs a positive integer, got '-2'\n"},
      {"'--speedup', 'fast'",
       "--speedup needs a positive number, got 'fast'\n"},
      {"'--speedup', '0'", "--speedup needs a positive number, got '0'\n"},
      {"'--frac', '1.5'", "--frac needs a number from 0 to 1, got '1.5'\n"},
      {"'--frac', '-0.1'", "--frac needs a number from 0 to 1, got '-0.1'\n"},
      {"'--out'", "--out needs a value\n"},
      {"'--jobs'", "--jobs needs a value\n"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const char *msg = parse_fails(cases[i][0]);
    /* level 0: the message starts with the option, no "test:1:" */
    cr_expect_eq(strncmp(msg, cases[i][1], strlen(cases[i][1])), 0,
                 "{ %s }: got '%s'", cases[i][0], msg);
    const char *usage = strchr(msg, '\n');
    cr_expect(usage && strcmp(usage + 1, args_usage) == 0,
              "{ %s }: the usage should follow: '%s'", cases[i][0], msg);
  }
}

/* A file option, and a positional marked file, must name something that
 * opens for reading: otherwise a level-0 error names the option, the path
 * and why. */
Test(lua, parse_args_file_options_must_be_readable) {
  char path[] = "/tmp/kvsim_args_fileXXXXXX";
  temp_file(path);
  char code[1024];
  snprintf(
      code, sizeof code,
      "local kv = require 'kvsim'\n"
      "local spec = { positional = { name = 'TRACE', file = true },\n"
      "  options = { { name = 'data', type = 'file' } } }\n"
      "local o = kv.parse_args({ [0] = 't.lua', '--data', '%s', '%s' }, "
      "spec)\n"
      "assert(o.data == '%s' and o.trace == '%s')\n"
      "local cases = { { '--data', '/nonexistent/x.json' }, { '--data', "
      "'/tmp' },\n"
      "  { '/nonexistent/t.csv' } }\n"
      "local want = { \"--data: cannot read '/nonexistent/x.json' (No such "
      "file or directory)\",\n"
      "  \"--data: cannot read '/tmp' (Is a directory)\",\n"
      "  \"TRACE: cannot read '/nonexistent/t.csv' (No such file or "
      "directory)\" }\n"
      "for i, argv in ipairs(cases) do\n"
      "  argv[0] = 't.lua'\n"
      "  local ok, msg = pcall(kv.parse_args, argv, spec)\n"
      "  assert(not ok and msg:sub(1, #want[i]) == want[i], msg)\n"
      "end\n",
      path, path, path, path);
  lua_ok(code, 0);
  unlink(path);
}

Test(lua, parse_args_unknown_option_and_extra_positional) {
  const char *msg = parse_fails("'--sed', '3'");
  cr_expect(strncmp(msg, "unknown option '--sed'\nusage: ", 30) == 0, "%s",
            msg);
  msg = parse_fails("'a.csv', 'b.csv'");
  cr_expect(
      strncmp(msg, "more than one trace given: 'a.csv' and 'b.csv'\n", 47) == 0,
      "%s", msg);
  /* without a positional in the spec, words and dashes are refused */
  lua_ok("local kv = require 'kvsim'\n"
         "local spec = { prog = 'p', options = {} }\n"
         "local ok1, e1 = pcall(kv.parse_args, { 'word' }, spec)\n"
         "local ok2, e2 = pcall(kv.parse_args, { '-x' }, spec)\n"
         "return ok1, e1, ok2, e2\n",
         4);
  cr_expect(!lua_toboolean(L, -4));
  cr_expect_str_eq(lua_tostring(L, -3), "unknown argument 'word'\nusage: p");
  cr_expect(!lua_toboolean(L, -2));
  cr_expect_str_eq(lua_tostring(L, -1), "unknown option '-x'\nusage: p");
}

Test(lua, parse_args_help_prints_usage_and_returns_nil) {
  const char *helps[] = {"--help", "-h"};
  for (int i = 0; i < 2; i++) {
    lua_ok(args_spec, 0);
    char code[512];
    /* --help wins even after a bad option that was never read */
    snprintf(code, sizeof code,
             "local printed = {}\n"
             "local saved = print\n"
             "print = function(s) printed[#printed + 1] = s end\n"
             "local r = require('kvsim').parse_args({ '--seed', '4', '%s',\n"
             "  '--bogus' }, SPEC)\n"
             "print = saved\n"
             "return r == nil, #printed, printed[1]\n",
             helps[i]);
    lua_ok(code, 3);
    cr_expect(lua_toboolean(L, -3), "%s: parse_args should return nil",
              helps[i]);
    cr_expect_eq(lua_tointeger(L, -2), 1, "%s: one print", helps[i]);
    cr_expect_str_eq(lua_tostring(L, -1), args_usage);
    lua_pop(L, 3);
  }
}

Test(lua, parse_args_spec_mistakes_point_at_the_script) {
  const char *msg =
      lua_fails("local kv = require 'kvsim'\n"
                "kv.parse_args({}, { options = { { name = 'n', type = "
                "'bool' } } })\n");
  cr_expect(strstr(msg, "test:2: bad argument #2 to 'parse_args' (option "
                        "'--n': invalid type 'bool' (valid: string, integer, "
                        "number, file, flag))"),
            "%s", msg);
  msg = lua_fails("local kv = require 'kvsim'\n"
                  "kv.parse_args({}, { options = { { name = 'n', type = "
                  "'integer', default = 0.5 } } })\n");
  cr_expect(strstr(msg, "test:2: bad argument #2 to 'parse_args' (option "
                        "'--n': default does not have type integer)"),
            "%s", msg);
  msg = lua_fails("local kv = require 'kvsim'\n"
                  "kv.parse_args({}, { options = { { name = 'n', type = "
                  "'flag', positve = true } } })\n");
  cr_expect(strstr(msg, "(option 1: unknown field 'positve')"), "%s", msg);
}

/* ---- failed sweep runs, counts, wall time, max context, platforms ---- */

static int failures_seen;
static char failure_label[64];

static void on_failure(void *ud, const char *label, const char *msg) {
  (void)ud;
  (void)msg;
  failures_seen++;
  snprintf(failure_label, sizeof failure_label, "%s", label);
}

static const char *sweep_base =
    "local kv = require 'kvsim'\n"
    "W = W or kv.workload{ preset = 'azure-conv', seed = 4, count = 40 }\n"
    "function CFG(label, over)\n"
    "  local c = { model = 'llama-3-8b', platform = 'h100-sxm-80gb',\n"
    "    workload = W, strategy = 'paged', backend = 'ideal', label = label }\n"
    "  for k, v in pairs(over or {}) do c[k] = v end\n"
    "  return c\n"
    "end\n";

Test(lua, sweep_keeps_finished_runs_and_lists_the_failed_ones) {
  failures_seen = 0;
  kv_lua_set_failure(L, on_failure, NULL);
  lua_ok(sweep_base, 0);
  lua_ok("local kv = require 'kvsim'\n"
         "local rs = kv.sweep({ CFG('a'), CFG('bad', { kv_capacity = 1000 }),\n"
         "  CFG('c', { strategy = 'indirect' }) }, { jobs = 2 })\n"
         "local f = rs.failed\n"
         "return #rs, rs[1].label, rs[1].run, rs[2].label, rs[2].run,\n"
         "  #f, f[1].run, f[1].label, f[1].error, rs[2].summary.completed\n",
         10);
  cr_expect_eq(lua_tointeger(L, 1), 2, "the finished runs only");
  cr_expect_str_eq(lua_tostring(L, 2), "a");
  cr_expect_eq(lua_tointeger(L, 3), 1);
  cr_expect_str_eq(lua_tostring(L, 4), "c");
  cr_expect_eq(lua_tointeger(L, 5), 3, "r.run: its index in the call");
  cr_expect_eq(lua_tointeger(L, 6), 1);
  cr_expect_eq(lua_tointeger(L, 7), 2);
  cr_expect_str_eq(lua_tostring(L, 8), "bad");
  cr_expect(strstr(lua_tostring(L, 9), "GPU too small"), "%s",
            lua_tostring(L, 9));
  cr_expect_eq(lua_tointeger(L, 10), 40, "the third run finished");
  cr_expect_eq(failures_seen, 1, "the host hears of each failure once");
  cr_expect_str_eq(failure_label, "bad");
  cr_expect_eq(kv_lua_failed_runs(L), 1);
  /* a sweep without failures has an empty list; kv.run still raises */
  lua_settop(L, 0);
  lua_ok("local kv = require 'kvsim'\n"
         "local rs = kv.sweep({ CFG('x') })\n"
         "return #rs, #rs.failed, rs[1].run\n",
         3);
  cr_expect_eq(lua_tointeger(L, 1), 1);
  cr_expect_eq(lua_tointeger(L, 2), 0);
  cr_expect_eq(lua_tointeger(L, 3), 1);
  const char *msg = lua_fails("local kv = require 'kvsim'\n"
                              "kv.run(CFG('bad', { kv_capacity = 1000 }))\n");
  cr_expect(strstr(msg, "test:2: run 'bad': GPU too small"), "%s", msg);
  cr_expect_eq(kv_lua_failed_runs(L), 1, "kv.run failures are not counted");
}

Test(lua, counts_are_integers_times_and_ratios_floats) {
  lua_ok(sweep_base, 0);
  /* every summary metric by its unit, in-process and through a child */
  lua_ok("local kv = require 'kvsim'\n"
         "local count = { req = 1, step = 1, tok = 1, call = 1, run = 1,\n"
         "  entry = 1, B = 1 }\n"
         "local bad = {}\n"
         "local one = kv.run(CFG('p', { requests = true }))\n"
         "local swept = kv.sweep({ CFG('p') })[1]\n"
         "for _, r in ipairs({ one, swept }) do\n"
         "  for _, m in ipairs(kv.summary_metrics()) do\n"
         "    local v = r.summary[m.name]\n"
         "    local whole = v == math.floor(v)\n"
         "    local want = (count[m.unit] and whole) and 'integer' or 'float'\n"
         "    if math.type(v) ~= want then bad[#bad + 1] = m.name end\n"
         "  end\n"
         "  for k, v in pairs(r.summary.op_count) do\n"
         "    if math.type(v) ~= 'integer' then bad[#bad + 1] = k end\n"
         "  end\n"
         "  if math.type(r.tier.evictions) ~= 'integer' or\n"
         "     math.type(r.tier.prefix_hit_rate) ~= 'float' then\n"
         "    bad[#bad + 1] = 'tier'\n"
         "  end\n"
         "end\n"
         "return table.concat(bad, ','), tostring(one.summary.completed),\n"
         "  math.type(one.summary.sim_time), math.type(one.summary.ttft_p50),\n"
         "  math.type(one.timeline.step[1]), math.type(one.timeline.t[1]),\n"
         "  math.type(one.requests.truncated[1])\n",
         7);
  cr_expect_str_eq(lua_tostring(L, 1), "", "wrong number types: %s",
                   lua_tostring(L, 1));
  cr_expect_str_eq(lua_tostring(L, 2), "40");
  cr_expect_str_eq(lua_tostring(L, 3), "float");
  cr_expect_str_eq(lua_tostring(L, 4), "float");
  cr_expect_str_eq(lua_tostring(L, 5), "integer");
  cr_expect_str_eq(lua_tostring(L, 6), "float");
  cr_expect_str_eq(lua_tostring(L, 7), "integer");
}

/* A fake host clock: each reading half a second later. */
static double half_ticks(void *ud) {
  double *t = ud;
  return *t += 0.5;
}

Test(lua, wall_time_comes_from_the_host_clock_and_stays_out_of_pairs) {
  lua_ok(sweep_base, 0);
  lua_ok("local kv = require 'kvsim'\n"
         "return kv.run(CFG('p')).summary.wall_time\n",
         1);
  cr_expect(lua_isnil(L, -1), "no clock, no wall_time");
  lua_settop(L, 0);
  double t = 0;
  kv_lua_set_clock(L, half_ticks, &t);
  lua_ok(
      "local kv = require 'kvsim'\n"
      "local one = kv.run(CFG('p'))\n"
      "local swept = kv.sweep({ CFG('p'), CFG('q') }, { jobs = 1 })\n"
      "local listed = false\n"
      "for k in pairs(one.summary) do listed = listed or k == 'wall_time' end\n"
      "return one.summary.wall_time, swept[1].summary.wall_time,\n"
      "  swept[2].summary.wall_time, listed\n",
      4);
  cr_expect_eq(lua_tonumber(L, 1), 0.5, "two readings around the run");
  cr_expect_eq(lua_tonumber(L, 2), 0.5);
  cr_expect_eq(lua_tonumber(L, 3), 0.5);
  cr_expect(!lua_toboolean(L, 4), "pairs() must not list wall_time");
  /* so a summary written as it is keeps the same bytes */
  char path[] = "/tmp/kvsim_lua_wallXXXXXX";
  temp_file(path);
  char code[512];
  snprintf(code, sizeof code,
           "local kv = require 'kvsim'\n"
           "kv.write_json('%s', kv.run(CFG('p')).summary)\n",
           path);
  lua_ok(code, 0);
  char *s = read_file(path);
  cr_expect(strstr(s, "wall_time") == NULL, "wall_time written: %s", s);
  cr_expect(strstr(s, "\"rejected_too_long\": 0"), "%s", s);
  cr_expect(strstr(s, "\"truncated\": 0"), "%s", s);
  cr_expect(strstr(s, "\"completed\": 40,"), "%s", s);
  free(s);
  unlink(path);
}

Test(lua, max_context_and_long_prompts_for_every_strategy) {
  lua_ok(sweep_base, 0);
  /* 40 conversation requests, many longer than 1024 tokens in all */
  lua_ok(
      "local kv = require 'kvsim'\n"
      "local rej = kv.run(CFG('rej', { max_context = 1024,\n"
      "  requests = true }))\n"
      "local tr = kv.run(CFG('tr', { strategy = { 'indirect',\n"
      "  max_context = 1024 }, long_prompts = 'truncate', requests = true }))\n"
      "local s, q = rej.summary, rej.requests\n"
      "local n_too_long, cut, bad = 0, 0, 0\n"
      "for i = 1, #q.prompt do\n"
      "  local long = q.prompt[i] + q.output[i] > 1024\n"
      "  if long ~= (q.rejected[i] == 'too_long') then bad = bad + 1 end\n"
      "  if long then n_too_long = n_too_long + 1 end\n"
      "  local t = tr.requests\n"
      "  cut = cut + t.truncated[i]\n"
      "  if t.truncated[i] > 0 and t.prompt[i] + t.output[i] - t.truncated[i]\n"
      "     ~= 1024 then bad = bad + 1 end\n"
      "end\n"
      "local ts = tr.summary\n"
      "return n_too_long, s.rejected_too_long, s.rejected, bad,\n"
      "  s.completed + s.rejected, ts.truncated, cut > 0,\n"
      "  ts.rejected_too_long + ts.truncated, rej.options.max_context,\n"
      "  tr.options.long_prompts, q.rejected[#q.rejected] ~= nil,\n"
      "  kv.run(CFG('m')).options.max_context\n",
      12);
  lua_Integer too_long = lua_tointeger(L, 1);
  cr_expect_gt(too_long, 0, "the workload should have long requests");
  cr_expect_eq(lua_tointeger(L, 2), too_long);
  cr_expect_eq(lua_tointeger(L, 3), too_long);
  cr_expect_eq(lua_tointeger(L, 4), 0, "per-request reasons disagree");
  cr_expect_eq(lua_tointeger(L, 5), 40);
  cr_expect_gt(lua_tointeger(L, 6), 0, "truncate should cut prompts");
  cr_expect(lua_toboolean(L, 7));
  cr_expect_eq(lua_tointeger(L, 8), too_long,
               "each long request is truncated or, output too long, "
               "rejected");
  cr_expect_eq(lua_tointeger(L, 9), 1024);
  cr_expect_str_eq(lua_tostring(L, 10), "truncate");
  cr_expect(lua_toboolean(L, 11), "served requests are false, not nil");
  cr_expect_eq(lua_tointeger(L, 12), 8192, "the model's max_context");
  /* every strategy takes it in its table; a second, different value and
   * an unknown long_prompts are refused */
  lua_settop(L, 0);
  lua_ok(
      "local kv = require 'kvsim'\n"
      "local t = {}\n"
      "for _, s in ipairs(kv.strategies()) do\n"
      "  local r = kv.run(CFG(s, { strategy = { s, max_context = 4096 } }))\n"
      "  t[#t + 1] = s .. '=' .. r.options.max_context\n"
      "end\n"
      "return table.concat(t, ',')\n",
      1);
#define NAME_4096(n) #n "=4096,"
  expect_list(lua_tostring(L, 1), KV_STRATEGY_LIST(NAME_4096));
#undef NAME_4096
  const char *msg =
      lua_fails("local kv = require 'kvsim'\n"
                "kv.run(CFG('x', { max_context = 1024, strategy = { 'paged', "
                "max_context = 2048 } }))\n");
  cr_expect(strstr(msg, "field 'max_context': 1024 here but 2048 in the "
                        "strategy table"),
            "%s", msg);
  msg = lua_fails("local kv = require 'kvsim'\n"
                  "kv.sweep({ CFG('x', { long_prompts = 'trim' }) })\n");
  cr_expect(strstr(msg, "test:2: bad argument #1 to 'sweep' (run 1: field "
                        "'long_prompts': invalid long_prompts 'trim' "
                        "(valid: reject, truncate))"),
            "%s", msg);
}

/* client_timeout: requests the client gave up on are "timed_out" per
 * request and in summary.timed_out (the same through kv.sweep's children),
 * the option is shown only when set, and a negative one names the field. */
Test(lua, client_timeout_is_read_shown_and_checked) {
  lua_ok(sweep_base, 0);
  lua_ok("local kv = require 'kvsim'\n"
         "local a = kv.run(CFG('a', { max_num_seqs = 1 }))\n"
         "local b = kv.run(CFG('b', { max_num_seqs = 1, client_timeout = 5,\n"
         "  requests = true }))\n"
         "local c = kv.sweep({ CFG('c', { max_num_seqs = 1,\n"
         "  client_timeout = 5 }) })[1]\n"
         "local n = 0\n"
         "for i, why in ipairs(b.requests.rejected) do\n"
         "  if why == 'timed_out' then n = n + 1 end\n"
         "end\n"
         "return a.options.client_timeout == nil, a.summary.timed_out,\n"
         "  b.options.client_timeout, b.summary.timed_out, n,\n"
         "  c.summary.timed_out, b.summary.completed + b.summary.timed_out\n",
         7);
  cr_expect(lua_toboolean(L, 1), "client_timeout shown while unset");
  cr_expect_eq(lua_tonumber(L, 2), 0);
  cr_expect_eq(lua_tonumber(L, 3), 5);
  cr_expect_gt(lua_tonumber(L, 4), 0, "nothing timed out");
  cr_expect_eq(lua_tonumber(L, 5), lua_tonumber(L, 4));
  cr_expect_eq(lua_tonumber(L, 6), lua_tonumber(L, 4));
  cr_expect_eq(lua_tonumber(L, 7), 40);
  lua_settop(L, 0);
  const char *msg = lua_fails("local kv = require 'kvsim'\n"
                              "kv.run(CFG('x', { client_timeout = -1 }))\n");
  cr_expect(strstr(msg, "field 'client_timeout': must be at least 0, got -1"),
            "%s", msg);
}

/* FP8 weights on a platform with FP8 tensor cores (fp8_gemm_speedup > 1):
 * the GEMMs of a compute-bound prefill at that rate, attention not; bf16
 * weights, or a platform without them (0 or 1), as before. */
Test(lua, fp8_weights_run_their_gemms_at_the_platform_fp8_rate) {
  lua_ok(
      "local kv = require 'kvsim'\n"
      "local w = kv.workload{ synthetic = { rate = 1, n = 1, prompt = 8000,\n"
      "  output = 1 }, seed = 1 }\n"
      "local function ct(bytes, fp8)\n"
      "  local m = kv.model{ base = 'llama-3-8b', weight_bytes = bytes }\n"
      "  local p = kv.platform{ base = 'h100-sxm-80gb', fp8_gemm_speedup = fp8 "
      "}\n"
      "  return kv.run{ model = m, platform = p, workload = w,\n"
      "    strategy = 'paged', backend = 'ideal', max_batch_tokens = 8192\n"
      "  }.summary.compute_time\n"
      "end\n"
      "return ct(2, 2), ct(1, 2), ct(1, 0), ct(1, 1),\n"
      "  kv.platform('a100-sxm-80gb').fp8_gemm_speedup,\n"
      "  kv.platform('h100-sxm-80gb').fp8_gemm_speedup\n",
      6);
  double bf16 = lua_tonumber(L, 1), fp8 = lua_tonumber(L, 2);
  /* 8,000 tokens of Llama-3-8B: the GEMMs are most of the FLOPs, the
   * causal attention some (so between half and all of the bf16 time) */
  cr_expect(fp8 > 0.5 * bf16 && fp8 < 0.65 * bf16, "fp8 %g bf16 %g", fp8, bf16);
  cr_expect_eq(lua_tonumber(L, 3), bf16, "speedup 0 changed the step");
  cr_expect_eq(lua_tonumber(L, 4), bf16, "speedup 1 changed the step");
  cr_expect_eq(lua_tonumber(L, 5), 0, "the A100 has no FP8 tensor cores");
  cr_expect_eq(lua_tonumber(L, 6), 1.972, "the H100's measured ratio");
  lua_settop(L, 0);
}

/* overheads = { ... }: engine CPU time per step, shown in r.options only
 * when set (so default result files keep their bytes), the same through
 * kv.sweep's children; misuse names the field. */
Test(lua, overheads_are_read_shown_and_checked) {
  lua_ok(sweep_base, 0);
  lua_ok(
      "local kv = require 'kvsim'\n"
      "local oh = { step = 2e-3, per_seq = 1e-5, per_token = 1e-7,\n"
      "  per_prefill_token = 3e-7, admit = 1e-3, finish = 5e-4 }\n"
      "local a = kv.run(CFG('a'))\n"
      "local b = kv.run(CFG('b', { overheads = oh }))\n"
      "local c = kv.sweep({ CFG('c', { overheads = oh }) })[1]\n"
      "local o = b.options.overheads\n"
      "return a.options.overheads == nil, a.summary.cpu_time,\n"
      "  o.step, o.per_seq, o.per_token, o.admit, o.finish, o.overlap,\n"
      "  b.summary.cpu_time > 0, b.summary.cpu_time == c.summary.cpu_time,\n"
      "  b.summary.sim_time > a.summary.sim_time,\n"
      "  kv.run(CFG('d', { overheads = { overlap = true } })).options\n"
      "    .overheads.overlap, o.per_prefill_token,\n"
      "  o.serial_intake == nil,\n"
      "  kv.run(CFG('e', { overheads = { serial_intake = true } })).options\n"
      "    .overheads.serial_intake,\n"
      "  kv.run(CFG('f', { overheads = { schedule_ahead = true,\n"
      "    late_release = true } })).options.overheads.late_release,\n"
      "  kv.run(CFG('g', { overheads = { serial_intake = true, per_output = "
      "1e-6,\n"
      "    ordered_output = true } })).options.overheads.ordered_output,\n"
      "  kv.run(CFG('e2', { overheads = { serial_intake = true } })).options\n"
      "    .overheads.ordered_output == nil\n",
      18);
  cr_expect(lua_toboolean(L, 1), "no overheads table in default options");
  cr_expect_eq(lua_tonumber(L, 2), 0);
  cr_expect_eq(lua_tonumber(L, 3), 2e-3);
  cr_expect_eq(lua_tonumber(L, 4), 1e-5);
  cr_expect_eq(lua_tonumber(L, 5), 1e-7);
  cr_expect_eq(lua_tonumber(L, 6), 1e-3);
  cr_expect_eq(lua_tonumber(L, 7), 5e-4);
  cr_expect(lua_isboolean(L, 8) && !lua_toboolean(L, 8));
  cr_expect(lua_toboolean(L, 9));
  cr_expect(lua_toboolean(L, 10), "kv.sweep and kv.run disagree");
  cr_expect(lua_toboolean(L, 11));
  cr_expect(lua_toboolean(L, 12));
  cr_expect_eq(lua_tonumber(L, 13), 3e-7);
  cr_expect(lua_toboolean(L, 14), "serial_intake shown while unset");
  cr_expect(lua_isboolean(L, 15) && lua_toboolean(L, 15),
            "serial_intake = true not shown");
  cr_expect(lua_isboolean(L, 16) && lua_toboolean(L, 16),
            "late_release = true not shown");
  cr_expect(lua_isboolean(L, 17) && lua_toboolean(L, 17),
            "ordered_output = true not shown");
  cr_expect(lua_toboolean(L, 18), "ordered_output shown while unset");
  lua_settop(L, 0);
  static const struct {
    const char *over, *want;
  } bad[] = {
      {"{ stp = 1 }",
       "(unknown key 'stp' in the overheads table (valid: "
       "step, per_seq, per_token, per_prefill_token, admit, finish, request, "
       "per_worker, per_worker_max_tp, overlap, schedule_ahead, "
       "graph_max_tokens, "
       "eager_per_layer, eager_overlap, serial_intake, late_release, "
       "per_output, ordered_output, layer_fixed))"},
      {"{ ordered_output = true, serial_intake = true }",
       "field 'overheads.ordered_output': needs per_output > 0"},
      {"{ ordered_output = 'yes', serial_intake = true, per_output = 1e-5 }",
       "field 'overheads.ordered_output': expected a boolean, got string"},
      {"{ late_release = true }",
       "field 'overheads.late_release': needs schedule_ahead = true"},
      {"{ eager_overlap = true }",
       "field 'overheads.eager_overlap': needs schedule_ahead = true"},
      {"{ eager_overlap = 1, schedule_ahead = true }",
       "field 'overheads.eager_overlap': expected a boolean, got number"},
      {"{ serial_intake = 'yes' }",
       "field 'overheads.serial_intake': expected a boolean, got string"},
      {"{ per_output = 1e-5 }",
       "field 'overheads.per_output': needs serial_intake = true"},
      {"{ eager_per_layer = -1e-4 }",
       "field 'overheads.eager_per_layer': must be at least 0, got -0.0001"},
      {"{ layer_fixed = -5e-5 }",
       "field 'overheads.layer_fixed': must be at least 0, got -5e-05"},
      {"{ graph_max_tokens = 2.5 }",
       "field 'overheads.graph_max_tokens': must be an integer, got 2.5"},
      {"{ per_token = -1e-6 }",
       "field 'overheads.per_token': must be at least 0, got -1e-06"},
      {"{ per_prefill_token = -1e-6 }",
       "field 'overheads.per_prefill_token': must be at least 0, got -1e-06"},
      {"{ admit = 'x' }", "field 'overheads.admit': expected a number, got "
                          "string"},
      {"{ overlap = 1 }",
       "field 'overheads.overlap': expected a boolean, got number"},
      {"{ schedule_ahead = 'yes' }",
       "field 'overheads.schedule_ahead': expected a boolean, got string"},
      {"2e-3", "field 'overheads': expected a table, got number"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    char code[256];
    snprintf(code, sizeof code,
             "local kv = require 'kvsim'\n"
             "kv.run(CFG('x', { overheads = %s }))\n",
             bad[i].over);
    const char *msg = lua_fails(code);
    cr_expect(strstr(msg, "test:2: bad argument #1 to 'run'"), "%s", msg);
    cr_expect(strstr(msg, bad[i].want), "%s\nwant: %s", msg, bad[i].want);
  }
}

/* overheads.schedule_ahead: shown in r.options only when set (older run
 * hashes keep their bytes), absent from a table that does not set it. */
Test(lua, schedule_ahead_is_read_and_shown_only_when_set) {
  lua_ok(sweep_base, 0);
  lua_ok(
      "local kv = require 'kvsim'\n"
      "local a = kv.run(CFG('a', { overheads = { step = 1e-3 } }))\n"
      "local b = kv.run(CFG('b', { overheads = { step = 1e-3,\n"
      "  schedule_ahead = true } }))\n"
      "local c = kv.run(CFG('c', { overheads = { schedule_ahead = true } }))\n"
      "return a.options.overheads.schedule_ahead == nil,\n"
      "  b.options.overheads.schedule_ahead, c.options.overheads ~= nil\n",
      3);
  cr_expect(lua_toboolean(L, 1), "schedule_ahead shown though not set");
  cr_expect(lua_toboolean(L, 2));
  cr_expect(lua_toboolean(L, 3), "schedule_ahead alone shows the table");
  lua_settop(L, 0);
}

Test(lua, rejection_metrics_reach_the_csv_writer) {
  lua_ok(sweep_base, 0);
  char path[] = "/tmp/kvsim_lua_rejXXXXXX";
  temp_file(path);
  char code[1024];
  snprintf(code, sizeof code,
           "local kv = require 'kvsim'\n"
           "local r = kv.run(CFG('p', { max_context = 1024 }))\n"
           "local cols = {}\n"
           "for i, m in ipairs(kv.summary_metrics()) do cols[i] = m.name end\n"
           "kv.write_csv('%s', { r.summary }, cols)\n"
           "return r.summary.rejected_too_long\n",
           path);
  lua_ok(code, 1);
  lua_Integer rej = lua_tointeger(L, -1);
  char *s = read_file(path);
  char *nl = strchr(s, '\n');
  cr_assert(nl);
  *nl = '\0';
  cr_expect(strstr(s, ",rejected,rejected_too_long,rejected_no_fit,truncated,"),
            "%s", s);
  /* the row: requests,completed,rejected,rejected_too_long,... */
  lua_Integer req = -1, comp = -1, r1 = -1, r2 = -1;
  cr_expect_eq(sscanf(nl + 1, "%lld,%lld,%lld,%lld", (long long *)&req,
                      (long long *)&comp, (long long *)&r1, (long long *)&r2),
               4, "%s", nl + 1);
  cr_expect_eq(r2, rej);
  cr_expect_eq(comp + r1, req);
  free(s);
  unlink(path);
}

Test(lua, model_window_layers) {
  lua_ok("local kv = require 'kvsim'\n"
         "local all = kv.model{ base = 'mistral-7b', window_layers = 0 }\n"
         "local some = kv.model{ base = 'mistral-7b', window_layers = 8 }\n"
         "return some.window_layers, all.window_layers, some.sliding_window,\n"
         "  kv.model{ base = 'llama-3-8b', sliding_window = 1024,\n"
         "    window_layers = 16 }.window_layers\n",
         4);
  cr_expect_eq(lua_tointeger(L, 1), 8);
  cr_expect_eq(lua_tointeger(L, 2), 0, "0: every layer (Mistral)");
  cr_expect_gt(lua_tointeger(L, 3), 0);
  cr_expect_eq(lua_tointeger(L, 4), 16);
  const char *msg =
      lua_fails("local kv = require 'kvsim'\n"
                "kv.model{ base = 'llama-3-8b', window_layers = 4 }\n");
  cr_expect(strstr(msg, "test:2:") && strstr(msg, "'window_layers'") &&
                strstr(msg, "sliding_window"),
            "%s", msg);
}

Test(lua, platform_xml_is_checked_when_built_and_refused_by_ideal) {
  const char *msg = lua_fails("local kv = require 'kvsim'\n"
                              "kv.platform{ base = 'h100-sxm-80gb', xml = "
                              "'/nonexistent/kvsim_server.xml' }\n");
  cr_expect(strstr(msg, "test:2: bad argument #1 to 'platform' (field 'xml': "
                        "SimGrid platform file "
                        "'/nonexistent/kvsim_server.xml': No such file"),
            "%s", msg);
  msg = lua_fails("local kv = require 'kvsim'\n"
                  "kv.platform{ base = 'h100-sxm-80gb', xml = '/tmp' }\n");
  cr_expect(strstr(msg, "'/tmp': not a regular file (a directory)"), "%s", msg);
  char path[] = "/tmp/kvsim_lua_xmlXXXXXX";
  temp_file(path);
  lua_ok(sweep_base, 0);
  char code[512];
  snprintf(code, sizeof code,
           "local kv = require 'kvsim'\n"
           "local p = kv.platform{ base = 'h100-sxm-80gb', xml = '%s' }\n"
           "assert(p.xml == '%s')\n"
           "kv.run(CFG('x', { platform = p }))\n",
           path, path);
  /* the host names the backend that reads XML (ideal stays the default) */
#ifdef KVSIM_HAVE_SIM
  static const kv_lua_backend both[] = {{"ideal", &kv_backend_ideal_desc},
                                        {"simgrid", &kv_sim_backend_desc}};
  kv_lua_set_backends(L, both, 2, "ideal");
  const char *hint = "use backend = \"simgrid\"";
#else
  const char *hint = "no backend of this kvsim does";
#endif
  msg = lua_fails(code);
  cr_expect(strstr(msg, "test:4:") &&
                strstr(msg, "field 'backend': the ideal backend does not "
                            "read SimGrid XML") &&
                strstr(msg, path) && strstr(msg, hint),
            "%s", msg);
  unlink(path);
}

/* tier outcomes come back from a forked run as from an in-process one */
Test(lua, tier_results_survive_the_sweep) {
  lua_ok("package.path = 'tests/lua/?.lua;' .. package.path\n", 0);
  cr_assert(chdir(KVSIM_SOURCE_DIR) == 0);
  lua_ok("local kv = require 'kvsim'\n"
         "local common = require 'policy_common'\n"
         "local one = common.run(nil, { check = 1 })\n"
         "local swept = kv.sweep({ common.cfg(nil, { check = 1 }) })[1]\n"
         "return one.tier.evictions, swept.tier.evictions,\n"
         "  one.tier.policy_calls == swept.tier.policy_calls\n",
         3);
  cr_expect_gt(lua_tointeger(L, 1), 0, "the run should evict");
  cr_expect_eq(lua_tointeger(L, 2), lua_tointeger(L, 1));
  cr_expect(lua_toboolean(L, 3));
}

/* kv.time_ops: one op timed on the ideal backend is the platform's price. */
Test(lua, time_ops_prices_single_ops) {
  lua_ok("local kv = require 'kvsim'\n"
         "local p = kv.platform{ base = 'h200-141gb', copy_h2d_curve = {},\n"
         "  vmm_create_curve = { {2^21, 8e-6}, {2^26, 40e-6} } }\n"
         "local t = kv.time_ops{ platform = p, steps = {\n"
         "  { { kind = 'vmm_create', bytes = 2^25, count = 2 } },\n"
         "  { { kind = 'copy', dir = 'h2d', bytes = 2^20, count = 4 } } } }\n"
         "return t[1].by_kind.vmm_create, t[2].total, p.pcie_bw, "
         "p.copy_overhead,\n"
         "  p.pcie_lat\n",
         5);
  double create = lua_tonumber(L, -5), copy = lua_tonumber(L, -4);
  double bw = lua_tonumber(L, -3), ov = lua_tonumber(L, -2),
         lat = lua_tonumber(L, -1);
  double x = (double)(1 << 25),
         want = 8e-6 + (x - (1 << 21)) * (32e-6 / ((1 << 26) - (1 << 21)));
  cr_assert_float_eq(create, 2 * want, 1e-12);
  cr_assert_float_eq(copy, 4 * ov + lat + (double)(1 << 20) / bw, 1e-12);
  const char *m = lua_fails("local kv = require 'kvsim'\n"
                            "kv.time_ops{ platform = 'h200-141gb', steps = {\n"
                            "  { { kind = 'copy', bytes = 10 } } } }\n");
  cr_assert(strstr(m, "needs 'dir'"), "%s", m);
  m = lua_fails("local kv = require 'kvsim'\n"
                "kv.time_ops{ platform = 'h200-141gb', steps = {\n"
                "  { { kind = 'vmm_creat' } } } }\n");
  cr_assert(strstr(m, "unknown op kind 'vmm_creat'"), "%s", m);
}

#ifdef KVSIM_HAVE_SIM
/* kv.time_ops takes the backend's options: SimGrid's copy_sms gives copy
 * kernels that many SMs (the closure replays the SM sweep with it), so a
 * kernel gather on 1 SM is slower than on 8, and 16 no slower, a number or a
 * string alike; bad values name the field. */
Test(lua, time_ops_takes_simgrid_copy_sms) {
  static const kv_lua_backend both[] = {{"ideal", &kv_backend_ideal_desc},
                                        {"simgrid", &kv_sim_backend_desc}};
  kv_lua_set_backends(L, both, 2, "ideal");
  lua_ok("local kv = require 'kvsim'\n"
         "local function t(sms)\n"
         "  return kv.time_ops{ platform = 'h100-sxm-80gb', backend = "
         "'simgrid',\n"
         "    copy_sms = sms, steps = { { { kind = 'copy', dir = 'h2d',\n"
         "      via = 'kernel', bytes = 2^26, count = 2^14 } } } }[1].total\n"
         "end\n"
         "return t(1), t(8), t(nil), t('16')\n",
         4);
  double one = lua_tonumber(L, 1), eight = lua_tonumber(L, 2),
         dflt = lua_tonumber(L, 3), sixteen = lua_tonumber(L, 4);
  cr_expect_gt(one, 1.2 * eight, "1 SM %g s, 8 SMs %g s", one, eight);
  cr_expect_eq(dflt, eight, "the default is 8 SMs");
  cr_expect_leq(sixteen, eight);
  static const struct {
    const char *v, *want;
  } bad[] = {
      {"0", "field 'copy_sms': expected a whole number of SMs from 1"},
      {"'x'", "field 'copy_sms': expected a whole number of SMs from 1"},
      {"500", "field 'copy_sms': 500 SMs for copy kernels, platform "
              "'h100-sxm-80gb' has 132"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    char code[256];
    snprintf(code, sizeof code,
             "local kv = require 'kvsim'\n"
             "kv.time_ops{ platform = 'h100-sxm-80gb', backend = 'simgrid',\n"
             "  copy_sms = %s, steps = { { { kind = 'vmm_map' } } } }\n",
             bad[i].v);
    const char *m = lua_fails(code);
    cr_expect(strstr(m, bad[i].want), "%s: %s", bad[i].v, m);
  }
}

/* SimGrid's copy_threads: threads per block of the copy kernels. Absent or
 * the library kernel's 1024, a swapping run's summary is the same, key for
 * key; without a threads grid 256 threads on 4k SMs is k SMs of the library
 * kernel (kv.time_ops), and fewer threads make the run's kernel swaps
 * slower; bad values name the field. */
Test(lua, simgrid_copy_threads_keeps_the_default_and_prices_block_size) {
  static const kv_lua_backend both[] = {{"ideal", &kv_backend_ideal_desc},
                                        {"simgrid", &kv_sim_backend_desc}};
  kv_lua_set_backends(L, both, 2, "ideal");
  lua_ok(
      "local kv = require 'kvsim'\n"
      "local function t(th, sms)\n"
      "  return kv.time_ops{ platform = 'h100-sxm-80gb', backend = "
      "'simgrid',\n"
      "    copy_sms = sms, copy_threads = th, steps = { { { kind = 'copy',\n"
      "      dir = 'h2d', via = 'kernel', bytes = 2^26, count = 2^14 } } } "
      "}[1].total\n"
      "end\n"
      "local W = kv.workload{ preset = 'azure-conv', seed = 3, count = 60 }\n"
      "local function run(th)\n"
      "  return kv.run{ model = 'llama-3-8b', platform = 'h100-sxm-80gb',\n"
      "    workload = W, strategy = { 'paged', copy_via = 'kernel' },\n"
      "    backend = 'simgrid', seed = 3, copy_sms = 4, copy_threads = th,\n"
      "    kv_capacity = 2^30, preempt = 'swap', host_bytes = 2^36 "
      "}.summary\n"
      "end\n"
      "local a, b, c = run(nil), run(1024), run('128')\n"
      "local same = true\n"
      "for k, v in pairs(a) do\n"
      "  if type(v) == 'number' and v == v and k ~= 'wall_time' then\n"
      "    same = same and v == b[k]\n"
      "  end\n"
      "end\n"
      "return t(nil, 4), t(1024, 4), t(256, 4), t(1024, 1), t(256, 16),\n"
      "  same, a.swaps_out, a.op_time_critical, c.op_time_critical\n",
      9);
  double dflt = lua_tonumber(L, 1), t1024 = lua_tonumber(L, 2),
         t256x4 = lua_tonumber(L, 3), t1024x1 = lua_tonumber(L, 4),
         t256x16 = lua_tonumber(L, 5);
  cr_expect_eq(dflt, t1024, "absent: the library kernel's 1024 threads");
  /* equal rates; times within SimGrid's precision */
  cr_expect_float_eq(t256x4, t1024x1, 1e-6 * t1024x1, "%.12g vs %.12g", t256x4,
                     t1024x1);
  cr_expect_float_eq(t256x16, t1024, 1e-6 * t1024, "%.12g vs %.12g", t256x16,
                     t1024);
  cr_expect_gt(t256x4, 1.2 * t1024);
  cr_expect(lua_toboolean(L, 6), "summary with copy_threads = 1024 differs");
  cr_expect_gt(lua_tonumber(L, 7), 0, "the run swaps");
  cr_expect_gt(lua_tonumber(L, 9), lua_tonumber(L, 8),
               "128 threads: slower swaps on the critical path (%g s, 1024: "
               "%g s)",
               lua_tonumber(L, 9), lua_tonumber(L, 8));
  lua_settop(L, 0);
  static const char *const bad[] = {"0", "100", "2048", "'x'"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    char code[256];
    snprintf(code, sizeof code,
             "local kv = require 'kvsim'\n"
             "kv.time_ops{ platform = 'h100-sxm-80gb', backend = 'simgrid',\n"
             "  copy_threads = %s, steps = { { { kind = 'vmm_map' } } } }\n",
             bad[i]);
    const char *m = lua_fails(code);
    cr_expect(strstr(m, "field 'copy_threads': expected threads per block, a "
                        "whole multiple of 32 from 32 to 1024"),
              "%s: %s", bad[i], m);
  }
}
#endif

/* copy_via = "batch": accepted by every strategy and by kv.time_ops (one
 * cudaMemcpyBatchAsync priced as its call plus its entries at the batch
 * curve), rejected with the valid names when misspelt; the platform's batch
 * fields read back. */
Test(lua, copy_via_batch_is_accepted_and_bad_values_named) {
  lua_ok(
      "local kv = require 'kvsim'\n"
      "local p = kv.platform{ base = 'h100-sxm-80gb', batch_call = 30e-6,\n"
      "  batch_h2d_curve = { {4096, 1.2e-6}, {65536, 2.3e-6} } }\n"
      "local t = kv.time_ops{ platform = p, steps = {\n"
      "  { { kind = 'copy', dir = 'h2d', via = 'batch', bytes = 64 * 65536,\n"
      "      count = 64 } },\n"
      "  { { kind = 'copy', dir = 'h2d', via = 'engine', bytes = 64 * 65536,\n"
      "      count = 64 } } } }\n"
      "return t[1].total, t[2].total, p.batch_call, #p.batch_h2d_curve,\n"
      "  #p.batch_d2h_curve\n",
      5);
  cr_assert_float_eq(lua_tonumber(L, 1), 30e-6 + 64 * 2.3e-6, 1e-12);
  cr_assert_lt(lua_tonumber(L, 1), lua_tonumber(L, 2));
  cr_assert_float_eq(lua_tonumber(L, 3), 30e-6, 1e-15);
  cr_assert_eq(lua_tointeger(L, 4), 2);
  cr_assert_eq(lua_tointeger(L, 5), 0);
  lua_settop(L, 0);
  /* a swapping run with batched copies on every strategy that swaps
   * (static never preempts: it reserves the whole context at admission) */
  lua_ok(
      "local kv = require 'kvsim'\n"
      "local W = kv.workload{ preset = 'azure-conv', seed = 3, count = 200 }\n"
      "local out = {}\n"
      "for _, s in ipairs{ { 'paged', block_tokens = 1 },\n"
      "    { 'vmm', page_bytes = 2^21 },\n"
      "    { 'indirect', slab_bytes = 2^26, block_tokens = 1 } } do\n"
      "  for _, via in ipairs{ 'engine', 'batch' } do\n"
      "    s.copy_via = via\n"
      "    local r = kv.run{ model = 'llama-3-8b', platform = "
      "'h100-sxm-80gb',\n"
      "      workload = W, strategy = s, backend = 'ideal', seed = 3,\n"
      "      kv_capacity = 2^30, preempt = 'swap', host_bytes = 2^36 }\n"
      "    out[#out + 1] = r.summary.swaps_out\n"
      "    out[#out + 1] = r.summary.op_time_critical\n"
      "  end\n"
      "end\n"
      "return table.unpack(out)\n",
      12);
  for (int i = 0; i < 3; i++) {
    int e = 1 + 4 * i, b = e + 2;
    cr_expect_gt(lua_tonumber(L, e), 0, "strategy %d: no swap", i);
    cr_expect_gt(lua_tonumber(L, b), 0, "strategy %d: no swap (batch)", i);
    /* paged-1 swaps thousands of 128 KiB runs: one call instead */
    if (i == 0)
      cr_expect_lt(lua_tonumber(L, b + 1), lua_tonumber(L, e + 1),
                   "paged-1: batch %g s, engine %g s", lua_tonumber(L, b + 1),
                   lua_tonumber(L, e + 1));
  }
  lua_settop(L, 0);
  const char *m = lua_fails(
      "local kv = require 'kvsim'\n"
      "kv.run{ model = 'llama-3-8b', platform = 'h100-sxm-80gb',\n"
      "  workload = kv.workload{ preset = 'azure-conv', count = 5 },\n"
      "  strategy = { 'paged', copy_via = 'dma' }, backend = 'ideal' }\n");
  cr_expect(strstr(m, "field 'strategy.copy_via': invalid strategy.copy_via "
                      "'dma' (valid: engine, kernel, batch)"),
            "%s", m);
  m = lua_fails("local kv = require 'kvsim'\n"
                "kv.time_ops{ platform = 'h200-141gb', steps = {\n"
                "  { { kind = 'copy', dir = 'h2d', via = 'batched' } } } }\n");
  cr_expect(strstr(m, "field 'steps[1][1].via': invalid steps[1][1].via "
                      "'batched' (valid: engine, kernel, batch)"),
            "%s", m);
  m = lua_fails("local kv = require 'kvsim'\n"
                "kv.platform{ base = 'h200-141gb', batch_call = -1 }\n");
  cr_expect(strstr(m, "batch_call"), "%s", m);
}

/* prefix_generated: on by default; a multi-turn workload's next turns
 * attach the previous answers' blocks (generated-block hits); off, only
 * those a later prompt prefilled; a non-boolean names the field. */
Test(lua, prefix_generated_option_and_hit_split) {
  lua_ok("local kv = require 'kvsim'\n"
         "local w = kv.workload{ seed = 2, synthetic = { rate = 1, n = 40,\n"
         "  output = 120, prefix = { groups = 2, system_prompt = 200,\n"
         "  question = 40, prompts_per_group = 2, multi_turn = true } } }\n"
         "local function go(gen)\n"
         "  return kv.run{ model = 'llama-3-8b', platform = 'h100-sxm-80gb',\n"
         "    workload = w, strategy = 'paged', prefix_sharing = true,\n"
         "    prefix_generated = gen, check = 2 }\n"
         "end\n"
         "local on, off = go(nil), go(false)\n"
         "local t = on.tier\n"
         "return t.prefix_hit_tokens_generated, "
         "off.tier.prefix_hit_tokens_generated,\n"
         "  t.prefix_hit_tokens_prompt + t.prefix_hit_tokens_generated ==\n"
         "    t.prefix_hit_tokens,\n"
         "  on.summary.prompt_tokens < off.summary.prompt_tokens,\n"
         "  math.type(t.prefix_hit_blocks_generated)\n",
         5);
  /* off, a third turn still finds the first answer's blocks that the
   * second turn prefilled: fewer generated-block hits, not none */
  cr_expect_gt(lua_tointeger(L, 1), lua_tointeger(L, 2));
  cr_expect(lua_toboolean(L, 3));
  cr_expect(lua_toboolean(L, 4));
  cr_expect_str_eq(lua_tostring(L, 5), "integer");
  const char *msg = lua_fails(
      "local kv = require 'kvsim'\n"
      "kv.run{ model = 'llama-3-8b', platform = 'h100-sxm-80gb',\n"
      "  workload = kv.workload{ preset = 'azure-conv', count = 4 },\n"
      "  strategy = 'paged', prefix_generated = 1 }\n");
  cr_expect(strstr(msg, "prefix_generated"), "%s", msg);
}

/* offload_bytes: the run key reaches the engine (a host copy of the prefix
 * cache stores blocks, the options say it), needs prefix_sharing, and a
 * bad value names the field. */
Test(lua, offload_bytes_option) {
  lua_ok("local kv = require 'kvsim'\n"
         "local w = kv.workload{ seed = 2, synthetic = { rate = 1, n = 40,\n"
         "  output = 20, prefix = { groups = 2, system_prompt = 200,\n"
         "  question = 40, prompts_per_group = 2 } } }\n"
         "local r = kv.run{ model = 'llama-3-8b', platform = 'h100-sxm-80gb',\n"
         "  workload = w, strategy = 'paged', prefix_sharing = true,\n"
         "  offload_bytes = 2^30, check = 2 }\n"
         "return r.tier.offload_stores, r.tier.offload_loads,\n"
         "  r.options.offload_bytes, r.summary.copy_bytes_d2h\n",
         4);
  cr_expect_gt(lua_tointeger(L, 1), 0);
  cr_expect_eq(lua_tointeger(L, 2), 0, "the device's cache holds them all");
  cr_expect_eq(lua_tointeger(L, 3), 1 << 30);
  cr_expect_gt(lua_tonumber(L, 4), 0);
  const char *msg = lua_fails(
      "local kv = require 'kvsim'\n"
      "kv.run{ model = 'llama-3-8b', platform = 'h100-sxm-80gb',\n"
      "  workload = kv.workload{ preset = 'azure-conv', count = 4 },\n"
      "  strategy = 'paged', offload_bytes = 2^30 }\n");
  cr_expect(strstr(msg, "offload_bytes") && strstr(msg, "prefix_sharing"), "%s",
            msg);
  msg = lua_fails(
      "local kv = require 'kvsim'\n"
      "kv.run{ model = 'llama-3-8b', platform = 'h100-sxm-80gb',\n"
      "  workload = kv.workload{ preset = 'azure-conv', count = 4 },\n"
      "  strategy = 'paged', offload_bytes = -1 }\n");
  cr_expect(strstr(msg, "offload_bytes"), "%s", msg);
}

/* kv.workload's on_off keeps only the on phases' requests and shift moves
 * every arrival; a multi-model kv.run returns one result per model, the
 * memory samples, and asks a Lua victim policy when the pool runs out. */
Test(lua, on_off_shift_and_several_models_with_a_lua_policy) {
  lua_ok("local kv = require 'kvsim'\n"
         "local all = kv.workload{ synthetic = { rate = 20, duration = 60,\n"
         "  prompt = 6000, output = 300 }, seed = 4 }\n"
         "local w = kv.workload{ synthetic = { rate = 20, duration = 60,\n"
         "  prompt = 6000, output = 300 }, seed = 4,\n"
         "  on_off = { period = 20, on = 5, phase = 10 }, shift = 3 }\n"
         "local off = 0\n"
         "for _, t in ipairs(w:requests().arrival) do\n"
         "  if (t - 3 - 10) % 20 >= 5 then off = off + 1 end end\n"
         "local asked = 0\n"
         "local r = kv.run{ platform = 'h100-sxm-80gb', memory = 'elastic',\n"
         "  gpu_mem_util = 0.5, check = 2,\n"
         "  models = { { model = 'llama-3-8b', workload = all, max_context = "
         "8192 },\n"
         "             { model = 'qwen2.5-7b', workload = w, max_context = "
         "8192 } },\n"
         "  policy = { victim = function(v) asked = asked + 1\n"
         "    assert(#v.models == 2 and v.models[1].share > 0)\n"
         "    return v.requester == 1 and 2 or 1 end } }\n"
         "return #all, #w, off, #r.models, r.models[1].summary.completed,\n"
         "  r.models[2].summary.completed, asked, r.cross_preemptions,\n"
         "  #r.memory_timeline.t == #r.memory_timeline.held[2],\n"
         "  r.models[1].options.kv_capacity == r.pool_bytes\n",
         10);
  lua_Integer n_all = lua_tointeger(L, 1), n_w = lua_tointeger(L, 2);
  cr_expect(n_w > n_all / 6 && n_w < n_all / 3, "kept %lld of %lld",
            (long long)n_w, (long long)n_all);
  cr_expect_eq(lua_tointeger(L, 3), 0, "requests kept in off phases");
  cr_expect_eq(lua_tointeger(L, 4), 2);
  cr_expect_eq(lua_tointeger(L, 5), n_all);
  cr_expect_eq(lua_tointeger(L, 6), n_w);
  cr_expect_gt(lua_tointeger(L, 7), 0, "the Lua policy was never asked");
  cr_expect_gt(lua_tointeger(L, 8), 0);
  cr_expect(lua_toboolean(L, 9));
  cr_expect(lua_toboolean(L, 10));
}
