import type { Anchor, RatingScale } from "./types";

/** FastChat's Elo-like scale: 400 points = one factor of 10 in the odds, mean 1000. */
export const DEFAULT_SCALE = 400;
export const DEFAULT_BASE = 10;
export const DEFAULT_INIT_RATING = 1000;

export interface ResolvedScale {
  scale: number;
  base: number;
  initRating: number;
  /**
   * Rating points per unit of natural log-odds. The solvers work in natural log-odds β
   * (P = σ(β_a − β_b)) because that keeps the derivatives free of constants; FastChat's
   * θ = β / ln(base), so R = scale · θ + init = pointsPerNat · β + init.
   */
  pointsPerNat: number;
}

export function resolveScale(opts: RatingScale = {}): ResolvedScale {
  const scale = opts.scale ?? DEFAULT_SCALE;
  const base = opts.base ?? DEFAULT_BASE;
  const initRating = opts.initRating ?? DEFAULT_INIT_RATING;
  if (!(scale > 0) || !Number.isFinite(scale))
    throw new RangeError(`scale must be > 0, got ${scale}`);
  if (!(base > 1) || !Number.isFinite(base)) throw new RangeError(`base must be > 1, got ${base}`);
  if (!Number.isFinite(initRating)) throw new RangeError(`initRating must be finite`);
  return { scale, base, initRating, pointsPerNat: scale / Math.log(base) };
}

export function checkAnchor(anchor: Anchor | undefined, n: number): void {
  if (!anchor) return;
  if (!Number.isInteger(anchor.model) || anchor.model < 0 || anchor.model >= n) {
    throw new RangeError(`anchor model index ${anchor.model} is out of range 0..${n - 1}`);
  }
  if (!Number.isFinite(anchor.rating)) throw new RangeError("anchor rating must be finite");
}

/**
 * Natural strengths → displayed ratings, written into `out` (offset `at`). With an anchor,
 * every rating moves by the same amount so the anchor lands on its rating; that is exactly
 * FastChat's `scale_and_offset`, and it leaves all differences (hence all probabilities) intact.
 */
export function writeRatings(
  beta: ArrayLike<number>,
  s: ResolvedScale,
  anchor: Anchor | undefined,
  out: Float64Array | number[],
  at = 0,
): void {
  const n = beta.length;
  const shift = anchor
    ? anchor.rating - (s.pointsPerNat * (beta[anchor.model] ?? 0) + s.initRating)
    : 0;
  for (let i = 0; i < n; i++) out[at + i] = s.pointsPerNat * (beta[i] ?? 0) + s.initRating + shift;
}

export function toRatings(beta: ArrayLike<number>, s: ResolvedScale, anchor?: Anchor): number[] {
  const out = new Array<number>(beta.length);
  writeRatings(beta, s, anchor, out);
  return out;
}
