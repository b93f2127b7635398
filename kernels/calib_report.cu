/* calib_report.cu - kvsim-calibrate's report (calib_internal.cuh tells the
 * files apart): the curves' derived tables as scripts/kvsim/calibration.lua
 * builds them, the report's tables printed from the curves, the report
 * lines of the VMM growth and gap series, the platform constants and their
 * fields, and the Lua platform.
 * Main entry points: print_*_table(), fields_of(), write_lua().
 */
#include "calib_internal.cuh"
#include "platform_fields.h"

/* The isolation curve of call k in the handle-size table: reserve and free
 * there are of a range the size of the handle (their curves by range size
 * come from the range table). */
std::string vmm_handle_curve(int k) {
  if (k == 0) return "vmm_reserve_handle";
  if (k == 6) return "vmm_free_va_handle";
  return std::string("vmm_") + kVmmCall[k];
}

/* Context time over isolated time at the granularity (the isolation
 * curve's first point), as scripts/kvsim/calibration.lua defines the
 * factors vmm_<call>_busy and vmm_<call>_after_step; 0 (= no factor) when
 * either is missing. */
static double vmm_factor(const curve_set &cs, int k, const char *ctx) {
  const curve *iso = cs.find(std::string("vmm_") + kVmmCall[k]);
  const curve *c = cs.find(std::string("vmm_context_") + ctx);
  if (!iso || iso->y.empty() || !(iso->y[0] > 0) || !c) return 0;
  for (size_t i = 0; i < c->xname.size(); i++)
    if (c->xname[i] == kVmmCall[k]) return c->y[i] / iso->y[0];
  return 0;
}

/* Live handles of the context cycles (kLive in calib_vmm.cu vmm_contexts;
 * scripts/kvsim/calibration.lua CONTEXT_LIVE_HANDLES). */
static const int kContextLive = 128;

/* The platform's live-handle table of call k, as
 * scripts/kvsim/calibration.lua builds it: the idle context's factor over
 * the isolated call at kContextLive handles, and each point of the sweep
 * (vmm_live_<call>) over the isolated call, by live handles; empty without
 * an idle context. */
static std::vector<std::pair<double, double>>
vmm_live_table(const curve_set &cs, int k) {
  std::vector<std::pair<double, double>> pts;
  double idle = vmm_factor(cs, k, "idle");
  if (!(idle > 0)) return pts;
  pts.push_back({(double)kContextLive, idle});
  const curve *iso = cs.find(std::string("vmm_") + kVmmCall[k]);
  if (const curve *sw = cs.find(std::string("vmm_live_") + kVmmCall[k]))
    for (size_t i = 0; i < sw->x.size(); i++)
      if (sw->x[i] != kContextLive)
        pts.push_back({sw->x[i], sw->y[i] / iso->y[0]});
  std::sort(pts.begin(), pts.end());
  return pts;
}

/* The busy / after-step factor of call k as the platform takes it: over
 * the idle call among the same live handles when the report has an idle
 * context, else over the isolated call. */
static double vmm_context_factor(const curve_set &cs, int k, const char *ctx) {
  double f = vmm_factor(cs, k, ctx), idle = vmm_factor(cs, k, "idle");
  return f > 0 && idle > 0 ? f / idle : f;
}

/* The platform's vmm_<call>_curve of call k, as scripts/kvsim/calibration.lua
 * vmm_curve builds it: the call's curve; for reserve (k 0) and free_va (k 6),
 * by range bytes, with the handle table's column (vmm_<call>_handle) at the
 * sizes the range table lacks, at most KV_CURVE_MAX points, by size. */
static curve vmm_platform_curve(const curve_set &cs, int k) {
  curve out;
  const curve *c = cs.find(std::string("vmm_") + kVmmCall[k]);
  if (!c) return out;
  out = *c;
  const curve *h = (k == 0 || k == 6) ? cs.find(vmm_handle_curve(k)) : nullptr;
  if (!h) return out;
  std::vector<std::pair<double, double>> pts;
  for (size_t i = 0; i < c->x.size(); i++)
    pts.push_back({c->x[i], c->y[i]});
  for (size_t i = 0; i < h->x.size(); i++) {
    bool have = false;
    for (double x : c->x)
      have = have || x == h->x[i];
    if (!have && pts.size() < KV_CURVE_MAX) pts.push_back({h->x[i], h->y[i]});
  }
  std::sort(pts.begin(), pts.end());
  out.x.clear();
  out.y.clear();
  for (const auto &p : pts) {
    out.x.push_back(p.first);
    out.y.push_back(p.second);
  }
  return out;
}

/* y at x of curve c (x ascending): linear between points, flat past both
 * ends, as scripts/kvsim/calibration.lua curve_at. */
