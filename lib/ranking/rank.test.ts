import { describe, expect, it } from "vitest";
import { rankSpread, rankSpreadByComponent, rankUpperBound } from "./rank";

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

describe("rankSpread", () => {
  //            A     B     C     D     E
  const lower = [1200, 1190, 1100, 1095, 900];
  const upper = [1250, 1215, 1180, 1105, 1000];

  it("worst rank is 1 + the number of other models whose upper bound is above its lower bound", () => {
    // A: B's 1215 > 1200 → 2.  B: A's 1250 > 1190 → 2.  C: A, B, D (1105 > 1100) → 4.
    // D: A, B, C (1180 > 1095) → 4.  E: A, B, C, D → 5.
    const { best, worst } = rankSpread(lower, upper);
    expect(best).toEqual(rankUpperBound(lower, upper));
    expect(best).toEqual([1, 1, 3, 3, 5]);
    expect(worst).toEqual([2, 2, 4, 4, 5]);
  });

  it("agrees with counting every pair directly, and best ≤ worst", () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let trial = 0; trial < 50; trial++) {
      const n = 1 + Math.floor(random() * 12);
      const mid = Array.from({ length: n }, () => Math.round(random() * 100));
      const half = Array.from({ length: n }, () => Math.round(random() * 20));
      const lo = mid.map((x, k) => x - (half[k] as number));
      const hi = mid.map((x, k) => x + (half[k] as number));
      const { best, worst } = rankSpread(lo, hi);
      for (let i = 0; i < n; i++) {
        let above = 0;
        for (let j = 0; j < n; j++) if (j !== i && (hi[j] as number) > (lo[i] as number)) above++;
        expect(worst[i]).toBe(1 + above);
        expect(best[i]).toBeLessThanOrEqual(worst[i] as number);
      }
    }
  });

  it("touching bounds do not count; point intervals and unbounded ones are handled", () => {
    // B's upper equals A's lower: B cannot be better than A
    expect(rankSpread([10, 5], [20, 10]).worst).toEqual([1, 2]);
    // a zero-width interval (an anchor) is not above itself
    expect(rankSpread([10, 10], [10, 10])).toEqual({ best: [1, 1], worst: [1, 1] });
    // no votes: from first to last place; it could also be better than everyone else
    const inf = rankSpread([10, 0, Number.NEGATIVE_INFINITY], [20, 5, Number.POSITIVE_INFINITY]);
    expect(inf).toEqual({ best: [1, 2, 1], worst: [2, 3, 3] });
  });
});

describe("rankSpreadByComponent", () => {
  it("counts only models of the same component", () => {
    // 0 and 2 together, 1 and 3 together: 1's interval is far above 0's but does not count
    const component = [0, 1, 0, 1];
    const lower = [100, 500, 90, 400];
    const upper = [120, 520, 110, 420];
    expect(rankSpreadByComponent(component, lower, upper)).toEqual({
      best: [1, 1, 1, 2],
      worst: [2, 1, 2, 2],
    });
    expect(rankSpread(lower, upper)).toEqual({ best: [3, 1, 3, 2], worst: [4, 1, 4, 2] });
  });
});
