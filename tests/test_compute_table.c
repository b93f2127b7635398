/* test_compute_table.c - the measured compute table
 * (core/inputs/compute_table.c): the CSV loader's errors, the lookups (measured
 * points reproduced, monotone between them, clamps and extrapolation,
 * fallbacks), a step's time as the sum of its operators on a tiny hand-made
 * table, the ideal and SimGrid backends pricing compute by it, and kv.run's
 * summary saying which compute model priced the steps. Main entry point: the
 * Criterion tests below.
 */
#include <criterion/criterion.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend.h"
#include "compute_table.h"
#include "lua_kvsim.h"
#include "model.h"
#include "ops.h"
#include "platform.h"

#ifdef KVSIM_HAVE_SIM
#include "sim_backend.h"
#endif

/* A tiny model: 2 layers, 4 query heads, 2 KV heads of 8, hidden 32,
 * intermediate 64, vocabulary 100. Its GEMMs (tp 1): QKV 64x32, O 32x32,
 * gate+up 128x32, down 32x64, LM head 100x32 (n x k). */
static const char tiny_csv[] =
    "# a hand-made table for the tiny model\n" KV_CTAB_HEADER "\n"
    "gemm,,0,1,64,32,0,0,0,0,0,1e-5\n"
    "gemm,,0,8,64,32,0,0,0,0,0,2e-5\n"
    "gemm,,0,64,64,32,0,0,0,0,0,4e-5\n"
    "gemm,,0,1,32,32,0,0,0,0,0,0.5e-5\n"
    "gemm,,0,8,32,32,0,0,0,0,0,1e-5\n"
    "gemm,,0,8,128,32,0,0,0,0,0,3e-5\n"
    "gemm,,0,8,32,64,0,0,0,0,0,1.5e-5\n"
    "gemm,,0,1,100,32,0,0,0,0,0,2e-6\n"
    "gemm,,0,5,100,32,0,0,0,0,0,7e-6\n"
    "\n"
    "attn_decode,contig,0,0,0,0,1,16,4,2,8,2e-6\n"
    "attn_decode,contig,0,0,0,0,1,64,4,2,8,4e-6\n"
    "attn_decode,contig,0,0,0,0,4,16,4,2,8,5e-6\n"
    "attn_decode,contig,0,0,0,0,4,64,4,2,8,1e-5\n"
    "attn_decode,block_table,16,0,0,0,4,64,4,2,8,1.2e-5\n"
    "attn_decode,block_table,64,0,0,0,4,64,4,2,8,1.6e-5\n"
    "attn_prefill,contig,0,0,0,0,1,4,4,2,8,3e-6\n"
    "attn_prefill,contig,0,0,0,0,1,64,4,2,8,2.08e-4\n";

static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  cr_assert(f, "cannot write %s", path);
  fputs(text, f);
  fclose(f);
}

/* A temporary file holding `text`; the path in buf. */
static const char *tmp_csv(char *buf, size_t n, const char *text) {
  snprintf(buf, n, "/tmp/kvsim_ctab_XXXXXX");
  int fd = mkstemp(buf);
  cr_assert(fd >= 0);
  close(fd);
  write_file(buf, text);
  return buf;
}

static kv_ctab *load_text(const char *text, char *path, size_t n) {
  tmp_csv(path, n, text);
  kv_ctab *t = NULL;
  kv_error e = {0};
  const char *paths[] = {path};
  cr_assert_eq(kv_ctab_load(paths, 1, &t, &e), KV_OK, "%s", e.msg);
  return t;
}

static kv_model tiny_model(void) {
  kv_model m;
  memset(&m, 0, sizeof m);
  snprintf(m.name, sizeof m.name, "tiny");
  m.layers = 2;
  m.heads = 4;
  m.kv_heads = 2;
  m.head_dim = 8;
  m.hidden = 32;
  m.intermediate = 64;
  m.vocab = 100;
  m.dtype_bytes = 2;
  m.max_context = 4096;
  m.params = 1e4;
  m.active_params = 1e4;
  m.weight_bytes = 2;
  return m;
}

static kv_platform h100(void) {
  kv_platform p;
  kv_error e = {0};
  cr_assert_eq(kv_platform_preset("h100-sxm-80gb", &p, &e), KV_OK);
  return p;
}

static int close_to(double a, double b) {
  return fabs(a - b) <= 1e-12 * fmax(fabs(a), fabs(b)) + 1e-20;
}

/* ---- loader errors --------------------------------------------------- */

/* Loading `body` (after the header unless `raw`) fails with a message
 * containing "<path>:<line>:" and `want`. */
static void load_fails(const char *body, int raw, int line, const char *want) {
  char text[2048], path[64];
  snprintf(text, sizeof text, "%s%s", raw ? "" : KV_CTAB_HEADER "\n", body);
  tmp_csv(path, sizeof path, text);
  kv_ctab *t = NULL;
  kv_error e = {0};
  const char *paths[] = {path};
  cr_assert_neq(kv_ctab_load(paths, 1, &t, &e), KV_OK, "loaded: %s", body);
  cr_assert_null(t);
  char where[96];
  snprintf(where, sizeof where, "%s:%d:", path, line);
  cr_expect(strstr(e.msg, where), "want '%s' in: %s", where, e.msg);
  cr_expect(strstr(e.msg, want), "want '%s' in: %s", want, e.msg);
  unlink(path);
}

