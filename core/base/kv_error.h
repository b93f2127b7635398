/* kv_error.h - the one error channel of kvsim's core.
 *
 * Core code never prints and never exits: a function that can fail returns a
 * kv_status and, when given a kv_error, fills it with a message that names the
 * file, line or field at fault. Callers at the edges (CLI, Lua, benches)
 * decide what to do with it. KV_ENOMEM is an expected outcome (the simulated
 * GPU is full), not misuse: engines treat it as data.
 */
#ifndef KV_ERROR_H
#define KV_ERROR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum kv_status {
  KV_OK = 0,
  KV_ENOMEM = 1,    /* simulated device memory exhausted (expected outcome) */
  KV_EINVAL = 2,    /* bad argument, configuration or field value */
  KV_EIO = 3,       /* a file could not be opened or read */
  KV_EPARSE = 4,    /* malformed input (trace line, JSON, platform) */
  KV_ENOTFOUND = 5, /* unknown name (model, strategy, platform, host, link) */
  KV_EINTR = 6,     /* interrupted at a safe point (Ctrl-C) */
  KV_EINTERNAL = 7, /* an invariant broke: a bug in kvsim */
  KV_EBACKEND = 8,  /* the backend failed (CUDA or SimGrid error) */
} kv_status;

typedef struct kv_error {
  kv_status code;
  char msg[1024];
} kv_error;

/* Record an error (printf-style message) and return `code`. `e` may be NULL,
 * in which case only the code is returned. KV_OK clears the message. */
kv_status kv_error_set(kv_error *e, kv_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prefix an existing message with more context ("file.csv:12: "). */
kv_status kv_error_prefix(kv_error *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Short name of a status ("out of memory", "invalid argument", ...). */
const char *kv_status_name(kv_status code);

/* Format "invalid option 'pagd' (valid: static, paged, vmm, indirect)" into e.
 * `names` is NULL-terminated. `what` names the field ("strategy"). */
kv_status kv_error_unknown_name(kv_error *e, const char *what, const char *got,
                                const char *const *names);

#ifdef __cplusplus
}
#endif

#endif
