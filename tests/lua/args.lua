-- Prints the arg table and the varargs so test_cli can check them.
local n = select("#", ...)
print("script=" .. tostring(arg[0]))
print("n=" .. #arg .. " varargs=" .. n)
for i = 1, #arg do print(("arg[%d]=%s"):format(i, arg[i])) end
print("first_vararg=" .. tostring((...)))
print("arg[-1]=" .. tostring(arg[-1]))
