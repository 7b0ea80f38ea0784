import { describe, expect, it } from "vitest";
import { averageWinRate, pairwiseStats, predictedWinMatrix } from "./pairwise";
import { m } from "./test-helpers";

describe("pairwise", () => {
  it("counts battles and observed win fractions per unordered pair, ties as half", () => {
    const stats = pairwiseStats(3, [m(0, 1, 3, 1, 2, 0), m(1, 0, 2, 1, 0, 1)]);
    // 0 vs 1: 0 won 3 + 1, 1 won 1 + 2, ties 2 + 1 → 10 battles, 0 scores 4 + 1.5
    expect(stats.battles[0]?.[1]).toBe(10);
    expect(stats.battles[1]?.[0]).toBe(10);
    expect(stats.winFraction[0]?.[1]).toBeCloseTo(0.55, 12);
    expect(stats.winFraction[1]?.[0]).toBeCloseTo(0.45, 12);
    expect(stats.battles[0]?.[2]).toBe(0);
    expect(stats.winFraction[0]?.[2]).toBeNaN();
  });

  it("predicts P(i beats j) from ratings", () => {
    const p = predictedWinMatrix([1400, 1000, 1000]);
    expect(p[0]?.[1]).toBeCloseTo(10 / 11, 12);
    expect(p[1]?.[0]).toBeCloseTo(1 / 11, 12);
    expect(p[1]?.[2]).toBe(0.5);
    expect(p[2]?.[2]).toBe(0.5);
  });

  it("averages predicted win probability over the other models", () => {
    const w = averageWinRate([1400, 1000, 1000]);
    expect(w[0]).toBeCloseTo(10 / 11, 12);
    expect(w[1]).toBeCloseTo((1 / 11 + 0.5) / 2, 12);
    expect(w.reduce((s, x) => s + x, 0)).toBeCloseTo(1.5, 12); // n/2: every game has a winner
    expect(averageWinRate([1000])).toEqual([Number.NaN]);
  });
});