static double curve_at(const curve &c, double x) {
  if (x <= c.x[0]) return c.y[0];
  for (size_t i = 1; i < c.x.size(); i++)
    if (x <= c.x[i])
      return c.y[i - 1] +
             (c.y[i] - c.y[i - 1]) * (x - c.x[i - 1]) / (c.x[i] - c.x[i - 1]);
  return c.y.back();
}

/* The platform's live-range factors of reserve (k 0) or free_va (k 6): each
 * point of vmm_<call>_live_va past x = 0 over the platform's price of that
 * range alone (its curve at kLiveVaRange; the point at 0 without a curve),
 * so that a call among x ranges costs what was measured; empty without the
 * curve. */
static std::vector<std::pair<double, double>>
vmm_live_va_table(const curve_set &cs, int k) {
  std::vector<std::pair<double, double>> pts;
  const curve *c =
      cs.find(std::string("vmm_") + kVmmCall[k] + std::string("_live_va"));
  if (!c || c->x.empty() || c->x[0] != 0 || !(c->y[0] > 0)) return pts;
  double ref = c->y[0];
  curve iso = vmm_platform_curve(cs, k);
  if (!iso.x.empty()) ref = curve_at(iso, (double)kLiveVaRange);
  for (size_t i = 1; i < c->x.size(); i++)
    pts.push_back({c->x[i], c->y[i] / ref});
  return pts;
}

/* ---- the report's tables, printed from the curves ---------------------
 * scripts/kvsim/calibration.lua reads them back: keep the formats. */

/* bytes, then H2D and D2H: us per copy (or per batch entry) and GB/s */
static void print_size_pair(FILE *f, const curve *a, const curve *b) {
  fprintf(f, "%12s %12s %10s %12s %10s\n", "bytes", "H2D us", "H2D GB/s",
          "D2H us", "D2H GB/s");
  for (size_t i = 0; i < a->x.size() && i < b->x.size(); i++)
    fprintf(f, "%12.0f %12.2f %10.2f %12.2f %10.2f\n", a->x[i], a->y[i] * 1e6,
            a->x[i] / a->y[i] / 1e9, b->y[i] * 1e6, b->x[i] / b->y[i] / 1e9);
}

void print_copy_table(FILE *f, const curve_set &cs) {
  const curve *a = cs.find("copy_h2d"), *b = cs.find("copy_d2h");
  if (!a || !b) return;
  fprintf(f, "\nPCIe copies, pinned, back to back on one stream (per copy):\n");
  print_size_pair(f, a, b);
}

void print_batch_table(FILE *f, const curve_set &cs, int batches,
                       const char *call_note) {
  const curve *a = cs.find("batch_h2d"), *b = cs.find("batch_d2h");
  const curve *call = cs.find("batch_call");
  if (!a || !b) return;
  fprintf(f,
          "\ncudaMemcpyBatchAsync, entries at scattered device and pinned "
          "host places, %d batches back to back on one stream (per entry):\n",
          batches);
  print_size_pair(f, a, b);
  if (call && !call->y.empty())
    fprintf(f, "batch call, %.0f entries: host time %.2f us per call (%s)\n",
            call->x[0], call->y[0] * 1e6, call_note);
  /* the same host time by entry bytes (reported, not yet a model input) */
  if (const curve *by = cs.find("batch_call_bytes")) {
    fprintf(f, "batch call host time by entry bytes, us:");
    for (size_t i = 0; i < by->x.size(); i++)
      fprintf(f, " %.0f %.2f", by->x[i], by->y[i] * 1e6);
    fprintf(f, "\n");
  }
}

/* One SM copy table: the curves named <prefix><row>_<dir>, a row each
 * (row: page bytes, or threads per block), columns SMs, GB/s. */
static void print_sm_grid(FILE *f, const curve_set &cs, const char *prefix,
                          const char *title, const char *row) {
  const size_t np = strlen(prefix);
  const curve *first = nullptr;
  for (const curve &c : cs.list)
    if (c.name.compare(0, np, prefix) == 0) {
      first = &c;
      break;
    }
  if (!first) return;
  fprintf(f, "\n%s:\n", title);
  fprintf(f, "%8s %4s |", row, "dir");
  for (double x : first->x)
    fprintf(f, " %7.0f", x);
  fprintf(f, "\n");
  const std::string fmt = std::string(prefix) + "%llu_%3s";
  for (const curve &c : cs.list) {
    unsigned long long key = 0;
    char dir[8] = "";
    if (sscanf(c.name.c_str(), fmt.c_str(), &key, dir) != 2) continue;
    fprintf(f, "%8llu %4s |", key, strcmp(dir, "h2d") ? "D2H" : "H2D");
    for (double y : c.y)
      fprintf(f, " %7.2f", y / 1e9);
    fprintf(f, "\n");
  }
}

