import { describe, expect, it } from "vitest";
import { fitBradleyTerry } from "./bradley-terry";
import { FIVE, m, swapSides } from "./test-helpers";

describe("fitBradleyTerry", () => {
  it("recovers the closed form for two models: R_A − R_B = 400·log10(wins / losses)", () => {
    const fit = fitBradleyTerry(2, [m(0, 1, 30, 10)], { priorSd: Number.POSITIVE_INFINITY });
    expect(fit.converged).toBe(true);
    expect((fit.ratings[0] as number) - (fit.ratings[1] as number)).toBeCloseTo(
      400 * Math.log10(3),
      6,
    );
    // no anchor: ratings average initRating
    expect(((fit.ratings[0] as number) + (fit.ratings[1] as number)) / 2).toBeCloseTo(1000, 9);
    // the default prior only matters when data are this scarce, and then by hundredths of a point
    const withPrior = fitBradleyTerry(2, [m(0, 1, 30, 10)]);
    expect((withPrior.ratings[0] as number) - (withPrior.ratings[1] as number)).toBeCloseTo(
      400 * Math.log10(3),
      1,
    );
  });

  it("counts a tie and a both-bad vote as half a win for each side", () => {
    const withTies = fitBradleyTerry(2, [m(0, 1, 10, 4, 6, 2)]);
    const asHalves = fitBradleyTerry(2, [m(0, 1, 14, 8)]);
    expect(withTies.ratings[0]).toBeCloseTo(asHalves.ratings[0] as number, 9);
  });

  it("converges to the gradient tolerance", () => {
    const fit = fitBradleyTerry(5, FIVE);
    expect(fit.converged).toBe(true);
    expect(fit.gradientNorm).toBeLessThanOrEqual(1e-9);
    expect(fit.totalVotes).toBe(
      FIVE.reduce((s, x) => s + x.winsA + x.winsB + x.ties + x.bothBad, 0),
    );
    expect(fit.votes[0]).toBe(30 + 12 + 5 + 3 + 8 + 20 + 4 + 1 + 25 + 5 + 2 + 2 + 4 + 21 + 3);
  });

  it("does not depend on the order of the tallies", () => {
    const a = fitBradleyTerry(5, FIVE);
    const b = fitBradleyTerry(5, [...FIVE].reverse());
    expect(b.ratings).toEqual(a.ratings);
  });

  it("is mirrored by swapping sides (a/b and their outcomes)", () => {
    const a = fitBradleyTerry(5, FIVE);
    const b = fitBradleyTerry(5, FIVE.map(swapSides));
    b.ratings.forEach((r, i) => {
      expect(r).toBeCloseTo(a.ratings[i] as number, 9);
    });
  });

  it("gives equal ratings when every vote is a tie", () => {
    const fit = fitBradleyTerry(3, [m(0, 1, 0, 0, 5, 2), m(1, 2, 0, 0, 3, 3), m(2, 0, 0, 0, 0, 7)]);
    for (const r of fit.ratings) expect(r).toBeCloseTo(1000, 9);
  });

  it("keeps a model that never loses (and one that never plays) finite", () => {
    const fit = fitBradleyTerry(4, [m(0, 1, 9, 0), m(0, 2, 4, 0, 1), m(1, 2, 5, 5)]);
    expect(fit.converged).toBe(true);
    for (const r of fit.ratings) expect(Number.isFinite(r)).toBe(true);
    expect(fit.ratings[0]).toBeGreaterThan(fit.ratings[1] as number);
    // model 3 has no votes: the prior keeps it at the mean strength
    expect(fit.ratings[3]).toBeCloseTo(1000, 6);
  });

  it("fixes the anchor's rating by shifting everyone equally", () => {
    const free = fitBradleyTerry(5, FIVE);
    const anchored = fitBradleyTerry(5, FIVE, { anchor: { model: 2, rating: 1114 } });
    expect(anchored.ratings[2]).toBeCloseTo(1114, 9);
    const shift = (anchored.ratings[0] as number) - (free.ratings[0] as number);
    anchored.ratings.forEach((r, i) => {
      expect(r - (free.ratings[i] as number)).toBeCloseTo(shift, 9);
    });
  });

  it("honours scale, base and initRating", () => {
    const fit = fitBradleyTerry(2, [m(0, 1, 30, 10)], {
      scale: 173.7178,
      base: Math.E,
      initRating: 1500,
      priorSd: Number.POSITIVE_INFINITY,
    });
    expect((fit.ratings[0] as number) - (fit.ratings[1] as number)).toBeCloseTo(
      173.7178 * Math.log(3),
      6,
    );
    expect(((fit.ratings[0] as number) + (fit.ratings[1] as number)) / 2).toBeCloseTo(1500, 9);
  });

  it("warm-starts from earlier strengths", () => {
    const first = fitBradleyTerry(5, FIVE);
    const again = fitBradleyTerry(5, FIVE, { initialStrengths: first.strengths });
    expect(again.iterations).toBe(0);
    again.ratings.forEach((r, i) => {
      expect(r).toBeCloseTo(first.ratings[i] as number, 9);
    });
  });

  it("handles no models and no votes", () => {
    expect(fitBradleyTerry(0, []).ratings).toEqual([]);
    expect(fitBradleyTerry(2, []).ratings).toEqual([1000, 1000]);
  });

  it("rejects bad tallies", () => {
    expect(() => fitBradleyTerry(2, [m(0, 2, 1, 1)])).toThrow(/out of range/);
    expect(() => fitBradleyTerry(2, [m(1, 1, 1, 1)])).toThrow(/itself/);
    expect(() => fitBradleyTerry(2, [m(0, 1, -1, 1)])).toThrow(/winsA/);
    expect(() => fitBradleyTerry(2, [m(0, 1, 1, 1)], { anchor: { model: 5, rating: 1 } })).toThrow(
      /anchor/,
    );
  });
});
