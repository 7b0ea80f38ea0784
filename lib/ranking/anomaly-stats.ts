/**
 * Small exact statistics used by the anomalous-voter test ({@link ./anomaly.ts}): the
 * χ² tail for Fisher's method, the Rao–Blackwellised log score of a randomised discrete
 * p-value, Poisson-binomial upper tails, and the smoothed outcome distribution of an ordered
 * model pair. Everything works in log space where p-values can be astronomically small.
 */

/** Outcome counts or probabilities in `WINNER[w].code` order (lib/winner.ts): [A wins, B wins, tie, both bad]. */
export type Quad = [number, number, number, number];

const LN_MIN_P = Math.log(Number.MIN_VALUE);

/**
 * log P(χ²_{2k} ≥ x). For even degrees of freedom the tail is a Poisson sum,
 * P(χ²_{2k} ≥ x) = e^{−x/2} Σ_{i<k} (x/2)^i / i!, evaluated term by term with a running
 * log-sum-exp, so it is exact (to rounding) for any k and for tails far below 1e-308. O(k).
 */
export function logChi2SfEven(x: number, k: number): number {
  if (!(k >= 1)) throw new RangeError(`k must be ≥ 1, got ${k}`);
  if (!(x > 0)) return 0;
  const h = x / 2;
  const logH = Math.log(h);
  let logTerm = -h; // log of e^{−h} h^i / i! for i = 0
  let max = logTerm;
  let sum = 1; // Σ exp(logTerm_i − max)
  for (let i = 1; i < k; i++) {
    logTerm += logH - Math.log(i);
    if (logTerm > max) {
      sum = sum * Math.exp(max - logTerm) + 1;
      max = logTerm;
    } else {
      sum += Math.exp(logTerm - max);
    }
  }
  return Math.min(0, max + Math.log(sum));
}

/**
 * E[−2 ln U] for U ~ Uniform(lo, hi), 0 ≤ lo < hi ≤ 1: the Rao–Blackwellised Fisher term of a
 * randomised p-value. A discrete outcome whose "at least as extreme" set has probability hi
 * and "strictly more extreme" set probability lo has the randomised p-value U ~ U(lo, hi),
 * which is exactly Uniform(0, 1) under the null, so −2 ln U is exactly χ²₂ (mean 2). Averaging
 * out the auxiliary randomness keeps the mean at exactly 2 and only lowers the variance, and
 * the result is deterministic.
 */
export function expectedFisherTerm(lo: number, hi: number): number {
  if (!(hi > lo)) return -2 * Math.log(Math.max(hi, Number.MIN_VALUE));
  const xlogx = (x: number) => (x > 0 ? x * Math.log(x) : 0);
  return 2 * (1 - (xlogx(hi) - xlogx(lo)) / (hi - lo));
}

/** Kullback–Leibler divergence of Bernoulli(x) from Bernoulli(y), in nats. */
function bernoulliKl(x: number, y: number): number {
  let kl = 0;
  if (x > 0) kl += x * Math.log(x / y);
  if (x < 1) kl += (1 - x) * Math.log((1 - x) / (1 - y));
  return kl;
}

/** Streams longer than this switch from the exact O(n²) recursion to the Chernoff bound. */
export const EXACT_POISSON_BINOMIAL_LIMIT = 1024;

/**
 * The number of successes S of independent Bernoulli trials with known, unequal success
 * probabilities (a Poisson-binomial variable), built one trial at a time, and the upper
 * tail P(S ≥ observed successes) under those probabilities — the p-value of "more successes
 * than the null predicts".
 *
 * Exact by the textbook recursion while the stream has at most
 * {@link EXACT_POISSON_BINOMIAL_LIMIT} trials (O(n) per trial). Longer streams (one voter with
 * thousands of votes) use the Chernoff bound with the mean success probability p̄,
 * P(S ≥ s) ≤ exp(−n·KL(s/n ‖ p̄)) for s ≥ n·p̄, which holds for the Poisson-binomial because
 * its moment generating function is at most the binomial(n, p̄) one (AM–GM); it is
 * conservative, so a p-value from it is still valid, and the cost stays O(1) per trial.
 */
export class PoissonBinomialTail {
  trials = 0;
  successes = 0;
  private sumP = 0;
  /** dist[c] = P(S = c) under the null after the trials so far; null past the exact limit. */
  private dist: number[] | null = [1];

