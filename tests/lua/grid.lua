-- kv.grid's order and errors (tests/sweeps/plan.sh): prints each point as
-- name=value pairs in the axes' order, then the errors bad calls raise.
local kv = require "kvsim"
local function show(points, names)
  for i, p in ipairs(points) do
    local f = {}
    for _, n in ipairs(names) do f[#f + 1] = n .. "=" .. tostring(p[n]) end
    print(i, table.concat(f, " "))
  end
end
show(kv.grid { strategy = { "paged", "vmm" }, block_tokens = { 16, 256 }, rate = { 1, 2, 4 } },
  { "block_tokens", "rate", "strategy" })
show(kv.grid({ strategy = { "paged", "vmm" }, rate = { 1, 2 } }, { order = { "strategy", "rate" } }),
  { "strategy", "rate" })
print("empty", #kv.grid {})
for _, bad in ipairs {
  function() return kv.grid { rate = {} } end,
  function() return kv.grid { rate = 3 } end,
  function() return kv.grid({ rate = { 1 } }, { order = { "rate", "x" } }) end,
  function() return kv.grid({ rate = { 1 }, seed = { 1 } }, { order = { "rate" } }) end,
} do
  print("error", select(2, pcall(bad)))
end
