/* model.c - model geometry: presets, a Hugging Face config.json reader and
 * the KV-cache size and FLOP formulas every strategy and backend uses.
 * Main entry points: kv_model_preset(), kv_model_from_hf_config(),
 * kv_model_kv_bytes_per_token().
 */
#include "model.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util.h"

/* ---- presets ---------------------------------------------------------- */

/* Geometry copied from each model's published config.json on the Hugging
 * Face hub; params/active_params are the published parameter counts. */
static const kv_model presets[] = {
    /* meta-llama/Meta-Llama-3-8B */
    {.name = "llama-3-8b",
     .layers = 32,
     .heads = 32,
     .kv_heads = 8,
     .head_dim = 128,
     .hidden = 4096,
     .intermediate = 14336,
     .vocab = 128256,
     .dtype_bytes = 2,
     .max_context = 8192,
     .params = 8.03e9,
     .active_params = 8.03e9,
     .weight_bytes = 2},
    /* meta-llama/Llama-3.1-8B: Llama-3-8B's geometry, 128k context */
    {.name = "llama-3.1-8b",
     .layers = 32,
     .heads = 32,
     .kv_heads = 8,
     .head_dim = 128,
     .hidden = 4096,
     .intermediate = 14336,
     .vocab = 128256,
     .dtype_bytes = 2,
     .max_context = 131072,
     .params = 8.03e9,
     .active_params = 8.03e9,
     .weight_bytes = 2},
    /* meta-llama/Meta-Llama-3-70B */
    {.name = "llama-3-70b",
     .layers = 80,
     .heads = 64,
     .kv_heads = 8,
     .head_dim = 128,
     .hidden = 8192,
     .intermediate = 28672,
     .vocab = 128256,
     .dtype_bytes = 2,
     .max_context = 8192,
     .params = 70.6e9,
     .active_params = 70.6e9,
     .weight_bytes = 2},
    /* meta-llama/Llama-3.1-70B: Llama-3-70B's geometry, 128k context */
    {.name = "llama-3.1-70b",
     .layers = 80,
     .heads = 64,
     .kv_heads = 8,
     .head_dim = 128,
     .hidden = 8192,
     .intermediate = 28672,
     .vocab = 128256,
     .dtype_bytes = 2,
     .max_context = 131072,
     .params = 70.6e9,
     .active_params = 70.6e9,
     .weight_bytes = 2},
    /* Qwen/Qwen2.5-7B (use_sliding_window: false) */
    {.name = "qwen2.5-7b",
     .layers = 28,
     .heads = 28,
     .kv_heads = 4,
     .head_dim = 128,
     .hidden = 3584,
     .intermediate = 18944,
     .vocab = 152064,
     .dtype_bytes = 2,
     .max_context = 131072,
     .params = 7.61e9,
     .active_params = 7.61e9,
     .weight_bytes = 2},
    /* Qwen/Qwen2.5-72B (use_sliding_window: false) */
    {.name = "qwen2.5-72b",
     .layers = 80,
     .heads = 64,
     .kv_heads = 8,
     .head_dim = 128,
     .hidden = 8192,
     .intermediate = 29568,
     .vocab = 152064,
     .dtype_bytes = 2,
     .max_context = 131072,
     .params = 72.7e9,
     .active_params = 72.7e9,
     .weight_bytes = 2},
    /* mistralai/Mistral-7B-v0.1: sliding window of 4096 tokens in every
     * layer */
    {.name = "mistral-7b",
     .layers = 32,
     .heads = 32,
     .kv_heads = 8,
     .head_dim = 128,
     .hidden = 4096,
     .intermediate = 14336,
     .vocab = 32000,
     .dtype_bytes = 2,
     .sliding_window = 4096,
     .window_layers = 32,
     .max_context = 32768,
     .params = 7.24e9,
     .active_params = 7.24e9,
     .weight_bytes = 2},
    /* google/gemma-2-9b: hybrid attention, layers 0, 2, 4, ... see a
     * 4096-token window (21 of 42), the others the whole context; head_dim
     * 256 is not hidden/heads; tied embeddings. The checkpoint is stored in
     * float32; served (and cached) in bf16. */
    {.name = "gemma-2-9b",
     .layers = 42,
     .heads = 16,
     .kv_heads = 8,
     .head_dim = 256,
     .hidden = 3584,
     .intermediate = 14336,
     .vocab = 256000,
     .dtype_bytes = 2,
     .sliding_window = 4096,
     .window_layers = 21,
     .max_context = 8192,
     .params = 9.24e9,
     .active_params = 9.24e9,
     .weight_bytes = 2,
     .tied_embeddings = 1},
    /* google/gemma-2-27b config.json: 46 layers, 32 heads / 16 KV heads,
     * head_dim 128 (not hidden/heads = 144), hidden 4608, intermediate
     * 36864, vocab 256000, 8192 positions, sliding_window 4096 in layers
     * 0, 2, 4, ... (23 of 46: model_type gemma2), tied embeddings;
     * query_pre_attn_scalar 144. 27.2e9 params (model card). */
    {.name = "gemma-2-27b",
     .layers = 46,
     .heads = 32,
     .kv_heads = 16,
     .head_dim = 128,
     .hidden = 4608,
     .intermediate = 36864,
     .vocab = 256000,
     .dtype_bytes = 2,
     .sliding_window = 4096,
     .window_layers = 23,
     .max_context = 8192,
     .params = 27.2e9,
     .active_params = 27.2e9,
     .weight_bytes = 2,
     .tied_embeddings = 1},
    /* Qwen/Qwen3-8B config.json: 36 layers, 32 heads / 8 KV heads,
     * head_dim 128, hidden 4096, intermediate 12288, vocab 151936,
     * max_position_embeddings 40960, use_sliding_window false, untied
     * embeddings. 8.2e9 params (model card: 8.2B, 6.95B non-embedding). */
    {.name = "qwen3-8b",
     .layers = 36,
     .heads = 32,
     .kv_heads = 8,
     .head_dim = 128,
     .hidden = 4096,
     .intermediate = 12288,
     .vocab = 151936,
     .dtype_bytes = 2,
     .max_context = 40960,
     .params = 8.2e9,
     .active_params = 8.2e9,
     .weight_bytes = 2},
    /* Qwen/Qwen3-32B config.json: 64 layers, 64 heads / 8 KV heads,
     * head_dim 128 (64 x 128 = 8192, not hidden 5120), intermediate 25600,
     * vocab 151936, max_position_embeddings 40960, use_sliding_window
     * false, untied embeddings. 32.8e9 params (model card: 32.8B, 31.2B
     * non-embedding). */
    {.name = "qwen3-32b",
     .layers = 64,
     .heads = 64,
     .kv_heads = 8,
     .head_dim = 128,
     .hidden = 5120,
     .intermediate = 25600,
     .vocab = 151936,
     .dtype_bytes = 2,
     .max_context = 40960,
     .params = 32.8e9,
     .active_params = 32.8e9,
     .weight_bytes = 2},
    /* 01-ai/Yi-34B */
    {.name = "yi-34b",
     .layers = 60,
     .heads = 56,
     .kv_heads = 8,
     .head_dim = 128,
     .hidden = 7168,
     .intermediate = 20480,
     .vocab = 64000,
     .dtype_bytes = 2,
     .max_context = 4096,
     .params = 34.4e9,
     .active_params = 34.4e9,
     .weight_bytes = 2},
    /* deepseek-ai/DeepSeek-V3: MLA caches a 512-wide latent plus a 64-wide
     * RoPE key per token and layer; head_dim is the q/k head dim
     * (qk_nope 128 + qk_rope 64); intermediate is the per-expert MoE size.
     * The released checkpoint stores weights in FP8 (e4m3), hence 1 byte. */
    {.name = "deepseek-v3",
     .layers = 61,
     .heads = 128,
     .kv_heads = 128,
     .head_dim = 192,
     .hidden = 7168,
     .intermediate = 2048,
     .vocab = 129280,
     .dtype_bytes = 2,
     .mla_latent = 512,
     .mla_rope = 64,
     .max_context = 163840,
     .params = 671e9,
     .active_params = 37e9,
     .weight_bytes = 1},
};
#define N_PRESETS (sizeof presets / sizeof presets[0])

