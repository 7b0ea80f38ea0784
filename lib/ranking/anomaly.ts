/**
 * Anomalous voters: the per-vote p-value test of the Chatbot Arena paper (Chiang et al. 2024,
 * "Chatbot Arena: An Open Platform for Evaluating LLMs by Human Preference", §5.1 "Detecting
 * Anomalous Users"), made exact for discrete outcomes, plus three companion tests on the same
 * per-vote null for manipulations it is blind to, all under one Bonferroni correction.
 *
 * ## The null: each vote is exchangeable with the other voters' votes on its ordered pair
 * For a vote on the ordered pair (model a on the LEFT, b on the right) the history is the
 * outcome counts of that ordered pair among all OTHER voters (leave-one-voter-out: totals per
 * ordered pair × outcome are counted once and the voter's own counts subtracted, so a run costs
 * O(votes + pairs); a prolific voter therefore never defines the norm they are judged by). As in
 * the paper's p_i = (1 + #{h ∈ H : h ≥ H'_i}) / (|H| + 1), the vote itself is added to its
 * history (the "+1"): given that bag, an honest vote is a uniformly random member of it, so the
 * null q = (qA, qB, qTie, qBothBad) is the bag's outcome mix and the tests stay calibrated
 * however thin the history (without the +1, a 30-vote history flagged 9% of honest voters; with
 * it, 1%). The bag is smoothed so an unseen pair still has a null: the ordered pair gets 4
 * pseudo-votes from the pooled pair (both orientations, same model winning), which gets 4 from
 * the global outcome rates (Laplace add-one; uniform 1/4 each when nobody else voted) —
 * {@link smoothedOutcomeProbabilities}. Pairs are ordered, so the crowd's own position bias is
 * part of the null: a crowd that leans left a little makes nobody anomalous. A voter's votes on
 * different pairs are independent under the null; several votes on one pair share a history,
 * a dependence the paper notes is asymptotically negligible.
 *
 * ## Four tests
 * 1. `pair-fisher` — the paper's test. Its p-value needs an ordering of outcomes; with four
 *    categories the natural one is "at least as unlikely under q" (the conformal p-value with
 *    nonconformity −log q). That p-value is very discrete — the commonest outcome always gets
 *    p = 1 — which makes Fisher's −2 Σ ln p_i badly conservative. So each vote gets the
 *    randomised p-value U ~ Uniform(lo, hi) (lo = mass of strictly rarer outcomes, hi = lo +
 *    mass of the observed outcome's block), exactly Uniform(0, 1) under the null, and −2 ln U is
 *    replaced by its expectation over the randomisation (Rao–Blackwell): deterministic, mean
 *    exactly 2, smaller variance. M_j = Σ_{i≤j} E[−2 ln p_i] is referred to χ²_{2j} (Fisher's
 *    method; the paper's rule M_j ≥ χ²_{2j, 1−α/K}), slightly conservative. Strongest against a
 *    few individually very rare votes (a weak model beating a strong one again and again).
 * 2. `pair-likelihood` — the same question with the log-likelihood statistic Σ −ln q_i(o_i)
 *    and the tail of its null distribution (a sum of independent discrete terms; Lugannani–Rice
 *    saddlepoint, within ~13% of the exact tail at 10 votes). Random clicking gives many
 *    mildly unlikely votes (ties, "both bad" and upsets at 25% each) rather than a few very
 *    unlikely ones; against it the likelihood sum is the Neyman–Pearson direction, and Fisher's
 *    product is weak: with Fisher alone (plus tests 3–4) only 73% of random clickers and 85% of
 *    all adversaries were flagged in the simulation below, against 90% and 93% with it.
 * 3. `position` — a voter who always picks the left side casts the commonest or second
 *    commonest outcome of each pair, so tests 1–2 barely move. But the number of votes won by
 *    the left side is, under the null, a sum of independent Bernoulli(qA): its exact
 *    Poisson-binomial upper tail is the p-value (likewise the right side with qB; two-sided, so
 *    the smaller tail is doubled). Sum-type combinations beat Fisher's product against such
 *    consistent small shifts (Heard & Rubin-Delanchy 2018, "Choosing between methods of
 *    combining p-values").
 * 4. `favorite-model` — likewise, for each model m the voter saw, the number of votes m won
 *    (Bernoulli qA or qB by m's side; ties and both-bad are not wins) has an exact
 *    Poisson-binomial tail; the smallest, times the number of models seen (Bonferroni), is the
 *    p-value. Catches "always votes for m" even when m is the strongest model, where every such
 *    vote is the pair's commonest outcome and tests 1–2 see nothing.
 *
 * ## Checkpoints, Bonferroni and the threshold
 * As in the paper, each test runs at several points of the voter's sequence (votes in the
 * order given), so early manipulation is not washed out by later votes: after minVotes · 2^k
 * votes (10, 20, 40, …) and after the last vote. (The paper picks 5 random times in 1…100 so
 * users cannot aim at them; this analysis runs after the fact over all the votes, so there is
 * nothing to aim at, and log-spaced times suit short and long histories alike.) Weighted
 * Bonferroni over 4 tests × K checkpoints: each test gets a quarter of α; the final checkpoint
 * (all the evidence) gets 3/4 of that, the earlier ones share the rest. The voter's pValue is
 * the smallest p-value divided by its share (capped at 1), and the voter is flagged when
 * pValue < α. Bonferroni holds whatever the dependence between tests and checkpoints, so an
 * honest voter is flagged with probability ≤ α, up to the smoothing and the saddlepoint.
 *
 * Default α = {@link DEFAULT_ALPHA} = 0.02. The target (issue 5) is recall ≥ 90% at ≤ 5% false
 * positives. α bounds the honest flag rate, so 0.02 keeps a 2.5× margin under 5%; 0.01 would
 * leave recall at ~90% in the simulation (87–92% across seeds), too close to the target, and
 * 0.05 would spend the whole false-positive budget for 2–3 more points of recall. Measured in anomaly.test.ts
 * (15 Bradley–Terry models rated 800–1200, Davidson ties and a both-bad rate, ~26% of votes
 * not decisive, random sides, a slight crowd lean to the left, 20–60 votes per voter, 5%
 * adversaries; 3 × 4,000 voters): 91.8% of adversaries flagged — always-left 100%, random
 * clickers 90%, favourite-model 86% (100% of those who skip battles without their model, 71% of
 * those who click at random on the rest) — and 0.7% of honest voters; 0.8% with no adversaries,
 * 1.6% when honest voters differ in taste, tie habit and side bias, 1.1% with a thin history
 * (~30 votes per ordered pair). Flags only put voters on the admins' list; excluding them is a
 * human decision. Voters with fewer than {@link DEFAULT_MIN_VOTES} votes are never tested.
 *
 * Limits, also measured there: a voter who flips a fair coin between A and B differs from the
 * crowd mostly by never voting tie or both bad — which honest people with a decisive habit do
 * too, so it is not tested — and otherwise only by upsets (~0.07 nats of evidence per decisive
 * vote): 29% are flagged. A promoter who votes honestly except when their model appears shows
 * ~2 votes in 15. Random clickers with ~20 votes are at the edge of what any test can see: the
 * Neyman–Pearson likelihood ratio against "uniform clicking" itself misses a third of those
 * with fewer than 35 votes at a 0.1% false-positive rate. Cost: ~2.3 s for 1M votes from 25,000
 * voters on one core (node, 15 models).
 */

