/* calib_multi_report.cu - kvsim-calibrate-multi's report and writers: the
 * host-copy tables, the notes on how the GPUs share the host path, the Lua
 * platform (host_bw, nvlink_bw, nvlink_lat, allreduce_table) and the
 * constants it carries, and --example (made-up figures through the same
 * printers and writers, no GPU needed). What the files share:
 * calib_multi.cuh.
 * Main entry points: print_host_tables, note_sharing, write_multi_lua,
 * constants_of, write_example.
 */
#include "calib_multi.cuh"
#include "platform_fields.h"

/* ---- the report, the Lua file and the CSV ------------------------------ */

/* The host-copy tables: for each direction and placement, one row per N
 * with the aggregate and the mean per-GPU rate at the largest size. */
void print_host_tables(FILE *f, const curve_set &cs, int G, int places) {
  fprintf(f, "\nhost <-> GPU copies of 256 MiB, N GPUs at once (GB/s):\n");
  fprintf(f, "%6s %6s %3s %12s %12s\n", "place", "dir", "N", "aggregate",
          "per GPU");
  for (int pl = 0; pl < places; pl++)
    for (int d = 0; d < 3; d++)
      for (int n = 1; n <= G; n++) {
        char a[64], p[64];
        snprintf(a, sizeof a, "host_%s_%s_n%d_aggregate", kPlace[pl], kDir[d],
                 n);
        snprintf(p, sizeof p, "host_%s_%s_n%d_per_gpu", kPlace[pl], kDir[d], n);
        const curve *ca = cs.find(a), *cp = cs.find(p);
        if (!ca || !cp) continue;
        fprintf(f, "%6s %6s %3d %12.2f %12.2f\n", kPlace[pl], kDir[d], n,
                ca->y.back() / 1e9, cp->y.back() / 1e9);
      }
}

/* How the PCIe links and host memory share: per direction and placement,
 * the mean per-GPU rate at 256 MiB with N GPUs at once, as notes (the
 * report and the Lua file's comments). */
void note_sharing(results &R, const curve_set &cs, int G, int places) {
  for (int pl = 0; pl < places; pl++)
    for (int d = 0; d < 3; d++) {
      std::string line;
      for (int n = 1; n <= G; n++) {
        char p[64], b[48];
        snprintf(p, sizeof p, "host_%s_%s_n%d_per_gpu", kPlace[pl], kDir[d], n);
        const curve *c = cs.find(p);
        if (!c || c->y.empty()) continue;
        snprintf(b, sizeof b, "%s%d: %.2f", line.empty() ? "" : ", ", n,
                 c->y.back() / 1e9);
        line += b;
      }
      R.note("per-GPU %s rate, 256 MiB copies, %s host memory, GB/s by GPUs "
             "at once: %s",
             kDir[d], kPlace[pl], line.c_str());
    }
}

static void lua_grid_row(FILE *fp, int tp, const curve *c) {
  fprintf(fp, "    { %d, {", tp);
  for (size_t i = 0; i < c->x.size(); i++)
    fprintf(fp, "%s{%.17g, %.17g}", i ? ", " : " ", c->x[i], c->y[i]);
  fprintf(fp, " } },\n");
}

/* The platform fields this writer sets must be kv_platform's (their one
 * list, core/inputs/platform_fields.h): checked as the file is written. */
#define KV_FIELD_NAME(field, type, rule) #field,
static const char *const kFields[] = {KV_PLATFORM_SCALARS(KV_FIELD_NAME)
                                          KV_PLATFORM_TABLES(KV_FIELD_NAME)};
#undef KV_FIELD_NAME

static const char *platform_field(const char *key) {
  for (const char *k : kFields)
    if (strcmp(k, key) == 0) return key;
  fprintf(stderr,
          "%s:%d: field %s is not a kv_platform field "
          "(core/inputs/platform_fields.h)\n",
          __FILE__, __LINE__, key);
  exit(EXIT_FAILURE);
}

