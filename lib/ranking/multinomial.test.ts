import { describe, expect, it } from "vitest";
import { logFactorial, MultinomialSampler, poissonPmf } from "./multinomial";
import { Xoshiro128 } from "./random";

function moments(counts: number[], draws: number, seed: number) {
  const k = counts.length;
  const total = counts.reduce((s, x) => s + x, 0);
  const sampler = new MultinomialSampler(counts, new Xoshiro128(seed));
  const out = new Float64Array(k);
  const sum = new Float64Array(k);
  const sq = new Float64Array(k);
  let cross = 0; // cells 0 and 1
  let bad = 0; // draws that are not whole, non-negative and summing to N
  for (let r = 0; r < draws; r++) {
    sampler.sample(out);
    let t = 0;
    for (let c = 0; c < k; c++) {
      const y = out[c] as number;
      if (!(Number.isInteger(y) && y >= 0)) bad++;
      t += y;
      sum[c] = (sum[c] as number) + y;
      sq[c] = (sq[c] as number) + y * y;
    }
    if (t !== total) bad++;
    cross += (out[0] as number) * (out[1] as number);
  }
  expect(bad).toBe(0);
  const mean = Array.from(sum, (s) => s / draws);
  const variance = Array.from(sq, (s, c) => s / draws - (mean[c] as number) ** 2);
  const covariance = cross / draws - (mean[0] as number) * (mean[1] as number);
  return { total, mean, variance, covariance };
}

