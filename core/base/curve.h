/* curve.h - a measured table y(x): up to KV_CURVE_MAX points, linear
 * between them. Platforms carry curves for what the hardware does not do at
 * one constant rate (a VMM call by handle size, a copy by size, an SM copy
 * by SMs); each comes from a calibration, never from a validation run.
 * A grid is a curve per row of a second variable.
 * Main entry points: kv_curve_eval(), kv_curve_validate(), kv_grid_eval().
 */
#ifndef KV_CURVE_H
#define KV_CURVE_H

#include <stdint.h>

#include "kv_error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KV_CURVE_MAX 16

/* How a curve goes on past its last point. */
typedef enum kv_curve_beyond {
  KV_CURVE_FLAT,   /* the last value (a cost measured flat with size) */
  KV_CURVE_LINEAR, /* the last segment's slope, never below the last value */
} kv_curve_beyond;

/* n == 0: no table (the platform's scalar fields apply). Invariants
 * (kv_curve_validate): n <= KV_CURVE_MAX, x strictly increasing and > 0,
 * y finite and >= 0. */
typedef struct kv_curve {
  uint32_t n;
  double x[KV_CURVE_MAX];
  double y[KV_CURVE_MAX];
} kv_curve;

/* y at x: linear between points, the first value below the first point,
 * `beyond` past the last. c->n must be > 0. */
double kv_curve_eval(const kv_curve *c, double x, kv_curve_beyond beyond);

/* Errors name the platform field `field` and the bad point. */
kv_status kv_curve_validate(const kv_curve *c, const char *field,
                            kv_error *err);

#define KV_GRID_MAX 8

/* A measured table of two variables z(u, x): one curve over x per row u
 * (an SM copy's rate by SMs, per page size). n == 0: no table. Invariants
 * (kv_grid_validate): n <= KV_GRID_MAX, u strictly increasing and > 0,
 * each row a valid curve with n > 0. */
typedef struct kv_grid {
  uint32_t n;
  double u[KV_GRID_MAX];
  kv_curve row[KV_GRID_MAX];
} kv_grid;

/* z at (u, x): each row at x (flat past its ends), then linear in log u
 * between the rows around u, flat past the first and last row. g->n must
 * be > 0. */
double kv_grid_eval(const kv_grid *g, double u, double x);

/* Errors name the platform field `field`, the row and the bad point. */
kv_status kv_grid_validate(const kv_grid *g, const char *field, kv_error *err);

#ifdef __cplusplus
}
#endif

#endif