Test(compute_table_load, errors_name_file_line_and_field) {
  load_fails("gemm,,0,8,64,32,0,0,0,0,0,abc\n", 0, 2,
             "field 'seconds': not a number ('abc')");
  load_fails("# c\ngemm,,0,8,64,32,0,0,0,0,0,-1e-6\n", 0, 3,
             "field 'seconds': must be > 0 (got -1e-06)");
  load_fails("gemm,,0,x8,64,32,0,0,0,0,0,1e-6\n", 0, 2, "field 'm'");
  load_fails("gemm,,0,8,64,-32,0,0,0,0,0,1e-6\n", 0, 2,
             "field 'k': must be >= 0");
  load_fails("conv,,0,8,64,32,0,0,0,0,0,1e-6\n", 0, 2,
             "field 'kind': unknown kind 'conv'");
  load_fails("attn_decode,paged,16,0,0,0,4,64,4,2,8,1e-5\n", 0, 2,
             "field 'mode': unknown mode 'paged'");
  load_fails("gemm,,0,8,64,32,0,0,0,0,1e-6\n", 0, 2, "11 columns (expected 12");
  load_fails("gemm,,0,8,64,32,0,0,0,0,0,1e-6,7\n", 0, 2, "13 columns");
  load_fails("attn_decode,block_table,0,0,0,0,4,64,4,2,8,1e-5\n", 0, 2,
             "field 'block': must be > 0 for mode block_table");
  load_fails("attn_decode,contig,0,0,0,0,0,64,4,2,8,1e-5\n", 0, 2,
             "field 'batch': must be > 0 in a attn_decode row");
  load_fails("kind,mode,m,seconds\ngemm,,8,1e-6\n", 1, 1, "header must be");
}

Test(compute_table_load, missing_file_and_empty_table) {
  kv_ctab *t = NULL;
  kv_error e = {0};
  const char *paths[] = {"/nonexistent/table.csv"};
  cr_assert_eq(kv_ctab_load(paths, 1, &t, &e), KV_EIO);
  cr_expect(strstr(e.msg, "/nonexistent/table.csv"), "%s", e.msg);
  cr_expect(strstr(e.msg, "No such file"), "%s", e.msg);
  char path[64];
  tmp_csv(path, sizeof path, "# only a comment\n" KV_CTAB_HEADER "\n");
  const char *p2[] = {path};
  cr_assert_neq(kv_ctab_load(p2, 1, &t, &e), KV_OK);
  cr_expect(strstr(e.msg, "no rows"), "%s", e.msg);
  unlink(path);
}

Test(compute_table_load, several_files_and_crlf) {
  char a[64], b[64], spec[160];
  tmp_csv(a, sizeof a, KV_CTAB_HEADER "\r\ngemm,,0,8,64,32,0,0,0,0,0,2e-5\r\n");
  tmp_csv(b, sizeof b, KV_CTAB_HEADER "\ngemm,,0,1,64,32,0,0,0,0,0,1e-5\n");
  snprintf(spec, sizeof spec, "%s;%s", a, b);
  kv_ctab *t = NULL;
  kv_error e = {0};
  cr_assert_eq(kv_ctab_load_spec(spec, &t, &e), KV_OK, "%s", e.msg);
  cr_expect_eq(kv_ctab_rows(t, 0), 2);
  cr_expect(close_to(kv_ctab_gemm(t, 1, 64, 32), 1e-5));
  cr_expect(close_to(kv_ctab_gemm(t, 8, 64, 32), 2e-5));
  kv_ctab_free(t);
  unlink(a);
  unlink(b);
}

/* ---- lookups --------------------------------------------------------- */

Test(compute_table_lookup, gemm_points_interpolation_clamps) {
  char path[64];
  kv_ctab *t = load_text(tiny_csv, path, sizeof path);
  /* measured points come back */
  cr_expect(close_to(kv_ctab_gemm(t, 1, 64, 32), 1e-5));
  cr_expect(close_to(kv_ctab_gemm(t, 8, 64, 32), 2e-5));
  cr_expect(close_to(kv_ctab_gemm(t, 64, 64, 32), 4e-5));
  /* linear in log m: halfway in log between 1 and 8 */
  cr_expect(close_to(kv_ctab_gemm(t, sqrt(8.0), 64, 32), 1.5e-5));
  /* monotone between measured points */
  double prev = 0;
  for (double m = 1; m <= 64; m += 1) {
    double s = kv_ctab_gemm(t, m, 64, 32);
    cr_expect(s >= prev, "m=%g: %g < %g", m, s, prev);
    prev = s;
  }
  /* flat below the smallest m; the last point's FLOP rate past the last */
  cr_expect(close_to(kv_ctab_gemm(t, 0.5, 64, 32), 1e-5));
  cr_expect(close_to(kv_ctab_gemm(t, 256, 64, 32), 4e-5 * 4));
  cr_expect_eq(kv_ctab_fallbacks(t), 0);
  /* an (n, k) not measured: the FLOP rate of the nearest n*k (128x32) */
  cr_expect(close_to(kv_ctab_gemm(t, 8, 64, 64), 3e-5));
  cr_expect_eq(kv_ctab_fallbacks(t), 1);
  cr_expect(close_to(kv_ctab_gemm(t, 8, 256, 32), 3e-5 * 2));
  cr_expect_eq(kv_ctab_fallbacks(t), 2);
  kv_ctab_free(t);
  unlink(path);
}

