import { choleskyInPlace, choleskySolve } from "./linalg";
import type { PairTable } from "./pairs";

/**
 * The Bradley–Terry solver on folded pair counts, in natural log-odds β (P(i beats j) =
 * σ(β_i − β_j)). Internal: the public entry points are fitBradleyTerry and the bootstrap.
 *
 * Objective (to minimise), with ties as half a win for each side:
 *   f(β) = Σ_pairs −[s·log p + (g − s)·log(1 − p)] + (λ/2)·Σ β²
 * where g = games of the pair and s = i's wins + ties/2. The ridge λ is a N(0, 1/λ) prior on
 * every strength. It is what keeps models with no games, or with only wins, finite (the MLE
 * does not exist for them), and it is tiny enough (default sd 4000 rating points) that on
 * real data it moves ratings by thousandths of a point. Because the data part only depends on
 * differences, the prior also pins the optimum to Σβ = 0 — FastChat's implicit gauge.
 */
export interface BTProblem {
  n: number;
  size: number;
  i: Int32Array;
  j: Int32Array;
  /** Pairs are sorted by i: model a's pairs (as i) are runStart[a] .. runStart[a + 1] − 1. */
  runStart: Int32Array;
  /** Games per pair (mutable: the bootstrap rewrites it every round). */
  games: Float64Array;
  /** i's score per pair: wins + ties / 2. */
  score: Float64Array;
  /** Σ games — the gradient is reported per vote so one tolerance fits any data size. */
  total: number;
  ridge: number;
  // scratch, reused across iterations so solving allocates nothing
  e: Float64Array;
  grad: Float64Array;
  step: Float64Array;
  trial: Float64Array;
  hess: Float64Array;
}

export interface SolveReport {
  iterations: number;
  /** max_i |∂f/∂β_i| / N at the returned point. */
  gradientNorm: number;
  converged: boolean;
}

export function makeProblem(table: PairTable, ridge: number): BTProblem {
  const { n, size } = table;
  const games = new Float64Array(size);
  const score = new Float64Array(size);
  for (let k = 0; k < size; k++) {
    const t = table.draws[k] as number;
    games[k] = (table.winsI[k] as number) + t + (table.winsJ[k] as number);
    score[k] = (table.winsI[k] as number) + 0.5 * t;
  }
  const runStart = new Int32Array(n + 1);
  for (let k = 0; k < size; k++) {
    const next = (table.i[k] as number) + 1;
    runStart[next] = (runStart[next] as number) + 1;
  }
  for (let a = 0; a < n; a++)
    runStart[a + 1] = (runStart[a + 1] as number) + (runStart[a] as number);
  return {
    n,
    size,
    i: table.i,
    j: table.j,
    runStart,
    games,
    score,
    total: table.total,
    ridge,
    e: new Float64Array(n),
    grad: new Float64Array(n),
    step: new Float64Array(n),
    trial: new Float64Array(n),
    hess: new Float64Array(n * n),
  };
}

/** Shifts β to Σβ = 0. The data term is shift-invariant, so this only removes drift. */
export function center(beta: Float64Array): void {
  const n = beta.length;
  if (n === 0) return;
  let mean = 0;
  for (let m = 0; m < n; m++) mean += beta[m] as number;
  mean /= n;
  for (let m = 0; m < n; m++) beta[m] = (beta[m] as number) - mean;
}

/**
 * e_m = exp(β_m − max β): one exp per MODEL instead of one per pair, because
 * σ(β_i − β_j) = e_i / (e_i + e_j). Subtracting the max keeps it from overflowing.
 */
function fillExp(p: BTProblem, beta: Float64Array): void {
  let max = Number.NEGATIVE_INFINITY;
  for (let m = 0; m < p.n; m++) if ((beta[m] as number) > max) max = beta[m] as number;
  for (let m = 0; m < p.n; m++) p.e[m] = Math.exp((beta[m] as number) - max);
}

