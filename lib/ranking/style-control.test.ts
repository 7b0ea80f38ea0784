import { describe, expect, it } from "vitest";
import { seededRng } from "../../tests/helpers/rng";
import { bootstrapStyleControl } from "./style-bootstrap";
import { fitStyleControl, styleSandwich } from "./style-control";
import {
  prepareStyleData,
  STYLE_FEATURE_COUNT,
  type StyleVotes,
  styleDifference,
} from "./style-data";
import type { StyleFeatures } from "./style-features";

const f = (tokens: number, headers = 0, listItems = 0, bold = 0): StyleFeatures => ({
  tokens,
  headers,
  listItems,
  bold,
});

/** Simulated votes: 5 models, voters who like longer answers (true γ_length ≈ 0.6 per unit d). */
function simulate(count: number, seed = 7): StyleVotes {
  const rng = seededRng(seed);
  const strength = [0.6, 0.2, 0, -0.3, -0.5];
  const a = new Int32Array(count);
  const b = new Int32Array(count);
  const outcome = new Uint8Array(count);
  const differences = new Float64Array(count * STYLE_FEATURE_COUNT);
  for (let v = 0; v < count; v++) {
    const i = Math.floor(rng() * 5);
    const j = (i + 1 + Math.floor(rng() * 4)) % 5;
    const d = styleDifference(
      f(
        50 + Math.floor(rng() * 900),
        Math.floor(rng() * 3),
        Math.floor(rng() * 6),
        Math.floor(rng() * 4),
      ),
      f(
        50 + Math.floor(rng() * 900),
        Math.floor(rng() * 3),
        Math.floor(rng() * 6),
        Math.floor(rng() * 4),
      ),
    );
    const logit = (strength[i] as number) - (strength[j] as number) + 1.5 * (d[0] as number);
    const u = rng();
    a[v] = i;
    b[v] = j;
    outcome[v] = u < 0.15 ? 2 : rng() < 1 / (1 + Math.exp(-logit)) ? 0 : 1;
    differences.set(d, v * STYLE_FEATURE_COUNT);
  }
  return { a, b, outcome, differences };
}

/** The same votes with every battle's sides swapped. */
function swapped(votes: StyleVotes): StyleVotes {
  const flip = [1, 0, 2, 3];
  return {
    a: votes.b,
    b: votes.a,
    outcome: Uint8Array.from(votes.outcome, (o) => flip[o] as number),
    differences: Float64Array.from(votes.differences, (d) => -d),
  };
}

describe("style differences", () => {
  it("flip sign when the sides swap, and are zero for identical answers", () => {
    const x = f(420, 2, 7, 3);
    const y = f(180, 0, 2, 5);
    expect(Array.from(styleDifference(y, x))).toEqual(Array.from(styleDifference(x, y), (d) => -d));
    expect(Array.from(styleDifference(x, x))).toEqual([0, 0, 0, 0]);
    expect(styleDifference(f(3), f(0))[0]).toBeCloseTo(3 / 4, 12);
  });
});

describe("fitStyleControl", () => {
  const votes = simulate(6000);
  const data = prepareStyleData(5, votes);
  const fit = fitStyleControl(data);

  it("converges and recovers the length preference and the model order", () => {
    expect(fit.converged).toBe(true);
    expect(fit.coefficients[0]).toBeGreaterThan(0.2);
    for (const k of [1, 2, 3]) expect(Math.abs(fit.coefficients[k] as number)).toBeLessThan(0.08);
    const order = fit.ratings
      .map((r, i) => [r, i])
      .sort((x, y) => (y[0] as number) - (x[0] as number));
    expect(order.map((x) => x[1])).toEqual([0, 1, 2, 3, 4]);
    // the penalty pins the shift: ratings average the initial rating
    expect(fit.ratings.reduce((s, r) => s + r, 0) / 5).toBeCloseTo(1000, 6);
  });

  it("is unchanged when every battle is shown the other way round", () => {
    const other = fitStyleControl(prepareStyleData(5, swapped(votes)));
    for (const [m, r] of other.ratings.entries())
      expect(r).toBeCloseTo(fit.ratings[m] as number, 6);
    for (const [k, c] of other.coefficients.entries())
      expect(c).toBeCloseTo(fit.coefficients[k] as number, 9);
  });

  it("gives the plain fit's ratings' order but not its values when style matters", () => {
    const noStyle = { ...votes, differences: new Float64Array(votes.differences.length) };
    const plain = fitStyleControl(prepareStyleData(5, noStyle));
    expect(plain.coefficients).toEqual([0, 0, 0, 0]);
    expect(
      Math.max(...plain.ratings.map((r, m) => Math.abs(r - (fit.ratings[m] as number)))),
    ).toBeGreaterThan(1);
  });

  it("weights are copies: a vote with weight 2 is the vote twice", () => {
    const small = simulate(300, 3);
    const doubled: StyleVotes = {
      a: [...Array.from(small.a), ...Array.from(small.a)],
      b: [...Array.from(small.b), ...Array.from(small.b)],
      outcome: [...Array.from(small.outcome), ...Array.from(small.outcome)],
      differences: [...Array.from(small.differences), ...Array.from(small.differences)],
    };
    const weighted = { ...small, weights: new Float64Array(300).fill(2) };
    const x = fitStyleControl(prepareStyleData(5, doubled));
    const y = fitStyleControl(prepareStyleData(5, weighted));
    for (const [m, r] of x.ratings.entries()) expect(y.ratings[m]).toBeCloseTo(r, 8);
  });

  it("sandwich and bootstrap intervals contain the estimate and roughly agree", () => {
    const sw = styleSandwich(data, { fit });
    const boot = bootstrapStyleControl(data, { fit, rounds: 200, seed: 1 });
    for (let m = 0; m < 5; m++) {
      expect(sw.lower[m]).toBeLessThan(fit.ratings[m] as number);
      expect(sw.upper[m]).toBeGreaterThan(fit.ratings[m] as number);
      const ratio =
        ((boot.upper[m] as number) - (boot.lower[m] as number)) /
        ((sw.upper[m] as number) - (sw.lower[m] as number));
      expect(ratio).toBeGreaterThan(0.75);
      expect(ratio).toBeLessThan(1.3);
    }
    expect(sw.coefficients[0]?.lower).toBeGreaterThan(0);
    expect(boot.coefficients[0]?.lower).toBeGreaterThan(0);
    expect(boot.unconverged).toBe(0);
  });

  it("with an anchor, shifts every rating and gives the anchor a zero-width interval", () => {
    const anchored = styleSandwich(data, { anchor: { model: 2, rating: 1200 } });
    expect(anchored.ratings[2]).toBeCloseTo(1200, 9);
    expect(anchored.upper[2]).toBeCloseTo(anchored.lower[2] as number, 9);
    expect((anchored.ratings[0] as number) - 1200).toBeCloseTo(
      (fit.ratings[0] as number) - (fit.ratings[2] as number),
      9,
    );
  });

  it("a model without votes keeps the initial rating with infinite bounds", () => {
    const withIdle = prepareStyleData(6, votes);
    const sw = styleSandwich(withIdle);
    expect(sw.ratings[5]).toBeCloseTo(1000 - 0, 0);
    expect(sw.lower[5]).toBe(Number.NEGATIVE_INFINITY);
  });
});
