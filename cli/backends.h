/* backends.h - the backends this kvsim program links, in one table
 * (cli/backends.c): what it hands the Lua binding (kv_lua_set_backends).
 * Main entry point: kv_cli_backends.
 */
#ifndef KV_CLI_BACKENDS_H
#define KV_CLI_BACKENDS_H

#include <stddef.h>

#include "lua_kvsim.h"

/* Every backend kvsim knows, built or not (desc NULL: built without it),
 * in a fixed order (run hashes hold the index: append new ones). */
extern const kv_lua_backend kv_cli_backends[];
extern const size_t kv_cli_backends_n;
/* The default backend of kv.run and kv.sweep: simgrid when built. */
extern const char *const kv_cli_default_backend;
/* ", simgrid, gpu" style list of the built backends after the first. */
void kv_cli_backends_list(char *buf, size_t n);
/* 1 when the GPU backend is built and a CUDA device is usable. */
int kv_cli_gpu_usable(void);

#endif
