/**
 * Synthetic arena data for the benchmarks: models with known ratings, votes drawn from the
 * Bradley–Terry model with a seeded generator, so every run measures the same input.
 */
import type { Matchup } from "../lib/ranking/index";
import { Xoshiro128 } from "../lib/ranking/random";
import { WINNER } from "../lib/winner";

export interface SyntheticArena {
  models: string[];
  trueRatings: number[];
  /** Per vote, in order: left model, right model, outcome code. */
  a: Int32Array;
  b: Int32Array;
  outcome: Uint8Array;
}

export function synthesizeVotes(modelCount: number, voteCount: number, seed = 42): SyntheticArena {
  const rng = new Xoshiro128(seed);
  const models = Array.from(
    { length: modelCount },
    (_, i) => `model-${String(i).padStart(3, "0")}`,
  );
  // spread like a real leaderboard: ~±300 points around 1000
  const trueRatings = models.map(() => 1000 + 300 * (rng.nextDouble() * 2 - 1));
  const a = new Int32Array(voteCount);
  const b = new Int32Array(voteCount);
  const outcome = new Uint8Array(voteCount);
  for (let v = 0; v < voteCount; v++) {
    const i = Math.floor(rng.nextDouble() * modelCount);
    let j = Math.floor(rng.nextDouble() * (modelCount - 1));
    if (j >= i) j++;
    a[v] = i;
    b[v] = j;
    const u = rng.nextDouble();
    // ~30% of real votes are ties or both-bad
    if (u < 0.12) outcome[v] = WINNER.tie.code;
    else if (u < 0.3) outcome[v] = WINNER.bothbad.code;
    else {
      const pA = 1 / (1 + 10 ** (((trueRatings[j] as number) - (trueRatings[i] as number)) / 400));
      outcome[v] = rng.nextDouble() < pA ? WINNER.a.code : WINNER.b.code;
    }
  }
  return { models, trueRatings, a, b, outcome };
}

export function tally(arena: SyntheticArena): Matchup[] {
  const n = arena.models.length;
  const cells = new Float64Array(n * n * 4);
  for (let v = 0; v < arena.a.length; v++) {
    const key =
      ((arena.a[v] as number) * n + (arena.b[v] as number)) * 4 + (arena.outcome[v] as number);
    cells[key] = (cells[key] as number) + 1;
  }
  const out: Matchup[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const k = (i * n + j) * 4;
      const c = [cells[k], cells[k + 1], cells[k + 2], cells[k + 3]] as number[];
      if (c.some((x) => x > 0)) {
        out.push({
          a: i,
          b: j,
          winsA: c[0] as number,
          winsB: c[1] as number,
          ties: c[2] as number,
          bothBad: c[3] as number,
        });
      }
    }
  }
  return out;
}
