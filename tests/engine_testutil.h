/* engine_testutil.h - the model and platform the engine's tests run on
 * (Llama-3-8B on the calibrated H100 preset), loaded in a suite's init. */
#ifndef KV_ENGINE_TESTUTIL_H
#define KV_ENGINE_TESTUTIL_H

#include <criterion/criterion.h>

#include "model.h"
#include "platform.h"

static inline void tu_llama3_h100(kv_model *m, kv_platform *p) {
  kv_error err;
  cr_assert_eq(kv_model_preset("llama-3-8b", m, &err), KV_OK, "%s", err.msg);
  cr_assert_eq(kv_platform_preset("h100-sxm-80gb", p, &err), KV_OK, "%s",
               err.msg);
}

#endif
