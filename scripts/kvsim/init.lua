-- kvsim/init.lua - the public module `require "kvsim"`.
--
-- The C module "kvsim.core" (core/lua/lua_kvsim.c, core/lua/lua_run.c) brings
-- models, platforms, workloads, run and sweep; the Lua modules next to this
-- file add trace lookup (traces.lua), CSV/JSON writers (output.lua), text
-- tables and byte formatting (report.lua), gnuplot plots (plot.lua) and
-- command-line options (args.lua), the line every experiment prints about
-- requests not served as given (admission.lua), parameter grids (grid.lua),
-- session chains, fitting and session presets (sessions.lua).
-- The C functions are re-exported unwrapped so that their errors point at
-- the calling script's file:line. docs/lua_api.md documents everything.
-- Main entry point: the table returned below.

local core = require "kvsim.core"
local output = require "kvsim.output"
local report = require "kvsim.report"
local plot = require "kvsim.plot"
local traces = require "kvsim.traces"
local args = require "kvsim.args"
local admission = require "kvsim.admission"
local calibration = require "kvsim.calibration"
local grid = require "kvsim.grid"
local sessions = require "kvsim.sessions"

local kv = {}
for name, value in pairs(core) do kv[name] = value end

kv.write_csv = output.write_csv
kv.write_json = output.write_json
kv.format_number = output.format_number
kv.format_bytes = report.format_bytes
kv.table = report.table
kv.plot = plot.plot
kv.multiplot = plot.multiplot
kv.have_gnuplot = plot.have_gnuplot
kv.trace = traces.trace
kv.find_trace = traces.find
kv.trace_dirs = traces.search_dirs
kv.traces = traces.names
kv.parse_args = args.parse
kv.option_input = args.option_input
kv.rejections = admission.line
kv.calibration = calibration
kv.grid = grid.grid
kv.sessions = sessions
kv.session_preset = sessions.preset
kv.session_presets = sessions.names

return kv
