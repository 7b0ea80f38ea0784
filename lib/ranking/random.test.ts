import { describe, expect, it } from "vitest";
import { Xoshiro128 } from "./random";

describe("Xoshiro128", () => {
  it("is deterministic per seed and differs between seeds", () => {
    const a = new Xoshiro128(7);
    const b = new Xoshiro128(7);
    const c = new Xoshiro128(8);
    const xs = Array.from({ length: 5 }, () => a.nextDouble());
    expect(Array.from({ length: 5 }, () => b.nextDouble())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.nextDouble())).not.toEqual(xs);
  });

  it("fill and fillUint32 continue the same stream as the one-at-a-time calls", () => {
    const one = new Xoshiro128(123);
    const batch = new Xoshiro128(123);
    const expected = Array.from({ length: 9 }, () => one.nextDouble());
    const got = new Float64Array(9);
    batch.fill(got);
    expect(Array.from(got)).toEqual(expected);
    const ints = new Uint32Array(5);
    batch.fillUint32(ints);
    expect(Array.from(ints)).toEqual(Array.from({ length: 5 }, () => one.nextUint32()));
  });

  it("produces uniforms in [0, 1) with the right mean", () => {
    const r = new Xoshiro128(1);
    const xs = new Float64Array(200_000);
    r.fill(xs);
    let sum = 0;
    let min = 1;
    let max = 0;
    for (const x of xs) {
      sum += x;
      if (x < min) min = x;
      if (x > max) max = x;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(sum / xs.length).toBeCloseTo(0.5, 2);
  });

  it("accepts any safe integer seed and rejects others", () => {
    expect(() => new Xoshiro128(2 ** 52 + 3)).not.toThrow();
    expect(() => new Xoshiro128(0.5)).toThrow(RangeError);
  });
});
