import type { Xoshiro128 } from "./random";

/**
 * Exact Multinomial(N, counts / N) draws — the bootstrap's resampling — at a few nanoseconds
 * per cell, by Poissonisation instead of K − 1 sequential binomials (which cost ~100 ns each
 * in JavaScript and dominated the bootstrap):
 *
 *  1. Draw Y_c ~ Poisson(λ·q_c) independently. Given ΣY = m, Y is Multinomial(m, q) whatever λ
 *     is (the classical Poissonisation identity).
 *  2. Correct the total to N: if m < N add N − m independent categorical(q) draws; if m > N
 *     remove m − N of the m balls chosen uniformly without replacement. Given m, either result
 *     is Multinomial(N, q) — adding i.i.d. draws, or keeping a uniformly random subset of
 *     i.i.d. draws, keeps them i.i.d. — so it is Multinomial(N, q) unconditionally.
 *  λ = N − 1.5·√N makes step 2 almost always a cheap addition (~1.5·√N draws at O(1) each)
 *  and the slower removal (a sweep over all cells) rare: P(m > N) ≈ 7%.
 *
 * Draws are inversions of tabulated CDFs. Cells with the same count share one Poisson table
 * (counts are integers: a million votes over 15,000 cells have a few hundred distinct values).
 * A guide table indexed by the top bits of a 32-bit uniform answers directly whenever its
 * bucket holds no CDF step — nearly always — so a cell costs one 32-bit output and one lookup.
 * When the 32-bit uniform cannot decide (a CDF step falls inside its 2^-32-wide interval), 21
 * more bits are drawn, so the inversion is exact to 53-bit resolution like any double-based
 * sampler. Poisson tables span the values whose pmf exceeds 1e-24; the mass cut off (< 1e-20)
 * is far below that resolution.
 */

const TABLE_EPSILON = 1e-24;
const TWO_POW_M32 = 2 ** -32;
const TWO_POW_M53 = 2 ** -53;

const LOG_FACTORIAL = new Float64Array(256);
for (let k = 1; k < 256; k++) LOG_FACTORIAL[k] = (LOG_FACTORIAL[k - 1] as number) + Math.log(k);

/** log(k!) — a table below 256, Stirling's series above (error < 1e-17 there). */
export function logFactorial(k: number): number {
  if (k < 256) return LOG_FACTORIAL[k] as number;
  const r = 1 / k;
  const r2 = r * r;
  return (
    (k + 0.5) * Math.log(k) -
    k +
    0.5 * Math.log(2 * Math.PI) +
    r * (1 / 12 - r2 * (1 / 360 - r2 / 1260))
  );
}

/** Poisson(mean) pmf over the values where it exceeds TABLE_EPSILON, as [first value, pmf]. */
export function poissonPmf(mean: number): [number, number[]] {
  if (!(mean > 0)) return [0, [1]];
  const mode = Math.floor(mean);
  const logMean = Math.log(mean);
  const pMode = Math.exp(-mean + mode * logMean - logFactorial(mode));
  const up: number[] = [];
  for (let y = mode + 1, p = pMode; ; y++) {
    p *= mean / y;
    if (p < TABLE_EPSILON) break;
    up.push(p);
  }
  const down: number[] = [];
  for (let y = mode, p = pMode; y > 0; y--) {
    p *= y / mean;
    if (p < TABLE_EPSILON) break;
    down.push(p);
  }
  return [mode - down.length, [...down.reverse(), pMode, ...up]];
}

/** Several discrete distributions on consecutive integers, each inverted by CDF + guide. */
class InversionTables {
  readonly base: Int32Array;
  readonly cdfAt: Int32Array;
  readonly guideAt: Int32Array;
  /** 32 − log2(guide buckets): the bucket of a 32-bit uniform x is x >>> shift. */
  readonly shift: Int32Array;
  readonly cdf: Float64Array;
  /** ≥ 0: the answer (an index into the table); < 0: −(first candidate + 1), search needed. */
  readonly guide: Int32Array;

