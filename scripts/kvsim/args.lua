-- kvsim/args.lua - the command-line options of a script, read from a spec.
--
-- A script describes its options once; parse() reads the global `arg`
-- against that description, checks every value, fills in defaults and
-- builds the usage text from the same description, so what --help says and
-- what is accepted cannot drift apart. docs/lua_api.md has an example.
-- Main entry point: parse(arg, spec) (kv.parse_args).
--
-- spec = {
--   prog = "kvsim experiments/x.lua",    -- usage line (default: "kvsim " .. arg[0])
--   positional = { name = "TRACE", key = "trace", help = "..." },  -- at most one, optional
--   options = {                          -- in the order of the usage text
--     { name = "seed", type = "integer", default = 1, metavar = "N", help = "seed" },
--     ...
--   },
-- }
--
-- An option is written --name on the command line and stored under key
-- (default: name with '-' turned into '_'). Types: "string", "integer",
-- "number", "file" (each takes the next argument, whatever it looks like, as
-- its value; a file must be one that can be opened for reading, checked when
-- the command line is read) and "flag" (no value; true when given, absent
-- otherwise). The positional takes file = true for the same check. Checks:
-- positive = true (> 0), min, max (inclusive). A flag may carry sets = { key
-- = value, ... }: where it appears on the command line it also sets those
-- keys, and a later option may override them.

local M = {}

local types = { string = true, integer = true, number = true, file = true, flag = true }
local option_fields = {
  name = true, key = true, type = true, default = true, metavar = true,
  help = true, positive = true, min = true, max = true, sets = true,
}
local default_metavar = { string = "VALUE", integer = "N", number = "X", file = "FILE" }

-- A mistake in the spec is the calling script's bug: raise at its line.
local function spec_error(msg)
  error("bad argument #2 to 'parse_args' (" .. msg .. ")", 4)
end

local function check_spec(spec)
  if type(spec) ~= "table" then spec_error("spec table expected, got " .. type(spec)) end
  if type(spec.options or {}) ~= "table" then spec_error("'options' must be a list") end
  local seen = {}
  for i, o in ipairs(spec.options or {}) do
    local where = "option " .. i
    if type(o) ~= "table" then spec_error(where .. " is not a table") end
    for k in pairs(o) do
      if not option_fields[k] then spec_error(("%s: unknown field '%s'"):format(where, tostring(k))) end
    end
    if type(o.name) ~= "string" or not o.name:match("^%w[%w%-_]*$") then
      spec_error(where .. ": 'name' must be a word such as 'seed' or 'no-plot'")
    end
    where = "option '--" .. o.name .. "'"
    if seen[o.name] or o.name == "help" then spec_error(where .. " is given twice") end
    seen[o.name] = true
    if not types[o.type] then
      spec_error(("%s: invalid type '%s' (valid: string, integer, number, file, flag)"):format(where, tostring(o.type)))
    end
    local numeric = o.type == "integer" or o.type == "number"
    if (o.positive or o.min or o.max) and not numeric then
      spec_error(where .. ": positive, min and max need type integer or number")
    end
    if o.sets and o.type ~= "flag" then spec_error(where .. ": only a flag 'sets' other options") end
    if o.default ~= nil then
      local ok = ((o.type == "string" or o.type == "file") and type(o.default) == "string")
        or (o.type == "integer" and math.type(o.default) == "integer")
        or (o.type == "number" and type(o.default) == "number")
      if not ok then spec_error(where .. ": default does not have type " .. o.type) end
    end
  end
  local p = spec.positional
  if p ~= nil and (type(p) ~= "table" or type(p.name) ~= "string") then
    spec_error("'positional' must be a table with a name")
  end
end

local function key_of(o) return o.key or (o.name:gsub("-", "_")) end

-- nil when path can be opened for reading, else why not
local function unreadable(path)
  local f, err = io.open(path, "r")
  if not f then return (err:gsub("^" .. path:gsub("%p", "%%%0") .. ": ", "")) end
  -- a folder opens on Linux but cannot be read
  local ok, rerr = f:read(0)
  f:close()
  if ok == nil and rerr then return (rerr:gsub("^.-: ", "")) end
  return nil
end