static const char *const preset_names[] = {"llama-3-8b",  "llama-3.1-8b",
                                           "llama-3-70b", "llama-3.1-70b",
                                           "qwen2.5-7b",  "qwen2.5-72b",
                                           "mistral-7b",  "gemma-2-9b",
                                           "gemma-2-27b", "qwen3-8b",
                                           "qwen3-32b",   "yi-34b",
                                           "deepseek-v3", NULL};

const char *const *kv_model_preset_names(void) {
  return preset_names;
}

kv_status kv_model_preset(const char *name, kv_model *out, kv_error *err) {
  for (size_t i = 0; name && i < N_PRESETS; i++) {
    if (strcasecmp(name, presets[i].name) == 0) {
      *out = presets[i];
      return KV_OK;
    }
  }
  return kv_error_unknown_name(err, "model", name, preset_names);
}

/* ---- Hugging Face config.json ----------------------------------------- */

/* The architecture is read from `root`: the file's top level, or its
 * `text_config` object when the top level has no num_hidden_layers
 * (Llama-4, Gemma-3, Mistral-3 and LLaVA-style multimodal configs, which
 * nest the language model). Errors then name root's fields
 * `text_config.FIELD`. */
typedef struct hf_ctx {
  const char *path;
  json_t *top;     /* the file's top level */
  json_t *root;    /* top, or top's text_config */
  const char *pfx; /* "" or "text_config.": how errors name root's fields */
  kv_error *err;
} hf_ctx;

/* Read an integer field. Returns 1 and sets *v when present (and not
 * null), 0 when absent or null, -1 (error set) when present but not a
 * positive integer that fits 32 bits. */
