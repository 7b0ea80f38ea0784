/** Shared helpers for the benchmarks: a seeded PRNG and percentiles of sorted samples. */
export { seededRng } from "../tests/helpers/rng";

export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] as number;
}
