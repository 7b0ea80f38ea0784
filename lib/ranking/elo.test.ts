import { describe, expect, it } from "vitest";
import { WINNER } from "../winner";
import { onlineElo } from "./elo";

describe("onlineElo", () => {
  it("applies K·(score − expected) in vote order", () => {
    const votes = {
      a: [0, 1, 0],
      b: [1, 0, 1],
      outcome: [WINNER.a.code, WINNER.tie.code, WINNER.b.code],
    };
    const r = onlineElo(2, votes);
    // vote 1: equal ratings, expected ½ → ±2
    let a = 1002;
    let b = 998;
    // vote 2: b (left) vs a, tie
    let e = 1 / (1 + 10 ** ((a - b) / 400));
    b += 4 * (0.5 - e);
    a -= 4 * (0.5 - e);
    // vote 3: a (left) loses to b
    e = 1 / (1 + 10 ** ((b - a) / 400));
    a += 4 * (0 - e);
    b -= 4 * (0 - e);
    expect(r[0]).toBeCloseTo(a, 10);
    expect(r[1]).toBeCloseTo(b, 10);
  });

  it("depends on vote order, unlike Bradley–Terry", () => {
    const forward = onlineElo(2, { a: [0, 0], b: [1, 1], outcome: [WINNER.a.code, WINNER.b.code] });
    const backward = onlineElo(2, {
      a: [0, 0],
      b: [1, 1],
      outcome: [WINNER.b.code, WINNER.a.code],
    });
    expect(forward[0]).not.toBeCloseTo(backward[0] as number, 6);
  });

  it("honours k and initRating and validates its input", () => {
    expect(
      onlineElo(2, { a: [0], b: [1], outcome: [WINNER.bothbad.code] }, { initRating: 1500 }),
    ).toEqual([1500, 1500]);
    expect(onlineElo(2, { a: [0], b: [1], outcome: [WINNER.a.code] }, { k: 32 })).toEqual([
      1016, 984,
    ]);
    expect(() => onlineElo(2, { a: [0], b: [2], outcome: [0] })).toThrow(/out of range/);
    expect(() => onlineElo(2, { a: [0], b: [1, 0], outcome: [0] })).toThrow(/same length/);
  });
});
