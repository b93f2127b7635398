-- reads the calibration file named by arg[2]
local kv = require "kvsim"
local c = dofile(arg[0]:match("^(.*)/") .. "/common.lua")
c.run { platform = kv.platform { file = arg[2] } }
