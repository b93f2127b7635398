-- kvsim/admission.lua - what every experiment prints about the requests it
-- did not serve as given: rejected because prompt + output exceed the run's
-- max context, rejected because they could not be placed even alone, or
-- served with a truncated prompt (summary fields rejected_too_long,
-- rejected_no_fit, truncated; core/engine/metrics.h).
-- Main entry point: M.line(results).

local M = {}

local function counts(s)
  return ("%d of %d too long, %d no fit, %d truncated"):format(
    s.rejected_too_long or 0, s.requests or 0, s.rejected_no_fit or 0, s.truncated or 0)
end

-- One line for a list of results (kv.sweep's, or a list of kv.run's): runs
-- with the same counts are grouped; when every run agrees it says so.
function M.line(results)
  if #results == 0 then return "requests not served as given: no runs" end
  local order, groups = {}, {}
  for _, r in ipairs(results) do
    local c = counts(r.summary)
    if not groups[c] then
      groups[c] = {}
      order[#order + 1] = c
    end
    local g = groups[c]
    g[#g + 1] = r.label or r.strategy
  end
  if #order == 1 then
    return ("requests not served as given (every run): %s"):format(order[1])
  end
  local parts = {}
  for _, c in ipairs(order) do
    local g = groups[c]
    local who = #g <= 3 and table.concat(g, ", ") or ("%s and %d more"):format(g[1], #g - 1)
    parts[#parts + 1] = ("%s (%s)"):format(c, who)
  end
  return "requests not served as given: " .. table.concat(parts, "; ")
end

return M
