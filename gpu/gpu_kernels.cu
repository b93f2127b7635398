/* gpu_kernels.cu - the one kernel of the GPU backend itself: the weight
 * read of the compute stand-in (a streaming read of one buffer, repeated),
 * folded into a sink so the loads are not elided. The KV kernels (transfer,
 * attention, compaction) come from kernels/.
 * Main entry point: gpu_weight_read_launch().
 */
#include <stdint.h>

#include <cuda_runtime.h>

/* declared for C in gpu_internal.h */
extern "C" cudaError_t gpu_weight_read_launch(const void *buf, uint64_t bytes,
                                              uint64_t reps, uint64_t tail,
                                              unsigned long long *sink,
                                              int blocks, cudaStream_t stream);

__global__ void weight_read(const int4 *__restrict__ buf, uint64_t words,
                            uint64_t reps, uint64_t tail_words,
                            unsigned long long *sink) {
  uint64_t tid = (uint64_t)blockIdx.x * blockDim.x + threadIdx.x;
  uint64_t stride = (uint64_t)gridDim.x * blockDim.x;
  unsigned acc = 0;
  for (uint64_t r = 0; r <= reps; r++) {
    uint64_t n = r < reps ? words : tail_words;
    for (uint64_t i = tid; i < n; i += stride) {
      int4 v = __ldcs(buf + i); /* streaming: do not keep in L2 */
      acc ^= (unsigned)(v.x ^ v.y ^ v.z ^ v.w);
    }
  }
  /* the buffer holds zeros; never true, but the compiler cannot know */
  if (acc == 0x9e3779b9u) atomicAdd(sink, 1ull);
}

extern "C" cudaError_t gpu_weight_read_launch(const void *buf, uint64_t bytes,
                                              uint64_t reps, uint64_t tail,
                                              unsigned long long *sink,
                                              int blocks, cudaStream_t stream) {
  if (reps == 0 && tail == 0) return cudaSuccess;
  if (blocks < 1) blocks = 1;
  weight_read<<<blocks, 512, 0, stream>>>((const int4 *)buf, bytes / 16, reps,
                                          tail / 16, sink);
  return cudaGetLastError();
}

/* Fill n bf16 values with a hash of (seed, index) mapped to [-scale, scale):
 * random-looking data for the real compute's weights and activations (never
 * zeros, which run faster than real data on the matrix units). */
__global__ void fill_bf16(uint16_t *p, uint64_t n, uint64_t seed, float scale) {
  uint64_t stride = (uint64_t)gridDim.x * blockDim.x;
  for (uint64_t i = (uint64_t)blockIdx.x * blockDim.x + threadIdx.x; i < n;
       i += stride) {
    uint64_t x = (i + 1) * 0x9e3779b97f4a7c15ull ^ seed;
    x ^= x >> 31;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 29;
    float u = (float)(x >> 40) * (1.0f / 16777216.0f); /* [0, 1) */
    float f = (2.0f * u - 1.0f) * scale;
    uint32_t b = __float_as_uint(f);
    p[i] = (uint16_t)((b + 0x7fffu + ((b >> 16) & 1u)) >> 16); /* RNE */
  }
}

extern "C" cudaError_t gpu_fill_bf16_launch(void *p, uint64_t n, uint64_t seed,
                                            float scale, cudaStream_t stream) {
  if (n == 0) return cudaSuccess;
  fill_bf16<<<1024, 256, 0, stream>>>((uint16_t *)p, n, seed, scale);
  return cudaGetLastError();
}
