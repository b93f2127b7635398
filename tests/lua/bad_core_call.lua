-- a bad argument to a function of the C module, reachable as
-- kv.workload and as kvsim.core's workload: the traceback must name it the
-- same way every run (tests/test_cli.c)
local kv = require "kvsim"
kv.workload{ kind = "nope" }
