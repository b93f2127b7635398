/* test_model.c - model presets, the Hugging Face config.json reader,
 * validation and the KV-size / FLOP formulas (core/inputs/model.c). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model.h"

#define DATA KVSIM_SOURCE_DIR "/tests/data/"

static kv_model preset(const char *name) {
  kv_model m;
  kv_error e = {0};
  cr_assert_eq(kv_model_preset(name, &m, &e), KV_OK, "%s: %s", name, e.msg);
  return m;
}

static kv_model hf(const char *file) {
  kv_model m;
  kv_error e = {0};
  cr_assert_eq(kv_model_from_hf_config(file, &m, &e), KV_OK, "%s: %s", file,
               e.msg);
  return m;
}

static void assert_rel(double got, double want, double tol, const char *what) {
  cr_assert(fabs(got - want) <= tol * fabs(want),
            "%s: got %g, want %g within %g%%", what, got, want, tol * 100);
}

Test(model_preset, llama3_8b_costs_128_kib_per_token) {
  kv_model m = preset("llama-3-8b");
  cr_assert_eq(kv_model_kv_bytes_per_token(&m), 131072);
  cr_assert_eq(kv_model_kv_bytes_per_token_layer(&m), 4096);
  cr_assert_eq(kv_model_kv_bytes(&m, 1000), 1000ull * 131072);
}

Test(model_preset, published_kv_sizes_of_gqa_models) {
  /* 2 (K,V) * kv_heads * head_dim * 2 bytes * layers */
  kv_model m = preset("llama-3-70b");
  cr_assert_eq(kv_model_kv_bytes_per_token(&m), 327680); /* 320 KiB */
  m = preset("qwen2.5-7b");
  cr_assert_eq(kv_model_kv_bytes_per_token(&m), 57344); /* 56 KiB */
  m = preset("qwen2.5-72b");
  cr_assert_eq(kv_model_kv_bytes_per_token(&m), 327680);
  m = preset("yi-34b");
  cr_assert_eq(kv_model_kv_bytes_per_token(&m), 245760); /* 240 KiB */
}

Test(model_preset, deepseek_v3_caches_the_mla_latent) {
  kv_model m = preset("deepseek-v3");
  cr_assert_eq(m.layers, 61);
  cr_assert_eq(kv_model_kv_bytes_per_token_layer(&m), (512 + 64) * 2);
  cr_assert_eq(kv_model_kv_bytes_per_token(&m), (512 + 64) * 2 * 61);
  cr_assert_eq(m.params, 671e9);
  cr_assert_eq(m.active_params, 37e9);
}

Test(model_preset, mistral_sliding_window_caps_kv_bytes) {
  kv_model m = preset("mistral-7b");
  cr_assert_eq(m.sliding_window, 4096);
  cr_assert_eq(m.window_layers, 32, "every layer, explicitly");
  uint64_t tok = kv_model_kv_bytes_per_token(&m);
  cr_assert_eq(kv_model_kv_bytes(&m, 100), 100 * tok);
  cr_assert_eq(kv_model_kv_bytes(&m, 4096), 4096 * tok);
  cr_assert_eq(kv_model_kv_bytes(&m, 20000), 4096 * tok);
  kv_model full = preset("llama-3-8b");
  cr_assert_eq(kv_model_kv_bytes(&full, 20000), 20000 * tok);
}

/* google/gemma-2-9b: 2 * 8 KV heads * 256 * 2 B = 8192 B per token and
 * layer; 21 of 42 layers see a 4096-token window. */
Test(model_preset, gemma2_9b_is_hybrid_half_windowed) {
  kv_model m = preset("gemma-2-9b");
  cr_assert_eq(m.layers, 42);
  cr_assert_eq(m.head_dim, 256);
  cr_assert_eq(m.sliding_window, 4096);
  cr_assert_eq(m.window_layers, 21);
  cr_assert_eq(kv_model_window_layers(&m), 21);
  cr_assert_eq(kv_model_kv_bytes_per_token_layer(&m), 8192);
  cr_assert_eq(kv_model_kv_bytes_per_token(&m), 42 * 8192);
  cr_assert_eq(m.max_context, 8192);
  cr_assert_eq(m.params, 9.24e9);
  /* 8100 tokens: 21 full layers hold 8100, 21 windowed layers 4096:
   * (21 * 8100 + 21 * 4096) * 8192 = 256,116 * 8192 = 2,098,102,272 B */
  cr_assert_eq(kv_model_kv_bytes(&m, 8100), 2098102272ull);
  cr_assert_eq(kv_model_kv_bytes(&m, 4096), 42ull * 4096 * 8192);
}

Test(model_preset, llama31_has_llama3_geometry_and_128k_context) {
  kv_model a = preset("llama-3.1-8b"), b = preset("llama-3-8b");
  cr_assert_eq(a.max_context, 131072);
  cr_assert_eq(a.params, 8.03e9);
  cr_assert_eq(kv_model_kv_bytes_per_token(&a),
               kv_model_kv_bytes_per_token(&b));
  cr_assert_eq(a.window_layers, 0);
  kv_model c = preset("llama-3.1-70b"), d = preset("llama-3-70b");
  cr_assert_eq(c.max_context, 131072);
  cr_assert_eq(c.params, 70.6e9);
  cr_assert_eq(kv_model_kv_bytes_per_token(&c),
               kv_model_kv_bytes_per_token(&d));
  cr_assert_eq(c.layers, d.layers);
  cr_assert_eq(c.hidden, d.hidden);
}

Test(model_preset, names_are_case_insensitive) {
  kv_model a = preset("LLaMA-3-8B"), b = preset("llama-3-8b");
  cr_assert_str_eq(a.name, "llama-3-8b");
  cr_assert_eq(memcmp(&a, &b, sizeof a), 0);
}

Test(model_preset, every_preset_is_valid_and_listed) {
  const char *const *names = kv_model_preset_names();
  size_t n = 0;
  for (; names[n]; n++) {
    kv_model m = preset(names[n]);
    kv_error e = {0};
    cr_assert_eq(kv_model_validate(&m, &e), KV_OK, "%s: %s", names[n], e.msg);
    cr_assert_str_eq(m.name, names[n]);
  }
  cr_assert_eq(n, 13);
}

