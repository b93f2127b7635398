/* curve.c - measured tables, linear between points (see curve.h).
 * Main entry points: kv_curve_eval(), kv_curve_validate().
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