Test(compute_table_lookup, no_gemm_rows_is_negative) {
  char path[64];
  kv_ctab *t =
      load_text(KV_CTAB_HEADER "\nattn_decode,contig,0,0,0,0,1,16,4,2,8,2e-6\n",
                path, sizeof path);
  cr_expect_lt(kv_ctab_gemm(t, 8, 64, 32), 0);
  cr_expect_lt(kv_ctab_attn_prefill(t, 0, 0, 10, 4, 4, 2, 8), 0);
  kv_ctab_free(t);
  unlink(path);
}

Test(compute_table_lookup, decode_grid_bilinear_edges) {
  char path[64];
  kv_ctab *t = load_text(tiny_csv, path, sizeof path);
  kv_platform p = h100();
  int C = KV_ADDR_CONTIGUOUS;
#define DEC(b, c) kv_ctab_attn_decode(t, C, 0, b, c, 4, 2, 8, &p)
  cr_expect(close_to(DEC(1, 16), 2e-6));
  cr_expect(close_to(DEC(1, 64), 4e-6));
  cr_expect(close_to(DEC(4, 16), 5e-6));
  cr_expect(close_to(DEC(4, 64), 1e-5));
  /* the middle of the cell in log scale: the mean of the four corners */
  cr_expect(close_to(DEC(2, 32), (2e-6 + 4e-6 + 5e-6 + 1e-5) / 4));
  /* flat below the grid, proportional to batch x context past it */
  cr_expect(close_to(DEC(1, 4), 2e-6));
  cr_expect(close_to(DEC(8, 128), 1e-5 * 4));
  cr_expect(close_to(DEC(2, 256), (4e-6 + 1e-5) / 2 * 4));
  double prev = 0;
  for (double c = 16; c <= 64; c += 4) {
    double s = DEC(3, c);
    cr_expect(s >= prev && s >= DEC(1, c) && s <= DEC(4, c), "c=%g", c);
    prev = s;
  }
#undef DEC
  cr_expect_eq(kv_ctab_fallbacks(t), 0);
  /* a table mode picks the nearest measured block (log scale) */
  int B = KV_ADDR_BLOCK_TABLE;
  cr_expect(
      close_to(kv_ctab_attn_decode(t, B, 16, 4, 64, 4, 2, 8, &p), 1.2e-5));
  cr_expect(
      close_to(kv_ctab_attn_decode(t, B, 24, 4, 64, 4, 2, 8, &p), 1.2e-5));
  cr_expect(
      close_to(kv_ctab_attn_decode(t, B, 48, 4, 64, 4, 2, 8, &p), 1.6e-5));
  cr_expect_eq(kv_ctab_fallbacks(t), 0);
  /* a mode without rows: contiguous times the platform's factor */
  double f = kv_platform_attn_factor(&p, KV_ADDR_OFFSET_TABLE, 16);
  cr_expect_gt(f, 1.0);
  cr_expect(close_to(
      kv_ctab_attn_decode(t, KV_ADDR_OFFSET_TABLE, 16, 4, 64, 4, 2, 8, &p),
      1e-5 * f));
  cr_expect_eq(kv_ctab_fallbacks(t), 1);
  /* other heads: scaled by KV bytes (kv_heads x head_dim) */
  cr_expect(close_to(kv_ctab_attn_decode(t, C, 0, 4, 64, 8, 4, 8, &p), 2e-5));
  cr_expect_eq(kv_ctab_fallbacks(t), 2);
  kv_ctab_free(t);
  unlink(path);
}

Test(compute_table_lookup, prefill_rate_per_pair) {
  char path[64];
  kv_ctab *t = load_text(tiny_csv, path, sizeof path);
  int C = KV_ADDR_CONTIGUOUS;
  /* the rows: 10 pairs in 3e-6 s, 2080 pairs at 1e-7 s per pair */
  cr_expect(close_to(kv_ctab_attn_prefill(t, C, 0, 10, 4, 4, 2, 8), 3e-6));
  cr_expect(
      close_to(kv_ctab_attn_prefill(t, C, 0, 2080, 64, 4, 2, 8), 2.08e-4));
  /* the end rates past both ends */
  cr_expect(close_to(kv_ctab_attn_prefill(t, C, 0, 5, 2, 4, 2, 8), 1.5e-6));
  cr_expect(close_to(kv_ctab_attn_prefill(t, C, 0, 1e6, 2000, 4, 2, 8), 0.1));
  /* between: a rate between the two */
  double s = kv_ctab_attn_prefill(t, C, 0, 100, 20, 4, 2, 8);
  cr_expect(s > 100 * 1e-7 && s < 100 * 3e-7, "%g", s);
  cr_expect_eq(kv_ctab_fallbacks(t), 0);
  kv_ctab_free(t);
  unlink(path);
}

/* ---- a step ---------------------------------------------------------- */

