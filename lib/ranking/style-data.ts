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

/**
 * The prepared fit input. Nothing per vote is copied unless it has to be (a million votes are
 * ~50 MB of arrays, and allocating them costs more than a Newton step): the votes' own typed
 * arrays are kept, and features are standardised on the fly, z = (d − mean)·scale.
 */
export interface StyleData {
  n: number;
  /** Rows (votes, or groups of identical votes). */
  size: number;
  a: Int32Array;
  b: Int32Array;
  /** WINNER codes; side A's score is SCORE[code]. */
  outcome: Uint8Array;
  /** Raw differences d, STYLE_FEATURE_COUNT per row. */
  d: Float64Array;
  /** Votes per row; null: one each. */
  w: Float64Array | null;
  /** Σ w: the number of votes. */
  total: number;
  /** Votes per model. */
  votes: Float64Array;
  /** Mean and population standard deviation of each raw difference over the votes. */
  mean: number[];
  sd: number[];
  /** 1 / sd, or 0 for a feature that does not vary (its z is 0, its coefficient stays 0). */
  scale: number[];
}

/** Side A's score by WINNER code: A won → 1, B won → 0, tie and both bad → ½ (FastChat's). */
export const SCORE = Float64Array.of(1, 0, 0.5, 0.5);

const asInt32 = (x: ArrayLike<number>) => (x instanceof Int32Array ? x : Int32Array.from(x));

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
    a: asInt32(votes.a),
    b: asInt32(votes.b),
    outcome: votes.outcome instanceof Uint8Array ? votes.outcome : Uint8Array.from(votes.outcome),
    d:
      votes.differences instanceof Float64Array
        ? votes.differences
        : Float64Array.from(votes.differences),
    w: votes.weights ? Float64Array.from(votes.weights) : null,
    total: 0,
    votes: new Float64Array(n),
    mean: [],
    sd: [],
    scale: [],
  };
  data.total = checkVotes(votes, data);
  data.mean = Array.from(featureSums(data.d, data.w, size, null), (x) =>
    data.total > 0 ? x / data.total : 0,
  );
  // two-pass variance: numerically what numpy's np.std does
  data.sd = Array.from(featureSums(data.d, data.w, size, data.mean), (x) =>
    data.total > 0 ? Math.sqrt(x / data.total) : 0,
  );
  data.scale = data.sd.map((x) => (x > 0 ? 1 / x : 0));
  return data;
}

// The passes over the votes are separate small functions: V8 optimises a hot loop on the spot,
// but code that first runs after it in the same function lacks type feedback and runs slowly.

/** Validates the votes, counts votes per model; returns Σ w. */
function checkVotes(votes: StyleVotes, data: StyleData): number {
  const { n, size, a, b, outcome, w, votes: perModel } = data;
  let total = 0;
  for (let v = 0; v < size; v++) {
    const av = a[v] as number;
    const bv = b[v] as number;
    // Int32Array.from truncates: compare with the caller's values
    if (!(av >= 0 && av < n && bv >= 0 && bv < n) || av !== votes.a[v] || bv !== votes.b[v])
      throw new RangeError(`vote ${v}: model index out of range 0..${n - 1}`);
    if (av === bv) throw new RangeError(`vote ${v}: a model cannot play itself`);
    const o = outcome[v] as number;
    if (!(o < 4) || o !== votes.outcome[v]) throw new RangeError(`vote ${v}: unknown outcome code`);
    const wv = w === null ? 1 : (w[v] as number);
    if (!(wv >= 0 && wv < Number.POSITIVE_INFINITY))
      throw new RangeError(`vote ${v}: bad weight ${wv}`);
    total += wv;
    perModel[av] = (perModel[av] as number) + wv;
    perModel[bv] = (perModel[bv] as number) + wv;
  }
  return total;
}

/** Σ w·d (no mean: also checks every d is finite) or Σ w·(d − mean)², per feature. */
function featureSums(
  diff: Float64Array,
  w: Float64Array | null,
  size: number,
  mean: number[] | null,
): number[] {
  const m0 = mean ? (mean[0] as number) : 0;
  const m1 = mean ? (mean[1] as number) : 0;
  const m2 = mean ? (mean[2] as number) : 0;
  const m3 = mean ? (mean[3] as number) : 0;
  const square = mean !== null;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let v = 0; v < size; v++) {
    const wv = w === null ? 1 : (w[v] as number);
    const o = v * 4;
    let d0 = (diff[o] as number) - m0;
    let d1 = (diff[o + 1] as number) - m1;
    let d2 = (diff[o + 2] as number) - m2;
    let d3 = (diff[o + 3] as number) - m3;
    if (square) {
      d0 *= d0;
      d1 *= d1;
      d2 *= d2;
      d3 *= d3;
    }
    s0 += wv * d0;
    s1 += wv * d1;
    s2 += wv * d2;
    s3 += wv * d3;
  }
  const sums = [s0, s1, s2, s3];
  // a NaN or infinite difference poisons its sum: look for it only then
  if (!sums.every(Number.isFinite)) {
    for (let i = 0; i < size * 4; i++)
      if (!Number.isFinite(diff[i] as number))
        throw new RangeError(`vote ${Math.floor(i / 4)}: style difference is not finite`);
  }
  return sums;
}