/** ∇f into p.grad; returns the per-vote max-norm used as the convergence measure. */
export function gradient(p: BTProblem, beta: Float64Array): number {
  const { n, j, runStart, games, score, e, grad, ridge } = p;
  fillExp(p, beta);
  for (let m = 0; m < n; m++) grad[m] = ridge * (beta[m] as number);
  // Pairs are sorted by i, so i's share is summed in a register and stored once per run;
  // read-modify-writing grad[i] every pair serialises the loop on store-to-load latency.
  for (let a = 0; a < n; a++) {
    const ea = e[a] as number;
    const end = runStart[a + 1] as number;
    let acc = 0;
    for (let k = runStart[a] as number; k < end; k++) {
      const b = j[k] as number;
      const r = (games[k] as number) * (ea / (ea + (e[b] as number))) - (score[k] as number);
      acc += r;
      grad[b] = (grad[b] as number) - r;
    }
    grad[a] = (grad[a] as number) + acc;
  }
  return perVoteNorm(grad, n, p.total);
}

/**
 * ∇²f into p.hess, plus c·11ᵀ. The data Hessian is singular along 1 (shifting every β changes
 * nothing); the rank-one term makes the matrix well conditioned without changing the Newton
 * step on the sum-zero subspace, where every gradient lives once β is centred. That is the
 * sum-to-zero gauge without carrying an (n−1)-sized reparametrisation around.
 */
export function hessian(p: BTProblem, beta: Float64Array): void {
  const { n, size, i, j, games, e, hess, ridge } = p;
  fillExp(p, beta);
  hess.fill(0);
  for (let k = 0; k < size; k++) {
    const a = i[k] as number;
    const b = j[k] as number;
    const ea = e[a] as number;
    const eb = e[b] as number;
    const s = ea + eb;
    const h = ((games[k] as number) * ea * eb) / (s * s);
    hess[a * n + a] = (hess[a * n + a] as number) + h;
    hess[b * n + b] = (hess[b * n + b] as number) + h;
    hess[a * n + b] = (hess[a * n + b] as number) - h;
    hess[b * n + a] = (hess[b * n + a] as number) - h;
  }
  let trace = 0;
  for (let m = 0; m < n; m++) trace += hess[m * n + m] as number;
  const c = Math.max(trace / (n * n), 1e-12);
  for (let x = 0; x < n * n; x++) hess[x] = (hess[x] as number) + c;
  for (let m = 0; m < n; m++) hess[m * n + m] = (hess[m * n + m] as number) + ridge;
}

function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** f(β): penalised negative log-likelihood (total, not per vote). */
export function objective(p: BTProblem, beta: Float64Array): number {
  let f = 0;
  for (let k = 0; k < p.size; k++) {
    const g = p.games[k] as number;
    if (g === 0) continue;
    const d = (beta[p.i[k] as number] as number) - (beta[p.j[k] as number] as number);
    const s = p.score[k] as number;
    f += s * softplus(-d) + (g - s) * softplus(d);
  }
  let sq = 0;
  for (let m = 0; m < p.n; m++) sq += (beta[m] as number) ** 2;
  return f + 0.5 * p.ridge * sq;
}

/** Factorises the (gauged) Hessian at β into p.hess; adds jitter if it is numerically singular. */
export function factorHessian(p: BTProblem, beta: Float64Array): void {
  for (let jitter = 0; ; jitter = jitter === 0 ? 1e-10 : jitter * 100) {
    hessian(p, beta);
    if (jitter > 0)
      for (let m = 0; m < p.n; m++)
        p.hess[m * p.n + m] = (p.hess[m * p.n + m] as number) + jitter * Math.max(p.total, 1);
    if (choleskyInPlace(p.hess, p.n)) return;
    if (jitter > 1) throw new Error("Bradley–Terry Hessian is not positive definite");
  }
}

/**
 * Damped Newton from β (modified in place). Objective-based backtracking keeps the first steps
 * safe far from the optimum (models with only wins walk out ~1 nat per step); near the optimum
 * full steps converge quadratically to the tolerance.
 */
