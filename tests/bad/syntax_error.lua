-- a syntax error on line 3
local kv = require "kvsim"
local r = kv.run { strategy = "paged" ,, }