import {
  logChi2SfEven,
  logSumUpperTail,
  PoissonBinomialTail,
  type Quad,
  type SumTerm,
  smoothedOutcomeProbabilities,
  surpriseFisherTerm,
} from "./anomaly-stats";

export { smoothedOutcomeProbabilities } from "./anomaly-stats";

/** One vote, in the order they were cast. `a` was shown on the left. */
export interface VoteRecord {
  voter: string;
  a: number;
  b: number;
  /** A wins, B wins, tie, both bad — `WINNER[w].code` order (lib/winner.ts). */
  outcome: 0 | 1 | 2 | 3;
}

export interface AnomalyOptions {
  /** Per-voter family-wise level: flag when pValue < alpha. Default {@link DEFAULT_ALPHA}. */
  alpha?: number;
  /**
   * Vote counts after which each voter is tested; the voter's last vote always is one.
   * Default minVotes · 2^k: 10, 20, 40, 80, …
   */
  checkpoints?: readonly number[];
  /**
   * Voters with fewer votes are not tested (pValue 1, never flagged). Default 10; at least 2,
   * since one odd vote says nothing about the voter.
   */
  minVotes?: number;
  /**
   * Votes by nobody under test that still belong to the crowd's history — e.g. the leaderboard's
   * tallies less the listed votes — so a few voters can be judged against everyone without
   * listing every vote ever cast.
   */
  background?: BackgroundCounts;
}

