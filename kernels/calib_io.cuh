/* calib_io.cuh - what kvsim-calibrate (calibrate.cu) and
 * kvsim-calibrate-multi (calib_multi.cu) share to report what they measure:
 * the report's notes (each also a comment line of the Lua file), the set of
 * measured curves, and the raw-curve CSV written beside the Lua file
 * (FILE.lua -> FILE.curves.csv, columns curve,x,y,unit).
 * Main entry points: results::note(), curve_set, write_csv().
 */
#ifndef KV_CALIB_IO_CUH
#define KV_CALIB_IO_CUH

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

/* What the report says besides its tables: each line goes to `out` (the
 * report) and, as a comment, to the Lua file. */
struct results {
  FILE *out = stdout;
  std::string lines; /* Lua comment lines */
  void note(const char *fmt, ...) __attribute__((format(printf, 2, 3)));
};

inline void results::note(const char *fmt, ...) {
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  fprintf(out, "%s\n", buf);
  lines += "-- ";
  lines += buf;
  lines += "\n";
}

/* ---- measured curves -------------------------------------------------
 * Every table measured is kept as a curve y(x), named as
 * scripts/kvsim/calibration.lua names it. The report's tables are printed
 * from these curves, <stem>.curves.csv lists them all, and the Lua file
 * carries those that platform fields take. */
struct curve {
  std::string name, unit;
  std::vector<double> x, y;
  std::vector<std::string> xname; /* empty, or each point's x as a name */
};

struct curve_set {
  std::vector<curve> list; /* in the order measured */

  curve &get(const std::string &name, const char *unit) {
    for (curve &c : list)
      if (c.name == name) return c;
    list.push_back(curve());
    list.back().name = name;
    list.back().unit = unit;
    return list.back();
  }
  void add(const std::string &name, const char *unit, double x, double y) {
    curve &c = get(name, unit);
    c.x.push_back(x);
    c.y.push_back(y);
  }
  /* a point whose x is a name (the VMM context curves: x = the call) */
  void add_named(const std::string &name, const char *unit, const char *x,
                 double y) {
    curve &c = get(name, unit);
    c.xname.push_back(x);
    c.x.push_back((double)c.xname.size());
    c.y.push_back(y);
  }
  const curve *find(const std::string &name) const {
    for (const curve &c : list)
      if (c.name == name) return &c;
    return nullptr;
  }
};

/* FILE.lua -> FILE.curves.csv (FILE + ".curves.csv" without ".lua") */
static inline std::string csv_path_of(const char *lua_path) {
  std::string p = lua_path;
  if (p.size() > 4 && p.compare(p.size() - 4, 4, ".lua") == 0)
    p.resize(p.size() - 4);
  return p + ".curves.csv";
}

static inline void die_writing(const std::string &path, int line) {
  fprintf(stderr, "%s:%d: cannot write %s\n", __FILE__, line, path.c_str());
  exit(EXIT_FAILURE);
}

static inline void write_csv(const std::string &path, const curve_set &cs) {
  FILE *fp = fopen(path.c_str(), "w");
  if (!fp) die_writing(path, __LINE__);
  fprintf(fp, "curve,x,y,unit\n");
  for (const curve &c : cs.list)
    for (size_t i = 0; i < c.y.size(); i++) {
      if (c.xname.empty())
        fprintf(fp, "%s,%.17g,%.17g,%s\n", c.name.c_str(), c.x[i], c.y[i],
                c.unit.c_str());
      else
        fprintf(fp, "%s,%s,%.17g,%s\n", c.name.c_str(), c.xname[i].c_str(),
                c.y[i], c.unit.c_str());
    }
  if (fclose(fp) != 0) die_writing(path, __LINE__);
}

#endif