/* Section 4 of issue 15: geometry from each published config.json, KV
 * bytes per token = 2 * layers * kv_heads * head_dim * 2 (bf16). */
Test(model_preset, qwen3_gemma2_27b_and_llama31_from_their_configs) {
  kv_model m = preset("qwen3-8b");
  cr_assert_eq(m.layers, 36);
  cr_assert_eq(kv_model_kv_bytes_per_token(&m), 2ull * 36 * 8 * 128 * 2);
  cr_assert_eq(m.max_context, 40960);
  m = preset("qwen3-32b");
  cr_assert_eq(m.heads * m.head_dim, 8192); /* not hidden (5120) */
  cr_assert_eq(kv_model_kv_bytes_per_token(&m), 2ull * 64 * 8 * 128 * 2);
  m = preset("gemma-2-27b");
  cr_assert_eq(kv_model_kv_bytes_per_token(&m), 2ull * 46 * 16 * 128 * 2);
  cr_assert_eq(m.sliding_window, 4096);
  cr_assert_eq(kv_model_window_layers(&m), 23); /* layers 0, 2, ..., 44 */
  /* the hybrid window: past 4096 tokens only the 23 full layers grow */
  uint64_t per_layer = 2ull * 16 * 128 * 2;
  cr_assert_eq(kv_model_kv_bytes(&m, 8192),
               per_layer * (23 * 8192 + 23 * 4096));
  m = preset("llama-3.1-8b");
  cr_assert_eq(m.max_context, 131072);
  m = preset("llama-3.1-70b");
  cr_assert_eq(m.max_context, 131072);
  /* parameter counts within 3 % of the geometry (the HF reader's
   * estimate: embeddings, attention, a gated MLP) */
  const char *names[] = {"qwen3-8b", "qwen3-32b", "gemma-2-27b"};
  const int tied[] = {0, 0, 1};
  for (int i = 0; i < 3; i++) {
    m = preset(names[i]);
    double emb = (double)m.vocab * m.hidden * (tied[i] ? 1 : 2);
    double attn =
        (double)m.hidden * m.head_dim * (2.0 * m.heads + 2.0 * m.kv_heads);
    double mlp = 3.0 * m.hidden * m.intermediate;
    double est = emb + m.layers * (attn + mlp);
    cr_assert(fabs(est / m.params - 1) < 0.03, "%s: %g vs %g", names[i], est,
              m.params);
  }
}

Test(model_preset, unknown_name_lists_valid_names) {
  kv_model m;
  kv_error e = {0};
  cr_assert_eq(kv_model_preset("llama-4-8b", &m, &e), KV_ENOTFOUND);
  cr_assert(strstr(e.msg, "'llama-4-8b'"), "%s", e.msg);
  cr_assert(strstr(e.msg, "llama-3-8b"), "%s", e.msg);
  cr_assert(strstr(e.msg, "deepseek-v3"), "%s", e.msg);
  cr_assert_eq(kv_model_preset(NULL, &m, &e), KV_ENOTFOUND);
}

Test(model_formula, weight_bytes_and_flops) {
  kv_model m = preset("llama-3-8b");
  cr_assert_eq(kv_model_weight_bytes(&m), 8.03e9 * 2);
  /* untied: the input table (vocab x hidden) is a lookup; the LM head
   * runs on the logits tokens only */
  double vh = 128256.0 * 4096;
  cr_assert_eq(kv_model_embed_params(&m), vh);
  assert_rel(kv_model_flops(&m, 10, 10, 0), 2 * (8.03e9 - vh) * 10, 1e-12,
             "every token's logits");
  assert_rel(kv_model_flops(&m, 10, 1, 0), 2 * (8.03e9 - 2 * vh) * 10 + 2 * vh,
             1e-12, "one prefill");
  cr_assert_eq(kv_model_flops(&m, 0, 0, 1000), 4.0 * 32 * 32 * 128 * 1000);
  assert_rel(kv_model_step_weight_bytes(&m, 1), (8.03e9 - vh) * 2, 1e-12,
             "the input table is not read whole");
  kv_model d = preset("deepseek-v3");
  cr_assert_eq(kv_model_weight_bytes(&d), 671e9); /* FP8 checkpoint */
  /* absorbed MLA: 2*(latent+rope) for scores + 2*latent for values */
  cr_assert_eq(kv_model_flops(&d, 0, 0, 1), 61.0 * 128 * 2 * (2 * 512 + 64));
}

/* Tied embeddings (Gemma): the one table is the LM head, read whole and
 * multiplied for the logits tokens only; a hand-made model without a
 * vocabulary, or whose params leave the embeddings out, prices 2 x
 * active_params per token and reads every weight. */
Test(model_formula, embeddings_tied_untied_and_absent) {
  kv_model g = preset("gemma-2-9b");
  cr_assert_eq(g.tied_embeddings, 1);
  cr_assert_eq(kv_model_embed_params(&g), 0);
  cr_assert_eq(kv_model_step_weight_bytes(&g, 1), kv_model_weight_bytes(&g));
  double vh = (double)g.vocab * g.hidden;
  assert_rel(kv_model_flops(&g, 8, 2, 0),
             2 * (g.active_params - vh) * 8 + 2 * vh * 2, 1e-12, "tied");
  kv_model h = preset("llama-3-8b");
  h.vocab = 0;
  cr_assert_eq(kv_model_flops(&h, 8, 1, 0), 2 * h.active_params * 8);
  cr_assert_eq(kv_model_step_weight_bytes(&h, 1), kv_model_weight_bytes(&h));
  h = preset("llama-3-8b");
  h.params = h.active_params = 0.5e9; /* fewer than the embeddings */
  cr_assert_eq(kv_model_flops(&h, 8, 1, 0), 2 * h.active_params * 8);
  cr_assert_eq(kv_model_step_weight_bytes(&h, 1), kv_model_weight_bytes(&h));
  kv_error e = {0};
  h = preset("llama-3-8b");
  h.tied_embeddings = 2;
  cr_assert_eq(kv_model_validate(&h, &e), KV_EINVAL);
  cr_assert(strstr(e.msg, "'tied_embeddings'"), "%s", e.msg);
}

