-- tests/lua/multi_fixture.lua - a synthetic folder in the layout
-- `validate_gpu --lockstep` writes (DIR/n<N>/gpu<K>/: setup.lua,
-- workload.csv, summary.csv, steps_lockstep.csv, wall.csv), for
-- experiments/validate_multi.lua's test without a GPU (tests/validate_multi.sh).
--
--   kvsim tests/lua/multi_fixture.lua DIR SCALE N...
--
-- The "measured" values are a SimGrid run of the same configuration on the
-- h100-sxm-80gb preset (N replicas of dispatch "replicate"), every step time
-- and the copy time multiplied by SCALE: SCALE 1 must replay with errors of
-- ~0, SCALE 1.2 with errors of ~17-20 %. The per-step H2D / D2H bytes are
-- made up (a simulated step has no copy bytes): the run's bytes spread over
-- its steps with critical op time, half each way per step.

local kv = require "kvsim"
local dir, scale = arg[1], tonumber(arg[2])
assert(dir and scale and arg[3], "usage: kvsim tests/lua/multi_fixture.lua DIR SCALE N...")
local GiB, MiB = 1024 ^ 3, 1024 ^ 2

kv.mkdir_p(dir)
-- 40 requests, one every 50 ms, long prompts in little KV memory: swaps
local wl_lines = { "TIMESTAMP,ContextTokens,GeneratedTokens" }
for i = 0, 39 do
  wl_lines[#wl_lines + 1] = ("%.3f,%d,%d"):format(0.05 * i, 600 + (i * 337) % 900, 40 + (i * 53) % 120)
end
local wl_text = table.concat(wl_lines, "\n") .. "\n"
local tmp = dir .. "/workload.csv"
local f = assert(io.open(tmp, "w"))
f:write(wl_text)
f:close()
local workload = kv.workload { trace = tmp }
local engine = { kv_capacity = 256 * MiB, host_bytes = 8 * GiB, preempt = "swap", max_batch_tokens = 2048,
  max_num_seqs = 256, watermark = 0.01, check = 1, seed = 1, timeline_interval = 0 }
local strategy = { "paged", block_tokens = 16, copy_via = "engine" }
local thr = 1e-4

local function write(path, text)
  local h = assert(io.open(path, "w"))
  h:write(text)
  h:close()
end

for i = 3, #arg do
  local N = tonumber(arg[i])
  local r = kv.run {
    model = kv.model("llama-3-8b"), platform = kv.platform("h100-sxm-80gb"), workload = workload,
    strategy = strategy, backend = "simgrid", seed = engine.seed, kv_capacity = engine.kv_capacity,
    host_bytes = engine.host_bytes, preempt = engine.preempt, max_batch_tokens = engine.max_batch_tokens,
    max_num_seqs = engine.max_num_seqs, watermark = engine.watermark, check = engine.check,
    timeline_interval = 0, replicas = N, dispatch = N > 1 and "replicate" or nil,
  }
  local reps = r.replicas or { r }
  for k = 0, N - 1 do
    local x = reps[k + 1]
    local s, tl = x.summary, x.timeline
    local gd = ("%s/n%d/gpu%d"):format(dir, N, k)
    kv.mkdir_p(gd)
    write(gd .. "/workload.csv", wl_text)
    write(gd .. "/setup.lua", ([[
-- written by tests/lua/multi_fixture.lua in validate_gpu --lockstep's layout
return {
  experiment = "lockstep",
  backend = "fixture",
  model = "llama-3-8b",
  gpus = %d, device = %d, start_at = 0,
  workload = { file = "workload.csv", trace = "synthetic", n = 40 },
  engine = { kv_capacity = %d, host_bytes = %d, preempt = "swap", max_batch_tokens = 2048, max_num_seqs = 256,
    watermark = 0.01, check = 1, seed = 1, timeline_interval = 0 },
  label = "lockstep", strategy = { "paged", block_tokens = 16, copy_via = "engine" },
}
]]):format(N, k, engine.kv_capacity, engine.host_bytes))
    local copy_t = s.op_time.copy * scale
    write(gd .. "/summary.csv", ("label,steps,swaps_out,sim_time,copy_bytes_h2d,copy_bytes_d2h,time_copy,"
      .. "complete,stop,unfinished\nlockstep,%.0f,%.0f,%.9g,%.0f,%.0f,%.9g,1,done,0\n")
      :format(s.steps, s.swaps_out, s.sim_time * scale, s.copy_bytes_h2d, s.copy_bytes_d2h, copy_t))
    local nswap = 0
    for j = 1, #tl.step_time do if tl.op_time[j] >= thr then nswap = nswap + 1 end end
    local rows = { "row,engine_step,total,op_critical,t_copy,h2d_bytes,d2h_bytes" }
    for j = 1, #tl.step_time do
      local sw = tl.op_time[j] >= thr
      rows[#rows + 1] = ("%d,%d,%.9g,%.9g,%.9g,%.0f,%.0f"):format(j, j, tl.step_time[j] * scale,
        tl.op_time[j] * scale, sw and copy_t / nswap or 0, sw and s.copy_bytes_h2d / nswap or 0,
        sw and s.copy_bytes_d2h / nswap or 0)
    end
    write(gd .. "/steps_lockstep.csv", table.concat(rows, "\n") .. "\n")
    write(gd .. "/wall.csv", ("gpu,gpus,start_at,waited_s,wall_s,complete,stop\n%d,%d,0,0,1,1,done\n"):format(k, N))
  end
  print(("fixture N = %d: %.0f swaps out per GPU, %d steps"):format(N, reps[1].summary.swaps_out,
    #reps[1].timeline.step_time))
end
os.remove(tmp)
