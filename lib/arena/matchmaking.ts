import { and, between, eq, gte, max, min, notExists, sql } from "drizzle-orm";
import type { ArenaDb } from "@/db/client";
import { models, prompts, responses, voterSeen } from "@/db/schema";
import { drawableResponse, importRunning } from "./import-visibility";
import { overallPairCounts } from "./pair-counts";
import { prepared } from "./prepared";

export type Rng = () => number;

/** A prompt and two models drawn for a new battle, A on the left (a pair's vote counts are the ranking's `Matchup`). */
export interface DrawnPair {
  promptId: number;
  modelAId: number;
  modelBId: number;
}

const PROBES = 6;
const PROBE_WINDOW = 24;
const p = sql.placeholder;

/**
 * Picks a prompt this voter has not seen in the current cycle and two different visible models
 * that both answered it, favouring the pairs with the fewest votes; the sides are random.
 * Returns null only when no prompt has two visible models. The cost does not grow with the
 * number of prompts: random probes into the id space find an unseen prompt in a few indexed
 * reads, and a full scan is the fallback only near the end of a voter's cycle.
 */
export function drawPair(db: ArenaDb, voterId: string, rng: Rng = Math.random): DrawnPair | null {
  // Only while an import is being written are some responses not drawable (pending).
  const pending = importRunning(db);
  const find = () =>
    probeForPrompt(db, voterId, rng, pending) ?? scanForPrompt(db, voterId, pending);
  const found = find();
  if (found) return choosePair(db, found.promptId, found.modelIds, rng);
  // Seen everything: start a new cycle, unless there was nothing to see in the first place.
  const cleared = db.delete(voterSeen).where(eq(voterSeen.voterId, voterId)).run().changes;
  if (cleared === 0) return null;
  const again = find();
  return again ? choosePair(db, again.promptId, again.modelIds, rng) : null;
}

interface Candidate {
  promptId: number;
  modelIds: number[];
}

const visible = and(eq(models.hidden, false), eq(models.deprecated, false));

function statements(db: ArenaDb) {
  return prepared(db, "matchmaking", () => ({
    // Two statements, not one: SQLite answers a lone min() or max() from the end of the index,
    // but scans the whole table when both share a statement.
    firstId: db
      .select({ v: min(prompts.id) })
      .from(prompts)
      .prepare(),
    lastId: db
      .select({ v: max(prompts.id) })
      .from(prompts)
      .prepare(),
    window: db
      .select({ id: prompts.id })
      .from(prompts)
      .where(and(gte(prompts.id, p("start")), eq(prompts.disabled, false)))
      .orderBy(prompts.id)
      .limit(PROBE_WINDOW)
      .prepare(),
    seenBetween: db
      .select({ id: voterSeen.promptId })
      .from(voterSeen)
      .where(and(eq(voterSeen.voterId, p("voter")), between(voterSeen.promptId, p("lo"), p("hi"))))
      .prepare(),
    // Answered from the (prompt_id, model_id) index alone, without reading the responses.
    answersBetween: db
      .select({ promptId: responses.promptId, modelId: responses.modelId })
      .from(responses)
      .innerJoin(models, eq(models.id, responses.modelId))
      .where(and(between(responses.promptId, p("lo"), p("hi")), visible))
      .prepare(),
    // The same without a running import's pending responses: a table read per response, so
    // only while an import runs.
    drawableAnswersBetween: db
      .select({ promptId: responses.promptId, modelId: responses.modelId })
      .from(responses)
      .innerJoin(models, eq(models.id, responses.modelId))
      .where(and(between(responses.promptId, p("lo"), p("hi")), visible, drawableResponse))
      .prepare(),
  }));
}