  add(p: number, success: boolean): void {
    const q = p < 0 ? 0 : p > 1 ? 1 : p;
    this.trials++;
    this.sumP += q;
    if (success) this.successes++;
    const d = this.dist;
    if (d === null) return;
    if (this.trials > EXACT_POISSON_BINOMIAL_LIMIT) {
      this.dist = null;
      return;
    }
    // Fold in one more trial, highest count first.
    d.push((d[d.length - 1] as number) * q);
    for (let c = d.length - 2; c > 0; c--) {
      d[c] = (d[c] as number) * (1 - q) + (d[c - 1] as number) * q;
    }
    d[0] = (d[0] as number) * (1 - q);
  }

  /** P(S ≥ successes) under the null probabilities; 1 when nothing was observed. */
  upperTail(): number {
    const s = this.successes;
    if (s === 0) return 1;
    const d = this.dist;
    if (d !== null) {
      let tail = 0;
      for (let c = d.length - 1; c >= s; c--) tail += d[c] as number;
      return Math.min(1, tail);
    }
    const n = this.trials;
    const mean = this.sumP / n;
    const x = s / n;
    if (x <= mean) return 1;
    const log = -n * bernoulliKl(x, mean);
    return log < LN_MIN_P ? 0 : Math.exp(log);
  }
}

/** Pseudo-votes given to the prior when smoothing an ordered pair's outcome distribution. */
export const PRIOR_STRENGTH = 4;

/**
 * The null distribution of one vote's outcome on the ordered pair (a on the left, b on the
 * right), smoothed hierarchically so that a pair with little or no history is still usable:
 *
 *   global(o)    = (G_o + 1) / (ΣG + 4)                 Laplace add-one over all other votes;
 *                                                        uniform 1/4 when there are none
 *   unordered(o) = (H_ab(o) + H_ba(õ) + κ·global(o)) / (n_ab + n_ba + κ)
 *   ordered(o)   = (H_ab(o) + κ·unordered(o)) / (n_ab + κ)
 *
 * where H_ab is the history of the same ordered pair, H_ba that of the mirrored pair with the
 * sides swapped (õ swaps "A wins" and "B wins": the same model winning), G the outcome counts
 * of all other votes, and κ = {@link PRIOR_STRENGTH}. A pair with a long history is its own
 * empirical distribution (side effects included); an unseen ordered pair borrows its mirror;
 * an unseen model pair falls back to the global outcome rates. Every probability is > 0.
 */
export function smoothedOutcomeProbabilities(
  ordered: Readonly<Quad>,
  mirrored: Readonly<Quad>,
  global: Readonly<Quad>,
  kappa = PRIOR_STRENGTH,
): Quad {
  const gTotal = global[0] + global[1] + global[2] + global[3];
  const g: Quad = [
    (global[0] + 1) / (gTotal + 4),
    (global[1] + 1) / (gTotal + 4),
    (global[2] + 1) / (gTotal + 4),
    (global[3] + 1) / (gTotal + 4),
  ];
  const nAb = ordered[0] + ordered[1] + ordered[2] + ordered[3];
  const nBa = mirrored[0] + mirrored[1] + mirrored[2] + mirrored[3];
  const uDen = nAb + nBa + kappa;
  const u: Quad = [
    (ordered[0] + mirrored[1] + kappa * g[0]) / uDen,
    (ordered[1] + mirrored[0] + kappa * g[1]) / uDen,
    (ordered[2] + mirrored[2] + kappa * g[2]) / uDen,
    (ordered[3] + mirrored[3] + kappa * g[3]) / uDen,
  ];
  const oDen = nAb + kappa;
  return [
    (ordered[0] + kappa * u[0]) / oDen,
    (ordered[1] + kappa * u[1]) / oDen,
    (ordered[2] + kappa * u[2]) / oDen,
    (ordered[3] + kappa * u[3]) / oDen,
  ];
}

/**
 * The Rao–Blackwellised Fisher term of the conformal p-value "probability, under q, of an
 * outcome at least as unlikely as the observed one" (outcomes equally likely as the observed
 * one, within rounding, count as a block and are randomised over together).
 */
export function surpriseFisherTerm(q: Readonly<Quad>, outcome: number): number {
  const qo = q[outcome] as number;
  const tol = 1e-12;
  let lo = 0;
  let hi = 0;
  for (let o = 0; o < 4; o++) {
    const qq = q[o] as number;
    if (qq < qo - tol) lo += qq;
    else if (qq <= qo + tol) hi += qq;
  }
  return expectedFisherTerm(lo, Math.min(1, lo + hi));
}

/**
 * log erfc(z), from the Chebyshev fit of Numerical Recipes' erfcc (relative error < 1.2e-7
 * everywhere), with the Gaussian factor kept in log space so it never underflows.
 */
