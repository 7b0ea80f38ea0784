import { describe, expect, it } from "vitest";
import { battleComponents, comparisonComponents } from "./components";
import { FIVE, m } from "./test-helpers";

describe("comparisonComponents", () => {
  it("is one component when every model met the others directly or through others", () => {
    expect(comparisonComponents(5, FIVE)).toEqual({
      component: [0, 0, 0, 0, 0],
      members: [[0, 1, 2, 3, 4]],
    });
  });

  it("splits models that never met, directly or through others; the largest is 0", () => {
    // {1, 3, 5} through 1–3 and 5–3; {0, 4}; 2 and 6 only in a matchup with 0 votes: no votes,
    // so they wait on the leaderboard proper instead of standing apart each alone
    const result = comparisonComponents(7, [
      m(1, 3, 2, 1),
      m(5, 3, 0, 1),
      m(4, 0, 1, 1, 1),
      m(6, 2, 0, 0),
    ]);
    expect(result.members).toEqual([
      [1, 2, 3, 5, 6],
      [0, 4],
    ]);
    expect(result.component).toEqual([1, 0, 0, 0, 1, 0, 0]);
  });

  it("is one component when no model has a vote yet (a fresh arena)", () => {
    expect(comparisonComponents(3, [])).toEqual({ component: [0, 0, 0], members: [[0, 1, 2]] });
  });

  it("breaks a tie in size by votes, then by the lowest model index", () => {
    expect(comparisonComponents(4, [m(0, 1, 1, 0), m(2, 3, 5, 5)]).members).toEqual([
      [2, 3],
      [0, 1],
    ]);
    expect(comparisonComponents(4, [m(3, 2, 1, 0), m(0, 1, 0, 1)]).members).toEqual([
      [0, 1],
      [2, 3],
    ]);
  });

  it("joins two halves as soon as one vote links them", () => {
    const halves = [m(0, 1, 3, 1), m(2, 3, 1, 3)];
    expect(comparisonComponents(4, halves).members).toHaveLength(2);
    expect(comparisonComponents(4, [...halves, m(1, 2, 0, 0, 1)]).members).toEqual([[0, 1, 2, 3]]);
  });

  it("battleComponents finds the same from votes listed one by one, with their counts", () => {
    const tallies = [m(1, 3, 2, 1), m(5, 3, 0, 1), m(4, 0, 1, 1, 1), m(6, 2, 0, 0)];
    const a = [1, 5, 4, 6];
    const b = [3, 3, 0, 2];
    const counts = [3, 1, 3, 0];
    expect(battleComponents(7, a, b, counts)).toEqual(comparisonComponents(7, tallies));
    // without counts every row is one vote: 6–2 then links
    expect(battleComponents(7, a, b).members).toEqual([
      [1, 3, 5],
      [0, 4],
      [2, 6],
    ]);
    expect(() => battleComponents(3, [0], [3])).toThrow(RangeError);
  });
});
