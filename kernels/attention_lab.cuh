/* attention_lab.cuh - what the files of lab_attention share (what the lab
 * checks and times: attention.cu's top comment). The kernels and their
 * launchers are attention.cuh's and kv_attention.h's; this header holds
 * only the lab's host side.
 * The program's files, each a concern:
 *   attention.cu       main and the command line; the versions by number
 *                      (launch_decode, launch_prefill); the mode names;
 *                      device copies of a host problem and the checks
 *                      against the reference (--check);
 *   attention_ref.cu   a problem on the host (logical data and the three
 *                      layouts), the float64 reference, the CPU self-test
 *                      (--selftest-cpu);
 *   attention_time.cu  the timings at Llama-3-8B layer shapes and --table
 *                      (the addressing-mode grid as CSV).
 * Here: the bf16 type and bf2f, the mode names, the host problem, and the
 * functions one file calls in another, by the file that defines them.
 */
#ifndef KV_ATTENTION_LAB_CUH
#define KV_ATTENTION_LAB_CUH

#include "attention.cuh"
#include "common.cuh"
#include "kv_attention.h"

typedef kvat::bf16 bf16;

/* Mode names: the report (kModeName), the CSV (kModeCsv); defined in
 * attention.cu. */
extern const char *kModeName[];
extern const char *kModeCsv[];

static inline float bf2f(bf16 x) {
  return __bfloat162float(x);
}

/* ---- a problem on the host: logical data and the three layouts ---------- */

struct host_problem {
  uint32_t D, G, kvh, qh, batch, max_ctx, bs, max_blocks, pool_blocks;
  std::vector<int32_t> len, nq, qstart; /* qstart [batch+1] (prefill) */
  std::vector<bf16> qd;                 /* decode q [batch][qh][D] */
  std::vector<bf16> qp;                 /* prefill q [tokens][qh][D] */
  std::vector<bf16> k, v;               /* [batch][max_ctx][kvh][D] */
  std::vector<bf16> pool_k, pool_v;     /* [pool_blocks][bs][kvh][D] */
  std::vector<int32_t> bt;              /* [batch][max_blocks] */
  std::vector<unsigned char> slab;      /* blocks of K then V */
  std::vector<int64_t> off;             /* [batch][max_blocks] bytes */

  size_t row() const {
    return (size_t)kvh * D;
  }
  size_t block_elems() const {
    return (size_t)bs * row();
  }
  uint32_t tokens() const {
    return (uint32_t)qstart[batch];
  }
};

/* ---- attention.cu ------------------------------------------------------- */

cudaError_t launch_decode(int version, const kv_attention_desc *d,
                          uint32_t splits, void *workspace, cudaStream_t s);
cudaError_t launch_prefill(int version, const kv_attention_desc *d,
                           uint32_t max_q, cudaStream_t s);

/* ---- attention_ref.cu --------------------------------------------------- */

host_problem make_problem(uint32_t D, uint32_t G, uint32_t kvh,
                          uint32_t max_ctx, uint32_t bs,
                          const std::vector<int32_t> &len,
                          const std::vector<int32_t> &nq, lab_rng &r);
float scale_of(uint32_t D);
std::vector<double> ref_decode(const host_problem &p);
std::vector<double> ref_prefill(const host_problem &p);
int selftest_cpu(void);

/* ---- attention_time.cu -------------------------------------------------- */

void run_bench(lab_rng &r);
int run_table(const char *path, uint32_t QH, uint32_t KVH, uint32_t D,
              lab_rng &r);

#endif /* KV_ATTENTION_LAB_CUH */
