-- a runtime error on line 4: indexing a nil value
local c = dofile(arg[0]:match("^(.*)/") .. "/common.lua")
local t = nil
print(t.summary)
c.run {}
