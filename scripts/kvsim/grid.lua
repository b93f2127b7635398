-- kvsim/grid.lua - kv.grid: the cartesian product of parameter lists, the
-- runs of a sweep (docs/sweeps.md).
--
--   kv.grid{ strategy = { "paged", "vmm" }, block_tokens = { 16, 256 } }
--   --> { { block_tokens = 16, strategy = "paged" },
--         { block_tokens = 16, strategy = "vmm" },
--         { block_tokens = 256, strategy = "paged" }, ... }
--
-- Order: the axes sorted by name, the first varying slowest (an odometer
-- whose last wheel turns fastest); each axis's values in the order given.
-- kv.grid(axes, { order = { "strategy", "block_tokens" } }) names the axes
-- slowest first instead (every axis exactly once). Each point is a new
-- table; values are not copied (a table value is shared by its points).
-- Main entry point: grid().

local M = {}

local function fail(msg) error("kv.grid: " .. msg, 3) end

function M.grid(axes, opts)
  if type(axes) ~= "table" then fail("expected a table of axes, got " .. type(axes)) end
  local names = {}
  for k, v in pairs(axes) do
    if type(k) ~= "string" then fail("axis names must be strings, got " .. type(k)) end
    if type(v) ~= "table" or #v == 0 then
      fail(("axis '%s': expected a non-empty list of values"):format(k))
    end
    names[#names + 1] = k
  end
  table.sort(names)
  if opts ~= nil then
    if type(opts) ~= "table" then fail("options: expected a table, got " .. type(opts)) end
    for k in pairs(opts) do
      if k ~= "order" then fail(("options: unknown key '%s' (valid: order)"):format(tostring(k))) end
    end
    if opts.order ~= nil then
      local seen = {}
      for _, n in ipairs(opts.order) do
        if axes[n] == nil then fail(("order: no axis '%s'"):format(tostring(n))) end
        if seen[n] then fail(("order: axis '%s' twice"):format(n)) end
        seen[n] = true
      end
      for _, n in ipairs(names) do
        if not seen[n] then fail(("order: axis '%s' missing"):format(n)) end
      end
      names = { table.unpack(opts.order) }
    end
  end
  local points = {}
  if #names == 0 then return points end
  local idx = {}
  for i = 1, #names do idx[i] = 1 end
  while true do
    local p = {}
    for i, n in ipairs(names) do p[n] = axes[n][idx[i]] end
    points[#points + 1] = p
    local i = #names
    while i >= 1 do
      idx[i] = idx[i] + 1
      if idx[i] <= #axes[names[i]] then break end
      idx[i] = 1
      i = i - 1
    end
    if i == 0 then break end
  end
  return points
end

return M
