/* platform_fields.h - every field of kv_platform a user may set, listed once.
 *
 * The struct (platform.h) stays written by hand, with its comments; this
 * list is what reads and writes it: the Lua binding's field table
 * (kv.platform{...}, platform files, p.field), and the range checks of
 * kv_platform_validate (platform.c). A field added to the struct and to
 * this list is readable from Lua, written back, and checked; one added to
 * the struct only is none of these.
 *
 * X(field, type, rule): `type` is the Lua representation (F_U32, F_U64,
 * F_DBL, F_STR, F_CURVE, F_GRID); `rule` is the check kv_platform_validate
 * applies from the list:
 *   PF_POS      finite and > 0          PF_NONNEG   finite and >= 0
 *   PF_RATE     PF_POS, at most KV_PLATFORM_RATE_MAX (B/s, FLOP/s)
 *   PF_RATE0    PF_NONNEG, at most KV_PLATFORM_RATE_MAX
 *   PF_CURVE    kv_curve_validate       PF_GRID     kv_grid_validate (and
 *                                                   rates bounded)
 *   PF_CUSTOM   checked by hand in kv_platform_validate (ranges of whole
 *               numbers, rules that depend on other fields)
 * Order is the order of Lua listings and of the checks.
 * Per-call VMM fields (vmm_<call>_curve, _busy, _after_step, _live) come
 * from KV_VMM_CALL_FIELDS, one entry per driver call; vmm_<call>_grow from
 * KV_VMM_GROW_FIELDS, vmm_<call>_live_va from KV_VMM_LIVE_VA_FIELDS,
 * vmm_<call>_gap (a grid) from KV_VMM_CALL_FIELDS again.
 */
#ifndef KV_PLATFORM_FIELDS_H
#define KV_PLATFORM_FIELDS_H

/* Scalars, in listing order, up to the per-call VMM fields. */
#define KV_PLATFORM_SCALARS(X)                                                 \
  X(name, F_STR, PF_CUSTOM)                                                    \
  X(gpus_per_server, F_U32, PF_CUSTOM)                                         \
  X(servers, F_U32, PF_CUSTOM)                                                 \
  X(hbm_bytes, F_U64, PF_CUSTOM)                                               \
  X(hbm_bw, F_DBL, PF_RATE)                                                    \
  X(d2d_bw, F_DBL, PF_RATE)                                                    \
  X(flops, F_DBL, PF_RATE)                                                     \
  X(fp8_gemm_speedup, F_DBL, PF_NONNEG)                                        \
  X(sms, F_U32, PF_CUSTOM)                                                     \
  X(kernel_launch, F_DBL, PF_NONNEG)                                           \
  X(pcie_bw, F_DBL, PF_RATE)                                                   \
  X(pcie_lat, F_DBL, PF_NONNEG)                                                \
  X(copy_overhead, F_DBL, PF_NONNEG)                                           \
  X(sm_copy_bw_per_sm, F_DBL, PF_RATE)                                         \
  X(sm_duplex_bw, F_DBL, PF_RATE0)                                             \
  X(gpus_per_uplink, F_U32, PF_CUSTOM)                                         \
  X(uplink_bw, F_DBL, PF_CUSTOM)                                               \
  X(host_bw, F_DBL, PF_RATE)                                                   \
  X(nvlink_bw, F_DBL, PF_CUSTOM)                                               \
  X(nvlink_lat, F_DBL, PF_NONNEG)                                              \
  X(nic_bw, F_DBL, PF_CUSTOM)                                                  \
  X(nic_lat, F_DBL, PF_NONNEG)                                                 \
  X(allreduce_base, F_DBL, PF_NONNEG)                                          \
  X(allreduce_lat, F_DBL, PF_NONNEG)                                           \
  X(allreduce_bw, F_DBL, PF_RATE0)                                             \
  X(allreduce_algo, F_U32, PF_CUSTOM)                                          \
  X(vmm_reserve, F_DBL, PF_NONNEG)                                             \
  X(vmm_create, F_DBL, PF_NONNEG)                                              \
  X(vmm_map, F_DBL, PF_NONNEG)                                                 \
  X(vmm_set_access, F_DBL, PF_NONNEG)                                          \
  X(vmm_unmap, F_DBL, PF_NONNEG)                                               \
  X(vmm_release, F_DBL, PF_NONNEG)                                             \
  X(vmm_granularity, F_U64, PF_CUSTOM)                                         \
  X(vmm_reserve_per_mib, F_DBL, PF_NONNEG)                                     \
  X(vmm_create_per_mib, F_DBL, PF_NONNEG)                                      \
  X(vmm_map_per_mib, F_DBL, PF_NONNEG)                                         \
  X(vmm_set_access_per_mib, F_DBL, PF_NONNEG)                                  \
  X(vmm_unmap_per_mib, F_DBL, PF_NONNEG)                                       \
  X(vmm_release_per_mib, F_DBL, PF_NONNEG)                                     \
  X(table_write, F_DBL, PF_NONNEG)

