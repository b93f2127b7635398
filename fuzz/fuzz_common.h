/* fuzz_common.h - helpers shared by kvsim's libFuzzer harnesses: a byte
 * cursor that decodes integers from the fuzz input (zeros once exhausted),
 * and that a driver generating its own inputs (fuzz/soak_strategy.c) can
 * steer by rewriting the byte it is about to read; a failure macro that
 * prints and aborts; a helper that writes the input to an anonymous memory
 * file and returns a /proc/self/fd path for readers that take a path.
 * Main entry points: fz_u8(), fz_u32(), fz_u8_steer(), FZ_CHECK(),
 * fz_memfd_path().
 */
#ifndef KV_FUZZ_COMMON_H
#define KV_FUZZ_COMMON_H

#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

typedef struct fz_cursor {
  const uint8_t *p;
  size_t n, i;
} fz_cursor;

static inline int fz_left(const fz_cursor *c) {
  return c->i < c->n;
}

static inline uint8_t fz_u8(fz_cursor *c) {
  return c->i < c->n ? c->p[c->i++] : 0;
}

/* The next byte (0 once exhausted), not consumed. */
static inline uint8_t fz_peek(const fz_cursor *c) {
  return c->i < c->n ? c->p[c->i] : 0;
}

/* Read a byte that a steering driver wants to be (byte & ~clear) | set.
 * w is NULL (the byte is read as it is) or the input itself, writable: the
 * byte is rewritten there first, so that the plain decoder (libFuzzer's
 * replay of the saved input) reads the same value. */
static inline uint8_t fz_u8_steer(fz_cursor *c, uint8_t *w, uint8_t clear,
                                  uint8_t set) {
  if (w && c->i < c->n) w[c->i] = (uint8_t)((w[c->i] & ~clear) | set);
  return fz_u8(c);
}

static inline uint16_t fz_u16(fz_cursor *c) {
  uint16_t lo = fz_u8(c);
  return (uint16_t)(lo | (uint16_t)fz_u8(c) << 8);
}

static inline uint32_t fz_u32(fz_cursor *c) {
  uint32_t lo = fz_u16(c);
  return lo | (uint32_t)fz_u16(c) << 16;
}

static inline uint64_t fz_u64(fz_cursor *c) {
  uint64_t lo = fz_u32(c);
  return lo | (uint64_t)fz_u32(c) << 32;
}

/* A finding: say what broke, then abort so libFuzzer saves the input. */
#define FZ_CHECK(cond, ...)                                                    \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
      fprintf(stderr, __VA_ARGS__);                                            \
      fputc('\n', stderr);                                                     \
      abort();                                                                 \
    }                                                                          \
  } while (0)

/* Write data to a fresh memfd; path receives "/proc/self/fd/N". Returns the
 * fd (close it when done) or -1. */
static inline int fz_memfd_path(const uint8_t *data, size_t n, char *path,
                                size_t path_n) {
  int fd = memfd_create("kvsim-fuzz", 0);
  if (fd < 0) return -1;
  size_t off = 0;
  while (off < n) {
    ssize_t w = write(fd, data + off, n - off);
    if (w <= 0) {
      close(fd);
      return -1;
    }
    off += (size_t)w;
  }
  snprintf(path, path_n, "/proc/self/fd/%d", fd);
  return fd;
}

#endif
