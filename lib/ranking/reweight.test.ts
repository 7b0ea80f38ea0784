import { describe, expect, it } from "vitest";
import { bootstrapBradleyTerry } from "./bootstrap";
import { fitBradleyTerry } from "./bradley-terry";
import { computeLeaderboard } from "./leaderboard";
import { battleWeights, pairWeights } from "./reweight";
import { sandwichIntervals } from "./sandwich";
import { FIVE, m } from "./test-helpers";
import type { Matchup } from "./types";

const close = (xs: readonly number[], ys: readonly number[], digits: number) =>
  xs.forEach((x, k) => {
    expect(x).toBeCloseTo(ys[k] as number, digits);
  });

/** Every pair of 4 models with at least 60 battles, and very unequal counts (60 to 600). */
function wellSampled(scaleOfPair: (pair: number) => number = () => 1): Matchup[] {
  const shares: [number, number, number, number, number][] = [
    [0, 1, 0.55, 0.35, 0.1],
    [0, 2, 0.6, 0.3, 0.1],
    [0, 3, 0.7, 0.2, 0.1],
    [1, 2, 0.5, 0.4, 0.1],
    [1, 3, 0.6, 0.3, 0.1],
    [2, 3, 0.55, 0.3, 0.15],
  ];
  const sizes = [600, 60, 100, 300, 80, 200];
  return shares.map(([a, b, win, loss, tie], pair) => {
    const games = (sizes[pair] as number) * scaleOfPair(pair);
    return m(a, b, win * games, loss * games, tie * games);
  });
}

describe("pairWeights", () => {
  it("weighs each vote 1/max(n_pair, 50), n_pair over both orientations and every outcome, mean 1", () => {
    // pair {0,1}: 30+12+5+3 + 8+20+4+1 = 83 votes; {0,2}: 34 (→ 50); {3,4}: 38 (→ 50) …
    const weights = pairWeights(5, FIVE);
    const raw = [1 / 83, 1 / 83, 1 / 50, 1 / 50, 1 / 50, 1 / 50, 1 / 50, 1 / 59];
    // {0,3}: 4+21+3 = 28 from FIVE[7] only… and FIVE[7] is (3,0): both orientations count
    const games = FIVE.map((x) => x.winsA + x.winsB + x.ties + x.bothBad);
    const n = games.reduce((s, g) => s + g, 0);
    const mass = raw.reduce((s, w, k) => s + w * (games[k] as number), 0);
    // FIVE's pairs {2,3} 36, {3,4} 38, {1,4} 28, {2,4} 29, {0,3} 28 are all below 50
    raw[7] = 1 / 50;
    const massFixed = raw.reduce((s, w, k) => s + w * (games[k] as number), 0);
    expect(mass).not.toBe(massFixed);
    close(
      weights,
      raw.map((w) => (w * n) / massFixed),
      12,
    );
    expect(weights.reduce((s, w, k) => s + w * (games[k] as number), 0)).toBeCloseTo(n, 9);
  });

  it("battleWeights gives every battle its pair's weight", () => {
    const a: number[] = [];
    const b: number[] = [];
    for (const x of FIVE) {
      const votes = x.winsA + x.winsB + x.ties + x.bothBad;
      for (let v = 0; v < votes; v++) {
        a.push(x.a);
        b.push(x.b);
      }
    }
    const perBattle = battleWeights(a, b);
    const perMatchup = pairWeights(5, FIVE);
    let at = 0;
    FIVE.forEach((x, k) => {
      const votes = x.winsA + x.winsB + x.ties + x.bothBad;
      for (let v = 0; v < votes; v++)
        expect(perBattle[at++]).toBeCloseTo(perMatchup[k] as number, 12);
    });
  });
});

