/**
 * Shared input types of the ranking engine. Everything is index-based: callers keep the
 * `models: string[]` list and refer to models by their position in it, so the math never
 * touches names, databases or files.
 */

/**
 * Outcome counts of one ORDERED pair: `a` was shown on the left (FastChat's model_a), `b` on
 * the right. The app keeps exactly these tallies per category, so every fit costs
 * O(pairs), never O(votes). Several entries for the same (a, b) are simply added up.
 */
export interface Matchup {
  a: number;
  b: number;
  winsA: number;
  winsB: number;
  ties: number;
  bothBad: number;
}

/**
 * Votes in the order they were cast, columnar so a million of them are three typed arrays
 * instead of a million objects. Only online Elo needs the order; everything else uses
 * {@link Matchup} tallies.
 */
export interface VoteSequence {
  a: ArrayLike<number>;
  b: ArrayLike<number>;
  /** One `WINNER[w].code` per vote (lib/winner.ts). */
  outcome: ArrayLike<number>;
}

/**
 * How strengths map to the displayed rating: P(A beats B) = 1 / (1 + base^((R_B − R_A) / scale)),
 * R = scale · θ + initRating with θ in log_base odds. Defaults are FastChat's (400, 10, 1000).
 */
export interface RatingScale {
  scale?: number;
  base?: number;
  initRating?: number;
}

/** Fix one model's rating (LMArena pins a baseline model) by shifting every rating equally. */
export interface Anchor {
  model: number;
  rating: number;
}
