-- scripts/load_stats.lua PATH - loads a trace and prints its request count
-- and the bytes its requests and hash ids hold (w:stats().bytes), per
-- request; run under /usr/bin/time -v for the peak RSS.
-- Main entry point: this script.
local kv = require "kvsim"
local w = kv.workload{ trace = assert(arg[1], "usage: load_stats.lua PATH") }
local s = w:stats()
print(("%s: %d requests, %d bytes held, %.2f bytes/request"):format(w.source, s.n, s.bytes, s.bytes / s.n))