Test(model_hf, llama_config_matches_the_preset) {
  kv_model m = hf(DATA "hf_llama3_8b.json"), p = preset("llama-3-8b");
  cr_assert_str_eq(m.name, "hf_llama3_8b");
  cr_assert_eq(m.layers, p.layers);
  cr_assert_eq(m.heads, p.heads);
  cr_assert_eq(m.kv_heads, p.kv_heads);
  cr_assert_eq(m.head_dim, 128); /* hidden / heads */
  cr_assert_eq(m.vocab, p.vocab);
  cr_assert_eq(m.max_context, 8192);
  cr_assert_eq(m.dtype_bytes, 2);
  cr_assert_eq(m.sliding_window, 0);
  cr_assert_eq(kv_model_kv_bytes_per_token(&m), 131072);
  assert_rel(m.params, 8.03e9, 0.01, "estimated params");
  cr_assert_eq(m.active_params, m.params);
}

Test(model_hf, qwen_null_sliding_window_means_full_attention) {
  kv_model m = hf(DATA "hf_qwen2.5_7b.json");
  cr_assert_str_eq(m.name, "hf_qwen2.5_7b");
  cr_assert_eq(m.sliding_window, 0);
  cr_assert_eq(m.kv_heads, 4);
  cr_assert_eq(kv_model_kv_bytes_per_token(&m), 57344);
  assert_rel(m.params, 7.61e9, 0.02, "estimated params");
}

Test(model_hf, use_sliding_window_false_and_model_type_name) {
  kv_model m = hf(DATA "hf_model_type/config.json");
  cr_assert_str_eq(m.name, "qwen2"); /* stem "config" is no name */
  cr_assert_eq(m.sliding_window, 0);
  cr_assert_eq(m.dtype_bytes, 4); /* float32 */
  cr_assert_eq(kv_model_kv_bytes_per_token(&m), 2ull * 4 * 128 * 4 * 28);
}

Test(model_hf, mistral_sliding_window_is_read) {
  kv_model m = hf(DATA "hf_mistral_7b.json");
  cr_assert_eq(m.sliding_window, 4096);
  cr_assert_eq(m.window_layers, 32, "no pattern: every layer");
  cr_assert_eq(kv_model_kv_bytes(&m, 10000), 4096ull * 131072);
  assert_rel(m.params, 7.24e9, 0.01, "estimated params");
}

Test(model_hf, deepseek_mla_and_moe) {
  kv_model m = hf(DATA "hf_deepseek_v3.json");
  cr_assert_eq(m.mla_latent, 512);
  cr_assert_eq(m.mla_rope, 64);
  cr_assert_eq(m.head_dim, 192);
  cr_assert_eq(m.intermediate, 2048); /* per expert */
  cr_assert_eq(kv_model_kv_bytes_per_token(&m), (512 + 64) * 2 * 61);
  cr_assert_eq(m.weight_bytes, 1); /* fp8 quantization_config */
  assert_rel(m.params, 671e9, 0.02, "estimated total params");
  assert_rel(m.active_params, 37e9, 0.05, "estimated active params");
}

Test(model_hf, missing_field_names_field_and_file) {
  kv_model m;
  kv_error e = {0};
  cr_assert_eq(kv_model_from_hf_config(DATA "hf_missing_field.json", &m, &e),
               KV_EPARSE);
  cr_assert(strstr(e.msg, "hf_missing_field.json"), "%s", e.msg);
  cr_assert(strstr(e.msg, "'num_hidden_layers'"), "%s", e.msg);
}

Test(model_hf, negative_field_names_field_and_value) {
  kv_model m;
  kv_error e = {0};
  cr_assert_eq(kv_model_from_hf_config(DATA "hf_negative_field.json", &m, &e),
               KV_EPARSE);
  cr_assert(strstr(e.msg, "hf_negative_field.json"), "%s", e.msg);
  cr_assert(strstr(e.msg, "'num_attention_heads'"), "%s", e.msg);
  cr_assert(strstr(e.msg, "-8"), "%s", e.msg);
}

Test(model_hf, non_integer_field_is_rejected) {
  kv_model m;
  kv_error e = {0};
  cr_assert_eq(kv_model_from_hf_config(DATA "hf_float_field.json", &m, &e),
               KV_EPARSE);
  cr_assert(strstr(e.msg, "'hidden_size'"), "%s", e.msg);
  cr_assert(strstr(e.msg, "integer"), "%s", e.msg);
}

Test(model_hf, malformed_json_reports_line_and_column) {
  kv_model m;
  kv_error e = {0};
  cr_assert_eq(kv_model_from_hf_config(DATA "hf_malformed.json", &m, &e),
               KV_EPARSE);
  /* the missing comma is at the end of line 3; jansson notices on line 4 */
  cr_assert(strstr(e.msg, "hf_malformed.json:4:"), "%s", e.msg);
}

Test(model_hf, missing_file_is_an_io_error) {
  kv_model m;
  kv_error e = {0};
  cr_assert_eq(kv_model_from_hf_config(DATA "no_such_config.json", &m, &e),
               KV_EIO);
  cr_assert(strstr(e.msg, "no_such_config.json"), "%s", e.msg);
  cr_assert(strstr(e.msg, "No such file"), "%s", e.msg);
}

Test(model_validate, bad_fields_are_named) {
  kv_model m = preset("llama-3-8b");
  kv_error e = {0};
  m.layers = 0;
  cr_assert_eq(kv_model_validate(&m, &e), KV_EINVAL);
  cr_assert(strstr(e.msg, "'layers'"), "%s", e.msg);
  m = preset("llama-3-8b");
  m.kv_heads = 5;
  cr_assert_eq(kv_model_validate(&m, &e), KV_EINVAL);
  cr_assert(strstr(e.msg, "'kv_heads'"), "%s", e.msg);
  m = preset("llama-3-8b");
  m.dtype_bytes = 3;
  cr_assert_eq(kv_model_validate(&m, &e), KV_EINVAL);
  cr_assert(strstr(e.msg, "'dtype_bytes'"), "%s", e.msg);
  m = preset("llama-3-8b");
  m.mla_rope = 64;
  cr_assert_eq(kv_model_validate(&m, &e), KV_EINVAL);
  cr_assert(strstr(e.msg, "'mla_rope'"), "%s", e.msg);
  m = preset("llama-3-8b");
  m.active_params = 2 * m.params;
  cr_assert_eq(kv_model_validate(&m, &e), KV_EINVAL);
  cr_assert(strstr(e.msg, "'active_params'"), "%s", e.msg);
  m = preset("llama-3-8b");
  m.params = NAN;
  cr_assert_eq(kv_model_validate(&m, &e), KV_EINVAL);
  cr_assert(strstr(e.msg, "'params'"), "%s", e.msg);
  m = preset("llama-3-8b");
  m.layers = 1001;
  cr_assert_eq(kv_model_validate(&m, &e), KV_EINVAL);
  cr_assert(strstr(e.msg, "1001"), "%s", e.msg);
}

