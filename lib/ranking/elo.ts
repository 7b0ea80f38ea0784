import { WINNER } from "../winner";
import { resolveScale } from "./scale";
import type { RatingScale, VoteSequence } from "./types";

export interface OnlineEloOptions extends RatingScale {
  /** Update size. Default 4, FastChat's. */
  k?: number;
}

/**
 * Online Elo in vote order — FastChat's `compute_elo`: everyone starts at initRating, and each
 * vote moves both models by k·(outcome − expected) in opposite directions, with ties and
 * both-bad as outcome ½. A secondary figure: unlike Bradley–Terry it depends on the order of
 * the votes and weights recent ones more, which is why the leaderboard ranks by BT.
 */
export function onlineElo(n: number, votes: VoteSequence, opts: OnlineEloOptions = {}): number[] {
  const { scale, base, initRating } = resolveScale(opts);
  const k = opts.k ?? 4;
  const alpha = Math.log(base) / scale;
  const count = votes.a.length;
  if (votes.b.length !== count || votes.outcome.length !== count) {
    throw new RangeError("vote columns a, b and outcome must have the same length");
  }
  const ratings = new Float64Array(n).fill(initRating);
  for (let v = 0; v < count; v++) {
    const a = votes.a[v] as number;
    const b = votes.b[v] as number;
    if (!(a >= 0 && a < n && b >= 0 && b < n))
      throw new RangeError(`vote ${v}: model index out of range`);
    const o = votes.outcome[v] as number;
    const score = o === WINNER.a.code ? 1 : o === WINNER.b.code ? 0 : 0.5;
    const ra = ratings[a] as number;
    const rb = ratings[b] as number;
    const expected = 1 / (1 + Math.exp(alpha * (rb - ra)));
    const update = k * (score - expected);
    ratings[a] = ra + update;
    ratings[b] = (ratings[b] as number) - update;
  }
  return Array.from(ratings);
}
