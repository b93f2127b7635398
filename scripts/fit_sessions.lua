-- scripts/fit_sessions.lua - recover multi-turn sessions from a block-hash
-- trace and fit the synthetic session generator's parameters to them.
--
--   build/kvsim scripts/fit_sessions.lua mooncake-conv
--   build/kvsim scripts/fit_sessions.lua my.jsonl --format jsonl --hash-block 64
--   build/kvsim scripts/fit_sessions.lua mooncake-conv --write mooncake-conv
--
-- Prints each parameter with how it was derived (the chain rule is in
-- scripts/kvsim/sessions.lua and docs/inputs.md), then `fit.<key> value`
-- lines for scripts, and with --write stores the preset in
-- scripts/kvsim/session_presets.lua (kv.session_preset(NAME)).
-- Main entry point: this script.

local kv = require "kvsim"
local sessions = require "kvsim.sessions"

local opt = kv.parse_args(arg, {
  prog = "kvsim scripts/fit_sessions.lua",
  positional = { name = "TRACE", key = "trace",
                 help = "a trace name (kv.traces()) or a block-hash JSONL path" },
  options = {
    { name = "format", type = "string", default = "auto", help = "trace format (kv.workload's 'format')" },
    { name = "hash-block", type = "integer", positive = true, metavar = "TOKENS",
      help = "tokens per hash id (format jsonl)" },
    { name = "time-unit", type = "string", metavar = "UNIT", help = "s, ms or us (format jsonl)" },
    { name = "answer-time", type = "number", min = 0, metavar = "S",
      help = "seconds per output token (default: estimated from the gaps)" },
    { name = "quantiles", type = "integer", positive = true, default = 100, metavar = "K",
      help = "points of each empirical list" },
    { name = "write", type = "string", metavar = "NAME",
      help = "store the preset as NAME in scripts/kvsim/session_presets.lua" },
  },
})
if not opt then return end
if not opt.trace then error("fit_sessions.lua: a TRACE is needed (--help)", 0) end

local f0 = io.open(opt.trace, "r")
local path = f0 and opt.trace or kv.find_trace(opt.trace)
if f0 then f0:close() end
if not path then error("fit_sessions.lua: no trace '" .. opt.trace .. "' (kv.trace_dirs(): " ..
  table.concat(kv.trace_dirs(), ", ") .. ")", 0) end
local spec = { trace = path, format = opt.format }
if opt.hash_block then spec.hash_block = opt.hash_block end
if opt.time_unit then spec.time_unit = opt.time_unit end
local w = kv.workload(spec)

local f = sessions.fit(w, { answer_time = opt.answer_time, quantiles = opt.quantiles })
print(("%s: %d requests over %.1f s, %d-token blocks"):format(w.source, f.n, f.duration, f.block))
print(("chains: %d sessions, %d branch turns, %d first turns sharing more than their system prompt"):format(
  f.sessions, f.branches, f.partial_roots))
print()
for _, h in ipairs(f.how) do
  print(("%-14s %12.6g  %s"):format(h.name, h.value, h.how))
end
print()
local keys = { "sessions", "rate", "cv", "groups", "system_prompt", "answer_time", "turns_mean" }
for _, k in ipairs(keys) do print(("fit.%s %.17g"):format(k, f[k])) end
print(("fit.think_mean %.17g"):format(f.think.mean))
print(("fit.think_std %.17g"):format(f.think.std))
print(("fit.think_dist %s"):format(f.think.dist))
print(("fit.arrival %s"):format(f.arrival))
print(("fit.question_mean %.17g"):format(sessions.mean_std(f.question)))
print(("fit.output_mean %.17g"):format(sessions.mean_std(f.output)))

if not opt.write then return end

-- ---- the preset file: every preset it already has, plus this one ----
local function ser(v, ind)
  if type(v) == "table" then
    if #v > 0 then
      local parts = {}
      for i = 1, #v do parts[i] = ser(v[i]) end
      local out, line = {}, {}
      for i = 1, #parts do
        line[#line + 1] = parts[i]
        if #line == 16 then out[#out + 1] = table.concat(line, ", ") line = {} end
      end
      if #line > 0 then out[#out + 1] = table.concat(line, ", ") end
      if #out == 1 then return "{ " .. out[1] .. " }" end
      return "{\n" .. ind .. "  " .. table.concat(out, ",\n" .. ind .. "  ") .. ",\n" .. ind .. "}"
    end
    local ks = {}
    for k in pairs(v) do ks[#ks + 1] = k end
    table.sort(ks)
    local out = {}
    for _, k in ipairs(ks) do
      local key = k:match("^[%a_][%w_]*$") and k or ("[%q]"):format(k)
      out[#out + 1] = ind .. "  " .. key .. " = " .. ser(v[k], ind .. "  ")
    end
    return "{\n" .. table.concat(out, ",\n") .. ",\n" .. ind .. "}"
  elseif type(v) == "number" then
    if math.type(v) == "integer" then return tostring(v) end
    return ("%.6g"):format(v)
  end
  return ("%q"):format(v)
end

local file = kv.source_dir .. "/scripts/kvsim/session_presets.lua"
local ok, old = pcall(dofile, file)
local presets = ok and old or {}
local cmd = "build/kvsim scripts/fit_sessions.lua " .. table.concat(arg, " ")
presets[opt.write] = {
  synthetic = sessions.synthetic(f),
  source = ("fitted to %s (%s) by `%s` on %s"):format(opt.trace, path:match("[^/]+$"), cmd,
    os.date("!%Y-%m-%d")),
}
local names = {}
for k in pairs(presets) do names[#names + 1] = k end
table.sort(names)
local out = assert(io.open(file, "w"))
out:write("-- kvsim/session_presets.lua - synthetic session presets fitted to traces.\n",
  "-- WRITTEN BY scripts/fit_sessions.lua --write NAME: edit by fitting again.\n",
  "-- Each preset's `source` says which trace, which command and when; the\n",
  "-- parameters and how each was derived are in docs/inputs.md (\"Fitting\n",
  "-- sessions\"). kv.session_preset(name [, overrides]) returns a copy of\n",
  "-- `synthetic` for kv.workload{ synthetic = ... }.\n",
  "-- Main entry point: the table returned below.\n\nreturn {\n")
for _, k in ipairs(names) do
  out:write("  [", ("%q"):format(k), "] = {\n    -- ", presets[k].source, "\n",
    "    source = ", ("%q"):format(presets[k].source), ",\n",
    "    synthetic = ", ser(presets[k].synthetic, "    "), ",\n  },\n")
end
out:write("}\n")
out:close()
print("wrote preset '" .. opt.write .. "' to " .. file)
