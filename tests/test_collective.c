/* test_collective.c - the measured all-reduce table (core/engine/collective.c,
 * platform field allreduce_table): lookup and interpolation in log bytes,
 * the model when there is no row for a run's tp, validation errors, the
 * backends' descriptions, and platform files with and without a table. */
#include <criterion/criterion.h>
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "backend.h"
#include "collective.h"
#include "lua_kvsim.h"
#include "ops.h"
#include "platform.h"
#ifdef KVSIM_HAVE_SIM
#include "sim_backend.h"
#endif

static kv_platform preset(const char *name) {
  kv_platform p;
  kv_error e = {0};
  cr_assert_eq(kv_platform_preset(name, &p, &e), KV_OK, "%s: %s", name, e.msg);
  return p;
}

/* Rows for tp 2 and 8: 10 us at 1 KiB, 20 us at 1 MiB, 3 ms at 1 GiB. */
static void set_table(kv_platform *p) {
  kv_grid g = {0};
  const double x[3] = {1024, 1048576, 1073741824};
  const double y[2][3] = {{10e-6, 20e-6, 3e-3}, {30e-6, 50e-6, 5e-3}};
  for (int r = 0; r < 2; r++) {
    g.u[r] = r ? 8 : 2;
    g.row[r].n = 3;
    for (int k = 0; k < 3; k++)
      g.row[r].x[k] = x[k], g.row[r].y[k] = y[r][k];
  }
  g.n = 2;
  p->allreduce_table = g;
}

static void expect_bad_table(const kv_platform *p, const char *part) {
  kv_error e = {0};
  cr_assert_eq(kv_platform_validate(p, &e), KV_EINVAL, "accepted (%s)", part);
  cr_assert(strstr(e.msg, "'allreduce_table'"), "field not named: %s", e.msg);
  cr_assert(strstr(e.msg, part), "expected '%s' in: %s", part, e.msg);
}

Test(allreduce_table, row_is_interpolated_in_log_bytes) {
  kv_platform p = preset("h100-sxm-80gb");
  set_table(&p);
  kv_error e = {0};
  cr_assert_eq(kv_platform_validate(&p, &e), KV_OK, "%s", e.msg);
  /* at the points */
  cr_assert_float_eq(kv_allreduce_time(&p, 2, 1024), 10e-6, 1e-18);
  cr_assert_float_eq(kv_allreduce_time(&p, 2, 1048576), 20e-6, 1e-18);
  cr_assert_float_eq(kv_allreduce_time(&p, 8, 1073741824), 5e-3, 1e-15);
  /* halfway in log bytes (32 KiB) is halfway in time, not at 1/32 */
  cr_assert_float_eq(kv_allreduce_time(&p, 2, 32768), 15e-6, 1e-15);
  cr_assert_float_eq(kv_allreduce_time(&p, 8, 32768), 40e-6, 1e-15);
  /* below the first point: its time (a latency floor), also for 0 bytes */
  cr_assert_float_eq(kv_allreduce_time(&p, 2, 16), 10e-6, 1e-18);
  cr_assert_float_eq(kv_allreduce_time(&p, 2, 0), 10e-6, 1e-18);
  /* past the last point: the last segment's per-byte slope */
  double slope = (3e-3 - 20e-6) / (1073741824.0 - 1048576.0);
  cr_assert_float_eq(kv_allreduce_time(&p, 2, 2147483648.0),
                     3e-3 + slope * 1073741824.0, 1e-15);
  /* tp 1: no all-reduce, table or not */
  cr_assert_eq(kv_allreduce_time(&p, 1, 1e6), 0);
  /* a step: 2 per layer at tokens x hidden x 2 bytes, from the table */
  kv_model m;
  cr_assert_eq(kv_model_preset("llama-3-8b", &m, &e), KV_OK, "%s", e.msg);
  double msg = 100.0 * m.hidden * 2;
  cr_assert_float_eq(
      kv_allreduce_step_time(&p, &m, 2, 100),
      2.0 * m.layers * kv_allreduce_table_time(&p.allreduce_table.row[0], msg),
      1e-15);
}

Test(allreduce_table, one_point_and_flat_last_segment) {
  kv_curve c = {.n = 1, .x = {4096}, .y = {7e-6}};
  cr_assert_eq(kv_allreduce_table_time(&c, 1), 7e-6);
  cr_assert_eq(kv_allreduce_table_time(&c, 1e9), 7e-6);
  kv_curve f = {.n = 2, .x = {4096, 8192}, .y = {9e-6, 8e-6}};
  cr_assert_eq(kv_allreduce_table_time(&f, 1e9), 8e-6,
               "a falling last segment is not extrapolated");
}

