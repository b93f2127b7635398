-- run 2 of a sweep is broken: nothing of the sweep may be written
local kv = require "kvsim"
local c = dofile(arg[0]:match("^(.*)/") .. "/common.lua")
local rs = kv.sweep({ c.cfg {}, c.cfg { strategy = { "vmm", layout = "diagonal" } } }, { jobs = 2 })
c.finish(rs[1])