describe("weighted fits and sandwich intervals", () => {
  it("do not depend on the weights' scale", () => {
    const weights = pairWeights(5, FIVE);
    const fit = sandwichIntervals(5, FIVE, { weights });
    const scaled = sandwichIntervals(5, FIVE, { weights: weights.map((w) => 37 * w) });
    close(scaled.ratings, fit.ratings, 9);
    close(scaled.lower, fit.lower, 9);
    close(scaled.upper, fit.upper, 9);
  });

  it("with equal weights are the unweighted fit and intervals", () => {
    const plain = sandwichIntervals(5, FIVE);
    const equal = sandwichIntervals(5, FIVE, { weights: FIVE.map(() => 0.25) });
    close(equal.ratings, plain.ratings, 9);
    close(equal.lower, plain.lower, 9);
    close(equal.upper, plain.upper, 9);
  });

  it("weigh votes like repeated votes in the fit", () => {
    // weight 3 on one matchup is its votes counted three times (the point estimate; not the CI)
    const weights = FIVE.map((_, k) => (k === 2 ? 3 : 1));
    const tripled = FIVE.map((x, k) =>
      k === 2 ? m(x.a, x.b, 3 * x.winsA, 3 * x.winsB, 3 * x.ties, 3 * x.bothBad) : x,
    );
    const mle = { priorSd: Number.POSITIVE_INFINITY }; // the ridge would weigh against other totals
    close(
      fitBradleyTerry(5, FIVE, { ...mle, weights }).ratings,
      fitBradleyTerry(5, tripled, mle).ratings,
      9,
    );
  });

  it("reject weights of the wrong length or sign, and the bootstrap refuses them", () => {
    expect(() => fitBradleyTerry(5, FIVE, { weights: [1] })).toThrow(RangeError);
    expect(() => fitBradleyTerry(5, FIVE, { weights: FIVE.map(() => -1) })).toThrow(RangeError);
    expect(() => bootstrapBradleyTerry(5, FIVE, { weights: pairWeights(5, FIVE) })).toThrow(
      /bootstrap/,
    );
    expect(() => computeLeaderboard(["a", "b", "c", "d", "e"], FIVE, { reweight: true })).toThrow(
      /sandwich/,
    );
  });
});

/** Reweighted ratings, plain MLE: the ridge (which weighs against the vote total) left out. */
const reweighted = (ms: Matchup[]) =>
  fitBradleyTerry(4, ms, { weights: pairWeights(4, ms), priorSd: Number.POSITIVE_INFINITY })
    .ratings;

describe("reweighting when every pair has at least 50 battles", () => {
  // Each pair then weighs exactly 1 in total (n_pair · 1/n_pair), so:
  //  (1) the reweighted ratings depend on each pair only through its outcome shares — how often
  //      a pair was sampled changes nothing in them (unweighted ratings move);
  //  (2) when all pairs have the same count the weights are one constant, and reweighting changes
  //      nothing at all, ratings and intervals (a weight's scale never matters).
  // Below 50 neither holds: such a pair weighs n_pair/50 < 1.
  it("how often a pair was sampled does not move the reweighted ratings", () => {
    const base = wellSampled();
    const resampled = wellSampled((pair) => [3, 1, 1, 0.9, 5, 1][pair] as number);
    close(reweighted(resampled), reweighted(base), 9);
    const plainShift = Math.max(
      ...fitBradleyTerry(4, resampled).ratings.map((r, k) =>
        Math.abs(r - (fitBradleyTerry(4, base).ratings[k] as number)),
      ),
    );
    expect(plainShift).toBeGreaterThan(1);
  });

  it("below 50 battles a pair's count does move them", () => {
    const thin = wellSampled((pair) => (pair === 1 ? 0.5 : 1)); // pair {0,2}: 30 battles
    const thinner = wellSampled((pair) => (pair === 1 ? 0.25 : 1)); // 15 battles
    const other = reweighted(thinner);
    const shift = Math.max(...reweighted(thin).map((r, k) => Math.abs(r - (other[k] as number))));
    expect(shift).toBeGreaterThan(0.1);
  });

  it("with the same count for every pair, reweighting changes nothing but the weights' scale", () => {
    const balanced = wellSampled((pair) => 120 / ([600, 60, 100, 300, 80, 200][pair] as number));
    const plain = sandwichIntervals(4, balanced);
    const weights = pairWeights(4, balanced);
    close(
      weights,
      weights.map(() => 1),
      12,
    ); // 1/120 each, divided by its mean
    const rw = sandwichIntervals(4, balanced, { weights });
    close(rw.ratings, plain.ratings, 9);
    close(rw.lower, plain.lower, 9);
    close(rw.upper, plain.upper, 9);
  });

  it("with unequal counts, the intervals widen: the over-sampled pair no longer tightens them", () => {
    const data = wellSampled();
    const plain = sandwichIntervals(4, data);
    const rw = sandwichIntervals(4, data, { weights: pairWeights(4, data) });
    for (let k = 0; k < 4; k++) {
      expect(rw.standardErrors[k]).toBeGreaterThan(plain.standardErrors[k] as number);
    }
  });
});