/* ---- per-layer attention types and tied embeddings --------------------- */

static void hf_fails(const char *file, const char *want1, const char *want2) {
  kv_model m;
  kv_error e = {0};
  cr_assert_eq(kv_model_from_hf_config(file, &m, &e), KV_EPARSE, "%s", file);
  cr_assert(strstr(e.msg, strrchr(file, '/') + 1), "%s", e.msg);
  cr_assert(strstr(e.msg, want1), "%s", e.msg);
  if (want2) cr_assert(strstr(e.msg, want2), "%s", e.msg);
}

/* The published config: gemma2 alternates, layer 0 windowed -> 21 of 42;
 * no tie_word_embeddings -> tied (Gemma2Config's default): the estimate is
 * the published 9.24e9, not the 10.2e9 an untied head would give. */
Test(model_hf, gemma2_9b_alternates_layers_and_ties_embeddings) {
  kv_model m = hf(DATA "hf_gemma2_9b.json"), p = preset("gemma-2-9b");
  cr_assert_eq(m.layers, 42);
  cr_assert_eq(m.sliding_window, 4096);
  cr_assert_eq(m.window_layers, 21);
  cr_assert_eq(m.head_dim, 256);
  cr_assert_eq(m.dtype_bytes, 4, "the checkpoint says float32");
  cr_assert_eq(m.kv_heads, p.kv_heads);
  assert_rel(m.params, 9.24e9, 0.01, "estimated params");
  assert_rel(m.params, p.params, 0.01, "estimated params vs preset");
}

Test(model_hf, gemma2_odd_layer_count_windows_the_even_layers) {
  kv_model m = hf(DATA "hf_gemma2_odd.json"); /* layers 0, 2, 4 of 5 */
  cr_assert_eq(m.window_layers, 3);
  cr_assert_eq(m.sliding_window, 64);
}

Test(model_hf, layer_types_count_the_sliding_layers) {
  kv_model m = hf(DATA "hf_layer_types.json");
  cr_assert_eq(m.layers, 6);
  cr_assert_eq(m.window_layers, 4);
  cr_assert_eq(m.sliding_window, 128);
  /* 256/4 = 64 head_dim, 2 KV heads, bf16: 512 B per token and layer;
   * 1000 tokens: (2 * 1000 + 4 * 128) * 512 */
  cr_assert_eq(kv_model_kv_bytes(&m, 1000), (2ull * 1000 + 4 * 128) * 512);
}

Test(model_hf, layer_types_without_a_window_are_full_attention) {
  kv_model m = hf(DATA "hf_layer_types_no_window.json");
  cr_assert_eq(m.sliding_window, 0);
  cr_assert_eq(m.window_layers, 0);
}

Test(model_hf, layer_types_of_the_wrong_length_name_file_and_field) {
  hf_fails(DATA "hf_layer_types_short.json", "'layer_types' has 5 entries",
           "'num_hidden_layers' is 6");
}

Test(model_hf, unknown_layer_type_is_named) {
  hf_fails(DATA "hf_layer_types_unknown.json", "'layer_types' entry 1",
           "'linear_attention'");
}

Test(model_hf, layer_types_must_be_a_list) {
  hf_fails(DATA "hf_layer_types_not_list.json", "'layer_types'", "list");
}

/* sliding_window_pattern 3 over 7 layers: layers 2 and 5 are full */
Test(model_hf, gemma3_pattern_makes_every_nth_layer_full) {
  kv_model m = hf(DATA "hf_gemma3_pattern.json");
  cr_assert_eq(m.window_layers, 5);
  cr_assert_eq(m.sliding_window, 512);
}

/* gemma3_text without a pattern: 6, as Gemma3TextConfig (Gemma-3-1B: 26
 * layers, 4 full) */
Test(model_hf, gemma3_default_pattern_is_six) {
  kv_model m = hf(DATA "hf_gemma3_default.json");
  cr_assert_eq(m.window_layers, 22);
}

/* use_sliding_window with max_window_layers 20 of 28: layers 20..27 */
Test(model_hf, qwen2_windows_the_layers_from_max_window_layers) {
  kv_model m = hf(DATA "hf_qwen2_window.json");
  cr_assert_eq(m.window_layers, 8);
  cr_assert_eq(m.sliding_window, 4096);
  m = hf(DATA "hf_qwen2_window_none.json"); /* max_window_layers = layers */
  cr_assert_eq(m.window_layers, 0);
  cr_assert_eq(m.sliding_window, 0, "no windowed layer: no window");
  m = hf(DATA "hf_qwen2_window_default_off.json"); /* Qwen2's default */
  cr_assert_eq(m.sliding_window, 0);
  cr_assert_eq(m.window_layers, 0);
}

Test(model_hf, use_sliding_window_must_be_a_boolean) {
  hf_fails(DATA "hf_bad_use_sliding_window.json", "'use_sliding_window'",
           "true or false");
}

Test(model_hf, tie_word_embeddings_must_be_a_boolean) {
  hf_fails(DATA "hf_bad_tie.json", "'tie_word_embeddings'", "true or false");
}

/* Absent tie_word_embeddings follows the config class: LlamaConfig says
 * false (the head counts), GemmaConfig true. Tiny geometry: the difference
 * is exactly one vocab x hidden matrix. */
Test(model_hf, absent_tie_follows_the_model_family) {
  kv_model l = hf(DATA "hf_llama_no_tie.json");
  kv_model g = hf(DATA "hf_gemma_no_tie.json");
  cr_assert_eq(l.params - g.params, 1000.0 * 256);
  /* Llama configs that say false keep the head: 8.03e9 with it, 7.5e9
   * without */
  kv_model m = hf(DATA "hf_llama3_8b.json");
  assert_rel(m.params, 8.03e9, 0.01, "untied Llama-3-8B");
}

/* ---- mixture of experts ---- */

