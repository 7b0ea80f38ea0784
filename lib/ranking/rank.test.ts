import { describe, expect, it } from "vitest";
import { rankUpperBound } from "./rank";

describe("rankUpperBound", () => {
  it("is 1 + the number of models whose lower bound is above this model's upper bound", () => {
    //            A     B     C     D     E
    const lower = [1200, 1190, 1100, 1095, 900];
    const upper = [1250, 1215, 1180, 1105, 1000];
    // A: nobody's lower > 1250 → 1.  B: nobody > 1215 → 1 (overlaps A).
    // C: A, B have lower > 1180 → 3.  D: A, B, C (1100 < 1105? no) → 3.  E: A, B, C, D → 5.
    expect(rankUpperBound(lower, upper)).toEqual([1, 1, 3, 3, 5]);
  });

  it("treats touching bounds as overlapping and handles infinite intervals", () => {
    expect(rankUpperBound([10, 5], [20, 10])).toEqual([1, 1]);
    expect(rankUpperBound([10, Number.NEGATIVE_INFINITY], [20, Number.POSITIVE_INFINITY])).toEqual([
      1, 1,
    ]);
    expect(
      rankUpperBound([10, 0, Number.NEGATIVE_INFINITY], [20, 5, Number.POSITIVE_INFINITY]),
    ).toEqual([1, 2, 1]);
  });

  it("rejects mismatched lengths", () => {
    expect(() => rankUpperBound([1], [1, 2])).toThrow(RangeError);
  });
});
