-- kvsim/validation.lua - reading what gpu/validate_gpu wrote, and the
-- arithmetic of a measured-against-simulated comparison: CSV files with a
-- header (errors name file and line), nearest-rank quantiles, signed errors
-- in %, and the calibrated platform that belongs to a data folder.
-- Used by experiments/validate_open.lua (docs/validation.md, "Open
-- arrivals").
-- Main entry points: M.read_csv(path [, opts]), M.quantile(v, q),
-- M.err_pct(measured, simulated), M.find_platform(dir),
-- M.load_platform(kv, arg, dir, default).

local M = {}

-- Whether path can be read: as it is, or as path.gz (M.read_csv reads
-- either; committed measurements keep their large files compressed).
function M.exists(path)
  for _, p in ipairs { path, path .. ".gz" } do
    local f = io.open(p, "r")
    if f then f:close() return true end
  end
  return false
end

-- Whether `path` is a directory (opening a directory for reading works on
-- Linux, reading from it does not).
function M.is_dir(path)
  local f = io.open(path, "r")
  if not f then return false end
  local ok, _, code = f:read(1)
  f:close()
  return ok == nil and code == 21 -- EISDIR
end

-- The cells of one CSV line: fields split at commas, a field in double
-- quotes may hold commas and "" for a quote (as kv.write_csv writes them;
-- validate_gpu writes no quotes). Returns nil for an unclosed quote.
local function split_line(line)
  if not line:find('"', 1, true) then
    local cells = {}
    for c in (line .. ","):gmatch("([^,]*),") do cells[#cells + 1] = c end
    return cells
  end
  local cells, i, n = {}, 1, #line
  while true do
    if line:sub(i, i) == '"' then
      local parts, j = {}, i + 1
      while true do
        local q = line:find('"', j, true)
        if not q then return nil end
        parts[#parts + 1] = line:sub(j, q - 1)
        if line:sub(q + 1, q + 1) == '"' then
          parts[#parts + 1] = '"'
          j = q + 2
        else
          i = q + 1
          break
        end
      end
      cells[#cells + 1] = table.concat(parts)
      if i > n then return cells end
      if line:sub(i, i) ~= "," then return nil end
      i = i + 1
    else
      local c = line:find(",", i, true)
      cells[#cells + 1] = line:sub(i, (c or n + 1) - 1)
      if not c then return cells end
      i = c + 1
    end
  end
end

-- A CSV with a header, cells quoted or not (split_line). Returns a list
-- of rows keyed by column name. Every cell must be a number except in the
-- columns of opts.strings (a set of names), which stay strings; a cell that
-- is neither, or a row with another number of fields than the header, is an
-- error naming path:line. opts.filter(row) -> false drops a row as it is
-- read (large files).
-- A file absent as `path` is read from `path`.gz when that exists (committed
-- measurements keep their large step files compressed), through gzip -dc.
local function open_maybe_gz(path)
  local f, msg = io.open(path, "r")
  if f then return f end
  local gz = io.open(path .. ".gz", "r")
  if not gz then return nil, msg end
  gz:close()
  return io.popen("gzip -dc '" .. (path .. ".gz"):gsub("'", "'\\''") .. "'", "r")
end

function M.read_csv(path, opts)
  opts = opts or {}
  local strings = opts.strings or {}
  local f, msg = open_maybe_gz(path)
  if not f then error(msg, 0) end
  local header, rows, lineno = nil, {}, 0
  for line in f:lines() do
    lineno = lineno + 1
    line = line:gsub("\r$", "")
    if line ~= "" then
      local cells = split_line(line)
      if not cells then
        f:close()
        error(("%s:%d: a quoted field is not closed"):format(path, lineno), 0)
      end
      if not header then
        header = cells
        for k, name in ipairs(header) do
          if name == "" then
            f:close()
            error(("%s:%d: column %d of the header has no name"):format(path, lineno, k), 0)
          end
        end
      else
        if #cells ~= #header then
          f:close()
          error(("%s:%d: %d fields, the header has %d"):format(path, lineno, #cells, #header), 0)
        end
        local row = {}
        for k, name in ipairs(header) do
          local v = cells[k]
          if strings[name] then
            row[name] = v
          else
            local x = tonumber(v)
            if not x then
              f:close()
              error(("%s:%d: column '%s': '%s' is not a number"):format(path, lineno, name, v), 0)
            end
            row[name] = x
          end
        end
        if not opts.filter or opts.filter(row) then rows[#rows + 1] = row end
      end
    end
  end
  f:close()
  if not header then error(("%s: empty (no CSV header)"):format(path), 0) end
  return rows, header
end

-- Nearest-rank quantile of a list of numbers (0 for an empty list).
function M.quantile(v, q)
  local s = {}
  for i = 1, #v do s[i] = v[i] end
  table.sort(s)
  if #s == 0 then return 0 end
  local k = math.max(1, math.ceil(q * #s))
  return s[k]
end

-- The median of v (the mean of the two middle values when #v is even),
-- 0 for an empty v: what the validations' overall |error| figures quote.
-- (M.quantile(v, 0.5) is the nearest-rank one, the lower middle.)
function M.median(v)
  local s = {}
  for i = 1, #v do s[i] = v[i] end
  table.sort(s)
  local n = #s
  if n == 0 then return 0 end
  return n % 2 == 1 and s[(n + 1) // 2] or (s[n // 2] + s[n // 2 + 1]) / 2
end

function M.mean(v)
  if #v == 0 then return 0 end
  local sum = 0
  for i = 1, #v do sum = sum + v[i] end
  return sum / #v
end

-- (simulated - measured) / measured in %; nil when both are 0, math.huge
-- when only the measured value is.
function M.err_pct(measured, simulated)
  if measured == 0 and simulated == 0 then return nil end
  if measured == 0 then return math.huge end
  return 100 * (simulated - measured) / measured
end

local function ls(dir)
  local names = {}
  local p = io.popen("ls -1 '" .. dir:gsub("'", "'\\''") .. "' 2>/dev/null")
  if not p then return names end
  for name in p:lines() do names[#names + 1] = name end
  p:close()
  table.sort(names)
  return names
end

-- The calibrated platform of a data folder: <dir>/../*-measured.lua (what
-- kvsim-calibrate writes beside the run's folder), <dir>/platform.lua,
-- <dir>/*-measured.lua, in this order. Returns the path, or nil.
function M.find_platform(dir)
  for _, d in ipairs { dir .. "/..", dir } do
    for _, name in ipairs(ls(d)) do
      if name:match("%-measured%.lua$") then return d .. "/" .. name end
    end
    if d == dir .. "/.." and M.exists(dir .. "/platform.lua") then return dir .. "/platform.lua" end
  end
  return nil
end

-- The platform a validation replays on: `arg` (a calibration file or a
-- preset name; an error names both when it is neither), else the data
-- folder's own (M.find_platform), else the preset `default`. Returns the
-- platform and a note saying which it is.
function M.load_platform(kv, arg, dir, default)
  if arg then
    if M.exists(arg) then return kv.platform { file = arg }, arg end
    local ok, p = pcall(kv.platform, arg)
    if not ok then
      error(("--platform %s: neither a file nor a platform preset (%s)")
        :format(arg, table.concat(kv.platforms(), ", ")), 0)
    end
    return p, "preset " .. arg
  end
  local found = M.find_platform(dir)
  if found then return kv.platform { file = found }, found end
  return kv.platform(default), ("preset %s (no --platform, no %s/../*-measured.lua nor %s/platform.lua)")
    :format(default, dir, dir)
end

return M
