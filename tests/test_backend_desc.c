/* test_backend_desc.c - backend descriptors (core/engine/backend_desc.h):
 * options are tagged with the descriptor that parsed them, so a run given
 * another backend's options fails with a clear error; a descriptor parses its
 * options from command-line words as from a run table.
 */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "backend_desc.h"
#include "model.h"
#include "platform.h"
#include "replicas.h"
#include "strategy.h"
#include "workload.h"
#ifdef KVSIM_HAVE_SIM
#include "sim_backend.h"
#endif

static kv_model model;
static kv_platform platform;
static kv_workload wl;

/* A backend with options of its own, to hand to the wrong descriptor. */
typedef struct probe_opts {
  int copies;
} probe_opts;

static void probe_defaults(void *o) {
  ((probe_opts *)o)->copies = 3;
}

static const char *const probe_keys[] = {"copies", NULL};

static kv_status probe_parse(void *o, const kv_opt_source *src,
                             const char **key, kv_error *err) {
  const char *v;
  if (src->get(src->ud, "copies", &v, err) != KV_OK) {
    *key = "copies";
    return KV_EINVAL;
  }
  if (v) ((probe_opts *)o)->copies = (int)strtol(v, NULL, 10);
  return KV_OK;
}

static kv_backend *probe_create(const kv_engine_cfg *cfg, const void *o,
                                kv_error *err) {
  cr_assert_eq(((const probe_opts *)o)->copies, 7);
  return kv_backend_ideal_create(cfg->platform, cfg->model, cfg->tp, err);
}

static const kv_backend_desc probe_desc = {
    .version = KV_BACKEND_DESC_VERSION,
    .name = "probe",
    .keys = probe_keys,
    .opts_size = sizeof(probe_opts),
    .opts_defaults = probe_defaults,
    .opts_parse = probe_parse,
    .create = probe_create,
};

static void make_spec(kv_run_spec *s) {
  kv_error err;
  cr_assert_eq(kv_model_preset("llama-3-8b", &model, &err), KV_OK);
  cr_assert_eq(kv_platform_preset("h100-sxm-80gb", &platform, &err), KV_OK);
  kv_synth_cfg sc = {
      .arrival = KV_ARRIVAL_POISSON,
      .rate = 50,
      .n = 8,
      .prompt = {.kind = KV_LEN_UNIFORM, .a = 16, .b = 500, .min = 1},
      .output = {.kind = KV_LEN_UNIFORM, .a = 1, .b = 50, .min = 1},
  };
  kv_workload_free(&wl);
  kv_workload_init(&wl);
  cr_assert_eq(kv_workload_synthetic(&sc, 5, &wl, &err), KV_OK, "%s", err.msg);
  memset(s, 0, sizeof *s);
  kv_engine_cfg_defaults(&s->engine);
  s->engine.model = &model;
  s->engine.platform = &platform;
  s->engine.workload = &wl;
  s->engine.strategy = kv_strategy_find("paged", &err);
  s->engine.timeline_interval = 0;
}

static void drop(void) {
  kv_workload_free(&wl);
}

TestSuite(backend_desc, .fini = drop);

Test(backend_desc, options_of_another_backend_are_refused) {
  kv_run_spec s;
  make_spec(&s);
  kv_backend_opts *o = kv_backend_opts_new(&probe_desc);
  s.backend = &kv_backend_ideal_desc; /* registered with the wrong options */
  s.backend_opts = o;
  kv_result r;
  kv_error e = {0};
  cr_assert_eq(kv_run_spec_execute(&s, &r, &e), KV_EINVAL);
  cr_expect_str_eq(e.msg,
                   "backend 'ideal' was given the options of backend 'probe'");
  /* and the same through replicas */
  kv_replica_spec rs = {.run = s, .replicas = 2};
  kv_result rr[3];
  kv_backend_opts *io = kv_backend_opts_new(&kv_backend_ideal_desc);
  rs.run.backend = &probe_desc;
  rs.run.backend_opts = io;
  memset(&e, 0, sizeof e);
  cr_assert_eq(kv_replica_spec_execute(&rs, rr, &e), KV_EINVAL);
  cr_expect_str_eq(e.msg,
                   "backend 'probe' was given the options of backend 'ideal'");
  kv_backend_opts_free(io);
  kv_backend_opts_free(o);
}

