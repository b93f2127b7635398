/* transfer_lab.cuh - the transfer versions by number at run time, for the
 * labs only (kernels/transfer.cu, kernels/xfer_engine.cu): including it
 * instantiates every version of transfer.cuh, which the library
 * (kv_kernels.cu, kv_xfer_engine.cu) must not do; it names its promoted
 * versions at compile time instead.
 * Main entry points: kvx::launch(), kvx::launch_pair(),
 * kvx::lab_engine_create().
 */
#ifndef KV_TRANSFER_LAB_CUH
#define KV_TRANSFER_LAB_CUH

#include "transfer.cuh"

namespace kvx {

/* Version v (1..9) of launch<V>; an unknown version is refused. */
static inline cudaError_t launch(int v, const xfer_args &a, int index_bytes,
                                 int sms, cudaStream_t s,
                                 unsigned long long *ctr = nullptr) {
  switch (v) {
  case 1: return launch<1>(a, index_bytes, sms, s, ctr);
  case 2: return launch<2>(a, index_bytes, sms, s, ctr);
  case 3: return launch<3>(a, index_bytes, sms, s, ctr);
  case 4: return launch<4>(a, index_bytes, sms, s, ctr);
  case 5: return launch<5>(a, index_bytes, sms, s, ctr);
  case 6: return launch<6>(a, index_bytes, sms, s, ctr);
  case 7: return launch<7>(a, index_bytes, sms, s, ctr);
  case 8: return launch<8>(a, index_bytes, sms, s, ctr);
  case 9: return launch<9>(a, index_bytes, sms, s, ctr);
  default: return cudaErrorInvalidValue;
  }
}

/* Version v (6..9) of launch_pair<V>; another version is refused. */
static inline cudaError_t launch_pair(int v, const xfer_args &a0,
                                      const xfer_args &a1, int index_bytes,
                                      int sms, cudaStream_t s,
                                      unsigned long long *ctr) {
  switch (v) {
  case 6: return launch_pair<6>(a0, a1, index_bytes, sms, s, ctr);
  case 7: return launch_pair<7>(a0, a1, index_bytes, sms, s, ctr);
  case 8: return launch_pair<8>(a0, a1, index_bytes, sms, s, ctr);
  case 9: return launch_pair<9>(a0, a1, index_bytes, sms, s, ctr);
  default: return cudaErrorInvalidValue;
  }
}

/* Every version the engine accepts (kv_kernels.h: stage 3, 6..9; pair
 * 6..9). */
static inline bool all_engine_kernels(int stage_version, int pair_version,
                                      engine_kernels *k) {
  switch (stage_version) {
  case 3: k->stage = stage_launch<3>; break;
  case 6: k->stage = stage_launch<6>; break;
  case 7: k->stage = stage_launch<7>; break;
  case 8: k->stage = stage_launch<8>; break;
  case 9: k->stage = stage_launch<9>; break;
  default: return false;
  }
  switch (pair_version) {
  case 6: k->pair = pair_launch<6>; break;
  case 7: k->pair = pair_launch<7>; break;
  case 8: k->pair = pair_launch<8>; break;
  case 9: k->pair = pair_launch<9>; break;
  default: return false;
  }
  return true;
}

/* kv_xfer_engine_create() for the lab: any version in the options. */
static inline cudaError_t lab_engine_create(kv_xfer_engine **out,
                                            const kv_xfer_engine_opts *opts) {
  return engine_create(out, opts, all_engine_kernels);
}

} // namespace kvx

#endif