static kv_op step_op(void) {
  kv_op op;
  memset(&op, 0, sizeof op);
  op.kind = KV_OP_COMPUTE;
  op.mode = KV_ADDR_CONTIGUOUS;
  op.tokens = 8;         /* 4 decodes + one 4-token prefill from empty */
  op.decodes = 4;        /* LM head: 4 + 1 rows */
  op.decode_keys = 256;  /* 64 keys each */
  op.prefill_pairs = 10; /* 4 * 5 / 2 */
  op.flops = 1e9;
  op.bytes = 1 << 20;
  return op;
}

Test(compute_table_step, sum_of_its_parts) {
  char path[64];
  kv_ctab *t = load_text(tiny_csv, path, sizeof path);
  kv_model m = tiny_model();
  kv_platform p = h100();
  kv_op op = step_op();
  kv_ctab_breakdown b;
  double s = kv_ctab_step_time(t, &m, 1, &op, &p, &b);
  /* by hand, from the rows: layers x (QKV + O + gate/up + down at m = 8)
   * + the LM head at m = 5, layers x decode (batch 4, context 64),
   * layers x prefill (10 pairs), one launch */
  double gemm = 2 * (2e-5 + 1e-5 + 3e-5 + 1.5e-5) + 7e-6;
  double dec = 2 * 1e-5, pre = 2 * 3e-6;
  cr_expect(close_to(b.gemm, gemm), "gemm %g want %g", b.gemm, gemm);
  cr_expect(close_to(b.attn_decode, dec), "%g", b.attn_decode);
  cr_expect(close_to(b.attn_prefill, pre), "%g", b.attn_prefill);
  cr_expect(close_to(b.launch, p.kernel_launch));
  cr_expect(close_to(s, gemm + dec + pre + p.kernel_launch), "%g", s);
  cr_expect(close_to(b.total, s));
  cr_expect_eq(b.fallback, 0);
  cr_expect_eq(kv_ctab_fallbacks(t), 0);
  /* a pure decode step: no prefill, the LM head at the 4 decodes */
  op.tokens = 4;
  op.prefill_pairs = 0;
  s = kv_ctab_step_time(t, &m, 1, &op, &p, &b);
  double g4 = kv_ctab_gemm(t, 4, 64, 32) + kv_ctab_gemm(t, 4, 32, 32) +
              kv_ctab_gemm(t, 4, 128, 32) + kv_ctab_gemm(t, 4, 32, 64);
  cr_expect(close_to(b.gemm, 2 * g4 + kv_ctab_gemm(t, 4, 100, 32)));
  cr_expect_eq(b.attn_prefill, 0);
  cr_expect(close_to(s, b.gemm + dec + p.kernel_launch));
  kv_ctab_free(t);
  unlink(path);
}

Test(compute_table_step, tensor_parallel_shapes_per_gpu) {
  /* tp 2: QKV 32x32, O 32x16, gate+up 64x32, down 32x32, LM 50x32; heads
   * 2 / 1 / 8 on each GPU */
  char path[64];
  kv_ctab *t =
      load_text(KV_CTAB_HEADER "\n"
                               "gemm,,0,8,32,32,0,0,0,0,0,1e-5\n"
                               "gemm,,0,8,32,16,0,0,0,0,0,2e-5\n"
                               "gemm,,0,8,64,32,0,0,0,0,0,3e-5\n"
                               "gemm,,0,4,50,32,0,0,0,0,0,4e-5\n"
                               "attn_decode,contig,0,0,0,0,4,64,2,1,8,5e-5\n",
                path, sizeof path);
  kv_model m = tiny_model();
  kv_platform p = h100();
  kv_op op = step_op();
  op.tokens = 8; /* 8 rows through the GEMMs, LM head at the 4 decodes */
  op.prefill_pairs = 0;
  op.tokens = 4;
  kv_ctab_breakdown b;
  double s = kv_ctab_step_time(t, &m, 2, &op, &p, &b);
  cr_assert_geq(s, 0);
  /* m = 4: below the measured 8, flat; QKV and down share 32x32 */
  double want = 2 * (1e-5 + 2e-5 + 3e-5 + 1e-5) + 4e-5;
  cr_expect(close_to(b.gemm, want), "%g want %g", b.gemm, want);
  cr_expect(close_to(b.attn_decode, 2 * 5e-5));
  cr_expect_eq(b.fallback, 0);
  kv_ctab_free(t);
  unlink(path);
}

Test(compute_table_step, not_covered) {
  char path[64];
  kv_ctab *t = load_text(tiny_csv, path, sizeof path);
  kv_platform p = h100();
  kv_op op = step_op();
  kv_model m = tiny_model();
  m.mla_latent = 512; /* MLA */
  cr_expect_lt(kv_ctab_step_time(t, &m, 1, &op, &p, NULL), 0);
  m = tiny_model();
  m.active_params = m.params / 4; /* MoE */
  cr_expect_lt(kv_ctab_step_time(t, &m, 1, &op, &p, NULL), 0);
  m = tiny_model();
  m.vocab = 0;
  cr_expect_lt(kv_ctab_step_time(t, &m, 1, &op, &p, NULL), 0);
  kv_ctab_free(t);
  /* no gemm rows */
  t = load_text(KV_CTAB_HEADER "\n"
                               "attn_decode,contig,0,0,0,0,4,64,4,2,8,1e-5\n",
                path, sizeof path);
  m = tiny_model();
  cr_expect_lt(kv_ctab_step_time(t, &m, 1, &op, &p, NULL), 0);
  kv_ctab_free(t);
  unlink(path);
}

