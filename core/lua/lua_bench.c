/* lua_bench.c - kv.time_ops: time one op, or a list of ops, on a backend
 * and platform, so that a hardware microbenchmark can be replayed in
 * simulation in a few lines:
 *
 *   local t = kv.time_ops{ platform = "h200-141gb", backend = "simgrid",
 *     steps = { { { kind = "copy", dir = "h2d", bytes = 64 * 2^20, count = 16 }
 * }, { { kind = "vmm_create", bytes = 2 * 2^20, count = 1 } } } }
 *   print(t[1].total, t[2].by_kind.vmm_create)
 *
 * Each step's op list goes to the backend as one engine step (no compute
 * unless a step lists one); the result is that step's kv_step_time. A step
 * table may carry `idle = s`: the backend idles that long before it (a
 * driver call after a gap, the platform's vmm_<call>_gap). The
 * SimGrid backend runs in a forked child (one simulation per process), as
 * kv.run does. docs/lua_api.md documents the op fields.
 * Main entry point: kv_lua_open_bench().
 */
#include "lua_internal.h"

#include <errno.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backend_desc.h"
#include "run_spec.h"
#include "util.h"

static const char *const dir_names[] = {"h2d", "d2h", "d2d", NULL};
static const char *const context_names[] = {"idle", "busy", "after_step", NULL};

typedef struct bench {
  kv_op_list *steps;
  const double *idle; /* s before each step */
  size_t n;
  kv_step_time *out;
  kv_backend *b;
  kv_error *err;
} bench;

static kv_status bench_main(void *arg) {
  bench *x = arg;
  for (size_t i = 0; i < x->n; i++) {
    if (x->idle[i] > 0)
      x->b->vt->idle_until(x->b, x->b->vt->now(x->b) + x->idle[i]);
    kv_status s = x->b->vt->step(x->b, &x->steps[i], &x->out[i], x->err);
    if (s != KV_OK) return kv_error_prefix(x->err, "step %zu: ", i + 1);
  }
  return KV_OK;
}

static kv_op_kind kind_of(lua_State *L, const kv_lua_where *w,
                          const char *field, const char *name) {
  for (int k = 0; k < KV_OP__COUNT; k++)
    if (strcmp(kv_op_kind_name((kv_op_kind)k), name) == 0) return k;
  kv_lua_field_error(L, w, field,
                     "unknown op kind '%s' (kv.op_kinds() lists them)", name);
  return KV_OP__COUNT;
}

/* One op table at the top of the stack into l. */
static void read_op(lua_State *L, const kv_lua_where *w, int si, int oi,
                    kv_op_list *l) {
  static const char *const keys[] = {"kind", "bytes",      "count", "dir",
                                     "via",  "background", "flops", NULL};
  char f[64];
  snprintf(f, sizeof f, "steps[%d][%d]", si, oi);
  if (!lua_istable(L, -1)) kv_lua_field_error(L, w, f, "expected an op table");
  kv_lua_check_keys(L, -1, w, f, keys, false);
  const char *kn = kv_lua_opt_str(L, -1, w, "kind", f, NULL);
  if (!kn) kv_lua_field_error(L, w, f, "missing 'kind'");
  kv_op_kind k = kind_of(L, w, f, kn);
  kv_op *op = kv_ops_push(l, k, 0);
  op->bytes = kv_lua_opt_u64(L, -1, w, "bytes", f, 0, 0, UINT64_MAX >> 2);
  op->count = (uint32_t)kv_lua_opt_u64(
      L, -1, w, "count", f, k == KV_OP_COMPUTE ? 0 : 1, 0, UINT32_MAX);
  op->flops = kv_lua_opt_num(L, -1, w, "flops", f, 0, 0, false);
  const char *d = kv_lua_opt_str(L, -1, w, "dir", f, NULL);
  if (d) op->dir = (uint8_t)kv_lua_pick(L, w, f, d, dir_names);
  const char *v = kv_lua_opt_str(L, -1, w, "via", f, NULL);
  if (v) {
    char fv[80];
    snprintf(fv, sizeof fv, "%s.via", f);
    op->via = (uint8_t)kv_lua_pick(L, w, fv, v, kv_copy_via_names);
  }
  lua_getfield(L, -1, "background");
  if (lua_toboolean(L, -1)) op->flags |= KV_OPF_BACKGROUND;
  lua_pop(L, 1);
  if (k == KV_OP_COPY && !d)
    kv_lua_field_error(L, w, f, "a copy needs 'dir' (h2d, d2h or d2d)");
}

