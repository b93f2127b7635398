-- line 2 holds raw bytes that are not UTF-8 outside any string
local x = ÿþ 1