void print_sm_table(FILE *f, const curve_set &cs) {
  print_sm_grid(f, cs, "sm_copy_",
                "SM copy over scattered pinned host pages (kv_transfer_launch, "
                "page-first, 64 MiB, GB/s)",
                "page");
}

/* the sm_threads_<threads>_<dir> curves */
void print_sm_threads_table(FILE *f, const curve_set &cs) {
  print_sm_grid(f, cs, "sm_threads_",
                "SM copy by threads per block (kv_transfer_launch_threads, "
                "page-first, 65536-byte pages, 64 MiB, GB/s)",
                "threads");
}

void print_vmm_handle_table(FILE *f, const curve_set &cs, int calls,
                            size_t gran, size_t gran_rec) {
  const curve *rows = cs.find("vmm_create");
  if (!rows) return;
  fprintf(f,
          "\nCUDA VMM driver calls in isolation (one handle created, mapped "
          "and freed at a time, nothing else live), median us over %d calls "
          "(granularity %zu, recommended %zu):\n",
          calls, gran, gran_rec);
  fprintf(f, "%10s", "handle");
  for (const char *nm : kVmmColumn)
    fprintf(f, " %10s", nm);
  fprintf(f, "\n");
  for (size_t i = 0; i < rows->x.size(); i++) {
    fprintf(f, "%7.0f MiB", rows->x[i] / (1024.0 * 1024.0));
    for (int k = 0; k < 7; k++) {
      const curve *c = cs.find(vmm_handle_curve(k));
      fprintf(f, " %10.2f", c && i < c->y.size() ? c->y[i] * 1e6 : 0.0);
    }
    fprintf(f, "\n");
  }
}

/* One line: reserve / free of `rsz`-byte ranges by live ranges (x, us). */
void print_vmm_live_va(results &R, const curve_set &cs, size_t rsz) {
  const curve *r = cs.find("vmm_reserve_live_va"),
              *f = cs.find("vmm_free_va_live_va");
  if (!r || !f) return;
  char b[160];
  snprintf(b, sizeof b,
           "vmm reserve / free of %zu MiB ranges among live ranges, us "
           "median per window of calls (live: reserve free):",
           rsz >> 20);
  std::string s = b;
  for (size_t i = 0; i < r->x.size() && i < f->x.size(); i++) {
    snprintf(b, sizeof b, " %.0f: %.2f %.2f", r->x[i], r->y[i] * 1e6,
             f->y[i] * 1e6);
    s += b;
  }
  R.note("%s", s.c_str());
}

/* A growth series (kind 0 fresh, 1 same range again, 2 new range with
 * memory recycled) of n handles of hsz bytes, t = seconds per call of
 * create, map, set_access, unmap, release: one report line, and the
 * series' medians as points x = hsz of curves vmm_grow_<call>,
 * vmm_regrow_va_<call>, vmm_regrow_<call>. */
void vmm_growth(results &R, curve_set &cs, int kind, size_t hsz, int n,
                const std::vector<double> t[5]) {
  static const char *const what[3] = {"fresh range", "same range again",
                                      "new range, memory recycled"};
  static const char *const prefix[3] = {"vmm_grow_", "vmm_regrow_va_",
                                        "vmm_regrow_"};
  char b[200];
  snprintf(b, sizeof b,
           "vmm growth, %s: %d handles of %zu MiB, us median (first / p10 / "
           "p90; first quarter, last quarter):",
           what[kind], n, hsz >> 20);
  std::string s = b;
  for (int k = 0; k < 5; k++) {
    const std::vector<double> &v = t[k];
    size_t q = v.size() / 4 ? v.size() / 4 : 1;
    std::vector<double> a(v.begin(), v.begin() + q), z(v.end() - q, v.end());
    snprintf(b, sizeof b, " %s %.2f (%.2f/%.2f/%.2f; %.2f, %.2f)", kGrowCall[k],
             lab_median(v) * 1e6, v[0] * 1e6, quantile(v, 0.1) * 1e6,
             quantile(v, 0.9) * 1e6, lab_median(a) * 1e6, lab_median(z) * 1e6);
    s += b;
    cs.add(std::string(prefix[kind]) + kGrowCall[k], "s", (double)hsz,
           lab_median(v));
  }
  R.note("%s", s.c_str());
}

/* One line per context: median (p10/p90) of each call, in us. */
std::string vmm_context_line(size_t hsz, int cycles, int live, int ctx,
                             const std::vector<double> t[7]) {
  char head[200];
  snprintf(head, sizeof head,
           "vmm %zu MiB, %d cycles among %d live handles%s, us median "
           "(p10/p90):",
           hsz >> 20, cycles, live,
           ctx == 1   ? ", GPU busy with a read stream"
           : ctx == 2 ? ", each cycle right after a step"
                      : ", GPU idle");
  std::string line = head;
  for (int k = 0; k < 7; k++) {
    char b[96];
    snprintf(b, sizeof b, " %s %.2f (%.2f/%.2f)", kVmmColumn[k],
             lab_median(t[k]) * 1e6, quantile(t[k], 0.1) * 1e6,
             quantile(t[k], 0.9) * 1e6);
    line += b;
  }
  return line;
}

