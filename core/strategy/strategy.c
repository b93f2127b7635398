/* strategy.c - strategy registry (from KV_STRATEGY_LIST), option access,
 * default labels, configuration defaults and per-GPU bytes per token.
 * Main entry points: kv_strategy_find(), kv_strategy_names(),
 * kv_strategy_opt_set(), kv_strategy_bytes_per_token().
 */
#include "strategy.h"

#include "util.h"

#include <stdio.h>
#include <string.h>

void kv_strategy_cfg_defaults(kv_strategy_cfg *cfg) {
  memset(cfg, 0, sizeof *cfg);
  cfg->tp = 1;
  cfg->max_context = 0; /* the model's */
  cfg->block_tokens = 16;
  cfg->page_bytes = 2ull << 20;
  cfg->vmm_layout = KV_VMM_PER_LAYER;
  cfg->map_ahead = 0;
  cfg->deferred_reclaim = false;
  cfg->slab_bytes = 64ull << 20;
  cfg->copy_via = KV_VIA_ENGINE;
  cfg->host_bytes = 0;
  cfg->pool_spare = 10;
  cfg->pool_prealloc = 5;
}

#define KV_STRATEGY_VT_(n) &kv_strategy_##n,
#define KV_STRATEGY_NAME_(n) #n,
static const kv_strategy_vt *const registry[] = {
    KV_STRATEGY_LIST(KV_STRATEGY_VT_) NULL};
static const char *const registry_names[] = {KV_STRATEGY_LIST(KV_STRATEGY_NAME_)
                                                 NULL};
#undef KV_STRATEGY_VT_
#undef KV_STRATEGY_NAME_

const kv_strategy_vt *kv_strategy_find(const char *name, kv_error *err) {
  for (size_t i = 0; name && registry[i]; i++)
    if (strcmp(registry[i]->name, name) == 0) return registry[i];
  kv_error_unknown_name(err, "strategy", name, registry_names);
  return NULL;
}

const char *const *kv_strategy_names(void) {
  return registry_names;
}

const kv_strategy_vt *const *kv_strategy_all(void) {
  return registry;
}

const kv_strategy_opt *kv_strategy_opt_find(const kv_strategy_vt *vt,
                                            const char *name) {
  for (const kv_strategy_opt *o = vt->options; o && o->name; o++)
    if (strcmp(o->name, name) == 0) return o;
  return NULL;
}

/* ENUM options are stored as int: every cfg enum must be int-sized */
_Static_assert(sizeof(kv_vmm_layout) == sizeof(int), "enum size");
_Static_assert(sizeof(kv_copy_via) == sizeof(int), "enum size");

uint64_t kv_strategy_opt_get(const kv_strategy_cfg *cfg,
                             const kv_strategy_opt *o) {
  const char *p = (const char *)cfg + o->offset;
  switch (o->type) {
  case KV_OPT_U32: return *(const uint32_t *)(const void *)p;
  case KV_OPT_U64: return *(const uint64_t *)(const void *)p;
  case KV_OPT_BOOL: return *(const bool *)(const void *)p;
  case KV_OPT_ENUM: return (uint64_t) * (const int *)(const void *)p;
  }
  return 0;
}

void kv_strategy_opt_set(kv_strategy_cfg *cfg, const kv_strategy_opt *o,
                         uint64_t v) {
  char *p = (char *)cfg + o->offset;
  switch (o->type) {
  case KV_OPT_U32: *(uint32_t *)(void *)p = (uint32_t)v; break;
  case KV_OPT_U64: *(uint64_t *)(void *)p = v; break;
  case KV_OPT_BOOL: *(bool *)(void *)p = v != 0; break;
  case KV_OPT_ENUM: *(int *)(void *)p = (int)v; break;
  }
}

