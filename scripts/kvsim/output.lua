-- kvsim/output.lua - deterministic CSV and JSON writers for results.
--
-- Numbers are written the same way on every run: integers (and floats with
-- an exact integer value below 2^53) in full, other floats with "%.9g".
-- JSON objects list their keys sorted. Nothing here reads a clock.
-- Main entry points: write_csv(), write_json(), format_number().

local M = {}

local fmt, mtype, tointeger = string.format, math.type, math.tointeger

function M.format_number(x)
  if mtype(x) == "integer" then return fmt("%d", x) end
  if x ~= x then return "nan" end
  if x == math.huge then return "inf" end
  if x == -math.huge then return "-inf" end
  local i = tointeger(x)
  if i and x > -2^53 and x < 2^53 then return fmt("%d", i) end
  return fmt("%.9g", x)
end
local format_number = M.format_number

local function csv_cell(v, where)
  local t = type(v)
  if t == "number" then return format_number(v) end
  if t == "nil" then return "" end
  if t == "boolean" then return tostring(v) end
  if t == "string" then
    if v:find('[,"\r\n]') then return '"' .. v:gsub('"', '""') .. '"' end
    return v
  end
  error(fmt("write_csv: %s is a %s (cells must be numbers, strings or booleans)",
    where, t), 3)
end

local function sorted_keys(t)
  local keys = {}
  for k in pairs(t) do
    if type(k) == "string" then keys[#keys + 1] = k end
  end
  table.sort(keys)
  return keys
end

-- write_csv(path, data [, columns]) -> number of rows
-- data is a list of rows ({ {a = 1, b = 2}, ... }) or columns
-- ({ a = {1, 2}, b = {3, 4} }); columns gives the order (default: sorted
-- keys, over every row for row lists).
function M.write_csv(path, data, columns)
  if type(path) ~= "string" then
    error("bad argument #1 to 'write_csv' (path expected, got " .. type(path) .. ")", 2)
  end
  if type(data) ~= "table" then
    error("bad argument #2 to 'write_csv' (table expected, got " .. type(data) .. ")", 2)
  end
  if columns ~= nil and type(columns) ~= "table" then
    error("bad argument #3 to 'write_csv' (list of column names expected)", 2)
  end
  local rows_form = data[1] ~= nil or next(data) == nil
  local cols = columns
  if not cols then
    if rows_form then
      local seen = {}
      for _, row in ipairs(data) do
        for k in pairs(row) do seen[k] = true end
      end
      cols = sorted_keys(seen)
    else
      cols = sorted_keys(data)
    end
  end
  local n
  if rows_form then
    n = #data
  else
    for _, c in ipairs(cols) do
      local col = data[c]
      if type(col) ~= "table" then
        error(fmt("bad argument #2 to 'write_csv' (column '%s' is missing)", c), 2)
      end
      if n and #col ~= n then
        error(fmt("bad argument #2 to 'write_csv' (column '%s' has %d values, '%s' has %d)",
          c, #col, cols[1], n), 2)
      end
      n = n or #col
    end
    n = n or 0
  end
  local f, err = io.open(path, "w")
  if not f then error("write_csv: " .. err, 2) end
  local out, line = {}, {}
  for i, c in ipairs(cols) do line[i] = csv_cell(c, "a column name") end
  out[1] = table.concat(line, ",")
  for r = 1, n do
    for i, c in ipairs(cols) do
      local v
      if rows_form then v = data[r][c] else v = data[c][r] end
      line[i] = csv_cell(v, fmt("row %d, column '%s'", r, c))
    end
    out[#out + 1] = table.concat(line, ",")
  end
  f:write(table.concat(out, "\n"), "\n")
  f:close()
  return n
end

local escapes = {
  ['"'] = '\\"', ['\\'] = '\\\\', ['\b'] = '\\b', ['\f'] = '\\f',
  ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t',
}
local function json_string(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    return escapes[c] or fmt("\\u%04x", c:byte())
  end) .. '"'
end

-- A table is an array when its keys are exactly 1..n (n >= 1).
local function array_length(t)
  local n = #t
  if n == 0 then return nil end
  local count = 0
  for _ in pairs(t) do count = count + 1 end
  if count ~= n then return nil end
  return n
end

local function encode(v, indent, out, path, seen)
  local t = type(v)
  if t == "nil" then out[#out + 1] = "null"
  elseif t == "boolean" then out[#out + 1] = tostring(v)
  elseif t == "number" then
    if v ~= v or v == math.huge or v == -math.huge then
      out[#out + 1] = "null"
    else
      out[#out + 1] = format_number(v)
    end
  elseif t == "string" then out[#out + 1] = json_string(v)
  elseif t == "table" then
    if seen[v] then error("write_json: " .. path .. " refers to itself", 0) end
    seen[v] = true
    local inner = indent .. "  "
    local n = array_length(v)
    if n then
      local scalars = true
      for i = 1, n do
        if type(v[i]) == "table" then scalars = false break end
      end
      out[#out + 1] = "["
      for i = 1, n do
        if i > 1 then out[#out + 1] = scalars and ", " or "," end
        if not scalars then out[#out + 1] = "\n" .. inner end
        encode(v[i], inner, out, path .. "[" .. i .. "]", seen)
      end
      if not scalars then out[#out + 1] = "\n" .. indent end
      out[#out + 1] = "]"
    else
      local keys = {}
      for k in pairs(v) do
        if type(k) ~= "string" then
          error(fmt("write_json: %s has a %s key (%s); JSON keys are strings",
            path, type(k), tostring(k)), 0)
        end
        keys[#keys + 1] = k
      end
      table.sort(keys)
      if #keys == 0 then out[#out + 1] = "{}" else
        out[#out + 1] = "{"
        for i, k in ipairs(keys) do
          out[#out + 1] = (i > 1 and ",\n" or "\n") .. inner .. json_string(k) .. ": "
          encode(v[k], inner, out, path .. "." .. k, seen)
        end
        out[#out + 1] = "\n" .. indent .. "}"
      end
    end
    seen[v] = nil
  else
    error(fmt("write_json: %s is a %s, which JSON cannot hold", path, t), 0)
  end
end

-- write_json(path, value): value as JSON, keys sorted, 2-space indent.
function M.write_json(path, value)
  if type(path) ~= "string" then
    error("bad argument #1 to 'write_json' (path expected, got " .. type(path) .. ")", 2)
  end
  local out = {}
  local ok, err = pcall(encode, value, "", out, "value", {})
  if not ok then error(err, 2) end
  local f, ferr = io.open(path, "w")
  if not f then error("write_json: " .. ferr, 2) end
  f:write(table.concat(out), "\n")
  f:close()
  return true
end

return M