/* Run the steps on a backend of descriptor d with the spec's options. */
static kv_status run_steps(const kv_run_spec *spec, kv_op_list *steps,
                           const double *idle, size_t n, kv_step_time *out,
                           kv_error *err) {
  kv_backend *b =
      kv_backend_create(spec->backend, spec->backend_opts, &spec->engine, err);
  if (!b) return err && err->code ? err->code : KV_EINVAL;
  bench x = {steps, idle, n, out, b, err};
  kv_status s = b->vt->run(b, bench_main, &x, err);
  b->vt->destroy(b);
  return s;
}

/* The platform (a preset name or kv.platform) and model (default: a
 * geometry only, ops carry their sizes) of a time_ops table. */
static void read_target(lua_State *L, const kv_lua_where *w, kv_platform *p,
                        kv_model *m) {
  kv_error e = {0};
  lua_getfield(L, 1, "platform");
  if (lua_type(L, -1) == LUA_TSTRING) {
    if (kv_platform_preset(lua_tostring(L, -1), p, &e) != KV_OK)
      kv_lua_field_error(L, w, "platform", "%s", e.msg);
  } else if (lua_isuserdata(L, -1)) {
    *p = kv_lua_checkplatform(L, -1)->p;
    if (kv_lua_checkplatform(L, -1)->xml[0])
      kv_lua_field_error(L, w, "platform",
                         "a SimGrid XML platform is not supported here");
  } else {
    kv_lua_field_error(L, w, "platform",
                       "expected a preset name or kv.platform");
  }
  lua_pop(L, 1);
  lua_getfield(L, 1, "model");
  if (lua_isnil(L, -1)) {
    kv_model_preset("llama-3-8b", m, &e);
  } else if (lua_type(L, -1) == LUA_TSTRING) {
    if (kv_model_preset(lua_tostring(L, -1), m, &e) != KV_OK)
      kv_lua_field_error(L, w, "model", "%s", e.msg);
  } else {
    *m = *kv_lua_checkmodel(L, -1);
  }
  lua_pop(L, 1);
}

/* The steps field: a list of op lists (allocated; *n of them), each
 * step's idle seconds in *idle (allocated). */
