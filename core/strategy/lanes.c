/* lanes.c - layer groups of a windowed model for paged and indirect (see
 * lanes.h). Main entry points: kv_lanes_init(), kv_lanes_step().
 */
#include "lanes.h"

#include "util.h"

static uint32_t gcd32(uint32_t a, uint32_t b) {
  while (b) {
    uint32_t t = a % b;
    a = b;
    b = t;
  }
  return a;
}

void kv_lanes_init(const kv_strategy_cfg *cfg, kv_lanes *out) {
  *out = (kv_lanes){.lf = 1,
                    .lw = 0,
                    .window = kv_strategy_window(cfg),
                    .bt = cfg->block_tokens,
                    .bpt = kv_strategy_bytes_per_token(cfg)};
  if (!out->window) return;
  uint32_t wl = kv_model_window_layers(cfg->model);
  uint32_t fl = cfg->model->layers - wl, g = gcd32(fl, wl);
  out->lf = fl / g;
  out->lw = wl / g;
  out->bpt = (uint64_t)g * kv_strategy_bytes_per_token_layer(cfg);
}

uint64_t kv_lanes_units(const kv_lanes *l, uint64_t tokens) {
  if (!l->lw) return tokens;
  return l->lf * tokens + (uint64_t)l->lw * KV_MIN(tokens, (uint64_t)l->window);
}

uint64_t kv_lanes_win_lo(const kv_lanes *l, uint64_t tokens) {
  return l->lw && tokens > l->window ? (tokens - l->window) / l->bt : 0;
}

uint64_t kv_lanes_max_tokens(const kv_lanes *l, uint64_t nblocks) {
  uint64_t bt = l->bt, lf = l->lf, lw = l->lw;
  if (!lw) return nblocks * bt;
  uint64_t wcap = KV_DIV_CEIL((uint64_t)l->window - 1, bt) + 1, m;
  if ((lf + lw) * wcap > nblocks)
    m = nblocks / (lf + lw);
  else if (lf == 0)
    return UINT64_MAX;
  else
    m = (nblocks - lw * wcap) / lf;
  return m * bt;
}

bool kv_lanes_step(const kv_lanes *l, uint32_t n, uint32_t nw, uint64_t wlo,
                   uint64_t tokens, kv_lane_step *out) {
  uint64_t hi = KV_DIV_CEIL(tokens, l->bt);
  uint64_t lo = kv_lanes_win_lo(l, tokens);
  uint32_t nf = n - nw, lf = l->lf, lw = l->lw;
  uint64_t fb = lf ? nf / lf : 0, wb = nw / lw;
  if (!wb) wlo = lo;
  uint64_t whi = wlo + wb;
  if (lo < wlo) return false;
  uint64_t drop = KV_MIN(lo, whi) - wlo, wfrom = KV_MAX(whi, lo);
  uint64_t addf = hi > fb ? hi - fb : 0, addw = hi > wfrom ? hi - wfrom : 0;
  out->kf = lf * addf;
  out->kw = lw * addw;
  out->freed = lw * drop;
  return true;
}