void print_vmm_range_table(FILE *f, const curve_set &cs, int calls) {
  const curve *r = cs.find("vmm_reserve"), *fr = cs.find("vmm_free_va");
  if (!r || !fr) return;
  fprintf(f,
          "\nCUDA VMM address ranges in isolation (cuMemAddressReserve, "
          "then cuMemAddressFree of the range; no physical memory), median "
          "us over %d calls:\n",
          calls);
  fprintf(f, "%13s %10s %10s\n", "range", "reserve", "addr_free");
  for (size_t i = 0; i < r->x.size() && i < fr->x.size(); i++)
    fprintf(f, "%9.0f MiB %10.2f %10.2f\n", r->x[i] / (1024.0 * 1024.0),
            r->y[i] * 1e6, fr->y[i] * 1e6);
}

void print_vmm_factors(results &R, const curve_set &cs) {
  std::string line = "vmm factors over isolation at the granularity (busy, "
                     "after_step):";
  for (int k = 0; k < 7; k++) {
    char b[96];
    snprintf(b, sizeof b, " %s %.3f %.3f", kVmmCall[k],
             vmm_factor(cs, k, "busy"), vmm_factor(cs, k, "after_step"));
    line += b;
  }
  R.note("%s", line.c_str());
}

/* rows: tokens per block; best times (us) and time over contiguous */
void print_attn_table(FILE *f, const curve_set &cs, const char *what) {
  const curve *tc = cs.find("attn_time_contig"),
              *tb = cs.find("attn_time_block_table"),
              *rb = cs.find("attn_block_table"),
              *to = cs.find("attn_time_offset_table"),
              *ro = cs.find("attn_offset_table");
  if (!tc || !tb || !rb || !to || !ro) return;
  fprintf(f,
          "\ndecode attention read by addressing mode (%s), time over "
          "contiguous:\n",
          what);
  fprintf(f, "%8s %10s %10s %13s %10s %14s\n", "tokens", "contig us",
          "block us", "block/contig", "offset us", "offset/contig");
  for (size_t i = 0; i < tc->x.size(); i++)
    fprintf(f, "%8.0f %10.2f %10.2f %13.4f %10.2f %14.4f\n", tc->x[i],
            tc->y[i] * 1e6, tb->y[i] * 1e6, rb->y[i], to->y[i] * 1e6, ro->y[i]);
}

std::vector<field> fields_of(const constants &c) {
  return {
      {"gpus_per_server", (double)c.gpus, "%.0f", "cudaGetDeviceCount"},
      {"servers", 1, "%.0f", "one machine"},
      {"hbm_bytes", (double)c.hbm_bytes, "%.0f", "cudaMemGetInfo total"},
      {"hbm_bw", c.hbm_bw, "%.4g",
       "best read stream (kernels and launch shapes above)"},
      {"d2d_bw", c.d2d_bw, "%.4g", "cudaMemcpyAsync D2D 256 MiB, read+write"},
      {"flops", c.flops, "%.4g", "cuBLAS bf16 GEMM"},
      {"fp8_gemm_speedup", c.fp8_gemm_speedup, "%.4g",
       "cuBLASLt FP8 e4m3 GEMM over the bf16 one (0: no FP8 tensor cores)"},
      {"sms", (double)c.sms, "%.0f", "device property"},
      {"kernel_launch", c.kernel_launch, "%.4g", "empty kernels back to back"},
      {"pcie_bw", c.pcie_bw, "%.4g", "min(H2D, D2H) at 256 MiB, pinned"},
      {"pcie_lat", c.pcie_lat, "%.4g", "zero-copy dependent read round trip"},
      {"copy_overhead", c.copy_overhead, "%.4g",
       "fixed cost per cudaMemcpyAsync"},
      {"sm_copy_bw_per_sm", c.sm_bw_1, "%.4g", "kv_transfer_launch on 1 SM"},
      {"sm_duplex_bw", c.sm_duplex, "%.4g",
       "kv_transfer_pair_launch both ways at once, 8 SMs, aggregate"},
      {"gpus_per_uplink", 0, "%.0f", "not measured: own link assumed"},
      {"uplink_bw", 0, "%.0f", "not measured (gpus_per_uplink = 0)"},
      {"host_bw", c.host_bw, "%.4g",
       "duplex DMA aggregate: lower bound of host DRAM bw for DMA"},
      {"nvlink_bw", 0, "%.0f", "not measured (one GPU)"},
      {"nvlink_lat", 0, "%.0f", "not measured (one GPU)"},
      {"nic_bw", 0, "%.0f", "no inter-server tier"},
      {"nic_lat", 0, "%.0f", "no inter-server tier"},
      {"vmm_reserve", c.vmm[0], "%.4g",
       "cuMemAddressReserve, granularity range, cycles after a step, median"},
      {"vmm_create", c.vmm[1], "%.4g",
       "cuMemCreate, cycles after a step, median"},
      {"vmm_map", c.vmm[2], "%.4g", "cuMemMap, cycles after a step, median"},
      {"vmm_set_access", c.vmm[3], "%.4g",
       "cuMemSetAccess, cycles after a step, median"},
      {"vmm_unmap", c.vmm[4], "%.4g",
       "cuMemUnmap, cycles after a step, median"},
      {"vmm_release", c.vmm[5], "%.4g",
       "cuMemRelease, cycles after a step, median"},
      {"vmm_granularity", (double)c.gran, "%.0f",
       "cuMemGetAllocationGranularity minimum"},
      {"vmm_reserve_per_mib", c.vmm_slope[0], "%.4g",
       "size slope: (largest - smallest handle median) / MiB, isolation"},
      {"vmm_create_per_mib", c.vmm_slope[1], "%.4g", "size slope, isolation"},
      {"vmm_map_per_mib", c.vmm_slope[2], "%.4g", "size slope, isolation"},
      {"vmm_set_access_per_mib", c.vmm_slope[3], "%.4g",
       "size slope, isolation"},
      {"vmm_unmap_per_mib", c.vmm_slope[4], "%.4g", "size slope, isolation"},
      {"vmm_release_per_mib", c.vmm_slope[5], "%.4g", "size slope, isolation"},
      {"table_write", c.table_write, "%.4g",
       "4 KiB H2D from pinned right after a step, events, median"},
  };
}