  /**
   * `tables` are [first value, weights] (weights need not be normalised). Each guide has
   * `density` × (number of values) buckets, rounded up to a power of two: more buckets, fewer
   * of them straddle a CDF step and need the slower search.
   */
  constructor(tables: ReadonlyArray<[number, ArrayLike<number>]>, density: number) {
    const count = tables.length;
    this.base = new Int32Array(count);
    this.cdfAt = new Int32Array(count);
    this.guideAt = new Int32Array(count);
    this.shift = new Int32Array(count);
    let cdfSize = 0;
    let guideSize = 0;
    const bits = tables.map(([, w]) =>
      Math.min(30, Math.max(1, Math.ceil(Math.log2(density * w.length)))),
    );
    tables.forEach(([, w], d) => {
      cdfSize += w.length;
      guideSize += 2 ** (bits[d] as number);
    });
    this.cdf = new Float64Array(cdfSize);
    this.guide = new Int32Array(guideSize);
    let cdfAt = 0;
    let guideAt = 0;
    tables.forEach(([first, w], d) => {
      const len = w.length;
      const b = bits[d] as number;
      const buckets = 2 ** b;
      this.base[d] = first;
      this.cdfAt[d] = cdfAt;
      this.guideAt[d] = guideAt;
      this.shift[d] = 32 - b;
      let acc = 0;
      for (let e = 0; e < len; e++) {
        acc += w[e] as number;
        this.cdf[cdfAt + e] = acc;
      }
      for (let e = 0; e < len; e++) this.cdf[cdfAt + e] = (this.cdf[cdfAt + e] as number) / acc;
      this.cdf[cdfAt + len - 1] = 1;
      // answer(U) = min{e : cdf[e] > U}; constant on a bucket iff cdf[answer(low edge)] ≥ high edge
      let e = 0;
      for (let g = 0; g < buckets; g++) {
        const low = g / buckets;
        while ((this.cdf[cdfAt + e] as number) <= low) e++;
        const pure = (this.cdf[cdfAt + e] as number) >= (g + 1) / buckets;
        this.guide[guideAt + g] = pure ? e : -(e + 1);
      }
      cdfAt += len;
      guideAt += buckets;
    });
  }

  /**
   * The value of table d at the 32-bit uniform x (an int32 holding the bits), searching from
   * entry `start`; draws 21 more bits from rng only if x alone cannot decide. The hot loops
   * read the guide themselves and only call this when the guide's bucket is not pure.
   */
  search(d: number, start: number, x: number, rng: Xoshiro128): number {
    const at = this.cdfAt[d] as number;
    const cdf = this.cdf;
    const u = (x >>> 0) * TWO_POW_M32;
    let e = at + start;
    while ((cdf[e] as number) <= u) e++;
    if ((cdf[e] as number) < u + TWO_POW_M32) {
      // a CDF step lies inside [u, u + 2^-32): let 21 more bits decide
      const fine = u + (rng.nextUint32() >>> 11) * TWO_POW_M53;
      while ((cdf[e] as number) <= fine) e++;
    }
    return e - at;
  }
}

/**
 * Y_c ~ Poisson for every cell; returns ΣY. A free function with nothing after its loop but a
 * return: V8 compiles such loops on-stack during the first call, and code that first runs after
 * the loop would lack type feedback and deoptimise on every call.
 */
function poissonCells(
  sampler: CellTables,
  bits: Int32Array,
  rng: Xoshiro128,
  out: Float64Array,
): number {
  const { tables, cellTable, cellGuide, cellShift, cellBase } = sampler;
  const guide = tables.guide;
  let m = 0;
  for (let c = 0; c < cellGuide.length; c++) {
    const x = bits[c] as number;
    const g = guide[(cellGuide[c] as number) + (x >>> (cellShift[c] as number))] as number;
    const y =
      (cellBase[c] as number) +
      (g >= 0 ? g : tables.search(cellTable[c] as number, -g - 1, x, rng));
    out[c] = y;
    m += y;
  }
  return m;
}

/** Each cell's Poisson table, with its guide offset, shift and base copied per cell so the hot loop does one indirection less. */
interface CellTables {
  tables: InversionTables;
  cellTable: Int32Array;
  cellGuide: Int32Array;
  cellShift: Uint8Array;
  cellBase: Int32Array;
}

