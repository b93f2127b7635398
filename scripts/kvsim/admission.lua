-- kvsim/admission.lua - what every experiment prints about the requests it
-- did not serve as given: rejected because prompt + output exceed the run's
-- max context, rejected because they could not be placed even alone, or
-- served with a truncated prompt (summary fields rejected_too_long,
-- rejected_no_fit, truncated; core/metrics.h).
-- Main entry point: M.line(results).

local M = {}

local function counts(s)
  return ("%d too long, %d no fit, %d truncated"):format(
    s.rejected_too_long or 0, s.rejected_no_fit or 0, s.truncated or 0)
end

-- One line for a list of results (kv.sweep's or kv.run's): the same counts
-- for every run are said once; runs that differ are named.
function M.line(results)
  if #results == 0 then return "no runs" end
  local first = counts(results[1].summary)
  local same = true
  for i = 2, #results do
    if counts(results[i].summary) ~= first then same = false end
  end
  local n = results[1].summary.requests or 0
  if same then
    return ("requests not served as given (of %d, every run): %s"):format(n, first)
  end
  local parts = {}
  for _, r in ipairs(results) do
    parts[#parts + 1] = ("%s: %s"):format(r.label or r.strategy, counts(r.summary))
  end
  return ("requests not served as given (of %d): %s"):format(n, table.concat(parts, "; "))
end

return M
