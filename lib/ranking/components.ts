import { buildPairTable } from "./pairs";
import type { Matchup } from "./types";

export interface ComparisonComponents {
  /**
   * Each model's component. 0 is the largest (most models; then most votes; then the one with
   * the lowest model index), 1 the next, and so on. A model without votes is a component alone.
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
  for (let k = 0; k < table.size; k++) {
    const a = root(table.i[k] as number);
    const b = root(table.j[k] as number);
    if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
  }
  const groups = new Map<number, number[]>();
  for (let m = 0; m < n; m++) {
    const r = root(m);
    const group = groups.get(r);
    if (group) group.push(m);
    else groups.set(r, [m]);
  }
  const votes = (group: number[]) => group.reduce((s, m) => s + (table.votes[m] as number), 0);
  const members = [...groups.values()].sort(
    (x, y) => y.length - x.length || votes(y) - votes(x) || (x[0] as number) - (y[0] as number),
  );
  const component = new Array<number>(n).fill(0);
  members.forEach((group, c) => {
    for (const m of group) component[m] = c;
  });
  return { component, members };
}