void print_fields(FILE *f, const char *name, const std::vector<field> &fields) {
  fprintf(f, "\nplatform constants (%s):\n", name);
  for (const field &x : fields) {
    char v[64];
    snprintf(v, sizeof v, x.fmt, x.v);
    fprintf(f, "  %-18s %-14s %s\n", x.key.c_str(), v, x.what);
  }
}

/* ---- the CSV of raw curves and the Lua platform ------------------------ */

/* `key = { {x, y}, ... }, -- what` when the curve was measured */
static void lua_curve(FILE *fp, const char *key, const curve *c,
                      const char *what) {
  if (!c || c->y.empty()) return;
  if (c->y.size() > KV_CURVE_MAX || !c->xname.empty()) {
    fprintf(stderr,
            "%s:%d: curve %s: %zu points, at most %d numeric ones fit "
            "platform field %s\n",
            __FILE__, __LINE__, c->name.c_str(), c->y.size(), KV_CURVE_MAX,
            key);
    exit(EXIT_FAILURE);
  }
  fprintf(fp, "  %s = {", key);
  for (size_t i = 0; i < c->y.size(); i++)
    fprintf(fp, "%s{%.17g, %.17g}", i ? ", " : " ", c->x[i], c->y[i]);
  fprintf(fp, " }, -- %s\n", what);
}

/* The largest page of the SM copy curves (the page the platform's SM copy
 * curves come from, as in scripts/kvsim/calibration.lua), 0 if none. */
static unsigned long long sm_largest_page(const curve_set &cs) {
  unsigned long long best = 0;
  for (const curve &c : cs.list) {
    unsigned long long page = 0;
    char dir[8] = "";
    if (sscanf(c.name.c_str(), "sm_copy_%llu_%3s", &page, dir) == 2 &&
        page > best)
      best = page;
  }
  return best;
}

/* The SM count the page factor is read at: the backends' default SM share
 * (core/engine/backend_ideal.c KV_IDEAL_COPY_SMS, the SimGrid sm_copy_sms); the
 * measured count closest to it is used, as scripts/kvsim/calibration.lua. */
static const int kSmPageSms = 8;

static double sm_rate_near(const curve *c, double sms) {
  double best = -1, v = 0;
  for (size_t i = 0; i < c->x.size(); i++)
    if (best < 0 || fabs(c->x[i] - sms) < best) {
      best = fabs(c->x[i] - sms);
      v = c->y[i];
    }
  return v;
}

/* The SM copy's rate by page over its rate at page `largest`, at the SM
 * count closest to kSmPageSms, in direction dir ("h2d", "d2h"); pages in
 * increasing order (the platform's sm_copy_page_<dir>_curve). */
