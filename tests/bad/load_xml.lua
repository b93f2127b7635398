-- runs on the SimGrid platform file named by arg[2]
local kv = require "kvsim"
local c = dofile(arg[0]:match("^(.*)/") .. "/common.lua")
c.run { backend = "simgrid", platform = kv.platform { base = "h100-sxm-80gb", xml = arg[2] } }
