import { buildPairTable } from "./pairs";
import { resolveScale } from "./scale";
import type { Matchup, RatingScale } from "./types";

export interface PairwiseStats {
  /** battles[i][j] = votes between i and j, either side (symmetric). */
  battles: number[][];
  /** winFraction[i][j] = share of i's votes against j that i won, ties as half; NaN if none. */
  winFraction: number[][];
}

function square(n: number, fill: number): number[][] {
  return Array.from({ length: n }, () => new Array<number>(n).fill(fill));
}

/** Observed head-to-head results for every unordered pair (shown in both orientations). */
export function pairwiseStats(n: number, matchups: readonly Matchup[]): PairwiseStats {
  const table = buildPairTable(n, matchups);
  const battles = square(n, 0);
  const winFraction = square(n, Number.NaN);
  for (let k = 0; k < table.size; k++) {
    const i = table.i[k] as number;
    const j = table.j[k] as number;
    const w = table.winsI[k] as number;
    const t = table.draws[k] as number;
    const l = table.winsJ[k] as number;
    const games = w + t + l;
    (battles[i] as number[])[j] = games;
    (battles[j] as number[])[i] = games;
    (winFraction[i] as number[])[j] = (w + t / 2) / games;
    (winFraction[j] as number[])[i] = (l + t / 2) / games;
  }
  return { battles, winFraction };
}

/** P[i][j] = P(i beats j) = 1 / (1 + base^((R_j − R_i)/scale)); the diagonal is ½. */
export function predictedWinMatrix(ratings: readonly number[], opts: RatingScale = {}): number[][] {
  const { scale, base } = resolveScale(opts);
  return ratings.map((ri) => ratings.map((rj) => 1 / (1 + base ** ((rj - ri) / scale))));
}

/**
 * FastChat's "average win rate": each model's mean predicted win probability against every
 * other model — a rating-free reading of the leaderboard (a uniform schedule of opponents).
 */
export function averageWinRate(ratings: readonly number[], opts: RatingScale = {}): number[] {
  const n = ratings.length;
  if (n < 2) return ratings.map(() => Number.NaN);
  return predictedWinMatrix(ratings, opts).map((row, i) => {
    let sum = 0;
    row.forEach((p, j) => {
      if (j !== i) sum += p;
    });
    return sum / (n - 1);
  });
}