Test(compute_table_step, gemm_only_table_prices_attention_by_roofline) {
  /* what kvsim-calibrate --compute-table writes: GEMM rows only */
  char path[64];
  kv_ctab *t = load_text(KV_CTAB_HEADER "\n"
                                        "gemm,,0,8,64,32,0,0,0,0,0,2e-5\n"
                                        "gemm,,0,8,32,32,0,0,0,0,0,1e-5\n"
                                        "gemm,,0,8,128,32,0,0,0,0,0,3e-5\n"
                                        "gemm,,0,8,32,64,0,0,0,0,0,1.5e-5\n"
                                        "gemm,,0,5,100,32,0,0,0,0,0,7e-6\n",
                         path, sizeof path);
  kv_model m = tiny_model();
  kv_platform p = h100();
  kv_op op = step_op();
  op.mode = KV_ADDR_BLOCK_TABLE;
  op.count = 16;
  kv_ctab_breakdown b;
  double s = kv_ctab_step_time(t, &m, 1, &op, &p, &b);
  double f = kv_platform_attn_factor(&p, KV_ADDR_BLOCK_TABLE, 16);
  /* 256 keys x K and V x 2 KV heads x 8 x 2 bytes, per layer */
  double dec = 2 * 256 * 2 * 2 * 8 * 2 * f / p.hbm_bw;
  double pre = 2 * 4.0 * 4 * 8 * 10 / p.flops;
  cr_expect(close_to(b.gemm, 2 * (2e-5 + 1e-5 + 3e-5 + 1.5e-5) + 7e-6));
  cr_expect(close_to(b.attn_decode, dec), "%g want %g", b.attn_decode, dec);
  cr_expect(close_to(b.attn_prefill, pre), "%g want %g", b.attn_prefill, pre);
  cr_expect(close_to(s, b.gemm + dec + pre + p.kernel_launch));
  cr_expect_eq(b.fallback, 1);
  kv_ctab_free(t);
  unlink(path);
}

/* The attention rows of tiny_csv alone: what scripts/lab_torch_attention.py
 * writes (a vendor kernel's attention, the GEMMs left to the roofline). */
static const char attn_csv[] =
    KV_CTAB_HEADER "\n"
                   "attn_decode,contig,0,0,0,0,1,16,4,2,8,2e-6\n"
                   "attn_decode,contig,0,0,0,0,1,64,4,2,8,4e-6\n"
                   "attn_decode,contig,0,0,0,0,4,16,4,2,8,5e-6\n"
                   "attn_decode,contig,0,0,0,0,4,64,4,2,8,1e-5\n"
                   "attn_prefill,contig,0,0,0,0,1,4,4,2,8,3e-6\n"
                   "attn_prefill,contig,0,0,0,0,1,64,4,2,8,2.08e-4\n";

Test(compute_table_step, attention_only_table_adds_what_the_roofline_misses) {
  char path[64];
  kv_ctab *t = load_text(attn_csv, path, sizeof path);
  kv_model m = tiny_model();
  kv_platform p = h100();
  kv_op op = step_op();
  cr_expect(kv_ctab_attn_only(t));
  /* the full table path does not price it (no GEMM rows) */
  cr_expect_lt(kv_ctab_step_time(t, &m, 1, &op, &p, NULL), 0);
  /* per layer: decode (batch 4, 64 keys) 1e-5 less its K and V bytes at
   * hbm_bw; prefill (10 pairs at the 4-token row's rate) less its FLOPs */
  double dec = 1e-5 - 256 * 2 * 2 * 8 * 2 / p.hbm_bw;
  double pre = 10 * (3e-6 / 10) - 4.0 * 4 * 8 * 10 / p.flops;
  double x = kv_ctab_attn_excess(t, &m, 1, &op, &p);
  cr_expect(close_to(x, 2 * (dec + pre)), "%g want %g", x, 2 * (dec + pre));
  /* the roofline is the floor: a kernel faster than it adds nothing */
  kv_platform slow = p;
  slow.hbm_bw = 256 * 2 * 2 * 8 * 2 / 2e-5; /* the bytes take 2e-5 */
  slow.flops = 4.0 * 4 * 8 * 10 / 1e-5;
  cr_expect_eq(kv_ctab_attn_excess(t, &m, 1, &op, &slow), 0);
  /* nothing to add without attention, or for a table with GEMM rows */
  kv_op none = op;
  none.decodes = 0;
  none.decode_keys = 0;
  none.prefill_pairs = 0;
  cr_expect_eq(kv_ctab_attn_excess(t, &m, 1, &none, &p), 0);
  char p2[64];
  kv_ctab *full = load_text(tiny_csv, p2, sizeof p2);
  cr_expect_not(kv_ctab_attn_only(full));
  kv_ctab_free(full);
  kv_ctab_free(t);
  unlink(path);
  unlink(p2);
}

/* ---- backends --------------------------------------------------------- */

