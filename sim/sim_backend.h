/* sim_backend.h - the SimGrid backend: kvsim's ops timed on a SimGrid model
 * of a GPU server's memory system (HBM, PCIe split-duplex, shared uplinks,
 * NVLink, host DRAM, NIC), with the VMM driver as a serialized resource per
 * GPU. kvsim's own event loop runs inside SimGrid (one actor per engine
 * replica, none per request or block). SimGrid is a per-process singleton:
 * one simulation per process (see core/run/sweep.h for running many).
 * kv_sim_backend_desc registers it (core/engine/backend_desc.h; sim_desc.c).
 * Main entry points: kv_backend_sim_create(), kv_sim_backend_desc.
 */
#ifndef KV_SIM_BACKEND_H
#define KV_SIM_BACKEND_H

#include <stdint.h>
#include <stdio.h>

#include "backend.h"
#include "backend_desc.h"
#include "kv_error.h"
#include "model.h"
#include "platform.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kv_sim_options {
  const char *platform_xml; /* a user's SimGrid XML platform file, or NULL to
                               build the platform from kv_platform */
  const char *gpu_host;     /* host name of the GPU this replica runs on in
                               the XML (NULL = "gpu0") */
  uint32_t sm_copy_sms;     /* SMs given to gather/scatter copy kernels (8) */
  int log_quiet;            /* silence SimGrid's own logging (1) */
  const char *extra_cfg;    /* extra "--cfg=..." items, space separated */
  int analytic;             /* 1: a phase whose single transfer cannot meet
                               any other is timed from its route (latency +
                               bytes / bottleneck) instead of a SimGrid
                               activity; same result, faster (1).
                               2: also with replicas, where a lone transfer
                               could meet another replica's on a shared link
                               (host DRAM, uplinks): an approximation, lone
                               transfers neither slow nor are slowed by
                               other replicas' (docs/benchmarks.md measures
                               what it changes); 0: never.
                               3: exact with replicas: a lone transfer is
                               timed from its route only when no other
                               replica can have a flow on a link of its
                               route while it moves (sim_backend.c
                               lone_proven); otherwise simulated */
  int copy_order;           /* how a step's critical copies and table writes
                               run: KV_SIM_COPY_STREAM (default) or
                               KV_SIM_COPY_CONCURRENT */
  uint32_t sm_copy_threads; /* threads per block of those kernels (0 = the
                               library kernel's, KV_SM_COPY_THREADS): their
                               rate is kv_platform_sm_copy_bw_threads */
} kv_sim_options;

/* KV_SIM_COPY_STREAM: in op order on one stream, as the GPU backend issues
 * them: each op's issue cost runs on the host (overlapping the previous
 * copy's transfer), its transfer starts when both its issue and the
 * previous transfer are done; a driver call that can take memory from a
 * copy (unmap, release, free VA, set access) waits for the queued copies.
 * An op's time is from the moment the stream reaches it to the end of its
 * transfer (what a CUDA event pair around it measures).
 * KV_SIM_COPY_CONCURRENT: all issue costs first, then every transfer at
 * once over the shared links (an upper bound on overlap: copies on many
 * streams and copy engines). */
enum { KV_SIM_COPY_STREAM = 0, KV_SIM_COPY_CONCURRENT = 1 };

void kv_sim_options_defaults(kv_sim_options *o);

/* Create the backend. Fails with a clear error (never a SimGrid abort) for a
 * bad platform: unknown host or link names, missing routes, bad values.
 * Only one per process. Before it has run, its descriptor's run_replicas
 * (backend_replicas.h) grows its simulation to R replicas on GPUs r*tp ..
 * (built platforms only); kv_replica_spec_execute() uses that. */
kv_backend *kv_backend_sim_create(const kv_platform *p, const kv_model *m,
                                  uint32_t tp, const kv_sim_options *opt,
                                  kv_error *err);

/* Write the SimGrid XML of the platform kv_backend_sim_create() would
 * build (a debug dump; loadable back through platform_xml). `opt` may be
 * NULL (defaults). */
kv_status kv_sim_platform_write_xml(const kv_platform *p,
                                    const kv_sim_options *opt, FILE *f,
                                    kv_error *err);

/* Many engine replicas in one simulation: replica r runs `fn(args[r], b,
 * &errs[r])` as its own SimGrid actor on GPUs r*tp .. r*tp+tp-1 (a replica
 * never shares a GPU; replicas share uplinks, host DRAM and NICs). Inside
 * fn, set kv_engine_cfg.backend = b and call kv_engine_run(). Needs
 * replicas*tp <= servers*gpus_per_server and a built platform (no XML).
 * codes[r] and errs[r] receive each replica's outcome. Returns KV_OK when
 * all succeeded, else the first failing code (err names the replica).
 * SimGrid runs once per process: call this in a forked child (sweep.h). */
typedef kv_status (*kv_sim_replica_fn)(void *arg, kv_backend *b, kv_error *err);
kv_status kv_sim_run_replicas(const kv_platform *p, const kv_model *m,
                              uint32_t tp, const kv_sim_options *opt,
                              size_t replicas, kv_sim_replica_fn fn,
                              void *const *args, kv_status *codes,
                              kv_error *errs, kv_error *err);

/* The SimGrid backend's descriptor (core/engine/backend_desc.h). Its options
 * are a kv_sim_options; from a run table or the command line it reads
 *   platform_xml    the platform's SimGrid XML file (kv.platform{ xml = })
 *   copy_order      "stream" | "concurrent" (KV_SIM_COPY_*)
 *   lone_transfers  "simulated" (analytic = 1, the default) | "analytic" (2)
 *                   | "exact" (3)
 *   copy_sms        SMs of the gather/scatter copy kernels (8)
 *   copy_threads    their threads per block (KV_SM_COPY_THREADS)
 * and it refuses runs that need more GPUs than the platform has, or an XML
 * platform with tp > 1 or replicas. Has the replicas extension. */
extern const kv_backend_desc kv_sim_backend_desc;

/* Options of kv_sim_backend_desc holding a copy of `o` (its strings
 * included; NULL = the defaults), for kv_run_spec.backend_opts. Free with
 * kv_backend_opts_free(). */
kv_backend_opts *kv_sim_backend_opts(const kv_sim_options *o);

/* What a backend's simulation cost so far (for benchmarks). */
typedef struct kv_sim_counters {
  uint64_t steps;            /* step() calls */
  uint64_t steps_analytic;   /* steps timed without any SimGrid activity */
  uint64_t phases_simgrid;   /* phases run as SimGrid transfers */
  uint64_t flows;            /* SimGrid transfers started */
  uint64_t sleeps;           /* SimGrid sleeps (clock catch-up) */
  uint64_t lone_proven;      /* analytic = 3: lone transfers proven alone and
                                timed from their route */
  uint64_t lone_after_sleep; /* ... of which proven after sleeping to their
                                start */
} kv_sim_counters;
void kv_sim_get_counters(const kv_backend *b, kv_sim_counters *out);
/* The same summed over the replicas of the last replicas run in this
 * process (kv_sim_run_replicas, the descriptor's run_replicas). */
void kv_sim_run_counters(kv_sim_counters *out);

#ifdef __cplusplus
}
#endif

#endif
