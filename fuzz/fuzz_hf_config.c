/* fuzz_hf_config.c - libFuzzer harness for the Hugging Face config.json
 * reader. The input is written to a memory file and read through its
 * /proc/self/fd path. A model that is accepted must pass kv_model_validate()
 * and cost a non-zero number of KV bytes per token without overflow; a
 * rejected one must come with a message that names the file.
 * Main entry point: LLVMFuzzerTestOneInput().
 */
#include "fuzz_common.h"

#include <math.h>
#include <string.h>

#include "model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char path[64];
  int fd = fz_memfd_path(data, size, path, sizeof path);
  if (fd < 0) return 0;
  kv_model m;
  kv_error err;
  memset(&err, 0, sizeof err);
  kv_status rc = kv_model_from_hf_config(path, &m, &err);
  close(fd);
  if (rc != KV_OK) {
    FZ_CHECK(rc == KV_EPARSE || rc == KV_EIO || rc == KV_EINVAL ||
                 rc == KV_ENOTFOUND,
             "status %d: %s", rc, err.msg);
    FZ_CHECK(strstr(err.msg, path) != NULL, "error does not name the file: %s",
             err.msg);
    return 0;
  }
  kv_error verr;
  rc = kv_model_validate(&m, &verr);
  FZ_CHECK(rc == KV_OK, "accepted model fails validation: %s", verr.msg);
  FZ_CHECK(memchr(m.name, '\0', sizeof m.name) != NULL, "name not terminated");
  uint64_t layer = kv_model_kv_bytes_per_token_layer(&m);
  uint64_t bpt = kv_model_kv_bytes_per_token(&m);
  FZ_CHECK(layer > 0 && bpt > 0, "zero KV bytes per token");
  FZ_CHECK(bpt / m.layers == layer, "bytes per token overflow: %llu / %u",
           (unsigned long long)bpt, m.layers);
  uint64_t b = kv_model_kv_bytes(&m, 1000);
  FZ_CHECK(b > 0, "zero bytes for 1000 tokens");
  double f = kv_model_flops(&m, 16, 16, 16 * 1000);
  FZ_CHECK(isfinite(f) && f >= 0, "flops %g", f);
  FZ_CHECK(isfinite(kv_model_weight_bytes(&m)), "weight bytes not finite");
  return 0;
}
