import { describe, expect, it } from "vitest";
import { intervalStatus, oneSidedModels } from "./interval-status";
import { computeLeaderboard } from "./leaderboard";
import { FIVE, m } from "./test-helpers";
import type { Matchup } from "./types";

const MIN_VOTES = 100;

function statuses(models: string[], matchups: Matchup[], ci: "bootstrap" | "sandwich") {
  const oneSided = oneSidedModels(models.length, matchups);
  return computeLeaderboard(models, matchups, { ci, rounds: 200, seed: 1 }).map((r) => ({
    model: r.model,
    status: intervalStatus(
      { ...r, oneSided: oneSided[models.indexOf(r.model)] ?? false },
      MIN_VOTES,
    ),
    shown: [Math.round(r.ciUpper - r.rating), Math.round(r.rating - r.ciLower)],
  }));
}

describe.each(["bootstrap", "sandwich"] as const)("intervalStatus (%s)", (ci) => {
  it("calls the +0/−0 of one to three all-tie votes too few votes", () => {
    for (const ties of [1, 2, 3]) {
      for (const r of statuses(["a", "b"], [m(0, 1, 0, 0, ties)], ci)) {
        expect(r.shown).toEqual([0, 0]);
        expect(r.status).toBe("too-few-votes");
      }
    }
  });

  it("calls the interval of four one-sided votes too few votes", () => {
    for (const r of statuses(["a", "b", "c"], [m(0, 1, 2, 0), m(2, 1, 2, 0)], ci)) {
      expect(r.status).toBe("too-few-votes");
    }
  });

  it("keeps real intervals of provisional models", () => {
    // 21–22 votes each, every model with wins and losses: wide but meaningful
    const small = [m(0, 1, 8, 2, 1), m(1, 2, 5, 4, 2), m(0, 2, 7, 3)];
    for (const r of statuses(["a", "b", "c"], small, ci)) expect(r.status).toBe("estimated");
    // 88–139 votes each
    for (const r of statuses(["a", "b", "c", "d", "e"], FIVE, ci)) {
      expect(r.status).toBe("estimated");
    }
  });
});

describe("intervalStatus rules", () => {
  const row = { rating: 1000, ciLower: 900, ciUpper: 1100, votes: 50, oneSided: false };

  it("judges only provisional models", () => {
    const degenerate = { ...row, ciLower: 1000, ciUpper: 1000 };
    expect(intervalStatus(degenerate, 100)).toBe("too-few-votes");
    expect(intervalStatus({ ...degenerate, votes: 100 }, 100)).toBe("estimated");
    expect(intervalStatus({ ...row, ciLower: 500, ciUpper: 1500, votes: 99 }, 100)).toBe(
      "too-few-votes",
    );
    expect(intervalStatus({ ...row, ciLower: 500, ciUpper: 1500, votes: 100 }, 100)).toBe(
      "estimated",
    );
  });

  it("refuses a side that prints as 0, a one-sided record and a non-finite bound", () => {
    expect(intervalStatus(row, 100)).toBe("estimated");
    expect(intervalStatus({ ...row, ciLower: 999.6 }, 100)).toBe("too-few-votes");
    expect(intervalStatus({ ...row, oneSided: true }, 100)).toBe("too-few-votes");
    expect(intervalStatus({ ...row, ciUpper: Number.NaN }, 100)).toBe("too-few-votes");
  });

  it("finds the models that won or lost every vote, ties as half", () => {
    const matchups = [m(0, 1, 3, 0), m(2, 3, 0, 2), m(1, 3, 1, 1, 1)];
    expect(oneSidedModels(5, matchups)).toEqual([true, false, true, false, false]);
  });
});