static int hf_uint(hf_ctx *c, const char *key, uint32_t *v) {
  json_t *j = json_object_get(c->root, key);
  if (!j || json_is_null(j)) return 0;
  if (!json_is_integer(j)) {
    kv_error_set(c->err, KV_EPARSE, "%s: field '%s%s' must be an integer",
                 c->path, c->pfx, key);
    return -1;
  }
  json_int_t x = json_integer_value(j);
  if (x <= 0 || x > (json_int_t)UINT32_MAX) {
    kv_error_set(c->err, KV_EPARSE,
                 "%s: field '%s%s' must be a positive integer (got %lld)",
                 c->path, c->pfx, key, (long long)x);
    return -1;
  }
  *v = (uint32_t)x;
  return 1;
}

static kv_status hf_required(hf_ctx *c, const char *key, uint32_t *v) {
  int r = hf_uint(c, key, v);
  if (r < 0) return c->err ? c->err->code : KV_EPARSE;
  if (r == 0)
    return kv_error_set(c->err, KV_EPARSE, "%s: missing field '%s%s'", c->path,
                        c->pfx, key);
  return KV_OK;
}

/* Optional field: absent/null leaves *v at `dflt`. */
static kv_status hf_optional(hf_ctx *c, const char *key, uint32_t *v,
                             uint32_t dflt) {
  *v = dflt;
  int r = hf_uint(c, key, v);
  if (r < 0) return c->err ? c->err->code : KV_EPARSE;
  return KV_OK;
}

/* Optional integer that may legitimately be 0 (e.g. n_shared_experts). */
static kv_status hf_optional0(hf_ctx *c, const char *key, uint32_t *v) {
  *v = 0;
  json_t *j = json_object_get(c->root, key);
  if (!j || json_is_null(j)) return KV_OK;
  if (!json_is_integer(j) || json_integer_value(j) < 0 ||
      json_integer_value(j) > (json_int_t)UINT32_MAX)
    return kv_error_set(c->err, KV_EPARSE,
                        "%s: field '%s%s' must be a non-negative integer",
                        c->path, c->pfx, key);
  *v = (uint32_t)json_integer_value(j);
  return KV_OK;
}

static uint32_t dtype_size(const char *s) {
  if (!strcasecmp(s, "bfloat16") || !strcasecmp(s, "float16") ||
      !strcasecmp(s, "bf16") || !strcasecmp(s, "fp16") ||
      !strcasecmp(s, "half"))
    return 2;
  if (!strcasecmp(s, "float32") || !strcasecmp(s, "fp32") ||
      !strcasecmp(s, "float"))
    return 4;
  if (strstr(s, "float8") || strstr(s, "fp8") || strstr(s, "FP8")) return 1;
  return 0;
}

/* What the parameter estimate needs besides kv_model's fields. */
typedef struct hf_arch {
  int tied;             /* the LM head is the embedding matrix */
  int qkv_bias, o_bias; /* attention biases (not for MLA) */
  uint32_t layer_norms; /* hidden-wide norm weights per layer */
  int qk_norm;          /* q_norm and k_norm (head_dim each) per layer */
  uint32_t q_lora, qk_nope, v_head; /* MLA */
  uint32_t routed, per_tok;         /* routed experts, top-k; 0 = dense */
  uint32_t shared;       /* shared experts of moe_inter each, unless ... */
  uint32_t shared_inter; /* ... one shared expert of this size (Qwen2-MoE) */
  uint32_t moe_inter;    /* one routed expert's MLP size */
  uint32_t dense_inter;  /* the dense layers' MLP size */
  uint32_t first_dense;  /* the first k layers are dense (DeepSeek) */
  uint32_t moe_step;     /* past them layer i is MoE when (i+1) % step == 0 */
  int shared_gate;       /* a hidden x 1 gate on the shared expert */
} hf_arch;

/* Parameter estimate from the geometry: every weight the transformers
 * model class creates, so the Llama family comes out exact.
 *   embeddings: vocab x hidden, twice when the LM head is untied;
 *   final norm: hidden;
 *   per layer, attention: q, k, v, o = 2 hidden x heads x head_dim +
 *     2 hidden x kv_heads x head_dim, with q/k/v biases heads x head_dim +
 *     2 kv_heads x head_dim and an o bias hidden where the model has them;
 *     MLA: q (LoRA or not), the kv down/up projections and o, no biases;
 *   per layer, norms: layer_norms x hidden (2; Gemma-2/3: 4), q_norm and
 *     k_norm of head_dim (Qwen3, Gemma-3); MLA: + kv_a_layernorm
 *     (kv_lora_rank) and q_a_layernorm (q_lora_rank, when set);
 *   a dense layer's MLP: 3 x hidden x dense_inter (gate, up, down);
 *   a MoE layer's MLP: routed experts of 3 x hidden x moe_inter, the shared
 *     expert(s), the router hidden x routed and a shared-expert gate
 *     (hidden); the active count has per_tok routed experts instead.
 * MoE layers: those i >= first_dense with (i+1) % moe_step == 0. */
