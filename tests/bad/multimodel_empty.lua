local c = dofile(arg[0]:match("^(.*)/") .. "/multimodel_common.lua")
c.run { models = {} }
