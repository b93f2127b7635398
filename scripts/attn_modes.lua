-- scripts/attn_modes.lua - the addressing-mode cost of the real attention
-- kernels, from the grid `lab_attention --table FILE` measures: each table
-- mode's time over contiguous at the same (kind, batch, context), by block
-- size, with the range and the median, and the verdict against vAttention's
-- published figures (paged decode kernels up to 1.97x slower than
-- contiguous; up to 1.23x end-to-end throughput over paged kernels).
--
--   build/kvsim scripts/attn_modes.lua results/<run>/attn_table.csv [OUT.csv]
--
-- OUT.csv (optional): kind,mode,block,batch,context,seconds,contig_seconds,ratio

local path = arg[1] or error("usage: kvsim scripts/attn_modes.lua ATTN_TABLE.CSV [OUT.CSV]")
local f = assert(io.open(path, "r"))
local header, rows, lineno = nil, {}, 0
for line in f:lines() do
  lineno = lineno + 1
  line = line:gsub("\r$", "")
  if line ~= "" and not line:match("^#") then
    local cols = {}
    for c in (line .. ","):gmatch("([^,]*),") do cols[#cols + 1] = c end
    if not header then
      header = {}
      for i, c in ipairs(cols) do header[c] = i end
      for _, need in ipairs{ "kind", "mode", "block", "batch", "context", "seconds" } do
        if not header[need] then error(("%s:%d: no column '%s'"):format(path, lineno, need)) end
      end
    else
      local r = {}
      for k, i in pairs(header) do r[k] = cols[i] end
      for _, k in ipairs{ "block", "batch", "context", "seconds" } do
        r[k] = tonumber(r[k]) or error(("%s:%d: field '%s': not a number"):format(path, lineno, k))
      end
      if r.kind:match("^attn_") then rows[#rows + 1] = r end
    end
  end
end
f:close()
if #rows == 0 then error(path .. ": no attn_decode / attn_prefill rows") end

local contig = {}
local function key(r) return ("%s|%d|%d"):format(r.kind, r.batch, r.context) end
for _, r in ipairs(rows) do
  if r.mode == "contig" then contig[key(r)] = r.seconds end
end

local function median(v)
  table.sort(v)
  local n = #v
  if n == 0 then return nil end
  if n % 2 == 1 then return v[(n + 1) / 2] end
  return (v[n / 2] + v[n / 2 + 1]) / 2
end

local groups, order, out = {}, {}, {}
for _, r in ipairs(rows) do
  local c = contig[key(r)]
  if r.mode ~= "contig" and c then
    local ratio = r.seconds / c
    local g = ("%s %s %d"):format(r.kind, r.mode, r.block)
    if not groups[g] then
      groups[g] = { kind = r.kind, mode = r.mode, block = r.block, v = {}, big = {}, worst = nil }
      order[#order + 1] = g
    end
    local G = groups[g]
    G.v[#G.v + 1] = ratio
    -- the regime vLLM-style serving lives in: batch >= 32, context >= 4K
    if r.batch >= 32 and r.context >= 4096 then G.big[#G.big + 1] = ratio end
    if not G.worst or ratio > G.worst.ratio then
      G.worst = { ratio = ratio, batch = r.batch, context = r.context }
    end
    out[#out + 1] = ("%s,%s,%d,%d,%d,%.9g,%.9g,%.4f"):format(r.kind, r.mode, r.block, r.batch,
      r.context, r.seconds, c, ratio)
  end
end
table.sort(order, function(a, b)
  local x, y = groups[a], groups[b]
  if x.kind ~= y.kind then return x.kind > y.kind end
  if x.mode ~= y.mode then return x.mode < y.mode end
  return x.block < y.block
end)

print(("Addressing-mode cost of the real attention kernels (%s)"):format(path))
print("time over contiguous at the same kind, batch and context; >1 = slower")
print(("%-13s %-13s %6s %6s %8s %8s %8s  %s"):format("kind", "mode", "block", "points", "median",
  "min", "max", "worst at (batch, context); median at batch>=32, ctx>=4K"))
local worst_decode, worst_prefill = 0, 0
for _, g in ipairs(order) do
  local G = groups[g]
  local v = {}
  for i, x in ipairs(G.v) do v[i] = x end
  local med = median(v)
  local big = median(G.big)
  print(("%-13s %-13s %6d %6d %8.3f %8.3f %8.3f  (%d, %d); %s"):format(G.kind, G.mode, G.block,
    #G.v, med, v[1], v[#v], G.worst.batch, G.worst.context, big and ("%.3f"):format(big) or "-"))
  if G.kind == "attn_decode" then worst_decode = math.max(worst_decode, v[#v]) end
  if G.kind == "attn_prefill" then worst_prefill = math.max(worst_prefill, v[#v]) end
end
print()
print(("Largest table-mode slowdown measured: decode %.2fx, prefill %.2fx."):format(worst_decode,
  worst_prefill))
if worst_decode >= 1.5 then
  print("vAttention's 'paged decode kernels up to 1.97x slower': reproduced in part (a slowdown of")
  print(("that order, %.2fx, in the regime named above)."):format(worst_decode))
else
  print(("vAttention's 'paged decode kernels up to 1.97x slower': not reproduced by these kernels:"))
  print(("their table modes cost at most %.2fx contiguous on this grid. The 1.97x is a property of"):format(worst_decode))
  print("the kernels vAttention measured, not of table addressing itself.")
end

if arg[2] then
  local o = assert(io.open(arg[2], "w"))
  o:write("kind,mode,block,batch,context,seconds,contig_seconds,ratio\n")
  o:write(table.concat(out, "\n"), "\n")
  o:close()
  print("wrote " .. arg[2])
end
