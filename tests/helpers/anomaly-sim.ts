/**
 * A seeded arena simulator for the anomalous-voter test (lib/ranking/anomaly.test.ts):
 * honest voters drawing Bradley–Terry outcomes with Davidson ties and a "both bad" rate, plus
 * adversaries of known kinds. Test support, not used by the app.
 */

import type { VoteRecord } from "@/lib/ranking/anomaly";
import { Xoshiro128 } from "@/lib/ranking/random";

/**
 * - honest: Bradley–Terry with ties (below)
 * - favorite: always votes for one model when it is in the battle; half of them only vote on
 *   battles with it (they skip the rest), half click a random button on the rest
 * - left: always picks the left side
 * - random: clicks one of the four buttons uniformly at random
 * - coin: flips a fair coin between A and B, never tie or both bad (the hard case)
 */
export type VoterKind = "honest" | "favorite" | "left" | "random" | "coin";

export interface SimulationOptions {
  seed: number;
  /** True ratings on the Elo scale (P(i beats j) = 1/(1 + 10^((R_j − R_i)/400))). */
  ratings: readonly number[];
  voters: number;
  /** Share of adversaries, split evenly over `adversaries` in turn. Default 0.05. */
  adversaryShare?: number;
  adversaries?: readonly Exclude<VoterKind, "honest">[];
  /** Votes per voter, uniform in [minVotes, maxVotes]. Default 20–60. */
  minVotes?: number;
  maxVotes?: number;
  /** Davidson tie strength ν: P(tie) = ν√(πaπb)/(πa + πb + ν√(πaπb)). Default 0.5 (20% for equals). */
  tieStrength?: number;
  /** P("both bad") for two 1000-rated models; higher for weaker pairs. Default 0.1. */
  bothBadRate?: number;
  /** The crowd's advantage for the left side, in Elo points. Default 10. */
  leftBias?: number;
  /**
   * Honest voters differ from each other: own tie propensity (ν·e^{N(0, 0.4²)}), own side
   * bias (N(0, 25²) Elo) and own taste (N(0, 40²) Elo per model). Default false: pure BT.
   */
  heterogeneous?: boolean;
}

export interface SimulatedArena {
  votes: VoteRecord[];
  kinds: Map<string, VoterKind>;
  /** Favourite voters: their model, and whether they skip battles without it. */
  favorites: Map<string, { model: number; skips: boolean }>;
}

function gaussian(rng: Xoshiro128): number {
  const u = 1 - rng.nextDouble();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
}

export function simulateArena(opts: SimulationOptions): SimulatedArena {
  const rng = new Xoshiro128(opts.seed);
  const ratings = opts.ratings;
  const m = ratings.length;
  const nu = opts.tieStrength ?? 0.5;
  const bothBad = opts.bothBadRate ?? 0.1;
  const leftBias = opts.leftBias ?? 10;
  const minVotes = opts.minVotes ?? 20;
  const maxVotes = opts.maxVotes ?? 60;
  const kindsCycle = opts.adversaries ?? ["favorite", "left", "random"];
  const nAdv = Math.round((opts.adversaryShare ?? 0.05) * opts.voters);
  const int = (k: number) => Math.min(k - 1, Math.floor(rng.nextDouble() * k));

  // Which voters are adversaries: a seeded permutation.
  const perm = Array.from({ length: opts.voters }, (_, i) => i);
  for (let i = perm.length - 1; i > 0; i--) {
    const j = int(i + 1);
    [perm[i], perm[j]] = [perm[j] as number, perm[i] as number];
  }
  const kindOf: VoterKind[] = new Array(opts.voters).fill("honest");
  for (let k = 0; k < nAdv; k++) {
    kindOf[perm[k] as number] = kindsCycle[k % kindsCycle.length] as VoterKind;
  }

  const honestOutcome = (
    a: number,
    b: number,
    taste: readonly number[] | null,
    ownNu: number,
    ownLeft: number,
  ): 0 | 1 | 2 | 3 => {
    const ra = (ratings[a] as number) + (taste ? (taste[a] as number) : 0) + leftBias + ownLeft;
    const rb = (ratings[b] as number) + (taste ? (taste[b] as number) : 0);
    const mean = ((ratings[a] as number) + (ratings[b] as number)) / 2;
    const bb = (2 * bothBad) / (1 + 10 ** ((mean - 1000) / 400));
    if (rng.nextDouble() < bb) return 3;
    const pa = 10 ** (ra / 400);
    const pb = 10 ** (rb / 400);
    const tie = ownNu * Math.sqrt(pa * pb);
    const r = rng.nextDouble() * (pa + pb + tie);
    return r < pa ? 0 : r < pa + pb ? 1 : 2;
  };

  const perVoter: VoteRecord[][] = [];
  const kinds = new Map<string, VoterKind>();
  const favorites = new Map<string, { model: number; skips: boolean }>();
  for (let u = 0; u < opts.voters; u++) {
    const voter = `v${String(u).padStart(5, "0")}`;
    const kind = kindOf[u] as VoterKind;
    kinds.set(voter, kind);
    const n = minVotes + int(maxVotes - minVotes + 1);
    const het = opts.heterogeneous === true && kind === "honest";
    const taste = het ? ratings.map(() => 40 * gaussian(rng)) : null;
    const ownNu = het ? nu * Math.exp(0.4 * gaussian(rng)) : nu;
    const ownLeft = het ? 25 * gaussian(rng) : 0;
    const fav = int(m);
    const skips = u % 2 === 0; // favourite voters: half skip battles without their model
    if (kind === "favorite") favorites.set(voter, { model: fav, skips });
    const list: VoteRecord[] = [];
    for (let t = 0; t < n; t++) {
      let a: number;
      let b: number;
      if (kind === "favorite" && skips) {
        const other = (fav + 1 + int(m - 1)) % m;
        [a, b] = rng.nextDouble() < 0.5 ? [fav, other] : [other, fav];
      } else {
        a = int(m);
        b = (a + 1 + int(m - 1)) % m;
      }
      let outcome: 0 | 1 | 2 | 3;
      if (kind === "honest") outcome = honestOutcome(a, b, taste, ownNu, ownLeft);
      else if (kind === "left") outcome = 0;
      else if (kind === "coin") outcome = rng.nextDouble() < 0.5 ? 0 : 1;
      else if (kind === "favorite" && (a === fav || b === fav)) outcome = a === fav ? 0 : 1;
      else outcome = int(4) as 0 | 1 | 2 | 3;
      list.push({ voter, a, b, outcome });
    }
    perVoter.push(list);
  }

  // Interleave the voters' votes in a random order, keeping each voter's own order.
  const slots: number[] = [];
  perVoter.forEach((list, u) => {
    for (let t = 0; t < list.length; t++) slots.push(u);
  });
  for (let i = slots.length - 1; i > 0; i--) {
    const j = int(i + 1);
    [slots[i], slots[j]] = [slots[j] as number, slots[i] as number];
  }
  const next = new Array<number>(perVoter.length).fill(0);
  const votes: VoteRecord[] = slots.map((u) => {
    const t = next[u] as number;
    next[u] = t + 1;
    return (perVoter[u] as VoteRecord[])[t] as VoteRecord;
  });
  return { votes, kinds, favorites };
}

/** Evenly spaced ratings from lo to hi. */
export function linearRatings(models: number, lo = 800, hi = 1200): number[] {
  return Array.from({ length: models }, (_, i) => lo + ((hi - lo) * i) / (models - 1));
}
