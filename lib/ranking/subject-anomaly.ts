/**
 * The verdict on one subject — a voter, or an address with every voter behind it — as the arena
 * takes it again and again while votes arrive, and acts on without a human: a flag takes the
 * subject's votes out of the count.
 *
 * Looking again at a growing record is multiple testing: a rule "flag when p < α" re-checked at
 * every new vote would flag most honest subjects eventually. So the record is judged only at
 * fixed checkpoints — its first 10·2^k votes (and, for selective voting, its first 20·2^k drawn
 * battles) — and checkpoint k gets the share w_k = 6/(π²(k+1)²) of the level (Σ w_k = 1): the
 * chance that an honest subject is ever flagged, over its whole life, stays below α, however
 * often the check runs. A checkpoint's verdict depends only on that prefix and the crowd's
 * history, so repeated sweeps agree with each other.
 *
 * Two families share α equally:
 * - the per-vote tests of ./anomaly.ts (the Chatbot Arena paper's test, the likelihood sum,
 *   side bias, favourite model) on the prefix, against the crowd's history of each ordered
 *   pair without this subject's votes ("background");
 * - selective voting (./selective-voting.ts) on the prefix of drawn battles.
 */
import { type BackgroundCounts, detectAnomalousVoters, type VoteRecord } from "./anomaly";
import { type DrawnBattle, selectiveVotingTest } from "./selective-voting";

export interface SubjectBattle {
  a: number;
  b: number;
  /** 0 A wins, 1 B wins, 2 tie, 3 both bad; null while (or because) it was never voted. */
  outcome: 0 | 1 | 2 | 3 | null;
}

export interface SubjectVerdict {
  flagged: boolean;
  /** Corrected over both families and every checkpoint reached, in [0, 1]. */
  pValue: number;
  test: string | null;
  /** Model index a finding is about (favourite or selectively voted model), if any. */
  model?: number;
  /** Words for the admins; `model N` stands for the model with index N. */
  reason: string;
  votes: number;
  drawn: number;
  /** The largest vote and drawn-battle checkpoints now judged (pass them back as `after`). */
  judged: { votes: number; drawn: number };
}

export const VOTE_CHECKPOINT_BASE = 10;
export const DRAWN_CHECKPOINT_BASE = 20;

/** Share of the level spent at checkpoint k (0-based). */
export function checkpointShare(k: number): number {
  return 6 / (Math.PI * Math.PI * (k + 1) * (k + 1));
}

function checkpoints(n: number, base: number): number[] {
  const out: number[] = [];
  for (let c = base; c <= n; c *= 2) out.push(c);
  return out;
}

/**
 * Judges one subject's battles, in the order they were drawn, against the crowd's history
 * (`background`: every counted vote that is not this subject's). Checkpoints up to `after` were
 * judged before (and found nothing) and are skipped.
 */
export function judgeSubject(
  battles: readonly SubjectBattle[],
  background: BackgroundCounts,
  alpha: number,
  after: { votes: number; drawn: number } = { votes: 0, drawn: 0 },
): SubjectVerdict {
  const votes: VoteRecord[] = [];
  for (const b of battles) {
    if (b.outcome !== null) votes.push({ voter: "s", a: b.a, b: b.b, outcome: b.outcome });
  }
  let best: { p: number; test: string | null; model?: number; reason: string } = {
    p: 1,
    test: null,
    reason: "",
  };
  const familyShare = 0.5;

  const judged = { votes: after.votes, drawn: after.drawn };
  checkpoints(votes.length, VOTE_CHECKPOINT_BASE).forEach((n, k) => {
    if (n <= after.votes) return;
    judged.votes = n;
    const [row] = detectAnomalousVoters(votes.slice(0, n), {
      checkpoints: [],
      minVotes: Math.min(VOTE_CHECKPOINT_BASE, n),
      background,
      alpha: 0.5,
    });
    if (!row) return;
    const p = Math.min(1, row.pValue / (familyShare * checkpointShare(k)));
    if (p < best.p) {
      best = {
        p,
        test: row.test,
        ...(row.model !== undefined ? { model: row.model } : {}),
        // The detector's own wording, less its verdict and uncorrected p-value.
        reason: `${row.reason.replace(/^nothing significant; strongest: /, "").replace(/ \([^()]*p [=<][^()]*\)$/, "")} in its first ${n} votes`,
      };
    }
  });

  const drawn: DrawnBattle[] = battles.map((b) => ({ a: b.a, b: b.b, voted: b.outcome !== null }));
  checkpoints(drawn.length, DRAWN_CHECKPOINT_BASE).forEach((n, k) => {
    if (n <= after.drawn) return;
    judged.drawn = n;
    const r = selectiveVotingTest(drawn.slice(0, n));
    if (r.model < 0) return;
    const p = Math.min(1, r.pValue / (familyShare * checkpointShare(k)));
    if (p < best.p) {
      best = {
        p,
        test: "selective-voting",
        model: r.model,
        reason: `voted in ${r.votedWith} of model ${r.model}'s ${r.drawnWith} battles but ${r.voted - r.votedWith} of the other ${r.drawn - r.drawnWith} (first ${n} battles drawn)`,
      };
    }
  });

  const flagged = best.p < alpha;
  const pText = best.p < 1e-3 ? best.p.toExponential(1) : best.p.toPrecision(2);
  return {
    flagged,
    pValue: best.p,
    test: best.test,
    ...(best.model !== undefined ? { model: best.model } : {}),
    reason:
      best.test === null
        ? `${votes.length} votes: nothing new to judge`
        : `${flagged ? "" : "nothing significant; strongest: "}${best.reason} (p = ${pText})`,
    votes: votes.length,
    drawn: drawn.length,
    judged,
  };
}

/** The largest checkpoint at or below `n` (0 when below the first). */
export function lastCheckpoint(n: number, base: number): number {
  let c = 0;
  for (let next = base; next <= n; next *= 2) c = next;
  return c;
}