static void estimate_params(const kv_model *m, const hf_arch *a, double *total,
                            double *active) {
  double h = m->hidden, nh = m->heads, hd = m->head_dim, kvh = m->kv_heads;
  double attn, norms = a->layer_norms * h;
  if (m->mla_latent) {
    double qk = (double)a->qk_nope + m->mla_rope;
    double q =
        a->q_lora ? h * a->q_lora + (double)a->q_lora * nh * qk : h * nh * qk;
    double kv = h * (m->mla_latent + m->mla_rope) +
                (double)m->mla_latent * nh * (a->qk_nope + a->v_head);
    attn = q + kv + nh * a->v_head * h;
    norms += (double)m->mla_latent + a->q_lora;
  } else {
    attn = 2.0 * h * nh * hd + 2.0 * h * kvh * hd;
    if (a->qkv_bias) attn += nh * hd + 2.0 * kvh * hd;
    if (a->o_bias) attn += h;
    if (a->qk_norm) norms += 2.0 * hd;
  }
  /* layers i in [first_dense, L) with (i+1) % step == 0: the multiples of
   * step in (first_dense, L] */
  uint32_t L = m->layers, step = a->moe_step ? a->moe_step : 1;
  uint32_t n_moe = a->routed ? L / step - KV_MIN(a->first_dense, L) / step : 0;
  double base = (double)m->vocab * h * (a->tied ? 1.0 : 2.0) + h +
                (double)L * (attn + norms) +
                (double)(L - n_moe) * 3.0 * h * a->dense_inter;
  double t = base, act = base;
  if (n_moe) {
    double expert = 3.0 * h * a->moe_inter;
    double shared =
        a->shared_inter ? 3.0 * h * a->shared_inter : a->shared * expert;
    double fixed = shared + h * a->routed + (a->shared_gate ? h : 0.0);
    t += n_moe * (a->routed * expert + fixed);
    act += n_moe * (a->per_tok * expert + fixed);
  }
  *total = t;
  *active = act;
}

static void name_from_path(const char *path, const json_t *root, char *out,
                           size_t cap) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  size_t len = strlen(base);
  const char *dot = strrchr(base, '.');
  if (dot && dot != base) len = (size_t)(dot - base);
  if (len && !(len == 6 && strncmp(base, "config", 6) == 0)) {
    snprintf(out, cap, "%.*s", (int)len, base);
    return;
  }
  json_t *mt = json_object_get(root, "model_type");
  if (json_is_string(mt) && json_string_length(mt) > 0)
    snprintf(out, cap, "%s", json_string_value(mt));
  else
    snprintf(out, cap, "%s", len ? "config" : "model");
}

/* model_type of root (text_config's, e.g. gemma3_text), else of the top
 * level (gemma3), or "" when neither is a string. */
static const char *hf_model_type(const hf_ctx *c) {
  json_t *mt = json_object_get(c->root, "model_type");
  if (!json_is_string(mt)) mt = json_object_get(c->top, "model_type");
  return json_is_string(mt) ? json_string_value(mt) : "";
}

static int type_is(const char *type, const char *const *names) {
  for (; *names; names++)
    if (strcmp(type, *names) == 0) return 1;
  return 0;
}

/* Optional boolean: 1 / 0, or `dflt` when absent or null; -1 (error set)
 * when present but not a boolean. */
static int hf_bool(hf_ctx *c, const char *key, int dflt) {
  json_t *j = json_object_get(c->root, key);
  if (!j || json_is_null(j)) return dflt;
  if (!json_is_boolean(j)) {
    kv_error_set(c->err, KV_EPARSE, "%s: field '%s%s' must be true or false",
                 c->path, c->pfx, key);
    return -1;
  }
  return json_is_true(j);
}

/* Sliding windows, as transformers applies them. The window is
 * `sliding_window` (null/absent: none); which layers use it, first rule
 * that applies:
 *   use_sliding_window false            -> none (Qwen2 family);
 *   layer_types (one entry per layer)   -> the "sliding_attention" ones;
 *   Qwen2/Qwen3 family without use_sliding_window -> none (their default);
 *   use_sliding_window true             -> layers >= max_window_layers
 *                                          (default 28, as Qwen2Config);
 *   sliding_window_pattern N            -> all but every N-th layer
 *                                          (Gemma-3, Cohere2);
 *   model_type gemma2                   -> layers 0, 2, 4, ...: ceil(L/2);
 *   model_type gemma3 / gemma3_text     -> pattern 6 (their default);
 *   otherwise (Mistral)                 -> every layer.
 * No windowed layer leaves sliding_window 0 (kv_model: window_layers 0 with
 * a window would mean every layer). */
