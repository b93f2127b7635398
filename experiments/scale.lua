-- experiments/scale.lua - many GPUs offloading KV to host memory at once:
-- what shared PCIe switch uplinks and host DRAM leave to each GPU, and a
-- 64-GPU cluster what-if.
--
-- Part 1: N = 1, 2, 4, 8 GPUs of one 8-GPU H100 server, one Llama-3-8B
-- replica per GPU (kv.run{ replicas = N }), all in one SimGrid simulation,
-- every GPU with a small KV memory (kv_capacity, 2 GiB) so that the engines
-- preempt by swapping to host memory. GPUs sit behind PCIe switch uplinks
-- shared by U of them (gpus_per_uplink U = 0: no shared uplink, only host
-- DRAM is shared; 2; 4). Two load patterns: "lockstep" (dispatch
-- "replicate": every GPU serves its own copy of the same trace slice, so
-- all GPUs swap at the same moments: the worst case) and "split" (the
-- trace replayed N times faster and dispatched round robin: independent
-- GPUs that swap at different moments). Per configuration: the offload
-- bandwidth each GPU got (bytes swapped / swap copy time, mean over GPUs),
-- TPOT and TTFT, throughput.
-- Part 2: 8 servers x 8 GPUs (64 GPUs, 4 per uplink) serving the Azure
-- conversation trace 64x faster than real time: 64 replicas of tp 1, and
-- 16 replicas of tp 4.
-- Writes scale.csv, cluster.csv, summary.json, bandwidth.png, tpot.png and
-- ends with a conclusion computed from the numbers.
--
--   kvsim experiments/scale.lua [options]   (--help lists them)

local kv = require "kvsim"

local opt = kv.parse_args(arg, {
  prog = "kvsim experiments/scale.lua",
  options = {
    { name = "trace", type = "file", metavar = "PATH",
      help = "Azure conversation trace CSV (default: found by kv.trace)" },
    { name = "requests", type = "integer", positive = true, default = 500, metavar = "N",
      help = "requests per GPU in part 1" },
    { name = "capacity", type = "number", positive = true, default = 2, metavar = "GIB",
      help = "KV memory per GPU in GiB" },
    { name = "servers", type = "integer", positive = true, default = 8, metavar = "N",
      help = "servers in the cluster case" },
    { name = "seed", type = "integer", min = 0, default = 1, metavar = "N",
      help = "seed of the runs and of the synthetic fallback" },
    { name = "out", type = "string", default = "results/scale", metavar = "DIR",
      help = "results directory" },
    { name = "jobs", type = "integer", positive = true, default = 2, metavar = "N",
      help = "runs in parallel" },
    { name = "quick", type = "flag", help = "small version for tests (150 requests per GPU, 1 GiB, 2 servers)" },
    { name = "synthetic", type = "flag", help = "use the synthetic preset azure-conv even if the file exists" },
    { name = "no-plot", type = "flag", help = "skip the PNG plots" },
  },
})
if not opt then return end
-- --quick wins over --requests, --servers and --capacity wherever it appears
if opt.quick then opt.requests, opt.servers, opt.capacity = 150, 2, 1 end

local GiB = 1024 * 1024 * 1024
local model = kv.model("llama-3-8b")
local base = kv.platform("h100-sxm-80gb")
local capacity = math.floor(opt.capacity * GiB)
local gpus_per_server = base.gpus_per_server
local function trace(count, speedup)
  return kv.trace("azure-conv", {
    path = opt.trace, count = count, speedup = speedup, seed = opt.seed, synthetic = opt.synthetic,
  })
end

local function run_cfg(label, platform, workload, replicas, tp, dispatch)
  return {
    label = label, model = model, platform = platform, workload = workload,
    strategy = { "paged", block_tokens = 16, copy_via = "engine" },
    backend = "simgrid", seed = opt.seed, kv_capacity = capacity,
    preempt = "swap", host_bytes = 64 * GiB,
    replicas = replicas, tp = tp, dispatch = dispatch,
  }
end