/* No row for the run's tp, or no table at all: the ring / tree model, the
 * same figure as the platform without a table gives. */
Test(allreduce_table, model_without_a_row_or_a_table) {
  kv_platform plain = preset("h100-sxm-80gb");
  kv_platform p = plain;
  set_table(&p);
  for (double b = 1e3; b < 1e10; b *= 7) {
    cr_assert_eq(kv_allreduce_time(&p, 4, b), kv_allreduce_time(&plain, 4, b));
    cr_assert_neq(kv_allreduce_time(&p, 2, b), kv_allreduce_time(&plain, 2, b));
  }
  /* the model's own formula, so the fallback is not the table in disguise */
  double n = 4, bw = plain.allreduce_bw, hop = plain.allreduce_lat;
  double b = 256e6;
  double ring = 2 * (n - 1) * hop + 2 * (n - 1) / n * b / bw;
  double tree = 2 * 2 * hop + 2 * b / bw;
  cr_assert_float_eq(kv_allreduce_time(&p, 4, b),
                     plain.allreduce_base + (ring < tree ? ring : tree), 1e-15);
  cr_assert_eq(kv_allreduce_source_of(&p, 1), KV_ALLREDUCE_NONE);
  cr_assert_eq(kv_allreduce_source_of(&p, 2), KV_ALLREDUCE_TABLE);
  cr_assert_eq(kv_allreduce_source_of(&p, 4), KV_ALLREDUCE_MODEL);
  cr_assert_eq(kv_allreduce_source_of(&plain, 8), KV_ALLREDUCE_MODEL);
  /* a tp that spans servers: the model (the NIC), even with a row */
  kv_platform two = p;
  two.gpus_per_server = 4, two.servers = 2;
  two.allreduce_table.u[0] = 4; /* rows tp 4 and tp 8 */
  kv_error e = {0};
  cr_assert_eq(kv_platform_validate(&two, &e), KV_OK, "%s", e.msg);
  cr_assert_eq(kv_allreduce_source_of(&two, 4), KV_ALLREDUCE_TABLE);
  cr_assert_eq(kv_allreduce_source_of(&two, 8), KV_ALLREDUCE_MODEL);
  kv_platform two_plain = two;
  two_plain.allreduce_table.n = 0;
  cr_assert_eq(kv_allreduce_time(&two, 8, b),
               kv_allreduce_time(&two_plain, 8, b));
  char d[96];
  kv_allreduce_describe(&two, 8, d, sizeof d);
  cr_assert_str_eq(d, "all-reduce model (tp 8 spans servers)");
  cr_assert_str_eq(kv_allreduce_source_name(KV_ALLREDUCE_TABLE), "table");
  cr_assert_str_eq(kv_allreduce_source_name(KV_ALLREDUCE_MODEL), "model");
}

Test(allreduce_table, bad_tables_are_named) {
  kv_platform p = preset("h100-sxm-80gb");
  set_table(&p);
  p.allreduce_table.u[0] = 1;
  expect_bad_table(&p, "tp 1");
  set_table(&p);
  p.allreduce_table.u[0] = 2.5;
  expect_bad_table(&p, "tp 2.5");
  set_table(&p);
  p.allreduce_table.u[1] = 2; /* keys must increase */
  expect_bad_table(&p, "row 2");
  set_table(&p);
  p.allreduce_table.row[1].y[2] = 0;
  expect_bad_table(&p, "point 3");
  set_table(&p);
  p.allreduce_table.row[0].y[0] = NAN;
  expect_bad_table(&p, "point 1");
  set_table(&p);
  p.allreduce_table.row[0].x[1] = 512; /* bytes must increase */
  expect_bad_table(&p, "point 2");
  set_table(&p);
  p.allreduce_table.row[1].n = 0;
  expect_bad_table(&p, "no points");
  set_table(&p);
  p.allreduce_table.row[0].y[1] = 7200;
  expect_bad_table(&p, "at most 3600");
}

/* The ideal backend says which all-reduce prices a tp > 1 run when the
 * platform has a table, and its description is unchanged without one; the
 * step's all-reduce time is the table's. */
