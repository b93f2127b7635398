/* kv_error.c - error recording for core (see kv_error.h). */
#include "kv_error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

kv_status kv_error_set(kv_error *e, kv_status code, const char *fmt, ...) {
  if (!e) return code;
  e->code = code;
  if (code == KV_OK || !fmt) {
    e->msg[0] = '\0';
    return code;
  }
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(e->msg, sizeof e->msg, fmt, ap);
  va_end(ap);
  return code;
}

kv_status kv_error_prefix(kv_error *e, const char *fmt, ...) {
  if (!e) return KV_OK;
  char head[512];
  va_list ap;
  va_start(ap, fmt);
  int h = vsnprintf(head, sizeof head, fmt, ap);
  va_end(ap);
  if (h <= 0) return e->code;
  size_t hl = (size_t)h < sizeof head ? (size_t)h : sizeof head - 1;
  size_t cap = sizeof e->msg;
  if (hl >= cap) hl = cap - 1;
  size_t ol = strnlen(e->msg, cap - 1);
  if (hl + ol >= cap) ol = cap - 1 - hl;
  memmove(e->msg + hl, e->msg, ol); /* keep the old message after the head */
  memcpy(e->msg, head, hl);
  e->msg[hl + ol] = '\0';
  return e->code;
}

const char *kv_status_name(kv_status code) {
  switch (code) {
  case KV_OK: return "ok";
  case KV_ENOMEM: return "out of device memory";
  case KV_EINVAL: return "invalid argument";
  case KV_EIO: return "i/o error";
  case KV_EPARSE: return "parse error";
  case KV_ENOTFOUND: return "not found";
  case KV_EINTR: return "interrupted";
  case KV_EINTERNAL: return "internal error";
  case KV_EBACKEND: return "backend error";
  }
  return "unknown error";
}

kv_status kv_error_unknown_name(kv_error *e, const char *what, const char *got,
                                const char *const *names) {
  char list[768];
  size_t n = 0;
  list[0] = '\0';
  for (size_t i = 0; names && names[i]; i++) {
    int w =
        snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "", names[i]);
    if (w < 0 || (size_t)w >= sizeof list - n) break;
    n += (size_t)w;
  }
  return kv_error_set(e, KV_ENOTFOUND, "invalid %s '%s' (valid: %s)", what,
                      got ? got : "(nil)", list);
}