-- ---- part 1: one server ----
local Ns, Us = { 1, 2, 4, 8 }, { 0, 2, 4 }
local runs, meta = {}, {}
local slice = trace(opt.requests, 1)
for _, pattern in ipairs({ "lockstep", "split" }) do
  for _, U in ipairs(Us) do
    if pattern == "lockstep" or U == 4 then
      local platform = kv.platform { base = "h100-sxm-80gb", gpus_per_uplink = U }
      for _, N in ipairs(Ns) do
        local w, dispatch = slice, "replicate"
        if pattern == "split" then w, dispatch = trace(opt.requests * N, N), "round_robin" end
        runs[#runs + 1] = run_cfg(("%s-U%d-N%d"):format(pattern, U, N), platform, w, N, 1, dispatch)
        meta[#runs] = { part = "server", pattern = pattern, U = U, N = N, tp = 1 }
      end
    end
  end
end

-- ---- part 2: the cluster ----
local S = opt.servers
local G = S * gpus_per_server
local cluster = kv.platform { base = "h100-sxm-80gb", servers = S, gpus_per_uplink = 4 }
local cluster_trace = trace(opt.quick and 100 * G or nil, G)
for _, tp in ipairs({ 1, 4 }) do
  runs[#runs + 1] = run_cfg(("cluster-%dx%d-tp%d"):format(S, gpus_per_server, tp), cluster,
    cluster_trace, G // tp, tp, "round_robin")
  meta[#runs] = { part = "cluster", pattern = "split", U = 4, N = G, tp = tp }
end

print(("scale: %s, paged-16 with swap to host, KV capacity %s per GPU; part 1: %d requests per GPU "
  .. "from %s; part 2: %d servers x %d GPUs, %d requests at %.0fx speed")
  :format(model.name, kv.format_bytes(capacity), opt.requests, slice.source, S, gpus_per_server,
    #cluster_trace, G))
local results = kv.sweep(runs, { jobs = opt.jobs })
print(("backend %s, seed %d"):format(results[1].backend, opt.seed))
print(kv.rejections(results))

-- per-GPU offload bandwidth: bytes swapped both ways / swap copy time,
-- mean over the replicas that swapped (a tp replica counts for its GPUs)
local function per_gpu_bw(r)
  local sum, n = 0, 0
  for _, x in ipairs(r.replicas or { r }) do
    local s = x.summary
    if s.op_time.copy > 0 then
      sum = sum + (s.copy_bytes_h2d + s.copy_bytes_d2h) / s.op_time.copy
      n = n + 1
    end
  end
  return n > 0 and sum / n or 0
end

-- What the shared links leave each of N GPUs that copy at the same time:
-- its own PCIe link, its uplink shared by min(U, N) GPUs, host DRAM shared
-- by N (an upper bound; reached only when all N copy together).
local function link_bound(p, U, N)
  local b, by = p.pcie_bw, "its PCIe link"
  if U > 0 and p.uplink_bw / math.min(U, N) < b then
    b, by = p.uplink_bw / math.min(U, N), ("the uplink split %d ways"):format(math.min(U, N))
  end
  if p.host_bw > 0 and p.host_bw / N < b then
    b, by = p.host_bw / N, ("host DRAM split %d ways"):format(N)
  end
  return b, by
end

local rows, crows = {}, {}
for i, r in ipairs(results) do
  local s, m = r.summary, meta[r.run or i]
  local row = {
    label = r.label, pattern = m.pattern, gpus_per_uplink = m.U, gpus = m.N, tp = m.tp,
    replicas = r.options.replicas, requests = s.requests, completed = s.completed,
    swaps = s.swaps_out, offload_bytes = s.copy_bytes_h2d + s.copy_bytes_d2h,
    swap_time = s.op_time.copy, per_gpu_bw = per_gpu_bw(r),
    ttft_p50 = s.ttft_p50, ttft_p99 = s.ttft_p99, tpot_p50 = s.tpot_p50, tpot_p99 = s.tpot_p99,
    throughput = s.throughput, sim_time = s.sim_time,
    lockstep_bound = m.pattern == "lockstep" and link_bound(base, m.U, m.N) or nil,
  }
  if m.part == "server" then rows[#rows + 1] = row else crows[#crows + 1] = row end
end

local function ms(v) return ("%.2f"):format(1000 * v) end
local cols = {
  { key = "label", title = "configuration" },
  { key = "requests", title = "requests", fmt = "%.0f" },
  { key = "swaps", title = "swaps", fmt = "%.0f" },
  { key = "offload_bytes", title = "offload GB", fmt = function(v) return ("%.1f"):format(v / 1e9) end },
  { key = "swap_time", title = "swap s", fmt = "%.2f" },
  { key = "per_gpu_bw", title = "GB/s per GPU", fmt = function(v) return ("%.1f"):format(v / 1e9) end },
  { key = "lockstep_bound", title = "bound GB/s", fmt = function(v)
    return type(v) == "number" and ("%.1f"):format(v / 1e9) or "" end },
  { key = "tpot_p50", title = "TPOT p50 ms", fmt = ms },
  { key = "tpot_p99", title = "TPOT p99 ms", fmt = ms },
  { key = "ttft_p99", title = "TTFT p99 s", fmt = "%.2f" },
  { key = "throughput", title = "tok/s", fmt = "%.0f" },
}
print()
print("One server (U = GPUs per PCIe switch uplink, 0 = none shared; N = GPUs serving):")
print(kv.table(rows, cols))
print()
print("Cluster:")
print(kv.table(crows, cols))
print("swap s = copy time summed over replicas; GB/s per GPU = bytes swapped / swap time, mean over GPUs;")
print("bound = what the shared links leave each GPU when all N copy at once (lockstep).")

-- ---- files ----
kv.mkdir_p(opt.out)
local row_cols = { "label", "pattern", "gpus_per_uplink", "gpus", "tp", "replicas", "requests",
  "completed", "swaps", "offload_bytes", "swap_time", "per_gpu_bw", "ttft_p50", "ttft_p99",
  "tpot_p50", "tpot_p99", "throughput", "sim_time", "lockstep_bound" }
kv.write_csv(opt.out .. "/scale.csv", rows, row_cols)
kv.write_csv(opt.out .. "/cluster.csv", crows, row_cols)
local json_runs = {}
for i, r in ipairs(results) do
  local summary = {}
  for k, v in pairs(r.summary) do summary[k] = v end
  local reps = {}
  for k, x in ipairs(r.replicas or {}) do
    reps[k] = { label = x.label, requests = x.summary.requests, swaps_out = x.summary.swaps_out,
      copy_bytes_h2d = x.summary.copy_bytes_h2d, copy_bytes_d2h = x.summary.copy_bytes_d2h,
      swap_time = x.summary.op_time.copy, tpot_p99 = x.summary.tpot_p99, throughput = x.summary.throughput }
  end
  json_runs[i] = { label = r.label, options = r.options, summary = summary, replicas = reps }
end
kv.write_json(opt.out .. "/summary.json", {
  experiment = "scale", model = model.name, platform = base.name, kv_capacity = capacity,
  requests_per_gpu = opt.requests, cluster_servers = S, backend = results[1].backend,
  seed = opt.seed, runs = json_runs,
})

local plotted = false
if not opt.no_plot then
  local bw, tp = {}, {}
  for _, pattern in ipairs({ "lockstep", "split" }) do
    for _, U in ipairs(Us) do
      local x, y, y2 = {}, {}, {}
      for _, row in ipairs(rows) do
        if row.pattern == pattern and row.gpus_per_uplink == U then
          x[#x + 1] = row.gpus
          y[#y + 1] = row.per_gpu_bw / 1e9
          y2[#y2 + 1] = row.tpot_p99 * 1000
        end
      end
      if #x > 0 then
        local label = ("%s, %s"):format(pattern, U == 0 and "no shared uplink" or U .. " GPUs per uplink")
        bw[#bw + 1] = { label = label, x = x, y = y }
        tp[#tp + 1] = { label = label, x = x, y = y2 }
      end
    end
  end
  plotted = kv.plot {
    file = opt.out .. "/bandwidth.png",
    title = ("Swap bandwidth per GPU, %s server (PCIe %.0f GB/s, host DRAM %.0f GB/s)")
      :format(base.name, base.pcie_bw / 1e9, base.host_bw / 1e9),
    xlabel = "GPUs serving (N)", ylabel = "GB/s per GPU (swap bytes / swap time)",
    logx = true, xrange = { 0.8, 10 }, yrange = { 0, nil }, style = "linespoints", series = bw,
    xtics = { { 1, "1" }, { 2, "2" }, { 4, "4" }, { 8, "8" } }, key = "bottom left",
  }
  plotted = kv.plot {
    file = opt.out .. "/tpot.png",
    title = "TPOT p99 vs GPUs serving",
    xlabel = "GPUs serving (N)", ylabel = "TPOT p99 (ms)",
    logx = true, xrange = { 0.8, 10 }, style = "linespoints", series = tp,
    xtics = { { 1, "1" }, { 2, "2" }, { 4, "4" }, { 8, "8" } }, key = "top left",
  } and plotted
end
print()
print(("results in %s: scale.csv, cluster.csv, summary.json%s"):format(
  opt.out, plotted and ", bandwidth.png, tpot.png" or ""))

-- ---- conclusion, from the numbers ----
local by = {}
for _, row in ipairs(rows) do by[("%s-U%d-N%d"):format(row.pattern, row.gpus_per_uplink, row.gpus)] = row end
local function bwof(p, U, N) return by[("%s-U%d-N%d"):format(p, U, N)].per_gpu_bw / 1e9 end
local function tpof(p, U, N) return by[("%s-U%d-N%d"):format(p, U, N)].tpot_p99 * 1000 end
local pl = base
local function share(a, b) return b > 0 and 100 * a / b or 0 end
print()
local function parts_for(N)
  local parts = {}
  for _, U in ipairs(Us) do
    local b, by = link_bound(pl, U, N)
    parts[#parts + 1] = ("%.1f GB/s with %s (bound %.1f: %s)"):format(bwof("lockstep", U, N),
      U == 0 and "no shared uplink" or U .. " per uplink", b / 1e9, by)
  end
  return table.concat(parts, ", ")
end
print(("Conclusion. When every GPU swaps at the same moments (lockstep), one GPU alone gets %.1f GB/s; "
  .. "with 4 GPUs each gets %s; with 8 GPUs each gets %s, i.e. %.0f %% of the lone GPU's bandwidth "
  .. "with 4 per uplink. "
  .. "With 4 per uplink TPOT p99 moves from %.2f to %.2f ms (%+.1f %%) as N goes from 1 to 8. "
  .. "With independent load (split, 4 per uplink) swaps rarely coincide: 8 GPUs still get %.1f GB/s "
  .. "each (%.0f %% of one GPU alone).")
  :format(bwof("lockstep", 0, 1), parts_for(4), parts_for(8),
    share(bwof("lockstep", 4, 8), bwof("lockstep", 4, 1)), tpof("lockstep", 4, 1), tpof("lockstep", 4, 8),
    share(tpof("lockstep", 4, 8), tpof("lockstep", 4, 1)) - 100,
    bwof("split", 4, 8), share(bwof("split", 4, 8), bwof("split", 4, 1))))
local c1, c4 = crows[1], crows[2]
local same = math.abs(c1.throughput - c4.throughput) <= 0.05 * math.max(c1.throughput, c4.throughput)
print(("Cluster (%d GPUs, %d servers): %d replicas of tp 1 deliver %.0f tok/s (TTFT p99 %.2f s, TPOT p99 "
  .. "%.2f ms, %.0f swaps, %.1f GB/s offload per GPU that swapped); %d replicas of tp 4 deliver %.0f tok/s "
  .. "(TTFT p99 %.2f s, TPOT p99 %.2f ms, %.0f swaps). %s")
  :format(G, S, c1.replicas, c1.throughput, c1.ttft_p99, c1.tpot_p99 * 1000, c1.swaps, c1.per_gpu_bw / 1e9,
    c4.replicas, c4.throughput, c4.ttft_p99, c4.tpot_p99 * 1000, c4.swaps,
    same and ("Both keep up with the offered load (throughputs within 5 %%), so the difference is latency: "
      .. "tp 4 has %.1fx lower TPOT p99 and %.1fx lower TTFT p99%s."):format(c1.tpot_p99 / c4.tpot_p99,
        c1.ttft_p99 / c4.ttft_p99, c4.swaps < c1.swaps
          and (", and with 4x the KV memory per replica it swaps %.0f times instead of %.0f"):format(c4.swaps, c1.swaps)
          or "")
    or ("tp 1 gives %.2fx the throughput of tp 4 on the same GPUs."):format(c1.throughput / c4.throughput)))
