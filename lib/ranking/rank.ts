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
  return upper.map((u) => {
    // count of lower bounds strictly greater than u
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((sorted[mid] as number) > u) hi = mid;
      else lo = mid + 1;
    }
    return 1 + sorted.length - lo;
  });
}
