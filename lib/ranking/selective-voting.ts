/**
 * Selective voting: a voter who skips battles and votes only when a favourite model appears.
 *
 * Battles are blind, so an honest voter cannot know which models wrote the two texts: whether
 * they vote or walk away cannot depend on the models, only on the texts. For each model m the
 * voter (or address) saw, the drawn battles split into those with m and those without, and into
 * voted and skipped. Under the null the voted battles are a random subset of the drawn ones,
 * so the number of voted battles that contain m is hypergeometric: population N drawn, K with
 * m, n voted. The upper tail P(X ≥ x) is exact; the smallest over the models seen, times their
 * number (Bonferroni), is the p-value. A promoter who recognises their model's texts votes on
 * nearly all of its battles and few others, and the tail collapses fast: 30 votes on 30 of the
 * favourite's battles out of 120 drawn give p < 1e-15.
 */

export interface DrawnBattle {
  a: number;
  b: number;
  voted: boolean;
}

export interface SelectiveResult {
  /** Bonferroni-corrected over the models seen, in [0, 1]. */
  pValue: number;
  /** The model whose battles were voted unusually often; -1 when nothing was tested. */
  model: number;
  votedWith: number;
  drawnWith: number;
  voted: number;
  drawn: number;
}

const LANCZOS = [
  0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.6150291621406,
  12.507343278686905, -0.13857109526572012, 9.984369578019572e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0, Lanczos (g = 7, n = 9): ~15 significant digits, which is all a p-value needs. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0] as number;
  for (let i = 1; i < 9; i++) sum += (LANCZOS[i] as number) / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

const logChoose = (n: number, k: number) => logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);

/** P(X ≥ x) for X ~ Hypergeometric(population, successes, draws), summed exactly in log space. */
export function hypergeometricUpperTail(
  population: number,
  successes: number,
  draws: number,
  x: number,
): number {
  const hi = Math.min(successes, draws);
  const lo = Math.max(0, draws - (population - successes));
  if (x <= lo) return 1;
  if (x > hi) return 0;
  const logDenominator = logChoose(population, draws);
  let logTerm =
    logChoose(successes, x) + logChoose(population - successes, draws - x) - logDenominator;
  let sum = 0;
  for (let k = x; k <= hi; k++) {
    sum += Math.exp(logTerm);
    // pmf(k+1)/pmf(k) = (K−k)(n−k) / ((k+1)(N−K−n+k+1))
    logTerm += Math.log(
      ((successes - k) * (draws - k)) / ((k + 1) * (population - successes - draws + k + 1)),
    );
  }
  return Math.min(1, sum);
}

/** The selective-voting test over a subject's drawn battles (voted or not). */
export function selectiveVotingTest(battles: readonly DrawnBattle[]): SelectiveResult {
  const drawnWith = new Map<number, number>();
  const votedWith = new Map<number, number>();
  let voted = 0;
  for (const b of battles) {
    for (const m of [b.a, b.b]) {
      drawnWith.set(m, (drawnWith.get(m) ?? 0) + 1);
      if (b.voted) votedWith.set(m, (votedWith.get(m) ?? 0) + 1);
    }
    if (b.voted) voted++;
  }
  const drawn = battles.length;
  let best = { p: 1, model: -1 };
  for (const [m, k] of drawnWith) {
    const x = votedWith.get(m) ?? 0;
    const p = hypergeometricUpperTail(drawn, k, voted, x);
    if (p < best.p || (p === best.p && m < best.model)) best = { p, model: m };
  }
  const m = best.model;
  return {
    pValue: Math.min(1, best.p * Math.max(1, drawnWith.size)),
    model: m,
    votedWith: votedWith.get(m) ?? 0,
    drawnWith: drawnWith.get(m) ?? 0,
    voted,
    drawn,
  };
}
