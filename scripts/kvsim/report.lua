-- kvsim/report.lua - text for people: byte sizes and aligned tables.
-- Main entry points: format_bytes(), table().

local M = {}

local units = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" }

-- format_bytes(n) -> "512 B", "64.0 KiB", "1.50 GiB"
function M.format_bytes(n)
  if type(n) ~= "number" then
    error("bad argument #1 to 'format_bytes' (number expected, got " .. type(n) .. ")", 2)
  end
  local neg = n < 0
  local v, u = math.abs(n), 1
  while v >= 1024 and u < #units do v, u = v / 1024, u + 1 end
  local s
  if u == 1 then s = string.format("%d B", math.floor(v + 0.5))
  elseif v >= 100 then s = string.format("%.0f %s", v, units[u])
  elseif v >= 10 then s = string.format("%.1f %s", v, units[u])
  else s = string.format("%.2f %s", v, units[u]) end
  return neg and "-" .. s or s
end

local function cell(row, col)
  local v = row[col.key]
  if v == nil then return "" end
  local f = col.fmt
  if type(f) == "function" then return tostring(f(v, row)) end
  if type(f) == "string" and type(v) == "number" then return string.format(f, v) end
  if type(v) == "number" then
    if math.type(v) == "integer" or v == math.floor(v) and math.abs(v) < 1e15 then
      return string.format("%d", math.tointeger(v) or v)
    end
    return string.format("%.4g", v)
  end
  return tostring(v)
end

-- table(rows, columns) -> string
-- columns: list of key names or of { key =, title =, fmt = "%.1f" | function(v, row) }
-- Numbers are right-aligned, text left-aligned.
function M.table(rows, columns)
  if type(rows) ~= "table" then
    error("bad argument #1 to 'table' (list of rows expected, got " .. type(rows) .. ")", 2)
  end
  if type(columns) ~= "table" or #columns == 0 then
    error("bad argument #2 to 'table' (list of columns expected)", 2)
  end
  local cols = {}
  for i, c in ipairs(columns) do
    if type(c) == "string" then c = { key = c } end
    if type(c) ~= "table" or c.key == nil then
      error("bad argument #2 to 'table' (column " .. i .. " needs a key)", 2)
    end
    cols[i] = { key = c.key, title = c.title or tostring(c.key), fmt = c.fmt }
  end
  local cells, width, numeric = {}, {}, {}
  for i, c in ipairs(cols) do width[i] = #c.title; numeric[i] = true end
  for r, row in ipairs(rows) do
    cells[r] = {}
    for i, c in ipairs(cols) do
      local s = cell(row, c)
      cells[r][i] = s
      if #s > width[i] then width[i] = #s end
      if type(row[c.key]) ~= "number" and row[c.key] ~= nil then numeric[i] = false end
    end
  end
  local function line(values)
    local parts = {}
    for i, s in ipairs(values) do
      local pad = string.rep(" ", width[i] - #s)
      parts[i] = numeric[i] and pad .. s or s .. pad
    end
    return (table.concat(parts, "  "):gsub("%s+$", ""))
  end
  local titles, rule = {}, {}
  for i, c in ipairs(cols) do titles[i] = c.title; rule[i] = string.rep("-", width[i]) end
  local out = { line(titles), table.concat(rule, "  ") }
  for r = 1, #rows do out[#out + 1] = line(cells[r]) end
  return table.concat(out, "\n")
end

return M
