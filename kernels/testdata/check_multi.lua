-- kernels/testdata/check_multi.lua FILE - what kvsim-calibrate-multi
-- --example writes (FILE: its example_multi.lua, made-up figures) loads as
-- a platform: its base preset's fields plus gpus_per_server, host_bw,
-- nvlink_bw, nvlink_lat and the all-reduce table, one row per tp, which
-- then prices a tp 2 run (its backend_config says so), and the raw-curve
-- CSV beside it holds every curve the file was made from. Runs on the CPU:
--   build/kernels/kvsim-calibrate-multi --example /tmp/x
--   build/kvsim kernels/testdata/check_multi.lua /tmp/x/example_multi.lua
-- Prints OK, or fails with the first disagreement.
local kv = require "kvsim"

local file = assert(arg and arg[1], "usage: kvsim check_multi.lua FILE")
local p = kv.platform{ file = file }
local function check(ok, what, ...)
  if not ok then error(string.format(what, ...), 2) end
end
check(p.gpus_per_server == 4, "gpus_per_server %s", tostring(p.gpus_per_server))
check(p.hbm_bytes == kv.platform("h100-sxm-80gb").hbm_bytes, "base preset not applied")
check(p.host_bw > 1e11 and p.nvlink_bw == 4.4e11 and p.nvlink_lat == 1.6e-6,
      "host_bw %g nvlink_bw %g nvlink_lat %g", p.host_bw, p.nvlink_bw, p.nvlink_lat)
local t = p.allreduce_table
check(#t == 2 and t[1][1] == 2 and t[2][1] == 4, "allreduce_table rows")
for _, row in ipairs(t) do
  check(#row[2] == 11, "tp %d: %d points", row[1], #row[2])
  for i = 2, #row[2] do
    check(row[2][i][1] == 4 * row[2][i - 1][1], "tp %d: sizes", row[1])
    check(row[2][i][2] > row[2][i - 1][2], "tp %d: time falls", row[1])
  end
end
-- the CSV beside it: every all-reduce point of the file, bit for bit
local csv = file:gsub("%.lua$", "") .. ".curves.csv"
local seen, curves = 0, {}
for line in io.lines(csv) do
  local name, x, y = line:match("^([^,]+),([^,]+),([^,]+),")
  if name and name ~= "curve" then
    curves[name] = true
    local tp = name:match("^allreduce_tp(%d+)$")
    if tp then
      for _, row in ipairs(t) do
        if row[1] == tonumber(tp) then
          for _, pt in ipairs(row[2]) do
            if pt[1] == tonumber(x) then
              check(pt[2] == tonumber(y), "%s at %s: %s vs %s", name, x, y, pt[2])
              seen = seen + 1
            end
          end
        end
      end
    end
  end
end
check(seen == 22, "%d all-reduce points in the CSV", seen)
for _, c in ipairs{ "host_local_both_n4_aggregate", "host_remote_h2d_n1_per_gpu",
                    "peer_ce_0_1", "peer_sm_0_1", "allreduce_tp4_busbw" } do
  check(curves[c], "curve %s missing from %s", c, csv)
end
-- a tp 2 run is priced from the table and says so
local w = kv.workload{ preset = "azure-conv", seed = 3, count = 20 }
local r = kv.run{ model = "llama-3-8b", platform = p, workload = w,
                  strategy = "paged", backend = "ideal", tp = 2, seed = 3 }
check(r.backend_config:find("all-reduce measured table (tp 2)", 1, true),
      "backend_config: %s", r.backend_config)
print("OK")