int kv_strategy_cfg_lua(const kv_strategy_vt *vt, const kv_strategy_cfg *cfg,
                        char *buf, size_t n) {
  size_t len = 0;
  int w = snprintf(buf, n, "{ \"%s\"", vt->name);
  for (const kv_strategy_opt *o = vt->options; w >= 0 && o && o->name; o++) {
    len += (size_t)w;
    uint64_t v = kv_strategy_opt_get(cfg, o);
    if (v == o->def) {
      w = 0;
      continue;
    }
    char *at = len < n ? buf + len : NULL;
    size_t room = len < n ? n - len : 0;
    if (o->type == KV_OPT_BOOL)
      w = snprintf(at, room, ", %s = %s", o->name, v ? "true" : "false");
    else if (o->type == KV_OPT_ENUM)
      w = snprintf(at, room, ", %s = \"%s\"", o->name, o->choices[v]);
    else
      w = snprintf(at, room, ", %s = %llu", o->name, (unsigned long long)v);
  }
  if (w < 0) return w;
  len += (size_t)w;
  w = snprintf(len < n ? buf + len : NULL, len < n ? n - len : 0, " }");
  return w < 0 ? w : (int)(len + (size_t)w);
}

void kv_strategy_label(const kv_strategy_vt *vt, const kv_strategy_cfg *cfg,
                       char *buf, size_t n) {
  if (vt->version >= 4 && vt->label)
    vt->label(cfg, buf, n);
  else
    snprintf(buf, n, "%s", vt->name);
}

void kv_strategy_compact_bytes(char *buf, size_t n, uint64_t b) {
  if (b && b % (1ull << 30) == 0)
    snprintf(buf, n, "%lluG", (unsigned long long)(b >> 30));
  else if (b && b % (1ull << 20) == 0)
    snprintf(buf, n, "%lluM", (unsigned long long)(b >> 20));
  else if (b && b % (1ull << 10) == 0)
    snprintf(buf, n, "%lluK", (unsigned long long)(b >> 10));
  else
    snprintf(buf, n, "%llu", (unsigned long long)b);
}

/* MHA/GQA: K and V of ceil(kv_heads/tp) heads per layer on each GPU.
 * MLA: the latent (+ rope key) is not split over tp: every GPU holds it. */
uint64_t kv_strategy_bytes_per_token_layer(const kv_strategy_cfg *cfg) {
  const kv_model *m = cfg->model;
  if (!m) return 0;
  uint64_t tp = cfg->tp ? cfg->tp : 1;
  if (m->mla_latent > 0)
    return ((uint64_t)m->mla_latent + m->mla_rope) * m->dtype_bytes;
  return 2 * KV_DIV_CEIL((uint64_t)m->kv_heads, tp) * m->head_dim *
         m->dtype_bytes;
}

uint64_t kv_strategy_bytes_per_token(const kv_strategy_cfg *cfg) {
  if (!cfg->model) return 0;
  return (uint64_t)cfg->model->layers * kv_strategy_bytes_per_token_layer(cfg);
}

uint32_t kv_strategy_max_context(const kv_strategy_cfg *cfg) {
  if (cfg->max_context) return cfg->max_context;
  return cfg->model ? cfg->model->max_context : 0;
}

uint32_t kv_strategy_window(const kv_strategy_cfg *cfg) {
  return cfg->model && kv_model_window_layers(cfg->model)
             ? cfg->model->sliding_window
             : 0;
}

uint64_t kv_strategy_bytes_per_token_window(const kv_strategy_cfg *cfg) {
  if (!cfg->model) return 0;
  return (uint64_t)kv_model_window_layers(cfg->model) *
         kv_strategy_bytes_per_token_layer(cfg);
}

uint64_t kv_strategy_bytes_per_token_full(const kv_strategy_cfg *cfg) {
  return kv_strategy_bytes_per_token(cfg) -
         kv_strategy_bytes_per_token_window(cfg);
}

uint64_t kv_strategy_used_bytes(const kv_strategy_cfg *cfg, uint64_t tokens) {
  const kv_model *m = cfg->model;
  if (!m) return 0;
  uint64_t layer = kv_strategy_bytes_per_token_layer(cfg); /* hot: once */
  uint64_t lw = kv_model_window_layers(m);
  if (!lw) return tokens * layer * m->layers;
  uint64_t wt = tokens > m->sliding_window ? m->sliding_window : tokens;
  return (tokens * (m->layers - lw) + wt * lw) * layer;
}
