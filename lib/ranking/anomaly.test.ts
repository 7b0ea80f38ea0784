import { describe, expect, it } from "vitest";
import {
  linearRatings,
  type SimulatedArena,
  simulateArena,
  type VoterKind,
} from "@/tests/helpers/anomaly-sim";
import {
  DEFAULT_ALPHA,
  detectAnomalousVoters,
  smoothedOutcomeProbabilities,
  type VoteRecord,
  type VoterAnomaly,
  voterCheckpoints,
} from "./anomaly";
import {
  EXACT_POISSON_BINOMIAL_LIMIT,
  expectedFisherTerm,
  logChi2SfEven,
  logSumUpperTail,
  PoissonBinomialTail,
  type Quad,
  type SumTerm,
  surpriseFisherTerm,
} from "./anomaly-stats";
import { logFactorial } from "./multinomial";
import { Xoshiro128 } from "./random";

/** Flagged / total per voter kind, and the adversaries pooled. */
function tally(sims: { sim: SimulatedArena; rows: VoterAnomaly[] }[]) {
  type Group =
    | VoterKind
    | "adversaries"
    | "favorite, skips the rest"
    | "favorite, random on the rest";
  const by = new Map<Group, { flagged: number; voters: number }>();
  const bump = (k: Group, flagged: boolean) => {
    const e = by.get(k) ?? { flagged: 0, voters: 0 };
    e.voters++;
    if (flagged) e.flagged++;
    by.set(k, e);
  };
  for (const { sim, rows } of sims) {
    for (const r of rows) {
      const kind = sim.kinds.get(r.voter) as VoterKind;
      bump(kind, r.flagged);
      if (kind !== "honest") bump("adversaries", r.flagged);
      const fav = sim.favorites.get(r.voter);
      if (fav)
        bump(fav.skips ? "favorite, skips the rest" : "favorite, random on the rest", r.flagged);
    }
  }
  const rate = (k: Group) => {
    const e = by.get(k);
    return e ? e.flagged / e.voters : Number.NaN;
  };
  const text = [...by]
    .map(
      ([k, e]) => `${k} ${e.flagged}/${e.voters} (${((100 * e.flagged) / e.voters).toFixed(1)}%)`,
    )
    .join(", ");
  return { rate, text };
}

function run(sims: SimulatedArena[], alpha = DEFAULT_ALPHA) {
  return tally(sims.map((sim) => ({ sim, rows: detectAnomalousVoters(sim.votes, { alpha }) })));
}

const RATINGS = linearRatings(15, 800, 1200);