static kv_status hf_windows(hf_ctx *c, kv_model *m) {
  static const char *const qwen[] = {"qwen2", "qwen2_moe", "qwen3", "qwen3_moe",
                                     NULL};
  static const char *const gemma3[] = {"gemma3", "gemma3_text", NULL};
  kv_status st;
  uint32_t win, L = m->layers, nw = L;
  if ((st = hf_optional0(c, "sliding_window", &win))) return st;
  int use = hf_bool(c, "use_sliding_window", -2); /* -2: absent */
  if (use == -1) return c->err ? c->err->code : KV_EPARSE;
  const char *type = hf_model_type(c);

  json_t *lt = json_object_get(c->root, "layer_types");
  if (lt && !json_is_null(lt)) {
    if (!json_is_array(lt))
      return kv_error_set(c->err, KV_EPARSE,
                          "%s: field '%slayer_types' must be a list of strings",
                          c->path, c->pfx);
    if (json_array_size(lt) != L)
      return kv_error_set(c->err, KV_EPARSE,
                          "%s: field '%slayer_types' has %zu entries but "
                          "'%snum_hidden_layers' is %u",
                          c->path, c->pfx, json_array_size(lt), c->pfx, L);
    nw = 0;
    for (size_t i = 0; i < L; i++) {
      json_t *e = json_array_get(lt, i);
      const char *v = json_is_string(e) ? json_string_value(e) : NULL;
      if (v && strcmp(v, "sliding_attention") == 0)
        nw++;
      else if (!v || strcmp(v, "full_attention") != 0)
        return kv_error_set(c->err, KV_EPARSE,
                            "%s: field '%slayer_types' entry %zu is %s%s%s "
                            "(expected \"sliding_attention\" or "
                            "\"full_attention\")",
                            c->path, c->pfx, i, v ? "'" : "",
                            v ? v : "not a string", v ? "'" : "");
    }
  } else if (use == 0 || (use == -2 && type_is(type, qwen))) {
    nw = 0;
  } else if (use == 1) {
    uint32_t first = 28;
    json_t *j = json_object_get(c->root, "max_window_layers");
    if (j && !json_is_null(j) &&
        (st = hf_optional0(c, "max_window_layers", &first)))
      return st;
    nw = L - KV_MIN(first, L);
  } else {
    uint32_t every = 0;
    if ((st = hf_optional(c, "sliding_window_pattern", &every, 0))) return st;
    if (!every && type_is(type, gemma3)) every = 6;
    if (every)
      nw = L - L / every;
    else if (strcmp(type, "gemma2") == 0)
      nw = (L + 1) / 2;
  }
  if (use == 0 || win == 0 || nw == 0) win = nw = 0;
  m->sliding_window = win;
  m->window_layers = nw;
  return KV_OK;
}

/* tie_word_embeddings; when absent, the default of the model's config class
 * in transformers: false for the Llama (Llama-4 included), Mistral, Qwen and
 * DeepSeek families, true otherwise (PretrainedConfig, Gemma). */
static kv_status hf_tied(hf_ctx *c, int *tied) {
  static const char *const untied[] = {
      "llama",       "llama4",    "llama4_text", "mistral",   "mixtral",
      "qwen2",       "qwen2_moe", "qwen3",       "qwen3_moe", "deepseek_v2",
      "deepseek_v3", "phi3",      NULL};
  *tied = hf_bool(c, "tie_word_embeddings", !type_is(hf_model_type(c), untied));
  return *tied < 0 ? (c->err ? c->err->code : KV_EPARSE) : KV_OK;
}

/* torch_dtype (older) or dtype (newer transformers): root's, else (root
 * being text_config) the top level's. Absent: bf16. */
static kv_status hf_dtype(hf_ctx *c, uint32_t *bytes) {
  static const char *const keys[] = {"torch_dtype", "dtype"};
  json_t *const objs[] = {c->root, c->top};
  *bytes = 2;
  for (int o = 0; o < (c->root == c->top ? 1 : 2); o++)
    for (int k = 0; k < 2; k++) {
      json_t *dt = json_object_get(objs[o], keys[k]);
      if (!dt || json_is_null(dt)) continue;
      if (!json_is_string(dt) || !(*bytes = dtype_size(json_string_value(dt))))
        return kv_error_set(c->err, KV_EPARSE,
                            "%s: field '%s%s' has an unknown dtype (expected "
                            "bfloat16, float16, float32 or a float8 type)",
                            c->path, o ? "" : c->pfx, keys[k]);
      return KV_OK;
    }
  return KV_OK;
}

/* Which layers are MoE and what their experts look like, by family:
 *   Llama-4 (llama4_text): one shared expert of intermediate_size in each
 *     MoE layer; layer i is MoE when (i+1) % interleave_moe_layer_step == 0
 *     (default 1: every layer), the others dense with
 *     intermediate_size_mlp;
 *   Qwen2-MoE / Qwen3-MoE: the same rule with decoder_sparse_step, dense
 *     layers of intermediate_size; Qwen2-MoE gates its shared expert
 *     (hidden x 1);
 *   DeepSeek: the first first_k_dense_replace layers dense. */
