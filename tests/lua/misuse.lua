-- One misuse of the API per case, chosen by arg[1]; each must raise an
-- error that names the problem (test_cli checks stderr and exit status).
local kv = require "kvsim"

local case = arg[1]
local function run(over)
  local cfg = {
    model = "llama-3-8b", platform = "h100-sxm-80gb", backend = "ideal",
    workload = kv.workload { preset = "azure-conv", seed = 1, count = 20 },
    strategy = "paged",
  }
  for k, v in pairs(over) do cfg[k] = v end
  return kv.run(cfg)
end

local cases = {
  tp3_ideal = function() run { tp = 3 } end,
  tp3_simgrid = function() run { tp = 3, backend = "simgrid" } end,
  tp16_ideal = function() run { tp = 16 } end,
  tp16_simgrid = function() run { tp = 16, backend = "simgrid" } end,
  unknown_model = function() kv.model("llama-9-1t") end,
  unknown_platform = function() kv.platform("tpu-v9") end,
  unknown_strategy = function() run { strategy = "pagd" } end,
  unknown_key = function() run { max_num_seq = 8 } end,
  unknown_strategy_key = function() run { strategy = { "paged", page_bytes = 4096 } } end,
  unknown_platform_field = function() kv.platform { base = "h100-sxm-80gb", pcie_bww = 1e9 } end,
  grid_row_not_a_curve = function()
    kv.platform { base = "h100-sxm-80gb", sm_copy_grid_h2d = { { 256, 5 } } }
  end,
  grid_rows_not_increasing = function()
    kv.platform { base = "h100-sxm-80gb", sm_copy_grid_d2h = { { 4096, { { 1, 1e9 } } }, { 256, { { 1, 1e9 } } } } }
  end,
  block_tokens_zero = function() run { strategy = { "paged", block_tokens = 0 } } end,
  page_bytes_negative = function() run { strategy = { "vmm", page_bytes = -1 } } end,
  kv_capacity_zero = function() run { kv_capacity = 0 } end,
  gpu_too_small = function() run { kv_capacity = 1024 * 1024 } end,
  static_too_small = function()
    run { strategy = { "static", max_context = 8192 }, kv_capacity = 512 * 1024 * 1024 }
  end,
  missing_trace = function() kv.workload { trace = "/nonexistent/dir/trace.csv" } end,
  missing_trace_path = function() kv.trace("azure-conv", { path = "/nonexistent/azure.csv" }) end,
  -- arg[2]: a trace file with a bad line (written by the test)
  malformed_trace = function() kv.workload { trace = arg[2] } end,
  bad_backend = function() run { backend = "quantum" } end,
  long_prompts_bad = function() run { long_prompts = "drop" } end,
  xml_missing = function() kv.platform { base = "h100-sxm-80gb", xml = "/nonexistent/server.xml" } end,
  xml_with_ideal = function()
    run { platform = kv.platform { base = "h100-sxm-80gb", xml = "tests/bad/xml_truncated.xml" } }
  end,
}

local f = cases[case]
if not f then error("unknown case '" .. tostring(case) .. "'") end
f()
print("no error")
