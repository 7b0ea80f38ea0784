import {
  type BradleyTerryFit,
  type BradleyTerryOptions,
  DEFAULT_TOLERANCE,
  fitPairTable,
  ridgeFor,
} from "./bradley-terry";
import {
  type BTProblem,
  chord,
  factorHessian,
  gradientFromProbabilities,
  makeProblem,
  newton,
  pairProbabilities,
} from "./bt-core";
import { choleskyInverse } from "./linalg";
import { MultinomialSampler } from "./multinomial";
import { buildPairTable, type PairTable } from "./pairs";
import { quantileSorted } from "./quantile";
import { Xoshiro128 } from "./random";
import { checkAnchor, resolveScale, writeRatings } from "./scale";
import type { Matchup } from "./types";

export interface BootstrapOptions extends BradleyTerryOptions {
  /** Resamples. Default 1000. */
  rounds?: number;
  /** Seed of the deterministic generator. Default 0 (FastChat's). */
  seed?: number;
  /** Two-sided coverage of the interval. Default 0.95 → 2.5% / 97.5% quantiles. */
  confidence?: number;
  /** The full-data fit with the same options, if already computed (saves one fit). */
  fit?: BradleyTerryFit;
}

export interface BootstrapResult {
  /** Point estimates from the full data. */
  ratings: number[];
  lower: number[];
  upper: number[];
  median: number[];
  /** rounds × models ratings, row-major (round r, model m at r·n + m). */
  samples: Float64Array;
  rounds: number;
  /** Rounds the fast chord iteration could not finish and full Newton had to. */
  newtonFallbacks: number;
  /** Largest final gradient norm over all rounds (each round converges to the tolerance). */
  maxGradientNorm: number;
}

/** What one resample redistributes: cells of a multinomial, (i won, tie, j won) for pair 0, 1, 2, … */
interface CellPlan {
  pair: Int32Array;
  /** 0: the pair's first model won, 1: tie or both bad, 2: the second model won. */
  kind: Uint8Array;
  counts: Float64Array;
}

/**
 * Cells of the folded pairs — orientation does not matter to BT, so it is not resampled apart —
 * always three per pair (i won, tie, j won; empty ones simply stay empty), which lets
 * {@link loadFolded} read them without indirection.
 */
function foldedCells(table: PairTable): CellPlan {
  const size = table.size;
  const plan: CellPlan = {
    pair: new Int32Array(3 * size),
    kind: new Uint8Array(3 * size),
    counts: new Float64Array(3 * size),
  };
  for (let k = 0; k < size; k++) {
    plan.pair.fill(k, 3 * k, 3 * k + 3);
    plan.kind.set([0, 1, 2], 3 * k);
    plan.counts.set(
      [table.winsI[k] as number, table.draws[k] as number, table.winsJ[k] as number],
      3 * k,
    );
  }
  return plan;
}

function loadFolded(cellCounts: Float64Array, p: BTProblem): void {
  const { games, score } = p;
  for (let k = 0; k < p.size; k++) {
    const w = cellCounts[3 * k] as number;
    const t = cellCounts[3 * k + 1] as number;
    games[k] = w + t + (cellCounts[3 * k + 2] as number);
    score[k] = w + 0.5 * t;
  }
}

function checkIntegerCounts(plan: CellPlan): void {
  for (const x of plan.counts) {
    if (!Number.isInteger(x)) throw new RangeError("bootstrap needs whole vote counts");
  }
}

/**
 * Percentile bootstrap of the Bradley–Terry ratings, FastChat's `compute_bootstrap_bt` method:
 * each round redraws the outcome cells from Multinomial(N, counts / N) — N = all votes — and
 * refits. Every refit starts from the full-data strengths and iterates with the full-data
 * inverse Hessian (a chord method: a resample's Hessian is within a few percent of it, so each
 * step gains ~50× and three steps are typical), falling back to full Newton when that contracts
 * poorly; each round converges to the same gradient tolerance as the main fit (1e-9), not a
 * looser one. Bounds are per-model quantiles of the rounds (type 7, as pandas).
 *
 * Cost: O(pairs) per round for the resample and each step, plus O(models²) per step; on the
 * tallies of 1M votes over 100 models, 1000 rounds take ~0.4 s on one core.
 *
 * Models without votes get infinite bounds: the data say nothing about them.
 */
export function bootstrapBradleyTerry(
  n: number,
  matchups: readonly Matchup[],
  opts: BootstrapOptions = {},
): BootstrapResult {
  const rounds = opts.rounds ?? 1000;
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new RangeError(`rounds must be an integer >= 1, got ${rounds}`);
  const confidence = opts.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1)`);
  const s = resolveScale(opts);
  checkAnchor(opts.anchor, n);
  const tol = opts.tolerance ?? DEFAULT_TOLERANCE;

  if (opts.weights) {
    throw new RangeError(
      "weights apply to the fit and its sandwich intervals; the bootstrap resamples plain votes",
    );
  }
  const table = buildPairTable(n, matchups);
  const fit = opts.fit ?? fitPairTable(table, opts);
  // Folding (a, b) and (b, a) into one pair's cells is exact: merged cells of a multinomial
  // are multinomial with the summed probabilities, and BT only sees the pair totals.
  const plan = foldedCells(table);
  checkIntegerCounts(plan);

  const problem = makeProblem(table, ridgeFor(opts.priorSd, s));
  const warm = Float64Array.from(fit.strengths);
  factorHessian(problem, warm);
  const inverse = choleskyInverse(problem.hess, n);
  const warmProb = pairProbabilities(problem, warm);

  const cellCounts = new Float64Array(plan.counts.length);
  const sampler = new MultinomialSampler(plan.counts, new Xoshiro128(opts.seed ?? 0));

  const samples = new Float64Array(rounds * n);
  const beta = new Float64Array(n);
  let newtonFallbacks = 0;
  let maxGradientNorm = 0;
  for (let r = 0; r < rounds; r++) {
    sampler.sample(cellCounts);
    loadFolded(cellCounts, problem);
    beta.set(warm);
    let report = chord(
      problem,
      inverse,
      beta,
      tol,
      50,
      gradientFromProbabilities(problem, beta, warmProb),
    );
    if (!report.converged) {
      newtonFallbacks++;
      beta.set(warm);
      report = newton(problem, beta, tol, opts.maxIterations ?? 100);
    }
    if (report.gradientNorm > maxGradientNorm) maxGradientNorm = report.gradientNorm;
    writeRatings(beta, s, opts.anchor, samples, r * n);
  }

  const alpha = (1 - confidence) / 2;
  const lower: number[] = [];
  const upper: number[] = [];
  const median: number[] = [];
  const column = new Float64Array(rounds);
  for (let m = 0; m < n; m++) {
    for (let r = 0; r < rounds; r++) column[r] = samples[r * n + m] as number;
    column.sort();
    const unplayed = (table.votes[m] as number) === 0 && opts.anchor?.model !== m;
    lower.push(unplayed ? Number.NEGATIVE_INFINITY : quantileSorted(column, alpha));
    upper.push(unplayed ? Number.POSITIVE_INFINITY : quantileSorted(column, 1 - alpha));
    median.push(quantileSorted(column, 0.5));
  }
  return {
    ratings: fit.ratings,
    lower,
    upper,
    median,
    samples,
    rounds,
    newtonFallbacks,
    maxGradientNorm,
  };
}
