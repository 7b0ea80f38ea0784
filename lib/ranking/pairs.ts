import type { Matchup } from "./types";

/**
 * Tallies folded onto UNORDERED pairs (i < j). Bradley–Terry has no side advantage, so the
 * likelihood only depends on how often i beat j, j beat i and how often they tied, whichever
 * side each model was shown on. Folding halves the work of every fit and every bootstrap round.
 */
export interface PairTable {
  /** Number of models. */
  n: number;
  /** Number of unordered pairs that have at least one vote. */
  size: number;
  i: Int32Array;
  j: Int32Array;
  /** Votes i won (an `a` or `b` outcome, whichever side i was on). */
  winsI: Float64Array;
  /** Votes that were a tie or both-bad: half a win for each side. */
  draws: Float64Array;
  /** Votes j won. */
  winsJ: Float64Array;
  /** Votes per model. */
  votes: Float64Array;
  /** All votes. */
  total: number;
  /**
   * Only when the table was built with weights: then winsI / draws / winsJ above are the
   * WEIGHTED counts Σ w·count (the weights rescaled so that they add up to `total`, see
   * {@link buildPairTable}), and these are Σ w²·count, which the sandwich's meat needs.
   */
  squared?: { winsI: Float64Array; draws: Float64Array; winsJ: Float64Array };
}

function checkCount(value: number, field: string, index: number): void {
  if (!(value >= 0) || !Number.isFinite(value)) {
    throw new RangeError(`matchup ${index}: ${field} must be a finite count >= 0, got ${value}`);
  }
}

export function validateMatchups(n: number, matchups: readonly Matchup[]): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`model count must be an integer >= 0`);
  matchups.forEach((m, k) => {
    if (!Number.isInteger(m.a) || m.a < 0 || m.a >= n) {
      throw new RangeError(`matchup ${k}: model index a=${m.a} is out of range 0..${n - 1}`);
    }
    if (!Number.isInteger(m.b) || m.b < 0 || m.b >= n) {
      throw new RangeError(`matchup ${k}: model index b=${m.b} is out of range 0..${n - 1}`);
    }
    if (m.a === m.b)
      throw new RangeError(`matchup ${k}: a model cannot play itself (index ${m.a})`);
    checkCount(m.winsA, "winsA", k);
    checkCount(m.winsB, "winsB", k);
    checkCount(m.ties, "ties", k);
    checkCount(m.bothBad, "bothBad", k);
  });
}

function validateWeights(matchups: readonly Matchup[], weights: ArrayLike<number>): void {
  if (weights.length !== matchups.length) {
    throw new RangeError(
      `weights: one per matchup is needed (${matchups.length}), got ${weights.length}`,
    );
  }
  for (let k = 0; k < weights.length; k++) {
    const w = weights[k] as number;
    if (!(w > 0) || !Number.isFinite(w)) {
      throw new RangeError(`weights[${k}] must be a finite number > 0, got ${w}`);
    }
  }
}

/**
 * Pairs come out sorted by (i, j) whatever the input order, so a fit's floating-point sums —
 * and therefore its last bits — do not depend on how the tallies were listed.
 *
 * `weights` (one per matchup, every vote of that matchup weighing the same) makes every fit on
 * the table a weighted likelihood Σ w·log p. They are rescaled to add up to the number of votes:
 * the fit and the sandwich do not depend on the weights' scale, and this way the ridge weighs
 * against the data exactly as much as in the unweighted fit, so scaling the weights changes
 * nothing at all.
 */