/** Outcome counts ([A, B, tie, both bad]) of votes not in the list, per ordered pair and in all. */
export interface BackgroundCounts {
  pair(a: number, b: number): Readonly<Quad> | undefined;
  global: Readonly<Quad>;
}

/** Which test gave the voter's smallest (corrected) p-value; see the file comment. */
export type AnomalyTest = "pair-fisher" | "pair-likelihood" | "position" | "favorite-model";

export interface VoterAnomaly {
  voter: string;
  votes: number;
  /** Corrected over tests and checkpoints (weighted Bonferroni), in [0, 1]; 1 if not tested. */
  pValue: number;
  flagged: boolean;
  /** Short human text, e.g. "picks the left side in 38 of 40 decisive votes (p = 2.1e-9)". */
  reason: string;
  /** Share of the voter's decisive votes (A or B wins) won by the left side; 0.5 if none. */
  leftShare: number;
  /** Number of decisive votes behind leftShare. */
  decisive: number;
  /** The test behind pValue; null when the voter was not tested. */
  test: AnomalyTest | null;
  /** The model index of a "favorite-model" result. */
  model?: number;
}

export const DEFAULT_ALPHA = 0.02;
export const DEFAULT_MIN_VOTES = 10;
const TESTS = 4;
/** Share of α given to the final checkpoint; the earlier ones split the rest. */
const FINAL_SHARE = 0.75;

/** The checkpoints a voter with n votes is tested at: those below n, then n itself. */
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

/**
 * Tests every voter (see the file comment) and returns one row per voter, most anomalous
 * first (ascending pValue, then voter id). `votes` must be in the order they were cast, at
 * least within each voter. Costs O(votes + pairs), plus per voter O(n²) for n ≤ 1024 votes
 * (exact Poisson-binomial tails; longer histories use a Chernoff bound) and a few saddlepoint
 * iterations over the distinct pairs the voter saw per checkpoint.
 */
export function detectAnomalousVoters(
  votes: readonly VoteRecord[],
  opts: AnomalyOptions = {},
): VoterAnomaly[] {
  const alpha = opts.alpha ?? DEFAULT_ALPHA;
  const minVotes = opts.minVotes ?? DEFAULT_MIN_VOTES;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  if (!Number.isInteger(minVotes) || minVotes < 2)
    throw new RangeError(`minVotes must be an integer ≥ 2, got ${minVotes}`);
  if (opts.checkpoints?.some((c) => !Number.isInteger(c) || c < 1))
    throw new RangeError("checkpoints must be positive integers");

  const nv = votes.length;
  let models = 0;
  for (let i = 0; i < nv; i++) {
    const v = votes[i] as VoteRecord;
    if (!Number.isInteger(v.a) || !Number.isInteger(v.b) || v.a < 0 || v.b < 0)
      throw new RangeError(`vote ${i}: model indices must be non-negative integers`);
    if (v.a === v.b) throw new RangeError(`vote ${i}: a model cannot battle itself`);
    if (v.outcome !== 0 && v.outcome !== 1 && v.outcome !== 2 && v.outcome !== 3)
      throw new RangeError(`vote ${i}: outcome must be 0, 1, 2 or 3`);
    if (v.a >= models) models = v.a + 1;
    if (v.b >= models) models = v.b + 1;
  }

  // Intern ordered pairs and voters.
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

  // With a background the mirror of every pair has a history too, even if nobody listed voted it.
  if (opts.background) {
    for (let p = 0, n = pairA.length; p < n; p++) {
      const key = (pairB[p] as number) * models + (pairA[p] as number);
      if (!pairIds.has(key)) {
        pairIds.set(key, pairA.length);
        pairA.push(pairB[p] as number);
        pairB.push(pairA[p] as number);
      }
    }
  }

  // Outcome counts per ordered pair and overall, once.
  const pairs = pairA.length;
  const totals = new Float64Array(pairs * 4);
  const global: Quad = [0, 0, 0, 0];
  if (opts.background) {
    for (let p = 0; p < pairs; p++) {
      const q = opts.background.pair(pairA[p] as number, pairB[p] as number);
      if (q) for (let o = 0; o < 4; o++) totals[p * 4 + o] = q[o] as number;
    }
    for (let o = 0; o < 4; o++) global[o] = opts.background.global[o] as number;
  }
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

  // Each voter's votes in their original order (a stable counting sort).
  const voters = voterNames.length;
  const start = new Int32Array(voters + 1);
  for (let u = 0; u < voters; u++) start[u + 1] = (start[u] as number) + (voterCounts[u] as number);
  const cursor = start.slice(0, voters);
  const order = new Int32Array(nv);
  for (let i = 0; i < nv; i++) {
    const u = voteVoter[i] as number;
    order[cursor[u] as number] = i;
    cursor[u] = (cursor[u] as number) + 1;
  }

  const ctx: Context = {
    votes,
    order,
    votePair,
    mirror,
    totals,
    global,
    own: new Float64Array(pairs * 4),
    alpha,
    minVotes,
    checkpoints: opts.checkpoints,
  };
  const results: VoterAnomaly[] = [];
  for (let u = 0; u < voters; u++) {
    results.push(
      analyseVoter(voterNames[u] as string, start[u] as number, start[u + 1] as number, ctx),
    );
  }
  results.sort((x, y) =>
    x.pValue !== y.pValue
      ? x.pValue - y.pValue
      : x.voter < y.voter
        ? -1
        : x.voter > y.voter
          ? 1
          : 0,
  );
  return results;
}

