-- the ideal backend does not read SimGrid XML: a platform with one is refused
local kv = require "kvsim"
local c = dofile(arg[0]:match("^(.*)/") .. "/common.lua")
c.run { backend = "ideal", platform = kv.platform { base = "h100-sxm-80gb", xml = "tests/bad/xml_truncated.xml" } }
