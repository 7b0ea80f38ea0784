import { choleskyInPlace, choleskySolve } from "./linalg";
import { STYLE_FEATURE_COUNT as K, type StyleData } from "./style-data";

/**
 * The contextual Bradley–Terry solver (style control), internal to style-control.ts.
 *
 * Parameters x = (β_0 … β_{n−1}, γ_0 … γ_3): natural log-odds strengths and the raw feature
 * coefficients. Vote v (sides a, b, standardised features z, score y ∈ {1, ½, 0}, weight w):
 *   η = β_a − β_b + γ·z,  p = σ(η)
 * and the objective is FastChat's `contextual_bt_loss_and_grad` with its `fit_contextual_bt`
 * penalty, in our parametrisation (FastChat's θ = β / ln base):
 *   f(x) = Σ_v w·[softplus(η) − y·η] + (λ/2)·(Σ (β / ln base)² + Σ γ²),  λ = 0.5.
 * The penalty is absolute (not per vote), so it matters on a thousand votes and fades on a
 * million — exactly as in FastChat. It also pins the shift the data cannot see: at the optimum
 * Σβ = 0, so unanchored ratings average the initial rating, as FastChat's do.
 *
 * Unlike the plain fit there is no folding into pair counts (z differs from vote to vote):
 * every pass is one sweep over the rows, accumulating the gradient and the Hessian's three
 * blocks (pair sums for the ratings, model × feature, feature × feature) in the same sweep.
 */
export interface StyleProblem {
  data: StyleData;
  /** Penalty weight on β (λ / ln² base) and on γ (λ). */
  ridgeBeta: number;
  ridgeGamma: number;
  dim: number;
  grad: Float64Array;
  /** Dense dim × dim Hessian (then its Cholesky factor). */
  hess: Float64Array;
  step: Float64Array;
  trial: Float64Array;
  // sweep accumulators
  pair: Float64Array;
  cross: Float64Array;
  feat: Float64Array;
}

export function makeStyleProblem(data: StyleData, reg: number, logBase: number): StyleProblem {
  if (!(reg > 0) || !Number.isFinite(reg)) throw new RangeError(`reg must be > 0, got ${reg}`);
  const dim = data.n + K;
  return {
    data,
    ridgeBeta: reg / (logBase * logBase),
    ridgeGamma: reg,
    dim,
    grad: new Float64Array(dim),
    hess: new Float64Array(dim * dim),
    step: new Float64Array(dim),
    trial: new Float64Array(dim),
    pair: new Float64Array(data.n * data.n),
    cross: new Float64Array(data.n * K),
    feat: new Float64Array(K * K),
  };
}

/** What the sweep accumulates as the "curvature" of a row: Hessian or score variance. */
export const HESSIAN = 0;
export const MEAT = 1;

/**
 * One sweep: writes ∇f(x) into p.grad (f itself is never needed: see solveStyle); with `outer` also accumulates
 * Σ c·x_v x_vᵀ into the block accumulators, with c = w·p(1−p) (HESSIAN) or w·(y − p)² (MEAT),
 * x_v = e_a − e_b ⊕ z_v. The penalty is NOT in the accumulators (see assemble).
 */
export function sweep(p: StyleProblem, x: Float64Array, outer: number | undefined): void {
  const { data, grad, pair, cross, feat } = p;
  const { n, size, a: A, b: B, y: Y, z: Z, w: W } = data;
  const g0 = x[n] as number;
  const g1 = x[n + 1] as number;
  const g2 = x[n + 2] as number;
  const g3 = x[n + 3] as number;
  grad.fill(0);
  const acc = outer !== undefined;
  if (acc) {
    pair.fill(0);
    cross.fill(0);
    feat.fill(0);
  }
  const meat = outer === MEAT;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let f00 = 0;
  let f01 = 0;
  let f02 = 0;
  let f03 = 0;
  let f11 = 0;
  let f12 = 0;
  let f13 = 0;
  let f22 = 0;
  let f23 = 0;
  let f33 = 0;
  for (let v = 0; v < size; v++) {
    const a = A[v] as number;
    const b = B[v] as number;
    const o = v * K;
    const z0 = Z[o] as number;
    const z1 = Z[o + 1] as number;
    const z2 = Z[o + 2] as number;
    const z3 = Z[o + 3] as number;
    const eta = (x[a] as number) - (x[b] as number) + g0 * z0 + g1 * z1 + g2 * z2 + g3 * z3;
    const w = W[v] as number;
    const y = Y[v] as number;
    // σ(η) from exp(−|η|): no overflow either way
    const e = Math.exp(-Math.abs(eta));
    const q = 1 / (1 + e);
    const prob = eta >= 0 ? q : e * q;
    const r = w * (prob - y);
    grad[a] = (grad[a] as number) + r;
    grad[b] = (grad[b] as number) - r;
    s0 += r * z0;
    s1 += r * z1;
    s2 += r * z2;
    s3 += r * z3;
    if (acc) {
      const c = meat ? w * (y - prob) * (y - prob) : w * prob * (1 - prob);
      pair[a * n + b] = (pair[a * n + b] as number) + c;
      const ca = a * K;
      const cb = b * K;
      const c0 = c * z0;
      const c1 = c * z1;
      const c2 = c * z2;
      const c3 = c * z3;
      cross[ca] = (cross[ca] as number) + c0;
      cross[ca + 1] = (cross[ca + 1] as number) + c1;
      cross[ca + 2] = (cross[ca + 2] as number) + c2;
      cross[ca + 3] = (cross[ca + 3] as number) + c3;
      cross[cb] = (cross[cb] as number) - c0;
      cross[cb + 1] = (cross[cb + 1] as number) - c1;
      cross[cb + 2] = (cross[cb + 2] as number) - c2;
      cross[cb + 3] = (cross[cb + 3] as number) - c3;
      f00 += c0 * z0;
      f01 += c0 * z1;
      f02 += c0 * z2;
      f03 += c0 * z3;
      f11 += c1 * z1;
      f12 += c1 * z2;
      f13 += c1 * z3;
      f22 += c2 * z2;
      f23 += c2 * z3;
      f33 += c3 * z3;
    }
  }
  grad[n] = s0;
  grad[n + 1] = s1;
  grad[n + 2] = s2;
  grad[n + 3] = s3;
  if (acc)
    feat.set([f00, f01, f02, f03, f01, f11, f12, f13, f02, f12, f22, f23, f03, f13, f23, f33]);
  // the penalty
  for (let m = 0; m < n; m++) grad[m] = (grad[m] as number) + p.ridgeBeta * (x[m] as number);
  for (let k = 0; k < K; k++)
    grad[n + k] = (grad[n + k] as number) + p.ridgeGamma * (x[n + k] as number);
}

