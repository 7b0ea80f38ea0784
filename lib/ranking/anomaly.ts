/**
 * Anomalous voters: the per-vote p-value test of the Chatbot Arena paper (Chiang et al. 2024,
 * "Chatbot Arena: An Open Platform for Evaluating LLMs by Human Preference", §5.1 "Detecting
 * Anomalous Users"), made exact for discrete outcomes and extended with position and
 * favourite-model tests in the same framework.
 *
 * ## The null hypothesis
 * A voter is honest if each of their votes is drawn like everyone else's votes on the same
 * ORDERED model pair (model a on the left, b on the right): the vote is exchangeable with the
 * pair's history. The history of a voter's vote is the outcome counts of that ordered pair
 * from every OTHER voter (leave-one-voter-out: the totals per ordered pair × outcome are
 * counted once, and the voter's own counts subtracted, so the whole run costs
 * O(votes + pairs)). Counts are smoothed so a thin or unseen pair is still usable: the ordered
 * pair borrows 4 pseudo-votes from the pooled pair (both orientations), which borrows 4 from
 * the global outcome rates (Laplace add-one; uniform when there is no other vote at all) —
 * see {@link smoothedOutcomeProbabilities}. Because the pairs are ordered, the history
 * includes whatever position bias the honest crowd has, so a crowd-wide lean to the left is
 * not held against anybody.
 *
 * ## Three tests, one per kind of manipulation, all on that per-vote null q = (qA, qB, qT, qBB)
 * 1. Pair history (the paper's test). Each vote gets the conformal p-value "probability under
 *    q of an outcome at least as unlikely as the one cast" — the paper's
 *    p_i = (1 + #{h ∈ H : h ≥ H'_i}) / (|H| + 1) with outcomes ranked by how common they are in
 *    the pair's history. With four outcomes this p-value is very discrete (the commonest
 *    outcome always gets p = 1), which makes Fisher's method badly conservative and blind to
 *    anything but individually rare votes. So we use the randomised p-value U ~ Uniform(lo, hi)
 *    (lo = mass of strictly rarer outcomes, hi = lo + mass of the outcome's block), exactly
 *    Uniform(0, 1) under the null, and replace Fisher's −2 ln U by its expectation over the
 *    randomisation (Rao–Blackwell): deterministic, still mean 2 per vote, less variance. The
 *    sum over the first j votes, M_j = Σ E[−2 ln p_i], is referred to χ²_{2j} (Fisher's
 *    combination; the paper's M_j ≥ χ²_{2j,1−α/K} rule). Catches random clicking (too many
 *    upsets, ties and "both bad") and votes for a weak model.
 * 2. Position. Fisher's product is most powerful against a few very small p-values; a voter
 *    who always picks the left side gives many mildly surprising votes instead (the left
 *    model wins ~40% of battles anyway), against which a sum-type combination is far more
 *    powerful (Heard & Rubin-Delanchy 2018, "Choosing between methods of combining
 *    p-values"). So: the number of votes won by the left side is a sum of independent
 *    Bernoulli(qA) under the null, and its exact Poisson-binomial upper tail is the p-value;
 *    likewise for the right side (qB); two-sided, so the smaller tail is doubled.
 * 3. Favourite model. For each model m the voter saw, the number of votes m won is
 *    Poisson-binomial with per-vote probability qA or qB (whichever side m was on); the
 *    smallest upper tail times the number of models seen (Bonferroni) is the p-value. Catches
 *    "always votes for m" even when m is the strongest model, where every single vote is the
 *    commonest outcome and test 1 is powerless. Ties and "both bad" count as not-wins, so a
 *    voter who always backs a model can't hide behind the base rate of decisive votes.
 *
 * ## Checkpoints and the threshold
 * Like the paper, each test is run at several points of the voter's sequence (votes taken in
 * the order given), so an early burst of manipulation is not washed out by later votes: by
 * default after minVotes · 2^k votes (10, 20, 40, 80, …) and after the last vote. (The paper
 * uses 5 random times in 1…100 so users cannot aim at them; here the analysis is after the
 * fact, over all votes, so there is nothing to aim at.) The voter's p-value is the smallest of
 * the 3 × K p-values (K checkpoints ≤ the voter's count), times 3K (Bonferroni), capped at 1,
 * and the voter is flagged when it is below α. That is a valid family-wise level-α test per
 * voter for any dependence between the tests: an honest voter is flagged with probability at
 * most α (up to the history being an estimate of q).
 *
 * Default α = {@link DEFAULT_ALPHA} = 0.01: at most ~1% of honest voters flagged, well inside
 * the 5% budget, since flags only put voters on the admins' list (excluding is a human
 * decision). On the simulation in anomaly.test.ts (15 Bradley–Terry models 800–1200, realistic
 * ties, random sides, 20–60 votes each) it flags ~0.3% of honest voters and ≥ 90% of
 * adversaries of each kind; α = 0.001 would cost ~5 points of recall on the 20-vote random
 * clickers for no gain. Voters with fewer than {@link DEFAULT_MIN_VOTES} votes are never
 * flagged: too little evidence, and a new voter's first votes are the cheapest to get wrong.
 *
 * Limits (documented, measured in the test): a voter who flips a fair coin between A and B
 * (never tie or both bad) carries ~0.07 nats of evidence per vote against the history, so
 * 20–60 such votes cannot be told from honest ones at any useful level; a promoter who votes
 * honestly except when their model shows up only reveals ~2 votes in 15.
 */

