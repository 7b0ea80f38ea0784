/**
 * Quantile of an ascending-sorted sample by linear interpolation between order statistics
 * (Hyndman–Fan type 7) — the default of numpy.quantile and pandas, hence of FastChat's CIs.
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (h - lo) * (b - a);
}
