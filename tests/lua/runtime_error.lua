-- A script that raises an error on line 4 inside a function (test_cli
-- checks file:line and the traceback).
local function explode(what)
  error("boom: " .. what)
end

local function outer() explode("the fuse") end
outer()