static curve sm_page_curve(const curve_set &cs, const char *dir,
                           unsigned long long largest) {
  curve out;
  out.name = std::string("sm_copy_page_") + dir;
  char nm[64];
  snprintf(nm, sizeof nm, "sm_copy_%llu_%s", largest, dir);
  const curve *ref = cs.find(nm);
  double r = ref ? sm_rate_near(ref, kSmPageSms) : 0;
  if (r <= 0) return out;
  std::vector<std::pair<unsigned long long, double>> pts;
  for (const curve &c : cs.list) {
    unsigned long long page = 0;
    char d[8] = "";
    if (sscanf(c.name.c_str(), "sm_copy_%llu_%3s", &page, d) == 2 &&
        strcmp(d, dir) == 0)
      pts.push_back({page, sm_rate_near(&c, kSmPageSms) / r});
  }
  std::sort(pts.begin(), pts.end());
  for (const auto &pt : pts) {
    out.x.push_back((double)pt.first);
    out.y.push_back(pt.second);
  }
  return out;
}

/* The SM copy's rate by page and SMs jointly (sm_copy_grid_<dir>): one row
 * per page measured, { page, { {sms, B/s}, ... } }, written when the report
 * has two pages or more, as scripts/kvsim/calibration.lua sm_copy_grid. */
static void lua_sm_grid(FILE *fp, const curve_set &cs, const char *dir) {
  std::vector<std::pair<unsigned long long, const curve *>> rows;
  for (const curve &c : cs.list) {
    unsigned long long page = 0;
    char d[8] = "";
    if (sscanf(c.name.c_str(), "sm_copy_%llu_%3s", &page, d) == 2 &&
        strcmp(d, dir) == 0)
      rows.push_back({page, &c});
  }
  if (rows.size() < 2) return;
  std::sort(rows.begin(), rows.end());
  fprintf(fp, "  sm_copy_grid_%s = {\n", dir);
  for (const auto &r : rows) {
    fprintf(fp, "    { %llu, {", r.first);
    for (size_t i = 0; i < r.second->x.size(); i++)
      fprintf(fp, "%s{%.17g, %.17g}", i ? ", " : " ", r.second->x[i],
              r.second->y[i]);
    fprintf(fp, " } },\n");
  }
  fprintf(fp, "  }, -- B/s by SMs, one row per page bytes\n");
}

/* A driver call after a gap (vmm_<call>_gap): one row per handle size
 * measured, { bytes, { {gap s, s}, ... } }, gaps increasing, as
 * scripts/kvsim/calibration.lua vmm_gap_grid. */
static void lua_vmm_gap(FILE *fp, const curve_set &cs, int k) {
  std::vector<std::pair<unsigned long long, const curve *>> rows;
  const std::string pre = std::string("vmm_gap_") + kVmmCall[k] + "_";
  for (const curve &c : cs.list) {
    unsigned long long mib = 0;
    if (c.name.compare(0, pre.size(), pre) == 0 &&
        sscanf(c.name.c_str() + pre.size(), "%llu", &mib) == 1 && !c.x.empty())
      rows.push_back({mib << 20, &c});
  }
  if (rows.empty()) return;
  std::sort(rows.begin(), rows.end());
  fprintf(fp, "  vmm_%s_gap = {\n", kVmmCall[k]);
  for (const auto &r : rows) {
    fprintf(fp, "    { %llu, {", r.first);
    double last = -1;
    const char *sep = " ";
    for (size_t i = 0; i < r.second->x.size(); i++) {
      if (!(r.second->x[i] > last)) continue;
      fprintf(fp, "%s{%.17g, %.17g}", sep, r.second->x[i], r.second->y[i]);
      last = r.second->x[i];
      sep = ", ";
    }
    fprintf(fp, " } },\n");
  }
  fprintf(fp, "  }, -- s of a call by s since its kind's last, one row per "
              "handle bytes\n");
}

/* The SM copy's rate by threads per block and SMs jointly
 * (sm_copy_threads_grid_<dir>): one row per block size measured,
 * { threads, { {sms, B/s}, ... } }, as scripts/kvsim/calibration.lua
 * sm_copy_threads_grid. */
static void lua_sm_threads_grid(FILE *fp, const curve_set &cs,
                                const char *dir) {
  std::vector<std::pair<int, const curve *>> rows;
  for (const curve &c : cs.list) {
    int threads = 0;
    char d[8] = "";
    if (sscanf(c.name.c_str(), "sm_threads_%d_%3s", &threads, d) == 2 &&
        strcmp(d, dir) == 0)
      rows.push_back({threads, &c});
  }
  if (rows.empty()) return;
  std::sort(rows.begin(), rows.end());
  fprintf(fp, "  sm_copy_threads_grid_%s = {\n", dir);
  for (const auto &r : rows) {
    fprintf(fp, "    { %d, {", r.first);
    for (size_t i = 0; i < r.second->x.size(); i++)
      fprintf(fp, "%s{%.17g, %.17g}", i ? ", " : " ", r.second->x[i],
              r.second->y[i]);
    fprintf(fp, " } },\n");
  }
  fprintf(fp, "  }, -- B/s by SMs, one row per threads per block, 64 KiB "
              "pages\n");
}

