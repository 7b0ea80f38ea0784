import { choleskyInPlace, choleskySolve } from "./linalg";
import { STYLE_FEATURE_COUNT as K, SCORE, type StyleData } from "./style-data";

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
export interface StyleProblem extends Blocks {
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
    ...makeBlocks(data.n),
  };
}

/** What a sweep accumulates besides the gradient: nothing, the Hessian, or Hessian and meat. */
export const GRADIENT = 0;
export const HESSIAN = 1;
export const WITH_MEAT = 2;

/** Σ c·x_v x_vᵀ as blocks: pair sums (ratings), model × feature, feature × feature. */
export interface Blocks {
  pair: Float64Array;
  cross: Float64Array;
  feat: Float64Array;
}

export function makeBlocks(n: number): Blocks {
  return {
    pair: new Float64Array(n * n),
    cross: new Float64Array(n * K),
    feat: new Float64Array(K * K),
  };
}

/**
 * One sweep over the votes: writes ∇f(x) into p.grad (f itself is never needed: see
 * solveStyle); with HESSIAN also accumulates Σ c·x_v x_vᵀ into p's blocks with c = w·p(1−p),
 * x_v = (e_a − e_b, z_v); with WITH_MEAT, in the same sweep, Σ w·(y − p)²·x_v x_vᵀ into `meat`
 * (the sandwich's two matrices for one exp per vote). The penalty is in neither (see assemble).
 */
export function sweep(p: StyleProblem, x: Float64Array, mode: number, meat?: Blocks): void {
  const { data, grad, pair, cross, feat } = p;
  const { n, size, a: A, b: B, outcome: O, d: D, w: W } = data;
  const [m0, m1, m2, m3] = data.mean as [number, number, number, number];
  const [k0, k1, k2, k3] = data.scale as [number, number, number, number];
  const g0 = x[n] as number;
  const g1 = x[n + 1] as number;
  const g2 = x[n + 2] as number;
  const g3 = x[n + 3] as number;
  grad.fill(0);
  const acc = mode !== GRADIENT;
  const withMeat = mode === WITH_MEAT && meat !== undefined;
  if (acc) {
    pair.fill(0);
    cross.fill(0);
  }
  const mPair = withMeat ? meat.pair : pair;
  const mCross = withMeat ? meat.cross : cross;
  if (withMeat) {
    mPair.fill(0);
    mCross.fill(0);
  }
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  // feature × feature sums, Hessian (h..) and meat (q..), upper triangle
  let h00 = 0,
    h01 = 0,
    h02 = 0,
    h03 = 0,
    h11 = 0,
    h12 = 0,
    h13 = 0,
    h22 = 0,
    h23 = 0,
    h33 = 0;
  let q00 = 0,
    q01 = 0,
    q02 = 0,
    q03 = 0,
    q11 = 0,
    q12 = 0,
    q13 = 0,
    q22 = 0,
    q23 = 0,
    q33 = 0;
  for (let v = 0; v < size; v++) {
    const a = A[v] as number;
    const b = B[v] as number;
    const o = v * K;
    const z0 = ((D[o] as number) - m0) * k0;
    const z1 = ((D[o + 1] as number) - m1) * k1;
    const z2 = ((D[o + 2] as number) - m2) * k2;
    const z3 = ((D[o + 3] as number) - m3) * k3;
    const eta = (x[a] as number) - (x[b] as number) + g0 * z0 + g1 * z1 + g2 * z2 + g3 * z3;
    const w = W === null ? 1 : (W[v] as number);
    const y = SCORE[O[v] as number] as number;
    // σ(η) from exp(−|η|): no overflow either way
    const e = Math.exp(-Math.abs(eta));
    const inv = 1 / (1 + e);
    const prob = eta >= 0 ? inv : e * inv;
    const r = w * (prob - y);
    grad[a] = (grad[a] as number) + r;
    grad[b] = (grad[b] as number) - r;
    s0 += r * z0;
    s1 += r * z1;
    s2 += r * z2;
    s3 += r * z3;
    if (acc) {
      const c = w * prob * (1 - prob);
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
      h00 += c0 * z0;
      h01 += c0 * z1;
      h02 += c0 * z2;
      h03 += c0 * z3;
      h11 += c1 * z1;
      h12 += c1 * z2;
      h13 += c1 * z3;
      h22 += c2 * z2;
      h23 += c2 * z3;
      h33 += c3 * z3;
      if (withMeat) {
        const u = r * (prob - y); // w·(y − p)²
        mPair[a * n + b] = (mPair[a * n + b] as number) + u;
        const u0 = u * z0;
        const u1 = u * z1;
        const u2 = u * z2;
        const u3 = u * z3;
        mCross[ca] = (mCross[ca] as number) + u0;
        mCross[ca + 1] = (mCross[ca + 1] as number) + u1;
        mCross[ca + 2] = (mCross[ca + 2] as number) + u2;
        mCross[ca + 3] = (mCross[ca + 3] as number) + u3;
        mCross[cb] = (mCross[cb] as number) - u0;
        mCross[cb + 1] = (mCross[cb + 1] as number) - u1;
        mCross[cb + 2] = (mCross[cb + 2] as number) - u2;
        mCross[cb + 3] = (mCross[cb + 3] as number) - u3;
        q00 += u0 * z0;
        q01 += u0 * z1;
        q02 += u0 * z2;
        q03 += u0 * z3;
        q11 += u1 * z1;
        q12 += u1 * z2;
        q13 += u1 * z3;
        q22 += u2 * z2;
        q23 += u2 * z3;
        q33 += u3 * z3;
      }
    }
  }
  grad[n] = s0;
  grad[n + 1] = s1;
  grad[n + 2] = s2;
  grad[n + 3] = s3;
  if (acc)
    feat.set([h00, h01, h02, h03, h01, h11, h12, h13, h02, h12, h22, h23, h03, h13, h23, h33]);
  if (withMeat)
    meat.feat.set([q00, q01, q02, q03, q01, q11, q12, q13, q02, q12, q22, q23, q03, q13, q23, q33]);
  // the penalty
  for (let m = 0; m < n; m++) grad[m] = (grad[m] as number) + p.ridgeBeta * (x[m] as number);
  for (let k = 0; k < K; k++)
    grad[n + k] = (grad[n + k] as number) + p.ridgeGamma * (x[n + k] as number);
}

