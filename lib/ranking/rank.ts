/**
 * Rank (UB), LMArena's conservative rank: 1 + the number of models that are better with
 * confidence, i.e. whose lower bound is above this model's upper bound. Ties in rank are
 * normal — models whose intervals overlap share a rank — and a model can only be pushed down
 * by evidence, never by its own uncertainty.
 */
export function rankUpperBound(lower: readonly number[], upper: readonly number[]): number[] {
  if (lower.length !== upper.length)
    throw new RangeError("lower and upper must have the same length");
  // Sorting the lower bounds once makes it O(n log n) instead of comparing every pair.
  const sorted = Float64Array.from(lower).sort();
  return upper.map((u) => 1 + countAbove(sorted, u));
}

/** Count of values in `sorted` (ascending) strictly greater than x. */
function countAbove(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) > x) hi = mid;
    else lo = mid + 1;
  }
  return sorted.length - lo;
}

/**
 * LMArena's rank spread, shown as "best ↔ worst": the best rank a model could hold given the
 * intervals is Rank (UB) ({@link rankUpperBound}); the worst is 1 + the number of OTHER models
 * whose upper bound is above its lower bound — every model that could be better than it.
 * Strict comparisons both ways, so touching bounds neither push a model down nor up. A model
 * with an unbounded interval (no votes) spans from 1 to the last place.
 */
export function rankSpread(
  lower: readonly number[],
  upper: readonly number[],
): { best: number[]; worst: number[] } {
  const best = rankUpperBound(lower, upper);
  const sortedUpper = Float64Array.from(upper).sort();
  const worst = lower.map((l, m) => {
    // the model's own upper bound is above its lower bound unless the interval is a point
    const self = (upper[m] as number) > l ? 1 : 0;
    return 1 + countAbove(sortedUpper, l) - self;
  });
  return { best, worst };
}

/**
 * {@link rankSpread} counted among the models of the same component only (`component[m]`, e.g.
 * from comparisonComponents): ratings of models that never met, even through others, are on
 * unrelated scales, so neither can push the other down.
 */
export function rankSpreadByComponent(
  component: readonly number[],
  lower: readonly number[],
  upper: readonly number[],
): { best: number[]; worst: number[] } {
  if (component.length !== lower.length)
    throw new RangeError("component and lower must have the same length");
  const groups = new Map<number, number[]>();
  component.forEach((c, m) => {
    const group = groups.get(c);
    if (group) group.push(m);
    else groups.set(c, [m]);
  });
  const best = new Array<number>(component.length);
  const worst = new Array<number>(component.length);
  for (const group of groups.values()) {
    const spread = rankSpread(
      group.map((m) => lower[m] as number),
      group.map((m) => upper[m] as number),
    );
    group.forEach((m, k) => {
      best[m] = spread.best[k] as number;
      worst[m] = spread.worst[k] as number;
    });
  }
  return { best, worst };
}
