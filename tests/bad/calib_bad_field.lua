-- a calibration file naming a field that does not exist
return { base = "h100-sxm-80gb", pcie_bandwidth = 50e9 }