describe("MultinomialSampler", () => {
  it("matches Multinomial(N, q) moments on a small table (and keeps empty cells empty)", () => {
    const counts = [50, 30, 0, 15, 5];
    const draws = 20_000;
    const { total, mean, variance, covariance } = moments(counts, draws, 1);
    counts.forEach((x, c) => {
      const q = x / total;
      const sd = Math.sqrt(total * q * (1 - q));
      expect(Math.abs((mean[c] as number) - total * q)).toBeLessThanOrEqual(
        5 * (sd / Math.sqrt(draws)) + 1e-12,
      );
      if (x > 0) expect((variance[c] as number) / (sd * sd)).toBeGreaterThan(0.93);
      if (x > 0) expect((variance[c] as number) / (sd * sd)).toBeLessThan(1.07);
    });
    expect(mean[2]).toBe(0);
    // Cov(Y0, Y1) = −N q0 q1 = −15
    expect(covariance).toBeGreaterThan(-15 * 1.1);
    expect(covariance).toBeLessThan(-15 * 0.9);
  });

  it("matches the exact Binomial(N, q) distribution of a cell (chi-square)", () => {
    // cell 0 of Multinomial(40, [0.25, 0.75]) is Binomial(40, 0.25)
    const sampler = new MultinomialSampler([10, 30], new Xoshiro128(2));
    const out = new Float64Array(2);
    const draws = 40_000;
    const hist = new Array<number>(41).fill(0);
    for (let r = 0; r < draws; r++) {
      sampler.sample(out);
      hist[out[0] as number] = (hist[out[0] as number] as number) + 1;
    }
    let chi = 0;
    let bins = 0;
    let lowObs = 0;
    let lowExp = 0;
    for (let y = 0; y <= 40; y++) {
      const p = Math.exp(
        logFactorial(40) -
          logFactorial(y) -
          logFactorial(40 - y) +
          y * Math.log(0.25) +
          (40 - y) * Math.log(0.75),
      );
      const e = p * draws;
      if (e < 5) {
        lowObs += hist[y] as number;
        lowExp += e;
        continue;
      }
      chi += ((hist[y] as number) - e) ** 2 / e;
      bins++;
    }
    chi += (lowObs - lowExp) ** 2 / lowExp;
    bins++;
    // 99.9% quantile of chi-square with 21 degrees of freedom is 46.8
    expect(bins).toBeGreaterThan(15);
    expect(chi).toBeLessThan(46.8);
  });

  it("is exact in total and unbiased on a large table (both fix-up directions occur)", () => {
    const k = 3000;
    const counts = Array.from({ length: k }, (_, c) => (c * 7919) % 61);
    const { total, mean } = moments(counts, 400, 9);
    expect(total).toBeGreaterThan(80_000);
    // the heaviest cells, averaged: relative error well inside Monte-Carlo noise
    let err = 0;
    let weight = 0;
    counts.forEach((x, c) => {
      err += (mean[c] as number) - x;
      weight += x;
    });
    expect(Math.abs(err / weight)).toBeLessThan(1e-3);
    const c60 = counts.indexOf(60);
    expect(Math.abs((mean[c60] as number) - 60)).toBeLessThan(5 * Math.sqrt(60 / 400));
  });

  it("fixes up the total correctly: removals are a uniform random subset, additions categorical(q)", () => {
    // white-box: the two corrections run on a known vector
    const sampler = new MultinomialSampler([30, 10, 60], new Xoshiro128(4)) as unknown as {
      remove(out: Float64Array, m: number, excess: number): void;
      add(out: Float64Array, extra: number): void;
    };
    const draws = 20_000;
    let removed0 = 0;
    let removedSq = 0;
    let added = [0, 0, 0];
    for (let r = 0; r < draws; r++) {
      const out = Float64Array.from([50, 50, 0]);
      sampler.remove(out, 100, 50);
      const x = 50 - (out[0] as number);
      if (
        (out[0] as number) + (out[1] as number) !== 50 ||
        (out[0] as number) < 0 ||
        (out[1] as number) < 0
      ) {
        throw new Error(`bad removal ${Array.from(out)}`);
      }
      removed0 += x;
      removedSq += x * x;
      const more = new Float64Array(3);
      sampler.add(more, 10);
      added = added.map((a, c) => a + (more[c] as number));
    }
    // hypergeometric: 50 drawn from 50 + 50 → mean 25, variance 50·½·½·50/99 = 6.31
    const mean = removed0 / draws;
    expect(Math.abs(mean - 25)).toBeLessThan(5 * Math.sqrt(6.31 / draws));
    expect(removedSq / draws - mean * mean).toBeGreaterThan(6.31 * 0.93);
    expect(removedSq / draws - mean * mean).toBeLessThan(6.31 * 1.07);
    // categorical(0.3, 0.1, 0.6), 200,000 draws
    [0.3, 0.1, 0.6].forEach((q, c) => {
      expect(Math.abs((added[c] as number) / (10 * draws) - q)).toBeLessThan(
        5 * Math.sqrt((q * (1 - q)) / (10 * draws)),
      );
    });
  });

  it("is deterministic per seed", () => {
    const a = new MultinomialSampler([3, 4, 5, 0, 9], new Xoshiro128(3));
    const b = new MultinomialSampler([3, 4, 5, 0, 9], new Xoshiro128(3));
    const x = new Float64Array(5);
    const y = new Float64Array(5);
    for (let r = 0; r < 50; r++) {
      a.sample(x);
      b.sample(y);
      expect(Array.from(x)).toEqual(Array.from(y));
    }
  });

  it("handles tiny totals", () => {
    const out = new Float64Array(3);
    const one = new MultinomialSampler([0, 1, 0], new Xoshiro128(1));
    one.sample(out);
    expect(Array.from(out)).toEqual([0, 1, 0]);
    const two = new MultinomialSampler([1, 1, 0], new Xoshiro128(2));
    for (let r = 0; r < 20; r++) {
      two.sample(out);
      expect((out[0] as number) + (out[1] as number)).toBe(2);
      expect(out[2]).toBe(0);
    }
  });

  it("rejects fractional counts", () => {
    expect(() => new MultinomialSampler([1.5, 2], new Xoshiro128(1))).toThrow(RangeError);
  });
});

describe("Poisson tables and log-factorial", () => {
  it("tabulates a proper Poisson pmf", () => {
    for (const mean of [0.3, 4, 67.5, 2500]) {
      const [first, pmf] = poissonPmf(mean);
      const total = pmf.reduce((s, p) => s + p, 0);
      const mu = pmf.reduce((s, p, e) => s + p * (first + e), 0);
      expect(total).toBeCloseTo(1, 10);
      expect(Math.abs(mu / total - mean)).toBeLessThan(1e-9 * Math.max(1, mean));
    }
  });

  it("computes log(k!) accurately on both sides of the table", () => {
    let direct = 0;
    for (let k = 1; k <= 400; k++) {
      direct += Math.log(k);
      expect(Math.abs(logFactorial(k) - direct)).toBeLessThan(1e-10 * Math.max(1, direct));
    }
  });
});