import {
  type Quad,
  logChi2SfEven,
  PoissonBinomialTail,
  smoothedOutcomeProbabilities,
  surpriseFisherTerm,
} from "./anomaly-stats";

export { smoothedOutcomeProbabilities } from "./anomaly-stats";

/** One vote, in the order they were cast. `a` was on the left. */
export interface VoteRecord {
  voter: string;
  a: number;
  b: number;
  /** A wins, B wins, tie, both bad — matches OUTCOME in ./types. */
  outcome: 0 | 1 | 2 | 3;
}

export interface AnomalyOptions {
  /** Family-wise level per voter: flag when the corrected p-value is below it. Default 0.01. */
  alpha?: number;
  /**
   * Vote counts after which each voter is tested (the last vote is always one). Default
   * minVotes · 2^k: 10, 20, 40, 80, …
   */
  checkpoints?: readonly number[];
  /** Voters with fewer votes are not tested (pValue 1, never flagged). Default 10. */
  minVotes?: number;
}

/** Which of the three tests gave the voter's smallest p-value. */
export type AnomalyTest = "pair-history" | "position" | "favorite-model";

export interface VoterAnomaly {
  voter: string;
  votes: number;
  /** Bonferroni-corrected over tests and checkpoints, in [0, 1]; 1 when not tested. */
  pValue: number;
  flagged: boolean;
  /** Short human text, e.g. "picks the left side in 38 of 40 decisive votes (p = 2.1e-9)". */
  reason: string;
  /** Share of the voter's decisive votes (A or B) won by the left side; 0.5 when none. */
  leftShare: number;
  /** Number of decisive votes (A or B wins) behind leftShare. */
  decisive: number;
  /** The test with the smallest p-value; null when the voter was not tested. */
  test: AnomalyTest | null;
  /** The model index behind a "favorite-model" result. */
  model?: number;
}

export const DEFAULT_ALPHA = 0.01;
export const DEFAULT_MIN_VOTES = 10;
const TESTS = 3;

/** The checkpoints ≤ n that a voter with n votes is tested at, always ending with n. */
export function voterCheckpoints(
  n: number,
  minVotes = DEFAULT_MIN_VOTES,
  checkpoints?: readonly number[],
): number[] {
  const out: number[] = [];
  if (checkpoints) {
    for (const c of [...checkpoints].sort((x, y) => x - y)) {
      if (c >= 1 && c < n && c !== out[out.length - 1]) out.push(c);
    }
  } else {
    for (let c = Math.max(1, minVotes); c < n; c *= 2) out.push(c);
  }
  if (n >= 1) out.push(n);
  return out;
}

interface Best {
  logP: number;
  test: AnomalyTest;
  votes: number;
  hits: number;
  of: number;
  model: number;
  left: boolean;
}

function formatP(p: number): string {
  if (p < 1e-300) return "< 1e-300";
  if (p < 1e-3) return `= ${p.toExponential(1)}`;
  return `= ${p.toPrecision(2)}`;
}

function validate(v: VoteRecord, i: number): void {
  if (!Number.isInteger(v.a) || !Number.isInteger(v.b) || v.a < 0 || v.b < 0)
    throw new RangeError(`vote ${i}: model indices must be non-negative integers`);
  if (v.a === v.b) throw new RangeError(`vote ${i}: a model cannot battle itself`);
  if (v.outcome !== 0 && v.outcome !== 1 && v.outcome !== 2 && v.outcome !== 3)
    throw new RangeError(`vote ${i}: outcome must be 0, 1, 2 or 3`);
}

/**
 * Tests every voter (see the file comment) and returns one row per voter, most anomalous
 * first (ascending pValue, then voter id). `votes` must be in the order they were cast, at
 * least per voter. O(votes + pairs) time and memory, plus O(n²) for a voter with n ≤ 1024
 * votes (the exact Poisson-binomial tails; longer streams use a Chernoff bound).
 */
