-- a calibration file naming a SimGrid XML file that does not exist
return { base = "h100-sxm-80gb", xml = "tests/bad/no_such_calib_platform.xml" }
