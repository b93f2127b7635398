-- kvsim/traces.lua - find real trace files, or fall back to the synthetic
-- preset fitted to the trace's published statistics.
--
-- Search order for a known trace: an explicit path; $KVSIM_DATA_DIR/traces;
-- <source dir>/data/traces; <source dir>/../shared/traces. kvsim does not
-- ship trace files (scripts/download_traces.sh fetches them).
-- Main entry points: trace(), find().

local core = require "kvsim.core"

local M = {}

-- name -> file name and the preset fitted to it
local known = {
  ["azure-conv"] = { file = "azure2023_conv.csv", preset = "azure-conv" },
  ["azure-code"] = { file = "azure2023_code.csv", preset = "azure-code" },
  ["mooncake-conv"] = { file = "mooncake_fast25_conversation.jsonl", preset = "mooncake-conv" },
}

function M.names()
  local n = {}
  for k in pairs(known) do n[#n + 1] = k end
  table.sort(n)
  return n
end

function M.search_dirs()
  local dirs = {}
  local env = os.getenv("KVSIM_DATA_DIR")
  if env and env ~= "" then dirs[#dirs + 1] = env .. "/traces" end
  dirs[#dirs + 1] = core.source_dir .. "/data/traces"
  dirs[#dirs + 1] = core.source_dir .. "/../shared/traces"
  return dirs
end

local function exists(path)
  local f = io.open(path, "r")
  if f then f:close() return true end
  return false
end

-- find(name) -> path, or nil and the list of directories searched
function M.find(name)
  local k = known[name]
  local file = k and k.file or name
  local dirs = M.search_dirs()
  for _, d in ipairs(dirs) do
    local p = d .. "/" .. file
    if exists(p) then return p end
  end
  return nil, dirs
end

local warned = {}

-- Strip "file:line: " from an error raised in here so it can be raised
-- again at the caller's position.
local function strip(msg)
  return (tostring(msg):gsub("^[^:\n]+:%d+: ", ""))
end

local opt_keys = { path = true, first = true, count = true, speedup = true,
                   seed = true, synthetic = true, on_off = true, shift = true }

-- trace(name_or_path [, opts]) -> kvsim.workload
-- opts: path (explicit file, must exist), first, count, speedup,
--       on_off, shift (kv.workload's: on/off phases, a time shift),
--       seed (for the synthetic fallback), synthetic = true (use the preset
--       even when the file exists).
function M.trace(name, opts)
  if type(name) ~= "string" then
    error("bad argument #1 to 'trace' (trace name or path expected, got " .. type(name) .. ")", 2)
  end
  opts = opts or {}
  if type(opts) ~= "table" then
    error("bad argument #2 to 'trace' (table of options expected)", 2)
  end
  for k in pairs(opts) do
    if not opt_keys[k] then
      error("bad argument #2 to 'trace' (unknown key '" .. tostring(k) ..
        "' (valid: count, first, on_off, path, seed, shift, speedup, synthetic))", 2)
    end
  end
  local k = known[name]
  local path = opts.path
  if not k and not path then path = name end -- a file name or path
  local slice = { first = opts.first, count = opts.count, speedup = opts.speedup,
                  on_off = opts.on_off, shift = opts.shift }
  local function load(t)
    for key, v in pairs(slice) do t[key] = v end
    local ok, w = pcall(core.workload, t)
    if not ok then
      local msg = strip(w):gsub("^bad argument #1 to '[^']*' %((.*)%)$", "%1")
      error("kv.trace: " .. msg, 3)
    end
    return w
  end
  if path then
    if not exists(path) then
      error("kv.trace: trace file '" .. path .. "' does not exist", 2)
    end
    return load({ trace = path })
  end
  if not opts.synthetic then
    local found, dirs = M.find(name)
    if found then return load({ trace = found }) end
    if not warned[name] then
      warned[name] = true
      io.stderr:write(("kvsim: %s not found in %s; using the synthetic preset %s "
        .. "fitted to its published statistics (scripts/download_traces.sh fetches the real file)\n")
        :format(k.file, table.concat(dirs, ", "), k.preset))
    end
  end
  return load({ preset = k.preset, seed = opts.seed or 1 })
end

return M