/* The driver calls, as in kv_vmm_call (platform.h) and their field names:
 * X(call, KV_VMM_x) gives vmm_<call>_curve, _busy, _after_step, _live. */
#define KV_VMM_CALL_FIELDS(X)                                                  \
  X(reserve, KV_VMM_RESERVE)                                                   \
  X(create, KV_VMM_CREATE)                                                     \
  X(map, KV_VMM_MAP)                                                           \
  X(set_access, KV_VMM_SET_ACCESS)                                             \
  X(unmap, KV_VMM_UNMAP)                                                       \
  X(release, KV_VMM_RELEASE)                                                   \
  X(free_va, KV_VMM_FREE_VA)

/* The calls a pool's growth prices apart (vmm_<call>_grow) and the
 * address-space calls priced by live reservations (vmm_<call>_live_va). */
#define KV_VMM_GROW_FIELDS(X)                                                  \
  X(create, KV_VMM_CREATE)                                                     \
  X(map, KV_VMM_MAP)                                                           \
  X(set_access, KV_VMM_SET_ACCESS)
#define KV_VMM_LIVE_VA_FIELDS(X)                                               \
  X(reserve, KV_VMM_RESERVE)                                                   \
  X(free_va, KV_VMM_FREE_VA)

/* Measured tables and the scalars listed among them, after the per-call
 * VMM fields. */
#define KV_PLATFORM_TABLES(X)                                                  \
  X(copy_h2d_curve, F_CURVE, PF_CURVE)                                         \
  X(copy_d2h_curve, F_CURVE, PF_CURVE)                                         \
  X(batch_h2d_curve, F_CURVE, PF_CURVE)                                        \
  X(batch_d2h_curve, F_CURVE, PF_CURVE)                                        \
  X(batch_call, F_DBL, PF_NONNEG)                                              \
  X(batch_call_curve, F_CURVE, PF_CURVE)                                       \
  X(sm_copy_h2d_curve, F_CURVE, PF_CURVE)                                      \
  X(sm_copy_d2h_curve, F_CURVE, PF_CURVE)                                      \
  X(sm_copy_page_h2d_curve, F_CURVE, PF_CURVE)                                 \
  X(sm_copy_page_d2h_curve, F_CURVE, PF_CURVE)                                 \
  X(sm_copy_grid_h2d, F_GRID, PF_GRID)                                         \
  X(sm_copy_grid_d2h, F_GRID, PF_GRID)                                         \
  X(sm_copy_threads_grid_h2d, F_GRID, PF_CUSTOM)                               \
  X(sm_copy_threads_grid_d2h, F_GRID, PF_CUSTOM)                               \
  X(attn_block_table_curve, F_CURVE, PF_CURVE)                                 \
  X(attn_offset_table_curve, F_CURVE, PF_CURVE)                                \
  X(allreduce_table, F_GRID, PF_CUSTOM)

#endif