static kv_status hf_moe(hf_ctx *c, const char *type, hf_arch *a) {
  static const char *const llama4[] = {"llama4_text", "llama4", NULL};
  static const char *const qwen_moe[] = {"qwen2_moe", "qwen3_moe", NULL};
  kv_status st;
  if ((st = hf_optional0(c, "n_routed_experts", &a->routed))) return st;
  if (!a->routed && (st = hf_optional0(c, "num_local_experts", &a->routed)))
    return st;
  if (!a->routed && (st = hf_optional0(c, "num_experts", &a->routed)))
    return st;
  if ((st = hf_optional0(c, "num_experts_per_tok", &a->per_tok)) ||
      (st = hf_optional0(c, "n_shared_experts", &a->shared)) ||
      (st = hf_optional0(c, "shared_expert_intermediate_size",
                         &a->shared_inter)) ||
      (st = hf_optional0(c, "first_k_dense_replace", &a->first_dense)) ||
      (st = hf_optional(c, "moe_intermediate_size", &a->moe_inter,
                        a->dense_inter)))
    return st;
  if (a->routed && !a->per_tok) a->per_tok = a->routed;
  if (!a->routed) return KV_OK;
  if (type_is(type, llama4)) {
    a->shared = 1;
    if ((st = hf_optional(c, "interleave_moe_layer_step", &a->moe_step, 1)))
      return st;
    int r = hf_uint(c, "intermediate_size_mlp", &a->dense_inter);
    if (r < 0) return c->err ? c->err->code : KV_EPARSE;
    /* needed only when some layers are dense */
    if (r == 0 && a->moe_step > 1 &&
        (st = hf_required(c, "intermediate_size_mlp", &a->dense_inter)))
      return st;
  } else if (type_is(type, qwen_moe)) {
    if ((st = hf_optional(c, "decoder_sparse_step", &a->moe_step, 1)))
      return st;
    a->shared_gate = strcmp(type, "qwen2_moe") == 0;
  }
  return KV_OK;
}

static kv_status hf_fill(hf_ctx *c, kv_model *m) {
  kv_status st;
  memset(m, 0, sizeof *m);
  name_from_path(c->path, c->top, m->name, sizeof m->name);
  if ((st = hf_required(c, "num_hidden_layers", &m->layers)) ||
      (st = hf_required(c, "num_attention_heads", &m->heads)) ||
      (st = hf_required(c, "hidden_size", &m->hidden)) ||
      (st = hf_required(c, "intermediate_size", &m->intermediate)) ||
      (st = hf_required(c, "vocab_size", &m->vocab)) ||
      (st = hf_required(c, "max_position_embeddings", &m->max_context)) ||
      (st = hf_optional(c, "num_key_value_heads", &m->kv_heads, m->heads)))
    return st;

  /* MLA (DeepSeek-V2/V3): latent + decoupled RoPE key per token */
  hf_arch a = {.layer_norms = 2, .moe_step = 1};
  if ((st = hf_optional0(c, "kv_lora_rank", &m->mla_latent)) ||
      (st = hf_optional0(c, "qk_rope_head_dim", &m->mla_rope)) ||
      (st = hf_optional0(c, "qk_nope_head_dim", &a.qk_nope)) ||
      (st = hf_optional0(c, "v_head_dim", &a.v_head)) ||
      (st = hf_optional0(c, "q_lora_rank", &a.q_lora)))
    return st;
  if (!m->mla_latent) m->mla_rope = 0;

  uint32_t dflt_hd = m->hidden / m->heads;
  if (m->mla_latent && a.qk_nope) dflt_hd = a.qk_nope + m->mla_rope;
  if ((st = hf_optional(c, "head_dim", &m->head_dim, dflt_hd))) return st;
  if (m->head_dim == 0)
    return kv_error_set(c->err, KV_EPARSE,
                        "%s: field '%shead_dim' is absent and hidden_size %u / "
                        "num_attention_heads %u rounds to 0",
                        c->path, c->pfx, m->hidden, m->heads);
  if (!a.v_head) a.v_head = m->head_dim;
  if (!a.qk_nope && m->mla_latent) a.qk_nope = m->head_dim;

  if ((st = hf_dtype(c, &m->dtype_bytes))) return st;
  m->weight_bytes = m->dtype_bytes;
  json_t *q = json_object_get(c->root, "quantization_config");
  if (!json_is_object(q)) q = json_object_get(c->top, "quantization_config");
  if (json_is_object(q)) {
    json_t *qm = json_object_get(q, "quant_method");
    json_t *fmt = json_object_get(q, "fmt");
    if ((json_is_string(qm) && dtype_size(json_string_value(qm)) == 1) ||
        (json_is_string(fmt) &&
         strncmp(json_string_value(fmt), "e4m3", 4) == 0))
      m->weight_bytes = 1;
  }

  if ((st = hf_windows(c, m))) return st;

  /* parameters: published count when present, else estimated */
  static const char *const norms4[] = {"gemma2", "gemma3", "gemma3_text", NULL};
  static const char *const qk_norm[] = {"qwen3", "qwen3_moe", "gemma3",
                                        "gemma3_text", NULL};
  static const char *const qwen2[] = {"qwen2", "qwen2_moe", NULL};
  const char *type = hf_model_type(c);
  int bias = hf_bool(c, "attention_bias", 0);
  if (bias < 0) return c->err ? c->err->code : KV_EPARSE;
  /* Qwen2 has q/k/v biases and no attention_bias key; elsewhere the key
   * puts a bias on all four projections */
  a.qkv_bias = bias || type_is(type, qwen2);
  a.o_bias = bias && !type_is(type, qwen2);
  if (type_is(type, norms4)) a.layer_norms = 4;
  a.qk_norm = type_is(type, qk_norm);
  a.dense_inter = m->intermediate;
  if ((st = hf_moe(c, type, &a)) || (st = hf_tied(c, &a.tied))) return st;
  double total, active;
  estimate_params(m, &a, &total, &active);
  /* the struct's intermediate is per expert for MoE models */
  if (a.routed) m->intermediate = a.moe_inter;
  m->moe_experts = a.routed;
  m->moe_topk = a.routed ? a.per_tok : 0;
  m->tied_embeddings = a.tied ? 1 : 0;
  m->params = total;
  m->active_params = active;
  json_t *np = json_object_get(c->root, "num_parameters");
  if (json_is_number(np) && json_number_value(np) > 0) {
    m->params = json_number_value(np);
    if (!a.routed) m->active_params = m->params;
  }
  if ((st = kv_model_validate(m, c->err)) != KV_OK)
    kv_error_prefix(c->err, "%s: ", c->path);
  return st;
}

