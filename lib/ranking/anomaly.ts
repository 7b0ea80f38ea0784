/**
 * Anomalous voters: the per-vote p-value test of the Chatbot Arena paper (Chiang et al. 2024,
 * §5.1), made exact for discrete outcomes, plus three companion tests on the same per-vote null
 * for manipulations it is blind to (random clicking, always one side, always one model), all
 * under one Bonferroni correction over tests and checkpoints. Why each test, how the null and
 * the threshold were chosen, and the recall and false-positive rates measured in anomaly.test.ts:
 * docs/anomaly.md. Change the method there and here together.
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
