/* validate_gpu_io.c - what validate_gpu's modes share: output files (opened
 * in the output folder, closed with a check that every write went through)
 * and the writers of the files every mode has: steps_<label>.csv (one row
 * per recorded backend step), timeline_<label>.csv, summary.csv,
 * requests_<label>.csv; the strategy's kv.run table for setup.lua; where the
 * Azure conversation trace is; mkdir -p; numeric command-line arguments.
 * Every error here is fatal (DIE).
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "validate_gpu.h"

FILE *open_mode(const char *dir, const char *name, const char *mode) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, mode);
  if (!f) DIE("%s: cannot open for writing: %s", path, strerror(errno));
  return f;
}

FILE *open_out(const char *dir, const char *name) {
  return open_mode(dir, name, "w");
}

void close_out(FILE *f, const char *what) {
  if (ferror(f) || fclose(f) != 0) DIE("%s: write failed", what);
}

/* shape (--open): more columns: the COMPUTE op's tokens, decodes,
 * decode_keys, prefill_pairs, the engine's running requests in the step
 * and t, the clock at the step's end; shape 2 (--lockstep): also the
 * step's COPY bytes host -> device and device -> host */
void write_steps(const char *dir, const char *label, const recorder *r,
                 int shape) {
  char name[256];
  snprintf(name, sizeof name, "steps_%s.csv", label);
  FILE *f = open_out(dir, name);
  fprintf(f,
          "row,engine_step,n_ops,parts,compute_bytes,compute_flops,copy_bytes,"
          "copy_runs,vmm_calls,table_entries,total,compute,op_critical,"
          "op_hidden,driver_critical,driver_hidden");
  for (int k = 0; k < KV_OP__COUNT; k++)
    fprintf(f, ",t_%s", kv_op_kind_name((kv_op_kind)k));
  for (int k = 0; k < N_VMM_KINDS; k++)
    fprintf(f, ",crit_calls_%s", kv_op_kind_name((kv_op_kind)k));
  fprintf(f, ",crit_vmm_calls,bg_vmm_calls,inline%s%s\n",
          shape ? ",tokens,decodes,decode_keys,prefill_pairs,running,t" : "",
          shape == 2 ? ",h2d_bytes,d2h_bytes" : "");
  for (size_t i = 0; i < r->n; i++) {
    const step_rec *e = &r->v[i];
    fprintf(f,
            "%zu,%" PRIu64
            ",%u,%u,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,"
            "%.9g,%.9g,%.9g",
            i + 1, e->engine_step, e->n_ops, e->parts, e->compute_bytes,
            e->compute_flops, e->copy_bytes, e->copy_runs, e->vmm_calls,
            e->table_entries, e->t.total, e->t.compute, e->t.op_critical,
            e->t.op_hidden, e->t.driver_critical, e->t.driver_hidden);
    for (int k = 0; k < KV_OP__COUNT; k++)
      fprintf(f, ",%.9g", e->t.by_kind[k]);
    double crit = 0;
    for (int k = 0; k < N_VMM_KINDS; k++) {
      fprintf(f, ",%.9g", e->crit_vmm[k]);
      crit += e->crit_vmm[k];
    }
    fprintf(f, ",%.9g,%.9g,%d", crit, e->bg_vmm, e->inlined);
    if (shape)
      fprintf(f, ",%.0f,%.0f,%.9g,%.9g,%.0f,%.9g", e->tokens, e->decodes,
              e->decode_keys, e->prefill_pairs, e->running, e->t_end);
    if (shape == 2) fprintf(f, ",%.0f,%.0f", e->h2d_bytes, e->d2h_bytes);
    fprintf(f, "\n");
  }
  close_out(f, name);
}

void write_timeline(const char *dir, const char *label, const kv_timeline *tl) {
  char name[256];
  snprintf(name, sizeof name, "timeline_%s.csv", label);
  FILE *f = open_out(dir, name);
  if (kv_timeline_write_csv(tl, f) != 0) DIE("%s: write failed", name);
  close_out(f, name);
}

/* summary.csv: label, every kv_summary metric, op count and time per kind,
 * the GPU backend's own totals (0 under --ideal) */
void summary_header(FILE *f) {
  fprintf(f, "label");
  for (size_t i = 0; i < kv_summary_info_n; i++)
    fprintf(f, ",%s", kv_summary_info[i].name);
  for (int k = 0; k < KV_OP__COUNT; k++)
    fprintf(f, ",count_%s,time_%s", kv_op_kind_name((kv_op_kind)k),
            kv_op_kind_name((kv_op_kind)k));
  fprintf(f, ",gpu_steps,gpu_step_time,gpu_idle_time,gpu_driver_critical,"
             "gpu_driver_hidden,gpu_driver_calls,gpu_compute_time,"
             "gpu_copy_time,gpu_attn_bytes,gpu_weight_bytes,"
             "gpu_inline_steps,gpu_hoisted_ops");
}