interface Context {
  votes: readonly VoteRecord[];
  order: Int32Array;
  votePair: Int32Array;
  mirror: Int32Array;
  totals: Float64Array;
  global: Readonly<Quad>;
  /** Scratch: the current voter's own counts per ordered pair × outcome, zeroed after use. */
  own: Float64Array;
  alpha: number;
  minVotes: number;
  checkpoints: readonly number[] | undefined;
}

/**
 * The null of the current voter's votes with one outcome on one ordered pair (the others'
 * history plus that vote), and how many such votes they cast so far.
 */
interface PairState extends SumTerm {
  count: number;
  p: Quad;
  /** Surprise −ln q(o): the pair-likelihood statistic's per-vote values. */
  v: Quad;
  /** Rao–Blackwellised Fisher term of the observed outcome. */
  fisher: number;
}

/** What a checkpoint's test found, for the verdict and its human reason. */
interface Finding {
  logP: number;
  test: AnomalyTest;
  text: string;
  /** Prefix of "p" in the reason, naming the combination ("Fisher ", "likelihood "). */
  label: string;
  model?: number;
}

function formatP(p: number): string {
  if (p < 1e-300) return "< 1e-300";
  if (p < 1e-3) return `= ${p.toExponential(1)}`;
  return `= ${p.toPrecision(2)}`;
}

