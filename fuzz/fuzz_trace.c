/* fuzz_trace.c - libFuzzer harness for the trace readers.
 *
 * The first byte picks the reader (format detection, Azure CSV, Mooncake
 * JSONL); the rest is written to a memory file and read through its
 * /proc/self/fd path, as kv_workload_load() takes a path. A read that
 * succeeds must give a well-formed workload (arrivals non-decreasing and
 * finite, prompt and output >= 1, prefix hashes in range); one that fails
 * must say why and name the file. Statistics, slicing and rate scaling then
 * run on what was read.
 * Main entry point: LLVMFuzzerTestOneInput().
 */
#include "fuzz_common.h"

#include <math.h>
#include <string.h>

#include "workload.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  uint8_t which = data[0] % 3;
  char path[64];
  int fd = fz_memfd_path(data + 1, size - 1, path, sizeof path);
  if (fd < 0) return 0;
  kv_workload w;
  kv_workload_init(&w);
  kv_error err;
  memset(&err, 0, sizeof err);
  kv_status rc = which == 0   ? kv_workload_load(path, &w, &err)
                 : which == 1 ? kv_workload_load_azure(path, &w, &err)
                              : kv_workload_load_mooncake(path, &w, &err);
  close(fd);
  if (rc != KV_OK) {
    FZ_CHECK(rc == KV_EPARSE || rc == KV_EIO || rc == KV_EINVAL,
             "status %d: %s", rc, err.msg);
    FZ_CHECK(strstr(err.msg, path) != NULL, "error does not name the file: %s",
             err.msg);
    kv_workload_free(&w);
    return 0;
  }
  FZ_CHECK(w.n > 0, "a trace with no request was accepted");
  double prev = 0;
  for (size_t i = 0; i < w.n; i++) {
    const kv_request_spec *r = &w.reqs[i];
    FZ_CHECK(isfinite(r->arrival) && r->arrival >= 0, "request %zu: arrival %g",
             i, r->arrival);
    FZ_CHECK(i == 0 || r->arrival >= prev, "request %zu: arrival %g < %g", i,
             r->arrival, prev);
    prev = r->arrival;
    FZ_CHECK(r->prompt >= 1 && r->output >= 1, "request %zu: %u/%u tokens", i,
             r->prompt, r->output);
    FZ_CHECK(r->hash_off + r->hash_n <= w.n_hash_bytes &&
                 r->hash_off +
                         kv_hash_span(w.hash_bytes + r->hash_off, r->hash_n) <=
                     w.n_hash_bytes,
             "request %zu: hashes at byte %llu, %u of them, of %zu bytes", i,
             (unsigned long long)r->hash_off, r->hash_n, w.n_hash_bytes);
  }
  kv_workload_stats s;
  kv_workload_stats_compute(&w, &s);
  FZ_CHECK(s.n == w.n, "stats n %zu vs %zu", s.n, w.n);
  FZ_CHECK(isfinite(s.prompt_mean) && s.prompt_mean >= 1, "prompt mean %g",
           s.prompt_mean);
  FZ_CHECK(s.prompt_max >= s.prompt_p99 && s.prompt_p99 >= s.prompt_p50,
           "prompt percentiles %g %g %g", s.prompt_p50, s.prompt_p99,
           s.prompt_max);
  kv_workload_scale_rate(&w, 4.0);
  for (size_t i = 1; i < w.n; i++)
    FZ_CHECK(w.reqs[i].arrival >= w.reqs[i - 1].arrival,
             "scaled arrivals out of order at %zu", i);
  kv_workload_slice(&w, w.n / 2, w.n);
  kv_workload_free(&w);
  return 0;
}