describe("anomaly statistics", () => {
  it("gives exact χ² tails for even degrees of freedom", () => {
    for (const x of [0.5, 3, 20]) {
      expect(logChi2SfEven(x, 1)).toBeCloseTo(-x / 2, 12);
      expect(logChi2SfEven(x, 2)).toBeCloseTo(-x / 2 + Math.log(1 + x / 2), 12);
    }
    // Table quantiles: χ²_10 at 0.95 is 18.307, χ²_60 at 0.99 is 88.379.
    expect(Math.exp(logChi2SfEven(18.307, 5))).toBeCloseTo(0.05, 4);
    expect(Math.exp(logChi2SfEven(88.379, 30))).toBeCloseTo(0.01, 4);
    // Far beyond double precision: still a finite log.
    expect(logChi2SfEven(4000, 1)).toBeCloseTo(-2000, 9);
    expect(logChi2SfEven(0, 7)).toBe(0);
  });

  it("keeps the Rao–Blackwellised Fisher term at mean 2 under the null", () => {
    expect(expectedFisherTerm(0, 1)).toBeCloseTo(2, 12);
    const rng = new Xoshiro128(5);
    const qs: Quad[] = [
      [0.25, 0.25, 0.25, 0.25],
      [0.4, 0.4, 0.15, 0.05],
      [0.7, 0.15, 0.1, 0.05],
    ];
    for (let t = 0; t < 20; t++) {
      const r = [0, 1, 2, 3].map(() => 0.01 + rng.nextDouble());
      const s = r.reduce((a, b) => a + b, 0);
      qs.push(r.map((x) => x / s) as Quad);
    }
    for (const q of qs) {
      let mean = 0;
      for (let o = 0; o < 4; o++) mean += (q[o] as number) * surpriseFisherTerm(q, o);
      expect(mean).toBeCloseTo(2, 9);
    }
    // The rarest outcome is the most surprising.
    const q: Quad = [0.6, 0.25, 0.1, 0.05];
    expect(surpriseFisherTerm(q, 3)).toBeGreaterThan(surpriseFisherTerm(q, 2));
    expect(surpriseFisherTerm(q, 2)).toBeGreaterThan(surpriseFisherTerm(q, 0));
  });

  it("computes exact Poisson-binomial upper tails", () => {
    const rng = new Xoshiro128(11);
    for (let trial = 0; trial < 20; trial++) {
      const n = 1 + Math.floor(rng.nextDouble() * 12);
      const ps = Array.from({ length: n }, () => rng.nextDouble());
      const xs = ps.map(() => rng.nextDouble() < 0.6);
      const tail = new PoissonBinomialTail();
      ps.forEach((p, i) => {
        tail.add(p, xs[i] as boolean);
      });
      const s = xs.filter(Boolean).length;
      let brute = 0;
      for (let mask = 0; mask < 1 << n; mask++) {
        let pr = 1;
        let k = 0;
        for (let i = 0; i < n; i++) {
          const on = (mask >> i) & 1;
          pr *= on ? (ps[i] as number) : 1 - (ps[i] as number);
          k += on;
        }
        if (k >= s) brute += pr;
      }
      expect(tail.successes).toBe(s);
      expect(tail.upperTail()).toBeCloseTo(brute, 12);
    }
  });

  it("falls back to a conservative Chernoff bound for long streams", () => {
    const n = 3 * EXACT_POISSON_BINOMIAL_LIMIT;
    const p = 0.3;
    for (const s of [950, 1000, 1100]) {
      const tail = new PoissonBinomialTail();
      for (let i = 0; i < n; i++) tail.add(p, i < s);
      let exact = 0;
      for (let k = s; k <= n; k++) {
        exact += Math.exp(
          logFactorial(n) -
            logFactorial(k) -
            logFactorial(n - k) +
            k * Math.log(p) +
            (n - k) * Math.log(1 - p),
        );
      }
      const bound = tail.upperTail();
      expect(bound).toBeGreaterThanOrEqual(exact);
      expect(bound).toBeLessThan(Math.max(1e-3, 50 * exact));
    }
  });

  it("matches brute force with the saddlepoint tail of a likelihood sum", () => {
    const rng = new Xoshiro128(3);
    for (let trial = 0; trial < 4; trial++) {
      // 10 votes (the smallest voter ever tested) in 4 pairs: 40,000 distinct sums.
      const terms: SumTerm[] = [3, 3, 2, 2].map((count) => {
        const r = [0, 1, 2, 3].map(() => 0.05 + rng.nextDouble());
        const s = r.reduce((a, b) => a + b, 0);
        const p = r.map((x) => x / s) as Quad;
        return { count, p, v: p.map((x) => -Math.log(x)) as Quad };
      });
      let dist = new Map<number, number>([[0, 1]]);
      for (const t of terms) {
        for (let c = 0; c < t.count; c++) {
          const next = new Map<number, number>();
          for (const [x, px] of dist) {
            for (let o = 0; o < 4; o++) {
              const k = Math.round((x + (t.v[o] as number)) * 1e9) / 1e9;
              next.set(k, (next.get(k) ?? 0) + px * (t.p[o] as number));
            }
          }
          dist = next;
        }
      }
      const values = [...dist.keys()].sort((a, b) => b - a);
      let cum = 0;
      let checked = 0;
      for (const [rank, x] of values.entries()) {
        cum += dist.get(x) as number;
        if (cum > 1e-1) break;
        if (cum < 1e-6 || rank % 37 !== 0) continue;
        checked++;
        const sp = Math.exp(logSumUpperTail(terms, x - 1e-9));
        // Relative error ≤ 13% measured at this size, shrinking with more votes.
        expect(sp / cum).toBeGreaterThan(0.8);
        expect(sp / cum).toBeLessThan(1.25);
      }
      expect(checked).toBeGreaterThan(100);
      // Exact at the largest attainable value.
      const top = values[0] as number;
      expect(Math.exp(logSumUpperTail(terms, top))).toBeCloseTo(dist.get(top) as number, 12);
    }
  });

  it("smooths pair histories, down to a uniform prior when nothing is known", () => {
    expect(smoothedOutcomeProbabilities([0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0])).toEqual([
      0.25, 0.25, 0.25, 0.25,
    ]);
    // An unseen model pair falls back to the global outcome rates (Laplace add-one).
    const g = smoothedOutcomeProbabilities([0, 0, 0, 0], [0, 0, 0, 0], [396, 296, 196, 96]);
    expect(g[0]).toBeCloseTo(397 / 988, 12);
    expect(g[3]).toBeCloseTo(97 / 988, 12);
    // An unseen orientation borrows its mirror, with the same model winning.
    const m = smoothedOutcomeProbabilities([0, 0, 0, 0], [10, 90, 0, 0], [50, 50, 0, 0]);
    expect(m[0]).toBeGreaterThan(0.8);
    // A long history is its own empirical distribution.
    const h = smoothedOutcomeProbabilities([7000, 2000, 800, 200], [0, 0, 0, 0], [1, 1, 1, 1]);
    expect(h[0]).toBeCloseTo(0.7, 3);
    for (const q of [g, m, h]) {
      expect(q.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      for (const x of q) expect(x).toBeGreaterThan(0);
    }
  });

  it("tests at minVotes · 2^k and at the last vote", () => {
    expect(voterCheckpoints(45)).toEqual([10, 20, 40, 45]);
    expect(voterCheckpoints(40)).toEqual([10, 20, 40]);
    expect(voterCheckpoints(10)).toEqual([10]);
    expect(voterCheckpoints(30, 10, [50, 5, 25, 5])).toEqual([5, 25, 30]);
  });
});

describe("detectAnomalousVoters on a simulated arena", () => {
  it("flags ≥ 90% of adversaries at ≤ 5% false positives (15 models, 3 × 4,000 voters)", () => {
    const sims = [1, 2, 3].map((seed) => simulateArena({ seed, ratings: RATINGS, voters: 4000 }));
    const { rate, text } = run(sims);
    console.info(`anomaly simulation (alpha ${DEFAULT_ALPHA}): ${text}`);
    expect(rate("adversaries")).toBeGreaterThanOrEqual(0.9);
    expect(rate("honest")).toBeLessThanOrEqual(0.05);
    for (const kind of ["favorite", "left", "random"] as const) {
      expect(rate(kind)).toBeGreaterThanOrEqual(0.8);
    }
    expect(rate("left")).toBeGreaterThanOrEqual(0.99);
  });

  it("flags few honest voters when everybody is honest (calibration)", () => {
    const sims = [4, 5].map((seed) =>
      simulateArena({ seed, ratings: RATINGS, voters: 3000, adversaryShare: 0 }),
    );
    const { rate, text } = run(sims);
    console.info(`all honest: ${text}`);
    expect(rate("honest")).toBeLessThanOrEqual(0.05);
    // Bonferroni bounds the rate by alpha; the test is conservative in practice.
    expect(rate("honest")).toBeLessThanOrEqual(DEFAULT_ALPHA);
  });

  it("stays under 5% false positives when honest voters differ in taste and habits", () => {
    const sims = [6, 7].map((seed) =>
      simulateArena({ seed, ratings: RATINGS, voters: 3000, heterogeneous: true }),
    );
    const { rate, text } = run(sims);
    console.info(`heterogeneous honest voters: ${text}`);
    expect(rate("honest")).toBeLessThanOrEqual(0.05);
  });

  it("stays calibrated with a thin history (300 voters over 20 models)", () => {
    const sims = [8, 9, 10].map((seed) =>
      simulateArena({ seed, ratings: linearRatings(20, 850, 1250), voters: 300 }),
    );
    const { rate, text } = run(sims);
    console.info(`thin history: ${text}`);
    expect(rate("honest")).toBeLessThanOrEqual(0.05);
  });

  it("reports, without claiming, how coin-flipping voters fare (the documented limit)", () => {
    const sim = simulateArena({ seed: 12, ratings: RATINGS, voters: 2000, adversaries: ["coin"] });
    const { rate, text } = run([sim]);
    console.info(`coin flippers (A/B only): ${text}`);
    expect(rate("honest")).toBeLessThanOrEqual(0.05);
  });

  it("names the manipulation: the left side, and a favourite that is the strongest model", () => {
    const crowd = simulateArena({ seed: 13, ratings: RATINGS, voters: 800, adversaryShare: 0 });
    const votes: VoteRecord[] = [...crowd.votes];
    const rng = new Xoshiro128(14);
    const top = RATINGS.length - 1;
    for (let t = 0; t < 30; t++) {
      const a = Math.floor(rng.nextDouble() * RATINGS.length);
      const b = (a + 1 + Math.floor(rng.nextDouble() * (RATINGS.length - 1))) % RATINGS.length;
      votes.push({ voter: "lefty", a, b, outcome: 0 });
      // A promoter of the best model, who only votes when it shows up: every one of these
      // votes is that pair's commonest outcome, so only the favourite-model test can see it.
      const other =
        (top + 1 + Math.floor(rng.nextDouble() * (RATINGS.length - 1))) % RATINGS.length;
      if (t % 2 === 0) votes.push({ voter: "fan", a: top, b: other, outcome: 0 });
      else votes.push({ voter: "fan", a: other, b: top, outcome: 1 });
    }
    const rows = detectAnomalousVoters(votes);
    const lefty = rows.find((r) => r.voter === "lefty") as VoterAnomaly;
    expect(lefty.flagged).toBe(true);
    expect(lefty.test).toBe("position");
    expect(lefty.leftShare).toBe(1);
    expect(lefty.decisive).toBe(30);
    expect(lefty.reason).toMatch(/^picks the left side in 30 of 30 decisive votes \(p = /);
    const fan = rows.find((r) => r.voter === "fan") as VoterAnomaly;
    expect(fan.flagged).toBe(true);
    expect(fan.test).toBe("favorite-model");
    expect(fan.model).toBe(top);
    expect(fan.reason).toMatch(/^picks model 14 in 30 of its 30 battles/);
    // Most anomalous first.
    expect(rows[0]?.pValue).toBeLessThanOrEqual(rows[rows.length - 1]?.pValue as number);
    for (let i = 1; i < rows.length; i++) {
      expect((rows[i] as VoterAnomaly).pValue).toBeGreaterThanOrEqual(
        (rows[i - 1] as VoterAnomaly).pValue,
      );
    }
  });
});

describe("detectAnomalousVoters: determinism and edge cases", () => {
  const sim = simulateArena({ seed: 21, ratings: RATINGS, voters: 600 });

  it("is deterministic and ignores how voters' votes interleave", () => {
    const a = detectAnomalousVoters(sim.votes);
    const b = detectAnomalousVoters(sim.votes);
    expect(b).toEqual(a);
    // Same votes grouped by voter (each voter's own order kept): same answer.
    const grouped = [...sim.votes].sort((x, y) =>
      x.voter < y.voter ? -1 : x.voter > y.voter ? 1 : 0,
    );
    expect(detectAnomalousVoters(grouped)).toEqual(a);
  });

  it("never flags a voter with a single vote, however odd", () => {
    const votes: VoteRecord[] = [...sim.votes, { voter: "once", a: 0, b: 14, outcome: 0 }];
    const once = detectAnomalousVoters(votes).find((r) => r.voter === "once") as VoterAnomaly;
    expect(once).toMatchObject({ votes: 1, pValue: 1, flagged: false, test: null, decisive: 1 });
    expect(once.reason).toMatch(/only 1 vote/);
    expect(() => detectAnomalousVoters(votes, { minVotes: 1 })).toThrow(RangeError);
  });

  it("does not flag below minVotes, and does flag the same behaviour above it", () => {
    const lefty = (n: number): VoteRecord[] =>
      Array.from({ length: n }, (_, t) => ({
        voter: "lefty",
        a: t % 15,
        b: (t + 3) % 15,
        outcome: 0,
      }));
    const short = detectAnomalousVoters([...sim.votes, ...lefty(9)]).find(
      (r) => r.voter === "lefty",
    );
    expect(short?.flagged).toBe(false);
    const long = detectAnomalousVoters([...sim.votes, ...lefty(25)]).find(
      (r) => r.voter === "lefty",
    );
    expect(long?.flagged).toBe(true);
  });

  it("uses the smoothed prior for a pair nobody else voted on", () => {
    // Models 20 and 21 appear only in this voter's battles; outcomes in the crowd's global mix.
    const outcomes: (0 | 1 | 2 | 3)[] = [0, 1, 0, 1, 2, 0, 1, 3, 0, 1, 2, 1];
    const votes: VoteRecord[] = [
      ...sim.votes,
      ...outcomes.map((outcome, t) => ({
        voter: "pioneer",
        a: t % 2 === 0 ? 20 : 21,
        b: t % 2 === 0 ? 21 : 20,
        outcome,
      })),
    ];
    const row = detectAnomalousVoters(votes).find((r) => r.voter === "pioneer") as VoterAnomaly;
    expect(row.flagged).toBe(false);
    expect(row.pValue).toBeGreaterThan(0.1);
    // With no other voter at all the prior is uniform, and nothing is significant either.
    const alone = detectAnomalousVoters(votes.filter((v) => v.voter === "pioneer"));
    expect(alone).toHaveLength(1);
    expect(alone[0]?.flagged).toBe(false);
  });

  it("rejects malformed input", () => {
    expect(() => detectAnomalousVoters([{ voter: "x", a: 1, b: 1, outcome: 0 }])).toThrow(
      RangeError,
    );
    expect(() =>
      detectAnomalousVoters([{ voter: "x", a: 0, b: 1, outcome: 4 as unknown as 0 }]),
    ).toThrow(RangeError);
    expect(() => detectAnomalousVoters([{ voter: "x", a: -1, b: 1, outcome: 0 }])).toThrow(
      RangeError,
    );
    expect(() => detectAnomalousVoters([], { alpha: 0 })).toThrow(RangeError);
    expect(() => detectAnomalousVoters([], { checkpoints: [0] })).toThrow(RangeError);
    expect(detectAnomalousVoters([])).toEqual([]);
  });
});
