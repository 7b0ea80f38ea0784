import { DEFAULT_MAX_ITERATIONS, DEFAULT_TOLERANCE, fitPairTable } from "./bradley-terry";
import { choleskyInPlace, choleskyInverse } from "./linalg";
import { buildPairTable } from "./pairs";
import { normalQuantile } from "./sandwich";
import { checkAnchor, DEFAULT_SCALE, resolveScale, writeRatings } from "./scale";
import { assemble, makeBlocks, makeStyleProblem, solveStyle, sweep, WITH_MEAT } from "./style-core";
import { STYLE_FEATURE_COUNT as K, type StyleData } from "./style-data";
import type { Anchor, Matchup, RatingScale } from "./types";

/**
 * Style control: the contextual Bradley–Terry model of FastChat's `compute_style_control`,
 * P(A beats B) = σ(ln base·(R_A − R_B)/scale + Σ_k γ_k·z_k), with z the standardised style
 * differences of the vote (style-data.ts) and ties as half a win. R is the rating with
 * length and markdown held equal; γ_k is the log-odds a vote gains per standard deviation of
 * feature k (FastChat reports these raw, and so do we).
 */
export interface StyleControlOptions extends RatingScale {
  /** Pin one model's rating, shifting all (FastChat's scale_and_offset). */
  anchor?: Anchor;
  /**
   * FastChat's L2 penalty `reg` on every parameter (ratings in log_base-odds units, and the
   * coefficients), added to the summed — not averaged — log-loss as reg/2·‖·‖². Default 0.5.
   */
  reg?: number;
  /** Stop when max |∂f/∂x| per vote ≤ this. Default 1e-9 (FastChat's L-BFGS-B stops at 1e-6 total). */
  tolerance?: number;
  maxIterations?: number;
}

export interface StyleControlFit {
  /** Style-controlled ratings on the display scale, indexed like the models. */
  ratings: number[];
  /** Natural log-odds strengths (before any anchor shift). */
  strengths: Float64Array;
  /** γ per feature, STYLE_FEATURES order: log-odds per standard deviation. */
  coefficients: number[];
  /** Votes each model took part in, and all votes. */
  votes: number[];
  totalVotes: number;
  iterations: number;
  gradientNorm: number;
  converged: boolean;
}

export const DEFAULT_STYLE_REG = 0.5;

/**
 * Where Newton starts: the plain Bradley–Terry fit (γ = 0) under the same penalty, solved on
 * folded pair counts in milliseconds. It is the exact optimum when style does not matter and
 * close to it when it does, saving a sweep or two over the votes against starting from zero.
 */
function plainStart(data: StyleData, ridgeBeta: number, dim: number): Float64Array {
  const { n, size, a, b, outcome, w } = data;
  const cells = new Float64Array(n * n * 3);
  for (let v = 0; v < size; v++) {
    const o = outcome[v] as number;
    const at = ((a[v] as number) * n + (b[v] as number)) * 3 + (o === 0 ? 0 : o === 1 ? 2 : 1);
    cells[at] = (cells[at] as number) + (w === null ? 1 : (w[v] as number));
  }
  const matchups: Matchup[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const at = (i * n + j) * 3;
      const [won, drew, lost] = [cells[at], cells[at + 1], cells[at + 2]] as [
        number,
        number,
        number,
      ];
      if (won + drew + lost > 0)
        matchups.push({ a: i, b: j, winsA: won, winsB: lost, ties: drew, bothBad: 0 });
    }
  }
  const x = new Float64Array(dim);
  if (matchups.length === 0) return x;
  // the plain fit's prior sd, in rating points, that is this ridge: 1/√λ nats
  const plain = fitPairTable(buildPairTable(n, matchups), {
    priorSd: DEFAULT_SCALE / Math.LN10 / Math.sqrt(ridgeBeta),
  });
  x.set(plain.strengths);
  return x;
}

function solve(data: StyleData, opts: StyleControlOptions) {
  const s = resolveScale(opts);
  checkAnchor(opts.anchor, data.n);
  const problem = makeStyleProblem(data, opts.reg ?? DEFAULT_STYLE_REG, Math.log(s.base));
  const x = plainStart(data, problem.ridgeBeta, problem.dim);
  const report = solveStyle(
    problem,
    x,
    opts.tolerance ?? DEFAULT_TOLERANCE,
    opts.maxIterations ?? DEFAULT_MAX_ITERATIONS,
  );
  return { s, problem, x, report };
}

