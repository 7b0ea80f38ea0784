import type { StyleFeatures } from "./style-features";

/**
 * Style control's input: per vote, how the two sides differ in style, the way FastChat's
 * `preprocess_for_style` prepares it. Each feature is d = (A − B)/(A + B + 1) — a relative
 * difference, so 900 vs 1000 tokens weighs like 90 vs 100 — and is then standardised over
 * the votes of the fit (mean 0, population standard deviation 1), so a coefficient reads as
 * log-odds per standard deviation.
 */

/** The four features, in FastChat's order (STYLE_CONTROL_ELEMENTS_V1), as the API names them. */
export const STYLE_FEATURES = ["length", "headers", "lists", "bold"] as const;
export type StyleFeatureName = (typeof STYLE_FEATURES)[number];
export const STYLE_FEATURE_COUNT = STYLE_FEATURES.length;
const K = STYLE_FEATURE_COUNT;

const COUNTS = (s: StyleFeatures) => [s.tokens, s.headers, s.listItems, s.bold] as const;

/**
 * d = (A − B)/(A + B + 1) per feature, written to out[at .. at + 3]. Swapping the sides flips
 * every sign; identical sides give zeros.
 */
export function writeStyleDifference(
  a: StyleFeatures,
  b: StyleFeatures,
  out: Float64Array,
  at = 0,
): void {
  const ca = COUNTS(a);
  const cb = COUNTS(b);
  for (let k = 0; k < STYLE_FEATURE_COUNT; k++) {
    const x = ca[k] as number;
    const y = cb[k] as number;
    out[at + k] = (x - y) / (x + y + 1);
  }
}

export function styleDifference(a: StyleFeatures, b: StyleFeatures): Float64Array {
  const out = new Float64Array(STYLE_FEATURE_COUNT);
  writeStyleDifference(a, b, out);
  return out;
}

/** Votes with their style differences, columnar (a million votes are a few typed arrays). */
export interface StyleVotes {
  /** Model index of each vote's side A (FastChat's model_a) and side B. */
  a: ArrayLike<number>;
  b: ArrayLike<number>;
  /** One `WINNER[w].code` per vote (lib/winner.ts): A won, B won, tie, both bad. */
  outcome: ArrayLike<number>;
  /** The raw differences d, STYLE_FEATURE_COUNT per vote: vote v's at 4v .. 4v + 3. */
  differences: ArrayLike<number>;
  /**
   * Copies of each vote (default 1 each): identical votes — same sides, outcome and
   * differences — may be passed once with their count; the fit is exactly the same.
   */
  weights?: ArrayLike<number>;
}

/** The prepared fit input: outcomes as scores, features standardised. */
export interface StyleData {
  n: number;
  /** Rows (votes, or groups of identical votes). */
  size: number;
  a: Int32Array;
  b: Int32Array;
  /** Side A's score: 1 won, 0 lost, ½ tie or both bad. */
  y: Float64Array;
  /** Standardised features z, STYLE_FEATURE_COUNT per row. */
  z: Float64Array;
  /** Votes per row. */
  w: Float64Array;
  /** Σ w: the number of votes. */
  total: number;
  /** Votes per model. */
  votes: Float64Array;
  /** Mean and population standard deviation of each raw difference over the votes. */
  mean: number[];
  sd: number[];
}

/** A won (code 0) → 1, B won (1) → 0, tie and both bad (2, 3) → ½: FastChat's outcomes. */
const SCORE = [1, 0, 0.5, 0.5];

/**
 * Validates and prepares votes for {@link fitStyleControl}. A feature that does not vary over
 * the votes (sd 0: say no response has a header) cannot be estimated; its z is 0 everywhere,
 * so its coefficient stays 0 (FastChat would divide by zero).
 */
export function prepareStyleData(n: number, votes: StyleVotes): StyleData {
  if (!Number.isInteger(n) || n < 0) throw new RangeError("model count must be an integer >= 0");
  const size = votes.a.length;
  if (votes.b.length !== size || votes.outcome.length !== size)
    throw new RangeError("a, b and outcome must have one entry per vote");
  if (votes.differences.length !== size * STYLE_FEATURE_COUNT)
    throw new RangeError(`differences must have ${STYLE_FEATURE_COUNT} entries per vote`);
  if (votes.weights && votes.weights.length !== size)
    throw new RangeError("weights must have one entry per vote");
  const data: StyleData = {
    n,
    size,
    a: new Int32Array(size),
    b: new Int32Array(size),
    y: new Float64Array(size),
    z: new Float64Array(size * STYLE_FEATURE_COUNT),
    w: new Float64Array(size),
    total: 0,
    votes: new Float64Array(n),
    mean: [],
    sd: [],
  };
  for (let v = 0; v < size; v++) {
    const a = votes.a[v] as number;
    const b = votes.b[v] as number;
    if (!Number.isInteger(a) || a < 0 || a >= n || !Number.isInteger(b) || b < 0 || b >= n)
      throw new RangeError(`vote ${v}: model index out of range 0..${n - 1}`);
    if (a === b) throw new RangeError(`vote ${v}: a model cannot play itself`);
    const score = SCORE[votes.outcome[v] as number];
    if (score === undefined) throw new RangeError(`vote ${v}: unknown outcome code`);
    const w = votes.weights ? (votes.weights[v] as number) : 1;
    if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`vote ${v}: bad weight ${w}`);
    data.a[v] = a;
    data.b[v] = b;
    data.y[v] = score;
    data.w[v] = w;
    data.total += w;
    data.votes[a] = (data.votes[a] as number) + w;
    data.votes[b] = (data.votes[b] as number) + w;
  }
  // All four features per pass over the votes: three passes (mean, variance, z) in all.
  const { w, z } = data;
  const diff = votes.differences;
  const sum = new Float64Array(K);
  for (let v = 0; v < size; v++) {
    const wv = w[v] as number;
    for (let k = 0; k < K; k++) {
      const d = diff[v * K + k] as number;
      if (!Number.isFinite(d)) throw new RangeError(`vote ${v}: style difference is not finite`);
      sum[k] = (sum[k] as number) + wv * d;
    }
  }
  const mean = Array.from(sum, (x) => (data.total > 0 ? x / data.total : 0));
  // two-pass variance: numerically what numpy's np.std does
  const sq = new Float64Array(K);
  for (let v = 0; v < size; v++) {
    const wv = w[v] as number;
    for (let k = 0; k < K; k++) {
      const d = (diff[v * K + k] as number) - (mean[k] as number);
      sq[k] = (sq[k] as number) + wv * d * d;
    }
  }
  const sd = Array.from(sq, (x) => (data.total > 0 ? Math.sqrt(x / data.total) : 0));
  const inv = sd.map((x) => (x > 0 ? 1 / x : 0));
  for (let v = 0; v < size; v++) {
    for (let k = 0; k < K; k++) {
      const at = v * K + k;
      z[at] = ((diff[at] as number) - (mean[k] as number)) * (inv[k] as number);
    }
  }
  data.mean = mean;
  data.sd = sd;
  return data;
}