export function newton(
  p: BTProblem,
  beta: Float64Array,
  tol: number,
  maxIter: number,
): SolveReport {
  center(beta);
  let norm = gradient(p, beta);
  let it = 0;
  while (norm > tol && it < maxIter) {
    it++;
    factorHessian(p, beta);
    choleskySolve(p.hess, p.n, p.grad, p.step);
    let slope = 0;
    for (let m = 0; m < p.n; m++) {
      p.step[m] = -(p.step[m] as number);
      slope += (p.step[m] as number) * (p.grad[m] as number);
    }
    const f0 = objective(p, beta);
    // Rounding allowance: close to the optimum f barely changes and exact Armijo could refuse
    // a perfectly good quadratic step.
    const slack = 1e-12 * (Math.abs(f0) + 1);
    let t = 1;
    for (let halvings = 0; ; halvings++) {
      for (let m = 0; m < p.n; m++) p.trial[m] = (beta[m] as number) + t * (p.step[m] as number);
      if (objective(p, p.trial) <= f0 + 1e-4 * t * slope + slack || halvings >= 40) break;
      t *= 0.5;
    }
    beta.set(p.trial);
    center(beta);
    norm = gradient(p, beta);
  }
  return { iterations: it, gradientNorm: norm, converged: norm <= tol };
}

/**
 * Chord (simplified Newton) iterations: β ← β − H₀⁻¹∇f(β) with a FIXED inverse Hessian H₀⁻¹
 * from another fit of similar data. Each iteration costs one gradient and one mat-vec instead
 * of a factorisation, and for a bootstrap resample (whose Hessian differs from the full-data
 * one by a few percent) it contracts the gradient ~30× per iteration. Stops early — reporting
 * not converged — when the contraction is poor, so the caller can switch to full Newton.
 * `initialNorm`: the caller already put ∇f(β) in p.grad and this is its norm.
 */
export function chord(
  p: BTProblem,
  inverse: Float64Array,
  beta: Float64Array,
  tol: number,
  maxIter: number,
  initialNorm?: number,
): SolveReport {
  const { n, grad } = p;
  let norm = initialNorm ?? gradient(p, beta);
  let it = 0;
  while (norm > tol && it < maxIter) {
    it++;
    // A dense mat-vec (rows independent) pipelines better than two triangular solves.
    for (let r = 0; r < n; r++) {
      const row = r * n;
      let s = 0;
      for (let c = 0; c < n; c++) s += (inverse[row + c] as number) * (grad[c] as number);
      beta[r] = (beta[r] as number) - s;
    }
    center(beta);
    const next = gradient(p, beta);
    if (!(next < 0.5 * norm)) return { iterations: it, gradientNorm: next, converged: next <= tol };
    norm = next;
  }
  return { iterations: it, gradientNorm: norm, converged: norm <= tol };
}

/** Win probability of each pair's first model at β (for {@link gradientFromProbabilities}). */
export function pairProbabilities(p: BTProblem, beta: Float64Array): Float64Array {
  const out = new Float64Array(p.size);
  for (let k = 0; k < p.size; k++) {
    out[k] =
      1 / (1 + Math.exp((beta[p.j[k] as number] as number) - (beta[p.i[k] as number] as number)));
  }
  return out;
}

/**
 * {@link gradient} at the point whose pair probabilities are `prob` (so no exp or division):
 * every bootstrap round starts at the full-data fit, where these are known.
 */
export function gradientFromProbabilities(
  p: BTProblem,
  beta: Float64Array,
  prob: Float64Array,
): number {
  const { n, j, runStart, games, score, grad, ridge } = p;
  for (let m = 0; m < n; m++) grad[m] = ridge * (beta[m] as number);
  for (let a = 0; a < n; a++) {
    const end = runStart[a + 1] as number;
    let acc = 0;
    for (let k = runStart[a] as number; k < end; k++) {
      const b = j[k] as number;
      const r = (games[k] as number) * (prob[k] as number) - (score[k] as number);
      acc += r;
      grad[b] = (grad[b] as number) - r;
    }
    grad[a] = (grad[a] as number) + acc;
  }
  return perVoteNorm(grad, n, p.total);
}

/** The gradient's max-norm per vote: the convergence measure, comparable across data sizes. */
function perVoteNorm(grad: Float64Array, n: number, total: number): number {
  let norm = 0;
  for (let m = 0; m < n; m++) {
    const g = Math.abs(grad[m] as number);
    if (g > norm) norm = g;
  }
  return norm / Math.max(total, 1);
}
