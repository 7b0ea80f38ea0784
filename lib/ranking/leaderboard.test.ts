import { describe, expect, it } from "vitest";
import { WINNER } from "../winner";
import { computeLeaderboard } from "./leaderboard";
import { FIVE, m } from "./test-helpers";

const NAMES = ["alpha", "bravo", "charlie", "delta", "echo"];

describe("computeLeaderboard", () => {
  it("returns one row per model, best first, with consistent ranks and intervals", () => {
    const rows = computeLeaderboard(NAMES, FIVE, { rounds: 300 });
    expect(rows.map((r) => r.model).sort()).toEqual([...NAMES].sort());
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i - 1]?.rating).toBeGreaterThanOrEqual(rows[i]?.rating as number);
      expect(rows[i - 1]?.rank).toBeLessThanOrEqual(rows[i]?.rank as number);
    }
    expect(rows[0]?.rank).toBe(1);
    for (const r of rows) {
      expect(r.ciLower).toBeLessThan(r.rating);
      expect(r.ciUpper).toBeGreaterThan(r.rating);
      expect(r.votes).toBeGreaterThan(0);
      expect(r.eloRating).toBeUndefined();
    }
  });

  it("anchors by model name, supports sandwich CIs and adds online Elo from votes", () => {
    const votes = { a: [0, 1], b: [1, 2], outcome: [WINNER.a.code, WINNER.tie.code] };
    const rows = computeLeaderboard(NAMES, FIVE, {
      ci: "sandwich",
      anchor: { model: "charlie", rating: 1114 },
      votes,
    });
    const charlie = rows.find((r) => r.model === "charlie");
    expect(charlie?.rating).toBeCloseTo(1114, 9);
    expect(charlie?.ciLower).toBeCloseTo(1114, 9);
    expect(rows.every((r) => typeof r.eloRating === "number")).toBe(true);
    expect(() => computeLeaderboard(NAMES, FIVE, { anchor: { model: "zulu", rating: 1 } })).toThrow(
      /zulu/,
    );
  });

  it("ranks each comparison component apart, the largest first, each on its own scale", () => {
    // FIVE (models 0–4) beside a demo pair (5, 6) that never met any of them; the demo pair's
    // strong model must not be ranked above the others, nor push them down
    const demo = [m(5, 6, 90, 10)];
    const names = [...NAMES, "demo-strong", "demo-weak"];
    for (const ci of ["sandwich", "bootstrap"] as const) {
      const rows = computeLeaderboard(names, [...FIVE, ...demo], { ci, rounds: 200 });
      const main = computeLeaderboard(NAMES, FIVE, { ci, rounds: 200 });
      const apart = computeLeaderboard(["demo-strong", "demo-weak"], [m(0, 1, 90, 10)], {
        ci,
        rounds: 200,
      });
      expect(rows.map((r) => [r.model, r.component])).toEqual([
        ...main.map((r) => [r.model, 0]),
        ["demo-strong", 1],
        ["demo-weak", 1],
      ]);
      // the same ratings as each component fitted alone; with the sandwich the same intervals
      // and ranks too (a bootstrap round resamples both components together, so its bounds differ)
      rows.forEach((r, k) => {
        const alone = (k < 5 ? main[k] : apart[k - 5]) as (typeof rows)[number];
        expect(r.rating).toBeCloseTo(alone.rating, 6);
        if (ci === "bootstrap") return;
        expect(r.ciUpper).toBeCloseTo(alone.ciUpper, 6);
        expect([r.rank, r.worstRank]).toEqual([alone.rank, alone.worstRank]);
      });
      for (const r of rows) {
        const mates = rows.filter((o) => o !== r && o.component === r.component);
        expect(r.rank).toBe(1 + mates.filter((o) => o.ciLower > r.ciUpper).length);
        expect(r.worstRank).toBe(1 + mates.filter((o) => o.ciUpper > r.ciLower).length);
      }
      expect(rows[5]?.rank).toBe(1);
      expect(rows[6]?.rank).toBe(2);
    }
  });

  it("gives every row its rank spread", () => {
    const rows = computeLeaderboard(NAMES, FIVE, { ci: "sandwich" });
    for (const r of rows) {
      const others = rows.filter((o) => o !== r);
      expect(r.rank).toBe(1 + others.filter((o) => o.ciLower > r.ciUpper).length);
      expect(r.worstRank).toBe(1 + others.filter((o) => o.ciUpper > r.ciLower).length);
    }
  });
});