/* Without the line's end: --open adds columns (open_summary_row()). */
void summary_row(FILE *f, const char *label, const kv_summary *s,
                 const kv_gpu_totals *t) {
  fprintf(f, "%s", label);
  for (size_t i = 0; i < kv_summary_info_n; i++)
    fprintf(f, ",%.9g",
            *(const double *)((const char *)s + kv_summary_info[i].offset));
  for (int k = 0; k < KV_OP__COUNT; k++)
    fprintf(f, ",%.9g,%.9g", s->op_count[k], s->op_time[k]);
  fprintf(f, ",%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g",
          t->steps, t->step_time, t->idle_time, t->driver_critical,
          t->driver_hidden, t->driver_calls, t->compute_time, t->copy_time,
          t->attn_bytes, t->weight_bytes, t->inline_steps, t->hoisted_ops);
}

/* The model (model_name) and the platform preset pname. */
void load_presets(const char *pname, kv_model *m, kv_platform *p) {
  kv_error err;
  if (kv_model_preset(model_name, m, &err) != KV_OK) DIE("%s", err.msg);
  if (kv_platform_preset(pname, p, &err) != KV_OK) DIE("%s", err.msg);
}

/* The strategy table kv.run takes for a configuration (Lua source). */
void strategy_lua(const char *name, const kv_strategy_cfg *scfg, char *buf,
                  size_t n) {
  kv_error err = {0};
  const kv_strategy_vt *vt = kv_strategy_find(name, &err);
  if (!vt) DIE("%s", err.msg);
  if ((size_t)kv_strategy_cfg_lua(vt, scfg, buf, n) >= n)
    DIE("strategy table of %s longer than %zu bytes", name, n);
}

void open_write_requests(const char *dir, const char *label,
                         const kv_result *r) {
  char name[256];
  snprintf(name, sizeof name, "requests_%s.csv", label);
  FILE *f = open_out(dir, name);
  fprintf(f, "id,arrival,prompt,output,first_token,finish,generated,rejected,"
             "truncated,preemptions\n");
  for (size_t i = 0; i < r->n_requests; i++) {
    const kv_request_result *q = &r->requests[i];
    fprintf(f, "%zu,%.9g,%u,%u,%.9g,%.9g,%u,%u,%u,%u\n", i, q->arrival,
            q->prompt, q->output, q->first_token, q->finish, q->generated,
            (unsigned)q->rejected, q->truncated, q->preemptions);
  }
  close_out(f, name);
}

static int file_exists(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) return 0;
  fclose(f);
  return 1;
}

/* --trace, else $KVSIM_DATA_DIR/traces/, else shared/traces/ under the
 * working directory (the repository root), else ../shared/traces/. */
const char *open_trace_path(const char *given, char *buf, size_t n) {
  static const char file[] = "azure2023_conv.csv";
  if (given) {
    if (!file_exists(given)) DIE("--trace %s: cannot open", given);
    return given;
  }
  const char *d = getenv("KVSIM_DATA_DIR");
  char tried[3][2048];
  int k = 0;
  if (d && *d) snprintf(tried[k++], sizeof tried[0], "%s/traces/%s", d, file);
  snprintf(tried[k++], sizeof tried[0], "shared/traces/%s", file);
  snprintf(tried[k++], sizeof tried[0], "../shared/traces/%s", file);
  for (int i = 0; i < k; i++)
    if (file_exists(tried[i])) {
      snprintf(buf, n, "%.2000s", tried[i]);
      return buf;
    }
  DIE("the Azure conversation trace is not at %s%s%s%s%s: give --trace FILE",
      tried[0], k > 1 ? ", " : "", k > 1 ? tried[1] : "", k > 2 ? ", " : "",
      k > 2 ? tried[2] : "");
}

/* mkdir -p: every missing folder of path (N processes may race: EEXIST is
 * fine). */
void mkdir_p(const char *path) {
  char buf[4096];
  if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
    DIE("%s: path too long", path);
  for (char *q = buf + 1; *q; q++)
    if (*q == '/') {
      *q = 0;
      if (mkdir(buf, 0777) != 0 && errno != EEXIST)
        DIE("%s: cannot create: %s", buf, strerror(errno));
      *q = '/';
    }
  if (mkdir(buf, 0777) != 0 && errno != EEXIST)
    DIE("%s: cannot create: %s", buf, strerror(errno));
}

double open_num(int argc, char **argv, int *i, const char *name, double lo) {
  if (*i + 1 >= argc) DIE("%s needs a value", name);
  char *end;
  const char *v = argv[++*i];
  double x = strtod(v, &end);
  if (*end || !(x >= lo) || !isfinite(x))
    DIE("%s %s: expected a number >= %g", name, v, lo);
  return x;
}