export function buildPairTable(
  n: number,
  matchups: readonly Matchup[],
  weights?: ArrayLike<number>,
): PairTable {
  validateMatchups(n, matchups);
  if (weights) validateWeights(matchups, weights);
  const index = new Map<number, number>();
  const keys: number[] = [];
  const acc: number[] = [];
  // weighted: Σ w·count and Σ w²·count per (pair, outcome), the weights unscaled so far
  const accW: number[] = [];
  const accW2: number[] = [];
  let votes = 0;
  let mass = 0;
  for (let position = 0; position < matchups.length; position++) {
    const m = matchups[position] as Matchup;
    const flip = m.a > m.b;
    const i = flip ? m.b : m.a;
    const j = flip ? m.a : m.b;
    const key = i * n + j;
    let slot = index.get(key);
    if (slot === undefined) {
      slot = keys.length;
      index.set(key, slot);
      keys.push(key);
      acc.push(0, 0, 0);
      if (weights) {
        accW.push(0, 0, 0);
        accW2.push(0, 0, 0);
      }
    }
    const won = flip ? m.winsB : m.winsA;
    const drawn = m.ties + m.bothBad;
    const lost = flip ? m.winsA : m.winsB;
    acc[3 * slot] = (acc[3 * slot] ?? 0) + won;
    acc[3 * slot + 1] = (acc[3 * slot + 1] ?? 0) + drawn;
    acc[3 * slot + 2] = (acc[3 * slot + 2] ?? 0) + lost;
    if (weights) {
      const w = weights[position] as number;
      accW[3 * slot] = (accW[3 * slot] ?? 0) + w * won;
      accW[3 * slot + 1] = (accW[3 * slot + 1] ?? 0) + w * drawn;
      accW[3 * slot + 2] = (accW[3 * slot + 2] ?? 0) + w * lost;
      accW2[3 * slot] = (accW2[3 * slot] ?? 0) + w * w * won;
      accW2[3 * slot + 1] = (accW2[3 * slot + 1] ?? 0) + w * w * drawn;
      accW2[3 * slot + 2] = (accW2[3 * slot + 2] ?? 0) + w * w * lost;
      votes += won + drawn + lost;
      mass += w * (won + drawn + lost);
    }
  }
  // rescale so that Σ w·count = votes: w → f·w, so Σ w·count → f·…, Σ w²·count → f²·…
  const f = mass > 0 ? votes / mass : 1;
  const order = keys
    .map((_, s) => s)
    .filter((s) => {
      const games = (acc[3 * s] ?? 0) + (acc[3 * s + 1] ?? 0) + (acc[3 * s + 2] ?? 0);
      return games > 0;
    });
  order.sort((x, y) => (keys[x] ?? 0) - (keys[y] ?? 0));

  const size = order.length;
  const table: PairTable = {
    n,
    size,
    i: new Int32Array(size),
    j: new Int32Array(size),
    winsI: new Float64Array(size),
    draws: new Float64Array(size),
    winsJ: new Float64Array(size),
    votes: new Float64Array(n),
    total: 0,
  };
  if (weights) {
    table.squared = {
      winsI: new Float64Array(size),
      draws: new Float64Array(size),
      winsJ: new Float64Array(size),
    };
  }
  order.forEach((s, k) => {
    const key = keys[s] ?? 0;
    const i = Math.floor(key / n);
    const j = key - i * n;
    const w = acc[3 * s] ?? 0;
    const t = acc[3 * s + 1] ?? 0;
    const l = acc[3 * s + 2] ?? 0;
    table.i[k] = i;
    table.j[k] = j;
    table.winsI[k] = w;
    table.draws[k] = t;
    table.winsJ[k] = l;
    table.votes[i] = (table.votes[i] ?? 0) + w + t + l;
    table.votes[j] = (table.votes[j] ?? 0) + w + t + l;
    table.total += w + t + l;
    if (table.squared) {
      table.winsI[k] = f * (accW[3 * s] ?? 0);
      table.draws[k] = f * (accW[3 * s + 1] ?? 0);
      table.winsJ[k] = f * (accW[3 * s + 2] ?? 0);
      table.squared.winsI[k] = f * f * (accW2[3 * s] ?? 0);
      table.squared.draws[k] = f * f * (accW2[3 * s + 1] ?? 0);
      table.squared.winsJ[k] = f * f * (accW2[3 * s + 2] ?? 0);
    }
  });
  return table;
}

/** Votes per model (each vote counts for both of its models). */
export function votesPerModel(n: number, matchups: readonly Matchup[]): number[] {
  return Array.from(buildPairTable(n, matchups).votes);
}