/** Adds one to the cell of each categorical draw (table 0 of `tables`, one per 32-bit uniform). */
function categoricalDraws(
  tables: InversionTables,
  bits: Int32Array,
  rng: Xoshiro128,
  out: Float64Array,
): void {
  const guide = tables.guide;
  const shift = tables.shift[0] as number;
  for (let x = 0; x < bits.length; x++) {
    const u = bits[x] as number;
    const g = guide[u >>> shift] as number;
    const c = g >= 0 ? g : tables.search(0, -g - 1, u, rng);
    out[c] = (out[c] as number) + 1;
  }
}

export class MultinomialSampler {
  private readonly k: number;
  private readonly total: number;
  /** Poisson table of each cell (an empty cell's table always gives 0). */
  private readonly cells: CellTables;
  /** One table over the cells: categorical(q), for the additions. */
  private readonly categorical: InversionTables;
  private readonly bits: Int32Array;
  private extraBits = new Int32Array(4096);

  /** `counts` are the observed cell counts (whole numbers); N = their sum. */
  constructor(
    counts: ArrayLike<number>,
    private readonly rng: Xoshiro128,
  ) {
    const k = counts.length;
    this.k = k;
    let total = 0;
    const distinct = new Map<number, number>();
    const cellTable = new Int32Array(k);
    for (let c = 0; c < k; c++) {
      const x = counts[c] as number;
      if (!Number.isInteger(x) || x < 0)
        throw new RangeError(`cell counts must be whole numbers, got ${x}`);
      total += x;
      const d = distinct.get(x) ?? distinct.size;
      distinct.set(x, d);
      cellTable[c] = d;
    }
    this.total = total;
    const lambda = Math.max(total - 1.5 * Math.sqrt(total), total / 2);
    const ratio = total > 0 ? lambda / total : 0;
    const tables = new InversionTables(
      [...distinct.keys()].map((x) => poissonPmf(x * ratio)),
      4,
    );
    this.cells = {
      tables,
      cellTable,
      cellGuide: cellTable.map((d) => tables.guideAt[d] as number),
      cellShift: Uint8Array.from(cellTable, (d) => tables.shift[d] as number),
      cellBase: cellTable.map((d) => tables.base[d] as number),
    };
    this.categorical = new InversionTables([[0, total > 0 ? counts : [1]]], 8);
    this.bits = new Int32Array(k);
  }

  /** One Multinomial(N, q) draw into `out` (length K). */
  sample(out: Float64Array): void {
    // All uniforms first, then all lookups: two tight loops beat one interleaved loop.
    this.rng.fillUint32(this.bits);
    const m = poissonCells(this.cells, this.bits, this.rng, out);
    if (m < this.total) this.add(out, this.total - m);
    else if (m > this.total) this.remove(out, m, m - this.total);
  }

  /** Adds `extra` i.i.d. categorical(q) draws. */
  private add(out: Float64Array, extra: number): void {
    if (this.extraBits.length < extra) this.extraBits = new Int32Array(2 * extra);
    const bits = this.extraBits.subarray(0, extra);
    this.rng.fillUint32(bits);
    categoricalDraws(this.categorical, bits, this.rng, out);
  }

  /**
   * Removes `excess` of the `m` balls, a uniformly random subset: sorted distinct ball
   * positions (a duplicate is replaced by a fresh position not yet taken, which keeps the
   * subset uniform), then one sweep along the cells' running totals. Rare by the choice of λ.
   */
  private remove(out: Float64Array, m: number, excess: number): void {
    const drawn = new Float64Array(excess);
    for (let x = 0; x < excess; x++) drawn[x] = Math.floor(this.rng.nextDouble() * m);
    drawn.sort();
    const pos: number[] = [];
    for (const b of drawn) if (pos.length === 0 || pos[pos.length - 1] !== b) pos.push(b);
    while (pos.length < excess) {
      const b = Math.floor(this.rng.nextDouble() * m);
      let lo = 0;
      let hi = pos.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((pos[mid] as number) < b) lo = mid + 1;
        else hi = mid;
      }
      if (pos[lo] !== b) pos.splice(lo, 0, b);
    }
    let p = 0;
    let running = 0;
    for (let c = 0; c < this.k && p < excess; c++) {
      const y = out[c] as number;
      running += y;
      let removed = 0;
      while (p < excess && (pos[p] as number) < running) {
        removed++;
        p++;
      }
      if (removed > 0) out[c] = y - removed;
    }
  }
}
