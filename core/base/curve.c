/* curve.c - measured tables, linear between points (see curve.h).
 * Main entry points: kv_curve_eval(), kv_curve_validate(), kv_grid_eval(),
 * kv_grid_validate().
 */
#include "curve.h"

#include <math.h>

double kv_curve_eval(const kv_curve *c, double x, kv_curve_beyond beyond) {
  uint32_t n = c->n;
  if (n == 1 || x <= c->x[0]) return c->y[0];
  if (x >= c->x[n - 1]) {
    if (beyond == KV_CURVE_FLAT) return c->y[n - 1];
    double slope = (c->y[n - 1] - c->y[n - 2]) / (c->x[n - 1] - c->x[n - 2]);
    return slope > 0 ? c->y[n - 1] + slope * (x - c->x[n - 1]) : c->y[n - 1];
  }
  uint32_t i = 1;
  while (x > c->x[i])
    i++;
  double f = (x - c->x[i - 1]) / (c->x[i] - c->x[i - 1]);
  return c->y[i - 1] + f * (c->y[i] - c->y[i - 1]);
}

kv_status kv_curve_validate(const kv_curve *c, const char *field,
                            kv_error *err) {
  if (c->n > KV_CURVE_MAX)
    return kv_error_set(err, KV_EINVAL,
                        "platform field '%s' has %u points (at most %d)", field,
                        c->n, KV_CURVE_MAX);
  for (uint32_t i = 0; i < c->n; i++) {
    if (!(c->x[i] > 0) || !isfinite(c->x[i]))
      return kv_error_set(err, KV_EINVAL,
                          "platform field '%s': point %u has x = %g (must be "
                          "finite and > 0)",
                          field, i + 1, c->x[i]);
    if (i > 0 && !(c->x[i] > c->x[i - 1]))
      return kv_error_set(err, KV_EINVAL,
                          "platform field '%s': point %u has x = %g, not above "
                          "the previous %g (x must increase)",
                          field, i + 1, c->x[i], c->x[i - 1]);
    if (!(c->y[i] >= 0) || !isfinite(c->y[i]))
      return kv_error_set(err, KV_EINVAL,
                          "platform field '%s': point %u has y = %g (must be "
                          "finite and >= 0)",
                          field, i + 1, c->y[i]);
  }
  return KV_OK;
}

double kv_grid_eval(const kv_grid *g, double u, double x) {
  uint32_t n = g->n;
  if (n == 1 || u <= g->u[0])
    return kv_curve_eval(&g->row[0], x, KV_CURVE_FLAT);
  if (u >= g->u[n - 1]) return kv_curve_eval(&g->row[n - 1], x, KV_CURVE_FLAT);
  uint32_t i = 1;
  while (u > g->u[i])
    i++;
  double a = kv_curve_eval(&g->row[i - 1], x, KV_CURVE_FLAT);
  double b = kv_curve_eval(&g->row[i], x, KV_CURVE_FLAT);
  double f = (log(u) - log(g->u[i - 1])) / (log(g->u[i]) - log(g->u[i - 1]));
  return a + f * (b - a);
}

kv_status kv_grid_validate(const kv_grid *g, const char *field, kv_error *err) {
  if (g->n > KV_GRID_MAX)
    return kv_error_set(err, KV_EINVAL,
                        "platform field '%s' has %u rows (at most %d)", field,
                        g->n, KV_GRID_MAX);
  for (uint32_t i = 0; i < g->n; i++) {
    if (!(g->u[i] > 0) || !isfinite(g->u[i]))
      return kv_error_set(err, KV_EINVAL,
                          "platform field '%s': row %u has key %g (must be "
                          "finite and > 0)",
                          field, i + 1, g->u[i]);
    if (i > 0 && !(g->u[i] > g->u[i - 1]))
      return kv_error_set(err, KV_EINVAL,
                          "platform field '%s': row %u has key %g, not above "
                          "the previous %g (keys must increase)",
                          field, i + 1, g->u[i], g->u[i - 1]);
    if (g->row[i].n == 0)
      return kv_error_set(err, KV_EINVAL,
                          "platform field '%s': row %u (key %g) has no points",
                          field, i + 1, g->u[i]);
    kv_error e = {0};
    kv_status st = kv_curve_validate(&g->row[i], field, &e);
    if (st)
      return kv_error_set(err, st, "%s (row %u, key %g)", e.msg, i + 1,
                          g->u[i]);
  }
  return KV_OK;
}
