import { describe, expect, it } from "vitest";
import { choleskyInPlace, choleskyInverse, choleskySolve } from "./linalg";

function spd(n: number): Float64Array {
  // A = B·Bᵀ + n·I, B with a fixed pattern: symmetric positive definite
  const b = Array.from({ length: n * n }, (_, k) => Math.sin(k + 1));
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = i === j ? n : 0;
      for (let k = 0; k < n; k++) s += (b[i * n + k] as number) * (b[j * n + k] as number);
      a[i * n + j] = s;
    }
  return a;
}

function multiply(a: Float64Array, x: ArrayLike<number>, n: number): number[] {
  return Array.from({ length: n }, (_, i) => {
    let s = 0;
    for (let k = 0; k < n; k++) s += (a[i * n + k] as number) * (x[k] as number);
    return s;
  });
}

describe("Cholesky", () => {
  const n = 7;
  const a = spd(n);
  const b = Array.from({ length: n }, (_, i) => i - 3);

  it("solves A x = b", () => {
    const l = Float64Array.from(a);
    expect(choleskyInPlace(l, n)).toBe(true);
    const x = new Float64Array(n);
    choleskySolve(l, n, b, x);
    multiply(a, x, n).forEach((v, i) => {
      expect(v).toBeCloseTo(b[i] as number, 10);
    });
  });

  it("inverts A", () => {
    const l = Float64Array.from(a);
    choleskyInPlace(l, n);
    const inv = choleskyInverse(l, n);
    for (let c = 0; c < n; c++) {
      const col = Array.from({ length: n }, (_, r) => inv[r * n + c] as number);
      multiply(a, col, n).forEach((v, r) => {
        expect(v).toBeCloseTo(r === c ? 1 : 0, 10);
      });
    }
  });

  it("reports a matrix that is not positive definite", () => {
    expect(choleskyInPlace(Float64Array.from([1, 2, 2, 1]), 2)).toBe(false);
  });
});
