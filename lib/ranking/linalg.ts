/**
 * Dense symmetric positive-definite algebra on row-major Float64Arrays. Hand-written because
 * the systems are small (models × models), hot (once per Newton step) and must not allocate.
 */

/**
 * In-place Cholesky (Cholesky–Banachiewicz, row by row so the inner loop walks two contiguous
 * rows). On return the lower triangle holds L with A = L·Lᵀ; the strict upper triangle is
 * left untouched and must be ignored. Returns false if A is not numerically positive definite.
 */
export function choleskyInPlace(a: Float64Array, n: number): boolean {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let s = a[ri + j] as number;
      for (let k = 0; k < j; k++) s -= (a[ri + k] as number) * (a[rj + k] as number);
      if (i === j) {
        if (!(s > 0)) return false;
        a[ri + i] = Math.sqrt(s);
      } else {
        a[ri + j] = s / (a[rj + j] as number);
      }
    }
  }
  return true;
}

/** Solves (L·Lᵀ) x = b with a factor from {@link choleskyInPlace}; `x` may alias `b`. */
export function choleskySolve(
  l: Float64Array,
  n: number,
  b: ArrayLike<number>,
  x: Float64Array,
): void {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= (l[ri + k] as number) * (x[k] as number);
    x[i] = s / (l[ri + i] as number);
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i] as number;
    for (let k = i + 1; k < n; k++) s -= (l[k * n + i] as number) * (x[k] as number);
    x[i] = s / (l[i * n + i] as number);
  }
}

/** A⁻¹ (full, symmetric) from a Cholesky factor of A. */
export function choleskyInverse(l: Float64Array, n: number): Float64Array {
  const inv = new Float64Array(n * n);
  const col = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    col.fill(0);
    col[c] = 1;
    choleskySolve(l, n, col, col);
    for (let r = 0; r < n; r++) inv[r * n + c] = col[r] as number;
  }
  return inv;
}
