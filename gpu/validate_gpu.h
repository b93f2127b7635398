/* validate_gpu.h - the program validate_gpu's private header: the measured
 * half of the sim-vs-real validation (docs/validation.md). It runs workloads
 * through strategy configurations on the GPU backend (or, with --ideal, the
 * ideal backend: no GPU needed, checks the program and the files), records
 * every backend step and writes the measurements as CSV and Lua files that
 * experiments/validate*.lua replay in simulation.
 *
 *   validate_gpu [--steady | --tier | --experiment NAME] [--out DIR]
 *                [--only LABEL] [--ideal] [--split] [--list] [--cases FILE]
 *   validate_gpu --open [--out DIR] [--only LABEL] [--ideal] [--list]
 *                [--minutes M] [--start S] [--trace FILE] [--speedup X]
 *                [--max-wall S] [--batch-tokens N]
 *                [--bg-thread kept|per-step|off] [--cases FILE]
 *   validate_gpu --lockstep [--out DIR] [--device K] [--gpus N]
 *                [--start-at UNIX_TIME] [--quick] [--ideal] ...
 *
 * The files, one concern each:
 *   validate_gpu.c           main(): picks the mode; the closed batches
 *                            (validate, --steady, --tier), run_case()
 *   validate_gpu_open.c      --open, arrivals of a slice of the Azure
 *                            conversation trace at their own times
 *                            (open_main())
 *   validate_gpu_lockstep.c  --lockstep, one GPU's part of scale.lua's
 *                            lockstep swapping (lockstep_main())
 *   validate_gpu_recorder.c  a backend that wraps the measured one and
 *                            records each step (recorder_wrap())
 *   validate_gpu_cases.c     the case file experiments/gpu_cases.lua
 *                            writes: closed batches, open settings and
 *                            cases (cases_load())
 *   validate_gpu_io.c        what the modes share: output files and their
 *                            writers (steps, timeline, summary, requests),
 *                            the strategy's Lua table, the trace's path,
 *                            folders, number arguments
 * Every mode runs the engine with the recorder around the backend, then
 * writes steps_<label>.csv from the recorder, summary.csv from kv_summary
 * and the GPU backend's totals, and setup.lua, the configuration as a Lua
 * table the simulation side loads.
 */
#ifndef KVSIM_VALIDATE_GPU_H
#define KVSIM_VALIDATE_GPU_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "engine.h"
#include "gpu_backend.h"

#define DIE(...)                                                               \
  do {                                                                         \
    fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);                            \
    fprintf(stderr, __VA_ARGS__);                                              \
    fprintf(stderr, "\n");                                                     \
    exit(1);                                                                   \
  } while (0)

#define MIB (1024ull * 1024ull)
#define GIB (1024ull * MIB)
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Every mode's model and engine seed (validate_gpu.c). */
extern const char model_name[];
extern const uint64_t seed;

/* ---- the recorder (validate_gpu_recorder.c) ---- */

#define N_VMM_KINDS (KV_OP_VMM_RELEASE + 1)

/* No closed-batch configuration needs more than a few thousand steps; a run
 * past this is an engine that makes no progress, stopped rather than left
 * to spend device time. */
#define MAX_STEPS 20000
/* --open, --lockstep: a run past this makes no progress */
#define OPEN_MAX_STEPS 5000000

/* One backend step as the recorder saw it: the ops' totals by kind and the
 * inner backend's times. */
typedef struct step_rec {
  uint64_t engine_step; /* 1-based index among steps with compute, 0 none */
  uint32_t n_ops;
  uint32_t parts; /* inner steps the step was executed as (see split) */
  double compute_bytes, compute_flops;
  double copy_bytes, copy_runs, vmm_calls, table_entries;
  double crit_vmm[N_VMM_KINDS]; /* calls of ops without KV_OPF_BACKGROUND */
  double bg_vmm;                /* calls of background ops */
  int inlined; /* the GPU backend ran its background ops inline */
  kv_step_time t;
  /* --open: the COMPUTE op's shape and the clock after the step */
  double tokens, decodes, decode_keys, prefill_pairs;
  double t_end;
  double running; /* the engine's running requests (its timeline), after
                     the run */
  double h2d_bytes, d2h_bytes; /* COPY ops by direction (--lockstep) */
} step_rec;

/* The state of the recorder backend: v[0..n) are the steps so far, in
 * order; compute_steps counts those with a COMPUTE op, so the engine's
 * timeline has one row per such step. stop is the engine's interrupt flag:
 * once set (past max_steps or max_wall), stopped says why. */
typedef struct recorder {
  kv_backend *inner;
  int gpu;   /* inner is the GPU backend (kv_gpu_get_totals) */
  int split; /* --split: run a step as parts (split_step()) */
  kv_op_list sub;
  int sub_ready;
  step_rec *v;
  size_t n, cap;
  uint64_t compute_steps;
  volatile int stop;   /* set past max_steps (or max_wall): the engine stops
                          (KV_EINTR) */
  uint64_t max_steps;  /* MAX_STEPS, or OPEN_MAX_STEPS (--open) */
  double max_wall;     /* s of wall time (0 = no limit; --open) */
  double wall0;        /* monotonic clock at the run's start */
  const char *stopped; /* why it stopped: "max-steps", "max-wall" */
} recorder;