export function detectAnomalousVoters(
  votes: readonly VoteRecord[],
  opts: AnomalyOptions = {},
): VoterAnomaly[] {
  const alpha = opts.alpha ?? DEFAULT_ALPHA;
  const minVotes = opts.minVotes ?? DEFAULT_MIN_VOTES;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  if (!Number.isInteger(minVotes) || minVotes < 1)
    throw new RangeError(`minVotes must be a positive integer, got ${minVotes}`);
  if (opts.checkpoints?.some((c) => !Number.isInteger(c) || c < 1))
    throw new RangeError("checkpoints must be positive integers");

  const nv = votes.length;
  let models = 0;
  for (let i = 0; i < nv; i++) {
    const v = votes[i] as VoteRecord;
    validate(v, i);
    models = Math.max(models, v.a + 1, v.b + 1);
  }

  // Intern ordered pairs and voters; count outcomes per ordered pair and overall.
  const pairIds = new Map<number, number>();
  const pairA: number[] = [];
  const pairB: number[] = [];
  const voterIds = new Map<string, number>();
  const voterNames: string[] = [];
  const voterCounts: number[] = [];
  const votePair = new Int32Array(nv);
  const voteVoter = new Int32Array(nv);
  for (let i = 0; i < nv; i++) {
    const v = votes[i] as VoteRecord;
    const key = v.a * models + v.b;
    let p = pairIds.get(key);
    if (p === undefined) {
      p = pairA.length;
      pairIds.set(key, p);
      pairA.push(v.a);
      pairB.push(v.b);
    }
    votePair[i] = p;
    let u = voterIds.get(v.voter);
    if (u === undefined) {
      u = voterNames.length;
      voterIds.set(v.voter, u);
      voterNames.push(v.voter);
      voterCounts.push(0);
    }
    voteVoter[i] = u;
    voterCounts[u] = (voterCounts[u] as number) + 1;
  }
  const pairs = pairA.length;
  const totals = new Float64Array(pairs * 4);
  const global: Quad = [0, 0, 0, 0];
  for (let i = 0; i < nv; i++) {
    const o = (votes[i] as VoteRecord).outcome;
    const k = (votePair[i] as number) * 4 + o;
    totals[k] = (totals[k] as number) + 1;
    global[o]++;
  }
  const mirror = new Int32Array(pairs);
  for (let p = 0; p < pairs; p++) {
    mirror[p] = pairIds.get((pairB[p] as number) * models + (pairA[p] as number)) ?? -1;
  }

  // Each voter's votes in their original order (a counting sort keeps it stable).
  const voters = voterNames.length;
  const start = new Int32Array(voters + 1);
  for (let u = 0; u < voters; u++) start[u + 1] = (start[u] as number) + (voterCounts[u] as number);
  const fill = start.slice(0, voters);
  const order = new Int32Array(nv);
  for (let i = 0; i < nv; i++) {
    const u = voteVoter[i] as number;
    order[fill[u] as number] = i;
    fill[u] = (fill[u] as number) + 1;
  }

  const own = new Float64Array(pairs * 4);
  const results: VoterAnomaly[] = [];
  for (let u = 0; u < voters; u++) {
    const from = start[u] as number;
    const to = start[u + 1] as number;
    results.push(
      analyseVoter(voterNames[u] as string, from, to, {
        votes,
        order,
        votePair,
        mirror,
        totals,
        global,
        own,
        alpha,
        minVotes,
        checkpoints: opts.checkpoints,
      }),
    );
  }
  results.sort((x, y) =>
    x.pValue !== y.pValue ? x.pValue - y.pValue : x.voter < y.voter ? -1 : x.voter > y.voter ? 1 : 0,
  );
  return results;
}

interface Shared {
  votes: readonly VoteRecord[];
  order: Int32Array;
  votePair: Int32Array;
  mirror: Int32Array;
  totals: Float64Array;
  global: Readonly<Quad>;
  own: Float64Array;
  alpha: number;
  minVotes: number;
  checkpoints: readonly number[] | undefined;
}

