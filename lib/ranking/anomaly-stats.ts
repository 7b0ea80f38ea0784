/**
 * Small exact statistics used by the anomalous-voter test ({@link ./anomaly.ts}): the
 * χ² tail for Fisher's method, the Rao–Blackwellised log score of a randomised discrete
 * p-value, Poisson-binomial upper tails, and the smoothed outcome distribution of an ordered
 * model pair. Everything works in log space where p-values can be astronomically small.
 */

/** Outcome counts or probabilities in the order of OUTCOME: [A wins, B wins, tie, both bad]. */
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
  private dist: Float64Array | null = new Float64Array(16);

  constructor() {
    (this.dist as Float64Array)[0] = 1;
  }

  add(p: number, success: boolean): void {
    const q = Math.min(1, Math.max(0, p));
    this.trials++;
    this.sumP += q;
    if (success) this.successes++;
    let d = this.dist;
    if (d === null) return;
    if (this.trials > EXACT_POISSON_BINOMIAL_LIMIT) {
      this.dist = null;
      return;
    }
    if (this.trials >= d.length) {
      const bigger = new Float64Array(d.length * 2);
      bigger.set(d);
      d = bigger;
      this.dist = d;
    }
    // d[c] = P(S = c) after the previous trials; fold in one more, highest count first.
    for (let c = this.trials; c > 0; c--) {
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
      for (let c = this.trials; c >= s; c--) tail += d[c] as number;
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
