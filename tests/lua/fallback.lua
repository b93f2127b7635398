-- Asks for a trace that is not on disk and prints where the workload came
-- from (test_cli checks the one-line notice on stderr).
local kv = require "kvsim"
local w = kv.trace("azure-code", { count = 10 })
local w2 = kv.trace("azure-code", { count = 5 }) -- no second notice
print("source=" .. w.source)
print("n=" .. #w .. "," .. #w2)
