import { describe, expect, it } from "vitest";
import { normalQuantile, sandwichIntervals } from "./sandwich";
import { FIVE, m } from "./test-helpers";

describe("normalQuantile", () => {
  it("matches tabulated quantiles", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 8);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 12);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326347874040841, 8);
    expect(normalQuantile(0.995)).toBeCloseTo(2.5758293035489, 8);
    expect(() => normalQuantile(1)).toThrow(RangeError);
  });
});

describe("sandwichIntervals", () => {
  it("equals the textbook interval for two models without ties", () => {
    // MLE p̂ = 30/40; Var(β₀ − β₁) = 1/(n p̂(1−p̂)); each side carries half of the difference
    const sw = sandwichIntervals(2, [m(0, 1, 30, 10)], { priorSd: Number.POSITIVE_INFINITY });
    const se = ((400 / Math.log(10)) * Math.sqrt(1 / (40 * 0.75 * 0.25))) / 2;
    expect(sw.standardErrors[0]).toBeCloseTo(se, 6);
    expect((sw.upper[0] as number) - (sw.ratings[0] as number)).toBeCloseTo(1.959963985 * se, 5);
    expect((sw.ratings[1] as number) - (sw.lower[1] as number)).toBeCloseTo(1.959963985 * se, 5);
  });

  it("is narrower when outcomes are ties rather than split decisions", () => {
    // same BT fit (score 50%), but a tie is less noisy than a win or a loss
    const split = sandwichIntervals(2, [m(0, 1, 20, 20)]);
    const ties = sandwichIntervals(2, [m(0, 1, 10, 10, 20)]);
    expect(ties.standardErrors[0]).toBeLessThan(split.standardErrors[0] as number);
  });

  it("with an anchor: zero width for the anchor, the difference's SE for the others", () => {
    const free = sandwichIntervals(2, [m(0, 1, 30, 10)], { priorSd: Number.POSITIVE_INFINITY });
    const pinned = sandwichIntervals(2, [m(0, 1, 30, 10)], {
      priorSd: Number.POSITIVE_INFINITY,
      anchor: { model: 0, rating: 1300 },
    });
    expect(pinned.standardErrors[0]).toBeCloseTo(0, 9);
    expect(pinned.lower[0]).toBeCloseTo(1300, 9);
    expect(pinned.standardErrors[1]).toBeCloseTo(2 * (free.standardErrors[1] as number), 6);
  });

  it("gives models without votes infinite bounds and the rest finite ones", () => {
    const sw = sandwichIntervals(6, FIVE);
    expect(sw.lower[5]).toBe(Number.NEGATIVE_INFINITY);
    expect(sw.upper[5]).toBe(Number.POSITIVE_INFINITY);
    for (let i = 0; i < 5; i++) {
      expect(sw.lower[i]).toBeLessThan(sw.ratings[i] as number);
      expect(sw.upper[i]).toBeGreaterThan(sw.ratings[i] as number);
    }
  });

  it("honours the confidence level", () => {
    const a = sandwichIntervals(5, FIVE, { confidence: 0.95 });
    const b = sandwichIntervals(5, FIVE, { confidence: 0.99 });
    const wa = (a.upper[0] as number) - (a.lower[0] as number);
    const wb = (b.upper[0] as number) - (b.lower[0] as number);
    expect(wb / wa).toBeCloseTo(2.5758293035489 / 1.959963984540054, 6);
  });
});
