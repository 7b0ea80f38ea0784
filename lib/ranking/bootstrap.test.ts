import { describe, expect, it } from "vitest";
import { bootstrapBradleyTerry } from "./bootstrap";
import { fitBradleyTerry } from "./bradley-terry";
import { Xoshiro128 } from "./random";
import { sandwichIntervals } from "./sandwich";
import { FIVE, m } from "./test-helpers";
import type { Matchup } from "./types";

describe("bootstrapBradleyTerry", () => {
  it("is deterministic for a seed and changes with it", () => {
    const a = bootstrapBradleyTerry(5, FIVE, { rounds: 200, seed: 1 });
    const b = bootstrapBradleyTerry(5, FIVE, { rounds: 200, seed: 1 });
    const c = bootstrapBradleyTerry(5, FIVE, { rounds: 200, seed: 2 });
    expect(b.samples).toEqual(a.samples);
    expect(c.samples).not.toEqual(a.samples);
    expect(a.samples.length).toBe(200 * 5);
  });

  it("brackets the estimate: lower ≤ median ≤ upper, rating inside, every round converged", () => {
    const fit = fitBradleyTerry(5, FIVE);
    const boot = bootstrapBradleyTerry(5, FIVE, { rounds: 400, fit });
    expect(boot.ratings).toEqual(fit.ratings);
    for (let i = 0; i < 5; i++) {
      expect(boot.lower[i]).toBeLessThanOrEqual(boot.median[i] as number);
      expect(boot.median[i]).toBeLessThanOrEqual(boot.upper[i] as number);
      expect(fit.ratings[i]).toBeGreaterThan(boot.lower[i] as number);
      expect(fit.ratings[i]).toBeLessThan(boot.upper[i] as number);
    }
    expect(boot.maxGradientNorm).toBeLessThanOrEqual(1e-9);
  });

  it("has about the width of the sandwich interval", () => {
    const boot = bootstrapBradleyTerry(5, FIVE, { rounds: 1000 });
    const sw = sandwichIntervals(5, FIVE);
    for (let i = 0; i < 5; i++) {
      const ratio =
        ((boot.upper[i] as number) - (boot.lower[i] as number)) /
        ((sw.upper[i] as number) - (sw.lower[i] as number));
      expect(ratio).toBeGreaterThan(0.8);
      expect(ratio).toBeLessThan(1.25);
    }
  });

  it("pins the anchor in every round (zero width) and shifts the rest with it", () => {
    const free = bootstrapBradleyTerry(5, FIVE, { rounds: 100 });
    const pinned = bootstrapBradleyTerry(5, FIVE, {
      rounds: 100,
      anchor: { model: 1, rating: 1200 },
    });
    expect(pinned.lower[1]).toBeCloseTo(1200, 9);
    expect(pinned.upper[1]).toBeCloseTo(1200, 9);
    expect(pinned.ratings[1]).toBeCloseTo(1200, 9);
    const shift = (pinned.ratings[0] as number) - (free.ratings[0] as number);
    expect(pinned.ratings[3]).toBeCloseTo((free.ratings[3] as number) + shift, 9);
  });

  it("gives models without votes infinite bounds", () => {
    const boot = bootstrapBradleyTerry(3, [m(0, 1, 5, 3, 1, 1)], { rounds: 50 });
    expect(boot.lower[2]).toBe(Number.NEGATIVE_INFINITY);
    expect(boot.upper[2]).toBe(Number.POSITIVE_INFINITY);
    expect(Number.isFinite(boot.lower[0])).toBe(true);
  });

  it("covers the true ratings of simulated data (about 95% of the time)", () => {
    // 12 models, BT votes without ties from known ratings
    const rng = new Xoshiro128(11);
    const n = 12;
    const truth = Array.from({ length: n }, (_, i) => 850 + 25 * i);
    const meanTruth = truth.reduce((s, x) => s + x, 0) / n;
    const tallies: Matchup[] = [];
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        if (a === b) continue;
        const pA = 1 / (1 + 10 ** (((truth[b] as number) - (truth[a] as number)) / 400));
        let wins = 0;
        for (let v = 0; v < 60; v++) if (rng.nextDouble() < pA) wins++;
        tallies.push(m(a, b, wins, 60 - wins));
      }
    }
    const boot = bootstrapBradleyTerry(n, tallies, { rounds: 500, seed: 3 });
    const sw = sandwichIntervals(n, tallies);
    let bootHits = 0;
    let swHits = 0;
    for (let i = 0; i < n; i++) {
      const t = (truth[i] as number) - meanTruth + 1000;
      if (t >= (boot.lower[i] as number) && t <= (boot.upper[i] as number)) bootHits++;
      if (t >= (sw.lower[i] as number) && t <= (sw.upper[i] as number)) swHits++;
    }
    expect(bootHits).toBeGreaterThanOrEqual(9);
    expect(swHits).toBeGreaterThanOrEqual(9);
  });

  it("validates its options", () => {
    expect(() => bootstrapBradleyTerry(5, FIVE, { rounds: 0 })).toThrow(RangeError);
    expect(() => bootstrapBradleyTerry(5, FIVE, { confidence: 1 })).toThrow(RangeError);
    expect(() => bootstrapBradleyTerry(2, [m(0, 1, 1.5, 2)])).toThrow(/whole/);
  });
});