/* Mixtral-8x7B's geometry (8 experts, top 2), as in the validation fixture. */
static kv_model mixtral(void) {
  kv_model m = preset("llama-3-8b");
  snprintf(m.name, sizeof m.name, "mixtral-like");
  m.params = 46702792704.0;
  m.active_params = 12879925248.0;
  m.moe_experts = 8;
  m.moe_topk = 2;
  return m;
}

/* A step reads the experts its tokens touch under uniform top-k: one token
 * touches exactly k experts (its active weights); many touch them all. */
Test(model_moe, step_weights_are_the_experts_touched) {
  kv_model m = mixtral();
  kv_error e = {0};
  cr_assert_eq(kv_model_validate(&m, &e), KV_OK, "%s", e.msg);
  double x = (m.params - m.active_params) / 6; /* one expert, every layer */
  /* the input embedding table is read at its tokens' rows only */
  double in = kv_model_embed_params(&m);
  cr_assert_gt(in, 0);
  assert_rel(kv_model_step_weight_bytes(&m, 1), (m.active_params - in) * 2,
             1e-12, "1 token");
  /* 4 tokens: 8 x (1 - 0.75^4) experts expected */
  double touched = 8 * (1 - pow(0.75, 4));
  assert_rel(kv_model_step_weight_bytes(&m, 4),
             (m.params - in - (8 - touched) * x) * 2, 1e-12, "4 tokens");
  cr_assert_lt(kv_model_step_weight_bytes(&m, 4), (m.params - in) * 2);
  cr_assert_gt(kv_model_step_weight_bytes(&m, 4), (m.active_params - in) * 2);
  assert_rel(kv_model_step_weight_bytes(&m, 512), (m.params - in) * 2, 1e-9,
             "512 tokens");
  cr_assert_eq(kv_model_step_weight_bytes(&m, 0), (m.params - in) * 2);
  /* a dense model reads every weight but the input table at every size */
  kv_model d = preset("llama-3-8b");
  cr_assert_eq(kv_model_step_weight_bytes(&d, 1),
               kv_model_weight_bytes(&d) - kv_model_embed_params(&d) * 2);
}

/* The busiest expert sets the expert GEMMs' price: uniform (0 or 1) is the
 * active FLOPs; f > 1 adds (f - 1) x the mean load per touched expert,
 * capped at every token on one expert. */
Test(model_moe, imbalance_prices_expert_gemms_at_the_busiest_load) {
  kv_model m = mixtral();
  double base = kv_model_flops(&m, 64, 64, 0);
  assert_rel(base, 2 * (m.active_params - kv_model_embed_params(&m)) * 64,
             1e-12, "uniform");
  m.moe_imbalance = 1;
  cr_assert_eq(kv_model_flops(&m, 64, 64, 0), base);
  m.moe_imbalance = 1.5;
  double x = (m.params - m.active_params) / 6;
  /* 64 tokens touch ~all 8 experts; mean 64*2/touched; extra 0.5 x mean */
  double touched = 8 * (1 - pow(0.75, 64));
  double extra = 2 * x * touched * 0.5 * 64 * 2 / touched;
  assert_rel(kv_model_flops(&m, 64, 64, 0), base + extra, 1e-12, "f 1.5");
  /* one token: its k experts see it once each; the cap holds */
  m.moe_imbalance = 4;
  assert_rel(kv_model_flops(&m, 1, 1, 0),
             2 * (m.active_params - kv_model_embed_params(&m)), 1e-12, "cap");
}

Test(model_moe, bad_moe_fields_are_named) {
  kv_error e = {0};
  kv_model m = mixtral();
  m.moe_topk = 9;
  cr_assert_eq(kv_model_validate(&m, &e), KV_EINVAL);
  cr_assert(strstr(e.msg, "'moe_topk'"), "%s", e.msg);
  m = mixtral();
  m.moe_imbalance = 5; /* > 8 / 2 */
  cr_assert_eq(kv_model_validate(&m, &e), KV_EINVAL);
  cr_assert(strstr(e.msg, "'moe_imbalance'"), "%s", e.msg);
  m.moe_imbalance = 0.5;
  cr_assert_eq(kv_model_validate(&m, &e), KV_EINVAL);
  m = preset("llama-3-8b");
  m.moe_topk = 2;
  cr_assert_eq(kv_model_validate(&m, &e), KV_EINVAL);
  cr_assert(strstr(e.msg, "'moe_experts'"), "%s", e.msg);
}

/* Hugging Face MoE configs carry their experts and top-k. */
Test(model_moe, hf_config_reads_experts_and_topk) {
  kv_model m = hf(DATA "hf_deepseek_v3.json");
  cr_assert_eq(m.moe_experts, 256);
  cr_assert_eq(m.moe_topk, 8);
  kv_model d = hf(DATA "hf_llama3_8b.json");
  cr_assert_eq(d.moe_experts, 0);
  cr_assert_eq(d.moe_topk, 0);
}

/* ---- exact parameter counts: norms and attention biases ---- */

/* Write `json` as `file` in a fresh temporary directory and read it. On
 * success *m is the model and e->msg is empty; the files are removed. */