Test(compute_table_backend, ideal_prices_compute_by_the_table) {
  char path[64];
  tmp_csv(path, sizeof path, tiny_csv);
  kv_model m = tiny_model();
  kv_platform p = h100();
  kv_error e = {0};
  kv_backend *roof = kv_backend_ideal_create(&p, &m, 1, &e);
  cr_assert_not_null(roof, "%s", e.msg);
  snprintf(p.compute_table, sizeof p.compute_table, "%s", path);
  kv_backend *tab = kv_backend_ideal_create(&p, &m, 1, &e);
  cr_assert_not_null(tab, "%s", e.msg);
  kv_op_list l;
  kv_ops_init(&l, 0);
  *kv_ops_push(&l, KV_OP_COMPUTE, KV_NO_REQ) = step_op();
  kv_step_time a, b;
  cr_assert_eq(roof->vt->step(roof, &l, &a, &e), KV_OK);
  cr_assert_eq(tab->vt->step(tab, &l, &b, &e), KV_OK);
  cr_expect_eq(a.compute_table, 0);
  cr_expect_eq(b.compute_table, 1);
  kv_op op = step_op();
  cr_expect(close_to(a.compute, kv_ideal_compute_time(&p, 1, &op)));
  char p2[64];
  kv_ctab *t = load_text(tiny_csv, p2, sizeof p2);
  cr_expect(close_to(b.compute, kv_ctab_step_time(t, &m, 1, &op, &p, NULL)));
  cr_expect_neq(a.compute, b.compute);
  char d[512];
  tab->vt->describe(tab, d, sizeof d);
  cr_expect(strstr(d, "compute table"), "%s", d);
  kv_ctab_free(t);
  kv_ops_free(&l);
  roof->vt->destroy(roof);
  tab->vt->destroy(tab);
  /* a bad path fails when the backend is created */
  snprintf(p.compute_table, sizeof p.compute_table, "/nonexistent/t.csv");
  cr_expect_null(kv_backend_ideal_create(&p, &m, 1, &e));
  cr_expect(strstr(e.msg, "/nonexistent/t.csv"), "%s", e.msg);
  unlink(path);
  unlink(p2);
}

Test(compute_table_backend, ideal_adds_an_attention_tables_excess) {
  char path[64];
  tmp_csv(path, sizeof path, attn_csv);
  kv_model m = tiny_model();
  kv_platform p = h100();
  snprintf(p.compute_table, sizeof p.compute_table, "%s", path);
  kv_error e = {0};
  kv_backend *b = kv_backend_ideal_create(&p, &m, 1, &e);
  cr_assert_not_null(b, "%s", e.msg);
  kv_op_list l;
  kv_ops_init(&l, 0);
  *kv_ops_push(&l, KV_OP_COMPUTE, KV_NO_REQ) = step_op();
  kv_step_time st;
  cr_assert_eq(b->vt->step(b, &l, &st, &e), KV_OK);
  cr_expect_eq(st.compute_table, KV_COMPUTE_ATTN_TABLE);
  char p2[64];
  kv_ctab *t = load_text(attn_csv, p2, sizeof p2);
  kv_op op = step_op();
  double want = kv_ideal_compute_time(&p, 1, &op) +
                kv_ctab_attn_excess(t, &m, 1, &op, &p);
  cr_expect(close_to(st.compute, want), "%g want %g", st.compute, want);
  char d[512];
  b->vt->describe(b, d, sizeof d);
  cr_expect(strstr(d, "attention from the table"), "%s", d);
  kv_ctab_free(t);
  kv_ops_free(&l);
  b->vt->destroy(b);
  unlink(path);
  unlink(p2);
}

#ifdef KVSIM_HAVE_SIM
typedef struct sim_drive {
  kv_backend *b;
  kv_op op[2];
  kv_step_time t[2];
  kv_error err;
} sim_drive;

static kv_status sim_main(void *arg) {
  sim_drive *d = arg;
  kv_op_list l;
  kv_ops_init(&l, 0);
  kv_status st = KV_OK;
  for (int i = 0; i < 2 && !st; i++) {
    kv_ops_clear(&l);
    *kv_ops_push(&l, KV_OP_COMPUTE, KV_NO_REQ) = d->op[i];
    st = d->b->vt->step(d->b, &l, &d->t[i], &d->err);
  }
  kv_ops_free(&l);
  return st;
}

/* The SimGrid backend on the tiny model with the table `csv` (written to
 * path) runs two steps: step_op(), then the same with 1 ms of HBM
 * traffic. SimGrid's actors read the model and platform later: static. */
static kv_model sim_m;
static kv_platform sim_p;
static sim_drive sim_d;

static sim_drive *sim_two_steps(const char *csv, char *path, size_t n) {
  tmp_csv(path, n, csv);
  sim_m = tiny_model();
  sim_p = h100();
  sim_p.gpus_per_server = 1;
  snprintf(sim_p.compute_table, sizeof sim_p.compute_table, "%s", path);
  memset(&sim_d, 0, sizeof sim_d);
  sim_d.b = kv_backend_sim_create(&sim_p, &sim_m, 1, NULL, &sim_d.err);
  cr_assert_not_null(sim_d.b, "%s", sim_d.err.msg);
  sim_d.op[0] = sim_d.op[1] = step_op();
  sim_d.op[1].bytes = (uint64_t)(sim_p.hbm_bw * 1e-3);
  cr_assert_eq(sim_d.b->vt->run(sim_d.b, sim_main, &sim_d, &sim_d.err), KV_OK,
               "%s", sim_d.err.msg);
  return &sim_d;
}