/* A backend that forwards to inner (which it owns and destroys) and records
 * each step; gpu: inner is the GPU backend; split: --split. */
kv_backend *recorder_wrap(kv_backend *inner, int gpu, int split);
recorder *rec_of(kv_backend *b);
/* Seconds on the monotonic clock. */
double wall_now(void);

/* ---- output files and the rest the modes share (validate_gpu_io.c) ---- */

/* The files a run appends its rows to: summary.csv, backend.txt and the
 * experiment's own table (steady.csv, tier.csv), all in dir. */
typedef struct outputs {
  const char *dir;
  FILE *summary, *desc, *extra; /* extra: steady.csv or tier.csv */
  int zero_counters;            /* tier counters that stayed 0 */
} outputs;

FILE *open_mode(const char *dir, const char *name, const char *mode);
FILE *open_out(const char *dir, const char *name);
void close_out(FILE *f, const char *what);
void write_steps(const char *dir, const char *label, const recorder *r,
                 int shape);
void write_timeline(const char *dir, const char *label, const kv_timeline *tl);
void summary_header(FILE *f);
void summary_row(FILE *f, const char *label, const kv_summary *s,
                 const kv_gpu_totals *t);
void load_presets(const char *pname, kv_model *m, kv_platform *p);
void strategy_lua(const char *name, const kv_strategy_cfg *scfg, char *buf,
                  size_t n);
void open_write_requests(const char *dir, const char *label,
                         const kv_result *r);
const char *open_trace_path(const char *given, char *buf, size_t n);
void mkdir_p(const char *path);
double open_num(int argc, char **argv, int *i, const char *name, double lo);

/* ---- the cases (validate_gpu_cases.c) ----
 * Written by experiments/gpu_cases.lua (the device has no Lua) as a case
 * file, one record per line; read with cases_load(). */

/* A closed batch's case: strategy options that differ from the defaults. */
typedef struct vcase {
  const char *label;
  const char *strategy;
  uint64_t page_bytes;  /* vmm */
  kv_vmm_layout layout; /* vmm */
  uint32_t map_ahead;   /* vmm */
  kv_copy_via via;      /* swap copies */
  bool deferred;        /* vmm: deferred reclamation */
  uint64_t slab_bytes;  /* indirect: slab size (0 = the default) */
  bool force_compact;   /* tier: a policy asks, in every step, compaction
                           of 32 blocks and prefetch of 2 requests */
  uint32_t max_context; /* when max_context_set (0: the model's) */
  bool max_context_set;
} vcase;

/* A closed batch: every request at t = 0, its cases run one by one. */
typedef struct experiment {
  const char *name;
  const char *dir; /* default output directory */
  size_t n_requests;
  uint32_t prompt_lo, prompt_hi, output_lo, output_hi;
  uint64_t kv_capacity, host_bytes;
  uint32_t max_batch_tokens, max_num_seqs;
  uint32_t max_context; /* printed; the cases carry their own */
  kv_preempt_mode preempt;
  int check_level;
  bool tier, prefix; /* indirect: block-level tier, prefix sharing */
  vcase *cases;
  size_t n_cases;
} experiment;

/* --open: every case runs in every setting, labelled "<setting>-<case>". */
typedef struct open_case {
  const char *name; /* label without the setting */
  const char *strategy;
  uint64_t page_bytes;  /* vmm */
  uint32_t max_context; /* static, vmm (0 = the model's) */
  bool tier;            /* in a setting with a tier, the case uses it */
} open_case;

typedef struct open_setting {
  const char *name;
  uint64_t kv_capacity, host_bytes;
  kv_preempt_mode preempt;
  int fast;           /* arrivals sped up by --speedup */
  bool tier_indirect; /* cases with tier = 1: tier = true (evict / reload) */
  kv_copy_via via;    /* swap and tier copies */
} open_setting;

typedef struct case_book {
  const char *path; /* the file read */
  experiment *x;
  size_t nx;
  open_setting *st;
  size_t nst;
  open_case *oc;
  size_t noc;
  char **lines; /* the file's lines, which the records point into */
  size_t nlines;
} case_book;

/* The case file: the path after --cases in argv, else gpu_cases.txt in the
 * program's folder (where the build and gpu/build_carry.sh put it), read
 * into *b; a missing or bad file exits naming it, its line and field. */
void cases_load_args(int argc, char **argv, case_book *b);
void cases_load(const char *path, case_book *b);
void cases_free(case_book *b);

/* ---- the modes ---- */

int open_main(int argc, char **argv);     /* validate_gpu_open.c */
void open_usage(const char *prog);        /* validate_gpu_open.c */
int lockstep_main(int argc, char **argv); /* validate_gpu_lockstep.c */
void lockstep_usage(const char *prog);    /* validate_gpu_lockstep.c */

#endif
