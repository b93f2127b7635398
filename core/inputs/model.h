/* model.h - model geometry: how many KV bytes one token costs.
 *
 * Presets for common models and a reader for Hugging Face config.json.
 * Main entry points: kv_model_preset(), kv_model_from_hf_config(),
 * kv_model_kv_bytes_per_token().
 */
#ifndef KV_MODEL_H
#define KV_MODEL_H

#include <stdint.h>

#include "kv_error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kv_model {
  char name[64];
  uint32_t layers;       /* transformer layers holding a KV cache */
  uint32_t heads;        /* attention (query) heads */
  uint32_t kv_heads;     /* KV heads (GQA); == heads for MHA */
  uint32_t head_dim;     /* per-head dimension of K and V */
  uint32_t hidden;       /* hidden size */
  uint32_t intermediate; /* MLP inner size (per expert for MoE) */
  uint32_t vocab;        /* vocabulary size */
  uint32_t dtype_bytes;  /* bytes per KV element (2 = bf16/fp16, 1 = fp8) */
  uint32_t mla_latent;   /* MLA: compressed KV latent rank (0 = not MLA) */
  uint32_t mla_rope;     /* MLA: decoupled RoPE key dim */
  uint32_t
      sliding_window;     /* window of the windowed layers, tokens (0 = none) */
  uint32_t window_layers; /* layers attending through the sliding window; the
                             others attend to the whole context. 0 with a
                             sliding_window set means every layer (Mistral) */
  uint32_t max_context;   /* max position embeddings */
  double params;          /* total parameters (weight bytes = params*wbytes) */
  double active_params;   /* parameters touched per token (MoE < params) */
  uint32_t weight_bytes;  /* bytes per weight (2 = bf16) */
  /* 1: the LM head is the embedding table (tie_word_embeddings); 0: they
   * are two vocab x hidden matrices. A step reads the LM head whole and
   * the embedding table only at its tokens' rows, and computes logits for
   * one token per scheduled request, not for every token it computes. */
  uint32_t tied_embeddings;

  /* Mixture of experts (moe_experts 0 = dense). One routed expert's parameters
   * over every MoE layer are (params - active_params) / (moe_experts -
   * moe_topk), so shared experts and dense layers need no field of
   * their own. A step reads the weights of the experts its tokens are
   * expected to touch under uniform routing and prices the expert GEMMs by
   * the busiest expert's load (kv_model_step_weight_bytes, kv_model_flops). */
  uint32_t moe_experts; /* routed experts per MoE layer */
  uint32_t moe_topk;    /* experts each token is routed to (top-k) */
  double moe_imbalance; /* busiest expert's tokens over the mean load
                           (>= 1; 0 = 1, uniform) */
} kv_model;

/* Fill `out` with the preset called `name` (case-insensitive, e.g.
 * "llama-3-8b"). Unknown names list the valid ones. */
kv_status kv_model_preset(const char *name, kv_model *out, kv_error *err);

/* NULL-terminated list of preset names. */
const char *const *kv_model_preset_names(void);

/* Read a Hugging Face config.json (Llama, Qwen2, Mistral, Yi, DeepSeek-V3
 * style keys). Errors name the file and the missing or bad field. */
kv_status kv_model_from_hf_config(const char *path, kv_model *out,
                                  kv_error *err);

/* Check every field is in range; errors name the field. */
kv_status kv_model_validate(const kv_model *m, kv_error *err);

/* KV bytes one token costs in one layer (K and V, or the MLA latent). */
uint64_t kv_model_kv_bytes_per_token_layer(const kv_model *m);

/* KV bytes one token costs over all layers. */
uint64_t kv_model_kv_bytes_per_token(const kv_model *m);

/* Layers attending through the sliding window (kv_model.window_layers
 * resolved: 0 when there is no window, every layer when it is 0). */
uint32_t kv_model_window_layers(const kv_model *m);
/* Tokens a windowed layer keeps of a `tokens`-long sequence:
 * min(tokens, sliding_window) (tokens when there is no window). */
uint64_t kv_model_window_tokens(const kv_model *m, uint64_t tokens);
/* KV bytes a sequence of `tokens` tokens needs: every token in the
 * full-attention layers, the last `sliding_window` in the windowed ones.
 * This is what attention can read ("used"). */
uint64_t kv_model_kv_bytes(const kv_model *m, uint64_t tokens);

/* Weight bytes (params * weight_bytes). */
double kv_model_weight_bytes(const kv_model *m);

/* Weight bytes a step of `tokens` new tokens reads: every weight for a
 * dense model; for MoE the non-routed weights plus the routed experts the
 * tokens are expected to touch per layer under uniform top-k routing,
 * E x (1 - (1 - k/E)^tokens), E = moe_experts, k = moe_topk (all of them when
 * tokens <= 0). With untied embeddings the input embedding table is not
 * among them (a step reads its tokens' rows only; kv_model_embed_params). */
double kv_model_step_weight_bytes(const kv_model *m, double tokens);

/* The embedding parameters a step neither reads whole nor multiplies:
 * the input table, vocab x hidden, when it is not also the LM head (untied);
 * 0 when tied, or when vocab x hidden does not fit in the model's
 * parameters (a hand-made model whose params leave the embeddings out). */
double kv_model_embed_params(const kv_model *m);

/* FLOPs for one forward pass over `new_tokens` tokens, `logits` of which
 * get the LM head (a serving engine computes logits for one token per
 * scheduled request: the last it computes), whose attention spans
 * `attn_pairs` (query token, key token) pairs. The GEMMs: 2 x (active_params
 * - the input embedding - the LM head) per token, plus 2 x vocab x hidden
 * per logits token; the input embedding (untied) is a lookup, not a GEMM
 * (kv_model_embed_params). Attention: 4 x layers x heads x head_dim per pair.
 * A model without a vocabulary (vocab 0) prices 2 x active_params per token.
 * MoE with moe_imbalance f > 1: each touched expert's GEMMs are priced at
 * the busiest one's load, min(tokens, f x the mean), not the mean. */
double kv_model_flops(const kv_model *m, double new_tokens, double logits,
                      double attn_pairs);
/* The attention part of kv_model_flops (the rest is GEMMs). */
double kv_model_attn_flops(const kv_model *m, double attn_pairs);

#ifdef __cplusplus
}
#endif

#endif
