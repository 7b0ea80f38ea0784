/** Small builders shared by the ranking tests. */
import type { Matchup } from "./types";

export function m(
  a: number,
  b: number,
  winsA: number,
  winsB: number,
  ties = 0,
  bothBad = 0,
): Matchup {
  return { a, b, winsA, winsB, ties, bothBad };
}

/** Mirror of a tally: the same votes with the sides swapped. */
export function swapSides(x: Matchup): Matchup {
  return { a: x.b, b: x.a, winsA: x.winsB, winsB: x.winsA, ties: x.ties, bothBad: x.bothBad };
}

/** A fixed, lopsided but connected 5-model tally used by several tests. */
export const FIVE: Matchup[] = [
  m(0, 1, 30, 12, 5, 3),
  m(1, 0, 8, 20, 4, 1),
  m(0, 2, 25, 5, 2, 2),
  m(2, 3, 14, 16, 6, 0),
  m(3, 4, 22, 9, 3, 4),
  m(4, 1, 6, 18, 2, 2),
  m(2, 4, 17, 10, 1, 1),
  m(3, 0, 4, 21, 3, 0),
];