kv_status kv_model_from_hf_config(const char *path, kv_model *out,
                                  kv_error *err) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return kv_error_set(err, KV_EIO, "%s: cannot open: %s", path,
                        strerror(errno));
  json_error_t je;
  json_t *root = json_loadf(f, 0, &je);
  fclose(f);
  if (!root)
    return kv_error_set(err, KV_EPARSE, "%s:%d:%d: %s", path, je.line,
                        je.column, je.text);
  if (!json_is_object(root)) {
    json_decref(root);
    return kv_error_set(err, KV_EPARSE, "%s: top level is not a JSON object",
                        path);
  }
  hf_ctx c = {.path = path, .top = root, .root = root, .pfx = "", .err = err};
  /* multimodal configs nest the language model */
  json_t *layers = json_object_get(root, "num_hidden_layers");
  json_t *text = json_object_get(root, "text_config");
  if ((!layers || json_is_null(layers)) && json_is_object(text)) {
    c.root = text;
    c.pfx = "text_config.";
  }
  kv_model m;
  kv_status st = hf_fill(&c, &m);
  json_decref(root);
  if (st == KV_OK) *out = m;
  return st;
}

/* ---- validation and formulas ------------------------------------------ */

#define CHECK_RANGE(field, lo, hi)                                             \
  do {                                                                         \
    if ((uint64_t)m->field < (uint64_t)(lo) ||                                 \
        (uint64_t)m->field > (uint64_t)(hi))                                   \
      return kv_error_set(err, KV_EINVAL,                                      \
                          "model field '" #field                               \
                          "' must be in [%llu, %llu] (got %llu)",              \
                          (unsigned long long)(lo), (unsigned long long)(hi),  \
                          (unsigned long long)m->field);                       \
  } while (0)

kv_status kv_model_validate(const kv_model *m, kv_error *err) {
  if (!m) return kv_error_set(err, KV_EINVAL, "model is NULL");
  if (m->name[0] == '\0' || !memchr(m->name, '\0', sizeof m->name))
    return kv_error_set(err, KV_EINVAL, "model field 'name' must be set");
  CHECK_RANGE(layers, 1, 1000);
  CHECK_RANGE(heads, 1, 4096);
  CHECK_RANGE(kv_heads, 1, m->heads);
  if (m->heads % m->kv_heads)
    return kv_error_set(err, KV_EINVAL,
                        "model field 'kv_heads' (%u) must divide 'heads' (%u)",
                        m->kv_heads, m->heads);
  CHECK_RANGE(head_dim, 1, 4096);
  CHECK_RANGE(hidden, 1, 1u << 20);
  CHECK_RANGE(intermediate, 1, 1u << 22);
  CHECK_RANGE(vocab, 1, 1u << 24);
  if (m->dtype_bytes != 1 && m->dtype_bytes != 2 && m->dtype_bytes != 4)
    return kv_error_set(err, KV_EINVAL,
                        "model field 'dtype_bytes' must be 1, 2 or 4 (got %u)",
                        m->dtype_bytes);
  if (m->weight_bytes != 1 && m->weight_bytes != 2 && m->weight_bytes != 4)
    return kv_error_set(err, KV_EINVAL,
                        "model field 'weight_bytes' must be 1, 2 or 4 (got %u)",
                        m->weight_bytes);
  CHECK_RANGE(mla_latent, 0, 65536);
  if (m->mla_latent) {
    CHECK_RANGE(mla_rope, 0, 4096);
  } else if (m->mla_rope) {
    return kv_error_set(err, KV_EINVAL,
                        "model field 'mla_rope' must be 0 when 'mla_latent' "
                        "is 0 (got %u)",
                        m->mla_rope);
  }
  CHECK_RANGE(max_context, 1, 1u << 30);
  CHECK_RANGE(sliding_window, 0, 1u << 30);
  CHECK_RANGE(window_layers, 0, m->layers);
  if (m->window_layers && !m->sliding_window)
    return kv_error_set(err, KV_EINVAL,
                        "model field 'window_layers' (%u) needs a "
                        "'sliding_window' > 0",
                        m->window_layers);
  if (!(m->params > 0) || !isfinite(m->params) || m->params > 1e14)
    return kv_error_set(err, KV_EINVAL,
                        "model field 'params' must be in (0, 1e14] (got %g)",
                        m->params);
  if (!(m->active_params > 0) || !(m->active_params <= m->params))
    return kv_error_set(err, KV_EINVAL,
                        "model field 'active_params' must be in (0, params "
                        "= %g] (got %g)",
                        m->params, m->active_params);
  CHECK_RANGE(tied_embeddings, 0, 1);
  CHECK_RANGE(moe_experts, 0, 65536);
  if (m->moe_experts) {
    CHECK_RANGE(moe_topk, 1, m->moe_experts);
  } else if (m->moe_topk || m->moe_imbalance) {
    return kv_error_set(err, KV_EINVAL,
                        "model fields 'moe_topk' and 'moe_imbalance' "
                        "need 'moe_experts' > 0 (got %u, %g)",
                        m->moe_topk, m->moe_imbalance);
  }
  if (m->moe_imbalance != 0 &&
      !(m->moe_imbalance >= 1 &&
        m->moe_imbalance <= (double)m->moe_experts / m->moe_topk))
    return kv_error_set(err, KV_EINVAL,
                        "model field 'moe_imbalance' must be 0 or in [1, "
                        "moe_experts / moe_topk = %g] (got %g)",
                        (double)m->moe_experts / m->moe_topk, m->moe_imbalance);
  return KV_OK;
}