static kv_status hf_text(const char *file, const char *json, kv_model *m,
                         kv_error *e) {
  char dir[] = "/tmp/kvsim_hf_XXXXXX", path[128];
  cr_assert_not_null(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/%s", dir, file);
  FILE *f = fopen(path, "w");
  cr_assert_not_null(f);
  fputs(json, f);
  fclose(f);
  *e = (kv_error){0};
  kv_status st = kv_model_from_hf_config(path, m, e);
  unlink(path);
  rmdir(dir);
  return st;
}

static kv_model hf_ok(const char *file, const char *json) {
  kv_model m;
  kv_error e;
  cr_assert_eq(hf_text(file, json, &m, &e), KV_OK, "%s: %s", file, e.msg);
  return m;
}

static void hf_text_fails(const char *file, const char *json, const char *want1,
                          const char *want2) {
  kv_model m;
  kv_error e;
  cr_assert_eq(hf_text(file, json, &m, &e), KV_EPARSE, "%s", file);
  cr_assert(strstr(e.msg, file), "%s", e.msg);
  cr_assert(strstr(e.msg, want1), "%s", e.msg);
  if (want2) cr_assert(strstr(e.msg, want2), "%s", e.msg);
}

/* Published counts: untied embeddings + LM head, per layer q/k/v/o, the
 * gated MLP and two RMSNorm weights, and the final norm, e.g. Llama-2-7B:
 * 2 x 32000 x 4096 + 32 x (4 x 4096^2 + 3 x 4096 x 11008 + 2 x 4096)
 * + 4096 = 6,738,415,616. */
Test(model_hf, llama2_family_counts_are_exact) {
  kv_model m = hf(DATA "hf_llama2_7b.json");
  cr_assert_eq(m.params, 6738415616.0, "%.0f", m.params);
  cr_assert_eq(m.active_params, m.params);
  cr_assert_eq(m.kv_heads, 32);
  cr_assert_eq(m.dtype_bytes, 2); /* float16 */
  m = hf(DATA "hf_llama2_70b.json");
  cr_assert_eq(m.params, 68976648192.0, "%.0f", m.params);
  cr_assert_eq(m.active_params, m.params);
  m = hf(DATA "hf_codellama_34b.json");
  cr_assert_eq(m.params, 33743970304.0, "%.0f", m.params);
  cr_assert_eq(m.max_context, 16384);
  /* the preset fixtures: Llama-3-8B and Mistral-7B-v0.1 to the parameter */
  m = hf(DATA "hf_llama3_8b.json");
  cr_assert_eq(m.params, 8030261248.0, "%.0f", m.params);
  m = hf(DATA "hf_mistral_7b.json");
  cr_assert_eq(m.params, 7241732096.0, "%.0f", m.params);
}

/* Mixtral-8x7B: 8 experts of 3 x 4096 x 14336 per layer, top 2, a 4096 x 8
 * router; total 46,702,792,704, active 12,879,925,248 (the figures the
 * model_moe tests above use). */
Test(model_hf, mixtral_counts_are_exact) {
  kv_model m = hf(DATA "hf_mixtral_8x7b.json");
  cr_assert_eq(m.params, 46702792704.0, "%.0f", m.params);
  cr_assert_eq(m.active_params, 12879925248.0, "%.0f", m.active_params);
  cr_assert_eq(m.moe_experts, 8);
  cr_assert_eq(m.moe_topk, 2);
  cr_assert_eq(m.intermediate, 14336);
  cr_assert_eq(m.sliding_window, 0);
}

/* Qwen2 has q/k/v biases (no attention_bias key): 28 layers x (28 + 2 x 4)
 * x 128 = 129,024 on top of the Llama formula; 7,615,616,512 is the
 * published Qwen2.5-7B count. attention_bias true (Llama-style) biases all
 * four projections: + 28 x 3584 for o. */
Test(model_hf, qwen2_counts_its_qkv_biases) {
  kv_model m = hf(DATA "hf_qwen2.5_7b.json");
  cr_assert_eq(m.params, 7615616512.0, "%.0f", m.params);
  cr_assert_eq(m.active_params, m.params);
  const char *geometry =
      "\"hidden_size\": 3584, \"intermediate_size\": 18944, \"vocab_size\": "
      "152064, \"max_position_embeddings\": 32768, \"num_attention_heads\": "
      "28, \"num_key_value_heads\": 4, \"num_hidden_layers\": 28, "
      "\"tie_word_embeddings\": false";
  char json[512];
  snprintf(json, sizeof json, "{\"model_type\": \"llama\", %s}", geometry);
  kv_model l = hf_ok("llama_like.json", json);
  cr_assert_eq(m.params - l.params, 129024.0);
  snprintf(json, sizeof json,
           "{\"model_type\": \"llama\", \"attention_bias\": true, %s}",
           geometry);
  kv_model b = hf_ok("llama_bias.json", json);
  cr_assert_eq(b.params - l.params, 129024.0 + 28 * 3584);
  snprintf(json, sizeof json,
           "{\"model_type\": \"qwen2\", \"attention_bias\": \"yes\", %s}",
           geometry);
  hf_text_fails("qwen2_bad_bias.json", json, "'attention_bias'",
                "true or false");
}

/* Norms by family, tiny geometry (hidden 256, head_dim 64, 4 layers):
 * Llama 2 per layer + final; Gemma-2 4 per layer; Gemma-3 4 per layer +
 * q_norm and k_norm (head_dim each); Qwen3 2 + q_norm, k_norm. Llama: 2 x
 * 1000 x 256 + 4 x (196,608 + 393,216 + 512) + 256 = 2,873,600. */
Test(model_hf, norm_weights_follow_the_family) {
  const char *fmt =
      "{\"model_type\": \"%s\", \"hidden_size\": 256, \"intermediate_size\": "
      "512, \"vocab_size\": 1000, \"max_position_embeddings\": 4096, "
      "\"num_attention_heads\": 4, \"num_key_value_heads\": 2, "
      "\"num_hidden_layers\": 4, \"tie_word_embeddings\": false}";
  const char *types[] = {"llama", "gemma2", "gemma3_text", "qwen3", "gemma"};
  const double extra[] = {0, 4 * 2 * 256, 4 * (2 * 256 + 2 * 64), 4 * 2 * 64,
                          0};
  for (int i = 0; i < 5; i++) {
    char json[512];
    snprintf(json, sizeof json, fmt, types[i]);
    kv_model m = hf_ok("tiny.json", json);
    cr_assert_eq(m.params, 2873600.0 + extra[i], "%s: %.0f", types[i],
                 m.params);
  }
}

/* Gemma-2-9B (tied, 4 norms per layer): 9,241,705,984, the checkpoint's
 * 9.24e9. */
Test(model_hf, gemma2_9b_count_is_exact) {
  kv_model m = hf(DATA "hf_gemma2_9b.json");
  cr_assert_eq(m.params, 9241705984.0, "%.0f", m.params);
}

/* DeepSeek-V3: MLA attention as before, plus per layer 2 x 7168 norms, the
 * kv_a_layernorm (512) and q_a_layernorm (1536), and the final norm:
 * 61 x 16,384 + 7168 = 1,006,592 more than without norms. */
Test(model_hf, deepseek_v3_counts_its_mla_norms) {
  kv_model m = hf(DATA "hf_deepseek_v3.json");
  cr_assert_eq(m.params, 671026404352.0, "%.0f", m.params);
  cr_assert_eq(m.active_params, 37552282624.0, "%.0f", m.active_params);
}

/* Qwen1.5-MoE-A2.7B: q/k/v biases, 60 experts of 1408 (top 4), one shared
 * expert of 5632 with its hidden x 1 gate: 14,315,784,192 total (the
 * published 14.3e9), 2,689,173,504 active (2.7e9). */
Test(model_hf, qwen2_moe_counts_bias_and_shared_expert_gate) {
  kv_model m =
      hf_ok("qwen1.5_moe.json",
            "{\"model_type\": \"qwen2_moe\", \"hidden_size\": 2048, "
            "\"intermediate_size\": 5632, \"moe_intermediate_size\": 1408, "
            "\"shared_expert_intermediate_size\": 5632, \"num_experts\": 60, "
            "\"num_experts_per_tok\": 4, \"decoder_sparse_step\": 1, "
            "\"vocab_size\": 151936, \"max_position_embeddings\": 8192, "
            "\"num_attention_heads\": 16, \"num_key_value_heads\": 16, "
            "\"num_hidden_layers\": 24, \"tie_word_embeddings\": false}");
  cr_assert_eq(m.params, 14315784192.0, "%.0f", m.params);
  cr_assert_eq(m.active_params, 2689173504.0, "%.0f", m.active_params);
  cr_assert_eq(m.intermediate, 1408);
}

/* ---- configs that nest the language model under text_config ---- */

/* Llama-4-Scout-17B-16E: every layer MoE (interleave_moe_layer_step 1): 16
 * routed experts of 3 x 5120 x 8192, top 1, one shared expert of the same
 * size, a 5120 x 16 router. Per layer: attention 5120 x 128 x (2 x 40 + 2 x
 * 8) = 62,914,560, norms 2 x 5120, experts 16 (active 1) + 1 shared x
 * 125,829,120, router 81,920. Total = 2 x 202048 x 5120 + 5120 + 48 x
 * (62,914,560 + 10,240 + 17 x 125,829,120 + 81,920) = 107,769,861,120 (the
 * published 109e9 includes the vision encoder); active = ... + 48 x
 * (62,914,560 + 10,240 + 2 x 125,829,120 + 81,920) = 17,172,894,720
 * (17e9). */
Test(model_hf, llama4_scout_from_text_config) {
  kv_model m = hf(DATA "hf_llama4_scout.json");
  cr_assert_str_eq(m.name, "hf_llama4_scout");
  cr_assert_eq(m.layers, 48);
  cr_assert_eq(m.heads, 40);
  cr_assert_eq(m.kv_heads, 8);
  cr_assert_eq(m.head_dim, 128);
  cr_assert_eq(m.hidden, 5120);
  cr_assert_eq(m.intermediate, 8192); /* per expert */
  cr_assert_eq(m.vocab, 202048);
  cr_assert_eq(m.max_context, 10485760);
  cr_assert_eq(m.moe_experts, 16);
  cr_assert_eq(m.moe_topk, 1);
  cr_assert_eq(m.dtype_bytes, 2);
  cr_assert_eq(m.weight_bytes, 2);
  cr_assert_eq(m.sliding_window, 0);
  cr_assert_eq(kv_model_kv_bytes_per_token(&m), 2ull * 8 * 128 * 2 * 48);
  cr_assert_eq(m.params, 107769861120.0, "%.0f", m.params);
  cr_assert_eq(m.active_params, 17172894720.0, "%.0f", m.active_params);
  assert_rel(m.params, 109e9, 0.015, "Scout total");
  assert_rel(m.active_params, 17e9, 0.015, "Scout active");
}

/* Llama-4-Maverick-17B-128E's geometry: interleave_moe_layer_step 2, so
 * layers 1, 3, ..., 47 are MoE (128 experts, top 1, one shared) and 0, 2,
 * ..., 46 dense with intermediate_size_mlp 16384: 400,711,848,960 total
 * (published 400e9), 17,184,691,200 active (17e9). */
static const char maverick[] =
    "{\"model_type\": \"llama4\", \"torch_dtype\": \"bfloat16\", "
    "\"quantization_config\": {\"quant_method\": \"fbgemm_fp8\"}, "
    "\"text_config\": {\"model_type\": \"llama4_text\", \"hidden_size\": "
    "5120, \"head_dim\": 128, \"intermediate_size\": 8192, %s "
    "\"interleave_moe_layer_step\": 2, \"num_local_experts\": 128, "
    "\"num_experts_per_tok\": 1, \"vocab_size\": 202048, "
    "\"max_position_embeddings\": 1048576, \"num_attention_heads\": 40, "
    "\"num_key_value_heads\": 8, \"num_hidden_layers\": 48}}";

Test(model_hf, llama4_interleaves_dense_and_moe_layers) {
  char json[1024];
  snprintf(json, sizeof json, maverick, "\"intermediate_size_mlp\": 16384,");
  kv_model m = hf_ok("config.json", json);
  cr_assert_str_eq(m.name, "llama4"); /* the top-level model_type */
  cr_assert_eq(m.params, 400711848960.0, "%.0f", m.params);
  cr_assert_eq(m.active_params, 17184691200.0, "%.0f", m.active_params);
  cr_assert_eq(m.intermediate, 8192);
  cr_assert_eq(m.moe_experts, 128);
  cr_assert_eq(m.dtype_bytes, 2);  /* top-level torch_dtype */
  cr_assert_eq(m.weight_bytes, 1); /* top-level quantization_config */
  /* dense layers need intermediate_size_mlp */
  snprintf(json, sizeof json, maverick, "");
  hf_text_fails("maverick.json", json,
                "missing field 'text_config.intermediate_size_mlp'", NULL);
}

/* Gemma-3-27B's config: text_config of gemma3_text (4 norms per layer, q/k
 * norms, tied, window pattern 6: 62 - 10 = 52 windowed layers), dtype from
 * the top level; 27,009,346,304 (the published 27.4e9 includes the vision
 * tower). The name comes from the top-level model_type. */
Test(model_hf, gemma3_text_config_reads_the_language_model) {
  kv_model m = hf_ok(
      "config.json",
      "{\"architectures\": [\"Gemma3ForConditionalGeneration\"], "
      "\"model_type\": \"gemma3\", \"torch_dtype\": \"float32\", "
      "\"vision_config\": {\"hidden_size\": 1152, \"num_hidden_layers\": 27, "
      "\"model_type\": \"siglip_vision_model\"}, "
      "\"text_config\": {\"model_type\": \"gemma3_text\", \"head_dim\": 128, "
      "\"hidden_size\": 5376, \"intermediate_size\": 21504, "
      "\"num_attention_heads\": 32, \"num_hidden_layers\": 62, "
      "\"num_key_value_heads\": 16, \"sliding_window\": 1024, "
      "\"vocab_size\": 262208, \"max_position_embeddings\": 131072}}");
  cr_assert_str_eq(m.name, "gemma3");
  cr_assert_eq(m.layers, 62);
  cr_assert_eq(m.hidden, 5376);
  cr_assert_eq(m.sliding_window, 1024);
  cr_assert_eq(m.window_layers, 52);
  cr_assert_eq(m.dtype_bytes, 4);
  cr_assert_eq(m.params, 27009346304.0, "%.0f", m.params);
}

/* Mistral-Small-3.1-24B's config (mistral3 around a mistral text model):
 * untied as mistral, 23,572,403,200. text_config's own torch_dtype wins
 * over the top level's; quantization_config is read from the top level. */
static const char mistral3[] =
    "{\"model_type\": \"mistral3\", \"torch_dtype\": \"bfloat16\", "
    "\"quantization_config\": {\"quant_method\": \"fp8\"}, "
    "\"text_config\": {\"model_type\": \"mistral\", %s \"head_dim\": 128, "
    "\"hidden_size\": 5120, \"intermediate_size\": 32768, "
    "\"max_position_embeddings\": 131072, \"num_attention_heads\": 32, "
    "\"num_hidden_layers\": 40, \"num_key_value_heads\": 8, "
    "\"sliding_window\": null, \"vocab_size\": 131072}}";

Test(model_hf, mistral3_dtype_and_quantization_fall_back_to_the_top) {
  char json[1024];
  snprintf(json, sizeof json, mistral3, "");
  kv_model m = hf_ok("mistral_small_3.1.json", json);
  cr_assert_str_eq(m.name, "mistral_small_3.1");
  cr_assert_eq(m.params, 23572403200.0, "%.0f", m.params);
  cr_assert_eq(m.dtype_bytes, 2);
  cr_assert_eq(m.weight_bytes, 1);
  cr_assert_eq(m.sliding_window, 0);
  snprintf(json, sizeof json, mistral3, "\"torch_dtype\": \"float32\",");
  m = hf_ok("mistral_small_3.1.json", json);
  cr_assert_eq(m.dtype_bytes, 4);
  cr_assert_eq(m.weight_bytes, 1);
  snprintf(json, sizeof json, mistral3, "\"dtype\": \"int4\",");
  hf_text_fails("mistral3_bad_dtype.json", json,
                "'text_config.dtype' has an unknown dtype", NULL);
}

/* Errors name the field as text_config.FIELD; a top-level field keeps its
 * plain name. */
Test(model_hf, text_config_errors_name_the_nested_field) {
  /* Gemma-3-4B and LLaVA-1.5 leave fields at their class defaults */
  hf_text_fails("gemma3_4b.json",
                "{\"model_type\": \"gemma3\", \"text_config\": {"
                "\"hidden_size\": 2560, \"intermediate_size\": 10240, "
                "\"model_type\": \"gemma3_text\", \"num_hidden_layers\": 34, "
                "\"sliding_window\": 1024}}",
                "missing field 'text_config.num_attention_heads'", NULL);
  hf_text_fails("llava.json",
                "{\"model_type\": \"llava\", \"text_config\": {"
                "\"model_type\": \"llama\", \"vocab_size\": 32064}}",
                "missing field 'text_config.num_hidden_layers'", NULL);
  const char *fmt =
      "{\"model_type\": \"gemma3\", \"torch_dtype\": %s, \"text_config\": {"
      "\"model_type\": \"gemma3_text\", \"hidden_size\": %s, "
      "\"intermediate_size\": 512, \"vocab_size\": 1000, "
      "\"max_position_embeddings\": 4096, \"num_attention_heads\": 4, "
      "\"num_key_value_heads\": 2, \"num_hidden_layers\": 6, "
      "\"sliding_window\": 128, \"layer_types\": %s}}";
  const char *lt6 = "[\"sliding_attention\", \"sliding_attention\", "
                    "\"sliding_attention\", \"sliding_attention\", "
                    "\"sliding_attention\", \"full_attention\"]";
  char json[1024];
  snprintf(json, sizeof json, fmt, "\"bfloat16\"", "256", lt6);
  kv_model m = hf_ok("gemma3_nested.json", json);
  cr_assert_eq(m.window_layers, 5);
  snprintf(json, sizeof json, fmt, "\"bfloat16\"", "256.5", lt6);
  hf_text_fails("gemma3_float.json", json, "'text_config.hidden_size'",
                "integer");
  snprintf(json, sizeof json, fmt, "\"bfloat16\"", "-256", lt6);
  hf_text_fails("gemma3_negative.json", json, "'text_config.hidden_size'",
                "-256");
  snprintf(json, sizeof json, fmt, "\"bfloat16\"", "256",
           "[\"full_attention\"]");
  hf_text_fails("gemma3_short.json", json,
                "'text_config.layer_types' has 1 entries",
                "'text_config.num_hidden_layers' is 6");
  snprintf(json, sizeof json, fmt, "\"int3\"", "256", lt6);
  hf_text_fails("gemma3_dtype.json", json, "field 'torch_dtype'", "unknown");
}

/* A top-level num_hidden_layers means the top level is the model: a
 * text_config beside it is not read. */
Test(model_hf, top_level_layers_ignore_text_config) {
  kv_model m = hf_ok(
      "flat.json",
      "{\"model_type\": \"llama\", \"hidden_size\": 256, "
      "\"intermediate_size\": 512, \"vocab_size\": 1000, "
      "\"max_position_embeddings\": 4096, \"num_attention_heads\": 4, "
      "\"num_key_value_heads\": 2, \"num_hidden_layers\": 4, "
      "\"text_config\": {\"num_hidden_layers\": 99, \"hidden_size\": 8}}");
  cr_assert_eq(m.layers, 4);
  cr_assert_eq(m.hidden, 256);
  cr_assert_eq(m.params, 2873600.0, "%.0f", m.params);
}