Test(allreduce_table, ideal_backend_prices_and_describes_it) {
  kv_model m;
  kv_error e = {0};
  cr_assert_eq(kv_model_preset("llama-3-8b", &m, &e), KV_OK, "%s", e.msg);
  kv_platform plain = preset("h100-sxm-80gb");
  kv_platform p = plain;
  set_table(&p);
  const kv_platform *ps[2] = {&plain, &p};
  double t[2];
  char desc[2][512];
  for (int k = 0; k < 2; k++) {
    kv_backend *b = kv_backend_ideal_create(ps[k], &m, 2, &e);
    cr_assert_not_null(b, "%s", e.msg);
    kv_op_list l;
    kv_ops_init(&l, 0);
    kv_op *op = kv_ops_push(&l, KV_OP_COMPUTE, KV_NO_REQ);
    op->flops = 1e12, op->bytes = 1e9, op->tokens = 512;
    kv_step_time st;
    cr_assert_eq(b->vt->step(b, &l, &st, &e), KV_OK, "%s", e.msg);
    t[k] = st.compute;
    b->vt->describe(b, desc[k], sizeof desc[k]);
    kv_ops_free(&l);
    b->vt->destroy(b);
  }
  double msg = 512.0 * m.hidden * 2;
  double want = 2.0 * m.layers *
                (kv_allreduce_table_time(&p.allreduce_table.row[0], msg) -
                 kv_allreduce_time(&plain, 2, msg));
  cr_assert_float_eq(t[1] - t[0], want, 1e-9 * fabs(want) + 1e-15, "%g vs %g",
                     t[1] - t[0], want);
  cr_assert_null(strstr(desc[0], "all-reduce"), "%s", desc[0]);
  cr_assert(strstr(desc[1], "all-reduce measured table (tp 2)"), "%s", desc[1]);
  char d[128];
  kv_allreduce_describe(&p, 4, d, sizeof d);
  cr_assert_str_eq(d, "all-reduce model (table has no tp 4 row)");
  kv_allreduce_describe(&p, 1, d, sizeof d);
  cr_assert_str_eq(d, "");
}

/* ---- platform files --------------------------------------------------- */

static lua_State *L;

static void lsetup(void) {
  L = luaL_newstate();
  cr_assert(L);
  luaL_openlibs(L);
  kv_lua_openlibs(L, NULL);
}

static void lteardown(void) {
  if (L) lua_close(L);
  L = NULL;
}