function analyseVoter(voter: string, from: number, to: number, c: Context): VoterAnomaly {
  const n = to - from;
  let left = 0;
  let right = 0;
  for (let t = from; t < to; t++) {
    const o = (c.votes[c.order[t] as number] as VoteRecord).outcome;
    if (o === 0) left++;
    else if (o === 1) right++;
  }
  const base = { voter, votes: n, leftShare: left + right > 0 ? left / (left + right) : 0.5 };
  if (n < c.minVotes) {
    return {
      ...base,
      pValue: 1,
      flagged: false,
      reason: `only ${n} vote${n === 1 ? "" : "s"}; ${c.minVotes} needed to judge`,
      decisive: left + right,
      test: null,
    };
  }

  // Leave this voter out: subtract their own counts from the pair and global totals.
  const own = c.own;
  const ownGlobal: Quad = [0, 0, 0, 0];
  for (let t = from; t < to; t++) {
    const i = c.order[t] as number;
    const o = (c.votes[i] as VoteRecord).outcome;
    const k = (c.votePair[i] as number) * 4 + o;
    own[k] = (own[k] as number) + 1;
    ownGlobal[o]++;
  }
  const others: Quad = [
    c.global[0] - ownGlobal[0],
    c.global[1] - ownGlobal[1],
    c.global[2] - ownGlobal[2],
    c.global[3] - ownGlobal[3],
  ];
  const history = (p: number): Quad => {
    if (p < 0) return [0, 0, 0, 0];
    const k = p * 4;
    return [
      (c.totals[k] as number) - (own[k] as number),
      (c.totals[k + 1] as number) - (own[k + 1] as number),
      (c.totals[k + 2] as number) - (own[k + 2] as number),
      (c.totals[k + 3] as number) - (own[k + 3] as number),
    ];
  };

  const cps = voterCheckpoints(n, c.minVotes, c.checkpoints);
  const seen = new Map<number, PairState>();
  const terms: PairState[] = [];
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
  let fisher = 0;
  let surprise = 0;
  let lefts = 0;
  let rights = 0;
  let draws = 0;
  let drawsExpected = 0;
  let upsets = 0;
  let upsetsExpected = 0;
  let best: Finding | null = null;
  const consider = (f: Finding, logShare: number) => {
    f.logP -= logShare;
    if (best === null || f.logP < best.logP) best = f;
  };
  let nextCp = 0;

  for (let t = from; t < to; t++) {
    const i = c.order[t] as number;
    const v = c.votes[i] as VoteRecord;
    const p = c.votePair[i] as number;
    const o = v.outcome;
    // The pair's null for this vote: the others' history of the ordered pair plus this vote
    // itself (the "+1" of the paper's conformal p-value), so it depends on (pair, outcome).
    let st = seen.get(p * 4 + o);
    if (st === undefined) {
      const bag = history(p);
      bag[o]++;
      const q = smoothedOutcomeProbabilities(bag, history(c.mirror[p] as number), others);
      st = {
        count: 0,
        p: q,
        v: [-Math.log(q[0]), -Math.log(q[1]), -Math.log(q[2]), -Math.log(q[3])],
        fisher: surpriseFisherTerm(q, o),
      };
      seen.set(p * 4 + o, st);
      terms.push(st);
    }
    st.count++;
    const q = st.p;
    fisher += st.fisher;
    surprise += st.v[o];
    leftTail.add(q[0], o === 0);
    rightTail.add(q[1], o === 1);
    modelTail(v.a).add(q[0], o === 0);
    modelTail(v.b).add(q[1], o === 1);
    if (o === 0) lefts++;
    else if (o === 1) rights++;
    else draws++;
    drawsExpected += q[2] + q[3];
    if (o < 2 && q[0] !== q[1]) {
      if (o === (q[0] < q[1] ? 0 : 1)) upsets++;
      upsetsExpected += Math.min(q[0], q[1]) / (q[0] + q[1]);
    }

    const j = t - from + 1;
    if (j !== cps[nextCp]) continue;
    nextCp++;
    const share =
      cps.length === 1
        ? 1 / TESTS
        : (nextCp === cps.length ? FINAL_SHARE : (1 - FINAL_SHARE) / (cps.length - 1)) / TESTS;
    const logShare = Math.log(share);
    const outcomes = `${draws} ties/both bad (${drawsExpected.toFixed(1)} expected), ${upsets} of ${lefts + rights} decisive to the underdog (${upsetsExpected.toFixed(1)} expected)`;
    consider(
      {
        logP: logChi2SfEven(fisher, j),
        test: "pair-fisher",
        text: `outcomes unlike the pair history over ${j} votes: ${outcomes}`,
        label: "Fisher ",
      },
      logShare,
    );
    consider(
      {
        logP: logSumUpperTail(terms, surprise),
        test: "pair-likelihood",
        text: `outcomes unlike the pair history over ${j} votes: ${outcomes}`,
        label: "likelihood ",
      },
      logShare,
    );
    const lt = leftTail.upperTail();
    const rt = rightTail.upperTail();
    consider(
      {
        logP: Math.log(Math.min(1, 2 * Math.min(lt, rt))),
        test: "position",
        text: `picks the ${lt <= rt ? "left" : "right"} side in ${lt <= rt ? lefts : rights} of ${lefts + rights} decisive votes`,
        label: "",
      },
      logShare,
    );
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
      consider(
        {
          logP: Math.log(Math.min(1, byModel.size * favP)),
          test: "favorite-model",
          text: `picks model ${fav} in ${tail.successes} of its ${tail.trials} battles`,
          label: "",
          model: fav,
        },
        logShare,
      );
    }
  }

  for (let t = from; t < to; t++) {
    const i = c.order[t] as number;
    own[(c.votePair[i] as number) * 4 + (c.votes[i] as VoteRecord).outcome] = 0;
  }

  const found = best as Finding | null;
  if (found === null) throw new Error("unreachable: the last vote is always a checkpoint");
  const pValue = Math.exp(Math.min(0, found.logP));
  const flagged = pValue < c.alpha;
  const what = `${found.text} (${found.label}p ${formatP(pValue)})`;
  const row: VoterAnomaly = {
    ...base,
    pValue,
    flagged,
    reason: flagged ? what : `nothing significant; strongest: ${what}`,
    decisive: left + right,
    test: found.test,
  };
  if (found.model !== undefined) row.model = found.model;
  return row;
}
