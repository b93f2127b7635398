-- a platform naming a SimGrid XML file that does not exist: refused when
-- the platform is built, before any run
local kv = require "kvsim"
local p = kv.platform { base = "h100-sxm-80gb", xml = "tests/bad/no_such_platform.xml" }
local c = dofile(arg[0]:match("^(.*)/") .. "/common.lua")
c.run { backend = "simgrid", platform = p }