Test(backend_desc, options_get_checks_the_tag) {
  kv_backend_opts *o = kv_backend_opts_new(&probe_desc);
  kv_error e = {0};
  cr_assert_null(kv_backend_opts_get(o, &kv_backend_ideal_desc, &e));
  cr_expect_eq(e.code, KV_EINVAL);
  probe_opts *p = kv_backend_opts_get(o, &probe_desc, &e);
  cr_assert_not_null(p);
  cr_expect_eq(p->copies, 3, "the descriptor's defaults");
  cr_expect_eq(kv_backend_opts_desc(o), &probe_desc);
  kv_backend_opts_free(o);
}

Test(backend_desc, command_line_words_are_an_option_source) {
  char *argv[] = {"--copies", "7", "--other=1"};
  kv_opt_argv a = {3, argv};
  kv_opt_source src = kv_opt_source_argv(&a);
  kv_backend_opts *o = kv_backend_opts_new(&probe_desc);
  const char *key;
  kv_error e = {0};
  cr_assert_eq(kv_backend_opts_parse(o, &src, &key, &e), KV_OK, "%s", e.msg);
  kv_run_spec s;
  make_spec(&s);
  s.backend = &probe_desc;
  s.backend_opts = o;
  kv_result r;
  cr_assert_eq(kv_run_spec_execute(&s, &r, &e), KV_OK, "%s", e.msg);
  kv_result_free(&r);
  char *bad[] = {"--copies"};
  kv_opt_argv b = {1, bad};
  src = kv_opt_source_argv(&b);
  cr_assert_eq(kv_backend_opts_parse(o, &src, &key, &e), KV_EINVAL);
  cr_expect_str_eq(key, "copies");
  cr_expect_str_eq(e.msg, "--copies needs a value");
  kv_backend_opts_free(o);
}

#ifdef KVSIM_HAVE_SIM
Test(backend_desc, simgrid_options_from_the_command_line) {
  char *argv[] = {"--lone-transfers=analytic", "--copy-order", "concurrent"};
  kv_opt_argv a = {3, argv};
  kv_opt_source src = kv_opt_source_argv(&a);
  kv_backend_opts *o = kv_backend_opts_new(&kv_sim_backend_desc);
  const char *key = NULL;
  kv_error e = {0};
  cr_assert_eq(kv_backend_opts_parse(o, &src, &key, &e), KV_OK, "%s", e.msg);
  uint32_t w[2];
  const char *xml = "unset";
  kv_sim_backend_desc.opts_ident(
      kv_backend_opts_get(o, &kv_sim_backend_desc, &e), w, &xml);
  cr_expect_eq(w[0], (uint32_t)KV_SIM_COPY_CONCURRENT);
  cr_expect_eq(w[1], 2u);
  cr_expect_null(xml);
  char *bad[] = {"--copy-order=sideways"};
  kv_opt_argv b = {1, bad};
  src = kv_opt_source_argv(&b);
  cr_assert_eq(kv_backend_opts_parse(o, &src, &key, &e), KV_EINVAL);
  cr_expect_str_eq(key, "copy_order");
  cr_expect(strstr(e.msg, "'sideways'") &&
                strstr(e.msg, "(valid: stream, concurrent)"),
            "%s", e.msg);
  kv_backend_opts_free(o);
}

Test(backend_desc, simgrid_refuses_more_gpus_than_the_platform_has) {
  kv_run_spec s;
  make_spec(&s);
  kv_backend_opts *o = kv_sim_backend_opts(NULL);
  const char *key = NULL;
  kv_error e = {0};
  s.engine.tp = 1;
  size_t too_many = (size_t)platform.servers * platform.gpus_per_server + 1;
  cr_assert_eq(kv_sim_backend_desc.check(
                   kv_backend_opts_get(o, &kv_sim_backend_desc, &e), &s.engine,
                   too_many, &key, &e),
               KV_EINVAL);
  cr_expect_str_eq(key, "replicas");
  cr_expect(strstr(e.msg, "(servers x gpus_per_server)"), "%s", e.msg);
  kv_backend_opts_free(o);
}
#endif