/* kv_platform's scalar fields, in the order of their one list
 * (core/inputs/platform_fields.h): the Lua file writes the measured ones in
 * that order, and a field that is not in the list stops the program (the
 * list, not this file, says what a platform holds). */
#define KV_SCALAR_NAME(field, type, rule) #field,
static const char *const kScalars[] = {KV_PLATFORM_SCALARS(KV_SCALAR_NAME)};
#undef KV_SCALAR_NAME

static void write_scalars(FILE *fp, const std::vector<field> &fields) {
  for (const field &f : fields) {
    bool known = false;
    for (const char *k : kScalars)
      known = known || f.key == k;
    if (!known) {
      fprintf(stderr,
              "%s:%d: field %s is not a kv_platform scalar "
              "(core/inputs/platform_fields.h)\n",
              __FILE__, __LINE__, f.key.c_str());
      exit(EXIT_FAILURE);
    }
  }
  for (const char *k : kScalars)
    for (const field &f : fields) {
      if (f.key != k) continue;
      char v[64];
      snprintf(v, sizeof v, f.fmt, f.v);
      fprintf(fp, "  %s = %s, -- %s\n", f.key.c_str(), v, f.what);
    }
}

void write_lua(const char *path, const char *name, const std::string &comments,
               const std::vector<field> &fields, const curve_set &cs,
               const std::string &source) {
  FILE *fp = fopen(path, "w");
  if (!fp) die_writing(path, __LINE__);
  fprintf(fp,
          "-- Platform measured by kvsim-calibrate (kernels/calibrate.cu).\n");
  fprintf(fp, "%s", comments.c_str());
  fprintf(fp, "return {\n  name = \"%s\",\n", name);
  write_scalars(fp, fields);
  std::string csv = csv_path_of(path);
  size_t slash = csv.find_last_of('/');
  fprintf(fp, "  -- measured curves (every raw one in %s)\n",
          slash == std::string::npos ? csv.c_str() : csv.c_str() + slash + 1);
  for (int k = 0; k < 7; k++) {
    std::string key = std::string("vmm_") + kVmmCall[k] + "_curve";
    curve cv = vmm_platform_curve(cs, k);
    lua_curve(fp, key.c_str(), cv.y.empty() ? nullptr : &cv,
              k == 0 || k == 6 ? "s per call by range bytes, isolation"
                               : "s per call by handle bytes, isolation");
  }
  bool idle = vmm_factor(cs, 0, "idle") > 0;
  for (int k = 0; k < 7; k++) {
    std::vector<std::pair<double, double>> live = vmm_live_table(cs, k);
    if (live.empty()) continue;
    fprintf(fp, "  vmm_%s_live = {", kVmmCall[k]);
    for (size_t i = 0; i < live.size(); i++)
      fprintf(fp, "%s{%.17g, %.17g}", i ? ", " : " ", live[i].first,
              live[i].second);
    fprintf(fp, " }, -- idle call among x live handles / isolated\n");
  }
  for (int k : {1, 2, 3}) { /* create, map, set_access */
    std::string key = std::string("vmm_") + kVmmCall[k] + "_grow";
    lua_curve(fp, key.c_str(), cs.find(std::string("vmm_grow_") + kVmmCall[k]),
              "s per call growing the pool, by handle bytes");
  }
  for (int k : {0, 6}) { /* reserve, free_va */
    std::vector<std::pair<double, double>> f = vmm_live_va_table(cs, k);
    if (f.empty()) continue;
    fprintf(fp, "  vmm_%s_live_va = {", kVmmCall[k]);
    for (size_t i = 0; i < f.size(); i++)
      fprintf(fp, "%s{%.17g, %.17g}", i ? ", " : " ", f[i].first, f[i].second);
    fprintf(fp, " }, -- among x live ranges / none\n");
  }
  for (int k = 0; k < 7; k++)
    lua_vmm_gap(fp, cs, k);
  for (const char *ctx : {"busy", "after_step"})
    for (int k = 0; k < 7; k++) {
      double f = vmm_context_factor(cs, k, ctx);
      if (f > 0)
        fprintf(fp, "  vmm_%s_%s = %.17g, -- %s / %s at the granularity\n",
                kVmmCall[k], ctx, f, ctx,
                idle ? "idle among the same live handles" : "isolated");
    }
  lua_curve(fp, "copy_h2d_curve", cs.find("copy_h2d"),
            "s per cudaMemcpyAsync by bytes, back to back");
  lua_curve(fp, "copy_d2h_curve", cs.find("copy_d2h"),
            "s per cudaMemcpyAsync by bytes, back to back");
  unsigned long long page = sm_largest_page(cs);
  char h2d[64], d2h[64], what[96];
  snprintf(h2d, sizeof h2d, "sm_copy_%llu_h2d", page);
  snprintf(d2h, sizeof d2h, "sm_copy_%llu_d2h", page);
  snprintf(what, sizeof what, "B/s by SMs, %llu-byte pages", page);
  lua_curve(fp, "sm_copy_h2d_curve", cs.find(h2d), what);
  lua_curve(fp, "sm_copy_d2h_curve", cs.find(d2h), what);
  for (const char *dir : {"h2d", "d2h"}) {
    curve pc = sm_page_curve(cs, dir, page);
    std::string key = std::string("sm_copy_page_") + dir + "_curve";
    snprintf(what, sizeof what,
             "rate by page bytes over the %llu-byte page's, at %d SMs", page,
             kSmPageSms);
    if (pc.x.size() >= 2) lua_curve(fp, key.c_str(), &pc, what);
  }
  for (const char *dir : {"h2d", "d2h"})
    lua_sm_grid(fp, cs, dir);
  for (const char *dir : {"h2d", "d2h"})
    lua_sm_threads_grid(fp, cs, dir);
  lua_curve(fp, "batch_h2d_curve", cs.find("batch_h2d"),
            "s per entry of cudaMemcpyBatchAsync by entry bytes");
  lua_curve(fp, "batch_d2h_curve", cs.find("batch_d2h"),
            "s per entry of cudaMemcpyBatchAsync by entry bytes");
  if (const curve *call = cs.find("batch_call"))
    if (!call->y.empty()) {
      fprintf(fp, "  batch_call = %.17g, -- s of host time per batched call\n",
              call->y[0]);
      lua_curve(fp, "batch_call_curve", call,
                "s of host time per batched call by entries");
    }
  lua_curve(fp, "attn_block_table_curve", cs.find("attn_block_table"),
            "time over contiguous by tokens per block");
  lua_curve(fp, "attn_offset_table_curve", cs.find("attn_offset_table"),
            "time over contiguous by tokens per block");
  fprintf(fp, "  source = \"%s\",\n}\n", source.c_str());
  if (fclose(fp) != 0) die_writing(path, __LINE__);
}