-- The usage text: one line per option, help aligned in a column, a
-- default shown in parentheses after the help.
function M.usage(spec, arg0)
  local prog = spec.prog or ("kvsim " .. (arg0 or "SCRIPT"))
  local head = "usage: " .. prog
  local rows = {}
  local p = spec.positional
  if p then
    head = head .. " [" .. p.name .. "]"
    rows[#rows + 1] = { p.name, p.help or "" }
  end
  local options = spec.options or {}
  if #options > 0 then head = head .. " [options]" end
  for _, o in ipairs(options) do
    local left = "--" .. o.name
    if o.type ~= "flag" then left = left .. " " .. (o.metavar or default_metavar[o.type]) end
    local help = o.help or ""
    if o.default ~= nil then help = help .. (help == "" and "" or " ") .. "(" .. tostring(o.default) .. ")" end
    rows[#rows + 1] = { left, help }
  end
  local width = 0
  for _, r in ipairs(rows) do width = math.max(width, #r[1]) end
  local lines = { head }
  for _, r in ipairs(rows) do
    local line = "  " .. r[1] .. string.rep(" ", width - #r[1]) .. "   " .. r[2]
    lines[#lines + 1] = line:gsub("%s+$", "")
  end
  return table.concat(lines, "\n")
end

-- "a positive integer", "a number >= 0", "an integer from 1 to 8"
local function wanted(o)
  local what = o.type == "integer" and "integer" or "number"
  if o.positive then return "a positive " .. what end
  local art = o.type == "integer" and "an " or "a "
  if o.min and o.max then return ("%s%s from %s to %s"):format(art, what, o.min, o.max) end
  if o.min then return ("%s%s >= %s"):format(art, what, o.min) end
  if o.max then return ("%s%s <= %s"):format(art, what, o.max) end
  return art .. what
end

-- The value of a numeric option, or nil when it is not acceptable.
local function convert(o, text)
  local n = tonumber(text)
  if n == nil then return nil end
  if o.type == "integer" then
    n = math.tointeger(n)
    if n == nil then return nil end
  end
  if o.positive and not (n > 0) then return nil end
  if o.min and n < o.min then return nil end
  if o.max and n > o.max then return nil end
  return n
end

-- parse(arg, spec) -> options table, or nil after printing the usage for
-- --help / -h. Misuse raises "message\n<usage>" with level 0 (no Lua
-- position: the mistake is on the command line, not in the script).
function M.parse(argv, spec)
  check_spec(spec)
  argv = argv or {}
  local usage = M.usage(spec, argv[0])
  local function fail(msg) error(msg .. "\n" .. usage, 0) end
  -- a file option's value, or the positional's when it is a file
  local function need_file(label, path)
    local why = unreadable(path)
    if why then fail(("%s: cannot read '%s' (%s)"):format(label, path, why)) end
  end

  local by_name = {}
  local opt = {}
  for _, o in ipairs(spec.options or {}) do
    by_name["--" .. o.name] = o
    if o.default ~= nil then opt[key_of(o)] = o.default end
  end
  local p = spec.positional
  local pkey = p and (p.key or p.name:lower())

  local i = 1
  while argv[i] ~= nil do
    local a = argv[i]
    local o = by_name[a]
    if a == "--help" or a == "-h" then
      print(usage)
      return nil
    elseif o then
      local k = key_of(o)
      if o.type == "flag" then
        opt[k] = true
        for sk, sv in pairs(o.sets or {}) do opt[sk] = sv end
      else
        i = i + 1
        local v = argv[i]
        if v == nil then fail(a .. " needs a value") end
        if o.type == "string" then
          opt[k] = v
        elseif o.type == "file" then
          need_file(a, v)
          opt[k] = v
        else
          local n = convert(o, v)
          if n == nil then fail(("%s needs %s, got '%s'"):format(a, wanted(o), v)) end
          opt[k] = n
        end
      end
    elseif a:sub(1, 2) == "--" then
      fail("unknown option '" .. a .. "'")
    elseif p then
      if opt[pkey] ~= nil then
        fail(("more than one %s given: '%s' and '%s'"):format(p.name:lower(), opt[pkey], a))
      end
      if p.file then need_file(p.name, a) end
      opt[pkey] = a
    elseif a:sub(1, 1) == "-" then
      fail("unknown option '" .. a .. "'")
    else
      fail("unknown argument '" .. a .. "'")
    end
    i = i + 1
  end
  return opt
end

-- option_input(prog, flag, value, f, ...) -> f(...), or raises, at level 0,
-- "FLAG VALUE: what f said" and the --help hint of `prog`: an option's
-- value that kvsim cannot use (a model, a platform, a trace that does not
-- load) is a command-line mistake, said without the script's position.
function M.option_input(prog, flag, value, f, ...)
  local ok, v = pcall(f, ...)
  if not ok then
    error(("%s %s: %s\n(%s --help lists the options)"):format(flag, value,
      (tostring(v):gsub("^[^:\n]*:%d+: ", "")), prog), 0)
  end
  return v
end

return M