Test(compute_table_backend, simgrid_takes_max_of_table_and_hbm) {
  char path[64], p2[64];
  sim_drive *d = sim_two_steps(tiny_csv, path, sizeof path);
  kv_platform p = sim_p;
  /* the small step: the table's time; the other, whose HBM bytes take
   * longer: their time plus the launch */
  kv_ctab *t = load_text(tiny_csv, p2, sizeof p2);
  double want = kv_ctab_step_time(t, &sim_m, 1, &d->op[0], &p, NULL);
  cr_expect(close_to(d->t[0].compute, want), "%g want %g", d->t[0].compute,
            want);
  cr_expect_eq(d->t[0].compute_table, 1);
  cr_expect(fabs(d->t[1].compute - (1e-3 + p.kernel_launch)) < 1e-6, "%g",
            d->t[1].compute);
  cr_expect_eq(d->t[1].compute_table, 1);
  kv_ctab_free(t);
  d->b->vt->destroy(d->b);
  unlink(path);
  unlink(p2);
}

Test(compute_table_backend, simgrid_adds_an_attention_tables_excess) {
  char path[64], p2[64];
  sim_drive *d = sim_two_steps(attn_csv, path, sizeof path);
  kv_platform p = sim_p;
  /* a step bound by its FLOPs, one by its HBM bytes: the roofline's time
   * plus the table's attention beyond it, both times */
  kv_ctab *t = load_text(attn_csv, p2, sizeof p2);
  double x = kv_ctab_attn_excess(t, &sim_m, 1, &d->op[0], &p);
  cr_assert_gt(x, 0);
  double w0 = d->op[0].flops / p.flops + x + p.kernel_launch;
  cr_expect(fabs(d->t[0].compute - w0) < 1e-9, "%g want %g", d->t[0].compute,
            w0);
  cr_expect(fabs(d->t[1].compute - (1e-3 + x + p.kernel_launch)) < 1e-6, "%g",
            d->t[1].compute);
  cr_expect_eq(d->t[0].compute_table, KV_COMPUTE_ATTN_TABLE);
  cr_expect_eq(d->t[1].compute_table, KV_COMPUTE_ATTN_TABLE);
  kv_ctab_free(t);
  d->b->vt->destroy(d->b);
  unlink(path);
  unlink(p2);
}
#endif

/* ---- kv.run and kv.platform ------------------------------------------ */

/* A table for llama-3-8b on one GPU: GEMMs at m = 1..8192 (flat at small
 * m, then 600 TFLOP/s), decode attention through 16-token block tables
 * (HBM-bound at 3 TB/s), prefill attention contiguous (400 TFLOP/s). */
static void write_llama_table(const char *path, int gemm) {
  FILE *f = fopen(path, "w");
  cr_assert(f);
  fprintf(f, "%s\n", KV_CTAB_HEADER);
  const double nk[5][2] = {
      {6144, 4096}, {4096, 4096}, {28672, 4096}, {4096, 14336}, {128256, 4096}};
  for (int i = 0; i < 5 * (gemm != 0); i++)
    for (double m = 1; m <= 8192; m *= 4) {
      double s = fmax(8e-6, 2 * m * nk[i][0] * nk[i][1] / 6e14);
      fprintf(f, "gemm,,0,%g,%g,%g,0,0,0,0,0,%.6g\n", m, nk[i][0], nk[i][1], s);
    }
  for (double b = 1; b <= 256; b *= 4)
    for (double c = 64; c <= 16384; c *= 4)
      fprintf(f, "attn_decode,block_table,16,0,0,0,%g,%g,32,8,128,%.6g\n", b, c,
              6e-6 + b * c * 8 * 128 * 2 * 2 / 3e12);
  for (double c = 64; c <= 16384; c *= 4)
    fprintf(f, "attn_prefill,contig,0,0,0,0,1,%g,32,8,128,%.6g\n", c,
            5e-6 + 4.0 * 32 * 128 * c * (c + 1) / 2 / 4e14);
  fclose(f);
}

static lua_State *L;

static void lua_setup(void) {
  L = luaL_newstate();
  cr_assert(L);
  luaL_openlibs(L);
  kv_lua_openlibs(L, NULL);
}

static void lua_teardown(void) {
  if (L) lua_close(L);
  L = NULL;
}

static void lua_ok(const char *code, int nres) {
  if (luaL_loadbuffer(L, code, strlen(code), "=test") != LUA_OK ||
      lua_pcall(L, 0, nres, 0) != LUA_OK)
    cr_assert_fail("Lua error: %s", lua_tostring(L, -1));
}

static const char *lua_fails(const char *code) {
  if (luaL_loadbuffer(L, code, strlen(code), "=test") != LUA_OK)
    cr_assert_fail("syntax: %s", lua_tostring(L, -1));
  cr_assert_neq(lua_pcall(L, 0, 0, 0), LUA_OK, "no error from: %s", code);
  return lua_tostring(L, -1);
}

