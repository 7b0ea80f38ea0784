import { makeProblem, newton } from "./bt-core";
import { buildPairTable, type PairTable } from "./pairs";
import { checkAnchor, type ResolvedScale, resolveScale, toRatings } from "./scale";
import type { Anchor, Matchup, RatingScale } from "./types";

export interface BradleyTerryOptions extends RatingScale {
  /** Pin one model's rating; every other rating shifts by the same amount. */
  anchor?: Anchor;
  /**
   * Stop when every component of the gradient of the mean negative log-likelihood per vote
   * (w.r.t. natural log-odds strengths) is at most this. Default 1e-9.
   */
  tolerance?: number;
  /** Newton iterations before giving up (the result then has converged = false). Default 100. */
  maxIterations?: number;
  /**
   * Standard deviation, in rating points, of the zero-mean Gaussian prior on each strength
   * (a ridge). It only matters where the data cannot decide: models without games or with
   * only wins/losses stay finite. Default 4000 points; `Infinity` gives the plain MLE (which
   * may not exist for such models).
   */
  priorSd?: number;
  /** Warm start in natural log-odds, e.g. the `strengths` of an earlier fit. */
  initialStrengths?: ArrayLike<number>;
  /**
   * A weight per matchup (aligned with the matchups; every vote of that entry weighs the same):
   * the fit maximises the weighted likelihood Σ w·log p, and the sandwich turns it into the
   * weighted estimator's interval. Only their ratios matter. `pairWeights` (reweight.ts) gives
   * LMArena's 1/max(n_pair, 50). Not for the bootstrap, which resamples plain votes.
   */
  weights?: ArrayLike<number>;
}

export interface BradleyTerryFit {
  /** Ratings on the display scale (anchored if an anchor was given), indexed like the models. */
  ratings: number[];
  /** Natural log-odds strengths, centred to sum zero (before any anchor shift). */
  strengths: Float64Array;
  /** Votes each model took part in. */
  votes: number[];
  totalVotes: number;
  iterations: number;
  /** Final max-norm of the per-vote gradient. */
  gradientNorm: number;
  converged: boolean;
}

export const DEFAULT_TOLERANCE = 1e-9;
export const DEFAULT_MAX_ITERATIONS = 100;
export const DEFAULT_PRIOR_SD = 4000;

/** λ of the ridge in natural units from a prior sd in rating points. */
export function ridgeFor(priorSd: number | undefined, s: ResolvedScale): number {
  const sd = priorSd ?? DEFAULT_PRIOR_SD;
  if (!(sd > 0)) throw new RangeError(`priorSd must be > 0, got ${sd}`);
  const sdNat = sd / s.pointsPerNat;
  return 1 / (sdNat * sdNat);
}

/** Fit on an already folded pair table (shared by the bootstrap and the sandwich). */
export function fitPairTable(table: PairTable, opts: BradleyTerryOptions = {}): BradleyTerryFit {
  const s = resolveScale(opts);
  checkAnchor(opts.anchor, table.n);
  const problem = makeProblem(table, ridgeFor(opts.priorSd, s));
  const beta = new Float64Array(table.n);
  if (opts.initialStrengths) {
    if (opts.initialStrengths.length !== table.n)
      throw new RangeError("initialStrengths has the wrong length");
    for (let m = 0; m < table.n; m++) beta[m] = Number(opts.initialStrengths[m]) || 0;
  }
  const report = newton(
    problem,
    beta,
    opts.tolerance ?? DEFAULT_TOLERANCE,
    opts.maxIterations ?? DEFAULT_MAX_ITERATIONS,
  );
  return {
    ratings: toRatings(beta, s, opts.anchor),
    strengths: beta,
    votes: Array.from(table.votes),
    totalVotes: table.total,
    ...report,
  };
}

/**
 * Bradley–Terry maximum (penalised) likelihood ratings from aggregated outcome counts:
 * P(A beats B) = 1 / (1 + base^((R_B − R_A) / scale)), R = scale·θ + initRating; a tie and a
 * both-bad vote are half a win for each side (FastChat's `compute_bt`). Newton's method on the
 * folded pair counts, so the cost grows with models², not with votes.
 */
export function fitBradleyTerry(
  n: number,
  matchups: readonly Matchup[],
  opts: BradleyTerryOptions = {},
): BradleyTerryFit {
  return fitPairTable(buildPairTable(n, matchups, opts.weights), opts);
}