static void write_tmp(char *path, const char *text) {
  int fd = mkstemp(path);
  cr_assert(fd >= 0);
  cr_assert(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
  close(fd);
}

static int run_lua(const char *code, int nres) {
  if (luaL_loadbuffer(L, code, strlen(code), "=test") != LUA_OK) return 0;
  return lua_pcall(L, 0, nres, 0) == LUA_OK;
}

/* A calibration file written before the table (no allreduce_table) loads
 * as before; one from kvsim-calibrate-multi is read back, row by row. */
Test(allreduce_table_file, old_and_new_files_load, .init = lsetup,
     .fini = lteardown) {
  char old[] = "/tmp/kvsim_ar_oldXXXXXX", multi[] = "/tmp/kvsim_ar_newXXXXXX";
  write_tmp(old, "return { base = 'h100-sxm-80gb', pcie_bw = 51e9,\n"
                 "  nvlink_bw = 400e9, gpus_per_server = 8 }\n");
  write_tmp(
      multi,
      "return { base = 'h100-sxm-80gb', gpus_per_server = 4,\n"
      "  allreduce_table = {\n"
      "    { 2, { {1024, 1e-5}, {1048576, 2e-5} } },\n"
      "    { 4, { {1024, 2e-5}, {1048576, 4e-5}, {1073741824, 4e-3} } },\n"
      "  } }\n");
  char code[1024];
  snprintf(code, sizeof code,
           "local kv = require 'kvsim'\n"
           "local o = kv.platform{ file = '%s' }\n"
           "local n = kv.platform{ file = '%s' }\n"
           "return o.pcie_bw, #o.allreduce_table, #n.allreduce_table,\n"
           "  n.allreduce_table[2][1], #n.allreduce_table[2][2],\n"
           "  n.allreduce_table[2][2][3][2]\n",
           old, multi);
  cr_assert(run_lua(code, 6), "Lua error: %s", lua_tostring(L, -1));
  cr_expect_eq(lua_tonumber(L, 1), 51e9);
  cr_expect_eq(lua_tointeger(L, 2), 0, "an old file has no table");
  cr_expect_eq(lua_tointeger(L, 3), 2);
  cr_expect_eq(lua_tonumber(L, 4), 4);
  cr_expect_eq(lua_tointeger(L, 5), 3);
  cr_expect_eq(lua_tonumber(L, 6), 4e-3);
  unlink(old);
  unlink(multi);
}

Test(allreduce_table_file, bad_table_in_a_file_is_named, .init = lsetup,
     .fini = lteardown) {
  char bad[] = "/tmp/kvsim_ar_badXXXXXX";
  write_tmp(bad, "return { base = 'h100-sxm-80gb',\n"
                 "  allreduce_table = { { 3.5, { {1024, 1e-5} } } } }\n");
  char code[512];
  snprintf(code, sizeof code,
           "local kv = require 'kvsim'\n"
           "return kv.platform{ file = '%s' }\n",
           bad);
  cr_assert_not(run_lua(code, 1), "a tp of 3.5 GPUs was accepted");
  const char *msg = lua_tostring(L, -1);
  cr_expect(strstr(msg, "allreduce_table") && strstr(msg, "3.5"), "%s", msg);
  unlink(bad);
}

/* A tp 2 run on a platform with the table says so in its backend_config
 * and summary.collective_model ("table"), on the ideal backend and (when
 * built) the SimGrid one; without a table the description has no
 * all-reduce clause, as before, and collective_model reads "model" ("none"
 * at tp 1); collective_model is never listed (result files unchanged). */
Test(allreduce_table_file, run_result_names_the_all_reduce_prices,
     .init = lsetup, .fini = lteardown) {
  const char *backends[] = {"ideal",
#ifdef KVSIM_HAVE_SIM
                            "simgrid",
#endif
                            NULL};
#ifdef KVSIM_HAVE_SIM
  static const kv_lua_backend both[] = {{"ideal", &kv_backend_ideal_desc},
                                        {"simgrid", &kv_sim_backend_desc}};
  kv_lua_set_backends(L, both, 2, "ideal");
#endif
  for (int b = 0; backends[b]; b++) {
    char code[3072];
    snprintf(code, sizeof code,
             "local kv = require 'kvsim'\n"
             "local w = kv.workload{ preset = 'azure-conv', seed = 3, "
             "count = 20 }\n"
             "local t = kv.platform{ base = 'h100-sxm-80gb', allreduce_table "
             "= {\n"
             "  { 2, { {1024, 1e-5}, {1048576, 2e-5}, {1073741824, 3e-3} } "
             "} } }\n"
             "local function run(p, tp)\n"
             "  return kv.run{ model = 'llama-3-8b', platform = p, workload = "
             "w,\n"
             "    strategy = 'paged', backend = '%s', tp = tp, seed = 3 }\n"
             "end\n"
             "local a, b = run(t, 2), run('h100-sxm-80gb', 2)\n"
             "local c = run(kv.platform{ base = 'h100-sxm-80gb', "
             "allreduce_table = {\n"
             "  { 4, { {1024, 1e-5} } } } }, 2)\n"
             "local one = run(t, 1)\n"
             "local listed = false\n"
             "for k in pairs(a.summary) do\n"
             "  if k == 'collective_model' then listed = true end\n"
             "end\n"
             "return a.backend_config, b.backend_config, c.backend_config,\n"
             "  a.summary.sim_time, b.summary.sim_time,\n"
             "  a.summary.collective_model, b.summary.collective_model,\n"
             "  c.summary.collective_model, one.summary.collective_model,\n"
             "  listed\n",
             backends[b]);
    cr_assert(run_lua(code, 10), "%s: Lua error: %s", backends[b],
              lua_tostring(L, -1));
    const char *a = lua_tostring(L, 1), *pb = lua_tostring(L, 2),
               *c = lua_tostring(L, 3);
    cr_expect(strstr(a, "all-reduce measured table (tp 2)"), "%s: %s",
              backends[b], a);
    cr_expect_null(strstr(pb, "all-reduce"), "%s: %s", backends[b], pb);
    cr_expect(strstr(c, "all-reduce model (table has no tp 2 row)"), "%s: %s",
              backends[b], c);
    cr_expect_neq(lua_tonumber(L, 4), lua_tonumber(L, 5),
                  "%s: the table changed nothing", backends[b]);
    const char *want[4] = {"table", "model", "model", "none"};
    for (int k = 0; k < 4; k++)
      cr_expect_str_eq(lua_tostring(L, 6 + k), want[k], "%s: run %d",
                       backends[b], k);
    cr_expect_not(lua_toboolean(L, 10),
                  "collective_model is listed: result files would change");
    lua_settop(L, 0);
  }
}
