/* backend_desc.c - backend options as tagged values, the command-line
 * option source, and creating a run's backend from its descriptor
 * (backend_desc.h says what a descriptor holds).
 * Main entry points: kv_backend_opts_new(), kv_backend_create().
 */
#include "backend_desc.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Invariant: desc != NULL; data holds desc->opts_size bytes (NULL when 0)
 * set by desc's defaults and parser, and only desc reads it. */
struct kv_backend_opts {
  const kv_backend_desc *desc;
  void *data;
};

kv_backend_opts *kv_backend_opts_new(const kv_backend_desc *d) {
  kv_backend_opts *o = kv_xcalloc(1, sizeof *o);
  o->desc = d;
  if (d->opts_size) {
    o->data = kv_xcalloc(1, d->opts_size);
    if (d->opts_defaults) d->opts_defaults(o->data);
  }
  return o;
}

void kv_backend_opts_free(kv_backend_opts *o) {
  if (!o) return;
  if (o->data && o->desc->opts_free) o->desc->opts_free(o->data);
  free(o->data);
  free(o);
}

const kv_backend_desc *kv_backend_opts_desc(const kv_backend_opts *o) {
  return o->desc;
}

kv_status kv_backend_opts_parse(kv_backend_opts *o, const kv_opt_source *src,
                                const char **key, kv_error *err) {
  *key = NULL;
  if (!o->desc->opts_parse) return KV_OK;
  return o->desc->opts_parse(o->data, src, key, err);
}

void *kv_backend_opts_get(const kv_backend_opts *o, const kv_backend_desc *d,
                          kv_error *err) {
  if (o->desc != d) {
    kv_error_set(err, KV_EINVAL,
                 "backend '%s' was given the options of backend '%s'", d->name,
                 o->desc->name);
    return NULL;
  }
  return o->data;
}

kv_backend *kv_backend_create(const kv_backend_desc *d,
                              const kv_backend_opts *o,
                              const kv_engine_cfg *cfg, kv_error *err) {
  if (!d) d = &kv_backend_ideal_desc;
  kv_backend_opts *mine = NULL;
  if (!o) o = mine = kv_backend_opts_new(d);
  kv_backend *b = NULL;
  const void *data = kv_backend_opts_get(o, d, err);
  if (o->desc == d) b = d->create(cfg, data, err);
  kv_backend_opts_free(mine);
  return b;
}

/* ---- command-line words ---- */

/* "--copy-order" matches key "copy_order". */
static int flag_is(const char *word, const char *key, const char **value) {
  if (strncmp(word, "--", 2) != 0) return 0;
  const char *w = word + 2;
  for (; *key; key++, w++)
    if (*w != (*key == '_' ? '-' : *key)) return 0;
  if (*w == '=') {
    *value = w + 1;
    return 1;
  }
  return *w == '\0' ? 2 : 0;
}

static kv_status argv_get(void *ud, const char *key, const char **value,
                          kv_error *err) {
  const kv_opt_argv *a = ud;
  *value = NULL; /* the last one given wins */
  for (int i = 0; i < a->argc; i++) {
    if (flag_is(a->argv[i], key, value) != 2) continue;
    if (i + 1 >= a->argc)
      return kv_error_set(err, KV_EINVAL, "%s needs a value", a->argv[i]);
    *value = a->argv[++i];
  }
  return KV_OK;
}

kv_opt_source kv_opt_source_argv(kv_opt_argv *a) {
  kv_opt_source s = {argv_get, a};
  return s;
}