static kv_op_list *read_steps(lua_State *L, const kv_lua_where *w, size_t *n,
                              double **idle) {
  if (lua_getfield(L, 1, "steps") != LUA_TTABLE)
    kv_lua_field_error(L, w, "steps", "expected a list of op lists");
  *n = (size_t)luaL_len(L, -1);
  if (*n == 0) kv_lua_field_error(L, w, "steps", "no steps");
  kv_op_list *steps = kv_xcalloc(*n, sizeof *steps);
  *idle = kv_xcalloc(*n, sizeof **idle);
  for (size_t i = 0; i < *n; i++) {
    kv_ops_init(&steps[i], 0);
    lua_rawgeti(L, -1, (lua_Integer)i + 1);
    if (!lua_istable(L, -1)) {
      for (size_t k = 0; k <= i; k++)
        kv_ops_free(&steps[k]);
      free(steps);
      free(*idle);
      kv_lua_field_error(L, w, "steps", "step %d is not a list of ops",
                         (int)i + 1);
    }
    char f[32];
    snprintf(f, sizeof f, "steps[%d]", (int)i + 1);
    (*idle)[i] = kv_lua_opt_num(L, -1, w, "idle", f, 0, 0, false);
    size_t no = (size_t)luaL_len(L, -1);
    for (size_t j = 0; j < no; j++) {
      lua_rawgeti(L, -1, (lua_Integer)j + 1);
      read_op(L, w, (int)i + 1, (int)j + 1, &steps[i]);
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return steps;
}

/* run_steps in a forked child (SimGrid: one simulation per process), the
 * outcome and times back over a pipe. */
static kv_status run_steps_child(const kv_run_spec *spec, kv_op_list *steps,
                                 const double *idle, size_t n,
                                 kv_step_time *out, kv_error *e) {
  int fd[2];
  if (pipe(fd) != 0)
    return kv_error_set(e, KV_EIO, "time_ops: pipe: %s", strerror(errno));
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) {
    close(fd[0]);
    close(fd[1]);
    return kv_error_set(e, KV_EIO, "time_ops: fork: %s", strerror(errno));
  }
  if (pid == 0) {
    close(fd[0]);
    kv_error ce = {0};
    kv_status cs = run_steps(spec, steps, idle, n, out, &ce);
    ssize_t wr = write(fd[1], &cs, sizeof cs);
    wr += write(fd[1], &ce, sizeof ce);
    wr += write(fd[1], out, n * sizeof *out);
    _exit(wr > 0 ? 0 : 1);
  }
  close(fd[1]);
  kv_status s;
  size_t want = sizeof s + sizeof *e + n * sizeof *out, got = 0;
  char *buf = kv_xmalloc(want);
  ssize_t r;
  while (got < want && (r = read(fd[0], buf + got, want - got)) > 0)
    got += (size_t)r;
  close(fd[0]);
  int st;
  waitpid(pid, &st, 0);
  if (got != want) {
    s = kv_error_set(e, KV_EINTERNAL,
                     "time_ops: the simulation child died (status %d)", st);
  } else {
    memcpy(&s, buf, sizeof s);
    memcpy(e, buf + sizeof s, sizeof *e);
    memcpy(out, buf + sizeof s + sizeof *e, n * sizeof *out);
  }
  free(buf);
  return s;
}

/* The result: one table of step times per step. */
static void push_times(lua_State *L, const kv_step_time *out, size_t n) {
  lua_createtable(L, (int)n, 0);
  for (size_t i = 0; i < n; i++) {
    const kv_step_time *t = &out[i];
    lua_createtable(L, 0, 7);
    const struct {
      const char *k;
      double v;
    } f[] = {{"total", t->total},
             {"compute", t->compute},
             {"op_critical", t->op_critical},
             {"op_hidden", t->op_hidden},
             {"driver_critical", t->driver_critical},
             {"driver_hidden", t->driver_hidden}};
    for (size_t j = 0; j < sizeof f / sizeof *f; j++) {
      lua_pushnumber(L, f[j].v);
      lua_setfield(L, -2, f[j].k);
    }
    lua_createtable(L, 0, KV_OP__COUNT);
    for (int k = 0; k < KV_OP__COUNT; k++) {
      lua_pushnumber(L, t->by_kind[k]);
      lua_setfield(L, -2, kv_op_kind_name((kv_op_kind)k));
    }
    lua_setfield(L, -2, "by_kind");
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
}

static int l_time_ops(lua_State *L) {
  kv_lua_where w = {1, ""};
  luaL_checktype(L, 1, LUA_TTABLE);
  static const char *const keys[] = {"platform",    "model", "backend", "tp",
                                     "vmm_context", "steps", NULL};
  kv_lua_check_run_keys(L, 1, &w, keys); /* and the backends' options */
  lua_newtable(L);                       /* anchor of the backend options */
  int anchor = lua_gettop(L);
  kv_platform p;
  kv_model m;
  read_target(L, &w, &p, &m);
  const kv_backend_desc *d;
  const kv_backend_opts *bo;
  kv_lua_backend_read(L, 1, anchor, &w, "ideal", NULL, &d, &bo);
  uint32_t tp = (uint32_t)kv_lua_opt_u64(L, 1, &w, "tp", "tp", 1, 1, 64);
  /* the context of the driver calls not flagged background: idle (a
   * microbenchmark, the default), busy (kernels running) or after_step
   * (how a run's critical calls are priced) */
  const char *cx =
      kv_lua_opt_str(L, 1, &w, "vmm_context", "vmm_context", "idle");
  int ctxk = kv_lua_pick(L, &w, "vmm_context", cx, context_names);
  for (int k = 0; k < KV_VMM__COUNT; k++)
    p.vmm_after_step[k] = ctxk == 0   ? 0
                          : ctxk == 1 ? p.vmm_busy[k]
                                      : p.vmm_after_step[k];
  size_t n;
  double *idle = NULL;
  kv_op_list *steps = read_steps(L, &w, &n, &idle);

  kv_run_spec spec;
  memset(&spec, 0, sizeof spec);
  kv_engine_cfg_defaults(&spec.engine);
  spec.engine.platform = &p;
  spec.engine.model = &m;
  spec.engine.tp = tp;
  spec.backend = d;
  spec.backend_opts = bo;
  kv_step_time *out = kv_xcalloc(n, sizeof *out);
  kv_error e = {0};
  const char *bad = NULL;
  kv_status s = kv_platform_validate(&p, &e);
  if (!s && d->check &&
      (s = d->check(kv_backend_opts_get(bo, d, NULL), &spec.engine, 1, &bad,
                    &e)) != KV_OK &&
      bad)
    kv_error_prefix(&e, "field '%s': ", bad);
  /* every backend but the ideal one in a child (SimGrid: one simulation
   * per process) */
  if (!s)
    s = d == &kv_backend_ideal_desc
            ? run_steps(&spec, steps, idle, n, out, &e)
            : run_steps_child(&spec, steps, idle, n, out, &e);
  for (size_t i = 0; i < n; i++)
    kv_ops_free(&steps[i]);
  free(steps);
  free(idle);
  if (s != KV_OK) {
    free(out);
    return kv_lua_field_error(L, &w, NULL, "%s", e.msg);
  }
  push_times(L, out, n);
  free(out);
  return 1;
}

static const luaL_Reg bench_funcs[] = {{"time_ops", l_time_ops}, {NULL, NULL}};

void kv_lua_open_bench(lua_State *L) {
  luaL_setfuncs(L, bench_funcs, 0);
}
