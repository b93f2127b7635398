-- kvsim/plot.lua - line plots as PNG through gnuplot.
--
-- The data goes into the gnuplot script as inline data blocks, so a plot
-- leaves one file behind: the PNG. Without gnuplot, plot() says so on
-- stderr once and returns false; callers write their CSVs regardless.
-- Main entry point: plot().

local M = {}

local checked, have, terminal

local function probe()
  if checked then return have end
  checked = true
  local p = io.popen("command -v gnuplot 2>/dev/null")
  local where = p and p:read("l")
  if p then p:close() end
  have = where ~= nil and where ~= ""
  if not have then
    io.stderr:write("kvsim: gnuplot not found on PATH; plots are skipped (the CSV files hold the data)\n")
    return false
  end
  local t = io.popen("gnuplot -e 'set terminal pngcairo' 2>&1")
  local msg = t and t:read("a") or "?"
  if t then t:close() end
  terminal = (msg == "") and "pngcairo" or "png"
  return true
end

function M.have_gnuplot() return probe() end

local function quote(s)
  return '"' .. tostring(s):gsub('[\\"]', "\\%0") .. '"'
end

-- gnuplot lines naming spec.xtics ({value, label} pairs, labels turned by
-- spec.xtics_rotate degrees) -> nil, or what is wrong with them
local function xtics_lines(g, spec)
  if type(spec.xtics) ~= "table" then return "field 'xtics': a list of {value, label} pairs" end
  local t = {}
  for i, tic in ipairs(spec.xtics) do
    if type(tic) ~= "table" or type(tic[1]) ~= "number" then
      return ("xtics %d must be {value, label}"):format(i)
    end
    t[i] = ("%s %.9g"):format(quote(tic[2] or tic[1]), tic[1])
  end
  g[#g + 1] = "set xtics (" .. table.concat(t, ", ") .. ")"
  g[#g + 1] = "set xtics noenhanced" -- labels as written (no _ subscripts)
  if spec.xtics_rotate then g[#g + 1] = ("set xtics rotate by %g right"):format(spec.xtics_rotate) end
end

local allowed = {
  file = true, title = true, xlabel = true, ylabel = true, series = true,
  xrange = true, yrange = true, logx = true, logy = true, width = true,
  height = true, style = true, key = true, xtics = true, xtics_rotate = true,
}

-- plot{ file = "x.png", title =, xlabel =, ylabel =,
--       series = { { label =, x = {...}, y = {...} }, ... },
--       xrange = {lo, hi}, yrange = {lo, hi}, logx =, logy =,
--       width = 1000, height = 600, style = "lines", key = "bottom right",
--       xtics = { {1, "static"}, {2, "paged"} } }  (named x ticks;
--       xtics_rotate = 40 turns their labels by that many degrees)
-- -> true, or false and a message
function M.plot(spec)
  if type(spec) ~= "table" then
    error("bad argument #1 to 'plot' (table expected, got " .. type(spec) .. ")", 2)
  end
  local bad
  for k in pairs(spec) do
    if not allowed[k] and (bad == nil or tostring(k) < bad) then bad = tostring(k) end
  end
  if bad then error("bad argument #1 to 'plot' (unknown key '" .. bad .. "')", 2) end
  if type(spec.file) ~= "string" then
    error("bad argument #1 to 'plot' (field 'file': a path is required)", 2)
  end
  if type(spec.series) ~= "table" or #spec.series == 0 then
    error("bad argument #1 to 'plot' (field 'series': a list of series is required)", 2)
  end
  for i, s in ipairs(spec.series) do
    if type(s.x) ~= "table" or type(s.y) ~= "table" then
      error(("bad argument #1 to 'plot' (series %d needs x and y lists)"):format(i), 2)
    end
    if #s.x ~= #s.y then
      error(("bad argument #1 to 'plot' (series %d: %d x values, %d y values)")
        :format(i, #s.x, #s.y), 2)
    end
  end
  if not probe() then return false, "gnuplot not found" end

  local g = {}
  g[#g + 1] = ("set terminal %s size %d,%d"):format(terminal, spec.width or 1000, spec.height or 600)
  g[#g + 1] = "set output " .. quote(spec.file)
  if spec.title then g[#g + 1] = "set title " .. quote(spec.title) end
  if spec.xlabel then g[#g + 1] = "set xlabel " .. quote(spec.xlabel) end
  if spec.ylabel then g[#g + 1] = "set ylabel " .. quote(spec.ylabel) end
  if spec.xrange then g[#g + 1] = ("set xrange [%s:%s]"):format(spec.xrange[1] or "*", spec.xrange[2] or "*") end
  if spec.yrange then g[#g + 1] = ("set yrange [%s:%s]"):format(spec.yrange[1] or "*", spec.yrange[2] or "*") end
  if spec.xtics then
    local bad = xtics_lines(g, spec)
    if bad then error("bad argument #1 to 'plot' (" .. bad .. ")", 2) end
  end
  if spec.logx then g[#g + 1] = "set logscale x" end
  if spec.logy then g[#g + 1] = "set logscale y" end
  g[#g + 1] = "set grid"
  g[#g + 1] = "set key " .. (spec.key or "outside right")
  local plots = {}
  for i, s in ipairs(spec.series) do
    g[#g + 1] = ("$d%d << EOD"):format(i)
    for j = 1, #s.x do g[#g + 1] = ("%.9g %.9g"):format(s.x[j], s.y[j]) end
    g[#g + 1] = "EOD"
    plots[i] = ("$d%d using 1:2 with %s lw 2 title %s"):format(
      i, spec.style or "lines", quote(s.label or ("series " .. i)))
  end
  g[#g + 1] = "plot " .. table.concat(plots, ", \\\n  ")

  local script = os.tmpname()
  local f = assert(io.open(script, "w"))
  f:write(table.concat(g, "\n"), "\n")
  f:close()
  local p = io.popen("gnuplot " .. script .. " 2>&1")
  local msg = p:read("a")
  local ok = p:close()
  os.remove(script)
  if not ok then
    io.stderr:write("kvsim: gnuplot failed for ", spec.file, ": ", msg, "\n")
    return false, msg
  end
  return true
end

-- multiplot{ file = "x.png", title = "over all panels", width = 1000,
--            height = 600 * rows, layout = { rows, cols },
--            panels = { { title =, xlabel =, ylabel =, series = {...},
--                         xrange =, yrange =, logx =, logy =, style =,
--                         xtics =, xtics_rotate =,
--                         key = "top left" (or false: no key) }, ... } }
-- Several plots in one PNG (gnuplot's multiplot), filled row by row; each
-- panel takes plot()'s per-plot keys. Series in the same position of every
-- panel get the same colour. -> true, or false and a message
local panel_allowed = {
  title = true, xlabel = true, ylabel = true, series = true, xrange = true,
  yrange = true, logx = true, logy = true, style = true, key = true,
  xtics = true, xtics_rotate = true,
}
local multi_allowed = {
  file = true, title = true, width = true, height = true, layout = true, panels = true,
}

function M.multiplot(spec)
  local function bad_arg(msg) error("bad argument #1 to 'multiplot' (" .. msg .. ")", 3) end
  if type(spec) ~= "table" then
    error("bad argument #1 to 'multiplot' (table expected, got " .. type(spec) .. ")", 2)
  end
  for k in pairs(spec) do
    if not multi_allowed[k] then bad_arg("unknown key '" .. tostring(k) .. "'") end
  end
  if type(spec.file) ~= "string" then bad_arg("field 'file': a path is required") end
  if type(spec.panels) ~= "table" or #spec.panels == 0 then
    bad_arg("field 'panels': a list of panels is required")
  end
  local n = #spec.panels
  local layout = spec.layout or { n, 1 }
  if type(layout) ~= "table" or math.type(layout[1]) ~= "integer" or math.type(layout[2]) ~= "integer"
      or layout[1] < 1 or layout[2] < 1 or layout[1] * layout[2] < n then
    bad_arg(("field 'layout': {rows, cols} with room for %d panels"):format(n))
  end
  for i, p in ipairs(spec.panels) do
    if type(p) ~= "table" then bad_arg(("panel %d is not a table"):format(i)) end
    for k in pairs(p) do
      if not panel_allowed[k] then bad_arg(("panel %d: unknown key '%s'"):format(i, tostring(k))) end
    end
    if type(p.series) ~= "table" or #p.series == 0 then
      bad_arg(("panel %d: a list of series is required"):format(i))
    end
    for j, s in ipairs(p.series) do
      if type(s.x) ~= "table" or type(s.y) ~= "table" or #s.x ~= #s.y then
        bad_arg(("panel %d series %d needs x and y lists of one length"):format(i, j))
      end
    end
    local bad = p.xtics and xtics_lines({}, p)
    if bad then bad_arg(("panel %d: %s"):format(i, bad)) end
  end
  if not probe() then return false, "gnuplot not found" end

  local g = {}
  g[#g + 1] = ("set terminal %s size %d,%d"):format(terminal, spec.width or 1000,
    spec.height or 600 * layout[1])
  g[#g + 1] = "set output " .. quote(spec.file)
  local d = 0
  for _, p in ipairs(spec.panels) do
    for _, s in ipairs(p.series) do
      d = d + 1
      g[#g + 1] = ("$d%d << EOD"):format(d)
      for j = 1, #s.x do g[#g + 1] = ("%.9g %.9g"):format(s.x[j], s.y[j]) end
      g[#g + 1] = "EOD"
    end
  end
  g[#g + 1] = ("set multiplot layout %d,%d rowsfirst%s"):format(layout[1], layout[2],
    spec.title and (" title " .. quote(spec.title)) or "")
  g[#g + 1] = "set grid"
  d = 0
  for _, p in ipairs(spec.panels) do
    g[#g + 1] = p.title and ("set title " .. quote(p.title)) or "unset title"
    g[#g + 1] = "set xlabel " .. quote(p.xlabel or "")
    g[#g + 1] = "set ylabel " .. quote(p.ylabel or "")
    g[#g + 1] = p.xrange and ("set xrange [%s:%s]"):format(p.xrange[1] or "*", p.xrange[2] or "*")
      or "set xrange [*:*]"
    g[#g + 1] = p.yrange and ("set yrange [%s:%s]"):format(p.yrange[1] or "*", p.yrange[2] or "*")
      or "set yrange [*:*]"
    g[#g + 1] = "unset logscale"
    g[#g + 1] = "set xtics autofreq norotate enhanced" -- a panel before may have named them
    if p.xtics then xtics_lines(g, p) end -- checked above
    if p.logx then g[#g + 1] = "set logscale x" end
    if p.logy then g[#g + 1] = "set logscale y" end
    if p.key == false then g[#g + 1] = "unset key"
    else g[#g + 1] = "set key " .. (p.key or "top left") .. " noenhanced" end
    local plots = {}
    for j, s in ipairs(p.series) do
      d = d + 1
      plots[j] = ("$d%d using 1:2 with %s lw 2 lt %d title %s"):format(
        d, p.style or "lines", j, quote(s.label or ("series " .. j)))
    end
    g[#g + 1] = "plot " .. table.concat(plots, ", \\\n  ")
  end
  g[#g + 1] = "unset multiplot"

  local script = os.tmpname()
  local f = assert(io.open(script, "w"))
  f:write(table.concat(g, "\n"), "\n")
  f:close()
  local pp = io.popen("gnuplot " .. script .. " 2>&1")
  local msg = pp:read("a")
  local ok = pp:close()
  os.remove(script)
  if not ok then
    io.stderr:write("kvsim: gnuplot failed for ", spec.file, ": ", msg, "\n")
    return false, msg
  end
  return true
end

return M