void write_multi_lua(const char *path, const char *name, const char *base,
                     const std::string &comments, const multi_constants &c,
                     const curve_set &cs, const std::string &source) {
  FILE *fp = fopen(path, "w");
  if (!fp) die_writing(path, __LINE__);
  fprintf(fp, "-- Several GPUs of one server measured by kvsim-calibrate-multi "
              "(kernels/calib_multi.cu).\n");
  fprintf(fp, "%s", comments.c_str());
  fprintf(fp, "return {\n");
  if (base && *base)
    fprintf(fp, "  base = \"%s\", -- the preset every other field comes from\n",
            base);
  fprintf(fp, "  %s = \"%s\",\n", platform_field("name"), name);
  fprintf(fp, "  %s = %d, -- cudaGetDeviceCount\n",
          platform_field("gpus_per_server"), c.gpus);
  if (c.host_bw > 0)
    fprintf(fp,
            "  %s = %.4g, -- host DRAM for DMA: the largest aggregate "
            "of 256 MiB copies, all GPUs at once, own-node memory\n",
            platform_field("host_bw"), c.host_bw);
  if (c.nvlink_bw > 0) {
    fprintf(fp,
            "  %s = %.4g, -- per GPU per direction: the larger of a "
            "pair's copy engine rate and GPU 0's egress to all others\n",
            platform_field("nvlink_bw"), c.nvlink_bw);
    fprintf(fp,
            "  %s = %.4g, -- dependent read of peer memory, round "
            "trip\n",
            platform_field("nvlink_lat"), c.nvlink_lat);
  }
  bool any = false;
  for (int tp = 2; tp <= 8; tp *= 2) {
    const curve *ar = cs.find("allreduce_tp" + std::to_string(tp));
    if (!ar || ar->y.empty()) continue;
    if (!any)
      fprintf(fp,
              "  %s = { -- s by bytes per GPU, one row per "
              "tp (NCCL, sum, bf16)\n",
              platform_field("allreduce_table"));
    any = true;
    lua_grid_row(fp, tp, ar);
  }
  if (any) fprintf(fp, "  },\n");
  std::string csv = csv_path_of(path);
  size_t slash = csv.find_last_of('/');
  fprintf(fp, "  -- every raw curve in %s\n",
          slash == std::string::npos ? csv.c_str() : csv.c_str() + slash + 1);
  fprintf(fp, "  source = \"%s\",\n}\n", source.c_str());
  if (fclose(fp) != 0) die_writing(path, __LINE__);
}

/* The figures the Lua file takes, from the curves. */
multi_constants constants_of(const curve_set &cs, int G,
                             const peer_results &P) {
  multi_constants c;
  c.gpus = G;
  for (int d = 0; d < 3; d++)
    for (int n = 1; n <= G; n++) {
      char a[64];
      snprintf(a, sizeof a, "host_local_%s_n%d_aggregate", kDir[d], n);
      if (const curve *ca = cs.find(a))
        c.host_bw = std::max(c.host_bw, ca->y.back());
    }
  if (P.ok) {
    c.nvlink_bw = std::max(P.ce_bw, P.fanout_bw);
    c.nvlink_lat = P.lat;
  }
  return c;
}

/* Made-up figures through the same printers and writers (no GPU): the
 * fixture that kvsim loads the written file (kernels/CMakeLists.txt). */
int write_example(const char *dir) {
  std::string report = std::string(dir) + "/calibrate_multi.txt";
  std::string lua = std::string(dir) + "/example_multi.lua";
  results R;
  R.out = fopen(report.c_str(), "w");
  if (!R.out) die_writing(report, __LINE__);
  curve_set cs;
  const int G = 4;
  R.note("devices: 4 x Example GPU (made-up figures, kvsim-calibrate-multi "
         "--example), NUMA nodes 0 0 1 1");
  for (int pl = 0; pl < 2; pl++)
    for (int d = 0; d < 3; d++)
      for (int n = 1; n <= G; n++)
        for (double sz = 65536; sz <= kBig; sz *= 4) {
          double one = (d == 2 ? 100e9 : 55e9) * (pl ? 0.8 : 1.0);
          double agg = std::min(n * one, pl ? 160e9 : 200e9) *
                       (sz / (sz + 2.2e-6 * one));
          char a[64], p[64];
          snprintf(a, sizeof a, "host_%s_%s_n%d_aggregate", kPlace[pl], kDir[d],
                   n);
          snprintf(p, sizeof p, "host_%s_%s_n%d_per_gpu", kPlace[pl], kDir[d],
                   n);
          cs.add(a, "B/s", sz, agg);
          cs.add(p, "B/s", sz, agg / n);
        }
  print_host_tables(R.out, cs, G, 2);
  note_sharing(R, cs, G, 2);
  peer_results P;
  P.ok = true;
  P.ce_bw = 370e9, P.fanout_bw = 440e9, P.lat = 1.6e-6;
  for (double sz = 4096; sz <= kBig; sz *= 4) {
    cs.add("peer_ce_0_1", "s", sz, 3.1e-6 + sz / 370e9);
    cs.add("peer_sm_0_1", "s", sz, 2.5e-6 + sz / 330e9);
  }
  for (int tp = 2; tp <= G; tp *= 2)
    for (double b = 1024; b <= 1ull << 30; b *= 4) {
      double s = 8e-6 + 1e-6 * tp + 2.0 * (tp - 1) / tp * b / 360e9;
      cs.add("allreduce_tp" + std::to_string(tp), "s", b, s);
      cs.add("allreduce_tp" + std::to_string(tp) + "_busbw", "B/s", b,
             2.0 * (tp - 1) / tp * b / s);
    }
  multi_constants c = constants_of(cs, G, P);
  write_multi_lua(lua.c_str(), "example-multi", "h100-sxm-80gb", R.lines, c, cs,
                  "kvsim-calibrate-multi --example: made-up figures, not a "
                  "measurement");
  write_csv(csv_path_of(lua.c_str()), cs);
  if (fclose(R.out) != 0) die_writing(report, __LINE__);
  printf("wrote %s, %s, %s\n", report.c_str(), lua.c_str(),
         csv_path_of(lua.c_str()).c_str());
  return 0;
}