/**
 * The accumulated blocks as a dense dim × dim matrix into `out`, plus the penalty's curvature
 * on the diagonal when `withPenalty` (the Hessian of f; the meat has none).
 */
export function assemble(
  p: StyleProblem,
  out: Float64Array,
  withPenalty: boolean,
  blocks: Blocks = p,
): void {
  const { data, dim } = p;
  const { pair, cross, feat } = blocks;
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
 * Damped Newton from x (modified in place), with acceptance tests that need only gradients —
 * which the trial point's sweep computes anyway, so the log-loss (a log1p per vote) is never
 * evaluated and an accepted step costs one sweep (which also yields the next Hessian). A trial
 * x + t·s is accepted when either
 *  - the slope along the step there, s·∇f, is ≤ 0: f is convex, so the trial lies before the
 *    line's minimum and f went down; or
 *  - ‖∇f‖² fell by the Armijo fraction: the Newton step is a descent direction for ‖∇f‖²
 *    (its derivative along s is −2‖∇f‖²), and f's only stationary point is the optimum.
 * The second is what near the optimum accepts a full step that overshoots the line's minimum by
 * rounding-sized amounts, keeping the quadratic convergence.
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
    let merit = 0;
    for (let i = 0; i < dim; i++) {
      step[i] = -(step[i] as number);
      merit += (grad[i] as number) ** 2;
    }
    let t = 1;
    for (let halvings = 0; ; halvings++) {
      for (let i = 0; i < dim; i++) trial[i] = (x[i] as number) + t * (step[i] as number);
      sweep(p, trial, HESSIAN);
      let slope = 0;
      let trialMerit = 0;
      for (let i = 0; i < dim; i++) {
        slope += (step[i] as number) * (grad[i] as number);
        trialMerit += (grad[i] as number) ** 2;
      }
      if (slope <= 0 || trialMerit <= (1 - 2e-4 * t) * merit || halvings >= 40) break;
      t *= 0.5;
    }
    x.set(trial);
    norm = perVoteNorm(grad, total);
  }
  return { iterations: it, gradientNorm: norm, converged: norm <= tol };
}
