/* trace_read.h - private to the trace readers (core/inputs/trace_*.c):
 * a file read line by line, the growing request and hash-id arrays a
 * reader fills, and one entry point per format. kv_workload_load_opts
 * (trace_read.c) opens the file, detects the format and calls its reader.
 * Main entry points: kv_trace_load_azure(), kv_trace_load_burstgpt(),
 * kv_trace_load_blockhash().
 */
#ifndef KV_TRACE_READ_H
#define KV_TRACE_READ_H

#include <stdio.h>

#include "workload.h"

#define MOONCAKE_BLOCK_TOKENS 512
#define TRACE_MAX_BLOCK (1u << 20)

/* A file read one line at a time, counting lines from 1; a line is
 * [s, e) without its newline and without a trailing '\r', and the first
 * line without a UTF-8 byte-order mark. `held` makes the next call return
 * the current line again (format detection peeks at the first one). */
typedef struct kv_line_src {
  FILE *f;
  const char *path;
  char *buf;
  size_t cap;
  size_t lineno;
  const char *s, *e;
  int held;
  int err; /* errno of a read error, 0 if none */
} kv_line_src;

/* Open path for reading (errors name it); close; the next line [s, e)
 * (0 at the end or on a read error); after the last line, an error if
 * reading failed. */
kv_status kv_line_open(kv_line_src *src, const char *path, kv_error *err);
void kv_line_close(kv_line_src *src);
int kv_line_next(kv_line_src *src, const char **s, const char **e);
kv_status kv_line_check(const kv_line_src *src, kv_error *err);
/* Whether [s, e) is only blanks. */
int kv_line_blank(const char *s, const char *e);
/* KV_EPARSE naming path:lineno and the column when [s, e) is not text
 * (binary or non-UTF-8 bytes). */
kv_status kv_line_check_text(const char *path, size_t lineno, const char *s,
                             const char *e, kv_error *err);

/* Hash ids are read into `ids` one request at a time, then encoded into
 * the byte arena `bytes` (kv_trace_hash_commit). */
typedef struct kv_trace_builder {
  kv_request_spec *reqs;
  size_t n, cap;
  uint32_t *ids; /* the line being read */
  size_t cap_ids;
  uint8_t *bytes;
  size_t n_bytes, cap_bytes;
  size_t n_hashes; /* ids committed */
} kv_trace_builder;

/* A new request (zeroed) at the end; room for k hash ids of the request
 * being read; its ids encoded and attached to r; free everything; hand the
 * requests, sorted by arrival, to w. */
kv_request_spec *kv_trace_push(kv_trace_builder *b);
uint32_t *kv_trace_hash_reserve(kv_trace_builder *b, size_t k);
void kv_trace_hash_commit(kv_trace_builder *b, kv_request_spec *r, size_t k);
void kv_trace_builder_free(kv_trace_builder *b);
void kv_trace_finish(kv_trace_builder *b, kv_workload *w,
                     uint32_t block_tokens);

/* The readers, each from the first line of an open file (trace_csv.c:
 * Azure and BurstGPT CSV; trace_jsonl.c: block-hash JSONL). */
kv_status kv_trace_load_azure(kv_line_src *src, kv_workload *w, kv_error *err);
kv_status kv_trace_load_burstgpt(kv_line_src *src, const kv_trace_opts *o,
                                 kv_workload *w, kv_error *err);
kv_status kv_trace_load_blockhash(kv_line_src *src, const kv_trace_opts *o,
                                  kv_workload *w, kv_error *err);

#endif
