import { describe, expect, it } from "vitest";
import { WINNER } from "../winner";
import { computeLeaderboard } from "./leaderboard";
import { FIVE } from "./test-helpers";

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
});