function analyseVoter(voter: string, from: number, to: number, s: Shared): VoterAnomaly {
  const n = to - from;
  let left = 0;
  let right = 0;
  for (let t = from; t < to; t++) {
    const o = (s.votes[s.order[t] as number] as VoteRecord).outcome;
    if (o === 0) left++;
    else if (o === 1) right++;
  }
  const decisive = left + right;
  const leftShare = decisive > 0 ? left / decisive : 0.5;
  if (n < s.minVotes) {
    return {
      voter,
      votes: n,
      pValue: 1,
      flagged: false,
      reason: `only ${n} vote${n === 1 ? "" : "s"}; ${s.minVotes} needed to judge`,
      leftShare,
      decisive,
      test: null,
    };
  }

  // Leave this voter out: their own counts per ordered pair and overall.
  const own = s.own;
  const ownGlobal: Quad = [0, 0, 0, 0];
  for (let t = from; t < to; t++) {
    const i = s.order[t] as number;
    const o = (s.votes[i] as VoteRecord).outcome;
    const k = (s.votePair[i] as number) * 4 + o;
    own[k] = (own[k] as number) + 1;
    ownGlobal[o]++;
  }
  const others: Quad = [
    s.global[0] - ownGlobal[0],
    s.global[1] - ownGlobal[1],
    s.global[2] - ownGlobal[2],
    s.global[3] - ownGlobal[3],
  ];
  const hist = (p: number): Quad => {
    if (p < 0) return [0, 0, 0, 0];
    const k = p * 4;
    const t = s.totals;
    return [
      (t[k] as number) - (own[k] as number),
      (t[k + 1] as number) - (own[k + 1] as number),
      (t[k + 2] as number) - (own[k + 2] as number),
      (t[k + 3] as number) - (own[k + 3] as number),
    ];
  };

  const cps = voterCheckpoints(n, s.minVotes, s.checkpoints);
  let nextCp = 0;
  let fisher = 0;
  const leftTail = new PoissonBinomialTail();
  const rightTail = new PoissonBinomialTail();
  const byModel = new Map<number, PoissonBinomialTail>();
  const modelTail = (m: number): PoissonBinomialTail => {
    let x = byModel.get(m);
    if (x === undefined) {
      x = new PoissonBinomialTail();
      byModel.set(m, x);
    }
    return x;
  };
  let best: Best | null = null;
  const consider = (cand: Best) => {
    if (best === null || cand.logP < best.logP) best = cand;
  };
  let leftSoFar = 0;
  let rightSoFar = 0;

  for (let t = from; t < to; t++) {
    const i = s.order[t] as number;
    const v = s.votes[i] as VoteRecord;
    const p = s.votePair[i] as number;
    const q = smoothedOutcomeProbabilities(hist(p), hist(s.mirror[p] as number), others);
    const o = v.outcome;
    fisher += surpriseFisherTerm(q, o);
    leftTail.add(q[0], o === 0);
    rightTail.add(q[1], o === 1);
    modelTail(v.a).add(q[0], o === 0);
    modelTail(v.b).add(q[1], o === 1);
    if (o === 0) leftSoFar++;
    else if (o === 1) rightSoFar++;

    const j = t - from + 1;
    if (j !== cps[nextCp]) continue;
    nextCp++;
    consider({
      logP: logChi2SfEven(fisher, j),
      test: "pair-history",
      votes: j,
      hits: 0,
      of: j,
      model: -1,
      left: false,
    });
    const lt = leftTail.upperTail();
    const rt = rightTail.upperTail();
    consider({
      logP: Math.log(Math.min(1, 2 * Math.min(lt, rt))),
      test: "position",
      votes: j,
      hits: lt <= rt ? leftSoFar : rightSoFar,
      of: leftSoFar + rightSoFar,
      model: -1,
      left: lt <= rt,
    });
    let favP = 1;
    let fav = -1;
    for (const [m, tail] of byModel) {
      const tp = tail.upperTail();
      if (tp < favP || (tp === favP && m < fav)) {
        favP = tp;
        fav = m;
      }
    }
    if (fav >= 0) {
      const tail = byModel.get(fav) as PoissonBinomialTail;
      consider({
        logP: Math.log(Math.min(1, byModel.size * favP)),
        test: "favorite-model",
        votes: j,
        hits: tail.successes,
        of: tail.trials,
        model: fav,
        left: false,
      });
    }
  }

  // Clear the scratch counts for the next voter.
  for (let t = from; t < to; t++) {
    const i = s.order[t] as number;
    own[(s.votePair[i] as number) * 4 + (s.votes[i] as VoteRecord).outcome] = 0;
  }

  const b = best as Best | null;
  if (b === null) throw new Error("unreachable: every voter has a final checkpoint");
  const logP = Math.min(0, b.logP + Math.log(TESTS * cps.length));
  const pValue = Math.exp(logP);
  const flagged = pValue < s.alpha;
  const pText = `p ${formatP(pValue)}`;
  let what: string;
  if (b.test === "pair-history") {
    what = `outcomes unlike the pair history over ${b.votes} votes (Fisher ${pText})`;
  } else if (b.test === "position") {
    what = `picks the ${b.left ? "left" : "right"} side in ${b.hits} of ${b.of} decisive votes (${pText})`;
  } else {
    what = `picks model ${b.model} in ${b.hits} of its ${b.of} battles (${pText})`;
  }
  const row: VoterAnomaly = {
    voter,
    votes: n,
    pValue,
    flagged,
    reason: flagged ? what : `consistent with the pair history (strongest: ${what})`,
    leftShare,
    decisive,
    test: b.test,
  };
  if (b.test === "favorite-model") row.model = b.model;
  return row;
}