export function logErfc(z: number): number {
  if (z < 0) return Math.log(2 - Math.exp(logErfc(-z)));
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t *
                      (0.27886807 +
                        t *
                          (-1.13520398 +
                            t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  return Math.log(t) - z * z + poly;
}

/** log P(Z ≥ z) for a standard normal Z. */
export function logNormalSf(z: number): number {
  return Math.log(0.5) + logErfc(z / Math.SQRT2);
}

/**
 * `count` independent copies of a discrete variable taking value v[o] with probability p[o]
 * (o = 0…3). Identical copies are grouped: one voter's votes on one ordered pair all have the
 * same null distribution.
 */
export interface SumTerm {
  count: number;
  p: Readonly<Quad>;
  v: Readonly<Quad>;
}

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * log P(X ≥ x) for X a sum of independent discrete terms, by the Lugannani–Rice saddlepoint
 * approximation (Lugannani & Rice 1980; Butler, "Saddlepoint Approximations with
 * Applications", 2007, §1.2). Unlike the normal approximation it follows the skewness of the
 * sum, and its relative error stays small far into the tail, where the p-values that matter
 * here live. Exact at the largest attainable value (every term at its maximum); the normal
 * tail below the mean, where nothing is ever significant.
 */
export function logSumUpperTail(terms: readonly SumTerm[], x: number): number {
  let mean = 0;
  let variance = 0;
  let top = 0;
  let logPTop = 0;
  for (const { count, p, v } of terms) {
    let m = 0;
    let e2 = 0;
    let vMax = Number.NEGATIVE_INFINITY;
    for (let o = 0; o < 4; o++) {
      m += (p[o] as number) * (v[o] as number);
      e2 += (p[o] as number) * (v[o] as number) ** 2;
      if ((p[o] as number) > 0 && (v[o] as number) > vMax) vMax = v[o] as number;
    }
    let pMax = 0;
    for (let o = 0; o < 4; o++) if ((v[o] as number) >= vMax - 1e-12) pMax += p[o] as number;
    mean += count * m;
    variance += count * Math.max(0, e2 - m * m);
    top += count * vMax;
    logPTop += count * Math.log(pMax);
  }
  if (!(variance > 0)) return x <= mean + 1e-9 ? 0 : Number.NEGATIVE_INFINITY;
  if (x <= mean) return Math.min(0, logNormalSf((x - mean) / Math.sqrt(variance)));
  if (x >= top - 1e-9 * (1 + Math.abs(top))) return logPTop;

  // K(t), K'(t), K''(t) of the sum: cumulant generating function and its derivatives.
  const cgf = (t: number): [number, number, number] => {
    let k0 = 0;
    let k1 = 0;
    let k2 = 0;
    for (const { count, p, v } of terms) {
      let c = Number.NEGATIVE_INFINITY;
      for (let o = 0; o < 4; o++) if ((p[o] as number) > 0) c = Math.max(c, v[o] as number);
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      for (let o = 0; o < 4; o++) {
        const vo = v[o] as number;
        const w = (p[o] as number) * Math.exp(t * (vo - c));
        s0 += w;
        s1 += w * vo;
        s2 += w * vo * vo;
      }
      const m = s1 / s0;
      k0 += count * (t * c + Math.log(s0));
      k1 += count * m;
      k2 += count * Math.max(0, s2 / s0 - m * m);
    }
    return [k0, k1, k2];
  };

  // Solve K'(t) = x for t > 0: bracket by doubling, then safeguarded Newton.
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 200 && cgf(hi)[1] < x; i++) {
    lo = hi;
    hi *= 2;
  }
  let t = (lo + hi) / 2;
  let k = cgf(t);
  for (let i = 0; i < 100; i++) {
    const f = k[1] - x;
    if (Math.abs(f) <= 1e-12 * (1 + Math.abs(x))) break;
    if (f > 0) hi = t;
    else lo = t;
    let next = k[2] > 0 ? t - f / k[2] : Number.NaN;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (next === t) break;
    t = next;
    k = cgf(t);
  }
  const w = Math.sqrt(Math.max(0, 2 * (t * x - k[0])));
  const u = t * Math.sqrt(k[2]);
  if (!(w > 1e-6 && u > 0)) return Math.min(0, logNormalSf((x - mean) / Math.sqrt(variance)));
  // P ≈ Φ̄(w) + φ(w)(1/u − 1/w) = φ(w)·(R(w) + 1/u − 1/w), R the Mills ratio Φ̄/φ.
  const logPhi = -0.5 * w * w - LOG_SQRT_2PI;
  const mills = Math.exp(logNormalSf(w) - logPhi);
  const bracket = mills + 1 / u - 1 / w;
  if (!(bracket > 0)) return Math.min(0, logNormalSf(w));
  return Math.min(0, logPhi + Math.log(bracket));
}