function probeForPrompt(
  db: ArenaDb,
  voterId: string,
  rng: Rng,
  pending: boolean,
): Candidate | null {
  const s = statements(db);
  const answers = pending ? s.drawableAnswersBetween : s.answersBetween;
  const lo = s.firstId.get()?.v;
  const hi = s.lastId.get()?.v;
  if (!lo || !hi) return null;
  for (let probe = 0; probe < PROBES; probe++) {
    const start = lo + Math.floor(rng() * (hi - lo + 1));
    const ids = s.window.all({ start }).map((r) => r.id);
    const first = ids[0];
    const last = ids[ids.length - 1];
    if (first === undefined || last === undefined) continue;
    const seen = new Set(
      s.seenBetween.all({ voter: voterId, lo: first, hi: last }).map((r) => r.id),
    );
    const unseen = new Set(ids.filter((id) => !seen.has(id)));
    if (unseen.size === 0) continue;
    const eligible = new Map<number, number[]>();
    for (const r of answers.all({ lo: first, hi: last })) {
      if (!unseen.has(r.promptId)) continue;
      const list = eligible.get(r.promptId);
      if (list) list.push(r.modelId);
      else eligible.set(r.promptId, [r.modelId]);
    }
    const candidates = [...eligible].filter(([, m]) => m.length >= 2);
    if (candidates.length === 0) continue;
    const [promptId, modelIds] = candidates[Math.floor(rng() * candidates.length)] as [
      number,
      number[],
    ];
    return { promptId, modelIds };
  }
  return null;
}

/** The exhaustive search: any enabled, unseen prompt with at least two visible models. */
function scanForPrompt(db: ArenaDb, voterId: string, pending: boolean): Candidate | null {
  const drawable = pending ? drawableResponse : undefined;
  const visibleAnswers = db
    .select({ n: sql<number>`count(*)` })
    .from(responses)
    .innerJoin(models, eq(models.id, responses.modelId))
    .where(and(eq(responses.promptId, prompts.id), visible, drawable));
  const row = db
    .select({ id: prompts.id })
    .from(prompts)
    .where(
      and(
        eq(prompts.disabled, false),
        notExists(
          db
            .select({ one: sql`1` })
            .from(voterSeen)
            .where(and(eq(voterSeen.voterId, voterId), eq(voterSeen.promptId, prompts.id))),
        ),
        sql`(${visibleAnswers}) >= 2`,
      ),
    )
    .orderBy(sql`random()`)
    .limit(1)
    .get();
  if (!row) return null;
  const s = statements(db);
  const modelIds = (pending ? s.drawableAnswersBetween : s.answersBetween)
    .all({ lo: row.id, hi: row.id })
    .map((r) => r.modelId);
  return { promptId: row.id, modelIds };
}

/**
 * Among the prompt's model pairs, draws one with probability proportional to 1/(1+d)², where d
 * is how many more votes the pair has than the prompt's least-voted pair. Weighting by the
 * deficit rather than the raw count keeps the pull towards even coverage as strong at 10,000
 * votes as at 10, while every pair stays possible, so no one can predict the next battle.
 */
function choosePair(db: ArenaDb, promptId: number, modelIds: number[], rng: Rng): DrawnPair {
  const pairVotes = overallPairCounts(db);
  const k = modelIds.length;
  const votes = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = i + 1; j < k; j++)
      votes[i * k + j] = pairVotes(modelIds[i] as number, modelIds[j] as number);
  }
  let fewest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < k; i++)
    for (let j = i + 1; j < k; j++) fewest = Math.min(fewest, votes[i * k + j] as number);
  const weights = new Float64Array(k * k);
  let total = 0;
  for (let i = 0; i < k; i++) {
    for (let j = i + 1; j < k; j++) {
      const w = 1 / (1 + (votes[i * k + j] as number) - fewest) ** 2;
      weights[i * k + j] = w;
      total += w;
    }
  }
  let r = rng() * total;
  let chosen: [number, number] = [0, 1];
  search: for (let i = 0; i < k; i++) {
    for (let j = i + 1; j < k; j++) {
      chosen = [i, j];
      r -= weights[i * k + j] as number;
      if (r <= 0) break search;
    }
  }
  const x = modelIds[chosen[0]] as number;
  const y = modelIds[chosen[1]] as number;
  return rng() < 0.5
    ? { promptId, modelAId: x, modelBId: y }
    : { promptId, modelAId: y, modelBId: x };
}