/* The scalar size slopes vmm_<call>_per_mib: (largest - smallest handle
 * median) / MiB in isolation; flat within noise: none. */
void vmm_slopes(const curve_set &cs, constants &c) {
  for (int k = 0; k < 6; k++) {
    const curve *cv = cs.find(vmm_handle_curve(k));
    if (!cv || cv->x.size() < 2) continue;
    double mib = (cv->x.back() - cv->x.front()) / (1024.0 * 1024.0);
    double v = (cv->y.back() - cv->y.front()) / mib;
    c.vmm_slope[k] = v > 0 ? v : 0.0;
  }
}

/* The gap series' report line and curves: x[g][k] the median s since call
 * k's last, y[g][k] its median s, per nominal gap g; the gaps were of steps
 * (curves vmm_gap_*, the model's), of launches (vmm_gaplaunch_*, reported)
 * or of serving steps (vmm_gapserve_*, reported). */
void vmm_gap_report(results &R, curve_set &cs, size_t hsz, const double x[][7],
                    const double y[][7], gap_series series) {
  /* by gap_series: the line's words, the curves' prefix */
  static const struct {
    const char *what, *prefix;
  } kName[] = {{"", "vmm_gap_"},
               {" of launches", "vmm_gaplaunch_"},
               {" of serving steps", "vmm_gapserve_"}};
  static_assert((int)gap_series::serve == 2, "kName follows gap_series");
  const bool steps = series != gap_series::launches;
  const char *what = kName[(int)series].what;
  const char *prefix = kName[(int)series].prefix;
  /* one line per gap (results::note lines are at most 1023 characters) */
  for (int g = 0; g < gap_rows(series); g++) {
    char b[200];
    char kern[64] = "";
    if (steps)
      snprintf(kern, sizeof kern, ", read kernels of %.2f ms", g_gap_kernel_ms);
    snprintf(
        b, sizeof b,
        "vmm after a gap%s, %zu MiB, nominal %g ms, %d cycles%s, us median "
        "@ ms since the call's last (median):",
        what, hsz >> 20, kGapMs[g], kGapCycles, kern);
    std::string line = b;
    for (int k = 0; k < 7; k++) {
      /* x to the 10 us the line prints (the curve and the line agree) */
      const double xs = std::round(x[g][k] * 1e5) / 1e5;
      snprintf(b, sizeof b, " %s %.2f @%.2f", kVmmColumn[k], y[g][k] * 1e6,
               xs * 1e3);
      line += b;
      cs.add(std::string(prefix) + kVmmCall[k] + "_" +
                 std::to_string(hsz >> 20),
             "s", xs, y[g][k]);
    }
    R.note("%s", line.c_str());
  }
}
