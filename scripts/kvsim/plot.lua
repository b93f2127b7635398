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
    if type(spec.xtics) ~= "table" then
      error("bad argument #1 to 'plot' (field 'xtics': a list of {value, label} pairs)", 2)
    end
    local t = {}
    for i, tic in ipairs(spec.xtics) do
      if type(tic) ~= "table" or type(tic[1]) ~= "number" then
        error(("bad argument #1 to 'plot' (xtics %d must be {value, label})"):format(i), 2)
      end
      t[i] = ("%s %.9g"):format(quote(tic[2] or tic[1]), tic[1])
    end
    g[#g + 1] = "set xtics (" .. table.concat(t, ", ") .. ")"
    g[#g + 1] = "set xtics noenhanced" -- labels as written (no _ subscripts)
    if spec.xtics_rotate then g[#g + 1] = ("set xtics rotate by %g right"):format(spec.xtics_rotate) end
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

return M