TestSuite(compute_table_lua, .init = lua_setup, .fini = lua_teardown);

/* Lua: run(platform) replays 60 requests of azure-conv on llama-3-8b
 * (paged 16, ideal backend); roof is that run on the H100 preset. */
#define RUN_LLAMA                                                              \
  "local kv = require 'kvsim'\n"                                               \
  "local W = kv.workload{ preset = 'azure-conv', seed = 3, count = 60 }\n"     \
  "local function run(p)\n"                                                    \
  "  return kv.run{ model = 'llama-3-8b', platform = p, workload = W,\n"       \
  "    strategy = { 'paged', block_tokens = 16 }, backend = 'ideal',\n"        \
  "    seed = 3 }\n"                                                           \
  "end\n"                                                                      \
  "local roof = run(kv.platform('h100-sxm-80gb'))\n"

Test(compute_table_lua, run_with_table_says_table) {
  char path[64];
  tmp_csv(path, sizeof path, "");
  write_llama_table(path, 1);
  lua_pushstring(L, path);
  lua_setglobal(L, "TABLE");
  lua_ok(
      RUN_LLAMA
      "local tp = kv.platform{ base = 'h100-sxm-80gb', compute_table = TABLE "
      "}\n"
      "assert(tp.compute_table == TABLE, tostring(tp.compute_table))\n"
      "local tab = run(tp)\n"
      "local s, r = tab.summary, roof.summary\n"
      "assert(r.compute_model == 'roofline', tostring(r.compute_model))\n"
      "assert(r.compute_steps_roofline == r.steps)\n"
      "assert(r.compute_steps_table == 0)\n"
      "for k in pairs(r) do assert(not k:match('^compute_[sm]'), k) end\n"
      "assert(s.compute_model == 'table', tostring(s.compute_model))\n"
      "assert(s.compute_steps_table == s.steps and s.steps > 0)\n"
      "assert(s.compute_steps_roofline == 0)\n"
      "assert(rawget(s, 'compute_model') == 'table')\n"
      "assert(s.compute_time ~= r.compute_time)\n"
      "assert(s.sim_time ~= r.sim_time)\n"
      "assert(tab.backend_config:find('compute table', 1, true))\n"
      "return s.compute_time, r.compute_time\n",
      2);
  double tab = lua_tonumber(L, -2), roof = lua_tonumber(L, -1);
  cr_expect(tab > 0 && roof > 0 && tab != roof, "%g %g", tab, roof);
  unlink(path);
}

Test(compute_table_lua, run_with_attention_table_says_so) {
  char path[64];
  tmp_csv(path, sizeof path, "");
  write_llama_table(path, 0); /* its attention rows alone */
  lua_pushstring(L, path);
  lua_setglobal(L, "TABLE");
  lua_ok(
      RUN_LLAMA
      "local tab = run(kv.platform{ base = 'h100-sxm-80gb', compute_table = "
      "TABLE })\n"
      "local s, r = tab.summary, roof.summary\n"
      "assert(s.compute_model == 'roofline+attention table', "
      "tostring(s.compute_model))\n"
      "assert(s.compute_steps_attn_table == s.steps and s.steps > 0)\n"
      "assert(s.compute_steps_roofline == s.steps)\n"
      "assert(s.compute_steps_table == 0)\n"
      "assert(rawget(s, 'compute_model') == 'roofline+attention table')\n"
      "assert(r.compute_steps_attn_table == 0)\n"
      "assert(s.compute_time > r.compute_time)\n"
      "assert(tab.backend_config:find('attention from the table', 1, true),\n"
      "  tab.backend_config)\n"
      "return s.compute_time, r.compute_time\n",
      2);
  double tab = lua_tonumber(L, -2), roof = lua_tonumber(L, -1);
  cr_expect(tab > roof && roof > 0, "%g %g", tab, roof);
  unlink(path);
}

Test(compute_table_lua, bad_path_and_bad_rows_are_clear_errors) {
  const char *msg = lua_fails(
      "local kv = require 'kvsim'\n"
      "kv.platform{ base = 'h100-sxm-80gb', compute_table = '/no/such.csv' }");
  cr_expect(strstr(msg, "compute_table"), "%s", msg);
  cr_expect(strstr(msg, "/no/such.csv"), "%s", msg);
  cr_expect(strstr(msg, "No such file"), "%s", msg);
  char path[64];
  tmp_csv(path, sizeof path,
          KV_CTAB_HEADER "\ngemm,,0,8,64,32,0,0,0,0,0,2e-5\n"
                         "attn_decode,paged,16,0,0,0,4,64,4,2,8,1e-5\n");
  lua_pushstring(L, path);
  lua_setglobal(L, "TABLE");
  msg =
      lua_fails("local kv = require 'kvsim'\n"
                "kv.platform{ base = 'h100-sxm-80gb', compute_table = TABLE }");
  char where[96];
  snprintf(where, sizeof where, "%s:3: field 'mode'", path);
  cr_expect(strstr(msg, where), "want '%s' in: %s", where, msg);
  msg = lua_fails("local kv = require 'kvsim'\n"
                  "kv.platform{ base = 'h100-sxm-80gb', compute_table = 7 }");
  cr_expect(strstr(msg, "compute_table"), "%s", msg);
  unlink(path);
}