/** The style-controlled fit on prepared votes ({@link prepareStyleData}). */
export function fitStyleControl(data: StyleData, opts: StyleControlOptions = {}): StyleControlFit {
  const { s, x, report } = solve(data, opts);
  const n = data.n;
  const strengths = x.slice(0, n);
  const ratings = new Array<number>(n);
  writeRatings(strengths, s, opts.anchor, ratings);
  return {
    ratings,
    strengths,
    coefficients: Array.from(x.subarray(n)),
    votes: Array.from(data.votes),
    totalVotes: data.total,
    ...report,
  };
}

export interface CoefficientInterval {
  value: number;
  lower: number;
  upper: number;
}

export interface StyleIntervals {
  ratings: number[];
  lower: number[];
  upper: number[];
  /** Per feature, STYLE_FEATURES order. */
  coefficients: CoefficientInterval[];
}

export interface StyleSandwichResult extends StyleIntervals {
  /** Standard errors of the ratings, in rating points, and of the coefficients. */
  standardErrors: number[];
  coefficientErrors: number[];
}

/**
 * Sandwich (robust) intervals of the style-controlled fit — the estimator of the plain
 * sandwich (sandwich.ts), on the contextual model's full parameter vector:
 *   bread H = Σ_v w·p(1−p)·x_v x_vᵀ + penalty,  meat M = Σ_v w·(y − p)²·x_v x_vᵀ,
 *   Cov = H⁻¹ M H⁻¹,  x_v = (e_a − e_b, z_v).
 * Ratings get R ± z·pointsPerNat·se (with an anchor, the se of the difference to the anchor,
 * the anchor's own interval being zero-width); coefficients γ ± z·se. Models without votes get
 * infinite bounds.
 */
export function styleSandwich(
  data: StyleData,
  opts: StyleControlOptions & { confidence?: number; fit?: StyleControlFit } = {},
): StyleSandwichResult {
  const confidence = opts.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1)) throw new RangeError("confidence must be in (0, 1)");
  const s = resolveScale(opts);
  checkAnchor(opts.anchor, data.n);
  const fit = opts.fit ?? fitStyleControl(data, opts);
  const n = data.n;
  const problem = makeStyleProblem(data, opts.reg ?? DEFAULT_STYLE_REG, Math.log(s.base));
  const dim = problem.dim;
  const x = new Float64Array(dim);
  x.set(fit.strengths);
  x.set(fit.coefficients, n);

  const meatBlocks = makeBlocks(n);
  sweep(problem, x, WITH_MEAT, meatBlocks);
  assemble(problem, problem.hess, true);
  if (!choleskyInPlace(problem.hess, dim))
    throw new Error("style-control Hessian is not positive definite");
  const hInv = choleskyInverse(problem.hess, dim);
  const meat = new Float64Array(dim * dim);
  assemble(problem, meat, false, meatBlocks);
  // Cov = H⁻¹ M H⁻¹, dense: dim is models + 4, so this is a few million flops at 100 models.
  const left = multiply(hInv, meat, dim);
  const cov = multiply(left, hInv, dim);

  const z = normalQuantile(0.5 + confidence / 2);
  const anchor = opts.anchor?.model;
  const lower: number[] = [];
  const upper: number[] = [];
  const standardErrors: number[] = [];
  for (let m = 0; m < n; m++) {
    const rating = fit.ratings[m] as number;
    if ((data.votes[m] as number) === 0 && anchor !== m) {
      lower.push(Number.NEGATIVE_INFINITY);
      upper.push(Number.POSITIVE_INFINITY);
      standardErrors.push(Number.POSITIVE_INFINITY);
      continue;
    }
    let variance = cov[m * dim + m] as number;
    if (anchor !== undefined)
      variance += (cov[anchor * dim + anchor] as number) - 2 * (cov[m * dim + anchor] as number);
    const se = s.pointsPerNat * Math.sqrt(Math.max(variance, 0));
    standardErrors.push(se);
    lower.push(rating - z * se);
    upper.push(rating + z * se);
  }
  const coefficients: CoefficientInterval[] = [];
  const coefficientErrors: number[] = [];
  for (let k = 0; k < K; k++) {
    const value = fit.coefficients[k] as number;
    const se = Math.sqrt(Math.max(cov[(n + k) * dim + n + k] as number, 0));
    coefficientErrors.push(se);
    coefficients.push({ value, lower: value - z * se, upper: value + z * se });
  }
  return { ratings: fit.ratings, lower, upper, standardErrors, coefficients, coefficientErrors };
}

function multiply(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k] as number;
      if (aik === 0) continue;
      for (let j = 0; j < n; j++)
        out[i * n + j] = (out[i * n + j] as number) + aik * (b[k * n + j] as number);
    }
  }
  return out;
}
