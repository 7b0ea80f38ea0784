import { validateMatchups } from "./pairs";
import type { Matchup } from "./types";

/** LMArena's floor: a pair with fewer battles weighs as if it had this many. */
export const DEFAULT_MIN_PAIR_COUNT = 50;

/**
 * LMArena's reweighting (July 2025, lmarena/arena-rank `PairDataset.from_pandas(reweighted=True)`):
 * each battle weighs 1/max(n_pair, minPairCount), n_pair being every battle of its UNORDERED
 * model pair (both orientations, ties and both-bad included). A pair with ≥ minPairCount battles
 * then weighs 1 in total however often it was sampled, so an over-sampled pair neither pulls
 * the ratings towards itself nor makes the intervals look tighter than the design allows.
 *
 * The weights are returned divided by their mean over battles (Σ w·battles = battles), as
 * arena-rank's contextual dataset does; fits and sandwich intervals do not depend on their scale.
 */
export function pairWeights(
  n: number,
  matchups: readonly Matchup[],
  minPairCount = DEFAULT_MIN_PAIR_COUNT,
): number[] {
  validateMatchups(n, matchups);
  const games = matchups.map((m) => m.winsA + m.winsB + m.ties + m.bothBad);
  const key = (m: Matchup) => (m.a < m.b ? m.a * n + m.b : m.b * n + m.a);
  const perPair = new Map<number, number>();
  matchups.forEach((m, k) => {
    perPair.set(key(m), (perPair.get(key(m)) ?? 0) + (games[k] as number));
  });
  const raw = matchups.map((m) => 1 / floor(perPair.get(key(m)) ?? 0, minPairCount));
  return normalise(raw, games);
}

/**
 * The same weights for battles listed one by one (`a[k]` against `b[k]`), for fits that keep
 * each battle apart (the contextual, style-controlled model): weight k belongs to battle k.
 * `counts[k]`, when given, says row k stands for that many identical battles (it counts that
 * often in n_pair and in the mean). Such a fit then needs both: the bread takes count·w, the
 * meat count·w², as in sandwich.ts. The mean-1 scale is arena-rank's for its contextual data,
 * where it matters: that fit's penalty is absolute, not per vote.
 */
export function battleWeights(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  minPairCount = DEFAULT_MIN_PAIR_COUNT,
  counts?: ArrayLike<number>,
): Float64Array {
  if (a.length !== b.length) throw new RangeError("a and b must have the same length");
  if (counts && counts.length !== a.length)
    throw new RangeError("counts must have one entry per battle");
  const key = (k: number) => {
    const x = a[k] as number;
    const y = b[k] as number;
    return x < y ? `${x},${y}` : `${y},${x}`;
  };
  const count = (k: number) => (counts ? (counts[k] as number) : 1);
  const perPair = new Map<string, number>();
  for (let k = 0; k < a.length; k++) perPair.set(key(k), (perPair.get(key(k)) ?? 0) + count(k));
  const out = new Float64Array(a.length);
  for (let k = 0; k < a.length; k++) out[k] = 1 / floor(perPair.get(key(k)) ?? 0, minPairCount);
  return normalise(out, counts ? Array.from(counts) : undefined);
}

function floor(count: number, minPairCount: number): number {
  if (!(minPairCount > 0)) throw new RangeError(`minPairCount must be > 0, got ${minPairCount}`);
  return Math.max(count, minPairCount);
}

/** Divides by the mean weight per battle (`games[k]` battles carry weight k; 1 each if absent). */
function normalise<T extends number[] | Float64Array>(weights: T, games: number[] | undefined): T {
  let mass = 0;
  let battles = 0;
  for (let k = 0; k < weights.length; k++) {
    const g = games ? (games[k] as number) : 1;
    mass += (weights[k] as number) * g;
    battles += g;
  }
  if (mass > 0)
    for (let k = 0; k < weights.length; k++) weights[k] = (weights[k] as number) * (battles / mass);
  return weights;
}
