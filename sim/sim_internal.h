/* sim_internal.h - what the SimGrid backend's files share (not installed).
 *
 * sim_topo.c turns a kv_platform into a neutral topology (hosts, links,
 * routes) that both the C++ builder (sim_simgrid.cpp) and the XML writer
 * consume, so a dumped platform is by construction the one simulated.
 * sim_simgrid.cpp is the only file that speaks C++/SimGrid; it exposes the
 * few primitives the backend needs (init, platform, actors, flows, sleep).
 * Main entry points: kv_sim_topo_build(), kv_simx_init().
 */
#ifndef KV_SIM_INTERNAL_H
#define KV_SIM_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "backend_replicas.h"
#include "kv_error.h"
#include "platform.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- topology ---- */

enum { KV_LINK_SHARED = 0, KV_LINK_SPLITDUPLEX = 1, KV_LINK_FATPIPE = 2 };
enum { KV_DIR_NONE = 0, KV_DIR_UP = 1, KV_DIR_DOWN = 2 };

typedef struct kv_topo_host {
  char name[48];
  double speed; /* flop/s */
} kv_topo_host;

typedef struct kv_topo_link {
  char name[48];
  double bw;  /* B/s */
  double lat; /* s */
  int policy; /* KV_LINK_* */
} kv_topo_link;

typedef struct kv_topo_hop {
  uint32_t link;
  int dir; /* KV_DIR_*: UP = away from the GPU / server, DOWN = towards */
} kv_topo_hop;

typedef struct kv_topo_route {
  uint32_t src, dst;          /* host indices */
  uint32_t first_hop, hops_n; /* into kv_topo.hops */
} kv_topo_route;

typedef struct kv_topo_gpu {
  uint32_t host;    /* "gpuN" */
  uint32_t sm_host; /* "gpuN_sm": the SM gather/scatter copy path */
  uint32_t dram;    /* host DRAM of the GPU's server ("host" / "hostS") */
  uint32_t server;
} kv_topo_gpu;

typedef struct kv_topo {
  kv_topo_host *hosts;
  size_t hosts_n;
  kv_topo_link *links;
  size_t links_n;
  kv_topo_hop *hops;
  size_t hops_n, hops_cap;
  kv_topo_route *routes;
  size_t routes_n, routes_cap;
  kv_topo_gpu *gpus;
  size_t gpus_n;
} kv_topo;

/* Check the platform fields the SimGrid backend uses; errors name the
 * field. */
kv_status kv_sim_platform_check(const kv_platform *p, kv_error *err);

/* Build the topology of `p` with `sm_copy_sms` SMs for copy kernels. */
kv_status kv_sim_topo_build(const kv_platform *p, uint32_t sm_copy_sms,
                            kv_topo *t, kv_error *err);
void kv_sim_topo_free(kv_topo *t);
int kv_sim_topo_write_xml(const kv_topo *t, const char *title, FILE *f);

/* Name of the DRAM host of server `s` of a platform with `servers`. */
void kv_sim_dram_name(uint32_t servers, uint32_t s, char *buf, size_t n);

/* The replicas extension of the SimGrid backend (sim_backend.c), for its
 * descriptor (sim_desc.c). */
kv_status kv_sim_run_more(kv_backend *b, size_t replicas, kv_replica_fn fn,
                          void *const *args, kv_status *codes, kv_error *errs,
                          kv_error *err);
/* The descriptor's run_replicas_part (backend_replicas.h): a shard's
 * replicas on a world built on its own servers, described as the whole. */
kv_status kv_sim_run_part(kv_backend *b, const kv_platform *whole,
                          size_t replicas, size_t first, size_t n,
                          kv_replica_fn fn, void *const *args, kv_status *codes,
                          kv_error *errs, kv_error *err);

/* ---- SimGrid primitives (sim_simgrid.cpp) ---- */

/* Start SimGrid with argv-style items ("--cfg=...", "--log=..."). Fails if
 * SimGrid was already started in this process. */
kv_status kv_simx_init(const char *const *items, size_t n, kv_error *err);
int kv_simx_started(void);

/* Create the platform from a topology. */
kv_status kv_simx_build(const kv_topo *t, kv_error *err);

/* Check a user XML file in a forked child (a SimGrid abort cannot reach this
 * process): loads it, checks `gpu_host` and "host" exist with routes gpu ->
 * host, host -> gpu, and an explicit gpu -> gpu self-route. */
kv_status kv_simx_check_xml(const char *path, const char *gpu_host,
                            const char *const *items, size_t n, kv_error *err);

/* Load a (checked) XML file. */
kv_status kv_simx_load(const char *path, kv_error *err);

/* Host index by name (index into an internal table), or -1. */
int kv_simx_host(const char *name);

/* Route from host src to dst: total latency and bottleneck bandwidth. */
kv_status kv_simx_route(int src, int dst, double *lat, double *bw,
                        kv_error *err);

/* Run fn(arg) as an actor on host `host` once simulation runs. */
kv_status kv_simx_spawn(int host, const char *name, void (*fn)(void *),
                        void *arg, kv_error *err);

/* Run the simulation until no actor is left. */
kv_status kv_simx_run(kv_error *err);

double kv_simx_clock(void);

/* Inside an actor: let `dt` seconds pass. */
kv_status kv_simx_sleep(double dt, kv_error *err);
/* The same through a kernel timer that resumes the suspended actor (no
 * activity, no model action): cheaper; used by analytic = 3 only (its
 * order among events at one date may differ from a sleep's). */
kv_status kv_simx_sleep_timer(double dt, kv_error *err);

/* One transfer of a phase. */
typedef struct kv_simx_flow {
  int src, dst;  /* host indices */
  double bytes;  /* payload */
  double delay;  /* s after the phase start at which it starts */
  double finish; /* out: s after the phase start at which it ended */
} kv_simx_flow;

/* Inside an actor: run the flows (each starting `delay` after the phase
 * start) concurrently and wait for all; fills finish. The phase lasts until
 * the last flow ends. */
kv_status kv_simx_flows(kv_simx_flow *f, size_t n, kv_error *err);

/* "3.32.0" */
void kv_simx_version(char *buf, size_t n);

#ifdef __cplusplus
}
#endif

#endif
