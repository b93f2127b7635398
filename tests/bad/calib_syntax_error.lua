-- a calibration file with a syntax error on line 3
return { base = "h100-sxm-80gb",
  pcie_bw = 50e9 +,
}
