-- scripts/gen_scale_traces.lua DIR N - writes two large traces for the
-- loaders' memory measurement (results/2026-12-05-sessions): DIR/big.jsonl,
-- N Mooncake-like block-hash rows (ms timestamps, 512-token blocks, 10 ids
-- per request on average: block 0, then half the requests repeat the
-- previous request's leading blocks, the rest are fresh ids), and
-- DIR/big.csv, N Azure 2023 rows (TIMESTAMP, ContextTokens,
-- GeneratedTokens). Fixed seed. Main entry point: this script.
local dir, n = assert(arg[1], "usage: DIR N"), math.tointeger(tonumber(arg[2] or "10000000"))
math.randomseed(42)
local f = assert(io.open(dir .. "/big.jsonl", "w"))
local next_id, prev, t = 1, { 0 }, 0
local buf = {}
for i = 1, n do
  local nb = math.random(1, 19)              -- mean 10 ids
  local ids = { 0 }
  local k = 1
  if math.random() < 0.5 then k = math.min(#prev - 1, nb - 1) if k < 1 then k = 1 end end
  for j = 2, k do ids[j] = prev[j] end
  for j = k + 1, nb do ids[j] = next_id next_id = next_id + 1 end
  local input = (nb - 1) * 512 + math.random(1, 512)
  t = t + math.random(0, 600)
  buf[#buf + 1] = ('{"timestamp": %d, "input_length": %d, "output_length": %d, "hash_ids": [%s]}\n'):format(
    t, input, math.random(1, 700), table.concat(ids, ", "))
  prev = ids
  if #buf == 4096 then f:write(table.concat(buf)) buf = {} end
end
f:write(table.concat(buf))
f:close()
f = assert(io.open(dir .. "/big.csv", "w"))
f:write("TIMESTAMP,ContextTokens,GeneratedTokens\n")
buf = {}
local us = 0 -- microseconds since 2023-11-16 00:00:00
for i = 1, n do
  us = us + math.random(0, 360000)
  local s = us // 1000000
  local day, hh, mm, ss = 16 + s // 86400, (s // 3600) % 24, (s // 60) % 60, s % 60
  -- November has 30 days: roll into December
  local mon = 11
  if day > 30 then mon, day = 12, day - 30 end
  buf[#buf + 1] = ("2023-%02d-%02d %02d:%02d:%02d.%07d,%d,%d\n"):format(mon, day, hh, mm, ss,
    (us % 1000000) * 10, math.random(1, 4096), math.random(1, 1000))
  if #buf == 4096 then f:write(table.concat(buf)) buf = {} end
end
f:write(table.concat(buf))
f:close()
print(("wrote %d rows to %s/big.jsonl and %s/big.csv"):format(n, dir, dir))
