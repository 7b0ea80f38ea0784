import type { Matchup } from "./types";

/**
 * Whether a provisional model's 95% interval says anything yet. With a handful of votes both
 * estimators break down in ways that look precise rather than uncertain:
 *
 * - all ties gives "+0/−0": the bootstrap cannot vary what it resamples and the sandwich's
 *   residuals are all 0; a bootstrap can also pin one side at the rating ("+159/−0") when every
 *   resample lands on the same side of it;
 * - a model that won (or lost) every vote has no finite Bradley–Terry rating: only the prior
 *   holds it, so its interval measures the prior ("+748/−250", or a tidy-looking "±125" from
 *   the sandwich, out of four votes);
 * - a bootstrap whose resamples include such one-sided samples spans hundreds of points.
 *
 * Such an interval is "too few votes", not numbers. Only provisional models are judged: past
 * the threshold a wide interval is real information (and an anchored model's zero width is by
 * construction).
 */
export type IntervalStatus = "estimated" | "too-few-votes";

/** A side narrower than this (rating points) prints as 0. */
export const DEGENERATE_SIDE = 0.5;
/** Wider than this (rating points) the interval spans more than 10:1 in odds. */
export const UNINFORMATIVE_WIDTH = 400;

export interface IntervalInput {
  rating: number;
  ciLower: number;
  ciUpper: number;
  votes: number;
  /** Won every vote or lost every vote (ties and both-bad as half a win), see {@link oneSidedModels}. */
  oneSided: boolean;
}

export function intervalStatus(row: IntervalInput, minVotes: number): IntervalStatus {
  if (row.votes >= minVotes) return "estimated";
  const up = row.ciUpper - row.rating;
  const down = row.rating - row.ciLower;
  if (!(up >= DEGENERATE_SIDE && down >= DEGENERATE_SIDE)) return "too-few-votes";
  if (row.oneSided) return "too-few-votes";
  if (up + down > UNINFORMATIVE_WIDTH) return "too-few-votes";
  return "estimated";
}

/** For each model: did it win every vote it took part in, or lose every one? */
export function oneSidedModels(n: number, matchups: readonly Matchup[]): boolean[] {
  const score = new Array<number>(n).fill(0);
  const votes = new Array<number>(n).fill(0);
  for (const t of matchups) {
    const half = (t.ties + t.bothBad) / 2;
    const total = t.winsA + t.winsB + t.ties + t.bothBad;
    score[t.a] = (score[t.a] ?? 0) + t.winsA + half;
    score[t.b] = (score[t.b] ?? 0) + t.winsB + half;
    votes[t.a] = (votes[t.a] ?? 0) + total;
    votes[t.b] = (votes[t.b] ?? 0) + total;
  }
  return votes.map((v, i) => v > 0 && (score[i] === 0 || score[i] === v));
}
