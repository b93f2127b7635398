/* result_wire.h - a run's results as bytes, for whatever carries them
 * between processes: a sweep's children (a pipe), a sharded run's shards,
 * run files and MPI ranks (a buffer).
 *
 * The format holds the record sizes and a version, so reading it back
 * needs a kvsim built the same way; a truncated or corrupt stream is an
 * error, never a partial result. The framing under it (a writer to a file
 * descriptor or a growing buffer, a reader over either) is exported for
 * the other messages those pipes carry.
 * Main entry points: kv_result_write(), kv_result_read(),
 * kv_results_encode(), kv_results_decode().
 */
#ifndef KV_RESULT_WIRE_H
#define KV_RESULT_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "engine.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Serialize / deserialize one result over a file descriptor. */
int kv_result_write(int fd, const kv_result *r);
int kv_result_read(int fd, kv_result *r, kv_error *err);

/* results[0..n) in the same format, in a malloc'd buffer of *len bytes. */
unsigned char *kv_results_encode(const kv_result *r, size_t n, size_t *len);
/* Decode exactly n results (out[0..n), freed on failure); -1 with err. */
int kv_results_decode(const unsigned char *buf, size_t len, kv_result *out,
                      size_t n, kv_error *err);

/* A writer to a file descriptor (fd >= 0) or a growing memory buffer
 * (fd < 0: buf holds len bytes, cap allocated). */
typedef struct kv_wire_writer {
  int fd;
  unsigned char *buf;
  size_t len, cap;
} kv_wire_writer;

/* A reader over a file descriptor (fd >= 0) or buf[pos..len). */
typedef struct kv_wire_reader {
  int fd;
  const unsigned char *buf;
  size_t len, pos;
} kv_wire_reader;

/* 0, or -1 when the descriptor fails (short write, closed pipe). */
int kv_wire_write_all(int fd, const void *p, size_t n);
/* 0, or -1 when the descriptor ends or fails before n bytes. */
int kv_wire_read_all(int fd, void *p, size_t n);
int kv_wire_put(kv_wire_writer *w, const void *p, size_t n);
int kv_wire_put_u32(kv_wire_writer *w, uint32_t v);
int kv_wire_put_u64(kv_wire_writer *w, uint64_t v);
/* 0, or -1 when fewer than n bytes remain. */
int kv_wire_get(kv_wire_reader *r, void *dst, size_t n);
/* One result as kv_result_write wrote it; -1 with err (r freed). */
int kv_wire_get_result(kv_wire_reader *in, kv_result *r, kv_error *err);

#ifdef __cplusplus
}
#endif

#endif
