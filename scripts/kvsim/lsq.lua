-- kvsim/lsq.lua - small least-squares solvers for fitting a few
-- coefficients to a model that is expensive to evaluate (a simulation per
-- point): Gaussian elimination, an exact non-negative least-squares solve
-- over every support, Gauss-Newton with forward-difference Jacobians and
-- coefficients kept >= 0, and a grid scan for one coefficient whose effect
-- has a kink. Nothing here runs a simulation: the caller's evaluate(xs)
-- does, for many points at once. Used by experiments/vllm_validation.lua
-- --fit (docs/vllm_validation.md).
-- Main entry points: M.gauss_newton(spec), M.scan(evaluate, lo, hi, steps,
-- round, best), M.nnls(A, b), M.gauss(N, v), M.cosine(J, a, c), M.sumsq(v).

local M = {}

-- The sum of the squares of v's elements.
function M.sumsq(v)
  local s = 0
  for _, x in ipairs(v) do s = s + x * x end
  return s
end

-- Solve N z = v (n x n, small) by Gaussian elimination with partial
-- pivoting; nil when N is singular.
function M.gauss(N, v)
  local n = #v
  local A = {}
  for i = 1, n do
    A[i] = {}
    for j = 1, n do A[i][j] = N[i][j] end
    A[i][n + 1] = v[i]
  end
  local scale = 0
  for i = 1, n do scale = math.max(scale, math.abs(A[i][i])) end
  for c = 1, n do
    local piv = c
    for i = c + 1, n do if math.abs(A[i][c]) > math.abs(A[piv][c]) then piv = i end end
    if math.abs(A[piv][c]) <= 1e-12 * scale then return nil end
    A[c], A[piv] = A[piv], A[c]
    for i = c + 1, n do
      local f = A[i][c] / A[c][c]
      for j = c, n + 1 do A[i][j] = A[i][j] - f * A[c][j] end
    end
  end
  local z = {}
  for i = n, 1, -1 do
    local t = A[i][n + 1]
    for j = i + 1, n do t = t - A[i][j] * z[j] end
    z[i] = t / A[i][i]
  end
  return z
end

-- min |A y - b|^2 over y >= 0, exactly for a few columns: the optimum is the
-- unconstrained least-squares solution on its own support, so take the best
-- of those that are >= 0 over every support.
function M.nnls(A, b)
  local n = #A[1]
  local best = {}
  for j = 1, n do best[j] = 0 end
  local best_cost = M.sumsq(b)
  for mask = 1, (1 << n) - 1 do
    local S = {}
    for j = 1, n do if mask & (1 << (j - 1)) ~= 0 then S[#S + 1] = j end end
    local N, v = {}, {}
    for a, ja in ipairs(S) do
      N[a], v[a] = {}, 0
      for c, jc in ipairs(S) do
        local t = 0
        for i = 1, #A do t = t + A[i][ja] * A[i][jc] end
        N[a][c] = t
      end
      for i = 1, #A do v[a] = v[a] + A[i][ja] * b[i] end
    end
    local z = M.gauss(N, v)
    local ok = z ~= nil
    for a = 1, z and #z or 0 do if z[a] < 0 then ok = false end end
    if ok then
      local y = {}
      for j = 1, n do y[j] = 0 end
      for a, j in ipairs(S) do y[j] = z[a] end
      local c = 0
      for i = 1, #A do
        local t = -b[i]
        for j = 1, n do t = t + A[i][j] * y[j] end
        c = c + t * t
      end
      if c < best_cost then best, best_cost = y, c end
    end
  end
  return best
end

-- Gauss-Newton for min |r(x)|^2 over x >= 0, r the residuals evaluate
-- gives. spec:
--   evaluate(xs): for each point of the list xs, { r = residuals,
--     cost = M.sumsq(r) } (one call for all the points of a step)
--   x, cur: the starting point and evaluate's result there
--   h[j]: the forward-difference step of x[j]
--   round(v): the grid a coefficient tried is rounded to
--   iterations: at most that many steps; halvings: each step tried at
--     fractions 1, 1/2, ... of itself, that many at most, until the error
--     falls; tol: stop once a step lowers the squared error by less than
--     this fraction of it
--   on_step(it, x, cur, t): after step it, taken at fraction t
--   on_stall(it): step it found nothing lower (the iterations stop)
-- Returns the last x and cur, and the last Jacobian (nil when no
-- iteration ran).
function M.gauss_newton(spec)
  local evaluate, round = spec.evaluate, spec.round
  local x, cur = spec.x, spec.cur
  local n = #x
  local J
  for it = 1, spec.iterations do
    -- Jacobian by forward differences
    local xs = {}
    for j = 1, n do
      xs[j] = {}
      for i = 1, n do xs[j][i] = x[i] end
      xs[j][j] = x[j] + spec.h[j]
    end
    local fd = evaluate(xs)
    J = {}
    local b = {}
    for i = 1, #cur.r do
      J[i] = {}
      b[i] = -cur.r[i]
      for j = 1, n do
        J[i][j] = (fd[j].r[i] - cur.r[i]) / (xs[j][j] - x[j])
        b[i] = b[i] + J[i][j] * x[j]
      end
    end
    -- the linearized problem's non-negative optimum, then halve the step
    -- until the error falls
    local y = M.nnls(J, b)
    local t, next_x, next_e = 1, nil, nil
    for _ = 1, spec.halvings do
      local xt = {}
      for j = 1, n do xt[j] = math.max(0, round(x[j] + t * (y[j] - x[j]))) end
      local e = evaluate({ xt })[1]
      if e.cost < cur.cost then next_x, next_e = xt, e break end
      t = t / 2
    end
    if not next_x then
      spec.on_stall(it)
      break
    end
    local gain = (cur.cost - next_e.cost) / cur.cost
    x, cur = next_x, next_e
    spec.on_step(it, x, cur, t)
    if gain < spec.tol then break end
  end
  return x, cur, J
end

-- One coefficient over a grid: steps + 1 points evenly over [lo, hi], each
-- kept >= 0 and rounded by round(v), evaluated in one call of evaluate (as
-- for M.gauss_newton). Returns the lowest of them and best ({ x = the
-- coefficient, e = evaluate's result there }), best where none is lower.
function M.scan(evaluate, lo, hi, steps, round, best)
  local xs = {}
  for i = 0, steps do xs[#xs + 1] = { round(math.max(0, lo + (hi - lo) * i / steps)) } end
  local es = evaluate(xs)
  for i, e in ipairs(es) do
    if e.cost < best.e.cost then best = { x = xs[i][1], e = e } end
  end
  return best
end

-- The cosine between columns a and c of the matrix J (rows of columns): 1
-- or -1 when they are parallel (the data cannot tell the two coefficients
-- apart), 0 when either is all zeros (a coefficient the data do not see).
function M.cosine(J, a, c)
  local ab, aa, cc = 0, 0, 0
  for i = 1, #J do
    ab, aa, cc = ab + J[i][a] * J[i][c], aa + J[i][a] ^ 2, cc + J[i][c] ^ 2
  end
  return (aa > 0 and cc > 0) and ab / math.sqrt(aa * cc) or 0 -- a column of zeros: unseen
end

return M
