import { DEFAULT_MAX_ITERATIONS, DEFAULT_TOLERANCE } from "./bradley-terry";
import { MultinomialSampler } from "./multinomial";
import { quantileSorted } from "./quantile";
import { Xoshiro128 } from "./random";
import { checkAnchor, resolveScale, writeRatings } from "./scale";
import {
  type CoefficientInterval,
  DEFAULT_STYLE_REG,
  fitStyleControl,
  type StyleControlFit,
  type StyleControlOptions,
  type StyleIntervals,
} from "./style-control";
import { makeStyleProblem, solveStyle } from "./style-core";
import { STYLE_FEATURE_COUNT as K, type StyleData } from "./style-data";

export interface StyleBootstrapOptions extends StyleControlOptions {
  /** Resamples. Default 100 (FastChat's leaderboard default for style control). */
  rounds?: number;
  /** Seed of the deterministic generator. Default 0. */
  seed?: number;
  confidence?: number;
  fit?: StyleControlFit;
}

export interface StyleBootstrapResult extends StyleIntervals {
  median: number[];
  /** rounds × models ratings, row-major. */
  samples: Float64Array;
  /** rounds × features coefficients, row-major. */
  coefficientSamples: Float64Array;
  rounds: number;
  /** Rounds whose refit stopped short of the tolerance. */
  unconverged: number;
}

/**
 * Percentile bootstrap of the style-controlled fit, FastChat's
 * `compute_bootstrap_style_control`: each round redraws the votes with replacement (as
 * Multinomial(N, w / N) counts over the rows — the same distribution as N uniform row picks,
 * drawn by the plain bootstrap's sampler) and refits, with the features standardised once on
 * the full data as FastChat does. Each refit starts from the full-data fit and is a full
 * Newton solve to the same tolerance, i.e. one sweep over the votes per step (typically 3):
 * on a million votes a round costs about as much as the fit itself, so the default CI for
 * style control is the sandwich and this is the slow, assumption-free check.
 */
export function bootstrapStyleControl(
  data: StyleData,
  opts: StyleBootstrapOptions = {},
): StyleBootstrapResult {
  const rounds = opts.rounds ?? 100;
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new RangeError(`rounds must be an integer >= 1, got ${rounds}`);
  const confidence = opts.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1)) throw new RangeError("confidence must be in (0, 1)");
  const counts = data.w ?? new Float64Array(data.size).fill(1);
  for (const w of counts)
    if (!Number.isInteger(w)) throw new RangeError("bootstrap needs whole vote counts");
  const s = resolveScale(opts);
  checkAnchor(opts.anchor, data.n);
  const fit = opts.fit ?? fitStyleControl(data, opts);
  const n = data.n;

  const weights = new Float64Array(data.size);
  const resample: StyleData = { ...data, w: weights };
  const problem = makeStyleProblem(resample, opts.reg ?? DEFAULT_STYLE_REG, Math.log(s.base));
  const warm = new Float64Array(problem.dim);
  warm.set(fit.strengths);
  warm.set(fit.coefficients, n);
  const sampler = new MultinomialSampler(counts, new Xoshiro128(opts.seed ?? 0));
  const x = new Float64Array(problem.dim);
  const samples = new Float64Array(rounds * n);
  const coefficientSamples = new Float64Array(rounds * K);
  let unconverged = 0;
  for (let r = 0; r < rounds; r++) {
    sampler.sample(weights);
    x.set(warm);
    const report = solveStyle(
      problem,
      x,
      opts.tolerance ?? DEFAULT_TOLERANCE,
      opts.maxIterations ?? DEFAULT_MAX_ITERATIONS,
    );
    if (!report.converged) unconverged++;
    writeRatings(x.subarray(0, n), s, opts.anchor, samples, r * n);
    coefficientSamples.set(x.subarray(n), r * K);
  }

  const tail = (1 - confidence) / 2;
  const column = new Float64Array(rounds);
  const quantiles = (values: Float64Array, stride: number, at: number) => {
    for (let r = 0; r < rounds; r++) column[r] = values[r * stride + at] as number;
    column.sort();
    return [
      quantileSorted(column, tail),
      quantileSorted(column, 0.5),
      quantileSorted(column, 1 - tail),
    ];
  };
  const lower: number[] = [];
  const upper: number[] = [];
  const median: number[] = [];
  for (let m = 0; m < n; m++) {
    const [lo, mid, hi] = quantiles(samples, n, m) as [number, number, number];
    const unplayed = (data.votes[m] as number) === 0 && opts.anchor?.model !== m;
    lower.push(unplayed ? Number.NEGATIVE_INFINITY : lo);
    upper.push(unplayed ? Number.POSITIVE_INFINITY : hi);
    median.push(mid);
  }
  const coefficients: CoefficientInterval[] = [];
  for (let k = 0; k < K; k++) {
    const [lo, , hi] = quantiles(coefficientSamples, K, k) as [number, number, number];
    coefficients.push({ value: fit.coefficients[k] as number, lower: lo, upper: hi });
  }
  return {
    ratings: fit.ratings,
    lower,
    upper,
    median,
    coefficients,
    samples,
    coefficientSamples,
    rounds,
    unconverged,
  };
}
