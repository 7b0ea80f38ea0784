import {
  type BradleyTerryFit,
  type BradleyTerryOptions,
  fitPairTable,
  ridgeFor,
} from "./bradley-terry";
import { factorHessian, makeProblem } from "./bt-core";
import { choleskyInverse } from "./linalg";
import { buildPairTable } from "./pairs";
import { checkAnchor, resolveScale } from "./scale";
import type { Matchup } from "./types";

export interface SandwichOptions extends BradleyTerryOptions {
  /** Two-sided coverage. Default 0.95. */
  confidence?: number;
  /** The full-data fit with the same options, if already computed. */
  fit?: BradleyTerryFit;
}

export interface SandwichResult {
  ratings: number[];
  lower: number[];
  upper: number[];
  /** Standard errors in rating points. */
  standardErrors: number[];
}

/** Φ⁻¹(p), Acklam's rational approximation (relative error < 1.2e-9: z₀.₉₇₅ = 1.959963985). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`probability must be in (0, 1), got ${p}`);
  const [a0, a1, a2, a3, a4, a5] = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const [b0, b1, b2, b3, b4] = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972,
    -13.28068155288572,
  ];
  const [c0, c1, c2, c3, c4, c5] = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
    4.374664141464968, 2.938163982698783,
  ];
  const [d0, d1, d2, d3] = [
    0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416,
  ];
  const tail = (q: number) =>
    (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) /
    ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) /
    (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1)
  );
}

/**
 * Sandwich (Huber–White, "robust") confidence intervals — no resampling, one factorisation.
 *
 * With β̂ the fitted natural strengths, p = σ(β̂_i − β̂_j) and x = e_i − e_j for a pair:
 *   bread  H = Σ_pairs g·p(1−p)·x xᵀ (+ the ridge λI)       — observed information
 *   meat   M = Σ_cells c·(y − p)²·x xᵀ                       — empirical score variance
 * where the cells are the (pair, outcome) groups with c votes and outcome y ∈ {1, ½, 0}
 * (each vote's score is (y − p)·x; votes are treated as independent).
 *   Cov(β̂) = H⁻¹ M H⁻¹,  CI_i = R_i ± z_{(1+conf)/2} · pointsPerNat · √Cov_ii.
 * This is the estimator lmarena/arena-rank uses. Where the model is right, M ≈ H and it
 * reduces to the usual inverse-information CI; ties (y = ½) make M < H, so CIs shrink a bit
 * relative to a pure win/loss reading, as they should.
 *
 * With weights (`opts.weights`, e.g. LMArena's 1/max(n_pair, 50) from pairWeights) the fit is
 * the weighted one and every vote's score and curvature carry its weight: H = Σ w·c·p(1−p)·x xᵀ,
 * M = Σ w²·c·(y − p)²·x xᵀ — arena-rank's compute_hessian_and_covariance. Scaling every weight
 * by s scales H by s and M by s², so the covariance does not depend on the weights' scale.
 *
 * The strengths are identified only up to a shift: H⁻¹ is taken on the sum-zero subspace
 * (the gauge term in the factor does not reach M, whose range is orthogonal to 1). With an
 * anchor, each model's variance is that of its difference to the anchor,
 * Var(β_i − β_k) = C_ii + C_kk − 2C_ik, and the anchor itself gets a zero-width interval —
 * the same convention as the anchored bootstrap.
 */
export function sandwichIntervals(
  n: number,
  matchups: readonly Matchup[],
  opts: SandwichOptions = {},
): SandwichResult {
  const confidence = opts.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1)`);
  const s = resolveScale(opts);
  checkAnchor(opts.anchor, n);
  const table = buildPairTable(n, matchups, opts.weights);
  const fit = opts.fit ?? fitPairTable(table, opts);
  const beta = fit.strengths;

  const problem = makeProblem(table, ridgeFor(opts.priorSd, s));
  factorHessian(problem, beta);
  const hInv = choleskyInverse(problem.hess, n);

  // Meat per pair: Σ over its three outcome cells of count · (y − p)² — weighted, w²·count,
  // since a vote's score is then w·(y − p)·x (the bread has w·count, in the folded counts).
  const second = table.squared ?? table;
  const meat = new Float64Array(table.size);
  for (let k = 0; k < table.size; k++) {
    const d = (beta[table.i[k] as number] as number) - (beta[table.j[k] as number] as number);
    const p = 1 / (1 + Math.exp(-d));
    const w = second.winsI[k] as number;
    const t = second.draws[k] as number;
    const l = second.winsJ[k] as number;
    meat[k] = w * (1 - p) ** 2 + t * (0.5 - p) ** 2 + l * p * p;
  }

  // Var(vᵀβ̂) = (H⁻¹v)ᵀ M (H⁻¹v) = Σ_pairs meat_k · ((H⁻¹v)_i − (H⁻¹v)_j)², with v = e_m
  // (or e_m − e_anchor). M is never formed: it is a sum of rank-one pair terms.
  const z = normalQuantile(0.5 + confidence / 2);
  const anchor = opts.anchor?.model;
  const a = new Float64Array(n);
  const lower: number[] = [];
  const upper: number[] = [];
  const standardErrors: number[] = [];
  for (let m = 0; m < n; m++) {
    const rating = fit.ratings[m] as number;
    if ((table.votes[m] as number) === 0 && anchor !== m) {
      lower.push(Number.NEGATIVE_INFINITY);
      upper.push(Number.POSITIVE_INFINITY);
      standardErrors.push(Number.POSITIVE_INFINITY);
      continue;
    }
    for (let r = 0; r < n; r++) {
      a[r] =
        (hInv[r * n + m] as number) - (anchor === undefined ? 0 : (hInv[r * n + anchor] as number));
    }
    let variance = 0;
    for (let k = 0; k < table.size; k++) {
      const diff = (a[table.i[k] as number] as number) - (a[table.j[k] as number] as number);
      variance += (meat[k] as number) * diff * diff;
    }
    const se = s.pointsPerNat * Math.sqrt(variance);
    standardErrors.push(se);
    lower.push(rating - z * se);
    upper.push(rating + z * se);
  }
  return { ratings: fit.ratings, lower, upper, standardErrors };
}