/**
 * The accumulated blocks as a dense dim × dim matrix into `out`, plus the penalty's curvature
 * on the diagonal when `withPenalty` (the Hessian of f; the meat has none).
 */
export function assemble(p: StyleProblem, out: Float64Array, withPenalty: boolean): void {
  const { data, pair, cross, feat, dim } = p;
  const n = data.n;
  out.fill(0);
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      const c = pair[a * n + b] as number;
      if (c === 0) continue;
      out[a * dim + a] = (out[a * dim + a] as number) + c;
      out[b * dim + b] = (out[b * dim + b] as number) + c;
      out[a * dim + b] = (out[a * dim + b] as number) - c;
      out[b * dim + a] = (out[b * dim + a] as number) - c;
    }
    for (let k = 0; k < K; k++) {
      const c = cross[a * K + k] as number;
      out[a * dim + n + k] = c;
      out[(n + k) * dim + a] = c;
    }
  }
  for (let k = 0; k < K; k++)
    for (let l = 0; l < K; l++) out[(n + k) * dim + n + l] = feat[k * K + l] as number;
  if (withPenalty) {
    for (let m = 0; m < n; m++) out[m * dim + m] = (out[m * dim + m] as number) + p.ridgeBeta;
    for (let k = 0; k < K; k++)
      out[(n + k) * dim + n + k] = (out[(n + k) * dim + n + k] as number) + p.ridgeGamma;
  }
}

export interface StyleSolveReport {
  iterations: number;
  /** max |∂f/∂x| / votes at the returned point. */
  gradientNorm: number;
  converged: boolean;
}

function perVoteNorm(grad: Float64Array, total: number): number {
  let norm = 0;
  for (const g of grad) if (Math.abs(g) > norm) norm = Math.abs(g);
  return norm / Math.max(total, 1);
}

/**
 * Damped Newton from x (modified in place). f is strictly convex (the penalty makes its Hessian
 * positive definite), so along a Newton step s the slope φ'(t) = s·∇f(x + t·s) increases with t:
 * a trial point with φ'(t) ≤ 0 lies before the line's minimum, so f went down. That is the
 * acceptance test — it needs only the gradient, which the trial's sweep computes anyway, so the
 * log-loss (a log1p per vote) is never evaluated. Full steps pass once close, and converge
 * quadratically; each accepted step costs one sweep, which also yields the next Hessian.
 */
export function solveStyle(
  p: StyleProblem,
  x: Float64Array,
  tol: number,
  maxIter: number,
): StyleSolveReport {
  const { dim, grad, hess, step, trial } = p;
  const total = p.data.total;
  sweep(p, x, HESSIAN);
  let norm = perVoteNorm(grad, total);
  let it = 0;
  while (norm > tol && it < maxIter) {
    it++;
    assemble(p, hess, true);
    if (!choleskyInPlace(hess, dim))
      throw new Error("style-control Hessian is not positive definite");
    choleskySolve(hess, dim, grad, step);
    for (let i = 0; i < dim; i++) step[i] = -(step[i] as number);
    let t = 1;
    for (let halvings = 0; ; halvings++) {
      for (let i = 0; i < dim; i++) trial[i] = (x[i] as number) + t * (step[i] as number);
      sweep(p, trial, HESSIAN);
      let slope = 0;
      for (let i = 0; i < dim; i++) slope += (step[i] as number) * (grad[i] as number);
      // past the minimum of the line (slope > 0): the gradient there can still be tiny, when
      // the step overshot by rounding only; otherwise step back
      if (slope <= 0 || perVoteNorm(grad, total) <= tol || halvings >= 40) break;
      t *= 0.5;
    }
    x.set(trial);
    norm = perVoteNorm(grad, total);
  }
  return { iterations: it, gradientNorm: norm, converged: norm <= tol };
}
