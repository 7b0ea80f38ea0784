import { and, between, eq, gte, max, min, notExists, sql } from "drizzle-orm";
import { type ArenaDb, databaseKey } from "@/db/client";
import { changes } from "@/db/rows";
import { models, prompts, responses, voterSeen } from "@/db/schema";
import { drawableResponse, importRunning } from "./import-visibility";
import { modelsVersion } from "./models-version";
import { pairTable } from "./pair-counts";
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
export async function drawPair(
  db: ArenaDb,
  voterId: string,
  rng: Rng = Math.random,
): Promise<DrawnPair | null> {
  // Only while an import is being written are some responses not drawable (pending).
  const pending = await importRunning(db);
  const find = async () =>
    (await probeForPrompt(db, voterId, rng, pending)) ??
    (await scanForPrompt(db, voterId, pending));
  const found = await find();
  if (found) return choosePair(db, found.promptId, found.modelIds, rng);
  // Seen everything: start a new cycle, unless there was nothing to see in the first place.
  const cleared = changes(await db.delete(voterSeen).where(eq(voterSeen.voterId, voterId)));
  if (cleared === 0) return null;
  const again = await find();
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
    answerModels: db
      .select({ modelId: responses.modelId })
      .from(responses)
      .where(eq(responses.promptId, p("promptId")))
      .prepare(),
    visibleModels: db.select({ id: models.id }).from(models).where(visible).prepare(),
    // A prompt's visible answers without a running import's pending responses: a table read
    // per response, so only while an import runs.
    drawableAnswersBetween: db
      .select({ promptId: responses.promptId, modelId: responses.modelId })
      .from(responses)
      .innerJoin(models, eq(models.id, responses.modelId))
      .where(and(between(responses.promptId, p("lo"), p("hi")), visible, drawableResponse))
      .prepare(),
  }));
}

const visibleSets = new WeakMap<object, { version: number; ids: Set<number> }>();

/** The models that may be drawn, from memory while no model changed (models-version.ts). */
async function visibleModels(db: ArenaDb): Promise<Set<number>> {
  const version = await modelsVersion(db);
  let cached = visibleSets.get(databaseKey(db));
  if (cached?.version !== version) {
    const rows = await statements(db).visibleModels.execute();
    cached = { version, ids: new Set(rows.map((r) => r.id)) };
    visibleSets.set(databaseKey(db), cached);
  }
  return cached.ids;
}

/** The visible models that answered the prompt (drawable ones only, while an import runs). */
async function answeredBy(db: ArenaDb, promptId: number, pending: boolean): Promise<number[]> {
  const s = statements(db);
  if (pending)
    return (await s.drawableAnswersBetween.execute({ lo: promptId, hi: promptId })).map(
      (r) => r.modelId,
    );
  const visibleIds = await visibleModels(db);
  const ids: number[] = [];
  for (const r of await s.answerModels.execute({ promptId }))
    if (visibleIds.has(r.modelId)) ids.push(r.modelId);
  return ids;
}

async function probeForPrompt(
  db: ArenaDb,
  voterId: string,
  rng: Rng,
  pending: boolean,
): Promise<Candidate | null> {
  const s = statements(db);
  const lo = (await s.firstId.execute())[0]?.v;
  const hi = (await s.lastId.execute())[0]?.v;
  if (!lo || !hi) return null;
  for (let probe = 0; probe < PROBES; probe++) {
    const start = lo + Math.floor(rng() * (hi - lo + 1));
    const ids = (await s.window.execute({ start })).map((r) => r.id);
    const first = ids[0];
    const last = ids[ids.length - 1];
    if (first === undefined || last === undefined) continue;
    const seen = new Set(
      (await s.seenBetween.execute({ voter: voterId, lo: first, hi: last })).map((r) => r.id),
    );
    const unseen = ids.filter((id) => !seen.has(id));
    // Unseen prompts in random order until one has two visible models: the same uniform choice
    // among the eligible ones as reading the whole window's answers, but usually one prompt's
    // answers are read (~250 rows at 250 models) instead of the window's (~6,000).
    for (let left = unseen.length; left > 0; left--) {
      const pick = Math.floor(rng() * left);
      const promptId = unseen[pick] as number;
      unseen[pick] = unseen[left - 1] as number;
      const modelIds = await answeredBy(db, promptId, pending);
      if (modelIds.length >= 2) return { promptId, modelIds };
    }
  }
  return null;
}

/** The exhaustive search: any enabled, unseen prompt with at least two visible models. */
async function scanForPrompt(
  db: ArenaDb,
  voterId: string,
  pending: boolean,
): Promise<Candidate | null> {
  const drawable = pending ? drawableResponse : undefined;
  const visibleAnswers = db
    .select({ n: sql<number>`count(*)` })
    .from(responses)
    .innerJoin(models, eq(models.id, responses.modelId))
    .where(and(eq(responses.promptId, prompts.id), visible, drawable));
  const [row] = await db
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
    .limit(1);
  if (!row) return null;
  return { promptId: row.id, modelIds: await answeredBy(db, row.id, pending) };
}

/** Draws tried before the exact weighing of every pair (see choosePair). */
const MAX_TRIALS = 1000;

/**
 * Among the prompt's model pairs, draws one with probability proportional to 1/(1+d)², where d
 * is how many more votes the pair has than the prompt's least-voted pair. Weighting by the
 * deficit rather than the raw count keeps the pull towards even coverage as strong at 10,000
 * votes as at 10, while every pair stays possible, so no one can predict the next battle.
 *
 * By rejection: a uniformly drawn pair is kept with probability its weight (at most 1), which
 * yields exactly that distribution after, on average, 1/(mean weight) tries — a handful while
 * coverage is even — instead of weighing all ~31,000 pairs of 250 models per draw. Should the
 * tries run out (one pair far behind all others), the exact weighing takes over; as every
 * rejected try is independent of the pair finally drawn, the distribution stays exact.
 */
async function choosePair(
  db: ArenaDb,
  promptId: number,
  modelIds: number[],
  rng: Rng,
): Promise<DrawnPair> {
  const table = await pairTable(db);
  const k = modelIds.length;
  const slots = new Int32Array(k);
  for (let i = 0; i < k; i++) slots[i] = table.slot(modelIds[i] as number);
  const fewest = table.fewestAmong(modelIds.join(","), slots);
  // Read after the slots: giving a new model its slot may grow (replace) the matrix.
  const { counts, stride } = table;
  const weight = (i: number, j: number) => {
    const d = 1 + (counts[(slots[i] as number) * stride + (slots[j] as number)] as number) - fewest;
    return 1 / (d * d);
  };
  const drawn = (i: number, j: number): DrawnPair => ({
    promptId,
    modelAId: modelIds[i] as number,
    modelBId: modelIds[j] as number,
  });
  for (let t = 0; t < MAX_TRIALS; t++) {
    // An ordered pair, uniform: the side each model takes is random too.
    const i = Math.floor(rng() * k);
    let j = Math.floor(rng() * (k - 1));
    if (j >= i) j++;
    if (rng() < weight(i, j)) return drawn(i, j);
  }
  let total = 0;
  for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) total += weight(i, j);
  let r = rng() * total;
  let chosen: [number, number] = [0, 1];
  search: for (let i = 0; i < k; i++) {
    for (let j = i + 1; j < k; j++) {
      chosen = [i, j];
      r -= weight(i, j);
      if (r <= 0) break search;
    }
  }
  return rng() < 0.5 ? drawn(chosen[0], chosen[1]) : drawn(chosen[1], chosen[0]);
}
