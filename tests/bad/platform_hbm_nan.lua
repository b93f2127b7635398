local kv = require "kvsim"
local c = dofile(arg[0]:match("^(.*)/") .. "/common.lua")
c.run { platform = kv.platform { base = "h100-sxm-80gb", hbm_bw = 0 / 0 } }
