import { buildPairTable } from "./pairs";
import type { Matchup } from "./types";

export interface ComparisonComponents {
  /**
   * Each model's component. 0 is the largest (most models; then most votes; then the one with
   * the lowest model index), 1 the next, and so on. Models without votes belong to 0: they
   * met nobody, but the data say nothing about them at all (an interval without bounds), so
   * they wait on the leaderboard proper rather than each stand apart as a board of one (a fresh
   * arena's models, or one just added).
   */
  component: number[];
  /** The models of each component, by index, ascending. */
  members: number[][];
}

/**
 * The connected components of the comparison graph: models are linked when they met in at least
 * one vote. Ratings are only comparable within a component — nothing in the votes says how a
 * model relates to one it never met, directly or through others (a demo set beside imported real
 * models, say) — so a leaderboard ranks the largest and shows the others apart.
 */
export function comparisonComponents(
  n: number,
  matchups: readonly Matchup[],
): ComparisonComponents {
  const table = buildPairTable(n, matchups); // pairs with at least one vote
  return components(n, table.size, table.i, table.j, table.votes);
}

/**
 * The same from votes listed one by one (`a[k]` against `b[k]`, standing for `counts[k]` votes,
 * 1 each by default; a row with count 0 links nothing), for fits that keep votes apart.
 */
export function battleComponents(
  n: number,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  counts?: ArrayLike<number>,
): ComparisonComponents {
  if (a.length !== b.length) throw new RangeError("a and b must have the same length");
  const i: number[] = [];
  const j: number[] = [];
  const votes = new Float64Array(n);
  for (let k = 0; k < a.length; k++) {
    const c = counts ? (counts[k] as number) : 1;
    if (!(c > 0)) continue;
    const x = a[k] as number;
    const y = b[k] as number;
    if (!(Number.isInteger(x) && x >= 0 && x < n && Number.isInteger(y) && y >= 0 && y < n)) {
      throw new RangeError(`vote ${k}: model index out of range 0..${n - 1}`);
    }
    i.push(x);
    j.push(y);
    votes[x] = (votes[x] as number) + c;
    votes[y] = (votes[y] as number) + c;
  }
  return components(n, i.length, i, j, votes);
}

function components(
  n: number,
  links: number,
  i: ArrayLike<number>,
  j: ArrayLike<number>,
  votesOf: ArrayLike<number>,
): ComparisonComponents {
  // union–find with path halving
  const parent = Int32Array.from({ length: n }, (_, m) => m);
  const root = (m: number): number => {
    let x = m;
    while (parent[x] !== x) {
      parent[x] = parent[parent[x] as number] as number;
      x = parent[x] as number;
    }
    return x;
  };
  for (let k = 0; k < links; k++) {
    const a = root(i[k] as number);
    const b = root(j[k] as number);
    if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
  }
  const groups = new Map<number, number[]>();
  const unvoted: number[] = [];
  for (let m = 0; m < n; m++) {
    if (!((votesOf[m] as number) > 0)) {
      unvoted.push(m);
      continue;
    }
    const r = root(m);
    const group = groups.get(r);
    if (group) group.push(m);
    else groups.set(r, [m]);
  }
  const votes = (group: number[]) => group.reduce((s, m) => s + (votesOf[m] as number), 0);
  const members = [...groups.values()].sort(
    (x, y) => y.length - x.length || votes(y) - votes(x) || (x[0] as number) - (y[0] as number),
  );
  if (unvoted.length > 0) {
    if (members.length === 0) members.push([]);
    members[0] = [...(members[0] as number[]), ...unvoted].sort((x, y) => x - y);
  }
  const component = new Array<number>(n).fill(0);
  members.forEach((group, c) => {
    for (const m of group) component[m] = c;
  });
  return { component, members };
}