uint64_t kv_model_kv_bytes_per_token_layer(const kv_model *m) {
  if (m->mla_latent)
    return (uint64_t)(m->mla_latent + m->mla_rope) * m->dtype_bytes;
  return 2ull * m->kv_heads * m->head_dim * m->dtype_bytes;
}

uint64_t kv_model_kv_bytes_per_token(const kv_model *m) {
  return kv_model_kv_bytes_per_token_layer(m) * m->layers;
}

uint32_t kv_model_window_layers(const kv_model *m) {
  if (!m->sliding_window) return 0;
  return m->window_layers ? KV_MIN(m->window_layers, m->layers) : m->layers;
}

uint64_t kv_model_window_tokens(const kv_model *m, uint64_t tokens) {
  if (m->sliding_window && tokens > m->sliding_window) return m->sliding_window;
  return tokens;
}

uint64_t kv_model_kv_bytes(const kv_model *m, uint64_t tokens) {
  uint64_t lw = kv_model_window_layers(m), lf = m->layers - lw;
  return (lf * tokens + lw * kv_model_window_tokens(m, tokens)) *
         kv_model_kv_bytes_per_token_layer(m);
}

double kv_model_weight_bytes(const kv_model *m) {
  return m->params * m->weight_bytes;
}

/* One routed expert's parameters over every MoE layer (0 = dense, or every
 * expert active for every token). */
static double expert_params(const kv_model *m) {
  if (!m->moe_experts || m->moe_topk >= m->moe_experts) return 0;
  return (m->params - m->active_params) / (m->moe_experts - m->moe_topk);
}

/* Experts per layer `tokens` tokens touch, expected under uniform top-k. */
static double experts_touched(const kv_model *m, double tokens) {
  double e = m->moe_experts, miss = 1.0 - (double)m->moe_topk / e;
  return e * (1.0 - pow(miss, tokens));
}

double kv_model_embed_params(const kv_model *m) {
  double vh = (double)m->vocab * m->hidden;
  if (m->tied_embeddings || !(2.0 * vh < m->active_params)) return 0;
  return vh;
}

double kv_model_step_weight_bytes(const kv_model *m, double tokens) {
  double x = expert_params(m), read = m->params - kv_model_embed_params(m);
  if (x <= 0 || !(tokens > 0)) return read * m->weight_bytes;
  double untouched = m->moe_experts - experts_touched(m, tokens);
  return (read - untouched * x) * m->weight_bytes;
}

/* Attention FLOPs per (query token, key token) pair and layer:
 * standard attention: QK^T and PV each 2*head_dim per head -> 4*heads*hd;
 * MLA in its absorbed form (what decode kernels run): scores over the
 * latent + RoPE key (2*(latent+rope) per head), values from the latent
 * (2*latent per head). */
double kv_model_attn_flops(const kv_model *m, double attn_pairs) {
  double per_pair;
  if (m->mla_latent)
    per_pair = 2.0 * m->heads * (2.0 * m->mla_latent + m->mla_rope);
  else
    per_pair = 4.0 * m->heads * m->head_dim;
  return (double)m->layers * per_pair * attn_pairs;
}

double kv_model_flops(const kv_model *m, double new_tokens, double logits,
                      double attn_pairs) {
  /* the LM head (vocab x hidden) and the input table, when the GEMMs can
   * be told from them (see kv_model_embed_params) */
  double embed = kv_model_embed_params(m), head = (double)m->vocab * m->hidden;
  if (!(head + embed < m->active_params)) head = embed = 0;
  double x = expert_params(m),
         gemm = 2.0 * (m->active_params - embed - head) * new_tokens +
                2.0 * head * logits;
  if (x > 0 && m->moe_imbalance > 1 && new_tokens > 0) {
    /* the touched experts at the busiest one's load instead of the mean */
    double touched = experts_touched(m, new_tokens);
    double mean = new_tokens * m->moe_topk / touched;
    double busiest = fmin(new_tokens, m->moe_imbalance * mean);
    gemm += 2.0 * x * touched * (busiest - mean);
  }
  return gemm + kv_model_attn_flops(m, attn_pairs);
}
