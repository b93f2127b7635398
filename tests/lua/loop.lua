-- Spins in pure Lua until interrupted (test_cli sends SIGINT).
io.stdout:write("spinning\n")
io.stdout:flush()
local n = 0
while true do n = n + 1 end
